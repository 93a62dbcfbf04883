//! `ndrc-stats run`: the whole pipeline on a set of exports: load, then write the reports.

use std::io::Write;

use super::{print, say, Status};
use crate::cli::RunArgs;
use crate::error::Result;
use crate::report::xlsx::write_workbook;

/// Runs `run`.
///
/// # Errors
/// As `ingest`, plus [`crate::error::Error::Output`] when a report cannot be written.
pub fn run(args: &RunArgs, out: &mut impl Write) -> Result<Status> {
    let sortie = super::sortie(args.csv, args.pseudonymise.as_deref())?;
    let store = super::ingest::open_store(&args.load)?;
    let totals = super::ingest::load_into(&store, &args.load, &args.paths, out)?;
    super::ingest::print_table_counts(&store, out)?;
    let rejets = crate::report::rejets::write_rejets(&store, &args.out, &sortie)?;
    print(out, &rejets);
    let results = crate::report::resultats::write_results(&store, &args.out, None, &sortie)?;
    print(out, &results);
    let regulation =
        crate::regulation::Regulation::load(std::path::Path::new(super::results::REGULATION_PATH))?;
    let pseudonymised = sortie.pseudonymes.is_some();
    if pseudonymised {
        let removed = crate::report::pseudonymes::remove_nominative(&args.out)?;
        say(
            out,
            &format!(
                "pseudonymisé : ni procès-verbal, ni relevés, ni livret (documents nominatifs) ; \
                 {removed} écrit(s) par une exécution précédente retiré(s) de {}",
                args.out.display()
            ),
        );
    } else {
        print(
            out,
            &crate::report::jury::write_jury_documents(&store, &args.out, None)?,
        );
    }
    let harmonisation = crate::report::harmonisation::write_harmonisation(
        &store,
        &regulation,
        &args.out,
        &crate::report::harmonisation::Scope::default(),
        &sortie,
    )?;
    print(out, &harmonisation);
    let rates =
        crate::report::reussite::write_rates(&store, &regulation, &args.out, false, &sortie)?;
    print(out, &rates);
    // The workbook's sheets: rejets, results, rates, then harmonisation.
    let tables: Vec<_> = [rejets, results, rates, harmonisation]
        .into_iter()
        .flat_map(|w| w.tables)
        .collect();
    let (workbook, sheets) =
        write_workbook(&store, &args.out, &tables, sortie.pseudonymes.as_ref())?;
    let rows: usize = sheets.iter().map(|(_, n)| n).sum();
    say(
        out,
        &format!(
            "écrit {} ({} feuilles, {rows} lignes : les mêmes tableaux que les CSV)",
            workbook.display(),
            sheets.len()
        ),
    );
    if !pseudonymised {
        let (livret, _) = crate::report::livret::write_livret(
            &store,
            &crate::report::livret::LivretFilter::default(),
            &args.out,
            args.csv,
        )?;
        print(out, &livret);
    }
    let linked = crate::report::index::write_index(&store, &args.out, pseudonymised)?;
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
