//! Corrected exports (issue 13, item 5): `ingest --remplace ID FICHIER` retires a loaded file
//! and loads its correction in one transaction; the retired values stay in the history, the
//! conflicts are listed again, and doing it twice changes nothing.

use std::path::{Path, PathBuf};

use crate::common::Workdir;

const A: &str = "Session;N° candidat;Nom;Prénom;E1;E2\n\
                 2024;0240000001;DURAND;Léa;12;11\n\
                 2024;0240000002;MARTIN;Paul;8;9\n";
/// Another file: candidate 1's E1 conflicts with A's, candidate 3 is its own.
const B: &str = "Session;N° candidat;Nom;E1\n2024;0240000001;DURAND;13\n2024;0240000003;PETIT;10\n";
/// The academy's correction of A: candidate 1's E1 and candidate 2's E1 changed.
const A_CORRIGE: &str = "Session;N° candidat;Nom;Prénom;E1;E2\n\
                         2024;0240000001;DURAND;Léa;14;11\n\
                         2024;0240000002;MARTIN;Paul;9;9\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Every row of the tables a load changes, with the file of its source, sorted: what a
/// statistician would compare (rejets without their wording).
fn rows(w: &Workdir) -> Vec<String> {
    let conn = w.conn();
    let mut all = Vec::new();
    for sql in [
        "SELECT 'notes', n.candidat, n.epreuve, CAST(n.note AS VARCHAR), s.chemin, n.ligne \
         FROM notes n JOIN sources s USING (source_id)",
        "SELECT 'valeurs', v.candidat, v.champ, v.valeur, s.chemin, v.ligne \
         FROM candidats_valeurs v JOIN sources s USING (source_id)",
        "SELECT 'rejets', r.colonne, r.valeur, r.code, s.chemin, r.ligne \
         FROM rejets r JOIN sources s USING (source_id)",
    ] {
        let mut stmt = conn.prepare(&format!("{sql} ORDER BY ALL")).unwrap();
        let found = stmt
            .query_map([], |r| {
                Ok((0..6)
                    .map(|i| {
                        r.get::<_, Option<String>>(i)
                            .or_else(|_| r.get::<_, i32>(i).map(|n| Some(n.to_string())))
                            .unwrap_or_default()
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap);
        all.extend(found);
    }
    // A file's path differs between two work dirs: keep its name.
    let root = w.path().display().to_string();
    all.iter().map(|r| r.replace(&root, "")).collect()
}

fn remplace(w: &Workdir, id: &str, file: &Path, code: i32) -> String {
    let db = w.db();
    let out = w.run_ok(
        &[
            "ingest",
            "--db",
            db.to_str().unwrap(),
            "--remplace",
            id,
            file.to_str().unwrap(),
        ],
        code,
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn source_id(w: &Workdir, name: &str) -> String {
    w.count(&format!(
        "SELECT min(source_id) FROM sources WHERE chemin LIKE '%/{name}'"
    ))
    .to_string()
}

#[test]
fn a_correction_takes_the_retired_files_place_keeps_its_history_and_twice_changes_nothing() {
    let w = Workdir::new();
    let (a, b) = (write(w.path(), "a.csv", A), write(w.path(), "b.csv", B));
    let corrige = write(w.path(), "a_corrige.csv", A_CORRIGE);
    w.ingest(&[&a, &b], 0);
    let said = remplace(&w, &source_id(&w, "a.csv"), &corrige, 0);
    assert!(said.contains("remplacé"), "{said}");
    assert!(
        said.contains("retiré vers l'historique (historique_*) : candidats_valeurs 4, notes 4"),
        "{said}"
    );
    assert!(said.contains("conflits recalculés : 1"), "{said}");

    // The correction's values are kept; B's 13 now conflicts with the corrected 14.
    assert_eq!(
        w.text(
            "SELECT string_agg(candidat || ' ' || epreuve || ' ' || CAST(note AS VARCHAR), ', ' \
             ORDER BY candidat, epreuve) FROM notes"
        ),
        "0240000001 E1 14.00, 0240000001 E2 11.00, 0240000002 E1 9.00, 0240000002 E2 9.00, \
         0240000003 E1 10.00"
    );
    let motif = w.text("SELECT motif FROM rejets WHERE code = 'conflit'");
    assert!(motif.contains("a_corrige.csv, ligne 2 : 14,00"), "{motif}");
    assert!(
        motif.ends_with("la valeur du fichier corrigé est gardée"),
        "{motif}"
    );
    assert_eq!(w.count("SELECT count(*) FROM rejets"), 1);
    // The retired file is in the history, its values too; the sources no longer list it.
    assert_eq!(
        w.text(
            "SELECT string_agg(candidat || ' ' || epreuve || ' ' || CAST(note AS VARCHAR), ', ' \
             ORDER BY candidat, epreuve) FROM historique_notes WHERE retrait = 1"
        ),
        "0240000001 E1 12.00, 0240000001 E2 11.00, 0240000002 E1 8.00, 0240000002 E2 9.00"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM historique_sources WHERE chemin LIKE '%/a.csv'"),
        1
    );
    assert_eq!(
        w.count("SELECT count(*) FROM sources WHERE chemin LIKE '%/a.csv'"),
        0
    );

    // The same tables as loading the correction first, in the retired file's place.
    let direct = Workdir::new();
    let (a2, b2) = (
        write(direct.path(), "a_corrige.csv", A_CORRIGE),
        write(direct.path(), "b.csv", B),
    );
    direct.ingest(&[&a2, &b2], 0);
    assert_eq!(rows(&w), rows(&direct));

    // Again: nothing changes, and the results follow the correction.
    let before = rows(&w);
    let history = w.count("SELECT count(*) FROM historique_notes");
    let again = remplace(&w, &source_id_retired(&w), &corrige, 0);
    assert!(again.contains("déjà remplacé"), "{again}");
    assert!(again.contains("rien n'a changé"), "{again}");
    assert_eq!(rows(&w), before);
    assert_eq!(w.count("SELECT count(*) FROM historique_notes"), history);
    assert_eq!(w.count("SELECT count(*) FROM remplacements"), 1);
}

fn source_id_retired(w: &Workdir) -> String {
    w.count("SELECT min(source_id) FROM historique_sources")
        .to_string()
}

#[test]
fn a_key_the_correction_drops_takes_the_first_other_files_value_and_its_conflicts_are_relisted() {
    let w = Workdir::new();
    let a = write(w.path(), "a.csv", A);
    let b = write(w.path(), "b.csv", B);
    // A third file disagrees with both for candidate 1's E1.
    let c = write(
        w.path(),
        "c.csv",
        "Session;N° candidat;Nom;E1\n2024;0240000001;DURAND;15\n",
    );
    // The correction no longer has candidate 1.
    let corrige = write(
        w.path(),
        "a_corrige.csv",
        "Session;N° candidat;Nom;Prénom;E1;E2\n2024;0240000002;MARTIN;Paul;9;9\n",
    );
    w.ingest(&[&a, &b, &c], 0);
    assert_eq!(
        w.count("SELECT count(*) FROM rejets WHERE code = 'conflit'"),
        2
    );
    let said = remplace(&w, &source_id(&w, "a.csv"), &corrige, 0);
    assert!(
        said.contains("valeurs reprises d'autres fichiers (clés absentes du fichier corrigé) : 2"),
        "{said}"
    );
    // B was loaded before C: its 13 is kept, and C's 15 conflicts with it, not with A's 12.
    assert_eq!(
        w.text("SELECT CAST(note AS VARCHAR) FROM notes WHERE candidat = '0240000001' AND epreuve = 'E1'"),
        "13.00"
    );
    assert_eq!(
        w.count("SELECT count(*) FROM notes WHERE candidat = '0240000001' AND epreuve = 'E2'"),
        0,
        "only the retired file gave this grade: it is in the history"
    );
    let motifs = w.text(
        "SELECT string_agg(motif, ' | ') FROM rejets r JOIN sources s USING (source_id) \
         WHERE code = 'conflit'",
    );
    assert_eq!(
        w.count("SELECT count(*) FROM rejets WHERE code = 'conflit'"),
        1,
        "{motifs}"
    );
    assert!(motifs.contains("b.csv, ligne 2 : 13,00"), "{motifs}");
    assert!(
        motifs.ends_with("la première valeur est gardée"),
        "{motifs}"
    );
    // B's name for candidate 1 is promoted too (A's first name only A gave).
    assert_eq!(
        w.text("SELECT nom || '/' || coalesce(prenom, '-') FROM candidats WHERE candidat = '0240000001'"),
        "DURAND/-"
    );
}

#[test]
fn a_correction_that_cannot_be_loaded_retires_nothing_and_an_unknown_source_is_refused() {
    let w = Workdir::new();
    let (a, b) = (write(w.path(), "a.csv", A), write(w.path(), "b.csv", B));
    w.ingest(&[&a, &b], 0);
    let before = rows(&w);
    let id = source_id(&w, "a.csv");

    let bad = write(w.path(), "a_corrige.csv", "rien à voir\nni en-tête\n");
    let said = remplace(&w, &id, &bad, 1);
    assert!(said.contains("aucun en-tête reconnu"), "{said}");
    assert!(said.contains("non remplacé source"), "{said}");
    assert_eq!(rows(&w), before);
    assert_eq!(w.count("SELECT count(*) FROM remplacements"), 0);
    assert_eq!(w.count("SELECT count(*) FROM historique_notes"), 0);

    let said = remplace(&w, "99", &a, 2);
    assert!(said.contains("aucune source n° 99 dans la base"), "{said}");
    let same = remplace(&w, &id, &a, 0);
    assert!(same.contains("a le même contenu que la source"), "{same}");
    assert_eq!(rows(&w), before);
}
