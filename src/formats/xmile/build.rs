//! An XMILE model's entities (XMILE 4) made into our model: each stock,
//! flow and auxiliary a variable (a constant auxiliary a lever), each
//! graphical function a lookup, in the file's order.

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

mod copies;
mod modules;

use super::arrays;
use super::expr::{self, EqnError, Node as X, UnOp};
use super::macros::{self, Copies, Macros};
use super::specs::{self, Behavior, Clock};
use super::translate::{Arrays, Scope, Symbol, translate};
use super::xml::{Prepared, child, child_text, children, is_xmile};
use super::{Imported, Place, Pos, XmileError, gf, views};
use crate::formats::sd_common::build::{charts, lever, unit_expr};
use crate::formats::sd_common::names::{Ids, canonical, label};
use crate::formats::sd_common::out::Out;
use crate::model::def::{
    ElementEquation, Lever, MODEL_FORMAT_VERSION, Model, Text, Variable, VariableKind,
};
use crate::model::error::Item;

/// What an entity of the model is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Stock,
    Flow,
    Aux,
    /// A standalone graphical function, called as `name(x)`.
    Gf,
}

/// One entity, once named.
struct Decl<'a, 'i> {
    node: Node<'a, 'i>,
    kind: Kind,
    name: String,
    id: String,
    /// For a constant auxiliary: its value (it becomes a lever).
    constant: Option<f64>,
    /// For a variable with its own graphical function: the lookup's id.
    table: Option<String>,
}

/// Container elements that hold no entity and change no result.
const IGNORED: &[&str] = &[
    "group",
    "display",
    "interface",
    "views",
    "sim_specs",
    "behavior",
    "style",
    "doc",
];
/// An entity's elements that change no result (beyond what we read).
const HARMLESS: &[&str] = &[
    "eqn",
    "gf",
    "inflow",
    "outflow",
    "non_negative",
    "units",
    "doc",
    "range",
    "scale",
    "format",
    "display",
    "mathml",
];

/// Auxiliaries named as Vensim's run settings (`TIME STEP`...), which
/// files converted from Vensim keep as ordinary constants.
const VENSIM_CONTROLS: [&str; 4] = ["time_step", "initial_time", "final_time", "saveper"];

pub fn build(p: &Prepared, root: Node, fallback_name: &str) -> Result<Imported, XmileError> {
    check_root(p, root)?;
    let models = modules::models(p, root)?;
    let model = models.root;
    let clock = specs::clock(p, root, model)?;
    let behavior = specs::behavior(p, root, model)?;
    let container = child(model, "variables").unwrap_or(model);
    let (dimensions, mut arrays) = arrays::dimensions(p, root)?;
    let macros = macros::read(p, root)?;
    check_macros(p, root, &macros, &arrays)?;
    let mut ids = Ids::default();
    let decls = declare(p, container, &mut ids)?;
    let (planned, copies) = copies::plan(p, root, &decls, &macros, &mut ids)?;
    let (instances, qualified) = modules::plan(p, &models, &decls, &mut ids)?;
    let inner = instances.iter().flat_map(|i| &i.decls);
    for d in decls.iter().chain(inner) {
        let dims = arrays::entity_dims(p, d.node, &arrays)?;
        if !dims.is_empty() {
            arrays.vars.insert(d.id.clone(), dims);
        }
    }
    let mut b = Builder {
        p,
        behavior,
        symbols: symbols(&decls).into_iter().chain(qualified).collect(),
        model: empty_model(p, root, fallback_name, &clock),
        places: HashMap::new(),
        arrays,
        macros,
        copies,
        connected: HashMap::new(),
    };
    b.model.dimensions = dimensions;
    b.model.units = arrays::model_units(root);
    for d in &decls {
        b.add(d)?;
    }
    b.add_copies(&planned)?;
    b.add_modules(&instances)?;
    let Builder {
        model: mut built,
        places,
        ..
    } = b;
    built.charts = charts(&built);
    built.map.places = views::places(model, &view_ids(&decls));
    Ok(Imported {
        model: built,
        places,
    })
}

/// Each macro's body translated once, its parameters standing for 0, so
/// that a mistake in it is reported where it is, not at each call.
fn check_macros(
    p: &Prepared,
    root: Node,
    macros: &Macros,
    arrays: &Arrays,
) -> Result<(), XmileError> {
    let none = HashMap::new();
    for node in children(root).filter(|c| c.tag_name().name() == "macro") {
        let key = canonical(node.attribute("name").unwrap_or(""));
        let (Some(m), Some(eqn)) = (macros.get(&key), child(node, "eqn")) else {
            continue;
        };
        // One with variables is checked at each copy.
        if m.has_variables {
            continue;
        }
        let bound: HashMap<String, Out> = m
            .parms
            .iter()
            .map(|(k, _)| (k.clone(), Out::Num(0.0)))
            .collect();
        let scope = Scope {
            symbols: &none,
            owner: "",
            arrays,
            owner_dims: &[],
            macros,
            bound: Some(&bound),
            copies: &Copies::new(),
        };
        if let Err(e) = translate(&m.body, &scope) {
            let message = format!("in the macro `{}`: {}", m.name, e.message);
            let pos = eqn_pos(p, eqn, e.span.0);
            return Err(if e.unsupported {
                XmileError::unsupported(message, pos)
            } else {
                XmileError::invalid(message, pos)
            });
        }
    }
    Ok(())
}

/// The id of each stock, flow and auxiliary by its canonical name: what a
/// view's elements name.
fn view_ids(decls: &[Decl]) -> HashMap<String, String> {
    decls
        .iter()
        .filter(|d| d.kind != Kind::Gf)
        .map(|d| (canonical(&d.name), d.id.clone()))
        .collect()
}

/// The root must be `<xmile>`; data imports are refused.
fn check_root(p: &Prepared, root: Node) -> Result<(), XmileError> {
    if !is_xmile(root) || root.tag_name().name() != "xmile" {
        return Err(XmileError::invalid(
            format!(
                "this is not an XMILE file: its root element is <{}>, not <xmile>",
                root.tag_name().name()
            ),
            p.node_pos(root),
        ));
    }
    let import =
        child(root, "data").and_then(|d| children(d).find(|c| c.tag_name().name() != "export"));
    if let Some(i) = import {
        return Err(XmileError::unsupported(
            "data imported from other files (<data>) is not supported yet",
            p.node_pos(i),
        ));
    }
    Ok(())
}

/// Every entity of `container`, named, with distinct ids; what we cannot
/// simulate is refused here, before anything is built.
fn declare<'a, 'i>(
    p: &Prepared,
    container: Node<'a, 'i>,
    ids: &mut Ids,
) -> Result<Vec<Decl<'a, 'i>>, XmileError> {
    let mut decls = Vec::new();
    let mut seen: HashMap<String, Pos> = HashMap::new();
    for node in children(container) {
        let tag = node.tag_name().name();
        let kind = match tag {
            "stock" => Kind::Stock,
            "flow" => Kind::Flow,
            "aux" => Kind::Aux,
            "gf" => Kind::Gf,
            // Instances of submodels: `modules.rs`.
            _ if IGNORED.contains(&tag) || tag == "module" => continue,
            _ => {
                return Err(XmileError::unsupported(
                    format!("the element <{tag}> is not supported"),
                    p.node_pos(node),
                ));
            }
        };
        let name = node.attribute("name").unwrap_or("").to_string();
        let key = canonical(&name);
        if key.is_empty() {
            return Err(XmileError::invalid(
                format!("this <{tag}> has no name"),
                p.node_pos(node),
            ));
        }
        if let Some(other) = seen.insert(key.clone(), p.node_pos(node)) {
            return Err(XmileError::invalid(
                format!(
                    "two entities are called `{}` (the other at line {}, column {}): XMILE \
                     names ignore case, spaces and underscores",
                    label(&name),
                    other.line,
                    other.col
                ),
                p.node_pos(node),
            ));
        }
        check_entity(p, node, kind)?;
        decls.push(Decl {
            node,
            kind,
            id: ids.assign(&key),
            name,
            constant: None,
            table: None,
        });
    }
    finish_decls(&mut decls, ids);
    Ok(decls)
}

/// Refuses what an entity may hold that we do not simulate.
fn check_entity(p: &Prepared, node: Node, kind: Kind) -> Result<(), XmileError> {
    for c in children(node) {
        let tag = c.tag_name().name();
        let what = match tag {
            "dimensions" | "element" if kind != Kind::Gf => continue,
            "dimensions" | "element" => "arrayed graphical functions are not supported yet",
            "conveyor" => "conveyors are not supported",
            "queue" => "queues are not supported",
            "event_poster" => "event posters are not supported",
            "multiplier" => "flow multipliers (unit conversions) are not supported",
            "overflow" | "leak" => "queue and conveyor flows are not supported",
            _ if HARMLESS.contains(&tag) => continue,
            _ if kind == Kind::Gf && matches!(tag, "xscale" | "yscale" | "xpts" | "ypts") => {
                continue;
            }
            _ => {
                return Err(XmileError::unsupported(
                    format!("the element <{tag}> is not supported"),
                    p.node_pos(c),
                ));
            }
        };
        return Err(XmileError::unsupported(what, p.node_pos(c)));
    }
    if children(node)
        .filter(|c| c.tag_name().name() == "eqn")
        .count()
        > 1
    {
        return Err(XmileError::invalid(
            "this entity gives two equations (<eqn>): XMILE allows one, or one per <element>",
            p.node_pos(node),
        ));
    }
    if kind == Kind::Gf && child(node, "eqn").is_some() {
        return Err(XmileError::unsupported(
            "a named graphical function with its own <eqn> is not supported",
            p.node_pos(node),
        ));
    }
    Ok(())
}

/// Lookups for the variables' own graphical functions (ids after the
/// variables', so that variables keep the plain ones), and which
/// auxiliaries are constants.
fn finish_decls(decls: &mut [Decl], ids: &mut Ids) {
    let flows: HashSet<String> = decls
        .iter()
        .filter(|d| d.kind == Kind::Stock)
        .flat_map(|d| children(d.node))
        .filter(|c| matches!(c.tag_name().name(), "inflow" | "outflow"))
        .map(|c| canonical(c.text().unwrap_or("")))
        .collect();
    for d in decls.iter_mut() {
        let gf = child(d.node, "gf");
        if d.kind != Kind::Gf && gf.is_some() {
            d.table = Some(ids.assign(&format!("{} lookup", canonical(&d.name))));
        }
        let arrayed = child(d.node, "dimensions").is_some();
        if d.kind == Kind::Aux && gf.is_none() && !arrayed && !flows.contains(&canonical(&d.name)) {
            d.constant = child_text(d.node, "eqn").and_then(constant);
        }
    }
}

/// The value of an equation that is a number (maybe negative, maybe in
/// parentheses).
fn constant(eqn: &str) -> Option<f64> {
    let e = expr::parse(eqn).ok()?;
    match e.node {
        X::Num(n) => Some(n),
        X::Unary(UnOp::Neg, a) => match a.node {
            X::Num(n) => Some(-n),
            _ => None,
        },
        _ => None,
    }
}

/// What each canonical name stands for in equations.
fn symbols(decls: &[Decl]) -> HashMap<String, Symbol> {
    decls
        .iter()
        .map(|d| {
            let sym = match d.kind {
                Kind::Gf => Symbol::Table(d.id.clone()),
                _ => Symbol::Value(d.id.clone(), d.table.clone()),
            };
            (canonical(&d.name), sym)
        })
        .collect()
}

fn empty_model(p: &Prepared, root: Node, fallback_name: &str, clock: &Clock) -> Model {
    let header = child(root, "header");
    let text = |name: &str| {
        header
            .and_then(|h| child_text(h, name))
            .filter(|t| !t.is_empty())
    };
    let name = text("name").unwrap_or(fallback_name).to_string();
    let by: Vec<&str> = [text("vendor"), text("product")]
        .into_iter()
        .flatten()
        .collect();
    let by = if by.is_empty() {
        String::new()
    } else {
        format!(" ({})", by.join(", "))
    };
    let _ = p;
    Model {
        format_version: MODEL_FORMAT_VERSION,
        id: Ids::default().assign(&canonical(&name)),
        version: text("version").unwrap_or("1").to_string(),
        name: Text::new(name.clone(), name),
        sector: Text::default(),
        country: Text::default(),
        currency: String::new(),
        start_year: clock.start,
        end_year: clock.stop,
        time: clock.time.clone(),
        last_observed_year: clock.start,
        description: Text::new(
            format!("Importé d’un fichier XMILE{by}."),
            format!("Imported from an XMILE file{by}."),
        ),
        groups: Vec::new(),
        dimensions: Vec::new(),
        levers: Vec::new(),
        variables: Vec::new(),
        lookups: Vec::new(),
        observations: Vec::new(),
        series_breaks: Vec::new(),
        targets: Vec::new(),
        charts: Vec::new(),
        ratios: Vec::new(),
        units: Vec::new(),
        map: Default::default(),
    }
}

struct Builder<'p, 't> {
    p: &'p Prepared<'t>,
    behavior: Behavior,
    symbols: HashMap<String, Symbol>,
    model: Model,
    places: HashMap<String, Place>,
    arrays: Arrays,
    macros: Macros,
    copies: Copies,
    /// The equation of each connected input of a module, by its id.
    connected: HashMap<String, String>,
}

impl Builder<'_, '_> {
    /// Adds `d` to the model as a variable, a lever or a lookup.
    fn add(&mut self, d: &Decl) -> Result<(), XmileError> {
        let item = match (d.kind, d.constant) {
            (Kind::Gf, _) => Item::Lookup(d.id.clone()),
            (Kind::Aux, Some(_)) => Item::Lever(d.id.clone()),
            _ => Item::Variable(d.id.clone()),
        };
        let eqn = child(d.node, "eqn").map(|e| self.p.node_pos(e));
        self.places.insert(
            d.id.clone(),
            Place {
                element: self.p.node_pos(d.node),
                eqn,
            },
        );
        self.add_item(d).map_err(|e| match e.item {
            Item::Model => e.in_item(item),
            _ => e,
        })
    }

    fn add_item(&mut self, d: &Decl) -> Result<(), XmileError> {
        match (d.kind, d.constant) {
            (Kind::Gf, _) => {
                let l = gf::lookup(self.p, d.node, &d.id, description(d.node))?;
                self.model.lookups.push(l);
            }
            // Vensim's run settings, kept as constants by converters, do
            // not set the clock in XMILE: not levers a user would drag.
            (Kind::Aux, Some(value)) if !VENSIM_CONTROLS.contains(&d.id.as_str()) => {
                let l = self.lever(d, value)?;
                self.model.levers.push(l);
            }
            (Kind::Stock, _) => {
                let v = self.stock(d)?;
                self.model.variables.push(v);
            }
            (Kind::Flow | Kind::Aux, _) => {
                let v = self.flow_or_aux(d)?;
                self.model.variables.push(v);
            }
        }
        Ok(())
    }

    /// A stock: its `<eqn>` is its initial value; its flows by name.
    fn stock(&self, d: &Decl) -> Result<Variable, XmileError> {
        let initial = self.equation(d)?;
        let mut flows: [Vec<String>; 2] = Default::default();
        for c in children(d.node) {
            let i = match c.tag_name().name() {
                "inflow" => 0,
                "outflow" => 1,
                _ => continue,
            };
            flows[i].push(self.flow_id(c)?);
        }
        let non_negative = specs::non_negative(self.p, d.node)?.unwrap_or(self.behavior.stocks);
        fn ids(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        // No flow: the stock keeps its initial value, under either method.
        let kind =
            VariableKind::stock_with_flows(initial, &ids(&flows[0]), &ids(&flows[1]), non_negative);
        let mut v = variable(d, kind);
        self.arrayed(d, &mut v, |e| ElementEquation {
            initial: e,
            ..Default::default()
        })?;
        Ok(v)
    }

    /// The id of the variable an `<inflow>` or `<outflow>` names.
    fn flow_id(&self, node: Node) -> Result<String, XmileError> {
        let name = node.text().unwrap_or("").trim();
        match self.symbols.get(&canonical(name)) {
            Some(Symbol::Value(id, _)) => Ok(id.clone()),
            _ => Err(XmileError::invalid(
                format!("the stock's flow `{name}` is not a flow of this model"),
                self.p.node_pos(node),
            )),
        }
    }

    /// A flow or an auxiliary: its equation, or its graphical function
    /// of its equation; a non-negative flow never below 0.
    fn flow_or_aux(&mut self, d: &Decl) -> Result<Variable, XmileError> {
        let mut equation = self.equation(d)?;
        if let (Some(gf), Some(table)) = (child(d.node, "gf"), &d.table) {
            let l = gf::lookup(self.p, gf, table, Text::default())?;
            self.places.insert(
                table.clone(),
                Place {
                    element: self.p.node_pos(gf),
                    eqn: None,
                },
            );
            self.model.lookups.push(l);
            equation = format!("{table}({equation})");
        }
        let non_negative = d.kind == Kind::Flow
            && specs::non_negative(self.p, d.node)?.unwrap_or(self.behavior.flows);
        let clip = |e: String| match non_negative && !e.is_empty() {
            true => format!("max(0, {e})"),
            false => e,
        };
        equation = clip(equation);
        let mut v = variable(d, VariableKind::Aux { equation });
        self.arrayed(d, &mut v, |e| ElementEquation {
            equation: clip(e),
            ..Default::default()
        })?;
        Ok(v)
    }

    /// An arrayed entity: its dimensions, and each `<element>`'s equation
    /// (made into a `by_element` entry by `entry`).
    fn arrayed(
        &self,
        d: &Decl,
        v: &mut Variable,
        entry: impl Fn(String) -> ElementEquation,
    ) -> Result<(), XmileError> {
        let Some(dims) = self.arrays.vars.get(&d.id) else {
            return Ok(());
        };
        v.dimensions = dims.clone();
        for el in arrays::elements(self.p, d.node)? {
            let at = arrays::at(self.p, el, dims, &self.arrays)?;
            let eqn = self.eqn_text(d, el)?;
            v.by_element.push(ElementEquation { at, ..entry(eqn) });
        }
        // Given element by element, with no equation for all: every
        // element needs one (else the model would hold an empty equation,
        // said later and nowhere in the file).
        if child(d.node, "eqn").is_none() {
            let given: Vec<&str> = v.by_element.iter().map(|e| e.at.as_str()).collect();
            let missing = arrays::missing_elements(dims, &self.arrays, &given);
            if let Some(first) = missing.first() {
                let more = match missing.len() {
                    1 => String::new(),
                    n => format!(" and {} more", n - 1),
                };
                return Err(XmileError::invalid(
                    format!(
                        "`{}` gives no equation for its element `{first}`{more}: give every \
                         element an <element>, or the entity one <eqn> for all",
                        label(&d.name)
                    ),
                    self.p.node_pos(d.node),
                ));
            }
        }
        Ok(())
    }

    /// `d`'s `<eqn>` in our language (none, for an array given element
    /// by element).
    fn equation(&self, d: &Decl) -> Result<String, XmileError> {
        if let Some(e) = self.connected.get(&d.id) {
            return Ok(e.clone());
        }
        let arrayed = self.arrays.vars.contains_key(&d.id);
        if arrayed && child(d.node, "eqn").is_none() && child(d.node, "element").is_some() {
            return Ok(String::new());
        }
        self.eqn_text(d, d.node)
    }

    /// The `<eqn>` of `node` (the entity, or one of its `<element>`s).
    fn eqn_text(&self, d: &Decl, node: Node) -> Result<String, XmileError> {
        let Some(eqn) = child(node, "eqn") else {
            return Err(XmileError::invalid(
                format!("`{}` has no equation (<eqn>)", label(&d.name)),
                self.p.node_pos(node),
            ));
        };
        let text = eqn.text().unwrap_or("");
        let owner_dims = self.arrays.vars.get(&d.id).map_or(&[][..], |v| v);
        if !owner_dims.is_empty()
            && let Some(list) = arrays::number_list(text)
        {
            return Ok(list);
        }
        let scope = Scope {
            symbols: &self.symbols,
            owner: &d.id,
            arrays: &self.arrays,
            owner_dims,
            macros: &self.macros,
            bound: None,
            copies: &self.copies,
        };
        expr::parse(text)
            .and_then(|e| translate(&e, &scope))
            .map_err(|e| self.eqn_error(d, eqn, e))
    }

    fn eqn_error(&self, d: &Decl, eqn: Node, e: EqnError) -> XmileError {
        let pos = eqn_pos(self.p, eqn, e.span.0);
        let message = format!("in the equation of `{}`: {}", label(&d.name), e.message);
        let err = if e.unsupported {
            XmileError::unsupported(message, pos)
        } else {
            XmileError::invalid(message, pos)
        };
        err.in_item(Item::Variable(d.id.clone()))
    }

    /// A constant auxiliary as a lever: over the model's own `<range>`
    /// when it has one, else around its value.
    fn lever(&self, d: &Decl, value: f64) -> Result<Lever, XmileError> {
        let range = self.range(d.node)?;
        Ok(lever(
            &d.id,
            &label(&d.name),
            unit(d.node),
            description(d.node),
            value,
            range,
        ))
    }

    /// `<range min max>`, the slider's range the model gives.
    fn range(&self, node: Node) -> Result<Option<(f64, f64)>, XmileError> {
        let Some(r) = child(node, "range") else {
            return Ok(None);
        };
        let bound = |name: &str| r.attribute(name).and_then(|v| v.trim().parse::<f64>().ok());
        match (bound("min"), bound("max")) {
            (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() && lo < hi => {
                Ok(Some((lo, hi)))
            }
            _ => Err(XmileError::invalid(
                "<range> needs numbers `min` < `max`",
                self.p.node_pos(r),
            )),
        }
    }
}

fn variable(d: &Decl, kind: VariableKind) -> Variable {
    Variable {
        id: d.id.clone(),
        label: Text::new(label(&d.name), label(&d.name)),
        unit: unit(d.node),
        unit_expr: unit_expr(child_text(d.node, "units").unwrap_or("")),
        dimensions: Vec::new(),
        by_element: Vec::new(),
        kind,
        description: description(d.node),
    }
}

fn unit(node: Node) -> Text {
    let u = child_text(node, "units").unwrap_or("");
    Text::new(u, u)
}

fn description(node: Node) -> Text {
    let doc = child_text(node, "doc").unwrap_or("");
    Text::new(doc, doc)
}

/// The file position of byte `offset` of an `<eqn>`'s text (as read,
/// entities such as `&lt;` decoded).
pub(super) fn eqn_pos(p: &Prepared, eqn: Node, offset: usize) -> Pos {
    let Some(text) = eqn.first_child().filter(|c| c.is_text()) else {
        return p.node_pos(eqn);
    };
    let range = text.range();
    let raw = &p.xml[range.clone()];
    let decoded = text.text().unwrap_or("");
    p.pos(range.start + raw_offset(raw, decoded, offset))
}

/// Where the `offset`-th byte of `decoded` is in `raw`, the text as written.
fn raw_offset(raw: &str, decoded: &str, offset: usize) -> usize {
    let (mut r, mut d) = (0, 0);
    while d < offset && r < raw.len() {
        let rest = &raw[r..];
        if let Some(skip) = ["<![CDATA[", "]]>"].iter().find(|s| rest.starts_with(**s)) {
            r += skip.len();
            continue;
        }
        d += decoded[d..].chars().next().map_or(1, char::len_utf8);
        r += if rest.starts_with('&') {
            rest.find(';').map_or(1, |i| i + 1)
        } else if rest.starts_with("\r\n") {
            2
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_and_offsets() {
        assert_eq!(constant(" (12) "), Some(12.0));
        assert_eq!(constant("-.5"), Some(-0.5));
        assert_eq!(constant("3/4"), None);
        assert_eq!(raw_offset("a &lt; b", "a < b", 4), 7);
    }
}
