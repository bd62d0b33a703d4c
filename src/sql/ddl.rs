//! The schema's tables as `CREATE TABLE` statements: the shape the generated
//! query reads (numbers in floating point, bools as BOOLEAN, datetimes
//! without a time zone, every empty field NULL).

use std::fmt::Write as _;

use super::Sources;
use super::dialect::Dialect;
use crate::schema::{ColType, Schema};

pub fn ddl(schema: &Schema, d: &dyn Dialect, sources: &Sources) -> String {
    let mut out = format!(
        "-- the tables of schema `{}` (version {}); dialect {}\n",
        schema.name,
        schema.version,
        d.name()
    );
    for (ti, t) in schema.tables.iter().enumerate() {
        if let Some(title) = &t.title {
            let _ = writeln!(out, "-- {title}");
        }
        let _ = writeln!(out, "CREATE TABLE {} (", sources.from(schema, d, ti));
        let cols: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let ty = match c.ty {
                    ColType::Text | ColType::Enum => d.text_type(),
                    ColType::Bool => "BOOLEAN",
                    ColType::Int | ColType::Decimal => d.number_type(),
                    ColType::Date => "DATE",
                    ColType::Datetime => d.datetime_type(),
                };
                format!("  {} {ty}", d.ident(&c.name))
            })
            .collect();
        let _ = writeln!(out, "{}\n);", cols.join(",\n"));
    }
    out
}
