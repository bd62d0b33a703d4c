//! What is wrong with a piece of the data, as a typed value with its facts:
//! [`crate::words`] says it in the user's language.

use serde::Serialize;

/// The problem a [`super::DataError`] reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The table's file cannot be opened.
    CannotOpen {
        table: String,
        error: crate::words::fault::Io,
    },
    /// A workbook (or an HTML export under an `.xls` name) that cannot be read.
    Unreadable {
        error: Unreadable,
    },
    /// The file is in another encoding than the one declared (or UTF-8).
    WrongEncoding {
        table: String,
        declared: String,
        looks: String,
        /// What to declare for it in the schema: `gbk`, `utf-16`.
        declare: String,
    },
    CannotReadHeader {
        error: crate::words::fault::Io,
    },
    /// A database without the table (`name`: what it was looked for by).
    NoTable {
        table: String,
        name: String,
        database: String,
        /// The closest table the database has.
        close: Option<String>,
    },
    /// Columns the policy reads that the database table lacks.
    NoColumns {
        table: String,
        columns: Vec<MissingColumn>,
    },
    /// The database could not be read.
    Database {
        error: crate::db::DbError,
    },
    /// Columns the policy reads that the header lacks.
    MissingColumns {
        columns: Vec<MissingColumn>,
    },
    CannotReadRecord {
        error: crate::words::fault::Io,
    },
    /// A record with another number of fields than the header.
    Width {
        fields: usize,
        header: usize,
    },
    NotUtf8 {
        column: String,
    },
    MissingValue {
        column: String,
    },
    /// A value its column's type does not take.
    BadValue {
        raw: String,
        column: String,
        expected: Expected,
    },
    NotInList {
        raw: String,
        column: String,
        values: Vec<String>,
    },
    /// A relation's value that names no row of the table it refers to.
    Dangling {
        key: String,
        file: String,
    },
    DuplicateKey {
        key: String,
        first: u64,
    },
}

/// A column the header lacks: its name, the other header texts it goes by,
/// and the closest header present.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingColumn {
    pub name: String,
    pub aliases: Vec<String>,
    pub close: Option<String>,
}

/// What a column's type takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    Bool,
    WholeNumber,
    FiniteNumber,
    Number,
    Date,
    Datetime,
    Text,
}

/// Why a workbook (or an HTML export) gives no table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unreadable {
    /// The file itself cannot be read.
    File {
        io: crate::words::fault::Io,
    },
    /// An HTML page with no `<table>`.
    HtmlWithoutTable,
    /// The workbook reader's own words.
    Workbook {
        reader: String,
    },
    /// No sheet under any of the names the table may have.
    NoSheet {
        wanted: Vec<String>,
        sheets: Vec<String>,
    },
    Sheet {
        sheet: String,
        reader: String,
    },
}
