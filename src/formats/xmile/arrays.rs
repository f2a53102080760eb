//! XMILE's arrays (XMILE 3.7 and 4.5) read into ours: the `<dimensions>`
//! of the file, each entity's own `<dimensions>`, and the equations of its
//! `<element>`s (non-apply-to-all arrays) as `by_element` entries.
//! Numbered dimensions (`size`), arrayed graphical functions and levers
//! are refused with their line and column.

use std::collections::HashMap;

use roxmltree::Node;

use super::XmileError;
use super::translate::Arrays;
use super::xml::{Prepared, child, children, is_xmile};
use crate::formats::sd_common::names::{Ids, canonical, label};
use crate::model::def::{Dimension, Element, Text};

/// The file's dimensions, and what equations need to name their elements.
pub fn dimensions(p: &Prepared, root: Node) -> Result<(Vec<Dimension>, Arrays), XmileError> {
    let mut out = Vec::new();
    let mut arrays = Arrays::default();
    let Some(dims) = children(root).find(|c| is_xmile(*c) && c.tag_name().name() == "dimensions")
    else {
        return Ok((out, arrays));
    };
    let mut ids = Ids::default();
    for d in children(dims).filter(|c| c.tag_name().name() == "dim") {
        let name = d.attribute("name").unwrap_or("");
        if d.attribute("size").is_some() {
            return Err(XmileError::unsupported(
                "numbered dimensions (<dim size=…>) are not supported yet",
                p.node_pos(d),
            ));
        }
        let id = ids.assign(&canonical(name));
        let mut element_ids = Ids::default();
        let mut elements = Vec::new();
        let mut by_name = HashMap::new();
        for e in children(d).filter(|c| c.tag_name().name() == "elem") {
            let ename = e.attribute("name").unwrap_or("");
            let key = canonical(ename);
            if by_name.contains_key(&key) {
                let msg = format!(
                    "dimension `{}` has the element `{ename}` twice",
                    label(name)
                );
                return Err(XmileError::invalid(msg, p.node_pos(e)));
            }
            let eid = element_ids.assign(&key);
            by_name.insert(key, eid.clone());
            let l = label(ename);
            elements.push(Element {
                id: eid,
                label: Text::new(l.clone(), l),
            });
        }
        if elements.is_empty() {
            let msg = format!("dimension `{}` has no element", label(name));
            return Err(XmileError::invalid(msg, p.node_pos(d)));
        }
        arrays.dims.insert(canonical(name), id.clone());
        arrays.elements.insert(id.clone(), by_name);
        let l = label(name);
        out.push(Dimension {
            id,
            label: Text::new(l.clone(), l),
            elements,
            subrange_of: None,
        });
    }
    Ok((out, arrays))
}

/// The dimensions an entity is over (its `<dimensions>`), by id.
pub fn entity_dims(p: &Prepared, node: Node, arrays: &Arrays) -> Result<Vec<String>, XmileError> {
    let Some(dims) = child(node, "dimensions") else {
        return Ok(Vec::new());
    };
    children(dims)
        .filter(|c| c.tag_name().name() == "dim")
        .map(|c| {
            let name = c.attribute("name").unwrap_or("");
            arrays.dims.get(&canonical(name)).cloned().ok_or_else(|| {
                let msg = format!("`{}` is not a dimension of this model", label(name));
                XmileError::invalid(msg, p.node_pos(c))
            })
        })
        .collect()
}

/// An `<element subscript="a, b">`'s subscripts as our `at`: the element
/// ids of each of the entity's dimensions, comma-separated.
pub fn at(
    p: &Prepared,
    element: Node,
    dims: &[String],
    arrays: &Arrays,
) -> Result<String, XmileError> {
    let subscript = element.attribute("subscript").unwrap_or("");
    let parts: Vec<&str> = subscript.split(',').map(str::trim).collect();
    let pos = || p.node_pos(element);
    if parts.len() != dims.len() {
        let msg = format!(
            "`{subscript}` names {} elements for {} dimensions",
            parts.len(),
            dims.len()
        );
        return Err(XmileError::invalid(msg, pos()));
    }
    let ids: Vec<String> = parts
        .iter()
        .zip(dims)
        .map(|(s, d)| {
            let found = arrays.elements.get(d).and_then(|e| e.get(&canonical(s)));
            found.cloned().ok_or_else(|| {
                XmileError::invalid(format!("`{s}` is not an element of `{d}`"), pos())
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(ids.join(","))
}

/// The elements (as `at`: ids comma-separated) of an entity over `dims`
/// that `given` does not name, in the dimensions' order.
pub fn missing_elements(dims: &[String], arrays: &Arrays, given: &[&str]) -> Vec<String> {
    let mut combos = vec![String::new()];
    for d in dims {
        let mut ids: Vec<&String> = arrays
            .elements
            .get(d)
            .map_or(Vec::new(), |e| e.values().collect());
        ids.sort();
        ids.dedup();
        combos = combos
            .iter()
            .flat_map(|c| {
                ids.iter().map(move |e| match c.is_empty() {
                    true => e.to_string(),
                    false => format!("{c},{e}"),
                })
            })
            .collect();
    }
    combos.retain(|c| !given.contains(&c.as_str()));
    combos
}

/// A list of numbers as an arrayed equation (`1, 2, 3`: one per element,
/// a vendor's form XMILE's examples use), kept as our list.
pub fn number_list(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let ok = parts.len() > 1
        && parts
            .iter()
            .all(|p| p.parse::<f64>().is_ok_and(f64::is_finite));
    ok.then(|| parts.join(", "))
}

/// Where an entity's `<element>`s are, with no element holding a
/// graphical function (not supported yet).
pub fn elements<'a, 'i>(p: &Prepared, node: Node<'a, 'i>) -> Result<Vec<Node<'a, 'i>>, XmileError> {
    let els: Vec<Node> = children(node)
        .filter(|c| c.tag_name().name() == "element")
        .collect();
    for e in &els {
        if child(*e, "gf").is_some() {
            return Err(XmileError::unsupported(
                "arrayed graphical functions (<element><gf>) are not supported yet",
                p.node_pos(*e),
            ));
        }
    }
    Ok(els)
}

/// The file's `<model_units>` (XMILE 3.x): each `<unit name>` with its
/// `<eqn>` (another unit expression; one that does not read as ours is
/// left out, so that the unit is a base of its own) and `<alias>`es.
pub fn model_units(root: Node) -> Vec<crate::model::def::UnitDef> {
    let Some(units) = children(root).find(|c| is_xmile(*c) && c.tag_name().name() == "model_units")
    else {
        return Vec::new();
    };
    children(units)
        .filter(|u| u.tag_name().name() == "unit")
        .filter_map(|u| {
            let name = u.attribute("name")?.trim().to_string();
            let text = |n: Node| n.text().unwrap_or("").trim().to_string();
            let equation = child(u, "eqn").map(text).unwrap_or_default();
            let equation = crate::formats::sd_common::build::unit_expr(&equation);
            let aliases = children(u)
                .filter(|a| a.tag_name().name() == "alias")
                .map(text)
                .filter(|a| !a.is_empty())
                .collect();
            (!name.is_empty()).then_some(crate::model::def::UnitDef {
                name,
                equation,
                scale: 1.0,
                aliases,
            })
        })
        .collect()
}
