//! `zhibiao test` and `zhibiao coverage` in English.

use crate::testing::{Failed, Part, RowFault};
use crate::words::Lang;
use crate::words::testing::{RuleState, TestSaid};

fn or_undefined(v: Option<f64>, digits: bool) -> String {
    match v {
        Some(v) if digits => format!("{v:.4}"),
        Some(v) => format!("{v}"),
        None => "undefined".into(),
    }
}

fn met(m: Option<bool>) -> String {
    m.map_or("undefined".into(), |b| b.to_string())
}

fn row_fault(f: &RowFault) -> String {
    match f {
        RowFault::UnknownTable {
            table,
            similar,
            tables,
        } => match similar {
            Some(s) => format!("unknown table `{table}`; did you mean `{s}`?"),
            None => format!("unknown table `{table}`; tables: {}", tables.join(", ")),
        },
        RowFault::UnknownColumn {
            table,
            row,
            column,
            similar,
        } => format!(
            "`{table}` row {row}: unknown column `{column}`{}",
            similar
                .as_ref()
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default()
        ),
        RowFault::Io { error: io } => Lang::En.io(io),
    }
}

pub(in crate::words) fn failed(f: &Failed) -> String {
    match f {
        Failed::NoPeriod => "the test names no `period` (or `from` and `to`)".into(),
        Failed::BadPeriod { error } => Lang::En.period_error(error).0,
        Failed::BadRows { fault } => format!("the test data is not valid: {}", row_fault(fault)),
        Failed::BadData { errors } => format!(
            "the test data is not valid: {}",
            errors
                .iter()
                .map(|d| format!(
                    "{} (table file {}, line {})",
                    d.message(crate::words::Lang::En),
                    d.file.rsplit('/').next().unwrap_or(""),
                    d.line
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Failed::UnknownIndicator { indicator } => format!("unknown indicator `{indicator}`"),
        Failed::NoPer { indicator, value } => {
            format!("{indicator} has no `per` breakdown to find `{value}` in")
        }
        Failed::NoFigure {
            indicator,
            who,
            have,
        } => format!(
            "{indicator} has no figure for `{who}` (it has: {})",
            have.join(", ")
        ),
        Failed::Count {
            part,
            indicator,
            who,
            want,
            got,
        } => format!(
            "{indicator} {who}: {} expected {want}, got {}",
            match part {
                Part::Numerator => "numerator",
                Part::Denominator => "denominator",
            },
            got.map_or("none".into(), |v| v.to_string())
        ),
        Failed::Value {
            indicator,
            who,
            want,
            got,
            undefined,
        } => format!(
            "{indicator} {who}: value expected {}, got {}",
            or_undefined(*want, false),
            match got {
                Some(_) => or_undefined(*got, true),
                None => format!(
                    "undefined ({})",
                    undefined
                        .as_ref()
                        .map(|u| crate::words::Lang::En.undefined(u))
                        .unwrap_or_default()
                ),
            }
        ),
        Failed::Met {
            indicator,
            who,
            want,
            got,
        } => format!(
            "{indicator} {who}: met expected {}, got {}",
            met(*want),
            met(*got)
        ),
        Failed::RecordName { record } => format!("`{record}`: name a record as `table:key`"),
        Failed::NoOutcome {
            record,
            indicator,
            table,
        } => format!(
            "{record}: no outcome for {indicator} (is the record in the data, and does {indicator} read `{table}`?)"
        ),
        Failed::Outcome {
            record,
            indicator,
            want,
            got,
        } => format!(
            "{record} {indicator}: expected `{want}`, got `{}`",
            got.join("`, `")
        ),
    }
}

pub(in crate::words) fn said(s: &TestSaid) -> String {
    match s {
        TestSaid::Ok => "ok  ".into(),
        TestSaid::Fail => "FAIL".into(),
        TestSaid::Summary { passed, failed } => format!("{passed} passed, {failed} failed"),
        TestSaid::Coverage {
            percent,
            covered,
            rules,
        } => format!(
            "rule coverage: {percent:.1}% ({covered} of {rules} rules seen both hit and passed)"
        ),
        TestSaid::CoverageShort { percent, missing } => {
            if *missing > 0 {
                format!(
                    "rule coverage: {percent:.1}% ({missing} rules not covered; `--coverage` lists them)"
                )
            } else {
                format!("rule coverage: {percent:.1}%")
            }
        }
        TestSaid::BelowMinCoverage { percent, min } => {
            format!("error: rule coverage {percent:.1}% is below --min-coverage {min}")
        }
        TestSaid::BadMinCoverage { min } => {
            format!("error: `--min-coverage {min}`: a percentage from 0 to 100")
        }
        TestSaid::NoTestFiles { paths } => format!(
            "error: no test files (`*.yaml`) in {}",
            paths
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TestSaid::Wrote { count, dir } => format!("wrote {count} test cases' data under {dir}"),
        TestSaid::CaseNotWritten {
            file,
            name,
            failed: f,
        } => {
            format!("error: {file} — {name}: {}", failed(f))
        }
        TestSaid::NeverFired { data, period } => {
            format!("rules that never fired on {data} for {period}:")
        }
        TestSaid::NoneNeverFired => {
            "  none — every condition and exclusion stopped at least one record".into()
        }
        TestSaid::NeverFiredRule {
            indicator,
            kind,
            text,
            at,
            passed,
        } => format!(
            "  {indicator} {kind} `{text}` [{at}] — passed {passed} record(s), stopped none (a mistyped value?)"
        ),
    }
}

pub(in crate::words) fn rule_state(r: RuleState) -> &'static str {
    match r {
        RuleState::Covered => "covered",
        RuleState::NeverPassed => "never passed",
        RuleState::NeverHit => "never hit",
        RuleState::NeverReached => "never reached",
    }
}
