//! ndrc-stats: results, success rates, livret scolaire statistics and examiner harmonisation for
//! the BTS NDRC exam, from the messy exports academies receive to CSV reports, in one embedded
//! pipeline (calamine and polars read, Arrow hands over, DuckDB stores and computes).
#![warn(missing_docs)]

pub mod chrono;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod error;
pub mod explain;
pub mod folder;
pub mod generate;
pub mod harmonize;
pub mod ingest;
pub mod regulation;
pub mod report;
pub mod shape;
pub mod store;
