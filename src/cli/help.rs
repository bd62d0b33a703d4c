//! The command line in the user's language: its `--help` texts and headings
//! from the catalogue ([`crate::words::help`]), put on clap's `Command`
//! before it parses (so clap's help and usage lines speak that language too).

use std::ffi::OsString;
use std::marker::PhantomData;

use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::{Arg, CommandFactory, ValueEnum};

use crate::words::Lang;
use crate::words::help::{Heading, HelpOf};

/// The language asked for on the command line (`--lang zh`, `--lang=en`),
/// found before clap parses it so that clap's own texts can be in it too.
pub(crate) fn lang_in_args(args: &[OsString]) -> Option<Lang> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().and_then(|v| Lang::parse(&v.to_string_lossy()));
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::parse(v);
        }
    }
    None
}

/// The arguments without `--lang`, when they ask for the `help`
/// subcommand: clap's `help` takes only the names of subcommands, and the
/// language has been read already ([`lang_in_args`]). Any other command line
/// is given back as it is.
pub(crate) fn lang_out_of_help(args: Vec<OsString>) -> Vec<OsString> {
    let mut rest = args.iter().skip(1);
    let mut first = None;
    while let Some(a) = rest.next() {
        let a = a.to_string_lossy();
        if a == "--lang" {
            rest.next();
        } else if !a.starts_with("--lang=") {
            first = Some(a);
            break;
        }
    }
    if first.as_deref() != Some("help") {
        return args;
    }
    let mut out = Vec::with_capacity(args.len());
    let mut it = args.into_iter();
    out.extend(it.next());
    while let Some(a) = it.next() {
        let s = a.to_string_lossy();
        if s == "--" {
            out.push(a);
            out.extend(it);
            break;
        }
        if s == "--lang" {
            it.next();
        } else if !s.starts_with("--lang=") {
            out.push(a);
        }
    }
    out
}

/// The command line, its texts in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let mut cmd = super::Cli::command();
    if lang == Lang::En {
        return cmd;
    }
    // Built first, so that the `help` subcommand and every `-h`/`--help`,
    // `-V`/`--version` exist to be worded, and global arguments are copied.
    cmd.build();
    worded(cmd, lang)
}

/// One command and its subcommands in `lang`.
fn worded(mut cmd: clap::Command, lang: Lang) -> clap::Command {
    let name = cmd.get_name().to_string();
    if let Some(about) = lang.help(HelpOf::About { command: &name }) {
        cmd = cmd.about(about);
    }
    let layout = template(&cmd, lang);
    cmd = cmd
        .long_about(None)
        .help_template(layout)
        .subcommand_value_name(lang.heading(Heading::CommandName))
        .mut_args(|a| worded_arg(a, &name, lang));
    // The usage line as clap writes it, with its `[OPTIONS]` in `lang`.
    let line = cmd.render_usage().to_string();
    let line = line
        .split_once(": ")
        .map_or(line.as_str(), |(_, rest)| rest)
        .replace(
            Lang::En.heading(Heading::OptionsTag),
            lang.heading(Heading::OptionsTag),
        );
    cmd.override_usage(line.trim_end().to_string())
        .mut_subcommands(|c| worded(c, lang))
}

/// The layout of a command's help, each heading in `lang` (clap's own
/// headings are English).
fn template(cmd: &clap::Command, lang: Lang) -> String {
    let mut t = format!(
        "{{before-help}}{{about-with-newline}}\n{}：{{usage}}",
        lang.heading(Heading::Usage)
    );
    let mut section = |heading: Heading, tag: &str| {
        t.push_str(&format!("\n\n{}：\n{{{tag}}}", lang.heading(heading)));
    };
    if cmd.has_subcommands() {
        section(Heading::Commands, "subcommands");
    }
    if cmd.get_positionals().next().is_some() {
        section(Heading::Arguments, "positionals");
    }
    if cmd.get_arguments().any(|a| !a.is_positional()) {
        section(Heading::Options, "options");
    }
    t.push_str("{after-help}\n");
    t
}

fn worded_arg(mut a: Arg, command: &str, lang: Lang) -> Arg {
    let id = a.get_id().to_string();
    a = match id.as_str() {
        "deny" => a.value_parser(Worded::<super::Deny>::new(&id, lang)),
        "csv_encoding" => a.value_parser(Worded::<super::CsvEncoding>::new(&id, lang)),
        "lang" => a.value_parser(Worded::<super::LangArg>::new(&id, lang)),
        "engine" => a.value_parser(Worded::<super::Engine>::new(&id, lang)),
        _ => a,
    };
    // `<POLICY>`, `<PERIOD>` … in `lang`.
    if let Some(name) = lang.value_name(&id)
        && (a.get_action().takes_values() || a.is_positional())
    {
        let n = a.get_value_names().map_or(1, |v| v.len().max(1));
        a = a.value_names(vec![name; n]);
    }
    let Some(help) = lang.help(HelpOf::Arg { command, arg: &id }) else {
        return a;
    };
    let mut text = help.to_string();
    // The default and the values, which clap would add in English.
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if a.get_action().takes_values() && !defaults.is_empty() && !a.is_hide_default_value_set() {
        text.push_str(&format!(
            "\n[{}：{}]",
            lang.heading(Heading::Default),
            defaults.join(", ")
        ));
    }
    let values = a.get_possible_values();
    if !values.is_empty() && !a.is_hide_possible_values_set() {
        let lead = lang.heading(Heading::Values);
        if values.iter().any(|v| v.get_help().is_some()) {
            text.push_str(&format!("\n{lead}："));
            for v in &values {
                let help = v.get_help().map(ToString::to_string).unwrap_or_default();
                text.push_str(&format!("\n  - {}：{help}", v.get_name()));
            }
        } else {
            let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
            text.push_str(&format!("\n[{lead}：{}]", names.join("、")));
        }
    }
    a.help(text)
        .long_help(None)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The values of an enum argument, each with its help in a language; parses
/// as clap's own parser of the enum does.
#[derive(Clone)]
struct Worded<E> {
    values: Vec<PossibleValue>,
    of: PhantomData<E>,
}

impl<E: ValueEnum + Clone + Send + Sync + 'static> Worded<E> {
    fn new(arg: &str, lang: Lang) -> Self {
        let values = E::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|v| {
                match lang.help(HelpOf::Value {
                    arg,
                    value: v.get_name(),
                }) {
                    Some(h) => v.help(h),
                    None => v,
                }
            })
            .collect();
        Worded {
            values,
            of: PhantomData,
        }
    }
}

impl<E: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for Worded<E> {
    type Value = E;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<E, clap::Error> {
        EnumValueParser::<E>::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every command and argument of `cmd` (and its subcommands), as
    /// `command`, `command --arg` and `command --arg=value` with its text.
    fn texts(cmd: &clap::Command, out: &mut Vec<(String, Option<String>)>) {
        let name = cmd.get_name();
        out.push((name.into(), cmd.get_about().map(ToString::to_string)));
        for a in cmd.get_arguments() {
            let id = a.get_id();
            out.push((
                format!("{name} {id}"),
                a.get_help().map(ToString::to_string),
            ));
            for v in a.get_possible_values() {
                if let Some(h) = v.get_help() {
                    out.push((format!("{name} {id}={}", v.get_name()), Some(h.to_string())));
                }
            }
        }
        for s in cmd.get_subcommands() {
            texts(s, out);
        }
    }

    fn walk(lang: Lang) -> Vec<(String, Option<String>)> {
        let mut cmd = command(lang);
        cmd.build();
        let mut out = Vec::new();
        texts(&cmd, &mut out);
        out
    }

    #[test]
    fn every_command_and_argument_has_chinese_and_english_help() {
        let en = walk(Lang::En);
        let zh = walk(Lang::Zh);
        assert!(en.len() > 100, "the walk reaches every argument");
        let en_missing: Vec<&String> = en
            .iter()
            .filter(|(_, t)| t.as_deref().is_none_or(|t| t.trim().is_empty()))
            .map(|(w, _)| w)
            .collect();
        assert!(en_missing.is_empty(), "no English help: {en_missing:?}");
        let zh_missing: Vec<&String> = zh
            .iter()
            .filter(|(w, t)| {
                // A language's own name is the same in both.
                !w.ends_with("lang=en") && t.as_deref().is_none_or(|t| !has_han(t))
            })
            .map(|(w, _)| w)
            .collect();
        assert!(zh_missing.is_empty(), "no Chinese help: {zh_missing:?}");
        // The same commands and arguments in both.
        let names =
            |v: &[(String, Option<String>)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&en), names(&zh));
    }

    #[test]
    fn every_heading_has_both_texts() {
        for h in Heading::ALL {
            assert!(has_han(Lang::Zh.heading(h)), "{h:?}");
            assert!(!has_han(Lang::En.heading(h)), "{h:?}");
        }
    }

    #[test]
    fn the_language_is_read_from_the_arguments_before_they_are_parsed() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_in_args(&args(&["zhibiao", "eval", "--lang", "zh"])),
            Some(Lang::Zh)
        );
        assert_eq!(
            lang_in_args(&args(&["zhibiao", "--lang=en", "eval"])),
            Some(Lang::En)
        );
        assert_eq!(lang_in_args(&args(&["zhibiao", "eval"])), None);
        // After `--` it is a value, not the option.
        assert_eq!(
            lang_in_args(&args(&["zhibiao", "--", "--lang", "zh"])),
            None
        );
    }

    /// Every value a command takes is named in Chinese in `--help`.
    #[test]
    fn every_value_has_a_chinese_name() {
        fn names(cmd: &clap::Command, out: &mut Vec<(String, Vec<String>)>) {
            for a in cmd.get_arguments() {
                if a.get_action().takes_values() || a.is_positional() {
                    let v = a
                        .get_value_names()
                        .map(|v| v.iter().map(ToString::to_string).collect())
                        .unwrap_or_default();
                    out.push((format!("{} {}", cmd.get_name(), a.get_id()), v));
                }
            }
            for s in cmd.get_subcommands() {
                names(s, out);
            }
        }
        let mut cmd = command(Lang::Zh);
        cmd.build();
        let mut all = Vec::new();
        names(&cmd, &mut all);
        assert!(all.len() > 50, "the walk reaches every value: {all:?}");
        let unnamed: Vec<&(String, Vec<String>)> = all
            .iter()
            .filter(|(_, v)| v.is_empty() || !v.iter().all(|n| has_han(n)))
            .collect();
        assert!(unnamed.is_empty(), "no Chinese value name: {unnamed:?}");
        // English keeps clap's (`<POLICY>`) or the doc's own (`<FILE>`).
        let mut en = command(Lang::En);
        en.build();
        let mut all = Vec::new();
        names(&en, &mut all);
        assert!(all.iter().flat_map(|(_, v)| v).all(|n| !has_han(n)));
    }

    #[test]
    fn the_help_subcommand_takes_the_language_anywhere() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_out_of_help(args(&["zhibiao", "help", "eval", "--lang", "zh"])),
            args(&["zhibiao", "help", "eval"])
        );
        assert_eq!(
            lang_out_of_help(args(&["zhibiao", "--lang=zh", "help", "eval"])),
            args(&["zhibiao", "help", "eval"])
        );
        // Any other command keeps its `--lang` for clap.
        let eval = args(&["zhibiao", "--lang", "zh", "eval", "--period", "2022-06"]);
        assert_eq!(lang_out_of_help(eval.clone()), eval);
        // `help` as a value is not the subcommand.
        let value = args(&["zhibiao", "explain", "--case", "help", "--lang", "zh"]);
        assert_eq!(lang_out_of_help(value.clone()), value);
    }

    #[test]
    fn the_chinese_command_parses_as_the_english_one() {
        use clap::FromArgMatches;
        let argv = ["zhibiao", "check", "--deny", "notes", "--lang", "zh"];
        let m = command(Lang::Zh).try_get_matches_from(argv);
        let cli = m.and_then(|m| super::super::Cli::from_arg_matches(&m));
        assert!(cli.is_ok(), "{cli:?}");
    }
}
