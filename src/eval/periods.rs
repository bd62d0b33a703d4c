//! A condition evaluated for every period of a run at once: one bit per
//! period's engine (bit 0: the engine reading, bit k: the k-th other).
//!
//! A run of several periods (`run_periods`) asks the same condition of a row
//! in each period; most of it reads no period (`e_sealed`, `filed_on`), and
//! what does compares a value with the period's start or end. Compiled into
//! a [`Cond`], the parts that read no period are evaluated once and only the
//! comparisons with the period's edges are made per period.
//!
//! Invariant: bit k of [`Cond::holds`] is `engines[k].ev(e, …).truthy()` for
//! the expression `e` compiled, for every row (the logic is two-valued: `not`,
//! `and` and `or` of the evaluator give booleans whatever they read).

use super::Engine;
use super::expr::{Tracer, ordered};
use super::rows::RowRef;
use crate::ir::*;
use crate::schema::TableId;
use crate::value::Day;
use crate::vocab::CmpOp;

/// The most periods one mask holds.
pub const MAX: usize = 64;

/// A condition compiled for evaluation in every period at once.
#[derive(Debug)]
pub enum Cond<'p> {
    /// Reads no period: evaluated once, the same in every period.
    Fixed(&'p CExpr),
    Not(Box<Cond<'p>>),
    And(Vec<Cond<'p>>),
    Or(Vec<Cond<'p>>),
    /// `x op period.start|end`, `x` reading no period (`flipped`: the period
    /// is on the left).
    Edge {
        op: CmpOp,
        x: &'p CExpr,
        edge: PeriodEdge,
        flipped: bool,
    },
    /// A definition, on the row reached through `nav` (none: the row itself).
    Def {
        nav: &'p [RelId],
        table: TableId,
        cond: Box<Cond<'p>>,
    },
    /// Anything else that reads the period: evaluated in each period's engine.
    Each(&'p CExpr),
}

impl<'p> Cond<'p> {
    /// Compile condition `e` (on the rows of the table it is asked of).
    pub fn compile(policy: &'p Policy, e: &'p CExpr) -> Cond<'p> {
        if !policy.reads_period(e) {
            return Cond::Fixed(e);
        }
        match &e.kind {
            CKind::Not(a) => Cond::Not(Box::new(Cond::compile(policy, a))),
            CKind::And(v) => Cond::And(v.iter().map(|x| Cond::compile(policy, x)).collect()),
            CKind::Or(v) => Cond::Or(v.iter().map(|x| Cond::compile(policy, x)).collect()),
            CKind::Cmp(op, a, b) => match (&a.kind, &b.kind) {
                (_, CKind::Period(edge)) if !policy.reads_period(a) => Cond::Edge {
                    op: *op,
                    x: a,
                    edge: *edge,
                    flipped: false,
                },
                (CKind::Period(edge), _) if !policy.reads_period(b) => Cond::Edge {
                    op: *op,
                    x: b,
                    edge: *edge,
                    flipped: true,
                },
                _ => Cond::Each(e),
            },
            CKind::Def { nav, def } => {
                let d = &policy.defs[*def];
                Cond::Def {
                    nav,
                    table: d.table,
                    cond: Box::new(Cond::compile(policy, &d.expr)),
                }
            }
            _ => Cond::Each(e),
        }
    }

    /// The periods (a bit per engine, the reader first, at most [`MAX`])
    /// in which the condition holds on `row` of table `t`.
    pub fn holds(&self, run: &Periods<'_, '_>, t: TableId, row: RowRef<'_>) -> u64 {
        self.mask(run, t, row, &mut Tracer::off())
    }

    fn mask(&self, run: &Periods<'_, '_>, t: TableId, row: RowRef<'_>, off: &mut Tracer) -> u64 {
        let all = run.all;
        let reader = run.reader;
        match self {
            Cond::Fixed(e) => {
                if reader.ev(e, t, row, off).truthy() {
                    all
                } else {
                    0
                }
            }
            Cond::Not(c) => !c.mask(run, t, row, off) & all,
            Cond::And(v) => {
                let mut m = all;
                for c in v {
                    if m == 0 {
                        break;
                    }
                    m &= c.mask(run, t, row, off);
                }
                m
            }
            Cond::Or(v) => {
                let mut m = 0;
                for c in v {
                    if m == all {
                        break;
                    }
                    m |= c.mask(run, t, row, off);
                }
                m
            }
            Cond::Edge {
                op,
                x,
                edge,
                flipped,
            } => {
                // As `expr::compare` has it: a date or datetime compares
                // with a day by its day; anything else compares false.
                let Some(d) = reader.ev(x, t, row, off).day() else {
                    return 0;
                };
                let mut m = 0;
                for (k, &(start, end)) in run.spans.iter().enumerate() {
                    let p = match edge {
                        PeriodEdge::Start => start,
                        PeriodEdge::End => end,
                    };
                    let o = if *flipped { p.cmp(&d) } else { d.cmp(&p) };
                    m |= u64::from(ordered(*op, o)) << k;
                }
                m
            }
            Cond::Def { nav, table, cond } => match reader.navigate(t, row, nav) {
                Some((tt, r)) => {
                    debug_assert_eq!(tt, *table);
                    cond.mask(run, tt, r, off)
                }
                None => 0,
            },
            Cond::Each(e) => {
                let mut m = 0;
                for (k, en) in std::iter::once(reader).chain(run.others).enumerate() {
                    m |= u64::from(en.ev(e, t, row, off).truthy()) << k;
                }
                m
            }
        }
    }
}

/// The engines of a run, the reader first, with their periods' days.
pub struct Periods<'a, 'p> {
    pub reader: &'a Engine<'p>,
    pub others: &'a [Engine<'p>],
    /// Per engine: its period's first and last day.
    pub spans: Vec<(Day, Day)>,
    /// The mask of every engine.
    pub all: u64,
}

impl<'a, 'p> Periods<'a, 'p> {
    pub fn new(reader: &'a Engine<'p>, others: &'a [Engine<'p>]) -> Periods<'a, 'p> {
        let spans: Vec<(Day, Day)> = std::iter::once(reader)
            .chain(others)
            .map(|e| (e.period.start, e.period.end))
            .collect();
        Periods {
            reader,
            others,
            all: all(spans.len()),
            spans,
        }
    }

    /// The periods holding day `d`.
    #[inline]
    pub fn containing(&self, d: Day) -> u64 {
        let mut m = 0;
        for (k, &(start, end)) in self.spans.iter().enumerate() {
            m |= u64::from(start <= d && d <= end) << k;
        }
        m
    }
}

/// The mask of `n` periods (`n` at most [`MAX`]).
#[inline]
pub fn all(n: usize) -> u64 {
    if n >= MAX { u64::MAX } else { (1u64 << n) - 1 }
}
