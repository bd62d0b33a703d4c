//! `check` on policy files that are wrong in one way each.
//!
//! Every `*.zb` under `tests/fixtures/broken/` starts with a comment
//! `// expect: line N: what is wrong`; checking it must report an error whose
//! primary label is on line N. Every `*.zb` under `tests/fixtures/warn/` has the
//! same comment and must pass with a warning (or note) on line N. The rendered
//! diagnostics of each fixture are an insta snapshot under `tests/snapshots/`.
//!
//! A fixture may also carry `// known-bug: …` in its leading comments: it shows
//! a bug in `check` that is not fixed yet. Its expectation is then reported but
//! does not fail the test, and once it holds the test fails until the marker is
//! removed, so that the fixture turns into an ordinary one.
//!
//! Paths are relative to the crate root, which cargo makes the working
//! directory of integration tests, so rendered file names are stable.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::{Path, PathBuf};

use common::zhibiao;

use zhibiao::check::{CheckError, is_error};
use zhibiao::diagnostics::{render, render_in, to_json};
use zhibiao::words::Lang;
use zhibiao::workspace;

const BROKEN: &str = "tests/fixtures/broken";
const WARN: &str = "tests/fixtures/warn";

/// One fixture file and what its leading comments promise.
struct Fixture {
    path: PathBuf,
    /// The file stem, also the snapshot name.
    name: String,
    /// The 1-based line the main diagnostic must be on.
    line: usize,
    /// The leading `//` comment lines, for the snapshot's description.
    comments: String,
    known_bug: Option<String>,
}

/// The `*.zb` fixtures of `dir`, sorted by file name.
fn fixtures(dir: &str) -> Vec<Fixture> {
    let dir = Path::new(dir);
    assert!(
        dir.is_dir(),
        "`{}` is not a folder: run the tests from the crate root (`cargo test`)",
        dir.display()
    );
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list `{}`: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list `{}`: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.extension().is_some_and(|e| e == workspace::EXT))
        .collect();
    paths.sort();
    paths.into_iter().map(fixture).collect()
}

fn fixture(path: PathBuf) -> Fixture {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()));
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_else(|| panic!("`{}` has no UTF-8 file stem", path.display()))
        .to_string();
    let first = text.lines().next().unwrap_or_default();
    let line = first
        .strip_prefix("// expect: line ")
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(n, _)| n.trim().parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "`{}` must start with `// expect: line N: what is wrong`, not `{first}`",
                path.display()
            )
        });
    let leading: Vec<&str> = text.lines().take_while(|l| l.starts_with("//")).collect();
    let known_bug = leading
        .iter()
        .find_map(|l| l.strip_prefix("// known-bug:"))
        .map(|s| s.trim().to_string());
    Fixture {
        path,
        name,
        line,
        comments: leading.join("\n"),
        known_bug,
    }
}

/// The fixture's own diagnostics; an amendment is checked against the version it amends.
fn load(f: &Fixture) -> Vec<CheckError> {
    let key = f.path.canonicalize().unwrap_or_else(|_| f.path.clone());
    workspace::load_all(std::slice::from_ref(&f.path))
        .unwrap_or_else(|e| panic!("cannot load `{}`: {e}", f.path.display()))
        .into_iter()
        .find(|l| l.canonical == key)
        .unwrap_or_else(|| panic!("`{}` was not loaded", f.path.display()))
        .checked
        .diagnostics
}

/// Every diagnostic as `zhibiao check` prints it, without colour.
fn rendered(diagnostics: &[CheckError]) -> String {
    diagnostics
        .iter()
        .map(|d| render(d, false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The same in Chinese, as `zhibiao --lang zh check` prints it.
fn rendered_zh(diagnostics: &[CheckError]) -> String {
    diagnostics
        .iter()
        .map(|d| render_in(&d.said(Lang::Zh), false, Lang::Zh))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What is wrong with a diagnostic's words in `lang`: a Chinese text with no
/// Chinese or with English words outside backquotes, an English text with
/// Chinese outside them, an empty one.
fn words_problem(d: &CheckError, lang: Lang) -> Option<String> {
    let texts = d.texts(lang);
    let labels = d.spans().len();
    if texts.labels.len() < labels {
        return Some(format!(
            "{} label(s) for {labels} span(s): {texts:?}",
            texts.labels.len()
        ));
    }
    let all = std::iter::once(&texts.message)
        .chain(texts.labels.iter().take(labels))
        .chain(texts.help.iter());
    for s in all {
        // The text outside backquotes, and outside a file name or path.
        let own: String = s
            .split('`')
            .step_by(2)
            .collect::<String>()
            .split_whitespace()
            .filter(|w| !w.contains(".zb") && !w.contains('/'))
            .collect::<Vec<_>>()
            .join(" ");
        let han = own.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let english = own
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() > 1);
        let bad = match lang {
            Lang::Zh => !han || english,
            Lang::En => han || s.is_empty(),
        };
        if bad {
            return Some(format!("{lang:?} text `{s}` of {}", d.code()));
        }
    }
    None
}

fn snapshot(folder: &str, f: &Fixture, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new("snapshots").join(folder));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(&f.path);
    settings.set_description(f.comments.as_str());
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(f.name.as_str(), text));
}

/// The first error must exist and sit on the expected line.
fn broken_problem(f: &Fixture, diagnostics: &[CheckError]) -> Option<String> {
    let Some(first) = diagnostics.iter().find(|d| is_error(d)) else {
        return Some(format!(
            "no error reported ({} other diagnostic(s))",
            diagnostics.len()
        ));
    };
    let line = to_json(first).line;
    (line != Some(f.line)).then(|| {
        format!(
            "the first error `{first}` is on line {}, expected line {}",
            line.map_or("(none)".to_string(), |l| l.to_string()),
            f.line
        )
    })
}

/// No errors, and the first diagnostic (a warning or note) on the expected line.
fn warn_problem(f: &Fixture, diagnostics: &[CheckError]) -> Option<String> {
    if let Some(e) = diagnostics.iter().find(|d| is_error(d)) {
        return Some(format!("unexpected error `{e}`"));
    }
    let Some(first) = diagnostics.first() else {
        return Some("no warning reported".to_string());
    };
    let line = to_json(first).line;
    (line != Some(f.line)).then(|| {
        format!(
            "the first warning `{first}` is on line {}, expected line {}",
            line.map_or("(none)".to_string(), |l| l.to_string()),
            f.line
        )
    })
}

/// Check every fixture of `folder`, snapshot its diagnostics and fail with
/// every broken expectation at once.
fn run_fixtures(
    folder: &str,
    dir: &str,
    min: usize,
    problem: fn(&Fixture, &[CheckError]) -> Option<String>,
) {
    let fixtures = fixtures(dir);
    assert!(
        fixtures.len() >= min,
        "expected at least {min} fixtures in `{dir}`, found {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for f in &fixtures {
        let diagnostics = load(f);
        match (problem(f, &diagnostics), &f.known_bug) {
            (None, None) => {}
            (Some(p), None) => failures.push(format!("{}: {p}", f.path.display())),
            (Some(p), Some(bug)) => {
                eprintln!("{}: known bug ({bug}): {p}", f.path.display());
            }
            (None, Some(_)) => failures.push(format!(
                "{}: marked `// known-bug:` but its expectation now holds; \
                 remove the marker and review the snapshot",
                f.path.display()
            )),
        }
        snapshot(folder, f, &rendered(&diagnostics));
        snapshot(&format!("{folder}-zh"), f, &rendered_zh(&diagnostics));
        for d in &diagnostics {
            for lang in [Lang::Zh, Lang::En] {
                if let Some(p) = words_problem(d, lang) {
                    failures.push(format!("{}: {p}", f.path.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn broken_fixtures_report_an_error_on_the_expected_line() {
    run_fixtures("broken", BROKEN, 30, broken_problem);
}

#[test]
fn warn_fixtures_pass_with_a_warning_on_the_expected_line() {
    run_fixtures("warn", WARN, 1, warn_problem);
}

// ------------------------------------------------------------------ the binary

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_reports_a_broken_file_with_exit_1() {
    let path = format!("{BROKEN}/09-unknown-column.zb");
    let f = fixture(PathBuf::from(&path));

    let out = zhibiao(&["check", &path]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    let at = format!("{path}:{}:", f.line);
    assert!(
        stderr.contains(&at),
        "stderr does not mention `{at}`:\n{stderr}"
    );
    assert!(
        stderr.contains("statuss"),
        "stderr does not name `statuss`:\n{stderr}"
    );

    let out = zhibiao(&["check", "--format", "json", &path]);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout).expect("`check --format json` prints JSON on stdout");
    let first = &json["diagnostics"][0];
    assert_eq!(first["line"], f.line, "first diagnostic: {first:#}");
    assert_eq!(first["file"], path.as_str(), "first diagnostic: {first:#}");
    assert_eq!(first["severity"], "error", "first diagnostic: {first:#}");
    assert_eq!(json["errors"], 1, "whole output: {json:#}");
}

#[test]
fn check_accepts_the_shipped_policies() {
    let out = zhibiao(&["check", "policies"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(stderr.contains("0 error(s)"), "stderr:\n{stderr}");
}

#[test]
fn check_allows_warnings() {
    let out = zhibiao(&["check", WARN]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(stderr.contains("warning"), "stderr:\n{stderr}");
}

#[test]
fn check_a_missing_path_is_a_usage_error() {
    let path = "tests/fixtures/no-such-policy.zb";
    let out = zhibiao(&["check", path]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(
        stderr.contains(path),
        "stderr does not name `{path}`:\n{stderr}"
    );
}

#[test]
fn check_takes_policy_like_every_other_command() {
    let o = common::zhibiao(&["check", "--policy", "policies"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let o = common::zhibiao(&[
        "check",
        "--policy",
        "tests/fixtures/broken/75-swapped-letters-in-a-column.zb",
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_policy_saved_as_gbk_is_one_error_naming_the_encoding() {
    let dir = std::env::temp_dir().join(format!("zb-gbk-policy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let text = std::fs::read_to_string("policies/jiading-2022.zb").expect("policy");
    let file = dir.join("p.zb");
    std::fs::write(&file, encoding_rs::GBK.encode(&text).0).expect("write");
    let o = common::zhibiao(&["check", file.to_str().expect("utf-8")]);
    assert_ne!(o.status.code(), Some(0));
    let err = common::stderr(&o);
    assert!(
        err.contains("it is saved as GBK/GB18030; policy files are UTF-8"),
        "{err}"
    );
    assert_eq!(err.matches("cannot read").count(), 1, "one error: {err}");
    let _ = std::fs::remove_dir_all(&dir);
}
