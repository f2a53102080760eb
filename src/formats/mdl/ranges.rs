//! Vensim's subscript ranges made into our dimensions. A range's members
//! may be other ranges (their elements taken in order); `a <-> b` gives
//! `a` the elements of `b`. Element names are global: every range is a
//! subrange of the one root that holds all its elements, the roots being
//! the ranges no other range strictly contains; of equal ranges the root
//! is the first by canonical name, never an equivalence (PySD's rule).

use std::collections::{HashMap, HashSet};

use super::records::Span;
use super::{Raw, canonical};
use crate::formats::sd_common::names::{Ids, label};
use crate::model::def::{Dimension, Element, Text};

/// A range as the file defines it.
pub struct RangeDef {
    pub name: String,
    pub at: usize,
    /// Its members (elements or ranges), or the range it is equal to.
    pub members: Vec<(String, Span)>,
    pub equiv: bool,
}

/// The model's ranges, read.
#[derive(Default)]
pub struct Ranges {
    pub dims: Vec<Dimension>,
    /// A range's canonical name → its dimension's index.
    pub by_name: HashMap<String, usize>,
    /// An element's canonical name → (its root's index, its place there).
    pub elements: HashMap<String, (usize, usize)>,
    /// Each dimension's elements, as places in its root.
    pub places: Vec<Vec<usize>>,
    /// Each dimension's root.
    pub roots: Vec<usize>,
}

/// What a subscript names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subscript {
    /// A range: its dimension's index.
    Range(usize),
    /// An element: its root's index and its place there.
    Element(usize, usize),
}

impl Ranges {
    pub fn read(defs: &[RangeDef], ids: &mut Ids) -> Result<Ranges, Raw> {
        let index: HashMap<String, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (canonical(&d.name), i))
            .collect();
        let mut sets = Vec::new();
        for d in defs {
            sets.push(flatten(d, defs, &index, &mut Vec::new())?);
        }
        let roots = roots(defs, &sets)?;
        let mut r = Ranges::default();
        let mut element_ids: HashMap<usize, Vec<String>> = HashMap::new();
        for (i, d) in defs.iter().enumerate() {
            r.by_name.insert(canonical(&d.name), i);
            let id = ids.assign(&canonical(&d.name));
            let root = roots[i];
            if root == i {
                let mut eids = Ids::default();
                element_ids.insert(i, sets[i].iter().map(|(e, _)| eids.assign(e)).collect());
                for (k, (e, _)) in sets[i].iter().enumerate() {
                    r.elements.insert(e.clone(), (i, k));
                }
            }
            let l = label(&d.name);
            r.dims.push(Dimension {
                id,
                label: Text::new(l.clone(), l),
                elements: Vec::new(),
                subrange_of: None,
            });
        }
        for (i, set) in sets.iter().enumerate() {
            let root = roots[i];
            let places: Vec<usize> = set.iter().map(|(e, _)| r.elements[e].1).collect();
            let eids = &element_ids[&root];
            r.dims[i].elements = places
                .iter()
                .map(|&k| {
                    let l = label(&sets[root][k].1);
                    Element {
                        id: eids[k].clone(),
                        label: Text::new(l.clone(), l),
                    }
                })
                .collect();
            if root != i {
                r.dims[i].subrange_of = Some(r.dims[root].id.clone());
            }
            r.places.push(places);
        }
        r.roots = roots;
        Ok(r)
    }

    /// What `name` names: a range or an element.
    pub fn subscript(&self, name: &str) -> Option<Subscript> {
        let key = canonical(name);
        if let Some(&d) = self.by_name.get(&key) {
            return Some(Subscript::Range(d));
        }
        let &(root, k) = self.elements.get(&key)?;
        Some(Subscript::Element(root, k))
    }

    /// The id of element `k` of root `root`.
    pub fn element_id(&self, root: usize, k: usize) -> &str {
        &self.dims[root].elements[k].id
    }
}

/// A range's elements (canonical name, name as written), its member
/// ranges flattened, each element once.
fn flatten(
    d: &RangeDef,
    defs: &[RangeDef],
    index: &HashMap<String, usize>,
    visiting: &mut Vec<String>,
) -> Result<Vec<(String, String)>, Raw> {
    let key = canonical(&d.name);
    if visiting.contains(&key) {
        return Err(Raw::invalid(
            d.at,
            format!("the range `{}` is defined through itself", label(&d.name)),
        ));
    }
    visiting.push(key);
    let mut out: Vec<(String, String)> = Vec::new();
    for (m, span) in &d.members {
        let c = canonical(m);
        let items = match index.get(&c) {
            Some(&j) => flatten(&defs[j], defs, index, visiting)?,
            None if d.equiv => {
                return Err(Raw::invalid(
                    span.0,
                    format!("`{}` is not a subscript range", label(m)),
                ));
            }
            None => vec![(c, m.clone())],
        };
        for it in items {
            if !out.iter().any(|(e, _)| *e == it.0) {
                out.push(it);
            }
        }
    }
    visiting.pop();
    Ok(out)
}

/// Each range's root: the range holding all its elements that no other
/// range strictly contains (of equal ones, the first by canonical name,
/// an equivalence last).
fn roots(defs: &[RangeDef], sets: &[Vec<(String, String)>]) -> Result<Vec<usize>, Raw> {
    let keys: Vec<HashSet<&str>> = sets
        .iter()
        .map(|s| s.iter().map(|(e, _)| e.as_str()).collect())
        .collect();
    let rank = |i: usize| (defs[i].equiv, canonical(&defs[i].name));
    let is_root = |i: usize| {
        !(0..defs.len()).any(|j| {
            j != i
                && keys[i].is_subset(&keys[j])
                && (keys[j].len() > keys[i].len() || rank(j) < rank(i))
        })
    };
    let candidates: Vec<usize> = (0..defs.len()).filter(|&i| is_root(i)).collect();
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let holders: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&r| k.is_subset(&keys[r]))
            .collect();
        match holders.as_slice() {
            [r] => out.push(*r),
            _ => {
                return Err(Raw::unsupported(
                    defs[i].at,
                    format!(
                        "the elements of `{}` are not all in one range that holds them all: \
                         ranges sharing elements without one containing the other are not \
                         supported",
                        label(&defs[i].name)
                    ),
                ));
            }
        }
    }
    for (a, ka) in candidates.iter().map(|&r| (r, &keys[r])) {
        for &b in &candidates {
            if a < b && !ka.is_disjoint(&keys[b]) {
                return Err(Raw::unsupported(
                    defs[b].at,
                    format!(
                        "`{}` and `{}` share elements, but neither holds the other: not \
                         supported",
                        label(&defs[a].name),
                        label(&defs[b].name)
                    ),
                ));
            }
        }
    }
    Ok(out)
}
