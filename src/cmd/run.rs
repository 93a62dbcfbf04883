//! `ndrc-stats run`: the whole pipeline on a set of exports: load, then write the reports.

use std::io::Write;

use super::{say, Status};
use crate::cli::RunArgs;
use crate::error::Result;
use crate::report::csv::write_query;
use crate::report::xlsx::{write_workbook, Table};
use crate::store::Store;

/// The rejets report: every rejected value, row, sheet and conflict, with its place.
const REJETS_SQL: &str = "\
SELECT s.chemin AS source, r.feuille, r.ligne, r.colonne, r.valeur, r.code, r.motif
FROM rejets AS r
LEFT JOIN (SELECT DISTINCT source_id, chemin FROM sources) AS s USING (source_id)
ORDER BY s.chemin, r.feuille NULLS FIRST, r.ligne, r.colonne, r.code";

/// Runs `run`.
///
/// # Errors
/// As `ingest`, plus [`crate::error::Error::Output`] when a report cannot be written.
pub fn run(args: &RunArgs, out: &mut impl Write) -> Result<Status> {
    let store = Store::open(&args.load.db)?;
    let totals = super::ingest::load_into(&store, &args.load, &args.paths, out)?;
    super::ingest::print_table_counts(&store, out)?;
    let path = args.out.join("rejets.csv");
    let n = write_query(
        store.connection(),
        store.path(),
        REJETS_SQL,
        &path,
        args.csv,
    )?;
    say(out, &format!("écrit {} ({n} rejets)", path.display()));
    let mut tables = vec![Table {
        fichier: "rejets.csv".into(),
        sql: REJETS_SQL.to_string(),
    }];
    tables.extend(super::results::write_results(
        &store, &args.out, None, args.csv, out,
    )?);
    let regulation =
        crate::regulation::Regulation::load(std::path::Path::new(super::results::REGULATION_PATH))?;
    let harmonisation = super::harmonize::write_harmonisation(
        &store,
        &regulation,
        &args.out,
        &super::harmonize::Scope::default(),
        args.csv,
        out,
    )?;
    tables.extend(super::rates::write_rates(
        &store,
        &regulation,
        &args.out,
        false,
        args.csv,
        out,
    )?);
    tables.extend(harmonisation);
    let (workbook, sheets) = write_workbook(&store, &args.out, &tables)?;
    let rows: usize = sheets.iter().map(|(_, n)| n).sum();
    say(
        out,
        &format!(
            "écrit {} ({} feuilles, {rows} lignes : les mêmes tableaux que les CSV)",
            workbook.display(),
            sheets.len()
        ),
    );
    super::livret::write_livret(
        &store,
        &super::livret::LivretFilter::default(),
        &args.out,
        args.csv,
        out,
    )?;
    let linked = crate::report::index::write_index(&store, &args.out)?;
    say(
        out,
        &format!(
            "écrit {} ({linked} tableaux et graphiques liés)",
            args.out.join("index.html").display()
        ),
    );
    Ok(if totals.en_erreur > 0 {
        Status::FilesFailed
    } else {
        Status::Done
    })
}
