//! Harmonisation charts of one exam of one session, as PNG and SVG: the caterpillar of adjusted
//! gaps (each examiner's gap with its 95 % interval, flagged examiners in red, the ± flag
//! threshold dashed, the mixed model's gap as a black cross) and the raw-against-adjusted scatter (points far from the diagonal are
//! examiners whose raw gap mostly reflected their candidates' level).
//!
//! Takes plain [`Gap`] values; writes `<dir>/<session>/<epreuve>_ecarts.{svg,png}` and
//! `<dir>/<session>/<epreuve>_brut_ajuste.{svg,png}`.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{register_font, FONT};
use crate::error::{Error, Result};

const SIZE: (u32, u32) = (900, 600);

/// The colour of an examiner who is not flagged.
const BLEU: RGBColor = RGBColor(70, 110, 170);

/// One examiner's gaps.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// Examiner id.
    pub examinateur: String,
    /// Raw gap.
    pub brut: Option<f64>,
    /// Adjusted gap.
    pub ajuste: f64,
    /// The mixed model's gap (cross-check), when estimable.
    pub mixte: Option<f64>,
    /// 95 % interval.
    pub ic95: (f64, f64),
    /// Flagged.
    pub signal: bool,
    /// The examiner's grades, for the distribution chart.
    pub notes: Vec<f64>,
}

/// The gaps of one exam of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamGaps {
    /// Session year.
    pub session: i32,
    /// Exam code.
    pub epreuve: String,
    /// The flag threshold in points.
    pub seuil: f64,
    /// Examiners with an adjusted gap, in id order.
    pub gaps: Vec<Gap>,
}

/// Draws both charts of every exam; returns the files written.
///
/// # Errors
/// [`Error::Output`] when a file cannot be written.
pub fn write_gap_charts(exams: &[ExamGaps], dir: &Path) -> Result<Vec<PathBuf>> {
    register_font()?;
    let mut files = Vec::new();
    for e in exams.iter().filter(|e| !e.gaps.is_empty()) {
        let folder = dir.join(e.session.to_string());
        std::fs::create_dir_all(&folder).map_err(|source| Error::Output {
            path: folder.clone(),
            source,
        })?;
        let stem: String = e
            .epreuve
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        files.extend(write_both(
            &folder.join(format!("{stem}_ecarts")),
            e,
            Kind::Caterpillar,
        )?);
        files.extend(write_both(
            &folder.join(format!("{stem}_brut_ajuste")),
            e,
            Kind::Scatter,
        )?);
        files.extend(write_both(
            &folder.join(format!("{stem}_notes_par_examinateur")),
            e,
            Kind::Distribution,
        )?);
    }
    Ok(files)
}

type DrawResult<DB> =
    std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The two charts.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Caterpillar,
    Scatter,
    Distribution,
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    e: &ExamGaps,
    kind: Kind,
) -> DrawResult<DB> {
    match kind {
        Kind::Caterpillar => draw_caterpillar(root, e),
        Kind::Scatter => draw_scatter(root, e),
        Kind::Distribution => draw_distribution(root, e),
    }
}

fn write_both(stem: &Path, e: &ExamGaps, kind: Kind) -> Result<[PathBuf; 2]> {
    let svg_path = stem.with_extension("svg");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, e, kind).map_err(|x| drawing_error(&svg_path, x))?;
        root.present().map_err(|x| drawing_error(&svg_path, x))?;
    }
    crate::report::atomic::write_bytes(&svg_path, svg)?;
    let png_path = stem.with_extension("png");
    {
        let temp = crate::report::atomic::temporary(&png_path);
        let root = BitMapBackend::new(&temp, SIZE).into_drawing_area();
        draw(&root, e, kind).map_err(|x| drawing_error(&png_path, x))?;
        root.present().map_err(|x| drawing_error(&png_path, x))?;
        crate::report::atomic::finish(&temp, &png_path)?;
    }
    Ok([svg_path, png_path])
}

fn drawing_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// The symmetric range that shows every interval and the threshold.
fn span(e: &ExamGaps) -> f64 {
    e.gaps
        .iter()
        .flat_map(|g| {
            [
                g.ic95.0.abs(),
                g.ic95.1.abs(),
                g.brut.unwrap_or(0.0).abs(),
                g.mixte.unwrap_or(0.0).abs(),
            ]
        })
        .fold(e.seuil, f64::max)
        .ceil()
        + 0.5
}

fn draw_caterpillar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    e: &ExamGaps,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let m = span(e);
    #[expect(clippy::cast_precision_loss, reason = "a few dozen examiners")]
    let n = e.gaps.len() as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "Session {} - {} : écarts ajustés au niveau (IC 95 %)",
                e.session, e.epreuve
            ),
            (FONT, 20),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(90)
        // One row more at the top for the legend.
        .build_cartesian_2d(-m..m, -0.5..n + 0.5)?;
    let labels: Vec<String> = e.gaps.iter().map(|g| g.examinateur.clone()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(e.gaps.len() + 2)
        .y_label_formatter(&|v| label_at(&labels, *v))
        .x_desc("écart ajusté (points ; négatif = plus sévère que les autres)")
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 15))
        .draw()?;
    for x in [-e.seuil, e.seuil] {
        chart.draw_series(DashedLineSeries::new(
            [(x, -0.5), (x, n + 0.5)],
            6,
            4,
            BLACK.stroke_width(1),
        ))?;
    }
    chart.draw_series(LineSeries::new([(0.0, -0.5), (0.0, n + 0.5)], BLACK))?;
    let color = |g: &Gap| {
        if g.signal {
            RED
        } else {
            BLEU
        }
    };
    #[expect(clippy::cast_precision_loss, reason = "a few dozen examiners")]
    let rows = || e.gaps.iter().enumerate().map(|(k, g)| (k as f64, g));
    for (y, g) in rows() {
        chart.draw_series(LineSeries::new(
            [(g.ic95.0, y), (g.ic95.1, y)],
            color(g).stroke_width(2),
        ))?;
    }
    chart
        .draw_series(rows().map(|(y, g)| Circle::new((g.ajuste, y), 5, color(g).filled())))?
        .label("écart ajusté et IC 95 % (rouge : signalé)")
        .legend(|(x, y)| Circle::new((x, y), 5, BLEU.filled()));
    chart
        .draw_series(rows().filter_map(|(y, g)| {
            g.mixte
                .map(|m| Cross::new((m, y), 5, BLACK.stroke_width(2)))
        }))?
        .label("modèle mixte (contrôle)")
        .legend(|(x, y)| Cross::new((x, y), 5, BLACK.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font((FONT, 13))
        .draw()?;
    Ok(())
}

fn draw_scatter<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, e: &ExamGaps) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let m = span(e);
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "Session {} - {} : écart brut et écart ajusté",
                e.session, e.epreuve
            ),
            (FONT, 20),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d(-m..m, -m..m)?;
    chart
        .configure_mesh()
        .x_desc("écart brut (points)")
        .y_desc("écart ajusté au niveau (points)")
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 15))
        .draw()?;
    chart.draw_series(LineSeries::new([(-m, -m), (m, m)], BLACK))?;
    for g in &e.gaps {
        let Some(b) = g.brut else { continue };
        let color = if g.signal { RED } else { BLEU };
        chart.draw_series([Circle::new((b, g.ajuste), 5, color.filled())])?;
        chart.draw_series([Text::new(
            g.examinateur.clone(),
            (b, g.ajuste),
            (FONT, 12).into_font(),
        )])?;
    }
    Ok(())
}

/// One column of grades per examiner (points spread sideways so equal grades stay visible), with
/// the examiner's mean as a black bar.
fn draw_distribution<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    e: &ExamGaps,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    #[expect(clippy::cast_precision_loss, reason = "a few dozen examiners")]
    let n = e.gaps.len() as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!(
                "Session {} - {} : notes par examinateur (trait : moyenne)",
                e.session, e.epreuve
            ),
            (FONT, 20),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d(-0.5..n - 0.5, 0.0..20.0)?;
    let labels: Vec<String> = e.gaps.iter().map(|g| g.examinateur.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(e.gaps.len())
        .x_label_formatter(&|v| label_at(&labels, *v))
        .y_desc("note sur 20")
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 15))
        .draw()?;
    for (k, g) in e.gaps.iter().enumerate() {
        #[expect(
            clippy::cast_precision_loss,
            reason = "a few dozen examiners and grades"
        )]
        let x = k as f64;
        let color = if g.signal { RED } else { BLEU };
        #[expect(clippy::cast_precision_loss, reason = "a few hundred grades")]
        chart.draw_series(g.notes.iter().enumerate().map(|(i, note)| {
            // A fixed sideways spread (no randomness: the chart is the same on every run).
            let dx = ((i % 7) as f64 - 3.0) * 0.05;
            Circle::new((x + dx, *note), 2, color.filled())
        }))?;
        #[expect(clippy::cast_precision_loss, reason = "a few hundred grades")]
        let mean = g.notes.iter().sum::<f64>() / g.notes.len().max(1) as f64;
        chart.draw_series(LineSeries::new(
            [(x - 0.3, mean), (x + 0.3, mean)],
            BLACK.stroke_width(3),
        ))?;
    }
    Ok(())
}

/// The examiner label of an axis position: the examiner at a whole position, nothing between.
fn label_at(labels: &[String], v: f64) -> String {
    let k = v.round();
    if (v - k).abs() < 1e-6 && k >= 0.0 {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "k ≥ 0, small"
        )]
        labels.get(k as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}
