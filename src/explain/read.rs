//! Reads the explanation of candidates' results from the views of `queries/97_explication.sql`
//! (and the tables `blocs_acquis`, `candidats_du_reglement` they sit beside): the same tables
//! that give `resultats.csv`, never a second computation.
//!
//! Takes a computed [`Store`]; gives [`Explication`] values (`super::document`). Writes nothing.

use std::collections::BTreeMap;

use duckdb::types::Value;

use super::document::{
    AutreValeur, Bloc, Calcul, Decision, Epreuve, Explication, Identite, Jury, LigneLivret, Livret,
    Source, Unite,
};
use crate::error::Result;
use crate::report::texts::{query_texts_with, Texts};
use crate::store::Store;

/// The condition of every query below on `session`, then, when given, `candidat`, then the
/// schools (UAI, "" for none) joined by [`SEPARATEUR`].
const FILTRE: &str = "session = ? AND (CAST(? AS VARCHAR) IS NULL OR candidat = ?) \
    AND (CAST(? AS VARCHAR) IS NULL OR candidat IN (SELECT candidat FROM candidats_du_reglement \
    WHERE session = ? AND list_contains(string_split(?, chr(1)), coalesce(uai, ''))))";

/// The separator of the schools' list bound to [`FILTRE`] (a UAI never holds it).
const SEPARATEUR: char = '\u{1}';

/// Which candidates of a session to explain.
#[derive(Debug, Clone, Copy)]
pub enum Choix<'a> {
    /// Every decided candidate.
    Tous,
    /// One candidate number.
    Candidat(&'a str),
    /// The candidates of these schools (UAI as in the results, "" for none): the jury's pages
    /// read a few schools at a time, so that memory stays bounded on a national session.
    Etablissements(&'a [String]),
}

/// Reads the explanation of the decided candidates of `session` that `choix` names, from the
/// computed tables (the caller computes them first), ordered by candidate number.
///
/// # Errors
/// [`crate::error::Error::Store`].
pub fn read_explanations(
    store: &Store,
    session: i32,
    choix: Choix<'_>,
) -> Result<Vec<Explication>> {
    let text = |t: Option<String>| t.map_or(Value::Null, Value::Text);
    let candidat = match choix {
        Choix::Candidat(c) => Some(c.to_string()),
        _ => None,
    };
    let schools = match choix {
        Choix::Etablissements(list) => Some(list.join(&SEPARATEUR.to_string())),
        _ => None,
    };
    let params = [
        Value::Int(session),
        text(candidat.clone()),
        text(candidat),
        text(schools.clone()),
        Value::Int(session),
        text(schools),
    ];
    let query = |sql: &str| -> Result<Texts> {
        query_texts_with(
            store,
            &sql.replace("{filtre}", FILTRE),
            &params,
            "explication des résultats",
        )
    };
    let decisions = query(
        "SELECT COLUMNS(*)::VARCHAR FROM explication_decisions WHERE {filtre} ORDER BY candidat",
    )?;
    let identites = query(
        "SELECT candidat, nom, prenom, uai, classe, voie FROM candidats_du_reglement \
         WHERE {filtre}",
    )?;
    let mut all: BTreeMap<String, Explication> = BTreeMap::new();
    for r in &decisions.rows {
        let e = explication_of(session, &Row::new(&decisions, r));
        all.insert(e.candidat.clone(), e);
    }
    for r in &identites.rows {
        let row = Row::new(&identites, r);
        if let Some(e) = all.get_mut(&row.text("candidat")) {
            e.identite = Identite {
                nom: row.opt("nom"),
                prenom: row.opt("prenom"),
                uai: row.opt("uai"),
                classe: row.opt("classe"),
                voie: row.opt("voie"),
            };
        }
    }
    attach_exams(&query, &mut all)?;
    attach_units(&query, &mut all)?;
    attach_blocks_and_livret(&query, &mut all)?;
    Ok(all.into_values().collect())
}

/// The exams, control exams, other values and jury's other values of each candidate.
fn attach_exams(
    query: &dyn Fn(&str) -> Result<Texts>,
    all: &mut BTreeMap<String, Explication>,
) -> Result<()> {
    let autres = query(
        "SELECT COLUMNS(*)::VARCHAR FROM explication_autres_valeurs WHERE {filtre} \
         ORDER BY candidat, cle, source, feuille NULLS FIRST, ligne",
    )?;
    let mut others: BTreeMap<(String, String), Vec<AutreValeur>> = BTreeMap::new();
    for r in &autres.rows {
        let row = Row::new(&autres, r);
        others
            .entry((row.text("candidat"), row.text("cle")))
            .or_default()
            .push(AutreValeur {
                valeur: row.text("valeur"),
                etat: if row.text("etat") == "confirmation" {
                    "confirmation"
                } else {
                    "conflit"
                },
                source: Source {
                    fichier: row.text("source"),
                    feuille: row.opt("feuille"),
                    ligne: row.opt("ligne").and_then(|l| l.parse().ok()),
                    colonne: row.opt("colonne"),
                },
                motif: row.text("motif"),
            });
    }
    let epreuves = query(
        "SELECT COLUMNS(*)::VARCHAR FROM explication_epreuves WHERE {filtre} \
         ORDER BY candidat, ordre, epreuve",
    )?;
    for r in &epreuves.rows {
        let row = Row::new(&epreuves, r);
        let candidat = row.text("candidat");
        let Some(e) = all.get_mut(&candidat) else {
            continue;
        };
        let code = row.text("epreuve");
        let exam = Epreuve {
            unite: row.opt("unite"),
            intitule: row.text("intitule"),
            coefficient: row.opt("coefficient").map(|c| short(&c)),
            note: row.opt("note"),
            statut: row.opt("statut"),
            session_origine: row.opt("session_origine"),
            note_comptee: row.opt("note_comptee"),
            bareme: row.opt("bareme"),
            source: row.opt("source").map(|fichier| Source {
                fichier,
                feuille: row.opt("feuille"),
                ligne: row.opt("ligne").and_then(|l| l.parse().ok()),
                colonne: row.opt("colonne"),
            }),
            cle: row.text("cle"),
            regle: row.text("regle"),
            autres_valeurs: others
                .remove(&(candidat.clone(), code.clone()))
                .unwrap_or_default(),
            epreuve: code,
        };
        if row.text("nature") == "controle" {
            e.epreuves_controle.push(exam);
        } else {
            e.epreuves.push(exam);
        }
    }
    for ((candidat, cle), values) in others {
        if cle != "jury" {
            continue;
        }
        if let Some(jury) = all.get_mut(&candidat).and_then(|e| e.jury.as_mut()) {
            jury.autres_valeurs = values;
        }
    }
    Ok(())
}

/// The units of each candidate.
fn attach_units(
    query: &dyn Fn(&str) -> Result<Texts>,
    all: &mut BTreeMap<String, Explication>,
) -> Result<()> {
    let unites = query(
        "SELECT COLUMNS(*)::VARCHAR FROM explication_unites WHERE {filtre} ORDER BY candidat, ordre",
    )?;
    for r in &unites.rows {
        let row = Row::new(&unites, r);
        let Some(e) = all.get_mut(&row.text("candidat")) else {
            continue;
        };
        let applied = row.text("controle_applique") == "true";
        e.unites.push(Unite {
            unite: row.text("unite"),
            intitule: row.text("intitule"),
            nature: row.text("nature"),
            coefficient: row.opt("coefficient").map(|c| short(&c)),
            etat: row.text("etat"),
            points: row.opt("points").map(|p| exact(&p)),
            note: row.opt("note"),
            note_controle: row.opt("note_controle"),
            note_apres_controle: if applied {
                row.opt("note_controle_appliquee")
            } else {
                None
            },
            formule: row.opt("formule"),
            regle: row.opt("regle"),
        });
    }
    Ok(())
}

/// The blocks kept and the livret year 2 of each candidate.
fn attach_blocks_and_livret(
    query: &dyn Fn(&str) -> Result<Texts>,
    all: &mut BTreeMap<String, Explication>,
) -> Result<()> {
    let blocs = query(
        "SELECT candidat, unite, bloc, CAST(note AS VARCHAR) AS note FROM blocs_acquis \
         WHERE {filtre} ORDER BY candidat, ordre",
    )?;
    for r in &blocs.rows {
        let row = Row::new(&blocs, r);
        if let Some(e) = all.get_mut(&row.text("candidat")) {
            e.blocs_acquis.push(Bloc {
                unite: row.text("unite"),
                bloc: row.text("bloc"),
                note: row.text("note"),
            });
        }
    }
    let livret = query(
        "SELECT COLUMNS(*)::VARCHAR FROM explication_livret WHERE {filtre} ORDER BY candidat, ligne",
    )?;
    for r in &livret.rows {
        let row = Row::new(&livret, r);
        if let Some(e) = all.get_mut(&row.text("candidat")) {
            e.livret.avis = row.opt("avis");
            e.livret.pix = row.opt("pix");
            e.livret.lignes.push(LigneLivret {
                ligne: row.text("ligne"),
                intitule: row.text("intitule"),
                moyenne: row.opt("moyenne"),
                manque: row.opt("manque"),
            });
        }
    }
    Ok(())
}

/// One candidate's explanation from their row of `explication_decisions`, without exams,
/// units, blocks and livret yet.
fn explication_of(session: i32, row: &Row<'_>) -> Explication {
    let jury = row.opt("decision_jury").map(|decision| Jury {
        points: row.opt("points_jury"),
        decision_saisie: row.opt("decision_jury_saisie"),
        motif: row.opt("motif_jury"),
        moyenne_jury: row.opt("moyenne_jury"),
        decision: Some(decision),
        regle: row.opt("regle_jury"),
        source: row.opt("jury_source").map(|fichier| Source {
            fichier,
            feuille: row.opt("jury_feuille"),
            ligne: row.opt("jury_ligne").and_then(|l| l.parse().ok()),
            colonne: None,
        }),
        autres_valeurs: Vec::new(),
    });
    Explication {
        session,
        candidat: row.text("candidat"),
        identite: Identite::default(),
        epreuves: Vec::new(),
        unites: Vec::new(),
        calcul: Calcul {
            complet: row.text("complet") == "true",
            coefficients: short(&row.text("coefficients")),
            bonus: exact(&row.text("bonus")),
            points_premier_groupe: row.opt("points_premier_groupe").map(|p| exact(&p)),
            moyenne_exacte: row.opt("moyenne_exacte"),
            moyenne_exacte_finie: row.opt("moyenne_exacte_finie").map(|f| f == "true"),
            moyenne_premier_groupe: row.opt("moyenne_premier_groupe"),
            points_professionnels: exact(&row.text("points_professionnels")),
            coefficients_professionnels: short(&row.text("coefficients_professionnels")),
            moyenne_professionnelle: row.opt("moyenne_professionnelle"),
            controle_applique: row.text("controle_applique") == "true",
            points_controle: row.opt("points_controle").map(|p| exact(&p)),
            moyenne_controle: row.opt("moyenne_controle"),
            points: row.opt("points").map(|p| exact(&p)),
            moyenne: row.opt("moyenne"),
        },
        epreuves_controle: Vec::new(),
        decision: Decision {
            premier_groupe: row.opt("decision_premier_groupe"),
            bloquantes: row.opt("bloquantes"),
            manque: row.opt("manque"),
            regle: row.opt("regle_premier_groupe"),
            regle_controle: row.opt("regle_controle"),
            regle_blocs: row.opt("regle_blocs"),
            calculee: row.text("decision"),
            finale: row.text("decision_finale"),
        },
        jury,
        blocs_acquis: Vec::new(),
        livret: Livret::default(),
    }
}

/// One row of a [`Texts`], read by column name.
struct Row<'a> {
    texts: &'a Texts,
    cells: &'a [String],
}

impl<'a> Row<'a> {
    fn new(texts: &'a Texts, cells: &'a [String]) -> Row<'a> {
        Row { texts, cells }
    }

    /// The cell of `name` ("" when NULL or absent).
    fn text(&self, name: &str) -> String {
        self.texts
            .col(name)
            .and_then(|i| self.cells.get(i))
            .cloned()
            .unwrap_or_default()
    }

    /// The cell of `name`, `None` when NULL or absent.
    fn opt(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|t| !t.is_empty())
    }
}

/// A decimal as DuckDB writes it, without the zeros past the second decimal (`197.0000` →
/// `197.00`, `12.1250` → `12.125`): the exact value, shortened as text only.
pub fn exact(text: &str) -> String {
    match text.split_once('.') {
        Some((int, frac)) => {
            let kept = frac.trim_end_matches('0');
            let kept = if kept.len() < 2 {
                &frac[..frac.len().min(2)]
            } else {
                kept
            };
            format!("{int}.{kept}")
        }
        None => text.to_string(),
    }
}

/// A coefficient or threshold as short text (`21.00` → `21`, `2.50` → `2.5`).
pub fn short(text: &str) -> String {
    match text.split_once('.') {
        Some((int, frac)) => {
            let kept = frac.trim_end_matches('0');
            if kept.is_empty() {
                int.to_string()
            } else {
                format!("{int}.{kept}")
            }
        }
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_decimals_are_shortened_as_text_without_changing_their_value() {
        assert_eq!(exact("197.0000"), "197.00");
        assert_eq!(exact("209.9200"), "209.92");
        assert_eq!(exact("12.1250"), "12.125");
        assert_eq!(exact("7.5"), "7.5");
        assert_eq!(exact("21"), "21");
        assert_eq!(short("21.00"), "21");
        assert_eq!(short("2.50"), "2.5");
        assert_eq!(short("10"), "10");
    }
}
