//! The words the syntax tree and the checked policy share: source spans,
//! comparison and arithmetic operators, and the kind of a rule. It sits below
//! both `syntax` and `ir`, so later stages name these without the syntax tree.

use std::fmt;

/// A byte range in one source file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    Require,
    Exclude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CmpOp {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl CmpOp {
    pub fn as_str(&self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub fn as_str(&self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

/// How a `let` measure folds the values of its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AggFn {
    Sum,
    Avg,
    Median,
    Min,
    Max,
}

impl AggFn {
    pub fn as_str(&self) -> &'static str {
        match self {
            AggFn::Sum => "sum",
            AggFn::Avg => "avg",
            AggFn::Median => "median",
            AggFn::Min => "min",
            AggFn::Max => "max",
        }
    }
    pub fn parse(s: &str) -> Option<AggFn> {
        Some(match s {
            "sum" => AggFn::Sum,
            "avg" => AggFn::Avg,
            "median" => AggFn::Median,
            "min" => AggFn::Min,
            "max" => AggFn::Max,
            _ => return None,
        })
    }
}

/// What an indicator's value is, and so how it prints and what a target
/// may say of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A rate in per cent (`71.94%`): the default.
    #[default]
    Percent,
    /// A plain ratio (结收比 `1.03`): numerator / denominator, not × 100.
    Ratio,
    /// A number of days (`71.6 天`).
    Days,
    /// A number of cases or records (`12 件`).
    Count,
    /// An amount of money (`1,234.50 元`).
    Amount,
    /// Per person (人均结案数 `35.2 件/人`).
    PerCapita,
    /// A change of a rate, in percentage points (`+1.2 个百分点`).
    Points,
}

impl Unit {
    pub fn as_str(&self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Ratio => "ratio",
            Unit::Days => "days",
            Unit::Count => "count",
            Unit::Amount => "amount",
            Unit::PerCapita => "per_capita",
            Unit::Points => "points",
        }
    }
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "percent" => Unit::Percent,
            "ratio" => Unit::Ratio,
            "days" => Unit::Days,
            "count" => Unit::Count,
            "amount" => Unit::Amount,
            "per_capita" => Unit::PerCapita,
            "points" => Unit::Points,
            _ => return None,
        })
    }
    /// The unit as a clerk names a value of it.
    pub fn noun(&self) -> &'static str {
        match self {
            Unit::Percent => "a percentage",
            Unit::Ratio => "a ratio",
            Unit::Days => "a number of days",
            Unit::Count => "a count",
            Unit::Amount => "an amount",
            Unit::PerCapita => "a per-capita figure",
            Unit::Points => "a change in points",
        }
    }
    /// What follows a value as printed: `%`, ` 天`, nothing for a ratio.
    pub fn suffix(&self) -> &'static str {
        match self {
            Unit::Percent => "%",
            Unit::Ratio => "",
            Unit::Days => " 天",
            Unit::Count => " 件",
            Unit::Amount => " 元",
            Unit::PerCapita => " 件/人",
            Unit::Points => " 个百分点",
        }
    }
    /// Decimals shown.
    pub fn decimals(&self) -> usize {
        match self {
            Unit::Count => 0,
            Unit::Days | Unit::PerCapita => 1,
            _ => 2,
        }
    }
    /// Whether a value can be below 0 (a change can; a count cannot).
    pub fn signed(&self) -> bool {
        matches!(self, Unit::Points)
    }
    /// A value with its unit: `71.94%`, `71.6 天`, `+1.20 个百分点`.
    pub fn show(&self, v: f64) -> String {
        let n = format!("{:.*}", self.decimals(), v);
        let n = if self.signed() && v > 0.0 {
            format!("+{n}")
        } else {
            n
        };
        format!("{n}{}", self.suffix())
    }
}
