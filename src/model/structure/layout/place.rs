//! The last stage: coordinates. Layers are columns, left to right, as
//! wide as their widest node; within a column the vertices keep their
//! order, never closer than their half-heights and a gap, each as near
//! as that allows to the mean height of its neighbours (an isotonic
//! regression per column, sweeping down the layers, then up). Pinned
//! nodes stay where they are, and the others are moved down, out of
//! their way.

use super::order::Grid;

/// Between columns.
const GAP_X: f32 = 70.0;
/// Between boxes in a column.
const GAP_Y: f32 = 24.0;
/// The height a dummy (an edge passing through) takes, and its gap.
const DUMMY_H: f32 = 6.0;
const DUMMY_GAP: f32 = 6.0;
/// Sweeps of the heights.
const PASSES: usize = 8;

/// Centres of every vertex of `grid` (nodes then dummies): `size` gives
/// each node's, `pins` the fixed centres of some nodes.
pub(super) fn coordinates(
    grid: &Grid,
    size: &[[f32; 2]],
    pins: &[Option<[f32; 2]>],
) -> Vec<[f32; 2]> {
    let free = |v: &&usize| grid.is_dummy(**v) || pins[**v].is_none();
    let cols = Columns {
        grid,
        size,
        columns: grid
            .layers
            .iter()
            .map(|l| l.iter().filter(free).copied().collect())
            .collect(),
    };
    let mut xy = cols.stacked();
    for (v, pin) in pins.iter().enumerate() {
        if let Some(p) = pin {
            xy[v] = *p;
        }
    }
    for pass in 0..PASSES {
        cols.relax(pass % 2 == 0, &mut xy);
    }
    let pinned: Vec<usize> = (0..pins.len()).filter(|&v| pins[v].is_some()).collect();
    if pinned.is_empty() {
        cols.to_top(&mut xy);
    } else {
        for col in &cols.columns {
            cols.avoid(col, &pinned, &mut xy);
        }
    }
    xy
}

/// The vertices each column places (pinned nodes are placed already).
struct Columns<'g> {
    grid: &'g Grid,
    size: &'g [[f32; 2]],
    columns: Vec<Vec<usize>>,
}

impl Columns<'_> {
    fn height(&self, v: usize) -> f32 {
        if self.grid.is_dummy(v) {
            DUMMY_H
        } else {
            self.size[v][1]
        }
    }

    /// The least distance between the centres of `a` and `b` (`b` below).
    fn separation(&self, a: usize, b: usize) -> f32 {
        let dummy = self.grid.is_dummy(a) || self.grid.is_dummy(b);
        let gap = if dummy { DUMMY_GAP } else { GAP_Y };
        (self.height(a) + self.height(b)) / 2.0 + gap
    }

    /// Each column's vertices stacked from 0 down, as close as they go.
    fn stacked(&self) -> Vec<[f32; 2]> {
        let mut xy = vec![[0.0f32; 2]; self.grid.layer_of.len()];
        let centres = column_centres(self.grid, self.size);
        for (col, x) in self.columns.iter().zip(centres) {
            let mut y = 0.0;
            for (i, &v) in col.iter().enumerate() {
                if i > 0 {
                    y += self.separation(col[i - 1], v);
                }
                xy[v] = [x, y];
            }
        }
        xy
    }

    /// One sweep of the columns, left to right by the neighbours before
    /// (`down`) or back by those after, each vertex drawn to their mean.
    fn relax(&self, down: bool, xy: &mut [[f32; 2]]) {
        let n = self.columns.len();
        let order: Vec<usize> = if down {
            (0..n).collect()
        } else {
            (0..n).rev().collect()
        };
        let side = if down {
            &self.grid.before
        } else {
            &self.grid.after
        };
        for l in order {
            let col = &self.columns[l];
            let desired: Vec<f32> = col
                .iter()
                .map(|&v| mean_y(&side[v], xy).unwrap_or(xy[v][1]))
                .collect();
            let ys = regress(col, &desired, |a, b| self.separation(a, b));
            for (&v, y) in col.iter().zip(ys) {
                xy[v][1] = y;
            }
        }
    }

    /// Moves everything up so the highest box's top is at 0.
    fn to_top(&self, xy: &mut [[f32; 2]]) {
        let top = (0..xy.len())
            .map(|v| xy[v][1] - self.height(v) / 2.0)
            .fold(f32::INFINITY, f32::min);
        if top.is_finite() {
            xy.iter_mut().for_each(|p| p[1] -= top);
        }
    }

    /// Moves `col`'s nodes down, in order, until none overlaps a pinned node.
    fn avoid(&self, col: &[usize], pinned: &[usize], xy: &mut [[f32; 2]]) {
        let size = self.size;
        let margin = GAP_Y / 2.0;
        for (i, &v) in col.iter().enumerate() {
            if i > 0 {
                let floor = xy[col[i - 1]][1] + self.separation(col[i - 1], v);
                xy[v][1] = xy[v][1].max(floor);
            }
            if self.grid.is_dummy(v) {
                continue;
            }
            let meets =
                |p: usize, xy: &[[f32; 2]]| boxes_meet(xy[v], size[v], xy[p], size[p], margin);
            // Each pass moves below one more pinned box: at most one pass
            // each (a huge coordinate, where f32 steps are coarse, ends too).
            for _ in 0..=pinned.len() {
                let Some(&p) = pinned.iter().find(|&&p| meets(p, xy)) else {
                    break;
                };
                xy[v][1] = xy[p][1] + (size[p][1] + size[v][1]) / 2.0 + margin + 0.5;
            }
        }
    }
}

/// Each layer's centre x: columns as wide as their widest node.
fn column_centres(grid: &Grid, size: &[[f32; 2]]) -> Vec<f32> {
    let mut left = 0.0;
    grid.layers
        .iter()
        .map(|layer| {
            let w = layer
                .iter()
                .filter(|&&v| !grid.is_dummy(v))
                .map(|&v| size[v][0])
                .fold(0.0, f32::max);
            let centre = left + w / 2.0;
            left += w + GAP_X;
            centre
        })
        .collect()
}

fn mean_y(neighbours: &[usize], xy: &[[f32; 2]]) -> Option<f32> {
    if neighbours.is_empty() {
        return None;
    }
    Some(neighbours.iter().map(|&u| xy[u][1]).sum::<f32>() / neighbours.len() as f32)
}

/// Heights for `col`'s vertices, in order, each at least `sep` below the
/// one before, as near to `desired` as that allows (least squares: pool
/// adjacent violators on the heights less their least offsets).
fn regress(col: &[usize], desired: &[f32], sep: impl Fn(usize, usize) -> f32) -> Vec<f32> {
    let mut offset = Vec::with_capacity(col.len());
    let mut o = 0.0;
    for (i, &v) in col.iter().enumerate() {
        if i > 0 {
            o += sep(col[i - 1], v);
        }
        offset.push(o);
    }
    // Blocks of (sum, count) whose means rise.
    let mut blocks: Vec<(f32, usize)> = Vec::new();
    for (d, o) in desired.iter().zip(&offset) {
        blocks.push((d - o, 1));
        while blocks.len() > 1 {
            let (s1, c1) = blocks[blocks.len() - 1];
            let (s0, c0) = blocks[blocks.len() - 2];
            if s0 / c0 as f32 <= s1 / c1 as f32 {
                break;
            }
            blocks.pop();
            *blocks.last_mut().expect("two blocks") = (s0 + s1, c0 + c1);
        }
    }
    let z = blocks
        .iter()
        .flat_map(|&(s, c)| std::iter::repeat_n(s / c as f32, c));
    z.zip(&offset).map(|(z, o)| z + o).collect()
}

/// Whether two boxes (centre, size) come closer than `margin`.
pub(super) fn boxes_meet(
    a: [f32; 2],
    sa: [f32; 2],
    b: [f32; 2],
    sb: [f32; 2],
    margin: f32,
) -> bool {
    (a[0] - b[0]).abs() < (sa[0] + sb[0]) / 2.0 + margin
        && (a[1] - b[1]).abs() < (sa[1] + sb[1]) / 2.0 + margin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_keeps_order_and_separation() {
        let ys = regress(&[0, 1, 2], &[10.0, 0.0, 50.0], |_, _| 10.0);
        assert_eq!(ys, vec![0.0, 10.0, 50.0]);
        let ys = regress(&[0, 1], &[5.0, 5.0], |_, _| 10.0);
        assert_eq!(ys, vec![0.0, 10.0]);
    }
}
