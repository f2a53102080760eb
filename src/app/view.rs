//! What every view of the window is drawn with: the document it reads, the
//! language and theme, and the list where it puts what the user asked for.
//! Views never change the document: they send [`Command`]s, which the shell
//! applies in one place at the end of the frame.

use super::command::Command;
use super::document::Document;
use super::i18n::{Lang, Msg, tr};

/// A view's context, in place of `(doc, lang, dark, out)` parameter lists.
pub struct Cx<'a> {
    pub doc: &'a Document,
    pub lang: Lang,
    pub dark: bool,
    /// Segment charts in place of the main ones (View > By segment).
    pub by_segment: bool,
    /// Uncertainty bands shown (View > Uncertainty bands).
    pub bands: bool,
    /// The model map, when its window is open: what a deck step added now
    /// shows.
    pub map: Option<crate::deck::MapStep>,
    out: Vec<Command>,
}

impl<'a> Cx<'a> {
    pub fn new(doc: &'a Document, lang: Lang, dark: bool) -> Self {
        Cx {
            doc,
            lang,
            dark,
            by_segment: false,
            bands: false,
            map: None,
            out: Vec::new(),
        }
    }

    /// The same context with the window's view settings.
    pub fn with_view(mut self, by_segment: bool, bands: bool) -> Self {
        self.by_segment = by_segment;
        self.bands = bands;
        self
    }

    /// `msg` in the window's language.
    pub fn tr(&self, msg: Msg) -> &'static str {
        tr(self.lang, msg)
    }

    /// Asks the shell to carry out `cmd` once the frame is drawn.
    pub fn send(&mut self, cmd: Command) {
        self.out.push(cmd);
    }

    /// Where commands go, for code that collects them itself.
    pub fn out(&mut self) -> &mut Vec<Command> {
        &mut self.out
    }

    /// What the views asked for, in the order they asked.
    #[must_use]
    pub fn into_commands(self) -> Vec<Command> {
        self.out
    }
}
