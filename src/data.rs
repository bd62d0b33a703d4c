//! Reading the court's CSV export: one file per table, typed by the schema.
//! Only the columns the plan needs are parsed; input files are only read.

use std::path::{Path, PathBuf};

use crate::schema::{ColType, Column, Table};
use crate::value::{Value, parse_bool, parse_date, parse_datetime};

/// A problem with the data, located in its file.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic, serde::Serialize)]
#[error("{file}:{line}:{column_no}: {message}")]
#[diagnostic(code(zhibiao::data))]
pub struct DataError {
    pub kind: DataErrorKind,
    pub file: String,
    pub line: u64,
    /// 1-based position of the column in the file's header.
    pub column_no: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataErrorKind {
    MissingFile,
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

/// An open table file with its header mapped to the schema.
pub struct TableReader {
    pub path: PathBuf,
    pub file_name: String,
    reader: csv::Reader<std::io::BufReader<std::fs::File>>,
    /// Per requested column: its index in the file.
    pub positions: Vec<usize>,
    /// Fields per record (the header's).
    width: usize,
    /// Byte offset of the reader's start in the file (0, or a chunk's start).
    base: u64,
}

/// How a read of part of a file ended.
#[derive(Debug, Clone, Copy)]
pub struct ChunkEnd {
    /// A record started exactly at the requested stop (or the file ended
    /// when reading to the end): the chunks fit together.
    pub exact: bool,
    /// The local line of the record at the stop.
    pub stop_line: u64,
}

/// Offsets that split a file into `n` chunks at line starts (after its header).
pub fn split_points(path: &Path, n: usize) -> std::io::Result<Vec<u64>> {
    use std::io::{BufRead, Seek, SeekFrom};
    let size = std::fs::metadata(path)?.len();
    let mut f = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut header = Vec::new();
    f.read_until(b'\n', &mut header)?;
    let first = header.len() as u64;
    let mut out = Vec::new();
    for i in 1..n {
        let target = (size * i as u64 / n as u64).max(first);
        f.seek(SeekFrom::Start(target))?;
        let mut skip = Vec::new();
        let read = f.read_until(b'\n', &mut skip)? as u64;
        let at = target + read;
        if at < size && out.last().is_none_or(|l| *l < at) {
            out.push(at);
        }
    }
    Ok(out)
}

pub fn file_path(dir: &Path, table: &Table) -> PathBuf {
    dir.join(&table.file)
}

impl TableReader {
    /// Open `table`'s file and find the requested columns in its header.
    pub fn open(dir: &Path, table: &Table, cols: &[usize]) -> Result<TableReader, DataError> {
        let path = file_path(dir, table);
        let file_name = path.display().to_string();
        let err = |kind, line, column: &str, message: String| DataError {
            kind,
            file: file_name.clone(),
            line,
            column_no: 0,
            column: column.to_string(),
            value: String::new(),
            message,
        };
        let f = std::fs::File::open(&path).map_err(|e| {
            err(
                DataErrorKind::MissingFile,
                0,
                "",
                format!("cannot open the `{}` table: {e}", table.name),
            )
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(std::io::BufReader::with_capacity(1 << 16, f));
        let headers = reader
            .headers()
            .map_err(|e| {
                err(
                    DataErrorKind::BadRecord,
                    1,
                    "",
                    format!("cannot read the header: {e}"),
                )
            })?
            .clone();
        let names: Vec<&str> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim())
            .collect();
        let mut positions = Vec::new();
        for &c in cols {
            let want = &table.columns[c].name;
            match names.iter().position(|h| h == want) {
                Some(p) => positions.push(p),
                None => {
                    let close = crate::check::did_you_mean(want, names.iter().copied());
                    let hint = match close.first() {
                        Some(c) => format!("; the header has `{c}`"),
                        None => String::new(),
                    };
                    return Err(err(
                        DataErrorKind::MissingColumn,
                        1,
                        want,
                        format!("column `{want}` is missing from the header{hint}"),
                    ));
                }
            }
        }
        let width = names.len();
        Ok(TableReader {
            path,
            file_name,
            reader,
            positions,
            width,
            base: 0,
        })
    }

    /// Like `open`, but reading records from byte `start` (a line start after
    /// the header); lines are then counted from 1 at `start`.
    pub fn open_at(
        dir: &Path,
        table: &Table,
        cols: &[usize],
        start: u64,
    ) -> Result<TableReader, DataError> {
        use std::io::{Seek, SeekFrom};
        let mut r = TableReader::open(dir, table, cols)?;
        let mut f = std::fs::File::open(&r.path).map_err(|e| DataError {
            kind: DataErrorKind::MissingFile,
            file: r.file_name.clone(),
            line: 0,
            column_no: 0,
            column: String::new(),
            value: String::new(),
            message: format!("cannot open the `{}` table: {e}", table.name),
        })?;
        let _ = f.seek(SeekFrom::Start(start));
        r.reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(std::io::BufReader::with_capacity(1 << 16, f));
        r.base = start;
        Ok(r)
    }

    /// Call `f` for every record; `f` gets the line and the record's raw fields.
    pub fn for_each(
        &mut self,
        f: impl FnMut(u64, &csv::ByteRecord, &[usize]),
        errors: &mut Vec<DataError>,
    ) {
        self.for_each_until(None, f, errors);
    }

    /// Like `for_each`, stopping before the record that starts at byte `stop`.
    pub fn for_each_until(
        &mut self,
        stop: Option<u64>,
        mut f: impl FnMut(u64, &csv::ByteRecord, &[usize]),
        errors: &mut Vec<DataError>,
    ) -> ChunkEnd {
        let mut rec = csv::ByteRecord::new();
        let width = self.width;
        let mut last_line = 0;
        loop {
            match self.reader.read_byte_record(&mut rec) {
                Ok(true) => {
                    let (line, byte) = rec.position().map_or((0, 0), |p| (p.line(), p.byte()));
                    if let Some(stop) = stop {
                        let at = self.base + byte;
                        if at >= stop {
                            return ChunkEnd {
                                exact: at == stop,
                                stop_line: line,
                            };
                        }
                    }
                    last_line = line;
                    if rec.len() != width {
                        errors.push(DataError {
                            kind: DataErrorKind::BadRecord,
                            file: self.file_name.clone(),
                            line,
                            column_no: rec.len().min(width) + 1,
                            column: String::new(),
                            value: String::new(),
                            message: format!(
                                "the record has {} fields, the header has {width}",
                                rec.len()
                            ),
                        });
                        continue;
                    }
                    f(line, &rec, &self.positions);
                }
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    errors.push(DataError {
                        kind: DataErrorKind::BadRecord,
                        file: self.file_name.clone(),
                        line,
                        column_no: 0,
                        column: String::new(),
                        value: String::new(),
                        message: format!("cannot read the record: {e}"),
                    });
                    if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        break;
                    }
                }
            }
        }
        ChunkEnd {
            exact: stop.is_none(),
            stop_line: last_line + 1,
        }
    }
}

/// Field `i` of a record as text; `None` when it is not valid UTF-8. Only the
/// fields a policy reads are checked.
pub fn field(rec: &csv::ByteRecord, i: usize) -> Option<&str> {
    std::str::from_utf8(rec.get(i).unwrap_or(b"")).ok()
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
pub fn parse_field<'r>(col: &Column, raw: &'r str) -> Result<Value<'r>, (DataErrorKind, String)> {
    match parse_value(col, raw) {
        Some(v) => Ok(v),
        None => Err(field_error(col, raw)),
    }
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
fn field_error(col: &Column, raw: &str) -> (DataErrorKind, String) {
    if raw.is_empty() {
        return (
            DataErrorKind::MissingValue,
            format!("`{}` must have a value", col.name),
        );
    }
    let bad = |what: &str| {
        (
            DataErrorKind::BadValue,
            format!("`{raw}` is not {what} (column `{}`)", col.name),
        )
    };
    match col.ty {
        ColType::Enum => (
            DataErrorKind::UnknownEnumValue,
            format!(
                "`{raw}` is not one of the values of `{}`: {}",
                col.name,
                col.values.join(", ")
            ),
        ),
        ColType::Bool => bad("a bool (是/否)"),
        ColType::Int => bad("a whole number"),
        ColType::Decimal if raw.trim().parse::<f64>().is_ok() => bad("a finite number"),
        ColType::Decimal => bad("a number"),
        ColType::Date => bad("a date (YYYY-MM-DD)"),
        ColType::Datetime => bad("a datetime (YYYY-MM-DD HH:MM[:SS])"),
        ColType::Text => bad("text"),
    }
}
