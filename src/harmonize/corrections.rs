//! A correction file given by the jury for the impact simulation: one row per examiner with the
//! points to add to each of its grades (`Session;Epreuve;Examinateur;Correction`, any layout the
//! readers know: CSV in any encoding, .xlsx, .ods). It replaces the default correction (minus
//! each flagged examiner's adjusted gap); the stored grades never change.
//!
//! Takes a path; gives the corrections, or an error naming the file, row, column and value.

use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::ingest::profile::normalize_label;
use crate::ingest::read::{read_file, Cell};
use crate::ingest::values::cell_text;

/// One correction decided by the jury.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionJury {
    /// Session year.
    pub session: i32,
    /// Exam code (E2, E5A, E5B...).
    pub epreuve: String,
    /// Examiner id, as in `notes.examinateur`.
    pub examinateur: String,
    /// Points added to each grade (negative to lower), at most 2 decimals, within ±20.
    pub correction: Decimal,
}

/// The four columns, as normalised headers.
const COLUMNS: [&str; 4] = ["session", "epreuve", "examinateur", "correction"];

/// Reads a jury correction file.
///
/// # Errors
/// [`Error::Io`] / [`Error::Unreadable`] for the file; [`Error::Config`] for a missing header or
/// a bad value, naming the row, the column and the value.
pub fn read_corrections(path: &Path) -> Result<Vec<CorrectionJury>> {
    let raw = read_file(path)?;
    let sheet = raw
        .sheets
        .first()
        .ok_or_else(|| bad(path, "fichier vide".into()))?;
    let header = sheet
        .rows
        .iter()
        .take(20)
        .position(|(_, cells)| COLUMNS.iter().all(|c| column(cells, c).is_some()))
        .ok_or_else(|| {
            bad(
                path,
                "en-tête « Session ; Epreuve ; Examinateur ; Correction » introuvable".into(),
            )
        })?;
    let cells = &sheet.rows[header].1;
    let index: Vec<usize> = COLUMNS.iter().filter_map(|c| column(cells, c)).collect();
    let mut out = Vec::new();
    for (row, cells) in &sheet.rows[header + 1..] {
        let value = |i: usize| cells.get(index[i]).map(cell_text).unwrap_or_default();
        let place = |i: usize| format!("ligne {row}, colonne {}", COLUMNS[i]);
        let session = value(0)
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2099).contains(y))
            .ok_or_else(|| {
                bad(
                    path,
                    format!("{} : session « {} » illisible", place(0), value(0)),
                )
            })?;
        let (epreuve, examinateur) = (value(1).to_uppercase(), value(2));
        if epreuve.is_empty() || examinateur.is_empty() {
            return Err(bad(
                path,
                format!("{} : épreuve et examinateur attendus", place(1)),
            ));
        }
        let correction = Decimal::from_str(&value(3).replace(',', "."))
            .ok()
            .filter(|d| d.scale() <= 2 && d.abs() <= Decimal::from(20))
            .ok_or_else(|| {
                bad(
                    path,
                    format!(
                        "{} : correction « {} » illisible (points, 2 décimales au plus)",
                        place(3),
                        value(3)
                    ),
                )
            })?;
        out.push(CorrectionJury {
            session,
            epreuve,
            examinateur,
            correction,
        });
    }
    Ok(out)
}

fn column(cells: &[Cell], name: &str) -> Option<usize> {
    cells
        .iter()
        .position(|c| normalize_label(&cell_text(c)) == name)
}

fn bad(path: &Path, reason: String) -> Error {
    Error::Config {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jury_file_reads_with_decimal_commas_and_bad_values_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("corrections.csv");
        std::fs::write(
            &ok,
            "Session;Épreuve;Examinateur;Correction\n2024;e5b;EX01;-1,5\n",
        )
        .unwrap();
        let rows = read_corrections(&ok).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].epreuve, "E5B");
        assert_eq!(rows[0].correction, Decimal::new(-150, 2));
        let ko = dir.path().join("ko.csv");
        std::fs::write(
            &ko,
            "Session;Epreuve;Examinateur;Correction\n2024;E5B;EX01;un point\n",
        )
        .unwrap();
        let e = read_corrections(&ko).unwrap_err().to_string();
        assert!(
            e.contains("ligne 2, colonne correction") && e.contains("un point"),
            "{e}"
        );
    }
}
