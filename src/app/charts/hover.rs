//! What the pointer shows over a chart: an observation's value, year and
//! source; a target's label and source; a stacked band's own value (not the
//! stack's height); otherwise the series' name, year and value.

use egui_plot::{HoverPosition, PlotPoint};

use crate::app::i18n::{Lang, colon, fmt_auto};

/// The hover text of one point drawn.
pub struct PointInfo {
    pub at: [f64; 2],
    pub text: String,
}

/// Hover texts by series name, in the order of the series' points.
#[derive(Default)]
pub struct Hover(Vec<(String, Vec<PointInfo>)>);

impl Hover {
    pub fn add(&mut self, series: String, points: Vec<PointInfo>) {
        self.0.push((series, points));
    }

    /// The plot's label formatter: the point's own text where there is one.
    pub fn formatter(
        self,
        lang: Lang,
        unit: String,
    ) -> impl Fn(&HoverPosition) -> Option<String> + 'static {
        move |pos| match pos {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                index,
            } => Some(
                self.text_at(plot_name, *index, position)
                    .unwrap_or_else(|| {
                        format!(
                            "{plot_name}\n{}{}{} {unit}",
                            position.x.round() as i64,
                            colon(lang),
                            fmt_auto(lang, position.y)
                        )
                    }),
            ),
            HoverPosition::Elsewhere { .. } => None,
        }
    }

    fn text_at(&self, series: &str, index: usize, at: &PlotPoint) -> Option<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == series)
            .filter_map(|(_, infos)| infos.get(index))
            .find(|i| i.at == [at.x, at.y])
            .map(|i| i.text.clone())
    }
}
