//! `notes_<Y>.xlsx`: the session's grades in a wide layout (one column per exam), as a
//! hand-made academy workbook would hold them.
//!
//! Sheet `Notes`: three title rows, a blank row, the header on row 5, one row per candidate.
//! Exam headers are spelt differently each session. About 20 % of the grades are text cells with
//! a decimal comma; status codes are spelt several ways; kept grades read `BEN 2021 : 12,5` or
//! `12,50 (BEN 2021)`; an empty cell means "not registered" (EF1). Sheet `Légende` explains the
//! codes in free text. In the last session, [`super::planted`] errors are written in.

use std::path::Path;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::academy::{ACADEMIE, ACADEMIE_NOM, SPECIALITE};
use super::model::{rng_for, Candidat, Epreuve, Flux, Resultat, Session};
use super::planted::{ErreurPlantee, Plantations};
use super::uai::{format_uai, format_uai_with_wrong_letter};
use super::xlsx::{new_workbook, save, xlsx_error};
use crate::error::Result;

/// The 1-based row of the header (three title rows and a blank row come first).
pub(crate) const LIGNE_ENTETE: u32 = 5;

/// The sheet holding the grades.
pub(crate) const FEUILLE_NOTES: &str = "Notes";

const COLONNES_FIXES: [&str; 7] = [
    "Académie",
    "UAI",
    "Etablissement",
    "Classe",
    "N° candidat",
    "Nom",
    "Prénom",
];

/// The exam headers of each spelling, in the order of [`Epreuve::TOUTES`].
const ENTETES_EPREUVES: [[&str; 8]; 3] = [
    [
        "E1 - Culture générale et expression",
        "U2 LV1",
        "E3",
        "E4",
        "E5 A",
        "U52",
        "E6",
        "EF1 LV2 facultative",
    ],
    ["U1", "U2", "U3", "U4", "U51", "U52", "U6", "UF1"],
    [
        "Culture générale et expression",
        "LV1",
        "Culture économique, juridique et managériale",
        "Relation client et négociation-vente",
        "E5 écrit",
        "E5 pratique",
        "Relation client et animation de réseaux",
        "LV2",
    ],
];

const LEGENDE: [&str; 7] = [
    "Légende des codes utilisés dans la feuille Notes",
    "ABS, Abs., absent : absence non justifiée à l'épreuve",
    "ABJ, Abs. justifiée : absence justifiée (force majeure)",
    "NV, Non valide : dossier non conforme (E4, E6)",
    "DISP, Dispensé, Dispense : dispense d'épreuve (diplôme antérieur)",
    "BEN <année> : note conservée d'une session antérieure (bénéfice)",
    "Case vide : épreuve facultative non choisie",
];

/// A cell of the grade sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cellule {
    /// No value.
    Vide,
    /// A text cell.
    Texte(String),
    /// A numeric cell.
    Nombre(f64),
}

/// The grade sheet of a session, ready to write or to count.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FeuilleNotes {
    /// The session year.
    pub annee: i32,
    /// The header row.
    pub entetes: Vec<String>,
    /// The data rows, the planted duplicate included.
    pub lignes: Vec<Vec<Cellule>>,
    /// The errors planted in this sheet.
    pub erreurs: Vec<ErreurPlantee>,
}

/// The exam headers used for a session (the spelling cycles over the years).
pub(crate) fn exam_headers(annee: i32) -> [&'static str; 8] {
    ENTETES_EPREUVES[(annee - 2022).rem_euclid(3) as usize]
}

/// The column of an exam in the sheet (0-based).
pub(crate) fn exam_column(epreuve: Epreuve) -> usize {
    COLONNES_FIXES.len()
        + Epreuve::TOUTES
            .iter()
            .position(|&e| e == epreuve)
            .expect("every exam is in the list")
}

/// Lays out the grade sheet; `plantations` plants the last session's errors.
pub(crate) fn build_sheet(
    session: &Session,
    seed: u64,
    plantations: Option<&Plantations>,
) -> FeuilleNotes {
    let mut rng = rng_for(seed, session.annee, Flux::Cellules);
    let mut lignes: Vec<Vec<Cellule>> = session
        .candidats
        .iter()
        .map(|c| candidate_row(c, &mut rng))
        .collect();
    let entetes: Vec<String> = COLONNES_FIXES
        .iter()
        .chain(exam_headers(session.annee).iter())
        .map(|h| (*h).to_owned())
        .collect();
    let erreurs = match plantations {
        Some(p) => plant_errors(&mut lignes, session, &entetes, p),
        None => Vec::new(),
    };
    FeuilleNotes {
        annee: session.annee,
        entetes,
        lignes,
        erreurs,
    }
}

fn candidate_row(c: &Candidat, rng: &mut ChaCha8Rng) -> Vec<Cellule> {
    let mut ligne: Vec<Cellule> = [
        ACADEMIE.to_owned(),
        c.uai(),
        c.ecole().nom.to_owned(),
        c.classe().code.to_owned(),
        c.numero.clone(),
        c.nom.clone(),
        c.prenom.clone(),
    ]
    .into_iter()
    .map(Cellule::Texte)
    .collect();
    for epreuve in Epreuve::TOUTES {
        ligne.push(grade_cell(c.resultats.get(&epreuve), rng));
    }
    ligne
}

fn one_of(rng: &mut ChaCha8Rng, spellings: &[&str]) -> Cellule {
    Cellule::Texte((*spellings.choose(rng).expect("spellings are not empty")).to_owned())
}

/// How a result is written: mostly numbers, sometimes text with a decimal comma, status codes
/// in their various spellings.
fn grade_cell(resultat: Option<&Resultat>, rng: &mut ChaCha8Rng) -> Cellule {
    match resultat {
        None => Cellule::Vide,
        Some(Resultat::Note(n)) if rng.gen_bool(0.2) => Cellule::Texte(if rng.gen_bool(0.5) {
            n.comma_short()
        } else {
            n.comma_padded()
        }),
        Some(Resultat::Note(n)) => Cellule::Nombre(n.points()),
        Some(Resultat::Absent) => one_of(rng, &["ABS", "Abs.", "absent"]),
        Some(Resultat::AbsentJustifie) => one_of(rng, &["ABJ", "Abs. justifiée"]),
        Some(Resultat::NonValide) => one_of(rng, &["NV", "Non valide"]),
        Some(Resultat::Dispense) => one_of(rng, &["DISP", "Dispensé", "Dispense"]),
        Some(Resultat::Benefice { origine, note }) => Cellule::Texte(if rng.gen_bool(0.5) {
            format!("BEN {origine} : {}", note.comma_short())
        } else {
            format!("{} (BEN {origine})", note.comma_padded())
        }),
    }
}

/// Locates planted errors: candidate rows and their 1-based row numbers.
struct Reperes<'a> {
    session: &'a Session,
    entetes: &'a [String],
    /// Index of the duplicated candidate; rows after it move down by one.
    doublon: usize,
}

impl Reperes<'_> {
    fn index(&self, numero: &str) -> usize {
        self.session
            .candidats
            .iter()
            .position(|c| c.numero == numero)
            .expect("planted candidates belong to the session")
    }

    fn erreur(&self, i: usize, colonne: usize, valeur: &str, attendu: String) -> ErreurPlantee {
        let decale = if i > self.doublon { i + 1 } else { i };
        ErreurPlantee {
            fichier: format!("notes_{}.xlsx", self.session.annee),
            feuille: Some(FEUILLE_NOTES.to_owned()),
            ligne: LIGNE_ENTETE + 1 + u32::try_from(decale).expect("row numbers fit in u32"),
            colonne: self.entetes.get(colonne).cloned().unwrap_or_default(),
            candidat: self.session.candidats[i].numero.clone(),
            valeur: valeur.to_owned(),
            attendu,
        }
    }
}

/// Writes the planted errors into the rows and says where they are.
fn plant_errors(
    lignes: &mut Vec<Vec<Cellule>>,
    session: &Session,
    entetes: &[String],
    p: &Plantations,
) -> Vec<ErreurPlantee> {
    let mut r = Reperes {
        session,
        entetes,
        doublon: 0,
    };
    r.doublon = r.index(&p.doublon);
    let mut erreurs = plant_cell_errors(lignes, &r, p);
    let i = r.index(&p.uai_faux);
    let numero = session.candidats[i].ecole().numero;
    let faux = format_uai_with_wrong_letter(numero);
    lignes[i][1] = Cellule::Texte(faux.clone());
    let attendu = format!(
        "UAI à clé de contrôle invalide (attendu {}) : rejet",
        format_uai(numero)
    );
    erreurs.push(r.erreur(i, 1, &faux, attendu));
    let copie = lignes[r.doublon].clone();
    lignes.insert(r.doublon + 1, copie);
    let mut ligne_doublon = r.erreur(r.doublon, usize::MAX, &p.doublon, String::new());
    ligne_doublon.ligne += 1;
    ligne_doublon.attendu = format!(
        "doublon exact de la ligne {} : signalé, chargé une seule fois",
        ligne_doublon.ligne - 1
    );
    erreurs.push(ligne_doublon);
    erreurs.sort_by_key(|e| e.ligne);
    erreurs
}

/// The three bad exam cells: a grade of 21, an unknown status, a grade in words.
fn plant_cell_errors(
    lignes: &mut [Vec<Cellule>],
    r: &Reperes<'_>,
    p: &Plantations,
) -> Vec<ErreurPlantee> {
    let cellules = [
        (
            &p.note_21,
            Epreuve::E3,
            Cellule::Nombre(21.0),
            "21",
            "note hors de l'intervalle 0–20",
        ),
        (
            &p.statut_inconnu,
            Epreuve::E6,
            Cellule::Texte("XYZ".into()),
            "XYZ",
            "code de statut inconnu",
        ),
        (
            &p.note_en_lettres,
            Epreuve::E1,
            Cellule::Texte("douze".into()),
            "douze",
            "note non numérique",
        ),
    ];
    cellules
        .into_iter()
        .map(|(numero, epreuve, cellule, valeur, motif)| {
            let (i, col) = (r.index(numero), exam_column(epreuve));
            lignes[i][col] = cellule;
            r.erreur(i, col, valeur, format!("{motif} : rejet"))
        })
        .collect()
}

/// Writes the workbook.
///
/// # Errors
///
/// [`crate::error::Error::Output`] when the workbook cannot be built or written.
pub(crate) fn write_workbook(path: &Path, feuille: &FeuilleNotes) -> Result<()> {
    let err = xlsx_error(path);
    let mut workbook = new_workbook(path, feuille.annee)?;
    write_notes_sheet(workbook.add_worksheet(), feuille).map_err(&err)?;
    let legende = workbook.add_worksheet();
    legende.set_name("Légende").map_err(&err)?;
    legende.set_column_width(0, 70).map_err(&err)?;
    for (row, texte) in (0u32..).zip(LEGENDE) {
        legende.write_string(row, 0, texte).map_err(&err)?;
    }
    save(&mut workbook, path)
}

fn write_notes_sheet(ws: &mut Worksheet, feuille: &FeuilleNotes) -> Result<(), XlsxError> {
    ws.set_name(FEUILLE_NOTES)?;
    ws.write_string(0, 0, format!("BTS {SPECIALITE}"))?;
    ws.write_string(1, 0, format!("Session {} – {ACADEMIE_NOM}", feuille.annee))?;
    ws.write_string(2, 0, "Relevé des notes par candidat")?;
    let entete = LIGNE_ENTETE - 1;
    for (col, titre) in (0u16..).zip(&feuille.entetes) {
        ws.write_string(entete, col, titre.as_str())?;
    }
    for (col, largeur) in (0u16..).zip([9, 10, 30, 13, 13, 18, 15]) {
        ws.set_column_width(col, largeur)?;
    }
    for (row, ligne) in (entete + 1..).zip(&feuille.lignes) {
        for (col, cellule) in (0u16..).zip(ligne) {
            match cellule {
                Cellule::Vide => {}
                Cellule::Texte(t) => {
                    ws.write_string(row, col, t.as_str())?;
                }
                Cellule::Nombre(x) => {
                    ws.write_number(row, col, *x)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_default_session_spells_its_exam_headers_differently() {
        assert_eq!(exam_headers(2022)[0], "E1 - Culture générale et expression");
        assert_eq!(exam_headers(2023)[4], "U51");
        assert_eq!(
            exam_headers(2024)[2],
            "Culture économique, juridique et managériale"
        );
    }

    #[test]
    fn kept_grades_name_their_origin_session() {
        let mut rng = rng_for(1, 2024, Flux::Cellules);
        let ben = Resultat::Benefice {
            origine: 2021,
            note: crate::generate::model::Centiemes(1250),
        };
        for _ in 0..10 {
            let Cellule::Texte(t) = grade_cell(Some(&ben), &mut rng) else {
                panic!("a kept grade is text");
            };
            assert!(t == "BEN 2021 : 12,5" || t == "12,50 (BEN 2021)", "{t}");
        }
    }
}
