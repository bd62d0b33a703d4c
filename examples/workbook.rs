//! A court's CSV folder as one workbook, and the baseline of reading one, for
//! the sources benchmark (`benches/sources.sh`).
//!
//! ```text
//! cargo run --release --example workbook -- write DIR OUT.xlsx [--schema FILE]
//! cargo run --release --example workbook -- read OUT.xlsx
//! ```
//!
//! `write`: one sheet per table of the schema, named as the table, its header
//! and fields as the CSV file has them, each a text cell (a date in a text cell
//! is read like CSV). `read`: every cell of every sheet read with calamine, as
//! zhibiao's workbook source reads them, and nothing else; prints one line of
//! JSON, `{"sheets": S, "cells": C, "seconds": T}`.

use std::path::Path;
use std::process::exit;
use std::time::Instant;

const USAGE: &str =
    "usage: cargo run --release --example workbook -- write DIR OUT.xlsx [--schema FILE]
       cargo run --release --example workbook -- read FILE.xlsx";

fn fail(why: impl std::fmt::Display) -> ! {
    eprintln!("error: {why}");
    exit(1)
}

fn write(dir: &Path, out: &Path, schema: &Path) {
    let schema = zhibiao::schema::Schema::load(schema).unwrap_or_else(|e| fail(e));
    let mut wb = rust_xlsxwriter::Workbook::new();
    for t in &schema.tables {
        let path = dir.join(&t.file);
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&path)
            .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        let sheet = wb.add_worksheet();
        sheet.set_name(&t.name).unwrap_or_else(|e| fail(e));
        for (row, rec) in r.records().enumerate() {
            let rec = rec.unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
            if row >= 1_048_576 {
                fail(format!("{}: more rows than a sheet holds", path.display()));
            }
            for (col, field) in rec.iter().enumerate() {
                let field = field.trim_start_matches('\u{feff}');
                if !field.is_empty() {
                    sheet
                        .write_string(row as u32, col as u16, field)
                        .unwrap_or_else(|e| fail(e));
                }
            }
        }
    }
    wb.save(out).unwrap_or_else(|e| fail(e));
}

fn read(file: &Path) {
    use calamine::{DataType, Reader};
    let start = Instant::now();
    let mut wb = calamine::open_workbook_auto(file).unwrap_or_else(|e| fail(e));
    let names = wb.sheet_names();
    let mut cells = 0u64;
    for name in &names {
        let range = wb.worksheet_range(name).unwrap_or_else(|e| fail(e));
        cells += range
            .rows()
            .map(|r| r.iter().filter(|c| !c.is_empty()).count() as u64)
            .sum::<u64>();
    }
    println!(
        "{{\"sheets\": {}, \"cells\": {cells}, \"seconds\": {:.3}}}",
        names.len(),
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["write", dir, out] => write(
            Path::new(dir),
            Path::new(out),
            Path::new("policies/schema.yaml"),
        ),
        ["write", dir, out, "--schema", schema] => {
            write(Path::new(dir), Path::new(out), Path::new(schema))
        }
        ["read", file] => read(Path::new(file)),
        _ => {
            eprintln!("{USAGE}");
            exit(2)
        }
    }
}
