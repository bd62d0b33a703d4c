//! The bytes of a table file as UTF-8, whatever encoding the export was
//! saved in, and what a file really is (text, a workbook, an HTML table).
//! A UTF-8 file (with or without BOM) is read from disk as it is; a
//! GBK/GB18030 or UTF-16 file (what Excel on a Chinese Windows machine saves)
//! is decoded once into memory, kept by the source reading it ([`Texts`]),
//! and read from there, so every reader of the engine (chunks, the byte
//! search of explain, the header) sees the same UTF-8 text with the same
//! lines. No temporary file is written and the input file is never changed.

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

/// The text files one source has looked at, by path and modification
/// time: the decoded text of a file that is not UTF-8 (`Some`), or `None`
/// for a UTF-8 file read from disk as it is. Each file is looked at once.
#[derive(Default)]
pub struct Texts(Mutex<TextMap>);

type TextMap = HashMap<PathBuf, (Option<std::time::SystemTime>, Option<Arc<[u8]>>)>;

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

/// What the file at `path` is, from its first bytes; `None` when it cannot be read.
pub fn kind(path: &Path) -> Option<Kind> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .ok()?;
    Some(Kind::of(&head))
}

/// The text of a file that is not UTF-8 (an HTML export's), decoded as
/// its bytes say: a BOM, UTF-8, else GB18030.
pub fn text_of(bytes: &[u8]) -> String {
    match sniff(bytes, true) {
        Encoding::Gb18030 => encoding_rs::GB18030.decode(bytes).0.into_owned(),
        Encoding::Utf16 => encoding_rs::UTF_16LE.decode(bytes).0.into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

impl Texts {
    /// Look at a text file's encoding once: a UTF-8 file (with or without BOM)
    /// is then read from disk as it is, a file in another encoding from its
    /// text decoded into memory (see [`Texts::open`]). `Err` when its bytes are
    /// not in the encoding `declared`.
    pub fn decoded(
        &self,
        path: &Path,
        declared: Encoding,
    ) -> std::io::Result<Result<(), WrongEncoding>> {
        let mut f = std::fs::File::open(path)?;
        let mtime = f.metadata().and_then(|m| m.modified()).ok();
        if let Ok(c) = self.0.lock()
            && let Some((t, _)) = c.get(path)
            && *t == mtime
        {
            return Ok(Ok(()));
        }
        let mut head = Vec::new();
        (&mut f).take(SNIFF as u64).read_to_end(&mut head)?;
        let complete = head.len() < SNIFF;
        let looks = sniff(&head, complete);
        let enc = match (declared, looks) {
            (Encoding::Auto, l) => l,
            (d, l) if d == l => d,
            // UTF-16 has a BOM; a declared GBK file that is valid UTF-8 (pure
            // ASCII, say) reads the same either way.
            (Encoding::Gb18030, Encoding::Utf8) => Encoding::Utf8,
            (d, l) => {
                return Ok(Err(WrongEncoding {
                    declared: d,
                    looks: l,
                }));
            }
        };
        if enc == Encoding::Utf8 {
            if let Ok(mut c) = self.0.lock() {
                c.insert(path.to_path_buf(), (mtime, None));
            }
            return Ok(Ok(()));
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
        if let Ok(mut c) = self.0.lock() {
            c.insert(path.to_path_buf(), (mtime, Some(bytes)));
        }
        Ok(Ok(()))
    }

    /// Open a file already looked at (see [`Texts::decoded`]): its decoded
    /// text, or the file itself.
    pub fn open(&self, path: &Path) -> std::io::Result<Input> {
        if let Ok(c) = self.0.lock()
            && let Some((_, Some(bytes))) = c.get(path)
        {
            return Ok(Input::Memory(std::io::Cursor::new(bytes.clone())));
        }
        std::fs::File::open(path).map(Input::File)
    }

    /// The size of a table file's text (decoded, where it is).
    pub fn size(&self, path: &Path) -> u64 {
        self.open(path).and_then(|i| i.len()).unwrap_or(0)
    }
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
