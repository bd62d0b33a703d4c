//! Checked policy → [`Plan`]: which tables to read, which of their columns,
//! which tables to keep in memory (those navigated to or aggregated over), and
//! in what order the passes run. The plan is plain data, not closures.
//!
//! What a record counts for is not decided here: the plan carries the
//! logical plan ([`Logical`], built once by [`crate::logical::build`]) and
//! reads what each part and measure reads from it; each table's consumers
//! point into it (`TablePlan::logical`). What is physical stays here: the
//! columns and their slots, the relations resolved per row, the stored
//! tables, the item sets, the passes and their waves.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::ir::*;
use crate::logical::{DeptKey, Logical, MeasureKind, MeasurePlan, PartPlan};
use crate::schema::{ColId, TableId};

/// Who consumes a table's rows during its pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumer {
    /// Part `part` of a counted indicator.
    Part { ind: IndId, part: usize },
    /// Measure `let_` of a computed indicator.
    Measure { ind: IndId, let_: usize },
    /// Contribution of a child row to aggregate `agg`.
    Agg(AggId),
}

#[derive(Debug, Clone)]
pub struct TablePlan {
    pub table: TableId,
    /// Columns read, in slot order.
    pub cols: Vec<ColId>,
    /// Schema column → slot.
    pub slot: Vec<Option<usize>>,
    /// Relations leaving this table whose target is kept in memory: resolved per row.
    pub rels: Vec<RelId>,
    /// Kept in memory (navigated to or aggregated over).
    pub stored: bool,
    pub consumers: Vec<Consumer>,
    /// Per consumer: its index in the logical plan, among
    /// [`Logical::parts`] for a part and [`Logical::measures`] for a
    /// measure (for an aggregate: its id).
    pub logical: Vec<usize>,
    /// Aggregates the consumers read (their child tables' passes come first).
    pub needs_aggs: BTreeSet<AggId>,
    /// The distinct items counted in this table's pass: parts that count the
    /// same item columns share one set.
    pub item_sets: Vec<ItemSet>,
    /// Per consumer: its item set and its lane there (counted parts with
    /// `distinct` only).
    pub item_lane: Vec<Option<(usize, usize)>>,
}

/// Parts of one table that count the same distinct items.
#[derive(Debug, Clone)]
pub struct ItemSet {
    /// The item columns, in the order they are written.
    pub cols: Vec<ColId>,
    /// A resolved relation (index into `rels`) whose column is an item column:
    /// items are kept under the row it resolves to.
    pub anchor: Option<usize>,
    /// The consumers (indices into `consumers`) counting these items, a lane each.
    pub lanes: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub policy: Arc<Policy>,
    /// What each part and measure counts, engine-neutral: the record
    /// semantics the native engine reads.
    pub logical: Logical,
    /// Per schema table; `None` when the policy does not read it.
    pub tables: Vec<Option<TablePlan>>,
    /// Stored tables in load order (a table after the tables it navigates to).
    pub load_order: Vec<TableId>,
    /// Passes grouped in waves; the passes of one wave are independent.
    pub waves: Vec<Vec<TableId>>,
    /// Aggregates over a relation from a stored table to itself, counted
    /// from the stored rows as soon as every stored table is loaded.
    pub pre_aggs: Vec<AggId>,
    /// Per relation: its index among the resolved relations of its table.
    rel_slots: Vec<Option<usize>>,
    /// Per aggregate read: the relation from its child table it counts over.
    agg_rels: Vec<Option<RelId>>,
}

impl Plan {
    #[inline]
    #[allow(
        clippy::expect_used,
        reason = "compile plans every table an indicator reads; asking for another is a bug in the engine"
    )]
    pub fn table(&self, t: TableId) -> &TablePlan {
        self.tables[t].as_ref().expect("plan: table not read")
    }
    #[inline]
    #[allow(
        clippy::expect_used,
        reason = "compile gives a slot to every column an expression reads; asking for another is a bug in the engine"
    )]
    pub fn slot(&self, t: TableId, c: ColId) -> usize {
        self.table(t).slot[c].expect("plan: column not read")
    }
    /// Index of relation `rel` among the resolved relations of its table.
    #[inline]
    #[allow(
        clippy::expect_used,
        reason = "compile resolves every relation an expression follows; asking for another is a bug in the engine"
    )]
    pub fn rel_slot(&self, rel: RelId) -> usize {
        self.rel_slots[rel].expect("plan: relation not resolved")
    }

    /// The index, among its child table's resolved relations, of the
    /// relation an aggregate counts over.
    #[inline]
    #[allow(
        clippy::expect_used,
        reason = "compile resolves the relation of every aggregate it plans; asking for another is a bug in the engine"
    )]
    pub fn agg_rel_slot(&self, agg: AggId) -> usize {
        self.rel_slot(self.agg_rels[agg].expect("plan: aggregate not read"))
    }

    /// The logical part consumer `ci` of table `t` counts (it must be a part).
    #[inline]
    pub fn part(&self, t: TableId, ci: usize) -> &PartPlan {
        &self.logical.parts[self.table(t).logical[ci]]
    }

    /// The logical measure consumer `ci` of table `t` folds (it must be a measure).
    #[inline]
    pub fn measure(&self, t: TableId, ci: usize) -> &MeasurePlan {
        &self.logical.measures[self.table(t).logical[ci]]
    }
}

#[derive(Default)]
struct Uses {
    cols: HashMap<TableId, BTreeSet<ColId>>,
    navigated: BTreeSet<TableId>,
    rels: BTreeSet<RelId>,
    aggs: BTreeSet<AggId>,
}

impl Uses {
    fn col(&mut self, t: TableId, c: ColId) {
        self.cols.entry(t).or_default().insert(c);
    }
}

fn walk(p: &Policy, e: &CExpr, u: &mut Uses, seen_defs: &mut BTreeSet<DefId>) {
    let nav = |u: &mut Uses, nav: &[RelId]| {
        for r in nav {
            let rel = &p.schema.relations[*r];
            u.col(rel.from, rel.col);
            u.navigated.insert(rel.to);
            u.rels.insert(*r);
        }
    };
    match &e.kind {
        CKind::Lit(_) | CKind::Period(_) => {}
        CKind::Col(c) => {
            nav(u, &c.nav);
            u.col(c.table, c.col);
        }
        CKind::Def { nav: n, def } => {
            nav(u, n);
            // A definition is walked once per place it is used from, but its
            // own columns only once.
            if seen_defs.insert(*def) {
                walk(p, &p.defs[*def].expr, u, seen_defs);
            }
            let mut inner = Uses::default();
            walk(p, &p.defs[*def].expr, &mut inner, &mut BTreeSet::new());
            u.aggs.extend(inner.aggs);
        }
        CKind::Not(a) | CKind::IsEmpty(a, _) | CKind::In(a, _, _) => walk(p, a, u, seen_defs),
        CKind::And(v) | CKind::Or(v) => v.iter().for_each(|x| walk(p, x, u, seen_defs)),
        CKind::Cmp(_, a, b) | CKind::Arith(_, a, b) | CKind::Default(a, b) => {
            walk(p, a, u, seen_defs);
            walk(p, b, u, seen_defs);
        }
        CKind::Call(_, args) => args.iter().for_each(|x| walk(p, x, u, seen_defs)),
        CKind::Agg(_, id) => {
            u.aggs.insert(*id);
        }
    }
}

/// What a counted part reads of its table: conditions, and the columns of
/// its date and its distinct items.
fn part_reads(part: &PartPlan) -> (TableId, Vec<&CExpr>, Vec<ColId>) {
    let mut exprs: Vec<&CExpr> = part.rules.iter().map(|r| &r.cond).collect();
    exprs.extend(&part.placement.when);
    exprs.extend(&part.per);
    if let DeptKey::Expr(e) = &part.department {
        exprs.push(e);
    }
    let mut cols: Vec<ColId> = part.placement.by.into_iter().collect();
    cols.extend(part.distinct.iter().flatten().copied());
    (part.table, exprs, cols)
}

/// What a `let` measure reads of its table: conditions and amounts, and the
/// columns of its date or of the value it looks up.
fn measure_reads(m: &MeasurePlan) -> (TableId, Vec<&CExpr>, Vec<ColId>) {
    let mut exprs: Vec<&CExpr> = m.filter.iter().collect();
    let mut cols: Vec<ColId> = m.by.into_iter().collect();
    match &m.kind {
        MeasureKind::Count => {}
        MeasureKind::Fold(_, e) => exprs.push(e),
        MeasureKind::Lookup(c) => cols.push(*c),
    }
    (m.table, exprs, cols)
}

/// What the department of table `t`'s records reads (`department of … = case.department`).
fn walk_attribution(
    lp: &Logical,
    p: &Policy,
    t: TableId,
    u: &mut Uses,
    seen_defs: &mut BTreeSet<DefId>,
) {
    if let Some(a) = &lp.records[t].department {
        let read = CExpr {
            kind: CKind::Col(a.clone()),
            loc: Loc::default(),
        };
        walk(p, &read, u, seen_defs);
    }
}

/// Group a table's distinct parts by their item columns.
fn item_sets(
    p: &Policy,
    lp: &Logical,
    rels: &[RelId],
    consumers: &[Consumer],
    logical: &[usize],
) -> (Vec<ItemSet>, Vec<Option<(usize, usize)>>) {
    let mut sets: Vec<ItemSet> = Vec::new();
    let mut lanes = vec![None; consumers.len()];
    for (ci, c) in consumers.iter().enumerate() {
        let Consumer::Part { .. } = *c else {
            continue;
        };
        let Some(cols) = &lp.parts[logical[ci]].distinct else {
            continue;
        };
        let si = match sets.iter().position(|s| &s.cols == cols) {
            Some(si) => si,
            None => {
                let anchor = rels
                    .iter()
                    .position(|r| cols.contains(&p.schema.relations[*r].col));
                sets.push(ItemSet {
                    cols: cols.clone(),
                    anchor,
                    lanes: Vec::new(),
                });
                sets.len() - 1
            }
        };
        lanes[ci] = Some((si, sets[si].lanes.len()));
        sets[si].lanes.push(ci);
    }
    (sets, lanes)
}

/// Compile a checked policy into a plan.
pub fn compile(policy: Arc<Policy>) -> Plan {
    let all = vec![true; policy.indicators.len()];
    compile_only(policy, &all)
}

/// The indicators `wanted` and those their values derive from, transitively.
pub fn with_sources(p: &Policy, wanted: &[IndId]) -> Vec<bool> {
    let mut keep = vec![false; p.indicators.len()];
    let mut todo: Vec<IndId> = wanted.to_vec();
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut keep[i], true) {
            continue;
        }
        todo.extend(p.indicators[i].derived_from.iter().map(|(d, _)| *d));
    }
    keep
}

/// A plan that reads only what the indicators marked in `keep` need (the
/// others get no records): the evaluation of another period that a formula
/// names reads only for the indicators it names.
pub fn compile_only(policy: Arc<Policy>, keep: &[bool]) -> Plan {
    compile_with(policy, keep, false)
}

/// A plan that also reads the columns each table's records are listed with
/// (the schema's `list`: 案号, dates, through relations too), for the lists
/// of records to chase.
pub fn compile_listing(policy: Arc<Policy>) -> Plan {
    let all = vec![true; policy.indicators.len()];
    compile_with(policy, &all, true)
}

/// The parts and measures of the logical plan as consumers, in indicator
/// order (an indicator's parts or measures in theirs), each with its index
/// in the logical plan and what it reads.
#[allow(clippy::type_complexity)]
fn uses(lp: &Logical) -> Vec<(Consumer, usize, (TableId, Vec<&CExpr>, Vec<ColId>))> {
    let (mut i, mut j) = (0, 0);
    let mut v = Vec::with_capacity(lp.parts.len() + lp.measures.len());
    while i < lp.parts.len() || j < lp.measures.len() {
        // An indicator has parts or measures, never both.
        if j == lp.measures.len() || (i < lp.parts.len() && lp.parts[i].ind < lp.measures[j].ind) {
            let x = &lp.parts[i];
            let c = Consumer::Part {
                ind: x.ind,
                part: x.part,
            };
            v.push((c, i, part_reads(x)));
            i += 1;
        } else {
            let m = &lp.measures[j];
            let c = Consumer::Measure {
                ind: m.ind,
                let_: m.index,
            };
            v.push((c, j, measure_reads(m)));
            j += 1;
        }
    }
    v
}

fn compile_with(policy: Arc<Policy>, keep: &[bool], lists: bool) -> Plan {
    let p = &*policy;
    let lp = crate::logical::build(p);
    let kept = |c: &Consumer| match *c {
        Consumer::Part { ind, .. } | Consumer::Measure { ind, .. } => keep[ind],
        Consumer::Agg(_) => true,
    };
    let uses: Vec<_> = uses(&lp).into_iter().filter(|u| kept(&u.0)).collect();
    // The aggregates the kept indicators read.
    let mut aggs_read: BTreeSet<AggId> = BTreeSet::new();
    for (_, _, (_, exprs, _)) in &uses {
        let mut u = Uses::default();
        let mut seen = BTreeSet::new();
        for e in exprs {
            walk(p, e, &mut u, &mut seen);
        }
        aggs_read.extend(u.aggs);
    }
    let n = p.schema.tables.len();
    let mut cols: Vec<BTreeSet<ColId>> = vec![BTreeSet::new(); n];
    let mut needed = vec![false; n];
    let mut stored = vec![false; n];
    let mut consumers: Vec<Vec<Consumer>> = vec![Vec::new(); n];
    let mut logical: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut needs_aggs: Vec<BTreeSet<AggId>> = vec![BTreeSet::new(); n];
    let mut rels: BTreeSet<RelId> = BTreeSet::new();

    // Everything a row of `t` evaluates for a consumer: walk and record.
    let mut record =
        |t: TableId, exprs: &[&CExpr], extra_cols: &[ColId], who: Option<(Consumer, usize)>| {
            let mut u = Uses::default();
            let mut seen = BTreeSet::new();
            for e in exprs {
                walk(p, e, &mut u, &mut seen);
            }
            // Department attribution and scope, for every counted record.
            if who.is_some_and(|(c, _)| !matches!(c, Consumer::Agg(_))) {
                walk_attribution(&lp, p, t, &mut u, &mut seen);
                for s in &lp.records[t].scope {
                    let (rule, path) = (&p.scope[s.rule], &s.path);
                    let mut su = Uses::default();
                    walk(p, &rule.cond, &mut su, &mut BTreeSet::new());
                    for r in path {
                        let rel = &p.schema.relations[*r];
                        u.col(rel.from, rel.col);
                        u.navigated.insert(rel.to);
                        u.rels.insert(*r);
                    }
                    for (tt, cs) in su.cols {
                        for c in cs {
                            u.col(tt, c);
                        }
                    }
                    // Relations the scope condition itself follows.
                    u.navigated.extend(su.navigated);
                    u.rels.extend(su.rels);
                    u.aggs.extend(su.aggs);
                }
                if let Some(k) = p.schema.tables[t].key() {
                    u.col(t, k);
                }
            }
            needed[t] = true;
            for c in extra_cols {
                u.col(t, *c);
            }
            for (tt, cs) in u.cols {
                needed[tt] = true;
                cols[tt].extend(cs);
            }
            for nt in u.navigated {
                stored[nt] = true;
            }
            rels.extend(u.rels);
            for a in &u.aggs {
                let agg = &p.aggs[*a];
                stored[agg.parent] = true;
            }
            if let Some((c, li)) = who {
                consumers[t].push(c);
                logical[t].push(li);
                needs_aggs[t].extend(u.aggs.iter().copied());
            }
        };

    for (c, li, (t, exprs, extra)) in &uses {
        record(*t, exprs, extra, Some((*c, *li)));
    }
    let mut agg_rels = vec![None; p.aggs.len()];
    let mut pre_aggs = Vec::new();
    for (ai, agg) in p.aggs.iter().enumerate() {
        if !aggs_read.contains(&ai) {
            continue;
        }
        let exprs: Vec<&CExpr> = agg.cond.iter().collect();
        // Over a relation from a table to itself (a case's derived cases) the
        // child rows are the parent's own rows: counted when the table is
        // loaded, before the pass that reads the counts.
        let who = if agg.child == agg.parent {
            pre_aggs.push(ai);
            None
        } else {
            Some((Consumer::Agg(ai), ai))
        };
        record(agg.child, &exprs, &[agg.rel_col], who);
        // check resolves an aggregate's relation before it is planned.
        let rel = p
            .schema
            .relations
            .iter()
            .position(|r| r.from == agg.child && r.col == agg.rel_col);
        agg_rels[ai] = rel;
    }
    rels.extend(agg_rels.iter().flatten());
    // The columns records are listed with, for the tables counted.
    if lists {
        for (t, who) in consumers.iter().enumerate() {
            if who.is_empty() {
                continue;
            }
            for lc in &p.schema.tables[t].list {
                for r in &lc.path {
                    let rel = &p.schema.relations[*r];
                    cols[rel.from].insert(rel.col);
                    stored[rel.to] = true;
                    needed[rel.to] = true;
                    rels.insert(*r);
                }
                needed[lc.table] = true;
                cols[lc.table].insert(lc.col);
            }
        }
    }
    // Stored tables need their key; relation columns of read tables pointing
    // at stored tables are resolved (and checked) per row.
    for t in 0..n {
        if stored[t] {
            needed[t] = true;
            if let Some(k) = p.schema.tables[t].key() {
                cols[t].insert(k);
            }
        }
    }
    for (ri, r) in p.schema.relations.iter().enumerate() {
        if needed[r.from] && stored[r.to] {
            rels.insert(ri);
            cols[r.from].insert(r.col);
        }
    }

    let mut tables: Vec<Option<TablePlan>> = vec![None; n];
    for t in 0..n {
        if !needed[t] {
            continue;
        }
        let c: Vec<ColId> = cols[t].iter().copied().collect();
        let mut slot = vec![None; p.schema.tables[t].columns.len()];
        for (i, ci) in c.iter().enumerate() {
            slot[*ci] = Some(i);
        }
        let table_rels: Vec<RelId> = rels
            .iter()
            .copied()
            .filter(|r| p.schema.relations[*r].from == t)
            .collect();
        let table_consumers = std::mem::take(&mut consumers[t]);
        let table_logical = std::mem::take(&mut logical[t]);
        let (item_sets, item_lane) =
            item_sets(p, &lp, &table_rels, &table_consumers, &table_logical);
        tables[t] = Some(TablePlan {
            table: t,
            cols: c,
            slot,
            rels: table_rels,
            stored: stored[t],
            consumers: table_consumers,
            logical: table_logical,
            needs_aggs: std::mem::take(&mut needs_aggs[t]),
            item_sets,
            item_lane,
        });
    }

    // Load order of stored tables: after the stored tables they point at.
    let mut load_order = Vec::new();
    let mut placed = vec![false; n];
    loop {
        let before = load_order.len();
        for t in 0..n {
            if stored[t] && !placed[t] {
                let ready = tables[t].as_ref().is_some_and(|tp| {
                    tp.rels.iter().all(|r| {
                        let to = p.schema.relations[*r].to;
                        to == t || placed[to]
                    })
                });
                if ready {
                    placed[t] = true;
                    load_order.push(t);
                }
            }
        }
        if load_order.len() == before {
            // A cycle of relations between stored tables: load the rest anyway;
            // the loader resolves relations after every stored table is read.
            for t in 0..n {
                if stored[t] && !placed[t] {
                    placed[t] = true;
                    load_order.push(t);
                }
            }
            break;
        }
    }

    // Waves: a pass runs after the passes of the child tables of the aggregates it reads.
    let mut waves: Vec<Vec<TableId>> = Vec::new();
    let mut done = vec![false; n];
    let pending: Vec<TableId> = (0..n)
        .filter(|t| {
            tables[*t]
                .as_ref()
                .is_some_and(|tp| !tp.consumers.is_empty())
        })
        .collect();
    let mut left = pending.clone();
    while !left.is_empty() {
        let wave: Vec<TableId> = left
            .iter()
            .copied()
            .filter(|t| {
                tables[*t].as_ref().is_some_and(|tp| {
                    tp.needs_aggs.iter().all(|a| {
                        let c = p.aggs[*a].child;
                        c == *t || done[c] || !pending.contains(&c)
                    })
                })
            })
            .collect();
        let wave = if wave.is_empty() { left.clone() } else { wave };
        for t in &wave {
            done[*t] = true;
        }
        left.retain(|t| !wave.contains(t));
        waves.push(wave);
    }

    let mut rel_slots = vec![None; p.schema.relations.len()];
    for tp in tables.iter().flatten() {
        for (i, r) in tp.rels.iter().enumerate() {
            rel_slots[*r] = Some(i);
        }
    }
    Plan {
        policy,
        logical: lp,
        tables,
        load_order,
        waves,
        pre_aggs,
        rel_slots,
        agg_rels,
    }
}

/// Every (table, column) an indicator reads, its scope rules and department
/// attribution included: the data lineage of one indicator.
pub fn columns_read(p: &Policy, ind: IndId) -> BTreeSet<(TableId, ColId)> {
    let lp = crate::logical::build(p);
    let mut u = Uses::default();
    let mut seen = BTreeSet::new();
    let reads: Vec<_> = uses(&lp)
        .into_iter()
        .filter(|(c, _, _)| matches!(*c, Consumer::Part { ind: i, .. } | Consumer::Measure { ind: i, .. } if i == ind))
        .map(|(_, _, r)| r)
        .collect();
    let mut tables = Vec::new();
    for (t, exprs, extra) in reads {
        tables.push(t);
        for e in exprs {
            walk(p, e, &mut u, &mut seen);
        }
        for c in extra {
            u.col(t, c);
        }
    }
    for agg in u.aggs.clone() {
        let a = &p.aggs[agg];
        u.col(a.child, a.rel_col);
        if let Some(c) = &a.cond {
            walk(p, c, &mut u, &mut seen);
        }
    }
    for t in tables {
        walk_attribution(&lp, p, t, &mut u, &mut seen);
        for s in &lp.records[t].scope {
            for r in &s.path {
                let rel = &p.schema.relations[*r];
                u.col(rel.from, rel.col);
            }
            walk(p, &p.scope[s.rule].cond, &mut u, &mut seen);
        }
    }
    u.cols
        .into_iter()
        .flat_map(|(t, cs)| cs.into_iter().map(move |c| (t, c)))
        .collect()
}
