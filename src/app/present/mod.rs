//! Presenting a deck: full screen, large type, only the step's charts and
//! headline numbers. Stepping animates the curves and the numbers from one
//! scenario to the next; a lever can still be moved for a "what if?" and one
//! key returns to the step's scenario.

use eframe::egui::{self, Color32, RichText};

use super::bands::Bands;
use super::charts::{self, BandsView};
use super::command::Command;
use super::document::Document;
use super::i18n::{Lang, Msg, colon, tr};
use super::panels::headline;
use super::panels::levers::LeverPanel;
use super::view::Cx;
use crate::deck::LoadedDeck;
use crate::model::Run;
use crate::model::targets::target_statuses;

/// Seconds the curves take to move from one step to the next.
pub const TRANSITION: f64 = 0.5;

pub struct Presenter {
    pub deck: LoadedDeck,
    pub step: usize,
    /// The step's scenario, levers movable during questions.
    pub doc: Document,
    /// Animation: the run shown when the step changed, and when it did.
    from: Option<(Run, f64)>,
    pub high_contrast: bool,
    pub show_levers: bool,
    /// Presenter notes, in a window of their own (drag it to the laptop's screen).
    pub show_notes: bool,
    levers: LeverPanel,
    bands: Bands,
    export: Option<Export>,
    /// The model map of steps that show it (its layout kept between frames).
    map: std::cell::RefCell<crate::app::tools::map::MapPanel>,
}

/// Exporting every step as a PNG: `STEM_01.png`, `STEM_02.png`...
struct Export {
    stem: std::path::PathBuf,
    /// Set by the screenshot callback when the step's file is written.
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    waiting: bool,
    /// Frames drawn on this step: the first ones may still be resizing.
    frames: u32,
    /// The chosen size in pixels; `None` for the screen's.
    size: Option<[u32; 2]>,
    errors: crate::app::shell::png_export::Errors,
}

/// What a presenting frame asks of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    Leave,
}

impl Presenter {
    pub fn new(deck: LoadedDeck) -> Self {
        let doc = step_doc(&deck, 0);
        Presenter {
            deck,
            step: 0,
            doc,
            from: None,
            high_contrast: false,
            show_levers: false,
            show_notes: false,
            levers: LeverPanel::default(),
            bands: Bands::default(),
            export: None,
            map: Default::default(),
        }
    }

    /// Writes every step as a PNG named after `path` (`talk.png` gives
    /// `talk_01.png`, `talk_02.png`...), then leaves.
    pub fn export_pngs(
        &mut self,
        path: std::path::PathBuf,
        errors: crate::app::shell::png_export::Errors,
        size: Option<[u32; 2]>,
    ) {
        let stem = path.with_extension("");
        self.export = Some(Export {
            stem,
            done: Default::default(),
            waiting: false,
            frames: 0,
            size,
            errors,
        });
    }

    /// During an export: shoots the step once drawn, then moves on.
    fn export_step(&mut self, ctx: &egui::Context) -> Option<Request> {
        use std::sync::atomic::Ordering;
        let n = self.deck.steps.len();
        let e = self.export.as_mut()?;
        ctx.request_repaint();
        e.frames += 1;
        // Shoot once the window has settled and the bands are complete.
        let bands_running = self.bands.progress().is_some_and(|(d, t)| d < t);
        // The first step waits longer: the window is changing size.
        let settle = if self.step == 0 { 10 } else { 4 };
        if !e.waiting && (e.frames < settle || bands_running) {
            return None;
        }
        if !e.waiting {
            let path =
                std::path::PathBuf::from(format!("{}_{:02}.png", e.stem.display(), self.step + 1));
            let done = e.done.clone();
            let errors = e.errors.clone();
            let repaint = ctx.clone();
            let want = e.size;
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                egui::ScreenshotCallback::new(move |image| {
                    // A screen smaller than the chosen size: say so, keep the image.
                    if let Some([w, h]) = want
                        && image.size != [w as usize, h as usize]
                        && let Ok(mut errs) = errors.lock()
                    {
                        errs.push(format!(
                            "{}: {w} x {h} asked, the screen gave {} x {}",
                            path.display(),
                            image.size[0],
                            image.size[1]
                        ));
                    }
                    crate::app::shell::png_export::write_or_report(&path, &image, &errors);
                    done.store(true, Ordering::SeqCst);
                    repaint.request_repaint();
                }),
            ));
            e.waiting = true;
            return None;
        }
        if !e.done.swap(false, Ordering::SeqCst) {
            return None;
        }
        e.waiting = false;
        e.frames = 0;
        if self.step + 1 < n {
            // No transition: each image shows its step as it stands.
            self.step += 1;
            self.doc = step_doc(&self.deck, self.step);
            self.from = None;
            None
        } else {
            self.export = None;
            Some(Request::Leave)
        }
    }

    /// Goes to step `step`, animating from what is on screen at time `now`.
    pub fn go(&mut self, step: usize, now: f64) {
        let step = step.min(self.deck.steps.len() - 1);
        if step == self.step {
            return;
        }
        let shown = self.shown_run(now);
        self.step = step;
        self.doc = step_doc(&self.deck, step);
        self.levers = LeverPanel::default();
        // Curves move only between runs of the same shape (same model).
        self.from = Run::lerp(&shown, &self.doc.run, 0.0).map(|r| (r, now));
    }

    pub fn next(&mut self, now: f64) {
        self.go(self.step + 1, now);
    }

    pub fn prev(&mut self, now: f64) {
        self.go(self.step.saturating_sub(1), now);
    }

    /// Back to the step's own scenario after a "what if?".
    pub fn back_to_step(&mut self, now: f64) {
        let shown = self.shown_run(now);
        self.doc = step_doc(&self.deck, self.step);
        self.from = Run::lerp(&shown, &self.doc.run, 0.0).map(|r| (r, now));
    }

    /// How far the transition has got, 0 to 1 (1 when none is under way).
    pub fn progress(&self, now: f64) -> f64 {
        self.from.as_ref().map_or(1.0, |(_, t0)| {
            let x = ((now - t0) / TRANSITION).clamp(0.0, 1.0);
            // Ease in and out.
            x * x * (3.0 - 2.0 * x)
        })
    }

    /// The run on screen at `now`.
    pub fn shown_run(&self, now: f64) -> Run {
        match &self.from {
            Some((from, _)) => Run::lerp(from, &self.doc.run, self.progress(now))
                .unwrap_or_else(|| self.doc.run.clone()),
            None => self.doc.run.clone(),
        }
    }

    /// One presenting frame. Keys: Right / PageDown / Space next, Left /
    /// PageUp previous, Esc leaves, R back to the step's scenario, H high
    /// contrast, L the levers, N the presenter notes (a separate window).
    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Lang, dark: bool) -> Option<Request> {
        let ctx = ui.ctx().clone();
        zoom_to_screen(&ctx);
        let now = ctx.input(|i| i.time);
        if self.keys(&ctx, now) == Some(Request::Leave) {
            return Some(Request::Leave);
        }
        if self.show_notes {
            self.notes_window(&ctx, lang);
        }
        if self.progress(now) < 1.0 {
            ctx.request_repaint();
        } else {
            self.from = None;
        }
        let dark = dark || self.high_contrast;
        if self.high_contrast {
            high_contrast(ui.visuals_mut());
        }
        if self.show_levers {
            self.levers_ui(ui, lang, dark);
        }
        // What is drawn: the step's document, or during a transition the
        // same model and levers with the run on its way.
        let moving = self.from.is_some().then(|| {
            let mut v = Document::new(self.doc.model.clone(), self.doc.levers.clone(), None);
            v.run = self.shown_run(now);
            v.statuses = target_statuses(&v.model, &v.run);
            v
        });
        let step = self.deck.steps[self.step].step.clone();
        let bands = step.bands.then(|| self.bands.view(&ctx, &self.doc));
        let stage = Stage {
            view: moving.as_ref().unwrap_or(&self.doc),
            step: &step,
            counter: format!("{} / {}", self.step + 1, self.deck.steps.len()),
            lang,
            dark,
            high_contrast: self.high_contrast,
            bands: bands.as_ref(),
            map: &self.map,
        };
        stage.ui(ui);
        if self.export.is_some() {
            return self.export_step(&ctx);
        }
        None
    }

    /// The presenter's keys; `Leave` on Esc.
    fn keys(&mut self, ctx: &egui::Context, now: f64) -> Option<Request> {
        let typing = ctx.egui_wants_keyboard_input();
        let key =
            |k: egui::Key| !typing && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, k));
        if key(egui::Key::Escape) {
            return Some(Request::Leave);
        }
        if key(egui::Key::ArrowRight) || key(egui::Key::PageDown) || key(egui::Key::Space) {
            self.next(now);
        }
        if key(egui::Key::ArrowLeft) || key(egui::Key::PageUp) {
            self.prev(now);
        }
        if key(egui::Key::R) {
            self.back_to_step(now);
        }
        if key(egui::Key::H) {
            self.high_contrast = !self.high_contrast;
        }
        if key(egui::Key::L) {
            self.show_levers = !self.show_levers;
        }
        if key(egui::Key::N) {
            self.show_notes = !self.show_notes;
        }
        None
    }

    /// The levers, for a "what if?" on the step's own document.
    fn levers_ui(&mut self, ui: &mut egui::Ui, lang: Lang, dark: bool) {
        let mut cx = Cx::new(&self.doc, lang, dark);
        egui::Panel::left("present-levers")
            .resizable(true)
            .default_size(320.0)
            .show(ui, |ui| self.levers.ui(ui, &mut cx));
        for c in cx.into_commands() {
            match c {
                Command::SetLever {
                    lever,
                    value,
                    merge,
                } => {
                    self.from = None;
                    self.doc.set_lever(lever, value, merge);
                }
                Command::ResetLever(l) => self.doc.reset_lever(l),
                Command::EndGesture => self.doc.end_gesture(),
                _ => {}
            }
        }
    }
}

/// Everything in proportion to the screen: lays out as on a 720-line
/// projector and zooms to the real screen (text, lines and markers alike).
fn zoom_to_screen(ctx: &egui::Context) {
    let physical = ctx.content_rect().height() * ctx.pixels_per_point();
    let native = ctx.native_pixels_per_point().unwrap_or(1.0);
    let zoom = (physical / native / 720.0).max(1.0);
    if (ctx.zoom_factor() - zoom).abs() > 0.01 {
        ctx.set_zoom_factor(zoom);
    }
}

/// White on black, for a washed-out projector.
fn high_contrast(v: &mut egui::Visuals) {
    v.override_text_color = Some(Color32::WHITE);
    v.panel_fill = Color32::BLACK;
    v.extreme_bg_color = Color32::BLACK;
    v.window_fill = Color32::BLACK;
    v.widgets.noninteractive.fg_stroke.color = Color32::WHITE;
    v.widgets.active.fg_stroke.color = Color32::WHITE;
}

/// What one presenting frame shows: the step's title, caption, headline
/// numbers and charts, in large type.
struct Stage<'a> {
    view: &'a Document,
    step: &'a crate::deck::Step,
    /// "2 / 5".
    counter: String,
    lang: Lang,
    dark: bool,
    high_contrast: bool,
    bands: Option<&'a BandsView<'a>>,
    map: &'a std::cell::RefCell<crate::app::tools::map::MapPanel>,
}

impl Stage<'_> {
    fn ui(&self, ui: &mut egui::Ui) {
        let fill = if self.high_contrast {
            Color32::BLACK
        } else {
            ui.visuals().panel_fill
        };
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE.fill(fill).inner_margin(24))
            .show(ui, |ui| {
                let h = ui.available_height().max(300.0);
                // Large type (the zoom keeps it in proportion to the screen).
                for font in ui.style_mut().text_styles.values_mut() {
                    font.size *= 1.3;
                }
                self.titles_ui(ui, h);
                ui.add_space(0.01 * h);
                self.numbers_ui(ui, h);
                ui.add_space(0.01 * h);
                self.charts_ui(ui);
            });
    }

    /// Titles and headline numbers: the strongest ink the theme has.
    fn ink(&self, ui: &egui::Ui) -> Color32 {
        if self.high_contrast {
            Color32::WHITE
        } else {
            ui.visuals().strong_text_color()
        }
    }

    fn titles_ui(&self, ui: &mut egui::Ui, h: f32) {
        let (step, lang) = (self.step, self.lang);
        let ink = self.ink(ui);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(step.title.get(lang))
                    .size(0.06 * h)
                    .color(ink),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(&self.counter).size(0.03 * h).weak());
            });
        });
        if !step.caption.get(lang).is_empty() {
            ui.add(egui::Label::new(RichText::new(step.caption.get(lang)).size(0.032 * h)).wrap());
        }
    }

    /// Headline numbers: the targets ahead, readable from the back.
    fn numbers_ui(&self, ui: &mut egui::Ui, h: f32) {
        let (view, lang, dark) = (self.view, self.lang, self.dark);
        let ink = self.ink(ui);
        let odds = self
            .bands
            .and_then(|b| b.summary)
            .map(|s| s.target_prob.as_slice());
        let ahead: Vec<_> = view.statuses.iter().filter(|s| s.future).take(4).collect();
        if !ahead.is_empty() {
            ui.columns(ahead.len(), |cols| {
                for (col, s) in cols.iter_mut().zip(&ahead) {
                    let c = headline::card(view, s, lang, odds);
                    let color = if c.met {
                        super::theme::good(dark)
                    } else {
                        super::theme::bad(dark)
                    };
                    // Left-aligned: a column's justified layout would
                    // spread the words of a wrapped label apart.
                    col.with_layout(egui::Layout::top_down(egui::Align::LEFT), |col| {
                        col.label(RichText::new(&c.label).size(0.025 * h));
                        // The figure on one line: smaller where the
                        // column is too narrow for it ("189 742 emplois").
                        let size = fitting_size(col, &c.value, 0.065 * h);
                        col.label(RichText::new(&c.value).size(size).color(ink));
                        col.label(RichText::new(&c.target).size(0.025 * h));
                        col.label(
                            RichText::new(&c.status)
                                .size(0.028 * h)
                                .color(color)
                                .strong(),
                        );
                        if let Some(o) = &c.odds {
                            col.label(RichText::new(o).size(0.025 * h));
                        }
                    });
                }
            });
        }
    }

    fn charts_ui(&self, ui: &mut egui::Ui) {
        if let Some(m) = &self.step.map {
            let cx = Cx::new(self.view, self.lang, self.dark);
            self.map
                .borrow_mut()
                .present(ui, &cx, m.loop_key.as_deref());
            return;
        }
        let charts: Vec<&crate::model::def::Chart> = if self.step.charts.is_empty() {
            charts::shown_charts(&self.view.model, false)
        } else {
            self.step
                .charts
                .iter()
                .filter_map(|id| self.view.model.charts().iter().find(|c| &c.id == id))
                .collect()
        };
        let cx = Cx::new(self.view, self.lang, self.dark);
        charts::charts_ui(ui, &cx, &[], &charts, self.bands);
    }
}

impl Presenter {
    /// The notes of this step and the next step's title, in their own OS
    /// window (an egui window where the platform has only one).
    fn notes_window(&mut self, ctx: &egui::Context, lang: Lang) {
        let step = &self.deck.steps[self.step].step;
        let title = format!(
            "{} {} / {} — {}",
            tr(lang, Msg::Notes),
            self.step + 1,
            self.deck.steps.len(),
            step.title.get(lang)
        );
        let notes = step.notes.get(lang).to_string();
        let next = self
            .deck
            .steps
            .get(self.step + 1)
            .map(|s| s.step.title.get(lang).to_string());
        let body = |ui: &mut egui::Ui| {
            ui.label(RichText::new(&notes).size(18.0));
            if let Some(n) = &next {
                ui.separator();
                ui.weak(format!("{}{}{n}", tr(lang, Msg::NextStep), colon(lang)));
            }
        };
        let mut close = false;
        ctx.show_viewport_immediate(
            egui::ViewportId::from_hash_of("presenter-notes"),
            egui::ViewportBuilder::default()
                .with_title(title.clone())
                .with_inner_size([520.0, 360.0]),
            |ctx, class| {
                if class == egui::ViewportClass::EmbeddedWindow {
                    egui::Window::new(&title)
                        .default_width(420.0)
                        .show(ctx, |ui| body(ui));
                } else {
                    egui::CentralPanel::default().show(ctx, |ui| body(ui));
                    if ctx.input(|i| i.viewport().close_requested()) {
                        close = true;
                    }
                }
            },
        );
        if close {
            self.show_notes = false;
        }
    }
}

/// A document on step `i`'s scenario.
fn step_doc(deck: &LoadedDeck, i: usize) -> Document {
    let s = &deck.steps[i];
    Document::new(s.model.clone(), s.levers.clone(), None)
}

/// The largest size, up to `max` and down to half of it, at which `text`
/// fits the width left in `ui` on one line.
fn fitting_size(ui: &egui::Ui, text: &str, max: f32) -> f32 {
    let width = ui.available_width();
    let font = egui::FontId::proportional(max);
    let needed = ui
        .ctx()
        .fonts_mut(|f| f.layout_no_wrap(text.to_string(), font, egui::Color32::WHITE))
        .size()
        .x;
    if needed <= width || needed <= 0.0 {
        max
    } else {
        (max * width / needed * 0.98).max(max / 2.0)
    }
}
