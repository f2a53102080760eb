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

/// A model from `start` to `stop` with the clock `time` (RON of a
/// `TimeSpec`, such as `(dt: 0.25)`), no levers, and `variables`.
pub fn clocked(start: i32, stop: i32, time: &str, variables: &str) -> String {
    format!(
        r#"Model(
    format_version: 1,
    id: "clocked",
    version: "1",
    name: (fr: "Horloge", en: "Clock"),
    sector: (fr: "", en: ""),
    country: (fr: "", en: ""),
    currency: "MAD",
    start_year: {start},
    end_year: {stop},
    time: {time},
    last_observed_year: {start},
    variables: [
{variables}
    ],
)"#
    )
}

/// A stock `id` starting at `initial`, given by its inflows and outflows.
pub fn flow_stock(
    id: &str,
    initial: &str,
    inflows: &[&str],
    outflows: &[&str],
    non_negative: bool,
) -> String {
    format!(
        "        (id: {id:?}, label: (fr: \"\", en: \"\"), unit: (fr: \"\", en: \"\"), kind: Stock(initial: {initial:?}, inflows: {inflows:?}, outflows: {outflows:?}, non_negative: {non_negative})),\n"
    )
}
