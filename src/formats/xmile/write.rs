//! A model written as XMILE 1.0, for Stella, simlin and PySD, and read
//! back by `read` to the same run bit for bit.
//!
//! What XMILE says, we say in XMILE: the clock in `<sim_specs>`, stocks
//! with their flows (`<flow>` for every variable a stock names as one),
//! auxiliaries, graphical functions, levers as constants with their
//! `<range>`, data series as graphical functions of `TIME`. What it has no
//! words for (both languages' labels, lever settings and positions,
//! observations, targets, sources, charts) travels in the
//! `trajectoire:model` extension, the model's RON, which other tools
//! ignore and `read` takes back. The model map's places are also written
//! as XMILE's diagram (`<views>`, 6), each node at its centre, so Stella
//! and simlin open the model with our layout; its loop names travel in
//! the extension.
//!
//! Where we differ: a stock given by its change (the same step's change,
//! which XMILE's Euler has no form for) is written as an auxiliary,
//! `IF TIME = STARTTIME THEN initial ELSE PREVIOUS(SELF, 0) + DT * (change)`,
//! which computes the same numbers; the extension lets `read` restore it.
//! `xidz`, `zidz` and `safediv` are written as the vendors' XIDZ, ZIDZ and
//! SAFEDIV; the random functions with their seed and bounds as
//! Stella writes them.

use std::collections::{HashMap, HashSet};

use crate::model::compile::arrays::Flat;
use std::fmt::Write as _;

use crate::model::def::{Lever, LookupMode, Method, Model, TimeUnit, Variable, VariableKind};
use crate::model::expr::{self, BinOp, Expr, ExprKind, UnOp};

/// The extension's namespace.
pub const NAMESPACE: &str = "https://trajectoire.app/xmile/1";

/// The XMILE text of `m`. `Err` names an equation that does not parse (a
/// model that compiles has none).
pub fn write(m: &Model) -> Result<String, String> {
    no_vensim_only(m)?;
    if !m.time.schedule.is_empty() {
        return Err(
            "the time step changes during the run (`time.schedule`, from Vensim's TIME STEP \
             or SAVEPER): XMILE's sim_specs give one dt; save the model as RON"
                .into(),
        );
    }
    let flat = arrays(m)?;
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="utf-8"?>"#);
    let _ = writeln!(
        s,
        r#"<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" xmlns:trajectoire="{NAMESPACE}">"#
    );
    header(&mut s, m);
    sim_specs(&mut s, m);
    dimensions(&mut s, m);
    model_units(&mut s, m);
    let _ = writeln!(s, "  <model>\n    <variables>");
    let flows = flow_ids(m);
    for (k, l) in m.levers.iter().enumerate() {
        lever(&mut s, m, k, l, flat.as_ref());
    }
    for t in &m.lookups {
        let _ = writeln!(s, "      <gf name=\"{}\"{}>", esc(&t.id), gf_type(t.mode));
        points(&mut s, t.points.iter().copied());
        let _ = writeln!(s, "      </gf>");
    }
    match &flat {
        None => {
            for v in &m.variables {
                variable(&mut s, m, v, &flows)?;
            }
        }
        Some(flat) => arrayed_variables(&mut s, m, flat, &flows),
    }
    let _ = writeln!(s, "    </variables>");
    views(&mut s, m, &flows, flat.is_some());
    let _ = writeln!(s, "  </model>");
    extension(&mut s, m);
    let _ = writeln!(s, "</xmile>");
    Ok(s)
}

fn header(s: &mut String, m: &Model) {
    let _ = writeln!(
        s,
        "  <header>\n    <name>{}</name>\n    <vendor>Trajectoire</vendor>\n    <product version=\"{}\">Trajectoire</product>\n  </header>",
        esc(&m.name.en),
        env!("CARGO_PKG_VERSION")
    );
}

fn sim_specs(s: &mut String, m: &Model) {
    let t = &m.time;
    let unit = match t.unit {
        TimeUnit::Year => "years",
        TimeUnit::Quarter => "quarters",
        TimeUnit::Month => "months",
        TimeUnit::Week => "weeks",
        TimeUnit::Day => "days",
    };
    let method = match t.method {
        Method::Euler => "euler",
        Method::Rk4 => "rk4",
    };
    let reciprocal = if t.dt_reciprocal {
        " reciprocal=\"true\""
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "  <sim_specs method=\"{method}\" time_units=\"{unit}\">\n    <start>{}</start>\n    <stop>{}</stop>\n    <dt{reciprocal}>{}</dt>\n  </sim_specs>",
        m.start_year,
        m.end_year,
        number(t.dt)
    );
}

/// Every variable some stock names as an inflow or an outflow.
fn flow_ids(m: &Model) -> HashSet<&str> {
    m.variables
        .iter()
        .filter_map(|v| match &v.kind {
            VariableKind::Stock {
                inflows, outflows, ..
            } => Some(inflows.iter().chain(outflows)),
            _ => None,
        })
        .flatten()
        .map(String::as_str)
        .collect()
}

fn variable(
    s: &mut String,
    m: &Model,
    v: &crate::model::def::Variable,
    flows: &HashSet<&str>,
) -> Result<(), String> {
    let eqn = |text: &str| equation(m, &v.id, text);
    let name = esc(&v.id);
    // XMILE's units are what other tools check: the unit expression
    // where there is one, else the label.
    let unit = [&v.unit_expr, &v.unit.en]
        .into_iter()
        .find(|u| !u.is_empty());
    let units = match unit {
        None => String::new(),
        Some(u) => format!("\n        <units>{}</units>", esc(u)),
    };
    let tag = if flows.contains(v.id.as_str()) {
        "flow"
    } else {
        "aux"
    };
    match &v.kind {
        VariableKind::Stock {
            initial,
            change,
            inflows,
            outflows,
            non_negative,
        } if !(inflows.is_empty() && outflows.is_empty() && !change.trim().is_empty()) => {
            let _ = write!(
                s,
                "      <stock name=\"{name}\">\n        <eqn>{}</eqn>",
                eqn(initial)?
            );
            stock_flows(s, inflows, outflows, *non_negative);
            let _ = writeln!(s, "{units}\n      </stock>");
        }
        VariableKind::Stock {
            initial, change, ..
        } => {
            let text = format!(
                "IF TIME = STARTTIME THEN {} ELSE PREVIOUS(SELF, 0) + DT * ({})",
                eqn(initial)?,
                eqn(change)?
            );
            let _ = writeln!(
                s,
                "      <{tag} name=\"{name}\">\n        <eqn>{text}</eqn>{units}\n      </{tag}>"
            );
        }
        VariableKind::Aux { equation } => {
            let _ = writeln!(
                s,
                "      <{tag} name=\"{name}\">\n        <eqn>{}</eqn>{units}\n      </{tag}>",
                eqn(equation)?
            );
        }
        VariableKind::Data { points: pts } if pts.is_empty() => {
            let _ = writeln!(
                s,
                "      <{tag} name=\"{name}\">\n        <eqn>0</eqn>{units}\n      </{tag}>"
            );
        }
        VariableKind::Data { points: pts } => {
            let _ = writeln!(s, "      <{tag} name=\"{name}\">\n        <eqn>TIME</eqn>");
            let _ = writeln!(s, "        <gf>");
            points(s, pts.iter().map(|&(t, y)| (f64::from(t), y)));
            let _ = writeln!(s, "        </gf>{units}\n      </{tag}>");
        }
    }
    Ok(())
}

/// A lever as a constant with its range; an arrayed one with an
/// `<element>` per element, each its default.
fn lever(s: &mut String, m: &Model, k: usize, l: &Lever, flat: Option<&Flat>) {
    let _ = write!(s, "      <aux name=\"{}\">", esc(&l.id));
    match flat.filter(|_| !l.dimensions.is_empty()) {
        None => {
            let _ = write!(s, "\n        <eqn>{}</eqn>", number(l.default));
        }
        Some(flat) => {
            let _ = write!(s, "\n        <dimensions>");
            for d in &l.dimensions {
                let _ = write!(s, "<dim name=\"{}\"/>", esc(&root_of(m, d)));
            }
            let _ = write!(s, "</dimensions>");
            let elements = flat.levers.iter().zip(&flat.model.levers);
            for (_, e) in elements.filter(|(ls, _)| ls.lever == k) {
                let sub = &e.id[l.id.len() + 1..e.id.len() - 1];
                let _ = write!(
                    s,
                    "\n        <element subscript=\"{}\">\n          <eqn>{}</eqn>\n        </element>",
                    esc(sub),
                    number(e.default)
                );
            }
            zero_outside_subranges(s, m, &l.dimensions);
        }
    }
    let _ = writeln!(
        s,
        "\n        <range min=\"{}\" max=\"{}\"/>\n      </aux>",
        number(l.min),
        number(l.max)
    );
}

/// An arrayed model's flat form (`None` for a model without dimensions):
/// its equations are written element by element, from the expanded trees.
fn arrays(m: &Model) -> Result<Option<Flat>, String> {
    if m.dimensions.is_empty() {
        return Ok(None);
    }
    if let Some(t) = m.lookups.iter().find(|t| !t.dimensions.is_empty()) {
        return Err(format!(
            "lookup table `{}` is arrayed: XMILE export does not write arrayed tables yet; save the model as RON",
            t.id
        ));
    }
    let mut errors = Vec::new();
    let mut flat = crate::model::compile::arrays::expand(m, &mut errors);
    if let Some(e) = errors.first() {
        return Err(e.to_string());
    }
    // `prev(x)` of a stock is written with the stock's initial value
    // (`prev_first`): each element's own, from its expanded tree.
    for (v, trees) in flat.model.variables.iter_mut().zip(&flat.trees) {
        if let (VariableKind::Stock { initial, .. }, Some(tree)) = (&mut v.kind, &trees[0]) {
            *initial = tree.to_string();
        }
    }
    Ok(Some(flat))
}

/// XMILE's `<dimensions>` (4.5): the root dimensions and their elements.
/// Subranges have no XMILE form: equations over them are written element
/// by element, and the extension keeps them.
fn dimensions(s: &mut String, m: &Model) {
    if m.dimensions.is_empty() {
        return;
    }
    let _ = writeln!(s, "  <dimensions>");
    for d in m.dimensions.iter().filter(|d| d.subrange_of.is_none()) {
        let _ = writeln!(s, "    <dim name=\"{}\">", esc(&d.id));
        for e in &d.elements {
            let _ = writeln!(s, "      <elem name=\"{}\"/>", esc(&e.id));
        }
        let _ = writeln!(s, "    </dim>");
    }
    let _ = writeln!(s, "  </dimensions>");
}

/// XMILE's `<model_units>`: the model's units that XMILE can say (no
/// scale: XMILE's unit equations have no numbers); the extension keeps all.
fn model_units(s: &mut String, m: &Model) {
    let said: Vec<_> = m.units.iter().filter(|u| u.scale == 1.0).collect();
    if said.is_empty() {
        return;
    }
    let _ = writeln!(s, "  <model_units>");
    for u in said {
        let _ = write!(s, "    <unit name=\"{}\">", esc(&u.name));
        if !u.equation.is_empty() {
            let _ = write!(s, "<eqn>{}</eqn>", esc(&u.equation));
        }
        for a in &u.aliases {
            let _ = write!(s, "<alias>{}</alias>", esc(a));
        }
        let _ = writeln!(s, "</unit>");
    }
    let _ = writeln!(s, "  </model_units>");
}

/// The variables of an arrayed model: an arrayed one as XMILE's
/// non-apply-to-all array (4.5.2), one `<element>` and equation each; a
/// scalar one with its equation expanded (`sum` written out).
fn arrayed_variables(s: &mut String, m: &Model, flat: &Flat, flows: &HashSet<&str>) {
    for (i, v) in m.variables.iter().enumerate() {
        if v.dimensions.is_empty() && matches!(v.kind, VariableKind::Data { .. }) {
            // A data series has no equation to expand.
            let _ = variable(s, m, v, flows);
            continue;
        }
        let elements: Vec<usize> = (0..flat.series.len())
            .filter(|&f| flat.series[f].var == i)
            .collect();
        let tag = if flows.contains(v.id.as_str()) {
            "flow"
        } else {
            "aux"
        };
        let unit = [&v.unit_expr, &v.unit.en]
            .into_iter()
            .find(|u| !u.is_empty());
        let units = unit.map_or(String::new(), |u| {
            format!("\n        <units>{}</units>", esc(u))
        });
        let by_flows = matches!(&v.kind, VariableKind::Stock { inflows, outflows, .. }
            if !inflows.is_empty() || !outflows.is_empty());
        let tag = if by_flows { "stock" } else { tag };
        let _ = write!(s, "      <{tag} name=\"{}\">", esc(&v.id));
        if !v.dimensions.is_empty() {
            let _ = write!(s, "\n        <dimensions>");
            for d in &v.dimensions {
                let _ = write!(s, "<dim name=\"{}\"/>", esc(&root_of(m, d)));
            }
            let _ = write!(s, "</dimensions>");
        }
        for &f in &elements {
            let eqn = flat_equation(&flat.model, &flat.model.variables[f], &flat.trees[f]);
            match flat.series[f].element {
                Some(_) => {
                    let sub =
                        flat.series[f].id[v.id.len() + 1..flat.series[f].id.len() - 1].to_string();
                    let _ = write!(
                        s,
                        "\n        <element subscript=\"{}\">\n          <eqn>{eqn}</eqn>\n        </element>",
                        esc(&sub)
                    );
                }
                None => {
                    let _ = write!(s, "\n        <eqn>{eqn}</eqn>");
                }
            }
        }
        zero_outside_subranges(s, m, &v.dimensions);
        if let VariableKind::Stock {
            inflows,
            outflows,
            non_negative,
            ..
        } = &v.kind
        {
            stock_flows(s, inflows, outflows, *non_negative);
        }
        let _ = writeln!(s, "{units}\n      </{tag}>");
    }
}

/// The element `v` is written as: `stock`, `flow` or `aux` (as `variable`
/// and `arrayed_variables` write it; a stock given by its change is an
/// auxiliary).
fn entity_tag(v: &Variable, flows: &HashSet<&str>, arrayed: bool) -> &'static str {
    if let VariableKind::Stock {
        inflows,
        outflows,
        change,
        ..
    } = &v.kind
    {
        let by_flows = !inflows.is_empty() || !outflows.is_empty();
        if by_flows || (!arrayed && change.trim().is_empty()) {
            return "stock";
        }
    }
    if flows.contains(v.id.as_str()) {
        "flow"
    } else {
        "aux"
    }
}

/// How far a flow's pipe reaches out of its valve towards a cloud.
const PIPE: f32 = 60.0;

/// The model map's places as XMILE's diagram (6.1): one stock-and-flow
/// `<view>`, each placed stock, flow and auxiliary (a lever is one) at its
/// centre: `x` and `y` without `width` and `height` (5.1.2; `views.rs`
/// reads them back). A flow's pipe, which XMILE requires, runs level
/// through its valve, from the stock it empties (or a cloud) to the stock
/// it fills (or a cloud).
fn views(s: &mut String, m: &Model, flows: &HashSet<&str>, arrayed: bool) {
    let finite = |p: &&crate::model::def::Place| p.at.iter().all(|c| c.is_finite());
    let at: HashMap<&str, [f32; 2]> = m
        .map
        .places
        .iter()
        .filter(finite)
        .map(|p| (p.id.as_str(), p.at))
        .collect();
    if at.is_empty() {
        return;
    }
    let vars: HashMap<&str, &Variable> = m.variables.iter().map(|v| (v.id.as_str(), v)).collect();
    let levers: HashSet<&str> = m.levers.iter().map(|l| l.id.as_str()).collect();
    // Each flow's stocks: the one it leaves, the one it fills.
    let mut ends: HashMap<&str, [Option<&str>; 2]> = HashMap::new();
    for v in &m.variables {
        if let VariableKind::Stock {
            inflows, outflows, ..
        } = &v.kind
        {
            for f in outflows {
                ends.entry(f.as_str()).or_default()[0].get_or_insert(v.id.as_str());
            }
            for f in inflows {
                ends.entry(f.as_str()).or_default()[1].get_or_insert(v.id.as_str());
            }
        }
    }
    let _ = writeln!(s, "    <views>\n      <view type=\"stock_flow\">");
    let mut written: HashSet<&str> = HashSet::new();
    for p in m.map.places.iter().filter(finite) {
        let id = p.id.as_str();
        let tag = match vars.get(id) {
            Some(v) => entity_tag(v, flows, arrayed),
            None if levers.contains(id) => "aux",
            None => continue,
        };
        if !written.insert(id) {
            continue;
        }
        let [x, y] = p.at;
        let _ = write!(s, "        <{tag} name=\"{}\" x=\"{x}\" y=\"{y}\"", esc(id));
        if tag != "flow" {
            let _ = writeln!(s, "/>");
            continue;
        }
        let [from, to] = ends.get(id).copied().unwrap_or_default();
        let end_x = |stock: Option<&str>| stock.and_then(|st| at.get(st)).map(|a| a[0]);
        let (x0, x1) = match (end_x(from), end_x(to)) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => (a, if a <= x { x + PIPE } else { x - PIPE }),
            (None, Some(b)) => (if b >= x { x - PIPE } else { x + PIPE }, b),
            (None, None) => (x - PIPE, x + PIPE),
        };
        let _ = writeln!(
            s,
            ">\n          <pts><pt x=\"{x0}\" y=\"{y}\"/><pt x=\"{x1}\" y=\"{y}\"/></pts>\n        </flow>"
        );
    }
    let _ = writeln!(s, "      </view>\n    </views>");
}

/// A stock's `<inflow>`s, `<outflow>`s and `<non_negative/>`.
fn stock_flows(s: &mut String, inflows: &[String], outflows: &[String], non_negative: bool) {
    for f in inflows {
        let _ = write!(s, "\n        <inflow>{}</inflow>", esc(f));
    }
    for f in outflows {
        let _ = write!(s, "\n        <outflow>{}</outflow>", esc(f));
    }
    if non_negative {
        s.push_str("\n        <non_negative/>");
    }
}

/// The dimension `d` is a part of (itself for a root): what XMILE names.
/// XMILE 1.0 has no subranges: a quantity over one is written over the
/// subrange's root dimension (`root_of`), and the root's elements outside
/// the subrange get an `<element>` of `0`, so the file read alone defines
/// every element (nothing in the model reads those). A difference from the
/// model, said in the README; the extension keeps the model as written.
fn zero_outside_subranges(s: &mut String, m: &Model, dims: &[String]) {
    for sub in outside_subranges(m, dims) {
        let _ = write!(
            s,
            "\n        <element subscript=\"{}\">\n          <eqn>0</eqn>\n        </element>",
            esc(&sub)
        );
    }
}

/// The subscripts (`a,b`) of the root elements a quantity over `dims`
/// lacks because some of `dims` are subranges.
fn outside_subranges(m: &Model, dims: &[String]) -> Vec<String> {
    let elements = |d: &str| -> Vec<String> {
        m.dimensions
            .iter()
            .find(|x| x.id == d)
            .map(|x| x.elements.iter().map(|e| e.id.clone()).collect())
            .unwrap_or_default()
    };
    if dims.iter().all(|d| root_of(m, d) == *d) {
        return Vec::new();
    }
    let mut combos = vec![(String::new(), true)];
    for d in dims {
        let own = elements(d);
        let root = elements(&root_of(m, d));
        let mut next = Vec::with_capacity(combos.len() * root.len());
        for (sub, inside) in &combos {
            for e in &root {
                let sub = if sub.is_empty() {
                    e.clone()
                } else {
                    format!("{sub},{e}")
                };
                next.push((sub, *inside && own.contains(e)));
            }
        }
        combos = next;
    }
    combos
        .into_iter()
        .filter(|(_, inside)| !inside)
        .map(|(sub, _)| sub)
        .collect()
}

fn root_of(m: &Model, d: &str) -> String {
    let mut d = d.to_string();
    while let Some(p) = m
        .dimensions
        .iter()
        .find(|x| x.id == d)
        .and_then(|x| x.subrange_of.clone())
    {
        d = p;
    }
    d
}

/// One flat variable's equation in XMILE, from its expanded trees: a
/// stock by its change as the auxiliary the scalar writer makes of it.
fn flat_equation(m: &Model, v: &crate::model::def::Variable, trees: &[Option<Expr>; 2]) -> String {
    let print = |e: &Option<Expr>| {
        let mut out = String::new();
        if let Some(e) = e {
            xmile_expr(m, e, &mut out);
        }
        out
    };
    let text = match &v.kind {
        VariableKind::Stock {
            inflows,
            outflows,
            change,
            ..
        } if inflows.is_empty() && outflows.is_empty() && !change.trim().is_empty() => {
            format!(
                "IF TIME = STARTTIME THEN {} ELSE PREVIOUS({}, 0) + DT * ({})",
                print(&trees[0]),
                v.id,
                print(&trees[1])
            )
        }
        _ => print(&trees[0]),
    };
    esc(&text)
}

fn gf_type(mode: LookupMode) -> &'static str {
    match mode {
        LookupMode::Continuous => "",
        LookupMode::Extrapolate => " type=\"extrapolate\"",
        LookupMode::Discrete => " type=\"discrete\"",
    }
}

fn points(s: &mut String, pts: impl Iterator<Item = (f64, f64)> + Clone) {
    let join = |f: &dyn Fn((f64, f64)) -> f64| {
        pts.clone()
            .map(|p| number(f(p)))
            .collect::<Vec<_>>()
            .join(",")
    };
    let _ = writeln!(
        s,
        "          <xpts>{}</xpts>\n          <ypts>{}</ypts>",
        join(&|p| p.0),
        join(&|p| p.1)
    );
}

/// The model's RON in the extension: what XMILE has no words for.
fn extension(s: &mut String, m: &Model) {
    let ron = crate::model::load::model_to_ron(m);
    let _ = writeln!(
        s,
        "  <trajectoire:model><![CDATA[{}]]></trajectoire:model>",
        ron.replace("]]>", "]]]]><![CDATA[>")
    );
}

/// An equation of ours in XMILE's syntax, escaped for XML.
/// Built-ins XMILE has no word for, with why: a file that wrote them
/// would not run the same elsewhere, so the model is refused.
const NOT_IN_XMILE: &[(&str, &str)] = &[
    (
        "vensim_delayn",
        "Vensim's DELAY N with a delay time that changes; XMILE's DELAYN uses the current delay time in every stage",
    ),
    (
        "allocate_available",
        "Vensim's ALLOCATE AVAILABLE; XMILE has no allocation function",
    ),
    (
        "random_negative_binomial",
        "Vensim's RANDOM NEGATIVE BINOMIAL; XMILE has no negative binomial draw",
    ),
];

/// Refuses a model one of whose equations calls a built-in of
/// [`NOT_IN_XMILE`], naming the variable.
fn no_vensim_only(m: &Model) -> Result<(), String> {
    for v in &m.variables {
        let own = match &v.kind {
            VariableKind::Stock {
                initial, change, ..
            } => vec![initial.as_str(), change.as_str()],
            VariableKind::Aux { equation } => vec![equation.as_str()],
            VariableKind::Data { .. } => Vec::new(),
        };
        let elements = v
            .by_element
            .iter()
            .flat_map(|e| [e.equation.as_str(), e.initial.as_str(), e.change.as_str()]);
        for text in own.into_iter().chain(elements) {
            let Ok(e) = expr::parse(text) else { continue };
            if let Some((name, why)) = NOT_IN_XMILE.iter().find(|(n, _)| calls(&e, n)) {
                return Err(format!(
                    "`{}` calls `{name}` ({why}): XMILE cannot say it, so the model is not written",
                    v.id
                ));
            }
        }
    }
    Ok(())
}

/// Whether `e` calls `name` anywhere.
fn calls(e: &Expr, name: &str) -> bool {
    match &e.kind {
        ExprKind::Call { name: n, args, .. } => n == name || args.iter().any(|a| calls(a, name)),
        ExprKind::Subscript { .. } | ExprKind::Num(_) | ExprKind::Name(_) => false,
        ExprKind::Unary(_, a) => calls(a, name),
        ExprKind::Binary(_, a, b) => calls(a, name) || calls(b, name),
        ExprKind::If(c, a, b) => calls(c, name) || calls(a, name) || calls(b, name),
    }
}

fn equation(m: &Model, owner: &str, text: &str) -> Result<String, String> {
    let e = expr::parse(text).map_err(|e| format!("`{owner}`: {e}"))?;
    let mut out = String::new();
    xmile_expr(m, &e, &mut out);
    Ok(esc(&out))
}

/// Writes `e` fully parenthesised below the top, so that XMILE's
/// precedence (which differs from ours for `not` and unary minus) cannot
/// change its meaning.
fn xmile_expr(m: &Model, e: &Expr, s: &mut String) {
    let sub = |x: &Expr, s: &mut String| {
        let simple = matches!(
            x.kind,
            ExprKind::Num(_) | ExprKind::Name(_) | ExprKind::Call { .. }
        );
        if !simple {
            s.push('(');
        }
        xmile_expr(m, x, s);
        if !simple {
            s.push(')');
        }
    };
    match &e.kind {
        ExprKind::Num(n) => s.push_str(&number(*n)),
        // Arrayed models are refused before (`write`): not reached.
        ExprKind::Subscript { .. } => s.push_str(&e.to_string()),
        ExprKind::Name(n) => s.push_str(match n.as_str() {
            "time" | "year" => "TIME",
            "dt" => "DT",
            "start_time" => "STARTTIME",
            "stop_time" => "STOPTIME",
            "pi" => "PI",
            other => other,
        }),
        ExprKind::Unary(UnOp::Neg, a) => {
            s.push('-');
            sub(a, s);
        }
        ExprKind::Unary(UnOp::Not, a) => {
            s.push_str("NOT ");
            sub(a, s);
        }
        ExprKind::Binary(op, a, b) => {
            sub(a, s);
            s.push_str(match op {
                BinOp::Eq => " = ",
                BinOp::Ne => " <> ",
                BinOp::And => " AND ",
                BinOp::Or => " OR ",
                BinOp::Add => " + ",
                BinOp::Sub => " - ",
                BinOp::Mul => " * ",
                BinOp::Div => " / ",
                BinOp::Pow => " ^ ",
                BinOp::Lt => " < ",
                BinOp::Le => " <= ",
                BinOp::Gt => " > ",
                BinOp::Ge => " >= ",
            });
            sub(b, s);
        }
        ExprKind::If(c, a, b) => {
            s.push_str("IF ");
            sub(c, s);
            s.push_str(" THEN ");
            sub(a, s);
            s.push_str(" ELSE ");
            sub(b, s);
        }
        ExprKind::Call { name, args, .. } => call(m, name, args, s),
    }
}

fn call(m: &Model, name: &str, args: &[Expr], s: &mut String) {
    let list = |args: &[Expr], s: &mut String| {
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            xmile_expr(m, a, s);
        }
    };
    let f = match name {
        "clamp" if args.len() == 3 => {
            s.push_str("MIN(MAX(");
            list(&args[..2], s);
            s.push_str("), ");
            xmile_expr(m, &args[2], s);
            s.push(')');
            return;
        }
        "pow" if args.len() == 2 => {
            s.push('(');
            xmile_expr(m, &args[0], s);
            s.push_str(") ^ (");
            xmile_expr(m, &args[1], s);
            s.push(')');
            return;
        }
        // XMILE's MOD is an operator.
        "mod" if args.len() == 2 => {
            s.push('(');
            xmile_expr(m, &args[0], s);
            s.push_str(") MOD (");
            xmile_expr(m, &args[1], s);
            s.push(')');
            return;
        }
        "prev" | "previous" if args.len() == 1 => {
            s.push_str("PREVIOUS(");
            xmile_expr(m, &args[0], s);
            s.push_str(", ");
            prev_first(m, &args[0], s);
            s.push(')');
            return;
        }
        "prev" => "PREVIOUS",
        "smooth1" => "SMTH1",
        "smooth3" => "SMTH3",
        "smoothn" => "SMTHN",
        "forecast" => "FORCST",
        "random_uniform" => "RANDOM",
        "random_normal" => "NORMAL",
        "random_lognormal" => "LOGNORMAL",
        "random_poisson" => "POISSON",
        "random_exponential" => "EXPRND",
        "random_triangular" => "TRIANGULAR",
        "random_gamma" => "GAMMA",
        "random_beta" => "BETA",
        "random_weibull" => "WEIBULL",
        "random_binomial" => "BINOMIAL",
        other => return upper_call(m, other, args, s),
    };
    s.push_str(f);
    s.push('(');
    list(args, s);
    s.push(')');
}

/// Any other call: a built-in by its XMILE name (ours in capitals), or a
/// lookup table called on its input, as XMILE calls a graphical function.
fn upper_call(m: &Model, name: &str, args: &[Expr], s: &mut String) {
    if m.lookups.iter().any(|t| t.id == name) {
        s.push_str(name);
    } else {
        s.push_str(&name.to_uppercase());
    }
    s.push('(');
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        xmile_expr(m, a, s);
    }
    s.push(')');
}

/// `prev(x)`'s value in the first step, which XMILE's PREVIOUS needs
/// written: a stock's initial value (its expression, inline: `INIT(x)`
/// would loop through a stock written as an auxiliary), a data series'
/// value the year before the start.
fn prev_first(m: &Model, x: &Expr, s: &mut String) {
    let var = match &x.kind {
        ExprKind::Name(n) => m.variable(n),
        _ => None,
    };
    match var.map(|v| &v.kind) {
        Some(VariableKind::Data { points }) if !points.is_empty() => s.push_str(&number(
            crate::model::compile::interpolate(points, f64::from(m.start_year - 1)),
        )),
        Some(VariableKind::Stock { initial, .. }) => match expr::parse(initial) {
            Ok(e) => {
                s.push('(');
                xmile_expr(m, &e, s);
                s.push(')');
            }
            Err(_) => s.push('0'),
        },
        _ => {
            s.push_str("INIT(");
            xmile_expr(m, x, s);
            s.push(')');
        }
    }
}

/// A number that reads back to the same bits: Rust's shortest round trip.
fn number(n: f64) -> String {
    super::translate::number(n)
}

fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
