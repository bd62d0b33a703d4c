//! The words a bulletin prints, in one place: headings, column names, marks
//! and how a value, a target or a change is written. Renderers take every
//! text from here, so a catalogue for another language is one more table.

use super::{Change, Status};
use crate::eval::{COURT, TargetResult, fmt_target};
use crate::vocab::Unit;

pub const BULLETIN: &str = "周通报";
pub const DOCUMENT: &str = "依据";
pub const VERSION: &str = "版本";
pub const PERIOD: &str = "统计期";
pub const DATA_AS_OF: &str = "数据截至";
pub const OVERVIEW: &str = "总览";
pub const INDICATORS: &str = "分项指标";
pub const TREND: &str = "趋势";
pub const BELOW: &str = "未达标";
pub const TO_FIX: &str = "待整改清单";
pub const DEPARTMENT: &str = "部门";
pub const INDICATOR: &str = "指标";
pub const VALUE: &str = "数值";
pub const NUMERATOR: &str = "分子";
pub const DENOMINATOR: &str = "分母";
pub const TARGET: &str = "目标";
pub const STATUS: &str = "达标情况";
pub const CHANGE: &str = "环比";
pub const YEAR_CHANGE: &str = "同比";
pub const RANK: &str = "排名";
pub const PUSH: &str = "关联指标";
pub const TABLE: &str = "表";
pub const KEY: &str = "记录";
pub const LINE: &str = "行";
pub const REASON: &str = "原因";
pub const RULE: &str = "规则";
pub const CORE: &str = "核心指标";
pub const WARNINGS: &str = "提示";
pub const NONE_BELOW: &str = "本期各部门均达到目标。";
pub const LEGEND: &str = "✓ 达标　▼ 低于目标　▲ 超出限值　· 无法计算　空白：无目标";
pub const NOT_RANKED: &str = "各部门按政策文件顺序排列，不作排名。";
pub const RANKED: &str = "各部门按本期数值排名。";

/// The court as a bulletin names it.
pub fn dept(d: &str) -> &str {
    if d == COURT { "全院" } else { d }
}

/// The mark a status carries beside its colour (read in black and white too).
pub fn mark(s: Status) -> &'static str {
    match s {
        Status::Met => "✓",
        Status::Below => "▼",
        Status::Above => "▲",
        Status::Undefined => "·",
        Status::NoTarget => "",
    }
}

pub fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "达标",
        Status::Below => "未达标",
        Status::Above => "超出限值",
        Status::Undefined => "无法计算",
        Status::NoTarget => "无目标",
    }
}

/// A value with its unit, `—` when undefined.
pub fn value(unit: Unit, v: Option<f64>) -> String {
    crate::render::value_text(unit, v)
}

/// A target as a reader writes it: `≥ 60%`, `≤ 3`, `95%–105%`, with 原则上.
pub fn target(unit: Unit, t: &TargetResult) -> String {
    let n = |x: f64| match unit {
        Unit::Percent => format!("{}%", fmt_target(x)),
        _ => fmt_target(x),
    };
    let bound = match (t.op.as_str(), t.upper) {
        (_, Some(hi)) => format!("{}–{}", n(t.value), n(hi)),
        (">=", _) => format!("≥ {}", n(t.value)),
        ("<=", _) => format!("≤ {}", n(t.value)),
        (">", _) => format!("> {}", n(t.value)),
        ("<", _) => format!("< {}", n(t.value)),
        (_, _) => format!("= {}", n(t.value)),
    };
    if t.principle {
        format!("{bound}（原则上）")
    } else {
        bound
    }
}

/// A change: `+1.25 个百分点` for a rate, `-3.4%` otherwise, `—` when none.
pub fn change(c: Option<Change>) -> String {
    match c {
        None => "—".to_string(),
        Some(c) if c.points => format!("{:+.2} 个百分点", c.delta),
        Some(c) => format!("{:+.1}%", c.delta),
    }
}

/// What the records of a list did.
pub fn outcome(o: crate::eval::Outcome) -> &'static str {
    match o {
        crate::eval::Outcome::Denominator => "计入分母、未计入分子",
        crate::eval::Outcome::Numerator => "计入分子",
        _ => "",
    }
}
