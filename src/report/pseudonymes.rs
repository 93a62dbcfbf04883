//! Keyed pseudonyms of the reports (`--pseudonymise CLÉ`): in every table written (CSV and
//! workbook), each cell of a column that identifies a candidate (`candidat`, `ine`, `nom`,
//! `prenom`, `date_naissance`) is replaced by an HMAC-SHA-256 pseudonym of its value, keyed by
//! the given key: the same key gives the same pseudonyms from one run to the next (a candidate
//! can be followed across reports and sessions), and without the key a pseudonym cannot be traced
//! back to its value nor recomputed from a guess. A name's pseudonym is also keyed by the row's
//! candidate number, so that two candidates of the same name get different ones.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};

/// The columns replaced, each with the prefix of its pseudonyms.
const IDENTIFIANTS: [(&str, &str); 5] = [
    ("candidat", "C-"),
    ("ine", "I-"),
    ("nom", "N-"),
    ("prenom", "P-"),
    ("date_naissance", "D-"),
];

/// Hexadecimal digits kept of each HMAC (64 bits: no two candidates of a nation share one).
const HEX_DIGITS: usize = 16;

/// The key of the pseudonyms.
#[derive(Clone)]
pub struct Pseudonymes {
    key: Vec<u8>,
}

impl std::fmt::Debug for Pseudonymes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is never printed.
        f.write_str("Pseudonymes(clé masquée)")
    }
}

impl Pseudonymes {
    /// The pseudonyms of `key` (the text given to `--pseudonymise`).
    ///
    /// # Errors
    /// [`Error::Usage`] for a key shorter than 12 characters (a short key can be guessed, and
    /// with it every pseudonym).
    pub fn new(key: &str) -> Result<Pseudonymes> {
        if key.chars().count() < 12 {
            return Err(Error::Usage(
                "--pseudonymise : clé de 12 caractères au moins attendue (une clé courte se \
                 devine, et avec elle chaque pseudonyme)"
                    .into(),
            ));
        }
        Ok(Pseudonymes {
            key: key.as_bytes().to_vec(),
        })
    }

    /// The pseudonym of `value` in `column` (one of the identifying columns), on the row of
    /// candidate `candidat`.
    pub fn pseudonym(&self, column: &str, candidat: Option<&str>, value: &str) -> String {
        let prefix = IDENTIFIANTS
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("X-", |(_, p)| *p);
        // HMAC takes a key of any length: this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return format!("{prefix}?");
        };
        mac.update(column.as_bytes());
        mac.update(&[0x1f]);
        if column != "candidat" {
            mac.update(candidat.unwrap_or_default().as_bytes());
        }
        mac.update(&[0x1f]);
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        let hex = crate::ingest::read::hex(&digest);
        format!("{prefix}{}", &hex[..HEX_DIGITS])
    }

    /// `batch` with every identifying column replaced by its pseudonyms (as text; an empty cell
    /// stays empty).
    ///
    /// # Errors
    /// [`Error::Internal`] when Arrow cannot format a cell.
    pub fn apply(&self, batch: RecordBatch) -> Result<RecordBatch> {
        let schema = batch.schema();
        let replaced: Vec<usize> = schema
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| IDENTIFIANTS.iter().any(|(c, _)| c == f.name()))
            .map(|(i, _)| i)
            .collect();
        if replaced.is_empty() {
            return Ok(batch);
        }
        let options = FormatOptions::default().with_null("");
        let text = |i: usize| -> Result<Vec<Option<String>>> {
            let array = batch.column(i);
            let f = ArrayFormatter::try_new(array.as_ref(), &options)
                .map_err(|e| Error::Internal(format!("pseudonymes : {e}")))?;
            Ok((0..array.len())
                .map(|r| (!array.is_null(r)).then(|| f.value(r).to_string()))
                .collect())
        };
        let candidats = match schema.index_of("candidat") {
            Ok(i) => text(i)?,
            Err(_) => vec![None; batch.num_rows()],
        };
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        for i in replaced {
            let name = fields[i].name().clone();
            let values = text(i)?;
            let pseudonyms: StringArray = values
                .iter()
                .zip(&candidats)
                .map(|(v, c)| {
                    v.as_deref()
                        .filter(|v| !v.is_empty())
                        .map(|v| self.pseudonym(&name, c.as_deref(), v))
                })
                .collect();
            columns[i] = Arc::new(pseudonyms);
            fields[i] = Field::new(name, DataType::Utf8, true);
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .map_err(|e| Error::Internal(format!("pseudonymes : {e}")))
    }
}

/// Removes from `out` the nominative documents an earlier run wrote there (the jury's minutes
/// and relevés `jury/pv_*.html`, `jury/releves_*/`, and `livret/`), so that a pseudonymised
/// folder holds no name; returns how many files and folders were removed.
///
/// # Errors
/// [`Error::Output`] naming what could not be removed.
pub fn remove_nominative(out: &std::path::Path) -> Result<usize> {
    let mut removed = 0;
    let remove = |path: std::path::PathBuf| -> Result<()> {
        let done = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        done.map_err(|source| Error::Output { path, source })
    };
    if out.join("livret").exists() {
        remove(out.join("livret"))?;
        removed += 1;
    }
    if let Ok(entries) = std::fs::read_dir(out.join("jury")) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("pv_")
                || name.starts_with("releves_")
                || name.starts_with("explications_")
            {
                remove(entry.path())?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_key_and_differ_between_keys_and_homonyms() {
        let a = Pseudonymes::new("une clé assez longue").unwrap();
        let b = Pseudonymes::new("une autre clé longue").unwrap();
        let p = a.pseudonym("candidat", None, "0240000011");
        assert_eq!(p, a.pseudonym("candidat", None, "0240000011"));
        assert!(p.starts_with("C-") && p.len() == 2 + HEX_DIGITS, "{p}");
        assert_ne!(p, b.pseudonym("candidat", None, "0240000011"));
        assert_ne!(p, a.pseudonym("candidat", None, "0240000012"));
        // Two MARTIN are two candidates.
        assert_ne!(
            a.pseudonym("nom", Some("0240000011"), "MARTIN"),
            a.pseudonym("nom", Some("0240000012"), "MARTIN")
        );
        assert!(Pseudonymes::new("court").is_err());
        assert!(!format!("{a:?}").contains("longue"));
    }

    #[test]
    fn only_identifying_columns_are_replaced() {
        let a = Pseudonymes::new("une clé assez longue").unwrap();
        let schema = Arc::new(Schema::new(vec![
            Field::new("candidat", DataType::Utf8, true),
            Field::new("nom", DataType::Utf8, true),
            Field::new("moyenne", DataType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec![Some("0240000011"), None])),
                Arc::new(StringArray::from(vec![Some("DURAND"), Some("")])),
                Arc::new(StringArray::from(vec![Some("12.50"), Some("9.00")])),
            ],
        )
        .unwrap();
        let out = a.apply(batch).unwrap();
        let col = |i: usize| {
            out.column(i)
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .iter()
                .map(|v| v.map(str::to_string))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            col(0),
            [Some(a.pseudonym("candidat", None, "0240000011")), None]
        );
        assert_eq!(
            col(1),
            [Some(a.pseudonym("nom", Some("0240000011"), "DURAND")), None]
        );
        assert_eq!(col(2), [Some("12.50".into()), Some("9.00".into())]);
    }
}
