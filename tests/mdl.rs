//! Vensim import on small `.mdl` texts written here: INTEG, lookups in
//! both forms, Vensim's functions against hand computations, constants as
//! levers, subscripts (ranges, per-element records, lists, reducers,
//! arrayed stocks and lookups), and every refusal with its line and
//! column. The SDXorg suite is `tests/conformance.rs`.

use trajectoire::formats::mdl::{self, Imported, MdlError, MdlErrorKind};
use trajectoire::formats::{self, FileKind, OpenedFile};
use trajectoire::model::CompiledModel;
use trajectoire::model::def::{TimeUnit, VariableKind};

/// A model of `equations` over the clock 0..`stop` by `dt`, in months.
fn doc(equations: &str, stop: f64, dt: f64) -> String {
    format!(
        "{{UTF-8}}\n{equations}\n\
         ********************************************************\n\t.Control\n\
         ********************************************************~\n\t\tSimulation Control Parameters\n\t|\n\n\
         FINAL TIME  = {stop}\n\t~\tMonth\n\t~\tThe final time.\n\t|\n\n\
         INITIAL TIME  = 0\n\t~\tMonth\n\t~\t|\n\n\
         SAVEPER  = \n        TIME STEP\n\t~\tMonth [0,?]\n\t~\t|\n\n\
         TIME STEP  = {dt}\n\t~\tMonth [0,?]\n\t~\t|\n\n\
         \\\\\\---/// Sketch information - do not modify anything except names\n\
         V300  Do not put anything below this section - it will be ignored\n*View 1\n\
         10,1,Stock,275,69,40,20,3,3,0,0,0,0,0,0\n///---\\\\\\\n:L<%^E!@\n"
    )
}

fn read(text: &str) -> Result<Imported, MdlError> {
    mdl::read(text, "test")
}

fn compiled(text: &str) -> CompiledModel {
    read(text).unwrap().compile(None).unwrap()
}

fn series(m: &CompiledModel, id: &str) -> Vec<f64> {
    let run = m.run(&m.default_levers());
    run.series(m.var_index(id).unwrap_or_else(|| panic!("no `{id}`")))
        .to_vec()
}

fn refusal(text: &str) -> MdlError {
    match read(text) {
        Ok(_) => panic!("the model was accepted"),
        Err(e) => e,
    }
}

fn close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-9, "{a:?} vs {b:?}");
    }
}

const TANK: &str = "Water = INTEG(Filling - Draining, 100)\n\t~\tlitres\n\t~\tWhat the tank holds.\n\t|\n\n\
    Filling = drain fraction * 20 ~ litres/Month ~ |\n\
    Draining = Water * drain fraction ~ litres/Month ~ |\n\
    Drain Fraction = 0.5 ~ 1/Month [0, 0.8] ~ The share drained.|\n";

#[test]
fn integ_is_vensims_euler_and_constants_are_levers() {
    let imported = read(&doc(TANK, 3.0, 1.0)).unwrap();
    let m = &imported.model;
    assert_eq!((m.start_year, m.end_year), (0, 3));
    assert_eq!(m.time.unit, TimeUnit::Month);
    let water = m.variable("water").unwrap();
    assert_eq!(water.unit.en, "litres");
    assert_eq!(water.description.en, "What the tank holds.");
    assert!(
        matches!(&water.kind, VariableKind::Stock { inflows, outflows, .. }
        if inflows == &["filling"] && outflows == &["draining"])
    );
    let lever = &m.levers[0];
    assert_eq!(
        (lever.id.as_str(), lever.min, lever.max),
        ("drain_fraction", 0.0, 0.8)
    );
    assert_eq!(lever.description.en, "The share drained.");
    assert_eq!(m.charts[0].series, ["water"]);
    // S(t+1) = S(t) + (10 - S(t)/2): 100, 60, 40, 30.
    let c = imported.compile(None).unwrap();
    close(&series(&c, "water"), &[100.0, 60.0, 40.0, 30.0]);
    // A rate that is not a sum of flows gets its own auxiliary.
    let c = compiled(&doc("S = INTEG(2 * Time, 1) ~~|", 3.0, 0.5));
    close(&series(&c, "s"), &[1.0, 1.0, 1.5, 2.5, 4.0, 6.0, 8.5]);
}

#[test]
fn lookups_named_inline_and_extrapolated() {
    let c = compiled(&doc(
        "table(\n\t[(0,0)-(4,10)],(0,0),(2,10),(4,0)) ~~|\n\
         a = table(Time) ~~|\n\
         b = WITH LOOKUP(Time, ([(0,0)-(2,2)],(0,1),(2,3))) ~~|\n\
         c = LOOKUP EXTRAPOLATE(table, Time + 2) ~~|\n\
         d = flat(Time) ~~|\n\
         flat(0, 1, 5, 7) ~~|",
        4.0,
        1.0,
    ));
    close(&series(&c, "a"), &[0.0, 5.0, 10.0, 5.0, 0.0]);
    close(&series(&c, "b"), &[1.0, 2.0, 3.0, 3.0, 3.0]);
    close(&series(&c, "c"), &[10.0, 5.0, 0.0, -5.0, -10.0]);
    close(&series(&c, "d"), &[5.0, 7.0, 7.0, 7.0, 7.0]);
}

#[test]
fn functions_keep_vensims_meaning() {
    let c = compiled(&doc(
        "p = PULSE(1, 2) ~~|\n\
         p0 = PULSE(2, 0) ~~|\n\
         s = STEP(3, 2) ~~|\n\
         r = RAMP(2, 1, 3) ~~|\n\
         i = INTEGER(-Time - 0.5) ~~|\n\
         m = MODULO(-Time - 0.5, 2) ~~|\n\
         x = XIDZ(1, Time - 1, 99) + ZIDZ(4, Time) ~~|\n\
         l = IF THEN ELSE(Time = 2 :OR: Time <> Time, 1, 0) + :NOT: (Time > 0) ~~|\n\
         f = DELAY FIXED(Time * 10, 2, -1) ~~|\n\
         start value = INITIAL(Time + 5) ~~|\n\
         sm = SMOOTHI(10, 2, 0) ~~|\n\
         lg = LOG(8, 2) + POWER(2, 3) + GAME(1) ~~|",
        4.0,
        1.0,
    ));
    close(&series(&c, "p"), &[0.0, 1.0, 1.0, 0.0, 0.0]);
    close(&series(&c, "p0"), &[0.0, 0.0, 1.0, 0.0, 0.0]);
    close(&series(&c, "s"), &[0.0, 0.0, 3.0, 3.0, 3.0]);
    close(&series(&c, "r"), &[0.0, 0.0, 2.0, 4.0, 4.0]);
    close(&series(&c, "i"), &[0.0, -1.0, -2.0, -3.0, -4.0]);
    close(&series(&c, "m"), &[-0.5, -1.5, -0.5, -1.5, -0.5]);
    close(
        &series(&c, "x"),
        &[
            -1.0,
            99.0 + 4.0,
            1.0 + 2.0,
            0.5 + 4.0 / 3.0,
            1.0 / 3.0 + 1.0,
        ],
    );
    close(&series(&c, "l"), &[1.0, 0.0, 1.0, 0.0, 0.0]);
    close(&series(&c, "f"), &[-1.0, -1.0, 0.0, 10.0, 20.0]);
    close(&series(&c, "start_value"), &[5.0; 5]);
    close(&series(&c, "sm"), &[0.0, 5.0, 7.5, 8.75, 9.375]);
    close(&series(&c, "lg"), &[12.0; 5]);
}

#[test]
fn delay_n_and_smooth_n_read_their_order_at_the_start() {
    let c = compiled(&doc(
        "delay time = 4 + STEP(2, 3) ~~|\n\
         order = 2 + STEP(1, 2) ~~|\n\
         out = DELAY N(6, delay time, 6, order) ~~|\n\
         fixed = DELAY N(6, 4, 6, order) ~~|\n\
         sm = SMOOTH N(STEP(10, 1), 2, 0, order) ~~|",
        5.0,
        1.0,
    ));
    let eq = |id: &str| match &c.model().variable(id).unwrap().kind {
        VariableKind::Aux { equation } => equation.clone(),
        k => panic!("{k:?}"),
    };
    // Order 2 (its value at time 0) in each; a delay time that changes
    // makes Vensim's DELAY N, a constant one our delayn.
    assert_eq!(eq("out"), "vensim_delayn(6, delay_time, 2, 6)");
    assert_eq!(eq("fixed"), "delayn(6, 4, 2, 6)");
    assert_eq!(eq("sm"), "smoothn(step(10, 1), 2, 2, 0)");
    // Two stages holding 12 each; at time 3 the second still reads the
    // time 4 of time 2 (12 / (4 / 2)), the first gives 12 / 3.
    let out = [6.0, 6.0, 6.0, 6.0, 10.0 / 3.0, 34.0 / 9.0];
    close(&series(&c, "out"), &out);
    close(&series(&c, "fixed"), &[6.0; 6]);
}

#[test]
fn active_initial_feeds_only_the_initial_values() {
    let c = compiled(&doc(
        "Stock = INTEG(1, v) ~~|\nv = ACTIVE INITIAL(Time, 45) ~~|",
        2.0,
        1.0,
    ));
    close(&series(&c, "stock"), &[45.0, 46.0, 47.0]);
    close(&series(&c, "v"), &[0.0, 1.0, 2.0]);
}

#[test]
fn what_we_cannot_simulate_is_refused_where_it_is() {
    let cases: [(&str, &str, (usize, usize)); 4] = [
        ("d: a, b -> (e: f, g) ~~|", "mapping", (2, 12)),
        (
            "x = GET XLS DATA('a.xls', 'b', 'c', 'd') ~~|",
            "came from no file",
            (2, 5),
        ),
        ("x = FOO(1) ~~|", "`FOO`", (2, 5)),
        (
            "x = DELAY N(Time, 3, 0, s) ~~|\ns = INTEG(1, 1) ~~|",
            "order",
            (2, 25),
        ),
    ];
    for (eqns, what, (line, col)) in cases {
        let e = refusal(&doc(eqns, 2.0, 1.0));
        assert_eq!(e.kind, MdlErrorKind::Unsupported, "{eqns}: {e}");
        assert!(e.message.contains(what), "{eqns}: {e}");
        assert_eq!((e.pos.line, e.pos.col), (line, col), "{eqns}: {e}");
    }
    // A data variable with no equation needs the run's data file.
    let e = refusal(&doc("x ~~|", 2.0, 1.0));
    assert_eq!(e.kind, MdlErrorKind::NeedsData, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (2, 1), "{e}");
    let e = refusal(&doc("x = 1 ~~|", 2.5, 1.0));
    assert!(e.message.contains("whole number"), "{e}");
    let e = refusal(&doc("x = 1 ~~|\nFINAL TIME = Time ~~|", 2.0, 1.0));
    assert!(e.message.contains("defined twice"), "{e}");
}

#[test]
fn random_functions_keep_their_seed_bounds_shift_and_stretch() {
    let eqns = "u = RANDOM UNIFORM(2, 5, 7) ~~|
n = RANDOM NORMAL(-1, 1, 0, 2, 3) ~~|
free = RANDOM NORMAL(-1e6, 1e6, 0, 1, 0) ~~|
e = RANDOM EXPONENTIAL(1, 4, 0.5, 2, 0) ~~|
p = RANDOM POISSON(0, 10, 3, 1, 2, 9) ~~|
t = RANDOM TRIANGULAR(0, 10, 1, 2, 5, 0) ~~|
g = RANDOM GAMMA(0, 100, 2, 0, 3, 0) ~~|
w = RANDOM WEIBULL(0, 100, 1.5, 1, 2, 0) ~~|
b = RANDOM BETA(0, 1, 2, 3, 0, 1, 0) ~~|
bi = RANDOM BINOMIAL(0, 20, 0.3, 20, 0, 1, 0) ~~|
nb = RANDOM NEGATIVE BINOMIAL(0, 100, 0.4, 3, 0, 1, 0) ~~|
z = RANDOM 0 1() ~~|";
    let mut c = compiled(&doc(eqns, 400.0, 1.0));
    let within = |id: &str, lo: f64, hi: f64| {
        let s = series(&c, id);
        assert!(s.iter().all(|x| (lo..=hi).contains(x)), "{id}: {s:?}");
        s
    };
    let u = within("u", 2.0, 5.0);
    within("n", -1.0, 1.0);
    // Shifted by 0.5, stretched by 2, held to [1, 4].
    let e = within("e", 1.0, 4.0);
    assert!(e.iter().any(|&x| x > 3.0));
    // 1 + 2 × Poisson(3): odd numbers from 1 to 9.
    let p = within("p", 1.0, 10.0);
    assert!(p.iter().all(|x| x % 2.0 == 1.0), "{p:?}");
    within("t", 1.0, 5.0);
    let g = within("g", 0.0, 100.0);
    let mean = g.iter().sum::<f64>() / g.len() as f64;
    assert!((mean - 6.0).abs() < 1.0, "gamma(2) × 3: {mean}");
    within("w", 1.0, 100.0);
    within("b", 0.0, 1.0);
    let bi = within("bi", 0.0, 20.0);
    assert!(bi.iter().all(|x| x.fract() == 0.0));
    within("nb", 0.0, 100.0);
    within("z", 0.0, 1.0);
    // The seeded calls draw the same whatever the run's seed.
    let free = series(&c, "free");
    c.set_seed(99);
    assert_eq!(u, series(&c, "u"));
    assert_eq!(p, series(&c, "p"));
    assert_ne!(free, series(&c, "free"));
    let e = refusal(&doc("x = RANDOM NORMAL(0, 1, 0, 1) ~~|", 2.0, 1.0));
    assert!(e.message.contains("5 arguments"), "{e}");
}

#[test]
fn malformed_files_are_errors_not_panics() {
    for (text, what) in [
        ("{UTF-8}\nx = (1 + ~~|", "expected"),
        ("{UTF-8}\nx = 1 ~ no end", "`|`"),
        ("{UTF-8}\nx = \"open ~~|", "never closed"),
        ("{UTF-8}\nt((1,0),(1,1)) ~~|", "twice"),
        (
            "{UTF-8}\nx = y ~~|\nFINAL TIME = 1 ~~|\nINITIAL TIME = 0 ~~|",
            "not a variable",
        ),
        ("{UTF-8}\nx = 1 ~~|", "INITIAL TIME"),
    ] {
        let e = refusal(text);
        assert!(e.message.contains(what), "{text}: {e}");
        assert!(e.pos.line >= 1, "{e}");
    }
    let deep = doc(&format!("x = {}1 ~~|", "(".repeat(5000)), 1.0, 1.0);
    assert!(read(&deep).is_err());
    let long = doc(&format!("x = {}1 ~~|", "1 + ".repeat(5000)), 1.0, 1.0);
    assert!(read(&long).is_err());
}

#[test]
fn mdl_files_open_through_the_registry() {
    let dir = std::env::temp_dir().join(format!("trajectoire-mdl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tank.MDL");
    std::fs::write(&path, doc(TANK, 3.0, 1.0).replace('\n', "\r\n")).unwrap();
    assert_eq!(formats::detect(&path).unwrap(), FileKind::Vensim);
    let Ok(OpenedFile::Model(o)) = formats::open(&path) else {
        panic!("not opened as a model");
    };
    assert_eq!(o.model.model().levers.len(), 1);
    let bad = dir.join("bad.mdl");
    std::fs::write(&bad, doc("x = FOO(1) ~~|", 1.0, 1.0)).unwrap();
    let e = formats::open(&bad).unwrap_err().to_string();
    assert!(e.contains("bad.mdl") && e.contains("FOO"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Ranges, a subrange, a numeric range, and variables over them.
const ARRAYS: &str = "seg: a, b, c ~~|\n\
    sub: b, c ~~|\n\
    reg: (r1-r2) ~~|\n\
    price[seg] = 1, 2, 3 ~ $ [0, 5] ~ Prices.|\n\
    grid[seg, reg] = 1, 2; 3, 4; 5, 6; ~~|\n\
    x[a] = Time ~~|\n\
    x[sub] = price[sub] * 10 ~~|\n\
    total = SUM(price[seg!]) ~~|\n\
    top = VMAX(price[seg!]) + VMIN(price[sub!]) ~~|\n\
    n = ELMCOUNT(seg) ~~|\n\
    pos[seg] = seg ~~|\n\
    col[reg] = SUM(grid[seg!, reg]) ~~|\n\
    s[a] = INTEG(1, 0) ~~|\n\
    s[sub] = INTEG(price[sub], x[sub]) ~~|\n\
    tab[a]((0,0),(1,1)) ~~|\n\
    tab[b]((0,0),(1,2)) ~~|\n\
    tab[c]((1,3),(0,0)) ~~|\n\
    y[seg] = tab[seg](0.5) + tab[c](1) ~~|\n";

fn lever_value(m: &CompiledModel, id: &str) -> f64 {
    let i = m.levers().iter().position(|l| l.id == id);
    m.default_levers()[i.unwrap_or_else(|| panic!("no lever `{id}`"))]
}

#[test]
fn subscript_ranges_become_dimensions() {
    let imported = read(&doc(ARRAYS, 2.0, 1.0)).unwrap();
    let m = &imported.model;
    let dims: Vec<(&str, Vec<&str>, Option<&str>)> = m
        .dimensions
        .iter()
        .map(|d| {
            let els = d.elements.iter().map(|e| e.id.as_str()).collect();
            (d.id.as_str(), els, d.subrange_of.as_deref())
        })
        .collect();
    assert_eq!(
        dims,
        [
            ("seg", vec!["a", "b", "c"], None),
            ("sub", vec!["b", "c"], Some("seg")),
            ("reg", vec!["r1", "r2"], None),
        ]
    );
    let price = m.levers.iter().find(|l| l.id == "price").unwrap();
    assert_eq!(price.dimensions, ["seg"]);
    assert_eq!((price.default, price.min, price.max), (1.0, 0.0, 5.0));
    let at: Vec<(&str, f64)> = price
        .by_element
        .iter()
        .map(|e| (e.at.as_str(), e.default))
        .collect();
    assert_eq!(at, [("b", 2.0), ("c", 3.0)]);
    let x = m.variable("x").unwrap();
    assert_eq!(x.dimensions, ["seg"]);
    assert_eq!(x.by_element[0].at, "sub");
    let grid = m.levers.iter().find(|l| l.id == "grid").unwrap();
    assert_eq!(grid.dimensions, ["seg", "reg"]);
}

/// Vensim's VECTOR SORT ORDER, VECTOR RANK and VECTOR REORDER on the
/// suite's (`vector_order`) first revenues, and on values that tie
/// (equal values keep their order, both ways); the sorted places are a
/// range mapped to the companies', as the suite writes them.
#[test]
fn vector_sort_order_rank_and_reorder_keep_vensims_meaning() {
    let text = doc(
        "company: (company1-company5) -> scompany ~~|\n\
         scompany: (sort1-sort5) -> company ~~|\n\
         revenue[company] = 140, 5788, 5685, 4946, 5890 ~~|\n\
         tied[company] = 3, 1, 3, 2, 1 ~~|\n\
         order[scompany] = VECTOR SORT ORDER(revenue[company], 1) ~~|\n\
         order down[scompany] = VECTOR SORT ORDER(revenue[company], 0) ~~|\n\
         rank[company] = VECTOR RANK(revenue[company], 1) ~~|\n\
         sorted[scompany] = VECTOR REORDER(revenue[company], order[scompany]) ~~|\n\
         tied order[scompany] = VECTOR SORT ORDER(tied[company], 1) ~~|\n\
         tied order down[scompany] = VECTOR SORT ORDER(tied[company], 0) ~~|\n\
         tied rank[company] = VECTOR RANK(tied[company], 1) ~~|\n\
         tied rank down[company] = VECTOR RANK(tied[company], 0) ~~|\n",
        1.0,
        1.0,
    );
    let m = compiled(&text);
    let at = |id: &str, names: &str| -> Vec<f64> {
        (1..=5)
            .map(|k| series(&m, &format!("{id}[{names}{k}]"))[0])
            .collect()
    };
    assert_eq!(at("order", "sort"), [0.0, 3.0, 2.0, 1.0, 4.0]);
    assert_eq!(at("order_down", "sort"), [4.0, 1.0, 2.0, 3.0, 0.0]);
    assert_eq!(at("rank", "company"), [1.0, 4.0, 3.0, 2.0, 5.0]);
    assert_eq!(
        at("sorted", "sort"),
        [140.0, 4946.0, 5685.0, 5788.0, 5890.0]
    );
    assert_eq!(at("tied_order", "sort"), [1.0, 4.0, 3.0, 0.0, 2.0]);
    assert_eq!(at("tied_order_down", "sort"), [0.0, 2.0, 3.0, 1.0, 4.0]);
    assert_eq!(at("tied_rank", "company"), [4.0, 1.0, 5.0, 3.0, 2.0]);
    assert_eq!(at("tied_rank_down", "company"), [1.0, 4.0, 2.0, 3.0, 5.0]);
    // Written out as ordinary operations: the XMILE export keeps them,
    // and reads back to the same run.
    let model = read(&text).unwrap().model;
    let xml = formats::xmile::write(&model).expect("writes");
    let back = formats::xmile::read(&xml, "back").unwrap().model;
    let back = trajectoire::model::compile(back).unwrap();
    for id in ["order[sort2]", "sorted[sort4]", "tied_rank_down[company3]"] {
        assert_eq!(series(&back, id), series(&m, id), "{id}");
    }
}

#[test]
fn subscripted_equations_run_element_by_element() {
    let c = compiled(&doc(ARRAYS, 2.0, 1.0));
    assert_eq!(lever_value(&c, "grid[b,r2]"), 4.0);
    close(&series(&c, "x[a]"), &[0.0, 1.0, 2.0]);
    close(&series(&c, "x[c]"), &[30.0, 30.0, 30.0]);
    close(&series(&c, "total"), &[6.0; 3]);
    close(&series(&c, "top"), &[5.0; 3]);
    close(&series(&c, "n"), &[3.0; 3]);
    close(&series(&c, "pos[c]"), &[3.0; 3]);
    close(&series(&c, "col[r2]"), &[12.0; 3]);
    // Per-element stocks: s[a] by 1 from 0, s[b] by 2 from x[b] = 20.
    close(&series(&c, "s[a]"), &[0.0, 1.0, 2.0]);
    close(&series(&c, "s[b]"), &[20.0, 22.0, 24.0]);
    // tab[c]'s points are read sorted; tab[c](1) = 3.
    close(&series(&c, "y[a]"), &[3.5; 3]);
    close(&series(&c, "y[b]"), &[4.0; 3]);
    close(&series(&c, "y[c]"), &[4.5; 3]);
}

#[test]
fn ranges_made_of_ranges_and_equivalences() {
    let text = "all: first, rest ~~|\n\
        first: p ~~|\n\
        rest: q, r ~~|\n\
        copy <-> all ~~|\n\
        v[all] = 1, 2, 3 ~~|\n\
        w[copy] = v[copy] * 2 ~~|\n\
        m[all, copy] = IF THEN ELSE(all = copy, 1, 0) ~~|\n";
    let imported = read(&doc(text, 1.0, 1.0)).unwrap();
    let dims = &imported.model.dimensions;
    assert_eq!(dims[0].elements.len(), 3);
    assert_eq!(dims[3].subrange_of.as_deref(), Some("all"));
    let c = imported.compile(None).unwrap();
    close(&series(&c, "w[r]"), &[6.0, 6.0]);
    close(&series(&c, "m[q,q]"), &[1.0, 1.0]);
    close(&series(&c, "m[q,r]"), &[0.0, 0.0]);
}

#[test]
fn except_leaves_elements_to_other_records() {
    let text = "d: a, b ~~|\n\
        f: p, q ~~|\n\
        x[d, f] :EXCEPT: [b, q] = Time ~~|\n\
        x[b, q] = 2 ~~|\n\
        s[d] :EXCEPT: [a] = INTEG(1, 0) ~~|\n\
        s[a] = INTEG(2, 5) ~~|\n";
    let c = compiled(&doc(text, 1.0, 1.0));
    close(&series(&c, "x[a,q]"), &[0.0, 1.0]);
    close(&series(&c, "x[b,p]"), &[0.0, 1.0]);
    close(&series(&c, "x[b,q]"), &[2.0, 2.0]);
    close(&series(&c, "s[a]"), &[5.0, 7.0]);
    close(&series(&c, "s[b]"), &[0.0, 1.0]);
}

#[test]
fn mappings_pair_ranges_element_by_element() {
    let text = "d: a, b -> e ~~|\n\
        e: p, q ~~|\n\
        x[d] = 1, 2 ~~|\n\
        y[e] = x[d] * 10 + SUM(x[d!]) ~~|\n\
        s[e] = INTEG(x[d], 0) ~~|\n\
        age: a0, a1, a2 ~~|\n\
        later: a1, a2 ~~|\n\
        before: a0, a1 -> later ~~|\n\
        n[age] = 1, 2, 4 ~~|\n\
        g[a0] = 0 ~~|\n\
        g[later] = n[before] + n[later] ~~|\n";
    let c = compiled(&doc(text, 1.0, 1.0));
    close(&series(&c, "y[p]"), &[13.0, 13.0]);
    close(&series(&c, "y[q]"), &[23.0, 23.0]);
    close(&series(&c, "s[p]"), &[0.0, 1.0]);
    close(&series(&c, "s[q]"), &[0.0, 2.0]);
    close(&series(&c, "g[a0]"), &[0.0, 0.0]);
    close(&series(&c, "g[a1]"), &[3.0, 3.0]);
    close(&series(&c, "g[a2]"), &[6.0, 6.0]);
}

#[test]
fn a_variable_over_some_elements_gets_a_range_of_its_own() {
    let text = "d: a, b, c ~~|\n\
        x[a] = 5 * Time ~~|\n\
        x[c] = -Time ~~|\n\
        y[a, d] = 1, 2, 3 ~~|\n\
        y[c, d] = Time ~~|\n\
        z[c] = x[c] + y[c, b] ~~|\n";
    let imported = read(&doc(text, 1.0, 1.0)).unwrap();
    // One range for x and y's first place alike, `a` and `c` of `d`; one
    // for z, `c`.
    let dims = &imported.model.dimensions;
    assert_eq!(dims.len(), 3, "{dims:?}");
    assert_eq!(dims[2].elements.len(), 1, "{dims:?}");
    assert_eq!(dims[1].subrange_of.as_deref(), Some("d"));
    let elements: Vec<&str> = dims[1].elements.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(elements, ["a", "c"]);
    assert_eq!(
        imported.model.variable("y").unwrap().dimensions,
        [dims[1].id.as_str(), "d"]
    );
    let c = imported.compile(None).unwrap();
    close(&series(&c, "x[a]"), &[0.0, 5.0]);
    close(&series(&c, "x[c]"), &[0.0, -1.0]);
    close(&series(&c, "y[a,c]"), &[3.0, 3.0]);
    close(&series(&c, "z[c]"), &[0.0, 0.0]);
}

#[test]
fn subscripted_with_lookup_has_a_lookup_per_record() {
    let text = "d: a, b ~~|\n\
        v[d] = 4, 6 ~~|\n\
        w[d] = WITH LOOKUP(v[d], ((4,3),(6,4))) ~~|\n\
        u[a] = WITH LOOKUP(Time, ((0,0),(1,10))) ~~|\n\
        u[b] = Time ~~|\n";
    let imported = read(&doc(text, 1.0, 1.0)).unwrap();
    let tables: Vec<&str> = imported
        .model
        .lookups
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(tables, ["w_lookup", "u_lookup"]);
    let c = imported.compile(None).unwrap();
    close(&series(&c, "w[a]"), &[3.0, 3.0]);
    close(&series(&c, "w[b]"), &[4.0, 4.0]);
    close(&series(&c, "u[a]"), &[0.0, 10.0]);
    close(&series(&c, "u[b]"), &[0.0, 1.0]);
}

#[test]
fn invert_matrix_is_written_out_by_cofactors() {
    let text = "d: a, b ~~|\n\
        e: p, q ~~|\n\
        m[d, e] = 4, 7; 2, 6; ~~|\n\
        inv[d, e] = INVERT MATRIX(m[d, e], 2) ~~|\n\
        f: f1, f2, f3, f4 ~~|\n\
        g: g1, g2, g3, g4 ~~|\n\
        m4[f, g] = 2, 1, 0, 3; 1, 5, 2, 0; 0, 2, 4, 1; 3, 0, 1, 6; ~~|\n\
        inv4[f, g] = INVERT MATRIX(m4[f, g], 4) + 0 * Time ~~|\n";
    // Not the whole equation: refused.
    let e = refusal(&doc(text, 1.0, 1.0));
    assert_eq!(e.kind, MdlErrorKind::Unsupported, "{e}");
    assert!(e.message.contains("whole equation"), "{e}");
    assert_eq!((e.pos.line, e.pos.col), (9, 14), "{e}");
    let c = compiled(&doc(&text.replace(" + 0 * Time", ""), 1.0, 1.0));
    close(&series(&c, "inv[a,p]"), &[0.6, 0.6]);
    close(&series(&c, "inv[a,q]"), &[-0.7, -0.7]);
    close(&series(&c, "inv[b,p]"), &[-0.2, -0.2]);
    close(&series(&c, "inv[b,q]"), &[0.4, 0.4]);
    let m4 = [
        [2.0, 1.0, 0.0, 3.0],
        [1.0, 5.0, 2.0, 0.0],
        [0.0, 2.0, 4.0, 1.0],
        [3.0, 0.0, 1.0, 6.0],
    ];
    let inv = |i: usize, k: usize| series(&c, &format!("inv4[f{},g{}]", i + 1, k + 1))[0];
    // inv4 times m4 is the identity.
    for (i, j) in (0..4).flat_map(|i| (0..4).map(move |j| (i, j))) {
        let x: f64 = m4
            .iter()
            .enumerate()
            .map(|(k, row)| inv(i, k) * row[j])
            .sum();
        let want = if i == j { 1.0 } else { 0.0 };
        assert!((x - want).abs() < 1e-12, "({i}, {j}): {x}");
    }
    for (eqns, what, kind) in [
        (
            "inv[d, e] = INVERT MATRIX(m[d, e], 3) ~~|",
            "size 3",
            MdlErrorKind::Invalid,
        ),
        (
            "inv[d, e] = INVERT MATRIX(m[d, a], 2) ~~|",
            "last two subscripts",
            MdlErrorKind::Unsupported,
        ),
        (
            "inv[d] = INVERT MATRIX(m[d, e], 2) ~~|",
            "fills a variable",
            MdlErrorKind::Unsupported,
        ),
    ] {
        let text = format!("d: a, b ~~|\ne: p, q ~~|\nm[d, e] = 4, 7; 2, 6; ~~|\n{eqns}");
        let e = refusal(&doc(&text, 1.0, 1.0));
        assert_eq!(e.kind, kind, "{eqns}: {e}");
        assert!(e.message.contains(what), "{eqns}: {e}");
    }
}

#[test]
fn subscripts_we_cannot_simulate_are_refused_where_they_are() {
    let head = "d: a, b ~~|\n";
    let cases: [(&str, &str, MdlErrorKind, (usize, usize)); 11] = [
        (
            "x[d] :EXCEPT: [a] = 1 ~~|",
            "`x[a]` has no equation",
            MdlErrorKind::Invalid,
            (3, 1),
        ),
        (
            "x[d] = VECTOR SORT ORDER(d, 1) ~~|",
            "VECTOR SORT ORDER",
            MdlErrorKind::Unsupported,
            (3, 8),
        ),
        (
            "x[d] = 1 ~~|\nx[a] = 2 ~~|",
            "`x[a]` is given an equation here and at line 3",
            MdlErrorKind::Invalid,
            (4, 1),
        ),
        (
            "x[a, a] = 1 ~~|\nx[b, b] = 2 ~~|",
            "`x[a, b]` has no equation",
            MdlErrorKind::Invalid,
            (3, 1),
        ),
        (
            "x[d] = 1, 2, 3 ~~|",
            "3 numbers here for 2 elements",
            MdlErrorKind::Invalid,
            (3, 1),
        ),
        (
            "x[e] = 1 ~~|",
            "`e` is neither a subscript range",
            MdlErrorKind::Invalid,
            (3, 3),
        ),
        (
            "x[d] = ACTIVE INITIAL(Time, 1) ~~|",
            "ACTIVE INITIAL",
            MdlErrorKind::Unsupported,
            (3, 1),
        ),
        (
            "e: b, c ~~|",
            "share elements",
            MdlErrorKind::Unsupported,
            (3, 1),
        ),
        (
            "e: p, q, r -> d ~~|",
            "(3 elements) maps onto `d` (2 elements)",
            MdlErrorKind::Invalid,
            (3, 15),
        ),
        (
            "e: p, q -> f ~~|",
            "which is not a range",
            MdlErrorKind::Invalid,
            (3, 12),
        ),
        (
            "e: p, q -> d ~~|\nx[d] :EXCEPT: [a] = 1 ~~|\nx[a] = 2 ~~|\ny[e] = 3 ~~|\n\
             z[d] :EXCEPT: [b] = y[e] ~~|\nz[b] = 1 ~~|",
            ":EXCEPT:",
            MdlErrorKind::Unsupported,
            (7, 1),
        ),
    ];
    for (eqns, what, kind, (line, col)) in cases {
        let e = refusal(&doc(&format!("{head}{eqns}"), 2.0, 1.0));
        assert_eq!(e.kind, kind, "{eqns}: {e}");
        assert!(e.message.contains(what), "{eqns}: {e}");
        assert_eq!((e.pos.line, e.pos.col), (line, col), "{eqns}: {e}");
    }
}

#[test]
fn quantum_and_the_hyperbolic_functions() {
    let m = compiled(&doc(
        "q = QUANTUM(7.5, 2)\n\t~\t\n\t~\t\n\t|\n\nn = QUANTUM(-7.5, 2)\n\t~\t\n\t~\t\n\t|\n\nz = QUANTUM(7.5, 0)\n\t~\t\n\t~\t\n\t|\n\nh = SINH(1) + COSH(1) - TANH(0.5) + TIME\n\t~\t\n\t~\t\n\t|\n",
        1.0,
        1.0,
    ));
    // Towards zero, as Vensim's INTEGER; B <= 0 gives A.
    assert_eq!(series(&m, "q")[0], 6.0);
    assert_eq!(series(&m, "n")[0], -6.0);
    assert_eq!(series(&m, "z")[0], 7.5);
    let want = 1f64.sinh() + 1f64.cosh() - 0.5f64.tanh();
    assert!((series(&m, "h")[0] - want).abs() < 1e-12);
}

/// Reads `text`, which must be refused within a second with `what`.
fn refused_quickly(text: &str, what: &str) -> MdlError {
    let t = std::time::Instant::now();
    let e = refusal(text);
    let took = t.elapsed();
    assert!(e.message.contains(what), "{e}");
    assert!(took < std::time::Duration::from_secs(1), "{what}: {took:?}");
    e
}

#[test]
fn subscripts_past_the_engines_limits_are_refused_before_they_are_built() {
    // 40 subscripts of 2 elements: 2^40 elements.
    let many = vec!["a"; 40].join(",");
    let e = refused_quickly(
        &doc(&format!("a: a1, a2 ~~|\nx[{many}] = 1 ~~|\n"), 1.0, 1.0),
        "`x` has 40 subscripts here: at most 8 are allowed",
    );
    assert_eq!(
        (e.kind, e.pos.line, e.pos.col),
        (MdlErrorKind::Invalid, 3, 1)
    );
    // 9999 × 9999 elements.
    let e = refused_quickly(
        &doc(
            "a: (a1-a9999) ~~|\nb: (b1-b9999) ~~|\nx[a, b] = 1 ~~|\n",
            1.0,
            1.0,
        ),
        "`x` has more than 100000 elements",
    );
    assert_eq!((e.pos.line, e.pos.col), (4, 1));
    // Eleven variables of 99900 elements: more than a million in all,
    // refused before any is built.
    let vars: String = (0..11).map(|i| format!("x{i}[a, b] = {i} ~~|\n")).collect();
    let e = refused_quickly(
        &doc(
            &format!("a: (a1-a999) ~~|\nb: (b1-b100) ~~|\n{vars}"),
            1.0,
            1.0,
        ),
        "more than 1000000 elements in all",
    );
    assert_eq!((e.pos.line, e.pos.col), (14, 1));
}

#[test]
fn hostile_ranges_are_refused_quickly() {
    // Each range twice the one before: flattened once each, each element
    // once.
    let mut text = String::from("r0: e0, e1 ~~|\n");
    for i in 1..=40 {
        text += &format!("r{i}: r{}, r{} ~~|\n", i - 1, i - 1);
    }
    text += "x[r40] = 1, 2 ~~|\n";
    let t = std::time::Instant::now();
    let imported = read(&doc(&text, 1.0, 1.0)).unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(1));
    assert!(
        imported
            .model
            .dimensions
            .iter()
            .all(|d| d.elements.len() == 2)
    );
    // A chain of 10000 ranges written from its end, read on a small
    // stack: no recursion.
    let mut text: String = (1..10_000)
        .rev()
        .map(|i| format!("r{i}: r{} ~~|\n", i - 1))
        .collect();
    text += "r0: e ~~|\n";
    let t = std::time::Instant::now();
    let text = doc(&text, 1.0, 1.0);
    let reader = std::thread::Builder::new().stack_size(512 << 10);
    let dims = reader
        .spawn(move || read(&text).map(|m| m.model.dimensions.len()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(dims.unwrap(), 10_000);
    assert!(t.elapsed() < std::time::Duration::from_secs(1));
    // Defined through itself.
    let e = refused_quickly(
        &doc("a: b, x ~~|\nb: c ~~|\nc: a ~~|\n", 1.0, 1.0),
        "the range `a` is defined through itself",
    );
    assert_eq!((e.pos.line, e.pos.col), (2, 1));
}

#[test]
fn ranges_past_a_million_elements_in_all_are_refused() {
    // Each range one element more than the one before: quadratic in all.
    let mut text = String::from("r0: e0 ~~|\n");
    for i in 1..3000 {
        text += &format!("r{i}: r{}, e{i} ~~|\n", i - 1);
    }
    let e = refused_quickly(&doc(&text, 1.0, 1.0), "more than 1000000 elements in all");
    assert!(e.message.contains("`r1413`"), "{e}");
}

#[test]
fn numeric_ranges_past_the_limits_are_refused() {
    // A numeric range past the limit says so.
    let e = refused_quickly(
        &doc("a: (a1-a99999999) ~~|\n", 1.0, 1.0),
        "`(a1-a99999999)` has 99999999 elements: a range has at most 100000",
    );
    assert_eq!((e.pos.line, e.pos.col), (2, 4));
    // Numeric ranges past the limit of the whole file.
    let ranges: String = (0..11)
        .map(|i| format!("r{i}: (e{i}x1-e{i}x99999) ~~|\n"))
        .collect();
    let e = refused_quickly(&doc(&ranges, 1.0, 1.0), "more than 1000000 elements in all");
    assert_eq!(e.pos.line, 12);
}

#[test]
fn ranges_and_lists_are_checked_as_vensim_reads_them() {
    let head = "a: a1, a2, a3 ~~|\nb: b1, b2 ~~|\n";
    let cases: [(&str, &str, (usize, usize)); 7] = [
        // :EXCEPT: over another range.
        (
            "x[a] :EXCEPT: [b2] = 1 ~~|\nx[a2] = 2 ~~|",
            "`:EXCEPT:` names `b2` where `x` is subscripted by `a`",
            (4, 16),
        ),
        // A range defined twice, or named as a variable.
        (
            "a: a4, a5 ~~|",
            "`a` is a range defined here and at line 2, column 1",
            (4, 1),
        ),
        (
            "b = 3 ~~|",
            "`b` is a range and a variable defined here and at line 3, column 1",
            (4, 1),
        ),
        // `;` makes a list: one number for three elements.
        (
            "x[a] = 5; ~~|",
            "given 1 number here for 3 elements",
            (4, 1),
        ),
        // Rows run over the last subscript.
        (
            "x[a, b] = 1, 2, 3; 4, 5, 6; ~~|",
            "a row of `x`'s list has 3 numbers here; its rows run over its last \
             range subscript, which has 2 elements",
            (4, 1),
        ),
        (
            "x[a, b] = 1, 2; 3, 4; ~~|",
            "given 4 numbers here for 6 elements",
            (4, 1),
        ),
        // An element given twice.
        ("c: x, y, x ~~|", "`c` has the element `x` twice", (4, 10)),
    ];
    for (eqns, what, (line, col)) in cases {
        let e = refusal(&doc(&format!("{head}{eqns}\n"), 1.0, 1.0));
        assert_eq!(e.kind, MdlErrorKind::Invalid, "{eqns}: {e}");
        assert!(e.message.contains(what), "{eqns}: {e}");
        assert_eq!((e.pos.line, e.pos.col), (line, col), "{eqns}: {e}");
    }
    // `x[a] = 5` gives every element 5; rows of |b| numbers fill x.
    let c = compiled(&doc(
        &format!("{head}x[a] = 5 ~~|\ny[a, b] = 1, 2; 3, 4; 5, 6; ~~|\n"),
        1.0,
        1.0,
    ));
    assert_eq!(lever_value(&c, "x[a3]"), 5.0);
    assert_eq!(lever_value(&c, "y[a2,b1]"), 3.0);
    assert_eq!(lever_value(&c, "y[a3,b2]"), 6.0);
}

#[test]
fn an_except_record_is_its_variables_own_equation() {
    // The :EXCEPT: record is not copied to each of its elements.
    let text = "a: (a1-a20000) ~~|\n\
        x[a] :EXCEPT: [a1] = Time * 2 ~~|\n\
        x[a1] = Time ~~|\n";
    let t = std::time::Instant::now();
    let imported = read(&doc(text, 1.0, 1.0)).unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(1));
    let x = imported.model.variable("x").unwrap();
    assert!(matches!(&x.kind, VariableKind::Aux { equation } if equation.contains('2')));
    assert_eq!(x.by_element.len(), 1);
    assert_eq!(x.by_element[0].at, "a1");
    // Two :EXCEPT: records: the second copied to its elements.
    let text = "d: a, b, c ~~|\n\
        x[d] :EXCEPT: [a], [b] = 3 + Time ~~|\n\
        x[d] :EXCEPT: [c] , [b] = Time ~~|\n\
        x[b] = 7 ~~|\n";
    let c = compiled(&doc(text, 1.0, 1.0));
    close(&series(&c, "x[a]"), &[0.0, 1.0]);
    close(&series(&c, "x[b]"), &[7.0, 7.0]);
    close(&series(&c, "x[c]"), &[3.0, 4.0]);
}

#[test]
fn vector_select_combines_the_selected_elements_by_its_action() {
    let text = "d: a, b, c ~~|\n\
        e: p, q ~~|\n\
        s[d] = 2, 0, -1 ~~|\n\
        x[d] = 3, 5, 4 ~~|\n\
        w[e] = 1, 10 ~~|\n\
        none[d] = 0 ~~|\n\
        sm[d, e] = 1, 0; 0, 0; 1, 1; ~~|\n\
        by action = VECTOR SELECT(s[d!], x[d!], -9, Time, 0) ~~|\n\
        weighted max = VECTOR SELECT(s[d!], x[d!], -9, 3, 0) ~~|\n\
        empty = VECTOR SELECT(none[d!], x[d!], -9, 0, 0) ~~|\n\
        crossed = VECTOR SELECT(s[d!], w[e!], -9, 4, 0) ~~|\n\
        own[e] = VECTOR SELECT(sm[d!, e], w[e!], -9, 6, 0) ~~|\n";
    let c = compiled(&doc(text, 10.0, 1.0));
    // Selected: a (s 2, x 3) and c (s -1, x 4).
    let want = [
        6.0 - 4.0,           // 0: weighted sum
        6.0 * -4.0,          // 1: weighted product
        -4.0,                // 2: weighted minimum
        6.0,                 // 3: weighted maximum
        1.0,                 // 4: weighted mean
        3f64.powi(2) * 0.25, // 5: product of x ^ s
        7.0,                 // 6: sum
        12.0,                // 7: product
        3.0,                 // 8: minimum
        4.0,                 // 9: maximum
        3.5,                 // 10: mean
    ];
    close(&series(&c, "by_action"), &want);
    assert!(series(&c, "weighted_max").iter().all(|&v| v == 6.0));
    assert!(series(&c, "empty").iter().all(|&v| v == -9.0));
    // Over d and e: (2 - 1) * (1 + 10) / (2 selected * 2 of e).
    assert!(series(&c, "crossed").iter().all(|&v| v == 11.0 / 4.0));
    // `e` is own's element, `e!` all of them: sm[., p] selects a and c.
    assert!(series(&c, "own[p]").iter().all(|&v| v == 2.0 * 11.0));
    assert!(series(&c, "own[q]").iter().all(|&v| v == 11.0));
    // Calls nested in calls are bounded before they are copied.
    let mut nested = "x[d!]".to_string();
    for _ in 0..8 {
        nested = format!("VECTOR SELECT(s[d!], {nested}, 0, Time, 0) + x[d!]");
    }
    let text = format!("d: a, b ~~|\ns[d] = 1 ~~|\nx[d] = 1 ~~|\ny = {nested} ~~|\n");
    let e = refusal(&doc(&text, 1.0, 1.0));
    assert_eq!(e.kind, MdlErrorKind::Unsupported, "{e}");
    assert!(e.message.contains("longer than"), "{e}");
    for (eqn, what, kind, col) in [
        (
            "VECTOR SELECT(s[d!], x[d!], 0, 0, 1)",
            "error action 1",
            MdlErrorKind::Unsupported,
            39,
        ),
        (
            "VECTOR SELECT(s[d!], x[d!], 0, 11, 0)",
            "not 11",
            MdlErrorKind::Invalid,
            36,
        ),
        (
            "VECTOR SELECT(s[a], x[a], 0, 0, 0)",
            "marked `!`",
            MdlErrorKind::Invalid,
            5,
        ),
    ] {
        let text = format!("d: a, b ~~|\ns[d] = 1 ~~|\nx[d] = 1 ~~|\ny = {eqn} ~~|\n");
        let e = refusal(&doc(&text, 1.0, 1.0));
        assert_eq!(e.kind, kind, "{eqn}: {e}");
        assert!(e.message.contains(what), "{eqn}: {e}");
        assert_eq!((e.pos.line, e.pos.col), (5, col), "{eqn}: {e}");
    }
}

#[test]
fn a_final_time_known_at_every_step_stops_the_run_where_it_is_reached() {
    let with_final = |eqns: &str, fin: &str, dt: f64| {
        doc(eqns, 99.0, dt).replace("FINAL TIME  = 99", &format!("FINAL TIME  = {fin}"))
    };
    let c = compiled(&with_final(
        "x = Time ~~|\ncontrol = x * 2 - 5 ~~|",
        "IF THEN ELSE(control > 50, Time, 100)",
        1.0,
    ));
    let x = series(&c, "x");
    assert_eq!(x.len(), 29, "{x:?}");
    assert_eq!(x.last(), Some(&28.0));
    let c = compiled(&with_final(
        "x = Time ~~|",
        "IF THEN ELSE(Time >= 3, Time, 10)",
        0.5,
    ));
    assert_eq!(series(&c, "x").last(), Some(&3.0));
    for (fin, eqns, what) in [
        (
            "IF THEN ELSE(Time > 2.5, 2.5, 100)",
            "x = 1 ~~|",
            "passed at time 3",
        ),
        ("Time + 1", "x = 1 ~~|", "not reached within"),
        ("s", "s = INTEG(1, 0) ~~|", "reads a stock"),
        (
            "IF THEN ELSE(Time > 2, Time, 9)",
            "x = FINAL TIME ~~|",
            "reads `FINAL TIME`",
        ),
    ] {
        let e = refusal(&with_final(eqns, fin, 1.0));
        assert_eq!(e.kind, MdlErrorKind::Unsupported, "{fin}: {e}");
        assert!(e.message.contains(what), "{fin}: {e}");
    }
}

#[test]
fn allocate_by_priority_serves_the_highest_priorities_first() {
    let text = "d: a, b, c, z ~~|\n\
        request[d] = 10, 6, 3, 0 ~~|\n\
        priority[d] = 2, 4, 3, 9 ~~|\n\
        served[d] = ALLOCATE BY PRIORITY(request[d], priority[d], ELMCOUNT(d), 3, Time) ~~|\n";
    let c = compiled(&doc(text, 25.0, 1.0));
    // PySD's `allocate_by_priority`, step by step, at these supplies.
    let want: [(usize, [f64; 4]); 8] = [
        (0, [0.0, 0.0, 0.0, 0.0]),
        (1, [0.0, 1.0, 0.0, 0.0]),
        (2, [0.0, 2.0, 0.0, 0.0]),
        (5, [0.0, 4.0, 1.0, 0.0]),
        (12, [50.0 / 13.0, 6.0, 28.0 / 13.0, 0.0]),
        (18, [9.0, 6.0, 3.0, 0.0]),
        (19, [10.0, 6.0, 3.0, 0.0]),
        (25, [10.0, 6.0, 3.0, 0.0]),
    ];
    let runs: Vec<Vec<f64>> = ["a", "b", "c", "z"]
        .iter()
        .map(|e| series(&c, &format!("served[{e}]")))
        .collect();
    for (t, v) in want {
        for (k, run) in runs.iter().enumerate() {
            assert!((run[t] - v[k]).abs() < 1e-12, "supply {t}, {k}: {}", run[t]);
        }
    }
    for (call, what, kind) in [
        (
            "ALLOCATE BY PRIORITY(request[d], priority[d], 3, 3, Time)",
            "size",
            MdlErrorKind::Invalid,
        ),
        (
            "ALLOCATE BY PRIORITY(request[a], priority[d], 4, 3, Time)",
            "last subscript",
            MdlErrorKind::Unsupported,
        ),
        (
            "ALLOCATE BY PRIORITY(request[d], priority[d], 4, request[d], Time)",
            "one per row",
            MdlErrorKind::Invalid,
        ),
    ] {
        let e = refusal(&doc(
            &text.replace(
                "ALLOCATE BY PRIORITY(request[d], priority[d], ELMCOUNT(d), 3, Time)",
                call,
            ),
            1.0,
            1.0,
        ));
        assert_eq!(e.kind, kind, "{call}: {e}");
        assert!(e.message.contains(what), "{call}: {e}");
        assert_eq!(e.pos.line, 5, "{call}: {e}");
    }
}

/// Macro `ACC` (a stock of its input) and `SCALED` (two outputs), as a
/// model's text before its calls.
const MACROS: &str = ":MACRO: ACC(rate)\nACC = INTEG(rate, 0) ~ widgets ~ The sum so far. |\n\
    :END OF MACRO:\n\
    :MACRO: SCALED(x, k : twice)\nSCALED = x * k ~~|\ntwice = SCALED * 2 ~~|\n:END OF MACRO:\n";

#[test]
fn every_macro_call_has_its_own_stocks() {
    let text = doc(
        &format!("{MACROS}a = ACC(1) ~~|\nb = ACC(2) ~~|\nc = ACC(a) + ACC(3) ~~|"),
        3.0,
        1.0,
    );
    let m = compiled(&text);
    close(&series(&m, "a"), &[0.0, 1.0, 2.0, 3.0]);
    close(&series(&m, "b"), &[0.0, 2.0, 4.0, 6.0]);
    // ACC(a) sums a's values of the steps before: 0, 0, 1, 3.
    close(&series(&m, "c"), &[0.0, 3.0, 7.0, 12.0]);
    let stocks: Vec<&str> = m
        .model()
        .variables
        .iter()
        .filter(|v| matches!(v.kind, VariableKind::Stock { .. }))
        .map(|v| v.label.en.as_str())
        .collect();
    assert_eq!(
        stocks,
        ["a.ACC.ACC", "b.ACC.ACC", "c.ACC.ACC", "c.ACC 2.ACC"],
        "one stock per call, each labelled with its call"
    );
    let v = m
        .model()
        .variables
        .iter()
        .find(|v| v.label.en == "b.ACC.ACC");
    assert_eq!(v.map(|v| v.unit.en.as_str()), Some("widgets"));
}

#[test]
fn a_macro_gives_its_further_outputs_to_the_calls_variables() {
    let text = doc(
        &format!(
            "{MACROS}y = SCALED(Time, 3 : z) ~~|\n\
             :MACRO: BOTH(x : double)\nBOTH = SCALED(x, 1 : double) ~~|\n:END OF MACRO:\n\
             w = BOTH(Time + 1 : v) ~~|"
        ),
        2.0,
        1.0,
    );
    let m = compiled(&text);
    close(&series(&m, "y"), &[0.0, 3.0, 6.0]);
    close(&series(&m, "z"), &[0.0, 6.0, 12.0]);
    close(&series(&m, "w"), &[1.0, 2.0, 3.0]);
    close(&series(&m, "v"), &[2.0, 4.0, 6.0]);
}

#[test]
fn macros_that_cannot_be_written_out_are_refused_where_they_are() {
    let cases: [(&str, MdlErrorKind, &str, (usize, usize)); 6] = [
        (
            "x = NOPE(1) ~~|",
            MdlErrorKind::Unsupported,
            "`NOPE`",
            (2, 5),
        ),
        (
            "x = NOPE(1 : y) ~~|",
            MdlErrorKind::Invalid,
            "no macro",
            (2, 5),
        ),
        (
            ":MACRO: A(x)\nA = B(x) ~~|\n:END OF MACRO:\n\
             :MACRO: B(x)\nB = A(x) + 1 ~~|\n:END OF MACRO:\ny = A(1) ~~|",
            MdlErrorKind::Unsupported,
            "calls itself (A → B → A)",
            (6, 5),
        ),
        (
            "k = 2 ~~|\n:MACRO: M(x)\nM = x * k ~~|\n:END OF MACRO:\ny = M(1) ~~|",
            MdlErrorKind::Invalid,
            "neither one of its inputs",
            (4, 9),
        ),
        (
            ":MACRO: M(x)\nM[d] = x ~~|\n:END OF MACRO:\ny = M(1) ~~|",
            MdlErrorKind::Unsupported,
            "subscripts",
            (3, 1),
        ),
        (
            ":MACRO: M(x)\nM = x ~~|\ny = M(1) ~~|",
            MdlErrorKind::Malformed,
            "never closed",
            (2, 9),
        ),
    ];
    for (eqns, kind, what, (line, col)) in cases {
        let e = refusal(&doc(eqns, 2.0, 1.0));
        assert_eq!(e.kind, kind, "{eqns}: {e}");
        assert!(e.message.contains(what), "{eqns}: {e}");
        assert_eq!((e.pos.line, e.pos.col), (line, col), "{eqns}: {e}");
    }
    let e = refusal(&doc(&format!("{MACROS}y = SCALED(1) ~~|"), 2.0, 1.0));
    assert!(e.message.contains("takes 2 inputs, not 1"), "{e}");
}
