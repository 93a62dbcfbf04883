//! The per-school candidate lists of a variant: the values of the national "Liste simple"
//! (class, number, names, birth date, INE, category, specialty code and label, sex) plus the
//! session and the school's UAI in columns of their own, one file per school.
//!
//! The canonical export's empty columns (` -`) and registration version are left out; the
//! class is written without its single quotes.

use super::super::academy::{CODE_SPECIALITE, ECOLES, SPECIALITE};
use super::super::model::{format_date, Session};
use super::super::notes_wide::Cellule;
use super::super::uai::format_uai;
use super::catalogue::Variante;
use super::tableau::{habiller, Synthese, Tableau};
use super::vocabulaire::{entete, groupe, Champ, Groupe};

const CHAMPS: [Champ; 12] = [
    Champ::Session,
    Champ::Uai,
    Champ::Classe,
    Champ::Candidat,
    Champ::Nom,
    Champ::Prenom,
    Champ::DateNaissance,
    Champ::Sexe,
    Champ::Ine,
    Champ::Voie,
    Champ::CodeSpecialite,
    Champ::Specialite,
];

/// The group row of a two-row list header: school, identity, registration.
fn list_groups(v: &Variante) -> Vec<(String, usize)> {
    [
        (Groupe::Etablissement, 3),
        (Groupe::Identite, 6),
        (Groupe::Inscription, 3),
    ]
    .iter()
    .map(|&(g, n)| (groupe(g, v.forme).to_owned(), n))
    .collect()
}

/// The list of school `ecole` in the variant's layout.
pub(crate) fn list_table(v: &Variante, session: &Session, ecole: usize) -> Tableau {
    let e = &ECOLES[ecole];
    let uai = format_uai(e.numero);
    let t = |s: &str| Cellule::Texte(s.to_owned());
    let lignes = session
        .candidats
        .iter()
        .filter(|c| c.classe().ecole == ecole)
        .map(|c| {
            vec![
                Cellule::Nombre(f64::from(session.annee)),
                t(&uai),
                t(c.classe().code),
                t(&c.numero),
                t(&c.nom),
                t(&c.prenom),
                t(&format_date(c.naissance)),
                t(if c.sexe == 'F' { "F" } else { "M" }),
                t(&c.ine),
                t(c.classe().voie.categorie()),
                t(CODE_SPECIALITE),
                t(SPECIALITE),
            ]
        })
        .collect::<Vec<_>>();
    let effectif = lignes.len();
    let mut tableau = Tableau {
        feuille: "Inscrits".into(),
        entete: CHAMPS
            .iter()
            .map(|&c| entete(c, v.forme, Some(e.nom)))
            .collect(),
        lignes,
        ..Tableau::default()
    };
    if v.deux_lignes {
        tableau.groupes = Some(list_groups(v));
    }
    let s = Synthese {
        quoi: "liste des candidats inscrits",
        colonne: 3,
        effectif,
        moyenne: &[],
    };
    habiller(
        &mut tableau,
        v.habillage,
        session.annee,
        v.formats.listes.decimale(),
        &s,
    );
    tableau
}
