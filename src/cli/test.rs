//! `zhibiao test` (policy tests with rule coverage) and `zhibiao coverage`
//! (which rules fire on real data).

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{DiagFormat, Inputs, Output, exit};
use crate::testing::{
    Coverage, TestCase, TestFile, TestResult, coverage_on_data, parse_file, policy_for,
    policy_path, run_case, test_files,
};
use crate::words::testing::{RuleState, TestSaid};

pub struct Args {
    pub paths: Vec<PathBuf>,
    pub coverage: bool,
    pub min_coverage: Option<f64>,
    pub format: Option<DiagFormat>,
    pub output: Output,
    /// Write each case's data folder here instead of running the tests.
    pub write_data: Option<PathBuf>,
}

fn coverage_table(rules: &[crate::testing::RuleUse], only_missing: bool) -> String {
    let lang = super::lang();
    let rows: Vec<Vec<String>> = rules
        .iter()
        .filter(|r| !only_missing || !r.covered())
        .map(|r| {
            let state = lang.rule_state(match (r.hit > 0, r.passed > 0) {
                (true, true) => RuleState::Covered,
                (true, false) => RuleState::NeverPassed,
                (false, true) => RuleState::NeverHit,
                (false, false) => RuleState::NeverReached,
            });
            let text: String = r.text.chars().take(60).collect();
            vec![
                state.into(),
                r.kind.clone(),
                r.indicator.clone(),
                text,
                r.hit.to_string(),
                r.passed.to_string(),
                r.at.clone(),
            ]
        })
        .collect();
    crate::render::table(
        &lang.coverage_columns(),
        &rows,
        &[false, false, false, false, true, true, false],
    )
}

pub fn run(args: Args) -> i32 {
    let lang = super::lang();
    let say = |s: TestSaid| lang.test_said(&s);
    let format = match super::format("test", args.format, &args.output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if let Some(min) = args.min_coverage
        && !(0.0..=100.0).contains(&min)
    {
        eprintln!("{}", say(TestSaid::BadMinCoverage { min }));
        return exit::USAGE;
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("policies/tests")]
    } else {
        args.paths.clone()
    };
    let files = test_files(&paths);
    if files.is_empty() {
        let paths = paths.iter().map(|p| p.display().to_string()).collect();
        eprintln!("{}", say(TestSaid::NoTestFiles { paths }));
        return exit::USAGE;
    }
    let mut results: Vec<TestResult> = Vec::new();
    let mut written = 0usize;
    // Every version's rules, each counted by the tests that run on that version.
    let mut coverage = Coverage::default();
    for f in &files {
        let parsed = match parse_file(f) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{}", super::lang().test_error_fault(&e));
                return exit::USAGE;
            }
        };
        let chain = match policy_for(f, &parsed) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{}", super::lang().test_error_fault(&e));
                return exit::USAGE;
            }
        };
        if let Some(out) = &args.write_data {
            for case in &parsed.tests {
                if let Err(code) = write_case(out, f, &parsed, &chain, case, &mut written) {
                    return code;
                }
            }
            continue;
        }
        coverage.add_versions(&chain);
        for case in &parsed.tests {
            results.push(run_case(f, &chain, case, &mut coverage));
        }
    }
    if let Some(out) = &args.write_data {
        let dir = out.display().to_string();
        println!(
            "{}",
            say(TestSaid::Wrote {
                count: written,
                dir
            })
        );
        return exit::OK;
    }
    let failed = results.iter().filter(|r| !r.passed).count();
    let pct = coverage.percent();
    let mut out = String::new();
    if format == DiagFormat::Json {
        let tests: Vec<serde_json::Value> = results.iter().map(|r| test_json(r, lang)).collect();
        let j = serde_json::json!({
            "language": lang.code(),
            "passed": results.len() - failed,
            "failed": failed,
            "tests": tests,
            "coverage": { "percent": pct, "rules": coverage.rules },
        });
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&j).unwrap_or_default()
        );
    } else {
        for r in &results {
            let mark = say(if r.passed {
                TestSaid::Ok
            } else {
                TestSaid::Fail
            });
            let _ = writeln!(out, "{mark} {} — {}", r.file, r.name);
            for f in &r.failures {
                let _ = writeln!(out, "     {}", lang.failed(&f.failed));
                for t in f.trail.iter().flat_map(|e| lang.trail(e)) {
                    let _ = writeln!(out, "       {t}");
                }
            }
        }
        if args.coverage {
            let covered = coverage.rules.iter().filter(|r| r.covered()).count();
            let line = say(TestSaid::Coverage {
                percent: pct,
                covered,
                rules: coverage.rules.len(),
            });
            let _ = writeln!(out, "\n{line}");
            let _ = writeln!(out, "{}", coverage_table(&coverage.rules, false));
        } else {
            let missing = coverage.rules.iter().filter(|r| !r.covered()).count();
            let line = say(TestSaid::CoverageShort {
                percent: pct,
                missing,
            });
            let _ = writeln!(out, "\n{line}");
        }
        let passed = results.len() - failed;
        let _ = writeln!(out, "{}", say(TestSaid::Summary { passed, failed }));
    }
    let code = super::emit(&args.output, out.as_bytes());
    if code != exit::OK {
        return code;
    }
    if failed > 0 {
        return exit::POLICY;
    }
    if let Some(min) = args.min_coverage
        && pct + 1e-9 < min
    {
        eprintln!("{}", say(TestSaid::BelowMinCoverage { percent: pct, min }));
        if format == DiagFormat::Human && !args.coverage {
            eprintln!("{}", coverage_table(&coverage.rules, true));
        }
        return exit::POLICY;
    }
    exit::OK
}

pub fn coverage(inputs: &Inputs, format: Option<DiagFormat>, output: &Output) -> i32 {
    let format = match super::format("coverage", format, output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let period = match super::period(&inputs.period) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let (policy, _) = match super::eval::load_policy(&inputs.policy, Some(&period)) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let policy = match super::eval::with_encoding(policy, inputs) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let data = match inputs.source(&policy.schema) {
        Ok(d) => d,
        Err(c) => return c,
    };
    let cov = match coverage_on_data(policy, &*data, &period, &super::eval::options(inputs)) {
        Ok(c) => c,
        Err(e) => {
            super::eval::data_errors(&e);
            return exit::DATA;
        }
    };
    let mut out = String::new();
    if format == DiagFormat::Json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"percent": cov.percent(), "rules": cov.rules})
            )
            .unwrap_or_default()
        );
        return super::emit(output, out.as_bytes());
    }
    let never: Vec<_> = cov
        .rules
        .iter()
        .filter(|r| r.kind != "target" && r.hit == 0)
        .collect();
    let lang = super::lang();
    let say = |s: TestSaid| lang.test_said(&s);
    let heading = TestSaid::NeverFired {
        data: inputs.data.display().to_string(),
        period: period.describe(),
    };
    let _ = writeln!(out, "{}", say(heading));
    if never.is_empty() {
        let _ = writeln!(out, "{}", say(TestSaid::NoneNeverFired));
    } else {
        for r in never {
            let line = TestSaid::NeverFiredRule {
                indicator: r.indicator.clone(),
                kind: r.kind.clone(),
                text: r.text.clone(),
                at: r.at.clone(),
                passed: r.passed,
            };
            let _ = writeln!(out, "{}", say(line));
        }
    }
    out.push('\n');
    let rules: Vec<_> = cov
        .rules
        .iter()
        .filter(|r| r.kind != "target")
        .cloned()
        .collect();
    let _ = writeln!(out, "{}", coverage_table(&rules, false));
    super::emit(output, out.as_bytes())
}

/// `--write-data OUT`: case number `n` as `OUT/NNN/` (its CSV files) and
/// `OUT/NNN/case.json` (test file, name, policy, schema, period), for running
/// the same cases on another engine.
fn write_case(
    out: &std::path::Path,
    file: &std::path::Path,
    parsed: &TestFile,
    chain: &[std::sync::Arc<crate::ir::Policy>],
    case: &TestCase,
    n: &mut usize,
) -> Result<(), i32> {
    *n += 1;
    let dir = out.join(format!("{:03}", *n));
    let (period, policy) = crate::testing::write_case(chain, case, &dir).map_err(|failed| {
        let s = TestSaid::CaseNotWritten {
            file: file.display().to_string(),
            name: case.name.clone(),
            failed,
        };
        eprintln!("{}", super::lang().test_said(&s));
        exit::USAGE
    })?;
    let schema = policy
        .sources
        .first()
        .and_then(|s| s.path.parent())
        .map(|d| d.join(&policy.meta.schema))
        .unwrap_or_default();
    let about = serde_json::json!({
        "file": file.display().to_string(),
        "name": case.name,
        "policy": policy_path(file, parsed).display().to_string(),
        "schema": schema.display().to_string(),
        "period": period.label,
    });
    std::fs::write(
        dir.join("case.json"),
        serde_json::to_string_pretty(&about).unwrap_or_default(),
    )
    .map_err(|e| {
        super::fault(crate::words::fault::Fault::CannotWrite {
            path: dir.display().to_string(),
            io: (&e).into(),
        });
        exit::USAGE
    })
}

/// A test's result in JSON: its failures typed (`failed`, keys and kinds in
/// English), each with its message and records in the language asked.
fn test_json(r: &TestResult, lang: crate::words::Lang) -> serde_json::Value {
    let failures: Vec<serde_json::Value> = r
        .failures
        .iter()
        .map(|f| {
            serde_json::json!({
                "test": f.test,
                "failed": f.failed,
                "message": lang.failed(&f.failed),
                "trail": f.trail.iter().flat_map(|e| lang.trail(e)).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "file": r.file,
        "name": r.name,
        "passed": r.passed,
        "failures": failures,
    })
}
