//! The passes of one wave on the worker threads: a large streamed file split
//! at line starts, a stored table in ranges of its rows, the chunks merged by
//! the worker that scans a table's last one.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::engine::Engine;
use super::outcome::{Observer, RecordOutcome, RowView};
use super::passes::PassOut;
use super::read::Chunk;
use super::scan::Partial;
use crate::schema::TableId;

/// The chunks of one table scanned so far in a parallel wave, and once all
/// are in, the merged result (`None` inside: they did not fit together).
pub(super) struct Pending {
    /// Per chunk: one partial scan per engine.
    pub(super) parts: Vec<Option<Vec<Partial>>>,
    pub(super) left: usize,
    pub(super) done: Option<Option<(Vec<PassOut>, Vec<RecordOutcome>)>>,
}

pub(super) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A thread's view of a shared observer: asks it, keeps the outcomes.
pub(super) struct Buffer<'a, 'r, 'o> {
    pub(super) shared: &'a std::sync::Mutex<&'r mut (dyn Observer + 'o)>,
    pub(super) active: bool,
    pub(super) needles: Vec<String>,
    pub(super) records: Vec<RecordOutcome>,
}

impl Observer for Buffer<'_, '_, '_> {
    fn active(&self) -> bool {
        self.active
    }
    fn needles(&self) -> Vec<String> {
        self.needles.clone()
    }
    fn wants(&mut self, table: TableId, key: &str, row: &RowView<'_>) -> bool {
        lock(self.shared).wants(table, key, row)
    }
    fn keeps(&self, outcome: &RecordOutcome) -> bool {
        lock(self.shared).keeps(outcome)
    }
    fn trails(&self) -> bool {
        lock(self.shared).trails()
    }
    fn context(&self) -> bool {
        lock(self.shared).context()
    }
    fn record(&mut self, outcome: RecordOutcome) {
        self.records.push(outcome);
    }
}

impl<'p> Engine<'p> {
    /// The passes of one wave on the worker threads. A large streamed table is
    /// split into chunks at line starts; when the chunks do not fit together (a
    /// quoted field holding a line break straddles a split), that table is read
    /// again in one piece.
    pub(super) fn parallel_wave<'r, 'o>(
        &self,
        wave: &[TableId],
        others: &[Engine<'p>],
        obs: &std::sync::Mutex<&'r mut (dyn Observer + 'o)>,
    ) -> Vec<Vec<PassOut>> {
        let chunk_min = self.opts.chunk_bytes.max(1);
        let threads = self.opts.threads;
        // (table, its place in the wave, chunk number, chunk)
        let mut tasks: Vec<(TableId, usize, usize, Chunk)> = Vec::new();
        for (w, &t) in wave.iter().enumerate() {
            let table = &self.policy.schema.tables[t];
            let size = self.source.size(table);
            // One case's records are found by a search of the whole file.
            let splits = if self.stores[t].is_none()
                && !self.opts.lenient
                && self.needles.is_empty()
                && size >= chunk_min
            {
                let n = (threads as u64).min(size / chunk_min).max(1) as usize;
                self.source.split_points(table, n)
            } else {
                Vec::new()
            };
            if let Some(store) = &self.stores[t] {
                // A stored table's rows, in ranges: one per worker when its
                // file is large.
                let rows = store.len as u64;
                let n = if size >= chunk_min { threads as u64 } else { 1 };
                for i in 0..n {
                    let (start, stop) = (rows * i / n, rows * (i + 1) / n);
                    tasks.push((
                        t,
                        w,
                        i as usize,
                        Chunk {
                            start,
                            stop: Some(stop),
                        },
                    ));
                }
                continue;
            }
            let mut start = 0;
            for (i, stop) in splits.iter().copied().map(Some).chain([None]).enumerate() {
                tasks.push((t, w, i, Chunk { start, stop }));
                start = stop.unwrap_or(0);
            }
        }
        // Largest first keeps both cores busy to the end.
        let sizes: Vec<u64> = wave
            .iter()
            .map(|&t| self.source.size(&self.policy.schema.tables[t]))
            .collect();
        let size_of = |c: &(TableId, usize, usize, Chunk)| {
            let total = sizes[c.1];
            c.3.stop.unwrap_or(total).saturating_sub(c.3.start)
        };
        tasks.sort_by_key(|c| std::cmp::Reverse(size_of(c)));
        let active = obs.lock().map(|o| o.active()).unwrap_or(false);
        let next = AtomicUsize::new(0);
        // Per table of the wave: the chunks scanned so far. The worker that
        // scans a table's last chunk also merges them, while the other workers
        // go on scanning.
        let pending: Vec<std::sync::Mutex<Pending>> = wave
            .iter()
            .map(|&t| {
                let n = tasks.iter().filter(|c| c.0 == t).count();
                std::sync::Mutex::new(Pending {
                    parts: (0..n).map(|_| None).collect(),
                    left: n,
                    done: None,
                })
            })
            .collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads.min(tasks.len()))
                .map(|_| {
                    s.spawn(|| {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&(t, w, k, chunk)) = tasks.get(i) else {
                                break;
                            };
                            let mut buffer = Buffer {
                                shared: obs,
                                active,
                                needles: self.needles.clone(),
                                records: Vec::new(),
                            };
                            let mut scanned = self.scan(t, chunk, others, &mut buffer);
                            if let Some(first) = scanned.first_mut() {
                                first.records = buffer.records;
                            }
                            let parts = {
                                let mut p = lock(&pending[w]);
                                p.parts[k] = Some(scanned);
                                p.left -= 1;
                                if p.left > 0 {
                                    continue;
                                }
                                std::mem::take(&mut p.parts)
                            };
                            let mut chunks: Vec<Vec<Partial>> =
                                parts.into_iter().flatten().collect();
                            let fits = chunks[..chunks.len() - 1]
                                .iter()
                                .all(|c| c.first().is_none_or(|p| p.end.exact));
                            let done = fits.then(|| {
                                // Lines of a later chunk are counted from its start.
                                let mut records: Vec<RecordOutcome> = Vec::new();
                                let mut line_base = 0u64;
                                for (i, c) in chunks.iter_mut().enumerate() {
                                    let Some(p) = c.first_mut() else { continue };
                                    let shift = if i == 0 { 0 } else { line_base - 1 };
                                    for mut r in std::mem::take(&mut p.records) {
                                        r.line += shift;
                                        records.push(r);
                                    }
                                    line_base = shift + p.end.stop_line;
                                }
                                (self.finish_all(t, others, chunks), records)
                            });
                            lock(&pending[w]).done = Some(done);
                        }
                    })
                })
                .collect();
            for h in handles {
                h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            }
        });
        let mut outs = Vec::new();
        for (w, &t) in wave.iter().enumerate() {
            let done = lock(&pending[w]).done.take().flatten();
            let mut o = lock(obs);
            outs.push(match done {
                Some((out, records)) => {
                    for r in records {
                        o.record(r);
                    }
                    out
                }
                // The chunks did not fit together: read the table in one piece.
                None => self.pass(t, others, &mut **o),
            });
        }
        outs
    }

    /// One pass over table `t`: every consumer of its rows, for this
    /// engine's period and each of the others'.
    pub(super) fn pass(
        &self,
        t: TableId,
        others: &[Engine<'p>],
        obs: &mut dyn Observer,
    ) -> Vec<PassOut> {
        let parts = self.scan(t, Chunk::WHOLE, others, obs);
        self.finish_all(t, others, vec![parts])
    }

    /// Finish a table's scans: `chunks` holds, per chunk in file order, one
    /// partial scan per engine (this one first).
    pub(super) fn finish_all(
        &self,
        t: TableId,
        others: &[Engine<'p>],
        chunks: Vec<Vec<Partial>>,
    ) -> Vec<PassOut> {
        let mut per: Vec<Vec<Partial>> = (0..=others.len()).map(|_| Vec::new()).collect();
        for c in chunks {
            for (k, p) in c.into_iter().enumerate() {
                if let Some(v) = per.get_mut(k) {
                    v.push(p);
                }
            }
        }
        per.into_iter()
            .enumerate()
            .map(|(k, parts)| match k {
                0 => self.finish(t, parts),
                _ => others[k - 1].finish(t, parts),
            })
            .collect()
    }
}
