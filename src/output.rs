//! The files a report is written to: the format a file's name implies, and CSV
//! in the encoding a spreadsheet opens without mojibake.

use std::path::Path;

/// Every format a command may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Csv,
    Markdown,
    Dot,
    Mermaid,
}

/// File extensions and the format each names (matched without regard to case).
pub const EXTENSIONS: &[(&str, Format)] = &[
    ("txt", Format::Human),
    ("json", Format::Json),
    ("csv", Format::Csv),
    ("md", Format::Markdown),
    ("markdown", Format::Markdown),
    ("dot", Format::Dot),
    ("gv", Format::Dot),
    ("mmd", Format::Mermaid),
];

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Dot => "dot",
            Format::Mermaid => "mermaid",
        }
    }

    /// The extension a file of this format is given.
    pub fn extension(self) -> &'static str {
        EXTENSIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("txt", |(e, _)| e)
    }
}

/// The format a file's extension names, if it names one.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    EXTENSIONS.iter().find(|(e, _)| *e == ext).map(|(_, f)| *f)
}

fn list(formats: &[Format]) -> String {
    let exts: Vec<String> = EXTENSIONS
        .iter()
        .filter(|(_, f)| formats.contains(f))
        .map(|(e, f)| format!(".{e} ({})", f.name()))
        .collect();
    exts.join(", ")
}

/// Why a command cannot write what it was asked to; [`crate::words`] says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    UnknownExtension {
        path: String,
        known: String,
    },
    Contradicts {
        given: &'static str,
        path: String,
        implied: &'static str,
        suggest: String,
    },
    Unsupported {
        command: &'static str,
        format: &'static str,
        path: String,
        known: String,
    },
    EncodingWithoutCsv {
        format: &'static str,
    },
    NotGbk {
        ch: char,
        code: u32,
        line: usize,
    },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::words::Lang::En.output_error(self).0)
    }
}

impl std::error::Error for OutputError {}

/// The format to write: `--format` when given, else the one `output`'s
/// extension names, else the command's first (its terminal layout).
/// `supported` lists the formats the command writes, its default first. A
/// `--format` that names another format than a known extension is an error:
/// the file would be misnamed.
pub fn resolve(
    command: &'static str,
    explicit: Option<Format>,
    output: Option<&Path>,
    supported: &[Format],
) -> Result<Format, OutputError> {
    let default = supported.first().copied().unwrap_or(Format::Human);
    let implied = output.and_then(format_of);
    let shown = || output.map(|p| p.display().to_string()).unwrap_or_default();
    match (explicit, implied) {
        (Some(f), Some(i)) if f != i => Err(OutputError::Contradicts {
            given: f.name(),
            path: shown(),
            implied: i.name(),
            suggest: output
                .map(|p| p.with_extension(f.extension()).display().to_string())
                .unwrap_or_default(),
        }),
        (Some(f), _) => Ok(f),
        (None, Some(i)) if supported.contains(&i) => Ok(i),
        (None, Some(i)) => Err(OutputError::Unsupported {
            command,
            format: i.name(),
            path: shown(),
            known: list(supported),
        }),
        (None, None) if output.is_some() => Err(OutputError::UnknownExtension {
            path: shown(),
            known: list(supported),
        }),
        (None, None) => Ok(default),
    }
}

/// How a CSV file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 after a byte order mark: Excel reads it as UTF-8 (without the
    /// mark it takes the file for the system's code page, GBK in China).
    #[default]
    Utf8Bom,
    /// UTF-8 alone, for programs that do not expect a mark.
    Utf8,
    /// GBK (code page 936), for older spreadsheet programs.
    Gbk,
}

/// The bytes of a CSV text in `enc`. A character GBK cannot write is an
/// error, never a `?` or an HTML reference in the file.
pub fn encode_csv(text: &str, enc: CsvEncoding) -> Result<Vec<u8>, OutputError> {
    match enc {
        CsvEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
        CsvEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(text.len() + 3);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
            Ok(out)
        }
        CsvEncoding::Gbk => {
            let mut encoder = encoding_rs::GBK.new_encoder();
            let mut out = Vec::with_capacity(text.len());
            let mut rest = text;
            loop {
                let room = encoder
                    .max_buffer_length_from_utf8_without_replacement(rest.len())
                    .unwrap_or(rest.len() * 4 + 16);
                let start = out.len();
                out.resize(start + room, 0);
                let (result, read, written) =
                    encoder.encode_from_utf8_without_replacement(rest, &mut out[start..], true);
                out.truncate(start + written);
                let done = text.len() - rest.len() + read;
                rest = &rest[read..];
                match result {
                    encoding_rs::EncoderResult::InputEmpty => return Ok(out),
                    encoding_rs::EncoderResult::OutputFull => continue,
                    encoding_rs::EncoderResult::Unmappable(ch) => {
                        let before = &text[..done];
                        return Err(OutputError::NotGbk {
                            ch,
                            code: ch as u32,
                            line: before.matches('\n').count() + 1,
                        });
                    }
                }
            }
        }
    }
}

/// Whether a spreadsheet would take a text cell for a formula: Excel reads one
/// that starts with `=`, `+`, `-` or `@` as one.
pub fn is_formula_like(cell: &str) -> bool {
    matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_names_the_format() {
        assert_eq!(format_of(Path::new("周通报.MD")), Some(Format::Markdown));
        assert_eq!(format_of(Path::new("a/b.csv")), Some(Format::Csv));
        assert_eq!(format_of(Path::new("report")), None);
        assert_eq!(format_of(Path::new("report.xlsx")), None);
    }

    #[test]
    fn resolve_prefers_an_agreeing_format_and_refuses_a_contradiction() {
        let all = [Format::Human, Format::Json, Format::Csv, Format::Markdown];
        let md = Path::new("周通报.md");
        assert_eq!(
            resolve("eval", None, Some(md), &all).ok(),
            Some(Format::Markdown)
        );
        assert_eq!(resolve("eval", None, None, &all).ok(), Some(Format::Human));
        assert!(matches!(
            resolve("eval", Some(Format::Csv), Some(md), &all),
            Err(OutputError::Contradicts { .. })
        ));
        // An extension that names no format is fine with `--format`.
        assert_eq!(
            resolve("eval", Some(Format::Csv), Some(Path::new("out.dat")), &all).ok(),
            Some(Format::Csv)
        );
        assert!(matches!(
            resolve("eval", None, Some(Path::new("out.dat")), &all),
            Err(OutputError::UnknownExtension { .. })
        ));
        assert!(matches!(
            resolve("history", None, Some(md), &[Format::Human, Format::Json]),
            Err(OutputError::Unsupported { .. })
        ));
    }

    #[test]
    fn gbk_round_trips_and_names_what_it_cannot_write() {
        let text = "部门,目标\n民事庭,≥60%\n";
        let bytes = encode_csv(text, CsvEncoding::Gbk).expect("gbk");
        let (back, _, bad) = encoding_rs::GBK.decode(&bytes);
        assert!(!bad);
        assert_eq!(back, text);
        let err = encode_csv("a\nb ✓\n", CsvEncoding::Gbk).expect_err("✓ is not GBK");
        assert_eq!(err.to_string(), "`✓` (U+2713, line 2) has no GBK form");
    }
}
