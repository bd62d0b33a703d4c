//! Reading the court's tables, typed by the schema: the sources they are
//! read from ([`source`]: a folder of CSV files, a workbook, a database), the
//! mapping of a table's header to the schema's columns, the parsing of a
//! field by its column's type, and the errors the data may hold, each named
//! where the user finds it. Only the columns the plan needs are parsed;
//! input files are only read.

pub mod input;
pub mod names;
mod problem;
pub mod source;

use crate::schema::{ColType, Column, Table};
use crate::value::{Value, parse_bool, parse_date, parse_datetime};
pub use problem::{Expected, MissingColumn, Problem, Unreadable};
pub use source::ChunkEnd;

/// A problem with the data, located where the user finds it.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic, serde::Serialize)]
#[error("{}: {}", self.at(), crate::words::Lang::En.problem(problem))]
#[diagnostic(code(zhibiao::data))]
pub struct DataError {
    pub kind: DataErrorKind,
    /// The file, the workbook's sheet (`export.xlsx!hearings`) or the
    /// database table the error is in.
    pub file: String,
    /// The line of a file, the row of a sheet, the place of a database row
    /// in its table's reading (0: the whole table).
    pub line: u64,
    /// 1-based position of the column in the file's header.
    pub column_no: usize,
    pub column: String,
    pub value: String,
    /// What is wrong (rendered by [`crate::words`]).
    pub problem: Box<Problem>,
    /// How `line` and `column_no` are named: a file's line, a sheet's cell,
    /// a database row's key.
    #[serde(skip_serializing_if = "Place::is_line")]
    pub place: Box<Place>,
}

/// How an error's row is named, as the source names its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// `file:line:column`.
    #[default]
    Line,
    /// A workbook's cell, as Excel names it: `export.xlsx!hearings!E17`.
    Cell,
    /// A database row by its key: `hearings[H0001].scheduled_at`; a table
    /// without a key by its row: `hearings#17.scheduled_at`.
    Key { key: Option<String> },
}

impl Place {
    pub fn is_line(&self) -> bool {
        *self == Place::Line
    }
}

/// A spreadsheet column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl DataError {
    /// Where the error is, as the source names it: `hearings.csv:17:5`,
    /// `export.xlsx!hearings!E17`, `hearings[H0001].scheduled_at`; the file
    /// or table alone for an error about all of it.
    pub fn at(&self) -> String {
        let (f, l, c) = (&self.file, self.line, self.column_no);
        match (&*self.place, l, c) {
            (_, 0, _) => f.clone(),
            (Place::Line, l, 0) => format!("{f}:{l}"),
            (Place::Line, l, c) => format!("{f}:{l}:{c}"),
            (Place::Cell, l, 0) => format!("{f}!{l}"),
            (Place::Cell, l, c) => format!("{f}!{}{l}", column_letters(c - 1)),
            (Place::Key { key }, l, _) => {
                let row = match key {
                    Some(k) => format!("{f}[{k}]"),
                    None => format!("{f}#{l}"),
                };
                match self.column.as_str() {
                    "" => row,
                    col => format!("{row}.{col}"),
                }
            }
        }
    }

    /// What is wrong, in `lang`.
    pub fn message(&self, lang: crate::words::Lang) -> String {
        lang.problem(&self.problem)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataErrorKind {
    MissingFile,
    /// The file is not in the encoding the schema declares.
    WrongEncoding,
    /// A workbook (or an HTML export under an `.xls` name) that cannot be read.
    Unreadable,
    MissingColumn,
    BadRecord,
    BadValue,
    UnknownEnumValue,
    MissingValue,
    DuplicateKey,
    DanglingReference,
}

impl DataErrorKind {
    pub fn describe(&self) -> &'static str {
        match self {
            DataErrorKind::MissingFile => "missing file",
            DataErrorKind::WrongEncoding => "file in another encoding",
            DataErrorKind::Unreadable => "unreadable workbook",
            DataErrorKind::MissingColumn => "missing column",
            DataErrorKind::BadRecord => "malformed record",
            DataErrorKind::BadValue => "value that does not parse",
            DataErrorKind::UnknownEnumValue => "value outside its list",
            DataErrorKind::MissingValue => "missing required value",
            DataErrorKind::DuplicateKey => "duplicate key",
            DataErrorKind::DanglingReference => "reference to a missing row",
        }
    }
}

/// A header text as compared with the schema's: spaces around it dropped,
/// full-width letters, digits, signs and spaces read as their half-width
/// forms, ASCII letters in lower case (`（案号）` and `(案号)`, `Case_ID` and
/// `case_id` are the same header).
pub fn header_key(h: &str) -> String {
    h.trim()
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
                .unwrap_or(c)
                .to_ascii_lowercase(),
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The names a table's sheet may have in a workbook: its name and title.
pub fn sheet_names(table: &Table) -> Vec<&str> {
    std::iter::once(table.name.as_str())
        .chain(table.title.as_deref())
        .collect()
}

/// Find the schema columns `cols` of `table` among a table's header texts
/// `names` (its name, title or an alias; spaces, full width and case
/// ignored): their positions, or every column missing, each with the closest
/// header present.
pub fn map_header(
    table: &Table,
    cols: &[usize],
    names: &[&str],
) -> Result<Vec<usize>, Vec<MissingColumn>> {
    let normal: Vec<String> = names.iter().map(|h| header_key(h)).collect();
    let mut positions = Vec::new();
    let mut missing: Vec<MissingColumn> = Vec::new();
    for &c in cols {
        let col = &table.columns[c];
        let wanted: Vec<String> = col.headers().map(header_key).collect();
        match normal.iter().position(|h| wanted.contains(h)) {
            Some(p) => positions.push(p),
            None => {
                let close = col
                    .headers()
                    .flat_map(|w| crate::check::did_you_mean(w, names.iter().copied()))
                    .next();
                missing.push(MissingColumn {
                    name: col.name.clone(),
                    aliases: col.headers().skip(1).map(str::to_string).collect(),
                    close,
                });
            }
        }
    }
    if missing.is_empty() {
        Ok(positions)
    } else {
        Err(missing)
    }
}

/// The error of a table whose header lacks columns.
pub fn missing_columns(file: &str, missing: Vec<MissingColumn>) -> DataError {
    DataError {
        kind: DataErrorKind::MissingColumn,
        file: file.to_string(),
        line: 1,
        column_no: 0,
        column: missing.first().map(|m| m.name.clone()).unwrap_or_default(),
        value: String::new(),
        problem: Box::new(Problem::MissingColumns { columns: missing }),
        place: Box::default(),
    }
}

/// An error about a whole table (it cannot be opened or read).
pub fn table_error(file: &str, kind: DataErrorKind, problem: Problem) -> DataError {
    DataError {
        kind,
        file: file.to_string(),
        line: 0,
        column_no: 0,
        column: String::new(),
        value: String::new(),
        problem: Box::new(problem),
        place: Box::default(),
    }
}

/// Field `i` of a record as text; `None` when it is not valid UTF-8. Only the
/// fields a policy reads are checked.
pub fn field(rec: &csv::ByteRecord, i: usize) -> Option<&str> {
    std::str::from_utf8(raw(rec, i)).ok()
}

/// Field `i`'s bytes; the last field without the carriage return of a
/// `\r\n` line end.
#[inline]
pub fn raw(rec: &csv::ByteRecord, i: usize) -> &[u8] {
    let b = rec.get(i).unwrap_or(b"");
    match b.split_last() {
        Some((b'\r', rest)) if i + 1 == rec.len() => rest,
        _ => b,
    }
}

/// Whether `hay` holds `needle` (a plain scan: the first byte, then the rest).
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut i = 0;
    while let Some(p) = hay[i..].iter().position(|b| *b == first) {
        let at = i + p + 1;
        if hay.len() >= at + rest.len() && &hay[at..at + rest.len()] == rest {
            return true;
        }
        i = at;
    }
    false
}

/// Parse one field as its column's type. `Err` is the error message.
#[inline(always)]
pub fn parse_field<'r>(col: &Column, raw: &'r str) -> Result<Value<'r>, (DataErrorKind, Problem)> {
    match parse_value(col, raw) {
        Some(v) => Ok(v),
        None => trimmed(col, raw),
    }
}

/// A typed field with spaces around it (Excel pads some): read trimmed.
/// Text is kept as written.
#[cold]
fn trimmed<'r>(col: &Column, raw: &'r str) -> Result<Value<'r>, (DataErrorKind, Problem)> {
    let t = raw.trim();
    if col.ty != ColType::Text
        && t.len() != raw.len()
        && let Some(v) = parse_value(col, t)
    {
        return Ok(v);
    }
    Err(field_error(col, raw))
}

/// A field's value, `None` when it is not one of its column's (the common
/// path, small enough to inline where rows are parsed).
#[inline(always)]
fn parse_value<'r>(col: &Column, raw: &'r str) -> Option<Value<'r>> {
    if raw.is_empty() {
        return (!col.required()).then_some(Value::Null);
    }
    Some(match col.ty {
        ColType::Text => Value::Str(raw),
        ColType::Enum => Value::Enum(col.values.iter().position(|v| v == raw)? as u16),
        ColType::Bool => Value::Bool(parse_bool(raw)?),
        ColType::Int => Value::Num(raw.trim().parse::<i64>().ok()? as f64),
        ColType::Decimal => Value::Num(raw.trim().parse::<f64>().ok().filter(|n| n.is_finite())?),
        ColType::Date => Value::Date(parse_date(raw)?),
        ColType::Datetime => Value::DateTime(parse_datetime(raw)?),
    })
}

/// Why a field is not a value of its column.
#[cold]
fn field_error(col: &Column, raw: &str) -> (DataErrorKind, Problem) {
    if raw.is_empty() {
        return (
            DataErrorKind::MissingValue,
            Problem::MissingValue {
                column: col.name.clone(),
            },
        );
    }
    let bad = |expected: Expected| {
        (
            DataErrorKind::BadValue,
            Problem::BadValue {
                raw: raw.to_string(),
                column: col.name.clone(),
                expected,
            },
        )
    };
    match col.ty {
        ColType::Enum => (
            DataErrorKind::UnknownEnumValue,
            Problem::NotInList {
                raw: raw.to_string(),
                column: col.name.clone(),
                values: col.values.clone(),
            },
        ),
        ColType::Bool => bad(Expected::Bool),
        ColType::Int => bad(Expected::WholeNumber),
        ColType::Decimal if raw.trim().parse::<f64>().is_ok() => bad(Expected::FiniteNumber),
        ColType::Decimal => bad(Expected::Number),
        ColType::Date => bad(Expected::Date),
        ColType::Datetime => bad(Expected::Datetime),
        ColType::Text => bad(Expected::Text),
    }
}
