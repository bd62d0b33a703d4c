//! Reporting periods: whole days, inclusive.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::value::{Day, day_of, fmt_day};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// As given: `2022-06`, `2022-Q2`, `2022-W23`, `2022`, or `FROM..TO`.
    pub label: String,
    #[serde(serialize_with = "ser_day")]
    pub start: Day,
    #[serde(serialize_with = "ser_day")]
    pub end: Day,
}

fn ser_day<S: serde::Serializer>(d: &Day, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_day(*d))
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{given}` is not a period{reason}")]
#[diagnostic(
    code(zhibiao::period),
    help(
        "write a month `2022-06`, a quarter `2022-Q2`, an ISO week `2022-W23`, a year `2022`, or `--from 2022-06-01 --to 2022-06-30`"
    )
)]
pub struct PeriodError {
    pub given: String,
    /// Why, when more can be said than the forms (`: 2022 has 52 ISO weeks`).
    pub reason: String,
}

impl Period {
    pub fn days(start: NaiveDate, end: NaiveDate, label: String) -> Period {
        Period {
            label,
            start: day_of(start),
            end: day_of(end),
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

    /// Parse `2022-06`, `2022-Q2`, `2022-W23` or `2022`.
    pub fn parse(s: &str) -> Result<Period, PeriodError> {
        let err = || PeriodError {
            given: s.to_string(),
            reason: String::new(),
        };
        let t = s.trim();
        let year = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
        };
        let (start, end) = if let Some(y) = year(t) {
            (
                NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(err)?,
                NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(err)?,
            )
        } else {
            let (y, rest) = t.split_once('-').ok_or_else(err)?;
            let y = year(y).ok_or_else(err)?;
            if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                let q: u32 = q.parse().map_err(|_| err())?;
                if !(1..=4).contains(&q) {
                    return Err(err());
                }
                let start = NaiveDate::from_ymd_opt(y, 3 * q - 2, 1).ok_or_else(err)?;
                (start, month_end(y, 3 * q).ok_or_else(err)?)
            } else if let Some(w) = rest.strip_prefix('W').or_else(|| rest.strip_prefix('w')) {
                let w: u32 = w.parse().map_err(|_| err())?;
                let weeks = NaiveDate::from_ymd_opt(y, 12, 28).map_or(52, |d| d.iso_week().week());
                if w == 0 || w > weeks {
                    return Err(PeriodError {
                        given: s.to_string(),
                        reason: format!(": {y} has {weeks} ISO weeks"),
                    });
                }
                let start = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon).ok_or_else(err)?;
                let end = NaiveDate::from_isoywd_opt(y, w, Weekday::Sun).ok_or_else(err)?;
                (start, end)
            } else {
                if rest.len() != 2 {
                    return Err(err());
                }
                let m: u32 = rest.parse().map_err(|_| err())?;
                (
                    NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(err)?,
                    month_end(y, m).ok_or_else(err)?,
                )
            }
        };
        Ok(Period::days(start, end, t.to_string()))
    }

    /// `--from A --to B`.
    pub fn range(from: &str, to: &str) -> Result<Period, PeriodError> {
        let parse = |x: &str| {
            NaiveDate::parse_from_str(x.trim(), "%Y-%m-%d").map_err(|_| PeriodError {
                given: x.to_string(),
                reason: if crate::value::parse_date(x.trim()).is_none() && x.trim().len() == 10 {
                    ": no such day".into()
                } else {
                    ": write the day as YYYY-MM-DD".into()
                },
            })
        };
        let (a, b) = (parse(from)?, parse(to)?);
        if b < a {
            return Err(PeriodError {
                given: format!("{from}..{to}"),
                reason: ": it ends before it starts".into(),
            });
        }
        Ok(Period::days(a, b, format!("{from}..{to}")))
    }
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
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
}
