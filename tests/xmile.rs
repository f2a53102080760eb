//! XMILE import on small documents written here: stocks and flows, the
//! graphical functions' types, names, constants as levers, charts, and
//! every refusal with its line and column. The SDXorg suite is
//! `tests/conformance.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use trajectoire::formats::xmile::{self, Imported, XmileError, XmileErrorKind};
use trajectoire::formats::{self, FileKind, OpenedFile};
use trajectoire::model::def::{LookupMode, Method, TimeUnit, VariableKind};
use trajectoire::model::{CompiledModel, Item};

/// A document with `variables` in its model and the clock `specs`.
fn doc(specs: &str, variables: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
    <header><vendor>Tests</vendor><product version="1">hand</product></header>
    <sim_specs method="Euler" time_units="Months">{specs}</sim_specs>
    <model>
        <variables>
{variables}
        </variables>
    </model>
</xmile>"#
    )
}

const CLOCK: &str = "<start>0</start><stop>4</stop><dt>1</dt>";

fn read(text: &str) -> Result<Imported, XmileError> {
    xmile::read(text, "test")
}

fn compiled(text: &str) -> CompiledModel {
    read(text).unwrap().compile(None).unwrap()
}

/// One variable's values over the run, levers at their defaults.
fn series(m: &CompiledModel, id: &str) -> Vec<f64> {
    let run = m.run(&m.default_levers());
    run.series(
        m.var_index(id)
            .unwrap_or_else(|| panic!("no variable `{id}`")),
    )
    .to_vec()
}

fn refusal(text: &str) -> XmileError {
    match read(text) {
        Ok(_) => panic!("the document was accepted"),
        Err(e) => e,
    }
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trajectoire-xmile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write(name: &str, text: &str) -> PathBuf {
    let p = tmp(name);
    std::fs::write(&p, text).unwrap();
    p
}

const TANK: &str = r#"
            <stock name="Water in tank">
                <eqn>100</eqn>
                <inflow>filling</inflow>
                <outflow>Draining</outflow>
                <units>litres</units>
                <doc>What the tank holds.</doc>
            </stock>
            <flow name="Filling"><eqn>10</eqn></flow>
            <flow name="draining"><eqn>Water_in_tank * drain_fraction</eqn></flow>
            <aux name="Drain fraction"><eqn>0.5</eqn><range min="0" max="0.8"/></aux>"#;

#[test]
fn stocks_integrate_their_flows() {
    let text = doc("<start>0</start><stop>2</stop><dt>0.5</dt>", TANK);
    let imported = read(&text).unwrap();
    let m = &imported.model;
    assert_eq!(m.time.dt, 0.5);
    assert_eq!(m.time.unit, TimeUnit::Month);
    assert_eq!((m.start_year, m.end_year), (0, 2));
    let tank = m.variable("water_in_tank").unwrap();
    assert_eq!(tank.label.en, "Water in tank");
    assert_eq!(tank.unit.en, "litres");
    assert_eq!(tank.description.en, "What the tank holds.");
    let VariableKind::Stock {
        initial,
        inflows,
        outflows,
        non_negative,
        ..
    } = &tank.kind
    else {
        panic!("not a stock: {:?}", tank.kind);
    };
    assert_eq!(initial, "100");
    assert_eq!(
        (inflows.as_slice(), outflows.as_slice()),
        (&["filling".to_string()][..], &["draining".to_string()][..])
    );
    assert!(!non_negative);
    // The constant is a lever over the model's own range.
    let lever = m.lever("drain_fraction").unwrap();
    assert_eq!((lever.min, lever.max, lever.default), (0.0, 0.8, 0.5));
    assert!(m.variable("drain_fraction").is_none());
    assert_eq!(m.charts.len(), 1);
    assert_eq!(m.charts[0].series, ["water_in_tank"]);

    let c = imported.compile(None).unwrap();
    // Euler, dt 0.5: S' = S + 0.5 (10 - S/2) = 0.75 S + 5.
    let mut s = 100.0;
    let mut want = vec![s];
    for _ in 0..4 {
        s = 0.75 * s + 5.0;
        want.push(s);
    }
    assert_eq!(c.times(), [0.0, 0.5, 1.0, 1.5, 2.0]);
    assert_eq!(series(&c, "water_in_tank"), want);
    // Moving the lever changes the run, as any lever does.
    let mut levers = c.default_levers();
    levers[c.lever_index("drain_fraction").unwrap()] = 0.0;
    let run = c.run(&levers);
    assert_eq!(run.series(c.var_index("water_in_tank").unwrap())[4], 120.0);
}

#[test]
fn graphical_functions_of_each_type_inline_and_named() {
    let gfs = r#"
            <gf name="Effect" type="extrapolate">
                <xpts>0,1,2</xpts><ypts>0,10,30</ypts>
            </gf>
            <aux name="steps"><eqn>TIME</eqn>
                <gf type="DISCRETE"><xscale min="0" max="4"/><ypts sep=";">1;2;3</ypts></gf>
            </aux>
            <aux name="smooth"><eqn>Time</eqn>
                <gf><xpts>0, 4</xpts><ypts>0,
                    8</ypts></gf>
            </aux>
            <aux name="beyond"><eqn>effect(time)</eqn></aux>
            <aux name="via lookup"><eqn>LOOKUP(steps, 3)</eqn></aux>"#;
    let imported = read(&doc(CLOCK, gfs)).unwrap();
    let m = &imported.model;
    let effect = m.lookups.iter().find(|l| l.id == "effect").unwrap();
    assert_eq!(effect.mode, LookupMode::Extrapolate);
    assert_eq!(effect.points, [(0.0, 0.0), (1.0, 10.0), (2.0, 30.0)]);
    let steps = m.lookups.iter().find(|l| l.id == "steps_lookup").unwrap();
    assert_eq!(steps.mode, LookupMode::Discrete);
    assert_eq!(steps.points, [(0.0, 1.0), (2.0, 2.0), (4.0, 3.0)]);
    let VariableKind::Aux { equation } = &m.variable("steps").unwrap().kind else {
        panic!()
    };
    assert_eq!(equation, "steps_lookup(time)");
    let c = imported.compile(None).unwrap();
    assert_eq!(series(&c, "steps"), [1.0, 1.0, 2.0, 2.0, 3.0]);
    assert_eq!(series(&c, "smooth"), [0.0, 2.0, 4.0, 6.0, 8.0]);
    assert_eq!(series(&c, "beyond"), [0.0, 10.0, 30.0, 50.0, 70.0]);
    assert_eq!(series(&c, "via_lookup"), [2.0; 5]);
}

#[test]
fn names_match_across_case_spaces_underscores_and_quotes() {
    let vars = r#"
            <aux name="Rate&#10;of growth"><eqn>0.1</eqn></aux>
            <aux name="Stock with \n newline"><eqn>RATE_OF_GROWTH * 2</eqn></aux>
            <aux name="if"><eqn>"stock with\nnewline" + "Rate of growth"</eqn></aux>
            <aux name="Step"><eqn>STEP(1, 2) + "If"</eqn></aux>"#;
    let c = compiled(&doc(CLOCK, vars));
    let m = c.model();
    assert_eq!(
        m.lever("rate_of_growth").unwrap().label.en,
        "Rate of growth"
    );
    assert_eq!(
        m.variable("stock_with_newline").unwrap().label.en,
        "Stock with newline"
    );
    // Reserved words of our language get a `_`; the label stays.
    assert_eq!(m.variable("if_").unwrap().label.en, "if");
    assert_eq!(m.variable("step_").unwrap().label.en, "Step");
    assert_eq!(series(&c, "step_")[3], 1.0 + 0.3);
}

#[test]
fn equations_keep_xmile_meaning() {
    let vars = r#"
            <aux name="neg pow"><eqn>-2^2</eqn></aux>
            <aux name="order"><eqn>4 - 5 + 6</eqn></aux>
            <aux name="modulo"><eqn>-7 MOD 3</eqn></aux>
            <aux name="cmp"><eqn>IF time = 2 AND NOT time &lt;&gt; 2 THEN .5 ELSE 1e1</eqn></aux>
            <aux name="ends"><eqn>STARTTIME + STOPTIME * DT</eqn></aux>
            <aux name="integer"><eqn>int(-9.9) + MIN(3, 1, 2) + max(1, 2)</eqn></aux>
            <aux name="last"><eqn>PREVIOUS(SELF, 5) + 1</eqn></aux>"#;
    let c = compiled(&doc(CLOCK, vars));
    assert_eq!(series(&c, "neg_pow"), [-4.0; 5]);
    assert_eq!(series(&c, "order"), [5.0; 5]);
    assert_eq!(series(&c, "modulo"), [2.0; 5]);
    assert_eq!(series(&c, "cmp"), [10.0, 10.0, 0.5, 10.0, 10.0]);
    assert_eq!(series(&c, "ends"), [4.0; 5]);
    assert_eq!(series(&c, "integer"), [-7.0; 5]);
    assert_eq!(series(&c, "last"), [6.0, 7.0, 8.0, 9.0, 10.0]);
}

#[test]
fn non_negative_cascades_from_behavior_to_entities() {
    let text = r#"<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
    <header><vendor>t</vendor><product>t</product></header>
    <sim_specs><start>0</start><stop>3</stop></sim_specs>
    <behavior><stock><non_negative/></stock></behavior>
    <model><behavior><flow><non_negative/></flow></behavior><variables>
        <flow name="out"><eqn>5</eqn></flow>
        <flow name="biflow"><eqn>-1</eqn><non_negative> FALSE </non_negative></flow>
        <flow name="uniflow"><eqn>-1</eqn></flow>
        <stock name="kept"><eqn>7</eqn><outflow>out</outflow></stock>
        <stock name="free"><eqn>7</eqn><outflow>out</outflow><non_negative>false</non_negative></stock>
    </variables></model></xmile>"#;
    let c = compiled(text);
    let nn = |id: &str| match &c.model().variable(id).unwrap().kind {
        VariableKind::Stock { non_negative, .. } => *non_negative,
        _ => panic!(),
    };
    assert!(nn("kept") && !nn("free"));
    assert_eq!(series(&c, "uniflow"), [0.0; 4]);
    assert_eq!(series(&c, "biflow"), [-1.0; 4]);
    assert_eq!(series(&c, "kept"), [7.0, 2.0, 0.0, 0.0]);
    assert_eq!(series(&c, "free"), [7.0, 2.0, -3.0, -8.0]);
}

#[test]
fn clocks_methods_and_old_style_files() {
    // Stella 10's namespace, variables straight in <model>, RK4, dt as a
    // reciprocal, an undeclared vendor prefix and a view that is ignored.
    let text = r#"<?xml version="1.0"?>
<xmile version="1.0" xmlns="http://www.systemdynamics.org/XMILE">
    <isee:prefs show="1"/>
    <header><vendor>isee</vendor><product>STELLA</product><name>Old one</name></header>
    <sim_specs method="gear, RK4" time_units="Years"><start>1</start><stop>2</stop><dt reciprocal="true">4</dt></sim_specs>
    <model>
        <stock name="s"><eqn>1</eqn><inflow>f</inflow></stock>
        <flow name="f"><eqn>s</eqn></flow>
        <stock name="fixed"><eqn>s * 2</eqn></stock>
        <display x="1"/>
        <views><view><stock name="s" x="1" y="1"/></view></views>
    </model>
</xmile>"#;
    let imported = read(text).unwrap();
    let m = &imported.model;
    assert_eq!(m.name.en, "Old one");
    assert_eq!(m.id, "old_one");
    assert_eq!(m.time.method, Method::Rk4);
    assert_eq!(
        (m.time.dt, m.time.dt_reciprocal, m.time.step()),
        (4.0, true, 0.25)
    );
    let c = imported.compile(None).unwrap();
    let s = series(&c, "s");
    assert!(
        (s[4] - std::f64::consts::E).abs() < 1e-4,
        "RK4 of e^t: {}",
        s[4]
    );
    assert_eq!(series(&c, "fixed"), [2.0; 5]);
}

/// `e` is a refusal of `kind` at `line:col` whose message says `what`.
fn assert_refused(e: &XmileError, kind: XmileErrorKind, line: usize, col: usize, what: &str) {
    assert_eq!(e.kind, kind, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (line, col), "{e}");
    assert!(e.message.contains(what), "`{what}` not in: {e}");
}

#[test]
fn what_we_cannot_simulate_is_refused_where_it_is() {
    use XmileErrorKind::Unsupported;
    // Line 7 of `doc` is the first line of `variables`.
    let arrays = r#"            <aux name="a">
                <dimensions><dim name="D"/></dimensions><eqn>1</eqn></aux>"#;
    let e = refusal(&doc(CLOCK, arrays));
    assert_refused(&e, XmileErrorKind::Invalid, 8, 29, "`D` is not a dimension");
    let sub =
        r#"            <aux name="a"><eqn>1</eqn></aux><aux name="b"><eqn>a[1] + 2</eqn></aux>"#;
    let e = refusal(&doc(CLOCK, sub));
    assert_refused(&e, Unsupported, 7, 66, "element and dimension names");
    // Columns count characters as written, entities included.
    let unknown = "            <aux name=\"a\">\n<eqn>2 &gt; 1 + FOOBAR(2)</eqn></aux>";
    let e = refusal(&doc(CLOCK, unknown));
    assert_refused(&e, Unsupported, 8, 17, "`FOOBAR`");
    let e = refusal(&doc(
        CLOCK,
        "<aux name=\"a\"><eqn>\r\n  1 +\r\n\tFOOBAR(2)</eqn></aux>",
    ));
    assert_refused(&e, Unsupported, 9, 2, "`FOOBAR`");
    let e = refusal(&doc(
        CLOCK,
        "<aux name=\"a\"><eqn>1 + PARETO(1, 2)</eqn></aux>",
    ));
    assert_eq!(e.item, Item::Variable("a".into()));
    assert!(e.to_string().contains("variable `a`"), "{e}");
    let module = "            <module name=\"m\"/>";
    assert_refused(
        &refusal(&doc(CLOCK, module)),
        XmileErrorKind::Invalid,
        7,
        13,
        "does not define",
    );
    let conveyor = "<stock name=\"s\"><eqn>1</eqn><conveyor><len>2</len></conveyor></stock>";
    assert_refused(
        &refusal(&doc(CLOCK, conveyor)),
        Unsupported,
        7,
        29,
        "conveyors",
    );
    let poster = "<aux name=\"a\"><eqn>1</eqn><event_poster min=\"0\"/></aux>";
    assert_refused(
        &refusal(&doc(CLOCK, poster)),
        Unsupported,
        7,
        27,
        "event posters",
    );
    let e = refusal(&doc("<start>0.5</start><stop>4</stop>", ""));
    assert_refused(&e, Unsupported, 4, 51, "not a whole number");
    let e = refusal(&doc(CLOCK, "").replace("Euler", "rk2"));
    assert_refused(&e, Unsupported, 4, 5, "`rk2`");
    let macro_doc = doc(CLOCK, "").replace(
        "<model>",
        "<macro name=\"m\"><eqn>m()</eqn></macro>\n    <model>",
    );
    assert_refused(&refusal(&macro_doc), Unsupported, 5, 5, "recursive macros");
    // A submodel is read only where a module instantiates it; two root
    // models are one too many.
    let sub = doc(CLOCK, "").replace("</xmile>", "<model name=\"sub\"/></xmile>");
    assert!(read(&sub).is_ok());
    let two = doc(CLOCK, "").replace("</xmile>", "<model/></xmile>");
    assert_refused(&refusal(&two), XmileErrorKind::Invalid, 10, 1, "no name");
}

#[test]
fn invalid_models_say_what_and_where() {
    use XmileErrorKind::Invalid;
    let e = refusal(&doc(CLOCK, "<aux name=\"a\"><eqn>b + 1</eqn></aux>"));
    assert_refused(&e, Invalid, 7, 20, "`b` is not a variable");
    let e = refusal(&doc(
        CLOCK,
        "<aux name=\"a b\"><eqn>1</eqn></aux>\n<aux name=\"A_B\"><eqn>2</eqn></aux>",
    ));
    assert_refused(&e, Invalid, 8, 1, "two entities are called");
    let e = refusal(&doc(
        CLOCK,
        "<stock name=\"s\"><eqn>1</eqn><inflow>nothing</inflow></stock>",
    ));
    assert_refused(&e, Invalid, 7, 29, "`nothing` is not a flow");
    let unsorted = "<gf name=\"g\"><xpts>0,2,1</xpts><ypts>1,2,3</ypts></gf>";
    assert_refused(
        &refusal(&doc(CLOCK, unsorted)),
        Invalid,
        7,
        14,
        "must increase",
    );
    let e = refusal(&doc("<start>0</start>", ""));
    assert_refused(&e, Invalid, 4, 5, "no <stop>");
    let e = refusal(&doc(CLOCK, "<aux name=\"a\"><eqn>(((1</eqn></aux>"));
    assert_refused(&e, Invalid, 7, 24, "expected `)`");
    let e = refusal("<model/>");
    assert_refused(&e, Invalid, 1, 1, "not an XMILE file");
    // The compiler's errors point at the element they are about.
    let looped = "<aux name=\"a\"><eqn>b</eqn></aux>\n<aux name=\"b\"><eqn>a</eqn></aux>";
    let errs = read(&doc(CLOCK, looped))
        .unwrap()
        .compile(Some(Path::new("m.xmile")))
        .unwrap_err();
    let text = errs.to_string();
    assert!(
        text.starts_with("m.xmile:7:") || text.starts_with("m.xmile:8:"),
        "{text}"
    );
}

#[test]
fn malformed_files_are_errors_not_panics() {
    use XmileErrorKind::Malformed;
    let e = refusal("<xmile>\n  <model>\n</xmile>");
    assert_refused(&e, Malformed, 3, 1, "not well-formed");
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<xmile>&lol2;</xmile>"#;
    assert_refused(&refusal(bomb), Malformed, 2, 1, "document type definition");
    let deep = format!(
        "<xmile>{}{}</xmile>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    assert_eq!(refusal(&deep).kind, XmileErrorKind::Invalid);
    let parens = format!(
        "<aux name=\"a\"><eqn>{}1{}</eqn></aux>",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert!(refusal(&doc(CLOCK, &parens)).message.contains("nested"));
    let long = vec!["1"; 100_000].join("+");
    assert!(
        refusal(&doc(
            CLOCK,
            &format!("<aux name=\"a\"><eqn>{long}</eqn></aux>")
        ))
        .message
        .contains("nested")
    );
    assert_eq!(refusal("").kind, Malformed);
    assert_eq!(refusal("not xml at all").kind, Malformed);
}

#[test]
fn xmile_files_open_through_the_registry() {
    let text = doc(CLOCK, TANK);
    for name in ["tank.xmile", "tank.STMX", "tank.xml"] {
        let path = write(name, &text);
        assert_eq!(formats::detect(&path).unwrap(), FileKind::Xmile, "{name}");
        match formats::open(&path).unwrap() {
            OpenedFile::Model(o) => {
                assert!(o.scenario.is_none());
                assert_eq!(o.model.model().variables.len(), 3);
            }
            other => panic!("{name}: {:?}", other.kind()),
        }
    }
    // Told by its content whatever its name.
    let misnamed = write("tank.ron", &text);
    assert_eq!(formats::detect(&misnamed).unwrap(), FileKind::Xmile);
    // Errors name the file, the line and the column.
    let bad = write(
        "bad.xmile",
        &doc(CLOCK, "<aux name=\"a\"><eqn>SINH(1)</eqn></aux>"),
    );
    let e = formats::open(&bad).unwrap_err().to_string();
    assert!(
        e.contains("bad.xmile:7:20:") && e.contains("`SINH` is not supported"),
        "{e}"
    );
    assert!(formats::can_open(Path::new("m.stmx")));
}

#[test]
fn the_command_line_runs_and_checks_xmile_files() {
    let path = write("cli.xmile", &doc(CLOCK, TANK));
    let out = Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .args(["run", "--format", "csv"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.lines().next().unwrap().contains("water_in_tank"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 6, "{stdout}");
    let out = Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid model"));
}

#[test]
fn random_inputs_map_to_ours_with_their_seeds_and_bounds() {
    let vars =
        r#"<aux name="draw"><eqn>RANDOM(2, 3) + 0 * NORMAL(0, 1) + 0 * POISSON(4)</eqn></aux>"#;
    let c = compiled(&doc(CLOCK, vars));
    assert!(series(&c, "draw").iter().all(|x| (2.0..=3.0).contains(x)));
    let long = "<start>0</start><stop>200</stop><dt>1</dt>";
    let vars = r#"<aux name="seeded"><eqn>LOGNORMAL(1, 0.5, 7)</eqn></aux>
            <aux name="bounded"><eqn>NORMAL(0, 1, 0, -1, 1)</eqn></aux>
            <aux name="e"><eqn>EXPRND(2, 3)</eqn></aux>
            <aux name="t"><eqn>TRIANGULAR(1, 2, 4)</eqn></aux>
            <aux name="g"><eqn>GAMMA(2, 1.5, 4) + BETA(2, 2) + WEIBULL(1.5, 1) + BINOMIAL(10, 0.5)</eqn></aux>"#;
    let mut c = compiled(&doc(long, vars));
    let seeded = series(&c, "seeded");
    c.set_seed(12345);
    assert_eq!(
        seeded,
        series(&c, "seeded"),
        "the call's seed fixes its draws"
    );
    assert!(seeded.iter().all(|&x| x > 0.0));
    assert!(
        series(&c, "bounded")
            .iter()
            .all(|x| (-1.0..=1.0).contains(x))
    );
    assert!(series(&c, "e").iter().all(|&x| x >= 0.0));
    assert!(series(&c, "t").iter().all(|x| (1.0..=4.0).contains(x)));
    assert!(series(&c, "g").iter().all(|x| x.is_finite() && *x > 0.0));
    let wrong = r#"<aux name="draw"><eqn>EXPRND(1, 2, 3)</eqn></aux>"#;
    let e = refusal(&doc(CLOCK, wrong));
    assert_refused(
        &e,
        XmileErrorKind::Invalid,
        7,
        23,
        "takes 1, 2 or 4 arguments",
    );
}

#[test]
fn mean_of_several_values_and_of_an_array() {
    let text = doc(
        CLOCK,
        r#"            <aux name="a"><eqn>TIME</eqn></aux>
            <aux name="m"><eqn>MEAN(a, 2, a * 3)</eqn></aux>
            <aux name="top"><eqn>MAX(a, 2, 1) + MIN(a, 3, 5)</eqn></aux>
            <aux name="r"><dimensions><dim name="Seg"/></dimensions><eqn>1, 4</eqn></aux>
            <aux name="ma"><eqn>MEAN(r) + PROD(r)</eqn></aux>"#,
    )
    .replacen(
        "    <model>",
        r#"    <dimensions><dim name="Seg"><elem name="A"/><elem name="B"/></dim></dimensions>
    <model>"#,
        1,
    );
    let c = compiled(&text);
    let m: Vec<f64> = (0..=4).map(|t| (f64::from(t) * 4.0 + 2.0) / 3.0).collect();
    assert_eq!(series(&c, "m"), m);
    let top: Vec<f64> = (0..=4)
        .map(|t| f64::from(t).max(2.0) + f64::from(t).min(3.0))
        .collect();
    assert_eq!(series(&c, "top"), top);
    assert_eq!(series(&c, "ma"), [6.5; 5]);
}

#[test]
fn arrays_read_as_ours_element_by_element_or_all_at_once() {
    let text = doc(
        CLOCK,
        r#"            <aux name="rate"><dimensions><dim name="Seg"/></dimensions>
                <element subscript="A"><eqn>1</eqn></element>
                <element subscript="b b"><eqn>2</eqn></element></aux>
            <stock name="s"><dimensions><dim name="Seg"/></dimensions><eqn>10, 20</eqn><inflow>f</inflow></stock>
            <flow name="f"><dimensions><dim name="Seg"/></dimensions><eqn>rate[Seg] * 2</eqn></flow>
            <aux name="total"><eqn>SUM(s[*]) + MAX(rate) + s[b_b]</eqn></aux>"#,
    )
    .replacen(
        "    <model>",
        r#"    <dimensions><dim name="Seg"><elem name="A"/><elem name="b b"/></dim></dimensions>
    <model>"#,
        1,
    );
    let m = compiled(&text);
    assert_eq!(m.model().dimensions[0].elements.len(), 2);
    assert_eq!(series(&m, "s[b_b]"), [20.0, 24.0, 28.0, 32.0, 36.0]);
    assert_eq!(series(&m, "total")[0], 10.0 + 20.0 + 2.0 + 20.0);
    assert_eq!(m.series(m.var_index("s[a]").unwrap()).label.en, "s [A]");
    let bad = text.replace("subscript=\"b b\"", "subscript=\"c\"");
    let e = refusal(&bad);
    assert!(
        e.to_string().contains("`c` is not an element of `seg`"),
        "{e}"
    );
    // An element left without an equation is said at the entity, not
    // left to an empty equation with no place in the file.
    let partial = text.replace(
        "\n                <element subscript=\"b b\"><eqn>2</eqn></element>",
        "",
    );
    assert_ne!(partial, text);
    let e = refusal(&partial);
    assert!(
        e.to_string()
            .contains("`rate` gives no equation for its element `b_b`"),
        "{e}"
    );
    assert!(e.to_string().starts_with("8:"), "{e}");
    let numbered = text.replace(
        "<dim name=\"Seg\"><elem",
        "<dim name=\"Seg\" size=\"2\"><elem",
    );
    assert_eq!(refusal(&numbered).kind, XmileErrorKind::Unsupported);
}

#[test]
fn model_units_and_units_are_read_for_the_units_check() {
    let text = doc(
        CLOCK,
        r#"            <aux name="people"><eqn>10</eqn><units>person</units></aux>
            <aux name="staff"><eqn>people * 2</eqn><units>Workers</units></aux>
            <aux name="bad"><eqn>people + TIME</eqn><units>person</units></aux>"#,
    )
    .replacen(
        "    <model>",
        r#"    <model_units><unit name="Workers"><eqn>person</eqn><alias>worker</alias></unit></model_units>
    <model>"#,
        1,
    );
    let m = compiled(&text);
    let u = &m.model().units[0];
    assert_eq!(
        (u.name.as_str(), u.equation.as_str()),
        ("Workers", "person")
    );
    assert_eq!(u.aliases, ["worker"]);
    // `staff` (Workers = person) agrees; `bad` adds a time to people.
    let ws: Vec<String> = m.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(ws.len(), 1, "{ws:?}");
    assert!(
        ws[0].contains("variable `bad`") && ws[0].contains("adds month to person"),
        "{ws:?}"
    );
}

/// `doc` with `macros` (lines from 5 on) before the model.
fn with_macros(macros: &str, variables: &str) -> String {
    doc(CLOCK, variables).replacen("    <model>", &format!("{macros}\n    <model>"), 1)
}

#[test]
fn macros_are_written_out_at_each_call() {
    let macros = r#"    <macro name="Linear"><parm>x</parm><parm default="1">b</parm>
        <eqn>2 * x + b</eqn></macro>
    <macro name="twice linear"><parm>x</parm><eqn>LINEAR(x) + linear(x, 0)</eqn></macro>
    <macro name="smoothed"><parm>input</parm><parm>time</parm><eqn>SMTH1(input, time)</eqn></macro>"#;
    let vars = r#"            <aux name="a"><eqn>TIME</eqn></aux>
            <aux name="l"><eqn>LINEAR(a, 3) + 0 * LINEAR(1)</eqn></aux>
            <aux name="t"><eqn>TWICE_LINEAR(a + 1)</eqn></aux>
            <aux name="s1"><eqn>SMOOTHED(a, 2)</eqn></aux>
            <aux name="s2"><eqn>SMOOTHED(10, 1) + SMOOTHED(a * 0, 1)</eqn></aux>"#;
    let c = compiled(&with_macros(macros, vars));
    let times: Vec<f64> = (0..=4).map(f64::from).collect();
    let l: Vec<f64> = times.iter().map(|t| 2.0 * t + 3.0).collect();
    assert_eq!(series(&c, "l"), l);
    let t: Vec<f64> = times.iter().map(|t| 4.0 * (t + 1.0) + 1.0).collect();
    assert_eq!(series(&c, "t"), t);
    // Each call its own smooth: SMTH1(Time, 2) from 0, and two constants.
    assert_eq!(series(&c, "s1"), [0.0, 0.0, 0.5, 1.25, 2.125]);
    assert_eq!(series(&c, "s2"), [10.0; 5]);
}

#[test]
fn macros_we_cannot_write_out_are_refused_where_they_are() {
    use XmileErrorKind::{Invalid, Unsupported};
    let a = r#"            <aux name="a"><eqn>1</eqn></aux>"#;
    let recursive = r#"    <macro name="f"><parm>x</parm><eqn>IF x > 0 THEN g(x - 1) ELSE 0</eqn></macro>
    <macro name="g"><parm>x</parm><eqn>f(x)</eqn></macro>"#;
    let e = refusal(&with_macros(recursive, a));
    assert_refused(&e, Unsupported, 5, 5, "calls itself through `g`");
    let clock = r#"    <macro name="f"><parm>x</parm><eqn>x</eqn>
        <sim_specs><dt>1</dt></sim_specs></macro>"#;
    let e = refusal(&with_macros(clock, a));
    assert_refused(&e, Unsupported, 6, 9, "a clock of its own");
    let inner = format!("{ACCUM}\n    <macro name=\"g\"><parm>x</parm><eqn>ACCUM(x)</eqn></macro>");
    let calls = r#"            <aux name="b"><eqn>G(1)</eqn></aux>"#;
    let e = refusal(&with_macros(&inner, calls));
    assert_refused(&e, Unsupported, 10, 40, "from another macro's equation");
    let wrong = r#"    <macro name="f"><parm>x</parm><eqn>x + nothing</eqn></macro>"#;
    let e = refusal(&with_macros(wrong, a));
    assert_refused(&e, Invalid, 5, 44, "in the macro `f`");
    let calls = r#"            <aux name="b"><eqn>F(1, 2)</eqn></aux>"#;
    let ok = r#"    <macro name="f"><parm>x</parm><eqn>x * x</eqn></macro>"#;
    let e = refusal(&with_macros(ok, calls));
    assert_refused(&e, Invalid, 8, 32, "takes 1 argument");
    let random = r#"            <aux name="b"><eqn>F(NORMAL(0, 1))</eqn></aux>"#;
    let e = refusal(&with_macros(ok, random));
    assert_refused(&e, Unsupported, 8, 32, "more than once");
}

/// A macro with a stock of its own: the sum of its input over time.
const ACCUM: &str = r#"    <macro name="accum"><parm>rate</parm><eqn>total</eqn>
        <variables>
            <stock name="total"><eqn>0</eqn><inflow>add</inflow></stock>
            <flow name="add"><eqn>rate</eqn></flow>
        </variables></macro>"#;

#[test]
fn a_macro_with_variables_is_copied_at_each_call() {
    let vars = r#"            <aux name="a"><eqn>ACCUM(1)</eqn></aux>
            <aux name="b"><eqn>ACCUM(TIME)</eqn></aux>
            <aux name="c"><eqn>ACCUM(2) + ACCUM(3)</eqn></aux>"#;
    let c = compiled(&with_macros(ACCUM, vars));
    assert_eq!(series(&c, "a"), [0.0, 1.0, 2.0, 3.0, 4.0]);
    assert_eq!(series(&c, "b"), [0.0, 0.0, 1.0, 3.0, 6.0]);
    assert_eq!(series(&c, "c"), [0.0, 5.0, 10.0, 15.0, 20.0]);
    // Each copy's stock is the model's own, named after its caller.
    let labels: Vec<String> = c
        .model()
        .variables
        .iter()
        .map(|v| v.label.en.clone())
        .collect();
    for l in [
        "a.accum.total",
        "b.accum.total",
        "c.accum.total",
        "c.accum 2.total",
        "c.accum 2.rate",
    ] {
        assert!(labels.iter().any(|x| x == l), "{l} not in {labels:?}");
    }
}
