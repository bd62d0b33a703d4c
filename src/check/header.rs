//! The policy header: its fields, effective date and document number, and the policy's `Meta`.

use super::{Cx, Shape};
use crate::ir::Meta;
use crate::syntax::ast;
use crate::value::Day;

impl<'a> Cx<'a> {
    /// The effective day and the document number; a header field missing or
    /// given twice is reported.
    pub(super) fn header(&mut self, h: &ast::Header) -> (Option<Day>, String) {
        for sp in &h.duplicate_fields {
            self.structure(*sp, Shape::DuplicateHeaderField);
        }
        let effective = match &h.effective {
            Some(d) => self.day(d),
            None => {
                self.structure(h.title.span, Shape::NoEffective { amendment: false });
                None
            }
        };
        let document = match &h.document {
            Some(d) => d.value.clone(),
            None => {
                self.structure(h.title.span, Shape::NoDocument { amendment: false });
                String::new()
            }
        };
        (effective, document)
    }
}

/// The checked policy's `Meta`, from its header.
pub(super) fn meta(h: &ast::Header, document: String, effective: Day) -> Meta {
    Meta {
        title: h.title.value.clone(),
        document,
        version: h
            .version
            .as_ref()
            .map(|v| v.value.clone())
            .unwrap_or_default(),
        effective,
        schema: h
            .schema
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
    }
}
