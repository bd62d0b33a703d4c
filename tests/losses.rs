//! No row is lost silently. For every way a row can be left out — a value
//! that does not parse (`--lenient`), a reference to a row that is not there,
//! a duplicate key, a malformed record, a chunk split inside a quoted line,
//! more left out than `--max-dropped` allows — the report reconciles, table by
//! table: the records in the file are the rows read, the rows read are the
//! rows used plus the rows left out, the rows left out are the lines of the
//! data errors reported, the rows used are the records the indicators saw,
//! and the figures are those of the file without the lines reported.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use zhibiao::data::source::files;

use common::{copy_dir, fresh_dir, policy};
use zhibiao::eval::{Options, Report, eval, run};
use zhibiao::explain::{Explainer, Selector};
use zhibiao::period::Period;

fn june() -> Period {
    Period::parse("2022-06").expect("period")
}

fn lenient() -> Options {
    Options {
        lenient: true,
        max_dropped: 100.0,
        ..Options::default()
    }
}

/// A copy of the example court to break.
fn court(name: &str) -> PathBuf {
    let dir = fresh_dir(name);
    copy_dir(Path::new("examples/data"), &dir);
    dir
}

/// The records of a CSV file, counted by a CSV reader of its own.
fn records(path: &Path) -> u64 {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .expect("open");
    r.byte_records().count() as u64
}

/// Replace the lines `edit` picks of `file` (1-based, the header is line 1).
fn edit_lines(dir: &Path, file: &str, mut edit: impl FnMut(usize, &str) -> Option<String>) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    let out: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| edit(i + 1, l).unwrap_or_else(|| l.to_string()))
        .collect();
    std::fs::write(&path, out.join("\n") + "\n").expect("write");
}

/// Every figure of a report, one line each.
fn figures(r: &Report) -> BTreeMap<String, String> {
    zhibiao::render::flat(r)
        .iter()
        .map(|x| {
            (
                format!("{} {}", x.indicator, x.department),
                format!("{:?} {:?} {:?}", x.numerator, x.denominator, x.value),
            )
        })
        .collect()
}

/// Evaluate `dir` leniently for June and check that every table reconciles;
/// the per-file lines reported left out are returned.
fn reconcile(dir: &Path, opts: &Options) -> (Report, BTreeMap<String, BTreeSet<u64>>) {
    reconcile_in(&Court::jiading(), dir, opts)
}

/// A policy and the period its data is evaluated for.
struct Court {
    policy: std::sync::Arc<zhibiao::ir::Policy>,
    period: Period,
}

impl Court {
    fn jiading() -> Court {
        Court {
            policy: policy(),
            period: june(),
        }
    }
}

fn reconcile_in(
    court: &Court,
    dir: &Path,
    opts: &Options,
) -> (Report, BTreeMap<String, BTreeSet<u64>>) {
    let policy = court.policy.clone();
    let plan = zhibiao::plan::compile(policy.clone());
    let report = eval(&plan, &*files(dir), &court.period, opts).expect("eval");
    // The lines reported left out, per file.
    let mut left_out: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for e in &report.dropped_errors {
        let file = Path::new(&e.file)
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        left_out.entry(file).or_default().insert(e.line);
    }
    // The records each table's indicators saw.
    let mut obs = Explainer::new(Selector::All);
    let one = Options {
        threads: 1,
        ..opts.clone()
    };
    run(&plan, &*files(dir), &court.period, &one, &mut obs).expect("run");
    let mut seen: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for o in &obs.outcomes {
        let t = &policy.schema.tables[o.table];
        seen.entry(t.file.clone()).or_default().insert(o.line);
    }
    for s in &report.data {
        assert_eq!(s.rows, records(&dir.join(&s.file)), "{}: rows read", s.file);
        assert_eq!(
            s.rows,
            s.used + s.dropped,
            "{}: read = used + left out",
            s.file
        );
        let reported = left_out.get(&s.file).map_or(0, |l| l.len() as u64);
        assert_eq!(s.dropped, reported, "{}: left out = lines reported", s.file);
        if let Some(lines) = seen.get(&s.file) {
            assert_eq!(
                s.used,
                lines.len() as u64,
                "{}: used = records seen",
                s.file
            );
            let reported = left_out.get(&s.file);
            assert!(
                lines
                    .iter()
                    .all(|l| reported.is_none_or(|r| !r.contains(l))),
                "{}: a row both used and left out",
                s.file
            );
        }
    }
    // Every error reported names a table of the report.
    for f in left_out.keys() {
        assert!(
            report.data.iter().any(|s| &s.file == f),
            "{f} not in the report"
        );
    }
    (report, left_out)
}

/// Without the lines reported left out, the data is clean and gives the
/// same figures: what was reported is exactly what was left out.
fn same_without(dir: &Path, report: &Report, left_out: &BTreeMap<String, BTreeSet<u64>>) {
    same_without_in(&Court::jiading(), dir, report, left_out)
}

fn same_without_in(
    court: &Court,
    dir: &Path,
    report: &Report,
    left_out: &BTreeMap<String, BTreeSet<u64>>,
) {
    let clean = fresh_dir(&format!(
        "{}-clean",
        dir.file_name().expect("name").to_string_lossy()
    ));
    copy_dir(dir, &clean);
    for (file, lines) in left_out {
        let path = clean.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, _)| !lines.contains(&(*i as u64 + 1)))
            .map(|(_, l)| l)
            .collect();
        std::fs::write(&path, kept.join("\n") + "\n").expect("write");
    }
    let plan = zhibiao::plan::compile(court.policy.clone());
    let strict =
        eval(&plan, &*files(&clean), &court.period, &Options::default()).expect("clean data");
    assert!(strict.dropped_errors.is_empty());
    assert_eq!(figures(report), figures(&strict));
    let _ = std::fs::remove_dir_all(clean);
}

fn dropped(r: &Report, file: &str) -> u64 {
    r.data
        .iter()
        .find(|s| s.file == file)
        .map_or(0, |s| s.dropped)
}

#[test]
fn bad_values_are_left_out_counted_and_reported() {
    let dir = court("zb-loss-values");
    // Every 40th hearing gets a status outside its list (a streamed table),
    // every 100th case a filing date that is no date (a stored table).
    let mut hearings = 0;
    edit_lines(&dir, "hearings.csv", |i, l| {
        (i > 1 && i % 40 == 0).then(|| {
            hearings += 1;
            l.replacen(",已开庭,", ",已开,", 1)
                .replacen(",取消,", ",取,", 1)
                .replacen(",未按时开庭,", ",未按时,", 1)
        })
    });
    let mut cases = 0;
    edit_lines(&dir, "cases.csv", |i, l| {
        (i > 1 && i % 100 == 0).then(|| {
            cases += 1;
            let mut f: Vec<&str> = l.split(',').collect();
            f[6] = "2022-13-45";
            f.join(",")
        })
    });
    let (report, left_out) = reconcile(&dir, &lenient());
    // Worked out: each broken line is left out once; a case left out takes
    // the records that refer to it along (reported as references to a
    // missing row), so hearings lose at least their broken lines.
    assert_eq!(dropped(&report, "cases.csv"), cases);
    assert!(dropped(&report, "hearings.csv") >= hearings);
    let dangling = report
        .dropped_errors
        .iter()
        .filter(|e| e.kind == zhibiao::data::DataErrorKind::DanglingReference)
        .count() as u64;
    let children: u64 = report
        .data
        .iter()
        .filter(|s| s.file != "cases.csv")
        .map(|s| s.dropped)
        .sum();
    assert_eq!(
        children,
        hearings + dangling,
        "every other row left out refers to a case left out"
    );
    assert!(dangling > 0);
    same_without(&dir, &report, &left_out);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn records_of_a_missing_case_are_left_out_counted_and_reported() {
    let dir = court("zb-loss-dangling");
    let mut n = 0;
    edit_lines(&dir, "documents.csv", |i, l| {
        (i > 1 && i % 25 == 0).then(|| {
            n += 1;
            let mut f: Vec<&str> = l.split(',').collect();
            f[1] = "(2022)沪0114民初0号";
            f.join(",")
        })
    });
    let (report, left_out) = reconcile(&dir, &lenient());
    assert_eq!(dropped(&report, "documents.csv"), n);
    assert!(report.dropped_errors.iter().all(|e| e.kind
        == zhibiao::data::DataErrorKind::DanglingReference
        && e.value == "(2022)沪0114民初0号"));
    same_without(&dir, &report, &left_out);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn duplicate_keys_are_left_out_counted_and_reported() {
    let dir = court("zb-loss-duplicates");
    // Lines 5 and 9 of hearings (streamed) and of cases (stored) again at the end.
    for file in ["hearings.csv", "cases.csv"] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        let again = format!("{}\n{}\n", lines[4], lines[8]);
        std::fs::write(&path, text + &again).expect("write");
    }
    let (report, left_out) = reconcile(&dir, &lenient());
    assert_eq!(dropped(&report, "hearings.csv"), 2);
    assert_eq!(dropped(&report, "cases.csv"), 2);
    // The second of each pair is left out: the last two lines.
    for file in ["hearings.csv", "cases.csv"] {
        let total = std::fs::read_to_string(dir.join(file))
            .expect("read")
            .lines()
            .count() as u64;
        let want: BTreeSet<u64> = [total - 1, total].into();
        assert_eq!(left_out.get(file), Some(&want), "{file}");
    }
    same_without(&dir, &report, &left_out);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn malformed_records_are_left_out_counted_and_reported() {
    let dir = court("zb-loss-width");
    // Two services records lose their last field.
    edit_lines(&dir, "services.csv", |i, l| {
        (i == 10 || i == 20).then(|| l.rsplit_once(',').expect("fields").0.to_string())
    });
    let (report, left_out) = reconcile(&dir, &lenient());
    assert_eq!(dropped(&report, "services.csv"), 2);
    assert_eq!(left_out.get("services.csv"), Some(&[10, 20].into()));
    same_without(&dir, &report, &left_out);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_chunk_split_inside_a_quoted_line_loses_and_doubles_nothing() {
    let dir = court("zb-loss-chunks");
    // Every hearing result and every case's department spans two lines, so
    // that splits at line starts fall inside records of a streamed and of a
    // stored table.
    for (file, col) in [("hearings.csv", "result"), ("cases.csv", "department")] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let header = rdr.headers().expect("header").clone();
        let at = header.iter().position(|h| h == col).expect("column");
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).expect("header");
        for rec in rdr.records() {
            let rec = rec.expect("record");
            let f: Vec<String> = rec
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    if i == at && !x.is_empty() {
                        format!("{x}\n续")
                    } else {
                        x.to_string()
                    }
                })
                .collect();
            w.write_record(&f).expect("write");
        }
        std::fs::write(&path, w.into_inner().expect("bytes")).expect("write");
    }
    let chunked = Options {
        threads: 2,
        chunk_bytes: 4096,
        ..Options::default()
    };
    let (report, left_out) = reconcile(&dir, &chunked);
    assert!(left_out.is_empty());
    let plain = eval(
        &zhibiao::plan::compile(policy()),
        &*files(&dir),
        &june(),
        &Options {
            threads: 1,
            ..Options::default()
        },
    )
    .expect("one thread");
    assert_eq!(figures(&report), figures(&plain));
    // More lines than records: the records were counted, once each.
    let h = report
        .data
        .iter()
        .find(|s| s.file == "hearings.csv")
        .expect("hearings");
    let lines = std::fs::read_to_string(dir.join("hearings.csv"))
        .expect("read")
        .lines()
        .count() as u64;
    assert!(h.rows < lines - 1 && h.used == h.rows, "{h:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn more_left_out_than_max_dropped_is_an_error_that_says_how_many() {
    let dir = court("zb-loss-max");
    // 1 hearing in 20 breaks: 5% of the rows.
    let mut broken = 0u64;
    edit_lines(&dir, "hearings.csv", |i, l| {
        (i > 1 && i % 20 == 0).then(|| {
            broken += 1;
            let mut f: Vec<&str> = l.split(',').collect();
            f[3] = "soon";
            f.join(",")
        })
    });
    let rows = records(&dir.join("hearings.csv"));
    let plan = zhibiao::plan::compile(policy());
    let strict = Options {
        max_dropped: 4.0,
        ..lenient()
    };
    match eval(&plan, &*files(&dir), &june(), &strict) {
        Err(zhibiao::eval::EvalError::TooManyDropped {
            file,
            rows: r,
            dropped,
            percent,
            errors,
            ..
        }) => {
            assert!(file.ends_with("hearings.csv"));
            assert_eq!((r, dropped), (rows, broken));
            assert!((percent - broken as f64 * 100.0 / rows as f64).abs() < 1e-9);
            assert!(!errors.is_empty() && errors.iter().all(|e| e.file == file));
        }
        other => panic!("too many dropped, not {:?}", other.map(|_| "figures")),
    }
    // Allowed: the same rows, left out and reconciled.
    let (report, left_out) = reconcile(
        &dir,
        &Options {
            max_dropped: 6.0,
            ..lenient()
        },
    );
    assert_eq!(dropped(&report, "hearings.csv"), broken);
    same_without(&dir, &report, &left_out);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_json_report_shows_rows_read_used_and_left_out() {
    let dir = court("zb-loss-json");
    edit_lines(&dir, "hearings.csv", |i, l| {
        (i == 7).then(|| {
            l.replacen(",线下", ",线上", 1)
                .replacen(",在线同步", ",线上", 1)
                .replacen(",在线异步", ",线上", 1)
        })
    });
    let o = common::eval_june(&dir, &["--lenient", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let h = j["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|t| t["table"] == "hearings")
        .expect("hearings")
        .clone();
    let n = records(&dir.join("hearings.csv"));
    assert_eq!(
        (
            h["rows"].as_u64(),
            h["used"].as_u64(),
            h["dropped"].as_u64()
        ),
        (Some(n), Some(n - 1), Some(1)),
        "{h}"
    );
    let lines: Vec<u64> = j["dropped_rows"]
        .as_array()
        .expect("dropped rows")
        .iter()
        .filter_map(|e| e["line"].as_u64())
        .collect();
    assert_eq!(lines, vec![7]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_case_whose_original_case_is_missing_is_left_out_with_the_cases_derived_from_it() {
    // cases.origin_id refers to cases: C2 and C3 derive from C1, C5 from C4.
    // C1 now names an original case that is not there; C4 stays whole.
    let dir = fresh_dir("zb-loss-self-relation");
    copy_dir(Path::new("tests/fixtures/derived/data"), &dir);
    edit_lines(&dir, "cases.csv", |_, l| {
        l.starts_with("C1,").then(|| format!("{l}C9"))
    });
    let loaded =
        zhibiao::workspace::load(Path::new("tests/fixtures/derived/policy.zb")).expect("load");
    let court = Court {
        policy: std::sync::Arc::new(loaded.checked.policy.expect("checks")),
        period: Period::parse("2024-01").expect("period"),
    };
    let plan = zhibiao::plan::compile(court.policy.clone());
    // Strict: an error naming the line and the value.
    let err = eval(&plan, &*files(&dir), &court.period, &Options::default()).expect_err("strict");
    let zhibiao::eval::EvalError::Data { errors, .. } = err else {
        panic!("data errors: {err}");
    };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.value.as_str())).collect();
    assert_eq!(found, [(2, "C9"), (3, "C1"), (4, "C1")]);
    let (report, left_out) = reconcile_in(&court, &dir, &lenient());
    // C1 (line 2) names no case; C2 and C3 (lines 3, 4) name C1, left out.
    assert_eq!(left_out.get("cases.csv"), Some(&[2, 3, 4].into()));
    let values: Vec<&str> = report
        .dropped_errors
        .iter()
        .map(|e| e.value.as_str())
        .collect();
    assert_eq!(values, ["C9", "C1", "C1"]);
    assert!(report.dropped_errors.iter().all(|e| e.kind
        == zhibiao::data::DataErrorKind::DanglingReference
        && e.column == "origin_id"));
    // The figures are those of the two cases left: C4 and C5 (from C4).
    same_without_in(&court, &dir, &report, &left_out);
    let _ = std::fs::remove_dir_all(dir);
}
