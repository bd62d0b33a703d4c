//! What `zhibiao test` and `zhibiao coverage` say: each test's line, its
//! failures ([`crate::testing::Failed`]) and the records behind them, the
//! summary and the rule coverage.

use super::{Lang, en, zh};
use crate::explain::Explained;
use crate::testing::Failed;

/// A line of a test run.
#[derive(Debug, Clone)]
pub enum TestSaid {
    /// A test that passed (the mark before its name) …
    Ok,
    /// … and one that failed.
    Fail,
    Summary {
        passed: usize,
        failed: usize,
    },
    /// With `--coverage`: the percentage and how many rules were covered.
    Coverage {
        percent: f64,
        covered: usize,
        rules: usize,
    },
    /// Without `--coverage`: the percentage and how many rules were not.
    CoverageShort {
        percent: f64,
        missing: usize,
    },
    BelowMinCoverage {
        percent: f64,
        min: f64,
    },
    BadMinCoverage {
        min: f64,
    },
    NoTestFiles {
        paths: Vec<String>,
    },
    /// `--write-data`: the cases written.
    Wrote {
        count: usize,
        dir: String,
    },
    /// `--write-data`: a case that could not be.
    CaseNotWritten {
        file: String,
        name: String,
        failed: Failed,
    },
    /// `coverage`: the heading of the rules that never fired …
    NeverFired {
        data: String,
        period: String,
    },
    /// … none did not …
    NoneNeverFired,
    /// … or one of them.
    NeverFiredRule {
        indicator: String,
        kind: String,
        text: String,
        at: String,
        passed: u64,
    },
}

/// How a rule fared in the tests or on the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleState {
    /// Seen both stopping a record and passing one.
    Covered,
    NeverPassed,
    NeverHit,
    NeverReached,
}

impl RuleState {
    pub const ALL: [RuleState; 4] = [
        RuleState::Covered,
        RuleState::NeverPassed,
        RuleState::NeverHit,
        RuleState::NeverReached,
    ];
}

impl Lang {
    /// What a test found wrong.
    pub fn failed(self, f: &Failed) -> String {
        match self {
            Lang::Zh => zh::testing::failed(f),
            Lang::En => en::testing::failed(f),
        }
    }

    /// A record behind a failure: its outcome, then each check it met.
    pub fn trail(self, e: &Explained) -> Vec<String> {
        let outcome = match (&e.reason, e.outcome) {
            (Some(r), crate::eval::Outcome::Excluded) => {
                let sep = match self {
                    Lang::Zh => "：",
                    Lang::En => ": ",
                };
                format!("{}{sep}{}", self.outcome(e.outcome), self.reason(r))
            }
            (_, o) => self.outcome(o).to_string(),
        };
        let mut out = vec![format!(
            "{}:{} {} → {outcome} [{}]",
            e.table,
            e.key,
            e.indicator,
            e.department.clone().unwrap_or_default()
        )];
        for s in &e.trail {
            out.push(format!(
                "  {} {} `{}` ← {} [{}]",
                if s.decided == "passes" { "✓" } else { "✗" },
                s.check,
                s.condition,
                self.reads(&s.reads),
                s.at
            ));
        }
        out
    }

    /// A line of a test run.
    pub fn test_said(self, s: &TestSaid) -> String {
        match self {
            Lang::Zh => zh::testing::said(s),
            Lang::En => en::testing::said(s),
        }
    }

    /// A rule's state in the coverage table.
    pub fn rule_state(self, r: RuleState) -> &'static str {
        match self {
            Lang::Zh => zh::testing::rule_state(r),
            Lang::En => en::testing::rule_state(r),
        }
    }

    /// The coverage table's columns: state, kind, indicator, rule, hit,
    /// passed, at.
    pub fn coverage_columns(self) -> [&'static str; 7] {
        match self {
            Lang::Zh => ["", "类型", "指标", "规则", "拦下", "放行", "位置"],
            Lang::En => ["", "kind", "indicator", "rule", "hit", "passed", "at"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Part, RowFault};
    use crate::words::texts::han;

    fn failed_samples() -> Vec<Failed> {
        let s = |x: &str| x.to_string();
        let who = || (s("HC4"), s("民事庭"));
        let all = vec![
            Failed::NoPeriod,
            Failed::BadPeriod {
                error: crate::period::PeriodError {
                    given: s("2022-13"),
                    why: Some(crate::period::PeriodWhy::Months),
                },
            },
            Failed::BadRows {
                fault: RowFault::UnknownTable {
                    table: s("hearing"),
                    similar: Some(s("hearings")),
                    tables: vec![s("hearings")],
                },
            },
            Failed::BadRows {
                fault: RowFault::UnknownColumn {
                    table: s("hearings"),
                    row: 2,
                    column: s("stat"),
                    similar: None,
                },
            },
            Failed::BadRows {
                fault: RowFault::Io {
                    error: crate::words::fault::Io::System {
                        kind: std::io::ErrorKind::StorageFull,
                        text: s("No space left on device (os error 28)"),
                    },
                },
            },
            Failed::BadData { errors: vec![] },
            Failed::UnknownIndicator {
                indicator: s("HC0"),
            },
            Failed::NoPer {
                indicator: s("HC4"),
                value: s("张三"),
            },
            Failed::NoFigure {
                indicator: who().0,
                who: who().1,
                have: vec![s("商事庭")],
            },
            Failed::Count {
                part: Part::Numerator,
                indicator: who().0,
                who: who().1,
                want: 1.0,
                got: None,
            },
            Failed::Value {
                indicator: who().0,
                who: who().1,
                want: Some(50.0),
                got: None,
                undefined: Some(Box::new(crate::eval::why::Undefined::NoRecords)),
            },
            Failed::Met {
                indicator: who().0,
                who: who().1,
                want: Some(true),
                got: Some(false),
            },
            Failed::RecordName { record: s("H1") },
            Failed::NoOutcome {
                record: s("hearings:H1"),
                indicator: s("HC4"),
                table: s("hearings"),
            },
            Failed::Outcome {
                record: s("hearings:H1"),
                indicator: s("HC4"),
                want: s("numerator"),
                got: vec![s("denominator")],
            },
        ];
        for f in &all {
            // The match makes a new kind fail to compile until it has a sample.
            match f {
                Failed::NoPeriod
                | Failed::BadPeriod { .. }
                | Failed::BadRows { .. }
                | Failed::BadData { .. }
                | Failed::UnknownIndicator { .. }
                | Failed::NoPer { .. }
                | Failed::NoFigure { .. }
                | Failed::Count { .. }
                | Failed::Value { .. }
                | Failed::Met { .. }
                | Failed::RecordName { .. }
                | Failed::NoOutcome { .. }
                | Failed::Outcome { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_test_failure_and_line_has_both_texts() {
        let s = |x: &str| x.to_string();
        for f in failed_samples() {
            let zh = Lang::Zh.failed(&f);
            assert!(han(&zh), "{zh}");
            let en = Lang::En.failed(&f);
            assert!(
                !han(&en
                    .replace("民事庭", "")
                    .replace("商事庭", "")
                    .replace("张三", "")),
                "{en}"
            );
        }
        let said = vec![
            TestSaid::Ok,
            TestSaid::Fail,
            TestSaid::Summary {
                passed: 3,
                failed: 1,
            },
            TestSaid::Coverage {
                percent: 90.0,
                covered: 9,
                rules: 10,
            },
            TestSaid::CoverageShort {
                percent: 90.0,
                missing: 1,
            },
            TestSaid::BelowMinCoverage {
                percent: 90.0,
                min: 100.0,
            },
            TestSaid::BadMinCoverage { min: 120.0 },
            TestSaid::NoTestFiles {
                paths: vec![s("policies/tests")],
            },
            TestSaid::Wrote {
                count: 3,
                dir: s("out"),
            },
            TestSaid::CaseNotWritten {
                file: s("t.yaml"),
                name: s("t"),
                failed: Failed::NoPeriod,
            },
            TestSaid::NeverFired {
                data: s("examples/data"),
                period: s("2022-06"),
            },
            TestSaid::NoneNeverFired,
            TestSaid::NeverFiredRule {
                indicator: s("HC4"),
                kind: s("exclude"),
                text: s("status = \"x\""),
                at: s("p.zb:3:7"),
                passed: 3,
            },
        ];
        for x in &said {
            match x {
                TestSaid::Ok
                | TestSaid::Fail
                | TestSaid::Summary { .. }
                | TestSaid::Coverage { .. }
                | TestSaid::CoverageShort { .. }
                | TestSaid::BelowMinCoverage { .. }
                | TestSaid::BadMinCoverage { .. }
                | TestSaid::NoTestFiles { .. }
                | TestSaid::Wrote { .. }
                | TestSaid::CaseNotWritten { .. }
                | TestSaid::NeverFired { .. }
                | TestSaid::NoneNeverFired
                | TestSaid::NeverFiredRule { .. } => {}
            }
            assert!(han(&Lang::Zh.test_said(x)), "{x:?}");
            assert!(!han(&Lang::En.test_said(x)), "{x:?}");
        }
        // The marks line up: both four columns wide.
        for x in [TestSaid::Ok, TestSaid::Fail] {
            let w = |t: String| unicode_width::UnicodeWidthStr::width(t.as_str());
            assert_eq!(w(Lang::Zh.test_said(&x)), 4);
            assert_eq!(w(Lang::En.test_said(&x)), 4);
        }
        for r in RuleState::ALL {
            assert!(han(Lang::Zh.rule_state(r)), "{r:?}");
            assert!(!han(Lang::En.rule_state(r)), "{r:?}");
        }
        assert!(Lang::Zh.coverage_columns()[1..].iter().all(|c| han(c)));
    }
}
