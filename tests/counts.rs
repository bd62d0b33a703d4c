//! `zhibiao eval --counts`: the figures from the rows another engine
//! returned for the query `zhibiao sql` writes. The fixture is what
//! PostgreSQL returned (`psql --csv`) for the shipped policy's query over
//! `examples/data` for 2022-06; `tests/sql/run.sh` makes such rows afresh on
//! DuckDB and PostgreSQL for more periods and policies. Here: the report from
//! them is the native one, and every way a counts file can be wrong is an
//! error naming the row.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/counts/jiading-2022-06.csv";

fn zhibiao(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(args)
        .env("ZHIBIAO_LANG", "en")
        .output()
        .expect("runs")
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The report without what only a reading of the data has: the tables read.
fn figures(mut v: serde_json::Value) -> serde_json::Value {
    let o = v.as_object_mut().unwrap();
    o.remove("data");
    o.remove("data_as_of");
    o.remove("dropped_rows");
    o.remove("counted_by");
    v
}

#[test]
fn the_report_from_counts_is_the_native_report() {
    let native = json(&zhibiao(&[
        "eval", "--period", "2022-06", "--format", "json",
    ]));
    let counted = json(&zhibiao(&[
        "eval", "--counts", FIXTURE, "--period", "2022-06", "--format", "json",
    ]));
    let (native, counted) = (figures(native), figures(counted));
    assert!(
        same(&native, &counted),
        "{}",
        first_difference(&native, &counted, "")
    );
}

/// The same report, numbers equal to 1e-9 of their size: a server adds a
/// sum's amounts as floating-point numbers in its own order, zhibiao exactly.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> String {
    use serde_json::Value as J;
    match (a, b) {
        (J::Array(x), J::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find(|(_, (a, b))| !same(a, b))
            .map(|(i, (a, b))| first_difference(a, b, &format!("{at}[{i}]")))
            .unwrap_or_default(),
        (J::Object(x), J::Object(y)) if x.len() == y.len() => x
            .iter()
            .find(|(k, v)| !y.get(*k).is_some_and(|w| same(v, w)))
            .map(|(k, v)| first_difference(v, &y[k], &format!("{at}.{k}")))
            .unwrap_or_default(),
        _ => format!("{at}: native {a}, from counts {b}"),
    }
}

#[test]
fn counts_as_json_lines_and_as_a_json_array_give_the_same_report() {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<serde_json::Value> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            let mut o = serde_json::Map::new();
            for (h, v) in header.iter().zip(rec.iter()) {
                // As a warehouse writes JSON: numbers as numbers, NULL as null.
                let x = if v.is_empty() {
                    serde_json::Value::Null
                } else if let Ok(n) = v.parse::<i64>() {
                    n.into()
                } else if let Ok(f) = v.parse::<f64>() {
                    f.into()
                } else {
                    v.into()
                };
                o.insert(h.clone(), x);
            }
            serde_json::Value::Object(o)
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("zb-counts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lines = dir.join("rows.jsonl");
    let array = dir.join("rows.json");
    std::fs::write(
        &lines,
        rows.iter()
            .map(|r| r.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    std::fs::write(&array, serde_json::Value::Array(rows).to_string()).unwrap();
    let from_csv = json(&zhibiao(&[
        "eval", "--counts", FIXTURE, "--period", "2022-06", "--format", "json",
    ]));
    for f in [&lines, &array] {
        let got = json(&zhibiao(&[
            "eval",
            "--counts",
            f.to_str().unwrap(),
            "--period",
            "2022-06",
            "--format",
            "json",
        ]));
        assert_eq!(from_csv, got, "{}", f.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The fixture with one change: `edit` gets its lines and changes them.
fn broken(name: &str, edit: impl Fn(&mut Vec<String>)) -> std::path::PathBuf {
    let mut lines: Vec<String> = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    edit(&mut lines);
    let dir = std::env::temp_dir().join(format!("zb-counts-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.csv"));
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn errors_of(path: &Path, lang: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args([
            "eval",
            "--counts",
            path.to_str().unwrap(),
            "--period",
            "2022-06",
        ])
        .env("ZHIBIAO_LANG", lang)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr)
        .unwrap()
        .replace(path.parent().unwrap().to_str().unwrap(), "DIR")
}

#[test]
fn a_wrong_counts_file_is_an_error_naming_the_row() {
    let find =
        |lines: &[String], start: &str| lines.iter().position(|l| l.starts_with(start)).unwrap();
    let cases: Vec<(&str, std::path::PathBuf)> = vec![
        (
            "missing_column",
            broken("missing_column", |l| {
                l[0] = l[0].replace("grain,", "grains,");
            }),
        ),
        (
            "unknown_indicator",
            broken("unknown_indicator", |l| {
                let i = find(l, "HC4,");
                l[i] = l[i].replacen("HC4,", "HC44,", 1);
            }),
        ),
        (
            "wrong_kind",
            broken("wrong_kind", |l| {
                let i = find(l, "HC4,1,ratio");
                l[i] = l[i].replacen("ratio", "sum", 1);
            }),
        ),
        (
            "unknown_part",
            broken("unknown_part", |l| {
                let i = find(l, "HC4,1,ratio");
                l[i] = l[i].replacen("HC4,1,", "HC4,7,", 1);
            }),
        ),
        (
            "not_a_count",
            broken("not_a_count", |l| {
                let i = find(l, "HC1,1,ratio,court");
                l[i] = l[i].replacen(",230,", ",23.5,", 1);
            }),
        ),
        (
            "twice",
            broken("twice", |l| {
                let i = find(l, "HC1,1,ratio,court");
                let again = l[i].clone();
                l.push(again);
            }),
        ),
        (
            "other_period",
            broken("other_period", |l| {
                let i = find(l, "HC1,1,ratio,court");
                l[i] = l[i].replace("2022-06-01,2022-06-30", "2022-05-01,2022-05-31");
            }),
        ),
        (
            "no_rows",
            broken("no_rows", |l| {
                l.truncate(1);
            }),
        ),
    ];
    for (name, path) in &cases {
        for lang in ["en", "zh"] {
            insta::assert_snapshot!(format!("counts_{name}_{lang}"), errors_of(path, lang));
        }
    }
}

#[test]
fn the_query_names_the_other_periods_formulas_read() {
    let out = zhibiao(&[
        "sql",
        "--dialect",
        "postgres",
        "--policy",
        "examples/quality",
        "--period",
        "2024-06",
    ]);
    let sql = String::from_utf8(out.stdout).unwrap();
    let others: Vec<&str> = sql
        .lines()
        .filter(|l| l.starts_with("-- formulas also read the period"))
        .collect();
    assert_eq!(
        others,
        [
            "-- formulas also read the period 2024-05: 2024-05-01 – 2024-05-31 (run this query for it too)",
            "-- formulas also read the period 2023-06: 2023-06-01 – 2023-06-30 (run this query for it too)",
        ]
    );
}

#[test]
fn a_period_formulas_read_and_the_counts_lack_is_a_warning() {
    // The rows DuckDB returned for the quality policy's query of 2024-06
    // alone: its formulas read 2024-05 and 2023-06 too.
    let r = json(&zhibiao(&[
        "eval",
        "--policy",
        "examples/quality",
        "--counts",
        "tests/fixtures/counts/quality-2024-06.jsonl",
        "--period",
        "2024-06",
        "--format",
        "json",
    ]));
    let kinds: Vec<(String, String)> = r["warnings_detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["kind"].as_str().unwrap().to_string(),
                w["period"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("not_counted".to_string(), "2024-05".to_string()),
            ("not_counted".to_string(), "2023-06".to_string()),
        ]
    );
    // What reads them is undefined, saying why; what does not is defined.
    let figure = |r: &serde_json::Value, code: &str, field: &str| -> serde_json::Value {
        r["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["indicator"] == code)
            .unwrap()["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["department"] == "court")
            .unwrap()[field]
            .clone()
    };
    assert_eq!(
        figure(&r, "法定审限内结案率环比", "undefined")["kind"],
        "prior_not_evaluated"
    );
    let native = json(&zhibiao(&[
        "eval",
        "--policy",
        "examples/quality",
        "--data",
        "examples/quality/data",
        "--period",
        "2024-06",
        "--format",
        "json",
    ]));
    assert_eq!(
        figure(&r, "结收比", "value"),
        figure(&native, "结收比", "value")
    );
    assert!(figure(&native, "法定审限内结案率环比", "value").is_number());
}
