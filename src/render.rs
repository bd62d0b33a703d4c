//! Eval reports as a human table, JSON, CSV and Markdown.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::eval::{COURT, Figure, IndicatorResult, Report, TargetResult};
use crate::words::{Lang, ReportHeader, Term};

/// Percent with two decimals, or `—` when undefined.
pub fn pct(v: Option<f64>) -> String {
    value_text(crate::vocab::Unit::Percent, v)
}

/// A value with its unit (`71.94%`, `71.6 天`), or `—` when undefined.
pub fn value_text(unit: crate::vocab::Unit, v: Option<f64>) -> String {
    match v {
        Some(x) => unit.show(x),
        None => "—".into(),
    }
}

/// `▲ ` over a limit, `▼ ` below a target, nothing when every target is met.
fn miss_mark(f: &Figure) -> &'static str {
    use crate::ir::Miss;
    if f.targets.iter().any(|t| t.miss == Some(Miss::Above)) {
        "▲ "
    } else if f.missed() {
        "▼ "
    } else {
        ""
    }
}

/// A missed target as a chase list writes it: `≥60`, `≤3`, `in 95–105`.
fn target_bound(t: &TargetResult) -> String {
    let n = crate::eval::fmt_target;
    match (t.op.as_str(), t.upper) {
        (_, Some(hi)) => format!("{}–{}", n(t.value), n(hi)),
        (">=", _) => format!("≥{}", n(t.value)),
        ("<=", _) => format!("≤{}", n(t.value)),
        (op, _) => format!("{op}{}", n(t.value)),
    }
}

fn count(v: Option<f64>) -> String {
    match v {
        Some(x) if x.fract() == 0.0 => format!("{}", x as i64),
        Some(x) => format!("{x:.2}"),
        None => String::new(),
    }
}

pub fn target_text(t: &TargetResult) -> String {
    let op = match t.op.as_str() {
        ">=" => "≥",
        "<=" => "≤",
        o => o,
    };
    let mark = match t.met {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "·",
    };
    let owner = t
        .owner
        .as_ref()
        .map(|o| format!(" ({o})"))
        .unwrap_or_default();
    let bound = match t.upper {
        Some(hi) => format!(
            "{}–{}",
            crate::eval::fmt_target(t.value),
            crate::eval::fmt_target(hi)
        ),
        None => format!("{op}{}", crate::eval::fmt_target(t.value)),
    };
    format!("{bound}{owner} {mark}")
}

fn dept_label(d: &str, lang: Lang) -> &str {
    if d == COURT {
        lang.term(Term::Court)
    } else {
        d
    }
}

/// Pad to a display width (CJK characters are two columns wide).
pub fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn pad_left(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{}{s}", " ".repeat(width.saturating_sub(w)))
}

/// The width of the terminal report when nothing says otherwise.
pub const DEFAULT_WIDTH: usize = 80;
/// The narrowest report: a department, a value and a target side by side.
pub const MIN_WIDTH: usize = 40;

/// Display width: CJK characters are two columns wide.
pub fn width_of(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Punctuation that may not start a line (it belongs to what precedes it).
fn closes(c: char) -> bool {
    "，。、；：！？）」』》】〕”’,.;:!?)]}%".contains(c)
}

/// Punctuation that may not end a line (it belongs to what follows it).
fn opens(c: char) -> bool {
    "（「『《【〔“‘([{".contains(c)
}

/// The longest head of `word` no wider than `room` that ends where a Chinese
/// line may break: beside a CJK character, never before closing or after
/// opening punctuation, never inside a run of other characters. `""` when
/// none fits.
fn cjk_head(word: &str, room: usize) -> &str {
    let mut best = 0;
    let mut w = 0;
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if let Some(p) = prev {
            let wide = char_width(p) > 1 || char_width(c) > 1;
            if wide && !closes(c) && !opens(p) && w <= room {
                best = i;
            }
        }
        w += char_width(c);
        prev = Some(c);
    }
    if w <= room { word } else { &word[..best] }
}

/// The longest head of `word` no wider than `room`, cut anywhere (a word
/// wider than a whole line); at least one character.
fn hard_head(word: &str, room: usize) -> &str {
    let mut w = 0;
    for (i, c) in word.char_indices() {
        w += char_width(c);
        if w > room && i > 0 {
            return &word[..i];
        }
    }
    word
}

/// A space [`wrap`] never breaks at (it prints as a space).
pub const NO_BREAK: char = '\u{a0}';

/// `s` with its spaces made [`NO_BREAK`] ones: one unit for [`wrap`].
pub fn glued(s: &str) -> String {
    s.replace(' ', &NO_BREAK.to_string())
}

/// One line as lines of at most `width` columns: broken at spaces (never at
/// a [`NO_BREAK`] one), a word wider than a line broken between CJK
/// characters. The leading spaces are kept, and each continuation line is
/// indented `hang` columns more.
pub fn wrap(line: &str, width: usize, hang: usize) -> Vec<String> {
    if width_of(line) <= width {
        return vec![line.replace(NO_BREAK, " ")];
    }
    let body = line.trim_start_matches(' ');
    let lead = line.len() - body.len();
    let indent = " ".repeat((lead + hang).min(width / 2));
    let mut lines = Vec::new();
    let mut cur = line[..lead].to_string();
    let mut cur_w = lead;
    // Nothing but the indent on the line yet.
    let mut fresh = true;
    // A glued unit wider than a line breaks at its own spaces first.
    let words = body.split(' ').flat_map(|w| {
        if indent.len() + width_of(w) > width {
            w.split(NO_BREAK).collect::<Vec<_>>()
        } else {
            vec![w]
        }
    });
    for word in words {
        let ww = width_of(word);
        let gap = usize::from(!fresh);
        if cur_w + gap + ww <= width {
            if !fresh {
                cur.push(' ');
            }
            cur.push_str(word);
            cur_w += gap + ww;
            fresh = false;
            continue;
        }
        if word.is_empty() {
            continue;
        }
        if !fresh && indent.len() + ww <= width {
            lines.push(std::mem::replace(&mut cur, indent.clone()));
            cur.push_str(word);
            cur_w = indent.len() + ww;
            continue;
        }
        // A word wider than a line: fill lines with it.
        let mut rest = word;
        while !rest.is_empty() {
            let gap = usize::from(!fresh);
            let room = width.saturating_sub(cur_w + gap);
            let mut head = cjk_head(rest, room);
            if head.is_empty() && !fresh {
                lines.push(std::mem::replace(&mut cur, indent.clone()));
                cur_w = indent.len();
                fresh = true;
                continue;
            }
            if head.is_empty() {
                head = hard_head(rest, room);
            }
            if !fresh {
                cur.push(' ');
            }
            cur.push_str(head);
            cur_w += gap + width_of(head);
            fresh = false;
            rest = &rest[head.len()..];
            if !rest.is_empty() {
                lines.push(std::mem::replace(&mut cur, indent.clone()));
                cur_w = indent.len();
                fresh = true;
            }
        }
    }
    lines.push(cur);
    lines
        .iter()
        .map(|l| l.trim_end().replace(NO_BREAK, " "))
        .collect()
}

/// Render rows as an aligned table; `right` marks right-aligned columns.
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    table_fit(header, rows, right, usize::MAX)
}

/// An aligned table no wider than `width` where it can be: the last column
/// (notes, reasons) wraps within its place, its continuation lines under it.
pub fn table_fit(header: &[&str], rows: &[Vec<String>], right: &[bool], width: usize) -> String {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| width_of(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(width_of(c));
        }
    }
    // Where the last column starts: the indent, the others and their gaps.
    let last = n.saturating_sub(1);
    let start = 2 + widths[..last].iter().map(|w| w + 2).sum::<usize>();
    // Too little room beside the others: the last column goes under its row.
    let under = width.saturating_sub(start) < 16 && widths[last] > width.saturating_sub(start);
    let (start, room) = if under {
        (4, width.saturating_sub(4))
    } else {
        (start, width.saturating_sub(start))
    };
    widths[last] = if under { 0 } else { widths[last].min(room) };
    let line = |cells: Vec<&str>| -> Vec<String> {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .take(last)
            .map(|(i, c)| {
                if right.get(i).copied().unwrap_or(false) {
                    pad_left(c, widths[i])
                } else {
                    pad(c, widths[i])
                }
            })
            .collect();
        let tail = cells.get(last).copied().unwrap_or("");
        let mut out = Vec::new();
        for (k, piece) in wrap(tail, room, 0).into_iter().enumerate() {
            let row = if k == 0 && under {
                out.push(format!("  {}", parts.join("  ")).trim_end().to_string());
                format!("{}{piece}", " ".repeat(start))
            } else if k == 0 {
                let mut p = parts.clone();
                p.push(piece);
                format!("  {}", p.join("  "))
            } else {
                format!("{}{piece}", " ".repeat(start))
            };
            out.push(row.trim_end().to_string());
        }
        out
    };
    let mut out = line(header.to_vec());
    out.push(
        format!(
            "  {}",
            widths
                .iter()
                .filter(|w| **w > 0)
                .map(|w| "─".repeat(*w))
                .collect::<Vec<_>>()
                .join("  ")
        )
        .trim_end()
        .to_string(),
    );
    for r in rows {
        out.extend(line(r.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

fn header_line(r: &Report, lang: Lang, period: &str) -> String {
    lang.report_header(&ReportHeader {
        document: &r.policy.document,
        title: &r.policy.title,
        version: &r.policy.version,
        effective: &r.policy.effective.to_string(),
        period,
    })
}

fn figure_row(ind: &IndicatorResult, f: &Figure, lang: Lang) -> Vec<String> {
    let mark = miss_mark(f);
    // A count's value is its numerator: the columns would only repeat it.
    let counted = ind.unit != crate::vocab::Unit::Count;
    vec![
        dept_label(&f.department, lang).to_string(),
        if counted {
            count(f.numerator)
        } else {
            String::new()
        },
        if counted {
            count(f.denominator)
        } else {
            String::new()
        },
        format!("{mark}{}", value_text(ind.unit, f.value)),
        f.targets
            .iter()
            .map(target_text)
            .collect::<Vec<_>>()
            .join("; "),
        remark(f, lang),
    ]
}

/// Why a value is undefined, or which default stood in for it.
fn remark(f: &Figure, lang: Lang) -> String {
    lang.remark(f.undefined_reason.as_ref(), &f.notes)
}

/// Notes under a department that misses a target: its related and derived-from
/// indicators' values there, so the report says where to push. Each
/// indicator's item is [`glued`]: print it through [`wrap`], or replace
/// [`NO_BREAK`] with a space.
pub fn follow_ups(r: &Report, ind: &IndicatorResult, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for f in &ind.figures {
        if !f.missed() {
            continue;
        }
        let mut parts = Vec::new();
        for (kind, list) in [
            (lang.term(Term::DerivedFrom), &ind.derived_from),
            (lang.term(Term::Related), &ind.related),
        ] {
            let mut items = Vec::new();
            for code in list {
                let Some(other) = r.indicator(code) else {
                    continue;
                };
                let Some(of) = other.figure(&f.department) else {
                    continue;
                };
                let t: Vec<String> = of.targets.iter().map(target_text).collect();
                // One item breaks across lines only when wider than one.
                items.push(glued(&format!(
                    "{} {} {}{}",
                    other.indicator,
                    other.name,
                    value_text(other.unit, of.value),
                    if t.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", t.join("; "))
                    }
                )));
            }
            if !items.is_empty() {
                parts.push(format!("{kind}: {}", items.join(", ")));
            }
        }
        if !parts.is_empty() {
            out.push(format!(
                "{} {} — {}",
                dept_label(&f.department, lang),
                value_text(ind.unit, f.value),
                parts.join(" — ")
            ));
        }
    }
    out
}

/// The terminal report, fitted to `width` columns (display width): long
/// lines break at spaces (a Chinese run between characters), continuation
/// lines indented under their line.
pub fn human(r: &Report, width: usize, lang: Lang) -> String {
    // The period and its days stay on one line.
    // The period and its days stay on one line.
    let period = format!(
        "{} {}",
        lang.label(crate::words::Label::Period),
        r.period.describe()
    );
    let header = header_line(r, lang, &r.period.describe()).replace(&period, &glued(&period));
    let mut out = wrap(&header, width, 2);
    if let Some(by) = &r.counted_by {
        out.extend(wrap(&lang.counted_by(by), width, 2));
    }
    out.push(String::new());
    for w in &r.warnings {
        out.extend(wrap(
            &format!("{}: {}", lang.term(Term::Warning), lang.warning(w)),
            width,
            2,
        ));
    }
    for ind in &r.indicators {
        let core = if ind.core {
            format!(" [{}]", lang.term(Term::Core))
        } else {
            String::new()
        };
        let cite = ind
            .cite
            .as_ref()
            .map(|c| format!(" — {c}"))
            .unwrap_or_default();
        // An id that is the name itself (`结收比`) is printed once.
        let title = if ind.indicator == ind.name {
            ind.name.clone()
        } else {
            format!("{} {}", ind.indicator, ind.name)
        };
        out.extend(wrap(&format!("{title}{core}{cite}"), width, 2));
        let mut rows: Vec<Vec<String>> = ind
            .figures
            .iter()
            .map(|f| figure_row(ind, f, lang))
            .collect();
        if ind.figures.iter().any(|f| f.rank.is_some()) {
            for (row, f) in rows.iter_mut().zip(&ind.figures) {
                row.insert(4, f.rank.map(|r| r.to_string()).unwrap_or_default());
            }
            out.push(table_fit(
                &["部门", "分子", "分母", "值", "排名", "目标", ""],
                &rows,
                &[false, true, true, true, true, false, false],
                width,
            ));
        } else {
            out.push(table_fit(
                &["部门", "分子", "分母", "值", "目标", ""],
                &rows,
                &[false, true, true, true, false, false],
                width,
            ));
        }
        if let Some(per) = &ind.per {
            out.push(format!("  按 {} (per {}):", per.by, per.by));
            let rows: Vec<Vec<String>> = per
                .figures
                .iter()
                .map(|f| {
                    vec![
                        match f.department.as_str() {
                            "" => lang.blank().to_string(),
                            v => v.to_string(),
                        },
                        count(f.numerator),
                        count(f.denominator),
                        value_text(ind.unit, f.value),
                        f.rank.map(|r| r.to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            let header = [per.by.as_str(), "分子", "分母", "值", "排名"];
            let n = if per.figures.iter().any(|f| f.rank.is_some()) {
                5
            } else {
                4
            };
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|mut r| {
                    r.truncate(n);
                    r
                })
                .collect();
            out.push(
                table_fit(
                    &header[..n],
                    &rows,
                    &[false, true, true, true, true],
                    width.saturating_sub(2),
                )
                .lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
            );
        }
        if let Some(m) = ind.figure(COURT).and_then(|f| f.measures.as_ref()) {
            let list: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    // A measure stays on one line with its value.
                    glued(&format!(
                        "{k} {}",
                        v.map_or("—".to_string(), crate::eval::fmt_target)
                    ))
                })
                .collect();
            out.extend(wrap(
                &format!("  {}: {}", lang.term(Term::Measures), list.join(", ")),
                width,
                2,
            ));
        }
        for note in follow_ups(r, ind, lang) {
            out.extend(wrap(&format!("  ↳ {note}"), width, 2));
        }
        out.push(String::new());
    }
    let missed: usize = r
        .indicators
        .iter()
        .flat_map(|i| &i.figures)
        .filter(|f| f.missed())
        .count();
    let chase = below_target(r);
    if !chase.is_empty() {
        out.push(lang.term(Term::BelowTarget).into());
        for (dept, items) in &chase {
            out.extend(wrap(
                &format!(
                    "  {}: {}",
                    dept_label(dept, lang),
                    items
                        .iter()
                        .map(|i| glued(i))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                width,
                2,
            ));
        }
        out.push(String::new());
    }
    let above = r
        .indicators
        .iter()
        .flat_map(|i| &i.figures)
        .any(|f| miss_mark(f) == "▲ ");
    let legend = lang.legend(missed, above);
    out.extend(wrap(&legend, width, 2));
    out.join("\n") + "\n"
}

/// The targets missed, department by department (the court last), for chasing:
/// `HC11 单套制归档改革覆盖率 84.85% (=100)`.
pub fn below_target(r: &Report) -> Vec<(String, Vec<String>)> {
    let mut by: Vec<(String, Vec<String>)> = Vec::new();
    for ind in &r.indicators {
        for f in ind.figures.iter().filter(|f| f.missed()) {
            let missed: Vec<String> = f
                .targets
                .iter()
                .filter(|t| t.met == Some(false))
                .map(|t| {
                    let b = target_bound(t);
                    // Keep `=100` as the document writes it.
                    if t.op == "=" {
                        format!("={}", crate::eval::fmt_target(t.value))
                    } else {
                        b
                    }
                })
                .collect();
            let item = format!(
                "{} {} {} ({})",
                ind.indicator,
                ind.name,
                value_text(ind.unit, f.value),
                missed.join(", ")
            );
            match by.iter_mut().find(|(d, _)| *d == f.department) {
                Some((_, v)) => v.push(item),
                None => by.push((f.department.clone(), vec![item])),
            }
        }
    }
    // Departments in the order the report lists them, the court last.
    let mut order: Vec<&str> = Vec::new();
    for f in r.indicators.iter().flat_map(|i| &i.figures) {
        if !order.contains(&f.department.as_str()) {
            order.push(&f.department);
        }
    }
    by.sort_by_key(|(d, _)| (d == COURT, order.iter().position(|o| o == d)));
    by
}

pub fn markdown(r: &Report, lang: Lang) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = vec![
        format!("# {}", esc(&header_line(r, lang, &r.period.describe()))),
        String::new(),
    ];
    for ind in &r.indicators {
        let core = if ind.core { "（核心）" } else { "" };
        out.push(format!("## {} {}{core}", ind.indicator, esc(&ind.name)));
        out.push(String::new());
        // Why a value is undefined (or what stood in for it), where any is.
        let remarks = ind.figures.iter().any(|f| !remark(f, lang).is_empty());
        if remarks {
            out.push("| 部门 | 分子 | 分母 | 值 | 目标 | 说明 |".into());
            out.push("|---|---:|---:|---:|---|---|".into());
        } else {
            out.push("| 部门 | 分子 | 分母 | 值 | 目标 |".into());
            out.push("|---|---:|---:|---:|---|".into());
        }
        for f in &ind.figures {
            let v = if f.missed() {
                format!("**{}{}**", miss_mark(f), value_text(ind.unit, f.value))
            } else {
                value_text(ind.unit, f.value)
            };
            let remark = if remarks {
                format!(" {} |", esc(&remark(f, lang)))
            } else {
                String::new()
            };
            out.push(format!(
                "| {} | {} | {} | {} | {} |{remark}",
                esc(dept_label(&f.department, lang)),
                count(f.numerator),
                count(f.denominator),
                v,
                esc(&f
                    .targets
                    .iter()
                    .map(target_text)
                    .collect::<Vec<_>>()
                    .join("; "))
            ));
        }
        let notes = follow_ups(r, ind, lang);
        if !notes.is_empty() {
            out.push(String::new());
            for n in notes {
                out.push(format!("- {}", esc(&n.replace(NO_BREAK, " "))));
            }
        }
        out.push(String::new());
    }
    let chase = below_target(r);
    if !chase.is_empty() {
        out.push("## 未达标部门 (below target)".into());
        out.push(String::new());
        for (dept, items) in &chase {
            out.push(format!(
                "- **{}**: {}",
                esc(dept_label(dept, lang)),
                esc(&items.join("; "))
            ));
        }
        out.push(String::new());
    }
    out.join("\n")
}

/// One flat row per (indicator, department or court).
#[derive(Debug, Serialize)]
pub struct FlatRow<'a> {
    pub indicator: &'a str,
    pub name: &'a str,
    pub core: bool,
    pub department: &'a str,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub value: Option<f64>,
    pub unit: crate::vocab::Unit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// Why the value is undefined, in the language asked for.
    pub undefined_reason: Option<String>,
    /// The same as a typed value with a stable `kind`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<&'a crate::eval::why::Undefined>,
    pub targets: &'a [TargetResult],
    pub met: Option<bool>,
}

/// Every figure of a report, one row each (reasons in English).
pub fn flat(r: &Report) -> Vec<FlatRow<'_>> {
    flat_in(r, Lang::En)
}

/// Every figure of a report, one row each, its reasons in `lang`.
pub fn flat_in(r: &Report, lang: Lang) -> Vec<FlatRow<'_>> {
    let mut out = Vec::new();
    for ind in &r.indicators {
        for f in &ind.figures {
            let met = if f.targets.iter().any(|t| t.met.is_none()) || f.targets.is_empty() {
                None
            } else {
                Some(f.targets.iter().all(|t| t.met == Some(true)))
            };
            out.push(FlatRow {
                indicator: &ind.indicator,
                name: &ind.name,
                core: ind.core,
                department: &f.department,
                numerator: f.numerator,
                denominator: f.denominator,
                value: f.value,
                unit: ind.unit,
                rank: f.rank,
                undefined_reason: f.undefined_reason.as_ref().map(|u| lang.undefined(u)),
                undefined: f.undefined_reason.as_ref(),
                targets: &f.targets,
                met,
            });
        }
    }
    out
}

/// Under a department that misses a target: its related and derived-from
/// indicators' figures there (JSON form of the report's ↳ lines).
#[derive(Debug, Serialize)]
pub struct FollowUp {
    pub indicator: String,
    pub department: String,
    pub value: Option<f64>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub relation: &'static str,
    pub indicator: String,
    pub name: String,
    pub value: Option<f64>,
    pub met: Option<bool>,
}

pub fn follow_up_data(r: &Report) -> Vec<FollowUp> {
    let mut out = Vec::new();
    for ind in &r.indicators {
        for f in ind.figures.iter().filter(|f| f.missed()) {
            let mut links = Vec::new();
            for (relation, list) in [
                ("derived-from", &ind.derived_from),
                ("related", &ind.related),
            ] {
                for code in list {
                    let Some(other) = r.indicator(code) else {
                        continue;
                    };
                    let Some(of) = other.figure(&f.department) else {
                        continue;
                    };
                    let met = if of.targets.is_empty() || of.targets.iter().any(|t| t.met.is_none())
                    {
                        None
                    } else {
                        Some(of.targets.iter().all(|t| t.met == Some(true)))
                    };
                    links.push(Link {
                        relation,
                        indicator: other.indicator.clone(),
                        name: other.name.clone(),
                        value: of.value,
                        met,
                    });
                }
            }
            if !links.is_empty() {
                out.push(FollowUp {
                    indicator: ind.indicator.clone(),
                    department: f.department.clone(),
                    value: f.value,
                    links,
                });
            }
        }
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    format: &'static str,
    /// The language of the messages (`zh` or `en`); keys and kinds are English.
    language: &'static str,
    policy: &'a crate::eval::PolicyInfo,
    period: &'a crate::period::Period,
    results: Vec<FlatRow<'a>>,
    indicators: &'a [IndicatorResult],
    follow_ups: Vec<FollowUp>,
    /// The targets missed, department by department (the court last).
    below_target: Vec<serde_json::Value>,
    data: &'a [crate::eval::TableSummary],
    /// In the language asked; `warnings_detail` has each typed.
    warnings: Vec<String>,
    warnings_detail: &'a [crate::warning::Warning],
    /// Each with its `problem` typed and its `message` in the language asked.
    dropped_rows: Vec<serde_json::Value>,
}

pub fn json(r: &Report, lang: Lang) -> String {
    let j = JsonReport {
        format: "zhibiao.eval/1",
        policy: &r.policy,
        period: &r.period,
        language: lang.code(),
        results: flat_in(r, lang),
        indicators: &r.indicators,
        follow_ups: follow_up_data(r),
        below_target: below_target(r)
            .into_iter()
            .map(|(department, items)| serde_json::json!({ "department": department, "missed": items }))
            .collect(),
        data: &r.data,
        warnings: r.warnings.iter().map(|w| lang.warning(w)).collect(),
        warnings_detail: &r.warnings,
        dropped_rows: r
            .dropped_errors
            .iter()
            .map(|d| {
                let mut v = serde_json::to_value(d).unwrap_or_default();
                v["message"] = serde_json::json!(d.message(lang));
                v
            })
            .collect(),
    };
    serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
}

/// A number as the report shows it, without its unit: `70.70` for a
/// percentage, `71.6` days, `12` cases (full precision is in the JSON).
pub fn rounded(unit: crate::vocab::Unit, v: Option<f64>) -> String {
    let Some(x) = v else {
        return String::new();
    };
    let s = format!("{:.*}", unit.decimals(), x);
    // `-0.00` is 0 as shown.
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A target as a spreadsheet cell: text no spreadsheet takes for a formula,
/// in the unit of the value, as a Chinese table writes it: `≥60%`, `≤90 天`,
/// `达到100%` (the document's "= 100%"), `≥0.95 且 ≤1.05` (an interval).
pub fn target_cell(unit: crate::vocab::Unit, t: &TargetResult) -> String {
    let n = |v: f64| format!("{}{}", crate::eval::fmt_target(v), unit.suffix());
    match (t.op.as_str(), t.upper) {
        (_, Some(hi)) => format!("≥{} 且 ≤{}", n(t.value), n(hi)),
        (">=", _) => format!("≥{}", n(t.value)),
        ("<=", _) => format!("≤{}", n(t.value)),
        (">", _) => format!(">{}", n(t.value)),
        ("<", _) => format!("<{}", n(t.value)),
        ("!=", _) => format!("≠{}", n(t.value)),
        (_, _) => format!("达到{}", n(t.value)),
    }
}

/// The flat rows as CSV: one row per (indicator, department or court), the
/// period first so that weekly files stack, values rounded as printed.
pub fn csv(r: &Report, lang: Lang) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "period",
        "indicator",
        "name",
        "core",
        "department",
        "numerator",
        "denominator",
        "value",
        "unit",
        "targets",
        "met",
        "undefined_reason",
    ]);
    for row in flat_in(r, lang) {
        let targets = row
            .targets
            .iter()
            .map(|t| target_cell(row.unit, t))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = w.write_record([
            r.period.label.clone(),
            row.indicator.to_string(),
            row.name.to_string(),
            row.core.to_string(),
            row.department.to_string(),
            count(row.numerator),
            count(row.denominator),
            rounded(row.unit, row.value),
            row.unit.as_str().to_string(),
            targets,
            row.met.map(|m| m.to_string()).unwrap_or_default(),
            row.undefined_reason.unwrap_or_default(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_the_indent() {
        let line = "  ↳ 刑事庭 52.00% — related: HC4 庭审记录改革适用率 77.78% (≥60 ✓), HC5 在线庭审适用率 22.22%";
        let got = wrap(line, 40, 2);
        assert_eq!(
            got,
            [
                "  ↳ 刑事庭 52.00% — related: HC4",
                "    庭审记录改革适用率 77.78% (≥60 ✓),",
                "    HC5 在线庭审适用率 22.22%",
            ]
        );
        assert!(got.iter().all(|l| width_of(l) <= 40));
    }

    #[test]
    fn wrap_keeps_glued_units_and_breaks_a_long_chinese_run_between_characters() {
        let line = format!("x: {} b", glued("HC1 网上立案率 89.49% (≥90);"));
        assert_eq!(
            wrap(&line, 31, 2),
            ["x: HC1 网上立案率 89.49% (≥90);", "  b"]
        );
        assert_eq!(
            wrap(&line, 30, 2),
            ["x:", "  HC1 网上立案率 89.49% (≥90);", "  b"]
        );
        // Wider than a line, a glued unit breaks at its own spaces.
        assert_eq!(
            wrap(&line, 20, 2),
            ["x: HC1 网上立案率", "  89.49% (≥90); b"]
        );
        // No space to break at: between CJK characters, never before `，`.
        let got = wrap("附件1指标2，附件2第12、13、15条", 12, 0);
        assert!(got.iter().all(|l| width_of(l) <= 12), "{got:?}");
        assert!(got.iter().all(|l| !l.starts_with('，')), "{got:?}");
        assert_eq!(got.concat(), "附件1指标2，附件2第12、13、15条");
    }

    #[test]
    fn rounded_values_are_as_printed() {
        use crate::vocab::Unit;
        assert_eq!(rounded(Unit::Percent, Some(70.69940476190476)), "70.70");
        assert_eq!(rounded(Unit::Days, Some(71.64)), "71.6");
        assert_eq!(rounded(Unit::Count, Some(12.0)), "12");
        assert_eq!(rounded(Unit::Points, Some(-0.001)), "0.00");
        assert_eq!(rounded(Unit::Percent, None), "");
    }
}
