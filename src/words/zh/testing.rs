//! `zhibiao test` 与 `zhibiao coverage` 的中文说法。

use crate::testing::{Failed, Part, RowFault};
use crate::words::Lang;
use crate::words::testing::{RuleState, TestSaid};

/// A value after 应为 / 实为: a number after a space, else 无法计算.
fn value(v: Option<f64>) -> String {
    v.map_or("无法计算".into(), |v| format!(" {v}"))
}

fn met(m: Option<bool>) -> &'static str {
    match m {
        Some(true) => "达标",
        Some(false) => "未达标",
        None => "无法判断",
    }
}

fn row_fault(f: &RowFault) -> String {
    match f {
        RowFault::UnknownTable {
            table,
            similar,
            tables,
        } => match similar {
            Some(s) => format!("没有表 `{table}`；是否要用 `{s}`？"),
            None => format!("没有表 `{table}`；现有的表：{}", tables.join("、")),
        },
        RowFault::UnknownColumn {
            table,
            row,
            column,
            similar,
        } => format!(
            "`{table}` 第 {row} 行：没有列 `{column}`{}",
            similar
                .as_ref()
                .map(|s| format!("；是否要用 `{s}`？"))
                .unwrap_or_default()
        ),
        RowFault::Io { error: io } => format!("无法写入（{}）", Lang::Zh.io(io)),
    }
}

pub(in crate::words) fn failed(f: &Failed) -> String {
    match f {
        Failed::NoPeriod => "测试未写统计期 `period`（或 `from` 和 `to`）".into(),
        Failed::BadPeriod { error } => Lang::Zh.period_error(error).0,
        Failed::BadRows { fault } => format!("测试数据有误：{}", row_fault(fault)),
        Failed::BadData { errors } => format!(
            "测试数据有误：{}",
            errors
                .iter()
                .map(|d| format!(
                    "{}（表文件 {}，第 {} 行）",
                    d.message(crate::words::Lang::Zh),
                    d.file.rsplit('/').next().unwrap_or(""),
                    d.line
                ))
                .collect::<Vec<_>>()
                .join("；")
        ),
        Failed::UnknownIndicator { indicator } => format!("没有指标 `{indicator}`"),
        Failed::NoPer { indicator, value } => {
            format!("{indicator} 没有 `per` 分组，无从查找 `{value}`")
        }
        Failed::NoFigure {
            indicator,
            who,
            have,
        } => format!(
            "{indicator} 没有 `{who}` 的数值（现有：{}）",
            have.join("、")
        ),
        Failed::Count {
            part,
            indicator,
            who,
            want,
            got,
        } => format!(
            "{indicator} {who}：{}应为 {want}，实为 {}",
            match part {
                Part::Numerator => "分子",
                Part::Denominator => "分母",
            },
            got.map_or("无".into(), |v| v.to_string())
        ),
        Failed::Value {
            indicator,
            who,
            want,
            got,
            undefined,
        } => format!(
            "{indicator} {who}：值应为{}，实为{}",
            value(*want),
            match got {
                Some(v) => format!(" {v:.4}"),
                None => format!(
                    "无法计算（{}）",
                    undefined
                        .as_ref()
                        .map(|u| crate::words::Lang::Zh.undefined(u))
                        .unwrap_or_default()
                ),
            }
        ),
        Failed::Met {
            indicator,
            who,
            want,
            got,
        } => format!("{indicator} {who}：应为{}，实为{}", met(*want), met(*got)),
        Failed::RecordName { record } => format!("`{record}`：记录应写作 `表:主键`"),
        Failed::NoOutcome {
            record,
            indicator,
            table,
        } => format!(
            "{record}：{indicator} 没有这条记录的结果（数据中有这条记录吗？{indicator} 读取 `{table}` 吗？）"
        ),
        Failed::Outcome {
            record,
            indicator,
            want,
            got,
        } => format!(
            "{record} {indicator}：应为 `{want}`，实为 `{}`",
            got.join("`、`")
        ),
    }
}

pub(in crate::words) fn said(s: &TestSaid) -> String {
    match s {
        TestSaid::Ok => "通过".into(),
        TestSaid::Fail => "失败".into(),
        TestSaid::Summary { passed, failed } => {
            format!("通过 {passed} 项，失败 {failed} 项")
        }
        TestSaid::Coverage {
            percent,
            covered,
            rules,
        } => format!(
            "规则覆盖率：{percent:.1}%（{rules} 条规则中有 {covered} 条既拦下过、也放行过记录）"
        ),
        TestSaid::CoverageShort { percent, missing } => {
            if *missing > 0 {
                format!(
                    "规则覆盖率：{percent:.1}%（{missing} 条规则未覆盖；加 `--coverage` 可列出）"
                )
            } else {
                format!("规则覆盖率：{percent:.1}%")
            }
        }
        TestSaid::BelowMinCoverage { percent, min } => {
            format!("错误：规则覆盖率 {percent:.1}% 低于 `--min-coverage {min}`")
        }
        TestSaid::BadMinCoverage { min } => {
            format!("错误：`--min-coverage {min}`：应为 0 到 100 之间的百分比")
        }
        TestSaid::NoTestFiles { paths } => format!(
            "错误：{} 中没有测试文件（`*.yaml`）",
            paths
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join("、")
        ),
        TestSaid::Wrote { count, dir } => {
            format!("已将 {count} 个测试用例的数据写到 {dir} 下")
        }
        TestSaid::CaseNotWritten {
            file,
            name,
            failed: f,
        } => {
            format!("错误：{file} — {name}：{}", failed(f))
        }
        TestSaid::NeverFired { data, period } => {
            format!("在 {data} 的统计期 {period} 内从未生效的规则：")
        }
        TestSaid::NoneNeverFired => "  无：每个条件和剔除规则都至少拦下过一条记录".into(),
        TestSaid::NeverFiredRule {
            indicator,
            kind,
            text,
            at,
            passed,
        } => format!(
            "  {indicator} {kind} `{text}` [{at}]：放行 {passed} 条记录，未拦下任何记录（是否写错了值？）"
        ),
    }
}

pub(in crate::words) fn rule_state(r: RuleState) -> &'static str {
    match r {
        RuleState::Covered => "已覆盖",
        RuleState::NeverPassed => "从未放行",
        RuleState::NeverHit => "从未拦下",
        RuleState::NeverReached => "从未用到",
    }
}
