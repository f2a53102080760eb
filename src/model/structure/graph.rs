//! The model's causal structure as written: one node per lever and
//! variable (an arrayed variable is one node), one link per name an
//! equation reads. Lookup tables are not nodes: `effect(x)` is a link
//! from `x`, signed by the table's slope.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::polarity::{Polarity, TableShape, Timing, references};
use crate::model::def::{Model, Text, Variable, VariableKind};
use crate::model::expr::parse;

/// What a node of the map is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Lever,
    Stock,
    /// An auxiliary that is an inflow or an outflow of a stock.
    Flow,
    Aux,
    /// A time series given by points.
    Data,
}

/// One lever or variable of the model as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    pub label: Text,
    /// Over one or more dimensions: one node for all its elements.
    pub arrayed: bool,
}

impl Node {
    /// The label in `lang`, or the id where the model gives none.
    pub fn name(&self, lang: crate::model::Lang) -> &str {
        match self.label.get(lang) {
            "" => &self.id,
            label => label,
        }
    }
}

/// How a link's cause reaches its effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    /// Read by an equation (a stock's change equation too).
    Info,
    /// Read only for the starting value: a stock's initial value, the
    /// argument of `init`, the first value of `prev` or a smooth. No
    /// feedback loop goes through it.
    Initial,
    /// A flow into the stock: positive.
    Inflow,
    /// A flow out of the stock: negative.
    Outflow,
}

/// A causal link `from` → `to` (node indices).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub polarity: Polarity,
    pub kind: LinkKind,
    /// Read only through the past: inside `prev`, a smooth, a delay or a
    /// trend, or a flow integrated by its stock.
    pub delayed: bool,
}

/// The map of a model: its nodes (levers in model order, then variables in
/// model order) and links (sorted by effect, then cause).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

/// A link being gathered from every place its cause is read.
struct Gathered {
    polarity: Polarity,
    timing: Timing,
    kind: LinkKind,
}

impl Graph {
    /// The graph of `m`. Equations that do not parse add no links (the
    /// editor reports them); names that are not levers or variables
    /// (`time`, dimensions, elements) are not nodes.
    pub fn of(m: &Model) -> Graph {
        let nodes = nodes_of(m);
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let shapes = table_shapes(m);
        // `effect[crm](x)` calls table `effect`'s element: its shape is the
        // table's (every element's points agree, or it is unknown).
        let table = |name: &str| shapes.get(name.split('[').next().unwrap_or(name)).copied();
        let mut links = Links::new();
        for (k, v) in m.variables.iter().enumerate() {
            let to = m.levers.len() + k;
            let mut add = |from: &str, polarity, timing, kind| {
                if let Some(&from) = index.get(from) {
                    links.gather((from, to), polarity, timing, kind);
                }
            };
            for (text, start_only) in equations(v) {
                let Ok(tree) = parse(text) else { continue };
                for r in references(&tree, &table) {
                    let timing = if start_only { Timing::Start } else { r.timing };
                    add(r.name, r.polarity, timing, LinkKind::Info);
                }
            }
            for (f, kind) in flows(v) {
                let polarity = match kind {
                    LinkKind::Outflow => Polarity::Negative,
                    _ => Polarity::Positive,
                };
                add(f, polarity, Timing::Past, kind);
            }
        }
        Graph {
            nodes,
            links: links.finish(),
        }
    }

    /// The index of the node called `id`.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The link `from` → `to` that feedback runs through (not an
    /// initial-value link), by node indices.
    pub fn link(&self, from: usize, to: usize) -> Option<&Link> {
        self.links
            .iter()
            .find(|l| l.from == from && l.to == to && l.kind != LinkKind::Initial)
    }

    /// The links into node `to`.
    pub fn links_into(&self, to: usize) -> impl Iterator<Item = &Link> {
        self.links.iter().filter(move |l| l.to == to)
    }

    /// The links out of node `from`.
    pub fn links_from(&self, from: usize) -> impl Iterator<Item = &Link> {
        self.links.iter().filter(move |l| l.from == from)
    }
}

/// Levers, then variables, each with its kind.
fn nodes_of(m: &Model) -> Vec<Node> {
    let flows: HashSet<&str> = m
        .variables
        .iter()
        .flat_map(|v| match &v.kind {
            VariableKind::Stock {
                inflows, outflows, ..
            } => inflows.iter().chain(outflows).collect(),
            _ => Vec::new(),
        })
        .map(String::as_str)
        .collect();
    let levers = m.levers.iter().map(|l| Node {
        id: l.id.clone(),
        kind: NodeKind::Lever,
        label: l.label.clone(),
        arrayed: !l.dimensions.is_empty(),
    });
    let variables = m.variables.iter().map(|v| Node {
        id: v.id.clone(),
        kind: match v.kind {
            VariableKind::Stock { .. } => NodeKind::Stock,
            VariableKind::Aux { .. } if flows.contains(v.id.as_str()) => NodeKind::Flow,
            VariableKind::Aux { .. } => NodeKind::Aux,
            VariableKind::Data { .. } => NodeKind::Data,
        },
        label: v.label.clone(),
        arrayed: !v.dimensions.is_empty(),
    });
    levers.chain(variables).collect()
}

/// Every equation text of `v`, for all its elements, and whether it is
/// read only at the start (a stock's initial value).
fn equations(v: &Variable) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    match &v.kind {
        VariableKind::Stock {
            initial, change, ..
        } => {
            out.push((initial.as_str(), true));
            out.push((change.as_str(), false));
        }
        VariableKind::Aux { equation } => out.push((equation.as_str(), false)),
        VariableKind::Data { .. } => {}
    }
    for e in &v.by_element {
        out.extend([
            (e.equation.as_str(), false),
            (e.initial.as_str(), true),
            (e.change.as_str(), false),
        ]);
    }
    out.retain(|(text, _)| !text.trim().is_empty());
    out
}

/// The flows of a stock, each an inflow or an outflow.
fn flows(v: &Variable) -> Vec<(&str, LinkKind)> {
    let VariableKind::Stock {
        inflows, outflows, ..
    } = &v.kind
    else {
        return Vec::new();
    };
    let ins = inflows.iter().map(|f| (f.as_str(), LinkKind::Inflow));
    ins.chain(outflows.iter().map(|f| (f.as_str(), LinkKind::Outflow)))
        .collect()
}

/// Each lookup table's shape, by id.
fn table_shapes(m: &Model) -> HashMap<&str, TableShape> {
    m.lookups
        .iter()
        .map(|l| {
            let lists = std::iter::once(&l.points).chain(l.by_element.iter().map(|e| &e.points));
            (l.id.as_str(), TableShape::of(lists.map(Vec::as_slice)))
        })
        .collect()
}

/// The links being gathered, by effect, cause and whether read only at
/// the start (such readings gather apart, so an initial value never
/// makes a loop).
struct Links(BTreeMap<(usize, usize, bool), Gathered>);

impl Links {
    fn new() -> Self {
        Links(BTreeMap::new())
    }

    /// Adds one reading of `from` by `to`.
    fn gather(
        &mut self,
        (from, to): (usize, usize),
        polarity: Polarity,
        timing: Timing,
        kind: LinkKind,
    ) {
        let key = (to, from, timing == Timing::Start);
        match self.0.get_mut(&key) {
            Some(g) => {
                g.polarity = g.polarity.merge(polarity);
                g.timing = g.timing.min(timing);
                g.kind = g.kind.max(kind);
            }
            None => {
                self.0.insert(
                    key,
                    Gathered {
                        polarity,
                        timing,
                        kind,
                    },
                );
            }
        }
    }

    fn finish(self) -> Vec<Link> {
        self.0
            .into_iter()
            .map(|((to, from, _), g)| Link {
                from,
                to,
                polarity: g.polarity,
                kind: if g.timing == Timing::Start {
                    LinkKind::Initial
                } else {
                    g.kind
                },
                delayed: g.timing == Timing::Past,
            })
            .collect()
    }
}
