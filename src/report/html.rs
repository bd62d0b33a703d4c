//! The bulletin as one self-contained HTML file: inline CSS and SVG, no
//! script, no font or image from outside; a CJK font stack; collapsible lists
//! of records; a print stylesheet for A4 landscape.

use std::io::{self, Write};

use super::svg::{self, esc};
use super::words as w;
use super::{Bulletin, Section, Status};
use crate::eval::COURT;

const STYLE: &str = r#"
:root { --met: #2e7d32; --below: #c62828; --above: #e65100; --undef: #9e9e9e; --none: #1565c0; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "SimSun", sans-serif;
       margin: 24px; color: #1f2937; font-size: 14px; line-height: 1.5; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid #1f2937; padding-bottom: 2px; margin-top: 28px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 8px 0; }
dl.meta dt { color: #555; } dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: right; white-space: nowrap; }
th { background: #f1f3f5; text-align: center; } td.dept, th.dept { text-align: left; }
td.s-met { background: #e8f5e9; color: var(--met); } td.s-below { background: #ffebee; color: var(--below); font-weight: bold; }
td.s-above { background: #fff3e0; color: var(--above); font-weight: bold; } td.s-undefined { background: #f5f5f5; color: #616161; }
td.s-no_target { color: #1f2937; }
tr.court td { font-weight: bold; border-top: 2px solid #555; }
.matrix th small { display: block; font-weight: normal; color: #555; max-width: 9em; white-space: normal; }
.core { font-size: 11px; border: 1px solid #555; border-radius: 3px; padding: 0 4px; margin-left: 6px; vertical-align: middle; }
.legend, .note { color: #555; font-size: 12px; }
.targets { margin: 2px 0; color: #333; } .targets code { background: #f5f5f5; padding: 0 3px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
ul.below li { margin: 2px 0; } .links { color: #555; font-size: 12px; }
details { margin: 6px 0; border: 1px solid #ddd; border-radius: 4px; padding: 4px 8px; }
details summary { cursor: pointer; font-weight: bold; }
details table td { text-align: left; }
.warn { color: #8a6d3b; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; font-size: 11px; }
  section.indicator { break-inside: avoid; }
  h2 { break-after: avoid; }
  td.s-met, td.s-below, td.s-above, td.s-undefined { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Met => "s-met",
        Status::Below => "s-below",
        Status::Above => "s-above",
        Status::Undefined => "s-undefined",
        Status::NoTarget => "s-no_target",
    }
}

fn status_attr(s: Status) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Write the bulletin as HTML.
pub fn write(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, r#"<html lang="zh-CN"><head><meta charset="utf-8">"#)?;
    writeln!(
        out,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    )?;
    writeln!(
        out,
        "<title>{} {} {}</title>",
        esc(&b.title),
        w::BULLETIN,
        esc(&b.period.label)
    )?;
    writeln!(out, "<style>{STYLE}</style></head><body>")?;
    header(b, out)?;
    overview(b, out)?;
    writeln!(
        out,
        r#"<section id="indicators"><h2>{}</h2>"#,
        w::INDICATORS
    )?;
    writeln!(
        out,
        r#"<p class="note">{}</p>"#,
        if b.ranked { w::RANKED } else { w::NOT_RANKED }
    )?;
    for s in &b.indicators {
        indicator(b, s, out)?;
    }
    writeln!(out, "</section>")?;
    trend(b, out)?;
    below(b, out)?;
    to_fix(b, out)?;
    if !b.warnings.is_empty() {
        writeln!(
            out,
            r#"<section id="warnings"><h2>{}</h2><ul>"#,
            w::WARNINGS
        )?;
        for x in &b.warnings {
            writeln!(out, r#"<li class="warn">{}</li>"#, esc(x))?;
        }
        writeln!(out, "</ul></section>")?;
    }
    writeln!(out, "</body></html>")
}

fn header(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        r#"<header><h1>{} {} {}</h1><dl class="meta">"#,
        esc(&b.title),
        w::BULLETIN,
        esc(&b.period.label)
    )?;
    writeln!(
        out,
        "<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}（{} 起施行）</dd>",
        w::DOCUMENT,
        esc(&b.document),
        w::VERSION,
        esc(&b.version),
        esc(&b.effective)
    )?;
    writeln!(
        out,
        "<dt>{}</dt><dd>{}（{} 至 {}）</dd>",
        w::PERIOD,
        esc(&b.period.label),
        crate::value::fmt_day(b.period.start),
        crate::value::fmt_day(b.period.end)
    )?;
    writeln!(
        out,
        r#"<dt>{}</dt><dd id="data-as-of">{}</dd></dl></header>"#,
        w::DATA_AS_OF,
        esc(b.data_as_of.as_deref().unwrap_or("—"))
    )
}

fn overview(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, r#"<section id="overview"><h2>{}</h2>"#, w::OVERVIEW)?;
    writeln!(out, r#"<p class="legend">{}</p>"#, w::LEGEND)?;
    writeln!(
        out,
        r#"<table class="matrix"><thead><tr><th class="dept">{}</th>"#,
        w::DEPARTMENT
    )?;
    for s in &b.indicators {
        writeln!(
            out,
            r#"<th data-indicator="{}">{}<small>{}</small></th>"#,
            esc(&s.code),
            esc(&s.code),
            esc(&s.name)
        )?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for d in b.departments.iter().map(String::as_str).chain([COURT]) {
        let class = if d == COURT { r#" class="court""# } else { "" };
        writeln!(
            out,
            r#"<tr{class} data-department="{}"><td class="dept">{}</td>"#,
            esc(d),
            esc(w::dept(d))
        )?;
        for s in &b.indicators {
            match s.rows.iter().find(|r| r.department == d) {
                Some(r) => writeln!(
                    out,
                    r#"<td class="{}" data-indicator="{}" data-status="{}" title="{}">{} {}</td>"#,
                    status_class(r.status),
                    esc(&s.code),
                    status_attr(r.status),
                    w::status(r.status),
                    esc(&w::value(s.unit, r.value)),
                    w::mark(r.status)
                )?,
                None => writeln!(out, "<td></td>")?,
            }
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table></section>")
}

fn indicator(b: &Bulletin, s: &Section, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        r#"<section class="indicator" id="ind-{}" data-indicator="{}"><h3>{} {}{}</h3>"#,
        esc(&s.code),
        esc(&s.code),
        esc(&s.code),
        esc(&s.name),
        if s.core {
            format!(r#"<span class="core">{}</span>"#, w::CORE)
        } else {
            String::new()
        }
    )?;
    if !s.targets.is_empty() {
        let lines: Vec<String> = s
            .targets
            .iter()
            .map(|t| format!("<code>{}</code>", esc(t)))
            .collect();
        writeln!(
            out,
            r#"<p class="targets">{}：{}</p>"#,
            w::TARGET,
            lines.join("　")
        )?;
    }
    if let Some(c) = &s.cite {
        writeln!(out, r#"<p class="note">{}</p>"#, esc(c))?;
    }
    let ratio = s.rows.iter().any(|r| r.denominator.is_some());
    write!(
        out,
        r#"<div class="charts"><table class="figures"><thead><tr><th class="dept">{}</th><th>{}</th>"#,
        w::DEPARTMENT,
        w::VALUE
    )?;
    if ratio {
        write!(out, "<th>{}</th><th>{}</th>", w::NUMERATOR, w::DENOMINATOR)?;
    }
    write!(
        out,
        "<th>{}</th><th>{}</th><th>{}（{}）</th><th>{}（{}）</th>",
        w::TARGET,
        w::STATUS,
        w::CHANGE,
        esc(&b.previous.label),
        w::YEAR_CHANGE,
        esc(&b.last_year.label)
    )?;
    if b.ranked {
        write!(out, "<th>{}</th>", w::RANK)?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    for r in &s.rows {
        let class = if r.department == COURT {
            r#" class="court""#
        } else {
            ""
        };
        let count = |v: Option<f64>| v.map(crate::eval::fmt_target).unwrap_or_default();
        write!(
            out,
            r#"<tr{class} data-department="{}"><td class="dept">{}</td><td class="{}" data-status="{}" title="{}">{} {}</td>"#,
            esc(&r.department),
            esc(w::dept(&r.department)),
            status_class(r.status),
            status_attr(r.status),
            esc(r.undefined_reason.as_deref().unwrap_or(w::status(r.status))),
            esc(&w::value(s.unit, r.value)),
            w::mark(r.status)
        )?;
        if ratio {
            write!(
                out,
                "<td>{}</td><td>{}</td>",
                count(r.numerator),
                count(r.denominator)
            )?;
        }
        write!(
            out,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            esc(&r
                .target
                .as_ref()
                .map(|t| w::target(s.unit, t))
                .unwrap_or_default()),
            w::status(r.status),
            esc(&w::change(r.change)),
            esc(&w::change(r.year_change))
        )?;
        if b.ranked {
            write!(
                out,
                "<td>{}</td>",
                r.rank.map(|x| x.to_string()).unwrap_or_default()
            )?;
        }
        writeln!(out, "</tr>")?;
    }
    writeln!(out, "</tbody></table>")?;
    let bars: Vec<svg::Bar> = s
        .rows
        .iter()
        .map(|r| svg::Bar {
            label: w::dept(&r.department).to_string(),
            value: r.value,
            status: r.status,
            target: r.target.as_ref().map(|t| t.value),
            text: w::value(s.unit, r.value),
        })
        .collect();
    writeln!(
        out,
        "{}</div></section>",
        svg::bars(&bars, s.unit, &format!("{} {}", s.code, s.name))
    )
}

fn trend(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, r#"<section id="trend"><h2>{}</h2>"#, w::TREND)?;
    let labels: Vec<String> = b.trend.iter().map(|p| p.label.clone()).collect();
    writeln!(out, r#"<div class="charts">"#)?;
    for s in &b.indicators {
        writeln!(
            out,
            r#"<figure data-indicator="{}"><figcaption>{} {}</figcaption>{}</figure>"#,
            esc(&s.code),
            esc(&s.code),
            esc(&s.name),
            svg::lines(&labels, &s.trend, s.unit, &format!("{} {}", s.code, s.name))
        )?;
    }
    writeln!(out, "</div></section>")
}

fn below(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, r#"<section id="below"><h2>{}</h2>"#, w::BELOW)?;
    if b.below.is_empty() {
        writeln!(out, "<p>{}</p>", w::NONE_BELOW)?;
    }
    for d in &b.below {
        writeln!(
            out,
            r#"<h3 data-department="{}">{}</h3><ul class="below">"#,
            esc(&d.department),
            esc(w::dept(&d.department))
        )?;
        for i in &d.items {
            write!(
                out,
                r#"<li data-indicator="{}">{} {} <b>{}</b> {}（{} {}）"#,
                esc(&i.indicator),
                esc(&i.indicator),
                esc(&i.name),
                esc(&w::value(i.unit, i.value)),
                if i.target.miss == Some(crate::ir::Miss::Above) {
                    "▲"
                } else {
                    "▼"
                },
                w::TARGET,
                esc(&w::target(i.unit, &i.target))
            )?;
            if !i.links.is_empty() {
                let links: Vec<String> = i
                    .links
                    .iter()
                    .map(|l| {
                        format!(
                            "{} {} {}{}",
                            esc(&l.indicator),
                            esc(&l.name),
                            esc(&w::value(b.unit_of(&l.indicator), l.value)),
                            match l.met {
                                Some(true) => " ✓",
                                Some(false) => " ▼",
                                None => "",
                            }
                        )
                    })
                    .collect();
                write!(
                    out,
                    r#"<div class="links">{}：{}</div>"#,
                    w::PUSH,
                    links.join("；")
                )?;
            }
            writeln!(out, "</li>")?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</section>")
}

fn to_fix(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, r#"<section id="to-fix"><h2>{}</h2>"#, w::TO_FIX)?;
    for c in &b.chases {
        let unit = b.unit_of(&c.indicator);
        let via = if c.source == c.indicator {
            String::new()
        } else {
            format!("（{}）", esc(&c.source))
        };
        writeln!(
            out,
            r#"<details data-indicator="{}" data-department="{}"><summary>{} {} {}{} — {} {}：{} 条{}</summary>"#,
            esc(&c.indicator),
            esc(&c.department),
            esc(w::dept(&c.department)),
            esc(&c.indicator),
            esc(&c.name),
            via,
            w::TARGET,
            esc(&w::target(unit, &c.target)),
            c.total,
            if c.total > c.records.len() {
                format!("，列出前 {} 条", c.records.len())
            } else {
                String::new()
            }
        )?;
        writeln!(
            out,
            r#"<p class="note">{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th>"#,
            w::outcome(c.outcome),
            w::TABLE,
            w::KEY,
            w::LINE
        )?;
        for col in &c.columns {
            write!(out, "<th>{}</th>", esc(col))?;
        }
        writeln!(
            out,
            "<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            w::DEPARTMENT,
            w::REASON,
            w::RULE
        )?;
        for r in &c.records {
            write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td>",
                esc(&r.table),
                esc(&r.key),
                r.line
            )?;
            for v in &r.context {
                write!(out, "<td>{}</td>", esc(v))?;
            }
            writeln!(
                out,
                "<td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(r.department.as_deref().unwrap_or("")),
                esc(r.reason.as_deref().unwrap_or("")),
                esc(r.rule.as_deref().unwrap_or(""))
            )?;
        }
        writeln!(out, "</tbody></table></details>")?;
    }
    writeln!(out, "</section>")
}
