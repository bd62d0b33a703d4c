//! One read of a row serving the engines of every period of a run
//! (`run_periods`): what does not depend on the period is found once per row
//! and shared, and what does is asked once for all periods ([`Cond`]).
//!
//! A table's [`Fan`] says, per consumer, what decides the periods a record
//! may count in: its date (`by`), or, for a part placed by no date, its
//! `when` that reads the period (`count cases when in_handling`). A record
//! is handed to another period's engine only when some consumer may count it
//! there. The aggregates whose condition reads the period are counted by the
//! reader for every engine, their condition asked once per row. The engines
//! of a scan number departments alike, and a row's [`Facts`] carry what they
//! share: its department and scope, its distinct item's fingerprint and the
//! `when` masks.

use super::periods::Cond;
use crate::plan::{Consumer, Plan};
use crate::schema::TableId;

/// How a table's rows are handed to the engines of several periods.
pub struct Fan<'p> {
    /// Per consumer: the `when` of a part placed by no date, when it reads
    /// the period; the row's mask of it decides which engines it reaches.
    pub whens: Vec<Option<Cond<'p>>>,
    /// The aggregates whose condition reads the period: (consumer, the
    /// slot of the relation to the parent, the condition).
    pub aggs: Vec<(usize, usize, Cond<'p>)>,
    /// Some consumer counts records in every period whatever their dates
    /// (a part placed by nothing that reads the period, a measure by no date).
    pub always: bool,
}

impl<'p> Fan<'p> {
    pub fn new(plan: &'p Plan, agg_reads_period: &[bool], t: TableId) -> Fan<'p> {
        let policy = &*plan.policy;
        let tp = plan.table(t);
        let mut fan = Fan {
            whens: tp.consumers.iter().map(|_| None).collect(),
            aggs: Vec::new(),
            always: false,
        };
        for (ci, c) in tp.consumers.iter().enumerate() {
            match *c {
                Consumer::Part { .. } => {
                    let p = &plan.part(t, ci).placement;
                    match (&p.by, &p.when) {
                        (Some(_), _) => {}
                        (None, Some(w)) if policy.reads_period(w) => {
                            fan.whens[ci] = Some(Cond::compile(policy, w));
                        }
                        (None, _) => fan.always = true,
                    }
                }
                // A lookup, or a measure by no date.
                Consumer::Measure { .. } => fan.always |= plan.measure(t, ci).by.is_none(),
                // Taken from the reader by every other engine.
                Consumer::Agg(a) if !agg_reads_period[a] => {}
                Consumer::Agg(a) => match &policy.aggs[a].cond {
                    Some(cond) => {
                        fan.aggs
                            .push((ci, plan.agg_rel_slot(a), Cond::compile(policy, cond)));
                    }
                    None => fan.always = true,
                },
            }
        }
        fan
    }
}

/// What the engines of a run share about one row, found by the first that
/// needs it.
pub struct Facts<'w> {
    /// The engine consuming the row: its bit in the masks.
    pub k: usize,
    /// The aggregates that read the period were counted for every engine
    /// (by the reader, [`Fan::aggs`]): the engines count them no more.
    pub fanned: bool,
    /// The scope may be shared: no scope rule reads the period.
    pub share: bool,
    /// The row's department, by its index in the numbering the engines of
    /// a scan share.
    pub dept: Option<usize>,
    /// The first scope rule the row falls under (when `share`).
    pub scope: Option<Option<usize>>,
    /// Per consumer: the periods its `when` holds in ([`Fan::whens`]).
    pub whens: &'w [Option<u64>],
    /// The fingerprint of the row's item in an item set: (set, fingerprint).
    pub item_fp: Option<(usize, u128)>,
}

impl<'w> Facts<'w> {
    /// The facts of a row, none found yet.
    pub fn new() -> Facts<'w> {
        Facts {
            k: 0,
            fanned: false,
            share: false,
            dept: None,
            scope: None,
            whens: &[],
            item_fp: None,
        }
    }

    /// Whether consumer `ci`'s `when` holds in this engine's period, when
    /// asked for every period already.
    #[inline]
    pub fn when(&self, ci: usize) -> Option<bool> {
        self.whens
            .get(ci)
            .copied()
            .flatten()
            .map(|m| m >> self.k & 1 == 1)
    }
}
