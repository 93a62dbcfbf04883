//! `ndrc-stats livret`: the livret scolaire statistics of every class of the exam year (DOMAIN.md
//! section 5): under `livret/<session>/<uai>/<classe>/`, profil.csv, cotation.csv, one chart per
//! student (`<candidat>.svg` and `.png`) and the printable classe.html;
//! `livret/<session>/signalements.csv` lists the missing semesters and the classes without year-2
//! data, never guessed. What a run writes replaces what an earlier run wrote there: the session's
//! folder (or, with `--uai`/`--classe`, each class folder written) is emptied first, so that no
//! chart of a student who left the class stays behind.

use std::io::Write;
use std::path::Path;

use super::Status;
use crate::cli::LivretArgs;
use crate::compute::compute_results;
use crate::error::{Error, Result};
use crate::regulation::Regulation;

/// Runs `livret` on an existing database.
///
/// # Errors
/// [`Error::Usage`] for a missing database, a bad `--session` or a filter that matches no class;
/// [`Error::Config`], [`Error::Store`], [`Error::Output`].
pub fn run(args: &LivretArgs, out: &mut impl Write) -> Result<Status> {
    super::check_session(args.session)?;
    let store = super::open_existing_store(&args.db)?;
    let regulation = Regulation::load(Path::new(super::results::REGULATION_PATH))?;
    compute_results(&store, &regulation)?;
    let filter = crate::report::livret::LivretFilter {
        session: args.session,
        uai: args.uai.clone(),
        classe: args.classe.clone(),
    };
    let (written, classes) =
        crate::report::livret::write_livret(&store, &filter, &args.out, args.csv)?;
    super::print(out, &written);
    if classes == 0 && (filter.uai.is_some() || filter.classe.is_some()) {
        return Err(Error::Usage(
            "aucune classe du livret ne correspond à --uai / --classe".into(),
        ));
    }
    Ok(Status::Done)
}
