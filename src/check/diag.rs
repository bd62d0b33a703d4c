//! The diagnostics `check` reports, as data: a variant per kind of problem,
//! with its facts and where it is. No sentence is built here or where a
//! problem is found: one catalogue per language says each kind
//! (`words::{en,zh}::check`), and [`CheckError::said`] pairs its words with
//! the spans for miette. Messages are lowercase, user input is in backticks,
//! the fix is in `help`, and labels sit on the policy text.

use miette::{Diagnostic, LabeledSpan, Severity, SourceSpan};

use crate::check::{Bounds, Misfit};
use crate::words::Lang;

pub type Src = crate::source::Named;

/// Names close to a misspelt one, or the names it could have been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Up to three close names, closest first.
    pub close: Vec<String>,
    /// Every candidate when they are few (at most 12) or always listed;
    /// otherwise empty.
    pub all: Vec<String>,
    pub what: Names,
}

/// What a list of candidate names holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Tables,
    DateColumns,
    Columns,
    /// A table's columns, relations and definitions.
    Names,
    Indicators,
    DepartmentsAndGroups,
    FunctionsInConditions,
    AcknowledgeableCodes,
}

/// The kind of thing a name was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    DiagnosticCode,
    DepartmentOrGroup,
    Department,
    Group,
    Indicator,
    Function,
    PeriodField,
    Definition,
    Measure,
    /// `department of TABLE = …`, given twice for a table.
    Attribution,
}

/// The help for an unknown name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    Suggest(Suggestion),
    /// In an amendment: it changes only what the version it amends has.
    SuggestInAmendment(Suggestion),
    /// The period has `period.start` and `period.end`.
    PeriodFields,
    /// A table named where a value is read: aggregate over it.
    IsTable {
        name: String,
        from: String,
    },
    /// A definition of a table this one points at.
    DefinedThrough {
        name: String,
        on: String,
        relation: String,
    },
    /// A definition of a table this one does not point at.
    DefinedElsewhere {
        name: String,
        on: String,
        table: String,
    },
}

/// Where `per` or `department =` sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Per,
    Department,
}

/// A line of a version of the policy, as written and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRef {
    /// Its first line, trimmed.
    pub text: String,
    pub file: String,
    pub line: usize,
}

/// Where the version amended left a department without a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Before {
    pub line: LineRef,
    /// The line excepted the department (else: the indicator had no target for it).
    pub excepted: bool,
    /// The document of the version amended.
    pub document: String,
}

/// One edge of a cycle of indicators: `from` uses `to` here.
#[derive(Debug, Clone)]
pub struct Edge {
    pub span: SourceSpan,
    pub from: String,
    pub to: String,
}

/// A policy put together wrongly: each kind says its message, label and help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    DuplicateHeaderField,
    /// The header has no `effective` date (of a base policy or an amendment).
    NoEffective {
        amendment: bool,
    },
    NoDocument {
        amendment: bool,
    },
    AmendmentNotAfter {
        date: String,
        document: String,
        effective: String,
    },
    AmendmentChangesOnly,
    NoTargetToRemove {
        indicator: String,
        /// The indicator's targets, as written.
        targets: Vec<String>,
    },
    TargetChangeInBase,
    OwnerIsGroup {
        owner: String,
    },
    NotMember {
        name: String,
        group: String,
    },
    NoDepartment,
    AggregateMisplaced {
        func: String,
    },
    AggregateTable {
        func: String,
    },
    NotRelated {
        func: String,
        child: String,
        parent: String,
    },
    AggregateArguments {
        func: String,
    },
    DefinitionHidesColumn {
        name: String,
        table: String,
    },
    /// Definitions that use each other, the first again at the end; two
    /// names: one that uses itself.
    DefinitionCycle {
        members: Vec<String>,
    },
    ColumnNoField {
        column: String,
        field: String,
        /// The relation the column is the key of.
        relation: Option<String>,
    },
    RelationNotValue {
        name: String,
    },
    DefinitionNoField {
        name: String,
        field: String,
    },
    /// Groups that contain each other, the first again at the end.
    GroupCycle {
        members: Vec<String>,
    },
    CopiesTwo {
        indicator: String,
    },
    ValueAndCount {
        indicator: String,
    },
    TwoValues {
        indicator: String,
    },
    ComputedRules {
        indicator: String,
    },
    MeasuresNoValue {
        indicator: String,
    },
    MixedCount {
        indicator: String,
    },
    RuleOutsideBlocks,
    BlockCountsNothing {
        side: String,
    },
    SideInBlock {
        side: String,
    },
    MissingBlock {
        indicator: String,
    },
    CountsNothing {
        indicator: String,
    },
    TwoCounts {
        indicator: String,
    },
    DenominatorRule,
    NoNumeratorRule {
        indicator: String,
    },
    CopiesComputed {
        indicator: String,
    },
    CopyCount,
    CopyAdds,
    NotFormula,
    /// `amends "…"` names no file.
    AmendedMissing {
        name: String,
        path: String,
    },
    AmendmentCycle,
    AmendedFails {
        name: String,
    },
}

/// Values of the wrong type; types by their schema names (`date`, `text` …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    NotCondition {
        ty: &'static str,
    },
    Default {
        of: &'static str,
        got: &'static str,
    },
    /// Values of one type that `op` does not compare.
    CompareOp {
        ty: &'static str,
        op: &'static str,
    },
    Compare {
        left: &'static str,
        right: &'static str,
        op: &'static str,
    },
    ListLiteral {
        ty: &'static str,
    },
    DurationOn {
        ty: &'static str,
    },
    DurationAlone,
    Arithmetic {
        op: &'static str,
        ty: &'static str,
    },
    EnumComputed,
    DepartmentNotText {
        ty: &'static str,
    },
    ByNotDate {
        column: String,
        ty: &'static str,
        table: String,
    },
    FoldNeedsNumbers {
        func: &'static str,
        ty: &'static str,
    },
    LookupNumber {
        ty: &'static str,
    },
}

/// A problem `check` reports.
#[derive(Debug)]
pub enum CheckError {
    Syntax(Box<crate::syntax::SyntaxError>),
    /// The schema the header names cannot be loaded from `path`.
    Schema {
        error: crate::schema::SchemaError,
        path: String,
        src: Src,
        span: SourceSpan,
    },
    UnknownTable {
        name: String,
        src: Src,
        span: SourceSpan,
        help: Suggestion,
    },
    UnknownName {
        name: String,
        table: String,
        src: Src,
        span: SourceSpan,
        help: Hint,
    },
    Unknown {
        kind: Kind,
        name: String,
        src: Src,
        span: SourceSpan,
        help: Hint,
    },
    Arity {
        name: &'static str,
        expected: usize,
        got: usize,
        example: &'static str,
        src: Src,
        span: SourceSpan,
    },
    ArgType {
        name: &'static str,
        position: usize,
        expected: crate::funcs::Arg,
        found: &'static str,
        example: &'static str,
        src: Src,
        span: SourceSpan,
    },
    Duplicate {
        kind: Kind,
        name: String,
        src: Src,
        span: SourceSpan,
        first: Option<SourceSpan>,
    },
    Type {
        mismatch: Mismatch,
        src: Src,
        span: SourceSpan,
    },
    EnumValue {
        value: String,
        column: String,
        values: Vec<String>,
        close: Option<String>,
        src: Src,
        span: SourceSpan,
    },
    TargetRange {
        value: f64,
        bounds: Bounds,
        misfit: Misfit,
        src: Src,
        span: SourceSpan,
    },
    Weights {
        indicator: String,
        total: f64,
        src: Src,
        span: SourceSpan,
    },
    /// A derived-from cycle, in dependency order, the first again at the end.
    Cycle {
        cycle: Vec<String>,
        src: Src,
        edges: Vec<Edge>,
    },
    Structure {
        shape: Shape,
        src: Src,
        span: SourceSpan,
    },
    UnitOfCount {
        unit: &'static str,
        src: Src,
        span: SourceSpan,
    },
    EmptyInterval {
        low: String,
        high: String,
        src: Src,
        span: SourceSpan,
    },
    ScheduleOrder {
        date: String,
        before: String,
        src: Src,
        span: SourceSpan,
    },
    OtherPeriodArgument {
        func: String,
        src: Src,
        span: SourceSpan,
    },
    BreakdownColumn {
        item: Item,
        path: String,
        kind: &'static str,
        /// The table and some columns that fit (for `per`).
        table: String,
        fit: Vec<String>,
        src: Src,
        span: SourceSpan,
    },
    PerDistinct {
        src: Src,
        span: SourceSpan,
    },
    NeedsCount {
        item: Item,
        src: Src,
        span: SourceSpan,
    },
    InvalidDate {
        text: String,
        src: Src,
        span: SourceSpan,
    },
    DuplicateTarget {
        indicator: String,
        department: String,
        src: Src,
        span: SourceSpan,
        first: SourceSpan,
    },
    UnusedDefinition {
        name: String,
        src: Src,
        span: SourceSpan,
    },
    NoTarget {
        indicator: String,
        department: String,
        /// In an amendment's `in X { … }` block (else in the indicator).
        in_block: bool,
        src: Src,
        span: SourceSpan,
    },
    NewTarget {
        indicator: String,
        department: String,
        before: Before,
        group: String,
        /// The line that keeps it without one: `target {keep} {rest}`.
        keep: String,
        rest: String,
        src: Src,
        span: SourceSpan,
    },
    CourtTargetUnchanged {
        indicator: String,
        court_line: LineRef,
        /// The court line to add: `target court …` with the departments' value.
        suggestion: Option<String>,
        src: Src,
        span: SourceSpan,
    },
    UnusedAcknowledgment {
        text: String,
        src: Src,
        span: SourceSpan,
    },
}

/// A diagnostic's words in one language: the message, a label per span (in
/// [`CheckError::spans`] order) and the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    pub message: String,
    pub labels: Vec<String>,
    pub help: Option<String>,
}

impl CheckError {
    /// The stable code (`zhibiao::unknown_table`), the same in every language.
    pub fn code(&self) -> &'static str {
        use CheckError::*;
        match self {
            Syntax(_) => "zhibiao::syntax",
            Schema { .. } => "zhibiao::schema",
            UnknownTable { .. } => "zhibiao::unknown_table",
            UnknownName { .. } => "zhibiao::unknown_name",
            Unknown { .. } => "zhibiao::unknown",
            Arity { .. } => "zhibiao::arity",
            ArgType { .. } => "zhibiao::argument_type",
            Duplicate { .. } => "zhibiao::duplicate",
            Type { .. } => "zhibiao::type_mismatch",
            EnumValue { .. } => "zhibiao::enum_value",
            TargetRange { .. } => "zhibiao::target_range",
            Weights { .. } => "zhibiao::weights",
            Cycle { .. } => "zhibiao::cycle",
            Structure { .. } => "zhibiao::structure",
            UnitOfCount { .. } => "zhibiao::unit_of_count",
            EmptyInterval { .. } => "zhibiao::empty_interval",
            ScheduleOrder { .. } => "zhibiao::schedule_order",
            OtherPeriodArgument { .. } => "zhibiao::other_period",
            BreakdownColumn { .. } => "zhibiao::breakdown_column",
            PerDistinct { .. } => "zhibiao::per_distinct",
            NeedsCount { .. } => "zhibiao::not_counted",
            InvalidDate { .. } => "zhibiao::invalid_date",
            DuplicateTarget { .. } => "zhibiao::duplicate_target",
            UnusedDefinition { .. } => "zhibiao::unused_definition",
            NoTarget { .. } => "zhibiao::no_target",
            NewTarget { .. } => "zhibiao::new_target",
            CourtTargetUnchanged { .. } => "zhibiao::court_target_unchanged",
            UnusedAcknowledgment { .. } => "zhibiao::unused_acknowledgment",
        }
    }

    pub fn severity(&self) -> Severity {
        use CheckError::*;
        match self {
            UnusedDefinition { .. }
            | NewTarget { .. }
            | CourtTargetUnchanged { .. }
            | UnusedAcknowledgment { .. } => Severity::Warning,
            NoTarget { .. } => Severity::Advice,
            _ => Severity::Error,
        }
    }

    fn src(&self) -> &Src {
        use CheckError::*;
        match self {
            Syntax(e) => &e.src,
            Schema { src, .. }
            | UnknownTable { src, .. }
            | UnknownName { src, .. }
            | Unknown { src, .. }
            | Arity { src, .. }
            | ArgType { src, .. }
            | Duplicate { src, .. }
            | Type { src, .. }
            | EnumValue { src, .. }
            | TargetRange { src, .. }
            | Weights { src, .. }
            | Cycle { src, .. }
            | Structure { src, .. }
            | UnitOfCount { src, .. }
            | EmptyInterval { src, .. }
            | ScheduleOrder { src, .. }
            | OtherPeriodArgument { src, .. }
            | BreakdownColumn { src, .. }
            | PerDistinct { src, .. }
            | NeedsCount { src, .. }
            | InvalidDate { src, .. }
            | DuplicateTarget { src, .. }
            | UnusedDefinition { src, .. }
            | NoTarget { src, .. }
            | NewTarget { src, .. }
            | CourtTargetUnchanged { src, .. }
            | UnusedAcknowledgment { src, .. } => src,
        }
    }

    /// The spans the labels sit on, the primary first.
    pub fn spans(&self) -> Vec<SourceSpan> {
        use CheckError::*;
        match self {
            Syntax(e) => vec![e.span],
            Cycle { edges, .. } => edges.iter().map(|e| e.span).collect(),
            Duplicate { span, first, .. } => std::iter::once(*span).chain(*first).collect(),
            DuplicateTarget { span, first, .. } => vec![*span, *first],
            Schema { span, .. }
            | UnknownTable { span, .. }
            | UnknownName { span, .. }
            | Unknown { span, .. }
            | Arity { span, .. }
            | ArgType { span, .. }
            | Type { span, .. }
            | EnumValue { span, .. }
            | TargetRange { span, .. }
            | Weights { span, .. }
            | Structure { span, .. }
            | UnitOfCount { span, .. }
            | EmptyInterval { span, .. }
            | ScheduleOrder { span, .. }
            | OtherPeriodArgument { span, .. }
            | BreakdownColumn { span, .. }
            | PerDistinct { span, .. }
            | NeedsCount { span, .. }
            | InvalidDate { span, .. }
            | UnusedDefinition { span, .. }
            | NoTarget { span, .. }
            | NewTarget { span, .. }
            | CourtTargetUnchanged { span, .. }
            | UnusedAcknowledgment { span, .. } => vec![*span],
        }
    }

    /// Its words in `lang`.
    pub fn texts(&self, lang: Lang) -> Texts {
        lang.check(self)
    }

    /// The diagnostic as `lang` says it, for miette's report or JSON.
    pub fn said(&self, lang: Lang) -> Said<'_> {
        Said {
            code: self.code(),
            severity: self.severity(),
            src: self.src(),
            spans: self.spans(),
            texts: self.texts(lang),
        }
    }
}

/// A syntax error as `lang` says it (for `fmt`, which reports it alone).
pub fn said_syntax(e: &crate::syntax::SyntaxError, lang: Lang) -> Said<'_> {
    Said {
        code: "zhibiao::syntax",
        severity: Severity::Error,
        src: &e.src,
        spans: vec![e.span],
        texts: lang.syntax(e),
    }
}

/// A diagnostic in one language: its words beside its spans.
#[derive(Debug)]
pub struct Said<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub src: &'a Src,
    pub spans: Vec<SourceSpan>,
    pub texts: Texts,
}

impl std::fmt::Display for Said<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.texts.message)
    }
}

impl std::error::Error for Said<'_> {}

impl Diagnostic for Said<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.texts
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.spans.iter().enumerate().map(|(i, s)| {
            LabeledSpan::new_with_span(self.texts.labels.get(i).cloned(), *s)
        })))
    }
}

/// In English where no language is asked (a library caller's `Display`).
impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.texts(Lang::En).message)
    }
}

impl std::error::Error for CheckError {}

impl Diagnostic for CheckError {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(CheckError::code(self)))
    }
    fn severity(&self) -> Option<Severity> {
        Some(CheckError::severity(self))
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.texts(Lang::En)
            .help
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.src())
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let said = self.said(Lang::En);
        let labels: Vec<LabeledSpan> = said.labels().into_iter().flatten().collect();
        Some(Box::new(labels.into_iter()))
    }
}

/// Names close to `name` among `candidates`, and the candidates when they
/// are few enough to list.
pub fn suggest(name: &str, candidates: &[&str], what: Names) -> Suggestion {
    let close = did_you_mean(name, candidates.iter().copied());
    let all = if close.is_empty() && candidates.len() <= 12 {
        candidates.iter().map(|c| c.to_string()).collect()
    } else {
        Vec::new()
    };
    Suggestion { close, all, what }
}

/// As [`suggest`], listing every candidate when none is close however many.
pub fn suggest_listed(name: &str, candidates: &[&str], what: Names) -> Suggestion {
    let close = did_you_mean(name, candidates.iter().copied());
    let all = if close.is_empty() {
        candidates.iter().map(|c| c.to_string()).collect()
    } else {
        Vec::new()
    };
    Suggestion { close, all, what }
}

/// Names close to `name` among `candidates`, for "did you mean".
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| {
            let n = name.chars().count().max(c.chars().count());
            *d <= (n / 3).max(1) || c.contains(name) || name.contains(*c)
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Edit distance in characters.
/// Two neighbouring characters swapped (`mdoe` for `mode`) count as one edit.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows i-2, i-1 and i of the table of edit distances.
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 0..a.len() {
        let mut cur = vec![i + 1; b.len() + 1];
        for j in 0..b.len() {
            cur[j + 1] = (prev[j] + usize::from(a[i] != b[j]))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                cur[j + 1] = cur[j + 1].min(before[j - 1] + 1);
            }
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_is_one_edit() {
        assert_eq!(distance("mdoe", "mode"), 1);
        assert_eq!(distance("mode", "mode"), 0);
        assert_eq!(distance("statuss", "status"), 1);
        assert_eq!(distance("民事审判庭", "民事庭"), 2);
        assert_eq!(
            did_you_mean("mdoe", ["mode", "kind", "status"]),
            vec!["mode"]
        );
    }
}
