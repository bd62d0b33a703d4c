//! The engine against the reference evaluator (`tests/model/mod.rs`):
//! on the shipped policies and data, for a month, a week and a quarter (and
//! the periods of the other policies), every figure and every record's
//! outcome agree.

mod model;
use model as reference;

use std::path::Path;
use std::sync::Arc;

use zhibiao::eval::{Options, eval, run};
use zhibiao::explain::{Explainer, Selector};
use zhibiao::period::Period;

fn load(path: &str) -> Arc<zhibiao::ir::Policy> {
    let loaded = zhibiao::workspace::load(Path::new(path)).expect("load");
    Arc::new(loaded.checked.policy.expect("checks"))
}

/// Engine and reference agree on `data` for each period: figures on one
/// thread and on several in small chunks, and every record's outcome.
fn agree(policy: &str, data: &str, periods: &[&str]) {
    let policy = load(policy);
    let plan = zhibiao::plan::compile(policy.clone());
    let data = Path::new(data);
    let tables = reference::read(&policy.schema, data);
    for label in periods {
        let period = Period::parse(label).expect("period");
        let want = reference::eval(&policy, &tables, &period);
        assert!(!want.figures.is_empty(), "{label}: no figures");
        for opts in [
            Options {
                threads: 1,
                ..Options::default()
            },
            Options {
                threads: 2,
                chunk_bytes: 4096,
                ..Options::default()
            },
        ] {
            let got = eval(&plan, data, &period, &opts).expect("eval");
            let diffs = reference::figure_diffs(&reference::engine_figures(&got), &want.figures);
            assert!(
                diffs.is_empty(),
                "{label} ({} threads): {} figures differ:\n{}",
                opts.threads,
                diffs.len(),
                diffs[..diffs.len().min(20)].join("\n")
            );
        }
        let mut obs = Explainer::new(Selector::All);
        let one = Options {
            threads: 1,
            ..Options::default()
        };
        run(&plan, data, &period, &one, &mut obs).expect("run");
        let got = reference::engine_records(&policy, &obs.outcomes);
        assert!(!got.is_empty(), "{label}: no records");
        let diffs = reference::record_diffs(&got, &want.records);
        assert!(
            diffs.is_empty(),
            "{label}: {} record outcomes differ:\n{}",
            diffs.len(),
            diffs[..diffs.len().min(20)].join("\n")
        );
    }
}

#[test]
fn jiading_policy_on_the_example_court() {
    agree(
        "policies/jiading-2022.zb",
        "examples/data",
        &["2022-06", "2022-W23", "2022-Q2"],
    );
}

#[test]
fn quality_policy_on_its_example_court() {
    agree(
        "examples/quality/quality-2024.zb",
        "examples/quality/data",
        &["2024-06", "2024-W23", "2024-Q2", "2024"],
    );
}

#[test]
fn derived_cases_fixture() {
    agree(
        "tests/fixtures/derived/policy.zb",
        "tests/fixtures/derived/data",
        &["2024-01", "2024-W02", "2024-Q1"],
    );
}
