//! The third stage: each layer's vertices (nodes, and a dummy wherever an
//! edge passes through a layer) put in an order with few crossings, by
//! barycenter sweeps down and up, the best order seen kept.

use super::rank::Edge;

/// Sweeps, alternately down (by the vertices before) and up (after).
const SWEEPS: usize = 12;
/// Rounds of swapping neighbours after each sweep.
const TRANSPOSE_ROUNDS: usize = 4;

/// The layered graph: vertices `0..n_nodes` are the graph's nodes, the
/// others dummies on long edges.
pub(super) struct Grid {
    pub n_nodes: usize,
    pub layer_of: Vec<usize>,
    /// The vertices of each layer, in order.
    pub layers: Vec<Vec<usize>>,
    /// Each vertex's neighbours in the layer before, and after.
    pub before: Vec<Vec<usize>>,
    pub after: Vec<Vec<usize>>,
    /// For each edge, the vertices it passes through, `from` to `to`.
    pub chains: Vec<Vec<usize>>,
}

/// The most places kept for long links in the layers they cross.
const MAX_DUMMIES: usize = 50_000;

impl Grid {
    /// The grid of `edges` over nodes placed in `layer`, each layer in
    /// node order, then dummies in edge order.
    pub fn new(layer: &[usize], edges: &[Edge]) -> Grid {
        let n = layer.len();
        let mut grid = Grid {
            n_nodes: n,
            layer_of: layer.to_vec(),
            layers: Vec::new(),
            before: vec![Vec::new(); n],
            after: vec![Vec::new(); n],
            chains: Vec::with_capacity(edges.len()),
        };
        let mut budget = MAX_DUMMIES;
        for e in edges {
            let mut chain = vec![e.from];
            // Past the budget a long link is drawn straight across the
            // layers between: a long chain of links cannot make the grid
            // quadratic.
            let span = layer[e.to].saturating_sub(layer[e.from] + 1);
            if span <= budget {
                budget -= span;
                for l in layer[e.from] + 1..layer[e.to] {
                    chain.push(grid.vertex(l));
                }
            }
            chain.push(e.to);
            for w in chain.windows(2) {
                grid.after[w[0]].push(w[1]);
                grid.before[w[1]].push(w[0]);
            }
            grid.chains.push(chain);
        }
        let depth = grid.layer_of.iter().max().map_or(0, |m| m + 1);
        grid.layers = vec![Vec::new(); depth];
        for (v, &l) in grid.layer_of.iter().enumerate() {
            grid.layers[l].push(v);
        }
        grid
    }

    fn vertex(&mut self, layer: usize) -> usize {
        self.layer_of.push(layer);
        self.before.push(Vec::new());
        self.after.push(Vec::new());
        self.layer_of.len() - 1
    }

    pub fn is_dummy(&self, v: usize) -> bool {
        v >= self.n_nodes
    }

    /// Each vertex's place in its layer.
    pub fn positions(&self) -> Vec<usize> {
        let mut pos = vec![0; self.layer_of.len()];
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        pos
    }

    /// Orders the layers to reduce crossings: barycenter sweeps, the best
    /// order kept.
    pub fn reduce_crossings(&mut self) {
        let mut best = (self.crossings(), self.layers.clone());
        for sweep in 0..SWEEPS {
            self.sweep(sweep % 2 == 0);
            self.transpose();
            let c = self.crossings();
            if c < best.0 {
                best = (c, self.layers.clone());
            }
            if c == 0 {
                break;
            }
        }
        self.layers = best.1;
    }

    /// One sweep: each layer sorted by the mean place of its neighbours in
    /// the layer just done; a vertex without any keeps its place.
    fn sweep(&mut self, down: bool) {
        let mut pos = self.positions();
        let order: Vec<usize> = if down {
            (1..self.layers.len()).collect()
        } else {
            (0..self.layers.len().saturating_sub(1)).rev().collect()
        };
        for l in order {
            let side = if down { &self.before } else { &self.after };
            let mut keyed: Vec<(f32, usize, usize)> = self.layers[l]
                .iter()
                .enumerate()
                .map(|(i, &v)| (barycenter(&side[v], &pos).unwrap_or(i as f32), i, v))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            self.layers[l] = keyed.iter().map(|k| k.2).collect();
            for (i, &v) in self.layers[l].iter().enumerate() {
                pos[v] = i;
            }
        }
    }

    /// Swaps neighbours in a layer wherever that removes crossings, until
    /// no swap does (or a few rounds have gone).
    fn transpose(&mut self) {
        let mut pos = self.positions();
        for _ in 0..TRANSPOSE_ROUNDS {
            let mut better = false;
            for l in 0..self.layers.len() {
                for i in 1..self.layers[l].len() {
                    let (u, v) = (self.layers[l][i - 1], self.layers[l][i]);
                    if self.pair_crossings(v, u, &pos) < self.pair_crossings(u, v, &pos) {
                        self.layers[l].swap(i - 1, i);
                        (pos[u], pos[v]) = (i, i - 1);
                        better = true;
                    }
                }
            }
            if !better {
                break;
            }
        }
    }

    /// Crossings between the edges of `u` and of `v`, `u` left of `v`.
    fn pair_crossings(&self, u: usize, v: usize, pos: &[usize]) -> usize {
        let count = |a: &[usize], b: &[usize]| {
            a.iter()
                .map(|&x| b.iter().filter(|&&y| pos[y] < pos[x]).count())
                .sum::<usize>()
        };
        count(&self.before[u], &self.before[v]) + count(&self.after[u], &self.after[v])
    }

    /// Crossings between consecutive layers, as the order stands.
    pub fn crossings(&self) -> usize {
        let pos = self.positions();
        let mut total = 0;
        for layer in &self.layers {
            let mut pairs: Vec<(usize, usize)> = layer
                .iter()
                .flat_map(|&v| self.after[v].iter().map(move |&w| (v, w)))
                .map(|(v, w)| (pos[v], pos[w]))
                .collect();
            pairs.sort_unstable();
            total += inversions(pairs.iter().map(|p| p.1));
        }
        total
    }
}

fn barycenter(neighbours: &[usize], pos: &[usize]) -> Option<f32> {
    if neighbours.is_empty() {
        return None;
    }
    let sum: usize = neighbours.iter().map(|&u| pos[u]).sum();
    Some(sum as f32 / neighbours.len() as f32)
}

/// Pairs out of order in `xs` (a Fenwick tree over the values).
fn inversions(xs: impl Iterator<Item = usize> + Clone) -> usize {
    let size = xs.clone().max().map_or(0, |m| m + 1);
    let mut tree = vec![0usize; size + 1];
    let mut count = 0;
    for (seen, x) in xs.enumerate() {
        // Values already seen that are at most x.
        let (mut i, mut le) = (x + 1, 0);
        while i > 0 {
            le += tree[i];
            i &= i - 1;
        }
        count += seen - le;
        let mut i = x + 1;
        while i <= size {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_count_pairs_out_of_order() {
        assert_eq!(inversions([0, 1, 2].into_iter()), 0);
        assert_eq!(inversions([2, 1, 0].into_iter()), 3);
        assert_eq!(inversions([1, 1, 0].into_iter()), 2);
    }

    #[test]
    fn sweeps_untangle_a_crossed_pair() {
        // a→d, b→c with layer 1 ordered c, d: one crossing, then none.
        let edge = |from, to, link| Edge {
            from,
            to,
            link,
            reversed: false,
        };
        let mut grid = Grid::new(&[0, 0, 1, 1], &[edge(0, 3, 0), edge(1, 2, 1)]);
        assert_eq!(grid.crossings(), 1);
        grid.reduce_crossings();
        assert_eq!(grid.crossings(), 0);
    }
}
