//! `livret_<Y>.ods`: the livret scolaire export of the exam year, for every student of a class.
//!
//! Sheet `Moyennes`: one row per student and livret line with the four semester averages
//! (numeric cells, two decimals; empty when the student has none). Sheet `Avis`: one row per
//! student with the jury opinion and the PIX flag. Headers on row 1. Individual and distance
//! candidates have no livret.
//!
//! Written as OpenDocument (`.ods`) by [`super::ods`], byte-identical for the same seed.

use std::path::Path;

use super::model::{Candidat, Session};
use super::notes_wide::Cellule;
use super::ods::{write_ods, FeuilleOds};
use super::scolarite::LIGNES_LIVRET;
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

/// Writes the livret spreadsheet (`.ods`): sheets `Moyennes` and `Avis`, the session as a
/// plain number and the averages with two decimals.
///
/// # Errors
///
/// [`crate::error::Error::Output`] when the file cannot be written.
pub(crate) fn write_livret(path: &Path, annee: i32, feuilles: &FeuillesLivret) -> Result<()> {
    let moyennes = FeuilleOds {
        nom: "Moyennes",
        entete: &ENTETE_MOYENNES,
        lignes: &feuilles.moyennes,
        deux_decimales_des: 1,
    };
    let avis = FeuilleOds {
        nom: "Avis",
        entete: &ENTETE_AVIS,
        lignes: &feuilles.avis,
        deux_decimales_des: 1,
    };
    write_ods(path, annee, &[moyennes, avis])
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
