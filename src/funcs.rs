//! The functions a condition or a definition may call, one entry each: its
//! name, the types it takes, the type it gives, how it is evaluated on a
//! row's values and how SQL writes it. `check` types a call from its entry,
//! `eval` runs its `eval`, the SQL backend writes its `sql`, and the README's
//! table of functions is this list. A new function is one entry here.
//!
//! Every function gives an empty value when an argument is empty, so a
//! comparison with it is false, as a comparison with an empty column is.

use crate::value::{Day, Value, date_of, day_of};

/// What an argument may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// A text column or string.
    Text,
    /// A number.
    Num,
    /// A date or a datetime (its date is used).
    Day,
    /// A datetime.
    DateTime,
}

impl Arg {
    pub fn name(&self) -> &'static str {
        match self {
            Arg::Text => "text",
            Arg::Num => "a number",
            Arg::Day => "a date or datetime",
            Arg::DateTime => "a datetime",
        }
    }
}

/// What a function gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gives {
    Bool,
    Num,
    Date,
}

/// What a function's SQL needs of an engine's spelling, where engines
/// differ (the SQL backend's dialects implement it).
pub trait Spelling {
    /// The type of numbers (`int` and `decimal` alike: figures are computed
    /// in floating point, as the native engine does).
    fn number_type(&self) -> &'static str;
    /// Hours from datetime `a` to datetime `b`.
    fn hours(&self, a: &str, b: &str) -> String;
    /// Calendar days from date `a` to date `b`.
    fn days(&self, a: &str, b: &str) -> String;
    /// Date `d` moved by `n` (a whole number) months, the 31st clamped to the
    /// month's last day.
    fn add_months(&self, d: &str, n: &str) -> String;
    /// Whether text `b` occurs in text `a`.
    fn contains(&self, a: &str, b: &str) -> String {
        format!("(strpos({a}, {b}) > 0)")
    }
}

pub struct Func {
    pub name: &'static str,
    pub args: &'static [Arg],
    pub gives: Gives,
    /// One line for people: what it computes, with how the ends count.
    pub doc: &'static str,
    /// As a policy writes it.
    pub example: &'static str,
    pub eval: fn(&[Value<'_>]) -> Value<'static>,
    /// As SQL, from its arguments' SQL (a `Day` argument as a date): NULL
    /// where `eval` gives an empty value.
    pub sql: fn(&dyn Spelling, &[String]) -> String,
}

pub type FuncId = usize;

/// Every function, by name.
pub const FUNCS: &[Func] = &[
    Func {
        name: "hours",
        args: &[Arg::DateTime, Arg::DateTime],
        gives: Gives::Num,
        doc: "hours from the first datetime to the second",
        example: "hours(login_at, logout_at)",
        eval: hours,
        sql: sql::hours,
    },
    Func {
        name: "days",
        args: &[Arg::Day, Arg::Day],
        gives: Gives::Num,
        doc: "calendar days (自然日) from the first date to the second: the first day is not counted, the last is (filed 03-01, closed 05-30: 90); the time of day does not matter",
        example: "days(filed_on, closed_on) <= 90",
        eval: days,
        sql: sql::days,
    },
    Func {
        name: "date",
        args: &[Arg::Day],
        gives: Gives::Date,
        doc: "the date of a datetime",
        example: "date(sent_at) = period.end",
        eval: date,
        sql: sql::date,
    },
    Func {
        name: "add_days",
        args: &[Arg::Day, Arg::Num],
        gives: Gives::Date,
        doc: "the date so many days later (earlier when negative)",
        example: "closed_on <= add_days(filed_on, 90)",
        eval: add_days,
        sql: sql::add_days,
    },
    Func {
        name: "add_months",
        args: &[Arg::Day, Arg::Num],
        gives: Gives::Date,
        doc: "the date so many months later (earlier when negative); the 31st becomes the month's last day",
        example: "filed_on < add_months(period.end, -12)",
        eval: add_months,
        sql: sql::add_months,
    },
    Func {
        name: "year_start",
        args: &[Arg::Day],
        gives: Gives::Date,
        doc: "1 January of the date's year (the year to date starts there)",
        example: "filed_on >= year_start(period.end)",
        eval: year_start,
        sql: sql::year_start,
    },
    Func {
        name: "month_start",
        args: &[Arg::Day],
        gives: Gives::Date,
        doc: "the first day of the date's month",
        example: "closed_on >= month_start(period.end)",
        eval: month_start,
        sql: sql::month_start,
    },
    Func {
        name: "year",
        args: &[Arg::Day],
        gives: Gives::Num,
        doc: "the year of a date",
        example: "year(filed_on) = 2024",
        eval: year,
        sql: sql::year,
    },
    Func {
        name: "month",
        args: &[Arg::Day],
        gives: Gives::Num,
        doc: "the month of a date, 1 to 12",
        example: "month(closed_on) = 12",
        eval: month,
        sql: sql::month,
    },
    Func {
        name: "contains",
        args: &[Arg::Text, Arg::Text],
        gives: Gives::Bool,
        doc: "the text holds the other text",
        example: "contains(case_id, \"民初\")",
        eval: contains,
        sql: sql::contains,
    },
    Func {
        name: "starts_with",
        args: &[Arg::Text, Arg::Text],
        gives: Gives::Bool,
        doc: "the text begins with the other text",
        example: "starts_with(case_id, \"(2024)\")",
        eval: starts_with,
        sql: sql::starts_with,
    },
    Func {
        name: "ends_with",
        args: &[Arg::Text, Arg::Text],
        gives: Gives::Bool,
        doc: "the text ends with the other text",
        example: "ends_with(case_id, \"执恢\")",
        eval: ends_with,
        sql: sql::ends_with,
    },
];

/// The function called `name`.
pub fn lookup(name: &str) -> Option<FuncId> {
    FUNCS.iter().position(|f| f.name == name)
}

/// Whether a value of this kind can be passed where `arg` is expected.
pub fn accepts(arg: Arg, ty: crate::ir::Ty) -> bool {
    use crate::ir::Ty;
    match arg {
        Arg::Text => ty == Ty::Text,
        Arg::Num => ty == Ty::Num,
        Arg::Day => matches!(ty, Ty::Date | Ty::DateTime),
        Arg::DateTime => ty == Ty::DateTime,
    }
}

fn hours(a: &[Value<'_>]) -> Value<'static> {
    match (a[0], a[1]) {
        (Value::DateTime(x), Value::DateTime(y)) => Value::Num((y - x) as f64 / 3600.0),
        _ => Value::Null,
    }
}

fn days(a: &[Value<'_>]) -> Value<'static> {
    match (a[0].day(), a[1].day()) {
        (Some(x), Some(y)) => Value::Num(f64::from(y - x)),
        _ => Value::Null,
    }
}

fn date(a: &[Value<'_>]) -> Value<'static> {
    a[0].day().map_or(Value::Null, Value::Date)
}

/// A whole number of days or months, within what a date can move.
fn whole(v: Value<'_>) -> Option<i32> {
    let n = v.num()?;
    (n.fract() == 0.0 && n.abs() < 1e6).then_some(n as i32)
}

fn add_days(a: &[Value<'_>]) -> Value<'static> {
    match (a[0].day(), whole(a[1])) {
        (Some(d), Some(n)) => Value::Date(d + n),
        _ => Value::Null,
    }
}

/// `day` moved by `n` months, the day of the month kept where the month has
/// it, else the month's last day.
pub fn shift_months(day: Day, n: i32) -> Option<Day> {
    use chrono::Months;
    let d = date_of(day);
    let moved = if n >= 0 {
        d.checked_add_months(Months::new(n as u32))
    } else {
        d.checked_sub_months(Months::new(n.unsigned_abs()))
    }?;
    Some(day_of(moved))
}

fn add_months(a: &[Value<'_>]) -> Value<'static> {
    match (a[0].day(), whole(a[1])) {
        (Some(d), Some(n)) => shift_months(d, n).map_or(Value::Null, Value::Date),
        _ => Value::Null,
    }
}

fn year_start(a: &[Value<'_>]) -> Value<'static> {
    use chrono::{Datelike, NaiveDate};
    a[0].day()
        .and_then(|d| NaiveDate::from_ymd_opt(date_of(d).year(), 1, 1))
        .map_or(Value::Null, |x| Value::Date(day_of(x)))
}

fn month_start(a: &[Value<'_>]) -> Value<'static> {
    use chrono::Datelike;
    a[0].day()
        .and_then(|d| date_of(d).with_day(1))
        .map_or(Value::Null, |x| Value::Date(day_of(x)))
}

fn year(a: &[Value<'_>]) -> Value<'static> {
    use chrono::Datelike;
    a[0].day()
        .map_or(Value::Null, |d| Value::Num(f64::from(date_of(d).year())))
}

fn month(a: &[Value<'_>]) -> Value<'static> {
    use chrono::Datelike;
    a[0].day()
        .map_or(Value::Null, |d| Value::Num(f64::from(date_of(d).month())))
}

fn text_test(a: &[Value<'_>], f: fn(&str, &str) -> bool) -> Value<'static> {
    match (a[0], a[1]) {
        (Value::Str(x), Value::Str(y)) => Value::Bool(f(x, y)),
        _ => Value::Null,
    }
}

fn contains(a: &[Value<'_>]) -> Value<'static> {
    text_test(a, |x, y| x.contains(y))
}

fn starts_with(a: &[Value<'_>]) -> Value<'static> {
    text_test(a, |x, y| x.starts_with(y))
}

fn ends_with(a: &[Value<'_>]) -> Value<'static> {
    text_test(a, |x, y| x.ends_with(y))
}

/// Each function as SQL. A number of days or months must be whole and
/// within what a date can move, as `eval`'s `whole`.
mod sql {
    use super::Spelling;

    fn whole(n: &str) -> String {
        format!("{n} = FLOOR({n}) AND ABS({n}) < 1000000")
    }

    pub(super) fn hours(s: &dyn Spelling, a: &[String]) -> String {
        s.hours(&a[0], &a[1])
    }
    pub(super) fn days(s: &dyn Spelling, a: &[String]) -> String {
        s.days(&a[0], &a[1])
    }
    pub(super) fn date(_: &dyn Spelling, a: &[String]) -> String {
        a[0].clone()
    }
    pub(super) fn add_days(_: &dyn Spelling, a: &[String]) -> String {
        let (d, n) = (&a[0], &a[1]);
        format!("CASE WHEN {} THEN {d} + CAST({n} AS INTEGER) END", whole(n))
    }
    pub(super) fn add_months(s: &dyn Spelling, a: &[String]) -> String {
        let (d, n) = (&a[0], &a[1]);
        format!("CASE WHEN {} THEN {} END", whole(n), s.add_months(d, n))
    }
    pub(super) fn year_start(_: &dyn Spelling, a: &[String]) -> String {
        format!("CAST(date_trunc('year', {}) AS DATE)", a[0])
    }
    pub(super) fn month_start(_: &dyn Spelling, a: &[String]) -> String {
        format!("CAST(date_trunc('month', {}) AS DATE)", a[0])
    }
    pub(super) fn year(s: &dyn Spelling, a: &[String]) -> String {
        format!("CAST(EXTRACT(YEAR FROM {}) AS {})", a[0], s.number_type())
    }
    pub(super) fn month(s: &dyn Spelling, a: &[String]) -> String {
        format!("CAST(EXTRACT(MONTH FROM {}) AS {})", a[0], s.number_type())
    }
    pub(super) fn contains(s: &dyn Spelling, a: &[String]) -> String {
        s.contains(&a[0], &a[1])
    }
    pub(super) fn starts_with(_: &dyn Spelling, a: &[String]) -> String {
        let (a, b) = (&a[0], &a[1]);
        format!("(substr({a}, 1, length({b})) = {b})")
    }
    pub(super) fn ends_with(_: &dyn Spelling, a: &[String]) -> String {
        let (a, b) = (&a[0], &a[1]);
        format!("(right({a}, length({b})) = {b})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::parse_date;

    fn d(s: &str) -> Value<'static> {
        Value::Date(parse_date(s).expect("date"))
    }

    fn call(name: &str, args: &[Value<'_>]) -> Value<'static> {
        (FUNCS[lookup(name).expect("known")].eval)(args)
    }

    #[test]
    fn days_do_not_count_the_first_day() {
        let n = call("days", &[d("2024-03-01"), d("2024-05-30")]);
        assert!(matches!(n, Value::Num(x) if x == 90.0));
        let dt = crate::value::parse_datetime("2024-05-30 16:00").expect("datetime");
        let n = call("days", &[d("2024-03-01"), Value::DateTime(dt)]);
        assert!(
            matches!(n, Value::Num(x) if x == 90.0),
            "the time does not count"
        );
        assert!(call("days", &[d("2024-03-01"), Value::Null]).is_null());
    }

    #[test]
    fn months_keep_the_day_or_take_the_last() {
        let m = call("add_months", &[d("2024-03-31"), Value::Num(-1.0)]);
        assert!(matches!(m, Value::Date(x) if x == parse_date("2024-02-29").expect("d")));
        let m = call("add_months", &[d("2024-12-31"), Value::Num(-12.0)]);
        assert!(matches!(m, Value::Date(x) if x == parse_date("2023-12-31").expect("d")));
        assert!(call("add_months", &[d("2024-12-31"), Value::Num(0.5)]).is_null());
    }

    #[test]
    fn starts_of_years_and_months() {
        let y = call("year_start", &[d("2024-06-30")]);
        assert!(matches!(y, Value::Date(x) if x == parse_date("2024-01-01").expect("d")));
        let m = call("month_start", &[d("2024-02-29")]);
        assert!(matches!(m, Value::Date(x) if x == parse_date("2024-02-01").expect("d")));
    }

    #[test]
    fn text_tests() {
        let id = Value::Str("(2024)沪0114民初696号");
        assert!(call("contains", &[id, Value::Str("民初")]).truthy());
        assert!(call("starts_with", &[id, Value::Str("(2024)")]).truthy());
        assert!(!call("ends_with", &[id, Value::Str("民初")]).truthy());
        assert!(call("contains", &[Value::Null, Value::Str("x")]).is_null());
    }

    #[test]
    fn names_are_unique() {
        for (i, f) in FUNCS.iter().enumerate() {
            assert_eq!(lookup(f.name), Some(i), "{}", f.name);
        }
    }
}
