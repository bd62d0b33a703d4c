//! `acknowledge CODE [DEPARTMENT]`: a note or warning the policy means. A
//! diagnostic it covers is not reported; one that covers nothing is a warning.

use super::diag::{CheckError, Hint, Kind, Names, Src, suggest};
use crate::syntax::ast::Acknowledge;

/// The diagnostics a policy may acknowledge, by code (`zhibiao::…` without the prefix).
pub const CODES: &[&str] = &["no_target", "new_target", "court_target_unchanged"];

/// The acknowledgments of one indicator or one `in X { … }` block.
pub(crate) struct Acks<'a> {
    list: Vec<(&'a Acknowledge, bool)>,
}

impl<'a> Acks<'a> {
    /// Keep the acknowledgments whose code exists; report the others.
    pub fn new(
        items: impl IntoIterator<Item = &'a Acknowledge>,
        src: &Src,
        errors: &mut Vec<CheckError>,
    ) -> Self {
        let mut list = Vec::new();
        for a in items {
            if CODES.contains(&a.code.name.as_str()) {
                list.push((a, false));
            } else {
                errors.push(CheckError::Unknown {
                    kind: Kind::DiagnosticCode,
                    name: a.code.name.clone(),
                    src: src.clone(),
                    span: a.code.span.into(),
                    help: Hint::Suggest(suggest(&a.code.name, CODES, Names::AcknowledgeableCodes)),
                });
            }
        }
        Acks { list }
    }

    /// Whether `code` for `department` (or for none) is acknowledged; marks it used.
    pub fn covers(&mut self, code: &str, department: Option<&str>) -> bool {
        let mut found = false;
        for (a, used) in &mut self.list {
            let dept = a.department.as_ref().map(|d| d.name.as_str());
            if a.code.name == code && (dept.is_none() || dept == department) {
                *used = true;
                found = true;
            }
        }
        found
    }

    /// A warning for each acknowledgment that covered nothing.
    pub fn unused(self, src: &Src, text: &str) -> Vec<CheckError> {
        self.list
            .into_iter()
            .filter(|(_, used)| !used)
            .map(|(a, _)| CheckError::UnusedAcknowledgment {
                text: text
                    .get(a.span.start..a.span.end)
                    .unwrap_or("acknowledge")
                    .to_string(),
                src: src.clone(),
                span: a.span.into(),
            })
            .collect()
    }
}
