//! The equation language: lexer -> parser -> syntax tree. The compiler in
//! `model::compile` turns trees into the flat program the simulator runs.
//!
//! ```text
//! jobs_crm * (1 + demand_growth / 100) ^ 2        arithmetic, `^` power
//! if year >= 2025 then training else 14000        conditions
//! min(a, b)  max(a, b)  clamp(x, lo, hi)  abs(x)  exp(x)  ln(x)  sqrt(x)
//! pow(a, b)  round(x)  int(x)  mod(a, b)  sin(x) ...  functions
//! safediv(a, b, 0)  xidz(a, b, 1)  zidz(a, b)      guarded divisions
//! pi                                               a constant
//! prev(jobs)  prev(growth, 0)  previous(jobs, 0)  previous year's value
//! init(x)                                          x's first-year value
//! smooth1(x, 3)  delay1(x, 3, 0)                   smooths and delays
//! smooth3(x, 3)  delay3(x, 3)  smoothn(x, 6, 4)    of higher order
//! trend(x, 5)  forecast(x, 5, 10)                  trends
//! step(height, 2025)  ramp(slope, 2025, 2030)      policy helpers
//! attrition_effect(x)                              a lookup table by name
//! ```
//!
//! The built-in functions, their documentation and semantics live in
//! `builtins` (`Builtin::ALL`).

pub mod allocation;
pub mod ast;
pub mod builtins;
pub mod lexer;
pub mod parser;
pub mod random;

pub use ast::{BinOp, Expr, ExprKind, Sub, UnOp};
pub use builtins::{Builtin, Named};
pub use parser::parse;

/// A byte range inside one equation's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// From the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// 1-based line and column (in characters) of the span's start in `src`.
    pub fn line_col(self, src: &str) -> (usize, usize) {
        line_col(src, self.start)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprErrorKind {
    Syntax,
    UnknownName,
    Arity,
    Misuse,
}

/// An error inside one equation, with the span to underline.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    pub kind: ExprErrorKind,
    pub span: Span,
    pub message: String,
}

impl ExprError {
    pub fn new(kind: ExprErrorKind, span: Span, message: String) -> Self {
        ExprError {
            kind,
            span,
            message,
        }
    }
}

/// Words that cannot name a lever or a variable.
pub fn is_reserved(name: &str) -> bool {
    matches!(name, "if" | "then" | "else" | "and" | "or" | "not")
        || Builtin::from_name(name).is_some()
        || Named::from_name(name).is_some()
}

/// Whether `name` is a valid identifier for a lever, variable or table.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Evaluates a tree directly: the reference semantics the compiled program must
/// match. `name` resolves names (and the named values that depend on the
/// model, see `Named::value`); `call` resolves lookup tables and `prev`
/// (and any call a built-in does not answer, see `Builtin::eval`).
/// Used by tests and by property checks, not by the simulator.
pub fn eval_tree(
    e: &Expr,
    (time, dt): (f64, f64),
    name: &dyn Fn(&str) -> f64,
    call: &dyn Fn(&str, &[f64]) -> f64,
) -> f64 {
    let ev = |x: &Expr| eval_tree(x, (time, dt), name, call);
    match &e.kind {
        ExprKind::Num(n) => *n,
        ExprKind::Name(n) => Named::from_name(n)
            .and_then(|k| k.value(time, dt))
            .unwrap_or_else(|| name(n)),
        ExprKind::Unary(UnOp::Neg, a) => -ev(a),
        ExprKind::Unary(UnOp::Not, a) => bool_f(ev(a) == 0.0),
        ExprKind::Binary(op, a, b) => binop(*op, ev(a), ev(b)),
        ExprKind::If(c, a, b) => {
            if ev(c) != 0.0 {
                ev(a)
            } else {
                ev(b)
            }
        }
        ExprKind::Subscript { .. } => name(&flat_name(e).unwrap_or_default()),
        ExprKind::Call { name: f, args, .. } => {
            let v: Vec<f64> = args.iter().map(ev).collect();
            Builtin::from_name(f)
                .and_then(|b| b.eval(&v, time, dt))
                .unwrap_or_else(|| call(f, &v))
        }
    }
}

/// The flat name of an element written `x[a, b]` with elements only:
/// `x[a,b]`, the id of that element in runs and CSV.
pub fn flat_name(e: &Expr) -> Option<String> {
    let ExprKind::Subscript { name, subs, .. } = &e.kind else {
        return None;
    };
    let mut parts = Vec::with_capacity(subs.len());
    for (s, _) in subs {
        match s {
            ast::Sub::Name(n) => parts.push(n.as_str()),
            ast::Sub::Reduce(_) | ast::Sub::All => return None,
        }
    }
    Some(element_id(name, &parts))
}

/// The id of an element of `name`: `jobs[crm]`, `x[a,b]`.
pub fn element_id(name: &str, elements: &[&str]) -> String {
    format!("{name}[{}]", elements.join(","))
}

pub fn bool_f(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

pub fn binop(op: BinOp, a: f64, b: f64) -> f64 {
    match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Pow => a.powf(b),
        BinOp::Lt => bool_f(a < b),
        BinOp::Le => bool_f(a <= b),
        BinOp::Gt => bool_f(a > b),
        BinOp::Ge => bool_f(a >= b),
        BinOp::Eq => bool_f(a == b),
        BinOp::Ne => bool_f(a != b),
        BinOp::And => bool_f(a != 0.0 && b != 0.0),
        BinOp::Or => bool_f(a != 0.0 || b != 0.0),
    }
}

#[cfg(test)]
mod tests;
