//! The grade tables of a variant: the grade workbook (wide, or long with the status code in
//! the grade cell or in its own column beside the origin session of a kept grade) and the oral
//! grades, built from the canonical session exports so that they carry the same values, the
//! same planted errors and the same duplicate row.
//!
//! A cell of the canonical sheet is re-spelt from the simulated result (numbers as numbers, a
//! kept grade with the variant's decimal mark), except the planted bad cells, which are copied
//! as they are (`21`, `douze`, `XYZ`).

use std::collections::BTreeSet;

use super::super::exports::SessionExports;
use super::super::model::{Candidat, Centiemes, Epreuve, Resultat};
use super::super::notes_wide::{exam_column, Cellule, LIGNE_ENTETE};
use super::catalogue::{Notes, Variante};
use super::tableau::{habiller, Synthese, Tableau};
use super::vocabulaire::{entete, examen, groupe, statut, Champ, Groupe};

/// The identity columns of a grade row, in the order of the canonical sheet, after the session.
const IDENTITE: [Champ; 7] = [
    Champ::Academie,
    Champ::Uai,
    Champ::Etablissement,
    Champ::Classe,
    Champ::Candidat,
    Champ::Nom,
    Champ::Prenom,
];

/// The column of the candidate number in a grade table (the session comes first).
const COLONNE_CANDIDAT: usize = 5;

/// What one exam cell holds, as the variant must write it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Valeur<'a> {
    /// A simulated result, with the canonical cell (its status spelling).
    Resultat(Resultat, &'a Cellule),
    /// A planted bad cell, copied as is.
    Brut(&'a Cellule),
}

/// A grade with the variant's decimal mark: `12,5` or `12.5`.
pub(crate) fn grade_text(n: Centiemes, decimale: char) -> String {
    n.comma_short().replace(',', &decimale.to_string())
}

fn status_code(r: Resultat) -> &'static str {
    match r {
        Resultat::Absent => "ABS",
        Resultat::AbsentJustifie => "ABJ",
        Resultat::NonValide => "NV",
        Resultat::Dispense => "DISP",
        Resultat::Benefice { .. } => "BEN",
        Resultat::Note(_) => "",
    }
}

/// The cell with the status in it (as the canonical sheet spells statuses).
fn in_cell(v: Valeur<'_>, decimale: char) -> Cellule {
    match v {
        Valeur::Brut(c) => c.clone(),
        Valeur::Resultat(Resultat::Note(n), _) => Cellule::Nombre(n.points()),
        Valeur::Resultat(Resultat::Benefice { origine, note }, canon) => {
            let prefixe = matches!(canon, Cellule::Texte(t) if t.starts_with("BEN"));
            Cellule::Texte(if prefixe {
                format!("BEN {origine} : {}", grade_text(note, decimale))
            } else {
                let padded = note.comma_padded().replace(',', &decimale.to_string());
                format!("{padded} (BEN {origine})")
            })
        }
        Valeur::Resultat(_, canon) => canon.clone(),
    }
}

/// The same value marked on 40: a grade or kept grade doubled, anything else as it is.
fn on_40(v: Valeur<'_>) -> Valeur<'_> {
    let double = |n: Centiemes| Centiemes(n.0 * 2);
    match v {
        Valeur::Resultat(Resultat::Note(n), c) => Valeur::Resultat(Resultat::Note(double(n)), c),
        Valeur::Resultat(Resultat::Benefice { origine, note }, c) => Valeur::Resultat(
            Resultat::Benefice {
                origine,
                note: double(note),
            },
            c,
        ),
        other => other,
    }
}

/// Grade, status and origin session in three cells. An unknown code in capitals (`XYZ`) goes in
/// the status column; any other bad cell stays a grade.
fn in_columns(v: Valeur<'_>, forme: usize) -> [Cellule; 3] {
    match v {
        Valeur::Brut(Cellule::Texte(t)) if t.chars().all(|c| c.is_ascii_uppercase()) => {
            [Cellule::Vide, Cellule::Texte(t.clone()), Cellule::Vide]
        }
        Valeur::Brut(c) => [c.clone(), Cellule::Vide, Cellule::Vide],
        Valeur::Resultat(Resultat::Note(n), _) => {
            [Cellule::Nombre(n.points()), Cellule::Vide, Cellule::Vide]
        }
        Valeur::Resultat(Resultat::Benefice { origine, note }, _) => [
            Cellule::Nombre(note.points()),
            Cellule::Texte(statut("BEN", forme).to_owned()),
            Cellule::Nombre(f64::from(origine)),
        ],
        Valeur::Resultat(r, _) => [
            Cellule::Vide,
            Cellule::Texte(statut(status_code(r), forme).to_owned()),
            Cellule::Vide,
        ],
    }
}

/// The canonical rows with, for each exam, what it holds (`None`: no cell).
fn grade_rows(x: &SessionExports) -> Vec<(&[Cellule], Vec<Option<Valeur<'_>>>)> {
    let plantees: BTreeSet<(usize, usize)> = x
        .notes
        .erreurs
        .iter()
        .filter_map(|e| {
            let col = x.notes.entetes.iter().position(|h| *h == e.colonne)?;
            let row = usize::try_from(e.ligne.checked_sub(LIGNE_ENTETE + 1)?).ok()?;
            (col >= exam_column(Epreuve::E1)).then_some((row, col))
        })
        .collect();
    let par_numero = |n: &Cellule| -> Option<&Candidat> {
        x.session
            .candidats
            .iter()
            .find(|c| matches!(n, Cellule::Texte(t) if *t == c.numero))
    };
    x.notes
        .lignes
        .iter()
        .enumerate()
        .map(|(i, ligne)| {
            let c = ligne.get(4).and_then(par_numero);
            let valeurs = Epreuve::TOUTES
                .iter()
                .map(|&e| {
                    let col = exam_column(e);
                    let cell = ligne.get(col)?;
                    if plantees.contains(&(i, col)) {
                        return Some(Valeur::Brut(cell));
                    }
                    let r = c?.resultats.get(&e)?;
                    Some(Valeur::Resultat(*r, cell))
                })
                .collect();
            (&ligne[..IDENTITE.len().min(ligne.len())], valeurs)
        })
        .collect()
}

fn identity_cells(annee: i32, ident: &[Cellule]) -> Vec<Cellule> {
    let mut l = vec![Cellule::Nombre(f64::from(annee))];
    l.extend(ident.iter().cloned());
    l
}

fn identity_header(v: &Variante) -> Vec<String> {
    std::iter::once(Champ::Session)
        .chain(IDENTITE)
        .map(|c| entete(c, v.forme, None))
        .collect()
}

fn identity_groups(v: &Variante, dernier: (Groupe, usize)) -> Vec<(String, usize)> {
    [
        (Groupe::Inscription, 2),
        (Groupe::Etablissement, 3),
        (Groupe::Identite, 3),
        dernier,
    ]
    .iter()
    .map(|&(g, n)| (groupe(g, v.forme).to_owned(), n))
    .collect()
}

/// The grade workbook's table in the variant's layout.
pub(crate) fn grade_table(v: &Variante, x: &SessionExports) -> Tableau {
    let decimale = v.formats.notes.decimale();
    let annee = x.session.annee;
    let mut t = Tableau {
        feuille: "Relevé de notes".into(),
        entete: identity_header(v),
        ..Tableau::default()
    };
    let extra = match v.notes {
        Notes::Large => {
            let sur_40 = |e: Epreuve| v.e5a_sur_40 && e == Epreuve::E5A;
            t.entete.extend(Epreuve::TOUTES.map(|e| {
                let h = entete(Champ::Examen(e), v.forme, None);
                if sur_40(e) {
                    format!("{h} /40")
                } else {
                    h
                }
            }));
            for (ident, valeurs) in grade_rows(x) {
                let mut l = identity_cells(annee, ident);
                l.extend(valeurs.iter().zip(Epreuve::TOUTES).map(|(val, e)| {
                    val.map_or(Cellule::Vide, |val| {
                        if sur_40(e) {
                            in_cell(on_40(val), decimale)
                        } else {
                            in_cell(val, decimale)
                        }
                    })
                }));
                t.lignes.push(l);
            }
            Epreuve::TOUTES.len()
        }
        Notes::LongStatutEnCellule | Notes::LongStatutEnColonne => {
            long_rows(v, x, &mut t, decimale);
            t.entete.len() - IDENTITE.len() - 1
        }
    };
    if v.deux_lignes {
        let dernier = if v.notes == Notes::Large {
            Groupe::Notes
        } else {
            Groupe::Epreuve
        };
        t.groupes = Some(identity_groups(v, (dernier, extra)));
    }
    let moyenne: Vec<usize> = (IDENTITE.len() + 1..t.entete.len()).collect();
    let effectif = super::tableau::count_distinct(&t.lignes, COLONNE_CANDIDAT);
    let s = Synthese {
        quoi: "relevé des notes par candidat",
        colonne: COLONNE_CANDIDAT,
        effectif,
        moyenne: if v.notes == Notes::Large {
            &moyenne
        } else {
            &moyenne[1..2]
        },
    };
    habiller(&mut t, v.habillage, annee, decimale, &s);
    t
}

fn long_rows(v: &Variante, x: &SessionExports, t: &mut Tableau, decimale: char) {
    let colonnes = v.notes.has_status_column();
    t.entete.push(entete(Champ::Epreuve, v.forme, None));
    t.entete.push(entete(Champ::Note, v.forme, None));
    if colonnes {
        t.entete.push(entete(Champ::Statut, v.forme, None));
        t.entete.push(entete(Champ::SessionOrigine, v.forme, None));
    }
    for (ident, valeurs) in grade_rows(x) {
        for (&e, val) in Epreuve::TOUTES.iter().zip(&valeurs) {
            let Some(val) = *val else { continue };
            let mut l = identity_cells(x.session.annee, ident);
            l.push(Cellule::Texte(examen(e, v.forme).to_owned()));
            if colonnes {
                l.extend(in_columns(val, v.forme));
            } else {
                l.push(in_cell(val, decimale));
            }
            t.lignes.push(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_grade_gives_grade_status_and_origin_in_three_columns() {
        let ben = Resultat::Benefice {
            origine: 2021,
            note: Centiemes(1250),
        };
        let canon = Cellule::Texte("12,50 (BEN 2021)".into());
        let cells = in_columns(Valeur::Resultat(ben, &canon), 1);
        assert_eq!(
            cells,
            [
                Cellule::Nombre(12.5),
                Cellule::Texte("Bénéfice".into()),
                Cellule::Nombre(2021.0)
            ]
        );
        assert_eq!(
            in_cell(Valeur::Resultat(ben, &canon), '.'),
            Cellule::Texte("12.50 (BEN 2021)".into())
        );
        let xyz = Cellule::Texte("XYZ".into());
        assert_eq!(in_columns(Valeur::Brut(&xyz), 0)[1], xyz);
    }
}
