//! Plan + data folder + period → [`Report`]. Each table is read once; every
//! indicator over it is computed in that one pass. `explain` observes the very
//! same passes (see [`Observer`]), so it can never disagree with `eval`.

mod consume;
mod counts;
mod decide;
mod engine;
mod expr;
mod fan;
mod hash;
mod item;
mod items;
mod load;
mod measure;
mod outcome;
mod passes;
mod periods;
mod read;
pub mod rows;
mod scan;
pub mod stat;
mod wave;
pub mod why;

use std::collections::HashMap;

pub use crate::figures::*;
pub use decide::counts_of;
pub use engine::Engine;
pub use expr::{Read, Shown, Special, Step, StepKind, fmt_num};
pub use item::{item_of, item_values, serialize_item, show_item_with};
pub use outcome::{Cause, Nobody, Observer, Outcome, OutcomeFilter, RecordOutcome, RowView};

use crate::data::DataError;
use crate::data::source::Source;
use crate::ir::*;
use crate::period::Period;
use crate::plan::Plan;

#[derive(Debug, Clone)]
pub struct Options {
    /// Leave rows with data errors out (with the reason) instead of failing.
    pub lenient: bool,
    pub threads: usize,
    /// Streamed files at least this large are split into chunks read in parallel.
    pub chunk_bytes: u64,
    /// Evaluate the other periods a formula reads (`previous(HC4)`); off
    /// for those evaluations themselves, which read no further back.
    pub other_periods: bool,
    /// Rank departments on every indicator (`--rank`), not only where the
    /// policy asks.
    pub rank: bool,
    /// With `lenient`: the most of a table's rows that may be left out, in
    /// per cent; more is an error all the same.
    pub max_dropped: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lenient: false,
            threads: std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4),
            chunk_bytes: 32 << 20,
            other_periods: true,
            rank: false,
            max_dropped: 1.0,
        }
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum EvalError {
    #[error("{count} data error(s) in `{dir}`")]
    #[diagnostic(
        code(zhibiao::data_errors),
        help(
            "fix the export, or run with `--lenient` to leave those rows out with the reason shown"
        )
    )]
    Data {
        dir: String,
        count: usize,
        errors: Vec<DataError>,
    },
    /// `--lenient` left out more of a table's rows than `--max-dropped` allows.
    #[error(
        "{dropped} of the {rows} rows of `{file}` were left out ({percent:.1}%, more than {max}%)"
    )]
    #[diagnostic(
        code(zhibiao::too_many_dropped),
        help(
            "fix the export (the first errors are shown), or raise `--max-dropped` if so many bad rows are expected"
        )
    )]
    TooManyDropped {
        file: String,
        rows: u64,
        dropped: u64,
        percent: f64,
        max: f64,
        /// The table's first errors.
        errors: Vec<DataError>,
    },
}

impl EvalError {
    /// The data errors behind it.
    pub fn errors(&self) -> &[DataError] {
        match self {
            EvalError::Data { errors, .. } | EvalError::TooManyDropped { errors, .. } => errors,
        }
    }
}

/// Evaluate every indicator of the plan over the tables of `data` for `period`.
pub fn eval(
    plan: &Plan,
    data: &dyn Source,
    period: &Period,
    opts: &Options,
) -> Result<Report, EvalError> {
    run(plan, data, period, opts, &mut Nobody)
}

/// Evaluate with an observer watching every record (single-threaded).
pub fn run(
    plan: &Plan,
    data: &dyn Source,
    period: &Period,
    opts: &Options,
    obs: &mut dyn Observer,
) -> Result<Report, EvalError> {
    let policy = &*plan.policy;
    // The other periods a formula reads, each evaluated once, whole, before
    // this period's tables are loaded (so their memory is not held at once).
    // For a year the period before is the same year as last year's: once.
    let mut priors: HashMap<Prior, std::sync::Arc<Report>> = HashMap::new();
    if opts.other_periods {
        let used = crate::figures::priors_used(policy);
        let ids: Vec<IndId> = used.iter().map(|(_, i)| *i).collect();
        // Only what the indicators named there need is read.
        let other_plan = crate::plan::compile_only(
            plan.policy.clone(),
            &crate::plan::with_sources(policy, &ids),
        );
        let mut kinds: Vec<Prior> = Vec::new();
        for (k, _) in &used {
            if !kinds.contains(k) {
                kinds.push(*k);
            }
        }
        let mut done: Vec<(Period, std::sync::Arc<Report>)> = Vec::new();
        for prior in kinds {
            let other = crate::figures::prior_of(period, prior);
            let r = match done.iter().find(|(p, _)| same(p, &other)) {
                Some((_, r)) => r.clone(),
                None => {
                    let o = Options {
                        other_periods: false,
                        ..opts.clone()
                    };
                    let r = std::sync::Arc::new(run(&other_plan, data, &other, &o, &mut Nobody)?);
                    done.push((other, r.clone()));
                    r
                }
            };
            priors.insert(prior, r);
        }
    }
    let (engines, mut totals) =
        passes::passes(plan, data, std::slice::from_ref(period), opts, obs)?;
    let total = totals.pop().unwrap_or_default();
    Ok(counts::assemble(&engines[0], total, &priors))
}

fn same(a: &Period, b: &Period) -> bool {
    a.start == b.start && a.end == b.end
}

/// Evaluate every indicator for several periods in one pass over the data:
/// each record is placed into every period it falls in. The reports are
/// those `eval` gives for each period alone, in the order asked; the observer
/// watches the first period's records.
pub fn run_periods(
    plan: &Plan,
    data: &dyn Source,
    periods: &[Period],
    opts: &Options,
    obs: &mut dyn Observer,
) -> Result<Vec<Report>, EvalError> {
    let policy = &*plan.policy;
    // The other periods the formulas read join the same pass.
    let used: Vec<Prior> = {
        let mut v: Vec<Prior> = Vec::new();
        for (k, _) in crate::figures::priors_used(policy) {
            if opts.other_periods && !v.contains(&k) {
                v.push(k);
            }
        }
        v
    };
    let mut all: Vec<Period> = Vec::new();
    for p in periods.iter().cloned().chain(
        periods
            .iter()
            .flat_map(|p| used.iter().map(|k| crate::figures::prior_of(p, *k))),
    ) {
        if !all.iter().any(|x| same(x, &p)) {
            all.push(p);
        }
    }
    let (engines, totals) = passes::passes(plan, data, &all, opts, obs)?;
    // Another period's figures are read as that period's `eval` gives them:
    // with no period further back.
    let none = HashMap::new();
    let bare: Vec<std::sync::Arc<Report>> = if used.is_empty() {
        Vec::new()
    } else {
        engines
            .iter()
            .zip(&totals)
            .map(|(e, t)| std::sync::Arc::new(counts::assemble(e, t.clone(), &none)))
            .collect()
    };
    let mut out = Vec::with_capacity(periods.len());
    for p in periods {
        let Some(i) = all.iter().position(|x| same(x, p)) else {
            continue;
        };
        let mut priors = HashMap::new();
        for k in &used {
            let other = crate::figures::prior_of(p, *k);
            if let Some(j) = all.iter().position(|x| same(x, &other)) {
                priors.insert(*k, bare[j].clone());
            }
        }
        out.push(counts::assemble(&engines[i], totals[i].clone(), &priors));
    }
    Ok(out)
}
