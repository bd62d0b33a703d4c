//! A record's part in a `let` measure, from the measure's logical plan
//! ([`crate::logical::MeasurePlan`]): the scope, the placement by its date,
//! its filter, its amount; for a lookup, the row its condition picks.

use super::engine::Engine;
use super::expr::{self, StepKind};
use super::outcome::{Cause, Outcome};
use super::rows::RowRef;
use crate::logical::{MeasureKind, MeasurePlan};
use crate::schema::TableId;

impl<'p> Engine<'p> {
    /// A row's part in a `let` measure: counted (`numerator`) or not, and its amount.
    pub(super) fn measure(
        &self,
        m: &MeasurePlan,
        t: TableId,
        row: RowRef<'_>,
        scope: Option<usize>,
        tr: &mut expr::Tracer,
    ) -> (Outcome, Option<Cause>, Option<f64>) {
        // A lookup: the value of the row its condition picks, court-wide,
        // in no scope and placed by no date.
        if let (MeasureKind::Lookup(col), Some(filter)) = (&m.kind, &m.filter) {
            let ok = self.ev(filter, t, row, tr).truthy();
            tr.step(StepKind::Filter, filter.loc, ok);
            if !ok {
                return (Outcome::NotCounted, Some(Cause::Filter), None);
            }
            return (
                Outcome::Numerator,
                None,
                row.get(self.plan.slot(t, *col)).num(),
            );
        }
        if tr.on {
            self.scope_hit(t, row, tr);
        }
        if let Some(s) = scope {
            return (Outcome::Excluded, Some(Cause::Scope(s)), None);
        }
        if let Some(by) = m.by {
            let v = row.get(self.plan.slot(t, by));
            let inside = v.day().is_some_and(|d| self.period.contains(d));
            tr.period(self, t, by, v, m.loc, inside);
            if !inside {
                return (Outcome::OutOfPeriod, Some(Cause::Period), None);
            }
        }
        if let Some(f) = &m.filter {
            let ok = self.ev(f, t, row, tr).truthy();
            tr.step(StepKind::Filter, f.loc, ok);
            if !ok {
                return (Outcome::Excluded, Some(Cause::Filter), None);
            }
        }
        let amount = match &m.kind {
            // An empty amount adds nothing and counts in no average.
            MeasureKind::Fold(_, expr) => {
                let v = self.ev(expr, t, row, tr).num();
                tr.step(StepKind::Amount, expr.loc, v.is_some());
                v
            }
            _ => Some(1.0),
        };
        (Outcome::Numerator, None, amount)
    }
}
