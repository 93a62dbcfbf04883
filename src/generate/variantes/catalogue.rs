//! The layout variants: what each one changes (formats, wide or long grades, status codes in
//! the grade cell or their own column, livret layout, year 1 as semesters or one annual average,
//! where the opinion goes, header wording, two-row headers, titles and footers), as data.
//!
//! Dimensions are combined over eight variants rather than crossed. The README written beside
//! the variants is built from this list ([`readme`]), so it always describes the files.

use std::fmt::Write as _;

use super::tableau::{Dialecte, Encodage, Format, Habillage};

/// How the grades of the grade workbook are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Notes {
    /// One column per exam, the status code in the grade cell (as `data/samples`).
    Large,
    /// One row per grade, the status code in the grade cell.
    LongStatutEnCellule,
    /// One row per grade, the status code in a column of its own beside an empty grade, the
    /// origin session of a kept grade in a third column.
    LongStatutEnColonne,
}

impl Notes {
    /// Whether status codes have a column of their own (also in the oral grades).
    pub(crate) fn has_status_column(self) -> bool {
        self == Notes::LongStatutEnColonne
    }
}

/// How the livret averages are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Livret {
    /// One row per student and subject, one column per semester.
    Large,
    /// One row per student × year × semester × subject.
    Long,
}

/// Where the class council's opinion and the PIX flag go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Avis {
    /// Another sheet of the livret workbook.
    AutreFeuille,
    /// Another file.
    AutreFichier,
}

/// The format of each kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Formats {
    /// The per-school candidate lists.
    pub listes: Format,
    /// The grade workbook and the oral grades.
    pub notes: Format,
    /// The livret (and the opinion when it has its own file).
    pub livret: Format,
    /// Control exams, jury decisions, E5B grids and E5A corrector marks.
    pub annexes: Format,
}

/// One layout variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Variante {
    /// The sub-folder name.
    pub nom: &'static str,
    /// What it exercises, one sentence for the README.
    pub resume: &'static str,
    /// The wording of every header ([`super::vocabulaire`]).
    pub forme: usize,
    /// File formats.
    pub formats: Formats,
    /// Grade layout.
    pub notes: Notes,
    /// Livret layout.
    pub livret: Livret,
    /// Year 1 as one annual average when it is the exact mean of its two semesters.
    pub annee1_annuelle: bool,
    /// Where the opinion goes.
    pub avis: Avis,
    /// Two-row headers: a group row above the labels (merged cells in workbooks).
    pub deux_lignes: bool,
    /// Titles and footer.
    pub habillage: Habillage,
    /// E5A written on 40 in the wide grade table, its header saying « /40 » (seed 001: « notée
    /// sur 40 points »); the reader converts it back to 20.
    pub e5a_sur_40: bool,
}

const fn csv(encodage: Encodage, separateur: char, decimale: char, crlf: bool) -> Format {
    Format::Csv(Dialecte {
        encodage,
        separateur,
        decimale,
        crlf,
    })
}

const CP1252: Format = csv(Encodage::Cp1252, ';', ',', true);
const CP1252_VIRGULE: Format = csv(Encodage::Cp1252, ',', '.', true);
const UTF8_VIRGULE_POINT: Format = csv(Encodage::Utf8Bom, ',', '.', false);
const UTF8_POINT_VIRGULE_POINT: Format = csv(Encodage::Utf8Bom, ';', '.', false);
const UTF16: Format = csv(Encodage::Utf16LeBom, ';', ',', true);
const CP1252_VIRGULE_VIRGULE: Format = csv(Encodage::Cp1252, ',', ',', true);

const fn partout(f: Format) -> Formats {
    Formats {
        listes: f,
        notes: f,
        livret: f,
        annexes: f,
    }
}

const TITRES: Habillage = Habillage {
    titres: true,
    pied: false,
};
const PIED: Habillage = Habillage {
    titres: false,
    pied: true,
};
const TOUT: Habillage = Habillage {
    titres: true,
    pied: true,
};
const RIEN: Habillage = Habillage {
    titres: false,
    pied: false,
};

/// The variants, in folder order.
pub(crate) const VARIANTES: [Variante; 8] = [
    Variante {
        nom: "v1_csv_cp1252_large",
        resume: "tout en CSV Windows-1252, `;`, virgule décimale, CRLF ; notes en large, statut dans la case de la note ; livret en large par semestre ; avis et PIX dans un autre fichier ; lignes de titre au-dessus des tableaux",
        forme: 0,
        formats: partout(CP1252),
        notes: Notes::Large,
        livret: Livret::Large,
        annee1_annuelle: false,
        avis: Avis::AutreFichier,
        deux_lignes: false,
        habillage: TITRES,
        e5a_sur_40: false,
    },
    Variante {
        nom: "v2_xlsx_long_statut_fusion",
        resume: "tout en .xlsx ; notes en long, statut dans sa propre colonne à côté d'une note vide, session d'origine du bénéfice dans une troisième colonne ; en-têtes sur deux lignes (ligne de groupe en cellules fusionnées) ; livret en long par semestre, avis dans une autre feuille ; lignes de synthèse et signatures sous les tableaux",
        forme: 1,
        formats: partout(Format::Xlsx),
        notes: Notes::LongStatutEnColonne,
        livret: Livret::Long,
        annee1_annuelle: false,
        avis: Avis::AutreFeuille,
        deux_lignes: true,
        habillage: PIED,
        e5a_sur_40: false,
    },
    Variante {
        nom: "v3_csv_utf8_virgule_point",
        resume: "tout en CSV UTF-8 avec BOM, séparateur `,`, point décimal, LF ; notes en long, statut dans la case ; livret en large avec l'année 1 en moyenne annuelle (quand elle est la moyenne exacte des deux semestres) ; avis dans un autre fichier",
        forme: 2,
        formats: partout(UTF8_VIRGULE_POINT),
        notes: Notes::LongStatutEnCellule,
        livret: Livret::Large,
        annee1_annuelle: true,
        avis: Avis::AutreFichier,
        deux_lignes: false,
        habillage: RIEN,
        e5a_sur_40: false,
    },
    Variante {
        nom: "v4_ods_large_fusion_annuel",
        resume: "tout en .ods ; notes en large ; en-têtes sur deux lignes (cellules fusionnées) ; livret en long avec l'année 1 en moyenne annuelle, avis dans une autre feuille ; titres, lignes de synthèse et signatures",
        forme: 3,
        formats: partout(Format::Ods),
        notes: Notes::Large,
        livret: Livret::Long,
        annee1_annuelle: true,
        avis: Avis::AutreFeuille,
        deux_lignes: true,
        habillage: TOUT,
        e5a_sur_40: false,
    },
    Variante {
        nom: "v5_csv_utf16_long_statut",
        resume: "tout en CSV UTF-16LE avec BOM, `;`, virgule décimale, CRLF ; notes en long, statut dans sa propre colonne, session d'origine à part ; livret en large avec l'année 1 en moyenne annuelle, avis dans un autre fichier ; lignes de synthèse et signatures",
        forme: 4,
        formats: partout(UTF16),
        notes: Notes::LongStatutEnColonne,
        livret: Livret::Large,
        annee1_annuelle: true,
        avis: Avis::AutreFichier,
        deux_lignes: false,
        habillage: PIED,
        e5a_sur_40: false,
    },
    Variante {
        nom: "v6_xlsx_large_fusion_annuel",
        resume: "tout en .xlsx ; notes en large ; en-têtes sur deux lignes (cellules fusionnées, sous-libellés « Semestre 1 » sous « Première année ») ; livret en large avec l'année 1 en moyenne annuelle, avis et PIX dans un autre classeur ; E5A notée sur 40 (en-tête « /40 », seed 001) ; titres",
        forme: 5,
        formats: partout(Format::Xlsx),
        notes: Notes::Large,
        livret: Livret::Large,
        annee1_annuelle: true,
        avis: Avis::AutreFichier,
        deux_lignes: true,
        habillage: TITRES,
        e5a_sur_40: true,
    },
    Variante {
        nom: "v7_mixte",
        resume: "formats mêlés : listes en CSV UTF-8 avec BOM `;` point décimal, notes et oraux en .ods en long avec statut dans sa propre colonne, livret en .xlsx en long avec l'année 1 en moyenne annuelle et avis dans une autre feuille, annexes en CSV Windows-1252 `,` avec virgule décimale (champs entre guillemets) ; titres, synthèses et signatures",
        forme: 6,
        formats: Formats {
            listes: UTF8_POINT_VIRGULE_POINT,
            notes: Format::Ods,
            livret: Format::Xlsx,
            annexes: CP1252_VIRGULE_VIRGULE,
        },
        notes: Notes::LongStatutEnColonne,
        livret: Livret::Long,
        annee1_annuelle: true,
        avis: Avis::AutreFeuille,
        deux_lignes: false,
        habillage: TOUT,
        e5a_sur_40: false,
    },
    Variante {
        nom: "v8_csv_cp1252_virgule_fusion",
        resume: "tout en CSV Windows-1252, séparateur `,`, point décimal ; notes en large ; en-têtes sur deux lignes (ligne de groupe au-dessus des libellés complets) ; livret en large avec l'année 1 en moyenne annuelle, avis dans un autre fichier ; lignes de synthèse et signatures",
        forme: 7,
        formats: partout(CP1252_VIRGULE),
        notes: Notes::Large,
        livret: Livret::Large,
        annee1_annuelle: true,
        avis: Avis::AutreFichier,
        deux_lignes: true,
        habillage: PIED,
        e5a_sur_40: false,
    },
];

/// The README of the variants folder: what each variant exercises.
pub(crate) fn readme(seed: u64, candidats: usize, sessions: &[i32]) -> String {
    let sessions: Vec<String> = sessions.iter().map(i32::to_string).collect();
    let mut text = format!(
        "# Variantes de mise en forme des exports\n\n\
         Écrites par `ndrc-stats generate --variantes --out <dossier>` (graine {seed}, {candidats} \
         candidats, sessions {}). Chaque sous-dossier contient la **même vérité plantée** que \
         `data/samples` (mêmes candidats, notes, statuts, livret, contrôles, décisions du jury, \
         grilles et erreurs plantées), écrite autrement. Charger un sous-dossier doit donner \
         exactement les mêmes `resultats.csv`, `reussite.csv`, `profil.csv` et `cotation.csv` que \
         `data/samples` (test `tests/cli/variantes.rs`).\n\n\
         Les en-têtes viennent de `src/generate/variantes/vocabulaire.rs` : quatre libellés par \
         champ, aucun n'est un alias exact de `data/profiles/ndrc.toml`. L'année 1 n'est donnée \
         en moyenne annuelle que pour une ligne (élève × matière) dont les deux semestres ont une \
         moyenne exacte à deux décimales ; sinon elle reste en semestres.\n\n\
         | variante | ce qu'elle exerce |\n|---|---|\n",
        sessions.join(", ")
    );
    for v in &VARIANTES {
        let _ = writeln!(text, "| `{}` | {} |", v.nom, v.resume);
    }
    text
}
