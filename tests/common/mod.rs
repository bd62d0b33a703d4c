//! Helpers shared by the tests that evaluate the example court in several ways.
// Each test crate that includes this module uses some of its helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use zhibiao::eval::{Options, eval};
use zhibiao::period::Period;

/// The shipped policy, checked.
pub fn policy() -> Arc<zhibiao::ir::Policy> {
    let loaded = zhibiao::workspace::load(Path::new("policies/jiading-2022.zb")).expect("load");
    Arc::new(loaded.checked.policy.expect("checks"))
}

/// Every figure of 2022-Q2 over `dir`, one line per indicator and department, sorted.
pub fn figures(dir: &Path, opts: &Options) -> String {
    let plan = zhibiao::plan::compile(policy());
    let period = Period::parse("2022-Q2").expect("period");
    let r = eval(&plan, &*zhibiao::data::source::files(dir), &period, opts).expect("eval");
    let mut rows: Vec<String> = zhibiao::render::flat(&r)
        .iter()
        .map(|x| {
            format!(
                "{} {} {:?} {:?} {:?}",
                x.indicator, x.department, x.numerator, x.denominator, x.value
            )
        })
        .collect();
    rows.sort();
    rows.join("\n")
}

/// One thread, no chunks.
pub fn one_thread() -> Options {
    Options {
        threads: 1,
        ..Options::default()
    }
}

/// Chunks of a few kilobytes on two threads: every file is split.
pub fn chunked() -> Options {
    Options {
        threads: 2,
        chunk_bytes: 4096,
        ..Options::default()
    }
}

/// A folder of its own for a test, empty.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

/// Run the real binary from the project's folder, colours off, the terminal
/// report at its default width, messages in English whatever the locale.
pub fn zhibiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .expect("run zhibiao")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copy every file of folder `from` into folder `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("read folder") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), to.join(e.file_name())).expect("copy");
    }
}

/// Every indicator of the Jiading policy, as printed.
pub const CODES: [&str; 21] = [
    "HC1",
    "HC1b",
    "HC2",
    "HC3",
    "HC3a",
    "HC3b",
    "HC4",
    "HC4-talk",
    "HC4-president",
    "HC5",
    "HC5-president",
    "HC6",
    "HC7",
    "HC8",
    "HC9",
    "HC10",
    "HC11",
    "HC12",
    "HC13",
    "HC14a",
    "HC14b",
];

/// `zhibiao eval --period 2022-06 --data DATA` and any `extra` arguments.
pub fn eval_june(data: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "eval",
        "--period",
        "2022-06",
        "--data",
        data.to_str().expect("utf-8"),
    ];
    args.extend(extra);
    zhibiao(&args)
}

/// The flat JSON results of `eval --period 2022-06` over `data`; the run must succeed.
pub fn june_results(data: &Path, extra: &[&str]) -> String {
    let mut args = vec!["--format", "json"];
    args.extend(extra);
    let o = eval_june(data, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    j["results"].to_string()
}

/// [`zhibiao`] with the environment's language settings given.
pub fn zhibiao_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
    c.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove("ZHIBIAO_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run zhibiao")
}
