//! The printable class page of the livret (`livret/<session>/<uai>/<classe>/classe.html`): the class
//! profile, the rating block and every student's chart, laid out for A4 paper so that a browser
//! prints it cleanly (one chart block never split across sheets).
//!
//! Takes a [`ClassPage`] of plain text values; gives an HTML string. Reads no table.

use super::index::escape as esc;

/// One student of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentBlock {
    /// Candidate number (the chart's file name stem).
    pub candidat: String,
    /// Name as printed.
    pub nom: String,
    /// The chart's file name, relative to the page.
    pub svg: String,
    /// Year-2 averages per line, as printed ("" when none).
    pub moyennes: Vec<String>,
    /// What the livret lacks for this student (missing semesters), as sentences.
    pub manques: Vec<String>,
    /// The class council's opinion ("" when none was given).
    pub avis: String,
    /// The PIX certification: `oui`, `non`, or "" when not given.
    pub pix: String,
}

/// Everything the class page shows, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassPage {
    /// Exam session.
    pub session: i32,
    /// School code.
    pub uai: String,
    /// Class name.
    pub classe: String,
    /// Profile rows: line number, title, class mean, students covered.
    pub profil: Vec<[String; 4]>,
    /// Rating rows: rubrique, libelle, effectif, sur, pourcentage.
    pub cotation: Vec<[String; 5]>,
    /// Students, in candidate order.
    pub eleves: Vec<StudentBlock>,
}

const STYLE: &str = "@page { size: A4 portrait; margin: 12mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #000; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 4mm 0; }
h2 { font-size: 12pt; margin: 5mm 0 2mm 0; }
table { border-collapse: collapse; margin-bottom: 3mm; }
th, td { border: 0.3mm solid #444; padding: 1mm 2mm; text-align: left; }
td.n { text-align: right; }
.eleve { break-inside: avoid; page-break-inside: avoid; margin-bottom: 4mm; }
.eleve img { width: 100%; max-width: 186mm; }
.manque { color: #a00; }
@media print { .eleve:nth-of-type(2n) { break-after: page; page-break-after: always; } }
";

/// Renders the class page.
pub fn render_class_page(page: &ClassPage) -> String {
    let mut h = String::new();
    h += "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += &format!(
        "<title>Livret scolaire - {} - {} - session {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(&page.uai),
        esc(&page.classe),
        page.session
    );
    h += &format!(
        "<h1>BTS NDRC - livret scolaire, session {} - établissement {}, classe {}</h1>\n",
        page.session,
        esc(&page.uai),
        esc(&page.classe)
    );
    h += "<h2>Profil de la classe (moyennes de 2e année)</h2>\n<table>\n\
          <tr><th>Ligne</th><th>Enseignement</th><th>Moyenne de la classe</th><th>Élèves</th></tr>\n";
    for [ligne, intitule, moyenne, effectif] in &page.profil {
        h += &format!(
            "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(ligne),
            esc(intitule),
            esc(moyenne),
            esc(effectif)
        );
    }
    h += "</table>\n<h2>Cotation de la classe</h2>\n<table>\n\
          <tr><th>Rubrique</th><th></th><th>Effectif</th><th>Sur</th><th>%</th></tr>\n";
    for [rubrique, libelle, effectif, sur, pourcentage] in &page.cotation {
        h += &format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(rubrique),
            esc(libelle),
            esc(effectif),
            esc(sur),
            esc(pourcentage)
        );
    }
    h += "</table>\n<h2>Graphiques des élèves (2e année : élève en rouge, classe en noir)</h2>\n";
    for e in &page.eleves {
        h += &format!(
            "<div class=\"eleve\">\n<p><strong>{}</strong> ({}) - moyennes : {}</p>\n",
            esc(&e.nom),
            esc(&e.candidat),
            esc(&e
                .moyennes
                .iter()
                .enumerate()
                .map(|(i, m)| format!("{} : {}", i + 1, if m.is_empty() { "-" } else { m }))
                .collect::<Vec<_>>()
                .join(", "))
        );
        h += &format!(
            "<p>Avis du conseil de classe : {} - certification PIX : {}</p>\n",
            esc(if e.avis.is_empty() {
                "non renseigné"
            } else {
                &e.avis
            }),
            esc(if e.pix.is_empty() {
                "non renseignée"
            } else {
                &e.pix
            })
        );
        for m in &e.manques {
            h += &format!("<p class=\"manque\">{}</p>\n", esc(m));
        }
        h += &format!(
            "<img src=\"{}\" alt=\"graphique du livret de {}\">\n</div>\n",
            esc(&e.svg),
            esc(&e.nom)
        );
    }
    h += "</body>\n</html>\n";
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_the_page_is_a4() {
        let page = ClassPage {
            session: 2024,
            uai: "0350001A".into(),
            classe: "BTS <2>".into(),
            profil: vec![],
            cotation: vec![],
            eleves: vec![],
        };
        let html = render_class_page(&page);
        assert!(html.contains("classe BTS &lt;2&gt;"));
        assert!(html.contains("size: A4"));
    }
}
