//! `academies/<session>/notes_<academie>_<session>.xlsx`: the same candidates and grades as the
//! long CSV, wide (one row per candidate, one column per exam, a status code in the grade cell),
//! one workbook per academy and session, as an academy's examination office keeps them.
//!
//! Sheet `Notes`: two title rows and a blank row, the header on row 4. A grade is a number, a
//! status code a text cell; an exam not registered to and a missing grade are empty cells.
//! Byte-reproducible (fixed document date, [`super::super::xlsx`]).

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::super::model::Epreuve;
use super::super::xlsx::{new_workbook, save, xlsx_error};
use super::academies::Academie;
use super::candidat::{CandidatNational, Cellule};
use crate::error::Result;

/// The identity columns, before one column per exam.
const IDENTITE: [&str; 9] = [
    "Académie",
    "UAI",
    "Classe",
    "N° candidat",
    "Nom",
    "Prénom",
    "Sexe",
    "Voie",
    "Spécialité",
];

/// The 0-based row of the header.
const LIGNE_ENTETE: u32 = 3;

/// The workbook of an academy-session, relative to `--out`.
pub(crate) fn relative_path(academie: &Academie, session: i32) -> PathBuf {
    Path::new("academies")
        .join(session.to_string())
        .join(format!("notes_{}_{session}.xlsx", academie.slug))
}

/// Writes the workbook of one academy-session.
///
/// # Errors
/// [`crate::error::Error::Output`] when the workbook cannot be built or written.
pub(crate) fn write_workbook(
    path: &Path,
    academie: &Academie,
    session: i32,
    candidats: &[CandidatNational],
) -> Result<()> {
    let mut workbook = new_workbook(path, session)?;
    write_sheet(workbook.add_worksheet(), academie, session, candidats)
        .map_err(xlsx_error(path))?;
    save(&mut workbook, path)
}

fn write_sheet(
    ws: &mut Worksheet,
    academie: &Academie,
    session: i32,
    candidats: &[CandidatNational],
) -> Result<(), XlsxError> {
    ws.set_name("Notes")?;
    ws.write_string(
        0,
        0,
        format!("Académie : {} – session {session}", academie.nom),
    )?;
    ws.write_string(1, 0, "Relevé des notes des candidats aux BTS tertiaires")?;
    let exams = Epreuve::TOUTES.iter().map(|e| e.code());
    for (col, titre) in (0u16..).zip(IDENTITE.into_iter().chain(exams)) {
        ws.write_string(LIGNE_ENTETE, col, titre)?;
    }
    for (col, largeur) in (0u16..).zip([16, 10, 13, 13, 18, 15, 6, 22, 11]) {
        ws.set_column_width(col, largeur)?;
    }
    for (row, c) in (LIGNE_ENTETE + 1..).zip(candidats) {
        let sexe = if c.sexe == 'F' { "F" } else { "M" };
        let identite = [
            academie.nom,
            &c.uai,
            c.classe,
            &c.numero,
            c.nom,
            c.prenom,
            sexe,
            c.voie.libelle(),
            c.specialite,
        ];
        for (col, texte) in (0u16..).zip(identite) {
            ws.write_string(row, col, texte)?;
        }
        for (col, cellule) in (IDENTITE.len() as u16..).zip(&c.cellules) {
            match cellule {
                Cellule::Note(n) => {
                    ws.write_number(row, col, n.points())?;
                }
                Cellule::Code(code) => {
                    ws.write_string(row, col, code.code())?;
                }
                Cellule::Vide | Cellule::NonInscrit => {}
            }
        }
    }
    Ok(())
}
