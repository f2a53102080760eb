//! An XMILE equation's tree written in our equation language: names
//! resolved to ids, XMILE's functions to ours (`SMTH1` to `smooth1`,
//! `MOD` to `mod(a, b)`, `LOOKUP(table, x)` to `table(x)`), and only the
//! parentheses our grammar needs (`parser.rs` in `model::expr`), so that
//! deep XMILE expressions stay within our nesting limit.

use std::collections::HashMap;

use super::expr::{BinOp, EqnError, Expr, Node, Span, UnOp};
use super::macros::{Copies, Macro, Macros};
use crate::formats::sd_common::names::canonical;
pub use crate::formats::sd_common::out::number;
use crate::formats::sd_common::out::{Op, Out, write};
use crate::model::expr::Builtin;

/// What a name in an equation stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum Symbol {
    /// A variable or a lever: its id, and for a variable with a graphical
    /// function of its own, that lookup's id (Stella's `LOOKUP(var, x)`
    /// applies it to `x`).
    Value(String, Option<String>),
    /// A graphical function, called as `name(x)`: its lookup's id.
    Table(String),
}

/// The names an equation may use, by canonical name, and the variable
/// being defined (what `SELF` means).
pub struct Scope<'a> {
    pub symbols: &'a HashMap<String, Symbol>,
    pub owner: &'a str,
    pub arrays: &'a Arrays,
    /// The dimensions the equation runs over (the owner's).
    pub owner_dims: &'a [String],
    /// The file's macros, written out where they are called.
    pub macros: &'a Macros,
    /// Inside a macro's body: its parameters, each bound to the call's
    /// argument (the body sees nothing of the model).
    pub bound: Option<&'a HashMap<String, Out>>,
    /// The copies of macros with variables, one per call.
    pub copies: &'a Copies,
}

/// The model's dimensions and arrayed variables, for subscripts.
#[derive(Clone, Debug, Default)]
pub struct Arrays {
    /// Each dimension's id, by canonical name.
    pub dims: HashMap<String, String>,
    /// Each dimension's elements' ids by canonical name, by dimension id.
    pub elements: HashMap<String, HashMap<String, String>>,
    /// Each arrayed variable's dimensions, by variable id.
    pub vars: HashMap<String, Vec<String>>,
}

/// The equation `e` in our language.
pub fn translate(e: &Expr, scope: &Scope) -> Result<String, EqnError> {
    let out = tr(e, scope)?;
    let mut s = String::new();
    write(&out, 0, &mut s);
    Ok(s)
}

fn tr(e: &Expr, scope: &Scope) -> Result<Out, EqnError> {
    let b = |x: &Expr| tr(x, scope).map(Box::new);
    Ok(match &e.node {
        Node::Num(n) => Out::Num(*n),
        Node::Name(name) => name_ref(name, e.span, scope)?,
        Node::Call { name, args } => call(name, args, e.span, scope)?,
        Node::Unary(UnOp::Neg, a) => Out::Neg(b(a)?),
        Node::Unary(UnOp::Not, a) => Out::Not(b(a)?),
        Node::If(c, x, y) => Out::If(b(c)?, b(x)?, b(y)?),
        Node::Binary(BinOp::Mod, x, y) => {
            Out::Call("mod".into(), vec![tr(x, scope)?, tr(y, scope)?])
        }
        Node::Binary(op, x, y) => Out::Bin(our_op(*op), b(x)?, b(y)?),
        Node::Subscript { name, subs } => subscript(name, subs, e.span, scope)?,
    })
}

/// `a[b, c]`: each subscript an element of the variable's dimension, a
/// dimension the equation runs over, or one reduced by the enclosing
/// array function (`SUM(a[d])` in a scalar equation: our `sum(a[d!])`).
fn subscript(name: &str, subs: &[String], span: Span, scope: &Scope) -> Result<Out, EqnError> {
    let Some(Symbol::Value(id, _)) = scope.symbols.get(&canonical(name)) else {
        return Err(EqnError::invalid(
            span,
            format!("`{name}` is not a variable of this model"),
        ));
    };
    let Some(dims) = scope.arrays.vars.get(id) else {
        return Err(EqnError::invalid(
            span,
            format!("`{name}` has no dimensions"),
        ));
    };
    if dims.len() != subs.len() {
        return Err(EqnError::invalid(
            span,
            format!("`{name}` has {} dimensions, not {}", dims.len(), subs.len()),
        ));
    }
    let mut out = Vec::new();
    for (s, d) in subs.iter().zip(dims) {
        let c = canonical(s);
        let element = scope.arrays.elements.get(d).and_then(|e| e.get(&c));
        let sub = match (s.as_str(), element, scope.arrays.dims.get(&c)) {
            ("*", ..) => "*".to_string(),
            (_, Some(e), _) => e.clone(),
            (_, None, Some(dim)) if scope.owner_dims.contains(dim) => dim.clone(),
            (_, None, Some(dim)) => format!("{dim}!"),
            _ => {
                return Err(EqnError::invalid(
                    span,
                    format!("`{s}` is neither an element of `{name}` nor a dimension"),
                ));
            }
        };
        out.push(sub);
    }
    Ok(Out::Sub(id.clone(), out))
}

fn our_op(op: BinOp) -> Op {
    match op {
        BinOp::Or => Op::Or,
        BinOp::And => Op::And,
        BinOp::Eq => Op::Cmp("=="),
        BinOp::Ne => Op::Cmp("!="),
        BinOp::Lt => Op::Cmp("<"),
        BinOp::Le => Op::Cmp("<="),
        BinOp::Gt => Op::Cmp(">"),
        BinOp::Ge => Op::Cmp(">="),
        BinOp::Add => Op::Add,
        BinOp::Sub => Op::Sub,
        BinOp::Mul => Op::Mul,
        BinOp::Div => Op::Div,
        BinOp::Pow => Op::Pow,
        BinOp::Mod => unreachable!("MOD is a call in our language"),
    }
}

/// A name: a variable or lever of the model, else one of XMILE's
/// built-in constants (`TIME`, `DT`, `STARTTIME`, `STOPTIME`, `PI`,
/// `SELF`).
fn name_ref(name: &str, span: Span, scope: &Scope) -> Result<Out, EqnError> {
    let key = canonical(name);
    if let Some(v) = scope.bound.and_then(|b| b.get(&key)) {
        return Ok(v.clone());
    }
    match scope.symbols.get(&key) {
        Some(Symbol::Value(id, _)) => return Ok(Out::Id(id.clone())),
        Some(Symbol::Table(_)) => {
            return Err(EqnError::invalid(
                span,
                format!("`{name}` is a graphical function: call it with its input, `{name}(x)`"),
            ));
        }
        None => {}
    }
    Ok(Out::Id(
        match key.as_str() {
            "time" => "time",
            "dt" => "dt",
            "starttime" => "start_time",
            "stoptime" => "stop_time",
            "pi" => "pi",
            "self" => scope.owner,
            "inf" => {
                return Err(EqnError::unsupported(
                    span,
                    "`INF` (infinity) is not supported",
                ));
            }
            _ => return Err(unknown_name(name, &key, span, scope)),
        }
        .to_string(),
    ))
}

/// Why `name` (canonical `key`) names nothing: a dimension's element
/// written `Dim.elem` is not supported; another qualified name is no
/// module's variable.
fn unknown_name(name: &str, key: &str, span: Span, scope: &Scope) -> EqnError {
    match key.split_once('.') {
        Some((first, _)) if scope.arrays.dims.contains_key(first) => EqnError::unsupported(
            span,
            format!("dimension elements written `{name}` are not supported yet"),
        ),
        Some(_) => EqnError::invalid(
            span,
            format!("`{name}` is not a variable of a module of this model"),
        ),
        None => EqnError::invalid(span, format!("`{name}` is not a variable of this model")),
    }
}

/// A call: a graphical function of the model, or an XMILE built-in.
fn call(name: &str, args: &[Expr], span: Span, scope: &Scope) -> Result<Out, EqnError> {
    let key = canonical(name);
    if let Some(Symbol::Table(id)) = scope.symbols.get(&key) {
        return table_call(name, id, args, span, scope);
    }
    if let Some(m) = scope.macros.get(&key) {
        return expand(m, args, span, scope);
    }
    let ours = match key.as_str() {
        "min" | "max" => return min_max(name, &key, args, span, scope),
        "mean" if args.len() > 1 => return mean_of(args, scope),
        "lookup" => return lookup_call(name, args, span, scope),
        "if then else" => return if_call(name, args, span, scope),
        "time" | "dt" | "starttime" | "stoptime" | "pi" if args.is_empty() => {
            return name_ref(name, span, scope);
        }
        "smth1" => "smooth1",
        "smth3" => "smooth3",
        "smthn" => "smoothn",
        "forcst" => "forecast",
        "random" | "uniform" => "random_uniform",
        "normal" => "random_normal",
        "lognormal" => "random_lognormal",
        "poisson" => "random_poisson",
        "exprnd" => "random_exponential",
        "triangular" => "random_triangular",
        "gamma" => "random_gamma",
        "beta" => "random_beta",
        "weibull" => "random_weibull",
        "binomial" => "random_binomial",
        "abs" | "exp" | "ln" | "sqrt" | "sin" | "cos" | "tan" | "arcsin" | "arccos" | "arctan"
        | "log10" | "int" | "mod" | "safediv" | "xidz" | "zidz" | "step" | "ramp" | "pulse"
        | "delay1" | "delay3" | "delayn" | "delay" | "trend" | "init" | "previous" | "sum"
        | "prod" | "mean" => key.as_str(),
        // A variable, not a function (and not a built-in it shadows).
        _ if scope.symbols.contains_key(&key) => {
            return Err(EqnError::invalid(
                span,
                format!("`{name}` is a variable, not a function"),
            ));
        }
        _ => {
            return Err(EqnError::unsupported(
                span,
                format!("the function `{name}` is not supported"),
            ));
        }
    };
    let builtin = Builtin::from_name(ours).expect("every mapped function is a built-in");
    if !builtin.accepts(args.len()) {
        return Err(arity(name, &builtin.expected_args(), args.len(), span));
    }
    let args = args
        .iter()
        .map(|a| tr(a, scope))
        .collect::<Result<_, _>>()?;
    Ok(Out::Call(ours.to_string(), args))
}

fn arity(name: &str, expected: &str, got: usize, span: Span) -> EqnError {
    EqnError::invalid(span, format!("`{name}` takes {expected}, not {got}"))
}

/// `MIN(a, b, …)` and `MAX(a, b, …)`; with one argument they reduce an
/// array (XMILE 3.7.1.3).
fn min_max(
    name: &str,
    key: &str,
    args: &[Expr],
    span: Span,
    scope: &Scope,
) -> Result<Out, EqnError> {
    match args {
        [] => Err(arity(name, "2 arguments", 0, span)),
        // Of one array: its smallest or largest element.
        [x] => Ok(Out::Call(key.to_string(), vec![tr(x, scope)?])),
        [first, rest @ ..] => {
            let mut acc = tr(first, scope)?;
            for a in rest {
                acc = Out::Call(key.to_string(), vec![acc, tr(a, scope)?]);
            }
            Ok(acc)
        }
    }
}

/// A macro's call written out: its body with each parameter bound to the
/// call's argument (translated in the caller's scope) or to its default.
/// An argument that draws a random number may be read once only (each
/// reading would draw its own).
fn expand(m: &Macro, args: &[Expr], span: Span, scope: &Scope) -> Result<Out, EqnError> {
    let (required, all) = m.arities();
    if args.len() < required || args.len() > all {
        let expected = if required == all {
            format!("{all} argument{}", if all == 1 { "" } else { "s" })
        } else {
            format!("{required} to {all} arguments")
        };
        return Err(arity(&m.name, &expected, args.len(), span));
    }
    if m.has_variables {
        return copied(m, span, scope);
    }
    let mut bound = HashMap::new();
    for (i, (key, default)) in m.parms.iter().enumerate() {
        let value = match args.get(i) {
            Some(a) => tr(a, scope)?,
            None => Out::Num(default.unwrap_or(0.0)),
        };
        if draws(&value) && uses(&m.body, key) > 1 {
            return Err(EqnError::unsupported(
                span,
                format!(
                    "a random draw given to the macro `{}`, which reads it more than once, is \
                     not supported",
                    m.name
                ),
            ));
        }
        bound.insert(key.clone(), value);
    }
    let inner = Scope {
        symbols: &NO_SYMBOLS,
        owner: scope.owner,
        arrays: scope.arrays,
        owner_dims: &[],
        macros: scope.macros,
        bound: Some(&bound),
        copies: scope.copies,
    };
    tr(&m.body, &inner).map_err(|e| EqnError {
        span,
        message: format!("in the macro `{}`: {}", m.name, e.message),
        unsupported: e.unsupported,
    })
}

/// A call of a macro with variables: its `<eqn>` over the call's copy
/// (`build.rs` made one for each call of a scalar equation).
fn copied(m: &Macro, span: Span, scope: &Scope) -> Result<Out, EqnError> {
    let refuse = |why: &str| {
        Err(EqnError::unsupported(
            span,
            format!("the macro `{}` has variables of its own: {why}", m.name),
        ))
    };
    if scope.bound.is_some() {
        return refuse("calling it from another macro's equation is not supported");
    }
    if !scope.owner_dims.is_empty() {
        return refuse("calling it from an arrayed equation is not supported");
    }
    let Some(symbols) = scope.copies.get(&(scope.owner.to_string(), span.0)) else {
        return refuse("it cannot be called here");
    };
    let inner = Scope {
        symbols,
        owner: scope.owner,
        arrays: scope.arrays,
        owner_dims: &[],
        macros: scope.macros,
        bound: None,
        copies: scope.copies,
    };
    tr(&m.body, &inner).map_err(|e| EqnError {
        span,
        message: format!("in the macro `{}`: {}", m.name, e.message),
        unsupported: e.unsupported,
    })
}

static NO_SYMBOLS: std::sync::LazyLock<HashMap<String, Symbol>> =
    std::sync::LazyLock::new(HashMap::new);

/// Whether `o` draws a random number.
fn draws(o: &Out) -> bool {
    match o {
        Out::Num(_) | Out::Id(_) | Out::Sub(..) => false,
        Out::Call(f, args) => f.starts_with("random_") || args.iter().any(draws),
        Out::Neg(a) | Out::Not(a) => draws(a),
        Out::Bin(_, a, b) => draws(a) || draws(b),
        Out::If(c, a, b) => draws(c) || draws(a) || draws(b),
    }
}

/// How many times `e` reads the name `key`.
fn uses(e: &Expr, key: &str) -> usize {
    match &e.node {
        Node::Num(_) | Node::Subscript { .. } => 0,
        Node::Name(n) => usize::from(canonical(n) == key),
        Node::Call { args, .. } => args.iter().map(|a| uses(a, key)).sum(),
        Node::Unary(_, a) => uses(a, key),
        Node::Binary(_, a, b) => uses(a, key) + uses(b, key),
        Node::If(c, a, b) => uses(c, key) + uses(a, key) + uses(b, key),
    }
}

/// `MEAN(a, b, …)` of several values (XMILE 3.5.3; of one array, our
/// `mean`): their sum, added left to right, over their number.
fn mean_of(args: &[Expr], scope: &Scope) -> Result<Out, EqnError> {
    let mut sum = tr(&args[0], scope)?;
    for a in &args[1..] {
        sum = Out::Bin(Op::Add, Box::new(sum), Box::new(tr(a, scope)?));
    }
    let n = Out::Num(args.len() as f64);
    Ok(Out::Bin(Op::Div, Box::new(sum), Box::new(n)))
}

/// `table(x)` for a graphical function of the model.
fn table_call(
    name: &str,
    id: &str,
    args: &[Expr],
    span: Span,
    scope: &Scope,
) -> Result<Out, EqnError> {
    match args {
        [x] => Ok(Out::Call(id.to_string(), vec![tr(x, scope)?])),
        _ => Err(arity(name, "1 argument (its input)", args.len(), span)),
    }
}

/// Stella's `LOOKUP(table, x)`: `table(x)`, where `table` is a graphical
/// function or a variable with one.
fn lookup_call(name: &str, args: &[Expr], span: Span, scope: &Scope) -> Result<Out, EqnError> {
    let [table, x] = args else {
        return Err(arity(name, "2 arguments", args.len(), span));
    };
    let id = match &table.node {
        Node::Name(t) => match scope.symbols.get(&canonical(t)) {
            Some(Symbol::Table(id) | Symbol::Value(_, Some(id))) => Some(id),
            _ => None,
        },
        _ => None,
    };
    let Some(id) = id else {
        return Err(EqnError::invalid(
            table.span,
            format!("the first argument of `{name}` must name a graphical function"),
        ));
    };
    Ok(Out::Call(id.clone(), vec![tr(x, scope)?]))
}

/// The vendors' `IF_THEN_ELSE(c, a, b)`.
fn if_call(name: &str, args: &[Expr], span: Span, scope: &Scope) -> Result<Out, EqnError> {
    let [c, a, b] = args else {
        return Err(arity(name, "3 arguments", args.len(), span));
    };
    let t = |x: &Expr| tr(x, scope).map(Box::new);
    Ok(Out::If(t(c)?, t(a)?, t(b)?))
}

#[cfg(test)]
mod tests {
    use super::super::expr::parse;
    use super::*;

    fn tr_str(src: &str) -> Result<String, EqnError> {
        let mut symbols = HashMap::new();
        for n in ["a", "b", "c", "stock 1"] {
            symbols.insert(n.to_string(), Symbol::Value(n.replace(' ', "_"), None));
        }
        symbols.insert("effect".to_string(), Symbol::Table("effect_gf".into()));
        let scope = Scope {
            symbols: &symbols,
            owner: "a",
            arrays: &Arrays::default(),
            owner_dims: &[],
            macros: &Macros::new(),
            bound: None,
            copies: &Copies::new(),
        };
        translate(&parse(src)?, &scope)
    }

    #[test]
    fn equations_read_as_ours() {
        let t = |s: &str| tr_str(s).unwrap();
        assert_eq!(t("-2^2"), "-2^2");
        assert_eq!(t("(-2)^2"), "(-2)^2");
        assert_eq!(t("2^-1"), "2^-1");
        assert_eq!(t("a - (b - c)"), "a - (b - c)");
        assert_eq!(t("(a - b) - c"), "a - b - c");
        assert_eq!(t("a = b = c"), "(a == b) == c");
        assert_eq!(t("a <> b"), "a != b");
        assert_eq!(t("NOT a = b"), "(not a) == b");
        assert_eq!(t("a MOD b * c"), "mod(a, b) * c");
        assert_eq!(t("1 + IF a THEN b ELSE c"), "1 + (if a then b else c)");
        assert_eq!(t("IF_THEN_ELSE(a, b, c)"), "if a then b else c");
        assert_eq!(t("Stock_1 + SMTH1(a, 3)"), "stock_1 + smooth1(a, 3)");
        assert_eq!(t("MAX(a, b, c)"), "max(max(a, b), c)");
        assert_eq!(
            t("LOOKUP(effect, TIME) + Effect(a)"),
            "effect_gf(time) + effect_gf(a)"
        );
        assert_eq!(
            t("PREVIOUS(SELF, 0) + STARTTIME"),
            "previous(a, 0) + start_time"
        );
        assert_eq!(t("1e-9 + 1e20 + 0.1"), "1e-9 + 1e20 + 0.1");
        assert_eq!(
            t("RANDOM(0, a) + POISSON(3)"),
            "random_uniform(0, a) + random_poisson(3)"
        );
    }

    #[test]
    fn what_cannot_be_translated_says_why() {
        let e = tr_str("FOO(a)").unwrap_err();
        assert!(e.unsupported && e.message.contains("FOO"), "{e:?}");
        assert_eq!(e.span, (0, 6));
        let e = tr_str("a + d").unwrap_err();
        assert!(!e.unsupported && e.span == (4, 5), "{e:?}");
        assert_eq!(
            tr_str("MIN(a)").unwrap(),
            "min(a)",
            "of one array: its smallest"
        );
        assert!(tr_str("SMTH1(a)").unwrap_err().message.contains("2 or 3"));
        assert_eq!(tr_str("MEAN(a, b, 4)").unwrap(), "(a + b + 4) / 3");
        assert_eq!(tr_str("MEAN(a)").unwrap(), "mean(a)");
        assert_eq!(tr_str("MAX(a, b, 4)").unwrap(), "max(max(a, b), 4)");
        assert!(tr_str("MEAN()").is_err());
        assert!(tr_str("effect + 1").is_err());
        assert_eq!(
            tr_str("NORMAL(0, 1, 42)").unwrap(),
            "random_normal(0, 1, 42)"
        );
        assert!(!tr_str("NORMAL(0)").unwrap_err().unsupported);
    }
}
