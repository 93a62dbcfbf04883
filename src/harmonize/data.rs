//! Reads what harmonisation needs from the store: one row per graded passage in front of an
//! examiner (or corrector pair), with the candidate's ability measured on the anonymous papers.
//!
//! Takes the loaded grades of the diploma the regulation describes (`notes_du_reglement`,
//! queries/05_perimetre.sql); gives plain [`Passage`] rows. Only grades of the session itself
//! count: a status code (absence, kept grade from an earlier session...) leaves the passage out.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::regulation::Harmonisation;
use crate::store::Store;

/// One graded passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Session year.
    pub session: i32,
    /// Exam code.
    pub epreuve: String,
    /// Examiner, commission or corrector pair id.
    pub examinateur: String,
    /// Subject: the `sujet` column, else for the exams with one subject per half-day its date
    /// and half-day (`2024-05-14 matin`, [`sujet_sql`]); empty when none is given.
    pub sujet: String,
    /// Candidate number.
    pub candidat: String,
    /// The grade.
    pub note: f64,
    /// Mean of the candidate's anonymous papers other than this exam, when there are enough.
    pub niveau: Option<f64>,
}

/// What is compared: the examiners of the orals and papers, or the schools proposing CCF grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unite {
    /// Every grade with an examiner (or corrector pair): the unit is the examiner.
    Examinateurs,
    /// The grades a school proposes in CCF (E4 and E6 of the candidates whose category sits
    /// them in CCF, [`super::perimetre`]): the unit is the school's UAI. Read after
    /// [`super::perimetre::store_perimeter`].
    EtablissementsCcf,
}

impl Unite {
    /// The SQL expression naming the unit of a passage `o` (candidate `c`), and its condition.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            Unite::Examinateurs => ("o.examinateur", "o.examinateur IS NOT NULL"),
            Unite::EtablissementsCcf => (
                "c.uai",
                "c.uai IS NOT NULL AND EXISTS (SELECT 1 FROM harmonisation_perimetre_ccf AS p \
                 WHERE p.session = o.session AND p.candidat = o.candidat \
                 AND p.epreuve = o.epreuve AND p.forme = 'CCF')",
            ),
        }
    }
}

/// The SQL expression of the subject of a grade of `notes` alias `a`: its `sujet`, else, for
/// the exams of `par_demi_journee` (one national subject per half-day, seed 003 §2.7.2), its date
/// and half-day as `2024-05-14 matin` (what of them is given); `NULL` when there is none.
pub fn sujet_sql(a: &str, par_demi_journee: &[String]) -> String {
    format!(
        "coalesce(nullif(trim({a}.sujet), ''), CASE WHEN {a}.epreuve IN ({list}) THEN \
         nullif(concat_ws(' ', strftime({a}.date_epreuve, '%Y-%m-%d'), \
         nullif(trim({a}.demi_journee), '')), '') END)",
        list = sql_list(par_demi_journee)
    )
}

/// Reads every passage of `unite`, filtered by session and exam, sorted; the `examinateur`
/// field holds the unit (examiner id or school UAI).
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn read_passages(
    store: &Store,
    reglage: &Harmonisation,
    unite: Unite,
    session: Option<i32>,
    epreuve: Option<&str>,
) -> Result<Vec<Passage>> {
    let (unit, condition) = unite.sql();
    let list = sql_list(&reglage.epreuves_niveau);
    let sujet = sujet_sql("notes", &reglage.epreuves_sujet_demi_journee);
    let sql = format!(
        "WITH valides AS (
    SELECT session, candidat, epreuve, CAST(note AS DOUBLE) AS note, examinateur,
           {sujet} AS sujet
    FROM notes_du_reglement AS notes
    WHERE note IS NOT NULL AND statut IS NULL
)
SELECT o.session, o.epreuve, {unit} AS unite, coalesce(o.sujet, '') AS sujet, o.candidat, o.note,
       CASE WHEN count(w.note) >= ? THEN avg(w.note) END AS niveau
FROM valides AS o
LEFT JOIN valides AS w
       ON w.session = o.session AND w.candidat = o.candidat
      AND w.epreuve IN ({list}) AND w.epreuve <> o.epreuve
LEFT JOIN candidats AS c ON c.session = o.session AND c.candidat = o.candidat
WHERE {condition}
  AND (CAST(? AS INTEGER) IS NULL OR o.session = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR o.epreuve = ?)
GROUP BY o.session, o.epreuve, unite, o.sujet, o.candidat, o.note
ORDER BY o.session, o.epreuve, unite, o.candidat"
    );
    let minimum = i64::try_from(reglage.copies_niveau_minimum).unwrap_or(i64::MAX);
    store.rows(
        &sql,
        duckdb::params![minimum, session, session, epreuve, epreuve],
        "lecture des notes pour l'harmonisation",
        |r| {
            Ok(Passage {
                session: r.get(0)?,
                epreuve: r.get(1)?,
                examinateur: r.get(2)?,
                sujet: r.get(3)?,
                candidat: r.get(4)?,
                note: r.get(5)?,
                niveau: r.get(6)?,
            })
        },
    )
}

/// Per (session, candidate): the grades of the anonymous written papers (`epreuves_niveau`),
/// as (exam, grade) sorted by exam.
pub type Papiers = BTreeMap<(i32, String), Vec<(String, f64)>>;

/// Reads the candidates' written-paper grades of `session` (every session when `None`): the
/// rows of the mixed model of [`super::mixed`]. Status codes leave a paper out, as in
/// [`read_passages`].
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn read_papers(
    store: &Store,
    reglage: &Harmonisation,
    session: Option<i32>,
) -> Result<Papiers> {
    let sql = format!(
        "SELECT session, candidat, epreuve, CAST(note AS DOUBLE)
FROM notes_du_reglement AS notes
WHERE note IS NOT NULL AND statut IS NULL AND epreuve IN ({})
  AND (CAST(? AS INTEGER) IS NULL OR session = ?)
ORDER BY session, candidat, epreuve",
        sql_list(&reglage.epreuves_niveau)
    );
    let rows = store.rows(
        &sql,
        duckdb::params![session, session],
        "lecture des copies écrites pour le modèle mixte",
        |r| {
            Ok((
                (r.get::<_, i32>(0)?, r.get::<_, String>(1)?),
                (r.get::<_, String>(2)?, r.get::<_, f64>(3)?),
            ))
        },
    )?;
    let mut papiers = Papiers::new();
    for (key, paper) in rows {
        papiers.entry(key).or_default().push(paper);
    }
    Ok(papiers)
}

/// The exam codes as an SQL list of string literals (`NULL` when empty, which matches nothing).
pub(crate) fn sql_list(epreuves: &[String]) -> String {
    if epreuves.is_empty() {
        return "NULL".into();
    }
    epreuves
        .iter()
        .map(|e| format!("'{}'", e.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}
