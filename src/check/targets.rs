//! Target lines: who a target is for, its range, and two lines never setting
//! one department; shared with amendments through `target_scope`.

use std::collections::HashMap;

use super::{CheckError, Cx};
use crate::ir::*;
use crate::syntax::ast::{self, IndItem, Span};

impl<'a> Cx<'a> {
    pub(super) fn target(
        &mut self,
        t: &ast::Target,
        document: &str,
        resolve: &dyn Fn(&mut Self, &ast::Ident) -> Option<Vec<String>>,
        unit: Unit,
        max: Option<f64>,
    ) -> Option<Target> {
        let fits = self.bounds_errors(t, super::units::Bounds { unit, max });
        let (found, problems) = target_scope(&t.who, &mut |id| resolve(self, id));
        for p in problems {
            self.structure(p.span, p.shape);
        }
        let (scope, who) = found?;
        if !fits {
            return None;
        }
        Some(Target {
            scope,
            who,
            op: t.op,
            value: t.value,
            upper: t.upper,
            schedule: schedule_of(t),
            principle: t.principle,
            loc: self.loc(t.span),
            document: document.to_string(),
        })
    }

    /// Two target lines never set one department; a department excepted from a
    /// group target with no target of its own is reported.
    pub(super) fn check_targets(
        &mut self,
        ind: &ast::Indicator,
        targets: &[Target],
        _groups: &[(String, Vec<String>)],
        departments: &[String],
    ) {
        let mut set: HashMap<String, Loc> = HashMap::new();
        let mut court: Option<Loc> = None;
        for t in targets {
            match &t.scope {
                TargetScope::Court { .. } => {
                    if let Some(first) = court {
                        self.errors.push(CheckError::DuplicateTarget {
                            indicator: ind.id.name.clone(),
                            department: "court".into(),
                            src: self.src(),
                            span: t.loc.span.into(),
                            first: first.span.into(),
                        });
                    }
                    court = Some(t.loc);
                }
                TargetScope::Departments(ds) => {
                    for d in ds {
                        if let Some(first) = set.get(d) {
                            self.errors.push(CheckError::DuplicateTarget {
                                indicator: ind.id.name.clone(),
                                department: d.clone(),
                                src: self.src(),
                                span: t.loc.span.into(),
                                first: first.span.into(),
                            });
                        } else {
                            set.insert(d.clone(), t.loc);
                        }
                    }
                }
            }
        }
        let src = self.src();
        let acks = ind.items.iter().filter_map(|it| match it {
            IndItem::Acknowledge(a) => Some(a),
            _ => None,
        });
        let mut acks = super::ack::Acks::new(acks, &src, &mut self.errors);
        for it in &ind.items {
            if let IndItem::Target(ast::Target {
                who: ast::TargetWho::Group { except, .. },
                ..
            }) = it
            {
                for x in except {
                    if !set.contains_key(&x.name)
                        && _groups.iter().all(|(g, _)| *g != x.name)
                        && departments.contains(&x.name)
                        && !acks.covers("no_target", Some(&x.name))
                    {
                        self.errors.push(CheckError::NoTarget {
                            indicator: ind.id.name.clone(),
                            department: x.name.clone(),
                            in_block: false,
                            src: self.src(),
                            span: x.span.into(),
                        });
                    }
                }
            }
        }
        let text = self.files[self.cur].0.text.clone();
        self.errors.extend(acks.unused(&src, &text));
    }
}

/// A problem with a target line that is not an unknown name.
pub(crate) struct TargetProblem {
    pub span: Span,
    pub shape: super::Shape,
}

/// The departments a target line names, and the line's `who` as written
/// (`业务部门 except 刑事庭`, `court owner 立案庭`). `resolve` looks a name up
/// among departments and groups and reports an unknown one itself; the other
/// problems are returned for the caller to report. Used by base policies and
/// amendments alike.
pub(crate) fn target_scope(
    who: &ast::TargetWho,
    resolve: &mut dyn FnMut(&ast::Ident) -> Option<Vec<String>>,
) -> (Option<(TargetScope, String)>, Vec<TargetProblem>) {
    let mut problems = Vec::new();
    match who {
        ast::TargetWho::Court { owner, .. } => {
            if let Some(o) = owner {
                match resolve(o) {
                    None => return (None, problems),
                    Some(m) if m != [o.name.clone()] => {
                        problems.push(TargetProblem {
                            span: o.span,
                            shape: super::Shape::OwnerIsGroup {
                                owner: o.name.clone(),
                            },
                        });
                        return (None, problems);
                    }
                    Some(_) => {}
                }
            }
            let text = match owner {
                Some(o) => format!("court owner {}", o.name),
                None => "court".into(),
            };
            let scope = TargetScope::Court {
                owner: owner.as_ref().map(|o| o.name.clone()),
            };
            (Some((scope, text)), problems)
        }
        ast::TargetWho::Group { name, except } => {
            let Some(mut members) = resolve(name) else {
                return (None, problems);
            };
            for x in except {
                let Some(ex) = resolve(x) else {
                    return (None, problems);
                };
                if !ex.iter().all(|d| members.contains(d)) {
                    problems.push(TargetProblem {
                        span: x.span,
                        shape: super::Shape::NotMember {
                            name: x.name.clone(),
                            group: name.name.clone(),
                        },
                    });
                }
                members.retain(|d| !ex.contains(d));
            }
            if members.is_empty() {
                problems.push(TargetProblem {
                    span: who.span(),
                    shape: super::Shape::NoDepartment,
                });
                return (None, problems);
            }
            let text = if except.is_empty() {
                name.name.clone()
            } else {
                let ex: Vec<&str> = except.iter().map(|e| e.name.as_str()).collect();
                format!("{} except {}", name.name, ex.join(", "))
            };
            (Some((TargetScope::Departments(members), text)), problems)
        }
    }
}

/// A target line's schedule as days and values.
pub(crate) fn schedule_of(t: &ast::Target) -> Vec<(crate::value::Day, f64)> {
    t.schedule
        .iter()
        .filter_map(|(v, _, d)| d.date.map(|x| (crate::value::day_of(x), *v)))
        .collect()
}
