//! The `ndrc-stats` binary: parses the arguments, runs one command, prints errors once.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use ndrc_stats::cli::{Cli, Command};
use ndrc_stats::cmd;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let result = match &cli.command {
        Command::Generate(args) => cmd::generate::run(args, &mut stdout),
        Command::Ingest(args) => cmd::ingest::run(args, &mut stdout),
        Command::Run(args) => cmd::run::run(args, &mut stdout),
        Command::Results(args) => cmd::results::run(args, &mut stdout),
        Command::Harmonize(args) => cmd::harmonize::run(args, &mut stdout),
        Command::Rates(args) => cmd::rates::run(args, &mut stdout),
        Command::Livret(args) => cmd::livret::run(args, &mut stdout),
        Command::Check(args) => cmd::check::run(args, &mut stdout),
        Command::Export(args) => cmd::export::run(args, &mut stdout),
        Command::Sources(args) => cmd::sources::run(args, &mut stdout),
        Command::Explain(args) => cmd::explain::run(args, &mut stdout),
    };
    let _ = stdout.flush();
    match result {
        Ok(status) => ExitCode::from(status.exit_code()),
        Err(e) => {
            cmd::print_error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}
