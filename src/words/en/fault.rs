//! What the command cannot use, in English.

use crate::words::fault::{Done, Fault, Io, Named};

fn named(n: Named) -> &'static str {
    match n {
        Named::Table => "table",
        Named::Indicator => "indicator",
        Named::Department => "department",
    }
}

fn plural(n: Named) -> &'static str {
    match n {
        Named::Table => "tables",
        Named::Indicator => "indicators",
        Named::Department => "departments",
    }
}

fn io(e: &Io) -> &str {
    &e.text
}

pub(in crate::words) fn fault(f: &Fault) -> String {
    match f {
        Fault::CannotRead { path, io: e } => format!("error: cannot read `{path}`: {}", io(e)),
        Fault::CannotWrite { path, io: e } => format!("error: cannot write `{path}`: {}", io(e)),
        Fault::NoPeriod => "error: give a period: `--period 2022-06` (or 2022-Q2, 2022-W23, 2022-H1, 2022, 2022-06-YTD), or `--from DATE --to DATE`".into(),
        Fault::UnknownEncoding { name } => format!(
            "error: unknown encoding `{name}`: use auto, utf-8, gbk (GB18030) or utf-16"
        ),
        Fault::PolicyFails { name } => format!("error: `{name}` does not pass `zhibiao check`"),
        Fault::NotAPolicyFile { path } => format!("error: `{path}` is not a policy file"),
        Fault::Unknown {
            what,
            name,
            similar,
            all,
        } => match similar {
            Some(s) => format!("error: unknown {} `{name}`; did you mean `{s}`?", named(*what)),
            None => format!(
                "error: unknown {} `{name}`; {}: {}",
                named(*what),
                plural(*what),
                all.join(", ")
            ),
        },
        Fault::NoColumn {
            table,
            column,
            similar,
            columns,
        } => match similar {
            Some(x) => format!("error: `{table}` has no column `{column}`; did you mean `{table}.{x}`?"),
            None => format!(
                "error: `{table}` has no column `{column}`; its columns: {}",
                columns.join(", ")
            ),
        },
        Fault::RecordName => {
            "error: name a record as `table:key`, e.g. `hearings:H000123`".into()
        }
        Fault::ColumnName => {
            "error: name a column as `table.column`, e.g. `documents.e_sealed`".into()
        }
        Fault::NoIndicatorReads { column } => format!("error: no indicator reads `{column}`"),
        Fault::NothingToWalk => {
            "error: name an indicator (`HC9`) or a column (`--column documents.e_sealed`)".into()
        }
        Fault::NothingToExplain => "error: say what to explain: `table:key`, `--case ID`, or `--indicator ID [--department D] [--list BUCKET]`".into(),
        Fault::NoCaseTable => "error: the schema has no table that others refer to".into(),
        Fault::BadList { value } => format!(
            "error: `--list {value}`: use numerator, denominator, excluded, out_of_period or not_counted"
        ),
        Fault::NoRecord { what, near } => {
            if near.is_empty() {
                format!("error: no record `{what}` is read by any indicator")
            } else {
                let near: Vec<String> = near.iter().map(|k| format!("`{k}`")).collect();
                format!("error: no record `{what}`; did you mean {}?", near.join(" or "))
            }
        }
        Fault::UnknownDialect { name, dialects } => format!(
            "error: unknown dialect `{name}`\nhelp: use one of: {}",
            dialects.join(", ")
        ),
        Fault::NotADate { value } => format!("error: `{value}` is not a date (YYYY-MM-DD)"),
        Fault::AmendsTooEarly {
            document,
            effective,
        } => format!(
            "error: an amendment takes effect after the version it amends ({document}, effective {effective})"
        ),
        Fault::Exists { path } => format!("error: `{path}` exists; choose another `--output`"),
        Fault::NoReportFormat { path } => format!(
            "error: cannot tell the format of `{path}` from its extension\nhelp: name the file .html, .xlsx, .md or .json, or give `--format html|xlsx|markdown|json`"
        ),
        Fault::NoReportOutput => "error: give the file to write: `--output 周通报.html` (or .xlsx, .md, .json)\nhelp: or `--format html|xlsx|markdown|json` to write to standard output".into(),
        Fault::NoData { path } => {
            format!("error: data folder (or workbook) `{path}` does not exist")
        }
        Fault::TooNarrow { width, min } => format!(
            "error: a width of {width} columns is too narrow for the report; give `--width {min}` or more"
        ),
        Fault::NoPolicyFiles { path } => format!(
            "error: no policy files (`*.zb`) in `{path}`\nhelp: pass a policy file or a folder that holds one, e.g. `--policy policies`"
        ),
        Fault::Denied { count, notes } => format!(
            "error: {count} {} remain under `--deny {}`; fix them or acknowledge them in the policy (`acknowledge CODE DEPARTMENT`)",
            if *notes { "warning(s) or note(s)" } else { "warning(s)" },
            if *notes { "notes" } else { "warnings" }
        ),
        Fault::NoTrend => {
            "error: `--trend` counts the periods shown, the report's own included: 1 or more"
                .into()
        }
    }
}

pub(in crate::words) fn done(d: &Done) -> String {
    match d {
        Done::Wrote { path } => format!("wrote {path}"),
        Done::NotFormatted { path, line } => format!("{path}:{line}: not in the canonical layout"),
        Done::Unformatted { differ, files } => {
            format!("{differ} of {files} file(s) not formatted; `zhibiao fmt` rewrites them")
        }
        Done::AllFormatted { files } => format!("{files} file(s) formatted"),
        Done::Formatted { changed, files } => {
            format!("formatted {files} file(s): {changed} changed")
        }
        Done::Checked {
            files,
            errors,
            warnings,
        } => {
            format!("checked {files} file(s): {errors} error(s), {warnings} warning(s) or note(s)")
        }
        Done::Note { at, message } if at.is_empty() => format!("note: {message}"),
        Done::Note { at, message } => format!("note: {at}: {message}"),
    }
}
