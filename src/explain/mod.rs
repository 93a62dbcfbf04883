//! The explanation of candidates' results (`ndrc-stats explain`, issue 14): every grade back to
//! its file, sheet, row and column, the rule of the regulation file applied at each step, and
//! the decision, read from the same tables as `resultats.csv` (`queries/97_explication.sql`).

pub mod document;
pub mod read;
pub mod text;

pub use document::{Document, Explication};
pub use read::{read_explanations, Choix};
pub use text::{explanation_lines, render_text, Kind, Line};
