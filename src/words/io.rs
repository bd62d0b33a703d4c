//! Another program's words about a file: the system's input and output
//! errors said by their kind in the language asked, its own text kept only
//! for a kind the catalogues do not name.

use std::io::ErrorKind;

use super::Lang;

/// An input or output error, by what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Io {
    /// The system's error: its kind, and its own words (said only for a
    /// kind the catalogues do not name).
    System { kind: ErrorKind, text: String },
    /// A policy file that is not UTF-8 text: saved as GBK/GB18030, or not
    /// text at all.
    NotUtf8 { gbk: bool },
}

impl From<&std::io::Error> for Io {
    fn from(e: &std::io::Error) -> Io {
        let not_utf8 = e
            .get_ref()
            .and_then(|r| r.downcast_ref::<crate::source::NotUtf8>());
        match not_utf8 {
            Some(n) => Io::NotUtf8 { gbk: n.gbk },
            None => Io::System {
                kind: e.kind(),
                text: e.to_string(),
            },
        }
    }
}

/// In JSON: `{"kind": "not_found", "text": "…"}` (the kind in snake case,
/// the system's own words), or `{"kind": "not_utf8", "gbk": true}`.
impl serde::Serialize for Io {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        match self {
            Io::System { kind, text } => {
                m.serialize_entry("kind", &snake(&format!("{kind:?}")))?;
                m.serialize_entry("text", text)?;
            }
            Io::NotUtf8 { gbk } => {
                m.serialize_entry("kind", "not_utf8")?;
                m.serialize_entry("gbk", gbk)?;
            }
        }
        m.end()
    }
}

/// `NotFound` as `not_found`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl From<&csv::Error> for Io {
    fn from(e: &csv::Error) -> Io {
        match e.kind() {
            csv::ErrorKind::Io(io) => Io::from(io),
            _ => Io::System {
                kind: ErrorKind::Other,
                text: e.to_string(),
            },
        }
    }
}

impl Lang {
    /// What went wrong with a file, in this language.
    pub fn io(self, e: &Io) -> String {
        match self {
            Lang::Zh => zh(e),
            Lang::En => en(e),
        }
    }

    /// The fix, where the catalogues know one (a policy file to save as
    /// UTF-8).
    pub fn io_help(self, e: &Io) -> Option<&'static str> {
        match (self, e) {
            (Lang::Zh, Io::NotUtf8 { .. }) => {
                Some("请将其另存为 UTF-8（记事本：另存为 → 编码 UTF-8）")
            }
            (Lang::En, Io::NotUtf8 { .. }) => {
                Some("save it as UTF-8 (记事本: 另存为 → 编码 UTF-8)")
            }
            (_, Io::System { .. }) => None,
        }
    }
}

fn en(e: &Io) -> String {
    match e {
        Io::NotUtf8 { gbk: true } => "it is saved as GBK/GB18030; policy files are UTF-8".into(),
        Io::NotUtf8 { gbk: false } => "it is not UTF-8 text; policy files are UTF-8".into(),
        Io::System { kind, text } => match kind {
            ErrorKind::NotFound => "no such file or folder".into(),
            ErrorKind::PermissionDenied => "permission denied".into(),
            ErrorKind::IsADirectory => "it is a folder, not a file".into(),
            ErrorKind::NotADirectory => "a part of the path is a file, not a folder".into(),
            ErrorKind::AlreadyExists => "it exists already".into(),
            ErrorKind::InvalidData => "its content is not valid UTF-8 text".into(),
            ErrorKind::UnexpectedEof => "it ends before its content is complete".into(),
            ErrorKind::ReadOnlyFilesystem => "the file system is read-only".into(),
            ErrorKind::StorageFull => "no space is left on the disk".into(),
            ErrorKind::InvalidFilename => "the file name is not valid".into(),
            ErrorKind::FileTooLarge => "the file is too large".into(),
            _ => text.clone(),
        },
    }
}

fn zh(e: &Io) -> String {
    match e {
        Io::NotUtf8 { gbk: true } => "文件以 GBK/GB18030 编码保存，而政策文件须为 UTF-8".into(),
        Io::NotUtf8 { gbk: false } => "文件不是 UTF-8 文本，而政策文件须为 UTF-8".into(),
        Io::System { kind, text } => match kind {
            ErrorKind::NotFound => "文件或文件夹不存在".into(),
            ErrorKind::PermissionDenied => "没有权限".into(),
            ErrorKind::IsADirectory => "这是文件夹，不是文件".into(),
            ErrorKind::NotADirectory => "路径中的某一级是文件，不是文件夹".into(),
            ErrorKind::AlreadyExists => "文件已存在".into(),
            ErrorKind::InvalidData => "内容不是有效的 UTF-8 文本".into(),
            ErrorKind::UnexpectedEof => "文件内容不完整（提前结束）".into(),
            ErrorKind::ReadOnlyFilesystem => "文件系统为只读".into(),
            ErrorKind::StorageFull => "磁盘空间已满".into(),
            ErrorKind::InvalidFilename => "文件名无效".into(),
            ErrorKind::FileTooLarge => "文件过大".into(),
            // Another program's words are quoted whole.
            _ => format!("`{}`", text.replace('`', "'")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::{english_words, han};

    /// The kinds the catalogues name; any other is said in the system's words.
    const NAMED: [ErrorKind; 11] = [
        ErrorKind::NotFound,
        ErrorKind::PermissionDenied,
        ErrorKind::IsADirectory,
        ErrorKind::NotADirectory,
        ErrorKind::AlreadyExists,
        ErrorKind::InvalidData,
        ErrorKind::UnexpectedEof,
        ErrorKind::ReadOnlyFilesystem,
        ErrorKind::StorageFull,
        ErrorKind::InvalidFilename,
        ErrorKind::FileTooLarge,
    ];

    #[test]
    fn every_named_kind_is_said_in_both_languages_and_others_in_the_systems_words() {
        let system = |kind| Io::System {
            kind,
            text: "Some system text (os error 99)".into(),
        };
        let mut all: Vec<Io> = NAMED.iter().map(|k| system(*k)).collect();
        all.extend([Io::NotUtf8 { gbk: true }, Io::NotUtf8 { gbk: false }]);
        for e in &all {
            let z = Lang::Zh.io(e);
            let own = z.replace("UTF-8", "").replace("GBK/GB18030", "");
            assert!(han(&z) && !english_words(&own), "{e:?}: {z}");
            let en = Lang::En.io(e);
            assert!(!han(&en) && !en.contains("os error"), "{e:?}: {en}");
            assert!(en.starts_with(|c: char| c.is_ascii_lowercase()), "{en}");
        }
        let other = system(ErrorKind::Interrupted);
        assert_eq!(Lang::En.io(&other), "Some system text (os error 99)");
        assert_eq!(Lang::Zh.io(&other), "`Some system text (os error 99)`");
        assert!(
            Lang::Zh
                .io_help(&Io::NotUtf8 { gbk: true })
                .is_some_and(han)
        );
        assert!(Lang::En.io_help(&other).is_none());
    }

    #[test]
    fn a_system_error_keeps_its_kind_and_a_policy_not_utf8_its_encoding() {
        let e = std::io::Error::from(ErrorKind::PermissionDenied);
        assert!(matches!(
            Io::from(&e),
            Io::System {
                kind: ErrorKind::PermissionDenied,
                ..
            }
        ));
        let e = std::io::Error::new(ErrorKind::InvalidData, crate::source::NotUtf8 { gbk: true });
        assert_eq!(Io::from(&e), Io::NotUtf8 { gbk: true });
    }

    #[test]
    fn in_json_an_error_has_its_kind_in_snake_case() {
        let e = Io::System {
            kind: ErrorKind::PermissionDenied,
            text: "Permission denied (os error 13)".into(),
        };
        let j = serde_json::to_value(&e).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"kind": "permission_denied", "text": "Permission denied (os error 13)"})
        );
        let j = serde_json::to_value(Io::NotUtf8 { gbk: false }).unwrap();
        assert_eq!(j, serde_json::json!({"kind": "not_utf8", "gbk": false}));
    }
}
