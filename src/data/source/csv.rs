//! A folder of table files: each table's CSV file (UTF-8, GBK/GB18030 or
//! UTF-16, see [`crate::data::input`]), or a workbook of the same name read
//! by [`super::excel`]. A large CSV file is split at line starts into chunks
//! read on every core; the key filter is a search of the file's bytes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{ChunkEnd, Each, Scan, Source};
use crate::data::input::{self, Input, Kind, Texts};
use crate::data::{
    DataError, DataErrorKind, Place, Problem, contains, map_header, missing_columns, table_error,
};
use crate::schema::Table;

/// The tables of a folder, one file each.
pub struct Folder {
    dir: PathBuf,
    books: super::excel::Books,
    /// The CSV files looked at (and decoded, when not UTF-8).
    texts: Arc<Texts>,
}

/// Where a table is in a folder.
enum Found {
    Csv(PathBuf),
    /// A workbook (or an HTML table under an `.xls` name).
    Book(PathBuf, Kind),
}

impl Folder {
    pub fn new(dir: &Path) -> Folder {
        Folder {
            dir: dir.to_path_buf(),
            books: super::excel::Books::default(),
            texts: Arc::default(),
        }
    }

    /// Table `table`'s file (`hearings.csv`), or a workbook of the same name
    /// (`hearings.xlsx`, `hearings.xls`); what it is from its first bytes,
    /// whatever its name says.
    fn find(&self, table: &Table) -> Found {
        let dir = &self.dir;
        let csv = dir.join(&table.file);
        let stem = Path::new(&table.file)
            .file_stem()
            .map_or(table.name.clone(), |s| s.to_string_lossy().into_owned());
        let path = std::iter::once(csv.clone())
            .chain(["xlsx", "xls"].iter().flat_map(|e| {
                [
                    dir.join(format!("{stem}.{e}")),
                    dir.join(format!("{}.{e}", table.name)),
                ]
            }))
            .find(|p| p.is_file())
            .unwrap_or(csv);
        match input::kind(&path) {
            Some(k) if k != Kind::Text => Found::Book(path, k),
            _ => Found::Csv(path),
        }
    }
}

impl Source for Folder {
    fn shown(&self) -> String {
        self.dir.display().to_string()
    }

    fn name(&self, table: &Table) -> String {
        match self.find(table) {
            Found::Csv(p) => p.display().to_string(),
            Found::Book(p, k) => self.books.name(&p, k, table, true),
        }
    }

    fn open(&self, table: &Table, cols: &[usize]) -> Result<Box<dyn Scan + '_>, DataError> {
        match self.find(table) {
            Found::Csv(p) => Ok(Box::new(TableReader::open(&p, table, cols, &self.texts)?)),
            Found::Book(p, k) => Ok(Box::new(self.books.open(&p, k, table, cols, true)?)),
        }
    }

    fn size(&self, table: &Table) -> u64 {
        match self.find(table) {
            Found::Csv(p) => {
                // A file in another encoding is measured as the text read.
                let _ = self.texts.decoded(&p, table.encoding);
                self.texts.size(&p)
            }
            Found::Book(..) => 0,
        }
    }

    fn split_points(&self, table: &Table, n: usize) -> Vec<u64> {
        match self.find(table) {
            Found::Csv(p) => {
                let _ = self.texts.decoded(&p, table.encoding);
                split_points(&p, n, &self.texts).unwrap_or_default()
            }
            Found::Book(..) => Vec::new(),
        }
    }

    fn place_of(&self, table: &Table, _: Option<&str>) -> Place {
        match self.find(table) {
            Found::Csv(_) => Place::Line,
            Found::Book(..) => Place::Cell,
        }
    }

    fn open_at(
        &self,
        table: &Table,
        cols: &[usize],
        start: u64,
    ) -> Result<Box<dyn Scan + '_>, DataError> {
        match (self.find(table), start) {
            (Found::Csv(p), s) if s > 0 => Ok(Box::new(TableReader::open_at(
                &p,
                table,
                cols,
                s,
                &self.texts,
            )?)),
            _ => self.open(table, cols),
        }
    }
}

impl Scan for TableReader {
    fn name(&self) -> &str {
        &self.file_name
    }

    fn positions(&self) -> &[usize] {
        &self.positions
    }

    fn each(
        &mut self,
        stop: Option<u64>,
        f: &mut Each<'_>,
        errors: &mut Vec<DataError>,
    ) -> ChunkEnd {
        self.for_each_until(stop, f, errors)
    }

    /// The lines holding a needle, found by a search of the file's bytes;
    /// when a record may span lines (a quote in the file), every record is
    /// read and those holding one kept.
    fn each_holding(
        &mut self,
        needles: &[String],
        f: &mut Each<'_>,
        errors: &mut Vec<DataError>,
    ) -> u64 {
        if let Some(n) = self.for_each_holding(needles, &mut *f, errors) {
            return n;
        }
        let mut rows = 0;
        self.for_each_until(
            None,
            |line, rec, pos| {
                rows += 1;
                if needles
                    .iter()
                    .any(|n| contains(rec.as_slice(), n.as_bytes()))
                {
                    f(line, rec, pos);
                }
            },
            errors,
        );
        rows
    }
}

/// An open CSV file with its header mapped to the schema.
pub struct TableReader {
    pub path: PathBuf,
    /// The source's text files (this one's decoded text, when it is not UTF-8).
    texts: Arc<Texts>,
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

/// A file's size and its last byte.
fn last_byte(path: &Path, texts: &Texts) -> std::io::Result<(u64, u8)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = texts.open(path)?;
    let size = f.len()?;
    if size == 0 {
        return Ok((0, 0));
    }
    f.seek(SeekFrom::End(-1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok((size, b[0]))
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
fn ends_lines_with_cr(path: &Path, texts: &Texts) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = texts
        .open(path)
        .and_then(|f| f.take(1 << 16).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    match memchr::memchr2(b'\r', b'\n', &head) {
        Some(i) if head[i] == b'\r' => head.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}
/// Offsets that split a file into `n` chunks at line starts (after its header).
pub fn split_points(path: &Path, n: usize, texts: &Texts) -> std::io::Result<Vec<u64>> {
    use std::io::{BufRead, Seek, SeekFrom};
    let input = texts.open(path)?;
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

impl TableReader {
    /// Open the table file `path` and find `table`'s columns `cols` in its header.
    pub fn open(
        path: &Path,
        table: &Table,
        cols: &[usize],
        texts: &Arc<Texts>,
    ) -> Result<TableReader, DataError> {
        let path = path.to_path_buf();
        let file_name = path.display().to_string();
        let err = |kind, line, problem: Problem| {
            let mut e = table_error(&file_name, kind, problem);
            e.line = line;
            e
        };
        let open_err = |e: std::io::Error| {
            err(
                DataErrorKind::MissingFile,
                0,
                Problem::CannotOpen {
                    table: table.name.clone(),
                    error: (&e).into(),
                },
            )
        };
        if let Err(w) = texts.decoded(&path, table.encoding).map_err(open_err)? {
            return Err(err(
                DataErrorKind::WrongEncoding,
                0,
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
        let f = texts.open(&path).map_err(open_err)?;
        let lone_cr = ends_lines_with_cr(&path, texts);
        let mut reader = builder(lone_cr)
            .has_headers(true)
            .from_reader(std::io::BufReader::with_capacity(1 << 16, f));
        let headers = reader
            .headers()
            .map_err(|e| {
                err(
                    DataErrorKind::BadRecord,
                    1,
                    Problem::CannotReadHeader { error: (&e).into() },
                )
            })?
            .clone();
        let names: Vec<&str> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim())
            .collect();
        let positions =
            map_header(table, cols, &names).map_err(|m| missing_columns(&file_name, m))?;
        let width = names.len();
        let data_start = reader.position().byte();
        let header_lines = reader.position().line().saturating_sub(1);
        let (size, open_end) = last_byte(&path, texts)
            .map(|(size, b)| (size, size > 0 && b != b'\n'))
            .unwrap_or((0, false));
        Ok(TableReader {
            path,
            texts: texts.clone(),
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
        path: &Path,
        table: &Table,
        cols: &[usize],
        start: u64,
        texts: &Arc<Texts>,
    ) -> Result<TableReader, DataError> {
        use std::io::{Seek, SeekFrom};
        let mut r = TableReader::open(path, table, cols, texts)?;
        let mut f = texts.open(&r.path).map_err(|e| {
            table_error(
                &r.file_name,
                DataErrorKind::MissingFile,
                Problem::CannotOpen {
                    table: table.name.clone(),
                    error: (&e).into(),
                },
            )
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
            place: Box::default(),
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
        let mut file = self.texts.open(&self.path).ok()?;
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
                    Problem::CannotReadRecord { error: (&e).into() },
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
                        Problem::CannotReadRecord { error: (&e).into() },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::field;
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
        let mut r =
            TableReader::open(&dir.join(&table.file), table, &[0], &Arc::default()).expect("open");
        let n = r.for_each_holding(
            &[needle.to_string()],
            |line, rec, _| searched.push((line, field(rec, 0).unwrap_or("").to_string())),
            &mut Vec::new(),
        );
        let mut read = Vec::new();
        let mut r =
            TableReader::open(&dir.join(&table.file), table, &[0], &Arc::default()).expect("open");
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
