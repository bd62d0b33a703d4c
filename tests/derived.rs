//! A schema whose cases derive from other cases and are handled by judges
//! (`tests/fixtures/derived`): aggregates over a relation from a table to
//! itself, and one case's explanation when the case table has relations.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use common::{stderr, stdout, zhibiao};

const POLICY: &str = "tests/fixtures/derived/policy.zb";
const DATA: &str = "tests/fixtures/derived/data";

#[test]
fn derived_case_figures_are_worked_out_by_hand() {
    // The figures are in the YAML, with their arithmetic in comments.
    let o = zhibiao(&[
        "test",
        "tests/fixtures/derived/tests",
        "--min-coverage",
        "100",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn one_case_is_explained_when_the_case_table_has_relations() {
    // cases.judge_id -> judges: the judge row does not hold the case id.
    let o = zhibiao(&[
        "explain", "--policy", POLICY, "--data", DATA, "--period", "2024-01", "--case", "C1",
        "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let got: Vec<String> = j["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|x| {
            format!(
                "{} {} {} {} {}",
                x["key"], x["indicator"], x["outcome"], x["measure"], x["amount"]
            )
        })
        .collect();
    insta::assert_snapshot!(got.join("\n"));
}

#[test]
fn one_case_reads_the_same_outcomes_as_the_whole_table() {
    // The same case's outcomes, read by its row key instead of as a case.
    let case = zhibiao(&[
        "explain", "--policy", POLICY, "--data", DATA, "--period", "2024-01", "--case", "C4",
        "--format", "json",
    ]);
    let row = zhibiao(&[
        "explain", "--policy", POLICY, "--data", DATA, "--period", "2024-01", "cases:C4",
        "--format", "json",
    ]);
    assert_eq!(case.status.code(), Some(0), "{}", stderr(&case));
    assert_eq!(row.status.code(), Some(0), "{}", stderr(&row));
    let pick = |o: &std::process::Output| -> Vec<String> {
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        j["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter(|x| x["key"] == "C4")
            .map(|x| format!("{} {} {}", x["indicator"], x["outcome"], x["trail"]))
            .collect()
    };
    assert_eq!(pick(&case), pick(&row));
    assert!(!pick(&case).is_empty());
}
