//! The only module that opens DuckDB: creates the schema, appends Arrow record batches, keeps the
//! source log, and merges one file's rows into the canonical tables in one transaction.
//!
//! Merging is set work done by DuckDB: for each key the first value stored is kept, a later equal
//! value is a confirmation (attributes it adds, such as the examiner, fill empty ones), a later
//! different value is a conflict listed in `rejets`. Nothing is ever overwritten.

use std::path::{Path, PathBuf};

use arrow::record_batch::RecordBatch;
use duckdb::Connection;

use crate::error::{Error, Result};
use crate::shape::{Fusion, Shape, LOADED};

mod retrait;
pub use retrait::{LoadedFile, Replacement, Retired, Settled};

/// The schema, run at every open (it only creates what is missing).
const SCHEMA: &str = include_str!("../queries/00_schema.sql");

/// The version of the database's schema, recorded in the table `version_schema` of every file
/// this version writes. Raise it when a table of `queries/00_schema.sql` or of
/// [`crate::shape`] changes: a file of another version is then refused with what differs,
/// never opened half-working. A file written before versions were recorded is accepted (and
/// stamped) when its loaded tables have exactly this version's columns.
pub const SCHEMA_VERSION: i32 = 2;

/// What each table and view holds (`COMMENT ON`, one statement per line).
const COMMENTS: &str = include_str!("../queries/99_commentaires.sql");

/// A merge of one staging table into its canonical table, from its [`Shape`].
struct Merge {
    /// Staging and target tables.
    staging: &'static str,
    target: &'static str,
    /// Keys, conflicting values, filled attributes, row number, rejet texts.
    rule: Fusion,
}

impl Merge {
    /// The merge of `shape`, when it has a staging table.
    fn of(shape: &Shape) -> Option<Merge> {
        Some(Merge {
            staging: shape.staging?,
            target: shape.table,
            rule: shape.fusion?,
        })
    }
}

impl Merge {
    /// `a.k = b.k AND …` over the keys.
    fn on(&self, a: &str, b: &str) -> String {
        self.rule
            .keys
            .iter()
            .map(|k| format!("{a}.{k} = {b}.{k}"))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// `a.v IS DISTINCT FROM b.v OR …` over the conflicting values.
    fn differs(&self, a: &str, b: &str) -> String {
        self.rule
            .values
            .iter()
            .map(|k| format!("{a}.{k} IS DISTINCT FROM {b}.{k}"))
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    /// The `INSERT INTO rejets` of the conflicts of rows `v` with their reference `r` (which has
    /// a column `origine`), both given by `from` (`FROM … JOIN … r ON … WHERE …`); `kept` is the
    /// SQL text saying which value is kept.
    fn conflicts(&self, from: &str, kept: &str) -> String {
        format!(
            "INSERT INTO rejets (source_id, feuille, ligne, colonne, valeur, code, motif) \
             SELECT v.source_id, v.feuille, v.{ligne}, {colonne}, {shown}, 'conflit', \
             'valeur différente de celle ' || r.origine || ' (' || \
             coalesce((SELECT s.chemin FROM sources s WHERE s.source_id = r.source_id LIMIT 1), 'ce fichier') || \
             coalesce(', feuille « ' || r.feuille || ' »', '') || ', ligne ' || r.{ligne} || ' : ' || \
             coalesce(nullif({shown_r}, ''), 'vide') || ') : ' || {kept} \
             {from} AND ({differs});",
            ligne = self.rule.ligne,
            colonne = self.rule.colonne,
            shown = self.rule.shown,
            shown_r = self.rule.shown.replace("v.", "r."),
            differs = self.differs("v", "r"),
        )
    }

    /// The `UPDATE` that fills the empty attributes of stored rows from the rows `f` of `from`
    /// (filtered by `filter`) that agree with them; `None` when the table fills nothing.
    fn fill(&self, from: &str, filter: &str) -> Option<String> {
        if self.rule.fill.is_empty() {
            return None;
        }
        let target = self.target;
        let sets = self
            .rule
            .fill
            .iter()
            .map(|c| format!("{c} = coalesce({target}.{c}, a.{c})"))
            .collect::<Vec<_>>()
            .join(", ");
        let aggs = self
            .rule
            .fill
            .iter()
            .map(|c| format!("min(f.{c}) AS {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let same = self
            .rule
            .values
            .iter()
            .map(|k| format!("f.{k} IS NOT DISTINCT FROM t.{k}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let key_list = self
            .rule
            .keys
            .iter()
            .map(|k| format!("f.{k}"))
            .collect::<Vec<_>>()
            .join(", ");
        Some(format!(
            "UPDATE {target} SET {sets} FROM (SELECT {key_list}, {aggs} FROM {from} \
             JOIN {target} t ON {on_tf} WHERE ({filter}) AND {same} \
             GROUP BY {key_list}) a WHERE {on_ta};",
            on_tf = self.on("t", "f"),
            on_ta = self.on(target, "a"),
        ))
    }

    /// The SQL statements that list conflicts, insert new keys and fill attributes, in that
    /// order, each with a short name for the profile. The first one makes the temporary table
    /// `fusion`; when it is empty (no key of the file is stored or repeated, as in most files),
    /// [`Merge::plain`] gives the rest.
    fn statements(&self) -> Vec<(&'static str, String)> {
        let on = |a: &str, b: &str| self.on(a, b);
        let (staging, target, ligne) = (self.staging, self.target, self.rule.ligne);
        // Only a key already stored or given twice in the file can conflict or confirm: those
        // keys are found first (an inner join with the stored keys, whose hash table the
        // optimiser builds on the file's side, and a grouping of the file's keys), one row per
        // key (a key both stored and given twice is grouped by itself alone: grouped with its
        // flag too, each of its rows would be ranked twice and a confirmation could go in), and
        // only their rows are ranked, with how many rows their key has in the file and whether
        // it is already stored. A national file of new keys ranks nothing.
        let s_keys = self
            .rule
            .keys
            .iter()
            .map(|k| format!("s.{k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let ranked = format!(
            "CREATE OR REPLACE TEMP TABLE fusion AS \
             WITH deja AS (SELECT DISTINCT {s_keys} FROM {staging} s JOIN {target} t ON {on_ts}), \
             doubles AS (SELECT {s_keys} FROM {staging} s GROUP BY ALL HAVING count(*) > 1), \
             cles AS (SELECT {keys}, bool_or(deja) AS deja FROM \
               (SELECT *, true AS deja FROM deja UNION ALL BY NAME SELECT *, false AS deja FROM doubles) \
               GROUP BY {keys}) \
             SELECT s.*, \
             row_number() OVER (PARTITION BY {s_keys} ORDER BY s.source_id, s.{ligne}) AS fusion_rang, \
             count(*) OVER (PARTITION BY {s_keys}) AS fusion_nombre, \
             c.deja AS fusion_deja \
             FROM {staging} s JOIN cles c ON {on_cs};",
            on_ts = on("t", "s"),
            on_cs = on("c", "s"),
            keys = self.rule.keys.join(", "),
        );
        // The reference of a key is the stored value, else the file's first value.
        let reference = format!(
            "CREATE OR REPLACE TEMP TABLE reference AS \
             SELECT t.*, 'déjà enregistrée' AS origine FROM {target} t \
             WHERE EXISTS (SELECT 1 FROM fusion v WHERE v.fusion_deja AND {on_tv}) \
             UNION ALL BY NAME \
             SELECT f.* EXCLUDE (fusion_rang, fusion_nombre, fusion_deja), 'lue plus haut' AS origine \
             FROM fusion f WHERE f.fusion_rang = 1 AND NOT f.fusion_deja AND f.fusion_nombre > 1;",
            on_tv = on("t", "v"),
        );
        let conflicts = self.conflicts(
            &format!(
                "FROM fusion v JOIN reference r ON {} WHERE (v.fusion_deja OR v.fusion_rang > 1)",
                on("v", "r")
            ),
            "'la première valeur est gardée'",
        );
        // The rows of keys that are neither stored nor repeated go in as they are; of the
        // others, the first row of each new key.
        let insert = format!(
            "INSERT INTO {target} BY NAME SELECT s.* FROM {staging} s ANTI JOIN fusion f ON {on_fs}; \
             INSERT INTO {target} BY NAME SELECT f.* EXCLUDE (fusion_rang, fusion_nombre, fusion_deja) \
             FROM fusion f WHERE f.fusion_rang = 1 AND NOT f.fusion_deja;",
            on_fs = on("f", "s"),
        );
        let mut sql = vec![
            ("rangs", ranked),
            ("références", reference),
            ("conflits", conflicts),
            ("insertion", insert),
        ];
        if let Some(fill) = self.fill("fusion f", "f.fusion_deja OR f.fusion_rang > 1") {
            sql.push(("attributs", fill));
        }
        // Confirmations and conflicts are kept whole: retiring the file whose value was kept
        // promotes the next one (store/retrait.rs).
        sql.push((
            "doublons",
            format!(
                "INSERT INTO doublons_{target} BY NAME SELECT f.* EXCLUDE (fusion_rang, fusion_nombre, fusion_deja) \
                 FROM fusion f WHERE f.fusion_deja OR f.fusion_rang > 1;"
            ),
        ));
        sql.push(("vidage", format!("DELETE FROM {staging};")));
        sql
    }

    /// The statements after the first of [`Merge::statements`] when `fusion` is empty: every
    /// staged row is a new key and goes in as it is; nothing to compare, fill or keep aside.
    fn plain(&self) -> [(&'static str, String); 2] {
        let (staging, target) = (self.staging, self.target);
        [
            (
                "insertion",
                format!("INSERT INTO {target} BY NAME SELECT * FROM {staging};"),
            ),
            ("vidage", format!("DELETE FROM {staging};")),
        ]
    }
}

/// How much DuckDB's write-ahead log may hold before a commit checkpoints it into the file
/// (DuckDB's default: 16 MB). Each academy workbook is one transaction: with 16 MB, DuckDB
/// checkpointed every 3 or 4 workbooks (85–250 ms each) and the 90 national workbooks loaded in
/// 13.4–14.5 s, peak 207–218 MB; with 128 MB, 11.8–12.0 s, peak 276–290 MB (64 MB: 12.4 s, 233–249 MB;
/// 1 GB: 11.6 s, 512 MB). The national CSV's load and `results` took the same time with both.
/// The memory it costs is bounded by this size, not by the data loaded.
const CHECKPOINT_THRESHOLD: &str = "128MB";

/// What failed when a database could not be opened, in French: the other program that holds it
/// when DuckDB's lock says so (« Conflicting lock is held in /usr/bin/ndrc-stats (PID 4242) »).
fn opening_context(cause: &str) -> String {
    let holder = cause
        .split_once("Conflicting lock is held in ")
        .map(|(_, rest)| {
            rest.split_once(". See")
                .map_or(rest, |(h, _)| h)
                .trim_end_matches('.')
        });
    match holder {
        Some(holder) => format!(
            "ouverture impossible : la base est déjà ouverte par un autre programme ({holder}) ; \
             rien n'a été chargé ni modifié : attendez qu'il se termine, puis relancez"
        ),
        None => "ouverture".into(),
    }
}

/// Milliseconds since the Unix epoch (the load time of a source; UTC).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// What one sheet of a loaded file was, for the source log.
#[derive(Debug, Clone)]
pub struct SourceRow {
    /// The id given to the sheet.
    pub source_id: i32,
    /// Path as given.
    pub chemin: String,
    /// File hash.
    pub sha256: String,
    /// Sheet name.
    pub feuille: Option<String>,
    /// Detected layout.
    pub gabarit: String,
    /// Data rows read, rows with an accepted value, rows entirely rejected.
    pub lignes: (u32, u32, u32),
}

/// Time spent appending batches (`NDRC_CHRONO`).
pub static APPEND: crate::chrono::Total = crate::chrono::Total::new();

/// The embedded database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the database file and its tables.
    ///
    /// # Errors
    /// [`Error::Store`] when the file cannot be opened or the schema fails.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Output {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| Error::Store {
            db: path.to_path_buf(),
            context: opening_context(&source.to_string()),
            source,
        })?;
        Store::prepare(conn, path)
    }

    /// Opens the database like [`Store::open`], waiting up to `wait` while another program
    /// holds it (DuckDB's lock): tries again every 200 ms, and calls `on_wait` once with the
    /// French reason when it starts waiting.
    ///
    /// # Errors
    /// As [`Store::open`]; the lock error once `wait` has passed.
    pub fn open_waiting(
        path: &Path,
        wait: std::time::Duration,
        mut on_wait: impl FnMut(&str),
    ) -> Result<Store> {
        let start = std::time::Instant::now();
        let mut told = false;
        loop {
            match Store::open(path) {
                Err(Error::Store { context, .. })
                    if context.contains("déjà ouverte par un autre programme")
                        && start.elapsed() < wait =>
                {
                    if !told {
                        on_wait(&context);
                        told = true;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                other => return other,
            }
        }
    }

    /// Opens a store in memory, written nowhere (the dry run of `check`).
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn open_in_memory() -> Result<Store> {
        let path = Path::new("(mémoire)");
        let conn = Connection::open_in_memory().map_err(|source| Error::Store {
            db: path.to_path_buf(),
            context: "ouverture".into(),
            source,
        })?;
        Store::prepare(conn, path)
    }

    fn prepare(conn: Connection, path: &Path) -> Result<Store> {
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        // No network here or at users' sites: never try to download an extension.
        store.execute_batch(
            &format!(
                "SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; \
                 SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}';"
            ),
            "configuration",
        )?;
        store
            .conn
            .register_table_function::<duckdb::vtab::arrow::ArrowVTab>("arrow")
            .map_err(store.err("fonction arrow"))?;
        let stamp = store.check_schema_version()?;
        store.execute_batch(SCHEMA, "queries/00_schema.sql")?;
        if stamp {
            store.execute_batch(
                &format!(
                    "CREATE TABLE IF NOT EXISTS version_schema (version INTEGER NOT NULL); \
                     DELETE FROM version_schema; INSERT INTO version_schema VALUES ({SCHEMA_VERSION});"
                ),
                "version du schéma",
            )?;
        }
        for shape in LOADED {
            store.execute_batch(&shape.side_ddl(), "tables des doublons et de l'historique")?;
        }
        store.apply_comments()?;
        // The staging tables are the shapes of crate::shape, remade empty at every open: batches
        // are appended to them by position, whatever column order an older database has.
        for shape in LOADED {
            if let Some(ddl) = shape.staging_ddl() {
                store.execute_batch(&ddl, "tables de chargement (stg_*)")?;
            }
        }
        Ok(store)
    }

    /// Checks that the file's schema is this version's ([`SCHEMA_VERSION`]); returns whether the
    /// version must be recorded (a new file, or one written before versions were recorded whose
    /// loaded tables have this version's columns).
    ///
    /// # Errors
    /// [`Error::VersionBase`] for a file of another version, [`Error::Store`].
    fn check_schema_version(&self) -> Result<bool> {
        let tables: Vec<String> = self.rows(
            "SELECT table_name FROM duckdb_tables() \
             WHERE NOT temporary AND database_name = current_database() AND schema_name = 'main'",
            [],
            "version du schéma",
            |r| r.get(0),
        )?;
        if tables.is_empty() {
            return Ok(true);
        }
        let refuse = |raison: String| Error::VersionBase {
            db: self.path.clone(),
            raison,
        };
        if tables.iter().any(|t| t == "version_schema") {
            let version: Option<i32> = self
                .rows(
                    "SELECT max(version) FROM version_schema",
                    [],
                    "version du schéma",
                    |r| r.get(0),
                )?
                .into_iter()
                .next()
                .flatten();
            return match version {
                Some(v) if v == SCHEMA_VERSION => Ok(false),
                Some(v) if v > SCHEMA_VERSION => Err(refuse(format!(
                    "écrite par une version plus récente de ndrc-stats (schéma {v}, celle-ci lit \
                     le schéma {SCHEMA_VERSION}) : utilisez cette version plus récente, ou \
                     chargez les exports dans une autre base (--db)"
                ))),
                Some(v) => Err(refuse(format!(
                    "écrite par une version plus ancienne de ndrc-stats (schéma {v}, celle-ci lit \
                     le schéma {SCHEMA_VERSION}) : chargez les exports dans une nouvelle base \
                     (--db) ; l'ancienne reste lisible par sa version"
                ))),
                None => Ok(true),
            };
        }
        // A file written before versions were recorded: accepted when each loaded table it has
        // has exactly the columns of this version.
        let mut differences = Vec::new();
        for shape in LOADED
            .iter()
            .filter(|s| tables.iter().any(|t| t == s.table))
        {
            let found: Vec<String> = self.rows(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? \
                 AND database_name = current_database() AND schema_name = 'main' \
                 ORDER BY column_index",
                [shape.table],
                "version du schéma",
                |r| r.get(0),
            )?;
            let expected: Vec<&str> = shape.columns.iter().map(|(n, _)| *n).collect();
            if found
                .iter()
                .map(String::as_str)
                .ne(expected.iter().copied())
            {
                let missing: Vec<&str> = expected
                    .iter()
                    .copied()
                    .filter(|c| !found.iter().any(|f| f == c))
                    .collect();
                let extra: Vec<&str> = found
                    .iter()
                    .map(String::as_str)
                    .filter(|f| !expected.contains(f))
                    .collect();
                differences.push(format!(
                    "table {} : {}",
                    shape.table,
                    match (missing.is_empty(), extra.is_empty()) {
                        (true, true) => "colonnes dans un autre ordre".to_string(),
                        _ => [
                            (!missing.is_empty())
                                .then(|| format!("colonnes manquantes {}", missing.join(", "))),
                            (!extra.is_empty())
                                .then(|| format!("colonnes en trop {}", extra.join(", "))),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                    }
                ));
            }
        }
        if differences.is_empty() {
            Ok(true)
        } else {
            Err(refuse(format!(
                "écrite par une version plus ancienne de ndrc-stats, sans numéro de schéma, dont \
                 les tables diffèrent ({}) : chargez les exports dans une nouvelle base (--db) ; \
                 l'ancienne n'est pas modifiée",
                differences.join(" ; ")
            )))
        }
    }

    /// The connection, for the queries of later stages.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, context: &str) -> impl Fn(duckdb::Error) -> Error + '_ {
        self.fail(context)
    }

    /// The error of a failed query of this store, naming `context` (the report or the table):
    /// the one wrapping of DuckDB's errors, for `map_err`.
    pub fn fail(&self, context: &str) -> impl Fn(duckdb::Error) -> Error + '_ {
        let context = context.to_string();
        move |source| Error::Store {
            db: self.path.clone(),
            context: context.clone(),
            source,
        }
    }

    /// Runs a query with bound parameters and reads every row with `read`; `context` names the
    /// query in an error.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn rows<T>(
        &self,
        sql: &str,
        params: impl duckdb::Params,
        context: &str,
        read: impl FnMut(&duckdb::Row<'_>) -> duckdb::Result<T>,
    ) -> Result<Vec<T>> {
        let fail = self.fail(context);
        let mut stmt = self.conn.prepare(sql).map_err(&fail)?;
        let rows = stmt.query_map(params, read).map_err(&fail)?;
        rows.collect::<duckdb::Result<Vec<T>>>().map_err(&fail)
    }

    /// Runs one SQL file of views (`queries/9x_rapports*.sql`), after replacing each
    /// `{name}` of `parts` (pieces taken from the regulation, never input data).
    ///
    /// # Errors
    /// [`Error::Store`] naming the file.
    pub fn create_views(&self, file: &str, sql: &str, parts: &[(&str, String)]) -> Result<()> {
        let mut sql = sql.to_string();
        for (name, part) in parts {
            sql = sql.replace(&format!("{{{name}}}"), part);
        }
        self.execute_batch(&sql, file)
    }

    /// Runs SQL statements, naming `context` in an error.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn execute_batch(&self, sql: &str, context: &str) -> Result<()> {
        self.conn.execute_batch(sql).map_err(self.err(context))
    }

    /// One integer from a query (counts).
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn count(&self, sql: &str) -> Result<i64> {
        self.conn
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .map_err(self.err(sql))
    }

    /// One text (or NULL) from a query.
    ///
    /// # Errors
    /// [`Error::Store`] naming the query.
    pub fn text(&self, sql: &str) -> Result<Option<String>> {
        self.conn
            .query_row(sql, [], |r| r.get::<_, Option<String>>(0))
            .map_err(self.err(sql))
    }

    /// True when a file with this hash is already loaded.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn is_loaded(&self, sha256: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sources WHERE sha256 = ?",
                [sha256],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(self.err("recherche de la source"))
    }

    /// Applies the comments of `queries/99_commentaires.sql` to the tables and views that exist
    /// (a table made later gets its comment when this runs again: after the computation and
    /// after the harmonisation).
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn apply_comments(&self) -> Result<()> {
        let start = std::time::Instant::now();
        let context = "commentaires des tables (queries/99_commentaires.sql)";
        let existing: std::collections::HashSet<String> = self
            .rows(
                "SELECT table_name FROM duckdb_tables() WHERE NOT temporary \
                 UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary",
                [],
                context,
                |r| r.get::<_, String>(0),
            )?
            .into_iter()
            .collect();
        let mut sql = String::new();
        for line in COMMENTS.lines().filter(|l| l.starts_with("COMMENT ON ")) {
            // COMMENT ON TABLE name IS …, COMMENT ON COLUMN table.column IS …
            let object = line.split_whitespace().nth(3).unwrap_or_default();
            let table = object.split('.').next().unwrap_or_default();
            if existing.contains(table) {
                sql.push_str(line);
                sql.push('\n');
            }
        }
        self.execute_batch(&sql, context)?;
        crate::chrono::since("commentaires", start);
        Ok(())
    }

    /// The SHA-256 of every file loaded so far.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn loaded_hashes(&self) -> Result<std::collections::HashSet<String>> {
        let hashes = self.rows(
            "SELECT DISTINCT sha256 FROM sources",
            [],
            "liste des sources",
            |r| r.get::<_, String>(0),
        )?;
        Ok(hashes.into_iter().collect())
    }

    /// Starts the transaction of one file.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn begin(&self) -> Result<()> {
        self.execute_batch("BEGIN TRANSACTION;", "début de transaction")
    }

    /// Commits the file's transaction.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn commit(&self) -> Result<()> {
        self.execute_batch("COMMIT;", "validation de la transaction")
    }

    /// Abandons the file's transaction (nothing of the file stays).
    pub fn rollback(&self) {
        // A failed rollback leaves DuckDB's own recovery to undo the transaction at close.
        let _ = self.conn.execute_batch("ROLLBACK;");
    }

    /// A new source id.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn next_source_id(&self) -> Result<i32> {
        self.conn
            .query_row(
                "SELECT CAST(nextval('source_id_seq') AS INTEGER)",
                [],
                |r| r.get(0),
            )
            .map_err(self.err("numéro de source"))
    }

    /// Appends Arrow record batches to their tables: each batch is scanned by DuckDB's `arrow`
    /// table function (duckdb-rs's `ArrowVTab`) in one `INSERT … SELECT`, which writes its
    /// vectors straight into the table; duckdb-rs's appender copied them once more into a
    /// buffer of its own and ran a query to flush it (national appends 4.1–4.7 s → 3.0–3.6 s).
    /// A column without any value in a batch is left out of the insert, so DuckDB gives it its
    /// default, NULL: most of a long file's optional columns are empty (a national file's
    /// examiner, centre, subject, form… on every row), and each would be converted for nothing.
    ///
    /// # Errors
    /// [`Error::Store`] naming the table.
    pub fn append(&self, batches: Vec<(&'static str, RecordBatch)>) -> Result<()> {
        let start = std::time::Instant::now();
        for (table, batch) in batches {
            let context = format!("ajout dans {table}");
            let filled: Vec<usize> = (0..batch.num_columns())
                .filter(|&i| batch.column(i).null_count() < batch.num_rows())
                .collect();
            if batch.num_rows() == 0 || filled.is_empty() {
                continue;
            }
            let schema = batch.schema();
            let names: Vec<&str> = filled
                .iter()
                .map(|&i| schema.field(i).name().as_str())
                .collect();
            let projected = batch
                .project(&filled)
                .map_err(|e| Error::Internal(format!("{context} : {e}")))?;
            let registration = duckdb::vtab::arrow::ArrowBatchRegistration::new(projected);
            self.conn
                .execute(
                    &format!(
                        "INSERT INTO {table} ({}) SELECT * FROM arrow(?)",
                        names.join(", ")
                    ),
                    [&registration],
                )
                .map_err(self.err(&context))?;
        }
        APPEND.add_since(start);
        Ok(())
    }

    /// Records a sheet in the source log.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn record_source(&self, s: &SourceRow) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, epoch_ms(?))",
                duckdb::params![
                    s.source_id,
                    s.chemin,
                    s.sha256,
                    s.feuille,
                    s.gabarit,
                    s.lignes.0,
                    s.lignes.1,
                    s.lignes.2,
                    now_ms()
                ],
            )
            .map(|_| ())
            .map_err(self.err("journal des sources"))
    }

    /// Merges the staged rows of the current file into the canonical tables; returns how many
    /// conflicts it listed.
    ///
    /// # Errors
    /// [`Error::Store`] naming the table.
    pub fn merge_staged(&self) -> Result<i64> {
        let before = self.count("SELECT count(*) FROM rejets WHERE code = 'conflit'")?;
        for m in LOADED.iter().filter_map(|s| Merge::of(s)) {
            // A file feeds few tables: merging an empty staging table would still scan its
            // whole target table.
            let staged = self.count(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM {} LIMIT 1)",
                m.staging
            ))?;
            if staged == 0 {
                continue;
            }
            let context = format!("fusion de {} dans {}", m.staging, m.target);
            let run = |(name, sql): (&str, String)| {
                let t0 = std::time::Instant::now();
                self.execute_batch(&sql, &context)?;
                crate::chrono::since(&format!("  fusion {} : {name}", m.target), t0);
                Ok::<(), Error>(())
            };
            let mut statements = m.statements();
            let rest = statements.split_off(1);
            statements.into_iter().try_for_each(run)?;
            // Each statement costs a few milliseconds even on no row: a file of new keys only
            // (each of 30 academy workbooks) skips those with nothing to do.
            let fusion = self.count("SELECT count(*) FROM (SELECT 1 FROM fusion LIMIT 1)")?;
            if fusion == 0 {
                m.plain().into_iter().try_for_each(run)?;
            } else {
                rest.into_iter().try_for_each(run)?;
            }
        }
        let after = self.count("SELECT count(*) FROM rejets WHERE code = 'conflit'")?;
        Ok(after - before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opens `path` with DuckDB alone (no check), runs `sql`, closes.
    fn tamper(path: &Path, sql: &str) {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(sql).unwrap();
    }

    fn version(path: &Path) -> i32 {
        let conn = Connection::open(path).unwrap();
        conn.query_row("SELECT max(version) FROM version_schema", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_lock_held_by_another_program_is_said_in_french_with_that_program() {
        let cause = "IO Error: Could not set lock on file \"/tmp/t.duckdb\": Conflicting lock is \
                     held in /usr/bin/ndrc-stats (PID 4242). See also https://duckdb.org/docs";
        let text = opening_context(cause);
        assert!(
            text.starts_with("ouverture impossible : la base est déjà ouverte par un autre programme (/usr/bin/ndrc-stats (PID 4242))"),
            "{text}"
        );
        assert_eq!(opening_context("IO Error: No such file"), "ouverture");
    }

    /// A key both stored and given twice by the next file is one key: its equal values are
    /// confirmations, never stored again (the ranking once joined such a key's rows twice and
    /// let one in at random, so this runs the merge many times).
    #[test]
    fn a_key_stored_and_repeated_in_the_next_file_is_confirmed_once_never_stored_again() {
        for _ in 0..12 {
            let store = Store::open_in_memory().unwrap();
            store
                .execute_batch(
                    "INSERT INTO candidats_valeurs VALUES (2024, '0240000001', 'nom', 'DURAND', 1, NULL, 2);
                     INSERT INTO stg_candidats_valeurs VALUES
                       (2024, '0240000001', 'nom', 'DURAND', 2, NULL, 5),
                       (2024, '0240000001', 'nom', 'DURAND', 2, NULL, 9),
                       (2024, '0240000001', 'prenom', 'Léa', 2, NULL, 5),
                       (2024, '0240000001', 'prenom', 'Léa', 2, NULL, 9);",
                    "test",
                )
                .unwrap();
            assert_eq!(store.merge_staged().unwrap(), 0);
            assert_eq!(
                store
                    .count("SELECT count(*) FROM candidats_valeurs WHERE champ = 'nom'")
                    .unwrap(),
                1
            );
            assert_eq!(
                store
                    .count(
                        "SELECT count(*) FROM candidats_valeurs WHERE champ = 'prenom' AND ligne = 5"
                    )
                    .unwrap(),
                1
            );
            assert_eq!(
                store
                    .count("SELECT count(*) FROM candidats_valeurs")
                    .unwrap(),
                2
            );
            // The confirmations are kept whole, for `ingest --remplace`.
            assert_eq!(
                store
                    .count("SELECT count(*) FROM doublons_candidats_valeurs")
                    .unwrap(),
                3
            );
        }
    }

    /// A column that holds no value in a batch is left out of the append and reads as NULL;
    /// the columns around it keep their values, in their places.
    #[test]
    fn a_batch_column_without_any_value_reads_null_and_the_others_keep_theirs() {
        use arrow::array::{Int32Array, StringArray};
        use arrow::datatypes::{DataType, Field, Schema};
        let store = Store::open_in_memory().unwrap();
        let schema = Schema::new(vec![
            Field::new("session", DataType::Int32, true),
            Field::new("candidat", DataType::Utf8, true),
            Field::new("champ", DataType::Utf8, true),
            Field::new("valeur", DataType::Utf8, true),
            Field::new("source_id", DataType::Int32, true),
            Field::new("feuille", DataType::Utf8, true),
            Field::new("ligne", DataType::Int32, true),
        ]);
        let batch = RecordBatch::try_new(
            std::sync::Arc::new(schema),
            vec![
                std::sync::Arc::new(Int32Array::from(vec![2024, 2023])),
                std::sync::Arc::new(StringArray::from(vec!["0240000001", "0230000002"])),
                std::sync::Arc::new(StringArray::from(vec!["nom", "prenom"])),
                std::sync::Arc::new(StringArray::from(vec!["DURAND", "Léa"])),
                std::sync::Arc::new(Int32Array::from(vec![7, 7])),
                std::sync::Arc::new(StringArray::from(vec![None::<&str>, None])),
                std::sync::Arc::new(Int32Array::from(vec![4, 5])),
            ],
        )
        .unwrap();
        store
            .append(vec![("stg_candidats_valeurs", batch)])
            .unwrap();
        let rows: Vec<(i32, String, String, Option<String>, i32)> = store
            .conn
            .prepare(
                "SELECT session, candidat, valeur, feuille, ligne FROM stg_candidats_valeurs \
                 ORDER BY ligne",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (2024, "0240000001".into(), "DURAND".into(), None, 4),
                (2023, "0230000002".into(), "Léa".into(), None, 5),
            ]
        );
    }

    #[test]
    fn a_new_file_records_its_schema_version_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.duckdb");
        drop(Store::open(&db).unwrap());
        assert_eq!(version(&db), SCHEMA_VERSION);
        drop(Store::open(&db).unwrap());
        assert_eq!(version(&db), SCHEMA_VERSION);
    }

    #[test]
    fn a_file_of_a_newer_or_older_schema_is_refused_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.duckdb");
        drop(Store::open(&db).unwrap());
        for (v, words) in [
            (SCHEMA_VERSION + 1, "plus récente"),
            (SCHEMA_VERSION - 1, "plus ancienne"),
        ] {
            tamper(&db, &format!("UPDATE version_schema SET version = {v}"));
            let err = Store::open(&db).err().unwrap();
            let text = err.to_string();
            assert!(matches!(err, Error::VersionBase { .. }), "{text}");
            assert_eq!(err.exit_code(), 1);
            assert!(text.contains(words), "{text}");
            assert!(text.contains(&format!("schéma {v}")), "{text}");
            assert!(text.contains("--db"), "{text}");
            assert_eq!(version(&db), v, "the refused file is not changed");
        }
    }

    #[test]
    fn a_file_from_before_versions_is_stamped_when_its_tables_match_else_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.duckdb");
        drop(Store::open(&db).unwrap());
        tamper(&db, "DROP TABLE version_schema");
        drop(Store::open(&db).unwrap());
        assert_eq!(version(&db), SCHEMA_VERSION);

        tamper(
            &db,
            "DROP TABLE version_schema; ALTER TABLE notes DROP COLUMN bareme; \
             ALTER TABLE avis ADD COLUMN ancienne VARCHAR",
        );
        let err = Store::open(&db).err().unwrap();
        let text = err.to_string();
        assert!(matches!(err, Error::VersionBase { .. }), "{text}");
        assert!(
            text.contains("table notes : colonnes manquantes bareme"),
            "{text}"
        );
        assert!(
            text.contains("table avis : colonnes en trop ancienne"),
            "{text}"
        );
        let conn = Connection::open(&db).unwrap();
        let stamped: i64 = conn
            .query_row(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'version_schema'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stamped, 0, "the refused file is not stamped");
    }
}
