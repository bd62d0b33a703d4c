//! What `check` says, in Chinese (terms: `docs/glossary.md`).

use crate::check::{Before, CheckError, Hint, Item, Kind, LineRef, Mismatch, Names, Shape};
use crate::check::{Bounds, Misfit};
use crate::check::{Suggestion, Texts};
use crate::funcs::Arg;
use crate::syntax::{Expect, Found, SyntaxError, SyntaxHint};
use crate::vocab::Unit;
use crate::words::quoted;

fn q(s: &str) -> String {
    format!("`{s}`")
}

fn texts(message: String, labels: Vec<String>, help: Option<String>) -> Texts {
    Texts {
        message,
        labels,
        help,
    }
}

fn one(message: String, label: impl Into<String>, help: impl Into<String>) -> Texts {
    texts(message, vec![label.into()], Some(help.into()))
}

/// A type by its schema name, in words.
fn ty(t: &str) -> String {
    let word = match t {
        "bool" => "是否值",
        "number" => "数值",
        "int" => "整数",
        "decimal" => "小数",
        "text" => "文本",
        "enum" => "枚举值",
        "date" => "日期",
        "datetime" => "日期时间",
        other => return q(other),
    };
    format!("{word}（`{t}`）")
}

fn names(n: Names) -> &'static str {
    match n {
        Names::Tables => "数据结构中的表",
        Names::DateColumns => "日期列",
        Names::Columns => "列",
        Names::Names => "该表的列、关系和定义",
        Names::Indicators => "指标",
        Names::DepartmentsAndGroups => "部门和部门组",
        Names::FunctionsInConditions => "条件中可用的函数",
        Names::AcknowledgeableCodes => "可确认的诊断代码",
    }
}

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::DiagnosticCode => "诊断代码",
        Kind::DepartmentOrGroup => "部门或部门组",
        Kind::Department => "部门",
        Kind::Group => "部门组",
        Kind::Indicator => "指标",
        Kind::Function => "函数",
        Kind::PeriodField => "统计期字段",
        Kind::Definition => "定义",
        Kind::Measure => "`let` 度量",
        Kind::Attribution => "部门归属",
    }
}

fn suggestion(s: &Suggestion) -> String {
    if !s.close.is_empty() {
        format!("是不是要写 {}？", quoted(&s.close, " 或 "))
    } else if !s.all.is_empty() {
        format!("{}有：{}", names(s.what), quoted(&s.all, "、"))
    } else {
        format!("请对照{}检查拼写", names(s.what))
    }
}

fn hint(h: &Hint, k: Option<Kind>) -> String {
    match h {
        Hint::Suggest(s) => suggestion(s),
        Hint::SuggestInAmendment(s) => {
            let what = match k {
                Some(Kind::Indicator) => "指标",
                _ => "部门",
            };
            format!("{}（修订只能修改所修订版本中已有的{what}）", suggestion(s))
        }
        Hint::PeriodFields => "统计期只有 `period.start` 和 `period.end`".into(),
        Hint::IsTable { name, from } => format!(
            "`{name}` 是一张表；要从 `{from}` 查看它的记录，请用 `any({name}, …)`、`every({name}, …)` 或 `count({name}, …)`"
        ),
        Hint::DefinedThrough { name, on, relation } => {
            format!("`{name}` 定义在 `{on}` 上；请经关系读取：`{relation}.{name}`")
        }
        Hint::DefinedElsewhere { name, on, table } => format!(
            "`{name}` 定义在 `{on}` 上，而 `{table}` 的记录不指向 `{on}`；请改为在 `{table}` 上定义"
        ),
    }
}

fn line(l: &LineRef) -> String {
    format!("`{}`（{}:{}）", l.text, l.file, l.line)
}

fn before(b: &Before) -> String {
    if b.excepted {
        format!("`{}` 的 {} 将其除外", b.document, line(&b.line))
    } else {
        format!("`{}` 的 {} 未给它设目标", b.document, line(&b.line))
    }
}

fn arg(a: Arg) -> &'static str {
    match a {
        Arg::Text => "文本",
        Arg::Num => "数值",
        Arg::Day => "日期或日期时间",
        Arg::DateTime => "日期时间",
    }
}

fn item(i: Item) -> &'static str {
    match i {
        Item::Per => "per",
        Item::Department => "department =",
    }
}

fn noun(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "百分比",
        Unit::Ratio => "比值",
        Unit::Days => "天数",
        Unit::Count => "数量",
        Unit::Amount => "金额",
        Unit::PerCapita => "人均数",
        Unit::Points => "百分点变化",
    }
}

/// The values a target may take: `0–100`, `0 及以上`.
fn range(b: &Bounds) -> String {
    match (b.min(), b.max) {
        (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
        (Some(lo), None) => format!("{lo} 及以上"),
        (None, Some(hi)) => format!("{hi} 及以下"),
        (None, None) => "任意数值".into(),
    }
}

fn misfit(b: &Bounds, m: Misfit) -> String {
    match m {
        Misfit::OutsidePercent => "超出 0–100".into(),
        Misfit::BelowZero => format!("低于 0：{}不会为负", noun(b.unit)),
        Misfit::AboveMax { max } => format!("高于 {max}，即指标值的上限"),
        Misfit::Outside => format!("超出 {}", range(b)),
    }
}

fn bounds_help(b: &Bounds) -> String {
    match b.unit {
        Unit::Percent if b.max == Some(100.0) => "目标是百分比：请写 0 到 100 之间的数（指标值可能超过 100 的，须注明，如 `unit percent max 200`）".into(),
        u => format!(
            "该指标的值为 {}（`{}`）：请在此范围内写目标",
            range(b),
            u.as_str()
        ),
    }
}

pub(crate) fn texts_of(e: &CheckError) -> Texts {
    use CheckError::*;
    match e {
        Syntax(s) => syntax(s),
        Schema { error, path, .. } => {
            let message = match error {
                crate::schema::SchemaError::Io { path, source } => {
                    let why = crate::words::Lang::Zh.io(&source.into());
                    format!("无法读取数据结构文件 `{path}`：{why}")
                }
                crate::schema::SchemaError::Invalid { path, message } => {
                    format!("数据结构文件 `{path}` 有误：`{}`", message.replace('`', "'"))
                }
            };
            one(
                format!("无法载入数据结构：{message}"),
                "此处指定的数据结构",
                format!("文件头的 `schema \"…\"` 相对于政策文件所在位置读取：`{path}`"),
            )
        }
        UnknownTable { name, help, .. } => one(
            format!("未知的表 `{name}`"),
            "数据结构中没有这张表",
            suggestion(help),
        ),
        UnknownName {
            name, table, help, ..
        } => one(
            format!("表 `{table}` 中没有名称 `{name}`"),
            format!("不是 `{table}` 的列、关系或定义"),
            hint(help, None),
        ),
        Unknown {
            kind: k,
            name,
            help,
            ..
        } => one(
            format!("未知的{} `{name}`", kind(*k)),
            format!("没有这个名称的{}", kind(*k)),
            hint(help, Some(*k)),
        ),
        Arity {
            name,
            expected,
            got,
            example,
            ..
        } => one(
            format!("`{name}` 需要 {expected} 个参数，这里有 {got} 个"),
            "在此调用",
            format!("请写作 `{example}`"),
        ),
        ArgType {
            name,
            position,
            expected,
            found,
            example,
            ..
        } => one(
            format!(
                "`{name}` 的第 {position} 个参数应为{}，这里是{}",
                arg(*expected),
                ty(found)
            ),
            ty(found),
            match (expected, *found) {
                (Arg::Text, "enum") => "取值列表中的值用 `=` 或 `in (…)` 匹配".into(),
                _ => format!("请写作 `{example}`"),
            },
        ),
        Duplicate { kind: k, name, .. } => texts(
            match k {
                Kind::Attribution => {
                    format!("表 `{name}` 的部门归属（`department of`）声明了两次")
                }
                _ => format!("{} `{name}` 声明了两次", kind(*k)),
            },
            vec!["此处再次声明".into(), "首次声明在此".into()],
            Some(
                match k {
                    Kind::Definition => "请将其中一个改名",
                    Kind::Department => "请删去第二次出现",
                    Kind::Group => "部门组须有自己的名称，与所有部门和部门组都不同",
                    Kind::Attribution => {
                        "一张表的记录只计入一个部门；请只保留一行 `department of`"
                    }
                    Kind::Indicator => "指标代码固定且唯一；请将其中一个改名",
                    _ => "请将其中一个改名",
                }
                .into(),
            ),
        ),
        Type { mismatch, .. } => {
            let (message, label, help) = self::mismatch(mismatch);
            one(format!("类型不符：{message}"), label, help)
        }
        EnumValue {
            value,
            column,
            values,
            close,
            ..
        } => one(
            format!("`{value}` 不是 `{column}` 的取值"),
            "不在该列的取值之中",
            match close {
                Some(c) => format!("是不是要写 `{c}`？取值有：{}", quoted(values, "、")),
                None => format!("取值有：{}", quoted(values, "、")),
            },
        ),
        TargetRange {
            value,
            bounds,
            misfit: m,
            ..
        } => one(
            format!(
                "目标 `{}` {}",
                crate::eval::fmt_target(*value),
                misfit(bounds, *m)
            ),
            format!("`{}` 指标的目标", bounds.unit.as_str()),
            bounds_help(bounds),
        ),
        Weights {
            indicator, total, ..
        } => one(
            format!("`{indicator}` 的权重合计为 {total}%，不是 100%"),
            format!("权重合计 {total}%"),
            format!("请调整权重，使其合计为 100%（现为 {total}%）"),
        ),
        Cycle { cycle, edges, .. } => texts(
            format!("指标循环依赖：{}", quoted(cycle, " → ")),
            edges
                .iter()
                .map(|e| format!("`{}` 使用 `{}`", e.from, e.to))
                .collect(),
            Some("指标不能由自身算出；请删去其中一处引用".into()),
        ),
        Structure { shape: s, .. } => {
            let (message, label, help) = shape(s);
            one(message, label, help)
        }
        UnitOfCount { unit, .. } => one(
            format!("计数类指标的值是百分比、比值或数量，不能是 `{unit}`"),
            "不适用于计数",
            "天数、金额或人均数请用 `let` 度量和 `value = …`（如 `let d = avg days(filed_at, closed_at) of cases by closed_at` 和 `value = d`）",
        ),
        EmptyInterval { low, high, .. } => one(
            format!("区间下限 {low} 高于上限 {high}"),
            "空区间",
            "请先写下限：`in 95..105`",
        ),
        ScheduleOrder { date, before, .. } => one(
            format!("分段目标的日期须逐个递增：{date} 在 {before} 之后"),
            "不晚于前一个日期",
            "按生效日期从早到晚列出每个值",
        ),
        OtherPeriodArgument { func, .. } => one(
            format!("`{func}` 只接受一个指标代码"),
            "此处",
            format!("请写作 `{func}(HC4)`：该指标在另一统计期的值"),
        ),
        BreakdownColumn {
            item: i,
            path,
            kind,
            table,
            fit,
            ..
        } => one(
            format!(
                "`{path}` 是{}；`{}` 需要{}列",
                ty(kind),
                item(*i),
                match i {
                    Item::Per => "文本、枚举或数值",
                    Item::Department => "文本",
                }
            ),
            ty(kind),
            match i {
                Item::Per => format!(
                    "请写 `{table}` 的一列，如 {}（也可经关系读取：`per judge.name`）",
                    quoted(fit, "、")
                ),
                Item::Department => "请写部门所在的文本列，可经关系读取：`department = origin.department`（衍生案件计入其原案件的部门）".into(),
            },
        ),
        PerDistinct { .. } => one(
            "`per` 不能细分去重计数的项目".into(),
            "用在 `count distinct …` 上",
            "请直接对记录计数（`count services by sent_at`），或去掉 `per`",
        ),
        NeedsCount { item: i, .. } => one(
            format!("`{}` 只能用于计数类指标", item(*i)),
            "用在计算类指标上",
            match i {
                Item::Per => "请把 `per` 放在对记录计数的指标上（`count cases by closed_at`），再由它按部门算人均数",
                Item::Department => "请放在对记录计数的指标上；`let` 度量按其记录自身的部门计入",
            },
        ),
        InvalidDate { text, .. } => one(
            format!("`{text}` 不是存在的日期"),
            "没有这一天",
            "请按 `YYYY-MM-DD` 写一个真实的日期",
        ),
        DuplicateTarget {
            indicator,
            department,
            ..
        } => texts(
            format!("`{indicator}` 的两条目标都设定了 `{department}`"),
            vec![format!("再次设定 `{department}`"), "首次设定在此".into()],
            Some(format!(
                "每个部门只保留一条目标，或在部门组那一行加上 `except {department}`"
            )),
        ),
        UnusedDefinition { name, .. } => one(
            format!("定义 `{name}` 从未使用"),
            "定义在此",
            "请在规则中使用它，或删去",
        ),
        NoTarget {
            indicator,
            department,
            in_block,
            ..
        } => one(
            format!("`{department}` 在 `{indicator}` 上没有目标，而其所在部门组有"),
            format!("`{department}` 在此被除外"),
            format!(
                "若文件确实免除了它，请在{}写 `acknowledge no_target {department}` 加以确认；否则请为它加一条目标",
                if *in_block { "此修订块中" } else { "该指标中" }
            ),
        ),
        NewTarget {
            indicator,
            department,
            before: b,
            group,
            keep,
            rest,
            ..
        } => one(
            format!(
                "修订给了 `{department}` 一个它原本没有的 `{indicator}` 目标：{}",
                before(b)
            ),
            format!("经 `{group}` 给了 `{department}` 目标"),
            format!(
                "若要保持它没有目标，请写 `target {keep} {rest}`；若文件确实给了它这个目标，请在此修订块中写 `acknowledge new_target {department}` 加以确认"
            ),
        ),
        CourtTargetUnchanged {
            indicator,
            court_line,
            suggestion,
            ..
        } => one(
            format!(
                "修订改了 `{indicator}` 的部门目标，却没有改全院目标 {}",
                line(court_line)
            ),
            "部门目标在此修改",
            format!(
                "若全院目标也随之调整，请在修订中加上 {}；否则请在此修订块中写 `acknowledge court_target_unchanged` 加以确认",
                match suggestion {
                    Some(s) => q(s),
                    None => "一行 `target court …`".into(),
                }
            ),
        ),
        UnusedAcknowledgment { text, .. } => one(
            format!("`{text}` 所确认的提示在此已不存在"),
            "没有可确认的内容",
            "请删去这一行：它所确认的提示或警告已不再成立",
        ),
    }
}

fn shape(s: &Shape) -> (String, String, String) {
    let t = |m: String, l: &str, h: &str| (m, l.to_string(), h.to_string());
    match s {
        Shape::DuplicateHeaderField => t(
            "文件头的同一字段写了两次".into(),
            "此处再次出现",
            "每个文件头字段只写一行",
        ),
        Shape::NoEffective { amendment } => t(
            if *amendment {
                "修订没有 `effective` 生效日期".into()
            } else {
                "政策文件头没有 `effective` 生效日期".into()
            },
            "在此文件头中",
            "请在文件头加上 `effective YYYY-MM-DD`",
        ),
        Shape::NoDocument { amendment } => (
            if *amendment {
                "修订没有 `document` 文号".into()
            } else {
                "政策文件头没有 `document` 文号".into()
            },
            "在此文件头中".into(),
            format!(
                "请在文件头加上 `document \"…〔{}〕…号\"`",
                if *amendment { 2023 } else { 2022 }
            ),
        ),
        Shape::AmendmentNotAfter {
            date,
            document,
            effective,
        } => t(
            format!("修订于 {date} 生效，不晚于所修订的版本（`{document}`，{effective} 起施行）"),
            "不晚于所修订的版本",
            "沿修订链，生效日期必须逐个推后",
        ),
        Shape::AmendmentChangesOnly => t(
            "修订只能修改目标、定义和指标".into(),
            "修订中不能有此项",
            "目标的修改写作 `in HC3 { target … }`，修改的定义或指标须整体重写（`define …`、`indicator …`）；部门、部门组、部门归属和统计范围规则属于新的基础政策",
        ),
        Shape::NoTargetToRemove { indicator, targets } => (
            format!("`{indicator}` 没有要删除的这条目标"),
            "此处没有目标".into(),
            format!(
                "它的目标有：{}",
                if targets.is_empty() {
                    "无".into()
                } else {
                    quoted(targets, "；")
                }
            ),
        ),
        Shape::TargetChangeInBase => t(
            "目标的修改（`in INDICATOR { … }`）应写在修订中".into(),
            "在基础政策中",
            "请把目标直接写进指标，或放进文件头写有 `amends \"base.zb\"` 的修订文件",
        ),
        Shape::OwnerIsGroup { owner } => t(
            format!("负责部门 `{owner}` 是部门组，不是部门"),
            "部门组",
            "全院目标由一个部门负责",
        ),
        Shape::NotMember { name, group } => (
            format!("`{name}` 不属于 `{group}`"),
            "不是成员".into(),
            format!("`except` 只能除去 `{group}` 的成员"),
        ),
        Shape::NoDepartment => t(
            "这条目标不适用于任何部门".into(),
            "所有成员都被除外",
            "请删去这条目标，或少除外一些部门",
        ),
        Shape::AggregateMisplaced { func } => t(
            format!("此处不能使用 `{func}(…)`"),
            "嵌套或位置不对",
            "对关联记录的汇总不能嵌套，也不能用在统计范围规则和部门归属中",
        ),
        Shape::AggregateTable { func } => (
            format!("`{func}` 的第一个参数必须是表"),
            "不是表名".into(),
            format!("请写作 `{func}(documents, …)`"),
        ),
        Shape::NotRelated {
            func,
            child,
            parent,
        } => (
            format!("`{child}` 的记录不是经一个关系指向 `{parent}` 的记录"),
            "没有关联".into(),
            format!("`{func}(…)` 查看的是其关系列指向 `{parent}` 的表的记录"),
        ),
        Shape::AggregateArguments { func } => (
            format!("`{func}` 需要一张表和一个条件"),
            "参数个数不对".into(),
            format!("请写作 `{func}(table, condition)`"),
        ),
        Shape::DefinitionHidesColumn { name, table } => t(
            format!("定义 `{name}` 与 `{table}` 的列或关系同名"),
            "与列同名",
            "请换一个名称",
        ),
        Shape::DefinitionCycle { members } => {
            let name = members.last().map_or("", String::as_str);
            let (message, label) = match members.len() {
                0..=2 => (
                    format!("定义 `{name}` 引用了自身"),
                    "在自身的定义中使用".to_string(),
                ),
                n => (
                    format!("定义相互引用：{}", quoted(members, " → ")),
                    format!("`{}` 在此使用 `{name}`", members[n - 2]),
                ),
            };
            (
                message,
                label,
                "定义不能直接或间接依赖自身；请把其中一个展开或拆分".into(),
            )
        }
        Shape::ColumnNoField {
            column,
            field,
            relation,
        } => (
            format!("列 `{column}` 没有字段 `{field}`"),
            "不是字段".into(),
            match relation {
                Some(r) => format!("要沿关系读取，请写 `{r}.{field}`"),
                None => format!("`{column}` 是列；只有关系才能用 `.` 继续读取"),
            },
        ),
        Shape::RelationNotValue { name } => (
            format!("`{name}` 是关系，不是值"),
            "关系".into(),
            format!("请写它的一个字段，如 `{name}.…`"),
        ),
        Shape::DefinitionNoField { name, field } => t(
            format!("定义 `{name}` 没有字段 `{field}`"),
            "不是字段",
            "定义是一个值，没有字段",
        ),
        Shape::GroupCycle { members } => {
            let name = members.last().map_or("", String::as_str);
            t(
                match members.len() {
                    0..=2 => format!("部门组 `{name}` 包含了自身"),
                    _ => format!("部门组相互包含：{}", quoted(members, " → ")),
                },
                "经此成员形成循环",
                "部门组可以包含其他部门组，但不能直接或间接包含自身",
            )
        }
        Shape::CopiesTwo { indicator } => t(
            format!("指标 `{indicator}` 复制了不止一个指标"),
            "第二个 `restrict`/`over`",
            "一个指标只能取另一个指标的一部分：只保留一行 `restrict` 或 `over`",
        ),
        Shape::ValueAndCount { indicator } => t(
            format!("指标 `{indicator}` 既有 `value =` 又有 `count`"),
            "删去此行或 `value` 行",
            "指标要么计数（`count …`），要么计算（`value = …`）",
        ),
        Shape::TwoValues { indicator } => t(
            format!("指标 `{indicator}` 有两行 `value`"),
            "第二行 `value`",
            "只保留一行 `value = …`",
        ),
        Shape::ComputedRules { indicator } => t(
            format!("计算类指标 `{indicator}` 没有可筛选的记录"),
            "不适用",
            "请把条件写进 `let … where …` 度量",
        ),
        Shape::MeasuresNoValue { indicator } => t(
            format!("指标 `{indicator}` 有度量却没有 `value = …`"),
            "未使用的度量",
            "请加一行 `value = …` 把度量组合起来",
        ),
        Shape::MixedCount { indicator } => t(
            format!(
                "指标 `{indicator}` 同时有顶层 `count` 和 `numerator {{…}}`/`denominator {{…}}` 块"
            ),
            "顶层 `count`",
            "请把此 `count` 移进块中，或把指标写成一个 `count` 加 `numerator require …`",
        ),
        Shape::RuleOutsideBlocks => t(
            "规则写在了 `numerator {…}`/`denominator {…}` 块之外".into(),
            "在块之外",
            "请移进它所属的块",
        ),
        Shape::BlockCountsNothing { side } => t(
            format!("此 `{side}` 块没有计数"),
            "没有 `count`",
            "请以 `count TABLE by DATE_COLUMN` 开始此块",
        ),
        Shape::SideInBlock { side } => t(
            format!("块内写了 `{side}`"),
            "多余的分子/分母标记",
            "块内的每条规则都适用于该块；请删去这个词",
        ),
        Shape::MissingBlock { indicator } => t(
            format!("指标 `{indicator}` 需要分子块和分母块"),
            "不完整",
            "请补上缺少的 `numerator { … }` 或 `denominator { … }` 块",
        ),
        Shape::CountsNothing { indicator } => t(
            format!("指标 `{indicator}` 没有计数"),
            "没有 `count`、`value`、`restrict` 或 `over`",
            "请加上 `count TABLE by DATE_COLUMN` 及其规则，或 `value = …`",
        ),
        Shape::TwoCounts { indicator } => t(
            format!("指标 `{indicator}` 有两行 `count`"),
            "第二行 `count`",
            "分子、分母要数不同的记录，请用 `numerator { count … }` 和 `denominator { count … }`",
        ),
        Shape::DenominatorRule => t(
            "单一计数的指标中写了 `denominator` 规则".into(),
            "分子是分母的一部分",
            "请去掉分子/分母标记（写 `exclude …`）：规则即作用于分母，也就作用于分子",
        ),
        Shape::NoNumeratorRule { indicator } => t(
            format!("指标 `{indicator}` 没有分子规则"),
            "分子 = 分母",
            "请加上 `numerator require …`，说明哪些记录计入分子；若要计记录的数量，请写 `unit count`",
        ),
        Shape::CopiesComputed { indicator } => t(
            format!("指标 `{indicator}` 复制了一个计算类指标"),
            "复制了 `value = …` 指标",
            "`restrict` 和 `over` 只能复制计数类指标",
        ),
        Shape::CopyCount => t(
            "复制其他指标的指标已经有计数".into(),
            "多余的 `count`",
            "请删去这个 `count`",
        ),
        Shape::CopyAdds => t(
            "复制其他指标的指标不能再加块或值".into(),
            "此处不允许",
            "请另写一个指标",
        ),
        Shape::NotFormula => t(
            "不是指标值公式".into(),
            "此处",
            "`value` 用 + - * /、`min`/`max`、`sum_defined(…)`、`previous(ID)`/`last_year(ID)` 和表示缺省的 `A or 0`，组合数值、百分比、`let` 度量和指标代码",
        ),
        Shape::AmendedMissing { name, path } => (
            format!("所修订的政策文件 `{name}` 不存在"),
            "所修订的版本".into(),
            format!("`amends` 相对于本文件所在位置读取：`{path}`"),
        ),
        Shape::AmendmentCycle => t(
            "修订形成了循环".into(),
            "所修订的版本",
            "修订只能修订更早的版本，不能修订自身或更晚的版本",
        ),
        Shape::AmendedFails { name } => t(
            format!("所修订的政策文件 `{name}` 未通过 `zhibiao check`"),
            "所修订的版本",
            "请先改正它的错误",
        ),
    }
}

fn mismatch(m: &Mismatch) -> (String, String, String) {
    match m {
        Mismatch::NotCondition { ty: t } => (
            format!("条件必须为真或假，这里是{}", ty(t)),
            ty(t),
            "请与某个值比较，如 `… = \"值\"` 或 `… is empty`".into(),
        ),
        Mismatch::Default { of, got } => (
            format!("{}的缺省值必须是{}，这里是{}", ty(of), ty(of), ty(got)),
            ty(got),
            match *of {
                "date" | "datetime" => "请写一个日期作缺省值：`closed_on or period.end`".into(),
                "text" | "enum" => "请写一个文本作缺省值：`result or \"未录入\"`".into(),
                _ => "请写一个数作缺省值：`extended_days or 0`".into(),
            },
        ),
        Mismatch::CompareOp { ty: t, op } => (
            format!("{}不能用 `{op}` 比较", ty(t)),
            format!("{} {op} {}", ty(t), ty(t)),
            "文本、枚举值和是否值只能用 `=` 或 `!=` 比较".into(),
        ),
        Mismatch::Compare { left, right, op } => (
            format!("{}不能与{}比较", ty(left), ty(right)),
            format!("{} {op} {}", ty(left), ty(right)),
            "请比较同类的值：日期与日期（`2022-06-01`、`period.end`），数与数，文本与 \"文本\"".into(),
        ),
        Mismatch::ListLiteral { ty: t } => (
            format!("此列表与{}比较", ty(t)),
            "类型不匹配的字面值".into(),
            "列表中的值须与左边的值同类".into(),
        ),
        Mismatch::DurationOn { ty: t } => (
            format!("时长只能加在日期上，这里是{}", ty(t)),
            ty(t),
            "请写作 `period.end - 12 months` 或 `filed_at + 90 days`".into(),
        ),
        Mismatch::DurationAlone => (
            "时长只能写在日期和 `+` 或 `-` 之后".into(),
            "时长".into(),
            "请写作 `period.end - 12 months`；两个日期之间的天数用 `days(from, to)`".into(),
        ),
        Mismatch::Arithmetic { op, ty: t } => (
            format!("对{}做 `{op}` 运算", ty(t)),
            ty(t),
            "运算需要数值；两个日期之间的天数用 `days(from, to)`，小时数用 `hours(from, to)`，移动日期用 `filed_at + 90 days`".into(),
        ),
        Mismatch::EnumComputed => (
            "枚举列与计算得出的文本比较".into(),
            "请与字面值比较".into(),
            "请把值写在引号中，如 `status = \"取消\"`".into(),
        ),
        Mismatch::DepartmentNotText { ty: t } => (
            "部门必须是文本列".into(),
            ty(t),
            "请写存放部门的列，如 `case.department`".into(),
        ),
        Mismatch::ByNotDate {
            column,
            ty: t,
            table,
        } => (
            format!("`{column}` 是{}列，不是日期", ty(t)),
            "`by` 需要日期或日期时间列".into(),
            format!("请写把 `{table}` 记录归入统计期的日期列"),
        ),
        Mismatch::FoldNeedsNumbers { func, ty: t } => (
            format!("`{func}` 需要数值，这里是{}", ty(t)),
            ty(t),
            "请汇总数值列、`days(from, to)` 或 `hours(from, to)`".into(),
        ),
        Mismatch::LookupNumber { ty: t } => (
            "`lookup` 读取的是数值列".into(),
            format!("{}列", ty(t)),
            "请写一个整数（`int`）或小数（`decimal`）列".into(),
        ),
    }
}

fn expect(e: &Expect) -> String {
    match e {
        Expect::Keyword(k) => q(k),
        Expect::Form(f) => q(f),
        Expect::Name => "名称".into(),
        Expect::Str => "双引号中的字符串".into(),
        Expect::Date => "日期（如 2022-06-01）".into(),
        Expect::Number => "数".into(),
        Expect::Duration => "时长（如 `12 months`）".into(),
        Expect::Interval => "区间 `LOW..HIGH`".into(),
        Expect::Rank => "`rank` 或 `rank ascending`".into(),
        Expect::Condition => "条件".into(),
        Expect::Value => "值".into(),
        Expect::Comparison => "比较符（`>=`、`<=`、`=` 等）".into(),
        Expect::ComparisonTail => "比较、`is empty` 或 `in (…)`".into(),
        Expect::Operator => "运算符".into(),
        Expect::Header => "政策文件头 `policy \"标题\" { … }`".into(),
        Expect::HeaderField => {
            "文件头字段（`document`、`version`、`effective`、`schema`、`amends`、`report`）".into()
        }
        Expect::Declaration => {
            "声明（`departments`、`group`、`department of`、`scope`、`define`、`indicator`）".into()
        }
        Expect::BecauseReason => "`because \"理由\"`".into(),
        Expect::Side => "`numerator` 或 `denominator`".into(),
        Expect::RuleLine => "`require` 或 `exclude`".into(),
        Expect::Who => "部门、部门组或 `court`".into(),
        Expect::Bool => "`是`、`否`、`true` 或 `false`".into(),
        Expect::End => "文件结尾".into(),
    }
}

pub(crate) fn syntax(e: &SyntaxError) -> Texts {
    let mut words: Vec<String> = Vec::new();
    for w in e.expected.iter().map(expect) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    let expected = match words.as_slice() {
        [] => "别的内容".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} 或 {last}", rest.join("、")),
    };
    let found = match &e.found {
        Found::Invisible(c) => format!("此处是不可见字符 U+{c:04X}"),
        Found::FileEnds => "文件在此结束".into(),
        Found::Unexpected => "此处不应有内容".into(),
        Found::Token(t) => format!("此处是 `{t}`"),
    };
    texts(
        format!("语法错误：此处应为{expected}"),
        vec![found],
        e.hint.map(|h| syntax_hint(h).to_string()),
    )
}

fn syntax_hint(h: SyntaxHint) -> &'static str {
    match h {
        SyntaxHint::InvisibleSpace => "请换成普通空格（它常来自从文字处理软件粘贴的文本）",
        SyntaxHint::TypographicQuotes => "字符串用英文双引号 `\"…\"`，不用中文引号",
        SyntaxHint::WideComparison => "比较符请用半角字符：`>=`、`<=`",
        SyntaxHint::WideComma => "名称之间请用半角逗号 `,` 分隔",
        SyntaxHint::WideParentheses => "括号请用半角字符 `(` 和 `)`，不用全角 `（` `）`",
        SyntaxHint::WideEquals => "比较符请用半角字符：`=`、`!=`、`<`、`<=`",
        SyntaxHint::PercentInTarget => "目标按指标的单位书写，不带 `%`：`target 立案庭 >= 70`",
        SyntaxHint::Hyphen => "名称中不能有 `-`；请写 `_`（`HC4_talk` 显示为 `HC4-talk`）",
        SyntaxHint::UnclosedString => "字符串须在同一行用 `\"` 结束",
        SyntaxHint::Negative => "目标和数不能为负；目标是 0 到 100 的百分数",
        SyntaxHint::IndicatorBody => {
            "指标中可写 `cite`、`count`、规则（`require`/`exclude`）、`value`、`target`、`related` 或 `report`；以 `}` 结束"
        }
        SyntaxHint::Because => "每条剔除都须写明理由：`exclude … because \"理由\"`",
    }
}
