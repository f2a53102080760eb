//! The published explorer (issue 25): one self-contained HTML file that
//! runs the scenario's model in the reader's browser, with no server and
//! no network request of any kind (a strict Content-Security-Policy says
//! so to the browser).
//!
//! Rust gathers what the page shows into one JSON blob (levers, charts,
//! observations with their sources, targets, series breaks, the Monte
//! Carlo design, every string of the page in both languages, the scenario
//! file to download) and puts it beside the model compiled to JavaScript
//! by [`super::js::model_js`] from the same program the desktop engine
//! runs. `explorer.js` draws the page from them; `explorer.css` styles it.
//! A deck publishes as a story: one page state per step.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::deck::LoadedDeck;
use crate::i18n::{Lang, Msg, tr};
use crate::model::def::{Distribution, Source};
use crate::model::mc::{Design, has_uncertainty};
use crate::model::sim::time_index;
use crate::model::{CompiledModel, Text};
use crate::numfmt::step_decimals;
use crate::scenario::{self, MonteCarlo, Opened, Views};

const TEMPLATE: &str = include_str!("explorer.html");
const SCRIPT: &str = include_str!("explorer.js");
const STYLE: &str = include_str!("explorer.css");

/// Monte Carlo runs the page draws for its bands: a few hundred, so that
/// they come within a fraction of a second after a slider stops.
pub const PAGE_RUNS: usize = 200;

/// Why a page cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The model has a construct the JavaScript generator cannot express
    /// (the message names its variable).
    #[error("{0}")]
    Refused(String),
    #[error("the deck has no step")]
    EmptyDeck,
}

/// One scenario to publish: a model, its lever values, and what a
/// scenario file saves with them.
pub struct Page<'a> {
    pub model: &'a CompiledModel,
    pub levers: &'a [f64],
    pub name: &'a str,
    pub notes: &'a str,
    pub views: Views,
    pub monte_carlo: MonteCarlo,
}

impl<'a> Page<'a> {
    /// The page of an opened model or scenario; a model alone is named
    /// after itself in `lang`.
    pub fn of_opened(opened: &'a Opened, lang: Lang) -> Page<'a> {
        let s = opened.scenario.as_ref();
        Page {
            model: &opened.model,
            levers: &opened.levers,
            name: s.map_or_else(|| opened.model.model().name.get(lang), |s| s.name.as_str()),
            notes: s.map_or("", |s| s.notes.as_str()),
            views: s.map(|s| s.views.clone()).unwrap_or_default(),
            monte_carlo: s.map(|s| s.monte_carlo).unwrap_or_default(),
        }
    }
}

/// The explorer of one scenario, in `lang` first (the reader switches).
pub fn explorer_html(page: &Page, lang: Lang) -> Result<String, PublishError> {
    let mut models = Models::default();
    let step = models.step(page, None)?;
    let title = page.model.model().name.clone();
    write(lang, &title, None, vec![step], models)
}

/// A deck as a story: each step its scenario, title, caption and charts.
pub fn deck_html(deck: &LoadedDeck, lang: Lang) -> Result<String, PublishError> {
    if deck.steps.is_empty() {
        return Err(PublishError::EmptyDeck);
    }
    let mut models = Models::default();
    let mut steps = Vec::new();
    for s in &deck.steps {
        let page = Page {
            model: &s.model,
            levers: &s.levers,
            name: s.step.title.get(lang),
            notes: "",
            views: Views::default(),
            monte_carlo: MonteCarlo {
                seed: s.model.seed(),
                ..MonteCarlo::default()
            },
        };
        steps.push(models.step(&page, Some(&s.step))?);
    }
    write(
        lang,
        &deck.deck.title,
        Some(&deck.deck.title),
        steps,
        models,
    )
}

/// The distinct models of a page (a deck's steps often share one), each
/// compiled to JavaScript once.
#[derive(Default)]
struct Models {
    compiled: Vec<CompiledModel>,
    js: Vec<String>,
    data: Vec<ModelData>,
}

impl Models {
    /// The index of `m`, adding it when it is new.
    fn index(&mut self, m: &CompiledModel) -> Result<usize, PublishError> {
        // The seed is each step's own (`StepData::seed`), given to `run`.
        let same = |c: &CompiledModel| c.model() == m.model() && c.times() == m.times();
        if let Some(i) = self.compiled.iter().position(same) {
            return Ok(i);
        }
        let js = super::js::model_js(m).map_err(|e| PublishError::Refused(e.to_string()))?;
        if js.to_ascii_lowercase().contains("</script") {
            return Err(PublishError::Refused(
                "the generated model contains `</script`".into(),
            ));
        }
        self.compiled.push(m.clone());
        self.js.push(js);
        self.data.push(model_data(m));
        Ok(self.compiled.len() - 1)
    }

    /// What the page shows of `page` (a deck's `step`).
    fn step(
        &mut self,
        page: &Page,
        step: Option<&crate::deck::Step>,
    ) -> Result<StepData, PublishError> {
        let model = self.index(page.model)?;
        let m = page.model;
        let bands = match step {
            Some(s) => s.bands,
            None => has_uncertainty(m),
        };
        let charts = match step {
            Some(s) if !s.charts.is_empty() => s.charts.clone(),
            _ => Vec::new(),
        };
        let (ron_head, ron_tail, ron_indent) = scenario_template(page);
        Ok(StepData {
            model,
            title: step.map(|s| s.title.clone()),
            caption: step.map(|s| s.caption.clone()),
            name: page.name.to_string(),
            notes: page.notes.to_string(),
            levers: page.levers.to_vec(),
            charts,
            by_segment: page.views.by_segment,
            bands,
            seed: page.monte_carlo.seed.to_string(),
            ron_head,
            ron_tail,
            ron_indent,
        })
    }
}

/// Every text the page's own controls show, by key, in both languages.
const STRINGS: &[(&str, Msg)] = &[
    ("levers", Msg::Levers),
    ("reset", Msg::Reset),
    ("resetTip", Msg::ResetTip),
    ("resetAll", Msg::ResetAll),
    ("default", Msg::DefaultMark),
    ("byElement", Msg::ByElement),
    ("variesByElement", Msg::VariesByElement),
    ("setPosition", Msg::SetPosition),
    ("scenario", Msg::Scenario),
    ("baseline", Msg::Baseline),
    ("baselineShort", Msg::PageBaselineShort),
    ("observed", Msg::Observed),
    ("target", Msg::Target),
    ("seriesBreak", Msg::SeriesBreak),
    ("projection", Msg::Projection),
    ("gap", Msg::Gap),
    ("required", Msg::Required),
    ("scenarioGrowth", Msg::ScenarioGrowth),
    ("from", Msg::From),
    ("perYear", Msg::PerYear),
    ("onTrack", Msg::OnTrack),
    ("offTrack", Msg::OffTrack),
    ("met", Msg::Met),
    ("missed", Msg::Missed),
    ("pastPlans", Msg::PastPlans),
    ("source", Msg::Source),
    ("year", Msg::Year),
    ("runProblem", Msg::RunProblem),
    ("calibrationLever", Msg::CalibrationLever),
    ("bySegment", Msg::BySegment),
    ("bands", Msg::ShowBands),
    ("band90", Msg::Band90),
    ("median", Msg::Median),
    ("step", Msg::Step),
    ("notes", Msg::Notes),
    ("download", Msg::PageDownload),
    ("downloadTip", Msg::PageDownloadTip),
    ("language", Msg::Language),
    ("previous", Msg::PagePrevious),
    ("next", Msg::PageNext),
    ("badFragment", Msg::PageBadFragment),
    ("outOfRange", Msg::PageOutOfRange),
    ("unknownLever", Msg::PageUnknownLever),
    ("bandsComputing", Msg::PageBandsComputing),
    ("bandsNote", Msg::PageBandsNote),
    ("offline", Msg::PageOffline),
    ("stepKeys", Msg::PageStepKeys),
    ("noTargets", Msg::BriefNoTargets),
    ("noScript", Msg::PageNoScript),
];

/// The whole page.
#[derive(Serialize)]
struct PageData {
    lang: &'static str,
    title: Text,
    /// A deck's title; `None` for one scenario.
    deck: Option<Text>,
    strings: BTreeMap<&'static str, Text>,
    models: Vec<ModelData>,
    steps: Vec<StepData>,
}

/// One scenario of the page (a deck's step).
#[derive(Serialize)]
struct StepData {
    model: usize,
    title: Option<Text>,
    caption: Option<Text>,
    name: String,
    notes: String,
    /// The scenario's lever values, in run order.
    levers: Vec<f64>,
    /// Chart ids to show (a deck step's); empty: the model's main charts.
    charts: Vec<String>,
    by_segment: bool,
    /// Whether the bands are on at first.
    bands: bool,
    /// The random functions' seed, as decimal text (a `u64`).
    seed: String,
    /// The scenario file as saved, cut where its lever values go.
    ron_head: String,
    ron_tail: String,
    ron_indent: String,
}

/// What the page needs of one model.
#[derive(Serialize)]
struct ModelData {
    name: Text,
    times: Vec<f64>,
    last_observed: i32,
    groups: Vec<GroupData>,
    /// The model's levers, as the lever panel groups them.
    model_levers: Vec<ModelLeverData>,
    /// The run's levers, in run order.
    levers: Vec<LeverData>,
    /// The run variables the page shows, by run index.
    series: BTreeMap<usize, SeriesData>,
    charts: Vec<ChartData>,
    sources: Vec<SourceData>,
    observations: Vec<ObservationData>,
    targets: Vec<TargetData>,
    breaks: Vec<BreakData>,
    uncertainty: Option<UncertaintyData>,
}

#[derive(Serialize)]
struct GroupData {
    id: String,
    label: Text,
}

#[derive(Serialize)]
struct ModelLeverData {
    id: String,
    label: Text,
    group: String,
    arrayed: bool,
    /// Its run levers: `start..end`.
    start: usize,
    end: usize,
    /// The positions for every element (those with no `at`).
    positions: Vec<PositionData>,
    calibration: bool,
}

#[derive(Serialize)]
struct LeverData {
    id: String,
    label: Text,
    unit: Text,
    description: Text,
    /// The element's label, for an element of an arrayed lever.
    element: Option<Text>,
    min: f64,
    max: f64,
    default: f64,
    step: f64,
    decimals: usize,
    positions: Vec<PositionData>,
    /// A calibrated parameter of the past rather than a policy choice.
    calibration: bool,
}

#[derive(Serialize)]
struct PositionData {
    label: Text,
    value: f64,
    source: Option<usize>,
}

#[derive(Serialize)]
struct SeriesData {
    id: String,
    label: Text,
    unit: Text,
    element: Option<Text>,
}

#[derive(Serialize)]
struct ChartData {
    id: String,
    title: Text,
    stacked: bool,
    detail: bool,
    series: Vec<usize>,
    /// The series breaks on its series (indices into `breaks`).
    breaks: Vec<usize>,
}

#[derive(Serialize, PartialEq)]
struct SourceData {
    title: String,
    date: String,
    url: Option<String>,
    note: Option<Text>,
}

#[derive(Serialize)]
struct ObservationData {
    var: usize,
    year: i32,
    value: f64,
    source: usize,
}

#[derive(Serialize)]
struct TargetData {
    var: usize,
    year: i32,
    value: f64,
    label: Text,
    source: usize,
    /// The target year is past the last observed year.
    future: bool,
    /// The target year among the saved times.
    time: usize,
    /// The latest usable observation before the target year: year, value,
    /// and its index among the saved times.
    last_observation: Option<(i32, f64, Option<usize>)>,
    /// The yearly growth the target requires from the last observation.
    required: Option<f64>,
}

#[derive(Serialize)]
struct BreakData {
    year: i32,
    note: Text,
    source: usize,
}

/// The Latin hypercube design of `model::mc`, drawn here so that the page
/// moves each sample with its lever exactly as the desktop does.
#[derive(Serialize)]
struct UncertaintyData {
    runs: usize,
    columns: Vec<ColumnData>,
}

#[derive(Serialize)]
struct ColumnData {
    lever: usize,
    /// The model lever's default, which the distribution is around.
    default: f64,
    lognormal: bool,
    /// Each run's draw, before it moves with the lever.
    base: Vec<f64>,
}

/// Sources numbered once each.
fn source_index(sources: &mut Vec<SourceData>, s: &Source) -> usize {
    let d = SourceData {
        title: s.title.clone(),
        date: s.date.clone(),
        url: s.url.clone(),
        note: s.note.clone(),
    };
    sources.iter().position(|x| *x == d).unwrap_or_else(|| {
        sources.push(d);
        sources.len() - 1
    })
}

/// What the page needs of `m`.
fn model_data(m: &CompiledModel) -> ModelData {
    let model = m.model();
    let mut sources = Vec::new();
    let mut groups: Vec<GroupData> = (model.groups.iter())
        .map(|g| GroupData {
            id: g.id.clone(),
            label: g.label.clone(),
        })
        .collect();
    for l in &model.levers {
        if !groups.iter().any(|g| g.id == l.group) {
            groups.push(GroupData {
                id: l.group.clone(),
                label: Text::new(&l.group, &l.group),
            });
        }
    }
    let mut position = |p: &crate::model::def::Position| PositionData {
        label: p.label.clone(),
        value: p.value,
        source: p.source.as_ref().map(|s| source_index(&mut sources, s)),
    };
    let model_levers = (model.levers.iter().enumerate())
        .map(|(k, l)| {
            let range = m.lever_elements(k);
            ModelLeverData {
                id: l.id.clone(),
                label: l.label.clone(),
                group: l.group.clone(),
                arrayed: !l.dimensions.is_empty(),
                start: range.start,
                end: range.end,
                positions: (l.positions.iter().filter(|p| p.at.is_none()))
                    .map(&mut position)
                    .collect(),
                calibration: l.calibration,
            }
        })
        .collect();
    let levers = (m.levers().iter().enumerate())
        .map(|(i, l)| LeverData {
            id: l.id.clone(),
            label: l.label.clone(),
            unit: l.unit.clone(),
            description: l.description.clone(),
            element: m.lever_series(i).element.clone(),
            min: l.min,
            max: l.max,
            default: l.default,
            step: l.step,
            decimals: step_decimals(l.step),
            positions: l.positions.iter().map(&mut position).collect(),
            calibration: l.calibration,
        })
        .collect();
    let (charts, breaks) = charts_data(m, &mut sources);
    let mut series = BTreeMap::new();
    let mut show = |v: usize| {
        series.entry(v).or_insert_with(|| {
            let s = m.series(v);
            SeriesData {
                id: s.id.clone(),
                label: s.label.clone(),
                unit: s.unit.clone(),
                element: s.element.clone(),
            }
        });
    };
    charts.iter().flat_map(|c| &c.series).for_each(|&v| show(v));
    let observations = (model.observations.iter())
        .filter_map(|o| {
            let var = m.var_index(&o.variable)?;
            show(var);
            Some(ObservationData {
                var,
                year: o.year,
                value: o.value,
                source: source_index(&mut sources, &o.source),
            })
        })
        .collect();
    let targets = targets_data(m, &mut sources);
    targets.iter().for_each(|t| show(t.var));
    ModelData {
        name: model.name.clone(),
        times: m.times().to_vec(),
        last_observed: model.last_observed_year,
        groups,
        model_levers,
        levers,
        series,
        charts,
        sources,
        observations,
        targets,
        breaks,
        uncertainty: uncertainty_data(m),
    }
}

/// Every chart of the model (main and detail) with the breaks on it.
fn charts_data(
    m: &CompiledModel,
    sources: &mut Vec<SourceData>,
) -> (Vec<ChartData>, Vec<BreakData>) {
    let model = m.model();
    let breaks = (model.series_breaks.iter())
        .map(|b| BreakData {
            year: b.year,
            note: b.note.clone(),
            source: source_index(sources, &b.source),
        })
        .collect();
    let charts = (m.charts().iter())
        .map(|c| {
            let series = m.chart_series(&c.series);
            let breaks = (model.series_breaks.iter().enumerate())
                .filter(|(_, b)| series.iter().any(|&v| b.on(&m.series(v).id)))
                .map(|(i, _)| i)
                .collect();
            ChartData {
                id: c.id.clone(),
                title: c.title.clone(),
                stacked: c.stacked,
                detail: c.detail,
                series,
                breaks,
            }
        })
        .filter(|c| !c.series.is_empty())
        .collect();
    (charts, breaks)
}

/// The model's targets, with what their cards compute from a run; as in
/// `model::targets`, a target whose variable or year the run lacks is
/// left out.
fn targets_data(m: &CompiledModel, sources: &mut Vec<SourceData>) -> Vec<TargetData> {
    let model = m.model();
    let times = m.times();
    (model.targets.iter())
        .filter_map(|t| {
            let var = m.var_index(&t.variable)?;
            let time = time_index(times, f64::from(t.year))?;
            let last = (model.observations.iter())
                .filter(|o| o.variable == t.variable && o.year < t.year && o.fit != Some(false))
                .max_by_key(|o| o.year)
                .map(|o| (o.year, o.value, time_index(times, f64::from(o.year))));
            let required = last.and_then(|(y0, v0, _)| {
                crate::model::targets::yearly_growth(v0, t.value, t.year - y0)
            });
            Some(TargetData {
                var,
                year: t.year,
                value: t.value,
                label: t.label.clone(),
                source: source_index(sources, &t.source),
                future: t.year > model.last_observed_year,
                time,
                last_observation: last,
                required,
            })
        })
        .collect()
}

/// The Monte Carlo design's draws, for [`PAGE_RUNS`] runs, when levers are
/// uncertain. Each draw is taken at the model lever's default, where it is
/// not moved, so that the page moves it with the lever as `model::mc` does.
fn uncertainty_data(m: &CompiledModel) -> Option<UncertaintyData> {
    if !has_uncertainty(m) {
        return None;
    }
    let design = Design::new(m, m.seed(), PAGE_RUNS);
    let uncertain = design.uncertain_levers();
    let mut at_default = m.default_levers();
    for &i in &uncertain {
        at_default[i] = m.model().levers[m.lever_series(i).lever].default;
    }
    let mut columns: Vec<ColumnData> = (uncertain.iter())
        .map(|&i| ColumnData {
            lever: i,
            default: at_default[i],
            lognormal: matches!(
                m.levers()[i].uncertainty,
                Some(Distribution::LogNormal { .. })
            ),
            base: Vec::with_capacity(PAGE_RUNS),
        })
        .collect();
    let mut sample = vec![0.0; at_default.len()];
    for k in 0..PAGE_RUNS {
        design.sample(k, &at_default, &mut sample);
        for c in &mut columns {
            c.base.push(sample[c.lever]);
        }
    }
    Some(UncertaintyData {
        runs: PAGE_RUNS,
        columns,
    })
}

/// A key no lever has (ids are identifiers), marking where the lever
/// values go.
const LEVERS_MARK: &str = "<levers>";

/// The scenario file of `page` as the desktop saves it, cut where its
/// lever values go: the text before them, after them, and their indent.
fn scenario_template(page: &Page) -> (String, String, String) {
    let mut s = scenario::from_document(
        page.model,
        page.levers,
        page.name,
        page.notes,
        page.views.clone(),
        page.monte_carlo,
    );
    s.levers = BTreeMap::from([(LEVERS_MARK.to_string(), 0.0)]);
    let text = scenario::to_ron(&s);
    // RON writes every string on one line with its quotes escaped: only
    // the key's own line starts with `"<levers>":`.
    let key = format!("\"{LEVERS_MARK}\":");
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(&key) {
            let indent: String = line.chars().take_while(|c| *c == ' ').collect();
            let tail = text[at + line.len()..].to_string();
            return (text[..at].to_string(), tail, indent);
        }
        at += line.len();
    }
    (text, String::new(), String::new())
}

/// The page: template, style, data, models and script.
fn write(
    lang: Lang,
    title: &Text,
    deck: Option<&Text>,
    steps: Vec<StepData>,
    models: Models,
) -> Result<String, PublishError> {
    let strings = (STRINGS.iter())
        .map(|&(k, msg)| (k, Text::new(tr(Lang::Fr, msg), tr(Lang::En, msg))))
        .collect();
    let data = PageData {
        lang: lang_code(lang),
        title: title.clone(),
        deck: deck.cloned(),
        strings,
        models: models.data,
        steps,
    };
    // `<` only ever appears inside JSON strings: escaped, no `</script>`
    // in a note can end the block.
    let json = serde_json::to_string(&data)
        .expect("the page's data always serialises")
        .replace('<', "\\u003c");
    let mut js = String::from("const TRAJECTOIRE_MODELS = [\n");
    for m in &models.js {
        js.push('(');
        js.push_str(m);
        js.push_str("),\n");
    }
    js.push_str("];\n");
    Ok(fill(
        TEMPLATE,
        &[
            ("LANG", lang_code(lang)),
            ("TITLE", &escape(title.get(lang))),
            ("NOSCRIPT", &escape(tr(lang, Msg::PageNoScript))),
            ("STYLE", STYLE),
            ("DATA", &json),
            ("MODELS", &js),
            ("SCRIPT", SCRIPT),
        ],
    ))
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// `template` with each `{{KEY}}` replaced, in one pass over the template
/// only (a value that contains `{{...}}` is left as it is).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find("}}").map(|end| (&after[..end], end)) {
            Some((key, end)) if values.iter().any(|(k, _)| *k == key) => {
                let value = values.iter().find(|(k, _)| *k == key).map_or("", |v| v.1);
                out.push_str(value);
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text for HTML: `&`, `<`, `>` and `"` escaped.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_only_the_template_keys() {
        let out = fill("a{{X}}b{{Y}}c{{Z}}", &[("X", "{{Y}}"), ("Y", "2")]);
        assert_eq!(out, "a{{Y}}b2c{{Z}}");
    }

    #[test]
    fn the_scenario_is_cut_where_its_levers_go() {
        let m = crate::model::load::default_model();
        let levers = m.default_levers();
        let page = Page {
            model: &m,
            levers: &levers,
            name: "A \"quoted\" name",
            notes: "\n    \"<levers>\": 0.0,",
            views: Views::default(),
            monte_carlo: MonteCarlo::default(),
        };
        let (head, tail, indent) = scenario_template(&page);
        assert!(head.trim_end().ends_with("levers: {"), "{head}");
        assert!(tail.trim_start().starts_with('}'), "{tail}");
        assert_eq!(indent, "        ");
    }
}
