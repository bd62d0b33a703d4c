//! Synthetic court export generator for the 审判质量管理指标体系 example
//! (`examples/quality/schema.yaml`).
//!
//! Usage:
//!
//! ```text
//! cargo run --release --example gen_quality -- --cases N --seed S --out DIR
//! ```
//!
//! Writes judges.csv, cases.csv, appeals.csv, retrials.csv and payments.csv
//! into DIR (created if missing). UTF-8, a header row (the schema's column
//! names), `\n` line ends, quoting by the `csv` crate, dates `YYYY-MM-DD`,
//! datetimes `YYYY-MM-DD HH:MM:SS`, amounts in 元 with two decimals.
//! Defaults: `--cases 1000 --seed 7`; `--out` is required.
//!
//! The output is deterministic (the splitmix64 PRNG of `examples/gen.rs`, no
//! hash-map iteration): the same arguments give byte-identical files.
//!
//! The court: a basic court (沪0114) of seven departments, about 12 judges per
//! 1000 cases. Its own cases — `--cases` × 85 % of them, the rest of the
//! ~N rows are derived — are filed evenly over 2023-01-01..2024-12-31, so that
//! every figure has a year-over-year (同比) counterpart; the export ends on
//! 2024-12-31: what closes later is pending, what would be filed later is not
//! there. Derived cases (衍生案件, `origin_id` set, about 15 % of all rows):
//!   - an appeal (~10 % of first-instance judgments and 驳回起诉 rulings) gives
//!     an `appeals` row and a 二审 case `(Y)沪02民终N号` heard by the
//!     intermediate court (no judge of this court; department = the origin's);
//!     ~15 % of decided appeals are 改判 or 发回重审;
//!   - 发回重审 (on appeal or retrial) gives a new 一审 case of the same
//!     department, another judge when there is one;
//!   - a judgment or 调解 not appealed may be enforced: an 执行 case of 执行局
//!     (so of another department than its origin), with partial payments;
//!   - ~2 % of effective judgments get an application for retrial (再审审查),
//!     some of them granted (裁定再审): a `再审` retrials row and a 再审 case
//!     `(Y)沪02民再N号` (提审 by the intermediate court, like a 二审 case).
//!
//! Derived cases are filed after their origin closes, and rows are written in
//! filing order: the cases still to be derived wait in a heap ordered by filing
//! time (a few per cent of the cases of the coming months), everything else is
//! written as soon as it is generated, so memory stays small at any size.
//!
//! 审限: `limit_days` natural days counted from the day after filing (the day
//! of filing is not counted), plus `extended_days` when an extension was
//! approved; closed on time when `date(closed_at) <= date(filed_at) + limit +
//! extended`. Limits: 民商事一审 简易 90 / 普通 180 / 小额 60; 刑事一审 速裁 10 /
//! 简易 20 / 普通 60; 行政一审 简易 45 / 普通 180; 二审 90 (刑事 60, rulings
//! 30); 再审 180; 执行 180 (有财产可供执行案件 six months). Most cases close within
//! the limit, ~5 % after an approved extension, ~3 % late, ~1 % not for more
//! than a year.
//!
//! Deliberate edge cases, the same in every run whatever N (their 案号 are
//! printed on stderr; in `examples/quality/data`, seed 7, see the README of the
//! policy or the generator's output):
//!   E1 民事一审 简易 limit 90, filed 2024-03-01, closed 2024-05-30 16:00:00,
//!      the last day of the 审限 (2024-03-01 + 90): on time.
//!   E2 the same, closed 2024-05-31 10:30:00, the day after: late (1 day).
//!   E3 商事一审 普通 limit 180 + extended_days 180, filed 2023-06-01, closed
//!      2024-03-15 (288 days): past 180 but within the extension, on time.
//!   E4 民事一审 普通 limit 180 + 180, filed 2023-05-10, still pending at
//!      2024-12-31 (601 days): overdue and pending more than a year.
//!   E5 行政一审 filed 2023-12-31, pending: 366 days at 2024-12-31 — more
//!      than 365 days, but exactly 12 calendar months (2024 is a leap year),
//!      so "pending > 12 months" depends on how the policy counts.
//!   E6 行政一审 filed 2024-01-01, pending: 365 days, not long pending either way.
//!   E7 民事一审 of 民事审判一庭 closed by judgment 2023-08-15, and E8 the 执行
//!      case of 执行局 derived from it (origin of another department), filed
//!      2023-10-09, claim 86,500.00, one payment of 12,000.00, closed
//!      2024-04-12 by 终结本次执行.
//!   E9 执行 case (not derived: an arbitration award) with four payments that
//!      add up to its claim of 120,000.00, closed 2024-07-25 by 执行完毕.
//!   E10 民事一审 closed by 调解 at 2023-12-31 23:59:59 (the last second of
//!      2023: a 2023 closing).
//!   J-empty: a 员额法官 of 民事审判二庭 with no case (the last post judge in
//!      judges.csv); judges with post_judge 否 have no cases either.
//! Edge cases generate no random derived cases.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

#[path = "shared/gen_common.rs"]
mod gen_common;
use gen_common::*;

const USAGE: &str =
    "usage: cargo run --release --example gen_quality -- --cases N --seed S --out DIR
  --cases N   about N cases (default 1000)
  --seed S    PRNG seed (default 7)
  --out DIR   output folder (required; created if missing)";

/// Share of the rows that are the court's own (not derived) cases.
const OWN_SHARE: f64 = 0.85;

// ---------------------------------------------------------------- arguments

struct Args {
    cases: u64,
    seed: u64,
    out: PathBuf,
}

fn parse_args(argv: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut cases = 1000u64;
    let mut seed = 7u64;
    let mut out = None;
    let Some(pairs) = flags(argv, &["--cases", "--seed", "--out"])? else {
        return Ok(None);
    };
    for (flag, value) in pairs {
        match flag.as_str() {
            "--cases" => cases = count(&flag, &value)?,
            "--seed" => seed = count(&flag, &value)?,
            _ => out = Some(PathBuf::from(value)),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Some(Args { cases, seed, out }))
}

// ---------------------------------------------------------------- calendar

/// Seconds since 1970-01-01 00:00:00 of a day and a time.
fn at(y: i32, m: u32, d: u32, hh: i64, mm: i64, ss: i64) -> i64 {
    i64::from(days_from_civil(y, m, d)) * DAY + hh * HOUR + mm * MIN + ss
}

fn day_of(t: i64) -> i32 {
    t.div_euclid(DAY) as i32
}

fn year_of(t: i64) -> i32 {
    civil_from_days(day_of(t)).0
}

// ---------------------------------------------------------------- PRNG

impl Rng {
    /// A time of day in office hours (08:30..17:30), as seconds.
    fn office(&mut self) -> i64 {
        8 * HOUR + 30 * MIN + self.range(0, 9 * HOUR - 1)
    }
}

// ---------------------------------------------------------------- formatting

fn date(d: i32) -> Buf {
    let (y, m, dd) = civil_from_days(d);
    Buf::new()
        .num(y as u64, 4)
        .s("-")
        .num(u64::from(m), 2)
        .s("-")
        .num(u64::from(dd), 2)
}

fn odate(d: Option<i32>) -> Buf {
    d.map_or(Buf::new(), date)
}

fn dt(t: i64) -> Buf {
    let s = t.rem_euclid(DAY) as u64;
    date(day_of(t))
        .s(" ")
        .num(s / 3600, 2)
        .s(":")
        .num(s / 60 % 60, 2)
        .s(":")
        .num(s % 60, 2)
}

/// An amount in 分 as 元 with two decimals.
fn yuan(fen: u64) -> Buf {
    Buf::new().num(fen / 100, 1).s(".").num(fen % 100, 2)
}

fn int(v: u32) -> Buf {
    Buf::new().num(u64::from(v), 1)
}

// ---------------------------------------------------------------- output

// ---------------------------------------------------------------- domain

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dept {
    LiAn,
    Min1,
    Min2,
    Shang,
    Xing,
    XingZheng,
    ZhiXing,
}

const ALL_DEPTS: [Dept; 7] = [
    Dept::LiAn,
    Dept::Min1,
    Dept::Min2,
    Dept::Shang,
    Dept::Xing,
    Dept::XingZheng,
    Dept::ZhiXing,
];

impl Dept {
    fn name(self) -> &'static str {
        match self {
            Dept::LiAn => "立案庭",
            Dept::Min1 => "民事审判一庭",
            Dept::Min2 => "民事审判二庭",
            Dept::Shang => "商事庭",
            Dept::Xing => "刑事庭",
            Dept::XingZheng => "行政庭",
            Dept::ZhiXing => "执行局",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Share of the court's own cases (立案庭: 速裁 of simple civil cases).
    fn own_weight(self) -> u32 {
        match self {
            Dept::LiAn => 12,
            Dept::Min1 => 22,
            Dept::Min2 => 18,
            Dept::Shang => 16,
            Dept::Xing => 10,
            Dept::XingZheng => 4,
            Dept::ZhiXing => 6,
        }
    }

    /// Workload, derived 执行 cases included: how judges are spread.
    fn judge_weight(self) -> u32 {
        match self {
            Dept::ZhiXing => 17,
            d => d.own_weight(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cat {
    Min,
    Shang,
    Xing,
    XingZheng,
    Zhi,
}

impl Cat {
    fn name(self) -> &'static str {
        match self {
            Cat::Min => "民事",
            Cat::Shang => "商事",
            Cat::Xing => "刑事",
            Cat::XingZheng => "行政",
            Cat::Zhi => "执行",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Level {
    YiShen,
    ErShen,
    ZaiShen,
    ZhiXing,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::YiShen => "一审",
            Level::ErShen => "二审",
            Level::ZaiShen => "再审",
            Level::ZhiXing => "执行",
        }
    }
}

const PANJUE: &str = "判决";
const TIAOJIE: &str = "调解";
const CHESU: &str = "撤诉";
const BOHUI: &str = "驳回起诉";
const YISONG: &str = "移送";
const WANBI: &str = "执行完毕";
const ZHONGBEN: &str = "终结本次执行";
const QITA: &str = "其他";

/// The last day of the export.
fn end_day() -> i32 {
    days_from_civil(2024, 12, 31)
}

fn first_day() -> i32 {
    days_from_civil(2023, 1, 1)
}

/// How a case's outcome is known when it is scheduled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fixed {
    /// Drawn when the case is written.
    No,
    /// Decided with its origin (二审 and 再审 cases: their appeal or retrial row
    /// was written then).
    Outcome,
    /// A deliberate edge case (number `E1`…).
    Edge(u8),
}

/// A case to write: the court's own as it is drawn, or a derived one waiting
/// in the heap for its filing time.
struct Pend {
    filed: i64,
    seq: u64,
    dept: Dept,
    judge: Option<u32>,
    cat: Cat,
    level: Level,
    fixed: Fixed,
    closed: Option<i64>,
    limit: u32,
    ext: Option<u32>,
    closing: Option<&'static str>,
    origin: Option<String>,
    /// The judge of the origin (a 重审 case gets another one).
    not_judge: Option<u32>,
    /// The ruling appealed was a 驳回起诉 (二审 limit 30 days).
    ruling: bool,
}

impl PartialEq for Pend {
    fn eq(&self, o: &Pend) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Pend {}
impl PartialOrd for Pend {
    fn partial_cmp(&self, o: &Pend) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Pend {
    /// Reversed: the heap pops the earliest filing first.
    fn cmp(&self, o: &Pend) -> Ordering {
        (o.filed, o.seq).cmp(&(self.filed, self.seq))
    }
}

struct Judge {
    dept: Dept,
    post: bool,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "沈", "顾", "陆", "蒋", "钱", "汪", "俞", "姚",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "慧", "建", "文", "斌", "宇", "浩", "凯", "佳",
    "晨", "颖", "琳", "婷", "雪", "昊", "瑞", "睿", "欣", "怡", "晓", "鹏", "辉", "蕾", "倩", "雯",
];

struct Tables {
    cases: Sink,
    appeals: Sink,
    retrials: Sink,
    payments: Sink,
}

#[derive(Default)]
struct Ids {
    seq: u64,
    appeal: u64,
    retrial: u64,
    payment: u64,
}

struct Gen {
    r: Rng,
    t: Tables,
    ids: Ids,
    heap: BinaryHeap<Pend>,
    judges: Vec<Judge>,
    /// Judges who take cases, per department (indices into `judges`).
    by_dept: Vec<Vec<u32>>,
    /// 案号 counters: (year, court, 字号) → last number.
    case_nos: Vec<(i32, &'static str, &'static str, u64)>,
    edges: Vec<(u8, String)>,
    derived: u64,
}

impl Gen {
    fn next_case_no(&mut self, year: i32, court: &'static str, code: &'static str) -> u64 {
        if let Some(e) = self
            .case_nos
            .iter_mut()
            .find(|e| e.0 == year && e.1 == court && e.2 == code)
        {
            e.3 += 1;
            return e.3;
        }
        self.case_nos.push((year, court, code, 1));
        1
    }

    fn seq(&mut self) -> u64 {
        self.ids.seq += 1;
        self.ids.seq
    }

    fn judge_in(&mut self, dept: Dept, not: Option<u32>) -> Option<u32> {
        let js = &self.by_dept[dept.index()];
        if js.is_empty() {
            return None;
        }
        let k = self.r.below(js.len() as u64) as usize;
        let j = js[k];
        if Some(j) == not && js.len() > 1 {
            return Some(js[(k + 1) % js.len()]);
        }
        Some(j)
    }

    fn pend(&mut self, filed: i64, dept: Dept, cat: Cat, level: Level) -> Pend {
        Pend {
            filed,
            seq: self.seq(),
            dept,
            judge: None,
            cat,
            level,
            fixed: Fixed::No,
            closed: None,
            limit: 0,
            ext: None,
            closing: None,
            origin: None,
            not_judge: None,
            ruling: false,
        }
    }

    /// One of the court's own cases, filed at `filed`.
    fn own(&mut self, filed: i64) -> Pend {
        let r = &mut self.r;
        let dept = r.pick(&ALL_DEPTS.map(|d| (d, d.own_weight())));
        let (cat, level) = match dept {
            Dept::Shang => (Cat::Shang, Level::YiShen),
            Dept::Xing => (Cat::Xing, Level::YiShen),
            Dept::XingZheng => (Cat::XingZheng, Level::YiShen),
            Dept::ZhiXing => (Cat::Zhi, Level::ZhiXing),
            Dept::Min2 => (r.pick(&[(Cat::Min, 90), (Cat::Shang, 10)]), Level::YiShen),
            _ => (Cat::Min, Level::YiShen),
        };
        self.pend(filed, dept, cat, level)
    }

    /// 审限, extension, close and closing of a case drawn when it is written.
    fn draw_outcome(&mut self, p: &mut Pend) {
        let r = &mut self.r;
        // (limit, extension an approval may add, shortest duration)
        let (limit, ext, lo) = match (p.level, p.cat) {
            (Level::ZhiXing, _) => (180, 90, 10),
            (Level::ErShen, Cat::Xing) => (60, 30, 15),
            (Level::ErShen, _) if p.ruling => (30, 0, 7),
            (Level::ErShen, _) => (90, 90, 20),
            (Level::ZaiShen, _) => (180, 180, 30),
            (_, Cat::Xing) => r.pick(&[((10, 5, 3), 20), ((20, 25, 5), 35), ((60, 30, 15), 45)]),
            (_, Cat::XingZheng) => r.pick(&[((45, 0, 10), 20), ((180, 90, 30), 80)]),
            (_, _) if p.dept == Dept::LiAn => {
                r.pick(&[((60, 30, 7), 40), ((90, 0, 10), 55), ((180, 180, 30), 5)])
            }
            _ => r.pick(&[((60, 30, 10), 10), ((90, 0, 15), 55), ((180, 180, 30), 35)]),
        };
        p.limit = limit;
        let filed_day = day_of(p.filed);
        let x = r.below(1000);
        let days: Option<i64> = if x < 10 && filed_day < days_from_civil(2024, 1, 1) {
            // Not closed for more than a year: pending at the export's end.
            if ext > 0 && r.chance(0.5) {
                p.ext = Some(ext);
            }
            None
        } else if x < 60 && ext > 0 {
            // An approved extension, mostly closed within it.
            p.ext = Some(ext);
            let total = i64::from(limit + ext);
            if r.chance(0.1) {
                Some(total + r.range(1, 40))
            } else {
                Some(r.range(i64::from(limit) + 1, total))
            }
        } else if x < 90 {
            // Late without an extension.
            Some(i64::from(limit) + r.range(1, 60))
        } else {
            // Within the limit, more of them early than late.
            let u = r.unit();
            let span = f64::from(limit) - f64::from(lo);
            Some(i64::from(lo) + (span * u.powf(1.3)).round() as i64)
        };
        p.closed = days
            .map(|d| i64::from(filed_day + d as i32) * DAY + r.office())
            .filter(|&c| day_of(c) <= end_day() && c > p.filed);
        if p.closed.is_none() {
            return;
        }
        p.closing = Some(match (p.level, p.cat) {
            (Level::ZhiXing, _) => r.pick(&[(WANBI, 45), (ZHONGBEN, 42), (QITA, 13)]),
            (_, Cat::Xing) => r.pick(&[(PANJUE, 92), (CHESU, 3), (QITA, 5)]),
            (_, Cat::XingZheng) => r.pick(&[
                (PANJUE, 50),
                (CHESU, 33),
                (BOHUI, 12),
                (TIAOJIE, 2),
                (QITA, 3),
            ]),
            _ => r.pick(&[
                (PANJUE, 45),
                (TIAOJIE, 25),
                (CHESU, 22),
                (BOHUI, 4),
                (YISONG, 2),
                (QITA, 2),
            ]),
        });
    }

    /// Writes a case, its payments, and schedules what derives from it.
    fn emit(&mut self, mut p: Pend) -> Res {
        if p.fixed == Fixed::No {
            self.draw_outcome(&mut p);
        }
        if p.judge.is_none() && !matches!(p.level, Level::ErShen | Level::ZaiShen) {
            p.judge = self.judge_in(p.dept, p.not_judge);
        }
        let (court, code) = match (p.level, p.cat) {
            (Level::ZhiXing, _) => ("沪0114", "执"),
            (Level::ErShen, Cat::Xing) => ("沪02", "刑终"),
            (Level::ErShen, Cat::XingZheng) => ("沪02", "行终"),
            (Level::ErShen, _) => ("沪02", "民终"),
            (Level::ZaiShen, Cat::Xing) => ("沪02", "刑再"),
            (Level::ZaiShen, Cat::XingZheng) => ("沪02", "行再"),
            (Level::ZaiShen, _) => ("沪02", "民再"),
            (_, Cat::Xing) => ("沪0114", "刑初"),
            (_, Cat::XingZheng) => ("沪0114", "行初"),
            _ => ("沪0114", "民初"),
        };
        let year = year_of(p.filed);
        let no = self.next_case_no(year, court, code);
        let case_id = format!("({year}){court}{code}{no}号");
        if p.origin.is_some() {
            self.derived += 1;
        }
        let claim = (p.level == Level::ZhiXing).then(|| self.claim(&p));

        let t = &mut self.t.cases;
        t.f(&case_id)?;
        t.f(p.dept.name())?;
        t.f(p.judge.map_or(Buf::new(), judge_id))?;
        t.f(p.cat.name())?;
        t.f(p.level.name())?;
        t.f(dt(p.filed))?;
        t.f(p.closed.map_or(Buf::new(), dt))?;
        t.f(int(p.limit))?;
        t.f(p.ext.map_or(Buf::new(), int))?;
        t.f(p.closing.unwrap_or(""))?;
        t.f(p.origin.as_deref().unwrap_or(""))?;
        t.f(claim.map_or(Buf::new(), yuan))?;
        t.end()?;

        if let Fixed::Edge(k) = p.fixed {
            self.edges.push((k, case_id.clone()));
        }
        if let Some(claim) = claim {
            self.payments(&case_id, &p, claim)?;
        }
        match p.fixed {
            Fixed::Edge(7) => {
                // E8: enforcement of E7's judgment, by 执行局.
                let mut e = self.pend(
                    at(2023, 10, 9, 9, 15, 0),
                    Dept::ZhiXing,
                    Cat::Zhi,
                    Level::ZhiXing,
                );
                e.fixed = Fixed::Edge(8);
                e.limit = 180;
                e.closed = Some(at(2024, 4, 12, 15, 20, 0));
                e.closing = Some(ZHONGBEN);
                e.origin = Some(case_id);
                self.heap.push(e);
                Ok(())
            }
            Fixed::No if p.level == Level::YiShen => self.derive(&case_id, &p),
            _ => Ok(()),
        }
    }

    /// The amount applied for, in 分.
    fn claim(&mut self, p: &Pend) -> u64 {
        match p.fixed {
            Fixed::Edge(8) => 8_650_000,
            Fixed::Edge(9) => 12_000_000,
            _ => {
                // Roughly log-uniform from 2,000 to 2,000,000 元, whole 元 mostly.
                let e = 3.3 + 3.0 * self.r.unit();
                let yuan = 10f64.powf(e) as u64;
                let fen = if self.r.chance(0.3) {
                    self.r.below(100)
                } else {
                    0
                };
                yuan * 100 + fen
            }
        }
    }

    fn payments(&mut self, case_id: &str, p: &Pend, claim: u64) -> Res {
        let filed = day_of(p.filed);
        let plan: Vec<(i32, u64)> = match p.fixed {
            Fixed::Edge(8) => vec![(days_from_civil(2023, 12, 20), 1_200_000)],
            Fixed::Edge(9) => vec![
                (days_from_civil(2024, 3, 5), 2_000_000),
                (days_from_civil(2024, 4, 18), 3_500_050),
                (days_from_civil(2024, 6, 3), 4_000_000),
                (days_from_civil(2024, 7, 22), 2_499_950),
            ],
            _ => {
                let r = &mut self.r;
                let last = p.closed.map_or(end_day(), day_of);
                // Share of the claim paid, and in how many payments.
                let (share, n) = match p.closing {
                    Some(WANBI) => (1.0, r.pick(&[(1, 60), (2, 25), (3, 15)])),
                    Some(ZHONGBEN) if r.chance(0.55) => (0.0, 0),
                    Some(ZHONGBEN) => (0.05 + 0.35 * r.unit(), r.pick(&[(1, 70), (2, 30)])),
                    Some(_) if r.chance(0.6) => (0.0, 0),
                    Some(_) => (0.1 + 0.5 * r.unit(), 1),
                    None if r.chance(0.45) => (0.0, 0),
                    None => (0.6 * r.unit(), r.pick(&[(1, 60), (2, 30), (3, 10)])),
                };
                let total = ((claim as f64) * share).round() as u64;
                if total == 0 || last <= filed {
                    Vec::new()
                } else {
                    let mut days: Vec<i32> = (0..n)
                        .map(|_| r.range(i64::from(filed) + 1, i64::from(last)) as i32)
                        .collect();
                    days.sort_unstable();
                    let mut left = total;
                    let mut out = Vec::with_capacity(n);
                    for (i, d) in days.into_iter().enumerate() {
                        let a = if i + 1 == n {
                            left
                        } else {
                            let a = (left as f64 * (0.3 + 0.4 * r.unit())) as u64;
                            a.max(1)
                        };
                        left -= a;
                        out.push((d, a));
                    }
                    out
                }
            }
        };
        for (d, amount) in plan {
            self.ids.payment += 1;
            let t = &mut self.t.payments;
            t.f(id("ZF", self.ids.payment))?;
            t.f(case_id)?;
            t.f(date(d))?;
            t.f(yuan(amount))?;
            t.end()?;
        }
        Ok(())
    }

    /// Appeals, enforcement and retrials of a first-instance case just written.
    fn derive(&mut self, case_id: &str, p: &Pend) -> Res {
        let (Some(closed), Some(closing)) = (p.closed, p.closing) else {
            return Ok(());
        };
        let end = end_day();
        let closed_day = day_of(closed);
        let appealable = closing == PANJUE || closing == BOHUI;
        if appealable && self.r.chance(0.11) {
            let filed_on = closed_day + self.r.range(3, 15) as i32;
            if filed_on > end {
                return Ok(());
            }
            let second = i64::from(filed_on + self.r.range(10, 40) as i32) * DAY + self.r.office();
            let mut e = self.pend(second, p.dept, p.cat, Level::ErShen);
            e.fixed = Fixed::Outcome;
            e.origin = Some(case_id.to_string());
            e.ruling = closing == BOHUI;
            let mut result = "未结";
            if day_of(second) <= end {
                self.draw_outcome(&mut e);
                if e.closed.is_some() {
                    result = self.r.pick(&[
                        ("维持", 68),
                        ("改判", 9),
                        ("发回重审", 6),
                        ("撤回上诉", 12),
                        ("调解", 5),
                    ]);
                    e.closing = Some(match result {
                        "维持" | "改判" => PANJUE,
                        "撤回上诉" => CHESU,
                        "调解" => TIAOJIE,
                        _ => QITA,
                    });
                }
            }
            let decided = e.closed.filter(|_| result != "未结").map(day_of);
            self.ids.appeal += 1;
            let t = &mut self.t.appeals;
            t.f(id("SS", self.ids.appeal))?;
            t.f(case_id)?;
            t.f(date(filed_on))?;
            t.f(result)?;
            t.f(odate(decided))?;
            t.end()?;
            if day_of(second) <= end {
                self.heap.push(e);
            }
            if let (Some(d), "发回重审") = (decided, result) {
                self.retry(case_id, p, d)?;
            }
            return Ok(());
        }
        if closing == PANJUE || closing == TIAOJIE {
            let pe = match p.cat {
                Cat::Min | Cat::Shang => 0.27,
                Cat::Xing => 0.08,
                _ => 0.05,
            };
            if self.r.chance(pe) {
                let day = closed_day + self.r.range(20, 150) as i32;
                if day <= end {
                    let t = i64::from(day) * DAY + self.r.office();
                    let mut e = self.pend(t, Dept::ZhiXing, Cat::Zhi, Level::ZhiXing);
                    e.origin = Some(case_id.to_string());
                    self.heap.push(e);
                }
            }
        }
        if closing == PANJUE && self.r.chance(0.02) {
            self.review(case_id, p, closed_day)?;
        }
        Ok(())
    }

    /// A new first-instance case after 发回重审, decided on `decided`.
    fn retry(&mut self, case_id: &str, p: &Pend, decided: i32) -> Res {
        let day = decided + self.r.range(7, 30) as i32;
        if day <= end_day() {
            let t = i64::from(day) * DAY + self.r.office();
            let mut e = self.pend(t, p.dept, p.cat, Level::YiShen);
            e.origin = Some(case_id.to_string());
            e.not_judge = p.judge;
            self.heap.push(e);
        }
        Ok(())
    }

    /// An application for retrial of an effective judgment (再审审查), and the
    /// retrial when it is granted.
    fn review(&mut self, case_id: &str, p: &Pend, closed_day: i32) -> Res {
        let end = end_day();
        let filed_on = closed_day + self.r.range(30, 300) as i32;
        if filed_on > end {
            return Ok(());
        }
        let decided = Some(filed_on + self.r.range(20, 90) as i32).filter(|&d| d <= end);
        let result = match decided {
            None => "未结",
            Some(_) => self.r.pick(&[("驳回申请", 82), ("裁定再审", 18)]),
        };
        self.ids.retrial += 1;
        let t = &mut self.t.retrials;
        t.f(id("ZS", self.ids.retrial))?;
        t.f(case_id)?;
        t.f(date(filed_on))?;
        t.f("再审审查")?;
        t.f(result)?;
        t.f(odate(decided))?;
        t.end()?;
        let (Some(granted), "裁定再审") = (decided, result) else {
            return Ok(());
        };
        let day = granted + self.r.range(3, 15) as i32;
        if day > end {
            return Ok(());
        }
        let filed = i64::from(day) * DAY + self.r.office();
        let mut e = self.pend(filed, p.dept, p.cat, Level::ZaiShen);
        e.fixed = Fixed::Outcome;
        e.origin = Some(case_id.to_string());
        self.draw_outcome(&mut e);
        let result = match e.closed {
            None => "未结",
            Some(_) => self.r.pick(&[("改判", 35), ("发回重审", 10), ("维持", 55)]),
        };
        e.closing = e.closed.map(|_| {
            if result == "发回重审" {
                QITA
            } else {
                PANJUE
            }
        });
        let decided = e.closed.map(day_of);
        self.ids.retrial += 1;
        let t = &mut self.t.retrials;
        t.f(id("ZS", self.ids.retrial))?;
        t.f(case_id)?;
        t.f(date(day))?;
        t.f("再审")?;
        t.f(result)?;
        t.f(odate(decided))?;
        t.end()?;
        self.heap.push(e);
        if let (Some(d), "发回重审") = (decided, result) {
            self.retry(case_id, p, d)?;
        }
        Ok(())
    }

    /// The deliberate edge cases (see the module comment), put in the heap.
    fn edges(&mut self) {
        let civil = |g: &mut Gen, k: u8, dept: Dept, cat: Cat, filed: i64| {
            let mut e = g.pend(filed, dept, cat, Level::YiShen);
            e.fixed = Fixed::Edge(k);
            e.judge = g.by_dept[dept.index()].first().copied();
            e
        };
        let mut v = Vec::new();
        let mut e = civil(self, 1, Dept::Min1, Cat::Min, at(2024, 3, 1, 9, 40, 0));
        e.limit = 90;
        e.closed = Some(at(2024, 5, 30, 16, 0, 0));
        e.closing = Some(PANJUE);
        v.push(e);
        let mut e = civil(self, 2, Dept::Min1, Cat::Min, at(2024, 3, 1, 10, 5, 0));
        e.limit = 90;
        e.closed = Some(at(2024, 5, 31, 10, 30, 0));
        e.closing = Some(PANJUE);
        v.push(e);
        let mut e = civil(self, 3, Dept::Shang, Cat::Shang, at(2023, 6, 1, 10, 0, 0));
        e.limit = 180;
        e.ext = Some(180);
        e.closed = Some(at(2024, 3, 15, 15, 0, 0));
        e.closing = Some(PANJUE);
        v.push(e);
        let mut e = civil(self, 4, Dept::Min2, Cat::Min, at(2023, 5, 10, 9, 0, 0));
        e.limit = 180;
        e.ext = Some(180);
        v.push(e);
        let mut e = civil(
            self,
            5,
            Dept::XingZheng,
            Cat::XingZheng,
            at(2023, 12, 31, 11, 0, 0),
        );
        e.limit = 180;
        v.push(e);
        let mut e = civil(
            self,
            6,
            Dept::XingZheng,
            Cat::XingZheng,
            at(2024, 1, 1, 10, 0, 0),
        );
        e.limit = 180;
        v.push(e);
        let mut e = civil(self, 7, Dept::Min1, Cat::Min, at(2023, 3, 1, 14, 0, 0));
        e.limit = 180;
        e.closed = Some(at(2023, 8, 15, 16, 30, 0));
        e.closing = Some(PANJUE);
        v.push(e);
        let mut e = civil(self, 9, Dept::ZhiXing, Cat::Zhi, at(2024, 2, 1, 9, 30, 0));
        e.level = Level::ZhiXing;
        e.limit = 180;
        e.closed = Some(at(2024, 7, 25, 11, 0, 0));
        e.closing = Some(WANBI);
        v.push(e);
        let mut e = civil(self, 10, Dept::Min2, Cat::Min, at(2023, 11, 20, 9, 0, 0));
        e.limit = 90;
        e.closed = Some(at(2023, 12, 31, 23, 59, 59));
        e.closing = Some(TIAOJIE);
        v.push(e);
        self.heap.extend(v);
    }
}

fn judge_id(j: u32) -> Buf {
    Buf::new().s("J").num(u64::from(j) + 1, 4)
}

/// Judges: ~12 per 1000 cases, spread over the departments by workload (at
/// least one each), then the 员额法官 with no case, then judges not in the
/// 员额 (no cases).
fn judges(n_cases: u64) -> (Vec<Judge>, Vec<Vec<u32>>) {
    let total = (n_cases * 12 / 1000).max(12) as usize;
    let non_post = (total / 12).max(1);
    let working = total - non_post - 1;
    let wsum: u32 = ALL_DEPTS.iter().map(|d| d.judge_weight()).sum();
    let mut counts: Vec<usize> = vec![1; ALL_DEPTS.len()];
    let extra = working - ALL_DEPTS.len();
    // Largest remainder over the judges beyond the first of each department.
    let mut rem: Vec<(u64, usize)> = Vec::new();
    let mut given = 0;
    for (i, d) in ALL_DEPTS.iter().enumerate() {
        let q = extra as u64 * u64::from(d.judge_weight());
        counts[i] += (q / u64::from(wsum)) as usize;
        given += (q / u64::from(wsum)) as usize;
        rem.push((q % u64::from(wsum), i));
    }
    rem.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rem.iter().take(extra - given) {
        counts[i] += 1;
    }
    let mut js = Vec::with_capacity(total);
    let mut by_dept = vec![Vec::new(); ALL_DEPTS.len()];
    for (i, d) in ALL_DEPTS.iter().enumerate() {
        for _ in 0..counts[i] {
            by_dept[i].push(js.len() as u32);
            js.push(Judge {
                dept: *d,
                post: true,
            });
        }
    }
    js.push(Judge {
        dept: Dept::Min2,
        post: true,
    });
    for k in 0..non_post {
        js.push(Judge {
            dept: ALL_DEPTS[k % ALL_DEPTS.len()],
            post: false,
        });
    }
    (js, by_dept)
}

fn write_judges(dir: &Path, js: &[Judge], r: &mut Rng) -> Res {
    let mut t = Sink::open(
        dir,
        "judges",
        &["judge_id", "name", "department", "post_judge"],
    )?;
    for (i, j) in js.iter().enumerate() {
        let mut name = String::from(SURNAMES[r.below(SURNAMES.len() as u64) as usize]);
        for _ in 0..r.range(1, 2) {
            name.push_str(GIVEN[r.below(GIVEN.len() as u64) as usize]);
        }
        t.f(judge_id(i as u32))?;
        t.f(&name)?;
        t.f(j.dept.name())?;
        t.f(if j.post { "是" } else { "否" })?;
        t.end()?;
    }
    t.finish("judges")
}

fn run(a: &Args) -> Res {
    let started = Instant::now();
    fs::create_dir_all(&a.out)?;
    let dir = a.out.as_path();
    eprintln!(
        "gen_quality: about {} cases, seed {}, into {}",
        a.cases,
        a.seed,
        dir.display()
    );
    let (js, by_dept) = judges(a.cases);
    write_judges(dir, &js, &mut Rng(a.seed ^ 0x6A75_6467_6573))?;
    let t = Tables {
        cases: Sink::open(
            dir,
            "cases",
            &[
                "case_id",
                "department",
                "judge_id",
                "category",
                "level",
                "filed_at",
                "closed_at",
                "limit_days",
                "extended_days",
                "closing",
                "origin_id",
                "claim_amount",
            ],
        )?,
        appeals: Sink::open(
            dir,
            "appeals",
            &["appeal_id", "case_id", "filed_on", "result", "decided_on"],
        )?,
        retrials: Sink::open(
            dir,
            "retrials",
            &[
                "retrial_id",
                "case_id",
                "filed_on",
                "kind",
                "result",
                "decided_on",
            ],
        )?,
        payments: Sink::open(
            dir,
            "payments",
            &["payment_id", "case_id", "paid_on", "amount"],
        )?,
    };
    let mut g = Gen {
        r: Rng(a.seed),
        t,
        ids: Ids::default(),
        heap: BinaryHeap::new(),
        judges: js,
        by_dept,
        case_nos: Vec::new(),
        edges: Vec::new(),
        derived: 0,
    };
    g.edges();
    let own = ((a.cases as f64 * OWN_SHARE).round() as u64).max(1);
    let first = first_day();
    let span = (end_day() - first + 1) as u64;
    let mut peak = 0;
    for i in 0..own {
        let day = first + (u128::from(i) * u128::from(span) / u128::from(own)) as i32;
        let filed = i64::from(day) * DAY + g.r.office();
        let p = g.own(filed);
        loop {
            let h = match g.heap.peek_mut() {
                Some(top) if top.filed <= p.filed => {
                    std::collections::binary_heap::PeekMut::pop(top)
                }
                _ => break,
            };
            g.emit(h)?;
        }
        peak = peak.max(g.heap.len());
        g.emit(p)?;
    }
    while let Some(h) = g.heap.pop() {
        g.emit(h)?;
    }
    let derived = g.derived;
    let t = g.t;
    let cases = t.cases.rows;
    t.cases.finish("cases")?;
    t.appeals.finish("appeals")?;
    t.retrials.finish("retrials")?;
    t.payments.finish("payments")?;
    eprintln!(
        "  derived {derived} of {cases} cases ({:.1} %), at most {peak} waiting",
        100.0 * derived as f64 / cases.max(1) as f64
    );
    let post = g.judges.iter().filter(|j| j.post).count();
    eprintln!(
        "  judges: {} ({post} 员额, J{:04} has no case)",
        g.judges.len(),
        post
    );
    g.edges.sort();
    for (k, case_id) in &g.edges {
        eprintln!("  edge case E{k}: {case_id}");
    }
    eprintln!(
        "gen_quality: done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return;
        }
        Err(e) => {
            eprintln!("gen_quality: {e}\n{USAGE}");
            exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("gen_quality: {e}");
        exit(1);
    }
}
