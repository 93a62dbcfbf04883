//! `ndrc-stats generate`: writes realistic synthetic exports of one academy, with `--variantes`
//! the same exports through many layouts, one sub-folder per variant, or with `--national`
//! national-size exports of the 30 academies and the counts the results must find.

use std::io::Write;

use super::{say, Status};
use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use crate::generate::{self, GenerateOptions, NationalOptions, NationalSummary};

/// Runs the generator and prints the files written.
///
/// # Errors
/// [`Error::Usage`] for no session or no candidate, or too many, [`Error::Output`] when a file
/// cannot be written.
pub fn run(args: &GenerateArgs, out: &mut impl Write) -> Result<Status> {
    if args.national {
        let summary = generate::run_national(&NationalOptions {
            out: args.out.clone(),
            seed: args.seed,
            candidats: args.candidats,
            sessions: args.sessions.clone(),
        })?;
        print_national(&summary, args.seed, out);
        return Ok(Status::Done);
    }
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

/// The files, then one line per session with the counts the results and rates must find.
fn print_national(summary: &NationalSummary, seed: u64, out: &mut impl Write) {
    for f in &summary.files {
        say(out, &format!("écrit {}", f.display()));
    }
    for s in &summary.sessions {
        let decisions: Vec<String> = s
            .decisions
            .iter()
            .map(|(d, n)| format!("{d} {n}"))
            .collect();
        say(
            out,
            &format!(
                "session {} : {} lignes, {} candidats NDRC ({} hors règlement), {} présents, \
                 {} admis ; décisions attendues : {}",
                s.session,
                s.lignes,
                s.candidats,
                s.hors_reglement,
                s.presents,
                s.admis,
                decisions.join(", ")
            ),
        );
    }
    say(
        out,
        &format!("{} fichiers (graine {seed})", summary.files.len()),
    );
}
