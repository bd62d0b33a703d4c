//! Where the query reads each table and column: the schema's names, or the
//! names the database gives them (`--table cases=ods.t_case`, `--column
//! cases.case_id=ajbh`), written as given. A column is renamed once, in its
//! table's CTE (`ajbh AS case_id`): the rest of the query reads the schema's
//! names.

use super::SqlError;
use super::dialect::Dialect;
use crate::schema::{Schema, TableId};

/// The FROM text of every table of a schema.
#[derive(Debug, Clone)]
pub struct Sources {
    from: Vec<Option<String>>,
    /// Per table, per column: the database's name for it.
    columns: Vec<Vec<Option<String>>>,
}

impl Sources {
    /// Every table under its schema name.
    pub fn schema(schema: &Schema) -> Sources {
        Sources {
            from: vec![None; schema.tables.len()],
            columns: schema
                .tables
                .iter()
                .map(|t| vec![None; t.columns.len()])
                .collect(),
        }
    }

    /// `TABLE=NAME` pairs: table `TABLE` of the schema is read from `NAME`
    /// (a name the database knows, qualified or quoted as it needs).
    pub fn parse(schema: &Schema, pairs: &[String]) -> Result<Sources, SqlError> {
        let mut s = Sources::schema(schema);
        for pair in pairs {
            let Some((table, name)) = pair
                .split_once('=')
                .map(|(t, n)| (t.trim(), n.trim()))
                .filter(|(t, n)| !t.is_empty() && !n.is_empty())
            else {
                return Err(SqlError::TableMapping {
                    given: pair.clone(),
                });
            };
            let t = table_of(schema, table)?;
            s.from[t] = Some(name.to_string());
        }
        Ok(s)
    }

    /// [`Sources::parse`] of the tables, and `TABLE.COLUMN=NAME` pairs:
    /// column `COLUMN` of table `TABLE` is read from the database's `NAME`.
    pub fn parse_with_columns(
        schema: &Schema,
        tables: &[String],
        columns: &[String],
    ) -> Result<Sources, SqlError> {
        let mut s = Sources::parse(schema, tables)?;
        for pair in columns {
            let bad = || SqlError::ColumnMapping {
                given: pair.clone(),
            };
            let (path, name) = pair
                .split_once('=')
                .map(|(t, n)| (t.trim(), n.trim()))
                .filter(|(t, n)| !t.is_empty() && !n.is_empty())
                .ok_or_else(bad)?;
            let (table, column) = path.split_once('.').ok_or_else(bad)?;
            let t = table_of(schema, table)?;
            let cols = &schema.tables[t].columns;
            let Some(c) = cols.iter().position(|c| c.name == column) else {
                let close =
                    crate::check::did_you_mean(column, cols.iter().map(|c| c.name.as_str()))
                        .into_iter()
                        .next();
                return Err(SqlError::UnknownColumn {
                    table: table.to_string(),
                    name: column.to_string(),
                    close,
                    columns: cols.iter().map(|c| c.name.clone()).collect(),
                });
            };
            s.columns[t][c] = Some(name.to_string());
        }
        Ok(s)
    }

    /// How the table's CTE selects column `c` of table `t`: its name, or
    /// the database's name renamed to it.
    pub fn select(&self, schema: &Schema, d: &dyn Dialect, t: TableId, c: usize) -> String {
        let own = d.ident(&schema.tables[t].columns[c].name);
        match self
            .columns
            .get(t)
            .and_then(|v| v.get(c))
            .cloned()
            .flatten()
        {
            Some(db) => format!("{db} AS {own}"),
            None => own,
        }
    }

    /// What the database names column `c` of table `t`.
    pub fn column(&self, schema: &Schema, d: &dyn Dialect, t: TableId, c: usize) -> String {
        match self
            .columns
            .get(t)
            .and_then(|v| v.get(c))
            .cloned()
            .flatten()
        {
            Some(db) => db,
            None => d.ident(&schema.tables[t].columns[c].name),
        }
    }

    /// What the query names table `t` by.
    pub fn from(&self, schema: &Schema, d: &dyn Dialect, t: TableId) -> String {
        match self.from.get(t).cloned().flatten() {
            Some(name) => name,
            None => d.ident(&schema.tables[t].name),
        }
    }
}

/// The schema's table called `name`, or the error naming the closest.
fn table_of(schema: &Schema, name: &str) -> Result<TableId, SqlError> {
    schema.table(name).ok_or_else(|| {
        let names = schema.tables.iter().map(|t| t.name.as_str());
        SqlError::UnknownTable {
            name: name.to_string(),
            close: crate::check::did_you_mean(name, names).into_iter().next(),
            tables: schema.tables.iter().map(|t| t.name.clone()).collect(),
        }
    })
}
