//! What to tell the user about columns that were not read: a loud warning for each ignored column
//! whose content looks meaningful (grades, codes, UAI codes, opinions, dates), naming its header,
//! three sample values and the profile line that would make it read; one short line for the rest.

use super::field::Field;
use super::recognize::{Ignore, IgnoredColumn};

/// How many plain ignored headers are named before "… et N autres".
pub const MAX_NAMED: usize = 10;

/// The field a column that holds `meaning` would most likely be.
fn suggested_field(meaning: &str) -> Option<Field> {
    match meaning {
        "codes UAI" => Some(Field::Uai),
        "avis" => Some(Field::Avis),
        "codes de statut" => Some(Field::Statut),
        "dates" => Some(Field::DateEpreuve),
        _ => None,
    }
}

/// The profile line that would make the column read.
pub fn profile_line(col: &IgnoredColumn) -> String {
    let header = col.header.replace('"', "\\\"");
    let field = match &col.why {
        Ignore::ContenuIncompatible(f) => Some(*f),
        Ignore::Ambigu(fs) => fs.first().copied(),
        _ => None,
    };
    match (field, col.stats.meaning()) {
        (_, Some("notes")) => format!("[epreuves] CODE = [\"{header}\"] (CODE : E1 … EF2)"),
        (_, Some(m)) => match suggested_field(m) {
            Some(f) => format!("[champs] {f} = [\"{header}\"]"),
            None => format!("[champs] CHAMP = [\"{header}\"]"),
        },
        (Some(f), None) => format!("[champs] {f} = [\"{header}\"]"),
        (None, None) => format!("ignorer = [\"{header}\"]"),
    }
}

/// Why the column was not read, in French.
fn why(col: &IgnoredColumn) -> String {
    match &col.why {
        Ignore::Inconnu => "intitulé inconnu".to_string(),
        Ignore::Doublon(f) => format!("une colonne précédente donne déjà le champ {f}"),
        Ignore::ContenuIncompatible(f) => {
            format!("ses mots désignent le champ {f} mais son contenu ne lui correspond pas")
        }
        Ignore::Ambigu(fs) => format!(
            "intitulé ambigu ({}) que le contenu ne départage pas",
            fs.iter().map(|f| f.name()).collect::<Vec<_>>().join(" ou ")
        ),
        Ignore::Profil => "listée dans « ignorer » du profil".to_string(),
    }
}

/// The warning for an ignored column whose content looks meaningful; `None` for the others.
pub fn warning(sheet: &str, col: &IgnoredColumn) -> Option<String> {
    let meaning = col.stats.meaning()?;
    if col.why == Ignore::Profil {
        return None;
    }
    let place = if sheet == "(csv)" {
        String::new()
    } else {
        format!(" (feuille « {sheet} »)")
    };
    Some(format!(
        "attention : colonne « {} »{place} ignorée ({}) alors qu'elle contient des {meaning} \
         (ex. : {}) ; pour la lire, ajoutez à data/profiles/ndrc.toml : {}",
        col.header,
        why(col),
        col.stats.samples.join(" ; "),
        profile_line(col)
    ))
}

/// One line naming the other ignored non-empty headers, cut after [`MAX_NAMED`].
pub fn summary_line<'a>(
    cols: impl Iterator<Item = (&'a str, &'a IgnoredColumn)>,
) -> Option<String> {
    let plain: Vec<String> = cols
        .filter(|(_, c)| c.stats.meaning().is_none() && c.why != Ignore::Profil)
        .map(|(sheet, c)| {
            let what = match &c.why {
                Ignore::Doublon(f) => format!("{} (doublon de {f})", c.header),
                _ => c.header.clone(),
            };
            if sheet == "(csv)" {
                what
            } else {
                format!("{sheet} : {what}")
            }
        })
        .collect();
    if plain.is_empty() {
        return None;
    }
    let named = plain
        .iter()
        .take(MAX_NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ; ");
    let rest = plain.len().saturating_sub(MAX_NAMED);
    Some(if rest > 0 {
        format!(
            "colonnes ignorées : {named} … et {} autres",
            group_thousands(u64::try_from(rest).unwrap_or(u64::MAX))
        )
    } else {
        format!("colonnes ignorées : {named}")
    })
}

/// `9990` → `9 990`, as French text writes counts.
pub(crate) fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::content::ContentStats;

    fn col(header: &str, why: Ignore, stats: ContentStats) -> IgnoredColumn {
        IgnoredColumn {
            index: 0,
            header: header.into(),
            why,
            stats,
        }
    }

    #[test]
    fn a_meaningful_ignored_column_gets_a_warning_with_samples_and_the_profile_line() {
        let stats = ContentStats {
            non_empty: 3,
            statuses: 3,
            samples: vec!["ABJ".into(), "BEN".into(), "DISP".into()],
            ..ContentStats::default()
        };
        let w = warning("(csv)", &col("Motif d'absence", Ignore::Inconnu, stats)).expect("warning");
        assert_eq!(
            w,
            "attention : colonne « Motif d'absence » ignorée (intitulé inconnu) alors qu'elle \
             contient des codes de statut (ex. : ABJ ; BEN ; DISP) ; pour la lire, ajoutez à \
             data/profiles/ndrc.toml : [champs] statut = [\"Motif d'absence\"]"
        );
    }

    #[test]
    fn a_long_list_of_plain_ignored_columns_is_cut_short() {
        let stats = ContentStats {
            non_empty: 1,
            samples: vec!["x".into()],
            ..ContentStats::default()
        };
        let cols: Vec<IgnoredColumn> = (0..10_000)
            .map(|i| col(&format!("C{i}"), Ignore::Inconnu, stats.clone()))
            .collect();
        let line = summary_line(cols.iter().map(|c| ("(csv)", c))).expect("line");
        assert!(line.starts_with("colonnes ignorées : C0 ; C1 ;"), "{line}");
        assert!(line.ends_with("C9 … et 9 990 autres"), "{line}");
    }
}
