//! The indicator graph of the shipped policy.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::Path;
use std::process::Command;

use petgraph::Direction;
use zhibiao::graph::{self, Edge};

fn policy() -> zhibiao::ir::Policy {
    let loaded = zhibiao::workspace::load(Path::new("policies/jiading-2022.zb")).expect("load");
    loaded.checked.policy.expect("checks")
}

#[test]
fn shipped_graph_snapshot() {
    let p = policy();
    let g = graph::build(&p, false);
    insta::assert_snapshot!(graph::mermaid(&g));
}

#[test]
fn hc12_related_edges_match_the_document() {
    // 附件1 指标12 对策1: list order 2、3、5、7、9、10、13 = HC4, HC5, HC1, HC6, HC8, HC9, HC13;
    // 附件2 第10条 adds HC3.
    let p = policy();
    let g = graph::build(&p, false);
    let hc12 = graph::find(&g, &p, "HC12").expect("HC12");
    let mut related: Vec<String> =
        g.g.edges_directed(hc12, Direction::Incoming)
            .filter(|e| *e.weight() == Edge::Related)
            .map(|e| graph::describe(&g, petgraph::visit::EdgeRef::source(&e)))
            .map(|s| s.split(' ').next().unwrap_or_default().to_string())
            .collect();
    related.sort();
    let mut want = vec!["HC4", "HC5", "HC1", "HC6", "HC8", "HC9", "HC13", "HC3"];
    want.sort();
    assert_eq!(related, want);
}

#[test]
fn derived_from_edges_match_the_formulas() {
    let p = policy();
    let g = graph::build(&p, false);
    let deps = |code: &str| -> Vec<String> {
        let n = graph::find(&g, &p, code).expect("indicator");
        let mut v: Vec<String> = graph::reach(&g, n, Direction::Incoming)
            .into_iter()
            .filter(|(_, e, _)| *e == Edge::DerivedFrom)
            .map(|(d, _, _)| {
                graph::describe(&g, d)
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(deps("HC3"), ["HC3a", "HC3b"]);
    assert_eq!(deps("HC4-president"), ["HC4"]);
    assert_eq!(deps("HC5-president"), ["HC5"]);
    assert_eq!(deps("HC4-talk"), ["HC4"]);
    assert!(deps("HC9").is_empty());
}

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args(args)
        .output()
        .expect("run");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn impact_and_deps_on_the_command_line() {
    // HC9 raises HC12 (related), nothing else depends on it.
    let (code, out) = run(&["impact", "HC9"]);
    assert_eq!(code, 0);
    assert!(out.contains("→ HC12 原生电子文件覆盖率 [related]"), "{out}");
    // HC3a feeds HC3, which is related to HC12: transitively both.
    let (_, out) = run(&["impact", "HC3a"]);
    assert!(out.contains("→ HC3 电子送达适用率 [derived-from]"));
    assert!(out.contains("→ HC12 原生电子文件覆盖率 [related via HC3 电子送达适用率]"));
    // A column: the indicators that read it.
    let (_, out) = run(&["impact", "--column", "documents.e_sealed"]);
    assert!(out.contains("→ HC9 电子签章率 [reads]"));
    // deps lists what the value reads, then the related links apart.
    let (_, out) = run(&["deps", "HC12"]);
    let (value, related) = out
        .split_once("  related (")
        .expect("the related links apart");
    assert!(value.contains("← dossier_files.origin [reads]"), "{out}");
    for code in ["HC4", "HC5", "HC1", "HC6", "HC8", "HC9", "HC13", "HC3"] {
        assert!(!value.contains(&format!("← {code} ")), "{code} in {out}");
        assert!(
            related.contains(&format!("← {code} ")) && related.contains("[related]"),
            "{code} in {out}"
        );
    }
    // None of the related indicators' columns: HC12 reads dossier files and their cases.
    assert!(!out.contains(" via "), "{out}");
    assert!(!out.contains("hearings."), "{out}");
    // A computed indicator's value reads what it derives from, and their columns.
    let (_, out) = run(&["deps", "HC3"]);
    assert!(
        out.contains("← HC3a 电子送达发送率 [derived-from]"),
        "{out}"
    );
    assert!(out.contains("[reads via HC3a 电子送达发送率]"), "{out}");
    assert!(!out.contains("  related ("), "{out}");
    let (code, _) = run(&["impact", "HC99"]);
    assert_eq!(code, 2);
    for f in ["dot", "mermaid", "json"] {
        let (code, out) = run(&["graph", "--format", f, "--data-lineage"]);
        assert_eq!(code, 0);
        assert!(out.contains("HC12"));
    }
}

#[test]
fn deps_json_keeps_related_links_apart() {
    let (code, out) = run(&["deps", "HC12", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let j: serde_json::Value = serde_json::from_str(&out).expect("json");
    let items = j["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["edge"] == "reads"), "{out}");
    let related: Vec<&str> = j["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["node"].as_str())
        .map(|n| n.split(' ').next().unwrap_or(n))
        .collect();
    // In the order the policy declares them.
    assert_eq!(
        related,
        ["HC4", "HC5", "HC1", "HC6", "HC8", "HC9", "HC13", "HC3"]
    );
}

#[test]
fn eval_report_shows_where_to_push_under_a_missed_target() {
    // June 2022 of the example data: 刑事庭 misses HC12's 60.
    let (code, out) = run(&["eval", "--period", "2022-06"]);
    assert_eq!(code, 0);
    // The follow-up line and its continuation lines, indented under it.
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("↳ 刑事庭") && l.contains("related: HC4"))
        .unwrap_or_else(|| panic!("a follow-up line under HC12 for 刑事庭: {out}"));
    let line = std::iter::once(lines[at].trim())
        .chain(
            lines[at + 1..]
                .iter()
                .take_while(|l| l.starts_with("    "))
                .map(|l| l.trim()),
        )
        .collect::<Vec<_>>()
        .join(" ");
    assert!(line.contains("HC9 电子签章率"), "{line}");
    let (_, json) = run(&["eval", "--period", "2022-06", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&json).expect("json");
    let f = j["follow_ups"]
        .as_array()
        .expect("follow_ups")
        .iter()
        .find(|f| f["indicator"] == "HC12" && f["department"] == "刑事庭")
        .expect("HC12 刑事庭 follow-up");
    let links: Vec<&str> = f["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| l["indicator"].as_str().unwrap_or_default())
        .collect();
    for code in ["HC4", "HC5", "HC1", "HC6", "HC8", "HC9", "HC13", "HC3"] {
        assert!(links.contains(&code), "{code} in {links:?}");
    }
}

#[test]
fn unknown_names_in_impact_and_history_are_errors_with_close_matches() {
    let o = common::zhibiao(&["impact", "--column", "hearings.mdoe"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains(
            "error: `hearings` has no column `mdoe`\nhelp: did you mean `hearings.mode`?"
        ),
        "{}",
        common::stderr(&o)
    );
    let o = common::zhibiao(&["impact", "--column", "hearing.mode"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(common::stderr(&o).contains("did you mean `hearings`?"));
    let o = common::zhibiao(&["history", "HC3", "--department", "民事亭"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o)
            .contains("error: unknown department `民事亭`\nhelp: did you mean `民事庭`?"),
        "{}",
        common::stderr(&o)
    );
    // A real department still gives its history.
    let o = common::zhibiao(&["history", "HC3", "--department", "民事庭"]);
    assert_eq!(o.status.code(), Some(0));
}
