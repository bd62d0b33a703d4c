//! The syntax tree of a policy file. Every node carries the [`Span`] of the
//! text it came from, so later stages can point at the policy file.

use std::fmt;

pub use crate::vocab::{AggFn, ArithOp, CmpOp, RuleKind, Span, Unit};

/// A name as written, with where it was written.
#[derive(Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} @{:?}", self.name, self.span)
    }
}

/// A string literal (quotes removed, escapes resolved).
#[derive(Clone, PartialEq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} @{:?}", self.value, self.span)
    }
}

/// A date literal `YYYY-MM-DD`; `date` is `None` when the day does not exist.
#[derive(Clone, PartialEq)]
pub struct DateLit {
    pub text: String,
    pub date: Option<chrono::NaiveDate>,
    pub span: Span,
}

impl fmt::Debug for DateLit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} @{:?}", self.text, self.span)
    }
}

#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub header: Header,
    pub decls: Vec<Decl>,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub title: Str,
    pub document: Option<Str>,
    pub version: Option<Str>,
    pub effective: Option<DateLit>,
    pub schema: Option<Str>,
    pub amends: Option<Str>,
    pub report: Option<Ident>,
    /// Fields given more than once (the check reports them).
    pub duplicate_fields: Vec<Span>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Decl {
    Departments(Vec<Ident>),
    Group {
        name: Ident,
        members: Vec<Ident>,
    },
    /// `department of hearings, services = case.department`
    Attribution {
        tables: Vec<Ident>,
        path: Vec<Ident>,
        span: Span,
    },
    Scope(Scope),
    Define(Define),
    Indicator(Indicator),
    /// `in HC3 { target … remove target … }` in an amendment.
    Amend {
        indicator: Ident,
        items: Vec<AmendItem>,
        span: Span,
    },
}

#[derive(Debug, Clone)]
pub enum AmendItem {
    Set(Target),
    Remove(TargetWho, Span),
    Acknowledge(Acknowledge),
}

/// `acknowledge new_target 刑事庭`: a note or warning `check` gives that the
/// policy means (by its code, and the department it names).
#[derive(Debug, Clone)]
pub struct Acknowledge {
    pub code: Ident,
    pub department: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub table: Ident,
    pub cond: Expr,
    pub because: Str,
    pub cite: Option<Str>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Define {
    pub name: Ident,
    pub table: Ident,
    pub expr: Expr,
    pub cite: Option<Str>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: Ident,
    pub name: Str,
    pub core: bool,
    pub items: Vec<IndItem>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Numerator,
    Denominator,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Numerator => "numerator",
            Side::Denominator => "denominator",
        })
    }
}

#[derive(Debug, Clone)]
pub enum IndItem {
    Cite(Str),
    Count(Count),
    SideBlock {
        side: Side,
        count: Option<Count>,
        rules: Vec<Rule>,
        span: Span,
    },
    Rule(Rule),
    Restrict {
        base: Ident,
        cond: Expr,
        span: Span,
    },
    Over {
        base: Ident,
        span: Span,
    },
    Let {
        name: Ident,
        measure: Measure,
    },
    Value(Expr),
    Target(Target),
    Related {
        ids: Vec<Ident>,
        cite: Option<Str>,
    },
    Report(Report, Span),
    /// `unit days`, `unit percent max 100`
    Unit {
        unit: Unit,
        max: Option<(f64, Span)>,
        span: Span,
    },
    /// `rank`, `rank ascending`
    Rank {
        ascending: bool,
        span: Span,
    },
    /// `department = origin.department`: the department this indicator's
    /// records count for.
    Department {
        path: Vec<Ident>,
        span: Span,
    },
    /// `per judge_id`: figures per value of a column beside departments.
    Per {
        path: Vec<Ident>,
        span: Span,
    },
    /// `acknowledge no_target 刑事庭`
    Acknowledge(Acknowledge),
}

/// What an indicator (or one side of it) counts.
#[derive(Debug, Clone)]
pub struct Count {
    pub distinct: Option<Vec<Ident>>,
    pub table: Ident,
    pub by: Option<Ident>,
    pub when: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub side: Option<(Side, Span)>,
    pub kind: RuleKind,
    pub cond: Expr,
    pub because: Option<Str>,
    pub cite: Option<Str>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Measure {
    Count {
        table: Ident,
        by: Option<Ident>,
        filter: Option<Expr>,
        span: Span,
    },
    /// `sum|avg|median|min|max EXPR of TABLE`
    Agg {
        func: AggFn,
        expr: Expr,
        table: Ident,
        by: Option<Ident>,
        filter: Option<Expr>,
        span: Span,
    },
    Lookup {
        table: Ident,
        column: Ident,
        filter: Expr,
        span: Span,
    },
}

#[derive(Debug, Clone)]
pub struct Target {
    pub who: TargetWho,
    pub op: CmpOp,
    pub value: f64,
    pub value_span: Span,
    /// `in LOW..HIGH`: `value` is the low end, this the high end (`op` is `>=`).
    pub upper: Option<f64>,
    /// `>= 18 from 2024-03-01, 25 from 2024-04-01`: the values in force from
    /// each date (the first is `value`).
    pub schedule: Vec<(f64, Span, DateLit)>,
    pub principle: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum TargetWho {
    Court { owner: Option<Ident>, span: Span },
    Group { name: Ident, except: Vec<Ident> },
}

impl TargetWho {
    pub fn span(&self) -> Span {
        match self {
            TargetWho::Court { span, .. } => *span,
            TargetWho::Group { name, except } => Span::new(
                name.span.start,
                except.last().map_or(name.span.end, |e| e.span.end),
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Report {
    Court,
    Found,
    Group(Ident),
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurUnit {
    Days,
    Months,
    Years,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Cmp(Box<Expr>, CmpOp, Box<Expr>),
    /// `x is empty` (`negated`: `x is set` / `x is not empty`)
    IsEmpty {
        expr: Box<Expr>,
        negated: bool,
    },
    In {
        expr: Box<Expr>,
        negated: bool,
        list: Vec<Expr>,
    },
    Arith(Box<Expr>, ArithOp, Box<Expr>),
    Number(f64),
    Percent(f64),
    Str(String),
    Date(DateLit),
    Bool(bool),
    /// `12 months`, `90 days`: only added to or taken from a date.
    Duration(f64, DurUnit),
    Path(Vec<Ident>),
    Call {
        name: Ident,
        args: Vec<Expr>,
    },
}
