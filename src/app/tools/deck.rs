//! Building a deck in the window: add the current view as a step, reorder,
//! edit titles, captions and presenter notes (in the window's language),
//! save the deck, present it.

use eframe::egui;

use super::ToolWindow;
use crate::app::command::Command;
use crate::app::document::Document;
use crate::app::i18n::{Lang, Msg, tr};
use crate::app::shell::files::FileRequest;
use crate::app::view::Cx;
use crate::deck::{DECK_FORMAT_VERSION, Deck, LoadedDeck, LoadedStep, Step, StepScenario};
use crate::model::Text;
use crate::scenario;

#[derive(Default)]
pub struct DeckPanel {
    /// The deck being built, and the last one opened (F5 presents it).
    pub deck: Option<LoadedDeck>,
    selected: usize,
    /// The size of the deck's PNGs: the screen's, or a chosen one.
    pub export_size: Option<[u32; 2]>,
}

/// The sizes offered for PNG export besides the screen's.
pub const EXPORT_SIZES: [[u32; 2]; 3] = [[1280, 720], [1920, 1080], [3840, 2160]];

/// A step showing `doc` as it is now: its scenario inline, the charts on
/// screen (the detailed view's when `by_segment`), bands as shown, and the
/// model map in their place when its window is open (`map`).
pub fn step_from_view(
    doc: &Document,
    by_segment: bool,
    bands: bool,
    map: Option<crate::deck::MapStep>,
    lang: Lang,
) -> LoadedStep {
    let m = doc.model.model();
    let charts = crate::app::charts::shown_charts(&doc.model, by_segment)
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let name = if doc.name.is_empty() {
        m.name.get(lang).to_string()
    } else {
        doc.name.clone()
    };
    let s = scenario::from_document(
        &doc.model,
        &doc.levers,
        &name,
        &doc.notes,
        scenario::Views::default(),
        doc.monte_carlo,
    );
    LoadedStep {
        step: Step {
            title: Text::new(name.clone(), name),
            caption: Text::default(),
            notes: Text::default(),
            scenario: StepScenario::Inline(Box::new(s)),
            charts,
            bands,
            map,
        },
        model: doc.model.clone(),
        levers: doc.levers.clone(),
    }
}

impl ToolWindow for DeckPanel {
    fn contents(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let lang = cx.lang;
        if self.deck.is_none() {
            if ui.button(tr(lang, Msg::NewDeck)).clicked() {
                let first = step_from_view(cx.doc, cx.by_segment, cx.bands, cx.map.clone(), lang);
                self.deck = Some(LoadedDeck {
                    deck: Deck {
                        format_version: DECK_FORMAT_VERSION,
                        title: first.step.title.clone(),
                        steps: vec![first.step.clone()],
                    },
                    steps: vec![first],
                    file: None,
                });
                self.selected = 0;
            }
            return;
        }
        self.steps_ui(ui, cx);
        ui.separator();
        self.step_texts_ui(ui, lang);
        ui.separator();
        self.actions_ui(ui, cx);
    }
}

impl DeckPanel {
    /// The deck's title and its steps: select, reorder, remove, add.
    fn steps_ui(&mut self, ui: &mut egui::Ui, cx: &Cx) {
        let lang = cx.lang;
        let Some(d) = &mut self.deck else { return };
        ui.horizontal(|ui| {
            let l = ui.label(tr(lang, Msg::TitleField));
            ui.add(egui::TextEdit::singleline(d.deck.title.get_mut(lang)).desired_width(380.0))
                .labelled_by(l.id);
        });
        ui.separator();
        let n = d.steps.len();
        let mut swap: Option<(usize, usize)> = None;
        let mut remove: Option<usize> = None;
        for i in 0..n {
            ui.horizontal(|ui| {
                let title = format!("{}. {}", i + 1, d.steps[i].step.title.get(lang));
                ui.selectable_value(&mut self.selected, i, title);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let tip = format!("{} {}", tr(lang, Msg::Step), i + 1);
                    let mut button = |enabled: bool, msg: Msg| {
                        ui.add_enabled(enabled, egui::Button::new(tr(lang, msg)).small())
                            .on_hover_text(&tip)
                            .clicked()
                    };
                    if button(n > 1, Msg::Remove) {
                        remove = Some(i);
                    }
                    if button(i + 1 < n, Msg::MoveDown) {
                        swap = Some((i, i + 1));
                    }
                    if button(i > 0, Msg::MoveUp) {
                        swap = Some((i - 1, i));
                    }
                });
            });
        }
        if let Some((a, b)) = swap {
            d.steps.swap(a, b);
            d.deck.steps.swap(a, b);
            self.selected = if self.selected == a { b } else { a };
        }
        if let Some(i) = remove {
            d.steps.remove(i);
            d.deck.steps.remove(i);
            self.selected = self.selected.min(d.steps.len() - 1);
        }
        if ui.button(tr(lang, Msg::AddStep)).clicked() {
            let s = step_from_view(cx.doc, cx.by_segment, cx.bands, cx.map.clone(), lang);
            d.deck.steps.push(s.step.clone());
            d.steps.push(s);
            self.selected = d.steps.len() - 1;
        }
    }

    /// The selected step's texts, in the window's language.
    fn step_texts_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(d) = &mut self.deck else { return };
        let i = self.selected.min(d.steps.len() - 1);
        let step = &mut d.deck.steps[i];
        egui::Grid::new("deck-step").num_columns(2).show(ui, |ui| {
            let l = ui.label(tr(lang, Msg::TitleField));
            ui.add(egui::TextEdit::singleline(step.title.get_mut(lang)).desired_width(380.0))
                .labelled_by(l.id);
            ui.end_row();
            for (msg, text, rows) in [
                (Msg::CaptionField, &mut step.caption, 2),
                (Msg::NotesField, &mut step.notes, 3),
            ] {
                let l = ui.label(tr(lang, msg));
                ui.add(
                    egui::TextEdit::multiline(text.get_mut(lang))
                        .desired_rows(rows)
                        .desired_width(380.0),
                )
                .labelled_by(l.id);
                ui.end_row();
            }
            ui.label("");
            let mut map = step.map.is_some();
            if ui.checkbox(&mut map, tr(lang, Msg::StepShowsMap)).changed() {
                step.map = map.then(crate::deck::MapStep::default);
            }
            ui.end_row();
        });
        d.steps[i].step = step.clone();
    }

    /// Save, present, export the deck's brief, and export as images at a
    /// chosen size.
    fn actions_ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx) {
        let lang = cx.lang;
        ui.horizontal(|ui| {
            if ui.button(tr(lang, Msg::SaveDeck)).clicked() {
                cx.send(Command::File(FileRequest::SaveDeck));
            }
            if ui.button(tr(lang, Msg::Present)).clicked() {
                cx.send(Command::Present);
            }
            // The brief is a document, not images: the size below is not its.
            if ui.button(tr(lang, Msg::ExportDeckBrief)).clicked() {
                cx.send(Command::File(FileRequest::ExportDeckBrief));
            }
        });
        ui.horizontal(|ui| {
            let l = ui.label(tr(lang, Msg::ImageSize));
            let name = |s: Option<[u32; 2]>| match s {
                None => tr(lang, Msg::ScreenSize).to_string(),
                Some([w, h]) => format!("{w} x {h}"),
            };
            egui::ComboBox::from_id_salt("export-size")
                .selected_text(name(self.export_size))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.export_size, None, name(None));
                    for s in EXPORT_SIZES {
                        ui.selectable_value(&mut self.export_size, Some(s), name(Some(s)));
                    }
                })
                .response
                .labelled_by(l.id);
            if ui.button(tr(lang, Msg::ExportDeckPng)).clicked() {
                cx.send(Command::File(FileRequest::ExportDeckPng));
            }
        });
    }
}
