//! One pass for many periods: `run_periods` gives, for every period, exactly
//! the report `eval` gives for that period alone, whatever the threads and
//! chunks, also for a policy whose formulas read other periods.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{chunked, one_thread};
use zhibiao::eval::{Nobody, Options, eval, run_periods};
use zhibiao::period::Period;

fn checked(path: &str) -> Arc<zhibiao::ir::Policy> {
    let loaded = zhibiao::workspace::load(Path::new(path)).expect("load");
    Arc::new(loaded.checked.policy.expect("checks"))
}

/// The weeks, months or quarters ending with `last`, oldest first.
fn trend(last: &str, n: usize) -> Vec<Period> {
    let mut v = vec![Period::parse(last).expect("period")];
    while v.len() < n {
        let before = v[0].previous();
        v.insert(0, before);
    }
    v
}

fn same_as_one_by_one(policy: &str, data: &str, periods: &[Period], opts: &Options) {
    let plan = zhibiao::plan::compile(checked(policy));
    let data = &*zhibiao::data::source::files(Path::new(data));
    let together = run_periods(&plan, data, periods, opts, &mut Nobody).expect("run_periods");
    assert_eq!(together.len(), periods.len());
    for (p, r) in periods.iter().zip(&together) {
        let alone = eval(&plan, data, p, opts).expect("eval");
        let (a, b) = (
            serde_json::to_string_pretty(r).expect("json"),
            serde_json::to_string_pretty(&alone).expect("json"),
        );
        // The first lines that differ, with the indicator they are under.
        let diff: Vec<String> = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .take(6)
            .map(|(i, (x, y))| format!("line {i}: together {x} / alone {y}"))
            .collect();
        assert!(
            diff.is_empty() && a.lines().count() == b.lines().count(),
            "{policy} for {}:\n{}",
            p.label,
            diff.join("\n")
        );
    }
}

#[test]
fn weeks_of_the_example_court() {
    let weeks = trend("2022-W23", 8);
    same_as_one_by_one(
        "policies/jiading-2022.zb",
        "examples/data",
        &weeks,
        &one_thread(),
    );
    same_as_one_by_one(
        "policies/jiading-2022.zb",
        "examples/data",
        &weeks,
        &chunked(),
    );
}

#[test]
fn months_and_a_year_of_the_example_court() {
    let mut periods = trend("2022-06", 6);
    periods.push(Period::parse("2022").expect("year"));
    periods.push(Period::parse("2022-Q2").expect("quarter"));
    same_as_one_by_one(
        "policies/jiading-2022.zb",
        "examples/data",
        &periods,
        &chunked(),
    );
}

#[test]
fn other_periods_read_by_formulas() {
    // The quality policy's formulas read `previous(…)` and `last_year(…)`.
    let months = trend("2024-06", 4);
    same_as_one_by_one(
        "examples/quality/quality-2024.zb",
        "examples/quality/data",
        &months,
        &chunked(),
    );
    let quarters = trend("2024-Q4", 3);
    same_as_one_by_one(
        "examples/quality/quality-2024.zb",
        "examples/quality/data",
        &quarters,
        &one_thread(),
    );
}
