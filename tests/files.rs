//! The files people open: CSV a spreadsheet reads (BOM or GBK, a period
//! column, rounded values, targets as text), the format a file name implies,
//! Markdown that is Markdown, and a terminal report that fits its width.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::PathBuf;

use common::{fresh_dir, stderr, stdout, zhibiao};

fn temp(name: &str) -> PathBuf {
    fresh_dir(&format!("zhibiao-files-{name}"))
}

fn eval_csv(extra: &[&str]) -> Vec<u8> {
    let mut args = vec!["eval", "--period", "2022-06", "--format", "csv"];
    args.extend_from_slice(extra);
    let o = zhibiao(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o.stdout
}

/// The rows of a CSV text, header first.
fn rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|x| x.expect("record").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_is_utf8_with_a_bom_by_default_and_reads_back() {
    let bytes = eval_csv(&[]);
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte order mark first"
    );
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8 after the mark");
    insta::assert_snapshot!("eval_2022_06_csv", text);
    // `utf-8` is the same text without the mark.
    let plain = eval_csv(&["--csv-encoding", "utf-8"]);
    assert_eq!(plain, &bytes[3..]);
}

#[test]
fn csv_in_gbk_decodes_to_the_same_text() {
    let gbk = eval_csv(&["--csv-encoding", "gbk"]);
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&gbk);
    assert!(!had_errors, "every byte decodes as GBK");
    let utf8 = eval_csv(&["--csv-encoding", "utf-8"]);
    assert_eq!(text, String::from_utf8(utf8).expect("utf-8"));
    assert!(std::str::from_utf8(&gbk).is_err(), "it is not UTF-8");
    // explain's lists too.
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--indicator",
        "HC4",
        "--department",
        "民事庭",
        "--list",
        "excluded",
        "--format",
        "csv",
        "--csv-encoding",
        "gbk",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&o.stdout);
    assert!(!had_errors);
    let table = rows(&text);
    assert_eq!(
        table[0][..3],
        ["period".to_string(), "indicator".into(), "table".into()]
    );
    assert!(
        table[1..]
            .iter()
            .all(|r| r[0] == "2022-06" && r[5] == "民事庭")
    );
}

#[test]
fn csv_cells_stack_by_period_round_as_shown_and_write_targets_as_text() {
    let bytes = eval_csv(&["--csv-encoding", "utf-8"]);
    let table = rows(std::str::from_utf8(&bytes).expect("utf-8"));
    let col = |name: &str| table[0].iter().position(|h| h == name).expect(name);
    let (period, ind, dept, value, targets) = (
        col("period"),
        col("indicator"),
        col("department"),
        col("value"),
        col("targets"),
    );
    let cell = |i: &str, d: &str, c: usize| {
        table
            .iter()
            .find(|r| r[ind] == i && r[dept] == d)
            .map(|r| r[c].clone())
            .expect("row")
    };
    assert!(table[1..].iter().all(|r| r[period] == "2022-06"));
    // The value as the report prints it (70.70%), the full one in the JSON.
    assert_eq!(cell("HC3", "立案庭", value), "70.70");
    let j = zhibiao(&["eval", "--period", "2022-06", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&j.stdout).expect("json");
    let full = j["results"]
        .as_array()
        .and_then(|r| {
            r.iter()
                .find(|x| x["indicator"] == "HC3" && x["department"] == "立案庭")
        })
        .and_then(|x| x["value"].as_f64())
        .expect("HC3 立案庭");
    assert!((full - 70.70).abs() < 0.005 && full != 70.70, "{full}");
    // Targets read as a Chinese table writes them, never as a formula:
    // `≥70%` for `>= 70`, `达到100%` for the document's `= 100`.
    assert_eq!(cell("HC4", "立案庭", targets), "≥70%");
    assert_eq!(cell("HC11", "民事庭", targets), "达到100%");
    for r in &table[1..] {
        assert!(
            !zhibiao::output::is_formula_like(&r[targets]),
            "{:?} would be a formula",
            r[targets]
        );
    }
}

#[test]
fn csv_encoding_is_for_csv_only() {
    let o = zhibiao(&["eval", "--period", "2022-06", "--csv-encoding", "gbk"]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("csv_encoding_without_csv", stderr(&o));
}

#[test]
fn output_takes_its_format_from_the_extension() {
    let dir = temp("ext");
    let run = |name: &str, extra: &[&str]| {
        let path = dir.join(name);
        let p = path.to_str().expect("utf-8 path");
        let mut args = vec!["eval", "--period", "2022-06", "--output", p];
        args.extend_from_slice(extra);
        let o = zhibiao(&args);
        (o, std::fs::read(&path).ok())
    };
    let (o, md) = run("周通报.md", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "the report goes to the file");
    let md = String::from_utf8(md.expect("written")).expect("utf-8");
    let direct = stdout(&zhibiao(&[
        "eval", "--period", "2022-06", "--format", "markdown",
    ]));
    assert_eq!(md, direct, ".md is markdown");
    let (_, csv) = run("周通报.CSV", &[]);
    assert!(csv.expect("written").starts_with(b"\xEF\xBB\xBFperiod,"));
    let (_, json) = run("out.json", &[]);
    let j: serde_json::Value = serde_json::from_slice(&json.expect("written")).expect("json");
    assert_eq!(j["format"], "zhibiao.eval/1");
    let (_, txt) = run("out.txt", &[]);
    let human = stdout(&zhibiao(&["eval", "--period", "2022-06"]));
    assert_eq!(
        String::from_utf8(txt.expect("written")).expect("utf-8"),
        human
    );
    // A name that says nothing is fine with `--format`, an error without.
    let (o, dat) = run("out.dat", &["--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dat.expect("written").starts_with(b"\xEF\xBB\xBFperiod,"));
    // Run where the file goes, so that messages name it as given.
    let here = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .env("ZHIBIAO_LANG", "en")
            .args(args)
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("run")
    };
    let o = here(&["eval", "--period", "2022-06", "--output", "周通报.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.join("周通报.xlsx").exists(), "nothing is written");
    let unknown = stderr(&o);
    // `--format` that contradicts the name is an error, not a misnamed file.
    let o = here(&[
        "eval",
        "--period",
        "2022-06",
        "--format",
        "csv",
        "--output",
        "周通报.md",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.join("周通报.md"))
            .ok()
            .as_deref(),
        Some(md.as_str()),
        "left as it was"
    );
    let contradicts = stderr(&o);
    // A format the command does not write.
    let o = here(&["history", "HC3", "--output", "history.md"]);
    assert_eq!(o.status.code(), Some(2));
    let unsupported = stderr(&o);
    insta::assert_snapshot!(
        "output_extension_errors",
        format!("{unknown}\n{contradicts}\n{unsupported}")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_that_writes_takes_output() {
    let dir = temp("every");
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "explain",
            "--period",
            "2022-06",
            "--indicator",
            "HC4",
            "--list",
            "excluded",
        ],
        vec!["graph"],
        vec!["impact", "HC9"],
        vec!["deps", "HC12"],
        vec!["targets"],
        vec!["history", "HC3", "--policy", "examples/amendments"],
        vec![
            "diff",
            "policies/jiading-2022.zb",
            "examples/amendments/jiading-2023-hc3.zb",
        ],
        vec!["test"],
        vec!["coverage", "--period", "2022-06"],
    ];
    for args in &commands {
        let name = args[0];
        let path = dir.join(format!("{name}.json"));
        let mut a = args.clone();
        a.extend(["--output", path.to_str().expect("utf-8")]);
        let o = zhibiao(&a);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{name} writes to the file");
        let text = std::fs::read_to_string(&path).expect("written");
        let j: Result<serde_json::Value, _> = serde_json::from_str(&text);
        assert!(j.is_ok(), "{name}: .json is JSON: {text}");
        // The same as `--format json` on standard output.
        let mut b = args.clone();
        b.extend(["--format", "json"]);
        assert_eq!(stdout(&zhibiao(&b)), text, "{name}");
        // And .txt is the terminal layout.
        let path = dir.join(format!("{name}.txt"));
        let mut c = args.clone();
        c.extend(["--output", path.to_str().expect("utf-8")]);
        let o = zhibiao(&c);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let text = std::fs::read_to_string(&path).expect("written");
        assert_eq!(stdout(&zhibiao(args)), text, "{name}");
    }
    // A graph in the formats only it writes.
    let dot = dir.join("g.gv");
    let o = zhibiao(&["graph", "--output", dot.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&dot).expect("written");
    assert_eq!(text, stdout(&zhibiao(&["graph", "--format", "dot"])));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eval_markdown_keeps_the_undefined_reasons() {
    let o = zhibiao(&["eval", "--period", "2022-06", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("eval_2022_06_markdown", stdout(&o));
}

#[test]
fn explain_markdown_is_markdown() {
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "hearings:H00000023",
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("explain_record_markdown", stdout(&o));
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--indicator",
        "HC4",
        "--department",
        "民事庭",
        "--list",
        "excluded",
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("explain_list_markdown", stdout(&o));
}

/// Every line of `text` fits `width` display columns.
fn fits(text: &str, width: usize) {
    for l in text.lines() {
        assert!(
            zhibiao::render::width_of(l) <= width,
            "wider than {width}: {l}"
        );
    }
}

#[test]
fn the_terminal_report_fits_80_columns() {
    let o = zhibiao(&["eval", "--period", "2022-06"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    fits(&out, 80);
    insta::assert_snapshot!("eval_2022_06_human_80", out);
}

#[test]
fn the_terminal_report_fits_a_narrow_width() {
    let o = zhibiao(&["eval", "--period", "2022-06", "--width", "60"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    fits(&out, 60);
    insta::assert_snapshot!("eval_2022_06_human_60", out);
    // `COLUMNS` says the same, and `--width` wins over it.
    let columns = std::process::Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args(["eval", "--period", "2022-06"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "60")
        .output()
        .expect("run");
    assert_eq!(stdout(&columns), out);
    let both = std::process::Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args(["eval", "--period", "2022-06", "--width", "80"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "60")
        .output()
        .expect("run");
    assert_eq!(
        stdout(&both),
        stdout(&zhibiao(&["eval", "--period", "2022-06"]))
    );
    let o = zhibiao(&["eval", "--period", "2022-06", "--width", "10"]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("width_too_narrow", stderr(&o));
}
