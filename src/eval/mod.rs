//! Plan + data folder + period → [`Report`]. Each table is read once; every
//! indicator over it is computed in that one pass. `explain` observes the very
//! same passes (see [`Observer`]), so it can never disagree with `eval`.

mod counts;
mod expr;
mod fan;
mod hash;
mod items;
mod periods;
pub mod rows;
pub mod stat;
pub mod why;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

pub use crate::figures::*;
pub use expr::{Read, Shown, Special, Step, StepKind, fmt_num};

use crate::data::source::{Placer, Source};
use crate::data::{DataError, DataErrorKind, Problem, parse_field};
use crate::ir::*;
use crate::logical::{DeptKey, MeasureKind, MeasurePlan, PartPlan, ScopeUse};
use crate::period::Period;
use crate::plan::{Consumer, Plan};
use crate::schema::TableId;
use crate::value::Value;
use crate::vocab::AggFn;
use hash::{FxHashMap, fp64};
use rows::{NO_ROW, RowRef, Store};

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

const ITEM_SEP: char = '\u{1f}';
const ITEM_NULL: char = '\u{0}';

/// The internal key of an item written as people read it (`a, b, c`); an
/// empty value is written as nothing or as either language's word for it.
pub fn item_of(shown: &str) -> String {
    shown
        .split(',')
        .map(|v| match v.trim() {
            "" | "(empty)" | "（空）" | "(空)" => ITEM_NULL.to_string(),
            v => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join(&ITEM_SEP.to_string())
}

/// An item key's values, `None` for an empty one.
pub fn item_values(key: &str) -> Vec<Option<&str>> {
    key.split(ITEM_SEP)
        .map(|v| (v != "\u{0}").then_some(v))
        .collect()
}

/// An item key as people read it: `(case, party, content)` values joined by
/// `, `, an empty value as `empty` says it.
pub fn show_item_with(key: &str, empty: &str) -> String {
    item_values(key)
        .into_iter()
        .map(|v| v.unwrap_or(empty))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An item key in JSON: as English shows it (JSON's words are English).
pub fn serialize_item<S: serde::Serializer>(key: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match key {
        Some(k) => s.serialize_str(&show_item_with(k, "(empty)")),
        None => s.serialize_none(),
    }
}

/// What a record did for one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    OutOfPeriod,
    Excluded,
    NotCounted,
    Denominator,
    Numerator,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Numerator => "numerator",
            Outcome::Denominator => "denominator",
            Outcome::Excluded => "excluded",
            Outcome::OutOfPeriod => "out_of_period",
            Outcome::NotCounted => "not_counted",
        }
    }
}

/// The rule that decided an outcome other than `numerator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    Scope(usize),
    Period,
    When,
    Rule(usize),
    Filter,
}

/// Everything explain needs about one record's outcome for one consumer.
#[derive(Debug, Clone)]
pub struct RecordOutcome {
    pub ind: IndId,
    pub consumer: Consumer,
    pub table: TableId,
    pub key: String,
    pub line: u64,
    pub department: Option<String>,
    pub outcome: Outcome,
    pub cause: Option<Cause>,
    /// For distinct counting: the item (tuple) this row belongs to.
    pub item: Option<String>,
    /// For a `let` measure: what the row adds to it (1 for a count, its
    /// amount for a sum or an average; `None` when empty).
    pub amount: Option<f64>,
    pub steps: Vec<Step>,
    /// The record's list columns (the schema's `list`), when the observer
    /// asks for them; personal data unmasked: the observer masks it.
    pub context: Vec<String>,
}

/// Watches the passes of an evaluation: `explain` implements it.
pub trait Observer: Send {
    /// False for an observer that never wants anything (plain `eval`).
    fn active(&self) -> bool {
        true
    }
    /// Texts every wanted record, and every row it leads to, holds one of (a
    /// case id; a record's key and the keys it refers to): records holding
    /// none are skipped unread, and the run's figures are then meaningless.
    fn needles(&self) -> Vec<String> {
        Vec::new()
    }
    /// Whether this record's outcomes are wanted (with their trails).
    fn wants(&mut self, table: TableId, key: &str, row: &RowView<'_>) -> bool;
    /// Whether `record` would keep this outcome: a thread asks before it
    /// holds an outcome back for the observer.
    fn keeps(&self, _: &RecordOutcome) -> bool {
        true
    }
    /// The outcomes kept are few (one case, one record, one bucket), so that
    /// threads may hold a chunk's back until the chunks before it are
    /// handed over: the observer is then served on every core.
    fn few(&self) -> bool {
        false
    }
    /// Whether the outcomes kept carry their trail of conditions; a list of
    /// records to chase needs only the outcome and its cause.
    fn trails(&self) -> bool {
        true
    }
    /// Whether the outcomes kept carry the record's list columns (the
    /// schema's `list`); the plan must read them (`plan::compile_listing`).
    fn context(&self) -> bool {
        false
    }
    /// An observer that keeps outcomes by indicator, part and outcome alone
    /// (a list of records to chase) says which, as plain data: the engine
    /// then hands it just those, with no question per row or outcome and
    /// no trail.
    fn filter(&self) -> Option<OutcomeFilter> {
        None
    }
    fn record(&mut self, outcome: RecordOutcome);
}

/// The outcomes an observer keeps, by counted part: `parts[ind][part]` is the
/// outcome kept there, if any.
#[derive(Debug, Clone, Default)]
pub struct OutcomeFilter {
    pub parts: Vec<Vec<Option<Outcome>>>,
    /// Whether the outcomes carry the record's list columns.
    pub context: bool,
}

impl OutcomeFilter {
    #[inline]
    fn keeps(&self, ind: IndId, part: usize, o: Outcome) -> bool {
        self.parts
            .get(ind)
            .and_then(|p| p.get(part))
            .is_some_and(|k| *k == Some(o))
    }
}

/// The observer of a plain evaluation: wants nothing.
pub struct Nobody;

impl Observer for Nobody {
    fn active(&self) -> bool {
        false
    }
    fn wants(&mut self, _: TableId, _: &str, _: &RowView<'_>) -> bool {
        false
    }
    fn record(&mut self, _: RecordOutcome) {}
}

/// What an observer may look at to decide whether it wants a row.
pub struct RowView<'a> {
    pub engine: &'a Engine<'a>,
    pub table: TableId,
    pub row: RowRef<'a>,
}

impl RowView<'_> {
    /// The key of the row's case (or of any parent table named `table`).
    pub fn parent_key(&self, parent: TableId) -> Option<String> {
        let e = self.engine;
        let path = e.path_to(self.table, parent)?;
        let (t, r) = e.navigate(self.table, self.row, &path)?;
        Some(e.key_of(t, r))
    }
}

#[derive(Default, Clone)]
struct PartAcc {
    /// Department ("" for none) → [numerator, denominator].
    counts: HashMap<String, [u64; 2]>,
    /// The same per value of the part's `per` column (`per judge_id`).
    per: HashMap<String, [u64; 2]>,
}

#[derive(Default, Clone)]
struct MeasureAcc {
    by_dept: HashMap<String, stat::Stat>,
    lookups: Vec<Option<f64>>,
}

/// The part of a table's file one scan reads: from `start` (0: the whole
/// file with its header) to the record that starts at `stop`.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    start: u64,
    stop: Option<u64>,
}

impl Chunk {
    const WHOLE: Chunk = Chunk {
        start: 0,
        stop: None,
    };
}

/// What one scan of (part of) a table found, before merging.
struct Partial {
    run: Running,
    out: PassOut,
    keys: KeyLog,
    end: crate::data::ChunkEnd,
    /// Outcomes for the observer, delivered once the chunks are known to fit.
    records: Vec<RecordOutcome>,
}

/// A scan's running figures: per consumer, per item set, and the departments
/// their indices name.
struct Running {
    accs: Vec<Acc>,
    sets: Vec<items::Items>,
    depts: Depts,
    /// The parent row the last record's department and scope came from, with
    /// them: the next record of the same case reuses them.
    memo: (u32, usize, Option<usize>),
    /// Per consumer: its `when` on that parent row, once evaluated (for the
    /// parts whose `when` reads through the same relation alone).
    whens: Vec<Option<bool>>,
}

/// The chunks of one table scanned so far in a parallel wave, and once all
/// are in, the merged result (`None` inside: they did not fit together).
struct Pending {
    /// Per chunk: one partial scan per engine.
    parts: Vec<Option<Vec<Partial>>>,
    left: usize,
    done: Option<Option<(Vec<PassOut>, Vec<RecordOutcome>)>>,
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A thread's view of a shared observer: asks it, keeps the outcomes.
struct Buffer<'a, 'r, 'o> {
    shared: &'a std::sync::Mutex<&'r mut (dyn Observer + 'o)>,
    active: bool,
    needles: Vec<String>,
    records: Vec<RecordOutcome>,
}

impl Observer for Buffer<'_, '_, '_> {
    fn active(&self) -> bool {
        self.active
    }
    fn needles(&self) -> Vec<String> {
        self.needles.clone()
    }
    fn wants(&mut self, table: TableId, key: &str, row: &RowView<'_>) -> bool {
        lock(self.shared).wants(table, key, row)
    }
    fn keeps(&self, outcome: &RecordOutcome) -> bool {
        lock(self.shared).keeps(outcome)
    }
    fn trails(&self) -> bool {
        lock(self.shared).trails()
    }
    fn context(&self) -> bool {
        lock(self.shared).context()
    }
    fn record(&mut self, outcome: RecordOutcome) {
        self.records.push(outcome);
    }
}

/// Renumber a scan's department indices into the merged numbering.
fn remap(accs: &mut [Acc], map: &[usize]) {
    let identity = map.iter().enumerate().all(|(i, m)| i == *m);
    if identity {
        return;
    }
    for a in accs.iter_mut() {
        match a {
            Acc::Part { counts, .. } => {
                let mut c: Vec<[u64; 2]> = Vec::new();
                for (d, n) in counts.iter().enumerate() {
                    let e = slot(&mut c, map[d]);
                    e[0] += n[0];
                    e[1] += n[1];
                }
                *counts = c;
            }
            Acc::Measure { by_dept, .. } => {
                let mut b: Vec<stat::Stat> = Vec::new();
                for (d, x) in std::mem::take(by_dept).into_iter().enumerate() {
                    slot(&mut b, map[d]).merge(x);
                }
                *by_dept = b;
            }
            Acc::Agg(_) => {}
        }
    }
}

fn merge_accs(dst: &mut [Acc], src: Vec<Acc>) {
    for (d, s) in dst.iter_mut().zip(src) {
        match (d, s) {
            (
                Acc::Part { counts, per },
                Acc::Part {
                    counts: c2,
                    per: p2,
                },
            ) => {
                for (i, n) in c2.into_iter().enumerate() {
                    let e = slot(counts, i);
                    e[0] += n[0];
                    e[1] += n[1];
                }
                add_per(per, p2);
            }
            (
                Acc::Measure { by_dept, lookups },
                Acc::Measure {
                    by_dept: b2,
                    lookups: l2,
                },
            ) => {
                for (i, x) in b2.into_iter().enumerate() {
                    slot(by_dept, i).merge(x);
                }
                lookups.extend(l2);
            }
            (Acc::Agg(v), Acc::Agg(v2)) => {
                for (i, (m, t)) in v2.into_iter().enumerate() {
                    let e = slot(v, i);
                    e.0 += m;
                    e.1 += t;
                }
            }
            _ => unreachable!("accumulator kinds follow the consumers"),
        }
    }
}

/// Add per-value counts into others.
fn add_per(dst: &mut HashMap<String, [u64; 2]>, src: HashMap<String, [u64; 2]>) {
    for (k, n) in src {
        let e = dst.entry(k).or_default();
        e[0] += n[0];
        e[1] += n[1];
    }
}

/// How a streamed table's keys are checked for duplicates.
enum Keys {
    Unchecked,
    /// `--lenient`: exact, so a duplicate row is left out as it is read.
    Exact(FxHashMap<Box<str>, u64>),
    /// Fingerprints and lines, sorted and confirmed on the key text after the pass.
    Deferred(KeyLog),
}

/// The keys of a streamed chunk, for the duplicate check after the pass.
struct KeyLog {
    /// Fingerprint and line of every key; sorted once the chunk is read,
    /// unless the keys rise.
    fps: Vec<(u64, u32)>,
    /// Every key is greater than the one before it (ids counted up, as an
    /// export usually has them): no two are the same, nothing to sort.
    rising: bool,
    first: String,
    last: String,
}

impl KeyLog {
    fn new() -> KeyLog {
        KeyLog {
            fps: Vec::new(),
            rising: true,
            first: String::new(),
            last: String::new(),
        }
    }

    fn push(&mut self, key: &str, line: u64) {
        if self.fps.is_empty() {
            self.first = key.to_string();
        } else if self.rising && key <= self.last.as_str() {
            self.rising = false;
        }
        if self.rising {
            self.last.clear();
            self.last.push_str(key);
        }
        self.fps.push((fp64(key), line as u32));
    }
}

/// A relation value that names no row of the table it refers to.
fn dangling(
    source: &dyn Source,
    schema: &crate::schema::Schema,
    rel: &crate::schema::Relation,
    file: &str,
    line: u64,
    column_no: usize,
    key: &str,
) -> DataError {
    DataError {
        place: Box::default(),
        kind: DataErrorKind::DanglingReference,
        file: file.to_string(),
        line,
        column_no,
        column: schema.tables[rel.from].columns[rel.col].name.clone(),
        value: key.to_string(),
        problem: Box::new(Problem::Dangling {
            key: key.to_string(),
            file: source.referred(&schema.tables[rel.to]),
        }),
    }
}

#[allow(clippy::too_many_arguments)]
fn duplicate(
    table: &crate::schema::Table,
    _slot: usize,
    col: usize,
    position: usize,
    file: &str,
    line: u64,
    key: &str,
    first: u64,
) -> DataError {
    DataError {
        place: Box::default(),
        kind: DataErrorKind::DuplicateKey,
        file: file.to_string(),
        line,
        column_no: position + 1,
        column: table.columns[col].name.clone(),
        value: key.to_string(),
        problem: Box::new(Problem::DuplicateKey {
            key: key.to_string(),
            first,
        }),
    }
}

/// Departments met in one pass, by small index (0 = no department).
#[derive(Debug)]
struct Depts(Vec<String>);

impl Depts {
    fn new() -> Depts {
        Depts(vec![String::new()])
    }
    #[inline]
    fn index(&mut self, name: Option<&str>) -> usize {
        let name = name.unwrap_or("");
        match self.0.iter().position(|d| d == name) {
            Some(i) => i,
            None => {
                self.0.push(name.to_string());
                self.0.len() - 1
            }
        }
    }
}

/// One consumer's running figures during a pass, by department index.
#[derive(Debug)]
enum Acc {
    /// Records counted directly (distinct items are counted at the end).
    Part {
        counts: Vec<[u64; 2]>,
        /// Per value of the `per` column, when the indicator has one.
        per: HashMap<String, [u64; 2]>,
    },
    Measure {
        by_dept: Vec<stat::Stat>,
        lookups: Vec<Option<f64>>,
    },
    Agg(Vec<(u32, u32)>),
}

fn slot<T: Default + Clone>(v: &mut Vec<T>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize(i + 1, T::default());
    }
    &mut v[i]
}

#[derive(Default, Clone)]
struct PassOut {
    parts: HashMap<(IndId, usize), PartAcc>,
    measures: HashMap<(IndId, usize), MeasureAcc>,
    aggs: HashMap<AggId, Vec<(u32, u32)>>,
    errors: Vec<DataError>,
    rows: HashMap<TableId, RowCount>,
    /// The latest date a record is placed by (its `by` column), read.
    latest: Option<crate::value::Day>,
}

/// What became of a table's rows: every record read is used (handed to the
/// indicators) or dropped (left out, with its data error); the rows an
/// explanation of one case skips unread by the search of the file are
/// neither.
#[derive(Debug, Clone, Copy, Default)]
struct RowCount {
    read: u64,
    used: u64,
    dropped: u64,
}

impl RowCount {
    fn add(&mut self, o: RowCount) {
        self.read += o.read;
        self.used += o.used;
        self.dropped += o.dropped;
    }
}

pub struct Engine<'p> {
    pub plan: &'p Plan,
    pub policy: &'p Policy,
    pub period: Period,
    /// Where the tables are read from.
    pub source: &'p dyn Source,
    pub opts: Options,
    /// The stored tables, shared by the engines of every period a run
    /// evaluates (they are read once, whatever the period).
    stores: std::sync::Arc<Vec<Option<Store>>>,
    /// Per aggregate, per parent row: (rows matching, rows). Shared by the
    /// engines of a run where the condition reads no period.
    aggs: Vec<std::sync::Arc<Vec<(u32, u32)>>>,
    /// Per table: the resolved relation (its slot) through which both the
    /// department and every scope rule are reached, if there is one.
    memo_rel: Vec<Option<usize>>,
    /// Per table and consumer: its `when` reads through that relation alone,
    /// so it holds for every record of the same parent row.
    parent_when: Vec<Vec<bool>>,
    /// Per table: whether any counted part or measure reads its records
    /// (not only an aggregate of its parent rows).
    counted: Vec<bool>,
    /// When an observer wants only the records holding one of these texts
    /// (one case), every other record is skipped unparsed.
    needles: Vec<String>,
    /// Per table: the slots of the date columns its records are placed by.
    by_slots: Vec<Vec<usize>>,
    /// The outcomes the observer keeps, when it says so as data.
    filter: Option<OutcomeFilter>,
    /// An engine for another period beside the one reading (`run_periods`):
    /// the aggregates whose condition does not read the period it takes
    /// from the reader instead of counting them again.
    sibling: bool,
    /// Per aggregate: its condition reads the period.
    agg_reads_period: Vec<bool>,
    /// Per table: every consumer places its records by a date (`by`), or is
    /// an aggregate whose condition reads no period.
    placed_only: Vec<bool>,
}

/// Whether every consumer of table `t` places its records by a date, or is
/// an aggregate whose condition reads no period: a record outside a period
/// then adds nothing to that period's figures.
fn placed_only(plan: &Plan, t: TableId, agg_reads_period: &[bool]) -> bool {
    let Some(tp) = plan.tables[t].as_ref() else {
        return false;
    };
    tp.consumers.iter().enumerate().all(|(ci, c)| match c {
        Consumer::Part { .. } => plan.part(t, ci).placement.by.is_some(),
        // A lookup is placed by no date.
        Consumer::Measure { .. } => plan.measure(t, ci).by.is_some(),
        Consumer::Agg(a) => !agg_reads_period[*a],
    })
}

/// The date column consumer `ci` of table `t` places its records by.
fn by_of(plan: &Plan, t: TableId, ci: usize) -> Option<crate::schema::ColId> {
    match plan.table(t).consumers[ci] {
        Consumer::Part { .. } => plan.part(t, ci).placement.by,
        Consumer::Measure { .. } => plan.measure(t, ci).by,
        Consumer::Agg(_) => None,
    }
}

/// Per table: the slots of the columns its consumers place records by.
fn by_slots(plan: &Plan, t: TableId) -> Vec<usize> {
    let Some(tp) = plan.tables[t].as_ref() else {
        return Vec::new();
    };
    let mut v: Vec<usize> = Vec::new();
    for ci in 0..tp.consumers.len() {
        let by = by_of(plan, t, ci);
        if let Some(slot) = by.and_then(|c| tp.slot[c])
            && !v.contains(&slot)
        {
            v.push(slot);
        }
    }
    v
}

/// The relation (its slot among the table's resolved relations) that leads
/// from table `t` to both its department and every scope rule that applies to it.
fn memo_rel(plan: &Plan, t: TableId) -> Option<usize> {
    let records = &plan.logical.records[t];
    let first = *records.department.as_ref()?.nav.first()?;
    if !records.scope.iter().all(|s| s.path.first() == Some(&first)) {
        return None;
    }
    plan.tables[t]
        .as_ref()?
        .rels
        .iter()
        .position(|r| *r == first)
}

/// Per consumer of table `t`: whether it is a part whose `when` reads through
/// the table's memo relation alone.
fn parent_when(plan: &Plan, t: TableId) -> Vec<bool> {
    let Some(tp) = plan.tables[t].as_ref() else {
        return Vec::new();
    };
    let rel = memo_rel(plan, t).map(|r| tp.rels[r]);
    tp.consumers
        .iter()
        .enumerate()
        .map(|(ci, c)| match (c, rel) {
            (Consumer::Part { .. }, Some(rel)) => plan
                .part(t, ci)
                .placement
                .when
                .as_ref()
                .is_some_and(|w| through(w, rel)),
            _ => false,
        })
        .collect()
}

/// Whether `e` reads nothing of its own row: every column and definition it
/// reads is reached through relation `rel` first.
fn through(e: &CExpr, rel: RelId) -> bool {
    match &e.kind {
        CKind::Lit(_) | CKind::Period(_) => true,
        CKind::Col(c) => c.nav.first() == Some(&rel),
        CKind::Def { nav, .. } => nav.first() == Some(&rel),
        CKind::Not(a) | CKind::IsEmpty(a, _) | CKind::In(a, _, _) => through(a, rel),
        CKind::And(v) | CKind::Or(v) => v.iter().all(|x| through(x, rel)),
        CKind::Cmp(_, a, b) | CKind::Arith(_, a, b) | CKind::Default(a, b) => {
            through(a, rel) && through(b, rel)
        }
        CKind::Call(_, args) => args.iter().all(|x| through(x, rel)),
        CKind::Agg(..) => false,
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
    let (engines, mut totals) = passes(plan, data, std::slice::from_ref(period), opts, obs)?;
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
    let (engines, totals) = passes(plan, data, &all, opts, obs)?;
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

/// Read every table the plan needs once and feed its rows to one engine per
/// period. Data errors are the first engine's (it reads); every engine's
/// figures come back with the rows read and the errors left out.
fn passes<'p>(
    plan: &'p Plan,
    data: &'p dyn Source,
    periods: &[Period],
    opts: &Options,
    obs: &mut dyn Observer,
) -> Result<(Vec<Engine<'p>>, Vec<PassOut>), EvalError> {
    let policy = &*plan.policy;
    let Some(first) = periods.first().cloned() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut engine = Engine {
        plan,
        policy,
        period: first,
        source: data,
        opts: opts.clone(),
        stores: std::sync::Arc::new((0..policy.schema.tables.len()).map(|_| None).collect()),
        aggs: vec![std::sync::Arc::default(); policy.aggs.len()],
        memo_rel: (0..policy.schema.tables.len())
            .map(|t| memo_rel(plan, t))
            .collect(),
        parent_when: (0..policy.schema.tables.len())
            .map(|t| parent_when(plan, t))
            .collect(),
        counted: (0..policy.schema.tables.len())
            .map(|t| {
                plan.tables[t]
                    .as_ref()
                    .is_some_and(|tp| tp.consumers.iter().any(|c| !matches!(c, Consumer::Agg(_))))
            })
            .collect(),
        needles: obs.needles(),
        by_slots: (0..policy.schema.tables.len())
            .map(|t| by_slots(plan, t))
            .collect(),
        filter: obs.filter(),
        sibling: false,
        agg_reads_period: Vec::new(),
        placed_only: Vec::new(),
    };
    engine.agg_reads_period = policy
        .aggs
        .iter()
        .map(|a| a.cond.as_ref().is_some_and(|c| policy.reads_period(c)))
        .collect();
    engine.placed_only = (0..policy.schema.tables.len())
        .map(|t| placed_only(plan, t, &engine.agg_reads_period))
        .collect();
    let mut total = PassOut::default();
    for &t in &plan.load_order {
        engine.load_store(t, &mut total);
        engine.resolve_self(t, &mut total);
    }
    engine.resolve_late(&mut total);
    let mut engines = vec![engine];
    for p in periods.iter().skip(1) {
        let e = engines[0].sibling(p.clone());
        engines.push(e);
    }
    for e in engines.iter_mut() {
        e.pre_aggregate();
    }
    let mut others_total: Vec<PassOut> = (1..engines.len()).map(|_| PassOut::default()).collect();
    for wave in &plan.waves {
        // An observer that keeps every outcome of every record is served in
        // file order on one thread; one that keeps few (a case, a record, a
        // bucket) is served on every core, each table's outcomes in file order.
        let active = obs.active();
        let (reader, others) = engines.split_at(1);
        let reader = &reader[0];
        let parallel = reader.opts.threads > 1 && (!active || obs.few());
        let outs: Vec<Vec<PassOut>> = if parallel {
            let shared = std::sync::Mutex::new(&mut *obs);
            reader.parallel_wave(wave, others, &shared)
        } else {
            let mut v = Vec::new();
            for &t in wave {
                v.push(reader.pass(t, others, &mut *obs));
            }
            v
        };
        for per_engine in outs {
            for (k, mut o) in per_engine.into_iter().enumerate() {
                let e = &mut engines[k];
                for (a, v) in std::mem::take(&mut o.aggs) {
                    let dst = std::sync::Arc::make_mut(&mut e.aggs[a]);
                    if dst.is_empty() {
                        *dst = v;
                        continue;
                    }
                    if dst.len() < v.len() {
                        dst.resize(v.len(), (0, 0));
                    }
                    for (i, (m, t)) in v.into_iter().enumerate() {
                        dst[i].0 += m;
                        dst[i].1 += t;
                    }
                }
                match k {
                    0 => total.merge(o),
                    _ => others_total[k - 1].merge(o),
                }
            }
        }
        // The aggregates that do not read the period are the reader's in every period.
        let (reader, others) = engines.split_at_mut(1);
        for (a, reads) in reader[0].agg_reads_period.iter().enumerate() {
            if !reads {
                for e in others.iter_mut() {
                    e.aggs[a] = reader[0].aggs[a].clone();
                }
            }
        }
    }
    let reader = &engines[0];
    // `--lenient` leaves rows out; a table that cannot be read at all is still an error.
    let whole = |k: DataErrorKind| {
        matches!(
            k,
            DataErrorKind::MissingFile
                | DataErrorKind::WrongEncoding
                | DataErrorKind::Unreadable
                | DataErrorKind::MissingColumn
        )
    };
    let unreadable = total.errors.iter().any(|e| whole(e.kind));
    if !total.errors.is_empty() && (!opts.lenient || unreadable) {
        let mut errors = std::mem::take(&mut total.errors);
        // A table that cannot be read is the error: the rows of other tables
        // pointing at its rows are not errors of their own.
        if unreadable {
            errors.retain(|e| whole(e.kind));
        }
        errors.sort_by(|a, b| (&a.file, a.line, a.column_no).cmp(&(&b.file, b.line, b.column_no)));
        return Err(EvalError::Data {
            dir: data.shown(),
            count: errors.len(),
            errors,
        });
    }
    // Rows left out: reported, and an error past the share allowed.
    for (
        &t,
        &RowCount {
            read: rows,
            dropped,
            ..
        },
    ) in &total.rows
    {
        let percent = if rows > 0 {
            dropped as f64 * 100.0 / rows as f64
        } else {
            0.0
        };
        if dropped > 0 && percent > opts.max_dropped {
            let file = data.name(&policy.schema.tables[t]);
            let mut errors: Vec<DataError> = total
                .errors
                .iter()
                .filter(|e| e.file == file)
                .take(20)
                .cloned()
                .collect();
            errors.sort_by_key(|e| (e.line, e.column_no));
            return Err(EvalError::TooManyDropped {
                file,
                rows,
                dropped,
                percent,
                max: reader.opts.max_dropped,
                errors,
            });
        }
    }
    for o in others_total.iter_mut() {
        o.rows = total.rows.clone();
        o.errors = total.errors.clone();
        o.latest = total.latest;
    }
    let mut totals = vec![total];
    totals.extend(others_total);
    Ok((engines, totals))
}

impl PassOut {
    fn merge(&mut self, o: PassOut) {
        for (k, v) in o.parts {
            let dst = self.parts.entry(k).or_default();
            add_per(&mut dst.per, v.per);
            for (d, c) in v.counts {
                let e = dst.counts.entry(d).or_default();
                e[0] += c[0];
                e[1] += c[1];
            }
        }
        for (k, v) in o.measures {
            let dst = self.measures.entry(k).or_default();
            for (d, x) in v.by_dept {
                dst.by_dept.entry(d).or_default().merge(x);
            }
            dst.lookups.extend(v.lookups);
        }
        self.errors.extend(o.errors);
        self.latest = self.latest.max(o.latest);
        for (t, c) in o.rows {
            self.rows.entry(t).or_default().add(c);
        }
    }
}

impl<'p> Engine<'p> {
    /// An engine for another period over the same stored tables.
    fn sibling(&self, period: Period) -> Engine<'p> {
        Engine {
            plan: self.plan,
            policy: self.policy,
            period,
            source: self.source,
            opts: self.opts.clone(),
            stores: self.stores.clone(),
            aggs: vec![std::sync::Arc::default(); self.policy.aggs.len()],
            memo_rel: self.memo_rel.clone(),
            parent_when: self.parent_when.clone(),
            counted: self.counted.clone(),
            needles: self.needles.clone(),
            by_slots: self.by_slots.clone(),
            // The observer watches the first period only.
            filter: None,
            sibling: true,
            agg_reads_period: self.agg_reads_period.clone(),
            placed_only: self.placed_only.clone(),
        }
    }

    pub fn store(&self, t: TableId) -> Option<&Store> {
        self.stores[t].as_ref()
    }

    /// Relations from `from` to `to`, as the checker found them for scope rules.
    pub fn path_to(&self, from: TableId, to: TableId) -> Option<Vec<RelId>> {
        if from == to {
            return Some(Vec::new());
        }
        let schema = &self.policy.schema;
        let mut path = Vec::new();
        let mut cur = from;
        for _ in 0..schema.relations.len() {
            let (ri, r) = schema.relations.iter().enumerate().find(|(ri, r)| {
                r.from == cur
                    && self.plan.tables[cur]
                        .as_ref()
                        .is_some_and(|tp| tp.rels.contains(ri))
            })?;
            path.push(ri);
            cur = r.to;
            if cur == to {
                return Some(path);
            }
        }
        None
    }

    /// Follow relations from a row; `None` when a relation is empty.
    #[inline]
    pub fn navigate<'a>(
        &'a self,
        mut t: TableId,
        mut row: RowRef<'a>,
        nav: &[RelId],
    ) -> Option<(TableId, RowRef<'a>)> {
        for &r in nav {
            let idx = row.parent(self.plan.rel_slot(r));
            if idx == NO_ROW {
                return None;
            }
            t = self.policy.schema.relations[r].to;
            row = RowRef::Stored {
                store: self.stores[t].as_ref()?,
                row: idx,
            };
        }
        Some((t, row))
    }

    pub fn key_of(&self, t: TableId, row: RowRef<'_>) -> String {
        match self.policy.schema.tables[t]
            .key()
            .and_then(|k| self.plan.table(t).slot[k])
        {
            Some(slot) => match row.get(slot) {
                Value::Str(s) => s.to_string(),
                _ => String::new(),
            },
            None => String::new(),
        }
    }

    /// The department of a record of table `t` (`department of T = …`).
    fn department<'a>(&'a self, t: TableId, row: RowRef<'a>) -> Option<&'a str> {
        let a = self.plan.logical.records[t].department.as_ref()?;
        let (tt, r) = self.navigate(t, row, &a.nav)?;
        match r.get(self.plan.slot(tt, a.col)) {
            Value::Str(s) => Some(s),
            Value::Enum(i) => {
                Some(&self.policy.schema.tables[tt].columns[a.col].values[i as usize])
            }
            _ => None,
        }
    }

    /// Call `f` with the text a column expression reads on a row (a
    /// department, a judge), `None` when empty; no allocation for text.
    fn with_text<R>(
        &self,
        e: &CExpr,
        t: TableId,
        row: RowRef<'_>,
        f: impl FnOnce(Option<&str>) -> R,
    ) -> R {
        let v = self.ev(e, t, row, &mut expr::Tracer::off());
        match (&e.kind, v) {
            (_, Value::Null) => f(None),
            (_, Value::Str(s)) => f(Some(s)),
            (CKind::Col(c), Value::Enum(i)) => f(self.policy.schema.tables[c.table].columns[c.col]
                .values
                .get(i as usize)
                .map(String::as_str)),
            (CKind::Col(c), v) => f(Some(&self.show(c.table, c.col, v))),
            _ => f(None),
        }
    }

    /// The text a column expression reads on a row (a department), `None` when empty.
    fn text_of(&self, e: &CExpr, t: TableId, row: RowRef<'_>) -> Option<String> {
        match (&e.kind, self.ev(e, t, row, &mut expr::Tracer::off())) {
            (_, Value::Null) => None,
            (CKind::Col(c), v) => Some(self.show(c.table, c.col, v)),
            _ => None,
        }
    }

    /// Parse a record's needed columns; errors are pushed and `None` returned.
    #[allow(clippy::too_many_arguments)]
    fn parse_row<'r>(
        &self,
        t: TableId,
        rec: &'r csv::ByteRecord,
        pos: &[usize],
        line: u64,
        file: &str,
        errors: &mut Vec<DataError>,
        values: &mut [Value<'r>],
    ) -> bool {
        let tp = self.plan.table(t);
        let table = &self.policy.schema.tables[t];
        let mut ok = true;
        for (slot, &c) in tp.cols.iter().enumerate() {
            let Some(raw) = crate::data::field(rec, pos[slot]) else {
                ok = false;
                errors.push(DataError {
                    place: Box::default(),
                    kind: DataErrorKind::BadValue,
                    file: file.to_string(),
                    line,
                    column_no: pos[slot] + 1,
                    column: table.columns[c].name.clone(),
                    value: String::from_utf8_lossy(crate::data::raw(rec, pos[slot])).into_owned(),
                    problem: Box::new(Problem::NotUtf8 {
                        column: table.columns[c].name.clone(),
                    }),
                });
                continue;
            };
            match parse_field(&table.columns[c], raw) {
                Ok(v) => values[slot] = v,
                Err((kind, problem)) => {
                    ok = false;
                    values[slot] = Value::Null;
                    errors.push(DataError {
                        place: Box::default(),
                        kind,
                        file: file.to_string(),
                        line,
                        column_no: pos[slot] + 1,
                        column: table.columns[c].name.clone(),
                        value: raw.to_string(),
                        problem: Box::new(problem),
                    });
                }
            }
        }
        ok
    }

    /// Resolve the row's relations to stored parents.
    #[allow(clippy::too_many_arguments)]
    fn resolve_parents(
        &self,
        t: TableId,
        values: &[Value<'_>],
        pos: &[usize],
        line: u64,
        file: &str,
        errors: &mut Vec<DataError>,
        parents: &mut [u32],
        last: &mut [(String, u32)],
    ) -> bool {
        let tp = self.plan.table(t);
        let schema = &self.policy.schema;
        let mut ok = true;
        for (ri, &r) in tp.rels.iter().enumerate() {
            let rel = &schema.relations[r];
            let slot = self.plan.slot(t, rel.col);
            // Exports list a case's records together: the same parent as the
            // row before is found without a lookup.
            if let (Value::Str(k), Some(prev)) = (values[slot], last.get(ri))
                && prev.1 != NO_ROW
                && prev.0 == k
            {
                parents[ri] = prev.1;
                continue;
            }
            let near = last.get(ri).map_or(NO_ROW, |p| p.1);
            let idx = match (values[slot], self.stores[rel.to].as_ref()) {
                (Value::Str(k), Some(store)) => match store.lookup_after(k, near) {
                    Some(i) => i,
                    // Reading only one case's records: other parents were skipped.
                    None if !self.needles.is_empty() => {
                        ok = false;
                        NO_ROW
                    }
                    None => {
                        ok = false;
                        errors.push(dangling(
                            self.source,
                            schema,
                            rel,
                            file,
                            line,
                            pos[slot] + 1,
                            k,
                        ));
                        NO_ROW
                    }
                },
                _ => NO_ROW,
            };
            parents[ri] = idx;
            if let (Value::Str(k), Some(prev)) = (values[slot], last.get_mut(ri)) {
                prev.0.clear();
                prev.0.push_str(k);
                prev.1 = idx;
            }
        }
        ok
    }

    /// Read table `t`'s file once: parse, resolve relations, check keys, and
    /// hand every valid row to `f` (which may refuse it: a duplicate it found).
    /// Errors and row counts go to `out`.
    fn read_table(
        &self,
        t: TableId,
        out: &mut PassOut,
        check_keys: bool,
        chunk: Chunk,
        mut f: impl FnMut(&[Value<'_>], &[u32], u64, &[usize], &mut Vec<DataError>) -> bool,
    ) -> (KeyLog, crate::data::ChunkEnd) {
        let tp = self.plan.table(t);
        let table = &self.policy.schema.tables[t];
        let opened = match chunk.start {
            0 => self.source.open(table, &tp.cols),
            start => self.source.open_at(table, &tp.cols, start),
        };
        let mut reader = match opened {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(e);
                return (
                    KeyLog::new(),
                    crate::data::ChunkEnd {
                        exact: true,
                        stop_line: 0,
                    },
                );
            }
        };
        let placer = reader.placer();
        let file = reader.name().to_string();
        let key_slot = table.key().and_then(|k| tp.slot[k]).filter(|_| check_keys);
        let mut keys = match key_slot {
            None => Keys::Unchecked,
            Some(_) if self.opts.lenient => Keys::Exact(FxHashMap::default()),
            Some(_) => Keys::Deferred(KeyLog::new()),
        };
        let mut errors = Vec::new();
        let mut read_errors = Vec::new();
        let mut last: Vec<(String, u32)> = vec![(String::new(), NO_ROW); tp.rels.len()];
        let (mut rows, mut used, mut dropped) = (0u64, 0u64, 0u64);
        let mut row = |line: u64,
                       rec: &csv::ByteRecord,
                       pos: &[usize],
                       errors: &mut Vec<DataError>|
         -> bool {
            // Row values live on the stack: no allocation per row.
            let n = tp.cols.len();
            let mut stack = [Value::Null; 32];
            let mut heap;
            let values: &mut [Value<'_>] = if n <= stack.len() {
                &mut stack[..n]
            } else {
                heap = vec![Value::Null; n];
                &mut heap
            };
            if !self.parse_row(t, rec, pos, line, &file, errors, values) {
                return false;
            }
            let values: &[Value<'_>] = values;
            let mut pstack = [NO_ROW; 8];
            let mut pheap;
            let parents: &mut [u32] = if tp.rels.len() <= pstack.len() {
                &mut pstack[..tp.rels.len()]
            } else {
                pheap = vec![NO_ROW; tp.rels.len()];
                &mut pheap
            };
            if !self.resolve_parents(t, values, pos, line, &file, errors, parents, &mut last) {
                return false;
            }
            if let (Some(slot), Value::Str(key)) =
                (key_slot, key_slot.map_or(Value::Null, |k| values[k]))
            {
                match &mut keys {
                    Keys::Exact(seen) => {
                        if let Some(first) = seen.get(key) {
                            errors.push(duplicate(
                                table,
                                slot,
                                tp.cols[slot],
                                pos[slot],
                                &file,
                                line,
                                key,
                                *first,
                            ));
                            return false;
                        }
                        seen.insert(key.into(), line);
                    }
                    Keys::Deferred(log) => log.push(key, line),
                    Keys::Unchecked => {}
                }
            }
            f(values, parents, line, pos, errors)
        };
        let mut each = |line: u64, rec: &csv::ByteRecord, pos: &[usize]| {
            rows += 1;
            let before = errors.len();
            let kept = row(line, rec, pos, &mut errors);
            if !kept {
                dropped += 1;
            } else {
                used += 1;
            }
            // A row's errors named as the source names its rows (a cell, a key).
            if errors.len() > before && placer != Placer::Lines {
                let place = placer.place(rec);
                for e in &mut errors[before..] {
                    *e.place = place.clone();
                }
            }
        };

        // One case's records (explain): the rows holding the needles, found
        // the source's own way.
        let end = if !self.needles.is_empty() && chunk.start == 0 && chunk.stop.is_none() {
            let records = reader.each_holding(&self.needles, &mut each, &mut read_errors);
            rows = records;
            crate::data::ChunkEnd {
                exact: true,
                stop_line: 0,
            }
        } else {
            reader.each(chunk.stop, &mut each, &mut read_errors)
        };
        dropped += read_errors.len() as u64;
        rows += read_errors.len() as u64;
        out.errors.extend(read_errors);
        out.errors.extend(errors);
        out.rows.entry(t).or_default().add(RowCount {
            read: rows,
            used,
            dropped,
        });
        let keys = match keys {
            Keys::Deferred(log) => log,
            _ => KeyLog::new(),
        };
        (keys, end)
    }

    /// Sort the key fingerprints of a pass; where two lines share one, read
    /// their keys again and report those that are really the same.
    fn confirm_duplicates(
        &self,
        t: TableId,
        slot: usize,
        mut v: Vec<(u64, u32)>,
    ) -> Vec<DataError> {
        // Sorted runs, one per chunk: a merge.
        v.sort();
        let mut suspects: std::collections::BTreeSet<u32> = Default::default();
        for w in v.windows(2) {
            if w[0].0 == w[1].0 {
                suspects.insert(w[0].1);
                suspects.insert(w[1].1);
            }
        }
        drop(v);
        if suspects.is_empty() {
            return Vec::new();
        }
        let table = &self.policy.schema.tables[t];
        let col = self.plan.table(t).cols[slot];
        let Ok(mut reader) = self.source.open(table, &[col]) else {
            return Vec::new();
        };
        let file = reader.name().to_string();
        let placer = reader.placer();
        let mut found: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut position = 0;
        reader.each(
            None,
            &mut |line, rec, pos| {
                if suspects.contains(&(line as u32)) {
                    position = pos[0];
                    found
                        .entry(crate::data::field(rec, pos[0]).unwrap_or("").to_string())
                        .or_default()
                        .push(line as u32);
                }
            },
            &mut Vec::new(),
        );
        let mut out = Vec::new();
        for (key, lines) in found {
            for l in lines.iter().skip(1) {
                let mut e = duplicate(
                    table,
                    slot,
                    col,
                    position,
                    &file,
                    *l as u64,
                    &key,
                    lines[0] as u64,
                );
                *e.place = placer.place_of_key(Some(&key));
                out.push(e);
            }
        }
        out
    }

    /// How an error in stored row `row` of table `t` is named.
    fn place_of_stored(&self, t: TableId, store: &Store, row: u32) -> crate::data::Place {
        let key = Some(store.key_text(row)).filter(|k| !k.is_empty());
        self.source.place_of(&self.policy.schema.tables[t], key)
    }

    /// Relations from a stored table to itself (a case's original case),
    /// resolved as soon as the table is loaded, before the tables that refer
    /// to it. A row whose reference names no row is left out like any row
    /// with a data error, and so is a row referring to a row left out (the
    /// whole chain): what remains is the store those rows' absence gives,
    /// so the rows read still equal the rows used and the rows left out.
    fn resolve_self(&mut self, t: TableId, out: &mut PassOut) {
        if !self.needles.is_empty() {
            return;
        }
        let schema = &self.policy.schema;
        let selves: Vec<(usize, RelId)> = self
            .plan
            .table(t)
            .rels
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, r)| schema.relations[*r].to == t)
            .collect();
        if selves.is_empty() {
            return;
        }
        let Some(mut store) = std::sync::Arc::make_mut(&mut self.stores)[t].take() else {
            return;
        };
        let file = self.source.name(&schema.tables[t]);
        let slots: Vec<usize> = selves
            .iter()
            .map(|(_, r)| self.plan.slot(t, schema.relations[*r].col))
            .collect();
        let resolve = |store: &Store, slot: usize| -> Vec<Option<u32>> {
            (0..store.len)
                .map(|row| match store.get(row, slot) {
                    Value::Str(k) => store.lookup(k),
                    _ => Some(NO_ROW),
                })
                .collect()
        };
        // Per self relation, each row's parent: None when its value names no
        // row, NO_ROW when it has none.
        let parents: Vec<Vec<Option<u32>>> = slots.iter().map(|&s| resolve(&store, s)).collect();
        let n = store.len as usize;
        let mut keep = vec![true; n];
        // Left out: a row naming no row, then, down the chain, a row whose
        // parent is left out.
        let mut changed = true;
        while changed {
            changed = false;
            for row in 0..n {
                if !keep[row] {
                    continue;
                }
                let bad = parents.iter().position(|p| match p[row] {
                    None => true,
                    Some(NO_ROW) => false,
                    Some(parent) => !keep[parent as usize],
                });
                if let Some(i) = bad {
                    keep[row] = false;
                    changed = true;
                    if let Value::Str(k) = store.get(row as u32, slots[i]) {
                        let rel = &schema.relations[selves[i].1];
                        let mut e =
                            dangling(self.source, schema, rel, &file, store.lines[row], 0, k);
                        *e.place = self.place_of_stored(t, &store, row as u32);
                        out.errors.push(e);
                    }
                }
            }
        }
        let left_out = keep.iter().filter(|k| !**k).count() as u64;
        // Rows move up when some are left out: their parents are found anew.
        let parents = if left_out > 0 {
            if let Some(e) = out.rows.get_mut(&t) {
                e.used = e.used.saturating_sub(left_out);
                e.dropped += left_out;
            }
            store = store.retain(&keep);
            slots.iter().map(|&s| resolve(&store, s)).collect()
        } else {
            parents
        };
        for (&(ri, _), p) in selves.iter().zip(parents) {
            store.parents[ri] = p.into_iter().map(|p| p.unwrap_or(NO_ROW)).collect();
        }
        std::sync::Arc::make_mut(&mut self.stores)[t] = Some(store);
    }

    /// Relations between stored tables that point at a table loaded later:
    /// resolved once every stored table is in memory. (A table's relations
    /// to itself are resolved as it is loaded: `resolve_self`.)
    fn resolve_late(&mut self, out: &mut PassOut) {
        let schema = &self.policy.schema;
        for (pos, &t) in self.plan.load_order.iter().enumerate() {
            let tp = self.plan.table(t);
            for (ri, &r) in tp.rels.iter().enumerate() {
                let rel = &schema.relations[r];
                let loaded_before = self.plan.load_order[..pos].contains(&rel.to);
                if loaded_before || (rel.to == t && self.needles.is_empty()) {
                    continue;
                }
                let (Some(store), Some(target)) =
                    (self.stores[t].as_ref(), self.stores[rel.to].as_ref())
                else {
                    continue;
                };
                let slot = self.plan.slot(t, rel.col);
                let file = self.source.name(&schema.tables[t]);
                let mut resolved = Vec::with_capacity(store.len as usize);
                for row in 0..store.len {
                    let idx = match store.get(row, slot) {
                        Value::Str(k) => match target.lookup(k) {
                            Some(i) => i,
                            // Reading only one case's rows: other parents were skipped.
                            None if !self.needles.is_empty() => NO_ROW,
                            None => {
                                let mut e = dangling(
                                    self.source,
                                    schema,
                                    rel,
                                    &file,
                                    store.lines[row as usize],
                                    0,
                                    k,
                                );
                                *e.place = self.place_of_stored(t, store, row);
                                out.errors.push(e);
                                NO_ROW
                            }
                        },
                        _ => NO_ROW,
                    };
                    resolved.push(idx);
                }
                if let Some(store) = std::sync::Arc::make_mut(&mut self.stores)[t].as_mut() {
                    store.parents[ri] = resolved;
                }
            }
        }
    }

    /// The aggregates over a relation from a stored table to itself
    /// (`count(cases)` on cases through `origin`): counted from the stored rows.
    fn pre_aggregate(&mut self) {
        for &a in &self.plan.pre_aggs {
            let agg = &self.policy.aggs[a];
            let t = agg.child;
            let Some(store) = self.stores[t].as_ref() else {
                continue;
            };
            let tp = self.plan.table(t);
            let Some(rel) = tp
                .rels
                .iter()
                .position(|r| self.policy.schema.relations[*r].col == agg.rel_col)
            else {
                continue;
            };
            let mut v = vec![(0u32, 0u32); store.len as usize];
            for row in 0..store.len {
                let r = RowRef::Stored { store, row };
                let p = r.parent(rel);
                if p == NO_ROW {
                    continue;
                }
                let hit = agg
                    .cond
                    .as_ref()
                    .is_none_or(|c| self.ev(c, t, r, &mut expr::Tracer::off()).truthy());
                let e = &mut v[p as usize];
                e.1 += 1;
                if hit {
                    e.0 += 1;
                }
            }
            self.aggs[a] = std::sync::Arc::new(v);
        }
    }

    fn load_store(&mut self, t: TableId, out: &mut PassOut) {
        let table = &self.policy.schema.tables[t];
        let size = self.source.size(table);
        let threads = self.opts.threads;
        // A large stored table is read in chunks on every core, then joined.
        if threads > 1
            && !self.opts.lenient
            && self.needles.is_empty()
            && size >= self.opts.chunk_bytes.max(1)
        {
            let splits = self.source.split_points(table, threads);
            if !splits.is_empty() {
                let mut chunks = Vec::new();
                let mut start = 0;
                for stop in splits.iter().copied().map(Some).chain([None]) {
                    chunks.push(Chunk { start, stop });
                    start = stop.unwrap_or(0);
                }
                let this = &*self;
                let parts: Vec<(Store, PassOut, crate::data::ChunkEnd)> = std::thread::scope(|s| {
                    let handles: Vec<_> = chunks
                        .iter()
                        .map(|&c| s.spawn(move || this.load_chunk(t, c)))
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                        .collect()
                });
                let fits = parts[..parts.len() - 1].iter().all(|p| p.2.exact);
                if fits {
                    let tp = self.plan.table(t);
                    let key_slot = table.key().and_then(|k| tp.slot[k]);
                    let (file, key_position, placer) =
                        match key_slot.and_then(|k| self.source.open(table, &[tp.cols[k]]).ok()) {
                            Some(r) => (r.name().to_string(), r.positions()[0], r.placer()),
                            None => (self.source.name(table), 0, Placer::Lines),
                        };
                    let mut merged: Option<Store> = None;
                    let mut line_base = 0u64;
                    for (i, (store, mut o, end)) in parts.into_iter().enumerate() {
                        let shift = if i == 0 { 0 } else { line_base - 1 };
                        for e in o.errors.iter_mut() {
                            e.line += shift;
                        }
                        line_base = shift + end.stop_line;
                        out.merge(o);
                        match &mut merged {
                            None => merged = Some(store),
                            Some(m) => {
                                for (key, line, first) in m.append(store, shift) {
                                    if let Some(slot) = key_slot {
                                        let mut e = duplicate(
                                            table,
                                            slot,
                                            tp.cols[slot],
                                            key_position,
                                            &file,
                                            line,
                                            &key,
                                            first,
                                        );
                                        *e.place = placer.place_of_key(Some(&key));
                                        out.errors.push(e);
                                    }
                                    // Stored by its chunk, left out of the whole.
                                    if let Some(e) = out.rows.get_mut(&t) {
                                        e.used = e.used.saturating_sub(1);
                                        e.dropped += 1;
                                    }
                                }
                            }
                        }
                    }
                    std::sync::Arc::make_mut(&mut self.stores)[t] = merged;
                    return;
                }
            }
        }
        let (store, o, _) = self.load_chunk(t, Chunk::WHOLE);
        out.merge(o);
        std::sync::Arc::make_mut(&mut self.stores)[t] = Some(store);
    }

    /// Read (a chunk of) a stored table into a store of its own.
    fn load_chunk(&self, t: TableId, chunk: Chunk) -> (Store, PassOut, crate::data::ChunkEnd) {
        let tp = self.plan.table(t);
        let table = &self.policy.schema.tables[t];
        let key_slot = table.key().and_then(|k| tp.slot[k]);
        let mut store = Store::new(tp.cols.len(), tp.rels.len(), key_slot);
        let file = self.source.name(table);
        let mut out = PassOut::default();
        let (_, end) = self.read_table(
            t,
            &mut out,
            false,
            chunk,
            |values, parents, line, pos, errors| {
                let i = store.push(values, parents, line);
                if let Some(slot) = key_slot
                    && let Value::Str(s) = values[slot]
                    && let Err(first) = store.index_key(s, i)
                {
                    let first_line = store.lines[first as usize];
                    errors.push(duplicate(
                        table,
                        slot,
                        tp.cols[slot],
                        pos[slot],
                        &file,
                        line,
                        s,
                        first_line,
                    ));
                    store.pop();
                    return false;
                }
                true
            },
        );
        (store, out, end)
    }

    /// The passes of one wave on the worker threads. A large streamed table is
    /// split into chunks at line starts; when the chunks do not fit together (a
    /// quoted field holding a line break straddles a split), that table is read
    /// again in one piece.
    fn parallel_wave<'r, 'o>(
        &self,
        wave: &[TableId],
        others: &[Engine<'p>],
        obs: &std::sync::Mutex<&'r mut (dyn Observer + 'o)>,
    ) -> Vec<Vec<PassOut>> {
        let chunk_min = self.opts.chunk_bytes.max(1);
        let threads = self.opts.threads;
        // (table, its place in the wave, chunk number, chunk)
        let mut tasks: Vec<(TableId, usize, usize, Chunk)> = Vec::new();
        for (w, &t) in wave.iter().enumerate() {
            let table = &self.policy.schema.tables[t];
            let size = self.source.size(table);
            // One case's records are found by a search of the whole file.
            let splits = if self.stores[t].is_none()
                && !self.opts.lenient
                && self.needles.is_empty()
                && size >= chunk_min
            {
                let n = (threads as u64).min(size / chunk_min).max(1) as usize;
                self.source.split_points(table, n)
            } else {
                Vec::new()
            };
            if let Some(store) = &self.stores[t] {
                // A stored table's rows, in ranges: one per worker when its
                // file is large.
                let rows = store.len as u64;
                let n = if size >= chunk_min { threads as u64 } else { 1 };
                for i in 0..n {
                    let (start, stop) = (rows * i / n, rows * (i + 1) / n);
                    tasks.push((
                        t,
                        w,
                        i as usize,
                        Chunk {
                            start,
                            stop: Some(stop),
                        },
                    ));
                }
                continue;
            }
            let mut start = 0;
            for (i, stop) in splits.iter().copied().map(Some).chain([None]).enumerate() {
                tasks.push((t, w, i, Chunk { start, stop }));
                start = stop.unwrap_or(0);
            }
        }
        // Largest first keeps both cores busy to the end.
        let sizes: Vec<u64> = wave
            .iter()
            .map(|&t| self.source.size(&self.policy.schema.tables[t]))
            .collect();
        let size_of = |c: &(TableId, usize, usize, Chunk)| {
            let total = sizes[c.1];
            c.3.stop.unwrap_or(total).saturating_sub(c.3.start)
        };
        tasks.sort_by_key(|c| std::cmp::Reverse(size_of(c)));
        let active = obs.lock().map(|o| o.active()).unwrap_or(false);
        let next = AtomicUsize::new(0);
        // Per table of the wave: the chunks scanned so far. The worker that
        // scans a table's last chunk also merges them, while the other workers
        // go on scanning.
        let pending: Vec<std::sync::Mutex<Pending>> = wave
            .iter()
            .map(|&t| {
                let n = tasks.iter().filter(|c| c.0 == t).count();
                std::sync::Mutex::new(Pending {
                    parts: (0..n).map(|_| None).collect(),
                    left: n,
                    done: None,
                })
            })
            .collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads.min(tasks.len()))
                .map(|_| {
                    s.spawn(|| {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&(t, w, k, chunk)) = tasks.get(i) else {
                                break;
                            };
                            let mut buffer = Buffer {
                                shared: obs,
                                active,
                                needles: self.needles.clone(),
                                records: Vec::new(),
                            };
                            let mut scanned = self.scan(t, chunk, others, &mut buffer);
                            if let Some(first) = scanned.first_mut() {
                                first.records = buffer.records;
                            }
                            let parts = {
                                let mut p = lock(&pending[w]);
                                p.parts[k] = Some(scanned);
                                p.left -= 1;
                                if p.left > 0 {
                                    continue;
                                }
                                std::mem::take(&mut p.parts)
                            };
                            let mut chunks: Vec<Vec<Partial>> =
                                parts.into_iter().flatten().collect();
                            let fits = chunks[..chunks.len() - 1]
                                .iter()
                                .all(|c| c.first().is_none_or(|p| p.end.exact));
                            let done = fits.then(|| {
                                // Lines of a later chunk are counted from its start.
                                let mut records: Vec<RecordOutcome> = Vec::new();
                                let mut line_base = 0u64;
                                for (i, c) in chunks.iter_mut().enumerate() {
                                    let Some(p) = c.first_mut() else { continue };
                                    let shift = if i == 0 { 0 } else { line_base - 1 };
                                    for mut r in std::mem::take(&mut p.records) {
                                        r.line += shift;
                                        records.push(r);
                                    }
                                    line_base = shift + p.end.stop_line;
                                }
                                (self.finish_all(t, others, chunks), records)
                            });
                            lock(&pending[w]).done = Some(done);
                        }
                    })
                })
                .collect();
            for h in handles {
                h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            }
        });
        let mut outs = Vec::new();
        for (w, &t) in wave.iter().enumerate() {
            let done = lock(&pending[w]).done.take().flatten();
            let mut o = lock(obs);
            outs.push(match done {
                Some((out, records)) => {
                    for r in records {
                        o.record(r);
                    }
                    out
                }
                // The chunks did not fit together: read the table in one piece.
                None => self.pass(t, others, &mut **o),
            });
        }
        outs
    }

    /// One pass over table `t`: every consumer of its rows, for this
    /// engine's period and each of the others'.
    fn pass(&self, t: TableId, others: &[Engine<'p>], obs: &mut dyn Observer) -> Vec<PassOut> {
        let parts = self.scan(t, Chunk::WHOLE, others, obs);
        self.finish_all(t, others, vec![parts])
    }

    /// Finish a table's scans: `chunks` holds, per chunk in file order, one
    /// partial scan per engine (this one first).
    fn finish_all(
        &self,
        t: TableId,
        others: &[Engine<'p>],
        chunks: Vec<Vec<Partial>>,
    ) -> Vec<PassOut> {
        let mut per: Vec<Vec<Partial>> = (0..=others.len()).map(|_| Vec::new()).collect();
        for c in chunks {
            for (k, p) in c.into_iter().enumerate() {
                if let Some(v) = per.get_mut(k) {
                    v.push(p);
                }
            }
        }
        per.into_iter()
            .enumerate()
            .map(|(k, parts)| match k {
                0 => self.finish(t, parts),
                _ => others[k - 1].finish(t, parts),
            })
            .collect()
    }

    /// The running figures of a scan of table `t`, empty.
    fn running(&self, t: TableId) -> Running {
        let tp = self.plan.table(t);
        let accs: Vec<Acc> = tp
            .consumers
            .iter()
            .map(|c| match c {
                Consumer::Part { .. } => Acc::Part {
                    counts: Vec::new(),
                    per: HashMap::new(),
                },
                Consumer::Measure { .. } => Acc::Measure {
                    by_dept: Vec::new(),
                    lookups: Vec::new(),
                },
                Consumer::Agg(a) if self.sibling && !self.agg_reads_period[*a] => {
                    Acc::Agg(Vec::new())
                }
                Consumer::Agg(a) => {
                    let parent = self.policy.aggs[*a].parent;
                    Acc::Agg(vec![
                        (0, 0);
                        self.stores[parent]
                            .as_ref()
                            .map_or(0, |s| s.len as usize)
                    ])
                }
            })
            .collect();
        let sets: Vec<items::Items> = tp
            .item_sets
            .iter()
            .map(|s| {
                // Another period's engine meets few items (those placed in its
                // period): all by fingerprint, no list per parent row.
                let parents = s.anchor.filter(|_| !self.sibling).map_or(0, |a| {
                    let to = self.policy.schema.relations[tp.rels[a]].to;
                    self.stores[to].as_ref().map_or(0, |st| st.len as usize)
                });
                items::Items::new(s.lanes.len(), parents)
            })
            .collect();
        Running {
            accs,
            sets,
            depts: Depts::new(),
            memo: (NO_ROW, 0, None),
            whens: vec![None; tp.consumers.len()],
        }
    }

    /// Read (part of) table `t` once and feed its rows to the consumers of
    /// this engine and of every other: one partial scan per engine, this
    /// one's first (it holds the errors and the keys read).
    fn scan(
        &self,
        t: TableId,
        chunk: Chunk,
        others: &[Engine<'p>],
        obs: &mut dyn Observer,
    ) -> Vec<Partial> {
        let mut run = self.running(t);
        let mut runs: Vec<Running> = others.iter().map(|e| e.running(t)).collect();
        // The engines of a scan number departments alike (a row's is found once).
        let mut depts = Depts::new();
        let mut out = PassOut::default();
        let by_slots = &self.by_slots[t];
        let mut latest: Option<crate::value::Day> = None;
        // With other periods (as many as a mask holds), each row is asked
        // once what decides the periods it may count in (its dates, the
        // `when`s that read the period), and reaches those engines alone.
        let fan = (!others.is_empty() && others.len() < periods::MAX)
            .then(|| fan::Fan::new(self.plan, &self.agg_reads_period, t));
        let run_periods = periods::Periods::new(self, others);
        let share = !self
            .policy
            .scope
            .iter()
            .any(|r| self.policy.reads_period(&r.cond));
        let mut whens: Vec<Option<u64>> = vec![None; fan.as_ref().map_or(0, |f| f.whens.len())];
        // Otherwise another period's engine is handed only the records placed
        // in its period, when every consumer of the table places its records
        // by a date (the aggregates that read no period it takes from this one).
        let placed = self.placed_only[t] && by_slots.len() <= 8;
        let mut days = [None; 8];
        let mut feed = |r: RowRef<'_>,
                        line: u64,
                        run: &mut Running,
                        runs: &mut [Running],
                        obs: &mut dyn Observer| {
            let mut reach = 0u64;
            for (i, &s) in by_slots.iter().enumerate() {
                let d = r.get(s).day();
                latest = latest.max(d);
                if let Some(x) = days.get_mut(i) {
                    *x = d;
                }
                if let (Some(_), Some(d)) = (&fan, d) {
                    reach |= run_periods.containing(d);
                }
            }
            let mut facts = fan::Facts::new();
            if let Some(f) = &fan {
                if f.always {
                    reach = run_periods.all;
                }
                for (w, c) in whens.iter_mut().zip(&f.whens) {
                    *w = c.as_ref().map(|c| c.holds(&run_periods, t, r));
                    reach |= w.unwrap_or(0);
                }
                // The aggregates that read the period, for every engine at once.
                for &(ci, rel, ref cond) in &f.aggs {
                    let p = r.parent(rel);
                    if p == NO_ROW {
                        continue;
                    }
                    let hits = cond.holds(&run_periods, t, r);
                    for (k, run) in std::iter::once(&mut *run)
                        .chain(runs.iter_mut())
                        .enumerate()
                    {
                        if let Some(Acc::Agg(v)) = run.accs.get_mut(ci) {
                            let e = slot(v, p as usize);
                            e.1 += 1;
                            e.0 += u32::from(hits >> k & 1 == 1);
                        }
                    }
                }
                facts.fanned = true;
                facts.share = share;
                facts.whens = &whens;
            }
            self.consume(t, r, line, run, &mut depts, obs, &mut facts);
            if fan.is_some() {
                // The other engines the row may count in, in order.
                let mut m = reach >> 1;
                while m != 0 {
                    let k = m.trailing_zeros() as usize;
                    m &= m - 1;
                    if let (Some(e), Some(run)) = (others.get(k), runs.get_mut(k)) {
                        facts.k = k + 1;
                        e.consume(t, r, line, run, &mut depts, &mut Nobody, &mut facts);
                    }
                }
                return;
            }
            for (e, run) in others.iter().zip(runs.iter_mut()) {
                if placed
                    && !days[..by_slots.len()]
                        .iter()
                        .any(|d| d.is_some_and(|d| e.period.contains(d)))
                {
                    continue;
                }
                e.consume(t, r, line, run, &mut depts, &mut Nobody, &mut facts);
            }
        };
        let (keys, end) = if let Some(store) = self.stores[t].as_ref() {
            // For a stored table a chunk is a range of its rows.
            let stop = chunk
                .stop
                .map_or(store.len, |s| s.min(store.len as u64) as u32);
            for row in chunk.start as u32..stop {
                let r = RowRef::Stored { store, row };
                let line = store.lines[row as usize];
                feed(r, line, &mut run, &mut runs, &mut *obs);
            }
            (
                KeyLog::new(),
                // Stored rows keep their own lines: nothing to shift.
                crate::data::ChunkEnd {
                    exact: true,
                    stop_line: 1,
                },
            )
        } else {
            self.read_table(t, &mut out, true, chunk, |values, parents, line, _, _| {
                let r = RowRef::Live { values, parents };
                feed(r, line, &mut run, &mut runs, &mut *obs);
                true
            })
        };
        for r in std::iter::once(&mut run).chain(runs.iter_mut()) {
            r.depts.0.clone_from(&depts.0);
        }
        // Sorted here, on the scanning thread; the merge then joins sorted runs.
        let mut keys = keys;
        if !keys.rising {
            keys.fps.sort_unstable();
        }
        out.latest = latest;
        let mut parts = vec![Partial {
            run,
            out,
            keys,
            end,
            records: Vec::new(),
        }];
        parts.extend(runs.into_iter().map(|run| Partial {
            run,
            out: PassOut::default(),
            keys: KeyLog::new(),
            end,
            records: Vec::new(),
        }));
        parts
    }

    /// Merge the partial scans of a table (in file order), confirm duplicate
    /// keys, and fold the figures into department names.
    fn finish(&self, t: TableId, parts: Vec<Partial>) -> PassOut {
        let tp = self.plan.table(t);
        let mut out = PassOut::default();
        let mut depts = Depts::new();
        let mut accs: Option<Vec<Acc>> = None;
        let mut sets: Option<Vec<items::Items>> = None;
        let mut logs: Vec<(KeyLog, u64)> = Vec::new();
        // Lines of a later chunk are counted from its start: shift them.
        let mut line_base = 0u64;
        for (i, p) in parts.into_iter().enumerate() {
            let shift = if i == 0 { 0 } else { line_base - 1 };
            let mut o = p.out;
            for e in o.errors.iter_mut() {
                e.line += shift;
            }
            logs.push((p.keys, shift));
            line_base = shift + p.end.stop_line;
            out.merge(o);
            let map: Vec<usize> = p.run.depts.0.iter().map(|d| depts.index(Some(d))).collect();
            let mut a = p.run.accs;
            remap(&mut a, &map);
            match &mut accs {
                None => accs = Some(a),
                Some(dst) => merge_accs(dst, a),
            }
            let mut chunk_sets = p.run.sets;
            for s in chunk_sets.iter_mut() {
                s.remap(&map);
            }
            match &mut sets {
                None => sets = Some(chunk_sets),
                Some(dst) => {
                    for (d, s) in dst.iter_mut().zip(chunk_sets) {
                        d.merge(s);
                    }
                }
            }
        }
        let table = &self.policy.schema.tables[t];
        if let Some(slot) = table
            .key()
            .and_then(|k| tp.slot[k])
            .filter(|_| self.stores[t].is_none())
        {
            // Keys rising through every chunk, and from one chunk to the next,
            // hold no duplicate.
            logs.retain(|(log, _)| !log.fps.is_empty());
            let rising = logs.iter().all(|(log, _)| log.rising)
                && logs.windows(2).all(|w| w[0].0.last < w[1].0.first);
            if !rising {
                let mut keys: Vec<(u64, u32)> = Vec::new();
                for (mut log, shift) in logs {
                    if log.rising {
                        log.fps.sort_unstable();
                    }
                    keys.extend(log.fps.into_iter().map(|(fp, l)| (fp, l + shift as u32)));
                }
                out.errors.extend(self.confirm_duplicates(t, slot, keys));
            }
        }
        // An item counts once, by its best row.
        let mut accs = accs.unwrap_or_default();
        for (set, items) in tp.item_sets.iter().zip(sets.unwrap_or_default()) {
            for (lane, &ci) in set.lanes.iter().enumerate() {
                let (Consumer::Part { .. }, Some(Acc::Part { counts, .. })) =
                    (tp.consumers[ci], accs.get_mut(ci))
                else {
                    continue;
                };
                let role = self.plan.part(t, ci).role;
                for best in items.lane(lane) {
                    let (n, den) = counts_for(role, best.outcome);
                    let e = slot(counts, best.dept as usize);
                    e[0] += n;
                    e[1] += den;
                }
            }
        }
        // Fold the pass's figures into department names.
        for (c, acc) in tp.consumers.iter().zip(accs) {
            match (c, acc) {
                (Consumer::Part { ind, part }, Acc::Part { counts, per }) => {
                    let dst = out.parts.entry((*ind, *part)).or_default();
                    add_per(&mut dst.per, per);
                    for (d, n) in counts.into_iter().enumerate() {
                        if n != [0, 0] {
                            let e = dst.counts.entry(depts.0[d].clone()).or_default();
                            e[0] += n[0];
                            e[1] += n[1];
                        }
                    }
                }
                (Consumer::Measure { ind, let_ }, Acc::Measure { by_dept, lookups }) => {
                    let dst = out.measures.entry((*ind, *let_)).or_default();
                    for (d, x) in by_dept.into_iter().enumerate() {
                        if x.n > 0 {
                            dst.by_dept.entry(depts.0[d].clone()).or_default().merge(x);
                        }
                    }
                    dst.lookups.extend(lookups);
                }
                (Consumer::Agg(a), Acc::Agg(v)) => {
                    out.aggs.insert(*a, v);
                }
                _ => unreachable!("accumulator kinds follow the consumers"),
            }
        }
        out
    }

    /// Hand one record to this engine's consumers of table `t`; `facts`
    /// holds what the engines of a run share about it (see [`fan`]).
    #[allow(clippy::too_many_arguments)]
    fn consume(
        &self,
        t: TableId,
        row: RowRef<'_>,
        line: u64,
        run: &mut Running,
        depts: &mut Depts,
        obs: &mut dyn Observer,
        facts: &mut fan::Facts<'_>,
    ) {
        let tp = self.plan.table(t);
        let Running {
            accs,
            sets,
            depts: _,
            memo,
            whens,
        } = run;
        // Department and scope depend on the parent row alone where both are
        // reached through the same first relation.
        let parent = self.memo_rel[t]
            .map(|r| row.parent(r))
            .filter(|p| *p != NO_ROW);
        // Found when a consumer first needs them: a record outside every
        // consumer's period needs neither.
        let mut found: Option<(usize, Option<usize>)> = None;
        // The engines of a run find them once for all (the scope where no
        // scope rule reads the period).
        let share = facts.share;
        let mut dept_scope = |memo: &mut (u32, usize, Option<usize>),
                              depts: &mut Depts,
                              whens: &mut [Option<bool>],
                              facts: &mut fan::Facts<'_>| {
            *found.get_or_insert_with(|| match parent {
                // A table read only for its parents' aggregates (`any(hearings, …)`)
                // counts none of its records: their department and scope are not
                // needed, and the plan reads none of their columns.
                _ if !self.counted[t] => (0, None),
                Some(p) if memo.0 == p => (memo.1, memo.2),
                _ => {
                    let di = *facts
                        .dept
                        .get_or_insert_with(|| depts.index(self.department(t, row)));
                    let find = || self.scope_hit(t, row, &mut expr::Tracer::off());
                    let scope = if share {
                        *facts.scope.get_or_insert_with(find)
                    } else {
                        find()
                    };
                    if let Some(p) = parent {
                        *memo = (p, di, scope);
                        whens.fill(None);
                    }
                    (di, scope)
                }
            })
        };
        // Nobody watches every outcome: a record placed outside this
        // engine's period (excluded or not) counts nothing, and is skipped.
        let skip_outside = !obs.active() || self.filter.is_some();
        let quiet = !obs.active() && self.filter.is_none();
        let outside = |by: Option<usize>| {
            skip_outside
                && by.is_some_and(|by| {
                    !row.get(self.plan.slot(t, by))
                        .day()
                        .is_some_and(|d| self.period.contains(d))
                })
        };
        let filter = self.filter.as_ref();
        // With a filter, the key is made once an outcome is kept.
        let mut filter_key: Option<String> = None;
        let watched = if obs.active() && filter.is_none() {
            let key = self.record_key(t, row, line);
            let view = RowView {
                engine: self,
                table: t,
                row,
            };
            obs.wants(t, &key, &view).then_some(key)
        } else {
            None
        };
        // What explain sees of this record for one consumer.
        let record = |key: &String,
                      ind: IndId,
                      consumer: Consumer,
                      outcome: Outcome,
                      cause: Option<Cause>,
                      item: Option<String>,
                      steps: Vec<Step>| RecordOutcome {
            ind,
            consumer,
            table: t,
            key: key.clone(),
            line,
            department: self.department(t, row).map(str::to_string),
            outcome,
            cause,
            item,
            amount: None,
            steps,
            context: Vec::new(),
        };
        for (ci, (&c, acc)) in tp.consumers.iter().zip(accs.iter_mut()).enumerate() {
            match (c, acc) {
                (Consumer::Agg(a), Acc::Agg(_)) if self.sibling && !self.agg_reads_period[a] => {}
                // Counted for every engine where the row was read (`fan::Fan::aggs`).
                (Consumer::Agg(a), Acc::Agg(_)) if facts.fanned && self.agg_reads_period[a] => {}
                (Consumer::Agg(a), Acc::Agg(v)) => {
                    let agg = &self.policy.aggs[a];
                    let rel = self.plan.agg_rel_slot(a);
                    let p = row.parent(rel);
                    if p == NO_ROW {
                        continue;
                    }
                    let hit = agg
                        .cond
                        .as_ref()
                        .is_none_or(|c| self.ev(c, t, row, &mut expr::Tracer::off()).truthy());
                    let e = slot(v, p as usize);
                    e.1 += 1;
                    if hit {
                        e.0 += 1;
                    }
                }
                (Consumer::Part { ind, part }, Acc::Part { counts, per }) => {
                    let p = self.plan.part(t, ci);
                    if outside(p.placement.by) {
                        continue;
                    }
                    let memo_when = parent.is_some() && self.parent_when[t][ci];
                    // When no one sees the outcomes, a record its `when` places
                    // outside the period counts nothing whatever its department
                    // and scope: the `when` is asked first (an engine of
                    // another period meets every case this way).
                    // Asked once for every period where the row was read.
                    let mut known_when = facts.when(ci);
                    if quiet && let Some(w) = &p.placement.when {
                        let fresh = whens[ci].filter(|_| memo_when && parent == Some(memo.0));
                        let ok = known_when.or(fresh).unwrap_or_else(|| {
                            self.ev(w, t, row, &mut expr::Tracer::off()).truthy()
                        });
                        if !ok {
                            continue;
                        }
                        known_when = Some(true);
                    }
                    let (di, scope) = dept_scope(memo, depts, whens, facts);

                    let known = whens[ci].filter(|_| memo_when).or(known_when);
                    let (outcome, cause, when) =
                        self.decide(p, t, row, scope, known, &mut expr::Tracer::off());
                    if memo_when {
                        whens[ci] = when;
                    }
                    // `department = origin.department`: counted for another row's department.
                    let di = match &p.department {
                        DeptKey::Expr(e) => self.with_text(e, t, row, |d| depts.index(d)),
                        DeptKey::Path(_) | DeptKey::None => di,
                    };
                    match (&p.distinct, tp.item_lane[ci]) {
                        (Some(cols), Some((si, lane))) => {
                            if outcome >= Outcome::Denominator {
                                // Computed once per row, for every engine.
                                let fp = match facts.item_fp {
                                    Some((s, fp)) if s == si => fp,
                                    _ => {
                                        let fp = self.item_fingerprint(t, row, cols);
                                        facts.item_fp = Some((si, fp));
                                        fp
                                    }
                                };
                                let parent =
                                    tp.item_sets[si].anchor.map_or(NO_ROW, |a| row.parent(a));
                                sets[si].add(fp, parent, lane, di as u32, outcome);
                            }
                        }
                        _ => {
                            let (n, d) = counts_for(p.role, outcome);
                            if n + d > 0 {
                                let e = slot(counts, di);
                                e[0] += n;
                                e[1] += d;
                                if let Some(e) = &p.per {
                                    // Looked up by the row's text: a key is
                                    // allocated once, when first seen.
                                    self.with_text(e, t, row, |k| {
                                        let k = k.unwrap_or("");
                                        let c = match per.get_mut(k) {
                                            Some(c) => c,
                                            None => per.entry(k.to_string()).or_default(),
                                        };
                                        c[0] += n;
                                        c[1] += d;
                                    });
                                }
                            }
                        }
                    }
                    if let Some(f) = filter
                        && f.keeps(ind, part, outcome)
                    {
                        let key = filter_key.get_or_insert_with(|| self.record_key(t, row, line));
                        let mut o = record(key, ind, c, outcome, cause, None, Vec::new());
                        if let DeptKey::Expr(e) = &p.department {
                            o.department = self.text_of(e, t, row);
                        }
                        if f.context {
                            o.context = self.context_of(t, row);
                        }
                        obs.record(o);
                    }
                    if let Some(key) = &watched {
                        let mut o = record(key, ind, c, outcome, cause, None, Vec::new());
                        if let DeptKey::Expr(e) = &p.department {
                            o.department = self.text_of(e, t, row);
                        }
                        // The trail and the item, for the outcomes kept only.
                        if obs.keeps(&o) {
                            if obs.trails() {
                                let mut tr = expr::Tracer::new(true);
                                self.decide(p, t, row, scope, None, &mut tr);
                                o.steps = tr.steps;
                            }
                            if obs.context() {
                                o.context = self.context_of(t, row);
                            }
                            o.item = p.distinct.as_ref().map(|cols| self.item_key(t, row, cols));
                            obs.record(o);
                        }
                    }
                }
                (Consumer::Measure { ind, .. }, Acc::Measure { by_dept, lookups }) => {
                    let measure = self.plan.measure(t, ci);
                    if outside(measure.by) {
                        continue;
                    }
                    let (di, scope) = dept_scope(memo, depts, whens, facts);
                    let (outcome, cause, amount) =
                        self.measure(measure, t, row, scope, &mut expr::Tracer::off());
                    if outcome == Outcome::Numerator {
                        match &measure.kind {
                            MeasureKind::Lookup(_) => lookups.push(amount),
                            kind => {
                                if let Some(x) = amount {
                                    // A median keeps its amounts.
                                    let keep = matches!(kind, MeasureKind::Fold(AggFn::Median, _));
                                    slot(by_dept, di).add(x, keep);
                                }
                            }
                        }
                    }
                    if let Some(key) = &watched {
                        let mut o = record(key, ind, c, outcome, cause, None, Vec::new());
                        o.amount = amount.filter(|_| outcome == Outcome::Numerator);
                        if obs.keeps(&o) {
                            if obs.trails() {
                                let mut tr = expr::Tracer::new(true);
                                self.measure(measure, t, row, scope, &mut tr);
                                o.steps = tr.steps;
                            }
                            if obs.context() {
                                o.context = self.context_of(t, row);
                            }
                            obs.record(o);
                        }
                    }
                }
                _ => unreachable!("accumulator kinds follow the consumers"),
            }
        }
    }

    /// The row's list columns (the schema's `list`) as text; empty where a
    /// relation is empty or the plan did not read the column.
    fn context_of(&self, t: TableId, row: RowRef<'_>) -> Vec<String> {
        self.policy.schema.tables[t]
            .list
            .iter()
            .map(|lc| {
                let Some((tt, r)) = self.navigate(t, row, &lc.path) else {
                    return String::new();
                };
                let Some(slot) = self.plan.tables[tt].as_ref().and_then(|tp| tp.slot[lc.col])
                else {
                    return String::new();
                };
                match r.get(slot) {
                    Value::Null => String::new(),
                    Value::Str(s) => s.to_string(),
                    v => self.show(tt, lc.col, v),
                }
            })
            .collect()
    }

    /// The key explain shows for a row: its key column, or its line.
    pub fn record_key(&self, t: TableId, row: RowRef<'_>, line: u64) -> String {
        let k = self.key_of(t, row);
        if k.is_empty() {
            format!("line {line}")
        } else {
            k
        }
    }

    /// The identity of a distinct item: its values joined with a separator
    /// no CSV text field can hold unnoticed (U+001F), empty values as U+0000.
    /// A distinct item's fingerprint, without building its key text.
    fn item_fingerprint(&self, t: TableId, row: RowRef<'_>, cols: &[usize]) -> u128 {
        let mut h = hash::ItemHasher::new();
        for c in cols {
            match row.get(self.plan.slot(t, *c)) {
                Value::Null => h.field(&[0]),
                Value::Str(x) => h.field(x.as_bytes()),
                v => h.field(self.show(t, *c, v).as_bytes()),
            }
        }
        h.finish()
    }

    pub fn item_key(&self, t: TableId, row: RowRef<'_>, cols: &[usize]) -> String {
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                s.push(ITEM_SEP);
            }
            match row.get(self.plan.slot(t, *c)) {
                Value::Null => s.push(ITEM_NULL),
                Value::Str(x) => s.push_str(x),
                v => s.push_str(&self.show(t, *c, v)),
            }
        }
        s
    }

    /// The first scope rule that puts the row out of scope.
    fn scope_hit(&self, t: TableId, row: RowRef<'_>, tr: &mut expr::Tracer) -> Option<usize> {
        for ScopeUse { rule: si, path } in &self.plan.logical.records[t].scope {
            let Some((st, srow)) = self.navigate(t, row, path) else {
                continue;
            };
            let rule = &self.policy.scope[*si];
            let hit = self.ev(&rule.cond, st, srow, tr).truthy();
            if let Some(&last) = path.last() {
                let rel = &self.policy.schema.relations[last].name;
                tr.set_via(|| format!("{rel} {}", self.key_of(st, srow)));
            }
            tr.step(StepKind::Scope, rule.cond.loc, hit);
            if hit {
                return Some(*si);
            }
        }
        None
    }

    /// The outcome of one record for one counted part.
    fn decide(
        &self,
        p: &PartPlan,
        t: TableId,
        row: RowRef<'_>,
        scope: Option<usize>,
        known_when: Option<bool>,
        tr: &mut expr::Tracer,
    ) -> (Outcome, Option<Cause>, Option<bool>) {
        if tr.on {
            // Re-run the scope rules to record their trail.
            let again = self.scope_hit(t, row, tr);
            debug_assert_eq!(again, scope);
        }
        if let Some(s) = scope {
            return (Outcome::Excluded, Some(Cause::Scope(s)), None);
        }
        if let Some(by) = p.placement.by {
            let v = row.get(self.plan.slot(t, by));
            let inside = v.day().is_some_and(|d| self.period.contains(d));
            tr.period(self, t, by, v, p.loc, inside);
            if !inside {
                return (Outcome::OutOfPeriod, Some(Cause::Period), None);
            }
        }
        let mut when = None;
        if let Some(w) = &p.placement.when {
            let ok = match known_when {
                Some(v) if !tr.on => v,
                _ => self.ev(w, t, row, tr).truthy(),
            };
            tr.step(StepKind::When, w.loc, ok);
            if !ok {
                return (Outcome::OutOfPeriod, Some(Cause::When), Some(false));
            }
            when = Some(true);
        }
        let mut numerator_fail = None;
        for (i, r) in p.rules.iter().enumerate() {
            if r.side == RuleSide::NumeratorOnly && numerator_fail.is_some() && !tr.on {
                continue;
            }
            let v = self.ev(&r.cond, t, row, tr).truthy();
            tr.step(StepKind::Rule(r.kind, r.side), r.cond.loc, v);
            let fails = match r.kind {
                crate::vocab::RuleKind::Require => !v,
                crate::vocab::RuleKind::Exclude => v,
            };
            if !fails {
                continue;
            }
            match (r.side, r.kind) {
                (RuleSide::Both, crate::vocab::RuleKind::Require) => {
                    return (Outcome::NotCounted, Some(Cause::Rule(i)), when);
                }
                (RuleSide::Both, crate::vocab::RuleKind::Exclude) => {
                    return (Outcome::Excluded, Some(Cause::Rule(i)), when);
                }
                (RuleSide::NumeratorOnly, _) => {
                    if numerator_fail.is_none() {
                        numerator_fail = Some(i);
                    }
                }
            }
        }
        let (outcome, cause) = match (p.role, numerator_fail) {
            (Role::Both, Some(i)) => (Outcome::Denominator, Some(Cause::Rule(i))),
            (Role::Both | Role::Numerator, None) => (Outcome::Numerator, None),
            (Role::Denominator, None) => (Outcome::Denominator, None),
            (Role::Numerator | Role::Denominator, Some(i)) => {
                (Outcome::NotCounted, Some(Cause::Rule(i)))
            }
        };
        (outcome, cause, when)
    }

    /// A row's part in a `let` measure: counted (`numerator`) or not, and its amount.
    fn measure(
        &self,
        m: &MeasurePlan,
        t: TableId,
        row: RowRef<'_>,
        scope: Option<usize>,
        tr: &mut expr::Tracer,
    ) -> (Outcome, Option<Cause>, Option<f64>) {
        // A lookup: the value of the row its condition picks, court-wide,
        // in no scope and placed by no date.
        if let (MeasureKind::Lookup(col), Some(filter)) = (&m.kind, &m.filter) {
            let ok = self.ev(filter, t, row, tr).truthy();
            tr.step(StepKind::Filter, filter.loc, ok);
            if !ok {
                return (Outcome::NotCounted, Some(Cause::Filter), None);
            }
            return (
                Outcome::Numerator,
                None,
                row.get(self.plan.slot(t, *col)).num(),
            );
        }
        if tr.on {
            self.scope_hit(t, row, tr);
        }
        if let Some(s) = scope {
            return (Outcome::Excluded, Some(Cause::Scope(s)), None);
        }
        if let Some(by) = m.by {
            let v = row.get(self.plan.slot(t, by));
            let inside = v.day().is_some_and(|d| self.period.contains(d));
            tr.period(self, t, by, v, m.loc, inside);
            if !inside {
                return (Outcome::OutOfPeriod, Some(Cause::Period), None);
            }
        }
        if let Some(f) = &m.filter {
            let ok = self.ev(f, t, row, tr).truthy();
            tr.step(StepKind::Filter, f.loc, ok);
            if !ok {
                return (Outcome::Excluded, Some(Cause::Filter), None);
            }
        }
        let amount = match &m.kind {
            // An empty amount adds nothing and counts in no average.
            MeasureKind::Fold(_, expr) => {
                let v = self.ev(expr, t, row, tr).num();
                tr.step(StepKind::Amount, expr.loc, v.is_some());
                v
            }
            _ => Some(1.0),
        };
        (Outcome::Numerator, None, amount)
    }
}

/// What one record adds to [numerator, denominator].
fn counts_for(role: Role, o: Outcome) -> (u64, u64) {
    match (role, o) {
        (Role::Both, Outcome::Numerator) => (1, 1),
        (Role::Both, Outcome::Denominator) => (0, 1),
        (Role::Numerator, Outcome::Numerator) => (1, 0),
        (Role::Denominator, Outcome::Denominator) => (0, 1),
        _ => (0, 0),
    }
}

/// What one record with outcome `o` in a part of role `role` adds to
/// [numerator, denominator].
pub fn counts_of(role: Role, o: Outcome) -> (u64, u64) {
    counts_for(role, o)
}
