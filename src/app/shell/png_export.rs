//! Charts and slides as PNG: a screenshot of the window, cut to a region,
//! written whole or not at all.

use std::path::Path;

use eframe::egui::{self, ColorImage};

/// The part of `image` inside `rect` (in points), at `pixels_per_point`.
/// A region partly outside the image is cut to it.
pub fn crop(image: &ColorImage, rect: egui::Rect, pixels_per_point: f32) -> ColorImage {
    let [w, h] = image.size;
    let x0 = ((rect.min.x * pixels_per_point).round().max(0.0) as usize).min(w);
    let y0 = ((rect.min.y * pixels_per_point).round().max(0.0) as usize).min(h);
    let x1 = ((rect.max.x * pixels_per_point).round().max(0.0) as usize).clamp(x0, w);
    let y1 = ((rect.max.y * pixels_per_point).round().max(0.0) as usize).clamp(y0, h);
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        pixels.extend_from_slice(&image.pixels[y * w + x0..y * w + x1]);
    }
    ColorImage::new([x1 - x0, y1 - y0], pixels)
}

/// Writes `image` as an 8-bit RGBA PNG, atomically.
pub fn write_png(path: &Path, image: &ColorImage) -> std::io::Result<()> {
    let [w, h] = image.size;
    if w == 0 || h == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "nothing to export: the region is empty",
        ));
    }
    let mut bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bytes, w as u32, h as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(std::io::Error::other)?;
        let data: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(|c| c.to_srgba_unmultiplied())
            .collect();
        writer
            .write_image_data(&data)
            .map_err(std::io::Error::other)?;
    }
    crate::atomic::write(path, &bytes)
}

/// The errors screenshot callbacks report (they run on the render thread).
pub type Errors = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// [`write_png`], a failure said in `errors` with the file's name.
pub fn write_or_report(path: &Path, image: &ColorImage, errors: &Errors) {
    if let Err(e) = write_png(path, image)
        && let Ok(mut errs) = errors.lock()
    {
        errs.push(format!("{}: {e}", path.display()));
    }
}

/// The charts' PNG under way: where they were drawn, the file to write once
/// no dialog covers them, and the errors the screenshot callbacks report.
#[derive(Default)]
pub struct PngState {
    /// Where the charts were drawn last frame.
    pub charts_rect: Option<egui::Rect>,
    /// A PNG of the charts to take once the file dialog has gone.
    pub pending: Option<std::path::PathBuf>,
    /// The window's size before a deck export at a chosen size.
    pub restore_size: Option<egui::Vec2>,
    pub errors: Errors,
}

impl super::TrajectoireApp {
    /// Asks for a screenshot of the charts once no dialog covers them; the
    /// callback cuts it to the charts and writes the PNG. Errors come back
    /// through `errors` and are shown.
    pub(super) fn take_png(&mut self, ctx: &egui::Context) {
        let reported: Vec<String> = match self.png.errors.lock() {
            Ok(mut e) => std::mem::take(&mut *e),
            Err(_) => Vec::new(),
        };
        if !reported.is_empty() {
            self.tell(crate::app::i18n::Msg::PngError, reported.join("\n"));
        }
        if self.files.is_open() || self.confirm.is_some() {
            return;
        }
        let (Some(path), Some(rect)) = (self.png.pending.take(), self.png.charts_rect) else {
            return;
        };
        let ppp = ctx.pixels_per_point();
        let errors = self.png.errors.clone();
        let repaint = ctx.clone();
        ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
            egui::ScreenshotCallback::new(move |image| {
                let cut = crop(&image, rect, ppp);
                write_or_report(&path, &cut, &errors);
                repaint.request_repaint();
            }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::{Color32, pos2};

    #[test]
    fn crop_cuts_the_region_and_png_round_trips() {
        // 4 x 3 image, each pixel coloured by its position.
        let pixels = (0..12)
            .map(|i| Color32::from_rgb(i as u8 * 10, 0, 255))
            .collect();
        let img = ColorImage::new([4, 3], pixels);
        // Points at 2 pixels per point: (0.5, 0.5)-(1.5, 1.5) is pixels 1..3.
        let c = crop(
            &img,
            egui::Rect::from_min_max(pos2(0.5, 0.5), pos2(1.5, 1.5)),
            2.0,
        );
        assert_eq!(c.size, [2, 2]);
        assert_eq!(c.pixels[0], img.pixels[4 + 1]);
        assert_eq!(c.pixels[3], img.pixels[2 * 4 + 2]);
        // Outside the image: cut to it.
        let c = crop(
            &img,
            egui::Rect::from_min_max(pos2(1.0, 1.0), pos2(99.0, 99.0)),
            1.0,
        );
        assert_eq!(c.size, [3, 2]);
        let path = std::env::temp_dir().join(format!("trajectoire-png-{}.png", std::process::id()));
        write_png(&path, &c).unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (3, 2));
        let empty = ColorImage::new([0, 0], Vec::new());
        assert!(write_png(&path, &empty).is_err());
    }
}
