//! Reading large files in chunks on several threads gives the same figures as
//! one thread, also when a quoted field holding a line break straddles a split.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use zhibiao::data::Problem;

use std::path::{Path, PathBuf};

use common::{chunked, copy_dir, figures, fresh_dir, one_thread, policy};
use zhibiao::eval::eval;
use zhibiao::period::Period;

/// A fresh copy of the example court in a folder of its own.
fn copy_of_examples(name: &str) -> PathBuf {
    let dir = fresh_dir(name);
    copy_dir(Path::new("examples/data"), &dir);
    dir
}

/// The data errors of evaluating `dir` for 2022-06 in 4 KB chunks.
fn data_errors(dir: &Path) -> Vec<zhibiao::data::DataError> {
    let plan = zhibiao::plan::compile(policy());
    let period = Period::parse("2022-06").expect("period");
    match eval(
        &plan,
        &*zhibiao::data::source::files(dir),
        &period,
        &chunked(),
    ) {
        Err(zhibiao::eval::EvalError::Data { errors, .. }) => errors,
        other => panic!("a data error, not {:?}", other.map(|_| "figures")),
    }
}

#[test]
fn chunked_reading_gives_the_same_figures() {
    let data = Path::new("examples/data");
    assert_eq!(figures(data, &one_thread()), figures(data, &chunked()));
}

#[test]
fn line_breaks_inside_quoted_fields_fall_back_to_one_piece() {
    let dir = copy_of_examples("zhibiao-chunks");
    // Every entered hearing result spans three lines.
    let path = dir.join("hearings.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header = rdr.headers().expect("header").clone();
    let result = header
        .iter()
        .position(|h| h == "result")
        .expect("result column");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("header");
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let fields: Vec<String> = rec
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if i == result && !f.is_empty() {
                    format!("{f}\n第二行\n第三行")
                } else {
                    f.to_string()
                }
            })
            .collect();
        w.write_record(&fields).expect("write");
    }
    std::fs::write(&path, w.into_inner().expect("bytes")).expect("write");
    assert_eq!(figures(&dir, &one_thread()), figures(&dir, &chunked()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn data_errors_keep_their_line_numbers_in_chunks() {
    let dir = copy_of_examples("zhibiao-chunk-lines");
    let path = dir.join("services.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len();
    let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
    let channel = header
        .iter()
        .position(|h| *h == "channel")
        .expect("channel");
    // Near the end of the file, well past the first chunk.
    let target = n - 3;
    let mut f: Vec<String> = lines[target].split(',').map(str::to_string).collect();
    f[channel] = "飞鸽传书".into();
    lines[target] = f.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let errors = data_errors(&dir);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, target as u64 + 1, "{:?}", errors[0]);
    assert_eq!(errors[0].value, "飞鸽传书");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stored_table_read_in_chunks_reports_a_duplicate_across_chunks() {
    let dir = copy_of_examples("zhibiao-chunk-dup");
    let path = dir.join("cases.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    // Line 3 again at the end: in another chunk than its first copy.
    std::fs::write(&path, format!("{}\n{}\n", lines.join("\n"), lines[2])).expect("write");
    let errors = data_errors(&dir);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, lines.len() as u64 + 1);
    assert_eq!(errors[0].column_no, 1);
    assert!(
        matches!(*errors[0].problem, Problem::DuplicateKey { first: 3, .. }),
        "{:?}",
        errors[0].problem
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Service ids rise through the file, so each chunk is known to hold no
/// duplicate without sorting; a duplicate where the second chunk starts (the
/// last id of the first chunk again) is still found.
#[test]
fn a_duplicate_where_a_chunk_starts_is_found_when_the_keys_rise() {
    let dir = copy_of_examples("zhibiao-chunk-rise");
    let path = dir.join("services.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    // Where two threads split the file: the first line start after its middle.
    let middle = text.len() / 2;
    let start = middle + text[middle..].find('\n').expect("line") + 1;
    let before = text[..start - 1].rfind('\n').expect("line before") + 1;
    let key = |at: usize| text[at..].split(',').next().expect("key").to_string();
    let (prev, first) = (key(before), key(start));
    assert!(prev < first && prev.len() == first.len(), "{prev} {first}");
    // The same length: the split stays where it was.
    let changed = format!("{}{}{}", &text[..start], prev, &text[start + first.len()..]);
    std::fs::write(&path, &changed).expect("write");
    let line_of = |at: usize| changed[..at].matches('\n').count() as u64 + 1;
    let errors = data_errors(&dir);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, line_of(start));
    assert_eq!(
        *errors[0].problem,
        Problem::DuplicateKey {
            key: prev.clone(),
            first: line_of(before)
        }
    );
    assert_eq!(
        errors[0].message(zhibiao::words::Lang::En),
        format!(
            "key `{prev}` appears again (first on line {})",
            line_of(before)
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Explaining a bucket reads in chunks on both threads too: its records, in
/// file order, with the lines of the file and the same trails.
#[test]
fn a_bucket_explained_in_chunks_is_explained_as_on_one_thread() {
    use zhibiao::explain::{Explainer, Selector};
    let plan = zhibiao::plan::compile(policy());
    let period = Period::parse("2022-Q2").expect("period");
    let explain = |opts: &zhibiao::eval::Options, code: &str| {
        let ind = plan.policy.indicator(code).expect("indicator");
        let mut obs = Explainer::new(Selector::Bucket {
            ind,
            department: None,
            outcome: None,
        });
        zhibiao::eval::run(
            &plan,
            &*zhibiao::data::source::files(Path::new("examples/data")),
            &period,
            opts,
            &mut obs,
        )
        .expect("eval");
        obs.outcomes
            .iter()
            .map(|o| format!("{o:?}"))
            .collect::<Vec<_>>()
    };
    for code in ["HC4", "HC3a", "HC1"] {
        let one = explain(&one_thread(), code);
        assert!(one.len() > 100, "{code}: {}", one.len());
        assert_eq!(explain(&chunked(), code), one, "{code}");
    }
}

#[test]
fn sums_of_decimal_amounts_do_not_depend_on_the_chunks() {
    // The quality policy sums and averages amounts (元, days): every figure,
    // to the last bit, is the same on one thread and in 4 KB chunks.
    let loaded =
        zhibiao::workspace::load(Path::new("examples/quality/quality-2024.zb")).expect("load");
    let plan = zhibiao::plan::compile(std::sync::Arc::new(loaded.checked.policy.expect("checks")));
    let data = &*zhibiao::data::source::files(Path::new("examples/quality/data"));
    for p in ["2024", "2024-Q3", "2024-06"] {
        let period = Period::parse(p).expect("period");
        let a = eval(&plan, data, &period, &one_thread()).expect("eval");
        let b = eval(&plan, data, &period, &chunked()).expect("eval");
        assert_eq!(
            serde_json::to_string(&a.indicators).expect("json"),
            serde_json::to_string(&b.indicators).expect("json"),
            "{p}"
        );
    }
}
