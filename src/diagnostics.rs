//! Rendering diagnostics for people (miette's graphical report) and for
//! machines (JSON with file, line and column).

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, Severity};
use serde::Serialize;

/// Render one diagnostic as text; `color` for a terminal.
pub fn render(d: &dyn Diagnostic, color: bool) -> String {
    render_in(d, color, crate::words::Lang::En)
}

/// As [`render`], the report's own words (`help:`) in `lang`; the
/// diagnostic's words are the ones it carries ([`crate::check::CheckError::said`]).
pub fn render_in(d: &dyn Diagnostic, color: bool, lang: crate::words::Lang) -> String {
    let out = graphical(d, color);
    match lang {
        // As wide as `  help: `, so that the help wraps the same.
        crate::words::Lang::Zh => out.replacen("  help: ", "  提示：", 1),
        crate::words::Lang::En => out,
    }
}

fn graphical(d: &dyn Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, d).is_err() {
        out = d.to_string();
    }
    out
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub offset: usize,
    pub length: usize,
    pub text: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub severity: &'static str,
    pub code: Option<String>,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<String>,
    pub labels: Vec<JsonLabel>,
}

pub fn severity_name(d: &dyn Diagnostic) -> &'static str {
    match d.severity() {
        None | Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Advice) => "info",
    }
}

/// One diagnostic as JSON: lines and columns are 1-based, columns count
/// characters (the sources' own reading, `source::Named`).
pub fn to_json(d: &dyn Diagnostic) -> JsonDiagnostic {
    let mut labels = Vec::new();
    let mut file = None;
    if let (Some(src), Some(ls)) = (d.source_code(), d.labels()) {
        for l in ls {
            let pos = |off: usize| -> Option<(usize, usize, Option<String>)> {
                let c = src.read_span(&(off, 0).into(), 0, 0).ok()?;
                Some((c.line() + 1, c.column() + 1, c.name().map(str::to_string)))
            };
            let Some((line, column, name)) = pos(l.offset()) else {
                continue;
            };
            let (end_line, end_column, _) =
                pos(l.offset() + l.len()).unwrap_or((line, column, None));
            if file.is_none() {
                file = name;
            }
            labels.push(JsonLabel {
                line,
                column,
                end_line,
                end_column,
                offset: l.offset(),
                length: l.len(),
                text: l.label().map(str::to_string),
            });
        }
    }
    JsonDiagnostic {
        severity: severity_name(d),
        code: d.code().map(|c| c.to_string()),
        message: d.to_string(),
        file,
        line: labels.first().map(|l| l.line),
        column: labels.first().map(|l| l.column),
        help: d.help().map(|h| h.to_string()),
        labels,
    }
}
