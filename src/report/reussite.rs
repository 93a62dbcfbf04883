//! The rates report job (`rates`, `run`): success rates per session and breakdown (academy, school,
//! section, route, sex, all) with their 95 % Wilson interval, their evolution over the last
//! sessions, the charts, and with `--publish` the table that respects statistical secrecy.
//!
//! Writes reussite.csv, reussite_evolution.csv, plots/reussite_etablissements.{svg,png},
//! plots/reussite_voies.{svg,png} and, with `--publish`, reussite_publiable.csv.

use std::path::Path;

use super::csv::{escape, Dialect};
use super::plots::rates::{read_rates, write_rates_chart};
use super::secret::{apply_secrecy, Cellule, Secret};
use super::texts::comma;
use super::{Table, Written};
use crate::error::Result;
use crate::regulation::Regulation;
use crate::store::Store;

/// The reussite.csv query over the view of `queries/95_rapports.sql`.
const REUSSITE_SQL: &str = "SELECT * EXCLUDE (ordre_niveau) FROM rapport_reussite \
ORDER BY session, ordre_niveau, cle";

/// The reussite_evolution.csv query over the view of `queries/95_rapports.sql`.
const EVOLUTION_SQL: &str = "SELECT * EXCLUDE (ordre_niveau) FROM rapport_reussite_evolution \
ORDER BY ordre_niveau, cle, session";

/// The marker written instead of a suppressed number (never 0).
pub const SECRET: &str = "secret";

/// Writes the rate reports under `dir` from the computed tables (run
/// [`crate::compute::compute_results`] first); returns what it wrote.
///
/// # Errors
/// [`crate::error::Error::Store`], [`crate::error::Error::Output`].
pub fn write_rates(
    store: &Store,
    regulation: &Regulation,
    dir: &Path,
    publish: bool,
    sortie: &super::Sortie,
) -> Result<Written> {
    let mut written = Written::default();
    for (name, sql, what) in [
        ("reussite.csv", REUSSITE_SQL, "taux"),
        (
            "reussite_evolution.csv",
            EVOLUTION_SQL,
            "lignes d'évolution",
        ),
    ] {
        written.table(store, dir, sortie, Table::new(name, sql, Vec::new()), what)?;
    }
    let plots = dir.join("plots");
    for (niveau, stem, title) in [
        (
            "uai",
            "reussite_etablissements",
            "Taux de réussite par établissement (intervalles à 95 %)",
        ),
        (
            "voie",
            "reussite_voies",
            "Taux de réussite par voie (intervalles à 95 %)",
        ),
    ] {
        let rates = read_rates(store, niveau)?;
        if rates.is_empty() {
            continue;
        }
        write_rates_chart(&rates, title, &plots, stem)?;
        written.say(format!("écrit {}.svg et .png", plots.join(stem).display()));
    }
    if publish {
        let path = dir.join("reussite_publiable.csv");
        let (rows, hidden) = write_publishable(
            store,
            regulation.reussite.secret_presents_minimum,
            &path,
            sortie.dialect,
        )?;
        written.say(format!(
            "écrit {} ({rows} cases, {hidden} masquées par le secret statistique, seuil {} présents)",
            path.display(),
            regulation.reussite.secret_presents_minimum
        ));
    }
    overall(store, regulation, &mut written)?;
    Ok(written)
}

/// One row of reussite, as read for publication.
struct Row {
    session: i32,
    cellule: Cellule,
    admis: i64,
    taux: String,
    ic_bas: String,
    ic_haut: String,
}

/// Writes reussite_publiable.csv; returns the rows written and how many are suppressed.
fn write_publishable(
    store: &Store,
    minimum: u32,
    path: &Path,
    dialect: Dialect,
) -> Result<(usize, usize)> {
    let rows: Vec<Row> = store.rows(
        "SELECT session, niveau, cle, academie, uai, voie, presents, admis,
                CAST(taux AS VARCHAR), CAST(ic_bas AS VARCHAR), CAST(ic_haut AS VARCHAR)
         FROM reussite ORDER BY session, ordre_niveau, cle",
        [],
        "lecture de reussite pour la publication",
        |r| {
            Ok(Row {
                session: r.get(0)?,
                cellule: Cellule {
                    niveau: r.get(1)?,
                    cle: r.get(2)?,
                    academie: r.get(3)?,
                    uai: r.get(4)?,
                    voie: r.get(5)?,
                    presents: r.get(6)?,
                },
                admis: r.get(7)?,
                taux: r.get(8)?,
                ic_bas: r.get(9)?,
                ic_haut: r.get(10)?,
            })
        },
    )?;
    let (sep, decimal): (char, fn(&str) -> String) = match dialect {
        Dialect::Francais => (';', comma),
        Dialect::Standard => (',', str::to_string),
    };
    let mut text = String::new();
    if dialect == Dialect::Francais {
        text.push('\u{feff}');
    }
    text += &[
        "session", "niveau", "cle", "presents", "admis", "taux", "ic_bas", "ic_haut", "secret",
    ]
    .join(&sep.to_string());
    text += "\r\n";
    let mut hidden = 0;
    for session_rows in rows.chunk_by(|a, b| a.session == b.session) {
        let cells: Vec<Cellule> = session_rows.iter().map(|r| r.cellule.clone()).collect();
        let secret = apply_secrecy(&cells, minimum);
        for (r, s) in session_rows.iter().zip(&secret) {
            let numbers: [String; 5] = if s.is_suppressed() {
                hidden += 1;
                [SECRET; 5].map(String::from)
            } else {
                [
                    r.cellule.presents.to_string(),
                    r.admis.to_string(),
                    decimal(&r.taux),
                    decimal(&r.ic_bas),
                    decimal(&r.ic_haut),
                ]
            };
            let mut cells = vec![
                r.session.to_string(),
                escape(&r.cellule.niveau, sep),
                escape(&crate::report::csv::neutralise(&r.cellule.cle), sep),
            ];
            cells.extend(numbers);
            cells.push(Secret::libelle(*s).to_string());
            text += &cells.join(&sep.to_string());
            text += "\r\n";
        }
    }
    super::atomic::write_bytes(path, text)?;
    Ok((rows.len(), hidden))
}

/// Says each session's overall rate, or that no candidate of the diploma sat an exam.
fn overall(store: &Store, regulation: &Regulation, written: &mut Written) -> Result<()> {
    let rows = store.rows(
        "SELECT session, presents, admis, taux, ic_bas, ic_haut FROM rapport_taux_ensemble \
         ORDER BY session",
        [],
        "lecture du taux d'ensemble",
        |r| {
            Ok(format!(
                "session {} : {} présents, {} admis, taux {} % [{} ; {}]",
                r.get::<_, i32>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?
            ))
        },
    )?;
    if rows.is_empty() {
        written.say(format!(
            "taux : aucun candidat présent du {} dans la base",
            regulation.diplome.intitule
        ));
    }
    written.lignes.extend(rows);
    Ok(())
}
