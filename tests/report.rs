//! The 周通报 (`zhibiao report`): its figures are those `eval` gives for each
//! period alone; its lists hold the records that miss; the workbook read back
//! by a real reader (calamine) holds the same numbers; the HTML loads nothing
//! from outside.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::Path;
use std::sync::Arc;
use zhibiao::data::source::files;

use calamine::{Data, Reader, Xlsx};
use zhibiao::eval::{COURT, Options, Report, eval};
use zhibiao::period::Period;
use zhibiao::report::{Bulletin, ReportOptions, Status, build};

fn policy() -> Arc<zhibiao::ir::Policy> {
    common::policy()
}

fn bulletin(period: &str, trend: usize) -> (Bulletin, zhibiao::plan::Plan) {
    bulletin_of(policy(), "examples/data", period, trend)
}

fn bulletin_of(
    policy: Arc<zhibiao::ir::Policy>,
    data: &str,
    period: &str,
    trend: usize,
) -> (Bulletin, zhibiao::plan::Plan) {
    let plan = zhibiao::plan::compile(policy);
    let p = Period::parse(period).expect("period");
    let ro = ReportOptions {
        trend,
        max_records: 5,
        ..ReportOptions::default()
    };
    let b = build(
        &plan.policy,
        &*files(Path::new(data)),
        &p,
        &common::chunked(),
        &ro,
    )
    .expect("report");
    (b, plan)
}

fn alone(plan: &zhibiao::plan::Plan, p: &Period) -> Report {
    alone_in(plan, "examples/data", p)
}

/// `eval` of one period, with the options the bulletin is built with (a sum
/// of decimal amounts read in other chunks can differ in its last bit).
fn alone_in(plan: &zhibiao::plan::Plan, data: &str, p: &Period) -> Report {
    eval(plan, &*files(Path::new(data)), p, &common::chunked()).expect("eval")
}

fn value(r: &Report, code: &str, dept: &str) -> Option<f64> {
    r.indicator(code)?.figure(dept)?.value
}

#[test]
fn figures_changes_and_trend_are_those_of_each_period_alone() {
    let (b, plan) = bulletin("2022-W23", 4);
    let now = alone(&plan, &b.period);
    let before = alone(&plan, &b.period.previous());
    let year = alone(&plan, &b.period.same_last_year());
    let trend: Vec<Report> = b.trend.iter().map(|p| alone(&plan, p)).collect();
    assert_eq!(b.trend.len(), 4);
    assert_eq!(b.trend[3].label, "2022-W23");
    assert_eq!(b.trend[0].label, "2022-W20");
    assert_eq!(b.indicators.len(), now.indicators.len());
    let mut compared = 0;
    for s in &b.indicators {
        for r in &s.rows {
            let v = value(&now, &s.code, &r.department);
            assert_eq!(r.value, v, "{} {}", s.code, r.department);
            assert_eq!(r.previous, value(&before, &s.code, &r.department));
            assert_eq!(r.last_year, value(&year, &s.code, &r.department));
            // A rate's change in points, anything else's in per cent.
            if let (Some(a), Some(p), Some(c)) = (r.value, r.previous, r.change) {
                if s.unit == zhibiao::vocab::Unit::Percent {
                    assert!(c.points && (c.delta - (a - p)).abs() < 1e-9);
                } else {
                    assert!(!c.points && (c.delta - (a - p) / p.abs() * 100.0).abs() < 1e-9);
                }
            }
            compared += 1;
        }
        for ser in &s.trend {
            let expect: Vec<Option<f64>> = trend
                .iter()
                .map(|r| value(r, &s.code, &ser.department))
                .collect();
            assert_eq!(ser.values, expect, "{} trend of {}", s.code, ser.department);
        }
        // The court's line, then each department below target.
        assert_eq!(s.trend[0].department, COURT);
        let below: Vec<&str> = s
            .rows
            .iter()
            .filter(|r| r.department != COURT && r.status.missed())
            .map(|r| r.department.as_str())
            .collect();
        let lines: Vec<&str> = s.trend[1..].iter().map(|x| x.department.as_str()).collect();
        assert_eq!(lines, below, "{}", s.code);
    }
    assert!(compared > 100, "{compared} figures compared");
}

#[test]
fn a_policy_whose_formulas_read_other_periods_reports_their_figures() {
    // The quality policy's formulas read `previous(…)` and `last_year(…)`:
    // each period of the bulletin reads its own other periods, as eval does.
    let loaded =
        zhibiao::workspace::load(Path::new("examples/quality/quality-2024.zb")).expect("load");
    let policy = Arc::new(loaded.checked.policy.expect("checks"));
    let data = "examples/quality/data";
    let (b, plan) = bulletin_of(policy, data, "2024-Q3", 3);
    let trend: Vec<Report> = b.trend.iter().map(|p| alone_in(&plan, data, p)).collect();
    let now = &trend[2];
    let mut compared = 0;
    for s in &b.indicators {
        for r in &s.rows {
            assert_eq!(
                r.value,
                value(now, &s.code, &r.department),
                "{} {}",
                s.code,
                r.department
            );
            assert_eq!(r.previous, value(&trend[1], &s.code, &r.department));
            compared += 1;
        }
        for ser in &s.trend {
            let expect: Vec<Option<f64>> = trend
                .iter()
                .map(|r| value(r, &s.code, &ser.department))
                .collect();
            assert_eq!(ser.values, expect, "{} trend of {}", s.code, ser.department);
        }
    }
    assert!(compared > 30, "{compared} figures compared");
}

#[test]
fn departments_follow_the_policy_order_and_ranking_only_when_asked() {
    let (b, _) = bulletin("2022-06", 2);
    let p = policy();
    let pos = |d: &str| p.departments.iter().position(|x| x == d);
    let order: Vec<Option<usize>> = b.departments.iter().map(|d| pos(d)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(!b.ranked);
    assert!(
        b.indicators
            .iter()
            .flat_map(|s| &s.rows)
            .all(|r| r.rank.is_none())
    );
    let ranked = build(
        &p,
        &*files(Path::new("examples/data")),
        &Period::parse("2022-06").expect("period"),
        &Options::default(),
        &ReportOptions {
            rank: true,
            trend: 1,
            ..ReportOptions::default()
        },
    )
    .expect("report");
    let hc4 = ranked
        .indicators
        .iter()
        .find(|s| s.code == "HC4")
        .expect("HC4");
    let ranks: Vec<usize> = hc4.rows.iter().filter_map(|r| r.rank).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted, "ranked rows are listed best first");
    assert_eq!(ranks.first(), Some(&1));
}

#[test]
fn each_missed_target_lists_the_records_that_miss() {
    let (b, _) = bulletin("2022-W23", 2);
    let p = policy();
    let mut checked = 0;
    for s in &b.indicators {
        for r in s.rows.iter().filter(|r| r.status == Status::Below) {
            let lists: Vec<_> = b
                .chases
                .iter()
                .filter(|c| c.indicator == s.code && c.department == r.department)
                .collect();
            // Lists exist where records miss one by one: a rate counted from
            // one set of records (not a numerator and a denominator apart).
            let ind = p
                .indicators
                .iter()
                .find(|i| i.code == s.code)
                .expect("indicator");
            let both = |i: &zhibiao::ir::Indicator| match &i.body {
                zhibiao::ir::Body::Ratio(parts) => {
                    parts.iter().any(|x| x.role == zhibiao::ir::Role::Both)
                }
                zhibiao::ir::Body::Formula { .. } => false,
            };
            // A computed indicator is chased in the counted ones it is made of.
            let one_by_one = both(ind)
                || ind
                    .derived_from
                    .iter()
                    .any(|(d, _)| both(&p.indicators[*d]));
            assert_eq!(!lists.is_empty(), one_by_one, "{} {}", s.code, r.department);
            // A counted rate without distinct items: the records in the
            // denominator but not the numerator are the difference.
            if let (Some(n), Some(d), [list]) = (r.numerator, r.denominator, lists.as_slice())
                && list.source == s.code
                && !["HC3a", "HC3b"].contains(&s.code.as_str())
            {
                assert_eq!(list.total as f64, d - n, "{} {}", s.code, r.department);
                assert_eq!(list.records.len(), list.total.min(5));
                for rec in &list.records {
                    if r.department != COURT {
                        assert_eq!(rec.department.as_deref(), Some(r.department.as_str()));
                    }
                    assert!(rec.reason.is_some(), "{} {}: a reason", s.code, rec.key);
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "{checked} lists checked");
}

#[test]
fn the_workbook_read_back_holds_the_numbers() {
    let (b, _) = bulletin("2022-W23", 3);
    let mut bytes = Vec::new();
    zhibiao::report::xlsx::write(&b, &mut bytes).expect("xlsx");
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("a workbook calamine opens");
    let names = wb.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("汇总"));
    assert!(names.iter().any(|n| n == "趋势"));
    assert!(names.iter().any(|n| n == "待整改清单"));
    assert_eq!(names.len(), b.indicators.len() + 3);
    // 汇总: departments down, indicators across, from row 5 (header on row 5).
    let sum = wb.worksheet_range("汇总").expect("汇总");
    let header_row = 4;
    for (i, s) in b.indicators.iter().enumerate() {
        let h = sum.get_value((header_row, i as u32 + 1)).expect("header");
        assert_eq!(h.to_string(), format!("{}\n{}", s.code, s.name));
        for (r, d) in b
            .departments
            .iter()
            .map(String::as_str)
            .chain([COURT])
            .enumerate()
        {
            let cell = sum.get_value((header_row + 1 + r as u32, i as u32 + 1));
            let row = s.rows.iter().find(|x| x.department == d);
            match (row.and_then(|x| x.value), cell) {
                (Some(v), Some(Data::Float(x))) => {
                    let want = match s.unit {
                        zhibiao::vocab::Unit::Percent => v / 100.0,
                        _ => v,
                    };
                    assert!((x - want).abs() < 1e-12, "{} {d}: {x} vs {want}", s.code);
                }
                (None, Some(Data::String(t))) => assert!(t.starts_with('—')),
                (None, None | Some(Data::Empty)) => assert!(row.is_none()),
                (v, c) => panic!("{} {d}: {v:?} written as {c:?}", s.code),
            }
        }
    }
    // Colour and mark are conditional formats: one set per value with a
    // target, so an edited value shows its status again.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
    let mut sheet1 = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
        &mut sheet1,
    )
    .expect("xml");
    let judged = b
        .indicators
        .iter()
        .flat_map(|s| &s.rows)
        .filter(|r| r.value.is_some() && r.target.is_some() && r.status != Status::Undefined)
        .count();
    assert_eq!(sheet1.matches("<conditionalFormatting ").count(), judged);
    // The list of records: one row per record listed.
    let fix = wb.worksheet_range("待整改清单").expect("待整改清单");
    let listed: usize = b.chases.iter().map(|c| c.records.len()).sum();
    assert_eq!(fix.height(), listed + 1);
    // Every indicator sheet has its departments and a chart.
    let hc4 = names
        .iter()
        .find(|n| n.starts_with("HC4 "))
        .cloned()
        .expect("HC4 sheet");
    let sheet = wb.worksheet_range(&hc4).expect("HC4");
    let depts: Vec<String> = (4..sheet.height() as u32)
        .filter_map(|r| sheet.get_value((r, 0)).map(|c| c.to_string()))
        .collect();
    assert!(depts.iter().any(|d| d == "民事庭"));
    assert_eq!(depts.last().map(String::as_str), Some("全院"));
}

#[test]
fn the_html_is_one_file_that_loads_nothing_from_outside() {
    let (b, _) = bulletin("2022-W23", 3);
    let mut bytes = Vec::new();
    zhibiao::report::html::write(&b, &mut bytes).expect("html");
    let html = String::from_utf8(bytes).expect("utf-8");
    for bad in ["<script", "<link", "@import", "url(", "src=", "https://"] {
        assert!(!html.contains(bad), "the HTML holds `{bad}`");
    }
    // The only address is the SVG namespace, which is never fetched.
    assert_eq!(
        html.matches("http://").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(html.contains("@media print") && html.contains("A4 landscape"));
    for s in &b.indicators {
        assert!(
            html.contains(&format!("id=\"ind-{}\"", s.code)),
            "{}",
            s.code
        );
    }
    for d in &b.departments {
        assert!(
            html.contains(&format!("<tr data-department=\"{d}\">")),
            "{d} in the overview"
        );
    }
    assert_eq!(
        html.matches("<details").count(),
        b.chases.len(),
        "one collapsible list per missed target"
    );
}

#[test]
fn the_format_comes_from_the_file_name() {
    let dir = common::fresh_dir("zhibiao-report-cli");
    for (name, magic) in [
        ("周通报.html", &b"<!DOCTYPE html>"[..]),
        ("周通报.xlsx", &b"PK"[..]),
        ("周通报.md", "# ".as_bytes()),
    ] {
        let path = dir.join(name);
        let out = common::zhibiao(&[
            "report",
            "--period",
            "2022-W23",
            "--trend",
            "2",
            "--output",
            path.to_str().expect("path"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
        let bytes = std::fs::read(&path).expect("written");
        assert!(bytes.starts_with(magic), "{name}");
    }
    let out = common::zhibiao(&[
        "report",
        "--period",
        "2022-W23",
        "--output",
        dir.join("周通报.txt").to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let said = common::stderr(&out).replace(dir.to_str().expect("path"), "DIR");
    insta::assert_snapshot!(said, @r"
    error: cannot tell the format of `DIR/周通报.txt` from its extension
    help: name the file .html, .xlsx, .md or .json, or give `--format html|xlsx|markdown|json`
    ");
    let _ = std::fs::remove_dir_all(&dir);
}
