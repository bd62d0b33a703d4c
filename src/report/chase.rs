//! The records to fix: an observer of the report period's pass that keeps,
//! per indicator and department, the records that pull a figure the wrong
//! way: counted in the denominator but not the numerator under a floor
//! (`>= 60`), counted in the numerator under a limit (`<= 3`).

use std::collections::HashMap;

use serde::Serialize;

use crate::eval::{COURT, Observer, Outcome, RecordOutcome, Report, RowView, TargetResult};
use crate::ir::{Body, IndId, Policy, Role};
use crate::plan::Consumer;
use crate::schema::TableId;
use crate::vocab::CmpOp;

/// One missed target's list.
#[derive(Debug, Clone, Serialize)]
pub struct ChaseList {
    pub indicator: String,
    pub name: String,
    pub department: String,
    pub target: TargetResult,
    /// The counted indicator whose records these are: the indicator itself,
    /// or for a computed one, each it is derived from.
    pub source: String,
    /// What the records did there (`denominator`: counted, but not in the numerator).
    pub outcome: Outcome,
    /// Every such record of the period; `records` holds the first of them.
    pub total: usize,
    /// The context columns shown with each record (案号, dates, …).
    pub columns: Vec<String>,
    pub records: Vec<ChaseRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChaseRecord {
    pub table: String,
    pub key: String,
    pub line: u64,
    pub department: Option<String>,
    pub reason: Option<String>,
    /// The rule that decided (`file:line`).
    pub rule: Option<String>,
    pub context: Vec<String>,
}

/// Keeps the records that pull each figure the wrong way (the first
/// `cap` per indicator and department, in file order) and counts them all.
pub struct Chase {
    /// Per indicator: the outcome that pulls it the wrong way, if it (or an
    /// indicator computed from it) has a target.
    wanted: Vec<Option<Outcome>>,
    /// Per indicator and counted part: whether its records with that outcome
    /// are the ones that miss. A part that counts only the denominator
    /// cannot say which of its records miss; one counting both can.
    parts: Vec<Vec<bool>>,
    cap: usize,
    kept: HashMap<(IndId, String), Vec<RecordOutcome>>,
    counted: HashMap<(IndId, String), usize>,
}

/// The outcome that pulls an indicator with these targets the wrong way.
fn wrong_way(ind: &crate::ir::Indicator) -> Option<Outcome> {
    if ind.targets.is_empty() {
        return None;
    }
    let limits = ind
        .targets
        .iter()
        .all(|t| t.upper.is_none() && matches!(t.op, CmpOp::Le | CmpOp::Lt));
    Some(if limits {
        Outcome::Numerator
    } else {
        Outcome::Denominator
    })
}

impl Chase {
    pub fn new(p: &Policy, cap: usize) -> Chase {
        let mut wanted: Vec<Option<Outcome>> = p.indicators.iter().map(wrong_way).collect();
        // A computed indicator's target is chased in the counted ones it is made of.
        for ind in &p.indicators {
            if let (Body::Formula { .. }, Some(dir)) = (&ind.body, wrong_way(ind)) {
                for (d, _) in &ind.derived_from {
                    if matches!(p.indicators[*d].body, Body::Ratio(_)) && wanted[*d].is_none() {
                        wanted[*d] = Some(dir);
                    }
                }
            }
        }
        let parts = p
            .indicators
            .iter()
            .zip(&wanted)
            .map(|(ind, w)| match (&ind.body, w) {
                (Body::Ratio(parts), Some(o)) => parts
                    .iter()
                    .map(|part| {
                        matches!(
                            (part.role, o),
                            (Role::Both, _) | (Role::Numerator, Outcome::Numerator)
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        Chase {
            wanted,
            parts,
            cap,
            kept: HashMap::new(),
            counted: HashMap::new(),
        }
    }

    /// The lists of the targets `report` finds missed.
    pub fn lists(&self, p: &Policy, report: &Report, show_personal: bool) -> Vec<ChaseList> {
        let mut out = Vec::new();
        for ind in &report.indicators {
            let Some(ii) = p.indicators.iter().position(|i| i.code == ind.indicator) else {
                continue;
            };
            let sources: Vec<IndId> = match &p.indicators[ii].body {
                Body::Ratio(_) => vec![ii],
                Body::Formula { .. } => p.indicators[ii]
                    .derived_from
                    .iter()
                    .map(|(d, _)| *d)
                    .filter(|d| matches!(p.indicators[*d].body, Body::Ratio(_)))
                    .collect(),
            };
            for f in ind.figures.iter().filter(|f| f.missed()) {
                let Some(target) = f.targets.iter().find(|t| t.met == Some(false)) else {
                    continue;
                };
                for &src in &sources {
                    let Some(outcome) = self.wanted[src] else {
                        continue;
                    };
                    if !self.listable(src) {
                        continue;
                    }
                    let key = (src, f.department.clone());
                    let records_table =
                        self.kept.get(&key).and_then(|v| v.first()).map(|o| o.table);
                    let records: Vec<ChaseRecord> = self
                        .kept
                        .get(&key)
                        .map(|v| {
                            v.iter()
                                .map(|o| {
                                    let e = crate::explain::describe(
                                        p,
                                        &report.period,
                                        o,
                                        show_personal,
                                    );
                                    let list = &p.schema.tables[o.table].list;
                                    ChaseRecord {
                                        table: e.table,
                                        key: e.key,
                                        line: e.line,
                                        department: e.department,
                                        // The bulletin is written in Chinese.
                                        reason: e
                                            .reason
                                            .as_ref()
                                            .map(|r| crate::words::Lang::Zh.reason(r)),
                                        rule: e.rule,
                                        context: o
                                            .context
                                            .iter()
                                            .zip(list)
                                            .map(|(v, lc)| {
                                                if lc.personal && !show_personal {
                                                    crate::explain::mask(v)
                                                } else {
                                                    v.clone()
                                                }
                                            })
                                            .collect(),
                                    }
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    out.push(ChaseList {
                        indicator: ind.indicator.clone(),
                        name: ind.name.clone(),
                        department: f.department.clone(),
                        target: target.clone(),
                        source: p.indicators[src].code.clone(),
                        outcome,
                        total: self.counted.get(&key).copied().unwrap_or(0),
                        columns: records_table
                            .or_else(|| p.indicators[src].tables().first().copied())
                            .map(|t| {
                                p.schema.tables[t]
                                    .list
                                    .iter()
                                    .map(|lc| lc.label.clone())
                                    .collect()
                            })
                            .unwrap_or_default(),
                        records,
                    });
                }
            }
        }
        out
    }
}

impl Chase {
    /// Whether the records that miss indicator `ind` can be told one by one.
    pub fn listable(&self, ind: IndId) -> bool {
        self.parts.get(ind).is_some_and(|p| p.iter().any(|x| *x))
    }
}

impl Observer for Chase {
    fn wants(&mut self, _: TableId, _: &str, _: &RowView<'_>) -> bool {
        true
    }
    fn keeps(&self, o: &RecordOutcome) -> bool {
        let Consumer::Part { ind, part } = o.consumer else {
            return false;
        };
        self.wanted.get(ind).copied().flatten() == Some(o.outcome)
            && self
                .parts
                .get(ind)
                .and_then(|p| p.get(part))
                .copied()
                .unwrap_or(false)
    }
    fn few(&self) -> bool {
        // Kept by cause alone, and capped as they come in: served on every core.
        true
    }
    fn trails(&self) -> bool {
        false
    }
    fn context(&self) -> bool {
        true
    }
    fn filter(&self) -> Option<crate::eval::OutcomeFilter> {
        Some(crate::eval::OutcomeFilter {
            parts: self
                .parts
                .iter()
                .zip(&self.wanted)
                .map(|(parts, w)| parts.iter().map(|on| w.filter(|_| *on)).collect())
                .collect(),
            context: true,
        })
    }
    fn record(&mut self, o: RecordOutcome) {
        if !self.keeps(&o) {
            return;
        }
        // Counted in its department's list and the court's; kept while the
        // list is not full (a list holds the first `cap` of those counted).
        let own = (o.ind, o.department.clone().unwrap_or_default());
        let court = (o.ind, COURT.to_string());
        let mut keep = [false; 2];
        for (k, key) in keep.iter_mut().zip([&own, &court]) {
            let n = match self.counted.get_mut(key) {
                Some(n) => {
                    *n += 1;
                    *n
                }
                None => {
                    self.counted.insert(key.clone(), 1);
                    1
                }
            };
            *k = n <= self.cap;
        }
        match keep {
            [true, true] => {
                self.kept.entry(own).or_default().push(o.clone());
                self.kept.entry(court).or_default().push(o);
            }
            [true, false] => self.kept.entry(own).or_default().push(o),
            [false, true] => self.kept.entry(court).or_default().push(o),
            [false, false] => {}
        }
    }
}
