//! XMILE's diagram (`<views>`) and the model map: an imported model's own
//! diagram gives the map its places (centres of stocks, flows and
//! auxiliaries), a model written as XMILE draws its places as a diagram
//! and comes back with its map whole, and a view with garbage in it is
//! only decoration, never an error.

mod models;

use std::path::Path;

use models::{aux, flow_stock, model_text, stock, wide_levers};
use trajectoire::formats::xmile;
use trajectoire::model::compile;
use trajectoire::model::def::{LoopName, Model, ModelMap, Place, Text};
use trajectoire::model::load::parse_model;

const SUITE: &str = "../shared/test-models/tests";

fn place(id: &str, x: f32, y: f32) -> Place {
    Place {
        id: id.to_string(),
        at: [x, y],
    }
}

fn at(m: &Model, id: &str) -> Option<[f32; 2]> {
    m.map.places.iter().find(|p| p.id == id).map(|p| p.at)
}

#[test]
fn a_suite_model_with_a_diagram_imports_with_its_places() {
    let path = Path::new(SUITE).join("smooth_and_stock/test_smooth_and_stock.xmile");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is missing (../shared)", path.display());
        return;
    };
    let imported = xmile::read(&text, "smooth").expect("imports");
    let m = imported.model.clone();
    // The view names entities as the variables do, with underscores for
    // spaces: `first_order_smooth` is `first order smooth`.
    for (id, x, y) in [
        ("accumulation", 576.0, 266.0),
        ("rate", 480.0, 267.0),
        ("first_order_smooth", 493.0, 348.0),
        ("third_order_smooth", 631.0, 320.0),
        ("saveper", 100.0, 100.0),
    ] {
        assert_eq!(at(&m, id), Some([x, y]), "`{id}` in {:?}", m.map.places);
    }
    // Every place is a node of the model, once.
    let mut ids: Vec<&str> = m.map.places.iter().map(|p| p.id.as_str()).collect();
    for id in &ids {
        assert!(
            m.variable(id).is_some() || m.lever(id).is_some(),
            "`{id}` is not a node"
        );
    }
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "{:?}", m.map.places);
    imported.compile(None).expect("compiles");
}

/// A model with a stock by its flows, its flows, a stock by its change, an
/// auxiliary and a lever, placed on the map, with a named loop.
fn mapped() -> Model {
    let vars = flow_stock("s", "10", &["i"], &["o"], false)
        + &aux("i", "0.1 * s")
        + &aux("o", "k * s")
        + &stock("c", "1", "i")
        + &aux("r", "c / s");
    let text = model_text("mapped", ("Carte", "Map"), &wide_levers(&["k"]), &vars, "");
    let mut m = parse_model(&text, None).unwrap();
    m.map = ModelMap {
        places: vec![
            place("s", 240.0, 120.5),
            place("i", 120.25, 120.5),
            place("o", 360.0, 120.0),
            place("c", 0.1, -33.3),
            place("k", 400.0, 40.0),
            place("r", 1e6, 12.345_678),
        ],
        loop_names: Vec::new(),
    };
    // The key of a loop the model has, as the map finds it.
    let g = trajectoire::model::structure::Graph::of(&m);
    let loops = trajectoire::model::structure::find_loops(&g);
    let key = loops
        .loops
        .iter()
        .find(|l| l.nodes.len() == 2)
        .expect("i -> s -> i")
        .key
        .clone();
    m.map.loop_names.push(LoopName {
        key,
        name: Text::new("Croissance", "Growth"),
    });
    m
}

fn bare(text: &str) -> String {
    let start = text.find("<trajectoire:model>").unwrap();
    let end = text.find("</trajectoire:model>").unwrap() + "</trajectoire:model>".len();
    format!("{}{}", &text[..start], &text[end..])
}

#[test]
fn places_and_loop_names_round_trip_through_xmile() {
    let m = mapped();
    let text = xmile::write(&m).expect("writes");
    // Stella and simlin see the layout: each node at its centre.
    for element in [
        r#"<stock name="s" x="240" y="120.5"/>"#,
        r#"<flow name="i" x="120.25" y="120.5">"#,
        r#"<aux name="c" x="0.1" y="-33.3"/>"#,
        r#"<aux name="k" x="400" y="40"/>"#,
    ] {
        assert!(text.contains(element), "{element} in\n{text}");
    }
    // The inflow's pipe runs from a cloud to the stock it fills.
    assert!(
        text.contains(r#"<pts><pt x="60.25" y="120.5"/><pt x="240" y="120.5"/></pts>"#),
        "{text}"
    );
    let back = xmile::read(&text, "back").expect("reads").model;
    assert_eq!(back.map, m.map);
    compile(back).expect("compiles");

    // Without our extension, the diagram alone gives the places (within
    // half a point) and no loop names.
    let alone = xmile::read(&bare(&text), "bare").expect("reads").model;
    assert_eq!(alone.map.places.len(), m.map.places.len());
    for p in &m.map.places {
        let q = at(&alone, &p.id).unwrap_or_else(|| panic!("`{}` lost", p.id));
        assert!(
            (0..2).all(|k| (q[k] - p.at[k]).abs() <= 0.5),
            "`{}`: {q:?}",
            p.id
        );
    }
    assert!(alone.map.loop_names.is_empty());

    // A node moved in Stella's diagram is where Stella put it; the others
    // keep ours exactly.
    let moved = text.replace(
        r#"<aux name="k" x="400" y="40"/>"#,
        r#"<aux name="k" x="10" y="20"/>"#,
    );
    let back = xmile::read(&moved, "moved").expect("reads").model;
    assert_eq!(at(&back, "k"), Some([10.0, 20.0]));
    let unmoved = |m: &Model| {
        let mut p = m.map.places.clone();
        p.retain(|p| p.id != "k");
        p
    };
    assert_eq!(unmoved(&back), unmoved(&m));
    assert_eq!(back.map.loop_names, m.map.loop_names);

    // A model without places draws no diagram.
    let mut plain = mapped();
    plain.map = ModelMap::default();
    let text = xmile::write(&plain).unwrap();
    assert!(!text.contains("<views>"), "{text}");
    assert_eq!(
        xmile::read(&text, "plain").unwrap().model.map,
        ModelMap::default()
    );
}

#[test]
fn a_diagram_with_garbage_is_decoration_not_an_error() {
    let text = r#"<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
    <header><vendor>Tests</vendor><product version="1">hand</product></header>
    <sim_specs method="Euler" time_units="Months"><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
    <model>
        <variables>
            <stock name="Stock One"><eqn>1</eqn><inflow>In Flow</inflow></stock>
            <flow name="In Flow"><eqn>rate * Stock_One</eqn></flow>
            <aux name="rate"><eqn>0.5</eqn></aux>
            <aux name="ratio"><eqn>In_Flow / Stock_One</eqn></aux>
            <gf name="table"><xpts>0,1</xpts><ypts>0,1</ypts></gf>
        </variables>
        <views>
            <view>
                <stock name="stock_one" x="abc" y="10"/>
                <stock name="Stock One" x="50" y="60" width="40" height="20"/>
                <flow name="In Flow" y="10"><pts><pt x="no" y="pts"/></pts></flow>
                <aux name="rate" x="NaN" y="1"/>
                <aux name="ratio" x="1e99" y="1"/>
                <aux name="nobody" x="1" y="1"/>
                <aux name="table" x="1" y="1"/>
                <aux x="1" y="1"/>
                <connector uid="1" angle="what"><from>rate</from><to>nobody</to></connector>
                <alias x="1" y="2"><of>rate</of></alias>
                <text>words</text>
                <group name="g" x="garbage"/>
                <aux name="ratio" x=" 7.5 " y="-2" width="-4" height="zero"/>
            </view>
            <view><aux name="rate" x="5" y="5"/></view>
        </views>
    </model>
</xmile>"#;
    let imported = xmile::read(text, "garbage").expect("imports");
    let m = imported.model.clone();
    let places: Vec<(&str, [f32; 2])> =
        m.map.places.iter().map(|p| (p.id.as_str(), p.at)).collect();
    // The stock by its top-left corner and size; the rest of what is
    // valid, first come first placed; nothing from the second view.
    assert_eq!(
        places,
        [("stock_one", [70.0, 70.0]), ("ratio", [7.5, -2.0])]
    );
    imported.compile(None).expect("compiles");
}
