//! The bytes of a table file as UTF-8, whatever encoding the export was
//! saved in. A UTF-8 file (with or without BOM) is read from disk as it is;
//! a GBK/GB18030 or UTF-16 file (what Excel on a Chinese Windows machine
//! saves) is decoded once into memory and read from there, so every reader of
//! the engine (chunks, the byte search of explain, the header) sees the same
//! UTF-8 text with the same lines. No temporary file is written and the input
//! file is never changed.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The encodings an export may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// Detect: a BOM, else UTF-8 when the start of the file is, else GB18030.
    Auto,
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    /// GBK is read as GB18030, its superset.
    #[serde(alias = "gbk")]
    Gb18030,
    #[serde(rename = "utf-16", alias = "utf16")]
    Utf16,
}

impl Encoding {
    pub fn name(&self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GBK/GB18030",
            Encoding::Utf16 => "UTF-16",
        }
    }

    pub fn parse(s: &str) -> Option<Encoding> {
        Some(match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Encoding::Auto,
            "utf-8" | "utf8" => Encoding::Utf8,
            "gbk" | "gb18030" | "gb2312" => Encoding::Gb18030,
            "utf-16" | "utf16" => Encoding::Utf16,
            _ => return None,
        })
    }
}

/// How much of a file is looked at to tell its encoding.
const SNIFF: usize = 1 << 20;

/// What the start of a file says of its encoding.
fn sniff(head: &[u8], complete: bool) -> Encoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Encoding::Utf16;
    }
    match std::str::from_utf8(head) {
        Ok(_) => Encoding::Utf8,
        // Cut in the middle of a character at the end of the sniffed block.
        Err(e) if !complete && e.error_len().is_none() => Encoding::Utf8,
        // Not UTF-8: GBK when it all reads as GB18030 (to the last whole
        // line); a UTF-8 file with a stray byte stays UTF-8, and the field
        // holding that byte is the error.
        Err(_) => {
            let upto = match (complete, memchr::memrchr(b'\n', head)) {
                (false, Some(i)) => i + 1,
                _ => head.len(),
            };
            let (_, bad) = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(&head[..upto])
                .map_or(((), true), |_| ((), false));
            if bad {
                Encoding::Utf8
            } else {
                Encoding::Gb18030
            }
        }
    }
}

/// A file whose bytes are not in the encoding it was declared in.
#[derive(Debug, Clone)]
pub struct WrongEncoding {
    pub declared: Encoding,
    pub looks: Encoding,
}

/// Files looked at, by path and modification time: the decoded text of a
/// file that is not UTF-8 text (`Some`), or `None` for a UTF-8 file read
/// from disk as it is. Each file is looked at once per run.
type Cache = Mutex<HashMap<PathBuf, (Option<std::time::SystemTime>, Option<Arc<[u8]>>)>>;
static DECODED: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();

fn cache() -> &'static Cache {
    DECODED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// What a file is, from its first bytes: whatever its name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A zip archive: an `.xlsx` workbook.
    Zip,
    /// An OLE compound file: an `.xls` workbook of Excel 97–2003.
    Ole,
    /// An HTML table, as web-based case systems save under an `.xls` name.
    Html,
}

impl Kind {
    pub fn of(head: &[u8]) -> Kind {
        if head.starts_with(b"PK\x03\x04") {
            return Kind::Zip;
        }
        if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Kind::Ole;
        }
        let text = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_ascii_lowercase();
        let t = text.trim_start_matches('\u{feff}').trim_start();
        if (t.starts_with('<') && (t.contains("<table") || t.contains("<html")))
            || t.starts_with("<!doctype html")
        {
            return Kind::Html;
        }
        Kind::Text
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

/// A sheet read from a workbook: where it came from, for error locations.
#[derive(Debug, Clone)]
pub struct SheetOrigin {
    /// `export.xlsx!hearings`.
    pub name: String,
    /// The row and column (0-based) of the sheet's first used cell.
    pub first: (u32, u32),
}

static SHEETS: std::sync::OnceLock<Mutex<HashMap<String, SheetOrigin>>> =
    std::sync::OnceLock::new();

/// The sheet a table's text was read from, by the name errors carry.
pub fn sheet_origin(file: &str) -> Option<SheetOrigin> {
    SHEETS.get()?.lock().ok()?.get(file).cloned()
}

/// A workbook's sheet (or an HTML table's rows) as CSV text, one line per
/// row: cells as Excel stores them (dates and datetimes as `2022-06-01
/// 09:00:00`, numbers as numbers), text as written.
/// A sheet's CSV text, its name, and its first used cell (row, column).
type Sheet = (Vec<u8>, String, (u32, u32));

/// `sheets`: the names the sheet may have; `or_first`: else the first sheet
/// (a workbook holding one table).
fn sheet_text(path: &Path, kind: Kind, sheets: &[&str], or_first: bool) -> Result<Sheet, String> {
    let rows: Vec<Vec<String>>;
    let mut first = (0, 0);
    let sheet_name;
    if kind == Kind::Html {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        let enc = sniff(&bytes, true);
        let text = match enc {
            Encoding::Gb18030 => encoding_rs::GB18030.decode(&bytes).0.into_owned(),
            Encoding::Utf16 => encoding_rs::UTF_16LE.decode(&bytes).0.into_owned(),
            _ => String::from_utf8_lossy(&bytes).into_owned(),
        };
        rows = html_rows(&text);
        if rows.is_empty() {
            return Err("the file is an HTML page without a table".into());
        }
        sheet_name = "table".to_string();
    } else {
        use calamine::Reader;
        let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(
            std::fs::read(path).map_err(|e| e.to_string())?,
        ))
        .map_err(|e| format!("cannot read the workbook: {e}"))?;
        let names = wb.sheet_names();
        let key = |s: &str| super::header_key(s);
        let wanted: Vec<String> = sheets.iter().map(|s| key(s)).collect();
        let name = names
            .iter()
            .find(|n| wanted.contains(&key(n)))
            .or(if or_first { names.first() } else { None })
            .cloned()
            .ok_or_else(|| {
                format!(
                    "the workbook has no sheet named {}; its sheets: {}",
                    sheets
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(" or "),
                    names
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("cannot read the sheet `{name}`: {e}"))?;
        first = range.start().unwrap_or((0, 0));
        rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        sheet_name = name;
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for r in &rows {
        // A line break inside a cell would make lines and rows differ.
        let r: Vec<String> = r.iter().map(|c| c.replace(['\r', '\n'], " ")).collect();
        w.write_record(&r).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    Ok((bytes, sheet_name, first))
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

/// A file whose bytes cannot be a table.
#[derive(Debug, Clone)]
pub enum Unreadable {
    Encoding(WrongEncoding),
    /// A workbook or HTML export that could not be read, with why.
    Workbook(String),
}

/// The file's text as UTF-8: `None` when the file is UTF-8 and is read from
/// disk as it is, the decoded bytes otherwise (a workbook's sheet as CSV
/// text). `sheets`: the names the table's sheet may have (its name, title).
pub fn decoded(
    path: &Path,
    declared: Encoding,
    sheets: &[&str],
) -> std::io::Result<Result<Option<Arc<[u8]>>, Unreadable>> {
    let (real, sheet) = workbook_part(path);
    let mut f = std::fs::File::open(real)?;
    let mtime = f.metadata().and_then(|m| m.modified()).ok();
    if let Ok(c) = cache().lock()
        && let Some((t, bytes)) = c.get(path)
        && *t == mtime
    {
        return Ok(Ok(bytes.clone()));
    }
    let mut head = Vec::new();
    (&mut f).take(SNIFF as u64).read_to_end(&mut head)?;
    let kind = Kind::of(&head);
    if kind != Kind::Text || sheet.is_some() {
        let mut names: Vec<&str> = sheet.into_iter().collect();
        for n in sheets {
            if !names.contains(n) {
                names.push(n);
            }
        }
        // A sheet of a workbook of every table must be named as its table.
        let (bytes, sheet_name, first) = match sheet_text(real, kind, &names, sheet.is_none()) {
            Ok(x) => x,
            Err(why) => return Ok(Err(Unreadable::Workbook(why))),
        };
        let bytes: Arc<[u8]> = Arc::from(bytes.into_boxed_slice());
        let origin = SheetOrigin {
            name: format!("{}!{sheet_name}", real.display()),
            first,
        };
        let shown = path.display().to_string();
        if let Ok(mut m) = SHEETS.get_or_init(|| Mutex::new(HashMap::new())).lock() {
            m.insert(origin.name.clone(), origin.clone());
            m.insert(shown, origin);
        }
        if let Ok(mut c) = cache().lock() {
            c.insert(path.to_path_buf(), (mtime, Some(bytes.clone())));
        }
        return Ok(Ok(Some(bytes)));
    }
    let complete = head.len() < SNIFF;
    let looks = sniff(&head, complete);
    let enc = match (declared, looks) {
        (Encoding::Auto, l) => l,
        (d, l) if d == l => d,
        // UTF-16 has a BOM; a declared GBK file that is valid UTF-8 (pure
        // ASCII, say) reads the same either way.
        (Encoding::Gb18030, Encoding::Utf8) => Encoding::Utf8,
        (d, l) => {
            return Ok(Err(Unreadable::Encoding(WrongEncoding {
                declared: d,
                looks: l,
            })));
        }
    };
    if enc == Encoding::Utf8 {
        if let Ok(mut c) = cache().lock() {
            c.insert(path.to_path_buf(), (mtime, None));
        }
        return Ok(Ok(None));
    }
    let mut all = Vec::new();
    f.seek(SeekFrom::Start(0))?;
    f.read_to_end(&mut all)?;
    let text = match enc {
        Encoding::Utf16 => {
            let (t, _, _) = encoding_rs::UTF_16LE.decode(&all);
            t
        }
        _ => {
            let (t, _) = encoding_rs::GB18030.decode_without_bom_handling(&all);
            t
        }
    };
    let bytes: Arc<[u8]> = Arc::from(text.into_owned().into_bytes().into_boxed_slice());
    if let Ok(mut c) = cache().lock() {
        c.insert(path.to_path_buf(), (mtime, Some(bytes.clone())));
    }
    Ok(Ok(Some(bytes)))
}

/// A table of a workbook of every table is named `export.xlsx!hearings`:
/// the workbook's path and the table.
fn workbook_part(path: &Path) -> (&Path, Option<&str>) {
    let s = path.to_str().unwrap_or("");
    if !path.exists()
        && let Some((w, t)) = s.rsplit_once('!')
        && Path::new(w).is_file()
    {
        return (Path::new(w), Some(t));
    }
    (path, None)
}

/// A table file's bytes to read: the file itself, or its decoded text.
pub enum Input {
    File(std::fs::File),
    Memory(std::io::Cursor<Arc<[u8]>>),
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Input::File(f) => f.read(buf),
            Input::Memory(m) => m.read(buf),
        }
    }
}

impl Seek for Input {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Input::File(f) => f.seek(pos),
            Input::Memory(m) => m.seek(pos),
        }
    }
}

impl Input {
    /// Open a file already decoded or known to be UTF-8 (see [`decoded`]).
    pub fn open(path: &Path) -> std::io::Result<Input> {
        if let Ok(c) = cache().lock()
            && let Some((_, Some(bytes))) = c.get(path)
        {
            return Ok(Input::Memory(std::io::Cursor::new(bytes.clone())));
        }
        std::fs::File::open(path).map(Input::File)
    }

    pub fn len(&self) -> std::io::Result<u64> {
        match self {
            Input::File(f) => f.metadata().map(|m| m.len()),
            Input::Memory(m) => Ok(m.get_ref().len() as u64),
        }
    }

    pub fn is_empty(&self) -> std::io::Result<bool> {
        self.len().map(|n| n == 0)
    }
}

/// The size of a table file's text (decoded, where it is).
pub fn size(path: &Path) -> u64 {
    Input::open(path).and_then(|i| i.len()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_boms_utf8_and_gbk() {
        assert_eq!(sniff(b"\xEF\xBB\xBFa,b\n", true), Encoding::Utf8);
        assert_eq!(sniff(b"\xFF\xFEa\0", true), Encoding::Utf16);
        assert_eq!(sniff("案号,部门\n".as_bytes(), true), Encoding::Utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode("案号,部门\n");
        assert_eq!(sniff(&gbk, true), Encoding::Gb18030);
        // UTF-8 with one stray byte is UTF-8 with a bad field, not GBK.
        let mut stray = "案号,部门\nC1,民事庭\n".as_bytes().to_vec();
        stray.insert(13, 0xFF);
        assert_eq!(sniff(&stray, true), Encoding::Utf8);
        // A character cut at the end of the sniffed block is still UTF-8.
        let cut = &"案号".as_bytes()[..4];
        assert_eq!(sniff(cut, false), Encoding::Utf8);
    }

    #[test]
    fn names() {
        assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::parse("utf_8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("latin1"), None);
    }
}
