//! The `generate` job: checks the options, then writes every session's exports under `--out`.
//!
//! For each session: one "Liste simple" CSV per school, `notes_<Y>.xlsx`, `oraux_<Y>.csv`,
//! `livret_<Y>.ods`, `controles_<Y>.csv`, `decisions_jury_<Y>.xlsx`, `grilles_<Y>.csv` and
//! `correcteurs_e5a_<Y>.csv`. The output depends only on the options: same options, same bytes (seeded
//! random streams, sorted rows, fixed document dates). It prints nothing;
//! the command module reports the returned [`GenerateSummary`].

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::academy::ECOLES;
use super::bareme::Bareme;
use super::exports::{
    build_session_exports, controles_file, correcteurs_file, grilles_file, jury_file, livret_file,
    notes_file, oraux_file,
};
use super::grilles::{ENTETE_CORRECTEURS, ENTETE_GRILLES};
use super::{controles, grilles, jury, liste_simple, livret, notes_wide, oraux_long};
use crate::error::{Error, Result};
use crate::regulation::Regulation;

/// Fewest candidates per session: below, some classes or planted errors would have nobody.
pub(crate) const MIN_CANDIDATS: usize = 50;

/// Most candidates per session (ten academies' worth).
pub(crate) const MAX_CANDIDATS: usize = 50_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// The output folder (created if missing; existing files of the same names are replaced).
    pub out: PathBuf,
    /// The random seed: same seed, same files.
    pub seed: u64,
    /// Candidates per session.
    pub candidats: usize,
    /// The session years; errors are planted in the last one only.
    pub sessions: Vec<i32>,
}

impl Default for GenerateOptions {
    /// The options that produced `data/samples`.
    fn default() -> Self {
        GenerateOptions {
            out: PathBuf::from("data/samples"),
            seed: 2024,
            candidats: 600,
            sessions: vec![2022, 2023, 2024],
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateSummary {
    /// The files written, in writing order.
    pub files: Vec<PathBuf>,
    /// Candidates over all sessions.
    pub candidats: usize,
    /// Non-empty exam cells of the grade workbooks over all sessions (grades and status codes).
    pub notes: usize,
}

/// Checks the sessions of `--sessions`: at least one, none twice, years from 2000 to 2099.
///
/// # Errors
/// [`Error::Usage`] naming the faulty session.
pub(crate) fn validate_sessions(sessions: &[i32]) -> Result<()> {
    if sessions.is_empty() {
        return Err(Error::Usage(
            "--sessions : au moins une session est requise".into(),
        ));
    }
    let distinctes: BTreeSet<i32> = sessions.iter().copied().collect();
    if distinctes.len() != sessions.len() {
        return Err(Error::Usage("--sessions : une session est répétée".into()));
    }
    if let Some(annee) = sessions.iter().find(|a| !(2000..=2099).contains(*a)) {
        return Err(Error::Usage(format!(
            "--sessions : {annee} n'est pas une année entre 2000 et 2099"
        )));
    }
    Ok(())
}

/// Checks the options: at least one session, no session twice, years and sizes in range.
///
/// # Errors
///
/// [`Error::Usage`] naming the faulty option.
pub(crate) fn validate(opts: &GenerateOptions) -> Result<()> {
    validate_sessions(&opts.sessions)?;
    if !(MIN_CANDIDATS..=MAX_CANDIDATS).contains(&opts.candidats) {
        return Err(Error::Usage(format!(
            "--candidats : {} hors de l'intervalle {MIN_CANDIDATS}–{MAX_CANDIDATS}",
            opts.candidats
        )));
    }
    Ok(())
}

/// Generates the exports of every session into `opts.out`.
///
/// # Errors
///
/// [`Error::Usage`] for invalid options, [`Error::Output`] when the folder or a file cannot be
/// written, [`Error::Internal`] on a writer bug.
///
/// # Example
///
/// ```no_run
/// use ndrc_stats::generate::{run, GenerateOptions};
/// let summary = run(&GenerateOptions::default())?;
/// println!("{} fichiers, {} candidats", summary.files.len(), summary.candidats);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(opts: &GenerateOptions) -> Result<GenerateSummary> {
    validate(opts)?;
    std::fs::create_dir_all(&opts.out).map_err(|source| Error::Output {
        path: opts.out.clone(),
        source,
    })?;
    let bareme = Bareme::new(&Regulation::embedded()?);
    let mut summary = GenerateSummary {
        files: Vec::new(),
        candidats: 0,
        notes: 0,
    };
    for (i, &annee) in opts.sessions.iter().enumerate() {
        let derniere = i + 1 == opts.sessions.len();
        let exports = build_session_exports(opts.seed, annee, opts.candidats, derniere, &bareme);
        for ecole in 0..ECOLES.len() {
            let path = opts.out.join(liste_simple::file_name(ecole, annee));
            liste_simple::write_list(&path, &exports.session, ecole)?;
            summary.files.push(path);
        }
        let path = opts.out.join(notes_file(annee));
        notes_wide::write_workbook(&path, &exports.notes)?;
        summary.files.push(path);
        let path = opts.out.join(oraux_file(annee));
        oraux_long::write_csv(&path, &exports.oraux)?;
        summary.files.push(path);
        let path = opts.out.join(livret_file(annee));
        livret::write_livret(&path, annee, &exports.livret)?;
        summary.files.push(path);
        let path = opts.out.join(controles_file(annee));
        let lignes = controles::build_rows(&exports.session, &exports.deliberation);
        controles::write_csv(&path, &lignes)?;
        summary.files.push(path);
        let path = opts.out.join(jury_file(annee));
        let lignes = jury::build_rows(&exports.session, &exports.deliberation);
        jury::write_jury(&path, annee, &lignes)?;
        summary.files.push(path);
        let path = opts.out.join(grilles_file(annee));
        grilles::write_csv(&path, &ENTETE_GRILLES, &exports.grilles)?;
        summary.files.push(path);
        let path = opts.out.join(correcteurs_file(annee));
        grilles::write_csv(&path, &ENTETE_CORRECTEURS, &exports.correcteurs)?;
        summary.files.push(path);
        summary.candidats += exports.session.candidats.len();
        summary.notes += super::truth::count_exam_cells(&exports.notes)
            .values()
            .sum::<usize>();
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(out: PathBuf) -> GenerateOptions {
        GenerateOptions {
            out,
            seed: 11,
            candidats: 80,
            sessions: vec![2023, 2024],
        }
    }

    #[test]
    fn same_options_give_byte_identical_files() {
        let a = tempfile::tempdir().expect("temp dir");
        let b = tempfile::tempdir().expect("temp dir");
        let first = run(&options(a.path().to_path_buf())).expect("first run");
        let second = run(&options(b.path().to_path_buf())).expect("second run");
        assert_eq!(first.files.len(), 2 * (ECOLES.len() + 7));
        for (x, y) in first.files.iter().zip(&second.files) {
            assert_eq!(x.file_name(), y.file_name());
            let (bx, by) = (
                std::fs::read(x).expect("read"),
                std::fs::read(y).expect("read"),
            );
            assert!(bx == by, "{} differs between runs", x.display());
        }
    }

    #[test]
    fn a_repeated_session_is_a_usage_error() {
        let mut opts = options(PathBuf::from("unused"));
        opts.sessions = vec![2024, 2024];
        assert!(matches!(validate(&opts), Err(Error::Usage(_))));
        opts.sessions = vec![2024];
        opts.candidats = 3;
        assert!(matches!(validate(&opts), Err(Error::Usage(_))));
    }
}
