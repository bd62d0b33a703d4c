//! `zhibiao fmt`: one canonical layout for a policy file, every comment kept.
//!
//! The layout is the one the shipped policies are written in:
//!
//! * one item per line: a header field, a declaration, an indicator's `cite`,
//!   `count`, rule, `let`, `value`, `target` …; `{` ends the line that opens a
//!   block (`policy "…" {`, `indicator ID "name" core {`, `numerator {`,
//!   `in HC3 {`), `}` stands alone; 2 spaces of indent per block;
//! * one space between words, none inside `( … )`, before `,`, around `.` and
//!   `..`, before `%` or between a function's name and its `(`;
//! * the author's line breaks inside an item are kept (a long condition stays
//!   broken where the clerk broke it), a break after `and`/`or` moves before
//!   it; a continuation line is indented 2 more than its item, or 4 per
//!   parenthesis still open at its start;
//! * a blank line between top-level declarations, except between one-line
//!   `departments`, `group` and `department of` lines, where the author's
//!   choice is kept; elsewhere at most one blank line, where the author left
//!   one between items (none after `{` or before `}`);
//! * comments stay where they were written: on their own line (indented as
//!   what follows them) or trailing a line, with the spaces written before
//!   them.
//!
//! Comments are not in the syntax tree (the grammar skips them), so the text
//! is read again as tokens and comments; the tree says only where each item
//! starts and which names are called. Every token is copied as written, so
//! the formatted text means the same; [`format`] checks that it does (same
//! syntax tree, same comments) before returning it.

use std::collections::HashSet;

use super::ast::*;
use super::{SyntaxError, parse};
use crate::source::SourceFile;

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FmtError {
    Syntax(Box<SyntaxError>),
    /// A safety net: the layout would have changed what the file says.
    Changed(Changed),
}

/// The layout of `file` would have changed what it says (said by the
/// catalogues: [`crate::words::Lang::fmt_changed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub file: String,
    pub what: Difference,
}

/// What the layout would have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    /// The text would no longer parse.
    NoLongerParses,
    /// Its syntax tree would differ.
    SyntaxTree,
    /// Its comments would differ.
    Comments,
}

impl Difference {
    pub const ALL: [Difference; 3] = [
        Difference::NoLongerParses,
        Difference::SyntaxTree,
        Difference::Comments,
    ];
}

/// The file in the canonical layout.
pub fn format(src: &SourceFile) -> Result<String, FmtError> {
    let ast = parse(src).map_err(FmtError::Syntax)?;
    let out = layout(&src.text, &ast);
    let changed = |what| {
        FmtError::Changed(Changed {
            file: src.name.clone(),
            what,
        })
    };
    let again = parse(&SourceFile::new(src.name.clone(), out.as_str()))
        .map_err(|_| changed(Difference::NoLongerParses))?;
    if shape(&again) != shape(&ast) {
        return Err(changed(Difference::SyntaxTree));
    }
    if comments(&out) != comments(&src.text) {
        return Err(changed(Difference::Comments));
    }
    Ok(out)
}

/// The syntax tree with every span left out: what a file says, not where.
pub fn shape(ast: &PolicyFile) -> String {
    strip_spans(&format!("{ast:?}"))
}

/// `Debug` output without its spans (`12..34`).
pub fn strip_spans(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if b[j..].starts_with(b"..") && b.get(j + 2).is_some_and(u8::is_ascii_digit) {
                let mut k = j + 2;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                out.push_str(&s[copied..i]);
                out.push('_');
                copied = k;
                i = k;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out.push_str(&s[copied..]);
    out
}

/// The comments of a policy text, in order (trailing spaces left out).
pub fn comments(text: &str) -> Vec<&str> {
    lex(text)
        .into_iter()
        .filter(|l| l.kind == Kind::Comment)
        .map(|l| l.text)
        .collect()
}

// ------------------------------------------------------------------ tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Num,
    Str,
    Punct,
    Comment,
}

#[derive(Debug, Clone, Copy)]
struct Lexeme<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    kind: Kind,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}' | '\u{FEFF}')
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || (!c.is_ascii() && !c.is_whitespace() && !is_space(c))
}

/// Words after which `-5` is a signed number, not a subtraction.
fn before_signed(prev: Option<&Lexeme>) -> bool {
    match prev {
        None => true,
        Some(p) => match p.kind {
            Kind::Word => matches!(p.text, "in" | "max"),
            Kind::Punct => !matches!(p.text, ")" | "%"),
            Kind::Num | Kind::Str => false,
            Kind::Comment => true,
        },
    }
}

fn digits(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// A number's end: digits, then `.` and digits.
fn number_end(b: &[u8], i: usize) -> usize {
    let j = digits(b, i);
    if j < b.len() && b[j] == b'.' && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        digits(b, j + 1)
    } else {
        j
    }
}

/// Tokens and comments, in order. Whitespace is dropped; every other byte
/// belongs to one lexeme.
fn lex(text: &str) -> Vec<Lexeme<'_>> {
    let b = text.as_bytes();
    let mut out: Vec<Lexeme> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_space(c) {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let prev = out.iter().rev().find(|l| l.kind != Kind::Comment);
        let (end, kind) = if text[i..].starts_with("//") {
            let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
            (end, Kind::Comment)
        } else if c == '"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' && b[j] != b'\n' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            ((j + 1).min(b.len()), Kind::Str)
        } else if c.is_ascii_digit() {
            let date = b.len() >= i + 10
                && b[i..i + 10].iter().enumerate().all(|(k, x)| {
                    if k == 4 || k == 7 {
                        *x == b'-'
                    } else {
                        x.is_ascii_digit()
                    }
                });
            if date {
                (i + 10, Kind::Num)
            } else {
                (number_end(b, i), Kind::Num)
            }
        } else if c == '-' && b.get(i + 1).is_some_and(u8::is_ascii_digit) && before_signed(prev) {
            (number_end(b, i + 1), Kind::Num)
        } else if is_word(c) {
            let mut j = i;
            while let Some(d) = text[j..].chars().next().filter(|d| is_word(*d)) {
                j += d.len_utf8();
            }
            (j, Kind::Word)
        } else if [">=", "<=", "!=", ".."]
            .iter()
            .any(|p| text[i..].starts_with(p))
        {
            (i + 2, Kind::Punct)
        } else {
            (i + c.len_utf8(), Kind::Punct)
        };
        // Strings may hold a `\` before a multi-byte character: keep to boundaries.
        let mut end = end.min(b.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut t = &text[start..end];
        if kind == Kind::Comment {
            t = t.trim_end();
        }
        out.push(Lexeme {
            text: t,
            start,
            end,
            kind,
        });
        i = end;
    }
    out
}

// ------------------------------------------------------------------ what the tree says

/// Where an item starts, found from a span inside it.
enum Anchor {
    /// At the token starting here.
    At(usize),
    /// At the token before the one starting here (the keyword before a name).
    Before(usize),
    /// `value = …`: before the `=` before the expression starting here.
    Value(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Top {
    Header,
    /// `departments`, `group`, `department of`: one-line lists.
    List,
    /// `scope`, `define`, `indicator`, `in … { }`.
    Block,
}

#[derive(Default)]
struct Marks {
    items: Vec<(Anchor, Option<Top>)>,
    calls: HashSet<usize>,
}

impl Marks {
    fn at(&mut self, a: Anchor) {
        self.items.push((a, None));
    }
    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Or(v) | ExprKind::And(v) => v.iter().for_each(|x| self.expr(x)),
            ExprKind::Not(x) => self.expr(x),
            ExprKind::Cmp(a, _, b) | ExprKind::Arith(a, _, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::IsEmpty { expr, .. } => self.expr(expr),
            ExprKind::In { expr, list, .. } => {
                self.expr(expr);
                list.iter().for_each(|x| self.expr(x));
            }
            ExprKind::Call { name, args } => {
                self.calls.insert(name.span.start);
                args.iter().for_each(|x| self.expr(x));
            }
            ExprKind::Number(_)
            | ExprKind::Percent(_)
            | ExprKind::Str(_)
            | ExprKind::Date(_)
            | ExprKind::Bool(_)
            | ExprKind::Duration(..)
            | ExprKind::Path(_) => {}
        }
    }
    fn count(&mut self, c: &Count) {
        self.at(Anchor::At(c.span.start));
        if let Some(w) = &c.when {
            self.expr(w);
        }
    }
    fn rule(&mut self, r: &Rule) {
        self.at(Anchor::At(r.span.start));
        self.expr(&r.cond);
    }
    fn measure(&mut self, m: &Measure) {
        match m {
            Measure::Count { filter, .. } => filter.iter().for_each(|f| self.expr(f)),
            Measure::Agg { expr, filter, .. } => {
                self.expr(expr);
                filter.iter().for_each(|f| self.expr(f));
            }
            Measure::Lookup { filter, .. } => self.expr(filter),
        }
    }
    fn indicator_item(&mut self, it: &IndItem) {
        match it {
            IndItem::Cite(s) => self.at(Anchor::Before(s.span.start)),
            IndItem::Count(c) => self.count(c),
            IndItem::SideBlock {
                count, rules, span, ..
            } => {
                self.at(Anchor::At(span.start));
                if let Some(c) = count {
                    self.count(c);
                }
                rules.iter().for_each(|r| self.rule(r));
            }
            IndItem::Rule(r) => self.rule(r),
            IndItem::Restrict { cond, span, .. } => {
                self.at(Anchor::At(span.start));
                self.expr(cond);
            }
            IndItem::Let { name, measure } => {
                self.at(Anchor::Before(name.span.start));
                self.measure(measure);
            }
            IndItem::Value(e) => {
                self.at(Anchor::Value(e.span.start));
                self.expr(e);
            }
            IndItem::Target(t) => self.at(Anchor::At(t.span.start)),
            IndItem::Related { ids, .. } => {
                if let Some(first) = ids.first() {
                    self.at(Anchor::Before(first.span.start));
                }
            }
            IndItem::Over { span, .. }
            | IndItem::Report(_, span)
            | IndItem::Unit { span, .. }
            | IndItem::Rank { span, .. }
            | IndItem::Department { span, .. }
            | IndItem::Per { span, .. } => self.at(Anchor::At(span.start)),
            IndItem::Acknowledge(a) => self.at(Anchor::At(a.span.start)),
        }
    }
    fn of(ast: &PolicyFile) -> Marks {
        let mut m = Marks::default();
        m.items
            .push((Anchor::At(ast.header.span.start), Some(Top::Header)));
        for d in &ast.decls {
            let (anchor, top) = match d {
                Decl::Departments(ids) => match ids.first() {
                    Some(first) => (Anchor::Before(first.span.start), Top::List),
                    None => continue,
                },
                Decl::Group { name, .. } => (Anchor::Before(name.span.start), Top::List),
                Decl::Attribution { span, .. } => (Anchor::At(span.start), Top::List),
                Decl::Scope(s) => {
                    m.expr(&s.cond);
                    (Anchor::At(s.span.start), Top::Block)
                }
                Decl::Define(d) => {
                    m.expr(&d.expr);
                    (Anchor::At(d.span.start), Top::Block)
                }
                Decl::Indicator(ind) => {
                    ind.items.iter().for_each(|it| m.indicator_item(it));
                    (Anchor::At(ind.span.start), Top::Block)
                }
                Decl::Amend { items, span, .. } => {
                    for it in items {
                        match it {
                            AmendItem::Set(t) => m.at(Anchor::At(t.span.start)),
                            AmendItem::Remove(_, s) => m.at(Anchor::At(s.start)),
                            AmendItem::Acknowledge(a) => m.at(Anchor::At(a.span.start)),
                        }
                    }
                    (Anchor::At(span.start), Top::Block)
                }
            };
            m.items.push((anchor, Some(top)));
        }
        m
    }
}

// ------------------------------------------------------------------ layout

/// What lies between two tokens in the source.
#[derive(Default)]
struct Gap<'a> {
    comments: Vec<Note<'a>>,
    /// A line break somewhere in the gap.
    newline: bool,
    /// A blank line just before the token (after the last comment, if any).
    blank: bool,
}

#[derive(Clone, Copy)]
struct Note<'a> {
    text: &'a str,
    /// On the line of the token before it.
    trailing: bool,
    /// A blank line just before it.
    blank: bool,
    /// The spaces written before a trailing comment.
    pad: usize,
}

fn newlines(s: &str) -> usize {
    s.bytes().filter(|b| *b == b'\n').count()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The token starts an item: a new line at the block's indent.
    Item,
    /// `}`: a new line, one level out.
    Close,
    /// A line break the author made inside an item.
    Cont,
    /// The same line.
    Join,
}

const DUR_UNITS: &[&str] = &[
    "days", "day", "months", "month", "years", "year", "天", "个月", "年",
];

struct Out {
    s: String,
}

impl Out {
    fn end_line(&mut self) {
        if !self.s.is_empty() && !self.s.ends_with('\n') {
            self.s.push('\n');
        }
    }
    fn blank(&mut self) {
        if !self.s.is_empty() && !self.s.ends_with("\n\n") {
            self.s.push('\n');
        }
    }
    fn line(&mut self, indent: usize, text: &str) {
        self.end_line();
        self.s.extend(std::iter::repeat_n(' ', indent));
        self.s.push_str(text);
    }
}

fn layout(text: &str, ast: &PolicyFile) -> String {
    let lexemes = lex(text);
    let mut toks: Vec<Lexeme> = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    let mut end_gap = Gap::default();
    {
        let mut gap = Gap::default();
        let mut last_end = 0;
        let mut any_tok = false;
        for l in &lexemes {
            let between = &text[last_end..l.start];
            let nl = newlines(between);
            if l.kind == Kind::Comment {
                let trailing = nl == 0 && any_tok && gap.comments.is_empty();
                let pad = if between.chars().all(|c| c == ' ') {
                    between.len().max(1)
                } else {
                    1
                };
                gap.comments.push(Note {
                    text: l.text,
                    trailing,
                    blank: nl >= 2,
                    pad,
                });
                gap.newline |= nl > 0;
            } else {
                gap.newline |= nl > 0 || !gap.comments.is_empty();
                gap.blank = nl >= 2;
                gaps.push(std::mem::take(&mut gap));
                toks.push(*l);
                any_tok = true;
            }
            last_end = l.end;
        }
        end_gap.comments = gap.comments;
    }
    let n = toks.len();
    let index_at = |off: usize| toks.binary_search_by_key(&off, |t| t.start).ok();

    // Where items start, and what each top-level one is.
    let marks = Marks::of(ast);
    let mut item = vec![false; n];
    let mut top: Vec<Option<Top>> = vec![None; n];
    for (anchor, kind) in &marks.items {
        let idx = match *anchor {
            Anchor::At(o) => index_at(o),
            Anchor::Before(o) => index_at(o).and_then(|i| i.checked_sub(1)),
            Anchor::Value(o) => index_at(o).and_then(|mut i| {
                while i > 0 && toks[i - 1].text == "(" {
                    i -= 1;
                }
                if i > 0 && toks[i - 1].text == "=" {
                    i -= 1;
                }
                i.checked_sub(1)
            }),
        };
        if let Some(i) = idx {
            item[i] = true;
            if kind.is_some() {
                top[i] = *kind;
            }
        }
    }
    // Header fields are a keyword and one value each.
    if let Some(open) = toks.iter().position(|t| t.text == "{") {
        let fields = toks[open + 1..]
            .iter()
            .take_while(|t| t.text != "}")
            .count();
        for i in (open + 1..open + 1 + fields).step_by(2) {
            item[i] = true;
        }
    }
    // The items that open a block: their line runs to the `{`.
    let mut opener = vec![false; n];
    for i in 0..n {
        if item[i] {
            let mut j = i + 1;
            while j < n && !item[j] && toks[j].text != "}" && toks[j].text != "{" {
                j += 1;
            }
            opener[i] = j < n && toks[j].text == "{";
        }
    }
    // Line breaks as written, a break after `and`/`or` moved before it.
    let mut brk: Vec<bool> = gaps.iter().map(|g| g.newline).collect();
    for i in 2..n {
        let op = &toks[i - 1];
        if brk[i]
            && op.kind == Kind::Word
            && matches!(op.text, "and" | "or")
            && gaps[i].comments.is_empty()
            && !item[i]
            && !item[i - 1]
            && toks[i].text != "}"
        {
            brk[i] = false;
            brk[i - 1] = true;
        }
    }

    let mut out = Out { s: String::new() };
    let mut depth = 0usize;
    let mut paren = 0usize;
    let mut in_opener = false;
    let mut prev_top: Option<Top> = None;
    let mut pending: Vec<Note> = Vec::new();
    for i in 0..n {
        let t = toks[i];
        let prev = i.checked_sub(1).map(|p| toks[p]);
        let after_open = prev.is_some_and(|p| p.text == "{");
        let mode = if i == 0 {
            Mode::Item
        } else if t.text == "}" {
            Mode::Close
        } else if after_open || item[i] {
            Mode::Item
        } else if t.text == "{" || in_opener || !brk[i] {
            Mode::Join
        } else {
            Mode::Cont
        };
        if mode == Mode::Join {
            pending.extend(gaps[i].comments.iter().copied());
            if let Some(p) = prev {
                out.s.push_str(sep(&p, &t, &marks.calls));
            }
            out.s.push_str(t.text);
        } else {
            let mut notes: Vec<Note> = std::mem::take(&mut pending);
            notes.extend(gaps[i].comments.iter().copied());
            let mut rest = &notes[..];
            if let Some(first) = notes.first().filter(|c| c.trailing && i > 0) {
                out.s.extend(std::iter::repeat_n(' ', first.pad));
                out.s.push_str(first.text);
                rest = &notes[1..];
            }
            if mode == Mode::Item {
                paren = 0;
            }
            let indent = match mode {
                Mode::Cont => {
                    let p = paren.saturating_sub(usize::from(t.text == ")"));
                    2 * depth + if p == 0 { 2 } else { 4 * p }
                }
                _ => 2 * depth,
            };
            let blanks = mode != Mode::Cont;
            let forced = mode == Mode::Item
                && depth == 0
                && i > 0
                && !(prev_top == Some(Top::List) && top[i] == Some(Top::List));
            let mut first = true;
            for c in rest {
                if blanks && !(first && after_open) && (c.blank || (first && forced)) {
                    out.end_line();
                    out.blank();
                }
                out.line(indent, c.text);
                first = false;
            }
            let indent = if mode == Mode::Close {
                depth = depth.saturating_sub(1);
                in_opener = false;
                2 * depth
            } else {
                indent
            };
            if blanks
                && mode != Mode::Close
                && !(first && after_open)
                && (gaps[i].blank || (first && forced))
            {
                out.end_line();
                out.blank();
            }
            out.line(indent, t.text);
            if mode == Mode::Item {
                in_opener = opener[i];
                if depth == 0 {
                    prev_top = top[i].or(Some(Top::Block));
                }
            }
        }
        match t.text {
            "(" => paren += 1,
            ")" => paren = paren.saturating_sub(1),
            "{" => {
                depth += 1;
                in_opener = false;
            }
            _ => {}
        }
    }
    let mut notes: Vec<Note> = std::mem::take(&mut pending);
    notes.extend(end_gap.comments.iter().copied());
    let mut rest = &notes[..];
    if let Some(first) = notes.first().filter(|c| c.trailing && n > 0) {
        out.s.extend(std::iter::repeat_n(' ', first.pad));
        out.s.push_str(first.text);
        rest = &notes[1..];
    }
    for c in rest {
        if c.blank {
            out.end_line();
            out.blank();
        }
        out.line(0, c.text);
    }
    out.end_line();
    out.s
}

/// The space between two tokens on one line.
fn sep(prev: &Lexeme, t: &Lexeme, calls: &HashSet<usize>) -> &'static str {
    let punct = |l: &Lexeme, set: &[&str]| l.kind == Kind::Punct && set.contains(&l.text);
    let tight = punct(t, &[",", ")", ".", "..", "%"])
        || punct(prev, &["(", ".", ".."])
        // A function and its arguments: `any(…)`.
        || (punct(t, &["("]) && prev.kind == Kind::Word && calls.contains(&prev.start))
        // A duration as written: `12个月`.
        || (prev.kind == Kind::Num
            && t.kind == Kind::Word
            && prev.end == t.start
            && DUR_UNITS.contains(&t.text));
    if tight { "" } else { " " }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format(&SourceFile::new("t.zb", s)).expect("formats")
    }

    #[test]
    fn strips_spans() {
        assert_eq!(
            strip_spans("a @12..34, span: 0..5, 1.5"),
            "a @_, span: _, 1.5"
        );
    }

    #[test]
    fn lays_out_a_messy_file() {
        let messy = "// top\npolicy \"t\"{document \"d\" version \"1\"\n effective 2024-01-01 }\n\
            departments a,b\ngroup g=a , b\n\n\n\
            define x on cases = f (y)and z // why\n   or w\n\
            indicator I \"i\" core\n{ count cases by filed_on\n\n\n\
            target g >=-5 原则上\n   value = ( a+b )*2 }\n";
        let want = "// top\npolicy \"t\" {\n  document \"d\"\n  version \"1\"\n  effective 2024-01-01\n}\n\n\
            departments a, b\ngroup g = a, b\n\n\
            define x on cases = f(y) and z // why\n  or w\n\n\
            indicator I \"i\" core {\n  count cases by filed_on\n\n\
            \x20 target g >= -5 原则上\n  value = (a + b) * 2\n}\n";
        assert_eq!(fmt(messy), want);
        assert_eq!(fmt(want), want);
    }
}
