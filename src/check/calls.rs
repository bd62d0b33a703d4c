//! Function calls in expressions: aggregates over related rows and the built-in functions.

use super::diag::{Hint, Kind, Names, Shape, suggest_listed};
use super::{CheckError, Ctx, Cx};
use crate::funcs::{FUNCS, FuncId, Gives};
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
                        Shape::AggregateMisplaced {
                            func: name.name.clone(),
                        },
                    );
                    return None;
                }
                let (first, rest) = args.split_first()?;
                let child_name = match &first.kind {
                    ExprKind::Path(p) if p.len() == 1 => &p[0],
                    _ => {
                        self.structure(
                            first.span,
                            Shape::AggregateTable {
                                func: name.name.clone(),
                            },
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
                        Shape::NotRelated {
                            func: name.name.clone(),
                            child: child_name.name.clone(),
                            parent: parent.clone(),
                        },
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
                            Shape::AggregateArguments {
                                func: name.name.clone(),
                            },
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
            other => match crate::funcs::lookup(other) {
                Some(f) => self.registry_call(f, name, args, ctx, loc),
                None => {
                    let mut names = vec!["any", "every", "count"];
                    names.extend(FUNCS.iter().map(|f| f.name));
                    self.errors.push(CheckError::Unknown {
                        kind: Kind::Function,
                        name: other.to_string(),
                        src: self.src(),
                        span: name.span.into(),
                        help: Hint::Suggest(suggest_listed(
                            other,
                            &names,
                            Names::FunctionsInConditions,
                        )),
                    });
                    None
                }
            },
        }
    }

    /// A call of a function of the registry: its arguments typed against
    /// its entry.
    fn registry_call(
        &mut self,
        f: FuncId,
        name: &ast::Ident,
        args: &[ast::Expr],
        ctx: Ctx,
        loc: Loc,
    ) -> Option<(CExpr, Ty)> {
        let func = &FUNCS[f];
        if args.len() != func.args.len() {
            self.errors.push(CheckError::Arity {
                name: func.name,
                expected: func.args.len(),
                got: args.len(),
                example: func.example,
                src: self.src(),
                span: name.span.into(),
            });
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, (a, want)) in args.iter().zip(func.args).enumerate() {
            let Some((c, ty)) = self.expr(a, ctx) else {
                ok = false;
                continue;
            };
            if !crate::funcs::accepts(*want, ty) {
                self.errors.push(CheckError::ArgType {
                    name: func.name,
                    position: i + 1,
                    expected: *want,
                    found: ty.name(),
                    example: func.example,
                    src: self.src(),
                    span: a.span.into(),
                });
                ok = false;
                continue;
            }
            out.push(c);
        }
        if !ok {
            return None;
        }
        let ty = match func.gives {
            Gives::Bool => Ty::Bool,
            Gives::Num => Ty::Num,
            Gives::Date => Ty::Date,
        };
        Some((
            CExpr {
                kind: CKind::Call(f, out),
                loc,
            },
            ty,
        ))
    }
}
