//! What the passes tell an observer: each record's [`Outcome`] for each
//! consumer, with its [`Cause`] and trail ([`RecordOutcome`]), and the
//! [`Observer`] that watches them (explain, policy tests, coverage, the
//! records to chase).

use super::engine::Engine;
use super::expr::Step;
use super::rows::RowRef;
use crate::ir::*;
use crate::plan::Consumer;
use crate::schema::TableId;

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
    pub(super) fn keeps(&self, ind: IndId, part: usize, o: Outcome) -> bool {
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
