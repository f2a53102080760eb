//! The shape of a subscripted variable: the records that define it
//! (`x[a, sub] = …`, one per element or part), its dimensions (for each
//! place, the range all its records use there, else the range holding
//! exactly the elements they cover, its root first), each record's `at`,
//! and the check that every element has exactly one equation.
//!
//! The limits of our engine are checked before any element is built: at
//! most [`MAX_DIMENSIONS`] subscripts, at most [`MAX_ELEMENTS`] elements.

use std::collections::{HashMap, HashSet};

use super::Raw;
use super::parse::SubRef;
use super::ranges::Ranges;
use crate::formats::sd_common::names::label;
use crate::model::compile::arrays::{MAX_DIMENSIONS, MAX_ELEMENTS, MAX_FLAT_VARIABLES};
use crate::model::expr::line_col;

/// A subscripted variable's dimensions and where each record applies.
pub struct Shape {
    /// Its dimensions, as indices of the ranges.
    pub dims: Vec<usize>,
    /// Its number of elements.
    pub total: usize,
    /// The record that gives the variable's own equation: the one with
    /// `:EXCEPT:` when there is one (its elements are those no other
    /// record gives), else the first.
    pub base: usize,
    /// Each record's `at`s (one subscript per dimension): one, or one per
    /// element for a record with `:EXCEPT:` that is not the base.
    pub ats: Vec<Vec<String>>,
    /// Each record's elements, row-major in the record's own order: for
    /// each, its place in the root of each dimension.
    pub cells: Vec<Vec<Vec<usize>>>,
    /// Each record's number of elements at each of its places that is a
    /// range (its elements left out: Vensim's tables run over the ranges).
    pub sizes: Vec<Vec<usize>>,
    /// For each dimension, the rank in it of each place of its root.
    ranks: Vec<HashMap<usize, usize>>,
}

/// One place of one record: its root and the elements it covers there.
struct Slot<'r> {
    root: usize,
    range: Option<usize>,
    places: &'r [usize],
    text: String,
}

/// A record of a subscripted variable: its subscripts, the elements it
/// leaves out (`:EXCEPT:`), where its name is.
pub type Record<'e> = (&'e [SubRef], &'e [Vec<SubRef>], usize);

/// The number of elements of variable `name` defined by `records`,
/// none of them built.
pub fn elements(ranges: &Ranges, name: &str, records: &[Record]) -> Result<usize, Raw> {
    Ok(frame(ranges, name, records)?.2)
}

/// Each record's slots, the dimensions, the number of elements, checked
/// against the limits.
#[allow(clippy::type_complexity)]
fn frame<'r>(
    ranges: &'r Ranges,
    name: &str,
    records: &[Record],
) -> Result<(Vec<Vec<Slot<'r>>>, Vec<usize>, usize), Raw> {
    if let Some(r) = records.iter().find(|r| r.0.len() > MAX_DIMENSIONS) {
        return Err(Raw::invalid(
            r.2,
            format!(
                "`{}` has {} subscripts here: at most {MAX_DIMENSIONS} are allowed",
                label(name),
                r.0.len()
            ),
        ));
    }
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
    let total = dims
        .iter()
        .try_fold(1usize, |t, &d| t.checked_mul(ranges.places[d].len()))
        .filter(|&t| t <= MAX_ELEMENTS)
        .ok_or_else(|| {
            Raw::invalid(
                parts[0].1,
                format!(
                    "`{}` has more than {MAX_ELEMENTS} elements: the limit of a variable's \
                     elements",
                    label(name)
                ),
            )
        })?;
    Ok((slots, dims, total))
}

/// The shape of variable `name` defined by `records`.
pub fn shape(text: &str, ranges: &Ranges, name: &str, records: &[Record]) -> Result<Shape, Raw> {
    let (slots, dims, total) = frame(ranges, name, records)?;
    let parts: Vec<(&[SubRef], usize)> = records.iter().map(|r| (r.0, r.2)).collect();
    let parts = parts.as_slice();
    let ranks: Vec<HashMap<usize, usize>> = dims
        .iter()
        .map(|&d| {
            let places = &ranges.places[d];
            places.iter().enumerate().map(|(r, &k)| (k, r)).collect()
        })
        .collect();
    let excepts = records.iter().filter(|r| !r.1.is_empty()).count();
    let base = match excepts {
        1 => records.iter().position(|r| !r.1.is_empty()).unwrap_or(0),
        _ => 0,
    };
    let mut shape = Shape {
        dims,
        total,
        base,
        ats: Vec::new(),
        cells: Vec::new(),
        sizes: slots
            .iter()
            .map(|s| {
                s.iter()
                    .filter(|x| x.range.is_some())
                    .map(|x| x.places.len())
                    .collect()
            })
            .collect(),
        ranks,
    };
    shape.cover(text, ranges, name, parts, &slots, records)?;
    for (k, (s, r)) in slots.iter().zip(records).enumerate() {
        let at = if r.1.is_empty() || k == base {
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
    pub fn in_order(&self, k: usize) -> bool {
        let rank = |c: &[usize]| -> Vec<Option<usize>> {
            c.iter()
                .enumerate()
                .map(|(p, x)| self.ranks[p].get(x).copied())
                .collect()
        };
        self.cells[k].windows(2).all(|w| rank(&w[0]) < rank(&w[1]))
    }

    /// The `at` of one element (its place in the root of each dimension).
    pub fn at(&self, ranges: &Ranges, cell: &[usize]) -> String {
        cell.iter()
            .zip(&self.dims)
            .map(|(&k, &d)| ranges.element_id(ranges.roots[d], k))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Builds each record's elements, refusing an element given two
    /// equations (as soon as it is met, so that no more than the
    /// variable's elements and one record's are built) or none.
    fn cover(
        &mut self,
        text: &str,
        ranges: &Ranges,
        name: &str,
        parts: &[(&[SubRef], usize)],
        slots: &[Vec<Slot>],
        records: &[Record],
    ) -> Result<(), Raw> {
        let dims = &self.dims;
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
        let lens: Vec<usize> = dims.iter().map(|&d| ranges.places[d].len()).collect();
        let mut strides = vec![1usize; lens.len()];
        for p in (0..lens.len().saturating_sub(1)).rev() {
            strides[p] = strides[p + 1] * lens[p + 1];
        }
        let mut seen: Vec<Option<usize>> = vec![None; self.total];
        let mut filled = 0;
        for (i, (s, r)) in slots.iter().zip(records).enumerate() {
            let cells = excepting(ranges, name, s, r.1)?;
            for cell in &cells {
                let mut index = 0;
                for (p, k) in cell.iter().enumerate() {
                    let Some(&rank) = self.ranks[p].get(k) else {
                        return Err(Raw::invalid(
                            parts[i].1,
                            format!(
                                "`{}` is outside `{}`'s dimensions",
                                shown(cell),
                                label(name)
                            ),
                        ));
                    };
                    index += rank * strides[p];
                }
                if let Some(j) = seen[index] {
                    let (line, _) = line_col(text, parts[j].1);
                    return Err(Raw::invalid(
                        parts[i].1,
                        format!(
                            "`{}` is given an equation here and at line {line}",
                            shown(cell)
                        ),
                    ));
                }
                seen[index] = Some(i);
                filled += 1;
            }
            self.cells.push(cells);
        }
        if filled < self.total {
            let index = seen.iter().position(Option::is_none).unwrap_or(0);
            let cell: Vec<usize> = (0..lens.len())
                .map(|p| ranges.places[dims[p]][(index / strides[p]) % lens[p]])
                .collect();
            return Err(Raw::invalid(
                parts[0].1,
                format!("`{}` has no equation", shown(&cell)),
            ));
        }
        Ok(())
    }
}

fn slot<'r>(ranges: &'r Ranges, s: &SubRef) -> Result<Slot<'r>, Raw> {
    let key = super::canonical(&s.name);
    if let Some(&d) = ranges.by_name.get(&key) {
        return Ok(Slot {
            root: ranges.roots[d],
            range: Some(d),
            places: &ranges.places[d],
            text: ranges.dims[d].id.clone(),
        });
    }
    match ranges.elements.get(&key) {
        Some((root, k)) => Ok(Slot {
            root: *root,
            range: None,
            places: std::slice::from_ref(k),
            text: ranges.element_id(*root, *k).to_string(),
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
    if let Some(d) = one_range(slots, p) {
        return Ok(d);
    }
    let set = covered(slots, p);
    ranges.exact.get(&(root, set)).copied().ok_or_else(|| {
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

/// The range every record uses at place `p`, if they all use one.
fn one_range(slots: &[Vec<Slot>], p: usize) -> Option<usize> {
    let d = slots[0][p].range?;
    slots.iter().all(|s| s[p].range == Some(d)).then_some(d)
}

/// The places in their root of the elements the records cover at place
/// `p`, sorted.
fn covered(slots: &[Vec<Slot>], p: usize) -> Vec<usize> {
    // Each range once: a range used by many records is read once.
    let mut read: HashSet<usize> = HashSet::new();
    let mut set: Vec<usize> = Vec::new();
    for s in slots {
        match s[p].range {
            Some(d) if !read.insert(d) => {}
            _ => set.extend_from_slice(s[p].places),
        }
    }
    set.sort_unstable();
    set.dedup();
    set
}

/// The sets of elements (a root, places in it) the records of a
/// subscripted variable cover at a place where they use no one range and
/// no range holds exactly those: Vensim allows `x[a] = …` and `x[c] = …`
/// alone. Records whose shape is wrong give none (`shape` says why).
pub fn uncovered(ranges: &Ranges, records: &[Record]) -> Vec<(usize, Vec<usize>)> {
    if records.iter().any(|r| r.0.len() > MAX_DIMENSIONS) {
        return Vec::new();
    }
    let slots: Result<Vec<Vec<Slot>>, Raw> = records
        .iter()
        .map(|r| r.0.iter().map(|s| slot(ranges, s)).collect())
        .collect();
    let Ok(slots) = slots else {
        return Vec::new();
    };
    let n = slots.first().map_or(0, Vec::len);
    if slots.iter().any(|s| s.len() != n) {
        return Vec::new();
    }
    (0..n)
        .filter(|&p| slots.iter().all(|s| s[p].root == slots[0][p].root))
        .filter(|&p| one_range(&slots, p).is_none())
        .map(|p| (slots[0][p].root, covered(&slots, p)))
        .filter(|key| !ranges.exact.contains_key(key))
        .collect()
}

/// A record's elements (row-major) without those its `:EXCEPT:` lists
/// name; each of those lists gives one subscript per place, of the range
/// of the record's subscript there.
fn excepting(
    ranges: &Ranges,
    name: &str,
    slots: &[Slot],
    except: &[Vec<SubRef>],
) -> Result<Vec<Vec<usize>>, Raw> {
    if let Some(g) = except.iter().find(|g| g.len() != slots.len()) {
        return Err(Raw::invalid(
            g.first().map_or(0, |s| s.span.0),
            "an `:EXCEPT:` list needs one subscript per dimension",
        ));
    }
    let mut left_out: HashSet<Vec<usize>> = HashSet::new();
    let mut work = 0usize;
    for g in except {
        let mut group = Vec::new();
        for (s, mine) in g.iter().zip(slots) {
            let x = slot(ranges, s)?;
            if x.root != mine.root {
                return Err(Raw::invalid(
                    s.span.0,
                    format!(
                        "`:EXCEPT:` names `{}` where `{}` is subscripted by `{}`: it is not \
                         of that range",
                        label(&s.name),
                        label(name),
                        mine.text
                    ),
                ));
            }
            let here: HashSet<usize> = mine.places.iter().copied().collect();
            let places: Vec<usize> = x
                .places
                .iter()
                .copied()
                .filter(|k| here.contains(k))
                .collect();
            group.push(places);
        }
        let count = group.iter().map(Vec::len).product::<usize>();
        work = work.saturating_add(count);
        if work > MAX_FLAT_VARIABLES {
            return Err(Raw::invalid(
                g.first().map_or(0, |s| s.span.0),
                format!(
                    "the `:EXCEPT:` lists of `{}` name more than {MAX_FLAT_VARIABLES} \
                     elements in all (the limit)",
                    label(name)
                ),
            ));
        }
        left_out.extend(product(group.iter().map(Vec::as_slice)));
    }
    Ok(product(slots.iter().map(|s| s.places))
        .into_iter()
        .filter(|c| !left_out.contains(c))
        .collect())
}

/// Every element of places taken one from each, row-major.
fn product<'p>(places: impl Iterator<Item = &'p [usize]>) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for s in places {
        out = out
            .into_iter()
            .flat_map(|c| {
                s.iter().map(move |&k| {
                    let mut c = c.clone();
                    c.push(k);
                    c
                })
            })
            .collect();
    }
    out
}
