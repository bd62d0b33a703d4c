//! A command line that cannot be taken, in English.

use crate::words::misuse::{Misuse, Unreadable, Wrong};

fn quoted(xs: &[String]) -> String {
    xs.iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Alternatives: `a` or `b`.
fn either(xs: &[String]) -> String {
    xs.iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn values(xs: &[String]) -> String {
    format!("help: possible values: {}", xs.join(", "))
}

fn mean(x: &str) -> String {
    format!("help: did you mean `{x}`?")
}

fn wrong(w: &Wrong) -> Vec<String> {
    match w {
        Wrong::UnknownArgument {
            arg,
            similar,
            as_value,
        } => {
            let what = if arg.starts_with('-') {
                "option"
            } else {
                "argument"
            };
            let mut out = vec![format!("error: unexpected {what} `{arg}`")];
            out.extend(similar.as_deref().map(mean));
            if *as_value {
                out.push(format!(
                    "help: to pass `{arg}` as a value, write `-- {arg}`"
                ));
            }
            out
        }
        Wrong::UnknownSubcommand { name, similar } => {
            let mut out = vec![format!("error: no subcommand `{name}`")];
            if !similar.is_empty() {
                out.push(format!("help: did you mean {}?", either(similar)));
            }
            out
        }
        Wrong::MissingValue { arg, values: v } => {
            let mut out = vec![format!("error: `{arg}` needs a value")];
            if !v.is_empty() {
                out.push(values(v));
            }
            out
        }
        Wrong::NotAValue {
            arg,
            value,
            values: v,
            similar,
        } => {
            let mut out = vec![format!("error: `{arg}` does not take `{value}`")];
            out.extend(similar.as_deref().map(mean));
            if !v.is_empty() {
                out.push(values(v));
            }
            out
        }
        Wrong::BadValue { arg, value, why } => {
            let why = match why {
                Unreadable::NotWholeNumber => "is not a whole number".to_string(),
                Unreadable::NotNumber => "is not a number".to_string(),
                Unreadable::Other(e) => format!("cannot be read ({e})"),
            };
            vec![format!("error: the value `{value}` of `{arg}` {why}")]
        }
        Wrong::MissingRequired { args } => {
            vec![format!("error: required but not given: {}", quoted(args))]
        }
        Wrong::Conflict { arg, with } => {
            vec![format!(
                "error: `{arg}` cannot be used with {}",
                quoted(with)
            )]
        }
        Wrong::Repeated { arg } => vec![format!("error: `{arg}` is given more than once")],
        Wrong::MissingSubcommand { command, commands } => vec![
            format!("error: `{command}` needs a subcommand"),
            format!("help: subcommands: {}", commands.join(", ")),
        ],
        Wrong::ExtraValue { arg, value } => {
            vec![format!("error: `{arg}` takes no more values: `{value}`")]
        }
        Wrong::Other { text } => vec![format!("error: {text}")],
    }
}

pub(in crate::words) fn misuse(m: &Misuse) -> String {
    let mut out = wrong(&m.wrong);
    if let Some(u) = &m.usage {
        out.push(String::new());
        out.push(format!("Usage: {u}"));
    }
    out.push(String::new());
    out.push(format!("For more information, try `{} --help`.", m.command));
    out.join("\n") + "\n"
}
