//! Checking an amendment against the version it amends, and applying it: the
//! result is the new version's checked policy. The base file is never edited.

use super::diag::{CheckError, suggest};
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
    let structure =
        |errors: &mut Vec<CheckError>, span: Span, message: String, label: &str, help: &str| {
            errors.push(CheckError::Structure {
                message,
                src: named.clone(),
                span: span.into(),
                label: label.into(),
                help: help.into(),
            });
        };
    let h = &file.header;
    for sp in &h.duplicate_fields {
        structure(
            &mut errors,
            *sp,
            "a header field is given twice".into(),
            "given again here",
            "keep one line per header field",
        );
    }
    let document = match &h.document {
        Some(d) => d.value.clone(),
        None => {
            structure(
                &mut errors,
                h.title.span,
                "the amendment has no `document` number".into(),
                "in this header",
                "add `document \"…〔2023〕…号\"` to the header",
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
                        format!(
                            "the amendment takes effect on {}, not after the version it amends ({}, effective {})",
                            d.text,
                            prev.document,
                            fmt_day(prev.effective)
                        ),
                        "not after the base",
                        "effective dates must strictly increase along the chain of amendments",
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
                "the amendment has no `effective` date".into(),
                "in this header",
                "add `effective YYYY-MM-DD` to the header",
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
            kind: "department or group",
            name: id.name.clone(),
            src: named.clone(),
            span: id.span.into(),
            help: format!(
                "{} (an amendment changes departments that exist in the version it amends)",
                suggest(&id.name, &all_names, "departments and groups")
            ),
        });
        None
    };
    let who_of =
        |errors: &mut Vec<CheckError>, who: &ast::TargetWho| -> Option<(TargetScope, String)> {
            let (found, problems) = super::target_scope(who, &mut |id| resolve(errors, id));
            for p in problems {
                errors.push(CheckError::Structure {
                    message: p.message,
                    src: named.clone(),
                    span: p.span.into(),
                    label: p.label,
                    help: p.help,
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
            structure(
                &mut errors,
                span,
                "an amendment changes targets, definitions and indicators only".into(),
                "not allowed in an amendment",
                "write target changes as `in HC3 { target … }`, and a changed definition or indicator whole (`define …`, `indicator …`); departments, groups, attributions and scope rules belong in a new base policy",
            );
            continue;
        };
        if replaced_later.contains(&indicator.name) {
            continue;
        }
        let Some(ii) = base.indicator(&indicator.name) else {
            errors.push(CheckError::Unknown {
                kind: "indicator",
                name: indicator.name.clone(),
                src: named.clone(),
                span: indicator.span.into(),
                help: format!(
                    "{} (an amendment changes indicators that exist in the version it amends)",
                    suggest(&indicator.name, &codes, "indicators")
                ),
            });
            continue;
        };
        // Departments set by this amendment, to find two lines setting one.
        let mut set_here: Vec<(String, Span)> = Vec::new();
        for item in items {
            match item {
                AmendItem::Set(t) => {
                    let base = &policy.indicators[ii];
                    let bounds = super::units::Bounds {
                        unit: base.unit,
                        max: base.max,
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
                    let ind = &mut policy.indicators[ii];
                    let before: usize = ind.targets.iter().map(target_width).sum();
                    remove_departments(ind, &scope);
                    let after: usize = ind.targets.iter().map(target_width).sum();
                    if before == after {
                        let has: Vec<String> = ind.targets.iter().map(|t| t.who.clone()).collect();
                        structure(
                            &mut errors,
                            *span,
                            format!("`{}` has no such target to remove", indicator.name),
                            "no target here",
                            &format!(
                                "its targets are: {}",
                                if has.is_empty() {
                                    "none".into()
                                } else {
                                    has.join("; ")
                                }
                            ),
                        );
                    }
                }
            }
        }
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
                        let removed: Vec<&str> = ds.iter().map(String::as_str).collect();
                        t.who = format!("{} (less {})", t.who, removed.join(", "));
                    }
                }
            }
            ind.targets
                .retain(|t| !matches!(&t.scope, TargetScope::Departments(d) if d.is_empty()));
        }
    }
}
