//! Runtime values. A `Value` borrows its text from the CSV record or the stored
//! table it was read from: reading a row allocates no strings.

use chrono::{Datelike, NaiveDate};

/// Days since 0001-01-01 (chrono's `num_days_from_ce`).
pub type Day = i32;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    /// Index into the column's `values`.
    Enum(u16),
    Date(Day),
    /// Seconds since 0001-01-01 00:00:00, local court time.
    DateTime(i64),
}

impl Value<'_> {
    #[inline]
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// Truth of a condition: null and non-bools are false.
    #[inline]
    pub fn truthy(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
    /// The day of a date or datetime.
    #[inline]
    pub fn day(&self) -> Option<Day> {
        match *self {
            Value::Date(d) => Some(d),
            Value::DateTime(s) => Some(s.div_euclid(86_400) as Day),
            _ => None,
        }
    }
    #[inline]
    pub fn num(&self) -> Option<f64> {
        match *self {
            Value::Num(n) => Some(n),
            _ => None,
        }
    }
}

/// An owned literal from the policy text.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Enum(u16, String),
    Date(Day),
}

impl Lit {
    pub fn value(&self) -> Value<'_> {
        match self {
            Lit::Null => Value::Null,
            Lit::Bool(b) => Value::Bool(*b),
            Lit::Num(n) => Value::Num(*n),
            Lit::Str(s) => Value::Str(s),
            Lit::Enum(i, _) => Value::Enum(*i),
            Lit::Date(d) => Value::Date(*d),
        }
    }
}

pub fn day_of(d: NaiveDate) -> Day {
    d.num_days_from_ce()
}

pub fn date_of(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(NaiveDate::MIN)
}

/// A day as `YYYY-MM-DD` (chrono's `%Y-%m-%d`, written digit by digit: the
/// lists of a report show many).
pub fn fmt_day(day: Day) -> String {
    let d = date_of(day);
    let (y, m, dd) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        // A sign and more digits, as chrono writes them.
        return d.format("%Y-%m-%d").to_string();
    }
    let y = y as u32;
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let mut s = String::with_capacity(10);
    for c in [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(dd / 10),
        digit(dd),
    ] {
        s.push(c);
    }
    s
}

pub fn fmt_datetime(secs: i64) -> String {
    let day = secs.div_euclid(86_400) as Day;
    let s = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        fmt_day(day),
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, d| a * 10 + (d - b'0') as u32))
}

/// The day of a calendar date, `None` for a date that does not exist:
/// arithmetic only (days from the civil calendar, as in Howard Hinnant's
/// `days_from_civil`), counted like chrono's `num_days_from_ce`.
fn ymd(y: u32, m: u32, d: u32) -> Option<Day> {
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if y == 0 || d == 0 || d > days_in_month {
        return None;
    }
    let (y, m, d) = (y as i64, m as i64, d as i64);
    // The year counted from March, so that the leap day ends it.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    // Days from 0000-03-01 to 0001-01-01 are 306; chrono counts 0001-01-01 as day 1.
    Some((era * 146_097 + doe - 306 + 1) as Day)
}

/// One or two digits: a month, a day, an hour.
fn small(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 2 {
        return None;
    }
    digits(b)
}

/// The date forms exports write, for error messages.
pub const DATE_FORMS: &str = "2022-06-01, 2022-6-1, 2022/6/1, 2022年6月1日";
/// The datetime forms exports write, for error messages.
pub const DATETIME_FORMS: &str = "2022-06-01 09:00, 2022/6/1 9:00, 2022-06-01 09:00:00.000, 2022-06-01T09:00:00 (a date alone is 00:00)";

/// `YYYY-MM-DD`, `YYYY-M-D`, `YYYY/M/D` or `YYYY年M月D日` (month and day of
/// one or two digits), surrounding spaces allowed, without a general-purpose
/// formatter.
pub fn parse_date(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return ymd(digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    }
    let s = s.trim();
    for sep in ['-', '/'] {
        if s.contains(sep) {
            let mut it = s.split(sep);
            let (y, m, d) = (it.next()?, it.next()?, it.next()?);
            if it.next().is_some() || y.len() != 4 {
                return None;
            }
            return ymd(
                digits(y.as_bytes())?,
                small(m.as_bytes())?,
                small(d.as_bytes())?,
            );
        }
    }
    let rest = s.strip_suffix('日')?;
    let (y, rest) = rest.split_once('年')?;
    let (m, d) = rest.split_once('月')?;
    if y.len() != 4 {
        return None;
    }
    ymd(
        digits(y.as_bytes())?,
        small(m.as_bytes())?,
        small(d.as_bytes())?,
    )
}

/// A date (any form `parse_date` takes), a space or `T`, and `H:MM`,
/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff` (the fraction dropped); a date
/// alone is its midnight. Surrounding spaces allowed.
pub fn parse_datetime(s: &str) -> Option<i64> {
    // The form most exports write, `YYYY-MM-DD HH:MM[:SS]`, without splitting.
    let b = s.as_bytes();
    if (b.len() == 19 || b.len() == 16)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && (b.len() == 16 || b[16] == b':')
    {
        let day = ymd(digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?)? as i64;
        let (h, m) = (digits(&b[11..13])?, digits(&b[14..16])?);
        let sec = if b.len() == 19 {
            digits(&b[17..19])?
        } else {
            0
        };
        if h > 23 || m > 59 || sec > 59 {
            return None;
        }
        return Some(day * 86_400 + (h * 3600 + m * 60 + sec) as i64);
    }
    let s = s.trim();
    let Some((d, t)) = s.split_once(' ').or_else(|| s.split_once('T')) else {
        return parse_date(s).map(|d| d as i64 * 86_400);
    };
    let day = parse_date(d)? as i64;
    let t = t.trim();
    let mut parts = t.split(':');
    let (h, m) = (parts.next()?, parts.next()?);
    let sec = match parts.next() {
        None => 0,
        Some(x) => {
            let whole = match x.split_once('.') {
                Some((w, frac)) if !frac.is_empty() && frac.bytes().all(|c| c.is_ascii_digit()) => {
                    w
                }
                Some(_) => return None,
                None => x,
            };
            if whole.len() != 2 {
                return None;
            }
            digits(whole.as_bytes())?
        }
    };
    if parts.next().is_some() || m.len() != 2 {
        return None;
    }
    let (h, m) = (small(h.as_bytes())?, digits(m.as_bytes())?);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some(day * 86_400 + (h * 3600 + m * 60 + sec) as i64)
}

/// `是/否`, `true/false`, `1/0`, `Y/N` (any case), `√/×`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "是" | "1" | "√" => Some(true),
        "否" | "0" | "×" => Some(false),
        _ if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("y") => Some(true),
        _ if s.eq_ignore_ascii_case("false") || s.eq_ignore_ascii_case("n") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_agree_with_the_calendar() {
        // Every day of four centuries around the years courts file in.
        let mut date = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date");
        while date.year() < 2300 {
            let (y, m, d) = (date.year() as u32, date.month(), date.day());
            assert_eq!(ymd(y, m, d), Some(day_of(date)), "{date}");
            date = date.succ_opt().expect("next day");
        }
        assert_eq!(ymd(2023, 2, 29), None);
        assert_eq!(ymd(2024, 2, 29), parse_date("2024-02-29"));
        assert_eq!(ymd(2100, 2, 29), None);
        assert_eq!(
            ymd(2000, 2, 29),
            Some(day_of(NaiveDate::from_ymd_opt(2000, 2, 29).expect("leap")))
        );
        assert_eq!(ymd(2022, 13, 1), None);
        assert_eq!(ymd(2022, 4, 31), None);
        assert_eq!(ymd(2022, 0, 1), None);
        assert_eq!(ymd(0, 1, 1), None);
    }

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        let mut date = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date");
        while date.year() < 2300 {
            let day = day_of(date);
            assert_eq!(fmt_day(day), date.format("%Y-%m-%d").to_string());
            date = date.succ_opt().expect("next day");
        }
        for y in [-1, 0, 9, 999, 9999, 10000] {
            let d = NaiveDate::from_ymd_opt(y, 3, 7).expect("date");
            assert_eq!(fmt_day(day_of(d)), d.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn date_forms() {
        let d = parse_date("2022-06-01").unwrap();
        assert_eq!(parse_date("2022/6/1"), Some(d));
        assert_eq!(parse_date("2022年6月1日"), Some(d));
        assert_eq!(parse_date("2022-02-30"), None);
        assert_eq!(parse_date("22/6/1"), None);
        assert_eq!(parse_date("2022-6-1"), Some(d));
        assert_eq!(parse_date(" 2022-06-01 "), Some(d));
        assert_eq!(parse_date("2022-006-1"), None);
        assert_eq!(fmt_day(d), "2022-06-01");
    }

    #[test]
    fn datetime_forms() {
        let a = parse_datetime("2022-06-01 09:30").unwrap();
        assert_eq!(parse_datetime("2022-06-01 09:30:00"), Some(a));
        assert_eq!(fmt_datetime(a), "2022-06-01 09:30:00");
        assert_eq!(parse_datetime("2022-06-01 24:00"), None);
        let nine = parse_datetime("2022-06-01 09:00").unwrap();
        for s in [
            "2022/6/1 9:00",
            "2022-06-01 9:00",
            "2022-6-1 09:00",
            "2022-06-01 09:00:00.000",
            " 2022/6/1 09:00",
            "2022-06-01T09:00:00",
        ] {
            assert_eq!(parse_datetime(s), Some(nine), "{s}");
        }
        assert_eq!(
            parse_datetime("2022-06-01"),
            parse_datetime("2022-06-01 00:00")
        );
        assert_eq!(parse_datetime("2022-06-01 9:0"), None);
        assert_eq!(parse_datetime("2022-06-01 09:00:00."), None);
        assert_eq!(Value::DateTime(a).day(), parse_date("2022-06-01"));
    }

    #[test]
    fn bool_forms() {
        for t in ["是", "true", "TRUE", "1", "Y", "y", "√"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["否", "false", "0", "N", "×"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        assert_eq!(parse_bool("yes"), None);
    }
}
