//! 命令无法使用所给内容时的中文说法（文件无法写入、政策中没有的名称……）。

use crate::words::Lang;
use crate::words::fault::{Done, Fault, Io, Named};

fn named(n: Named) -> &'static str {
    match n {
        Named::Table => "表",
        Named::Indicator => "指标",
        Named::Department => "部门",
    }
}

fn io(e: &Io) -> String {
    Lang::Zh.io(e)
}

/// 消息，以及（如有）改正的办法。
pub(in crate::words) fn fault(f: &Fault) -> (String, Option<String>) {
    match f {
        Fault::CannotRead { path, io: e } => (
            format!("无法读取 `{path}`：{}", io(e)),
            Lang::Zh.io_help(e).map(String::from),
        ),
        Fault::CannotWrite { path, io: e } => (format!("无法写入 `{path}`：{}", io(e)), None),
        Fault::NoPeriod => ("请给出统计期：`--period 2022-06`（或 2022-Q2、2022-W23、2022-H1、2022、2022-06-YTD），或 `--from 日期 --to 日期`".into(), None),
        Fault::UnknownEncoding { name } => (
            format!("不能识别的编码 `{name}`"),
            Some("可用 auto、utf-8、gbk（GB18030）或 utf-16".into()),
        ),
        Fault::PolicyFails { name } => (format!("`{name}` 未通过 `zhibiao check`"), None),
        Fault::NotAPolicyFile { path } => (format!("`{path}` 不是政策文件"), None),
        Fault::Unknown {
            what,
            name,
            similar,
            all,
        } => (
            format!("没有{} `{name}`", named(*what)),
            Some(match similar {
                Some(s) => format!("是否要用 `{s}`？"),
                None => format!("现有的{}：{}", named(*what), all.join("、")),
            }),
        ),
        Fault::NoColumn {
            table,
            column,
            similar,
            columns,
        } => (
            format!("表 `{table}` 没有列 `{column}`"),
            Some(match similar {
                Some(x) => format!("是否要用 `{table}.{x}`？"),
                None => format!("该表的列：{}", columns.join("、")),
            }),
        ),
        Fault::RecordName => ("记录应写作 `表:主键`，如 `hearings:H000123`".into(), None),
        Fault::ColumnName => ("数据列应写作 `表.列`，如 `documents.e_sealed`".into(), None),
        Fault::NoIndicatorReads { column } => (format!("没有指标读取 `{column}`"), None),
        Fault::NothingToWalk => (
            "请给出一项指标（如 `HC9`）或一个数据列（如 `--column documents.e_sealed`）".into(),
            None,
        ),
        Fault::NothingToExplain => ("请给出要说明的内容：`表:主键`、`--case 案号`，或 `--indicator 指标 [--department 部门] [--list 类别]`".into(), None),
        Fault::NoCaseTable => ("schema 中没有被其他表引用的表（无从确定案件表）".into(), None),
        Fault::BadList { flag, value } => (
            format!("`--{flag} {value}` 无效"),
            Some("可用 numerator（分子）、denominator（分母）、excluded（剔除）、out_of_period（统计期外）或 not_counted（不计入）".into()),
        ),
        Fault::NoRecordsOfItsOwn { indicator, reads } => (
            format!("{indicator} 本身不统计记录：它由 {} 计算得出", reads.join("、")),
            Some(format!("请列出 {} 的记录", reads.join(" 或 "))),
        ),
        Fault::NoRecord { what, near } => {
            if near.is_empty() {
                (format!("没有任何指标读取记录 `{what}`"), None)
            } else {
                let near: Vec<String> = near.iter().map(|k| format!("`{k}`")).collect();
                (
                    format!("没有记录 `{what}`"),
                    Some(format!("是否要用 {}？", near.join(" 或 "))),
                )
            }
        }
        Fault::UnknownDialect { name, dialects } => (
            format!("不能识别的 SQL 方言 `{name}`"),
            Some(format!("可用 {}", dialects.join("、"))),
        ),
        Fault::NotADate { value } => (format!("`{value}` 不是日期（YYYY-MM-DD）"), None),
        Fault::AmendsTooEarly {
            document,
            effective,
        } => (
            format!("修订的施行日期应晚于被修订的版本（{document}，{effective} 起施行）"),
            None,
        ),
        Fault::Exists { path } => (
            format!("`{path}` 已存在"),
            Some("请用 `--output` 另选文件".into()),
        ),
        Fault::NoReportFormat { path } => (
            format!("无法从扩展名判断 `{path}` 的格式"),
            Some("文件名请用 .html、.xlsx、.md 或 .json，或给出 `--format html|xlsx|markdown|json`".into()),
        ),
        Fault::NoReportOutput => (
            "请给出要写入的文件：`--output 周通报.html`（或 .xlsx、.md、.json）".into(),
            Some("或用 `--format html|xlsx|markdown|json` 输出到标准输出".into()),
        ),
        Fault::NoData { path } => (format!("数据文件夹（或工作簿）`{path}` 不存在"), None),
        Fault::TooNarrow { width, min } => (
            format!("{width} 列的宽度放不下报表"),
            Some(format!("请给出 `--width {min}` 或更宽")),
        ),
        Fault::NoPolicyFiles { path } => (
            format!("`{path}` 中没有政策文件（`*.zb`）"),
            Some("请给出政策文件或存放它的文件夹，如 `--policy policies`".into()),
        ),
        Fault::Denied { count, notes } => (
            format!(
                "在 `--deny {}` 下仍有 {count} 条{}",
                if *notes { "notes" } else { "warnings" },
                if *notes { "警告或说明" } else { "警告" }
            ),
            Some("请改正，或在政策中确认（`acknowledge CODE DEPARTMENT`）".into()),
        ),
        Fault::NoTrend => ("`--trend` 是趋势中的统计期个数（含本期），至少为 1".into(), None),
    }
}

pub(in crate::words) fn done(d: &Done) -> String {
    match d {
        Done::Wrote { path } => format!("已写入 {path}"),
        Done::NotFormatted { path, line } => format!("{path}:{line}：不符合规范格式"),
        Done::Unformatted { differ, files } => {
            format!("{files} 个文件中有 {differ} 个不符合规范格式；`zhibiao fmt` 可重写")
        }
        Done::AllFormatted { files } => format!("{files} 个文件均符合规范格式"),
        Done::Formatted {
            changed,
            files,
            failed,
        } => {
            let mut s = format!("已整理 {files} 个文件，其中 {changed} 个有改动");
            if *failed > 0 {
                s.push_str(&format!("；{failed} 个无法整理（见上）"));
            }
            s
        }
        Done::Checked {
            files,
            errors,
            warnings,
        } => format!("已检查 {files} 个文件：{errors} 个错误，{warnings} 条警告或说明"),
        Done::Note { at, message } if at.is_empty() => format!("说明：{message}"),
        Done::Note { at, message } => format!("说明：{at}：{message}"),
    }
}
