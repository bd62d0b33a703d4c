//! The engine of one period: the plan, the source, the stored tables shared
//! by the engines of a run, and what it derives per table once from the
//! logical plan (the dates records are placed by, the relation through which
//! the department and scope are reached); following relations and reading a
//! row's key and department.

use super::outcome::OutcomeFilter;
use super::rows::{NO_ROW, RowRef, Store};
use super::{Options, expr};
use crate::data::source::Source;
use crate::ir::*;
use crate::period::Period;
use crate::plan::{Consumer, Plan};
use crate::schema::TableId;
use crate::value::Value;

pub struct Engine<'p> {
    pub plan: &'p Plan,
    pub policy: &'p Policy,
    pub period: Period,
    /// Where the tables are read from.
    pub source: &'p dyn Source,
    pub opts: Options,
    /// The stored tables, shared by the engines of every period a run
    /// evaluates (they are read once, whatever the period).
    pub(super) stores: std::sync::Arc<Vec<Option<Store>>>,
    /// Per aggregate, per parent row: (rows matching, rows). Shared by the
    /// engines of a run where the condition reads no period.
    pub(super) aggs: Vec<std::sync::Arc<Vec<(u32, u32)>>>,
    /// Per table: the resolved relation (its slot) through which both the
    /// department and every scope rule are reached, if there is one.
    pub(super) memo_rel: Vec<Option<usize>>,
    /// Per table and consumer: its `when` reads through that relation alone,
    /// so it holds for every record of the same parent row.
    pub(super) parent_when: Vec<Vec<bool>>,
    /// Per table: whether any counted part or measure reads its records
    /// (not only an aggregate of its parent rows).
    pub(super) counted: Vec<bool>,
    /// When an observer wants only the records holding one of these texts
    /// (one case), every other record is skipped unparsed.
    pub(super) needles: Vec<String>,
    /// Per table: the slots of the date columns its records are placed by.
    pub(super) by_slots: Vec<Vec<usize>>,
    /// The outcomes the observer keeps, when it says so as data.
    pub(super) filter: Option<OutcomeFilter>,
    /// An engine for another period beside the one reading (`run_periods`):
    /// the aggregates whose condition does not read the period it takes
    /// from the reader instead of counting them again.
    pub(super) sibling: bool,
    /// Per aggregate: its condition reads the period.
    pub(super) agg_reads_period: Vec<bool>,
    /// Per table: every consumer places its records by a date (`by`), or is
    /// an aggregate whose condition reads no period.
    pub(super) placed_only: Vec<bool>,
}

/// Whether every consumer of table `t` places its records by a date, or is
/// an aggregate whose condition reads no period: a record outside a period
/// then adds nothing to that period's figures.
pub(super) fn placed_only(plan: &Plan, t: TableId, agg_reads_period: &[bool]) -> bool {
    let Some(tp) = plan.tables[t].as_ref() else {
        return false;
    };
    tp.consumers.iter().enumerate().all(|(ci, c)| match c {
        Consumer::Part { .. } => plan.part(t, ci).placement.by.is_some(),
        // A lookup is placed by no date.
        Consumer::Measure { .. } => plan.measure(t, ci).by.is_some(),
        Consumer::Agg(a) => !agg_reads_period[*a],
    })
}

/// The date column consumer `ci` of table `t` places its records by.
pub(super) fn by_of(plan: &Plan, t: TableId, ci: usize) -> Option<crate::schema::ColId> {
    match plan.table(t).consumers[ci] {
        Consumer::Part { .. } => plan.part(t, ci).placement.by,
        Consumer::Measure { .. } => plan.measure(t, ci).by,
        Consumer::Agg(_) => None,
    }
}

/// Per table: the slots of the columns its consumers place records by.
pub(super) fn by_slots(plan: &Plan, t: TableId) -> Vec<usize> {
    let Some(tp) = plan.tables[t].as_ref() else {
        return Vec::new();
    };
    let mut v: Vec<usize> = Vec::new();
    for ci in 0..tp.consumers.len() {
        let by = by_of(plan, t, ci);
        if let Some(slot) = by.and_then(|c| tp.slot[c])
            && !v.contains(&slot)
        {
            v.push(slot);
        }
    }
    v
}

/// The relation (its slot among the table's resolved relations) that leads
/// from table `t` to both its department and every scope rule that applies to it.
pub(super) fn memo_rel(plan: &Plan, t: TableId) -> Option<usize> {
    let records = &plan.logical.records[t];
    let first = *records.department.as_ref()?.nav.first()?;
    if !records.scope.iter().all(|s| s.path.first() == Some(&first)) {
        return None;
    }
    plan.tables[t]
        .as_ref()?
        .rels
        .iter()
        .position(|r| *r == first)
}

/// Per consumer of table `t`: whether it is a part whose `when` reads through
/// the table's memo relation alone.
pub(super) fn parent_when(plan: &Plan, t: TableId) -> Vec<bool> {
    let Some(tp) = plan.tables[t].as_ref() else {
        return Vec::new();
    };
    let rel = memo_rel(plan, t).map(|r| tp.rels[r]);
    tp.consumers
        .iter()
        .enumerate()
        .map(|(ci, c)| match (c, rel) {
            (Consumer::Part { .. }, Some(rel)) => plan
                .part(t, ci)
                .placement
                .when
                .as_ref()
                .is_some_and(|w| through(w, rel)),
            _ => false,
        })
        .collect()
}

/// Whether `e` reads nothing of its own row: every column and definition it
/// reads is reached through relation `rel` first.
pub(super) fn through(e: &CExpr, rel: RelId) -> bool {
    match &e.kind {
        CKind::Lit(_) | CKind::Period(_) => true,
        CKind::Col(c) => c.nav.first() == Some(&rel),
        CKind::Def { nav, .. } => nav.first() == Some(&rel),
        CKind::Not(a) | CKind::IsEmpty(a, _) | CKind::In(a, _, _) => through(a, rel),
        CKind::And(v) | CKind::Or(v) => v.iter().all(|x| through(x, rel)),
        CKind::Cmp(_, a, b) | CKind::Arith(_, a, b) | CKind::Default(a, b) => {
            through(a, rel) && through(b, rel)
        }
        CKind::Call(_, args) => args.iter().all(|x| through(x, rel)),
        CKind::Agg(..) => false,
    }
}

impl<'p> Engine<'p> {
    /// An engine for another period over the same stored tables.
    pub(super) fn sibling(&self, period: Period) -> Engine<'p> {
        Engine {
            plan: self.plan,
            policy: self.policy,
            period,
            source: self.source,
            opts: self.opts.clone(),
            stores: self.stores.clone(),
            aggs: vec![std::sync::Arc::default(); self.policy.aggs.len()],
            memo_rel: self.memo_rel.clone(),
            parent_when: self.parent_when.clone(),
            counted: self.counted.clone(),
            needles: self.needles.clone(),
            by_slots: self.by_slots.clone(),
            // The observer watches the first period only.
            filter: None,
            sibling: true,
            agg_reads_period: self.agg_reads_period.clone(),
            placed_only: self.placed_only.clone(),
        }
    }

    pub fn store(&self, t: TableId) -> Option<&Store> {
        self.stores[t].as_ref()
    }

    /// Relations from `from` to `to`, as the checker found them for scope rules.
    pub fn path_to(&self, from: TableId, to: TableId) -> Option<Vec<RelId>> {
        if from == to {
            return Some(Vec::new());
        }
        let schema = &self.policy.schema;
        let mut path = Vec::new();
        let mut cur = from;
        for _ in 0..schema.relations.len() {
            let (ri, r) = schema.relations.iter().enumerate().find(|(ri, r)| {
                r.from == cur
                    && self.plan.tables[cur]
                        .as_ref()
                        .is_some_and(|tp| tp.rels.contains(ri))
            })?;
            path.push(ri);
            cur = r.to;
            if cur == to {
                return Some(path);
            }
        }
        None
    }

    /// Follow relations from a row; `None` when a relation is empty.
    #[inline]
    pub fn navigate<'a>(
        &'a self,
        mut t: TableId,
        mut row: RowRef<'a>,
        nav: &[RelId],
    ) -> Option<(TableId, RowRef<'a>)> {
        for &r in nav {
            let idx = row.parent(self.plan.rel_slot(r));
            if idx == NO_ROW {
                return None;
            }
            t = self.policy.schema.relations[r].to;
            row = RowRef::Stored {
                store: self.stores[t].as_ref()?,
                row: idx,
            };
        }
        Some((t, row))
    }

    pub fn key_of(&self, t: TableId, row: RowRef<'_>) -> String {
        match self.policy.schema.tables[t]
            .key()
            .and_then(|k| self.plan.table(t).slot[k])
        {
            Some(slot) => match row.get(slot) {
                Value::Str(s) => s.to_string(),
                _ => String::new(),
            },
            None => String::new(),
        }
    }

    /// The department of a record of table `t` (`department of T = …`).
    pub(super) fn department<'a>(&'a self, t: TableId, row: RowRef<'a>) -> Option<&'a str> {
        let a = self.plan.logical.records[t].department.as_ref()?;
        let (tt, r) = self.navigate(t, row, &a.nav)?;
        match r.get(self.plan.slot(tt, a.col)) {
            Value::Str(s) => Some(s),
            Value::Enum(i) => {
                Some(&self.policy.schema.tables[tt].columns[a.col].values[i as usize])
            }
            _ => None,
        }
    }

    /// Call `f` with the text a column expression reads on a row (a
    /// department, a judge), `None` when empty; no allocation for text.
    pub(super) fn with_text<R>(
        &self,
        e: &CExpr,
        t: TableId,
        row: RowRef<'_>,
        f: impl FnOnce(Option<&str>) -> R,
    ) -> R {
        let v = self.ev(e, t, row, &mut expr::Tracer::off());
        match (&e.kind, v) {
            (_, Value::Null) => f(None),
            (_, Value::Str(s)) => f(Some(s)),
            (CKind::Col(c), Value::Enum(i)) => f(self.policy.schema.tables[c.table].columns[c.col]
                .values
                .get(i as usize)
                .map(String::as_str)),
            (CKind::Col(c), v) => f(Some(&self.show(c.table, c.col, v))),
            _ => f(None),
        }
    }

    /// The text a column expression reads on a row (a department), `None` when empty.
    pub(super) fn text_of(&self, e: &CExpr, t: TableId, row: RowRef<'_>) -> Option<String> {
        match (&e.kind, self.ev(e, t, row, &mut expr::Tracer::off())) {
            (_, Value::Null) => None,
            (CKind::Col(c), v) => Some(self.show(c.table, c.col, v)),
            _ => None,
        }
    }

    /// The row's list columns (the schema's `list`) as text; empty where a
    /// relation is empty or the plan did not read the column.
    pub(super) fn context_of(&self, t: TableId, row: RowRef<'_>) -> Vec<String> {
        self.policy.schema.tables[t]
            .list
            .iter()
            .map(|lc| {
                let Some((tt, r)) = self.navigate(t, row, &lc.path) else {
                    return String::new();
                };
                let Some(slot) = self.plan.tables[tt].as_ref().and_then(|tp| tp.slot[lc.col])
                else {
                    return String::new();
                };
                match r.get(slot) {
                    Value::Null => String::new(),
                    Value::Str(s) => s.to_string(),
                    v => self.show(tt, lc.col, v),
                }
            })
            .collect()
    }

    /// The key explain shows for a row: its key column, or its line.
    pub fn record_key(&self, t: TableId, row: RowRef<'_>, line: u64) -> String {
        let k = self.key_of(t, row);
        if k.is_empty() {
            format!("line {line}")
        } else {
            k
        }
    }
}
