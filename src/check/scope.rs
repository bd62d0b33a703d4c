//! Scope rules (`scope TABLE where …`) and the relation paths from every table
//! to the tables they filter.

use std::collections::{HashMap, HashSet};

use super::{Ctx, Cx};
use crate::ir::*;
use crate::schema::TableId;
use crate::syntax::ast::{self, Decl};

impl<'a> Cx<'a> {
    /// The scope rules, and for each table the rules that reach it with their paths.
    #[allow(clippy::type_complexity)]
    pub(super) fn scope(
        &mut self,
        decls: &[(usize, &'a ast::Decl)],
        tables: usize,
    ) -> (Vec<ScopeRule>, Vec<Vec<(usize, Vec<RelId>)>>) {
        let mut scope = Vec::new();
        for &(fi, d) in decls {
            self.cur = fi;
            if let Decl::Scope(s) = d {
                let Some(t) = self.table(&s.table) else {
                    continue;
                };
                if let Some(cond) = self.cond(
                    &s.cond,
                    Ctx {
                        table: t,
                        allow_agg: false,
                    },
                ) {
                    scope.push(ScopeRule {
                        table: t,
                        cond,
                        because: s.because.value.clone(),
                        cite: s.cite.as_ref().map(|c| c.value.clone()),
                        loc: self.loc(s.span),
                    });
                }
            }
        }
        let scope_paths = (0..tables)
            .map(|t| {
                scope
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| self.path_to(t, r.table).map(|p| (i, p)))
                    .collect()
            })
            .collect();

        (scope, scope_paths)
    }

    /// Relations walked from `from` to reach `to` (shortest, required ones first).
    pub(super) fn path_to(&self, from: TableId, to: TableId) -> Option<Vec<RelId>> {
        if from == to {
            return Some(Vec::new());
        }
        let mut prev: HashMap<TableId, (TableId, RelId)> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        let mut seen = HashSet::from([from]);
        while let Some(t) = queue.pop_front() {
            for (ri, r) in self.schema.relations.iter().enumerate() {
                if r.from == t && seen.insert(r.to) {
                    prev.insert(r.to, (t, ri));
                    if r.to == to {
                        let mut path = Vec::new();
                        let mut cur = to;
                        while cur != from {
                            let (p, rel) = prev[&cur];
                            path.push(rel);
                            cur = p;
                        }
                        path.reverse();
                        return Some(path);
                    }
                    queue.push_back(r.to);
                }
            }
        }
        None
    }
}
