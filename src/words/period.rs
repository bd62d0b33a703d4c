//! What is wrong with a period given, in the language asked.

use super::Lang;
use crate::period::{PeriodError, PeriodWhy};

impl Lang {
    /// The `error:` and `help:` lines the command prints.
    pub fn period_fault(self, e: &PeriodError) -> String {
        let (message, help) = self.period_error(e);
        self.error_lines(&message, Some(&help))
    }

    /// The message and the help (the forms a period is written in).
    pub fn period_error(self, e: &PeriodError) -> (String, String) {
        match self {
            Lang::Zh => (
                format!(
                    "`{}` 不是统计期{}",
                    e.given,
                    e.why.as_ref().map(zh).map(|w| format!("：{w}")).unwrap_or_default()
                ),
                "可写月 `2022-06`、季度 `2022-Q2`、ISO 周 `2022-W23`、半年 `2022-H1` 或 `2022-H2`（`2022上半年`、`2022年下半年`）、年 `2022`、年初至今 `2022-06-YTD`（`2022年1-6月`；也可 `2022-Q2-YTD`、`2022-W23-YTD`、`2022-H1-YTD`）、日期区间 `2022-06-01..2022-06-30`，或 `--from 2022-06-01 --to 2022-06-30`".into(),
            ),
            Lang::En => (
                format!(
                    "`{}` is not a period{}",
                    e.given,
                    e.why.as_ref().map(en).map(|w| format!(": {w}")).unwrap_or_default()
                ),
                "write a month `2022-06`, a quarter `2022-Q2`, an ISO week `2022-W23`, a half-year `2022-H1` or `2022-H2` (`2022上半年`, `2022年下半年`), a year `2022`, a year to date `2022-06-YTD` (`2022年1-6月`; also `2022-Q2-YTD`, `2022-W23-YTD`, `2022-H1-YTD`), days `2022-06-01..2022-06-30`, or `--from 2022-06-01 --to 2022-06-30`".into(),
            ),
        }
    }
}

fn en(w: &PeriodWhy) -> String {
    match w {
        PeriodWhy::Quarters => "a year has four quarters, Q1 to Q4".into(),
        PeriodWhy::Weeks { year, weeks } => format!("{year} has {weeks} ISO weeks"),
        PeriodWhy::Halves => "a year has two halves, H1 and H2".into(),
        PeriodWhy::Months => "the months are 1 to 12".into(),
        PeriodWhy::YtdNamesUnit { year } => format!(
            "a year to date names the month, quarter, week or half it runs to, as `{year}-06-YTD`"
        ),
        PeriodWhy::NotYtd {
            from,
            to,
            year,
            last_day,
        } => format!(
            "months from {from} to {to} are not a year to date; write `--from {year:04}-{from:02}-01 --to {last_day}`"
        ),
        PeriodWhy::NoSuchDay => "no such day".into(),
        PeriodWhy::DayForm => "write the day as YYYY-MM-DD".into(),
        PeriodWhy::EndsBeforeStart => "it ends before it starts".into(),
    }
}

fn zh(w: &PeriodWhy) -> String {
    match w {
        PeriodWhy::Quarters => "一年有四个季度，Q1 至 Q4".into(),
        PeriodWhy::Weeks { year, weeks } => format!("{year} 年有 {weeks} 个 ISO 周"),
        PeriodWhy::Halves => "一年分上下两个半年，H1 和 H2".into(),
        PeriodWhy::Months => "月份为 1 至 12".into(),
        PeriodWhy::YtdNamesUnit { year } => {
            format!("年初至今须写明截至的月、季度、周或半年，如 `{year}-06-YTD`")
        }
        PeriodWhy::NotYtd {
            from,
            to,
            year,
            last_day,
        } => format!(
            "{from} 月至 {to} 月不是年初至今；请写 `--from {year:04}-{from:02}-01 --to {last_day}`"
        ),
        PeriodWhy::NoSuchDay => "没有这一天".into(),
        PeriodWhy::DayForm => "日期请写作 `YYYY-MM-DD`".into(),
        PeriodWhy::EndsBeforeStart => "结束日早于开始日".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;

    #[test]
    fn every_period_error_has_both_texts() {
        let whys = [
            PeriodWhy::Quarters,
            PeriodWhy::Weeks {
                year: 2022,
                weeks: 52,
            },
            PeriodWhy::Halves,
            PeriodWhy::Months,
            PeriodWhy::YtdNamesUnit { year: 2022 },
            PeriodWhy::NotYtd {
                from: 3,
                to: 6,
                year: 2022,
                last_day: "2022-06-30".into(),
            },
            PeriodWhy::NoSuchDay,
            PeriodWhy::DayForm,
            PeriodWhy::EndsBeforeStart,
        ];
        for w in whys {
            let z = zh(&w);
            let own: String = z.split('`').step_by(2).collect();
            assert!(han(&own), "{z}");
            assert!(
                !own.split(|c: char| !c.is_ascii_alphabetic())
                    .any(|x| x.len() > 1 && x != "ISO"),
                "{z}"
            );
            assert!(!han(&en(&w)), "{}", en(&w));
        }
    }
}
