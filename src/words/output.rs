//! Why a command cannot write what it was asked to, in the language asked.

use super::Lang;
use crate::output::OutputError;

impl Lang {
    /// The message and the help.
    pub fn output_error(self, e: &OutputError) -> (String, String) {
        match self {
            Lang::Zh => zh(e),
            Lang::En => en(e),
        }
    }

    /// The `error:` and `help:` lines the command prints.
    pub fn output_fault(self, e: &OutputError) -> String {
        let (message, help) = self.output_error(e);
        self.error_lines(&message, Some(&help))
    }
}

fn en(e: &OutputError) -> (String, String) {
    match e {
        OutputError::UnknownExtension { path, known } => (
            format!("cannot tell the format of `{path}` from its extension"),
            format!("name the file with one of {known}, or give `--format`"),
        ),
        OutputError::Contradicts {
            given,
            path,
            implied,
            suggest,
        } => (
            format!("`--format {given}` does not match `{path}`, a name for {implied}"),
            format!("drop `--format` to write {implied}, or name the file `{suggest}`"),
        ),
        OutputError::Unsupported {
            command,
            format,
            path,
            known,
        } => (
            format!("`{command}` does not write {format} (asked for by `{path}`)"),
            format!("`{command}` writes {known}: name the file so"),
        ),
        OutputError::EncodingWithoutCsv { format } => (
            format!("`--csv-encoding` is for csv output, and this writes {format}"),
            "drop `--csv-encoding`, or write csv (`--format csv` or a `.csv` file)".into(),
        ),
        OutputError::NotGbk { ch, code, line } => (
            format!("`{ch}` (U+{code:04X}, line {line}) has no GBK form"),
            "write UTF-8 with a BOM (the default, `--csv-encoding utf-8-bom`): Excel on a Chinese Windows opens it as well".into(),
        ),
    }
}

fn zh(e: &OutputError) -> (String, String) {
    match e {
        OutputError::UnknownExtension { path, known } => (
            format!("无法从扩展名判断 `{path}` 的格式"),
            format!("请用以下扩展名之一命名文件：{known}，或给出 `--format`"),
        ),
        OutputError::Contradicts {
            given,
            path,
            implied,
            suggest,
        } => (
            format!("`--format {given}` 与 `{path}` 不符，该文件名对应 `{implied}`"),
            format!("去掉 `--format` 即写 `{implied}`，或把文件命名为 `{suggest}`"),
        ),
        OutputError::Unsupported {
            command,
            format,
            path,
            known,
        } => (
            format!("`{command}` 不能写 `{format}`（由 `{path}` 要求）"),
            format!("`{command}` 可写：{known}；请相应命名文件"),
        ),
        OutputError::EncodingWithoutCsv { format } => (
            format!("`--csv-encoding` 只用于 `csv` 输出，而此处写的是 `{format}`"),
            "请去掉 `--csv-encoding`，或写 `csv`（`--format csv` 或 `.csv` 文件）".into(),
        ),
        OutputError::NotGbk { ch, code, line } => (
            format!("`{ch}`（U+{code:04X}，第 {line} 行）没有 GBK 编码"),
            "请写带 BOM 的 UTF-8（默认，`--csv-encoding utf-8-bom`）：中文 Windows 上的 Excel 同样能打开".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;

    #[test]
    fn every_output_error_has_both_texts() {
        let all = [
            OutputError::UnknownExtension {
                path: "a.txt".into(),
                known: ".json (json), .csv (csv)".into(),
            },
            OutputError::Contradicts {
                given: "json",
                path: "a.csv".into(),
                implied: "csv",
                suggest: "a.json".into(),
            },
            OutputError::Unsupported {
                command: "graph",
                format: "csv",
                path: "a.csv".into(),
                known: ".dot (dot)".into(),
            },
            OutputError::EncodingWithoutCsv { format: "json" },
            OutputError::NotGbk {
                ch: '😀',
                code: 0x1F600,
                line: 3,
            },
        ];
        for e in &all {
            let (m, h) = Lang::Zh.output_error(e);
            assert!(han(&m) && han(&h), "{m} / {h}");
            let (m, h) = Lang::En.output_error(e);
            assert!(!han(&m) && !han(&h), "{m} / {h}");
        }
    }
}
