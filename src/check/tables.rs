//! Tables and date columns of the schema looked up by name, an unknown one reported.

use super::diag::suggest;
use super::{CheckError, Cx, Hint, Mismatch, Names};
use crate::schema::{ColType, TableId};
use crate::syntax::ast;

impl<'a> Cx<'a> {
    pub(super) fn table(&mut self, id: &ast::Ident) -> Option<TableId> {
        let t = self.schema.table(&id.name);
        if t.is_none() {
            let names: Vec<&str> = self.schema.table_names().collect();
            self.errors.push(CheckError::UnknownTable {
                name: id.name.clone(),
                src: self.src(),
                span: id.span.into(),
                help: suggest(&id.name, &names, Names::Tables),
            });
        }
        t
    }

    pub(super) fn date_col(&mut self, table: TableId, id: &ast::Ident) -> Option<usize> {
        let t = &self.schema.tables[table];
        match t.col(&id.name) {
            Some(c) if matches!(t.columns[c].ty, ColType::Date | ColType::Datetime) => Some(c),
            Some(c) => {
                let ty = t.columns[c].ty.name();
                let table = t.name.clone();
                self.type_err(
                    id.span,
                    Mismatch::ByNotDate {
                        column: id.name.clone(),
                        ty,
                        table,
                    },
                );
                None
            }
            None => {
                let dates: Vec<&str> = t
                    .columns
                    .iter()
                    .filter(|c| matches!(c.ty, ColType::Date | ColType::Datetime))
                    .map(|c| c.name.as_str())
                    .collect();
                self.errors.push(CheckError::UnknownName {
                    name: id.name.clone(),
                    table: t.name.clone(),
                    src: self.src(),
                    span: id.span.into(),
                    help: Hint::Suggest(suggest(&id.name, &dates, Names::DateColumns)),
                });
                None
            }
        }
    }
}
