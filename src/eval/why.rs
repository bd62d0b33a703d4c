//! Why a figure has no value, and what stood in for one: typed values with
//! the facts that decided, no words. [`crate::words`] renders them in the
//! user's language; JSON carries them as they are, under a stable `code`.

use serde::Serialize;

use crate::ir::Prior;
use crate::vocab::AggFn;

/// Why a figure is undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Undefined {
    /// A ratio's denominator counted no record.
    NoRecords,
    /// A lookup found its row, which has no value in the column.
    LookupEmpty { table: String, name: String },
    /// No row of the lookup's table matches for the period.
    LookupNone {
        table: String,
        filter: String,
        start: String,
        end: String,
    },
    /// More than one row matches a lookup that needs one.
    LookupMany {
        table: String,
        filter: String,
        rows: usize,
    },
    /// A `let` measure over no value (a sum, average … of nothing).
    NoValues { name: String, func: AggFn },
    /// The formula gives an infinite or not-a-number result.
    NotFinite,
    /// A department listed by the policy with no record for the formula's measures.
    NoFormulaRecords { department: String },
    /// Another indicator the formula reads is undefined.
    Indicator {
        code: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        when: Option<Back>,
        reason: Box<Undefined>,
    },
    /// Another indicator the formula reads has no figure for the department.
    NoFigure {
        code: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        when: Option<Back>,
        department: String,
    },
    /// `previous(X)` or `last_year(X)` where the periods before were not evaluated.
    PriorNotEvaluated { code: String, prior: Prior },
    /// A division by zero: by a measure, an indicator or an expression.
    ZeroDivisor { divisor: Operand },
    /// `sum_defined(…)` whose terms are all undefined, or has none.
    NoTerms,
    /// `min(…)` or `max(…)` of nothing.
    NoArguments,
}

/// The other period a formula read: which, and its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Back {
    pub prior: Prior,
    pub period: String,
}

/// What a formula divided by.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Operand {
    Measure(String),
    Indicator(String),
    Expression,
}

/// What a figure's reader should know of how its value came about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Note {
    /// `A or B`: A was undefined, B's value stands in.
    StandsIn { value: f64, reason: Undefined },
    /// `sum_defined(…)`: an undefined term was left out of the sum.
    LeftOutOfSum { reason: Undefined },
}

/// Why a record counted as it did for one indicator (its outcome's cause).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A rule's own `because "…"`, in the policy's words.
    Because { text: String },
    /// Its date column (`by`) falls outside the period.
    OutsidePeriod {
        column: String,
        period: String,
        start: String,
        end: String,
    },
    /// Its `when` condition does not hold in the period.
    WhenFalse { condition: String },
    /// A numerator's `require` does not hold: counted in the denominator only.
    NumeratorRequires { condition: String },
    /// A `require` does not hold: not counted.
    Requires { condition: String },
    /// An `exclude` holds.
    ExcludedBy { condition: String },
    /// A `let` measure's `where` condition does not hold.
    NoMatchingWhere,
}

impl Reason {
    /// Why rule `r` decided a record's outcome: its own `because`, else
    /// what it asks in the policy's text.
    pub fn of_rule(p: &crate::ir::Policy, r: &crate::ir::CRule) -> Reason {
        use crate::ir::RuleSide;
        use crate::vocab::RuleKind;
        let condition = p.text_of(r.cond.loc).to_string();
        match (r.kind, &r.because, r.side) {
            (_, Some(b), _) => Reason::Because { text: b.clone() },
            (RuleKind::Require, None, RuleSide::NumeratorOnly) => {
                Reason::NumeratorRequires { condition }
            }
            (RuleKind::Require, None, RuleSide::Both) => Reason::Requires { condition },
            (RuleKind::Exclude, None, _) => Reason::ExcludedBy { condition },
        }
    }

    /// A record whose `column` falls outside `period`.
    pub fn outside(column: String, period: &crate::period::Period) -> Reason {
        Reason::OutsidePeriod {
            column,
            period: period.label.clone(),
            start: crate::value::fmt_day(period.start),
            end: crate::value::fmt_day(period.end),
        }
    }
}

/// What would have let a record count, and what it holds now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhyNot {
    pub unless: Unless,
    /// The values it holds now (personal ones masked).
    pub now: Vec<crate::eval::Read>,
}

/// The change that would let a record count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "condition", rename_all = "snake_case")]
pub enum Unless {
    InScope,
    InPeriod,
    /// `condition` held.
    Held(String),
    /// `condition` did not hold.
    NotHeld(String),
}
