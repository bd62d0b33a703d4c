//! Inputs the fuzz targets (`fuzz/`) found a failure with, kept as files in
//! `tests/fixtures/fuzz/TARGET/`, run through the very bodies the targets run
//! (`fuzz/src/lib.rs`, compiled here too): each must now pass every check the
//! target makes. The tests below them say what each input gives instead.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

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

/// The two targets that write into the tiny court's one folder, one after
/// the other (tests run on threads), the folder removed at the end.
#[test]
fn data_reader_inputs() {
    run_all("csv_eval", harness::csv_eval);
    run_all("xlsx_eval", harness::xlsx_eval);
    // The seeds the fuzz script gives `xlsx_eval`: every table of the tiny
    // court written into a workbook, and bytes that are no workbook at all.
    let mut names: Vec<String> = std::fs::read_dir("fuzz/data")
        .expect("fuzz/data")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for (i, name) in names.iter().enumerate() {
        let text = std::fs::read(Path::new("fuzz/data").join(name)).expect("read");
        let mut input = vec![i as u8, 0];
        input.extend(&text);
        harness::xlsx_eval(&input);
        harness::xlsx_eval(&[i as u8, 1, b'P', b'K', 3, 4, 0, 0]);
    }
    harness::remove_court();
}

/// `csv_eval/chunked-hours-sum-order`: HC10's sum of hours read in 256-byte
/// chunks once differed from one thread's in its last bits; sums are now
/// added as whole multiples of 2^-52, and the two are the same to the bit.
#[test]
fn chunked_sum_of_hours_is_the_same_to_the_bit() {
    use zhibiao::eval::{Options, eval};
    let dir = std::env::temp_dir().join(format!("zhibiao-fuzz-hours-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for e in std::fs::read_dir("fuzz/data").expect("fuzz/data") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), dir.join(e.file_name())).expect("copy");
    }
    let input =
        std::fs::read("tests/fixtures/fuzz/csv_eval/chunked-hours-sum-order").expect("input");
    std::fs::write(dir.join("citywide.csv"), &input[1..]).expect("write");
    let loaded = zhibiao::workspace::load(Path::new("policies/jiading-2022.zb")).expect("load");
    let plan = zhibiao::plan::compile(std::sync::Arc::new(loaded.checked.policy.expect("checks")));
    let period = zhibiao::period::Period::parse("2022-06").expect("period");
    let one = Options {
        threads: 1,
        other_periods: false,
        ..Options::default()
    };
    let chunked = Options {
        threads: 2,
        chunk_bytes: 256,
        ..one.clone()
    };
    let a = eval(&plan, &*zhibiao::data::source::files(&dir), &period, &one).expect("figures");
    let b = eval(
        &plan,
        &*zhibiao::data::source::files(&dir),
        &period,
        &chunked,
    )
    .expect("figures");
    let _ = std::fs::remove_dir_all(&dir);
    let hc10 = |r: &zhibiao::eval::Report| {
        zhibiao::render::flat(r)
            .iter()
            .find(|x| x.indicator == "HC10" && x.department == zhibiao::eval::COURT)
            .and_then(|x| x.value)
            .expect("HC10 is defined")
    };
    let (x, y) = (hc10(&a), hc10(&b));
    assert!((x - 1.725_675_999_342_756).abs() < 1e-12, "{x}");
    assert_eq!(x.to_bits(), y.to_bits(), "{x} {y}");
    assert_eq!(
        zhibiao::render::value_text(zhibiao::vocab::Unit::Percent, Some(x)),
        zhibiao::render::value_text(zhibiao::vocab::Unit::Percent, Some(y))
    );
}
