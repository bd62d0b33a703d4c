//! Inputs the fuzz targets (`fuzz/`) found a failure with, kept as files in
//! `tests/fixtures/fuzz/TARGET/`, run through the very bodies the targets run
//! (`fuzz/src/lib.rs`, compiled here too): each must now pass every check the
//! target makes. The tests below them say what each input gives instead.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::path::Path;

/// The inputs kept for one target, sorted by name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new("tests/fixtures/fuzz").join(target);
    let mut out: Vec<(String, Vec<u8>)> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .map(|e| {
                let e = e.expect("entry");
                let bytes = std::fs::read(e.path()).expect("read");
                (e.file_name().to_string_lossy().into_owned(), bytes)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn run_all(target: &str, body: fn(&[u8])) {
    for (name, bytes) in inputs(target) {
        let r = std::panic::catch_unwind(|| body(&bytes));
        assert!(r.is_ok(), "tests/fixtures/fuzz/{target}/{name} fails");
    }
}

#[test]
fn parse_check_inputs() {
    run_all("parse_check", harness::parse_check);
}

#[test]
fn schema_yaml_inputs() {
    run_all("schema_yaml", harness::schema_yaml);
}

#[test]
fn test_yaml_inputs() {
    run_all("test_yaml", harness::test_yaml);
}

#[test]
fn csv_eval_inputs() {
    run_all("csv_eval", harness::csv_eval);
    harness::remove_court();
}
