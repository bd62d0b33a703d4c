//! The 周通报: figures of a period with their trend, the departments below
//! target and the records to fix, as a plain-data view model ([`Bulletin`])
//! that the renderers (HTML, XLSX, Markdown) print without computing anything.
//!
//! [`build`] evaluates every period of the bulletin (the trend, the period
//! before, the same period last year) in one pass over the data
//! ([`crate::eval::run_periods`]) while [`chase::Chase`] keeps the records of
//! the period that miss a target.

pub mod chase;
pub mod html;
pub mod markdown;
mod svg;
pub mod words;
pub mod xlsx;

use serde::Serialize;

use crate::eval::{COURT, EvalError, Figure, IndicatorResult, Options, Report, TargetResult};
use crate::ir::Miss;
use crate::period::Period;
use crate::vocab::Unit;

/// What the bulletin covers beyond the period itself.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Periods in the trend, the report's own included (weeks for a week,
    /// months for a month).
    pub trend: usize,
    /// Rank departments (never the default: the SPC asks that its quality
    /// figures not be published as rankings).
    pub rank: bool,
    /// The most records listed per indicator and department to fix.
    pub max_records: usize,
    /// Show personal data in the lists unmasked.
    pub show_personal: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            trend: 8,
            rank: false,
            max_records: 200,
            show_personal: false,
        }
    }
}

/// The whole bulletin, in the order a reader wants it.
#[derive(Debug, Clone, Serialize)]
pub struct Bulletin {
    pub title: String,
    pub document: String,
    pub version: String,
    pub effective: String,
    pub period: Period,
    /// The latest date a record of the export is placed by.
    pub data_as_of: Option<String>,
    /// The trend's periods, oldest first; the last is the report's.
    pub trend: Vec<Period>,
    /// The period before (环比) and the same period last year (同比).
    pub previous: Period,
    pub last_year: Period,
    /// Departments with figures, in the policy's order (the court apart).
    pub departments: Vec<String>,
    /// Core indicators first, then in policy order.
    pub indicators: Vec<Section>,
    /// Per department (the court last): the targets it misses.
    pub below: Vec<DeptBelow>,
    /// For each missed target: the records to fix.
    pub chases: Vec<chase::ChaseList>,
    pub ranked: bool,
    pub warnings: Vec<String>,
}

/// How a figure stands against its targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    /// Below a floor.
    Below,
    /// Above a limit.
    Above,
    /// A target, but no value to hold it to.
    Undefined,
    /// No target for this department.
    NoTarget,
}

impl Status {
    pub fn of(f: &Figure) -> Status {
        if f.targets.iter().any(|t| t.miss == Some(Miss::Above)) {
            Status::Above
        } else if f.missed() {
            Status::Below
        } else if f.targets.is_empty() {
            Status::NoTarget
        } else if f.value.is_none() || f.targets.iter().any(|t| t.met.is_none()) {
            Status::Undefined
        } else {
            Status::Met
        }
    }

    pub fn missed(self) -> bool {
        matches!(self, Status::Below | Status::Above)
    }
}

/// A change against another period: in 个百分点 for rates, in per cent otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub delta: f64,
    /// Percentage points (a rate); otherwise a relative change in per cent.
    pub points: bool,
}

impl Change {
    /// `now` against `before`; `None` when either is undefined, or a relative
    /// change from zero.
    pub fn between(unit: Unit, now: Option<f64>, before: Option<f64>) -> Option<Change> {
        let (a, b) = (now?, before?);
        if unit == Unit::Percent {
            return Some(Change {
                delta: a - b,
                points: true,
            });
        }
        (b != 0.0).then(|| Change {
            delta: (a - b) / b.abs() * 100.0,
            points: false,
        })
    }
}

/// One indicator's figures for the period.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub core: bool,
    pub unit: Unit,
    pub cite: Option<String>,
    /// The target lines in force, as the policy states them.
    pub targets: Vec<String>,
    /// The departments in policy order (or by rank when asked), the court last.
    pub rows: Vec<Row>,
    /// The trend: the court first, then each department below target.
    pub trend: Vec<Series>,
    pub derived_from: Vec<String>,
    pub related: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub department: String,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub status: Status,
    /// The department's target in force (the first, when several apply).
    pub target: Option<TargetResult>,
    pub previous: Option<f64>,
    pub change: Option<Change>,
    pub last_year: Option<f64>,
    pub year_change: Option<Change>,
    pub rank: Option<usize>,
    pub undefined_reason: Option<String>,
}

/// An indicator's value over the trend's periods for one department.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub department: String,
    pub values: Vec<Option<f64>>,
    /// The target in force at the period's end, to draw beside the line.
    pub target: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeptBelow {
    pub department: String,
    pub items: Vec<BelowItem>,
}

/// One missed target, with the indicators to push.
#[derive(Debug, Clone, Serialize)]
pub struct BelowItem {
    pub indicator: String,
    pub name: String,
    pub unit: Unit,
    pub value: Option<f64>,
    pub target: TargetResult,
    pub links: Vec<crate::render::Link>,
}

/// Evaluate the bulletin for `period`: the trend, the period before and the
/// same period last year in one pass over the data, with the records to fix.
pub fn build(
    policy: &std::sync::Arc<crate::ir::Policy>,
    data: &dyn crate::data::source::Source,
    period: &Period,
    opts: &Options,
    ro: &ReportOptions,
) -> Result<Bulletin, EvalError> {
    // The lists show each table's list columns: the plan reads them too.
    let plan = &crate::plan::compile_listing(policy.clone());
    let policy = &**policy;
    let mut trend = vec![period.clone()];
    while trend.len() < ro.trend.max(1) {
        let before = trend[0].previous();
        trend.insert(0, before);
    }
    let previous = period.previous();
    let last_year = period.same_last_year();
    // The report's period first: the list of records to fix watches it.
    let mut periods = vec![period.clone()];
    for p in trend
        .iter()
        .chain([&previous, &last_year])
        .filter(|p| !same(p, period))
    {
        if !periods.iter().any(|x| same(x, p)) {
            periods.push(p.clone());
        }
    }
    let mut watcher = chase::Chase::new(policy, ro.max_records);
    let opts = Options {
        rank: ro.rank,
        ..opts.clone()
    };
    let reports = crate::eval::run_periods(plan, data, &periods, &opts, &mut watcher)?;
    let find = |p: &Period| {
        periods
            .iter()
            .position(|x| same(x, p))
            .and_then(|i| reports.get(i))
    };
    let Some(now) = reports.first() else {
        return Err(EvalError::Data {
            dir: data.shown(),
            count: 0,
            errors: Vec::new(),
        });
    };
    let before = find(&previous);
    let year = find(&last_year);
    let series_reports: Vec<Option<&Report>> = trend.iter().map(find).collect();

    let departments = departments_of(policy, now);
    let mut indicators = Vec::new();
    for ind in &now.indicators {
        indicators.push(section(policy, ind, before, year, &series_reports));
    }
    let below = below_target(now);
    let chases = watcher.lists(policy, now, ro.show_personal);
    Ok(Bulletin {
        title: now.policy.title.clone(),
        document: now.policy.document.clone(),
        version: now.policy.version.clone(),
        effective: now.policy.effective.clone(),
        period: period.clone(),
        data_as_of: now.data_as_of.clone(),
        trend,
        previous,
        last_year,
        departments,
        indicators,
        below,
        chases,
        ranked: ro.rank,
        // The bulletin speaks Chinese.
        warnings: now
            .warnings
            .iter()
            .map(|w| crate::words::Lang::Zh.warning(w))
            .collect(),
    })
}

impl Bulletin {
    /// The unit of indicator `code`'s values (a percentage when unknown).
    pub fn unit_of(&self, code: &str) -> Unit {
        self.indicators
            .iter()
            .find(|s| s.code == code)
            .map_or(Unit::Percent, |s| s.unit)
    }
}

fn same(a: &Period, b: &Period) -> bool {
    a.start == b.start && a.end == b.end
}

/// The departments with a figure anywhere, in the policy's order.
fn departments_of(policy: &crate::ir::Policy, r: &Report) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for f in r.indicators.iter().flat_map(|i| &i.figures) {
        if f.department != COURT && !v.contains(&f.department) {
            v.push(f.department.clone());
        }
    }
    let rank = |d: &String| {
        policy
            .departments
            .iter()
            .position(|x| x == d)
            .unwrap_or(usize::MAX)
    };
    v.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    v
}

fn value_in(r: Option<&Report>, code: &str, dept: &str) -> Option<f64> {
    r?.indicator(code)?.figure(dept)?.value
}

fn section(
    policy: &crate::ir::Policy,
    ind: &IndicatorResult,
    before: Option<&Report>,
    year: Option<&Report>,
    series: &[Option<&Report>],
) -> Section {
    let mut rows: Vec<Row> = ind
        .figures
        .iter()
        .map(|f| {
            let previous = value_in(before, &ind.indicator, &f.department);
            let last_year = value_in(year, &ind.indicator, &f.department);
            Row {
                department: f.department.clone(),
                value: f.value,
                numerator: f.numerator,
                denominator: f.denominator,
                status: Status::of(f),
                target: f.targets.first().cloned(),
                previous,
                change: Change::between(ind.unit, f.value, previous),
                last_year,
                year_change: Change::between(ind.unit, f.value, last_year),
                rank: f.rank,
                // The bulletin is written in Chinese: its reasons too.
                undefined_reason: f
                    .undefined_reason
                    .as_ref()
                    .map(|u| crate::words::Lang::Zh.undefined(u)),
            }
        })
        .collect();
    // Ranked when asked: the best first, the court last.
    if rows.iter().any(|r| r.rank.is_some()) {
        rows.sort_by_key(|r| (r.department == COURT, r.rank.unwrap_or(usize::MAX)));
    }
    let line = |dept: &str, target: Option<f64>| Series {
        department: dept.to_string(),
        values: series
            .iter()
            .map(|r| value_in(*r, &ind.indicator, dept))
            .collect(),
        target,
    };
    let court_target = ind
        .figure(COURT)
        .and_then(|f| f.targets.first())
        .map(|t| t.value);
    let mut trend = vec![line(COURT, court_target)];
    for f in ind
        .figures
        .iter()
        .filter(|f| f.department != COURT && f.missed())
    {
        trend.push(line(&f.department, f.targets.first().map(|t| t.value)));
    }
    let targets = policy
        .indicators
        .iter()
        .find(|i| i.code == ind.indicator)
        .map(|i| {
            i.targets
                .iter()
                .map(|t| policy.text_of(t.loc).to_string())
                .collect()
        })
        .unwrap_or_default();
    Section {
        code: ind.indicator.clone(),
        name: ind.name.clone(),
        core: ind.core,
        unit: ind.unit,
        cite: ind.cite.clone(),
        targets,
        rows,
        trend,
        derived_from: ind.derived_from.clone(),
        related: ind.related.clone(),
    }
}

/// The targets missed, department by department, the court last.
fn below_target(r: &Report) -> Vec<DeptBelow> {
    let links = crate::render::follow_up_data(r);
    let mut by: Vec<DeptBelow> = Vec::new();
    for ind in &r.indicators {
        for f in ind.figures.iter().filter(|f| f.missed()) {
            let Some(target) = f.targets.iter().find(|t| t.met == Some(false)) else {
                continue;
            };
            let item = BelowItem {
                indicator: ind.indicator.clone(),
                name: ind.name.clone(),
                unit: ind.unit,
                value: f.value,
                target: target.clone(),
                links: links
                    .iter()
                    .find(|l| l.indicator == ind.indicator && l.department == f.department)
                    .map(|l| l.links.clone())
                    .unwrap_or_default(),
            };
            match by.iter_mut().find(|d| d.department == f.department) {
                Some(d) => d.items.push(item),
                None => by.push(DeptBelow {
                    department: f.department.clone(),
                    items: vec![item],
                }),
            }
        }
    }
    let mut order: Vec<&str> = Vec::new();
    for f in r.indicators.iter().flat_map(|i| &i.figures) {
        if !order.contains(&f.department.as_str()) {
            order.push(&f.department);
        }
    }
    by.sort_by_key(|d| {
        (
            d.department == COURT,
            order.iter().position(|o| *o == d.department),
        )
    });
    by
}
