//! 中文词表（术语见 docs/glossary.md）。

use crate::eval::why::{Back, Note, Operand, Undefined};
use crate::ir::Prior;
use crate::vocab::AggFn;

fn prior(p: Prior) -> &'static str {
    match p {
        Prior::Previous => "上期",
        Prior::LastYear => "去年同期",
    }
}

fn when(w: &Option<Back>) -> String {
    w.as_ref()
        .map(|b| format!("（{} {}）", prior(b.prior), b.period))
        .unwrap_or_default()
}

fn func(f: AggFn) -> &'static str {
    match f {
        AggFn::Sum => "合计",
        AggFn::Avg => "平均值",
        AggFn::Median => "中位数",
        AggFn::Min => "最小值",
        AggFn::Max => "最大值",
    }
}

pub(super) fn undefined(u: &Undefined) -> String {
    match u {
        Undefined::NoRecords => "分母为 0（无记录）".into(),
        Undefined::LookupEmpty { table, name } => {
            format!("匹配的 `{table}` 记录中 `{name}` 为空")
        }
        Undefined::LookupNone {
            table,
            filter,
            start,
            end,
        } => format!("统计期 {start} 至 {end} 内没有符合 `{filter}` 的 `{table}` 记录"),
        Undefined::LookupMany {
            table,
            filter,
            rows,
        } => format!("有 {rows} 条 `{table}` 记录符合 `{filter}`，应只有 1 条"),
        Undefined::NoValues { name, func: f } => {
            format!("没有记录有 `{name}` 的值（无从计算{}）", func(*f))
        }
        Undefined::NotFinite => "公式结果不是有限数值".into(),
        Undefined::NoFormulaRecords { department } => {
            format!("{department}没有公式所需的记录")
        }
        Undefined::Indicator {
            code,
            when: w,
            reason,
        } => format!("`{code}`{}无法计算：{}", when(w), undefined(reason)),
        Undefined::NoFigure {
            code,
            when: w,
            department,
        } => format!("`{code}`{}在{department}没有记录", when(w)),
        Undefined::PriorNotEvaluated { code, prior: p } => format!(
            "此处未计算 `{code}` 的{}数值（其他统计期的公式不再向前追溯）",
            prior(*p)
        ),
        Undefined::ZeroDivisor { divisor } => match divisor {
            Operand::Measure(n) | Operand::Indicator(n) => format!("`{n}` 为 0"),
            Operand::Expression => "除数为 0".into(),
        },
        Undefined::NoTerms => "没有可合计的项".into(),
        Undefined::NoArguments => "没有参数".into(),
    }
}

pub(super) fn note(n: &Note) -> String {
    match n {
        Note::StandsIn { value, reason } => format!(
            "以 {} 代替：{}",
            crate::eval::fmt_target(*value),
            undefined(reason)
        ),
        Note::LeftOutOfSum { reason } => format!("未计入合计：{}", undefined(reason)),
    }
}
