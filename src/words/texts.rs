//! For the catalogues' tests: is a text Chinese, is it English.

/// The text has Chinese characters.
pub fn han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The text outside backquotes (names, expressions and codes are quoted).
pub fn own(s: &str) -> String {
    s.split('`').step_by(2).collect()
}

/// The text has an English word (two letters or more) outside backquotes.
pub fn english_words(s: &str) -> bool {
    own(s)
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() > 1)
}
