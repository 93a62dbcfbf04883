//! Writes a variant [`Fichier`] as an `.xlsx` workbook (rust_xlsxwriter) or an `.ods`
//! spreadsheet, one sheet per [`Tableau`]: title rows, the group row of a two-row header as real
//! merged cells, the label row, the data, a blank row and the footer.
//!
//! Both formats carry a fixed document date (1 July of the session), so the bytes depend only on
//! the content. CSV files go through [`super::csv`].

use std::fmt::Write as _;
use std::path::Path;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::super::notes_wide::Cellule;
use super::super::ods::{escape_xml, package_ods};
use super::super::xlsx::{new_workbook, save, xlsx_error};
use super::tableau::{Fichier, Tableau};
use crate::error::Result;

/// The rows of a sheet from the top: titles, group row, labels, data, blank, footer. Each item
/// is a row of cells, `None` for the group row (written with merges).
fn layout(t: &Tableau) -> Vec<Option<Vec<Cellule>>> {
    let texte = |s: &String| Cellule::Texte(s.clone());
    let mut rows: Vec<Option<Vec<Cellule>>> =
        t.titres.iter().map(|s| Some(vec![texte(s)])).collect();
    if t.groupes.is_some() {
        rows.push(None);
    }
    rows.push(Some(t.entete.iter().map(texte).collect()));
    rows.extend(t.lignes.iter().cloned().map(Some));
    if !t.pied.is_empty() {
        rows.push(Some(Vec::new()));
        rows.extend(t.pied.iter().cloned().map(Some));
    }
    rows
}

fn write_xlsx_sheet(ws: &mut Worksheet, t: &Tableau) -> Result<(), XlsxError> {
    ws.set_name(&t.feuille)?;
    let centre = Format::new()
        .set_bold()
        .set_align(rust_xlsxwriter::FormatAlign::Center);
    for (row, cells) in (0u32..).zip(layout(t)) {
        let Some(cells) = cells else {
            let mut col = 0u16;
            for (label, span) in t.groupes.iter().flatten() {
                let span = u16::try_from(*span).unwrap_or(1).max(1);
                if span == 1 {
                    ws.write_string_with_format(row, col, label.as_str(), &centre)?;
                } else {
                    ws.merge_range(row, col, row, col + span - 1, label.as_str(), &centre)?;
                }
                col += span;
            }
            continue;
        };
        for (col, cellule) in (0u16..).zip(&cells) {
            match cellule {
                Cellule::Vide => {}
                Cellule::Texte(s) => {
                    ws.write_string(row, col, s.as_str())?;
                }
                Cellule::Nombre(x) => {
                    ws.write_number(row, col, *x)?;
                }
            }
        }
    }
    Ok(())
}

/// Writes `f` as an `.xlsx` workbook.
///
/// # Errors
///
/// [`crate::error::Error::Output`] when the workbook cannot be built or written.
pub(crate) fn write_xlsx(path: &Path, f: &Fichier) -> Result<()> {
    let err = xlsx_error(path);
    let mut workbook = new_workbook(path, f.annee)?;
    for t in &f.feuilles {
        write_xlsx_sheet(workbook.add_worksheet(), t).map_err(&err)?;
    }
    save(&mut workbook, path)
}

fn push_ods_cell(xml: &mut String, c: &Cellule) {
    match c {
        Cellule::Vide => xml.push_str("<table:table-cell/>"),
        Cellule::Texte(s) => {
            let _ = write!(
                xml,
                r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                escape_xml(s)
            );
        }
        Cellule::Nombre(x) => {
            let shown = format!("{x}").replace('.', ",");
            let _ = write!(
                xml,
                r#"<table:table-cell office:value-type="float" office:value="{x}"><text:p>{shown}</text:p></table:table-cell>"#
            );
        }
    }
}

fn push_ods_group_row(xml: &mut String, t: &Tableau) {
    xml.push_str("<table:table-row>");
    for (label, span) in t.groupes.iter().flatten() {
        let span = (*span).max(1);
        let _ = write!(
            xml,
            r#"<table:table-cell table:number-columns-spanned="{span}" office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
            escape_xml(label)
        );
        for _ in 1..span {
            xml.push_str("<table:covered-table-cell/>");
        }
    }
    xml.push_str("</table:table-row>\n");
}

fn push_ods_sheet(xml: &mut String, t: &Tableau) {
    let _ = write!(
        xml,
        r#"<table:table table:name="{}">"#,
        escape_xml(&t.feuille)
    );
    let _ = write!(
        xml,
        r#"<table:table-column table:number-columns-repeated="{}"/>"#,
        t.entete.len().max(1)
    );
    for row in layout(t) {
        let Some(cells) = row else {
            push_ods_group_row(xml, t);
            continue;
        };
        xml.push_str("<table:table-row>");
        if cells.is_empty() {
            xml.push_str("<table:table-cell/>");
        }
        for c in &cells {
            push_ods_cell(xml, c);
        }
        xml.push_str("</table:table-row>\n");
    }
    xml.push_str("</table:table>\n");
}

/// The `content.xml` of the sheets (the `N2`/`ce1` styles are declared for [`package_ods`]).
fn content_xml(feuilles: &[Tableau]) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"office:version="1.2">"#,
        "\n<office:body><office:spreadsheet>\n",
    ));
    for t in feuilles {
        push_ods_sheet(&mut xml, t);
    }
    xml.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    xml
}

/// Writes `f` as an `.ods` spreadsheet.
///
/// # Errors
///
/// [`crate::error::Error::Output`] when the file cannot be written, `Internal` when the package
/// cannot be assembled.
pub(crate) fn write_ods(path: &Path, f: &Fichier) -> Result<()> {
    let bytes = package_ods(f.annee, content_xml(&f.feuilles))?;
    std::fs::write(path, bytes).map_err(|source| crate::error::Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ods_group_row_spans_its_columns_and_covers_the_rest() {
        let t = Tableau {
            feuille: "Notes".into(),
            groupes: Some(vec![("Identité".into(), 2), ("Notes /20".into(), 1)]),
            entete: vec!["a".into(), "b".into(), "c".into()],
            lignes: vec![vec![
                Cellule::Vide,
                Cellule::Texte("x".into()),
                Cellule::Nombre(12.25),
            ]],
            ..Tableau::default()
        };
        let xml = content_xml(&[t]);
        assert!(xml.contains(
            r#"table:number-columns-spanned="2" office:value-type="string"><text:p>Identité</text:p></table:table-cell><table:covered-table-cell/>"#
        ));
        assert!(xml.contains(r#"office:value="12.25"><text:p>12,25</text:p>"#));
    }
}
