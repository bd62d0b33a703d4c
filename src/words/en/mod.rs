//! The English catalogue.

pub(super) mod check;
pub(super) mod fault;
pub(super) mod misuse;
pub(super) mod testing;

use crate::eval::why::{Back, Note, Operand, Reason, Undefined, Unless, WhyNot};
use crate::ir::Prior;
use crate::vocab::AggFn;
use crate::words::Lang;

fn prior(p: Prior) -> &'static str {
    match p {
        Prior::Previous => "the previous period",
        Prior::LastYear => "the same period last year",
    }
}

fn when(w: &Option<Back>) -> String {
    w.as_ref()
        .map(|b| format!(" in {} ({})", prior(b.prior), b.period))
        .unwrap_or_default()
}

fn func(f: AggFn) -> &'static str {
    f.as_str()
}

pub(super) fn undefined(u: &Undefined) -> String {
    match u {
        Undefined::NoRecords => "the denominator is 0 (no records)".into(),
        Undefined::LookupEmpty { table, name } => {
            format!("the matching `{table}` row has no value for `{name}`")
        }
        Undefined::LookupNone {
            table,
            filter,
            start,
            end,
        } => format!("no `{table}` row matches `{filter}` for {start} – {end}"),
        Undefined::LookupMany {
            table,
            filter,
            rows,
        } => format!("{rows} `{table}` rows match `{filter}`; expected one"),
        Undefined::NoValues { name, func: f } => {
            format!(
                "no record has a value for `{name}` ({} of nothing)",
                func(*f)
            )
        }
        Undefined::NotFinite => "the formula has no finite value".into(),
        Undefined::NoFormulaRecords { department } => {
            format!("{department} has no records for the measures of the formula")
        }
        Undefined::Indicator {
            code,
            when: w,
            reason,
        } => format!("`{code}`{} is undefined: {}", when(w), undefined(reason)),
        Undefined::NoFigure {
            code,
            when: w,
            department,
        } => format!("`{code}`{} has no records for {department}", when(w)),
        Undefined::PriorNotEvaluated { code, prior: p } => format!(
            "`{code}` in {} is not evaluated here (a formula of another period reads no further back)",
            prior(*p)
        ),
        Undefined::ZeroDivisor { divisor } => match divisor {
            Operand::Measure(n) | Operand::Indicator(n) => format!("`{n}` is 0"),
            Operand::Expression => "the divisor is 0".into(),
        },
        Undefined::NoTerms => "no terms".into(),
        Undefined::NoArguments => "no arguments".into(),
    }
}

pub(super) fn note(n: &Note) -> String {
    match n {
        Note::StandsIn { value, reason } => format!(
            "{} stands in: {}",
            crate::eval::fmt_target(*value),
            undefined(reason)
        ),
        Note::LeftOutOfSum { reason } => format!("left out of the sum: {}", undefined(reason)),
    }
}

pub(super) fn reason(r: &Reason) -> String {
    match r {
        Reason::Because { text } => text.clone(),
        Reason::OutsidePeriod {
            column,
            period,
            start,
            end,
        } => format!("its `{column}` is outside {period} ({start} – {end})"),
        Reason::WhenFalse { condition } => format!("not in the period: `{condition}` is false"),
        Reason::NumeratorRequires { condition } => {
            format!("the numerator requires `{condition}`")
        }
        Reason::Requires { condition } => format!("not counted: requires `{condition}`"),
        Reason::ExcludedBy { condition } => format!("excluded by `{condition}`"),
        Reason::NoMatchingWhere => "does not match the measure's `where` condition".into(),
    }
}

pub(super) fn why_not(w: &WhyNot) -> String {
    let what = match &w.unless {
        Unless::InScope => "it were in scope".to_string(),
        Unless::InPeriod => "its date were in the period".to_string(),
        Unless::Held(c) => format!("`{c}` held"),
        Unless::NotHeld(c) => format!("`{c}` did not hold"),
    };
    format!(
        "would be counted if {what} — now {}",
        super::Lang::En.reads(&w.now)
    )
}

pub(super) fn label(l: super::Label) -> &'static str {
    use super::Label;
    match l {
        Label::Reason => "reason",
        Label::Rule => "rule",
        Label::Item => "item",
        Label::Target => "target",
        Label::Trail => "trail",
        Label::WhyNot => "why not",
        Label::Line => "line",
        Label::Version => "version",
        Label::Period => "period",
        Label::Records => "record(s)",
        Label::ItemOnce => "an item counts once, by its best send",
        Label::Is => "is",
        Label::ItemIs => "the item is",
    }
}

pub(super) fn term(t: super::Term) -> &'static str {
    use super::Term;
    match t {
        // The English report keeps the Chinese words beside (its readers
        // meet both in the court's papers).
        Term::Core => "核心 core",
        Term::Court => "全院 court",
        Term::BelowTarget => "未达标 below target, by department:",
        Term::Warning => "warning",
        Term::Measures => "measures (全院)",
        Term::DerivedFrom => "derived from",
        Term::Related => "related",
    }
}

fn expected(e: crate::data::Expected) -> String {
    use crate::data::Expected;
    match e {
        Expected::Bool => "a bool (是/否, true/false, 1/0, Y/N, √/×)".into(),
        Expected::WholeNumber => "a whole number".into(),
        Expected::FiniteNumber => "a finite number".into(),
        Expected::Number => "a number".into(),
        Expected::Date => format!("a date ({})", crate::value::DATE_FORMS),
        Expected::Datetime => format!("a datetime ({})", crate::value::DATETIME_FORMS),
        Expected::Text => "text".into(),
    }
}

pub(super) fn problem(p: &crate::data::Problem) -> String {
    use crate::data::Problem;
    match p {
        Problem::CannotOpen { table, error } => {
            format!("cannot open the `{table}` table: {}", Lang::En.io(error))
        }
        Problem::Unreadable { error } => unreadable(error),
        Problem::WrongEncoding {
            table,
            declared,
            looks,
            declare,
        } => format!(
            "the file is not {declared} text: it looks like {looks} — save it as {declared}, or declare `encoding: {declare}` for the `{table}` table in the schema"
        ),
        Problem::CannotReadHeader { error } => {
            format!("cannot read the header: {}", Lang::En.io(error))
        }
        Problem::NoTable {
            table,
            name,
            database,
            close,
        } => format!(
            "the database `{database}` has no table `{name}`{}{}; name it with `--table {table}=SCHEMA.TABLE`",
            if name == table {
                String::new()
            } else {
                format!(" for the `{table}` table")
            },
            close
                .as_ref()
                .map(|c| format!(" (it has `{c}`)"))
                .unwrap_or_default()
        ),
        Problem::NoColumns { table, columns } => format!(
            "{} missing from the database table `{table}`: {}",
            if columns.len() == 1 {
                "a column is"
            } else {
                "columns are"
            },
            columns
                .iter()
                .map(|c| format!(
                    "`{}`{}",
                    c.name,
                    c.close
                        .as_ref()
                        .map(|h| format!(" (the table has `{h}`)"))
                        .unwrap_or_default()
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Problem::Database { error } => crate::words::Lang::En.db_error(error).0,
        Problem::MissingColumns { columns } => {
            let list: Vec<String> = columns
                .iter()
                .map(|c| {
                    let also: Vec<String> = c.aliases.iter().map(|a| format!("`{a}`")).collect();
                    format!(
                        "`{}`{}{}",
                        c.name,
                        if also.is_empty() {
                            String::new()
                        } else {
                            format!(" (or {})", also.join(", "))
                        },
                        c.close
                            .as_ref()
                            .map(|h| format!(": the header has `{h}`"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            format!(
                "{} missing from the header: {}",
                if columns.len() == 1 {
                    "a column is"
                } else {
                    "columns are"
                },
                list.join("; ")
            )
        }
        Problem::CannotReadRecord { error } => {
            format!("cannot read the record: {}", Lang::En.io(error))
        }
        Problem::Width { fields, header } => {
            format!("the record has {fields} fields, the header has {header}")
        }
        Problem::NotUtf8 { column } => format!("the value of `{column}` is not valid UTF-8 text"),
        Problem::MissingValue { column } => format!("`{column}` must have a value"),
        Problem::BadValue {
            raw,
            column,
            expected: e,
        } => format!("`{raw}` is not {} (column `{column}`)", expected(*e)),
        Problem::NotInList {
            raw,
            column,
            values,
        } => format!(
            "`{raw}` is not one of the values of `{column}`: {}",
            values.join(", ")
        ),
        Problem::Dangling { key, file } => format!("`{key}` is not a row of `{file}`"),
        Problem::DuplicateKey { key, first } => {
            format!("key `{key}` appears again (first on line {first})")
        }
    }
}

pub(super) fn said(s: &super::Said) -> String {
    use super::Said;
    match s {
        Said::DataErrors { count, dir } => format!("error: {count} data error(s) in `{dir}`:"),
        Said::AndMore { count } => format!("… and {count} more:"),
        Said::LeftOut { at } => format!("warning: left out {at}"),
        Said::MoreLeftOut { count } => format!("warning: … and {count} more rows left out"),
        Said::HelpWholeFiles => {
            "help: fix the export or the schema: a table that cannot be read is never left out"
                .into()
        }
        Said::HelpLenient => {
            "help: fix the export, or run with `--lenient` to leave those rows out with the reason shown"
                .into()
        }
        Said::HelpMaxDropped => "help: fix the export, or raise `--max-dropped` (per cent of a table's rows, default 1) if so many bad rows are expected".into(),
        Said::TooManyDropped {
            file,
            rows,
            dropped,
            percent,
            max,
        } => format!(
            "error: {dropped} of the {rows} rows of `{file}` were left out ({percent:.1}%, more than {max}%); the first errors:"
        ),
    }
}

/// Why a workbook gives no table.
fn unreadable(u: &crate::data::Unreadable) -> String {
    use crate::data::Unreadable as U;
    let names = |v: &[String], sep: &str| {
        v.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match u {
        U::File { io } => format!("cannot read the file: {}", Lang::En.io(io)),
        U::HtmlWithoutTable => "the file is an HTML page without a table".into(),
        U::Workbook { reader } => format!("cannot read the workbook: {reader}"),
        U::NoSheet { wanted, sheets } => format!(
            "the workbook has no sheet named {}; its sheets: {}",
            names(wanted, " or "),
            names(sheets, ", ")
        ),
        U::Sheet { sheet, reader } => format!("cannot read the sheet `{sheet}`: {reader}"),
    }
}
