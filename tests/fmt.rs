//! `zhibiao fmt`: the shipped policies are in the canonical layout, a badly
//! laid out copy formats back to them with the same meaning and figures,
//! random layout edits and comments change nothing but themselves, and the
//! command line says which files differ.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{fresh_dir, stderr, stdout, zhibiao};
use proptest::prelude::*;
use zhibiao::source::SourceFile;
use zhibiao::syntax::fmt::{format, shape, strip_spans};

const SHIPPED: [&str; 6] = [
    "policies/jiading-2022.zb",
    "examples/quality/quality-2024.zb",
    "examples/amendments/jiading-2023-hc3.zb",
    "tests/fixtures/derived/policy.zb",
    "tests/fixtures/keys/policy.zb",
    "tests/fixtures/keys/decimal.zb",
];

fn read(path: &str) -> String {
    std::fs::read_to_string(path).expect("read policy")
}

fn fmt(path: &str, text: &str) -> String {
    match format(&SourceFile::new(path, text)) {
        Ok(s) => s,
        Err(e) => panic!("{path}: {e:?}\n{text}"),
    }
}

/// What a policy text means: its syntax tree and, when it checks on its own
/// (not an amendment), the checked policy, every position left out.
fn meaning(path: &str, text: &str) -> String {
    let loaded = zhibiao::workspace::load_source(SourceFile::new(path, text));
    let ast = loaded.ast.expect("parses");
    let mut out = shape(&ast);
    if let Some(p) = &loaded.checked.policy {
        out.push_str(&strip_spans(&format!(
            "{:?}",
            (
                &p.meta,
                &p.departments,
                &p.groups,
                &p.report_default,
                &p.attribution,
                &p.scope,
                &p.scope_paths,
                &p.defs,
                &p.aggs,
                &p.indicators,
                &p.order,
            )
        )));
    }
    out
}

fn checks_on_its_own(path: &str) -> bool {
    !path.contains("amendments")
}

/// For each char of one line: whether it is code (not in a string or a comment).
fn code_mask(line: &str) -> Vec<bool> {
    let chars: Vec<char> = line.chars().collect();
    let mut mask = Vec::with_capacity(chars.len());
    let mut in_str = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_str {
            mask.push(false);
            if c == '\\' && i + 1 < chars.len() {
                mask.push(false);
                i += 1;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            mask.resize(chars.len(), false);
            break;
        } else {
            in_str = c == '"';
            mask.push(!in_str);
        }
        i += 1;
    }
    mask
}

/// A clerk's worst layout of a policy: lines indented at random, every space
/// between words doubled, padding inside parentheses and before commas,
/// Windows line ends and blank lines at both ends.
fn mangle(text: &str) -> String {
    let mut out = String::from("\r\n\r\n");
    for (n, line) in text.lines().enumerate() {
        let body = line.trim_start();
        out.push_str(&" ".repeat(n * 7 % 5));
        if n % 3 == 0 && !body.is_empty() {
            out.push('\t');
        }
        let mask = code_mask(body);
        let chars: Vec<char> = body.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if !mask[i] {
                out.push(c);
                continue;
            }
            match c {
                // A duration (`12 months`) takes only spaces.
                ' ' if i > 0 && chars[i - 1].is_ascii_digit() => out.push_str("  "),
                ' ' => out.push_str(" \t"),
                '(' => out.push_str("( "),
                ')' => out.push_str(" )"),
                ',' => out.push_str(" ,"),
                _ => out.push(c),
            }
        }
        out.push_str("  \r\n");
    }
    out.push_str("\r\n\r\n");
    out
}

#[test]
fn shipped_policies_are_in_the_canonical_layout() {
    for path in SHIPPED {
        let text = read(path);
        let once = fmt(path, &text);
        assert_eq!(once, text, "{path} is not in the canonical layout");
        assert_eq!(
            fmt(path, &once),
            once,
            "{path}: formatting twice changes it"
        );
    }
}

#[test]
fn a_badly_laid_out_policy_formats_back_with_the_same_meaning() {
    for path in SHIPPED {
        let text = read(path);
        let bad = mangle(&text);
        assert_ne!(bad, text);
        assert_eq!(
            meaning(path, &bad),
            meaning(path, &text),
            "{path}: mangling is valid"
        );
        let formatted = fmt(path, &bad);
        assert_eq!(formatted, text, "{path}");
        assert_eq!(fmt(path, &formatted), formatted, "{path}: idempotent");
        let m = meaning(path, &formatted);
        assert_eq!(m, meaning(path, &text), "{path}: same meaning");
        if checks_on_its_own(path) {
            assert!(
                m.contains("Indicator {"),
                "{path}: the checked policy is compared"
            );
        }
    }
}

/// Every figure of June 2022 over the example data, one line per row.
fn figures(text: &str) -> String {
    let loaded = zhibiao::workspace::load_source(SourceFile::new("policies/jiading-2022.zb", text));
    let policy = Arc::new(loaded.checked.policy.expect("checks"));
    let plan = zhibiao::plan::compile(policy);
    let period = zhibiao::period::Period::parse("2022-06").expect("period");
    let opts = zhibiao::eval::Options::default();
    let r = zhibiao::eval::eval(
        &plan,
        &*zhibiao::data::source::files(Path::new("examples/data")),
        &period,
        &opts,
    )
    .expect("eval");
    zhibiao::render::flat(&r)
        .iter()
        .map(|x| {
            format!(
                "{} {} {:?} {:?} {:?}",
                x.indicator, x.department, x.numerator, x.denominator, x.value
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn formatting_keeps_the_jiading_figures() {
    let text = read("policies/jiading-2022.zb");
    let formatted = fmt("policies/jiading-2022.zb", &mangle(&text));
    let (a, b) = (figures(&text), figures(&formatted));
    assert!(a.lines().count() > 100, "{a}");
    assert_eq!(a, b);
}

// ------------------------------------------------------------------ random edits

/// Layout edits that keep a file's meaning and, but for the comments they
/// add, its canonical layout.
#[derive(Debug, Clone)]
struct Edits {
    file: usize,
    /// A `// zO…` line before a comment line or a line after a blank line.
    own: Vec<usize>,
    /// A `// zT…` at the end of a line of code.
    trailing: Vec<usize>,
    /// The spaces between words of a line, each replaced by some of ` `, tab, `　`.
    respace: Vec<(usize, Vec<u8>)>,
    /// A line's indent replaced.
    indent: Vec<(usize, usize)>,
    /// One more blank (or blank-looking) line where there is one.
    blanks: Vec<usize>,
    trailing_spaces: Vec<usize>,
    crlf: bool,
}

fn edits() -> impl Strategy<Value = Edits> {
    use proptest::collection::vec;
    (
        0..SHIPPED.len(),
        vec(any::<usize>(), 0..4),
        vec(any::<usize>(), 0..4),
        vec((any::<usize>(), vec(0u8..3, 1..4)), 0..8),
        vec((any::<usize>(), 0usize..9), 0..8),
        vec(any::<usize>(), 0..4),
        vec(any::<usize>(), 0..4),
        any::<bool>(),
    )
        .prop_map(
            |(file, own, trailing, respace, indent, blanks, trailing_spaces, crlf)| Edits {
                file,
                own,
                trailing,
                respace,
                indent,
                blanks,
                trailing_spaces,
                crlf,
            },
        )
}

/// The `n`th (mod their count) of the lines for which `ok` holds.
fn pick(lines: &[&str], n: usize, ok: impl Fn(usize) -> bool) -> Option<usize> {
    let eligible: Vec<usize> = (0..lines.len()).filter(|&i| ok(i)).collect();
    (!eligible.is_empty()).then(|| eligible[n % eligible.len()])
}

fn ws(codes: &[u8]) -> String {
    codes
        .iter()
        .map(|c| match c {
            0 => ' ',
            1 => '\t',
            _ => '\u{3000}',
        })
        .collect()
}

/// The edited text, and for each `// zO…` comment the line it stands before.
fn apply(text: &str, e: &Edits) -> (String, Vec<(String, String)>) {
    let lines: Vec<&str> = text.lines().collect();
    let blank = |i: usize| lines[i].trim().is_empty();
    let comment = |i: usize| lines[i].trim_start().starts_with("//");
    let own: Vec<usize> = e
        .own
        .iter()
        .filter_map(|&n| {
            pick(&lines, n, |i| {
                comment(i) || (i > 0 && blank(i - 1) && !blank(i))
            })
        })
        .collect();
    let trailing: Vec<usize> = e
        .trailing
        .iter()
        .filter_map(|&n| pick(&lines, n, |i| !blank(i) && !lines[i].contains("//")))
        .collect();
    let blanks: Vec<usize> = e
        .blanks
        .iter()
        .filter_map(|&n| pick(&lines, n, blank))
        .collect();
    let count = |v: &[usize], i: usize| v.iter().filter(|&&x| x == i).count();
    let mut out: Vec<String> = Vec::new();
    let mut markers = Vec::new();
    let mut id = 0;
    for (i, line) in lines.iter().enumerate() {
        for _ in 0..count(&own, i) {
            id += 1;
            let m = format!("// zO{id}");
            out.push(format!("{}{m}", " ".repeat(id % 4)));
            markers.push((m, line.trim().to_string()));
        }
        let indent_len = line.len() - line.trim_start().len();
        let mut body = line[indent_len..].to_string();
        let runs: Vec<&Vec<u8>> = e
            .respace
            .iter()
            .filter(|(n, _)| n % lines.len() == i)
            .map(|(_, w)| w)
            .collect();
        if !runs.is_empty() {
            let mask = code_mask(&body);
            let chars: Vec<char> = body.chars().collect();
            let mut s = String::new();
            let mut k = 0;
            for (j, &c) in chars.iter().enumerate() {
                if c == ' ' && mask[j] {
                    if j > 0 && chars[j - 1] == ' ' && mask[j - 1] {
                        continue;
                    }
                    let w = runs[k % runs.len()];
                    k += 1;
                    // A duration (`12 months`) takes only spaces.
                    if j > 0 && chars[j - 1].is_ascii_digit() {
                        s.push_str(&" ".repeat(w.len()));
                    } else {
                        s.push_str(&ws(w));
                    }
                } else {
                    s.push(c);
                }
            }
            body = s;
        }
        let indent = e
            .indent
            .iter()
            .rev()
            .find(|(n, _)| n % lines.len() == i)
            .map_or(line[..indent_len].to_string(), |(_, k)| {
                format!("{}{}", "\t".repeat(k % 2), " ".repeat(*k))
            });
        let mut l = format!("{indent}{body}");
        if trailing.contains(&i) {
            id += 1;
            l.push_str(&format!(" // zT{id}"));
        }
        if e.trailing_spaces.iter().any(|n| n % lines.len() == i) {
            l.push_str(" \t ");
        }
        out.push(l);
        for k in 0..count(&blanks, i) {
            out.push(" ".repeat(k));
        }
    }
    let nl = if e.crlf { "\r\n" } else { "\n" };
    let mut s = out.join(nl);
    s.push_str(nl);
    (s, markers)
}

/// The formatted text without the comments the edits added, and the
/// markers in the order they appear.
fn without_markers(text: &str) -> (String, Vec<String>) {
    let mut kept = Vec::new();
    let mut found = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("// zO") {
            found.push(t.to_string());
            continue;
        }
        match line.find(" // zT") {
            Some(at) => {
                found.push(line[at + 1..].to_string());
                kept.push(line[..at].to_string());
            }
            None => kept.push(line.to_string()),
        }
    }
    let mut s = kept.join("\n");
    s.push('\n');
    (s, found)
}

fn number(marker: &str) -> usize {
    marker[5..].parse().unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Random spaces, tabs, indents, blank lines and comments: the output is
    /// the canonical layout of the original plus those comments, where they
    /// were written; formatting again changes nothing; the meaning is kept.
    #[test]
    fn layout_edits_and_comments_format_to_the_original_plus_the_comments(e in edits()) {
        let path = SHIPPED[e.file];
        let original = read(path);
        let canonical = fmt(path, &original);
        let (edited, own) = apply(&original, &e);
        let out = fmt(path, &edited);
        prop_assert_eq!(&fmt(path, &out), &out, "not idempotent");

        let (stripped, found) = without_markers(&out);
        prop_assert_eq!(&stripped, &canonical, "differs from the original but for the comments");
        let written = edited.matches("// zO").count() + edited.matches("// zT").count();
        prop_assert_eq!(found.len(), written, "every comment once");
        let numbers: Vec<usize> = found.iter().map(|m| number(m)).collect();
        let mut sorted = numbers.clone();
        sorted.sort_unstable();
        prop_assert_eq!(&numbers, &sorted, "comments in the order written");
        // Each own-line comment still stands before the line it was written before.
        let lines: Vec<&str> = out.lines().collect();
        for (marker, before) in &own {
            let at = lines.iter().position(|l| l.trim() == marker).expect("marker");
            let next = lines[at + 1..]
                .iter()
                .find(|l| !l.trim().starts_with("// zO"))
                .map(|l| l.trim())
                .unwrap_or("");
            prop_assert!(next.starts_with(before.as_str()), "{} before `{}`, not `{}`", marker, before, next);
        }
        prop_assert_eq!(meaning(path, &out), meaning(path, &original));
    }
}

// ------------------------------------------------------------------ command line

#[test]
fn fmt_check_names_a_badly_laid_out_file_and_fmt_fixes_it() {
    let dir = fresh_dir("zhibiao-fmt-cli");
    let good = read("policies/jiading-2022.zb");
    std::fs::copy("policies/schema.yaml", dir.join("schema.yaml")).expect("schema");
    let file = dir.join("jiading.zb");
    std::fs::write(&file, mangle(&good)).expect("write");
    let slashes = good.matches("//").count();
    let d = dir.to_str().expect("utf-8 path");

    let o = zhibiao(&["fmt", "--check", d]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("jiading.zb"),
        "names the file: {}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("jiading.zb:1:"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        mangle(&good),
        "--check writes nothing"
    );

    let o = zhibiao(&["fmt", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("jiading.zb"), "names what it changed");
    let now = std::fs::read_to_string(&file).expect("read");
    assert_eq!(now.matches("//").count(), slashes, "every comment kept");
    assert_eq!(now, good);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");

    let o = zhibiao(&["fmt", "--check", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let o = zhibiao(&["fmt", d]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "", "nothing to change, nothing listed");
    let o = zhibiao(&["check", d]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_alone() {
    let dir = fresh_dir("zhibiao-fmt-broken");
    let file = dir.join("broken.zb");
    let text = "policy \"t\" {\n   version \"1\"\n}\nindicator X {\n";
    std::fs::write(&file, text).expect("write");
    let d = dir.to_str().expect("utf-8 path");
    for args in [vec!["fmt", d], vec!["fmt", "--check", d]] {
        let o = zhibiao(&args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("syntax error"), "{}", stderr(&o));
        assert_eq!(std::fs::read_to_string(&file).expect("read"), text);
    }
    let o = zhibiao(&["fmt", "--check", "no/such/folder"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_file_fmt_could_not_format_is_not_counted_as_formatted() {
    let dir = fresh_dir("zhibiao-fmt-count");
    let broken = "policy \"t\" {\n   version \"1\"\n}\nindicator X {\n";
    std::fs::write(dir.join("broken.zb"), broken).expect("write");
    std::fs::copy("policies/jiading-2022.zb", dir.join("good.zb")).expect("copy");
    let o = zhibiao(&["fmt", dir.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).lines().last(),
        Some("formatted 1 file(s): 0 changed; 1 could not be formatted (see above)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("broken.zb")).expect("read"),
        broken
    );
}

#[test]
fn the_shipped_folders_pass_fmt_check() {
    let o = zhibiao(&[
        "fmt",
        "--check",
        "policies",
        "examples/quality",
        "examples/amendments",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}
