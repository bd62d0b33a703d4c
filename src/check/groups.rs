//! Departments and groups: declared, groups expanded into departments, a name
//! resolved to its departments, and the department attribution of each table.

use std::collections::HashMap;

use super::diag::suggest;
use super::{CheckError, Ctx, Cx, Hint, Kind, Mismatch, Names, Shape};
use crate::ir::*;
use crate::syntax::ast::{self, Decl, ExprKind, Span};

/// The departments in declaration order, and each group with its departments.
pub(super) struct Orgs {
    pub(super) departments: Vec<String>,
    pub(super) groups: Vec<(String, Vec<String>)>,
}

impl<'a> Cx<'a> {
    /// The `departments` and `group` lines; duplicates and unknown members are reported.
    pub(super) fn orgs(&mut self, decls: &[(usize, &'a ast::Decl)]) -> Orgs {
        let mut departments: Vec<String> = Vec::new();
        let mut dept_span: HashMap<String, Span> = HashMap::new();
        let mut group_ast: Vec<(&ast::Ident, &Vec<ast::Ident>)> = Vec::new();
        for &(fi, d) in decls {
            self.cur = fi;
            match d {
                Decl::Departments(list) => {
                    for id in list {
                        if let Some(first) = dept_span.get(&id.name) {
                            self.errors.push(CheckError::Duplicate {
                                kind: Kind::Department,
                                name: id.name.clone(),
                                src: self.src(),
                                span: id.span.into(),
                                first: Some((*first).into()),
                            });
                        } else {
                            dept_span.insert(id.name.clone(), id.span);
                            departments.push(id.name.clone());
                        }
                    }
                }
                Decl::Group { name, members } => group_ast.push((name, members)),
                _ => {}
            }
        }
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        let group_names: HashMap<&str, usize> = group_ast
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.name.as_str(), i))
            .collect();
        let mut seen_groups: HashMap<&str, Span> = HashMap::new();
        for (name, members) in &group_ast {
            if let Some(first) = seen_groups
                .get(name.name.as_str())
                .copied()
                .or_else(|| dept_span.get(&name.name).copied())
            {
                self.errors.push(CheckError::Duplicate {
                    kind: Kind::Group,
                    name: name.name.clone(),
                    src: self.src(),
                    span: name.span.into(),
                    first: Some(first.into()),
                });
                continue;
            }
            seen_groups.insert(&name.name, name.span);
            let mut out = Vec::new();
            let mut stack = vec![name.name.clone()];
            self.expand_group(
                members,
                &group_ast,
                &group_names,
                &departments,
                &mut stack,
                &mut out,
            );
            groups.push((name.name.clone(), out));
        }
        Orgs {
            departments,
            groups,
        }
    }

    /// A department (itself) or a group (its departments); an unknown name is reported.
    pub(super) fn resolve_who(&mut self, orgs: &Orgs, id: &ast::Ident) -> Option<Vec<String>> {
        if orgs.departments.contains(&id.name) {
            return Some(vec![id.name.clone()]);
        }
        if let Some((_, m)) = orgs.groups.iter().find(|(g, _)| *g == id.name) {
            return Some(m.clone());
        }
        let cands: Vec<&str> = orgs
            .departments
            .iter()
            .map(String::as_str)
            .chain(orgs.groups.iter().map(|g| g.0.as_str()))
            .collect();
        self.errors.push(CheckError::Unknown {
            kind: Kind::DepartmentOrGroup,
            name: id.name.clone(),
            src: self.src(),
            span: id.span.into(),
            help: Hint::Suggest(suggest(&id.name, &cands, Names::DepartmentsAndGroups)),
        });
        None
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn expand_group(
        &mut self,
        members: &[ast::Ident],
        group_ast: &[(&ast::Ident, &Vec<ast::Ident>)],
        group_names: &HashMap<&str, usize>,
        departments: &[String],
        stack: &mut Vec<String>,
        out: &mut Vec<String>,
    ) {
        for m in members {
            if departments.contains(&m.name) {
                if !out.contains(&m.name) {
                    out.push(m.name.clone());
                }
            } else if let Some(&g) = group_names.get(m.name.as_str()) {
                if let Some(from) = stack.iter().position(|x| *x == m.name) {
                    let mut cycle: Vec<String> = stack[from..].to_vec();
                    let mut sorted = cycle.clone();
                    sorted.sort();
                    if self
                        .def_cycles
                        .insert(format!("group {}", sorted.join(" ")))
                    {
                        cycle.push(m.name.clone());
                        self.structure(m.span, Shape::GroupCycle { members: cycle });
                    }
                    continue;
                }
                let (name, sub) = group_ast[g];
                stack.push(name.name.clone());
                self.expand_group(sub, group_ast, group_names, departments, stack, out);
                stack.pop();
            } else {
                let cands: Vec<&str> = departments
                    .iter()
                    .map(String::as_str)
                    .chain(group_names.keys().copied())
                    .collect();
                self.errors.push(CheckError::Unknown {
                    kind: Kind::DepartmentOrGroup,
                    name: m.name.clone(),
                    src: self.src(),
                    span: m.span.into(),
                    help: Hint::Suggest(suggest(&m.name, &cands, Names::DepartmentsAndGroups)),
                });
            }
        }
    }

    /// `department of TABLES = PATH`: the column that places a table's records in a department.
    pub(super) fn attribution(
        &mut self,
        decls: &[(usize, &'a ast::Decl)],
        tables: usize,
    ) -> Vec<Option<ColRef>> {
        let mut attribution: Vec<Option<ColRef>> = vec![None; tables];
        for &(fi, d) in decls {
            self.cur = fi;
            if let Decl::Attribution { tables, path, span } = d {
                for t in tables {
                    let Some(tid) = self.table(t) else { continue };
                    let expr = ast::Expr {
                        kind: ExprKind::Path(path.clone()),
                        span: Span::new(
                            path[0].span.start,
                            path.last().map_or(*span, |p| p.span).end,
                        ),
                    };
                    let ctx = Ctx {
                        table: tid,
                        allow_agg: false,
                    };
                    if attribution[tid].is_some() {
                        self.errors.push(CheckError::Duplicate {
                            kind: Kind::Attribution,
                            name: t.name.clone(),
                            src: self.src(),
                            span: t.span.into(),
                            first: None,
                        });
                        continue;
                    }
                    if let Some((e, ty)) = self.expr(&expr, ctx) {
                        match (e.kind, ty) {
                            (CKind::Col(c), Ty::Text | Ty::Enum(..)) => attribution[tid] = Some(c),
                            _ => self
                                .type_err(expr.span, Mismatch::DepartmentNotText { ty: ty.name() }),
                        }
                    }
                }
            }
        }
        attribution
    }
}
