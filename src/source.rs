//! Source files as read from disk, kept for diagnostics.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A policy file that is not UTF-8 text, with the encoding it looks saved
/// in (said by the catalogues: [`crate::words::fault::Io::NotUtf8`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8 {
    /// It reads as GBK/GB18030.
    pub gbk: bool,
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let io = crate::words::fault::Io::NotUtf8 { gbk: self.gbk };
        f.write_str(&crate::words::Lang::En.io(&io))
    }
}

impl std::error::Error for NotUtf8 {}

/// One file's text and the name it is reported under.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let name = name.into();
        SourceFile {
            path: PathBuf::from(&name),
            name,
            text: text.into(),
        }
    }

    /// The file's text; a file that is not UTF-8 is an `InvalidData` error
    /// carrying [`NotUtf8`].
    pub fn read(path: &Path) -> std::io::Result<Self> {
        let bytes = std::fs::read(path)?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                // A policy saved by an editor on a Chinese Windows machine: one
                // error naming the encoding, not a syntax error per character.
                let looks_gbk = encoding_rs::GB18030
                    .decode_without_bom_handling_and_without_replacement(e.as_bytes())
                    .is_some();
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    NotUtf8 { gbk: looks_gbk },
                ));
            }
        };
        Ok(SourceFile {
            name: path.display().to_string(),
            path: path.to_path_buf(),
            text: text.into(),
        })
    }

    /// The file as miette wants it for labels.
    pub fn named(&self) -> Named {
        Named {
            name: self.name.clone(),
            text: self.text.clone(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before
            .rfind('\n')
            .map_or(before, |i| &before[i + 1..])
            .chars()
            .count()
            + 1;
        (line, col)
    }
}

/// A file's text under its name, for miette: like `miette::NamedSource`, but
/// columns count characters, not bytes, so that `[file:line:column]` above a
/// report points where an editor does on a line with Chinese text.
#[derive(Debug, Clone)]
pub struct Named {
    name: String,
    text: Arc<str>,
}

impl miette::SourceCode for Named {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        let start = inner.span().offset();
        let line_start = start.saturating_sub(inner.column());
        let column = self
            .text
            .get(line_start..start)
            .map_or(inner.column(), |t| t.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}
