//! Every indicator of the shipped Jiading policy (`policies/jiading-2022.zb`)
//! against tiny hand-made data sets, with the expected numerator, denominator
//! and value worked out by hand next to each row, from the indicator's
//! definition in the policy (its `reading:` comments settle the fine points).
//!
//! Each test lists its rows per table, in the column order of
//! `policies/schema.yaml`; every other table of the schema is written as a
//! header-only file. The period is June 2022 (2022-06-01 – 2022-06-30) unless a
//! test says otherwise.
//!
//! Column orders, for reading the rows (the files' headers are written from the
//! schema, and every row's width is checked against it):
//! - cases: case_id, department, category, procedure, panel, jurors, filed_on, filing_channel, closed_on
//! - parties: party_id, case_id, role, kind, has_lawyer, e_service_consent, id_number, phone
//! - services: service_id, case_id, party_id, content_id, channel, sent_at, address_source,
//!   delivered_at, read_at, responded, rebutted
//! - hearings: hearing_id, case_id, kind, scheduled_at, status, ended_at, result,
//!   result_entered_at, record_reform, mode, president_present
//! - online_filings: application_id, submitted_on, channel, outcome, case_id
//! - assignments: assignment_id, case_id, method, assigned_at
//! - documents: doc_id, case_id, doc_type, signed_on, template_generated, proofread,
//!   online_review, e_sealed
//! - archives: case_id, archived_on, mode, confirmed
//! - dossier_files: entry_id, case_id, origin, archived_on
//! - deliberations: deliberation_id, case_id, kind, held_on, e_signed, juror_participated
//! - officers: officer_id, department, on_staff
//! - mobile_sessions: session_id, officer_id, login_at, logout_at
//! - citywide: period_start, period_end, logins_per_capita, hours_per_capita
//! - courtrooms: room_id, name, location, kind
//! - computers: computer_id, room_id, seat, display, microphone, signing_device, cpu_cores,
//!   cpu_ghz, ram_gb, display_inches, res_w, res_h

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use zhibiao::eval::why::Undefined;
use zhibiao::eval::{self, Figure, Report};
use zhibiao::period::Period;
use zhibiao::plan::{self, Plan};
use zhibiao::schema::Schema;

// ---------------------------------------------------------------- helpers

const EPS: f64 = 1e-9;

/// Rows per table: `(table name, rows)`, each row a CSV line without header.
type Tables<'a> = &'a [(&'a str, &'a [&'a str])];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::load(&root().join("policies/schema.yaml")).expect("policies/schema.yaml loads")
    })
}

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let loaded = zhibiao::workspace::load(&root().join("policies/jiading-2022.zb"))
            .expect("policies/jiading-2022.zb is readable");
        let diagnostics: Vec<String> = loaded
            .checked
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect();
        let policy = loaded
            .checked
            .policy
            .unwrap_or_else(|| panic!("the shipped policy does not check: {diagnostics:#?}"));
        plan::compile(Arc::new(policy))
    })
}

/// A data folder in the temp dir, removed when dropped.
struct DataDir(PathBuf);

impl DataDir {
    /// Writes one CSV per schema table: the header from the schema, then the
    /// given rows (none for a table not given).
    fn new(tables: Tables<'_>) -> DataDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let schema = schema();
        for (name, _) in tables {
            assert!(
                schema.table(name).is_some(),
                "`{name}` is not a table of the schema"
            );
        }
        let dir = std::env::temp_dir().join(format!(
            "zhibiao-indicators-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the data folder");
        let data = DataDir(dir);
        for table in &schema.tables {
            let header: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            let mut text = header.join(",");
            text.push('\n');
            for (_, rows) in tables.iter().filter(|(n, _)| *n == table.name) {
                for row in rows.iter() {
                    if !row.contains('"') {
                        assert_eq!(
                            row.split(',').count(),
                            header.len(),
                            "`{}` row `{row}` does not have the {} columns {}",
                            table.name,
                            header.len(),
                            header.join(",")
                        );
                    }
                    text.push_str(row);
                    text.push('\n');
                }
            }
            std::fs::write(data.0.join(&table.file), text).expect("write a table file");
        }
        data
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn eval_in(tables: Tables<'_>, period: &Period) -> Report {
    let data = DataDir::new(tables);
    match eval::eval(
        plan(),
        &*zhibiao::data::source::files(&data.0),
        period,
        &eval::Options::default(),
    ) {
        Ok(report) => report,
        Err(e) => {
            let lines: Vec<String> = e.errors().iter().map(|e| e.to_string()).collect();
            panic!("data errors:\n{}", lines.join("\n"))
        }
    }
}

/// Evaluate for June 2022.
fn june(tables: Tables<'_>) -> Report {
    eval_in(tables, &Period::parse("2022-06").expect("a month"))
}

fn figure<'r>(r: &'r Report, code: &str, dept: &str) -> &'r Figure {
    let ind = r
        .indicator(code)
        .unwrap_or_else(|| panic!("no indicator `{code}` in the report"));
    ind.figure(dept).unwrap_or_else(|| {
        let depts: Vec<&str> = ind.figures.iter().map(|f| f.department.as_str()).collect();
        panic!("`{code}` has no figure for `{dept}`; it has {depts:?}")
    })
}

/// (numerator, denominator, value) of one figure.
fn fig(r: &Report, code: &str, dept: &str) -> (Option<f64>, Option<f64>, Option<f64>) {
    let f = figure(r, code, dept);
    (f.numerator, f.denominator, f.value)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= EPS,
        (None, None) => true,
        _ => false,
    }
}

fn pct(num: f64, den: f64) -> f64 {
    num / den * 100.0
}

/// A counted indicator's figure: `num` / `den` = `value` (`None`: undefined).
#[track_caller]
fn assert_ratio(r: &Report, code: &str, dept: &str, num: u32, den: u32, value: Option<f64>) {
    let (n, d, v) = fig(r, code, dept);
    assert!(
        n == Some(num as f64) && d == Some(den as f64) && close(v, value),
        "{code} {dept}: expected {num}/{den} = {value:?}, got {n:?}/{d:?} = {v:?}"
    );
    if value.is_none() {
        assert!(
            figure(r, code, dept).undefined_reason.is_some(),
            "{code} {dept}: an undefined value says why"
        );
    }
}

/// A computed indicator's value (`None`: undefined).
#[track_caller]
fn assert_value(r: &Report, code: &str, dept: &str, value: Option<f64>) {
    let f = figure(r, code, dept);
    assert!(
        close(f.value, value),
        "{code} {dept}: expected {value:?}, got {:?} ({:?})",
        f.value,
        f.undefined_reason
    );
}

/// The targets checked on one figure: (op, value, met, owner).
fn targets(r: &Report, code: &str, dept: &str) -> Vec<(String, f64, Option<bool>, Option<String>)> {
    figure(r, code, dept)
        .targets
        .iter()
        .map(|t| (t.op.clone(), t.value, t.met, t.owner.clone()))
        .collect()
}

fn t(op: &str, value: f64, met: Option<bool>) -> (String, f64, Option<bool>, Option<String>) {
    (op.to_string(), value, met, None)
}

fn owned(
    op: &str,
    value: f64,
    met: Option<bool>,
    owner: &str,
) -> (String, f64, Option<bool>, Option<String>) {
    (op.to_string(), value, met, Some(owner.to_string()))
}

fn departments(r: &Report, code: &str) -> Vec<String> {
    r.indicator(code)
        .unwrap_or_else(|| panic!("no indicator `{code}`"))
        .figures
        .iter()
        .map(|f| f.department.clone())
        .collect()
}

const BUSINESS: [&str; 10] = [
    "立案庭",
    "民事庭",
    "商事庭",
    "刑事庭",
    "执行局",
    "执行裁判庭",
    "审监庭",
    "南翔法庭",
    "安亭法庭",
    "江桥法庭",
];

// ---------------------------------------------------------------- HC1, HC1b, HC2

#[test]
fn hc1_online_filing_rate() {
    let r = june(&[(
        "cases",
        &[
            "C1,立案庭,民事,简易程序,独任,否,2022-06-01,网上立案,", // first day of P, 网上立案 → num
            "C2,立案庭,商事,简易程序,独任,否,2022-06-30,要素式立案,", // last day, 要素式立案 → num
            "C3,立案庭,民事,简易程序,独任,否,2022-06-15,现场立案,", // 现场立案 → den only
            "C4,民事庭,民事,简易程序,独任,否,2022-05-31,网上立案,", // day before P → out
            "C5,民事庭,民事,简易程序,独任,否,2022-07-01,网上立案,", // day after P → out
            "C6,民事庭,诉前调解,其他,独任,否,2022-06-10,网上立案,", // 诉前调解 → excluded (scope)
            "C7,民事庭,,简易程序,独任,否,2022-06-10,网上立案,", // null category is in scope → num
            "C8,少年庭,民事,简易程序,独任,否,2022-06-11,现场立案,", // a department outside the list → den
        ],
    )]);
    // 立案庭: C1, C2 of C1–C3 → 2/3.
    assert_ratio(&r, "HC1", "立案庭", 2, 3, Some(pct(2.0, 3.0)));
    // 民事庭: C7 only (C4, C5 out of P; C6 out of scope) → 1/1.
    assert_ratio(&r, "HC1", "民事庭", 1, 1, Some(100.0));
    // A department found in the data is reported too.
    assert_ratio(&r, "HC1", "少年庭", 0, 1, Some(0.0));
    // No records: undefined, never 0.
    assert_ratio(&r, "HC1", "商事庭", 0, 0, None);
    // Court: C1, C2, C7 of C1, C2, C3, C7, C8 → 3/5 = 60%.
    assert_ratio(&r, "HC1", "court", 3, 5, Some(60.0));
    // Court ≥ 90 owned by 立案庭: 60 misses it; the department figures carry no target.
    assert_eq!(
        targets(&r, "HC1", "court"),
        vec![owned(">=", 90.0, Some(false), "立案庭")]
    );
    assert_eq!(targets(&r, "HC1", "立案庭"), vec![]);
    // Every business department is listed, plus the one found, plus the court.
    let depts = departments(&r, "HC1");
    for d in BUSINESS.iter().chain(&["少年庭", "court"]) {
        assert!(depts.iter().any(|x| x == d), "HC1 lists {d}: {depts:?}");
    }
    assert!(!depts.iter().any(|x| x == "办公室"), "{depts:?}");
}

#[test]
fn hc1b_online_filing_success_rate() {
    let r = june(&[
        (
            "cases",
            &[
                "C1,民事庭,民事,简易程序,独任,否,2022-06-01,网上立案,",
                "C2,民事庭,诉前调解,其他,独任,否,2022-06-02,网上立案,",
                "C3,民事庭,,简易程序,独任,否,2022-06-03,网上立案,", // null category: in scope
            ],
        ),
        (
            "online_filings",
            &[
                "A1,2022-06-01,网上立案,已立案,C1",   // first day, 已立案 → num
                "A2,2022-06-30,要素式立案,退回补正,", // last day, no case → den
                "A3,2022-06-15,网上立案,审查中,",     // den
                "A4,2022-06-15,网上立案,不予受理,",   // den
                "A5,2022-06-16,网上立案,诉前调解,",   // outcome 诉前调解 → excluded
                "A6,2022-06-17,网上立案,已立案,C2", // its case is 诉前调解 → excluded although 已立案
                "A7,2022-05-31,网上立案,已立案,C1", // day before P → out
                "A8,2022-07-01,网上立案,已立案,C1", // day after P → out
                "A9,2022-06-03,要素式立案,已立案,C3", // case with null category → num
            ],
        ),
    ]);
    // num A1 A9; den A1–A4, A9 → 2/5 = 40%.
    assert_ratio(&r, "HC1b", "court", 2, 5, Some(40.0));
    // Court only, no target.
    assert_eq!(departments(&r, "HC1b"), vec!["court".to_string()]);
    assert_eq!(targets(&r, "HC1b", "court"), vec![]);
}

#[test]
fn hc1b_empty_is_undefined() {
    let r = june(&[(
        "online_filings",
        &[
            "A1,2022-06-16,网上立案,诉前调解,", // excluded → nothing left
        ],
    )]);
    assert_ratio(&r, "HC1b", "court", 0, 0, None);
}

#[test]
fn hc2_random_assignment_rate() {
    let r = june(&[
        (
            "cases",
            &[
                "C1,民事庭,民事,简易程序,独任,否,2022-06-05,网上立案,", // 随机分案 → num
                "C2,民事庭,民事,简易程序,独任,否,2022-06-06,网上立案,", // 指定, then 随机 after P → num
                "C3,商事庭,商事,简易程序,独任,否,2022-06-07,网上立案,", // 指定分案 + 分案调整 → den
                "C4,商事庭,商事,简易程序,独任,否,2022-06-08,网上立案,", // no assignment → den
                "C5,民事庭,民事,简易程序,独任,否,2022-05-20,网上立案,", // filed before P → out
                "C6,民事庭,诉前调解,其他,独任,否,2022-06-09,网上立案,", // 诉前调解 → excluded
            ],
        ),
        (
            "assignments",
            &[
                "F1,C1,随机分案,2022-06-05 09:00",
                "F2,C2,指定分案,2022-06-06 09:00",
                "F3,C2,随机分案,2022-08-01 09:00", // "有过随机分案记录": at any time
                "F4,C3,指定分案,2022-06-07 09:00",
                "F5,C3,分案调整,2022-06-08 09:00",
                "F6,C5,随机分案,2022-05-20 09:00",
                "F7,C6,随机分案,2022-06-09 09:00",
            ],
        ),
    ]);
    assert_ratio(&r, "HC2", "民事庭", 2, 2, Some(100.0)); // C1, C2
    assert_ratio(&r, "HC2", "商事庭", 0, 2, Some(0.0)); // C3, C4
    assert_ratio(&r, "HC2", "court", 2, 4, Some(50.0));
    assert_eq!(
        targets(&r, "HC2", "court"),
        vec![owned(">=", 99.0, Some(false), "立案庭")]
    );
}

// ---------------------------------------------------------------- HC3

#[test]
fn hc3_electronic_service() {
    let r = june(&[
        (
            "cases",
            &[
                "K1,民事庭,民事,普通程序,合议庭,否,2022-05-01,网上立案,", // pending → in handling
                "K2,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-06-01", // closed on P.start → in handling
                "K3,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-31", // closed the day before P → not
                "K4,民事庭,民事,简易程序,独任,否,2022-06-30,网上立案,", // filed on P.end → in handling
                "K5,民事庭,民事,简易程序,独任,否,2022-07-01,网上立案,", // filed after P → not
                "K6,民事庭,诉前调解,其他,独任,否,2022-06-01,网上立案,", // 诉前调解 → out of scope
                "M1,商事庭,商事,简易程序,独任,否,2022-03-01,网上立案,", // in handling
            ],
        ),
        (
            "parties",
            &[
                "P1,K1,原告,自然人,否,同意,,",
                "P2,K1,被告,法人,是,同意,,",
                "P3,K2,原告,自然人,否,未表示,,",
                "P4,K3,原告,自然人,否,同意,,",
                "P5,K4,原告,自然人,否,同意,,",
                "P6,K5,原告,自然人,否,同意,,",
                "P7,K6,原告,自然人,否,同意,,",
                "P8,M1,原告,法人,否,不同意,,",
            ],
        ),
        (
            "services",
            &[
                // item (K1,P1,D1): two channels, one item; electronic and successful.
                "S1,K1,P1,D1,邮寄,2022-06-02 09:00,,,,,",
                "S2,K1,P1,D1,电子邮件,2022-06-03 09:00,当事人提供,2022-06-03 09:01,,,",
                // item (K1,P1,D2): 运营商实名, delivered but neither responded nor read
                // → electronic, not successful; sent 23:59:59 on P.end → in P.
                "S3,K1,P1,D2,短信,2022-06-30 23:59:59,运营商实名,2022-06-30 23:59:59,,否,",
                // item (K1,P2,D1): S4 read but rebutted → fails; S5 responded → successful.
                "S4,K1,P2,D1,上海移动微法院,2022-06-10 09:00,合同常用,,2022-06-10 10:00,否,是",
                "S5,K1,P2,D1,中国审判流程信息公开网,2022-06-11 09:00,其他诉讼,,,是,",
                // item (K1,P1,D3): 约定 needs delivered_at; only read → electronic, not successful.
                "S6,K1,P1,D3,电子邮件,2022-06-12 09:00,约定,,2022-06-12 10:00,,",
                // item (K1,P2,D3): 其他合法途径, read, rebutted empty → presumed served → successful.
                "S7,K1,P2,D3,短信,2022-06-12 09:00,其他合法途径,,2022-06-13 10:00,,",
                // item (K1,P2,D4): a non-electronic send is neither electronic nor
                // successful, even with 当事人提供 and delivered_at.
                "S8,K1,P2,D4,邮寄,2022-06-12 09:00,当事人提供,2022-06-14 09:00,,是,",
                // item (K2,P3,D1): 直接送达 at 00:00:00 on P.start → item, not electronic.
                "S9,K2,P3,D1,直接送达,2022-06-01 00:00:00,,,,,",
                // item (K2,P3,D2): its electronic send is before P → ignored; only the
                // 邮寄 in P counts → item, not electronic.
                "S10,K2,P3,D2,电子邮件,2022-05-31 23:59:59,当事人提供,2022-05-31 23:59:59,,,",
                "S11,K2,P3,D2,邮寄,2022-06-05 09:00,,,,,",
                // (K2,P3,D3): its only send is after P → no item.
                "S12,K2,P3,D3,电子邮件,2022-07-01 00:00:00,当事人提供,2022-07-01 00:00:01,,,",
                // (K3,P4,D1): case closed before P → not in handling → no item.
                "S13,K3,P4,D1,电子邮件,2022-06-10 09:00,当事人提供,2022-06-10 09:01,,,",
                // item (K4,P5,D1): empty address_source → electronic, never successful.
                "S14,K4,P5,D1,短信,2022-06-30 12:00,,2022-06-30 12:01,2022-06-30 12:02,是,",
                // (K5,P6,D1): case filed after P → not in handling → no item.
                "S15,K5,P6,D1,电子邮件,2022-06-20 09:00,当事人提供,2022-06-20 09:01,,,",
                // (K6,P7,D1): 诉前调解 case → excluded.
                "S16,K6,P7,D1,电子邮件,2022-06-20 09:00,当事人提供,2022-06-20 09:01,,,",
                // 商事庭: two items, neither electronic.
                "S17,M1,P8,D1,邮寄,2022-06-10 09:00,,,,,",
                "S18,M1,P8,D2,直接送达,2022-06-11 09:00,,,,,",
            ],
        ),
    ]);
    // 民事庭 items: K1P1D1 (E,S), K1P1D2 (E), K1P2D1 (E,S), K1P1D3 (E), K1P2D3 (E,S),
    // K1P2D4, K2P3D1, K2P3D2, K4P5D1 (E) → 9 items, 6 electronic, 3 successful.
    assert_ratio(&r, "HC3a", "民事庭", 6, 9, Some(pct(6.0, 9.0)));
    assert_ratio(&r, "HC3b", "民事庭", 3, 6, Some(50.0));
    // HC3 = 0.75 × 66.67 + 0.25 × 50 = 62.5.
    assert_value(&r, "HC3", "民事庭", Some(62.5));
    // 商事庭: 2 items, none electronic: HC3a 0, HC3b undefined → counts 0 → HC3 = 0.
    assert_ratio(&r, "HC3a", "商事庭", 0, 2, Some(0.0));
    assert_ratio(&r, "HC3b", "商事庭", 0, 0, None);
    assert_value(&r, "HC3", "商事庭", Some(0.0));
    // 刑事庭: no items → everything undefined.
    assert_ratio(&r, "HC3a", "刑事庭", 0, 0, None);
    assert_ratio(&r, "HC3b", "刑事庭", 0, 0, None);
    assert_value(&r, "HC3", "刑事庭", None);
    // Court: 11 items, 6 electronic, 3 successful.
    assert_ratio(&r, "HC3a", "court", 6, 11, Some(pct(6.0, 11.0)));
    assert_ratio(&r, "HC3b", "court", 3, 6, Some(50.0));
    assert_value(
        &r,
        "HC3",
        "court",
        Some(0.75 * pct(6.0, 11.0) + 0.25 * 50.0),
    );
    // Targets: 业务部门 except 刑事庭 ≥ 45; court ≥ 45; none on HC3a/HC3b.
    assert_eq!(
        targets(&r, "HC3", "民事庭"),
        vec![t(">=", 45.0, Some(true))]
    );
    assert_eq!(
        targets(&r, "HC3", "商事庭"),
        vec![t(">=", 45.0, Some(false))]
    );
    assert_eq!(targets(&r, "HC3", "刑事庭"), vec![]);
    assert_eq!(targets(&r, "HC3", "court"), vec![t(">=", 45.0, Some(true))]);
    assert_eq!(targets(&r, "HC3a", "民事庭"), vec![]);
    assert_eq!(targets(&r, "HC3b", "民事庭"), vec![]);
}

#[test]
fn hc3_same_item_counted_once_across_channels() {
    let r = june(&[
        (
            "cases",
            &["K1,民事庭,民事,简易程序,独任,否,2022-05-01,网上立案,"],
        ),
        ("parties", &["P1,K1,原告,自然人,否,同意,,"]),
        (
            "services",
            &[
                // One item (K1,P1,D1) sent four ways: two successful electronic sends,
                // one failed electronic send, one paper send → 1 item, electronic, successful.
                "S1,K1,P1,D1,电子邮件,2022-06-03 09:00,当事人提供,2022-06-03 09:01,,,",
                "S2,K1,P1,D1,短信,2022-06-03 09:00,当事人确认,2022-06-03 09:01,,,",
                "S3,K1,P1,D1,上海移动微法院,2022-06-04 09:00,其他合法途径,,,否,",
                "S4,K1,P1,D1,公告送达,2022-06-05 09:00,,,,,",
                // A second item (K1,P1,D2): one failed electronic send → electronic only.
                "S5,K1,P1,D2,短信,2022-06-06 09:00,合同常用,,2022-06-06 10:00,,是",
            ],
        ),
    ]);
    assert_ratio(&r, "HC3a", "民事庭", 2, 2, Some(100.0));
    assert_ratio(&r, "HC3b", "民事庭", 1, 2, Some(50.0));
    // 0.75 × 100 + 0.25 × 50 = 87.5
    assert_value(&r, "HC3", "民事庭", Some(87.5));
    assert_value(&r, "HC3", "court", Some(87.5));
}

#[test]
fn hc3_items_are_tuples_not_joined_text() {
    // Ids may hold any text (a quoted CSV field may contain ", ").
    let r = june(&[
        (
            "cases",
            &[
                "K1,民事庭,民事,简易程序,独任,否,2022-05-01,网上立案,",
                "\"K1, P1\",民事庭,民事,简易程序,独任,否,2022-05-01,网上立案,",
            ],
        ),
        (
            "parties",
            &[
                "\"P1, D1\",K1,原告,自然人,否,同意,,",
                "D1,\"K1, P1\",原告,自然人,否,同意,,",
            ],
        ),
        (
            "services",
            &[
                // item (K1, "P1, D1", X): paper only → not electronic
                "S1,K1,\"P1, D1\",X,邮寄,2022-06-02 09:00,,,,,",
                // item ("K1, P1", D1, X): electronic, successful
                "S2,\"K1, P1\",D1,X,电子邮件,2022-06-03 09:00,当事人提供,2022-06-03 09:01,,,",
            ],
        ),
    ]);
    // Two items, one electronic → HC3a 1/2 = 50; HC3b 1/1 = 100; HC3 = 37.5 + 25 = 62.5.
    assert_ratio(&r, "HC3a", "民事庭", 1, 2, Some(50.0));
    assert_ratio(&r, "HC3b", "民事庭", 1, 1, Some(100.0));
    assert_value(&r, "HC3", "民事庭", Some(62.5));
}

// ---------------------------------------------------------------- HC4, HC5 and their variants

const HEARING_CASES: &[&str] = &[
    "J1,民事庭,民事,普通程序,合议庭,否,2022-01-01,网上立案,",
    "J2,民事庭,诉前调解,其他,独任,否,2022-01-01,网上立案,", // 诉前调解
    "X1,执行局,执行,执行程序,独任,否,2022-01-01,现场立案,",
    "L1,立案庭,民事,简易程序,独任,否,2022-01-01,网上立案,",
];

const HEARINGS: &[&str] = &[
    // 民事庭 (case J1)
    // H1: first instant of P, reform, result set, offline, president → HC4 num; HC5 den.
    "H1,J1,庭审,2022-06-01 00:00:00,已开庭,,判决,,是,线下,是",
    // H2: 23:59:59 on P.end, reform, online → HC4 num; HC5 num.
    "H2,J1,调解,2022-06-30 23:59:59,已开庭,,调解结案,,是,在线同步,否",
    // H3: 取消 → excluded from both (HC4 and HC5).
    "H3,J1,庭审,2022-06-10 09:00,取消,,,,是,在线同步,是",
    // H4: 未按时开庭 → excluded from both.
    "H4,J1,庭审,2022-06-11 09:00,未按时开庭,,,,是,在线同步,是",
    // H5: result empty → HC4 den only (numerator-only rule); HC5 num (rule not applied).
    "H5,J1,庭审,2022-06-12 09:00,已开庭,,,,是,在线异步,是",
    // H6: 异步审理, no reform → HC4 den; HC5 num.
    "H6,J1,异步审理,2022-06-13 09:00,已开庭,,判决,,否,在线异步,否",
    // H7: 23:59:59 the day before P → out.
    "H7,J1,庭审,2022-05-31 23:59:59,已开庭,,判决,,是,在线同步,是",
    // H8: 00:00:00 the day after P → out.
    "H8,J1,庭审,2022-07-01 00:00:00,已开庭,,判决,,是,在线同步,是",
    // H9: its case is 诉前调解 → excluded everywhere.
    "H9,J2,庭审,2022-06-15 09:00,已开庭,,调解结案,,是,在线同步,是",
    // H10: 债权人会议 counts; result is a blank, which is not empty → HC4 num; HC5 den.
    "H10,J1,债权人会议,2022-06-14 09:00,已开庭,, ,,是,线下,否",
    // H11: 谈话, record_reform empty (not 是) → HC4 den; HC4-talk den; HC5 den.
    "H11,J1,谈话,2022-06-16 09:00,已开庭,,谈话完毕,,,线下,",
    // 执行局 (case X1)
    // T1: 谈话 with reform and result → HC4 num, HC4-talk num; HC5 den.
    "T1,X1,谈话,2022-06-05 09:00,已开庭,,谈话完毕,,是,线下,否",
    // T2: 谈话, result empty → HC4 den, HC4-talk den; HC5 den.
    "T2,X1,谈话,2022-06-06 09:00,已开庭,,,,是,线下,否",
    // T3: 调查, no reform, online → HC4 den (not a talk); HC5 num.
    "T3,X1,调查,2022-06-07 09:00,已开庭,,调查完毕,,否,在线同步,否",
    // T4: 取消 → excluded.
    "T4,X1,谈话,2022-06-08 09:00,取消,,,,是,线下,否",
    // 立案庭 (case L1)
    // G1: reform, result, offline → HC4 num; HC5 den.
    "G1,L1,庭审,2022-06-20 09:00,已开庭,,判决,,是,线下,否",
];

#[test]
fn hc4_record_reform() {
    let r = june(&[("cases", HEARING_CASES), ("hearings", HEARINGS)]);
    // 民事庭: den H1 H2 H5 H6 H10 H11 = 6; num H1 H2 H10 = 3 → 50%.
    assert_ratio(&r, "HC4", "民事庭", 3, 6, Some(50.0));
    // 执行局: den T1 T2 T3 = 3; num T1 → 33.33%.
    assert_ratio(&r, "HC4", "执行局", 1, 3, Some(pct(1.0, 3.0)));
    // 立案庭: G1 → 1/1.
    assert_ratio(&r, "HC4", "立案庭", 1, 1, Some(100.0));
    // Court: 5/10.
    assert_ratio(&r, "HC4", "court", 5, 10, Some(50.0));
    // 商事庭: nothing → undefined, its target neither met nor failed.
    assert_ratio(&r, "HC4", "商事庭", 0, 0, None);
    assert_eq!(targets(&r, "HC4", "商事庭"), vec![t(">=", 60.0, None)]);
    // Targets: 立案庭 ≥ 70 only; others ≥ 60; 执行局 none; no court target.
    assert_eq!(
        targets(&r, "HC4", "立案庭"),
        vec![t(">=", 70.0, Some(true))]
    );
    assert_eq!(
        targets(&r, "HC4", "民事庭"),
        vec![t(">=", 60.0, Some(false))]
    );
    assert_eq!(targets(&r, "HC4", "执行局"), vec![]);
    assert_eq!(targets(&r, "HC4", "court"), vec![]);
}

#[test]
fn hc4_talk_only_talks() {
    let r = june(&[("cases", HEARING_CASES), ("hearings", HEARINGS)]);
    // 执行局: talks T1, T2 (T4 取消) → 1/2 = 50%; target ≥ 100 → missed.
    assert_ratio(&r, "HC4-talk", "执行局", 1, 2, Some(50.0));
    assert_eq!(
        targets(&r, "HC4-talk", "执行局"),
        vec![t(">=", 100.0, Some(false))]
    );
    // Computed for every department: 民事庭's talk H11 → 0/1, no target.
    assert_ratio(&r, "HC4-talk", "民事庭", 0, 1, Some(0.0));
    assert_eq!(targets(&r, "HC4-talk", "民事庭"), vec![]);
    // 立案庭 has no talks → undefined.
    assert_ratio(&r, "HC4-talk", "立案庭", 0, 0, None);
    // Court: H11, T1, T2 → 1/3.
    assert_ratio(&r, "HC4-talk", "court", 1, 3, Some(pct(1.0, 3.0)));
}

#[test]
fn hc4_president_over_hc4_numerator() {
    let r = june(&[("cases", HEARING_CASES), ("hearings", HEARINGS)]);
    // 民事庭: HC4 numerator H1 (president), H2, H10 → 1/3. (H5 has a president
    // but is not in HC4's numerator.)
    assert_ratio(&r, "HC4-president", "民事庭", 1, 3, Some(pct(1.0, 3.0)));
    // 执行局: T1 without president → 0/1.
    assert_ratio(&r, "HC4-president", "执行局", 0, 1, Some(0.0));
    // Court: H1 of H1 H2 H10 T1 G1 → 1/5.
    assert_ratio(&r, "HC4-president", "court", 1, 5, Some(20.0));
    // 商事庭 has no HC4 numerator → undefined.
    assert_ratio(&r, "HC4-president", "商事庭", 0, 0, None);
    assert_eq!(targets(&r, "HC4-president", "民事庭"), vec![]);
}

#[test]
fn hc5_online_hearings() {
    let r = june(&[("cases", HEARING_CASES), ("hearings", HEARINGS)]);
    // 民事庭: den H1 H2 H5 H6 H10 H11 = 6; online H2 H5 H6 = 3 → 50%.
    assert_ratio(&r, "HC5", "民事庭", 3, 6, Some(50.0));
    // 执行局: den T1 T2 T3; online T3 → 1/3.
    assert_ratio(&r, "HC5", "执行局", 1, 3, Some(pct(1.0, 3.0)));
    // 立案庭: G1 offline → 0/1.
    assert_ratio(&r, "HC5", "立案庭", 0, 1, Some(0.0));
    // Court: 4/10.
    assert_ratio(&r, "HC5", "court", 4, 10, Some(40.0));
    // Targets: ≥ 25 for business departments except 执行局.
    assert_eq!(
        targets(&r, "HC5", "民事庭"),
        vec![t(">=", 25.0, Some(true))]
    );
    assert_eq!(
        targets(&r, "HC5", "立案庭"),
        vec![t(">=", 25.0, Some(false))]
    );
    assert_eq!(targets(&r, "HC5", "执行局"), vec![]);
}

#[test]
fn hc5_president_over_hc5_numerator() {
    let r = june(&[("cases", HEARING_CASES), ("hearings", HEARINGS)]);
    // 民事庭: HC5 numerator H2, H5 (president), H6 → 1/3. (H1 has a president
    // but is offline.)
    assert_ratio(&r, "HC5-president", "民事庭", 1, 3, Some(pct(1.0, 3.0)));
    // 执行局: T3 → 0/1.
    assert_ratio(&r, "HC5-president", "执行局", 0, 1, Some(0.0));
    // Court: H5 of H2 H5 H6 T3 → 1/4.
    assert_ratio(&r, "HC5-president", "court", 1, 4, Some(25.0));
    assert_ratio(&r, "HC5-president", "立案庭", 0, 0, None);
    assert_eq!(targets(&r, "HC5-president", "民事庭"), vec![]);
}

#[test]
fn hc4_hc5_over_an_iso_week() {
    // 2022-W23 is Monday 2022-06-06 to Sunday 2022-06-12.
    let week = Period::parse("2022-W23").expect("an ISO week");
    let r = eval_in(
        &[
            ("cases", HEARING_CASES),
            (
                "hearings",
                &[
                    "W1,J1,庭审,2022-06-05 23:59:59,已开庭,,判决,,是,在线同步,否", // Sunday before → out
                    "W2,J1,庭审,2022-06-06 00:00:00,已开庭,,判决,,是,在线同步,否", // Monday → HC4 num, HC5 num
                    "W3,J1,庭审,2022-06-12 23:59:59,已开庭,,判决,,是,线下,否", // Sunday → HC4 num, HC5 den
                    "W4,J1,庭审,2022-06-13 00:00:00,已开庭,,判决,,是,在线同步,否", // next Monday → out
                ],
            ),
        ],
        &week,
    );
    assert_ratio(&r, "HC4", "民事庭", 2, 2, Some(100.0));
    assert_ratio(&r, "HC5", "民事庭", 1, 2, Some(50.0));
    assert_ratio(&r, "HC5", "court", 1, 2, Some(50.0));
}

// ---------------------------------------------------------------- HC6, HC7, HC8

#[test]
fn hc6_hc7_hc8_documents() {
    let r = june(&[
        (
            "cases",
            &[
                "J1,民事庭,民事,普通程序,合议庭,否,2022-01-01,网上立案,",
                "S1,商事庭,商事,普通程序,合议庭,否,2022-01-01,网上立案,",
                "Z1,民事庭,诉前调解,其他,独任,否,2022-01-01,网上立案,",
            ],
        ),
        (
            "documents",
            &[
                "D1,J1,判决书,2022-06-01,是,是,是,否", // first day: HC6 ✓ HC7 ✓ HC8 ✓
                "D2,J1,裁定书,2022-06-30,是,否,,否",   // last day: HC6 ✓ HC7 ✗ HC8 ✗ (empty)
                "D3,J1,调解书,2022-06-15,否,是,是,否", // HC6 ✗ HC7 ✓ HC8 ✓
                "D4,J1,决定书,2022-06-16,,,是,否",     // HC6 ✗ HC7 ✗ (empty) HC8 ✓
                "D5,J1,通知书,2022-06-17,是,是,是,是", // not one of the 四类 → not counted
                "D6,J1,其他,2022-06-17,否,否,否,否",   // not one of the 四类 → not counted
                "D7,J1,判决书,2022-05-31,是,是,是,是", // day before → out
                "D8,J1,判决书,2022-07-01,是,是,是,是", // day after → out
                "D9,Z1,判决书,2022-06-10,是,是,是,是", // 诉前调解 → excluded
                "D10,S1,判决书,2022-06-10,是,是,是,是", // 商事庭: ✓ ✓ ✓
            ],
        ),
    ]);
    // 民事庭 den D1–D4.
    assert_ratio(&r, "HC6", "民事庭", 2, 4, Some(50.0)); // D1, D2
    assert_ratio(&r, "HC7", "民事庭", 2, 4, Some(50.0)); // D1, D3
    assert_ratio(&r, "HC8", "民事庭", 3, 4, Some(75.0)); // D1, D3, D4
    // 商事庭: D10 → 100% each, and "= 100" is met by 100.
    for code in ["HC6", "HC7", "HC8"] {
        assert_ratio(&r, code, "商事庭", 1, 1, Some(100.0));
        assert_eq!(targets(&r, code, "商事庭"), vec![t("=", 100.0, Some(true))]);
        assert_eq!(
            targets(&r, code, "民事庭"),
            vec![t("=", 100.0, Some(false))]
        );
        assert_ratio(&r, code, "刑事庭", 0, 0, None);
    }
    // Court: den 5.
    assert_ratio(&r, "HC6", "court", 3, 5, Some(60.0));
    assert_ratio(&r, "HC7", "court", 3, 5, Some(60.0));
    assert_ratio(&r, "HC8", "court", 4, 5, Some(80.0));
}

// ---------------------------------------------------------------- HC9

#[test]
fn hc9_e_seal() {
    let r = june(&[
        (
            "cases",
            &[
                "A1,民事庭,民事,简易程序,独任,否,2022-05-01,网上立案,", // in handling; e-sealed 通知书 in 2021 → num
                "A2,民事庭,民事,简易程序,独任,否,2022-06-30,网上立案,", // filed on P.end; e-sealed on P.end → num
                "A3,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-06-01", // closed on P.start; e-sealed only after P → den
                "A4,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-06-15", // documents not e-sealed → den
                "A5,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-31", // closed before P → out
                "A6,民事庭,民事,简易程序,独任,否,2022-07-01,网上立案,", // filed after P → out
                "A7,民事庭,诉前调解,其他,独任,否,2022-05-01,网上立案,", // 诉前调解 → excluded
                "A8,民事庭,民事,简易程序,独任,否,2022-02-01,网上立案,", // no documents → den
                "B1,商事庭,商事,简易程序,独任,否,2022-02-01,网上立案,2022-06-30", // e-sealed 其他 → num
            ],
        ),
        (
            "documents",
            &[
                "D1,A1,通知书,2021-01-01,否,否,否,是", // no lower bound, any doc type
                "D2,A2,判决书,2022-06-30,否,否,否,是", // signed_on = P.end
                "D3,A3,判决书,2022-07-01,否,否,否,是", // after P.end → does not count
                "D4,A4,判决书,2022-06-10,是,是,是,否",
                "D5,A4,裁定书,2022-06-11,是,是,是,", // empty e_sealed is not 是
                "D6,A5,判决书,2022-05-20,否,否,否,是",
                "D7,A6,判决书,2022-06-20,否,否,否,是",
                "D8,A7,判决书,2022-06-10,否,否,否,是",
                "D9,B1,其他,2022-06-29,否,否,否,是",
            ],
        ),
    ]);
    // 民事庭: den A1 A2 A3 A4 A8 = 5; num A1 A2 → 40%.
    assert_ratio(&r, "HC9", "民事庭", 2, 5, Some(40.0));
    assert_eq!(
        targets(&r, "HC9", "民事庭"),
        vec![t("=", 100.0, Some(false))]
    );
    // 商事庭: B1 → 1/1.
    assert_ratio(&r, "HC9", "商事庭", 1, 1, Some(100.0));
    assert_eq!(
        targets(&r, "HC9", "商事庭"),
        vec![t("=", 100.0, Some(true))]
    );
    // Court: 3/6.
    assert_ratio(&r, "HC9", "court", 3, 6, Some(50.0));
    assert_ratio(&r, "HC9", "审监庭", 0, 0, None);
}

// ---------------------------------------------------------------- HC10

const OFFICERS: &[&str] = &[
    "O1,执行局,是", // on staff → n
    "O2,执行局,是", // on staff → n
    "O3,执行局,否", // not on staff → ignored
    "O4,民事庭,是", // not 执行局 → ignored
    "O5,执行局,",   // on_staff empty (not 是) → ignored
];
// n = 2 (O1, O2).

const SESSIONS: &[&str] = &[
    "M1,O1,2022-06-01 00:00:00,2022-06-01 02:00:00", // first day → 1 login, 2 h
    "M2,O1,2022-06-30 23:00:00,2022-07-01 03:00:00", // last day, not clipped → 1 login, 4 h
    "M3,O2,2022-06-15 08:00:00,",                    // no logout → 1 login, 0 h
    "M4,O2,2022-05-31 23:00:00,2022-06-01 01:00:00", // login before P.start → ignored
    "M5,O3,2022-06-10 08:00:00,2022-06-10 10:00:00", // not on staff → ignored
    "M6,O4,2022-06-10 08:00:00,2022-06-10 18:00:00", // not 执行局 → ignored
    "M7,O2,2022-06-20 09:00:00,2022-06-20 09:30:00", // 1 login, 0.5 h
    "M8,O1,2022-07-01 00:00:00,2022-07-01 05:00:00", // after P → ignored
    "M9,O5,2022-06-11 08:00:00,2022-06-11 09:00:00", // not on staff → ignored
];
// June: L = 4 (M1 M2 M3 M7), H = 2 + 4 + 0 + 0.5 = 6.5;
// per capita × 100: logins 4 / 2 × 100 = 200, hours 6.5 / 2 × 100 = 325.

fn hc10_june(citywide: &[&str]) -> Report {
    june(&[
        ("officers", OFFICERS),
        ("mobile_sessions", SESSIONS),
        ("citywide", citywide),
    ])
}

#[test]
fn hc10_mobile_enforcement() {
    let r = hc10_june(&[
        "2022-06-01,2022-06-30,400,650", // matches P exactly
        "2022-06-01,2022-06-29,1,1",     // different end → ignored
        "2022-05-01,2022-05-31,1,1",     // another month → ignored
    ]);
    // 200 / 400 × 50 + 325 / 650 × 50 = 25 + 25 = 50.
    assert_value(&r, "HC10", "执行局", Some(50.0));
    assert_value(&r, "HC10", "court", Some(50.0));
    let f = figure(&r, "HC10", "执行局");
    let m = f.measures.as_ref().expect("HC10 reports its measures");
    let expect = [
        ("staff", 2.0),
        ("logins", 4.0),
        ("hours", 6.5),
        ("city_logins", 400.0),
        ("city_hours", 650.0),
    ];
    for (name, v) in expect {
        assert!(
            close(m.get(name).copied().flatten(), Some(v)),
            "measure {name}: expected {v}, got {:?}",
            m.get(name)
        );
    }
    // Target 执行局 ≥ 100: missed. Reported for 执行局 and the court only.
    assert_eq!(
        targets(&r, "HC10", "执行局"),
        vec![t(">=", 100.0, Some(false))]
    );
    assert_eq!(
        departments(&r, "HC10"),
        vec!["执行局".to_string(), "court".to_string()]
    );
}

#[test]
fn hc10_capped_at_100() {
    // 200 / 100 × 50 + 325 / 100 × 50 = 100 + 162.5 = 262.5 → min(100, …) = 100.
    let r = hc10_june(&["2022-06-01,2022-06-30,100,100"]);
    assert_value(&r, "HC10", "执行局", Some(100.0));
    assert_value(&r, "HC10", "court", Some(100.0));
    assert_eq!(
        targets(&r, "HC10", "执行局"),
        vec![t(">=", 100.0, Some(true))]
    );
}

#[test]
fn hc10_undefined_without_a_matching_citywide_row() {
    let r = hc10_june(&[
        "2022-05-01,2022-05-31,400,650", // another month
        "2022-06-02,2022-06-30,400,650", // different start
    ]);
    for dept in ["执行局", "court"] {
        let f = figure(&r, "HC10", dept);
        assert_eq!(f.value, None, "HC10 {dept}");
        assert!(
            matches!(&f.undefined_reason, Some(Undefined::LookupNone { table, .. }) if table == "citywide"),
            "HC10 {dept}: no citywide row matches: {:?}",
            f.undefined_reason
        );
    }
    assert_eq!(targets(&r, "HC10", "执行局"), vec![t(">=", 100.0, None)]);
}

#[test]
fn hc10_undefined_with_two_matching_citywide_rows() {
    let r = hc10_june(&[
        "2022-06-01,2022-06-30,400,650",
        "2022-06-01,2022-06-30,200,300",
    ]);
    for dept in ["执行局", "court"] {
        let f = figure(&r, "HC10", dept);
        assert_eq!(f.value, None, "HC10 {dept}");
        assert!(
            matches!(&f.undefined_reason, Some(Undefined::LookupMany { table, rows: 2, .. }) if table == "citywide"),
            "HC10 {dept}: two citywide rows match: {:?}",
            f.undefined_reason
        );
    }
}

#[test]
fn hc10_city_figure_zero_or_empty_counts_as_zero_half() {
    // City hours 0: that half undefined → 0; 200 / 400 × 50 = 25.
    let r = hc10_june(&["2022-06-01,2022-06-30,400,0"]);
    assert_value(&r, "HC10", "执行局", Some(25.0));
    // City logins empty: that half 0; 325 / 650 × 50 = 25.
    let r = hc10_june(&["2022-06-01,2022-06-30,,650"]);
    assert_value(&r, "HC10", "执行局", Some(25.0));
    // Both halves undefined → undefined.
    let r = hc10_june(&["2022-06-01,2022-06-30,0,"]);
    assert_value(&r, "HC10", "执行局", None);
    assert_value(&r, "HC10", "court", None);
}

#[test]
fn hc10_undefined_without_staff() {
    // n = 0: no on-staff 执行局 officer.
    let r = june(&[
        ("officers", &["O3,执行局,否", "O4,民事庭,是"]),
        (
            "mobile_sessions",
            &[
                "M5,O3,2022-06-10 08:00:00,2022-06-10 10:00:00", // not on staff → ignored
                "M6,O4,2022-06-10 08:00:00,2022-06-10 18:00:00", // not 执行局 → ignored
            ],
        ),
        ("citywide", &["2022-06-01,2022-06-30,400,650"]),
    ]);
    assert_value(&r, "HC10", "court", None);
    assert!(figure(&r, "HC10", "court").undefined_reason.is_some());
}

#[test]
fn hc10_reported_for_enforcement_bureau_without_staff() {
    // n = 0: the only 执行局 officer is not on staff.
    let r = june(&[
        ("officers", &["O3,执行局,否"]),
        ("citywide", &["2022-06-01,2022-06-30,400,650"]),
    ]);
    assert_eq!(
        departments(&r, "HC10"),
        vec!["执行局".to_string(), "court".to_string()]
    );
    let f = figure(&r, "HC10", "执行局");
    assert_eq!(f.value, None);
    assert!(f.undefined_reason.is_some());
    assert_eq!(targets(&r, "HC10", "执行局"), vec![t(">=", 100.0, None)]);
}

#[test]
fn hc10_over_a_date_range() {
    let range = Period::range("2022-06-01", "2022-06-15").expect("a range");
    let r = eval_in(
        &[
            ("officers", OFFICERS),
            ("mobile_sessions", SESSIONS),
            (
                "citywide",
                &[
                    "2022-06-01,2022-06-15,200,100", // matches the range exactly
                    "2022-06-01,2022-06-30,1,1",     // the month → ignored
                ],
            ),
        ],
        &range,
    );
    // In range: M1 (2 h), M3 (0 h) → L = 2, H = 2; per capita × 100: 100 and 100.
    // 100 / 200 × 50 + 100 / 100 × 50 = 25 + 50 = 75.
    assert_value(&r, "HC10", "执行局", Some(75.0));
    assert_value(&r, "HC10", "court", Some(75.0));
}

// ---------------------------------------------------------------- HC11, HC12

#[test]
fn hc11_single_set_archiving() {
    let r = june(&[
        (
            "cases",
            &[
                "R1,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R2,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R3,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R4,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R5,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R6,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R7,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R8,民事庭,诉前调解,其他,独任,否,2022-01-01,网上立案,2022-05-01",
                "R9,商事庭,商事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
            ],
        ),
        (
            "archives",
            &[
                "R1,2022-06-01,单套制,是", // first day, 单套制 confirmed → num
                "R2,2022-06-30,单套制,否", // last day, not confirmed → den
                "R3,2022-06-10,单套制,",   // confirmed empty → den
                "R4,2022-06-10,纸质,是",   // 纸质: confirmed does not matter → den
                "R5,2022-06-10,纸质,否",   // den
                "R6,2022-05-31,单套制,是", // day before → out
                "R7,2022-07-01,单套制,是", // day after → out
                "R8,2022-06-10,单套制,是", // 诉前调解 → excluded
                "R9,2022-06-11,单套制,是", // 商事庭 → num
            ],
        ),
    ]);
    // 民事庭: R1 of R1–R5 → 20%.
    assert_ratio(&r, "HC11", "民事庭", 1, 5, Some(20.0));
    assert_eq!(
        targets(&r, "HC11", "民事庭"),
        vec![t("=", 100.0, Some(false))]
    );
    assert_ratio(&r, "HC11", "商事庭", 1, 1, Some(100.0));
    assert_eq!(
        targets(&r, "HC11", "商事庭"),
        vec![t("=", 100.0, Some(true))]
    );
    assert_ratio(&r, "HC11", "court", 2, 6, Some(pct(2.0, 6.0)));
}

#[test]
fn hc12_native_electronic_files_by_entry_date() {
    let r = june(&[
        (
            "cases",
            &[
                "N1,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "N2,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "N3,民事庭,诉前调解,其他,独任,否,2022-01-01,网上立案,2022-05-01",
            ],
        ),
        (
            "archives",
            &[
                "N1,2022-06-15,单套制,是", // the case's archive date is in P …
                "N2,2022-05-20,单套制,是", // … or before it: HC12 uses each entry's own date
            ],
        ),
        (
            "dossier_files",
            &[
                "E1,N1,原生,2022-06-01", // first day, 原生 → num
                "E2,N1,网,2022-06-30",   // last day, 网 → num
                "E3,N1,扫描,2022-06-15", // scanned → den
                "E4,N1,原生,2022-07-01", // after P (though N1's archive row is in P) → out
                "E5,N2,扫描,2022-06-10", // in P (though N2's archive row is not) → den
                "E6,N2,原生,2022-05-31", // day before → out
                "E7,N3,原生,2022-06-10", // 诉前调解 → excluded
            ],
        ),
    ]);
    // 民事庭: E1 E2 of E1 E2 E3 E5 → 50%; target ≥ 60 missed.
    assert_ratio(&r, "HC12", "民事庭", 2, 4, Some(50.0));
    assert_eq!(
        targets(&r, "HC12", "民事庭"),
        vec![t(">=", 60.0, Some(false))]
    );
    assert_ratio(&r, "HC12", "court", 2, 4, Some(50.0));
    assert_ratio(&r, "HC12", "商事庭", 0, 0, None);
    assert_eq!(targets(&r, "HC12", "商事庭"), vec![t(">=", 60.0, None)]);
}

// ---------------------------------------------------------------- HC13

#[test]
fn hc13_online_deliberation() {
    let r = june(&[
        (
            "cases",
            &[
                "Q1,民事庭,民事,普通程序,合议庭,否,2022-01-01,网上立案,2022-06-01", // closed on P.start → den
                "Q2,民事庭,民事,普通程序,合议庭,,2022-01-01,网上立案,2022-06-30", // jurors empty, closed on P.end → den
                "Q3,民事庭,民事,普通程序,合议庭,是,2022-01-01,网上立案,2022-06-10", // jurors → excluded
                "Q4,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-06-10", // not 普通程序 → not in den
                "Q5,民事庭,民事,普通程序,独任,否,2022-01-01,网上立案,2022-06-10", // 独任 → not in den
                "Q6,民事庭,民事,普通程序,合议庭,否,2022-01-01,网上立案,2022-05-31", // closed before P → out
                "Q7,民事庭,民事,普通程序,合议庭,否,2022-01-01,网上立案,",           // pending → out
                "Q8,民事庭,诉前调解,普通程序,合议庭,否,2022-01-01,网上立案,2022-06-10", // 诉前调解 → excluded
                "Q9,民事庭,民事,普通程序,合议庭,否,2022-01-01,网上立案,2022-06-20",     // den
                "B1,商事庭,商事,简易程序,独任,否,2022-01-01,网上立案,2022-06-10", // not in den
                "B2,商事庭,商事,普通程序,合议庭,否,2022-01-01,网上立案,2022-06-12", // den
            ],
        ),
        (
            "deliberations",
            &[
                "V1,Q1,合议庭评议,2022-06-01,是,否",    // num
                "V2,Q4,合议庭评议,2022-06-05,是,",      // num, although Q4 is not a den case
                "V3,Q7,合议庭评议,2022-06-05,否,否",    // unsigned → not counted
                "V4,Q3,合议庭评议,2022-06-05,是,是",    // juror took part → excluded from num
                "V5,Q5,专业法官会议,2022-06-30,是,是", // num (exemption is for 合议庭评议 only) and den
                "V6,Q6,专业法官会议,2022-06-10,否,否", // den only: unsigned; no filter on its case
                "V7,Q1,合议庭评议,2022-05-31,是,否",   // day before → out
                "V8,Q1,专业法官会议,2022-07-01,是,否", // day after → out of both
                "V9,Q8,合议庭评议,2022-06-10,是,否",   // 诉前调解 → excluded
                "V10,Q1,合议庭评议,2022-06-20,是,否",  // num: deliberations count per record
                "V11,Q8,专业法官会议,2022-06-11,是,否", // 诉前调解 → excluded from both
                "W1,B1,合议庭评议,2022-06-03,是,否",   // 商事庭 num
                "W2,B1,合议庭评议,2022-06-04,是,否",   // 商事庭 num
                "W3,B2,合议庭评议,2022-06-05,是,否",   // 商事庭 num
            ],
        ),
    ]);
    // 民事庭: num V1 V2 V5 V10 = 4; den Q1 Q2 Q9 + V5 V6 = 5 → 80%.
    assert_ratio(&r, "HC13", "民事庭", 4, 5, Some(80.0));
    assert_eq!(
        targets(&r, "HC13", "民事庭"),
        vec![t(">=", 40.0, Some(true))]
    );
    // 商事庭: num W1 W2 W3 = 3; den B2 = 1 → 300% (can exceed 100).
    assert_ratio(&r, "HC13", "商事庭", 3, 1, Some(300.0));
    // Court: 7/6.
    assert_ratio(&r, "HC13", "court", 7, 6, Some(pct(7.0, 6.0)));
    assert_ratio(&r, "HC13", "刑事庭", 0, 0, None);
}

#[test]
fn hc13_numerator_without_denominator_is_undefined() {
    // A signed 合议庭评议 with no denominator: 1/0 → undefined, never infinite.
    let r = june(&[
        (
            "cases",
            &["B1,商事庭,商事,简易程序,独任,否,2022-01-01,网上立案,2022-06-10"],
        ),
        ("deliberations", &["W1,B1,合议庭评议,2022-06-03,是,否"]),
    ]);
    let (n, d, v) = fig(&r, "HC13", "商事庭");
    assert_eq!((n, d, v), (Some(1.0), Some(0.0), None));
    assert_eq!(targets(&r, "HC13", "商事庭"), vec![t(">=", 40.0, None)]);
}

// ---------------------------------------------------------------- HC14

#[test]
fn hc14_courtroom_facilities() {
    let r = june(&[
        (
            "courtrooms",
            &[
                "R1,第一法庭,院本部,法庭",
                "R2,第二法庭,院本部,法庭",
                "R3,第三法庭,院本部,法庭",
                "R4,南翔第一法庭,南翔法庭,法庭",
                "R5,南翔第二法庭,南翔法庭,法庭",
                "R6,南翔调解室,南翔法庭,调解室",
                "R7,安亭第一法庭,安亭法庭,法庭",
                "R8,安亭第二法庭,安亭法庭,法庭",
            ],
        ),
        (
            "computers",
            &[
                // R1: judge + 2 parties, complete, at least the minimum → a ✓ b ✓
                "C11,R1,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C12,R1,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C13,R1,当事人,是,是,是,8,3.5,16,27,2560,1440",
                // R2: as R1, plus an extra incomplete party computer → a ✓ b ✓
                "C21,R2,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C22,R2,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C23,R2,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C24,R2,当事人,是,否,是,4,2.0,8,23.8,1920,1080",
                // R3: no computer → a ✗ b ✗
                // R4: one party computer's signing device is empty → 1 complete party → a ✗; b ✓
                "C41,R4,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C42,R4,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C43,R4,当事人,是,是,,4,2.0,8,23.8,1920,1080",
                // R5: complete; one computer's ram_gb is empty → a ✓ b ✗
                "C51,R5,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C52,R5,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C53,R5,当事人,是,是,是,4,2.0,,23.8,1920,1080",
                // R6: 调解室 → excluded, however well equipped
                "C61,R6,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C62,R6,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C63,R6,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                // R7: the judge's display is 23.5 in → a ✓ b ✗
                "C71,R7,法官,是,是,是,4,2.0,8,23.5,1920,1080",
                "C72,R7,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C73,R7,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                // R8: the judge's computer has no display → a ✗; specs fine → b ✓
                "C81,R8,法官,否,是,是,4,2.0,8,23.8,1920,1080",
                "C82,R8,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C83,R8,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
            ],
        ),
    ]);
    // Per location: 院本部 R1 R2 R3; 南翔法庭 R4 R5 (R6 excluded); 安亭法庭 R7 R8.
    assert_ratio(&r, "HC14a", "院本部", 2, 3, Some(pct(2.0, 3.0))); // R1 R2
    assert_ratio(&r, "HC14b", "院本部", 2, 3, Some(pct(2.0, 3.0))); // R1 R2
    assert_ratio(&r, "HC14a", "南翔法庭", 1, 2, Some(50.0)); // R5
    assert_ratio(&r, "HC14b", "南翔法庭", 1, 2, Some(50.0)); // R4
    assert_ratio(&r, "HC14a", "安亭法庭", 1, 2, Some(50.0)); // R7
    assert_ratio(&r, "HC14b", "安亭法庭", 1, 2, Some(50.0)); // R8
    // Court: 7 rooms; a: R1 R2 R5 R7; b: R1 R2 R4 R8 → 4/7.
    assert_ratio(&r, "HC14a", "court", 4, 7, Some(pct(4.0, 7.0)));
    assert_ratio(&r, "HC14b", "court", 4, 7, Some(pct(4.0, 7.0)));
    for code in ["HC14a", "HC14b"] {
        assert_eq!(
            targets(&r, code, "court"),
            vec![owned(">=", 90.0, Some(false), "行装科")]
        );
        // Court-wide target only: locations carry none.
        assert_eq!(targets(&r, code, "院本部"), vec![]);
    }
}

#[test]
fn hc14b_each_minimum() {
    let r = june(&[
        (
            "courtrooms",
            &[
                "K1,江桥一庭,江桥法庭,法庭",
                "K2,江桥二庭,江桥法庭,法庭",
                "K3,江桥三庭,江桥法庭,法庭",
                "K4,江桥四庭,江桥法庭,法庭",
                "K5,江桥五庭,江桥法庭,法庭",
                "K6,江桥六庭,江桥法庭,法庭",
                "K7,江桥七庭,江桥法庭,法庭",
            ],
        ),
        (
            "computers",
            &[
                // Every room: judge + 2 parties, all complete → HC14a ✓ for all 7.
                // K1: a party computer has 3 cores → b ✗
                "C11,K1,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C12,K1,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C13,K1,当事人,是,是,是,3,2.0,8,23.8,1920,1080",
                // K2: 1.9 GHz → b ✗
                "C21,K2,法官,是,是,是,4,1.9,8,23.8,1920,1080",
                "C22,K2,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C23,K2,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                // K3: 7.5 GB → b ✗
                "C31,K3,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C32,K3,当事人,是,是,是,4,2.0,7.5,23.8,1920,1080",
                "C33,K3,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                // K4: 21.5 in → b ✗
                "C41,K4,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C42,K4,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C43,K4,当事人,是,是,是,4,2.0,8,21.5,1920,1080",
                // K5: 1366 wide → b ✗
                "C51,K5,法官,是,是,是,4,2.0,8,23.8,1366,1080",
                "C52,K5,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C53,K5,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                // K6: 768 high → b ✗
                "C61,K6,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C62,K6,当事人,是,是,是,4,2.0,8,23.8,1920,768",
                "C63,K6,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                // K7: everything exactly at the minimum → b ✓
                "C71,K7,法官,是,是,是,4,2.0,8,23.8,1920,1080",
                "C72,K7,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
                "C73,K7,当事人,是,是,是,4,2.0,8,23.8,1920,1080",
            ],
        ),
    ]);
    assert_ratio(&r, "HC14a", "court", 7, 7, Some(100.0));
    assert_ratio(&r, "HC14b", "court", 1, 7, Some(pct(1.0, 7.0)));
    assert_ratio(&r, "HC14b", "江桥法庭", 1, 7, Some(pct(1.0, 7.0)));
    // HC14a meets its court target, HC14b misses it.
    assert_eq!(
        targets(&r, "HC14a", "court"),
        vec![owned(">=", 90.0, Some(true), "行装科")]
    );
    assert_eq!(
        targets(&r, "HC14b", "court"),
        vec![owned(">=", 90.0, Some(false), "行装科")]
    );
}

// ---------------------------------------------------------------- targets

#[test]
fn targets_department_group_except_owner_and_undefined() {
    let r = june(&[
        (
            "cases",
            &[
                "C1,立案庭,民事,简易程序,独任,否,2022-06-10,网上立案,", // HC1 court: 1/1 = 100
                "J1,民事庭,民事,普通程序,合议庭,否,2022-01-01,网上立案,",
                "S1,商事庭,商事,普通程序,合议庭,否,2022-01-01,网上立案,",
                "X1,刑事庭,刑事,普通程序,合议庭,否,2022-01-01,现场立案,2022-06-15",
            ],
        ),
        (
            "hearings",
            &[
                "H1,J1,庭审,2022-06-02 09:00,已开庭,,判决,,是,线下,否", // 民事庭 HC4 1/1
                "H2,S1,庭审,2022-06-02 09:00,已开庭,,判决,,否,线下,否", // 商事庭 HC4 0/1
                "H3,X1,庭审,2022-06-02 09:00,已开庭,,判决,,是,线下,否", // 刑事庭 HC4 1/1
                "H4,C1,庭审,2022-06-02 09:00,已开庭,,判决,,是,线下,否", // 立案庭 HC4 2/3
                "H5,C1,庭审,2022-06-03 09:00,已开庭,,判决,,是,线下,否",
                "H6,C1,庭审,2022-06-04 09:00,已开庭,,判决,,否,线下,否",
            ],
        ),
        (
            "parties",
            &[
                "P1,X1,被告人,自然人,是,同意,,",
                "P2,J1,原告,自然人,否,同意,,",
            ],
        ),
        (
            "services",
            &[
                // 刑事庭: one successful electronic item → HC3 100, but no HC3 target.
                "S1,X1,P1,D1,电子邮件,2022-06-03 09:00,当事人提供,2022-06-03 09:01,,,",
                // 民事庭: one paper item → HC3a 0 → HC3 0, target ≥ 45 missed.
                "S2,J1,P2,D1,邮寄,2022-06-03 09:00,,,,,",
            ],
        ),
    ]);
    // Court target with owner: HC1 → 立案庭, 100 ≥ 90.
    assert_ratio(&r, "HC1", "court", 1, 1, Some(100.0));
    assert_eq!(
        targets(&r, "HC1", "court"),
        vec![owned(">=", 90.0, Some(true), "立案庭")]
    );
    // Department targets (HC4): met, missed, and the 立案庭 one (66.67 < 70 although ≥ 60).
    assert_eq!(
        targets(&r, "HC4", "民事庭"),
        vec![t(">=", 60.0, Some(true))]
    );
    assert_eq!(
        targets(&r, "HC4", "商事庭"),
        vec![t(">=", 60.0, Some(false))]
    );
    assert_eq!(
        targets(&r, "HC4", "刑事庭"),
        vec![t(">=", 60.0, Some(true))]
    );
    assert_ratio(&r, "HC4", "立案庭", 2, 3, Some(pct(2.0, 3.0)));
    assert_eq!(
        targets(&r, "HC4", "立案庭"),
        vec![t(">=", 70.0, Some(false))]
    );
    // Group with except: 刑事庭 has no HC3 target even with a value; 民事庭 has one.
    assert_value(&r, "HC3", "刑事庭", Some(100.0));
    assert_eq!(targets(&r, "HC3", "刑事庭"), vec![]);
    assert_value(&r, "HC3", "民事庭", Some(0.0));
    assert_eq!(
        targets(&r, "HC3", "民事庭"),
        vec![t(">=", 45.0, Some(false))]
    );
    // A 人民法庭 member gets the group's target; undefined → met None.
    assert_ratio(&r, "HC4", "南翔法庭", 0, 0, None);
    assert_eq!(targets(&r, "HC4", "南翔法庭"), vec![t(">=", 60.0, None)]);
    assert_value(&r, "HC3", "南翔法庭", None);
    assert_eq!(targets(&r, "HC3", "南翔法庭"), vec![t(">=", 45.0, None)]);
    // Non-business departments are not listed when they have no records.
    assert!(!departments(&r, "HC4").iter().any(|d| d == "办公室"));
    for d in BUSINESS {
        assert!(
            departments(&r, "HC4").iter().any(|x| x == d),
            "HC4 lists {d}"
        );
    }
}

#[test]
fn every_indicator_is_reported() {
    let r = june(&[]);
    for code in common::CODES {
        let ind = r
            .indicator(code)
            .unwrap_or_else(|| panic!("{code} is reported"));
        // No data at all: every value is undefined (never 0).
        for f in &ind.figures {
            assert_eq!(f.value, None, "{code} {}", f.department);
            assert!(f.undefined_reason.is_some(), "{code} {}", f.department);
            assert!(
                f.targets.iter().all(|t| t.met.is_none()),
                "{code} {}",
                f.department
            );
        }
        assert!(ind.figure("court").is_some(), "{code} has a court figure");
    }
    assert_eq!(r.indicators.len(), common::CODES.len());
    // Case-based indicators list every business department even without records;
    // HC1b is court only; HC14a/b list the locations found (none here).
    for code in common::CODES {
        let depts = departments(&r, code);
        match code {
            "HC1b" | "HC14a" | "HC14b" => assert_eq!(depts, vec!["court".to_string()], "{code}"),
            "HC10" => {}
            _ => {
                for d in BUSINESS {
                    assert!(depts.iter().any(|x| x == d), "{code} lists {d}: {depts:?}");
                }
                assert!(
                    !depts.iter().any(|x| x == "办公室" || x == "行装科"),
                    "{code}: {depts:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------- value conventions

#[test]
fn bool_and_date_spellings() {
    // data-model.md: bools also as true/false, 1/0, Y/N in any case; dates also as
    // YYYY/M/D and YYYY年M月D日.
    let r = june(&[
        (
            "cases",
            &[
                "R1,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R2,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R3,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R4,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R5,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R6,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R7,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R8,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R9,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
                "R10,民事庭,民事,简易程序,独任,否,2022-01-01,网上立案,2022-05-01",
            ],
        ),
        (
            "archives",
            &[
                "R1,2022/6/1,单套制,true",      // P.start as YYYY/M/D → num
                "R2,2022年6月30日,单套制,TRUE", // P.end as YYYY年M月D日 → num
                "R3,2022-06-10,单套制,1",       // num
                "R4,2022-06-10,单套制,Y",       // num
                "R5,2022-06-10,单套制,y",       // num
                "R6,2022-06-10,单套制,false",   // den
                "R7,2022-06-10,单套制,0",       // den
                "R8,2022-06-10,单套制,N",       // den
                "R9,2022/5/31,单套制,是",       // day before → out
                "R10,2022年7月1日,单套制,是",   // day after → out
            ],
        ),
    ]);
    // R1–R5 of R1–R8 → 5/8 = 62.5%.
    assert_ratio(&r, "HC11", "民事庭", 5, 8, Some(62.5));
}
