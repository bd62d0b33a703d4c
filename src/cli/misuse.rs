//! clap's errors as typed values ([`crate::words::misuse::Misuse`]), read
//! from the error's kind and context, for the catalogues to say.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::words::misuse::{Misuse, Unreadable, Wrong};

fn text(e: &clap::Error, k: ContextKind) -> Option<String> {
    match e.get(k)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    }
}

fn texts(e: &clap::Error, k: ContextKind) -> Vec<String> {
    match e.get(k) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

/// The command line clap could not take; `None` when the error is the help
/// or the version asked for (clap prints those as they are). `command` is
/// the command given (`zhibiao eval`), for the errors whose context names
/// no usage line.
pub(crate) fn misuse(e: &clap::Error, command: &str) -> Option<Misuse> {
    let arg = || text(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = || text(e, ContextKind::InvalidValue).unwrap_or_default();
    let wrong = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => Wrong::UnknownArgument {
            arg: arg(),
            similar: text(e, ContextKind::SuggestedArg),
            // clap's tip to pass it after `--`.
            as_value: texts(e, ContextKind::Suggested)
                .iter()
                .any(|t| t.contains("as a value")),
        },
        ErrorKind::InvalidSubcommand => Wrong::UnknownSubcommand {
            name: text(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
            similar: texts(e, ContextKind::SuggestedSubcommand),
        },
        ErrorKind::InvalidValue if value().is_empty() => Wrong::MissingValue {
            arg: arg(),
            values: texts(e, ContextKind::ValidValue),
        },
        ErrorKind::InvalidValue => Wrong::NotAValue {
            arg: arg(),
            value: value(),
            values: texts(e, ContextKind::ValidValue),
            similar: text(e, ContextKind::SuggestedValue),
        },
        ErrorKind::ValueValidation => Wrong::BadValue {
            arg: arg(),
            value: value(),
            why: unreadable(e),
        },
        ErrorKind::MissingRequiredArgument => Wrong::MissingRequired {
            args: texts(e, ContextKind::InvalidArg),
        },
        ErrorKind::ArgumentConflict => {
            let with = texts(e, ContextKind::PriorArg);
            if with == [arg()] {
                Wrong::Repeated { arg: arg() }
            } else {
                Wrong::Conflict { arg: arg(), with }
            }
        }
        ErrorKind::MissingSubcommand => Wrong::MissingSubcommand {
            command: text(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
            commands: texts(e, ContextKind::ValidSubcommand),
        },
        ErrorKind::TooManyValues => Wrong::ExtraValue {
            arg: arg(),
            value: value(),
        },
        _ => Wrong::Other {
            text: e
                .kind()
                .as_str()
                .map_or_else(|| e.to_string(), ToString::to_string),
        },
    };
    let usage = text(e, ContextKind::Usage).map(|u| {
        u.split_once(':')
            .map_or(u.as_str(), |(_, rest)| rest)
            .trim()
            .to_string()
    });
    // The command's words at the start of its usage line: `zhibiao eval`.
    let command = usage
        .as_deref()
        .map(|u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| command.to_string());
    Some(Misuse {
        wrong,
        usage,
        command,
    })
}

/// Why clap's parser of a value could not read it.
fn unreadable(e: &clap::Error) -> Unreadable {
    let source = std::error::Error::source(e);
    match source {
        Some(s) if s.downcast_ref::<std::num::ParseIntError>().is_some() => {
            Unreadable::NotWholeNumber
        }
        Some(s) if s.downcast_ref::<std::num::ParseFloatError>().is_some() => Unreadable::NotNumber,
        Some(s) => Unreadable::Other(s.to_string()),
        None => Unreadable::Other(String::new()),
    }
}

/// The command the arguments name: `zhibiao`, then the first argument that
/// is one of its subcommands.
pub(crate) fn command_in_args(cmd: &clap::Command, args: &[std::ffi::OsString]) -> String {
    let name = cmd.get_name();
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .find_map(|a| {
            let a = a.to_str()?;
            cmd.find_subcommand(a)
                .map(|s| format!("{name} {}", s.get_name()))
        })
        .unwrap_or_else(|| name.to_string())
}
