//! The example data as Excel workbooks written by a real writer
//! (rust_xlsxwriter) and read back by zhibiao's reader (calamine): a table as
//! `.xlsx` beside the CSV files, every table as a sheet of one workbook, and
//! an HTML-table export under an `.xls` name give the CSV figures; a bad cell
//! is named as Excel names it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::{Path, PathBuf};

use common::{copy_dir, eval_june, fresh_dir, june_results, stderr};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

/// One CSV file's rows as a sheet: datetimes and dates as Excel dates,
/// whole numbers as numbers, the rest as text.
fn write_sheet(ws: &mut Worksheet, csv_path: &Path) {
    let datetime = Format::new().set_num_format("yyyy/m/d h:mm");
    let date = Format::new().set_num_format("yyyy/m/d");
    let mut r = csv::Reader::from_path(csv_path).expect("csv");
    let header = r.headers().expect("header").clone();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).expect("write");
    }
    for (i, rec) in r.records().enumerate() {
        let rec = rec.expect("record");
        let row = i as u32 + 1;
        for (c, v) in rec.iter().enumerate() {
            let col = c as u16;
            let b = v.as_bytes();
            if v.is_empty() {
                continue;
            }
            if (v.len() == 19 || v.len() == 16) && b[4] == b'-' && b[10] == b' ' {
                let dt = ExcelDateTime::parse_from_str(v).expect("datetime");
                ws.write_datetime_with_format(row, col, &dt, &datetime)
                    .expect("write");
            } else if v.len() == 10 && b[4] == b'-' && b[7] == b'-' {
                let dt = ExcelDateTime::parse_from_str(v).expect("date");
                ws.write_datetime_with_format(row, col, &dt, &date)
                    .expect("write");
            } else if !v.starts_with('0') && v.parse::<i64>().is_ok() {
                ws.write_number(row, col, v.parse::<f64>().expect("number"))
                    .expect("write");
            } else {
                ws.write_string(row, col, v).expect("write");
            }
        }
    }
}

fn csv_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("examples/data")
        .expect("data")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

#[test]
fn a_table_as_xlsx_beside_the_csv_files_gives_the_same_figures() {
    let want = june_results(Path::new("examples/data"), &[]);
    let dir = fresh_dir("zb-xlsx-one");
    copy_dir(Path::new("examples/data"), &dir);
    std::fs::remove_file(dir.join("hearings.csv")).expect("remove");
    let mut wb = Workbook::new();
    write_sheet(wb.add_worksheet(), Path::new("examples/data/hearings.csv"));
    wb.save(dir.join("hearings.xlsx")).expect("save");
    assert_eq!(june_results(&dir, &[]), want);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn one_workbook_with_a_sheet_per_table_gives_the_same_figures() {
    let want = june_results(Path::new("examples/data"), &[]);
    let dir = fresh_dir("zb-xlsx-all");
    let mut wb = Workbook::new();
    for f in csv_files() {
        let ws = wb.add_worksheet();
        let name = f.file_stem().expect("stem").to_string_lossy().into_owned();
        ws.set_name(&name).expect("name");
        write_sheet(ws, &f);
    }
    let book = dir.join("export.xlsx");
    wb.save(&book).expect("save");
    assert_eq!(june_results(&book, &[]), want);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_html_table_saved_as_xls_gives_the_same_figures() {
    let want = june_results(Path::new("examples/data"), &[]);
    let dir = fresh_dir("zb-html-xls");
    copy_dir(Path::new("examples/data"), &dir);
    let mut r = csv::Reader::from_path("examples/data/hearings.csv").expect("csv");
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut html =
        String::from("<html><head><meta charset=\"utf-8\"></head><body><table border=1>\n<tr>");
    for h in r.headers().expect("header").iter() {
        html.push_str(&format!("<th>{}</th>", esc(h)));
    }
    html.push_str("</tr>\n");
    for rec in r.records() {
        html.push_str("<tr>");
        for v in rec.expect("record").iter() {
            html.push_str(&format!("<td>{}</td>", esc(v)));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table></body></html>\n");
    std::fs::remove_file(dir.join("hearings.csv")).expect("remove");
    std::fs::write(dir.join("hearings.xls"), html).expect("write");
    assert_eq!(june_results(&dir, &[]), want);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_cell_is_named_as_excel_names_it() {
    let dir = fresh_dir("zb-xlsx-bad");
    let mut wb = Workbook::new();
    for f in csv_files() {
        let ws = wb.add_worksheet();
        let name = f.file_stem().expect("stem").to_string_lossy().into_owned();
        ws.set_name(&name).expect("name");
        write_sheet(ws, &f);
        if name == "hearings" {
            // Row 17 of the sheet, the status column (E): not one of its values.
            let mut r = csv::Reader::from_path(&f).expect("csv");
            let col = r
                .headers()
                .expect("header")
                .iter()
                .position(|h| h == "status")
                .expect("status");
            ws.write_string(16, col as u16, "已开").expect("write");
        }
    }
    let book = dir.join("export.xlsx");
    wb.save(&book).expect("save");
    let o = eval_june(&book, &[]);
    assert_eq!(o.status.code(), Some(3));
    let col = {
        let mut r = csv::Reader::from_path("examples/data/hearings.csv").expect("csv");
        let i = r
            .headers()
            .expect("header")
            .iter()
            .position(|h| h == "status")
            .expect("status");
        (b'A' + i as u8) as char
    };
    let want = format!("export.xlsx!hearings!{col}17: `已开` is not one of the values of `status`");
    assert!(stderr(&o).contains(&want), "{want} in:\n{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_workbook_without_the_table_s_sheet_names_its_sheets() {
    let dir = fresh_dir("zb-xlsx-nosheet");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").expect("name");
    ws.write_string(0, 0, "x").expect("write");
    let book = dir.join("export.xlsx");
    wb.save(&book).expect("save");
    let o = eval_june(&book, &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o)
            .contains("the workbook has no sheet named `hearings` or `庭审`; its sheets: `Sheet1`"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(dir);
}
