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
    let dir = fresh_dir("zhibiao-order");
    for e in std::fs::read_dir("examples/data").expect("data") {
        let e = e.expect("entry");
        let text = std::fs::read_to_string(e.path()).expect("read");
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("");
        let mut rows: Vec<&str> = lines.collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
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
