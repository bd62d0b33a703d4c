//! What a value formula is evaluated against, for one department.

use std::collections::HashMap;

use super::{Figure, Report, V};
use crate::eval::why::{Back, Note, Operand, Undefined};
use crate::ir::*;
use crate::vocab::ArithOp;

/// What a value formula is evaluated against, for one department.
pub(super) struct Vx<'a> {
    pub lets: &'a [V],
    pub defs: &'a [Let],
    pub figures: &'a [Vec<Figure>],
    pub priors: &'a HashMap<Prior, std::sync::Arc<Report>>,
    pub p: &'a Policy,
    pub dept: &'a str,
}

impl Vx<'_> {
    /// An indicator's figure for this department, in this period's figures.
    fn figure_value(&self, i: IndId, figs: &[Figure], when: Option<Back>) -> V {
        let code = self.p.indicators[i].code.clone();
        match figs.iter().find(|f| f.department == self.dept) {
            Some(Figure { value: Some(x), .. }) => V::Def(*x),
            Some(Figure {
                undefined_reason: r,
                ..
            }) => V::Undef(Undefined::Indicator {
                code,
                when,
                reason: Box::new(r.clone().unwrap_or(Undefined::NoRecords)),
            }),
            None => V::Undef(Undefined::NoFigure {
                code,
                when,
                department: self.dept.to_string(),
            }),
        }
    }

    /// An undefined value propagates through every operation; `A or B`
    /// is where a policy says what stands in for it.
    pub(super) fn eval(&self, v: &VExpr, notes: &mut Vec<Note>) -> V {
        let name = |x: &VExpr| -> Operand {
            match x {
                VExpr::Let(i) => Operand::Measure(self.defs[*i].name.clone()),
                VExpr::Ind(i) => Operand::Indicator(self.p.indicators[*i].code.clone()),
                _ => Operand::Expression,
            }
        };
        match v {
            VExpr::Num(n) => V::Def(*n),
            VExpr::Let(i) => self.lets[*i].clone(),
            VExpr::Ind(i) => self.figure_value(*i, &self.figures[*i], None),
            VExpr::Prior(i, k) => {
                let code = &self.p.indicators[*i].code;
                match self.priors.get(k) {
                    Some(r) => {
                        let when = Back {
                            prior: *k,
                            period: r.period.label.clone(),
                        };
                        let figs = r.indicator(code).map_or(&[][..], |x| &x.figures);
                        self.figure_value(*i, figs, Some(when))
                    }
                    None => V::Undef(Undefined::PriorNotEvaluated {
                        code: code.clone(),
                        prior: *k,
                    }),
                }
            }
            VExpr::Or(a, b) => match self.eval(a, notes) {
                V::Def(x) => V::Def(x),
                V::Undef(r) => {
                    let d = self.eval(b, notes);
                    if let V::Def(x) = d {
                        notes.push(Note::StandsIn {
                            value: x,
                            reason: r,
                        });
                    }
                    d
                }
            },
            VExpr::Arith(op, a, b) => {
                let x = self.eval(a, notes);
                let y = self.eval(b, notes);
                match (x, y) {
                    (V::Undef(r), _) | (_, V::Undef(r)) => V::Undef(r),
                    (V::Def(x), V::Def(y)) => match op {
                        ArithOp::Add => V::Def(x + y),
                        ArithOp::Sub => V::Def(x - y),
                        ArithOp::Mul => V::Def(x * y),
                        ArithOp::Div if y == 0.0 => V::Undef(Undefined::ZeroDivisor {
                            divisor: name(b_expr(v)),
                        }),
                        ArithOp::Div => V::Def(x / y),
                    },
                }
            }
            VExpr::SumDefined(xs) => {
                let mut acc: Option<f64> = None;
                let mut left = Vec::new();
                let mut first = None;
                for x in xs {
                    match self.eval(x, notes) {
                        V::Def(y) => acc = Some(acc.unwrap_or(0.0) + y),
                        V::Undef(r) => {
                            first.get_or_insert_with(|| r.clone());
                            left.push(r);
                        }
                    }
                }
                match acc {
                    Some(x) => {
                        notes.extend(left.into_iter().map(|r| Note::LeftOutOfSum { reason: r }));
                        V::Def(x)
                    }
                    None => V::Undef(first.unwrap_or(Undefined::NoTerms)),
                }
            }
            VExpr::Min(xs) | VExpr::Max(xs) => {
                let mut acc: Option<f64> = None;
                for x in xs {
                    match self.eval(x, notes) {
                        V::Undef(r) => return V::Undef(r),
                        V::Def(y) => {
                            acc = Some(match (acc, v) {
                                (None, _) => y,
                                (Some(a), VExpr::Min(_)) => a.min(y),
                                (Some(a), _) => a.max(y),
                            })
                        }
                    }
                }
                acc.map_or(V::Undef(Undefined::NoArguments), V::Def)
            }
        }
    }
}

fn b_expr(v: &VExpr) -> &VExpr {
    match v {
        VExpr::Arith(_, _, b) => b,
        other => other,
    }
}
