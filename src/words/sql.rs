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
        Construct::Function { name } => format!("the function `{name}`"),
        Construct::DepartmentType { ty } => format!("a department read from a {ty} column"),
        Construct::DepartmentNotColumn => "a `department =` that is not a column".into(),
        Construct::DepartmentOfType { ty } => {
            format!("a `department =` read from a {ty} column")
        }
        Construct::ItemDepartment => {
            "distinct items whose department is not fixed by the item's columns".into()
        }
        Construct::ItemDecimal { column } => {
            format!("distinct items by the decimal column `{column}`")
        }
        Construct::PerExpression => "a `per` breakdown by an expression".into(),
        Construct::PerType { ty } => format!("a `per` breakdown by a {ty} column"),
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
        Construct::Function { name } => format!("函数 `{name}`"),
        Construct::DepartmentType { ty } => format!("从 `{ty}` 列读取的部门"),
        Construct::DepartmentNotColumn => "不是列的 `department =`".into(),
        Construct::DepartmentOfType { ty } => format!("从 `{ty}` 列读取的 `department =`"),
        Construct::ItemDepartment => "部门不由项目各列确定的去重项目".into(),
        Construct::ItemDecimal { column } => format!("按小数列 `{column}` 去重的项目"),
        Construct::PerExpression => "按表达式细分的 `per`".into(),
        Construct::PerType { ty } => format!("按 `{ty}` 列细分的 `per`"),
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
            "evaluate this policy with `zhibiao eval`; the SQL backend does not write a query that would give other figures".into(),
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
            "请用 `zhibiao eval` 计算此政策；SQL 后端不会写出算出不同指标值的查询".into(),
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
            Construct::Function { name: "f".into() },
            Construct::DepartmentType { ty: "date" },
            Construct::DepartmentNotColumn,
            Construct::DepartmentOfType { ty: "date" },
            Construct::ItemDepartment,
            Construct::ItemDecimal { column: "x".into() },
            Construct::PerExpression,
            Construct::PerType { ty: "date" },
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
