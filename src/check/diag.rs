//! The diagnostics `check` reports. Messages are lowercase, user input is in
//! backticks, the fix is in `help`, and labels sit on the policy text.

use miette::{LabeledSpan, SourceSpan};

pub type Src = crate::source::Named;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(Box<crate::syntax::SyntaxError>),

    #[error("cannot load the schema: {message}")]
    #[diagnostic(code(zhibiao::schema))]
    Schema {
        message: String,
        #[source_code]
        src: Src,
        #[label("schema named here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("unknown table `{name}`")]
    #[diagnostic(code(zhibiao::unknown_table))]
    UnknownTable {
        name: String,
        #[source_code]
        src: Src,
        #[label("not a table of the schema")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown name `{name}` in table `{table}`")]
    #[diagnostic(code(zhibiao::unknown_name))]
    UnknownName {
        name: String,
        table: String,
        #[source_code]
        src: Src,
        #[label("not a column, relation or definition of `{table}`")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("unknown {kind} `{name}`")]
    #[diagnostic(code(zhibiao::unknown))]
    Unknown {
        kind: &'static str,
        name: String,
        #[source_code]
        src: Src,
        #[label("no {kind} of this name")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{name}` takes {expected} argument(s), here it has {got}")]
    #[diagnostic(code(zhibiao::arity))]
    Arity {
        name: &'static str,
        expected: usize,
        got: usize,
        #[source_code]
        src: Src,
        #[label("called here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("argument {position} of `{name}` takes {expected}, not a `{found}` value")]
    #[diagnostic(code(zhibiao::argument_type))]
    ArgType {
        name: &'static str,
        position: usize,
        expected: &'static str,
        found: &'static str,
        #[source_code]
        src: Src,
        #[label("a `{found}` value")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("{kind} `{name}` is declared twice")]
    #[diagnostic(code(zhibiao::duplicate))]
    Duplicate {
        kind: &'static str,
        name: String,
        #[source_code]
        src: Src,
        #[label("declared again here")]
        span: SourceSpan,
        #[label("first declared here")]
        first: Option<SourceSpan>,
        #[help]
        help: String,
    },

    #[error("type mismatch: {message}")]
    #[diagnostic(code(zhibiao::type_mismatch))]
    Type {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    #[error("`{value}` is not a value of `{column}`")]
    #[diagnostic(code(zhibiao::enum_value))]
    EnumValue {
        value: String,
        column: String,
        #[source_code]
        src: Src,
        #[label("not among the column's values")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("target `{value}` {problem}")]
    #[diagnostic(code(zhibiao::target_range))]
    TargetRange {
        value: String,
        /// `is outside 0–100`, `is below 0: a count is never negative`.
        problem: String,
        unit: &'static str,
        #[source_code]
        src: Src,
        #[label("a {unit} target")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("the weights of `{indicator}` sum to {total}%, not 100%")]
    #[diagnostic(code(zhibiao::weights))]
    Weights {
        indicator: String,
        total: String,
        #[source_code]
        src: Src,
        #[label("weights sum to {total}%")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("derived-from cycle: {cycle}")]
    #[diagnostic(
        code(zhibiao::cycle),
        help("an indicator cannot be computed from itself; remove one of these references")
    )]
    Cycle {
        cycle: String,
        #[source_code]
        src: Src,
        #[label(collection)]
        edges: Vec<LabeledSpan>,
    },

    #[error("{message}")]
    #[diagnostic(code(zhibiao::structure))]
    Structure {
        message: String,
        #[source_code]
        src: Src,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    #[error("a counted indicator's value is a percentage, a ratio or a count, not `{unit}`")]
    #[diagnostic(
        code(zhibiao::unit_of_count),
        help(
            "for days, amounts or per-capita figures write `let` measures and `value = …` (e.g. `let d = avg days(filed_at, closed_at) of cases by closed_at` and `value = d`)"
        )
    )]
    UnitOfCount {
        unit: &'static str,
        #[source_code]
        src: Src,
        #[label("not for a count")]
        span: SourceSpan,
    },

    #[error("the interval's low end {low} is above its high end {high}")]
    #[diagnostic(
        code(zhibiao::empty_interval),
        help("write the low end first: `in 95..105`")
    )]
    EmptyInterval {
        low: String,
        high: String,
        #[source_code]
        src: Src,
        #[label("empty interval")]
        span: SourceSpan,
    },

    #[error("a schedule's dates must rise: {date} comes after {before}")]
    #[diagnostic(
        code(zhibiao::schedule_order),
        help("list each value from its date on, earliest date first")
    )]
    ScheduleOrder {
        date: String,
        before: String,
        #[source_code]
        src: Src,
        #[label("not after the date before")]
        span: SourceSpan,
    },

    #[error("`{func}` takes one indicator id")]
    #[diagnostic(code(zhibiao::other_period))]
    OtherPeriodArgument {
        func: String,
        #[source_code]
        src: Src,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{path}` is a {kind} value; `{item}` takes a {wanted} column")]
    #[diagnostic(code(zhibiao::breakdown_column))]
    BreakdownColumn {
        /// `per` or `department =`.
        item: &'static str,
        path: String,
        kind: &'static str,
        wanted: &'static str,
        #[source_code]
        src: Src,
        #[label("a {kind} value")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`per` does not break down distinct items")]
    #[diagnostic(
        code(zhibiao::per_distinct),
        help("count the rows themselves (`count services by sent_at`), or drop `per`")
    )]
    PerDistinct {
        #[source_code]
        src: Src,
        #[label("on `count distinct …`")]
        span: SourceSpan,
    },

    #[error("`{item}` works on a counted indicator")]
    #[diagnostic(code(zhibiao::not_counted))]
    NeedsCount {
        /// `per`, `department =`.
        item: &'static str,
        #[source_code]
        src: Src,
        #[label("{why}")]
        span: SourceSpan,
        why: String,
        #[help]
        help: String,
    },

    #[error("`{text}` is not a date that exists")]
    #[diagnostic(code(zhibiao::invalid_date), help("write a real day as YYYY-MM-DD"))]
    InvalidDate {
        text: String,
        #[source_code]
        src: Src,
        #[label("no such day")]
        span: SourceSpan,
    },

    #[error("two targets of `{indicator}` set `{department}`")]
    #[diagnostic(
        code(zhibiao::duplicate_target),
        help(
            "keep one target line per department, or add `except {department}` to the group line"
        )
    )]
    DuplicateTarget {
        indicator: String,
        department: String,
        #[source_code]
        src: Src,
        #[label("sets `{department}` again")]
        span: SourceSpan,
        #[label("first set here")]
        first: SourceSpan,
    },

    #[error("definition `{name}` is never used")]
    #[diagnostic(
        code(zhibiao::unused_definition),
        severity(Warning),
        help("use it in a rule or remove it")
    )]
    UnusedDefinition {
        name: String,
        #[source_code]
        src: Src,
        #[label("defined here")]
        span: SourceSpan,
    },

    #[error("`{department}` has no target on `{indicator}`, which targets its group")]
    #[diagnostic(code(zhibiao::no_target), severity(Advice))]
    NoTarget {
        indicator: String,
        department: String,
        #[source_code]
        src: Src,
        #[label("`{department}` is excepted here")]
        span: SourceSpan,
        #[help]
        help: String,
    },
    #[error(
        "the amendment gives `{department}` a target on `{indicator}` it did not have: {before}"
    )]
    #[diagnostic(code(zhibiao::new_target), severity(Warning))]
    NewTarget {
        indicator: String,
        department: String,
        /// Where the version amended left it without one, as `file:line `text``.
        before: String,
        #[source_code]
        src: Src,
        #[label("gives `{department}` a target through `{group}`")]
        span: SourceSpan,
        group: String,
        #[help]
        help: String,
    },

    #[error(
        "the amendment changes department targets of `{indicator}` but not its court target {court_line}"
    )]
    #[diagnostic(code(zhibiao::court_target_unchanged), severity(Warning))]
    CourtTargetUnchanged {
        indicator: String,
        /// The court target left in force, as `file:line `text``.
        court_line: String,
        #[source_code]
        src: Src,
        #[label("departments' targets changed here")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    #[error("`{text}` acknowledges nothing `check` reports here")]
    #[diagnostic(
        code(zhibiao::unused_acknowledgment),
        severity(Warning),
        help("remove the line: the note or warning it acknowledged no longer holds")
    )]
    UnusedAcknowledgment {
        text: String,
        #[source_code]
        src: Src,
        #[label("nothing to acknowledge")]
        span: SourceSpan,
    },
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

/// The help text for an unknown name.
pub fn suggest(name: &str, candidates: &[&str], what: &str) -> String {
    let close = did_you_mean(name, candidates.iter().copied());
    if !close.is_empty() {
        let list: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
        format!("did you mean {}?", list.join(" or "))
    } else if candidates.len() <= 12 {
        let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
        format!("{what}: {}", list.join(", "))
    } else {
        format!("check the spelling against the {what}")
    }
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
