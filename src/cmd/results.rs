//! `ndrc-stats results`: computes averages and decisions from the loaded grades by the exam
//! regulation (data/regulation/ndrc.toml) and writes the jury's reports: resultats.csv,
//! jury/a_examiner.csv, the printable minutes and relevés of each session (jury/pv_<session>.html,
//! jury/releves_<session>.html), hors_reglement.csv (candidates of another diploma, left out),
//! statistiques_epreuves.csv and the distribution charts under plots/.

use std::io::Write;

use super::Status;
use crate::cli::ResultsArgs;
use crate::error::Result;

pub use crate::regulation::REGULATION_PATH;

/// Runs `results` on an existing database.
///
/// # Errors
/// [`Error::Usage`] for a missing database or a bad `--session`; [`Error::Config`] for a bad
/// regulation file; [`Error::Store`], [`Error::Output`].
pub fn run(args: &ResultsArgs, out: &mut impl Write) -> Result<Status> {
    super::check_session(args.session)?;
    let sortie = super::sortie(args.csv, args.pseudonymise.as_deref())?;
    if args.jury && sortie.pseudonymes.is_some() {
        return Err(crate::error::Error::Usage(
            "--jury et --pseudonymise ensemble : le procès-verbal et les relevés sont nominatifs"
                .into(),
        ));
    }
    let store = super::open_existing_store(&args.db)?;
    let written =
        crate::report::resultats::write_results(&store, &args.out, args.session, &sortie)?;
    super::print(out, &written);
    if args.jury {
        let jury = crate::report::jury::write_jury_documents(&store, &args.out, args.session)?;
        super::print(out, &jury);
    }
    Ok(Status::Done)
}
