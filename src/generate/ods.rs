//! A minimal, deterministic OpenDocument spreadsheet (`.ods`) writer for the generated exports.
//!
//! Takes sheets of [`Cellule`]s and gives the bytes of an ODS package: `mimetype` first and
//! stored uncompressed (so that tools can sniff the type), then `META-INF/manifest.xml`,
//! `meta.xml` and `content.xml` (deflated). Every zip entry carries the same fixed timestamp
//! (1 July of the session) and the XML is written in a fixed order, so the bytes depend only on
//! the content. It does not write styles beyond a two-decimal number format, formulas or merged
//! cells.
//!
//! Written by hand because spreadsheet-ods 0.25 orders namespace declarations and manifest
//! entries by `HashMap` iteration, which changes its output from run to run.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::notes_wide::Cellule;
use crate::error::{Error, Result};

/// The media type of an OpenDocument spreadsheet, the content of the `mimetype` entry.
const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

/// One sheet to write.
pub(crate) struct FeuilleOds<'a> {
    /// The sheet name.
    pub nom: &'a str,
    /// Row 1.
    pub entete: &'a [&'a str],
    /// Data rows, from row 2.
    pub lignes: &'a [Vec<Cellule>],
    /// Numbers in columns from this index on are shown with two decimals (earlier ones plainly).
    pub deux_decimales_des: usize,
}

/// Escapes the five XML special characters of a text or attribute value.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn push_text_cell(xml: &mut String, text: &str) {
    let t = escape_xml(text);
    let _ = write!(
        xml,
        r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
    );
}

fn push_sheet(xml: &mut String, feuille: &FeuilleOds<'_>) {
    let _ = write!(
        xml,
        r#"<table:table table:name="{}">"#,
        escape_xml(feuille.nom)
    );
    // The OpenDocument schema requires the columns to be declared before the rows.
    let _ = write!(
        xml,
        r#"<table:table-column table:number-columns-repeated="{}"/>"#,
        feuille.entete.len()
    );
    xml.push_str("<table:table-row>");
    for titre in feuille.entete {
        push_text_cell(xml, titre);
    }
    xml.push_str("</table:table-row>\n");
    for ligne in feuille.lignes {
        xml.push_str("<table:table-row>");
        for (col, cellule) in ligne.iter().enumerate() {
            match cellule {
                Cellule::Vide => xml.push_str("<table:table-cell/>"),
                Cellule::Texte(t) => push_text_cell(xml, t),
                // `{x}` prints the shortest text that reads back as the same f64 (`12.17`).
                Cellule::Nombre(x) if col >= feuille.deux_decimales_des => {
                    let shown = format!("{x:.2}").replace('.', ",");
                    let _ = write!(
                        xml,
                        r#"<table:table-cell table:style-name="ce1" office:value-type="float" office:value="{x}"><text:p>{shown}</text:p></table:table-cell>"#
                    );
                }
                Cellule::Nombre(x) => {
                    let _ = write!(
                        xml,
                        r#"<table:table-cell office:value-type="float" office:value="{x}"><text:p>{x}</text:p></table:table-cell>"#
                    );
                }
            }
        }
        xml.push_str("</table:table-row>\n");
    }
    xml.push_str("</table:table>\n");
}

/// The `content.xml` of the sheets.
fn content_xml(feuilles: &[FeuilleOds<'_>]) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" "#,
        r#"office:version="1.2">"#,
        "\n<office:automatic-styles>",
        r#"<number:number-style style:name="N2"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1"/></number:number-style>"#,
        r#"<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N2"/>"#,
        "</office:automatic-styles>\n<office:body><office:spreadsheet>\n",
    ));
    for feuille in feuilles {
        push_sheet(&mut xml, feuille);
    }
    xml.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    xml
}

/// The `meta.xml`: the generator and a creation date fixed to 1 July of the session.
fn meta_xml(annee: i32) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            "\n",
            r#"<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
            r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2">"#,
            "<office:meta><meta:generator>ndrc-stats generate</meta:generator>",
            "<meta:creation-date>{annee}-07-01T00:00:00</meta:creation-date></office:meta>",
            "</office:document-meta>\n"
        ),
        annee = annee
    )
}

/// The bytes of the ODS package of `feuilles`, dated 1 July of `annee`.
///
/// # Errors
///
/// [`Error::Internal`] if the year cannot be a zip date (before 1980 or after 2107) or the zip
/// cannot be assembled in memory.
pub(crate) fn ods_bytes(annee: i32, feuilles: &[FeuilleOds<'_>]) -> Result<Vec<u8>> {
    package_ods(annee, content_xml(feuilles))
}

/// The bytes of an ODS package around a ready `content.xml`, dated 1 July of `annee`. The layout
/// variants (`super::variantes`) write their own `content.xml` and share this packaging.
///
/// # Errors
///
/// As [`ods_bytes`].
pub(crate) fn package_ods(annee: i32, content: String) -> Result<Vec<u8>> {
    let internal = |e: &dyn std::fmt::Display| Error::Internal(format!("écriture ODS : {e}"));
    let date = u16::try_from(annee)
        .ok()
        .and_then(|a| DateTime::from_date_and_time(a, 7, 1, 0, 0, 0).ok())
        .ok_or_else(|| internal(&format!("année hors limites : {annee}")))?;
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(date)
        .unix_permissions(0o644);
    let deflated = stored.compression_method(CompressionMethod::Deflated);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let entries: [(&str, SimpleFileOptions, String); 4] = [
        ("mimetype", stored, MIMETYPE.to_owned()),
        ("META-INF/manifest.xml", deflated, MANIFEST.to_owned()),
        ("meta.xml", deflated, meta_xml(annee)),
        ("content.xml", deflated, content),
    ];
    for (name, options, text) in entries {
        zip.start_file(name, options).map_err(|e| internal(&e))?;
        zip.write_all(text.as_bytes()).map_err(|e| internal(&e))?;
    }
    Ok(zip.finish().map_err(|e| internal(&e))?.into_inner())
}

/// Writes the ODS package of `feuilles` to `path`.
///
/// # Errors
///
/// [`Error::Output`] when the file cannot be written; [`Error::Internal`] as [`ods_bytes`].
pub(crate) fn write_ods(path: &Path, annee: i32, feuilles: &[FeuilleOds<'_>]) -> Result<()> {
    let bytes = ods_bytes(annee, feuilles)?;
    std::fs::write(path, bytes).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Vec<Cellule>> {
        vec![vec![
            Cellule::Nombre(2024.0),
            Cellule::Texte("L'ÉCUYER & <Fils>".into()),
            Cellule::Vide,
            Cellule::Nombre(12.17),
        ]]
    }

    #[test]
    fn mimetype_is_the_first_entry_stored_uncompressed() {
        let lignes = sample();
        let feuille = FeuilleOds {
            nom: "Feuille",
            entete: &["Session", "Nom", "Vide", "Moyenne"],
            lignes: &lignes,
            deux_decimales_des: 3,
        };
        let bytes = ods_bytes(2024, &[feuille]).expect("ods");
        // Local file header: signature, then at offset 8 the method (0 = stored), name at 30.
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        assert_eq!(&bytes[8..10], &[0, 0]);
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..38 + MIMETYPE.len()], MIMETYPE.as_bytes());
    }

    #[test]
    fn cells_are_escaped_and_numbers_keep_their_value() {
        let lignes = sample();
        let xml = content_xml(&[FeuilleOds {
            nom: "Feuille",
            entete: &["Session"],
            lignes: &lignes,
            deux_decimales_des: 3,
        }]);
        assert!(xml.contains("<text:p>L&apos;ÉCUYER &amp; &lt;Fils&gt;</text:p>"));
        assert!(xml.contains(r#"office:value="2024"><text:p>2024</text:p>"#));
        assert!(xml.contains(r#"office:value="12.17"><text:p>12,17</text:p>"#));
    }
}
