//! The copies of XMILE macros with variables of their own: one per call of
//! a scalar equation, found before anything is built (the model's
//! equations, then the copies' own, until none calls another). A copy's
//! variables are the macro's `<variables>` named `caller.MACRO.name`
//! (`caller.MACRO 2.name` for a caller's second call), as Vensim's
//! macros' are; its parameters become auxiliaries holding the call's
//! arguments (or their defaults). `Builder::add_copies` then builds them
//! as the model's own entities, with the copy's names in scope.

use std::collections::HashMap;

use roxmltree::Node;

use super::super::expr::{self, Expr};
use super::super::macros::{Copies, Macros, copied_calls};
use super::super::translate::{Scope, Symbol, translate};
use super::super::xml::{Prepared, child, children};
use super::super::{Place, XmileError};
use super::{Builder, Decl, Kind, declare};
use crate::formats::sd_common::names::{Ids, canonical, label};
use crate::model::def::{Text, Variable, VariableKind};
use crate::model::error::Item;

/// The most copies a file may ask for (macros calling macros multiply).
const MAX_COPIES: usize = 10_000;

/// One call's copy of a macro.
pub(super) struct Copy<'a, 'i> {
    /// The macro's variables, renamed.
    pub decls: Vec<Decl<'a, 'i>>,
    /// Each parameter's auxiliary: id, name, and the call's argument
    /// (`None`: the parameter's default).
    pub parms: Vec<(String, String, Result<Expr, f64>)>,
    /// What the names in the copy's equations stand for.
    pub symbols: HashMap<String, Symbol>,
    /// The copy whose variable makes the call (`None`: a model variable).
    pub caller: Option<usize>,
    /// The calling variable's id.
    pub caller_id: String,
    /// The call's macro, for messages.
    pub macro_node: Node<'a, 'i>,
}

/// Every copy the model's `decls` (and the copies, in turn) call for, and
/// what names mean in each, by call.
pub(super) fn plan<'a, 'i>(
    p: &Prepared,
    root: Node<'a, 'i>,
    decls: &[Decl<'a, 'i>],
    macros: &Macros,
    ids: &mut Ids,
) -> Result<(Vec<Copy<'a, 'i>>, Copies), XmileError> {
    let nodes: HashMap<String, Node<'a, 'i>> = children(root)
        .filter(|c| c.tag_name().name() == "macro")
        .map(|c| (canonical(c.attribute("name").unwrap_or("")), c))
        .collect();
    let mut copies: Vec<Copy> = Vec::new();
    let mut map = Copies::new();
    // (entity, its id, its name, the copy it belongs to)
    let mut queue: Vec<(Node, String, String, Option<usize>)> = decls
        .iter()
        .filter(|d| d.kind != Kind::Gf)
        .map(|d| (d.node, d.id.clone(), d.name.clone(), None))
        .collect();
    let mut next = 0;
    while next < queue.len() {
        let (node, id, name, owner_copy) = queue[next].clone();
        next += 1;
        if child(node, "dimensions").is_some() {
            continue;
        }
        let Some(Ok(e)) = child(node, "eqn").map(|q| expr::parse(q.text().unwrap_or(""))) else {
            continue;
        };
        let mut calls = Vec::new();
        copied_calls(&e, macros, &mut calls);
        let mut made: HashMap<String, usize> = HashMap::new();
        for (key, start, args) in calls {
            let m = &macros[&key];
            let (required, all) = m.arities();
            if args.len() < required || args.len() > all {
                continue; // the translation reports it
            }
            if copies.len() == MAX_COPIES {
                return Err(XmileError::unsupported(
                    format!("more than {MAX_COPIES} copies of macros"),
                    p.node_pos(node),
                ));
            }
            let n = made.entry(key.clone()).or_insert(0);
            *n += 1;
            let prefix = match *n {
                1 => format!("{}.{}", label(&name), m.name),
                k => format!("{}.{} {k}", label(&name), m.name),
            };
            let macro_node = nodes[&key];
            let vars = child(macro_node, "variables").unwrap_or(macro_node);
            if let Some(m) = children(vars).find(|c| c.tag_name().name() == "module") {
                return Err(XmileError::unsupported(
                    "a module inside a macro is not supported",
                    p.node_pos(m),
                ));
            }
            let mut own = declare(p, vars, &mut Ids::default())?;
            let mut symbols = HashMap::new();
            for d in &mut own {
                let bare = canonical(&d.name);
                d.name = format!("{prefix}.{}", d.name);
                d.id = ids.assign(&canonical(&d.name));
                if d.table.is_some() {
                    d.table = Some(ids.assign(&format!("{} lookup", canonical(&d.name))));
                }
                let sym = match d.kind {
                    Kind::Gf => Symbol::Table(d.id.clone()),
                    _ => Symbol::Value(d.id.clone(), d.table.clone()),
                };
                symbols.insert(bare, sym);
            }
            let mut parms = Vec::new();
            for (i, (parm, default)) in m.parms.iter().enumerate() {
                let parm_name = format!("{prefix}.{parm}");
                let parm_id = ids.assign(&canonical(&parm_name));
                symbols.insert(parm.clone(), Symbol::Value(parm_id.clone(), None));
                let arg = args.get(i).cloned().ok_or(default.unwrap_or(0.0));
                parms.push((parm_id, parm_name, arg));
            }
            map.insert((id.clone(), start), symbols.clone());
            let index = copies.len();
            queue.extend(
                own.iter()
                    .filter(|d| d.kind != Kind::Gf)
                    .map(|d| (d.node, d.id.clone(), d.name.clone(), Some(index))),
            );
            copies.push(Copy {
                decls: own,
                parms,
                symbols,
                caller: owner_copy,
                caller_id: id.clone(),
                macro_node,
            });
        }
    }
    Ok((copies, map))
}

impl Builder<'_, '_> {
    /// Each copy's parameters, then its variables, built with the copy's
    /// names in scope.
    pub(super) fn add_copies(&mut self, copies: &[Copy]) -> Result<(), XmileError> {
        let model_symbols = self.symbols.clone();
        for c in copies {
            let caller = c.caller.map_or(&model_symbols, |k| &copies[k].symbols);
            for (id, name, arg) in &c.parms {
                let equation = match arg {
                    Ok(e) => {
                        let scope = Scope {
                            symbols: caller,
                            owner: &c.caller_id,
                            arrays: &self.arrays,
                            owner_dims: &[],
                            macros: &self.macros,
                            bound: None,
                            copies: &self.copies,
                        };
                        translate(e, &scope).map_err(|e| {
                            XmileError::invalid(
                                format!("in an argument of a macro: {}", e.message),
                                self.p.node_pos(c.macro_node),
                            )
                            .in_item(Item::Variable(c.caller_id.clone()))
                        })?
                    }
                    Err(default) => crate::formats::sd_common::out::number(*default),
                };
                self.places.insert(
                    id.clone(),
                    Place {
                        element: self.p.node_pos(c.macro_node),
                        eqn: None,
                    },
                );
                self.model.variables.push(Variable {
                    id: id.clone(),
                    label: Text::new(label(name), label(name)),
                    unit: Text::default(),
                    unit_expr: String::new(),
                    dimensions: Vec::new(),
                    by_element: Vec::new(),
                    kind: VariableKind::Aux { equation },
                    description: Text::default(),
                });
            }
            self.symbols = c.symbols.clone();
            for d in &c.decls {
                self.add(d)?;
            }
        }
        self.symbols = model_symbols;
        Ok(())
    }
}
