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
use crate::model::compile::arrays::MAX_FLAT_VARIABLES;
use crate::model::def::{Dimension, Element, Text};

/// A range as the file defines it.
pub struct RangeDef {
    pub name: String,
    pub at: usize,
    /// Its members (elements or ranges), or the range it is equal to.
    pub members: Vec<(String, Span)>,
    pub equiv: bool,
    /// The ranges it maps onto (`-> b`).
    pub maps: Vec<(String, Span)>,
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
    /// A root and places in it, sorted → the range holding exactly those
    /// (the root itself first, else the first written).
    pub exact: HashMap<(usize, Vec<usize>), usize>,
    /// Each range's mappings: the ranges (as many elements) it maps onto.
    pub maps: Vec<Vec<usize>>,
    /// Each root's elements' canonical names (empty for other ranges).
    keys: Vec<Vec<String>>,
}

/// What a subscript names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subscript {
    /// A range: its dimension's index.
    Range(usize),
    /// An element: its root's index and its place there.
    Element(usize, usize),
}

#[cfg(test)]
impl Ranges {
    /// The ranges of the range records `defs` (`"seg: a, b"`), read as a
    /// model's: for the tests of what reads them.
    pub(crate) fn of_records(defs: &[&str]) -> Ranges {
        use super::parse::{Rhs, equation};
        let defs: Vec<RangeDef> = defs
            .iter()
            .map(|s| {
                let q = equation(s, (0, s.len()), &mut 1_000_000).unwrap();
                let Rhs::Range(members, maps) = q.rhs else {
                    panic!("{s} is not a range");
                };
                RangeDef {
                    name: q.name,
                    at: 0,
                    members,
                    equiv: false,
                    maps,
                }
            })
            .collect();
        Ranges::read(&defs, &mut Ids::default()).unwrap()
    }
}

impl Ranges {
    pub fn read(defs: &[RangeDef], ids: &mut Ids) -> Result<Ranges, Raw> {
        let index: HashMap<String, usize> = defs
            .iter()
            .enumerate()
            .map(|(i, d)| (canonical(&d.name), i))
            .collect();
        let (names, sets) = flatten(defs, &index)?;
        let roots = roots(defs, &sets, names.len())?;
        // Each element's place in its root.
        let mut place = vec![0usize; names.len()];
        let mut r = Ranges::default();
        let mut element_ids: HashMap<usize, Vec<String>> = HashMap::new();
        for (i, d) in defs.iter().enumerate() {
            r.by_name.insert(canonical(&d.name), i);
            let id = ids.assign(&canonical(&d.name));
            let root = roots[i];
            r.keys.push(Vec::new());
            if root == i {
                let mut eids = Ids::default();
                let assigned = sets[i].iter().map(|&e| eids.assign(&names[e].0));
                element_ids.insert(i, assigned.collect());
                r.keys[i] = sets[i].iter().map(|&e| names[e].0.clone()).collect();
                for (k, &e) in sets[i].iter().enumerate() {
                    r.elements.insert(names[e].0.clone(), (i, k));
                    place[e] = k;
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
            let places: Vec<usize> = set.iter().map(|&e| place[e]).collect();
            let eids = &element_ids[&root];
            r.dims[i].elements = places
                .iter()
                .map(|&k| {
                    let l = label(&names[sets[root][k]].1);
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
        for (i, places) in r.places.iter().enumerate() {
            let mut sorted = places.clone();
            sorted.sort_unstable();
            let key = (roots[i], sorted);
            if roots[i] == i {
                r.exact.insert(key, i);
            } else {
                r.exact.entry(key).or_insert(i);
            }
        }
        r.roots = roots;
        r.maps = defs
            .iter()
            .enumerate()
            .map(|(i, d)| r.mapping(i, d))
            .collect::<Result<_, _>>()?;
        Ok(r)
    }

    /// The ranges `d` (range `i`) maps onto, each checked: a range of as
    /// many elements.
    fn mapping(&self, i: usize, d: &RangeDef) -> Result<Vec<usize>, Raw> {
        let mut out = Vec::new();
        for (name, span) in &d.maps {
            let Some(&t) = self.by_name.get(&canonical(name)) else {
                return Err(Raw::invalid(
                    span.0,
                    format!("`{}` maps onto `{name}`, which is not a range", d.name),
                ));
            };
            let (a, b) = (self.places[i].len(), self.places[t].len());
            if a != b {
                return Err(Raw::invalid(
                    span.0,
                    format!(
                        "`{}` ({a} elements) maps onto `{name}` ({b} elements): a mapping \
                         pairs elements one to one",
                        d.name
                    ),
                ));
            }
            out.push(t);
        }
        Ok(out)
    }

    /// A range of `root`'s elements at `places` (sorted), which the file
    /// does not name (a variable defined over them alone): its index.
    pub fn add_subrange(
        &mut self,
        root: usize,
        places: Vec<usize>,
        id: String,
        label: Text,
    ) -> usize {
        let d = self.dims.len();
        let elements = places
            .iter()
            .map(|&k| self.dims[root].elements[k].clone())
            .collect();
        self.dims.push(Dimension {
            id,
            label,
            elements,
            subrange_of: Some(self.dims[root].id.clone()),
        });
        self.exact.insert((root, places.clone()), d);
        self.places.push(places);
        self.roots.push(root);
        self.maps.push(Vec::new());
        self.keys.push(Vec::new());
        d
    }

    /// The canonical name of the `k`-th element of range `d`.
    pub fn element_key(&self, d: usize, k: usize) -> &str {
        &self.keys[self.roots[d]][self.places[d][k]]
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

/// Where a range is in the flattening.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unvisited,
    InProgress,
    Done,
}

/// The elements (canonical name, name as written), and each range's, as
/// their numbers, its member ranges flattened, each element once. Every range is flattened once, by
/// an explicit stack (a long chain of ranges takes no call stack); the
/// elements of all the ranges together are at most [`MAX_FLAT_VARIABLES`].
#[allow(clippy::type_complexity)]
fn flatten(
    defs: &[RangeDef],
    index: &HashMap<String, usize>,
) -> Result<(Vec<(String, String)>, Vec<Vec<usize>>), Raw> {
    let mut state = vec![State::Unvisited; defs.len()];
    let mut sets: Vec<Vec<usize>> = vec![Vec::new(); defs.len()];
    let mut names = Names::default();
    let mut total = 0usize;
    for start in 0..defs.len() {
        if state[start] != State::Unvisited {
            continue;
        }
        state[start] = State::InProgress;
        // A range and the next of its members to look at.
        let mut stack = vec![(start, 0usize)];
        while let Some(top) = stack.last_mut() {
            let (i, m) = *top;
            let d = &defs[i];
            if let Some((name, span)) = d.members.get(m) {
                top.1 += 1;
                match index.get(&canonical(name)) {
                    Some(&j) => match state[j] {
                        State::Done => {}
                        State::InProgress => {
                            return Err(Raw::invalid(
                                defs[j].at,
                                format!(
                                    "the range `{}` is defined through itself",
                                    label(&defs[j].name)
                                ),
                            ));
                        }
                        State::Unvisited => {
                            state[j] = State::InProgress;
                            stack.push((j, 0));
                        }
                    },
                    None if d.equiv => {
                        return Err(Raw::invalid(
                            span.0,
                            format!("`{}` is not a subscript range", label(name)),
                        ));
                    }
                    None => {}
                }
                continue;
            }
            stack.pop();
            let set = members(d, index, &sets, &mut names, total)?;
            total += set.len();
            sets[i] = set;
            state[i] = State::Done;
        }
    }
    Ok((names.names, sets))
}

/// The elements met, numbered.
#[derive(Default)]
struct Names {
    names: Vec<(String, String)>,
    number: HashMap<String, usize>,
}

/// The elements of `d`, its member ranges flattened already: an element
/// written twice is refused, one a member range also holds is taken once.
fn members(
    d: &RangeDef,
    index: &HashMap<String, usize>,
    sets: &[Vec<usize>],
    names: &mut Names,
    total: usize,
) -> Result<Vec<usize>, Raw> {
    let too_many = || {
        Raw::invalid(
            d.at,
            format!(
                "the subscript ranges have more than {MAX_FLAT_VARIABLES} elements in all \
                 (the limit), `{}` included",
                label(&d.name)
            ),
        )
    };
    let mut out: Vec<usize> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    let mut written: HashSet<String> = HashSet::new();
    for (m, span) in &d.members {
        let c = canonical(m);
        match index.get(&c) {
            Some(&j) => {
                if total + out.len() + sets[j].len() > MAX_FLAT_VARIABLES {
                    return Err(too_many());
                }
                out.extend(sets[j].iter().copied().filter(|&e| seen.insert(e)));
            }
            None => {
                if !written.insert(c.clone()) {
                    return Err(Raw::invalid(
                        span.0,
                        format!("`{}` has the element `{}` twice", label(&d.name), label(m)),
                    ));
                }
                if total + out.len() >= MAX_FLAT_VARIABLES {
                    return Err(too_many());
                }
                let n = match names.number.get(&c) {
                    Some(&n) => n,
                    None => {
                        names.number.insert(c.clone(), names.names.len());
                        names.names.push((c, m.clone()));
                        names.names.len() - 1
                    }
                };
                if seen.insert(n) {
                    out.push(n);
                }
            }
        }
    }
    Ok(out)
}

/// Each range's root: the range holding all its elements that no other
/// range strictly contains (of equal ones, the first by canonical name,
/// an equivalence last). The ranges sharing elements, directly or through
/// others, make one group: one of its ranges must hold all its elements
/// (it is the group's root), else two of them share elements without
/// either holding the other. Linear in the ranges' elements.
fn roots(defs: &[RangeDef], sets: &[Vec<usize>], elements: usize) -> Result<Vec<usize>, Raw> {
    // The elements' groups, by union-find.
    let mut parent: Vec<usize> = (0..elements).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut firsts = Vec::with_capacity(sets.len());
    for set in sets {
        let mut first = None;
        for &n in set {
            match first {
                None => first = Some(n),
                Some(f) => {
                    let (a, b) = (find(&mut parent, f), find(&mut parent, n));
                    if a != b {
                        parent[b] = a;
                    }
                }
            }
        }
        firsts.push(first);
    }
    let group: Vec<Option<usize>> = firsts
        .iter()
        .map(|f| f.map(|f| find(&mut parent, f)))
        .collect();
    let mut size: HashMap<usize, usize> = HashMap::new();
    for n in 0..parent.len() {
        *size.entry(find(&mut parent, n)).or_default() += 1;
    }
    let rank = |i: usize| (defs[i].equiv, canonical(&defs[i].name));
    // Each group's root: of its ranges holding all its elements, the first
    // by rank.
    let mut root_of: HashMap<usize, usize> = HashMap::new();
    for (i, g) in group.iter().enumerate() {
        let Some(g) = *g else {
            return Err(Raw::invalid(
                defs[i].at,
                format!("the range `{}` has no elements", label(&defs[i].name)),
            ));
        };
        if sets[i].len() == size[&g] {
            let better = root_of.get(&g).is_none_or(|&r| rank(i) < rank(r));
            if better {
                root_of.insert(g, i);
            }
        }
    }
    let mut out = Vec::with_capacity(defs.len());
    for g in &group {
        let g = g.expect("every range has elements");
        match root_of.get(&g) {
            Some(&r) => out.push(r),
            None => return Err(shared(defs, sets, &group, g)),
        }
    }
    Ok(out)
}

/// The error for a group of ranges that no one of them holds: its largest
/// range (the first written of those) and one sharing elements with it
/// without being inside it, which exists since the group is connected.
fn shared(defs: &[RangeDef], sets: &[Vec<usize>], group: &[Option<usize>], g: usize) -> Raw {
    let mine = |i: &usize| group[*i] == Some(g);
    let a = (0..defs.len())
        .filter(mine)
        .max_by_key(|&i| (sets[i].len(), std::cmp::Reverse(i)))
        .expect("a group has a range");
    let held: HashSet<usize> = sets[a].iter().copied().collect();
    let b = (0..defs.len()).filter(mine).find(|&j| {
        let inside = sets[j].iter().filter(|e| held.contains(e)).count();
        inside > 0 && inside < sets[j].len()
    });
    let Some(b) = b else {
        return Raw::unsupported(
            defs[a].at,
            format!(
                "the elements of `{}` are not all in one range that holds them all: ranges \
                 sharing elements without one containing the other are not supported",
                label(&defs[a].name)
            ),
        );
    };
    let (first, second) = (a.min(b), a.max(b));
    Raw::unsupported(
        defs[second].at,
        format!(
            "`{}` and `{}` share elements, but neither holds the other: not supported",
            label(&defs[first].name),
            label(&defs[second].name)
        ),
    )
}
