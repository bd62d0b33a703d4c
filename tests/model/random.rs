//! Random small courts and random small policies over the shipped schema,
//! for comparing the engine with the reference: a few cases and their
//! parties, services, hearings, documents and online filings (small key
//! spaces, so relations and distinct items meet), in random order; and
//! policies built from the grammar's forms over those tables.

use std::fmt::Write;
use std::path::Path;

/// A small deterministic generator (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len())]
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// A day from 2022-05-20 to 2022-07-10, written one of the ways exports do.
fn date(r: &mut Rng) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2022, 5, 20).expect("date");
    let d = start + chrono::Duration::days(r.below(52) as i64);
    if r.chance(20) {
        d.format("%Y/%-m/%-d").to_string()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

fn datetime(r: &mut Rng) -> String {
    let d = date(r);
    let (h, m) = (r.below(24), r.below(60));
    if r.chance(20) {
        format!("{d} {h}:{m:02}")
    } else {
        format!("{d} {h:02}:{m:02}:{:02}", r.below(60))
    }
}

fn maybe(r: &mut Rng, percent: u64, f: impl FnOnce(&mut Rng) -> String) -> String {
    if r.chance(percent) {
        f(r)
    } else {
        String::new()
    }
}

fn boolean(r: &mut Rng) -> String {
    r.pick(&["是", "否", "是", "否", "1", "0", "Y", "false"])
        .to_string()
}

/// Write one table: a header and rows, shuffled.
fn table(r: &mut Rng, dir: &Path, file: &str, header: &[&str], mut rows: Vec<Vec<String>>) {
    r.shuffle(&mut rows);
    let mut w = csv::Writer::from_path(dir.join(file)).expect("create");
    w.write_record(header).expect("header");
    for row in rows {
        w.write_record(&row).expect("row");
    }
    w.flush().expect("flush");
}

/// A random small court in `dir`.
pub fn court(r: &mut Rng, dir: &Path) {
    let cases = 1 + r.below(8);
    let case = |r: &mut Rng| format!("C{}", r.below(cases));
    let rows = (0..cases)
        .map(|i| {
            vec![
                format!("C{i}"),
                r.pick(&["民事庭", "商事庭", "刑事庭", "民事审判庭", ""])
                    .to_string(),
                r.pick(&["民事", "商事", "刑事", "执行", "诉前调解"])
                    .to_string(),
                r.pick(&["普通程序", "简易程序", "小额诉讼程序"])
                    .to_string(),
                r.pick(&["合议庭", "独任"]).to_string(),
                boolean(r),
                date(r),
                r.pick(&["网上立案", "要素式立案", "现场立案"]).to_string(),
                maybe(r, 60, date),
            ]
        })
        .collect();
    table(
        r,
        dir,
        "cases.csv",
        &[
            "case_id",
            "department",
            "category",
            "procedure",
            "panel",
            "jurors",
            "filed_on",
            "filing_channel",
            "closed_on",
        ],
        rows,
    );
    let parties = r.below(12);
    let rows = (0..parties)
        .map(|i| {
            vec![
                format!("P{i}"),
                case(r),
                r.pick(&["原告", "被告", "第三人"]).to_string(),
                r.pick(&["自然人", "法人"]).to_string(),
                boolean(r),
                r.pick(&["同意", "不同意", "未表示"]).to_string(),
                format!("3101{}", r.below(1000)),
                String::new(),
            ]
        })
        .collect();
    table(
        r,
        dir,
        "parties.csv",
        &[
            "party_id",
            "case_id",
            "role",
            "kind",
            "has_lawyer",
            "e_service_consent",
            "id_number",
            "phone",
        ],
        rows,
    );
    let services = if parties == 0 { 0 } else { r.below(25) };
    let rows = (0..services)
        .map(|i| {
            vec![
                format!("S{i}"),
                case(r),
                format!("P{}", r.below(parties)),
                format!("D{}", r.below(4)),
                r.pick(&["电子邮件", "上海移动微法院", "短信", "邮寄", "直接送达"])
                    .to_string(),
                datetime(r),
                maybe(r, 60, |r| {
                    r.pick(&["当事人提供", "约定", "其他诉讼", "运营商实名"])
                        .to_string()
                }),
                maybe(r, 50, datetime),
                maybe(r, 40, datetime),
                boolean(r),
                boolean(r),
            ]
        })
        .collect();
    table(
        r,
        dir,
        "services.csv",
        &[
            "service_id",
            "case_id",
            "party_id",
            "content_id",
            "channel",
            "sent_at",
            "address_source",
            "delivered_at",
            "read_at",
            "responded",
            "rebutted",
        ],
        rows,
    );
    let rows = (0..r.below(15))
        .map(|i| {
            vec![
                format!("H{i}"),
                case(r),
                r.pick(&["庭审", "谈话", "调解"]).to_string(),
                datetime(r),
                r.pick(&["已开庭", "已开庭", "取消", "未按时开庭"])
                    .to_string(),
                maybe(r, 60, datetime),
                maybe(r, 60, |r| r.pick(&["判决", "调解", "撤诉"]).to_string()),
                maybe(r, 50, datetime),
                boolean(r),
                r.pick(&["线下", "在线同步", "在线异步"]).to_string(),
                boolean(r),
            ]
        })
        .collect();
    table(
        r,
        dir,
        "hearings.csv",
        &[
            "hearing_id",
            "case_id",
            "kind",
            "scheduled_at",
            "status",
            "ended_at",
            "result",
            "result_entered_at",
            "record_reform",
            "mode",
            "president_present",
        ],
        rows,
    );
    let rows = (0..r.below(10))
        .map(|i| {
            vec![
                format!("W{i}"),
                case(r),
                r.pick(&["判决书", "裁定书", "调解书", "通知书"])
                    .to_string(),
                date(r),
                boolean(r),
                boolean(r),
                boolean(r),
                boolean(r),
            ]
        })
        .collect();
    table(
        r,
        dir,
        "documents.csv",
        &[
            "doc_id",
            "case_id",
            "doc_type",
            "signed_on",
            "template_generated",
            "proofread",
            "online_review",
            "e_sealed",
        ],
        rows,
    );
    let rows = (0..r.below(6))
        .map(|i| {
            vec![
                format!("A{i}"),
                date(r),
                r.pick(&["网上立案", "要素式立案"]).to_string(),
                r.pick(&["已立案", "退回补正", "审查中"]).to_string(),
                maybe(r, 70, case),
            ]
        })
        .collect();
    table(
        r,
        dir,
        "online_filings.csv",
        &[
            "application_id",
            "submitted_on",
            "channel",
            "outcome",
            "case_id",
        ],
        rows,
    );
}

/// The tables a generated policy counts, with what may be said of them.
struct Tab {
    name: &'static str,
    /// Conditions on one of its rows.
    atoms: &'static [&'static str],
    /// Date columns that may place a record in the period.
    dates: &'static [&'static str],
    /// Item columns for `count distinct`.
    items: &'static [&'static str],
    /// Amounts for `sum`, `avg`, … measures.
    amounts: &'static [&'static str],
    /// Columns a `per` breakdown may read.
    pers: &'static [&'static str],
}

const TABS: &[Tab] = &[
    Tab {
        name: "cases",
        atoms: &[
            "category = \"民事\"",
            "category in (\"商事\", \"执行\")",
            "procedure = \"普通程序\"",
            "panel = \"合议庭\"",
            "jurors",
            "closed_on is empty",
            "closed_on is set",
            "closed_on >= period.start",
            "filed_on <= period.end - 10 days",
            "in_handling",
            "filing_channel in (\"网上立案\", \"要素式立案\")",
            "filing_channel not in (\"网上立案\")",
            "any(hearings, record_reform)",
            "every(hearings, status = \"已开庭\")",
            "count(documents, e_sealed) >= 1",
            "count(services) >= 2",
            "any(parties, has_lawyer and kind = \"自然人\")",
            "days(filed_on, closed_on) <= 20",
            "department = \"民事庭\"",
            "department != \"商事庭\"",
            "contains(case_id, \"1\")",
        ],
        dates: &["filed_on", "closed_on"],
        items: &[],
        amounts: &[
            "days(filed_on, closed_on)",
            "(days(filed_on, closed_on) or 0)",
        ],
        pers: &["category", "department"],
    },
    Tab {
        name: "hearings",
        atoms: &[
            "status = \"取消\"",
            "status != \"已开庭\"",
            "record_reform",
            "mode in (\"在线同步\", \"在线异步\")",
            "result is empty",
            "result = \"判决\"",
            "kind = \"谈话\"",
            "president_present",
            "ended_at is set",
            "hours(scheduled_at, ended_at) >= 2",
            "case.category = \"民事\"",
            "case.in_handling",
            "case.jurors",
            "date(scheduled_at) >= period.start + 7 days",
            "starts_with(hearing_id, \"H1\")",
        ],
        dates: &["scheduled_at", "ended_at", "result_entered_at"],
        items: &["case_id", "case_id, kind"],
        amounts: &["hours(scheduled_at, ended_at)"],
        pers: &["case_id", "case.category"],
    },
    Tab {
        name: "services",
        atoms: &[
            "electronic",
            "channel in (\"电子邮件\", \"短信\", \"上海移动微法院\")",
            "read_at is set",
            "responded",
            "not rebutted",
            "address_source in (\"当事人提供\", \"约定\")",
            "address_source is empty",
            "party.has_lawyer",
            "party.kind = \"自然人\"",
            "party.case.panel = \"独任\"",
            "case.category = \"商事\"",
            "case.in_handling",
            "delivered_at is set and not rebutted",
            "hours(sent_at, read_at) <= 24",
        ],
        dates: &["sent_at", "read_at", "delivered_at"],
        items: &[
            "case_id, party_id, content_id",
            "content_id",
            "party_id, channel",
        ],
        amounts: &["hours(sent_at, read_at)", "hours(sent_at, delivered_at)"],
        pers: &["party_id", "channel"],
    },
    Tab {
        name: "documents",
        atoms: &[
            "doc_type in (\"判决书\", \"裁定书\")",
            "e_sealed",
            "template_generated",
            "proofread and online_review",
            "signed_on <= period.end - 5 days",
            "case.panel = \"独任\"",
            "case.closed_on is set",
        ],
        dates: &["signed_on"],
        items: &["case_id", "case_id, doc_type"],
        amounts: &["days(signed_on, case.closed_on)"],
        pers: &["doc_type"],
    },
    Tab {
        name: "parties",
        atoms: &[
            "has_lawyer",
            "role = \"原告\"",
            "kind = \"法人\"",
            "e_service_consent = \"同意\"",
            "case.category = \"民事\"",
            "any(services, responded)",
            "count(services) >= 1",
        ],
        dates: &[],
        items: &["case_id"],
        amounts: &["days(case.filed_on, case.closed_on)"],
        pers: &["role"],
    },
    Tab {
        name: "online_filings",
        atoms: &[
            "outcome = \"已立案\"",
            "channel = \"网上立案\"",
            "case.category = \"民事\"",
            "case_id is empty",
            "case.in_handling",
        ],
        dates: &["submitted_on"],
        items: &["channel"],
        amounts: &["days(submitted_on, case.filed_on)"],
        pers: &["outcome"],
    },
];

/// Whether an atom is an aggregate over related rows (not allowed in scope rules).
fn aggregate(a: &str) -> bool {
    ["any(", "every(", "count("]
        .iter()
        .any(|f| a.starts_with(f))
}

/// A condition on a row of `t`, with aggregates where `agg`.
fn cond_of(r: &mut Rng, t: &Tab, depth: usize, agg: bool) -> String {
    if depth == 0 || r.chance(40) {
        let atoms: Vec<&str> = t
            .atoms
            .iter()
            .copied()
            .filter(|a| agg || !aggregate(a))
            .collect();
        let a = atoms[r.below(atoms.len())];
        return if r.chance(15) {
            format!("not ({a})")
        } else {
            a.to_string()
        };
    }
    let (a, b) = (cond_of(r, t, depth - 1, agg), cond_of(r, t, depth - 1, agg));
    match r.below(3) {
        0 => format!("({a} and {b})"),
        1 => format!("({a} or {b})"),
        _ => format!("not ({a} and {b})"),
    }
}

fn cond(r: &mut Rng, t: &Tab, depth: usize) -> String {
    cond_of(r, t, depth, true)
}

fn count_line(r: &mut Rng, t: &Tab, distinct: bool) -> String {
    let mut s = String::from("count ");
    if distinct && !t.items.is_empty() && r.chance(30) {
        let _ = write!(s, "distinct ({}) in ", t.items[r.below(t.items.len())]);
    }
    s.push_str(t.name);
    if !t.dates.is_empty() && r.chance(85) {
        let _ = write!(s, " by {}", t.dates[r.below(t.dates.len())]);
    }
    if r.chance(25) {
        let w = if t.name == "cases" {
            "in_handling".to_string()
        } else if t.name != "parties" && r.chance(50) {
            "case.in_handling".to_string()
        } else {
            cond(r, t, 1)
        };
        let _ = write!(s, " when {w}");
    }
    s
}

fn rules(r: &mut Rng, t: &Tab, sides: bool, out: &mut String) {
    for _ in 0..r.below(4) {
        let side = if sides && r.chance(50) {
            "numerator "
        } else {
            ""
        };
        let c = cond(r, t, 2);
        if r.chance(50) {
            let _ = writeln!(out, "  {side}require {c}");
        } else {
            let _ = writeln!(out, "  {side}exclude {c} because \"理由\"");
        }
    }
}

/// A random small policy over the shipped schema (it may not check).
pub fn policy(r: &mut Rng) -> String {
    let mut s = String::from(
        "policy \"随机\" {\n  document \"测试\"\n  version \"1\"\n  effective 2022-01-01\n  schema \"schema.yaml\"\n",
    );
    if r.chance(50) {
        s.push_str("  report 业务部门\n");
    }
    s.push_str("}\ndepartments 民事庭, 商事庭, 刑事庭\ngroup 业务部门 = 民事庭, 商事庭, 刑事庭\n");
    s.push_str("department of cases = department\n");
    if r.chance(85) {
        s.push_str("department of parties, services, hearings, documents, online_filings = case.department\n");
    } else {
        s.push_str("department of hearings, documents = case.department\n");
    }
    if r.chance(50) {
        let c = cond_of(r, &TABS[0], 1, false);
        let _ = writeln!(s, "scope exclude cases where {c} because \"范围\"");
    }
    if r.chance(20) {
        let c = cond_of(r, &TABS[1], 0, false);
        let _ = writeln!(s, "scope exclude hearings where {c} because \"范围\"");
    }
    s.push_str("define in_handling on cases = filed_on <= period.end and (closed_on is empty or closed_on >= period.start)\n");
    s.push_str(
        "define electronic on services = channel in (\"电子邮件\", \"短信\", \"上海移动微法院\")\n",
    );
    // Counted indicators so far, with their table, for `restrict` and `over`.
    let mut counted: Vec<(String, usize)> = Vec::new();
    let mut all: Vec<String> = Vec::new();
    for i in 0..1 + r.below(4) {
        let id = format!("I{i}");
        let ti = r.below(TABS.len());
        let t = &TABS[ti];
        let _ = writeln!(s, "indicator {id} \"指标{i}\" {{");
        let kind = r.below(10);
        let mut simple = false;
        match kind {
            // Numerator and denominator over their own tables.
            0 => {
                let u = &TABS[r.below(TABS.len())];
                let _ = writeln!(s, "  numerator {{\n  {}", count_line(r, t, false));
                rules(r, t, false, &mut s);
                let _ = writeln!(s, "  }}\n  denominator {{\n  {}", count_line(r, u, false));
                rules(r, u, false, &mut s);
                s.push_str("  }\n");
                if r.chance(30) {
                    let _ = writeln!(s, "  denominator {{ {} }}", count_line(r, t, false));
                }
                if r.chance(30) {
                    s.push_str("  unit ratio\n");
                }
            }
            // A slice of an earlier counted indicator.
            1 | 2 if !counted.is_empty() => {
                let (of, oti) = counted[r.below(counted.len())].clone();
                if kind == 1 {
                    let _ = writeln!(s, "  restrict {of} where {}", cond(r, &TABS[oti], 1));
                } else {
                    let _ = writeln!(
                        s,
                        "  over {of} numerator\n  numerator require {}",
                        cond(r, &TABS[oti], 1)
                    );
                }
            }
            // A formula of measures and earlier indicators.
            3 | 4 => {
                let n = 1 + r.below(2);
                for m in 0..n {
                    let filter = if r.chance(50) {
                        format!(" where {}", cond(r, t, 1))
                    } else {
                        String::new()
                    };
                    let by = if !t.dates.is_empty() && r.chance(80) {
                        format!(" by {}", t.dates[r.below(t.dates.len())])
                    } else {
                        String::new()
                    };
                    if r.chance(40) {
                        let _ = writeln!(s, "  let m{m} = count {}{by}{filter}", t.name);
                    } else {
                        let f = r.pick(&["sum", "avg", "median", "min", "max"]);
                        let a = t.amounts[r.below(t.amounts.len())];
                        let _ = writeln!(s, "  let m{m} = {f} {a} of {}{by}{filter}", t.name);
                    }
                }
                let mut terms: Vec<String> = (0..n).map(|m| format!("m{m}")).collect();
                if !all.is_empty() {
                    let other = all[r.below(all.len())].clone();
                    terms.push(match r.below(4) {
                        0 => format!("({other} or 0)"),
                        1 => format!("previous({other})"),
                        _ => other,
                    });
                }
                let a = terms[r.below(terms.len())].clone();
                let b = terms[r.below(terms.len())].clone();
                let v = match r.below(6) {
                    0 => format!("{a} / {b} * 100"),
                    1 => format!("min(100, {a} + {b})"),
                    2 => format!("sum_defined({a}, {b})"),
                    3 => format!("max({a}, {b}) - 1"),
                    4 => format!("({a} or 0) * 2"),
                    _ => a,
                };
                let _ = writeln!(s, "  value = {v}");
                if r.chance(50) {
                    s.push_str("  unit days\n");
                }
            }
            _ => {
                simple = true;
                let count = count_line(r, t, true);
                let _ = writeln!(s, "  {count}");
                rules(r, t, true, &mut s);
                match r.below(5) {
                    0 => s.push_str("  unit count\n"),
                    u => {
                        if u == 1 {
                            s.push_str("  unit ratio\n");
                        }
                        // A rate says which records its numerator counts.
                        let _ = writeln!(s, "  numerator require {}", cond(r, t, 1));
                    }
                }
                if !count.contains("distinct") && r.chance(25) {
                    let _ = writeln!(s, "  per {}", t.pers[r.below(t.pers.len())]);
                }
            }
        }
        match r.below(6) {
            0 => s.push_str("  report found\n"),
            1 => s.push_str("  report court\n"),
            _ => {}
        }
        s.push_str("}\n");
        if simple {
            counted.push((id.clone(), ti));
        }
        all.push(id);
    }
    s
}
