//! Definitions (`define TABLE.NAME = …`): collected, checked once each in their
//! own file (on first use or in source order), cycles and unused ones reported.

use super::{CheckError, Ctx, Cx, DefState, Kind, Shape};
use crate::ir::*;
use crate::schema::TableId;
use crate::syntax::ast::{self, Decl, Span};

impl<'a> Cx<'a> {
    /// Collect and check every definition; their keys in source order.
    pub(super) fn definitions(
        &mut self,
        decls: &[(usize, &'a ast::Decl)],
    ) -> Vec<(TableId, String)> {
        for &(fi, d) in decls {
            self.cur = fi;
            if let Decl::Define(def) = d {
                let Some(t) = self.table(&def.table) else {
                    continue;
                };
                let key = (t, def.name.name.clone());
                if let Some(first) = self.def_ast.get(&key) {
                    self.errors.push(CheckError::Duplicate {
                        kind: Kind::Definition,
                        name: def.name.name.clone(),
                        src: self.src(),
                        span: def.name.span.into(),
                        first: Some(first.name.span.into()),
                    });
                    continue;
                }
                if self.schema.tables[t].col(&def.name.name).is_some()
                    || self.schema.relation(t, &def.name.name).is_some()
                {
                    self.structure(
                        def.name.span,
                        Shape::DefinitionHidesColumn {
                            name: def.name.name.clone(),
                            table: def.table.name.clone(),
                        },
                    );
                    continue;
                }
                self.def_file.insert(key.clone(), fi);
                self.def_ast.insert(key, def);
            }
        }
        let mut def_keys: Vec<_> = self.def_ast.keys().cloned().collect();
        def_keys.sort_by_key(|k| self.def_ast[k].span.start);
        for key in &def_keys {
            self.resolve_def(key.0, &key.1, None);
        }
        def_keys
    }

    pub(super) fn resolve_def(
        &mut self,
        table: TableId,
        name: &str,
        use_span: Option<Span>,
    ) -> Option<DefId> {
        let key = (table, name.to_string());
        match self.def_state.get(&key) {
            Some(DefState::Done(id)) => return Some(*id),
            Some(DefState::InProgress) => {
                let span = use_span.unwrap_or_default();
                let from = self.def_stack.iter().position(|d| d == name).unwrap_or(0);
                let mut members: Vec<String> = self.def_stack[from..].to_vec();
                let mut sorted = members.clone();
                sorted.sort();
                if self.def_cycles.insert(sorted.join(" ")) {
                    members.push(name.to_string());
                    self.structure(span, Shape::DefinitionCycle { members });
                }
                return None;
            }
            None => {}
        }
        let def = *self.def_ast.get(&key)?;
        self.def_state.insert(key.clone(), DefState::InProgress);
        self.def_stack.push(name.to_string());
        // A definition is checked in (and reported against) its own file.
        let saved = self.cur;
        self.cur = self.def_file.get(&key).copied().unwrap_or(saved);
        let r = self.expr(
            &def.expr,
            Ctx {
                table,
                allow_agg: true,
            },
        );
        let def_loc = self.loc(def.span);
        self.cur = saved;
        self.def_stack.pop();
        match r {
            Some((expr, ty)) => {
                let id = self.defs.len();
                self.defs.push(Def {
                    name: name.to_string(),
                    table,
                    expr,
                    ty,
                    cite: def.cite.as_ref().map(|c| c.value.clone()),
                    loc: def_loc,
                });
                self.def_state.insert(key, DefState::Done(id));
                Some(id)
            }
            None => {
                self.def_state.remove(&key);
                // Mark as used so a broken definition is not also reported unused.
                self.def_used.insert((table, name.to_string()));
                None
            }
        }
    }

    /// Report each definition that nothing uses.
    pub(super) fn report_unused(&mut self, def_keys: &[(TableId, String)]) {
        for key in def_keys {
            if !self.def_used.contains(key) {
                let d = self.def_ast[key];
                self.cur = self.def_file.get(key).copied().unwrap_or(0);
                self.errors.push(CheckError::UnusedDefinition {
                    name: d.name.name.clone(),
                    src: self.src(),
                    span: d.name.span.into(),
                });
            }
        }
    }
}
