//! The shape of every table a loaded file feeds, declared once: its columns in order with their
//! kind, and how its staging table merges into it (keys, values that conflict, attributes that
//! fill). The Arrow batches of `ingest/batches.rs`, the staging tables and the merge SQL of
//! `store.rs` are derived from here; a test checks that `queries/00_schema.sql` creates exactly
//! these columns, in this order and with these types.

/// The kind of a column: its Arrow type in the batches and its SQL type in DuckDB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `INTEGER` (Arrow Int32).
    I,
    /// `VARCHAR` (Arrow Utf8).
    T,
    /// A grade, `DECIMAL(4,2)` (Arrow Decimal128(4, 2)).
    G,
    /// `DATE` (Arrow Date32).
    D,
    /// `BOOLEAN`.
    B,
}

impl Kind {
    /// The DuckDB type, as `information_schema.columns.data_type` spells it.
    pub fn sql_type(self) -> &'static str {
        match self {
            Kind::I => "INTEGER",
            Kind::T => "VARCHAR",
            Kind::G => "DECIMAL(4,2)",
            Kind::D => "DATE",
            Kind::B => "BOOLEAN",
        }
    }
}

/// How a file's staged rows merge into their table: for each key the first value stored is kept,
/// a later equal value confirms it (and fills empty attributes), a later different one is a
/// conflict listed in `rejets`.
#[derive(Debug, Clone, Copy)]
pub struct Fusion {
    /// The key columns.
    pub keys: &'static [&'static str],
    /// Columns whose disagreement is a conflict.
    pub values: &'static [&'static str],
    /// Columns filled from a later agreeing row when empty.
    pub fill: &'static [&'static str],
    /// The row-number column.
    pub ligne: &'static str,
    /// SQL naming the column in a conflict's rejet, over alias `v`.
    pub colonne: &'static str,
    /// SQL text of the value shown in a conflict's rejet, over alias `v`.
    pub shown: &'static str,
}

/// One table fed by loading.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// The canonical table.
    pub table: &'static str,
    /// Its staging table (`stg_…`), or `None` when batches go straight into the table.
    pub staging: Option<&'static str>,
    /// Its columns, in the table's order.
    pub columns: &'static [(&'static str, Kind)],
    /// The merge of the staging table (tables with a staging table only).
    pub fusion: Option<Fusion>,
}

impl Shape {
    /// Where batches are appended: the staging table, else the table itself.
    pub fn batch_table(&self) -> &'static str {
        self.staging.unwrap_or(self.table)
    }

    /// The table of the rows of this table's keys given again, by a later file or further down
    /// the same file: confirmations (the same value) and conflicts (another value, also listed
    /// in `rejets`), kept whole with their provenance so that retiring the file whose value was
    /// kept can promote the next one (`ingest --remplace`). Tables that merge only.
    pub fn doublons(&self) -> Option<String> {
        self.fusion.map(|_| format!("doublons_{}", self.table))
    }

    /// The table of the rows of a retired file (`ingest --remplace`): this table's columns and
    /// `retrait`, the number of the replacement in `remplacements`.
    pub fn historique(&self) -> String {
        format!("historique_{}", self.table)
    }

    /// `name TYPE, …`: the columns of a `CREATE TABLE`.
    fn column_definitions(&self) -> String {
        self.columns
            .iter()
            .map(|(name, kind)| format!("{name} {}", kind.sql_type()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `CREATE TABLE IF NOT EXISTS` of [`Shape::doublons`] (same columns as the table) and of
    /// [`Shape::historique`] (the same and `retrait`).
    pub fn side_ddl(&self) -> String {
        let columns = self.column_definitions();
        let mut ddl = format!(
            "CREATE TABLE IF NOT EXISTS {} ({columns}, retrait INTEGER NOT NULL);",
            self.historique()
        );
        if let Some(doublons) = self.doublons() {
            ddl.push_str(&format!(
                " CREATE TABLE IF NOT EXISTS {doublons} ({columns});"
            ));
        }
        ddl
    }

    /// `CREATE OR REPLACE TEMP TABLE` of the staging table, with exactly these columns in this
    /// order (batches are appended by position). A temporary table lives in memory for the
    /// connection: the staged rows are never compressed nor written to the file, only the rows
    /// merged from them. A staging table an older version kept in the file is dropped.
    pub fn staging_ddl(&self) -> Option<String> {
        let staging = self.staging?;
        let columns = self.column_definitions();
        Some(format!(
            "DROP TABLE IF EXISTS main.{staging}; CREATE OR REPLACE TEMP TABLE {staging} ({columns});"
        ))
    }
}

use Kind::{B, D, G, I, T};

/// Identity values of candidates.
pub const VALEURS: Shape = Shape {
    table: "candidats_valeurs",
    staging: Some("stg_candidats_valeurs"),
    columns: &[
        ("session", I),
        ("candidat", T),
        ("champ", T),
        ("valeur", T),
        ("source_id", I),
        ("feuille", T),
        ("ligne", I),
    ],
    fusion: Some(Fusion {
        keys: &["session", "candidat", "champ"],
        values: &["valeur"],
        fill: &[],
        ligne: "ligne",
        colonne: "v.champ",
        shown: "v.valeur",
    }),
};

/// Grades and status codes.
pub const NOTES: Shape = Shape {
    table: "notes",
    staging: Some("stg_notes"),
    columns: &[
        ("session", I),
        ("candidat", T),
        ("epreuve", T),
        ("note", G),
        ("statut", T),
        ("session_origine", I),
        ("examinateur", T),
        ("commission", T),
        ("sujet", T),
        ("centre", T),
        ("date_epreuve", D),
        ("demi_journee", T),
        ("unite_remplacee", T),
        ("source_id", I),
        ("feuille", T),
        ("ligne", I),
        ("colonne", T),
        ("mode", T),
        ("bareme", I),
    ],
    fusion: Some(Fusion {
        keys: &["session", "candidat", "epreuve"],
        values: &["note", "statut", "session_origine"],
        fill: &[
            "examinateur",
            "commission",
            "sujet",
            "centre",
            "date_epreuve",
            "demi_journee",
            "unite_remplacee",
            "mode",
        ],
        ligne: "ligne",
        colonne: "v.colonne",
        shown: "concat_ws(' ', v.statut, replace(CAST(v.note AS VARCHAR), '.', ','), CAST(v.session_origine AS VARCHAR))",
    }),
};

/// Livret semester averages.
pub const LIVRET: Shape = Shape {
    table: "livret",
    staging: Some("stg_livret"),
    columns: &[
        ("session", I),
        ("candidat", T),
        ("uai", T),
        ("classe", T),
        ("ligne", I),
        ("annee", I),
        ("semestre", I),
        ("moyenne", G),
        ("source_id", I),
        ("feuille", T),
        ("ligne_source", I),
    ],
    fusion: Some(Fusion {
        keys: &["session", "candidat", "ligne", "annee", "semestre"],
        values: &["moyenne"],
        fill: &["uai", "classe"],
        ligne: "ligne_source",
        colonne: "'livret ligne ' || v.ligne || ' année ' || v.annee || ' S' || v.semestre",
        shown: "replace(CAST(v.moyenne AS VARCHAR), '.', ',')",
    }),
};

/// Class-council opinions and PIX.
pub const AVIS: Shape = Shape {
    table: "avis",
    staging: Some("stg_avis"),
    columns: &[
        ("session", I),
        ("candidat", T),
        ("avis", T),
        ("pix", B),
        ("source_id", I),
        ("feuille", T),
        ("ligne_source", I),
    ],
    fusion: Some(Fusion {
        keys: &["session", "candidat"],
        values: &["avis", "pix"],
        fill: &[],
        ligne: "ligne_source",
        colonne: "'avis'",
        shown: "concat_ws(' ', v.avis, CASE WHEN v.pix THEN 'PIX oui' WHEN NOT v.pix THEN 'PIX non' END)",
    }),
};

/// Sovereign jury decisions.
pub const JURY: Shape = Shape {
    table: "decisions_jury",
    staging: Some("stg_decisions_jury"),
    columns: &[
        ("session", I),
        ("candidat", T),
        ("points_jury", G),
        ("decision", T),
        ("motif", T),
        ("source_id", I),
        ("feuille", T),
        ("ligne_source", I),
    ],
    fusion: Some(Fusion {
        keys: &["session", "candidat"],
        values: &["points_jury", "decision"],
        fill: &["motif"],
        ligne: "ligne_source",
        colonne: "'décision du jury'",
        shown: "concat_ws(' ', v.decision, replace(CAST(v.points_jury AS VARCHAR), '.', ','))",
    }),
};

/// E5B grid levels.
pub const GRILLES: Shape = Shape {
    table: "grilles",
    staging: Some("stg_grilles"),
    columns: &[
        ("session", I),
        ("candidat", T),
        ("epreuve", T),
        ("question", T),
        ("niveau", I),
        ("examinateur", T),
        ("source_id", I),
        ("feuille", T),
        ("ligne_source", I),
    ],
    fusion: Some(Fusion {
        keys: &["session", "candidat", "epreuve", "question"],
        values: &["niveau"],
        fill: &["examinateur"],
        ligne: "ligne_source",
        colonne: "'grille ' || v.epreuve || ' ' || v.question",
        shown: "CAST(v.niveau AS VARCHAR)",
    }),
};

/// Each E5A corrector's own mark.
pub const CORRECTEURS: Shape = Shape {
    table: "notes_correcteurs",
    staging: Some("stg_notes_correcteurs"),
    columns: &[
        ("session", I),
        ("candidat", T),
        ("epreuve", T),
        ("correcteur", T),
        ("note", G),
        ("source_id", I),
        ("feuille", T),
        ("ligne_source", I),
    ],
    fusion: Some(Fusion {
        keys: &["session", "candidat", "epreuve", "correcteur"],
        values: &["note"],
        fill: &[],
        ligne: "ligne_source",
        colonne: "'note du correcteur ' || v.correcteur",
        shown: "replace(CAST(v.note AS VARCHAR), '.', ',')",
    }),
};

/// Rejected values and rows, appended straight into `rejets`.
pub const REJETS: Shape = Shape {
    table: "rejets",
    staging: None,
    columns: &[
        ("source_id", I),
        ("feuille", T),
        ("ligne", I),
        ("colonne", T),
        ("valeur", T),
        ("code", T),
        ("motif", T),
    ],
    fusion: None,
};

/// Every table loading feeds, in merge order (identity first).
pub const LOADED: [&Shape; 8] = [
    &VALEURS,
    &NOTES,
    &LIVRET,
    &AVIS,
    &JURY,
    &GRILLES,
    &CORRECTEURS,
    &REJETS,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn columns_of(store: &Store, table: &str) -> Vec<(String, String)> {
        let mut stmt = store
            .connection()
            .prepare(
                "SELECT column_name, data_type FROM information_schema.columns \
                 WHERE table_name = ? ORDER BY ordinal_position",
            )
            .unwrap();
        stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn expected(shape: &Shape) -> Vec<(String, String)> {
        shape
            .columns
            .iter()
            .map(|(n, k)| ((*n).to_string(), k.sql_type().to_string()))
            .collect()
    }

    /// queries/00_schema.sql and this module describe the same tables, and the store's staging
    /// tables are these shapes.
    #[test]
    fn the_schema_creates_exactly_these_columns_in_this_order() {
        let store = Store::open_in_memory().unwrap();
        for shape in LOADED {
            assert_eq!(
                columns_of(&store, shape.table),
                expected(shape),
                "{}",
                shape.table
            );
            if let Some(staging) = shape.staging {
                assert_eq!(columns_of(&store, staging), expected(shape), "{staging}");
            }
            if let Some(doublons) = shape.doublons() {
                assert_eq!(columns_of(&store, &doublons), expected(shape), "{doublons}");
            }
            let mut historique = expected(shape);
            historique.push(("retrait".into(), "INTEGER".into()));
            assert_eq!(
                columns_of(&store, &shape.historique()),
                historique,
                "{}",
                shape.historique()
            );
        }
    }

    #[test]
    fn every_merged_column_is_a_column_of_its_table() {
        for shape in LOADED {
            let names: Vec<&str> = shape.columns.iter().map(|(n, _)| *n).collect();
            assert_eq!(
                shape.staging.is_some(),
                shape.fusion.is_some(),
                "{}",
                shape.table
            );
            if let Some(f) = shape.fusion {
                for c in f
                    .keys
                    .iter()
                    .chain(f.values)
                    .chain(f.fill)
                    .chain([&f.ligne])
                {
                    assert!(names.contains(c), "{}.{c}", shape.table);
                }
            }
        }
    }
}
