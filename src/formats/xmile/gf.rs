//! Graphical functions (XMILE 3.1.4, 4.1.3) as our lookups: `<ypts>`, and
//! x either listed (`<xpts>`) or spread evenly over `<xscale>`; the lists
//! split on `sep` (a comma by default); `type` continuous, extrapolate or
//! discrete.

use roxmltree::Node;

use super::XmileError;
use super::xml::{Prepared, child};
use crate::model::def::{Lookup, LookupMode, Text};

/// The lookup `id` that the `<gf>` element `gf` describes.
pub fn lookup(p: &Prepared, gf: Node, id: &str, description: Text) -> Result<Lookup, XmileError> {
    let mode = mode(p, gf)?;
    let Some(ypts) = child(gf, "ypts") else {
        return Err(XmileError::invalid(
            "the graphical function has no <ypts>",
            p.node_pos(gf),
        ));
    };
    let ys = list(p, ypts)?;
    let xs = match (child(gf, "xpts"), child(gf, "xscale")) {
        (Some(xpts), _) => list(p, xpts)?,
        (None, Some(xscale)) => spread(p, xscale, ys.len())?,
        (None, None) => {
            return Err(XmileError::invalid(
                "the graphical function has neither <xpts> nor <xscale>",
                p.node_pos(gf),
            ));
        }
    };
    if xs.len() != ys.len() || ys.is_empty() {
        return Err(XmileError::invalid(
            format!(
                "the graphical function has {} x values and {} y values: it needs as many of each, at least one",
                xs.len(),
                ys.len()
            ),
            p.node_pos(ypts),
        ));
    }
    if let Some(w) = xs.windows(2).find(|w| w[1] <= w[0]) {
        return Err(XmileError::invalid(
            format!(
                "the x values of a graphical function must increase: {} comes after {}",
                w[1], w[0]
            ),
            p.node_pos(child(gf, "xpts").unwrap_or(gf)),
        ));
    }
    Ok(Lookup {
        id: id.to_string(),
        points: xs.into_iter().zip(ys).collect(),
        description,
        mode,
        unit_expr: String::new(),
        input_unit_expr: String::new(),
        dimensions: Vec::new(),
        by_element: Vec::new(),
    })
}

fn mode(p: &Prepared, gf: Node) -> Result<LookupMode, XmileError> {
    let Some(t) = gf.attribute("type") else {
        return Ok(LookupMode::Continuous);
    };
    match t.trim().to_ascii_lowercase().as_str() {
        "continuous" | "" => Ok(LookupMode::Continuous),
        "extrapolate" => Ok(LookupMode::Extrapolate),
        "discrete" => Ok(LookupMode::Discrete),
        _ => Err(XmileError::invalid(
            format!(
                "a graphical function's type is continuous, extrapolate or discrete, not `{t}`"
            ),
            p.node_pos(gf),
        )),
    }
}

/// The numbers of `<xpts>` or `<ypts>`, split on its `sep`.
fn list(p: &Prepared, node: Node) -> Result<Vec<f64>, XmileError> {
    let sep = node
        .attribute("sep")
        .filter(|s| !s.is_empty())
        .unwrap_or(",");
    let text = node.text().unwrap_or("");
    text.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(XmileError::invalid(
                format!("`{s}` in <{}> is not a number", node.tag_name().name()),
                p.node_pos(node),
            )),
        })
        .collect()
}

/// `n` x values from the `<xscale>`'s min to its max, evenly spaced.
fn spread(p: &Prepared, xscale: Node, n: usize) -> Result<Vec<f64>, XmileError> {
    let bound = |name: &str| {
        xscale
            .attribute(name)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                XmileError::invalid(
                    format!("<xscale> needs a number as its `{name}`"),
                    p.node_pos(xscale),
                )
            })
    };
    let (min, max) = (bound("min")?, bound("max")?);
    if n == 1 {
        return Ok(vec![min]);
    }
    let step = (max - min) / (n - 1) as f64;
    Ok((0..n)
        .map(|i| {
            if i == n - 1 {
                max
            } else {
                min + step * i as f64
            }
        })
        .collect())
}
