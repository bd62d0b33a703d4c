//! The parse-only baseline of the benchmark (`benches/run.sh`).
//!
//! Usage:
//!
//! ```text
//! cargo run --release --example parse_only -- --data DIR \
//!     [--schema policies/schema.yaml] [--threads N]
//! ```
//!
//! Reads every table of the schema from `DIR` with the engine's own reader
//! (`zhibiao::data::source::csv::Folder`) and parses every field of every column with
//! `zhibiao::data::parse_field`, exactly as `zhibiao eval` parses the columns it
//! needs — and does nothing else: no evaluation, no stored tables, no keys.
//! So `eval time / parse-only time` is the cost of the evaluation itself.
//!
//! Tables are spread over worker threads like `eval` spreads its passes (a
//! shared work index, one table at a time per worker). The default number of
//! workers is eval's default: the machine's cores, at most 4.
//!
//! Prints one line of JSON:
//! `{"rows": N, "bytes": B, "errors": E, "seconds": S, "tables": T, "threads": W}`
//! where `bytes` is the total size of the CSV files read, `errors` counts the
//! malformed records and fields that do not parse (none are printed) and
//! `seconds` is the wall time from loading the schema to the last row.

use std::path::{Path, PathBuf};
use std::process::exit;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use zhibiao::data::parse_field;
use zhibiao::data::source::Source;
use zhibiao::schema::{Schema, Table};

const USAGE: &str = "usage: cargo run --release --example parse_only -- --data DIR \
[--schema FILE] [--threads N]
  --data DIR     folder of CSV files, one per table of the schema (required)
  --schema FILE  the schema (default policies/schema.yaml)
  --threads N    worker threads (default: the machine's cores, at most 4, as eval)";

struct Args {
    data: PathBuf,
    schema: PathBuf,
    threads: usize,
}

fn parse_args(argv: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut data = None;
    let mut schema = PathBuf::from("policies/schema.yaml");
    let mut threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let mut it = argv;
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if !matches!(flag.as_str(), "--data" | "--schema" | "--threads") {
            return Err(format!("unknown argument `{arg}`"));
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("`{flag}` needs a value"))?,
        };
        match flag.as_str() {
            "--data" => data = Some(PathBuf::from(value)),
            "--schema" => schema = PathBuf::from(value),
            _ => {
                threads = value
                    .parse::<usize>()
                    .map_err(|_| format!("--threads: `{value}` is not a positive integer"))?
                    .max(1)
            }
        }
    }
    let data = data.ok_or("--data DIR is required")?;
    Ok(Some(Args {
        data,
        schema,
        threads,
    }))
}

/// What parsing one table found.
#[derive(Default, Clone, Copy)]
struct Tally {
    rows: u64,
    bytes: u64,
    errors: u64,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.rows += o.rows;
        self.bytes += o.bytes;
        self.errors += o.errors;
    }
}

/// Read `table` from `dir` and parse every field of every column.
fn parse_table(dir: &Path, table: &Table) -> Result<Tally, String> {
    let all: Vec<usize> = (0..table.columns.len()).collect();
    let source = zhibiao::data::source::csv::Folder::new(dir);
    let mut reader = source.open(table, &all).map_err(|e| e.to_string())?;
    let bytes = source.size(table);
    let mut tally = Tally {
        bytes,
        ..Tally::default()
    };
    let mut bad_records = Vec::new();
    reader.each(
        None,
        &mut |_line, rec, positions| {
            tally.rows += 1;
            for (c, &p) in positions.iter().enumerate() {
                let Some(raw) = zhibiao::data::field(rec, p) else {
                    tally.errors += 1;
                    continue;
                };
                match parse_field(&table.columns[c], raw) {
                    Ok(v) => {
                        std::hint::black_box(v);
                    }
                    Err(_) => tally.errors += 1,
                }
            }
        },
        &mut bad_records,
    );
    tally.errors += bad_records.len() as u64;
    Ok(tally)
}

fn run(args: &Args) -> Result<(), String> {
    let start = Instant::now();
    let schema = Schema::load(&args.schema).map_err(|e| e.to_string())?;
    if !args.data.is_dir() {
        return Err(format!(
            "data folder `{}` does not exist",
            args.data.display()
        ));
    }
    let tables = &schema.tables;
    let next = AtomicUsize::new(0);
    let workers = args.threads.min(tables.len()).max(1);
    let results: Vec<Result<Tally, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(t) = tables.get(i) else { break };
                        mine.push(parse_table(&args.data, t));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err("a worker panicked".to_string())])
            })
            .collect()
    });
    let mut total = Tally::default();
    for r in results {
        total.add(r?);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"rows\": {}, \"bytes\": {}, \"errors\": {}, \"seconds\": {:.3}, \"tables\": {}, \"threads\": {}}}",
        total.rows,
        total.bytes,
        total.errors,
        seconds,
        tables.len(),
        workers
    );
    Ok(())
}

fn main() {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return;
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("error: {e}");
        exit(1);
    }
}
