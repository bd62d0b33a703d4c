//! What is wrong with a `--table` or `--column` mapping, in the language asked.

use super::{Lang, quoted};
use crate::data::names::NameError;

impl Lang {
    /// The message and the help.
    pub fn names_error(self, e: &NameError) -> (String, String) {
        match self {
            Lang::Zh => zh(e),
            Lang::En => en(e),
        }
    }

    /// The `error:` and `help:` lines the command prints.
    pub fn names_fault(self, e: &NameError) -> String {
        let (message, help) = self.names_error(e);
        self.error_lines(&message, Some(&help))
    }
}

fn en(e: &NameError) -> (String, String) {
    match e {
        NameError::TableMapping { given } => (
            format!("`--table {given}` is not TABLE=NAME"),
            "give the schema's table and the database's name for it: `--table cases=ods.t_case`"
                .into(),
        ),
        NameError::ColumnMapping { given } => (
            format!("`--column {given}` is not TABLE.COLUMN=NAME"),
            "give the schema's table and column and the database's name for it: `--column cases.case_id=ajbh`"
                .into(),
        ),
        NameError::UnknownColumn {
            table,
            name,
            close,
            columns,
        } => (
            format!("table `{table}` has no column `{name}` (in `--column`)"),
            match close {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("its columns: {}", columns.join(", ")),
            },
        ),
        NameError::UnknownTable {
            name,
            close,
            tables,
        } => (
            format!("unknown table `{name}` in `--table`"),
            match close {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the schema's tables: {}", tables.join(", ")),
            },
        ),
    }
}

fn zh(e: &NameError) -> (String, String) {
    match e {
        NameError::TableMapping { given } => (
            format!("`--table {given}` 不是 `TABLE=NAME` 的形式"),
            "请给出数据结构中的表名和数据库中的表名：`--table cases=ods.t_case`".into(),
        ),
        NameError::ColumnMapping { given } => (
            format!("`--column {given}` 不是 `TABLE.COLUMN=NAME` 的形式"),
            "请给出数据结构中的表名、列名和数据库中的列名：`--column cases.case_id=ajbh`".into(),
        ),
        NameError::UnknownColumn {
            table,
            name,
            close,
            columns,
        } => (
            format!("`--column` 中的表 `{table}` 没有列 `{name}`"),
            match close {
                Some(c) => format!("是不是要写 `{c}`？"),
                None => format!("该表的列有：{}", quoted(columns, "、")),
            },
        ),
        NameError::UnknownTable {
            name,
            close,
            tables,
        } => (
            format!("`--table` 中的表 `{name}` 不在数据结构中"),
            match close {
                Some(c) => format!("是不是要写 `{c}`？"),
                None => format!("数据结构中的表有：{}", quoted(tables, "、")),
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_mapping_error_is_said_in_each_language() {
        let mut all = Vec::new();
        all.push(NameError::TableMapping {
            given: "cases".into(),
        });
        all.push(NameError::ColumnMapping {
            given: "cases".into(),
        });
        for close in [Some("case_id".to_string()), None] {
            all.push(NameError::UnknownColumn {
                table: "cases".into(),
                name: "caseid".into(),
                close,
                columns: vec!["case_id".into()],
            });
        }
        for close in [Some("cases".to_string()), None] {
            all.push(NameError::UnknownTable {
                name: "casse".into(),
                close,
                tables: vec!["cases".into()],
            });
        }
        for e in &all {
            let (m, h) = Lang::Zh.names_error(e);
            assert!(han(&m) && han(&h), "{m} / {h}");
            let (m, h) = Lang::En.names_error(e);
            assert!(!han(&m) && !han(&h), "{m} / {h}");
        }
    }
}
