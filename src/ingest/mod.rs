//! Ingestion: read → recognise → normalise → store, one file at a time, one transaction per file.

pub mod batches;
pub mod content;
mod csv_chunks;
mod csv_records;
mod csv_text;
pub mod field;
pub mod ignored;
pub mod layout;
pub mod livret_period;
pub mod load;
pub mod normalize;
pub mod profile;
pub mod read;
mod read_csv;
pub(crate) mod read_workbook;
pub mod recognize;
pub mod rejet;
pub mod replace;
pub mod values;
mod words;
