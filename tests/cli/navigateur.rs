//! The pages people open, opened in headless Chromium (issue 12, item 5): the front page, a class
//! page of the livret and the jury's minutes load with no JavaScript error, every image displays,
//! every link leads to a file and every anchor to its element; a screenshot of each is taken.
//!
//! `.ci/run` installs Debian's chromium when it is missing; elsewhere the test says it is skipped
//! when no browser is found (set `CHROMIUM` to a browser's path to choose one).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{repo, Workdir};

/// The browser: `$CHROMIUM`, else the first of chromium, chromium-browser, google-chrome found
/// in the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// A `file://` URL of an absolute path, percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/._-".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Runs the browser headless with `args`; returns its stderr (the console is logged there).
fn headless(browser: &Path, args: &[String]) -> String {
    let out = Command::new("timeout")
        .arg("180")
        .arg(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(args)
        .output()
        .expect("the browser runs");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_front_page_a_class_page_and_the_minutes_open_in_chromium_without_error() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium manquant : .ci/run l'installe (apt-get install chromium)"
        );
        eprintln!("test sauté : aucun navigateur (apt-get install chromium, ou CHROMIUM=…)");
        return;
    };
    let w = Workdir::new();
    let samples = repo().join("data").join("samples");
    w.run_pipeline(&samples);
    let out = w.out();
    let first_dir = |d: PathBuf| -> PathBuf {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs.remove(0)
    };
    let class = first_dir(first_dir(out.join("livret/2024"))).join("classe.html");
    let checker = repo().join("tests/fixtures/navigateur/verification.html");
    for (page, min_images, min_links) in [
        (out.join("index.html"), 3, 50),
        (class, 10, 0),
        (out.join("jury/pv_2024.html"), 0, 500),
    ] {
        let target = file_url(&page);
        let url = format!("{}#{}", file_url(&checker), target.replace('%', "%25"));
        let log = headless(
            &browser,
            &[
                "--allow-file-access-from-files".into(),
                "--virtual-time-budget=60000".into(),
                "--dump-dom".into(),
                url,
            ],
        );
        let name = page.display().to_string();
        assert!(!log.contains("Uncaught"), "{name}: JavaScript error\n{log}");
        let report = log
            .lines()
            .find_map(|l| l.split("NDRC-VERIFICATION ").nth(1))
            .unwrap_or_else(|| panic!("{name}: the page did not load\n{log}"));
        assert!(report.contains("\"problems\":[]"), "{name}: {report}");
        let count = |key: &str| -> usize {
            let start = report.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
            report[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        };
        assert!(count("images") >= min_images, "{name}: {report}");
        assert!(count("links") >= min_links, "{name}: {report}");

        let shot = w.path().join(format!(
            "{}.png",
            page.file_stem().unwrap().to_string_lossy()
        ));
        headless(
            &browser,
            &[
                "--window-size=1280,1600".into(),
                format!("--screenshot={}", shot.display()),
                target,
            ],
        );
        let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("{name}: screenshot: {e}"));
        assert_eq!(&png[1..4], b"PNG", "{name}");
        assert!(png.len() > 20_000, "{name}: {} bytes", png.len());
    }
}
