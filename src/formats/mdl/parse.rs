//! A record's equation read into a tree: its left-hand side (a name, a
//! lookup's points) and its expression.
//!
//! Precedence, loosest first: `:OR:`, `:AND:`, `:NOT:`, comparisons
//! (`= <> < <= > >=`), `+ -`, `* /`, unary `+ -`, `^` (tighter than unary
//! minus: Vensim gives `-2^2` as -4, suite model `exponentiation`; right to
//! left: `4^3^2` is 262144, suite model `arithmetics`).

use super::Raw;
use super::lex::{Tok, Token, lex};
use super::records::Span;
use crate::model::compile::arrays::{MAX_ELEMENTS, MAX_FLAT_VARIABLES};

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

/// The number Vensim's `:NA:` (a missing value) is read as.
pub const NA: f64 = -1e38;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Num(f64),
    /// Vensim's `:NA:`, read as [`NA`].
    Na,
    Name(String),
    /// `name[a, b!]`: elements of an arrayed variable.
    Sub {
        name: String,
        subs: Vec<SubRef>,
    },
    /// `name(args)`, or `name[subs](x)` (an arrayed lookup's element);
    /// a macro's call may name variables for its further outputs after
    /// a `:` (`name(a, b : y, z)`).
    Call {
        name: String,
        subs: Vec<SubRef>,
        args: Vec<Expr>,
        outputs: Vec<(String, Span)>,
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

/// One subscript of a reference: a range or an element, `!` when reduced.
#[derive(Clone, Debug, PartialEq)]
pub struct SubRef {
    pub name: String,
    pub bang: bool,
    pub span: Span,
}

/// A tree of `node` over `span`, refused when too tall.
fn mk(node: Node, span: Span) -> Result<Expr, Raw> {
    let height = 1 + match &node {
        Node::Num(_) | Node::Na | Node::Name(_) | Node::Sub { .. } | Node::Table(_) => 0,
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

/// A tree of `node` over `span`, for trees written out of others
/// (`INVERT MATRIX`'s), refused when too tall.
pub fn tree(node: Node, span: Span) -> Result<Expr, Raw> {
    mk(node, span)
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
    /// `name[subs] = 1, 2; 3, 4;`: numbers, one per element, row-major;
    /// with the length of each row (numbers before a `;`) when there is
    /// a `;`.
    List(Vec<f64>, Option<Vec<usize>>),
    /// `name( points )`: a lookup.
    Lookup(Vec<(f64, f64)>),
    /// `name: a, (b1-b3), c -> other`: a subscript range, its members as
    /// written (elements, or ranges whose elements it takes), and the
    /// ranges it maps onto, element by element (`->`).
    Range(Vec<(String, Span)>, Vec<(String, Span)>),
    /// `name <-> other`: a range with the elements of another.
    Equiv(String, Span),
    /// A reality check (`:THE CONDITION:`, `:TEST INPUT:`): not simulated.
    Check,
    /// `name :MODE: := expr`: a data variable (`GET … DATA`, read by
    /// `external.rs`).
    Data(DataMode, Expr),
    /// A data variable's points, read from its file: (time, value).
    Series(Vec<(f64, f64)>, DataMode),
    /// `name :MODE:` with no equation: a data variable whose values come
    /// from the data files named when the model is run (read by
    /// `external.rs`).
    Given(DataMode),
    /// `name: GET DIRECT SUBSCRIPT(…)`: a range whose elements a file
    /// gives (read by `external.rs`).
    RangeFrom(Expr),
}

/// How a data variable is read between and beyond its points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataMode {
    /// Linear between points, the ends held (Vensim's default).
    Interpolate,
    /// The last point's value until the next.
    HoldBackward,
    /// The next point's value from the last.
    LookForward,
    /// The values at the points alone.
    Raw,
}

impl DataMode {
    /// The mode a keyword (`:HOLD BACKWARD:`) names.
    fn of_keyword(k: &str) -> Option<DataMode> {
        Some(match k {
            "INTERPOLATE" => DataMode::Interpolate,
            "HOLD BACKWARD" => DataMode::HoldBackward,
            "LOOK FORWARD" => DataMode::LookForward,
            "RAW" => DataMode::Raw,
            _ => return None,
        })
    }
}

/// A record's left-hand side and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    pub name: String,
    pub name_span: Span,
    /// `name[a, b]`'s subscripts (none for a scalar).
    pub subs: Vec<SubRef>,
    /// `:EXCEPT: [a, c], [b, d]`: the elements the record leaves out.
    pub except: Vec<Vec<SubRef>>,
    pub rhs: Rhs,
}

/// Reads the equation `text[span]`; the elements its subscript range
/// names (if it is one) are taken from `budget`, the elements the file's
/// ranges may still have.
pub fn equation(text: &str, span: Span, budget: &mut usize) -> Result<Equation, Raw> {
    let tokens = lex(text, span)?;
    let new_line = (0..tokens.len())
        .map(|i| i > 0 && text[tokens[i - 1].span.1..tokens[i].span.0].contains('\n'))
        .collect();
    let mut p = Parser {
        tokens,
        new_line,
        pos: 0,
        depth: 0,
        budget: *budget,
    };
    let t = p.next();
    let name = match t.tok {
        Tok::Name(n) => n,
        Tok::Keyword(k) if k == "MACRO" || k == "END OF MACRO" => {
            return Err(Raw::malformed(
                t.span.0,
                format!(
                    "`:{k}:` begins a record (after the previous record's `|`), never inside one"
                ),
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
    let subs = if *p.peek() == Tok::LBracket {
        p.subscripts(false)?
    } else {
        Vec::new()
    };
    let except = p.except(subs.is_empty())?;
    let rhs = p.rhs(&name, subs.is_empty())?;
    *budget = p.budget;
    if !except.is_empty() && matches!(rhs, Rhs::List(..)) {
        return Err(Raw::invalid(
            name_span.0,
            "`:EXCEPT:` does not apply to a list of numbers",
        ));
    }
    Ok(Equation {
        name,
        name_span,
        subs,
        except,
        rhs,
    })
}

/// The most bytes of element names one numeric range `(a1-aN)` makes.
const MAX_NUMERIC_RANGE_BYTES: usize = 64 << 20;

struct Parser {
    tokens: Vec<Token>,
    /// Whether a line ends before each token (`TABBED ARRAY`'s rows).
    new_line: Vec<bool>,
    pos: usize,
    depth: usize,
    /// How many more elements the file's ranges may have.
    budget: usize,
}

impl Parser {
    /// `:EXCEPT: [a, b], [c, d]` after a subscripted left-hand side.
    fn except(&mut self, scalar: bool) -> Result<Vec<Vec<SubRef>>, Raw> {
        let mut out = Vec::new();
        let Tok::Keyword(k) = self.peek() else {
            return Ok(out);
        };
        if k != "EXCEPT" {
            return Ok(out);
        }
        let at = self.next().span.0;
        if scalar {
            return Err(Raw::invalid(at, "`:EXCEPT:` needs a subscripted variable"));
        }
        loop {
            if *self.peek() != Tok::LBracket {
                self.expect(Tok::LBracket, "after `:EXCEPT:`")?;
            }
            out.push(self.subscripts(false)?);
            if *self.peek() != Tok::Comma {
                return Ok(out);
            }
            self.next();
        }
    }

    /// What follows a record's left-hand side.
    fn rhs(&mut self, name: &str, scalar: bool) -> Result<Rhs, Raw> {
        let at = self.span().0;
        Ok(match self.peek().clone() {
            Tok::Eq | Tok::EqEq => {
                self.next();
                if *self.peek() == Tok::Eof {
                    return Err(Raw::invalid(self.span().0, "the equation is empty"));
                }
                if let Some(table) = self.tabbed()? {
                    return Ok(table);
                }
                if let Some(list) = self.list() {
                    return Ok(list);
                }
                let e = self.expr()?;
                self.end()?;
                Rhs::Eqn(e)
            }
            Tok::LParen => {
                self.next();
                if let Some(get) = self.lookups_from_file()? {
                    return Ok(get);
                }
                let points = self.table_body()?;
                self.end()?;
                Rhs::Lookup(points)
            }
            Tok::Keyword(k) if k == "THE CONDITION" || k == "TEST INPUT" => Rhs::Check,
            Tok::Colon if scalar => {
                self.next();
                self.range(name)?
            }
            Tok::Subscript("<->") if scalar => {
                self.next();
                let t = self.next();
                let Tok::Name(other) = t.tok else {
                    return Err(Raw::malformed(
                        t.span.0,
                        format!(
                            "expected a range's name after `<->`, found {}",
                            t.tok.describe()
                        ),
                    ));
                };
                self.end()?;
                Rhs::Equiv(other, t.span)
            }
            Tok::Define | Tok::Keyword(_) if self.data_equation().is_some() => {
                let mode = self.data_equation().expect("a data equation");
                while *self.peek() != Tok::Define {
                    self.next();
                }
                self.next();
                let e = self.expr()?;
                self.end()?;
                Rhs::Data(mode, e)
            }
            // `name :MODE:` or `name` alone: a data variable whose values
            // are given when the model is run (Vensim's data files).
            Tok::Eof => Rhs::Given(DataMode::Interpolate),
            Tok::Keyword(k)
                if DataMode::of_keyword(&k).is_some()
                    && self.tokens.get(self.pos + 1).map(|t| &t.tok) == Some(&Tok::Eof) =>
            {
                let mode = DataMode::of_keyword(&k).expect("a data mode");
                self.next();
                Rhs::Given(mode)
            }
            Tok::Define | Tok::Keyword(_) => {
                return Err(Raw::unsupported(
                    at,
                    format!("`{name}` is a data variable whose equation is not supported"),
                ));
            }
            other => {
                return Err(Raw::malformed(
                    at,
                    format!(
                        "expected `=` or `(` after `{name}`, found {}",
                        other.describe()
                    ),
                ));
            }
        })
    }

    /// `:MODE: :=` or `:=` from here: a data equation and its mode.
    fn data_equation(&self) -> Option<DataMode> {
        match (self.peek(), self.tokens.get(self.pos + 1).map(|t| &t.tok)) {
            (Tok::Define, _) => Some(DataMode::Interpolate),
            (Tok::Keyword(k), Some(Tok::Define)) => DataMode::of_keyword(k),
            _ => None,
        }
    }

    /// `name(GET XLS LOOKUPS(…))` after its `(`: the call, for
    /// `external.rs` to read; `None` (the parser unmoved) for points.
    fn lookups_from_file(&mut self) -> Result<Option<Rhs>, Raw> {
        let is_get = matches!(self.peek(), Tok::Name(n) if super::canonical(n).starts_with("get "));
        if !is_get || self.tokens.get(self.pos + 1).map(|t| &t.tok) != Some(&Tok::LParen) {
            return Ok(None);
        }
        let e = self.expr()?;
        self.expect(Tok::RParen, "to close the lookup")?;
        self.end()?;
        Ok(Some(Rhs::Eqn(e)))
    }

    /// A range's members after its `:`: names and numeric ranges
    /// `(a1-a9)`, then the ranges it maps onto (`-> b, c`).
    fn range(&mut self, name: &str) -> Result<Rhs, Raw> {
        let mut out = Vec::new();
        loop {
            let t = self.next();
            match t.tok {
                Tok::Name(n)
                    if *self.peek() == Tok::LParen
                        && out.is_empty()
                        && super::canonical(&n).ends_with(" subscript") =>
                {
                    let call = self.call(n, Vec::new(), t.span)?;
                    self.end()?;
                    return Ok(Rhs::RangeFrom(call));
                }
                Tok::Name(n) if *self.peek() == Tok::LParen => {
                    return Err(Raw::unsupported(
                        t.span.0,
                        format!("`{name}`'s elements come from `{n}`: not supported"),
                    ));
                }
                Tok::Name(n) => {
                    self.take(t.span.0, 1)?;
                    out.push((n, t.span));
                }
                Tok::LParen => out.extend(self.numeric_range(t.span.0)?),
                other => {
                    return Err(Raw::malformed(
                        t.span.0,
                        format!(
                            "expected an element of `{name}`, found {}",
                            other.describe()
                        ),
                    ));
                }
            }
            match self.peek() {
                Tok::Comma => {
                    self.next();
                }
                Tok::Subscript("->") => {
                    self.next();
                    let maps = self.mapping(name)?;
                    self.end()?;
                    return Ok(Rhs::Range(out, maps));
                }
                _ => break,
            }
        }
        self.end()?;
        Ok(Rhs::Range(out, Vec::new()))
    }

    /// The ranges after `->`, separated by commas; a mapping onto listed
    /// elements (`-> (b: b3, b1)`) is refused.
    fn mapping(&mut self, name: &str) -> Result<Vec<(String, Span)>, Raw> {
        let mut out = Vec::new();
        loop {
            let t = self.next();
            match t.tok {
                Tok::Name(n) => out.push((n, t.span)),
                Tok::LParen => {
                    return Err(Raw::unsupported(
                        t.span.0,
                        format!(
                            "the mapping of `{name}` onto listed elements (`-> (range: …)`) \
                             is not supported yet"
                        ),
                    ));
                }
                other => {
                    return Err(Raw::malformed(
                        t.span.0,
                        format!(
                            "expected a range's name after `->`, found {}",
                            other.describe()
                        ),
                    ));
                }
            }
            if *self.peek() != Tok::Comma {
                return Ok(out);
            }
            self.next();
        }
    }

    /// `(a1-a9)` after its `(`: the elements `a1` to `a9`.
    fn numeric_range(&mut self, at: usize) -> Result<Vec<(String, Span)>, Raw> {
        let bad = || {
            Raw::unsupported(
                at,
                "a numeric range reads `(a1-a9)`: a prefix, then numbers from low to high",
            )
        };
        let (Tok::Name(a), Tok::Minus, Tok::Name(b)) =
            (self.next().tok, self.next().tok, self.next().tok)
        else {
            return Err(bad());
        };
        let close = self.expect(Tok::RParen, "to close a numeric range")?;
        let split = |s: &str| {
            let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (p, n) = s.split_at(s.len() - digits);
            Some((p.to_string(), n.parse::<usize>().ok()?))
        };
        let ((pa, lo), (pb, hi)) = (split(&a).ok_or_else(bad)?, split(&b).ok_or_else(bad)?);
        if pa != pb || lo > hi {
            return Err(bad());
        }
        let n = hi - lo + 1;
        if n > MAX_ELEMENTS || n.saturating_mul(pa.len() + 20) > MAX_NUMERIC_RANGE_BYTES {
            return Err(Raw::invalid(
                at,
                format!(
                    "the numeric range `({a}-{b})` has {n} elements: a range has at most \
                     {MAX_ELEMENTS} (the limit of a variable's elements)"
                ),
            ));
        }
        self.take(at, n)?;
        Ok((lo..=hi)
            .map(|k| (format!("{pa}{k}"), (at, close.1)))
            .collect())
    }

    /// `n` elements more for the file's ranges, refused past the limit.
    fn take(&mut self, at: usize, n: usize) -> Result<(), Raw> {
        if n > self.budget {
            return Err(Raw::invalid(
                at,
                format!(
                    "the subscript ranges have more than {MAX_FLAT_VARIABLES} elements in \
                     all (the limit)"
                ),
            ));
        }
        self.budget -= n;
        Ok(())
    }

    /// `TABBED ARRAY(1 2 \n 3 4)` filling an equation: numbers apart by
    /// spaces or tabs, a row per line; `None` (and the parser unmoved)
    /// when the equation is not one.
    fn tabbed(&mut self) -> Result<Option<Rhs>, Raw> {
        let is_tabbed =
            matches!(self.peek(), Tok::Name(n) if super::canonical(n) == "tabbed array");
        if !is_tabbed || self.tokens.get(self.pos + 1).map(|t| &t.tok) != Some(&Tok::LParen) {
            return Ok(None);
        }
        self.pos += 2;
        let mut out = Vec::new();
        let mut rows: Vec<usize> = Vec::new();
        while *self.peek() != Tok::RParen {
            if rows.is_empty() || (self.new_line[self.pos] && rows.last() != Some(&0)) {
                rows.push(0);
            }
            out.push(self.signed()?);
            if let Some(r) = rows.last_mut() {
                *r += 1;
            }
        }
        self.next();
        self.end()?;
        if out.is_empty() {
            return Err(Raw::invalid(
                self.span().0,
                "`TABBED ARRAY` holds no number",
            ));
        }
        Ok(Some(Rhs::List(out, Some(rows))))
    }

    /// A list of numbers `1, 2; 3, 4;` filling an equation, with its
    /// rows' lengths when it has a `;`; `None` (and the parser unmoved)
    /// when the equation is not one.
    fn list(&mut self) -> Option<Rhs> {
        let start = self.pos;
        let mut out = Vec::new();
        let mut rows = Vec::new();
        let mut row = 0;
        let mut separated = false;
        while let Ok(v) = self.signed() {
            out.push(v);
            row += 1;
            match self.peek() {
                Tok::Comma => {
                    self.next();
                    separated = true;
                }
                Tok::Subscript(";") => {
                    self.next();
                    separated = true;
                    rows.push(row);
                    row = 0;
                }
                _ => break,
            }
            if *self.peek() == Tok::Eof {
                break;
            }
        }
        if separated && *self.peek() == Tok::Eof && !out.is_empty() {
            if row > 0 && !rows.is_empty() {
                rows.push(row);
            }
            return Some(Rhs::List(out, (!rows.is_empty()).then_some(rows)));
        }
        self.pos = start;
        None
    }

    /// `[a, b!, c]` from its `[`: the subscripts, `!` only where `reduce`.
    fn subscripts(&mut self, reduce: bool) -> Result<Vec<SubRef>, Raw> {
        self.next();
        let mut out = Vec::new();
        loop {
            let t = self.next();
            let Tok::Name(name) = t.tok else {
                return Err(Raw::malformed(
                    t.span.0,
                    format!("expected a subscript, found {}", t.tok.describe()),
                ));
            };
            let bang = *self.peek() == Tok::Subscript("!");
            if bang {
                let at = self.next().span.0;
                if !reduce {
                    return Err(Raw::invalid(at, "`!` belongs in a reference, not here"));
                }
            }
            out.push(SubRef {
                name,
                bang,
                span: t.span,
            });
            if *self.peek() != Tok::Comma {
                break;
            }
            self.next();
        }
        self.expect(Tok::RBracket, "to close the subscripts")?;
        Ok(out)
    }

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

    /// Left-associative binary operators from precedence `min` up, by
    /// precedence climbing (one frame per operand, so that deep
    /// parentheses take little stack); `:NOT:` sits between `:AND:` and
    /// the comparisons.
    fn binary(&mut self, min: usize) -> Result<Expr, Raw> {
        let mut e = match self.peek() {
            Tok::Keyword(k) if k == "NOT" && min <= NOT_LEVEL => {
                let t = self.next();
                let x = self.nested(|p| p.binary(NOT_LEVEL))?;
                let span = (t.span.0, x.span.1);
                mk(Node::Not(Box::new(x)), span)?
            }
            _ => self.unary()?,
        };
        loop {
            let Some((op, level)) = binop(self.peek()).and_then(level_of) else {
                return Ok(e);
            };
            if level < min {
                return Ok(e);
            }
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

    /// `a ^ b ^ c` as `a ^ (b ^ c)`; an exponent may carry a sign
    /// (`2^-2^-3` is `2^-(2^-3)`): Vensim's reading, suite model
    /// `arithmetics` (`4^3^2` = 262144).
    fn power(&mut self) -> Result<Expr, Raw> {
        let e = self.primary()?;
        if *self.peek() != Tok::Caret {
            return Ok(e);
        }
        self.next();
        let r = self.nested(Self::unary)?;
        let span = (e.span.0, r.span.1);
        mk(Node::Binary(BinOp::Pow, Box::new(e), Box::new(r)), span)
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
        self.named(name, t.span)
    }

    /// A name in an expression: a variable, `x[a, b!]`, or a call. Apart
    /// from `primary` so that deep parentheses take little stack.
    #[inline(never)]
    fn named(&mut self, name: String, span: Span) -> Result<Expr, Raw> {
        let subs = if *self.peek() == Tok::LBracket {
            self.subscripts(true)?
        } else {
            Vec::new()
        };
        match self.peek() {
            Tok::LParen => self.call(name, subs, span),
            _ if subs.is_empty() => mk(Node::Name(name), span),
            _ => {
                let end = self.tokens[self.pos - 1].span.1;
                mk(Node::Sub { name, subs }, (span.0, end))
            }
        }
    }

    fn call(&mut self, name: String, subs: Vec<SubRef>, name_span: Span) -> Result<Expr, Raw> {
        let at = self.next().span.0;
        if super::canonical(&name) == "tabbed array" {
            return Err(Raw::unsupported(
                at,
                "`TABBED ARRAY` must be the whole equation of its variable",
            ));
        }
        let with_lookup = super::canonical(&name) == "with lookup";
        let mut args = Vec::new();
        if !matches!(self.peek(), Tok::RParen | Tok::Colon) {
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
        let outputs = self.outputs()?;
        let close = self.expect(Tok::RParen, &format!("to close `{name}(`"))?;
        let node = Node::Call {
            name,
            subs,
            args,
            outputs,
        };
        mk(node, (name_span.0, close.1))
    }

    /// A macro call's `: y, z` before its `)`: the variables its further
    /// outputs go to (none without a `:`).
    fn outputs(&mut self) -> Result<Vec<(String, Span)>, Raw> {
        let mut out = Vec::new();
        if *self.peek() != Tok::Colon {
            return Ok(out);
        }
        self.next();
        loop {
            let t = self.next();
            let Tok::Name(n) = t.tok else {
                return Err(Raw::malformed(
                    t.span.0,
                    format!(
                        "expected the name of a macro's output after `:`, found {}",
                        t.tok.describe()
                    ),
                ));
            };
            out.push((n, t.span));
            if *self.peek() != Tok::Comma {
                return Ok(out);
            }
            self.next();
        }
    }

    /// A lookup's points after its `(`, up to and with its `)`: an
    /// optional range `[(x0,y0)-(x1,y1)(,(x,y))*]`, then `(x,y)` pairs, or
    /// all the x then all the y.
    fn table_body(&mut self) -> Result<Vec<(f64, f64)>, Raw> {
        let start = self.span().0;
        if let Tok::Name(n) = self.peek()
            && super::canonical(n).starts_with("get ")
        {
            return Err(Raw::unsupported(
                start,
                format!(
                    "`{n}` as the points of `WITH LOOKUP` is not supported: read them into \
                     a lookup of their own (`name(GET XLS LOOKUPS(…))`)"
                ),
            ));
        }
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
        // Vensim reads the points sorted by x (suite model
        // `subscripted_lookups`); an x given twice has no meaning.
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(w) = points.windows(2).find(|w| w[1].0 == w[0].0) {
            return Err(Raw::invalid(
                start,
                format!("a lookup's x values must differ: {} is given twice", w[0].0),
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
/// An operator and its precedence level (`^` is apart, in `power`).
fn level_of(op: BinOp) -> Option<(BinOp, usize)> {
    LEVELS.iter().position(|l| l.contains(&op)).map(|l| (op, l))
}

/// Where `:NOT:` applies: to a comparison.
const NOT_LEVEL: usize = 2;

/// Every node of `e`, parents first.
pub(super) fn walk<'e>(e: &'e Expr, f: &mut impl FnMut(&'e Expr)) {
    f(e);
    match &e.node {
        Node::Call { args, .. } => args.iter().for_each(|a| walk(a, f)),
        Node::Neg(a) | Node::Not(a) => walk(a, f),
        Node::Binary(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.node {
            Node::Num(n) => format!("{n}"),
            Node::Na => "NA".into(),
            Node::Name(n) => n.clone(),
            Node::Sub { name, subs } => {
                let s: Vec<String> = subs
                    .iter()
                    .map(|s| format!("{}{}", s.name, if s.bang { "!" } else { "" }))
                    .collect();
                format!("{name}[{}]", s.join(","))
            }
            Node::Call { name, args, .. } => {
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
        match equation(s, (0, s.len()), &mut MAX_FLAT_VARIABLES.clone())
            .unwrap()
            .rhs
        {
            Rhs::Eqn(e) => shape(&e),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn ranges_read_their_mappings() {
        let range = |s: &str| equation(s, (0, s.len()), &mut 100).map(|q| q.rhs);
        let names = |v: &[(String, Span)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        let Ok(Rhs::Range(m, maps)) = range("d: a, b -> e, f") else {
            panic!("not a range");
        };
        assert_eq!(
            (names(&m), names(&maps)),
            (vec!["a".into(), "b".into()], vec!["e".into(), "f".into()])
        );
        let Ok(Rhs::Range(_, maps)) = range("d: a, b") else {
            panic!("not a range");
        };
        assert!(maps.is_empty());
        let e = range("d: a -> (e: f)").unwrap_err();
        assert!(e.message.contains("listed elements"), "{}", e.message);
        let e = range("d: a -> 3").unwrap_err();
        assert!(e.message.contains("after `->`"), "{}", e.message);
    }

    #[test]
    fn tabbed_arrays_are_lists_of_a_row_per_line() {
        assert_eq!(
            eqn("x[a, b] = TABBED ARRAY(\n\t1\t2\n\t-3\t4.5)"),
            "List([1.0, 2.0, -3.0, 4.5], Some([2, 2]))"
        );
        assert_eq!(
            eqn("x[a] == TABBED ARRAY(1 2 3)"),
            "List([1.0, 2.0, 3.0], Some([3]))"
        );
        let bad = |s: &str| equation(s, (0, s.len()), &mut 100).unwrap_err();
        assert_eq!(
            bad("x[a] = TABBED ARRAY(1 2").kind,
            super::super::MdlErrorKind::Malformed
        );
        assert_eq!(
            bad("x[a] = TABBED ARRAY()").kind,
            super::super::MdlErrorKind::Invalid
        );
        assert_eq!(
            bad("x[a] = TABBED ARRAY(1) + 1").kind,
            super::super::MdlErrorKind::Malformed
        );
        let e = bad("x[a] = 1 + TABBED ARRAY(1)");
        assert!(e.message.contains("whole equation"), "{}", e.message);
    }

    #[test]
    fn precedence_follows_vensim() {
        assert_eq!(eqn("x = -2^2"), "(- (2 Pow 2))");
        assert_eq!(eqn("x = 2^3^2"), "(2 Pow (3 Pow 2))");
        assert_eq!(eqn("x = 2^-2^-3"), "(2 Pow (- (2 Pow (- 3))))");
        assert_eq!(eqn("x = 2^-1"), "(2 Pow (- 1))");
        assert_eq!(eqn("x = a = b :AND: :NOT: c"), "((a Eq b) And (not c))");
        assert_eq!(eqn("x = 4 - 5 + 6"), "((4 Sub 5) Add 6)");
        assert_eq!(
            eqn("x = WITH LOOKUP(t, ([(0,0)-(1,1)],(0,1),(1,- 2)))"),
            "WITH LOOKUP(t,[(0.0, 1.0), (1.0, -2.0)])"
        );
        assert_eq!(eqn("t(1, 2, 3, 4)"), "Lookup([(1.0, 3.0), (2.0, 4.0)])");
        assert_eq!(eqn("t((0,1),(2,3))"), "Lookup([(0.0, 1.0), (2.0, 3.0)])");
        let bad = |s: &str| equation(s, (0, s.len()), &mut 100).unwrap_err();
        assert_eq!(eqn("x[a] = SUM(y[a, b!])"), "SUM(y[a,b!])");
        assert_eq!(
            eqn("x[a, b] = 1, 2; 3, 4;"),
            "List([1.0, 2.0, 3.0, 4.0], Some([2, 2]))"
        );
        assert_eq!(eqn("x[a] = 1, 2"), "List([1.0, 2.0], None)");
        assert_eq!(eqn("x[a] = 5;"), "List([5.0], Some([1]))");
        assert_eq!(
            eqn("d: (a1-a3), b"),
            "Range([(\"a1\", (3, 10)), (\"a2\", (3, 10)), (\"a3\", (3, 10)), (\"b\", (12, 13))], [])"
        );
        assert_eq!(
            bad("d: a, b -> (e: f, g)").kind,
            super::super::MdlErrorKind::Unsupported
        );
        let except = "x[d] :EXCEPT: [a], [b] = 1";
        let q = equation(except, (0, except.len()), &mut 100).unwrap();
        assert_eq!(q.except.len(), 2);
        assert_eq!(
            bad("x[d] :EXCEPT: [a] = 1, 2").kind,
            super::super::MdlErrorKind::Invalid
        );
        assert_eq!(bad("x = (1").kind, super::super::MdlErrorKind::Malformed);
        assert_eq!(eqn("t((1,0),(0,1))"), "Lookup([(0.0, 1.0), (1.0, 0.0)])");
        assert_eq!(
            bad("t((1,0),(1,1))").kind,
            super::super::MdlErrorKind::Invalid
        );
        assert!(equation("x = ", (0, 4), &mut 100).is_err());
        let deep = format!("x = {}", "(".repeat(10_000));
        assert!(equation(&deep, (0, deep.len()), &mut 100).is_err());
    }
}
