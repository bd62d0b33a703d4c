//! What a `let` measure keeps of its rows' amounts, per department: enough
//! for a sum, a count, an average, the least and the greatest, and (for a
//! median only) the amounts themselves.

use crate::vocab::AggFn;

/// A sum's amounts are added as whole multiples of 2^-52 (each amount
/// rounded on its own, exact for any amount of 1 or more below 2^75):
/// integer addition does not depend on the order the rows come in, so a sum
/// is the same however a file is split among threads.
const SCALE: f64 = 4_503_599_627_370_496.0;

#[derive(Debug, Clone, Default)]
pub struct Stat {
    /// The sum, in units of 2^-52.
    sum: i128,
    /// Rows with an amount.
    pub n: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Every amount, for a median: empty for the other folds.
    pub values: Vec<f64>,
}

impl Stat {
    /// Add one row's amount (`keep`: the fold needs every value).
    #[inline]
    pub fn add(&mut self, x: f64, keep: bool) {
        self.sum = self.sum.saturating_add((x * SCALE).round() as i128);
        self.n += 1;
        self.min = Some(self.min.map_or(x, |m| m.min(x)));
        self.max = Some(self.max.map_or(x, |m| m.max(x)));
        if keep {
            self.values.push(x);
        }
    }

    pub fn merge(&mut self, o: Stat) {
        self.sum = self.sum.saturating_add(o.sum);
        self.n += o.n;
        self.min = match (self.min, o.min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.max = match (self.max, o.max) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.values.extend(o.values);
    }

    /// The sum of the amounts added.
    pub fn total(&self) -> f64 {
        self.sum as f64 / SCALE
    }

    /// The folded value; `None` when there is nothing to fold (an average,
    /// median, least or greatest of no rows). A sum of no rows is 0.
    pub fn fold(&self, f: AggFn) -> Option<f64> {
        match f {
            AggFn::Sum => Some(self.total()),
            _ if self.n == 0 => None,
            AggFn::Avg => Some(self.total() / self.n as f64),
            AggFn::Min => self.min,
            AggFn::Max => self.max,
            AggFn::Median => {
                let mut v = self.values.clone();
                v.sort_by(f64::total_cmp);
                let m = v.len() / 2;
                Some(if v.len() % 2 == 1 {
                    v[m]
                } else {
                    (v[m - 1] + v[m]) / 2.0
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds() {
        let mut s = Stat::default();
        for x in [3.0, 1.0, 10.0, 4.0] {
            s.add(x, true);
        }
        assert_eq!(s.fold(AggFn::Sum), Some(18.0));
        assert_eq!(s.fold(AggFn::Avg), Some(4.5));
        assert_eq!(s.fold(AggFn::Median), Some(3.5));
        assert_eq!(s.fold(AggFn::Min), Some(1.0));
        assert_eq!(s.fold(AggFn::Max), Some(10.0));
        let mut t = Stat::default();
        t.add(0.0, true);
        s.merge(t);
        assert_eq!(s.fold(AggFn::Median), Some(3.0));
        assert_eq!(Stat::default().fold(AggFn::Avg), None);
        assert_eq!(Stat::default().fold(AggFn::Sum), Some(0.0));
    }
}
