//! XMILE's macros (XMILE 1.0 3.6): `<macro name="F"><parm>a</parm>
//! <parm default="1">b</parm><eqn>a * b</eqn></macro>`, read once, then
//! written out where they are called (`translate::call`): each call its
//! own copy of the body with the call's arguments in place of the
//! parameters, as Vensim's macros are (`mdl/macros.rs`). A stateful
//! built-in inside the body (`SMTH1`, `DELAY`…) is thus its own hidden
//! stock at each call, and a random draw its own stream.
//!
//! A macro with variables of its own (`<variables>`: stocks, flows,
//! auxiliaries) is copied at each call instead (`build.rs`,
//! `macro_copies`): the copy's variables named `caller.MACRO.name`, as
//! Vensim's are, its parameters auxiliaries holding the call's arguments,
//! and the call the macro's `<eqn>` over the copy.
//!
//! Refused, at the macro's line and column: a macro that calls itself
//! (directly or through others), one with its own `<sim_specs>`, and a
//! parameter's default that is not a number; at the call, a macro with
//! variables called from an arrayed equation or from another macro's
//! `<eqn>`.

use std::collections::{HashMap, HashSet};

use roxmltree::Node;

use super::expr::{self, Expr, Node as X};
use super::xml::{Prepared, child, children};
use super::{Pos, XmileError};
use crate::formats::sd_common::names::canonical;

/// One macro, ready to be written out at its calls.
#[derive(Clone, Debug)]
pub struct Macro {
    /// As the file spells it, for messages.
    pub name: String,
    /// Each parameter's canonical name and its default value, if any.
    pub parms: Vec<(String, Option<f64>)>,
    pub body: Expr,
    /// Whether it has variables of its own: then each call is a copy.
    pub has_variables: bool,
}

/// Each copy of a macro with variables, by the calling variable's id and
/// the call's start in its equation: what the copy's names stand for
/// (its variables, and its parameters as auxiliaries).
pub type Copies = HashMap<(String, usize), HashMap<String, super::translate::Symbol>>;

/// Every call in `e`, in the order they are written (a call before its
/// arguments' calls): its canonical name, its start and its arguments.
fn each_call<'e>(e: &'e Expr, f: &mut impl FnMut(String, usize, &'e [Expr])) {
    match &e.node {
        X::Num(_) | X::Name(_) | X::Subscript { .. } => {}
        X::Call { name, args } => {
            f(canonical(name), e.span.0, args);
            for a in args {
                each_call(a, f);
            }
        }
        X::Unary(_, a) => each_call(a, f),
        X::Binary(_, a, b) => {
            each_call(a, f);
            each_call(b, f);
        }
        X::If(c, a, b) => {
            each_call(c, f);
            each_call(a, f);
            each_call(b, f);
        }
    }
}

/// The calls in `e` of macros with variables: the macro, the call's start
/// and its arguments, in the order they are written.
pub fn copied_calls<'e>(e: &'e Expr, macros: &Macros, out: &mut Vec<(String, usize, &'e [Expr])>) {
    each_call(e, &mut |key, start, args| {
        if macros.get(&key).is_some_and(|m| m.has_variables) {
            out.push((key, start, args));
        }
    });
}

impl Macro {
    /// The numbers of arguments a call may give: the parameters without
    /// a default, up to all of them.
    pub fn arities(&self) -> (usize, usize) {
        let required = self.parms.iter().take_while(|(_, d)| d.is_none()).count();
        (required, self.parms.len())
    }
}

/// The file's macros by canonical name.
pub type Macros = HashMap<String, Macro>;

/// Every `<macro>` of the file's root.
pub fn read(p: &Prepared, root: Node) -> Result<Macros, XmileError> {
    let mut macros = Macros::new();
    let mut places: HashMap<String, Pos> = HashMap::new();
    for node in children(root).filter(|c| c.tag_name().name() == "macro") {
        let name = node.attribute("name").unwrap_or("").trim().to_string();
        let key = canonical(&name);
        if key.is_empty() {
            return Err(XmileError::invalid(
                "this <macro> has no name",
                p.node_pos(node),
            ));
        }
        let m = one(p, node, name)?;
        if macros.insert(key.clone(), m).is_some() {
            return Err(XmileError::invalid(
                "two macros have this name",
                p.node_pos(node),
            ));
        }
        places.insert(key, p.node_pos(node));
    }
    if let Some((key, through)) = recursive(&macros) {
        let m = &macros[&key];
        let how = match through {
            Some(other) => format!(" through `{}`", macros[&other].name),
            None => String::new(),
        };
        return Err(XmileError::unsupported(
            format!(
                "the macro `{}` calls itself{how}: recursive macros are not supported",
                m.name
            ),
            places[&key],
        ));
    }
    Ok(macros)
}

/// One `<macro>`: its parameters and its body.
fn one(p: &Prepared, node: Node, name: String) -> Result<Macro, XmileError> {
    let mut parms = Vec::new();
    let mut seen = HashSet::new();
    let mut has_variables = false;
    for c in children(node) {
        match c.tag_name().name() {
            "parm" => {
                let key = canonical(c.text().unwrap_or(""));
                if key.is_empty() || !seen.insert(key.clone()) {
                    return Err(XmileError::invalid(
                        "a macro's <parm> needs a name of its own",
                        p.node_pos(c),
                    ));
                }
                let default = match c.attribute("default") {
                    None => None,
                    Some(d) => Some(d.trim().parse::<f64>().map_err(|_| {
                        XmileError::unsupported(
                            "a parameter's default other than a number is not supported",
                            p.node_pos(c),
                        )
                    })?),
                };
                if default.is_none() && parms.iter().any(|(_, d): &(_, Option<f64>)| d.is_some()) {
                    return Err(XmileError::invalid(
                        "a parameter without a default after one with a default",
                        p.node_pos(c),
                    ));
                }
                parms.push((key, default));
            }
            "eqn" | "doc" | "format" => {}
            "variables" => has_variables |= children(c).next().is_some(),
            "sim_specs" => {
                return Err(XmileError::unsupported(
                    "a macro with a clock of its own (<sim_specs>) is not supported",
                    p.node_pos(c),
                ));
            }
            tag => {
                return Err(XmileError::unsupported(
                    format!("the element <{tag}> in a macro is not supported"),
                    p.node_pos(c),
                ));
            }
        }
    }
    let Some(eqn) = child(node, "eqn") else {
        return Err(XmileError::invalid(
            format!("the macro `{name}` has no equation (<eqn>)"),
            p.node_pos(node),
        ));
    };
    let body = expr::parse(eqn.text().unwrap_or("")).map_err(|e| {
        let pos = super::build::eqn_pos(p, eqn, e.span.0);
        XmileError::invalid(format!("in the macro `{name}`: {}", e.message), pos)
    })?;
    Ok(Macro {
        name,
        parms,
        body,
        has_variables,
    })
}

/// The canonical names of the macros `e` calls.
fn calls(e: &Expr, macros: &Macros, out: &mut Vec<String>) {
    each_call(e, &mut |key, _, _| {
        if macros.contains_key(&key) {
            out.push(key);
        }
    });
}

/// A macro that reaches itself by its calls, and the first macro it
/// calls on the way when that is another: the first such, in name order.
fn recursive(macros: &Macros) -> Option<(String, Option<String>)> {
    let mut names: Vec<&String> = macros.keys().collect();
    names.sort();
    for start in names {
        let mut direct = Vec::new();
        calls(&macros[start].body, macros, &mut direct);
        for first in &direct {
            let mut stack = vec![first.clone()];
            let mut seen = HashSet::new();
            while let Some(k) = stack.pop() {
                if k == *start {
                    let through = (first != start).then(|| first.clone());
                    return Some((start.clone(), through));
                }
                if seen.insert(k.clone()) {
                    calls(&macros[&k].body, macros, &mut stack);
                }
            }
        }
    }
    None
}
