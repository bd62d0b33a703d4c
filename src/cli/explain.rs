//! `zhibiao explain`: why a record, or every record of a case, was (not) counted;
//! lists of records per bucket for follow-up.

use crate::words::fault::{Fault, Named};
use std::collections::BTreeMap;

use super::{CsvEncoding, Inputs, Output, ReportFormat, exit};
use crate::eval::Outcome;
use crate::explain::{Explained, Explainer, Selector, describe};
use crate::words::{Label, Lang};

pub struct Args {
    pub record: Option<String>,
    pub case: Option<String>,
    pub indicator: Option<String>,
    pub department: Option<String>,
    pub list: Option<String>,
    pub show_personal: bool,
    pub lang: Lang,
}

fn reason_text(e: &Explained, lang: Lang) -> String {
    e.reason
        .as_ref()
        .map(|r| lang.reason(r))
        .unwrap_or_default()
}

/// The outcome `--list` (`sql --outcome`) names.
pub(super) fn bucket(s: &str) -> Option<Outcome> {
    Some(match s {
        "numerator" => Outcome::Numerator,
        "denominator" => Outcome::Denominator,
        "excluded" => Outcome::Excluded,
        "out_of_period" | "out-of-period" => Outcome::OutOfPeriod,
        "not_counted" | "not-counted" => Outcome::NotCounted,
        _ => return None,
    })
}

/// The columns that make a distinct item of `table`, when an indicator counts items there.
fn distinct_cols(policy: &crate::ir::Policy, table: usize) -> Option<Vec<usize>> {
    policy.indicators.iter().find_map(|i| match &i.body {
        crate::ir::Body::Ratio(parts) => parts
            .iter()
            .find(|p| p.table == table && p.distinct.is_some())
            .and_then(|p| p.distinct.clone()),
        _ => None,
    })
}

/// The rows an item's values name through the table's relations.
fn item_refs(
    schema: &crate::schema::Schema,
    table: usize,
    cols: &[usize],
    values: &[Option<&str>],
) -> Vec<(usize, String)> {
    cols.iter()
        .zip(values)
        .filter_map(|(c, v)| {
            let r = schema
                .relations
                .iter()
                .find(|r| r.from == table && r.col == *c)?;
            Some((r.to, (*v)?.to_string()))
        })
        .collect()
}

pub fn run(
    inputs: &Inputs,
    args: Args,
    format: Option<ReportFormat>,
    output: &Output,
    csv_encoding: Option<CsvEncoding>,
) -> i32 {
    let format = match super::format("explain", format, output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if let Err(code) = super::csv_encoding_fits(format, csv_encoding) {
        return code;
    }
    let period = match super::period(&inputs.period) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let policy = match super::eval::load_policy(&inputs.policy, Some(&period)) {
        Ok((p, warnings)) => {
            for w in warnings {
                eprintln!("{}", super::lang().warning_line(&w));
            }
            match super::eval::with_encoding(p, inputs) {
                Ok(p) => p,
                Err(code) => return code,
            }
        }
        Err(code) => return code,
    };
    let schema = policy.schema.clone();
    let selector = if let Some(rec) = &args.record {
        let Some((t, key)) = rec.split_once(':') else {
            super::fault(Fault::RecordName);
            return exit::USAGE;
        };
        let Some(table) = schema.table(t) else {
            let names: Vec<&str> = schema.table_names().collect();
            super::fault(super::unknown(Named::Table, t, &names));
            return exit::USAGE;
        };
        // A service item written as `case, party, content`.
        match distinct_cols(&policy, table) {
            Some(cols) if key.contains(", ") => Selector::Items {
                table,
                cols,
                keys: vec![crate::eval::item_of(key)],
            },
            _ => Selector::Record {
                table,
                key: key.to_string(),
            },
        }
    } else if let Some(c) = &args.case {
        // The case table: the one most relations point at.
        let Some(cases) = (0..schema.tables.len())
            .filter(|t| schema.relations.iter().any(|r| r.to == *t))
            .max_by_key(|t| schema.relations.iter().filter(|r| r.to == *t).count())
        else {
            super::fault(Fault::NoCaseTable);
            return exit::USAGE;
        };
        Selector::Case {
            cases,
            id: c.clone(),
        }
    } else if let Some(code) = &args.indicator {
        let Some(ind) = policy.indicator(code) else {
            let codes: Vec<&str> = policy.indicators.iter().map(|i| i.code.as_str()).collect();
            super::fault(super::unknown(Named::Indicator, code, &codes));
            return exit::USAGE;
        };
        if let Some(f) = super::no_records_of_its_own(&policy, ind) {
            super::fault(f);
            return exit::USAGE;
        }
        let outcome = match args.list.as_deref() {
            None => None,
            Some(b) => match bucket(b) {
                Some(o) => Some(o),
                None => {
                    super::fault(Fault::BadList {
                        flag: "list",
                        value: b.to_string(),
                    });
                    return exit::USAGE;
                }
            },
        };
        if let Some(d) = &args.department {
            let known = policy.departments.contains(d) || d == crate::eval::COURT;
            if !known {
                let names: Vec<&str> = policy.departments.iter().map(String::as_str).collect();
                super::fault(super::unknown(Named::Department, d, &names));
                return exit::USAGE;
            }
        }
        Selector::Bucket {
            ind,
            department: args.department.clone(),
            outcome,
        }
    } else {
        super::fault(Fault::NothingToExplain);
        return exit::USAGE;
    };
    // A list of records (`--indicator … [--list …]`) shows each record's
    // list columns (案号, dates, …), which the plan then reads too.
    let bucket_mode = matches!(selector, Selector::Bucket { .. });
    let plan = if bucket_mode {
        crate::plan::compile_listing(policy.clone())
    } else {
        crate::plan::compile(policy.clone())
    };
    let mut obs = Explainer::new(selector.clone());
    obs.context = bucket_mode;
    // One record or one item: only the rows they lead to are read. A record
    // not in its file is looked for everywhere, for "did you mean".
    let schema = &policy.schema;
    let starts: Vec<(usize, String)> = match &selector {
        Selector::Record { table, key } => vec![(*table, key.clone())],
        Selector::Items { table, cols, keys } => keys
            .iter()
            .flat_map(|k| item_refs(schema, *table, cols, &crate::eval::item_values(k)))
            .collect(),
        _ => Vec::new(),
    };
    let data = match inputs.source(schema) {
        Ok(d) => d,
        Err(c) => return c,
    };
    let data = &*data;
    if !starts.is_empty() {
        obs.needles = crate::explain::needles(&plan, data, &starts).unwrap_or_default();
    }
    if let Selector::Case { cases, id } = &selector {
        obs.needles = crate::explain::case_needles(&plan, data, *cases, id);
    }
    let opts = super::eval::options(inputs);
    if let Err(e) = crate::eval::run(&plan, data, &period, &opts, &mut obs) {
        super::eval::data_errors(&e);
        return exit::DATA;
    }
    // A case number not found as written is looked for in its other forms
    // (`（2022）…` as `(2022)…` and back); the output says which matched.
    let mut matched: Option<String> = None;
    if let Selector::Case { cases, id } = &selector {
        for form in crate::explain::case_forms(id).into_iter().skip(1) {
            if !obs.outcomes.is_empty() {
                break;
            }
            let mut other = Explainer::new(Selector::Case {
                cases: *cases,
                id: form.clone(),
            });
            other.needles = crate::explain::case_needles(&plan, data, *cases, &form);
            if let Err(e) = crate::eval::run(&plan, data, &period, &opts, &mut other) {
                super::eval::data_errors(&e);
                return exit::DATA;
            }
            if !other.outcomes.is_empty() {
                obs = other;
                matched = Some(form);
            }
        }
    }
    // A row of a distinct item: also read the item's other rows, to give the item's outcome.
    let mut item_best = std::collections::BTreeMap::new();
    if let Selector::Record { table, .. } = &selector {
        let keys: Vec<String> = obs.outcomes.iter().filter_map(|o| o.item.clone()).collect();
        if let (false, Some(cols)) = (keys.is_empty(), distinct_cols(&policy, *table)) {
            let mut items = Explainer::new(Selector::Items {
                table: *table,
                cols,
                keys,
            });
            // The item's rows hold its case's id, which the record's needles hold.
            items.needles = obs.needles.clone();
            if let Err(e) = crate::eval::run(&plan, data, &period, &opts, &mut items) {
                super::eval::data_errors(&e);
                return exit::DATA;
            }
            item_best = crate::explain::item_outcomes(&items.outcomes);
        }
    }
    if let Selector::Items { .. } = &selector {
        item_best = crate::explain::item_outcomes(&obs.outcomes);
    }
    if obs.outcomes.is_empty()
        && matches!(
            selector,
            Selector::Record { .. } | Selector::Case { .. } | Selector::Items { .. }
        )
    {
        let what = args
            .record
            .clone()
            .or(args.case.clone())
            .unwrap_or_default();
        let near: Vec<String> = obs.near.iter().map(|(_, k)| k.to_string()).collect();
        super::fault(Fault::NoRecord { what, near });
        return exit::USAGE;
    }
    let mut explained: Vec<Explained> = obs
        .outcomes
        .iter()
        .map(|o| {
            let mut e = describe(&policy, &period, o, args.show_personal);
            e.item_outcome = o
                .item
                .as_ref()
                .and_then(|i| item_best.get(&(o.ind, i.clone())).copied());
            e
        })
        .collect();
    if bucket_mode {
        // A list's records by department in the policy's order, each
        // department's in file order.
        explained.sort_by_key(|e| {
            e.department
                .as_ref()
                .and_then(|d| policy.departments.iter().position(|x| x == d))
                .unwrap_or(usize::MAX)
        });
    }
    let lang = args.lang;
    let header = format!(
        "{} {} ({} {}) · {} {}",
        policy.meta.document,
        policy.meta.title,
        lang.label(Label::Version),
        policy.meta.version,
        lang.label(Label::Period),
        period.describe()
    );
    let note = matched.as_ref().map(|m| {
        lang.view(&crate::words::view::View::CaseFoundAs {
            given: args.case.clone().unwrap_or_default(),
            found: m.clone(),
        })
    });
    let text = match format {
        ReportFormat::Json => {
            let mut j = serde_json::json!({
                "format": "zhibiao.explain/1",
                "policy": { "document": policy.meta.document, "version": policy.meta.version },
                "period": period,
                "language": lang.code(),
                "outcomes": explained
                    .iter()
                    .map(|e| {
                        // The words in the language asked for; what they
                        // say as typed values beside them.
                        let mut v = serde_json::to_value(e).unwrap_or_default();
                        v["reason_detail"] = v["reason"].take();
                        v["reason"] = serde_json::json!(e.reason.as_ref().map(|r| lang.reason(r)));
                        v["why_not_detail"] = v["why_not"].take();
                        v["why_not"] = serde_json::json!(
                            e.why_not.iter().map(|w| lang.why_not(w)).collect::<Vec<_>>()
                        );
                        v
                    })
                    .collect::<Vec<_>>(),
            });
            if let Selector::Case { id, .. } = &selector {
                j["case"] = serde_json::json!({
                    "given": id,
                    "matched": matched.as_deref().unwrap_or(id),
                });
            }
            serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let all: Vec<&Explained> = explained.iter().collect();
            let columns = context_columns(&all);
            let mut head: Vec<String> = [
                "period",
                "indicator",
                "table",
                "key",
                "line",
                "department",
                "outcome",
                "reason",
                "cite",
                "item",
            ]
            .map(String::from)
            .to_vec();
            head.extend(columns.iter().cloned());
            let _ = w.write_record(&head);
            for e in &explained {
                let mut row = vec![
                    period.label.clone(),
                    e.indicator.clone(),
                    e.table.clone(),
                    e.key.clone(),
                    e.line.to_string(),
                    e.department.clone().unwrap_or_default(),
                    e.outcome.as_str().to_string(),
                    reason_text(e, lang),
                    e.cite.clone().unwrap_or_default(),
                    e.item.as_deref().map(|i| lang.item(i)).unwrap_or_default(),
                ];
                row.extend(context_row(e, &columns));
                let _ = w.write_record(&row);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        ReportFormat::Human if bucket_mode => human_list(&header, &explained, lang),
        ReportFormat::Human => human(&header, note.as_deref(), &explained, lang),
        ReportFormat::Markdown if bucket_mode => markdown_list(&header, &explained, lang),
        ReportFormat::Markdown => markdown(&header, note.as_deref(), &explained, lang),
    };
    if let (Some(n), ReportFormat::Csv) = (&note, format) {
        eprintln!(
            "{}",
            lang.done(&crate::words::fault::Done::Note {
                at: String::new(),
                message: n.clone(),
            })
        );
    }
    match super::encoded(format, text, csv_encoding) {
        Ok(bytes) => super::emit(output, &bytes),
        Err(code) => code,
    }
}

/// The outcomes grouped by record (table and key), in key order.
fn by_record(list: &[Explained]) -> BTreeMap<(String, String), Vec<&Explained>> {
    let mut by: BTreeMap<(String, String), Vec<&Explained>> = BTreeMap::new();
    for e in list {
        by.entry((e.table.clone(), e.key.clone()))
            .or_default()
            .push(e);
    }
    by
}

/// The list columns of some records, by label, in the order they first come:
/// a label twice in one record (two columns titled alike) is two columns.
fn context_columns(list: &[&Explained]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for e in list {
        for (i, c) in e.context.iter().enumerate() {
            let nth = e.context[..i].iter().filter(|x| x.label == c.label).count();
            if columns.iter().filter(|l| **l == c.label).count() <= nth {
                columns.push(c.label.clone());
            }
        }
    }
    columns
}

/// A record's values under `columns` (from [`context_columns`]); empty
/// where its table has no such column.
fn context_row(e: &Explained, columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .enumerate()
        .map(|(j, label)| {
            let nth = columns[..j].iter().filter(|l| *l == label).count();
            e.context
                .iter()
                .filter(|c| c.label == *label)
                .nth(nth)
                .map(|c| c.value.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// A follow-up list's group: indicator, outcome and reason.
type Bucket = (String, &'static str, String);

/// The records grouped by indicator, outcome and reason; a record feeding
/// two measures of one indicator is one record.
fn by_bucket(list: &[Explained], lang: Lang) -> Vec<(Bucket, Vec<&Explained>)> {
    let mut groups: BTreeMap<Bucket, Vec<&Explained>> = BTreeMap::new();
    for e in list {
        groups
            .entry((
                e.indicator.clone(),
                e.outcome.as_str(),
                reason_text(e, lang),
            ))
            .or_default()
            .push(e);
    }
    groups
        .into_iter()
        .map(|(k, items)| {
            let mut seen = std::collections::BTreeSet::new();
            let items = items
                .into_iter()
                .filter(|e| seen.insert((e.table.clone(), e.key.clone())))
                .collect();
            (k, items)
        })
        .collect()
}

fn human(header: &str, note: Option<&str>, list: &[Explained], lang: Lang) -> String {
    let l = |x| lang.label(x);
    // reason, rule, item and target padded to one width, whatever their language.
    let tag_width = [Label::Reason, Label::Rule, Label::Item, Label::Target]
        .iter()
        .map(|&y| crate::render::width_of(l(y)))
        .max()
        .unwrap_or(0);
    let mut out = vec![header.to_string()];
    out.extend(note.map(str::to_string));
    out.push(String::new());
    for ((table, key), items) in by_record(list) {
        out.push(format!(
            "{table}:{key} ({} {})",
            l(Label::Line),
            items[0].line
        ));
        for e in items {
            let dept = e.department.clone().unwrap_or_else(|| "—".into());
            let title = if e.indicator == e.name {
                e.name.clone()
            } else {
                format!("{} {}", e.indicator, e.name)
            };
            out.push(format!("  {title} — {} [{dept}]", outcome_text(e, lang)));
            let tag = |x: Label| crate::render::pad(&format!("{}:", l(x)), tag_width + 1);
            if let Some(r) = &e.reason {
                out.push(format!(
                    "    {} {}{}",
                    tag(Label::Reason),
                    lang.reason(r),
                    e.cite
                        .as_ref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default()
                ));
            }
            if let Some(r) = &e.rule {
                out.push(format!("    {} {r}", tag(Label::Rule)));
            }
            if let Some(i) = &e.item {
                let best = e
                    .item_outcome
                    .map(|o| format!(": {} `{}`", l(Label::ItemIs), o.as_str()))
                    .unwrap_or_default();
                out.push(format!(
                    "    {} ({}){best} — {}",
                    tag(Label::Item),
                    lang.item(i),
                    l(Label::ItemOnce)
                ));
            }
            if !e.targets.is_empty() {
                out.push(format!(
                    "    {} {}",
                    tag(Label::Target),
                    e.targets.join("; ")
                ));
            }
            for s in &e.trail {
                let reads = lang.reads(&s.reads);
                let mark = if s.decided == "passes" { "✓" } else { "✗" };
                out.push(format!(
                    "    {mark} {} `{}` ← {} [{}]",
                    s.check,
                    s.condition,
                    if reads.is_empty() { "-".into() } else { reads },
                    s.at
                ));
            }
            for w in &e.why_not {
                out.push(format!("    {}: {}", l(Label::WhyNot), lang.why_not(w)));
            }
        }
        out.push(String::new());
    }
    out.join("\n")
}

/// A record's outcome as read: `numerator`, or for a `let` measure the
/// measure it fed and with what (`counted in `derived` (+2)`).
fn outcome_text(e: &Explained, lang: Lang) -> String {
    match (&e.measure, e.outcome) {
        (Some(m), Outcome::Numerator) => lang.counted_in(m, e.amount),
        (Some(m), o) => format!("{} (`{m}`)", lang.outcome(o)),
        (None, o) => lang.outcome(o).to_string(),
    }
}

fn human_list(header: &str, list: &[Explained], lang: Lang) -> String {
    let mut out = vec![header.to_string(), String::new()];
    for ((ind, outcome, reason), items) in by_bucket(list, lang) {
        let r = if reason.is_empty() {
            String::new()
        } else {
            format!(" — {reason}")
        };
        let outcome = bucket(outcome).map_or(outcome, |o| lang.outcome(o));
        out.push(format!(
            "{ind} {outcome}{r}: {} {}",
            items.len(),
            lang.label(Label::Records)
        ));
        let columns = context_columns(&items);
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|e| {
                let mut row = vec![
                    e.table.clone(),
                    e.key.clone(),
                    e.department.clone().unwrap_or_default(),
                    e.line.to_string(),
                ];
                row.extend(context_row(e, &columns));
                row
            })
            .collect();
        let mut head = vec!["table", "key", "部门", lang.label(Label::Line)];
        head.extend(columns.iter().map(String::as_str));
        let mut right = vec![false, false, false, true];
        right.resize(head.len(), false);
        out.push(crate::render::table(&head, &rows, &right));
        out.push(String::new());
    }
    out.join("\n")
}

/// Text as a Markdown code span, whatever backticks it holds.
fn code(s: &str) -> String {
    let run = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(run + 1);
    if run == 0 {
        format!("`{s}`")
    } else {
        format!("{ticks} {s} {ticks}")
    }
}

/// Markdown text with the characters that would start markup escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '|' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One record's (or one case's) explanation as Markdown: a heading per
/// record and per indicator, the rule and conditions as code.
fn markdown(header: &str, note: Option<&str>, list: &[Explained], lang: Lang) -> String {
    let l = |x| lang.label(x);
    let mut out = vec![format!("# {}", md(header)), String::new()];
    if let Some(n) = note {
        out.push(md(n));
        out.push(String::new());
    }
    for ((table, key), items) in by_record(list) {
        out.push(format!(
            "## {} ({} {})",
            code(&format!("{table}:{key}")),
            l(Label::Line),
            items[0].line
        ));
        out.push(String::new());
        for e in items {
            let dept = e.department.clone().unwrap_or_else(|| "—".into());
            let title = if e.indicator == e.name {
                e.name.clone()
            } else {
                format!("{} {}", e.indicator, e.name)
            };
            out.push(format!(
                "### {} — {} [{}]",
                md(&title),
                md(&outcome_text(e, lang)),
                md(&dept)
            ));
            out.push(String::new());
            if let Some(r) = &e.reason {
                let cite = e
                    .cite
                    .as_ref()
                    .map(|c| format!(" ({})", md(c)))
                    .unwrap_or_default();
                out.push(format!(
                    "- **{}**: {}{cite}",
                    l(Label::Reason),
                    md(&lang.reason(r))
                ));
            }
            if let Some(r) = &e.rule {
                out.push(format!("- **{}**: {}", l(Label::Rule), code(r)));
            }
            if let Some(i) = &e.item {
                let best = e
                    .item_outcome
                    .map(|o| format!(": {} {}", l(Label::ItemIs), code(o.as_str())))
                    .unwrap_or_default();
                out.push(format!(
                    "- **{}**: {}{best} — {}",
                    l(Label::Item),
                    code(&lang.item(i)),
                    l(Label::ItemOnce)
                ));
            }
            if !e.targets.is_empty() {
                out.push(format!(
                    "- **{}**: {}",
                    l(Label::Target),
                    md(&e.targets.join("; "))
                ));
            }
            if !e.trail.is_empty() {
                out.push(format!("- **{}**:", l(Label::Trail)));
                for s in &e.trail {
                    let reads: Vec<String> = s
                        .reads
                        .iter()
                        .map(|r| {
                            let via = r
                                .via
                                .as_ref()
                                .map(|v| format!(" ({})", md(v)))
                                .unwrap_or_default();
                            let is = lang.label(Label::Is);
                            format!(
                                "{} {is} {}{via}",
                                code(&r.expr),
                                code(&lang.shown(&r.value))
                            )
                        })
                        .collect();
                    let mark = if s.decided == "passes" { "✓" } else { "✗" };
                    out.push(format!(
                        "  - {mark} {} {} ← {} [{}]",
                        md(&s.check),
                        code(&s.condition),
                        if reads.is_empty() {
                            "-".into()
                        } else {
                            reads.join(", ")
                        },
                        code(&s.at)
                    ));
                }
            }
            for w in &e.why_not {
                out.push(format!(
                    "- **{}**: {}",
                    l(Label::WhyNot),
                    md(&lang.why_not(w))
                ));
            }
            out.push(String::new());
        }
    }
    out.join("\n")
}

/// A follow-up list as Markdown: a heading per indicator, outcome and
/// reason, then a table of its records.
fn markdown_list(header: &str, list: &[Explained], lang: Lang) -> String {
    let mut out = vec![format!("# {}", md(header)), String::new()];
    for ((ind, outcome, reason), items) in by_bucket(list, lang) {
        let r = if reason.is_empty() {
            String::new()
        } else {
            format!(" — {}", md(&reason))
        };
        out.push(format!(
            "## {} {}{r}: {} {}",
            md(&ind),
            code(bucket(outcome).map_or(outcome, |o| lang.outcome(o))),
            items.len(),
            lang.label(Label::Records)
        ));
        out.push(String::new());
        let columns = context_columns(&items);
        let head: String = columns.iter().map(|c| format!(" {} |", md(c))).collect();
        let rule: String = columns.iter().map(|_| "---|").collect();
        out.push(format!(
            "| table | key | 部门 | {} |{head}",
            lang.label(Label::Line)
        ));
        out.push(format!("|---|---|---|---:|{rule}"));
        for e in items {
            let values: String = context_row(e, &columns)
                .iter()
                .map(|v| format!(" {} |", md(&v.replace(['\r', '\n'], " "))))
                .collect();
            out.push(format!(
                "| {} | {} | {} | {} |{values}",
                md(&e.table),
                code(&e.key).replace('|', "\\|"),
                md(e.department.as_deref().unwrap_or_default()),
                e.line
            ));
        }
        out.push(String::new());
    }
    out.join("\n")
}
