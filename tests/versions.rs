//! Versioned policies: amendments, selection by period, targets, history, diff.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::process::Output;

use common::zhibiao;

fn json(o: &Output) -> serde_json::Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("json")
}

/// HC3 targets of each department in an eval for `period` with the example amendment.
fn hc3_targets(period: &str) -> (serde_json::Value, Vec<(String, f64, String)>) {
    let j = json(&zhibiao(&[
        "eval",
        "--policy",
        "examples/amendments",
        "--period",
        period,
        "--format",
        "json",
    ]));
    let mut out = Vec::new();
    for r in j["results"].as_array().expect("results") {
        if r["indicator"] == "HC3" {
            for t in r["targets"].as_array().expect("targets") {
                out.push((
                    r["department"].as_str().expect("dept").to_string(),
                    t["value"].as_f64().expect("value"),
                    t["document"].as_str().expect("document").to_string(),
                ));
            }
        }
    }
    (j["policy"].clone(), out)
}

#[test]
fn eval_uses_the_version_in_force_at_the_end_of_the_period() {
    // December 2022: the base document; 刑事庭 has no HC3 target.
    let (policy, t) = hc3_targets("2022-12");
    assert_eq!(policy["document"], "嘉法发〔2022〕15号");
    assert!(t.iter().any(|(d, v, _)| d == "民事庭" && *v == 45.0));
    assert!(t.iter().any(|(d, v, _)| d == "court" && *v == 45.0));
    assert!(!t.iter().any(|(d, _, _)| d == "刑事庭"));
    // January 2023: the example amendment, 50 for the others and 30 for 刑事庭.
    let (policy, t) = hc3_targets("2023-01");
    assert_eq!(policy["document"], "嘉法发〔2022〕99号（示例）");
    assert_eq!(policy["effective"], "2023-01-01");
    assert!(
        t.iter()
            .any(|(d, v, doc)| d == "民事庭" && *v == 50.0 && doc.contains("99号"))
    );
    assert!(t.iter().any(|(d, v, _)| d == "court" && *v == 50.0));
    assert!(t.iter().any(|(d, v, _)| d == "刑事庭" && *v == 30.0));
    assert_eq!(
        t.iter().filter(|(d, _, _)| d == "民事庭").count(),
        1,
        "one target per department"
    );
    // Other indicators keep the base's targets.
    let j = json(&zhibiao(&[
        "eval",
        "--policy",
        "examples/amendments",
        "--period",
        "2023-01",
        "--format",
        "json",
    ]));
    let hc4 = j["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["indicator"] == "HC4" && r["department"] == "立案庭")
        .expect("HC4 立案庭")
        .clone();
    assert_eq!(hc4["targets"][0]["value"], 70.0);
    assert_eq!(hc4["targets"][0]["document"], "嘉法发〔2022〕15号");
}

#[test]
fn a_period_spanning_a_change_warns_naming_both() {
    let o = zhibiao(&[
        "eval",
        "--policy",
        "examples/amendments",
        "--from",
        "2022-12-15",
        "--to",
        "2023-01-15",
        "--format",
        "json",
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(err.contains("spans a change of version"), "{err}");
    assert!(err.contains("嘉法发〔2022〕15号") && err.contains("嘉法发〔2022〕99号（示例）"));
    let j = json(&o);
    assert!(
        j["warnings"][0]
            .as_str()
            .expect("warning")
            .contains("spans a change")
    );
    assert_eq!(j["warnings_detail"][0]["kind"], "spans_versions");
    assert_eq!(
        j["warnings_detail"][0]["after"],
        "嘉法发〔2022〕99号（示例）"
    );
}

#[test]
fn a_period_spanning_a_change_warns_in_chinese_when_asked() {
    let o = zhibiao(&[
        "--lang",
        "zh",
        "eval",
        "--policy",
        "examples/amendments",
        "--from",
        "2022-12-15",
        "--to",
        "2023-01-15",
        "--format",
        "json",
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err.contains("警告：统计期跨越版本更替：嘉法发〔2022〕15号（2022-05-31 起施行）至 2022-12-31，其后为 嘉法发〔2022〕99号（示例）"),
        "{err}"
    );
    let j = json(&o);
    assert_eq!(j["language"], "zh");
    assert!(
        j["warnings"][0]
            .as_str()
            .expect("warning")
            .starts_with("统计期跨越版本更替")
    );
    assert_eq!(j["warnings_detail"][0]["kind"], "spans_versions");
}

#[test]
fn targets_at_a_date() {
    let before = String::from_utf8_lossy(
        &zhibiao(&[
            "targets",
            "--policy",
            "examples/amendments",
            "--at",
            "2022-12-31",
        ])
        .stdout,
    )
    .into_owned();
    assert!(before.contains("嘉法发〔2022〕15号 (version 2022.1"));
    assert!(!before.contains("99号"));
    let j = json(&zhibiao(&[
        "targets",
        "--policy",
        "examples/amendments",
        "--at",
        "2023-01-01",
        "--format",
        "json",
    ]));
    let t = j["targets"].as_array().expect("targets");
    let find = |ind: &str, d: &str| {
        t.iter()
            .find(|x| x["indicator"] == ind && x["department"] == d)
            .map(|x| {
                (
                    x["value"].as_f64().unwrap_or(-1.0),
                    x["document"].as_str().unwrap_or("").to_string(),
                )
            })
    };
    assert_eq!(
        find("HC3", "刑事庭"),
        Some((30.0, "嘉法发〔2022〕99号（示例）".into()))
    );
    assert_eq!(
        find("HC4", "立案庭"),
        Some((70.0, "嘉法发〔2022〕15号".into()))
    );
    assert_eq!(
        find("HC1", "court (立案庭)"),
        Some((90.0, "嘉法发〔2022〕15号".into()))
    );
}

#[test]
fn history_of_a_target() {
    let j = json(&zhibiao(&[
        "history",
        "HC3",
        "--policy",
        "examples/amendments",
        "--department",
        "民事庭",
        "--format",
        "json",
    ]));
    let h = j["history"].as_array().expect("history");
    assert_eq!(h.len(), 2);
    assert_eq!(
        (h[0]["change"].as_str(), h[0]["to"].as_f64()),
        (Some("set"), Some(45.0))
    );
    assert_eq!(
        (
            h[1]["change"].as_str(),
            h[1]["from"].as_f64(),
            h[1]["to"].as_f64()
        ),
        (Some("changed"), Some(45.0), Some(50.0))
    );
    let out = String::from_utf8_lossy(
        &zhibiao(&[
            "history",
            "HC3",
            "--policy",
            "examples/amendments",
            "--department",
            "刑事庭",
        ])
        .stdout,
    )
    .into_owned();
    assert!(out.contains("added"), "{out}");
}

#[test]
fn diff_of_two_versions_with_and_without_data() {
    let j = json(&zhibiao(&[
        "diff",
        "policies/jiading-2022.zb",
        "examples/amendments/jiading-2023-hc3.zb",
        "--format",
        "json",
    ]));
    let changes = j["changes"].as_array().expect("changes");
    assert!(changes.iter().any(|c| c["kind"] == "target"
        && c["department"] == "刑事庭"
        && c["from"].is_null()
        && c["to"] == 30.0));
    assert!(changes.iter().any(|c| c["kind"] == "target"
        && c["department"] == "民事庭"
        && c["from"] == 45.0
        && c["to"] == 50.0));
    assert!(
        !changes.iter().any(|c| c["kind"] != "target"),
        "only targets change"
    );
    // On data: 刑事庭's HC3 (48.39% in June 2022) had no target and now meets 30.
    let j = json(&zhibiao(&[
        "diff",
        "policies/jiading-2022.zb",
        "examples/amendments/jiading-2023-hc3.zb",
        "--data",
        "examples/data",
        "--period",
        "2022-06",
        "--format",
        "json",
    ]));
    let figs = j["figures"].as_array().expect("figures");
    assert!(figs.iter().any(|f| f["indicator"] == "HC3"
        && f["department"] == "刑事庭"
        && f["to_status"] == "met"));
    assert!(
        j["records"].as_array().expect("records").is_empty(),
        "targets change no record's outcome"
    );
    let human = String::from_utf8_lossy(
        &zhibiao(&[
            "diff",
            "policies/jiading-2022.zb",
            "examples/amendments/jiading-2023-hc3.zb",
        ])
        .stdout,
    )
    .into_owned();
    assert!(
        human.contains("~ target HC3 刑事庭: none → >= 30 原则上"),
        "{human}"
    );
}

#[test]
fn amend_writes_a_skeleton_that_checks() {
    let dir = std::env::temp_dir().join(format!("zhibiao-amend-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("next.zb");
    let o = zhibiao(&[
        "amend",
        "--base",
        "policies/jiading-2022.zb",
        "--effective",
        "2023-07-01",
        "--document",
        "嘉法发〔2023〕1号",
        "--output",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let c = zhibiao(&["check", out.to_str().expect("utf-8")]);
    assert_eq!(
        c.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&c.stderr)
    );
    // It does not overwrite, and refuses a date not after the base.
    assert_eq!(
        zhibiao(&[
            "amend",
            "--base",
            "policies/jiading-2022.zb",
            "--effective",
            "2023-07-01",
            "--document",
            "x",
            "--output",
            out.to_str().expect("utf-8")
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        zhibiao(&[
            "amend",
            "--base",
            "policies/jiading-2022.zb",
            "--effective",
            "2022-01-01",
            "--document",
            "x",
            "--output",
            dir.join("b.zb").to_str().expect("utf-8")
        ])
        .status
        .code(),
        Some(2)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn broken_amendments_point_at_the_right_line() {
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir("tests/fixtures/amend")
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 8);
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("read");
        let want: usize = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect: line "))
            .and_then(|l| l.split(':').next())
            .and_then(|n| n.parse().ok())
            .expect("expect comment");
        let o = zhibiao(&["check", "--format", "json", path.to_str().expect("utf-8")]);
        if o.status.code() != Some(1) {
            failures.push(format!("{}: exit {:?}", path.display(), o.status.code()));
            continue;
        }
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let first = j["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["severity"] == "error")
            .cloned()
            .unwrap_or_default();
        if first["line"].as_u64() != Some(want as u64) {
            failures.push(format!(
                "{}: error on line {} not {want}: {}",
                path.display(),
                first["line"],
                first["message"]
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn target_lines_belong_in_amendments() {
    let dir = std::env::temp_dir().join(format!("zhibiao-inbase-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let base = std::fs::read_to_string("policies/jiading-2022.zb").expect("base");
    let schema = std::fs::canonicalize("policies/schema.yaml").expect("schema");
    let text = base.replace(
        "schema \"schema.yaml\"",
        &format!("schema \"{}\"", schema.display()),
    ) + "\nin HC3 {\n  target 刑事庭 >= 30\n}\n";
    let f = dir.join("p.zb");
    std::fs::write(&f, text).expect("write");
    let o = zhibiao(&["check", f.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("belong in an amendment"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn policy_tests_of_an_amendment_use_the_version_of_their_period() {
    let o = zhibiao(&["test", "examples/amendments/tests"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("4 passed, 0 failed"));
}

/// An amendment beside a copy of nothing: it names the shipped policy by absolute path.
fn amendment(name: &str, body: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("zhibiao-amend-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let base = std::fs::canonicalize("policies/jiading-2022.zb").expect("base");
    let text = format!(
        "policy \"测试修订\" {{\n  amends \"{}\"\n  document \"测试〔2023〕2号\"\n  version \"2023.2\"\n  effective 2023-03-01\n}}\n\n{body}",
        base.display()
    );
    let file = dir.join("amend.zb");
    std::fs::write(&file, text).expect("write");
    (dir, file)
}

#[test]
fn an_amendment_may_replace_an_indicator_and_a_definition_whole() {
    let (dir, file) = amendment(
        "whole",
        "// HC4 no longer excludes cancelled hearings; its targets are its own.\n\
         indicator HC4 \"庭审记录改革适用率\" core {\n  count hearings by scheduled_at\n  exclude status = \"未按时开庭\" because \"未按时开庭\"\n  numerator require record_reform\n  target 立案庭 >= 75\n}\n\n\
         // Only e-mail and SMS count as electronic.\n\
         define electronic on services = channel in (\"电子邮件\", \"短信\")\n",
    );
    let f = file.to_str().expect("utf-8");
    let c = zhibiao(&["check", f]);
    assert_eq!(
        c.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&c.stderr)
    );
    let j = json(&zhibiao(&[
        "diff",
        "policies/jiading-2022.zb",
        f,
        "--data",
        "examples/data",
        "--period",
        "2022-06",
        "--format",
        "json",
    ]));
    let changes = j["changes"].as_array().expect("changes");
    assert!(
        changes.iter().any(|c| c["kind"] == "rule_removed"
            && c["indicator"] == "HC4"
            && c["rule"].as_str().is_some_and(|r| r.contains("取消"))),
        "{changes:?}"
    );
    assert!(changes.iter().any(|c| c["kind"] == "target"
        && c["indicator"] == "HC4"
        && c["department"] == "立案庭"
        && c["to"] == 75.0));
    assert!(changes.iter().any(|c| c["kind"] == "target"
        && c["indicator"] == "HC4"
        && c["department"] == "民事庭"
        && c["to"].is_null()));
    // On data: cancelled hearings move from excluded into HC4's denominator, and the
    // record names the rule responsible.
    let records = j["records"].as_array().expect("records");
    assert!(
        records.iter().any(|r| r["indicator"] == "HC4"
            && r["from"] == "excluded"
            && r["to"] == "denominator")
    );
    assert!(
        records.iter().any(|r| r["indicator"] == "HC3a"),
        "the definition changed HC3a's records"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_in_a_replaced_indicator_point_into_the_amendment() {
    let (dir, file) = amendment(
        "broken",
        "indicator HC4 \"庭审记录改革适用率\" core {\n  count hearings by scheduled_at\n  numerator require record_reformm\n}\n",
    );
    let o = zhibiao(&["check", "--format", "json", file.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let d = j["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error")
        .clone();
    assert_eq!(d["line"], 10, "{d}");
    assert!(
        d["file"].as_str().is_some_and(|f| f.ends_with("amend.zb")),
        "{d}"
    );
    assert!(
        d["help"]
            .as_str()
            .is_some_and(|h| h.contains("record_reform")),
        "{d}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The amendment a new user writes meaning "raise HC3 to 50".
const RAISE_HC3: &str = "in HC3 {\n  target 业务部门 >= 50 原则上\n}\n";

#[test]
fn an_amendment_giving_an_exempt_department_a_target_warns_and_deny_fails() {
    let (dir, file) = amendment("deny", RAISE_HC3);
    let path = file.to_str().expect("utf-8");
    let o = zhibiao(&["check", path]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("gives `刑事庭` a target on `HC3`"), "{err}");
    assert!(
        err.contains("jiading-2022.zb:83"),
        "names the base's line: {err}"
    );
    assert!(err.contains("add `target court >= 50 原则上`"), "{err}");
    // The base's note that 刑事庭 has no HC3 target no longer holds: the amendment gave it one.
    assert!(!err.contains("`刑事庭` has no target on `HC3`"), "{err}");
    let o = zhibiao(&["check", "--deny", "warnings", path]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = zhibiao(&["check", "--deny", "warnings", "--format", "json", path]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let codes: Vec<&str> = j["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"zhibiao::new_target"), "{codes:?}");
    assert!(
        codes.contains(&"zhibiao::court_target_unchanged"),
        "{codes:?}"
    );

    // Acknowledged, the same amendment passes `--deny warnings`.
    let (dir2, file2) = amendment(
        "deny-ack",
        "in HC3 {\n  target 业务部门 >= 50 原则上\n  acknowledge new_target 刑事庭\n  acknowledge court_target_unchanged\n}\n",
    );
    let o = zhibiao(&[
        "check",
        "--deny",
        "warnings",
        file2.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("new_target"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

#[test]
fn deny_notes_fails_on_notes_and_deny_warnings_does_not() {
    assert_eq!(zhibiao(&["check", "policies"]).status.code(), Some(0));
    assert_eq!(
        zhibiao(&["check", "--deny", "warnings", "policies"])
            .status
            .code(),
        Some(0)
    );
    let o = zhibiao(&["check", "--deny", "notes", "policies"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--deny notes"));
    // The shipped example amendment is clean.
    assert_eq!(
        zhibiao(&["check", "--deny", "warnings", "examples/amendments"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn a_note_the_amendment_makes_stale_is_not_printed() {
    let o = zhibiao(&["check", "policies/jiading-2022.zb"]);
    let alone = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(alone.contains("`刑事庭` has no target on `HC3`"), "{alone}");
    let o = zhibiao(&["check", "examples/amendments"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("`刑事庭` has no target on `HC3`"), "{err}");
    // Notes that still hold stay.
    assert!(err.contains("`执行局` has no target on `HC4`"), "{err}");
}

#[test]
fn acknowledging_a_note_in_the_base_policy_silences_it() {
    let dir = std::env::temp_dir().join(format!("zhibiao-ack-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let base = std::fs::read_to_string("policies/jiading-2022.zb").expect("base");
    let schema = std::fs::canonicalize("policies/schema.yaml").expect("schema");
    let text = base
        .replace(
            "schema \"schema.yaml\"",
            &format!("schema \"{}\"", schema.display()),
        )
        .replacen(
            "  target 业务部门 except 刑事庭 >= 45 原则上\n",
            "  target 业务部门 except 刑事庭 >= 45 原则上\n  acknowledge no_target 刑事庭\n",
            1,
        );
    let f = dir.join("p.zb");
    std::fs::write(&f, text).expect("write");
    let path = f.to_str().expect("utf-8");
    let o = zhibiao(&["check", path]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("`刑事庭` has no target on `HC3`"), "{err}");
    assert!(err.contains("`执行局` has no target on `HC4`"), "{err}");
    // `fmt` keeps the acknowledgment where it is.
    let o = zhibiao(&["fmt", "--check", path]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn coverage_counts_each_version_against_the_tests_of_that_version() {
    // An amendment beside the policy, with tests of 2022 only: the base's lines
    // are covered by them, and only the amendment's new lines are not.
    let dir = std::env::temp_dir().join(format!("zhibiao-cov-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tests")).expect("dir");
    for f in ["jiading-2022.zb", "schema.yaml"] {
        std::fs::copy(format!("policies/{f}"), dir.join(f)).expect("copy");
    }
    for e in std::fs::read_dir("policies/tests").expect("tests") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, dir.join("tests").join(p.file_name().expect("name"))).expect("copy");
    }
    let amend = std::fs::read_to_string("examples/amendments/jiading-2023-hc3.zb")
        .expect("amendment")
        .replace("../../policies/jiading-2022.zb", "jiading-2022.zb");
    std::fs::write(dir.join("jiading-2023-hc3.zb"), amend).expect("write");
    let tests = dir.join("tests");
    let o = zhibiao(&[
        "test",
        tests.to_str().expect("utf-8"),
        "--min-coverage",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let missing: Vec<String> = j["coverage"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["hit"] == 0 || r["passed"] == 0)
        .map(|r| r["at"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(missing.len(), 3, "{missing:#?}");
    assert!(
        missing.iter().all(|m| m.contains("jiading-2023-hc3.zb")),
        "{missing:#?}"
    );
    let _ = std::fs::remove_dir_all(&dir);

    // With the tests of the amendment, every version's rules are covered.
    let o = zhibiao(&[
        "test",
        "policies/tests",
        "examples/amendments/tests",
        "--min-coverage",
        "100",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

/// The departments of `rows` in the order they first come, each once.
fn order_of(rows: &[serde_json::Value]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for r in rows {
        let d = r["department"].as_str().expect("department").to_string();
        if !seen.contains(&d) {
            seen.push(d);
        }
    }
    seen
}

#[test]
fn history_and_diff_list_departments_in_the_policys_order() {
    // The policy's order, the court last (by code point 南翔法庭 and 刑事庭
    // would come before 商事庭).
    let policy = common::policy();
    let mut want: Vec<String> = policy
        .departments
        .iter()
        .filter(|d| {
            [
                "立案庭",
                "民事庭",
                "商事庭",
                "刑事庭",
                "执行局",
                "执行裁判庭",
                "审监庭",
                "南翔法庭",
                "安亭法庭",
                "江桥法庭",
            ]
            .contains(&d.as_str())
        })
        .cloned()
        .collect();
    want.push("court".into());
    let j = json(&zhibiao(&[
        "history",
        "HC3",
        "--policy",
        "examples/amendments",
        "--format",
        "json",
    ]));
    let h = j["history"].as_array().expect("history");
    // Each version's rows in the policy's order: 2022's, then 2023's changes.
    let (first, second): (Vec<_>, Vec<_>) = h
        .iter()
        .cloned()
        .partition(|r| r["document"] == "嘉法发〔2022〕15号");
    let base: Vec<String> = want.iter().filter(|d| *d != "刑事庭").cloned().collect();
    assert_eq!(order_of(&first), base);
    assert_eq!(order_of(&second), want);
    let j = json(&zhibiao(&[
        "diff",
        "policies/jiading-2022.zb",
        "examples/amendments/jiading-2023-hc3.zb",
        "--format",
        "json",
    ]));
    let changes = j["changes"].as_array().expect("changes");
    assert_eq!(order_of(changes), want);
}

/// The views of a policy (targets in force, a target's history, a diff of two
/// versions, an indicator's dependencies) speak Chinese when asked.
#[test]
fn the_policy_views_in_chinese() {
    let run = |args: &[&str]| {
        let mut all = vec!["--lang", "zh"];
        all.extend_from_slice(args);
        let o = zhibiao(&all);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {o:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let views = [
        run(&["targets", "--policy", "policies"]),
        run(&["history", "HC3", "--policy", "examples/amendments"]),
        run(&[
            "diff",
            "policies/jiading-2022.zb",
            "examples/amendments/jiading-2023-hc3.zb",
        ]),
        run(&["deps", "HC12", "--policy", "policies"]),
        run(&["impact", "HC4", "--policy", "policies"]),
    ]
    .join("\n----\n");
    insta::assert_snapshot!("policy_views_zh", views);
}

#[test]
fn a_department_taken_out_of_a_group_target_is_an_exception_in_the_policys_words() {
    // 民事庭 gets an HC3 target of its own: the group's target goes on for the
    // others, said as the policy would write it.
    let (dir, file) = amendment("less", "in HC3 {\n  target 民事庭 >= 60 原则上\n}\n");
    let f = file.to_str().expect("utf-8");
    let j = json(&zhibiao(&[
        "eval", "--policy", f, "--period", "2023-03", "--format", "json",
    ]));
    let hc3 = j["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["indicator"] == "HC3")
        .expect("HC3");
    let whos = |dept: &str| -> Vec<String> {
        hc3["figures"]
            .as_array()
            .expect("figures")
            .iter()
            .find(|f| f["department"] == dept)
            .expect("figure")["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .map(|t| t["who"].as_str().expect("who").to_string())
            .collect()
    };
    assert_eq!(whos("商事庭"), ["业务部门 except 刑事庭, 民事庭"]);
    assert_eq!(whos("民事庭"), ["民事庭"]);
    let _ = std::fs::remove_dir_all(&dir);
}
