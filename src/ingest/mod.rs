//! Ingestion: read → recognise → normalise → store, one file at a time, one transaction per file.

pub mod batches;
mod csv_records;
pub mod layout;
pub mod load;
pub mod normalize;
pub mod profile;
pub mod read;
mod read_csv;
mod read_workbook;
pub mod rejet;
pub mod values;
