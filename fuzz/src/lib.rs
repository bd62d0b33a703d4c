//! The fuzz targets' bodies, one function each (`fuzz_targets/*.rs` call them).
//!
//! Every target feeds bytes to one reader of user input and goes as far down
//! the pipeline as the input allows. A panic anywhere is a finding; so is a
//! broken promise the engine makes of its output (a diagnostic pointing past
//! the text, a row lost without being reported, figures that change with the
//! way a file is split or with `--lenient` on clean data).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use miette::Diagnostic;
use zhibiao::check::{check, check_amendment};
use zhibiao::eval::{Options, Report, eval};
use zhibiao::ir::Policy;
use zhibiao::period::Period;
use zhibiao::plan::{Plan, columns_read, compile, compile_only, with_sources};
use zhibiao::schema::Schema;
use zhibiao::source::SourceFile;
use zhibiao::syntax::{ast, parse};

/// The repository's root: the fuzz crate sits in `fuzz/`; the regression
/// tests (`tests/fuzz_regressions.rs`) compile this file in the main crate.
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("policies").is_dir() {
        here.to_path_buf()
    } else {
        here.join("..")
    }
}

fn schema_at(rel: &str) -> Arc<Schema> {
    Arc::new(Schema::load(&root().join(rel)).expect("shipped schema"))
}

/// The shipped schema, and the quality example's.
fn schemas() -> &'static [Arc<Schema>; 2] {
    static S: OnceLock<[Arc<Schema>; 2]> = OnceLock::new();
    S.get_or_init(|| {
        [
            schema_at("policies/schema.yaml"),
            schema_at("examples/quality/schema.yaml"),
        ]
    })
}

/// The shipped policy, checked (what amendments amend).
fn base() -> &'static Arc<Policy> {
    static B: OnceLock<Arc<Policy>> = OnceLock::new();
    B.get_or_init(|| {
        let loaded = zhibiao::workspace::load(&root().join("policies/jiading-2022.zb"))
            .expect("shipped policy");
        Arc::new(loaded.checked.policy.expect("shipped policy checks"))
    })
}

/// A diagnostic's labels point inside the text it was given, and it renders
/// (for people and as JSON) without a panic.
fn sound(d: &dyn Diagnostic, len: usize, render: bool) {
    for l in d.labels().into_iter().flatten() {
        assert!(
            l.offset() + l.len() <= len,
            "label at {}+{} past the end ({len}): {d}",
            l.offset(),
            l.len()
        );
    }
    let _ = zhibiao::diagnostics::to_json(d);
    if render {
        let _ = zhibiao::diagnostics::render(d, false);
    }
}

/// (a) Policy text → parse → check (against the shipped schema and the quality
/// example's, or as an amendment of the shipped policy) → plan; and the formatter.
pub fn parse_check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = SourceFile::new("fuzz.zb", text);
    let file = match parse(&src) {
        Ok(f) => f,
        Err(e) => {
            sound(&*e, text.len(), true);
            return;
        }
    };
    let _ = zhibiao::syntax::fmt::format(&src);
    if file.header.amends.is_some() {
        let checked = check_amendment(&src, &file, base());
        finish(checked, text.len());
        return;
    }
    for schema in schemas() {
        finish(check(&src, &file, schema.clone()), text.len());
    }
}

fn finish(checked: zhibiao::check::Checked, len: usize) {
    for (i, d) in checked.diagnostics.iter().enumerate() {
        sound(d, len, i < 2);
    }
    if checked.errors() == 0
        && let Some(p) = checked.policy
    {
        let p = Arc::new(p);
        let _ = compile(p.clone());
        let _ = zhibiao::graph::build(&p, true);
    }
}

/// The shipped policies, parsed once, for the schema target to check.
fn shipped_sources() -> &'static Vec<(SourceFile, ast::PolicyFile)> {
    static P: OnceLock<Vec<(SourceFile, ast::PolicyFile)>> = OnceLock::new();
    P.get_or_init(|| {
        [
            "policies/jiading-2022.zb",
            "examples/quality/quality-2024.zb",
        ]
        .iter()
        .map(|rel| {
            let src = SourceFile::read(&root().join(rel)).expect("shipped policy");
            let ast = parse(&src).expect("shipped policy parses");
            (src, ast)
        })
        .collect()
    })
}

/// (b) Schema YAML → `Schema::from_yaml` → the shipped policies checked against it → plan.
pub fn schema_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(schema) = Schema::from_yaml(text) else {
        return;
    };
    let schema = Arc::new(schema);
    for (src, ast) in shipped_sources() {
        finish(check(src, ast, schema.clone()), src.text.len());
    }
}

/// (c) Policy-test YAML → `testing::parse_text` → each small case run on the
/// shipped policy (its rows written as CSV, evaluated, its expectations compared).
pub fn test_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("fuzz.yaml");
    let Ok(t) = zhibiao::testing::parse_text(text, file) else {
        return;
    };
    let chain = vec![base().clone()];
    let mut coverage = zhibiao::testing::Coverage::of(base());
    for case in t.tests.iter().take(4) {
        let rows: usize = case.data.values().map(Vec::len).sum();
        if rows > 60 {
            continue;
        }
        let _ = zhibiao::testing::run_case(file, &chain, case, &mut coverage);
    }
    let _ = coverage.percent();
}

/// The tiny court the CSV target evaluates: `fuzz/data` copied once per
/// process into a folder of its own, and its tables' files by name (sorted;
/// an input's first byte picks one), each with the plan of the shipped
/// policy's indicators that read that table (and what they derive from).
struct Court {
    dir: PathBuf,
    files: Vec<(String, Vec<u8>, Plan)>,
    period: Period,
}

static COURT: OnceLock<Court> = OnceLock::new();

fn court() -> &'static Court {
    COURT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("zhibiao-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let policy = base();
        let mut files = Vec::new();
        for e in std::fs::read_dir(root().join("fuzz/data")).expect("fuzz/data") {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).expect("read");
            std::fs::write(dir.join(&name), &bytes).expect("write");
            let t = policy
                .schema
                .tables
                .iter()
                .position(|t| t.file == name)
                .expect("a table's file");
            let readers: Vec<usize> = (0..policy.indicators.len())
                .filter(|&i| columns_read(policy, i).iter().any(|(x, _)| *x == t))
                .collect();
            let keep = with_sources(policy, &readers);
            files.push((name, bytes, compile_only(policy.clone(), &keep)));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Court {
            dir,
            files,
            period: Period::parse("2022-06").expect("period"),
        }
    })
}

/// Remove the tiny court's folder (the regression tests, when done).
pub fn remove_court() {
    if let Some(c) = COURT.get() {
        let _ = std::fs::remove_dir_all(&c.dir);
    }
}

type Figures = BTreeMap<String, [Option<f64>; 3]>;

/// Every figure of a report (numerator, denominator, value), by indicator and department.
fn figures(r: &Report) -> Figures {
    zhibiao::render::flat(r)
        .iter()
        .map(|x| {
            (
                format!("{} {}", x.indicator, x.department),
                [x.numerator, x.denominator, x.value],
            )
        })
        .collect()
}

/// The same figures: counts exactly, a value within 1e-12 of its size (a
/// sum of fractions, hours, is added in another order when a file is read in
/// chunks, and may differ in its last bits).
fn same_figures(a: &Figures, b: &Figures) -> bool {
    let close = |x: &Option<f64>, y: &Option<f64>| match (x, y) {
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
        (None, None) => true,
        _ => false,
    };
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && va.iter().zip(vb).all(|(x, y)| close(x, y)))
}

/// (d) Bytes as one table's file (the first byte picks which) beside the
/// tiny court's other tables, evaluated for 2022-06 with the shipped policy's
/// indicators over that table, on one thread: figures or data errors, never a
/// panic. Data errors: `--lenient` then reconciles every table (rows read =
/// used + left out). Figures: two threads in 1024-byte chunks give the same.
pub fn csv_eval(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let c = court();
    let (name, original, plan) = &c.files[pick as usize % c.files.len()];
    let path = c.dir.join(name);
    std::fs::write(&path, bytes).expect("write the table");
    let one = Options {
        threads: 1,
        other_periods: false,
        ..Options::default()
    };
    match eval(
        plan,
        &*zhibiao::data::source::files(&c.dir),
        &c.period,
        &one,
    ) {
        Err(_) => reconciles_when_lenient(plan, c, &one),
        Ok(s) => {
            let chunked = Options {
                threads: 2,
                chunk_bytes: 1024,
                ..one
            };
            let r = eval(
                plan,
                &*zhibiao::data::source::files(&c.dir),
                &c.period,
                &chunked,
            );
            let r = r.expect("data read whole reads in chunks");
            let (a, b) = (figures(&s), figures(&r));
            assert!(
                same_figures(&a, &b),
                "the same figures in chunks:\n{a:?}\n{b:?}"
            );
        }
    }
    std::fs::write(&path, original).expect("restore the table");
}

/// (e) One table of the tiny court as an Excel workbook (the first byte
/// picks the table; the second how the rest is taken): either the rest is
/// CSV text written into a workbook cell by cell — numbers as numbers,
/// `YYYY-MM-DD` dates as Excel dates, the rest as text — or the rest is the
/// `.xlsx` file's bytes as they are. Evaluated like `csv_eval`: figures or
/// data errors naming the workbook, never a panic; with `--lenient` every
/// table reconciles.
pub fn xlsx_eval(data: &[u8]) {
    let [pick, how, bytes @ ..] = data else {
        return;
    };
    let c = court();
    let (name, original, plan) = &c.files[*pick as usize % c.files.len()];
    let csv_path = c.dir.join(name);
    let stem = name.trim_end_matches(".csv");
    let xlsx_path = c.dir.join(format!("{stem}.xlsx"));
    let book = if how % 2 == 0 {
        match workbook_of(bytes) {
            Some(b) => b,
            None => return,
        }
    } else {
        bytes.to_vec()
    };
    std::fs::remove_file(&csv_path).expect("move the table aside");
    std::fs::write(&xlsx_path, &book).expect("write the workbook");
    let one = Options {
        threads: 1,
        other_periods: false,
        ..Options::default()
    };
    if let Err(zhibiao::eval::EvalError::Data { errors, .. }) = eval(
        plan,
        &*zhibiao::data::source::files(&c.dir),
        &c.period,
        &one,
    ) {
        for e in &errors {
            assert!(!e.file.is_empty(), "a data error names its file: {e:?}");
        }
        reconciles_when_lenient(plan, c, &one);
    }
    std::fs::remove_file(&xlsx_path).expect("remove the workbook");
    std::fs::write(&csv_path, original).expect("restore the table");
}

/// With `--lenient`, every table of the court reconciles: rows read = used +
/// left out.
fn reconciles_when_lenient(plan: &Plan, c: &Court, one: &Options) {
    let lenient = Options {
        lenient: true,
        max_dropped: 100.0,
        ..one.clone()
    };
    if let Ok(l) = eval(
        plan,
        &*zhibiao::data::source::files(&c.dir),
        &c.period,
        &lenient,
    ) {
        for t in &l.data {
            assert_eq!(
                t.rows,
                t.used + t.dropped,
                "{}: rows read = used + left out",
                t.file
            );
        }
    }
}

/// CSV text as a workbook of one sheet: numbers as numbers, ISO dates as
/// Excel dates, the rest as text. `None` when the text is no CSV.
fn workbook_of(text: &[u8]) -> Option<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    for (row, rec) in r.byte_records().enumerate().take(200) {
        let rec = rec.ok()?;
        for (col, field) in rec.iter().enumerate().take(64) {
            let (row, col) = (row as u32, col as u16);
            let s = String::from_utf8_lossy(field);
            let written = if row == 0 {
                sheet.write_string(row, col, s.as_ref()).map(|_| ())
            } else if let Ok(n) = s
                .trim()
                .parse::<f64>()
                .map_err(|_| ())
                .and_then(|n| if n.is_finite() { Ok(n) } else { Err(()) })
            {
                sheet.write_number(row, col, n).map(|_| ())
            } else if let Some(d) = iso_date(&s) {
                sheet
                    .write_datetime_with_format(row, col, &d, &date)
                    .map(|_| ())
            } else {
                sheet.write_string(row, col, s.as_ref()).map(|_| ())
            };
            written.ok()?;
        }
    }
    book.save_to_buffer().ok()
}

fn iso_date(s: &str) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let mut it = s.trim().splitn(3, '-');
    let y: u16 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).ok()
}
