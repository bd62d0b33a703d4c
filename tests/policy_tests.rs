//! `zhibiao test`: the shipped policy tests pass, and breaking the policy
//! makes them fail readably.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

use std::path::{Path, PathBuf};
mod common;

use common::{stdout, zhibiao};

/// A copy of `policies/` (policy, schema, tests) to break.
fn copy_policies(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhibiao-pt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tests")).expect("dir");
    for f in ["jiading-2022.zb", "schema.yaml"] {
        std::fs::copy(Path::new("policies").join(f), dir.join(f)).expect("copy");
    }
    for e in std::fs::read_dir("policies/tests").expect("tests") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, dir.join("tests").join(p.file_name().expect("name"))).expect("copy");
    }
    dir
}

#[test]
fn shipped_policy_tests_pass_with_full_coverage() {
    let o = zhibiao(&["test", "--min-coverage", "100"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains(" passed, 0 failed"));
}

#[test]
fn breaking_an_exclusion_fails_a_test_readably() {
    let dir = copy_policies("break");
    let policy = dir.join("jiading-2022.zb");
    let text = std::fs::read_to_string(&policy).expect("read");
    // HC4 no longer excludes cancelled hearings (a mistyped value).
    let broken = text.replacen(
        "exclude status = \"取消\" because \"取消庭审\"\n  exclude status = \"未按时开庭\"",
        "exclude status = \"已开庭\" because \"取消庭审\"\n  exclude status = \"未按时开庭\"",
        1,
    );
    assert_ne!(broken, text, "the policy text to break was found");
    std::fs::write(&policy, broken).expect("write");
    let o = zhibiao(&["test", dir.join("tests").to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("FAIL"), "{out}");
    assert!(out.contains("expected"), "says what was expected: {out}");
    assert!(
        out.contains("hearings:"),
        "shows the trail of the records involved: {out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn min_coverage_fails_below_the_threshold_and_json_reports_it() {
    let o = zhibiao(&[
        "test",
        "policies/tests/hc4-hc5-hearings.yaml",
        "--min-coverage",
        "100",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("below --min-coverage 100"));
    let o = zhibiao(&[
        "test",
        "policies/tests/hc4-hc5-hearings.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(j["failed"], 0);
    let pct = j["coverage"]["percent"].as_f64().expect("percent");
    assert!(pct > 0.0 && pct < 100.0);
    let rules = j["coverage"]["rules"].as_array().expect("rules");
    let cancelled = rules
        .iter()
        .find(|r| {
            r["text"] == "status = \"取消\""
                && r["indicator"]
                    .as_str()
                    .is_some_and(|i| i.starts_with("HC4"))
        })
        .expect("HC4's 取消 exclusion is a coverage item");
    assert!(cancelled["hit"].as_u64() > Some(0) && cancelled["passed"].as_u64() > Some(0));
}

#[test]
fn coverage_on_data_lists_rules_that_never_fire() {
    let o = zhibiao(&["coverage", "--period", "2022-06", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(j["rules"].as_array().is_some_and(|r| r.len() > 20));
    // A rule with a mistyped value never fires: show it.
    let dir = copy_policies("typo");
    let policy = dir.join("jiading-2022.zb");
    let text = std::fs::read_to_string(&policy).expect("read");
    // `result` is free text: a mistyped value passes `check` but never matches.
    let typo = text.replacen(
        "numerator exclude result is empty",
        "numerator exclude result = \"空\"",
        1,
    );
    assert_ne!(typo, text);
    std::fs::write(&policy, typo).expect("write");
    let o = zhibiao(&[
        "coverage",
        "--policy",
        policy.to_str().expect("utf-8"),
        "--period",
        "2022-06",
    ]);
    let out = stdout(&o);
    assert!(out.contains("numerator exclude `result = \"空\"`"), "{out}");
    assert!(out.contains("stopped none"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn test_output_in_chinese() {
    let o = common::zhibiao_env(
        &[
            "test",
            "policies/tests/hc4-hc5-hearings.yaml",
            "--coverage",
            "--lang",
            "zh",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("规则覆盖率："), "{out}");
    insta::assert_snapshot!("test_zh", out);
    // A failure: what was expected, and the records' trail, in Chinese.
    let dir = copy_policies("break-zh");
    let policy = dir.join("jiading-2022.zb");
    let text = std::fs::read_to_string(&policy).expect("read");
    let broken = text.replacen(
        "exclude status = \"取消\" because \"取消庭审\"\n  exclude status = \"未按时开庭\"",
        "exclude status = \"已开庭\" because \"取消庭审\"\n  exclude status = \"未按时开庭\"",
        1,
    );
    std::fs::write(&policy, broken).expect("write");
    let file = dir.join("tests").join("hc4-hc5-hearings.yaml");
    let o = common::zhibiao_env(
        &["test", file.to_str().expect("utf-8"), "--lang", "zh"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o).replace(dir.to_str().expect("utf-8"), "DIR");
    assert!(
        out.contains("失败 DIR/tests/hc4-hc5-hearings.yaml"),
        "{out}"
    );
    insta::assert_snapshot!("test_failure_zh", out);
    let j = common::zhibiao_env(
        &[
            "test",
            file.to_str().expect("utf-8"),
            "--lang",
            "zh",
            "--format",
            "json",
        ],
        &[],
    );
    let j: serde_json::Value = serde_json::from_slice(&j.stdout).expect("json");
    let failure = &j["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .find(|t| t["passed"] == false)
        .expect("a failed test")["failures"][0];
    // Keys and kinds in English, the message in Chinese.
    assert_eq!(failure["failed"]["kind"], "count");
    assert!(
        failure["message"]
            .as_str()
            .expect("message")
            .contains("分子应为")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_test_file_that_is_not_valid_says_what_one_holds() {
    let dir = common::fresh_dir("test-file-not-valid");
    let tests = dir.join("tests");
    std::fs::create_dir_all(&tests).expect("dir");
    let file = tests.join("typo.yaml");
    std::fs::write(&file, "tests:\n  - name: a typo\n    perio: 2022-06\n").expect("write");
    for lang in ["en", "zh"] {
        let o = zhibiao(&["test", "--lang", lang, file.to_str().expect("utf-8")]);
        assert_eq!(o.status.code(), Some(2), "{}", common::stderr(&o));
        let err = common::stderr(&o).replace(&*file.to_string_lossy(), "TESTS/typo.yaml");
        insta::assert_snapshot!(format!("test_file_not_valid_{lang}"), err);
    }
}
