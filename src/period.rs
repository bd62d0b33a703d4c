//! Reporting periods: whole days, inclusive.
//!
//! A period is a month (`2022-06`), a quarter (`2022-Q2`), an ISO week
//! (`2022-W23`), a half-year (`2022-H1`, `2022上半年`), a year (`2022`), the
//! year to date of a month, quarter, week or half (`2022-06-YTD`,
//! `2022年1-6月`), or a range of days (`2022-06-01..2022-06-15`, `--from/--to`).

use chrono::{Datelike, NaiveDate, Weekday};

use crate::value::{Day, date_of, day_of, fmt_day};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// As given for a month, quarter, week or year (`2022-06`, `2022-Q2`,
    /// `2022-W23`, `2022`); written the one way for the other forms
    /// (`2022-H1`, `2022-06-YTD`, `FROM..TO`) and for the periods
    /// [`Period::previous`] and [`Period::same_last_year`] make. Always
    /// parses back: `Period::parse(&p.label)` is `p`'s days.
    pub label: String,
    #[serde(serialize_with = "ser_day")]
    pub start: Day,
    #[serde(serialize_with = "ser_day")]
    pub end: Day,
    /// What kind of period, for the arithmetic; not in the JSON.
    #[serde(skip)]
    shape: Shape,
}

/// The kind of a period, as [`Period::kind`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    /// `2022-06`.
    Month,
    /// `2022-Q2`.
    Quarter,
    /// `2022-W23`: an ISO week, Monday to Sunday.
    Week,
    /// `2022-H1`: January–June or July–December.
    Half,
    /// `2022`.
    Year,
    /// `2022-06-YTD`: from 1 January to the end of a month, quarter, week or half.
    YearToDate,
    /// Any run of days: `--from 2022-06-01 --to 2022-06-15`, `2022-06-01..2022-06-15`.
    Range,
}

/// A calendar unit: a month, quarter, ISO week, half or year of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Month(i32, u32),
    Quarter(i32, u32),
    /// ISO year and week.
    Week(i32, u32),
    Half(i32, u32),
    Year(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Unit(Unit),
    /// 1 January of the unit's year to the unit's last day; never of a `Year`.
    Ytd(Unit),
    Range,
}

fn ser_day<S: serde::Serializer>(d: &Day, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_day(*d))
}

/// A text that names no period, and why when more can be said than the
/// forms a period is written in. [`crate::words`] says it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeriodError {
    pub given: String,
    pub why: Option<PeriodWhy>,
}

/// Why a text that looks like a period is none.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeriodWhy {
    Quarters,
    Weeks {
        year: i32,
        weeks: u32,
    },
    Halves,
    Months,
    /// `2022-YTD`: a year to date names what it runs to.
    YtdNamesUnit {
        year: i32,
    },
    /// `2022年3-6月`: not from January.
    NotYtd {
        from: u32,
        to: u32,
        year: i32,
        last_day: String,
    },
    NoSuchDay,
    DayForm,
    EndsBeforeStart,
}

impl std::fmt::Display for PeriodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::words::Lang::En.period_error(self).0)
    }
}

impl std::error::Error for PeriodError {}

/// In English where no language is asked.
impl miette::Diagnostic for PeriodError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("zhibiao::period"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(crate::words::Lang::En.period_error(self).1))
    }
}

/// The ISO weeks of ISO year `y`: 52 or 53.
fn iso_weeks(y: i32) -> u32 {
    NaiveDate::from_ymd_opt(y, 12, 28).map_or(52, |d| d.iso_week().week())
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// A four-digit year.
fn year(y: &str) -> Option<i32> {
    (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .then(|| y.parse().ok())
        .flatten()
}

impl Unit {
    fn year(self) -> i32 {
        match self {
            Unit::Month(y, _)
            | Unit::Quarter(y, _)
            | Unit::Week(y, _)
            | Unit::Half(y, _)
            | Unit::Year(y) => y,
        }
    }

    fn label(self) -> String {
        match self {
            Unit::Month(y, m) => format!("{y:04}-{m:02}"),
            Unit::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Unit::Week(y, w) => format!("{y:04}-W{w:02}"),
            Unit::Half(y, h) => format!("{y:04}-H{h}"),
            Unit::Year(y) => format!("{y:04}"),
        }
    }

    /// First and last day; `None` only outside chrono's calendar.
    fn span(self) -> Option<(NaiveDate, NaiveDate)> {
        let ymd = NaiveDate::from_ymd_opt;
        Some(match self {
            Unit::Month(y, m) => (ymd(y, m, 1)?, month_end(y, m)?),
            Unit::Quarter(y, q) => (ymd(y, 3 * q - 2, 1)?, month_end(y, 3 * q)?),
            Unit::Week(y, w) => (
                NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?,
                NaiveDate::from_isoywd_opt(y, w, Weekday::Sun)?,
            ),
            Unit::Half(y, h) => (ymd(y, 6 * h - 5, 1)?, month_end(y, 6 * h)?),
            Unit::Year(y) => (ymd(y, 1, 1)?, ymd(y, 12, 31)?),
        })
    }

    fn previous(self) -> Unit {
        match self {
            Unit::Month(y, 1) => Unit::Month(y - 1, 12),
            Unit::Month(y, m) => Unit::Month(y, m - 1),
            Unit::Quarter(y, 1) => Unit::Quarter(y - 1, 4),
            Unit::Quarter(y, q) => Unit::Quarter(y, q - 1),
            Unit::Week(y, 1) => Unit::Week(y - 1, iso_weeks(y - 1)),
            Unit::Week(y, w) => Unit::Week(y, w - 1),
            Unit::Half(y, 1) => Unit::Half(y - 1, 2),
            Unit::Half(y, h) => Unit::Half(y, h - 1),
            Unit::Year(y) => Unit::Year(y - 1),
        }
    }

    fn same_last_year(self) -> Unit {
        match self {
            Unit::Month(y, m) => Unit::Month(y - 1, m),
            Unit::Quarter(y, q) => Unit::Quarter(y - 1, q),
            Unit::Week(y, w) => Unit::Week(y - 1, w.min(iso_weeks(y - 1))),
            Unit::Half(y, h) => Unit::Half(y - 1, h),
            Unit::Year(y) => Unit::Year(y - 1),
        }
    }

    /// Parse what follows `YYYY-`: `06`, `Q2`, `W23`, `H1`.
    fn parse(y: i32, rest: &str) -> Result<Unit, Option<PeriodWhy>> {
        let number = |x: &str| -> Result<u32, Option<PeriodWhy>> {
            if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
                return Err(None);
            }
            x.parse().map_err(|_| None)
        };
        let tagged = |tag: char| {
            rest.strip_prefix(tag)
                .or_else(|| rest.strip_prefix(tag.to_ascii_lowercase()))
        };
        if let Some(q) = tagged('Q') {
            let q = number(q)?;
            if !(1..=4).contains(&q) {
                return Err(Some(PeriodWhy::Quarters));
            }
            Ok(Unit::Quarter(y, q))
        } else if let Some(w) = tagged('W') {
            let w = number(w)?;
            let weeks = iso_weeks(y);
            if w == 0 || w > weeks {
                return Err(Some(PeriodWhy::Weeks { year: y, weeks }));
            }
            Ok(Unit::Week(y, w))
        } else if let Some(h) = tagged('H') {
            let h = number(h)?;
            if !(1..=2).contains(&h) {
                return Err(Some(PeriodWhy::Halves));
            }
            Ok(Unit::Half(y, h))
        } else {
            if rest.len() != 2 {
                return Err(None);
            }
            let m = number(rest)?;
            if !(1..=12).contains(&m) {
                return Err(Some(PeriodWhy::Months));
            }
            Ok(Unit::Month(y, m))
        }
    }
}

impl Period {
    /// The days `start` to `end`, inclusive, of kind [`PeriodKind::Range`].
    pub fn days(start: NaiveDate, end: NaiveDate, label: String) -> Period {
        Period {
            label,
            start: day_of(start),
            end: day_of(end),
            shape: Shape::Range,
        }
    }

    fn of(shape: Shape, label: Option<String>) -> Option<Period> {
        let (unit, ytd) = match shape {
            Shape::Unit(u) => (u, false),
            Shape::Ytd(u) => (u, true),
            Shape::Range => return None,
        };
        let (mut start, end) = unit.span()?;
        if ytd {
            start = NaiveDate::from_ymd_opt(unit.year(), 1, 1)?;
        }
        let label = label.unwrap_or_else(|| match shape {
            Shape::Ytd(u) => format!("{}-YTD", u.label()),
            _ => unit.label(),
        });
        Some(Period {
            label,
            start: day_of(start),
            end: day_of(end),
            shape,
        })
    }

    /// The days `start..=end` as a range labelled `START..END`.
    fn range_of(start: Day, end: Day) -> Period {
        Period {
            label: format!("{}..{}", fmt_day(start), fmt_day(end)),
            start,
            end,
            shape: Shape::Range,
        }
    }

    #[inline]
    pub fn contains(&self, d: Day) -> bool {
        self.start <= d && d <= self.end
    }

    pub fn describe(&self) -> String {
        format!(
            "{} ({} – {})",
            self.label,
            fmt_day(self.start),
            fmt_day(self.end)
        )
    }

    /// What kind of period this is: a month, quarter, week, half, year, year
    /// to date, or a range of days.
    pub fn kind(&self) -> PeriodKind {
        match self.shape {
            Shape::Unit(Unit::Month(..)) => PeriodKind::Month,
            Shape::Unit(Unit::Quarter(..)) => PeriodKind::Quarter,
            Shape::Unit(Unit::Week(..)) => PeriodKind::Week,
            Shape::Unit(Unit::Half(..)) => PeriodKind::Half,
            Shape::Unit(Unit::Year(..)) => PeriodKind::Year,
            Shape::Ytd(_) => PeriodKind::YearToDate,
            Shape::Range => PeriodKind::Range,
        }
    }

    /// The period before this one, of the same kind: the previous month,
    /// quarter, ISO week (week 1's is the last week, 52 or 53, of the year
    /// before), half or year.
    ///
    /// A year to date's is the previous period's year to date: `2022-06-YTD`
    /// → `2022-05-YTD`, `2022-Q3-YTD` → `2022-Q2-YTD`; at the start of a year
    /// it is the whole year before: `2022-01-YTD` → `2021-12-YTD`
    /// (2021-01-01 – 2021-12-31).
    ///
    /// A range's is the same number of days immediately before it:
    /// `2022-06-11..2022-06-20` → `2022-06-01..2022-06-10`.
    ///
    /// The label is written the one way (`2022-Q1`, `2022-W09`,
    /// `2022-05-YTD`, `START..END`) and parses back to the same days.
    pub fn previous(&self) -> Period {
        let shape = match self.shape {
            Shape::Unit(u) => Shape::Unit(u.previous()),
            Shape::Ytd(u) => Shape::Ytd(u.previous()),
            Shape::Range => {
                let len = self.end - self.start + 1;
                return Period::range_of(self.start - len, self.start - 1);
            }
        };
        #[allow(
            clippy::expect_used,
            reason = "a parsed period's year has four digits, so the year before is one chrono can hold"
        )]
        Period::of(shape, None).expect("a year within the calendar")
    }

    /// The same period a year earlier: the same month, quarter, half, year or
    /// year to date of the year before (`2022-06-YTD` → `2021-06-YTD`).
    ///
    /// An ISO week's is the same week number of the previous ISO year, or
    /// week 52 when that year has no week 53: `2022-W23` → `2021-W23`,
    /// `2020-W53` → `2019-W52` (2019 has 52 ISO weeks). A week's year to date
    /// likewise: `2020-W53-YTD` → `2019-W52-YTD`.
    ///
    /// A range's is the range shifted one year, 29 February becoming
    /// 28 February: `2024-02-01..2024-02-29` → `2023-02-01..2023-02-28`.
    pub fn same_last_year(&self) -> Period {
        let shape = match self.shape {
            Shape::Unit(u) => Shape::Unit(u.same_last_year()),
            Shape::Ytd(u) => Shape::Ytd(u.same_last_year()),
            Shape::Range => {
                let back = |day: Day| {
                    let d = date_of(day);
                    let dd = if d.month() == 2 && d.day() == 29 {
                        28
                    } else {
                        d.day()
                    };
                    NaiveDate::from_ymd_opt(d.year() - 1, d.month(), dd).map_or(day - 365, day_of)
                };
                return Period::range_of(back(self.start), back(self.end));
            }
        };
        #[allow(
            clippy::expect_used,
            reason = "a parsed period's year has four digits, so the year before is one chrono can hold"
        )]
        Period::of(shape, None).expect("a year within the calendar")
    }

    /// Parse a period's name: a month `2022-06`, a quarter `2022-Q2`, an ISO
    /// week `2022-W23`, a half-year `2022-H1` / `2022-H2` (also `2022上半年`,
    /// `2022年上半年`, `2022-上半年` and `下半年` likewise), a year `2022`, a year
    /// to date `2022-06-YTD`, `2022-Q2-YTD`, `2022-W23-YTD` (1 January to that
    /// week's Sunday), `2022-H1-YTD` (also `2022年1-6月`, `2022年1至6月`), or
    /// days `2022-06-01..2022-06-30`. `Q`, `W`, `H` and `YTD` may be lower case.
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let fail = |why: Option<PeriodWhy>| PeriodError {
            given: s.to_string(),
            why,
        };
        let err = || fail(None);
        let t = s.trim();
        if let Some((from, to)) = t.split_once("..") {
            return Period::range(from, to).map(|p| Period {
                label: t.to_string(),
                ..p
            });
        }
        if !t.is_ascii() {
            return Period::chinese(t).map_err(fail);
        }
        let (shape, as_given) = if let Some(y) = year(t) {
            (Shape::Unit(Unit::Year(y)), true)
        } else {
            let (y, rest) = t.split_once('-').ok_or_else(err)?;
            let y = year(y).ok_or_else(err)?;
            let ytd = rest
                .len()
                .checked_sub(4)
                .filter(|&i| rest[i..].eq_ignore_ascii_case("-YTD"))
                .map(|i| &rest[..i]);
            match ytd {
                Some(base) => (Shape::Ytd(Unit::parse(y, base).map_err(fail)?), false),
                None if rest.eq_ignore_ascii_case("YTD") => {
                    return Err(fail(Some(PeriodWhy::YtdNamesUnit { year: y })));
                }
                None => {
                    let u = Unit::parse(y, rest).map_err(fail)?;
                    (Shape::Unit(u), !matches!(u, Unit::Half(..)))
                }
            }
        };
        Period::of(shape, as_given.then(|| t.to_string())).ok_or_else(err)
    }

    /// `2019上半年`, `2019年上半年`, `2019-上半年`, `下半年` likewise; `2022年1-6月`,
    /// `2022年1至6月` (also `1月-6月`, `1到6月`, `1~6月`). `Err` is the reason.
    fn chinese(t: &str) -> Result<Period, Option<PeriodWhy>> {
        let y = t.get(..4).and_then(year).ok_or(None)?;
        let rest = &t[4..];
        let (named_year, rest) = match rest.strip_prefix('年') {
            Some(r) => (true, r),
            None => (false, rest.strip_prefix('-').unwrap_or(rest)),
        };
        let shape = match rest {
            "上半年" => Shape::Unit(Unit::Half(y, 1)),
            "下半年" => Shape::Unit(Unit::Half(y, 2)),
            _ if named_year => {
                let months = rest.strip_suffix('月').ok_or(None)?;
                let (a, b) = months
                    .split_once(['-', '－', '—', '–', '~', '～', '至', '到'])
                    .ok_or(None)?;
                let a = a.strip_suffix('月').unwrap_or(a);
                let month = |x: &str| -> Result<u32, Option<PeriodWhy>> {
                    let m: u32 = (!x.is_empty() && x.len() <= 2)
                        .then(|| x.parse().ok())
                        .flatten()
                        .ok_or(None)?;
                    if (1..=12).contains(&m) {
                        Ok(m)
                    } else {
                        Err(Some(PeriodWhy::Months))
                    }
                };
                let (a, b) = (month(a)?, month(b)?);
                if a != 1 {
                    return Err(Some(PeriodWhy::NotYtd {
                        from: a,
                        to: b,
                        year: y,
                        last_day: month_end(y, b)
                            .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
                    }));
                }
                Shape::Ytd(Unit::Month(y, b))
            }
            _ => return Err(None),
        };
        Period::of(shape, None).ok_or(None)
    }

    /// `--from A --to B`.
    pub fn range(from: &str, to: &str) -> Result<Period, PeriodError> {
        let parse = |x: &str| {
            NaiveDate::parse_from_str(x.trim(), "%Y-%m-%d").map_err(|_| PeriodError {
                given: x.to_string(),
                why: Some(
                    if crate::value::parse_date(x.trim()).is_none() && x.trim().len() == 10 {
                        PeriodWhy::NoSuchDay
                    } else {
                        PeriodWhy::DayForm
                    },
                ),
            })
        };
        let (a, b) = (parse(from)?, parse(to)?);
        if b < a {
            return Err(PeriodError {
                given: format!("{from}..{to}"),
                why: Some(PeriodWhy::EndsBeforeStart),
            });
        }
        Ok(Period::days(a, b, format!("{from}..{to}")))
    }
}

/// The day a period ends, as a date.
pub fn end_date(p: &Period) -> NaiveDate {
    crate::value::date_of(p.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(p: &Period) -> (String, String) {
        (fmt_day(p.start), fmt_day(p.end))
    }

    #[test]
    fn forms() {
        assert_eq!(
            days(&Period::parse("2022-06").unwrap()),
            ("2022-06-01".into(), "2022-06-30".into())
        );
        assert_eq!(
            days(&Period::parse("2022-02").unwrap()),
            ("2022-02-01".into(), "2022-02-28".into())
        );
        assert_eq!(
            days(&Period::parse("2022-Q2").unwrap()),
            ("2022-04-01".into(), "2022-06-30".into())
        );
        assert_eq!(
            days(&Period::parse("2022-Q4").unwrap()),
            ("2022-10-01".into(), "2022-12-31".into())
        );
        // ISO week 23 of 2022 is Monday 6 June to Sunday 12 June.
        assert_eq!(
            days(&Period::parse("2022-W23").unwrap()),
            ("2022-06-06".into(), "2022-06-12".into())
        );
        assert_eq!(
            days(&Period::parse("2022").unwrap()),
            ("2022-01-01".into(), "2022-12-31".into())
        );
        assert_eq!(
            days(&Period::range("2022-06-01", "2022-06-15").unwrap()),
            ("2022-06-01".into(), "2022-06-15".into())
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "2022-13", "2022-Q5", "2022-W54", "22-06", "June", "2022-6", "",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert!(Period::range("2022-06-30", "2022-06-01").is_err());
    }

    fn span(s: &str) -> (String, String, String) {
        let p = Period::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (p.label.clone(), fmt_day(p.start), fmt_day(p.end))
    }

    fn l(label: &str, a: &str, b: &str) -> (String, String, String) {
        (label.into(), a.into(), b.into())
    }

    #[test]
    fn halves() {
        let h1 = l("2019-H1", "2019-01-01", "2019-06-30");
        let h2 = l("2019-H2", "2019-07-01", "2019-12-31");
        for s in [
            "2019-H1",
            "2019-h1",
            "2019上半年",
            "2019年上半年",
            "2019-上半年",
        ] {
            assert_eq!(span(s), h1, "{s}");
            assert_eq!(Period::parse(s).unwrap().kind(), PeriodKind::Half);
        }
        for s in [
            "2019-H2",
            "2019下半年",
            "2019年下半年",
            "2019-下半年",
            " 2019年下半年 ",
        ] {
            assert_eq!(span(s), h2, "{s}");
        }
        for bad in [
            "2019-H0",
            "2019-H3",
            "2019-H",
            "2019年中半年",
            "19上半年",
            "2019年上",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert!(
            Period::parse("2019-H3")
                .unwrap_err()
                .to_string()
                .contains("two halves")
        );
    }

    #[test]
    fn years_to_date() {
        let cases = [
            ("2022-06-YTD", l("2022-06-YTD", "2022-01-01", "2022-06-30")),
            ("2022-06-ytd", l("2022-06-YTD", "2022-01-01", "2022-06-30")),
            ("2022-02-YTD", l("2022-02-YTD", "2022-01-01", "2022-02-28")),
            ("2022-Q3-YTD", l("2022-Q3-YTD", "2022-01-01", "2022-09-30")),
            ("2022-q1-ytd", l("2022-Q1-YTD", "2022-01-01", "2022-03-31")),
            // Week 23 of 2022 ends on Sunday 12 June.
            (
                "2022-W23-YTD",
                l("2022-W23-YTD", "2022-01-01", "2022-06-12"),
            ),
            // Week 1 of 2020 starts on 30 December 2019; its YTD on 1 January.
            (
                "2020-W01-YTD",
                l("2020-W01-YTD", "2020-01-01", "2020-01-05"),
            ),
            ("2020-W1-YTD", l("2020-W01-YTD", "2020-01-01", "2020-01-05")),
            ("2022-H1-YTD", l("2022-H1-YTD", "2022-01-01", "2022-06-30")),
            ("2022-H2-YTD", l("2022-H2-YTD", "2022-01-01", "2022-12-31")),
            ("2022年1-6月", l("2022-06-YTD", "2022-01-01", "2022-06-30")),
            ("2022年1至6月", l("2022-06-YTD", "2022-01-01", "2022-06-30")),
            (
                "2022年1月-6月",
                l("2022-06-YTD", "2022-01-01", "2022-06-30"),
            ),
            ("2022年1-12月", l("2022-12-YTD", "2022-01-01", "2022-12-31")),
            ("2024年1-2月", l("2024-02-YTD", "2024-01-01", "2024-02-29")),
        ];
        for (s, want) in cases {
            assert_eq!(span(s), want, "{s}");
            assert_eq!(Period::parse(s).unwrap().kind(), PeriodKind::YearToDate);
        }
        // The first half's year to date is the first half's days.
        let (h1, ytd) = (
            Period::parse("2022-H1").unwrap(),
            Period::parse("2022-H1-YTD").unwrap(),
        );
        assert_eq!((h1.start, h1.end), (ytd.start, ytd.end));
        for bad in [
            "2022-YTD",
            "2022-13-YTD",
            "2022-Q5-YTD",
            "2022-W54-YTD",
            "2022-6-YTD",
            "2022-06-YTDX",
            "2022年3-6月",
            "2022年1-13月",
            "2022年1-6",
            "2022年0-6月",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        let e = Period::parse("2022年3-6月").unwrap_err().to_string();
        assert!(e.contains("--from 2022-03-01 --to 2022-06-30"), "{e}");
        let e = Period::parse("2022-YTD").unwrap_err().to_string();
        assert!(e.contains("2022-06-YTD"), "{e}");
    }

    #[test]
    fn ranges_parse_from_their_label() {
        let r = Period::range("2022-06-01", "2022-06-15").unwrap();
        assert_eq!(r.kind(), PeriodKind::Range);
        let p = Period::parse(&r.label).unwrap();
        assert_eq!(p, r);
        assert!(Period::parse("2022-06-15..2022-06-01").is_err());
        assert!(Period::parse("2022-06-01..June").is_err());
    }

    #[test]
    fn kinds() {
        for (s, k) in [
            ("2022-06", PeriodKind::Month),
            ("2022-Q2", PeriodKind::Quarter),
            ("2022-W23", PeriodKind::Week),
            ("2022-H2", PeriodKind::Half),
            ("2022", PeriodKind::Year),
            ("2022-W23-YTD", PeriodKind::YearToDate),
            ("2022-01-01..2022-06-30", PeriodKind::Range),
        ] {
            assert_eq!(Period::parse(s).unwrap().kind(), k, "{s}");
        }
    }

    /// `p`'s label parses back to `p`.
    fn round_trips(p: &Period) {
        let q = Period::parse(&p.label).unwrap_or_else(|e| panic!("{}: {e}", p.label));
        assert_eq!(&q, p, "{}", p.label);
    }

    fn prev(s: &str) -> (String, String, String) {
        let p = Period::parse(s).unwrap().previous();
        round_trips(&p);
        (p.label, fmt_day(p.start), fmt_day(p.end))
    }

    #[test]
    fn previous() {
        let cases = [
            ("2022-06", l("2022-05", "2022-05-01", "2022-05-31")),
            ("2022-01", l("2021-12", "2021-12-01", "2021-12-31")),
            ("2022-03", l("2022-02", "2022-02-01", "2022-02-28")),
            ("2022-q1", l("2021-Q4", "2021-10-01", "2021-12-31")),
            ("2022-Q3", l("2022-Q2", "2022-04-01", "2022-06-30")),
            ("2022-W23", l("2022-W22", "2022-05-30", "2022-06-05")),
            // 2020 has 53 ISO weeks, 2022 52.
            ("2021-W01", l("2020-W53", "2020-12-28", "2021-01-03")),
            ("2023-W01", l("2022-W52", "2022-12-26", "2023-01-01")),
            ("2022-H1", l("2021-H2", "2021-07-01", "2021-12-31")),
            ("2022上半年", l("2021-H2", "2021-07-01", "2021-12-31")),
            ("2022-H2", l("2022-H1", "2022-01-01", "2022-06-30")),
            ("2022", l("2021", "2021-01-01", "2021-12-31")),
            // A year to date's previous is the previous period's year to date.
            ("2022-06-YTD", l("2022-05-YTD", "2022-01-01", "2022-05-31")),
            ("2022年1-6月", l("2022-05-YTD", "2022-01-01", "2022-05-31")),
            ("2022-01-YTD", l("2021-12-YTD", "2021-01-01", "2021-12-31")),
            ("2022-Q3-YTD", l("2022-Q2-YTD", "2022-01-01", "2022-06-30")),
            (
                "2022-W23-YTD",
                l("2022-W22-YTD", "2022-01-01", "2022-06-05"),
            ),
            ("2022-H1-YTD", l("2021-H2-YTD", "2021-01-01", "2021-12-31")),
            // A range's: as many days, immediately before.
            (
                "2022-06-11..2022-06-20",
                l("2022-06-01..2022-06-10", "2022-06-01", "2022-06-10"),
            ),
            (
                "2022-03-01..2022-03-31",
                l("2022-01-29..2022-02-28", "2022-01-29", "2022-02-28"),
            ),
        ];
        for (s, want) in cases {
            assert_eq!(prev(s), want, "{s}");
            assert_eq!(
                Period::parse(s).unwrap().previous().kind(),
                Period::parse(s).unwrap().kind(),
                "{s}"
            );
        }
        let r = Period::range("2022-06-01", "2022-06-01")
            .unwrap()
            .previous();
        assert_eq!(days(&r), ("2022-05-31".into(), "2022-05-31".into()));
        // Back from a week through a year boundary, week by week.
        let mut w = Period::parse("2021-W02").unwrap();
        for _ in 0..60 {
            let p = w.previous();
            assert_eq!(p.end + 1, w.start, "{}", p.label);
            round_trips(&p);
            w = p;
        }
    }

    fn last_year(s: &str) -> (String, String, String) {
        let p = Period::parse(s).unwrap().same_last_year();
        round_trips(&p);
        (p.label, fmt_day(p.start), fmt_day(p.end))
    }

    #[test]
    fn same_last_year() {
        let cases = [
            ("2022-06", l("2021-06", "2021-06-01", "2021-06-30")),
            ("2024-02", l("2023-02", "2023-02-01", "2023-02-28")),
            ("2022-Q2", l("2021-Q2", "2021-04-01", "2021-06-30")),
            ("2022-W23", l("2021-W23", "2021-06-07", "2021-06-13")),
            // 2019 has no week 53.
            ("2020-W53", l("2019-W52", "2019-12-23", "2019-12-29")),
            ("2022-H2", l("2021-H2", "2021-07-01", "2021-12-31")),
            ("2022年下半年", l("2021-H2", "2021-07-01", "2021-12-31")),
            ("2022", l("2021", "2021-01-01", "2021-12-31")),
            ("2022-06-YTD", l("2021-06-YTD", "2021-01-01", "2021-06-30")),
            ("2022年1至6月", l("2021-06-YTD", "2021-01-01", "2021-06-30")),
            ("2022-Q3-YTD", l("2021-Q3-YTD", "2021-01-01", "2021-09-30")),
            (
                "2022-W23-YTD",
                l("2021-W23-YTD", "2021-01-01", "2021-06-13"),
            ),
            (
                "2020-W53-YTD",
                l("2019-W52-YTD", "2019-01-01", "2019-12-29"),
            ),
            ("2022-H1-YTD", l("2021-H1-YTD", "2021-01-01", "2021-06-30")),
            (
                "2022-06-01..2022-06-15",
                l("2021-06-01..2021-06-15", "2021-06-01", "2021-06-15"),
            ),
            // 29 February becomes 28 February.
            (
                "2024-02-01..2024-02-29",
                l("2023-02-01..2023-02-28", "2023-02-01", "2023-02-28"),
            ),
            (
                "2024-02-29..2024-03-10",
                l("2023-02-28..2023-03-10", "2023-02-28", "2023-03-10"),
            ),
        ];
        for (s, want) in cases {
            assert_eq!(last_year(s), want, "{s}");
            assert_eq!(
                Period::parse(s).unwrap().same_last_year().kind(),
                Period::parse(s).unwrap().kind(),
                "{s}"
            );
        }
    }

    #[test]
    fn labels_round_trip() {
        for s in [
            "2022-06",
            "2022-Q2",
            "2022-W23",
            "2022-H1",
            "2022",
            "2022-06-YTD",
            "2022-W23-YTD",
            "2022年1-6月",
            "2022上半年",
            "2022-06-01..2022-06-30",
        ] {
            let p = Period::parse(s).unwrap();
            round_trips(&p);
            round_trips(&p.previous());
            round_trips(&p.same_last_year());
            round_trips(&p.previous().same_last_year());
        }
    }

    #[test]
    fn errors_list_the_forms() {
        use miette::Diagnostic;
        let e = Period::parse("2022-13").unwrap_err();
        let help = e.help().expect("help").to_string();
        for form in [
            "2022-06",
            "2022-Q2",
            "2022-W23",
            "2022-H1",
            "2022上半年",
            "2022",
            "2022-06-YTD",
            "2022年1-6月",
            "2022-06-01..2022-06-30",
            "--from",
        ] {
            assert!(help.contains(&format!("`{form}")), "{form}: {help}");
        }
        assert!(e.to_string().starts_with("`2022-13` is not a period"));
        assert!(
            Period::parse("2022-W53")
                .unwrap_err()
                .to_string()
                .contains("2022 has 52 ISO weeks")
        );
    }
}
