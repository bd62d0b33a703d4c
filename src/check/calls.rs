//! Function calls in expressions: aggregates over related rows and the built-in functions.

use super::diag::suggest;
use super::{CheckError, Ctx, Cx};
use crate::ir::*;
use crate::syntax::ast::{self, ExprKind};

impl<'a> Cx<'a> {
    pub(super) fn call(
        &mut self,
        name: &ast::Ident,
        args: &[ast::Expr],
        ctx: Ctx,
        loc: Loc,
    ) -> Option<(CExpr, Ty)> {
        let mk = |kind| CExpr { kind, loc };
        match name.name.as_str() {
            "any" | "every" | "count" => {
                let kind = match name.name.as_str() {
                    "any" => AggKind::Any,
                    "every" => AggKind::Every,
                    _ => AggKind::Count,
                };
                if !ctx.allow_agg {
                    self.structure(
                        name.span,
                        format!("`{}(…)` cannot be used here", name.name),
                        "nested or misplaced",
                        "aggregates over related rows cannot be nested or used in scope rules and attributions",
                    );
                    return None;
                }
                let (first, rest) = args.split_first()?;
                let child_name = match &first.kind {
                    ExprKind::Path(p) if p.len() == 1 => &p[0],
                    _ => {
                        self.structure(
                            first.span,
                            format!("the first argument of `{}` must be a table", name.name),
                            "not a table name",
                            &format!("write `{}(documents, …)`", name.name),
                        );
                        return None;
                    }
                };
                let child = self.table(child_name)?;
                let rels = self.schema.relations_between(child, ctx.table);
                if rels.len() != 1 {
                    let parent = &self.schema.tables[ctx.table].name;
                    self.structure(
                        child_name.span,
                        format!("`{}` rows do not point at `{parent}` rows through one relation", child_name.name),
                        "not related",
                        &format!("`{}(…)` looks at the rows of a table whose relation column refers to `{parent}`", name.name),
                    );
                    return None;
                }
                let rel_col = rels[0].col;
                let cond = match rest {
                    [] if kind != AggKind::Every => None,
                    [c] => Some(self.cond(
                        c,
                        Ctx {
                            table: child,
                            allow_agg: false,
                        },
                    )?),
                    _ => {
                        self.structure(
                            name.span,
                            format!("`{}` takes a table and one condition", name.name),
                            "wrong number of arguments",
                            &format!("write `{}(table, condition)`", name.name),
                        );
                        return None;
                    }
                };
                let id = self.aggs.len();
                self.aggs.push(Agg {
                    parent: ctx.table,
                    child,
                    rel_col,
                    cond,
                });
                let ty = if kind == AggKind::Count {
                    Ty::Num
                } else {
                    Ty::Bool
                };
                Some((mk(CKind::Agg(kind, id)), ty))
            }
            "hours" => {
                if args.len() != 2 {
                    self.structure(
                        name.span,
                        "`hours` takes two datetimes".into(),
                        "here",
                        "write `hours(from, to)`",
                    );
                    return None;
                }
                let a = self.expr(&args[0], ctx);
                let b = self.expr(&args[1], ctx);
                let ((ac, at), (bc, bt)) = (a?, b?);
                for (t, e) in [(at, &args[0]), (bt, &args[1])] {
                    if t != Ty::DateTime {
                        self.type_err(
                            e.span,
                            format!("`hours` needs datetimes, this is a `{}`", t.name()),
                            format!("a `{}` value", t.name()),
                            "pass two datetime columns".into(),
                        );
                        return None;
                    }
                }
                Some((mk(CKind::Hours(Box::new(ac), Box::new(bc))), Ty::Num))
            }
            other => {
                self.errors.push(CheckError::Unknown {
                    kind: "function",
                    name: other.to_string(),
                    src: self.src(),
                    span: name.span.into(),
                    help: suggest(
                        other,
                        &["any", "every", "count", "hours"],
                        "functions in conditions",
                    ),
                });
                None
            }
        }
    }
}
