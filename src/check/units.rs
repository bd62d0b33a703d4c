//! What an indicator's value is (`unit days`, `unit percent max 100`), and
//! which target values can fit it.

use super::{CheckError, Cx};
use crate::ir::*;
use crate::syntax::ast::{self, IndItem, Span};

/// The values a target of an indicator may name.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub unit: Unit,
    pub max: Option<f64>,
}

impl Bounds {
    pub fn min(&self) -> Option<f64> {
        (!self.unit.signed()).then_some(0.0)
    }
    pub fn fits(&self, v: f64) -> bool {
        v.is_finite() && self.min().is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }

    /// What is wrong with a target value `v`, if it does not fit.
    pub fn misfit(&self, v: f64) -> Option<Misfit> {
        if self.fits(v) {
            return None;
        }
        Some(match (self.min(), self.max) {
            (Some(lo), Some(hi)) if self.unit == Unit::Percent && lo == 0.0 && hi == 100.0 => {
                Misfit::OutsidePercent
            }
            (Some(lo), _) if v < lo => Misfit::BelowZero,
            (_, Some(hi)) if v > hi => Misfit::AboveMax { max: hi },
            _ => Misfit::Outside,
        })
    }
}

/// What is wrong with a target value against its indicator's [`Bounds`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Misfit {
    /// A percentage outside 0–100.
    OutsidePercent,
    /// Below 0, and the indicator's unit is never negative.
    BelowZero,
    /// Above the most the indicator's value can be.
    AboveMax { max: f64 },
    /// Outside the bounds otherwise (a value that is not a finite number).
    Outside,
}

/// Every value a target line names, with where it is written.
pub(crate) fn target_values(t: &ast::Target) -> Vec<(f64, Span)> {
    let mut v = vec![(t.value, t.value_span)];
    if let Some(hi) = t.upper {
        v.push((hi, t.value_span));
    }
    for (x, span, _) in t.schedule.iter().skip(1) {
        v.push((*x, *span));
    }
    v
}

/// The target values of a line that do not fit the indicator's values.
pub(crate) fn misfits(t: &ast::Target, b: Bounds, src: &super::diag::Src) -> Vec<CheckError> {
    target_values(t)
        .into_iter()
        .filter_map(|(v, span)| Some((v, span, b.misfit(v)?)))
        .map(|(v, span, misfit)| CheckError::TargetRange {
            value: v,
            bounds: b,
            misfit,
            src: src.clone(),
            span: span.into(),
        })
        .collect()
}

impl Cx<'_> {
    /// The indicator's unit and greatest value: a percentage by default,
    /// at most 100 when every part counts a numerator within its denominator.
    pub(super) fn unit(
        &mut self,
        ind: &ast::Indicator,
        body: &Body,
        failed: bool,
    ) -> (Unit, Option<f64>) {
        let mut unit = Unit::Percent;
        let mut max = None;
        let mut at = None;
        for it in &ind.items {
            if let IndItem::Unit {
                unit: u,
                max: m,
                span,
            } = it
            {
                unit = *u;
                max = m.map(|(x, _)| x);
                at = Some(*span);
            }
        }
        if let (Body::Ratio(parts), false) = (body, failed) {
            if !matches!(unit, Unit::Percent | Unit::Ratio | Unit::Count)
                && let Some(span) = at
            {
                self.errors.push(CheckError::UnitOfCount {
                    unit: unit.as_str(),
                    src: self.src(),
                    span: span.into(),
                });
            }
            let within = parts.iter().all(|p| p.role == Role::Both);
            if max.is_none() && within {
                max = match unit {
                    Unit::Percent => Some(100.0),
                    Unit::Ratio => Some(1.0),
                    _ => None,
                };
            }
        }
        (unit, max)
    }

    pub(super) fn bounds_errors(&mut self, t: &ast::Target, b: Bounds) -> bool {
        let errs = misfits(t, b, &self.src());
        let ok = errs.is_empty();
        self.errors.extend(errs);
        if let Some(hi) = t.upper
            && hi < t.value
        {
            self.errors.push(CheckError::EmptyInterval {
                low: crate::eval::fmt_target(t.value),
                high: crate::eval::fmt_target(hi),
                src: self.src(),
                span: t.value_span.into(),
            });
            return false;
        }
        for (_, _, d) in &t.schedule {
            if self.day(d).is_none() {
                return false;
            }
        }
        for w in t.schedule.windows(2) {
            if w[0].2.date >= w[1].2.date {
                self.errors.push(CheckError::ScheduleOrder {
                    date: w[1].2.text.clone(),
                    before: w[0].2.text.clone(),
                    src: self.src(),
                    span: w[1].2.span.into(),
                });
                return false;
            }
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misfit_names_what_is_wrong_with_the_value() {
        let percent = Bounds {
            unit: Unit::Percent,
            max: Some(100.0),
        };
        assert_eq!(percent.misfit(45.0), None);
        assert_eq!(percent.misfit(120.0), Some(Misfit::OutsidePercent));
        assert_eq!(percent.misfit(-5.0), Some(Misfit::OutsidePercent));
        let days = Bounds {
            unit: Unit::Days,
            max: None,
        };
        assert_eq!(days.misfit(-1.0), Some(Misfit::BelowZero));
        assert_eq!(days.misfit(f64::INFINITY), Some(Misfit::Outside));
        let ratio = Bounds {
            unit: Unit::Ratio,
            max: Some(1.0),
        };
        assert_eq!(ratio.misfit(2.0), Some(Misfit::AboveMax { max: 1.0 }));
        assert_eq!(ratio.misfit(-0.5), Some(Misfit::BelowZero));
        let points = Bounds {
            unit: Unit::Points,
            max: None,
        };
        assert_eq!(points.misfit(-3.0), None);
        assert_eq!(points.misfit(f64::NAN), Some(Misfit::Outside));
    }
}
