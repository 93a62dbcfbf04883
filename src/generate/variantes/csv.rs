//! Writes a variant [`Tableau`] as CSV in a [`Dialecte`]: Windows-1252, UTF-8 with BOM or
//! UTF-16LE with BOM; `;` or `,` between fields; `.` or `,` as the decimal mark; CRLF or LF.
//!
//! A field is quoted when it holds the separator, a quote or a line break (so `12,5` is quoted
//! in a comma-separated file with decimal commas). Title rows are one field each; a group row
//! puts each label in the first column it spans; one blank line separates the data from the
//! footer. It never reads anything.

use super::super::notes_wide::Cellule;
use super::tableau::{Dialecte, Encodage, Tableau};
use crate::error::{Error, Result};

/// A number with the dialect's decimal mark: the shortest text that reads back as the value.
pub(crate) fn format_number(x: f64, decimale: char) -> String {
    format!("{x}").replace('.', &decimale.to_string())
}

fn quote(field: &str, d: Dialecte) -> String {
    if field.contains([d.separateur, '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

fn cell_text(c: &Cellule, d: Dialecte) -> String {
    match c {
        Cellule::Vide => String::new(),
        Cellule::Texte(t) => quote(t, d),
        Cellule::Nombre(x) => quote(&format_number(*x, d.decimale), d),
    }
}

fn join_cells(cells: &[Cellule], d: Dialecte) -> String {
    let champs: Vec<String> = cells.iter().map(|c| cell_text(c, d)).collect();
    champs.join(&d.separateur.to_string())
}

/// The lines of the table, without line ends.
fn lines(t: &Tableau, d: Dialecte) -> Vec<String> {
    let sep = d.separateur.to_string();
    let mut out: Vec<String> = t.titres.iter().map(|s| quote(s, d)).collect();
    if let Some(groupes) = &t.groupes {
        let mut champs = Vec::new();
        for (label, span) in groupes {
            champs.push(quote(label, d));
            champs.extend(std::iter::repeat_n(String::new(), span.saturating_sub(1)));
        }
        out.push(champs.join(&sep));
    }
    let entete: Vec<String> = t.entete.iter().map(|s| quote(s, d)).collect();
    out.push(entete.join(&sep));
    out.extend(t.lignes.iter().map(|l| join_cells(l, d)));
    if !t.pied.is_empty() {
        out.push(String::new());
        out.extend(t.pied.iter().map(|l| join_cells(l, d)));
    }
    out
}

/// The bytes of the CSV file of `t`.
///
/// # Errors
///
/// [`Error::Internal`] if a character has no Windows-1252 code in a cp1252 dialect.
pub(crate) fn csv_bytes(t: &Tableau, d: Dialecte) -> Result<Vec<u8>> {
    let fin = if d.crlf { "\r\n" } else { "\n" };
    let mut text = lines(t, d).join(fin);
    text.push_str(fin);
    match d.encodage {
        Encodage::Cp1252 => {
            let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
            if lossy {
                return Err(Error::Internal(
                    "variante : un caractère n'existe pas en Windows-1252".into(),
                ));
            }
            Ok(bytes.into_owned())
        }
        Encodage::Utf8Bom => Ok(format!("\u{feff}{text}").into_bytes()),
        Encodage::Utf16LeBom => Ok(std::iter::once('\u{feff}')
            .chain(text.chars())
            .collect::<String>()
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Tableau {
        Tableau {
            titres: vec!["Session 2024".into()],
            groupes: Some(vec![("Identité".into(), 2), ("Notes /20".into(), 1)]),
            entete: vec!["N°".into(), "Nom".into(), "Note".into()],
            lignes: vec![vec![
                Cellule::Texte("0240000001".into()),
                Cellule::Texte("L'ÉCUYER, \"Jr\"".into()),
                Cellule::Nombre(12.5),
            ]],
            pied: vec![vec![Cellule::Texte("Le chef de centre".into())]],
            ..Tableau::default()
        }
    }

    #[test]
    fn comma_separated_decimal_commas_are_quoted() {
        let d = Dialecte {
            encodage: Encodage::Utf8Bom,
            separateur: ',',
            decimale: ',',
            crlf: false,
        };
        let text = String::from_utf8(csv_bytes(&table(), d).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "\u{feff}Session 2024\nIdentité,,Notes /20\nN°,Nom,Note\n\
             0240000001,\"L'ÉCUYER, \"\"Jr\"\"\",\"12,5\"\n\nLe chef de centre\n"
        );
    }

    #[test]
    fn utf16_starts_with_a_little_endian_bom_and_cp1252_is_one_byte_per_char() {
        let mut d = Dialecte {
            encodage: Encodage::Utf16LeBom,
            separateur: ';',
            decimale: '.',
            crlf: true,
        };
        let bytes = csv_bytes(&table(), d).expect("csv");
        assert_eq!(&bytes[..4], &[0xFF, 0xFE, b'S', 0]);
        d.encodage = Encodage::Cp1252;
        let bytes = csv_bytes(&table(), d).expect("csv");
        assert!(bytes.windows(4).any(|w| w == b"12.5"));
        assert!(bytes.contains(&0xC9)); // É
    }
}
