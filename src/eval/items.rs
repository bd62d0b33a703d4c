//! Distinct items (`count distinct (case_id, party_id, content_id) in …`):
//! an item counts once, by its best row, for that row's department (of rows
//! equally good, the department first by name, a named one before none).
//!
//! One [`Items`] serves every part of a table that counts the same item
//! columns (a lane each), so an item is found once per row, not once per part.
//! When one of the item columns is a relation column, an item is kept under
//! the row that column resolves to (its case): a row's item is then looked
//! for among its case's few items, not among millions, and since exports list
//! a case's records together, those are the items touched a moment ago. Items
//! with no related row, those of a set without such a column, and those of a
//! case that has very many, go to one map by fingerprint. Every item is found
//! by its 128-bit fingerprint wherever it is kept, so the result does not
//! depend on the order of the rows.

use super::Outcome;
use super::hash::FxHashMap;
use super::rows::NO_ROW;

/// Items listed under one parent row before the rest go to the map.
const LIST_MAX: u32 = 48;

#[derive(Debug, Clone, Copy)]
struct Entry {
    fp: [u64; 2],
    /// The next entry under the same parent row, or `NO_ROW`.
    next: u32,
    /// The parent row (`NO_ROW`: none), also of an item kept in the map: an
    /// item is in the map only when it has no parent row or its parent's list
    /// is full, which is how a merge finds it again.
    parent: u32,
}

/// What one part knows of an item: the best outcome of its rows and the
/// department it counts for.
#[derive(Debug, Clone, Copy)]
pub struct Best {
    pub dept: u32,
    pub outcome: Outcome,
}

#[derive(Debug, Default)]
pub struct Items {
    lanes: usize,
    entries: Vec<Entry>,
    /// `entries.len() × lanes`: per item and part, its best row so far.
    best: Vec<Option<Best>>,
    /// Per parent row: its first entry and how many it lists.
    heads: Vec<(u32, u32)>,
    map: FxHashMap<u128, u32>,
}

fn split(fp: u128) -> [u64; 2] {
    [fp as u64, (fp >> 64) as u64]
}

impl Items {
    /// Items of `lanes` parts; `parents` is the number of rows an item may be
    /// kept under (0 when the item columns hold no relation column).
    pub fn new(lanes: usize, parents: usize) -> Items {
        Items {
            lanes,
            heads: vec![(NO_ROW, 0); parents],
            ..Items::default()
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entry of item `fp` under `parent`, made when it is new.
    fn entry(&mut self, fp: u128, parent: u32) -> usize {
        let key = split(fp);
        let listed = (parent as usize) < self.heads.len();
        if listed {
            let (mut at, count) = self.heads[parent as usize];
            while at != NO_ROW {
                let e = &self.entries[at as usize];
                if e.fp == key {
                    return at as usize;
                }
                at = e.next;
            }
            if count < LIST_MAX {
                let i = self.push(key, parent);
                let head = &mut self.heads[parent as usize];
                self.entries[i].next = head.0;
                *head = (i as u32, count + 1);
                return i;
            }
        }
        if let Some(&i) = self.map.get(&fp) {
            return i as usize;
        }
        let i = self.push(key, parent);
        self.map.insert(fp, i as u32);
        i
    }

    fn push(&mut self, fp: [u64; 2], parent: u32) -> usize {
        self.entries.push(Entry {
            fp,
            next: NO_ROW,
            parent,
        });
        self.best.extend(std::iter::repeat_n(None, self.lanes));
        self.entries.len() - 1
    }

    /// A row of item `fp` (kept under `parent`, or `NO_ROW`) has `outcome`
    /// for the part in `lane`, and counts for department `dept` (an index
    /// into `names`).
    pub fn add(
        &mut self,
        fp: u128,
        parent: u32,
        lane: usize,
        dept: u32,
        outcome: Outcome,
        names: &[String],
    ) {
        let i = self.entry(fp, parent);
        keep(
            &mut self.best[i * self.lanes + lane],
            Best { dept, outcome },
            names,
        );
    }

    /// Fold in the items of another part of the same file, its departments
    /// already numbered as this one's (`names`).
    pub fn merge(&mut self, other: Items, names: &[String]) {
        for (j, e) in other.entries.iter().enumerate() {
            let fp = (e.fp[0] as u128) | ((e.fp[1] as u128) << 64);
            let i = self.entry(fp, e.parent);
            for lane in 0..self.lanes {
                if let Some(b) = other.best[j * other.lanes + lane] {
                    keep(&mut self.best[i * self.lanes + lane], b, names);
                }
            }
        }
    }

    /// Renumber departments (a scan's numbering into the merged one).
    pub fn remap(&mut self, map: &[usize]) {
        for b in self.best.iter_mut().flatten() {
            b.dept = map[b.dept as usize] as u32;
        }
    }

    /// Every item's best row for the part in `lane`.
    pub fn lane(&self, lane: usize) -> impl Iterator<Item = Best> + '_ {
        self.best
            .iter()
            .skip(lane)
            .step_by(self.lanes.max(1))
            .filter_map(|b| *b)
    }
}

/// An item keeps its best outcome and the department of its best rows: of
/// several, the first by name, a named one before none. An order of rows,
/// so the result does not depend on the order they come in.
fn keep(slot: &mut Option<Best>, b: Best, names: &[String]) {
    match slot {
        None => *slot = Some(b),
        Some(s) if b.outcome > s.outcome => *s = b,
        Some(s) if b.outcome == s.outcome && b.dept != s.dept => {
            let (x, y) = (&names[b.dept as usize], &names[s.dept as usize]);
            if !x.is_empty() && (y.is_empty() || x < y) {
                s.dept = b.dept;
            }
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(items: &Items, lane: usize) -> Vec<(u32, Outcome)> {
        let mut v: Vec<_> = items.lane(lane).map(|b| (b.dept, b.outcome)).collect();
        v.sort_by_key(|x| (x.0, x.1 as u8));
        v
    }

    /// Department names by index: 0 is none.
    fn names() -> Vec<String> {
        ["", "商事庭", "执行局", "民一庭", "立案庭", "刑事庭"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn an_item_counts_once_by_its_best_row_for_that_rows_department() {
        let n = names();
        let mut it = Items::new(2, 4);
        it.add(7, 1, 0, 3, Outcome::Denominator, &n);
        it.add(7, 1, 0, 5, Outcome::Numerator, &n);
        it.add(7, 1, 1, 5, Outcome::Denominator, &n);
        it.add(8, 1, 0, 3, Outcome::Denominator, &n);
        assert_eq!(it.len(), 2);
        assert_eq!(
            best(&it, 0),
            vec![(3, Outcome::Denominator), (5, Outcome::Numerator)]
        );
        assert_eq!(best(&it, 1), vec![(5, Outcome::Denominator)]);
    }

    #[test]
    fn of_rows_equally_good_the_first_named_department_whatever_their_order() {
        let n = names();
        // 商事庭 (1) sorts before 民一庭 (3) and 执行局 (2) by its bytes; a
        // named department before none (0).
        for order in [[3, 0, 1, 2], [1, 2, 3, 0], [0, 2, 1, 3]] {
            let mut it = Items::new(1, 0);
            for d in order {
                it.add(9, NO_ROW, 0, d, Outcome::Numerator, &n);
            }
            it.add(9, NO_ROW, 0, 4, Outcome::Denominator, &n);
            assert_eq!(best(&it, 0), vec![(1, Outcome::Numerator)], "{order:?}");
        }
        let mut none = Items::new(1, 0);
        none.add(9, NO_ROW, 0, 0, Outcome::Numerator, &n);
        none.add(9, NO_ROW, 0, 0, Outcome::Numerator, &n);
        assert_eq!(best(&none, 0), vec![(0, Outcome::Numerator)]);
    }

    #[test]
    fn items_are_the_same_wherever_they_are_kept() {
        // A case with more items than a list holds, items with no parent row,
        // and a later chunk that meets the same items again.
        let n = names();
        let mut a = Items::new(1, 2);
        for fp in 0..200u128 {
            a.add(fp, 0, 0, 1, Outcome::Denominator, &n);
            a.add(fp + 1000, NO_ROW, 0, 1, Outcome::Denominator, &n);
        }
        let mut b = Items::new(1, 2);
        for fp in 0..200u128 {
            b.add(fp, 0, 0, 2, Outcome::Numerator, &n);
        }
        b.add(5000, 1, 0, 2, Outcome::Numerator, &n);
        a.merge(b, &n);
        assert_eq!(a.len(), 401);
        let all = best(&a, 0);
        // The later chunk's rows are better: their department.
        assert_eq!(
            all.iter()
                .filter(|x| **x == (2, Outcome::Numerator))
                .count(),
            201
        );
        assert_eq!(
            all.iter()
                .filter(|x| **x == (1, Outcome::Denominator))
                .count(),
            200
        );
    }
}
