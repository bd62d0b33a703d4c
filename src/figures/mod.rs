//! One figures assembly for every engine: what the figures of a period are
//! made of ([`Counts`]: per indicator part and department the numerator and
//! denominator counts, per `let` measure its folded value), however they were
//! counted, turned into a [`Report`]: values and why a value is undefined,
//! departments listed, targets met or missed, ranks, warnings.
//!
//! The native engine's passes give their counts here ([`crate::eval`]); so do
//! the rows the generated SQL returns on a server or in a warehouse
//! ([`rows`]). Which record counts where is decided before: this module only
//! reads counts.

mod formula;
mod report;
pub mod rows;

use std::collections::{BTreeMap, HashMap};

use crate::eval::why::{Note, Undefined};
use crate::ir::*;
use crate::period::Period;
use crate::value::{Day, fmt_day};
use crate::vocab::{AggFn, CmpOp};
use crate::warning::Warning;
use formula::Vx;
pub use report::*;

/// What the figures of one period are made of.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Per ratio indicator, its parts' counts added up.
    pub ratios: HashMap<IndId, RatioCounts>,
    /// Per `let` measure (indicator, position): what was folded.
    pub measures: HashMap<(IndId, usize), MeasureCounts>,
    /// The tables read and the rows each gave (none when a server counted).
    pub data: Vec<TableSummary>,
    /// Data errors left out under `--lenient`.
    pub errors: Vec<crate::data::DataError>,
    /// The latest date a record read is placed by.
    pub latest: Option<Day>,
}

/// A ratio indicator's counts: [numerator, denominator].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RatioCounts {
    /// Per department (`""`: records with no department, counted for the
    /// court only).
    pub by_dept: HashMap<String, [u64; 2]>,
    pub court: [u64; 2],
    /// Per value of the `per` column (`""`: records with none).
    pub per: BTreeMap<String, [u64; 2]>,
}

/// A `let` measure's folded value.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Folded {
    /// `None`: nothing to fold (an average of no amounts).
    pub value: Option<f64>,
    /// The records (with an amount) folded.
    pub records: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MeasureCounts {
    /// A count or a fold: per department it has records in, and the court.
    Folded {
        by_dept: HashMap<String, Folded>,
        court: Folded,
    },
    /// A lookup: the value of every matching row (a lookup needs one).
    Lookup { hits: Vec<Option<f64>> },
}

/// The other periods the policy's formulas read, and the indicators read there.
pub fn priors_used(p: &Policy) -> Vec<(Prior, IndId)> {
    fn walk(v: &VExpr, out: &mut Vec<(Prior, IndId)>) {
        match v {
            VExpr::Prior(i, k) if !out.contains(&(*k, *i)) => out.push((*k, *i)),
            VExpr::Arith(_, a, b) | VExpr::Or(a, b) => {
                walk(a, out);
                walk(b, out);
            }
            VExpr::Min(v) | VExpr::Max(v) | VExpr::SumDefined(v) => {
                v.iter().for_each(|x| walk(x, out))
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for ind in &p.indicators {
        if let Body::Formula { value, .. } = &ind.body {
            walk(value, &mut out);
        }
    }
    out
}

/// The other periods the policy's formulas read, each once.
pub fn priors_of(p: &Policy) -> Vec<Prior> {
    let mut kinds: Vec<Prior> = Vec::new();
    for (k, _) in priors_used(p) {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    kinds
}

/// The period a formula's `previous(X)` or `last_year(X)` reads.
pub fn prior_of(period: &Period, prior: Prior) -> Period {
    match prior {
        Prior::Previous => period.previous(),
        Prior::LastYear => period.same_last_year(),
    }
}

/// The other periods the formulas read, each once (for a year the period
/// before is the same year as last year's), in the order of `priors_of`.
pub fn other_periods(p: &Policy, period: &Period) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for k in priors_of(p) {
        let o = prior_of(period, k);
        if !out.iter().any(|x| x.start == o.start && x.end == o.end) {
            out.push(o);
        }
    }
    out
}

/// How a measure folds (a count adds its records).
pub(crate) fn fold_of(m: &Measure) -> AggFn {
    match m {
        Measure::Agg { func, .. } => *func,
        _ => AggFn::Sum,
    }
}

/// What a department with no record of a measure gets: a sum or a count of
/// nothing is 0; any other fold of nothing has no value.
fn nothing(func: AggFn) -> Folded {
    Folded {
        value: (func == AggFn::Sum).then_some(0.0),
        records: 0,
    }
}

/// Numerator, denominator, value and measures of one department.
type Cell = (
    Option<f64>,
    Option<f64>,
    V,
    Option<BTreeMap<String, Option<f64>>>,
);

#[derive(Clone, Debug)]
pub(crate) enum V {
    Def(f64),
    Undef(Undefined),
}

/// The report of `period` from its counts. `rank`: rank departments where
/// the policy does not say (the lower value the better where every target is
/// a limit). `priors`: the reports of the other periods formulas read.
pub fn assemble(
    p: &Policy,
    period: &Period,
    rank: bool,
    mut out: Counts,
    priors: &HashMap<Prior, std::sync::Arc<Report>>,
) -> Report {
    let mut figures: Vec<Vec<Figure>> = vec![Vec::new(); p.indicators.len()];
    let mut per_figures: Vec<Option<PerFigures>> = vec![None; p.indicators.len()];
    let mut warnings = Vec::new();
    for &ii in &p.order {
        let mut figure_notes: HashMap<String, Vec<Note>> = HashMap::new();
        let ind = &p.indicators[ii];
        let (found, values): (Vec<String>, HashMap<String, Cell>) = match &ind.body {
            Body::Ratio(_) => {
                let rc = out.ratios.remove(&ii).unwrap_or_default();
                let counts = rc.by_dept;
                let court = rc.court;
                let found: Vec<String> = counts.keys().filter(|d| !d.is_empty()).cloned().collect();
                let mut vals = HashMap::new();
                let scale = match ind.unit {
                    Unit::Percent => 100.0,
                    _ => 1.0,
                };
                let mk = |c: [u64; 2]| {
                    let v = if ind.unit == Unit::Count {
                        V::Def(c[0] as f64)
                    } else if c[1] > 0 {
                        V::Def(c[0] as f64 / c[1] as f64 * scale)
                    } else {
                        V::Undef(Undefined::NoRecords)
                    };
                    (Some(c[0] as f64), Some(c[1] as f64), v, None)
                };
                for (d, c) in &counts {
                    if !d.is_empty() {
                        vals.insert(d.clone(), mk(*c));
                    }
                }
                vals.insert(COURT.to_string(), mk(court));
                if let Some(per) = &ind.per {
                    let by = rc.per;
                    let mut figs: Vec<Figure> = by
                        .into_iter()
                        .map(|(k, c)| {
                            let (num, den, v, _) = mk(c);
                            let (value, reason) = match v {
                                V::Def(x) => (Some(x), None),
                                V::Undef(r) => (None, Some(r)),
                            };
                            Figure {
                                department: k,
                                numerator: num,
                                denominator: den,
                                value,
                                undefined_reason: reason,
                                notes: Vec::new(),
                                targets: Vec::new(),
                                rank: None,
                                measures: None,
                            }
                        })
                        .collect();
                    if let Some(ascending) = ind.rank {
                        rank_figures(&mut figs, ascending);
                    }
                    per_figures[ii] = Some(PerFigures {
                        by: per.label.clone(),
                        figures: figs,
                    });
                }
                (found, vals)
            }
            Body::Formula { lets, value } => {
                // Departments: those with measured records, and those of the indicators used.
                let mut found: Vec<String> = Vec::new();
                for li in 0..lets.len() {
                    if let Some(MeasureCounts::Folded { by_dept, .. }) = out.measures.get(&(ii, li))
                    {
                        found.extend(by_dept.keys().filter(|d| !d.is_empty()).cloned());
                    }
                }
                for (dep, _) in &ind.derived_from {
                    found.extend(
                        figures[*dep]
                            .iter()
                            .map(|f| f.department.clone())
                            .filter(|d| d != COURT),
                    );
                }
                found.sort();
                found.dedup();
                let mut vals = HashMap::new();
                for dept in found.iter().map(String::as_str).chain([COURT]) {
                    let mut measures = BTreeMap::new();
                    let lv: Vec<V> = lets
                        .iter()
                        .enumerate()
                        .map(|(li, l)| {
                            let acc = out.measures.get(&(ii, li));
                            let func = fold_of(&l.measure);
                            let v = match (&l.measure, acc) {
                                (Measure::Lookup { table, filter, .. }, acc) => {
                                    let hits = match acc {
                                        Some(MeasureCounts::Lookup { hits }) => hits.as_slice(),
                                        _ => &[][..],
                                    };
                                    let tname = &p.schema.tables[*table].name;
                                    match hits {
                                        [Some(x)] => V::Def(*x),
                                        [None] => V::Undef(Undefined::LookupEmpty {
                                            table: tname.clone(),
                                            name: l.name.clone(),
                                        }),
                                        [] => V::Undef(Undefined::LookupNone {
                                            table: tname.clone(),
                                            filter: p.text_of(filter.loc).to_string(),
                                            start: fmt_day(period.start),
                                            end: fmt_day(period.end),
                                        }),
                                        many => V::Undef(Undefined::LookupMany {
                                            table: tname.clone(),
                                            filter: p.text_of(filter.loc).to_string(),
                                            rows: many.len(),
                                        }),
                                    }
                                }
                                (_, acc) => {
                                    let folded = match acc {
                                        Some(MeasureCounts::Folded { court, .. })
                                            if dept == COURT =>
                                        {
                                            *court
                                        }
                                        Some(MeasureCounts::Folded { by_dept, .. }) => {
                                            by_dept.get(dept).copied().unwrap_or(nothing(func))
                                        }
                                        _ => nothing(func),
                                    };
                                    match folded.value {
                                        Some(x) => V::Def(x),
                                        None => V::Undef(Undefined::NoValues {
                                            name: l.name.clone(),
                                            func,
                                        }),
                                    }
                                }
                            };
                            measures.insert(
                                l.name.clone(),
                                match &v {
                                    V::Def(x) => Some(*x),
                                    V::Undef(_) => None,
                                },
                            );
                            v
                        })
                        .collect();
                    let mut notes = Vec::new();
                    let cx = Vx {
                        lets: &lv,
                        defs: lets,
                        figures: &figures,
                        priors,
                        p,
                        dept,
                    };
                    let v = cx.eval(value, &mut notes);
                    if !notes.is_empty() && matches!(v, V::Def(_)) {
                        figure_notes.insert(dept.to_string(), notes);
                    }
                    let v = match v {
                        V::Def(x) if !x.is_finite() => V::Undef(Undefined::NotFinite),
                        other => other,
                    };
                    vals.insert(
                        dept.to_string(),
                        (None, None, v, (!lets.is_empty()).then_some(measures)),
                    );
                }
                (found, vals)
            }
        };
        // Which departments to list.
        let mut depts: Vec<String> = match &ind.report {
            ReportMode::Court => Vec::new(),
            ReportMode::Found => found.clone(),
            ReportMode::Departments(list) => {
                let mut d = list.clone();
                d.extend(found.iter().cloned());
                d
            }
        };
        let place = |d: &String| {
            p.departments
                .iter()
                .position(|x| x == d)
                .unwrap_or(usize::MAX)
        };
        depts.sort_by(|a, b| place(a).cmp(&place(b)).then(a.cmp(b)));
        depts.dedup();
        let mut figs = Vec::new();
        for dept in depts.iter().map(String::as_str).chain([COURT]) {
            // A department listed with no records of its own.
            let none = match (&ind.body, ind.unit) {
                (Body::Ratio(_), Unit::Count) => V::Def(0.0),
                (Body::Ratio(_), _) => V::Undef(Undefined::NoRecords),
                (Body::Formula { .. }, _) => V::Undef(Undefined::NoFormulaRecords {
                    department: dept.to_string(),
                }),
            };
            let (num, den, v, measures) =
                values
                    .get(dept)
                    .cloned()
                    .unwrap_or((Some(0.0), Some(0.0), none, None));
            let (num, den) = match &ind.body {
                Body::Ratio(_) => (num.or(Some(0.0)), den.or(Some(0.0))),
                Body::Formula { .. } => (None, None),
            };
            let (value, reason) = match v {
                V::Def(x) => (Some(x), None),
                V::Undef(r) => (None, Some(r)),
            };
            let targets = ind
                .targets
                .iter()
                .filter(|t| {
                    if dept == COURT {
                        matches!(t.scope, TargetScope::Court { .. })
                    } else {
                        t.applies_to(dept)
                    }
                })
                .filter_map(|t| {
                    let in_force = t.value_at(period.end)?;
                    let miss = value.and_then(|v| t.miss(v, in_force));
                    Some((t, in_force, miss))
                })
                .map(|(t, in_force, miss)| TargetResult {
                    who: t.who.clone(),
                    op: if t.upper.is_some() {
                        "in".to_string()
                    } else {
                        t.op.as_str().to_string()
                    },
                    value: in_force,
                    upper: t.upper,
                    met: value.map(|_| miss.is_none()),
                    miss,
                    principle: t.principle,
                    owner: match &t.scope {
                        TargetScope::Court { owner } => owner.clone(),
                        _ => None,
                    },
                    document: t.document.clone(),
                })
                .collect();
            figs.push(Figure {
                department: dept.to_string(),
                numerator: num,
                denominator: den,
                value,
                undefined_reason: reason,
                notes: figure_notes.remove(dept).unwrap_or_default(),
                targets,
                rank: None,
                measures,
            });
        }
        if let Some(ascending) = ind.rank.or(rank.then(|| lower_is_better(ind))) {
            rank_figures(&mut figs, ascending);
        }
        figures[ii] = figs;
    }
    let mut indicators = Vec::new();
    // Core indicators first, then in policy order.
    let mut idx: Vec<usize> = (0..p.indicators.len()).collect();
    idx.sort_by_key(|i| (!p.indicators[*i].core, *i));
    for ii in idx {
        let ind = &p.indicators[ii];
        indicators.push(IndicatorResult {
            indicator: ind.code.clone(),
            name: ind.name.clone(),
            core: ind.core,
            cite: ind.cite.clone(),
            unit: ind.unit,
            derived_from: ind
                .derived_from
                .iter()
                .map(|(d, _)| p.indicators[*d].code.clone())
                .collect(),
            related: ind
                .related
                .iter()
                .map(|(d, _)| p.indicators[*d].code.clone())
                .collect(),
            figures: std::mem::take(&mut figures[ii]),
            per: per_figures[ii].take(),
        });
    }
    let mut data = std::mem::take(&mut out.data);
    data.sort_by(|a, b| a.table.cmp(&b.table));
    for s in &data {
        if s.dropped > 0 {
            warnings.push(Warning::LeftOut {
                rows: s.dropped,
                file: s.file.clone(),
            });
        }
    }
    // A department in the data that the policy does not declare is most
    // often a misspelling (民事审判 beside 民事审判庭): said, with the close match.
    let mut unknown: Vec<&str> = indicators
        .iter()
        .flat_map(|i| i.figures.iter().map(|f| f.department.as_str()))
        .filter(|d| *d != COURT && !p.departments.iter().any(|x| x == d))
        .collect();
    unknown.sort();
    unknown.dedup();
    for d in unknown {
        // The declared department nearest in spelling, when it is near.
        let close = p
            .departments
            .iter()
            .map(|x| (crate::check::distance(d, x), x))
            .min()
            .filter(|(n, _)| *n <= d.chars().count().div_ceil(2))
            .map(|(_, x)| x);
        warnings.push(Warning::UnknownDepartment {
            department: d.to_string(),
            close: close.cloned(),
        });
    }
    if period.start < p.meta.effective {
        warnings.push(Warning::BeforeEffective {
            start: fmt_day(period.start),
            effective: fmt_day(p.meta.effective),
        });
    }
    Report {
        policy: PolicyInfo {
            title: p.meta.title.clone(),
            document: p.meta.document.clone(),
            version: p.meta.version.clone(),
            effective: fmt_day(p.meta.effective),
        },
        period: period.clone(),
        indicators,
        data,
        warnings,
        dropped_errors: std::mem::take(&mut out.errors),
        data_as_of: out.latest.map(fmt_day),
        counted_by: None,
    }
}

/// Whether the lower value is the better: the indicator's targets are limits.
fn lower_is_better(ind: &Indicator) -> bool {
    !ind.targets.is_empty()
        && ind
            .targets
            .iter()
            .all(|t| t.upper.is_none() && matches!(t.op, CmpOp::Le | CmpOp::Lt))
}

/// Places among the departments with a value (the court is not ranked):
/// the best first, equal values sharing a place (1, 2, 2, 4).
fn rank_figures(figs: &mut [Figure], ascending: bool) {
    let mut vals: Vec<f64> = figs
        .iter()
        .filter(|f| f.department != COURT)
        .filter_map(|f| f.value)
        .collect();
    vals.sort_by(|a, b| {
        if ascending {
            a.total_cmp(b)
        } else {
            b.total_cmp(a)
        }
    });
    for f in figs.iter_mut().filter(|f| f.department != COURT) {
        f.rank = f.value.map(|v| {
            1 + vals
                .iter()
                .filter(|x| {
                    if ascending {
                        **x < v - 1e-9
                    } else {
                        **x > v + 1e-9
                    }
                })
                .count()
        });
    }
}
