//! The layout-neutral form of a variant file: sheets of cells with their optional title rows,
//! group row (two-row header), summary and signature rows, and the file format (CSV dialect,
//! `.xlsx` or `.ods`) the writers turn it into.
//!
//! Table builders ([`super::notes`], [`super::livret`], [`super::inscrits`]) fill a [`Tableau`];
//! [`habiller`] adds the titles and footer a variant asks for. Nothing here writes a file.

use super::super::notes_wide::Cellule;
use super::vocabulaire::{SIGNATURES, SYNTHESE_EFFECTIF, SYNTHESE_MOYENNE, TITRES};

/// A CSV character encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encodage {
    /// Windows-1252, no BOM.
    Cp1252,
    /// UTF-8 with a BOM.
    Utf8Bom,
    /// UTF-16 little endian with a BOM.
    Utf16LeBom,
}

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dialecte {
    /// The encoding.
    pub encodage: Encodage,
    /// The field separator (`;` or `,`).
    pub separateur: char,
    /// The decimal mark of numbers (`,` or `.`).
    pub decimale: char,
    /// CRLF line ends (else LF).
    pub crlf: bool,
}

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// A CSV file: one sheet only.
    Csv(Dialecte),
    /// An Office Open XML workbook.
    Xlsx,
    /// An OpenDocument spreadsheet.
    Ods,
}

impl Format {
    /// The file extension.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Csv(_) => "csv",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
        }
    }

    /// The decimal mark of numbers written inside text (`BEN 2021 : 12,5`): the CSV's, else `,`.
    pub(crate) fn decimale(self) -> char {
        match self {
            Format::Csv(d) => d.decimale,
            Format::Xlsx | Format::Ods => ',',
        }
    }

    /// Whether the format holds several sheets.
    pub(crate) fn has_sheets(self) -> bool {
        !matches!(self, Format::Csv(_))
    }
}

/// One sheet (or the whole CSV) of a variant file.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Tableau {
    /// The sheet name (ignored in CSV).
    pub feuille: String,
    /// Title rows above the table.
    pub titres: Vec<String>,
    /// The group row of a two-row header: each label and the number of columns it spans.
    pub groupes: Option<Vec<(String, usize)>>,
    /// The header (label) row.
    pub entete: Vec<String>,
    /// The data rows.
    pub lignes: Vec<Vec<Cellule>>,
    /// Rows under the table after one blank row: summaries, then signatures.
    pub pied: Vec<Vec<Cellule>>,
}

/// A whole variant file: its name (extension included), format and sheets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fichier {
    /// The file name.
    pub nom: String,
    /// The format.
    pub format: Format,
    /// The sheets; a CSV has exactly one.
    pub feuilles: Vec<Tableau>,
    /// The session year (dates inside the packages).
    pub annee: i32,
}

/// What a variant adds around its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Habillage {
    /// Title rows above the header.
    pub titres: bool,
    /// Summary rows ("Nombre de candidats", "Moyenne de la classe") and signature lines under
    /// the table.
    pub pied: bool,
}

/// A number as a French export writes it, to one decimal (`11,2`).
fn one_decimal(x: f64, decimale: char) -> String {
    format!("{x:.1}").replace('.', &decimale.to_string())
}

/// The mean of the numeric cells of `colonnes` over the rows, if any.
fn mean_of(lignes: &[Vec<Cellule>], colonnes: &[usize]) -> Option<f64> {
    let valeurs: Vec<f64> = lignes
        .iter()
        .flat_map(|l| colonnes.iter().filter_map(|&c| l.get(c)))
        .filter_map(|c| match c {
            Cellule::Nombre(x) => Some(*x),
            _ => None,
        })
        .collect();
    (!valeurs.is_empty()).then(|| valeurs.iter().sum::<f64>() / valeurs.len() as f64)
}

/// What the summary rows say about a table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Synthese<'a> {
    /// The edition named in the titles ("relevé de notes").
    pub quoi: &'a str,
    /// The column of the summary labels (the candidate column); their values go in the next one.
    pub colonne: usize,
    /// The number of candidates.
    pub effectif: usize,
    /// The columns whose numbers the second summary row averages.
    pub moyenne: &'a [usize],
}

/// Adds title rows and the footer to `t` as `h` asks, numbers written with `decimale`.
pub(crate) fn habiller(t: &mut Tableau, h: Habillage, annee: i32, decimale: char, s: &Synthese) {
    let remplace = |x: &str| {
        x.replace("{annee}", &annee.to_string())
            .replace("{quoi}", s.quoi)
    };
    if h.titres {
        t.titres = TITRES.iter().map(|x| remplace(x)).collect();
    }
    if !h.pied {
        return;
    }
    let largeur = t.entete.len().max(s.colonne + 2);
    let ligne = |label: &str, valeur: Cellule| {
        let mut l = vec![Cellule::Vide; largeur];
        l[s.colonne] = Cellule::Texte(label.to_owned());
        l[s.colonne + 1] = valeur;
        l
    };
    t.pied
        .push(ligne(SYNTHESE_EFFECTIF, Cellule::Nombre(s.effectif as f64)));
    if let Some(m) = mean_of(&t.lignes, s.moyenne) {
        t.pied.push(ligne(
            SYNTHESE_MOYENNE,
            Cellule::Texte(one_decimal(m, decimale)),
        ));
    }
    t.pied.push(Vec::new());
    for x in SIGNATURES {
        t.pied.push(vec![Cellule::Texte(remplace(x))]);
    }
}

/// Number of distinct values of column `col` over the rows (the candidates of a table).
pub(crate) fn count_distinct(lignes: &[Vec<Cellule>], col: usize) -> usize {
    let mut vus: Vec<&Cellule> = lignes.iter().filter_map(|l| l.get(col)).collect();
    vus.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    vus.dedup();
    vus.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_puts_labels_in_the_candidate_column_and_values_beside() {
        let mut t = Tableau {
            entete: vec!["a".into(), "b".into(), "c".into()],
            lignes: vec![
                vec![
                    Cellule::Vide,
                    Cellule::Texte("1".into()),
                    Cellule::Nombre(10.0),
                ],
                vec![
                    Cellule::Vide,
                    Cellule::Texte("2".into()),
                    Cellule::Nombre(12.4),
                ],
            ],
            ..Tableau::default()
        };
        let h = Habillage {
            titres: true,
            pied: true,
        };
        let s = Synthese {
            quoi: "notes",
            colonne: 1,
            effectif: 2,
            moyenne: &[2],
        };
        habiller(&mut t, h, 2024, ',', &s);
        assert_eq!(t.titres.len(), 3);
        assert!(t.titres[0].ends_with("session 2024"));
        assert_eq!(t.pied[0][1], Cellule::Texte(SYNTHESE_EFFECTIF.into()));
        assert_eq!(t.pied[0][2], Cellule::Nombre(2.0));
        assert_eq!(t.pied[1][2], Cellule::Texte("11,2".into()));
        assert!(t.pied[3][0] == Cellule::Texte("Le chef de centre".into()));
    }
}
