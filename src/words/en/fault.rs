//! What the command cannot use, in English.

use crate::words::Lang;
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

fn io(e: &Io) -> String {
    Lang::En.io(e)
}

/// The message and, where there is one, the fix.
pub(in crate::words) fn fault(f: &Fault) -> (String, Option<String>) {
    match f {
        Fault::CannotRead { path, io: e } => (
            format!("cannot read `{path}`: {}", io(e)),
            Lang::En.io_help(e).map(String::from),
        ),
        Fault::CannotWrite { path, io: e } => (format!("cannot write `{path}`: {}", io(e)), None),
        Fault::NoPeriod => ("give a period: `--period 2022-06` (or 2022-Q2, 2022-W23, 2022-H1, 2022, 2022-06-YTD), or `--from DATE --to DATE`".into(), None),
        Fault::UnknownEncoding { name } => (
            format!("unknown encoding `{name}`"),
            Some("use auto, utf-8, gbk (GB18030) or utf-16".into()),
        ),
        Fault::PolicyFails { name } => (format!("`{name}` does not pass `zhibiao check`"), None),
        Fault::NotAPolicyFile { path } => (format!("`{path}` is not a policy file"), None),
        Fault::Unknown {
            what,
            name,
            similar,
            all,
        } => (
            format!("unknown {} `{name}`", named(*what)),
            Some(match similar {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the {}: {}", plural(*what), all.join(", ")),
            }),
        ),
        Fault::NoColumn {
            table,
            column,
            similar,
            columns,
        } => (
            format!("`{table}` has no column `{column}`"),
            Some(match similar {
                Some(x) => format!("did you mean `{table}.{x}`?"),
                None => format!("its columns: {}", columns.join(", ")),
            }),
        ),
        Fault::RecordName => ("name a record as `table:key`, e.g. `hearings:H000123`".into(), None),
        Fault::ColumnName => ("name a column as `table.column`, e.g. `documents.e_sealed`".into(), None),
        Fault::NoIndicatorReads { column } => (format!("no indicator reads `{column}`"), None),
        Fault::NothingToWalk => (
            "name an indicator (`HC9`) or a column (`--column documents.e_sealed`)".into(),
            None,
        ),
        Fault::NothingToExplain => ("say what to explain: `table:key`, `--case ID`, or `--indicator ID [--department D] [--list BUCKET]`".into(), None),
        Fault::NoCaseTable => ("the schema has no table that others refer to".into(), None),
        Fault::BadList { flag, value } => (
            format!("`--{flag} {value}` names no list of records"),
            Some("use numerator, denominator, excluded, out_of_period or not_counted".into()),
        ),
        Fault::NoRecordsOfItsOwn { indicator, reads } => (
            format!("{indicator} counts no records of its own: it is computed from {}", reads.join(", ")),
            Some(format!("list the records of {}", reads.join(" or "))),
        ),
        Fault::NoRecord { what, near } => {
            if near.is_empty() {
                (format!("no record `{what}` is read by any indicator"), None)
            } else {
                let near: Vec<String> = near.iter().map(|k| format!("`{k}`")).collect();
                (
                    format!("no record `{what}`"),
                    Some(format!("did you mean {}?", near.join(" or "))),
                )
            }
        }
        Fault::UnknownDialect { name, dialects } => (
            format!("unknown dialect `{name}`"),
            Some(format!("use one of: {}", dialects.join(", "))),
        ),
        Fault::NotADate { value } => (format!("`{value}` is not a date (YYYY-MM-DD)"), None),
        Fault::AmendsTooEarly {
            document,
            effective,
        } => (
            format!(
                "an amendment takes effect after the version it amends ({document}, effective {effective})"
            ),
            None,
        ),
        Fault::Exists { path } => (
            format!("`{path}` exists"),
            Some("choose another `--output`".into()),
        ),
        Fault::NoReportFormat { path } => (
            format!("cannot tell the format of `{path}` from its extension"),
            Some("name the file .html, .xlsx, .md or .json, or give `--format html|xlsx|markdown|json`".into()),
        ),
        Fault::NoReportOutput => (
            "give the file to write: `--output 周通报.html` (or .xlsx, .md, .json)".into(),
            Some("or `--format html|xlsx|markdown|json` to write to standard output".into()),
        ),
        Fault::NoData { path } => (
            format!("data folder (or workbook) `{path}` does not exist"),
            None,
        ),
        Fault::TooNarrow { width, min } => (
            format!("a width of {width} columns is too narrow for the report"),
            Some(format!("give `--width {min}` or more")),
        ),
        Fault::NoPolicyFiles { path } => (
            format!("no policy files (`*.zb`) in `{path}`"),
            Some("pass a policy file or a folder that holds one, e.g. `--policy policies`".into()),
        ),
        Fault::Denied { count, notes } => (
            format!(
                "{count} {} remain under `--deny {}`",
                if *notes { "warning(s) or note(s)" } else { "warning(s)" },
                if *notes { "notes" } else { "warnings" }
            ),
            Some("fix them or acknowledge them in the policy (`acknowledge CODE DEPARTMENT`)".into()),
        ),
        Fault::NoTrend => (
            "`--trend` counts the periods shown, the report's own included: 1 or more".into(),
            None,
        ),
    }
}

pub(in crate::words) fn done(d: &Done) -> String {
    match d {
        Done::Wrote { path } => format!("wrote {path}"),
        Done::NotFormatted { path, line } => format!("{path}:{line}: not in the canonical layout"),
        Done::Unformatted { differ, files } => {
            format!("{differ} of {files} file(s) not formatted; `zhibiao fmt` rewrites them")
        }
        Done::AllFormatted { files } => format!("{files} file(s) in the canonical layout"),
        Done::Formatted {
            changed,
            files,
            failed,
        } => {
            let mut s = format!("formatted {files} file(s): {changed} changed");
            if *failed > 0 {
                s.push_str(&format!("; {failed} could not be formatted (see above)"));
            }
            s
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
