//! The long tables of a variant besides the grade workbook: the oral grades (with the status in
//! the grade cell or in its own column), the control exams, the jury decisions, the E5B grid
//! levels and the E5A corrector marks. Rows, values and order are the canonical ones (the
//! planted disagreement included); headers, exam names and number types change.

use super::super::exports::SessionExports;
use super::super::model::Epreuve;
use super::super::notes_wide::Cellule;
use super::catalogue::Variante;
use super::tableau::{habiller, Synthese, Tableau};
use super::vocabulaire::{entete, examen, statut, Champ};

/// A grade written as text with a decimal comma (`13,5`) as a number cell; other text as is.
fn number_or_text(s: &str) -> Cellule {
    match s.replace(',', ".").parse::<f64>() {
        Ok(x) if !s.is_empty() => Cellule::Nombre(x),
        _ if s.is_empty() => Cellule::Vide,
        _ => Cellule::Texte(s.to_owned()),
    }
}

/// An exam code (`E5B`) named the variant's way; an unknown code (`C1`) as is.
fn exam_name(code: &str, forme: usize) -> Cellule {
    let nom = Epreuve::TOUTES
        .iter()
        .find(|e| e.code() == code)
        .map_or(code, |&e| examen(e, forme));
    Cellule::Texte(nom.to_owned())
}

fn texte(s: &str) -> Cellule {
    if s.is_empty() {
        Cellule::Vide
    } else {
        Cellule::Texte(s.to_owned())
    }
}

fn headers(v: &Variante, champs: &[Champ]) -> Vec<String> {
    champs.iter().map(|&c| entete(c, v.forme, None)).collect()
}

fn dress(v: &Variante, t: &mut Tableau, annee: i32, quoi: &str, note: Option<usize>) {
    let effectif = super::tableau::count_distinct(&t.lignes, 1);
    let moyenne: Vec<usize> = note.into_iter().collect();
    let s = Synthese {
        quoi,
        colonne: 1,
        effectif,
        moyenne: &moyenne,
    };
    habiller(t, v.habillage, annee, v.formats.annexes.decimale(), &s);
}

/// `oraux`: E2, E5A, E5B and the one-off E4 and E6, one row per grade.
pub(crate) fn oral_table(v: &Variante, x: &SessionExports) -> Tableau {
    let colonnes = v.notes.has_status_column();
    let mut champs = vec![
        Champ::Session,
        Champ::Candidat,
        Champ::Nom,
        Champ::Prenom,
        Champ::Epreuve,
        Champ::Note,
    ];
    if colonnes {
        champs.push(Champ::Statut);
    }
    champs.extend([
        Champ::Examinateur,
        Champ::Commission,
        Champ::Sujet,
        Champ::Centre,
        Champ::DateEpreuve,
        Champ::DemiJournee,
    ]);
    let mut t = Tableau {
        feuille: "Oraux".into(),
        entete: headers(v, &champs),
        ..Tableau::default()
    };
    for r in &x.oraux.lignes {
        let mut l = vec![
            number_or_text(&r[0]),
            texte(&r[1]),
            texte(&r[2]),
            texte(&r[3]),
        ];
        l.push(exam_name(&r[4], v.forme));
        let note = number_or_text(&r[5]);
        match (&note, colonnes) {
            (Cellule::Texte(code), true) => {
                l.push(Cellule::Vide);
                l.push(Cellule::Texte(statut(code, v.forme).to_owned()));
            }
            (_, true) => {
                l.push(note);
                l.push(Cellule::Vide);
            }
            (_, false) => l.push(note),
        }
        l.extend(r[6..].iter().map(|s| texte(s)));
        t.lignes.push(l);
    }
    dress(
        v,
        &mut t,
        x.session.annee,
        "notes des oraux et de l'écrit E5A",
        Some(5),
    );
    t
}

/// `controles`: the control-exam grades.
pub(crate) fn control_table(v: &Variante, x: &SessionExports) -> Tableau {
    let champs = [
        Champ::Session,
        Champ::Candidat,
        Champ::Nom,
        Champ::Prenom,
        Champ::Epreuve,
        Champ::UniteRemplacee,
        Champ::Note,
    ];
    let lignes = super::super::controles::build_rows(&x.session, &x.deliberation);
    let mut t = Tableau {
        feuille: "Contrôles".into(),
        entete: headers(v, &champs),
        lignes: lignes
            .iter()
            .map(|r| {
                let mut l: Vec<Cellule> = r[..6].iter().map(|s| texte(s)).collect();
                l[0] = number_or_text(&r[0]);
                l.push(number_or_text(&r[6]));
                l
            })
            .collect(),
        ..Tableau::default()
    };
    dress(v, &mut t, x.session.annee, "épreuves de contrôle", Some(6));
    t
}

/// `decisions_jury`: points added or decisions, with their reasons.
pub(crate) fn jury_table(v: &Variante, x: &SessionExports) -> Tableau {
    let champs = [
        Champ::Session,
        Champ::Candidat,
        Champ::Nom,
        Champ::Prenom,
        Champ::PointsJury,
        Champ::Decision,
        Champ::Motif,
    ];
    let mut t = Tableau {
        feuille: "Délibérations".into(),
        entete: headers(v, &champs),
        lignes: super::super::jury::build_rows(&x.session, &x.deliberation),
        ..Tableau::default()
    };
    dress(v, &mut t, x.session.annee, "décisions du jury", None);
    t
}

/// `grilles`: the E5B grid levels.
pub(crate) fn grid_table(v: &Variante, x: &SessionExports) -> Tableau {
    let champs = [
        Champ::Session,
        Champ::Candidat,
        Champ::Epreuve,
        Champ::Examinateur,
        Champ::Question,
        Champ::Niveau,
    ];
    let mut t = Tableau {
        feuille: "Grilles E5B".into(),
        entete: headers(v, &champs),
        lignes: x
            .grilles
            .iter()
            .map(|r| {
                vec![
                    number_or_text(&r[0]),
                    texte(&r[1]),
                    exam_name(&r[2], v.forme),
                    texte(&r[3]),
                    texte(&r[4]),
                    number_or_text(&r[5]),
                ]
            })
            .collect(),
        ..Tableau::default()
    };
    dress(
        v,
        &mut t,
        x.session.annee,
        "grilles d'aide à l'évaluation E5B",
        None,
    );
    t
}

/// `correcteurs_e5a`: each E5A corrector's own mark.
pub(crate) fn corrector_table(v: &Variante, x: &SessionExports) -> Tableau {
    let champs = [
        Champ::Session,
        Champ::Candidat,
        Champ::Epreuve,
        Champ::Correcteur,
        Champ::NoteCorrecteur,
    ];
    let mut t = Tableau {
        feuille: "Correcteurs E5A".into(),
        entete: headers(v, &champs),
        lignes: x
            .correcteurs
            .iter()
            .map(|r| {
                vec![
                    number_or_text(&r[0]),
                    texte(&r[1]),
                    exam_name(&r[2], v.forme),
                    texte(&r[3]),
                    number_or_text(&r[4]),
                ]
            })
            .collect(),
        ..Tableau::default()
    };
    dress(
        v,
        &mut t,
        x.session.annee,
        "notes des correcteurs E5A",
        Some(4),
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_become_numbers_and_codes_stay_text() {
        assert_eq!(number_or_text("13,5"), Cellule::Nombre(13.5));
        assert_eq!(number_or_text("ABS"), Cellule::Texte("ABS".into()));
        assert_eq!(number_or_text(""), Cellule::Vide);
        assert_eq!(exam_name("E5B", 1), Cellule::Texte("U52".into()));
        assert_eq!(exam_name("C1", 1), Cellule::Texte("C1".into()));
    }
}
