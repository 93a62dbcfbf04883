//! E5B evaluation grid levels per examiner and question (table `grilles`): does an examiner use
//! the levels 1–4 of one question differently from the other examiners of the same subject?
//!
//! One SQL report (the view `rapport_grilles` of `queries/96_rapports_harmonisation.sql`), no
//! model: per session, exam, subject, examiner and question, the number of
//! grids, the mean level and the share of each level, then the same over the other examiners of
//! the same session, exam, subject and question, and the difference of the mean levels.
//!
//! Grids are compared only within one subject (DOMAIN.md §6, seed 003 §2.7.2: one national
//! subject per half-day, each with its own grid): an examiner who drew the easier subject more
//! often would otherwise look lenient. The `grilles` table has no subject: it is the subject of
//! the candidate's grade of the same exam in `notes` (`sujet`), else its date and half-day
//! (`2024-05-14 matin`, see [`super::data::sujet_sql`]); a grid whose candidate has neither is
//! compared with the others in one group labelled `sujet non renseigné`. The grids do not say the
//! candidates' ability: an examiner who saw stronger candidates has higher levels on every
//! question, so a gap on one question only is what points at a different reading of that
//! question.

use crate::regulation::Harmonisation;

/// The label of the group of grids whose candidate has no subject, date or half-day.
pub const SANS_SUJET: &str = "sujet non renseigné";

/// The pieces of `queries/96_rapports_harmonisation.sql` that come from the regulation: `{sujet}`,
/// the subject expression over the notes alias `n` ([`super::data::sujet_sql`]) for the exams
/// whose subject is set per half-day, and `{sans_sujet}`, the label [`SANS_SUJET`].
pub fn grilles_parts(reglage: &Harmonisation) -> [(&'static str, String); 2] {
    [
        (
            "sujet",
            super::data::sujet_sql("n", &reglage.epreuves_sujet_demi_journee),
        ),
        ("sans_sujet", SANS_SUJET.to_string()),
    ]
}
