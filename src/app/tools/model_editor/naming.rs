//! The name row of a variable, a lever or a table: rename (every reference
//! follows) and delete (refused, with every use, while anything names it).

use eframe::egui;

use crate::app::command::Command;
use crate::app::i18n::{Msg, tr};
use crate::app::theme;
use crate::app::view::Cx;
use crate::model::edit;

/// What the user did on the row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameEdit {
    Renamed(String),
    Deleted,
}

/// The text being typed and why the last rename or delete was refused.
#[derive(Default)]
pub struct NameRow {
    /// The name in the field; follows the selection until typed in.
    pub text: String,
    of: String,
    refused: Option<String>,
}

impl NameRow {
    /// The row for `id`; sends the edited model when a rename or a delete
    /// is accepted, and says why when it is refused.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Cx, id: &str) -> Option<NameEdit> {
        self.ui_with(ui, cx, id, |_, _| {})
    }

    /// [`NameRow::ui`] with `more` at the end of the row.
    pub fn ui_with(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Cx,
        id: &str,
        more: impl FnOnce(&mut egui::Ui, &mut Cx),
    ) -> Option<NameEdit> {
        if self.of != id {
            self.of = id.to_string();
            self.text = id.to_string();
            self.refused = None;
        }
        let (lang, dark) = (cx.lang, cx.dark);
        let m = cx.doc.model.model();
        let mut done = None;
        ui.horizontal(|ui| {
            let l = ui.label(tr(lang, Msg::NameField));
            ui.add(egui::TextEdit::singleline(&mut self.text).desired_width(200.0))
                .labelled_by(l.id);
            let new = self.text.trim().to_string();
            if ui.button(tr(lang, Msg::Rename)).clicked() && new != id {
                done = self.settle(edit::rename(m, id, &new), NameEdit::Renamed(new), cx);
            }
            if ui.button(tr(lang, Msg::Delete)).clicked() {
                done = self.settle(edit::delete(m, id), NameEdit::Deleted, cx);
            }
            more(ui, cx);
        });
        if let Some(r) = &self.refused {
            ui.colored_label(theme::bad(dark), r);
        }
        done
    }

    fn settle(
        &mut self,
        edited: Result<crate::model::Model, edit::EditError>,
        what: NameEdit,
        cx: &mut Cx,
    ) -> Option<NameEdit> {
        // An edit the compiler refuses is said, and nothing is done.
        let edited = edited.map_err(|e| e.text(cx.lang)).and_then(|model| {
            crate::model::compile(model.clone())
                .map(|_| model)
                .map_err(|errs| errs.to_string())
        });
        match edited {
            Ok(model) => {
                cx.send(Command::EditModel {
                    model: Box::new(model),
                    merge: None,
                });
                self.refused = None;
                if let NameEdit::Renamed(new) = &what {
                    self.of.clone_from(new);
                }
                Some(what)
            }
            Err(e) => {
                self.refused = Some(e);
                None
            }
        }
    }
}
