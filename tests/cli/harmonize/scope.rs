//! Issue 10 item 6: what harmonisation compares with what. E5B grids within one subject (the
//! subject column, else date and half-day); a school's CCF covers only the categories that sit
//! E4/E6 in CCF, and a grade column's header mode wins; the impact of a school's correction.
//! Every expected figure is computed by hand in the comment above its test.

use std::collections::BTreeMap;

use super::{harmonize, report_rows};
use crate::common::{repo, Workdir};

/// A work dir whose database holds the fixture folder `tests/fixtures/<name>`.
fn with_fixture(name: &str) -> Workdir {
    let w = Workdir::new();
    w.ingest(&[&repo().join("tests/fixtures").join(name)], 0);
    w
}

/// The cells `names` of each row.
fn cells(rows: &[BTreeMap<String, String>], names: &[&str]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| names.iter().map(|n| r[*n].clone()).collect())
        .collect()
}

const GRID_COLUMNS: [&str; 8] = [
    "sujet",
    "examinateur",
    "n",
    "niveau_moyen",
    "n_autres",
    "niveau_moyen_autres",
    "ecart_niveau",
    "pct_niveau_4",
];

/// The grid rows both grid fixtures must give, subject labels aside.
/// Subject 1: A 4, 4, 3, 3 (mean 3,50), B 4, 3 (3,50); subject 2: A 2, 1 (1,50), B 2, 1, 2, 1
/// (1,50): within each subject A and B read Q1 alike, every gap is 0,00. Compared over both
/// subjects, as before, A (17/6 = 2,83) would look 0,67 level more generous than B (13/6 = 2,17)
/// only because A saw subject 1 more often. The two grids whose candidate has no E5B grade (A 2,
/// B 4) form the group « sujet non renseigné »: gaps 2 − 4 = −2,00 and +2,00.
fn expected_grids(s1: &str, s2: &str) -> Vec<Vec<String>> {
    let rows: [[&str; 8]; 6] = [
        [s1, "E5B-A", "4", "3,50", "2", "3,50", "0,00", "50,0"],
        [s1, "E5B-B", "2", "3,50", "4", "3,50", "0,00", "50,0"],
        [s2, "E5B-A", "2", "1,50", "4", "1,50", "0,00", "0,0"],
        [s2, "E5B-B", "4", "1,50", "2", "1,50", "0,00", "0,0"],
        [
            "sujet non renseigné",
            "E5B-A",
            "1",
            "2,00",
            "1",
            "4,00",
            "-2,00",
            "0,0",
        ],
        [
            "sujet non renseigné",
            "E5B-B",
            "1",
            "4,00",
            "1",
            "2,00",
            "2,00",
            "100,0",
        ],
    ];
    rows.iter()
        .map(|r| r.iter().map(|c| (*c).to_string()).collect())
        .collect()
}

/// E5B grades are 4 × the grid level (16, 12, 8, 4): A's mean 4 × 17/6 = 11,33, B's 4 × 13/6 =
/// 8,67. Within a subject A's and B's candidates score alike, so each examiner's raw gap to the
/// others on the same subject is 0,00 (over both subjects it would be 4 × 0,67 = 2,67).
fn assert_e5b_raw_gaps_are_within_subject(w: &Workdir) {
    let rows = report_rows(&w.out().join("harmonisation/examinateurs.csv"));
    assert_eq!(
        cells(
            &rows,
            &["epreuve", "examinateur", "n", "moyenne", "ecart_brut"]
        ),
        [
            ["E5B", "E5B-A", "6", "11,33", "0,00"],
            ["E5B", "E5B-B", "6", "8,67", "0,00"]
        ]
    );
}

#[test]
fn grids_are_compared_within_the_subject_column() {
    let w = with_fixture("grilles_sujets");
    harmonize(&w, &[], 0);
    let rows = report_rows(&w.out().join("harmonisation/grilles.csv"));
    assert_eq!(
        cells(&rows, &GRID_COLUMNS),
        expected_grids("E5B-2024-S1", "E5B-2024-S2")
    );
    assert_e5b_raw_gaps_are_within_subject(&w);
}

#[test]
fn without_a_subject_column_date_and_half_day_name_the_subject() {
    let w = with_fixture("grilles_demi_journees");
    harmonize(&w, &[], 0);
    let rows = report_rows(&w.out().join("harmonisation/grilles.csv"));
    // "après-midi" sorts before "matin": subject 2 comes first.
    let mut want = expected_grids("2024-05-14 matin", "2024-05-14 après-midi");
    want[..4].rotate_left(2);
    assert_eq!(cells(&rows, &GRID_COLUMNS), want);
    assert_e5b_raw_gaps_are_within_subject(&w);
}

/// tests/fixtures/ccf_etablissements. Four schools of 10 « SCOLAIRE BTS (132) » candidates whose
/// E1 = E3 = E5A = level L; E4 = L + school effect + e, e = 0, ±0,5, ±0,5, ±1, 0, 0, 0 (sum 0);
/// 0692782Z's effect is +2, the others' 0; E6 = L + f with f summing to 0 in every school.
/// Scope: 0690105P's three one-off candidates (INDIVIDUEL, ENSEIGNEMENT A DISTANCE, « Scolaire
/// privé hors contrat », E4 = E6 = 18 for a level 11) are not in its CCF: n stays 10 and its E4
/// effect 0. 0690128P's 10th candidate has its E4 only in a column « … - Ponctuel oral »: that
/// grade is not its school's CCF (n = 9 on E4, 10 on E6) though the candidate is scolaire.
/// Adjusted gap on E4 (difference model, one subject): effects 2, 0, 0, 0, so 0692782Z
/// 2 − (0 + 0 + 0)/3 = 2,00 and each other school 0 − (2 + 0 + 0)/3 = −0,67. Residual variance
/// 4 × (4 × 0,25 + 2 × 1) / (39 − 4) = 12/35; se² = 12/35 × (1/10 + (1/10 + 1/9 + 1/10)/9) =
/// 0,04614, se 0,21; t(35) = 2,03: interval 2 ± 0,44 = [1,56; 2,44], flagged. 0690128P (9 on
/// E4): se² = 12/35 × (1/9 + 3/10/9) = 0,04952, se 0,22, interval −0,67 ± 0,45 = [−1,12; −0,21]
/// (it excludes 0, but |−0,67| < 1 point: not flagged). E6: every gap 0.
#[test]
fn a_schools_ccf_leaves_out_one_off_categories_and_header_modes() {
    let w = with_fixture("ccf_etablissements");
    let stdout = harmonize(&w, &[], 0);
    let stdout = String::from_utf8_lossy(&stdout.stdout);
    // 40 E4 + 40 E6 CCF grades but the one in a « Ponctuel oral » column; 3 × 2 one-off.
    assert!(
        stdout.contains("79 note(s) en CCF, 7 en épreuve ponctuelle"),
        "{stdout}"
    );
    let rows = report_rows(&w.out().join("harmonisation/etablissements_ccf.csv"));
    let e4: Vec<_> = rows
        .iter()
        .filter(|r| r["epreuve"] == "E4")
        .cloned()
        .collect();
    assert_eq!(
        cells(
            &e4,
            &[
                "uai",
                "n",
                "ecart_ajuste",
                "erreur_type",
                "ic95_bas",
                "ic95_haut",
                "signal"
            ]
        ),
        [
            ["0690105P", "10", "-0,67", "0,21", "-1,10", "-0,23", "non"],
            ["0690128P", "9", "-0,67", "0,22", "-1,12", "-0,21", "non"],
            ["0691645N", "10", "-0,67", "0,21", "-1,10", "-0,23", "non"],
            ["0692782Z", "10", "2,00", "0,21", "1,56", "2,44", "OUI"]
        ]
    );
    for r in rows.iter().filter(|r| r["epreuve"] == "E6") {
        assert_eq!(
            (r["n"].as_str(), r["signal"].as_str()),
            ("10", "non"),
            "{r:?}"
        );
        assert_eq!(r["ecart_ajuste"], "0,00", "{r:?}");
    }
    let forme = |candidat: &str, epreuve: &str| {
        w.text(&format!(
            "SELECT forme || ' : ' || motif FROM harmonisation_perimetre_ccf \
             WHERE candidat = '{candidat}' AND epreuve = '{epreuve}'"
        ))
    };
    assert_eq!(
        forme("0240000230", "E4"),
        "PONCTUEL : en-tête de la colonne : PONCTUEL"
    );
    assert_eq!(
        forme("0240000230", "E6"),
        "CCF : catégorie « SCOLAIRE BTS (132) » : « scolaire »"
    );
    assert_eq!(
        forme("0240000243", "E4"),
        "PONCTUEL : catégorie « Scolaire privé hors contrat » : « hors contrat »"
    );
    assert_eq!(
        w.text("SELECT mode FROM notes WHERE candidat = '0240000230' AND epreuve = 'E4'"),
        "PONCTUEL"
    );
}

/// The correction of the flagged school 0692782Z on E4 is −round(2 × 2,00)/2 = −2,00 on its 10
/// CCF candidates' E4 (no examiner is flagged: the fixture has none). Candidate 0240000201:
/// E1 = E2 = E3 = E5A = 10, E4 = 12, E5B = 9, E6 = 9: 3 × 10 × 3 + 5 × 12 + 2 × 10 +
/// 2 × 9 + 3 × 9 = 215 points / 21 = 10,238 (shown 10,23), ADMIS. After: E4 = 10, 205 / 21 = 9,762
/// (9,76) < 10 and the professional units (5 × 10 + 4 × 9,5 + 3 × 9) / 12 = 9,58 < 10, so no
/// control exams: AJOURNE. The other 9 candidates of the school (levels 12 to 14) lose
/// 10/21 = 0,48 point and stay ADMIS; no other school's candidate moves.
#[test]
fn a_flagged_schools_correction_moves_its_candidate_from_admis_to_ajourne() {
    let w = with_fixture("ccf_etablissements");
    let before = w.text("SELECT CAST(sum(note) AS VARCHAR) FROM notes");
    harmonize(&w, &[], 0);
    assert_eq!(
        w.text("SELECT CAST(sum(note) AS VARCHAR) FROM notes"),
        before
    );
    let rows = report_rows(&w.out().join("harmonisation/impact.csv"));
    assert_eq!(rows.len(), 10, "{rows:?}");
    assert_eq!(
        cells(
            &rows[..1],
            &[
                "candidat",
                "uai",
                "moyenne_avant",
                "moyenne_apres",
                "decision_avant",
                "decision_apres",
                "correction_par",
                "corrections"
            ]
        ),
        [[
            "0240000201",
            "0692782Z",
            "10,23",
            "9,76",
            "ADMIS",
            "AJOURNE",
            "établissement",
            "E4 0692782Z -2.00"
        ]]
    );
    for r in &rows[1..] {
        assert_eq!(r["uai"], "0692782Z", "{r:?}");
        assert_eq!(
            (r["decision_avant"].as_str(), r["decision_apres"].as_str()),
            ("ADMIS", "ADMIS")
        );
        assert_eq!(r["correction_par"], "établissement");
    }
    // The jury may give the school's correction itself: its UAI in the Examinateur column.
    let file = w.path().join("corrections_jury.csv");
    std::fs::write(
        &file,
        "Session;Epreuve;Examinateur;Correction\n2024;E4;0692782Z;-1\n",
    )
    .unwrap();
    harmonize(&w, &["--corrections", file.to_str().unwrap()], 0);
    let rows = report_rows(&w.out().join("harmonisation/impact.csv"));
    // One point less: 210 / 21 = 10,00, still ADMIS; every row is a change of average only.
    assert_eq!(rows.len(), 10);
    assert_eq!(
        cells(
            &rows[..1],
            &["candidat", "moyenne_apres", "decision_apres", "corrections"]
        ),
        [["0240000201", "10,00", "ADMIS", "E4 0692782Z -1.00"]]
    );
}

/// A database made before `notes.mode` and `notes.bareme` existed, by a version that kept its
/// staging tables in the file: the schema adds the columns at the next open, the old staging
/// table is dropped (staging is temporary now), and a new file with a mode header loads into it.
#[test]
fn a_database_without_the_mode_column_gains_it_and_loads_on() {
    let w = Workdir::new();
    let fixture = repo().join("tests/fixtures/ccf_etablissements");
    w.ingest(&[&fixture.join("notes_2024.csv")], 0);
    w.conn()
        .execute_batch(
            "ALTER TABLE notes DROP COLUMN bareme; ALTER TABLE notes DROP COLUMN mode;
             CREATE TABLE stg_notes AS SELECT * FROM notes LIMIT 0;",
        )
        .unwrap();
    w.ingest(&[&fixture.join("notes_ponctuel_2024.csv")], 0);
    assert_eq!(
        w.text("SELECT mode FROM notes WHERE candidat = '0240000230' AND epreuve = 'E4'"),
        "PONCTUEL"
    );
    assert_eq!(w.count("SELECT count(mode) FROM notes"), 1);
    assert_eq!(
        w.count("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'stg_%'"),
        0
    );
    harmonize(&w, &[], 0);
}
