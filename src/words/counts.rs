//! Counts read back from an engine, and the database they came from, in the
//! language asked.

use super::{Lang, quoted};
use crate::figures::rows::{CountsError, CountsProblem};

impl Lang {
    /// What is wrong with rows of counts (without where).
    pub fn counts_problem(self, p: &CountsProblem) -> String {
        use CountsProblem as P;
        let zh = self == Lang::Zh;
        match p {
            P::Unreadable { why } if zh => format!("无法读取：{why}"),
            P::Unreadable { why } => format!("cannot be read: {why}"),
            P::NotRows { why } if zh => {
                format!("不是计数行（带表头的 CSV、JSON 对象数组或每行一个 JSON 对象）：{why}")
            }
            P::NotRows { why } => format!(
                "not rows of counts (CSV with a header, a JSON array of objects, or one JSON object per line): {why}"
            ),
            P::MissingColumns { columns } if zh => {
                format!("缺少列 {}", quoted(columns, "、"))
            }
            P::MissingColumns { columns } => {
                format!("missing column(s) {}", quoted(columns, ", "))
            }
            P::Empty { column } if zh => format!("`{column}` 为空"),
            P::Empty { column } => format!("`{column}` is empty"),
            P::UnknownIndicator { indicator, close } => match (zh, close) {
                (true, Some(c)) => format!("政策中没有指标 `{indicator}`（是否为 `{c}`？）"),
                (true, None) => format!("政策中没有指标 `{indicator}`"),
                (false, Some(c)) => {
                    format!("the policy has no indicator `{indicator}` (did you mean `{c}`?)")
                }
                (false, None) => format!("the policy has no indicator `{indicator}`"),
            },
            P::WrongKind {
                indicator,
                expected,
                found,
            } if zh => format!(
                "`{indicator}` 在此政策中为 `{expected}`，该行为 `{found}`：这些计数不是按本版本政策生成的"
            ),
            P::WrongKind {
                indicator,
                expected,
                found,
            } => format!(
                "`{indicator}` is `{expected}` in this policy, the row `{found}`: the counts are not of this version of the policy"
            ),
            P::UnknownPart {
                indicator,
                part,
                parts,
            } if zh => format!(
                "`{indicator}` 没有部分 `{part}`（有：{}）",
                quoted(parts, "、")
            ),
            P::UnknownPart {
                indicator,
                part,
                parts,
            } => format!(
                "`{indicator}` has no part `{part}` (it has {})",
                quoted(parts, ", ")
            ),
            P::UnknownGrain { grain } if zh => {
                format!("`grain` 为 `{grain}`，应为 `department`、`court` 或 `per`")
            }
            P::UnknownGrain { grain } => {
                format!("`grain` is `{grain}`; expected `department`, `court` or `per`")
            }
            P::NotCount { column, value } if zh => {
                format!("`{column}` 为 `{value}`，应为不小于 0 的整数")
            }
            P::NotCount { column, value } => {
                format!("`{column}` is `{value}`; expected a whole number of 0 or more")
            }
            P::NotNumber { column, value } if zh => format!("`{column}` 为 `{value}`，应为数值"),
            P::NotNumber { column, value } => {
                format!("`{column}` is `{value}`; expected a number")
            }
            P::NotDay { column, value } if zh => {
                format!("`{column}` 为 `{value}`，应为日期（2022-06-01）")
            }
            P::NotDay { column, value } => {
                format!("`{column}` is `{value}`; expected a day (2022-06-01)")
            }
            P::OtherPeriod { start, end, asked } if zh => format!(
                "该行属于统计期 {start} 至 {end}，既不是所求的 {asked}，也不是公式读取的其他统计期"
            ),
            P::OtherPeriod { start, end, asked } => format!(
                "the row is of the period {start} – {end}: neither {asked}, asked for, nor a period a formula reads"
            ),
            P::Twice { first } if zh => format!("与第 {first} 行重复：同一计数给出两次"),
            P::Twice { first } => format!("the same count as row {first}, given twice"),
            P::NoRows { period } if zh => format!("没有统计期 {period} 的计数行"),
            P::NoRows { period } => format!("no rows of counts for the period {period}"),
        }
    }

    /// The fix for a problem with counts, when there is one.
    pub fn counts_help(self, p: &CountsProblem) -> Option<&'static str> {
        use CountsProblem as P;
        let zh = self == Lang::Zh;
        Some(match p {
            P::MissingColumns { .. } | P::NotRows { .. } if zh => {
                "计数行是 `zhibiao sql` 所生成查询的结果：原样保存其全部列"
            }
            P::MissingColumns { .. } | P::NotRows { .. } => {
                "counts are the rows of the query `zhibiao sql` writes: keep all its columns as they are"
            }
            P::WrongKind { .. } | P::UnknownPart { .. } | P::UnknownIndicator { .. } if zh => {
                "用所评估的同一版本政策重新生成查询：`zhibiao sql --period …`"
            }
            P::WrongKind { .. } | P::UnknownPart { .. } | P::UnknownIndicator { .. } => {
                "generate the query again from the version of the policy evaluated: `zhibiao sql --period …`"
            }
            P::OtherPeriod { .. } | P::NoRows { .. } if zh => {
                "`--period` 须与生成查询时的统计期一致"
            }
            P::OtherPeriod { .. } | P::NoRows { .. } => {
                "give `--period` the period the query was generated for"
            }
            _ => return None,
        })
    }

    /// A counts error with where: `counts.csv:7: …`.
    pub fn counts_error(self, e: &CountsError) -> String {
        let what = self.counts_problem(&e.problem);
        match e.at {
            0 => format!("{}: {what}", e.source),
            n => format!("{}:{n}: {what}", e.source),
        }
    }

    /// The `error:` and `help:` lines of a counts error.
    pub fn counts_fault(self, e: &CountsError) -> String {
        self.error_lines(&self.counts_error(e), self.counts_help(&e.problem))
    }

    /// Under the report's header: another engine counted the records.
    pub fn counted_by(self, source: &str) -> String {
        match self {
            Lang::Zh => format!("计数来自 `{source}`（由 `zhibiao sql` 生成的查询）"),
            Lang::En => format!("counted by `{source}` (the query `zhibiao sql` writes)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;

    #[test]
    fn every_counts_problem_has_both_texts() {
        let s = |x: &str| x.to_string();
        let all = [
            CountsProblem::Unreadable { why: s("x") },
            CountsProblem::NotRows { why: s("x") },
            CountsProblem::MissingColumns {
                columns: vec![s("grain")],
            },
            CountsProblem::Empty { column: s("kind") },
            CountsProblem::UnknownIndicator {
                indicator: s("HC44"),
                close: Some(s("HC4")),
            },
            CountsProblem::WrongKind {
                indicator: s("HC4"),
                expected: s("ratio"),
                found: s("sum"),
            },
            CountsProblem::UnknownPart {
                indicator: s("HC4"),
                part: s("3"),
                parts: vec![s("1")],
            },
            CountsProblem::UnknownGrain { grain: s("x") },
            CountsProblem::NotCount {
                column: s("numerator"),
                value: s("x"),
            },
            CountsProblem::NotNumber {
                column: s("measure"),
                value: s("x"),
            },
            CountsProblem::NotDay {
                column: s("period_start"),
                value: s("x"),
            },
            CountsProblem::OtherPeriod {
                start: s("2022-05-01"),
                end: s("2022-05-31"),
                asked: s("2022-06"),
            },
            CountsProblem::Twice { first: 3 },
            CountsProblem::NoRows {
                period: s("2022-06"),
            },
        ];
        for p in &all {
            assert!(han(&Lang::Zh.counts_problem(p)), "{p:?}");
            assert!(!han(&Lang::En.counts_problem(p)), "{p:?}");
            if let Some(h) = Lang::Zh.counts_help(p) {
                assert!(han(h));
            }
        }
    }
}
