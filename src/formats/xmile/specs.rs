//! The clock (`<sim_specs>`, XMILE 2.3 and 3.4) and the non-negative
//! behaviour (`<behavior>`, XMILE 2.6), each given for the file and
//! overridden by the model.

use roxmltree::Node;

use super::xml::{Prepared, child, child_text};
use super::{Pos, XmileError};
use crate::formats::sd_common::build::time_unit;
use crate::model::def::{Method, TimeSpec, TimeUnit};

/// The clock of the imported model.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    pub time: TimeSpec,
    pub start: i32,
    pub stop: i32,
}

/// Reads `<sim_specs>`: each setting from the model's own, else the file's.
pub fn clock(p: &Prepared, root: Node, model: Node) -> Result<Clock, XmileError> {
    let specs: Vec<Node> = [child(model, "sim_specs"), child(root, "sim_specs")]
        .into_iter()
        .flatten()
        .collect();
    let Some(&first) = specs.first() else {
        return Err(XmileError::invalid(
            "the file has no <sim_specs>: it needs at least a start and a stop time",
            p.node_pos(root),
        ));
    };
    let element = |name: &str| specs.iter().find_map(|s| child(*s, name));
    let attr = |name: &str| specs.iter().find_map(|s| s.attribute(name));
    let start = whole_time(p, element("start"), "start", first)?;
    let stop = whole_time(p, element("stop"), "stop", first)?;
    let mut time = TimeSpec::default();
    if let Some(dt) = element("dt") {
        time.dt = number(p, dt, "<dt>")?;
        time.dt_reciprocal = dt
            .attribute("reciprocal")
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("true"));
        if time.dt <= 0.0 {
            return Err(XmileError::invalid(
                format!("the time step <dt> must be positive, not {}", time.dt),
                p.node_pos(dt),
            ));
        }
    }
    if let Some(m) = attr("method") {
        time.method = method(m).ok_or_else(|| {
            XmileError::unsupported(
                format!("the integration method `{m}` is not supported (Euler and RK4 are)"),
                p.node_pos(first),
            )
        })?;
    }
    time.unit = attr("time_units").map_or(TimeUnit::Year, time_unit);
    Ok(Clock { time, start, stop })
}

/// A `<start>` or `<stop>`: a whole number, which our years are.
fn whole_time(
    p: &Prepared,
    node: Option<Node>,
    what: &str,
    specs: Node,
) -> Result<i32, XmileError> {
    let Some(node) = node else {
        return Err(XmileError::invalid(
            format!("<sim_specs> has no <{what}> time"),
            p.node_pos(specs),
        ));
    };
    let t = number(p, node, &format!("<{what}>"))?;
    if t.fract() != 0.0 || t.abs() > 1e9 {
        return Err(XmileError::unsupported(
            format!(
                "the {what} time {t} is not a whole number: Trajectoire runs models from a whole \
                 start time to a whole stop time (in the model's time unit)"
            ),
            p.node_pos(node),
        ));
    }
    Ok(t as i32)
}

/// The number an element holds, blanks around it allowed.
pub fn number(p: &Prepared, node: Node, what: &str) -> Result<f64, XmileError> {
    let text = node.text().unwrap_or("").trim();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(XmileError::invalid(
            format!("{what} should hold a number, not `{text}`"),
            p.node_pos(node),
        )),
    }
}

/// The first method of a list (`"gear, rk4"` asks for gear, else RK4)
/// that we have.
fn method(list: &str) -> Option<Method> {
    list.split(',')
        .find_map(|m| match m.trim().to_ascii_lowercase().as_str() {
            "euler" => Some(Method::Euler),
            "rk4" => Some(Method::Rk4),
            _ => None,
        })
}

/// Which kinds of entity are non-negative unless they say otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Behavior {
    pub stocks: bool,
    pub flows: bool,
}

/// The file's `<behavior>`, then the model's over it.
pub fn behavior(p: &Prepared, root: Node, model: Node) -> Result<Behavior, XmileError> {
    let mut b = Behavior::default();
    for node in [child(root, "behavior"), child(model, "behavior")]
        .into_iter()
        .flatten()
    {
        if let Some(all) = non_negative(p, node)? {
            b = Behavior {
                stocks: all,
                flows: all,
            };
        }
        if let Some(s) = child(node, "stock")
            .map(|s| non_negative(p, s))
            .transpose()?
            .flatten()
        {
            b.stocks = s;
        }
        if let Some(f) = child(node, "flow")
            .map(|f| non_negative(p, f))
            .transpose()?
            .flatten()
        {
            b.flows = f;
        }
    }
    Ok(b)
}

/// `node`'s `<non_negative>` flag: `<non_negative/>` or `true` is on,
/// `false` off (case and blanks ignored); `None` without one.
pub fn non_negative(p: &Prepared, node: Node) -> Result<Option<bool>, XmileError> {
    let Some(text) = child_text(node, "non_negative") else {
        return Ok(None);
    };
    match text.to_ascii_lowercase().as_str() {
        "" | "true" => Ok(Some(true)),
        "false" => Ok(Some(false)),
        _ => Err(XmileError::invalid(
            format!("<non_negative> should be empty, true or false, not `{text}`"),
            child(node, "non_negative").map_or(Pos::default(), |n| p.node_pos(n)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_units() {
        assert_eq!(method("RK4"), Some(Method::Rk4));
        assert_eq!(method("gear, rk4"), Some(Method::Rk4));
        assert_eq!(method("rk2"), None);
        assert_eq!(time_unit("Months"), TimeUnit::Month);
        assert_eq!(time_unit("qtr"), TimeUnit::Quarter);
        assert_eq!(time_unit("Time"), TimeUnit::Year);
    }
}
