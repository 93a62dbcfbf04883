//! Reports: CSV tables in the French Excel dialect (and plots, HTML in later stages).
//! Reports read tables only; they never import the ingestion stage.

pub mod csv;
pub mod html;
pub mod plots;
pub mod secret;
