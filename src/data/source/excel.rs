//! Workbooks: a table's `.xlsx` or `.xls` file in a folder (its sheet named
//! as the table, or its first), or one workbook with a sheet per table
//! (named as the table or its title). Web-based case systems save an HTML
//! table under an `.xls` name: its first `<table>` is read too. Cells are
//! read as Excel stores them (dates and datetimes as `2022-06-01 09:00:00`,
//! numbers as numbers, text as written) into records of text fields, one per
//! row, column A first: an error names its cell as Excel does
//! (`export.xlsx!hearings!E17`). A sheet is read once per run and kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{ChunkEnd, Each, Placer, Scan, Source};
use crate::data::Unreadable;
use crate::data::input::Kind;
use crate::data::{
    DataError, DataErrorKind, Problem, contains, header_key, map_header, missing_columns,
    sheet_names, table_error,
};
use crate::schema::Table;

/// One workbook with a sheet per table.
pub struct Workbook {
    path: PathBuf,
    kind: Kind,
    books: Books,
}

impl Workbook {
    pub fn new(path: &Path) -> Workbook {
        Workbook {
            path: path.to_path_buf(),
            kind: crate::data::input::kind(path).unwrap_or(Kind::Zip),
            books: Books::default(),
        }
    }
}

impl Source for Workbook {
    fn shown(&self) -> String {
        self.path.display().to_string()
    }

    fn name(&self, table: &Table) -> String {
        self.books.name(&self.path, self.kind, table, false)
    }

    fn place_of(&self, _: &Table, _: Option<&str>) -> crate::data::Place {
        crate::data::Place::Cell
    }

    fn open(&self, table: &Table, cols: &[usize]) -> Result<Box<dyn Scan + '_>, DataError> {
        Ok(Box::new(
            self.books.open(&self.path, self.kind, table, cols, false)?,
        ))
    }
}

/// A sheet read: its rows as records, each with its row number.
pub struct Sheet {
    /// `export.xlsx!hearings`.
    name: String,
    /// The header's row, then every row that is not empty, numbered as
    /// Excel numbers them.
    rows: Vec<(u64, ::csv::ByteRecord)>,
}

/// A sheet, or why it cannot be read.
type Loaded = Result<Arc<Sheet>, Unreadable>;

/// An open workbook: its shared parts (the strings every text cell points
/// into, the styles) read once for all its sheets.
type Book = calamine::Sheets<std::io::Cursor<Vec<u8>>>;

/// The sheets read so far, by workbook and table, and the workbooks open.
#[derive(Default)]
pub struct Books {
    sheets: Mutex<HashMap<(PathBuf, String), Loaded>>,
    open: Mutex<HashMap<PathBuf, Arc<Mutex<Book>>>>,
}

impl Books {
    /// Table `table`'s sheet in the workbook `path` (read once). `or_first`:
    /// a workbook holding one table, whose first sheet is read when none is
    /// named as the table.
    fn sheet(&self, path: &Path, kind: Kind, table: &Table, or_first: bool) -> Loaded {
        let key = (path.to_path_buf(), table.name.clone());
        if let Ok(m) = self.sheets.lock()
            && let Some(s) = m.get(&key)
        {
            return s.clone();
        }
        let loaded = load(self, path, kind, &sheet_names(table), or_first).map(Arc::new);
        if let Ok(mut m) = self.sheets.lock() {
            m.insert(key, loaded.clone());
        }
        loaded
    }

    /// The name errors in `table`'s sheet carry: `export.xlsx!hearings`;
    /// when it cannot be read, the workbook's name (and the table's, for a
    /// workbook of every table).
    pub fn name(&self, path: &Path, kind: Kind, table: &Table, or_first: bool) -> String {
        match self.sheet(path, kind, table, or_first) {
            Ok(s) => s.name.clone(),
            Err(_) if or_first => path.display().to_string(),
            Err(_) => format!("{}!{}", path.display(), table.name),
        }
    }

    /// A scan of `table`'s sheet with its columns `cols`.
    pub fn open(
        &self,
        path: &Path,
        kind: Kind,
        table: &Table,
        cols: &[usize],
        or_first: bool,
    ) -> Result<SheetScan, DataError> {
        let sheet = self.sheet(path, kind, table, or_first).map_err(|why| {
            table_error(
                &self.name(path, kind, table, or_first),
                DataErrorKind::Unreadable,
                Problem::Unreadable { error: why },
            )
        })?;
        let names: Vec<String> = sheet.rows.first().map_or(Vec::new(), |(_, h)| {
            h.iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_string())
                .collect()
        });
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let positions = map_header(table, cols, &names).map_err(|m| {
            let mut e = missing_columns(&sheet.name, m);
            e.line = sheet.rows.first().map_or(1, |(l, _)| *l);
            *e.place = crate::data::Place::Cell;
            e
        })?;
        Ok(SheetScan { sheet, positions })
    }
}

/// A scan of a sheet read.
pub struct SheetScan {
    sheet: Arc<Sheet>,
    positions: Vec<usize>,
}

impl Scan for SheetScan {
    fn name(&self) -> &str {
        &self.sheet.name
    }

    fn positions(&self) -> &[usize] {
        &self.positions
    }

    fn each(&mut self, _: Option<u64>, f: &mut Each<'_>, _: &mut Vec<DataError>) -> ChunkEnd {
        for (line, rec) in self.sheet.rows.iter().skip(1) {
            f(*line, rec, &self.positions);
        }
        ChunkEnd::WHOLE
    }

    fn each_holding(
        &mut self,
        needles: &[String],
        f: &mut Each<'_>,
        _: &mut Vec<DataError>,
    ) -> u64 {
        let rows = self.sheet.rows.iter().skip(1);
        for (line, rec) in rows.clone() {
            if needles
                .iter()
                .any(|n| contains(rec.as_slice(), n.as_bytes()))
            {
                f(*line, rec, &self.positions);
            }
        }
        rows.len() as u64
    }

    fn placer(&self) -> Placer {
        Placer::Cells
    }
}

/// Read a workbook's sheet (or an HTML table's rows) as records. `sheets`:
/// the names the sheet may have; `or_first`: else the first sheet.
impl Books {
    /// The workbook at `path`, opened once.
    fn book(&self, path: &Path) -> Result<Arc<Mutex<Book>>, Unreadable> {
        if let Ok(m) = self.open.lock()
            && let Some(b) = m.get(path)
        {
            return Ok(b.clone());
        }
        let wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(
            std::fs::read(path).map_err(|e| Unreadable::File { io: (&e).into() })?,
        ))
        .map_err(|e| Unreadable::Workbook {
            reader: e.to_string(),
        })?;
        let b = Arc::new(Mutex::new(wb));
        if let Ok(mut m) = self.open.lock() {
            m.insert(path.to_path_buf(), b.clone());
        }
        Ok(b)
    }
}

fn load(
    books: &Books,
    path: &Path,
    kind: Kind,
    sheets: &[&str],
    or_first: bool,
) -> Result<Sheet, Unreadable> {
    // (the 0-based row and column of the first cell, the rows of cells)
    let (first, rows, sheet_name): ((u32, u32), Vec<Vec<String>>, String) = if kind == Kind::Html {
        let bytes = std::fs::read(path).map_err(|e| Unreadable::File { io: (&e).into() })?;
        let rows = html_rows(&crate::data::input::text_of(&bytes));
        if rows.is_empty() {
            return Err(Unreadable::HtmlWithoutTable);
        }
        ((0, 0), rows, "table".to_string())
    } else {
        use calamine::Reader;
        let book = books.book(path)?;
        // A sheet is read by one thread at a time (a lock poisoned by a
        // panic elsewhere still holds a workbook that reads).
        let mut wb = book.lock().unwrap_or_else(|p| p.into_inner());
        let names = wb.sheet_names();
        let wanted: Vec<String> = sheets.iter().map(|s| header_key(s)).collect();
        let name = names
            .iter()
            .find(|n| wanted.contains(&header_key(n)))
            .or(if or_first { names.first() } else { None })
            .cloned()
            .ok_or_else(|| Unreadable::NoSheet {
                wanted: sheets.iter().map(|s| s.to_string()).collect(),
                sheets: names.clone(),
            })?;
        let range = wb.worksheet_range(&name).map_err(|e| Unreadable::Sheet {
            sheet: name.clone(),
            reader: e.to_string(),
        })?;
        let first = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        (first, rows, name)
    };
    let width = rows.first().map_or(0, Vec::len);
    let mut out = Vec::with_capacity(rows.len());
    for (i, cells) in rows.into_iter().enumerate() {
        // An empty row is no record, as an empty line of a CSV file.
        if i > 0 && cells.iter().all(String::is_empty) {
            continue;
        }
        let mut rec = ::csv::ByteRecord::new();
        // Column A first, so that a field's position is its sheet column.
        for _ in 0..first.1 {
            rec.push_field(b"");
        }
        let n = cells.len();
        for c in &cells {
            rec.push_field(c.as_bytes());
        }
        // A short row (an HTML table's) has its last cells empty.
        for _ in n..width {
            rec.push_field(b"");
        }
        out.push((first.0 as u64 + i as u64 + 1, rec));
    }
    Ok(Sheet {
        name: format!("{}!{sheet_name}", path.display()),
        rows: out,
    })
}

/// A cell as the text an export would have: the value Excel stores.
fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The rows of the first `<table>` of an HTML page, cells as text.
fn html_rows(html: &str) -> Vec<Vec<String>> {
    let lower = html.to_ascii_lowercase();
    let Some(start) = lower.find("<table") else {
        return Vec::new();
    };
    let end = lower[start..]
        .find("</table")
        .map_or(html.len(), |e| start + e);
    let (body, lbody) = (&html[start..end], &lower[start..end]);
    let mut rows = Vec::new();
    let mut at = 0;
    while let Some(r) = lbody[at..].find("<tr") {
        let r0 = at + r;
        let r1 = lbody[r0 + 3..]
            .find("<tr")
            .map_or(body.len(), |x| r0 + 3 + x);
        let (row, lrow) = (&body[r0..r1], &lbody[r0..r1]);
        let mut cells = Vec::new();
        let mut c = 0;
        while let Some(i) = lrow[c..].find('<').map(|i| c + i) {
            let is_cell = lrow[i..].starts_with("<td") || lrow[i..].starts_with("<th");
            if !is_cell {
                c = i + 1;
                continue;
            }
            let open_end = lrow[i..].find('>').map_or(row.len(), |x| i + x + 1);
            let close = ["</td", "</th", "<td", "<th", "</tr"]
                .iter()
                .filter_map(|t| lrow[open_end..].find(t).map(|x| open_end + x))
                .min()
                .unwrap_or(row.len());
            cells.push(html_text(&row[open_end..close]));
            c = close;
        }
        if !cells.is_empty() {
            rows.push(cells);
        }
        at = r1;
    }
    rows
}

/// An HTML fragment's text: tags dropped, entities decoded, spaces folded.
fn html_text(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in s.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let mut t = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    while let Some(i) = t.find("&#") {
        let Some(j) = t[i..].find(';').map(|j| i + j) else {
            break;
        };
        let code = &t[i + 2..j];
        let n = match code.strip_prefix(['x', 'X']) {
            Some(h) => u32::from_str_radix(h, 16).ok(),
            None => code.parse().ok(),
        };
        match n.and_then(char::from_u32) {
            Some(c) => t.replace_range(i..=j, &c.to_string()),
            None => break,
        }
    }
    let t = t.replace("&amp;", "&");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}
