//! Recursive-descent parser. Precedence, loosest first:
//! `if then else`, `or`, `and`, `not`, comparisons (non-associative),
//! `+ -`, `* /`, unary `-`, `^` (right-associative, binds tighter than unary
//! minus: `-2^2` is -4, `2^3^2` is 512, `2^-1` is 0.5).

use super::ast::{BinOp, Expr, ExprKind, Sub, UnOp};
use super::lexer::{Tok, Token, lex};
use super::{ExprError, ExprErrorKind, Span};

/// Deeper nesting than this is refused, so that no equation can exhaust the stack.
pub const MAX_DEPTH: usize = 48;
/// Taller syntax trees are refused (a long chain `a + b + ...` is tall too).
pub const MAX_HEIGHT: usize = 256;
/// Longer equations are refused before lexing.
pub const MAX_LEN: usize = 20_000;

pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.len() > MAX_LEN {
        return Err(ExprError::new(
            ExprErrorKind::Syntax,
            Span::new(0, 0),
            format!(
                "the equation is {} characters long; the limit is {MAX_LEN}",
                src.len()
            ),
        ));
    }
    let tokens = lex(src)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    if p.peek() == &Tok::Eof {
        return Err(ExprError::new(
            ExprErrorKind::Syntax,
            Span::new(0, src.len()),
            "the equation is empty".into(),
        ));
    }
    let e = p.expr()?;
    if p.peek() != &Tok::Eof {
        let t = p.next();
        return Err(ExprError::new(
            ExprErrorKind::Syntax,
            t.span,
            format!(
                "unexpected {} after a complete expression",
                t.tok.describe()
            ),
        ));
    }
    Ok(e)
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

    fn next(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        if t.tok != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, want: Tok, context: &str) -> Result<Token, ExprError> {
        if *self.peek() == want {
            Ok(self.next())
        } else {
            let t = self.next();
            Err(ExprError::new(
                ExprErrorKind::Syntax,
                t.span,
                format!(
                    "expected {} {context}, found {}",
                    want.describe(),
                    t.tok.describe()
                ),
            ))
        }
    }

    fn enter(&mut self, span: Span) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(
                ExprErrorKind::Syntax,
                span,
                format!("the equation is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        let span = self.tokens[self.pos].span;
        self.enter(span)?;
        let r = if *self.peek() == Tok::If {
            self.if_expr()
        } else {
            self.or()
        };
        self.depth -= 1;
        r
    }

    fn if_expr(&mut self) -> Result<Expr, ExprError> {
        let start = self.next().span;
        let c = self.expr()?;
        self.expect(Tok::Then, "after the condition of `if`")?;
        let a = self.expr()?;
        self.expect(Tok::Else, "in `if ... then ... else ...`")?;
        let b = self.expr()?;
        let span = start.to(b.span);
        self.node(ExprKind::If(Box::new(c), Box::new(a), Box::new(b)), span)
    }

    fn binary(&self, op: BinOp, a: Expr, b: Expr) -> Result<Expr, ExprError> {
        let span = a.span.to(b.span);
        self.node(ExprKind::Binary(op, Box::new(a), Box::new(b)), span)
    }

    /// Builds a node, refusing a tree taller than [`MAX_HEIGHT`]: everything
    /// that walks the tree later (compiler, printer) recurses on it.
    fn node(&self, kind: ExprKind, span: Span) -> Result<Expr, ExprError> {
        let e = Expr::new(kind, span);
        if e.height as usize > MAX_HEIGHT {
            return Err(ExprError::new(
                ExprErrorKind::Syntax,
                span,
                format!(
                    "the equation is nested more than {MAX_HEIGHT} levels deep (split it into several variables)"
                ),
            ));
        }
        Ok(e)
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut e = self.and()?;
        while *self.peek() == Tok::Or {
            self.next();
            let r = self.and()?;
            e = self.binary(BinOp::Or, e, r)?;
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut e = self.not()?;
        while *self.peek() == Tok::And {
            self.next();
            let r = self.not()?;
            e = self.binary(BinOp::And, e, r)?;
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if *self.peek() == Tok::Not {
            let t = self.next();
            self.enter(t.span)?;
            let e = self.not();
            self.depth -= 1;
            let e = e?;
            let span = t.span.to(e.span);
            return self.node(ExprKind::Unary(UnOp::Not, Box::new(e)), span);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let a = self.additive()?;
        let op = match self.peek() {
            Tok::Lt => BinOp::Lt,
            Tok::Le => BinOp::Le,
            Tok::Gt => BinOp::Gt,
            Tok::Ge => BinOp::Ge,
            Tok::EqEq => BinOp::Eq,
            Tok::Ne => BinOp::Ne,
            _ => return Ok(a),
        };
        self.next();
        let b = self.additive()?;
        if matches!(
            self.peek(),
            Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge | Tok::EqEq | Tok::Ne
        ) {
            let t = self.next();
            return Err(ExprError::new(
                ExprErrorKind::Syntax,
                t.span,
                "comparisons cannot be chained: write `a < b and b < c`".into(),
            ));
        }
        self.binary(op, a, b)
    }

    fn additive(&mut self) -> Result<Expr, ExprError> {
        let mut e = self.multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(e),
            };
            self.next();
            let r = self.multiplicative()?;
            e = self.binary(op, e, r)?;
        }
    }

    fn multiplicative(&mut self) -> Result<Expr, ExprError> {
        let mut e = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                _ => return Ok(e),
            };
            self.next();
            let r = self.unary()?;
            e = self.binary(op, e, r)?;
        }
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        match self.peek() {
            Tok::Minus | Tok::Plus => {
                let t = self.next();
                self.enter(t.span)?;
                let e = self.unary();
                self.depth -= 1;
                let e = e?;
                if t.tok == Tok::Plus {
                    return Ok(e);
                }
                let span = t.span.to(e.span);
                self.node(ExprKind::Unary(UnOp::Neg, Box::new(e)), span)
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr, ExprError> {
        let base = self.primary()?;
        if *self.peek() == Tok::Caret {
            let t = self.next();
            self.enter(t.span)?;
            // The exponent may carry its own sign and is right-associative.
            let exp = self.unary();
            self.depth -= 1;
            return self.binary(BinOp::Pow, base, exp?);
        }
        Ok(base)
    }

    /// `name[a, b!, *]`: each subscript an element or dimension name,
    /// maybe marked reduced (`!`), or `*`. Computed subscripts (`x[i + 1]`)
    /// are refused: every element is known when the model compiles.
    fn subscript(&mut self, name: String, name_span: Span) -> Result<Expr, ExprError> {
        self.next();
        let mut subs = Vec::new();
        loop {
            let t = self.next();
            let sub = match t.tok {
                Tok::Star => (Sub::All, t.span),
                Tok::Ident(s) if *self.peek() == Tok::Bang => {
                    let bang = self.next();
                    (Sub::Reduce(s), t.span.to(bang.span))
                }
                Tok::Ident(s) => (Sub::Name(s), t.span),
                other => {
                    return Err(ExprError::new(
                        ExprErrorKind::Syntax,
                        t.span,
                        format!(
                            "expected an element or a dimension inside `{name}[...]`, found {}",
                            other.describe()
                        ),
                    ));
                }
            };
            subs.push(sub);
            if *self.peek() == Tok::Comma {
                self.next();
                continue;
            }
            break;
        }
        let close = self.expect(Tok::RBracket, &format!("to close `{name}[`"))?;
        let span = name_span.to(close.span);
        if *self.peek() == Tok::LParen {
            return self.table_element_call(name, subs, span);
        }
        self.node(
            ExprKind::Subscript {
                name,
                name_span,
                subs,
            },
            span,
        )
    }

    /// `effect[crm](x)`: a call of one element's table of an arrayed
    /// lookup, named `effect[crm]` (elements or dimensions, never `*` or `!`).
    fn table_element_call(
        &mut self,
        name: String,
        subs: Vec<(Sub, Span)>,
        name_span: Span,
    ) -> Result<Expr, ExprError> {
        let mut parts = Vec::new();
        for (sub, span) in subs {
            match sub {
                Sub::Name(s) => parts.push(s),
                _ => {
                    return Err(ExprError::new(
                        ExprErrorKind::Syntax,
                        span,
                        format!(
                            "a call of `{name}[...]` names one element of each dimension, as in `{name}[crm](x)`"
                        ),
                    ));
                }
            }
        }
        let name = super::element_id(&name, &parts.iter().map(String::as_str).collect::<Vec<_>>());
        let (args, close) = self.call_args(&name)?;
        self.node(
            ExprKind::Call {
                name,
                name_span,
                args,
            },
            name_span.to(close),
        )
    }

    /// The arguments of a call, from its `(`; and the span of its `)`.
    fn call_args(&mut self, name: &str) -> Result<(Vec<Expr>, Span), ExprError> {
        self.next();
        let mut args = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                args.push(self.expr()?);
                if *self.peek() == Tok::Comma {
                    self.next();
                    continue;
                }
                break;
            }
        }
        let close = self.expect(Tok::RParen, &format!("to close `{name}(`"))?;
        Ok((args, close.span))
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let t = self.next();
        match t.tok {
            Tok::Num(n) => self.node(ExprKind::Num(n), t.span),
            Tok::Ident(name) => {
                if *self.peek() == Tok::LBracket {
                    return self.subscript(name, t.span);
                }
                if *self.peek() != Tok::LParen {
                    return self.node(ExprKind::Name(name), t.span);
                }
                let (args, close) = self.call_args(&name)?;
                self.node(
                    ExprKind::Call {
                        name,
                        name_span: t.span,
                        args,
                    },
                    t.span.to(close),
                )
            }
            Tok::LParen => {
                let e = self.expr()?;
                let close = self.expect(Tok::RParen, "to close `(`")?;
                Ok(Expr {
                    span: t.span.to(close.span),
                    ..e
                })
            }
            Tok::If => {
                // `if` inside arithmetic: `1 + if a then b else c`.
                self.pos -= 1;
                self.expr()
            }
            other => Err(ExprError::new(
                ExprErrorKind::Syntax,
                t.span,
                format!(
                    "expected a number, a name or `(`, found {}",
                    other.describe()
                ),
            )),
        }
    }
}
