//! The frame every tool window shares (targets, calibration, sensitivity,
//! deck, model editor): shown while its flag is set, closed by its ×.

use eframe::egui;

/// Shows a window titled `title` while `*open`, `size` by default, its
/// contents drawn by `add` (in a vertical scroll area when `scroll`).
pub fn show(
    ctx: &egui::Context,
    title: &str,
    open: &mut bool,
    size: [f32; 2],
    scroll: bool,
    add: impl FnOnce(&mut egui::Ui),
) {
    if !*open {
        return;
    }
    egui::Window::new(title)
        .open(open)
        .default_width(size[0])
        .default_height(size[1])
        .show(ctx, |ui| {
            if scroll {
                egui::ScrollArea::vertical().show(ui, add);
            } else {
                add(ui);
            }
        });
}
