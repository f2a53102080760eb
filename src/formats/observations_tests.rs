use super::*;
use crate::model::load::default_model;
use crate::model::observations::{Replaced, merge, plan};

fn source(title: &str) -> Source {
    Source {
        title: title.into(),
        date: "2025".into(),
        url: Some(" ".into()),
        note: None,
    }
}

fn mapping(layout: Layout, grid: &Grid, choices: &[Choice]) -> Mapping {
    let mut m = Mapping {
        layout,
        names: 0,
        years: 0,
        targets: BTreeMap::new(),
        text_numbers: Lang::En,
    };
    m.targets = prefill(grid, &m, choices);
    m
}

#[test]
fn years_down_headers_match_ids_and_labels_and_bad_cells_are_named() {
    let model = default_model();
    let choices = choices(&model);
    // The French label of `exports`, in capitals: matched whatever the case.
    let label = model
        .model()
        .variable("exports")
        .unwrap()
        .label
        .fr
        .to_uppercase();
    let text = format!(
        "Year,JOBS,{label},Notes\n\
         2023,140000,\"25,1\",x\n\
         2025,150000,n/a,\n\
         2040,1,2,\n\
         2024.5,3,,\n\
         abc,4,,\n\
         ,5,,\n\
         ,,,only a note\n"
    );
    let grid = Grid::from_text(&text, ',');
    let m = mapping(Layout::YearsDown, &grid, &choices);
    assert_eq!(
        m.targets,
        BTreeMap::from([(1, "jobs".to_string()), (2, "exports".to_string())]),
        "Notes names nothing"
    );
    assert_eq!(
        items(&grid, &m)
            .iter()
            .map(|(i, h)| (*i, h.as_str()))
            .collect::<Vec<_>>(),
        [(1, "JOBS"), (2, label.as_str()), (3, "Notes")]
    );
    let r = read(&grid, None, &m, model.model().years());
    let got: Vec<(&str, i32, f64)> = r
        .points
        .iter()
        .map(|p| (p.variable.as_str(), p.year, p.value))
        .collect();
    assert_eq!(
        got,
        [
            ("jobs", 2023, 140_000.0),
            ("exports", 2023, 25.1),
            ("jobs", 2025, 150_000.0)
        ]
    );
    let problems: Vec<String> = r.problems.iter().map(|p| p.describe(Lang::En)).collect();
    assert_eq!(
        problems,
        [
            "line 3, column 3: “n/a” is not a number",
            "line 4, column 1: 2040 is outside the model's years (2013–2035)",
            "line 5, column 1: 2024.5 is not a whole year",
            "line 6, column 1: “abc” is not a year",
            "line 7, column 1: no year for these figures",
        ]
    );
    // The same in French, with its typography.
    let fr = r.problems[0].describe(Lang::Fr);
    assert_eq!(
        fr,
        "ligne 3, colonne 3\u{202f}: «\u{a0}n/a\u{a0}» n’est pas un nombre"
    );
}

#[test]
fn years_across_read_rows_and_name_sheet_cells() {
    let model = default_model();
    let choices = choices(&model);
    let grid = Grid::from_text(
        "Series,2023,2024,2025\n\
         jobs,140000,,150000\n\
         Direct jobs,1,2,3\n\
         segment_exports[crm],9.5,#n/a,10\n",
        ',',
    );
    assert_eq!(
        guess_layout(&grid, &model.model().years()),
        Layout::YearsAcross
    );
    let m = mapping(Layout::YearsAcross, &grid, &choices);
    // The label "Direct jobs" names `jobs` too: its figures repeat row 2's.
    assert_eq!(
        m.targets,
        BTreeMap::from([
            (1, "jobs".to_string()),
            (2, "jobs".to_string()),
            (3, "segment_exports[crm]".to_string())
        ])
    );
    let r = read(&grid, Some("Data 2025"), &m, model.model().years());
    let got: Vec<(&str, i32, f64)> = r
        .points
        .iter()
        .map(|p| (p.variable.as_str(), p.year, p.value))
        .collect();
    assert_eq!(
        got,
        [
            ("jobs", 2023, 140_000.0),
            ("segment_exports[crm]", 2023, 9.5),
            ("jobs", 2024, 2.0),
            ("jobs", 2025, 150_000.0),
            ("segment_exports[crm]", 2025, 10.0),
        ]
    );
    assert_eq!(r.points[0].place.describe(Lang::En), "'Data 2025'!B2");
    let problems: Vec<String> = r.problems.iter().map(|p| p.describe(Lang::En)).collect();
    assert_eq!(
        problems,
        [
            "'Data 2025'!B3: a second value for jobs in 2023 (the first at 'Data 2025'!B2)",
            "'Data 2025'!C4: “#n/a” is not a number",
            "'Data 2025'!D3: a second value for jobs in 2025 (the first at 'Data 2025'!D2)",
        ]
    );
    let plain = Place {
        sheet: Some("Sheet1".into()),
        row: 6,
        col: 2,
    };
    assert_eq!(plain.describe(Lang::Fr), "Sheet1!C7");
}

#[test]
fn an_import_with_no_source_is_refused_and_fields_are_trimmed() {
    let p = Point {
        variable: "jobs".into(),
        year: 2025,
        value: 1.0,
        place: Place {
            sheet: None,
            row: 1,
            col: 1,
        },
    };
    assert_eq!(
        with_source(std::slice::from_ref(&p), &source("  "), "", true),
        Err(Refusal::NoSource)
    );
    assert_eq!(
        with_source(&[], &source("AMRC"), "", true),
        Err(Refusal::Nothing)
    );
    let o = with_source(&[p], &source(" AMRC "), " census ", false).unwrap();
    assert_eq!(o[0].source.title, "AMRC");
    assert_eq!(o[0].source.url, None, "a blank address is none");
    assert_eq!(o[0].definition.as_deref(), Some("census"));
    assert_eq!(o[0].fit, Some(false));
    assert!(!Refusal::NoSource.describe(Lang::Fr).is_empty());
}

#[test]
fn an_imported_figure_replaces_the_model_s_own_for_that_year() {
    let model = default_model();
    let m = model.model();
    let old = m
        .observations
        .iter()
        .find(|o| o.variable == "jobs" && o.year == 2024)
        .expect("the default model has jobs in 2024")
        .value;
    let grid = Grid::from_text("year,jobs\n2024,150000\n2025,160000\n", ',');
    let map = mapping(Layout::YearsDown, &grid, &choices(&model));
    let r = read(&grid, None, &map, m.years());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let obs = with_source(&r.points, &source("AMRC"), "", true).unwrap();
    let p = plan(m, &obs);
    assert_eq!(p.added, 1);
    assert_eq!(
        p.replaced,
        [Replaced {
            variable: "jobs".into(),
            year: 2024,
            old,
            new: 150_000.0
        }]
    );
    let merged = merge(m, &obs);
    assert_eq!(merged.observations.len(), m.observations.len() + 1);
    crate::model::compile(merged).expect("the merged model compiles");
}
