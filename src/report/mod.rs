//! Reports: CSV tables in the French Excel dialect, plots, the livret class pages and the
//! `index.html` of a report folder, and the workbook `ndrc-stats.xlsx` of its tables.
//! Reports read tables only; they never import the ingestion stage.

pub mod csv;
pub mod front;
pub mod html;
pub mod index;
pub mod jury;
pub mod parquet;
pub mod plots;
pub mod resultats;
pub mod secret;
pub mod texts;
pub mod xlsx;
