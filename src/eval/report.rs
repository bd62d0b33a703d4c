//! Turning the passes' counts into figures: values, targets, departments.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Engine, Outcome, PassOut};
use crate::ir::*;
use crate::period::Period;
use crate::value::fmt_day;
use crate::vocab::ArithOp;

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
    pub rows: u64,
    /// Rows left out because of data errors (`--lenient`).
    pub dropped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    pub who: String,
    pub op: String,
    pub value: f64,
    /// `null` when the figure is undefined (never met nor failed).
    pub met: Option<bool>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined_reason: Option<String>,
    /// Terms of a sum that were undefined and counted as 0, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub targets: Vec<TargetResult>,
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
    pub derived_from: Vec<String>,
    pub related: Vec<String>,
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
    pub warnings: Vec<String>,
    /// Data errors left out under `--lenient`.
    pub dropped_errors: Vec<crate::data::DataError>,
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
    Undef(String),
}

pub(super) fn assemble(e: &Engine<'_>, mut out: PassOut) -> Report {
    let p = e.policy;
    let mut figures: Vec<Vec<Figure>> = vec![Vec::new(); p.indicators.len()];
    let mut warnings = Vec::new();
    for &ii in &p.order {
        let mut figure_notes: HashMap<String, Vec<String>> = HashMap::new();
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
                let mk = |c: [u64; 2]| {
                    let v = if c[1] > 0 {
                        V::Def(c[0] as f64 / c[1] as f64 * 100.0)
                    } else {
                        V::Undef("the denominator is 0 (no records)".into())
                    };
                    (Some(c[0] as f64), Some(c[1] as f64), v, None)
                };
                for (d, c) in &counts {
                    if !d.is_empty() {
                        vals.insert(d.clone(), mk(*c));
                    }
                }
                vals.insert(COURT.to_string(), mk(court));
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
                                        [None] => V::Undef(format!(
                                            "the matching `{tname}` row has no value for `{}`",
                                            l.name
                                        )),
                                        [] => V::Undef(format!(
                                            "no `{tname}` row matches `{}` for {} – {}",
                                            p.text_of(filter.loc),
                                            fmt_day(e.period.start),
                                            fmt_day(e.period.end)
                                        )),
                                        many => V::Undef(format!(
                                            "{} `{tname}` rows match `{}`; expected one",
                                            many.len(),
                                            p.text_of(filter.loc)
                                        )),
                                    }
                                }
                                _ => {
                                    let x = acc.map_or(0.0, |a| {
                                        if dept == COURT {
                                            a.by_dept.values().fold(0.0, |x, y| x + y)
                                        } else {
                                            a.by_dept.get(dept).copied().unwrap_or(0.0)
                                        }
                                    });
                                    V::Def(x)
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
                    let v = vexpr(value, &lv, lets, &figures, p, &mut notes, dept);
                    if !notes.is_empty() && matches!(v, V::Def(_)) {
                        figure_notes.insert(dept.to_string(), notes);
                    }
                    let v = match v {
                        V::Def(x) if !x.is_finite() => {
                            V::Undef("the formula has no finite value".into())
                        }
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
            let (num, den, v, measures) = values.get(dept).cloned().unwrap_or((
                Some(0.0),
                Some(0.0),
                V::Undef("the denominator is 0 (no records)".into()),
                None,
            ));
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
                .map(|t| TargetResult {
                    who: t.who.clone(),
                    op: t.op.as_str().to_string(),
                    value: t.value,
                    met: value.map(|v| t.met(v)),
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
                measures,
            });
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
        });
    }
    let mut data: Vec<TableSummary> = out
        .rows
        .iter()
        .map(|(t, (rows, dropped))| TableSummary {
            table: p.schema.tables[*t].name.clone(),
            file: p.schema.tables[*t].file.clone(),
            rows: *rows,
            dropped: *dropped,
        })
        .collect();
    data.sort_by(|a, b| a.table.cmp(&b.table));
    for s in &data {
        if s.dropped > 0 {
            warnings.push(format!(
                "{} row(s) of `{}` were left out because of data errors",
                s.dropped, s.file
            ));
        }
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
    }
}

#[allow(clippy::too_many_arguments)]
fn vexpr(
    v: &VExpr,
    lets: &[V],
    defs: &[Let],
    figures: &[Vec<Figure>],
    p: &Policy,
    notes: &mut Vec<String>,
    dept: &str,
) -> V {
    let name = |x: &VExpr| -> String {
        match x {
            VExpr::Let(i) => format!("`{}`", defs[*i].name),
            VExpr::Ind(i) => format!("`{}`", p.indicators[*i].code),
            _ => "the divisor".into(),
        }
    };
    match v {
        VExpr::Num(n) => V::Def(*n),
        VExpr::Let(i) => lets[*i].clone(),
        VExpr::Ind(i) => match figures[*i].iter().find(|f| f.department == dept) {
            Some(Figure { value: Some(x), .. }) => V::Def(*x),
            Some(Figure {
                undefined_reason: r,
                ..
            }) => V::Undef(format!(
                "`{}` is undefined: {}",
                p.indicators[*i].code,
                r.clone().unwrap_or_default()
            )),
            None => V::Undef(format!(
                "`{}` has no records for {dept}",
                p.indicators[*i].code
            )),
        },
        VExpr::Arith(op, a, b) => {
            let x = vexpr(a, lets, defs, figures, p, notes, dept);
            let y = vexpr(b, lets, defs, figures, p, notes, dept);
            match op {
                // In a sum an undefined term counts as 0; the sum is undefined
                // only when every term is.
                ArithOp::Add | ArithOp::Sub => match (x, y) {
                    (V::Undef(r), V::Undef(_)) => V::Undef(r),
                    (V::Def(a), V::Undef(r)) => {
                        notes.push(format!("counted as 0: {r}"));
                        V::Def(a)
                    }
                    (V::Undef(r), V::Def(b)) => {
                        notes.push(format!("counted as 0: {r}"));
                        V::Def(if *op == ArithOp::Add { b } else { -b })
                    }
                    (V::Def(a), V::Def(b)) => {
                        V::Def(if *op == ArithOp::Add { a + b } else { a - b })
                    }
                },
                ArithOp::Mul => match (x, y) {
                    (V::Def(a), V::Def(b)) => V::Def(a * b),
                    (V::Undef(r), _) | (_, V::Undef(r)) => V::Undef(r),
                },
                ArithOp::Div => match (x, y) {
                    (V::Def(_), V::Def(0.0)) => V::Undef(format!("{} is 0", name(b_expr(v)))),
                    (V::Def(a), V::Def(b)) => V::Def(a / b),
                    (V::Undef(r), _) | (_, V::Undef(r)) => V::Undef(r),
                },
            }
        }
        VExpr::Min(xs) | VExpr::Max(xs) => {
            let mut acc: Option<f64> = None;
            for x in xs {
                match vexpr(x, lets, defs, figures, p, notes, dept) {
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
            acc.map_or(V::Undef("no arguments".into()), V::Def)
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
