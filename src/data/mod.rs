//! Reading the court's CSV export: one file per table, typed by the schema.
//! Only the columns the plan needs are parsed; input files are only read.

pub mod input;
mod problem;

use std::path::{Path, PathBuf};

use crate::schema::{ColType, Column, Table};
use crate::value::{Value, parse_bool, parse_date, parse_datetime};
use input::Input;
pub use problem::{Expected, MissingColumn, Problem};

/// A problem with the data, located in its file.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic, serde::Serialize)]
#[error("{file}:{line}:{column_no}: {}", crate::words::Lang::En.problem(problem))]
#[diagnostic(code(zhibiao::data))]
pub struct DataError {
    pub kind: DataErrorKind,
    pub file: String,
    pub line: u64,
    /// 1-based position of the column in the file's header.
    pub column_no: usize,
    pub column: String,
    pub value: String,
    /// What is wrong (rendered by [`crate::words`]).
    pub problem: Box<Problem>,
}

impl DataError {
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

/// An open table file with its header mapped to the schema.
pub struct TableReader {
    pub path: PathBuf,
    pub file_name: String,
    reader: csv::Reader<std::io::BufReader<Input>>,
    /// Per requested column: its index in the file.
    pub positions: Vec<usize>,
    /// Fields per record (the header's).
    width: usize,
    /// Byte offset of the reader's start in the file (0, or a chunk's start).
    base: u64,
    /// Byte offset of the first record (after the header), and the lines the
    /// header takes.
    data_start: u64,
    header_lines: u64,
    /// The file's size, and whether its last line is left without a line break.
    size: u64,
    open_end: bool,
    /// Lines end with a lone `\r`.
    lone_cr: bool,
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

/// A file's size and its last byte.
fn last_byte(path: &Path) -> std::io::Result<(u64, u8)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = Input::open(path)?;
    let size = f.len()?;
    if size == 0 {
        return Ok((0, 0));
    }
    f.seek(SeekFrom::End(-1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok((size, b[0]))
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

/// The CSV reader of every table file. Records end at a line feed only: a
/// carriage return before it (files written on Windows) stays on the last
/// field, where [`field`] drops it. Left to the reader, `\r\n` ends a record
/// at `\r`, and the `\n` is then counted to the next record, whose line is
/// reported one too low.
/// A file whose lines end with a lone `\r` (old Mac) is read with the
/// reader's own `\r`/`\n`/`\r\n` line ends.
fn builder(lone_cr: bool) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.flexible(true).buffer_capacity(1 << 16);
    if !lone_cr {
        b.terminator(csv::Terminator::Any(b'\n'));
    }
    b
}

/// Whether the file's first line ends with a `\r` alone.
fn ends_lines_with_cr(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = Input::open(path).and_then(|f| f.take(1 << 16).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    match memchr::memchr2(b'\r', b'\n', &head) {
        Some(i) if head[i] == b'\r' => head.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// Offsets that split a file into `n` chunks at line starts (after its header).
pub fn split_points(path: &Path, n: usize) -> std::io::Result<Vec<u64>> {
    use std::io::{BufRead, Seek, SeekFrom};
    let input = Input::open(path)?;
    let size = input.len()?;
    let mut f = std::io::BufReader::new(input);
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

/// The names a table's sheet may have in a workbook: its name and title.
pub fn sheet_names(table: &Table) -> Vec<&str> {
    std::iter::once(table.name.as_str())
        .chain(table.title.as_deref())
        .collect()
}

/// Where table `table` is read from in `dir`: its file (`hearings.csv`), or
/// a workbook of the same name (`hearings.xlsx`, `hearings.xls`); when `dir`
/// is itself a workbook, its sheet named as the table (`export.xlsx!hearings`).
/// A file that is not UTF-8 text is decoded here, once, so that every reader
/// (sizes, chunks, the byte search) sees the same text.
pub fn file_path(dir: &Path, table: &Table) -> PathBuf {
    let path = if dir.is_file() {
        PathBuf::from(format!("{}!{}", dir.display(), table.name))
    } else {
        let csv = dir.join(&table.file);
        let stem = Path::new(&table.file)
            .file_stem()
            .map_or(table.name.clone(), |s| s.to_string_lossy().into_owned());
        std::iter::once(csv.clone())
            .chain(["xlsx", "xls"].iter().flat_map(|e| {
                [
                    dir.join(format!("{stem}.{e}")),
                    dir.join(format!("{}.{e}", table.name)),
                ]
            }))
            .find(|p| p.is_file())
            .unwrap_or(csv)
    };
    let _ = input::decoded(&path, table.encoding, &sheet_names(table));
    path
}

impl TableReader {
    /// Open `table`'s file and find the requested columns in its header.
    pub fn open(dir: &Path, table: &Table, cols: &[usize]) -> Result<TableReader, DataError> {
        let path = file_path(dir, table);
        let file_name = path.display().to_string();
        // A workbook's sheet is named as errors name it: `export.xlsx!hearings`.
        let file_name = input::sheet_origin(&file_name).map_or(file_name, |o| o.name);
        let err = |kind, line, column: &str, problem: Problem| DataError {
            kind,
            file: file_name.clone(),
            line,
            column_no: 0,
            column: column.to_string(),
            value: String::new(),
            problem: Box::new(problem),
        };
        let open_err = |e: std::io::Error| {
            err(
                DataErrorKind::MissingFile,
                0,
                "",
                Problem::CannotOpen {
                    table: table.name.clone(),
                    error: e.to_string(),
                },
            )
        };
        match input::decoded(&path, table.encoding, &sheet_names(table)).map_err(open_err)? {
            Ok(_) => {}
            Err(input::Unreadable::Workbook(why)) => {
                return Err(err(
                    DataErrorKind::Unreadable,
                    0,
                    "",
                    Problem::Unreadable { error: why },
                ));
            }
            Err(input::Unreadable::Encoding(w)) => {
                return Err(err(
                    DataErrorKind::WrongEncoding,
                    0,
                    "",
                    Problem::WrongEncoding {
                        table: table.name.clone(),
                        declared: w.declared.name().to_string(),
                        looks: w.looks.name().to_string(),
                        declare: match w.looks {
                            input::Encoding::Gb18030 => "gbk",
                            input::Encoding::Utf16 => "utf-16",
                            _ => "utf-8",
                        }
                        .to_string(),
                    },
                ));
            }
        }
        let f = Input::open(&path).map_err(open_err)?;
        let lone_cr = ends_lines_with_cr(&path);
        let mut reader = builder(lone_cr)
            .has_headers(true)
            .from_reader(std::io::BufReader::with_capacity(1 << 16, f));
        let headers = reader
            .headers()
            .map_err(|e| {
                err(
                    DataErrorKind::BadRecord,
                    1,
                    "",
                    Problem::CannotReadHeader {
                        error: e.to_string(),
                    },
                )
            })?
            .clone();
        let names: Vec<&str> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim())
            .collect();
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
                    positions.push(usize::MAX);
                }
            }
        }
        if !missing.is_empty() {
            let first = &table.columns
                [cols[positions.iter().position(|p| *p == usize::MAX).unwrap_or(0)]]
            .name;
            return Err(err(
                DataErrorKind::MissingColumn,
                1,
                first,
                Problem::MissingColumns { columns: missing },
            ));
        }
        let width = names.len();
        let data_start = reader.position().byte();
        let header_lines = reader.position().line().saturating_sub(1);
        let (size, open_end) = last_byte(&path)
            .map(|(size, b)| (size, size > 0 && b != b'\n'))
            .unwrap_or((0, false));
        Ok(TableReader {
            path,
            file_name,
            reader,
            positions,
            width,
            base: 0,
            data_start,
            header_lines,
            size,
            open_end,
            lone_cr,
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
        let mut f = Input::open(&r.path).map_err(|e| DataError {
            kind: DataErrorKind::MissingFile,
            file: r.file_name.clone(),
            line: 0,
            column_no: 0,
            column: String::new(),
            value: String::new(),
            problem: Box::new(Problem::CannotOpen {
                table: table.name.clone(),
                error: e.to_string(),
            }),
        })?;
        let _ = f.seek(SeekFrom::Start(start));
        r.reader = builder(r.lone_cr)
            .has_headers(false)
            .from_reader(std::io::BufReader::with_capacity(1 << 16, f));
        r.base = start;
        Ok(r)
    }

    /// A record this file's reader could not take as one.
    fn bad_record(&self, line: u64, column_no: usize, problem: Problem) -> DataError {
        DataError {
            kind: DataErrorKind::BadRecord,
            file: self.file_name.clone(),
            line,
            column_no,
            column: String::new(),
            value: String::new(),
            problem: Box::new(problem),
        }
    }

    /// The error of a record whose fields do not match the header's.
    fn bad_width(&self, line: u64, fields: usize) -> DataError {
        self.bad_record(
            line,
            fields.min(self.width) + 1,
            Problem::Width {
                fields,
                header: self.width,
            },
        )
    }

    /// Call `f` for every record whose raw text holds one of `needles`, found
    /// by a substring search of the file's bytes instead of reading every record.
    /// Returns the number of records in the file, or `None`, having called
    /// nothing, when the file holds a quote: a record may then span lines,
    /// and the file must be read record by record.
    pub fn for_each_holding(
        &mut self,
        needles: &[String],
        mut f: impl FnMut(u64, &csv::ByteRecord, &[usize]),
        errors: &mut Vec<DataError>,
    ) -> Option<u64> {
        use std::io::{Read, Seek, SeekFrom};
        if self.lone_cr {
            return None;
        }
        let mut file = Input::open(&self.path).ok()?;
        file.seek(SeekFrom::Start(self.data_start)).ok()?;
        let finders: Vec<memchr::memmem::Finder> = needles
            .iter()
            .map(|n| memchr::memmem::Finder::new(n.as_bytes()))
            .collect();
        // The lines holding the needle, with their line numbers.
        let mut hits: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut line = self.header_lines + 1;
        let mut records = 0u64;
        let mut block = vec![0u8; 1 << 22];
        let mut machine = csv_core::Reader::new();
        let (mut out, mut ends) = (Vec::new(), Vec::new());
        loop {
            let n = file.read(&mut block).ok()?;
            let end = n == 0;
            buf.extend_from_slice(&block[..n]);
            // Whole lines only, but for the last piece of the file.
            let upto = match memchr::memrchr(b'\n', &buf) {
                _ if end => buf.len(),
                Some(i) => i + 1,
                None => continue,
            };
            let text = &buf[..upto];
            // A line break inside a quoted field would make lines and records
            // differ: every line with a quote must be one whole record.
            let mut checked = 0;
            for q in memchr::memchr_iter(b'"', text) {
                if q < checked {
                    continue;
                }
                let start = memchr::memrchr(b'\n', &text[..q]).map_or(0, |i| i + 1);
                let stop = memchr::memchr(b'\n', &text[q..]).map_or(text.len(), |i| q + i + 1);
                if !whole_record(&mut machine, &text[start..stop], &mut out, &mut ends) {
                    return None;
                }
                checked = stop;
            }
            // Where each needle stands, in file order.
            let mut found: Vec<usize> = finders.iter().flat_map(|f| f.find_iter(text)).collect();
            if finders.len() > 1 {
                found.sort_unstable();
            }
            let mut counted = 0;
            let mut last_start = usize::MAX;
            for at in found {
                let start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
                if start == last_start {
                    continue;
                }
                last_start = start;
                line += memchr::memchr_iter(b'\n', &text[counted..start]).count() as u64;
                counted = start;
                let stop = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
                hits.push((line, text[start..stop].to_vec()));
            }
            line += memchr::memchr_iter(b'\n', &text[counted..]).count() as u64;
            records += memchr::memchr_iter(b'\n', text).count() as u64;
            if end && !text.is_empty() && text.last() != Some(&b'\n') {
                records += 1;
            }
            buf.drain(..upto);
            if end {
                break;
            }
        }
        let mut rec = csv::ByteRecord::new();
        for (line, bytes) in hits {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes.as_slice());
            match r.read_byte_record(&mut rec) {
                Ok(true) if rec.len() == self.width => f(line, &rec, &self.positions),
                Ok(true) => errors.push(self.bad_width(line, rec.len())),
                Ok(false) => {}
                Err(e) => errors.push(self.bad_record(
                    line,
                    0,
                    Problem::CannotReadRecord {
                        error: e.to_string(),
                    },
                )),
            }
        }
        Some(records)
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
        // The reader counts no lone `\r` as a line: such lines are counted here
        // (the header is line 1; empty lines are not seen).
        let mut cr_line = 1u64;
        loop {
            match self.reader.read_byte_record(&mut rec) {
                Ok(true) if self.lone_cr => {
                    cr_line += 1;
                    let line = cr_line;
                    cr_line += memchr::memchr2_iter(b'\r', b'\n', rec.as_slice()).count() as u64;
                    last_line = line;
                    if rec.len() != width {
                        errors.push(self.bad_width(line, rec.len()));
                        continue;
                    }
                    f(line, &rec, &self.positions);
                }
                Ok(true) => {
                    let (mut line, byte) = rec.position().map_or((0, 0), |p| (p.line(), p.byte()));
                    // The reader counts the empty lines before a record to the
                    // record: its line is then the one its last line break
                    // ends, less the line breaks inside its quoted fields.
                    let end = self.reader.position();
                    let own_break = !(self.open_end && self.base + end.byte() >= self.size) as u64;
                    if end.line() > line + own_break {
                        line = end.line()
                            - own_break
                            - memchr::memchr_iter(b'\n', rec.as_slice()).count() as u64;
                    }
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
                    // The empty line of a `\r\n` file.
                    if rec.len() == 1 && rec.as_slice() == b"\r" {
                        continue;
                    }
                    if rec.len() != width {
                        errors.push(self.bad_width(line, rec.len()));
                        continue;
                    }
                    f(line, &rec, &self.positions);
                }
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    errors.push(self.bad_record(
                        line,
                        0,
                        Problem::CannotReadRecord {
                            error: e.to_string(),
                        },
                    ));
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

/// Whether `line` (with its line break, if it has one) is exactly one record
/// to a CSV reader, rather than the start of one whose quoted field goes on.
fn whole_record(
    r: &mut csv_core::Reader,
    line: &[u8],
    out: &mut Vec<u8>,
    ends: &mut Vec<usize>,
) -> bool {
    use csv_core::ReadRecordResult;
    r.reset();
    out.resize(line.len() + 1, 0);
    ends.resize(line.len() + 1, 0);
    let mut input = line;
    let mut eof = false;
    loop {
        let (res, nin, _, _) = r.read_record(input, out, ends);
        input = &input[nin..];
        match res {
            ReadRecordResult::Record => return input.is_empty() || input == b"\n",
            ReadRecordResult::InputEmpty if !eof => {
                // No line break: the end of the file ends the record.
                if line.last() == Some(&b'\n') {
                    return false;
                }
                eof = true;
            }
            _ => return false,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    /// Records found: (line, first field).
    type Found = Vec<(u64, String)>;

    /// The records a search for `needle` finds, as (line, first field), and
    /// the same read record by record, keeping those that hold it.
    fn both(name: &str, text: &str, needle: &str) -> (Option<Found>, Found) {
        let schema = Schema::load(Path::new("policies/schema.yaml")).expect("schema");
        let table = &schema.tables[schema.table("archives").expect("archives")];
        let dir =
            std::env::temp_dir().join(format!("zhibiao-search-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join(&table.file), text).expect("write");
        let mut searched = Vec::new();
        let mut r = TableReader::open(&dir, table, &[0]).expect("open");
        let n = r.for_each_holding(
            &[needle.to_string()],
            |line, rec, _| searched.push((line, field(rec, 0).unwrap_or("").to_string())),
            &mut Vec::new(),
        );
        let mut read = Vec::new();
        let mut r = TableReader::open(&dir, table, &[0]).expect("open");
        r.for_each(
            |line, rec, _| {
                if contains(rec.as_slice(), needle.as_bytes()) {
                    read.push((line, field(rec, 0).unwrap_or("").to_string()));
                }
            },
            &mut Vec::new(),
        );
        let _ = std::fs::remove_dir_all(&dir);
        (n.map(|_| searched), read)
    }

    const HEAD: &str = "case_id,archived_on,mode,confirmed\n";

    #[test]
    fn a_search_finds_what_reading_every_record_finds() {
        let text = format!(
            "{HEAD}A1,2022-01-01,单套制,是\nB2,2022-01-02,\"双套\"\"制\"\"\",否\r\nA1x,2022-01-03,单套制,是\r\n\r\n\nC3,2022-01-04,单套制,A1\nD4,2022-01-05,\"单套\n制\",否\n\nA1y,2022-01-06,单套制,是"
        );
        let (searched, read) = both("plain", &text, "A1");
        // Lines as an editor numbers them: `\r\n` or `\n`, after empty lines
        // and after a record whose quoted field holds a line break.
        assert_eq!(
            read,
            vec![
                (2, "A1".into()),
                (4, "A1x".into()),
                (7, "C3".into()),
                (11, "A1y".into())
            ]
        );
        // The search gives way to the quoted line break; without it, agrees.
        assert_eq!(searched, None);
        let plain = text.replace("\"单套\n制\"", "单套制");
        let (searched, read) = both("plain2", &plain, "A1");
        assert_eq!(read.last(), Some(&(10, "A1y".into())));
        assert_eq!(searched, Some(read));
    }

    #[test]
    fn a_line_break_inside_quotes_makes_the_search_give_way() {
        let text = format!("{HEAD}A1,2022-01-01,\"单套\n制\",是\nA1,2022-01-02,单套制,是\n");
        let (searched, read) = both("quoted", &text, "A1");
        assert_eq!(searched, None);
        assert_eq!(read, vec![(2, "A1".into()), (4, "A1".into())]);
    }
}
