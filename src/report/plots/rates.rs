//! The success-rate charts: for each school (UAI) or each route, the rate of every session of
//! the evolution window with its 95 % Wilson interval as a vertical bar, one colour per session.
//! Reads the table `evolution_reussite`; writes `<dir>/reussite_etablissements.svg|png` and
//! `<dir>/reussite_voies.svg|png`.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{register_font, FONT};
use crate::error::{Error, Result};
use crate::store::Store;

/// One rate of one key in one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Taux {
    /// The school or route.
    pub cle: String,
    /// Session year.
    pub session: i32,
    /// Rate and interval, in %.
    pub taux: f64,
    /// Lower bound, in %.
    pub ic_bas: f64,
    /// Upper bound, in %.
    pub ic_haut: f64,
    /// Présents, shown in the legend of small cells.
    pub presents: i64,
}

/// Colours of the sessions, oldest first (colour-blind safe palette).
const SESSION_COLOURS: [RGBColor; 4] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
];

/// Reads the rates of a breakdown (`uai` or `voie`) over the evolution window.
///
/// # Errors
/// [`Error::Store`].
pub fn read_rates(store: &Store, niveau: &str) -> Result<Vec<Taux>> {
    store.rows(
        "SELECT cle, session, CAST(taux AS DOUBLE), CAST(ic_bas AS DOUBLE),
                CAST(ic_haut AS DOUBLE), presents
         FROM evolution_reussite WHERE niveau = ? ORDER BY cle, session",
        [niveau],
        &format!("lecture des taux de réussite ({niveau})"),
        |r| {
            Ok(Taux {
                cle: r.get(0)?,
                session: r.get(1)?,
                taux: r.get(2)?,
                ic_bas: r.get(3)?,
                ic_haut: r.get(4)?,
                presents: r.get(5)?,
            })
        },
    )
}

/// Draws the chart of `rates` as `<dir>/<stem>.svg` and `.png`; returns both paths.
///
/// # Errors
/// [`Error::Output`] when a file cannot be written.
pub fn write_rates_chart(
    rates: &[Taux],
    title: &str,
    dir: &Path,
    stem: &str,
) -> Result<Vec<PathBuf>> {
    register_font()?;
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    let keys = distinct(rates.iter().map(|t| t.cle.clone()));
    let width = 200 + 110 * u32::try_from(keys.len()).unwrap_or(1).max(4);
    let size = (width.min(4000), 560);
    let svg_path = dir.join(format!("{stem}.svg"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root, rates, title).map_err(|e| drawing_error(&svg_path, e))?;
        root.present().map_err(|e| drawing_error(&svg_path, e))?;
    }
    crate::report::atomic::write_bytes(&svg_path, svg)?;
    let png_path = dir.join(format!("{stem}.png"));
    {
        let temp = crate::report::atomic::temporary(&png_path);
        let root = BitMapBackend::new(&temp, size).into_drawing_area();
        draw(&root, rates, title).map_err(|e| drawing_error(&png_path, e))?;
        root.present().map_err(|e| drawing_error(&png_path, e))?;
        crate::report::atomic::finish(&temp, &png_path)?;
    }
    Ok(vec![svg_path, png_path])
}

fn distinct<T: Ord>(items: impl Iterator<Item = T>) -> Vec<T> {
    let set: std::collections::BTreeSet<T> = items.collect();
    set.into_iter().collect()
}

fn drawing_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Draws one point per (key, session) with its interval bar, sessions side by side.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    rates: &[Taux],
    title: &str,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let keys = distinct(rates.iter().map(|t| t.cle.clone()));
    let sessions = distinct(rates.iter().map(|t| t.session));
    let n = keys.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d(-0.5..(n - 0.5), 0.0..100.0)?;
    let labels = keys.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(keys.len().max(1))
        .x_label_formatter(&|v| {
            let k = v.round();
            if (v - k).abs() < 1e-6 && k >= 0.0 {
                labels.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(11)
        .y_label_formatter(&|v| format!("{v:.0} %"))
        .light_line_style(WHITE)
        .y_desc("taux de réussite (admis / présents)")
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let step = 0.6 / sessions.len().max(1) as f64;
    for (s, session) in sessions.iter().enumerate() {
        let colour = SESSION_COLOURS[s % SESSION_COLOURS.len()];
        let offset = (s as f64 - (sessions.len() as f64 - 1.0) / 2.0) * step;
        let points: Vec<(f64, &Taux)> = rates
            .iter()
            .filter(|t| t.session == *session)
            .filter_map(|t| {
                keys.iter()
                    .position(|k| *k == t.cle)
                    .map(|i| (i as f64 + offset, t))
            })
            .collect();
        chart
            .draw_series(points.iter().map(|(x, t)| {
                PathElement::new(
                    vec![(*x, t.ic_bas), (*x, t.ic_haut)],
                    colour.stroke_width(2),
                )
            }))?
            .label(format!("session {session}"))
            .legend(move |(x, y)| Circle::new((x + 8, y), 4, colour.filled()));
        chart.draw_series(
            points
                .iter()
                .map(|(x, t)| Circle::new((*x, t.taux), 4, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
