//! Why a record was (not) counted: the outcomes and trails of the very passes
//! that produce `eval`'s figures, selected by record, case or bucket.

use serde::Serialize;

use crate::eval::why::{Reason, Unless, WhyNot};
use crate::eval::{Cause, Observer, Outcome, RecordOutcome, RowView, Step, StepKind};
use crate::ir::*;
use crate::plan::Consumer;
use crate::schema::TableId;
use crate::vocab::RuleKind;

/// What the explanation of some rows needs read: the texts that every row
/// their outcomes depend on holds. From each start row (table and key): its
/// key, and through its relations to the tables the plan keeps in memory
/// (the only rows a record's outcome reads besides its own) the keys of the
/// rows they name, to any depth. A row's children (for aggregates) hold its
/// key too. Reading only the rows that hold one of these texts gives the
/// start rows the outcomes a full reading gives. `None` when a start row is
/// not in its file, or its table has no key column: the caller then reads
/// everything.
pub fn needles(
    plan: &crate::plan::Plan,
    data: &dyn crate::data::source::Source,
    starts: &[(TableId, String)],
) -> Option<Vec<String>> {
    let todo = starts.iter().map(|(t, k)| (*t, k.clone(), true)).collect();
    follow(plan, data, todo, Vec::new())
}

/// What the explanation of every record of one case needs read: the case's
/// id, which every record of the case holds (its own key, or the relation
/// column leading to it), and the keys of the stored rows those records lead
/// to that need not hold it (the case's judge, the case it came from), to any
/// depth. Without them such a record could not be evaluated and would be
/// left out of the answer.
pub fn case_needles(
    plan: &crate::plan::Plan,
    data: &dyn crate::data::source::Source,
    cases: TableId,
    id: &str,
) -> Vec<String> {
    let schema = &plan.policy.schema;
    let stored = |t: TableId| plan.tables[t].as_ref().is_some_and(|tp| tp.stored);
    let mut todo = Vec::new();
    // Only the tables with a relation to a stored table other than the
    // case's: a relation to the case leads to the case's row, which holds its id.
    for (t, tp) in plan.tables.iter().enumerate() {
        if tp.is_none()
            || !schema
                .relations
                .iter()
                .any(|r| r.from == t && stored(r.to) && r.to != cases)
        {
            continue;
        }
        for (to, key) in holding_refs(schema, data, t, id) {
            if stored(to) {
                todo.push((to, key, false));
            }
        }
    }
    follow(plan, data, todo, vec![id.to_string()]).unwrap_or_else(|| vec![id.to_string()])
}

/// From rows (table, key): their keys, and the keys of the stored rows they
/// name, to any depth. `None` when a start row is not in its file.
fn follow(
    plan: &crate::plan::Plan,
    data: &dyn crate::data::source::Source,
    mut todo: Vec<(TableId, String, bool)>,
    mut out: Vec<String>,
) -> Option<Vec<String>> {
    let schema = &plan.policy.schema;
    let stored = |t: TableId| plan.tables[t].as_ref().is_some_and(|tp| tp.stored);
    let mut seen = std::collections::BTreeSet::new();
    while let Some((t, key, start)) = todo.pop() {
        if key.is_empty() || !seen.insert((t, key.clone())) {
            continue;
        }
        match row_refs(schema, data, t, &key) {
            Some(refs) => todo.extend(
                refs.into_iter()
                    .filter(|(t, _)| stored(*t))
                    .map(|(t, k)| (t, k, false)),
            ),
            None if start => return None,
            None => {}
        }
        if !out.contains(&key) {
            out.push(key);
        }
    }
    Some(out)
}

/// The rows (table, key) that the rows of table `t` holding `text` name
/// through their relations.
fn holding_refs(
    schema: &crate::schema::Schema,
    data: &dyn crate::data::source::Source,
    t: TableId,
    text: &str,
) -> Vec<(TableId, String)> {
    let table = &schema.tables[t];
    let rels: Vec<&crate::schema::Relation> =
        schema.relations.iter().filter(|r| r.from == t).collect();
    let cols: Vec<usize> = rels.iter().map(|r| r.col).collect();
    let Ok(mut reader) = data.open(table, &cols) else {
        return Vec::new();
    };
    let mut found: Vec<(TableId, String)> = Vec::new();
    let mut each = |_: u64, rec: &csv::ByteRecord, pos: &[usize]| {
        if !crate::data::contains(rec.as_slice(), text.as_bytes()) {
            return;
        }
        for (r, p) in rels.iter().zip(pos) {
            if let Some(v) = crate::data::field(rec, *p)
                && !v.is_empty()
                && !found.iter().any(|(t, k)| *t == r.to && k == v)
            {
                found.push((r.to, v.to_string()));
            }
        }
    };
    reader.each_holding(&[text.to_string()], &mut each, &mut Vec::new());
    found
}

/// The rows (table, key) that row `key` of table `t` names through its
/// relations; `None` when the row is not in its file.
fn row_refs(
    schema: &crate::schema::Schema,
    data: &dyn crate::data::source::Source,
    t: TableId,
    key: &str,
) -> Option<Vec<(TableId, String)>> {
    let table = &schema.tables[t];
    let key_col = table.key()?;
    let rels: Vec<&crate::schema::Relation> =
        schema.relations.iter().filter(|r| r.from == t).collect();
    let mut cols = vec![key_col];
    cols.extend(rels.iter().map(|r| r.col));
    let mut reader = data.open(table, &cols).ok()?;
    let mut found: Option<Vec<(TableId, String)>> = None;
    let mut each = |_: u64, rec: &csv::ByteRecord, pos: &[usize]| {
        if found.is_none() && crate::data::field(rec, pos[0]) == Some(key) {
            found = Some(
                rels.iter()
                    .zip(&pos[1..])
                    .filter_map(|(r, p)| {
                        let v = crate::data::field(rec, *p)?;
                        (!v.is_empty()).then(|| (r.to, v.to_string()))
                    })
                    .collect(),
            );
        }
    };
    reader.each_holding(&[key.to_string()], &mut each, &mut Vec::new());
    found
}

/// The forms a case number may be written in, the one given first: with
/// full-width letters, digits, signs and spaces read as half-width and the
/// brackets `〔〕` `【】` as `()` (`（2022）沪0114民初696号` →
/// `(2022)沪0114民初696号`), and that form with full-width brackets
/// `（）`, as exports write either.
pub fn case_forms(id: &str) -> Vec<String> {
    let half: String = id
        .trim()
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '〔' | '【' => '(',
            '〕' | '】' => ')',
            c => c,
        })
        .collect();
    let full: String = half
        .chars()
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect();
    let mut forms = vec![id.to_string()];
    for f in [half, full] {
        if !forms.contains(&f) {
            forms.push(f);
        }
    }
    forms
}

/// Which records to explain.
#[derive(Debug, Clone)]
pub enum Selector {
    /// One row: `hearings:H000123`.
    Record { table: TableId, key: String },
    /// Every record of one case, across every table.
    Case { cases: TableId, id: String },
    /// Every record of one indicator (optionally one department and one bucket).
    Bucket {
        ind: IndId,
        department: Option<String>,
        outcome: Option<Outcome>,
    },
    /// Every row of the distinct items `keys` (internal item keys) of `table`,
    /// grouped by the columns `cols`.
    Items {
        table: TableId,
        cols: Vec<usize>,
        keys: Vec<String>,
    },
    /// Everything (for reconciliation).
    All,
}

/// Collects outcomes for the selected records.
pub struct Explainer {
    pub selector: Selector,
    pub outcomes: Vec<RecordOutcome>,
    /// Keys seen in the selected table, for "did you mean" when nothing matched.
    pub near: Vec<(usize, String)>,
    /// Collect full trails (off for `All`, which only counts).
    pub trails: bool,
    /// Texts every wanted record and every row it leads to holds (see
    /// [`needles`]); empty: read everything.
    pub needles: Vec<String>,
    /// Carry each record's list columns (the schema's `list`): for a list
    /// of records to chase, over a plan from `plan::compile_listing`.
    pub context: bool,
}

impl Explainer {
    pub fn new(selector: Selector) -> Explainer {
        let trails = !matches!(selector, Selector::All);
        Explainer {
            selector,
            outcomes: Vec::new(),
            near: Vec::new(),
            trails,
            needles: Vec::new(),
            context: false,
        }
    }

    fn note_near(&mut self, key: &str, want: &str) {
        let d = crate::check::distance(key, want);
        if d <= want.chars().count() / 2 + 1 {
            self.near.push((d, key.to_string()));
            self.near.sort();
            self.near.dedup();
            self.near.truncate(3);
        }
    }
}

impl Observer for Explainer {
    fn needles(&self) -> Vec<String> {
        match &self.selector {
            // Every record of a case holds its id (its own key, or the
            // relation column leading to it).
            Selector::Case { id, .. } if self.needles.is_empty() => vec![id.clone()],
            _ => self.needles.clone(),
        }
    }

    fn wants(&mut self, table: TableId, key: &str, row: &RowView<'_>) -> bool {
        match &self.selector {
            Selector::Record { table: t, key: k } => {
                if *t != table {
                    return false;
                }
                if key == k {
                    return true;
                }
                let k = k.clone();
                self.note_near(key, &k);
                false
            }
            Selector::Case { cases, id } => {
                if table == *cases {
                    if key == id {
                        return true;
                    }
                    let id = id.clone();
                    self.note_near(key, &id);
                    return false;
                }
                row.parent_key(*cases).as_deref() == Some(id.as_str())
            }
            Selector::Bucket { ind, .. } => {
                let p = row.engine.policy;
                p.indicators[*ind].tables().contains(&table)
            }
            Selector::Items {
                table: t,
                cols,
                keys,
            } => *t == table && keys.contains(&row.engine.item_key(table, row.row, cols)),
            Selector::All => true,
        }
    }

    fn keeps(&self, o: &RecordOutcome) -> bool {
        if matches!(o.consumer, Consumer::Agg(_)) {
            return false;
        }
        match &self.selector {
            Selector::Bucket {
                ind,
                department,
                outcome,
            } => {
                o.ind == *ind
                    && department
                        .as_ref()
                        .is_none_or(|d| o.department.as_deref() == Some(d.as_str()))
                    && outcome.is_none_or(|b| o.outcome == b)
            }
            _ => true,
        }
    }

    fn context(&self) -> bool {
        self.context
    }

    fn few(&self) -> bool {
        // A bucket keeps one indicator's records of one kind; `All` keeps
        // every outcome of every record.
        !matches!(self.selector, Selector::All)
    }

    fn record(&mut self, o: RecordOutcome) {
        if self.keeps(&o) {
            self.outcomes.push(o);
        }
    }
}

/// The outcome of a distinct item for one indicator: the best of its rows'.
pub fn item_outcomes(
    outcomes: &[RecordOutcome],
) -> std::collections::BTreeMap<(IndId, String), Outcome> {
    let mut m = std::collections::BTreeMap::new();
    for o in outcomes {
        if let Some(item) = &o.item {
            let e = m.entry((o.ind, item.clone())).or_insert(o.outcome);
            if o.outcome > *e {
                *e = o.outcome;
            }
        }
    }
    m
}

/// One explained outcome, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub indicator: String,
    pub name: String,
    pub table: String,
    pub key: String,
    pub line: u64,
    pub department: Option<String>,
    pub outcome: Outcome,
    /// Why: rendered by [`crate::words`].
    pub reason: Option<Reason>,
    pub cite: Option<String>,
    /// The rule that decided (`file:line`).
    pub rule: Option<String>,
    /// The distinct item a row belongs to (HC3's service items), by its key;
    /// [`crate::words::Lang::item`] shows it.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::eval::serialize_item"
    )]
    pub item: Option<String>,
    /// The item's own outcome: the best of its rows' (filled by the caller).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_outcome: Option<Outcome>,
    /// For a computed indicator: the `let` measure the row fed …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// … and what it added (1 for a count, its amount for a sum).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    pub policy_version: String,
    pub targets: Vec<String>,
    pub trail: Vec<TrailStep>,
    pub why_not: Vec<WhyNot>,
    /// The record's list columns (the schema's `list`: 案号, dates, …), by
    /// label, personal ones masked; for a list of records only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextValue>,
}

/// One list column of a record: its label (the column's title) and value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextValue {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrailStep {
    pub check: String,
    pub condition: String,
    pub result: bool,
    pub decided: String,
    pub at: String,
    pub reads: Vec<crate::eval::Read>,
}

/// The values a step read, as a person reads them: `status is `取消``.
/// Mask personal data: `3101**********1234`.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n <= 4 {
        return "*".repeat(n);
    }
    let keep = if n >= 12 { 4 } else { 2 };
    let mut out: String = chars[..keep].iter().collect();
    out.push_str(&"*".repeat(n - 2 * keep));
    out.extend(&chars[n - keep..]);
    out
}

fn at(p: &Policy, loc: Loc) -> String {
    let (f, l, c) = p.line_of(loc);
    format!("{f}:{l}:{c}")
}

/// Turn a recorded outcome into words.
pub fn describe(
    p: &Policy,
    period: &crate::period::Period,
    o: &RecordOutcome,
    show_personal: bool,
) -> Explained {
    let ind = &p.indicators[o.ind];
    let (mut reason, mut cite, mut rule) = (None, None, None);
    let by_col = |c: Consumer| -> Option<String> {
        let col = match (c, &ind.body) {
            (Consumer::Part { part, .. }, Body::Ratio(parts)) => parts[part].by?,
            (Consumer::Measure { let_, .. }, Body::Formula { lets, .. }) => {
                match &lets[let_].measure {
                    Measure::Count { by, .. } | Measure::Agg { by, .. } => (*by)?,
                    Measure::Lookup { .. } => return None,
                }
            }
            _ => return None,
        };
        Some(p.schema.tables[o.table].columns[col].name.clone())
    };
    match o.cause {
        Some(Cause::Scope(i)) => {
            let s = &p.scope[i];
            reason = Some(Reason::Because {
                text: s.because.clone(),
            });
            cite = s.cite.clone();
            rule = Some(at(p, s.loc));
        }
        Some(Cause::Period) => {
            reason = Some(Reason::outside(
                by_col(o.consumer).unwrap_or_default(),
                period,
            ));
        }
        Some(Cause::When) => {
            if let (Consumer::Part { part, .. }, Body::Ratio(parts)) = (o.consumer, &ind.body)
                && let Some(w) = &parts[part].when
            {
                reason = Some(Reason::WhenFalse {
                    condition: p.text_of(w.loc).to_string(),
                });
                rule = Some(at(p, w.loc));
            }
        }
        Some(Cause::Rule(i)) => {
            if let (Consumer::Part { part, .. }, Body::Ratio(parts)) = (o.consumer, &ind.body) {
                let r = &parts[part].rules[i];
                reason = Some(Reason::of_rule(p, r));
                cite = r.cite.clone().or_else(|| ind.cite.clone());
                rule = Some(at(p, r.loc));
            }
        }
        Some(Cause::Filter) => {
            reason = Some(Reason::NoMatchingWhere);
            rule = Some(at(p, ind.loc));
        }
        None => {}
    }
    let fix = |v: &str, personal: bool| {
        if personal && !show_personal {
            mask(v)
        } else {
            v.to_string()
        }
    };
    let mut why_not = Vec::new();
    let trail: Vec<TrailStep> = o
        .steps
        .iter()
        .map(|s: &Step| {
            let condition = match s.kind {
                StepKind::Period => s.detail.clone().unwrap_or_default(),
                _ => p
                    .text_of(s.loc)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string(),
            };
            let (check, blocks) = match s.kind {
                StepKind::Scope => ("scope", s.value),
                StepKind::Period => ("period", !s.value),
                StepKind::When => ("when", !s.value),
                StepKind::Filter => ("where", !s.value),
                StepKind::Amount => ("amount", false),
                StepKind::Rule(RuleKind::Require, RuleSide::Both) => ("require", !s.value),
                StepKind::Rule(RuleKind::Exclude, RuleSide::Both) => ("exclude", s.value),
                StepKind::Rule(RuleKind::Require, RuleSide::NumeratorOnly) => {
                    ("numerator require", !s.value)
                }
                StepKind::Rule(RuleKind::Exclude, RuleSide::NumeratorOnly) => {
                    ("numerator exclude", s.value)
                }
            };
            let reads: Vec<crate::eval::Read> = s
                .reads
                .iter()
                .map(|r| crate::eval::Read {
                    value: match &r.value {
                        crate::eval::Shown::Value(v) => {
                            crate::eval::Shown::Value(fix(v, r.personal))
                        }
                        other => other.clone(),
                    },
                    ..r.clone()
                })
                .collect();
            if blocks && o.outcome != Outcome::Numerator {
                let unless = match s.kind {
                    StepKind::Scope => Unless::InScope,
                    StepKind::Period => Unless::InPeriod,
                    StepKind::Rule(RuleKind::Exclude, _) => Unless::NotHeld(condition.clone()),
                    _ => Unless::Held(condition.clone()),
                };
                why_not.push(WhyNot {
                    unless,
                    now: reads.clone(),
                });
            }
            TrailStep {
                check: check.into(),
                condition,
                result: s.value,
                decided: if blocks {
                    "stops here".into()
                } else {
                    "passes".into()
                },
                at: at(p, s.loc),
                reads,
            }
        })
        .collect();
    let targets = match &o.department {
        Some(d) => ind
            .targets
            .iter()
            .filter(|t| t.applies_to(d))
            .filter_map(|t| {
                // The value in force at the period's end (a schedule's).
                let v = t.value_at(period.end)?;
                let bound = match t.upper {
                    Some(hi) => format!(
                        "in {}..{}",
                        crate::eval::fmt_target(v),
                        crate::eval::fmt_target(hi)
                    ),
                    None => format!("{} {}", t.op, crate::eval::fmt_target(v)),
                };
                Some(format!(
                    "{} {bound}{} ({})",
                    t.who,
                    if t.principle { " 原则上" } else { "" },
                    t.document
                ))
            })
            .collect(),
        None => Vec::new(),
    };
    Explained {
        indicator: ind.code.clone(),
        name: ind.name.clone(),
        table: p.schema.tables[o.table].name.clone(),
        key: o.key.clone(),
        line: o.line,
        department: o.department.clone(),
        outcome: o.outcome,
        reason,
        cite,
        rule,
        item: o.item.clone(),
        item_outcome: None,
        measure: match (o.consumer, &ind.body) {
            (Consumer::Measure { let_, .. }, Body::Formula { lets, .. }) => {
                Some(lets[let_].name.clone())
            }
            _ => None,
        },
        amount: o.amount,
        policy_version: format!("{} {}", p.meta.document, p.meta.version),
        targets,
        trail,
        why_not,
        context: o
            .context
            .iter()
            .zip(&p.schema.tables[o.table].list)
            .map(|(v, lc)| ContextValue {
                label: lc.label.clone(),
                value: fix(v, lc.personal),
            })
            .collect(),
    }
}
