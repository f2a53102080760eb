//! The model map's structure: the causal graph of small models whose
//! loops are known by hand, of the default model and of a generated
//! 300-variable one; their loops; layouts without overlapping boxes.

use std::hint::black_box;
use std::time::Instant;

use trajectoire::model::load::{default_model, parse_model};
use trajectoire::model::structure::{
    Graph, Limits, LinkKind, LoopPolarity, NodeKind, Polarity, find_loops, find_loops_with, layout,
};
use trajectoire::model::{Lang, Model};

mod models;
use models::{aux, flow_stock, stock, wide_levers};

#[path = "../benches/common/large_model.rs"]
mod large_model;
use large_model::large_model_text;

fn model(levers: &[&str], variables: &[String], lookups: &str) -> Model {
    let text = models::model_text(
        "map",
        ("Carte", "Map"),
        &wide_levers(levers),
        &variables.concat(),
        lookups,
    );
    parse_model(&text, None).unwrap_or_else(|e| panic!("{e}"))
}

/// The polarity of the link `from` → `to`.
fn polarity(g: &Graph, from: &str, to: &str) -> Polarity {
    let (a, b) = (g.index(from).unwrap(), g.index(to).unwrap());
    g.link(a, b)
        .unwrap_or_else(|| panic!("no link {from} → {to}"))
        .polarity
}

/// Each loop's name and polarity.
fn loops_of(m: &Model) -> Vec<(String, LoopPolarity)> {
    let loops = find_loops(&Graph::of(m));
    assert!(!loops.partial);
    loops
        .loops
        .iter()
        .map(|l| (l.name.clone(), l.polarity))
        .collect()
}

/// A population: births by a rate, deaths by a lifetime, and (with
/// `crowding`) a birth rate that falls as the population nears capacity.
fn population(crowding: bool) -> Model {
    let rate = if crowding {
        "base_rate * crowding(pop / capacity)"
    } else {
        "base_rate"
    };
    model(
        &["base_rate", "life", "capacity"],
        &[
            flow_stock("pop", "100", &["births"], &["deaths"], false),
            aux("births", "pop * birth_rate"),
            aux("deaths", "pop / life"),
            aux("birth_rate", rate),
        ],
        r#"        (id: "crowding", points: [(0, 1), (1, 0.5), (2, 0)]),"#,
    )
}

#[test]
fn one_reinforcing_loop() {
    let m = model(
        &["rate"],
        &[
            flow_stock("savings", "100", &["interest"], &[], false),
            aux("interest", "savings * rate / 100"),
        ],
        "",
    );
    let g = Graph::of(&m);
    assert_eq!(polarity(&g, "savings", "interest"), Polarity::Positive);
    assert_eq!(polarity(&g, "interest", "savings"), Polarity::Positive);
    assert_eq!(polarity(&g, "rate", "interest"), Polarity::Positive);
    assert_eq!(
        loops_of(&m),
        vec![(
            "R1: savings › interest › savings".into(),
            LoopPolarity::Reinforcing
        )]
    );
    // Without labels, the loop is said with the ids.
    let loops = find_loops(&g);
    assert_eq!(loops.loops[0].describe(&g, Lang::En), loops.loops[0].name);
    assert_eq!(loops.by_key("interest>savings"), loops.loops.first());
}

#[test]
fn one_balancing_loop() {
    let m = model(
        &["delay"],
        &[
            flow_stock("inventory", "100", &[], &["shipments"], true),
            aux("shipments", "inventory / delay"),
        ],
        "",
    );
    let g = Graph::of(&m);
    assert_eq!(polarity(&g, "shipments", "inventory"), Polarity::Negative);
    assert_eq!(polarity(&g, "delay", "shipments"), Polarity::Negative);
    let loops = find_loops(&g);
    assert_eq!(loops.loops.len(), 1);
    let l = &loops.loops[0];
    assert_eq!(l.polarity, LoopPolarity::Balancing);
    assert_eq!(l.name, "B1: inventory › shipments › inventory");
    assert!(l.delayed, "a flow into a stock integrates");
    assert_eq!(l.key, "inventory>shipments");
}

#[test]
fn two_nested_loops_and_the_one_around_them() {
    // births and deaths alone: one reinforcing, one balancing loop.
    assert_eq!(
        loops_of(&population(false)),
        vec![
            ("R1: pop › births › pop".into(), LoopPolarity::Reinforcing),
            ("B1: pop › deaths › pop".into(), LoopPolarity::Balancing),
        ]
    );
    // Crowding adds a balancing loop around the births loop.
    let m = population(true);
    let g = Graph::of(&m);
    assert_eq!(polarity(&g, "pop", "birth_rate"), Polarity::Negative);
    assert_eq!(polarity(&g, "capacity", "birth_rate"), Polarity::Positive);
    assert_eq!(
        loops_of(&m),
        vec![
            ("R1: pop › births › pop".into(), LoopPolarity::Reinforcing),
            ("B1: pop › deaths › pop".into(), LoopPolarity::Balancing),
            (
                "B2: pop › birth_rate › births › pop".into(),
                LoopPolarity::Balancing
            ),
        ]
    );
}

#[test]
fn nodes_have_their_kinds_and_links_theirs() {
    let m = population(true);
    let g = Graph::of(&m);
    let kind = |id: &str| g.nodes[g.index(id).unwrap()].kind;
    assert_eq!(kind("base_rate"), NodeKind::Lever);
    assert_eq!(kind("pop"), NodeKind::Stock);
    assert_eq!(kind("births"), NodeKind::Flow);
    assert_eq!(kind("deaths"), NodeKind::Flow);
    assert_eq!(kind("birth_rate"), NodeKind::Aux);
    let (pop, births, deaths) = (
        g.index("pop").unwrap(),
        g.index("births").unwrap(),
        g.index("deaths").unwrap(),
    );
    let inflow = g.link(births, pop).unwrap();
    assert_eq!((inflow.kind, inflow.delayed), (LinkKind::Inflow, true));
    assert_eq!(g.link(deaths, pop).unwrap().kind, LinkKind::Outflow);
    let info = g.link(pop, births).unwrap();
    assert_eq!((info.kind, info.delayed), (LinkKind::Info, false));
    // No lookup is a node: the table's link is from its input.
    assert!(g.index("crowding").is_none());

    let data = r#"        (id: "census", label: (fr: "", en: ""), unit: (fr: "", en: ""), kind: Data(points: [(2020, 1.0)])),
"#;
    let m = model(&[], &[data.to_string(), aux("x", "2 * census")], "");
    let g = Graph::of(&m);
    assert_eq!(g.nodes[0].kind, NodeKind::Data);
    assert_eq!(polarity(&g, "census", "x"), Polarity::Positive);
}

#[test]
fn a_stock_by_its_change_takes_the_change_equations_signs() {
    let m = model(
        &["g", "k"],
        &[
            stock("capital", "k", "prev(capital) * g / 100 - prev(wear)"),
            aux("wear", "capital / 20"),
        ],
        "",
    );
    let g = Graph::of(&m);
    let (capital, k) = (g.index("capital").unwrap(), g.index("k").unwrap());
    assert_eq!(polarity(&g, "capital", "capital"), Polarity::Positive);
    assert!(g.link(capital, capital).unwrap().delayed);
    assert_eq!(polarity(&g, "wear", "capital"), Polarity::Negative);
    // The initial value is a link of its own, through which no loop runs.
    let initial = g.links_into(capital).find(|l| l.from == k).unwrap();
    assert_eq!(initial.kind, LinkKind::Initial);
    assert!(g.link(k, capital).is_none());
    assert_eq!(
        loops_of(&m),
        vec![
            ("R1: capital › capital".into(), LoopPolarity::Reinforcing),
            (
                "B1: capital › wear › capital".into(),
                LoopPolarity::Balancing
            ),
        ]
    );
}

#[test]
fn a_loop_through_a_condition_is_undetermined() {
    let m = model(
        &["target"],
        &[
            flow_stock("level", "0", &["fill"], &[], false),
            aux("fill", "if level < target then 1 else 0"),
        ],
        "",
    );
    assert_eq!(
        loops_of(&m),
        vec![(
            "U1: level › fill › level".into(),
            LoopPolarity::Undetermined
        )]
    );
}

#[test]
fn the_search_stops_at_its_limit_and_says_so() {
    let g = Graph::of(&population(true));
    let limits = Limits {
        max_loops: 2,
        ..Limits::default()
    };
    let loops = find_loops_with(&g, limits);
    assert!(loops.partial);
    assert_eq!(loops.loops.len(), 2);
    let steps = Limits {
        max_steps: 1,
        ..Limits::default()
    };
    assert!(find_loops_with(&g, steps).partial);
}

#[test]
fn a_dense_model_stops_at_the_loop_cap() {
    // Twelve variables each reading every other's last value: more than
    // a hundred million loops.
    let vars: Vec<String> = (0..12)
        .map(|i| {
            let others: Vec<String> = (0..12)
                .filter(|&j| j != i)
                .map(|j| format!("prev(x{j})"))
                .collect();
            aux(&format!("x{i}"), &others.join(" + "))
        })
        .collect();
    let g = Graph::of(&model(&[], &vars, ""));
    let t = Instant::now();
    let loops = find_loops(&g);
    println!("dense: {} loops in {:?}", loops.loops.len(), t.elapsed());
    assert!(loops.partial);
    assert_eq!(loops.loops.len(), Limits::default().max_loops);
    assert!(
        loops
            .loops
            .iter()
            .all(|l| l.polarity == LoopPolarity::Reinforcing && l.delayed)
    );
    assert!(layout(&g, &[]).overlaps().is_empty());
}

#[test]
fn loop_keys_do_not_depend_on_the_models_order() {
    let m = population(true);
    let mut reversed = m.clone();
    reversed.variables.reverse();
    let keys = |m: &Model| {
        let mut k: Vec<String> = find_loops(&Graph::of(m))
            .loops
            .iter()
            .map(|l| l.key.clone())
            .collect();
        k.sort();
        k
    };
    assert_eq!(keys(&m), keys(&reversed));
    assert_eq!(
        keys(&m),
        vec!["birth_rate>births>pop", "births>pop", "deaths>pop"]
    );
}

#[test]
fn a_chain_lays_out_left_to_right_without_crossings() {
    let m = population(true);
    let g = Graph::of(&m);
    let l = layout(&g, &[]);
    assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
    assert_eq!(l.crossings(), 0);
    let x = |id: &str| l.nodes[g.index(id).unwrap()].center[0];
    // Inflow, stock, outflow, from left to right.
    assert!(x("births") < x("pop") && x("pop") < x("deaths"));
    // Stocks are drawn wider than auxiliaries.
    let w = |id: &str| l.nodes[g.index(id).unwrap()].size[0];
    assert!(w("pop") > w("life"));
    assert_eq!(l, layout(&g, &[]), "the same graph, the same layout");
}

#[test]
fn the_default_model_gives_a_graph_loops_and_a_layout() {
    let m = default_model();
    let def = m.model();
    let t = Instant::now();
    let g = Graph::of(def);
    let graph_time = t.elapsed();
    assert_eq!(g.nodes.len(), def.levers.len() + def.variables.len());
    let jobs = g.index("segment_jobs").unwrap();
    assert!(g.nodes[jobs].arrayed);
    assert_eq!(g.nodes[jobs].kind, NodeKind::Stock);
    // Element equations count: value_shift_eff is added for some
    // segments and taken away for crm.
    assert_eq!(
        polarity(&g, "demand_growth_eff", "segment_growth"),
        Polarity::Positive
    );
    assert_eq!(
        polarity(&g, "value_shift_eff", "segment_growth"),
        Polarity::Unknown
    );
    let t = Instant::now();
    let loops = find_loops(&g);
    let loops_time = t.elapsed();
    assert!(!loops.partial);
    assert!(!loops.loops.is_empty());
    // Said with the model's labels. Version 2's expansion loop: more jobs,
    // more gross creation wanted, more created; R3 is the number the
    // search gives it (after relative_cost's and revenue per job's own).
    let hires = loops
        .loops
        .iter()
        .find(|l| l.name == "R3: segment_jobs › desired_creation › job_creation › segment_jobs")
        .expect("the expansion loop");
    assert!(
        hires
            .describe(&g, Lang::Fr)
            .starts_with("R3\u{a0}: Emplois par segment › "),
        "{}",
        hires.describe(&g, Lang::Fr)
    );
    let t = Instant::now();
    let l = layout(&g, &[]);
    let layout_time = t.elapsed();
    assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
    svg(&g, &l, "default");
    let names: Vec<&str> = loops.loops.iter().map(|l| l.name.as_str()).collect();
    println!(
        "default model: {} nodes, {} links, {} loops {names:?}, {} crossings; \
         graph {graph_time:?}, loops {loops_time:?}, layout {layout_time:?}",
        g.nodes.len(),
        g.links.len(),
        loops.loops.len(),
        l.crossings(),
    );
}

#[test]
fn a_300_variable_model_lays_out_without_overlaps() {
    let m = parse_model(&large_model_text(), None).unwrap();
    let g = Graph::of(&m);
    assert_eq!(g.nodes.len(), 300);
    let t = Instant::now();
    let loops = find_loops(&g);
    let loops_time = t.elapsed();
    // The quickest of five, for the figure printed (never asserted).
    let mut layout_time = std::time::Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        black_box(layout(&g, &[]));
        layout_time = layout_time.min(t.elapsed());
    }
    let l = layout(&g, &[]);
    assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
    svg(&g, &l, "large");
    let [lo, hi] = l.bounds();
    println!(
        "300 variables: {} links, {} loops (partial: {}), {} crossings, {:.0} x {:.0} points; \
         loops {loops_time:?}, layout {layout_time:?}",
        g.links.len(),
        loops.loops.len(),
        loops.partial,
        l.crossings(),
        hi[0] - lo[0],
        hi[1] - lo[1],
    );
    // Each sector's stock is balanced through its outflow, and through
    // the falling effect of its ratio to target on its inflow.
    let kinds = |p| loops.loops.iter().filter(|l| l.polarity == p).count();
    assert!(kinds(LoopPolarity::Balancing) >= 60);
}

#[test]
fn an_empty_model_has_an_empty_map() {
    let m = model(&[], &[], "");
    let g = Graph::of(&m);
    assert!(g.nodes.is_empty() && g.links.is_empty());
    assert!(find_loops(&g).loops.is_empty());
    let l = layout(&g, &[]);
    assert_eq!((l.crossings(), l.bounds()), (0, [[0.0; 2]; 2]));
}

#[test]
fn an_equation_that_does_not_parse_adds_no_links() {
    let m = model(&["a"], &[aux("x", "a +"), aux("y", "a * 2")], "");
    let g = Graph::of(&m);
    assert_eq!(g.nodes.len(), 3);
    assert_eq!(g.links.len(), 1);
    assert!(layout(&g, &[]).overlaps().is_empty());
}

#[test]
fn pinned_nodes_keep_their_places_and_the_others_avoid_them() {
    let m = population(true);
    let g = Graph::of(&m);
    let free = layout(&g, &[]);
    // Pinned onto where other nodes were.
    let at = |id: &str| free.nodes[g.index(id).unwrap()].center;
    let pins = vec![
        ("pop".to_string(), at("births")),
        ("life".to_string(), at("deaths")),
    ];
    let l = layout(&g, &pins);
    for (id, p) in &pins {
        let n = &l.nodes[g.index(id).unwrap()];
        assert_eq!(n.center, *p);
        assert!(n.pinned);
    }
    assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());

    let big = parse_model(&large_model_text(), None).unwrap();
    let g = Graph::of(&big);
    let pins: Vec<(String, [f32; 2])> = (0..10)
        .map(|i| (format!("level_{i}"), [200.0 * i as f32, 40.0]))
        .collect();
    let l = layout(&g, &pins);
    for (id, p) in &pins {
        assert_eq!(l.nodes[g.index(id).unwrap()].center, *p);
    }
    assert!(l.overlaps().is_empty(), "{:?}", l.overlaps());
}

/// With `STRUCTURE_SVG=<folder>` set, writes the layout there as SVG
/// (boxes, routes, backward routes in red), to look at.
fn svg(g: &Graph, l: &trajectoire::model::structure::Layout, name: &str) {
    let Ok(dir) = std::env::var("STRUCTURE_SVG") else {
        return;
    };
    let [lo, hi] = l.bounds();
    let mut out = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='{} {} {} {}' width='{}' height='{}'><rect x='{}' y='{}' width='100%' height='100%' fill='white'/>",
        lo[0] - 10.0,
        lo[1] - 10.0,
        hi[0] - lo[0] + 20.0,
        hi[1] - lo[1] + 20.0,
        hi[0] - lo[0] + 20.0,
        hi[1] - lo[1] + 20.0,
        lo[0] - 10.0,
        lo[1] - 10.0
    );
    for r in &l.routes {
        let pts: Vec<String> = r
            .points
            .iter()
            .map(|p| format!("{},{}", p[0], p[1]))
            .collect();
        let colour = if r.backwards { "red" } else { "grey" };
        out += &format!(
            "<polyline points='{}' fill='none' stroke='{colour}'/>",
            pts.join(" ")
        );
    }
    for (n, p) in g.nodes.iter().zip(&l.nodes) {
        let [a, _] = p.rect();
        out += &format!(
            "<rect x='{}' y='{}' width='{}' height='{}' fill='#eef' stroke='black'/><text x='{}' y='{}' font-size='10' text-anchor='middle'>{}</text>",
            a[0],
            a[1],
            p.size[0],
            p.size[1],
            p.center[0],
            p.center[1] + 3.0,
            n.id
        );
    }
    out += "</svg>";
    std::fs::write(format!("{dir}/{name}.svg"), out).unwrap();
}

#[test]
fn places_far_out_or_not_numbers_are_ignored_and_long_chains_stay_bounded() {
    // A pin at 1e10 (where f32 steps are coarser than a box) or NaN is
    // ignored, not chased.
    let m = population(true);
    let g = Graph::of(&m);
    let id = g.nodes[0].id.clone();
    for at in [[154.0, 1e10], [f32::NAN, 3.0], [f32::INFINITY, 0.0]] {
        let drawn = layout(&g, &[(id.clone(), at)]);
        assert!(!drawn.nodes[0].pinned, "{at:?}");
        assert!(drawn.overlaps().is_empty());
    }
    // A chain whose first node feeds every later one: long links would
    // need a place in every layer between; past a budget they go straight.
    let vars: Vec<String> = (0..2_000)
        .map(|k| match k {
            0 => aux("a0", "1"),
            1 => aux("a1", "a0"),
            _ => aux(&format!("a{k}"), &format!("a{} + a1", k - 1)),
        })
        .collect();
    let big = model(&[], &vars, "");
    let g = Graph::of(&big);
    let t = Instant::now();
    let drawn = black_box(layout(&g, &[]));
    assert_eq!(drawn.nodes.len(), 2_000);
    println!("2,000-node chain with long links: layout {:?}", t.elapsed());
}
