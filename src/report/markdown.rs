//! The bulletin as Markdown: the same sections as HTML, charts as tables.

use std::io::{self, Write};

use super::words as w;
use super::{Bulletin, Section};
use crate::eval::COURT;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn write(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "# {} {} {}\n",
        cell(&b.title),
        w::BULLETIN,
        cell(&b.period.label)
    )?;
    writeln!(
        out,
        "- {}：{}\n- {}：{}（{} 起施行）",
        w::DOCUMENT,
        cell(&b.document),
        w::VERSION,
        cell(&b.version),
        b.effective
    )?;
    writeln!(
        out,
        "- {}：{}（{} 至 {}）\n- {}：{}\n",
        w::PERIOD,
        b.period.label,
        crate::value::fmt_day(b.period.start),
        crate::value::fmt_day(b.period.end),
        w::DATA_AS_OF,
        b.data_as_of.as_deref().unwrap_or("—")
    )?;
    // Overview.
    writeln!(out, "## {}\n\n{}\n", w::OVERVIEW, w::LEGEND)?;
    let mut head = vec![w::DEPARTMENT.to_string()];
    head.extend(b.indicators.iter().map(|s| s.code.clone()));
    row(out, &head)?;
    row(out, &vec!["---".to_string(); head.len()])?;
    for d in b.departments.iter().map(String::as_str).chain([COURT]) {
        let mut r = vec![w::dept(d).to_string()];
        for s in &b.indicators {
            r.push(match s.rows.iter().find(|x| x.department == d) {
                Some(x) => format!("{} {}", w::value(s.unit, x.value), w::mark(x.status))
                    .trim_end()
                    .to_string(),
                None => String::new(),
            });
        }
        row(out, &r)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "## {}\n\n{}\n",
        w::INDICATORS,
        if b.ranked { w::RANKED } else { w::NOT_RANKED }
    )?;
    for s in &b.indicators {
        indicator(b, s, out)?;
    }
    // Trend.
    writeln!(out, "## {}\n", w::TREND)?;
    for s in &b.indicators {
        writeln!(out, "### {} {}\n", s.code, cell(&s.name))?;
        let mut head = vec![w::DEPARTMENT.to_string()];
        head.extend(b.trend.iter().map(|p| p.label.clone()));
        row(out, &head)?;
        row(out, &vec!["---".to_string(); head.len()])?;
        for ser in &s.trend {
            let mut r = vec![w::dept(&ser.department).to_string()];
            r.extend(ser.values.iter().map(|v| w::value(s.unit, *v)));
            row(out, &r)?;
        }
        writeln!(out)?;
    }
    // Below target.
    writeln!(out, "## {}\n", w::BELOW)?;
    if b.below.is_empty() {
        writeln!(out, "{}\n", w::NONE_BELOW)?;
    }
    for d in &b.below {
        writeln!(out, "### {}\n", w::dept(&d.department))?;
        for i in &d.items {
            write!(
                out,
                "- {} {} **{}**（{} {}）",
                i.indicator,
                cell(&i.name),
                w::value(i.unit, i.value),
                w::TARGET,
                w::target(i.unit, &i.target)
            )?;
            if !i.links.is_empty() {
                let l: Vec<String> = i
                    .links
                    .iter()
                    .map(|l| format!("{} {}", l.indicator, cell(&l.name)))
                    .collect();
                write!(out, " — {}：{}", w::PUSH, l.join("；"))?;
            }
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    // Records to fix.
    writeln!(out, "## {}\n", w::TO_FIX)?;
    for c in &b.chases {
        let unit = b.unit_of(&c.indicator);
        writeln!(
            out,
            "### {} {} {}{}\n\n{} {}；{}：{} 条{}\n",
            w::dept(&c.department),
            c.indicator,
            cell(&c.name),
            if c.source == c.indicator {
                String::new()
            } else {
                format!("（{}）", c.source)
            },
            w::TARGET,
            w::target(unit, &c.target),
            w::outcome(c.outcome),
            c.total,
            if c.total > c.records.len() {
                format!("，列出前 {} 条", c.records.len())
            } else {
                String::new()
            }
        )?;
        let mut head = vec![
            w::TABLE.to_string(),
            w::KEY.to_string(),
            w::LINE.to_string(),
        ];
        head.extend(c.columns.iter().cloned());
        head.extend([
            w::DEPARTMENT.to_string(),
            w::REASON.to_string(),
            w::RULE.to_string(),
        ]);
        row(out, &head)?;
        row(out, &vec!["---".to_string(); head.len()])?;
        for r in &c.records {
            let mut v = vec![r.table.clone(), r.key.clone(), r.line.to_string()];
            v.extend(r.context.iter().cloned());
            v.extend([
                r.department.clone().unwrap_or_default(),
                r.reason.clone().unwrap_or_default(),
                r.rule.clone().unwrap_or_default(),
            ]);
            row(out, &v)?;
        }
        writeln!(out)?;
    }
    for x in &b.warnings {
        writeln!(out, "> {}：{}", w::WARNINGS, cell(x))?;
    }
    Ok(())
}

fn row(out: &mut impl Write, cells: &[String]) -> io::Result<()> {
    let c: Vec<String> = cells.iter().map(|x| cell(x)).collect();
    writeln!(out, "| {} |", c.join(" | "))
}

fn indicator(b: &Bulletin, s: &Section, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "### {} {}{}\n",
        s.code,
        cell(&s.name),
        if s.core {
            format!("（{}）", w::CORE)
        } else {
            String::new()
        }
    )?;
    if !s.targets.is_empty() {
        let t: Vec<String> = s.targets.iter().map(|t| format!("`{t}`")).collect();
        writeln!(out, "{}：{}\n", w::TARGET, t.join("；"))?;
    }
    let mut head = vec![
        w::DEPARTMENT.to_string(),
        w::VALUE.to_string(),
        w::TARGET.to_string(),
        w::STATUS.to_string(),
        format!("{}（{}）", w::CHANGE, b.previous.label),
        format!("{}（{}）", w::YEAR_CHANGE, b.last_year.label),
    ];
    if b.ranked {
        head.push(w::RANK.to_string());
    }
    row(out, &head)?;
    row(out, &vec!["---".to_string(); head.len()])?;
    for r in &s.rows {
        let mut v = vec![
            w::dept(&r.department).to_string(),
            format!("{} {}", w::value(s.unit, r.value), w::mark(r.status))
                .trim_end()
                .to_string(),
            r.target
                .as_ref()
                .map(|t| w::target(s.unit, t))
                .unwrap_or_default(),
            match &r.undefined_reason {
                Some(why) => format!("{}：{}", w::status(r.status), why),
                None => w::status(r.status).to_string(),
            },
            w::change(r.change),
            w::change(r.year_change),
        ];
        if b.ranked {
            v.push(r.rank.map(|x| x.to_string()).unwrap_or_default());
        }
        row(out, &v)?;
    }
    writeln!(out)
}
