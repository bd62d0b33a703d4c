//! Where the query reads each table: the schema's name, or the name the
//! database gives it (`--table cases=ods.t_case`), written as given.

use super::SqlError;
use super::dialect::Dialect;
use crate::schema::{Schema, TableId};

/// The FROM text of every table of a schema.
#[derive(Debug, Clone)]
pub struct Sources {
    from: Vec<Option<String>>,
}

impl Sources {
    /// Every table under its schema name.
    pub fn schema(schema: &Schema) -> Sources {
        Sources {
            from: vec![None; schema.tables.len()],
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
            let Some(t) = schema.table(table) else {
                let names = schema.tables.iter().map(|t| t.name.as_str());
                let close = crate::check::did_you_mean(table, names).into_iter().next();
                return Err(SqlError::UnknownTable {
                    name: table.to_string(),
                    close,
                    tables: schema.tables.iter().map(|t| t.name.clone()).collect(),
                });
            };
            s.from[t] = Some(name.to_string());
        }
        Ok(s)
    }

    /// What the query names table `t` by.
    pub fn from(&self, schema: &Schema, d: &dyn Dialect, t: TableId) -> String {
        match self.from.get(t).cloned().flatten() {
            Some(name) => name,
            None => d.ident(&schema.tables[t].name),
        }
    }
}
