//! Why `fmt` left a file as it was, in the language asked.

use super::Lang;
use crate::syntax::fmt::{Changed, Difference};

impl Lang {
    /// The message and the help: the layout would have changed what the
    /// file says (a fault of `fmt`, not of the file).
    pub fn fmt_changed(self, c: &Changed) -> (String, String) {
        let file = &c.file;
        match self {
            Lang::Zh => (
                format!(
                    "按规范格式整理 `{file}` 会改变其内容（{}），文件保持原样",
                    zh(c.what)
                ),
                "这是 `zhibiao fmt` 的缺陷，请连同该文件一并报告".into(),
            ),
            Lang::En => (
                format!(
                    "formatting `{file}` would change it ({}); the file is left as it is",
                    en(c.what)
                ),
                "this is a bug in `zhibiao fmt`; please report it with the file".into(),
            ),
        }
    }

    /// The `error:` and `help:` lines the command prints.
    pub fn fmt_fault(self, c: &Changed) -> String {
        let (message, help) = self.fmt_changed(c);
        self.error_lines(&message, Some(&help))
    }
}

fn en(d: Difference) -> &'static str {
    match d {
        Difference::NoLongerParses => "it would no longer parse",
        Difference::SyntaxTree => "its syntax tree would differ",
        Difference::Comments => "its comments would differ",
    }
}

fn zh(d: Difference) -> &'static str {
    match d {
        Difference::NoLongerParses => "整理后将无法解析",
        Difference::SyntaxTree => "语法树将不同",
        Difference::Comments => "注释将不同",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::{english_words, han};

    #[test]
    fn every_fmt_fault_has_both_texts() {
        for what in Difference::ALL {
            let c = Changed {
                file: "policies/jiading-2022.zb".into(),
                what,
            };
            let (m, h) = Lang::Zh.fmt_changed(&c);
            for t in [&m, &h] {
                assert!(han(t) && !english_words(t), "{t}");
            }
            assert!(Lang::Zh.fmt_fault(&c).starts_with("错误：按规范格式整理"));
            let (m, h) = Lang::En.fmt_changed(&c);
            assert!(!han(&m) && !han(&h), "{m} / {h}");
            assert!(m.starts_with("formatting `policies/jiading-2022.zb` would change it ("));
            let lines = Lang::En.fmt_fault(&c);
            assert_eq!(lines.lines().count(), 2, "{lines}");
            assert!(lines.starts_with("error: ") && lines.contains("\nhelp: "));
        }
    }
}
