//! Evaluation order: the dependency graph of one program, its strongly
//! connected components (Tarjan), and each loop reported with the span of the
//! reference that closes it.

use std::collections::HashMap;

use super::codegen::{Compiled, Hidden, VarKind};
use crate::model::def::Model;
use crate::model::error::{ErrorKind, Item, ModelError};

/// How loops name the variables: the model's by id, a hidden one by its
/// call and owner (`init(x) in v`); errors go on the owner.
pub(super) struct Names<'a> {
    model: &'a Model,
    hidden: &'a [Hidden],
}

impl<'a> Names<'a> {
    pub(super) fn new(model: &'a Model, hidden: &'a [Hidden]) -> Names<'a> {
        Names { model, hidden }
    }

    fn name(&self, i: usize) -> String {
        let n = self.model.variables.len();
        match self.hidden.get(i.wrapping_sub(n)) {
            Some(h) if i >= n => format!("{} in {}", h.name, self.owner_id(i)),
            _ => self.model.variables[i].id.clone(),
        }
    }

    /// The model variable that variable `i` is, or belongs to.
    fn owner(&self, i: usize) -> usize {
        let n = self.model.variables.len();
        if i < n { i } else { self.hidden[i - n].owner }
    }

    fn owner_id(&self, i: usize) -> &str {
        &self.model.variables[self.owner(i)].id
    }
}

/// An evaluation order of the variables, and the loops that kept some out of it.
pub(super) struct Order {
    /// Every variable outside a loop, each after those it reads.
    pub vars: Vec<usize>,
    /// Each loop's variables, sorted.
    pub cycles: Vec<Vec<usize>>,
}

/// Evaluation order for one program, and its loops. A loop is reported once:
/// not again when it is in `already_reported` (found in the other program).
pub(super) fn order(
    m: &Names,
    code: &[Option<Compiled>],
    kinds: &[VarKind],
    stock_field: &str,
    errors: &mut Vec<ModelError>,
    already_reported: &[Vec<usize>],
) -> Order {
    let n = code.len();
    let adj: Vec<Vec<usize>> = code
        .iter()
        .map(|c| {
            c.as_ref()
                .map_or(Vec::new(), |c| c.deps.iter().map(|d| d.0).collect())
        })
        .collect();
    let mut order = Order {
        vars: Vec::with_capacity(n),
        cycles: Vec::new(),
    };
    for comp in tarjan(n, &adj) {
        let looped = comp.len() > 1 || adj[comp[0]].contains(&comp[0]);
        if !looped {
            order.vars.push(comp[0]);
            continue;
        }
        let mut sorted = comp;
        sorted.sort_unstable();
        if !already_reported.contains(&sorted) {
            // The loop is reported on its first variable in model order.
            let field = match kinds[m.owner(sorted[0])] {
                VarKind::Stock => stock_field,
                VarKind::Aux | VarKind::Data => "equation",
            };
            errors.push(cycle_error(m, code, &adj, &sorted, field));
        }
        order.cycles.push(sorted);
    }
    order
}

/// The error for one loop (`comp`, sorted), on `field` of its first variable
/// in model order: the path around the loop from that variable, the other variables caught in it, and the span of
/// the first reference along the path.
fn cycle_error(
    m: &Names,
    code: &[Option<Compiled>],
    adj: &[Vec<usize>],
    comp: &[usize],
    field: &str,
) -> ModelError {
    let path = cycle_path(comp[0], comp, adj);
    let names: Vec<String> = path.iter().map(|&i| m.name(i)).collect();
    let first = path[0];
    let next = path.get(1).copied().unwrap_or(first);
    let span = code[first]
        .as_ref()
        .and_then(|c| c.deps.iter().find(|d| d.0 == next).map(|d| d.1));
    let mut msg = format!("circular definition: {}", names.join(" -> "));
    let others: Vec<String> = comp
        .iter()
        .filter(|i| !path.contains(i))
        .map(|&i| m.name(i))
        .collect();
    if !others.is_empty() {
        msg.push_str(&format!(" (the loop also involves {})", others.join(", ")));
    }
    msg.push_str("; read one of them from the previous year with prev(...)");
    let mut e = ModelError::new(
        ErrorKind::Cycle,
        Item::Variable(m.owner_id(first).to_string()),
        field,
        msg,
    );
    e.span = span;
    e
}

/// A path `start -> ... -> start` inside one strongly connected component.
fn cycle_path(start: usize, comp: &[usize], adj: &[Vec<usize>]) -> Vec<usize> {
    // Breadth-first search back to `start`, staying inside the component.
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &adj[v] {
            if !comp.contains(&w) {
                continue;
            }
            if w == start {
                let mut path = vec![v];
                let mut x = v;
                while x != start {
                    x = parent[&x];
                    path.push(x);
                }
                path.reverse();
                path.push(start);
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
}

/// Strongly connected components, dependencies first. Iterative: no model,
/// however long its chains, can overflow the stack.
fn tarjan(n: usize, adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut sccs = Vec::new();
    let mut next = 0;
    let mut call: Vec<(usize, usize)> = Vec::new();
    for s in 0..n {
        if index[s] != UNSEEN {
            continue;
        }
        index[s] = next;
        low[s] = next;
        next += 1;
        stack.push(s);
        on_stack[s] = true;
        call.push((s, 0));
        while let Some(&(v, ei)) = call.last() {
            if ei < adj[v].len() {
                call.last_mut().expect("not empty").1 += 1;
                let w = adj[v][ei];
                if index[w] == UNSEEN {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    sccs.push(comp);
                }
            }
        }
    }
    sccs
}
