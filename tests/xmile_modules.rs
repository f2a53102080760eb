//! XMILE modules on small documents written here: instances of submodels
//! flattened with qualified names (`A.level`, `O.Inner.level`), inputs
//! connected or at their default, outputs read by the parent, and each
//! refusal with its line and column. The expected values are worked by
//! hand under Euler with DT 1.

use std::process::Command;

use trajectoire::formats::xmile::{self, XmileError, XmileErrorKind};
use trajectoire::model::CompiledModel;

/// A document whose root model holds `root` and whose other models are
/// `others` (whole `<model>` elements).
fn doc(root: &str, others: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
    <header><vendor>Tests</vendor><product version="1">hand</product></header>
    <sim_specs method="Euler" time_units="Months"><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
    <model>
        <variables>
{root}
        </variables>
    </model>
{others}
</xmile>"#
    )
}

/// A tank filled at the rate of its input (1 when unconnected); its
/// output is twice its level.
const TANK: &str = r#"    <model name="Tank">
        <variables>
            <aux name="inflow rate" access="input"><eqn>1</eqn></aux>
            <flow name="filling"><eqn>inflow_rate</eqn></flow>
            <stock name="level"><eqn>0</eqn><inflow>filling</inflow></stock>
            <aux name="out" access="output"><eqn>level * 2</eqn></aux>
        </variables>
    </model>"#;

/// A model holding a tank whose rate is its own input `k` (5 by default).
const OUTER: &str = r#"    <model name="Outer">
        <variables>
            <aux name="k" access="input"><eqn>5</eqn></aux>
            <module name="Inner" model="Tank">
                <connect to="inflow_rate" from="k"/>
            </module>
            <aux name="result" access="output"><eqn>Inner.out + 0</eqn></aux>
        </variables>
    </model>"#;

fn compiled(text: &str) -> CompiledModel {
    xmile::read(text, "test").unwrap().compile(None).unwrap()
}

fn series(m: &CompiledModel, id: &str) -> Vec<f64> {
    let run = m.run(&m.default_levers());
    let i = m
        .var_index(id)
        .unwrap_or_else(|| panic!("no variable `{id}`"));
    run.series(i).to_vec()
}

fn refusal(text: &str) -> XmileError {
    match xmile::read(text, "test") {
        Ok(_) => panic!("the document was accepted"),
        Err(e) => e,
    }
}

fn assert_refused(e: &XmileError, kind: XmileErrorKind, line: usize, col: usize, what: &str) {
    assert_eq!(e.kind, kind, "{e}");
    assert_eq!((e.pos.line, e.pos.col), (line, col), "{e}");
    assert!(e.message.contains(what), "`{what}` not in: {e}");
}

const TWO_TANKS: &str = r#"            <aux name="rate a"><eqn>3</eqn></aux>
            <aux name="rate b"><eqn>TIME</eqn></aux>
            <module name="A" model="Tank">
                <connect to="inflow_rate" from="rate_a"/>
            </module>
            <module name="B" model="Tank">
                <connect to="B.inflow rate" from=".rate_b"/>
            </module>
            <module name="Tank"/>
            <aux name="total"><eqn>A.out + "B".out</eqn></aux>
            <aux name="plain"><eqn>Tank.level</eqn></aux>"#;

#[test]
fn two_instances_of_one_model_each_have_their_stocks() {
    let m = compiled(&doc(TWO_TANKS, TANK));
    // A fills at 3 a month, B at TIME (0, 1, 2, 3 over the months).
    assert_eq!(series(&m, "a_level"), [0.0, 3.0, 6.0, 9.0, 12.0]);
    assert_eq!(series(&m, "b_level"), [0.0, 0.0, 1.0, 3.0, 6.0]);
    // total = 2·A.level + 2·B.level.
    assert_eq!(series(&m, "total"), [0.0, 6.0, 14.0, 24.0, 36.0]);
    // `<module name="Tank"/>` instantiates the model `Tank`, its input
    // unconnected: its default rate 1.
    assert_eq!(series(&m, "plain"), [0.0, 1.0, 2.0, 3.0, 4.0]);
    // The unconnected constant input is a lever named as its instance.
    let imported = xmile::read(&doc(TWO_TANKS, TANK), "test").unwrap();
    let lever = imported
        .model
        .levers
        .iter()
        .find(|l| l.id == "tank_inflow_rate");
    assert_eq!(lever.map(|l| l.label.en.as_str()), Some("Tank.inflow rate"));
    let connected = imported
        .model
        .variables
        .iter()
        .find(|v| v.id == "a_inflow_rate");
    assert_eq!(
        connected.map(|v| v.label.en.as_str()),
        Some("A.inflow rate")
    );
}

#[test]
fn nested_modules_are_named_outer_inner_var() {
    let root = r#"            <aux name="three"><eqn>3</eqn></aux>
            <module name="O" model="Outer"><connect to="k" from="three"/></module>
            <module name="D" model="Outer"/>
            <aux name="seen"><eqn>O.result + O.Inner.level</eqn></aux>"#;
    let m = compiled(&doc(root, &format!("{TANK}\n{OUTER}")));
    assert_eq!(series(&m, "o_inner_level"), [0.0, 3.0, 6.0, 9.0, 12.0]);
    // result = 2·level, seen = 3·level.
    assert_eq!(series(&m, "seen"), [0.0, 9.0, 18.0, 27.0, 36.0]);
    // D's `k` takes its default 5, which its inner tank reads.
    assert_eq!(series(&m, "d_result"), [0.0, 10.0, 20.0, 30.0, 40.0]);
}

#[test]
fn the_command_line_shows_qualified_names() {
    let dir = std::env::temp_dir().join(format!("trajectoire-modules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("modules.xmile");
    std::fs::write(&path, doc(TWO_TANKS, TANK)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .args(["run", "--format", "csv", "--names", "original"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let header = stdout.lines().next().unwrap();
    assert!(header.contains("A.level"), "{header}");
    assert!(header.contains("B.out"), "{header}");
}

#[test]
fn what_modules_cannot_build_is_refused_where_it_is() {
    use XmileErrorKind::{Invalid, Unsupported};
    // Line 7 of `doc` is the first line of the root's variables.
    let undefined = "            <module name=\"Nowhere\"/>";
    assert_refused(
        &refusal(&doc(undefined, TANK)),
        Invalid,
        7,
        13,
        "does not define",
    );
    let unknown = "            <module name=\"A\" model=\"Tank\">\n<connect to=\"nothing\" from=\"x\"/></module>";
    assert_refused(&refusal(&doc(unknown, TANK)), Invalid, 8, 1, "`nothing`");
    let stock =
        "            <module name=\"A\" model=\"Tank\"><connect to=\"level\" from=\"x\"/></module>";
    assert_refused(&refusal(&doc(stock, TANK)), Unsupported, 7, 43, "stock");
    let from = "            <module name=\"A\" model=\"Tank\"><connect to=\"out\" from=\"nope\"/></module>";
    assert_refused(&refusal(&doc(from, TANK)), Invalid, 7, 43, "`nope`");
    let arrayed = "            <module name=\"A\" model=\"Tank\"><dimensions><dim name=\"D\"/></dimensions></module>";
    assert_refused(
        &refusal(&doc(arrayed, TANK)),
        Unsupported,
        7,
        43,
        "arrayed modules",
    );
    // Models that contain each other (line 10: the first line of `others`).
    let looped = r#"    <model name="P">
        <variables>
            <module name="Q"/>
        </variables>
    </model>
    <model name="Q">
        <variables>
            <module name="Again" model="P"/>
        </variables>
    </model>"#;
    let e = refusal(&doc("            <module name=\"P\"/>", looped));
    assert_refused(&e, Invalid, 17, 13, "contains itself");
    let read = "            <aux name=\"x\"><eqn>A.missing</eqn></aux>\n            <module name=\"A\" model=\"Tank\"/>";
    assert_refused(&refusal(&doc(read, TANK)), Invalid, 7, 32, "`A.missing`");
    let clash = "            <aux name=\"A\"><eqn>1</eqn></aux>\n            <module name=\"A\" model=\"Tank\"/>";
    assert_refused(
        &refusal(&doc(clash, TANK)),
        Invalid,
        8,
        13,
        "another entity",
    );
}
