//! The printable explanation pages of the jury (`jury/explications_<session>/<uai>.html`): one
//! section (printed page, A4) per candidate of the school, reached from the minutes and from the
//! candidate's relevé by `#c<candidat>`, with the same lines as `ndrc-stats explain`.
//!
//! Takes explanations read by [`crate::explain::read_explanations`]; gives HTML where every value
//! is escaped; nothing is fetched.

use std::fmt::Write as _;

use super::index::escape;
use crate::explain::{explanation_lines, Explication, Kind};

/// The style of the pages: one candidate per printed page.
const STYLE: &str = "body{font-family:sans-serif;font-size:10pt;margin:1em}\
.explication{break-after:page;max-width:60em}h1{font-size:13pt}h2{font-size:11pt;margin:.8em 0 .2em}\
ul{margin:.1em 0 .3em 1.2em;padding:0}li{margin:.15em 0}.d{color:#333;font-size:9pt;list-style:none}\
@page{size:A4;margin:1cm}";

/// The page of the explanations `mine` of one school, for `session`.
pub fn render_explanations(session: &str, mine: &[&Explication]) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&format!("Explication des résultats, session {session}"))
    );
    for e in mine {
        let _ = writeln!(
            html,
            "<section class=\"explication\" id=\"c{}\">",
            escape(&e.candidat)
        );
        let mut open_list = false;
        for line in explanation_lines(e) {
            let text = escape(&line.text);
            match line.kind {
                Kind::Titre | Kind::Texte | Kind::Section if open_list => {
                    html.push_str("</ul>\n");
                    open_list = false;
                }
                _ => {}
            }
            match line.kind {
                Kind::Titre => {
                    let _ = writeln!(html, "<h1>{text}</h1>");
                }
                Kind::Texte => {
                    let _ = writeln!(html, "<p>{text}</p>");
                }
                Kind::Section => {
                    let _ = writeln!(html, "<h2>{text}</h2>\n<ul>");
                    open_list = true;
                }
                Kind::Item => {
                    let _ = writeln!(html, "<li>{text}</li>");
                }
                Kind::Detail => {
                    let _ = writeln!(html, "<li class=\"d\">{text}</li>");
                }
            }
        }
        if open_list {
            html.push_str("</ul>\n");
        }
        html.push_str("</section>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}
