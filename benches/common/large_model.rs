//! The 300-variable model the engine, structure and frame benchmarks and the
//! structure tests share: 30 sectors of 10 variables (a stock by its flows,
//! a smooth, a lookup, auxiliaries reading the sector before). Included with
//! `#[path]` by each bench and test that uses it.

/// The model as RON text.
pub fn large_model_text() -> String {
    let var = |id: &str, kind: String| {
        format!(
            "(id: {id:?}, label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), kind: {kind}),\n"
        )
    };
    let aux = |id: &str, eq: String| var(id, format!("Aux(equation: {eq:?})"));
    let mut vars = String::new();
    for i in 0..30 {
        let prev = if i == 0 {
            "10".to_string()
        } else {
            format!("level_{}", i - 1)
        };
        vars += &var(
            &format!("level_{i}"),
            format!(
                "Stock(initial: \"100\", inflows: [\"in_{i}\"], outflows: [\"out_{i}\"], non_negative: true)"
            ),
        );
        vars += &aux(
            &format!("in_{i}"),
            format!("0.05 * {prev} * effect(ratio_{i})"),
        );
        vars += &aux(&format!("out_{i}"), format!("level_{i} / life_{i}"));
        vars += &aux(
            &format!("life_{i}"),
            format!("8 + {} + 2 * sin(time / {})", i % 5, i + 1),
        );
        vars += &aux(
            &format!("ratio_{i}"),
            format!("level_{i} / max(1, target_{i})"),
        );
        vars += &aux(
            &format!("target_{i}"),
            format!("100 + ramp({}, 2010, 2060)", 1 + i % 3),
        );
        vars += &aux(&format!("gap_{i}"), format!("target_{i} - level_{i}"));
        vars += &aux(
            &format!("perceived_{i}"),
            format!("smooth1(gap_{i}, {})", 2 + i % 4),
        );
        vars += &aux(
            &format!("pressure_{i}"),
            format!("if perceived_{i} > 0 then perceived_{i} / target_{i} else 0"),
        );
        vars += &aux(
            &format!("share_{i}"),
            format!("level_{i} / (level_{i} + {prev} + 1)"),
        );
    }
    format!(
        r#"Model(format_version: 1, id: "large", version: "1",
    name: (fr: "Grand", en: "Large"), sector: (fr: "", en: ""), country: (fr: "", en: ""),
    currency: "MAD", start_year: 2000, end_year: 2100, last_observed_year: 2000,
    time: (dt: 4, dt_reciprocal: true, save_step: Some(1)),
    variables: [
{vars}    ],
    lookups: [(id: "effect", points: [(0, 1.5), (0.5, 1.3), (1, 1), (1.5, 0.6), (2, 0.4)])],
)"#
    )
}
