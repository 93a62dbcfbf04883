//! `ndrc-stats results`: computes averages and decisions from the loaded grades by the exam
//! regulation (data/regulation/ndrc.toml) and writes the jury's reports: resultats.csv,
//! jury/a_examiner.csv, the printable minutes and relevés of each session (jury/pv_<session>.html,
//! jury/releves_<session>.html), hors_reglement.csv (candidates of another diploma, left out),
//! statistiques_epreuves.csv and the distribution charts under plots/.

use std::io::Write;
use std::path::Path;

use super::{say, Status};
use crate::cli::ResultsArgs;
use crate::compute::compute_results;
use crate::error::{Error, Result};
use crate::regulation::Regulation;
use crate::report::csv::{write_query, Dialect};
use crate::report::jury::write_jury_documents;
use crate::report::plots::distribution::{read_distributions, write_distributions};
use crate::report::resultats::resultats_sql;
use crate::report::xlsx::Table;
use crate::store::Store;

/// Where the regulation is read from, relative to the working directory (else the embedded copy).
pub const REGULATION_PATH: &str = "data/regulation/ndrc.toml";

/// Runs `results` on an existing database.
///
/// # Errors
/// [`Error::Usage`] for a missing database or a bad `--session`; [`Error::Config`] for a bad
/// regulation file; [`Error::Store`], [`Error::Output`].
pub fn run(args: &ResultsArgs, out: &mut impl Write) -> Result<Status> {
    super::check_session(args.session)?;
    let store = super::open_existing_store(&args.db)?;
    write_results(&store, &args.out, args.session, args.csv, out)?;
    Ok(Status::Done)
}

/// Computes the results and writes every results report under `dir`, printing each file;
/// returns the tables written as CSV (for the workbook).
///
/// # Errors
/// [`Error::Config`] for a bad regulation file, [`Error::Store`], [`Error::Output`].
pub fn write_results(
    store: &Store,
    dir: &Path,
    session: Option<i32>,
    dialect: Dialect,
    out: &mut impl Write,
) -> Result<Vec<Table>> {
    let regulation = Regulation::load(Path::new(REGULATION_PATH))?;
    compute_results(store, &regulation)?;
    let filter = match session {
        Some(y) => format!("WHERE session = {y}"),
        None => String::new(),
    };
    let reports = [
        (
            "resultats.csv",
            resultats_sql(&regulation, &filter),
            "candidats",
        ),
        (
            "jury/a_examiner.csv",
            format!("SELECT * FROM a_examiner {filter} ORDER BY session, candidat"),
            "candidats à examiner",
        ),
        (
            "hors_reglement.csv",
            format!("SELECT * FROM hors_reglement {filter} ORDER BY session, candidat"),
            "candidats d'un autre diplôme",
        ),
        (
            "statistiques_epreuves.csv",
            format!(
                "SELECT * EXCLUDE (ordre) FROM statistiques_epreuves {filter} \
                 ORDER BY session, ordre NULLS LAST, epreuve"
            ),
            "épreuves",
        ),
    ];
    let mut tables = Vec::new();
    for (name, sql, what) in reports {
        let start = std::time::Instant::now();
        let path = dir.join(name);
        let n = write_query(store.connection(), store.path(), &sql, &path, dialect)?;
        say(out, &format!("écrit {} ({n} {what})", path.display()));
        crate::chrono::since(name, start);
        tables.push(Table {
            fichier: name.into(),
            sql,
        });
    }
    let start = std::time::Instant::now();
    let dists = read_distributions(store.connection(), store.path(), session)?;
    let plots = write_distributions(&dists, &dir.join("plots"))?;
    crate::chrono::since("plots", start);
    say(
        out,
        &format!(
            "écrit {} ({} graphiques de répartition des notes, PNG et SVG)",
            dir.join("plots").display(),
            plots.len()
        ),
    );
    for (path, n) in write_jury_documents(store, &regulation, dir)? {
        say(out, &format!("écrit {} ({n} candidats)", path.display()));
    }
    print_out_of_scope(store, &regulation, &filter, out)?;
    print_decision_counts(store, &filter, out)?;
    Ok(tables)
}

/// Warns, when some loaded candidates are of another diploma, how many were left out and why.
fn print_out_of_scope(
    store: &Store,
    regulation: &Regulation,
    filter: &str,
    out: &mut impl Write,
) -> Result<()> {
    let n = store.count(&format!("SELECT count(*) FROM hors_reglement {filter}"))?;
    if n > 0 {
        say(
            out,
            &format!(
                "attention : {n} candidat{s} d'un autre diplôme que le {} (spécialité ou épreuves) : \
                 chargé{s}, listé{s} dans hors_reglement.csv, hors des résultats, des taux et de \
                 l'harmonisation",
                regulation.diplome.intitule,
                s = if n > 1 { "s" } else { "" }
            ),
        );
    }
    Ok(())
}

/// Prints, per session, how many candidates got each final decision.
fn print_decision_counts(store: &Store, filter: &str, out: &mut impl Write) -> Result<()> {
    let err = |source| Error::Store {
        db: store.path().to_path_buf(),
        context: "décompte des décisions".into(),
        source,
    };
    let sql = format!(
        "SELECT session, CAST(sum(n) AS BIGINT), string_agg(decision_finale || ' ' || n, ', ' ORDER BY decision_finale)
         FROM (SELECT session, decision_finale, count(*) AS n FROM decisions {filter} GROUP BY ALL)
         GROUP BY session ORDER BY session"
    );
    let mut stmt = store.connection().prepare(&sql).map_err(err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i32>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(err)?;
    for row in rows {
        let (session, decisions, detail) = row.map_err(err)?;
        say(
            out,
            &format!("session {session} : {decisions} décisions (après jury) : {detail}"),
        );
    }
    Ok(())
}
