//! `ndrc-stats generate`: realistic synthetic exports of one academy with a planted truth.
//!
//! Simulates the Académie de Lyon (5 schools, one of them a CFA) over several sessions — who sits,
//! who grades whom, grades driven by ability plus planted examiner severities and school
//! effects, status codes, the livret — then writes what the real tools export: "Liste simple"
//! CSVs (Windows-1252), a wide grade workbook (.xlsx), a long oral-grade CSV (UTF-8 with BOM), a
//! livret spreadsheet (.ods), the control-exam grades of the candidates the regulation sends to
//! the second group (CSV), the jury's decisions (.xlsx), the E5B grid levels and each E5A corrector's
//! own mark (CSV). The last session also carries planted
//! errors. [`planted_truth`] says what a correct analysis must find; `data/samples/README.md` quotes it. Deterministic:
//! same options, same bytes. It never reads input files. [`run_variantes`] writes the same truth
//! through many other export layouts (`generate --variantes`); [`run_national`] writes
//! national-size exports of the 30 academies, streaming (`generate --national`).

mod academy;
mod bareme;
mod controles;
mod deliberation;
mod examiners;
mod exports;
mod grades;
mod grilles;
mod jury;
mod liste_simple;
mod livret;
mod model;
mod names;
mod national;
mod notes_wide;
mod ods;
mod oraux_long;
mod planted;
mod roster;
mod run;
mod scolarite;
mod statuses;
mod truth;
mod uai;
mod variantes;
mod xlsx;

pub use national::{
    run_national, validate_national, NationalOptions, NationalSummary, SessionCounts,
    MAX_CANDIDATS_NATIONAL,
};
pub use planted::ErreurPlantee;
pub use run::{run, GenerateOptions, GenerateSummary};
pub use truth::{
    planted_truth, AffectationE5b, ControlePlante, DecisionJuryPlantee, EffetClasse, EffetPlante,
    GrillePlantee, NoteControlePlantee, PlantedTruth, SessionTruth,
};
pub use variantes::run_variantes;
