//! The SDXorg test-models suite (`../shared/test-models/tests`, read in
//! place), through the user's own door: every XMILE model (`.xmile`,
//! `.stmx`) and every Vensim model (`.mdl`) is run by the `trajectoire`
//! binary, `trajectoire run MODEL --format csv --names original`, as a
//! user or the suite's `regression-test.py` would, and the CSV it prints
//! is read (by a reader of this file's own, not the crate's) and compared
//! with the folder's `output.csv` or `output.tab` by the suite's rule
//! (`SOURCE.md`): the header lowercased with runs of spaces as `_`,
//! relative 1e-4, a value near zero (reference within 3e-6, ours within
//! 1e-6) equal to zero, the suite's control columns ignored. Stricter
//! than the suite's script in two ways: a reference column the run lacks
//! fails the model (the script skips the rest of that row), and rows are
//! matched by their time (the script matches them by their rank).
//!
//! The test prints a table (model, result) and the count of every model
//! that passes by that strict rule, and asserts that every model of
//! [`EXPECTED_PASS`] and [`EXPECTED_PASS_MDL`] passes, that every other
//! model that opens passes unless its reference is not its own answer
//! ([`WRONG_REFERENCE`]), and that a file refused as invalid is one the
//! suite itself breaks ([`MALFORMED`]), so that a regression fails.
//! Models refused as not supported (macros, external data) are counted
//! apart; so is the reason, read in-process from the importer, since the
//! binary says both the same way (status 1 and the message).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use trajectoire::formats::mdl::{self, MdlErrorKind};
use trajectoire::formats::xmile::{self, XmileErrorKind};

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
        "smooth_and_stock/test_smooth_and_stock.xmile",
        "output.tab is the Vensim model's run, with three variables the XMILE file does not \
         have (`Input`, `Smoothed Input`, `Smoothing Time`: its smooths read constants); \
         Stella's output_stella.csv is this file's",
        Some("output_stella.csv"),
    ),
    (
        "smooth_and_stock/test_smooth_and_stock.stmx",
        "as test_smooth_and_stock.xmile",
        Some("output_stella.csv"),
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
    "data_from_other_model/test_data_from_other_model.mdl",
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
    "get_constants_incomplete_subscript/test_get_constants_incomplete_subscript.mdl",
    "get_constants_subranges/test_get_constants_subranges.mdl",
    "get_data_args_3d_xls/test_get_data_args_3d_xls.mdl",
    "get_lookups_data_3d_xls/test_get_lookups_data_3d_xls.mdl",
    "get_lookups_subscripted_args/test_get_lookups_subscripted_args.mdl",
    "get_lookups_subset/test_get_lookups_subset.mdl",
    "get_mixed_definitions/test_get_mixed_definitions.mdl",
    "get_subscript_3d_arrays_xls/test_get_subscript_3d_arrays_xls.mdl",
    "get_time_value/test_get_time_value_simple.mdl",
    "get_values_order/test_get_values_order.mdl",
    "get_with_missing_values_xlsx/test_get_with_missing_values_xlsx.mdl",
    "get_xls_cellrange/test_get_xls_cellrange.mdl",
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
    "macro_cross_reference/test_macro_cross_reference.mdl",
    "macro_expression/test_macro_expression.mdl",
    "macro_multi_expression/test_macro_multi_expression.mdl",
    "macro_multi_macros/test_macro_multi_macros.mdl",
    "macro_stock/test_macro_stock.mdl",
    "macro_trailing_definition/test_macro_trailing_definition.mdl",
    "model_doc/model_doc.mdl",
    "multiple_lines_def/test_multiple_lines_def.mdl",
    "na/test_na.mdl",
    "nested_functions/test_nested_functions.mdl",
    "number_handling/test_number_handling.mdl",
    "odd_number_quotes/teacup_3quotes.mdl",
    "parentheses/test_parens.mdl",
    "partial_range_definitions/test_partial_range_definitions.mdl",
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
    "vector_order/test_vector_order.mdl",
    "vector_select/test_vector_select.mdl",
    "with_lookup/test_with_lookup.mdl",
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

/// Vensim models whose data variables read a data file named for the
/// run (Vensim's data files, PySD's `data_files`): given with `--data`.
const RUN_DATA: &[(&str, &[&str])] = &[(
    "data_from_other_model/test_data_from_other_model.mdl",
    &["data.tab"],
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
const SINGLE_PRECISION: &[(&str, &str)] = &[
    (
        "get_lookups_subscripted_args/test_get_lookups_subscripted_args.mdl",
        "output.tab is Vensim DSS 7.3.4 single precision: `arg r[Row2]` = 1 + SIN(Time) \
         cancels to 9.775e-06 at time 11, float32's residue (ours 9.793e-06)",
    ),
    (
        "subscripted_delays/test_subscripted_delays.mdl",
        "output.tab is Vensim DSS 7.3.4 single precision: `Stock DelayN[Roxbury Russet,Lemon]` \
         falls from -38 to -4.17e-06 at time 20, float32's residue (ours -2.17e-06)",
    ),
];

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

/// Columns the suite ignores (`IGNORABLE_COLS` of `regression-test.py`,
/// after its renaming of the header).
const IGNORED: &[&str] = &[
    "saveper",
    "initial_time",
    "final_time",
    "time_step",
    "time",
    "months",
];

#[derive(Debug)]
enum Outcome {
    Pass,
    Fail(String),
    /// Not supported yet (macros, external data...), with the message.
    Refused(String),
    /// Not well-formed, or not a model XMILE or Vensim allows.
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

/// What the suite's models gave, counted.
#[derive(Default)]
struct Tally {
    pass: usize,
    fail: usize,
    refused: usize,
    invalid: usize,
    unchecked: usize,
}

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
    let mut tally = Tally::default();
    let paths = models(&dir, format.extensions);
    for (path, outcome) in paths.iter().zip(run_all(&dir, &paths)) {
        let name = short_name(&dir, path);
        judge(
            format,
            path,
            &name,
            outcome,
            &mut tally,
            &mut table,
            &mut problems,
        );
    }
    println!("{table}");
    if let Some(words) = runner() {
        let t = &tally;
        println!(
            "{} conformance of `{}`, strict rule: {} of {} pass",
            format.name,
            words.join(" "),
            t.pass,
            paths.len()
        );
        return;
    }
    let Tally {
        pass,
        fail,
        refused,
        invalid,
        unchecked,
    } = tally;
    println!(
        "{} conformance through the binary, strict rule: {pass} of {} pass, {fail} fail, \
         {refused} refused as not supported, {invalid} invalid files, {unchecked} without a \
         reference output",
        format.name,
        paths.len()
    );
    assert!(
        problems.is_empty(),
        "conformance problems:\n{}",
        problems.join("\n")
    );
}

/// Another engine's command to measure by the same rule instead of ours
/// (`TRAJECTOIRE_CONFORMANCE_RUNNER`, words split on spaces, the model's
/// path appended; it prints the run as CSV): the test then prints its
/// table and count and asserts nothing, since the lists are ours.
fn runner() -> Option<Vec<String>> {
    let cmd = std::env::var("TRAJECTOIRE_CONFORMANCE_RUNNER").ok()?;
    let words: Vec<String> = cmd.split_whitespace().map(String::from).collect();
    (!words.is_empty()).then_some(words)
}

/// Every model's outcome, two at a time (the machine's two cores), in order.
fn run_all(dir: &Path, paths: &[PathBuf]) -> Vec<Outcome> {
    let slack_of = |path: &Path| {
        let name = short_name(dir, path);
        let is = |list: &[(&str, &str)]| list.iter().any(|(m, _)| *m == name);
        if is(ROUNDED) {
            Slack::Printed
        } else if is(SINGLE_PRECISION) {
            Slack::Single
        } else if is(SOLVED) {
            Slack::Solver
        } else {
            Slack::None
        }
    };
    let half = paths.len().div_ceil(2);
    std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(half.max(1))
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|p| run_one(p, &["output.csv", "output.tab"], slack_of(p)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a conformance worker panicked"))
            .collect()
    })
}

/// One model's line in the table, its count, and the problems it shows.
fn judge(
    format: &Format,
    path: &Path,
    name: &str,
    outcome: Outcome,
    tally: &mut Tally,
    table: &mut String,
    problems: &mut Vec<String>,
) {
    let shown = match &outcome {
        Outcome::Pass => "pass".to_string(),
        Outcome::Fail(why) => format!("fail: {why}"),
        Outcome::Refused(why) => format!("refused: {why}"),
        Outcome::Invalid(why) => format!("invalid file: {why}"),
        Outcome::NoReference => "not checked: no output.csv or output.tab".to_string(),
    };
    let _ = writeln!(table, "{name:<78} {shown}");
    if format.expected_pass.contains(&name) && !matches!(outcome, Outcome::Pass) {
        problems.push(format!("{name} passed before and no longer does"));
    }
    let note = |table: &mut String, what: &str| {
        let _ = writeln!(table, "{:<78} ({what})", "");
    };
    match outcome {
        Outcome::Pass => {
            tally.pass += 1;
            if let Some((_, why)) = ROUNDED.iter().find(|(m, _)| *m == name) {
                note(table, &format!("to the printed digits: {why}"));
            }
            if let Some((_, why)) = SINGLE_PRECISION.iter().find(|(m, _)| *m == name) {
                note(table, &format!("to float32's precision: {why}"));
            }
        }
        Outcome::NoReference => tally.unchecked += 1,
        Outcome::Fail(why) => {
            tally.fail += 1;
            let Some((_, reason, right)) = format.wrong_reference.iter().find(|(m, ..)| *m == name)
            else {
                problems.push(format!("{name}: {why}"));
                return;
            };
            note(table, &format!("expected: {reason}"));
            if let Some(right) = right {
                match run_one(path, &[right], Slack::None) {
                    Outcome::Pass => note(table, &format!("matches {right}")),
                    other => problems.push(format!("{name} against {right}: {other:?}")),
                }
            }
        }
        Outcome::Refused(_) => tally.refused += 1,
        Outcome::Invalid(why) => {
            tally.invalid += 1;
            if !format.malformed.iter().any(|(m, _)| *m == name) {
                problems.push(format!("{name}: refused as invalid: {why}"));
            }
        }
    }
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

/// Runs the model at `path` with the binary and compares what it prints
/// with the first of `outputs` in its folder, with `slack` beyond the
/// suite's rule.
fn run_one(path: &Path, outputs: &[&str], slack: Slack) -> Outcome {
    let Some(reference) = reference(path.parent().unwrap(), outputs) else {
        return Outcome::NoReference;
    };
    let foreign = runner();
    let mut cmd = match &foreign {
        Some(words) => {
            let mut c = std::process::Command::new(&words[0]);
            c.args(&words[1..]);
            c
        }
        None => {
            let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_trajectoire"));
            c.args(["run", "--format", "csv", "--names", "original"]);
            c
        }
    };
    for file in run_data(path) {
        cmd.arg("--data").arg(path.parent().unwrap().join(file));
    }
    let out = cmd.arg(path).output().expect("the runner starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    if stdout.trim().is_empty() {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if foreign.is_some() {
            let last = stderr.lines().last().unwrap_or("").to_string();
            return Outcome::Fail(format!("the runner printed no run: {last}"));
        }
        return refusal(path, stderr);
    }
    let Some(ours) = table(&stdout) else {
        return Outcome::Fail("the binary's CSV has no header".into());
    };
    compare(&ours, &reference, slack)
}

/// The data files [`RUN_DATA`] names for the model at `path`.
fn run_data(path: &Path) -> &'static [&'static str] {
    let folder = path.parent().and_then(Path::file_name);
    let name = path.file_name();
    RUN_DATA
        .iter()
        .find(|(m, _)| {
            let m = Path::new(m);
            m.parent().and_then(Path::file_name) == folder && m.file_name() == name
        })
        .map_or(&[], |(_, files)| files)
}

/// Why the binary printed no run: the importer's own word on the file
/// (read in-process only to tell "not supported" from "invalid"), with
/// the message the binary gave.
fn refusal(path: &Path, stderr: String) -> Outcome {
    let Ok(text) = trajectoire::io::read_text(path) else {
        return Outcome::Invalid(stderr);
    };
    let stem = path.file_stem().unwrap().to_string_lossy();
    let vensim = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mdl"));
    let unsupported = if vensim {
        matches!(mdl::read_in(&text, &stem, path.parent()), Err(e) if e.kind == MdlErrorKind::Unsupported)
    } else {
        matches!(xmile::read(&text, &stem), Err(e) if e.kind == XmileErrorKind::Unsupported)
    };
    match (unsupported, stderr.is_empty()) {
        (true, _) => Outcome::Refused(stderr),
        (false, true) => Outcome::Fail("the binary printed nothing".into()),
        (false, false) => Outcome::Invalid(stderr),
    }
}

/// A table of text: column names (the suite's renaming) and rows of cells.
struct Table {
    columns: Vec<String>,
    /// Each cell's value and how many decimals it prints.
    rows: Vec<Vec<Option<(f64, i32)>>>,
}

impl Table {
    fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// The suite's renaming of a header (`read_data`): lowercased, each run
/// of spaces one `_`.
fn suite_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = words.join("_");
    // A run of spaces at either end is a `_` there too.
    if lower.starts_with(' ') {
        out.insert(0, '_');
    }
    if lower.ends_with(' ') && !lower.trim().is_empty() {
        out.push('_');
    }
    out
}

/// CSV or TSV text (the separator read off the header, as the suite
/// does; old Mac `\r` line ends read as line ends): RFC 4180 fields,
/// quoted ones with their doubled quotes.
fn table(text: &str) -> Option<Table> {
    let first_line = text.split(['\n', '\r']).find(|l| !l.trim().is_empty())?;
    let sep = if first_line.contains('\t') { '\t' } else { ',' };
    let mut records = records(text, sep)
        .into_iter()
        .filter(|r| r.iter().any(|f| !f.trim().is_empty()));
    let columns = records
        .next()?
        .iter()
        .map(|c| suite_name(c.trim()))
        .collect();
    let rows = records
        .map(|r| r.iter().map(|c| cell(c.trim())).collect())
        .collect();
    Some(Table { columns, rows })
}

/// The records of delimited text, fields unquoted.
fn records(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, c) if c == sep => record.push(std::mem::take(&mut field)),
            (false, '\n' | '\r') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// The first of `outputs` in `folder` (the suite reads `output.csv`, else
/// `output.tab`).
fn reference(folder: &Path, outputs: &[&str]) -> Option<Table> {
    let path = outputs
        .iter()
        .map(|f| folder.join(f))
        .find(|p| p.is_file())?;
    table(&trajectoire::io::read_text(&path).ok()?)
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

/// The suite's rule, cell by cell, every reference column required; the
/// first difference is the failure.
fn compare(ours: &Table, reference: &Table, slack: Slack) -> Outcome {
    let mut columns = Vec::with_capacity(reference.columns.len());
    for name in &reference.columns {
        if IGNORED.contains(&name.as_str()) {
            columns.push(None);
            continue;
        }
        match ours.column(name) {
            Some(i) => columns.push(Some(i)),
            None => return Outcome::Fail(format!("the output has no column `{name}`")),
        }
    }
    let ours_at = |t: f64| {
        ours.rows.iter().find(
            |r| matches!(r.first(), Some(Some((x, _))) if (x - t).abs() <= 1e-9 * t.abs().max(1.0)),
        )
    };
    let scale = column_scales(reference);
    for row in &reference.rows {
        let Some(Some((t, _))) = row.first() else {
            continue;
        };
        let Some(our_row) = ours_at(*t) else {
            return Outcome::Fail(format!("no result at time {t}"));
        };
        for (((name, column), cell), scale) in
            reference.columns.iter().zip(&columns).zip(row).zip(&scale)
        {
            let (Some(column), Some((expected, decimals))) = (column, cell) else {
                continue;
            };
            let Some(Some((got, _))) = our_row.get(*column) else {
                return Outcome::Fail(format!("`{name}` at time {t}: no number in the output"));
            };
            let diff = (expected - got).abs();
            let slack_ok = match slack {
                Slack::None => false,
                Slack::Printed => diff <= 0.5 * 10f64.powi(-decimals) * 1.000001,
                Slack::Single => diff <= SINGLE_ULPS * f64::from(f32::EPSILON) * scale,
                Slack::Solver => diff <= SOLVER_SLACK * scale,
            };
            if !close(*expected, *got) && !slack_ok {
                return Outcome::Fail(format!(
                    "`{name}` at time {t}: expected {expected}, got {got}"
                ));
            }
        }
    }
    Outcome::Pass
}

/// Each reference column's largest magnitude.
fn column_scales(reference: &Table) -> Vec<f64> {
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
