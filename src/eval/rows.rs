//! Rows as the evaluator sees them: a row being streamed from its file, or a
//! row of a table kept in memory (a "store").

use crate::value::Value;

pub const NO_ROW: u32 = u32::MAX;

/// A stored value: like [`Value`], with text as a range of the store's pool.
#[derive(Debug, Clone, Copy)]
pub enum Cell {
    Null,
    Bool(bool),
    Num(f64),
    Str(u32, u32),
    Enum(u16),
    Date(i32),
    DateTime(i64),
}

/// A table kept in memory: the columns the plan reads, row by row (a row's
/// cells are adjacent, so following a relation touches one place in memory).
#[derive(Debug, Default, Clone)]
pub struct Store {
    cells: Vec<Cell>,
    width: usize,
    /// Per resolved relation of the table: the parent row of each row.
    pub parents: Vec<Vec<u32>>,
    pub pool: String,
    /// Key → row: by fingerprint, confirmed on the key text; keys whose
    /// fingerprint another key already has go to `collisions`.
    index: super::hash::FxHashMap<u64, u32>,
    collisions: super::hash::FxHashMap<Box<str>, u32>,
    pub key_slot: Option<usize>,
    pub lines: Vec<u64>,
    pub len: u32,
}

impl Store {
    pub fn new(slots: usize, rels: usize, key_slot: Option<usize>) -> Store {
        Store {
            width: slots,
            parents: vec![Vec::new(); rels],
            key_slot,
            ..Store::default()
        }
    }

    /// Row `row`'s key ("" when the table has none).
    #[inline]
    pub fn key_text(&self, row: u32) -> &str {
        match self.key_slot.map(|k| self.get(row, k)) {
            Some(Value::Str(s)) => s,
            _ => "",
        }
    }

    /// The row whose key is `key`.
    pub fn lookup(&self, key: &str) -> Option<u32> {
        let row = *self.index.get(&super::hash::fp64(key))?;
        if self.key_text(row) == key {
            Some(row)
        } else {
            self.collisions.get(key).copied()
        }
    }

    /// The row whose key is `key`, tried first on the few rows after `near`
    /// (the parent of the record before): exports list records in the order of
    /// their cases, so the next case is usually the next row, found without a
    /// probe into the index.
    pub fn lookup_after(&self, key: &str, near: u32) -> Option<u32> {
        if near != NO_ROW {
            for row in near.saturating_add(1)..near.saturating_add(5).min(self.len) {
                if self.key_text(row) == key {
                    return Some(row);
                }
            }
        }
        self.lookup(key)
    }

    /// Index row `row` under `key`; `Err(first row)` when the key is taken.
    pub fn index_key(&mut self, key: &str, row: u32) -> Result<(), u32> {
        let fp = super::hash::fp64(key);
        match self.index.get(&fp) {
            None => {
                self.index.insert(fp, row);
                Ok(())
            }
            Some(&other) if self.key_text(other) == key => Err(other),
            Some(_) => match self.collisions.get(key) {
                Some(&first) => Err(first),
                None => {
                    self.collisions.insert(key.into(), row);
                    Ok(())
                }
            },
        }
    }

    /// Append the rows of `other` (the next chunk of the same file, its lines
    /// counted from `line_shift + 1`). Returns the rows whose key an earlier row
    /// has, with that row; they are left out.
    pub fn append(&mut self, other: Store, line_shift: u64) -> Vec<(String, u64, u64)> {
        // Usually no key of `other` is known here: its rows and index are
        // taken over whole. Otherwise row by row, leaving duplicates out.
        let clash = !other.collisions.is_empty()
            || other.index.keys().any(|fp| self.index.contains_key(fp));
        if clash {
            return self.append_rows(other, line_shift);
        }
        let base = self.pool.len() as u32;
        let first = self.len;
        self.pool.push_str(&other.pool);
        self.cells.extend(other.cells.iter().map(|c| match *c {
            Cell::Str(s, l) => Cell::Str(s + base, l),
            c => c,
        }));
        for (i, p) in other.parents.into_iter().enumerate() {
            self.parents[i].extend(p);
        }
        self.lines
            .extend(other.lines.iter().map(|l| l + line_shift));
        self.len += other.len;
        self.index.reserve(other.index.len());
        self.index
            .extend(other.index.into_iter().map(|(fp, row)| (fp, row + first)));
        Vec::new()
    }

    fn append_rows(&mut self, other: Store, line_shift: u64) -> Vec<(String, u64, u64)> {
        let base = self.pool.len() as u32;
        self.pool.push_str(&other.pool);
        let mut duplicates = Vec::new();
        for row in 0..other.len {
            let from = row as usize * other.width;
            for c in &other.cells[from..from + other.width] {
                self.cells.push(match *c {
                    Cell::Str(s, l) => Cell::Str(s + base, l),
                    other => other,
                });
            }
            for (i, p) in other.parents.iter().enumerate() {
                self.parents[i].push(p[row as usize]);
            }
            let line = other.lines[row as usize] + line_shift;
            self.lines.push(line);
            self.len += 1;
            let i = self.len - 1;
            let key = self.key_text(i).to_string();
            if self.key_slot.is_some()
                && let Err(first) = self.index_key(&key, i)
            {
                duplicates.push((key, line, self.lines[first as usize]));
                self.pop();
            }
        }
        duplicates
    }

    /// The store without the rows `keep` says no to, as if they had never
    /// been read: later rows move up, the key index is rebuilt.
    pub fn retain(&self, keep: &[bool]) -> Store {
        let mut s = Store::new(self.width, self.parents.len(), self.key_slot);
        s.pool = self.pool.clone();
        for row in 0..self.len {
            if !keep[row as usize] {
                continue;
            }
            let from = row as usize * self.width;
            s.cells
                .extend_from_slice(&self.cells[from..from + self.width]);
            for (i, p) in self.parents.iter().enumerate() {
                if let Some(&parent) = p.get(row as usize) {
                    s.parents[i].push(parent);
                }
            }
            s.lines.push(self.lines[row as usize]);
            s.len += 1;
            if s.key_slot.is_some() {
                let key = s.key_text(s.len - 1).to_string();
                // The keys were unique in `self`: none is taken twice here.
                let _ = s.index_key(&key, s.len - 1);
            }
        }
        s
    }

    /// Forget the last row pushed (a duplicate left out).
    pub fn pop(&mut self) {
        self.cells.truncate(self.cells.len() - self.width);
        for p in self.parents.iter_mut() {
            p.pop();
        }
        self.lines.pop();
        self.len -= 1;
    }

    pub fn push(&mut self, values: &[Value<'_>], parents: &[u32], line: u64) -> u32 {
        for (slot, v) in values.iter().enumerate() {
            let cell = match *v {
                Value::Null => Cell::Null,
                Value::Bool(b) => Cell::Bool(b),
                Value::Num(n) => Cell::Num(n),
                Value::Str(s) => {
                    let start = self.pool.len() as u32;
                    self.pool.push_str(s);
                    Cell::Str(start, s.len() as u32)
                }
                Value::Enum(e) => Cell::Enum(e),
                Value::Date(d) => Cell::Date(d),
                Value::DateTime(t) => Cell::DateTime(t),
            };
            debug_assert!(slot < self.width);
            self.cells.push(cell);
        }
        for (i, p) in parents.iter().enumerate() {
            self.parents[i].push(*p);
        }
        self.lines.push(line);
        self.len += 1;
        self.len - 1
    }

    #[inline]
    pub fn get(&self, row: u32, slot: usize) -> Value<'_> {
        match self.cells[row as usize * self.width + slot] {
            Cell::Null => Value::Null,
            Cell::Bool(b) => Value::Bool(b),
            Cell::Num(n) => Value::Num(n),
            Cell::Str(s, l) => Value::Str(&self.pool[s as usize..(s + l) as usize]),
            Cell::Enum(e) => Value::Enum(e),
            Cell::Date(d) => Value::Date(d),
            Cell::DateTime(t) => Value::DateTime(t),
        }
    }
}

/// One row, wherever it lives.
#[derive(Clone, Copy)]
pub enum RowRef<'a> {
    Live {
        values: &'a [Value<'a>],
        parents: &'a [u32],
    },
    Stored {
        store: &'a Store,
        row: u32,
    },
}

impl<'a> RowRef<'a> {
    #[inline]
    pub fn get(&self, slot: usize) -> Value<'a> {
        match *self {
            RowRef::Live { values, .. } => values[slot],
            RowRef::Stored { store, row } => store.get(row, slot),
        }
    }
    #[inline]
    pub fn parent(&self, rel_slot: usize) -> u32 {
        match *self {
            RowRef::Live { parents, .. } => parents[rel_slot],
            RowRef::Stored { store, row } => store.parents[rel_slot][row as usize],
        }
    }
    #[inline]
    pub fn stored_index(&self) -> Option<u32> {
        match *self {
            RowRef::Stored { row, .. } => Some(row),
            RowRef::Live { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_after_finds_any_row_wherever_the_hint_points() {
        let mut s = Store::new(1, 0, Some(0));
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h"];
        for k in keys {
            let i = s.push(&[Value::Str(k)], &[], 1);
            assert!(s.index_key(k, i).is_ok());
        }
        for (want, k) in keys.iter().enumerate() {
            for near in [NO_ROW, 0, 3, 7] {
                assert_eq!(
                    s.lookup_after(k, near),
                    Some(want as u32),
                    "{k} near {near}"
                );
            }
        }
        assert_eq!(s.lookup_after("z", 2), None);
    }

    fn chunk(keys: &[&str], line: u64) -> Store {
        let mut s = Store::new(2, 1, Some(0));
        for (i, k) in keys.iter().enumerate() {
            let r = s.push(&[Value::Str(k), Value::Str("x")], &[7], line + i as u64);
            assert!(s.index_key(k, r).is_ok());
        }
        s
    }

    #[test]
    fn chunks_append_whole_or_row_by_row_alike() {
        // No key in common: taken over whole.
        let mut a = chunk(&["a", "b"], 1);
        assert!(a.append(chunk(&["c", "d"], 1), 2).is_empty());
        assert_eq!(a.len, 4);
        assert_eq!(a.lookup("d"), Some(3));
        assert_eq!(a.get(3, 1), Value::Str("x"));
        assert_eq!(a.lines, vec![1, 2, 3, 4]);
        assert_eq!(a.parents[0], vec![7; 4]);
        // `b` again: row by row, the duplicate left out and reported.
        let mut a = chunk(&["a", "b"], 1);
        let dups = a.append(chunk(&["b", "c"], 1), 2);
        assert_eq!(dups, vec![("b".to_string(), 3, 2)]);
        assert_eq!(a.len, 3);
        assert_eq!(a.lookup("c"), Some(2));
        assert_eq!(a.lines, vec![1, 2, 4]);
    }
}
