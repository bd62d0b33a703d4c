//! Indicators: their ids, counted parts and rules, copies (`restrict`, `over`),
//! measures and value formulas, and the assembled `Indicator`.

use std::collections::HashMap;

use super::diag::suggest;
use super::groups::Orgs;
use super::{CheckError, Ctx, Cx, Hint, Item, Kind, Mismatch, Names, Shape};
use crate::ir::*;
use crate::schema::{ColType, TableId};
use crate::syntax::ast::{self, ArithOp, Decl, ExprKind, IndItem, RuleKind, Side, Span};

/// The indicators in declaration order and the file each is read from.
pub(super) struct Inds<'i> {
    pub(super) ast: Vec<&'i ast::Indicator>,
    pub(super) file: Vec<usize>,
}

impl<'i> Inds<'i> {
    pub(super) fn of(decls: &[(usize, &'i ast::Decl)]) -> Self {
        let file: Vec<usize> = decls
            .iter()
            .filter(|(_, d)| matches!(d, Decl::Indicator(_)))
            .map(|(f, _)| *f)
            .collect();
        let list: Vec<&ast::Indicator> = decls
            .iter()
            .filter_map(|&(_, d)| match d {
                Decl::Indicator(i) => Some(i),
                _ => None,
            })
            .collect();
        Inds { ast: list, file }
    }
}

/// Indicator ids → their position, and the ids to suggest from.
pub(super) struct IndIndex<'i> {
    ids: HashMap<&'i str, usize>,
    names: Vec<&'i str>,
}

/// Every indicator's body, and the indicators each is derived from.
pub(super) struct Built {
    pub(super) bodies: Vec<Option<Body>>,
    pub(super) derived: Vec<Vec<(IndId, Loc)>>,
}

impl<'a> Cx<'a> {
    /// The indicator ids; an id given twice is reported.
    pub(super) fn index<'i>(&mut self, inds: &Inds<'i>) -> IndIndex<'i> {
        let ind_ast = &inds.ast;
        let ind_file = &inds.file;
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, &ind) in ind_ast.iter().enumerate() {
            self.cur = ind_file[i];
            if let Some(&first) = ids.get(ind.id.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: Kind::Indicator,
                    name: ind.id.name.clone(),
                    src: self.src(),
                    span: ind.id.span.into(),
                    first: Some(ind_ast[first].id.span.into()),
                });
            } else {
                ids.insert(&ind.id.name, i);
            }
        }
        let names: Vec<&str> = ind_ast.iter().map(|&i| i.id.name.as_str()).collect();
        IndIndex { ids, names }
    }

    /// The indicator an id names (`-` may stand for `_`); an unknown one is reported.
    pub(super) fn lookup_ind(&mut self, index: &IndIndex, id: &ast::Ident) -> Option<usize> {
        let ids = &index.ids;
        let found = ids
            .get(id.name.as_str())
            .copied()
            .or_else(|| ids.get(id.name.replace('-', "_").as_str()).copied());
        if found.is_none() {
            self.errors.push(CheckError::Unknown {
                kind: Kind::Indicator,
                name: id.name.clone(),
                src: self.src(),
                span: id.span.into(),
                help: Hint::Suggest(suggest(&id.name, &index.names, Names::Indicators)),
            });
        }
        found
    }

    /// Every indicator's body. Bodies that copy another indicator (`restrict`,
    /// `over`) are built after the ones they copy.
    pub(super) fn bodies(
        &mut self,
        inds: &Inds,
        lookup_ind: &dyn Fn(&mut Self, &ast::Ident) -> Option<usize>,
    ) -> Built {
        let ind_ast = &inds.ast;
        let ind_file = &inds.file;
        let mut bodies: Vec<Option<Body>> = vec![None; ind_ast.len()];
        let mut derived: Vec<Vec<(IndId, Loc)>> = vec![Vec::new(); ind_ast.len()];
        let mut pending: Vec<usize> = Vec::new();
        for (i, ind) in ind_ast.iter().enumerate() {
            self.cur = ind_file[i];
            let all_copies: Vec<_> = ind
                .items
                .iter()
                .filter_map(|it| match it {
                    IndItem::Restrict { base, span, .. } | IndItem::Over { base, span } => {
                        Some((base, *span))
                    }
                    _ => None,
                })
                .collect();
            for (base, sp) in all_copies.iter().skip(1) {
                lookup_ind(self, base);
                self.structure(
                    *sp,
                    Shape::CopiesTwo {
                        indicator: ind.id.name.clone(),
                    },
                );
            }
            let copies = all_copies.first().copied();
            match copies {
                Some((base, span)) => {
                    // An unknown base is reported by the lookup; the copy
                    // then has no body and waits for none.
                    if let Some(b) = lookup_ind(self, base) {
                        derived[i].push((b, self.loc(span)));
                        pending.push(i);
                    }
                }
                None => {
                    let (body, deps) = self.body(ind, lookup_ind);
                    bodies[i] = body;
                    derived[i].extend(deps);
                }
            }
        }
        // Copies in dependency order (a cycle is reported below).
        let mut progress = true;
        while progress && !pending.is_empty() {
            progress = false;
            pending.retain(|&i| {
                let Some(&(base, _)) = derived[i].first() else {
                    return false;
                };
                if let Some(b) = bodies[base].clone() {
                    self.cur = ind_file[i];
                    bodies[i] = self.copy_body(ind_ast[i], b);
                    progress = true;
                    false
                } else {
                    true
                }
            });
        }
        Built { bodies, derived }
    }

    /// The checked indicators in declaration order: body, targets, links and report.
    pub(super) fn indicators(
        &mut self,
        inds: &Inds,
        built: Built,
        orgs: &Orgs,
        report_default: &[String],
        document: &str,
        lookup_ind: &dyn Fn(&mut Self, &ast::Ident) -> Option<usize>,
    ) -> Vec<Indicator> {
        let Built {
            mut bodies,
            derived,
        } = built;
        let ind_ast = &inds.ast;
        let ind_file = &inds.file;
        let resolve_who = |cx: &mut Self, id: &ast::Ident| cx.resolve_who(orgs, id);
        let mut indicators = Vec::new();
        for (i, ind) in ind_ast.iter().enumerate() {
            self.cur = ind_file[i];
            let mut targets = Vec::new();
            let mut related = Vec::new();
            let mut cite = None;
            let mut report = ReportMode::Departments(report_default.to_vec());
            // A body that did not check says nothing more of its unit.
            let failed = bodies[i].is_none();
            let mut body = bodies[i].take().unwrap_or(Body::Ratio(Vec::new()));
            let (unit, max) = self.unit(ind, &body, failed);
            let mut rank = None;
            let mut per = None;
            for it in &ind.items {
                match it {
                    IndItem::Cite(c) => cite = Some(c.value.clone()),
                    IndItem::Target(t) => {
                        if let Some(t) = self.target(t, document, &resolve_who, unit, max) {
                            targets.push(t);
                        }
                    }
                    IndItem::Rank { ascending, .. } => rank = Some(*ascending),
                    IndItem::Per { path, span } => per = self.per(path, *span, &mut body),
                    IndItem::Department { path, span } => self.counted_for(path, *span, &mut body),
                    IndItem::Related { ids, .. } => {
                        for id in ids {
                            if let Some(r) = lookup_ind(self, id) {
                                related.push((r, self.loc(id.span)));
                            }
                        }
                    }
                    IndItem::Report(r, _) => {
                        report = match r {
                            ast::Report::Court => ReportMode::Court,
                            ast::Report::Found => ReportMode::Found,
                            ast::Report::Group(g) => {
                                ReportMode::Departments(resolve_who(self, g).unwrap_or_default())
                            }
                        }
                    }
                    _ => {}
                }
            }
            self.check_targets(ind, &targets, &orgs.groups, &orgs.departments);
            indicators.push(Indicator {
                id: ind.id.name.clone(),
                code: code_of(&ind.id.name),
                name: ind.name.value.clone(),
                core: ind.core,
                cite,
                body,
                targets,
                related,
                derived_from: derived[i].clone(),
                report,
                unit,
                max,
                rank,
                per,
                loc: self.loc(ind.span),
            });
        }
        indicators
    }

    /// `per judge_id`: the column each counted part's (or measure's) rows
    /// are broken down by.
    pub(super) fn per(&mut self, path: &[ast::Ident], span: Span, body: &mut Body) -> Option<Per> {
        let loc = self.loc(span);
        let Body::Ratio(parts) = body else {
            self.errors.push(CheckError::NeedsCount {
                item: Item::Per,
                src: self.src(),
                span: span.into(),
            });
            return None;
        };
        let mut cols = Vec::new();
        for p in parts.iter() {
            if p.distinct.is_some() {
                self.errors.push(CheckError::PerDistinct {
                    src: self.src(),
                    span: span.into(),
                });
                return None;
            }
            let (e, ty) = self.path(
                path,
                Ctx {
                    table: p.table,
                    allow_agg: false,
                },
                loc,
            )?;
            match (&e.kind, ty) {
                (CKind::Col(_), Ty::Text | Ty::Enum(..) | Ty::Num) => cols.push(e),
                _ => {
                    let at = Span::new(
                        path.first().map_or(span.start, |p| p.span.start),
                        path.last().map_or(span.end, |p| p.span.end),
                    );
                    let written: Vec<&str> = path.iter().map(|p| p.name.as_str()).collect();
                    let table = &self.schema.tables[p.table];
                    let fit: Vec<String> = table
                        .columns
                        .iter()
                        .filter(|c| {
                            matches!(
                                c.ty,
                                crate::schema::ColType::Text
                                    | crate::schema::ColType::Enum
                                    | crate::schema::ColType::Int
                            )
                        })
                        .map(|c| c.name.clone())
                        .take(8)
                        .collect();
                    self.errors.push(CheckError::BreakdownColumn {
                        item: Item::Per,
                        path: written.join("."),
                        kind: ty.name(),
                        table: table.name.clone(),
                        fit,
                        src: self.src(),
                        span: at.into(),
                    });
                    return None;
                }
            }
        }
        for (p, c) in parts.iter_mut().zip(cols) {
            p.per = Some(c);
        }
        Some(Per {
            label: path
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("."),
            loc,
        })
    }

    /// `department = origin.department`: each counted part's records count
    /// for the department that path names instead of their own.
    pub(super) fn counted_for(&mut self, path: &[ast::Ident], span: Span, body: &mut Body) {
        let loc = self.loc(span);
        let Body::Ratio(parts) = body else {
            self.errors.push(CheckError::NeedsCount {
                item: Item::Department,
                src: self.src(),
                span: span.into(),
            });
            return;
        };
        let mut found = Vec::new();
        for p in parts.iter() {
            let Some((e, ty)) = self.path(
                path,
                Ctx {
                    table: p.table,
                    allow_agg: false,
                },
                loc,
            ) else {
                return;
            };
            if !matches!((&e.kind, ty), (CKind::Col(_), Ty::Text | Ty::Enum(..))) {
                self.errors.push(CheckError::BreakdownColumn {
                    item: Item::Department,
                    path: path
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join("."),
                    kind: ty.name(),
                    table: self.schema.tables[p.table].name.clone(),
                    fit: Vec::new(),
                    src: self.src(),
                    span: span.into(),
                });
                return;
            }
            found.push(e);
        }
        for (p, e) in parts.iter_mut().zip(found) {
            p.department = Some(e);
        }
    }

    pub(super) fn rule(
        &mut self,
        r: &ast::Rule,
        table: TableId,
        numerator_only: bool,
    ) -> Option<CRule> {
        let cond = self.cond(
            &r.cond,
            Ctx {
                table,
                allow_agg: true,
            },
        )?;
        Some(CRule {
            kind: r.kind,
            side: if numerator_only {
                RuleSide::NumeratorOnly
            } else {
                RuleSide::Both
            },
            cond,
            because: r.because.as_ref().map(|b| b.value.clone()),
            cite: r.cite.as_ref().map(|c| c.value.clone()),
            loc: self.loc(r.span),
        })
    }

    pub(super) fn part(&mut self, c: &ast::Count, role: Role) -> Option<Part> {
        let table = self.table(&c.table)?;
        let distinct = match &c.distinct {
            Some(cols) => {
                let mut out = Vec::new();
                for id in cols {
                    match self.schema.tables[table].col(&id.name) {
                        Some(ci) => out.push(ci),
                        None => {
                            let cands: Vec<&str> = self.schema.tables[table]
                                .columns
                                .iter()
                                .map(|c| c.name.as_str())
                                .collect();
                            self.errors.push(CheckError::UnknownName {
                                name: id.name.clone(),
                                table: c.table.name.clone(),
                                src: self.src(),
                                span: id.span.into(),
                                help: Hint::Suggest(suggest(&id.name, &cands, Names::Columns)),
                            });
                            return None;
                        }
                    }
                }
                Some(out)
            }
            None => None,
        };
        let by = match &c.by {
            Some(b) => Some(self.date_col(table, b)?),
            None => None,
        };
        let when = match &c.when {
            Some(w) => Some(self.cond(
                w,
                Ctx {
                    table,
                    allow_agg: true,
                },
            )?),
            None => None,
        };
        Some(Part {
            role,
            table,
            distinct,
            by,
            when,
            rules: Vec::new(),
            per: None,
            department: None,
            loc: self.loc(c.span),
        })
    }

    /// The body of an indicator that does not copy another.
    pub(super) fn body(
        &mut self,
        ind: &ast::Indicator,
        lookup: &dyn Fn(&mut Self, &ast::Ident) -> Option<usize>,
    ) -> (Option<Body>, Vec<(IndId, Loc)>) {
        let counts: Vec<&ast::Count> = ind
            .items
            .iter()
            .filter_map(|i| match i {
                IndItem::Count(c) => Some(c),
                _ => None,
            })
            .collect();
        let blocks: Vec<_> = ind
            .items
            .iter()
            .filter(|i| matches!(i, IndItem::SideBlock { .. }))
            .collect();
        let rules: Vec<&ast::Rule> = ind
            .items
            .iter()
            .filter_map(|i| match i {
                IndItem::Rule(r) => Some(r),
                _ => None,
            })
            .collect();
        let lets: Vec<_> = ind
            .items
            .iter()
            .filter_map(|i| match i {
                IndItem::Let { name, measure } => Some((name, measure)),
                _ => None,
            })
            .collect();
        let values: Vec<&ast::Expr> = ind
            .items
            .iter()
            .filter_map(|i| match i {
                IndItem::Value(v) => Some(v),
                _ => None,
            })
            .collect();
        let id = &ind.id.name;

        if let Some(v) = values.first() {
            if let Some(c) = counts.first() {
                self.structure(
                    c.span,
                    Shape::ValueAndCount {
                        indicator: id.clone(),
                    },
                );
                return (None, Vec::new());
            }
            if values.len() > 1 {
                self.structure(
                    values[1].span,
                    Shape::TwoValues {
                        indicator: id.clone(),
                    },
                );
            }
            for r in &rules {
                self.structure(
                    r.span,
                    Shape::ComputedRules {
                        indicator: id.clone(),
                    },
                );
            }
            let mut out_lets: Vec<Let> = Vec::new();
            for (name, m) in &lets {
                if out_lets.iter().any(|l| l.name == name.name) {
                    self.errors.push(CheckError::Duplicate {
                        kind: Kind::Measure,
                        name: name.name.clone(),
                        src: self.src(),
                        span: name.span.into(),
                        first: None,
                    });
                    continue;
                }
                if let Some(measure) = self.measure(m) {
                    out_lets.push(Let {
                        name: name.name.clone(),
                        measure,
                        loc: self.loc(name.span),
                    });
                } else {
                    self.failed_lets.push(name.name.clone());
                }
            }
            let mut deps = Vec::new();
            let value = self.vexpr(v, &out_lets, lookup, &mut deps);
            self.failed_lets.clear();
            self.check_weights(ind, v);
            return (
                value.map(|value| Body::Formula {
                    lets: out_lets,
                    value,
                }),
                deps,
            );
        }
        if let Some((name, _)) = lets.first() {
            self.structure(
                name.span,
                Shape::MeasuresNoValue {
                    indicator: id.clone(),
                },
            );
        }

        let mut parts = Vec::new();
        if !blocks.is_empty() {
            if let Some(c) = counts.first() {
                self.structure(
                    c.span,
                    Shape::MixedCount {
                        indicator: id.clone(),
                    },
                );
            }
            for r in &rules {
                self.structure(r.span, Shape::RuleOutsideBlocks);
            }
            for b in blocks {
                let IndItem::SideBlock {
                    side,
                    count,
                    rules,
                    span,
                } = b
                else {
                    continue;
                };
                let Some(count) = count else {
                    self.structure(
                        *span,
                        Shape::BlockCountsNothing {
                            side: side.to_string(),
                        },
                    );
                    continue;
                };
                let role = if *side == Side::Numerator {
                    Role::Numerator
                } else {
                    Role::Denominator
                };
                let Some(mut part) = self.part(count, role) else {
                    continue;
                };
                for r in rules {
                    if let Some((s, sp)) = r.side {
                        self.structure(
                            sp,
                            Shape::SideInBlock {
                                side: s.to_string(),
                            },
                        );
                    }
                    if let Some(cr) = self.rule(r, part.table, false) {
                        part.rules.push(cr);
                    }
                }
                parts.push(part);
            }
            if !parts.iter().any(|p| p.role == Role::Numerator)
                || !parts.iter().any(|p| p.role == Role::Denominator)
            {
                self.structure(
                    ind.id.span,
                    Shape::MissingBlock {
                        indicator: id.clone(),
                    },
                );
            }
        } else {
            let Some(c) = counts.first() else {
                self.structure(
                    ind.id.span,
                    Shape::CountsNothing {
                        indicator: id.clone(),
                    },
                );
                return (None, Vec::new());
            };
            if counts.len() > 1 {
                self.structure(
                    counts[1].span,
                    Shape::TwoCounts {
                        indicator: id.clone(),
                    },
                );
            }
            let Some(mut part) = self.part(c, Role::Both) else {
                return (None, Vec::new());
            };
            let mut has_num = false;
            for r in &rules {
                let num_only = match r.side {
                    Some((Side::Numerator, _)) => true,
                    Some((Side::Denominator, sp)) => {
                        self.structure(sp, Shape::DenominatorRule);
                        false
                    }
                    None => false,
                };
                has_num |= num_only;
                if let Some(cr) = self.rule(r, part.table, num_only) {
                    part.rules.push(cr);
                }
            }
            // A count (`unit count`) is the number of records counted.
            let a_count = ind.items.iter().any(|i| {
                matches!(
                    i,
                    IndItem::Unit {
                        unit: Unit::Count,
                        ..
                    }
                )
            });
            if !has_num && !a_count {
                self.structure(
                    ind.id.span,
                    Shape::NoNumeratorRule {
                        indicator: id.clone(),
                    },
                );
            }
            parts.push(part);
        }
        (Some(Body::Ratio(parts)), Vec::new())
    }

    /// The body of `restrict BASE where …` or `over BASE numerator`.
    pub(super) fn copy_body(&mut self, ind: &ast::Indicator, base: Body) -> Option<Body> {
        let Body::Ratio(parts) = base else {
            self.structure(
                ind.id.span,
                Shape::CopiesComputed {
                    indicator: ind.id.name.clone(),
                },
            );
            return None;
        };
        let mut parts = parts;
        for it in &ind.items {
            match it {
                IndItem::Restrict { cond, span, .. } => {
                    for p in parts.iter_mut() {
                        let c = self.cond(
                            cond,
                            Ctx {
                                table: p.table,
                                allow_agg: true,
                            },
                        )?;
                        p.rules.insert(
                            0,
                            CRule {
                                kind: RuleKind::Require,
                                side: RuleSide::Both,
                                cond: c,
                                because: None,
                                cite: None,
                                loc: self.loc(*span),
                            },
                        );
                    }
                }
                IndItem::Over { .. } => {
                    parts.retain(|p| p.role != Role::Denominator);
                    for p in parts.iter_mut() {
                        p.role = Role::Both;
                        for r in p.rules.iter_mut() {
                            r.side = RuleSide::Both;
                        }
                    }
                }
                IndItem::Rule(r) => {
                    let num_only = matches!(r.side, Some((Side::Numerator, _)));
                    for p in parts.iter_mut() {
                        let cr = self.rule(r, p.table, num_only)?;
                        p.rules.push(cr);
                    }
                }
                IndItem::Count(c) => {
                    self.structure(c.span, Shape::CopyCount);
                }
                IndItem::SideBlock { span, .. } | IndItem::Value(ast::Expr { span, .. }) => {
                    self.structure(*span, Shape::CopyAdds);
                }
                _ => {}
            }
        }
        Some(Body::Ratio(parts))
    }

    /// A measure's `by DATE` and `where CONDITION`, checked on table `t`.
    #[allow(clippy::type_complexity)]
    pub(super) fn by_and_filter(
        &mut self,
        t: TableId,
        by: &Option<ast::Ident>,
        filter: &Option<ast::Expr>,
    ) -> Option<(Option<usize>, Option<CExpr>)> {
        let by = match by {
            Some(b) => Some(self.date_col(t, b)?),
            None => None,
        };
        let filter = match filter {
            Some(f) => Some(self.cond(
                f,
                Ctx {
                    table: t,
                    allow_agg: true,
                },
            )?),
            None => None,
        };
        Some((by, filter))
    }

    pub(super) fn measure(&mut self, m: &ast::Measure) -> Option<Measure> {
        match m {
            ast::Measure::Count {
                table, by, filter, ..
            } => {
                let t = self.table(table)?;
                let (by, filter) = self.by_and_filter(t, by, filter)?;
                Some(Measure::Count {
                    table: t,
                    by,
                    filter,
                })
            }
            ast::Measure::Agg {
                func,
                expr,
                table,
                by,
                filter,
                ..
            } => {
                let t = self.table(table)?;
                let (by, filter) = self.by_and_filter(t, by, filter)?;
                let (e, ty) = self.expr(
                    expr,
                    Ctx {
                        table: t,
                        allow_agg: true,
                    },
                )?;
                if ty != Ty::Num {
                    self.type_err(
                        expr.span,
                        Mismatch::FoldNeedsNumbers {
                            func: func.as_str(),
                            ty: ty.name(),
                        },
                    );
                    return None;
                }
                Some(Measure::Agg {
                    func: *func,
                    expr: e,
                    table: t,
                    by,
                    filter,
                })
            }
            ast::Measure::Lookup {
                table,
                column,
                filter,
                ..
            } => {
                let t = self.table(table)?;
                let Some(c) = self.schema.tables[t].col(&column.name) else {
                    let cands: Vec<&str> = self.schema.tables[t]
                        .columns
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect();
                    self.errors.push(CheckError::UnknownName {
                        name: column.name.clone(),
                        table: table.name.clone(),
                        src: self.src(),
                        span: column.span.into(),
                        help: Hint::Suggest(suggest(&column.name, &cands, Names::Columns)),
                    });
                    return None;
                };
                if !matches!(
                    self.schema.tables[t].columns[c].ty,
                    ColType::Int | ColType::Decimal
                ) {
                    self.type_err(
                        column.span,
                        Mismatch::LookupNumber {
                            ty: self.schema.tables[t].columns[c].ty.name(),
                        },
                    );
                    return None;
                }
                let filter = self.cond(
                    filter,
                    Ctx {
                        table: t,
                        allow_agg: false,
                    },
                )?;
                Some(Measure::Lookup {
                    table: t,
                    col: c,
                    filter,
                })
            }
        }
    }

    pub(super) fn vexpr(
        &mut self,
        e: &ast::Expr,
        lets: &[Let],
        lookup: &dyn Fn(&mut Self, &ast::Ident) -> Option<usize>,
        deps: &mut Vec<(IndId, Loc)>,
    ) -> Option<VExpr> {
        match &e.kind {
            ExprKind::Number(n) => Some(VExpr::Num(*n)),
            ExprKind::Percent(n) => Some(VExpr::Num(*n / 100.0)),
            ExprKind::Arith(l, op, r) => {
                let a = self.vexpr(l, lets, lookup, deps);
                let b = self.vexpr(r, lets, lookup, deps);
                Some(VExpr::Arith(*op, Box::new(a?), Box::new(b?)))
            }
            ExprKind::Path(p) if p.len() == 1 => {
                if let Some(i) = lets.iter().position(|l| l.name == p[0].name) {
                    return Some(VExpr::Let(i));
                }
                if self.failed_lets.contains(&p[0].name) {
                    return None;
                }
                let id = lookup(self, &p[0])?;
                deps.push((id, self.loc(p[0].span)));
                Some(VExpr::Ind(id))
            }
            ExprKind::Or(parts) if parts.len() == 2 => {
                let a = self.vexpr(&parts[0], lets, lookup, deps);
                let b = self.vexpr(&parts[1], lets, lookup, deps);
                Some(VExpr::Or(Box::new(a?), Box::new(b?)))
            }
            ExprKind::Call { name, args }
                if matches!(name.name.as_str(), "previous" | "last_year") =>
            {
                let prior = if name.name == "previous" {
                    Prior::Previous
                } else {
                    Prior::LastYear
                };
                let id = match args.as_slice() {
                    [
                        ast::Expr {
                            kind: ExprKind::Path(p),
                            ..
                        },
                    ] if p.len() == 1 => {
                        let id = lookup(self, &p[0])?;
                        deps.push((id, self.loc(p[0].span)));
                        id
                    }
                    _ => {
                        self.errors.push(CheckError::OtherPeriodArgument {
                            func: name.name.clone(),
                            src: self.src(),
                            span: e.span.into(),
                        });
                        return None;
                    }
                };
                Some(VExpr::Prior(id, prior))
            }
            ExprKind::Call { name, args }
                if matches!(name.name.as_str(), "min" | "max" | "sum_defined") =>
            {
                let mut out = Vec::new();
                for a in args {
                    out.push(self.vexpr(a, lets, lookup, deps)?);
                }
                Some(match name.name.as_str() {
                    "min" => VExpr::Min(out),
                    "max" => VExpr::Max(out),
                    _ => VExpr::SumDefined(out),
                })
            }
            _ => {
                self.structure(e.span, Shape::NotFormula);
                None
            }
        }
    }

    /// `value = 75% * A + 25% * B`: the weights of a weighted sum total 100%.
    pub(super) fn check_weights(&mut self, ind: &ast::Indicator, v: &ast::Expr) {
        fn terms<'e>(e: &'e ast::Expr, out: &mut Vec<&'e ast::Expr>) {
            match &e.kind {
                ExprKind::Arith(l, ArithOp::Add, r) => {
                    terms(l, out);
                    terms(r, out);
                }
                _ => out.push(e),
            }
        }
        let mut ts = Vec::new();
        terms(v, &mut ts);
        if ts.len() < 2 {
            return;
        }
        let mut total = 0.0;
        for t in &ts {
            let ExprKind::Arith(l, ArithOp::Mul, r) = &t.kind else {
                return;
            };
            // A term is an indicator, or an indicator with a default: `(B or 0)`.
            let is_id = |e: &ast::Expr| match &e.kind {
                ExprKind::Path(_) => true,
                ExprKind::Or(v) => v.len() == 2 && matches!(v[0].kind, ExprKind::Path(_)),
                _ => false,
            };
            let w = match (&l.kind, &r.kind) {
                (ExprKind::Percent(p), _) if is_id(r) => *p,
                (_, ExprKind::Percent(p)) if is_id(l) => *p,
                _ => return,
            };
            total += w;
        }
        if (total - 100.0).abs() > 1e-9 {
            self.errors.push(CheckError::Weights {
                indicator: ind.id.name.clone(),
                total,
                src: self.src(),
                span: v.span.into(),
            });
        }
    }
}
