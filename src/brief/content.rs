//! What a brief says, gathered from a scenario: its headline against the
//! targets ahead, the levers that differ from the baseline, the charts,
//! what it takes to meet the targets, the assumptions and the numbered
//! references. Every text is already in the brief's language, with its
//! numbers formatted (`numfmt`), so that each writer (`html`) only lays
//! out blocks.

use crate::figure::chart::{BandSpec, ChartSpec, MarkSpec, SeriesSpec, TargetSpec};
use crate::i18n::{Lang, Msg, fmt_auto, fmt_num, fmt_pct, tr};
use crate::model::def::{Chart, Source, VariableKind};
use crate::model::mc::Summary;
use crate::model::solve::{meet_targets, rank_levers};
use crate::model::targets::{TargetStatus, target_statuses};
use crate::model::{CompiledModel, Run};
use crate::numfmt::step_decimals;

/// A brief, ready to be written.
#[derive(Clone, Debug, PartialEq)]
pub struct Brief {
    pub lang: Lang,
    /// The model's name.
    pub title: String,
    /// The scenario's name.
    pub subtitle: String,
    pub notes: String,
    /// Label and value: scenario, model and version, date, fingerprint.
    pub facts: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub references: Vec<Reference>,
    /// The scenario file's hash (`compile::content_hash`), or a note that
    /// there is no file: printed at the foot of every page.
    pub fingerprint: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading inside a section (a deck step's parts).
    Subheading(String),
    Paragraph(String),
    Table(Table),
    Figure(Box<ChartSpec>),
    /// Small print under a figure or table (its sources).
    Note(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell; numbers are aligned right.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    pub number: bool,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: false,
        }
    }

    fn number(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: true,
        }
    }
}

impl Brief {
    /// The document's title for its metadata: `title — subtitle`.
    pub fn full_title(&self) -> String {
        if self.subtitle.is_empty() {
            self.title.clone()
        } else {
            format!("{} — {}", self.title, self.subtitle)
        }
    }
}

/// A numbered source: `[n] title, date, address`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub number: usize,
    pub title: String,
    pub date: String,
    pub url: Option<String>,
}

impl Reference {
    /// How the list of references prints it: `[n] title, date, address`.
    pub fn text(&self) -> String {
        let mut text = format!("[{}] {}", self.number, self.title);
        for part in [Some(&self.date), self.url.as_ref()].into_iter().flatten() {
            if !part.is_empty() {
                text.push_str(", ");
                text.push_str(part);
            }
        }
        text
    }
}

/// What a brief is made from.
pub struct Input<'a> {
    pub model: &'a CompiledModel,
    pub levers: &'a [f64],
    pub scenario_name: &'a str,
    pub notes: &'a str,
    /// The scenario file's hash; `None` for a scenario not saved.
    pub fingerprint: Option<String>,
    /// The date printed, as given (the CLI: today; tests: fixed).
    pub date: &'a str,
    pub lang: Lang,
    /// Monte Carlo results, when uncertainty is on: bands and odds.
    pub uncertainty: Option<&'a Summary>,
    /// The ids of the charts to show (a deck step's); `None`: the model's
    /// main charts.
    pub charts: Option<&'a [String]>,
}

/// One step of a deck: what its scenario's brief is made from, and the
/// step's title and caption.
pub struct DeckStep<'a> {
    pub input: Input<'a>,
    pub title: String,
    pub caption: String,
}

/// Sources numbered in order of first citation, each once.
#[derive(Default)]
struct Refs(Vec<Reference>);

impl Refs {
    /// `[n]` for `source`, numbering it if it is new.
    fn cite(&mut self, s: &Source) -> String {
        format!("[{}]", self.number(s))
    }

    /// The number of `source`, numbering it if it is new.
    fn number(&mut self, s: &Source) -> usize {
        let same = |r: &&Reference| r.title == s.title && r.date == s.date && r.url == s.url;
        match self.0.iter().find(same) {
            Some(r) => r.number,
            None => {
                let number = self.0.len() + 1;
                self.0.push(Reference {
                    number,
                    title: s.title.clone(),
                    date: s.date.clone(),
                    url: s.url.clone(),
                });
                number
            }
        }
    }
}

/// The part of a scenario's notes in `lang`. Notes written in both
/// languages mark each part with its language at the start of a line
/// (`EN: …`, `FR : …`, as the shipped scenarios do); the lines before any
/// mark belong to both. Notes with no part in `lang` are kept whole.
pub fn notes_in(lang: Lang, notes: &str) -> String {
    let mark = |line: &str| -> Option<(Lang, usize)> {
        [("EN", Lang::En), ("FR", Lang::Fr)]
            .into_iter()
            .find_map(|(code, l)| {
                let rest = line.strip_prefix(code)?;
                let after = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
                let colon = after.strip_prefix(':')?;
                Some((l, line.len() - colon.len()))
            })
    };
    let mut kept = Vec::new();
    let mut current: Option<Lang> = None;
    let mut has_part = false;
    for line in notes.lines() {
        let text = match mark(line) {
            Some((l, at)) => {
                current = Some(l);
                has_part |= l == lang;
                line[at..].trim_start()
            }
            None => line,
        };
        if current.is_none_or(|l| l == lang) {
            kept.push(text);
        }
    }
    if has_part {
        kept.join("\n").trim().to_string()
    } else {
        notes.to_string()
    }
}

/// Gathers the brief of `input`.
pub fn gather(input: &Input) -> Brief {
    let (m, lang) = (input.model, input.lang);
    let run = m.run(input.levers);
    let statuses = ahead(m, &run);
    let mut refs = Refs::default();
    let fingerprint = input
        .fingerprint
        .clone()
        .unwrap_or_else(|| tr(lang, Msg::BriefNoFile).to_string());
    let model = m.model();
    let facts = vec![
        (
            tr(lang, Msg::ModelLabel).to_string(),
            format!("{} {}", model.name.get(lang), model.version),
        ),
        (tr(lang, Msg::DateField).to_string(), input.date.to_string()),
        (
            tr(lang, Msg::BriefFingerprint).to_string(),
            fingerprint.clone(),
        ),
    ];
    let sections = vec![
        headline(input, &statuses, &mut refs),
        levers_changed(input),
        charts(input, &run, &mut refs),
        what_it_takes(input, &statuses),
        assumptions(input, &mut refs),
    ];
    Brief {
        lang,
        title: model.name.get(lang).to_string(),
        subtitle: input.scenario_name.to_string(),
        notes: notes_in(lang, input.notes),
        facts,
        sections,
        references: refs.0,
        fingerprint,
    }
}

/// The brief of a deck, one section per step (its caption, headline,
/// levers changed and charts), the references shared; `input` of the
/// first step gives the language, date and fingerprint (the deck file's).
pub fn gather_deck(title: &str, steps: &[DeckStep]) -> Option<Brief> {
    let first = &steps.first()?.input;
    let lang = first.lang;
    let mut refs = Refs::default();
    let mut sections = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        let input = &step.input;
        let run = input.model.run(input.levers);
        let statuses = ahead(input.model, &run);
        let mut blocks = Vec::new();
        if !step.caption.trim().is_empty() {
            blocks.push(Block::Paragraph(step.caption.clone()));
        }
        let parts = [
            headline(input, &statuses, &mut refs),
            levers_changed(input),
            charts(input, &run, &mut refs),
        ];
        for part in parts {
            blocks.push(Block::Subheading(part.heading));
            blocks.extend(part.blocks);
        }
        let heading = format!("{}. {}", k + 1, step.title);
        sections.push(Section { heading, blocks });
    }
    let fingerprint = first
        .fingerprint
        .clone()
        .unwrap_or_else(|| tr(lang, Msg::BriefNoFile).to_string());
    let facts = vec![
        (tr(lang, Msg::DateField).to_string(), first.date.to_string()),
        (
            tr(lang, Msg::BriefFingerprint).to_string(),
            fingerprint.clone(),
        ),
    ];
    Some(Brief {
        lang,
        title: title.to_string(),
        subtitle: String::new(),
        notes: String::new(),
        facts,
        sections,
        references: refs.0,
        fingerprint,
    })
}

/// The targets ahead of the last observed year, against `run`.
fn ahead(m: &CompiledModel, run: &Run) -> Vec<TargetStatus> {
    target_statuses(m, run)
        .into_iter()
        .filter(|s| s.future)
        .collect()
}

/// A number with the unit of run variable `var`.
fn with_unit(m: &CompiledModel, lang: Lang, var: usize, x: f64) -> String {
    let unit = m.series(var).unit.get(lang);
    if unit.is_empty() {
        fmt_auto(lang, x)
    } else {
        format!("{}\u{a0}{unit}", fmt_auto(lang, x))
    }
}

/// A yearly growth rate, or a dash.
fn growth(lang: Lang, g: Option<f64>) -> String {
    g.map_or_else(
        || "—".to_string(),
        |g| format!("{}{}", fmt_pct(lang, g, 1), tr(lang, Msg::PerYear)),
    )
}

/// Each target ahead: value, gap, growth required against the scenario's
/// and history's, and the odds when uncertainty is on.
fn headline(input: &Input, statuses: &[TargetStatus], refs: &mut Refs) -> Section {
    let (m, lang) = (input.model, input.lang);
    let heading = tr(lang, Msg::BriefHeadline).to_string();
    if statuses.is_empty() {
        let blocks = vec![Block::Paragraph(tr(lang, Msg::BriefNoTargets).to_string())];
        return Section { heading, blocks };
    }
    let mut header: Vec<String> = [
        Msg::Target,
        Msg::TargetValue,
        Msg::Scenario,
        Msg::Gap,
        Msg::Required,
        Msg::BriefScenarioGrowth,
        Msg::BriefHistoricalGrowth,
    ]
    .iter()
    .map(|&msg| tr(lang, msg).to_string())
    .collect();
    let odds = input.uncertainty.map(|u| &u.target_prob);
    if odds.is_some() {
        header.push(tr(lang, Msg::BriefProbability).to_string());
    }
    let rows = statuses
        .iter()
        .map(|s| {
            let t = &m.model().targets[s.target];
            let mut row = vec![
                Cell::text(format!(
                    "{} ({}) {}",
                    t.label.get(lang),
                    t.year,
                    refs.cite(&t.source)
                )),
                Cell::number(with_unit(m, lang, s.var, t.value)),
                Cell::number(with_unit(m, lang, s.var, s.value)),
                Cell::number(format!(
                    "{} ({})",
                    fmt_auto(lang, s.gap),
                    fmt_pct(lang, s.gap_frac, 1)
                )),
                Cell::number(growth(lang, s.required_growth)),
                Cell::number(growth(lang, s.run_growth)),
                Cell::number(growth(lang, s.historical_growth)),
            ];
            if let Some(odds) = odds {
                let p = odds.get(s.target).copied().flatten();
                row.push(Cell::number(
                    p.map_or_else(|| "—".into(), |p| fmt_pct(lang, p, 0)),
                ));
            }
            row
        })
        .collect();
    Section {
        heading,
        blocks: vec![Block::Table(Table { header, rows })],
    }
}

/// The levers that differ from their defaults, with both values.
fn levers_changed(input: &Input) -> Section {
    let (m, lang) = (input.model, input.lang);
    let heading = tr(lang, Msg::BriefLevers).to_string();
    let changed: Vec<usize> = (0..input.levers.len())
        .filter(|&i| input.levers[i] != m.levers()[i].default)
        .collect();
    if changed.is_empty() {
        let blocks = vec![Block::Paragraph(
            tr(lang, Msg::BriefNoLeverChanged).to_string(),
        )];
        return Section { heading, blocks };
    }
    let header = [Msg::Lever, Msg::BriefDefaults, Msg::Scenario, Msg::Unit]
        .iter()
        .map(|&msg| tr(lang, msg).to_string())
        .collect();
    let rows = changed
        .iter()
        .map(|&i| {
            let l = &m.levers()[i];
            let d = step_decimals(l.step);
            vec![
                Cell::text(l.label.get(lang)),
                Cell::number(fmt_num(lang, l.default, d)),
                Cell::number(fmt_num(lang, input.levers[i], d)),
                Cell::text(l.unit.get(lang)),
            ]
        })
        .collect();
    Section {
        heading,
        blocks: vec![Block::Table(Table { header, rows })],
    }
}

/// The model's charts (not the detailed ones), each a figure and the
/// sources of what it shows.
fn charts(input: &Input, run: &Run, refs: &mut Refs) -> Section {
    let mut blocks = Vec::new();
    let shown = |c: &&Chart| match input.charts {
        Some(ids) if !ids.is_empty() => ids.contains(&c.id),
        _ => !c.detail,
    };
    for chart in input.model.charts().iter().filter(shown) {
        let (spec, sources) = chart_spec(input, chart, run);
        if spec.series.is_empty() {
            continue;
        }
        blocks.push(Block::Figure(Box::new(spec)));
        let mut cited: Vec<usize> = sources.iter().map(|s| refs.number(s)).collect();
        cited.sort_unstable();
        cited.dedup();
        if !cited.is_empty() {
            let label = tr(input.lang, Msg::Source);
            let colon = crate::i18n::colon(input.lang);
            let list: Vec<String> = cited.iter().map(|n| format!("[{n}]")).collect();
            blocks.push(Block::Note(format!("{label}{colon}{}", list.join(" "))));
        }
    }
    if let Some(u) = input.uncertainty {
        let n = fmt_num(input.lang, u.runs as f64, 0);
        let text = tr(input.lang, Msg::BriefUncertainty).replace("{n}", &n);
        blocks.push(Block::Note(text));
    }
    Section {
        heading: tr(input.lang, Msg::BriefCharts).to_string(),
        blocks,
    }
}

/// What `chart` shows, and the sources of its marks in order.
fn chart_spec<'m>(input: &'m Input, chart: &Chart, run: &Run) -> (ChartSpec, Vec<&'m Source>) {
    let (m, lang) = (input.model, input.lang);
    let model = m.model();
    let vars = m.chart_series(&chart.series);
    let times = run.times();
    let series: Vec<SeriesSpec> = vars
        .iter()
        .enumerate()
        .map(|(k, &v)| SeriesSpec {
            label: m.series(v).label.get(lang).to_string(),
            points: times
                .iter()
                .copied()
                .zip(run.series(v).iter().copied())
                .collect(),
            dashed: false,
            color_index: k,
        })
        .collect();
    let shown = |id: &str| vars.iter().any(|&v| m.series(v).id == id);
    let mut sources = Vec::new();
    let observations = (model.observations.iter().filter(|o| shown(&o.variable)))
        .map(|o| {
            sources.push(&o.source);
            MarkSpec {
                x: f64::from(o.year),
                y: o.value,
                label: String::new(),
            }
        })
        .collect();
    let targets = (model.targets.iter().filter(|t| shown(&t.variable)))
        .map(|t| {
            sources.push(&t.source);
            TargetSpec {
                x: f64::from(t.year),
                y: t.value,
                label: t.label.get(lang).to_string(),
            }
        })
        .collect();
    let series_break = model
        .series_breaks
        .iter()
        .find(|b| vars.iter().any(|&v| b.on(&m.series(v).id)))
        .map(|b| {
            sources.push(&b.source);
            (f64::from(b.year), tr(lang, Msg::SeriesBreak).to_string())
        });
    let bands = bands(input, &vars, times);
    let spec = ChartSpec {
        title: chart.title.get(lang).to_string(),
        x_label: tr(lang, Msg::Year).to_string(),
        y_label: vars
            .first()
            .map_or_else(String::new, |&v| m.series(v).unit.get(lang).to_string()),
        series,
        stacked: chart.stacked,
        bands,
        observations,
        targets,
        series_break,
        observations_label: tr(lang, Msg::Observed).to_string(),
        targets_label: tr(lang, Msg::Target).to_string(),
    };
    (spec, sources)
}

/// The 5th to 95th percentile of each charted variable, when uncertainty is on.
fn bands(input: &Input, vars: &[usize], times: &[f64]) -> Vec<BandSpec> {
    let Some(u) = input.uncertainty else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, &v) in vars.iter().enumerate() {
        let Some(b) = u.bands_of(v) else {
            continue;
        };
        let (mut x, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new());
        for (t, q) in times.iter().zip(b) {
            if let Some(q) = q {
                x.push(*t);
                lo.push(q[0]);
                hi.push(q[4]);
            }
        }
        let label = String::new();
        out.push(BandSpec {
            label,
            x,
            lo,
            hi,
            color_index: k,
        });
    }
    out
}

/// For each target ahead not met: the cheapest single lever that meets
/// it; then all of them together with the least change.
fn what_it_takes(input: &Input, statuses: &[TargetStatus]) -> Section {
    let (m, lang) = (input.model, input.lang);
    let mut blocks = Vec::new();
    let unmet: Vec<&TargetStatus> = statuses.iter().filter(|s| !s.met).collect();
    for s in &unmet {
        let t = &m.model().targets[s.target];
        let best = rank_levers(m, input.levers, s.target)
            .into_iter()
            .find(|r| r.seek.reached);
        let text = match best {
            Some(r) => {
                let l = &m.levers()[r.seek.lever];
                let unit = l.unit.get(lang);
                tr(lang, Msg::BriefSeek)
                    .replace("{lever}", l.label.get(lang))
                    .replace(
                        "{value}",
                        &format!("{}\u{a0}{unit}", fmt_auto(lang, r.seek.value)),
                    )
                    .replace(
                        "{now}",
                        &format!("{}\u{a0}{unit}", fmt_auto(lang, input.levers[r.seek.lever])),
                    )
            }
            None => tr(lang, Msg::BriefSeekNone).to_string(),
        };
        let text = text
            .replace("{target}", t.label.get(lang))
            .replace("{year}", &t.year.to_string());
        blocks.push(Block::Paragraph(text));
    }
    if unmet.len() > 1 {
        blocks.extend(joint(input, &unmet));
    }
    if blocks.is_empty() {
        blocks.push(Block::Paragraph(tr(lang, Msg::BriefNoTargets).to_string()));
    }
    Section {
        heading: tr(lang, Msg::BriefWhatItTakes).to_string(),
        blocks,
    }
}

/// The least change of the policy levers that meets every target in `unmet`.
fn joint(input: &Input, unmet: &[&TargetStatus]) -> Vec<Block> {
    let (m, lang) = (input.model, input.lang);
    let targets: Vec<usize> = unmet.iter().map(|s| s.target).collect();
    let policy: Vec<usize> = (0..m.levers().len())
        .filter(|&l| !m.levers()[l].calibration)
        .collect();
    let j = meet_targets(m, input.levers, &targets, &policy);
    if !j.unmet.is_empty() {
        return vec![Block::Paragraph(tr(lang, Msg::BriefJointUnmet).to_string())];
    }
    let header = [Msg::Lever, Msg::Scenario, Msg::BriefWhatItTakes, Msg::Unit]
        .iter()
        .map(|&msg| tr(lang, msg).to_string())
        .collect();
    let rows = policy
        .iter()
        .filter(|&&l| (j.levers[l] - input.levers[l]).abs() > 1e-9 * (1.0 + input.levers[l].abs()))
        .map(|&l| {
            let d = &m.levers()[l];
            vec![
                Cell::text(d.label.get(lang)),
                Cell::number(fmt_auto(lang, input.levers[l])),
                Cell::number(fmt_auto(lang, j.levers[l])),
                Cell::text(d.unit.get(lang)),
            ]
        })
        .collect();
    vec![
        Block::Paragraph(tr(lang, Msg::BriefJoint).to_string()),
        Block::Table(Table { header, rows }),
    ]
}

/// Every lever and every constant parameter of the model: value and
/// source, or "assumption".
fn assumptions(input: &Input, refs: &mut Refs) -> Section {
    let (m, lang) = (input.model, input.lang);
    let assumption = tr(lang, Msg::BriefAssumption);
    let mut rows = Vec::new();
    for (i, l) in m.levers().iter().enumerate() {
        let v = input.levers[i];
        let source = (l.positions.iter())
            .find(|p| p.value == v && p.source.is_some())
            .and_then(|p| p.source.as_ref());
        rows.push(vec![
            Cell::text(l.label.get(lang)),
            Cell::number(fmt_num(lang, v, step_decimals(l.step))),
            Cell::text(l.unit.get(lang)),
            Cell::text(source.map_or_else(|| assumption.to_string(), |s| refs.cite(s))),
        ]);
    }
    let model = m.model();
    for v in &model.variables {
        let VariableKind::Aux { equation } = &v.kind else {
            continue;
        };
        let observed = model.observations.iter().any(|o| o.variable == v.id);
        if let (Ok(x), false, true) = (
            equation.trim().parse::<f64>(),
            observed,
            v.dimensions.is_empty(),
        ) {
            // A year (a first projection year) is no quantity: no grouping.
            let value = if v.unit_expr == "year" && x.fract() == 0.0 {
                format!("{x}")
            } else {
                fmt_auto(lang, x)
            };
            rows.push(vec![
                Cell::text(v.label.get(lang)),
                Cell::number(value),
                Cell::text(v.unit.get(lang)),
                Cell::text(assumption),
            ]);
        }
    }
    let header = [Msg::BriefParameter, Msg::ValueField, Msg::Unit, Msg::Source]
        .iter()
        .map(|&msg| tr(lang, msg).to_string())
        .collect();
    Section {
        heading: tr(lang, Msg::BriefAssumptions).to_string(),
        blocks: vec![Block::Table(Table { header, rows })],
    }
}
