//! The jury's printable documents (issue 12, item 4): `jury/pv_<session>.html` lists every
//! candidate of `resultats.csv` with their unit grades, average, computed, jury and final
//! decisions, and a signature block; `jury/releves_<session>/<uai>.html` has one relevé per
//! candidate of the school, each its own printed page, reached from the minutes. `results` writes
//! them with `--jury` (and `run` always).

use crate::common::{read_report, repo, Workdir};

#[test]
fn the_minutes_and_the_releves_hold_every_candidate_of_resultats() {
    let w = Workdir::new();
    w.ingest(&[&repo().join("data/samples")], 0);
    let out = w.out();
    let (db, o) = (w.db(), out.to_str().unwrap().to_string());
    w.run_ok(&["results", "--db", db.to_str().unwrap(), "--out", &o], 0);
    assert!(
        !out.join("jury/pv_2024.html").exists(),
        "without --jury, no minutes"
    );
    w.run_ok(
        &[
            "results",
            "--jury",
            "--db",
            db.to_str().unwrap(),
            "--out",
            &o,
        ],
        0,
    );
    let resultats = read_report(&out.join("resultats.csv"));
    let h = &resultats[0];
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    for session in ["2022", "2023", "2024"] {
        let pv = std::fs::read_to_string(out.join(format!("jury/pv_{session}.html"))).unwrap();
        let folder = out.join(format!("jury/releves_{session}"));
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let releves: String = files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect();
        let mine: Vec<&Vec<String>> = resultats[1..].iter().filter(|r| r[0] == session).collect();
        assert_eq!(
            pv.matches("<tr class=\"c\">").count(),
            mine.len(),
            "{session}"
        );
        assert_eq!(
            releves.matches("<section class=\"releve\"").count(),
            mine.len(),
            "{session}"
        );
        for r in &mine {
            let candidat = &r[col("candidat")];
            // The row of the minutes: number (linked to the relevé), names, the unit grades
            // U1 to UF2, the average and decisions, as resultats.csv has them.
            // Its relevé is in its school's file.
            let school = &r[col("uai")];
            let link = format!("<a href=\"releves_{session}/{school}.html#c{candidat}\">");
            let start = pv
                .find(&link)
                .unwrap_or_else(|| panic!("{candidat} in pv_{session}"));
            let own = std::fs::read_to_string(folder.join(format!("{school}.html"))).unwrap();
            assert!(
                own.contains(&format!("id=\"c{candidat}\"")),
                "{candidat} in {school}.html"
            );
            let row = &pv[start..start + pv[start..].find("</tr>").unwrap()];
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|c| {
                    let c = &c[c.find('>').unwrap() + 1..];
                    c[..c.find("</td>").unwrap_or(c.len())]
                        .replace("<b>", "")
                        .replace("</b>", "")
                })
                .collect();
            let units: Vec<&String> = ["U1", "U2", "U3", "U4", "U5", "U6", "UF1", "UF2"]
                .iter()
                .map(|u| &r[col(u)])
                .collect();
            for (k, u) in units.iter().enumerate() {
                assert_eq!(&&cells[4 + k], u, "{candidat} unit {k}");
            }
            assert_eq!(cells[12], r[col("moyenne")], "{candidat} moyenne");
            assert_eq!(cells[13], r[col("decision")], "{candidat}");
            assert_eq!(cells[14], r[col("points_jury")], "{candidat}");
            assert_eq!(cells[15], r[col("decision_jury")], "{candidat}");
            assert_eq!(cells[16], r[col("decision_finale")], "{candidat}");
            assert!(
                releves.contains(&format!("id=\"c{candidat}\"")),
                "relevé of {candidat}"
            );
        }
        assert!(pv.contains("Le président du jury"));
        assert!(pv.contains(&format!("{} candidats délibérés", mine.len())));
        let admis = mine
            .iter()
            .filter(|r| r[col("decision_finale")] == "ADMIS")
            .count();
        assert!(pv.contains(&format!("ADMIS : {admis}")), "{session}");
        assert!(releves.contains("break-after:page"));
    }
}
