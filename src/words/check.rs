//! What `check` says: its diagnostics in the language asked.

use super::{Lang, en, zh};
use crate::check::{CheckError, Texts};
use crate::syntax::SyntaxError;

impl Lang {
    /// A diagnostic's message, labels and help.
    pub fn check(self, e: &CheckError) -> Texts {
        match self {
            Lang::Zh => zh::check::texts_of(e),
            Lang::En => en::check::texts_of(e),
        }
    }

    /// A syntax error's message, label and help.
    pub fn syntax(self, e: &SyntaxError) -> Texts {
        match self {
            Lang::Zh => zh::check::syntax(e),
            Lang::En => en::check::syntax(e),
        }
    }
}
