//! `notes_nationales.csv`: every session's grades in one long file, one row per candidate and
//! exam, as the national application extracts them: Windows-1252, `;`, CRLF, decimal comma, the
//! status code in a column of its own (the grade then empty).
//!
//! Streams: the writer is opened once, each academy-session's rows are appended and the
//! candidates dropped. An exam the candidate is not registered to (the optional LV2) has no row;
//! a missing grade is a row with neither grade nor code.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::super::model::Epreuve;
use super::candidat::{CandidatNational, Cellule};
use crate::error::{Error, Result};

/// The file name under `--out`.
pub(crate) const FICHIER: &str = "notes_nationales.csv";

/// The header, exactly.
pub(crate) const ENTETE: &str =
    "Session;Académie;N° candidat;Nom;Prénom;Sexe;Voie;UAI;Classe;Spécialité;Epreuve;Note;Statut";

/// The long CSV being written.
pub(crate) struct LongCsv {
    path: PathBuf,
    out: BufWriter<File>,
    ligne: String,
    /// Data rows written so far.
    pub lignes: u64,
}

impl LongCsv {
    /// Creates the file and writes the header.
    ///
    /// # Errors
    /// [`Error::Output`] when the file cannot be created or written.
    pub(crate) fn create(path: &Path) -> Result<LongCsv> {
        let file = File::create(path).map_err(|source| Error::Output {
            path: path.to_path_buf(),
            source,
        })?;
        let mut csv = LongCsv {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, file),
            ligne: String::with_capacity(256),
            lignes: 0,
        };
        csv.ligne.push_str(ENTETE);
        csv.ligne.push_str("\r\n");
        csv.flush_line()?;
        Ok(csv)
    }

    /// Appends the rows of one academy-session.
    ///
    /// # Errors
    /// [`Error::Output`] on a write failure; [`Error::Internal`] for a character Windows-1252
    /// cannot encode (the name lists are checked never to have one).
    pub(crate) fn append(
        &mut self,
        session: i32,
        academie: &str,
        candidats: &[CandidatNational],
    ) -> Result<()> {
        let annee = session.to_string();
        for c in candidats {
            for (epreuve, cellule) in Epreuve::TOUTES.iter().zip(&c.cellules) {
                let (note, statut) = match cellule {
                    Cellule::NonInscrit => continue,
                    Cellule::Note(n) => (n.comma_short(), ""),
                    Cellule::Code(code) => (String::new(), code.code()),
                    Cellule::Vide => (String::new(), ""),
                };
                let l = &mut self.ligne;
                l.clear();
                let champs: [&str; 12] = [
                    &annee,
                    academie,
                    &c.numero,
                    c.nom,
                    c.prenom,
                    if c.sexe == 'F' { "F" } else { "M" },
                    c.voie.libelle(),
                    &c.uai,
                    c.classe,
                    c.specialite,
                    epreuve.code(),
                    &note,
                ];
                for champ in champs {
                    l.push_str(champ);
                    l.push(';');
                }
                l.push_str(statut);
                l.push_str("\r\n");
                self.flush_line()?;
                self.lignes += 1;
            }
        }
        Ok(())
    }

    fn flush_line(&mut self) -> Result<()> {
        let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&self.ligne);
        if lossy {
            return Err(Error::Internal(format!(
                "{} : caractère hors de Windows-1252 dans « {} »",
                FICHIER,
                self.ligne.trim_end()
            )));
        }
        self.out.write_all(&bytes).map_err(|source| Error::Output {
            path: self.path.clone(),
            source,
        })
    }

    /// Flushes and closes the file.
    ///
    /// # Errors
    /// [`Error::Output`] when the last bytes cannot be written.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.out.flush().map_err(|source| Error::Output {
            path: self.path.clone(),
            source,
        })
    }
}
