//! The results engine on hand-computed candidates (session 2024), then the `results` command on
//! the same database. Coefficients (data/regulation/ndrc.toml): U1 3, U2 3, U3 3, U4 5,
//! U5 = E5A 2 + E5B 2, U6 3: 21 in all, professional units U4-U6 12. Points = sum of
//! coefficient x grade; the average is points / coefficients truncated to hundredths.

use std::path::Path;

use ndrc_stats::compute::compute_results;
use ndrc_stats::regulation::Regulation;
use ndrc_stats::store::Store;

use crate::common::{read_report, Workdir};

mod fixture;

use fixture::build_fixture;

/// Expected: candidate, points, coefficients, average shown, decision, jury decision, blocks.
#[rustfmt::skip]
const EXPECTED: &[[&str; 7]] = &[
    // 29.73 + 25.32 + 30.72 + 56.95 + 21.20 + 17.10 + 28.98 = 210.00 = 10 x 21: ADMIS, although
    // the same sum in binary floats is 209.99999999999997 (average 9.999999999999998).
    ["C01", "210.00", "21", "10.00", "ADMIS", "", ""],
    // 3 x 3 x 11.33 + 5 x 9.03 + 2 x 9.1 + 2 x 9.1 + 3 x 8.8 = 101.97 + 45.15 + 36.40 + 26.40
    // = 209.92; 209.92 / 21 = 9.99619 shown 9.99 (never rounded to 10.00); professional
    // 107.95 / 12 = 8.996 < 10, so not CONTROLE: AJOURNE.
    ["C02", "209.92", "21", "9.99", "AJOURNE", "", "U1, U2, U3"],
    // 3 x 3 x 7 + 5 x 12 + 4 x 11 + 3 x 10 = 63 + 60 + 44 + 30 = 197; 197 / 21 = 9.3809 -> 9.38,
    // between 8 and 10; professional 134 / 12 = 11.17 >= 10: CONTROLE. Blocks U4 U5 U6 (U6 = 10).
    ["C03", "197.00", "21", "9.38", "CONTROLE", "", "U4, U5, U6"],
    // C03 + C1 = 12 replaces U1 = 7: 197 - 21 + 36 = 212 -> 10.095 -> 10.09 ADMIS; C2 = 6 < U2 = 7
    // is not used.
    ["C04", "212.00", "21", "10.09", "ADMIS", "", ""],
    // C03 + C1 = 8 replaces U1 = 7: 197 + 3 = 200 -> 9.5238 -> 9.52 < 10: AJOURNE after control.
    ["C05", "200.00", "21", "9.52", "AJOURNE", "", "U4, U5, U6"],
    // U1 and U2 exempted: 3 x 12 + 5 x 10 + 2 x 10 + 2 x 11 + 3 x 9 = 36 + 50 + 42 + 27 = 155
    // over 21 - 6 = 15: 10.333 -> 10.33 ADMIS.
    ["C06", "155.00", "15", "10.33", "ADMIS", "", ""],
    // 21 x 9.8 = 205.80 + bonus (16 - 10) + max(0, 8 - 10) = 6 -> 211.80 / 21 = 10.0857 -> 10.08.
    ["C07", "211.80", "21", "10.08", "ADMIS", "", ""],
    // 21 x 12 = 252 -> 12.00; the optional absences (ABS, ABJ) only lose the bonus.
    ["C08", "252.00", "21", "12.00", "ADMIS", "", ""],
    // E4 kept from 2019, 2024 - 2019 = 5 sessions: valid. 90 + 5 x 13 + 40 + 30 = 225 -> 10.714.
    ["C09", "225.00", "21", "10.71", "ADMIS", "", ""],
    // E4 kept from 2018: 6 sessions, expired: a data problem, INCOMPLET.
    ["C10", "", "21", "", "INCOMPLET", "", "U1, U2, U3, U5, U6"],
    // E6 kept with 9 < 10: not a valid kept grade, INCOMPLET.
    ["C11", "", "21", "", "INCOMPLET", "", "U1, U2, U3, U4, U5"],
    // E3 row without grade nor code, no E5B row: INCOMPLET, never a 0.
    ["C12", "", "21", "", "INCOMPLET", "", "U1, U2, U4, U6"],
    // ABS everywhere: ABSENT.
    ["C13", "", "21", "", "ABSENT", "", ""],
    // E4 NV: NV.
    ["C14", "", "21", "", "NV", "", "U1, U2, U3, U5, U6"],
    // ABS (E1), NV (E4) and no E6 row: ABSENT comes first.
    ["C15", "", "21", "", "ABSENT", "", "U2, U3, U5"],
    // NV (E4) and no E3 row: NV comes before INCOMPLET.
    ["C16", "", "21", "", "NV", "", "U1, U2, U5, U6"],
    // ABJ on E2 is marked 0 and counts (D643-24): 3 x 12 + 3 x 0 + 3 x 12 + 5 x 12 + 4 x 12
    // + 3 x 12 = 216 -> 216 / 21 = 10.2857 -> 10.28 ADMIS.
    ["C17", "216.00", "21", "10.28", "ADMIS", "", ""],
    // ABJ (E2, marked 0) and no E6 row: INCOMPLET.
    ["C18", "", "21", "", "INCOMPLET", "", "U1, U3, U4, U5"],
    // 99 + 45 + 36 + 27.9 = 207.90 -> 9.90, professional 108.9 / 12 < 10: AJOURNE; jury + 2.10
    // -> 210.00 >= 210: ADMIS by the jury.
    ["C19", "207.90", "21", "9.90", "AJOURNE", "ADMIS", ""],
    // 21 x 8 = 168 -> 8.00, professional 8 < 10: AJOURNE; the jury decides ADMIS.
    ["C20", "168.00", "21", "8.00", "AJOURNE", "ADMIS", ""],
    // 90 + 50 + 30 + 30 = 200 -> 9.52, professional 110 / 12 < 10: AJOURNE; jury + 1 -> 201
    // < 210: the jury's decision stays AJOURNE. Blocks: every unit at 10 (U5 = 7.5 is not).
    ["C21", "200.00", "21", "9.52", "AJOURNE", "AJOURNE", "U1, U2, U3, U4, U6"],
    // Only E5A exempted, E5B graded: a partial exemption of U5 is a missing grade.
    ["C22", "", "21", "", "INCOMPLET", "", "U1, U2, U3, U4, U6"],
    // Kept grades are kept per unit (D643-15, DOMAIN.md section 3). U5 kept whole from 2022: the
    // unit grade (2 x 12 + 2 x 9) / 4 = 10.50 reaches 10 although E5B = 9 alone does not:
    // 90 + 50 + 42 + 30 = 212 -> 10.095 -> 10.09 ADMIS.
    ["C23", "212.00", "21", "10.09", "ADMIS", "", ""],
    // E5A kept, E5B re-sat: one part of a unit cannot be kept: INCOMPLET.
    ["C24", "", "21", "", "INCOMPLET", "", "U1, U2, U3, U4, U6"],
    // E5A kept from 2021, E5B from 2022: a unit is kept from one session: INCOMPLET.
    ["C25", "", "21", "", "INCOMPLET", "", "U1, U2, U3, U4, U6"],
    // U5 kept whole: (2 x 11 + 2 x 8.5) / 4 = 9.75 < 10: not a valid kept unit, INCOMPLET.
    ["C26", "", "21", "", "INCOMPLET", "", "U1, U2, U3, U4, U6"],
    // U5 kept whole from 2018: 6 sessions back, expired: INCOMPLET.
    ["C27", "", "21", "", "INCOMPLET", "", "U1, U2, U3, U4, U6"],
];

/// Runs the computation on the fixture and returns the store.
fn computed(dir: &Path) -> Store {
    let store = build_fixture(&dir.join("fixture.duckdb"));
    compute_results(&store, &Regulation::embedded().unwrap()).unwrap();
    store
}

fn texts(store: &Store, sql: &str) -> Vec<Vec<String>> {
    let conn = store.connection();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                .collect()
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn every_hand_computed_candidate_gets_its_points_average_and_decision() {
    let dir = tempfile::tempdir().unwrap();
    let store = computed(dir.path());
    let got = texts(
        &store,
        "SELECT d.candidat, CAST(CAST(d.points AS DECIMAL(8, 2)) AS VARCHAR),
                CAST(CAST(d.coefficients AS INTEGER) AS VARCHAR),
                CAST(d.moyenne AS VARCHAR), d.decision, d.decision_jury,
                (SELECT string_agg(b.unite, ', ' ORDER BY b.ordre) FROM blocs_acquis b
                 WHERE b.candidat = d.candidat)
         FROM decisions d ORDER BY d.candidat",
    );
    let expected: Vec<Vec<String>> = EXPECTED
        .iter()
        .map(|e| e.iter().map(|s| s.to_string()).collect())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn what_is_missing_is_said_for_every_blocked_candidate() {
    let dir = tempfile::tempdir().unwrap();
    let store = computed(dir.path());
    let got = texts(
        &store,
        "SELECT candidat, manque FROM decisions
         WHERE candidat IN ('C10', 'C11', 'C12', 'C22', 'C24', 'C25', 'C26', 'C27') ORDER BY 1",
    );
    let expected = [
        [
            "C10",
            "U4 : note conservée de la session 2018, hors des 5 sessions de validité",
        ],
        ["C11", "U6 : note d'unité conservée 9,00 inférieure à 10,00"],
        ["C12", "E3 : note manquante ; E5B : note manquante"],
        ["C22", "U5 : dispense d'une partie seulement des épreuves"],
        [
            "C24",
            "U5 : note conservée pour E5A seulement, E5B repassée : une unité se conserve entière",
        ],
        [
            "C25",
            "U5 : épreuves conservées de sessions différentes (2021, 2022) : une unité se \
             conserve entière, d'une même session",
        ],
        ["C26", "U5 : note d'unité conservée 9,75 inférieure à 10,00"],
        [
            "C27",
            "U5 : note conservée de la session 2018, hors des 5 sessions de validité",
        ],
    ];
    assert_eq!(got, expected.map(|r| r.map(String::from).to_vec()));
}

/// An optional unit nobody graded lacks nothing: `manquante` without a text, while a mandatory
/// exam without a grade is said, and an optional exam's status code too.
#[test]
fn an_optional_unit_not_taken_has_no_problem_text_a_mandatory_one_has() {
    let dir = tempfile::tempdir().unwrap();
    let store = computed(dir.path());
    let got = texts(
        &store,
        "SELECT candidat, unite, etat, problemes FROM notes_unites
         WHERE candidat IN ('C07', 'C08', 'C12') AND unite IN ('U3', 'U5', 'UF1', 'UF2')
         ORDER BY candidat, ordre",
    );
    let expected = [
        ["C07", "U3", "notee", ""],
        ["C07", "U5", "notee", ""],
        ["C07", "UF1", "notee", ""],
        ["C07", "UF2", "notee", ""],
        ["C08", "U3", "notee", ""],
        ["C08", "U5", "notee", ""],
        ["C08", "UF1", "statut", "EF1 : absence non justifiée (ABS)"],
        ["C08", "UF2", "notee", ""],
        ["C12", "U3", "manquante", "E3 : note manquante"],
        ["C12", "U5", "manquante", "E5B : note manquante"],
        ["C12", "UF1", "manquante", ""],
        ["C12", "UF2", "manquante", ""],
    ];
    assert_eq!(got, expected.map(|r| r.map(String::from).to_vec()));
}

#[test]
fn jury_list_holds_control_near_misses_and_waiting_candidates_with_their_livret() {
    let dir = tempfile::tempdir().unwrap();
    let store = computed(dir.path());
    let got = texts(
        &store,
        "SELECT candidat, raison, CAST(livret_culture_generale AS VARCHAR), avis FROM a_examiner ORDER BY candidat",
    );
    let near = "moyenne à moins de 0,50 point du seuil d'admission";
    let expected = [
        // 209.92 >= (10 - 0.5) x 21 = 199.5.
        ["C02", near, "", ""],
        // Livret culture générale, year 2: (12 + 13) / 2 = 12.50.
        ["C03", "épreuves de contrôle", "12.50", "Favorable"],
        // 200 >= 199.5 after control.
        ["C05", near, "", ""],
        // Every justified absence is listed so that the jury knows, even on an optional unit.
        [
            "C08",
            "EF2 : absence justifiée : note zéro (D643-24)",
            "",
            "",
        ],
        ["C10", "notes manquantes", "", ""],
        ["C11", "notes manquantes", "", ""],
        ["C12", "notes manquantes", "", ""],
        [
            "C17",
            "E2 : absence justifiée : note zéro (D643-24)",
            "",
            "",
        ],
        [
            "C18",
            "notes manquantes ; E2 : absence justifiée : note zéro (D643-24)",
            "",
            "",
        ],
        // Computed AJOURNE at 207.90 (the jury's ADMIS is shown beside it).
        ["C19", near, "", ""],
        ["C21", near, "", ""],
        ["C22", "notes manquantes", "", ""],
        // A kept unit that is not valid is a data problem the jury sees (C24-C27).
        ["C24", "notes manquantes", "", ""],
        ["C25", "notes manquantes", "", ""],
        ["C26", "notes manquantes", "", ""],
        ["C27", "notes manquantes", "", ""],
    ];
    assert_eq!(got, expected.map(|r| r.map(String::from).to_vec()));
    // The livret rule: an annual average stands for the year; one semester alone gives nothing.
    let c03 = texts(
        &store,
        "SELECT CAST(livret_lv1 AS VARCHAR), coalesce(CAST(livret_cejm AS VARCHAR), '-'), \
         livret_manque FROM a_examiner WHERE candidat = 'C03'",
    );
    assert_eq!(
        c03,
        vec![vec![
            "11.00".to_string(),
            "-".to_string(),
            "Culture économique, juridique et managériale : 2e semestre manquant".to_string()
        ]]
    );
}

#[test]
fn exam_statistics_count_grades_and_each_status() {
    let dir = tempfile::tempdir().unwrap();
    let store = computed(dir.path());
    let got = texts(
        &store,
        "SELECT epreuve, CAST(n AS VARCHAR), CAST(moyenne AS VARCHAR), CAST(mediane AS VARCHAR),
                CAST(minimum AS VARCHAR), CAST(maximum AS VARCHAR), CAST(n_abs AS VARCHAR),
                CAST(n_disp AS VARCHAR), CAST(n_nv AS VARCHAR), CAST(n_ben AS VARCHAR)
         FROM statistiques_epreuves WHERE epreuve IN ('E1', 'E4', 'C1')",
    );
    let expected = [
        // 24 grades: sum 195.04 + 5 x 10 (C23-C27) = 245.04 / 24 = 10.21; the 12th and 13th
        // of the sorted grades are 10.
        [
            "E1", "24", "10.21", "10.00", "7.00", "12.00", "2", "1", "0", "0",
        ],
        // NV for C14, C15, C16; kept grades for C09 and C10 (not in n); ABS for C13.
        // 21 grades: 173.22 + 5 x 10 = 223.22 / 21 = 10.629 -> 10.63; the 11th sorted is 10.
        [
            "E4", "21", "10.63", "10.00", "8.00", "12.00", "1", "0", "3", "2",
        ],
        [
            "C1", "2", "10.00", "10.00", "8.00", "12.00", "0", "0", "0", "0",
        ],
    ];
    assert_eq!(got, expected.map(|r| r.map(String::from).to_vec()));
}

#[test]
fn results_command_writes_the_jury_reports_of_an_existing_database() {
    let w = Workdir::new();
    drop(build_fixture(&w.db()));
    let (db, out) = (w.db(), w.out());
    let run = w.run_ok(
        &[
            "results",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        0,
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains(
            "session 2024 : 27 décisions (après jury) : ABSENT 2, ADMIS 10, AJOURNE 3, CONTROLE 1, \
             INCOMPLET 9, NV 2"
        ),
        "{stdout}"
    );
    let rows = read_report(&out.join("resultats.csv"));
    assert_eq!(
        rows[0][..16].join(";"),
        "session;candidat;nom;prenom;uai;classe;voie;points;coefficients;moyenne;decision;decision_jury;\
         points_jury;moyenne_jury;motif_jury;decision_finale"
    );
    assert_eq!(rows[0][16..24].join(";"), "U1;U2;U3;U4;U5;U6;UF1;UF2");
    assert_eq!(rows.len(), 28);
    // C04: U1 shows the control grade 12 that replaced 7; U5 = (2 x 11 + 2 x 11) / 4 = 11.
    let c04 = &rows[4];
    assert_eq!(
        c04[..12].join(";"),
        "2024;C04;NOMC04;Prénom C04;0350001A;BTS2;scolaire;212,00;21,00;10,09;ADMIS;"
    );
    assert_eq!(c04[16..24].join(";"), "12,00;7,00;7,00;12,00;11,00;10,00;;");
    // C19: jury points 2,10 -> 210 / 21 = 10,00, shown beside the computed decision.
    assert_eq!(
        rows[19][9..16].join(";"),
        "9,90;AJOURNE;ADMIS;2,10;10,00;assiduité et progression;ADMIS"
    );
    // The header and 16 candidates (C08 for its justified absence at EF2).
    let jury = read_report(&out.join("jury/a_examiner.csv"));
    assert_eq!(jury.len(), 17);
    let stats = read_report(&out.join("statistiques_epreuves.csv"));
    assert_eq!(stats[1][..3].join(";"), "2024;E1;24");
    for exam in ["E1", "E5B", "EF1", "C1"] {
        let svg = std::fs::read_to_string(out.join(format!("plots/2024/{exam}.svg"))).unwrap();
        assert!(
            svg.contains(&format!("Session 2024 - {exam} : répartition des notes")),
            "{exam}"
        );
        assert!(
            out.join(format!("plots/2024/{exam}.png"))
                .metadata()
                .unwrap()
                .len()
                > 1000
        );
    }
    // The chart of E1 (19 grades: 3 in [7, 8), 1 in [8, 9), 2 in [9, 10), 4 in [10, 11),
    // 2 in [11, 12), 7 at 12) is golden: text drawn with the committed font, same bytes everywhere.
    crate::common::assert_golden(&out.join("plots/2024/E1.svg"), "results/plots/2024/E1.svg");
    // Another session: headers only.
    let other = w.path().join("autre");
    w.run_ok(
        &[
            "results",
            "--db",
            db.to_str().unwrap(),
            "--session",
            "2023",
            "--out",
            other.to_str().unwrap(),
        ],
        0,
    );
    assert_eq!(read_report(&other.join("resultats.csv")).len(), 1);
}

#[test]
fn results_without_a_database_is_a_usage_error() {
    let w = Workdir::new();
    let run = w.run_ok(&["results", "--db", "absente.duckdb"], 2);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("--db absente.duckdb : base introuvable"),
        "{stderr}"
    );
    assert!(!w.path().join("absente.duckdb").exists());
}

#[test]
fn malformed_regulation_in_the_working_directory_stops_with_the_key() {
    let w = Workdir::new();
    drop(build_fixture(&w.db()));
    let shipped =
        std::fs::read_to_string(crate::common::repo().join("data/regulation/ndrc.toml")).unwrap();
    std::fs::create_dir_all(w.path().join("data/regulation")).unwrap();
    std::fs::write(
        w.path().join("data/regulation/ndrc.toml"),
        shipped.replace("coefficient = 5\n", "coefficient = 6\n"),
    )
    .unwrap();
    let db = w.db();
    let run = w.run_ok(&["results", "--db", db.to_str().unwrap()], 1);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(
            "unites[3].coefficient : 6 différent de la somme des coefficients de ses épreuves (5)"
        ),
        "{stderr}"
    );
}

/// data/samples through `run`: resultats.csv is compared byte for byte with the golden file,
/// whose decision counts tests/golden/samples/README.md checks by hand.
#[test]
fn samples_results_match_the_golden_file() {
    let w = Workdir::new();
    let samples = crate::common::repo().join("data/samples");
    w.run_pipeline(&samples);
    let out = w.out();
    crate::common::assert_golden(&out.join("resultats.csv"), "samples/resultats.csv");
}

/// Issue 10: a grade held back pending a check (RES, seed 004) gives EN_ATTENTE, and the jury list
/// says why; a justified absence is marked 0 (D643-24) and the candidate is listed for the jury.
#[test]
fn a_held_back_grade_waits_and_a_justified_absence_counts_zero() {
    let w = crate::common::Workdir::new();
    let mut csv = String::from("Session;N° candidat;Nom;Prénom;Epreuve;Note\n");
    for (num, e3, e6) in [("0240000091", "RES", "12"), ("0240000092", "12", "ABJ")] {
        for (exam, grade) in [
            ("E1", "12"),
            ("E2", "12"),
            ("E3", e3),
            ("E4", "12"),
            ("E5A", "12"),
            ("E5B", "12"),
            ("E6", e6),
            ("EF1", "14"),
        ] {
            csv += &format!("2024;{num};NOM;Prénom;{exam};{grade}\n");
        }
    }
    let file = w.path().join("oraux_2024.csv");
    std::fs::write(&file, csv).unwrap();
    w.ingest(&[&file], 0);
    let results = w.results_csv();
    let row = |c: &str| results.lines().find(|l| l.contains(c)).unwrap().to_string();
    assert!(row("0240000091").contains(";EN_ATTENTE;"), "{results}");
    // Not admitted: every unit at 12 keeps its block, the optional LV2 (14 >= 10) included.
    assert!(
        row("0240000091").ends_with(";U1, U2, U4, U5, U6, UF1"),
        "{results}"
    );
    // 18 x 12 + 3 x 0 = 216, + EF1 bonus 14 - 10 = 4 -> 220 / 21 = 10.476 -> 10.47 ADMIS.
    assert!(
        row("0240000092").contains(";220,00;21,00;10,47;ADMIS;"),
        "{results}"
    );
    let jury = std::fs::read_to_string(w.out().join("jury").join("a_examiner.csv")).unwrap();
    let reason = |c: &str| jury.lines().find(|l| l.contains(c)).unwrap().to_string();
    assert!(
        reason("0240000091")
            .contains("résultat en attente ; E3 : note réservée dans l'attente d'une vérification"),
        "{jury}"
    );
    assert!(
        reason("0240000092").contains("E6 : absence justifiée : note zéro (D643-24)"),
        "{jury}"
    );
}
