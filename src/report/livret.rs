//! The livret report job (`livret`, `run`): the livret scolaire statistics of every class of the
//! exam year (DOMAIN.md section 5): under `livret/<session>/<uai>/<classe>/`, profil.csv,
//! cotation.csv, one chart per student (`<candidat>.svg` and `.png`) and the printable classe.html;
//! `livret/<session>/signalements.csv` lists the missing semesters and the classes without year-2
//! data, never guessed. What a run writes replaces what an earlier run wrote there: the session's
//! folder (or, with `--uai`/`--classe`, each class folder written) is emptied first, so that no
//! chart of a student who left the class stays behind.

use std::path::{Path, PathBuf};

use duckdb::params_from_iter;
use duckdb::types::Value;

use super::csv::{write_query, Dialect};
use super::html::{render_class_page, ClassPage, StudentBlock};
use super::plots::livret_chart::{write_livret_chart, LivretChart};
use super::Written;
use crate::error::{Error, Result};
use crate::store::Store;
/// Which classes to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LivretFilter {
    /// Exam session (default: the latest of the livret).
    pub session: Option<i32>,
    /// Only this school.
    pub uai: Option<String>,
    /// Only this class.
    pub classe: Option<String>,
}

/// The condition selecting one class, whose parameters are [`class_params`]; `prefix` is a
/// table alias with its dot, or "".
fn class_key(prefix: &str) -> String {
    format!(
        "{prefix}session = ? AND {prefix}uai IS NOT DISTINCT FROM ? \
         AND {prefix}classe IS NOT DISTINCT FROM ?"
    )
}

/// The parameters of [`class_key`].
fn class_params(session: i32, uai: &str, classe: &str) -> Vec<Value> {
    vec![
        Value::Int(session),
        Value::Text(uai.to_string()),
        Value::Text(classe.to_string()),
    ]
}

/// The condition selecting the classes of a session, all or those of [`LivretFilter`]'s school
/// and class; its parameters are the session, the school and the class (NULL: any).
const CLASSES_KEY: &str =
    "session = ? AND uai IS NOT DISTINCT FROM coalesce(CAST(? AS VARCHAR), uai) \
     AND classe IS NOT DISTINCT FROM coalesce(CAST(? AS VARCHAR), classe)";

/// Adds each student's class-council opinion and PIX certification (table `avis`).
fn with_opinions(
    store: &Store,
    session: i32,
    mut eleves: Vec<StudentBlock>,
) -> Result<Vec<StudentBlock>> {
    let rows = read_texts(
        store,
        "SELECT candidat, coalesce(avis, ''),
                CASE WHEN pix THEN 'oui' WHEN NOT pix THEN 'non' ELSE '' END
         FROM avis WHERE session = ? ORDER BY candidat",
        &[Value::Int(session)],
    )?;
    for e in &mut eleves {
        if let Some(r) = rows.iter().find(|r| r[0] == e.candidat) {
            e.avis = r[1].clone();
            e.pix = r[2].clone();
        }
    }
    Ok(eleves)
}

/// A folder or file name from a code: ASCII letters, digits, `-` and `_` kept, anything else `_`.
pub fn file_stem(text: &str) -> String {
    let stem: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "_".into()
    } else {
        stem
    }
}

/// Writes the livret reports of the filtered classes under `<dir>/livret` from the computed
/// tables (run [`crate::compute::compute_results`] first); returns what it wrote and how many
/// classes.
///
/// # Errors
/// [`Error::Store`], [`Error::Output`].
pub fn write_livret(
    store: &Store,
    filter: &LivretFilter,
    dir: &Path,
    dialect: Dialect,
) -> Result<(Written, usize)> {
    let mut written = Written::default();
    let session: Option<i32> = match filter.session {
        Some(y) => Some(y),
        None => store
            .rows(
                "SELECT max(session) FROM livret",
                [],
                "session du livret",
                |r| r.get(0),
            )?
            .into_iter()
            .next()
            .flatten(),
    };
    let Some(session) = session else {
        written.say("livret : aucune donnée de livret scolaire chargée");
        return Ok((written, 0));
    };
    let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::Text);
    let params = vec![Value::Int(session), text(&filter.uai), text(&filter.classe)];
    let classes: Vec<(Option<String>, Option<String>, i64)> = store.rows(
        &format!(
            "SELECT uai, classe, sum(effectif) FROM livret_profils WHERE {CLASSES_KEY}
             GROUP BY uai, classe ORDER BY uai, classe"
        ),
        params_from_iter(&params),
        "classes du livret",
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            ))
        },
    )?;
    let root = dir.join("livret").join(session.to_string());
    let whole_session = filter.uai.is_none() && filter.classe.is_none();
    clear_earlier_output(&dir.join("livret"), &root, whole_session)?;
    let mut charts = 0;
    for (uai, classe, notes) in &classes {
        let (u, c) = (
            uai.clone().unwrap_or_default(),
            classe.clone().unwrap_or_default(),
        );
        if *notes == 0 {
            written.say(format!(
                "livret : classe {c} ({u}) sans aucune moyenne de 2e année : pas de graphique (voir signalements.csv)"
            ));
        }
        let folder = root.join(file_stem(&u)).join(file_stem(&c));
        if !whole_session {
            remove_dir(&folder)?;
        }
        charts += write_class(store, session, &u, &c, &folder, dialect)?;
    }
    let signalements = root.join("signalements.csv");
    let n = write_query(
        store,
        &format!(
            "SELECT session, uai, classe, candidat, annee, ligne, intitule, probleme
             FROM livret_signalements WHERE {CLASSES_KEY}
             ORDER BY uai, classe, candidat NULLS FIRST, annee, ligne"
        ),
        &params,
        &signalements,
        dialect,
        None,
    )?;
    written.say(format!(
        "écrit {} (session {session} : {} classes, {charts} graphiques d'élèves PNG et SVG, {n} signalements dans {})",
        root.display(),
        classes.len(),
        signalements.display()
    ));
    Ok((written, classes.len()))
}

/// Removes what an earlier run wrote where this one writes: the whole session folder `root` when
/// every class of the session is written, and in any case what versions before the session
/// folders wrote directly under `livret` (a folder per school, named by its UAI, and
/// signalements.csv). Other sessions' folders and anything else are left alone.
fn clear_earlier_output(livret: &Path, root: &Path, whole_session: bool) -> Result<()> {
    if whole_session {
        remove_dir(root)?;
    }
    let Ok(entries) = std::fs::read_dir(livret) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && looks_like_uai(&name) {
            remove_dir(&path)?;
        } else if name == "signalements.csv" {
            std::fs::remove_file(&path).map_err(|source| Error::Output { path, source })?;
        }
    }
    Ok(())
}

/// Seven digits and a letter: a school folder of the layout before session folders.
fn looks_like_uai(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() == 8 && bytes[..7].iter().all(u8::is_ascii_digit) && bytes[7].is_ascii_alphabetic()
}

/// Removes a folder and what it holds, when it exists.
fn remove_dir(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Output {
            path: path.to_path_buf(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// One student's year-2 values, read for the chart and the page.
struct Student {
    candidat: String,
    nom: String,
    moyennes: Vec<Option<f64>>,
    textes: Vec<String>,
    manques: Vec<String>,
}

/// Writes one class folder; returns the number of student charts.
fn write_class(
    store: &Store,
    session: i32,
    uai: &str,
    classe: &str,
    folder: &Path,
    dialect: Dialect,
) -> Result<usize> {
    let key = class_key("");
    let params = class_params(session, uai, classe);
    write_query(
        store,
        &format!(
            "SELECT ligne, intitule, moyenne_classe, effectif FROM livret_profils WHERE {key} ORDER BY ligne"
        ),
        &params,
        &folder.join("profil.csv"),
        dialect,
        None,
    )?;
    write_query(
        store,
        &format!(
            "SELECT rubrique, libelle, effectif, sur, pourcentage FROM livret_cotation WHERE {key} ORDER BY ordre"
        ),
        &params,
        &folder.join("cotation.csv"),
        dialect,
        None,
    )?;
    let profil = read_texts(
        store,
        &format!(
            "SELECT CAST(ligne AS VARCHAR), intitule, CAST(moyenne_classe AS VARCHAR),
                    CAST(effectif AS VARCHAR)
             FROM livret_profils WHERE {key} ORDER BY ligne"
        ),
        &params,
    )?;
    let cotation = read_texts(
        store,
        &format!(
            "SELECT rubrique, libelle, CAST(effectif AS VARCHAR), CAST(sur AS VARCHAR),
                    CAST(pourcentage AS VARCHAR)
             FROM livret_cotation WHERE {key} ORDER BY ordre"
        ),
        &params,
    )?;
    // A class without any year-2 average gets its tables and page, but no chart to draw.
    let eleves = if profil.iter().any(|r| r[3] != "0") {
        let students = read_students(store, &params)?;
        write_charts(&students, &profil, session, classe, folder)?
    } else {
        Vec::new()
    };
    let eleves = with_opinions(store, session, eleves)?;
    let charts = eleves.len();
    let fr = |t: &str| super::texts::comma(t);
    let page = ClassPage {
        session,
        uai: uai.to_string(),
        classe: classe.to_string(),
        profil: profil
            .iter()
            .map(|r| [r[0].clone(), r[1].clone(), fr(&r[2]), r[3].clone()])
            .collect(),
        cotation: cotation
            .iter()
            .map(|r| {
                [
                    r[0].clone(),
                    r[1].clone(),
                    r[2].clone(),
                    r[3].clone(),
                    fr(&r[4]),
                ]
            })
            .collect(),
        eleves,
    };
    let html: PathBuf = folder.join("classe.html");
    super::atomic::write_bytes(&html, render_class_page(&page))?;
    Ok(charts)
}

/// Draws every student's chart in `folder`; returns the students' blocks of the class page, in
/// the students' order. The charts are drawn on every core (each file is its own): PNG encoding
/// is most of the livret's time.
fn write_charts(
    students: &[Student],
    profil: &[Vec<String>],
    session: i32,
    classe: &str,
    folder: &Path,
) -> Result<Vec<StudentBlock>> {
    let lignes: Vec<String> = profil.iter().map(|r| r[1].clone()).collect();
    let classe_values: Vec<Option<f64>> = profil.iter().map(|r| r[2].parse().ok()).collect();
    let draw = |s: &Student| -> Result<StudentBlock> {
        let stem = file_stem(&s.candidat);
        let chart = LivretChart {
            titre: format!(
                "{} ({}) - {classe} - session {session}, 2e année",
                s.nom, s.candidat
            ),
            lignes: lignes.clone(),
            classe: classe_values.clone(),
            eleve: s.moyennes.clone(),
        };
        write_livret_chart(&chart, folder, &stem)?;
        Ok(StudentBlock {
            candidat: s.candidat.clone(),
            nom: s.nom.clone(),
            svg: format!("{stem}.svg"),
            moyennes: s.textes.clone(),
            manques: s.manques.clone(),
            avis: String::new(),
            pix: String::new(),
        })
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(students.len());
    if threads <= 1 {
        return students.iter().map(draw).collect();
    }
    let part = students.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = students
            .chunks(part)
            .map(|chunk| scope.spawn(|| chunk.iter().map(draw).collect::<Result<Vec<_>>>()))
            .collect();
        let mut blocks = Vec::with_capacity(students.len());
        for h in handles {
            let drawn = h.join().map_err(|_| {
                Error::Internal(format!(
                    "le dessin des graphiques de la classe {classe} s'est arrêté"
                ))
            })?;
            blocks.extend(drawn?);
        }
        Ok(blocks)
    })
}

/// Runs a query whose columns are all text (NULL read as ""), with `params` bound.
fn read_texts(store: &Store, sql: &str, params: &[Value]) -> Result<Vec<Vec<String>>> {
    let context = "lecture du profil et de la cotation du livret";
    Ok(super::texts::query_texts_with(store, sql, params, context)?.rows)
}

/// Reads every student of a class with their year-2 averages per line and what is missing.
fn read_students(store: &Store, class: &[Value]) -> Result<Vec<Student>> {
    type Line = (
        String,
        String,
        i32,
        i32,
        Option<f64>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Line> = store.rows(
        &format!(
            "SELECT m.candidat, coalesce(trim(coalesce(c.nom, '') || ' ' || coalesce(c.prenom, '')), ''),
                    m.annee, m.ligne, CAST(m.moyenne AS DOUBLE),
                    virgule(CAST(round(m.moyenne, 2) AS DECIMAL(4, 2))), m.manque
             FROM livret_moyennes AS m
             LEFT JOIN candidats AS c ON c.session = m.session AND c.candidat = m.candidat
             WHERE {} ORDER BY m.candidat, m.annee, m.ligne",
            class_key("m.")
        ),
        params_from_iter(class),
        "lecture des moyennes du livret",
        |r| r.try_into(),
    )?;
    let mut students: Vec<Student> = Vec::new();
    for (candidat, nom, annee, ligne, moyenne, texte, manque) in rows {
        if students.last().is_none_or(|s| s.candidat != candidat) {
            students.push(Student {
                candidat: candidat.clone(),
                nom: if nom.is_empty() {
                    candidat.clone()
                } else {
                    nom
                },
                moyennes: Vec::new(),
                textes: Vec::new(),
                manques: Vec::new(),
            });
        }
        let Some(s) = students.last_mut() else {
            continue;
        };
        if annee == 2 {
            s.moyennes.push(moyenne);
            s.textes.push(texte.unwrap_or_default());
        }
        if let Some(m) = manque {
            s.manques
                .push(format!("année {annee}, ligne {ligne} : {m}"));
        }
    }
    Ok(students)
}
