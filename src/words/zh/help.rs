//! 命令行帮助（`--help`）的中文文本：每个命令的简介、每个参数和取值的说明。

use crate::words::help::{Heading, HelpOf};

pub(in crate::words) fn heading(h: Heading) -> &'static str {
    match h {
        Heading::Usage => "用法",
        Heading::Commands => "命令",
        Heading::Arguments => "参数",
        Heading::Options => "选项",
        Heading::CommandName => "命令",
        Heading::OptionsTag => "[选项]",
        Heading::Default => "默认",
        Heading::Values => "可选值",
    }
}

pub(in crate::words) fn help(of: HelpOf<'_>) -> Option<&'static str> {
    match of {
        HelpOf::About { command } => about(command),
        HelpOf::Arg { command, arg: a } => arg(command, a),
        HelpOf::Value { arg, value: v } => value(arg, v),
    }
}

fn about(command: &str) -> Option<&'static str> {
    Some(match command {
        "zhibiao" => "法院审判质效指标：以经过检查、标注版本的政策文件定义并计算",
        "check" => "解析并检查政策文件：无错误时退出码为 0，有错误为 1，用法错误为 2",
        "fmt" => {
            "按规范格式重写政策文件（保留注释）；加 `--check` 时不作修改，列出格式不符的文件并以退出码 1 结束"
        }
        "eval" => "计算各部门及全院的每项指标",
        "report" => {
            "周通报：总览、各指标及其环比和同比、趋势、未达标的部门和待整改的记录，输出为 HTML、XLSX 或 Markdown（格式取自 `--output` 的扩展名或 `--format`）"
        }
        "explain" => "说明一条记录（或一个案件的全部记录）为何计入、被剔除或未计入",
        "graph" => "指标关系图（派生自、相关两类关系；加 `--data-lineage` 时含读取的数据列）",
        "impact" => "哪些指标（直接或间接）依赖某项指标，或哪些指标读取某个数据列",
        "targets" => "某日施行的全部目标（指标 × 部门）及设定目标的文件",
        "history" => "某项指标的目标逐个版本的变化",
        "diff" => "比较两个政策版本的语义差异；给出 `--data` 和统计期时，列出有变化的数值和记录",
        "test" => {
            "运行政策测试（政策文件旁的 YAML 文件）：有测试失败或覆盖率低于 `--min-coverage` 时退出码为 1"
        }
        "coverage" => "真实数据上的规则覆盖率：从未生效的条件和剔除规则",
        "sql" => {
            "将施行中的政策写成一条 SQL 查询，按部门和全院返回每项指标各部分的计数（`--ddl`：schema 各表的建表语句）"
        }
        "amend" => "生成一份能通过 `check` 的政策修订稿框架",
        "deps" => "某项指标依赖什么：（直接或间接）依赖的指标及其读取的数据列",
        "help" => "显示本帮助，或所给子命令的帮助",
        _ => return None,
    })
}

fn arg(command: &str, arg: &str) -> Option<&'static str> {
    // What one command says differently comes first, then what all say alike.
    let own = match (command, arg) {
        ("check", "policy") => Some("政策文件或文件夹（与其他命令的写法相同）"),
        ("check" | "fmt", "paths") => Some("政策文件或文件夹（默认 `policies`）"),
        ("check", "format") => Some("输出格式：human（终端阅读）或 json"),
        ("fmt", "check") => Some("不作修改：列出格式不符的文件，有则退出码为 1"),
        ("eval", "format") => Some("报表格式（默认按 `--output` 的扩展名，否则为 human）"),
        ("eval", "engine") => Some(
            "在哪里计数：native（由 zhibiao 读取数据）或 postgres（生成的 SQL 在 `--data postgres://…` 所指的服务器上运行）",
        ),
        ("eval", "counts") => Some(
            "由其他引擎对 `zhibiao sql` 所生成查询返回的计数行（带表头的 CSV、JSON 数组或每行一个 JSON 对象）得出数值，而不读取数据",
        ),
        ("eval", "rank") => Some(
            "在每项指标上为各部门排名（并列者名次相同）。默认不排名：最高人民法院要求其审判质量数据不以排名形式公布",
        ),
        ("report", "output") => {
            Some("将通报写入所给文件：`周通报.html`、`.xlsx`、`.md` 或 `.json`")
        }
        ("report", "format") => Some("通报格式（默认按 `--output` 的扩展名）"),
        ("report", "rank") => {
            Some("为各部门排名（默认从不排名：最高人民法院要求其审判质量数据不以排名形式公布）")
        }
        ("report", "show_personal") => Some("在清单中显示未经遮蔽的个人信息（身份证号、手机号）"),
        ("explain", "indicator") => Some("列出某项指标的记录（配合 `--department`、`--list`）"),
        ("explain", "department") => Some("只列出该部门的记录（与 `--indicator` 同用）"),
        ("explain", "show_personal") => Some("显示未经遮蔽的个人信息（身份证号、手机号）"),
        ("explain" | "graph", "format") => {
            Some("输出格式（默认按 `--output` 的扩展名，否则为 human）")
        }
        ("history", "department") => Some("只看该部门的目标"),
        ("diff", "data") => Some("用于比较数值和记录的 CSV 数据文件夹"),
        ("test", "paths") => Some("测试文件或文件夹（默认 `policies/tests`）"),
        ("sql", "list_of") => Some(
            "改为列出一项指标的记录的查询，每条记录带其结果、原因和条款（即 `explain --indicator … --list …` 的清单；需给出统计期）",
        ),
        ("sql", "department") => Some("与 `--list` 同用：只列出该部门的记录"),
        ("sql", "outcome") => Some(
            "与 `--list` 同用：只列出这类记录：numerator（分子）、denominator（分母）、excluded（剔除）、out_of_period（统计期外）、not_counted（不计入）",
        ),
        ("sql", "show_personal") => {
            Some("与 `--list` 同用：显示未经遮蔽的个人信息（身份证号、手机号）")
        }
        ("sql", "output") => Some("将 SQL 写入所给文件（原子写入），而不是标准输出"),
        ("sql", "load") => Some(
            "与 `--ddl` 同用：加上载入 CSV 文件夹的语句（每表一个文件，表头为 schema 的列名，日期为 ISO 格式，布尔为 true/false，空字段为 NULL）",
        ),
        ("amend", "output") => {
            Some("写入的文件（默认为政策文件旁的 `名称-amend-施行日期.zb`；已有的文件不会被覆盖）")
        }
        (_, "format") => Some("human 或 json（默认按 `--output` 的扩展名，否则为 human）"),
        _ => None,
    };
    own.or_else(|| shared(arg))
}

/// The arguments every command that takes them says alike.
fn shared(arg: &str) -> Option<&'static str> {
    Some(match arg {
        "help" => "显示帮助",
        "version" => "显示版本",
        "lang" => {
            "提示信息、原因和说明所用的语言（默认依次取 `ZHIBIAO_LANG` 和区域设置 `LC_ALL`、`LC_MESSAGES`、`LANG`；`zh…` 为中文）"
        }
        "subcommand" => "要查看帮助的子命令",
        "policy" => "政策文件或文件夹",
        "data" => {
            "数据：CSV 文件所在的文件夹（schema 中每张表一个文件，或同名工作簿）、每张表一个工作表的工作簿，或数据库（`postgres://用户@主机:端口/数据库`）"
        }
        "period" => {
            "统计期：`2022-06`（月）、`2022-Q2`（季度）、`2022-W23`（ISO 周）、`2022-H1`（半年）、`2022`（年）、`2022-06-YTD`（年初至该月）、`2022-06-01..2022-06-15`（日期区间）"
        }
        "from" => "统计期首日，与 `--to` 同用（YYYY-MM-DD）",
        "to" => "统计期末日（含当日）",
        "lenient" => "剔除有数据错误的行（并逐一列出），而不是以退出码 3 失败",
        "max_dropped" => {
            "与 `--lenient` 同用：每张表最多可剔除的行数占该表行数的百分比；超过时仍以退出码 3 失败"
        }
        "threads" => "工作线程数（默认为本机的核数）",
        "encoding" => {
            "按此编码读取所有表：auto（先看 BOM，再试 UTF-8，否则为 GBK）、utf-8、gbk 或 utf-16（默认取 schema 中各表的 `encoding`，未写时为 auto）"
        }
        "output" => {
            "写入所给文件（原子写入），而不是标准输出。未给 `--format` 时按扩展名定格式：.txt（human）、.md（markdown）、.json、.csv、.dot/.gv、.mmd（mermaid），以该命令能写的为限"
        }
        "csv_encoding" => {
            "`--format csv` 的编码：utf-8-bom（默认，Excel 可直接打开）、utf-8（无 BOM）或 gbk"
        }
        "width" => "终端报表的宽度（列数；默认取 `COLUMNS`，输出到终端时取终端宽度，否则为 80）",
        "fail_below_target" => "有任何目标未达标时退出码为 4",
        "trend" => "趋势中的统计期个数，含本期（周报按周，月报按月）",
        "max_records" => "每项未达标的目标最多列出的记录数",
        "deny" => "仍有警告（`warnings`）或警告、提醒（`notes`）时退出码为 1（用于 CI）",
        "record" => "一条记录，写作 `表:主键`，如 `hearings:H000123`",
        "case" => "一个案件的全部记录：`--case \"(2022)沪0114民初1234号\"`",
        "list" => {
            "列出哪类记录：numerator（分子）、denominator（分母）、excluded（剔除）、out_of_period（统计期外）、not_counted（不计入）"
        }
        "data_lineage" => "加入各指标读取的数据列",
        "indicator" => "指标代码，如 `HC4`",
        "column" => "数据列，写作 `表.列`，如 `documents.e_sealed`",
        "at" => "日期（YYYY-MM-DD；默认为最新版本的目标）",
        "old" => "旧版政策文件",
        "new" => "新版政策文件",
        "coverage" => "打印规则覆盖率表",
        "min_coverage" => "规则覆盖率低于所给百分比时失败",
        "write_data" => {
            "不运行测试，而将每个用例的数据（CSV 文件和 `case.json`）写到所给文件夹下，以便在其他引擎上运行相同的用例"
        }
        "dialect" => "SQL 方言：duckdb、postgres 或 spark",
        "ddl" => "改为打印 schema 各表的 `CREATE TABLE` 语句",
        "tables" => "按数据库中的名称读取某张表：`--table cases=ods.t_case`（可重复）",
        "columns" => "按数据库中的名称读取某一列：`--column cases.case_id=ajbh`（可重复）",
        "base" => "被修订的政策文件",
        "effective" => "修订的施行日期（YYYY-MM-DD）",
        "document" => "作出修订的文件文号，如 `嘉法发〔2023〕3号`",
        _ => return None,
    })
}

fn value(arg: &str, value: &str) -> Option<&'static str> {
    Some(match (arg, value) {
        ("engine", "native") => "由 zhibiao 读取数据",
        ("engine", "postgres") => "生成的 SQL 在 PostgreSQL 系服务器上运行",
        ("lang", "zh") => "中文",
        ("lang", "en") => "English",
        ("deny", "warnings") => "任何警告",
        ("deny", "notes") => "任何警告或提醒",
        ("csv_encoding", "utf-8-bom") => {
            "带字节顺序标记（BOM）的 UTF-8（默认）：Excel 按 UTF-8 打开"
        }
        ("csv_encoding", "utf-8") => "不带 BOM 的 UTF-8，供程序读取",
        ("csv_encoding", "gbk") => "GBK（代码页 936），供较旧的电子表格软件使用",
        _ => return None,
    })
}

/// The name of an argument's value: `--period <统计期>`.
pub(in crate::words) fn value_name(arg: &str) -> Option<&'static str> {
    Some(match arg {
        "policy" | "base" | "old" | "new" => "政策文件",
        "paths" => "路径",
        "data" => "数据",
        "period" => "统计期",
        "from" | "to" | "at" | "effective" => "日期",
        "format" => "格式",
        "output" => "文件",
        "write_data" => "文件夹",
        "lang" => "语言",
        "encoding" | "csv_encoding" => "编码",
        "max_dropped" | "min_coverage" => "百分比",
        "threads" => "线程数",
        "width" => "宽度",
        "trend" => "期数",
        "max_records" => "条数",
        "deny" => "级别",
        "record" => "表:主键",
        "case" => "案号",
        "list" | "outcome" => "类别",
        "list_of" => "指标",
        "indicator" => "指标",
        "department" => "部门",
        "column" => "表.列",
        "dialect" => "方言",
        "tables" => "表=名称",
        "columns" => "表.列=名称",
        "engine" => "引擎",
        "counts" => "文件",
        "load" => "文件夹",
        "document" => "文号",
        "subcommand" => "子命令",
        _ => return None,
    })
}
