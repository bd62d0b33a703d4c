//! The 审判质量管理指标体系 example (`examples/quality`): its policy tests pass
//! with full rule coverage, and its figures for 2024 on the shipped data agree
//! with the same figures computed here straight from the CSV files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::collections::HashMap;

use chrono::{Months, NaiveDate, NaiveDateTime};
use common::{stderr, stdout, zhibiao};

const DATA: &str = "examples/quality/data";

/// One row of cases.csv, the columns the checks need.
struct Case {
    case_id: String,
    level: String,
    filed: NaiveDate,
    closed: Option<NaiveDate>,
    limit: i64,
    extended: Option<i64>,
    claim: Option<f64>,
}

fn day(s: &str) -> NaiveDate {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .map(|t| t.date())
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

/// The rows of a CSV file of the shipped data, as maps from column to value.
fn rows(file: &str) -> Vec<HashMap<String, String>> {
    let path = format!("{}/{DATA}/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut r = csv::Reader::from_path(&path).expect("open csv");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let opt = |s: &String| (!s.is_empty()).then(|| s.clone());
    rows("cases.csv")
        .iter()
        .map(|r| Case {
            case_id: r["case_id"].clone(),
            level: r["level"].clone(),
            filed: day(&r["filed_at"]),
            closed: opt(&r["closed_at"]).map(|s| day(&s)),
            limit: r["limit_days"].parse().expect("limit_days"),
            extended: opt(&r["extended_days"]).map(|s| s.parse().expect("extended_days")),
            claim: opt(&r["claim_amount"]).map(|s| s.parse().expect("claim_amount")),
        })
        .collect()
}

/// The court's own cases (first instance and enforcement), as the policy's `本院案件`.
fn own(c: &Case) -> bool {
    c.level == "一审" || c.level == "执行"
}

fn in_2024(d: NaiveDate) -> bool {
    d.format("%Y").to_string() == "2024"
}

/// The court's figure of an indicator in `eval --format json`: (numerator, denominator, value).
fn court(json: &serde_json::Value, indicator: &str) -> (Option<f64>, Option<f64>, f64) {
    let r = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["indicator"] == indicator && r["department"] == "court")
        .unwrap_or_else(|| panic!("no court figure for {indicator}"));
    (
        r["numerator"].as_f64(),
        r["denominator"].as_f64(),
        r["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("{indicator}: undefined")),
    )
}

fn close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() < 1e-9,
        "{what}: the policy gives {got}, the CSV files {want}"
    );
}

#[test]
fn policy_tests_pass_with_full_coverage() {
    let o = zhibiao(&["test", "examples/quality/tests", "--min-coverage", "100"]);
    assert!(
        o.status.success(),
        "zhibiao test failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("rule coverage: 100.0%"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn figures_of_2024_agree_with_the_csv_files() {
    let o = zhibiao(&[
        "eval",
        "--policy",
        "examples/quality",
        "--data",
        DATA,
        "--period",
        "2024",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "eval failed: {}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let cases = cases();

    // Closed in 2024: 平均审理天数 and 法定审限内结案率 (days from the day after filing).
    let closed: Vec<(&Case, i64)> = cases
        .iter()
        .filter(|c| own(c))
        .filter_map(|c| {
            let d = c.closed.filter(|&d| in_2024(d))?;
            Some((c, (d - c.filed).num_days()))
        })
        .collect();
    assert!(closed.len() > 100, "the data has cases closed in 2024");
    let avg = closed.iter().map(|(_, d)| *d as f64).sum::<f64>() / closed.len() as f64;
    close("平均审理天数", court(&json, "平均审理天数").2, avg);

    let on_time = closed
        .iter()
        .filter(|(c, d)| *d <= c.limit + c.extended.unwrap_or(0))
        .count();
    let (n, d, v) = court(&json, "法定审限内结案率");
    close(
        "法定审限内结案率 numerator",
        n.expect("numerator"),
        on_time as f64,
    );
    close(
        "法定审限内结案率 denominator",
        d.expect("denominator"),
        closed.len() as f64,
    );
    close(
        "法定审限内结案率",
        v,
        on_time as f64 / closed.len() as f64 * 100.0,
    );

    // 结收比: closed in 2024 over filed in 2024.
    let filed = cases.iter().filter(|c| own(c) && in_2024(c.filed)).count();
    close(
        "结收比",
        court(&json, "结收比").2,
        closed.len() as f64 / filed as f64,
    );

    // 长期未结案件数: pending at 2024-12-31 and filed before 2023-12-31 (12 months).
    let end = NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
    let year_before = end - Months::new(12);
    let long = cases
        .iter()
        .filter(|c| own(c) && c.filed < year_before && c.closed.is_none_or(|d| d > end))
        .count();
    close(
        "长期未结案件数",
        court(&json, "长期未结案件数").2,
        long as f64,
    );

    // 执行到位率: every payment of the 执行 cases closed in 2024 over their claims.
    let enforced: HashMap<&str, f64> = cases
        .iter()
        .filter(|c| c.level == "执行" && c.closed.is_some_and(in_2024))
        .filter_map(|c| Some((c.case_id.as_str(), c.claim?)))
        .collect();
    let claimed: f64 = enforced.values().sum();
    let paid: f64 = rows("payments.csv")
        .iter()
        .filter(|p| enforced.contains_key(p["case_id"].as_str()))
        .map(|p| p["amount"].parse::<f64>().expect("amount"))
        .sum();
    assert!(paid > 0.0, "the data has payments");
    let got = court(&json, "执行到位率").2;
    assert!(
        (got - paid / claimed * 100.0).abs() < 1e-6,
        "执行到位率: the policy gives {got}, the CSV files {}",
        paid / claimed * 100.0
    );
}
