//! The feedback loops of a [`Graph`]: every elementary circuit (Johnson's
//! algorithm within each strongly connected component, found by Tarjan's),
//! with its polarity and a default name. The search is bounded by a
//! number of loops and a count of steps, never by the clock, so the same
//! model gives the same list on any machine; a list cut short says so.

use super::graph::{Graph, LinkKind, NodeKind};
use super::polarity::Polarity;
use crate::model::Lang;

/// Whether a loop amplifies or counters a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LoopPolarity {
    /// An even number of negative links.
    Reinforcing,
    /// An odd number of negative links.
    Balancing,
    /// A link of unknown polarity.
    Undetermined,
}

impl LoopPolarity {
    /// The letter of its default names: R, B or U.
    pub fn letter(self) -> char {
        match self {
            LoopPolarity::Reinforcing => 'R',
            LoopPolarity::Balancing => 'B',
            LoopPolarity::Undetermined => 'U',
        }
    }
}

/// One feedback loop.
#[derive(Clone, Debug, PartialEq)]
pub struct Loop {
    /// Node indices in the loop's order, the first not repeated at the end;
    /// starting at its first stock (in model order), or its first node.
    pub nodes: Vec<usize>,
    /// Link indices: `links[i]` goes from `nodes[i]` to the next node.
    pub links: Vec<usize>,
    pub polarity: LoopPolarity,
    /// Whether some link of it is delayed (or a flow into a stock).
    pub delayed: bool,
    /// The default name: `R1: jobs › hires › jobs`.
    pub name: String,
    /// Stable across edits that keep the loop: its node ids from the
    /// smallest id, in the loop's order, joined by `>`. The app stores a
    /// user's name for the loop against it.
    pub key: String,
}

impl Loop {
    /// The loop said with the nodes' labels in `lang`: `R1: Jobs › Hires › Jobs`.
    pub fn describe(&self, g: &Graph, lang: Lang) -> String {
        let tag = self.name.split(':').next().unwrap_or_default();
        // French sets a non-breaking space before the colon.
        let colon = if lang == Lang::Fr { "\u{a0}:" } else { ":" };
        format!(
            "{tag}{colon} {}",
            path(&self.nodes, |i| g.nodes[i].name(lang))
        )
    }
}

/// The loops of a graph, shortest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loops {
    pub loops: Vec<Loop>,
    /// The search stopped at a limit: there are more loops than listed.
    pub partial: bool,
}

impl Loops {
    /// The loop of this key, if the graph still has it.
    pub fn by_key(&self, key: &str) -> Option<&Loop> {
        self.loops.iter().find(|l| l.key == key)
    }
}

/// Where the search stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_loops: usize,
    /// Links followed, in all.
    pub max_steps: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_loops: 5_000,
            max_steps: 5_000_000,
        }
    }
}

/// Every loop of `g`, within the default limits.
pub fn find_loops(g: &Graph) -> Loops {
    find_loops_with(g, Limits::default())
}

/// Every loop of `g`, within `limits`.
pub fn find_loops_with(g: &Graph, limits: Limits) -> Loops {
    let adj = adjacency(g);
    let comp = components(&adj);
    let mut search = Search::new(&adj, &comp, limits);
    for s in 0..adj.len() {
        if !search.from(s) {
            break;
        }
    }
    let mut circuits = search.found;
    circuits.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
    Loops {
        loops: name_all(g, circuits),
        partial: search.partial,
    }
}

/// For each node, the nodes it links to (by feedback links, not initial
/// values) and the link's index, by node.
fn adjacency(g: &Graph) -> Vec<Vec<(usize, usize)>> {
    let mut adj = vec![Vec::new(); g.nodes.len()];
    for (k, l) in g.links.iter().enumerate() {
        if l.kind != LinkKind::Initial {
            adj[l.from].push((l.to, k));
        }
    }
    for a in &mut adj {
        a.sort_unstable();
    }
    adj
}

/// Tarjan's strongly connected components, iterative: each node's
/// component number.
fn components(adj: &[Vec<(usize, usize)>]) -> Vec<usize> {
    const NONE: usize = usize::MAX;
    let n = adj.len();
    let (mut index, mut low, mut comp) = (vec![NONE; n], vec![0; n], vec![NONE; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next, mut ncomp) = (0, 0);
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = call.last_mut() {
            let (v, edge) = *top;
            if edge == 0 && index[v] == NONE {
                (index[v], low[v]) = (next, next);
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&(w, _)) = adj[v].get(edge) {
                top.1 += 1;
                if index[w] == NONE {
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

/// Johnson's circuit search, one start node at a time.
struct Search<'a> {
    adj: &'a [Vec<(usize, usize)>],
    comp: &'a [usize],
    /// The nodes of each component.
    members: Vec<Vec<usize>>,
    limits: Limits,
    steps: usize,
    blocked: Vec<bool>,
    blocked_by: Vec<Vec<usize>>,
    /// (nodes, links) of each circuit, from its smallest node.
    found: Vec<(Vec<usize>, Vec<usize>)>,
    partial: bool,
}

/// One node on the search's path: the next of its links to follow, and
/// whether a circuit was found through it.
struct Frame {
    node: usize,
    edge: usize,
    found: bool,
}

impl<'a> Search<'a> {
    fn new(adj: &'a [Vec<(usize, usize)>], comp: &'a [usize], limits: Limits) -> Self {
        let n = adj.len();
        let mut members = vec![Vec::new(); comp.iter().max().map_or(0, |m| m + 1)];
        for (v, &c) in comp.iter().enumerate() {
            members[c].push(v);
        }
        Search {
            adj,
            comp,
            members,
            limits,
            steps: 0,
            blocked: vec![false; n],
            blocked_by: vec![Vec::new(); n],
            found: Vec::new(),
            partial: false,
        }
    }

    /// Whether `w` is in the subgraph searched from `s`.
    fn allowed(&self, s: usize, w: usize) -> bool {
        w >= s && self.comp[w] == self.comp[s]
    }

    /// Every circuit through `s` and larger nodes; false once a limit is hit.
    fn from(&mut self, s: usize) -> bool {
        let members = &self.members[self.comp[s]];
        for &w in members.iter().filter(|&&w| w >= s) {
            self.blocked[w] = false;
            self.blocked_by[w].clear();
        }
        let mut path = vec![Frame {
            node: s,
            edge: 0,
            found: false,
        }];
        let mut links: Vec<usize> = Vec::new();
        self.blocked[s] = true;
        while let Some(top) = path.last_mut() {
            let v = top.node;
            let Some(&(w, link)) = self.adj[v].get(top.edge) else {
                self.leave(&mut path, &mut links, s);
                continue;
            };
            top.edge += 1;
            self.steps += 1;
            if self.steps > self.limits.max_steps {
                self.partial = true;
                return false;
            }
            if !self.allowed(s, w) {
                continue;
            }
            if w == s {
                top.found = true;
                // Storing a circuit costs its length: a few long loops
                // cannot fill the memory within the loop cap.
                self.steps += path.len();
                let nodes = path.iter().map(|f| f.node).collect();
                let mut ls = links.clone();
                ls.push(link);
                self.found.push((nodes, ls));
                if self.found.len() >= self.limits.max_loops {
                    self.partial = true;
                    return false;
                }
            } else if !self.blocked[w] {
                self.blocked[w] = true;
                links.push(link);
                path.push(Frame {
                    node: w,
                    edge: 0,
                    found: false,
                });
            }
        }
        true
    }

    /// Backs out of the path's last node once its links are done.
    fn leave(&mut self, path: &mut Vec<Frame>, links: &mut Vec<usize>, s: usize) {
        let Some(Frame { node: v, found, .. }) = path.pop() else {
            return;
        };
        if found {
            self.unblock(v);
        } else {
            for &(w, _) in &self.adj[v] {
                if self.allowed(s, w) && !self.blocked_by[w].contains(&v) {
                    self.blocked_by[w].push(v);
                }
            }
        }
        links.pop();
        if let Some(parent) = path.last_mut() {
            parent.found |= found;
        }
    }

    fn unblock(&mut self, u: usize) {
        let mut todo = vec![u];
        while let Some(v) = todo.pop() {
            self.blocked[v] = false;
            for w in std::mem::take(&mut self.blocked_by[v]) {
                if self.blocked[w] {
                    todo.push(w);
                }
            }
        }
    }
}

/// Each circuit made a loop, named in order: R1, R2... B1... U1...
fn name_all(g: &Graph, circuits: Vec<(Vec<usize>, Vec<usize>)>) -> Vec<Loop> {
    let mut counts = [0usize; 3];
    circuits
        .into_iter()
        .map(|(nodes, links)| {
            let polarity = polarity_of(g, &links);
            let count = &mut counts[polarity as usize];
            *count += 1;
            let (nodes, links) = from_first_stock(g, nodes, links);
            let ids = |i: usize| g.nodes[i].id.as_str();
            Loop {
                name: format!("{}{count}: {}", polarity.letter(), path(&nodes, ids)),
                key: key_of(g, &nodes),
                delayed: links.iter().any(|&k| g.links[k].delayed),
                nodes,
                links,
                polarity,
            }
        })
        .collect()
}

/// The product of the links' polarities.
fn polarity_of(g: &Graph, links: &[usize]) -> LoopPolarity {
    let p = links
        .iter()
        .map(|&k| g.links[k].polarity)
        .fold(Polarity::Positive, Polarity::times);
    match p {
        Polarity::Positive => LoopPolarity::Reinforcing,
        Polarity::Negative => LoopPolarity::Balancing,
        Polarity::Unknown => LoopPolarity::Undetermined,
    }
}

/// The circuit turned to start at its first stock, if it has one.
fn from_first_stock(
    g: &Graph,
    mut nodes: Vec<usize>,
    mut links: Vec<usize>,
) -> (Vec<usize>, Vec<usize>) {
    let first = nodes
        .iter()
        .enumerate()
        .filter(|&(_, &i)| g.nodes[i].kind == NodeKind::Stock)
        .min_by_key(|&(_, &i)| i)
        .map_or(0, |(k, _)| k);
    nodes.rotate_left(first);
    links.rotate_left(first);
    (nodes, links)
}

fn key_of(g: &Graph, nodes: &[usize]) -> String {
    let ids: Vec<&str> = nodes.iter().map(|&i| g.nodes[i].id.as_str()).collect();
    loop_key(&ids)
}

/// What separates the ids of a loop's key.
pub const KEY_SEPARATOR: char = '>';

/// The key of the loop through `ids` in order: from its smallest id,
/// joined by [`KEY_SEPARATOR`].
pub fn loop_key(ids: &[&str]) -> String {
    let mut ids = ids.to_vec();
    let first = (0..ids.len()).min_by_key(|&k| ids[k]).unwrap_or(0);
    ids.rotate_left(first);
    ids.join(&KEY_SEPARATOR.to_string())
}

/// `a › b › c › a`; a loop of more than five nodes is cut in the middle:
/// `a › b › c › … › a`.
fn path<'g>(nodes: &[usize], name: impl Fn(usize) -> &'g str) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<&str> = nodes.iter().take(SHOWN).map(|&i| name(i)).collect();
    if nodes.len() > SHOWN {
        parts.truncate(SHOWN - 2);
        parts.push("…");
    }
    parts.extend(nodes.first().map(|&i| name(i)));
    parts.join(" › ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::structure::graph::{Link, Node};

    /// A graph of `n` auxiliaries and the given positive links.
    fn graph(n: usize, links: &[(usize, usize)]) -> Graph {
        let node = |i: usize| Node {
            id: format!("v{i}"),
            kind: NodeKind::Aux,
            label: Default::default(),
            arrayed: false,
        };
        let link = |&(from, to): &(usize, usize)| Link {
            from,
            to,
            polarity: Polarity::Positive,
            kind: LinkKind::Info,
            delayed: false,
        };
        Graph {
            nodes: (0..n).map(node).collect(),
            links: links.iter().map(link).collect(),
        }
    }

    /// Elementary circuits counted the slow way: from each node, every
    /// simple path through larger nodes back to it.
    fn brute_force(n: usize, links: &[(usize, usize)]) -> usize {
        fn walk(v: usize, s: usize, on: &mut Vec<bool>, links: &[(usize, usize)]) -> usize {
            let mut count = 0;
            for &(_, b) in links.iter().filter(|l| l.0 == v) {
                if b == s {
                    count += 1;
                } else if b > s && !on[b] {
                    on[b] = true;
                    count += walk(b, s, on, links);
                    on[b] = false;
                }
            }
            count
        }
        (0..n)
            .map(|s| {
                let mut on = vec![false; n];
                on[s] = true;
                walk(s, s, &mut on, links)
            })
            .sum()
    }

    #[test]
    fn johnson_finds_every_elementary_circuit_of_random_graphs() {
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for round in 0..200 {
            let n = 2 + round % 7;
            let mut links: Vec<(usize, usize)> = Vec::new();
            for a in 0..n {
                for b in 0..n {
                    if next() % 3 == 0 {
                        links.push((a, b));
                    }
                }
            }
            let loops = find_loops(&graph(n, &links));
            assert_eq!(loops.loops.len(), brute_force(n, &links), "{links:?}");
            let mut keys: Vec<&str> = loops.loops.iter().map(|l| l.key.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), loops.loops.len(), "keys are unique: {links:?}");
        }
    }

    #[test]
    fn names_number_each_polarity_and_cut_long_loops() {
        let ring: Vec<(usize, usize)> = (0..7).map(|i| (i, (i + 1) % 7)).collect();
        let mut links = ring.clone();
        links.push((0, 0));
        let loops = find_loops(&graph(7, &links));
        let names: Vec<&str> = loops.loops.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["R1: v0 › v0", "R2: v0 › v1 › v2 › … › v0"]);
        assert_eq!(loops.loops[1].key, "v0>v1>v2>v3>v4>v5>v6");
    }
}
