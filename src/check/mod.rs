//! Syntax tree + schema → checked [`Policy`]. Reports every error and warning
//! together and does no IO.

pub mod amend;
mod diag;

pub use amend::check_amendment;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub use diag::{CheckError, did_you_mean, distance};
use diag::{Src, suggest};

use crate::ir::*;
use crate::schema::{ColType, Schema, TableId};
use crate::source::SourceFile;
use crate::syntax::ast::{self, ArithOp, CmpOp, Decl, ExprKind, IndItem, RuleKind, Side, Span};
use crate::value::{Lit, day_of};

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
    use miette::Diagnostic;
    matches!(d.severity(), None | Some(miette::Severity::Error))
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
    fn structure(&mut self, span: Span, message: String, label: &str, help: &str) {
        self.errors.push(CheckError::Structure {
            message,
            src: self.src(),
            span: span.into(),
            label: label.into(),
            help: help.into(),
        });
    }
    fn type_err(&mut self, span: Span, message: String, label: String, help: String) {
        self.errors.push(CheckError::Type {
            message,
            src: self.src(),
            span: span.into(),
            label,
            help,
        });
    }

    fn table(&mut self, id: &ast::Ident) -> Option<TableId> {
        let t = self.schema.table(&id.name);
        if t.is_none() {
            let names: Vec<&str> = self.schema.table_names().collect();
            self.errors.push(CheckError::UnknownTable {
                name: id.name.clone(),
                src: self.src(),
                span: id.span.into(),
                help: suggest(&id.name, &names, "tables"),
            });
        }
        t
    }

    fn date_col(&mut self, table: TableId, id: &ast::Ident) -> Option<usize> {
        let t = &self.schema.tables[table];
        match t.col(&id.name) {
            Some(c) if matches!(t.columns[c].ty, ColType::Date | ColType::Datetime) => Some(c),
            Some(c) => {
                let ty = t.columns[c].ty.name();
                self.type_err(
                    id.span,
                    format!(
                        "`{}` is {} `{ty}` column, not a date",
                        id.name,
                        if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
                            "an"
                        } else {
                            "a"
                        }
                    ),
                    "`by` needs a date or datetime column".into(),
                    format!(
                        "name the date column that places a `{}` record in the period",
                        t.name
                    ),
                );
                None
            }
            None => {
                let dates: Vec<&str> = t
                    .columns
                    .iter()
                    .filter(|c| matches!(c.ty, ColType::Date | ColType::Datetime))
                    .map(|c| c.name.as_str())
                    .collect();
                self.errors.push(CheckError::UnknownName {
                    name: id.name.clone(),
                    table: t.name.clone(),
                    src: self.src(),
                    span: id.span.into(),
                    help: suggest(&id.name, &dates, "date columns"),
                });
                None
            }
        }
    }

    fn run(
        &mut self,
        h: &'a ast::Header,
        decls: Vec<(usize, &'a ast::Decl)>,
        schema: Arc<Schema>,
    ) -> Option<Policy> {
        for sp in &h.duplicate_fields {
            self.structure(
                *sp,
                "a header field is given twice".into(),
                "given again here",
                "keep one line per header field",
            );
        }
        let effective = match &h.effective {
            Some(d) => match d.date {
                Some(date) => Some(day_of(date)),
                None => {
                    self.errors.push(CheckError::InvalidDate {
                        text: d.text.clone(),
                        src: self.src(),
                        span: d.span.into(),
                    });
                    None
                }
            },
            None => {
                self.structure(
                    h.title.span,
                    "the policy header has no `effective` date".into(),
                    "in this header",
                    "add `effective YYYY-MM-DD` to the header",
                );
                None
            }
        };
        let document = match &h.document {
            Some(d) => d.value.clone(),
            None => {
                self.structure(
                    h.title.span,
                    "the policy header has no `document` number".into(),
                    "in this header",
                    "add `document \"…〔2022〕…号\"` to the header",
                );
                String::new()
            }
        };

        for &(fi, d) in &decls {
            self.cur = fi;
            if let Decl::Amend { span, .. } = d {
                self.structure(
                    *span,
                    "target changes (`in INDICATOR { … }`) belong in an amendment".into(),
                    "in a base policy",
                    "write the target into the indicator, or put this in a file whose header says `amends \"base.zb\"`",
                );
            }
        }

        // ---------------------------------------------------- departments & groups
        let mut departments: Vec<String> = Vec::new();
        let mut dept_span: HashMap<String, Span> = HashMap::new();
        let mut group_ast: Vec<(&ast::Ident, &Vec<ast::Ident>)> = Vec::new();
        for &(fi, d) in &decls {
            self.cur = fi;
            match d {
                Decl::Departments(list) => {
                    for id in list {
                        if let Some(first) = dept_span.get(&id.name) {
                            self.errors.push(CheckError::Duplicate {
                                kind: "department",
                                name: id.name.clone(),
                                src: self.src(),
                                span: id.span.into(),
                                first: Some((*first).into()),
                                help: "remove the second mention".into(),
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
                    kind: "group",
                    name: name.name.clone(),
                    src: self.src(),
                    span: name.span.into(),
                    first: Some(first.into()),
                    help:
                        "a group needs a name of its own, different from every department and group"
                            .into(),
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
        let all_names: Vec<String> = departments
            .iter()
            .cloned()
            .chain(groups.iter().map(|g| g.0.clone()))
            .collect();
        let resolve_who = |cx: &mut Self, id: &ast::Ident| -> Option<Vec<String>> {
            if departments.contains(&id.name) {
                return Some(vec![id.name.clone()]);
            }
            if let Some((_, m)) = groups.iter().find(|(g, _)| *g == id.name) {
                return Some(m.clone());
            }
            let cands: Vec<&str> = all_names.iter().map(String::as_str).collect();
            cx.errors.push(CheckError::Unknown {
                kind: "department or group",
                name: id.name.clone(),
                src: cx.src(),
                span: id.span.into(),
                help: suggest(&id.name, &cands, "departments and groups"),
            });
            None
        };
        let report_default = match &h.report {
            Some(id) => resolve_who(self, id).unwrap_or_default(),
            None => departments.clone(),
        };

        // ---------------------------------------------------- definitions (lazily checked)
        for &(fi, d) in &decls {
            self.cur = fi;
            if let Decl::Define(def) = d {
                let Some(t) = self.table(&def.table) else {
                    continue;
                };
                let key = (t, def.name.name.clone());
                if let Some(first) = self.def_ast.get(&key) {
                    self.errors.push(CheckError::Duplicate {
                        kind: "definition",
                        name: def.name.name.clone(),
                        src: self.src(),
                        span: def.name.span.into(),
                        first: Some(first.name.span.into()),
                        help: "rename one of them".into(),
                    });
                    continue;
                }
                if self.schema.tables[t].col(&def.name.name).is_some()
                    || self.schema.relation(t, &def.name.name).is_some()
                {
                    self.structure(
                        def.name.span,
                        format!(
                            "definition `{}` hides a column or relation of `{}`",
                            def.name.name, def.table.name
                        ),
                        "same name as a column",
                        "choose another name",
                    );
                    continue;
                }
                self.def_file.insert(key.clone(), fi);
                self.def_ast.insert(key, def);
            }
        }
        let mut def_keys: Vec<_> = self.def_ast.keys().cloned().collect();
        def_keys.sort_by_key(|k| self.def_ast[k].span.start);
        for key in &def_keys {
            self.resolve_def(key.0, &key.1, None);
        }

        // ---------------------------------------------------- attribution
        let mut attribution: Vec<Option<ColRef>> = vec![None; schema.tables.len()];
        for &(fi, d) in &decls {
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
                            kind: "department attribution of",
                            name: t.name.clone(),
                            src: self.src(),
                            span: t.span.into(),
                            first: None,
                            help: "a table's records count for one department; keep one `department of` line for it".into(),
                        });
                        continue;
                    }
                    if let Some((e, ty)) = self.expr(&expr, ctx) {
                        match (e.kind, ty) {
                            (CKind::Col(c), Ty::Text | Ty::Enum(..)) => attribution[tid] = Some(c),
                            _ => self.type_err(
                                expr.span,
                                "a department must be a text column".into(),
                                format!("a `{}` value", ty.name()),
                                "name the column that holds the department, e.g. `case.department`"
                                    .into(),
                            ),
                        }
                    }
                }
            }
        }

        // ---------------------------------------------------- scope
        let mut scope = Vec::new();
        for &(fi, d) in &decls {
            self.cur = fi;
            if let Decl::Scope(s) = d {
                let Some(t) = self.table(&s.table) else {
                    continue;
                };
                if let Some(cond) = self.cond(
                    &s.cond,
                    Ctx {
                        table: t,
                        allow_agg: false,
                    },
                ) {
                    scope.push(ScopeRule {
                        table: t,
                        cond,
                        because: s.because.value.clone(),
                        cite: s.cite.as_ref().map(|c| c.value.clone()),
                        loc: self.loc(s.span),
                    });
                }
            }
        }
        let scope_paths = (0..schema.tables.len())
            .map(|t| {
                scope
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| self.path_to(t, r.table).map(|p| (i, p)))
                    .collect()
            })
            .collect();

        // ---------------------------------------------------- indicators
        let ind_file: Vec<usize> = decls
            .iter()
            .filter(|(_, d)| matches!(d, Decl::Indicator(_)))
            .map(|(f, _)| *f)
            .collect();
        let ind_ast: Vec<&ast::Indicator> = decls
            .iter()
            .filter_map(|(_, d)| match d {
                Decl::Indicator(i) => Some(i),
                _ => None,
            })
            .collect();
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, ind) in ind_ast.iter().enumerate() {
            self.cur = ind_file[i];
            if let Some(&first) = ids.get(ind.id.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: "indicator",
                    name: ind.id.name.clone(),
                    src: self.src(),
                    span: ind.id.span.into(),
                    first: Some(ind_ast[first].id.span.into()),
                    help: "indicator ids are stable and unique; rename one of them".into(),
                });
            } else {
                ids.insert(&ind.id.name, i);
            }
        }
        let id_names: Vec<&str> = ind_ast.iter().map(|i| i.id.name.as_str()).collect();
        let lookup_ind = |cx: &mut Self, id: &ast::Ident| -> Option<usize> {
            let found = ids
                .get(id.name.as_str())
                .copied()
                .or_else(|| ids.get(id.name.replace('-', "_").as_str()).copied());
            if found.is_none() {
                cx.errors.push(CheckError::Unknown {
                    kind: "indicator",
                    name: id.name.clone(),
                    src: cx.src(),
                    span: id.span.into(),
                    help: suggest(&id.name, &id_names, "indicators"),
                });
            }
            found
        };

        // Bodies that copy another indicator (`restrict`, `over`) are built after
        // the ones they copy.
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
                    format!("indicator `{}` copies more than one indicator", ind.id.name),
                    "second `restrict`/`over`",
                    "an indicator is a slice of one other indicator: keep one `restrict` or `over` line",
                );
            }
            let copies = all_copies.first().copied();
            match copies {
                Some((base, span)) => {
                    if let Some(b) = lookup_ind(self, base) {
                        derived[i].push((b, self.loc(span)));
                    }
                    pending.push(i);
                }
                None => {
                    let (body, deps) = self.body(ind, &lookup_ind);
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
                let base = derived[i][0].0;
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

        let cycle_free = self.cycles(&ind_ast, &derived);

        let mut indicators = Vec::new();
        for (i, ind) in ind_ast.iter().enumerate() {
            self.cur = ind_file[i];
            let mut targets = Vec::new();
            let mut related = Vec::new();
            let mut cite = None;
            let mut report = ReportMode::Departments(report_default.clone());
            for it in &ind.items {
                match it {
                    IndItem::Cite(c) => cite = Some(c.value.clone()),
                    IndItem::Target(t) => {
                        if let Some(t) = self.target(t, &document, &resolve_who) {
                            targets.push(t);
                        }
                    }
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
            self.check_targets(ind, &targets, &groups, &departments);
            indicators.push(Indicator {
                id: ind.id.name.clone(),
                code: code_of(&ind.id.name),
                name: ind.name.value.clone(),
                core: ind.core,
                cite,
                body: bodies[i].take().unwrap_or(Body::Ratio(Vec::new())),
                targets,
                related,
                derived_from: derived[i].clone(),
                report,
                loc: self.loc(ind.span),
            });
        }

        // ---------------------------------------------------- unused definitions
        for key in &def_keys {
            if !self.def_used.contains(key) {
                let d = self.def_ast[key];
                self.cur = self.def_file.get(key).copied().unwrap_or(0);
                self.errors.push(CheckError::UnusedDefinition {
                    name: d.name.name.clone(),
                    src: self.src(),
                    span: d.name.span.into(),
                });
            }
        }

        let order = cycle_free?;
        Some(Policy {
            meta: Meta {
                title: h.title.value.clone(),
                document,
                version: h
                    .version
                    .as_ref()
                    .map(|v| v.value.clone())
                    .unwrap_or_default(),
                effective: effective?,
                schema: h
                    .schema
                    .as_ref()
                    .map(|s| s.value.clone())
                    .unwrap_or_default(),
            },
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

    #[allow(clippy::too_many_arguments)]
    fn expand_group(
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
                        let message = if cycle.len() <= 2 {
                            format!("group `{}` contains itself", m.name)
                        } else {
                            format!(
                                "groups contain each other: {}",
                                cycle
                                    .iter()
                                    .map(|c| format!("`{c}`"))
                                    .collect::<Vec<_>>()
                                    .join(" → ")
                            )
                        };
                        self.structure(m.span, message, "cycle through this member", "a group may contain other groups, but not itself, directly or through others");
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
                    kind: "department or group",
                    name: m.name.clone(),
                    src: self.src(),
                    span: m.span.into(),
                    help: suggest(&m.name, &cands, "departments and groups"),
                });
            }
        }
    }

    /// Relations walked from `from` to reach `to` (shortest, required ones first).
    fn path_to(&self, from: TableId, to: TableId) -> Option<Vec<RelId>> {
        if from == to {
            return Some(Vec::new());
        }
        let mut prev: HashMap<TableId, (TableId, RelId)> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        let mut seen = HashSet::from([from]);
        while let Some(t) = queue.pop_front() {
            for (ri, r) in self.schema.relations.iter().enumerate() {
                if r.from == t && seen.insert(r.to) {
                    prev.insert(r.to, (t, ri));
                    if r.to == to {
                        let mut path = Vec::new();
                        let mut cur = to;
                        while cur != from {
                            let (p, rel) = prev[&cur];
                            path.push(rel);
                            cur = p;
                        }
                        path.reverse();
                        return Some(path);
                    }
                    queue.push_back(r.to);
                }
            }
        }
        None
    }

    fn resolve_def(&mut self, table: TableId, name: &str, use_span: Option<Span>) -> Option<DefId> {
        let key = (table, name.to_string());
        match self.def_state.get(&key) {
            Some(DefState::Done(id)) => return Some(*id),
            Some(DefState::InProgress) => {
                let span = use_span.unwrap_or_default();
                let from = self.def_stack.iter().position(|d| d == name).unwrap_or(0);
                let mut members: Vec<String> = self.def_stack[from..].to_vec();
                let mut sorted = members.clone();
                sorted.sort();
                if self.def_cycles.insert(sorted.join(" ")) {
                    members.push(name.to_string());
                    let (message, label) = if members.len() <= 2 {
                        (
                            format!("definition `{name}` refers to itself"),
                            "used inside its own definition".to_string(),
                        )
                    } else {
                        (
                            format!(
                                "definitions use each other: {}",
                                members
                                    .iter()
                                    .map(|m| format!("`{m}`"))
                                    .collect::<Vec<_>>()
                                    .join(" → ")
                            ),
                            format!("`{}` uses `{name}` here", members[members.len() - 2]),
                        )
                    };
                    self.structure(span, message, &label, "a definition cannot depend on itself, directly or through others; inline or split one of them");
                }
                return None;
            }
            None => {}
        }
        let def = *self.def_ast.get(&key)?;
        self.def_state.insert(key.clone(), DefState::InProgress);
        self.def_stack.push(name.to_string());
        // A definition is checked in (and reported against) its own file.
        let saved = self.cur;
        self.cur = self.def_file.get(&key).copied().unwrap_or(saved);
        let r = self.expr(
            &def.expr,
            Ctx {
                table,
                allow_agg: true,
            },
        );
        let def_loc = self.loc(def.span);
        self.cur = saved;
        self.def_stack.pop();
        match r {
            Some((expr, ty)) => {
                let id = self.defs.len();
                self.defs.push(Def {
                    name: name.to_string(),
                    table,
                    expr,
                    ty,
                    cite: def.cite.as_ref().map(|c| c.value.clone()),
                    loc: def_loc,
                });
                self.def_state.insert(key, DefState::Done(id));
                Some(id)
            }
            None => {
                self.def_state.remove(&key);
                // Mark as used so a broken definition is not also reported unused.
                self.def_used.insert((table, name.to_string()));
                None
            }
        }
    }

    /// A condition: an expression of type bool.
    fn cond(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<CExpr> {
        let (c, ty) = self.expr(e, ctx)?;
        if ty != Ty::Bool {
            self.type_err(
                e.span,
                format!(
                    "a condition must be true or false, this is a `{}`",
                    ty.name()
                ),
                format!("a `{}` value", ty.name()),
                "compare it with something, e.g. `… = \"value\"` or `… is empty`".into(),
            );
            return None;
        }
        Some(c)
    }

    fn expr(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<(CExpr, Ty)> {
        let loc = self.loc(e.span);
        let mk = |kind| CExpr { kind, loc };
        match &e.kind {
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
                            format!("`{}` values cannot be compared with `{op}`", lt.name())
                        } else {
                            format!("cannot compare `{}` with `{}`", lt.name(), rt.name())
                        },
                        format!("`{}` {op} `{}`", lt.name(), rt.name()),
                        if same {
                            "text, enum and bool values can only be compared with `=` or `!=`".into()
                        } else {
                            "compare values of the same kind: dates with dates (`2022-06-01`, `period.end`), numbers with numbers, text with \"text\"".into()
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
                        (ExprKind::Date(d), Ty::Date | Ty::DateTime) => match d.date {
                            Some(x) => Lit::Date(day_of(x)),
                            None => {
                                self.errors.push(CheckError::InvalidDate {
                                    text: d.text.clone(),
                                    src: self.src(),
                                    span: d.span.into(),
                                });
                                ok = false;
                                continue;
                            }
                        },
                        _ => {
                            self.type_err(
                                item.span,
                                format!("this list is compared with a `{}` value", ty.name()),
                                "not a matching literal".into(),
                                "list literals of the same kind as the value on the left".into(),
                            );
                            ok = false;
                            continue;
                        }
                    };
                    lits.push(lit);
                }
                ok.then(|| (mk(CKind::In(Box::new(c), *negated, lits)), Ty::Bool))
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
                        format!("arithmetic `{}` on a `{}` value", op.as_str(), bad.1.name()),
                        format!("a `{}` value", bad.1.name()),
                        "arithmetic needs numbers; for a duration between two datetimes use `hours(from, to)`".into(),
                    );
                    return None;
                }
                Some((mk(CKind::Arith(*op, Box::new(lc), Box::new(rc))), Ty::Num))
            }
            ExprKind::Number(n) => Some((mk(CKind::Lit(Lit::Num(*n))), Ty::Num)),
            ExprKind::Percent(n) => Some((mk(CKind::Lit(Lit::Num(*n / 100.0))), Ty::Num)),
            ExprKind::Str(s) => Some((mk(CKind::Lit(Lit::Str(s.clone()))), Ty::Text)),
            ExprKind::Bool(b) => Some((mk(CKind::Lit(Lit::Bool(*b))), Ty::Bool)),
            ExprKind::Date(d) => match d.date {
                Some(x) => Some((mk(CKind::Lit(Lit::Date(day_of(x)))), Ty::Date)),
                None => {
                    self.errors.push(CheckError::InvalidDate {
                        text: d.text.clone(),
                        src: self.src(),
                        span: d.span.into(),
                    });
                    None
                }
            },
            ExprKind::Path(parts) => self.path(parts, ctx, loc),
            ExprKind::Call { name, args } => self.call(name, args, ctx, loc),
        }
    }

    fn enum_index(&mut self, t: TableId, c: usize, s: &str, span: Span) -> Option<u16> {
        let col = &self.schema.tables[t].columns[c];
        match col.values.iter().position(|v| v == s) {
            Some(i) => Some(i as u16),
            None => {
                let vals: Vec<&str> = col.values.iter().map(String::as_str).collect();
                let close = did_you_mean(s, vals.iter().copied());
                let list = vals
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.errors.push(CheckError::EnumValue {
                    value: s.to_string(),
                    column: format!("{}.{}", self.schema.tables[t].name, col.name),
                    src: self.src(),
                    span: span.into(),
                    help: match close.first() {
                        Some(c) => format!("did you mean `{c}`? the values are {list}"),
                        None => format!("the values are {list}"),
                    },
                });
                None
            }
        }
    }

    fn enum_lit(&mut self, e: CExpr, t: TableId, c: usize, span: Span) -> Option<CExpr> {
        match &e.kind {
            CKind::Lit(Lit::Str(s)) => {
                let i = self.enum_index(t, c, s, span)?;
                Some(CExpr {
                    kind: CKind::Lit(Lit::Enum(i, s.clone())),
                    loc: e.loc,
                })
            }
            _ => {
                self.type_err(
                    span,
                    "an enum column is compared with computed text".into(),
                    "compare with a literal value".into(),
                    "write the value in quotes, e.g. `status = \"取消\"`".into(),
                );
                None
            }
        }
    }

    fn path(&mut self, parts: &[ast::Ident], ctx: Ctx, loc: Loc) -> Option<(CExpr, Ty)> {
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
                            kind: "period field",
                            name: other.to_string(),
                            src: self.src(),
                            span: parts[1].span.into(),
                            help: "the period has `period.start` and `period.end`".into(),
                        });
                        return None;
                    }
                };
                return Some((mk(CKind::Period(edge)), Ty::Date));
            }
            if let Some(c) = t.col(&p.name) {
                if !last {
                    let rel_hint = self
                        .schema
                        .relations
                        .iter()
                        .find(|r| r.from == table && r.col == c)
                        .map(|r| {
                            format!(
                                "to follow the relation, write `{}.{}`",
                                r.name,
                                parts[i + 1].name
                            )
                        })
                        .unwrap_or_else(|| {
                            format!(
                                "`{}` is a column; only relations can be followed with `.`",
                                p.name
                            )
                        });
                    self.structure(
                        parts[i + 1].span,
                        format!("column `{}` has no field `{}`", p.name, parts[i + 1].name),
                        "not a field",
                        &rel_hint,
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
                        format!("`{}` is a relation, not a value", p.name),
                        "a relation",
                        &format!("name a field of it, e.g. `{}.…`", p.name),
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
                        format!(
                            "definition `{}` has no field `{}`",
                            p.name,
                            parts[i + 1].name
                        ),
                        "not a field",
                        "a definition is a value; it has no fields",
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
            let mut help = suggest(&p.name, &cands, "names");
            if self.schema.table(&p.name).is_some() {
                help = format!(
                    "`{}` is a table; to look at its rows from `{}` use `any({}, …)`, `every({}, …)` or `count({}, …)`",
                    p.name, t.name, p.name, p.name, p.name
                );
            } else if let Some(other) = self.def_ast.keys().find(|k| k.1 == p.name) {
                let on = &self.schema.tables[other.0].name;
                help = match self
                    .schema
                    .relations
                    .iter()
                    .find(|r| r.from == table && r.to == other.0)
                {
                    Some(r) => format!(
                        "`{}` is defined on `{on}`; reach it through the relation: `{}.{}`",
                        p.name, r.name, p.name
                    ),
                    None => format!(
                        "`{}` is defined on `{on}`, which `{}` rows do not point at; define it on `{}` instead",
                        p.name, t.name, t.name
                    ),
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

    fn call(
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

    fn rule(&mut self, r: &ast::Rule, table: TableId, numerator_only: bool) -> Option<CRule> {
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

    fn part(&mut self, c: &ast::Count, role: Role) -> Option<Part> {
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
                                help: suggest(&id.name, &cands, "columns"),
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
            loc: self.loc(c.span),
        })
    }

    /// The body of an indicator that does not copy another.
    fn body(
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
                    format!("indicator `{id}` has both `value =` and `count`"),
                    "remove this or the `value` line",
                    "an indicator is either counted (`count …`) or computed (`value = …`)",
                );
                return (None, Vec::new());
            }
            if values.len() > 1 {
                self.structure(
                    values[1].span,
                    format!("indicator `{id}` has two `value` lines"),
                    "second value",
                    "keep one `value = …`",
                );
            }
            for r in &rules {
                self.structure(
                    r.span,
                    format!("a computed indicator `{id}` has no records to filter"),
                    "not applicable",
                    "put conditions into the `let … where …` measures",
                );
            }
            let mut out_lets: Vec<Let> = Vec::new();
            for (name, m) in &lets {
                if out_lets.iter().any(|l| l.name == name.name) {
                    self.errors.push(CheckError::Duplicate {
                        kind: "measure",
                        name: name.name.clone(),
                        src: self.src(),
                        span: name.span.into(),
                        first: None,
                        help: "rename one".into(),
                    });
                    continue;
                }
                if let Some(measure) = self.measure(m) {
                    out_lets.push(Let {
                        name: name.name.clone(),
                        measure,
                        loc: self.loc(name.span),
                    });
                }
            }
            let mut deps = Vec::new();
            let value = self.vexpr(v, &out_lets, lookup, &mut deps);
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
                format!("indicator `{id}` has measures but no `value = …`"),
                "unused measure",
                "add `value = …` that combines the measures",
            );
        }

        let mut parts = Vec::new();
        if !blocks.is_empty() {
            if let Some(c) = counts.first() {
                self.structure(c.span, format!("indicator `{id}` mixes a top-level `count` with `numerator {{…}}`/`denominator {{…}}` blocks"), "top-level count", "move this count into a block, or write the indicator with one `count` and `numerator require …`");
            }
            for r in &rules {
                self.structure(
                    r.span,
                    "a rule outside the `numerator {…}`/`denominator {…}` blocks".into(),
                    "outside the blocks",
                    "move it into the block it belongs to",
                );
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
                        format!("this {side} block counts nothing"),
                        "no `count`",
                        "start the block with `count TABLE by DATE_COLUMN`",
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
                            format!("`{s}` inside a block"),
                            "redundant side",
                            "inside a block every rule applies to that block; remove the word",
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
                    format!("indicator `{id}` needs both a numerator and a denominator block"),
                    "incomplete",
                    "add the missing `numerator { … }` or `denominator { … }` block",
                );
            }
        } else {
            let Some(c) = counts.first() else {
                self.structure(
                    ind.id.span,
                    format!("indicator `{id}` counts nothing"),
                    "no `count`, `value`, `restrict` or `over`",
                    "add `count TABLE by DATE_COLUMN` with its rules, or `value = …`",
                );
                return (None, Vec::new());
            };
            if counts.len() > 1 {
                self.structure(counts[1].span, format!("indicator `{id}` has two `count` lines"), "second count", "to count different things on each side use `numerator { count … }` and `denominator { count … }`");
            }
            let Some(mut part) = self.part(c, Role::Both) else {
                return (None, Vec::new());
            };
            let mut has_num = false;
            for r in &rules {
                let num_only = match r.side {
                    Some((Side::Numerator, _)) => true,
                    Some((Side::Denominator, sp)) => {
                        self.structure(sp, "`denominator` rule in a one-count indicator".into(), "the numerator is a part of the denominator", "write the rule without a side (`exclude …`): it then applies to the denominator and so to the numerator");
                        false
                    }
                    None => false,
                };
                has_num |= num_only;
                if let Some(cr) = self.rule(r, part.table, num_only) {
                    part.rules.push(cr);
                }
            }
            if !has_num {
                self.structure(
                    ind.id.span,
                    format!("indicator `{id}` has no numerator rule"),
                    "numerator = denominator",
                    "add `numerator require …` saying which records are counted in the numerator",
                );
            }
            parts.push(part);
        }
        (Some(Body::Ratio(parts)), Vec::new())
    }

    /// The body of `restrict BASE where …` or `over BASE numerator`.
    fn copy_body(&mut self, ind: &ast::Indicator, base: Body) -> Option<Body> {
        let Body::Ratio(parts) = base else {
            self.structure(
                ind.id.span,
                format!("indicator `{}` copies a computed indicator", ind.id.name),
                "copies a `value = …` indicator",
                "`restrict` and `over` copy counted indicators only",
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
                    self.structure(
                        c.span,
                        "an indicator that copies another has its count already".into(),
                        "extra count",
                        "remove this `count`",
                    );
                }
                IndItem::SideBlock { span, .. } | IndItem::Value(ast::Expr { span, .. }) => {
                    self.structure(
                        *span,
                        "an indicator that copies another cannot add blocks or values".into(),
                        "not allowed here",
                        "write a separate indicator",
                    );
                }
                _ => {}
            }
        }
        Some(Body::Ratio(parts))
    }

    /// A measure's `by DATE` and `where CONDITION`, checked on table `t`.
    #[allow(clippy::type_complexity)]
    fn by_and_filter(
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

    fn measure(&mut self, m: &ast::Measure) -> Option<Measure> {
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
            ast::Measure::Sum {
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
                        format!("`sum` needs numbers, this is a `{}`", ty.name()),
                        format!("a `{}` value", ty.name()),
                        "sum a number column or `hours(from, to)`".into(),
                    );
                    return None;
                }
                Some(Measure::Sum {
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
                        help: suggest(&column.name, &cands, "columns"),
                    });
                    return None;
                };
                if !matches!(
                    self.schema.tables[t].columns[c].ty,
                    ColType::Int | ColType::Decimal
                ) {
                    self.type_err(
                        column.span,
                        "`lookup` reads a number column".into(),
                        format!("a `{}` column", self.schema.tables[t].columns[c].ty.name()),
                        "name an int or decimal column".into(),
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

    fn vexpr(
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
                let id = lookup(self, &p[0])?;
                deps.push((id, self.loc(p[0].span)));
                Some(VExpr::Ind(id))
            }
            ExprKind::Call { name, args } if matches!(name.name.as_str(), "min" | "max") => {
                let mut out = Vec::new();
                for a in args {
                    out.push(self.vexpr(a, lets, lookup, deps)?);
                }
                Some(if name.name == "min" {
                    VExpr::Min(out)
                } else {
                    VExpr::Max(out)
                })
            }
            _ => {
                self.structure(e.span, "not a value formula".into(), "here", "a `value` combines numbers, percentages, `let` measures and indicator ids with + - * / and `min`/`max`");
                None
            }
        }
    }

    /// `value = 75% * A + 25% * B`: the weights of a weighted sum total 100%.
    fn check_weights(&mut self, ind: &ast::Indicator, v: &ast::Expr) {
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
            let w = match (&l.kind, &r.kind) {
                (ExprKind::Percent(p), ExprKind::Path(_))
                | (ExprKind::Path(_), ExprKind::Percent(p)) => *p,
                _ => return,
            };
            total += w;
        }
        if (total - 100.0).abs() > 1e-9 {
            self.errors.push(CheckError::Weights {
                indicator: ind.id.name.clone(),
                total: format!("{total}"),
                src: self.src(),
                span: v.span.into(),
                help: format!("adjust the weights so that they add up to 100% (now {total}%)"),
            });
        }
    }

    fn target(
        &mut self,
        t: &ast::Target,
        document: &str,
        resolve: &dyn Fn(&mut Self, &ast::Ident) -> Option<Vec<String>>,
    ) -> Option<Target> {
        if !(0.0..=100.0).contains(&t.value) {
            self.errors.push(CheckError::TargetRange {
                value: format!("{}", t.value),
                src: self.src(),
                span: t.value_span.into(),
            });
        }
        let (found, problems) = target_scope(&t.who, &mut |id| resolve(self, id));
        for p in problems {
            self.structure(p.span, p.message, &p.label, &p.help);
        }
        let (scope, who) = found?;
        if !(0.0..=100.0).contains(&t.value) {
            return None;
        }
        Some(Target {
            scope,
            who,
            op: t.op,
            value: t.value,
            principle: t.principle,
            loc: self.loc(t.span),
            document: document.to_string(),
        })
    }

    /// Two target lines never set one department; a department excepted from a
    /// group target with no target of its own is reported.
    fn check_targets(
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
                    {
                        self.errors.push(CheckError::NoTarget {
                            indicator: ind.id.name.clone(),
                            department: x.name.clone(),
                            src: self.src(),
                            span: x.span.into(),
                            help: "intended when the document exempts it; otherwise add a target line for it".into(),
                        });
                    }
                }
            }
        }
    }

    /// Derived-from cycles; the evaluation order when there are none.
    fn cycles(
        &mut self,
        inds: &[&ast::Indicator],
        derived: &[Vec<(IndId, Loc)>],
    ) -> Option<Vec<IndId>> {
        use petgraph::graph::DiGraph;
        let mut g = DiGraph::<usize, Loc>::new();
        let nodes: Vec<_> = (0..inds.len()).map(|i| g.add_node(i)).collect();
        for (i, ds) in derived.iter().enumerate() {
            for (d, loc) in ds {
                g.add_edge(nodes[*d], nodes[i], *loc);
            }
        }
        match petgraph::algo::toposort(&g, None) {
            Ok(order) => Some(order.into_iter().map(|n| g[n]).collect()),
            Err(_) => {
                for scc in petgraph::algo::tarjan_scc(&g) {
                    let self_loop = scc.len() == 1 && g.find_edge(scc[0], scc[0]).is_some();
                    if scc.len() < 2 && !self_loop {
                        continue;
                    }
                    // Walk the cycle in dependency order for a readable message.
                    let members: HashSet<_> = scc.iter().copied().collect();
                    let start = *scc.iter().min_by_key(|n| g[**n]).expect("non-empty");
                    let mut path = vec![start];
                    let mut edges = Vec::new();
                    let mut cur = start;
                    // cur is derived from `next`: edge next -> cur.
                    while let Some(e) = g
                        .edges_directed(cur, petgraph::Direction::Incoming)
                        .find(|e| members.contains(&petgraph::visit::EdgeRef::source(e)))
                    {
                        let next = petgraph::visit::EdgeRef::source(&e);
                        let loc = *e.weight();
                        edges.push(miette::LabeledSpan::new_with_span(
                            Some(format!(
                                "`{}` uses `{}`",
                                inds[g[cur]].id.name, inds[g[next]].id.name
                            )),
                            loc.span,
                        ));
                        if next == start || path.contains(&next) {
                            path.push(next);
                            break;
                        }
                        path.push(next);
                        cur = next;
                    }
                    let cycle = path
                        .iter()
                        .map(|n| format!("`{}`", inds[g[*n]].id.name))
                        .collect::<Vec<_>>()
                        .join(" → ");
                    self.errors.push(CheckError::Cycle {
                        cycle,
                        src: self.src(),
                        edges,
                    });
                }
                None
            }
        }
    }
}

/// A problem with a target line that is not an unknown name.
pub(crate) struct TargetProblem {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
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
                            message: format!("the owner `{}` is a group, not a department", o.name),
                            label: "a group".into(),
                            help: "a court-wide target is answered for by one department".into(),
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
                        message: format!("`{}` is not part of `{}`", x.name, name.name),
                        label: "not a member".into(),
                        help: format!("`except` can only remove members of `{}`", name.name),
                    });
                }
                members.retain(|d| !ex.contains(d));
            }
            if members.is_empty() {
                problems.push(TargetProblem {
                    span: who.span(),
                    message: "this target applies to no department".into(),
                    label: "every member is excepted".into(),
                    help: "remove the target line, or except fewer departments".into(),
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
