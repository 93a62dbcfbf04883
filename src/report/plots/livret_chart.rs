//! The livret scolaire chart of one student (seed 001, annexe III-3): x = the 7 lines of the
//! livret, labelled; y = 0 to 20 with a grid line every 2; the class profile in black and the
//! student's year-2 averages in red, points joined. A line without a value (no LV2, a missing
//! semester) has no point, never a 0, and the curve is broken there.
//!
//! Takes a [`LivretChart`]; writes `<stem>.svg` and `<stem>.png`. Reads no table.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{register_font, FONT};
use crate::error::{Error, Result};

/// Chart size in pixels (the PNG's size).
pub const SIZE: (u32, u32) = (900, 560);

/// The student's curve colour (official: red).
pub const ELEVE: RGBColor = RGBColor(255, 0, 0);

/// The class profile's colour (official: black).
pub const CLASSE: RGBColor = RGBColor(0, 0, 0);

/// The grid's colour.
const GRILLE: RGBColor = RGBColor(200, 200, 200);

/// What one chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct LivretChart {
    /// Title line (student, class, session).
    pub titre: String,
    /// The 7 line labels, official wording.
    pub lignes: Vec<String>,
    /// Class profile per line (None: nobody has a year-2 average there).
    pub classe: Vec<Option<f64>>,
    /// The student's year-2 averages per line (None: no grade).
    pub eleve: Vec<Option<f64>>,
}

/// Writes the chart as `<dir>/<stem>.svg` and `.png`; returns both paths.
///
/// # Errors
/// [`Error::Output`] when a file cannot be written.
pub fn write_livret_chart(chart: &LivretChart, dir: &Path, stem: &str) -> Result<Vec<PathBuf>> {
    register_font()?;
    let svg_path = dir.join(format!("{stem}.svg"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, chart).map_err(|e| drawing_error(&svg_path, e))?;
        root.present().map_err(|e| drawing_error(&svg_path, e))?;
    }
    crate::report::atomic::write_bytes(&svg_path, svg)?;
    let png_path = dir.join(format!("{stem}.png"));
    {
        let temp = crate::report::atomic::temporary(&png_path);
        let root = BitMapBackend::new(&temp, SIZE).into_drawing_area();
        draw(&root, chart).map_err(|e| drawing_error(&png_path, e))?;
        root.present().map_err(|e| drawing_error(&png_path, e))?;
        crate::report::atomic::finish(&temp, &png_path)?;
    }
    Ok(vec![svg_path, png_path])
}

fn drawing_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Splits a label into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The runs of consecutive lines that have a value, as (line number, value) points.
fn segments(values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(y) => current.push((i as f64 + 1.0, *y)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Draws the grid, the labels, the class profile (black) and the student (red).
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &LivretChart,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let n = c.lignes.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(&c.titre, (FONT, 18))
        .margin(15)
        .x_label_area_size(95)
        .y_label_area_size(45)
        .build_cartesian_2d(0.5..(n + 0.5), 0.0..20.0)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(11)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 13))
        .draw()?;
    // The official grid: a horizontal line every 2 points, a vertical line per livret line.
    for k in 0..=10 {
        let y = f64::from(k) * 2.0;
        chart.draw_series(LineSeries::new([(0.5, y), (n + 0.5, y)], GRILLE))?;
    }
    for i in 1..=c.lignes.len() {
        let x = i as f64;
        chart.draw_series(LineSeries::new([(x, 0.0), (x, 20.0)], GRILLE))?;
    }
    // Labels under each line, wrapped (the livret prints them as column headings).
    let style = TextStyle::from((FONT, 11).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (i, label) in c.lignes.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64 + 1.0, 0.0));
        let text = format!("{} - {label}", i + 1);
        for (k, line) in wrap(&text, 18).iter().enumerate() {
            let dy = 8 + 13 * i32::try_from(k).unwrap_or(0);
            root.draw(&Text::new(line.clone(), (px, py + dy), style.clone()))?;
        }
    }
    for (values, colour, name) in [
        (&c.classe, CLASSE, "profil de la classe"),
        (&c.eleve, ELEVE, "élève"),
    ] {
        for run in segments(values) {
            chart.draw_series(LineSeries::new(run.clone(), colour.stroke_width(2)))?;
            chart.draw_series(run.iter().map(|p| Circle::new(*p, 4, colour.filled())))?;
        }
        // Legend drawn by hand, bottom left under the line labels, so that it appears even when
        // a curve has no point.
        let y = i32::try_from(SIZE.1).unwrap_or(560) - 28;
        let x0 = if name == "élève" { 260 } else { 60 };
        root.draw(&PathElement::new(
            vec![(x0, y + 7), (x0 + 30, y + 7)],
            // Wider than the curves so that the legend is never taken for a curve.
            colour.stroke_width(3),
        ))?;
        root.draw(&Text::new(
            name,
            (x0 + 38, y),
            TextStyle::from((FONT, 13).into_font()).color(&colour),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_at_spaces() {
        assert_eq!(
            wrap("2 - Communication en langue vivante étrangère 1", 18),
            ["2 - Communication", "en langue vivante", "étrangère 1"]
        );
    }

    #[test]
    fn curves_break_where_a_value_is_missing() {
        let v = [Some(10.0), Some(12.0), None, Some(8.0), None];
        assert_eq!(
            segments(&v),
            vec![vec![(1.0, 10.0), (2.0, 12.0)], vec![(4.0, 8.0)]]
        );
    }
}
