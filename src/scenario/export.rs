//! The shown series as CSV, in long form: one row per value, so that
//! scenario, baseline, compared scenarios and observations sit in one table.

use crate::model::{CompiledModel, Lang, Run};

/// A run to export under a series name (`scenario`, `baseline`, a compared
/// scenario's name), with the model it came from.
pub struct Series<'a> {
    pub name: &'a str,
    pub model: &'a CompiledModel,
    pub run: &'a Run,
}

fn field(s: &str) -> std::borrow::Cow<'_, str> {
    crate::io::delimited::field(s, crate::io::delimited::Separator::Comma)
}

/// `series,variable,year,value,unit,source` for each variable in `variables`
/// (ids of the first series' model), every year of each run, then every
/// observation of those variables.
pub fn to_csv(series: &[Series<'_>], variables: &[String], lang: Lang) -> String {
    let time = series
        .first()
        .map_or("year", |s| s.model.model().time.unit.id());
    let mut out = format!("series,variable,{time},value,unit,source\n");
    let Some(first) = series.first() else {
        return out;
    };
    let m = first.model.model();
    for s in series {
        for id in variables {
            let Some(vi) = s.model.var_index(id) else {
                continue;
            };
            let unit = s.model.series(vi).unit.get(lang);
            for (&t, value) in s.run.times().iter().zip(s.run.series(vi)) {
                out.push_str(&format!(
                    "{},{},{},{value},{},\n",
                    field(s.name),
                    field(id),
                    crate::numfmt::time(t),
                    field(unit)
                ));
            }
        }
    }
    for o in &m.observations {
        if !variables.contains(&o.variable) {
            continue;
        }
        let unit = m.variable(&o.variable).map_or("", |v| v.unit.get(lang));
        let source = if o.source.date.is_empty() {
            o.source.title.clone()
        } else {
            format!("{} ({})", o.source.title, o.source.date)
        };
        out.push_str(&format!(
            "observed,{},{},{},{},{}\n",
            field(&o.variable),
            o.year,
            o.value,
            field(unit),
            field(&source)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::default_model;

    #[test]
    fn long_form_with_quoting() {
        let m = default_model();
        let base = m.run(&m.default_levers());
        let more = m.run(
            &m.levers_with([("training_output[digital]", 120_000.0)])
                .unwrap(),
        );
        let csv = to_csv(
            &[
                Series {
                    name: "scenario",
                    model: &m,
                    run: &more,
                },
                Series {
                    name: "baseline",
                    model: &m,
                    run: &base,
                },
            ],
            &["jobs".to_string()],
            Lang::En,
        );
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "series,variable,year,value,unit,source");
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.starts_with("scenario,jobs,"))
                .count(),
            23,
            "a row a year, 2013 to 2035"
        );
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.starts_with("baseline,jobs,"))
                .count(),
            23
        );
        let obs: Vec<&&str> = lines
            .iter()
            .filter(|l| l.starts_with("observed,jobs,2024,148500"))
            .collect();
        assert!(!obs.is_empty());
        // A source with a comma is quoted.
        assert!(
            csv.contains("\"Oxford Business Group, The Report: Morocco 2013 (2013)\""),
            "{csv}"
        );
        let row = lines
            .iter()
            .find(|l| l.starts_with("scenario,jobs,2030,"))
            .unwrap();
        let v: f64 = row.split(',').nth(3).unwrap().parse().unwrap();
        assert_eq!(v, more.value(m.var_index("jobs").unwrap(), 2030).unwrap());
    }
}
