//! One full frame of the explorer window (layout, re-simulation, plots and
//! tessellation) on a headless egui context, with a lever changing every
//! frame, beside an empty egui frame measured in the same run.
//!
//! cargo bench --bench frame

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui::{self, RawInput, Rect, pos2, vec2};
use trajectoire::app::command::Command;
use trajectoire::app::{Prefs, TrajectoireApp};

fn input(size: egui::Vec2) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), size)),
        ..Default::default()
    }
}

fn frame(c: &mut Criterion) {
    let size = vec2(1280.0, 800.0);
    let mut g = c.benchmark_group("frame_1280x800");

    let ctx = egui::Context::default();
    g.bench_function("empty_egui_frame", |b| {
        b.iter(|| {
            let out = ctx.run_ui(input(size), |ui| {
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.label("");
                });
            });
            black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        })
    });

    lever_moving(&mut g, "app_frame_lever_moving", Prefs::default(), size);
    // The same with uncertainty bands on: each frame computes a first
    // estimate (the pilot runs) and restarts the background workers.
    let prefs = Prefs {
        bands: true,
        ..Prefs::default()
    };
    lever_moving(&mut g, "app_frame_lever_moving_with_bands", prefs, size);
    g.finish();
}

/// Whole window frames with the training lever moving every frame.
fn lever_moving(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    prefs: Prefs,
    size: egui::Vec2,
) {
    let ctx = egui::Context::default();
    let mut app = TrajectoireApp::with_prefs(prefs, None);
    let lever = app.doc.model.lever_index("training_output").unwrap();
    // Warm up: fonts, layout caches.
    for _ in 0..3 {
        let out = ctx.run_ui(input(size), |ui| app.frame_ui(ui));
        ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    let mut k = 0u64;
    g.bench_function(name, |b| {
        b.iter(|| {
            k += 1;
            let value = 40_000.0 + (k % 100) as f64 * 1_000.0;
            let out = ctx.run_ui(input(size), |ui| {
                app.apply(
                    ui.ctx(),
                    Command::SetLever {
                        lever,
                        value,
                        merge: true,
                    },
                );
                app.frame_ui(ui);
            });
            black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        })
    });
}

criterion_group!(benches, frame);
criterion_main!(benches);
