//! `ingest --remplace ID FICHIER`: a corrected export takes the place of the file it corrects,
//! in one transaction.
//!
//! The retired file (every sheet of the file that source `ID` belongs to) leaves the tables for
//! their history; the correction is read and merged as any file, so its values take the places
//! the retired file held; a key the correction no longer gives gets the first value another file
//! gave for it; the conflicts of those keys are listed again against their new value. A
//! correction that cannot be read or loaded retires nothing. Doing it again changes nothing.

use std::path::Path;

use super::load::{load_raw, strict_refusal, FileOutcome, FileReport, LoadOptions};
use super::read::{hash_file, parse_file};
use crate::error::{Error, Result};
use crate::store::{LoadedFile, Retired, Settled, Store};

/// What `--remplace` did.
#[derive(Debug)]
pub enum Replaced {
    /// The file was retired and its correction loaded.
    Done {
        /// The retired file.
        retired_file: LoadedFile,
        /// What left the tables for their history.
        retired: Retired,
        /// The correction's load, or `None` when it was already loaded before.
        report: Option<FileReport>,
        /// What the freed keys became.
        settled: Settled,
    },
    /// This source was already replaced by this very file: nothing changed.
    AlreadyDone {
        /// The replacement recorded then.
        replacement: crate::store::Replacement,
    },
    /// The correction has the same content as the loaded file: nothing changed.
    Identical {
        /// The loaded file.
        file: LoadedFile,
    },
    /// The correction could not be loaded: nothing was retired.
    Failed(Error),
}

/// Retires the file of source `id` and loads `path` in its place.
///
/// # Errors
/// [`Error::Usage`] for a source id that was never loaded, or one already replaced by another
/// file; [`Error::Store`] (the transaction is rolled back: nothing changed).
pub fn replace_file(
    store: &Store,
    id: i32,
    path: &Path,
    opts: &LoadOptions<'_>,
) -> Result<Replaced> {
    let hashed = match hash_file(path) {
        Ok(hashed) => hashed,
        Err(e) => return Ok(Replaced::Failed(e)),
    };
    let sha256 = hashed.sha256.clone();
    let Some(file) = store.loaded_file(id)? else {
        return match store.replacement_of(id)? {
            Some(replacement) if replacement.par_sha256 == sha256 => {
                Ok(Replaced::AlreadyDone { replacement })
            }
            Some(r) => Err(Error::Usage(format!(
                "la source {id} ({}) a déjà été remplacée le {} par {} : c'est ce fichier-là \
                 qu'il faut remplacer (son numéro est dans « ndrc-stats sources »)",
                r.chemin, r.le, r.par_chemin
            ))),
            None => Err(Error::Usage(format!(
                "aucune source n° {id} dans la base : « ndrc-stats sources » liste les fichiers \
                 chargés et leur numéro"
            ))),
        };
    };
    if file.sha256 == sha256 {
        return Ok(Replaced::Identical { file });
    }
    // A correction loaded before (by a plain ingest) is not merged again: its values, kept as
    // confirmations or conflicts, are promoted first.
    let raw = if store.is_loaded(&sha256)? {
        None
    } else {
        match parse_file(path, &hashed) {
            Ok(raw) => Some((raw, hashed.size)),
            Err(e) => return Ok(Replaced::Failed(e)),
        }
    };
    store.begin()?;
    let done = (|| -> Result<Replaced> {
        let chemin = path.display().to_string();
        let retired = store.retire(&file, &chemin, &sha256)?;
        let report = match &raw {
            Some((raw, size)) => match load_raw(store, raw, opts, *size)? {
                FileOutcome::Loaded(report) => match strict_refusal(opts, path, &report) {
                    Some(refusal) => return Ok(Replaced::Failed(refusal)),
                    None => Some(report),
                },
                FileOutcome::Failed(e) => return Ok(Replaced::Failed(e)),
                FileOutcome::AlreadyLoaded => None,
            },
            None => None,
        };
        let settled = store.settle_freed(&sha256)?;
        Ok(Replaced::Done {
            retired_file: file.clone(),
            retired,
            report,
            settled,
        })
    })();
    match done {
        Ok(done @ Replaced::Done { .. }) => {
            store.commit()?;
            Ok(done)
        }
        Ok(other) => {
            store.rollback();
            Ok(other)
        }
        // A later chunk of a big CSV that cannot be split fails the correction only.
        Err(e @ Error::Unreadable { .. }) => {
            store.rollback();
            Ok(Replaced::Failed(e))
        }
        Err(e) => {
            store.rollback();
            Err(e)
        }
    }
}
