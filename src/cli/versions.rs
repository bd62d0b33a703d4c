//! Versions of a policy: `targets`, `history`, `diff`, `amend`.

use crate::words::fault::{Done, Fault, Named};
use crate::words::view::{Change, Column, Standing, View};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{DiagFormat, Output, exit};
use crate::eval::Outcome;
use crate::explain::{Explainer, Selector};
use crate::ir::{Body, Policy, TargetScope};
use crate::plan::Consumer;
use crate::render::table;
use crate::value::fmt_day;

fn chain(path: &Path) -> Result<Vec<Arc<Policy>>, i32> {
    super::eval::load_chain(path)
}

/// The version one file stands for (an amendment: with its chain applied).
fn version_of(path: &Path) -> Result<Arc<Policy>, i32> {
    let loaded = crate::workspace::load_all(&[path.to_path_buf()]).map_err(|e| {
        super::workspace_fault(&e);
        exit::USAGE
    })?;
    let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let Some(l) = loaded.iter().find(|l| l.canonical == key) else {
        super::fault(Fault::NotAPolicyFile {
            path: path.display().to_string(),
        });
        return Err(exit::USAGE);
    };
    match &l.checked.policy {
        Some(p) => Ok(Arc::new(p.clone())),
        None => {
            for d in &l.checked.diagnostics {
                super::report_check(d);
            }
            Err(exit::POLICY)
        }
    }
}

/// A department of `target_map` as shown: the court's key (`court`,
/// `court (立案庭)`) as 全院 in Chinese.
fn shown_department(d: &str) -> String {
    match d.strip_prefix("court") {
        Some(rest)
            if super::lang() == crate::words::Lang::Zh
                && (rest.is_empty() || rest.starts_with(" (")) =>
        {
            format!("{}{rest}", super::lang().term(crate::words::Term::Court))
        }
        _ => d.to_string(),
    }
}

fn target_map(p: &Policy) -> BTreeMap<(String, String), (String, f64, bool, String)> {
    let mut m = BTreeMap::new();
    for ind in &p.indicators {
        for t in &ind.targets {
            let depts: Vec<String> = match &t.scope {
                TargetScope::Court { owner } => vec![match owner {
                    Some(o) => format!("court ({o})"),
                    None => "court".into(),
                }],
                TargetScope::Departments(d) => d.clone(),
            };
            for d in depts {
                m.insert(
                    (ind.code.clone(), d),
                    (
                        t.op.as_str().to_string(),
                        t.value,
                        t.principle,
                        t.document.clone(),
                    ),
                );
            }
        }
    }
    m
}

/// Where an indicator comes in the first of `versions` that has it: the
/// policy's order, not the code's (`HC2` before `HC10`).
fn ind_order(versions: &[&Policy], code: &str) -> (usize, usize, String) {
    versions
        .iter()
        .enumerate()
        .find_map(|(v, p)| {
            let i = p.indicators.iter().position(|i| i.code == code)?;
            Some((v, i, String::new()))
        })
        .unwrap_or((usize::MAX, usize::MAX, code.to_string()))
}

/// Where a department comes: in the order the first of `versions` that
/// declares it lists its departments, the court (`court`, `court (…)`) last.
fn dept_order(versions: &[&Policy], d: &str) -> (usize, usize, String) {
    versions
        .iter()
        .enumerate()
        .find_map(|(v, p)| {
            let i = p.departments.iter().position(|x| x == d)?;
            Some((v, i, String::new()))
        })
        .unwrap_or((usize::MAX, usize::MAX, d.to_string()))
}

fn fmt_target(op: &str, v: f64, principle: bool) -> String {
    format!(
        "{op} {}{}",
        crate::eval::fmt_target(v),
        if principle { " 原则上" } else { "" }
    )
}

pub fn targets(
    policy: &Path,
    at: Option<&str>,
    format: Option<DiagFormat>,
    output: &Output,
) -> i32 {
    let format = match super::format("targets", format, output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let chain = match chain(policy) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let p = match at {
        Some(d) => match crate::period::Period::range(d, d) {
            Ok(day) => crate::workspace::select(&chain, &day).0,
            Err(e) => {
                eprintln!("{}", super::lang().period_fault(&e));
                return exit::USAGE;
            }
        },
        None => chain[chain.len() - 1].clone(),
    };
    let m = target_map(&p);
    let mut rows: Vec<_> = m.iter().collect();
    rows.sort_by_key(|((code, d), _)| (ind_order(&[&*p], code), dept_order(&[&*p], d)));
    if format == DiagFormat::Json {
        let items: Vec<_> = rows
            .iter()
            .map(|((code, d), (op, v, pr, doc))| serde_json::json!({"indicator": code, "department": d, "op": op, "value": v, "principle": pr, "document": doc}))
            .collect();
        let j = serde_json::json!({"version": {"document": p.meta.document, "effective": fmt_day(p.meta.effective)}, "targets": items});
        let text = serde_json::to_string_pretty(&j).unwrap_or_default() + "\n";
        return super::emit(output, text.as_bytes());
    }
    let lang = super::lang();
    let head = lang.view(&View::TargetsInForce {
        at: at.map(|a| a.to_string()),
        document: p.meta.document.clone(),
        version: p.meta.version.clone(),
        effective: fmt_day(p.meta.effective),
    });
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|((code, d), (op, v, pr, doc))| {
            vec![
                code.clone(),
                shown_department(d),
                fmt_target(op, *v, *pr),
                doc.clone(),
            ]
        })
        .collect();
    let text = format!(
        "{head}\n{}\n",
        table(
            &[
                lang.column(Column::Indicator),
                lang.column(Column::Department),
                lang.column(Column::Target),
                lang.column(Column::Document),
            ],
            &table_rows,
            &[false, false, false, false]
        )
    );
    super::emit(output, text.as_bytes())
}

pub fn history(
    policy: &Path,
    indicator: &str,
    department: Option<&str>,
    format: Option<DiagFormat>,
    output: &Output,
) -> i32 {
    let format = match super::format("history", format, output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let chain = match chain(policy) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let last = &chain[chain.len() - 1];
    let Some(ii) = last.indicator(indicator) else {
        let codes: Vec<&str> = last.indicators.iter().map(|i| i.code.as_str()).collect();
        super::fault(super::unknown(Named::Indicator, indicator, &codes));
        return exit::USAGE;
    };
    // A department name is checked against every version's: a misspelt one
    // would otherwise give an empty table.
    if let Some(d) = department
        && d != "court"
        && !chain.iter().any(|p| p.departments.iter().any(|x| x == d))
    {
        let mut all: Vec<&str> = last.departments.iter().map(String::as_str).collect();
        all.push("court");
        super::fault(super::unknown(Named::Department, d, &all));
        return exit::USAGE;
    }
    let code = last.indicators[ii].code.clone();
    let mut rows = Vec::new();
    let mut json = Vec::new();
    let mut prev: BTreeMap<String, (String, f64, bool, String)> = BTreeMap::new();
    for p in &chain {
        let now: BTreeMap<String, _> = target_map(p)
            .into_iter()
            .filter(|((c, d), _)| {
                *c == code
                    && department.is_none_or(|x| d == x || d.starts_with("court") && x == "court")
            })
            .map(|((_, d), v)| (d, v))
            .collect();
        let mut depts: Vec<&String> = now.keys().chain(prev.keys()).collect();
        depts.sort_by_key(|d| dept_order(&[p.as_ref(), last.as_ref()], d));
        depts.dedup();
        for d in depts {
            let (old, new) = (prev.get(d), now.get(d));
            let change = match (old, new) {
                (None, Some(_)) if std::ptr::eq(p.as_ref(), chain[0].as_ref()) => Change::Set,
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Removed,
                (Some(a), Some(b)) if (a.0.as_str(), a.1) != (b.0.as_str(), b.1) => Change::Changed,
                _ => continue,
            };
            let text = |t: Option<&(String, f64, bool, String)>| {
                t.map(|(op, v, pr, _)| fmt_target(op, *v, *pr))
                    .unwrap_or_else(|| "—".into())
            };
            rows.push(vec![
                p.meta.document.clone(),
                fmt_day(p.meta.effective),
                shown_department(d),
                text(old),
                text(new),
                super::lang().change(change).to_string(),
            ]);
            let change = crate::words::Lang::En.change(change);
            json.push(serde_json::json!({"document": p.meta.document, "effective": fmt_day(p.meta.effective), "department": d, "from": old.map(|t| t.1), "to": new.map(|t| t.1), "change": change}));
        }
        prev = now;
    }
    if format == DiagFormat::Json {
        let text =
            serde_json::to_string_pretty(&serde_json::json!({"indicator": code, "history": json}))
                .unwrap_or_default()
                + "\n";
        return super::emit(output, text.as_bytes());
    }
    let lang = super::lang();
    let text = format!(
        "{}\n{}\n",
        lang.view(&View::TargetHistory {
            code: code.clone(),
            name: last.indicators[ii].name.clone(),
        }),
        table(
            &[
                lang.column(Column::Document),
                lang.column(Column::Effective),
                lang.column(Column::Department),
                lang.column(Column::Before),
                lang.column(Column::After),
                ""
            ],
            &rows,
            &[false; 6]
        )
    );
    super::emit(output, text.as_bytes())
}

pub struct DiffArgs {
    pub old: PathBuf,
    pub new: PathBuf,
    pub data: Option<PathBuf>,
    pub tables: Vec<String>,
    pub columns: Vec<String>,
    pub period: super::PeriodArgs,
    pub format: Option<DiagFormat>,
    pub output: Output,
}

fn rules(p: &Policy, ii: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    match &p.indicators[ii].body {
        Body::Ratio(parts) => {
            for part in parts {
                let table = &p.schema.tables[part.table].name;
                for r in &part.rules {
                    let side = if r.side == crate::ir::RuleSide::NumeratorOnly {
                        "numerator "
                    } else {
                        ""
                    };
                    let kind = if r.kind == crate::vocab::RuleKind::Require {
                        "require"
                    } else {
                        "exclude"
                    };
                    out.insert(format!("[{table}] {side}{kind} {}", p.text_of(r.cond.loc)));
                }
                if let Some(w) = &part.when {
                    out.insert(format!("[{table}] when {}", p.text_of(w.loc)));
                }
            }
        }
        Body::Formula { .. } => {}
    }
    out
}

pub fn diff(args: DiffArgs) -> i32 {
    let format = match super::format("diff", args.format, &args.output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (old, new) = match (version_of(&args.old), version_of(&args.new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let lang = super::lang();
    let mut changes: Vec<serde_json::Value> = Vec::new();
    let mut lines: Vec<String> = vec![format!(
        "{} ({}) → {} ({})",
        old.meta.document,
        fmt_day(old.meta.effective),
        new.meta.document,
        fmt_day(new.meta.effective)
    )];
    let codes = |p: &Policy| {
        p.indicators
            .iter()
            .map(|i| i.code.clone())
            .collect::<BTreeSet<_>>()
    };
    let (oc, nc) = (codes(&old), codes(&new));
    for c in nc.difference(&oc) {
        lines.push(lang.view(&View::IndicatorAdded { code: c.clone() }));
        changes.push(serde_json::json!({"kind": "indicator_added", "indicator": c}));
    }
    for c in oc.difference(&nc) {
        lines.push(lang.view(&View::IndicatorRemoved { code: c.clone() }));
        changes.push(serde_json::json!({"kind": "indicator_removed", "indicator": c}));
    }
    let (ot, nt) = (target_map(&old), target_map(&new));
    let mut keys: Vec<&(String, String)> = ot.keys().chain(nt.keys()).collect();
    keys.sort_by_key(|(c, d)| {
        let vs = [&*new, &*old];
        (ind_order(&vs, c), dept_order(&vs, d))
    });
    keys.dedup();
    for k in keys {
        let text = |t: Option<&(String, f64, bool, String)>| {
            t.map(|(op, v, pr, _)| fmt_target(op, *v, *pr))
        };
        let (a, b) = (ot.get(k), nt.get(k));
        if a.map(|t| (&t.0, t.1)) == b.map(|t| (&t.0, t.1)) {
            continue;
        }
        lines.push(lang.view(&View::TargetChanged {
            code: k.0.clone(),
            department: shown_department(&k.1),
            from: text(a),
            to: text(b),
        }));
        changes.push(serde_json::json!({"kind": "target", "indicator": k.0, "department": k.1, "from": a.map(|t| t.1), "to": b.map(|t| t.1)}));
    }
    for c in oc.intersection(&nc) {
        let (i, j) = (old.indicator(c).unwrap_or(0), new.indicator(c).unwrap_or(0));
        let (ra, rb) = (rules(&old, i), rules(&new, j));
        for r in rb.difference(&ra) {
            lines.push(lang.view(&View::RuleAdded {
                code: c.clone(),
                rule: r.clone(),
            }));
            changes.push(serde_json::json!({"kind": "rule_added", "indicator": c, "rule": r}));
        }
        for r in ra.difference(&rb) {
            lines.push(lang.view(&View::RuleRemoved {
                code: c.clone(),
                rule: r.clone(),
            }));
            changes.push(serde_json::json!({"kind": "rule_removed", "indicator": c, "rule": r}));
        }
    }
    if lines.len() == 1 {
        lines.push(lang.view(&View::NoSemanticChanges));
    }
    let mut figures = Vec::new();
    let mut records = Vec::new();
    if let Some(data) = &args.data {
        let period = match super::period(&args.period) {
            Ok(p) => p,
            Err(c) => return c,
        };
        let opts = crate::eval::Options {
            threads: 1,
            ..Default::default()
        };
        // Both versions read the data under the new one's schema's names.
        let names = match crate::data::names::Names::parse(&new.schema, &args.tables, &args.columns)
        {
            Ok(n) => n,
            Err(e) => {
                eprintln!("{}", lang.names_fault(&e));
                return exit::USAGE;
            }
        };
        let source = match crate::data::source::open(&data.to_string_lossy(), names) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}", lang.db_fault(&e));
                return exit::DATA;
            }
        };
        let run = |p: &Arc<Policy>| {
            let plan = crate::plan::compile(p.clone());
            let mut obs = Explainer::new(Selector::All);
            let r = crate::eval::run(&plan, &*source, &period, &opts, &mut obs);
            r.map(|rep| (rep, obs.outcomes))
        };
        let ((ra, oa), (rb, ob)) = match (run(&old), run(&new)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                super::eval::data_errors(&e);
                return exit::DATA;
            }
        };
        lines.push(String::new());
        lines.push(lang.view(&View::OnData {
            data: data.display().to_string(),
            period: period.describe(),
        }));
        for ind in &rb.indicators {
            let Some(prev) = ra.indicator(&ind.indicator) else {
                continue;
            };
            for f in &ind.figures {
                let Some(pf) = prev.figure(&f.department) else {
                    continue;
                };
                let met =
                    |x: &crate::eval::Figure| x.targets.iter().map(|t| t.met).collect::<Vec<_>>();
                if pf.value != f.value || met(pf) != met(f) {
                    let standing = |x: &crate::eval::Figure| {
                        if x.missed() {
                            Standing::Missed
                        } else if x.targets.iter().any(|t| t.met == Some(true)) {
                            Standing::Met
                        } else {
                            Standing::None
                        }
                    };
                    lines.push(format!(
                        "~ {} {}: {} {} → {} {}",
                        ind.indicator,
                        f.department,
                        crate::render::pct(pf.value),
                        lang.standing(standing(pf)),
                        crate::render::pct(f.value),
                        lang.standing(standing(f))
                    ));
                    let status = |x| crate::words::Lang::En.standing(standing(x));
                    figures.push(serde_json::json!({"indicator": ind.indicator, "department": f.department, "from": pf.value, "to": f.value, "from_status": status(pf), "to_status": status(f)}));
                }
            }
        }
        let key = |p: &Policy, o: &crate::eval::RecordOutcome| {
            let part = match o.consumer {
                Consumer::Part { part, .. } => part,
                Consumer::Measure { let_, .. } => 1000 + let_,
                Consumer::Agg(_) => usize::MAX,
            };
            (
                p.indicators[o.ind].code.clone(),
                p.schema.tables[o.table].name.clone(),
                o.key.clone(),
                part,
            )
        };
        let before: BTreeMap<_, (Outcome, &crate::eval::RecordOutcome)> =
            oa.iter().map(|o| (key(&old, o), (o.outcome, o))).collect();
        for o in &ob {
            let k = key(&new, o);
            let Some((was, po)) = before.get(&k) else {
                continue;
            };
            if *was != o.outcome {
                let why = crate::explain::describe(&new, &period, o, false);
                let whybefore = crate::explain::describe(&old, &period, po, false);
                let rule = why
                    .rule
                    .clone()
                    .or(whybefore.rule.clone())
                    .unwrap_or_default();
                lines.push(format!(
                    "~ {} {}:{} {} → {} ({})",
                    k.0,
                    k.1,
                    k.2,
                    was.as_str(),
                    o.outcome.as_str(),
                    rule
                ));
                records.push(serde_json::json!({"indicator": k.0, "table": k.1, "key": k.2, "from": was.as_str(), "to": o.outcome.as_str(), "rule": rule}));
            }
        }
        if figures.is_empty() && records.is_empty() {
            lines.push(lang.view(&View::NoFigureChanges));
        }
    }
    let text = if format == DiagFormat::Json {
        let j = serde_json::json!({
            "old": {"document": old.meta.document, "effective": fmt_day(old.meta.effective)},
            "new": {"document": new.meta.document, "effective": fmt_day(new.meta.effective)},
            "changes": changes, "figures": figures, "records": records,
        });
        serde_json::to_string_pretty(&j).unwrap_or_default()
    } else {
        lines.join("\n")
    };
    super::emit(&args.output, (text + "\n").as_bytes())
}

/// Relative path from folder `from` to file `to` (both made absolute).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let abs = |p: &Path| {
        p.canonicalize()
            .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p))
    };
    let (f, t) = (abs(from), abs(to));
    let fc: Vec<_> = f.components().collect();
    let tc: Vec<_> = t.components().collect();
    let common = fc.iter().zip(&tc).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..fc.len() {
        out.push("..");
    }
    for c in &tc[common..] {
        out.push(c);
    }
    out
}

pub fn amend(base: &Path, effective: &str, document: &str, output: Option<PathBuf>) -> i32 {
    let p = match version_of(base) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let Ok(day) = chrono::NaiveDate::parse_from_str(effective, "%Y-%m-%d") else {
        super::fault(Fault::NotADate {
            value: effective.to_string(),
        });
        return exit::USAGE;
    };
    if crate::value::day_of(day) <= p.meta.effective {
        super::fault(Fault::AmendsTooEarly {
            document: p.meta.document.clone(),
            effective: fmt_day(p.meta.effective),
        });
        return exit::USAGE;
    }
    let out = output.unwrap_or_else(|| {
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| "policy".into());
        base.with_file_name(format!("{stem}-amend-{effective}.zb"))
    });
    if out.exists() {
        super::fault(Fault::Exists {
            path: out.display().to_string(),
        });
        return exit::USAGE;
    }
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let rel = relative(dir, base);
    let example = p
        .indicators
        .iter()
        .find(|i| !i.targets.is_empty())
        .map(|i| {
            (
                i.code.replace('-', "_"),
                i.targets[0].who.clone(),
                i.targets[0].op.as_str(),
                crate::eval::fmt_target(i.targets[0].value),
            )
        })
        .unwrap_or_default();
    let text = format!(
        "// Amendment of {doc} (version {ver}, effective {eff}).\n\
         // Record each target change as one line inside `in INDICATOR {{ … }}`:\n\
         //   in {id} {{\n\
         //     target {who} {op} {val} 原则上      // set or change\n\
         //     remove target {who}                // remove\n\
         //   }}\n\
         // Then: zhibiao check {out_name}\n\n\
         policy \"{title}\" {{\n  amends \"{rel}\"\n  document \"{document}\"\n  version \"{ver}+{effective}\"\n  effective {effective}\n}}\n",
        doc = p.meta.document,
        ver = p.meta.version,
        eff = fmt_day(p.meta.effective),
        id = example.0,
        who = example.1,
        op = example.2,
        val = example.3,
        out_name = out.display(),
        title = p.meta.title,
        rel = rel.display(),
    );
    if let Err(e) = super::write_atomic(&out, &text) {
        super::fault(Fault::CannotWrite {
            path: out.display().to_string(),
            io: (&e).into(),
        });
        return exit::USAGE;
    }
    let path = out.display().to_string();
    println!("{}", super::lang().done(&Done::Wrote { path }));
    exit::OK
}
