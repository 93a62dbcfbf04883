//! Which E4/E6 grades are a school's CCF (seed 004, table of exam forms by candidate category;
//! DOMAIN.md §6): the scolaire route of public and contracted private schools, approved CFAs and
//! approved continuing education sit E4 and E6 in CCF, graded by their school; the other
//! categories (private non-contracted schools, non-approved CFAs, distance learning, candidates
//! with 3 years' experience, individual candidates) sit a one-off oral, graded by examiners.
//!
//! Takes the `notes` and `candidats` tables and the rule `[harmonisation.ccf]` of the regulation;
//! gives the table `harmonisation_perimetre_ccf`: one row per grade of those exams with the
//! candidate's school, the form (`CCF` or `PONCTUEL`) and why. In order, the first that applies
//! decides: the mode written in the grade's column header (`notes.mode`, `… - Ponctuel oral`); a
//! one-off word of the candidate's category or route (`hors contrat`); a CCF word (`scolaire`);
//! else `categorie_inconnue_ccf`. A grade without a school (no UAI) is never a school's CCF.

use duckdb::params;

use crate::error::Result;
use crate::ingest::profile::normalize_label;
use crate::regulation::PerimetreCcf;
use crate::store::Store;

/// How a candidate sits an exam that schools may grade in CCF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forme {
    /// Graded by the candidate's school (contrôle en cours de formation).
    Ccf,
    /// A one-off exam graded by examiners (épreuve ponctuelle).
    Ponctuel,
}

impl Forme {
    /// The code stored in `notes.mode` and `harmonisation_perimetre_ccf.forme`.
    pub fn code(self) -> &'static str {
        match self {
            Forme::Ccf => "CCF",
            Forme::Ponctuel => "PONCTUEL",
        }
    }

    fn from_code(code: &str) -> Option<Forme> {
        match code {
            "CCF" => Some(Forme::Ccf),
            "PONCTUEL" => Some(Forme::Ponctuel),
            _ => None,
        }
    }
}

/// The form of one grade and why (French, for the table): `mode` is the grade's header mode,
/// `categorie` and `voie` the candidate's category as written and route.
pub fn forme(
    mode: Option<&str>,
    categorie: Option<&str>,
    voie: Option<&str>,
    regle: &PerimetreCcf,
) -> (Forme, String) {
    if let Some(f) = mode.and_then(Forme::from_code) {
        return (f, format!("en-tête de la colonne : {}", f.code()));
    }
    let text = [categorie, voie]
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let norm = format!(" {} ", normalize_label(&text));
    let found = |words: &[String]| {
        words
            .iter()
            .find(|w| {
                let w = normalize_label(w);
                !w.is_empty() && norm.contains(&format!(" {w} "))
            })
            .cloned()
    };
    let shown = match categorie.or(voie) {
        Some(c) => format!("catégorie « {c} »"),
        None => "sans catégorie".to_string(),
    };
    if let Some(w) = found(&regle.categories_ponctuel) {
        return (Forme::Ponctuel, format!("{shown} : « {w} »"));
    }
    if let Some(w) = found(&regle.categories_ccf) {
        return (Forme::Ccf, format!("{shown} : « {w} »"));
    }
    let f = if regle.categorie_inconnue_ccf {
        Forme::Ccf
    } else {
        Forme::Ponctuel
    };
    (f, format!("{shown} non reconnue"))
}

const CREATE: &str = "
CREATE OR REPLACE TABLE harmonisation_perimetre_ccf (
    session INTEGER, candidat VARCHAR, epreuve VARCHAR, uai VARCHAR, forme VARCHAR, motif VARCHAR
);";

/// Rebuilds `harmonisation_perimetre_ccf` for the grades of the CCF exams (every session and
/// exam: the impact simulation corrects them all); returns (CCF grades, one-off grades).
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn store_perimeter(store: &Store, regle: &PerimetreCcf) -> Result<(usize, usize)> {
    let err = store.fail("périmètre du CCF des établissements (harmonisation_perimetre_ccf)");
    let conn = store.connection();
    conn.execute_batch(CREATE).map_err(&err)?;
    let list = super::data::sql_list(&regle.epreuves);
    let sql = format!(
        "SELECT n.session, n.candidat, n.epreuve, c.uai, n.mode, c.categorie, c.voie
FROM notes_du_reglement AS n
JOIN candidats AS c ON c.session = n.session AND c.candidat = n.candidat
WHERE n.epreuve IN ({list}) AND c.uai IS NOT NULL
ORDER BY n.session, n.candidat, n.epreuve"
    );
    type Row = (
        i32,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = store.rows(&sql, [], "périmètre du CCF des établissements", |r| {
        r.try_into()
    })?;
    let mut app = conn.appender("harmonisation_perimetre_ccf").map_err(&err)?;
    let mut counts = (0, 0);
    for (session, candidat, epreuve, uai, mode, categorie, voie) in &rows {
        let (f, motif) = forme(
            mode.as_deref(),
            categorie.as_deref(),
            voie.as_deref(),
            regle,
        );
        match f {
            Forme::Ccf => counts.0 += 1,
            Forme::Ponctuel => counts.1 += 1,
        }
        app.append_row(params![session, candidat, epreuve, uai, f.code(), motif])
            .map_err(&err)?;
    }
    app.flush().map_err(&err)?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(mode: Option<&str>, categorie: Option<&str>, voie: Option<&str>) -> Forme {
        forme(mode, categorie, voie, &PerimetreCcf::default()).0
    }

    #[test]
    fn ccf_categories_of_the_exam_regulation_are_a_schools_ccf() {
        for c in [
            "SCOLAIRE BTS (132)",
            "Scolaire établissement privé sous contrat",
            "APPRENTI BTS (133)",
            "Apprentissage CFA habilité",
            "FORMATION CONTINUE (134)",
        ] {
            assert_eq!(f(None, Some(c), None), Forme::Ccf, "{c}");
        }
    }

    #[test]
    fn one_off_categories_win_over_ccf_words() {
        for c in [
            "Scolaire privé hors contrat",
            "Apprenti CFA non habilité",
            "ENSEIGNEMENT A DISTANCE (136)",
            "INDIVIDUEL (135)",
            "Candidat libre",
            "Candidat justifiant de 3 ans d'expérience professionnelle",
        ] {
            assert_eq!(f(None, Some(c), None), Forme::Ponctuel, "{c}");
        }
        // The route alone (no category kept) says it too.
        assert_eq!(f(None, None, Some("individuel")), Forme::Ponctuel);
        assert_eq!(
            f(None, None, Some("enseignement à distance")),
            Forme::Ponctuel
        );
    }

    #[test]
    fn the_header_mode_wins_over_the_category() {
        assert_eq!(
            f(
                Some("PONCTUEL"),
                Some("SCOLAIRE BTS (132)"),
                Some("scolaire")
            ),
            Forme::Ponctuel
        );
        assert_eq!(f(Some("CCF"), Some("INDIVIDUEL (135)"), None), Forme::Ccf);
        let (_, motif) = forme(Some("PONCTUEL"), None, None, &PerimetreCcf::default());
        assert_eq!(motif, "en-tête de la colonne : PONCTUEL");
    }

    #[test]
    fn an_unknown_category_follows_the_setting() {
        let mut regle = PerimetreCcf::default();
        assert_eq!(forme(None, None, None, &regle).0, Forme::Ccf);
        regle.categorie_inconnue_ccf = false;
        let (forme, motif) = forme(None, Some("Autre"), None, &regle);
        assert_eq!(forme, Forme::Ponctuel);
        assert_eq!(motif, "catégorie « Autre » non reconnue");
    }
}
