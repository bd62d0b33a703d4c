//! Why no SQL could be written, in the language asked.

use super::Lang;
use crate::sql::{Construct, SqlError};

impl Lang {
    /// The message and the help.
    pub fn sql_error(self, e: &SqlError) -> (String, String) {
        match self {
            Lang::Zh => zh(e),
            Lang::En => en(e),
        }
    }

    /// The `error:` and `help:` lines the command prints.
    pub fn sql_fault(self, e: &SqlError) -> String {
        let (message, help) = self.sql_error(e);
        self.error_lines(&message, Some(&help))
    }
}

fn construct_en(c: &Construct) -> String {
    match c {
        Construct::NoSingleKey { table } => format!(
            "a relation to or an aggregate over table `{table}`, which has no single key column"
        ),
        Construct::EnumColumns => {
            "a comparison of two different enum columns (compared by position natively)".into()
        }
        Construct::InListKinds => "an `in` list whose values are not of the column's kind".into(),
        Construct::Arguments { func, given } => format!("`{func}` with {given} arguments"),
        Construct::DepartmentNotColumn => "a `department =` that is not a column".into(),
        Construct::DecimalText { column } => format!(
            "the decimal column `{column}` as a key or list text (six decimal places, rounded as natively)"
        ),
        Construct::PerExpression => "a `per` breakdown by an expression".into(),
    }
}

fn construct_zh(c: &Construct) -> String {
    match c {
        Construct::NoSingleKey { table } => {
            format!("指向表 `{table}` 的关系或对它的汇总（该表没有单一主键列）")
        }
        Construct::EnumColumns => "两个不同枚举列之间的比较（本地按取值位置比较）".into(),
        Construct::InListKinds => "取值与列类型不符的 `in` 列表".into(),
        Construct::Arguments { func, given } => format!("带 {given} 个参数的 `{func}`"),
        Construct::DepartmentNotColumn => "不是列的 `department =`".into(),
        Construct::DecimalText { column } => format!(
            "以文本（细分键、去重项目或名单列；六位小数，按本地方式舍入）呈现的小数列 `{column}`"
        ),
        Construct::PerExpression => "按表达式细分的 `per`".into(),
    }
}

fn en(e: &SqlError) -> (String, String) {
    match e {
        SqlError::Unsupported {
            indicator,
            construct,
            dialect,
        } => (
            format!(
                "indicator `{indicator}`: {} cannot be compiled to SQL ({dialect}) yet",
                construct_en(construct)
            ),
            match construct {
                Construct::DecimalText { .. } => "`--dialect duckdb` writes it (DuckDB rounds exactly); or evaluate this policy with `zhibiao eval`; the SQL backend does not write a query that would give other figures".into(),
                _ => "evaluate this policy with `zhibiao eval`; the SQL backend does not write a query that would give other figures".into(),
            },
        ),
    }
}

fn zh(e: &SqlError) -> (String, String) {
    match e {
        SqlError::Unsupported {
            indicator,
            construct,
            dialect,
        } => (
            format!(
                "指标 `{indicator}`：{}暂不能编译为 SQL（`{dialect}`）",
                construct_zh(construct)
            ),
            match construct {
                Construct::DecimalText { .. } => "`--dialect duckdb` 可以写出（该方言的舍入与本地一致）；或用 `zhibiao eval` 计算此政策；SQL 后端不会写出算出不同指标值的查询".into(),
                _ => "请用 `zhibiao eval` 计算此政策；SQL 后端不会写出算出不同指标值的查询".into(),
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::{english_words, han};

    #[test]
    fn every_sql_error_has_both_texts() {
        let constructs = [
            Construct::NoSingleKey { table: "t".into() },
            Construct::EnumColumns,
            Construct::InListKinds,
            Construct::Arguments {
                func: "days".into(),
                given: 1,
            },
            Construct::DepartmentNotColumn,
            Construct::DecimalText { column: "x".into() },
            Construct::PerExpression,
        ];
        let all: Vec<SqlError> = constructs
            .into_iter()
            .map(|construct| SqlError::Unsupported {
                indicator: "HC4".into(),
                construct,
                dialect: "duckdb".into(),
            })
            .collect();
        for e in &all {
            let (m, h) = Lang::Zh.sql_error(e);
            for t in [&m, &h] {
                // SQL is a name.
                assert!(han(t) && !english_words(&t.replace("SQL", "")), "{t}");
            }
            let (m, h) = Lang::En.sql_error(e);
            assert!(!han(&m) && !han(&h), "{m} / {h}");
        }
    }
}
