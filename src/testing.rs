//! Policy tests: YAML files beside the policy with a period, a few rows per
//! table and the figures and record outcomes they must give; and rule
//! coverage (which conditions, exclusions and targets the tests exercise).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::eval::{Observer, Outcome, RecordOutcome, Report, RowView, StepKind};
use crate::explain::{Explained, describe};
use crate::ir::{Body, Loc, Policy, RuleSide};
use crate::period::Period;
use crate::schema::{ColType, TableId};
use crate::value::{date_of, fmt_day};
use crate::vocab::RuleKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// The policy to test (a file or folder, relative to the test file);
    /// default: the folder above the tests' folder. May pin an amendment.
    #[serde(default)]
    pub policy: Option<String>,
    pub tests: Vec<TestCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    pub name: String,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub data: BTreeMap<String, Vec<BTreeMap<String, serde_yaml::Value>>>,
    #[serde(default)]
    pub expect: Vec<ExpectFigure>,
    #[serde(default)]
    pub records: Vec<ExpectRecord>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectFigure {
    pub indicator: String,
    #[serde(default = "court")]
    pub department: String,
    /// A value of the indicator's `per` column (a judge): its figure instead
    /// of a department's.
    #[serde(default)]
    pub per: Option<String>,
    #[serde(default)]
    pub numerator: Option<f64>,
    #[serde(default)]
    pub denominator: Option<f64>,
    /// A percentage, or `undefined`.
    #[serde(default)]
    pub value: Option<serde_yaml::Value>,
    /// `true`, `false`, or `undefined` (no target met nor missed).
    #[serde(default)]
    pub met: Option<serde_yaml::Value>,
}

fn court() -> String {
    crate::eval::COURT.to_string()
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectRecord {
    /// `table:key`.
    pub record: String,
    pub indicator: String,
    /// `numerator`, `denominator`, `excluded: <reason>`, `out of period`, `not counted`.
    pub outcome: String,
}

/// A test's expectation not met (or a test that could not run): its facts,
/// said by [`crate::words`] in the language asked.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub test: String,
    pub failed: Failed,
    /// The records involved, as explained (the lines come from the catalogues).
    #[serde(skip)]
    pub trail: Vec<Explained>,
}

/// What a test found wrong.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failed {
    /// The test names no `period` (nor `from` and `to`).
    NoPeriod,
    BadPeriod {
        error: crate::period::PeriodError,
    },
    /// The test's rows could not be written as the tables of the schema.
    BadRows {
        fault: RowFault,
    },
    /// The rows written do not read as the schema says.
    BadData {
        errors: Vec<crate::data::DataError>,
    },
    UnknownIndicator {
        indicator: String,
    },
    /// `per:` for an indicator with no `per` breakdown.
    NoPer {
        indicator: String,
        value: String,
    },
    NoFigure {
        indicator: String,
        who: String,
        have: Vec<String>,
    },
    /// A numerator or denominator not the one expected.
    Count {
        part: Part,
        indicator: String,
        who: String,
        want: f64,
        got: Option<f64>,
    },
    /// A value not the one expected (`None`: undefined).
    Value {
        indicator: String,
        who: String,
        want: Option<f64>,
        got: Option<f64>,
        undefined: Option<Box<crate::eval::why::Undefined>>,
    },
    /// Met or missed, not as expected (`None`: neither).
    Met {
        indicator: String,
        who: String,
        want: Option<bool>,
        got: Option<bool>,
    },
    /// A record not named as `table:key`.
    RecordName {
        record: String,
    },
    NoOutcome {
        record: String,
        indicator: String,
        table: String,
    },
    /// A record's outcome not the one expected (the test file's words).
    Outcome {
        record: String,
        indicator: String,
        want: String,
        got: Vec<String>,
    },
}

/// The two counts of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Numerator,
    Denominator,
}

/// Why a test's rows could not be written as CSV files.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowFault {
    UnknownTable {
        table: String,
        similar: Option<String>,
        tables: Vec<String>,
    },
    UnknownColumn {
        table: String,
        row: usize,
        column: String,
        similar: Option<String>,
    },
    /// The data could not be written (the file system's or the CSV
    /// writer's error).
    Io { error: crate::words::fault::Io },
}

impl RowFault {
    fn io(e: std::io::Error) -> RowFault {
        RowFault::Io { error: (&e).into() }
    }
    fn csv(e: csv::Error) -> RowFault {
        RowFault::Io { error: (&e).into() }
    }
}

#[derive(Debug, Serialize)]
pub struct TestResult {
    pub file: String,
    pub name: String,
    pub passed: bool,
    pub failures: Vec<Failure>,
}

/// How often a rule was seen true and false, across tests or data.
#[derive(Debug, Default, Clone, Serialize)]
pub struct RuleUse {
    #[serde(skip)]
    key: RuleKey,
    pub kind: String,
    pub indicator: String,
    pub text: String,
    pub at: String,
    /// Records the rule stopped (excluded, or failed a requirement).
    pub hit: u64,
    /// Records that passed it.
    pub passed: u64,
}

impl RuleUse {
    pub fn covered(&self) -> bool {
        self.hit > 0 && self.passed > 0
    }
}

/// Where a rule is written: its file (canonical path) and span. The same line
/// in force in several versions is one rule.
type RuleKey = (String, usize, usize);

/// Rule coverage: every condition, exclusion and target of a policy, or of
/// every version of one (merged by where each rule is written).
#[derive(Debug, Default, Serialize)]
pub struct Coverage {
    pub rules: Vec<RuleUse>,
    #[serde(skip)]
    index: HashMap<RuleKey, usize>,
    /// The canonical path of each source of the policy it was made of (none
    /// for a merged coverage).
    #[serde(skip)]
    files: Vec<String>,
}

fn file_keys(p: &Policy) -> Vec<String> {
    p.sources
        .iter()
        .map(|s| {
            s.path
                .canonicalize()
                .unwrap_or_else(|_| s.path.clone())
                .display()
                .to_string()
        })
        .collect()
}

fn rule_key(files: &[String], loc: Loc) -> RuleKey {
    let f = files.get(loc.file).cloned().unwrap_or_default();
    (f, loc.span.start, loc.span.end)
}

impl Coverage {
    /// The coverage items of a policy, none exercised yet.
    pub fn of(p: &Policy) -> Coverage {
        let mut c = Coverage {
            files: file_keys(p),
            ..Default::default()
        };
        let at = |loc: Loc| {
            let (f, l, col) = p.line_of(loc);
            format!("{f}:{l}:{col}")
        };
        let add = |c: &mut Coverage, loc: Loc, kind: &str, ind: &str| {
            let key = rule_key(&c.files, loc);
            if let Some(&i) = c.index.get(&key) {
                let r: &mut RuleUse = &mut c.rules[i];
                if !r.indicator.split(", ").any(|x| x == ind) && !ind.is_empty() {
                    r.indicator = format!("{}, {ind}", r.indicator);
                }
                return;
            }
            c.index.insert(key.clone(), c.rules.len());
            c.rules.push(RuleUse {
                key,
                kind: kind.into(),
                indicator: ind.into(),
                text: p
                    .text_of(loc)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
                at: at(loc),
                hit: 0,
                passed: 0,
            });
        };
        for s in &p.scope {
            add(&mut c, s.cond.loc, "scope", "");
        }
        for ind in &p.indicators {
            if let Body::Ratio(parts) = &ind.body {
                for part in parts {
                    if let Some(w) = &part.when {
                        add(&mut c, w.loc, "when", &ind.code);
                    }
                    for r in &part.rules {
                        let kind = match (r.kind, r.side) {
                            (RuleKind::Require, RuleSide::Both) => "require",
                            (RuleKind::Exclude, RuleSide::Both) => "exclude",
                            (RuleKind::Require, RuleSide::NumeratorOnly) => "numerator require",
                            (RuleKind::Exclude, RuleSide::NumeratorOnly) => "numerator exclude",
                        };
                        add(&mut c, r.cond.loc, kind, &ind.code);
                    }
                }
            }
            for t in &ind.targets {
                add(&mut c, t.loc, "target", &ind.code);
            }
        }
        c
    }

    fn find(&mut self, loc: Loc) -> Option<&mut RuleUse> {
        let i = *self.index.get(&rule_key(&self.files, loc))?;
        self.rules.get_mut(i)
    }

    /// Count a record's trail.
    pub fn observe(&mut self, o: &RecordOutcome) {
        for s in &o.steps {
            let stops = match s.kind {
                StepKind::Scope => s.value,
                StepKind::Rule(RuleKind::Exclude, _) => s.value,
                StepKind::Rule(RuleKind::Require, _) | StepKind::When => !s.value,
                StepKind::Period | StepKind::Filter | StepKind::Amount => continue,
            };
            if let Some(r) = self.find(s.loc) {
                if stops {
                    r.hit += 1;
                } else {
                    r.passed += 1;
                }
            }
        }
    }

    /// A target is exercised when a test asserts `met` on a figure it applies to,
    /// and covered when it has been seen both met and missed.
    pub fn observe_target(&mut self, p: &Policy, ind: &str, department: &str, met: Option<bool>) {
        let Some(ii) = p.indicator(ind) else { return };
        let Some(met) = met else { return };
        let files = file_keys(p);
        for t in &p.indicators[ii].targets {
            let applies = if department == crate::eval::COURT {
                matches!(t.scope, crate::ir::TargetScope::Court { .. })
            } else {
                t.applies_to(department)
            };
            let found = self.index.get(&rule_key(&files, t.loc)).copied();
            if applies && let Some(r) = found.and_then(|i| self.rules.get_mut(i)) {
                if met {
                    r.passed += 1;
                } else {
                    r.hit += 1;
                }
            }
        }
    }

    /// Add `other`'s counts to the rules written at the same place, and its
    /// rules not seen yet (another version's).
    pub fn merge(&mut self, other: &Coverage) {
        for o in &other.rules {
            match self.index.get(&o.key) {
                Some(&i) => {
                    let r = &mut self.rules[i];
                    r.hit += o.hit;
                    r.passed += o.passed;
                    for ind in o.indicator.split(", ").filter(|x| !x.is_empty()) {
                        if !r.indicator.split(", ").any(|x| x == ind) {
                            r.indicator = if r.indicator.is_empty() {
                                ind.to_string()
                            } else {
                                format!("{}, {ind}", r.indicator)
                            };
                        }
                    }
                }
                None => {
                    self.index.insert(o.key.clone(), self.rules.len());
                    self.rules.push(o.clone());
                }
            }
        }
    }

    /// The rules of every version of `chain`, none exercised yet, added.
    pub fn add_versions(&mut self, chain: &[Arc<Policy>]) {
        for v in chain {
            self.merge(&Coverage::of(v));
        }
    }

    pub fn percent(&self) -> f64 {
        if self.rules.is_empty() {
            return 100.0;
        }
        self.rules.iter().filter(|r| r.covered()).count() as f64 / self.rules.len() as f64 * 100.0
    }
}

/// Records every outcome (for expectations) and counts coverage.
struct Watch {
    outcomes: Vec<RecordOutcome>,
    coverage: Coverage,
    keep: bool,
}

impl Observer for Watch {
    fn wants(&mut self, _: TableId, _: &str, _: &RowView<'_>) -> bool {
        true
    }
    fn record(&mut self, o: RecordOutcome) {
        if matches!(o.consumer, crate::plan::Consumer::Agg(_)) {
            return;
        }
        self.coverage.observe(&o);
        if self.keep {
            self.outcomes.push(o);
        }
    }
}

/// Coverage of a policy's rules on real data: rules that never fire are listed.
pub fn coverage_on_data(
    policy: Arc<Policy>,
    data: &dyn crate::data::source::Source,
    period: &Period,
    opts: &crate::eval::Options,
) -> Result<Coverage, crate::eval::EvalError> {
    let plan = crate::plan::compile(policy.clone());
    let mut w = Watch {
        outcomes: Vec::new(),
        coverage: Coverage::of(&policy),
        keep: false,
    };
    let opts = crate::eval::Options {
        threads: 1,
        ..opts.clone()
    };
    crate::eval::run(&plan, data, period, &opts, &mut w)?;
    Ok(w.coverage)
}

/// A test file that cannot be used; [`crate::words`] says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestError {
    /// The test file.
    pub path: String,
    pub problem: TestFileProblem,
}

/// What is wrong with a test file or the policy it tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestFileProblem {
    /// It cannot be read.
    Read { io: crate::words::fault::Io },
    /// Not a test file: the YAML reader's words, and where.
    Yaml {
        at: Option<(usize, usize)>,
        text: String,
    },
    /// The policy it tests cannot be read …
    PolicyRead {
        path: String,
        io: crate::words::fault::Io,
    },
    /// … or there is no policy file where it says.
    NoPolicy { path: String },
    /// The policy it tests does not pass `check`.
    PolicyFails { name: String },
    /// The policy files make no one chain of versions.
    Chain(crate::workspace::ChainError),
}

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::words::Lang::En.test_error(self))
    }
}

impl std::error::Error for TestError {}

/// The policy file or folder a test file tests.
pub fn policy_path(file: &Path, t: &TestFile) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("."));
    match &t.policy {
        Some(p) => dir.join(p),
        None => dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
    }
}

/// Write a test case's rows as the folder of CSV files its test evaluates
/// (for the version in force in its period), so that another engine can
/// run the same case; the period and that version.
pub fn write_case(
    chain: &[Arc<Policy>],
    case: &TestCase,
    dir: &Path,
) -> Result<(Period, Arc<Policy>), Failed> {
    let period = match (&case.period, &case.from, &case.to) {
        (Some(p), _, _) => Period::parse(p),
        (None, Some(f), Some(t)) => Period::range(f, t),
        _ => return Err(Failed::NoPeriod),
    }
    .map_err(|e| Failed::BadPeriod { error: e })?;
    let (policy, _) = crate::workspace::select(chain, &period);
    let bad = |fault| Failed::BadRows { fault };
    std::fs::create_dir_all(dir).map_err(|e| bad(RowFault::io(e)))?;
    write_data(&policy, case, &period, dir).map_err(bad)?;
    Ok((period, policy))
}

/// The policy chain a test file tests.
pub fn policy_for(file: &Path, t: &TestFile) -> Result<Vec<Arc<Policy>>, TestError> {
    let target = policy_path(file, t);
    let err = |problem: TestFileProblem| TestError {
        path: file.display().to_string(),
        problem,
    };
    let loaded = crate::workspace::load_all(std::slice::from_ref(&target)).map_err(|e| {
        err(match e {
            crate::workspace::WorkspaceError::Io { path, source } => TestFileProblem::PolicyRead {
                path,
                io: (&source).into(),
            },
            crate::workspace::WorkspaceError::Empty { path } => TestFileProblem::NoPolicy { path },
        })
    })?;
    if let Some(l) = loaded.iter().find(|l| l.checked.policy.is_none()) {
        return Err(err(TestFileProblem::PolicyFails {
            name: l.source.name.clone(),
        }));
    }
    // A pinned amendment: its own chain up to it.
    if t.policy.is_some() && target.is_file() {
        let key = target.canonicalize().unwrap_or(target.clone());
        let mut chain = Vec::new();
        let mut cur = loaded.iter().find(|l| l.canonical == key);
        while let Some(l) = cur {
            if let Some(p) = &l.checked.policy {
                chain.push(Arc::new(p.clone()));
            }
            cur = l
                .amends
                .as_ref()
                .and_then(|a| loaded.iter().find(|x| &x.canonical == a));
        }
        chain.reverse();
        return Ok(chain);
    }
    crate::workspace::chain(&loaded).map_err(|e| err(TestFileProblem::Chain(e)))
}

pub fn parse_file(path: &Path) -> Result<TestFile, TestError> {
    let text = std::fs::read_to_string(path).map_err(|e| TestError {
        path: path.display().to_string(),
        problem: TestFileProblem::Read { io: (&e).into() },
    })?;
    parse_text(&text, path)
}

/// A test file's text, as [`parse_file`] reads it; `path` names it in errors.
pub fn parse_text(text: &str, path: &Path) -> Result<TestFile, TestError> {
    serde_yaml::from_str(text).map_err(|e| TestError {
        path: path.display().to_string(),
        problem: TestFileProblem::Yaml {
            at: e.location().map(|l| (l.line(), l.column())),
            text: e.to_string(),
        },
    })
}

fn yaml_text(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::Null => String::new(),
        serde_yaml::Value::Bool(b) => if *b { "是" } else { "否" }.into(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Write a test's rows as CSV files (every table of the schema, header-only
/// when not given), filling sensible defaults. Errors name the table and column.
fn write_data(p: &Policy, case: &TestCase, period: &Period, dir: &Path) -> Result<(), RowFault> {
    let schema = &p.schema;
    for name in case.data.keys() {
        if schema.table(name).is_none() {
            let names: Vec<&str> = schema.table_names().collect();
            return Err(RowFault::UnknownTable {
                table: name.clone(),
                similar: crate::check::did_you_mean(name, names.iter().copied())
                    .first()
                    .map(ToString::to_string),
                tables: names.iter().map(ToString::to_string).collect(),
            });
        }
    }
    for t in &schema.tables {
        let rows = case.data.get(&t.name).map(Vec::as_slice).unwrap_or(&[]);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(t.columns.iter().map(|c| c.name.as_str()))
            .map_err(RowFault::csv)?;
        for (i, row) in rows.iter().enumerate() {
            for k in row.keys() {
                if t.col(k).is_none() {
                    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
                    return Err(RowFault::UnknownColumn {
                        table: t.name.clone(),
                        row: i + 1,
                        column: k.clone(),
                        similar: crate::check::did_you_mean(k, cols.iter().copied())
                            .first()
                            .map(ToString::to_string),
                    });
                }
            }
            let mut rec = Vec::new();
            for c in &t.columns {
                let v = match row.get(&c.name) {
                    Some(v) => yaml_text(v),
                    None if c.key && c.references.is_none() => format!("{}{}", t.name, i + 1),
                    None if c.references.is_some() && c.required() => {
                        let parent = c.references.as_deref().unwrap_or_default();
                        let pt = schema.table(parent).map(|x| &schema.tables[x]);
                        let first = case.data.get(parent).and_then(|r| r.first());
                        match (pt, first) {
                            (Some(pt), Some(first)) => {
                                let key = pt
                                    .key()
                                    .map(|k| pt.columns[k].name.clone())
                                    .unwrap_or_default();
                                first
                                    .get(&key)
                                    .map(yaml_text)
                                    .unwrap_or_else(|| format!("{parent}1"))
                            }
                            _ => String::new(),
                        }
                    }
                    None if c.required() && c.ty == ColType::Date => {
                        date_of(period.start).format("%Y-%m-%d").to_string()
                    }
                    None if c.required() && c.ty == ColType::Datetime => {
                        format!("{} 09:00:00", fmt_day(period.start))
                    }
                    None => String::new(),
                };
                rec.push(v);
            }
            w.write_record(&rec).map_err(RowFault::csv)?;
        }
        let bytes = w.into_inner().map_err(|e| RowFault::io(e.into_error()))?;
        std::fs::write(dir.join(&t.file), bytes).map_err(RowFault::io)?;
    }
    Ok(())
}

/// A record's outcome in a test file's words: `numerator`, `excluded: 取消庭审`,
/// `out of period`, `not counted` (what `outcome:` is compared with).
fn outcome_text(e: &Explained) -> String {
    match e.outcome {
        Outcome::Excluded => format!(
            "excluded: {}",
            e.reason
                .as_ref()
                .map(|r| crate::words::Lang::En.reason(r))
                .unwrap_or_default()
        ),
        Outcome::OutOfPeriod => "out of period".into(),
        Outcome::NotCounted => "not counted".into(),
        o => o.as_str().into(),
    }
}

/// Run one test case.
pub fn run_case(
    file: &Path,
    chain: &[Arc<Policy>],
    case: &TestCase,
    coverage: &mut Coverage,
) -> TestResult {
    let mut failures = Vec::new();
    let mut fail = |failed: Failed, trail: Vec<Explained>| {
        failures.push(Failure {
            test: case.name.clone(),
            failed,
            trail,
        })
    };
    let period = match (&case.period, &case.from, &case.to) {
        (Some(p), _, _) => Period::parse(p),
        (None, Some(f), Some(t)) => Period::range(f, t),
        _ => {
            fail(Failed::NoPeriod, vec![]);
            return TestResult {
                file: file.display().to_string(),
                name: case.name.clone(),
                passed: false,
                failures,
            };
        }
    };
    let period = match period {
        Ok(p) => p,
        Err(e) => {
            fail(Failed::BadPeriod { error: e }, vec![]);
            return TestResult {
                file: file.display().to_string(),
                name: case.name.clone(),
                passed: false,
                failures,
            };
        }
    };
    let (policy, _) = crate::workspace::select(chain, &period);
    let dir = std::env::temp_dir().join(format!(
        "zhibiao-test-{}-{}",
        std::process::id(),
        TEMP.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let result = (|| -> Result<(Report, Vec<RecordOutcome>, Coverage), Failed> {
        let bad = |fault| Failed::BadRows { fault };
        std::fs::create_dir_all(&dir).map_err(|e| bad(RowFault::io(e)))?;
        write_data(&policy, case, &period, &dir).map_err(bad)?;
        let plan = crate::plan::compile(policy.clone());
        let mut w = Watch {
            outcomes: Vec::new(),
            coverage: Coverage::of(&policy),
            keep: true,
        };
        let opts = crate::eval::Options {
            threads: 1,
            ..Default::default()
        };
        let report = crate::eval::run(
            &plan,
            &crate::data::source::csv::Folder::new(&dir),
            &period,
            &opts,
            &mut w,
        )
        .map_err(|e| Failed::BadData {
            errors: e.errors().to_vec(),
        })?;
        Ok((report, w.outcomes, w.coverage))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    let (report, outcomes, cov) = match result {
        Ok(x) => x,
        Err(e) => {
            fail(e, vec![]);
            return TestResult {
                file: file.display().to_string(),
                name: case.name.clone(),
                passed: false,
                failures,
            };
        }
    };
    coverage.merge(&cov);
    let explained: Vec<Explained> = outcomes
        .iter()
        .map(|o| describe(&policy, &period, o, false))
        .collect();
    let trails_for = |ind: &str, dept: Option<&str>| -> Vec<Explained> {
        explained
            .iter()
            .filter(|e| {
                e.indicator == ind
                    && dept.is_none_or(|d| {
                        d == crate::eval::COURT || e.department.as_deref() == Some(d)
                    })
            })
            .cloned()
            .collect()
    };
    for x in &case.expect {
        let Some(ind) = report.indicator(&x.indicator) else {
            fail(
                Failed::UnknownIndicator {
                    indicator: x.indicator.clone(),
                },
                vec![],
            );
            continue;
        };
        let (figs, who) = match (&x.per, &ind.per) {
            (Some(v), Some(per)) => (&per.figures, v),
            (Some(v), None) => {
                fail(
                    Failed::NoPer {
                        indicator: x.indicator.clone(),
                        value: v.clone(),
                    },
                    vec![],
                );
                continue;
            }
            (None, _) => (&ind.figures, &x.department),
        };
        let Some(f) = figs.iter().find(|f| &f.department == who) else {
            let have: Vec<&str> = figs.iter().map(|f| f.department.as_str()).collect();
            fail(
                Failed::NoFigure {
                    indicator: x.indicator.clone(),
                    who: who.clone(),
                    have: have.iter().map(ToString::to_string).collect(),
                },
                vec![],
            );
            continue;
        };
        let close = |a: f64, b: f64| (a - b).abs() < 0.005;
        if let Some(n) = x.numerator
            && f.numerator.is_none_or(|v| !close(v, n))
        {
            fail(
                Failed::Count {
                    part: Part::Numerator,
                    indicator: x.indicator.clone(),
                    who: who.clone(),
                    want: n,
                    got: f.numerator,
                },
                trails_for(&x.indicator, Some(&x.department)),
            );
        }
        if let Some(d) = x.denominator
            && f.denominator.is_none_or(|v| !close(v, d))
        {
            fail(
                Failed::Count {
                    part: Part::Denominator,
                    indicator: x.indicator.clone(),
                    who: who.clone(),
                    want: d,
                    got: f.denominator,
                },
                trails_for(&x.indicator, Some(&x.department)),
            );
        }
        if let Some(v) = &x.value {
            let want = match v {
                serde_yaml::Value::String(s) if s == "undefined" => None,
                serde_yaml::Value::Null => None,
                other => other.as_f64(),
            };
            let ok = match (want, f.value) {
                (None, None) => true,
                (Some(a), Some(b)) => close(a, b),
                _ => false,
            };
            if !ok {
                fail(
                    Failed::Value {
                        indicator: x.indicator.clone(),
                        who: who.clone(),
                        want,
                        got: f.value,
                        undefined: f.undefined_reason.clone().map(Box::new),
                    },
                    trails_for(&x.indicator, Some(&x.department)),
                );
            }
        }
        if let Some(m) = &x.met {
            let got = if f.targets.is_empty() || f.targets.iter().any(|t| t.met.is_none()) {
                None
            } else {
                Some(f.targets.iter().all(|t| t.met == Some(true)))
            };
            let want = match m {
                serde_yaml::Value::Bool(b) => Some(*b),
                _ => None,
            };
            if got != want {
                fail(
                    Failed::Met {
                        indicator: x.indicator.clone(),
                        who: who.clone(),
                        want,
                        got,
                    },
                    trails_for(&x.indicator, Some(&x.department)),
                );
            } else {
                if x.per.is_none() {
                    coverage.observe_target(&policy, &x.indicator, &x.department, got);
                }
            }
        }
    }
    for r in &case.records {
        let Some((table, key)) = r.record.split_once(':') else {
            fail(
                Failed::RecordName {
                    record: r.record.clone(),
                },
                vec![],
            );
            continue;
        };
        let code = policy
            .indicator(&r.indicator)
            .map(|i| policy.indicators[i].code.clone())
            .unwrap_or(r.indicator.clone());
        let found: Vec<&Explained> = explained
            .iter()
            .filter(|e| e.table == table && e.key == key && e.indicator == code)
            .collect();
        if found.is_empty() {
            fail(
                Failed::NoOutcome {
                    record: r.record.clone(),
                    indicator: r.indicator.clone(),
                    table: table.to_string(),
                },
                vec![],
            );
            continue;
        }
        let want = r.outcome.trim();
        if !found
            .iter()
            .any(|e| outcome_text(e) == want || e.outcome.as_str() == want.replace(' ', "_"))
        {
            let got: Vec<String> = found.iter().map(|e| outcome_text(e)).collect();
            fail(
                Failed::Outcome {
                    record: r.record.clone(),
                    indicator: r.indicator.clone(),
                    want: want.to_string(),
                    got,
                },
                found.iter().map(|e| (*e).clone()).collect(),
            );
        }
    }
    TestResult {
        file: file.display().to_string(),
        name: case.name.clone(),
        passed: failures.is_empty(),
        failures,
    }
}

static TEMP: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Test files (`*.yaml`, `*.yml`) under each path.
pub fn test_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            v.sort();
            for x in v {
                walk(&x, out);
            }
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml")
            && p.file_name().is_none_or(|n| n != "schema.yaml")
        {
            out.push(p.to_path_buf());
        }
    }
    let mut out = Vec::new();
    for p in paths {
        walk(p, &mut out);
    }
    out
}
