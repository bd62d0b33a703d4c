//! One record handed to an engine's consumers of its table: the aggregates
//! it adds to, each part's outcome (`Engine::decide`) counted for its
//! department, item or `per` value, each measure's amount folded, and what
//! the observer is shown.

use super::decide::counts_for;
use super::engine::Engine;
use super::expr::Step;
use super::outcome::{Cause, Observer, Outcome, RecordOutcome, RowView};
use super::rows::{NO_ROW, RowRef};
use super::scan::{Acc, Depts, Running, slot};
use super::{expr, fan};
use crate::ir::*;
use crate::logical::{DeptKey, MeasureKind};
use crate::plan::Consumer;
use crate::schema::TableId;
use crate::vocab::AggFn;

impl<'p> Engine<'p> {
    /// Hand one record to this engine's consumers of table `t`; `facts`
    /// holds what the engines of a run share about it (see [`fan`]).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn consume(
        &self,
        t: TableId,
        row: RowRef<'_>,
        line: u64,
        run: &mut Running,
        depts: &mut Depts,
        obs: &mut dyn Observer,
        facts: &mut fan::Facts<'_>,
    ) {
        let tp = self.plan.table(t);
        let Running {
            accs,
            sets,
            depts: _,
            memo,
            whens,
        } = run;
        // Department and scope depend on the parent row alone where both are
        // reached through the same first relation.
        let parent = self.memo_rel[t]
            .map(|r| row.parent(r))
            .filter(|p| *p != NO_ROW);
        // Found when a consumer first needs them: a record outside every
        // consumer's period needs neither.
        let mut found: Option<(usize, Option<usize>)> = None;
        // The engines of a run find them once for all (the scope where no
        // scope rule reads the period).
        let share = facts.share;
        let mut dept_scope = |memo: &mut (u32, usize, Option<usize>),
                              depts: &mut Depts,
                              whens: &mut [Option<bool>],
                              facts: &mut fan::Facts<'_>| {
            *found.get_or_insert_with(|| match parent {
                // A table read only for its parents' aggregates (`any(hearings, …)`)
                // counts none of its records: their department and scope are not
                // needed, and the plan reads none of their columns.
                _ if !self.counted[t] => (0, None),
                Some(p) if memo.0 == p => (memo.1, memo.2),
                _ => {
                    let di = *facts
                        .dept
                        .get_or_insert_with(|| depts.index(self.department(t, row)));
                    let find = || self.scope_hit(t, row, &mut expr::Tracer::off());
                    let scope = if share {
                        *facts.scope.get_or_insert_with(find)
                    } else {
                        find()
                    };
                    if let Some(p) = parent {
                        *memo = (p, di, scope);
                        whens.fill(None);
                    }
                    (di, scope)
                }
            })
        };
        // Nobody watches every outcome: a record placed outside this
        // engine's period (excluded or not) counts nothing, and is skipped.
        let skip_outside = !obs.active() || self.filter.is_some();
        let quiet = !obs.active() && self.filter.is_none();
        let outside = |by: Option<usize>| {
            skip_outside
                && by.is_some_and(|by| {
                    !row.get(self.plan.slot(t, by))
                        .day()
                        .is_some_and(|d| self.period.contains(d))
                })
        };
        let filter = self.filter.as_ref();
        // With a filter, the key is made once an outcome is kept.
        let mut filter_key: Option<String> = None;
        let watched = if obs.active() && filter.is_none() {
            let key = self.record_key(t, row, line);
            let view = RowView {
                engine: self,
                table: t,
                row,
            };
            obs.wants(t, &key, &view).then_some(key)
        } else {
            None
        };
        // What explain sees of this record for one consumer.
        let record = |key: &String,
                      ind: IndId,
                      consumer: Consumer,
                      outcome: Outcome,
                      cause: Option<Cause>,
                      item: Option<String>,
                      steps: Vec<Step>| RecordOutcome {
            ind,
            consumer,
            table: t,
            key: key.clone(),
            line,
            department: self.department(t, row).map(str::to_string),
            outcome,
            cause,
            item,
            amount: None,
            steps,
            context: Vec::new(),
        };
        for (ci, (&c, acc)) in tp.consumers.iter().zip(accs.iter_mut()).enumerate() {
            match (c, acc) {
                (Consumer::Agg(a), Acc::Agg(_)) if self.sibling && !self.agg_reads_period[a] => {}
                // Counted for every engine where the row was read (`fan::Fan::aggs`).
                (Consumer::Agg(a), Acc::Agg(_)) if facts.fanned && self.agg_reads_period[a] => {}
                (Consumer::Agg(a), Acc::Agg(v)) => {
                    let agg = &self.policy.aggs[a];
                    let rel = self.plan.agg_rel_slot(a);
                    let p = row.parent(rel);
                    if p == NO_ROW {
                        continue;
                    }
                    let hit = agg
                        .cond
                        .as_ref()
                        .is_none_or(|c| self.ev(c, t, row, &mut expr::Tracer::off()).truthy());
                    let e = slot(v, p as usize);
                    e.1 += 1;
                    if hit {
                        e.0 += 1;
                    }
                }
                (Consumer::Part { ind, part }, Acc::Part { counts, per }) => {
                    let p = self.plan.part(t, ci);
                    if outside(p.placement.by) {
                        continue;
                    }
                    let memo_when = parent.is_some() && self.parent_when[t][ci];
                    // When no one sees the outcomes, a record its `when` places
                    // outside the period counts nothing whatever its department
                    // and scope: the `when` is asked first (an engine of
                    // another period meets every case this way).
                    // Asked once for every period where the row was read.
                    let mut known_when = facts.when(ci);
                    if quiet && let Some(w) = &p.placement.when {
                        let fresh = whens[ci].filter(|_| memo_when && parent == Some(memo.0));
                        let ok = known_when.or(fresh).unwrap_or_else(|| {
                            self.ev(w, t, row, &mut expr::Tracer::off()).truthy()
                        });
                        if !ok {
                            continue;
                        }
                        known_when = Some(true);
                    }
                    let (di, scope) = dept_scope(memo, depts, whens, facts);

                    let known = whens[ci].filter(|_| memo_when).or(known_when);
                    let (outcome, cause, when) =
                        self.decide(p, t, row, scope, known, &mut expr::Tracer::off());
                    if memo_when {
                        whens[ci] = when;
                    }
                    // `department = origin.department`: counted for another row's department.
                    let di = match &p.department {
                        DeptKey::Expr(e) => self.with_text(e, t, row, |d| depts.index(d)),
                        DeptKey::Path(_) | DeptKey::None => di,
                    };
                    match (&p.distinct, tp.item_lane[ci]) {
                        (Some(cols), Some((si, lane))) => {
                            if outcome >= Outcome::Denominator {
                                // Computed once per row, for every engine.
                                let fp = match facts.item_fp {
                                    Some((s, fp)) if s == si => fp,
                                    _ => {
                                        let fp = self.item_fingerprint(t, row, cols);
                                        facts.item_fp = Some((si, fp));
                                        fp
                                    }
                                };
                                let parent =
                                    tp.item_sets[si].anchor.map_or(NO_ROW, |a| row.parent(a));
                                sets[si].add(fp, parent, lane, di as u32, outcome, &depts.0);
                            }
                        }
                        _ => {
                            let (n, d) = counts_for(p.role, outcome);
                            if n + d > 0 {
                                let e = slot(counts, di);
                                e[0] += n;
                                e[1] += d;
                                if let Some(e) = &p.per {
                                    // Looked up by the row's text: a key is
                                    // allocated once, when first seen.
                                    self.with_text(e, t, row, |k| {
                                        let k = k.unwrap_or("");
                                        let c = match per.get_mut(k) {
                                            Some(c) => c,
                                            None => per.entry(k.to_string()).or_default(),
                                        };
                                        c[0] += n;
                                        c[1] += d;
                                    });
                                }
                            }
                        }
                    }
                    if let Some(f) = filter
                        && f.keeps(ind, part, outcome)
                    {
                        let key = filter_key.get_or_insert_with(|| self.record_key(t, row, line));
                        let mut o = record(key, ind, c, outcome, cause, None, Vec::new());
                        if let DeptKey::Expr(e) = &p.department {
                            o.department = self.text_of(e, t, row);
                        }
                        if f.context {
                            o.context = self.context_of(t, row);
                        }
                        obs.record(o);
                    }
                    if let Some(key) = &watched {
                        let mut o = record(key, ind, c, outcome, cause, None, Vec::new());
                        if let DeptKey::Expr(e) = &p.department {
                            o.department = self.text_of(e, t, row);
                        }
                        // The trail and the item, for the outcomes kept only.
                        if obs.keeps(&o) {
                            if obs.trails() {
                                let mut tr = expr::Tracer::new(true);
                                self.decide(p, t, row, scope, None, &mut tr);
                                o.steps = tr.steps;
                            }
                            if obs.context() {
                                o.context = self.context_of(t, row);
                            }
                            o.item = p.distinct.as_ref().map(|cols| self.item_key(t, row, cols));
                            obs.record(o);
                        }
                    }
                }
                (Consumer::Measure { ind, .. }, Acc::Measure { by_dept, lookups }) => {
                    let measure = self.plan.measure(t, ci);
                    if outside(measure.by) {
                        continue;
                    }
                    let (di, scope) = dept_scope(memo, depts, whens, facts);
                    let (outcome, cause, amount) =
                        self.measure(measure, t, row, scope, &mut expr::Tracer::off());
                    if outcome == Outcome::Numerator {
                        match &measure.kind {
                            MeasureKind::Lookup(_) => lookups.push(amount),
                            kind => {
                                if let Some(x) = amount {
                                    // A median keeps its amounts.
                                    let keep = matches!(kind, MeasureKind::Fold(AggFn::Median, _));
                                    slot(by_dept, di).add(x, keep);
                                }
                            }
                        }
                    }
                    if let Some(key) = &watched {
                        let mut o = record(key, ind, c, outcome, cause, None, Vec::new());
                        o.amount = amount.filter(|_| outcome == Outcome::Numerator);
                        if obs.keeps(&o) {
                            if obs.trails() {
                                let mut tr = expr::Tracer::new(true);
                                self.measure(measure, t, row, scope, &mut tr);
                                o.steps = tr.steps;
                            }
                            if obs.context() {
                                o.context = self.context_of(t, row);
                            }
                            obs.record(o);
                        }
                    }
                }
                _ => unreachable!("accumulator kinds follow the consumers"),
            }
        }
    }
}
