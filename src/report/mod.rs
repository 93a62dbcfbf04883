//! Reports: one report job per file (rejets, resultats, reussite, harmonisation, livret, jury,
//! xlsx, front/index), each called by a thin command of `cmd/`; CSV tables in the French Excel
//! dialect, plots, the livret class pages and the `index.html` of a report folder, and the workbook
//! `ndrc-stats.xlsx` of its tables. Reports read tables only; they never import the ingestion
//! stage.

pub mod csv;
pub mod front;
pub mod harmonisation;
pub mod html;
pub mod index;
pub mod jury;
pub mod livret;
pub mod parquet;
pub mod plots;
pub mod rejets;
pub mod resultats;
pub mod reussite;
pub mod secret;
pub mod texts;
pub mod xlsx;

/// Writes one summary line of a report job to `out` (stdout for the commands), ignoring a
/// closed pipe.
pub(crate) fn say(out: &mut dyn std::io::Write, line: &str) {
    let _ = writeln!(out, "{line}");
}
