//! What `check` says, in English.

use crate::check::{Before, CheckError, Hint, Item, Kind, LineRef, Mismatch, Names, Shape};
use crate::check::{Bounds, Misfit};
use crate::check::{Suggestion, Texts};
use crate::funcs::Arg;
use crate::syntax::{Expect, Found, SyntaxError, SyntaxHint};
use crate::vocab::Unit;
use crate::words::quoted;

fn q(s: &str) -> String {
    format!("`{s}`")
}

fn texts(message: String, labels: Vec<String>, help: Option<String>) -> Texts {
    Texts {
        message,
        labels,
        help,
    }
}

fn one(message: String, label: impl Into<String>, help: impl Into<String>) -> Texts {
    texts(message, vec![label.into()], Some(help.into()))
}

fn names(n: Names) -> &'static str {
    match n {
        Names::Tables => "tables",
        Names::DateColumns => "date columns",
        Names::Columns => "columns",
        Names::Names => "names",
        Names::Indicators => "indicators",
        Names::DepartmentsAndGroups => "departments and groups",
        Names::FunctionsInConditions => "functions in conditions",
        Names::AcknowledgeableCodes => "codes that can be acknowledged",
    }
}

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::DiagnosticCode => "diagnostic code",
        Kind::DepartmentOrGroup => "department or group",
        Kind::Department => "department",
        Kind::Group => "group",
        Kind::Indicator => "indicator",
        Kind::Function => "function",
        Kind::PeriodField => "period field",
        Kind::Definition => "definition",
        Kind::Measure => "measure",
        Kind::Attribution => "department attribution of",
    }
}

fn suggestion(s: &Suggestion) -> String {
    if !s.close.is_empty() {
        format!("did you mean {}?", quoted(&s.close, " or "))
    } else if !s.all.is_empty() {
        format!("{}: {}", names(s.what), quoted(&s.all, ", "))
    } else {
        format!("check the spelling against the {}", names(s.what))
    }
}

fn hint(h: &Hint, k: Option<Kind>) -> String {
    match h {
        Hint::Suggest(s) => suggestion(s),
        Hint::SuggestInAmendment(s) => {
            let what = match k {
                Some(Kind::Indicator) => "indicators",
                _ => "departments",
            };
            format!(
                "{} (an amendment changes {what} that exist in the version it amends)",
                suggestion(s)
            )
        }
        Hint::PeriodFields => "the period has `period.start` and `period.end`".into(),
        Hint::IsTable { name, from } => format!(
            "`{name}` is a table; to look at its rows from `{from}` use `any({name}, …)`, `every({name}, …)` or `count({name}, …)`"
        ),
        Hint::DefinedThrough { name, on, relation } => format!(
            "`{name}` is defined on `{on}`; reach it through the relation: `{relation}.{name}`"
        ),
        Hint::DefinedElsewhere { name, on, table } => format!(
            "`{name}` is defined on `{on}`, which `{table}` rows do not point at; define it on `{table}` instead"
        ),
    }
}

fn line(l: &LineRef) -> String {
    format!("`{}` ({}:{})", l.text, l.file, l.line)
}

fn before(b: &Before) -> String {
    if b.excepted {
        format!("{} excepted it in `{}`", line(&b.line), b.document)
    } else {
        format!("{} had no target for it in `{}`", line(&b.line), b.document)
    }
}

fn arg(a: Arg) -> &'static str {
    a.name()
}

fn item(i: Item) -> &'static str {
    match i {
        Item::Per => "per",
        Item::Department => "department =",
    }
}

fn noun(u: Unit) -> &'static str {
    u.noun()
}

/// The values a target may take, as people read them: `0–100`, `0 or more`.
fn range(b: &Bounds) -> String {
    match (b.min(), b.max) {
        (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
        (Some(lo), None) => format!("{lo} or more"),
        (None, Some(hi)) => format!("{hi} or less"),
        (None, None) => "any number".into(),
    }
}

fn misfit(b: &Bounds, m: Misfit) -> String {
    match m {
        Misfit::OutsidePercent => "is outside 0–100".into(),
        Misfit::BelowZero => format!("is below 0: {} is never negative", noun(b.unit)),
        Misfit::AboveMax { max } => {
            format!("is above {max}, the most the indicator's value can be")
        }
        Misfit::Outside => format!("is outside {}", range(b)),
    }
}

fn bounds_help(b: &Bounds) -> String {
    match b.unit {
        Unit::Percent if b.max == Some(100.0) => "targets are percentages: write a number from 0 to 100 (an indicator whose value may pass 100 says so: `unit percent max 200`)".into(),
        u => format!(
            "the indicator's values are {} ({}): write a target in that range",
            range(b),
            u.as_str()
        ),
    }
}

pub(crate) fn texts_of(e: &CheckError) -> Texts {
    use CheckError::*;
    match e {
        Syntax(s) => syntax(s),
        Schema { error, path, .. } => {
            let message = match error {
                crate::schema::SchemaError::Io { path, source } => {
                    let why = crate::words::Lang::En.io(&source.into());
                    format!("cannot read schema `{path}`: {why}")
                }
                crate::schema::SchemaError::Invalid { path, message } => {
                    format!("schema `{path}` is not valid: {message}")
                }
            };
            one(
                format!("cannot load the schema: {message}"),
                "schema named here",
                format!(
                    "the header's `schema \"…\"` is read relative to the policy file: `{path}`"
                ),
            )
        }
        UnknownTable { name, help, .. } => one(
            format!("unknown table `{name}`"),
            "not a table of the schema",
            suggestion(help),
        ),
        UnknownName {
            name, table, help, ..
        } => one(
            format!("unknown name `{name}` in table `{table}`"),
            format!("not a column, relation or definition of `{table}`"),
            hint(help, None),
        ),
        Unknown {
            kind: k,
            name,
            help,
            ..
        } => one(
            format!("unknown {} `{name}`", kind(*k)),
            format!("no {} of this name", kind(*k)),
            hint(help, Some(*k)),
        ),
        Arity {
            name,
            expected,
            got,
            example,
            ..
        } => one(
            format!("`{name}` takes {expected} argument(s), here it has {got}"),
            "called here",
            format!("write `{example}`"),
        ),
        ArgType {
            name,
            position,
            expected,
            found,
            example,
            ..
        } => one(
            format!(
                "argument {position} of `{name}` takes {}, not a `{found}` value",
                arg(*expected)
            ),
            format!("a `{found}` value"),
            match (expected, *found) {
                (Arg::Text, "enum") => "a value from a list is matched with `=` or `in (…)`".into(),
                _ => format!("write `{example}`"),
            },
        ),
        Duplicate { kind: k, name, .. } => texts(
            format!("{} `{name}` is declared twice", kind(*k)),
            vec!["declared again here".into(), "first declared here".into()],
            Some(
                match k {
                    Kind::Definition => "rename one of them",
                    Kind::Department => "remove the second mention",
                    Kind::Group => {
                        "a group needs a name of its own, different from every department and group"
                    }
                    Kind::Attribution => {
                        "a table's records count for one department; keep one `department of` line for it"
                    }
                    Kind::Indicator => "indicator ids are stable and unique; rename one of them",
                    _ => "rename one",
                }
                .into(),
            ),
        ),
        Type { mismatch, .. } => {
            let (message, label, help) = self::mismatch(mismatch);
            one(format!("type mismatch: {message}"), label, help)
        }
        EnumValue {
            value,
            column,
            values,
            close,
            ..
        } => one(
            format!("`{value}` is not a value of `{column}`"),
            "not among the column's values",
            match close {
                Some(c) => format!("did you mean `{c}`? the values are {}", quoted(values, ", ")),
                None => format!("the values are {}", quoted(values, ", ")),
            },
        ),
        TargetRange {
            value,
            bounds,
            misfit: m,
            ..
        } => one(
            format!(
                "target `{}` {}",
                crate::eval::fmt_target(*value),
                misfit(bounds, *m)
            ),
            format!("a {} target", bounds.unit.as_str()),
            bounds_help(bounds),
        ),
        Weights {
            indicator, total, ..
        } => one(
            format!("the weights of `{indicator}` sum to {total}%, not 100%"),
            format!("weights sum to {total}%"),
            format!("adjust the weights so that they add up to 100% (now {total}%)"),
        ),
        Cycle { cycle, edges, .. } => texts(
            format!("derived-from cycle: {}", quoted(cycle, " → ")),
            edges
                .iter()
                .map(|e| format!("`{}` uses `{}`", e.from, e.to))
                .collect(),
            Some(
                "an indicator cannot be computed from itself; remove one of these references"
                    .into(),
            ),
        ),
        Structure { shape: s, .. } => {
            let (message, label, help) = shape(s);
            one(message, label, help)
        }
        UnitOfCount { unit, .. } => one(
            format!(
                "a counted indicator's value is a percentage, a ratio or a count, not `{unit}`"
            ),
            "not for a count",
            "for days, amounts or per-capita figures write `let` measures and `value = …` (e.g. `let d = avg days(filed_at, closed_at) of cases by closed_at` and `value = d`)",
        ),
        EmptyInterval { low, high, .. } => one(
            format!("the interval's low end {low} is above its high end {high}"),
            "empty interval",
            "write the low end first: `in 95..105`",
        ),
        ScheduleOrder { date, before, .. } => one(
            format!("a schedule's dates must rise: {date} comes after {before}"),
            "not after the date before",
            "list each value from its date on, earliest date first",
        ),
        OtherPeriodArgument { func, .. } => one(
            format!("`{func}` takes one indicator id"),
            "here",
            format!("write `{func}(HC4)`: that indicator's value in the other period"),
        ),
        BreakdownColumn {
            item: i,
            path,
            kind,
            table,
            fit,
            ..
        } => one(
            format!(
                "`{path}` is a {kind} value; `{}` takes a {} column",
                item(*i),
                match i {
                    Item::Per => "text, list or number",
                    Item::Department => "text",
                }
            ),
            format!("a {kind} value"),
            match i {
                Item::Per => format!(
                    "name a column of `{table}` such as {} (or one reached through a relation: `per judge.name`)",
                    quoted(fit, ", ")
                ),
                Item::Department => "name the text column of the department, through a relation: `department = origin.department` (a derived case for the department of the case it came from)".into(),
            },
        ),
        PerDistinct { .. } => one(
            "`per` does not break down distinct items".into(),
            "on `count distinct …`",
            "count the rows themselves (`count services by sent_at`), or drop `per`",
        ),
        NeedsCount { item: i, .. } => one(
            format!("`{}` works on a counted indicator", item(*i)),
            "on a computed indicator",
            match i {
                Item::Per => "put `per` on an indicator that counts records (`count cases by closed_at`), and compute per-capita figures from it by department",
                Item::Department => "put it on an indicator that counts records; a `let` measure counts for its rows' own departments",
            },
        ),
        InvalidDate { text, .. } => one(
            format!("`{text}` is not a date that exists"),
            "no such day",
            "write a real day as YYYY-MM-DD",
        ),
        DuplicateTarget {
            indicator,
            department,
            ..
        } => texts(
            format!("two targets of `{indicator}` set `{department}`"),
            vec![format!("sets `{department}` again"), "first set here".into()],
            Some(format!(
                "keep one target line per department, or add `except {department}` to the group line"
            )),
        ),
        UnusedDefinition { name, .. } => one(
            format!("definition `{name}` is never used"),
            "defined here",
            "use it in a rule or remove it",
        ),
        NoTarget {
            indicator,
            department,
            in_block,
            ..
        } => one(
            format!("`{department}` has no target on `{indicator}`, which targets its group"),
            format!("`{department}` is excepted here"),
            format!(
                "intended when the document exempts it (write `acknowledge no_target {department}` in {} to say so); otherwise add a target line for it",
                if *in_block {
                    "this block"
                } else {
                    "the indicator"
                }
            ),
        ),
        NewTarget {
            indicator,
            department,
            before: b,
            group,
            keep,
            rest,
            ..
        } => one(
            format!(
                "the amendment gives `{department}` a target on `{indicator}` it did not have: {}",
                before(b)
            ),
            format!("gives `{department}` a target through `{group}`"),
            format!(
                "to keep it without one write `target {keep} {rest}`; if the document gives it this target, say so with `acknowledge new_target {department}` in this block"
            ),
        ),
        CourtTargetUnchanged {
            indicator,
            court_line,
            suggestion,
            ..
        } => one(
            format!(
                "the amendment changes department targets of `{indicator}` but not its court target {}",
                line(court_line)
            ),
            "departments' targets changed here",
            format!(
                "add {} to the amendment if the court's target changes too, or acknowledge it: `acknowledge court_target_unchanged` in this block",
                match suggestion {
                    Some(s) => q(s),
                    None => "a `target court …` line".into(),
                }
            ),
        ),
        UnusedAcknowledgment { text, .. } => one(
            format!("`{text}` acknowledges nothing `check` reports here"),
            "nothing to acknowledge",
            "remove the line: the note or warning it acknowledged no longer holds",
        ),
    }
}

/// A cycle's message and label: one member using itself, or several.
fn cycle(members: &[String], what: &str, plural: &str, verb: &str) -> String {
    match members {
        [] => String::new(),
        [one] | [one, _] => format!("{what} `{one}` {verb}"),
        _ => format!("{plural}: {}", quoted(members, " → ")),
    }
}

fn shape(s: &Shape) -> (String, String, String) {
    let t = |m: String, l: &str, h: &str| (m, l.to_string(), h.to_string());
    match s {
        Shape::DuplicateHeaderField => t(
            "a header field is given twice".into(),
            "given again here",
            "keep one line per header field",
        ),
        Shape::NoEffective { amendment } => t(
            if *amendment {
                "the amendment has no `effective` date".into()
            } else {
                "the policy header has no `effective` date".into()
            },
            "in this header",
            "add `effective YYYY-MM-DD` to the header",
        ),
        Shape::NoDocument { amendment } => (
            if *amendment {
                "the amendment has no `document` number".into()
            } else {
                "the policy header has no `document` number".into()
            },
            "in this header".into(),
            format!(
                "add `document \"…〔{}〕…号\"` to the header",
                if *amendment { 2023 } else { 2022 }
            ),
        ),
        Shape::AmendmentNotAfter {
            date,
            document,
            effective,
        } => t(
            format!(
                "the amendment takes effect on {date}, not after the version it amends (`{document}`, effective {effective})"
            ),
            "not after the base",
            "effective dates must strictly increase along the chain of amendments",
        ),
        Shape::AmendmentChangesOnly => t(
            "an amendment changes targets, definitions and indicators only".into(),
            "not allowed in an amendment",
            "write target changes as `in HC3 { target … }`, and a changed definition or indicator whole (`define …`, `indicator …`); departments, groups, attributions and scope rules belong in a new base policy",
        ),
        Shape::NoTargetToRemove { indicator, targets } => (
            format!("`{indicator}` has no such target to remove"),
            "no target here".into(),
            format!(
                "its targets are: {}",
                if targets.is_empty() {
                    "none".into()
                } else {
                    quoted(targets, "; ")
                }
            ),
        ),
        Shape::TargetChangeInBase => t(
            "target changes (`in INDICATOR { … }`) belong in an amendment".into(),
            "in a base policy",
            "write the target into the indicator, or put this in a file whose header says `amends \"base.zb\"`",
        ),
        Shape::OwnerIsGroup { owner } => t(
            format!("the owner `{owner}` is a group, not a department"),
            "a group",
            "a court-wide target is answered for by one department",
        ),
        Shape::NotMember { name, group } => (
            format!("`{name}` is not part of `{group}`"),
            "not a member".into(),
            format!("`except` can only remove members of `{group}`"),
        ),
        Shape::NoDepartment => t(
            "this target applies to no department".into(),
            "every member is excepted",
            "remove the target line, or except fewer departments",
        ),
        Shape::AggregateMisplaced { func } => t(
            format!("`{func}(…)` cannot be used here"),
            "nested or misplaced",
            "aggregates over related rows cannot be nested or used in scope rules and attributions",
        ),
        Shape::AggregateTable { func } => (
            format!("the first argument of `{func}` must be a table"),
            "not a table name".into(),
            format!("write `{func}(documents, …)`"),
        ),
        Shape::NotRelated {
            func,
            child,
            parent,
        } => (
            format!("`{child}` rows do not point at `{parent}` rows through one relation"),
            "not related".into(),
            format!(
                "`{func}(…)` looks at the rows of a table whose relation column refers to `{parent}`"
            ),
        ),
        Shape::AggregateArguments { func } => (
            format!("`{func}` takes a table and one condition"),
            "wrong number of arguments".into(),
            format!("write `{func}(table, condition)`"),
        ),
        Shape::DefinitionHidesColumn { name, table } => t(
            format!("definition `{name}` hides a column or relation of `{table}`"),
            "same name as a column",
            "choose another name",
        ),
        Shape::DefinitionCycle { members } => {
            let name = members.last().map_or("", String::as_str);
            let label = match members.len() {
                0..=2 => "used inside its own definition".to_string(),
                n => format!("`{}` uses `{name}` here", members[n - 2]),
            };
            (
                cycle(
                    members,
                    "definition",
                    "definitions use each other",
                    "refers to itself",
                ),
                label,
                "a definition cannot depend on itself, directly or through others; inline or split one of them".into(),
            )
        }
        Shape::ColumnNoField {
            column,
            field,
            relation,
        } => (
            format!("column `{column}` has no field `{field}`"),
            "not a field".into(),
            match relation {
                Some(r) => format!("to follow the relation, write `{r}.{field}`"),
                None => format!("`{column}` is a column; only relations can be followed with `.`"),
            },
        ),
        Shape::RelationNotValue { name } => (
            format!("`{name}` is a relation, not a value"),
            "a relation".into(),
            format!("name a field of it, e.g. `{name}.…`"),
        ),
        Shape::DefinitionNoField { name, field } => t(
            format!("definition `{name}` has no field `{field}`"),
            "not a field",
            "a definition is a value; it has no fields",
        ),
        Shape::GroupCycle { members } => t(
            cycle(
                members,
                "group",
                "groups contain each other",
                "contains itself",
            ),
            "cycle through this member",
            "a group may contain other groups, but not itself, directly or through others",
        ),
        Shape::CopiesTwo { indicator } => t(
            format!("indicator `{indicator}` copies more than one indicator"),
            "second `restrict`/`over`",
            "an indicator is a slice of one other indicator: keep one `restrict` or `over` line",
        ),
        Shape::ValueAndCount { indicator } => t(
            format!("indicator `{indicator}` has both `value =` and `count`"),
            "remove this or the `value` line",
            "an indicator is either counted (`count …`) or computed (`value = …`)",
        ),
        Shape::TwoValues { indicator } => t(
            format!("indicator `{indicator}` has two `value` lines"),
            "second value",
            "keep one `value = …`",
        ),
        Shape::ComputedRules { indicator } => t(
            format!("a computed indicator `{indicator}` has no records to filter"),
            "not applicable",
            "put conditions into the `let … where …` measures",
        ),
        Shape::MeasuresNoValue { indicator } => t(
            format!("indicator `{indicator}` has measures but no `value = …`"),
            "unused measure",
            "add `value = …` that combines the measures",
        ),
        Shape::MixedCount { indicator } => t(
            format!(
                "indicator `{indicator}` mixes a top-level `count` with `numerator {{…}}`/`denominator {{…}}` blocks"
            ),
            "top-level count",
            "move this count into a block, or write the indicator with one `count` and `numerator require …`",
        ),
        Shape::RuleOutsideBlocks => t(
            "a rule outside the `numerator {…}`/`denominator {…}` blocks".into(),
            "outside the blocks",
            "move it into the block it belongs to",
        ),
        Shape::BlockCountsNothing { side } => t(
            format!("this {side} block counts nothing"),
            "no `count`",
            "start the block with `count TABLE by DATE_COLUMN`",
        ),
        Shape::SideInBlock { side } => t(
            format!("`{side}` inside a block"),
            "redundant side",
            "inside a block every rule applies to that block; remove the word",
        ),
        Shape::MissingBlock { indicator } => t(
            format!("indicator `{indicator}` needs both a numerator and a denominator block"),
            "incomplete",
            "add the missing `numerator { … }` or `denominator { … }` block",
        ),
        Shape::CountsNothing { indicator } => t(
            format!("indicator `{indicator}` counts nothing"),
            "no `count`, `value`, `restrict` or `over`",
            "add `count TABLE by DATE_COLUMN` with its rules, or `value = …`",
        ),
        Shape::TwoCounts { indicator } => t(
            format!("indicator `{indicator}` has two `count` lines"),
            "second count",
            "to count different things on each side use `numerator { count … }` and `denominator { count … }`",
        ),
        Shape::DenominatorRule => t(
            "`denominator` rule in a one-count indicator".into(),
            "the numerator is a part of the denominator",
            "write the rule without a side (`exclude …`): it then applies to the denominator and so to the numerator",
        ),
        Shape::NoNumeratorRule { indicator } => t(
            format!("indicator `{indicator}` has no numerator rule"),
            "numerator = denominator",
            "add `numerator require …` saying which records are counted in the numerator; for a number of records, say `unit count`",
        ),
        Shape::CopiesComputed { indicator } => t(
            format!("indicator `{indicator}` copies a computed indicator"),
            "copies a `value = …` indicator",
            "`restrict` and `over` copy counted indicators only",
        ),
        Shape::CopyCount => t(
            "an indicator that copies another has its count already".into(),
            "extra count",
            "remove this `count`",
        ),
        Shape::CopyAdds => t(
            "an indicator that copies another cannot add blocks or values".into(),
            "not allowed here",
            "write a separate indicator",
        ),
        Shape::NotFormula => t(
            "not a value formula".into(),
            "here",
            "a `value` combines numbers, percentages, `let` measures and indicator ids with + - * /, `min`/`max`, `sum_defined(…)`, `previous(ID)`/`last_year(ID)` and `A or 0` for a default",
        ),
        Shape::AmendedMissing { name, path } => (
            format!("the amended policy `{name}` does not exist"),
            "the version amended".into(),
            format!("`amends` is read relative to this file: `{path}`"),
        ),
        Shape::AmendmentCycle => t(
            "amendments form a cycle".into(),
            "the version amended",
            "an amendment amends an earlier version, never itself or a later one",
        ),
        Shape::AmendedFails { name } => t(
            format!("the amended policy `{name}` does not pass `zhibiao check`"),
            "the version amended",
            "fix the errors reported for it first",
        ),
    }
}

fn mismatch(m: &Mismatch) -> (String, String, String) {
    let value = |ty: &str| format!("a `{ty}` value");
    match m {
        Mismatch::NotCondition { ty } => (
            format!("a condition must be true or false, this is a `{ty}`"),
            value(ty),
            "compare it with something, e.g. `… = \"value\"` or `… is empty`".into(),
        ),
        Mismatch::Default { of, got } => (
            format!("the default of a `{of}` value must be a `{of}`, this is a `{got}`"),
            value(got),
            match *of {
                "date" | "datetime" => {
                    "write a date as the default: `closed_on or period.end`".into()
                }
                "text" | "enum" => "write a text as the default: `result or \"未录入\"`".into(),
                _ => "write a number as the default: `extended_days or 0`".into(),
            },
        ),
        Mismatch::CompareOp { ty, op } => (
            format!("`{ty}` values cannot be compared with `{op}`"),
            format!("`{ty}` {op} `{ty}`"),
            "text, enum and bool values can only be compared with `=` or `!=`".into(),
        ),
        Mismatch::Compare { left, right, op } => (
            format!("cannot compare `{left}` with `{right}`"),
            format!("`{left}` {op} `{right}`"),
            "compare values of the same kind: dates with dates (`2022-06-01`, `period.end`), numbers with numbers, text with \"text\"".into(),
        ),
        Mismatch::ListLiteral { ty } => (
            format!("this list is compared with a `{ty}` value"),
            "not a matching literal".into(),
            "list literals of the same kind as the value on the left".into(),
        ),
        Mismatch::DurationOn { ty } => (
            format!("a duration is added to a date, this is a `{ty}`"),
            value(ty),
            "write `period.end - 12 months` or `filed_at + 90 days`".into(),
        ),
        Mismatch::DurationAlone => (
            "a duration stands only after a date and `+` or `-`".into(),
            "a duration".into(),
            "write `period.end - 12 months`; for the days between two dates use `days(from, to)`"
                .into(),
        ),
        Mismatch::Arithmetic { op, ty } => (
            format!("arithmetic `{op}` on a `{ty}` value"),
            value(ty),
            "arithmetic needs numbers; for the days between two dates use `days(from, to)`, for hours `hours(from, to)`, and to move a date `filed_at + 90 days`".into(),
        ),
        Mismatch::EnumComputed => (
            "an enum column is compared with computed text".into(),
            "compare with a literal value".into(),
            "write the value in quotes, e.g. `status = \"取消\"`".into(),
        ),
        Mismatch::DepartmentNotText { ty } => (
            "a department must be a text column".into(),
            value(ty),
            "name the column that holds the department, e.g. `case.department`".into(),
        ),
        Mismatch::ByNotDate { column, ty, table } => (
            format!(
                "`{column}` is {} `{ty}` column, not a date",
                if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                }
            ),
            "`by` needs a date or datetime column".into(),
            format!("name the date column that places a `{table}` record in the period"),
        ),
        Mismatch::FoldNeedsNumbers { func, ty } => (
            format!("`{func}` needs numbers, this is a `{ty}`"),
            value(ty),
            "fold a number column, `days(from, to)` or `hours(from, to)`".into(),
        ),
        Mismatch::LookupNumber { ty } => (
            "`lookup` reads a number column".into(),
            format!("a `{ty}` column"),
            "name an int or decimal column".into(),
        ),
    }
}

fn expect(e: &Expect) -> String {
    match e {
        Expect::Keyword(k) => q(k),
        Expect::Form(f) => q(f),
        Expect::Name => "a name".into(),
        Expect::Str => "a string in double quotes".into(),
        Expect::Date => "a date like 2022-06-01".into(),
        Expect::Number => "a number".into(),
        Expect::Duration => "a duration like `12 months`".into(),
        Expect::Interval => "an interval `LOW..HIGH`".into(),
        Expect::Rank => "`rank` or `rank ascending`".into(),
        Expect::Condition => "a condition".into(),
        Expect::Value => "a value".into(),
        Expect::Comparison => "a comparison (`>=`, `<=`, `=`, …)".into(),
        Expect::ComparisonTail => "a comparison, `is empty` or `in (…)`".into(),
        Expect::Operator => "an operator".into(),
        Expect::Header => "the policy header `policy \"title\" { … }`".into(),
        Expect::HeaderField => {
            "a header field (`document`, `version`, `effective`, `schema`, `amends`, `report`)"
                .into()
        }
        Expect::Declaration => {
            "a declaration (`departments`, `group`, `department of`, `scope`, `define`, `indicator`)"
                .into()
        }
        Expect::BecauseReason => "`because \"reason\"`".into(),
        Expect::Side => "`numerator` or `denominator`".into(),
        Expect::RuleLine => "`require` or `exclude`".into(),
        Expect::Who => "a department, a group or `court`".into(),
        Expect::Bool => "`是`, `否`, `true` or `false`".into(),
        Expect::End => "the end of the file".into(),
    }
}

pub(crate) fn syntax(e: &SyntaxError) -> Texts {
    // Two descriptions may read alike (`count` the keyword and … ): once each.
    let mut words: Vec<String> = Vec::new();
    for w in e.expected.iter().map(expect) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    let expected = match words.as_slice() {
        [] => "something else here".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    };
    let found = match &e.found {
        Found::Invisible(c) => format!("found the invisible character U+{c:04X}"),
        Found::FileEnds => "the file ends here".into(),
        Found::Unexpected => "unexpected here".into(),
        Found::Token(t) => format!("found `{t}`"),
    };
    texts(
        format!("syntax error: expected {expected}"),
        vec![found],
        e.hint.map(|h| syntax_hint(h).to_string()),
    )
}

fn syntax_hint(h: SyntaxHint) -> &'static str {
    match h {
        SyntaxHint::InvisibleSpace => {
            "replace it with an ordinary space (it often comes from text pasted from a word processor)"
        }
        SyntaxHint::TypographicQuotes => {
            "strings use plain double quotes `\"…\"`, not typographic quotes"
        }
        SyntaxHint::WideComparison => "write comparisons with ASCII characters: `>=`, `<=`",
        SyntaxHint::WideComma => "separate names with an ASCII comma `,`",
        SyntaxHint::WideParentheses => {
            "write parentheses with ASCII characters: `(` and `)`, not `（` `）`"
        }
        SyntaxHint::WideEquals => "write comparisons with ASCII characters: `=`, `!=`, `<`, `<=`",
        SyntaxHint::PercentInTarget => {
            "a target is written without `%` in the indicator's unit: `target 立案庭 >= 70`"
        }
        SyntaxHint::Hyphen => {
            "identifiers cannot contain `-`; write `_` (`HC4_talk` is printed as `HC4-talk`)"
        }
        SyntaxHint::UnclosedString => "a string must close on the same line with `\"`",
        SyntaxHint::Negative => {
            "targets and numbers cannot be negative; targets are percentages from 0 to 100"
        }
        SyntaxHint::IndicatorBody => {
            "inside an indicator write `cite`, `count`, rules (`require`/`exclude`), `value`, `target`, `related` or `report`; close it with `}`"
        }
        SyntaxHint::Because => "every exclusion needs a reason: `exclude … because \"why\"`",
    }
}
