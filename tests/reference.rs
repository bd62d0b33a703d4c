//! The engine against the reference evaluator (`tests/model/mod.rs`):
//! on the shipped policies and data, for a month, a week and a quarter (and
//! the periods of the other policies), every figure and every record's
//! outcome agree.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod model;
use model as reference;
use zhibiao::data::source::files;

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
            let got = eval(&plan, &*files(data), &period, &opts).expect("eval");
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
        run(&plan, &*files(data), &period, &one, &mut obs).expect("run");
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
fn keys_fixture() {
    for policy in [
        "tests/fixtures/keys/policy.zb",
        "tests/fixtures/keys/decimal.zb",
    ] {
        agree(
            policy,
            "tests/fixtures/keys/data",
            &["2024-01", "2024-W02", "2024-Q1"],
        );
    }
}

#[test]
fn derived_cases_fixture() {
    agree(
        "tests/fixtures/derived/policy.zb",
        "tests/fixtures/derived/data",
        &["2024-01", "2024-W02", "2024-Q1"],
    );
}

/// The shipped schema, for generated policies.
fn schema() -> Arc<zhibiao::schema::Schema> {
    Arc::new(zhibiao::schema::Schema::load(Path::new("policies/schema.yaml")).expect("schema"))
}

/// A generated policy, checked; its errors when it has any.
fn checked(
    text: &str,
    schema: &Arc<zhibiao::schema::Schema>,
) -> Result<zhibiao::ir::Policy, String> {
    let src = zhibiao::source::SourceFile::new("random.zb", text.to_string());
    let file = zhibiao::syntax::parse(&src).map_err(|e| e.to_string())?;
    let c = zhibiao::check::check(&src, &file, schema.clone());
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| zhibiao::check::is_error(d))
        .map(|d| d.to_string())
        .collect();
    match c.policy {
        Some(p) if errors.is_empty() => Ok(p),
        _ => Err(errors.join("\n")),
    }
}

#[test]
fn most_generated_policies_check() {
    // The random policies below are worth little if most are refused.
    let schema = schema();
    let mut ok = 0;
    let mut refused = Vec::new();
    for seed in 0..200 {
        let text = reference::random::policy(&mut reference::random::Rng::new(seed));
        match checked(&text, &schema) {
            Ok(_) => ok += 1,
            Err(e) => refused.push(format!("{e}\n{text}")),
        }
    }
    assert!(
        ok >= 180,
        "{ok} of 200 check; the first refused:\n{}",
        refused.first().map_or("", |s| s.as_str())
    );
}

/// Engine and reference on one random court and policy, for one period.
fn random_case(seed: u64, period: &str) -> Result<(), String> {
    let schema = schema();
    let mut r = reference::random::Rng::new(seed);
    let text = reference::random::policy(&mut r);
    let Ok(policy) = checked(&text, &schema) else {
        return Ok(());
    };
    let policy = Arc::new(policy);
    let dir = std::env::temp_dir().join(format!("zhibiao-reference-{}-{seed}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    reference::random::court(&mut r, &dir);
    let period = Period::parse(period).expect("period");
    let plan = zhibiao::plan::compile(policy.clone());
    let want = reference::eval(&policy, &reference::read(&schema, &dir), &period);
    let fail = |what: String| Err(format!("seed {seed}, {}: {what}\n{text}", dir.display()));
    for opts in [
        Options {
            threads: 1,
            ..Options::default()
        },
        // Every file in chunks of a few rows.
        Options {
            threads: 2,
            chunk_bytes: 64,
            ..Options::default()
        },
    ] {
        let got = match eval(&plan, &*files(&dir), &period, &opts) {
            Ok(g) => g,
            Err(e) => return fail(format!("{e:?}")),
        };
        let diffs = reference::figure_diffs(&reference::engine_figures(&got), &want.figures);
        if !diffs.is_empty() {
            return fail(format!("{} threads: {}", opts.threads, diffs.join("\n")));
        }
    }
    let mut obs = Explainer::new(Selector::All);
    let one = Options {
        threads: 1,
        ..Options::default()
    };
    run(&plan, &*files(&dir), &period, &one, &mut obs).expect("run");
    let diffs = reference::record_diffs(
        &reference::engine_records(&policy, &obs.outcomes),
        &want.records,
    );
    if !diffs.is_empty() {
        return fail(diffs.join("\n"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

proptest::proptest! {
    // `REFERENCE_CASES=5000` for a longer search.
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: std::env::var("REFERENCE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..Default::default()
    })]

    /// Random small courts and random small policies: the engine and the
    /// reference agree on every figure and every record's outcome.
    #[test]
    fn random_policies_on_random_courts_agree(
        seed in proptest::prelude::any::<u64>(),
        period in proptest::sample::select(vec!["2022-06", "2022-W23", "2022-Q2", "2022-06-01..2022-06-10"]),
    ) {
        let r = random_case(seed, period);
        proptest::prop_assert!(r.is_ok(), "{}", r.err().unwrap_or_default());
    }
}

/// A scope rule on a table that is read only for an aggregate of its parent
/// rows (`any(hearings, …)` on cases, nothing counting hearings) made the
/// engine panic ("plan: column not read"): it decided the scope of rows it
/// counted for no indicator. Found by the random comparison above.
#[test]
fn scope_rule_on_a_table_read_only_for_an_aggregate() {
    let head = "policy \"回归\" {\n  document \"测试\"\n  version \"1\"\n  effective 2022-01-01\n  schema \"schema.yaml\"\n}\n\
        departments 民事庭\ndepartment of cases = department\ndepartment of hearings = case.department\n\
        scope exclude hearings where result is empty because \"无开庭结果\"\n\
        indicator A \"有庭改庭审的案件占比\" {\n  count cases by filed_on\n  numerator require any(hearings, record_reform)\n}\n";
    // The same, with an indicator that counts hearings: their scope is then read anyway.
    let also = format!(
        "{head}indicator B \"庭改率\" {{\n  count hearings by scheduled_at\n  numerator require record_reform\n}}\n"
    );
    let dir = std::env::temp_dir().join(format!(
        "zhibiao-reference-agg-scope-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("cases.csv"),
        "case_id,department,category,procedure,panel,jurors,filed_on,filing_channel,closed_on\n\
         C1,民事庭,民事,普通程序,独任,否,2022-06-01,网上立案,\n\
         C2,民事庭,民事,普通程序,独任,否,2022-06-02,网上立案,\n",
    )
    .expect("cases");
    std::fs::write(
        dir.join("hearings.csv"),
        "hearing_id,case_id,kind,scheduled_at,status,ended_at,result,result_entered_at,record_reform,mode,president_present\n\
         H1,C1,庭审,2022-06-05 09:00:00,已开庭,,,,是,线下,否\n\
         H2,C2,庭审,2022-06-06 09:00:00,已开庭,,判决,,否,线下,否\n",
    )
    .expect("hearings");
    let schema = schema();
    let period = Period::parse("2022-06").expect("period");
    let mut values = Vec::new();
    for text in [head.to_string(), also] {
        let policy = Arc::new(checked(&text, &schema).expect("checks"));
        let plan = zhibiao::plan::compile(policy.clone());
        let got = eval(&plan, &*files(&dir), &period, &Options::default()).expect("eval");
        let want = reference::eval(&policy, &reference::read(&schema, &dir), &period);
        let diffs = reference::figure_diffs(&reference::engine_figures(&got), &want.figures);
        assert!(diffs.is_empty(), "{}", diffs.join("\n"));
        let a = got
            .indicator("A")
            .and_then(|i| i.figure("court"))
            .expect("A");
        values.push((a.numerator, a.denominator));
    }
    // An aggregate reads every related row, in scope or not: C1 has H1 with
    // record_reform (its empty result puts H1 itself out of scope, not out of
    // its case's `any`), C2 has none: 1 of 2, with or without B.
    assert_eq!(values, vec![(Some(1.0), Some(2.0)); 2]);
    let _ = std::fs::remove_dir_all(&dir);
}
