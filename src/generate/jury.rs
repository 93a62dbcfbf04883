//! `decisions_jury_<Y>.xlsx`: the jury's sovereign decisions, sheet `Décisions`, header on row 1
//! `Session | N° candidat | Nom | Prénom | Points jury | Décision | Motif`.
//!
//! A row either adds points (a number, `Décision` empty) or states a decision (`Admis`,
//! `Ajourné`, `Points jury` empty), always with its reason. The rows come from
//! [`super::deliberation`].

use std::path::Path;

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::deliberation::Deliberation;
use super::model::Session;
use super::notes_wide::Cellule;
use super::xlsx::{new_workbook, save, xlsx_error};
use crate::error::Result;

/// The sheet name.
pub(crate) const FEUILLE_JURY: &str = "Décisions";

/// The header of sheet `Décisions`.
pub(crate) const ENTETE_JURY: [&str; 7] = [
    "Session",
    "N° candidat",
    "Nom",
    "Prénom",
    "Points jury",
    "Décision",
    "Motif",
];

/// The data rows, in session order.
pub(crate) fn build_rows(session: &Session, d: &Deliberation) -> Vec<Vec<Cellule>> {
    d.jury
        .iter()
        .map(|l| {
            let c = &session.candidats[l.index];
            vec![
                Cellule::Nombre(f64::from(session.annee)),
                Cellule::Texte(c.numero.clone()),
                Cellule::Texte(c.nom.clone()),
                Cellule::Texte(c.prenom.clone()),
                l.points
                    .map_or(Cellule::Vide, |p| Cellule::Nombre(p.points())),
                l.decision
                    .map_or(Cellule::Vide, |d| Cellule::Texte(d.libelle().to_owned())),
                Cellule::Texte(l.motif.clone()),
            ]
        })
        .collect()
}

fn write_sheet(ws: &mut Worksheet, lignes: &[Vec<Cellule>]) -> Result<(), XlsxError> {
    ws.set_name(FEUILLE_JURY)?;
    for (col, titre) in (0u16..).zip(ENTETE_JURY) {
        ws.write_string(0, col, titre)?;
    }
    ws.set_column_width(6, 80)?;
    for (row, ligne) in (1u32..).zip(lignes) {
        for (col, cellule) in (0u16..).zip(ligne) {
            match cellule {
                Cellule::Vide => {}
                Cellule::Texte(t) => {
                    ws.write_string(row, col, t.as_str())?;
                }
                Cellule::Nombre(x) => {
                    ws.write_number(row, col, *x)?;
                }
            }
        }
    }
    Ok(())
}

/// Writes the jury workbook.
///
/// # Errors
///
/// [`crate::error::Error::Output`] when the workbook cannot be built or written.
pub(crate) fn write_jury(path: &Path, annee: i32, lignes: &[Vec<Cellule>]) -> Result<()> {
    let mut workbook = new_workbook(path, annee)?;
    write_sheet(workbook.add_worksheet(), lignes).map_err(xlsx_error(path))?;
    save(&mut workbook, path)
}
