//! The SDXorg test-models suite (`../shared/test-models/tests`, read in
//! place): every XMILE model (`.xmile`, `.stmx`) and every Vensim model
//! (`.mdl`) is imported, run, and
//! compared with its folder's `output.csv` or `output.tab` by the suite's
//! rule (`SOURCE.md`, `regression-test.py`): column names compared
//! lowercased with spaces as `_` (we use XMILE's canonical names, which
//! say the same and also read line breaks), relative 1e-4, a value near
//! zero (reference within 3e-6, ours within 1e-6) equal to zero, the
//! control columns ignored. The suite skips a column missing from the
//! result (some outputs name variables their XMILE file does not have):
//! so do we, and the table counts them. Unlike the suite's script, a
//! missing column does not stop the other columns of its row from being
//! compared.
//!
//! The test prints a table (model, result) and asserts that every model
//! that imports passes, except those whose reference is not XMILE's answer
//! ([`WRONG_REFERENCE`]), and that every model of [`EXPECTED_PASS`] does,
//! so that a regression fails. Models refused as not supported (arrays,
//! macros...) are counted apart.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use trajectoire::formats::mdl::{self, MdlErrorKind};
use trajectoire::formats::xmile::{self, XmileErrorKind, canonical};
use trajectoire::model::CompiledModel;

const SUITE: &str = "../shared/test-models/tests";

/// Every model that passes today, by folder and file: one that stops
/// passing fails the test.
const EXPECTED_PASS: &[&str] = &[
    "min_max_1arg/test_min_max_1arg.xmile",
    "subscript_individually_defined_1d_arrays/subscript_individually_defined_1d_arrays.stmx",
    "subscript_individually_defined_1d_arrays/subscript_individually_defined_1d_arrays.xmile",
    "abs/test_abs.stmx",
    "abs/test_abs.xmile",
    "builtin_max/builtin_max.stmx",
    "builtin_max/builtin_max.xmile",
    "builtin_min/builtin_min.stmx",
    "builtin_min/builtin_min.xmile",
    "chained_initialization/test_chained_initialization.stmx",
    "chained_initialization/test_chained_initialization.xmile",
    "comparisons/comparisons.stmx",
    "comparisons/comparisons.xmile",
    "constant_expressions/test_constant_expressions.stmx",
    "constant_expressions/test_constant_expressions.xmile",
    "delay_xmile/test_delay_xmile.xmile",
    "eval_order/eval_order.stmx",
    "eval_order/eval_order.xmile",
    "exp/test_exp.stmx",
    "exp/test_exp.xmile",
    "exponentiation/exponentiation.stmx",
    "exponentiation/exponentiation.xmile",
    "function_capitalization/test_function_capitalization.stmx",
    "function_capitalization/test_function_capitalization.xmile",
    "game/test_game.stmx",
    "game/test_game.xmile",
    "if_stmt/if_stmt.stmx",
    "if_stmt/if_stmt.xmile",
    "initial_function/test_initial.stmx",
    "initial_function/test_initial.xmile",
    "limits/test_limits.stmx",
    "limits/test_limits.xmile",
    "line_breaks/test_line_breaks.stmx",
    "line_breaks/test_line_breaks.xmile",
    "line_continuation/test_line_continuation.stmx",
    "line_continuation/test_line_continuation.xmile",
    "ln/test_ln.stmx",
    "ln/test_ln.xmile",
    "log/test_log.stmx",
    "log/test_log.xmile",
    "logicals/test_logicals.xmile",
    "logicals/test_logicals_caseinsensitive.xmile",
    "lookups/test_lookups.stmx",
    "lookups/test_lookups.xmile",
    "lookups/test_lookups_no-indirect.stmx",
    "lookups/test_lookups_no-indirect.xmile",
    "lookups/test_lookups_xpts_sep.xmile",
    "lookups/test_lookups_xscale.xmile",
    "lookups/test_lookups_ypts_sep.xmile",
    "lookups_inline/test_lookups_inline.stmx",
    "lookups_inline/test_lookups_inline.xmile",
    "model_doc/model_doc.stmx",
    "model_doc/model_doc.xmile",
    "non_negative_all/test_non_negative_all1.xmile",
    "non_negative_all/test_non_negative_all2.xmile",
    "non_negative_stocks/test_non_negative_stocks.xmile",
    "non_negative_stocks/test_non_negative_stocks_behavior.xmile",
    "number_handling/test_number_handling.stmx",
    "number_handling/test_number_handling.xmile",
    "parentheses/test_parens.stmx",
    "parentheses/test_parens.xmile",
    "pi/test_pi.xmile",
    "reference_capitalization/test_reference_capitalization.stmx",
    "reference_capitalization/test_reference_capitalization.xmile",
    "smooth_and_stock/test_smooth_and_stock.stmx",
    "smooth_and_stock/test_smooth_and_stock.xmile",
    "special_characters_xmile/test_special_variable_names.stmx",
    "special_characters_xmile/test_special_variable_names.xmile",
    "sqrt/test_sqrt.stmx",
    "sqrt/test_sqrt.xmile",
    "trig/test_trig.stmx",
    "trig/test_trig.xmile",
    "xidz_zidz/xidz_zidz.stmx",
    "xidz_zidz/xidz_zidz.xmile",
];

/// Models whose reference output is not what XMILE computes (see the
/// reference doc, §7.1): why, and another output of the folder that is
/// right, which the model must then match.
const WRONG_REFERENCE: &[(&str, &str, Option<&str>)] = &[
    (
        "active_initial/test_active_initial.xmile",
        "output.tab is Vensim's ACTIVE INITIAL (Stock A starts at 45); the XMILE file replaces \
         it by Value_A = Time, so Stock A starts at 0, as in Stella's output_stella.csv",
        Some("output_stella.csv"),
    ),
    (
        "active_initial/test_active_initial.stmx",
        "as test_active_initial.xmile",
        Some("output_stella.csv"),
    ),
    (
        "zeroled_decimals/test_zeroled_decimals.xmile",
        "the file asks for RK4 and stockmixed has the outflow flow7 = Time, whose RK4 integral \
         over the first step is 0.5; output.tab holds Euler's values (Vensim's run), which \
         count flow7 at the start of each step",
        None,
    ),
    (
        "rounding/test_rounding.xmile",
        "output.tab is Vensim's INTEGER and MODULO (truncated); XMILE's INT and MOD floor \
         (INT(-9.9) = -10, -9.9 MOD 3 = 2.1)",
        None,
    ),
];

/// Files that are not well-formed XML or not valid XMILE, refused as such.
const MALFORMED: &[(&str, &str)] = &[
    (
        "subscript_1d_arrays/test_subscript_1d_arrays.stmx",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_1d_arrays/test_subscript_1d_arrays.xmile",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_constant_call/test_subscript_constant_call.stmx",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_constant_call/test_subscript_constant_call.xmile",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_multiples/test_multiple_subscripts.stmx",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_multiples/test_multiple_subscripts.xmile",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_subranges/test_subscript_subrange.stmx",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_subranges/test_subscript_subrange.xmile",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_subranges_equal/test_subscript_subrange_equal.stmx",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_subranges_equal/test_subscript_subrange_equal.xmile",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_updimensioning/test_subscript_updimensioning.stmx",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_updimensioning/test_subscript_updimensioning.xmile",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscripted_flows/test_subscripted_flows.stmx",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscripted_flows/test_subscripted_flows.xmile",
        "a broken conversion: its constant lists are written `<eqn> ??? </eqn>`",
    ),
    (
        "subscript_mixed_assembly/test_subscript_mixed_assembly.stmx",
        "a broken conversion: its <element> subscripts name `A`…`C` for `Dim2`, whose elements are `D` and `E`",
    ),
    (
        "subscript_mixed_assembly/test_subscript_mixed_assembly.xmile",
        "a broken conversion: its <element> subscripts name `A`…`C` for `Dim2`, whose elements are `D` and `E`",
    ),
    (
        "subscripted_trig/test_subscripted_trig.xmile",
        "gives `var3` two sibling <eqn> (XMILE allows one, or one per <element>)",
    ),
    (
        "arithmetics_exp/test_arithmetics_exp.xmile",
        "gives an arrayed variable nine sibling <eqn> without <element> subscripts",
    ),
    (
        "logicals/test_logicals.stmx",
        "`( IF false_input not THEN 1 ELSE 0 )`: NOT written after its operand",
    ),
    (
        "macro_expression/test_macro_expression.xmile",
        "calls `EXPRESSION MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "macro_expression/test_macro_expression.stmx",
        "calls `EXPRESSION MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "macro_multi_expression/test_macro_multi_expression.xmile",
        "calls `EXPRESSION MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "macro_multi_expression/test_macro_multi_expression.stmx",
        "calls `EXPRESSION MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "macro_multi_macros/test_macro_multi_macros.xmile",
        "calls `SECOND MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "macro_multi_macros/test_macro_multi_macros.stmx",
        "calls `SECOND MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "macro_stock/test_macro_stock.xmile",
        "calls `EXPRESSION MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "macro_stock/test_macro_stock.stmx",
        "calls `EXPRESSION MACRO(…)` (a name with a space, not XMILE) and defines no macro",
    ),
    (
        "non_negative_flows/test_non_negative_flows.xmile",
        "the <flow name=\"if_else3\"> element is never closed",
    ),
    (
        "non_negative_flows/test_non_negative_flows_behavior.xmile",
        "the <flow name=\"if_else3\"> element is never closed",
    ),
];

/// Every Vensim model that passes today, by folder and file.
const EXPECTED_PASS_MDL: &[&str] = &[
    "abs/test_abs.mdl",
    "active_initial/test_active_initial.mdl",
    "active_initial_circular/test_active_initial_circular.mdl",
    "allocate_available/test_allocate_available.mdl",
    "allocate_by_priority/test_allocate_by_priority.mdl",
    "arguments/test_arguments.mdl",
    "arithmetics/test_arithmetics.mdl",
    "arithmetics_exp/test_arithmetics_exp.mdl",
    "array_with_line_break/test_array_with_line_break.mdl",
    "builtin_max/builtin_max.mdl",
    "builtin_min/builtin_min.mdl",
    "case_sensitive_extension/teacup-upper.MDL",
    "chained_initialization/test_chained_initialization.mdl",
    "conditional_subscripts/test_conditional_subscripts.mdl",
    "constant_expressions/test_constant_expressions.mdl",
    "control_vars/test_control_vars.mdl",
    "delay_fixed/test_delay_fixed.mdl",
    "delay_numeric_error/test_delay_numeric_error.mdl",
    "delay_parentheses/test_delay_parentheses.mdl",
    "delay_pipeline/test_pipeline_delays.mdl",
    "delays/test_delays.mdl",
    "dynamic_final_time/test_dynamic_final_time.mdl",
    "elm_count/test_elm_count.mdl",
    "euler_step_vs_saveper/test_euler_step_vs_saveper.mdl",
    "except/test_except.mdl",
    "except_multiple/test_except_multiple.mdl",
    "except_subranges/test_except_subranges.mdl",
    "exp/test_exp.mdl",
    "exponentiation/exponentiation.mdl",
    "forecast/test_forecast.mdl",
    "fully_invalid_names/test_fully_invalid_names.mdl",
    "function_capitalization/test_function_capitalization.mdl",
    "game/test_game.mdl",
    "if_stmt/if_stmt.mdl",
    "initial_function/test_initial.mdl",
    "input_functions/test_inputs.mdl",
    "invert_matrix/test_invert_matrix.mdl",
    "limits/test_limits.mdl",
    "line_breaks/test_line_breaks.mdl",
    "line_continuation/test_line_continuation.mdl",
    "ln/test_ln.mdl",
    "log/test_log.mdl",
    "logicals/test_logicals.mdl",
    "lookups/test_lookups.mdl",
    "lookups_funcnames/test_lookups_funcnames.mdl",
    "lookups_inline/test_lookups_inline.mdl",
    "lookups_inline_bounded/test_lookups_inline_bounded.mdl",
    "lookups_inline_spaces/test_lookups_inline_spaces.mdl",
    "lookups_with_expr/test_lookups_with_expr.mdl",
    "lookups_without_range/test_lookups_without_range.mdl",
    "model_doc/model_doc.mdl",
    "multiple_lines_def/test_multiple_lines_def.mdl",
    "na/test_na.mdl",
    "nested_functions/test_nested_functions.mdl",
    "number_handling/test_number_handling.mdl",
    "odd_number_quotes/teacup_3quotes.mdl",
    "parentheses/test_parens.mdl",
    "power/power.mdl",
    "reality_checks/test_reality_checks.mdl",
    "reference_capitalization/test_reference_capitalization.mdl",
    "repeated_subscript/test_repeated_subscript.mdl",
    "rounding/test_rounding.mdl",
    "sample_if_true/test_sample_if_true.mdl",
    "smaller_range/test_smaller_range.mdl",
    "smooth/test_smooth.mdl",
    "smooth_and_stock/test_smooth_and_stock.mdl",
    "special_characters/test_special_variable_names.mdl",
    "sqrt/test_sqrt.mdl",
    "subrange_merge/test_subrange_merge.mdl",
    "subscript_1d_arrays/test_subscript_1d_arrays.mdl",
    "subscript_2d_arrays/test_subscript_2d_arrays.mdl",
    "subscript_3d_arrays/test_subscript_3d_arrays.mdl",
    "subscript_3d_arrays_lengthwise/test_subscript_3d_arrays_lengthwise.mdl",
    "subscript_3d_arrays_widthwise/test_subscript_3d_arrays_widthwise.mdl",
    "subscript_aggregation/test_subscript_aggregation.mdl",
    "subscript_constant_call/test_subscript_constant_call.mdl",
    "subscript_copy/test_subscript_copy.mdl",
    "subscript_copy/test_subscript_copy2.mdl",
    "subscript_definition/test_subscript_definition.mdl",
    "subscript_docs/subscript_docs.mdl",
    "subscript_element_name/test_subscript_element_name.mdl",
    "subscript_individually_defined_1_of_2d_arrays/subscript_individually_defined_1_of_2d_arrays.mdl",
    "subscript_individually_defined_1_of_2d_arrays_from_floats/subscript_individually_defined_1_of_2d_arrays_from_floats.mdl",
    "subscript_individually_defined_1d_arrays/subscript_individually_defined_1d_arrays.mdl",
    "subscript_individually_defined_stocks/test_subscript_individually_defined_stocks.mdl",
    "subscript_logicals/test_subscript_logicals.mdl",
    "subscript_mapping_simple/test_subscript_mapping_simple.mdl",
    "subscript_mapping_vensim/test_subscript_mapping_vensim.mdl",
    "subscript_mixed_assembly/test_subscript_mixed_assembly.mdl",
    "subscript_multiples/test_multiple_subscripts.mdl",
    "subscript_numeric_range/test_subscript_numeric_range.mdl",
    "subscript_selection/subscript_selection.mdl",
    "subscript_subranges/test_subscript_subrange.mdl",
    "subscript_subranges_equal/test_subscript_subrange_equal.mdl",
    "subscript_switching/subscript_switching.mdl",
    "subscript_transposition/test_subscript_transposition.mdl",
    "subscript_updimensioning/test_subscript_updimensioning.mdl",
    "subscripted_delays/test_subscripted_delays.mdl",
    "subscripted_flows/test_subscripted_flows.mdl",
    "subscripted_if_then_else/test_subscripted_if_then_else.mdl",
    "subscripted_logicals/test_subscripted_logicals.mdl",
    "subscripted_lookups/test_subscripted_lookups.mdl",
    "subscripted_ramp_step/test_subscripted_ramp_step.mdl",
    "subscripted_round/test_subscripted_round.mdl",
    "subscripted_smooth/test_subscripted_smooth.mdl",
    "subscripted_trend/test_subscripted_trend.mdl",
    "subscripted_trig/test_subscripted_trig.mdl",
    "subscripted_xidz/test_subscripted_xidz.mdl",
    "subset_duplicated_coord/test_subset_duplicated_coord.mdl",
    "tabbed_arrays/tabbed_arrays.mdl",
    "time/test_time.mdl",
    "trend/test_trend.mdl",
    "trig/test_trig.mdl",
    "unchangeable_constant/test_unchangeable_constant.mdl",
    "variable_ranges/test_variable_ranges.mdl",
    "vector_select/test_vector_select.mdl",
    "xidz_zidz/xidz_zidz.mdl",
    "zeroled_decimals/test_zeroled_decimals.mdl",
];

/// Vensim models whose reference output is not what Vensim computes.
const WRONG_REFERENCE_MDL: &[(&str, &str, Option<&str>)] = &[(
    "data_from_other_model/model_to_generate_data.mdl",
    "output.tab is test_data_from_other_model.mdl's run (`conflict var` read as data, 0 at \
     time 0); this model's own run is data.tab",
    Some("data.tab"),
)];

/// Vensim files that are not valid models, refused as such.
const MALFORMED_MDL: &[(&str, &str)] = &[];

/// Models whose reference prints too few digits for the rule's 1e-4: each
/// cell must then match to half a unit of its last printed digit.
const ROUNDED: &[(&str, &str)] = &[
    (
        "subscript_numeric_range/test_subscript_numeric_range.mdl",
        "output.tab prints `input level 1[da3,db2,dc2]` at time 10 with 3 significant digits \
         (9.10E-05)",
    ),
    (
        "trend/test_trend.mdl",
        "output.csv prints `TREND of input` with 4 significant digits (0.03214)",
    ),
    (
        "lookups_with_expr/test_lookups_with_expr.mdl",
        "output.csv prints `lookup expr` with 4 or 5 significant digits (0.04523)",
    ),
];

/// Models whose reference is a single-precision run of Vensim (their
/// README says so): a value that cancels to near zero keeps float32's
/// error on the column's scale, so each cell must also match within
/// [`SINGLE_ULPS`] float32 epsilons of its column's largest magnitude.
const SINGLE_PRECISION: &[(&str, &str)] = &[(
    "subscripted_delays/test_subscripted_delays.mdl",
    "output.tab is Vensim DSS 7.3.4 single precision: `Stock DelayN[Roxbury Russet,Lemon]` \
     falls from -38 to -4.17e-06 at time 20, float32's residue (ours -2.17e-06)",
)];

/// How many float32 epsilons of a column's scale a single-precision
/// reference may be off by.
const SINGLE_ULPS: f64 = 8.0;

/// Models whose reference comes from Vensim's search for a level
/// (`ALLOCATE AVAILABLE`), which stops short of it: its allocations add
/// up to the supply only within about 1.5e-5 of it, so an allocation far
/// in a curve's tail keeps that level's error; each cell must then also
/// match within [`SOLVER_SLACK`] of its column's largest magnitude.
const SOLVED: &[(&str, &str)] = &[(
    "allocate_available/test_allocate_available.mdl",
    "output.tab's allocations add up to 99.9986 of a supply of 100 (`allocation3 sep[A,*]` at \
     time 40); `allocation2 sep[C,Dayton]` at time 12 is 0.0183445 (ours 0.0183602: Vensim's \
     level is 5e-6 above the root), off by 3e-7 of its column's largest, 48.07",
)];

/// How far, as a fraction of its column's largest magnitude, a cell of a
/// [`SOLVED`] model may be off by.
const SOLVER_SLACK: f64 = 1e-6;

/// What a reference cell may differ by, beyond the suite's rule.
#[derive(Clone, Copy, PartialEq)]
enum Slack {
    None,
    /// Half a unit of the cell's last printed digit ([`ROUNDED`]).
    Printed,
    /// Float32's error on the column's scale ([`SINGLE_PRECISION`]).
    Single,
    /// A solver's tolerance on the column's scale ([`SOLVED`]).
    Solver,
}

/// Columns the suite ignores: the run's settings and the time.
const IGNORED: &[&str] = &[
    "saveper",
    "initial time",
    "final time",
    "time step",
    "time",
    "months",
    "intial time",
];

#[derive(Debug)]
enum Outcome {
    Pass {
        skipped: usize,
        /// The units check's warnings on the file (they never fail it).
        warnings: usize,
    },
    Fail(String),
    /// Not supported yet (arrays, macros...), with the importer's message.
    Refused(String),
    /// Not well-formed, or not a model XMILE allows.
    Invalid(String),
    /// The folder has no reference output (the suite cannot check it).
    NoReference,
}

#[test]
fn sdxorg_xmile_models() {
    suite(&XMILE);
}

#[test]
fn sdxorg_vensim_models() {
    suite(&VENSIM);
}

/// One format's models in the suite, and what is known of them.
struct Format {
    name: &'static str,
    /// File extensions, lowercase.
    extensions: &'static [&'static str],
    expected_pass: &'static [&'static str],
    wrong_reference: &'static [(&'static str, &'static str, Option<&'static str>)],
    malformed: &'static [(&'static str, &'static str)],
}

const XMILE: Format = Format {
    name: "XMILE",
    extensions: &["xmile", "stmx"],
    expected_pass: EXPECTED_PASS,
    wrong_reference: WRONG_REFERENCE,
    malformed: MALFORMED,
};

const VENSIM: Format = Format {
    name: "Vensim",
    extensions: &["mdl"],
    expected_pass: EXPECTED_PASS_MDL,
    wrong_reference: WRONG_REFERENCE_MDL,
    malformed: MALFORMED_MDL,
};

fn suite(format: &Format) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(SUITE);
    if !dir.is_dir() {
        eprintln!(
            "conformance: {} is missing (the SDXorg test-models suite, see issue 15): skipped",
            dir.display()
        );
        return;
    }
    let mut table = String::new();
    let mut problems = Vec::new();
    let (mut pass, mut fail, mut refused, mut invalid, mut unchecked) = (0, 0, 0, 0, 0);
    let mut unit_warnings = 0;
    for path in models(&dir, format.extensions) {
        let name = short_name(&dir, &path);
        let rounded = ROUNDED.iter().find(|(m, _)| *m == name);
        let single = SINGLE_PRECISION.iter().find(|(m, _)| *m == name);
        let solved = SOLVED.iter().find(|(m, _)| *m == name);
        let slack = match (rounded, single, solved) {
            (Some(_), ..) => Slack::Printed,
            (None, Some(_), _) => Slack::Single,
            (None, None, Some(_)) => Slack::Solver,
            (None, None, None) => Slack::None,
        };
        let outcome = run_one(&path, &["output.csv", "output.tab"], slack);
        let wrong_ref = format.wrong_reference.iter().find(|(m, ..)| *m == name);
        let shown = match &outcome {
            Outcome::Pass { skipped, warnings } => {
                let mut s = "pass".to_string();
                if *skipped > 0 {
                    s += &format!(" ({skipped} reference columns not in the model)");
                }
                if *warnings > 0 {
                    s += &format!(" ({warnings} units warnings)");
                }
                s
            }
            Outcome::Fail(why) => format!("fail: {why}"),
            Outcome::Refused(why) => format!("refused: {why}"),
            Outcome::Invalid(why) => format!("invalid file: {why}"),
            Outcome::NoReference => "not checked: no output.csv or output.tab".to_string(),
        };
        let _ = writeln!(table, "{name:<78} {shown}");
        if format.expected_pass.contains(&name.as_str()) && !matches!(outcome, Outcome::Pass { .. })
        {
            problems.push(format!("{name} passed before and no longer does"));
        }
        match outcome {
            Outcome::Pass { warnings, .. } => {
                pass += 1;
                unit_warnings += warnings;
                if let Some((_, why)) = rounded {
                    let _ = writeln!(table, "{:<78} (to the printed digits: {why})", "");
                }
                if let Some((_, why)) = single {
                    let _ = writeln!(table, "{:<78} (to float32's precision: {why})", "");
                }
            }
            Outcome::NoReference => unchecked += 1,
            Outcome::Fail(why) => {
                fail += 1;
                match wrong_ref {
                    Some((_, reason, right)) => {
                        let _ = writeln!(table, "{:<78} (expected: {reason})", "");
                        if let Some(right) = right {
                            match run_one(&path, &[right], Slack::None) {
                                Outcome::Pass { .. } => {
                                    let _ = writeln!(table, "{:<78} (matches {right})", "");
                                }
                                other => {
                                    problems.push(format!("{name} against {right}: {other:?}"))
                                }
                            }
                        }
                    }
                    None => problems.push(format!("{name}: {why}")),
                }
            }
            Outcome::Refused(_) => refused += 1,
            Outcome::Invalid(why) => {
                invalid += 1;
                if !format.malformed.iter().any(|(m, _)| *m == name) {
                    problems.push(format!("{name}: refused as invalid: {why}"));
                }
            }
        }
    }
    println!("{table}");
    println!(
        "{} conformance: {pass} pass, {fail} fail, {refused} refused as not supported, \
         {invalid} invalid files, {unchecked} without a reference output; \
         {unit_warnings} units warnings on the passing files",
        format.name
    );
    assert!(
        problems.is_empty(),
        "conformance problems:\n{}",
        problems.join("\n")
    );
}

/// Every file of the suite's folders with one of `extensions`, sorted.
fn models(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for f in folders {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&f)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

fn short_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Runs the model at `path` and compares it with the first of `outputs`
/// in its folder, with `slack` beyond the suite's rule.
fn run_one(path: &Path, outputs: &[&str], slack: Slack) -> Outcome {
    let Some(reference) = reference(path.parent().unwrap(), outputs) else {
        return Outcome::NoReference;
    };
    let text = match trajectoire::io::read_text(path) {
        Ok(t) => t,
        Err(e) => return Outcome::Invalid(e.to_string()),
    };
    let stem = path.file_stem().unwrap().to_string_lossy();
    let vensim = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mdl"));
    let compiled = if vensim {
        match mdl::read(&text, &stem) {
            Ok(m) => m.compile(Some(path)),
            Err(e) if e.kind == MdlErrorKind::Unsupported => {
                return Outcome::Refused(e.to_string());
            }
            Err(e) => return Outcome::Invalid(e.to_string()),
        }
    } else {
        match xmile::read(&text, &stem) {
            Ok(m) => m.compile(Some(path)),
            Err(e) if e.kind == XmileErrorKind::Unsupported => {
                return Outcome::Refused(e.to_string());
            }
            Err(e) => return Outcome::Invalid(e.to_string()),
        }
    };
    match compiled {
        Ok(model) => match compare(&model, &reference, slack) {
            Outcome::Pass { skipped, .. } => Outcome::Pass {
                skipped,
                warnings: model.warnings().len(),
            },
            other => other,
        },
        Err(e) => Outcome::Fail(format!("does not compile: {e}")),
    }
}

/// A reference output: column names (canonical) and rows of cells.
struct Reference {
    columns: Vec<String>,
    /// Each cell's value and how many decimals it prints.
    rows: Vec<Vec<Option<(f64, i32)>>>,
}

/// The first of `outputs` in `folder` (the suite reads `output.csv`, else
/// `output.tab`).
fn reference(folder: &Path, outputs: &[&str]) -> Option<Reference> {
    let path = outputs
        .iter()
        .map(|f| folder.join(f))
        .find(|p| p.is_file())?;
    let text = trajectoire::io::read_text(&path).ok()?;
    let mut lines = text.split(['\n', '\r']).filter(|l| !l.trim().is_empty());
    let header = lines.next()?;
    let sep = if header.contains('\t') { '\t' } else { ',' };
    let columns = header
        .split(sep)
        .map(|c| canonical(c.trim().trim_matches('"')))
        .collect();
    let rows = lines
        .map(|l| l.split(sep).map(|c| cell(c.trim())).collect())
        .collect();
    Some(Reference { columns, rows })
}

/// A cell's value and its printed decimals (`1.5e-3` prints 4).
fn cell(text: &str) -> Option<(f64, i32)> {
    let v = text.parse::<f64>().ok()?;
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let decimals = mantissa.find('.').map_or(0, |i| mantissa.len() - i - 1) as i32;
    Some((v, decimals - exp))
}

/// What a reference column is compared with.
enum Column {
    /// A control column, or one the model does not have.
    Skipped,
    Variable(usize),
    /// A lever: its value at every time.
    Constant(f64),
}

/// The suite's rule, cell by cell; the first difference is the failure.
fn compare(model: &CompiledModel, reference: &Reference, slack: Slack) -> Outcome {
    let levers = model.default_levers();
    let run = model.run(&levers);
    let m = model.model();
    let mut skipped = 0;
    let columns: Vec<Column> = reference
        .columns
        .iter()
        .map(|col| {
            if IGNORED.contains(&col.as_str()) {
                return Column::Skipped;
            }
            if let Some(v) = m.variables.iter().find(|v| canonical(&v.label.en) == *col)
                && let Some(i) = model.var_index(&v.id)
            {
                return Column::Variable(i);
            }
            // An element: `Stock A[Entry 1]`, our series `Stock A [Entry 1]`.
            let squash = |s: &str| canonical(s).replace([' ', '_'], "");
            if let Some(i) =
                (0..model.n_vars()).find(|&i| squash(&model.series(i).label.en) == squash(col))
            {
                return Column::Variable(i);
            }
            if let Some(l) = m.levers.iter().find(|l| canonical(&l.label.en) == *col) {
                return Column::Constant(levers[model.lever_index(&l.id).unwrap()]);
            }
            // An arrayed lever's element: `price[banana]`, ours `price [banana]`.
            if let Some(i) = (0..model.levers().len())
                .find(|&i| squash(&model.levers()[i].label.en) == squash(col))
            {
                return Column::Constant(levers[i]);
            }
            skipped += 1;
            Column::Skipped
        })
        .collect();
    if columns.iter().all(|c| matches!(c, Column::Skipped)) {
        return Outcome::Fail("no column of the reference is a variable of the model".into());
    }
    let scale = column_scales(reference);
    for row in &reference.rows {
        let Some(Some((t, _))) = row.first() else {
            continue;
        };
        let Some(i) = run.time_index(*t) else {
            return Outcome::Fail(format!("no result at time {t}"));
        };
        for (((name, column), cell), scale) in
            reference.columns.iter().zip(&columns).zip(row).zip(&scale)
        {
            let got = match column {
                Column::Skipped => continue,
                Column::Variable(v) => run.series(*v)[i],
                Column::Constant(c) => *c,
            };
            let Some((expected, decimals)) = cell else {
                continue;
            };
            let diff = (expected - got).abs();
            let slack_ok = match slack {
                Slack::None => false,
                Slack::Printed => diff <= 0.5 * 10f64.powi(-decimals) * 1.000001,
                Slack::Single => diff <= SINGLE_ULPS * f64::from(f32::EPSILON) * scale,
                Slack::Solver => diff <= SOLVER_SLACK * scale,
            };
            if !close(*expected, got) && !slack_ok {
                return Outcome::Fail(format!(
                    "`{name}` at time {t}: expected {expected}, got {got}"
                ));
            }
        }
    }
    Outcome::Pass {
        skipped,
        warnings: 0,
    }
}

/// Each reference column's largest magnitude.
fn column_scales(reference: &Reference) -> Vec<f64> {
    let mut scale = vec![0f64; reference.columns.len()];
    for row in &reference.rows {
        for (s, cell) in scale.iter_mut().zip(row) {
            if let Some((v, _)) = cell {
                *s = s.max(v.abs());
            }
        }
    }
    scale
}

/// regression-test.py's test: near zero, or within a relative 1e-4 of
/// the larger.
fn close(expected: f64, got: f64) -> bool {
    if expected == got {
        return true;
    }
    if expected.abs() <= 3e-6 && got.abs() <= 1e-6 {
        return true;
    }
    let diff = (expected - got).abs();
    diff.is_finite() && (diff <= 1e-4 * expected.abs() || diff <= 1e-4 * got.abs())
}
