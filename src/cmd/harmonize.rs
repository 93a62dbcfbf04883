//! `ndrc-stats harmonize`: examiner harmonisation reports under `<out>/harmonisation/`:
//! examinateurs.csv (raw and adjusted gaps, intervals, flags), etablissements_ccf.csv (the same
//! for the schools' CCF grades of E4 and E6), epreuves.csv (ANCOVA slope, flags expected by
//! chance, the mixed model's variances and disagreements) and impact.csv (candidates whose average or decision a correction of
//! the flagged examiners, or of the flagged schools' CCF grades, would change); when the database holds them, correcteurs_e5a.csv (the
//! agreement of the E5A corrector pairs) and grilles.csv (E5B grid levels per examiner and
//! question). The grades stored in the database never change.

use std::io::Write;
use std::path::Path;

use super::Status;
use crate::cli::HarmonizeArgs;
use crate::compute::compute_results;
use crate::error::Result;
use crate::harmonize::corrections::read_corrections;
use crate::regulation::Regulation;

/// Runs `harmonize` on an existing database.
///
/// # Errors
/// [`Error::Usage`] for a missing database or a bad `--session`; [`Error::Config`],
/// [`Error::Store`], [`Error::Output`].
pub fn run(args: &HarmonizeArgs, out: &mut impl Write) -> Result<Status> {
    super::check_session(args.session)?;
    let store = super::open_existing_store(&args.db)?;
    let regulation = Regulation::load(Path::new(super::results::REGULATION_PATH))?;
    compute_results(&store, &regulation)?;
    let corrections = args
        .corrections
        .as_deref()
        .map(read_corrections)
        .transpose()?;
    let scope = crate::report::harmonisation::Scope {
        session: args.session,
        epreuve: args.epreuve.as_deref(),
        corrections: corrections.as_deref(),
    };
    let written = crate::report::harmonisation::write_harmonisation(
        &store,
        &regulation,
        &args.out,
        &scope,
        &super::sortie(args.csv, args.pseudonymise.as_deref())?,
    )?;
    super::print(out, &written);
    Ok(Status::Done)
}
