//! Reads the explanation of candidates' results from the views of `queries/97_explication.sql`
//! (and the tables `blocs_acquis`, `candidats_du_reglement` they sit beside): the same tables
//! that give `resultats.csv`, never a second computation.
//!
//! Takes a computed [`Store`]; gives [`Explication`] values, serialisable as the JSON document
//! of `explain --format json` (field names are French, as the tables; decimals are exact strings
//! with a dot). Writes nothing.

use std::collections::BTreeMap;

use duckdb::types::Value;
use serde::Serialize;

use crate::error::Result;
use crate::report::texts::{query_texts_with, Texts};
use crate::store::Store;

/// The JSON document of `explain --format json`: its format name and version, then one
/// explanation per candidate asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Always `ndrc-stats/explication`.
    pub format: &'static str,
    /// The version of this document's fields (raised when a field changes meaning or goes).
    pub version: u32,
    /// One explanation per candidate, ordered by session and candidate number.
    pub explications: Vec<Explication>,
}

impl Document {
    /// The document of `explications`.
    pub fn new(explications: Vec<Explication>) -> Document {
        Document {
            format: "ndrc-stats/explication",
            version: 1,
            explications,
        }
    }
}

/// Where a value was read: file (as loaded), sheet, row and column as the user sees them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    /// The file, as given when it was loaded.
    pub fichier: String,
    /// The sheet of a workbook (`None` for a CSV file).
    pub feuille: Option<String>,
    /// The 1-based row.
    pub ligne: Option<i64>,
    /// The column header.
    pub colonne: Option<String>,
}

/// Another value read for the same key as a stored one: a conflict, never stored.
#[derive(Debug, Clone, Serialize)]
pub struct AutreValeur {
    /// The other value, as read.
    pub valeur: String,
    /// `conflit`: a different value (the first one read is kept). A confirmation (an equal
    /// value) is never stored, so it is never listed.
    pub etat: &'static str,
    /// Where the other value was read.
    pub source: Source,
    /// The reason of the rejet, naming the stored value and its source.
    pub motif: String,
}

/// One exam of the candidate (or a control exam): what was read, from where, and the rule.
#[derive(Debug, Clone, Serialize)]
pub struct Epreuve {
    /// Exam code (E1 … EF2, C1, C2).
    pub epreuve: String,
    /// Its unit (for a control exam: the unit it may replace).
    pub unite: Option<String>,
    /// Its title.
    pub intitule: String,
    /// Its coefficient (`None` for a control exam).
    pub coefficient: Option<String>,
    /// The grade read on 20.
    pub note: Option<String>,
    /// The status code read.
    pub statut: Option<String>,
    /// The origin session of a kept grade.
    pub session_origine: Option<String>,
    /// The grade that counts (0 for a justified absence).
    pub note_comptee: Option<String>,
    /// The scale the grade was read on when it is not 20.
    pub bareme: Option<String>,
    /// Where it was read (`None`: nothing was read).
    pub source: Option<Source>,
    /// The regulation key of the rule applied (`unites[U1].epreuves[E1].coefficient`...).
    pub cle: String,
    /// The rule applied, in French.
    pub regle: String,
    /// The other values read for the same exam.
    pub autres_valeurs: Vec<AutreValeur>,
}

/// One unit as `notes_unites` computed it.
#[derive(Debug, Clone, Serialize)]
pub struct Unite {
    /// Unit code.
    pub unite: String,
    /// Its title.
    pub intitule: String,
    /// `generale`, `professionnelle` or `facultative`.
    pub nature: String,
    /// Its coefficient (`None` for an optional unit).
    pub coefficient: Option<String>,
    /// `notee`, `dispense`, `statut` or `manquante`.
    pub etat: String,
    /// Its points (sum of coefficient × grade), exact.
    pub points: Option<String>,
    /// Its grade, truncated to 2 decimals.
    pub note: Option<String>,
    /// The best control grade given for it.
    pub note_controle: Option<String>,
    /// Its grade after the control exams, when they apply to the candidate.
    pub note_apres_controle: Option<String>,
    /// The computation of its grade, in French.
    pub formule: Option<String>,
    /// The rule applied, in French.
    pub regle: Option<String>,
}

/// Points, coefficients and averages as `moyennes` and `decisions` computed them.
#[derive(Debug, Clone, Serialize)]
pub struct Calcul {
    /// Every mandatory unit has a grade or an exemption.
    pub complet: bool,
    /// Coefficients of the mandatory units not exempted.
    pub coefficients: String,
    /// Points of the optional units above the threshold.
    pub bonus: String,
    /// Points before control exams, bonus included.
    pub points_premier_groupe: Option<String>,
    /// Points / coefficients to 6 decimals (truncated).
    pub moyenne_exacte: Option<String>,
    /// The exact average stops at those 6 decimals.
    pub moyenne_exacte_finie: Option<bool>,
    /// The average before control exams, truncated to 2 decimals.
    pub moyenne_premier_groupe: Option<String>,
    /// Points of the professional units.
    pub points_professionnels: String,
    /// Coefficients of the professional units graded.
    pub coefficients_professionnels: String,
    /// Average of the professional units, truncated to 2 decimals.
    pub moyenne_professionnelle: Option<String>,
    /// The control exams apply to the candidate.
    pub controle_applique: bool,
    /// Points after control exams.
    pub points_controle: Option<String>,
    /// Average after control exams.
    pub moyenne_controle: Option<String>,
    /// The points kept (after control exams when they apply).
    pub points: Option<String>,
    /// The average of `resultats.csv` (column `moyenne`).
    pub moyenne: Option<String>,
}

/// The decisions and the rules that gave them.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The first group's decision (`None` when a blocking decision applies).
    pub premier_groupe: Option<String>,
    /// The blocking decisions that apply, in order of precedence, with their causes.
    pub bloquantes: Option<String>,
    /// What prevents the computation.
    pub manque: Option<String>,
    /// The rule of the first group's (or the blocking) decision, in French.
    pub regle: Option<String>,
    /// The rule of the control exams, in French.
    pub regle_controle: Option<String>,
    /// The rule of the competence blocks, in French.
    pub regle_blocs: Option<String>,
    /// The computed decision (column `decision` of `resultats.csv`).
    pub calculee: String,
    /// The final decision (column `decision_finale` of `resultats.csv`).
    pub finale: String,
}

/// The jury's points or decision, with its source.
#[derive(Debug, Clone, Serialize)]
pub struct Jury {
    /// Points the jury added.
    pub points: Option<String>,
    /// The decision written in the jury's file.
    pub decision_saisie: Option<String>,
    /// Its reason.
    pub motif: Option<String>,
    /// The average with the jury's points.
    pub moyenne_jury: Option<String>,
    /// The jury's decision that applies.
    pub decision: Option<String>,
    /// The rule, in French.
    pub regle: Option<String>,
    /// Where it was read.
    pub source: Option<Source>,
    /// Other values read for the jury's decision.
    pub autres_valeurs: Vec<AutreValeur>,
}

/// A competence block kept.
#[derive(Debug, Clone, Serialize)]
pub struct Bloc {
    /// Its unit.
    pub unite: String,
    /// The block's title.
    pub bloc: String,
    /// The unit grade that gave it.
    pub note: String,
}

/// One line of the livret, year 2.
#[derive(Debug, Clone, Serialize)]
pub struct LigneLivret {
    /// Line 1 to 7.
    pub ligne: String,
    /// Its official title.
    pub intitule: String,
    /// The year-2 average rounded to hundredths.
    pub moyenne: Option<String>,
    /// The missing semester.
    pub manque: Option<String>,
}

/// The livret the jury saw.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Livret {
    /// The seven lines, year 2 (empty when no livret is loaded).
    pub lignes: Vec<LigneLivret>,
    /// The class council's opinion.
    pub avis: Option<String>,
    /// The PIX certification: `oui`, `non`.
    pub pix: Option<String>,
}

/// The candidate's identity as the results show it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Identite {
    /// Surname.
    pub nom: Option<String>,
    /// First name.
    pub prenom: Option<String>,
    /// School (UAI).
    pub uai: Option<String>,
    /// Class.
    pub classe: Option<String>,
    /// Route.
    pub voie: Option<String>,
}

/// The whole explanation of one candidate's result.
#[derive(Debug, Clone, Serialize)]
pub struct Explication {
    /// Session.
    pub session: i32,
    /// Candidate number.
    pub candidat: String,
    /// Identity.
    pub identite: Identite,
    /// The regulation's exams, in its order.
    pub epreuves: Vec<Epreuve>,
    /// The units, in the regulation's order.
    pub unites: Vec<Unite>,
    /// Points and averages.
    pub calcul: Calcul,
    /// The control exams read.
    pub epreuves_controle: Vec<Epreuve>,
    /// Decisions and their rules.
    pub decision: Decision,
    /// The jury, when it decided.
    pub jury: Option<Jury>,
    /// The blocks kept.
    pub blocs_acquis: Vec<Bloc>,
    /// The livret year 2.
    pub livret: Livret,
}

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
                etat: "conflit",
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
