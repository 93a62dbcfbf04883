//! `ndrc-stats generate --national`: national-size synthetic exports, written streaming.
//!
//! The 30 academies ([`academies`]), their candidates drawn per academy-session from the seed
//! ([`candidat`]), the decision the regulation gives each ([`verdict`]), one long Windows-1252
//! CSV for every session ([`long_csv`]) and one wide workbook per academy-session ([`workbook`]).
//! Memory is bounded by one academy: its candidates are drawn, written to both outputs, counted
//! and dropped before the next. It never reads input files.

mod academies;
mod candidat;
mod long_csv;
mod run;
mod streams;
mod verdict;
mod workbook;

pub use run::{
    run_national, validate_national, NationalOptions, NationalSummary, SessionCounts,
    MAX_CANDIDATS_NATIONAL,
};
