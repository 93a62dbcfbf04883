//! The computed tables are computed once for the same inputs: `rates` after `results` reads them
//! as they are, and a new file, a row changed by hand or another regulation computes again.

use crate::common::{repo, Workdir};

fn calcule_le(w: &Workdir) -> String {
    w.text("SELECT CAST(calcule_le AS VARCHAR) || ' ' || empreinte FROM calcul")
}

#[test]
fn the_computation_is_done_once_for_the_same_inputs_and_again_when_they_change() {
    let w = Workdir::new();
    let samples = repo().join("data").join("samples");
    let notes = samples.join("notes_2024.xlsx");
    w.ingest(&[&notes], 0);
    w.report("results", 0);
    let first = calcule_le(&w);
    let resultats = w.results_csv();
    w.report("rates", 0);
    assert_eq!(
        calcule_le(&w),
        first,
        "rates reads the tables results computed"
    );
    w.report("results", 0);
    assert_eq!(calcule_le(&w), first);
    assert_eq!(w.results_csv(), resultats);

    // A grade changed by hand: computed again, and the report follows.
    let conn = w.conn();
    conn.execute_batch(
        "UPDATE notes SET note = 20 WHERE (session, candidat, epreuve) IN \
         (SELECT session, candidat, epreuve FROM notes WHERE note < 5 ORDER BY ALL LIMIT 1)",
    )
    .unwrap();
    drop(conn);
    w.report("results", 0);
    let second = calcule_le(&w);
    assert_ne!(second, first);
    assert_ne!(w.results_csv(), resultats);

    // A new file: computed again.
    let oraux = samples.join("oraux_2024.csv");
    w.ingest(&[&oraux], 0);
    w.report("rates", 0);
    assert_ne!(calcule_le(&w), second);
}
