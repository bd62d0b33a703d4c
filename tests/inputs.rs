//! The exports courts have: the example data saved in GBK and UTF-16, with
//! Excel-style datetimes and padded values, gives the very figures of the
//! UTF-8 original; a file in another encoding than declared is one error; a
//! run that leaves out too many rows fails; a department the policy does not
//! know is said.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::Path;

use common::{copy_dir, eval_june, fresh_dir, june_results, stderr, stdout, zhibiao};

/// Every file of the example data re-encoded.
fn reencoded(name: &str, enc: impl Fn(&str) -> Vec<u8>) -> std::path::PathBuf {
    let dir = fresh_dir(name);
    for e in std::fs::read_dir("examples/data").expect("data") {
        let e = e.expect("entry");
        let text = std::fs::read_to_string(e.path()).expect("utf-8");
        std::fs::write(dir.join(e.file_name()), enc(&text)).expect("write");
    }
    dir
}

#[test]
fn gbk_and_utf16_exports_give_the_same_figures() {
    let want = june_results(Path::new("examples/data"), &[]);
    let gbk = reencoded("zb-gbk", |t| encoding_rs::GBK.encode(t).0.into_owned());
    assert_eq!(june_results(&gbk, &[]), want, "GBK, detected");
    assert_eq!(
        june_results(&gbk, &["--encoding", "gbk"]),
        want,
        "GBK, declared"
    );
    let utf16 = reencoded("zb-utf16", |t| {
        let mut b = vec![0xFF, 0xFE];
        for u in t.encode_utf16() {
            b.extend(u.to_le_bytes());
        }
        b
    });
    assert_eq!(june_results(&utf16, &[]), want, "UTF-16 with BOM");
    let _ = std::fs::remove_dir_all(gbk);
    let _ = std::fs::remove_dir_all(utf16);
}

#[test]
fn a_file_in_another_encoding_than_declared_is_one_error() {
    let gbk = reencoded("zb-gbk-declared", |t| {
        encoding_rs::GBK.encode(t).0.into_owned()
    });
    let o = eval_june(&gbk, &["--encoding", "utf-8"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    // One error per file (of the tables the policy reads), none per cell,
    // and none for rows pointing at tables that could not be read.
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(".csv")).collect();
    assert!(!lines.is_empty(), "{err}");
    assert!(
        lines
            .iter()
            .all(|l| l.contains(": the file is not UTF-8 text: it looks like GBK/GB18030")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} data error(s)", lines.len())),
        "{err}"
    );
    assert!(
        err.contains("hearings.csv: the file is not UTF-8 text: it looks like GBK/GB18030"),
        "{err}"
    );
    assert!(err.contains("declare `encoding: gbk`"), "{err}");
    assert!(
        !err.contains("--lenient"),
        "a whole file is never left out: {err}"
    );
    let _ = std::fs::remove_dir_all(gbk);
}

#[test]
fn excel_style_datetimes_and_padded_values_read_like_the_original() {
    let want = june_results(Path::new("examples/data"), &[]);
    let dir = fresh_dir("zb-excel-forms");
    copy_dir(Path::new("examples/data"), &dir);
    let text = std::fs::read_to_string(dir.join("hearings.csv")).expect("read");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let cols: Vec<&str> = header.split(',').collect();
    let at = cols
        .iter()
        .position(|c| *c == "scheduled_at")
        .expect("scheduled_at");
    let status = cols.iter().position(|c| *c == "status").expect("status");
    let mut out = vec![header.to_string()];
    for (i, l) in lines.enumerate() {
        let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
        if f.len() == cols.len() {
            // 2022-06-01 09:00:00 → the forms Excel writes, in turn.
            let v = f[at].clone();
            let (d, t) = v.split_once(' ').expect("datetime");
            let (y, rest) = d.split_once('-').expect("y");
            let (m, dd) = rest.split_once('-').expect("m");
            let (h, mi) = (&t[0..2], &t[3..5]);
            let h1 = h.trim_start_matches('0');
            let h1 = if h1.is_empty() { "0" } else { h1 };
            let m1 = m.trim_start_matches('0');
            let d1 = dd.trim_start_matches('0');
            f[at] = match i % 5 {
                0 => format!("{y}/{m1}/{d1} {h1}:{mi}"),
                1 => format!("{y}-{m}-{dd} {h1}:{mi}"),
                2 => format!("{y}-{m1}-{d1} {h}:{mi}"),
                3 => format!("{y}-{m}-{dd} {h}:{mi}:00.000"),
                _ => format!(" {y}-{m}-{dd}T{h}:{mi}:00"),
            };
            // An enum padded with a space.
            f[status] = format!(" {}", f[status]);
        }
        out.push(f.join(","));
    }
    std::fs::write(dir.join("hearings.csv"), out.join("\n") + "\n").expect("write");
    assert_eq!(june_results(&dir, &[]), want);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn leaving_out_more_than_one_percent_of_a_table_is_an_error_all_the_same() {
    let dir = fresh_dir("zb-dropped");
    copy_dir(Path::new("examples/data"), &dir);
    let text = std::fs::read_to_string(dir.join("hearings.csv")).expect("read");
    let n = text.lines().count() - 1;
    // Break the status of every 50th hearing: 2% of the rows.
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i > 0 && i % 50 == 0 {
                l.replace("已开庭", "已开").replace(",取消,", ",取,")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(dir.join("hearings.csv"), broken.join("\n") + "\n").expect("write");
    let o = eval_june(&dir, &["--lenient"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("rows of"), "{}", stderr(&o));
    assert!(stderr(&o).contains("more than 1%"), "{}", stderr(&o));
    // Allowed: the report says how many were left out.
    let o = eval_june(
        &dir,
        &["--lenient", "--max-dropped", "5", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let h = j["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|t| t["table"] == "hearings")
        .expect("hearings");
    let dropped = h["dropped"].as_u64().expect("dropped");
    assert!(dropped > 0 && dropped as usize <= n / 50 + 1, "{h}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_department_the_policy_does_not_know_is_a_warning_with_the_close_match() {
    let dir = fresh_dir("zb-unknown-dept");
    copy_dir(Path::new("examples/data"), &dir);
    let text = std::fs::read_to_string(dir.join("cases.csv")).expect("read");
    std::fs::write(
        dir.join("cases.csv"),
        text.replacen(",民事庭,", ",民事审判庭,", 40),
    )
    .expect("write");
    // Wide enough that the warning is one line.
    let o = eval_june(&dir, &["--width", "200"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        all.contains("department `民事审判庭` in the data is not one of the policy's departments; did you mean `民事庭`?"),
        "{all}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The example data with each header of `file` replaced by `rename`.
fn with_headers(name: &str, file: &str, rename: impl Fn(&str) -> String) -> std::path::PathBuf {
    let dir = fresh_dir(name);
    copy_dir(Path::new("examples/data"), &dir);
    let text = std::fs::read_to_string(dir.join(file)).expect("read");
    let (header, rest) = text.split_once('\n').expect("header");
    let header: Vec<String> = header.split(',').map(&rename).collect();
    std::fs::write(dir.join(file), format!("{}\n{rest}", header.join(","))).expect("write");
    dir
}

#[test]
fn chinese_headers_full_width_and_spaces_match_the_schema() {
    let want = june_results(Path::new("examples/data"), &[]);
    let schema = std::fs::read_to_string("policies/schema.yaml").expect("schema");
    // The hearings table's part of the schema.
    let from = schema.find("- name: hearings").expect("hearings");
    let schema = &schema[from..];
    let schema = &schema[..schema[1..].find("- name:").map_or(schema.len(), |i| i + 1)];
    // Each column of hearings by its title where it has one (开庭状态, 排期时间 …),
    // padded with spaces; the others in full-width upper case (ＨＥＡＲＩＮＧ＿ＩＤ).
    let title = |col: &str| -> Option<String> {
        schema
            .lines()
            .find(|l| l.contains(&format!("name: {col},")))
            .and_then(|l| l.split("title: ").nth(1))
            .map(|t| t.trim_end_matches(" }").trim().to_string())
    };
    let dir = with_headers("zb-headers", "hearings.csv", |h| match title(h) {
        Some(t) => format!(" {t} "),
        None => h
            .to_ascii_uppercase()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect(),
    });
    let header = std::fs::read_to_string(dir.join("hearings.csv")).expect("read");
    assert!(
        header.starts_with("ＨＥＡＲＩＮＧ＿ＩＤ"),
        "{}",
        &header[..80]
    );
    assert!(header.contains(" 排期时间 "), "{}", &header[..200]);
    assert_eq!(june_results(&dir, &[]), want);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_missing_column_is_reported_at_once_with_the_closest_header() {
    let dir = with_headers("zb-missing", "hearings.csv", |h| match h {
        "hearing_id" => "庭审编号".into(),
        "status" => "statuss".into(),
        "mode" => "方式".into(),
        h => h.to_string(),
    });
    let o = eval_june(&dir, &[]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.contains("hearings.csv"))
        .expect("the hearings error");
    for col in [
        "`hearing_id`",
        "`status` (or `开庭状态`): the header has `statuss`",
        "`mode` (or `庭审方式`)",
    ] {
        assert!(line.contains(col), "{col} in: {line}");
    }
    assert_eq!(err.matches("hearings.csv").count(), 1, "one error: {err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_database_that_refuses_the_connection_is_exit_3_with_the_reason() {
    // Nothing listens on port 1: the connection is refused at once.
    let o = zhibiao(&[
        "eval",
        "--period",
        "2022-06",
        "--data",
        "postgres://zhibiao:secret@127.0.0.1:1/zb_jiading",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: cannot connect to `postgres://zhibiao@127.0.0.1:1/zb_jiading`: error connecting to server: Connection refused (os error 111)\n\
         help: check that the server runs and takes connections at that host and port, and the user, password and database name\n"
    );
    let o = zhibiao(&[
        "--lang",
        "zh",
        "explain",
        "--case",
        "C1",
        "--period",
        "2022-06",
        "--data",
        "postgresql://zhibiao@127.0.0.1:1/zb_jiading",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("错误：无法连接 `postgresql://zhibiao@127.0.0.1:1/zb_jiading`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_table_mapping_for_no_table_of_the_schema_is_a_usage_error() {
    let o = zhibiao(&[
        "eval",
        "--period",
        "2022-06",
        "--data",
        "postgres://zhibiao@127.0.0.1:1/zb_jiading",
        "--table",
        "case=ods.t_case",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: unknown table `case` in `--table`\nhelp: did you mean `cases`?\n"
    );
}
