//! Checking an amendment against the version it amends, and applying it: the
//! result is the new version's checked policy. The base file is never edited.

use super::diag::{Before, CheckError, Hint, Kind, LineRef, Names, Shape, suggest};
use super::{Checked, is_error};
use crate::ir::Meta;
use crate::ir::*;
use crate::source::SourceFile;
use crate::syntax::ast::{self, AmendItem, Decl, Span};
use crate::value::{day_of, fmt_day};

/// Check `file` (an amendment, alone) against `base` and return the amended
/// policy. An amendment that also replaces definitions or indicators is checked
/// with [`super::check_chain`] and [`apply`] (see `workspace`).
pub fn check_amendment(src: &SourceFile, file: &ast::PolicyFile, base: &Policy) -> Checked {
    let mut policy = base.clone();
    policy.sources.push(src.clone());
    let file_id = policy.sources.len() - 1;
    let errors = apply(
        src,
        file,
        &mut policy,
        file_id,
        &base.meta,
        &Default::default(),
    );
    let ok = !errors.iter().any(is_error);
    Checked {
        policy: ok.then_some(policy),
        diagnostics: errors,
    }
}

/// Apply amendment `file` (source `file_id` of `policy`) to `policy`: check its
/// header against `prev` (the version it amends), apply its target changes
/// (except to indicators a later amendment replaces whole), and take its
/// document, version and effective date. Returns the diagnostics.
pub fn apply(
    src: &SourceFile,
    file: &ast::PolicyFile,
    policy: &mut Policy,
    file_id: usize,
    prev: &Meta,
    replaced_later: &std::collections::HashSet<String>,
) -> Vec<CheckError> {
    let base = &policy.clone();
    let named = src.named();
    let mut errors: Vec<CheckError> = Vec::new();
    let loc = |span: Span| Loc {
        file: file_id,
        span,
    };
    let structure = |errors: &mut Vec<CheckError>, span: Span, shape: Shape| {
        errors.push(CheckError::Structure {
            shape,
            src: named.clone(),
            span: span.into(),
        });
    };
    let h = &file.header;
    for sp in &h.duplicate_fields {
        structure(&mut errors, *sp, Shape::DuplicateHeaderField);
    }
    let document = match &h.document {
        Some(d) => d.value.clone(),
        None => {
            structure(
                &mut errors,
                h.title.span,
                Shape::NoDocument { amendment: true },
            );
            String::new()
        }
    };
    let effective = match &h.effective {
        Some(d) => match d.date {
            Some(date) => {
                let day = day_of(date);
                if day <= prev.effective {
                    structure(
                        &mut errors,
                        d.span,
                        Shape::AmendmentNotAfter {
                            date: d.text.clone(),
                            document: prev.document.clone(),
                            effective: fmt_day(prev.effective),
                        },
                    );
                }
                Some(day)
            }
            None => {
                errors.push(CheckError::InvalidDate {
                    text: d.text.clone(),
                    src: named.clone(),
                    span: d.span.into(),
                });
                None
            }
        },
        None => {
            structure(
                &mut errors,
                h.title.span,
                Shape::NoEffective { amendment: true },
            );
            None
        }
    };
    let all_names: Vec<&str> = base
        .departments
        .iter()
        .map(String::as_str)
        .chain(base.groups.iter().map(|g| g.0.as_str()))
        .collect();
    let resolve = |errors: &mut Vec<CheckError>, id: &ast::Ident| -> Option<Vec<String>> {
        if base.departments.contains(&id.name) {
            return Some(vec![id.name.clone()]);
        }
        if let Some(m) = base.group(&id.name) {
            return Some(m.to_vec());
        }
        errors.push(CheckError::Unknown {
            kind: Kind::DepartmentOrGroup,
            name: id.name.clone(),
            src: named.clone(),
            span: id.span.into(),
            help: Hint::SuggestInAmendment(suggest(
                &id.name,
                &all_names,
                Names::DepartmentsAndGroups,
            )),
        });
        None
    };
    let who_of =
        |errors: &mut Vec<CheckError>, who: &ast::TargetWho| -> Option<(TargetScope, String)> {
            let (found, problems) = super::target_scope(who, &mut |id| resolve(errors, id));
            for p in problems {
                errors.push(CheckError::Structure {
                    shape: p.shape,
                    src: named.clone(),
                    span: p.span.into(),
                });
            }
            found
        };
    let codes: Vec<&str> = base.indicators.iter().map(|i| i.id.as_str()).collect();
    for d in &file.decls {
        if matches!(d, Decl::Define(_) | Decl::Indicator(_)) {
            // Replaced or added whole: checked with the rest of the policy.
            continue;
        }
        let Decl::Amend {
            indicator, items, ..
        } = d
        else {
            let span = match d {
                Decl::Indicator(i) => i.id.span,
                Decl::Define(x) => x.name.span,
                Decl::Scope(x) => x.span,
                Decl::Attribution { span, .. } => *span,
                Decl::Group { name, .. } => name.span,
                Decl::Departments(list) => list.first().map_or(h.span, |i| i.span),
                Decl::Amend { span, .. } => *span,
            };
            structure(&mut errors, span, Shape::AmendmentChangesOnly);
            continue;
        };
        if replaced_later.contains(&indicator.name) {
            continue;
        }
        let Some(ii) = base.indicator(&indicator.name) else {
            errors.push(CheckError::Unknown {
                kind: Kind::Indicator,
                name: indicator.name.clone(),
                src: named.clone(),
                span: indicator.span.into(),
                help: Hint::SuggestInAmendment(suggest(&indicator.name, &codes, Names::Indicators)),
            });
            continue;
        };
        // Departments set by this amendment, to find two lines setting one.
        let mut set_here: Vec<(String, Span)> = Vec::new();
        let acks = items.iter().filter_map(|it| match it {
            AmendItem::Acknowledge(a) => Some(a),
            _ => None,
        });
        let mut acks = super::ack::Acks::new(acks, &named, &mut errors);
        // The first line changing departments' targets, and whether the court's changes.
        let mut dept_line: Option<&ast::Target> = None;
        let mut dept_removed: Option<Span> = None;
        let mut court_touched = false;
        for item in items {
            match item {
                AmendItem::Acknowledge(_) => {}
                AmendItem::Set(t) => {
                    let cur = &policy.indicators[ii];
                    let bounds = super::units::Bounds {
                        unit: cur.unit,
                        max: cur.max,
                    };
                    let misfits = super::units::misfits(t, bounds, &named);
                    if !misfits.is_empty() {
                        errors.extend(misfits);
                        continue;
                    }
                    let Some((scope, who)) = who_of(&mut errors, &t.who) else {
                        continue;
                    };
                    let depts: Vec<String> = match &scope {
                        TargetScope::Court { .. } => vec!["court".into()],
                        TargetScope::Departments(d) => d.clone(),
                    };
                    match &t.who {
                        ast::TargetWho::Court { .. } => court_touched = true,
                        ast::TargetWho::Group { name, .. } => {
                            dept_line.get_or_insert(t);
                            if base.group(&name.name).is_some() {
                                for d in &depts {
                                    if base.indicators[ii].targets.iter().any(|x| x.applies_to(d))
                                        || acks.covers("new_target", Some(d))
                                    {
                                        continue;
                                    }
                                    errors.push(new_target(
                                        base, ii, d, &name.name, t, &src.text, &named,
                                    ));
                                }
                            }
                        }
                    }
                    for d in &depts {
                        if let Some((_, first)) = set_here.iter().find(|(x, _)| x == d) {
                            errors.push(CheckError::DuplicateTarget {
                                indicator: indicator.name.clone(),
                                department: d.clone(),
                                src: named.clone(),
                                span: t.span.into(),
                                first: (*first).into(),
                            });
                        } else {
                            set_here.push((d.clone(), t.span));
                        }
                    }
                    let ind = &mut policy.indicators[ii];
                    remove_departments(ind, &scope);
                    ind.targets.push(Target {
                        scope,
                        who,
                        op: t.op,
                        value: t.value,
                        upper: t.upper,
                        schedule: super::targets::schedule_of(t),
                        principle: t.principle,
                        loc: loc(t.span),
                        document: document.clone(),
                    });
                }
                AmendItem::Remove(who, span) => {
                    let Some((scope, _)) = who_of(&mut errors, who) else {
                        continue;
                    };
                    match &scope {
                        TargetScope::Court { .. } => court_touched = true,
                        TargetScope::Departments(_) => {
                            dept_removed.get_or_insert(*span);
                        }
                    }
                    let ind = &mut policy.indicators[ii];
                    let before: usize = ind.targets.iter().map(target_width).sum();
                    remove_departments(ind, &scope);
                    let after: usize = ind.targets.iter().map(target_width).sum();
                    if before == after {
                        let targets: Vec<String> =
                            ind.targets.iter().map(|t| t.who.clone()).collect();
                        structure(
                            &mut errors,
                            *span,
                            Shape::NoTargetToRemove {
                                indicator: indicator.name.clone(),
                                targets,
                            },
                        );
                    }
                }
            }
        }
        let ind = indicator.name.as_str();
        if !court_touched
            && let Some(court) = base.indicators[ii]
                .targets
                .iter()
                .find(|t| matches!(t.scope, TargetScope::Court { .. }))
            && let Some(span) = dept_line.map(|t| t.span).or(dept_removed)
            && !acks.covers("court_target_unchanged", None)
        {
            let suggestion = dept_line.map(|t| {
                let rest = src.text.get(t.who.span().end..t.span.end).unwrap_or("");
                format!("target court {}", rest.trim())
            });
            errors.push(CheckError::CourtTargetUnchanged {
                indicator: ind.to_string(),
                court_line: line_ref(base, court.loc),
                suggestion,
                src: named.clone(),
                span: span.into(),
            });
        }
        // A department this block excepts from a group target and leaves with
        // no target of its own, in the version the amendment makes.
        for item in items {
            let AmendItem::Set(ast::Target {
                who: ast::TargetWho::Group { except, .. },
                ..
            }) = item
            else {
                continue;
            };
            for x in except {
                if base.departments.contains(&x.name)
                    && !policy.indicators[ii]
                        .targets
                        .iter()
                        .any(|t| t.applies_to(&x.name))
                    && !acks.covers("no_target", Some(&x.name))
                {
                    errors.push(CheckError::NoTarget {
                        indicator: ind.to_string(),
                        department: x.name.clone(),
                        in_block: true,
                        src: named.clone(),
                        span: x.span.into(),
                    });
                }
            }
        }
        errors.extend(acks.unused(&named, &src.text));
    }
    if let Some(e) = effective {
        policy.meta.effective = e;
    }
    policy.meta.document = document;
    policy.meta.version = h
        .version
        .as_ref()
        .map(|v| v.value.clone())
        .unwrap_or_default();
    errors
}

fn target_width(t: &Target) -> usize {
    match &t.scope {
        TargetScope::Court { .. } => 1,
        TargetScope::Departments(d) => d.len(),
    }
}

/// Take `scope`'s departments (or the court) out of the indicator's targets;
/// a target left with no department is dropped.
fn remove_departments(ind: &mut Indicator, scope: &TargetScope) {
    match scope {
        TargetScope::Court { .. } => ind
            .targets
            .retain(|t| !matches!(t.scope, TargetScope::Court { .. })),
        TargetScope::Departments(ds) => {
            for t in ind.targets.iter_mut() {
                if let TargetScope::Departments(have) = &mut t.scope {
                    let before = have.len();
                    have.retain(|d| !ds.contains(d));
                    if have.len() != before && !have.is_empty() {
                        // Said in the policy's own words: the departments
                        // taken out are exceptions of the group's target.
                        let removed = ds.join(", ");
                        t.who = if t.who.contains(" except ") {
                            format!("{}, {removed}", t.who)
                        } else {
                            format!("{} except {removed}", t.who)
                        };
                    }
                }
            }
            ind.targets
                .retain(|t| !matches!(&t.scope, TargetScope::Departments(d) if d.is_empty()));
        }
    }
}

/// A line of a version: its first line, file and line number.
fn line_ref(p: &Policy, loc: Loc) -> LineRef {
    let (file, line, _) = p.line_of(loc);
    let text = p.text_of(loc).lines().next().unwrap_or("").trim();
    LineRef {
        text: text.to_string(),
        file: file.to_string(),
        line,
    }
}

/// `department` gets its first target on indicator `ii` through group line `t`.
fn new_target(
    base: &Policy,
    ii: usize,
    department: &str,
    group: &str,
    t: &ast::Target,
    text: &str,
    named: &super::diag::Src,
) -> CheckError {
    let ind = &base.indicators[ii];
    let excepted = ind.targets.iter().find(|x| {
        x.who
            .split_once(" except ")
            .is_some_and(|(_, ex)| ex.split(", ").any(|e| e == department))
    });
    let before = Before {
        line: line_ref(base, excepted.map_or(ind.loc, |x| x.loc)),
        excepted: excepted.is_some(),
        document: base.meta.document.clone(),
    };
    let rest = text.get(t.who.span().end..t.span.end).unwrap_or("").trim();
    let who = text
        .get(t.who.span().start..t.who.span().end)
        .unwrap_or(group);
    let keep = if who.contains(" except ") {
        format!("{who}, {department}")
    } else {
        format!("{who} except {department}")
    };
    CheckError::NewTarget {
        indicator: ind.code.clone(),
        department: department.to_string(),
        before,
        group: group.to_string(),
        keep,
        rest: rest.to_string(),
        src: named.clone(),
        span: t.span.into(),
    }
}
