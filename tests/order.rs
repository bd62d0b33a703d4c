//! The figures do not depend on the order of the records. Exports usually list
//! a case's records together and count their ids up, and the engine takes
//! shortcuts when they do (the next case looked for after the last one, its
//! department, scope and `when` reused, items looked for among the case's,
//! rising keys left unsorted); here every file is shuffled, so every shortcut
//! misses and falls back.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::{Path, PathBuf};

use common::{chunked, figures, fresh_dir, one_thread};

/// The example court with the data lines of every file in a scrambled order
/// (a fixed permutation: the same on every run).
fn shuffled() -> PathBuf {
    shuffled_from(
        Path::new("examples/data"),
        "zhibiao-order",
        0x2545_f491_4f6c_dd1d,
    )
}

/// The files of `src` with their data lines scrambled by `seed`.
fn shuffled_from(src: &Path, name: &str, seed: u64) -> PathBuf {
    let dir = fresh_dir(name);
    for e in std::fs::read_dir(src).expect("data") {
        let e = e.expect("entry");
        let text = std::fs::read_to_string(e.path()).expect("read");
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("");
        let mut rows: Vec<&str> = lines.collect();
        let mut seed = seed;
        for i in (1..rows.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            rows.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let body: String = rows.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(dir.join(e.file_name()), format!("{header}\n{body}")).expect("write");
    }
    dir
}

#[test]
fn shuffled_records_give_the_same_figures() {
    let (one, chunked) = (one_thread(), chunked());
    let expected = figures(Path::new("examples/data"), &one);
    let dir = shuffled();
    // The shuffle really breaks the order the shortcuts rely on.
    let services = std::fs::read_to_string(dir.join("services.csv")).expect("read");
    let ids: Vec<&str> = services.lines().skip(1).collect();
    assert!(ids.windows(2).any(|w| w[0] > w[1]));
    assert_eq!(figures(&dir, &one), expected);
    assert_eq!(figures(&dir, &chunked), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The figures of the keys fixture's policy over `dir`, for January 2024.
fn keys_figures(dir: &Path, opts: &zhibiao::eval::Options) -> String {
    let loaded =
        zhibiao::workspace::load(Path::new("tests/fixtures/keys/policy.zb")).expect("load");
    let policy = std::sync::Arc::new(loaded.checked.policy.expect("checks"));
    let plan = zhibiao::plan::compile(policy);
    let period = zhibiao::period::Period::parse("2024-01").expect("period");
    let r = zhibiao::eval::eval(&plan, &*zhibiao::data::source::files(dir), &period, opts)
        .expect("eval");
    let mut rows: Vec<String> = zhibiao::render::flat(&r)
        .iter()
        .map(|x| {
            format!(
                "{} {} {:?} {:?}",
                x.indicator, x.department, x.numerator, x.denominator
            )
        })
        .collect();
    rows.sort();
    rows.join("\n")
}

#[test]
fn an_item_heard_for_several_departments_counts_for_the_same_one_in_any_order() {
    // K5 counts courtrooms: room 7 has online hearings for 民一庭 and 商事庭,
    // and counts for 商事庭 (first by name) whichever comes first.
    let src = Path::new("tests/fixtures/keys/data");
    let (one, chunked) = (one_thread(), chunked());
    let expected = keys_figures(src, &one);
    assert!(
        expected.contains("K5 商事庭 Some(2.0) Some(2.0)"),
        "{expected}"
    );
    for seed in [1u64, 7, 42, 0x9e37_79b9, 0xdead_beef] {
        let dir = shuffled_from(src, &format!("zhibiao-order-keys-{seed}"), seed);
        assert_eq!(keys_figures(&dir, &one), expected, "seed {seed}");
        assert_eq!(
            keys_figures(&dir, &chunked),
            expected,
            "seed {seed}, chunked"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
