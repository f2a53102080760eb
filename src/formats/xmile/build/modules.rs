//! XMILE's modules (XMILE 1.0 3.7.4 and 4.7, as we read them): a file's
//! `<model>`s other than the root are submodels, and a
//! `<module name="Instance">` in a model's `<variables>` instantiates one.
//! The rule we follow for which: the module's `model` attribute when it
//! has one (a tool's extension), else its `name`, which is both the
//! instance's name and the model's (the standard's own rule, which ties
//! one instance to each model name). Each instance is flattened into our
//! one flat model, as the macros' copies are (`copies.rs`): its variables
//! named `Instance.var` (nested: `outer.inner.var`), each instance its
//! own stocks.
//!
//! `<connect to="inner" from="outer"/>` binds the instance's variable
//! `inner` (also written `Instance.inner`) to the parent's quantity
//! `outer` (an entity of the model holding the module, or another
//! module's `Other.var`; a leading dot, `.outer`, names the root model's,
//! as XMILE's absolute names do): the parent's expression becomes the
//! inner variable's equation, its own `<eqn>` the default used when it is
//! not connected. The parent reads an instance's variable as
//! `Instance.var` (`"An instance".var`). `access="input"`/`"output"` is
//! not enforced: any variable may be connected or read.
//!
//! Refused at their line and column: a module of a model the file does
//! not define (or kept in another file, `resource`), models that contain
//! themselves, two models or instances of one name, an instance named as
//! an entity, a connection to a variable the submodel lacks, to a stock,
//! a graphical function or an arrayed variable, and arrayed modules.

use std::collections::HashMap;

use roxmltree::Node;

use super::super::translate::{Scope, Symbol, translate};
use super::super::xml::{Prepared, child, children};
use super::super::{Pos, XmileError, expr};
use super::{Builder, Decl, Kind, declare};
use crate::formats::sd_common::names::{Ids, canonical, label};
use crate::model::error::Item;

/// The file's models: the root (the one without a name, else the first)
/// and the others by canonical name.
pub(super) struct Models<'a, 'i> {
    pub root: Node<'a, 'i>,
    pub named: HashMap<String, Node<'a, 'i>>,
}

/// Sorts the file's `<model>`s.
pub(super) fn models<'a, 'i>(
    p: &Prepared,
    root: Node<'a, 'i>,
) -> Result<Models<'a, 'i>, XmileError> {
    let all: Vec<Node> = children(root)
        .filter(|c| c.tag_name().name() == "model")
        .collect();
    let Some(first) = all.first() else {
        return Err(XmileError::invalid(
            "the file has no <model>",
            p.node_pos(root),
        ));
    };
    let unnamed: Vec<&Node> = all
        .iter()
        .filter(|m| canonical(m.attribute("name").unwrap_or("")).is_empty())
        .collect();
    if let [_, second, ..] = unnamed.as_slice() {
        return Err(XmileError::invalid(
            "two <model>s have no name: only the root model may have none",
            p.node_pos(**second),
        ));
    }
    let main = unnamed.first().map_or(*first, |m| **m);
    let mut named = HashMap::new();
    for m in all.iter().filter(|m| **m != main) {
        let key = canonical(m.attribute("name").unwrap_or(""));
        if named.insert(key, *m).is_some() {
            return Err(XmileError::invalid(
                "two models have this name",
                p.node_pos(*m),
            ));
        }
    }
    Ok(Models { root: main, named })
}

/// One instance of a submodel.
pub(super) struct Instance<'a, 'i> {
    /// The submodel's entities, renamed `Instance.name`.
    pub decls: Vec<Decl<'a, 'i>>,
    /// What names mean inside: its own entities by their bare names, its
    /// modules' as `Inner.name`.
    pub symbols: HashMap<String, Symbol>,
    /// The instance holding this one (`None`: the root model).
    pub parent: Option<usize>,
    /// Each connection: the inner variable's id and name, the
    /// `<connect>`, and its `from`.
    pub connects: Vec<(String, String, Node<'a, 'i>, String)>,
}

/// The most instances a file may ask for (nested modules multiply).
const MAX_INSTANCES: usize = 10_000;

struct Planner<'p, 'a, 'i> {
    p: &'p Prepared<'p>,
    models: &'p Models<'a, 'i>,
    ids: &'p mut Ids,
    instances: Vec<Instance<'a, 'i>>,
    /// The models being instantiated, outermost first, against recursion.
    stack: Vec<String>,
}

/// Every instance the root model's `<variables>` (and the instances', in
/// turn) ask for, and the root's names of their variables
/// (`Instance.var`), which `symbols` gains.
pub(super) fn plan<'a, 'i>(
    p: &Prepared,
    models: &Models<'a, 'i>,
    root_decls: &[Decl],
    ids: &mut Ids,
) -> Result<(Vec<Instance<'a, 'i>>, HashMap<String, Symbol>), XmileError> {
    let mut planner = Planner {
        p,
        models,
        ids,
        instances: Vec::new(),
        stack: Vec::new(),
    };
    let container = child(models.root, "variables").unwrap_or(models.root);
    let qualified = planner.walk(container, None, None, root_decls)?;
    Ok((planner.instances, qualified))
}

impl<'a, 'i> Planner<'_, 'a, 'i> {
    /// The modules of `container` (the model of the instance `parent`,
    /// named `prefix`, whose entities are `own`), each instantiated; the
    /// names their variables take in `container`.
    fn walk(
        &mut self,
        container: Node<'a, 'i>,
        prefix: Option<&str>,
        parent: Option<usize>,
        own: &[Decl],
    ) -> Result<HashMap<String, Symbol>, XmileError> {
        let mut qualified = HashMap::new();
        let mut seen: HashMap<String, Pos> = HashMap::new();
        for module in children(container).filter(|c| c.tag_name().name() == "module") {
            let p = self.p;
            let name = module.attribute("name").unwrap_or("").trim();
            let key = canonical(name);
            if key.is_empty() {
                return Err(XmileError::invalid(
                    "this <module> has no name",
                    p.node_pos(module),
                ));
            }
            if own.iter().any(|d| canonical(&d.name) == key) || seen.contains_key(&key) {
                return Err(XmileError::invalid(
                    format!(
                        "the module `{}` has the name of another entity",
                        label(name)
                    ),
                    p.node_pos(module),
                ));
            }
            seen.insert(key.clone(), p.node_pos(module));
            let full = match prefix {
                Some(outer) => format!("{outer}.{}", label(name)),
                None => label(name),
            };
            let index = self.instance(module, &full, parent)?;
            for (k, sym) in &self.instances[index].symbols {
                qualified.insert(format!("{key}.{k}"), sym.clone());
            }
        }
        Ok(qualified)
    }

    /// The model `module` instantiates, checked.
    fn model_of(&self, module: Node<'a, 'i>) -> Result<(String, Node<'a, 'i>), XmileError> {
        let p = self.p;
        for c in children(module) {
            match c.tag_name().name() {
                "connect" | "doc" | "display" => {}
                "dimensions" => {
                    return Err(XmileError::unsupported(
                        "arrayed modules are not supported yet",
                        p.node_pos(c),
                    ));
                }
                tag => {
                    return Err(XmileError::unsupported(
                        format!("the element <{tag}> in a module is not supported"),
                        p.node_pos(c),
                    ));
                }
            }
        }
        if module.attribute("resource").is_some() {
            return Err(XmileError::unsupported(
                "a module of a model in another file (`resource`) is not supported",
                p.node_pos(module),
            ));
        }
        let model = module
            .attribute("model")
            .or(module.attribute("name"))
            .unwrap_or("");
        let key = canonical(model);
        let Some(node) = self.models.named.get(&key) else {
            return Err(XmileError::invalid(
                format!(
                    "this module instantiates the model `{}`, which the file does not define",
                    label(model)
                ),
                p.node_pos(module),
            ));
        };
        if let Some(at) = self.stack.iter().position(|k| *k == key) {
            let through = self.stack[at..].join("` > `");
            return Err(XmileError::invalid(
                format!(
                    "the model `{}` contains itself (`{through}` > `{key}`): a model cannot \
                     be its own module",
                    label(model)
                ),
                p.node_pos(module),
            ));
        }
        Ok((key, *node))
    }

    /// One instance of `module`'s model, named `full`, with its modules
    /// in turn: its index.
    fn instance(
        &mut self,
        module: Node<'a, 'i>,
        full: &str,
        parent: Option<usize>,
    ) -> Result<usize, XmileError> {
        let p = self.p;
        let (key, model) = self.model_of(module)?;
        if self.instances.len() == MAX_INSTANCES {
            return Err(XmileError::unsupported(
                format!("more than {MAX_INSTANCES} instances of modules"),
                p.node_pos(module),
            ));
        }
        let vars = child(model, "variables").unwrap_or(model);
        let mut decls = declare(p, vars, &mut Ids::default())?;
        let wired = connections(p, module, &mut decls)?;
        let mut symbols = HashMap::new();
        let mut bare_ids = HashMap::new();
        for d in &mut decls {
            let bare = canonical(&d.name);
            d.name = format!("{full}.{}", d.name);
            d.id = self.ids.assign(&canonical(&d.name));
            if d.table.is_some() {
                d.table = Some(self.ids.assign(&format!("{} lookup", canonical(&d.name))));
            }
            let sym = match d.kind {
                Kind::Gf => Symbol::Table(d.id.clone()),
                _ => Symbol::Value(d.id.clone(), d.table.clone()),
            };
            symbols.insert(bare.clone(), sym);
            bare_ids.insert(bare, d.id.clone());
        }
        let connects = wired
            .into_iter()
            .map(|(k, node, from)| (decls[k].id.clone(), decls[k].name.clone(), node, from))
            .collect();
        let index = self.instances.len();
        self.instances.push(Instance {
            decls: Vec::new(),
            symbols: HashMap::new(),
            parent,
            connects,
        });
        self.stack.push(key);
        let inner = self.walk(vars, Some(full), Some(index), &decls)?;
        self.stack.pop();
        symbols.extend(inner);
        let i = &mut self.instances[index];
        i.decls = decls;
        i.symbols = symbols;
        Ok(index)
    }
}

/// `module`'s `<connect>`s, each to one of the instance's `decls` (not yet
/// renamed; made a variable, its default dropped): the inner entity's
/// index, the `<connect>` and its `from`.
fn connections<'a, 'i>(
    p: &Prepared,
    module: Node<'a, 'i>,
    decls: &mut [Decl],
) -> Result<Vec<(usize, Node<'a, 'i>, String)>, XmileError> {
    let instance = canonical(module.attribute("name").unwrap_or(""));
    let mut out: Vec<(usize, Node, String)> = Vec::new();
    for c in children(module).filter(|c| c.tag_name().name() == "connect") {
        let (Some(to), Some(from)) = (c.attribute("to"), c.attribute("from")) else {
            return Err(XmileError::invalid(
                "a <connect> needs `to` and `from`",
                p.node_pos(c),
            ));
        };
        // `to` is the instance's entity, maybe qualified by the
        // instance's name (`Instance.inner`).
        let to_key = canonical(to.trim().trim_start_matches('.'));
        let find = |key: &str| decls.iter().position(|d| canonical(&d.name) == key);
        let found =
            find(&to_key).or_else(|| to_key.strip_prefix(&format!("{instance}.")).and_then(find));
        let Some(k) = found else {
            return Err(XmileError::invalid(
                format!(
                    "the module's model has no variable `{}` to connect",
                    label(to)
                ),
                p.node_pos(c),
            ));
        };
        let d = &mut decls[k];
        let refuse = match d.kind {
            Kind::Stock => Some("a connection to a stock is not supported"),
            Kind::Gf => Some("a connection to a graphical function is not supported"),
            _ if child(d.node, "dimensions").is_some() => {
                Some("a connection to an arrayed variable is not supported yet")
            }
            _ => None,
        };
        if let Some(what) = refuse {
            return Err(XmileError::unsupported(what, p.node_pos(c)));
        }
        if out.iter().any(|(j, ..)| *j == k) {
            return Err(XmileError::invalid(
                format!("`{}` is connected twice", label(to)),
                p.node_pos(c),
            ));
        }
        d.constant = None;
        d.table = None;
        out.push((k, c, from.to_string()));
    }
    Ok(out)
}

impl Builder<'_, '_> {
    /// Each instance's connections translated in its parent's names (the
    /// root's for a `from` with a leading dot), then its entities built
    /// with its own names in scope.
    pub(super) fn add_modules(&mut self, instances: &[Instance]) -> Result<(), XmileError> {
        let root_symbols = self.symbols.clone();
        for i in instances {
            let parent = i.parent.map_or(&root_symbols, |k| &instances[k].symbols);
            for (id, name, node, from) in &i.connects {
                let (symbols, text) = match from.trim().strip_prefix('.') {
                    Some(absolute) => (&root_symbols, absolute),
                    None => (parent, from.trim()),
                };
                let scope = Scope {
                    symbols,
                    owner: id,
                    arrays: &self.arrays,
                    owner_dims: &[],
                    macros: &self.macros,
                    bound: None,
                    copies: &self.copies,
                };
                let equation = expr::parse(text)
                    .and_then(|e| translate(&e, &scope))
                    .map_err(|e| {
                        XmileError::invalid(
                            format!("in the connection to `{}`: {}", label(name), e.message),
                            self.p.node_pos(*node),
                        )
                        .in_item(Item::Variable(id.clone()))
                    })?;
                self.connected.insert(id.clone(), equation);
            }
        }
        for i in instances {
            self.symbols = i.symbols.clone();
            for d in &i.decls {
                self.add(d)?;
            }
        }
        self.symbols = root_symbols;
        Ok(())
    }
}
