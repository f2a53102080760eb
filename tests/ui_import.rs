//! File > Import observations…, driven headless: a CSV and an .xlsx
//! written here, picked in the in-app file browser (standing in for the
//! native dialog), a column mapped, the source given, what the import
//! does checked before it is applied, applied as one undo step, undone;
//! the imported observations survive saving the scenario and opening it.

use eframe::egui::accesskit::Role;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use trajectoire::app::i18n::Lang;
use trajectoire::model::def::Observation;

mod common;
use common::xlsx::{self, Cell};
use common::{Window, click_role, tmp, type_file_name, type_into};

/// Opens File > Import observations… (the menus `file` and `menu`, in
/// the window's language) and picks `path` in the file browser.
fn import_file(h: &mut Window, file: &str, menu: &str, path: &std::path::Path) {
    h.get_by_label(file).click();
    h.run();
    h.get_by_label(menu).click();
    h.run();
    assert!(h.state().files.is_open(), "the file browser is up");
    if file == "File" {
        type_file_name(h, path);
    } else {
        type_into(h, "Nom du fichier", path.to_str().unwrap());
    }
    h.key_press(Key::Enter);
    h.run();
    assert!(!h.state().files.is_open());
}

fn observations(h: &Window) -> Vec<Observation> {
    h.state().doc.model.model().observations.clone()
}

fn find<'a>(obs: &'a [Observation], variable: &str, year: i32) -> Vec<&'a Observation> {
    obs.iter()
        .filter(|o| o.variable == variable && o.year == year)
        .collect()
}

#[test]
fn a_csv_is_mapped_checked_imported_in_one_step_and_undone() {
    let mut h = common::window(Lang::En);
    let before = observations(&h);
    let path = tmp("figures.csv");
    // "Direct jobs" is the label of `jobs`; "Revenue" names nothing.
    std::fs::write(
        &path,
        "Year,Direct jobs,Revenue\n2024,150000,26.5\n2025,160000,n/a\n",
    )
    .unwrap();
    import_file(&mut h, "File", "Import observations…", &path);
    h.get_by_label_contains("New observations: 1");
    h.get_by_label_contains("Replacing an existing observation: 1");
    h.get_by_label_contains("Direct jobs 2024: 148,500 → 150,000");
    h.get_by_label_contains("Cells that cannot be read, skipped: 0");
    // Revenue to exports: its 2024 figure replaces the model's, its 2025
    // cell is not a number and is listed.
    click_role(&mut h, Role::ComboBox, "Column C");
    // Far down the list: scrolled to, as a user would.
    let option = "Offshoring export revenue (exports)";
    h.get_by_label(option).scroll_to_me();
    h.run();
    h.get_by_label(option).click();
    h.run();
    h.get_by_label_contains("Replacing an existing observation: 2");
    h.get_by_label_contains("Offshoring export revenue 2024: 26.2 → 26.5");
    h.get_by_label_contains("line 3, column 3: “n/a” is not a number");
    // No source: refused, and said.
    h.get_by_label_contains("an import with no source is refused");
    click_role(&mut h, Role::Button, "Import");
    assert_eq!(
        observations(&h),
        before,
        "nothing imported without a source"
    );
    type_into(
        &mut h,
        "Title or publisher (required)",
        "AMRC annual report",
    );
    type_into(&mut h, "Date", "2026-03");
    assert!(
        h.query_by_label_contains("an import with no source is refused")
            .is_none()
    );
    click_role(&mut h, Role::Button, "Import");

    let after = observations(&h);
    assert_eq!(after.len(), before.len() + 1, "one new, two replaced");
    let jobs_2025 = find(&after, "jobs", 2025);
    assert_eq!(jobs_2025.len(), 1);
    assert_eq!(jobs_2025[0].value, 160_000.0);
    assert_eq!(jobs_2025[0].source.title, "AMRC annual report");
    assert_eq!(jobs_2025[0].source.date, "2026-03");
    let jobs_2024 = find(&after, "jobs", 2024);
    assert_eq!(jobs_2024.len(), 1);
    assert_eq!(jobs_2024[0].value, 150_000.0);
    assert_eq!(find(&after, "exports", 2024)[0].value, 26.5);
    assert!(find(&after, "exports", 2025).is_empty(), "n/a skipped");
    assert!(
        h.query_by_label("Import observations").is_none(),
        "the import window closes once applied"
    );
    // The fit the calibration reads now counts the new figure.
    let fit = trajectoire::model::fit::fit(&h.state().doc.model, &h.state().doc.run);
    let jobs = fit
        .iter()
        .find(|f| f.variable == "jobs")
        .expect("jobs fitted");
    assert!(
        jobs.points
            .iter()
            .any(|p| p.year == 2025 && p.observed == 160_000.0),
        "{jobs:?}"
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        observations(&h),
        before,
        "one undo takes the whole import back"
    );
}

#[test]
fn imported_observations_survive_saving_the_scenario_and_opening_it() {
    let mut h = common::window(Lang::En);
    let path = tmp("next-year.csv");
    std::fs::write(&path, "year;jobs\n2025;\"160 000\"\n2026;171000,5\n").unwrap();
    import_file(&mut h, "File", "Import observations…", &path);
    h.get_by_label_contains("New observations: 2");
    type_into(&mut h, "Title or publisher (required)", "Survey");
    click_role(&mut h, Role::Button, "Import");
    let jobs: Vec<f64> = [2025, 2026]
        .iter()
        .map(|&y| find(&observations(&h), "jobs", y)[0].value)
        .collect();
    assert_eq!(
        jobs,
        [160_000.0, 171_000.5],
        "a French CSV: `;` and decimal commas"
    );

    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run();
    let saved = tmp("with-import.ron");
    let _ = std::fs::remove_file(&saved);
    type_file_name(&mut h, &saved);
    h.get_by_role_and_label(Role::Button, "Save as").click();
    h.run();
    assert!(saved.is_file());
    let mut again = common::window(Lang::En);
    again.state_mut().open_path(&saved);
    again.run();
    let obs = observations(&again);
    assert_eq!(find(&obs, "jobs", 2026)[0].value, 171_000.5);
    assert_eq!(find(&obs, "jobs", 2026)[0].source.title, "Survey");
}

#[test]
fn an_xlsx_sheet_with_years_across_is_imported_in_french() {
    let mut h = common::window(Lang::Fr);
    let before = observations(&h);
    let path = tmp("chiffres.xlsx");
    xlsx::write(
        &path,
        &[
            (
                "Notes",
                vec![vec![Cell::T("Chiffres de l’Office des Changes")]],
            ),
            (
                "Données",
                vec![
                    vec![Cell::T("Série"), Cell::N(2025.0), Cell::N(2026.0)],
                    vec![
                        Cell::T("Emplois directs"),
                        Cell::N(160_000.0),
                        Cell::N(170_000.0),
                    ],
                    vec![
                        Cell::T("segment_exports[crm]"),
                        Cell::N(10.25),
                        Cell::T("abc"),
                    ],
                    vec![Cell::T("Autre"), Cell::N(1.0), Cell::N(2.0)],
                ],
            ),
        ],
    );
    import_file(&mut h, "Fichier", "Importer des observations…", &path);
    click_role(&mut h, Role::ComboBox, "Feuille");
    h.get_by_label("Données").click();
    h.run();
    // Years across, guessed from the first row; the names matched.
    h.get_by_label_contains("Nouvelles observations\u{202f}: 3");
    h.get_by_label_contains("Données!C3\u{202f}: «\u{a0}abc\u{a0}» n’est pas un nombre");
    // "Autre", row 4, names nothing: it is listed, left ignored.
    h.get_by_role_and_label(Role::ComboBox, "Ligne 4");
    type_into(
        &mut h,
        "Titre ou éditeur (obligatoire)",
        "Office des Changes",
    );
    click_role(&mut h, Role::Button, "Importer");
    let after = observations(&h);
    assert_eq!(after.len(), before.len() + 3);
    assert_eq!(find(&after, "segment_exports[crm]", 2025)[0].value, 10.25);
    assert_eq!(find(&after, "jobs", 2026)[0].value, 170_000.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(observations(&h), before);
}
