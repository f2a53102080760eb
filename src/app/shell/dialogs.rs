//! Open and save dialogs that never hang the window: the native dialog (rfd)
//! runs on its own thread and the window polls for its answer. Where no
//! native dialog exists (it answers "nothing" at once, as it does without a
//! desktop portal), an in-app file browser takes over.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use super::files::FileRequest;
use crate::app::i18n::{Lang, Msg, tr};

/// A native dialog that answers "nothing" faster than this was not shown.
const NO_DIALOG: Duration = Duration::from_millis(250);

pub struct FileDialogs {
    /// A native dialog under way: what for, its answer, when it started,
    /// and the suggested name (kept for the in-app browser if there is none).
    pending: Option<Pending>,
    browser: Option<Browser>,
    /// Off in tests: go straight to the in-app browser.
    pub native: bool,
}

impl Default for FileDialogs {
    fn default() -> Self {
        FileDialogs {
            pending: None,
            browser: None,
            native: true,
        }
    }
}

/// A native dialog under way: what for, its answer, when it started, and
/// where and with which name it opened (for the in-app browser, if there
/// is no native dialog).
struct Pending {
    purpose: FileRequest,
    answer: Receiver<Option<PathBuf>>,
    started: Instant,
    dir: PathBuf,
    name: String,
}

struct Browser {
    purpose: FileRequest,
    dir: PathBuf,
    name: String,
    error: Option<String>,
    /// The name field took the keyboard once, when the browser opened.
    focused: bool,
}

/// Runs a future to completion on this thread (the dialog's own thread).
fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}

impl FileDialogs {
    pub fn is_open(&self) -> bool {
        self.pending.is_some() || self.browser.is_some()
    }

    /// Starts a dialog in `dir`, suggesting `name` for a save.
    pub fn start(&mut self, purpose: FileRequest, dir: PathBuf, name: String, lang: Lang) {
        if self.is_open() {
            return;
        }
        if !self.native {
            self.open_browser(purpose, dir, name);
            return;
        }
        let (tx, rx) = channel();
        let title = purpose.label(lang).to_string();
        let (dir2, name2) = (dir.clone(), name.clone());
        let filters = purpose.intent().filters(lang);
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let mut dialog = rfd::AsyncFileDialog::new()
                    .set_title(title)
                    .set_directory(&dir2);
                for f in filters {
                    dialog = dialog.add_filter(f.name, &f.extensions);
                }
                let picked = if purpose.writes() {
                    block_on(dialog.set_file_name(name2).save_file())
                } else {
                    block_on(dialog.pick_file())
                };
                let _ = tx.send(picked.map(|h| h.path().to_path_buf()));
            });
        match spawned {
            Ok(_) => {
                self.pending = Some(Pending {
                    purpose,
                    answer: rx,
                    started: Instant::now(),
                    dir,
                    name,
                });
            }
            Err(_) => self.open_browser(purpose, dir, name),
        }
    }

    fn open_browser(&mut self, purpose: FileRequest, dir: PathBuf, name: String) {
        let dir = dir.canonicalize().unwrap_or(dir);
        self.browser = Some(Browser {
            purpose,
            dir,
            name,
            error: None,
            focused: false,
        });
    }

    /// Polls the native dialog and shows the in-app browser. Returns what the
    /// user picked, once.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        default_dir: &Path,
    ) -> Option<(FileRequest, PathBuf)> {
        if let Some(p) = &self.pending {
            match p.answer.try_recv() {
                Ok(Some(path)) => {
                    let purpose = p.purpose;
                    self.pending = None;
                    return Some(picked(purpose, path));
                }
                Ok(None) => {
                    // Nothing, at once: no native dialog here. Nothing after a
                    // while: the user cancelled.
                    let p = self.pending.take().expect("pending");
                    if p.started.elapsed() < NO_DIALOG {
                        self.open_browser(p.purpose, p.dir, p.name);
                    }
                }
                Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
                Err(TryRecvError::Disconnected) => {
                    let p = self.pending.take().expect("pending");
                    let dir = if p.dir.is_dir() {
                        p.dir
                    } else {
                        default_dir.to_path_buf()
                    };
                    self.open_browser(p.purpose, dir, String::new());
                }
            }
        }
        self.browser_ui(ctx, lang)
    }

    fn browser_ui(&mut self, ctx: &egui::Context, lang: Lang) -> Option<(FileRequest, PathBuf)> {
        let b = self.browser.as_mut()?;
        let mut result = None;
        let mut close = false;
        let title = b.purpose.label(lang);
        egui::Modal::new(egui::Id::unique("file-browser")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(title);
            if b.purpose == FileRequest::RunData {
                ui.label(tr(lang, Msg::RunDataNeeded));
            }
            ui.horizontal(|ui| {
                if ui
                    .button(tr(lang, Msg::Up))
                    .on_hover_text(tr(lang, Msg::Up))
                    .clicked()
                    && let Some(p) = b.dir.parent()
                {
                    b.dir = p.to_path_buf();
                }
                ui.label(RichText::new(b.dir.display().to_string()).monospace());
            });
            ui.separator();
            let mut entries: Vec<(bool, String, PathBuf)> = std::fs::read_dir(&b.dir)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .filter_map(|e| {
                            let p = e.path();
                            let name = e.file_name().to_string_lossy().into_owned();
                            if name.starts_with('.') {
                                return None;
                            }
                            let is_dir = p.is_dir();
                            let shown = !is_dir && b.purpose.intent().lists(&p);
                            (is_dir || shown).then_some((is_dir, name, p))
                        })
                        .collect()
                })
                .unwrap_or_default();
            entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    for (is_dir, name, path) in entries {
                        let label = if is_dir {
                            format!("{name}/")
                        } else {
                            name.clone()
                        };
                        let r = ui.selectable_label(!is_dir && b.name == name, label);
                        if r.clicked() {
                            if is_dir {
                                b.dir = path.clone();
                            } else {
                                b.name = name;
                            }
                        }
                        if r.double_clicked() && !is_dir {
                            result = Some(picked(b.purpose, path));
                        }
                    }
                });
            ui.separator();
            // The name field has the keyboard from the start; Enter confirms.
            let mut enter = false;
            ui.horizontal(|ui| {
                let label = ui.label(tr(lang, Msg::FileName));
                let r = ui
                    .add(egui::TextEdit::singleline(&mut b.name).desired_width(300.0))
                    .labelled_by(label.id);
                if !b.focused {
                    r.request_focus();
                    b.focused = true;
                }
                enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            });
            if let Some(e) = &b.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.horizontal(|ui| {
                let ok = ui.button(title.trim_end_matches('…')).clicked() || enter;
                if ui.button(tr(lang, Msg::Cancel)).clicked() {
                    close = true;
                }
                if ok {
                    if b.name.trim().is_empty() {
                        b.error = Some(tr(lang, Msg::FileName).to_string());
                    } else {
                        result = Some(picked(b.purpose, b.dir.join(b.name.trim())));
                    }
                }
            });
        });
        if result.is_some() || close {
            self.browser = None;
        }
        result
    }
}

/// The path picked for `purpose`; a file written always carries its suffix.
fn picked(purpose: FileRequest, path: PathBuf) -> (FileRequest, PathBuf) {
    (purpose, purpose.intent().with_suffix(path))
}
