//! Syntax tree + schema → checked [`Policy`]. Reports every error and warning
//! together and does no IO.

mod ack;
pub mod amend;
mod calls;
mod cycles;
mod defs;
mod diag;
mod exprs;
mod groups;
mod header;
mod indicators;
mod scope;
mod tables;
mod targets;
mod units;

pub use amend::check_amendment;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use diag::Src;
pub use diag::{
    Before, CheckError, Edge, Hint, Item, Kind, LineRef, Mismatch, Names, Said, Shape, Suggestion,
    Texts, did_you_mean, distance, said_syntax,
};
use groups::Orgs;
use indicators::Inds;
pub(crate) use targets::target_scope;
pub use units::{Bounds, Misfit};

use crate::ir::*;
use crate::schema::{Schema, TableId};
use crate::source::SourceFile;
use crate::syntax::ast::{self, Decl, Span};

/// What `check` found: the policy when there are no errors, and every diagnostic.
pub struct Checked {
    pub policy: Option<Policy>,
    pub diagnostics: Vec<CheckError>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| is_error(d)).count()
    }
}

pub fn is_error(d: &CheckError) -> bool {
    d.severity() == miette::Severity::Error
}

/// Check a parsed policy file against a schema.
pub fn check(src: &SourceFile, file: &ast::PolicyFile, schema: Arc<Schema>) -> Checked {
    check_chain(&[(src, file)], schema)
}

/// Check a base policy with amendments that replace or add definitions and
/// indicators (by name); the first file is the base. Target changes
/// (`in X { … }`) are applied afterwards by [`amend::apply`].
pub fn check_chain(files: &[(&SourceFile, &ast::PolicyFile)], schema: Arc<Schema>) -> Checked {
    let mut cx = Cx {
        files: files.iter().map(|(s, _)| (*s, s.named())).collect(),
        cur: 0,
        schema: &schema,
        errors: Vec::new(),
        defs: Vec::new(),
        def_ast: HashMap::new(),
        def_file: HashMap::new(),
        def_state: HashMap::new(),
        def_used: HashSet::new(),
        def_stack: Vec::new(),
        def_cycles: HashSet::new(),
        aggs: Vec::new(),
        failed_lets: Vec::new(),
    };
    let mut decls: Vec<(usize, &ast::Decl)> = files[0].1.decls.iter().map(|d| (0, d)).collect();
    for (k, (_, f)) in files.iter().enumerate().skip(1) {
        for d in &f.decls {
            let same = |e: &&ast::Decl| match (e, d) {
                (Decl::Define(a), Decl::Define(b)) => {
                    a.name.name == b.name.name && a.table.name == b.table.name
                }
                (Decl::Indicator(a), Decl::Indicator(b)) => a.id.name == b.id.name,
                _ => false,
            };
            match d {
                Decl::Define(_) | Decl::Indicator(_) => {
                    match decls.iter().position(|(_, e)| same(e)) {
                        Some(i) => decls[i] = (k, d),
                        None => decls.push((k, d)),
                    }
                }
                _ => {}
            }
        }
    }
    let policy = cx.run(&files[0].1.header, decls, schema.clone());
    let errs = cx.errors.iter().filter(|e| is_error(e)).count();
    Checked {
        policy: if errs == 0 { policy } else { None },
        diagnostics: cx.errors,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum DefState {
    InProgress,
    Done(DefId),
}

struct Cx<'a> {
    /// The files checked (base first) and the one being read.
    files: Vec<(&'a SourceFile, Src)>,
    cur: usize,
    schema: &'a Schema,
    errors: Vec<CheckError>,
    defs: Vec<Def>,
    /// (table, name) → the definition's syntax.
    def_ast: HashMap<(TableId, String), &'a ast::Define>,
    def_file: HashMap<(TableId, String), usize>,
    def_state: HashMap<(TableId, String), DefState>,
    def_used: HashSet<(TableId, String)>,
    /// Definitions being checked (to name a cycle), and cycles reported.
    def_stack: Vec<String>,
    def_cycles: HashSet<String>,
    aggs: Vec<Agg>,
    /// `let` measures of the indicator being checked that did not check: a
    /// formula naming one says nothing more of it.
    failed_lets: Vec<String>,
}

/// Expression context: the table whose row an expression reads.
#[derive(Clone, Copy)]
struct Ctx {
    table: TableId,
    /// Aggregates are allowed (not inside another aggregate).
    allow_agg: bool,
}

impl<'a> Cx<'a> {
    fn src(&self) -> Src {
        self.files[self.cur].1.clone()
    }

    fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.cur,
            span,
        }
    }

    fn structure(&mut self, span: Span, shape: Shape) {
        self.errors.push(CheckError::Structure {
            shape,
            src: self.src(),
            span: span.into(),
        });
    }

    fn type_err(&mut self, span: Span, mismatch: Mismatch) {
        self.errors.push(CheckError::Type {
            mismatch,
            src: self.src(),
            span: span.into(),
        });
    }

    /// The checking steps, in the order their results are needed.
    fn run(
        &mut self,
        h: &'a ast::Header,
        decls: Vec<(usize, &'a ast::Decl)>,
        schema: Arc<Schema>,
    ) -> Option<Policy> {
        let (effective, document) = self.header(h);
        self.reject_target_changes(&decls);
        let orgs = self.orgs(&decls);
        let report_default = match &h.report {
            Some(id) => self.resolve_who(&orgs, id).unwrap_or_default(),
            None => orgs.departments.clone(),
        };
        let def_keys = self.definitions(&decls);
        let attribution = self.attribution(&decls, schema.tables.len());
        let (scope, scope_paths) = self.scope(&decls, schema.tables.len());

        let inds = Inds::of(&decls);
        let index = self.index(&inds);
        let lookup_ind = |cx: &mut Self, id: &ast::Ident| cx.lookup_ind(&index, id);
        let built = self.bodies(&inds, &lookup_ind);
        let cycle_free = self.cycles(&inds.ast, &built.derived);
        let indicators =
            self.indicators(&inds, built, &orgs, &report_default, &document, &lookup_ind);
        self.report_unused(&def_keys);

        let order = cycle_free?;
        let Orgs {
            departments,
            groups,
        } = orgs;
        Some(Policy {
            meta: header::meta(h, document, effective?),
            schema,
            sources: self.files.iter().map(|(f, _)| (*f).clone()).collect(),
            departments,
            groups,
            report_default,
            attribution,
            scope,
            scope_paths,
            defs: std::mem::take(&mut self.defs),
            aggs: std::mem::take(&mut self.aggs),
            indicators,
            order,
        })
    }

    /// Target changes (`in INDICATOR { … }`) belong in an amendment, not a base policy.
    fn reject_target_changes(&mut self, decls: &[(usize, &'a ast::Decl)]) {
        for &(fi, d) in decls {
            self.cur = fi;
            if let Decl::Amend { span, .. } = d {
                self.structure(*span, Shape::TargetChangeInBase);
            }
        }
    }
}
