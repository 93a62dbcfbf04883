//! Examiner harmonisation (DOMAIN.md section 6): per exam and examiner, raw and
//! ability-adjusted gaps with intervals and flags, and the decision impact of a correction.
//! The model is explained at the top of [`examiners`]. The E5A corrector pairs' agreement
//! ([`correcteurs`]) and the E5B grid levels ([`grilles`]) are reported when loaded; the schools'
//! CCF grades are compared as the examiners are, within the scope of [`perimetre`].

pub mod agreement;
pub mod correcteurs;
pub mod corrections;
pub mod data;
pub mod examiners;
pub mod grilles;
pub mod impact;
pub mod mixed;
pub mod model;
pub mod perimetre;
pub mod tables;

pub use data::{read_papers, read_passages, Papiers, Passage, Unite};
pub use examiners::{analyse, LigneExaminateur, SyntheseEpreuve};
pub use impact::simulate_impact;
pub use model::Estimate;
pub use tables::store_examiners;
