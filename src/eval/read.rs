//! Reading a table's records from its source: each field parsed, each
//! relation resolved to its stored parent row, each key checked for
//! duplicates (fingerprints, confirmed on the key text); a row with a data
//! error is left out with it.

use std::collections::BTreeMap;

use super::engine::Engine;
use super::hash::{FxHashMap, fp64};
use super::passes::{PassOut, RowCount};
use super::rows::{NO_ROW, Store};
use crate::data::source::{Placer, Source};
use crate::data::{DataError, DataErrorKind, Problem, parse_field};
use crate::schema::TableId;
use crate::value::Value;

/// The part of a table's file one scan reads: from `start` (0: the whole
/// file with its header) to the record that starts at `stop`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Chunk {
    pub(super) start: u64,
    pub(super) stop: Option<u64>,
}

impl Chunk {
    pub(super) const WHOLE: Chunk = Chunk {
        start: 0,
        stop: None,
    };
}

/// How a streamed table's keys are checked for duplicates.
pub(super) enum Keys {
    Unchecked,
    /// `--lenient`: exact, so a duplicate row is left out as it is read.
    Exact(FxHashMap<Box<str>, u64>),
    /// Fingerprints and lines, sorted and confirmed on the key text after the pass.
    Deferred(KeyLog),
}

/// The keys of a streamed chunk, for the duplicate check after the pass.
pub(super) struct KeyLog {
    /// Fingerprint and line of every key; sorted once the chunk is read,
    /// unless the keys rise.
    pub(super) fps: Vec<(u64, u32)>,
    /// Every key is greater than the one before it (ids counted up, as an
    /// export usually has them): no two are the same, nothing to sort.
    pub(super) rising: bool,
    pub(super) first: String,
    pub(super) last: String,
}

impl KeyLog {
    pub(super) fn new() -> KeyLog {
        KeyLog {
            fps: Vec::new(),
            rising: true,
            first: String::new(),
            last: String::new(),
        }
    }

    pub(super) fn push(&mut self, key: &str, line: u64) {
        if self.fps.is_empty() {
            self.first = key.to_string();
        } else if self.rising && key <= self.last.as_str() {
            self.rising = false;
        }
        if self.rising {
            self.last.clear();
            self.last.push_str(key);
        }
        self.fps.push((fp64(key), line as u32));
    }
}

/// A relation value that names no row of the table it refers to.
pub(super) fn dangling(
    source: &dyn Source,
    schema: &crate::schema::Schema,
    rel: &crate::schema::Relation,
    file: &str,
    line: u64,
    column_no: usize,
    key: &str,
) -> DataError {
    DataError {
        place: Box::default(),
        kind: DataErrorKind::DanglingReference,
        file: file.to_string(),
        line,
        column_no,
        column: schema.tables[rel.from].columns[rel.col].name.clone(),
        value: key.to_string(),
        problem: Box::new(Problem::Dangling {
            key: key.to_string(),
            file: source.referred(&schema.tables[rel.to]),
        }),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn duplicate(
    table: &crate::schema::Table,
    _slot: usize,
    col: usize,
    position: usize,
    file: &str,
    line: u64,
    key: &str,
    first: u64,
) -> DataError {
    DataError {
        place: Box::default(),
        kind: DataErrorKind::DuplicateKey,
        file: file.to_string(),
        line,
        column_no: position + 1,
        column: table.columns[col].name.clone(),
        value: key.to_string(),
        problem: Box::new(Problem::DuplicateKey {
            key: key.to_string(),
            first,
        }),
    }
}

impl<'p> Engine<'p> {
    /// Parse a record's needed columns; errors are pushed and `None` returned.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parse_row<'r>(
        &self,
        t: TableId,
        rec: &'r csv::ByteRecord,
        pos: &[usize],
        line: u64,
        file: &str,
        errors: &mut Vec<DataError>,
        values: &mut [Value<'r>],
    ) -> bool {
        let tp = self.plan.table(t);
        let table = &self.policy.schema.tables[t];
        let mut ok = true;
        for (slot, &c) in tp.cols.iter().enumerate() {
            let Some(raw) = crate::data::field(rec, pos[slot]) else {
                ok = false;
                errors.push(DataError {
                    place: Box::default(),
                    kind: DataErrorKind::BadValue,
                    file: file.to_string(),
                    line,
                    column_no: pos[slot] + 1,
                    column: table.columns[c].name.clone(),
                    value: String::from_utf8_lossy(crate::data::raw(rec, pos[slot])).into_owned(),
                    problem: Box::new(Problem::NotUtf8 {
                        column: table.columns[c].name.clone(),
                    }),
                });
                continue;
            };
            match parse_field(&table.columns[c], raw) {
                Ok(v) => values[slot] = v,
                Err((kind, problem)) => {
                    ok = false;
                    values[slot] = Value::Null;
                    errors.push(DataError {
                        place: Box::default(),
                        kind,
                        file: file.to_string(),
                        line,
                        column_no: pos[slot] + 1,
                        column: table.columns[c].name.clone(),
                        value: raw.to_string(),
                        problem: Box::new(problem),
                    });
                }
            }
        }
        ok
    }

    /// Resolve the row's relations to stored parents.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn resolve_parents(
        &self,
        t: TableId,
        values: &[Value<'_>],
        pos: &[usize],
        line: u64,
        file: &str,
        errors: &mut Vec<DataError>,
        parents: &mut [u32],
        last: &mut [(String, u32)],
    ) -> bool {
        let tp = self.plan.table(t);
        let schema = &self.policy.schema;
        let mut ok = true;
        for (ri, &r) in tp.rels.iter().enumerate() {
            let rel = &schema.relations[r];
            let slot = self.plan.slot(t, rel.col);
            // Exports list a case's records together: the same parent as the
            // row before is found without a lookup.
            if let (Value::Str(k), Some(prev)) = (values[slot], last.get(ri))
                && prev.1 != NO_ROW
                && prev.0 == k
            {
                parents[ri] = prev.1;
                continue;
            }
            let near = last.get(ri).map_or(NO_ROW, |p| p.1);
            let idx = match (values[slot], self.stores[rel.to].as_ref()) {
                (Value::Str(k), Some(store)) => match store.lookup_after(k, near) {
                    Some(i) => i,
                    // Reading only one case's records: other parents were skipped.
                    None if !self.needles.is_empty() => {
                        ok = false;
                        NO_ROW
                    }
                    None => {
                        ok = false;
                        errors.push(dangling(
                            self.source,
                            schema,
                            rel,
                            file,
                            line,
                            pos[slot] + 1,
                            k,
                        ));
                        NO_ROW
                    }
                },
                _ => NO_ROW,
            };
            parents[ri] = idx;
            if let (Value::Str(k), Some(prev)) = (values[slot], last.get_mut(ri)) {
                prev.0.clear();
                prev.0.push_str(k);
                prev.1 = idx;
            }
        }
        ok
    }

    /// Read table `t`'s file once: parse, resolve relations, check keys, and
    /// hand every valid row to `f` (which may refuse it: a duplicate it found).
    /// Errors and row counts go to `out`.
    pub(super) fn read_table(
        &self,
        t: TableId,
        out: &mut PassOut,
        check_keys: bool,
        chunk: Chunk,
        mut f: impl FnMut(&[Value<'_>], &[u32], u64, &[usize], &mut Vec<DataError>) -> bool,
    ) -> (KeyLog, crate::data::ChunkEnd) {
        let tp = self.plan.table(t);
        let table = &self.policy.schema.tables[t];
        let opened = match chunk.start {
            0 => self.source.open(table, &tp.cols),
            start => self.source.open_at(table, &tp.cols, start),
        };
        let mut reader = match opened {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(e);
                return (
                    KeyLog::new(),
                    crate::data::ChunkEnd {
                        exact: true,
                        stop_line: 0,
                    },
                );
            }
        };
        let placer = reader.placer();
        let file = reader.name().to_string();
        let key_slot = table.key().and_then(|k| tp.slot[k]).filter(|_| check_keys);
        let mut keys = match key_slot {
            None => Keys::Unchecked,
            Some(_) if self.opts.lenient => Keys::Exact(FxHashMap::default()),
            Some(_) => Keys::Deferred(KeyLog::new()),
        };
        let mut errors = Vec::new();
        let mut read_errors = Vec::new();
        let mut last: Vec<(String, u32)> = vec![(String::new(), NO_ROW); tp.rels.len()];
        let (mut rows, mut used, mut dropped) = (0u64, 0u64, 0u64);
        let mut row = |line: u64,
                       rec: &csv::ByteRecord,
                       pos: &[usize],
                       errors: &mut Vec<DataError>|
         -> bool {
            // Row values live on the stack: no allocation per row.
            let n = tp.cols.len();
            let mut stack = [Value::Null; 32];
            let mut heap;
            let values: &mut [Value<'_>] = if n <= stack.len() {
                &mut stack[..n]
            } else {
                heap = vec![Value::Null; n];
                &mut heap
            };
            if !self.parse_row(t, rec, pos, line, &file, errors, values) {
                return false;
            }
            let values: &[Value<'_>] = values;
            let mut pstack = [NO_ROW; 8];
            let mut pheap;
            let parents: &mut [u32] = if tp.rels.len() <= pstack.len() {
                &mut pstack[..tp.rels.len()]
            } else {
                pheap = vec![NO_ROW; tp.rels.len()];
                &mut pheap
            };
            if !self.resolve_parents(t, values, pos, line, &file, errors, parents, &mut last) {
                return false;
            }
            if let (Some(slot), Value::Str(key)) =
                (key_slot, key_slot.map_or(Value::Null, |k| values[k]))
            {
                match &mut keys {
                    Keys::Exact(seen) => {
                        if let Some(first) = seen.get(key) {
                            errors.push(duplicate(
                                table,
                                slot,
                                tp.cols[slot],
                                pos[slot],
                                &file,
                                line,
                                key,
                                *first,
                            ));
                            return false;
                        }
                        seen.insert(key.into(), line);
                    }
                    Keys::Deferred(log) => log.push(key, line),
                    Keys::Unchecked => {}
                }
            }
            f(values, parents, line, pos, errors)
        };
        let mut each = |line: u64, rec: &csv::ByteRecord, pos: &[usize]| {
            rows += 1;
            let before = errors.len();
            let kept = row(line, rec, pos, &mut errors);
            if !kept {
                dropped += 1;
            } else {
                used += 1;
            }
            // A row's errors named as the source names its rows (a cell, a key).
            if errors.len() > before && placer != Placer::Lines {
                let place = placer.place(rec);
                for e in &mut errors[before..] {
                    *e.place = place.clone();
                }
            }
        };

        // One case's records (explain): the rows holding the needles, found
        // the source's own way.
        let end = if !self.needles.is_empty() && chunk.start == 0 && chunk.stop.is_none() {
            let records = reader.each_holding(&self.needles, &mut each, &mut read_errors);
            rows = records;
            crate::data::ChunkEnd {
                exact: true,
                stop_line: 0,
            }
        } else {
            reader.each(chunk.stop, &mut each, &mut read_errors)
        };
        dropped += read_errors.len() as u64;
        rows += read_errors.len() as u64;
        out.errors.extend(read_errors);
        out.errors.extend(errors);
        out.rows.entry(t).or_default().add(RowCount {
            read: rows,
            used,
            dropped,
        });
        let keys = match keys {
            Keys::Deferred(log) => log,
            _ => KeyLog::new(),
        };
        (keys, end)
    }

    /// Sort the key fingerprints of a pass; where two lines share one, read
    /// their keys again and report those that are really the same.
    pub(super) fn confirm_duplicates(
        &self,
        t: TableId,
        slot: usize,
        mut v: Vec<(u64, u32)>,
    ) -> Vec<DataError> {
        // Sorted runs, one per chunk: a merge.
        v.sort();
        let mut suspects: std::collections::BTreeSet<u32> = Default::default();
        for w in v.windows(2) {
            if w[0].0 == w[1].0 {
                suspects.insert(w[0].1);
                suspects.insert(w[1].1);
            }
        }
        drop(v);
        if suspects.is_empty() {
            return Vec::new();
        }
        let table = &self.policy.schema.tables[t];
        let col = self.plan.table(t).cols[slot];
        let Ok(mut reader) = self.source.open(table, &[col]) else {
            return Vec::new();
        };
        let file = reader.name().to_string();
        let placer = reader.placer();
        let mut found: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut position = 0;
        reader.each(
            None,
            &mut |line, rec, pos| {
                if suspects.contains(&(line as u32)) {
                    position = pos[0];
                    found
                        .entry(crate::data::field(rec, pos[0]).unwrap_or("").to_string())
                        .or_default()
                        .push(line as u32);
                }
            },
            &mut Vec::new(),
        );
        let mut out = Vec::new();
        for (key, lines) in found {
            for l in lines.iter().skip(1) {
                let mut e = duplicate(
                    table,
                    slot,
                    col,
                    position,
                    &file,
                    *l as u64,
                    &key,
                    lines[0] as u64,
                );
                *e.place = placer.place_of_key(Some(&key));
                out.push(e);
            }
        }
        out
    }

    /// How an error in stored row `row` of table `t` is named.
    pub(super) fn place_of_stored(
        &self,
        t: TableId,
        store: &Store,
        row: u32,
    ) -> crate::data::Place {
        let key = Some(store.key_text(row)).filter(|k| !k.is_empty());
        self.source.place_of(&self.policy.schema.tables[t], key)
    }
}
