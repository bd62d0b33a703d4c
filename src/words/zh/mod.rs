//! 中文词表（术语见 docs/glossary.md）。

pub(super) mod check;
pub(super) mod fault;
pub(super) mod help;
pub(super) mod misuse;
pub(super) mod testing;

use crate::eval::why::{Back, Note, Operand, Reason, Undefined, Unless, WhyNot};
use crate::ir::Prior;
use crate::vocab::AggFn;
use crate::words::Lang;

fn prior(p: Prior) -> &'static str {
    match p {
        Prior::Previous => "上期",
        Prior::LastYear => "去年同期",
    }
}

fn when(w: &Option<Back>) -> String {
    w.as_ref()
        .map(|b| format!("（{} {}）", prior(b.prior), b.period))
        .unwrap_or_default()
}

fn func(f: AggFn) -> &'static str {
    match f {
        AggFn::Sum => "合计",
        AggFn::Avg => "平均值",
        AggFn::Median => "中位数",
        AggFn::Min => "最小值",
        AggFn::Max => "最大值",
    }
}

pub(super) fn undefined(u: &Undefined) -> String {
    match u {
        Undefined::NoRecords => "分母为 0（无记录）".into(),
        Undefined::LookupEmpty { table, name } => {
            format!("匹配的 `{table}` 记录中 `{name}` 为空")
        }
        Undefined::LookupNone {
            table,
            filter,
            start,
            end,
        } => format!("统计期 {start} 至 {end} 内没有符合 `{filter}` 的 `{table}` 记录"),
        Undefined::LookupMany {
            table,
            filter,
            rows,
        } => format!("有 {rows} 条 `{table}` 记录符合 `{filter}`，应只有 1 条"),
        Undefined::NoValues { name, func: f } => {
            format!("没有记录有 `{name}` 的值（无从计算{}）", func(*f))
        }
        Undefined::NotFinite => "公式结果不是有限数值".into(),
        Undefined::NoFormulaRecords { department } => {
            format!("{department}没有公式所需的记录")
        }
        Undefined::Indicator {
            code,
            when: w,
            reason,
        } => format!("`{code}`{}无法计算：{}", when(w), undefined(reason)),
        Undefined::NoFigure {
            code,
            when: w,
            department,
        } => format!("`{code}`{}在{department}没有记录", when(w)),
        Undefined::PriorNotEvaluated { code, prior: p } => format!(
            "此处未计算 `{code}` 的{}数值（其他统计期的公式不再向前追溯）",
            prior(*p)
        ),
        Undefined::ZeroDivisor { divisor } => match divisor {
            Operand::Measure(n) | Operand::Indicator(n) => format!("`{n}` 为 0"),
            Operand::Expression => "除数为 0".into(),
        },
        Undefined::NoTerms => "没有可合计的项".into(),
        Undefined::NoArguments => "没有参数".into(),
    }
}

pub(super) fn note(n: &Note) -> String {
    match n {
        Note::StandsIn { value, reason } => format!(
            "以 {} 代替：{}",
            crate::eval::fmt_target(*value),
            undefined(reason)
        ),
        Note::LeftOutOfSum { reason } => format!("未计入合计：{}", undefined(reason)),
    }
}

pub(super) fn reason(r: &Reason) -> String {
    match r {
        Reason::Because { text } => text.clone(),
        Reason::OutsidePeriod {
            column,
            period,
            start,
            end,
        } => format!("`{column}` 不在统计期 {period}（{start} 至 {end}）内"),
        Reason::WhenFalse { condition } => format!("不属本统计期：`{condition}` 不成立"),
        Reason::NumeratorRequires { condition } => {
            format!("计入分母，未计入分子：分子要求 `{condition}`")
        }
        Reason::Requires { condition } => format!("不计入：要求 `{condition}`"),
        Reason::ExcludedBy { condition } => format!("剔除：`{condition}` 成立"),
        Reason::NoMatchingWhere => "不符合计量的 `where` 条件".into(),
    }
}

pub(super) fn why_not(w: &WhyNot) -> String {
    let what = match &w.unless {
        Unless::InScope => "属于统计范围".to_string(),
        Unless::InPeriod => "日期在统计期内".to_string(),
        Unless::Held(c) => format!("`{c}` 成立"),
        Unless::NotHeld(c) => format!("`{c}` 不成立"),
    };
    format!("若{what}即可计入；现 {}", super::Lang::Zh.reads(&w.now))
}

pub(super) fn label(l: super::Label) -> &'static str {
    use super::Label;
    match l {
        Label::Reason => "原因",
        Label::Rule => "规则",
        Label::Item => "事项",
        Label::Target => "目标",
        Label::Trail => "判断过程",
        Label::WhyNot => "为何未计入",
        Label::Line => "行",
        Label::Version => "版本",
        Label::Period => "统计期",
        Label::Records => "条记录",
        Label::ItemOnce => "同一事项只计一次，以其最好的一次送达为准",
        Label::Is => "为",
        Label::ItemIs => "该事项为",
    }
}

pub(super) fn outcome(o: crate::eval::Outcome) -> &'static str {
    use crate::eval::Outcome;
    match o {
        Outcome::Numerator => "计入分子",
        Outcome::Denominator => "仅计入分母",
        Outcome::Excluded => "剔除",
        Outcome::NotCounted => "不计入",
        Outcome::OutOfPeriod => "不在统计期",
    }
}

pub(super) fn term(t: super::Term) -> &'static str {
    use super::Term;
    match t {
        Term::Core => "核心",
        Term::Court => "全院",
        Term::BelowTarget => "未达标（按部门）：",
        Term::Warning => "警告",
        Term::Measures => "计量（全院）",
        Term::DerivedFrom => "派生自",
        Term::Related => "相关指标",
    }
}

fn expected(e: crate::data::Expected) -> String {
    use crate::data::Expected;
    match e {
        Expected::Bool => "是非值（是/否、true/false、1/0、Y/N、√/×）".into(),
        Expected::WholeNumber => "整数".into(),
        Expected::FiniteNumber => "有限数值".into(),
        Expected::Number => "数值".into(),
        Expected::Date => format!("日期（{}）", crate::value::DATE_FORMS),
        Expected::Datetime => format!("日期时间（{}）", crate::value::DATETIME_FORMS),
        Expected::Text => "文本".into(),
    }
}

pub(super) fn problem(p: &crate::data::Problem) -> String {
    use crate::data::Problem;
    match p {
        Problem::CannotOpen { table, error } => {
            format!("无法打开 `{table}` 表：{}", Lang::Zh.io(error))
        }
        Problem::Unreadable { error } => unreadable(error),
        Problem::WrongEncoding {
            table,
            declared,
            looks,
            declare,
        } => format!(
            "文件不是 {declared} 编码，看起来是 {looks}：请另存为 {declared}，或在 schema 中为 `{table}` 表声明 `encoding: {declare}`"
        ),
        Problem::CannotReadHeader { error } => format!("无法读取表头：{}", Lang::Zh.io(error)),
        Problem::NoTable {
            table,
            name,
            database,
            close,
        } => format!(
            "数据库 `{database}` 中没有{}表 `{name}`{}；可用 `--table {table}=模式.表名` 指定",
            if name == table {
                String::new()
            } else {
                format!(" `{table}` 对应的")
            },
            close
                .as_ref()
                .map(|c| format!("（它有 `{c}`）"))
                .unwrap_or_default()
        ),
        Problem::NoColumns { table, columns } => format!(
            "数据库表 `{table}` 缺少列：{}",
            columns
                .iter()
                .map(|c| format!(
                    "`{}`{}",
                    c.name,
                    c.close
                        .as_ref()
                        .map(|h| format!("（该表有 `{h}`）"))
                        .unwrap_or_default()
                ))
                .collect::<Vec<_>>()
                .join("、")
        ),
        Problem::Database { error } => crate::words::Lang::Zh.db_error(error).0,
        Problem::MissingColumns { columns } => {
            let list: Vec<String> = columns
                .iter()
                .map(|c| {
                    let also: Vec<String> = c.aliases.iter().map(|a| format!("`{a}`")).collect();
                    format!(
                        "`{}`{}{}",
                        c.name,
                        if also.is_empty() {
                            String::new()
                        } else {
                            format!("（或 {}）", also.join("、"))
                        },
                        c.close
                            .as_ref()
                            .map(|h| format!("：表头中有 `{h}`"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            format!("表头缺少 {} 列：{}", columns.len(), list.join("；"))
        }
        Problem::CannotReadRecord { error } => {
            format!("无法读取该行记录：{}", Lang::Zh.io(error))
        }
        Problem::Width { fields, header } => {
            format!("该行有 {fields} 个字段，表头有 {header} 列")
        }
        Problem::NotUtf8 { column } => format!("`{column}` 的值不是有效的 UTF-8 文本"),
        Problem::MissingValue { column } => format!("`{column}` 不能为空"),
        Problem::BadValue {
            raw,
            column,
            expected: e,
        } => format!("`{raw}` 不是{}（`{column}` 列）", expected(*e)),
        Problem::NotInList {
            raw,
            column,
            values,
        } => format!(
            "`{raw}` 不在 `{column}` 的取值范围内：{}",
            values.join("、")
        ),
        Problem::Dangling { key, file } => format!("`{key}` 在 `{file}` 中没有对应记录"),
        Problem::DuplicateKey { key, first } => {
            format!("主键 `{key}` 重复（首次出现在第 {first} 行）")
        }
    }
}

pub(super) fn said(s: &super::Said) -> String {
    use super::Said;
    match s {
        Said::DataErrors { count, dir } => format!("错误：`{dir}` 中有 {count} 处数据错误："),
        Said::AndMore { count } => format!("……另有 {count} 处："),
        Said::LeftOut { at } => format!("警告：已剔除 {at}"),
        Said::MoreLeftOut { count } => format!("警告：……另有 {count} 行已剔除"),
        Said::HelpWholeFiles => {
            "提示：请修正导出文件或 schema：无法读取的表不会被剔除".into()
        }
        Said::HelpLenient => {
            "提示：请修正导出文件，或加 `--lenient` 剔除这些行并显示原因".into()
        }
        Said::HelpMaxDropped => "提示：请修正导出文件；如确有这么多错误行，可调高 `--max-dropped`（占该表行数的百分比，默认 1）".into(),
        Said::TooManyDropped {
            file,
            rows,
            dropped,
            percent,
            max,
        } => format!(
            "错误：`{file}` 的 {rows} 行中有 {dropped} 行未计入（{percent:.1}%，超过 {max}%）；前几处错误："
        ),
    }
}

pub(super) fn data_kind(k: crate::data::DataErrorKind) -> &'static str {
    use crate::data::DataErrorKind as K;
    match k {
        K::MissingFile => "缺少文件",
        K::WrongEncoding => "文件编码不符",
        K::Unreadable => "无法读取的工作簿",
        K::MissingColumn => "缺少列",
        K::BadRecord => "格式错误的行",
        K::BadValue => "无法解析的值",
        K::UnknownEnumValue => "不在取值范围内的值",
        K::MissingValue => "缺少必填值",
        K::DuplicateKey => "主键重复",
        K::DanglingReference => "引用了不存在的记录",
    }
}

/// Why a workbook gives no table.
fn unreadable(u: &crate::data::Unreadable) -> String {
    use crate::data::Unreadable as U;
    let names = |v: &[String], sep: &str| {
        v.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match u {
        U::File { io } => format!("无法读取该文件：{}", Lang::Zh.io(io)),
        U::HtmlWithoutTable => "该文件是不含表格的 HTML 网页".into(),
        U::Workbook { reader } => format!("无法读取工作簿：「{reader}」"),
        U::NoSheet { wanted, sheets } => format!(
            "工作簿中没有名为 {} 的工作表；其工作表有：{}",
            names(wanted, "或"),
            names(sheets, "、")
        ),
        U::Sheet { sheet, reader } => format!("无法读取工作表 `{sheet}`：「{reader}」"),
    }
}
