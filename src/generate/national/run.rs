//! The `generate --national` job: checks the options, then for each session and academy draws
//! the candidates, appends their rows to the long CSV, writes their workbook, counts what the
//! results must find, and drops them (memory bounded by one academy, never the nation).
//!
//! Same options, same bytes: every academy-session has its own seeded stream, rows are written
//! in a fixed order and workbooks carry a fixed date. It prints nothing; the command module
//! reports the returned [`NationalSummary`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::academies::{apportion, schools_of, ACADEMIES};
use super::candidat::{draw_candidates, CandidatNational, Cellule};
use super::long_csv::{LongCsv, FICHIER};
use super::verdict::Regle;
use super::workbook::{relative_path, write_workbook};
use crate::error::{Error, Result};
use crate::regulation::Regulation;

/// Most candidates per session (four times the whole of the BTS in one session).
pub const MAX_CANDIDATS_NATIONAL: usize = 1_000_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalOptions {
    /// The output folder (created if missing; files of the same names are replaced).
    pub out: PathBuf,
    /// The random seed: same seed, same files.
    pub seed: u64,
    /// Candidates per session, NDRC and the other BTS together.
    pub candidats: usize,
    /// The session years.
    pub sessions: Vec<i32>,
}

/// What the results and rates must find for one session: the generator's expected counts,
/// computed by the regulation in exact integers (`verdict`), the other BTS left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionCounts {
    /// The session year.
    pub session: i32,
    /// NDRC candidates (the regulation's diploma).
    pub candidats: u64,
    /// Candidates of the other BTS (MCO): loaded, listed in `hors_reglement.csv`, left out.
    pub hors_reglement: u64,
    /// NDRC candidates with at least one grade given this session.
    pub presents: u64,
    /// Présents whose decision is ADMIS.
    pub admis: u64,
    /// NDRC candidates per decision (`ADMIS`, `CONTROLE`, `AJOURNE`, `ABSENT`, `NV`,
    /// `EN_ATTENTE`, `INCOMPLET`).
    pub decisions: BTreeMap<String, u64>,
    /// Rows of the long CSV for this session (every candidate, the other BTS included).
    pub lignes: u64,
    /// Rows with neither grade nor code (missing grades), every candidate included.
    pub cellules_vides: u64,
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalSummary {
    /// The files written: the long CSV first, then the workbooks in writing order.
    pub files: Vec<PathBuf>,
    /// The expected counts of each session, in the order of the options.
    pub sessions: Vec<SessionCounts>,
}

/// Checks the options: at least one session, none twice, years in range, 1 to 1,000,000
/// candidates per session.
///
/// # Errors
/// [`Error::Usage`] naming the faulty option.
pub fn validate_national(opts: &NationalOptions) -> Result<()> {
    crate::generate::run::validate_sessions(&opts.sessions)?;
    if !(1..=MAX_CANDIDATS_NATIONAL).contains(&opts.candidats) {
        return Err(Error::Usage(format!(
            "--candidats : {} hors de l'intervalle 1–1 000 000 (candidats par session avec --national)",
            opts.candidats
        )));
    }
    Ok(())
}

/// Generates the national exports into `opts.out`: `notes_nationales.csv` and one workbook per
/// academy and session under `academies/<session>/`.
///
/// # Errors
/// [`Error::Usage`] for invalid options, [`Error::Output`] when a folder or file cannot be
/// written, [`Error::Internal`] when the regulation lacks a code the generator writes.
///
/// # Example
///
/// ```no_run
/// use ndrc_stats::generate::{run_national, NationalOptions};
/// let opts = NationalOptions {
///     out: "national".into(),
///     seed: 2024,
///     candidats: 1_000,
///     sessions: vec![2024],
/// };
/// let summary = run_national(&opts)?;
/// println!("{} admis", summary.sessions[0].admis);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run_national(opts: &NationalOptions) -> Result<NationalSummary> {
    validate_national(opts)?;
    let regle = Regle::new(&Regulation::embedded()?)?;
    create_dir(&opts.out)?;
    let csv_path = opts.out.join(FICHIER);
    let mut csv = LongCsv::create(&csv_path)?;
    let mut summary = NationalSummary {
        files: vec![csv_path],
        sessions: Vec::with_capacity(opts.sessions.len()),
    };
    let ecoles: Vec<_> = (0..ACADEMIES.len())
        .map(|i| schools_of(opts.seed, i))
        .collect();
    let effectifs = apportion(opts.candidats);
    for &session in &opts.sessions {
        let mut counts = SessionCounts {
            session,
            ..SessionCounts::default()
        };
        for (i, academie) in ACADEMIES.iter().enumerate() {
            let n = effectifs[i];
            if n == 0 {
                continue;
            }
            let candidats = draw_candidates(opts.seed, session, i, n, &ecoles[i]);
            let avant = csv.lignes;
            csv.append(session, academie.nom, &candidats)?;
            counts.lignes += csv.lignes - avant;
            let path = opts.out.join(relative_path(academie, session));
            if let Some(dossier) = path.parent() {
                create_dir(dossier)?;
            }
            write_workbook(&path, academie, session, &candidats)?;
            summary.files.push(path);
            count(&regle, &candidats, &mut counts);
        }
        summary.sessions.push(counts);
    }
    csv.finish()?;
    Ok(summary)
}

fn create_dir(path: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

/// Adds an academy-session's candidates to the session's expected counts.
fn count(regle: &Regle, candidats: &[CandidatNational], counts: &mut SessionCounts) {
    for c in candidats {
        counts.cellules_vides += c.cellules.iter().filter(|x| **x == Cellule::Vide).count() as u64;
        if !c.is_ndrc() {
            counts.hors_reglement += 1;
            continue;
        }
        let verdict = regle.judge(&c.cellules);
        counts.candidats += 1;
        if verdict.present {
            counts.presents += 1;
            if verdict.decision == "ADMIS" {
                counts.admis += 1;
            }
        }
        *counts.decisions.entry(verdict.decision).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(out: PathBuf) -> NationalOptions {
        NationalOptions {
            out,
            seed: 5,
            candidats: 400,
            sessions: vec![2023, 2024],
        }
    }

    #[test]
    fn same_options_give_byte_identical_files() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = run_national(&options(a.path().to_path_buf())).unwrap();
        let second = run_national(&options(b.path().to_path_buf())).unwrap();
        assert_eq!(first.sessions, second.sessions);
        assert_eq!(first.files.len(), 1 + 2 * ACADEMIES.len());
        for (x, y) in first.files.iter().zip(&second.files) {
            assert_eq!(
                x.strip_prefix(a.path()).unwrap(),
                y.strip_prefix(b.path()).unwrap()
            );
            assert!(
                std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
                "{}",
                x.display()
            );
        }
        let mut other = options(b.path().to_path_buf());
        other.seed = 6;
        assert_ne!(run_national(&other).unwrap().sessions, first.sessions);
    }

    #[test]
    fn the_long_csv_is_windows_1252_with_the_exact_header() {
        let dir = tempfile::tempdir().unwrap();
        let summary = run_national(&options(dir.path().to_path_buf())).unwrap();
        let bytes = std::fs::read(dir.path().join(FICHIER)).unwrap();
        let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&bytes);
        assert!(!bad);
        assert!(text.starts_with(
            "Session;Académie;N° candidat;Nom;Prénom;Sexe;Voie;UAI;Classe;Spécialité;Epreuve;Note;Statut\r\n"
        ));
        assert!(
            bytes.windows(2).filter(|w| w == b"\r\n").count() as u64
                == 1 + summary.sessions.iter().map(|s| s.lignes).sum::<u64>()
        );
        assert!(!text.contains(".5;"), "decimal comma");
        let s = &summary.sessions[0];
        assert_eq!(s.candidats + s.hors_reglement, 400);
        assert_eq!(s.decisions.values().sum::<u64>(), s.candidats);
    }

    #[test]
    fn about_four_candidates_in_five_pass() {
        let dir = tempfile::tempdir().unwrap();
        let mut opts = options(dir.path().to_path_buf());
        opts.candidats = 20_000;
        opts.sessions = vec![2024];
        let s = &run_national(&opts).unwrap().sessions[0];
        let taux = s.admis as f64 / s.presents as f64;
        assert!((0.74..0.82).contains(&taux), "{taux} {s:?}");
        assert!(s.presents < s.candidats);
        for d in [
            "CONTROLE",
            "AJOURNE",
            "ABSENT",
            "NV",
            "EN_ATTENTE",
            "INCOMPLET",
        ] {
            assert!(s.decisions.get(d).is_some_and(|n| *n > 0), "{d} {s:?}");
        }
    }

    #[test]
    fn more_than_a_million_candidates_is_a_usage_error() {
        let mut opts = options(PathBuf::from("unused"));
        opts.candidats = MAX_CANDIDATS_NATIONAL + 1;
        assert!(matches!(validate_national(&opts), Err(Error::Usage(_))));
        opts.candidats = MAX_CANDIDATS_NATIONAL;
        assert!(validate_national(&opts).is_ok());
        opts.candidats = 0;
        assert!(matches!(validate_national(&opts), Err(Error::Usage(_))));
    }
}
