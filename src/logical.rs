//! Checked policy → [`Logical`]: what each indicator part counts, stated
//! once and independently of any engine. Per table: the scope rules that
//! judge its records (and the relations they are reached through) and the
//! path to a record's department. Per counted part: its table, what places a
//! record in the period (`by` column, `when`), its role, the rules per side
//! in their order, its department (the table's, or the part's own
//! `department = …`), the distinct-item key, the `per` breakdown; per `let`
//! measure: its table, fold, filter, placement, scope and department.
//!
//! Both backends read the record semantics from here alone: the SQL backend
//! ([`crate::sql`]) writes this as a query, and the native engine
//! ([`crate::eval`]) decides each record from these fields (a part's outcome
//! in `eval/decide.rs`, a measure's in `eval/measure.rs`), through the
//! logical plan that [`crate::plan::Plan`] carries beside its physical one
//! (columns and slots, stored tables, passes). What stays the checked
//! policy's is the expressions themselves ([`CExpr`], with the definitions,
//! scope rules' conditions and aggregates they name by id) and the indicators'
//! formulas and targets, which the figures assembly reads.

use crate::ir::*;
use crate::schema::{ColId, TableId};
use crate::vocab::AggFn;

/// The logical plan of a whole policy.
#[derive(Debug, Clone)]
pub struct Logical {
    /// Per schema table: what judges and attributes every record of it.
    pub records: Vec<Records>,
    /// Every counted part of every counted indicator, in indicator order.
    pub parts: Vec<PartPlan>,
    /// Every `let` measure of every computed indicator, in indicator order.
    pub measures: Vec<MeasurePlan>,
    /// The aggregates over related rows (`any`/`every`/`count`) the policy reads.
    pub aggs: Vec<AggId>,
}

/// A scope rule as it reaches a table: through these relations (none: the
/// rule is on the table itself). A record whose relation is empty is not
/// judged by the rule.
#[derive(Debug, Clone)]
pub struct ScopeUse {
    pub rule: usize,
    pub path: Vec<RelId>,
}

/// What applies to every record of a table, whichever part or measure
/// counts it: a part's and a scoped measure's `scope` are the table's, and
/// its department is the table's unless the part names its own.
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// The scope rules, in order: the first that holds puts the record out
    /// of scope.
    pub scope: Vec<ScopeUse>,
    /// `department of T = case.department`: a column, through relations;
    /// none: the records count for the court only.
    pub department: Option<ColRef>,
}

/// Where a record's department is read.
#[derive(Debug, Clone)]
pub enum DeptKey {
    /// The table has no `department of` line: the record counts for the
    /// court only.
    None,
    /// `department of T = case.department`: a column, through relations.
    Path(ColRef),
    /// `department = origin.department` in the part: an expression of the row.
    Expr(CExpr),
}

/// What places a record in the period.
#[derive(Debug, Clone)]
pub struct Placement {
    /// `by DATE`: the record's date (or datetime's date) is in the period.
    pub by: Option<ColId>,
    /// `when CONDITION`: the record belongs to the period when it holds.
    pub when: Option<CExpr>,
}

/// One counted part of an indicator.
#[derive(Debug, Clone)]
pub struct PartPlan {
    pub ind: IndId,
    /// The indicator's code as users know it (`HC4-talk`).
    pub code: String,
    /// The part's place in the indicator (0, 1, …).
    pub part: usize,
    pub role: Role,
    pub table: TableId,
    pub placement: Placement,
    pub scope: Vec<ScopeUse>,
    /// In order: a `Both` rule that fails leaves the record uncounted (a
    /// `require`) or excluded (an `exclude`); a numerator-only rule that
    /// fails keeps it out of the numerator.
    pub rules: Vec<CRule>,
    pub department: DeptKey,
    /// `count distinct (…)`: one count per item, by its best record.
    pub distinct: Option<Vec<ColId>>,
    /// `per COLUMN` breakdown beside departments.
    pub per: Option<CExpr>,
    pub loc: Loc,
}

/// How a measure folds its records.
#[derive(Debug, Clone)]
pub enum MeasureKind {
    /// `count T`: one per record.
    Count,
    /// `sum|avg|median|min|max EXPR of T`: records with an empty amount are left out.
    Fold(AggFn, CExpr),
    /// `lookup T.COL where …`: the value of the one matching row, court-wide.
    Lookup(ColId),
}

/// One `let` measure of a computed indicator.
#[derive(Debug, Clone)]
pub struct MeasurePlan {
    pub ind: IndId,
    pub code: String,
    /// The measure's place among the indicator's `let`s, and its name.
    pub index: usize,
    pub name: String,
    pub table: TableId,
    pub kind: MeasureKind,
    pub by: Option<ColId>,
    /// `where …`: a record that fails it is not measured (for a lookup:
    /// the condition that picks the row).
    pub filter: Option<CExpr>,
    /// Scope rules (none for a lookup: a benchmark table is not in scope).
    pub scope: Vec<ScopeUse>,
    /// The department a record counts for (`None` for a lookup).
    pub department: DeptKey,
    pub loc: Loc,
}

fn records_of(p: &Policy, t: TableId) -> Records {
    Records {
        scope: p.scope_paths[t]
            .iter()
            .map(|(rule, path)| ScopeUse {
                rule: *rule,
                path: path.clone(),
            })
            .collect(),
        department: p.attribution[t].clone(),
    }
}

impl Records {
    /// The department key of the table's records.
    pub fn department_key(&self) -> DeptKey {
        match &self.department {
            Some(c) => DeptKey::Path(c.clone()),
            None => DeptKey::None,
        }
    }
}

impl PartPlan {
    /// Whether every record of one of the part's items has the same
    /// department: the item's columns hold the department column, or the
    /// relation it is read through (an item counts for its best record's
    /// department, which is then every record's). True without items.
    pub fn items_fix_department(&self, p: &Policy) -> bool {
        match (&self.distinct, &self.department) {
            (None, _) | (_, DeptKey::None) => true,
            (Some(cols), DeptKey::Path(c)) => match c.nav.first() {
                Some(r) => cols.contains(&p.schema.relations[*r].col),
                None => cols.contains(&c.col),
            },
            (Some(_), DeptKey::Expr(_)) => false,
        }
    }
}

impl Logical {
    /// The index in [`Logical::parts`] of part `part` of indicator `ind`.
    pub fn part_index(&self, ind: IndId, part: usize) -> Option<usize> {
        self.parts
            .binary_search_by(|x| (x.ind, x.part).cmp(&(ind, part)))
            .ok()
    }

    /// The index in [`Logical::measures`] of measure `index` of indicator `ind`.
    pub fn measure_index(&self, ind: IndId, index: usize) -> Option<usize> {
        self.measures
            .binary_search_by(|x| (x.ind, x.index).cmp(&(ind, index)))
            .ok()
    }
}

fn aggs_in(p: &Policy, e: &CExpr, out: &mut Vec<AggId>, seen_defs: &mut Vec<DefId>) {
    match &e.kind {
        CKind::Lit(_) | CKind::Period(_) | CKind::Col(_) => {}
        CKind::Def { def, .. } => {
            if !seen_defs.contains(def) {
                seen_defs.push(*def);
                aggs_in(p, &p.defs[*def].expr, out, seen_defs);
            }
        }
        CKind::Not(a) | CKind::IsEmpty(a, _) | CKind::In(a, _, _) => aggs_in(p, a, out, seen_defs),
        CKind::And(v) | CKind::Or(v) | CKind::Call(_, v) => {
            v.iter().for_each(|x| aggs_in(p, x, out, seen_defs))
        }
        CKind::Cmp(_, a, b) | CKind::Arith(_, a, b) | CKind::Default(a, b) => {
            aggs_in(p, a, out, seen_defs);
            aggs_in(p, b, out, seen_defs);
        }
        CKind::Agg(_, id) => {
            if !out.contains(id) {
                out.push(*id);
                if let Some(c) = &p.aggs[*id].cond {
                    aggs_in(p, c, out, seen_defs);
                }
            }
        }
    }
}

/// The logical plan of a checked policy.
pub fn build(p: &Policy) -> Logical {
    let records: Vec<Records> = (0..p.schema.tables.len())
        .map(|t| records_of(p, t))
        .collect();
    let mut parts = Vec::new();
    let mut measures = Vec::new();
    let mut exprs: Vec<&CExpr> = p.scope.iter().map(|s| &s.cond).collect();
    for (ii, ind) in p.indicators.iter().enumerate() {
        match &ind.body {
            Body::Ratio(ps) => {
                for (pi, part) in ps.iter().enumerate() {
                    exprs.extend(part.rules.iter().map(|r| &r.cond));
                    exprs.extend(&part.when);
                    parts.push(PartPlan {
                        ind: ii,
                        code: ind.code.clone(),
                        part: pi,
                        role: part.role,
                        table: part.table,
                        placement: Placement {
                            by: part.by,
                            when: part.when.clone(),
                        },
                        scope: records[part.table].scope.clone(),
                        rules: part.rules.clone(),
                        department: match &part.department {
                            Some(e) => DeptKey::Expr(e.clone()),
                            None => records[part.table].department_key(),
                        },
                        distinct: part.distinct.clone(),
                        per: part.per.clone(),
                        loc: part.loc,
                    });
                }
            }
            Body::Formula { lets, .. } => {
                for (li, l) in lets.iter().enumerate() {
                    let t = l.measure.table();
                    let (kind, by, filter, scoped) = match &l.measure {
                        Measure::Count { by, filter, .. } => {
                            (MeasureKind::Count, *by, filter.clone(), true)
                        }
                        Measure::Agg {
                            func,
                            expr,
                            by,
                            filter,
                            ..
                        } => {
                            exprs.push(expr);
                            (
                                MeasureKind::Fold(*func, expr.clone()),
                                *by,
                                filter.clone(),
                                true,
                            )
                        }
                        Measure::Lookup { col, filter, .. } => {
                            (MeasureKind::Lookup(*col), None, Some(filter.clone()), false)
                        }
                    };
                    if let Measure::Count {
                        filter: Some(f), ..
                    }
                    | Measure::Agg {
                        filter: Some(f), ..
                    }
                    | Measure::Lookup { filter: f, .. } = &l.measure
                    {
                        exprs.push(f);
                    }
                    measures.push(MeasurePlan {
                        ind: ii,
                        code: ind.code.clone(),
                        index: li,
                        name: l.name.clone(),
                        table: t,
                        kind,
                        by,
                        filter,
                        scope: if scoped {
                            records[t].scope.clone()
                        } else {
                            Vec::new()
                        },
                        department: if scoped {
                            records[t].department_key()
                        } else {
                            DeptKey::None
                        },
                        loc: l.loc,
                    });
                }
            }
        }
    }
    let mut aggs = Vec::new();
    let mut seen = Vec::new();
    for e in exprs {
        aggs_in(p, e, &mut aggs, &mut seen);
    }
    aggs.sort();
    Logical {
        records,
        parts,
        measures,
        aggs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn shipped() -> Policy {
        let loaded = crate::workspace::load(Path::new("policies/jiading-2022.zb")).expect("policy");
        loaded.checked.policy.expect("checks")
    }

    fn part<'a>(lp: &'a Logical, code: &str, n: usize) -> &'a PartPlan {
        lp.parts
            .iter()
            .find(|p| p.code == code && p.part == n)
            .expect("part")
    }

    #[test]
    fn a_distinct_part_reads_its_items_scope_and_department_through_the_case() {
        let p = shipped();
        let lp = build(&p);
        let hc3a = part(&lp, "HC3a", 0);
        let services = p.schema.table("services").expect("services");
        let t = &p.schema.tables[services];
        assert_eq!(hc3a.table, services);
        assert_eq!(hc3a.role, Role::Both);
        let names: Vec<&str> = hc3a
            .distinct
            .iter()
            .flatten()
            .map(|c| t.columns[*c].name.as_str())
            .collect();
        assert_eq!(names, ["case_id", "party_id", "content_id"]);
        assert_eq!(hc3a.placement.by, t.col("sent_at"));
        assert!(hc3a.placement.when.is_some());
        // The scope rule on cases, reached through `case`.
        assert_eq!(hc3a.scope.len(), 1);
        let rel = &p.schema.relations[hc3a.scope[0].path[0]];
        assert_eq!(rel.name, "case");
        assert!(matches!(&hc3a.department, DeptKey::Path(c) if c.nav == hc3a.scope[0].path));
        assert_eq!(hc3a.rules.len(), 1);
        assert_eq!(hc3a.rules[0].side, RuleSide::NumeratorOnly);
    }

    #[test]
    fn parts_of_both_sides_and_copies_are_separate_parts() {
        let p = shipped();
        let lp = build(&p);
        // HC13: one numerator block, two denominator blocks.
        let roles: Vec<Role> = lp
            .parts
            .iter()
            .filter(|x| x.code == "HC13")
            .map(|x| x.role)
            .collect();
        assert_eq!(
            roles,
            [Role::Numerator, Role::Denominator, Role::Denominator]
        );
        // `restrict HC4 where kind = "谈话"` is HC4's part with one more rule first.
        let (hc4, talk) = (part(&lp, "HC4", 0), part(&lp, "HC4-talk", 0));
        assert_eq!(talk.rules.len(), hc4.rules.len() + 1);
        assert_eq!(talk.rules[0].side, RuleSide::Both);
        // `over HC4 numerator`: HC4's rules on both sides, then its own
        // numerator rule.
        let president = part(&lp, "HC4-president", 0);
        let sides: Vec<RuleSide> = president.rules.iter().map(|r| r.side).collect();
        let mut want = vec![RuleSide::Both; hc4.rules.len()];
        want.push(RuleSide::NumeratorOnly);
        assert_eq!(sides, want);
    }

    #[test]
    fn measures_and_aggregates() {
        let p = shipped();
        let lp = build(&p);
        let hc10: Vec<(&str, bool)> = lp
            .measures
            .iter()
            .filter(|m| m.code == "HC10")
            .map(|m| (m.name.as_str(), matches!(m.kind, MeasureKind::Lookup(_))))
            .collect();
        assert_eq!(
            hc10,
            [
                ("staff", false),
                ("logins", false),
                ("hours", false),
                ("city_logins", true),
                ("city_hours", true)
            ]
        );
        let lookup = lp
            .measures
            .iter()
            .find(|m| m.name == "city_logins")
            .expect("lookup");
        assert!(lookup.scope.is_empty() && matches!(lookup.department, DeptKey::None));
        // any(assignments), any(documents), count(computers, …) ×3, every(computers, …).
        assert_eq!(lp.aggs.len(), p.aggs.len());
    }

    #[test]
    fn a_part_is_judged_and_attributed_as_its_tables_records() {
        let p = shipped();
        let lp = build(&p);
        for part in &lp.parts {
            let r = &lp.records[part.table];
            let rules = |v: &[ScopeUse]| {
                v.iter()
                    .map(|s| (s.rule, s.path.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(rules(&part.scope), rules(&r.scope), "{}", part.code);
            match (&part.department, &r.department) {
                (DeptKey::Expr(_), _) | (DeptKey::None, None) => {}
                (DeptKey::Path(a), Some(b)) => {
                    assert_eq!((a.table, a.col, &a.nav), (b.table, b.col, &b.nav))
                }
                _ => panic!("{}: department not the table's", part.code),
            }
            assert_eq!(
                lp.part_index(part.ind, part.part)
                    .map(|i| &lp.parts[i].code),
                Some(&part.code)
            );
        }
        for m in &lp.measures {
            let i = lp.measure_index(m.ind, m.index).expect("measure");
            assert_eq!(lp.measures[i].name, m.name);
        }
    }

    #[test]
    fn the_plans_consumers_point_at_their_logical_parts_and_measures() {
        let p = std::sync::Arc::new(shipped());
        let plan = crate::plan::compile(p.clone());
        for tp in plan.tables.iter().flatten() {
            for (ci, c) in tp.consumers.iter().enumerate() {
                match *c {
                    crate::plan::Consumer::Part { ind, part } => {
                        let x = plan.part(tp.table, ci);
                        assert_eq!((x.ind, x.part, x.table), (ind, part, tp.table));
                    }
                    crate::plan::Consumer::Measure { ind, let_ } => {
                        let x = plan.measure(tp.table, ci);
                        assert_eq!((x.ind, x.index, x.table), (ind, let_, tp.table));
                    }
                    crate::plan::Consumer::Agg(a) => assert_eq!(tp.logical[ci], a),
                }
            }
        }
    }
}
