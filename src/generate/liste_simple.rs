//! `liste_candidats_<UAI>_<Y>.csv`: the national application's "Liste simple" export of the
//! candidates registered in one school, byte-compatible with the real one.
//!
//! Windows-1252, `;` separator, CRLF between lines and none after the last one (as in the real
//! export), every line padded with `;` to the 15 fields of the header. An 8-line preamble comes
//! first (the session with a trailing space, the school with an en dash and two spaces before
//! its UAI, the search criteria...). Class codes are single-quoted, ` -` stands for empty.

use std::path::Path;

use super::academy::{CODE_SPECIALITE, ECOLES, SPECIALITE};
use super::model::{format_date, Candidat, Session};
use super::uai::format_uai;
use crate::error::{Error, Result};

/// The header of the export (the name `Division de classe` appears twice, as in the real one).
pub(crate) const ENTETE_LISTE: [&str; 15] = [
    "Division de classe",
    "N° Candidat",
    "N° Inscription",
    "N° Océan",
    "Nom de famille",
    "Nom d'usage",
    "Prénom(s)",
    "Date de Naissance",
    "Division de classe",
    "INE",
    "Catégorie Candidat",
    "Code Spécialité",
    "Spécialité",
    "Etat",
    "Sexe",
];

/// Lines before the header.
#[cfg(test)]
pub(crate) const LIGNES_PREAMBULE: usize = 8;

/// The file name of a school's export.
pub(crate) fn file_name(ecole: usize, annee: i32) -> String {
    format!(
        "liste_candidats_{}_{annee}.csv",
        format_uai(ECOLES[ecole].numero)
    )
}

/// The lines of one school's export (UTF-8, unpadded fields joined).
pub(crate) fn build_lines(session: &Session, ecole: usize) -> Vec<String> {
    let e = &ECOLES[ecole];
    let pad = |text: String| format!("{text}{}", ";".repeat(ENTETE_LISTE.len() - 1));
    let mut lines = vec![
        format!("{} ", pad(session.annee.to_string())),
        pad("Listes simples".into()),
        pad(format!(
            "{} – {}  ({})",
            e.nom,
            e.commune,
            format_uai(e.numero)
        )),
        pad("Type d'édition : Liste simple".into()),
        pad(format!("Edité le 23/01/{} 10:49", session.annee)),
        pad(format!(
            "Critères de recherche : Spécialité Egal {SPECIALITE} Etat Egal Inscrit"
        )),
        pad("Critères de regroupement : Division de classe".into()),
        pad("Critères de tris : Nom et prénom, Date de naissance".into()),
        ENTETE_LISTE.join(";"),
    ];
    lines.extend(
        session
            .candidats
            .iter()
            .filter(|c| c.classe().ecole == ecole)
            .map(candidate_line),
    );
    lines
}

fn candidate_line(c: &Candidat) -> String {
    let classe = format!("'{}'", c.classe().code);
    let naissance = format_date(c.naissance);
    let champs: [&str; 15] = [
        classe.as_str(),
        &c.numero,
        "002 Version 2",
        " -",
        &c.nom,
        " -",
        &c.prenom,
        &naissance,
        classe.as_str(),
        &c.ine,
        c.classe().voie.categorie(),
        CODE_SPECIALITE,
        SPECIALITE,
        "Inscrit",
        if c.sexe == 'F' { "F" } else { "M" },
    ];
    champs.join(";")
}

/// Encodes the lines in Windows-1252 joined by CRLF.
///
/// # Errors
///
/// [`Error::Internal`] if a character has no Windows-1252 code (a bug in the name lists).
pub(crate) fn encode(lines: &[String]) -> Result<Vec<u8>> {
    let text = lines.join("\r\n");
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    if lossy {
        return Err(Error::Internal(
            "un caractère de la liste simple n'existe pas en Windows-1252".into(),
        ));
    }
    Ok(bytes.into_owned())
}

/// Writes one school's export.
///
/// # Errors
///
/// [`Error::Output`] when the file cannot be written, [`Error::Internal`] on an encoding bug.
pub(crate) fn write_list(path: &Path, session: &Session, ecole: usize) -> Result<()> {
    let bytes = encode(&build_lines(session, ecole))?;
    std::fs::write(path, bytes).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::simulate_session;

    #[test]
    fn export_decodes_from_cp1252_with_its_eight_line_preamble() {
        let session = simulate_session(4, 2024, 300);
        let bytes = encode(&build_lines(&session, 0)).expect("names are cp1252");
        let (text, _, malformed) = encoding_rs::WINDOWS_1252.decode(&bytes);
        assert!(!malformed);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], format!("2024{} ", ";".repeat(14)));
        assert_eq!(lines[1], format!("Listes simples{}", ";".repeat(14)));
        assert!(lines[2].starts_with("LYCEE LA MARTINIERE DIDEROT – LYON 1ER  (0690105"));
        assert!(lines[LIGNES_PREAMBULE].starts_with("Division de classe;N° Candidat;"));
        assert!(lines.iter().all(|l| l.matches(';').count() == 14));
        assert!(lines[9].starts_with("'BTS2 NDRC "));
        assert!(!text.ends_with('\n'));
    }

    #[test]
    fn every_candidate_appears_in_exactly_one_school_list() {
        let session = simulate_session(4, 2024, 300);
        let total: usize = (0..ECOLES.len())
            .map(|e| build_lines(&session, e).len() - LIGNES_PREAMBULE - 1)
            .sum();
        assert_eq!(total, 300);
    }
}
