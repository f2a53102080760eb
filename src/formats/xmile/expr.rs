//! XMILE equations (XMILE 3.3) read into a syntax tree of their own:
//! case-insensitive keywords, `=` and `<>` comparisons, `MOD`, quoted names,
//! `{comments}`, numbers such as `.5` and `6E5`. `translate` then writes
//! the tree in our equation language.
//!
//! Precedence, loosest first (XMILE 3.3.1): `IF THEN ELSE`, `OR`, `AND`,
//! `= <>`, `< <= > >=`, `+ -`, `* / MOD`, unary `+ - NOT`, `^`
//! (right-associative, tighter than unary minus: `-2^2` is -4).

/// Deeper nesting than this is refused, so that no equation exhausts the stack.
const MAX_DEPTH: usize = 100;
/// Taller trees are refused: every later pass recurses on the tree.
const MAX_HEIGHT: usize = 256;

/// A byte range in the equation's text.
pub type Span = (usize, usize);

/// What is wrong with an equation, and where in its text.
#[derive(Clone, Debug, PartialEq)]
pub struct EqnError {
    pub span: Span,
    pub message: String,
    /// Valid XMILE that Trajectoire does not simulate (arrays, unknown
    /// functions), rather than a mistake in the file.
    pub unsupported: bool,
}

impl EqnError {
    pub fn invalid(span: Span, message: impl Into<String>) -> Self {
        EqnError {
            span,
            message: message.into(),
            unsupported: false,
        }
    }

    pub fn unsupported(span: Span, message: impl Into<String>) -> Self {
        EqnError {
            span,
            message: message.into(),
            unsupported: true,
        }
    }
}

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
    Mod,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
}

/// An XMILE expression, names as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Num(f64),
    /// A variable's name, or a built-in constant such as `TIME`.
    Name(String),
    Call {
        name: String,
        args: Vec<Expr>,
    },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `name[a, b]`: elements or dimensions as written, `*` for a whole
    /// dimension (XMILE 3.7.1).
    Subscript {
        name: String,
        subs: Vec<String>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub node: Node,
    pub span: Span,
    height: usize,
}

impl Expr {
    fn new(node: Node, span: Span) -> Result<Expr, EqnError> {
        let height = 1 + match &node {
            Node::Num(_) | Node::Name(_) | Node::Subscript { .. } => 0,
            Node::Call { args, .. } => args.iter().map(|a| a.height).max().unwrap_or(0),
            Node::Unary(_, a) => a.height,
            Node::Binary(_, a, b) => a.height.max(b.height),
            Node::If(c, a, b) => c.height.max(a.height).max(b.height),
        };
        if height > MAX_HEIGHT {
            return Err(EqnError::invalid(
                span,
                format!("the equation is nested more than {MAX_HEIGHT} levels deep"),
            ));
        }
        Ok(Expr { node, span, height })
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Quoted(String),
    Op(BinOp),
    Plus,
    Minus,
    Not,
    If,
    Then,
    Else,
    LParen,
    RParen,
    Comma,
    /// `[` and `]`: a subscript.
    LBracket,
    RBracket,
    /// `.`: a qualified name or a dimension's element.
    Dot,
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Num(n) => format!("number {n}"),
            Tok::Ident(s) => format!("name `{s}`"),
            Tok::Quoted(s) => format!("name \"{s}\""),
            Tok::Op(_) | Tok::Plus | Tok::Minus => "an operator".into(),
            Tok::Not => "`NOT`".into(),
            Tok::If => "`IF`".into(),
            Tok::Then => "`THEN`".into(),
            Tok::Else => "`ELSE`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::Comma => "`,`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Dot => "`.`".into(),
            Tok::Eof => "the end of the equation".into(),
        }
    }
}

struct Token {
    tok: Tok,
    span: Span,
}

/// Reads an XMILE equation.
pub fn parse(src: &str) -> Result<Expr, EqnError> {
    let tokens = lex(src)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    if p.peek() == &Tok::Eof {
        return Err(EqnError::invalid((0, src.len()), "the equation is empty"));
    }
    let e = p.expr()?;
    match p.peek() {
        Tok::Eof => Ok(e),
        Tok::LBracket => Err(p.arrays()),
        other => Err(EqnError::invalid(
            p.span(),
            format!(
                "unexpected {} after a complete expression",
                other.describe()
            ),
        )),
    }
}

fn lex(src: &str) -> Result<Vec<Token>, EqnError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = src[i..].chars().next() {
        let start = i;
        let (tok, len) = match c {
            c if c.is_whitespace() => {
                i += c.len_utf8();
                continue;
            }
            '{' => {
                let end = src[i..].find('}').ok_or_else(|| {
                    EqnError::invalid((i, src.len()), "a comment `{` is never closed by `}`")
                })?;
                i += end + 1;
                continue;
            }
            '0'..='9' => number(src, i)?,
            '.' if src[i + 1..].starts_with(|d: char| d.is_ascii_digit()) => number(src, i)?,
            '"' => quoted(src, i)?,
            c if c.is_alphabetic() || c == '_' => word(src, i),
            _ => symbol(src, i)?,
        };
        i += len;
        out.push(Token {
            tok,
            span: (start, i),
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: (src.len(), src.len()),
    });
    Ok(out)
}

/// `[digits][.digits][E[±]digits]`.
fn number(src: &str, start: usize) -> Result<(Tok, usize), EqnError> {
    let i = crate::formats::sd_common::open::number_end(src, start);
    let text = &src[start..i];
    let value: f64 = text
        .parse()
        .map_err(|_| EqnError::invalid((start, i), format!("`{text}` is not a number")))?;
    if !value.is_finite() {
        return Err(EqnError::invalid(
            (start, i),
            format!("the number `{text}` is too large"),
        ));
    }
    Ok((Tok::Num(value), i - start))
}

/// A name in double quotes, with `\"` and `\\` inside.
fn quoted(src: &str, start: usize) -> Result<(Tok, usize), EqnError> {
    let mut escaped = false;
    for (k, c) in src[start + 1..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                let end = start + 1 + k + 1;
                return Ok((Tok::Quoted(src[start..end].to_string()), end - start));
            }
            _ => {}
        }
    }
    Err(EqnError::invalid(
        (start, src.len()),
        "a quoted name is never closed by `\"`",
    ))
}

/// A name or a keyword: letters, digits, `_` and `$`, not starting with a digit.
fn word(src: &str, start: usize) -> (Tok, usize) {
    let len = src[start..]
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(src.len() - start);
    let w = &src[start..start + len];
    let tok = match w.to_ascii_lowercase().as_str() {
        "if" => Tok::If,
        "then" => Tok::Then,
        "else" => Tok::Else,
        "and" => Tok::Op(BinOp::And),
        "or" => Tok::Op(BinOp::Or),
        "not" => Tok::Not,
        "mod" => Tok::Op(BinOp::Mod),
        _ => Tok::Ident(w.to_string()),
    };
    (tok, len)
}

fn symbol(src: &str, i: usize) -> Result<(Tok, usize), EqnError> {
    let rest = &src[i..];
    let two = |s: &str| rest.starts_with(s);
    Ok(match rest.chars().next().unwrap_or(' ') {
        '<' if two("<=") => (Tok::Op(BinOp::Le), 2),
        '<' if two("<>") => (Tok::Op(BinOp::Ne), 2),
        '<' => (Tok::Op(BinOp::Lt), 1),
        '>' if two(">=") => (Tok::Op(BinOp::Ge), 2),
        '>' => (Tok::Op(BinOp::Gt), 1),
        '=' => (Tok::Op(BinOp::Eq), 1),
        '+' => (Tok::Plus, 1),
        '-' => (Tok::Minus, 1),
        '*' => (Tok::Op(BinOp::Mul), 1),
        '/' => (Tok::Op(BinOp::Div), 1),
        '^' => (Tok::Op(BinOp::Pow), 1),
        '(' => (Tok::LParen, 1),
        ')' => (Tok::RParen, 1),
        ',' => (Tok::Comma, 1),
        '[' => (Tok::LBracket, 1),
        ']' => (Tok::RBracket, 1),
        '.' => (Tok::Dot, 1),
        c => {
            return Err(EqnError::invalid(
                (i, i + c.len_utf8()),
                format!("unexpected character `{c}`"),
            ));
        }
    })
}

/// A quoted name without its quotes (its escapes kept, for `canonical`).
fn unquoted(name: &str) -> String {
    name.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(name)
        .to_string()
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
        let t = &self.tokens[self.pos];
        let t = Token {
            tok: t.tok.clone(),
            span: t.span,
        };
        if t.tok != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, want: Tok, context: &str) -> Result<Span, EqnError> {
        if *self.peek() == want {
            return Ok(self.next().span);
        }
        if *self.peek() == Tok::LBracket {
            return Err(self.arrays());
        }
        Err(EqnError::invalid(
            self.span(),
            format!(
                "expected {} {context}, found {}",
                want.describe(),
                self.peek().describe()
            ),
        ))
    }

    fn arrays(&self) -> EqnError {
        EqnError::unsupported(
            self.span(),
            "arrays (subscripts in `[ ]`) are not supported yet",
        )
    }

    /// Runs `f` one level deeper, refusing nesting beyond [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, EqnError>,
    ) -> Result<T, EqnError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(EqnError::invalid(
                self.span(),
                format!("the equation is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn expr(&mut self) -> Result<Expr, EqnError> {
        self.nested(|p| {
            if *p.peek() == Tok::If {
                p.if_expr()
            } else {
                p.binary(0)
            }
        })
    }

    fn if_expr(&mut self) -> Result<Expr, EqnError> {
        let start = self.next().span;
        let c = self.expr()?;
        self.expect(Tok::Then, "after the condition of `IF`")?;
        let a = self.expr()?;
        self.expect(Tok::Else, "in `IF ... THEN ... ELSE ...`")?;
        let b = self.expr()?;
        let span = (start.0, b.span.1);
        Expr::new(Node::If(Box::new(c), Box::new(a), Box::new(b)), span)
    }

    /// Left-associative binary operators from precedence `level` up.
    fn binary(&mut self, level: usize) -> Result<Expr, EqnError> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut e = self.binary(level + 1)?;
        loop {
            let op = match self.peek() {
                Tok::Op(op) if LEVELS[level].contains(op) => *op,
                Tok::Plus if LEVELS[level].contains(&BinOp::Add) => BinOp::Add,
                Tok::Minus if LEVELS[level].contains(&BinOp::Sub) => BinOp::Sub,
                _ => return Ok(e),
            };
            self.next();
            let r = self.binary(level + 1)?;
            let span = (e.span.0, r.span.1);
            e = Expr::new(Node::Binary(op, Box::new(e), Box::new(r)), span)?;
        }
    }

    fn unary(&mut self) -> Result<Expr, EqnError> {
        let op = match self.peek() {
            Tok::Minus => Some(UnOp::Neg),
            Tok::Not => Some(UnOp::Not),
            Tok::Plus => None,
            _ => return self.power(),
        };
        let t = self.next();
        let e = self.nested(Self::unary)?;
        let Some(op) = op else {
            return Ok(e);
        };
        let span = (t.span.0, e.span.1);
        Expr::new(Node::Unary(op, Box::new(e)), span)
    }

    fn power(&mut self) -> Result<Expr, EqnError> {
        let base = self.primary()?;
        if *self.peek() != Tok::Op(BinOp::Pow) {
            return Ok(base);
        }
        self.next();
        // Right-associative, and the exponent may carry a sign: `2^-1`.
        let exp = self.nested(Self::unary)?;
        let span = (base.span.0, exp.span.1);
        Expr::new(
            Node::Binary(BinOp::Pow, Box::new(base), Box::new(exp)),
            span,
        )
    }

    fn primary(&mut self) -> Result<Expr, EqnError> {
        let t = self.next();
        let name = match t.tok {
            Tok::Num(n) => return Expr::new(Node::Num(n), t.span),
            Tok::LParen => {
                let e = self.expr()?;
                let close = self.expect(Tok::RParen, "to close `(`")?;
                return Ok(Expr {
                    span: (t.span.0, close.1),
                    ..e
                });
            }
            Tok::If => {
                self.pos -= 1;
                return self.expr();
            }
            Tok::Ident(name) | Tok::Quoted(name) => name,
            Tok::LBracket => {
                self.pos -= 1;
                return Err(self.arrays());
            }
            other => {
                return Err(EqnError::invalid(
                    t.span,
                    format!(
                        "expected a number, a name or `(`, found {}",
                        other.describe()
                    ),
                ));
            }
        };
        let (name, span) = self.qualified(name, t.span)?;
        match self.peek() {
            Tok::LParen => self.call(name, span),
            Tok::LBracket => self.subscript(name, span),
            _ => Expr::new(Node::Name(name), span),
        }
    }

    /// A name and the `.part`s that follow it (XMILE 3.2.2's dot
    /// notation: `Instance.var`, `"An instance".var`, `outer.inner.var`,
    /// a module's variable; `Dim.elem` too, which `translate` refuses),
    /// joined by `.`, each part's quotes removed.
    fn qualified(&mut self, mut name: String, mut span: Span) -> Result<(String, Span), EqnError> {
        if *self.peek() == Tok::Dot {
            name = unquoted(&name);
        }
        while *self.peek() == Tok::Dot {
            self.next();
            let t = self.next();
            match t.tok {
                Tok::Ident(part) | Tok::Quoted(part) => {
                    name = format!("{name}.{}", unquoted(&part));
                    span.1 = t.span.1;
                }
                other => {
                    return Err(EqnError::invalid(
                        t.span,
                        format!(
                            "expected a name after `{name}.`, found {}",
                            other.describe()
                        ),
                    ));
                }
            }
        }
        Ok((name, span))
    }

    /// `name[sub, …]`: each an element or dimension name, or `*`;
    /// ranges, computed and numbered subscripts are refused.
    fn subscript(&mut self, name: String, name_span: Span) -> Result<Expr, EqnError> {
        self.next();
        let mut subs = Vec::new();
        loop {
            let t = self.next();
            match t.tok {
                Tok::Ident(s) | Tok::Quoted(s) => subs.push(s),
                Tok::Op(BinOp::Mul) => subs.push("*".into()),
                _ => {
                    return Err(EqnError::unsupported(
                        t.span,
                        format!(
                            "only element and dimension names (or `*`) are supported inside `{name}[ ]`"
                        ),
                    ));
                }
            }
            if *self.peek() != Tok::Comma {
                break;
            }
            self.next();
        }
        let close = self.expect(Tok::RBracket, &format!("to close `{name}[`"))?;
        Expr::new(Node::Subscript { name, subs }, (name_span.0, close.1))
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Expr, EqnError> {
        self.next();
        let mut args = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                args.push(self.expr()?);
                if *self.peek() != Tok::Comma {
                    break;
                }
                self.next();
            }
        }
        let close = self.expect(Tok::RParen, &format!("to close `{name}(`"))?;
        Expr::new(Node::Call { name, args }, (name_span.0, close.1))
    }
}

/// The binary operators by precedence, loosest first (`^` is in `power`).
const LEVELS: [&[BinOp]; 6] = [
    &[BinOp::Or],
    &[BinOp::And],
    &[BinOp::Eq, BinOp::Ne],
    &[BinOp::Lt, BinOp::Le, BinOp::Gt, BinOp::Ge],
    &[BinOp::Add, BinOp::Sub],
    &[BinOp::Mul, BinOp::Div, BinOp::Mod],
];

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.node {
            Node::Num(n) => format!("{n}"),
            Node::Name(n) => n.clone(),
            Node::Call { name, args } => {
                let a: Vec<String> = args.iter().map(shape).collect();
                format!("{name}({})", a.join(","))
            }
            Node::Unary(op, a) => format!("({op:?} {})", shape(a)),
            Node::Binary(op, a, b) => format!("({} {op:?} {})", shape(a), shape(b)),
            Node::If(c, a, b) => format!("(if {} {} {})", shape(c), shape(a), shape(b)),
            Node::Subscript { name, subs } => format!("{name}[{}]", subs.join(",")),
        }
    }

    #[test]
    fn subscripts_name_elements_dimensions_or_all() {
        let p = |s: &str| shape(&parse(s).unwrap());
        assert_eq!(
            p("SUM(a[*]) + b[Entry_1, d]"),
            "(SUM(a[*]) Add b[Entry_1,d])"
        );
        assert!(parse("a[1]").unwrap_err().unsupported, "numbered: not yet");
        assert!(parse("a[b + 1]").is_err());
    }

    #[test]
    fn precedence_follows_xmile() {
        let p = |s: &str| shape(&parse(s).unwrap());
        assert_eq!(p("-2^2"), "(Neg (2 Pow 2))");
        assert_eq!(p("2^3^2"), "(2 Pow (3 Pow 2))");
        assert_eq!(p("4 - 5 + 6"), "((4 Sub 5) Add 6)");
        assert_eq!(p("a = b AND NOT c"), "((a Eq b) And (Not c))");
        assert_eq!(p("7 mod 3 * 2"), "((7 Mod 3) Mul 2)");
        assert_eq!(p("IF x THEN 1 ELSE 2 {note}"), "(if x 1 2)");
        assert_eq!(p(".5 + 1e3 + 14."), "((0.5 Add 1000) Add 14)");
        assert_eq!(p("\"a b\"(x, 2)"), "\"a b\"(x,2)");
        assert!(parse("a[1]").unwrap_err().unsupported);
        assert!(!parse("(a").unwrap_err().unsupported);
        assert!(parse(&"(".repeat(10_000)).is_err());
        assert!(parse(&vec!["a"; 10_000].join("+")).is_err());
    }
}
