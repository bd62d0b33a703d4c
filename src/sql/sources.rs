//! How the query names each table and column: the database's names from
//! [`Names`] (`--table`, `--column`) as given, else the schema's, quoted as
//! the dialect needs. A column is renamed where its table is read, in the
//! table's CTE or subquery (`ajbh AS case_id`): the rest of the query reads
//! the schema's names.

use super::dialect::Dialect;
use crate::data::names::Names;
use crate::schema::{Schema, TableId};

/// How the table's CTE (or subquery) selects column `c` of table `t`: its name, or the
/// database's name renamed to it.
pub fn select(names: &Names, schema: &Schema, d: &dyn Dialect, t: TableId, c: usize) -> String {
    let own = d.ident(&schema.tables[t].columns[c].name);
    match names.column(t, c) {
        Some(db) => format!("{db} AS {own}"),
        None => own,
    }
}

/// What the database names column `c` of table `t`.
pub fn column(names: &Names, schema: &Schema, d: &dyn Dialect, t: TableId, c: usize) -> String {
    match names.column(t, c) {
        Some(db) => db.to_string(),
        None => d.ident(&schema.tables[t].columns[c].name),
    }
}

/// What the query names table `t` by.
pub fn from(names: &Names, schema: &Schema, d: &dyn Dialect, t: TableId) -> String {
    match names.table(t) {
        Some(db) => db.to_string(),
        None => d.ident(&schema.tables[t].name),
    }
}
