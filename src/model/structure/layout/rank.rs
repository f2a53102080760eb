//! The first two stages of the layered layout: the links turned into
//! edges without cycles, and each node's layer.

use std::collections::VecDeque;

use super::super::graph::{Graph, LinkKind, NodeKind};

/// An edge of the drawing, `from` left of `to`. `reversed`: it runs
/// against its link (an outflow drawn from its stock, or a link turned
/// round to break a cycle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Edge {
    pub from: usize,
    pub to: usize,
    pub link: usize,
    pub reversed: bool,
}

/// The graph's links (self-links left out) as edges without a cycle.
/// Stock-and-flow chains read left to right (inflow, stock, outflow);
/// links are kept in their direction in this order of preference, each
/// turned round only if it would close a cycle with those kept before:
/// flows, then instantaneous links from other than stocks, links from
/// stocks (the feedback of a diagram), delayed links, initial values.
pub(super) fn acyclic(g: &Graph) -> Vec<Edge> {
    let n = g.nodes.len();
    let mut candidates: Vec<(u8, Edge)> = g
        .links
        .iter()
        .enumerate()
        .filter(|(_, l)| l.from != l.to)
        .map(|(k, l)| {
            let class = match l.kind {
                LinkKind::Inflow | LinkKind::Outflow => 0,
                LinkKind::Info if l.delayed => 3,
                LinkKind::Info if g.nodes[l.from].kind == NodeKind::Stock => 2,
                LinkKind::Info => 1,
                LinkKind::Initial => 4,
            };
            let out = l.kind == LinkKind::Outflow;
            let (from, to) = if out { (l.to, l.from) } else { (l.from, l.to) };
            (
                class,
                Edge {
                    from,
                    to,
                    link: k,
                    reversed: out,
                },
            )
        })
        .collect();
    candidates.sort_by_key(|(class, e)| (*class, e.link));
    let mut reach = Reach::new(n);
    let mut out = Vec::with_capacity(candidates.len());
    for (_, mut e) in candidates {
        if reach.reaches(e.to, e.from) {
            (e.from, e.to, e.reversed) = (e.to, e.from, !e.reversed);
        }
        reach.add(e.from, e.to);
        out.push(e);
    }
    out
}

/// The edges kept so far, and a search of what a node reaches.
struct Reach {
    next: Vec<Vec<usize>>,
    seen: Vec<u32>,
    stamp: u32,
    todo: Vec<usize>,
}

impl Reach {
    fn new(n: usize) -> Self {
        Reach {
            next: vec![Vec::new(); n],
            seen: vec![0; n],
            stamp: 0,
            todo: Vec::new(),
        }
    }

    fn add(&mut self, from: usize, to: usize) {
        self.next[from].push(to);
    }

    /// Whether a path leads from `a` to `b`.
    fn reaches(&mut self, a: usize, b: usize) -> bool {
        self.stamp += 1;
        self.todo.clear();
        self.todo.push(a);
        self.seen[a] = self.stamp;
        while let Some(v) = self.todo.pop() {
            if v == b {
                return true;
            }
            for &w in &self.next[v] {
                if self.seen[w] != self.stamp {
                    self.seen[w] = self.stamp;
                    self.todo.push(w);
                }
            }
        }
        false
    }
}

/// Sweeps of [`shorten`].
const SHORTEN_PASSES: usize = 4;

/// Each node's layer: the longest path to it from a source, then edges
/// shortened ([`shorten`]).
pub(super) fn layers(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut next = vec![Vec::new(); n];
    let mut prev = vec![Vec::new(); n];
    for e in edges {
        next[e.from].push(e.to);
        prev[e.to].push(e.from);
    }
    let order = topological(&next, &prev);
    let mut layer = vec![0usize; n];
    for &v in &order {
        for &w in &next[v] {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    for pass in 0..SHORTEN_PASSES {
        let mut sweep = order.clone();
        if pass % 2 == 0 {
            sweep.reverse();
        }
        for v in sweep {
            layer[v] = shorten(layer[v], &prev[v], &next[v], &layer);
        }
    }
    let first = layer.iter().copied().min().unwrap_or(0);
    layer.iter_mut().for_each(|l| *l -= first);
    layer
}

/// The layer between its neighbours' that makes `v`'s edges shortest in
/// all: as late as it may be if more edges leave it than come in (a lever
/// beside what it moves), as early if fewer, where it is if as many.
fn shorten(at: usize, prev: &[usize], next: &[usize], layer: &[usize]) -> usize {
    let earliest = prev.iter().map(|&u| layer[u] + 1).max();
    let latest = next.iter().map(|&w| layer[w] - 1).min();
    match next.len().cmp(&prev.len()) {
        std::cmp::Ordering::Greater => latest.unwrap_or(at),
        std::cmp::Ordering::Less => earliest.unwrap_or(at),
        std::cmp::Ordering::Equal => at,
    }
}

/// The nodes in an order where every edge goes forward (Kahn's, the
/// ready nodes taken in index order).
fn topological(next: &[Vec<usize>], prev: &[Vec<usize>]) -> Vec<usize> {
    let mut indegree: Vec<usize> = prev.iter().map(Vec::len).collect();
    let mut queue: VecDeque<usize> = (0..next.len()).filter(|&v| indegree[v] == 0).collect();
    let mut order = Vec::with_capacity(next.len());
    while let Some(v) = queue.pop_front() {
        order.push(v);
        for &w in &next[v] {
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    order
}
