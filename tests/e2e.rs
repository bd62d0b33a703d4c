//! End-to-end: the real binary on the shipped policy and `examples/data`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::{Path, PathBuf};

use common::{CODES, copy_dir, fresh_dir, stderr, stdout, zhibiao};

fn temp_dir(name: &str) -> PathBuf {
    fresh_dir(&format!("zhibiao-e2e-{name}"))
}

#[test]
fn human_report_lists_every_indicator() {
    let o = zhibiao(&["eval", "--period", "2022-06"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("嘉法发〔2022〕15号"), "names the document");
    assert!(out.contains("2022-06-01 – 2022-06-30"), "names the period");
    for code in CODES {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{code} "))),
            "{code} has a block"
        );
    }
    // Core indicators come first: HC3 (指标1) before HC8 (其他指标).
    let pos = |c: &str| out.find(&format!("\n{c} ")).expect("block");
    assert!(pos("HC3") < pos("HC8"));
    assert!(pos("HC1") < pos("HC9"));
}

#[test]
fn json_has_flat_results_for_every_indicator_and_the_court() {
    let o = zhibiao(&["eval", "--period", "2022-06", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(j["format"], "zhibiao.eval/1");
    assert_eq!(j["period"]["start"], "2022-06-01");
    assert_eq!(j["period"]["end"], "2022-06-30");
    assert_eq!(j["policy"]["document"], "嘉法发〔2022〕15号");
    let results = j["results"].as_array().expect("results array");
    for code in CODES {
        let court = results
            .iter()
            .find(|r| r["indicator"] == code && r["department"] == "court")
            .unwrap_or_else(|| panic!("{code} has a court row"));
        for field in ["name", "numerator", "denominator", "value", "targets"] {
            assert!(court.get(field).is_some(), "{code} court row has `{field}`");
        }
    }
    // Values are percentages or null (undefined), never NaN.
    for r in results {
        match &r["value"] {
            serde_json::Value::Null => assert!(r["undefined_reason"].is_string()),
            v => assert!(v.as_f64().is_some_and(f64::is_finite), "{r}"),
        }
        for t in r["targets"].as_array().expect("targets") {
            assert!(t["op"].is_string() && t["value"].is_number());
            assert!(t["met"].is_boolean() || (t["met"].is_null() && r["value"].is_null()));
        }
    }
    // Counted indicators reconcile: numerator <= denominator where one count.
    let hc4 = results
        .iter()
        .find(|r| r["indicator"] == "HC4" && r["department"] == "court")
        .expect("HC4");
    assert!(hc4["numerator"].as_f64() <= hc4["denominator"].as_f64());
    // The court's HC4 denominator is the sum of the departments'.
    let sum: f64 = results
        .iter()
        .filter(|r| r["indicator"] == "HC4" && r["department"] != "court")
        .map(|r| r["denominator"].as_f64().unwrap_or(0.0))
        .sum();
    assert_eq!(Some(sum), hc4["denominator"].as_f64());
}

#[test]
fn csv_has_the_same_rows_as_json() {
    let j = zhibiao(&["eval", "--period", "2022-06", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&j)).expect("json");
    let n = j["results"].as_array().expect("results").len();
    let o = zhibiao(&["eval", "--period", "2022-06", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "\u{feff}period,indicator,name,core,department,numerator,denominator,value,unit,targets,met,undefined_reason"
        )
    );
    assert_eq!(lines.count(), n);
}

#[test]
fn markdown_and_output_file() {
    let dir = temp_dir("md");
    let file = dir.join("周通报.md");
    let o = zhibiao(&[
        "eval",
        "--period",
        "2022-W23",
        "--format",
        "markdown",
        "--output",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "report goes to the file");
    let md = std::fs::read_to_string(&file).expect("written");
    assert!(md.contains("## HC3 电子送达适用率"));
    assert!(md.contains("| 部门 | 分子 | 分母 | 值 | 目标 |"));
    // No temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(leftovers.len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fail_below_target_exits_4() {
    // June 2022 of the example data misses several targets (HC1's 90 among them).
    let o = zhibiao(&[
        "eval",
        "--period",
        "2022-06",
        "--fail-below-target",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(4));
}

#[test]
fn other_period_forms() {
    for args in [
        vec!["--period", "2022-Q2"],
        vec!["--period", "2022"],
        vec!["--from", "2022-06-01", "--to", "2022-06-15"],
    ] {
        let mut a = vec!["eval", "--format", "csv"];
        a.extend(args.iter().copied());
        let o = zhibiao(&a);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let bad = zhibiao(&["eval", "--period", "2022-13"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`2022-13` is not a period"));
    let none = zhibiao(&["eval"]);
    assert_eq!(none.status.code(), Some(2));
}

/// The results of `eval --format json` with `args`, the run asserted to succeed.
fn json_results(args: &[&str]) -> serde_json::Value {
    let mut a = vec!["eval", "--format", "json"];
    a.extend(args.iter().copied());
    let o = zhibiao(&a);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    j["results"].clone()
}

#[test]
fn half_years_and_years_to_date_are_their_days() {
    let h1 = json_results(&["--period", "2022-H1"]);
    let days = json_results(&["--from", "2022-01-01", "--to", "2022-06-30"]);
    assert!(h1.as_array().is_some_and(|r| !r.is_empty()), "{h1}");
    assert_eq!(
        h1, days,
        "2022-H1 has the figures of 2022-01-01 – 2022-06-30"
    );
    for form in ["2022-06-YTD", "2022年1-6月", "2022上半年", "2022-Q2-YTD"] {
        assert_eq!(json_results(&["--period", form]), days, "{form}");
    }
    let o = zhibiao(&["eval", "--period", "2022-06-YTD"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("2022-06-YTD (2022-01-01 – 2022-06-30)"));
    let o = zhibiao(&["eval", "--period", "2022-H1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("2022-H1 (2022-01-01 – 2022-06-30)"));
    // The year to date of June has more cases than June alone.
    assert_ne!(json_results(&["--period", "2022-06"]), days);
    let bad = zhibiao(&["eval", "--period", "2022-H3"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    assert!(err.contains("`2022-H3` is not a period"), "{err}");
    assert!(
        err.contains("a year to date"),
        "the forms are listed: {err}"
    );
}

#[test]
fn malformed_csv_exits_3_with_file_line_and_column() {
    let dir = temp_dir("bad");
    copy_dir(Path::new("examples/data"), &dir);
    let path = dir.join("hearings.csv");
    let text = std::fs::read_to_string(&path).expect("hearings");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let status_col = header
        .iter()
        .position(|h| *h == "status")
        .expect("status column");
    // Line 3 of the file: an unknown status.
    let mut fields: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    fields[status_col] = "开庭中".into();
    lines[2] = fields.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let before = std::fs::read(&path).expect("read");

    let data = dir.to_str().expect("utf-8");
    let o = zhibiao(&["eval", "--period", "2022-06", "--data", data]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    let want = format!("hearings.csv:3:{}:", status_col + 1);
    assert!(err.contains(&want), "names file:line:column {want}: {err}");
    assert!(err.contains("开庭中"), "names the value: {err}");

    // --lenient leaves the row out and says so.
    let o = zhibiao(&["eval", "--period", "2022-06", "--data", data, "--lenient"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("left out"));
    assert!(stdout(&o).contains("1 row(s) of `hearings.csv` were left out"));

    // Input files are never written.
    assert_eq!(std::fs::read(&path).expect("read"), before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_table_file_is_a_data_error() {
    let dir = temp_dir("missing");
    copy_dir(Path::new("examples/data"), &dir);
    std::fs::remove_file(dir.join("documents.csv")).expect("remove");
    let o = zhibiao(&[
        "eval",
        "--period",
        "2022-06",
        "--data",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("documents.csv"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn duplicate_keys_are_data_errors_in_streamed_and_stored_tables() {
    for file in ["hearings.csv", "cases.csv"] {
        let dir = temp_dir(&format!("dup-{file}"));
        copy_dir(Path::new("examples/data"), &dir);
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        // Line 5 of the file appears again at the end.
        let again = lines[4].to_string();
        let total = lines.len() + 1;
        std::fs::write(&path, format!("{}\n{again}\n", lines.join("\n"))).expect("write");
        let data = dir.to_str().expect("utf-8");
        let o = zhibiao(&["eval", "--period", "2022-06", "--data", data]);
        assert_eq!(o.status.code(), Some(3), "{file}: {}", stderr(&o));
        let err = stderr(&o);
        let key = again
            .split(',')
            .next()
            .expect("key")
            .trim_matches('"')
            .to_string();
        assert!(
            err.contains(&format!(
                "{file}:{total}:1: key `{key}` appears again (first on line 5)"
            )),
            "{file}: {err}"
        );
        let o = zhibiao(&[
            "eval",
            "--period",
            "2022-06",
            "--data",
            data,
            "--lenient",
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let table = file.trim_end_matches(".csv");
        let summary = j["data"]
            .as_array()
            .expect("data")
            .iter()
            .find(|t| t["table"] == table)
            .expect("table")
            .clone();
        assert_eq!(summary["dropped"], 1, "{file}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn bom_and_crlf_give_the_same_figures() {
    let dir = temp_dir("crlf");
    copy_dir(Path::new("examples/data"), &dir);
    for f in ["cases.csv", "hearings.csv", "services.csv"] {
        let p = dir.join(f);
        let text = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, format!("\u{feff}{}", text.replace('\n', "\r\n"))).expect("write");
    }
    let plain = zhibiao(&["eval", "--period", "2022-06", "--format", "csv"]);
    let other = zhibiao(&[
        "eval",
        "--period",
        "2022-06",
        "--format",
        "csv",
        "--data",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(other.status.code(), Some(0), "{}", stderr(&other));
    assert_eq!(stdout(&plain), stdout(&other));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Files written on Windows end lines with `\r\n`: errors still name the
/// line an editor shows, and explain numbers records the same way.
#[test]
fn crlf_files_keep_their_line_numbers() {
    let dir = temp_dir("crlf-lines");
    copy_dir(Path::new("examples/data"), &dir);
    let p = dir.join("hearings.csv");
    let text = std::fs::read_to_string(&p).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let status = header.iter().position(|h| *h == "status").expect("status");
    // Line 5 of the file gets a status the schema does not know.
    let mut f: Vec<String> = lines[4].split(',').map(str::to_string).collect();
    f[status] = "飞了".into();
    lines[4] = f.join(",");
    std::fs::write(&p, lines.join("\r\n") + "\r\n").expect("write");
    let data = dir.to_str().expect("utf-8");
    let o = zhibiao(&["eval", "--period", "2022-06", "--data", data]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("hearings.csv:5:{}:", status + 1)),
        "{}",
        stderr(&o)
    );
    // The record on line 7, found by explain.
    let id = lines[6].split(',').next().expect("id").to_string();
    let case = lines[6].split(',').nth(1).expect("case").to_string();
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--data",
        data,
        "--case",
        &case,
        "--lenient",
    ]);
    assert!(
        stdout(&o).contains(&format!("hearings:{id} (line 7)")),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Lines ended by a lone `\r` (old Mac files) are read as lines too.
#[test]
fn lone_cr_files_give_the_same_figures_and_lines() {
    let dir = temp_dir("cr");
    copy_dir(Path::new("examples/data"), &dir);
    let p = dir.join("hearings.csv");
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, text.replace('\n', "\r")).expect("write");
    let data = dir.to_str().expect("utf-8");
    let plain = zhibiao(&["eval", "--period", "2022-06", "--format", "csv"]);
    let other = zhibiao(&[
        "eval", "--period", "2022-06", "--format", "csv", "--data", data,
    ]);
    assert_eq!(other.status.code(), Some(0), "{}", stderr(&other));
    assert_eq!(stdout(&plain), stdout(&other));
    // A bad status on line 9.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let status = header.iter().position(|h| *h == "status").expect("status");
    let mut f: Vec<String> = lines[8].split(',').map(str::to_string).collect();
    f[status] = "飞了".into();
    lines[8] = f.join(",");
    std::fs::write(&p, lines.join("\r") + "\r").expect("write");
    let o = zhibiao(&["eval", "--period", "2022-06", "--data", data]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("hearings.csv:9:{}:", status + 1)),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn invalid_utf8_is_a_data_error_naming_the_column() {
    let dir = temp_dir("utf8");
    copy_dir(Path::new("examples/data"), &dir);
    let p = dir.join("hearings.csv");
    let mut bytes = std::fs::read(&p).expect("read");
    // Replace the first byte of line 2's result-bearing tail with an invalid byte.
    let line2 = bytes.iter().position(|b| *b == b'\n').expect("header") + 1;
    let comma = line2
        + bytes[line2..]
            .iter()
            .position(|b| *b == b',')
            .expect("comma");
    bytes.insert(comma, 0xff);
    std::fs::write(&p, bytes).expect("write");
    let o = zhibiao(&[
        "eval",
        "--period",
        "2022-06",
        "--data",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("hearings.csv:2:1: the value of `hearing_id` is not valid UTF-8 text"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A copy of the shipped policy and schema with `extra` appended to the policy and
/// `schema_edit` applied to the schema.
fn policy_variant(name: &str, extra: &str, schema_edit: impl Fn(String) -> String) -> PathBuf {
    let dir = temp_dir(name);
    let policy = std::fs::read_to_string("policies/jiading-2022.zb").expect("policy");
    std::fs::write(dir.join("p.zb"), format!("{policy}\n{extra}\n")).expect("write");
    let schema = std::fs::read_to_string("policies/schema.yaml").expect("schema");
    std::fs::write(dir.join("schema.yaml"), schema_edit(schema)).expect("write");
    dir
}

#[test]
fn a_scope_rule_through_a_relation_is_evaluated() {
    // Services to a party that is a 法人 are out of scope: checked and evaluated.
    let dir = policy_variant(
        "scope-rel",
        "scope exclude services where party.kind = \"法人\" because \"测试\"",
        |s| s,
    );
    let p = dir.join("p.zb");
    let o = zhibiao(&[
        "eval",
        "--policy",
        p.to_str().expect("utf-8"),
        "--period",
        "2022-06",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let base = zhibiao(&["eval", "--period", "2022-06", "--format", "json"]);
    let b: serde_json::Value = serde_json::from_slice(&base.stdout).expect("json");
    let den = |v: &serde_json::Value| {
        v["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["indicator"] == "HC3a" && r["department"] == "court")
            .expect("row")["denominator"]
            .as_f64()
    };
    assert!(
        den(&j) < den(&b),
        "fewer service items in scope: {:?} vs {:?}",
        den(&j),
        den(&b)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_relation_of_a_table_to_itself_is_resolved() {
    // cases.origin_id → cases (原审案号); every example case points at itself.
    let dir = policy_variant(
        "self-rel",
        "indicator ZZ \"自关联\" {\n  count cases by filed_on\n  numerator require origin.category = category\n}",
        |s| {
            s.replace(
                "      - { name: closed_on, type: date, nullable: true, title: 结案日期 }",
                "      - { name: closed_on, type: date, nullable: true, title: 结案日期 }\n      - { name: origin_id, type: text, ref: cases, as: origin, nullable: true }",
            )
        },
    );
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data");
    copy_dir(Path::new("examples/data"), &data);
    let cases = std::fs::read_to_string(data.join("cases.csv")).expect("cases");
    let mut out = String::new();
    let mut rdr = csv::Reader::from_reader(cases.as_bytes());
    let header = rdr.headers().expect("header").clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut h: Vec<String> = header.iter().map(str::to_string).collect();
    h.push("origin_id".into());
    w.write_record(&h).expect("header");
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let mut f: Vec<String> = rec.iter().map(str::to_string).collect();
        f.push(f[0].clone());
        w.write_record(&f).expect("row");
    }
    out.push_str(&String::from_utf8(w.into_inner().expect("bytes")).expect("utf-8"));
    std::fs::write(data.join("cases.csv"), out).expect("write");
    let p = dir.join("p.zb");
    let o = zhibiao(&[
        "eval",
        "--policy",
        p.to_str().expect("utf-8"),
        "--data",
        data.to_str().expect("utf-8"),
        "--period",
        "2022-06",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let zz = j["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["indicator"] == "ZZ" && r["department"] == "court")
        .expect("ZZ")
        .clone();
    assert_eq!(zz["numerator"], zz["denominator"], "{zz}");
    assert!(zz["denominator"].as_f64() > Some(0.0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lenient_still_fails_on_a_table_that_cannot_be_read() {
    let dir = temp_dir("lenient-file");
    copy_dir(Path::new("examples/data"), &dir);
    std::fs::write(dir.join("hearings.csv"), "").expect("empty");
    let o = zhibiao(&[
        "eval",
        "--period",
        "2022-06",
        "--data",
        dir.to_str().expect("utf-8"),
        "--lenient",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn key_and_relation_columns_must_be_text() {
    let dir = policy_variant("int-key", "", |s| {
        s.replace(
            "{ name: officer_id, type: text, key: true }",
            "{ name: officer_id, type: int, key: true }",
        )
    });
    let o = zhibiao(&["check", dir.join("p.zb").to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`officers.officer_id` must be `text`"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_report_ends_with_the_departments_to_chase() {
    let o = zhibiao(&["eval", "--period", "2022-06"]);
    let out = stdout(&o);
    let at = out
        .find("未达标 below target, by department:")
        .expect("a chase list");
    let list = &out[at..];
    // HC1's court target (90, owned by 立案庭) is missed in June: 230 / 257 = 89.49%.
    assert!(
        list.contains("全院 court: HC1 网上立案率 89.49% (≥90)"),
        "{list}"
    );
    // The court comes last: after its line and their continuations (indented
    // under it), the list ends.
    let court = list.find("全院 court:").expect("court");
    assert!(
        list[court..]
            .lines()
            .skip(1)
            .find(|l| !l.starts_with("    "))
            .is_some_and(|l| l.trim().is_empty()),
        "{list}"
    );
    let md = stdout(&zhibiao(&[
        "eval", "--period", "2022-06", "--format", "markdown",
    ]));
    assert!(md.contains("## 未达标部门 (below target)"));
}

#[test]
fn reasons_are_in_the_language_asked_for_and_json_keeps_their_kind() {
    // June 2022: some departments count no records for some indicators.
    let undefined = |j: &serde_json::Value| -> Vec<(String, String)> {
        j["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["value"].is_null())
            .map(|r| {
                (
                    r["undefined"]["kind"].as_str().expect("kind").to_string(),
                    r["undefined_reason"].as_str().expect("reason").to_string(),
                )
            })
            .collect()
    };
    let args = ["eval", "--period", "2022-06", "--format", "json"];
    let en = common::zhibiao_env(&args, &[]);
    let zh = common::zhibiao_env(&[&args[..], &["--lang", "zh"]].concat(), &[]);
    let by_locale = common::zhibiao_env(&args, &[("LANG", "zh_CN.UTF-8")]);
    let by_own = common::zhibiao_env(&args, &[("LANG", "zh_CN.UTF-8"), ("ZHIBIAO_LANG", "en")]);
    for o in [&en, &zh, &by_locale, &by_own] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    }
    let json = |o: &std::process::Output| -> serde_json::Value {
        serde_json::from_slice(&o.stdout).expect("json")
    };
    let (en, zh, by_locale, by_own) = (json(&en), json(&zh), json(&by_locale), json(&by_own));
    assert_eq!(en["language"], "en");
    assert_eq!(zh["language"], "zh");
    let (e, z) = (undefined(&en), undefined(&zh));
    assert!(!e.is_empty(), "June has undefined figures");
    // The same figures, the same kinds; the words differ.
    assert_eq!(
        e.iter().map(|x| &x.0).collect::<Vec<_>>(),
        z.iter().map(|x| &x.0).collect::<Vec<_>>()
    );
    for ((kind, en_text), (_, zh_text)) in e.iter().zip(&z) {
        if kind == "no_records" {
            assert_eq!(en_text, "the denominator is 0 (no records)");
            assert_eq!(zh_text, "分母为 0（无记录）");
        }
        assert!(
            zh_text
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh_text}"
        );
    }
    // The locale decides when no flag is given; ZHIBIAO_LANG before it.
    assert_eq!(undefined(&by_locale), z);
    assert_eq!(undefined(&by_own), e);
    // The terminal report and the CSV say it the same way.
    let human = common::zhibiao_env(&["eval", "--period", "2022-06", "--lang", "zh"], &[]);
    assert!(
        stdout(&human).contains("无法计算：分母为 0（无记录）"),
        "{}",
        stdout(&human)
    );
    let csv = common::zhibiao_env(
        &[
            "eval", "--period", "2022-06", "--lang", "zh", "--format", "csv",
        ],
        &[],
    );
    assert!(stdout(&csv).contains("分母为 0（无记录）"));
}

#[test]
fn the_terminal_report_in_chinese() {
    // Every fixed word of the report in Chinese: header, core mark, the
    // court, the missed targets by department, the legend.
    let o = common::zhibiao_env(&["eval", "--period", "2022-06", "--lang", "zh"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for word in ["版本", "统计期", "[核心]", "未达标（按部门）：", "项未达标"] {
        assert!(text.contains(word), "{word}");
    }
    for word in ["version", "period", " court", "below target", "figure(s)"] {
        assert!(!text.contains(word), "{word} in:\n{text}");
    }
    insta::assert_snapshot!("eval_human_zh", text);
}

#[test]
fn data_errors_speak_the_language_asked_for() {
    // A filing date that is not a date, a department outside its list.
    let dir = fresh_dir("zb-e2e-data-zh");
    copy_dir(std::path::Path::new("examples/data"), &dir);
    let path = dir.join("cases.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let filed = header
        .iter()
        .position(|c| *c == "filed_on")
        .expect("filed_on");
    let mut f: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    f[filed] = "2022-13-45".into();
    lines[1] = f.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let data = dir.to_string_lossy().to_string();
    let run = |lang: &str| {
        common::zhibiao_env(
            &[
                "eval", "--period", "2022-06", "--data", &data, "--lang", lang,
            ],
            &[],
        )
    };
    let (zh, en) = (run("zh"), run("en"));
    assert_eq!(zh.status.code(), Some(3), "{}", stderr(&zh));
    assert!(
        stderr(&zh).contains("`2022-13-45` 不是日期"),
        "{}",
        stderr(&zh)
    );
    assert!(
        stderr(&zh).contains("处数据错误")
            && stderr(&zh).contains("提示：请修正导出文件，或加 `--lenient`"),
        "{}",
        stderr(&zh)
    );
    assert!(
        stderr(&en).contains("`2022-13-45` is not a date"),
        "{}",
        stderr(&en)
    );
    // The JSON of a lenient run: the problem typed, its message in Chinese.
    let j = common::zhibiao_env(
        &[
            "eval",
            "--period",
            "2022-06",
            "--data",
            &data,
            "--lang",
            "zh",
            "--lenient",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(j.status.code(), Some(0), "{}", stderr(&j));
    let j: serde_json::Value = serde_json::from_slice(&j.stdout).expect("json");
    let row = &j["dropped_rows"][0];
    assert_eq!(row["problem"]["kind"], "bad_value");
    assert_eq!(row["problem"]["expected"], "date");
    assert!(
        row["message"]
            .as_str()
            .expect("message")
            .contains("不是日期"),
        "{row}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
