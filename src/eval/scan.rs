//! One scan of (part of) a table: its rows fed to the consumers of every
//! engine of the run, the running figures per consumer and department
//! ([`Running`]), and their merge in file order into a pass's figures.

use std::collections::HashMap;

use super::decide::counts_for;
use super::engine::Engine;
use super::outcome::{Nobody, Observer, RecordOutcome};
use super::passes::{PassOut, add_per};
use super::read::{Chunk, KeyLog};
use super::rows::{NO_ROW, RowRef};
use super::{fan, items, periods, stat};
use crate::plan::Consumer;
use crate::schema::TableId;

/// What one scan of (part of) a table found, before merging.
pub(super) struct Partial {
    pub(super) run: Running,
    pub(super) out: PassOut,
    pub(super) keys: KeyLog,
    pub(super) end: crate::data::ChunkEnd,
    /// Outcomes for the observer, delivered once the chunks are known to fit.
    pub(super) records: Vec<RecordOutcome>,
}

/// A scan's running figures: per consumer, per item set, and the departments
/// their indices name.
pub(super) struct Running {
    pub(super) accs: Vec<Acc>,
    pub(super) sets: Vec<items::Items>,
    pub(super) depts: Depts,
    /// The parent row the last record's department and scope came from, with
    /// them: the next record of the same case reuses them.
    pub(super) memo: (u32, usize, Option<usize>),
    /// Per consumer: its `when` on that parent row, once evaluated (for the
    /// parts whose `when` reads through the same relation alone).
    pub(super) whens: Vec<Option<bool>>,
}

/// Renumber a scan's department indices into the merged numbering.
pub(super) fn remap(accs: &mut [Acc], map: &[usize]) {
    let identity = map.iter().enumerate().all(|(i, m)| i == *m);
    if identity {
        return;
    }
    for a in accs.iter_mut() {
        match a {
            Acc::Part { counts, .. } => {
                let mut c: Vec<[u64; 2]> = Vec::new();
                for (d, n) in counts.iter().enumerate() {
                    let e = slot(&mut c, map[d]);
                    e[0] += n[0];
                    e[1] += n[1];
                }
                *counts = c;
            }
            Acc::Measure { by_dept, .. } => {
                let mut b: Vec<stat::Stat> = Vec::new();
                for (d, x) in std::mem::take(by_dept).into_iter().enumerate() {
                    slot(&mut b, map[d]).merge(x);
                }
                *by_dept = b;
            }
            Acc::Agg(_) => {}
        }
    }
}

pub(super) fn merge_accs(dst: &mut [Acc], src: Vec<Acc>) {
    for (d, s) in dst.iter_mut().zip(src) {
        match (d, s) {
            (
                Acc::Part { counts, per },
                Acc::Part {
                    counts: c2,
                    per: p2,
                },
            ) => {
                for (i, n) in c2.into_iter().enumerate() {
                    let e = slot(counts, i);
                    e[0] += n[0];
                    e[1] += n[1];
                }
                add_per(per, p2);
            }
            (
                Acc::Measure { by_dept, lookups },
                Acc::Measure {
                    by_dept: b2,
                    lookups: l2,
                },
            ) => {
                for (i, x) in b2.into_iter().enumerate() {
                    slot(by_dept, i).merge(x);
                }
                lookups.extend(l2);
            }
            (Acc::Agg(v), Acc::Agg(v2)) => {
                for (i, (m, t)) in v2.into_iter().enumerate() {
                    let e = slot(v, i);
                    e.0 += m;
                    e.1 += t;
                }
            }
            _ => unreachable!("accumulator kinds follow the consumers"),
        }
    }
}

/// Departments met in one pass, by small index (0 = no department).
#[derive(Debug)]
pub(super) struct Depts(pub(super) Vec<String>);

impl Depts {
    pub(super) fn new() -> Depts {
        Depts(vec![String::new()])
    }
    #[inline]
    pub(super) fn index(&mut self, name: Option<&str>) -> usize {
        let name = name.unwrap_or("");
        match self.0.iter().position(|d| d == name) {
            Some(i) => i,
            None => {
                self.0.push(name.to_string());
                self.0.len() - 1
            }
        }
    }
}

/// One consumer's running figures during a pass, by department index.
#[derive(Debug)]
pub(super) enum Acc {
    /// Records counted directly (distinct items are counted at the end).
    Part {
        counts: Vec<[u64; 2]>,
        /// Per value of the `per` column, when the indicator has one.
        per: HashMap<String, [u64; 2]>,
    },
    Measure {
        by_dept: Vec<stat::Stat>,
        lookups: Vec<Option<f64>>,
    },
    Agg(Vec<(u32, u32)>),
}

pub(super) fn slot<T: Default + Clone>(v: &mut Vec<T>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize(i + 1, T::default());
    }
    &mut v[i]
}

impl<'p> Engine<'p> {
    /// The running figures of a scan of table `t`, empty.
    pub(super) fn running(&self, t: TableId) -> Running {
        let tp = self.plan.table(t);
        let accs: Vec<Acc> = tp
            .consumers
            .iter()
            .map(|c| match c {
                Consumer::Part { .. } => Acc::Part {
                    counts: Vec::new(),
                    per: HashMap::new(),
                },
                Consumer::Measure { .. } => Acc::Measure {
                    by_dept: Vec::new(),
                    lookups: Vec::new(),
                },
                Consumer::Agg(a) if self.sibling && !self.agg_reads_period[*a] => {
                    Acc::Agg(Vec::new())
                }
                Consumer::Agg(a) => {
                    let parent = self.policy.aggs[*a].parent;
                    Acc::Agg(vec![
                        (0, 0);
                        self.stores[parent]
                            .as_ref()
                            .map_or(0, |s| s.len as usize)
                    ])
                }
            })
            .collect();
        let sets: Vec<items::Items> = tp
            .item_sets
            .iter()
            .map(|s| {
                // Another period's engine meets few items (those placed in its
                // period): all by fingerprint, no list per parent row.
                let parents = s.anchor.filter(|_| !self.sibling).map_or(0, |a| {
                    let to = self.policy.schema.relations[tp.rels[a]].to;
                    self.stores[to].as_ref().map_or(0, |st| st.len as usize)
                });
                items::Items::new(s.lanes.len(), parents)
            })
            .collect();
        Running {
            accs,
            sets,
            depts: Depts::new(),
            memo: (NO_ROW, 0, None),
            whens: vec![None; tp.consumers.len()],
        }
    }

    /// Read (part of) table `t` once and feed its rows to the consumers of
    /// this engine and of every other: one partial scan per engine, this
    /// one's first (it holds the errors and the keys read).
    pub(super) fn scan(
        &self,
        t: TableId,
        chunk: Chunk,
        others: &[Engine<'p>],
        obs: &mut dyn Observer,
    ) -> Vec<Partial> {
        let mut run = self.running(t);
        let mut runs: Vec<Running> = others.iter().map(|e| e.running(t)).collect();
        // The engines of a scan number departments alike (a row's is found once).
        let mut depts = Depts::new();
        let mut out = PassOut::default();
        let by_slots = &self.by_slots[t];
        let mut latest: Option<crate::value::Day> = None;
        // With other periods (as many as a mask holds), each row is asked
        // once what decides the periods it may count in (its dates, the
        // `when`s that read the period), and reaches those engines alone.
        let fan = (!others.is_empty() && others.len() < periods::MAX)
            .then(|| fan::Fan::new(self.plan, &self.agg_reads_period, t));
        let run_periods = periods::Periods::new(self, others);
        let share = !self
            .policy
            .scope
            .iter()
            .any(|r| self.policy.reads_period(&r.cond));
        let mut whens: Vec<Option<u64>> = vec![None; fan.as_ref().map_or(0, |f| f.whens.len())];
        // Otherwise another period's engine is handed only the records placed
        // in its period, when every consumer of the table places its records
        // by a date (the aggregates that read no period it takes from this one).
        let placed = self.placed_only[t] && by_slots.len() <= 8;
        let mut days = [None; 8];
        let mut feed = |r: RowRef<'_>,
                        line: u64,
                        run: &mut Running,
                        runs: &mut [Running],
                        obs: &mut dyn Observer| {
            let mut reach = 0u64;
            for (i, &s) in by_slots.iter().enumerate() {
                let d = r.get(s).day();
                latest = latest.max(d);
                if let Some(x) = days.get_mut(i) {
                    *x = d;
                }
                if let (Some(_), Some(d)) = (&fan, d) {
                    reach |= run_periods.containing(d);
                }
            }
            let mut facts = fan::Facts::new();
            if let Some(f) = &fan {
                if f.always {
                    reach = run_periods.all;
                }
                for (w, c) in whens.iter_mut().zip(&f.whens) {
                    *w = c.as_ref().map(|c| c.holds(&run_periods, t, r));
                    reach |= w.unwrap_or(0);
                }
                // The aggregates that read the period, for every engine at once.
                for &(ci, rel, ref cond) in &f.aggs {
                    let p = r.parent(rel);
                    if p == NO_ROW {
                        continue;
                    }
                    let hits = cond.holds(&run_periods, t, r);
                    for (k, run) in std::iter::once(&mut *run)
                        .chain(runs.iter_mut())
                        .enumerate()
                    {
                        if let Some(Acc::Agg(v)) = run.accs.get_mut(ci) {
                            let e = slot(v, p as usize);
                            e.1 += 1;
                            e.0 += u32::from(hits >> k & 1 == 1);
                        }
                    }
                }
                facts.fanned = true;
                facts.share = share;
                facts.whens = &whens;
            }
            self.consume(t, r, line, run, &mut depts, obs, &mut facts);
            if fan.is_some() {
                // The other engines the row may count in, in order.
                let mut m = reach >> 1;
                while m != 0 {
                    let k = m.trailing_zeros() as usize;
                    m &= m - 1;
                    if let (Some(e), Some(run)) = (others.get(k), runs.get_mut(k)) {
                        facts.k = k + 1;
                        e.consume(t, r, line, run, &mut depts, &mut Nobody, &mut facts);
                    }
                }
                return;
            }
            for (e, run) in others.iter().zip(runs.iter_mut()) {
                if placed
                    && !days[..by_slots.len()]
                        .iter()
                        .any(|d| d.is_some_and(|d| e.period.contains(d)))
                {
                    continue;
                }
                e.consume(t, r, line, run, &mut depts, &mut Nobody, &mut facts);
            }
        };
        let (keys, end) = if let Some(store) = self.stores[t].as_ref() {
            // For a stored table a chunk is a range of its rows.
            let stop = chunk
                .stop
                .map_or(store.len, |s| s.min(store.len as u64) as u32);
            for row in chunk.start as u32..stop {
                let r = RowRef::Stored { store, row };
                let line = store.lines[row as usize];
                feed(r, line, &mut run, &mut runs, &mut *obs);
            }
            (
                KeyLog::new(),
                // Stored rows keep their own lines: nothing to shift.
                crate::data::ChunkEnd {
                    exact: true,
                    stop_line: 1,
                },
            )
        } else {
            self.read_table(t, &mut out, true, chunk, |values, parents, line, _, _| {
                let r = RowRef::Live { values, parents };
                feed(r, line, &mut run, &mut runs, &mut *obs);
                true
            })
        };
        for r in std::iter::once(&mut run).chain(runs.iter_mut()) {
            r.depts.0.clone_from(&depts.0);
        }
        // Sorted here, on the scanning thread; the merge then joins sorted runs.
        let mut keys = keys;
        if !keys.rising {
            keys.fps.sort_unstable();
        }
        out.latest = latest;
        let mut parts = vec![Partial {
            run,
            out,
            keys,
            end,
            records: Vec::new(),
        }];
        parts.extend(runs.into_iter().map(|run| Partial {
            run,
            out: PassOut::default(),
            keys: KeyLog::new(),
            end,
            records: Vec::new(),
        }));
        parts
    }

    /// Merge the partial scans of a table (in file order), confirm duplicate
    /// keys, and fold the figures into department names.
    pub(super) fn finish(&self, t: TableId, parts: Vec<Partial>) -> PassOut {
        let tp = self.plan.table(t);
        let mut out = PassOut::default();
        let mut depts = Depts::new();
        let mut accs: Option<Vec<Acc>> = None;
        let mut sets: Option<Vec<items::Items>> = None;
        let mut logs: Vec<(KeyLog, u64)> = Vec::new();
        // Lines of a later chunk are counted from its start: shift them.
        let mut line_base = 0u64;
        for (i, p) in parts.into_iter().enumerate() {
            let shift = if i == 0 { 0 } else { line_base - 1 };
            let mut o = p.out;
            for e in o.errors.iter_mut() {
                e.line += shift;
            }
            logs.push((p.keys, shift));
            line_base = shift + p.end.stop_line;
            out.merge(o);
            let map: Vec<usize> = p.run.depts.0.iter().map(|d| depts.index(Some(d))).collect();
            let mut a = p.run.accs;
            remap(&mut a, &map);
            match &mut accs {
                None => accs = Some(a),
                Some(dst) => merge_accs(dst, a),
            }
            let mut chunk_sets = p.run.sets;
            for s in chunk_sets.iter_mut() {
                s.remap(&map);
            }
            match &mut sets {
                None => sets = Some(chunk_sets),
                Some(dst) => {
                    for (d, s) in dst.iter_mut().zip(chunk_sets) {
                        d.merge(s, &depts.0);
                    }
                }
            }
        }
        let table = &self.policy.schema.tables[t];
        if let Some(slot) = table
            .key()
            .and_then(|k| tp.slot[k])
            .filter(|_| self.stores[t].is_none())
        {
            // Keys rising through every chunk, and from one chunk to the next,
            // hold no duplicate.
            logs.retain(|(log, _)| !log.fps.is_empty());
            let rising = logs.iter().all(|(log, _)| log.rising)
                && logs.windows(2).all(|w| w[0].0.last < w[1].0.first);
            if !rising {
                let mut keys: Vec<(u64, u32)> = Vec::new();
                for (mut log, shift) in logs {
                    if log.rising {
                        log.fps.sort_unstable();
                    }
                    keys.extend(log.fps.into_iter().map(|(fp, l)| (fp, l + shift as u32)));
                }
                out.errors.extend(self.confirm_duplicates(t, slot, keys));
            }
        }
        // An item counts once, by its best row.
        let mut accs = accs.unwrap_or_default();
        for (set, items) in tp.item_sets.iter().zip(sets.unwrap_or_default()) {
            for (lane, &ci) in set.lanes.iter().enumerate() {
                let (Consumer::Part { .. }, Some(Acc::Part { counts, .. })) =
                    (tp.consumers[ci], accs.get_mut(ci))
                else {
                    continue;
                };
                let role = self.plan.part(t, ci).role;
                for best in items.lane(lane) {
                    let (n, den) = counts_for(role, best.outcome);
                    let e = slot(counts, best.dept as usize);
                    e[0] += n;
                    e[1] += den;
                }
            }
        }
        // Fold the pass's figures into department names.
        for (c, acc) in tp.consumers.iter().zip(accs) {
            match (c, acc) {
                (Consumer::Part { ind, part }, Acc::Part { counts, per }) => {
                    let dst = out.parts.entry((*ind, *part)).or_default();
                    add_per(&mut dst.per, per);
                    for (d, n) in counts.into_iter().enumerate() {
                        if n != [0, 0] {
                            let e = dst.counts.entry(depts.0[d].clone()).or_default();
                            e[0] += n[0];
                            e[1] += n[1];
                        }
                    }
                }
                (Consumer::Measure { ind, let_ }, Acc::Measure { by_dept, lookups }) => {
                    let dst = out.measures.entry((*ind, *let_)).or_default();
                    for (d, x) in by_dept.into_iter().enumerate() {
                        if x.n > 0 {
                            dst.by_dept.entry(depts.0[d].clone()).or_default().merge(x);
                        }
                    }
                    dst.lookups.extend(lookups);
                }
                (Consumer::Agg(a), Acc::Agg(v)) => {
                    out.aggs.insert(*a, v);
                }
                _ => unreachable!("accumulator kinds follow the consumers"),
            }
        }
        out
    }
}
