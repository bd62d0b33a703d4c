//! A pass's tallies as the counts the figures are made of
//! ([`crate::figures::Counts`]): parts added up per indicator, measures
//! folded per department and for the court.

use std::collections::HashMap;

use super::{Engine, passes::PassOut, stat::Stat};
use crate::figures::{Counts, Folded, MeasureCounts, RatioCounts, TableSummary};
use crate::ir::*;
use crate::logical::MeasureKind;
use crate::vocab::AggFn;

pub(super) fn counts(e: &Engine<'_>, out: PassOut) -> Counts {
    let p = e.policy;
    let PassOut {
        mut parts,
        mut measures,
        errors,
        rows,
        latest,
        ..
    } = out;
    let mut c = Counts {
        errors,
        latest,
        ..Counts::default()
    };
    let lp = &e.plan.logical;
    for (ii, ind) in p.indicators.iter().enumerate() {
        match &ind.body {
            Body::Ratio(_) => {
                let mut rc = RatioCounts::default();
                let first = lp.parts.partition_point(|x| x.ind < ii);
                for part in lp.parts[first..].iter().take_while(|x| x.ind == ii) {
                    let Some(acc) = parts.remove(&(ii, part.part)) else {
                        continue;
                    };
                    for (d, n) in acc.counts {
                        let x = rc.by_dept.entry(d).or_default();
                        x[0] += n[0];
                        x[1] += n[1];
                        rc.court[0] += n[0];
                        rc.court[1] += n[1];
                    }
                    for (k, n) in acc.per {
                        let x = rc.per.entry(k).or_default();
                        x[0] += n[0];
                        x[1] += n[1];
                    }
                }
                c.ratios.insert(ii, rc);
            }
            Body::Formula { .. } => {}
        }
    }
    // A measure's tally folded by the measure's fold (a count adds its records).
    for m in &lp.measures {
        let Some(acc) = measures.remove(&(m.ind, m.index)) else {
            continue;
        };
        let func = match &m.kind {
            MeasureKind::Lookup(_) => {
                let hits = MeasureCounts::Lookup { hits: acc.lookups };
                c.measures.insert((m.ind, m.index), hits);
                continue;
            }
            MeasureKind::Count => AggFn::Sum,
            MeasureKind::Fold(func, _) => *func,
        };
        let mut all = Stat::default();
        let by_dept: HashMap<String, Folded> = acc
            .by_dept
            .into_iter()
            .map(|(d, s)| {
                let f = Folded {
                    value: s.fold(func),
                    records: s.n,
                };
                all.merge(s);
                (d, f)
            })
            .collect();
        let folded = MeasureCounts::Folded {
            by_dept,
            court: Folded {
                value: all.fold(func),
                records: all.n,
            },
        };
        c.measures.insert((m.ind, m.index), folded);
    }
    c.data = rows
        .iter()
        .map(|(t, n)| TableSummary {
            table: p.schema.tables[*t].name.clone(),
            file: p.schema.tables[*t].file.clone(),
            rows: n.read,
            used: n.used,
            dropped: n.dropped,
        })
        .collect();
    c
}

/// The report of the engine's period from a pass's tallies.
pub(super) fn assemble(
    e: &Engine<'_>,
    out: PassOut,
    priors: &HashMap<Prior, std::sync::Arc<crate::figures::Report>>,
) -> crate::figures::Report {
    crate::figures::assemble(e.policy, &e.period, e.opts.rank, counts(e, out), priors)
}
