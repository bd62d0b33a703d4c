//! The outcome of one record for one counted part, decided from the part's
//! logical plan ([`crate::logical::PartPlan`]): the table's scope rules, the
//! placement in the period (`by`, `when`), then the rules in order; and what
//! an outcome adds to the numerator and denominator. Counts and
//! explanations both come from `Engine::decide`, so they cannot disagree.

use super::engine::Engine;
use super::expr::{self, StepKind};
use super::outcome::{Cause, Outcome};
use super::rows::RowRef;
use crate::ir::*;
use crate::logical::{PartPlan, ScopeUse};
use crate::schema::TableId;

/// What one record adds to [numerator, denominator].
pub(super) fn counts_for(role: Role, o: Outcome) -> (u64, u64) {
    match (role, o) {
        (Role::Both, Outcome::Numerator) => (1, 1),
        (Role::Both, Outcome::Denominator) => (0, 1),
        (Role::Numerator, Outcome::Numerator) => (1, 0),
        (Role::Denominator, Outcome::Denominator) => (0, 1),
        _ => (0, 0),
    }
}

/// What one record with outcome `o` in a part of role `role` adds to
/// [numerator, denominator].
pub fn counts_of(role: Role, o: Outcome) -> (u64, u64) {
    counts_for(role, o)
}

impl<'p> Engine<'p> {
    /// The first scope rule that puts the row out of scope.
    pub(super) fn scope_hit(
        &self,
        t: TableId,
        row: RowRef<'_>,
        tr: &mut expr::Tracer,
    ) -> Option<usize> {
        for ScopeUse { rule: si, path } in &self.plan.logical.records[t].scope {
            let Some((st, srow)) = self.navigate(t, row, path) else {
                continue;
            };
            let rule = &self.policy.scope[*si];
            let hit = self.ev(&rule.cond, st, srow, tr).truthy();
            if let Some(&last) = path.last() {
                let rel = &self.policy.schema.relations[last].name;
                tr.set_via(|| format!("{rel} {}", self.key_of(st, srow)));
            }
            tr.step(StepKind::Scope, rule.cond.loc, hit);
            if hit {
                return Some(*si);
            }
        }
        None
    }

    /// The outcome of one record for one counted part.
    pub(super) fn decide(
        &self,
        p: &PartPlan,
        t: TableId,
        row: RowRef<'_>,
        scope: Option<usize>,
        known_when: Option<bool>,
        tr: &mut expr::Tracer,
    ) -> (Outcome, Option<Cause>, Option<bool>) {
        if tr.on {
            // Re-run the scope rules to record their trail.
            let again = self.scope_hit(t, row, tr);
            debug_assert_eq!(again, scope);
        }
        if let Some(s) = scope {
            return (Outcome::Excluded, Some(Cause::Scope(s)), None);
        }
        if let Some(by) = p.placement.by {
            let v = row.get(self.plan.slot(t, by));
            let inside = v.day().is_some_and(|d| self.period.contains(d));
            tr.period(self, t, by, v, p.loc, inside);
            if !inside {
                return (Outcome::OutOfPeriod, Some(Cause::Period), None);
            }
        }
        let mut when = None;
        if let Some(w) = &p.placement.when {
            let ok = match known_when {
                Some(v) if !tr.on => v,
                _ => self.ev(w, t, row, tr).truthy(),
            };
            tr.step(StepKind::When, w.loc, ok);
            if !ok {
                return (Outcome::OutOfPeriod, Some(Cause::When), Some(false));
            }
            when = Some(true);
        }
        let mut numerator_fail = None;
        for (i, r) in p.rules.iter().enumerate() {
            if r.side == RuleSide::NumeratorOnly && numerator_fail.is_some() && !tr.on {
                continue;
            }
            let v = self.ev(&r.cond, t, row, tr).truthy();
            tr.step(StepKind::Rule(r.kind, r.side), r.cond.loc, v);
            let fails = match r.kind {
                crate::vocab::RuleKind::Require => !v,
                crate::vocab::RuleKind::Exclude => v,
            };
            if !fails {
                continue;
            }
            match (r.side, r.kind) {
                (RuleSide::Both, crate::vocab::RuleKind::Require) => {
                    return (Outcome::NotCounted, Some(Cause::Rule(i)), when);
                }
                (RuleSide::Both, crate::vocab::RuleKind::Exclude) => {
                    return (Outcome::Excluded, Some(Cause::Rule(i)), when);
                }
                (RuleSide::NumeratorOnly, _) => {
                    if numerator_fail.is_none() {
                        numerator_fail = Some(i);
                    }
                }
            }
        }
        let (outcome, cause) = match (p.role, numerator_fail) {
            (Role::Both, Some(i)) => (Outcome::Denominator, Some(Cause::Rule(i))),
            (Role::Both | Role::Numerator, None) => (Outcome::Numerator, None),
            (Role::Denominator, None) => (Outcome::Denominator, None),
            (Role::Numerator | Role::Denominator, Some(i)) => {
                (Outcome::NotCounted, Some(Cause::Rule(i)))
            }
        };
        (outcome, cause, when)
    }
}
