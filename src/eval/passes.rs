//! The passes of one evaluation: the stored tables loaded, then the waves
//! of passes, each table read once and its rows handed to one engine per
//! period; what a pass found ([`PassOut`]) and the checks of the data errors
//! and the rows left out at the end.

use std::collections::HashMap;

use super::engine::{Engine, by_slots, memo_rel, parent_when, placed_only};
use super::outcome::Observer;
use super::{EvalError, Options, stat};
use crate::data::source::Source;
use crate::data::{DataError, DataErrorKind};
use crate::ir::*;
use crate::period::Period;
use crate::plan::{Consumer, Plan};
use crate::schema::TableId;

#[derive(Default, Clone)]
pub(super) struct PartAcc {
    /// Department ("" for none) → [numerator, denominator].
    pub(super) counts: HashMap<String, [u64; 2]>,
    /// The same per value of the part's `per` column (`per judge_id`).
    pub(super) per: HashMap<String, [u64; 2]>,
}

#[derive(Default, Clone)]
pub(super) struct MeasureAcc {
    pub(super) by_dept: HashMap<String, stat::Stat>,
    pub(super) lookups: Vec<Option<f64>>,
}

/// Add per-value counts into others.
pub(super) fn add_per(dst: &mut HashMap<String, [u64; 2]>, src: HashMap<String, [u64; 2]>) {
    for (k, n) in src {
        let e = dst.entry(k).or_default();
        e[0] += n[0];
        e[1] += n[1];
    }
}

#[derive(Default, Clone)]
pub(super) struct PassOut {
    pub(super) parts: HashMap<(IndId, usize), PartAcc>,
    pub(super) measures: HashMap<(IndId, usize), MeasureAcc>,
    pub(super) aggs: HashMap<AggId, Vec<(u32, u32)>>,
    pub(super) errors: Vec<DataError>,
    pub(super) rows: HashMap<TableId, RowCount>,
    /// The latest date a record is placed by (its `by` column), read.
    pub(super) latest: Option<crate::value::Day>,
}

/// What became of a table's rows: every record read is used (handed to the
/// indicators) or dropped (left out, with its data error); the rows an
/// explanation of one case skips unread by the search of the file are
/// neither.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RowCount {
    pub(super) read: u64,
    pub(super) used: u64,
    pub(super) dropped: u64,
}

impl RowCount {
    pub(super) fn add(&mut self, o: RowCount) {
        self.read += o.read;
        self.used += o.used;
        self.dropped += o.dropped;
    }
}

/// Read every table the plan needs once and feed its rows to one engine per
/// period. Data errors are the first engine's (it reads); every engine's
/// figures come back with the rows read and the errors left out.
pub(super) fn passes<'p>(
    plan: &'p Plan,
    data: &'p dyn Source,
    periods: &[Period],
    opts: &Options,
    obs: &mut dyn Observer,
) -> Result<(Vec<Engine<'p>>, Vec<PassOut>), EvalError> {
    let policy = &*plan.policy;
    let Some(first) = periods.first().cloned() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut engine = Engine {
        plan,
        policy,
        period: first,
        source: data,
        opts: opts.clone(),
        stores: std::sync::Arc::new((0..policy.schema.tables.len()).map(|_| None).collect()),
        aggs: vec![std::sync::Arc::default(); policy.aggs.len()],
        memo_rel: (0..policy.schema.tables.len())
            .map(|t| memo_rel(plan, t))
            .collect(),
        parent_when: (0..policy.schema.tables.len())
            .map(|t| parent_when(plan, t))
            .collect(),
        counted: (0..policy.schema.tables.len())
            .map(|t| {
                plan.tables[t]
                    .as_ref()
                    .is_some_and(|tp| tp.consumers.iter().any(|c| !matches!(c, Consumer::Agg(_))))
            })
            .collect(),
        needles: obs.needles(),
        by_slots: (0..policy.schema.tables.len())
            .map(|t| by_slots(plan, t))
            .collect(),
        filter: obs.filter(),
        sibling: false,
        agg_reads_period: Vec::new(),
        placed_only: Vec::new(),
    };
    engine.agg_reads_period = policy
        .aggs
        .iter()
        .map(|a| a.cond.as_ref().is_some_and(|c| policy.reads_period(c)))
        .collect();
    engine.placed_only = (0..policy.schema.tables.len())
        .map(|t| placed_only(plan, t, &engine.agg_reads_period))
        .collect();
    let mut total = PassOut::default();
    for &t in &plan.load_order {
        engine.load_store(t, &mut total);
        engine.resolve_self(t, &mut total);
    }
    engine.resolve_late(&mut total);
    let mut engines = vec![engine];
    for p in periods.iter().skip(1) {
        let e = engines[0].sibling(p.clone());
        engines.push(e);
    }
    for e in engines.iter_mut() {
        e.pre_aggregate();
    }
    let mut others_total: Vec<PassOut> = (1..engines.len()).map(|_| PassOut::default()).collect();
    for wave in &plan.waves {
        // An observer that keeps every outcome of every record is served in
        // file order on one thread; one that keeps few (a case, a record, a
        // bucket) is served on every core, each table's outcomes in file order.
        let active = obs.active();
        let (reader, others) = engines.split_at(1);
        let reader = &reader[0];
        let parallel = reader.opts.threads > 1 && (!active || obs.few());
        let outs: Vec<Vec<PassOut>> = if parallel {
            let shared = std::sync::Mutex::new(&mut *obs);
            reader.parallel_wave(wave, others, &shared)
        } else {
            let mut v = Vec::new();
            for &t in wave {
                v.push(reader.pass(t, others, &mut *obs));
            }
            v
        };
        for per_engine in outs {
            for (k, mut o) in per_engine.into_iter().enumerate() {
                let e = &mut engines[k];
                for (a, v) in std::mem::take(&mut o.aggs) {
                    let dst = std::sync::Arc::make_mut(&mut e.aggs[a]);
                    if dst.is_empty() {
                        *dst = v;
                        continue;
                    }
                    if dst.len() < v.len() {
                        dst.resize(v.len(), (0, 0));
                    }
                    for (i, (m, t)) in v.into_iter().enumerate() {
                        dst[i].0 += m;
                        dst[i].1 += t;
                    }
                }
                match k {
                    0 => total.merge(o),
                    _ => others_total[k - 1].merge(o),
                }
            }
        }
        // The aggregates that do not read the period are the reader's in every period.
        let (reader, others) = engines.split_at_mut(1);
        for (a, reads) in reader[0].agg_reads_period.iter().enumerate() {
            if !reads {
                for e in others.iter_mut() {
                    e.aggs[a] = reader[0].aggs[a].clone();
                }
            }
        }
    }
    let reader = &engines[0];
    // `--lenient` leaves rows out; a table that cannot be read at all is still an error.
    let whole = |k: DataErrorKind| {
        matches!(
            k,
            DataErrorKind::MissingFile
                | DataErrorKind::WrongEncoding
                | DataErrorKind::Unreadable
                | DataErrorKind::MissingColumn
        )
    };
    let unreadable = total.errors.iter().any(|e| whole(e.kind));
    if !total.errors.is_empty() && (!opts.lenient || unreadable) {
        let mut errors = std::mem::take(&mut total.errors);
        // A table that cannot be read is the error: the rows of other tables
        // pointing at its rows are not errors of their own.
        if unreadable {
            errors.retain(|e| whole(e.kind));
        }
        errors.sort_by(|a, b| (&a.file, a.line, a.column_no).cmp(&(&b.file, b.line, b.column_no)));
        return Err(EvalError::Data {
            dir: data.shown(),
            count: errors.len(),
            errors,
        });
    }
    // Rows left out: reported, and an error past the share allowed.
    for (
        &t,
        &RowCount {
            read: rows,
            dropped,
            ..
        },
    ) in &total.rows
    {
        let percent = if rows > 0 {
            dropped as f64 * 100.0 / rows as f64
        } else {
            0.0
        };
        if dropped > 0 && percent > opts.max_dropped {
            let file = data.name(&policy.schema.tables[t]);
            let mut errors: Vec<DataError> = total
                .errors
                .iter()
                .filter(|e| e.file == file)
                .take(20)
                .cloned()
                .collect();
            errors.sort_by_key(|e| (e.line, e.column_no));
            return Err(EvalError::TooManyDropped {
                file,
                rows,
                dropped,
                percent,
                max: reader.opts.max_dropped,
                errors,
            });
        }
    }
    for o in others_total.iter_mut() {
        o.rows = total.rows.clone();
        o.errors = total.errors.clone();
        o.latest = total.latest;
    }
    let mut totals = vec![total];
    totals.extend(others_total);
    Ok((engines, totals))
}

impl PassOut {
    pub(super) fn merge(&mut self, o: PassOut) {
        for (k, v) in o.parts {
            let dst = self.parts.entry(k).or_default();
            add_per(&mut dst.per, v.per);
            for (d, c) in v.counts {
                let e = dst.counts.entry(d).or_default();
                e[0] += c[0];
                e[1] += c[1];
            }
        }
        for (k, v) in o.measures {
            let dst = self.measures.entry(k).or_default();
            for (d, x) in v.by_dept {
                dst.by_dept.entry(d).or_default().merge(x);
            }
            dst.lookups.extend(v.lookups);
        }
        self.errors.extend(o.errors);
        self.latest = self.latest.max(o.latest);
        for (t, c) in o.rows {
            self.rows.entry(t).or_default().add(c);
        }
    }
}
