//! The stored tables (those navigated to or aggregated over): loaded before
//! the passes, in chunks on every core for a large file, their relations to
//! themselves and to each other resolved, the aggregates over their own rows
//! counted.

use super::engine::Engine;
use super::expr;
use super::passes::PassOut;
use super::read::{Chunk, dangling, duplicate};
use super::rows::{NO_ROW, RowRef, Store};
use crate::data::source::Placer;
use crate::ir::*;
use crate::schema::TableId;
use crate::value::Value;

impl<'p> Engine<'p> {
    /// Relations from a stored table to itself (a case's original case),
    /// resolved as soon as the table is loaded, before the tables that refer
    /// to it. A row whose reference names no row is left out like any row
    /// with a data error, and so is a row referring to a row left out (the
    /// whole chain): what remains is the store those rows' absence gives,
    /// so the rows read still equal the rows used and the rows left out.
    pub(super) fn resolve_self(&mut self, t: TableId, out: &mut PassOut) {
        if !self.needles.is_empty() {
            return;
        }
        let schema = &self.policy.schema;
        let selves: Vec<(usize, RelId)> = self
            .plan
            .table(t)
            .rels
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, r)| schema.relations[*r].to == t)
            .collect();
        if selves.is_empty() {
            return;
        }
        let Some(mut store) = std::sync::Arc::make_mut(&mut self.stores)[t].take() else {
            return;
        };
        let file = self.source.name(&schema.tables[t]);
        let slots: Vec<usize> = selves
            .iter()
            .map(|(_, r)| self.plan.slot(t, schema.relations[*r].col))
            .collect();
        let resolve = |store: &Store, slot: usize| -> Vec<Option<u32>> {
            (0..store.len)
                .map(|row| match store.get(row, slot) {
                    Value::Str(k) => store.lookup(k),
                    _ => Some(NO_ROW),
                })
                .collect()
        };
        // Per self relation, each row's parent: None when its value names no
        // row, NO_ROW when it has none.
        let parents: Vec<Vec<Option<u32>>> = slots.iter().map(|&s| resolve(&store, s)).collect();
        let n = store.len as usize;
        let mut keep = vec![true; n];
        // Left out: a row naming no row, then, down the chain, a row whose
        // parent is left out.
        let mut changed = true;
        while changed {
            changed = false;
            for row in 0..n {
                if !keep[row] {
                    continue;
                }
                let bad = parents.iter().position(|p| match p[row] {
                    None => true,
                    Some(NO_ROW) => false,
                    Some(parent) => !keep[parent as usize],
                });
                if let Some(i) = bad {
                    keep[row] = false;
                    changed = true;
                    if let Value::Str(k) = store.get(row as u32, slots[i]) {
                        let rel = &schema.relations[selves[i].1];
                        let mut e =
                            dangling(self.source, schema, rel, &file, store.lines[row], 0, k);
                        *e.place = self.place_of_stored(t, &store, row as u32);
                        out.errors.push(e);
                    }
                }
            }
        }
        let left_out = keep.iter().filter(|k| !**k).count() as u64;
        // Rows move up when some are left out: their parents are found anew.
        let parents = if left_out > 0 {
            if let Some(e) = out.rows.get_mut(&t) {
                e.used = e.used.saturating_sub(left_out);
                e.dropped += left_out;
            }
            store = store.retain(&keep);
            slots.iter().map(|&s| resolve(&store, s)).collect()
        } else {
            parents
        };
        for (&(ri, _), p) in selves.iter().zip(parents) {
            store.parents[ri] = p.into_iter().map(|p| p.unwrap_or(NO_ROW)).collect();
        }
        std::sync::Arc::make_mut(&mut self.stores)[t] = Some(store);
    }

    /// Relations between stored tables that point at a table loaded later:
    /// resolved once every stored table is in memory. (A table's relations
    /// to itself are resolved as it is loaded: `resolve_self`.)
    pub(super) fn resolve_late(&mut self, out: &mut PassOut) {
        let schema = &self.policy.schema;
        for (pos, &t) in self.plan.load_order.iter().enumerate() {
            let tp = self.plan.table(t);
            for (ri, &r) in tp.rels.iter().enumerate() {
                let rel = &schema.relations[r];
                let loaded_before = self.plan.load_order[..pos].contains(&rel.to);
                if loaded_before || (rel.to == t && self.needles.is_empty()) {
                    continue;
                }
                let (Some(store), Some(target)) =
                    (self.stores[t].as_ref(), self.stores[rel.to].as_ref())
                else {
                    continue;
                };
                let slot = self.plan.slot(t, rel.col);
                let file = self.source.name(&schema.tables[t]);
                let mut resolved = Vec::with_capacity(store.len as usize);
                for row in 0..store.len {
                    let idx = match store.get(row, slot) {
                        Value::Str(k) => match target.lookup(k) {
                            Some(i) => i,
                            // Reading only one case's rows: other parents were skipped.
                            None if !self.needles.is_empty() => NO_ROW,
                            None => {
                                let mut e = dangling(
                                    self.source,
                                    schema,
                                    rel,
                                    &file,
                                    store.lines[row as usize],
                                    0,
                                    k,
                                );
                                *e.place = self.place_of_stored(t, store, row);
                                out.errors.push(e);
                                NO_ROW
                            }
                        },
                        _ => NO_ROW,
                    };
                    resolved.push(idx);
                }
                if let Some(store) = std::sync::Arc::make_mut(&mut self.stores)[t].as_mut() {
                    store.parents[ri] = resolved;
                }
            }
        }
    }

    /// The aggregates over a relation from a stored table to itself
    /// (`count(cases)` on cases through `origin`): counted from the stored rows.
    pub(super) fn pre_aggregate(&mut self) {
        for &a in &self.plan.pre_aggs {
            let agg = &self.policy.aggs[a];
            let t = agg.child;
            let Some(store) = self.stores[t].as_ref() else {
                continue;
            };
            let tp = self.plan.table(t);
            let Some(rel) = tp
                .rels
                .iter()
                .position(|r| self.policy.schema.relations[*r].col == agg.rel_col)
            else {
                continue;
            };
            let mut v = vec![(0u32, 0u32); store.len as usize];
            for row in 0..store.len {
                let r = RowRef::Stored { store, row };
                let p = r.parent(rel);
                if p == NO_ROW {
                    continue;
                }
                let hit = agg
                    .cond
                    .as_ref()
                    .is_none_or(|c| self.ev(c, t, r, &mut expr::Tracer::off()).truthy());
                let e = &mut v[p as usize];
                e.1 += 1;
                if hit {
                    e.0 += 1;
                }
            }
            self.aggs[a] = std::sync::Arc::new(v);
        }
    }

    pub(super) fn load_store(&mut self, t: TableId, out: &mut PassOut) {
        let table = &self.policy.schema.tables[t];
        let size = self.source.size(table);
        let threads = self.opts.threads;
        // A large stored table is read in chunks on every core, then joined.
        if threads > 1
            && !self.opts.lenient
            && self.needles.is_empty()
            && size >= self.opts.chunk_bytes.max(1)
        {
            let splits = self.source.split_points(table, threads);
            if !splits.is_empty() {
                let mut chunks = Vec::new();
                let mut start = 0;
                for stop in splits.iter().copied().map(Some).chain([None]) {
                    chunks.push(Chunk { start, stop });
                    start = stop.unwrap_or(0);
                }
                let this = &*self;
                let parts: Vec<(Store, PassOut, crate::data::ChunkEnd)> = std::thread::scope(|s| {
                    let handles: Vec<_> = chunks
                        .iter()
                        .map(|&c| s.spawn(move || this.load_chunk(t, c)))
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                        .collect()
                });
                let fits = parts[..parts.len() - 1].iter().all(|p| p.2.exact);
                if fits {
                    let tp = self.plan.table(t);
                    let key_slot = table.key().and_then(|k| tp.slot[k]);
                    let (file, key_position, placer) =
                        match key_slot.and_then(|k| self.source.open(table, &[tp.cols[k]]).ok()) {
                            Some(r) => (r.name().to_string(), r.positions()[0], r.placer()),
                            None => (self.source.name(table), 0, Placer::Lines),
                        };
                    let mut merged: Option<Store> = None;
                    let mut line_base = 0u64;
                    for (i, (store, mut o, end)) in parts.into_iter().enumerate() {
                        let shift = if i == 0 { 0 } else { line_base - 1 };
                        for e in o.errors.iter_mut() {
                            e.line += shift;
                        }
                        line_base = shift + end.stop_line;
                        out.merge(o);
                        match &mut merged {
                            None => merged = Some(store),
                            Some(m) => {
                                for (key, line, first) in m.append(store, shift) {
                                    if let Some(slot) = key_slot {
                                        let mut e = duplicate(
                                            table,
                                            slot,
                                            tp.cols[slot],
                                            key_position,
                                            &file,
                                            line,
                                            &key,
                                            first,
                                        );
                                        *e.place = placer.place_of_key(Some(&key));
                                        out.errors.push(e);
                                    }
                                    // Stored by its chunk, left out of the whole.
                                    if let Some(e) = out.rows.get_mut(&t) {
                                        e.used = e.used.saturating_sub(1);
                                        e.dropped += 1;
                                    }
                                }
                            }
                        }
                    }
                    std::sync::Arc::make_mut(&mut self.stores)[t] = merged;
                    return;
                }
            }
        }
        let (store, o, _) = self.load_chunk(t, Chunk::WHOLE);
        out.merge(o);
        std::sync::Arc::make_mut(&mut self.stores)[t] = Some(store);
    }

    /// Read (a chunk of) a stored table into a store of its own.
    pub(super) fn load_chunk(
        &self,
        t: TableId,
        chunk: Chunk,
    ) -> (Store, PassOut, crate::data::ChunkEnd) {
        let tp = self.plan.table(t);
        let table = &self.policy.schema.tables[t];
        let key_slot = table.key().and_then(|k| tp.slot[k]);
        let mut store = Store::new(tp.cols.len(), tp.rels.len(), key_slot);
        let file = self.source.name(table);
        let mut out = PassOut::default();
        let (_, end) = self.read_table(
            t,
            &mut out,
            false,
            chunk,
            |values, parents, line, pos, errors| {
                let i = store.push(values, parents, line);
                if let Some(slot) = key_slot
                    && let Value::Str(s) = values[slot]
                    && let Err(first) = store.index_key(s, i)
                {
                    let first_line = store.lines[first as usize];
                    errors.push(duplicate(
                        table,
                        slot,
                        tp.cols[slot],
                        pos[slot],
                        &file,
                        line,
                        s,
                        first_line,
                    ));
                    store.pop();
                    return false;
                }
                true
            },
        );
        (store, out, end)
    }
}
