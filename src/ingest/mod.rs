//! Ingestion: read → recognise → normalise → store, one file at a time, one transaction per file.

pub mod batches;
pub mod content;
pub mod field;
pub mod ignored;
pub mod layout;
pub mod livret_period;
pub mod load;
pub mod normalize;
pub mod profile;
pub mod read;
mod read_csv;
pub mod recognize;
pub mod rejet;
pub mod values;
mod words;
