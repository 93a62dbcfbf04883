//! The front page `index.html` that `run` writes (issue 12, item 2): per session the decision
//! counts and the success rate of the CSV reports, the flagged examiners, the charts inline, a
//! working link to every file, the run's provenance with each input file's SHA-256, every value
//! escaped, nothing fetched from the network.

use sha2::{Digest, Sha256};

use crate::common::{read_report, repo, Workdir};

#[test]
fn the_front_page_shows_the_figures_of_the_reports_and_links_every_file() {
    let w = Workdir::new();
    // The samples, one of them under a name with markup in it.
    let inputs = w.path().join("exports");
    std::fs::create_dir_all(&inputs).unwrap();
    for entry in std::fs::read_dir(repo().join("data/samples")).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let name = if name == "oraux_2024.csv" {
            "oraux_<b>&2024.csv".to_string()
        } else {
            name
        };
        std::fs::copy(&p, inputs.join(name)).unwrap();
    }
    w.run_pipeline(&inputs);
    let out = w.out();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();

    // Decision counts per session, as resultats.csv has them (ADMIS is the first column).
    let resultats = read_report(&out.join("resultats.csv"));
    let col = resultats[0]
        .iter()
        .position(|h| h == "decision_finale")
        .unwrap();
    for session in ["2022", "2023", "2024"] {
        let admis = resultats[1..]
            .iter()
            .filter(|r| r[0] == session && r[col] == "ADMIS")
            .count();
        assert!(admis > 300, "{session}: {admis}");
        let row = format!("<tr><td>{session}</td><td class=\"n\">{admis}</td>");
        assert!(html.contains(&row), "{row}");
    }
    // The candidates the first group sent to the control exams.
    let premier = resultats[0]
        .iter()
        .position(|h| h == "decision_premier_groupe")
        .unwrap();
    let controle: Vec<String> = ["2022", "2023", "2024"]
        .iter()
        .map(|s| {
            let n = resultats[1..]
                .iter()
                .filter(|r| r[0] == *s && r[premier] == "CONTROLE")
                .count();
            format!("{s} : {n}")
        })
        .filter(|t| !t.ends_with(" : 0"))
        .collect();
    assert!(!controle.is_empty());
    assert!(html.contains(&controle.join(" ; ")), "{controle:?}");
    // The overall rate of each session with its interval, as reussite.csv has it.
    let reussite = read_report(&out.join("reussite.csv"));
    for r in reussite.iter().filter(|r| r[1] == "ensemble") {
        let cell = format!(
            "<td class=\"n\">{} %</td><td class=\"n\">[{} ; {}]</td>",
            r[5], r[6], r[7]
        );
        assert!(html.contains(&cell), "{cell}");
    }
    // Every flagged examiner, with the gap of the harmonisation report.
    let examinateurs = read_report(&out.join("harmonisation/examinateurs.csv"));
    let h = &examinateurs[0];
    let (signal, examinateur) = (
        h.iter().position(|c| c == "signal").unwrap(),
        h.iter().position(|c| c == "examinateur").unwrap(),
    );
    let flagged: Vec<&Vec<String>> = examinateurs[1..]
        .iter()
        .filter(|r| r[signal] == "OUI")
        .collect();
    assert!(!flagged.is_empty());
    assert!(html.contains(&format!("Examinateurs signalés : {}", flagged.len())));
    for r in &flagged {
        assert!(
            html.contains(&format!("<td>{}</td>", r[examinateur])),
            "{}",
            r[examinateur]
        );
    }
    // The charts are inside the page; nothing comes from the network, nothing runs.
    assert!(html.matches("src=\"data:image/svg+xml").count() >= 3);
    // (an SVG names its XML namespace by a URL, which is never fetched)
    for fetch in [
        "<script",
        "src=\"http",
        "href=\"http",
        "<link",
        "@import",
        "url(",
    ] {
        assert!(!html.contains(fetch), "{fetch}");
    }
    // Every link leads to a file of the folder.
    let mut links = 0;
    for part in html.split("href=\"").skip(1) {
        let target = &part[..part.find('"').unwrap()];
        let target = target
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert!(out.join(&target).is_file(), "broken link {target}");
        links += 1;
    }
    assert!(links > 50, "{links}");
    assert!(html.contains("href=\"ndrc-stats.xlsx\""));
    // Provenance: each input file with its SHA-256, the regulation file with its own; markup in
    // a file name is shown, never interpreted.
    let sample = std::fs::read(repo().join("data/samples/notes_2024.xlsx")).unwrap();
    assert!(html.contains(&format!("{:x}", Sha256::digest(&sample))));
    let regulation = std::fs::read(repo().join("data/regulation/ndrc.toml")).unwrap();
    assert!(html.contains(&format!("{:x}", Sha256::digest(&regulation))));
    assert!(
        html.contains("oraux_&lt;b&gt;&amp;2024.csv"),
        "escaped file name"
    );
    assert!(!html.contains("<b>&"));
}
