//! Where a database keeps the schema's tables and columns: the schema's
//! names, or the database's own for some of them (`--table
//! cases=ods.t_case`, `--column cases.case_id=ajbh`), written as given. One
//! mapping, read once from the command line: the PostgreSQL source reads
//! the tables through it, and the SQL backend writes its queries with it.

use crate::schema::{Schema, TableId};

/// The database's names of the schema's tables and columns, where they
/// are not the schema's own.
#[derive(Debug, Clone)]
pub struct Names {
    /// The schema's tables and columns, by name.
    schema: Vec<(String, Vec<String>)>,
    tables: Vec<Option<String>>,
    /// Per table, per column.
    columns: Vec<Vec<Option<String>>>,
}

/// What is wrong with a `--table` or `--column` mapping; [`crate::words`]
/// says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// `--table` given something else than `TABLE=NAME`.
    TableMapping { given: String },
    /// `--column` given something else than `TABLE.COLUMN=NAME`.
    ColumnMapping { given: String },
    UnknownTable {
        name: String,
        /// The schema's table nearest in spelling, else every one.
        close: Option<String>,
        tables: Vec<String>,
    },
    UnknownColumn {
        table: String,
        name: String,
        close: Option<String>,
        columns: Vec<String>,
    },
}

impl Names {
    /// Every table and column under its schema name.
    pub fn schema(schema: &Schema) -> Names {
        Names {
            schema: schema
                .tables
                .iter()
                .map(|t| {
                    (
                        t.name.clone(),
                        t.columns.iter().map(|c| c.name.clone()).collect(),
                    )
                })
                .collect(),
            tables: vec![None; schema.tables.len()],
            columns: schema
                .tables
                .iter()
                .map(|t| vec![None; t.columns.len()])
                .collect(),
        }
    }

    /// `TABLE=NAME` pairs (table `TABLE` of the schema is the database's
    /// `NAME`, qualified or quoted as the database needs) and
    /// `TABLE.COLUMN=NAME` pairs (its column `COLUMN` is the database's
    /// `NAME`).
    pub fn parse(
        schema: &Schema,
        tables: &[String],
        columns: &[String],
    ) -> Result<Names, NameError> {
        let mut n = Names::schema(schema);
        for pair in tables {
            let (table, name) = split(pair).ok_or_else(|| NameError::TableMapping {
                given: pair.clone(),
            })?;
            let t = table_of(schema, table)?;
            n.tables[t] = Some(name.to_string());
        }
        for pair in columns {
            let bad = || NameError::ColumnMapping {
                given: pair.clone(),
            };
            let (path, name) = split(pair).ok_or_else(bad)?;
            let (table, column) = path.split_once('.').ok_or_else(bad)?;
            let t = table_of(schema, table)?;
            let cols = &schema.tables[t].columns;
            let Some(c) = cols.iter().position(|c| c.name == column) else {
                return Err(NameError::UnknownColumn {
                    table: table.to_string(),
                    name: column.to_string(),
                    close: crate::check::did_you_mean(column, cols.iter().map(|c| c.name.as_str()))
                        .into_iter()
                        .next(),
                    columns: cols.iter().map(|c| c.name.clone()).collect(),
                });
            };
            n.columns[t][c] = Some(name.to_string());
        }
        Ok(n)
    }

    /// The database's name of table `t`, when it is not the schema's.
    pub fn table(&self, t: TableId) -> Option<&str> {
        self.tables.get(t).and_then(|n| n.as_deref())
    }

    /// The database's name of column `c` of table `t`, when it is not the
    /// schema's.
    pub fn column(&self, t: TableId, c: usize) -> Option<&str> {
        self.columns
            .get(t)
            .and_then(|v| v.get(c))
            .and_then(|n| n.as_deref())
    }
}

impl Names {
    /// [`Names::table`] of the schema's table called `table`.
    pub fn of_table(&self, table: &str) -> Option<&str> {
        let t = self.schema.iter().position(|(n, _)| n == table)?;
        self.table(t)
    }

    /// [`Names::column`] of column `column` of the schema's table `table`.
    pub fn of_column(&self, table: &str, column: &str) -> Option<&str> {
        let t = self.schema.iter().position(|(n, _)| n == table)?;
        let c = self.schema[t].1.iter().position(|n| n == column)?;
        self.column(t, c)
    }
}

/// `LEFT=RIGHT`, both sides trimmed and not empty.
fn split(pair: &str) -> Option<(&str, &str)> {
    pair.split_once('=')
        .map(|(l, r)| (l.trim(), r.trim()))
        .filter(|(l, r)| !l.is_empty() && !r.is_empty())
}

/// The schema's table called `name`, or the error naming the closest.
fn table_of(schema: &Schema, name: &str) -> Result<TableId, NameError> {
    schema.table(name).ok_or_else(|| {
        let names = schema.tables.iter().map(|t| t.name.as_str());
        NameError::UnknownTable {
            name: name.to_string(),
            close: crate::check::did_you_mean(name, names).into_iter().next(),
            tables: schema.tables.iter().map(|t| t.name.clone()).collect(),
        }
    })
}
