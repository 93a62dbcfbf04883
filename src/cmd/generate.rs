//! `ndrc-stats generate`: writes realistic synthetic exports of one academy, or with `--variantes`
//! the same exports through many layouts, one sub-folder per variant.

use std::io::Write;

use super::{say, Status};
use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use crate::generate::{self, GenerateOptions};

/// Runs the generator and prints the files written.
///
/// # Errors
/// [`Error::Usage`] for no session or no candidate, [`Error::Output`] when a file cannot be written.
pub fn run(args: &GenerateArgs, out: &mut impl Write) -> Result<Status> {
    if args.sessions.is_empty() || args.candidats == 0 {
        return Err(Error::Usage(
            "generate : il faut au moins une session et un candidat".into(),
        ));
    }
    if let Some(bad) = args.sessions.iter().find(|y| !(2000..=2099).contains(*y)) {
        return Err(Error::Usage(format!("generate : session invalide {bad}")));
    }
    let opts = GenerateOptions {
        out: args.out.clone(),
        seed: args.seed,
        candidats: args.candidats,
        sessions: args.sessions.clone(),
    };
    let summary = if args.variantes {
        generate::run_variantes(&opts)?
    } else {
        generate::run(&opts)?
    };
    for f in &summary.files {
        say(out, &format!("écrit {}", f.display()));
    }
    say(
        out,
        &format!(
            "{} fichiers, {} candidats, {} notes (graine {})",
            summary.files.len(),
            summary.candidats,
            summary.notes,
            args.seed
        ),
    );
    Ok(Status::Done)
}
