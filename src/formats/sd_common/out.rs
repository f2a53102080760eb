//! An expression of our equation language, built by an importer and
//! printed with only the parentheses our grammar needs (`parser.rs` in
//! `model::expr`), so that deep foreign expressions stay within our
//! nesting limit.

/// Our operators, by how tightly they bind (see [`level`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Or,
    And,
    Cmp(&'static str),
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// An expression of our language, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    Num(f64),
    Id(String),
    Call(String, Vec<Out>),
    Neg(Box<Out>),
    Not(Box<Out>),
    Bin(Op, Box<Out>, Box<Out>),
    If(Box<Out>, Box<Out>, Box<Out>),
    /// `id[a, b!, *]`: elements of an arrayed variable, each subscript
    /// already in our syntax.
    Sub(String, Vec<String>),
}

/// `o` printed in our language.
pub fn print(o: &Out) -> String {
    let mut s = String::new();
    write(o, 0, &mut s);
    s
}

/// How tightly an expression binds in our grammar, loosest 0.
fn level(o: &Out) -> u8 {
    match o {
        Out::If(..) => 0,
        Out::Bin(Op::Or, ..) => 1,
        Out::Bin(Op::And, ..) => 2,
        Out::Not(_) => 3,
        Out::Bin(Op::Cmp(_), ..) => 4,
        Out::Bin(Op::Add | Op::Sub, ..) => 5,
        Out::Bin(Op::Mul | Op::Div, ..) => 6,
        Out::Neg(_) => 7,
        Out::Bin(Op::Pow, ..) => 8,
        Out::Num(_) | Out::Id(_) | Out::Call(..) | Out::Sub(..) => 9,
    }
}

/// Writes `o`, in parentheses when it binds more loosely than `min`.
pub fn write(o: &Out, min: u8, s: &mut String) {
    let paren = level(o) < min;
    if paren {
        s.push('(');
    }
    match o {
        Out::Num(n) => s.push_str(&number(*n)),
        Out::Id(id) => s.push_str(id),
        Out::Sub(id, subs) => {
            s.push_str(id);
            s.push('[');
            s.push_str(&subs.join(", "));
            s.push(']');
        }
        Out::Call(f, args) => {
            s.push_str(f);
            s.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write(a, 0, s);
            }
            s.push(')');
        }
        Out::Neg(a) => {
            s.push('-');
            write(a, 7, s);
        }
        Out::Not(a) => {
            s.push_str("not ");
            write(a, 3, s);
        }
        Out::If(c, a, b) => {
            s.push_str("if ");
            write(c, 0, s);
            s.push_str(" then ");
            write(a, 0, s);
            s.push_str(" else ");
            write(b, 0, s);
        }
        Out::Bin(op, a, b) => {
            let (text, left, right) = match op {
                Op::Or => (" or ", 1, 2),
                Op::And => (" and ", 2, 3),
                Op::Cmp(c) => (*c, 5, 5),
                Op::Add => (" + ", 5, 6),
                Op::Sub => (" - ", 5, 6),
                Op::Mul => (" * ", 6, 7),
                Op::Div => (" / ", 6, 7),
                Op::Pow => ("^", 9, 7),
            };
            write(a, left, s);
            if let Op::Cmp(_) = op {
                s.push(' ');
                s.push_str(text);
                s.push(' ');
            } else {
                s.push_str(text);
            }
            write(b, right, s);
        }
    }
    if paren {
        s.push(')');
    }
}

/// A number as our lexer reads it back exactly: the shortest decimal that
/// round-trips, in exponent form when very large or very small.
pub fn number(n: f64) -> String {
    let a = n.abs();
    if a != 0.0 && !(1e-6..1e16).contains(&a) {
        format!("{n:e}")
    } else {
        format!("{n}")
    }
}
