//! `grilles_<Y>.csv` and `correcteurs_e5a_<Y>.csv`: the E5B evaluation grid levels and each E5A
//! corrector's own mark, in long layouts as an exam-centre tool exports them (UTF-8 with BOM,
//! `;`, LF line ends, decimal comma).
//!
//! The E5B grid (national "grille d'aide à l'évaluation") rates four questions `Q1`–`Q4` on levels
//! 1 to 4. A level is drawn from the candidate's ability plus the examiner's severity (the same
//! effect as on the grade, in ability units) plus noise, cut at fixed thresholds. One examiner,
//! neutral on the grade, is planted as severe on `Q3` only: [`QUESTION_PLANTEE`],
//! [`EFFET_PLANTE`]. The levels draw from their own random stream ([`Flux::Grilles`]), so the
//! other files keep their bytes, and each candidate's grid from a stream of its own seeded by the
//! candidate number, so that adding or removing one candidate changes no other grid. The corrector marks need no randomness: the model keeps both.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::grades::PENTE;
use super::model::{Epreuve, Resultat, Session};
use super::oraux_long::escape;
use crate::error::{Error, Result};

/// The header of the grid CSV.
pub(crate) const ENTETE_GRILLES: [&str; 6] = [
    "Session",
    "N° candidat",
    "Epreuve",
    "Examinateur",
    "Question",
    "Niveau",
];

/// The header of the corrector CSV.
pub(crate) const ENTETE_CORRECTEURS: [&str; 5] = [
    "Session",
    "N° candidat",
    "Epreuve",
    "Correcteur",
    "Note correcteur",
];

/// The grid's questions.
pub(crate) const QUESTIONS: [&str; 4] = ["Q1", "Q2", "Q3", "Q4"];

/// The question the planted examiner rates differently.
pub(crate) const QUESTION_PLANTEE: &str = "Q3";

/// Ability units added on [`QUESTION_PLANTEE`] by the planted examiner (negative = severe).
pub(crate) const EFFET_PLANTE: f64 = -1.2;

/// Standard deviation of the per-question noise, in ability units.
const BRUIT_NIVEAU: f64 = 0.6;

/// Latent cut points between levels 1|2, 2|3 and 3|4.
const SEUILS: [f64; 3] = [-0.9, 0.0, 0.9];

/// The examiner planted as severe on one question: the first neutral E5B examiner (effect 0 on
/// the grade), so that only the grid tells them apart.
pub(crate) fn planted_examiner(session: &Session) -> &str {
    session
        .examinateurs
        .iter()
        .find(|e| e.epreuve == Epreuve::E5B && e.effet == 0.0)
        .map_or("", |e| e.id.as_str())
}

fn level(latent: f64) -> u8 {
    1 + u8::try_from(SEUILS.iter().filter(|s| latent >= **s).count())
        .expect("at most three thresholds")
}

/// The grid rows: every E5B candidate graded this session × Q1..Q4, in session order.
pub(crate) fn build_grilles(session: &Session, rng: &mut ChaCha8Rng) -> Vec<[String; 6]> {
    let plante = planted_examiner(session);
    let graine: u64 = rng.gen();
    let mut lignes = Vec::new();
    for c in &session.candidats {
        let (Some(p), Some(Resultat::Note(_))) = (
            c.passages.get(&Epreuve::E5B),
            c.resultats.get(&Epreuve::E5B),
        ) else {
            continue;
        };
        let effet = session
            .examinateurs
            .iter()
            .find(|e| e.id == p.examinateur)
            .map_or(0.0, |e| e.effet / PENTE);
        let mut rng = ChaCha8Rng::seed_from_u64(graine ^ numero_seed(&c.numero));
        for q in QUESTIONS {
            let z: f64 = rng.sample(StandardNormal);
            let mut latent = c.theta + effet + BRUIT_NIVEAU * z;
            if p.examinateur == plante && q == QUESTION_PLANTEE {
                latent += EFFET_PLANTE;
            }
            lignes.push([
                session.annee.to_string(),
                c.numero.clone(),
                Epreuve::E5B.code().to_owned(),
                p.examinateur.clone(),
                q.to_owned(),
                level(latent).to_string(),
            ]);
        }
    }
    lignes
}

/// A stable 64-bit value of a candidate number (FNV-1a), to seed the candidate's own stream.
fn numero_seed(numero: &str) -> u64 {
    numero.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The corrector rows: two per E5A paper graded this session (`<pair>-A`, `<pair>-B`), sorted by
/// pair then candidate.
pub(crate) fn build_correcteurs(session: &Session) -> Vec<[String; 5]> {
    let mut copies: Vec<_> = session
        .candidats
        .iter()
        .filter(|c| matches!(c.resultats.get(&Epreuve::E5A), Some(Resultat::Note(_))))
        .filter_map(|c| {
            let p = c.passages.get(&Epreuve::E5A)?;
            Some((
                p.examinateur.as_str(),
                c.numero.as_str(),
                c.e5a_correcteurs?,
            ))
        })
        .collect();
    copies.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    copies
        .into_iter()
        .flat_map(|(paire, numero, notes)| {
            ["A", "B"].into_iter().zip(notes).map(move |(k, n)| {
                [
                    session.annee.to_string(),
                    numero.to_owned(),
                    Epreuve::E5A.code().to_owned(),
                    format!("{paire}-{k}"),
                    n.comma_short(),
                ]
            })
        })
        .collect()
}

/// The file's bytes: BOM, header, rows, each line ended by LF.
pub(crate) fn to_bytes<const N: usize>(entete: &[&str; N], lignes: &[[String; N]]) -> Vec<u8> {
    let mut text = String::from("\u{feff}");
    text.push_str(&entete.map(escape).join(";"));
    text.push('\n');
    for ligne in lignes {
        let champs: Vec<String> = ligne.iter().map(|f| escape(f)).collect();
        text.push_str(&champs.join(";"));
        text.push('\n');
    }
    text.into_bytes()
}

/// Writes a long CSV.
///
/// # Errors
///
/// [`Error::Output`] when the file cannot be written.
pub(crate) fn write_csv<const N: usize>(
    path: &Path,
    entete: &[&str; N],
    lignes: &[[String; N]],
) -> Result<()> {
    std::fs::write(path, to_bytes(entete, lignes)).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::model::{rng_for, simulate_session, Flux};

    #[test]
    fn levels_cut_the_latent_scale_at_three_thresholds() {
        assert_eq!(level(-2.0), 1);
        assert_eq!(level(-0.5), 2);
        assert_eq!(level(0.0), 3);
        assert_eq!(level(2.0), 4);
    }

    #[test]
    fn four_grid_rows_per_graded_e5b_candidate_and_two_marks_per_e5a_paper() {
        let session = simulate_session(9, 2023, 100);
        let grilles = build_grilles(&session, &mut rng_for(9, 2023, Flux::Grilles));
        let graded = |e| {
            session
                .candidats
                .iter()
                .filter(|c| matches!(c.resultats.get(&e), Some(Resultat::Note(_))))
                .count()
        };
        assert_eq!(grilles.len(), 4 * graded(Epreuve::E5B));
        assert_eq!(build_correcteurs(&session).len(), 2 * graded(Epreuve::E5A));
        assert!(!planted_examiner(&session).is_empty());
        let bytes = to_bytes(&ENTETE_GRILLES, &grilles);
        assert!(bytes.starts_with("\u{feff}Session;N° candidat;Epreuve;Examinateur;".as_bytes()));
    }
}
