//! The subscripted variables of a Vensim model, built: numbers for every
//! element an arrayed lever, `INTEG` records an arrayed stock by its
//! arrayed rate, points an arrayed lookup, anything else an arrayed
//! auxiliary, each record its `by_element` entry (the base record's, the
//! one with `:EXCEPT:` or else the first, the variable's own equation).
//! A record with `:EXCEPT:` other than the base is copied to each of its
//! elements, within [`MAX_EXPANDED_BYTES`].

use super::{Builder, Entry, Kind, Part, aux, describe, exprs, lever_parts, name_label, refs};
use crate::formats::mdl::Raw;
use crate::formats::mdl::arrays::{self as shapes, Shape};
use crate::formats::sd_common::build::{lever, step, unit_expr};
use crate::formats::sd_common::out::{Out, print};
use crate::model::def::{
    ElementDefault, ElementEquation, ElementPoints, Lookup, LookupMode, Text, Variable,
    VariableKind,
};

impl Builder<'_, '_> {
    /// A subscripted variable: a lever when all its records are numbers,
    /// a stock when all are `INTEG`, a lookup when all are points, else an
    /// auxiliary (numbers and equations mixed).
    pub(super) fn arrayed(&mut self, e: &Entry) -> Result<(), Raw> {
        self.no_active_initial(e)?;
        let parts: Vec<shapes::Record> = e.parts.iter().map(|p| (p.subs, p.except, p.at)).collect();
        let shape = shapes::shape(self.text, self.ranges, &e.name, &parts)?;
        let dims: Vec<String> = shape
            .dims
            .iter()
            .map(|&d| self.ranges.dims[d].id.clone())
            .collect();
        let all = |f: fn(&Kind) -> bool| e.parts.iter().all(|p| f(&p.kind));
        if lever_parts(&e.parts) {
            return self.arrayed_lever(e, &shape, dims);
        }
        if all(|k| matches!(k, Kind::Lookup(_))) {
            return self.arrayed_lookup(e, &shape, dims);
        }
        if all(|k| matches!(k, Kind::Stock(..))) {
            return self.arrayed_stock(e, &shape, dims);
        }
        let mut eqs = Vec::new();
        for (k, p) in e.parts.iter().enumerate() {
            eqs.push(self.element_equation(e, &shape, k, p)?);
        }
        let mut v = self.variable(e, &e.id, aux(eqs[shape.base].clone()), dims);
        v.by_element = others(e, &shape, &eqs, |at, equation| ElementEquation {
            at,
            equation,
            ..Default::default()
        })?;
        self.model.variables.push(v);
        Ok(())
    }

    /// Refuses a subscripted variable that reads one given by `ACTIVE
    /// INITIAL`: its initial value would need that variable's initial
    /// equation, which only scalars are given.
    fn no_active_initial(&self, e: &Entry) -> Result<(), Raw> {
        let s = self.scope;
        for p in &e.parts {
            let mut names = Vec::new();
            for x in exprs(&p.kind) {
                refs(x, &mut names);
            }
            if let Some(n) = names
                .iter()
                .find(|n| s.active.contains_key(*n) || s.tainted.contains(*n))
            {
                return Err(Raw::unsupported(
                    p.at,
                    format!(
                        "a subscripted variable reading `{n}`, which depends on ACTIVE \
                         INITIAL, is not supported"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// One record's equation in an arrayed auxiliary.
    fn element_equation(
        &mut self,
        e: &Entry,
        shape: &Shape,
        k: usize,
        p: &Part,
    ) -> Result<String, Raw> {
        match p.kind {
            Kind::Const(v) => Ok(print(&Out::Num(v))),
            Kind::List(v, rows) => Ok(self.list(e, shape, k, p, v, rows)?.join(", ")),
            Kind::Aux(x) => self.translate(e, x, false),
            Kind::Stock(..) => Err(Raw::unsupported(
                p.at,
                "a variable that is a stock (INTEG) for some elements and not for others is \
                 not supported",
            )),
            Kind::Lookup(_) => Err(Raw::invalid(
                p.at,
                "a lookup's elements are all lookups: this one is given an equation elsewhere",
            )),
            // Each record's points a lookup of their own.
            Kind::WithLookup(x, points) => {
                let table = self.ids.assign(&format!("{} lookup", e.key));
                self.with_lookup(e, &table, x, points)
            }
            Kind::Active(..) => Err(Raw::unsupported(
                p.at,
                "`ACTIVE INITIAL` on subscripted variables is not supported yet",
            )),
            Kind::Data(points, mode) => {
                let table = self.ids.assign(&format!("{} lookup", e.key));
                Ok(self.series(&table, points, mode))
            }
        }
    }

    /// A record's list of numbers, checked against its elements: with
    /// `;`, Vensim's rows run over the last subscript that is a range (as
    /// many numbers in each as it has elements), one row per element of
    /// the others.
    fn list(
        &self,
        e: &Entry,
        shape: &Shape,
        k: usize,
        p: &Part,
        v: &[f64],
        rows: Option<&[usize]>,
    ) -> Result<Vec<String>, Raw> {
        let n = shape.cells[k].len();
        if v.len() != n {
            return Err(Raw::invalid(
                p.at,
                format!(
                    "`{}` is given {} number{} here for {n} elements",
                    name_label(&e.name),
                    v.len(),
                    if v.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        if let Some(rows) = rows {
            let sizes = &shape.sizes[k];
            let last = sizes.last().copied().unwrap_or(1);
            let want = n / last.max(1);
            if let Some(&r) = rows.iter().find(|&&r| r != last) {
                return Err(Raw::invalid(
                    p.at,
                    format!(
                        "a row of `{}`'s list has {r} numbers here; its rows run over its last \
                         range subscript, which has {last} elements",
                        name_label(&e.name)
                    ),
                ));
            }
            if rows.len() != want {
                return Err(Raw::invalid(
                    p.at,
                    format!(
                        "`{}` is given {} rows here for {want} (one per element of the \
                         range subscripts before the last)",
                        name_label(&e.name),
                        rows.len()
                    ),
                ));
            }
        }
        if !shape.in_order(k) {
            return Err(Raw::unsupported(
                p.at,
                "a list of numbers over a range whose elements are not in its root's order \
                 is not supported",
            ));
        }
        Ok(v.iter().map(|&x| print(&Out::Num(x))).collect())
    }

    /// Numbers for every element: one lever over the dimensions, its
    /// default the first element's, the others in `by_element`, its range
    /// holding every element's.
    fn arrayed_lever(&mut self, e: &Entry, shape: &Shape, dims: Vec<String>) -> Result<(), Raw> {
        let mut values: Vec<(String, f64)> = Vec::new();
        for (k, p) in e.parts.iter().enumerate() {
            let v: Vec<f64> = match p.kind {
                Kind::Const(v) => vec![v; shape.cells[k].len()],
                Kind::List(v, rows) => {
                    self.list(e, shape, k, p, v, rows)?;
                    v.to_vec()
                }
                _ => unreachable!("a lever's records are numbers"),
            };
            for (cell, x) in shape.cells[k].iter().zip(v) {
                values.push((shape.at(self.ranges, cell), x));
            }
        }
        let unit = Text::new(e.units.clone(), e.units.clone());
        let first = values[0].1;
        let mut l = lever(
            &e.id,
            &name_label(&e.name),
            unit.clone(),
            describe(e),
            first,
            e.range,
        );
        for (_, x) in &values {
            let one = lever(&e.id, "", unit.clone(), Text::default(), *x, e.range);
            l.min = l.min.min(one.min);
            l.max = l.max.max(one.max);
        }
        l.step = step(l.max - l.min);
        l.dimensions = dims;
        l.by_element = values
            .into_iter()
            .filter(|(_, x)| *x != first)
            .map(|(at, default)| ElementDefault {
                at,
                default,
                prior: None,
            })
            .collect();
        self.model.levers.push(l);
        Ok(())
    }

    /// Points for every element: one lookup over the dimensions.
    fn arrayed_lookup(&mut self, e: &Entry, shape: &Shape, dims: Vec<String>) -> Result<(), Raw> {
        fn points<'e>(p: &Part<'e>) -> &'e [(f64, f64)] {
            match p.kind {
                Kind::Lookup(points) => points,
                _ => unreachable!("a lookup's records are points"),
            }
        }
        let sizes: Vec<usize> = e
            .parts
            .iter()
            .map(|p| std::mem::size_of_val(points(p)))
            .collect();
        expansion(e, shape, &sizes)?;
        let mut by_element = Vec::new();
        for (k, (p, ats)) in e.parts.iter().zip(&shape.ats).enumerate() {
            if k == shape.base {
                continue;
            }
            by_element.extend(ats.iter().map(|at| ElementPoints {
                at: at.clone(),
                points: points(p).to_vec(),
            }));
        }
        self.model.lookups.push(Lookup {
            id: e.id.clone(),
            points: points(&e.parts[shape.base]).to_vec(),
            description: describe(e),
            mode: LookupMode::Continuous,
            unit_expr: unit_expr(&e.units),
            input_unit_expr: String::new(),
            dimensions: dims,
            by_element,
        });
        Ok(())
    }

    /// `INTEG` records for every element: a stock over the dimensions by
    /// one arrayed flow, its rate (each record's own), as Vensim's Euler
    /// adds `dt * rate(t)`.
    fn arrayed_stock(&mut self, e: &Entry, shape: &Shape, dims: Vec<String>) -> Result<(), Raw> {
        let mut inits = Vec::new();
        let mut rates = Vec::new();
        for p in &e.parts {
            let Kind::Stock(rate, init) = p.kind else {
                unreachable!("a stock's records are INTEG");
            };
            inits.push(self.translate(e, init, true)?);
            rates.push(self.translate(e, rate, false)?);
        }
        let r = e.extra.clone().expect("a rate id");
        let base = shape.base;
        let kind = VariableKind::stock_with_flows(inits[base].clone(), &[r.as_str()], &[], false);
        let mut v = self.variable(e, &e.id, kind, dims.clone());
        v.by_element = others(e, shape, &inits, |at, initial| ElementEquation {
            at,
            initial,
            ..Default::default()
        })?;
        self.model.variables.push(v);
        let l = format!("{} (rate)", name_label(&e.name));
        let mut rate = self.variable(e, &r, aux(rates[base].clone()), dims);
        rate.label = Text::new(l.clone(), l);
        rate.unit = Text::default();
        rate.unit_expr = String::new();
        rate.description = Text::new(
            "Le taux de variation du stock.",
            "The stock's rate of change.",
        );
        rate.by_element = others(e, shape, &rates, |at, equation| ElementEquation {
            at,
            equation,
            ..Default::default()
        })?;
        self.model.variables.push(rate);
        Ok(())
    }

    fn variable(&self, e: &Entry, id: &str, kind: VariableKind, dims: Vec<String>) -> Variable {
        let l = name_label(&e.name);
        Variable {
            id: id.to_string(),
            label: Text::new(l.clone(), l),
            unit: Text::new(e.units.clone(), e.units.clone()),
            unit_expr: unit_expr(&e.units),
            dimensions: dims,
            by_element: Vec::new(),
            kind,
            description: describe(e),
        }
    }
}

/// The most bytes of equations (or points) copied to the elements of
/// records with `:EXCEPT:` that are not their variable's base.
pub const MAX_EXPANDED_BYTES: usize = 64 << 20;

/// The `by_element` entries of every record but the base.
fn others(
    e: &Entry,
    shape: &Shape,
    texts: &[String],
    f: impl Fn(String, String) -> ElementEquation,
) -> Result<Vec<ElementEquation>, Raw> {
    let sizes: Vec<usize> = texts.iter().map(String::len).collect();
    expansion(e, shape, &sizes)?;
    Ok(texts
        .iter()
        .zip(&shape.ats)
        .enumerate()
        .filter(|(k, _)| *k != shape.base)
        .flat_map(|(_, (t, ats))| ats.iter().map(|at| f(at.clone(), t.clone())))
        .collect())
}

/// Refuses copying records of `bytes` each to their elements past
/// [`MAX_EXPANDED_BYTES`] in all.
fn expansion(e: &Entry, shape: &Shape, bytes: &[usize]) -> Result<(), Raw> {
    let mut total = 0usize;
    for (k, (ats, b)) in shape.ats.iter().zip(bytes).enumerate() {
        if k == shape.base || ats.len() < 2 {
            continue;
        }
        total = total.saturating_add(ats.len().saturating_mul(*b));
        if total > MAX_EXPANDED_BYTES {
            return Err(Raw::unsupported(
                e.parts[k].at,
                format!(
                    "`{}` has several `:EXCEPT:` records: copying this one's equation to \
                     each of its {} elements would take more than {} MB; not supported",
                    name_label(&e.name),
                    ats.len(),
                    MAX_EXPANDED_BYTES >> 20
                ),
            ));
        }
    }
    Ok(())
}
