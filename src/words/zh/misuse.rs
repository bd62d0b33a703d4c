//! 命令行用法错误（未知选项、缺少的值……）的中文说法。

use crate::words::misuse::{Misuse, Unreadable, Wrong};

fn quoted(xs: &[String]) -> String {
    xs.iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join("、")
}

/// Alternatives: `a` or `b`.
fn either(xs: &[String]) -> String {
    xs.iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(" 或 ")
}

fn values(xs: &[String]) -> String {
    format!("提示：可选值：{}", xs.join("、"))
}

fn mean(x: &str) -> String {
    format!("提示：是否要用 `{x}`？")
}

fn wrong(w: &Wrong) -> Vec<String> {
    match w {
        Wrong::UnknownArgument {
            arg,
            similar,
            as_value,
        } => {
            let what = if arg.starts_with('-') {
                "选项"
            } else {
                "参数"
            };
            let mut out = vec![format!("错误：不能识别的{what} `{arg}`")];
            out.extend(similar.as_deref().map(mean));
            if *as_value {
                out.push(format!(
                    "提示：如要把 `{arg}` 作为值传入，请写作 `-- {arg}`"
                ));
            }
            out
        }
        Wrong::UnknownSubcommand { name, similar } => {
            let mut out = vec![format!("错误：没有子命令 `{name}`")];
            if !similar.is_empty() {
                out.push(format!("提示：是否要用 {}？", either(similar)));
            }
            out
        }
        Wrong::MissingValue { arg, values: v } => {
            let mut out = vec![format!("错误：`{arg}` 缺少值")];
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
            let mut out = vec![format!("错误：`{arg}` 不能取值 `{value}`")];
            out.extend(similar.as_deref().map(mean));
            if !v.is_empty() {
                out.push(values(v));
            }
            out
        }
        Wrong::BadValue { arg, value, why } => {
            let why = match why {
                Unreadable::NotWholeNumber => "不是整数".to_string(),
                Unreadable::NotNumber => "不是数字".to_string(),
                Unreadable::Other(e) => format!("无法读取（{e}）"),
            };
            vec![format!("错误：`{arg}` 的值 `{value}` {why}")]
        }
        Wrong::MissingRequired { args } => {
            vec![format!("错误：缺少必需的参数 {}", quoted(args))]
        }
        Wrong::Conflict { arg, with } => {
            vec![format!("错误：`{arg}` 不能与 {} 同时使用", quoted(with))]
        }
        Wrong::Repeated { arg } => vec![format!("错误：`{arg}` 只能给一次")],
        Wrong::MissingSubcommand { command, commands } => vec![
            format!("错误：`{command}` 需要一个子命令"),
            format!("提示：子命令：{}", commands.join("、")),
        ],
        Wrong::ExtraValue { arg, value } => {
            vec![format!("错误：`{arg}` 多给了一个值 `{value}`")]
        }
        Wrong::Other { text } => vec![format!("错误：命令行有误（{text}）")],
    }
}

pub(in crate::words) fn misuse(m: &Misuse) -> String {
    let mut out = wrong(&m.wrong);
    if let Some(u) = &m.usage {
        out.push(String::new());
        out.push(format!("用法：{u}"));
    }
    out.push(String::new());
    out.push(format!("详见 `{} --help`。", m.command));
    out.join("\n") + "\n"
}
