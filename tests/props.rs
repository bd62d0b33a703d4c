//! Property tests: a policy with random edits — what a clerk's typo or a
//! rename does — never makes `parse` or `check` panic, and every diagnostic
//! points inside the text it was given.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

use std::sync::Arc;

use miette::Diagnostic;
use proptest::prelude::*;
use zhibiao::source::SourceFile;

fn shipped() -> (String, Arc<zhibiao::schema::Schema>) {
    let text = std::fs::read_to_string("policies/jiading-2022.zb").expect("policy");
    let schema = zhibiao::schema::Schema::load(std::path::Path::new("policies/schema.yaml"))
        .expect("schema");
    (text, Arc::new(schema))
}

/// Words a clerk's edit may bring in: keywords, ids of the policy and of
/// nothing, punctuation, numbers, durations, full-width forms.
const WORDS: &[&str] = &[
    "restrict",
    "over",
    "numerator",
    "denominator",
    "require",
    "exclude",
    "count",
    "let",
    "value =",
    "target",
    "court",
    ">=",
    "<=",
    "in",
    "..",
    "from",
    "unit",
    "days",
    "ratio",
    "per",
    "rank",
    "department =",
    "HC4",
    "HC44",
    "HC3b",
    "previous(",
    "last_year(",
    "sum_defined(",
    " or 0",
    "days(",
    "contains(",
    "12 months",
    "2024-02-30",
    "(",
    ")",
    "{",
    "}",
    ",",
    "\"",
    "-",
    "1e9",
    "100",
    "-5",
    "原则上",
    "（",
    "＞=",
    "业务部门",
    "民事庭",
    "case.",
    "period.end",
    "any(",
    "avg",
    "median",
    "is empty",
    "\n",
];

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, word: usize },
    Duplicate { line: usize },
    Swap { a: usize, b: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 0..WORDS.len()).prop_map(|(at, word)| Edit::Insert { at, word }),
        any::<usize>().prop_map(|line| Edit::Duplicate { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap { a, b }),
    ]
}

/// A char boundary of `s` picked by `n`.
fn boundary(s: &str, n: usize) -> usize {
    let mut at = n % (s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(mut s: String, e: &Edit) -> String {
    match *e {
        Edit::Delete { at, len } => {
            let a = boundary(&s, at);
            let b = boundary(&s, (a + len).min(s.len()));
            s.replace_range(a..b.max(a), "");
        }
        Edit::Insert { at, word } => {
            let a = boundary(&s, at);
            s.insert_str(a, &format!(" {} ", WORDS[word]));
        }
        Edit::Duplicate { line } => {
            let lines: Vec<&str> = s.lines().collect();
            let l = lines[line % lines.len()].to_string();
            let at = boundary(&s, s.find(&l).unwrap_or(0));
            s.insert_str(at, &format!("{l}\n"));
        }
        Edit::Swap { a, b } => {
            let words: Vec<&str> = s.split(' ').collect();
            let (i, j) = (a % words.len(), b % words.len());
            let mut w: Vec<String> = words.iter().map(|x| x.to_string()).collect();
            w.swap(i, j);
            s = w.join(" ");
        }
    }
    s
}

fn spans_inside(d: &dyn Diagnostic, len: usize) -> Result<(), String> {
    for l in d.labels().into_iter().flatten() {
        if l.offset() + l.len() > len {
            return Err(format!(
                "label at {}+{} past the end ({len}): {d}",
                l.offset(),
                l.len()
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn edited_policies_never_panic_and_point_inside_the_text(
        edits in proptest::collection::vec(edit(), 1..4)
    ) {
        let (text, schema) = shipped();
        let edited = edits.iter().fold(text, apply);
        let src = SourceFile::new("edited.zb", edited.clone());
        match zhibiao::syntax::parse(&src) {
            Err(e) => prop_assert!(spans_inside(&*e, edited.len()).is_ok(), "{:?}", spans_inside(&*e, edited.len())),
            Ok(file) => {
                let checked = zhibiao::check::check(&src, &file, schema);
                for d in &checked.diagnostics {
                    let r = spans_inside(d, edited.len());
                    prop_assert!(r.is_ok(), "{:?}", r);
                }
                // A policy that checks compiles into a plan.
                let clean = checked.errors() == 0;
                if let Some(p) = checked.policy.filter(|_| clean) {
                    let _ = zhibiao::plan::compile(Arc::new(p));
                }
            }
        }
    }
}

/// A copy of the example data, for the data property to edit one file of.
fn data_copy() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhibiao-props-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for e in std::fs::read_dir("examples/data").expect("data") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), dir.join(e.file_name())).expect("copy");
    }
    dir
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random bytes in a table give a data error (exit 3) or figures, never
    /// a panic; `--lenient` then leaves the bad rows out and counts them.
    #[test]
    fn edited_exports_give_errors_or_figures_never_a_panic(
        file in prop::sample::select(vec!["hearings.csv", "cases.csv", "services.csv", "officers.csv"]),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)
    ) {
        let dir = data_copy();
        let path = dir.join(file);
        let mut bytes = std::fs::read(&path).expect("read");
        for (at, b, how) in &edits {
            let i = at % bytes.len();
            match how {
                0 => bytes[i] = *b,
                1 => bytes.insert(i, *b),
                _ => { bytes.remove(i); }
            }
        }
        std::fs::write(&path, &bytes).expect("write");
        let loaded = zhibiao::workspace::load(std::path::Path::new("policies/jiading-2022.zb")).expect("load");
        let plan = zhibiao::plan::compile(Arc::new(loaded.checked.policy.expect("checks")));
        let period = zhibiao::period::Period::parse("2022-06").expect("period");
        let strict = zhibiao::eval::eval(&plan, &*zhibiao::data::source::files(&dir), &period, &zhibiao::eval::Options::default());
        let lenient = zhibiao::eval::eval(&plan, &*zhibiao::data::source::files(&dir), &period, &zhibiao::eval::Options {
            lenient: true,
            ..zhibiao::eval::Options::default()
        });
        if let Ok(r) = &lenient {
            // Every row read is used or reported left out.
            let table = r.data.iter().find(|t| t.file == file);
            prop_assert!(table.is_none_or(|t| t.dropped <= t.rows));
        }
        if strict.is_ok() {
            prop_assert!(lenient.is_ok());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
