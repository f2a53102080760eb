//! What each node of the map shows of the run: its value at the map's time
//! (with its unit) and its trajectory as a sparkline, read from the
//! document's run every frame so the map follows a lever as it moves.

use crate::app::view::Cx;
use crate::model::structure::{Graph, NodeKind};

/// Points in a sparkline: enough for a shape, few enough for 300 nodes.
const SPARK_POINTS: usize = 32;

/// One node's live reading.
#[derive(Clone, Debug, Default)]
pub struct NodeValue {
    /// The value with its unit, in the window's language; empty when the
    /// run has none (a failed run).
    pub text: String,
    /// The value itself, for a flow's thickness.
    pub value: f64,
    /// The trajectory scaled to 0..1 (flat at 0.5 when constant); empty
    /// for levers.
    pub spark: Vec<f32>,
}

/// The readings of every node, and the time they are read at.
pub struct Values {
    pub nodes: Vec<NodeValue>,
    pub time: f64,
}

/// Every node's reading at the map's time: the first target's year, else
/// the run's last time.
pub fn of(cx: &Cx, g: &Graph) -> Values {
    let doc = cx.doc;
    let m = doc.model.model();
    let times = doc.run.times();
    let time = m
        .targets
        .first()
        .map(|t| f64::from(t.year))
        .filter(|t| doc.run.time_index(*t).is_some())
        .or(times.last().copied())
        .unwrap_or(0.0);
    let nodes = g
        .nodes
        .iter()
        .map(|n| match n.kind {
            NodeKind::Lever => lever_value(cx, &n.id),
            _ => variable_value(cx, &n.id, time),
        })
        .collect();
    Values { nodes, time }
}

/// A lever's value (its first element's, for an arrayed lever).
fn lever_value(cx: &Cx, id: &str) -> NodeValue {
    let doc = cx.doc;
    let Some(k) = doc.model.model().levers.iter().position(|l| l.id == id) else {
        return NodeValue::default();
    };
    let Some(i) = doc.model.lever_elements(k).next() else {
        return NodeValue::default();
    };
    let value = doc.levers.get(i).copied().unwrap_or(f64::NAN);
    let unit = doc.model.model().levers[k].unit.get(cx.lang);
    NodeValue {
        text: with_unit(cx, value, unit),
        value,
        spark: Vec::new(),
    }
}

/// A variable's value at `time` and its trajectory: an arrayed variable's
/// elements summed where they add up, else its first element's.
fn variable_value(cx: &Cx, id: &str, time: f64) -> NodeValue {
    let doc = cx.doc;
    let m = doc.model.model();
    let Some(v) = m.variable(id) else {
        return NodeValue::default();
    };
    let range = doc.model.var_range(id);
    let sum = !v.dimensions.is_empty() && m.adds_up(v);
    let elements = if sum {
        range
    } else {
        range.start..range.start.saturating_add(1).min(range.end)
    };
    let mut series = vec![0.0; doc.run.times().len()];
    for e in elements {
        for (x, y) in series.iter_mut().zip(doc.run.series(e)) {
            *x += y;
        }
    }
    let value = doc
        .run
        .time_index(time)
        .and_then(|k| series.get(k).copied())
        .unwrap_or(f64::NAN);
    // A year (a date in years, such as a policy's first year) reads as
    // one: 2025, not 2,025.
    let date = v.unit_expr == "year" && value.fract() == 0.0 && (1000.0..=3000.0).contains(&value);
    let text = if date {
        format!("{value}")
    } else {
        with_unit(cx, value, v.unit.get(cx.lang))
    };
    NodeValue {
        text,
        value,
        spark: spark(&series),
    }
}

fn with_unit(cx: &Cx, value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let x = crate::numfmt::fmt_auto(cx.lang, value);
    match unit {
        "" => x,
        u => format!("{x}\u{a0}{u}"),
    }
}

/// `series` sampled to [`SPARK_POINTS`] and scaled to 0..1.
fn spark(series: &[f64]) -> Vec<f32> {
    if series.len() < 2 || series.iter().any(|x| !x.is_finite()) {
        return Vec::new();
    }
    let n = SPARK_POINTS.min(series.len());
    let pick = |k: usize| series[k * (series.len() - 1) / (n - 1)];
    let (lo, hi) = series
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let span = hi - lo;
    (0..n)
        .map(|k| {
            if span <= f64::EPSILON * hi.abs().max(1.0) {
                0.5
            } else {
                ((pick(k) - lo) / span) as f32
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::spark;

    #[test]
    fn a_sparkline_spans_zero_to_one_and_a_constant_is_flat() {
        let s = spark(&[1.0, 2.0, 3.0]);
        assert_eq!(s, [0.0, 0.5, 1.0]);
        assert_eq!(spark(&[4.0; 100]), [0.5; 32]);
        assert!(spark(&[1.0]).is_empty());
        assert!(spark(&[1.0, f64::NAN]).is_empty());
    }
}
