//! Vensim's macros, written out where they are called.
//!
//! `:MACRO: NAME(in1, in2 : out2, out3)`, the body's records, then
//! `:END OF MACRO:`. The macro's value is its body's `NAME`; its further
//! outputs (after the header's `:`) go to the variables a call names after
//! its own `:` (`x = NAME(a, b : y, z)`). Every call is a copy of its own:
//! its stocks, smooths and delays apart from every other call's. Inside the
//! body the names are the macro's own, but its inputs (the call's
//! arguments) and the control section's (`Time`, `TIME STEP`…).
//!
//! A call in the equation of `x` becomes ordinary records: an auxiliary
//! `x.NAME.in1` holding each argument, a copy `x.NAME.v` of each record
//! `v` of the body (a second call of `NAME` in the same equation is
//! `x.NAME 2.v`), `y = x.NAME.out2` for each output named, and the call
//! itself the name `x.NAME.NAME`. A macro may call another, and be
//! defined after its use. What has no faithful writing out is refused
//! where it is: a macro calling itself, subscripts inside a macro or a
//! call in a subscripted equation, a body reading a model variable other
//! than through an input.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::lex::{Tok, Token, lex};
use super::parse::{self, Equation, Expr, Node, Rhs, walk};
use super::records::{self, Record, Span};
use super::{Raw, canonical};
use crate::model::compile::arrays::MAX_FLAT_VARIABLES;

/// The control section's names, which a macro's body reads as the model's.
const SHARED: [&str; 5] = ["time", "time step", "initial time", "final time", "saveper"];

const OPEN: &str = ":MACRO:";
const CLOSE: &str = ":END OF MACRO:";

/// A macro's header, and which of the file's records are its body.
pub struct Def {
    name: String,
    /// Where its name is in the text.
    at: usize,
    inputs: Vec<(String, Span)>,
    outputs: Vec<(String, Span)>,
    recs: Range<usize>,
}

/// The file's records up to the sketch, the model's and the macros'
/// bodies' alike, and its macros. A macro's header and `:END OF MACRO:`
/// stand where a record would begin.
pub fn split(text: &str) -> Result<(Vec<Record>, Vec<Def>), Raw> {
    let end = records::sketch_start(text);
    let mut i = records::start(text);
    let mut recs = Vec::new();
    let mut defs = Vec::new();
    let mut open: Option<Def> = None;
    while i < end && !text[i..end].trim().is_empty() {
        i = records::skip_blanks(text, i);
        let head = &text[i..end];
        if starts_with(head, OPEN) {
            if let Some(d) = &open {
                return Err(Raw::malformed(
                    i,
                    format!(
                        "macro `{}` is not closed by `{CLOSE}` before this macro begins",
                        d.name
                    ),
                ));
            }
            let (def, next) = header(text, i, end, recs.len())?;
            open = Some(def);
            i = next;
        } else if starts_with(head, CLOSE) {
            let Some(mut d) = open.take() else {
                return Err(Raw::malformed(i, format!("`{CLOSE}` closes no macro")));
            };
            d.recs.end = recs.len();
            defs.push(d);
            i += CLOSE.len();
        } else {
            let (r, next) = records::record(text, i, end)?;
            recs.push(r);
            i = next;
        }
    }
    match open {
        Some(d) => Err(Raw::malformed(
            d.at,
            format!("macro `{}` is never closed by `{CLOSE}`", d.name),
        )),
        None => Ok((recs, defs)),
    }
}

fn starts_with(s: &str, word: &str) -> bool {
    s.get(..word.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(word))
}

/// `:MACRO: NAME(in1, in2 : out2)` at `at`, its body's records from
/// `first`; and where the body starts.
fn header(text: &str, at: usize, end: usize, first: usize) -> Result<(Def, usize), Raw> {
    let close = header_end(text, at, end).ok_or_else(|| {
        Raw::malformed(
            at,
            "a macro's header `:MACRO: NAME(inputs)` is not closed by `)`",
        )
    })?;
    let toks = lex(text, (at, close))?;
    let bad = |t: &Token, what: &str| {
        Raw::malformed(
            t.span.0,
            format!(
                "expected {what} in the macro's header, found {}",
                t.tok.describe()
            ),
        )
    };
    let Tok::Name(name) = &toks[1].tok else {
        return Err(bad(&toks[1], "its name"));
    };
    if toks[2].tok != Tok::LParen {
        return Err(bad(&toks[2], "`(`"));
    }
    let (mut inputs, mut outputs) = (Vec::new(), Vec::new());
    // After `(`, `,` and `:`, a name; after a name, `,`, `:` or `)`.
    let (mut k, mut after_colon) = (3, false);
    loop {
        let named = matches!(toks[k - 1].tok, Tok::Name(_));
        match &toks[k].tok {
            Tok::RParen if named || k == 3 => break,
            Tok::Colon if !after_colon && (named || k == 3) => after_colon = true,
            Tok::Comma if named => {}
            Tok::Name(n) if !named => {
                let list = if after_colon {
                    &mut outputs
                } else {
                    &mut inputs
                };
                list.push((n.clone(), toks[k].span));
            }
            _ => return Err(bad(&toks[k], "the name of an input or an output")),
        }
        k += 1;
    }
    let def = Def {
        name: name.clone(),
        at: toks[1].span.0,
        inputs,
        outputs,
        recs: first..first,
    };
    Ok((def, close))
}

/// Just after the `)` closing a macro's header (outside quotes), if
/// before the header's line of records ends.
fn header_end(text: &str, at: usize, end: usize) -> Option<usize> {
    let mut quoted = false;
    for (k, c) in text[at..end].char_indices() {
        match c {
            // The double quote, written by its code so that tools that
            // pair quotes by text (the function-length check) read on.
            '\u{22}' => quoted = !quoted,
            ')' if !quoted => return Some(at + k + 1),
            '~' | '|' if !quoted => return None,
            _ => {}
        }
    }
    None
}

/// A macro, read.
struct Macro {
    def: Def,
    body: Vec<(usize, Equation)>,
    /// Its body's names, canonical, as spelled: its records' and the
    /// variables its calls of other macros give outputs to.
    locals: HashMap<String, String>,
    inputs: HashMap<String, String>,
}

/// The model's equations, every call of a macro written out (the records
/// of `recs` that are macros' bodies left out); `recs` gains an empty
/// record for the equations a call makes that have none of their own.
pub fn expand(
    recs: &mut Vec<Record>,
    eqns: Vec<(usize, Equation)>,
    defs: Vec<Def>,
) -> Result<Vec<(usize, Equation)>, Raw> {
    if defs.is_empty() && !eqns.iter().any(|(_, q)| has_outputs(q)) {
        return Ok(eqns);
    }
    let (macros, main) = read_macros(eqns, defs)?;
    let globals = main.iter().map(|(_, q)| canonical(&q.name)).collect();
    let mut x = Expander {
        macros: &macros,
        globals: &globals,
        recs,
        blank: None,
        out: Vec::new(),
        stack: Vec::new(),
        count: 0,
    };
    for (i, mut q) in main {
        let Rhs::Eqn(e) = &q.rhs else {
            x.out.push((i, q));
            continue;
        };
        let Some(at) = first_call(e, &macros) else {
            x.out.push((i, q));
            continue;
        };
        if !q.subs.is_empty() {
            return Err(Raw::unsupported(
                at,
                "a macro called in a subscripted equation is not supported",
            ));
        }
        let mark = x.out.len();
        let e = x.rewrite(e, None, &q.name, &mut HashMap::new())?;
        q.rhs = Rhs::Eqn(e);
        x.out.insert(mark, (i, q));
    }
    Ok(x.out)
}

fn has_outputs(q: &Equation) -> bool {
    let Rhs::Eqn(e) = &q.rhs else { return false };
    let mut found = false;
    walk(e, &mut |x| {
        found |= matches!(&x.node, Node::Call { outputs, .. } if !outputs.is_empty());
    });
    found
}

/// Where `e` first calls a macro (or names outputs, as only a macro's
/// call does).
fn first_call(e: &Expr, macros: &HashMap<String, Macro>) -> Option<usize> {
    let mut at = None;
    walk(e, &mut |x| {
        if let Node::Call { name, outputs, .. } = &x.node
            && at.is_none()
            && (!outputs.is_empty() || macros.contains_key(&canonical(name)))
        {
            at = Some(x.span.0);
        }
    });
    at
}

/// The macros, each with its body and names checked, and the model's own
/// equations.
type Read = (HashMap<String, Macro>, Vec<(usize, Equation)>);

fn read_macros(eqns: Vec<(usize, Equation)>, defs: Vec<Def>) -> Result<Read, Raw> {
    let mut macros: Vec<Macro> = defs
        .into_iter()
        .map(|def| Macro {
            inputs: def
                .inputs
                .iter()
                .map(|(n, _)| (canonical(n), n.clone()))
                .collect(),
            def,
            body: Vec::new(),
            locals: HashMap::new(),
        })
        .collect();
    let mut main = Vec::new();
    for (i, q) in eqns {
        match macros.iter_mut().find(|m| m.def.recs.contains(&i)) {
            Some(m) => m.body.push((i, q)),
            None => main.push((i, q)),
        }
    }
    let mut out = HashMap::new();
    for mut m in macros {
        check_body(&mut m)?;
        let key = canonical(&m.def.name);
        if let Some(other) = out.insert(key, m) {
            return Err(Raw::invalid(
                other.def.at,
                format!("macro `{}` is defined twice", other.def.name),
            ));
        }
    }
    Ok((out, main))
}

/// A macro's body: scalar records only, its inputs not redefined, its
/// value and outputs defined; its local names gathered.
fn check_body(m: &mut Macro) -> Result<(), Raw> {
    let name = &m.def.name;
    for (_, q) in &m.body {
        let subscripted = !q.subs.is_empty()
            || matches!(q.rhs, Rhs::Range(..) | Rhs::Equiv(..))
            || matches!(&q.rhs, Rhs::List(v, _) if v.len() > 1);
        if subscripted {
            return Err(Raw::unsupported(
                q.name_span.0,
                format!("macro `{name}`: subscripts inside a macro are not supported"),
            ));
        }
        let key = canonical(&q.name);
        if m.inputs.contains_key(&key) {
            return Err(Raw::invalid(
                q.name_span.0,
                format!(
                    "`{}` is an input of macro `{name}`: its body cannot define it",
                    q.name
                ),
            ));
        }
        m.locals.insert(key, q.name.clone());
        if let Rhs::Eqn(e) = &q.rhs {
            walk(e, &mut |x| {
                if let Node::Call { outputs, .. } = &x.node {
                    for (n, _) in outputs {
                        m.locals.insert(canonical(n), n.clone());
                    }
                }
            });
        }
    }
    let value = std::iter::once((name, m.def.at));
    let outputs = m.def.outputs.iter().map(|(n, s)| (n, s.0));
    for (n, at) in value.chain(outputs) {
        if !m.locals.contains_key(&canonical(n)) {
            return Err(Raw::invalid(
                at,
                format!("macro `{name}` does not define `{n}`, one of its outputs"),
            ));
        }
    }
    Ok(())
}

/// Writes out macro calls into `out`.
struct Expander<'m> {
    macros: &'m HashMap<String, Macro>,
    /// The model's own names (a macro's body may not read them).
    globals: &'m HashSet<String>,
    recs: &'m mut Vec<Record>,
    /// The empty record of equations a call makes.
    blank: Option<usize>,
    out: Vec<(usize, Equation)>,
    /// The macros being written out, outermost first (against recursion).
    stack: Vec<String>,
    /// The records written out so far, against a model that grows past
    /// the limit.
    count: usize,
}

/// The macro whose body is being written out, and the prefix of its names.
struct Frame<'m> {
    mac: &'m Macro,
    prefix: String,
}

impl Expander<'_> {
    /// `e` with its macro calls written out, and in `frame` (a macro's
    /// body) its names made the call's.
    fn rewrite(
        &mut self,
        e: &Expr,
        frame: Option<&Frame>,
        caller: &str,
        calls: &mut HashMap<String, usize>,
    ) -> Result<Expr, Raw> {
        let mut sub = |x: &Expr, me: &mut Self| me.rewrite(x, frame, caller, calls).map(Box::new);
        let node = match &e.node {
            Node::Num(_) | Node::Na | Node::Table(_) => return Ok(e.clone()),
            Node::Name(n) => match frame {
                None => return Ok(e.clone()),
                Some(f) => Node::Name(self.local(f, n, e.span)?),
            },
            Node::Sub { .. } if frame.is_none() => return Ok(e.clone()),
            Node::Sub { .. } => return Err(subscripts(in_macro(frame), e.span)),
            Node::Neg(a) => Node::Neg(sub(a, self)?),
            Node::Not(a) => Node::Not(sub(a, self)?),
            Node::Binary(op, a, b) => Node::Binary(*op, sub(a, self)?, sub(b, self)?),
            Node::Call {
                name,
                subs,
                args,
                outputs,
            } => {
                let args = args
                    .iter()
                    .map(|a| self.rewrite(a, frame, caller, calls))
                    .collect::<Result<Vec<_>, _>>()?;
                let key = canonical(name);
                if let Some(m) = self.macros.get(&key) {
                    if !subs.is_empty() {
                        return Err(subscripts(&m.def.name, e.span));
                    }
                    let call = Call {
                        mac: m,
                        args,
                        outputs,
                        span: e.span,
                    };
                    return self.call(call, frame, caller, calls);
                }
                if !outputs.is_empty() {
                    return Err(Raw::invalid(
                        e.span.0,
                        format!(
                            "`{name}` is no macro of this file: only a macro's call names \
                             outputs after `:`"
                        ),
                    ));
                }
                let name = match frame {
                    None => name.clone(),
                    Some(_) if !subs.is_empty() => return Err(subscripts(in_macro(frame), e.span)),
                    Some(f) => self.local_call(f, name, e.span)?,
                };
                Node::Call {
                    name,
                    subs: subs.clone(),
                    args,
                    outputs: Vec::new(),
                }
            }
        };
        parse::tree(node, e.span)
    }

    /// A name read in a macro's body, as the call's: its own variable,
    /// an input, or the control section's.
    fn local(&self, f: &Frame, n: &str, span: Span) -> Result<String, Raw> {
        let key = canonical(n);
        if let Some(spelled) = f.mac.locals.get(&key).or_else(|| f.mac.inputs.get(&key)) {
            return Ok(joined(&f.prefix, spelled));
        }
        if SHARED.contains(&key.as_str()) {
            return Ok(n.to_string());
        }
        Err(Raw::invalid(
            span.0,
            format!(
                "macro `{}` reads `{n}`, which is neither one of its inputs nor one of its \
                 variables (a macro reads the model only through its inputs)",
                f.mac.def.name
            ),
        ))
    }

    /// A function called in a macro's body: one of its lookups, or one of
    /// Vensim's functions (not a lookup of the model, nor an input).
    fn local_call(&self, f: &Frame, n: &str, span: Span) -> Result<String, Raw> {
        let key = canonical(n);
        if let Some(spelled) = f.mac.locals.get(&key) {
            return Ok(joined(&f.prefix, spelled));
        }
        if f.mac.inputs.contains_key(&key) || self.globals.contains(&key) {
            return Err(Raw::unsupported(
                span.0,
                format!(
                    "macro `{}` calls `{n}`, which is not one of its own lookups: a lookup \
                     passed to a macro or read from the model is not supported",
                    f.mac.def.name
                ),
            ));
        }
        Ok(n.to_string())
    }

    /// One call written out: the inputs, a copy of the body, the outputs;
    /// the call itself the name of the copy's value.
    fn call(
        &mut self,
        c: Call,
        frame: Option<&Frame>,
        caller: &str,
        calls: &mut HashMap<String, usize>,
    ) -> Result<Expr, Raw> {
        let Call {
            mac: m,
            args,
            outputs,
            span,
        } = c;
        let key = canonical(&m.def.name);
        self.enter(m, &key, args.len(), outputs.len(), span)?;
        let n = calls.entry(key.clone()).or_insert(0);
        *n += 1;
        let prefix = match *n {
            1 => joined(caller, &m.def.name),
            n => format!("{} {n}", joined(caller, &m.def.name)),
        };
        for ((input, at), arg) in m.def.inputs.iter().zip(args) {
            self.push_new(joined(&prefix, input), at.0, Rhs::Eqn(arg));
        }
        self.stack.push(key);
        let inner = Frame { mac: m, prefix };
        for (i, q) in &m.body {
            let name = joined(&inner.prefix, &q.name);
            let rhs = match &q.rhs {
                Rhs::Eqn(x) => {
                    Rhs::Eqn(self.rewrite(x, Some(&inner), &name, &mut HashMap::new())?)
                }
                other => other.clone(),
            };
            let q = Equation {
                name,
                name_span: q.name_span,
                subs: Vec::new(),
                except: Vec::new(),
                rhs,
            };
            self.out.push((*i, q));
        }
        self.stack.pop();
        for ((target, at), (out, _)) in outputs.iter().zip(&m.def.outputs) {
            let target = match frame {
                Some(f) => self.local(f, target, *at)?,
                None => target.clone(),
            };
            let value = parse::tree(Node::Name(joined(&inner.prefix, out)), *at)?;
            self.push_new(target, at.0, Rhs::Eqn(value));
        }
        parse::tree(Node::Name(joined(&inner.prefix, &m.def.name)), span)
    }

    /// Checks a call of `m` before it is written out: not within itself,
    /// its inputs and outputs counted, the model within the limit.
    fn enter(
        &mut self,
        m: &Macro,
        key: &str,
        args: usize,
        outs: usize,
        span: Span,
    ) -> Result<(), Raw> {
        let name = &m.def.name;
        if let Some(k) = self.stack.iter().position(|s| s == key) {
            let path: Vec<&str> = self.stack[k..]
                .iter()
                .map(|s| self.macros[s].def.name.as_str())
                .chain(std::iter::once(name.as_str()))
                .collect();
            return Err(Raw::unsupported(
                span.0,
                format!(
                    "macro `{name}` calls itself ({}): a recursive macro is not supported",
                    path.join(" → ")
                ),
            ));
        }
        let (ins, max_outs) = (m.def.inputs.len(), m.def.outputs.len());
        if args != ins {
            return Err(Raw::invalid(
                span.0,
                format!("macro `{name}` takes {ins} inputs, not {args}"),
            ));
        }
        if outs > max_outs {
            return Err(Raw::invalid(
                span.0,
                format!("macro `{name}` gives {max_outs} outputs after `:`, not {outs}"),
            ));
        }
        self.count = self.count.saturating_add(ins + m.body.len() + outs);
        if self.count > MAX_FLAT_VARIABLES {
            return Err(Raw::invalid(
                span.0,
                format!(
                    "the macros' calls written out make more than {MAX_FLAT_VARIABLES} \
                     variables (the limit)"
                ),
            ));
        }
        Ok(())
    }

    /// An equation a call makes, with an empty record (no units, no
    /// comment); its name at `at`.
    fn push_new(&mut self, name: String, at: usize, rhs: Rhs) {
        let blank = *self.blank.get_or_insert_with(|| {
            self.recs.push(Record {
                eqn: (0, 0),
                units: (0, 0),
                comment: (0, 0),
            });
            self.recs.len() - 1
        });
        let q = Equation {
            name,
            name_span: (at, at),
            subs: Vec::new(),
            except: Vec::new(),
            rhs,
        };
        self.out.push((blank, q));
    }
}

/// A call of a macro, its arguments written out.
struct Call<'m, 'e> {
    mac: &'m Macro,
    args: Vec<Expr>,
    outputs: &'e [(String, Span)],
    span: Span,
}

/// The name of the macro whose body is written out.
fn in_macro<'f>(frame: Option<&'f Frame>) -> &'f str {
    frame.map_or("", |f| f.mac.def.name.as_str())
}

/// The refusal of subscripts in macro `name`'s body, or on its call.
fn subscripts(name: &str, span: Span) -> Raw {
    Raw::unsupported(
        span.0,
        format!("macro `{name}`: subscripts in a macro or on its call are not supported"),
    )
}

/// `prefix.name`, the name without its quotes: a call's copy of a name.
fn joined(prefix: &str, name: &str) -> String {
    let bare = name
        .strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or(name);
    format!("{prefix}.{bare}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[(String, Span)]) -> Vec<&str> {
        v.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn headers_give_inputs_and_outputs() {
        let t = ":MACRO: S SHAPE(in 1, in2 : out2, out3)\nS SHAPE = in 1 ~~|\n:end of macro:\nx = 1 ~~|";
        let (recs, defs) = split(t).unwrap();
        assert_eq!(recs.len(), 2);
        let d = &defs[0];
        assert_eq!((d.name.as_str(), d.at), ("S SHAPE", 8));
        assert_eq!(names(&d.inputs), ["in 1", "in2"]);
        assert_eq!(names(&d.outputs), ["out2", "out3"]);
        assert_eq!(d.recs, 0..1);
        let (_, defs) = split(":MACRO: F()\nF = 1 ~~|\n:END OF MACRO:\n").unwrap();
        assert!(defs[0].inputs.is_empty() && defs[0].outputs.is_empty());
        let (_, defs) = split(":MACRO: F(: y)\nF = 1 ~~|\ny = 2 ~~|\n:END OF MACRO:\n").unwrap();
        assert_eq!(names(&defs[0].outputs), ["y"]);
        for bad in [
            ":MACRO: F(a,)\nF = a ~~|\n:END OF MACRO:\n",
            ":MACRO: F(a :)\nF = a ~~|\n:END OF MACRO:\n",
            ":MACRO: F(a : b : c)\nF = a ~~|\n:END OF MACRO:\n",
            ":MACRO: F(a\nF = a ~~|\n:END OF MACRO:\n",
            ":MACRO: (a)\nF = a ~~|\n:END OF MACRO:\n",
            ":END OF MACRO:\n",
            ":MACRO: F(a)\n:MACRO: G(a)\n",
        ] {
            let e = split(bad)
                .err()
                .unwrap_or_else(|| panic!("accepted: {bad}"));
            assert_eq!(e.kind, super::super::MdlErrorKind::Malformed, "{bad}");
        }
    }
}
