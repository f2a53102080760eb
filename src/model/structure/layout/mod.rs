//! The map's drawing: a layered (Sugiyama) layout of a [`Graph`], read
//! left to right as a stock-and-flow diagram. Cycles broken by turning
//! links round (feedback and delayed links first, `rank`), layers by
//! longest path (`rank`), the order in each layer by barycenter sweeps
//! (`order`), coordinates without overlapping boxes (`place`). Pinned
//! nodes keep their places. The same graph and pins give the same layout.

mod order;
mod place;
mod rank;

use super::graph::{Graph, Node, NodeKind};

/// Where one node is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// The centre of its box, in points; y grows downwards.
    pub center: [f32; 2],
    /// Width and height of its box.
    pub size: [f32; 2],
    /// Its column, counted from the left.
    pub layer: usize,
    /// Placed by the user, kept as given.
    pub pinned: bool,
}

impl Placed {
    /// Top-left and bottom-right corners.
    pub fn rect(&self) -> [[f32; 2]; 2] {
        let [x, y] = self.center;
        let [w, h] = self.size;
        [[x - w / 2.0, y - h / 2.0], [x + w / 2.0, y + h / 2.0]]
    }
}

/// The path one link is drawn along, from its cause's centre to its
/// effect's, through the places kept for it in the layers between (the
/// window clips the ends to the boxes).
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// The link's index in the graph.
    pub link: usize,
    pub points: Vec<[f32; 2]>,
    /// Runs right to left, against the layers: a link turned round to
    /// break a cycle (feedback), or an outflow (its stock is left of it).
    pub backwards: bool,
}

/// A drawing of the graph: one [`Placed`] per node (in the graph's order)
/// and one [`Route`] per link (in the graph's order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Placed>,
    pub routes: Vec<Route>,
}

/// The width of a character of labels, and the longest line.
const CHAR_W: f32 = 7.0;
const LINE_CHARS: usize = 24;
const LINE_H: f32 = 15.0;

/// A node's box: stocks the widest and tallest, flows with room for the
/// valve, the others a line of text; long labels wrap over up to three
/// lines. Sized by the longer of its labels, so a change of language
/// moves nothing.
pub fn node_size(node: &Node) -> [f32; 2] {
    let chars = [node.label.fr.chars().count(), node.label.en.chars().count()]
        .into_iter()
        .max()
        .filter(|&c| c > 0)
        .unwrap_or(node.id.chars().count());
    let lines = chars.div_ceil(LINE_CHARS).clamp(1, 3);
    let text_w = chars.min(LINE_CHARS) as f32 * CHAR_W;
    let extra_h = (lines - 1) as f32 * LINE_H;
    let (pad, min_w, h) = match node.kind {
        // Room for the name, the value and (but for levers) a sparkline.
        NodeKind::Stock => (32.0, 110.0, 54.0),
        NodeKind::Flow => (24.0, 80.0, 60.0),
        NodeKind::Aux | NodeKind::Data => (16.0, 56.0, 46.0),
        NodeKind::Lever => (16.0, 56.0, 36.0),
    };
    [(text_w + pad).max(min_w), h + extra_h]
}

/// The farthest a pinned centre may be from the origin, in points: beyond
/// it (or not finite) a place is ignored, as a hand-edited or hostile
/// file's would be.
pub const MAX_COORDINATE: f32 = 1.0e6;

/// Whether `at` is a place a node can be pinned at.
pub fn sane(at: [f32; 2]) -> bool {
    at.iter()
        .all(|c| c.is_finite() && c.abs() <= MAX_COORDINATE)
}

/// Lays `g` out. `pinned`: node ids and the centres they keep (ids not in
/// the graph, and places that are not [`sane`], are ignored).
pub fn layout(g: &Graph, pinned: &[(String, [f32; 2])]) -> Layout {
    let n = g.nodes.len();
    let size: Vec<[f32; 2]> = g.nodes.iter().map(node_size).collect();
    let mut pins = vec![None; n];
    for (id, at) in pinned.iter().filter(|(_, at)| sane(*at)) {
        if let Some(i) = g.index(id) {
            pins[i] = Some(*at);
        }
    }
    let edges = rank::acyclic(g);
    let layer = rank::layers(n, &edges);
    let mut grid = order::Grid::new(&layer, &edges);
    grid.reduce_crossings();
    let xy = place::coordinates(&grid, &size, &pins);
    let nodes = (0..n)
        .map(|v| Placed {
            center: xy[v],
            size: size[v],
            layer: layer[v],
            pinned: pins[v].is_some(),
        })
        .collect();
    Layout {
        nodes,
        routes: routes(g, &edges, &grid, &xy),
    }
}

/// Each link's route: its edge's chain of vertices, turned to run from
/// cause to effect; a link of a node to itself is its centre twice.
fn routes(g: &Graph, edges: &[rank::Edge], grid: &order::Grid, xy: &[[f32; 2]]) -> Vec<Route> {
    let mut routes: Vec<Route> = g
        .links
        .iter()
        .enumerate()
        .map(|(k, l)| Route {
            link: k,
            points: vec![xy[l.from], xy[l.to]],
            backwards: false,
        })
        .collect();
    for (e, chain) in edges.iter().zip(&grid.chains) {
        let mut points: Vec<[f32; 2]> = chain.iter().map(|&v| xy[v]).collect();
        if e.reversed {
            points.reverse();
        }
        routes[e.link].points = points;
        routes[e.link].backwards = e.reversed;
    }
    routes
}

impl Layout {
    /// Pairs of route segments that cross (segments meeting at a common
    /// end, as links at one node do, do not count). Quadratic in the
    /// segments: for tests and figures, not for every frame.
    pub fn crossings(&self) -> usize {
        let segments: Vec<[[f32; 2]; 2]> = self
            .routes
            .iter()
            .flat_map(|r| r.points.windows(2).map(|w| [w[0], w[1]]))
            .filter(|s| s[0] != s[1])
            .collect();
        let mut count = 0;
        for (i, a) in segments.iter().enumerate() {
            for b in &segments[i + 1..] {
                if cross(*a, *b) {
                    count += 1;
                }
            }
        }
        count
    }

    /// Pairs of nodes (indices, the smaller first) whose boxes overlap.
    pub fn overlaps(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (i, a) in self.nodes.iter().enumerate() {
            for (j, b) in self.nodes.iter().enumerate().skip(i + 1) {
                if place::boxes_meet(a.center, a.size, b.center, b.size, 0.0) {
                    out.push((i, j));
                }
            }
        }
        out
    }

    /// The top-left and bottom-right corners of all the boxes (all zero
    /// when there is none).
    pub fn bounds(&self) -> [[f32; 2]; 2] {
        if self.nodes.is_empty() {
            return [[0.0; 2]; 2];
        }
        let mut b = [[f32::INFINITY; 2], [f32::NEG_INFINITY; 2]];
        for n in &self.nodes {
            let [lo, hi] = n.rect();
            for k in 0..2 {
                b[0][k] = b[0][k].min(lo[k]);
                b[1][k] = b[1][k].max(hi[k]);
            }
        }
        b
    }
}

/// Whether two segments cross at a point inside both (not at an end).
fn cross([p, q]: [[f32; 2]; 2], [r, s]: [[f32; 2]; 2]) -> bool {
    if p == r || p == s || q == r || q == s {
        return false;
    }
    let side = |a: [f32; 2], b: [f32; 2], c: [f32; 2]| {
        let d = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
        if d > 0.0 {
            1
        } else if d < 0.0 {
            -1
        } else {
            0
        }
    };
    let (d1, d2) = (side(p, q, r), side(p, q, s));
    let (d3, d4) = (side(r, s, p), side(r, s, q));
    d1 * d2 < 0 && d3 * d4 < 0
}
