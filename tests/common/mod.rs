//! Helpers shared by the tests that evaluate the example court in several ways.
// Each test crate that includes this module uses some of its helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
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
    let r = eval(&plan, dir, &period, opts).expect("eval");
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
