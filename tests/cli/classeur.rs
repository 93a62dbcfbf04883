//! The workbook `ndrc-stats.xlsx` that `run` writes (issue 12, item 3), read back with calamine:
//! one sheet per report table, with exactly the rows of its CSV file, typed (numbers as numbers,
//! yes/no as booleans), a frozen bold header and an autofilter.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use polars::prelude::{CsvParseOptions, CsvReadOptions, SerReader};

use crate::common::{repo, Workdir};

/// A French-dialect report read with polars, every column as text, empty cells as "".
fn csv_cells(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap().to_vec();
    let frame = CsvReadOptions::default()
        .with_has_header(false)
        .with_infer_schema_length(Some(0))
        .with_parse_options(CsvParseOptions::default().with_separator(b';'))
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()
        .unwrap();
    let columns: Vec<Vec<String>> = frame
        .get_columns()
        .iter()
        .map(|c| {
            c.str()
                .unwrap()
                .iter()
                .map(|v| v.unwrap_or_default().to_string())
                .collect()
        })
        .collect();
    (0..frame.height())
        .map(|i| columns.iter().map(|c| c[i].clone()).collect())
        .collect()
}

/// True when a workbook cell holds what the CSV cell says.
fn same(cell: &Data, csv: &str) -> bool {
    match cell {
        Data::Empty => csv.is_empty(),
        Data::Float(f) => csv
            .replace(',', ".")
            .parse::<f64>()
            .is_ok_and(|v| (v - f).abs() < 1e-9),
        Data::Int(i) => csv.parse::<i64>() == Ok(*i),
        Data::Bool(b) => csv == if *b { "true" } else { "false" },
        // A text the CSV neutralised with a leading quote is the text itself in the workbook.
        Data::String(s) => csv == s || csv.strip_prefix('\'') == Some(s.as_str()),
        Data::DateTime(d) => d
            .as_datetime()
            .is_some_and(|d| d.date().format("%Y-%m-%d").to_string() == csv),
        _ => false,
    }
}

#[test]
fn the_workbook_holds_every_report_table_with_the_rows_of_its_csv() {
    let w = Workdir::new();
    let samples = repo().join("data").join("samples");
    let stdout = w.run_pipeline(&samples);
    let out = w.out();
    assert!(stdout.contains("ndrc-stats.xlsx ("), "{stdout}");

    // The report tables: every CSV under --out but the livret's per-class files.
    let mut expected: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    for entry in crate::common::files_below(&out) {
        let rel = entry
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".csv") && !rel.starts_with("livret/") {
            let name: String = rel
                .trim_end_matches(".csv")
                .replace('/', "_")
                .chars()
                .take(31)
                .collect();
            expected.insert(name, entry.clone());
        }
    }
    assert!(expected.len() >= 12, "{expected:?}");
    let mut book: Xlsx<_> = open_workbook(out.join("ndrc-stats.xlsx")).unwrap();
    let sheets: Vec<String> = book.sheet_names().clone();
    let mut names = sheets.clone();
    names.sort();
    assert_eq!(names, expected.keys().cloned().collect::<Vec<_>>());
    assert_eq!(sheets[0], "rejets");
    assert_eq!(sheets[1], "resultats");

    let mut typed = (0, 0);
    for name in &sheets {
        let range = book.worksheet_range(name).unwrap();
        let csv = csv_cells(&expected[name]);
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), csv.len(), "{name}: rows");
        for (i, (row, want)) in rows.iter().zip(&csv).enumerate() {
            for (j, want) in want.iter().enumerate() {
                let cell = row.get(j).unwrap_or(&Data::Empty);
                assert!(
                    same(cell, want),
                    "{name} row {} column {}: {cell:?} vs « {want} »",
                    i + 1,
                    j + 1
                );
                match cell {
                    Data::Float(_) => typed.0 += 1,
                    Data::Bool(_) => typed.1 += 1,
                    _ => {}
                }
            }
        }
    }
    assert!(typed.0 > 10_000, "numbers are numbers: {typed:?}");

    // The average of the first candidate is the number of resultats.csv, shown with 2 decimals.
    let resultats = book.worksheet_range("resultats").unwrap();
    let header: Vec<String> = resultats
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let moyenne = header.iter().position(|h| h == "moyenne").unwrap();
    assert!(matches!(
        resultats.get((1, moyenne)),
        Some(Data::Float(_)) | Some(Data::Empty)
    ));

    // Each sheet's header is frozen and filtered; numbers carry their number format.
    let file = std::fs::File::open(out.join("ndrc-stats.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    for i in 1..=sheets.len() {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(xml.contains("state=\"frozen\""), "sheet {i}: frozen header");
        assert!(
            xml.contains("<autoFilter ref=\"A1:"),
            "sheet {i}: autofilter"
        );
    }
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains("formatCode=\"0.00\""), "{styles}");
}
