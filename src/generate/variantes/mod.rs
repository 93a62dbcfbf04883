//! `ndrc-stats generate --variantes`: the same planted truth as the canonical samples, written
//! through many export layouts (formats, encodings, wide and long tables, status columns, long
//! livret, annual averages, two-row merged headers, titles, summary and signature rows, header
//! wordings unknown to the profile), one sub-folder per variant.
//!
//! The variants are the external truth a reader must meet: each must give the same reports as
//! `data/samples` (tests/cli/variantes.rs). They never change the canonical generator's output.

mod annexes;
mod catalogue;
mod classeur;
mod csv;
mod inscrits;
mod livret;
mod notes;
mod run;
mod tableau;
mod vocabulaire;

pub use run::run_variantes;
