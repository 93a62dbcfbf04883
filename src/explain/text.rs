//! The French explanation of one candidate's result as lines (a title, sections, items and
//! their details), from an [`Explication`]: `explain` prints them as text, the jury's
//! explanation pages as HTML, so that both say exactly the same.
//!
//! Numbers are the tables' exact values with the French decimal comma; nothing is computed here.

use super::document::{AutreValeur, Epreuve, Explication, Source};
use crate::report::texts::comma;

/// The kind of a line, which sets its indent in text and its element in HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The title of the explanation.
    Titre,
    /// A plain sentence under the title.
    Texte,
    /// A section heading.
    Section,
    /// One item of a section.
    Item,
    /// A detail of the item above (source, rule, other values).
    Detail,
}

/// One line of an explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Its kind.
    pub kind: Kind,
    /// Its French text.
    pub text: String,
}

/// Collects lines.
#[derive(Default)]
struct Lines(Vec<Line>);

impl Lines {
    fn push(&mut self, kind: Kind, text: impl Into<String>) {
        self.0.push(Line {
            kind,
            text: text.into(),
        });
    }
}

/// The explanation of `e` as text: one line each, sections unindented, items by 2 spaces,
/// details by 6.
pub fn render_text(e: &Explication) -> String {
    let mut out = String::new();
    for line in explanation_lines(e) {
        let indent = match line.kind {
            Kind::Titre | Kind::Texte => "",
            Kind::Section => "\n",
            Kind::Item => "  ",
            Kind::Detail => "      ",
        };
        out.push_str(indent);
        out.push_str(&line.text);
        if line.kind == Kind::Section {
            out.push(':');
        }
        out.push('\n');
    }
    out
}

/// The explanation of `e` as lines, in the order of the computation.
pub fn explanation_lines(e: &Explication) -> Vec<Line> {
    let mut l = Lines::default();
    l.push(
        Kind::Titre,
        format!(
            "Explication du résultat du candidat {}, session {}",
            e.candidat, e.session
        ),
    );
    let id = &e.identite;
    l.push(
        Kind::Texte,
        format!(
            "{} {} ; établissement {} ; classe {} ; voie {}",
            or_dash(&id.nom),
            or_dash(&id.prenom),
            or_dash(&id.uai),
            or_dash(&id.classe),
            or_dash(&id.voie)
        ),
    );
    l.push(
        Kind::Texte,
        "Règles : data/regulation/ndrc.toml (clés entre parenthèses) ; calcul : queries/10 à 40, \
         les mêmes tables que resultats.csv. Toute autre valeur lue pour la même note est dite sous \
         elle, avec sa source : confirmation (même valeur) ou conflit (autre valeur, la valeur \
         enregistrée est gardée).",
    );
    l.push(Kind::Section, "Épreuves (valeur lue, source, règle)");
    for x in &e.epreuves {
        exam_lines(&mut l, x);
    }
    units(&mut l, e);
    average(&mut l, e);
    decision(&mut l, e);
    blocks_and_livret(&mut l, e);
    l.0
}

/// An exam: its value, source, rule and other values.
fn exam_lines(l: &mut Lines, x: &Epreuve) {
    let value = match (&x.statut, &x.note) {
        (Some(s), Some(n)) => format!("{s} {}", comma(n)),
        (Some(s), None) => s.clone(),
        (None, Some(n)) => comma(n),
        (None, None) => "aucune note".into(),
    };
    let origin = x
        .session_origine
        .as_ref()
        .map_or(String::new(), |o| format!(" (session d'origine {o})"));
    let coefficient = x
        .coefficient
        .as_ref()
        .map_or(String::new(), |c| format!(", coefficient {}", comma(c)));
    l.push(
        Kind::Item,
        format!(
            "{} {} ({}{coefficient}) : {value}{origin}",
            x.epreuve,
            x.intitule,
            x.unite.as_deref().unwrap_or("-")
        ),
    );
    l.push(
        Kind::Detail,
        match &x.source {
            Some(s) => format!("source : {}", source_text(s)),
            None => "source : aucune ligne lue pour cette épreuve".into(),
        },
    );
    l.push(Kind::Detail, format!("règle : {}", x.regle));
    others(l, &x.autres_valeurs);
}

/// The other values read for a key.
fn others(l: &mut Lines, values: &[AutreValeur]) {
    for o in values {
        l.push(
            Kind::Detail,
            format!(
                "autre valeur lue, {} : {} ({}) : {}",
                if o.etat == "confirmation" {
                    "qui la confirme"
                } else {
                    "en conflit"
                },
                o.valeur,
                source_text(&o.source),
                o.motif
            ),
        );
    }
}

/// The units.
fn units(l: &mut Lines, e: &Explication) {
    l.push(Kind::Section, "Unités");
    for u in &e.unites {
        let grade = match (&u.note, &u.note_apres_controle) {
            (Some(n), Some(c)) if c != n => {
                format!("{} (après épreuve de contrôle : {})", comma(n), comma(c))
            }
            (Some(n), _) => comma(n),
            (None, _) => u.etat.clone(),
        };
        l.push(Kind::Item, format!("{} {} : {grade}", u.unite, u.intitule));
        if let Some(f) = &u.formule {
            l.push(Kind::Detail, format!("calcul : {f}"));
        }
        if let Some(r) = &u.regle {
            l.push(Kind::Detail, format!("règle : {r}"));
        }
    }
}

/// Points, coefficients and averages.
fn average(l: &mut Lines, e: &Explication) {
    let c = &e.calcul;
    l.push(Kind::Section, "Moyenne");
    let Some(points) = &c.points_premier_groupe else {
        l.push(
            Kind::Item,
            "pas de moyenne : une unité obligatoire n'a ni note ni dispense (voir la décision)",
        );
        return;
    };
    l.push(
        Kind::Item,
        format!(
            "points : {} (dont {} point(s) de bonus des unités facultatives) ; \
             coefficients des unités obligatoires non dispensées : {}",
            comma(points),
            comma(&c.bonus),
            comma(&c.coefficients)
        ),
    );
    if let Some(m) = &c.moyenne_exacte {
        let more = if c.moyenne_exacte_finie == Some(true) {
            ""
        } else {
            "…"
        };
        l.push(
            Kind::Item,
            format!(
                "moyenne exacte : {} / {} = {}{more}",
                comma(points),
                comma(&c.coefficients),
                comma(m)
            ),
        );
    }
    l.push(
        Kind::Item,
        format!(
            "moyenne affichée, tronquée à 2 décimales (jamais arrondie) : {}",
            c.moyenne_premier_groupe
                .as_deref()
                .map_or("-".into(), comma)
        ),
    );
    l.push(
        Kind::Item,
        format!(
            "unités professionnelles : {} / {} = {}",
            comma(&c.points_professionnels),
            comma(&c.coefficients_professionnels),
            c.moyenne_professionnelle
                .as_deref()
                .map_or("-".into(), comma)
        ),
    );
}

/// The decisions: first group, control exams, jury, final.
fn decision(l: &mut Lines, e: &Explication) {
    let d = &e.decision;
    l.push(Kind::Section, "Décision");
    l.push(
        Kind::Item,
        format!(
            "décision du premier groupe : {}",
            d.premier_groupe.as_deref().unwrap_or(&d.calculee)
        ),
    );
    if let Some(r) = &d.regle {
        l.push(Kind::Detail, format!("règle : {r}"));
    }
    if let Some(m) = &d.manque {
        l.push(Kind::Detail, format!("manque : {m}"));
    }
    if !e.epreuves_controle.is_empty() || d.regle_controle.is_some() {
        l.push(Kind::Item, "épreuves de contrôle");
        for x in &e.epreuves_controle {
            let replaced = e.unites.iter().find(|u| Some(&u.unite) == x.unite.as_ref());
            let before = replaced
                .and_then(|u| u.note.as_deref())
                .map_or("-".into(), comma);
            l.push(
                Kind::Detail,
                format!(
                    "{} : {} pour l'unité {} (note du premier groupe {before}) ; source : {}",
                    x.epreuve,
                    x.note.as_deref().map_or("-".into(), comma),
                    x.unite.as_deref().unwrap_or("-"),
                    x.source.as_ref().map_or("-".into(), source_text)
                ),
            );
        }
        if let Some(r) = &d.regle_controle {
            l.push(Kind::Detail, format!("règle : {r}"));
        }
    }
    l.push(
        Kind::Item,
        format!(
            "décision calculée : {} ; moyenne retenue : {}",
            d.calculee,
            e.calcul.moyenne.as_deref().map_or("-".into(), comma)
        ),
    );
    if let Some(j) = &e.jury {
        let mut what = Vec::new();
        if let Some(p) = &j.points {
            what.push(format!("{} point(s)", comma(p)));
        }
        if let Some(s) = &j.decision_saisie {
            what.push(format!("décision {s}"));
        }
        l.push(
            Kind::Item,
            format!(
                "jury : {}{} ; décision du jury : {}",
                what.join(", "),
                j.motif
                    .as_ref()
                    .map_or(String::new(), |m| format!(" (motif : {m})")),
                j.decision.as_deref().unwrap_or("-")
            ),
        );
        if let Some(s) = &j.source {
            l.push(Kind::Detail, format!("source : {}", source_text(s)));
        }
        if let Some(r) = &j.regle {
            l.push(Kind::Detail, format!("règle : {r}"));
        }
        others(l, &j.autres_valeurs);
    }
    l.push(Kind::Item, format!("décision finale : {}", d.finale));
}

/// The blocks kept and the livret year 2.
fn blocks_and_livret(l: &mut Lines, e: &Explication) {
    l.push(Kind::Section, "Blocs de compétences acquis");
    if e.blocs_acquis.is_empty() {
        l.push(
            Kind::Item,
            if e.decision.finale == "ADMIS" {
                "admis : le diplôme, pas d'attestation de bloc"
            } else {
                "aucun"
            },
        );
    }
    for b in &e.blocs_acquis {
        l.push(
            Kind::Item,
            format!("{} {} : {}", b.unite, b.bloc, comma(&b.note)),
        );
    }
    if let Some(r) = &e.decision.regle_blocs {
        l.push(Kind::Detail, format!("règle : {r}"));
    }
    l.push(
        Kind::Section,
        "Livret scolaire, moyennes de 2e année vues par le jury",
    );
    if e.livret.lignes.is_empty() {
        l.push(Kind::Item, "aucun livret chargé pour ce candidat");
        return;
    }
    for x in &e.livret.lignes {
        l.push(
            Kind::Item,
            format!(
                "{} {} : {}",
                x.ligne,
                x.intitule,
                match (&x.moyenne, &x.manque) {
                    (Some(m), _) => comma(m),
                    (None, Some(m)) => format!("pas de moyenne ({m})"),
                    (None, None) => "-".into(),
                }
            ),
        );
    }
    l.push(
        Kind::Item,
        format!(
            "avis du conseil de classe : {} ; certification PIX : {}",
            or_dash(&e.livret.avis),
            or_dash(&e.livret.pix)
        ),
    );
}

/// A source in French: `notes_2024.xlsx, feuille « Notes », ligne 413, colonne « E5B »`.
pub fn source_text(s: &Source) -> String {
    let mut t = s.fichier.clone();
    if let Some(f) = &s.feuille {
        t.push_str(&format!(", feuille « {f} »"));
    }
    if let Some(n) = s.ligne {
        t.push_str(&format!(", ligne {n}"));
    }
    if let Some(c) = &s.colonne {
        t.push_str(&format!(", colonne « {c} »"));
    }
    t
}

/// The text, or `-`.
fn or_dash(text: &Option<String>) -> &str {
    text.as_deref().unwrap_or("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_source_reads_like_the_rejets_location() {
        let s = Source {
            fichier: "notes_2024.xlsx".into(),
            feuille: Some("Notes".into()),
            ligne: Some(413),
            colonne: Some("E5B".into()),
        };
        assert_eq!(
            source_text(&s),
            "notes_2024.xlsx, feuille « Notes », ligne 413, colonne « E5B »"
        );
    }
}
