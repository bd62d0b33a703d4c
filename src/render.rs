//! Eval reports as a human table, JSON, CSV and Markdown.

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::eval::{COURT, Figure, IndicatorResult, Report, TargetResult};

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

fn dept_label(d: &str) -> &str {
    if d == COURT { "全院 court" } else { d }
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

/// Render rows as an aligned table; `right` marks right-aligned columns.
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| UnicodeWidthStr::width(*h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(UnicodeWidthStr::width(c.as_str()));
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if right.get(i).copied().unwrap_or(false) {
                    pad_left(c, widths[i])
                } else {
                    pad(c, widths[i])
                }
            })
            .collect();
        format!("  {}", parts.join("  ").trim_end())
    };
    let mut out = vec![line(header.to_vec())];
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
        out.push(line(r.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

fn header_line(r: &Report) -> String {
    format!(
        "{} {} (version {}, effective {}) · period {}",
        r.policy.document,
        r.policy.title,
        r.policy.version,
        r.policy.effective,
        r.period.describe()
    )
}

fn figure_row(ind: &IndicatorResult, f: &Figure) -> Vec<String> {
    let mark = miss_mark(f);
    // A count's value is its numerator: the columns would only repeat it.
    let counted = ind.unit != crate::vocab::Unit::Count;
    vec![
        dept_label(&f.department).to_string(),
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
        match (&f.undefined_reason, f.notes.is_empty()) {
            (Some(r), _) => format!("undefined: {r}"),
            (None, false) => format!("note: {}", f.notes.join("; ")),
            (None, true) => String::new(),
        },
    ]
}

/// Notes under a department that misses a target: its related and derived-from
/// indicators' values there, so the report says where to push.
pub fn follow_ups(r: &Report, ind: &IndicatorResult) -> Vec<String> {
    let mut out = Vec::new();
    for f in &ind.figures {
        if !f.missed() {
            continue;
        }
        let mut parts = Vec::new();
        for (kind, list) in [
            ("derived from", &ind.derived_from),
            ("related", &ind.related),
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
                items.push(format!(
                    "{} {} {}{}",
                    other.indicator,
                    other.name,
                    value_text(other.unit, of.value),
                    if t.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", t.join("; "))
                    }
                ));
            }
            if !items.is_empty() {
                parts.push(format!("{kind}: {}", items.join(", ")));
            }
        }
        if !parts.is_empty() {
            out.push(format!(
                "{} {} — {}",
                dept_label(&f.department),
                value_text(ind.unit, f.value),
                parts.join(" — ")
            ));
        }
    }
    out
}

pub fn human(r: &Report) -> String {
    let mut out = vec![header_line(r), String::new()];
    for w in &r.warnings {
        out.push(format!("warning: {w}"));
    }
    for ind in &r.indicators {
        let core = if ind.core { " [核心 core]" } else { "" };
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
        out.push(format!("{title}{core}{cite}"));
        let mut rows: Vec<Vec<String>> = ind.figures.iter().map(|f| figure_row(ind, f)).collect();
        if ind.figures.iter().any(|f| f.rank.is_some()) {
            for (row, f) in rows.iter_mut().zip(&ind.figures) {
                row.insert(4, f.rank.map(|r| r.to_string()).unwrap_or_default());
            }
            out.push(table(
                &["部门", "分子", "分母", "值", "排名", "目标", ""],
                &rows,
                &[false, true, true, true, true, false, false],
            ));
        } else {
            out.push(table(
                &["部门", "分子", "分母", "值", "目标", ""],
                &rows,
                &[false, true, true, true, false, false],
            ));
        }
        if let Some(per) = &ind.per {
            out.push(format!("  按 {} (per {}):", per.by, per.by));
            let rows: Vec<Vec<String>> = per
                .figures
                .iter()
                .map(|f| {
                    vec![
                        f.department.clone(),
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
                table(&header[..n], &rows, &[false, true, true, true, true])
                    .lines()
                    .map(|l| format!("  {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        if let Some(m) = ind.figure(COURT).and_then(|f| f.measures.as_ref()) {
            let list: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k} {}", v.map_or("—".to_string(), crate::eval::fmt_target)))
                .collect();
            out.push(format!("  measures (全院): {}", list.join(", ")));
        }
        for note in follow_ups(r, ind) {
            out.push(format!("  ↳ {note}"));
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
        out.push("未达标 below target, by department:".into());
        for (dept, items) in &chase {
            out.push(format!("  {}: {}", dept_label(dept), items.join("; ")));
        }
        out.push(String::new());
    }
    let above = r
        .indicators
        .iter()
        .flat_map(|i| &i.figures)
        .any(|f| miss_mark(f) == "▲ ");
    out.push(if above {
        format!(
            "{missed} figure(s) missed a target (▼ below a target, ▲ above a limit). ✓ met, ✗ missed, · undefined (denominator 0)."
        )
    } else {
        format!(
            "{missed} figure(s) below target (▼). ✓ met, ✗ missed, · undefined (denominator 0)."
        )
    });
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

pub fn markdown(r: &Report) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = vec![format!("# {}", esc(&header_line(r))), String::new()];
    for ind in &r.indicators {
        let core = if ind.core { "（核心）" } else { "" };
        out.push(format!("## {} {}{core}", ind.indicator, esc(&ind.name)));
        out.push(String::new());
        out.push("| 部门 | 分子 | 分母 | 值 | 目标 |".into());
        out.push("|---|---:|---:|---:|---|".into());
        for f in &ind.figures {
            let v = if f.missed() {
                format!("**{}{}**", miss_mark(f), value_text(ind.unit, f.value))
            } else {
                value_text(ind.unit, f.value)
            };
            out.push(format!(
                "| {} | {} | {} | {} | {} |",
                esc(dept_label(&f.department)),
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
        let notes = follow_ups(r, ind);
        if !notes.is_empty() {
            out.push(String::new());
            for n in notes {
                out.push(format!("- {}", esc(&n)));
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
                esc(dept_label(dept)),
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
    pub undefined_reason: Option<&'a str>,
    pub targets: &'a [TargetResult],
    pub met: Option<bool>,
}

pub fn flat(r: &Report) -> Vec<FlatRow<'_>> {
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
                undefined_reason: f.undefined_reason.as_deref(),
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
    policy: &'a crate::eval::PolicyInfo,
    period: &'a crate::period::Period,
    results: Vec<FlatRow<'a>>,
    indicators: &'a [IndicatorResult],
    follow_ups: Vec<FollowUp>,
    /// The targets missed, department by department (the court last).
    below_target: Vec<serde_json::Value>,
    data: &'a [crate::eval::TableSummary],
    warnings: &'a [String],
    dropped_rows: &'a [crate::data::DataError],
}

pub fn json(r: &Report) -> String {
    let j = JsonReport {
        format: "zhibiao.eval/1",
        policy: &r.policy,
        period: &r.period,
        results: flat(r),
        indicators: &r.indicators,
        follow_ups: follow_up_data(r),
        below_target: below_target(r)
            .into_iter()
            .map(|(department, items)| serde_json::json!({ "department": department, "missed": items }))
            .collect(),
        data: &r.data,
        warnings: &r.warnings,
        dropped_rows: &r.dropped_errors,
    };
    serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
}

pub fn csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    let num = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
    for row in flat(r) {
        let targets = row
            .targets
            .iter()
            .map(|t| match t.upper {
                Some(hi) => format!(
                    "in {}..{}",
                    crate::eval::fmt_target(t.value),
                    crate::eval::fmt_target(hi)
                ),
                None => format!("{}{}", t.op, crate::eval::fmt_target(t.value)),
            })
            .collect::<Vec<_>>()
            .join("; ");
        let _ = w.write_record([
            row.indicator.to_string(),
            row.name.to_string(),
            row.core.to_string(),
            row.department.to_string(),
            num(row.numerator),
            num(row.denominator),
            num(row.value),
            row.unit.as_str().to_string(),
            targets,
            row.met.map(|m| m.to_string()).unwrap_or_default(),
            row.undefined_reason.unwrap_or_default().to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
