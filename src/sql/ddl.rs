//! The schema's tables as `CREATE TABLE` statements: the shape the generated
//! query reads (numbers in floating point, bools as BOOLEAN, datetimes
//! without a time zone, every empty field NULL); with a folder of CSV files
//! of that shape, the statements that load them.

use std::fmt::Write as _;
use std::path::Path;

use super::dialect::Dialect;
use super::sources;
use crate::data::names::Names;
use crate::schema::{ColType, Schema};

/// `load`: a folder holding one CSV file per table (named as the schema's
/// `file`, header of the schema's column names, ISO dates and datetimes,
/// `true`/`false`, an empty field for NULL), loaded after the definitions.
pub fn ddl(schema: &Schema, d: &dyn Dialect, names: &Names, load: Option<&Path>) -> String {
    let mut out = format!(
        "-- the tables of schema `{}` (version {}); dialect {}\n",
        schema.name,
        schema.version,
        d.name()
    );
    if let Some(dir) = load {
        let _ = writeln!(
            out,
            "-- loaded from the CSV files in {} (ISO dates, true/false, empty for NULL)",
            dir.display()
        );
    }
    for (ti, t) in schema.tables.iter().enumerate() {
        if let Some(title) = &t.title {
            let _ = writeln!(out, "-- {title}");
        }
        let cols: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let ty = match c.ty {
                    ColType::Text | ColType::Enum => d.text_type(),
                    ColType::Bool => "BOOLEAN",
                    ColType::Int | ColType::Decimal => d.number_type(),
                    ColType::Date => "DATE",
                    ColType::Datetime => d.datetime_type(),
                };
                format!("  {} {ty}", sources::column(names, schema, d, ti, ci))
            })
            .collect();
        let name = sources::from(names, schema, d, ti);
        let file = load.map(|dir| dir.join(&t.file).display().to_string());
        out.push_str(&d.create_table(&name, &cols.join(",\n"), file.as_deref()));
        out.push('\n');
    }
    out
}
