//! New observations merged into a model: which are new, which replace an
//! observation of the same variable and year (with the old value and the
//! new), and the model with them in it. What File > Import observations…
//! shows before it applies, and what it applies.

use super::def::{Model, Observation};

/// An existing observation an imported one replaces.
#[derive(Clone, Debug, PartialEq)]
pub struct Replaced {
    pub variable: String,
    pub year: i32,
    pub old: f64,
    pub new: f64,
}

/// What merging a set of observations into a model does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergePlan {
    /// Observations of a variable and year the model has none of.
    pub added: usize,
    /// Existing observations replaced, in the order of the new ones.
    pub replaced: Vec<Replaced>,
}

/// What merging `new` into `model` would do. An observation replaces every
/// existing one of the same variable (`jobs`, `jobs[crm]`) and year,
/// whatever its definition.
pub fn plan(model: &Model, new: &[Observation]) -> MergePlan {
    let mut p = MergePlan::default();
    for n in new {
        let old: Vec<&Observation> = model
            .observations
            .iter()
            .filter(|o| same_point(o, n))
            .collect();
        if old.is_empty() {
            p.added += 1;
        }
        p.replaced.extend(old.into_iter().map(|o| Replaced {
            variable: n.variable.clone(),
            year: n.year,
            old: o.value,
            new: n.value,
        }));
    }
    p
}

/// `model` with `new` merged in: each replaces the existing observations of
/// its variable and year, taking the first one's place; the others are
/// added after the model's own, in their order.
pub fn merge(model: &Model, new: &[Observation]) -> Model {
    let mut m = model.clone();
    let mut kept: Vec<Observation> = Vec::with_capacity(m.observations.len() + new.len());
    let mut placed = vec![false; new.len()];
    for o in m.observations.drain(..) {
        match new.iter().position(|n| same_point(&o, n)) {
            Some(k) if !placed[k] => {
                kept.push(new[k].clone());
                placed[k] = true;
            }
            Some(_) => {}
            None => kept.push(o),
        }
    }
    kept.extend(
        new.iter()
            .zip(&placed)
            .filter(|(_, p)| !**p)
            .map(|(n, _)| n.clone()),
    );
    m.observations = kept;
    m
}

fn same_point(a: &Observation, b: &Observation) -> bool {
    a.variable == b.variable && a.year == b.year
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::def::Source;

    fn obs(variable: &str, year: i32, value: f64, title: &str) -> Observation {
        Observation {
            variable: variable.into(),
            year,
            value,
            source: Source {
                title: title.into(),
                ..Source::default()
            },
            definition: None,
            fit: None,
        }
    }

    #[test]
    fn new_observations_are_added_and_the_same_point_is_replaced_in_place() {
        let mut m = crate::model::templates::Template::Blank
            .model()
            .model()
            .clone();
        m.observations = vec![
            obs("a", 2020, 1.0, "old"),
            obs("a", 2021, 2.0, "old"),
            obs("a", 2021, 2.5, "old, another definition"),
            obs("b", 2021, 3.0, "old"),
        ];
        let new = [obs("a", 2021, 20.0, "new"), obs("a", 2022, 30.0, "new")];
        let p = plan(&m, &new);
        assert_eq!(p.added, 1);
        assert_eq!(
            p.replaced,
            [
                Replaced {
                    variable: "a".into(),
                    year: 2021,
                    old: 2.0,
                    new: 20.0
                },
                Replaced {
                    variable: "a".into(),
                    year: 2021,
                    old: 2.5,
                    new: 20.0
                }
            ]
        );
        let merged = merge(&m, &new);
        let got: Vec<(&str, i32, f64)> = merged
            .observations
            .iter()
            .map(|o| (o.variable.as_str(), o.year, o.value))
            .collect();
        assert_eq!(
            got,
            [
                ("a", 2020, 1.0),
                ("a", 2021, 20.0),
                ("b", 2021, 3.0),
                ("a", 2022, 30.0)
            ]
        );
        assert_eq!(merged.observations[1].source.title, "new");
        assert_eq!(
            m.observations.len(),
            4,
            "the model merged into is unchanged"
        );
    }
}
