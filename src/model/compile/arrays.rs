//! Arrays, expanded: a model with dimensions becomes the flat model the
//! rest of the compiler runs, one variable per element (`jobs[crm]`), each
//! with its equation's tree rewritten for that element (as SDEverywhere and
//! simlin expand apply-to-all equations). References become the elements'
//! names; `sum(x[d!])`, `prod`, `mean` and one-argument `min`/`max` are
//! unrolled left to right over the elements of `d`; a dimension used as a
//! value is its element's position (from 1). Every new node keeps the span
//! of the text it came from, so errors point into the model's own text.
//!
//! The flat program is what a model written out in scalars compiles to:
//! an element costs what a scalar costs (`tests/arrays.rs` checks the ops).

use std::collections::HashMap;

use super::codegen;
use crate::model::def::{Element, Lever, Lookup, Model, Position, Text, Variable, VariableKind};
use crate::model::error::{ErrorKind, Item, ModelError};
use crate::model::expr::{self, BinOp, Expr, ExprKind, Span, Sub, element_id};

/// The most elements one variable may have, and the most flat variables a
/// model may have: checked before anything is expanded, so that no file
/// can make the compiler allocate without bound.
pub const MAX_ELEMENTS: usize = 100_000;
pub const MAX_FLAT_VARIABLES: usize = 1_000_000;
/// Vensim's own limit on a variable's dimensions.
pub const MAX_DIMENSIONS: usize = 8;
/// Reductions longer than this are added in blocks of this many, so that
/// no tree grows taller than the compiler's recursion allows; a model's
/// usual five or fifty elements add strictly left to right.
const CHAIN: usize = 64;

/// One series of a run: a variable, or one element of an arrayed one.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// `jobs`, or `jobs[crm]`.
    pub id: String,
    /// The variable's label, then the element's: `Jobs [CRM]`.
    pub label: Text,
    pub unit: Text,
    /// The model variable it belongs to (`Model::variables`).
    pub var: usize,
    /// The element's own label (`CRM`), for an element of an arrayed
    /// variable: what a chart of that variable's elements shows.
    pub element: Option<Text>,
    /// The name as the model spells it for people, its elements' names in
    /// brackets without spaces (`Inflow A[Entry 1,Column 1]`): an imported
    /// model's own names, a native model's English labels. What
    /// `trajectoire run --names original` writes.
    pub original: String,
}

impl Series {
    /// The series of a model without dimensions: its variables.
    pub(crate) fn of_scalars(m: &Model) -> Vec<Series> {
        m.variables
            .iter()
            .enumerate()
            .map(|(i, v)| Series {
                id: v.id.clone(),
                label: v.label.clone(),
                unit: v.unit.clone(),
                var: i,
                element: None,
                original: original_name(&v.label, &v.id, &[]),
            })
            .collect()
    }
}

/// One lever of a run: a model lever, or one element of an arrayed one
/// (whose flat lever is `training_growth[crm]`).
#[derive(Clone, Debug, PartialEq)]
pub struct LeverSeries {
    /// The model lever it belongs to (`Model::levers`).
    pub lever: usize,
    /// The element's own label (`CRM`), for an element of an arrayed lever.
    pub element: Option<Text>,
    /// The name as the model spells it for people (`Series::original`).
    pub original: String,
}

impl LeverSeries {
    /// The levers of a model without dimensions: its own.
    pub(crate) fn of_scalars(m: &Model) -> Vec<LeverSeries> {
        (0..m.levers.len())
            .map(|lever| LeverSeries {
                lever,
                element: None,
                original: original_name(&m.levers[lever].label, &m.levers[lever].id, &[]),
            })
            .collect()
    }
}

/// The flat model and each flat variable's trees (`[initial or equation,
/// change]`, as `codegen::parse_all` gives them).
pub(crate) struct Flat {
    pub model: Model,
    pub trees: Vec<[Option<Expr>; 2]>,
    pub series: Vec<Series>,
    /// What each flat lever is.
    pub levers: Vec<LeverSeries>,
    /// For each flat variable, whether its field texts came from an
    /// element's own equation (`by_element`) rather than the variable's.
    pub from_override: Vec<[bool; 2]>,
}

/// A dimension, resolved: its root and its elements as indices into the
/// root's elements.
struct Dim<'m> {
    id: &'m str,
    root: usize,
    elements: Vec<usize>,
    /// For each element of the root, its place in this dimension from 1,
    /// 0 when the dimension has not it (no lookup slower for a large one).
    place: Vec<usize>,
}

/// Every dimension of the model, by id.
pub(crate) struct Dims<'m> {
    dims: Vec<Dim<'m>>,
    by_id: HashMap<&'m str, usize>,
    /// Each root's elements (for labels and ids).
    roots: Vec<&'m [Element]>,
    /// Each root's elements by id.
    index: Vec<HashMap<&'m str, usize>>,
}

impl<'m> Dims<'m> {
    /// The dimensions of `m`, each problem said under `dimensions`.
    fn new(m: &'m Model, errors: &mut Vec<ModelError>) -> Dims<'m> {
        let mut err = |msg: String| {
            errors.push(ModelError::new(
                ErrorKind::Invalid,
                Item::Model,
                "dimensions",
                msg,
            ));
        };
        let mut d = Dims {
            dims: Vec::new(),
            by_id: HashMap::new(),
            roots: Vec::new(),
            index: Vec::new(),
        };
        // Roots first, so that a subrange may come before its parent.
        for dim in m.dimensions.iter().filter(|x| x.subrange_of.is_none()) {
            let mut seen = HashMap::new();
            for (k, e) in dim.elements.iter().enumerate() {
                if !expr::is_identifier(&e.id) {
                    err(format!(
                        "element `{}` of `{}` is not a valid name",
                        e.id, dim.id
                    ));
                } else if seen.insert(e.id.as_str(), k).is_some() {
                    err(format!("`{}` has the element `{}` twice", dim.id, e.id));
                }
            }
            if dim.elements.is_empty() {
                err(format!("dimension `{}` has no element", dim.id));
            }
            let root = d.roots.len();
            d.roots.push(&dim.elements);
            d.index.push(seen);
            d.push(&dim.id, root, (0..dim.elements.len()).collect(), &mut err);
        }
        for dim in &m.dimensions {
            let Some(parent) = &dim.subrange_of else {
                continue;
            };
            let Some(&p) = d.by_id.get(parent.as_str()) else {
                err(format!(
                    "`{}` is a subrange of `{parent}`, which is not a dimension",
                    dim.id
                ));
                continue;
            };
            let root = d.dims[p].root;
            let mut elements = Vec::new();
            for e in &dim.elements {
                match d.index[root].get(e.id.as_str()) {
                    Some(&k) if d.dims[p].place[k] != 0 => elements.push(k),
                    _ => err(format!(
                        "`{}` lists `{}`, which `{parent}` has not",
                        dim.id, e.id
                    )),
                }
            }
            d.push(&dim.id, root, elements, &mut err);
        }
        d
    }

    fn push(
        &mut self,
        id: &'m str,
        root: usize,
        elements: Vec<usize>,
        err: &mut impl FnMut(String),
    ) {
        if !expr::is_identifier(id) || expr::is_reserved(id) {
            err(format!("`{id}` is not a valid dimension name"));
        }
        if self.by_id.insert(id, self.dims.len()).is_some() {
            err(format!("dimension `{id}` is declared twice"));
        }
        let mut place = vec![0; self.roots[root].len()];
        for (i, &k) in elements.iter().enumerate() {
            place[k] = i + 1;
        }
        self.dims.push(Dim {
            id,
            root,
            elements,
            place,
        });
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The element called `name` of dimension `d`, as an index in its root.
    fn element(&self, d: usize, name: &str) -> Option<usize> {
        let dim = &self.dims[d];
        let k = *self.index[dim.root].get(name)?;
        (dim.place[k] != 0).then_some(k)
    }

    fn element_id(&self, d: usize, k: usize) -> &'m str {
        &self.roots[self.dims[d].root][k].id
    }

    fn element_label(&self, d: usize, k: usize) -> Text {
        let e = &self.roots[self.dims[d].root][k];
        let pick = |s: &str| {
            if s.is_empty() {
                e.id.clone()
            } else {
                s.to_string()
            }
        };
        Text::new(pick(&e.label.fr), pick(&e.label.en))
    }
}

/// Expands `m` (which has dimensions) into its flat model; problems go to
/// `errors`, said on the model's own variables.
pub(crate) fn expand(m: &Model, errors: &mut Vec<ModelError>) -> Flat {
    let dims = Dims::new(m, errors);
    let mut arrays: HashMap<&str, Vec<usize>> = HashMap::new();
    let items = m
        .variables
        .iter()
        .map(|v| (&v.id, &v.dimensions, Item::Variable(v.id.clone())));
    let levers = m
        .levers
        .iter()
        .map(|l| (&l.id, &l.dimensions, Item::Lever(l.id.clone())));
    let tables = m
        .lookups
        .iter()
        .map(|t| (&t.id, &t.dimensions, Item::Lookup(t.id.clone())));
    for (id, dimensions, item) in items.chain(levers).chain(tables) {
        if dimensions.is_empty() {
            continue;
        }
        match dims_of(&dims, dimensions) {
            Ok(ds) => {
                arrays.insert(id, ds);
            }
            Err(msg) => errors.push(ModelError::new(ErrorKind::Invalid, item, "dimensions", msg)),
        }
    }
    let mut x = Expander {
        dims: &dims,
        arrays: &arrays,
        flat: Flat {
            model: Model {
                variables: Vec::new(),
                levers: Vec::new(),
                lookups: Vec::new(),
                dimensions: Vec::new(),
                ..m.clone()
            },
            trees: Vec::new(),
            series: Vec::new(),
            levers: Vec::new(),
            from_override: Vec::new(),
        },
        by_flows: Vec::new(),
        problems: Vec::new(),
        errors,
    };
    let ids = m.variables.iter().map(|v| &v.id);
    let total: usize = ids
        .chain(m.levers.iter().map(|l| &l.id))
        .chain(m.lookups.iter().map(|t| &t.id))
        .map(|id| arrays.get(id.as_str()).map_or(1, |ds| x.count(ds)))
        .sum();
    if total > MAX_FLAT_VARIABLES {
        x.errors.push(ModelError::new(
            ErrorKind::Invalid,
            Item::Model,
            "dimensions",
            format!("the model has {total} elements in all; the limit is {MAX_FLAT_VARIABLES}"),
        ));
        return x.flat;
    }
    for (i, l) in m.levers.iter().enumerate() {
        x.lever(i, l);
    }
    for t in &m.lookups {
        x.lookup(t);
    }
    for (i, v) in m.variables.iter().enumerate() {
        x.variable(i, v);
    }
    x.stocks_by_flows();
    let problems = std::mem::take(&mut x.problems);
    x.errors.extend(merge_by_element(problems));
    x.flat
}

/// Problems found in elements, said once each: `` `jobs[kpo]`: … `` for
/// one element, `… (in `jobs[crm]` and 4 more)` for several.
pub(crate) fn merge_by_element(problems: Vec<(ModelError, Option<String>)>) -> Vec<ModelError> {
    let mut out: Vec<(ModelError, Vec<String>)> = Vec::new();
    for (e, element) in problems {
        let i = match out.iter().position(|(x, _)| *x == e) {
            Some(i) => i,
            None => {
                out.push((e, Vec::new()));
                out.len() - 1
            }
        };
        out[i].1.extend(element);
    }
    out.into_iter()
        .map(|(mut e, elements)| {
            match elements.as_slice() {
                [] => {}
                [one] => e.message = format!("`{one}`: {}", e.message),
                [first, rest @ ..] => {
                    e.message = format!("{} (in `{first}` and {} more)", e.message, rest.len())
                }
            }
            e
        })
        .collect()
}

/// A variable's or lever's dimensions, as indices: all known, at most eight.
fn dims_of(dims: &Dims, dimensions: &[String]) -> Result<Vec<usize>, String> {
    if dimensions.len() > MAX_DIMENSIONS {
        return Err(format!(
            "{} dimensions; at most {MAX_DIMENSIONS} are allowed",
            dimensions.len()
        ));
    }
    let ds: Vec<usize> = dimensions
        .iter()
        .map(|d| dims.get(d).ok_or(format!("no dimension is called `{d}`")))
        .collect::<Result<_, _>>()?;
    let n = ds
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(dims.dims[d].elements.len()));
    match n {
        Some(n) if n <= MAX_ELEMENTS => Ok(ds),
        _ => Err(format!("more than {MAX_ELEMENTS} elements")),
    }
}

fn var_error(v: &Variable, field: &str, msg: String) -> ModelError {
    ModelError::new(ErrorKind::Invalid, Item::Variable(v.id.clone()), field, msg)
}

struct Expander<'a, 'm> {
    dims: &'a Dims<'m>,
    arrays: &'a HashMap<&'m str, Vec<usize>>,
    flat: Flat,
    /// Which flat stocks are given by their flows (their change is made
    /// once every flat variable exists).
    by_flows: Vec<bool>,
    /// Problems of one element's equation, with the element: merged when
    /// several elements have the same (`merge_by_element`).
    problems: Vec<(ModelError, Option<String>)>,
    errors: &'a mut Vec<ModelError>,
}

/// A flat variable's id and labels.
struct Naming {
    id: String,
    label: Text,
    element: Option<Text>,
    original: String,
}

/// `Series::original`: the English label (the id where there is none),
/// then the elements' English labels in brackets, joined by commas.
fn original_name(label: &Text, id: &str, elements: &[Text]) -> String {
    let name = if label.en.trim().is_empty() {
        id
    } else {
        label.en.as_str()
    };
    if elements.is_empty() {
        return name.to_string();
    }
    let parts: Vec<&str> = elements.iter().map(|e| e.en.as_str()).collect();
    format!("{name}[{}]", parts.join(","))
}

/// Where an element's two texts come from, and its place among the
/// elements sharing each (the number a list gives it).
#[derive(Clone, Copy)]
struct Place {
    src: [Source; 2],
    nth: [usize; 2],
    count: [usize; 2],
}

/// Where an element's text comes from: the variable's own field, or one
/// of its `by_element` entries.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    Whole,
    Override(usize),
}

impl<'m> Expander<'_, 'm> {
    fn count(&self, ds: &[usize]) -> usize {
        ds.iter()
            .map(|&d| self.dims.dims[d].elements.len())
            .product()
    }

    /// Every element of `ds`, row-major: for each, one root index per dimension.
    fn combos(&self, ds: &[usize]) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new()];
        for &d in ds {
            let els = &self.dims.dims[d].elements;
            out = out
                .into_iter()
                .flat_map(|c| {
                    els.iter().map(move |&k| {
                        let mut c = c.clone();
                        c.push(k);
                        c
                    })
                })
                .collect();
        }
        out
    }

    fn variable(&mut self, i: usize, v: &Variable) {
        let Some(ds) = self.arrays.get(v.id.as_str()).cloned() else {
            if !v.dimensions.is_empty() {
                return; // its dimensions were refused
            }
            if !v.by_element.is_empty() {
                let msg = "`by_element` needs the variable to have dimensions".to_string();
                self.errors.push(var_error(v, "by_element", msg));
            }
            return self.scalar(i, v);
        };
        let combos = self.combos(&ds);
        let Some(sources) = self.sources(v, &ds, &combos) else {
            return;
        };
        let mut cache = HashMap::new();
        // Each element's place among those sharing its text (for lists).
        let mut counts: HashMap<(usize, Source), usize> = HashMap::new();
        for src in &sources {
            for (f, s) in src.iter().enumerate() {
                *counts.entry((f, *s)).or_default() += 1;
            }
        }
        let mut seen: HashMap<(usize, Source), usize> = HashMap::new();
        for (c, combo) in combos.iter().enumerate() {
            let mut nth = [0; 2];
            let mut count = [0; 2];
            for f in 0..2 {
                let key = (f, sources[c][f]);
                let k = seen.entry(key).or_default();
                nth[f] = *k;
                *k += 1;
                count[f] = counts[&key];
            }
            let bound: Vec<(usize, usize)> =
                ds.iter().copied().zip(combo.iter().copied()).collect();
            let el = self.naming(&v.id, &v.label, &ds, combo);
            let place = Place {
                src: sources[c],
                nth,
                count,
            };
            self.element(i, v, &el, &bound, place, &mut cache);
        }
    }

    /// A lever: itself, or one flat lever per element, each with its
    /// default (`by_element`) and the positions for it (those with no
    /// `at`, and those whose `at` covers the element).
    fn lever(&mut self, i: usize, l: &Lever) {
        let flat = |id: String, label: Text, default: f64, positions: Vec<Position>| Lever {
            id,
            label,
            default,
            dimensions: Vec::new(),
            by_element: Vec::new(),
            positions,
            ..l.clone()
        };
        let Some(ds) = self.arrays.get(l.id.as_str()).cloned() else {
            if l.dimensions.is_empty() {
                if !l.by_element.is_empty() {
                    let msg = "`by_element` needs the lever to have dimensions".to_string();
                    let e = ModelError::new(
                        ErrorKind::Invalid,
                        Item::Lever(l.id.clone()),
                        "by_element",
                        msg,
                    );
                    self.errors.push(e);
                }
                self.flat.model.levers.push(l.clone());
                self.flat.levers.push(LeverSeries {
                    lever: i,
                    element: None,
                    original: original_name(&l.label, &l.id, &[]),
                });
            }
            return;
        };
        let combos = self.combos(&ds);
        let mut defaults = vec![(l.default, l.prior); combos.len()];
        let item = Item::Lever(l.id.clone());
        for e in &l.by_element {
            let Some(sets) = self.at(&item, "by_element", &l.id, &ds, &e.at) else {
                continue;
            };
            for (c, combo) in combos.iter().enumerate() {
                if combo.iter().zip(&sets).all(|(k, set)| set.contains(k)) {
                    defaults[c] = (e.default, e.prior.or(l.prior));
                }
            }
        }
        let mut position_sets = Vec::with_capacity(l.positions.len());
        for p in &l.positions {
            // `None`: for every element; `Some(None)`: an `at` refused (said).
            let sets =
                p.at.as_ref()
                    .map(|at| self.at(&item, "positions", &l.id, &ds, at));
            position_sets.push(sets);
        }
        for (combo, (default, prior)) in combos.iter().zip(defaults) {
            let el = self.naming(&l.id, &l.label, &ds, combo);
            let covers =
                |sets: &Vec<Vec<usize>>| combo.iter().zip(sets).all(|(k, set)| set.contains(k));
            let positions = (l.positions.iter().zip(&position_sets))
                .filter(|(_, sets)| match sets {
                    None => true,
                    Some(sets) => sets.as_ref().is_some_and(covers),
                })
                .map(|(p, _)| p.clone())
                .collect();
            let lever = Lever {
                prior,
                ..flat(el.id, el.label, default, positions)
            };
            self.flat.model.levers.push(lever);
            self.flat.levers.push(LeverSeries {
                lever: i,
                element: el.element,
                original: el.original,
            });
        }
    }

    /// A lookup table: itself, or one table per element, each with its
    /// points (`by_element`).
    fn lookup(&mut self, t: &Lookup) {
        let Some(ds) = self.arrays.get(t.id.as_str()).cloned() else {
            if t.dimensions.is_empty() {
                if !t.by_element.is_empty() {
                    let msg = "`by_element` needs the table to have dimensions".to_string();
                    let item = Item::Lookup(t.id.clone());
                    let e = ModelError::new(ErrorKind::Invalid, item, "by_element", msg);
                    self.errors.push(e);
                }
                self.flat.model.lookups.push(t.clone());
            }
            return;
        };
        let combos = self.combos(&ds);
        let mut points: Vec<&[(f64, f64)]> = vec![&t.points; combos.len()];
        let item = Item::Lookup(t.id.clone());
        for e in &t.by_element {
            let Some(sets) = self.at(&item, "by_element", &t.id, &ds, &e.at) else {
                continue;
            };
            for (c, combo) in combos.iter().enumerate() {
                if combo.iter().zip(&sets).all(|(k, set)| set.contains(k)) {
                    points[c] = &e.points;
                }
            }
        }
        for (combo, points) in combos.iter().zip(points) {
            let el = self.naming(&t.id, &Text::default(), &ds, combo);
            self.flat.model.lookups.push(Lookup {
                id: el.id,
                points: points.to_vec(),
                dimensions: Vec::new(),
                by_element: Vec::new(),
                ..t.clone()
            });
        }
    }

    /// An element's flat id (`jobs[crm]`), label (`Jobs [CRM]`) and own label.
    fn naming(&self, id: &str, label: &Text, ds: &[usize], combo: &[usize]) -> Naming {
        let bound = ds.iter().zip(combo);
        let elems: Vec<&str> = bound
            .clone()
            .map(|(&d, &k)| self.dims.element_id(d, k))
            .collect();
        let labels: Vec<Text> = bound
            .map(|(&d, &k)| self.dims.element_label(d, k))
            .collect();
        let join = |f: fn(&Text) -> &String| {
            labels
                .iter()
                .map(|t| f(t).as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let element = Text::new(join(|t| &t.fr), join(|t| &t.en));
        Naming {
            original: original_name(label, id, &labels),
            id: element_id(id, &elems),
            label: Text::new(
                format!("{} [{}]", label.fr, element.fr),
                format!("{} [{}]", label.en, element.en),
            ),
            element: Some(element),
        }
    }

    /// A variable with no dimensions: itself, its equations rewritten
    /// (they may name elements or reduce arrays).
    fn scalar(&mut self, i: usize, v: &Variable) {
        let el = Naming {
            id: v.id.clone(),
            label: v.label.clone(),
            element: None,
            original: original_name(&v.label, &v.id, &[]),
        };
        let place = Place {
            src: [Source::Whole; 2],
            nth: [0; 2],
            count: [1; 2],
        };
        self.element(i, v, &el, &[], place, &mut HashMap::new());
    }

    /// For each element, where its two fields' texts come from; `None`
    /// (and errors said) when `by_element` does not read.
    fn sources(
        &mut self,
        v: &Variable,
        ds: &[usize],
        combos: &[Vec<usize>],
    ) -> Option<Vec<[Source; 2]>> {
        let mut out = vec![[Source::Whole; 2]; combos.len()];
        let mut ok = true;
        for (o, eq) in v.by_element.iter().enumerate() {
            let item = Item::Variable(v.id.clone());
            let Some(sets) = self.at(&item, "by_element", &v.id, ds, &eq.at) else {
                ok = false;
                continue;
            };
            let fields = match &v.kind {
                VariableKind::Aux { .. } => [!eq.equation.trim().is_empty(), false],
                _ => [!eq.initial.trim().is_empty(), !eq.change.trim().is_empty()],
            };
            for (c, combo) in combos.iter().enumerate() {
                if !combo.iter().zip(&sets).all(|(k, set)| set.contains(k)) {
                    continue;
                }
                for f in 0..2 {
                    if !fields[f] {
                        continue;
                    }
                    if out[c][f] != Source::Whole {
                        let msg = format!(
                            "two `by_element` entries give `{}` an equation",
                            self.flat_id(v, ds, combo)
                        );
                        self.errors.push(var_error(v, "by_element", msg));
                        ok = false;
                    }
                    out[c][f] = Source::Override(o);
                }
            }
        }
        ok.then_some(out)
    }

    fn flat_id(&self, v: &Variable, ds: &[usize], combo: &[usize]) -> String {
        let elems: Vec<&str> = ds
            .iter()
            .zip(combo)
            .map(|(&d, &k)| self.dims.element_id(d, k))
            .collect();
        element_id(&v.id, &elems)
    }

    /// What an `at` of `item`'s `by_element` covers: for each dimension,
    /// the root indices.
    fn at(
        &mut self,
        item: &Item,
        field: &str,
        id: &str,
        ds: &[usize],
        at: &str,
    ) -> Option<Vec<Vec<usize>>> {
        let mut err = |msg: String| {
            let e = ModelError::new(ErrorKind::Invalid, item.clone(), field, msg);
            self.errors.push(e);
        };
        let parts: Vec<&str> = at.split(',').map(str::trim).collect();
        if parts.len() != ds.len() {
            let n = ds.len();
            err(format!(
                "`at: \"{at}\"` gives {} subscripts; `{id}` has {n} dimension{}",
                parts.len(),
                if n == 1 { "" } else { "s" }
            ));
            return None;
        }
        let mut sets = Vec::new();
        for (p, &d) in parts.iter().zip(ds) {
            if let Some(k) = self.dims.element(d, p) {
                sets.push(vec![k]);
                continue;
            }
            let sub = self.dims.get(p).filter(|&s| {
                let (s, dd) = (&self.dims.dims[s], &self.dims.dims[d]);
                s.root == dd.root && s.elements.iter().all(|&k| dd.place[k] != 0)
            });
            match sub {
                Some(s) => sets.push(self.dims.dims[s].elements.clone()),
                None => {
                    err(format!(
                        "`{p}` is neither an element nor a part of `{}`",
                        self.dims.dims[d].id
                    ));
                    return None;
                }
            }
        }
        Some(sets)
    }

    /// One flat variable: its kind with flat flows, its trees.
    fn element(
        &mut self,
        i: usize,
        v: &Variable,
        el: &Naming,
        bound: &[(usize, usize)],
        place: Place,
        cache: &mut HashMap<(usize, Source), Option<Expr>>,
    ) {
        let src = place.src;
        let kind = match &v.kind {
            VariableKind::Aux { .. } => VariableKind::Aux {
                equation: text(v, 0, src[0]).to_string(),
            },
            VariableKind::Stock {
                inflows,
                outflows,
                non_negative,
                ..
            } => VariableKind::Stock {
                initial: text(v, 0, src[0]).to_string(),
                change: text(v, 1, src[1]).to_string(),
                inflows: self.flows(v, inflows, bound),
                outflows: self.flows(v, outflows, bound),
                non_negative: *non_negative,
            },
            VariableKind::Data { points } => VariableKind::Data {
                points: points.clone(),
            },
        };
        let fields = parsed_fields(&kind);
        let mut trees: [Option<Expr>; 2] = [None, None];
        for &f in fields {
            let (s, field) = (src[f], field_name(v, f, src[f]));
            let tree = self.tree(v, f, s, text(v, f, s), field, cache);
            let (nth, count) = (place.nth[f], place.count[f]);
            trees[f] =
                tree.and_then(|e| self.rewrite_field(v, &el.id, field, &e, bound, nth, count));
        }
        let by_flows = matches!(&kind, VariableKind::Stock { .. }) && !fields.contains(&1);
        self.flat.model.variables.push(Variable {
            id: el.id.clone(),
            label: el.label.clone(),
            unit: v.unit.clone(),
            unit_expr: v.unit_expr.clone(),
            dimensions: Vec::new(),
            kind,
            by_element: Vec::new(),
            description: v.description.clone(),
        });
        self.flat.trees.push(trees);
        self.by_flows.push(by_flows);
        let own = [src[0] != Source::Whole, src[1] != Source::Whole];
        self.flat.from_override.push(own);
        self.flat.series.push(Series {
            id: el.id.clone(),
            label: el.label.clone(),
            unit: v.unit.clone(),
            var: i,
            element: el.element.clone(),
            original: el.original.clone(),
        });
    }

    /// Each stock given by its flows: the change its flows stand for.
    fn stocks_by_flows(&mut self) {
        let Flat { model, trees, .. } = &mut self.flat;
        for (i, v) in model.variables.iter().enumerate() {
            if let VariableKind::Stock {
                inflows,
                outflows,
                non_negative,
                ..
            } = &v.kind
                && self.by_flows[i]
            {
                trees[i][1] = codegen::flows_change(model, &v.id, inflows, outflows, *non_negative);
            }
        }
    }

    /// An arrayed stock's flows for one element: each flow's same element.
    fn flows(&mut self, v: &Variable, flows: &[String], bound: &[(usize, usize)]) -> Vec<String> {
        flows
            .iter()
            .map(|f| match self.arrays.get(f.as_str()) {
                Some(fd)
                    if fd.len() == bound.len() && fd.iter().zip(bound).all(|(a, b)| *a == b.0) =>
                {
                    let elems: Vec<&str> = bound
                        .iter()
                        .map(|&(d, k)| self.dims.element_id(d, k))
                        .collect();
                    element_id(f, &elems)
                }
                Some(_) => {
                    let msg = format!(
                        "flow `{f}` must have the stock's dimensions ({})",
                        v.dimensions.join(", ")
                    );
                    self.errors.push(var_error(v, "inflows", msg));
                    f.clone()
                }
                None => f.clone(),
            })
            .collect()
    }

    /// The text's tree, parsed once for all the elements that share it
    /// (its syntax errors said once).
    fn tree(
        &mut self,
        v: &Variable,
        f: usize,
        s: Source,
        text: &str,
        field: &str,
        cache: &mut HashMap<(usize, Source), Option<Expr>>,
    ) -> Option<Expr> {
        cache
            .entry((f, s))
            .or_insert_with(|| {
                if let Some(list) = list_literal(text) {
                    // Kept as a call the rewrite picks from.
                    let args = list
                        .into_iter()
                        .map(|x| Expr::new(ExprKind::Num(x), Span::new(0, text.len())))
                        .collect();
                    let kind = ExprKind::Call {
                        name: LIST.into(),
                        name_span: Span::new(0, 0),
                        args,
                    };
                    return Some(Expr::new(kind, Span::new(0, text.len())));
                }
                match expr::parse(text) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        let mut err = codegen::expr_error(&v.id, field, e);
                        if matches!(s, Source::Override(_)) {
                            err.span = None;
                        }
                        self.errors.push(err);
                        None
                    }
                }
            })
            .clone()
    }

    /// One element's tree from the shared one; problems said with the
    /// element's name.
    #[allow(clippy::too_many_arguments)]
    fn rewrite_field(
        &mut self,
        v: &Variable,
        flat_id: &str,
        field: &str,
        e: &Expr,
        bound: &[(usize, usize)],
        nth: usize,
        count: usize,
    ) -> Option<Expr> {
        if let ExprKind::Call { name, args, .. } = &e.kind
            && name == LIST
        {
            if args.len() != count {
                let msg = format!("the list gives {} numbers for {count} elements", args.len());
                self.errors.push(var_error(v, field, msg));
                return None;
            }
            return Some(args[nth].clone());
        }
        let mut r = Rewriter {
            dims: self.dims,
            arrays: self.arrays,
            bound: bound.to_vec(),
            problems: Vec::new(),
        };
        let out = r.rewrite(e);
        let owned = field == "by_element";
        for (span, msg) in r.problems {
            let mut err =
                ModelError::new(ErrorKind::Misuse, Item::Variable(v.id.clone()), field, msg);
            err.span = (!owned).then_some(span);
            let element = (!bound.is_empty()).then(|| flat_id.to_string());
            self.problems.push((err, element));
        }
        Some(out)
    }
}

/// The text of field `f` (0: equation or initial, 1: change) of `v`
/// from `s`: the variable's own, or one of its `by_element` entries.
fn text(v: &Variable, f: usize, s: Source) -> &str {
    match (&v.kind, s, f) {
        (VariableKind::Aux { equation }, Source::Whole, _) => equation,
        (VariableKind::Aux { .. }, Source::Override(o), _) => &v.by_element[o].equation,
        (VariableKind::Stock { initial, .. }, Source::Whole, 0) => initial,
        (VariableKind::Stock { change, .. }, Source::Whole, _) => change,
        (VariableKind::Stock { .. }, Source::Override(o), 0) => &v.by_element[o].initial,
        (VariableKind::Stock { .. }, Source::Override(o), _) => &v.by_element[o].change,
        (VariableKind::Data { .. }, ..) => "",
    }
}

/// The field errors in that text are said on.
fn field_name(v: &Variable, f: usize, s: Source) -> &'static str {
    match (&v.kind, s, f) {
        (_, Source::Override(_), _) => "by_element",
        (VariableKind::Aux { .. }, ..) => "equation",
        (_, _, 0) => "initial",
        _ => "change",
    }
}

/// The fields a flat variable's equations are parsed from; a stock by its
/// flows has only its initial value (its change is made from the flows).
fn parsed_fields(kind: &VariableKind) -> &'static [usize] {
    match kind {
        VariableKind::Aux { .. } => &[0],
        VariableKind::Stock {
            change,
            inflows,
            outflows,
            ..
        } if inflows.is_empty() && outflows.is_empty() && !change.trim().is_empty() => &[0, 1],
        VariableKind::Stock { .. } => &[0],
        VariableKind::Data { .. } => &[],
    }
}

/// The name a list of numbers is kept under between parsing and rewriting
/// (not an identifier: no equation can call it).
const LIST: &str = "#list";

/// `34800, 6100, 12200` (commas, or `;` between rows as Vensim writes):
/// one number per element; `None` for anything else, a single number too.
pub(crate) fn list_literal(text: &str) -> Option<Vec<f64>> {
    let parts: Vec<&str> = text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    parts
        .iter()
        .map(|p| p.parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect()
}

/// Rewrites one tree for one element.
struct Rewriter<'a, 'm> {
    dims: &'a Dims<'m>,
    arrays: &'a HashMap<&'m str, Vec<usize>>,
    /// The current element of each dimension in scope: the variable's own,
    /// then those reduced by enclosing `sum`s.
    bound: Vec<(usize, usize)>,
    problems: Vec<(Span, String)>,
}

impl Rewriter<'_, '_> {
    fn rewrite(&mut self, e: &Expr) -> Expr {
        let kind = match &e.kind {
            ExprKind::Num(_) => return e.clone(),
            ExprKind::Name(n) => return self.name(e, n),
            ExprKind::Subscript { name, subs, .. } => return self.subscript(e, name, subs),
            ExprKind::Call {
                name,
                args,
                name_span,
            } => {
                if let Some(r) = Reducer::of(name, args.len()) {
                    return self.reduce(e, r, &args[0]);
                }
                let name = match self.table_name(e, name, *name_span) {
                    Ok(n) => n,
                    Err(problem) => return problem,
                };
                ExprKind::Call {
                    name,
                    name_span: *name_span,
                    args: args.iter().map(|a| self.rewrite(a)).collect(),
                }
            }
            ExprKind::Unary(op, a) => ExprKind::Unary(*op, Box::new(self.rewrite(a))),
            ExprKind::Binary(op, a, b) => {
                ExprKind::Binary(*op, Box::new(self.rewrite(a)), Box::new(self.rewrite(b)))
            }
            ExprKind::If(c, a, b) => ExprKind::If(
                Box::new(self.rewrite(c)),
                Box::new(self.rewrite(a)),
                Box::new(self.rewrite(b)),
            ),
        };
        Expr::new(kind, e.span)
    }

    /// The table a call names: an arrayed table's element (`effect(x)`
    /// in an equation over its dimension, `effect[crm](x)` or
    /// `effect[segment](x)` anywhere), or the name itself.
    fn table_name(&mut self, e: &Expr, name: &str, span: Span) -> Result<String, Expr> {
        let resolved = match name.split_once('[') {
            Some((base, rest)) => {
                let inner = rest.strip_suffix(']').unwrap_or(rest);
                let subs: Vec<(Sub, Span)> = inner
                    .split(',')
                    .map(|s| (Sub::Name(s.trim().to_string()), span))
                    .collect();
                self.subscript(e, base, &subs)
            }
            None if self.arrays.contains_key(name) => self.name(e, name),
            None => return Ok(name.to_string()),
        };
        match resolved.kind {
            ExprKind::Name(flat) => Ok(flat),
            _ => Err(resolved),
        }
    }

    fn problem(&mut self, span: Span, msg: String) -> Expr {
        self.problems.push((span, msg));
        Expr::new(ExprKind::Num(f64::NAN), span)
    }

    /// The current element of dimension `d`: bound by name, or through a
    /// bound dimension of the same family whose element `d` has.
    fn current(&self, d: usize) -> Option<usize> {
        if let Some(&(_, k)) = self.bound.iter().rev().find(|b| b.0 == d) {
            return Some(k);
        }
        let dim = &self.dims.dims[d];
        self.bound
            .iter()
            .rev()
            .find(|&&(b, k)| self.dims.dims[b].root == dim.root && dim.place[k] != 0)
            .map(|b| b.1)
    }

    /// The current element of a bound dimension of `d`'s family, whether
    /// or not `d` has it.
    fn family(&self, d: usize) -> Option<usize> {
        let root = self.dims.dims[d].root;
        self.bound
            .iter()
            .rev()
            .find(|&&(b, _)| self.dims.dims[b].root == root)
            .map(|b| b.1)
    }

    /// A bare name: an arrayed variable's current element, a dimension's
    /// position, or the name itself.
    fn name(&mut self, e: &Expr, n: &str) -> Expr {
        if let Some(ds) = self.arrays.get(n) {
            let mut elems = Vec::new();
            for &d in ds {
                match self.current(d) {
                    Some(k) => elems.push(self.dims.element_id(d, k)),
                    None if self.family(d).is_some() => {
                        let k = self.family(d).unwrap_or(0);
                        let (el, dim) = (self.dims.element_id(d, k), self.dims.dims[d].id);
                        let msg = format!("`{n}` has no element `{el}` (it is over `{dim}`)");
                        return self.problem(e.span, msg);
                    }
                    None => {
                        let dim = self.dims.dims[d].id;
                        return self.problem(e.span, format!(
                            "`{n}` is arrayed over `{dim}`: name an element (`{n}[{}]`) or reduce it (`sum({n}[{dim}!])`)",
                            self.dims.element_id(d, self.dims.dims[d].elements[0])
                        ));
                    }
                }
            }
            return Expr::new(ExprKind::Name(element_id(n, &elems)), e.span);
        }
        if let Some(d) = self.dims.get(n) {
            return match self.current(d) {
                // Its place in the root, from 1 (Vensim and PySD: a
                // subrange's element counts where its root has it).
                Some(k) => Expr::new(ExprKind::Num((k + 1) as f64), e.span),
                None => self.problem(
                    e.span,
                    format!("`{n}` is a dimension: as a value, it needs an equation over it"),
                ),
            };
        }
        e.clone()
    }

    /// `x[a, b]`: the element named, or the current one of each dimension.
    fn subscript(&mut self, e: &Expr, name: &str, subs: &[(Sub, Span)]) -> Expr {
        let Some(ds) = self.arrays.get(name) else {
            return self.problem(
                e.span,
                format!("`{name}` is not arrayed: write it without `[...]`"),
            );
        };
        if ds.len() != subs.len() {
            let n = ds.len();
            return self.problem(
                e.span,
                format!(
                    "`{name}` has {n} dimension{}, not {}",
                    if n == 1 { "" } else { "s" },
                    subs.len()
                ),
            );
        }
        let mut elems = Vec::new();
        for (&d, (sub, span)) in ds.iter().zip(subs) {
            let dim_id = self.dims.dims[d].id;
            let s = match sub {
                Sub::Name(s) | Sub::Reduce(s) => s.as_str(),
                Sub::All => dim_id,
            };
            let k = match (sub, self.dims.element(d, s)) {
                (Sub::Name(_), Some(k)) => Some(k),
                _ => self.dims.get(s).and_then(|sd| self.current(sd)),
            };
            match k {
                Some(k) if self.dims.dims[d].place[k] != 0 => {
                    elems.push(self.dims.element_id(d, k))
                }
                Some(k) => {
                    let el = self.dims.element_id(d, k);
                    return self.problem(
                        *span,
                        format!("`{name}` has no element `{el}` (it is over `{dim_id}`)"),
                    );
                }
                None if self.dims.get(s).is_some() => {
                    return self.problem(*span, format!("`{s}` is not a dimension this equation runs over: reduce it (`sum({name}[{s}!])`) or name an element"));
                }
                None => {
                    return self.problem(
                        *span,
                        format!("`{s}` is neither an element of `{dim_id}` nor a dimension"),
                    );
                }
            }
        }
        Expr::new(ExprKind::Name(element_id(name, &elems)), e.span)
    }

    /// `sum(x[d!])` and its kin: the argument for each element of the
    /// reduced dimensions, combined left to right.
    fn reduce(&mut self, e: &Expr, r: Reducer, arg: &Expr) -> Expr {
        let mut reduced = Vec::new();
        self.reduced_dims(arg, &mut reduced);
        if reduced.is_empty() {
            // One value: the reduction of it is itself.
            return self.rewrite(arg);
        }
        let mut terms = Vec::new();
        let mut combos: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
        for &d in &reduced {
            let els = self.dims.dims[d].elements.clone();
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    els.iter().map(move |&k| {
                        let mut c = c.clone();
                        c.push((d, k));
                        c
                    })
                })
                .collect();
        }
        for c in &combos {
            let n = self.bound.len();
            self.bound.extend(c.iter().copied());
            terms.push(self.rewrite(arg));
            self.bound.truncate(n);
        }
        r.combine(terms, e.span)
    }

    /// The dimensions `arg` reduces: `d!`, `*`, and the unbound dimensions
    /// of bare arrayed names; not those of a nested reducer.
    fn reduced_dims(&self, arg: &Expr, out: &mut Vec<usize>) {
        let add = |d: usize, out: &mut Vec<usize>| {
            if !out.contains(&d) {
                out.push(d);
            }
        };
        match &arg.kind {
            ExprKind::Num(_) => {}
            ExprKind::Name(n) => {
                for &d in self.arrays.get(n.as_str()).map_or(&[][..], |v| v) {
                    if self.current(d).is_none() {
                        add(d, out);
                    }
                }
            }
            ExprKind::Subscript { name, subs, .. } => {
                let ds = self.arrays.get(name.as_str()).map_or(&[][..], |v| v);
                for (i, (s, _)) in subs.iter().enumerate() {
                    match s {
                        Sub::Reduce(s) => {
                            if let Some(d) = self.dims.get(s) {
                                add(d, out);
                            }
                        }
                        Sub::All => {
                            if let Some(&d) = ds.get(i) {
                                add(d, out);
                            }
                        }
                        Sub::Name(_) => {}
                    }
                }
            }
            ExprKind::Call { name, args, .. } if Reducer::of(name, args.len()).is_some() => {}
            ExprKind::Call { args, .. } => args.iter().for_each(|a| self.reduced_dims(a, out)),
            ExprKind::Unary(_, a) => self.reduced_dims(a, out),
            ExprKind::Binary(_, a, b) => {
                self.reduced_dims(a, out);
                self.reduced_dims(b, out);
            }
            ExprKind::If(c, a, b) => {
                self.reduced_dims(c, out);
                self.reduced_dims(a, out);
                self.reduced_dims(b, out);
            }
        }
    }
}

/// The functions that reduce an array.
#[derive(Clone, Copy)]
enum Reducer {
    Sum,
    Prod,
    Mean,
    Min,
    Max,
}

impl Reducer {
    fn of(name: &str, n_args: usize) -> Option<Reducer> {
        match (name, n_args) {
            ("sum", 1) => Some(Reducer::Sum),
            ("prod", 1) => Some(Reducer::Prod),
            ("mean", 1) => Some(Reducer::Mean),
            ("min", 1) => Some(Reducer::Min),
            ("max", 1) => Some(Reducer::Max),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Reducer::Sum => "sum",
            Reducer::Prod => "prod",
            Reducer::Mean => "mean",
            Reducer::Min => "min",
            Reducer::Max => "max",
        }
    }

    /// `t1 op t2 op ...` left to right (in blocks of [`CHAIN`] when long);
    /// an empty reduction is 0 for a sum, 1 for a product, else NaN.
    fn combine(self, terms: Vec<Expr>, span: Span) -> Expr {
        let n = terms.len();
        let node = |kind| Expr::new(kind, span);
        let join = |a: Expr, b: Expr| match self {
            Reducer::Sum | Reducer::Mean => {
                node(ExprKind::Binary(BinOp::Add, Box::new(a), Box::new(b)))
            }
            Reducer::Prod => node(ExprKind::Binary(BinOp::Mul, Box::new(a), Box::new(b))),
            Reducer::Min | Reducer::Max => node(ExprKind::Call {
                name: self.name().into(),
                name_span: span,
                args: vec![a, b],
            }),
        };
        let chain = |ts: Vec<Expr>| ts.into_iter().reduce(join);
        let whole = if n <= CHAIN {
            chain(terms)
        } else {
            let mut blocks = Vec::new();
            let mut it = terms.into_iter().peekable();
            while it.peek().is_some() {
                blocks.push(chain(it.by_ref().take(CHAIN).collect()).expect("a block has a term"));
            }
            chain(blocks)
        };
        let empty = match self {
            Reducer::Sum => 0.0,
            Reducer::Prod => 1.0,
            _ => f64::NAN,
        };
        let whole = whole.unwrap_or_else(|| node(ExprKind::Num(empty)));
        match self {
            Reducer::Mean if n > 0 => node(ExprKind::Binary(
                BinOp::Div,
                Box::new(whole),
                Box::new(node(ExprKind::Num(n as f64))),
            )),
            _ => whole,
        }
    }
}
