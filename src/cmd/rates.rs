//! `ndrc-stats rates`: success rates per session and breakdown (academy, school, section, route,
//! sex, all) with their 95 % Wilson interval, their evolution over the last sessions, the charts,
//! and with `--publish` the table that respects statistical secrecy.
//!
//! Writes reussite.csv, reussite_evolution.csv, plots/reussite_etablissements.{svg,png},
//! plots/reussite_voies.{svg,png} and, with `--publish`, reussite_publiable.csv.

use std::io::Write;
use std::path::Path;

use super::Status;
use crate::cli::RatesArgs;
use crate::compute::compute_results;
use crate::error::Result;
use crate::regulation::Regulation;

/// Runs `rates` on an existing database.
///
/// # Errors
/// [`Error::Usage`] for a missing database; [`Error::Config`], [`Error::Store`], [`Error::Output`].
pub fn run(args: &RatesArgs, out: &mut impl Write) -> Result<Status> {
    let store = super::open_existing_store(&args.db)?;
    let regulation = Regulation::load(Path::new(super::results::REGULATION_PATH))?;
    compute_results(&store, &regulation)?;
    let written = crate::report::reussite::write_rates(
        &store,
        &regulation,
        &args.out,
        args.publish,
        &super::sortie(args.csv, args.pseudonymise.as_deref())?,
    )?;
    super::print(out, &written);
    Ok(Status::Done)
}
