//! `ndrc-stats sources`: the loaded files, one line per sheet: id, path (and sheet), SHA-256,
//! layout, rows read, accepted and rejected, rejets, loaded at (the view `rapport_sources`).

use std::io::Write;

use super::{say, Status};
use crate::cli::SourcesArgs;
use crate::error::Result;

/// One sheet of the list.
struct Sheet {
    id: i32,
    chemin: String,
    feuille: Option<String>,
    sha256: String,
    gabarit: String,
    lignes: (i32, i32, i32),
    rejets: i64,
    charge_le: String,
}

/// Runs `sources` on an existing database.
///
/// # Errors
/// [`crate::error::Error::Usage`] for a missing database, [`crate::error::Error::Store`].
pub fn run(args: &SourcesArgs, out: &mut impl Write) -> Result<Status> {
    let store = super::open_existing_store(&args.db)?;
    let sheets = store.rows(
        "SELECT source_id, chemin, feuille, sha256, gabarit, lignes_lues, lignes_acceptees, \
         lignes_rejetees, rejets, strftime(charge_le, '%d/%m/%Y %H:%M:%S') \
         FROM rapport_sources ORDER BY source_id",
        [],
        "liste des sources",
        |r| {
            Ok(Sheet {
                id: r.get(0)?,
                chemin: r.get(1)?,
                feuille: r.get(2)?,
                sha256: r.get(3)?,
                gabarit: r.get(4)?,
                lignes: (r.get(5)?, r.get(6)?, r.get(7)?),
                rejets: r.get(8)?,
                charge_le: r.get(9)?,
            })
        },
    )?;
    if sheets.is_empty() {
        say(
            out,
            &format!("{} : aucun fichier chargé", args.db.display()),
        );
        print_replacements(&store, out)?;
        return Ok(Status::Done);
    }
    let files = sheets
        .iter()
        .map(|s| &s.sha256)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    say(
        out,
        &format!(
            "{} : {files} fichier(s), {} feuille(s) chargée(s)",
            args.db.display(),
            sheets.len()
        ),
    );
    say(
        out,
        "id\tfichier\tfeuille\tSHA-256\tgabarit\tlignes lues\tacceptées\trejetées\trejets\tchargé le (UTC)",
    );
    for s in &sheets {
        say(
            out,
            &format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                s.id,
                s.chemin,
                s.feuille.as_deref().unwrap_or("-"),
                s.sha256,
                s.gabarit,
                s.lignes.0,
                s.lignes.1,
                s.lignes.2,
                s.rejets,
                s.charge_le
            ),
        );
    }
    print_replacements(&store, out)?;
    Ok(Status::Done)
}

/// Prints the files retired by `ingest --remplace` (the view `rapport_remplacements`), if any.
///
/// # Errors
/// [`crate::error::Error::Store`].
fn print_replacements(store: &crate::store::Store, out: &mut impl Write) -> Result<()> {
    let replaced = store.rows(
        "SELECT retrait, chemin, par_chemin, feuilles, lignes_lues, \
         strftime(remplace_le, '%d/%m/%Y %H:%M:%S') FROM rapport_remplacements ORDER BY retrait",
        [],
        "liste des remplacements",
        |r| {
            Ok(format!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                r.get::<_, i32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?
            ))
        },
    )?;
    if replaced.is_empty() {
        return Ok(());
    }
    say(
        out,
        &format!(
            "{} fichier(s) remplacé(s) par une correction (ingest --remplace), gardé(s) dans les tables historique_* :",
            replaced.len()
        ),
    );
    say(
        out,
        "remplacement\tfichier retiré\tremplacé par\tfeuilles\tlignes lues\tremplacé le (UTC)",
    );
    for line in &replaced {
        say(out, line);
    }
    Ok(())
}
