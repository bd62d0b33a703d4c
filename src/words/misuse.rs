//! A command line that cannot be taken (an unknown option, a missing value
//! …): the facts of what is wrong, as clap's error kind and context tell
//! them (`cli::misuse` reads them), said by the catalogues.

use super::{Lang, en, zh};

/// A command line clap could not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misuse {
    pub wrong: Wrong,
    /// The command's usage line: `zhibiao eval [OPTIONS]`.
    pub usage: Option<String>,
    /// The command whose `--help` tells more: `zhibiao eval`.
    pub command: String,
}

/// What is wrong with the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wrong {
    /// An option (`--fromat`) or a value (`extra`) no command takes here.
    UnknownArgument {
        arg: String,
        /// The option meant, if one is close.
        similar: Option<String>,
        /// It looks like an option but may be a value: `-- ARG` passes it.
        as_value: bool,
    },
    UnknownSubcommand {
        name: String,
        similar: Vec<String>,
    },
    /// An option given without its value.
    MissingValue {
        arg: String,
        values: Vec<String>,
    },
    /// A value not among those the option takes.
    NotAValue {
        arg: String,
        value: String,
        values: Vec<String>,
        similar: Option<String>,
    },
    /// A value the option cannot read.
    BadValue {
        arg: String,
        value: String,
        why: Unreadable,
    },
    MissingRequired {
        args: Vec<String>,
    },
    Conflict {
        arg: String,
        with: Vec<String>,
    },
    Repeated {
        arg: String,
    },
    MissingSubcommand {
        command: String,
        commands: Vec<String>,
    },
    /// One value more than the option takes.
    ExtraValue {
        arg: String,
        value: String,
    },
    /// Any other: clap's own (English) words.
    Other {
        text: String,
    },
}

/// Why a value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    NotWholeNumber,
    NotNumber,
    /// The parser's own (English) words.
    Other(String),
}

impl Lang {
    /// A command line that cannot be taken, with its usage and where to
    /// read more: the lines printed to standard error.
    pub fn misuse(self, m: &Misuse) -> String {
        match self {
            Lang::Zh => zh::misuse::misuse(m),
            Lang::En => en::misuse::misuse(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;

    #[test]
    fn every_misuse_has_chinese_and_english_text() {
        let s = |x: &str| x.to_string();
        let all = vec![
            Wrong::UnknownArgument {
                arg: s("--fromat"),
                similar: Some(s("--format")),
                as_value: true,
            },
            Wrong::UnknownSubcommand {
                name: s("evl"),
                similar: vec![s("eval")],
            },
            Wrong::MissingValue {
                arg: s("--format <FORMAT>"),
                values: vec![s("human"), s("json")],
            },
            Wrong::NotAValue {
                arg: s("--format <FORMAT>"),
                value: s("xml"),
                values: vec![s("human"), s("json")],
                similar: None,
            },
            Wrong::BadValue {
                arg: s("--width <N>"),
                value: s("x"),
                why: Unreadable::NotWholeNumber,
            },
            Wrong::BadValue {
                arg: s("--max-dropped <MAX_DROPPED>"),
                value: s("x"),
                why: Unreadable::NotNumber,
            },
            Wrong::BadValue {
                arg: s("--x <X>"),
                value: s("x"),
                why: Unreadable::Other(s("too long")),
            },
            Wrong::MissingRequired {
                args: vec![s("<INDICATOR>")],
            },
            Wrong::Conflict {
                arg: s("--case <CASE>"),
                with: vec![s("--indicator <INDICATOR>")],
            },
            Wrong::Repeated { arg: s("--rank") },
            Wrong::MissingSubcommand {
                command: s("zhibiao"),
                commands: vec![s("eval")],
            },
            Wrong::ExtraValue {
                arg: s("--period <PERIOD>"),
                value: s("2022"),
            },
            Wrong::Other { text: s("…") },
        ];
        for wrong in all {
            // The match makes a new kind fail to compile until it has a sample.
            match &wrong {
                Wrong::UnknownArgument { .. }
                | Wrong::UnknownSubcommand { .. }
                | Wrong::MissingValue { .. }
                | Wrong::NotAValue { .. }
                | Wrong::BadValue { .. }
                | Wrong::MissingRequired { .. }
                | Wrong::Conflict { .. }
                | Wrong::Repeated { .. }
                | Wrong::MissingSubcommand { .. }
                | Wrong::ExtraValue { .. }
                | Wrong::Other { .. } => {}
            }
            let m = Misuse {
                wrong,
                usage: Some(s("zhibiao eval [OPTIONS]")),
                command: s("zhibiao eval"),
            };
            let (zh, en) = (Lang::Zh.misuse(&m), Lang::En.misuse(&m));
            assert!(
                zh.starts_with("错误：") && zh.contains("`zhibiao eval --help`"),
                "{zh}"
            );
            assert!(en.starts_with("error: ") && !han(&en), "{en}");
        }
    }
}
