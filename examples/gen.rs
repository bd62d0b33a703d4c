//! Synthetic court export generator for `zhibiao` (嘉定法院 style data).
//!
//! Usage:
//!
//! ```text
//! cargo run --release --example gen -- --cases N --seed S --out DIR \
//!     [--from 2022-04-01 --to 2022-09-30]
//! ```
//!
//! Writes one CSV per table of `policies/schema.yaml` into DIR (created if
//! missing): cases, parties, services, hearings, online_filings, assignments,
//! documents, archives, dossier_files, deliberations, officers,
//! mobile_sessions, citywide, courtrooms, computers. UTF-8, a header row,
//! `\n` line ends, quoting by the `csv` crate. Defaults: `--cases 3000
//! --seed 2022 --from 2022-04-01 --to 2022-09-30`; `--out` is required.
//!
//! The output is deterministic: the same arguments give byte-identical files
//! (a hand-written splitmix64 PRNG, no hash-map iteration). Cases are streamed
//! one by one (every child row is written as its case is generated), so memory
//! stays flat; 1,000,000 cases give roughly 1 GB of CSV.
//!
//! Cases are filed evenly over `[from − 120 days, to]` (so every calendar day,
//! month starts and ends included, has filings); ~30 % are pending and a close
//! that would fall after `to` is left empty. About 8 % are 诉前调解 cases, and
//! they get parties, services, hearings, documents, archives… like every other
//! case, so the engine's scope exclusion has something to exclude. Rows are
//! generated to exercise every rule of `indicators.md`: one service item sent
//! by several channels, successful and unsuccessful electronic sends by each
//! route of 指引第8条 (address provided/confirmed/agreed + delivered; other
//! source + responded, or read and not rebutted, or read and rebutted), an
//! electronic send with no address source, hearings cancelled / late / with an
//! empty result, 谈话 and 债权人会议 of 执行局, 单套制 archives not confirmed,
//! 纸质 archives, cases whose only e-sealed document is a 通知书, 合议庭评议
//! with jurors, 专业法官会议, mobile sessions without logout, crossing
//! midnight, of non-staff or non-执行局 officers, a citywide row per month,
//! quarter, half-year, year and for `[from, to]` itself, courtrooms with
//! incomplete equipment, with below-minimum or empty specs, one 法庭 with no
//! computer, and 调解室 (not counted).
//!
//! Awkward but valid forms, in small fractions: bools written `true`, `1`,
//! `Y`, `TRUE`, `y` (and `false`, `0`, `N`, `False`, `n`) instead of 是/否;
//! empty bools (`responded`, `rebutted`, `confirmed`); dates written
//! `2022/6/1` or `2022年6月1日`; datetimes without seconds
//! (`2022-06-01 09:30`, only where the seconds are zero, so no value
//! changes); closes, signatures and archives snapped to month starts/ends;
//! hearings at 00:00:00 and 23:59:59 of a month end; mobile sessions logging
//! in at 00:00:00 on a month's first day and 23:59:59 on its last; hearing
//! results containing a comma or a double quote (quoted in the CSV). No
//! invalid data: no unknown enum values, no dangling references, no duplicate
//! keys.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

#[path = "shared/gen_common.rs"]
mod gen_common;
use gen_common::*;

const USAGE: &str = "usage: cargo run --release --example gen -- --cases N --seed S --out DIR \
[--from YYYY-MM-DD] [--to YYYY-MM-DD]
  --cases N   number of cases (default 3000)
  --seed S    PRNG seed (default 2022)
  --out DIR   output folder (required; created if missing)
  --from D    period start (default 2022-04-01)
  --to D      period end (default 2022-09-30)";

// ---------------------------------------------------------------- arguments

struct Args {
    cases: u64,
    seed: u64,
    out: PathBuf,
    from: i32,
    to: i32,
}

fn parse_args(argv: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut cases = 3000u64;
    let mut seed = 2022u64;
    let mut out = None;
    let mut from = days_from_civil(2022, 4, 1);
    let mut to = days_from_civil(2022, 9, 30);
    let Some(pairs) = flags(argv, &["--cases", "--seed", "--out", "--from", "--to"])? else {
        return Ok(None);
    };
    for (flag, value) in pairs {
        match flag.as_str() {
            "--cases" => cases = count(&flag, &value)?,
            "--seed" => seed = count(&flag, &value)?,
            "--out" => out = Some(PathBuf::from(value)),
            "--from" => from = parse_date(&value).ok_or(format!("--from: bad date `{value}`"))?,
            _ => to = parse_date(&value).ok_or(format!("--to: bad date `{value}`"))?,
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if from > to {
        return Err("--from is after --to".into());
    }
    Ok(Some(Args {
        cases,
        seed,
        out,
        from,
        to,
    }))
}

/// Strict `YYYY-MM-DD`.
fn parse_date(s: &str) -> Option<i32> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

// ---------------------------------------------------------------- calendar

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_start(d: i32) -> i32 {
    let (y, m, _) = civil_from_days(d);
    days_from_civil(y, m, 1)
}

fn month_end(d: i32) -> i32 {
    let (y, m, _) = civil_from_days(d);
    days_from_civil(y, m, days_in_month(y, m))
}

/// Adds `n` months to the first day of a month.
fn add_months(d: i32, n: u32) -> i32 {
    let (y, m, _) = civil_from_days(d);
    let k = (m - 1) + n;
    days_from_civil(y + (k / 12) as i32, k % 12 + 1, 1)
}

/// 0 = Sunday … 6 = Saturday.
fn weekday(d: i32) -> i32 {
    (d + 4).rem_euclid(7)
}

fn day_of_year(d: i32) -> i32 {
    let (y, _, _) = civil_from_days(d);
    d - days_from_civil(y, 1, 1) + 1
}

// ---------------------------------------------------------------- PRNG

impl Rng {
    fn day(&mut self, lo: i32, hi: i32) -> i32 {
        self.range(i64::from(lo), i64::from(hi)) as i32
    }
}

// ---------------------------------------------------------------- formatting

/// Value formatter with its own PRNG for the awkward-but-valid forms, so the
/// data stream does not depend on how values are spelled.
struct Fmt(Rng);

const TRUE_FORMS: [&str; 5] = ["true", "1", "Y", "TRUE", "y"];
const FALSE_FORMS: [&str; 5] = ["false", "0", "N", "False", "n"];

impl Fmt {
    fn date(&mut self, d: i32) -> Buf {
        let (y, m, dd) = civil_from_days(d);
        let y = y as u64;
        match self.0.below(1000) {
            0 => Buf::new()
                .num(y, 4)
                .s("/")
                .num(u64::from(m), 1)
                .s("/")
                .num(u64::from(dd), 1),
            1 => Buf::new()
                .num(y, 4)
                .s("年")
                .num(u64::from(m), 1)
                .s("月")
                .num(u64::from(dd), 1)
                .s("日"),
            _ => Buf::new()
                .num(y, 4)
                .s("-")
                .num(u64::from(m), 2)
                .s("-")
                .num(u64::from(dd), 2),
        }
    }

    fn odate(&mut self, d: Option<i32>) -> Buf {
        d.map_or(Buf::new(), |d| self.date(d))
    }

    fn dt(&mut self, t: i64) -> Buf {
        let (d, s) = (t.div_euclid(DAY), t.rem_euclid(DAY) as u64);
        let (y, m, dd) = civil_from_days(d as i32);
        let b = Buf::new()
            .num(y as u64, 4)
            .s("-")
            .num(u64::from(m), 2)
            .s("-")
            .num(u64::from(dd), 2)
            .s(" ")
            .num(s / 3600, 2)
            .s(":")
            .num(s / 60 % 60, 2);
        if s % 60 == 0 && self.0.below(25) == 0 {
            b
        } else {
            b.s(":").num(s % 60, 2)
        }
    }

    fn odt(&mut self, t: Option<i64>) -> Buf {
        t.map_or(Buf::new(), |t| self.dt(t))
    }

    fn b(&mut self, v: bool) -> &'static str {
        if self.0.below(1000) == 0 {
            let k = self.0.below(5) as usize;
            if v { TRUE_FORMS[k] } else { FALSE_FORMS[k] }
        } else if v {
            "是"
        } else {
            "否"
        }
    }

    /// A bool that is empty with probability `p_empty`.
    fn b_or_empty(&mut self, v: bool, p_empty: f64) -> &'static str {
        if self.0.chance(p_empty) {
            ""
        } else {
            self.b(v)
        }
    }
}

// ---------------------------------------------------------------- output

// ---------------------------------------------------------------- domain

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dept {
    LiAn,
    MinShi,
    ShangShi,
    XingShi,
    ZhiXing,
    ZhiCai,
    ShenJian,
    NanXiang,
    AnTing,
    JiangQiao,
}

impl Dept {
    fn name(self) -> &'static str {
        match self {
            Dept::LiAn => "立案庭",
            Dept::MinShi => "民事庭",
            Dept::ShangShi => "商事庭",
            Dept::XingShi => "刑事庭",
            Dept::ZhiXing => "执行局",
            Dept::ZhiCai => "执行裁判庭",
            Dept::ShenJian => "审监庭",
            Dept::NanXiang => "南翔法庭",
            Dept::AnTing => "安亭法庭",
            Dept::JiangQiao => "江桥法庭",
        }
    }

    fn tribunal(self) -> bool {
        matches!(self, Dept::NanXiang | Dept::AnTing | Dept::JiangQiao)
    }
}

const DEPTS: &[(Dept, u32)] = &[
    (Dept::LiAn, 11),
    (Dept::MinShi, 20),
    (Dept::ShangShi, 11),
    (Dept::XingShi, 6),
    (Dept::ZhiXing, 24),
    (Dept::ZhiCai, 3),
    (Dept::ShenJian, 2),
    (Dept::NanXiang, 8),
    (Dept::AnTing, 8),
    (Dept::JiangQiao, 7),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cat {
    Min,
    Shang,
    Xing,
    XingZheng,
    Zhi,
    SuQian,
}

impl Cat {
    fn name(self) -> &'static str {
        match self {
            Cat::Min => "民事",
            Cat::Shang => "商事",
            Cat::Xing => "刑事",
            Cat::XingZheng => "行政",
            Cat::Zhi => "执行",
            Cat::SuQian => "诉前调解",
        }
    }
}

const PU: &str = "普通程序";
const JIAN: &str = "简易程序";
const XIAO: &str = "小额诉讼程序";
const TE: &str = "特别程序";
const ZHI_PROC: &str = "执行程序";
const QITA: &str = "其他";

const ELECTRONIC: &[(&str, u32)] = &[
    ("电子邮件", 5),
    ("中国审判流程信息公开网", 10),
    ("上海移动微法院", 25),
    ("短信", 20),
];
const PHYSICAL: &[(&str, u32)] = &[
    ("邮寄", 25),
    ("直接送达", 10),
    ("公告送达", 2),
    ("委托送达", 3),
];
const ADDRESS_SOURCES: &[(&str, u32)] = &[
    ("当事人提供", 25),
    ("当事人确认", 20),
    ("约定", 10),
    ("其他诉讼", 10),
    ("合同常用", 5),
    ("运营商实名", 15),
    ("其他合法途径", 5),
    ("", 10),
];
const RESULTS: &[(&str, u32)] = &[
    ("当庭宣判", 20),
    ("休庭，择期宣判", 30),
    ("调解结案", 15),
    ("继续审理", 15),
    ("原告撤诉", 5),
    ("延期审理", 8),
    ("达成和解", 5),
    ("休庭, 待补充证据", 1),
    ("当事人称\"未收到材料\"，改期", 1),
];

struct Case {
    id: String,
    seq: u64,
    dept: Dept,
    cat: Cat,
    procedure: &'static str,
    collegiate: bool,
    jurors: bool,
    filed: i32,
    closed: Option<i32>,
    channel: &'static str,
}

struct Tables {
    cases: Sink,
    parties: Sink,
    services: Sink,
    hearings: Sink,
    online: Sink,
    assignments: Sink,
    documents: Sink,
    archives: Sink,
    dossier: Sink,
    deliberations: Sink,
}

#[derive(Default)]
struct Ids {
    party: u64,
    service: u64,
    hearing: u64,
    app: u64,
    assign: u64,
    doc: u64,
    entry: u64,
    delib: u64,
}

struct Gen {
    r: Rng,
    fm: Fmt,
    to: i32,
    per_day: u64,
    t: Tables,
    ids: Ids,
    case_nos: Vec<(i32, &'static str, u64)>,
}

impl Gen {
    fn next_case_no(&mut self, year: i32, code: &'static str, filed: i32) -> u64 {
        if let Some(e) = self
            .case_nos
            .iter_mut()
            .find(|e| e.0 == year && e.1 == code)
        {
            e.2 += 1;
            return e.2;
        }
        // Start where a court would be on that day of the year.
        let start = 1 + (day_of_year(filed) as u64 - 1) * self.per_day / 4;
        self.case_nos.push((year, code, start));
        start
    }

    fn case(&mut self, seq: u64, filed: i32) -> Res {
        let r = &mut self.r;
        let dept = r.pick(DEPTS);
        let cat = match dept {
            Dept::LiAn => r.pick(&[(Cat::SuQian, 70), (Cat::Min, 30)]),
            Dept::MinShi => r.pick(&[(Cat::Min, 95), (Cat::Shang, 5)]),
            Dept::ShangShi => Cat::Shang,
            Dept::XingShi => Cat::Xing,
            Dept::ZhiXing => Cat::Zhi,
            Dept::ZhiCai => r.pick(&[(Cat::Zhi, 60), (Cat::Min, 40)]),
            Dept::ShenJian => r.pick(&[(Cat::Min, 50), (Cat::Shang, 30), (Cat::XingZheng, 20)]),
            _ => r.pick(&[(Cat::Min, 85), (Cat::Shang, 13), (Cat::SuQian, 2)]),
        };
        let procedure = match (dept, cat) {
            (_, Cat::SuQian) => QITA,
            (Dept::ShenJian, _) => PU,
            (Dept::ZhiCai, Cat::Zhi) => QITA,
            (_, Cat::Zhi) => ZHI_PROC,
            (Dept::ZhiCai, _) => r.pick(&[(PU, 70), (JIAN, 30)]),
            (_, Cat::Xing) => r.pick(&[(PU, 35), (JIAN, 45), (QITA, 20)]),
            (_, Cat::XingZheng) => r.pick(&[(PU, 85), (JIAN, 15)]),
            (_, Cat::Min) => r.pick(&[(JIAN, 55), (XIAO, 18), (PU, 22), (TE, 5)]),
            _ => r.pick(&[(JIAN, 58), (XIAO, 18), (PU, 24)]),
        };
        let collegiate = match procedure {
            PU => r.chance(0.85),
            TE => r.chance(0.05),
            _ => dept == Dept::ZhiCai && cat == Cat::Zhi,
        };
        let jurors = collegiate && procedure == PU && dept != Dept::ShenJian && r.chance(0.4);
        let channel = r.pick(&[("网上立案", 70), ("要素式立案", 15), ("现场立案", 15)]);
        let (lo, hi) = match procedure {
            XIAO => (10, 45),
            JIAN => (15, 90),
            PU => (40, 150),
            TE => (10, 30),
            ZHI_PROC => (20, 150),
            _ => (10, 60),
        };
        let mut closed = if r.chance(0.30) {
            None
        } else {
            Some(filed + r.range(lo, hi) as i32)
        };
        if let Some(c) = closed {
            // Boundary dates on purpose: some closes on a month's last or first day.
            let x = r.below(100);
            if x < 3 {
                closed = Some(month_end(c));
            } else if x < 5 && month_start(c) >= filed {
                closed = Some(month_start(c));
            }
        }
        if closed.is_some_and(|c| c > self.to) {
            closed = None;
        }
        let code = match (dept, cat) {
            (_, Cat::SuQian) => "民诉前调",
            (Dept::ShenJian, Cat::XingZheng) => "行再",
            (Dept::ShenJian, _) => "民再",
            (_, Cat::XingZheng) => "行初",
            (Dept::ZhiCai, Cat::Zhi) => "执异",
            (_, Cat::Zhi) => {
                if r.chance(0.1) {
                    "执恢"
                } else {
                    "执"
                }
            }
            (_, Cat::Xing) => "刑初",
            _ if procedure == TE => "民特",
            _ => "民初",
        };
        let year = civil_from_days(filed).0;
        let no = self.next_case_no(year, code, filed);
        let c = Case {
            id: format!("({year})沪0114{code}{no}号"),
            seq,
            dept,
            cat,
            procedure,
            collegiate,
            jurors,
            filed,
            closed,
            channel,
        };

        let (t, fm) = (&mut self.t.cases, &mut self.fm);
        t.f(&c.id)?;
        t.f(dept.name())?;
        t.f(cat.name())?;
        t.f(procedure)?;
        t.f(if collegiate { "合议庭" } else { "独任" })?;
        t.f(fm.b(jurors))?;
        t.f(fm.date(filed))?;
        t.f(channel)?;
        t.f(fm.odate(closed))?;
        t.end()?;

        self.online_filings(&c)?;
        self.assignments(&c)?;
        self.parties_and_services(&c)?;
        self.hearings(&c)?;
        self.documents(&c)?;
        self.archive(&c)?;
        self.deliberations(&c)
    }

    /// Last day records of this case may fall on.
    fn limit(&self, c: &Case) -> i32 {
        c.closed.unwrap_or(self.to)
    }

    fn online_filings(&mut self, c: &Case) -> Res {
        let (r, fm, t) = (&mut self.r, &mut self.fm, &mut self.t.online);
        if c.channel != "现场立案" {
            self.ids.app += 1;
            let outcome = if c.cat == Cat::SuQian && r.chance(0.3) {
                "诉前调解"
            } else {
                "已立案"
            };
            t.f(id("WS", self.ids.app))?;
            t.f(fm.date(c.filed - r.range(0, 3) as i32))?;
            t.f(c.channel)?;
            t.f(outcome)?;
            t.f(&c.id)?;
            t.end()?;
        }
        if r.chance(0.25) {
            // An application that did not (yet) become a case.
            self.ids.app += 1;
            let outcome = r.pick(&[
                ("诉前调解", 35),
                ("退回补正", 35),
                ("不予受理", 10),
                ("审查中", 20),
            ]);
            let day = if outcome == "审查中" {
                r.day(self.to - 14, self.to)
            } else {
                (c.filed + r.range(-5, 5) as i32).min(self.to)
            };
            t.f(id("WS", self.ids.app))?;
            t.f(fm.date(day))?;
            t.f(r.pick(&[("网上立案", 80), ("要素式立案", 20)]))?;
            t.f(outcome)?;
            t.f("")?;
            t.end()?;
        }
        Ok(())
    }

    fn assignments(&mut self, c: &Case) -> Res {
        let (r, fm, t) = (&mut self.r, &mut self.fm, &mut self.t.assignments);
        if r.chance(0.003) {
            return Ok(()); // never assigned in the system
        }
        let mut at =
            i64::from(c.filed) * DAY + r.range(0, 1) * DAY + 9 * HOUR + r.range(0, 8 * 60) * MIN;
        let first = r.pick(&[("随机分案", 97), ("指定分案", 3)]);
        let rows = if r.chance(0.15) { 2 } else { 1 };
        for k in 0..rows {
            let method = if k == 0 {
                first
            } else {
                at += r.range(1, 30) * DAY + r.range(-120, 120) * MIN;
                r.pick(&[("分案调整", 60), ("指定分案", 25), ("随机分案", 15)])
            };
            self.ids.assign += 1;
            t.f(id("FA", self.ids.assign))?;
            t.f(&c.id)?;
            t.f(method)?;
            t.f(fm.dt(at + r.range(0, 59)))?;
            t.end()?;
        }
        Ok(())
    }

    fn parties_and_services(&mut self, c: &Case) -> Res {
        let r = &mut self.r;
        let fm = &mut self.fm;
        let n = match c.cat {
            Cat::Xing => r.range(1, 3) as usize,
            _ => r.range(2, 4) as usize,
        };
        let mut party_ids = [0u64; 4];
        let mut consent = ["未表示"; 4];
        for k in 0..n {
            let role = match (c.cat, c.dept, k) {
                (Cat::Xing, _, _) => "被告人",
                (Cat::Zhi, Dept::ZhiCai, 0) => "申请人",
                (Cat::Zhi, Dept::ZhiCai, _) => "被申请人",
                (Cat::Zhi, _, 0) => "申请执行人",
                (Cat::Zhi, _, _) => "被执行人",
                (Cat::SuQian, _, 0) | (_, Dept::ShenJian, 0) => "申请人",
                (Cat::SuQian, _, _) | (_, Dept::ShenJian, _) => "被申请人",
                _ if c.procedure == TE => {
                    if k == 0 {
                        "申请人"
                    } else {
                        "被申请人"
                    }
                }
                (_, _, 0) => "原告",
                (_, _, 1) => "被告",
                _ => r.pick(&[("被告", 50), ("第三人", 35), ("原告", 15)]),
            };
            let kind = if role == "被告人" {
                "自然人"
            } else {
                r.pick(&[("自然人", 60), ("法人", 35), ("非法人组织", 5)])
            };
            let lawyer = match kind {
                "法人" => r.chance(0.7),
                _ if role == "被告人" => r.chance(0.6),
                _ => r.chance(0.35),
            };
            consent[k] = if role == "被告人" {
                r.pick(&[("同意", 30), ("不同意", 20), ("未表示", 50)])
            } else {
                r.pick(&[("同意", 55), ("不同意", 15), ("未表示", 30)])
            };
            self.ids.party += 1;
            party_ids[k] = self.ids.party;
            let t = &mut self.t.parties;
            t.f(id("P", self.ids.party))?;
            t.f(&c.id)?;
            t.f(role)?;
            t.f(kind)?;
            t.f(fm.b(lawyer))?;
            t.f(consent[k])?;
            // Obviously fake numbers: area code 99 does not exist, nor does 0000 after 13x.
            if r.chance(0.02) {
                t.f("")?;
            } else if kind == "自然人" {
                let birth = civil_from_days(
                    r.day(days_from_civil(1950, 1, 1), days_from_civil(2003, 12, 31)),
                );
                let check = r.below(11);
                let b = Buf::new()
                    .s("990114")
                    .num(birth.0 as u64, 4)
                    .num(u64::from(birth.1), 2)
                    .num(u64::from(birth.2), 2)
                    .num(r.below(1000), 3);
                t.f(if check == 10 {
                    b.s("X")
                } else {
                    b.num(check, 1)
                })?;
            } else {
                t.f(Buf::new().s("91990114").num(r.below(10_000_000_000), 10))?;
            }
            if r.chance(0.05) {
                t.f("")?;
            } else {
                t.f(Buf::new()
                    .s("13")
                    .num(r.below(10), 1)
                    .s("0000")
                    .num(r.below(10_000), 4))?;
            }
            t.end()?;
        }

        let limit = c.closed.unwrap_or(self.to);
        let contents = if c.closed.is_some() {
            r.range(1, 3)
        } else {
            r.range(1, 2)
        };
        let p_elec = match c.dept {
            Dept::XingShi => 0.28,
            Dept::ZhiXing => 0.5,
            Dept::ShenJian => 0.45,
            Dept::NanXiang | Dept::ShangShi => 0.66,
            _ => 0.6,
        };
        for k in 0..contents {
            let day = if k == contents - 1 && k > 0 && c.closed.is_some() {
                limit + r.range(0, 5) as i32 // the judgment is served after the close
            } else {
                c.filed
                    + ((i64::from(limit - c.filed) * k) / contents) as i32
                    + r.range(0, 3) as i32
            };
            let content = Buf::new().s("C").num(c.seq, 8).s("-").num(k as u64 + 1, 1);
            for (&party, &cons) in party_ids.iter().zip(&consent).take(n) {
                let pe: f64 = match cons {
                    "同意" => p_elec + 0.15,
                    "不同意" => p_elec - 0.3,
                    _ => p_elec,
                };
                let sends = r.pick(&[(1usize, 45), (2, 40), (3, 15)]);
                let mut used: [&str; 3] = [""; 3];
                let t0 =
                    i64::from(day) * DAY + 8 * HOUR + r.range(0, 9 * 60) * MIN + r.range(0, 59);
                for s in 0..sends {
                    let mut ch = "";
                    for _ in 0..4 {
                        let cand = if r.chance(pe) {
                            r.pick(ELECTRONIC)
                        } else {
                            r.pick(PHYSICAL)
                        };
                        if !used.contains(&cand) {
                            ch = cand;
                            break;
                        }
                    }
                    if ch.is_empty() {
                        continue;
                    }
                    used[s] = ch;
                    let electronic = ELECTRONIC.iter().any(|&(e, _)| e == ch);
                    let sent = if s == 0 {
                        t0
                    } else if electronic {
                        t0 + r.range(5, 900)
                    } else {
                        // Fall back to paper a few days later.
                        t0 + r.range(1, 6) * DAY + r.range(-3 * 60, 3 * 60) * MIN
                    };
                    let (src, delivered, read, responded, rebutted) = if electronic {
                        let src = r.pick(ADDRESS_SOURCES);
                        let delivered = r.chance(0.85).then(|| sent + r.range(1, 600));
                        let read = r
                            .chance(if delivered.is_some() { 0.55 } else { 0.05 })
                            .then(|| delivered.unwrap_or(sent) + r.range(60, 3 * DAY));
                        let rebutted = r.chance(if read.is_some() { 0.05 } else { 0.01 });
                        (src, delivered, read, r.chance(0.2), rebutted)
                    } else {
                        ("", None, None, r.chance(0.4), r.chance(0.01))
                    };
                    self.ids.service += 1;
                    let t = &mut self.t.services;
                    t.f(id("SD", self.ids.service))?;
                    t.f(&c.id)?;
                    t.f(id("P", party))?;
                    t.f(content)?;
                    t.f(ch)?;
                    t.f(fm.dt(sent))?;
                    t.f(src)?;
                    t.f(fm.odt(delivered))?;
                    t.f(fm.odt(read))?;
                    t.f(fm.b_or_empty(responded, 0.005))?;
                    t.f(fm.b_or_empty(rebutted, 0.01))?;
                    t.end()?;
                }
            }
        }
        Ok(())
    }

    fn hearings(&mut self, c: &Case) -> Res {
        let limit = self.limit(c);
        let (r, fm, t) = (&mut self.r, &mut self.fm, &mut self.t.hearings);
        let exec = c.dept == Dept::ZhiXing;
        let count = match (c.cat, exec) {
            (Cat::SuQian, _) => r.pick(&[(0, 30), (1, 55), (2, 15)]),
            (_, true) => r.pick(&[(0, 20), (1, 40), (2, 25), (3, 10), (4, 5)]),
            _ => r.pick(&[(0, 12), (1, 35), (2, 30), (3, 15), (4, 8)]),
        };
        for _ in 0..count {
            let kind = match (c.cat, exec) {
                (Cat::SuQian, _) => r.pick(&[("调解", 85), ("谈话", 15)]),
                (_, true) => r.pick(&[
                    ("谈话", 76),
                    ("调查", 14),
                    ("庭审", 5),
                    ("调解", 3),
                    ("债权人会议", 2),
                ]),
                _ => r.pick(&[
                    ("庭审", 76),
                    ("异步审理", 12),
                    ("调解", 6),
                    ("调查", 4),
                    ("谈话", 2),
                ]),
            };
            let lo = if limit >= c.filed + 3 {
                c.filed + 3
            } else {
                c.filed
            };
            let mut day = r.day(lo, limit);
            if c.closed.is_none() && r.chance(0.01) {
                day = self.to + r.range(1, 10) as i32; // already scheduled after the export
            }
            match weekday(day) {
                6 => day += 2,
                0 => day += 1,
                _ => {}
            }
            let mut at = i64::from(day) * DAY + 9 * HOUR + r.range(0, 15) * 30 * MIN;
            let x = r.below(1000);
            if x < 2 {
                at = i64::from(month_end(day)) * DAY; // 00:00:00 of a month end
            } else if x < 4 {
                at = i64::from(month_end(day)) * DAY + DAY - 1; // 23:59:59 of a month end
            }
            let status = r.pick(&[("已开庭", 85), ("取消", 10), ("未按时开庭", 5)]);
            let ended = match status {
                "已开庭" if kind == "异步审理" => {
                    Some(at + r.range(1, 7) * DAY + r.range(0, 8 * 60) * MIN)
                }
                "已开庭" => Some(at + r.range(15, 180) * MIN),
                "未按时开庭" if r.chance(0.3) => Some(at + r.range(60, 300) * MIN),
                _ => None,
            };
            let result = match status {
                "已开庭" if r.chance(0.95) => r.pick(RESULTS),
                "未按时开庭" if ended.is_some() => "延期审理",
                _ => "",
            };
            let entered = (!result.is_empty()).then(|| {
                let base = ended.unwrap_or(at);
                if r.chance(0.9) {
                    base + r.range(5, 20 * 60) * MIN + r.range(0, 59)
                } else {
                    base + r.range(24 * 60, 72 * 60) * MIN + r.range(0, 59)
                }
            });
            let p_reform = match (c.dept, kind) {
                (Dept::LiAn, _) => 0.9,
                (Dept::ZhiXing, "谈话") => 0.93,
                (Dept::MinShi | Dept::ShangShi, _) => 0.75,
                _ => 0.68,
            };
            let mode = if kind == "异步审理" {
                "在线异步"
            } else {
                let p_online = match c.dept {
                    Dept::ZhiXing => 0.1,
                    Dept::XingShi => 0.15,
                    d if d.tribunal() || d == Dept::ShangShi => 0.3,
                    _ => 0.22,
                };
                if r.chance(p_online) {
                    "在线同步"
                } else {
                    "线下"
                }
            };
            let president = r.chance(if c.procedure == PU { 0.05 } else { 0.015 });
            self.ids.hearing += 1;
            t.f(id("H", self.ids.hearing))?;
            t.f(&c.id)?;
            t.f(kind)?;
            t.f(fm.dt(at))?;
            t.f(status)?;
            t.f(fm.odt(ended))?;
            t.f(result)?;
            t.f(fm.odt(entered))?;
            t.f(fm.b(r.chance(p_reform)))?;
            t.f(mode)?;
            t.f(fm.b(president))?;
            t.end()?;
        }
        Ok(())
    }

    fn documents(&mut self, c: &Case) -> Res {
        let (r, fm, t) = (&mut self.r, &mut self.fm, &mut self.t.documents);
        let mut docs: [(&str, i32); 3] = [("", 0); 3];
        let mut n = 0;
        match c.closed {
            Some(closed) => {
                if r.chance(0.02) {
                    return Ok(()); // closed without any document in the system
                }
                let last = match c.cat {
                    Cat::Xing => r.pick(&[("判决书", 88), ("裁定书", 12)]),
                    Cat::Zhi => r.pick(&[("裁定书", 60), ("通知书", 25), ("决定书", 15)]),
                    Cat::SuQian => r.pick(&[("调解书", 40), ("裁定书", 20), ("其他", 40)]),
                    _ => r.pick(&[("判决书", 45), ("调解书", 30), ("裁定书", 25)]),
                };
                let mut day = (closed - r.range(0, 2) as i32).max(c.filed);
                if r.chance(0.03) {
                    day = month_end(day).min(closed);
                }
                let extra = r.pick(&[(0usize, 50), (1, 35), (2, 15)]);
                for doc in docs.iter_mut().take(extra) {
                    let ty =
                        r.pick(&[("裁定书", 30), ("决定书", 15), ("通知书", 35), ("其他", 20)]);
                    *doc = (ty, r.day(c.filed, closed));
                }
                docs[extra] = (last, day);
                n = extra + 1;
            }
            None if r.chance(0.6) => {
                let ty = r.pick(&[("通知书", 60), ("其他", 25), ("裁定书", 15)]);
                docs[0] = (ty, r.day(c.filed, (c.filed + 60).min(self.to)));
                n = 1;
            }
            None => {}
        }
        let (p_tpl, p_proof, p_review) = match c.dept {
            Dept::ShangShi => (0.99, 0.99, 0.97),
            Dept::LiAn => (0.97, 0.98, 0.95),
            Dept::XingShi => (0.88, 0.93, 0.9),
            Dept::ZhiXing => (0.9, 0.94, 0.88),
            _ => (0.93, 0.95, 0.92),
        };
        for &(ty, day) in &docs[..n] {
            let p_seal = match ty {
                "通知书" => 0.65,
                "其他" => 0.5,
                _ => 0.87,
            };
            self.ids.doc += 1;
            t.f(id("D", self.ids.doc))?;
            t.f(&c.id)?;
            t.f(ty)?;
            t.f(fm.date(day))?;
            t.f(fm.b(r.chance(p_tpl)))?;
            t.f(fm.b(r.chance(p_proof)))?;
            t.f(fm.b(r.chance(p_review)))?;
            t.f(fm.b(r.chance(p_seal)))?;
            t.end()?;
        }
        Ok(())
    }

    fn archive(&mut self, c: &Case) -> Res {
        let Some(closed) = c.closed else {
            return Ok(());
        };
        let r = &mut self.r;
        if !r.chance(0.7) {
            return Ok(());
        }
        let mut day = closed + r.range(5, 60) as i32;
        let x = r.below(100);
        if x < 3 {
            day = month_end(day);
        } else if x < 5 {
            day = month_start(day).max(closed);
        }
        if day > self.to {
            return Ok(()); // not archived yet at export time
        }
        let single = r.chance(if c.dept == Dept::XingShi { 0.8 } else { 0.9 });
        let fm = &mut self.fm;
        let t = &mut self.t.archives;
        t.f(&c.id)?;
        t.f(fm.date(day))?;
        t.f(if single { "单套制" } else { "纸质" })?;
        if single {
            t.f(fm.b(r.chance(0.92)))?;
        } else {
            t.f(fm.b_or_empty(r.chance(0.1), 0.05))?;
        }
        t.end()?;
        let t = &mut self.t.dossier;
        for _ in 0..r.range(3, 8) {
            let origin = if single {
                r.pick(&[("原生", 48), ("网", 21), ("扫描", 31)])
            } else {
                r.pick(&[("原生", 15), ("网", 5), ("扫描", 80)])
            };
            self.ids.entry += 1;
            t.f(id("J", self.ids.entry))?;
            t.f(&c.id)?;
            t.f(origin)?;
            t.f(fm.date(day))?;
            t.end()?;
        }
        Ok(())
    }

    fn deliberations(&mut self, c: &Case) -> Res {
        let limit = self.limit(c);
        let (r, fm, t) = (&mut self.r, &mut self.fm, &mut self.t.deliberations);
        let mut rows: [(&str, bool); 3] = [("", false); 3];
        let mut n = 0;
        // A collegiate panel deliberates shortly before the judgment: most
        // closed 普通程序 合议庭 cases have one or two, pending ones rarely.
        let p = if c.closed.is_some() { 0.85 } else { 0.25 };
        if c.procedure == PU && c.collegiate && r.chance(p) {
            for _ in 0..r.pick(&[(1, 80), (2, 20)]) {
                rows[n] = ("合议庭评议", c.jurors && r.chance(0.95));
                n += 1;
            }
        }
        if c.cat != Cat::SuQian && r.chance(0.03) {
            rows[n] = ("专业法官会议", r.chance(0.02));
            n += 1;
        }
        for &(kind, juror) in &rows[..n] {
            let lo = (limit - r.range(0, 30) as i32).max(c.filed);
            let day = r.day(lo, limit);
            let signed = r.chance(if juror { 0.35 } else { 0.7 });
            self.ids.delib += 1;
            t.f(id("PY", self.ids.delib))?;
            t.f(&c.id)?;
            t.f(kind)?;
            t.f(fm.date(day))?;
            t.f(fm.b(signed))?;
            t.f(fm.b(juror))?;
            t.end()?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- officers

struct Officer {
    dept: &'static str,
    on_staff: bool,
}

/// Officers, their mobile sessions and the citywide benchmark.
fn mobile(dir: &Path, a: &Args, fm: &mut Fmt) -> Res {
    let mut r = Rng(a.seed ^ 0x6D6F_6269_6C65);
    let n = (a.cases / 1000).max(40) as usize;
    let exec = n * 3 / 4;
    let zhicai = (n - exec) * 6 / 10;
    let officers: Vec<Officer> = (0..n)
        .map(|i| Officer {
            dept: if i < exec {
                "执行局"
            } else if i < exec + zhicai {
                "执行裁判庭"
            } else {
                "办公室"
            },
            on_staff: i == 0 || r.chance(0.8),
        })
        .collect();
    let mut t = Sink::open(dir, "officers", &["officer_id", "department", "on_staff"])?;
    for (i, o) in officers.iter().enumerate() {
        t.f(Buf::new().s("G").num(i as u64 + 1, 4))?;
        t.f(o.dept)?;
        t.f(fm.b(o.on_staff))?;
        t.end()?;
    }
    t.finish("officers")?;

    let days = (a.to - a.from + 1) as usize;
    let mut logins = vec![0u64; days];
    let mut secs = vec![0i64; days];
    let mut t = Sink::open(
        dir,
        "mobile_sessions",
        &["session_id", "officer_id", "login_at", "logout_at"],
    )?;
    let mut sid = 0u64;
    for (di, day) in (a.from..=a.to).enumerate() {
        let weekend = matches!(weekday(day), 0 | 6);
        let first = day == month_start(day);
        let last = day == month_end(day);
        for (i, o) in officers.iter().enumerate() {
            let is_exec = o.dept == "执行局";
            let p = match (is_exec, weekend) {
                (true, false) => 0.9,
                (true, true) => 0.05,
                (false, false) => 0.15,
                (false, true) => 0.01,
            };
            let mut sessions: [(i64, Option<i64>); 5] = [(0, None); 5];
            let mut k = 0;
            let midnight = i64::from(day) * DAY;
            if first && r.chance(0.05) {
                sessions[k] = (midnight, Some(midnight + r.range(10, 90) * MIN));
                k += 1;
            }
            if r.chance(p) {
                let mut at = midnight + 8 * HOUR + r.range(0, 90) * MIN + r.range(0, 59);
                for _ in 0..if is_exec { r.range(1, 3) } else { 1 } {
                    let out = at + r.range(30 * 60, 4 * 3600);
                    sessions[k] = (at, (!r.chance(0.05)).then_some(out));
                    k += 1;
                    at = out + r.range(10, 120) * MIN + r.range(0, 59);
                }
                if r.chance(0.02) {
                    // A late session that runs past midnight.
                    let at = midnight + 22 * HOUR + r.range(0, 90) * MIN + r.range(0, 59);
                    sessions[k] = (at, Some(at + r.range(60, 180) * MIN));
                    k += 1;
                }
            }
            if last && k < sessions.len() && r.chance(0.05) {
                sessions[k] = (
                    midnight + DAY - 1,
                    Some(midnight + DAY - 1 + r.range(10, 60) * MIN),
                );
                k += 1;
            }
            for &(login, logout) in &sessions[..k] {
                if is_exec && o.on_staff {
                    logins[di] += 1;
                    secs[di] += logout.map_or(0, |out| out - login);
                }
                sid += 1;
                t.f(id("M", sid))?;
                t.f(Buf::new().s("G").num(i as u64 + 1, 4))?;
                t.f(fm.dt(login))?;
                t.f(fm.odt(logout))?;
                t.end()?;
            }
        }
    }
    t.finish("mobile_sessions")?;

    // Citywide benchmark: per month, quarter, half-year and year overlapping
    // [from, to], plus [from, to] itself; figures near the court's own.
    let staff = officers
        .iter()
        .filter(|o| o.dept == "执行局" && o.on_staff)
        .count() as f64;
    let mut periods: Vec<(i32, i32)> = Vec::new();
    for months in [1u32, 3, 6, 12] {
        let (y, m, _) = civil_from_days(a.from);
        let mut s = days_from_civil(y, (m - 1) / months * months + 1, 1);
        while s <= a.to {
            let next = add_months(s, months);
            periods.push((s, next - 1));
            s = next;
        }
    }
    if !periods.contains(&(a.from, a.to)) {
        periods.push((a.from, a.to));
    }
    let mut t = Sink::open(
        dir,
        "citywide",
        &[
            "period_start",
            "period_end",
            "logins_per_capita",
            "hours_per_capita",
        ],
    )?;
    for &(s, e) in &periods {
        let lo = (s.max(a.from) - a.from) as usize;
        let hi = (e.min(a.to) - a.from) as usize;
        let l: u64 = logins[lo..=hi].iter().sum();
        let h: i64 = secs[lo..=hi].iter().sum();
        let own_l = l as f64 / staff * 100.0;
        let own_h = h as f64 / 3600.0 / staff * 100.0;
        let city = |own: f64, r: &mut Rng| {
            if own > 0.0 {
                own * (0.9 + 0.55 * r.unit())
            } else {
                1000.0 + 3000.0 * r.unit()
            }
        };
        let city_l = city(own_l, &mut r);
        let city_h = city(own_h, &mut r);
        t.f(fm.date(s))?;
        t.f(fm.date(e))?;
        t.f(format!("{city_l:.2}"))?;
        t.f(format!("{city_h:.2}"))?;
        t.end()?;
    }
    t.finish("citywide")
}

// ---------------------------------------------------------------- courtrooms

const CN_NUM: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

fn courtrooms(dir: &Path, a: &Args, fm: &mut Fmt) -> Res {
    let mut r = Rng(a.seed ^ 0x636F_7572_7473);
    let mut rooms: Vec<(String, &str, &str)> = Vec::new();
    for n in CN_NUM {
        rooms.push((format!("第{n}法庭"), "院本部", "法庭"));
    }
    for n in &CN_NUM[..4] {
        rooms.push((format!("诉调对接中心第{n}调解室"), "院本部", "调解室"));
    }
    for (place, mediation) in [("南翔法庭", 2), ("安亭法庭", 1), ("江桥法庭", 1)] {
        for n in &CN_NUM[..3] {
            rooms.push((format!("{place}第{n}审判庭"), place, "法庭"));
        }
        for n in &CN_NUM[..mediation] {
            rooms.push((format!("{place}第{n}调解室"), place, "调解室"));
        }
    }
    let mut t = Sink::open(dir, "courtrooms", &["room_id", "name", "location", "kind"])?;
    for (i, (name, place, kind)) in rooms.iter().enumerate() {
        t.f(Buf::new().s("R").num(i as u64 + 1, 2))?;
        t.f(name)?;
        t.f(place)?;
        t.f(kind)?;
        t.end()?;
    }
    t.finish("courtrooms")?;

    let mut t = Sink::open(
        dir,
        "computers",
        &[
            "computer_id",
            "room_id",
            "seat",
            "display",
            "microphone",
            "signing_device",
            "cpu_cores",
            "cpu_ghz",
            "ram_gb",
            "display_inches",
            "res_w",
            "res_h",
        ],
    )?;
    let mut pc = 0u64;
    for (i, (_, _, kind)) in rooms.iter().enumerate() {
        if i == 4 {
            continue; // 第五法庭: no computer at all
        }
        let old = *kind == "调解室" && r.chance(0.4);
        let seats = 1 + r.range(2, 3);
        for s in 0..seats {
            let mut equip = [true; 3];
            let mut empty_equip = [false; 3];
            if r.chance(0.04) {
                equip[r.below(3) as usize] = false;
            }
            if r.chance(0.01) {
                empty_equip[r.below(3) as usize] = true;
            }
            let mut spec = [
                r.pick(&[("4", 2), ("6", 3), ("8", 4), ("12", 1)]),
                r.pick(&[("2.1", 1), ("2.4", 2), ("2.9", 3), ("3.2", 2), ("3.6", 1)]),
                r.pick(&[("8", 3), ("16", 5), ("32", 1)]),
                r.pick(&[("23.8", 5), ("24", 2), ("27", 2)]),
                "1920",
                "1080",
            ];
            if r.chance(0.15) {
                (spec[4], spec[5]) = ("2560", "1440");
            }
            if old || r.chance(0.03) {
                match r.below(5) {
                    0 => spec[0] = "2",
                    1 => spec[1] = "1.8",
                    2 => spec[2] = "4",
                    3 => spec[3] = "21.5",
                    _ => (spec[4], spec[5]) = ("1366", "768"),
                }
            }
            if r.chance(0.01) {
                spec[r.below(6) as usize] = "";
            }
            pc += 1;
            t.f(Buf::new().s("PC").num(pc, 3))?;
            t.f(Buf::new().s("R").num(i as u64 + 1, 2))?;
            t.f(if s == 0 { "法官" } else { "当事人" })?;
            for (&present, &empty) in equip.iter().zip(&empty_equip) {
                t.f(if empty { "" } else { fm.b(present) })?;
            }
            for v in spec {
                t.f(v)?;
            }
            t.end()?;
        }
    }
    t.finish("computers")
}

// ---------------------------------------------------------------- main

fn run(a: &Args) -> Res {
    let started = Instant::now();
    fs::create_dir_all(&a.out)?;
    let dir = a.out.as_path();
    let mut fm = Fmt(Rng(a.seed ^ 0x6177_6B77_6172_6473));
    eprintln!(
        "gen: {} cases, seed {}, into {}",
        a.cases,
        a.seed,
        dir.display()
    );
    mobile(dir, a, &mut fm)?;
    courtrooms(dir, a, &mut fm)?;

    let first = a.from - 120;
    let span = (a.to - first + 1) as u64;
    let t = Tables {
        cases: Sink::open(
            dir,
            "cases",
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
        )?,
        parties: Sink::open(
            dir,
            "parties",
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
        )?,
        services: Sink::open(
            dir,
            "services",
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
        )?,
        hearings: Sink::open(
            dir,
            "hearings",
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
        )?,
        online: Sink::open(
            dir,
            "online_filings",
            &[
                "application_id",
                "submitted_on",
                "channel",
                "outcome",
                "case_id",
            ],
        )?,
        assignments: Sink::open(
            dir,
            "assignments",
            &["assignment_id", "case_id", "method", "assigned_at"],
        )?,
        documents: Sink::open(
            dir,
            "documents",
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
        )?,
        archives: Sink::open(
            dir,
            "archives",
            &["case_id", "archived_on", "mode", "confirmed"],
        )?,
        dossier: Sink::open(
            dir,
            "dossier_files",
            &["entry_id", "case_id", "origin", "archived_on"],
        )?,
        deliberations: Sink::open(
            dir,
            "deliberations",
            &[
                "deliberation_id",
                "case_id",
                "kind",
                "held_on",
                "e_signed",
                "juror_participated",
            ],
        )?,
    };
    let mut g = Gen {
        r: Rng(a.seed),
        fm,
        to: a.to,
        per_day: (a.cases / span).max(1),
        t,
        ids: Ids::default(),
        case_nos: Vec::new(),
    };
    for i in 0..a.cases {
        let filed = first + (u128::from(i) * u128::from(span) / u128::from(a.cases)) as i32;
        g.case(i + 1, filed)?;
    }
    let t = g.t;
    t.cases.finish("cases")?;
    t.parties.finish("parties")?;
    t.services.finish("services")?;
    t.hearings.finish("hearings")?;
    t.online.finish("online_filings")?;
    t.assignments.finish("assignments")?;
    t.documents.finish("documents")?;
    t.archives.finish("archives")?;
    t.dossier.finish("dossier_files")?;
    t.deliberations.finish("deliberations")?;
    eprintln!("gen: done in {:.1} s", started.elapsed().as_secs_f64());
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
            eprintln!("gen: {e}\n{USAGE}");
            exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("gen: {e}");
        exit(1);
    }
}
