//! `livret_<Y>.xlsx`: the livret scolaire export of the exam year, for every student of a class.
//!
//! Sheet `Moyennes`: one row per student and livret line with the four semester averages
//! (numeric cells, two decimals; empty when the student has none). Sheet `Avis`: one row per
//! student with the jury opinion and the PIX flag. Headers on row 1. Individual and distance
//! candidates have no livret.
//!
//! Written as xlsx, not ods: spreadsheet-ods 0.25 orders namespace declarations and manifest
//! entries by `HashMap` iteration, so its output changes from run to run, and the samples must be
//! byte-identical for the same seed.

use std::path::Path;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::model::{Candidat, Session};
use super::notes_wide::Cellule;
use super::scolarite::LIGNES_LIVRET;
use super::xlsx::{new_workbook, save, xlsx_error};
use crate::error::Result;

/// The header of sheet `Moyennes`.
pub(crate) const ENTETE_MOYENNES: [&str; 11] = [
    "Session",
    "N° candidat",
    "Nom",
    "Prénom",
    "UAI",
    "Classe",
    "Matière",
    "Année 1 S1",
    "Année 1 S2",
    "Année 2 S1",
    "Année 2 S2",
];

/// The header of sheet `Avis`.
pub(crate) const ENTETE_AVIS: [&str; 6] = [
    "Session",
    "N° candidat",
    "Nom",
    "Prénom",
    "Avis du jury",
    "PIX",
];

/// Both sheets of a session's livret export.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FeuillesLivret {
    /// Rows of `Moyennes`, header excluded.
    pub moyennes: Vec<Vec<Cellule>>,
    /// Rows of `Avis`, header excluded.
    pub avis: Vec<Vec<Cellule>>,
}

fn identity(annee: i32, c: &Candidat) -> Vec<Cellule> {
    vec![
        Cellule::Nombre(f64::from(annee)),
        Cellule::Texte(c.numero.clone()),
        Cellule::Texte(c.nom.clone()),
        Cellule::Texte(c.prenom.clone()),
    ]
}

/// Lays out both sheets, students in the order of the session.
pub(crate) fn build_sheets(session: &Session) -> FeuillesLivret {
    let mut moyennes = Vec::new();
    let mut avis = Vec::new();
    for c in &session.candidats {
        let Some(livret) = &c.livret else { continue };
        for (matiere, semestres) in LIGNES_LIVRET.iter().zip(&livret.moyennes) {
            let mut ligne = identity(session.annee, c);
            ligne.push(Cellule::Texte(c.uai()));
            ligne.push(Cellule::Texte(c.classe().code.to_owned()));
            ligne.push(Cellule::Texte((*matiere).to_owned()));
            ligne.extend(semestres.iter().map(|m| match m {
                Some(n) => Cellule::Nombre(n.points()),
                None => Cellule::Vide,
            }));
            moyennes.push(ligne);
        }
        let mut ligne = identity(session.annee, c);
        ligne.push(Cellule::Texte(livret.avis.libelle().to_owned()));
        ligne.push(Cellule::Texte(
            if livret.pix { "Oui" } else { "Non" }.to_owned(),
        ));
        avis.push(ligne);
    }
    FeuillesLivret { moyennes, avis }
}

fn write_sheet(
    ws: &mut Worksheet,
    nom: &str,
    entete: &[&str],
    lignes: &[Vec<Cellule>],
) -> Result<(), XlsxError> {
    ws.set_name(nom)?;
    let deux_decimales = Format::new().set_num_format("0.00");
    for (col, titre) in (0u16..).zip(entete) {
        ws.write_string(0, col, *titre)?;
    }
    for (row, ligne) in (1u32..).zip(lignes) {
        for (col, cellule) in (0u16..).zip(ligne) {
            match cellule {
                Cellule::Vide => {}
                Cellule::Texte(t) => {
                    ws.write_string(row, col, t.as_str())?;
                }
                // The session (column 0) is a plain number; averages show two decimals.
                Cellule::Nombre(x) if col == 0 => {
                    ws.write_number(row, col, *x)?;
                }
                Cellule::Nombre(x) => {
                    ws.write_number_with_format(row, col, *x, &deux_decimales)?;
                }
            }
        }
    }
    Ok(())
}

/// Writes the livret workbook.
///
/// # Errors
///
/// [`crate::error::Error::Output`] when the workbook cannot be built or written.
pub(crate) fn write_livret(path: &Path, annee: i32, feuilles: &FeuillesLivret) -> Result<()> {
    let err = xlsx_error(path);
    let mut workbook = new_workbook(path, annee)?;
    let moyennes = workbook.add_worksheet();
    write_sheet(moyennes, "Moyennes", &ENTETE_MOYENNES, &feuilles.moyennes).map_err(&err)?;
    let avis = workbook.add_worksheet();
    write_sheet(avis, "Avis", &ENTETE_AVIS, &feuilles.avis).map_err(&err)?;
    save(&mut workbook, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::simulate_session;

    #[test]
    fn lv2_line_only_for_students_taking_ef1() {
        let session = simulate_session(6, 2024, 200);
        let feuilles = build_sheets(&session);
        for c in session.candidats.iter().filter(|c| c.livret.is_some()) {
            let lignes = feuilles
                .moyennes
                .iter()
                .filter(|l| l[1] == Cellule::Texte(c.numero.clone()))
                .count();
            assert_eq!(lignes, if c.lv2 { 7 } else { 6 });
        }
        assert_eq!(
            feuilles.avis.len(),
            session
                .candidats
                .iter()
                .filter(|c| c.livret.is_some())
                .count()
        );
    }
}
