//! Agreement of the E5A corrector pairs: both correctors' own marks of each paper, before they
//! agree on the grade (table `notes_correcteurs`), compared per session and pair, per session
//! over every pair, and over every session.
//!
//! Takes the store; gives [`LigneAccord`] rows (n, mean difference first − second corrector,
//! Bland–Altman limits, ICC(A,1), quadratic-weighted kappa on marks rounded to the point) and
//! stores them as `harmonisation_correcteurs`. The pair of a paper is the E5A examiner of
//! `notes` (from the long oral export); without it, the corrector id minus its last `-` part.
//! The first corrector of a paper is the one whose id sorts first. Papers without exactly two
//! marks are left out.

use std::collections::BTreeMap;

use duckdb::params;

use super::agreement::{bland_altman, icc_a1, quadratic_kappa};
use crate::error::Result;
use crate::store::Store;

/// Highest whole-point category of the kappa (marks are out of 20).
const NOTE_MAX: usize = 20;

/// The label of the lines that pool several pairs or sessions.
pub const ENSEMBLE: &str = "ensemble";

/// One paper marked by two correctors.
#[derive(Debug, Clone, PartialEq)]
pub struct Copie {
    /// Session year.
    pub session: i32,
    /// Corrector pair.
    pub paire: String,
    /// First and second corrector ids.
    pub correcteurs: (String, String),
    /// First and second marks.
    pub notes: (f64, f64),
}

/// Agreement of one pair (or of a pool of pairs).
#[derive(Debug, Clone, PartialEq)]
pub struct LigneAccord {
    /// Session year; `None` for the pool of every session.
    pub session: Option<i32>,
    /// Pair id, or [`ENSEMBLE`].
    pub paire: String,
    /// First corrector (empty for a pool).
    pub correcteur_a: String,
    /// Second corrector (empty for a pool).
    pub correcteur_b: String,
    /// Papers.
    pub n: usize,
    /// Mean mark of the first and second correctors.
    pub moyennes: (f64, f64),
    /// Bland–Altman of first − second (`None` under 2 papers).
    pub bland_altman: Option<super::agreement::BlandAltman>,
    /// ICC(A,1).
    pub icc: Option<f64>,
    /// Quadratic-weighted kappa on marks rounded to the point.
    pub kappa: Option<f64>,
}

/// Reads every E5A paper with two corrector marks, sorted by session, pair and candidate.
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn read_copies(
    store: &Store,
    session: Option<i32>,
    epreuve: Option<&str>,
) -> Result<Vec<Copie>> {
    let sql = "
WITH paires AS (
    SELECT session, candidat, min(examinateur) AS paire
    FROM notes_du_reglement AS notes
    WHERE epreuve = 'E5A' AND examinateur IS NOT NULL
    GROUP BY session, candidat
),
copies AS (
    SELECT session, candidat, min(correcteur) AS correcteur_a, max(correcteur) AS correcteur_b,
           arg_min(CAST(note AS DOUBLE), correcteur) AS note_a,
           arg_max(CAST(note AS DOUBLE), correcteur) AS note_b
    FROM notes_correcteurs
    WHERE epreuve = 'E5A'
      AND (CAST(? AS INTEGER) IS NULL OR session = ?)
    GROUP BY session, candidat
    HAVING count(*) = 2 AND count(DISTINCT correcteur) = 2
)
SELECT c.session,
       coalesce(p.paire, regexp_replace(c.correcteur_a, '-[^-]*$', '')) AS paire,
       c.correcteur_a, c.correcteur_b, c.note_a, c.note_b
FROM copies AS c
LEFT JOIN paires AS p USING (session, candidat)
WHERE CAST(? AS VARCHAR) IS NULL OR ? = 'E5A'
ORDER BY c.session, paire, c.candidat";
    store.rows(
        sql,
        params![session, session, epreuve, epreuve],
        "lecture des notes des correcteurs E5A",
        |r| {
            Ok(Copie {
                session: r.get(0)?,
                paire: r.get(1)?,
                correcteurs: (r.get(2)?, r.get(3)?),
                notes: (r.get(4)?, r.get(5)?),
            })
        },
    )
}

/// The agreement of `copies`, labelled; corrector ids are kept when they are the same on every
/// paper.
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
fn accord(session: Option<i32>, paire: &str, copies: &[&Copie]) -> LigneAccord {
    let pairs: Vec<(f64, f64)> = copies.iter().map(|c| c.notes).collect();
    let rows: Vec<Vec<f64>> = pairs.iter().map(|(a, b)| vec![*a, *b]).collect();
    let n = pairs.len();
    let same = |f: fn(&Copie) -> &String| {
        let first = copies.first().map(|c| f(c).clone()).unwrap_or_default();
        if copies.iter().all(|c| *f(c) == first) {
            first
        } else {
            String::new()
        }
    };
    let mean = |k: fn(&(f64, f64)) -> f64| pairs.iter().map(k).sum::<f64>() / n.max(1) as f64;
    LigneAccord {
        session,
        paire: paire.to_owned(),
        correcteur_a: same(|c| &c.correcteurs.0),
        correcteur_b: same(|c| &c.correcteurs.1),
        n,
        moyennes: (mean(|p| p.0), mean(|p| p.1)),
        bland_altman: bland_altman(&pairs),
        icc: icc_a1(&rows),
        kappa: quadratic_kappa(&pairs, NOTE_MAX),
    }
}

/// Per session and pair, then per session over every pair, then (with several sessions) over
/// every session: the agreement lines, sorted.
pub fn analyse_pairs(copies: &[Copie]) -> Vec<LigneAccord> {
    let mut par_paire: BTreeMap<(i32, &str), Vec<&Copie>> = BTreeMap::new();
    let mut par_session: BTreeMap<i32, Vec<&Copie>> = BTreeMap::new();
    for c in copies {
        par_paire.entry((c.session, &c.paire)).or_default().push(c);
        par_session.entry(c.session).or_default().push(c);
    }
    let mut lignes = Vec::new();
    for (&session, toutes) in &par_session {
        lignes.extend(
            par_paire
                .range((session, "")..)
                .take_while(|((s, _), _)| *s == session)
                .map(|((_, p), v)| accord(Some(session), p, v)),
        );
        lignes.push(accord(Some(session), ENSEMBLE, toutes));
    }
    if par_session.len() > 1 {
        lignes.push(accord(None, ENSEMBLE, &copies.iter().collect::<Vec<_>>()));
    }
    lignes
}

/// Replaces the table `harmonisation_correcteurs` with `lignes`.
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn store_pairs(store: &Store, lignes: &[LigneAccord]) -> Result<()> {
    let err = store.fail("table harmonisation_correcteurs");
    let conn = store.connection();
    conn.execute_batch(
        "CREATE OR REPLACE TABLE harmonisation_correcteurs (
    session INTEGER, paire VARCHAR, correcteur_a VARCHAR, correcteur_b VARCHAR, n BIGINT,
    moyenne_a DOUBLE, moyenne_b DOUBLE, difference_moyenne DOUBLE, ecart_type_difference DOUBLE,
    limite_basse DOUBLE, limite_haute DOUBLE, icc_a1 DOUBLE, kappa_quadratique DOUBLE
);",
    )
    .map_err(&err)?;
    let mut app = conn.appender("harmonisation_correcteurs").map_err(&err)?;
    for l in lignes {
        let ba = l.bland_altman;
        app.append_row(params![
            l.session,
            l.paire,
            l.correcteur_a,
            l.correcteur_b,
            i64::try_from(l.n).unwrap_or(i64::MAX),
            l.moyennes.0,
            l.moyennes.1,
            ba.map(|b| b.moyenne),
            ba.map(|b| b.ecart_type),
            ba.map(|b| b.limite_basse),
            ba.map(|b| b.limite_haute),
            l.icc,
            l.kappa,
        ])
        .map_err(&err)?;
    }
    app.flush().map_err(&err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copie(session: i32, paire: &str, a: f64, b: f64) -> Copie {
        Copie {
            session,
            paire: paire.into(),
            correcteurs: (format!("{paire}-A"), format!("{paire}-B")),
            notes: (a, b),
        }
    }

    #[test]
    fn pairs_then_the_session_pool_then_the_pool_of_every_session() {
        let copies = [
            copie(2023, "P1", 10.0, 11.0),
            copie(2023, "P1", 12.0, 13.0),
            copie(2023, "P2", 8.0, 8.0),
            copie(2024, "P1", 14.0, 13.0),
        ];
        let lignes = analyse_pairs(&copies);
        let labels: Vec<_> = lignes
            .iter()
            .map(|l| (l.session, l.paire.as_str(), l.n))
            .collect();
        assert_eq!(
            labels,
            [
                (Some(2023), "P1", 2),
                (Some(2023), "P2", 1),
                (Some(2023), ENSEMBLE, 3),
                (Some(2024), "P1", 1),
                (Some(2024), ENSEMBLE, 1),
                (None, ENSEMBLE, 4),
            ]
        );
        assert_eq!(lignes[0].correcteur_a, "P1-A");
        assert_eq!(lignes[2].correcteur_a, "");
        assert!((lignes[0].bland_altman.unwrap().moyenne + 1.0).abs() < 1e-12);
        assert!(lignes[1].bland_altman.is_none());
    }
}
