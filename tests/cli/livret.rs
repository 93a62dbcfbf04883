//! The livret scolaire statistics (issue 4) on the rates fixture (../rates.rs) plus livret rows.
//!
//! Class « BTS2 A » of school 0690001A, session 2024, year-2 semesters (S1, S2):
//! - A1: line k (1 to 6) S1 = 10 + k, S2 = 11 + k, average 10.5 + k; LV2 14 and 15: 14.5.
//!   Très favorable, PIX.
//! - A2: lines 1 to 6 at 8 and 9: 8.5; no LV2 (no point at line 7, never 0). Favorable, no PIX.
//! - A3: lines 1 to 6 at 12 and 13: 12.5, except line 3 whose S1 is missing (reported, no year
//!   average); LV2 10 and 11.25: 10.625. No opinion.
//!
//! Every student has year 1 lines 1 to 6 at 10 and 10 (not used by the chart).
//! Class « BTS1 X »: A4 with year-1 rows only: a class without year-2 data, reported.
//!
//! Class profile by hand (mean of the year-2 averages of the students who have one):
//! 1: (11.5 + 8.5 + 12.5) / 3 = 10.833 -> 10.83; 2: (12.5 + 8.5 + 12.5) / 3 = 11.167 -> 11.17;
//! 3: (13.5 + 8.5) / 2 = 11.00 (2 students); 4: 35.5 / 3 = 11.833 -> 11.83;
//! 5: 36.5 / 3 = 12.167 -> 12.17; 6: 37.5 / 3 = 12.50; 7: (14.5 + 10.625) / 2 = 12.5625 -> 12.56.

use ndrc_stats::store::Store;

use crate::common::{read_report, Workdir};
use crate::rates::fixture_sql;

fn semesters(
    sql: &mut String,
    candidat: &str,
    classe: &str,
    annee: i32,
    ligne: i32,
    s: &[(i32, &str)],
) {
    for (semestre, note) in s {
        *sql += &format!(
            "INSERT INTO livret VALUES (2024, '{candidat}', '0690001A', '{classe}', {ligne}, {annee}, {semestre}, {note}, 3, NULL, 1);\n"
        );
    }
}

fn build(w: &Workdir) {
    let mut sql = fixture_sql();
    for candidat in ["A1", "A2", "A3"] {
        for ligne in 1..=6 {
            semesters(
                &mut sql,
                candidat,
                "BTS2 A",
                1,
                ligne,
                &[(1, "10"), (2, "10")],
            );
        }
    }
    for ligne in 1..=6 {
        let (a, b) = (format!("{}", 10 + ligne), format!("{}", 11 + ligne));
        semesters(&mut sql, "A1", "BTS2 A", 2, ligne, &[(1, &a), (2, &b)]);
        semesters(&mut sql, "A2", "BTS2 A", 2, ligne, &[(1, "8"), (2, "9")]);
        if ligne == 3 {
            semesters(&mut sql, "A3", "BTS2 A", 2, ligne, &[(2, "13")]);
        } else {
            semesters(&mut sql, "A3", "BTS2 A", 2, ligne, &[(1, "12"), (2, "13")]);
        }
        semesters(&mut sql, "A4", "BTS1 X", 1, ligne, &[(1, "11"), (2, "12")]);
    }
    semesters(&mut sql, "A1", "BTS2 A", 2, 7, &[(1, "14"), (2, "15")]);
    semesters(&mut sql, "A3", "BTS2 A", 2, 7, &[(1, "10"), (2, "11.25")]);
    sql += "INSERT INTO avis VALUES (2024, 'A1', 'Très favorable', TRUE, 3, NULL, 1), \
            (2024, 'A2', 'Favorable', FALSE, 3, NULL, 2);\n";
    let store = Store::open(&w.db()).unwrap();
    store.execute_batch(&sql, "fixture").unwrap();
}

fn run_livret(w: &Workdir, extra: &[&str]) -> String {
    let (db, out) = (w.db(), w.out());
    let mut args = vec![
        "livret",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    String::from_utf8_lossy(&w.run_ok(&args, 0).stdout).into_owned()
}

#[test]
fn class_profile_is_the_mean_of_year_two_averages_in_official_order() {
    let w = Workdir::new();
    build(&w);
    let stdout = run_livret(&w, &[]);
    assert!(
        stdout.contains("session 2024 : 2 classes, 3 graphiques"),
        "{stdout}"
    );
    let profil = read_report(&w.out().join("livret/2024/0690001A/BTS2_A/profil.csv"));
    #[rustfmt::skip]
    let expected = [
        ["ligne", "intitule", "moyenne_classe", "effectif"],
        ["1", "Culture générale et expression", "10,83", "3"],
        ["2", "Communication en langue vivante étrangère 1", "11,17", "3"],
        ["3", "Culture économique, juridique et managériale", "11,00", "2"],
        ["4", "Bloc 1 Relation client et négociation vente", "11,83", "3"],
        ["5", "Bloc 2 Relation client à distance et digitalisation", "12,17", "3"],
        ["6", "Bloc 3 Relation client et animation de réseaux", "12,50", "3"],
        ["7", "Communication en langue vivante étrangère 2", "12,56", "2"],
    ];
    assert_eq!(profil, expected.map(|r| r.map(String::from).to_vec()));
}

#[test]
fn rating_block_gives_opinions_class_size_section_results_and_pix() {
    let w = Workdir::new();
    build(&w);
    run_livret(
        &w,
        &[
            "--session",
            "2024",
            "--uai",
            "0690001A",
            "--classe",
            "BTS2 A",
        ],
    );
    let cotation = read_report(&w.out().join("livret/2024/0690001A/BTS2_A/cotation.csv"));
    let section = "0690001A / 32031 / scolaire";
    #[rustfmt::skip]
    let expected = vec![
        vec!["rubrique", "libelle", "effectif", "sur", "pourcentage"],
        vec!["Avis", "Très favorable", "1", "3", "33,3"],
        vec!["Avis", "Favorable", "1", "3", "33,3"],
        vec!["Avis", "Doit faire ses preuves", "0", "3", "0,0"],
        vec!["Avis", "Sans avis", "1", "3", "33,3"],
        vec!["Effectif total de la classe", "élèves du livret", "3", "", ""],
        vec!["Certification PIX", "obtenue", "1", "3", "33,3"],
    ];
    let mut expected: Vec<Vec<String>> = expected
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect())
        .collect();
    // The 3 sessions before 2024: nothing in 2021 and 2022; 2023: 5 reçus of 10 présentés.
    for (annee, recus, presentes, taux) in [
        ("2021", "", "", ""),
        ("2022", "", "", ""),
        ("2023", "5", "10", "50,0"),
    ] {
        expected.push(
            [
                "Résultats de la section",
                &format!("{annee} ({section})"),
                recus,
                presentes,
                taux,
            ]
            .map(String::from)
            .to_vec(),
        );
    }
    assert_eq!(cotation, expected);
}

#[test]
fn missing_semesters_and_classes_without_year_two_are_reported() {
    let w = Workdir::new();
    build(&w);
    let stdout = run_livret(&w, &[]);
    assert!(
        stdout.contains("classe BTS1 X (0690001A) sans aucune moyenne de 2e année"),
        "{stdout}"
    );
    let s = read_report(&w.out().join("livret/2024/signalements.csv"));
    let has = |candidat: &str, annee: &str, ligne: &str, probleme: &str| {
        s.iter()
            .any(|r| r[3] == candidat && r[4] == annee && r[5] == ligne && r[7] == probleme)
    };
    assert!(has("A3", "2", "3", "1er semestre manquant"));
    assert!(has(
        "",
        "2",
        "",
        "aucune moyenne de 2e année pour la classe"
    ));
    assert!(has("A4", "2", "1", "1er et 2e semestres manquants"));
    assert!(has("", "", "", "1 élève(s) sans avis du conseil de classe"));
    // No LV2 is not a missing semester.
    assert!(!s.iter().any(|r| r[3] == "A2"));
    // The class without year-2 data gets its tables and page but no chart.
    let x = w.out().join("livret/2024/0690001A/BTS1_X");
    assert!(x.join("profil.csv").exists() && x.join("classe.html").exists());
    assert!(!x.join("A4.svg").exists());
}

/// (cx, cy) of the filled circles of `colour` in an SVG.
fn circles(svg: &str, colour: &str) -> Vec<(i32, i32)> {
    svg.split("<circle ")
        .skip(1)
        .filter(|c| c.contains(&format!("fill=\"{colour}\"")))
        .map(|c| (attr(c, "cx"), attr(c, "cy")))
        .collect()
}

fn attr(tag: &str, name: &str) -> i32 {
    let start = tag
        .find(&format!(" {name}=\""))
        .map(|i| i + 1)
        .or_else(|| tag.starts_with(&format!("{name}=\"")).then_some(0))
        .unwrap();
    let rest = &tag[start + name.len() + 2..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

/// The grid's horizontal lines (y) and vertical lines (x), from the grey polylines.
fn grid(svg: &str) -> (Vec<i32>, Vec<i32>) {
    let (mut ys, mut xs) = (Vec::new(), Vec::new());
    for p in svg
        .split("<polyline ")
        .skip(1)
        .filter(|p| p.contains("stroke=\"#C8C8C8\""))
    {
        let points = p.split("points=\"").nth(1).unwrap();
        let pts: Vec<(i32, i32)> = points[..points.find('"').unwrap()]
            .split_whitespace()
            .map(|xy| {
                let (x, y) = xy.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        if pts[0].1 == pts[1].1 {
            ys.push(pts[0].1);
        } else {
            xs.push(pts[0].0);
        }
    }
    ys.sort();
    xs.sort();
    (ys, xs)
}

#[test]
fn chart_draws_student_red_class_black_on_the_official_grid_without_a_point_for_missing_lv2() {
    let w = Workdir::new();
    build(&w);
    run_livret(&w, &[]);
    let dir = w.out().join("livret/2024/0690001A/BTS2_A");
    let svg = std::fs::read_to_string(dir.join("A2.svg")).unwrap();
    let (ys, xs) = grid(&svg);
    // y from 0 to 20 with a line every 2: 11 equally spaced lines; x: the 7 livret lines.
    assert_eq!(ys.len(), 11, "{ys:?}");
    assert_eq!(xs.len(), 7, "{xs:?}");
    let (y20, y0) = (ys[0], ys[10]);
    let y_of = |v: f64| f64::from(y0) - f64::from(y0 - y20) * v / 20.0;
    let red = circles(&svg, "#FF0000");
    let black = circles(&svg, "#000000");
    // A2: 8.5 on lines 1 to 6, nothing at line 7 (no LV2).
    assert_eq!(red.len(), 6, "{red:?}");
    for (i, (cx, cy)) in red.iter().enumerate() {
        assert!(
            (cx - xs[i]).abs() <= 1,
            "line {}: x {cx} vs {}",
            i + 1,
            xs[i]
        );
        assert!(
            (f64::from(*cy) - y_of(8.5)).abs() <= 1.0,
            "line {}: y {cy}",
            i + 1
        );
    }
    assert!(red.iter().all(|(cx, _)| (cx - xs[6]).abs() > 1));
    // The class profile has all 7 points, at the hand-computed means.
    let profile = [10.83, 11.17, 11.0, 11.83, 12.17, 12.5, 12.56];
    assert_eq!(black.len(), 7, "{black:?}");
    for (i, (cx, cy)) in black.iter().enumerate() {
        assert!((cx - xs[i]).abs() <= 1);
        assert!(
            (f64::from(*cy) - y_of(profile[i])).abs() <= 1.0,
            "class line {}: y {cy}",
            i + 1
        );
    }
    // Points are joined: one red curve through the 6 points.
    assert_eq!(
        svg.matches("<polyline fill=\"none\" opacity=\"1\" stroke=\"#FF0000\" stroke-width=\"2\"")
            .count(),
        1
    );
    // A3 has no year-2 average on line 3: the red curve breaks there (two pieces), 6 points.
    let a3 = std::fs::read_to_string(dir.join("A3.svg")).unwrap();
    assert_eq!(circles(&a3, "#FF0000").len(), 6);
    assert_eq!(
        a3.matches("stroke=\"#FF0000\" stroke-width=\"2\"").count(),
        2
    );
    // Labels wrapped under their line: "1 - Culture", "générale et", "expression".
    assert!(svg.contains(">\n1 - Culture\n</text>") && svg.contains(">\ngénérale et\n</text>"));
}

#[test]
fn chart_png_has_the_chart_size_and_class_page_gathers_every_chart() {
    let w = Workdir::new();
    build(&w);
    run_livret(&w, &[]);
    let dir = w.out().join("livret/2024/0690001A/BTS2_A");
    let png = std::fs::read(dir.join("A1.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // IHDR: width and height, big-endian, at bytes 16 to 24.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (900, 560));
    assert!(png.len() > 5_000, "{} bytes", png.len());
    let html = std::fs::read_to_string(dir.join("classe.html")).unwrap();
    for c in ["A1", "A2", "A3"] {
        assert!(html.contains(&format!("<img src=\"{c}.svg\"")), "{c}");
    }
    assert!(html.contains("size: A4"));
    assert!(html.contains("Cotation de la classe"));
    assert!(html.contains("année 2, ligne 3 : 1er semestre manquant"));
    // Issue 10: each student's class-council opinion and PIX (A1 Très favorable with PIX, A2
    // Favorable without, A3 no opinion).
    assert!(html.contains("Avis du conseil de classe : Très favorable - certification PIX : oui"));
    assert!(html.contains("Avis du conseil de classe : Favorable - certification PIX : non"));
    assert!(html.contains("Avis du conseil de classe : non renseigné"));
}

#[test]
fn a_filter_that_matches_no_class_is_a_usage_error() {
    let w = Workdir::new();
    build(&w);
    let (db, out) = (w.db(), w.out());
    let run = w.run_ok(
        &[
            "livret",
            "--db",
            db.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--classe",
            "BTS9",
        ],
        2,
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("aucune classe du livret ne correspond à --uai / --classe"),
        "{stderr}"
    );
}

/// Each session has its folder, and a run replaces what an earlier run wrote there: the chart of
/// a student no longer in the class goes, as do the school folders of the layout before session
/// folders; another session's folder and a user's own file stay. With `--classe`, only that
/// class's folder is emptied.
#[test]
fn a_second_run_leaves_no_stale_chart_and_keeps_other_sessions() {
    let w = Workdir::new();
    build(&w);
    run_livret(&w, &[]);
    let out = w.out();
    let class = out.join("livret/2024/0690001A/BTS2_A");
    let other_class = out.join("livret/2024/0690001A/BTS1_X");
    assert!(class.join("A1.svg").exists());
    let planted = [
        class.join("Z9_parti.svg"),
        other_class.join("Z8_parti.svg"),
        out.join("livret/0690001A/BTS2_A/A1.svg"),
        out.join("livret/signalements.csv"),
    ];
    let kept = [
        out.join("livret/2023/0690001A/BTS2_A/A1.svg"),
        out.join("livret/notes_du_jury.txt"),
    ];
    for f in planted.iter().chain(&kept) {
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, "ancien").unwrap();
    }
    run_livret(&w, &["--classe", "BTS2 A"]);
    assert!(!planted[0].exists(), "the class written is emptied first");
    assert!(
        planted[1].exists(),
        "another class is left alone with --classe"
    );
    run_livret(&w, &[]);
    for f in &planted {
        assert!(!f.exists(), "{} should be gone", f.display());
    }
    for f in &kept {
        assert!(f.exists(), "{} should stay", f.display());
    }
    assert!(class.join("A1.svg").exists() && class.join("classe.html").exists());
    assert!(out.join("livret/2024/signalements.csv").exists());
}
