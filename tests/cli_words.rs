//! The command line's own words in both languages: `--help`, clap's errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use common::{stderr, stdout, zhibiao_env};

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn help_in_chinese_and_english() {
    let zh = zhibiao_env(&["--help", "--lang", "zh"], &[]);
    assert_eq!(zh.status.code(), Some(0), "{}", stderr(&zh));
    insta::assert_snapshot!("help_zh", stdout(&zh));
    let en = zhibiao_env(&["--help"], &[]);
    assert_eq!(en.status.code(), Some(0));
    insta::assert_snapshot!("help_en", stdout(&en));
}

#[test]
fn eval_help_in_chinese_and_english() {
    let zh = zhibiao_env(&["eval", "--help", "--lang", "zh"], &[]);
    assert_eq!(zh.status.code(), Some(0), "{}", stderr(&zh));
    let text = stdout(&zh);
    for word in [
        "Usage",
        "Options",
        "Possible values",
        "[default",
        "Print help",
    ] {
        assert!(!text.contains(word), "{word} in:\n{text}");
    }
    insta::assert_snapshot!("eval_help_zh", text);
    let en = zhibiao_env(&["eval", "--help"], &[]);
    assert_eq!(en.status.code(), Some(0));
    insta::assert_snapshot!("eval_help_en", stdout(&en));
}

#[test]
fn the_locale_chooses_the_help_language() {
    let by_locale = zhibiao_env(&["check", "-h"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(stdout(&by_locale).starts_with("解析并检查政策文件"));
    // `--lang` before the locale, wherever it stands.
    let by_flag = zhibiao_env(&["--lang", "en", "check", "-h"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(stdout(&by_flag).starts_with("Parse and check policy files"));
    let own = zhibiao_env(
        &["check", "-h"],
        &[("LANG", "zh_CN.UTF-8"), ("ZHIBIAO_LANG", "en")],
    );
    assert!(
        !has_han(&stdout(&own).replace("(指标)", "")),
        "{}",
        stdout(&own)
    );
}

#[test]
fn every_subcommand_has_chinese_help() {
    let root = zhibiao_env(&["--help"], &[]);
    let names: Vec<String> = stdout(&root)
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(names.len() > 10, "{names:?}");
    for name in names.iter().filter(|n| *n != "help") {
        let o = zhibiao_env(&[name, "--help"], &[("ZHIBIAO_LANG", "zh")]);
        assert_eq!(o.status.code(), Some(0), "{name}");
        let text = stdout(&o);
        assert!(text.contains("用法："), "{name}: {text}");
        // Every line that describes something says it in Chinese.
        for line in text.lines().filter(|l| l.starts_with("  ")) {
            let words: Vec<&str> = line.split("  ").filter(|p| !p.trim().is_empty()).collect();
            if words.len() > 1 {
                assert!(has_han(line), "{name}: {line}");
            }
        }
    }
}

#[test]
fn clap_errors_in_chinese_and_english() {
    let args = ["eval", "--fromat", "json"];
    let zh = zhibiao_env(&[&args[..], &["--lang", "zh"]].concat(), &[]);
    let en = zhibiao_env(&args, &[]);
    // clap's exit code for a command line it cannot take.
    assert_eq!(zh.status.code(), Some(2));
    assert_eq!(en.status.code(), Some(2));
    assert!(stdout(&zh).is_empty());
    insta::assert_snapshot!("unknown_option_zh", stderr(&zh));
    insta::assert_snapshot!("unknown_option_en", stderr(&en));
    let bad = ["eval", "--format", "xml", "--lang", "zh"];
    let o = zhibiao_env(&bad, &[]);
    assert_eq!(o.status.code(), Some(2));
    insta::assert_snapshot!("invalid_value_zh", stderr(&o));
    let missing = zhibiao_env(&["history"], &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(missing.status.code(), Some(2));
    insta::assert_snapshot!("missing_argument_zh", stderr(&missing));
    let sub = zhibiao_env(&["evl", "--lang", "zh"], &[]);
    assert_eq!(sub.status.code(), Some(2));
    assert!(stderr(&sub).contains("提示：是否要用"), "{}", stderr(&sub));
}

#[test]
fn the_commands_own_errors_in_chinese() {
    let o = zhibiao_env(
        &[
            "explain",
            "--indicator",
            "HC44",
            "--period",
            "2022-06",
            "--lang",
            "zh",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("错误：没有指标 `HC44`\n提示：是否要用 `HC4`？"),
        "{}",
        stderr(&o)
    );
    let o = zhibiao_env(&["eval", "--lang", "zh"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("错误：请给出统计期"),
        "{}",
        stderr(&o)
    );
    let o = zhibiao_env(&["history", "HC4", "--department", "民事"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: unknown department `民事`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn chinese_help_names_the_values_in_chinese() {
    let zh = zhibiao_env(&["eval", "--help", "--lang", "zh"], &[]);
    let text = stdout(&zh);
    for name in [
        "--policy <政策文件>",
        "--data <数据>",
        "--period <统计期>",
        "--output <文件>",
    ] {
        assert!(text.contains(name), "{name} in:\n{text}");
    }
    for name in ["<POLICY>", "<DATA>", "<PERIOD>", "<FILE>"] {
        assert!(!text.contains(name), "{name} in:\n{text}");
    }
    let en = stdout(&zhibiao_env(&["eval", "--help"], &[]));
    assert!(en.contains("--period <PERIOD>"), "{en}");
}

/// `help eval` prints the help of `eval` in the language asked: by `--lang`
/// after it or before it, or by the environment.
#[test]
fn the_help_subcommand_speaks_the_language_asked() {
    let by_flag = zhibiao_env(&["eval", "--help", "--lang", "zh"], &[]);
    let want = stdout(&by_flag);
    assert!(want.starts_with("计算各部门及全院的每项指标"), "{want}");
    for args in [
        &["help", "eval", "--lang", "zh"][..],
        &["--lang", "zh", "help", "eval"],
        &["help", "--lang=zh", "eval"],
    ] {
        let o = zhibiao_env(args, &[]);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), want, "{args:?}");
    }
    let by_env = zhibiao_env(&["help", "eval"], &[("ZHIBIAO_LANG", "zh")]);
    assert_eq!(by_env.status.code(), Some(0), "{}", stderr(&by_env));
    assert_eq!(stdout(&by_env), want);
    // And in English, the same way.
    let en = zhibiao_env(
        &["help", "eval", "--lang", "en"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert_eq!(en.status.code(), Some(0), "{}", stderr(&en));
    assert_eq!(stdout(&en), stdout(&zhibiao_env(&["eval", "--help"], &[])));
}
