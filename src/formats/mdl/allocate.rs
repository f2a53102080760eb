//! Vensim's `ALLOCATE BY PRIORITY(request[…, d], priority[…, d], size,
//! width, supply)`, written in closed form. Each requester `i` of the
//! last range `d` is served as a rectangular demand curve: at a level
//! `x` it takes `request_i * clamp((priority_i - x) / width, 0, 1)`, and
//! `x` is where those takings add up to the supply. That is PySD's
//! `allocate_by_priority` (the highest priority served first, the next
//! starting once the first has `(p1 - p2) / width` of its request, every
//! requester served in proportion to its request, none beyond it), as
//! the sum is piecewise linear in `x`, with its corners at each
//! `priority_i` and `priority_i - width`. Among the corners, `lo` is the
//! highest whose sum reaches the supply, `hi` the lowest whose sum does
//! not; the sum is linear between them, so the level is their
//! interpolation, exactly.
//!
//! A supply of at least the requests' sum fills every request; a supply
//! of 0 or less gives nothing. Vensim stops the run on a width of 0 or
//! less or a negative request; we cannot, and leave that to the model.
//!
//! `ALLOCATE AVAILABLE(request[…, d], profile[…, d, ptype], supply)` has
//! no closed form (its normal and exponential curves): each element is
//! our `allocate_available` (`model/expr/allocation.rs`), given the
//! element's own request and profile, then every requester's, the
//! profile's type, priority and width read from the element the call
//! names (`ptype`) and the two after it, as Vensim reads them.

use super::mapping::read_ranges;
use super::parse::{Expr, Node, SubRef, tree};
use super::ranges::Subscript;
use super::select::within;
use super::translate::Tr;
use super::{Raw, canonical};
use crate::formats::sd_common::out::{Op, Out};

type R = Result<Out, Raw>;

fn bin(op: Op, a: Out, b: Out) -> Out {
    Out::Bin(op, Box::new(a), Box::new(b))
}

fn iff(c: Out, a: Out, b: Out) -> Out {
    Out::If(Box::new(c), Box::new(a), Box::new(b))
}

fn call(f: &str, args: Vec<Out>) -> Out {
    Out::Call(f.to_string(), args)
}

fn inf() -> Out {
    bin(Op::Div, Out::Num(1.0), Out::Num(0.0))
}

const NAME: &str = "ALLOCATE BY PRIORITY";

/// About how many times the level's equation copies each argument.
const COPIES: usize = 24;

/// The most requesters one call allocates among.
const MAX_REQUESTERS: usize = 64;

/// One call, translated: each requester's request and priority, the
/// width and the supply, and the priority again with `d` reduced (`!`).
struct Call {
    requests: Vec<Out>,
    priorities: Vec<Out>,
    width: Out,
    supply: Out,
    each_priority: Out,
}

impl Call {
    /// What the requesters take at level `x`, in all.
    fn taken(&self, x: &Out) -> Out {
        let terms = self.requests.iter().zip(&self.priorities).map(|(r, p)| {
            let share = bin(
                Op::Div,
                bin(Op::Sub, p.clone(), x.clone()),
                self.width.clone(),
            );
            let share = call("clamp", vec![share, Out::Num(0.0), Out::Num(1.0)]);
            bin(Op::Mul, r.clone(), share)
        });
        sum(terms)
    }

    /// The two corners of each requester: its priority, and its priority
    /// less the width (`d` reduced).
    fn corners(&self) -> [Out; 2] {
        let p = self.each_priority.clone();
        [p.clone(), bin(Op::Sub, p, self.width.clone())]
    }

    /// The reduction `f` over the corners of `pick(corner, taken there)`,
    /// `neutral` where `reaches` (the sum there reaches the supply) is not
    /// what is asked.
    fn over(&self, f: &str, reaches: bool, pick: fn(Out, Out) -> Out, neutral: fn() -> Out) -> Out {
        let parts = self.corners().map(|c| {
            let t = self.taken(&c);
            let cmp = if reaches { ">=" } else { "<" };
            let test = bin(Op::Cmp(cmp), t.clone(), self.supply.clone());
            call(f, vec![iff(test, pick(c, t), neutral())])
        });
        let [a, b] = parts;
        call(f, vec![a, b])
    }

    /// The level at which the takings add up to the supply.
    fn level(&self) -> Out {
        let neg_inf = || Out::Neg(Box::new(inf()));
        let lo = self.over("max", true, |c, _| c, neg_inf);
        let at_lo = self.over("min", true, |_, t| t, inf);
        let hi = self.over("min", false, |c, _| c, inf);
        let at_hi = self.over("max", false, |_, t| t, neg_inf);
        let run = bin(Op::Sub, hi, lo.clone());
        let rise = bin(Op::Sub, at_lo.clone(), at_hi);
        let over = bin(Op::Sub, at_lo, self.supply.clone());
        bin(Op::Add, lo, bin(Op::Div, bin(Op::Mul, over, run), rise))
    }
}

/// `terms` added.
fn sum(terms: impl Iterator<Item = Out>) -> Out {
    terms
        .reduce(|a, b| bin(Op::Add, a, b))
        .unwrap_or(Out::Num(0.0))
}

impl Tr<'_, '_> {
    /// `ALLOCATE BY PRIORITY`'s call, in our language.
    pub(super) fn allocate_by_priority(&mut self, args: &[Expr], e: &Expr) -> R {
        let [request, priority, size, width, supply] = args else {
            return Err(Raw::invalid(
                e.span.0,
                format!(
                    "`ALLOCATE BY PRIORITY` takes 5 arguments, not {}",
                    args.len()
                ),
            ));
        };
        let d = self.allocation_range(NAME, request, priority, 1)?;
        self.not_over(NAME, d, &[width, supply])?;
        let n = self.scope.ranges.places[d].len();
        self.check_size(size, d, n)?;
        let mut c = Call {
            requests: Vec::with_capacity(n),
            priorities: Vec::with_capacity(n),
            width: self.tr(width)?,
            supply: self.tr(supply)?,
            each_priority: self.tr(&last_as(priority, None)?)?,
        };
        for k in 0..n {
            let el = self.scope.ranges.element_key(d, k).to_string();
            c.requests.push(self.tr(&last_as(request, Some(&el))?)?);
            c.priorities.push(self.tr(&last_as(priority, Some(&el))?)?);
        }
        let mut args: Vec<&Out> = vec![&c.supply, &c.each_priority];
        args.extend(c.requests.iter().chain(&c.priorities));
        args.extend(std::iter::repeat_n(&c.width, n));
        within(&args, COPIES, NAME, e.span.0)?;
        let (r, p) = (self.tr(request)?, self.tr(priority)?);
        let share = bin(Op::Div, bin(Op::Sub, p, c.level()), c.width.clone());
        let share = call("clamp", vec![share, Out::Num(0.0), Out::Num(1.0)]);
        let all = sum(c.requests.iter().cloned());
        let served = iff(
            bin(Op::Cmp("<="), c.supply.clone(), Out::Num(0.0)),
            Out::Num(0.0),
            bin(Op::Mul, r.clone(), share),
        );
        let out = iff(bin(Op::Cmp(">="), c.supply.clone(), all), r, served);
        within(&[&out], 1, NAME, e.span.0)?;
        Ok(out)
    }

    /// The range `name` allocates among: the last subscript of the request,
    /// and the `from_end`-th from the end of the priority (1 the last), a
    /// range of the variable's own.
    fn allocation_range(
        &self,
        name: &str,
        request: &Expr,
        priority: &Expr,
        from_end: usize,
    ) -> Result<usize, Raw> {
        let ranges = self.scope.ranges;
        let range_at = |x: &Expr, from_end: usize| match &x.node {
            Node::Sub { subs, .. } => subs.len().checked_sub(from_end).and_then(|i| {
                match ranges.subscript(&subs[i].name) {
                    Some(Subscript::Range(d)) if !subs[i].bang => Some(d),
                    _ => None,
                }
            }),
            _ => None,
        };
        let (Some(d), Some(dp)) = (range_at(request, 1), range_at(priority, from_end)) else {
            return Err(Raw::unsupported(
                request.span.0,
                format!(
                    "`{name}` reads a request whose last subscript is the range allocated \
                     among, and a priority with that range {}",
                    if from_end == 1 {
                        "last"
                    } else {
                        "before its profile"
                    }
                ),
            ));
        };
        if d != dp {
            return Err(Raw::invalid(
                priority.span.0,
                format!("`{name}`'s request and priority allocate among the same range"),
            ));
        }
        if ranges.places[d].len() > MAX_REQUESTERS {
            return Err(Raw::unsupported(
                request.span.0,
                format!("`{name}` among more than {MAX_REQUESTERS} requesters"),
            ));
        }
        Ok(d)
    }

    /// Refuses a width or a supply that follows the range allocated among
    /// (Vensim gives one per row of requesters).
    fn not_over(&self, name: &str, d: usize, args: &[&Expr]) -> Result<(), Raw> {
        let ranges = self.scope.ranges;
        for a in args {
            let mut read = Vec::new();
            read_ranges(a, ranges, &mut read);
            if read.contains(&d) {
                return Err(Raw::invalid(
                    a.span.0,
                    format!(
                        "`{name}`'s {} one per row of requesters: {} not follow `{}`",
                        if args.len() == 1 {
                            "supply is"
                        } else {
                            "width and supply are"
                        },
                        if args.len() == 1 {
                            "it does"
                        } else {
                            "they do"
                        },
                        ranges.dims[d].id
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The size argument: the number of elements of `d`.
    fn check_size(&self, size: &Expr, d: usize, n: usize) -> Result<(), Raw> {
        let given = match &size.node {
            Node::Num(v) => Some(*v),
            Node::Call { name, args, .. } if canonical(name) == "elmcount" => match args.as_slice()
            {
                [
                    Expr {
                        node: Node::Name(r),
                        ..
                    },
                ] => match self.scope.ranges.subscript(r) {
                    Some(Subscript::Range(x)) => Some(self.scope.ranges.places[x].len() as f64),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        match given {
            Some(v) if v == n as f64 => Ok(()),
            _ => Err(Raw::invalid(
                size.span.0,
                format!(
                    "`ALLOCATE BY PRIORITY`'s size is the number of elements of `{}`, {n}",
                    self.scope.ranges.dims[d].id
                ),
            )),
        }
    }
}

/// `x[…, d]` with its last subscript the element `el`, or reduced (`d!`)
/// when `el` is `None`.
fn last_as(x: &Expr, el: Option<&str>) -> Result<Expr, Raw> {
    with_subs(x, |subs| {
        if let Some(s) = subs.last_mut() {
            match el {
                Some(el) => s.name = el.to_string(),
                None => s.bang = true,
            }
        }
    })
}

/// `x[…]` with its subscripts changed by `change`.
fn with_subs(x: &Expr, change: impl FnOnce(&mut Vec<SubRef>)) -> Result<Expr, Raw> {
    let Node::Sub { name, subs } = &x.node else {
        return Err(Raw::unsupported(
            x.span.0,
            "Vensim's allocation functions read subscripted variables",
        ));
    };
    let mut subs: Vec<SubRef> = subs.clone();
    change(&mut subs);
    tree(
        Node::Sub {
            name: name.clone(),
            subs,
        },
        x.span,
    )
}

const AVAILABLE: &str = "ALLOCATE AVAILABLE";

impl Tr<'_, '_> {
    /// `ALLOCATE AVAILABLE(request[…, d], profile[…, d, ptype], supply)`:
    /// our `allocate_available` with the element's own requester, then
    /// each requester of `d`.
    pub(super) fn allocate_available(&mut self, args: &[Expr], e: &Expr) -> R {
        let [request, profile, supply] = args else {
            return Err(Raw::invalid(
                e.span.0,
                format!("`{AVAILABLE}` takes 3 arguments, not {}", args.len()),
            ));
        };
        let d = self.allocation_range(AVAILABLE, request, profile, 2)?;
        self.not_over(AVAILABLE, d, &[supply])?;
        let fields = self.profile_fields(profile)?;
        let mut out = vec![self.tr(supply)?];
        out.extend(self.requester(request, profile, &fields, None)?);
        for k in 0..self.scope.ranges.places[d].len() {
            let el = self.scope.ranges.element_key(d, k).to_string();
            out.extend(self.requester(request, profile, &fields, Some(&el))?);
        }
        let out = call("allocate_available", out);
        within(&[&out], 1, AVAILABLE, e.span.0)?;
        Ok(out)
    }

    /// The profile's elements holding the type, the priority and the width:
    /// the one the call names (`ptype`) and the two after it in its range.
    fn profile_fields(&self, profile: &Expr) -> Result<[String; 3], Raw> {
        let ranges = self.scope.ranges;
        let last = match &profile.node {
            Node::Sub { subs, .. } => subs.last().filter(|s| !s.bang),
            _ => None,
        };
        let first = last.and_then(|s| match ranges.subscript(&s.name) {
            Some(Subscript::Element(root, k)) => Some((root, k)),
            Some(Subscript::Range(r)) => Some((r, 0)),
            None => None,
        });
        let fields = first
            .filter(|&(r, k)| k + 3 <= ranges.places[r].len())
            .map(|(r, k)| [0, 1, 2].map(|j| ranges.element_key(r, k + j).to_string()));
        fields.ok_or_else(|| {
            Raw::invalid(
                profile.span.0,
                format!(
                    "`{AVAILABLE}`'s priority ends with its profile's element for the type \
                     (`ptype`), followed in its range by the priority's and the width's"
                ),
            )
        })
    }

    /// One requester's arguments (type, request, priority, width): element
    /// `el` of the range allocated among, or the element being defined's
    /// (`None`).
    fn requester(
        &mut self,
        request: &Expr,
        profile: &Expr,
        fields: &[String; 3],
        el: Option<&str>,
    ) -> Result<[Out; 4], Raw> {
        let field = |f: &str| {
            with_subs(profile, |subs| {
                if let [.., before, last] = subs.as_mut_slice() {
                    last.name = f.to_string();
                    if let Some(el) = el {
                        before.name = el.to_string();
                    }
                }
            })
        };
        let request = match el {
            Some(_) => last_as(request, el)?,
            None => request.clone(),
        };
        Ok([
            self.tr(&field(&fields[0])?)?,
            self.tr(&request)?,
            self.tr(&field(&fields[1])?)?,
            self.tr(&field(&fields[2])?)?,
        ])
    }
}

#[cfg(test)]
mod tests {
    use crate::formats::mdl::{MdlErrorKind, read};
    use crate::model::CompiledModel;
    use crate::model::expr::{self, allocation};

    fn doc(equations: &str) -> String {
        format!(
            "{{UTF-8}}\n{equations}\n\
             ********************************************************\n\t.Control\n\
             ********************************************************~\n\t\tSimulation Control Parameters\n\t|\n\n\
             FINAL TIME  = 40\n\t~\tMonth\n\t~\t|\n\n\
             INITIAL TIME  = 0\n\t~\tMonth\n\t~\t|\n\n\
             SAVEPER  = \n        TIME STEP\n\t~\tMonth [0,?]\n\t~\t|\n\n\
             TIME STEP  = 4\n\t~\tMonth [0,?]\n\t~\t|\n"
        )
    }

    /// Three requesters of each type, the supply rising with time; `b`
    /// asks for nothing.
    const MODEL: &str = "d: a, b, c, e ~~|\n\
        pprofile: ptype, ppriority, pwidth, pextra ~~|\n\
        kind: rect, tri, normal, expo ~~|\n\
        request[d] = 500, 0, 300, 750 ~~|\n\
        pp[kind, d, pprofile] = 1, 5, 2, 0; 1, 5, 9, 0; 1, 7, 4, 0; 1, 3, 4, 0;\
            2, 5, 2, 0; 2, 5, 9, 0; 2, 7, 4, 0; 2, 3, 4, 0;\
            3, 5, 2, 0; 3, 5, 9, 0; 3, 7, 4, 0; 3, 3, 4, 0;\
            4, 5, 2, 0; 4, 5, 9, 0; 4, 7, 4, 0; 4, 3, 4, 0; ~~|\n\
        supply = 40 * Time ~~|\n\
        served[kind, d] = ALLOCATE AVAILABLE(request[d], pp[kind, d, ptype], supply) ~~|\n";

    fn run(m: &CompiledModel, id: &str) -> Vec<f64> {
        let run = m.run(&m.default_levers());
        run.series(m.var_index(id).unwrap_or_else(|| panic!("no `{id}`")))
            .to_vec()
    }

    #[test]
    fn each_element_is_its_allocation_as_the_tree_computes_it() {
        let m = read(&doc(MODEL), "t").unwrap().compile(None).unwrap();
        let requests = [500.0, 0.0, 300.0, 750.0];
        let priorities = [5.0, 5.0, 7.0, 3.0];
        let widths = [2.0, 9.0, 4.0, 4.0];
        for (k, kind) in ["rect", "tri", "normal", "expo"].iter().enumerate() {
            let t = (k + 1) as f64;
            let group =
                |i: usize| format!("{t}, {}, {}, {}", requests[i], priorities[i], widths[i]);
            let all: Vec<String> = (0..4).map(group).collect();
            let served: Vec<Vec<f64>> = ["a", "b", "c", "e"]
                .iter()
                .map(|e| run(&m, &format!("served[{kind},{e}]")))
                .collect();
            for step in 0..=10 {
                let supply = 40.0 * 4.0 * step as f64;
                let mut sum = 0.0;
                for (i, s) in served.iter().enumerate() {
                    let call = format!(
                        "allocate_available({supply}, {}, {})",
                        group(i),
                        all.join(", ")
                    );
                    let tree = expr::eval_tree(
                        &expr::parse(&call).unwrap(),
                        (0.0, 1.0),
                        &|n| panic!("{n}"),
                        &|f, _| panic!("{f}"),
                    );
                    assert_eq!(s[step].to_bits(), tree.to_bits(), "{call}");
                    sum += s[step];
                }
                assert!(
                    (sum - supply.min(1550.0)).abs() < 1e-9,
                    "{kind} {supply}: {sum}"
                );
                assert_eq!(served[1][step], 0.0);
            }
        }
        // The level at a supply of 800 among the rectangular requesters.
        let r = |i: usize| allocation::Requester {
            ptype: 1.0,
            request: requests[i],
            priority: priorities[i],
            width: widths[i],
        };
        let level = allocation::level(800.0, 4, r);
        assert_eq!(run(&m, "served[rect,a]")[5], r(0).served(level));
    }

    #[test]
    fn every_lane_of_a_batch_allocates_as_a_single_run() {
        let m = read(&doc(MODEL), "t").unwrap().compile(None).unwrap();
        let levers = m.default_levers();
        let single = m.run(&levers);
        // Nine lanes: a full batch and one more.
        let batch = m.run_batch(&[&levers[..]; 9]);
        for v in 0..m.n_vars() {
            for lane in &batch {
                let same = lane.series(v).iter().zip(single.series(v));
                assert!(
                    same.into_iter().all(|(a, b)| a.to_bits() == b.to_bits()),
                    "{v}"
                );
            }
        }
    }

    /// (The supply reads `Time`, so the supply and the requests are in
    /// months here.)
    #[test]
    fn requests_in_the_supply_s_unit_and_dimensionless_profiles_check() {
        let with_units = MODEL
            .replace(
                "request[d] = 500, 0, 300, 750 ~~|",
                "request[d] = 500, 0, 300, 750 ~ Month ~|",
            )
            .replace("supply = 40 * Time ~~|", "supply = 40 * Time ~ Month ~|")
            .replace("4, 3, 4, 0; ~~|", "4, 3, 4, 0; ~ Dmnl ~|")
            .replace("supply) ~~|", "supply) ~ Month ~|");
        let m = read(&doc(&with_units), "t").unwrap().compile(None).unwrap();
        assert!(m.warnings().is_empty(), "{:?}", m.warnings());
    }

    #[test]
    fn calls_it_cannot_read_are_refused_where_they_are() {
        let cases = [
            (
                "ALLOCATE AVAILABLE(request[d], pp[kind, d, ptype])",
                "3 arguments",
                MdlErrorKind::Invalid,
            ),
            (
                "ALLOCATE AVAILABLE(request[d], pp[kind, d, pextra], supply)",
                "profile",
                MdlErrorKind::Invalid,
            ),
            (
                "ALLOCATE AVAILABLE(request[a], pp[kind, d, ptype], supply)",
                "last subscript",
                MdlErrorKind::Unsupported,
            ),
            (
                "ALLOCATE AVAILABLE(request[d], pp[kind, ptype, d], supply)",
                "last subscript",
                MdlErrorKind::Unsupported,
            ),
            (
                "ALLOCATE AVAILABLE(request[d], pp[kind, d, ptype], request[d])",
                "one per row",
                MdlErrorKind::Invalid,
            ),
        ];
        let original = "ALLOCATE AVAILABLE(request[d], pp[kind, d, ptype], supply)";
        for (call, what, kind) in cases {
            let text = doc(&MODEL.replace(original, call));
            let e = read(&text, "t").map(|_| ()).expect_err(call);
            assert_eq!(e.kind, kind, "{call}: {e}");
            assert!(e.message.contains(what), "{call}: {e}");
            assert_eq!(e.pos.line, 8, "{call}: {e}");
        }
    }
}
