//! The model's own diagram (XMILE 1.0, 6: `<views>`), read as the model
//! map's places: where the first stock-and-flow view draws each stock,
//! flow and auxiliary, as the centre of its node (points, y downwards, as
//! our map).
//!
//! Positions (5.1.2, as simlin reads them and as Stella and xmutil write
//! them): `x` and `y` are the object's centre; an object given a `width`
//! and a `height` is placed by its top-left corner, so its centre is half
//! of each further. `write.rs` writes centres, without sizes, so a place
//! comes back as it went.
//!
//! The views are decoration: an element without a name of the model, or
//! without numbers for `x` and `y`, is skipped, never an error; the other
//! elements (connectors, aliases, groups, text, a flow's pipe) are not
//! read. One pass over the view, one look-up per element.

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

use super::xml::{child, children};
use crate::formats::sd_common::names::canonical;
use crate::model::def::Place;

/// The places the first stock-and-flow view of `model` (its `<model>`
/// element) gives, in the view's order. `ids` maps each stock's, flow's
/// and auxiliary's canonical name to its id in our model.
pub fn places(model: Node, ids: &HashMap<String, String>) -> Vec<Place> {
    let Some(view) = child(model, "views").and_then(|vs| {
        children(vs).find(|v| {
            v.tag_name().name() == "view"
                && matches!(v.attribute("type"), None | Some("stock_flow"))
        })
    }) else {
        return Vec::new();
    };
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for node in children(view) {
        if !matches!(node.tag_name().name(), "stock" | "flow" | "aux") {
            continue;
        }
        let Some(id) = node.attribute("name").and_then(|n| ids.get(&canonical(n))) else {
            continue;
        };
        // An entity drawn twice is where it is drawn first.
        if seen.contains(id.as_str()) {
            continue;
        }
        if let Some(at) = centre(node) {
            seen.insert(id);
            out.push(Place { id: id.clone(), at });
        }
    }
    out
}

/// The centre of a view element: `x` and `y`, plus half its `width` and
/// `height` when it gives them. `None` when `x` or `y` is not a finite
/// number (or not one as a point of the map).
fn centre(node: Node) -> Option<[f32; 2]> {
    let number = |name: &str| {
        node.attribute(name)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    let half = |name: &str| number(name).filter(|v| *v > 0.0).map_or(0.0, |v| v / 2.0);
    let (x, y) = (number("x")? + half("width"), number("y")? + half("height"));
    let at = [x as f32, y as f32];
    at.iter().all(|v| v.is_finite()).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(view: &str) -> Vec<Place> {
        let text = format!("<model><views>{view}</views></model>");
        let doc = roxmltree::Document::parse(&text).unwrap();
        let ids = [("stock a", "stock_a"), ("b", "b"), ("c", "c_")]
            .into_iter()
            .map(|(n, id)| (n.to_string(), id.to_string()))
            .collect();
        places(doc.root_element(), &ids)
    }

    #[test]
    fn centres_from_the_first_diagram_view() {
        let places = read(
            r#"<view type="interface"><aux name="b" x="1" y="1"/></view>
            <view>
              <stock name="Stock_A" x="100" y="50" width="40" height="30"/>
              <flow name="b" x="10.5" y="-4"><pts><pt x="0" y="0"/></pts></flow>
              <aux name="b" x="99" y="99"/>
              <connector><from>b</from><to>c</to></connector>
              <aux name="unknown" x="1" y="2"/>
              <aux name="c" x="abc" y="2"/>
              <aux name="c" y="2"/>
              <aux name="c" x="1e999" y="2"/>
              <aux name="c" x="1e300" y="2"/>
              <aux name="c" x=" 3 " y="4" width="x"/>
            </view>
            <view><aux name="c" x="5" y="5"/></view>"#,
        );
        let got: Vec<(&str, [f32; 2])> = places.iter().map(|p| (p.id.as_str(), p.at)).collect();
        assert_eq!(
            got,
            [
                ("stock_a", [120.0, 65.0]),
                ("b", [10.5, -4.0]),
                ("c_", [3.0, 4.0])
            ]
        );
        assert!(read("").is_empty());
        assert!(read(r#"<view type="popup"><aux name="b" x="1" y="1"/></view>"#).is_empty());
    }
}
