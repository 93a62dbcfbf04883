//! The distribution chart of one exam in one session: how many candidates got each one-point band
//! of grades, with the pass threshold marked. Reads the tables `distributions_epreuves`,
//! `statistiques_epreuves` and `reg_seuils`; writes `<dir>/<session>/<epreuve>.svg` and `.png`.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{register_font, FONT};
use crate::error::{Error, Result};
use crate::report::{session_param, PAR_SESSION};
use crate::store::Store;

/// Chart size in pixels.
const SIZE: (u32, u32) = (800, 500);

/// The grade bands of one exam in one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Session year.
    pub session: i32,
    /// Exam code.
    pub epreuve: String,
    /// Candidates per one-point band, from band 0.
    pub effectifs: Vec<u32>,
    /// Grades given, and their mean as shown in statistiques_epreuves.csv.
    pub n: i64,
    /// Mean grade, French decimal comma.
    pub moyenne: String,
    /// Pass threshold, where the red line is drawn (drawing only).
    pub seuil: f64,
}

/// Reads the distributions of the computed tables, sorted by session and exam.
///
/// # Errors
/// [`Error::Store`].
pub fn read_distributions(store: &Store, session: Option<i32>) -> Result<Vec<Distribution>> {
    let rows = store.rows(
        &format!(
            "SELECT d.session, d.epreuve, d.tranche, d.effectif, s.n,
                    coalesce(virgule(s.moyenne), ''),
                    (SELECT CAST(admis AS DOUBLE) FROM reg_seuils)
             FROM distributions_epreuves AS d
             JOIN statistiques_epreuves AS s USING (session, epreuve)
             WHERE d.{PAR_SESSION}
             ORDER BY d.session, d.epreuve, d.tranche"
        ),
        [session_param(session)],
        "lecture des distributions de notes",
        |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, f64>(6)?,
            ))
        },
    )?;
    let mut out: Vec<Distribution> = Vec::new();
    for (session, epreuve, effectif, n, moyenne, seuil) in rows {
        let effectif = u32::try_from(effectif).unwrap_or(u32::MAX);
        match out.last_mut() {
            Some(d) if d.session == session && d.epreuve == epreuve => d.effectifs.push(effectif),
            _ => out.push(Distribution {
                session,
                epreuve,
                effectifs: vec![effectif],
                n,
                moyenne,
                seuil,
            }),
        }
    }
    Ok(out)
}

/// Draws every distribution under `dir` (`<session>/<epreuve>.svg` and `.png`); returns the files.
///
/// # Errors
/// [`Error::Output`] when a file cannot be written.
pub fn write_distributions(dists: &[Distribution], dir: &Path) -> Result<Vec<PathBuf>> {
    register_font()?;
    let mut files = Vec::new();
    for d in dists {
        let folder = dir.join(d.session.to_string());
        std::fs::create_dir_all(&folder).map_err(|source| Error::Output {
            path: folder.clone(),
            source,
        })?;
        let stem = file_stem(&d.epreuve);
        let svg_path = folder.join(format!("{stem}.svg"));
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            draw(&root, d).map_err(|e| drawing_error(&svg_path, e))?;
            root.present().map_err(|e| drawing_error(&svg_path, e))?;
        }
        crate::report::atomic::write_bytes(&svg_path, svg)?;
        let png_path = folder.join(format!("{stem}.png"));
        {
            let temp = crate::report::atomic::temporary(&png_path);
            let root = BitMapBackend::new(&temp, SIZE).into_drawing_area();
            draw(&root, d).map_err(|e| drawing_error(&png_path, e))?;
            root.present().map_err(|e| drawing_error(&png_path, e))?;
            crate::report::atomic::finish(&temp, &png_path)?;
        }
        files.push(svg_path);
        files.push(png_path);
    }
    Ok(files)
}

/// A file name from an exam code: letters, digits, `-` and `_` kept, anything else `_`.
fn file_stem(epreuve: &str) -> String {
    epreuve
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn drawing_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Draws the bars, the axes and the threshold line.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    d: &Distribution,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let bands = d.effectifs.len().max(1) as f64;
    let top = f64::from(d.effectifs.iter().copied().max().unwrap_or(0).max(1)) * 1.1;
    let title = format!(
        "Session {} - {} : répartition des notes (n = {}, moyenne {})",
        d.session, d.epreuve, d.n, d.moyenne
    );
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 20))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d(0.0..bands, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(11)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .light_line_style(WHITE)
        .x_desc("note sur 20 (tranches d'un point)")
        .y_desc("candidats")
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 15))
        .draw()?;
    chart.draw_series(d.effectifs.iter().enumerate().map(|(k, n)| {
        let x = k as f64;
        Rectangle::new(
            [(x + 0.05, 0.0), (x + 0.95, f64::from(*n))],
            RGBColor(70, 110, 170).filled(),
        )
    }))?;
    chart.draw_series(LineSeries::new(
        [(d.seuil, 0.0), (d.seuil, top)],
        RED.stroke_width(2),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Distribution {
        let mut effectifs = vec![0; 20];
        effectifs[8] = 3;
        effectifs[12] = 5;
        Distribution {
            session: 2024,
            epreuve: "E5B".into(),
            effectifs,
            n: 8,
            moyenne: "10,75".into(),
            seuil: 10.0,
        }
    }

    #[test]
    fn svg_is_identical_on_every_run_and_names_the_exam() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let files = write_distributions(&[sample()], a.path()).unwrap();
        write_distributions(&[sample()], b.path()).unwrap();
        assert_eq!(files.len(), 2);
        let svg_a = std::fs::read_to_string(a.path().join("2024/E5B.svg")).unwrap();
        let svg_b = std::fs::read_to_string(b.path().join("2024/E5B.svg")).unwrap();
        assert_eq!(svg_a, svg_b);
        assert!(svg_a.contains("Session 2024 - E5B : répartition des notes (n = 8, moyenne 10,75)"));
        assert!(svg_a.contains("font-family=\"DejaVu Sans\""));
        assert!(
            std::fs::metadata(a.path().join("2024/E5B.png"))
                .unwrap()
                .len()
                > 1000
        );
    }

    #[test]
    fn odd_exam_codes_make_safe_file_names() {
        assert_eq!(file_stem("E5 A/B"), "E5_A_B");
        assert_eq!(file_stem("LP001"), "LP001");
    }
}
