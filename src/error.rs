//! The one error type of ndrc-stats, the location of a cell in a source file, and exit codes.
//!
//! A bad *value* is not an [`Error`]: it becomes a rejected row (`rejets`) and the load goes on.
//! An [`Error`] is what stops a job: an unreadable or unsupported file, a missing header, a
//! malformed profile or regulation file, a DuckDB failure, an output that cannot be written.

use std::fmt;
use std::path::PathBuf;

/// Where a value sits in a source file, as the user sees it (rows are 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as given on the command line or found in a folder.
    pub file: PathBuf,
    /// The sheet of a workbook; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The 1-based row number, preamble lines included.
    pub row: u32,
    /// The column header (or letter when the header is blank).
    pub column: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.file.display().to_string());
        write!(f, "{name}")?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", feuille « {sheet} »")?;
        }
        write!(f, ", ligne {}", self.row)?;
        if !self.column.is_empty() {
            write!(f, ", colonne {}", self.column)?;
        }
        Ok(())
    }
}

/// Everything that stops a command. Messages are in French: they are read by users.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder given by the user does not exist or cannot be read.
    #[error("{}: fichier illisible", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file whose kind is not a supported spreadsheet or CSV.
    #[error("{}: format non pris en charge ({reason}); formats acceptés : .xlsx .xlsm .xls .ods .csv", path.display())]
    Unsupported {
        /// The path.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// A spreadsheet or CSV file in which no sheet has a recognisable header.
    #[error("{}: aucun en-tête reconnu ({reason})", path.display())]
    NoHeader {
        /// The path.
        path: PathBuf,
        /// What was looked for, and how to make it load.
        reason: String,
    },
    /// A spreadsheet or CSV file, or one sheet of a workbook, that could not be decoded.
    #[error("{}: {reason}", file_and_sheet(path, sheet.as_deref()))]
    Unreadable {
        /// The path.
        path: PathBuf,
        /// The sheet, when one sheet of a workbook failed.
        sheet: Option<String>,
        /// What failed, in French, and how to fix it when known.
        reason: String,
        /// The reader library's own message, printed as a `cause :` line.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A file refused by `--strict` because some of its non-empty columns were not read.
    #[error("{}: refusé par --strict, colonnes non lues : {columns}", path.display())]
    Strict {
        /// The path.
        path: PathBuf,
        /// The ignored headers (cut short).
        columns: String,
    },
    /// A configuration file (profile, regulation) that is malformed.
    #[error("{}: configuration invalide: {reason}", path.display())]
    Config {
        /// The path.
        path: PathBuf,
        /// What is wrong, naming the key.
        reason: String,
    },
    /// Candidates of the diploma in a session that the regulation does not cover: its rules are
    /// never applied to a session they were not written for.
    #[error(
        "aucun règlement ne couvre {sessions} : le règlement chargé ({diplome}) s'applique aux \
         sessions {couvertes} ; ajoutez le règlement de ces sessions dans data/regulation/ ou \
         retirez ces fichiers de la base"
    )]
    SessionNonCouverte {
        /// The sessions and their candidate counts, in French (« la session 2019 (12 candidats) »).
        sessions: String,
        /// The diploma the loaded regulation describes.
        diplome: String,
        /// The sessions it covers, in French.
        couvertes: String,
    },
    /// A database file written with another schema than this version's (see
    /// `store::SCHEMA_VERSION`): never opened half-working.
    #[error("base {}: {raison}", db.display())]
    VersionBase {
        /// The database file.
        db: PathBuf,
        /// What differs and what to do, in French.
        raison: String,
    },
    /// A candidate asked for (`explain --candidat`) who has no result in that session.
    #[error(
        "candidat {candidat} introuvable dans les résultats de la session {session} : {raison}"
    )]
    CandidatIntrouvable {
        /// The session asked for.
        session: i32,
        /// The candidate number asked for.
        candidat: String,
        /// Why, in French (never loaded, or left out of the regulation and why).
        raison: String,
    },
    /// A usage problem found after parsing the arguments (bad session, missing folder...).
    #[error("{0}")]
    Usage(String),
    /// A DuckDB failure while storing or querying.
    #[error("base DuckDB {}: {context}", db.display())]
    Store {
        /// The database file.
        db: PathBuf,
        /// What was being done (the SQL file and statement, the table...).
        context: String,
        /// The cause.
        #[source]
        source: duckdb::Error,
    },
    /// An output file that could not be written.
    #[error("{}: écriture impossible", path.display())]
    Output {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// An invariant that the program itself broke (a bug, not the user's input).
    #[error("erreur interne: {0}")]
    Internal(String),
}

impl Error {
    /// The process exit code: 1 input the user must fix, 2 usage, 3 store/output/internal.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io { .. }
            | Error::Unsupported { .. }
            | Error::Unreadable { .. }
            | Error::NoHeader { .. }
            | Error::Strict { .. }
            | Error::Config { .. }
            | Error::SessionNonCouverte { .. }
            | Error::VersionBase { .. }
            | Error::CandidatIntrouvable { .. } => 1,
            Error::Usage(_) => 2,
            Error::Store { .. } | Error::Output { .. } | Error::Internal(_) => 3,
        }
    }
}

/// `notes.xlsx, feuille « Notes »`: the path as given, and the sheet when there is one.
fn file_and_sheet(path: &std::path::Path, sheet: Option<&str>) -> String {
    match sheet {
        Some(sheet) => format!("{}, feuille « {sheet} »", path.display()),
        None => path.display().to_string(),
    }
}

/// The result type of every fallible function of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_reads_like_a_french_sentence() {
        let loc = Location {
            file: PathBuf::from("data/notes_2024.xlsx"),
            sheet: Some("Notes".into()),
            row: 14,
            column: "E5B".into(),
        };
        assert_eq!(
            loc.to_string(),
            "notes_2024.xlsx, feuille « Notes », ligne 14, colonne E5B"
        );
    }

    #[test]
    fn an_unreadable_sheet_names_file_and_sheet_and_keeps_the_cause_apart() {
        let e = Error::Unreadable {
            path: PathBuf::from("data/notes_2024.xlsx"),
            sheet: Some("Notes".into()),
            reason: "feuille illisible".into(),
            source: Some("XML error: unexpected end of file".into()),
        };
        assert_eq!(
            e.to_string(),
            "data/notes_2024.xlsx, feuille « Notes »: feuille illisible"
        );
        assert_eq!(
            std::error::Error::source(&e).map(ToString::to_string),
            Some("XML error: unexpected end of file".to_string())
        );
        assert_eq!(e.exit_code(), 1);
    }
}
