//! Turning the passes' counts into figures: values, targets, departments.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::why::{Back, Note, Operand, Undefined};
use super::{Engine, Outcome, PassOut};
use crate::ir::*;
use crate::period::Period;
use crate::value::fmt_day;
use crate::vocab::{AggFn, ArithOp, CmpOp};
use crate::warning::Warning;

/// The department name used for whole-court figures.
pub const COURT: &str = "court";

#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    pub title: String,
    pub document: String,
    pub version: String,
    pub effective: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableSummary {
    pub table: String,
    pub file: String,
    /// Records read from the file.
    pub rows: u64,
    /// Records handed to the indicators: `rows` = `used` + `dropped`.
    pub used: u64,
    /// Rows left out because of data errors (`--lenient`), each with its
    /// error in the report's `dropped_rows`.
    pub dropped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    pub who: String,
    pub op: String,
    /// The value in force for the period (a schedule's of that month).
    pub value: f64,
    /// The high end of an interval target (`op` is then `in`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// `null` when the figure is undefined (never met nor failed).
    pub met: Option<bool>,
    /// How a missed target was missed: `below` a floor, `above` a limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub miss: Option<Miss>,
    pub principle: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub document: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub department: String,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// Percent; `None` when undefined.
    pub value: Option<f64>,
    /// Why the value is undefined (rendered by [`crate::words`]).
    #[serde(rename = "undefined", skip_serializing_if = "Option::is_none")]
    pub undefined_reason: Option<Undefined>,
    /// Undefined values a default stood in for (`HC3b or 0`), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    pub targets: Vec<TargetResult>,
    /// Its place among the departments (1 the best; ties share a place),
    /// when the policy or the user asks for ranks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// For computed indicators: the `let` measures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measures: Option<BTreeMap<String, Option<f64>>>,
}

impl Figure {
    pub fn missed(&self) -> bool {
        self.targets.iter().any(|t| t.met == Some(false))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub indicator: String,
    pub name: String,
    pub core: bool,
    pub cite: Option<String>,
    /// What the value is (`percent`, `days`, …).
    pub unit: Unit,
    pub derived_from: Vec<String>,
    pub related: Vec<String>,
    pub figures: Vec<Figure>,
    /// Figures per value of the `per` column (`per judge_id`), beside the departments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<PerFigures>,
}

/// An indicator's figures per value of a column: one per judge.
#[derive(Debug, Clone, Serialize)]
pub struct PerFigures {
    /// The column, as written: `judge_id`.
    pub by: String,
    /// One figure per value (its `department` holds the value), in value
    /// order; no targets (they are set for departments).
    pub figures: Vec<Figure>,
}

impl IndicatorResult {
    pub fn figure(&self, dept: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.department == dept)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub policy: PolicyInfo,
    pub period: Period,
    pub indicators: Vec<IndicatorResult>,
    pub data: Vec<TableSummary>,
    pub warnings: Vec<crate::warning::Warning>,
    /// Data errors left out under `--lenient`.
    pub dropped_errors: Vec<crate::data::DataError>,
    /// The latest date any record read is placed by: how far the export reaches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_as_of: Option<String>,
}

impl Report {
    pub fn indicator(&self, code: &str) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|i| i.indicator == code)
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
enum V {
    Def(f64),
    Undef(Undefined),
}

pub(super) fn assemble(
    e: &Engine<'_>,
    mut out: PassOut,
    priors: &HashMap<Prior, std::sync::Arc<Report>>,
) -> Report {
    let p = e.policy;
    let mut figures: Vec<Vec<Figure>> = vec![Vec::new(); p.indicators.len()];
    let mut per_figures: Vec<Option<PerFigures>> = vec![None; p.indicators.len()];
    let mut warnings = Vec::new();
    for &ii in &p.order {
        let mut figure_notes: HashMap<String, Vec<Note>> = HashMap::new();
        let ind = &p.indicators[ii];
        let (found, values): (Vec<String>, HashMap<String, Cell>) = match &ind.body {
            Body::Ratio(parts) => {
                let mut counts: HashMap<String, [u64; 2]> = HashMap::new();
                for pi in 0..parts.len() {
                    if let Some(acc) = out.parts.get(&(ii, pi)) {
                        for (d, c) in &acc.counts {
                            let x = counts.entry(d.clone()).or_default();
                            x[0] += c[0];
                            x[1] += c[1];
                        }
                    }
                }
                let mut court = [0u64; 2];
                for c in counts.values() {
                    court[0] += c[0];
                    court[1] += c[1];
                }
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
                    let mut by: BTreeMap<String, [u64; 2]> = BTreeMap::new();
                    for pi in 0..parts.len() {
                        if let Some(acc) = out.parts.get(&(ii, pi)) {
                            for (k, c) in &acc.per {
                                let x = by.entry(k.clone()).or_default();
                                x[0] += c[0];
                                x[1] += c[1];
                            }
                        }
                    }
                    let mut figs: Vec<Figure> = by
                        .into_iter()
                        .map(|(k, c)| {
                            let (num, den, v, _) = mk(c);
                            let (value, reason) = match v {
                                V::Def(x) => (Some(x), None),
                                V::Undef(r) => (None, Some(r)),
                            };
                            Figure {
                                department: if k.is_empty() { "(empty)".into() } else { k },
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
                    if let Some(acc) = out.measures.get(&(ii, li)) {
                        found.extend(acc.by_dept.keys().filter(|d| !d.is_empty()).cloned());
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
                            let v = match &l.measure {
                                Measure::Lookup { table, filter, .. } => {
                                    let hits = acc.map_or(&[][..], |a| a.lookups.as_slice());
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
                                            start: fmt_day(e.period.start),
                                            end: fmt_day(e.period.end),
                                        }),
                                        many => V::Undef(Undefined::LookupMany {
                                            table: tname.clone(),
                                            filter: p.text_of(filter.loc).to_string(),
                                            rows: many.len(),
                                        }),
                                    }
                                }
                                m => {
                                    let mut st = super::stat::Stat::default();
                                    if let Some(a) = acc {
                                        if dept == COURT {
                                            for s in a.by_dept.values() {
                                                st.merge(s.clone());
                                            }
                                        } else if let Some(s) = a.by_dept.get(dept) {
                                            st.merge(s.clone());
                                        }
                                    }
                                    let func = match m {
                                        Measure::Agg { func, .. } => *func,
                                        _ => AggFn::Sum,
                                    };
                                    match st.fold(func) {
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
        let rank = |d: &String| {
            p.departments
                .iter()
                .position(|x| x == d)
                .unwrap_or(usize::MAX)
        };
        depts.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
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
                    let in_force = t.value_at(e.period.end)?;
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
        if let Some(ascending) = ind.rank.or(e.opts.rank.then(|| lower_is_better(ind))) {
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
    let mut data: Vec<TableSummary> = out
        .rows
        .iter()
        .map(|(t, c)| TableSummary {
            table: p.schema.tables[*t].name.clone(),
            file: p.schema.tables[*t].file.clone(),
            rows: c.read,
            used: c.used,
            dropped: c.dropped,
        })
        .collect();
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
    if e.period.start < p.meta.effective {
        warnings.push(Warning::BeforeEffective {
            start: fmt_day(e.period.start),
            effective: fmt_day(p.meta.effective),
        });
    }
    let _ = Outcome::Numerator;
    Report {
        policy: PolicyInfo {
            title: p.meta.title.clone(),
            document: p.meta.document.clone(),
            version: p.meta.version.clone(),
            effective: fmt_day(p.meta.effective),
        },
        period: e.period.clone(),
        indicators,
        data,
        warnings,
        dropped_errors: std::mem::take(&mut out.errors),
        data_as_of: out.latest.map(fmt_day),
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

/// What a value formula is evaluated against, for one department.
struct Vx<'a> {
    lets: &'a [V],
    defs: &'a [Let],
    figures: &'a [Vec<Figure>],
    priors: &'a HashMap<Prior, std::sync::Arc<Report>>,
    p: &'a Policy,
    dept: &'a str,
}

impl Vx<'_> {
    /// An indicator's figure for this department, in this period's figures.
    fn figure_value(&self, i: IndId, figs: &[Figure], when: Option<Back>) -> V {
        let code = self.p.indicators[i].code.clone();
        match figs.iter().find(|f| f.department == self.dept) {
            Some(Figure { value: Some(x), .. }) => V::Def(*x),
            Some(Figure {
                undefined_reason: r,
                ..
            }) => V::Undef(Undefined::Indicator {
                code,
                when,
                reason: Box::new(r.clone().unwrap_or(Undefined::NoRecords)),
            }),
            None => V::Undef(Undefined::NoFigure {
                code,
                when,
                department: self.dept.to_string(),
            }),
        }
    }

    /// An undefined value propagates through every operation; `A or B`
    /// is where a policy says what stands in for it.
    fn eval(&self, v: &VExpr, notes: &mut Vec<Note>) -> V {
        let name = |x: &VExpr| -> Operand {
            match x {
                VExpr::Let(i) => Operand::Measure(self.defs[*i].name.clone()),
                VExpr::Ind(i) => Operand::Indicator(self.p.indicators[*i].code.clone()),
                _ => Operand::Expression,
            }
        };
        match v {
            VExpr::Num(n) => V::Def(*n),
            VExpr::Let(i) => self.lets[*i].clone(),
            VExpr::Ind(i) => self.figure_value(*i, &self.figures[*i], None),
            VExpr::Prior(i, k) => {
                let code = &self.p.indicators[*i].code;
                match self.priors.get(k) {
                    Some(r) => {
                        let when = Back {
                            prior: *k,
                            period: r.period.label.clone(),
                        };
                        let figs = r.indicator(code).map_or(&[][..], |x| &x.figures);
                        self.figure_value(*i, figs, Some(when))
                    }
                    None => V::Undef(Undefined::PriorNotEvaluated {
                        code: code.clone(),
                        prior: *k,
                    }),
                }
            }
            VExpr::Or(a, b) => match self.eval(a, notes) {
                V::Def(x) => V::Def(x),
                V::Undef(r) => {
                    let d = self.eval(b, notes);
                    if let V::Def(x) = d {
                        notes.push(Note::StandsIn {
                            value: x,
                            reason: r,
                        });
                    }
                    d
                }
            },
            VExpr::Arith(op, a, b) => {
                let x = self.eval(a, notes);
                let y = self.eval(b, notes);
                match (x, y) {
                    (V::Undef(r), _) | (_, V::Undef(r)) => V::Undef(r),
                    (V::Def(x), V::Def(y)) => match op {
                        ArithOp::Add => V::Def(x + y),
                        ArithOp::Sub => V::Def(x - y),
                        ArithOp::Mul => V::Def(x * y),
                        ArithOp::Div if y == 0.0 => V::Undef(Undefined::ZeroDivisor {
                            divisor: name(b_expr(v)),
                        }),
                        ArithOp::Div => V::Def(x / y),
                    },
                }
            }
            VExpr::SumDefined(xs) => {
                let mut acc: Option<f64> = None;
                let mut left = Vec::new();
                let mut first = None;
                for x in xs {
                    match self.eval(x, notes) {
                        V::Def(y) => acc = Some(acc.unwrap_or(0.0) + y),
                        V::Undef(r) => {
                            first.get_or_insert_with(|| r.clone());
                            left.push(r);
                        }
                    }
                }
                match acc {
                    Some(x) => {
                        notes.extend(left.into_iter().map(|r| Note::LeftOutOfSum { reason: r }));
                        V::Def(x)
                    }
                    None => V::Undef(first.unwrap_or(Undefined::NoTerms)),
                }
            }
            VExpr::Min(xs) | VExpr::Max(xs) => {
                let mut acc: Option<f64> = None;
                for x in xs {
                    match self.eval(x, notes) {
                        V::Undef(r) => return V::Undef(r),
                        V::Def(y) => {
                            acc = Some(match (acc, v) {
                                (None, _) => y,
                                (Some(a), VExpr::Min(_)) => a.min(y),
                                (Some(a), _) => a.max(y),
                            })
                        }
                    }
                }
                acc.map_or(V::Undef(Undefined::NoArguments), V::Def)
            }
        }
    }
}

fn b_expr(v: &VExpr) -> &VExpr {
    match v {
        VExpr::Arith(_, _, b) => b,
        other => other,
    }
}

/// A target number as written: `45`, `23.8`.
pub fn fmt_target(v: f64) -> String {
    super::expr::fmt_num(v)
}
