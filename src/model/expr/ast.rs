//! The syntax tree of one equation, and its printer.

use std::fmt;

use super::{Builtin, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }
}

/// One subscript inside `name[...]`, with its span.
#[derive(Clone, Debug, PartialEq)]
pub enum Sub {
    /// An element (`crm`), or a dimension the equation runs over
    /// (`segment`, or a subrange of it: `value_added`).
    Name(String),
    /// A dimension reduced by the enclosing `sum`, `prod`, `mean`, `min`
    /// or `max`: `segment!`.
    Reduce(String),
    /// The variable's whole dimension at this place, reduced: `*`.
    All,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Num(f64),
    /// A lever, a variable in the same year, or `year`; resolved by the compiler.
    Name(String),
    /// `name(args)`: a built-in function, `prev`, `step`, `ramp` or a lookup table.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `name[subs]`: elements of an arrayed variable. The compiler's
    /// expansion (`compile/arrays.rs`) turns each into a plain name.
    Subscript {
        name: String,
        name_span: Span,
        subs: Vec<(Sub, Span)>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    /// Levels of the tree below and including this node (a leaf is 1).
    pub height: u32,
}

impl Expr {
    /// A node over `kind`'s children, its height computed from theirs.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        let child = match &kind {
            ExprKind::Num(_) | ExprKind::Name(_) | ExprKind::Subscript { .. } => 0,
            ExprKind::Call { args, .. } => args.iter().map(|a| a.height).max().unwrap_or(0),
            ExprKind::Unary(_, e) => e.height,
            ExprKind::Binary(_, a, b) => a.height.max(b.height),
            ExprKind::If(c, a, b) => c.height.max(a.height).max(b.height),
        };
        Expr {
            kind,
            span,
            height: child + 1,
        }
    }

    /// Every name the expression refers to, with its span, in reading order,
    /// including the names inside `prev(...)`; `in_prev` tells which.
    pub fn visit_names<'a>(&'a self, f: &mut impl FnMut(&'a str, Span, bool)) {
        self.visit_names_inner(f, false);
    }

    fn visit_names_inner<'a>(&'a self, f: &mut impl FnMut(&'a str, Span, bool), in_prev: bool) {
        match &self.kind {
            ExprKind::Num(_) => {}
            ExprKind::Name(n) => f(n, self.span, in_prev),
            ExprKind::Subscript {
                name, name_span, ..
            } => f(name, *name_span, in_prev),
            ExprKind::Call { name, args, .. } => {
                let prev = matches!(
                    Builtin::from_name(name),
                    Some(Builtin::Prev | Builtin::Previous)
                );
                for (i, a) in args.iter().enumerate() {
                    // Only the first argument of prev() is read from the previous year.
                    a.visit_names_inner(f, in_prev || (prev && i == 0));
                }
            }
            ExprKind::Unary(_, e) => e.visit_names_inner(f, in_prev),
            ExprKind::Binary(_, a, b) => {
                a.visit_names_inner(f, in_prev);
                b.visit_names_inner(f, in_prev);
            }
            ExprKind::If(c, a, b) => {
                c.visit_names_inner(f, in_prev);
                a.visit_names_inner(f, in_prev);
                b.visit_names_inner(f, in_prev);
            }
        }
    }
}

/// Prints an equation that parses back to the same tree (spans aside).
/// Every compound sub-expression is parenthesised, so precedence never matters.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Num(n) => {
                if *n < 0.0 || (*n == 0.0 && n.is_sign_negative()) {
                    write!(f, "(-{:?})", -n)
                } else {
                    write!(f, "{n:?}")
                }
            }
            ExprKind::Name(n) => f.write_str(n),
            ExprKind::Call { name, args, .. } => {
                write!(f, "{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            ExprKind::Unary(UnOp::Neg, e) => write!(f, "(-{e})"),
            ExprKind::Unary(UnOp::Not, e) => write!(f, "(not {e})"),
            ExprKind::Binary(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            ExprKind::If(c, a, b) => write!(f, "(if {c} then {a} else {b})"),
            ExprKind::Subscript { name, subs, .. } => {
                write!(f, "{name}[")?;
                for (i, (s, _)) in subs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match s {
                        Sub::Name(n) => f.write_str(n)?,
                        Sub::Reduce(n) => write!(f, "{n}!")?,
                        Sub::All => f.write_str("*")?,
                    }
                }
                f.write_str("]")
            }
        }
    }
}
