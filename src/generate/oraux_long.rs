//! `oraux_<Y>.csv`: the E2, E5A and E5B grades, and the one-off E4 and E6 grades of the
//! candidates without a class, in a long layout (one row per grade), as an exam-centre tool
//! exports them: UTF-8 with BOM, `;` separator, LF line ends, decimal comma.
//!
//! Every row carries the examiner (E5A: the corrector pair), the E5B commission, the national
//! subject, the centre, the date and the half-day. The grades are the workbook's, except the one
//! planted E5B disagreement of the last session. E4 and E6 rows come after the others (their
//! exams are the last ones in May), so adding them moved no earlier row.

use std::path::Path;

use super::model::{format_date, Candidat, Epreuve, Passage, Resultat, Session};
use super::planted::{disagreeing_grade, Plantations};
use crate::error::{Error, Result};

/// The header of the long CSV.
pub(crate) const ENTETE_ORAUX: [&str; 12] = [
    "Session",
    "N° candidat",
    "Nom",
    "Prénom",
    "Epreuve",
    "Note",
    "Examinateur",
    "Commission",
    "Sujet",
    "Centre",
    "Date",
    "Demi-journée",
];

/// The exams of the file, in the order of its rows.
const EPREUVES_ORALES: [Epreuve; 5] = [
    Epreuve::E2,
    Epreuve::E5A,
    Epreuve::E5B,
    Epreuve::E4,
    Epreuve::E6,
];

/// The planted disagreement: the CSV row and both values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Desaccord {
    /// 1-based line in the CSV (the header is line 1).
    pub ligne: u32,
    /// The candidate number.
    pub candidat: String,
    /// The value written in the CSV.
    pub valeur_csv: String,
    /// The value the workbook holds.
    pub valeur_classeur: String,
}

/// The rows of the long CSV of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableOraux {
    /// Data rows, sorted by exam, date, half-day, commission, examiner, candidate.
    pub lignes: Vec<[String; 12]>,
    /// The planted disagreement, in the last session.
    pub desaccord: Option<Desaccord>,
}

/// How a result is written in the CSV: decimal comma, canonical status codes.
fn note_text(resultat: Option<&Resultat>) -> String {
    match resultat {
        None => String::new(),
        Some(Resultat::Note(n)) => n.comma_short(),
        Some(Resultat::Absent) => "ABS".into(),
        Some(Resultat::AbsentJustifie) => "ABJ".into(),
        Some(Resultat::NonValide) => "NV".into(),
        Some(Resultat::Dispense) => "DISP".into(),
        Some(Resultat::Benefice { origine, note }) => {
            format!("BEN {origine} : {}", note.comma_short())
        }
    }
}

/// Lays out the long CSV; `plantations` plants the disagreeing E5B grade.
pub(crate) fn build_table(session: &Session, plantations: Option<&Plantations>) -> TableOraux {
    let mut triees = Vec::new();
    for (rang, &epreuve) in EPREUVES_ORALES.iter().enumerate() {
        for c in &session.candidats {
            let Some(p) = c.passages.get(&epreuve) else {
                continue;
            };
            let cle = (
                rang,
                p.date,
                p.apres_midi,
                p.commission.unwrap_or(0),
                p.examinateur.clone(),
                c.numero.clone(),
            );
            triees.push((cle, c, epreuve, p));
        }
    }
    triees.sort_by(|a, b| a.0.cmp(&b.0));
    let mut desaccord = None;
    let mut lignes = Vec::with_capacity(triees.len());
    for (i, (_, c, epreuve, p)) in triees.into_iter().enumerate() {
        let mut ligne = row(session.annee, c, epreuve, p);
        let plante = plantations.is_some_and(|p| p.desaccord_e5b == c.numero);
        if let (true, Epreuve::E5B, Some(Resultat::Note(n))) =
            (plante, epreuve, c.resultats.get(&epreuve))
        {
            ligne[5] = disagreeing_grade(*n).comma_short();
            desaccord = Some(Desaccord {
                ligne: u32::try_from(i + 2).expect("row numbers fit in u32"),
                candidat: c.numero.clone(),
                valeur_csv: ligne[5].clone(),
                valeur_classeur: n.comma_short(),
            });
        }
        lignes.push(ligne);
    }
    TableOraux { lignes, desaccord }
}

fn row(annee: i32, c: &Candidat, epreuve: Epreuve, p: &Passage) -> [String; 12] {
    [
        annee.to_string(),
        c.numero.clone(),
        c.nom.clone(),
        c.prenom.clone(),
        epreuve.code().to_owned(),
        note_text(c.resultats.get(&epreuve)),
        p.examinateur.clone(),
        p.commission.map(|n| format!("C{n:02}")).unwrap_or_default(),
        p.sujet.clone(),
        p.centre.to_owned(),
        format_date(p.date),
        if p.apres_midi { "après-midi" } else { "matin" }.to_owned(),
    ]
}

/// Quotes a field that holds the separator, a quote or a line break.
pub(crate) fn escape(field: &str) -> String {
    if field.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// The file's bytes: BOM, header, rows, each line ended by LF.
pub(crate) fn to_bytes(table: &TableOraux) -> Vec<u8> {
    let mut text = String::from("\u{feff}");
    let entete: Vec<String> = ENTETE_ORAUX.iter().map(|h| escape(h)).collect();
    text.push_str(&entete.join(";"));
    text.push('\n');
    for ligne in &table.lignes {
        let champs: Vec<String> = ligne.iter().map(|f| escape(f)).collect();
        text.push_str(&champs.join(";"));
        text.push('\n');
    }
    text.into_bytes()
}

/// Writes the long CSV.
///
/// # Errors
///
/// [`Error::Output`] when the file cannot be written.
pub(crate) fn write_csv(path: &Path, table: &TableOraux) -> Result<()> {
    std::fs::write(path, to_bytes(table)).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::simulate_session;

    #[test]
    fn one_row_per_oral_grade_with_a_bom_and_lf_line_ends() {
        let session = simulate_session(9, 2023, 100);
        let table = build_table(&session, None);
        // E2, E5A and E5B for everyone; E4 and E6 for the candidates without a class, unless
        // they keep a grade from an earlier session.
        let ponctuels = session
            .candidats
            .iter()
            .filter(|c| !c.classe().voie.has_class())
            .flat_map(|c| [Epreuve::E4, Epreuve::E6].map(|e| c.resultats.get(&e)))
            .filter(|r| !matches!(r, Some(Resultat::Benefice { .. })))
            .count();
        assert!(ponctuels > 0);
        // A kept unit U5 (E5A and E5B from an earlier session) is not sat: no row.
        let conservees = session
            .candidats
            .iter()
            .flat_map(|c| [Epreuve::E2, Epreuve::E5A, Epreuve::E5B].map(|e| c.resultats.get(&e)))
            .filter(|r| matches!(r, Some(Resultat::Benefice { .. })))
            .count();
        assert_eq!(conservees, 2);
        assert_eq!(table.lignes.len(), 300 - conservees + ponctuels);
        let bytes = to_bytes(&table);
        assert!(bytes.starts_with("\u{feff}Session;N° candidat;".as_bytes()));
        assert!(!bytes.contains(&b'\r'));
        assert!(table.desaccord.is_none());
    }

    #[test]
    fn one_off_e4_e6_rows_come_last_and_hold_the_workbook_grade_or_abs() {
        let session = simulate_session(2024, 2022, 600);
        let table = build_table(&session, None);
        let premiere = table
            .lignes
            .iter()
            .position(|l| l[4] == "E4" || l[4] == "E6")
            .expect("E4/E6 rows");
        assert!(table.lignes[premiere..]
            .iter()
            .all(|l| l[4] == "E4" || l[4] == "E6"));
        let par_numero: std::collections::BTreeMap<&str, &Candidat> = session
            .candidats
            .iter()
            .map(|c| (c.numero.as_str(), c))
            .collect();
        for l in &table.lignes[premiere..] {
            let c = par_numero[l[1].as_str()];
            let epreuve = if l[4] == "E4" {
                Epreuve::E4
            } else {
                Epreuve::E6
            };
            assert!(!c.classe().voie.has_class());
            match c.resultats.get(&epreuve) {
                Some(Resultat::Note(n)) => assert_eq!(l[5], n.comma_short()),
                Some(Resultat::Absent) => assert_eq!(l[5], "ABS"),
                other => panic!("{l:?}: {other:?}"),
            }
            assert_eq!(l[7], "");
            assert_eq!(l[8], format!("{}-2022", l[4]));
        }
    }

    #[test]
    fn e5b_commissions_hold_at_most_five_candidates_and_two_examiners() {
        let session = simulate_session(9, 2023, 600);
        let table = build_table(&session, None);
        let mut par_commission = std::collections::BTreeMap::new();
        for l in table.lignes.iter().filter(|l| l[4] == "E5B") {
            let e = par_commission
                .entry(l[7].clone())
                .or_insert((0, Vec::new()));
            e.0 += 1;
            if !e.1.contains(&l[6]) {
                e.1.push(l[6].clone());
            }
        }
        assert!(par_commission
            .values()
            .all(|(n, ex)| *n <= 5 && ex.len() <= 2));
    }
}
