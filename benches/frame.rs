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

#[path = "common/large_model.rs"]
mod large_model;

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
    let app = TrajectoireApp::with_prefs(prefs, None);
    frames(g, name, app, size, |k| {
        40_000.0 + (k % 100) as f64 * 1_000.0
    });
}

/// Whole window frames of `app`, its first lever set to `value(k)` at
/// frame `k`.
fn frames(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    mut app: TrajectoireApp,
    size: egui::Vec2,
    value: impl Fn(u64) -> f64,
) {
    let ctx = egui::Context::default();
    let lever = app
        .doc
        .model
        .lever_index("training_output[digital]")
        .or_else(|| app.doc.model.lever_index("training_output"))
        .unwrap_or_default();
    // Warm up: fonts, layout caches.
    for _ in 0..3 {
        let out = ctx.run_ui(input(size), |ui| app.frame_ui(ui));
        ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    let mut k = 0u64;
    g.bench_function(name, |b| {
        b.iter(|| {
            k += 1;
            let value = value(k);
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

/// The 300-variable model with a lever (the first sector's inflow base,
/// 10 by default), open in the window, with and without the model map.
fn map(c: &mut Criterion) {
    let size = vec2(1280.0, 800.0);
    let mut g = c.benchmark_group("map_300_variables_1280x800");
    for open in [false, true] {
        let mut app = TrajectoireApp::with_prefs(Prefs::default(), None);
        app.doc = large_document();
        app.tools.set_open(trajectoire::app::tools::Tool::Map, open);
        let name = if open {
            "app_frame_with_map_lever_moving"
        } else {
            "app_frame_without_map_lever_moving"
        };
        frames(&mut g, name, app, size, |k| 5.0 + (k % 10) as f64);
    }
    g.finish();
}

fn large_document() -> trajectoire::app::document::Document {
    use trajectoire::model::def::{Lever, VariableKind};
    let mut m = trajectoire::model::load::parse_model(&large_model::large_model_text(), None)
        .expect("the large model parses");
    m.levers.push(Lever {
        label: trajectoire::model::Text::new("Base", "Base"),
        ..Lever::new("base", 0.0, 20.0, 10.0, 0.5)
    });
    let v = m
        .variables
        .iter_mut()
        .find(|v| v.id == "in_0")
        .expect("in_0");
    v.kind = VariableKind::Aux {
        equation: "0.05 * base * effect(ratio_0)".into(),
    };
    let compiled = trajectoire::model::compile(m).expect("the large model compiles");
    let levers = compiled.default_levers();
    trajectoire::app::document::Document::new(compiled, levers, None)
}

criterion_group!(benches, frame, map);
criterion_main!(benches);
