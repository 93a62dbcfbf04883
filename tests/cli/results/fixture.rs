//! The results fixture: 27 candidates of session 2024 written as SQL rows into a fresh store
//! (identity, grades, jury decisions, one livret), each planting one rule of DOMAIN.md section 3.
//! The expected values and their hand computation are in ../results.rs.

use std::path::Path;

use ndrc_stats::store::Store;

/// Grades of each candidate: `EXAM=grade`, `EXAM=CODE` (status), `EXAM=BEN:origin:grade` (kept
/// grade), `EXAM=-` (a row without grade nor code), `C1=grade@UNIT` (control exam); an exam not
/// listed has no row at all.
#[rustfmt::skip]
const GRADES: &[(&str, &str)] = &[
    ("C01", "E1=9.91 E2=8.44 E3=10.24 E4=11.39 E5A=10.6 E5B=8.55 E6=9.66"),
    ("C02", "E1=11.33 E2=11.33 E3=11.33 E4=9.03 E5A=9.1 E5B=9.1 E6=8.8"),
    ("C03", "E1=7 E2=7 E3=7 E4=12 E5A=11 E5B=11 E6=10"),
    ("C04", "E1=7 E2=7 E3=7 E4=12 E5A=11 E5B=11 E6=10 C1=12@U1 C2=6@U2"),
    ("C05", "E1=7 E2=7 E3=7 E4=12 E5A=11 E5B=11 E6=10 C1=8@U1"),
    ("C06", "E1=DISP E2=DISP E3=12 E4=10 E5A=10 E5B=11 E6=9"),
    ("C07", "E1=9.8 E2=9.8 E3=9.8 E4=9.8 E5A=9.8 E5B=9.8 E6=9.8 EF1=16 EF2=8"),
    ("C08", "E1=12 E2=12 E3=12 E4=12 E5A=12 E5B=12 E6=12 EF1=ABS EF2=ABJ"),
    ("C09", "E1=10 E2=10 E3=10 E4=BEN:2019:13 E5A=10 E5B=10 E6=10"),
    ("C10", "E1=10 E2=10 E3=10 E4=BEN:2018:14 E5A=10 E5B=10 E6=10"),
    ("C11", "E1=10 E2=10 E3=10 E4=10 E5A=10 E5B=10 E6=BEN:2022:9"),
    ("C12", "E1=12 E2=12 E3=- E4=12 E5A=12 E6=12"),
    ("C13", "E1=ABS E2=ABS E3=ABS E4=ABS E5A=ABS E5B=ABS E6=ABS"),
    ("C14", "E1=12 E2=12 E3=12 E4=NV E5A=12 E5B=12 E6=12"),
    ("C15", "E1=ABS E2=12 E3=12 E4=NV E5A=12 E5B=12"),
    ("C16", "E1=12 E2=12 E4=NV E5A=12 E5B=12 E6=12"),
    ("C17", "E1=12 E2=ABJ E3=12 E4=12 E5A=12 E5B=12 E6=12"),
    ("C18", "E1=12 E2=ABJ E3=12 E4=12 E5A=12 E5B=12"),
    ("C19", "E1=11 E2=11 E3=11 E4=9 E5A=9 E5B=9 E6=9.3"),
    ("C20", "E1=8 E2=8 E3=8 E4=8 E5A=8 E5B=8 E6=8"),
    ("C21", "E1=10 E2=10 E3=10 E4=10 E5A=7.5 E5B=7.5 E6=10"),
    ("C22", "E1=12 E2=12 E3=12 E4=12 E5A=DISP E5B=12 E6=12"),
    ("C23", "E1=10 E2=10 E3=10 E4=10 E5A=BEN:2022:12 E5B=BEN:2022:9 E6=10"),
    ("C24", "E1=10 E2=10 E3=10 E4=10 E5A=BEN:2022:12 E5B=11 E6=10"),
    ("C25", "E1=10 E2=10 E3=10 E4=10 E5A=BEN:2021:12 E5B=BEN:2022:12 E6=10"),
    ("C26", "E1=10 E2=10 E3=10 E4=10 E5A=BEN:2022:11 E5B=BEN:2022:8.5 E6=10"),
    ("C27", "E1=10 E2=10 E3=10 E4=10 E5A=BEN:2018:12 E5B=BEN:2018:12 E6=10"),
];

/// Sovereign jury decisions: candidate, points added, decision, reason.
const JURY: &[(&str, Option<&str>, Option<&str>, &str)] = &[
    ("C19", Some("2.10"), None, "assiduité et progression"),
    ("C20", None, Some("ADMIS"), "décision souveraine du jury"),
    ("C21", Some("1.00"), None, "points de jury"),
];

/// Builds the fixture database at `db`: identity, grades, jury decisions, one livret and opinion.
pub fn build_fixture(db: &Path) -> Store {
    let store = Store::open(db).unwrap();
    let mut sql = String::new();
    for (i, (candidat, grades)) in GRADES.iter().enumerate() {
        for (champ, valeur) in [
            ("nom", format!("NOM{candidat}")),
            ("prenom", format!("Prénom {candidat}")),
            ("uai", "0350001A".to_string()),
            ("classe", format!("BTS{}", 1 + i % 2)),
            ("voie", "scolaire".to_string()),
        ] {
            sql += &format!("INSERT INTO candidats_valeurs VALUES (2024, '{candidat}', '{champ}', '{valeur}', 1, NULL, {i});\n");
        }
        for grade in grades.split_whitespace() {
            sql += &grade_insert(candidat, grade, i);
        }
    }
    for (candidat, points, decision, motif) in JURY {
        let points = points.unwrap_or("NULL");
        let decision = decision.map(|d| format!("'{d}'")).unwrap_or("NULL".into());
        sql += &format!("INSERT INTO decisions_jury VALUES (2024, '{candidat}', {points}, {decision}, '{motif}', 2, NULL, 1);\n");
    }
    // C03's livret: culture générale year 2 = (12 + 13) / 2 = 12.50; year 1 is not shown; LV1
    // year 2 given as one annual average 11; CEJM year 2 has S1 only: no average, said missing.
    sql += "INSERT INTO livret VALUES (2024, 'C03', '0350001A', 'BTS1', 1, 2, 1, 12, 3, NULL, 1), \
            (2024, 'C03', '0350001A', 'BTS1', 1, 2, 2, 13, 3, NULL, 2), \
            (2024, 'C03', '0350001A', 'BTS1', 1, 1, 1, 4, 3, NULL, 3), \
            (2024, 'C03', '0350001A', 'BTS1', 2, 2, 0, 11, 3, NULL, 5), \
            (2024, 'C03', '0350001A', 'BTS1', 3, 2, 1, 14, 3, NULL, 6);\n\
            INSERT INTO avis VALUES (2024, 'C03', 'Favorable', TRUE, 3, NULL, 4);\n";
    store.execute_batch(&sql, "fixture").unwrap();
    store
}

/// The INSERT of one `EXAM=value` grade.
fn grade_insert(candidat: &str, grade: &str, ligne: usize) -> String {
    let (epreuve, value) = grade.split_once('=').unwrap();
    let (note, statut, origine, unite) = if value == "-" {
        (
            "NULL".to_string(),
            "NULL".to_string(),
            "NULL".to_string(),
            "NULL".to_string(),
        )
    } else if let Some(kept) = value.strip_prefix("BEN:") {
        let (origine, note) = kept.split_once(':').unwrap();
        (
            note.to_string(),
            "'BEN'".into(),
            origine.to_string(),
            "NULL".into(),
        )
    } else if let Some((note, unite)) = value.split_once('@') {
        (
            note.to_string(),
            "NULL".into(),
            "NULL".into(),
            format!("'{unite}'"),
        )
    } else if value.starts_with(|c: char| c.is_ascii_digit()) {
        (
            value.to_string(),
            "NULL".into(),
            "NULL".into(),
            "NULL".into(),
        )
    } else {
        (
            "NULL".to_string(),
            format!("'{value}'"),
            "NULL".into(),
            "NULL".into(),
        )
    };
    format!(
        "INSERT INTO notes (session, candidat, epreuve, note, statut, session_origine, unite_remplacee, \
         source_id, ligne, colonne) VALUES (2024, '{candidat}', '{epreuve}', {note}, {statut}, {origine}, \
         {unite}, 1, {ligne}, '{epreuve}');\n"
    )
}
