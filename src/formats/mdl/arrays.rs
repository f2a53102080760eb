//! The shape of a subscripted variable: the records that define it
//! (`x[a, sub] = …`, one per element or part), its dimensions (for each
//! place, the range all its records use there, else the range holding
//! exactly the elements they cover, its root first), each record's `at`
//! (one per element for a record with `:EXCEPT:`), and the check that
//! every element has exactly one equation.

use std::collections::HashMap;

use super::Raw;
use super::parse::SubRef;
use super::ranges::{Ranges, Subscript};
use crate::formats::sd_common::names::label;
use crate::model::expr::line_col;

/// A subscripted variable's dimensions and where each record applies.
pub struct Shape {
    /// Its dimensions, as indices of the ranges.
    pub dims: Vec<usize>,
    /// Each record's `at`s (one subscript per dimension): one, or one per
    /// element for a record with `:EXCEPT:`.
    pub ats: Vec<Vec<String>>,
    /// Each record's elements, row-major in the record's own order: for
    /// each, its place in the root of each dimension.
    pub cells: Vec<Vec<Vec<usize>>>,
}

/// One place of one record: its root and the elements it covers there.
struct Slot {
    root: usize,
    range: Option<usize>,
    places: Vec<usize>,
    text: String,
}

/// A record of a subscripted variable: its subscripts, the elements it
/// leaves out (`:EXCEPT:`), where its name is.
pub type Record<'e> = (&'e [SubRef], &'e [Vec<SubRef>], usize);

/// The shape of variable `name` defined by `records`.
pub fn shape(text: &str, ranges: &Ranges, name: &str, records: &[Record]) -> Result<Shape, Raw> {
    let parts: Vec<(&[SubRef], usize)> = records.iter().map(|r| (r.0, r.2)).collect();
    let parts = parts.as_slice();
    let slots: Vec<Vec<Slot>> = parts
        .iter()
        .map(|(subs, _)| subs.iter().map(|s| slot(ranges, s)).collect())
        .collect::<Result<_, _>>()?;
    let n = slots[0].len();
    if let Some((k, _)) = slots.iter().enumerate().find(|(_, s)| s.len() != n) {
        return Err(Raw::invalid(
            parts[k].1,
            format!(
                "`{}` is given {} subscripts here and {n} in its first record",
                label(name),
                slots[k].len()
            ),
        ));
    }
    let mut dims = Vec::new();
    for p in 0..n {
        dims.push(dimension(ranges, name, parts, &slots, p)?);
    }
    let mut cells = Vec::new();
    for (s, r) in slots.iter().zip(records) {
        cells.push(excepting(ranges, product(s), r.1)?);
    }
    cover(text, ranges, name, parts, &dims, &cells)?;
    let mut shape = Shape {
        dims,
        ats: Vec::new(),
        cells,
    };
    for (k, (s, r)) in slots.iter().zip(records).enumerate() {
        let at = if r.1.is_empty() {
            let texts: Vec<&str> = s.iter().map(|x| x.text.as_str()).collect();
            vec![texts.join(",")]
        } else {
            shape.cells[k].iter().map(|c| shape.at(ranges, c)).collect()
        };
        shape.ats.push(at);
    }
    Ok(shape)
}

impl Shape {
    /// Whether record `k`'s elements come in the dimensions' order (so
    /// that a list of numbers fills them as our lists do).
    pub fn in_order(&self, ranges: &Ranges, k: usize) -> bool {
        let rank = |p: usize, place: usize| {
            let d = self.dims[p];
            ranges.places[d].iter().position(|&x| x == place)
        };
        let ranks: Vec<Vec<Option<usize>>> = self.cells[k]
            .iter()
            .map(|c| c.iter().enumerate().map(|(p, &x)| rank(p, x)).collect())
            .collect();
        ranks.windows(2).all(|w| w[0] < w[1])
    }

    /// The `at` of one element (its place in the root of each dimension).
    pub fn at(&self, ranges: &Ranges, cell: &[usize]) -> String {
        cell.iter()
            .zip(&self.dims)
            .map(|(&k, &d)| ranges.element_id(ranges.roots[d], k))
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn slot(ranges: &Ranges, s: &SubRef) -> Result<Slot, Raw> {
    match ranges.subscript(&s.name) {
        Some(Subscript::Range(d)) => Ok(Slot {
            root: ranges.roots[d],
            range: Some(d),
            places: ranges.places[d].clone(),
            text: ranges.dims[d].id.clone(),
        }),
        Some(Subscript::Element(root, k)) => Ok(Slot {
            root,
            range: None,
            places: vec![k],
            text: ranges.element_id(root, k).to_string(),
        }),
        None => Err(not_subscript(s)),
    }
}

/// The error for a subscript that names no range nor element.
pub fn not_subscript(s: &SubRef) -> Raw {
    Raw::invalid(
        s.span.0,
        format!(
            "`{}` is neither a subscript range nor an element of one",
            label(&s.name)
        ),
    )
}

/// The dimension of place `p`: the range every record uses there, else
/// the range holding exactly the elements the records cover.
fn dimension(
    ranges: &Ranges,
    name: &str,
    parts: &[(&[SubRef], usize)],
    slots: &[Vec<Slot>],
    p: usize,
) -> Result<usize, Raw> {
    let root = slots[0][p].root;
    if let Some(k) = slots.iter().position(|s| s[p].root != root) {
        return Err(Raw::invalid(
            parts[k].1,
            format!(
                "`{}` is subscripted by `{}` here and by `{}` elsewhere, which are not \
                 of one range",
                label(name),
                ranges.dims[slots[k][p].root].label.en,
                ranges.dims[root].label.en
            ),
        ));
    }
    if let Some(d) = slots[0][p].range
        && slots.iter().all(|s| s[p].range == Some(d))
    {
        return Ok(d);
    }
    let mut covered = vec![false; ranges.places[root].len()];
    for s in slots {
        for &k in &s[p].places {
            covered[k] = true;
        }
    }
    let set: Vec<usize> = (0..covered.len()).filter(|&k| covered[k]).collect();
    let exact = |d: &usize| {
        ranges.roots[*d] == root && {
            let mut mine = ranges.places[*d].clone();
            mine.sort_unstable();
            mine == set
        }
    };
    std::iter::once(root)
        .chain(0..ranges.dims.len())
        .find(exact)
        .ok_or_else(|| {
            Raw::unsupported(
                parts[0].1,
                format!(
                    "`{}` is defined for only some elements of `{}`, and no range holds \
                     exactly those: not supported",
                    label(name),
                    ranges.dims[root].label.en
                ),
            )
        })
}

/// A record's elements without those its `:EXCEPT:` lists name.
fn excepting(
    ranges: &Ranges,
    cells: Vec<Vec<usize>>,
    except: &[Vec<SubRef>],
) -> Result<Vec<Vec<usize>>, Raw> {
    let mut groups = Vec::new();
    for g in except {
        let slots: Vec<Slot> = g
            .iter()
            .map(|s| slot(ranges, s))
            .collect::<Result<_, _>>()?;
        groups.push(slots);
    }
    let left_out = |c: &[usize]| {
        groups
            .iter()
            .any(|g| g.len() == c.len() && g.iter().zip(c).all(|(s, k)| s.places.contains(k)))
    };
    if let Some(g) = except
        .iter()
        .find(|g| g.len() != cells.first().map_or(0, Vec::len))
    {
        return Err(Raw::invalid(
            g.first().map_or(0, |s| s.span.0),
            "an `:EXCEPT:` list needs one subscript per dimension",
        ));
    }
    Ok(cells.into_iter().filter(|c| !left_out(c)).collect())
}

/// Every element of a record, row-major.
fn product(slots: &[Slot]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for s in slots {
        out = out
            .into_iter()
            .flat_map(|c| {
                s.places.iter().map(move |&k| {
                    let mut c = c.clone();
                    c.push(k);
                    c
                })
            })
            .collect();
    }
    out
}

/// Refuses an element given two equations, or none.
fn cover(
    text: &str,
    ranges: &Ranges,
    name: &str,
    parts: &[(&[SubRef], usize)],
    dims: &[usize],
    cells: &[Vec<Vec<usize>>],
) -> Result<(), Raw> {
    let shown = |cell: &[usize]| {
        let els: Vec<String> = cell
            .iter()
            .zip(dims)
            .map(|(&k, &d)| {
                let root = ranges.roots[d];
                ranges.dims[root].elements[k].label.en.clone()
            })
            .collect();
        format!("{}[{}]", label(name), els.join(", "))
    };
    let mut seen: HashMap<&[usize], usize> = HashMap::new();
    for (i, part) in cells.iter().enumerate() {
        for cell in part {
            if let Some(j) = seen.insert(cell, i) {
                let (line, _) = line_col(text, parts[j].1);
                return Err(Raw::invalid(
                    parts[i].1,
                    format!(
                        "`{}` is given an equation here and at line {line}",
                        shown(cell)
                    ),
                ));
            }
        }
    }
    let total: usize = dims.iter().map(|&d| ranges.places[d].len()).product();
    if seen.len() < total {
        let all = product(
            &dims
                .iter()
                .map(|&d| Slot {
                    root: ranges.roots[d],
                    range: Some(d),
                    places: ranges.places[d].clone(),
                    text: String::new(),
                })
                .collect::<Vec<_>>(),
        );
        let missing = all.iter().find(|c| !seen.contains_key(c.as_slice()));
        let what = missing.map(|c| shown(c)).unwrap_or_default();
        return Err(Raw::invalid(
            parts[0].1,
            format!("`{what}` has no equation"),
        ));
    }
    Ok(())
}
