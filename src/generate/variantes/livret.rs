//! The livret tables of a variant: the averages (wide, one column per semester, or long, one
//! row per student × year × semester × subject), year 1 optionally as one annual average, and
//! the class council's opinion with the PIX flag in a table of its own.
//!
//! Year 1 of a student's subject is given as one annual average only when both semesters exist
//! and their mean is exact in hundredths (their sum in hundredths is even): then the year's
//! average, the mean of its semesters, is unchanged. Otherwise it stays as two semesters.

use super::super::exports::SessionExports;
use super::super::notes_wide::Cellule;
use super::catalogue::{Livret, Variante};
use super::tableau::{habiller, Synthese, Tableau};
use super::vocabulaire::{entete, groupe, periode, Champ, Groupe};

/// Columns before the averages: session, number, names, UAI, class, subject.
const IDENTITE: [Champ; 7] = [
    Champ::Session,
    Champ::Candidat,
    Champ::Nom,
    Champ::Prenom,
    Champ::Uai,
    Champ::Classe,
    Champ::Matiere,
];

/// The label row under the "year" groups of a two-row wide livret: S1, S2, annual average.
pub(crate) const SOUS_LIBELLES: [[&str; 3]; 4] = [
    ["Semestre 1", "Semestre 2", "Moyenne annuelle"],
    ["S1", "S2", "Moy. annuelle"],
    ["1er semestre", "2nd semestre", "Moyenne de l'année"],
    ["Sem. 1", "Sem. 2", "Annuelle"],
];

fn hundredths(c: &Cellule) -> Option<i64> {
    match c {
        // Averages have two decimals: the product is within 1e-9 of an integer.
        Cellule::Nombre(x) => Some((x * 100.0).round() as i64),
        _ => None,
    }
}

/// The annual average of year 1 when it is the exact mean of both semesters.
pub(crate) fn exact_annual(s1: &Cellule, s2: &Cellule) -> Option<f64> {
    let somme = hundredths(s1)? + hundredths(s2)?;
    (somme % 2 == 0).then(|| (somme / 2) as f64 / 100.0)
}

/// The year-1 cells and the year-2 cells of a canonical averages row.
fn semesters(r: &[Cellule]) -> (&[Cellule], &[Cellule]) {
    let moyennes = r.get(IDENTITE.len()..).unwrap_or(&[]);
    moyennes.split_at(moyennes.len().min(2))
}

fn wide_header(v: &Variante) -> (Vec<String>, Option<Vec<(String, usize)>>) {
    let mut champs = IDENTITE.to_vec();
    if v.annee1_annuelle {
        champs.push(Champ::A1Annuelle);
    }
    champs.extend([Champ::A1S1, Champ::A1S2, Champ::A2S1, Champ::A2S2]);
    // Workbooks (real merged cells) put short labels under the year groups; a CSV keeps full
    // labels under its group row.
    if !v.deux_lignes || !v.formats.livret.has_sheets() {
        let entetes = champs.iter().map(|&c| entete(c, v.forme, None)).collect();
        return (entetes, v.deux_lignes.then(|| livret_groups(v)));
    }
    let [s1, s2, an] = SOUS_LIBELLES[v.forme % SOUS_LIBELLES.len()];
    let mut entetes: Vec<String> = IDENTITE.iter().map(|&c| entete(c, v.forme, None)).collect();
    if v.annee1_annuelle {
        entetes.push(an.to_owned());
    }
    entetes.extend([s1, s2, s1, s2].map(str::to_owned));
    (entetes, Some(livret_groups(v)))
}

fn livret_groups(v: &Variante) -> Vec<(String, usize)> {
    let a1 = 2 + usize::from(v.annee1_annuelle);
    [
        (Groupe::Identite, 4),
        (Groupe::Etablissement, 3),
        (Groupe::Annee1, a1),
        (Groupe::Annee2, 2),
    ]
    .iter()
    .map(|&(g, n)| (groupe(g, v.forme).to_owned(), n))
    .collect()
}

fn wide_rows(v: &Variante, x: &SessionExports) -> Vec<Vec<Cellule>> {
    x.livret
        .moyennes
        .iter()
        .map(|r| {
            let mut l = r[..IDENTITE.len().min(r.len())].to_vec();
            let (a1, a2) = semesters(r);
            let annuelle = match a1 {
                [s1, s2] if v.annee1_annuelle => exact_annual(s1, s2),
                _ => None,
            };
            if v.annee1_annuelle {
                l.push(annuelle.map_or(Cellule::Vide, Cellule::Nombre));
            }
            if annuelle.is_some() {
                l.extend([Cellule::Vide, Cellule::Vide]);
            } else {
                l.extend(a1.iter().cloned());
            }
            l.extend(a2.iter().cloned());
            l
        })
        .collect()
}

fn long_rows(v: &Variante, x: &SessionExports) -> Vec<Vec<Cellule>> {
    let mut lignes = Vec::new();
    for r in &x.livret.moyennes {
        let ident = &r[..IDENTITE.len().min(r.len())];
        let (a1, a2) = semesters(r);
        let mut push = |annee: u8, p: usize, c: &Cellule| {
            if *c == Cellule::Vide {
                return;
            }
            let mut l = ident.to_vec();
            l.push(Cellule::Nombre(f64::from(annee)));
            l.push(Cellule::Texte(periode(p, v.forme).to_owned()));
            l.push(c.clone());
            lignes.push(l);
        };
        match a1 {
            [s1, s2] if v.annee1_annuelle && exact_annual(s1, s2).is_some() => {
                let an = exact_annual(s1, s2).map_or(Cellule::Vide, Cellule::Nombre);
                push(1, 2, &an);
            }
            _ => a1.iter().enumerate().for_each(|(p, c)| push(1, p, c)),
        }
        a2.iter().enumerate().for_each(|(p, c)| push(2, p, c));
    }
    lignes
}

/// The averages table of the livret.
pub(crate) fn averages_table(v: &Variante, x: &SessionExports) -> Tableau {
    let (entete_, groupes, lignes) = match v.livret {
        Livret::Large => {
            let (e, g) = wide_header(v);
            (e, g, wide_rows(v, x))
        }
        Livret::Long => {
            let mut champs = IDENTITE.to_vec();
            champs.extend([Champ::AnneeFormation, Champ::Semestre, Champ::Moyenne]);
            let e = champs.iter().map(|&c| entete(c, v.forme, None)).collect();
            (e, None, long_rows(v, x))
        }
    };
    let moyenne: Vec<usize> = (IDENTITE.len()..entete_.len()).collect();
    let mut t = Tableau {
        feuille: "Moyennes du livret".into(),
        entete: entete_,
        groupes,
        lignes,
        ..Tableau::default()
    };
    let moyenne = match v.livret {
        Livret::Large => moyenne,
        Livret::Long => moyenne.last().copied().into_iter().collect(),
    };
    let s = Synthese {
        quoi: "livret scolaire, moyennes",
        colonne: 1,
        effectif: super::tableau::count_distinct(&t.lignes, 1),
        moyenne: &moyenne,
    };
    habiller(
        &mut t,
        v.habillage,
        x.session.annee,
        v.formats.livret.decimale(),
        &s,
    );
    t
}

/// The class council's opinion and the PIX flag, one row per student.
pub(crate) fn opinion_table(v: &Variante, x: &SessionExports) -> Tableau {
    let champs = [
        Champ::Session,
        Champ::Candidat,
        Champ::Nom,
        Champ::Prenom,
        Champ::Avis,
        Champ::Pix,
    ];
    let mut t = Tableau {
        feuille: "Conseil de classe".into(),
        entete: champs.iter().map(|&c| entete(c, v.forme, None)).collect(),
        lignes: x.livret.avis.clone(),
        ..Tableau::default()
    };
    let s = Synthese {
        quoi: "livret scolaire, avis du conseil de classe",
        colonne: 1,
        effectif: t.lignes.len(),
        moyenne: &[],
    };
    habiller(
        &mut t,
        v.habillage,
        x.session.annee,
        v.formats.livret.decimale(),
        &s,
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annual_average_only_when_the_mean_is_exact_in_hundredths() {
        let n = Cellule::Nombre;
        assert_eq!(exact_annual(&n(12.17), &n(13.01)), Some(12.59));
        assert_eq!(exact_annual(&n(12.17), &n(13.0)), None);
        assert_eq!(exact_annual(&Cellule::Vide, &n(13.0)), None);
    }
}
