//! The command line's `--help` in the user's language: a summary for every
//! command, a line for every argument and value, the headings around them.
//!
//! The English help is the command line's own doc comments (`src/cli/mod.rs`);
//! the Chinese is `zh/help.rs`. `cli::help` puts the chosen one on the
//! command before it parses, and a test walks every command and argument to
//! find none without both.

use super::{Lang, zh};

/// What a piece of help text is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpOf<'a> {
    /// A command's summary, by its name (`zhibiao` for the command itself).
    About { command: &'a str },
    /// An argument's line, by its command and its id (the field's name).
    Arg { command: &'a str, arg: &'a str },
    /// One of an argument's values, by the argument's id and the value.
    Value { arg: &'a str, value: &'a str },
}

/// The fixed words of a help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    /// Before the usage line.
    Usage,
    /// The subcommands' heading.
    Commands,
    /// The positional arguments' heading.
    Arguments,
    /// The options' heading.
    Options,
    /// Where the usage line takes a subcommand: `<COMMAND>`.
    CommandName,
    /// Where the usage line takes options: `[OPTIONS]`.
    OptionsTag,
    /// Before an argument's default value.
    Default,
    /// Before the values an argument takes.
    Values,
}

impl Heading {
    pub const ALL: [Heading; 8] = [
        Heading::Usage,
        Heading::Commands,
        Heading::Arguments,
        Heading::Options,
        Heading::CommandName,
        Heading::OptionsTag,
        Heading::Default,
        Heading::Values,
    ];
}

impl Lang {
    /// The help text of a command, an argument or a value in this language;
    /// `None` in English (the doc comments are the English text) and where
    /// the Chinese catalogue has none.
    pub fn help(self, of: HelpOf<'_>) -> Option<&'static str> {
        match self {
            Lang::Zh => zh::help::help(of),
            Lang::En => None,
        }
    }

    /// The name of an argument's value in the usage and options lines
    /// (`<统计期>` for `--period`); `None` in English (clap's `<PERIOD>` or
    /// the doc's own `<FILE>`).
    pub fn value_name(self, arg: &str) -> Option<&'static str> {
        match self {
            Lang::Zh => zh::help::value_name(arg),
            Lang::En => None,
        }
    }

    /// A heading of the help text.
    pub fn heading(self, h: Heading) -> &'static str {
        match (self, h) {
            (Lang::Zh, h) => zh::help::heading(h),
            (Lang::En, Heading::Usage) => "Usage",
            (Lang::En, Heading::Commands) => "Commands",
            (Lang::En, Heading::Arguments) => "Arguments",
            (Lang::En, Heading::Options) => "Options",
            (Lang::En, Heading::CommandName) => "COMMAND",
            (Lang::En, Heading::OptionsTag) => "[OPTIONS]",
            (Lang::En, Heading::Default) => "default",
            (Lang::En, Heading::Values) => "possible values",
        }
    }
}
