//! The checked policy: every name resolved against the schema, every
//! expression typed. This is what `check` returns and what the planner and
//! the evaluator read; it holds no syntax tree and no pest types.

use std::sync::Arc;

use crate::schema::{ColId, Schema, TableId};
use crate::source::SourceFile;
use crate::value::{Day, Lit};
pub use crate::vocab::{AggFn, Unit};
use crate::vocab::{ArithOp, CmpOp, RuleKind, Span};

pub type IndId = usize;
pub type DefId = usize;
pub type AggId = usize;
pub type RelId = usize;
pub type FileId = usize;

/// Where a thing was written: file and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub document: String,
    pub version: String,
    pub effective: Day,
    pub schema: String,
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub meta: Meta,
    pub schema: Arc<Schema>,
    pub sources: Vec<SourceFile>,
    /// Declared departments, in declaration order.
    pub departments: Vec<String>,
    /// Groups expanded to their departments.
    pub groups: Vec<(String, Vec<String>)>,
    /// Departments every indicator lists unless it says otherwise.
    pub report_default: Vec<String>,
    /// Per table: how a record finds its department.
    pub attribution: Vec<Option<ColRef>>,
    pub scope: Vec<ScopeRule>,
    /// Per table: the scope rules that reach it, with the relations walked.
    pub scope_paths: Vec<Vec<(usize, Vec<RelId>)>>,
    pub defs: Vec<Def>,
    pub aggs: Vec<Agg>,
    pub indicators: Vec<Indicator>,
    /// Indicators in evaluation order (what a value derives from comes first).
    pub order: Vec<IndId>,
}

impl Policy {
    /// Whether `e` reads the period (`period.end`), itself or through a
    /// definition or an aggregate it uses: its value then differs by period.
    pub fn reads_period(&self, e: &CExpr) -> bool {
        match &e.kind {
            CKind::Period(_) => true,
            CKind::Lit(_) | CKind::Col(_) => false,
            CKind::Def { def, .. } => self.reads_period(&self.defs[*def].expr),
            CKind::Not(a) | CKind::IsEmpty(a, _) | CKind::In(a, _, _) => self.reads_period(a),
            CKind::And(v) | CKind::Or(v) | CKind::Call(_, v) => {
                v.iter().any(|x| self.reads_period(x))
            }
            CKind::Cmp(_, a, b) | CKind::Arith(_, a, b) | CKind::Default(a, b) => {
                self.reads_period(a) || self.reads_period(b)
            }
            CKind::Agg(_, id) => self.aggs[*id]
                .cond
                .as_ref()
                .is_some_and(|c| self.reads_period(c)),
        }
    }

    pub fn indicator(&self, code: &str) -> Option<IndId> {
        self.indicators
            .iter()
            .position(|i| i.code == code || i.id == code)
    }
    pub fn group(&self, name: &str) -> Option<&[String]> {
        self.groups
            .iter()
            .find(|(g, _)| g == name)
            .map(|(_, m)| m.as_slice())
    }
    pub fn line_of(&self, loc: Loc) -> (String, usize, usize) {
        let f = &self.sources[loc.file];
        let (l, c) = f.line_col(loc.span.start);
        (f.name.clone(), l, c)
    }
    pub fn text_of(&self, loc: Loc) -> &str {
        let f = &self.sources[loc.file];
        f.text.get(loc.span.start..loc.span.end).unwrap_or("")
    }
}

/// A column reached from a row, through zero or more many-to-one relations.
#[derive(Debug, Clone, PartialEq)]
pub struct ColRef {
    pub nav: Vec<RelId>,
    pub table: TableId,
    pub col: ColId,
}

#[derive(Debug, Clone)]
pub struct ScopeRule {
    pub table: TableId,
    pub cond: CExpr,
    pub because: String,
    pub cite: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Def {
    pub name: String,
    pub table: TableId,
    pub expr: CExpr,
    pub ty: Ty,
    pub cite: Option<String>,
    pub loc: Loc,
}

/// `any`/`every`/`count` over the rows of `child` that point at a `parent` row.
#[derive(Debug, Clone)]
pub struct Agg {
    pub parent: TableId,
    pub child: TableId,
    /// The child's column that refers to the parent.
    pub rel_col: ColId,
    pub cond: Option<CExpr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    Any,
    Every,
    Count,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Num,
    Text,
    Enum(TableId, ColId),
    Date,
    DateTime,
}

impl Ty {
    pub fn name(&self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Num => "number",
            Ty::Text => "text",
            Ty::Enum(..) => "enum",
            Ty::Date => "date",
            Ty::DateTime => "datetime",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodEdge {
    Start,
    End,
}

#[derive(Debug, Clone)]
pub struct CExpr {
    pub kind: CKind,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum CKind {
    Lit(Lit),
    Col(ColRef),
    Period(PeriodEdge),
    Def {
        nav: Vec<RelId>,
        def: DefId,
    },
    Not(Box<CExpr>),
    And(Vec<CExpr>),
    Or(Vec<CExpr>),
    Cmp(CmpOp, Box<CExpr>, Box<CExpr>),
    IsEmpty(Box<CExpr>, bool),
    In(Box<CExpr>, bool, Vec<Lit>),
    Arith(ArithOp, Box<CExpr>, Box<CExpr>),
    /// `A or B` of values: A, or B where A is empty (`extended_days or 0`).
    Default(Box<CExpr>, Box<CExpr>),
    /// A function of the registry ([`crate::funcs::FUNCS`]).
    Call(crate::funcs::FuncId, Vec<CExpr>),
    Agg(AggKind, AggId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// One count: the denominator, with the numerator a part of it.
    Both,
    Numerator,
    Denominator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSide {
    Both,
    NumeratorOnly,
}

#[derive(Debug, Clone)]
pub struct CRule {
    pub kind: RuleKind,
    pub side: RuleSide,
    pub cond: CExpr,
    pub because: Option<String>,
    pub cite: Option<String>,
    pub loc: Loc,
}

/// One counted set of records: a table, what places a record in the period,
/// and the rules it must pass.
#[derive(Debug, Clone)]
pub struct Part {
    pub role: Role,
    pub table: TableId,
    pub distinct: Option<Vec<ColId>>,
    pub by: Option<ColId>,
    pub when: Option<CExpr>,
    pub rules: Vec<CRule>,
    /// The column a record is also counted by (`per judge_id`): a column
    /// read, possibly through relations.
    pub per: Option<CExpr>,
    /// The department a record counts for, when the indicator says it is
    /// not the record's own (`department = origin.department`).
    pub department: Option<CExpr>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum Measure {
    Count {
        table: TableId,
        by: Option<ColId>,
        filter: Option<CExpr>,
    },
    /// `sum|avg|median|min|max EXPR of TABLE`: empty values are left out.
    Agg {
        func: AggFn,
        expr: CExpr,
        table: TableId,
        by: Option<ColId>,
        filter: Option<CExpr>,
    },
    Lookup {
        table: TableId,
        col: ColId,
        filter: CExpr,
    },
}

impl Measure {
    pub fn table(&self) -> TableId {
        match self {
            Measure::Count { table, .. }
            | Measure::Agg { table, .. }
            | Measure::Lookup { table, .. } => *table,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Let {
    pub name: String,
    pub measure: Measure,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub enum VExpr {
    Num(f64),
    Let(usize),
    Ind(IndId),
    Arith(ArithOp, Box<VExpr>, Box<VExpr>),
    Min(Vec<VExpr>),
    Max(Vec<VExpr>),
    /// `sum_defined(A, B, …)`: the sum of the terms that are defined;
    /// undefined only when every term is.
    SumDefined(Vec<VExpr>),
    /// `A or B`: A where it is defined, else B (a default the policy states).
    Or(Box<VExpr>, Box<VExpr>),
    /// An indicator's value in another period: `previous(HC4)`, `last_year(HC4)`.
    Prior(IndId, Prior),
}

impl VExpr {
    /// The indicators the expression reads, in the order it reads them.
    pub fn indicators(&self) -> Vec<IndId> {
        let mut out = Vec::new();
        self.walk_indicators(&mut out);
        out
    }

    fn walk_indicators(&self, out: &mut Vec<IndId>) {
        match self {
            VExpr::Num(_) | VExpr::Let(_) => {}
            VExpr::Ind(i) | VExpr::Prior(i, _) => {
                if !out.contains(i) {
                    out.push(*i);
                }
            }
            VExpr::Arith(_, a, b) | VExpr::Or(a, b) => {
                a.walk_indicators(out);
                b.walk_indicators(out);
            }
            VExpr::Min(xs) | VExpr::Max(xs) | VExpr::SumDefined(xs) => {
                for x in xs {
                    x.walk_indicators(out);
                }
            }
        }
    }
}

/// Another period an indicator's value is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Prior {
    /// The period before (环比): the previous month, quarter, week …
    Previous,
    /// The same period a year before (同比).
    LastYear,
}

#[derive(Debug, Clone)]
pub enum Body {
    Ratio(Vec<Part>),
    Formula { lets: Vec<Let>, value: VExpr },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TargetScope {
    Court { owner: Option<String> },
    Departments(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Target {
    pub scope: TargetScope,
    /// As written: `业务部门 except 刑事庭`, `court owner 立案庭`.
    pub who: String,
    pub op: CmpOp,
    pub value: f64,
    /// An interval `in value..upper` (区间参考值): met inside it, ends included.
    pub upper: Option<f64>,
    /// A schedule through the year: the value in force from each day on
    /// (the first entry's value is `value`). Empty: `value` always.
    pub schedule: Vec<(Day, f64)>,
    pub principle: bool,
    pub loc: Loc,
    /// The document that set it (the policy's or an amendment's number).
    pub document: String,
}

/// How a missed target was missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Miss {
    /// Below a floor or an interval (`▼`).
    Below,
    /// Above a limit (`<= 3`) or an interval (`▲`).
    Above,
}

impl Target {
    /// The target value in force for a period ending on `end`: the last
    /// scheduled value from on or before it; `None` before the first.
    pub fn value_at(&self, end: Day) -> Option<f64> {
        if self.schedule.is_empty() {
            return Some(self.value);
        }
        self.schedule
            .iter()
            .rev()
            .find(|(from, _)| *from <= end)
            .map(|(_, v)| *v)
    }
    /// Whether `v` meets the target (its value in force `t`); a lower limit
    /// (`<=`) is missed from above.
    pub fn miss(&self, v: f64, t: f64) -> Option<Miss> {
        const EPS: f64 = 1e-9;
        if let Some(hi) = self.upper {
            return if v < t - EPS {
                Some(Miss::Below)
            } else if v > hi + EPS {
                Some(Miss::Above)
            } else {
                None
            };
        }
        if self.met_at(v, t) {
            None
        } else if matches!(self.op, CmpOp::Le | CmpOp::Lt) {
            Some(Miss::Above)
        } else {
            Some(Miss::Below)
        }
    }
    /// `= t` is the document's "100%" wording: met when the value reaches t.
    /// Decided on the exact value: `v` is computed in floating point, so a value
    /// within 1e-9 of the target (2/3 · 75 + 0 · 25 = 49.99999999999999 for an
    /// exact 50) counts as equal to it.
    pub fn met(&self, v: f64) -> bool {
        self.miss(v, self.value).is_none()
    }
    fn met_at(&self, v: f64, t: f64) -> bool {
        const EPS: f64 = 1e-9;
        match self.op {
            CmpOp::Ge | CmpOp::Eq => v >= t - EPS,
            CmpOp::Gt => v > t + EPS,
            CmpOp::Le => v <= t + EPS,
            CmpOp::Lt => v < t - EPS,
            CmpOp::Ne => (v - t).abs() > EPS,
        }
    }
    pub fn applies_to(&self, dept: &str) -> bool {
        matches!(&self.scope, TargetScope::Departments(d) if d.iter().any(|x| x == dept))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReportMode {
    /// These departments always, plus any other found in the data.
    Departments(Vec<String>),
    /// Only departments with records.
    Found,
    /// The whole court only.
    Court,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    /// The id as users know it (`HC4-talk` for `HC4_talk`).
    pub code: String,
    pub name: String,
    pub core: bool,
    pub cite: Option<String>,
    pub body: Body,
    pub targets: Vec<Target>,
    pub related: Vec<(IndId, Loc)>,
    pub derived_from: Vec<(IndId, Loc)>,
    pub report: ReportMode,
    /// What the value is: a percentage unless the policy says otherwise.
    pub unit: Unit,
    /// The greatest value it can take (a percentage of a part of a count:
    /// 100), where known.
    pub max: Option<f64>,
    /// Rank departments by value: `Some(true)` lowest first.
    pub rank: Option<bool>,
    /// Figures per value of a column beside departments (`per judge_id`).
    pub per: Option<Per>,
    pub loc: Loc,
}

/// A breakdown beside departments (`per judge_id`); each counted part
/// holds the column its records are broken down by ([`Part::per`]).
#[derive(Debug, Clone)]
pub struct Per {
    /// As written: `judge_id`, `judge.name`.
    pub label: String,
    pub loc: Loc,
}

impl Indicator {
    pub fn tables(&self) -> Vec<TableId> {
        let mut t: Vec<TableId> = match &self.body {
            Body::Ratio(parts) => parts.iter().map(|p| p.table).collect(),
            Body::Formula { lets, .. } => lets.iter().map(|l| l.measure.table()).collect(),
        };
        t.sort();
        t.dedup();
        t
    }
}

/// The id users see: `_` in an identifier is printed as `-`.
pub fn code_of(id: &str) -> String {
    id.replace('_', "-")
}
