//! Evaluating a checked expression on a row, optionally recording the trail
//! (every condition and the field values that decided it) for `explain`.

use super::Engine;
use super::rows::RowRef;
use crate::ir::*;
use crate::schema::{ColId, TableId};
use crate::value::{Value, fmt_datetime, fmt_day};
use crate::vocab::{ArithOp, CmpOp, RuleKind};

/// A field value read while deciding.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Read {
    /// As written in the policy: `case.category`.
    pub expr: String,
    pub value: Shown,
    /// The related row it was read from: `case (2022)沪0114民初1234号`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The column holds personal data: mask it unless asked otherwise.
    #[serde(skip)]
    pub personal: bool,
}

/// A value read, as shown: the value's own text, or what stood in its place.
/// JSON: the text itself, or `{"kind": "empty"}` and the like.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Shown {
    Value(String),
    Special(Special),
}

/// What stood where a value was read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Special {
    /// The cell is empty.
    Empty,
    /// The relation leads to no row.
    NoRelatedRow,
    /// An aggregate: `matched` of the `total` related rows of `table` match.
    Matches {
        matched: u64,
        total: u64,
        table: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Scope,
    Period,
    When,
    Rule(RuleKind, RuleSide),
    Filter,
    /// The amount a row adds to a `sum`/`avg`/… measure, with what it read.
    Amount,
}

/// One condition evaluated for a record.
#[derive(Debug, Clone)]
pub struct Step {
    pub kind: StepKind,
    pub loc: Loc,
    /// The condition's value (for an exclusion: true = excluded).
    pub value: bool,
    pub reads: Vec<Read>,
    /// For the period step: the date column and its value.
    pub detail: Option<String>,
}

pub struct Tracer {
    pub on: bool,
    pub steps: Vec<Step>,
    reads: Vec<Read>,
}

impl Tracer {
    pub fn off() -> Tracer {
        Tracer::new(false)
    }
    pub fn new(on: bool) -> Tracer {
        Tracer {
            on,
            steps: Vec::new(),
            reads: Vec::new(),
        }
    }
    /// Mark the values read since the last step as read from a related row.
    pub fn set_via(&mut self, via: impl Fn() -> String) {
        if self.on {
            for r in self.reads.iter_mut().filter(|r| r.via.is_none()) {
                r.via = Some(via());
            }
        }
    }
    pub fn step(&mut self, kind: StepKind, loc: Loc, value: bool) {
        if self.on {
            let mut reads: Vec<Read> = Vec::new();
            // A value read twice (a definition naming a column twice) is said once.
            for r in std::mem::take(&mut self.reads) {
                if !reads
                    .iter()
                    .any(|x| x.expr == r.expr && x.value == r.value && x.via == r.via)
                {
                    reads.push(r);
                }
            }
            self.steps.push(Step {
                kind,
                loc,
                value,
                reads,
                detail: None,
            });
        }
    }
    pub fn period(
        &mut self,
        e: &Engine<'_>,
        t: TableId,
        col: ColId,
        v: Value<'_>,
        loc: Loc,
        inside: bool,
    ) {
        if self.on {
            let name = &e.policy.schema.tables[t].columns[col].name;
            self.reads.clear();
            self.steps.push(Step {
                kind: StepKind::Period,
                loc,
                value: inside,
                reads: vec![Read {
                    expr: name.clone(),
                    value: e.shown(t, col, v),
                    via: None,
                    personal: false,
                }],
                detail: Some(format!("{name} in {}", e.period.describe())),
            });
        }
    }
}

impl Engine<'_> {
    /// A value read for an explanation: the value, or that it is empty.
    pub fn shown(&self, t: TableId, col: ColId, v: Value<'_>) -> Shown {
        match v {
            Value::Null => Shown::Special(Special::Empty),
            v => Shown::Value(self.show(t, col, v)),
        }
    }

    /// A value as a person reads it (an empty one as no text: callers that
    /// can meet one say so themselves, [`Engine::shown`]).
    pub fn show(&self, t: TableId, col: ColId, v: Value<'_>) -> String {
        match v {
            Value::Null => String::new(),
            Value::Bool(b) => if b { "是" } else { "否" }.into(),
            Value::Num(n) => fmt_num(n),
            Value::Str(s) => s.to_string(),
            Value::Enum(i) => self.policy.schema.tables[t].columns[col]
                .values
                .get(i as usize)
                .cloned()
                .unwrap_or_default(),
            Value::Date(d) => fmt_day(d),
            Value::DateTime(s) => fmt_datetime(s),
        }
    }

    pub fn ev<'a>(
        &'a self,
        e: &'a CExpr,
        t: TableId,
        row: RowRef<'a>,
        tr: &mut Tracer,
    ) -> Value<'a> {
        match &e.kind {
            CKind::Lit(l) => l.value(),
            CKind::Period(PeriodEdge::Start) => Value::Date(self.period.start),
            CKind::Period(PeriodEdge::End) => Value::Date(self.period.end),
            // A column of the row itself: no relation to follow.
            CKind::Col(c) if c.nav.is_empty() && !tr.on => row.get(self.plan.slot(t, c.col)),
            CKind::Col(c) => {
                let Some((tt, r)) = self.navigate(t, row, &c.nav) else {
                    if tr.on {
                        tr.reads.push(Read {
                            expr: self.policy.text_of(e.loc).to_string(),
                            value: Shown::Special(Special::NoRelatedRow),
                            via: None,
                            personal: false,
                        });
                    }
                    return Value::Null;
                };
                let v = r.get(self.plan.slot(tt, c.col));
                if tr.on {
                    let via = c.nav.last().map(|&last| {
                        let rel = &self.policy.schema.relations[last];
                        format!("{} {}", rel.name, self.key_of(tt, r))
                    });
                    tr.reads.push(Read {
                        expr: self.policy.text_of(e.loc).to_string(),
                        value: self.shown(tt, c.col, v),
                        via,
                        personal: self.policy.schema.tables[tt].columns[c.col].personal,
                    });
                }
                v
            }
            CKind::Def { nav, def } if nav.is_empty() => {
                self.ev(&self.policy.defs[*def].expr, t, row, tr)
            }
            CKind::Def { nav, def } => {
                let Some((tt, r)) = self.navigate(t, row, nav) else {
                    return Value::Null;
                };
                self.ev(&self.policy.defs[*def].expr, tt, r, tr)
            }
            CKind::Not(a) => Value::Bool(!self.ev(a, t, row, tr).truthy()),
            CKind::And(v) => {
                for x in v {
                    if !self.ev(x, t, row, tr).truthy() {
                        return Value::Bool(false);
                    }
                }
                Value::Bool(true)
            }
            CKind::Or(v) => {
                for x in v {
                    if self.ev(x, t, row, tr).truthy() {
                        return Value::Bool(true);
                    }
                }
                Value::Bool(false)
            }
            CKind::Cmp(op, a, b) => {
                let (x, y) = (self.ev(a, t, row, tr), self.ev(b, t, row, tr));
                Value::Bool(compare(*op, x, y))
            }
            CKind::IsEmpty(a, negated) => {
                let v = self.ev(a, t, row, tr);
                Value::Bool(v.is_null() != *negated)
            }
            CKind::In(a, negated, list) => {
                let v = self.ev(a, t, row, tr);
                // Like a comparison, a membership test of an empty value is false
                // (`in` and `not in` alike); `is empty` asks about emptiness.
                if v.is_null() {
                    return Value::Bool(false);
                }
                let hit = list.iter().any(|l| compare(CmpOp::Eq, v, l.value()));
                Value::Bool(hit != *negated)
            }
            CKind::Arith(op, a, b) => {
                let (Some(x), Some(y)) =
                    (self.ev(a, t, row, tr).num(), self.ev(b, t, row, tr).num())
                else {
                    return Value::Null;
                };
                match op {
                    ArithOp::Add => Value::Num(x + y),
                    ArithOp::Sub => Value::Num(x - y),
                    ArithOp::Mul => Value::Num(x * y),
                    ArithOp::Div if y == 0.0 => Value::Null,
                    ArithOp::Div => Value::Num(x / y),
                }
            }
            CKind::Default(a, b) => match self.ev(a, t, row, tr) {
                Value::Null => self.ev(b, t, row, tr),
                v => v,
            },
            CKind::Call(f, args) => {
                let func = &crate::funcs::FUNCS[*f];
                let mut vals = [Value::Null; 4];
                for (v, a) in vals.iter_mut().zip(args) {
                    *v = self.ev(a, t, row, tr);
                }
                let v = (func.eval)(&vals[..args.len().min(4)]);
                // The computed value that decided: `days(filed_at, closed_at) is 91`.
                if tr.on && func.gives != crate::funcs::Gives::Bool {
                    tr.reads.push(Read {
                        expr: self.policy.text_of(e.loc).to_string(),
                        value: match v {
                            Value::Null => Shown::Special(Special::Empty),
                            Value::Num(n) => Shown::Value(fmt_num(n)),
                            Value::Date(d) => Shown::Value(fmt_day(d)),
                            _ => Shown::Value(String::new()),
                        },
                        via: None,
                        personal: false,
                    });
                }
                v
            }
            CKind::Agg(kind, id) => {
                let idx = row.stored_index();
                let (m, total) = idx
                    .and_then(|i| self.aggs[*id].get(i as usize).copied())
                    .unwrap_or((0, 0));
                let v = match kind {
                    AggKind::Any => Value::Bool(m > 0),
                    AggKind::Every => Value::Bool(m == total),
                    AggKind::Count => Value::Num(m as f64),
                };
                if tr.on {
                    let child = &self.policy.schema.tables[self.policy.aggs[*id].child].name;
                    tr.reads.push(Read {
                        expr: self.policy.text_of(e.loc).to_string(),
                        value: Shown::Special(Special::Matches {
                            matched: m.into(),
                            total: total.into(),
                            table: child.clone(),
                        }),
                        via: None,
                        personal: false,
                    });
                }
                v
            }
        }
    }
}

pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Comparison with null on either side is false.
pub fn compare(op: CmpOp, a: Value<'_>, b: Value<'_>) -> bool {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(&y),
        (Value::DateTime(x), Value::DateTime(y)) => Some(x.cmp(&y)),
        (Value::Date(_) | Value::DateTime(_), Value::Date(_) | Value::DateTime(_)) => {
            Some(a.day().cmp(&b.day()))
        }
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Enum(x), Value::Enum(y)) => {
            return match op {
                CmpOp::Eq => x == y,
                CmpOp::Ne => x != y,
                _ => false,
            };
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(&y)),
        _ => None,
    };
    let Some(o) = ord else { return false };
    ordered(op, o)
}

/// Whether two values in order `o` (the left against the right) pass `op`.
#[inline]
pub fn ordered(op: CmpOp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering;
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }
}
