//! `controles_<Y>.csv`: the control-exam grades (second group) of the candidates sent to them, in
//! a long layout as an exam centre exports them: UTF-8 with BOM, `;`, LF line ends, decimal
//! comma, header `Session;N° candidat;Nom;Prénom;Epreuve;Unité remplacée;Note`.
//!
//! One row per control exam (`C1`, `C2`), with the general unit it may replace (`U1`, `U2`,
//! `U3`). The candidates and grades come from [`super::deliberation`].

use std::path::Path;

use super::deliberation::Deliberation;
use super::model::Session;
use super::oraux_long::escape;
use crate::error::{Error, Result};

/// The header of the control-exam CSV.
pub(crate) const ENTETE_CONTROLES: [&str; 7] = [
    "Session",
    "N° candidat",
    "Nom",
    "Prénom",
    "Epreuve",
    "Unité remplacée",
    "Note",
];

/// The data rows: candidates in session order, C1 before C2.
pub(crate) fn build_rows(session: &Session, d: &Deliberation) -> Vec<[String; 7]> {
    d.controles
        .iter()
        .flat_map(|cc| {
            let c = &session.candidats[cc.index];
            cc.notes.iter().map(move |n| {
                [
                    session.annee.to_string(),
                    c.numero.clone(),
                    c.nom.clone(),
                    c.prenom.clone(),
                    n.epreuve.clone(),
                    n.unite.clone(),
                    n.note.comma_short(),
                ]
            })
        })
        .collect()
}

/// The file's bytes: BOM, header, rows, each line ended by LF.
pub(crate) fn to_bytes(lignes: &[[String; 7]]) -> Vec<u8> {
    let mut text = String::from("\u{feff}");
    text.push_str(&ENTETE_CONTROLES.map(escape).join(";"));
    text.push('\n');
    for ligne in lignes {
        let champs: Vec<String> = ligne.iter().map(|f| escape(f)).collect();
        text.push_str(&champs.join(";"));
        text.push('\n');
    }
    text.into_bytes()
}

/// Writes the control-exam CSV.
///
/// # Errors
///
/// [`Error::Output`] when the file cannot be written.
pub(crate) fn write_csv(path: &Path, lignes: &[[String; 7]]) -> Result<()> {
    std::fs::write(path, to_bytes(lignes)).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}
