//! Small models written out as RON text, for the engine's tests: one
//! skeleton (2020 to 2024), levers, auxiliaries and stocks. Each test file
//! that builds models has `mod models;`.
#![allow(dead_code)] // Each test file uses some of these, never all.

/// A model from 2020 to 2024 called `id` (`name` in French and English),
/// with the given levers, variables and lookups (RON text, one item a line).
pub fn model_text(
    id: &str,
    name: (&str, &str),
    levers: &str,
    variables: &str,
    lookups: &str,
) -> String {
    let (fr, en) = name;
    format!(
        r#"Model(
    format_version: 1,
    id: "{id}",
    version: "1",
    name: (fr: "{fr}", en: "{en}"),
    sector: (fr: "", en: ""),
    country: (fr: "", en: ""),
    currency: "MAD",
    start_year: 2020,
    end_year: 2024,
    last_observed_year: 2021,
    levers: [
{levers}
    ],
    variables: [
{variables}
    ],
    lookups: [
{lookups}
    ],
)"#
    )
}

/// Levers named `ids` with wide ranges (±1,000,000, default 1, step 1).
pub fn wide_levers(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| {
            format!(
                "        (id: {id:?}, label: (fr: {id:?}, en: {id:?}), unit: (fr: \"\", en: \"\"), min: -1000000, max: 1000000, default: 1, step: 1),\n"
            )
        })
        .collect()
}

/// An auxiliary `id` computed by `eq`.
pub fn aux(id: &str, eq: &str) -> String {
    format!(
        "        (id: {id:?}, label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), kind: Aux(equation: {eq:?})),\n"
    )
}

/// A stock `id` starting at `initial`, adding `change` each year.
pub fn stock(id: &str, initial: &str, change: &str) -> String {
    format!(
        "        (id: {id:?}, label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), kind: Stock(initial: {initial:?}, change: {change:?})),\n"
    )
}
