//! Retiring a loaded file for its correction (`ingest --remplace ID FICHIER`), inside the
//! caller's transaction.
//!
//! [`Store::retire`] moves every row of the retired file (all its sheets) to `historique_<table>`
//! and `historique_sources`, remembers the keys whose kept value it held (`liberees_<table>`),
//! and records the replacement. The correction is then merged as any file: a freed key is no
//! longer stored, so the correction's value goes in and takes the retired value's place.
//! [`Store::settle_freed`] finally gives each freed key the correction left empty the first
//! other value seen for it (kept in `doublons_<table>`), and lists again the conflicts of every
//! freed key against its new value. Nothing is deleted: what leaves a table goes to its history.

use super::{now_ms, Merge, Store};
use crate::error::Result;
use crate::shape::LOADED;

/// A loaded file, found by the id of one of its sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedFile {
    /// Its path as loaded.
    pub chemin: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The source id of each of its sheets.
    pub source_ids: Vec<i32>,
}

/// A replacement recorded earlier (`remplacements`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// Its number.
    pub retrait: i32,
    /// The retired file.
    pub chemin: String,
    /// The correction: path and SHA-256.
    pub par_chemin: String,
    /// The correction's SHA-256.
    pub par_sha256: String,
    /// When, as text (`YYYY-MM-DD HH:MM:SS`).
    pub le: String,
}

/// What retiring moved to the history: rows per table (tables with none left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retired {
    /// The replacement's number.
    pub retrait: i32,
    /// `(table, rows moved to historique_<table>)`, in merge order.
    pub rows: Vec<(&'static str, i64)>,
}

/// What settling the freed keys did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settled {
    /// Keys the correction left empty that got another file's value.
    pub promues: i64,
    /// Conflicts of freed keys listed again, against their new value.
    pub conflits: i64,
}

impl Store {
    /// The loaded file one of whose sheets has source id `id`, or `None`.
    ///
    /// # Errors
    /// [`crate::error::Error::Store`].
    pub fn loaded_file(&self, id: i32) -> Result<Option<LoadedFile>> {
        let found = self.rows(
            "SELECT chemin, sha256 FROM sources WHERE source_id = ?",
            [id],
            "recherche de la source",
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )?;
        let Some((chemin, sha256)) = found.into_iter().next() else {
            return Ok(None);
        };
        let source_ids = self.rows(
            "SELECT source_id FROM sources WHERE sha256 = ? ORDER BY source_id",
            [&sha256],
            "feuilles de la source",
            |r| r.get::<_, i32>(0),
        )?;
        Ok(Some(LoadedFile {
            chemin,
            sha256,
            source_ids,
        }))
    }

    /// The replacement that retired source `id`, when it was retired.
    ///
    /// # Errors
    /// [`crate::error::Error::Store`].
    pub fn replacement_of(&self, id: i32) -> Result<Option<Replacement>> {
        let found = self.rows(
            "SELECT r.retrait, r.chemin, r.par_chemin, r.par_sha256, \
             strftime(r.remplace_le, '%Y-%m-%d %H:%M:%S') \
             FROM remplacements r JOIN historique_sources h USING (retrait) \
             WHERE h.source_id = ? ORDER BY r.retrait DESC LIMIT 1",
            [id],
            "recherche des remplacements",
            |r| {
                Ok(Replacement {
                    retrait: r.get(0)?,
                    chemin: r.get(1)?,
                    par_chemin: r.get(2)?,
                    par_sha256: r.get(3)?,
                    le: r.get(4)?,
                })
            },
        )?;
        Ok(found.into_iter().next())
    }

    /// Retires `file` for the correction `par_chemin` (SHA-256 `par_sha256`): moves its sheets
    /// and every row it gave (kept values, confirmations, conflicts, rejets) to the history, and
    /// remembers the keys it held. Runs inside the caller's transaction.
    ///
    /// # Errors
    /// [`crate::error::Error::Store`].
    pub fn retire(&self, file: &LoadedFile, par_chemin: &str, par_sha256: &str) -> Result<Retired> {
        let context = "retrait de la source remplacée";
        let retrait =
            i32::try_from(self.count("SELECT coalesce(max(retrait), 0) + 1 FROM remplacements")?)
                .unwrap_or(i32::MAX);
        let ids = file
            .source_ids
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        self.execute_batch(
            &format!(
                "CREATE OR REPLACE TEMP TABLE retirees AS \
                 SELECT source_id FROM sources WHERE source_id IN ({ids});"
            ),
            context,
        )?;
        let mut rows = Vec::new();
        for shape in LOADED {
            let (table, historique) = (shape.table, shape.historique());
            let mut sql = String::new();
            let of_retired = "source_id IN (SELECT source_id FROM retirees)";
            if let Some(m) = Merge::of(shape) {
                let keys = m.rule.keys.join(", ");
                sql.push_str(&format!(
                    "CREATE OR REPLACE TEMP TABLE liberees_{table} AS \
                     SELECT DISTINCT {keys} FROM {table} WHERE {of_retired}; \
                     INSERT INTO {historique} BY NAME \
                     SELECT *, {retrait} AS retrait FROM doublons_{table} WHERE {of_retired}; \
                     DELETE FROM doublons_{table} WHERE {of_retired};"
                ));
            }
            let moved = self.count(&format!("SELECT count(*) FROM {table} WHERE {of_retired}"))?
                + match shape.doublons() {
                    Some(d) => {
                        self.count(&format!("SELECT count(*) FROM {d} WHERE {of_retired}"))?
                    }
                    None => 0,
                };
            sql.push_str(&format!(
                "INSERT INTO {historique} BY NAME \
                 SELECT *, {retrait} AS retrait FROM {table} WHERE {of_retired}; \
                 DELETE FROM {table} WHERE {of_retired};"
            ));
            self.execute_batch(&sql, &format!("{context} ({table})"))?;
            if moved > 0 {
                rows.push((table, moved));
            }
        }
        self.execute_batch(
            &format!(
                "INSERT INTO historique_sources BY NAME \
                 SELECT *, {retrait} AS retrait FROM sources WHERE source_id IN (SELECT source_id FROM retirees); \
                 DELETE FROM sources WHERE source_id IN (SELECT source_id FROM retirees);"
            ),
            context,
        )?;
        self.conn
            .execute(
                "INSERT INTO remplacements VALUES (?, ?, ?, ?, ?, epoch_ms(?))",
                duckdb::params![
                    retrait,
                    file.chemin,
                    file.sha256,
                    par_chemin,
                    par_sha256,
                    now_ms()
                ],
            )
            .map_err(self.fail(context))?;
        Ok(Retired { retrait, rows })
    }

    /// After the correction (SHA-256 `correction`) was merged: gives each key the retired file
    /// held and the correction left empty the first other value seen for it (the correction's
    /// own, when it was loaded before, then by load order), fills its empty attributes from the
    /// values that agree, and lists again the conflicts of every freed key against its new value.
    ///
    /// # Errors
    /// [`crate::error::Error::Store`].
    pub fn settle_freed(&self, correction: &str) -> Result<Settled> {
        let context = "report des valeurs des autres fichiers";
        let conflicts = "SELECT count(*) FROM rejets WHERE code = 'conflit'";
        let (mut promues, mut relisted) = (0, 0);
        let of_correction = format!(
            "SELECT source_id FROM sources WHERE sha256 = '{}'",
            correction.replace('\'', "''")
        );
        for m in LOADED.iter().filter_map(|s| Merge::of(s)) {
            let table = m.target;
            let ligne = m.rule.ligne;
            let freed = format!(
                "doublons_{table} v JOIN liberees_{table} l ON {}",
                m.on("v", "l")
            );
            let same_row = |a: &str, b: &str| {
                format!(
                    "{a}.source_id = {b}.source_id AND {a}.feuille IS NOT DISTINCT FROM {b}.feuille \
                     AND {a}.{ligne} = {b}.{ligne} AND {}",
                    m.on(a, b)
                )
            };
            // The conflicts listed against the retired value are listed again below.
            let forget = format!(
                "DELETE FROM rejets WHERE code = 'conflit' AND EXISTS (SELECT 1 FROM {freed} \
                 WHERE rejets.source_id = v.source_id AND rejets.feuille IS NOT DISTINCT FROM v.feuille \
                 AND rejets.ligne = v.{ligne} AND rejets.colonne = {colonne});",
                colonne = m.rule.colonne,
            );
            let promote = format!(
                "CREATE OR REPLACE TEMP TABLE promues AS SELECT v.* FROM {freed} \
                 WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on_tv}) \
                 QUALIFY row_number() OVER (PARTITION BY {v_keys} ORDER BY \
                   v.source_id IN ({of_correction}) DESC, \
                   v.source_id, v.{ligne}) = 1; \
                 INSERT INTO {table} BY NAME SELECT * FROM promues; \
                 DELETE FROM doublons_{table} d WHERE EXISTS (SELECT 1 FROM promues p WHERE {same});",
                on_tv = m.on("t", "v"),
                v_keys = m
                    .rule
                    .keys
                    .iter()
                    .map(|k| format!("v.{k}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                same = same_row("p", "d"),
            );
            let relist = m.conflicts(
                &format!(
                    "FROM {freed} JOIN (SELECT *, 'déjà enregistrée' AS origine FROM {table}) r \
                     ON {} WHERE true",
                    m.on("v", "r")
                ),
                &format!(
                    "CASE WHEN r.source_id IN ({of_correction}) \
                     THEN 'la valeur du fichier corrigé est gardée' \
                     ELSE 'la première valeur est gardée' END"
                ),
            );
            let t0 = std::time::Instant::now();
            self.execute_batch(&forget, context)?;
            self.execute_batch(&promote, context)?;
            promues += self.count("SELECT count(*) FROM promues")?;
            if let Some(fill) = m.fill(&format!("(SELECT v.* FROM {freed}) f"), "true") {
                self.execute_batch(&fill, context)?;
            }
            let listed = self.count(conflicts)?;
            self.execute_batch(&relist, context)?;
            relisted += self.count(conflicts)? - listed;
            self.execute_batch(
                &format!("DROP TABLE liberees_{table}; DROP TABLE promues;"),
                context,
            )?;
            crate::chrono::since(&format!("  remplacement {table}"), t0);
        }
        Ok(Settled {
            promues,
            conflits: relisted,
        })
    }
}
