//! Typing expressions: conditions, operators, literals, enum values and paths
//! through columns, relations and definitions.

use super::diag::suggest;
use super::{CheckError, Ctx, Cx, Hint, Kind, Mismatch, Names, Shape, did_you_mean};
use crate::ir::*;
use crate::schema::{ColType, TableId};
use crate::syntax::ast::{self, ArithOp, CmpOp, DurUnit, ExprKind, Span};
use crate::value::{Lit, day_of};

impl<'a> Cx<'a> {
    /// The day a date literal names; a date that does not exist is reported.
    pub(super) fn day(&mut self, d: &ast::DateLit) -> Option<crate::value::Day> {
        match d.date {
            Some(x) => Some(day_of(x)),
            None => {
                self.errors.push(CheckError::InvalidDate {
                    text: d.text.clone(),
                    src: self.src(),
                    span: d.span.into(),
                });
                None
            }
        }
    }

    /// A condition: an expression of type bool.
    pub(super) fn cond(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<CExpr> {
        let (c, ty) = self.expr(e, ctx)?;
        if ty != Ty::Bool {
            self.type_err(e.span, Mismatch::NotCondition { ty: ty.name() });
            return None;
        }
        Some(c)
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<(CExpr, Ty)> {
        let loc = self.loc(e.span);
        let mk = |kind| CExpr { kind, loc };
        match &e.kind {
            // `extended_days or 0`: a value with a default where it is empty.
            ExprKind::Or(parts)
                if parts.len() == 2
                    && matches!(
                        parts[1].kind,
                        ExprKind::Number(_) | ExprKind::Date(_) | ExprKind::Str(_)
                    ) =>
            {
                let (a, at) = self.expr(&parts[0], ctx)?;
                if at == Ty::Bool {
                    // `x or 0` of a condition: as `or` reads.
                    let b = self.cond(&parts[1], ctx)?;
                    return Some((mk(CKind::Or(vec![a, b])), Ty::Bool));
                }
                let (b, bt) = self.expr(&parts[1], ctx)?;
                let same = at == bt || matches!((at, bt), (Ty::Date | Ty::DateTime, Ty::Date));
                if !same {
                    self.type_err(
                        parts[1].span,
                        Mismatch::Default {
                            of: at.name(),
                            got: bt.name(),
                        },
                    );
                    return None;
                }
                Some((mk(CKind::Default(Box::new(a), Box::new(b))), at))
            }
            ExprKind::Or(parts) | ExprKind::And(parts) => {
                let mut out = Vec::new();
                let mut ok = true;
                for p in parts {
                    match self.cond(p, ctx) {
                        Some(c) => out.push(c),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                let kind = if matches!(e.kind, ExprKind::Or(_)) {
                    CKind::Or(out)
                } else {
                    CKind::And(out)
                };
                Some((mk(kind), Ty::Bool))
            }
            ExprKind::Not(inner) => {
                let c = self.cond(inner, ctx)?;
                Some((mk(CKind::Not(Box::new(c))), Ty::Bool))
            }
            ExprKind::Cmp(l, op, r) => {
                let left = self.expr(l, ctx);
                let right = self.expr(r, ctx);
                let ((mut lc, lt), (mut rc, rt)) = (left?, right?);
                let ty_ok = match (lt, rt) {
                    (Ty::Num, Ty::Num) => true,
                    (Ty::Date | Ty::DateTime, Ty::Date | Ty::DateTime) => true,
                    (Ty::Text, Ty::Text) | (Ty::Bool, Ty::Bool) => {
                        matches!(op, CmpOp::Eq | CmpOp::Ne)
                    }
                    (Ty::Enum(t, c), Ty::Text) => {
                        rc = self.enum_lit(rc, t, c, r.span)?;
                        matches!(op, CmpOp::Eq | CmpOp::Ne)
                    }
                    (Ty::Text, Ty::Enum(t, c)) => {
                        lc = self.enum_lit(lc, t, c, l.span)?;
                        matches!(op, CmpOp::Eq | CmpOp::Ne)
                    }
                    (Ty::Enum(a, b), Ty::Enum(c, d)) => {
                        (a, b) == (c, d) && matches!(op, CmpOp::Eq | CmpOp::Ne)
                    }
                    _ => false,
                };
                if !ty_ok {
                    let same = lt.name() == rt.name();
                    self.type_err(
                        e.span,
                        if same {
                            Mismatch::CompareOp {
                                ty: lt.name(),
                                op: op.as_str(),
                            }
                        } else {
                            Mismatch::Compare {
                                left: lt.name(),
                                right: rt.name(),
                                op: op.as_str(),
                            }
                        },
                    );
                    return None;
                }
                Some((mk(CKind::Cmp(*op, Box::new(lc), Box::new(rc))), Ty::Bool))
            }
            ExprKind::IsEmpty { expr, negated } => {
                let (c, _) = self.expr(expr, ctx)?;
                Some((mk(CKind::IsEmpty(Box::new(c), *negated)), Ty::Bool))
            }
            ExprKind::In {
                expr,
                negated,
                list,
            } => {
                let (c, ty) = self.expr(expr, ctx)?;
                let mut lits = Vec::new();
                let mut ok = true;
                for item in list {
                    let lit = match (&item.kind, ty) {
                        (ExprKind::Str(s), Ty::Enum(t, col)) => {
                            match self.enum_index(t, col, s, item.span) {
                                Some(i) => Lit::Enum(i, s.clone()),
                                None => {
                                    ok = false;
                                    continue;
                                }
                            }
                        }
                        (ExprKind::Str(s), Ty::Text) => Lit::Str(s.clone()),
                        (ExprKind::Number(n), Ty::Num) => Lit::Num(*n),
                        (ExprKind::Date(d), Ty::Date | Ty::DateTime) => match self.day(d) {
                            Some(x) => Lit::Date(x),
                            None => {
                                ok = false;
                                continue;
                            }
                        },
                        _ => {
                            self.type_err(item.span, Mismatch::ListLiteral { ty: ty.name() });
                            ok = false;
                            continue;
                        }
                    };
                    lits.push(lit);
                }
                ok.then(|| (mk(CKind::In(Box::new(c), *negated, lits)), Ty::Bool))
            }
            ExprKind::Arith(l, op, r)
                if matches!(r.kind, ExprKind::Duration(..))
                    && matches!(op, ArithOp::Add | ArithOp::Sub) =>
            {
                let ExprKind::Duration(n, unit) = r.kind else {
                    return None;
                };
                let (lc, lt) = self.expr(l, ctx)?;
                if !matches!(lt, Ty::Date | Ty::DateTime) {
                    self.type_err(l.span, Mismatch::DurationOn { ty: lt.name() });
                    return None;
                }
                let sign = if *op == ArithOp::Sub { -1.0 } else { 1.0 };
                let (func, amount) = match unit {
                    DurUnit::Days => ("add_days", n),
                    DurUnit::Months => ("add_months", n),
                    DurUnit::Years => ("add_months", n * 12.0),
                };
                let f = crate::funcs::lookup(func)?;
                let amount = CExpr {
                    kind: CKind::Lit(Lit::Num(sign * amount)),
                    loc: self.loc(r.span),
                };
                Some((mk(CKind::Call(f, vec![lc, amount])), Ty::Date))
            }
            ExprKind::Duration(..) => {
                self.type_err(e.span, Mismatch::DurationAlone);
                None
            }
            ExprKind::Arith(l, op, r) => {
                let left = self.expr(l, ctx);
                let right = self.expr(r, ctx);
                let ((lc, lt), (rc, rt)) = (left?, right?);
                if lt != Ty::Num || rt != Ty::Num {
                    let bad = if lt != Ty::Num {
                        (l.span, lt)
                    } else {
                        (r.span, rt)
                    };
                    self.type_err(
                        bad.0,
                        Mismatch::Arithmetic {
                            op: op.as_str(),
                            ty: bad.1.name(),
                        },
                    );
                    return None;
                }
                Some((mk(CKind::Arith(*op, Box::new(lc), Box::new(rc))), Ty::Num))
            }
            ExprKind::Number(n) => Some((mk(CKind::Lit(Lit::Num(*n))), Ty::Num)),
            ExprKind::Percent(n) => Some((mk(CKind::Lit(Lit::Num(*n / 100.0))), Ty::Num)),
            ExprKind::Str(s) => Some((mk(CKind::Lit(Lit::Str(s.clone()))), Ty::Text)),
            ExprKind::Bool(b) => Some((mk(CKind::Lit(Lit::Bool(*b))), Ty::Bool)),
            ExprKind::Date(d) => Some((mk(CKind::Lit(Lit::Date(self.day(d)?))), Ty::Date)),
            ExprKind::Path(parts) => self.path(parts, ctx, loc),
            ExprKind::Call { name, args } => self.call(name, args, ctx, loc),
        }
    }

    pub(super) fn enum_index(&mut self, t: TableId, c: usize, s: &str, span: Span) -> Option<u16> {
        let col = &self.schema.tables[t].columns[c];
        match col.values.iter().position(|v| v == s) {
            Some(i) => Some(i as u16),
            None => {
                let vals: Vec<&str> = col.values.iter().map(String::as_str).collect();
                let close = did_you_mean(s, vals.iter().copied()).into_iter().next();
                self.errors.push(CheckError::EnumValue {
                    value: s.to_string(),
                    column: format!("{}.{}", self.schema.tables[t].name, col.name),
                    values: col.values.clone(),
                    close,
                    src: self.src(),
                    span: span.into(),
                });
                None
            }
        }
    }

    pub(super) fn enum_lit(&mut self, e: CExpr, t: TableId, c: usize, span: Span) -> Option<CExpr> {
        match &e.kind {
            CKind::Lit(Lit::Str(s)) => {
                let i = self.enum_index(t, c, s, span)?;
                Some(CExpr {
                    kind: CKind::Lit(Lit::Enum(i, s.clone())),
                    loc: e.loc,
                })
            }
            _ => {
                self.type_err(span, Mismatch::EnumComputed);
                None
            }
        }
    }

    pub(super) fn path(&mut self, parts: &[ast::Ident], ctx: Ctx, loc: Loc) -> Option<(CExpr, Ty)> {
        let mk = |kind| CExpr { kind, loc };
        let mut table = ctx.table;
        let mut nav = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let t = &self.schema.tables[table];
            if i == 0 && p.name == "period" && t.col("period").is_none() && parts.len() == 2 {
                let edge = match parts[1].name.as_str() {
                    "start" => PeriodEdge::Start,
                    "end" => PeriodEdge::End,
                    other => {
                        self.errors.push(CheckError::Unknown {
                            kind: Kind::PeriodField,
                            name: other.to_string(),
                            src: self.src(),
                            span: parts[1].span.into(),
                            help: Hint::PeriodFields,
                        });
                        return None;
                    }
                };
                return Some((mk(CKind::Period(edge)), Ty::Date));
            }
            if let Some(c) = t.col(&p.name) {
                if !last {
                    let relation = self
                        .schema
                        .relations
                        .iter()
                        .find(|r| r.from == table && r.col == c)
                        .map(|r| r.name.clone());
                    self.structure(
                        parts[i + 1].span,
                        Shape::ColumnNoField {
                            column: p.name.clone(),
                            field: parts[i + 1].name.clone(),
                            relation,
                        },
                    );
                    return None;
                }
                let col = &t.columns[c];
                let ty = match col.ty {
                    ColType::Text => Ty::Text,
                    ColType::Enum => Ty::Enum(table, c),
                    ColType::Bool => Ty::Bool,
                    ColType::Int | ColType::Decimal => Ty::Num,
                    ColType::Date => Ty::Date,
                    ColType::Datetime => Ty::DateTime,
                };
                return Some((mk(CKind::Col(ColRef { nav, table, col: c })), ty));
            }
            if let Some(ri) = self
                .schema
                .relations
                .iter()
                .position(|r| r.from == table && r.name == p.name)
            {
                if last {
                    self.structure(
                        p.span,
                        Shape::RelationNotValue {
                            name: p.name.clone(),
                        },
                    );
                    return None;
                }
                nav.push(ri);
                table = self.schema.relations[ri].to;
                continue;
            }
            let key = (table, p.name.clone());
            if self.def_ast.contains_key(&key) {
                if !last {
                    self.structure(
                        parts[i + 1].span,
                        Shape::DefinitionNoField {
                            name: p.name.clone(),
                            field: parts[i + 1].name.clone(),
                        },
                    );
                    return None;
                }
                self.def_used.insert(key);
                let id = self.resolve_def(table, &p.name, Some(p.span))?;
                let ty = self.defs[id].ty;
                return Some((mk(CKind::Def { nav, def: id }), ty));
            }
            // Unknown: suggest among this table's names.
            let t = &self.schema.tables[table];
            let mut cands: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            cands.extend(
                self.schema
                    .relations
                    .iter()
                    .filter(|r| r.from == table)
                    .map(|r| r.name.as_str()),
            );
            cands.extend(
                self.def_ast
                    .keys()
                    .filter(|k| k.0 == table)
                    .map(|k| k.1.as_str()),
            );
            let mut help = Hint::Suggest(suggest(&p.name, &cands, Names::Names));
            if self.schema.table(&p.name).is_some() {
                help = Hint::IsTable {
                    name: p.name.clone(),
                    from: t.name.clone(),
                };
            } else if let Some(other) = self.def_ast.keys().find(|k| k.1 == p.name) {
                let on = self.schema.tables[other.0].name.clone();
                help = match self
                    .schema
                    .relations
                    .iter()
                    .find(|r| r.from == table && r.to == other.0)
                {
                    Some(r) => Hint::DefinedThrough {
                        name: p.name.clone(),
                        on,
                        relation: r.name.clone(),
                    },
                    None => Hint::DefinedElsewhere {
                        name: p.name.clone(),
                        on,
                        table: t.name.clone(),
                    },
                };
            }
            self.errors.push(CheckError::UnknownName {
                name: p.name.clone(),
                table: t.name.clone(),
                src: self.src(),
                span: p.span.into(),
                help,
            });
            return None;
        }
        None
    }
}
