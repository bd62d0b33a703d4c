//! Reconciliation: the per-record outcomes `explain` reports add up exactly to
//! the numerators and denominators `eval` prints, for every indicator,
//! department and period of the example data.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use zhibiao::eval::{Options, Outcome, counts_of, eval, run};
use zhibiao::explain::{Explainer, Selector};
use zhibiao::ir::Body;
use zhibiao::period::Period;
use zhibiao::plan::{Consumer, compile};

fn policy() -> Arc<zhibiao::ir::Policy> {
    let loaded = zhibiao::workspace::load(Path::new("policies/jiading-2022.zb")).expect("load");
    Arc::new(loaded.checked.policy.expect("shipped policy checks"))
}

fn reconcile(period: Period) {
    let policy = policy();
    let plan = compile(policy.clone());
    let data = &*zhibiao::data::source::files(Path::new("examples/data"));
    let report = eval(&plan, data, &period, &Options::default()).expect("eval");
    let mut obs = Explainer::new(Selector::All);
    let opts = Options {
        threads: 1,
        ..Options::default()
    };
    run(&plan, data, &period, &opts, &mut obs).expect("explain run");

    // (indicator, department) → [numerator, denominator], from record outcomes.
    let mut counts: HashMap<(usize, String), [u64; 2]> = HashMap::new();
    // Distinct items: (indicator, part, item) → (department, best outcome).
    let mut items: HashMap<(usize, usize, String), (String, Outcome)> = HashMap::new();
    let mut measured: HashMap<(usize, usize, String), f64> = HashMap::new();
    for o in &obs.outcomes {
        let dept = o.department.clone().unwrap_or_default();
        match o.consumer {
            Consumer::Part { ind, part } => {
                let Body::Ratio(parts) = &policy.indicators[ind].body else {
                    panic!("part of a ratio")
                };
                if let Some(item) = &o.item {
                    if o.outcome >= Outcome::Denominator {
                        let e = items
                            .entry((ind, part, item.clone()))
                            .or_insert((dept, o.outcome));
                        e.1 = e.1.max(o.outcome);
                    }
                    continue;
                }
                let (n, d) = counts_of(parts[part].role, o.outcome);
                let c = counts.entry((ind, dept)).or_default();
                c[0] += n;
                c[1] += d;
            }
            Consumer::Measure { ind, let_ } => {
                if o.outcome == Outcome::Numerator {
                    *measured.entry((ind, let_, dept)).or_default() += 1.0;
                }
            }
            Consumer::Agg(_) => {}
        }
    }
    for ((ind, part, _), (dept, best)) in items {
        let Body::Ratio(parts) = &policy.indicators[ind].body else {
            continue;
        };
        let (n, d) = counts_of(parts[part].role, best);
        let c = counts.entry((ind, dept)).or_default();
        c[0] += n;
        c[1] += d;
    }

    let mut checked = 0;
    for (ii, ind) in policy.indicators.iter().enumerate() {
        let result = report.indicator(&ind.code).expect("indicator in report");
        match &ind.body {
            Body::Ratio(_) => {
                let mut court = [0u64; 2];
                for ((i, dept), c) in &counts {
                    if *i != ii {
                        continue;
                    }
                    court[0] += c[0];
                    court[1] += c[1];
                    if dept.is_empty() {
                        continue;
                    }
                    if let Some(f) = result.figure(dept) {
                        assert_eq!(
                            f.numerator,
                            Some(c[0] as f64),
                            "{} {dept} numerator",
                            ind.code
                        );
                        assert_eq!(
                            f.denominator,
                            Some(c[1] as f64),
                            "{} {dept} denominator",
                            ind.code
                        );
                        checked += 1;
                    } else {
                        assert!(
                            matches!(ind.report, zhibiao::ir::ReportMode::Court),
                            "{} {dept} has records but no row",
                            ind.code
                        );
                    }
                }
                let f = result.figure("court").expect("court row");
                assert_eq!(
                    f.numerator,
                    Some(court[0] as f64),
                    "{} court numerator",
                    ind.code
                );
                assert_eq!(
                    f.denominator,
                    Some(court[1] as f64),
                    "{} court denominator",
                    ind.code
                );
                checked += 1;
            }
            Body::Formula { lets, .. } => {
                // Counted measures: one `numerator` outcome per counted record.
                for (li, l) in lets.iter().enumerate() {
                    if !matches!(l.measure, zhibiao::ir::Measure::Count { .. }) {
                        continue;
                    }
                    let total: f64 = measured
                        .iter()
                        .filter(|((i, m, _), _)| *i == ii && *m == li)
                        .map(|(_, v)| v)
                        .sum();
                    let f = result.figure("court").expect("court row");
                    let shown = f
                        .measures
                        .as_ref()
                        .and_then(|m| m.get(&l.name).copied().flatten());
                    assert_eq!(shown, Some(total), "{} measure {}", ind.code, l.name);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "reconciled {checked} figures");
}

#[test]
fn june_reconciles() {
    reconcile(Period::parse("2022-06").expect("period"));
}

#[test]
fn second_quarter_reconciles() {
    reconcile(Period::parse("2022-Q2").expect("period"));
}

#[test]
fn an_iso_week_reconciles() {
    reconcile(Period::parse("2022-W23").expect("period"));
}
