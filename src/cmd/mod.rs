//! One module per subcommand: validates arguments, wires the stages, prints the summary.

pub mod check;
pub mod explain;
pub mod export;
pub mod generate;
pub mod harmonize;
pub mod ingest;
pub mod livret;
pub mod rates;
pub mod results;
pub mod run;
pub mod sources;

use std::error::Error as _;

use crate::error::Error;

/// How a command that did not stop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything given was processed (rejected values are listed, not failures).
    Done,
    /// Some files could not be read: they are named on stderr.
    FilesFailed,
}

impl Status {
    /// The process exit code: 0, or 1 when some input must be fixed.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Done => 0,
            Status::FilesFailed => 1,
        }
    }
}

/// Checks a `--session` year.
///
/// # Errors
/// [`Error::Usage`] outside 2000–2099.
pub(crate) fn check_session(session: Option<i32>) -> Result<(), Error> {
    match session.filter(|y| !(2000..=2099).contains(y)) {
        Some(y) => Err(Error::Usage(format!(
            "--session {y} : année entre 2000 et 2099 attendue"
        ))),
        None => Ok(()),
    }
}

/// How a command writes its report tables: `--csv` and `--pseudonymise`.
///
/// # Errors
/// [`Error::Usage`] for a key too short.
pub(crate) fn sortie(
    dialect: crate::report::csv::Dialect,
    key: Option<&str>,
) -> Result<crate::report::Sortie, Error> {
    Ok(crate::report::Sortie {
        dialect,
        pseudonymes: key
            .map(crate::report::pseudonymes::Pseudonymes::new)
            .transpose()?,
    })
}

/// The spellings of `dir` and `extra`, with what the regulation decides about reading: the
/// scales other than 20 (E5A on 40) and the units a control exam may replace.
///
/// # Errors
/// [`Error::Config`] for a malformed profile or regulation.
pub(crate) fn regulated_profile(
    dir: &std::path::Path,
    extra: &[std::path::PathBuf],
) -> Result<crate::ingest::profile::Profile, Error> {
    let mut profile = crate::ingest::profile::Profile::load(dir, extra)?;
    let regulation = crate::regulation::Regulation::load(std::path::Path::new(
        crate::regulation::REGULATION_PATH,
    ))?;
    profile.set_baremes(regulation.baremes());
    let (exams, units) = regulation.controle_unites();
    profile.set_controle(exams, units);
    Ok(profile)
}

/// Opens the database of a command that reads what `ingest` stored.
///
/// # Errors
/// [`Error::Usage`] when the file does not exist (nothing was loaded), [`Error::Store`].
pub(crate) fn open_existing_store(db: &std::path::Path) -> Result<crate::store::Store, Error> {
    if !db.exists() {
        return Err(Error::Usage(format!(
            "--db {} : base introuvable ; chargez d'abord des exports avec « ndrc-stats ingest »",
            db.display()
        )));
    }
    crate::store::Store::open(db)
}

/// Prints an error and its causes once, on stderr.
pub fn print_error(e: &Error) {
    eprintln!("ndrc-stats: {e}");
    let mut cause = e.source();
    while let Some(c) = cause {
        eprintln!("  cause : {c}");
        cause = c.source();
    }
}

/// Writes one summary line to `out` (stdout for the commands), ignoring a closed pipe.
pub(crate) fn say(out: &mut dyn std::io::Write, line: &str) {
    let _ = writeln!(out, "{line}");
}

/// Prints what a report job wrote: its summary lines on `out`, its warnings on stderr.
pub(crate) fn print(out: &mut dyn std::io::Write, written: &crate::report::Written) {
    for line in &written.lignes {
        say(out, line);
    }
    for warning in &written.avertissements {
        eprintln!("ndrc-stats: attention : {warning}");
    }
}
