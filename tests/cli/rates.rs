//! Success rates (issue 4) on a hand-built fixture, then the publication's statistical secrecy.
//!
//! The fixture, academy LYON, specialty 32031 (z = 1.959964, z² = 3.841459):
//! - session 2023, school 0690001A, route scolaire: 5 women admitted (all grades 12), 5 men
//!   failed (all grades 6): 10 présents, 5 admis.
//! - session 2024, school 0690001A, route scolaire: 4 men admitted outright; 1 man at 9 everywhere
//!   (AJOURNE) admitted by the jury; 1 man at control (7 7 7 12 11 11 10 = 9.38, professional
//!   11.17) whose control exam C1 = 12 replaces U1 = 7 (212 points: ADMIS); 1 woman failed (6);
//!   1 woman graded in E1 only, absent elsewhere (présente, decision ABSENT); 1 woman absent from
//!   every exam (not présente): 8 présents, 6 admis.
//! - session 2024, school 0690002B, route apprentissage: 3 women admitted: 3 présents, 3 admis.
//! - session 2024, school 0690003C, route scolaire: 4 women failed: 4 présents, 0 admis.
//!
//! Wilson bounds by hand: for 0 admis out of n, [0, z²/(n + z²)]; for n admis out of n,
//! [n/(n + z²), 100 %]; otherwise centre (p + z²/2n)/(1 + z²/n) ± z √(p(1-p)/n + z²/4n²)/(1 + z²/n).

use std::path::Path;

use ndrc_stats::store::Store;

use crate::common::{read_report, Workdir};

/// (session, candidate, school, route, sex, grades); grades `E=grade`, `E=CODE`, `C1=grade@U1`.
#[rustfmt::skip]
pub const CANDIDATS: &[(i32, &str, &str, &str, &str, &str)] = &[
    (2023, "P01", "0690001A", "scolaire", "F", ADMIS),
    (2023, "P02", "0690001A", "scolaire", "F", ADMIS),
    (2023, "P03", "0690001A", "scolaire", "F", ADMIS),
    (2023, "P04", "0690001A", "scolaire", "F", ADMIS),
    (2023, "P05", "0690001A", "scolaire", "F", ADMIS),
    (2023, "P06", "0690001A", "scolaire", "M", AJOURNE),
    (2023, "P07", "0690001A", "scolaire", "M", AJOURNE),
    (2023, "P08", "0690001A", "scolaire", "M", AJOURNE),
    (2023, "P09", "0690001A", "scolaire", "M", AJOURNE),
    (2023, "P10", "0690001A", "scolaire", "M", AJOURNE),
    (2024, "A1", "0690001A", "scolaire", "M", ADMIS),
    (2024, "A2", "0690001A", "scolaire", "M", ADMIS),
    (2024, "A3", "0690001A", "scolaire", "M", ADMIS),
    (2024, "A4", "0690001A", "scolaire", "M", ADMIS),
    (2024, "A5", "0690001A", "scolaire", "M", "E1=9 E2=9 E3=9 E4=9 E5A=9 E5B=9 E6=9"),
    (2024, "A6", "0690001A", "scolaire", "M", "E1=7 E2=7 E3=7 E4=12 E5A=11 E5B=11 E6=10 C1=12@U1"),
    (2024, "A7", "0690001A", "scolaire", "F", AJOURNE),
    (2024, "A8", "0690001A", "scolaire", "F", "E1=12 E2=ABS E3=ABS E4=ABS E5A=ABS E5B=ABS E6=ABS"),
    (2024, "A9", "0690001A", "scolaire", "F", "E1=ABS E2=ABS E3=ABS E4=ABS E5A=ABS E5B=ABS E6=ABS"),
    (2024, "B1", "0690002B", "apprentissage", "F", ADMIS),
    (2024, "B2", "0690002B", "apprentissage", "F", ADMIS),
    (2024, "B3", "0690002B", "apprentissage", "F", ADMIS),
    (2024, "C1", "0690003C", "scolaire", "F", AJOURNE),
    (2024, "C2", "0690003C", "scolaire", "F", AJOURNE),
    (2024, "C3", "0690003C", "scolaire", "F", AJOURNE),
    (2024, "C4", "0690003C", "scolaire", "F", AJOURNE),
];

const ADMIS: &str = "E1=12 E2=12 E3=12 E4=12 E5A=12 E5B=12 E6=12";
const AJOURNE: &str = "E1=6 E2=6 E3=6 E4=6 E5A=6 E5B=6 E6=6";

/// The SQL rows of the rates fixture (identity, grades, the jury's decision for A5).
pub fn fixture_sql() -> String {
    let mut sql = String::new();
    for (i, (session, candidat, uai, voie, sexe, grades)) in CANDIDATS.iter().enumerate() {
        for (champ, valeur) in [
            ("nom", format!("NOM{candidat}")),
            ("prenom", format!("Prénom {candidat}")),
            ("academie", "LYON".into()),
            ("uai", uai.to_string()),
            ("classe", "BTS2 A".into()),
            ("specialite", "32031".into()),
            ("voie", voie.to_string()),
            ("sexe", sexe.to_string()),
        ] {
            sql += &format!(
                "INSERT INTO candidats_valeurs VALUES ({session}, '{candidat}', '{champ}', '{valeur}', 1, NULL, {i});\n"
            );
        }
        for grade in grades.split_whitespace() {
            let (epreuve, value) = grade.split_once('=').unwrap();
            let (value, unite) = match value.split_once('@') {
                Some((v, u)) => (v, format!("'{u}'")),
                None => (value, "NULL".to_string()),
            };
            let (note, statut) = if value.parse::<f64>().is_ok() {
                (value.to_string(), "NULL".to_string())
            } else {
                ("NULL".to_string(), format!("'{value}'"))
            };
            sql += &format!(
                "INSERT INTO notes (session, candidat, epreuve, note, statut, unite_remplacee, source_id, ligne, colonne) \
                 VALUES ({session}, '{candidat}', '{epreuve}', {note}, {statut}, {unite}, 1, {i}, '{epreuve}');\n"
            );
        }
    }
    sql += "INSERT INTO decisions_jury VALUES (2024, 'A5', NULL, 'ADMIS', 'décision du jury', 2, NULL, 1);\n";
    sql
}

/// Builds the fixture database at `db`.
pub fn build_rates_fixture(db: &Path) {
    let store = Store::open(db).unwrap();
    store.execute_batch(&fixture_sql(), "fixture").unwrap();
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    read_report(path)
}

fn find<'a>(rows: &'a [Vec<String>], key: &[&str]) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r.iter().zip(key).all(|(a, b)| a == b))
        .unwrap_or_else(|| panic!("no row {key:?} in {rows:?}"))
}

#[test]
fn rates_and_wilson_intervals_match_the_hand_computation() {
    let w = Workdir::new();
    build_rates_fixture(&w.db());
    let (db, out) = (w.db(), w.out());
    let run = w.run_ok(
        &[
            "rates",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        0,
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("session 2024 : 15 présents, 9 admis, taux 60,0 % [35,7 ; 80,2]"),
        "{stdout}"
    );
    let r = rows(&out.join("reussite.csv"));
    assert_eq!(
        r[0],
        ["session", "niveau", "cle", "presents", "admis", "taux", "ic_bas", "ic_haut"]
    );
    #[rustfmt::skip]
    let expected: &[[&str; 8]] = &[
        // 5/10: centre 0.5, half-width 1.959964 √(0.025 + 0.0096036) / 1.3841459 = 0.26341.
        ["2023", "ensemble", "tous les candidats", "10", "5", "50,0", "23,7", "76,3"],
        // 5/5: [5 / 8.841459, 1] = [56.55 %, 100 %].
        ["2023", "sexe", "F", "5", "5", "100,0", "56,6", "100,0"],
        // 0/5: [0, 3.841459 / 8.841459] = [0, 43.45 %].
        ["2023", "sexe", "M", "5", "0", "0,0", "0,0", "43,4"],
        // A8 sat E1: présente; A9 sat nothing: not présente. 6 + 3 + 0 = 9 admis (A5 by the jury,
        // A6 after the control exam), 15 présents: 60 %, centre (0.6 + 0.12805)/1.25610 = 0.57961,
        // half-width 1.959964 √(0.016 + 0.0042683)/1.25610 = 0.22214: [35.7, 80.2].
        ["2024", "ensemble", "tous les candidats", "15", "9", "60,0", "35,7", "80,2"],
        ["2024", "academie", "LYON", "15", "9", "60,0", "35,7", "80,2"],
        // 6/8: centre (0.75 + 0.24009)/1.48018 = 0.66890, half-width 1.959964 √(0.0234375 +
        // 0.0150052)/1.48018 = 0.25962: [40.9, 92.9].
        ["2024", "uai", "0690001A", "8", "6", "75,0", "40,9", "92,9"],
        // 3/3: [3 / 6.841459, 1] = [43.85 %, 100 %].
        ["2024", "uai", "0690002B", "3", "3", "100,0", "43,9", "100,0"],
        // 0/4: [0, 3.841459 / 7.841459] = [0, 48.99 %].
        ["2024", "uai", "0690003C", "4", "0", "0,0", "0,0", "49,0"],
        ["2024", "section", "0690001A / 32031 / scolaire", "8", "6", "75,0", "40,9", "92,9"],
        // 6/12: centre 0.5, half-width 1.959964 √(0.0208333 + 0.0066696)/1.3201216 = 0.24622.
        ["2024", "voie", "scolaire", "12", "6", "50,0", "25,4", "74,6"],
        ["2024", "voie", "apprentissage", "3", "3", "100,0", "43,9", "100,0"],
        // 3/9: centre (0.33333 + 0.21341)/1.42683 = 0.38319, half-width 1.959964 √(0.0246914 +
        // 0.0118567)/1.42683 = 0.26261: [12.1, 64.6].
        ["2024", "sexe", "F", "9", "3", "33,3", "12,1", "64,6"],
        // 6/6: [6 / 9.841459, 1] = [60.97 %, 100 %].
        ["2024", "sexe", "M", "6", "6", "100,0", "61,0", "100,0"],
    ];
    for e in expected {
        assert_eq!(find(&r, &e[..3]), &e.map(String::from).to_vec());
    }
    // 2023: ensemble, academie, uai, section, voie, 2 sexes; 2024: the same with 3 schools,
    // 3 sections, 2 routes, 2 sexes.
    assert_eq!(r.len() - 1, 7 + 12);
}

#[test]
fn evolution_gives_the_change_in_points_and_whether_intervals_overlap() {
    let w = Workdir::new();
    build_rates_fixture(&w.db());
    let (db, out) = (w.db(), w.out());
    w.run_ok(
        &[
            "rates",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        0,
    );
    let r = rows(&out.join("reussite_evolution.csv"));
    assert_eq!(
        r[0],
        [
            "niveau",
            "cle",
            "session",
            "presents",
            "admis",
            "taux",
            "ic_bas",
            "ic_haut",
            "session_precedente",
            "ecart_points",
            "recouvrement",
            "session_debut",
            "ecart_periode",
            "recouvrement_periode"
        ]
    );
    // Ensemble: 60.0 - 50.0 = +10.0 points, [35.7, 80.2] and [23.7, 76.3] overlap.
    assert_eq!(
        find(&r, &["ensemble", "tous les candidats", "2024"])[8..],
        ["2023", "10,0", "oui", "2023", "10,0", "oui"]
    );
    // Men: 0 % -> 100 %, +100.0 points, [0, 43.4] and [61.0, 100] do not overlap.
    assert_eq!(
        find(&r, &["sexe", "M", "2024"])[8..],
        ["2023", "100,0", "non", "2023", "100,0", "non"]
    );
    // Women: 100 % -> 33.3 %: 100 (3/9 - 5/5) = -66.67, rounded -66.7; [12.1, 64.6] meets [56.6, 100].
    assert_eq!(
        find(&r, &["sexe", "F", "2024"])[8..],
        ["2023", "-66,7", "oui", "2023", "-66,7", "oui"]
    );
    // A first session has nothing to compare with.
    assert_eq!(
        find(&r, &["sexe", "F", "2023"])[8..],
        ["", "", "", "", "", ""]
    );
    // A school present in 2024 only.
    assert_eq!(
        find(&r, &["uai", "0690002B", "2024"])[8..],
        ["", "", "", "", "", ""]
    );
    assert!(out.join("plots/reussite_etablissements.svg").exists());
    assert!(out.join("plots/reussite_voies.png").exists());
}

#[test]
fn publication_hides_small_cells_and_what_would_reveal_them() {
    let w = Workdir::new();
    build_rates_fixture(&w.db());
    let (db, out) = (w.db(), w.out());
    let run = w.run_ok(
        &[
            "rates",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--publish",
        ],
        0,
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("6 masquées par le secret statistique, seuil 5 présents"),
        "{stdout}"
    );
    let r = rows(&out.join("reussite_publiable.csv"));
    assert_eq!(r[0].last().unwrap(), "secret");
    let secret = |key: &[&str]| {
        let row = find(&r, key);
        (row[3..8].join(" "), row[8].clone())
    };
    let hidden = "secret secret secret secret secret".to_string();
    // Primary: fewer than 5 présents (the 100 % and 0 % schools, their sections, apprentissage).
    for key in [
        ["2024", "uai", "0690002B"],
        ["2024", "uai", "0690003C"],
        ["2024", "section", "0690002B / 32031 / apprentissage"],
        ["2024", "section", "0690003C / 32031 / scolaire"],
        ["2024", "voie", "apprentissage"],
    ] {
        assert_eq!(secret(&key), (hidden.clone(), "primaire".into()), "{key:?}");
    }
    // Secondary: apprentissage alone would be 15 - 12 from the published total and scolaire, so
    // scolaire (the only other route) is hidden too. The schools need nothing more: two of the
    // three are hidden, and 15 - 8 = 7 only gives their sum.
    assert_eq!(
        secret(&["2024", "voie", "scolaire"]),
        (hidden.clone(), "secondaire".into())
    );
    // 5 primary + 1 secondary = the 6 of the summary. What stays hidden is undetermined: with
    // b, c the two small schools (= their sections) and s, a the routes, the totals give
    // b + c = 7, s + a = 15, s - c = 8, a - b = 0: one free unknown, no cell recovered.
    assert_eq!(
        secret(&["2024", "uai", "0690001A"]),
        ("8 6 75,0 40,9 92,9".into(), String::new())
    );
    assert_eq!(
        secret(&["2024", "ensemble", "tous les candidats"]),
        ("15 9 60,0 35,7 80,2".into(), String::new())
    );
    // 2023: every cell has at least 5 présents: nothing hidden, never a 0 written for a secret.
    assert!(r.iter().filter(|l| l[0] == "2023").all(|l| l[8].is_empty()));
    assert!(r
        .iter()
        .skip(1)
        .filter(|l| !l[8].is_empty())
        .all(|l| l[3] == "secret"));
}

#[test]
fn run_on_samples_writes_rates_that_agree_with_the_results_and_every_livret_class() {
    let w = Workdir::new();
    let samples = crate::common::repo().join("data").join("samples");
    w.run_pipeline(&samples);
    let out = w.out();
    let resultats = rows(&out.join("resultats.csv"));
    let col = |name: &str| resultats[0].iter().position(|c| c == name).unwrap();
    let (session, decision) = (col("session"), col("decision_finale"));
    let reussite = rows(&out.join("reussite.csv"));
    let sessions: std::collections::BTreeSet<&String> =
        resultats.iter().skip(1).map(|r| &r[session]).collect();
    assert!(!sessions.is_empty());
    for s in sessions {
        // admis = the final decisions ADMIS of resultats.csv.
        let admis = resultats
            .iter()
            .filter(|r| &r[session] == s && r[decision] == "ADMIS")
            .count();
        let all = find(&reussite, &[s.as_str(), "ensemble"]);
        assert_eq!(all[4], admis.to_string(), "session {s}");
        // Every breakdown partitions the présents and the admis.
        for niveau in ["academie", "uai", "section", "voie", "sexe"] {
            let sum = |k: usize| -> i64 {
                reussite
                    .iter()
                    .filter(|r| &r[0] == s && r[1] == niveau)
                    .map(|r| r[k].parse::<i64>().unwrap())
                    .sum()
            };
            assert_eq!(sum(3).to_string(), all[3], "{s} {niveau} présents");
            assert_eq!(sum(4).to_string(), all[4], "{s} {niveau} admis");
        }
    }
    // Every class of the latest livret session: its tables, page and one chart per student.
    let students = w.count(
        "SELECT count(DISTINCT candidat) FROM livret WHERE session = (SELECT max(session) FROM livret)",
    );
    let mut charts = 0;
    let latest = w.count("SELECT max(session) FROM livret").to_string();
    for school in std::fs::read_dir(out.join("livret").join(latest)).unwrap() {
        let school = school.unwrap().path();
        if !school.is_dir() {
            continue;
        }
        for class in std::fs::read_dir(&school).unwrap() {
            let class = class.unwrap().path();
            assert_eq!(
                rows(&class.join("profil.csv")).len(),
                8,
                "{}",
                class.display()
            );
            assert!(class.join("cotation.csv").exists() && class.join("classe.html").exists());
            for f in std::fs::read_dir(&class).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "svg") {
                    assert!(f.with_extension("png").exists(), "{}", f.display());
                    charts += 1;
                }
            }
        }
    }
    assert_eq!(charts, students);
}
