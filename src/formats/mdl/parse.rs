//! A record's equation read into a tree: its left-hand side (a name, a
//! lookup's points) and its expression.
//!
//! Precedence, loosest first: `:OR:`, `:AND:`, `:NOT:`, comparisons
//! (`= <> < <= > >=`), `+ -`, `* /`, unary `+ -`, `^` (tighter than unary
//! minus: Vensim gives `-2^2` as -4, suite model `exponentiation`).

use super::Raw;
use super::lex::{Tok, Token, lex};
use super::records::Span;

/// Deeper nesting than this is refused, so that no equation exhausts the stack.
const MAX_DEPTH: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Num(f64),
    /// Vensim's `:NA:`.
    Na,
    Name(String),
    Call {
        name: String,
        args: Vec<Expr>,
    },
    /// A lookup's points, as `WITH LOOKUP`'s second argument.
    Table(Vec<(f64, f64)>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub node: Node,
    pub span: Span,
    height: usize,
}

/// Taller trees are refused: every later pass recurses on the tree.
const MAX_HEIGHT: usize = 256;

/// A tree of `node` over `span`, refused when too tall.
fn mk(node: Node, span: Span) -> Result<Expr, Raw> {
    let height = 1 + match &node {
        Node::Num(_) | Node::Na | Node::Name(_) | Node::Table(_) => 0,
        Node::Call { args, .. } => args.iter().map(|a| a.height).max().unwrap_or(0),
        Node::Neg(a) | Node::Not(a) => a.height,
        Node::Binary(_, a, b) => a.height.max(b.height),
    };
    if height > MAX_HEIGHT {
        return Err(Raw::invalid(
            span.0,
            format!("the equation is nested more than {MAX_HEIGHT} levels deep"),
        ));
    }
    Ok(Expr { node, span, height })
}

/// The number `v`, as a tree of its own (for values known before the run).
pub fn number(v: f64) -> Expr {
    Expr {
        node: Node::Num(v),
        span: (0, 0),
        height: 1,
    }
}

/// What a record says.
#[derive(Clone, Debug, PartialEq)]
pub enum Rhs {
    /// `name = expr` (or `==`, an unchangeable constant).
    Eqn(Expr),
    /// `name( points )`: a lookup.
    Lookup(Vec<(f64, f64)>),
    /// A reality check (`:THE CONDITION:`, `:TEST INPUT:`): not simulated.
    Check,
}

/// A record's left-hand side and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    pub name: String,
    pub name_span: Span,
    pub rhs: Rhs,
}

/// Reads the equation `text[span]`.
pub fn equation(text: &str, span: Span) -> Result<Equation, Raw> {
    let mut p = Parser {
        tokens: lex(text, span)?,
        pos: 0,
        depth: 0,
    };
    let t = p.next();
    let name = match t.tok {
        Tok::Name(n) => n,
        Tok::Keyword(k) if k == "MACRO" => {
            return Err(Raw::unsupported(
                t.span.0,
                "macros (:MACRO:) are not supported yet",
            ));
        }
        other => {
            return Err(Raw::malformed(
                t.span.0,
                format!("a record starts with a name, not {}", other.describe()),
            ));
        }
    };
    let name_span = t.span;
    let rhs = match p.peek().clone() {
        Tok::Eq | Tok::EqEq => {
            p.next();
            if *p.peek() == Tok::Eof {
                return Err(Raw::invalid(p.span().0, "the equation is empty"));
            }
            let e = p.expr()?;
            p.end()?;
            Rhs::Eqn(e)
        }
        Tok::LParen => {
            p.next();
            let points = p.table_body()?;
            p.end()?;
            Rhs::Lookup(points)
        }
        Tok::Keyword(k) if k == "THE CONDITION" || k == "TEST INPUT" => Rhs::Check,
        Tok::LBracket | Tok::Colon | Tok::Subscript(_) => return Err(arrays(p.span().0)),
        Tok::Define | Tok::Keyword(_) | Tok::Eof => {
            return Err(Raw::unsupported(
                p.span().0,
                format!(
                    "`{name}` is a data variable (its values come from outside the model): \
                     not supported"
                ),
            ));
        }
        other => {
            return Err(Raw::malformed(
                p.span().0,
                format!(
                    "expected `=` or `(` after `{name}`, found {}",
                    other.describe()
                ),
            ));
        }
    };
    Ok(Equation {
        name,
        name_span,
        rhs,
    })
}

fn arrays(at: usize) -> Raw {
    Raw::unsupported(
        at,
        "subscripts (arrays) are not supported yet: another issue brings them",
    )
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].tok
    }

    fn span(&self) -> Span {
        self.tokens[self.pos].span
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        if t.tok != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn end(&self) -> Result<(), Raw> {
        match self.peek() {
            Tok::Eof => Ok(()),
            Tok::LBracket | Tok::Subscript(_) => Err(arrays(self.span().0)),
            other => Err(Raw::malformed(
                self.span().0,
                format!(
                    "unexpected {} after a complete expression",
                    other.describe()
                ),
            )),
        }
    }

    fn expect(&mut self, want: Tok, context: &str) -> Result<Span, Raw> {
        if *self.peek() == want {
            return Ok(self.next().span);
        }
        if matches!(self.peek(), Tok::LBracket | Tok::Subscript(_)) {
            return Err(arrays(self.span().0));
        }
        Err(Raw::malformed(
            self.span().0,
            format!(
                "expected {} {context}, found {}",
                want.describe(),
                self.peek().describe()
            ),
        ))
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Raw>) -> Result<T, Raw> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Raw::invalid(
                self.span().0,
                format!("the equation is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn expr(&mut self) -> Result<Expr, Raw> {
        self.nested(|p| p.binary(0))
    }

    /// Left-associative binary operators from precedence `level` up;
    /// `:NOT:` sits between `:AND:` and the comparisons.
    fn binary(&mut self, level: usize) -> Result<Expr, Raw> {
        if level == LEVELS.len() {
            return self.unary();
        }
        if level == NOT_LEVEL
            && let Tok::Keyword(k) = self.peek()
            && k == "NOT"
        {
            let t = self.next();
            let e = self.nested(|p| p.binary(level))?;
            let span = (t.span.0, e.span.1);
            return mk(Node::Not(Box::new(e)), span);
        }
        let mut e = self.binary(level + 1)?;
        loop {
            let Some(op) = binop(self.peek()).filter(|op| LEVELS[level].contains(op)) else {
                return Ok(e);
            };
            self.next();
            let r = self.nested(|p| p.binary(level + 1))?;
            let span = (e.span.0, r.span.1);
            e = mk(Node::Binary(op, Box::new(e), Box::new(r)), span)?;
        }
    }

    fn unary(&mut self) -> Result<Expr, Raw> {
        let neg = match self.peek() {
            Tok::Minus => true,
            Tok::Plus => false,
            // `a + :NOT: b`: NOT of an operand.
            Tok::Keyword(k) if k == "NOT" => {
                let t = self.next();
                let e = self.nested(Self::unary)?;
                let span = (t.span.0, e.span.1);
                return mk(Node::Not(Box::new(e)), span);
            }
            _ => return self.power(),
        };
        let t = self.next();
        let e = self.nested(Self::unary)?;
        if !neg {
            return Ok(e);
        }
        let span = (t.span.0, e.span.1);
        mk(Node::Neg(Box::new(e)), span)
    }

    /// `a ^ b ^ c`, left to right; an exponent may carry a sign (`2^-1`).
    fn power(&mut self) -> Result<Expr, Raw> {
        let mut e = self.primary()?;
        while *self.peek() == Tok::Caret {
            self.next();
            let r = match self.peek() {
                Tok::Minus | Tok::Plus => self.nested(Self::unary)?,
                _ => self.primary()?,
            };
            let span = (e.span.0, r.span.1);
            e = mk(Node::Binary(BinOp::Pow, Box::new(e), Box::new(r)), span)?;
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, Raw> {
        let t = self.next();
        let name = match t.tok {
            Tok::Num(n) => {
                return mk(Node::Num(n), t.span);
            }
            Tok::Keyword(k) if k == "NA" => {
                return mk(Node::Na, t.span);
            }
            Tok::LParen => {
                let e = self.expr()?;
                let close = self.expect(Tok::RParen, "to close `(`")?;
                return Ok(Expr {
                    span: (t.span.0, close.1),
                    ..e
                });
            }
            Tok::Name(name) => name,
            Tok::LBracket | Tok::Subscript(_) => return Err(arrays(t.span.0)),
            other => {
                return Err(Raw::malformed(
                    t.span.0,
                    format!(
                        "expected a number, a name or `(`, found {}",
                        other.describe()
                    ),
                ));
            }
        };
        match self.peek() {
            Tok::LParen => self.call(name, t.span),
            Tok::LBracket => Err(arrays(self.span().0)),
            _ => mk(Node::Name(name), t.span),
        }
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, Raw> {
        self.next();
        let with_lookup = super::canonical(&name) == "with lookup";
        let mut args = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                if with_lookup && args.len() == 1 && *self.peek() == Tok::LParen {
                    let open = self.next().span;
                    let points = self.table_body()?;
                    args.push(mk(
                        Node::Table(points),
                        (open.0, self.tokens[self.pos - 1].span.1),
                    )?);
                } else {
                    args.push(self.expr()?);
                }
                if *self.peek() != Tok::Comma {
                    break;
                }
                self.next();
            }
        }
        let close = self.expect(Tok::RParen, &format!("to close `{name}(`"))?;
        mk(Node::Call { name, args }, (name_span.0, close.1))
    }

    /// A lookup's points after its `(`, up to and with its `)`: an
    /// optional range `[(x0,y0)-(x1,y1)(,(x,y))*]`, then `(x,y)` pairs, or
    /// all the x then all the y.
    fn table_body(&mut self) -> Result<Vec<(f64, f64)>, Raw> {
        let start = self.span().0;
        if *self.peek() == Tok::LBracket {
            while !matches!(self.peek(), Tok::RBracket | Tok::Eof) {
                self.next();
            }
            self.expect(Tok::RBracket, "to close a lookup's range `[`")?;
            if *self.peek() == Tok::Comma {
                self.next();
            }
        }
        let mut points = Vec::new();
        if *self.peek() == Tok::LParen {
            loop {
                self.expect(Tok::LParen, "before a lookup's point")?;
                let x = self.signed()?;
                self.expect(Tok::Comma, "between a point's x and y")?;
                let y = self.signed()?;
                self.expect(Tok::RParen, "after a lookup's point")?;
                points.push((x, y));
                if *self.peek() != Tok::Comma {
                    break;
                }
                self.next();
            }
        } else {
            let mut values = vec![self.signed()?];
            while *self.peek() == Tok::Comma {
                self.next();
                values.push(self.signed()?);
            }
            if values.len() % 2 != 0 {
                return Err(Raw::invalid(
                    start,
                    format!(
                        "a lookup written as its x values then its y values needs as many \
                         of each, not {} numbers in all",
                        values.len()
                    ),
                ));
            }
            let (xs, ys) = values.split_at(values.len() / 2);
            points = xs.iter().copied().zip(ys.iter().copied()).collect();
        }
        self.expect(Tok::RParen, "to close the lookup")?;
        if let Some(w) = points.windows(2).find(|w| w[1].0 <= w[0].0) {
            return Err(Raw::invalid(
                start,
                format!(
                    "a lookup's x values must increase: {} comes after {}",
                    w[1].0, w[0].0
                ),
            ));
        }
        Ok(points)
    }

    /// A number with an optional sign.
    fn signed(&mut self) -> Result<f64, Raw> {
        let sign = match self.peek() {
            Tok::Minus => {
                self.next();
                -1.0
            }
            Tok::Plus => {
                self.next();
                1.0
            }
            _ => 1.0,
        };
        match self.next() {
            Token {
                tok: Tok::Num(n), ..
            } => Ok(sign * n),
            t => Err(Raw::malformed(
                t.span.0,
                format!("expected a number in a lookup, found {}", t.tok.describe()),
            )),
        }
    }
}

fn binop(t: &Tok) -> Option<BinOp> {
    Some(match t {
        Tok::Keyword(k) if k == "OR" => BinOp::Or,
        Tok::Keyword(k) if k == "AND" => BinOp::And,
        Tok::Eq => BinOp::Eq,
        Tok::Ne => BinOp::Ne,
        Tok::Lt => BinOp::Lt,
        Tok::Le => BinOp::Le,
        Tok::Gt => BinOp::Gt,
        Tok::Ge => BinOp::Ge,
        Tok::Plus => BinOp::Add,
        Tok::Minus => BinOp::Sub,
        Tok::Star => BinOp::Mul,
        Tok::Slash => BinOp::Div,
        _ => return None,
    })
}

/// The binary operators by precedence, loosest first (`^` is in `power`).
const LEVELS: [&[BinOp]; 5] = [
    &[BinOp::Or],
    &[BinOp::And],
    &[
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Lt,
        BinOp::Le,
        BinOp::Gt,
        BinOp::Ge,
    ],
    &[BinOp::Add, BinOp::Sub],
    &[BinOp::Mul, BinOp::Div],
];
/// Where `:NOT:` applies: to a comparison.
const NOT_LEVEL: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.node {
            Node::Num(n) => format!("{n}"),
            Node::Na => "NA".into(),
            Node::Name(n) => n.clone(),
            Node::Call { name, args } => {
                let a: Vec<String> = args.iter().map(shape).collect();
                format!("{name}({})", a.join(","))
            }
            Node::Table(p) => format!("{p:?}"),
            Node::Neg(a) => format!("(- {})", shape(a)),
            Node::Not(a) => format!("(not {})", shape(a)),
            Node::Binary(op, a, b) => format!("({} {op:?} {})", shape(a), shape(b)),
        }
    }

    fn eqn(s: &str) -> String {
        match equation(s, (0, s.len())).unwrap().rhs {
            Rhs::Eqn(e) => shape(&e),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn precedence_follows_vensim() {
        assert_eq!(eqn("x = -2^2"), "(- (2 Pow 2))");
        assert_eq!(eqn("x = 2^3^2"), "((2 Pow 3) Pow 2)");
        assert_eq!(eqn("x = 2^-1"), "(2 Pow (- 1))");
        assert_eq!(eqn("x = a = b :AND: :NOT: c"), "((a Eq b) And (not c))");
        assert_eq!(eqn("x = 4 - 5 + 6"), "((4 Sub 5) Add 6)");
        assert_eq!(
            eqn("x = WITH LOOKUP(t, ([(0,0)-(1,1)],(0,1),(1,- 2)))"),
            "WITH LOOKUP(t,[(0.0, 1.0), (1.0, -2.0)])"
        );
        assert_eq!(eqn("t(1, 2, 3, 4)"), "Lookup([(1.0, 3.0), (2.0, 4.0)])");
        assert_eq!(eqn("t((0,1),(2,3))"), "Lookup([(0.0, 1.0), (2.0, 3.0)])");
        let bad = |s: &str| equation(s, (0, s.len())).unwrap_err();
        assert_eq!(
            bad("x[a] = 1").kind,
            super::super::MdlErrorKind::Unsupported
        );
        assert_eq!(bad("x = (1").kind, super::super::MdlErrorKind::Malformed);
        assert_eq!(
            bad("t((1,0),(0,1))").kind,
            super::super::MdlErrorKind::Invalid
        );
        assert!(equation("x = ", (0, 4)).is_err());
        let deep = format!("x = {}", "(".repeat(10_000));
        assert!(equation(&deep, (0, deep.len())).is_err());
    }
}
