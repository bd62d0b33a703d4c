//! One indicator's records as a query (`zhibiao sql --list`): per record
//! its key, department, outcome, the reason and clause that decided it, its
//! distinct item and the item's own outcome, and the table's list columns
//! (案号, dates …) — the list `explain --list` gives, for a warehouse user
//! to chase where the data lives.
//!
//! A record's walk through a part is written once as a `CASE` of the
//! conditions it must pass, in the native engine's order (scope rules, the
//! period, `when`, the rules of both sides, then the numerator's); the
//! first that fails is the record's step, and each step has one outcome,
//! reason and clause, which the final `SELECT` reads off by number.

use std::fmt::Write as _;

use super::expr::Rows;
use super::{Gen, Names, SqlError, comment, raw_name};
use crate::eval::Outcome;
use crate::eval::why::Reason;
use crate::ir::*;
use crate::logical::{Logical, MeasureKind, MeasurePlan, PartPlan};
use crate::period::Period;
use crate::schema::{ColType, TableId};
use crate::value::fmt_day;
use crate::words::Lang;

/// Which records of which indicator, and how they are shown.
#[derive(Debug, Clone)]
pub struct ListSpec {
    pub indicator: IndId,
    /// Only the records of this department.
    pub department: Option<String>,
    /// Only the records with this outcome.
    pub outcome: Option<Outcome>,
    /// The language of the reasons.
    pub lang: Lang,
    /// Personal list columns in full (else masked, as `explain` masks them).
    pub show_personal: bool,
}

/// Where a record's walk through a part or measure can stop: the condition
/// under which it stops there, and what the record then is.
struct Stop {
    why: String,
    stops: String,
    outcome: Outcome,
    reason: Reason,
    cite: Option<String>,
}

/// The walk of one part's or measure's records: where it can stop, in order.
struct Listed<'l> {
    /// The CTE columns' stem (`hc4_1`, `hc10_let_2`) and the comment's head.
    raw: String,
    head: String,
    /// The `part` column: the part's number or the measure's name.
    part: String,
    department: &'l crate::logical::DeptKey,
    stops: Vec<Stop>,
    /// What a record that passes every condition is.
    through: Outcome,
    /// The distinct item's columns (none: every record counts alone).
    items: Vec<usize>,
    /// A measure's name and the SQL of what a record adds to it.
    measure: Option<(String, String)>,
}

/// Every outcome, in the order of [`Outcome`]'s ranks (an item's outcome is
/// the best of its records').
const OUTCOMES: [Outcome; 5] = [
    Outcome::OutOfPeriod,
    Outcome::Excluded,
    Outcome::NotCounted,
    Outcome::Denominator,
    Outcome::Numerator,
];

fn rank(o: Outcome) -> usize {
    OUTCOMES.iter().position(|x| *x == o).unwrap_or(0)
}

/// The query of one indicator's records for `period`.
pub fn list(
    p: &Policy,
    lp: &Logical,
    d: &dyn super::Dialect,
    period: &Period,
    names: &Names,
    spec: &ListSpec,
) -> Result<String, SqlError> {
    let ind = &p.indicators[spec.indicator];
    let mut g = Gen::new(p, d);
    let parts: Vec<&PartPlan> = lp
        .parts
        .iter()
        .filter(|x| x.ind == spec.indicator)
        .collect();
    let measures: Vec<&MeasurePlan> = lp
        .measures
        .iter()
        .filter(|m| m.ind == spec.indicator)
        .collect();
    let tables: Vec<TableId> = parts
        .iter()
        .map(|x| x.table)
        .chain(measures.iter().map(|m| m.table))
        .collect();
    let labels = labels(p, &tables, spec.show_personal);
    let computed = !measures.is_empty();
    for part in &parts {
        g.with_aggs(&part.code, |g| g.list_part(part, period, spec, &labels))?;
    }
    for m in &measures {
        g.with_aggs(&m.code, |g| g.list_measure(m, period, spec, &labels))?;
    }

    let mut out = g.title();
    let _ = writeln!(
        out,
        "-- period {}: {} – {}",
        period.label,
        fmt_day(period.start),
        fmt_day(period.end)
    );
    let _ = writeln!(
        out,
        "-- the records of {} {}{}{}",
        ind.code,
        comment(&ind.name),
        spec.department
            .as_ref()
            .map(|x| format!(" in {x}"))
            .unwrap_or_default(),
        spec.outcome
            .map(|o| format!(" whose outcome is {}", o.as_str()))
            .unwrap_or_default()
    );
    let mut columns = String::from(
        "-- One row per record: its key, department, outcome, the reason and clause that\n\
         -- decided it, its distinct item and the item's outcome (the best of its records')",
    );
    if computed {
        columns.push_str(",\n-- the `let` measure it feeds and what it adds");
    }
    if !labels.is_empty() {
        let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
        let _ = write!(columns, ",\n-- and {}", names.join(", "));
    }
    out.push_str(&columns);
    out.push_str(".\nWITH\n");
    out.push_str(&g.blocks(Some(period), names).join(",\n"));
    out.push('\n');
    out.push_str(&g.selects.join("\nUNION ALL\n"));
    out.push_str("\nORDER BY 3, 7, 6, 8, 5;\n");
    Ok(out)
}

/// The columns every list has, before the tables' own list columns.
pub const FIXED: [&str; 13] = [
    "period",
    "indicator",
    "part",
    "table",
    "key",
    "department",
    "outcome",
    "reason",
    "cite",
    "item",
    "item_outcome",
    "measure",
    "amount",
];

/// A list column of the query: its label, the name it goes by, and whether
/// it is a number in every table that shows it (else it is text).
struct ListCol {
    label: String,
    name: String,
    number: bool,
}

/// The list columns of the tables read, in the order they come.
fn labels(p: &Policy, tables: &[TableId], show_personal: bool) -> Vec<ListCol> {
    let mut out: Vec<ListCol> = Vec::new();
    for t in tables {
        let table = &p.schema.tables[*t];
        for c in &table.list {
            let ty = p.schema.tables[c.table].columns[c.col].ty;
            let number =
                matches!(ty, ColType::Int | ColType::Decimal) && (show_personal || !c.personal);
            match out.iter_mut().find(|l| l.label == c.label) {
                Some(l) => l.number &= number,
                None => out.push(ListCol {
                    label: c.label.clone(),
                    name: list_name(&c.label, &table.name),
                    number,
                }),
            }
        }
    }
    out
}

/// The name a list column goes by in the query: its label, or, when that
/// is one of the fixed columns' (`outcome`), the label after its table's
/// name (`online_filings.outcome`).
fn list_name(label: &str, table: &str) -> String {
    if FIXED.contains(&label.to_lowercase().as_str()) {
        format!("{table}.{label}")
    } else {
        label.to_string()
    }
}

impl<'a> Gen<'a> {
    /// The stops of the scope rules that reach a part's or measure's table.
    fn scope_stops(
        &mut self,
        rows: &mut Rows<'_>,
        scope: &[crate::logical::ScopeUse],
    ) -> Result<Vec<Stop>, SqlError> {
        let hits = self.scope_hits(rows, scope)?;
        Ok(hits
            .into_iter()
            .zip(scope)
            .map(|((why, hit), s)| {
                let rule = &self.p.scope[s.rule];
                Stop {
                    why,
                    stops: hit,
                    outcome: Outcome::Excluded,
                    reason: Reason::Because {
                        text: rule.because.clone(),
                    },
                    cite: rule.cite.clone(),
                }
            })
            .collect())
    }

    fn by_stop(&mut self, rows: &Rows<'_>, by: Option<usize>, period: &Period) -> Option<Stop> {
        let (why, cond) = self.by(rows, by)?;
        let column = by.map(|c| {
            self.p.schema.tables[rows.base.table].columns[c]
                .name
                .clone()
        });
        Some(Stop {
            why,
            stops: format!("NOT {}", paren(&cond)),
            outcome: Outcome::OutOfPeriod,
            reason: Reason::outside(column.unwrap_or_default(), period),
            cite: None,
        })
    }

    fn list_part(
        &mut self,
        part: &PartPlan,
        period: &Period,
        spec: &ListSpec,
        labels: &[ListCol],
    ) -> Result<(), SqlError> {
        let p = self.p;
        let ind = &p.indicators[part.ind];
        let (si, mut scan) = self.take_scan(part.table, &part.code);
        let rows = &mut scan.rows;
        let mut stops = self.scope_stops(rows, &part.scope)?;
        stops.extend(self.by_stop(rows, part.placement.by, period));
        if let Some(w) = &part.placement.when {
            let base = rows.base.clone();
            stops.push(Stop {
                why: format!("when {}", comment(p.text_of(w.loc))),
                stops: format!("NOT {}", paren(&rows.cond(&mut self.used, w, &base)?)),
                outcome: Outcome::OutOfPeriod,
                reason: Reason::WhenFalse {
                    condition: p.text_of(w.loc).to_string(),
                },
                cite: None,
            });
        }
        // A rule of both sides that fails ends the walk wherever it stands;
        // the numerator's first failing rule only when every rule of both
        // sides holds.
        let mut numerator = Vec::new();
        for r in &part.rules {
            let base = rows.base.clone();
            let c = rows.cond(&mut self.used, &r.cond, &base)?;
            let (word, fails) = match r.kind {
                crate::vocab::RuleKind::Require => ("require", format!("NOT {}", paren(&c))),
                crate::vocab::RuleKind::Exclude => ("exclude", c),
            };
            let both = r.side == RuleSide::Both;
            let outcome = match (both, r.kind, part.role) {
                (true, crate::vocab::RuleKind::Require, _) => Outcome::NotCounted,
                (true, crate::vocab::RuleKind::Exclude, _) => Outcome::Excluded,
                (false, _, Role::Both) => Outcome::Denominator,
                (false, _, _) => Outcome::NotCounted,
            };
            let stop = Stop {
                why: format!(
                    "{}{word} {}",
                    if both { "" } else { "numerator " },
                    comment(p.text_of(r.cond.loc))
                ),
                stops: fails,
                outcome,
                reason: Reason::of_rule(p, r),
                cite: r.cite.clone().or_else(|| ind.cite.clone()),
            };
            if both {
                stops.push(stop);
            } else {
                numerator.push(stop);
            }
        }
        stops.extend(numerator);
        let through = match part.role {
            Role::Both | Role::Numerator => Outcome::Numerator,
            Role::Denominator => Outcome::Denominator,
        };
        let raw = raw_name(&part.code, &(part.part + 1).to_string());
        let head = format!(
            "{} {} · part {}: its records",
            part.code,
            comment(&ind.name),
            part.part + 1
        );
        let listed = Listed {
            raw,
            head,
            part: (part.part + 1).to_string(),
            department: &part.department,
            stops,
            through,
            items: part.distinct.clone().unwrap_or_default(),
            measure: None,
        };
        self.listing(si, scan, &listed, labels, spec, period)
    }

    fn list_measure(
        &mut self,
        m: &MeasurePlan,
        period: &Period,
        spec: &ListSpec,
        labels: &[ListCol],
    ) -> Result<(), SqlError> {
        let p = self.p;
        let ind = &p.indicators[m.ind];
        let (si, mut scan) = self.take_scan(m.table, &m.code);
        let rows = &mut scan.rows;
        let lookup = matches!(m.kind, MeasureKind::Lookup(_));
        // A lookup's row is picked by its condition alone.
        let mut stops = if lookup {
            Vec::new()
        } else {
            let mut s = self.scope_stops(rows, &m.scope)?;
            s.extend(self.by_stop(rows, m.by, period));
            s
        };
        if let Some(f) = &m.filter {
            let base = rows.base.clone();
            stops.push(Stop {
                why: format!("where {}", comment(p.text_of(f.loc))),
                stops: format!("NOT {}", paren(&rows.cond(&mut self.used, f, &base)?)),
                outcome: if lookup {
                    Outcome::NotCounted
                } else {
                    Outcome::Excluded
                },
                reason: Reason::NoMatchingWhere,
                cite: None,
            });
        }
        let base = rows.base.clone();
        let amount = match &m.kind {
            MeasureKind::Count => "1".to_string(),
            MeasureKind::Fold(_, e) => rows.value(&mut self.used, e, &base)?,
            MeasureKind::Lookup(c) => rows.col(&mut self.used, &base, *c),
        };
        let raw = raw_name(&m.code, &format!("let_{}", m.index + 1));
        let head = format!(
            "{} {} · let {}: its records",
            m.code,
            comment(&ind.name),
            m.name
        );
        let listed = Listed {
            raw,
            head,
            part: m.name.clone(),
            department: &m.department,
            stops,
            through: Outcome::Numerator,
            items: Vec::new(),
            measure: Some((m.name.clone(), amount)),
        };
        self.listing(si, scan, &listed, labels, spec, period)
    }

    /// A part's or measure's records compiled into its table's scan: the
    /// step column, key, department, item and list columns; then its CTE
    /// and its `SELECT`.
    fn listing(
        &mut self,
        si: usize,
        mut scan: super::Scan<'a>,
        listed: &Listed<'_>,
        labels: &[ListCol],
        spec: &ListSpec,
        period: &Period,
    ) -> Result<(), SqlError> {
        let (raw, head) = (&listed.raw, &listed.head);
        let (department, items, measure) = (listed.department, &listed.items, &listed.measure);
        let part_name = &listed.part;
        let p = self.p;
        let d = self.d;
        let text = d.text_type();
        let t = scan.rows.base.table;
        let rows = &mut scan.rows;
        let col = |suffix: &str| d.ident(&format!("{raw}_{suffix}"));
        let dept = self.department(rows, department)?;
        let base = rows.base.clone();
        // A table with no key (a benchmark a lookup reads) shows its rows
        // by the measure's amount alone.
        let key = match p.schema.tables[t].key() {
            Some(k) => rows.col(&mut self.used, &base, k),
            None => format!("CAST(NULL AS {text})"),
        };
        let mut item_sql = Vec::new();
        for c in items {
            item_sql.push(rows.shown(&mut self.used, &base, *c)?);
        }
        let mut list_sql = Vec::new();
        for l in labels {
            let ty = if l.number { d.number_type() } else { text };
            let found = p.schema.tables[t].list.iter().find(|c| c.label == l.label);
            let sql = match found {
                Some(c) => {
                    let at = rows.follow(&mut self.used, &base, &c.path)?;
                    let v = if l.number {
                        format!("CAST({} AS {ty})", rows.col(&mut self.used, &at, c.col))
                    } else {
                        rows.shown(&mut self.used, &at, c.col)?
                    };
                    if c.personal && !spec.show_personal {
                        mask(&v)
                    } else {
                        v
                    }
                }
                None => format!("CAST(NULL AS {ty})"),
            };
            list_sql.push(sql);
        }
        let mut step = String::from("CASE\n");
        for (i, s) in listed.stops.iter().enumerate() {
            let _ = writeln!(step, "      -- {}", s.why);
            let _ = writeln!(step, "      WHEN {} THEN {}", s.stops, i + 1);
        }
        step.push_str("      ELSE 0\n    END");
        let step_col = col("step");
        let dept_col = col("department");
        scan.cols.push((
            Some(format!(
                "{head}: the first condition a record fails (0: none)"
            )),
            format!("{step} AS {step_col}"),
        ));
        scan.cols.push((None, format!("{key} AS {}", col("key"))));
        scan.cols.push((None, format!("{dept} AS {dept_col}")));
        let mut item_cols = Vec::new();
        for (i, sql) in item_sql.iter().enumerate() {
            let c = col(&format!("item_{}", i + 1));
            scan.cols.push((None, format!("{sql} AS {c}")));
            item_cols.push(c);
        }
        let mut list_cols = Vec::new();
        for (i, sql) in list_sql.iter().enumerate() {
            let c = col(&format!("list_{}", i + 1));
            scan.cols.push((None, format!("{sql} AS {c}")));
            list_cols.push(c);
        }
        if let Some((_, amount)) = &measure {
            scan.cols.push((
                None,
                format!("CAST({amount} AS {}) AS {}", d.number_type(), col("amount")),
            ));
        }
        scan.readers.push(head.to_string());
        // A list shows the records not counted too.
        scan.counted = None;
        let scan_name = self.scan_name(t);
        self.scans[si] = Some(scan);

        // The CTE: each record with its step, and an item's best rank.
        let rank_of = |c: &str| {
            let mut s = format!("CASE {c}");
            for (i, st) in listed.stops.iter().enumerate() {
                let _ = write!(s, " WHEN {} THEN {}", i + 1, rank(st.outcome));
            }
            let _ = write!(s, " ELSE {} END", rank(listed.through));
            s
        };
        // With distinct items, a CTE gives each record its item's best rank.
        let from = if item_cols.is_empty() {
            scan_name
        } else {
            let name = d.ident(&format!("{raw}_list"));
            self.ctes.push((
                format!("{head}, each with its item's best outcome"),
                name.clone(),
                format!(
                    "  SELECT *,\n    MAX({}) OVER (PARTITION BY {}) AS {}\n  FROM {scan_name}",
                    rank_of(&step_col),
                    item_cols.join(", "),
                    col("item_rank")
                ),
            ));
            name
        };

        // The SELECT: the step read off as outcome, reason and clause.
        let by_step = |f: &dyn Fn(&Stop) -> String, through: &str| {
            if listed.stops.is_empty() {
                return through.to_string();
            }
            let mut s = format!("CASE {step_col}");
            for (i, st) in listed.stops.iter().enumerate() {
                let _ = write!(s, "\n    WHEN {} THEN {}", i + 1, f(st));
            }
            let _ = write!(s, "\n    ELSE {through} END");
            s
        };
        let outcome = by_step(
            &|s| d.string(s.outcome.as_str()),
            &d.string(listed.through.as_str()),
        );
        let reason = by_step(
            &|s| d.string(&spec.lang.reason(&s.reason)),
            &format!("CAST(NULL AS {text})"),
        );
        let cite = by_step(
            &|s| match &s.cite {
                Some(c) => d.string(c),
                None => format!("CAST(NULL AS {text})"),
            },
            &format!("CAST(NULL AS {text})"),
        );
        let item = if item_cols.is_empty() {
            format!("CAST(NULL AS {text})")
        } else {
            let fields: Vec<String> = item_cols
                .iter()
                .map(|c| {
                    format!(
                        "COALESCE(CAST({c} AS {text}), {})",
                        d.string(spec.lang.blank())
                    )
                })
                .collect();
            format!("concat_ws(', ', {})", fields.join(", "))
        };
        let item_outcome = if item_cols.is_empty() {
            format!("CAST(NULL AS {text})")
        } else {
            let mut s = format!("CASE {}", col("item_rank"));
            for (i, o) in OUTCOMES.iter().enumerate() {
                let _ = write!(s, " WHEN {i} THEN {}", d.string(o.as_str()));
            }
            s.push_str(" END");
            s
        };
        let code = &p.indicators[spec.indicator].code;
        let mut select = format!(
            "-- {head}\nSELECT {} AS period, {} AS indicator, {} AS part, {} AS {}, {} AS {},\n  NULLIF({dept_col}, '') AS department,\n  {outcome} AS outcome,\n  {reason} AS reason,\n  {cite} AS cite,\n  {item} AS item, {item_outcome} AS item_outcome",
            d.string(&period.label),
            d.string(code),
            d.string(part_name),
            d.string(&p.schema.tables[t].name),
            d.ident("table"),
            col("key"),
            d.ident("key"),
        );
        if let Some((m, _)) = measure {
            let _ = write!(
                select,
                ",\n  {} AS measure, {} AS amount",
                d.string(m),
                col("amount")
            );
        }
        for (l, c) in labels.iter().zip(&list_cols) {
            let _ = write!(select, ",\n  {c} AS {}", d.quote(&l.name));
        }
        let _ = write!(select, "\nFROM {from}");
        let mut filter = Vec::new();
        if let Some(o) = spec.outcome {
            let mut steps: Vec<String> = listed
                .stops
                .iter()
                .enumerate()
                .filter(|(_, s)| s.outcome == o)
                .map(|(i, _)| (i + 1).to_string())
                .collect();
            if listed.through == o {
                steps.push("0".into());
            }
            filter.push(if steps.is_empty() {
                format!("FALSE /* no record here is {} */", o.as_str())
            } else {
                format!("{step_col} IN ({})", steps.join(", "))
            });
        }
        if let Some(dep) = &spec.department {
            filter.push(format!("{dept_col} = {}", d.string(dep)));
        }
        if !filter.is_empty() {
            let _ = write!(select, "\nWHERE {}", filter.join(" AND "));
        }
        self.selects.push(select);
        Ok(())
    }
}

/// A condition in parentheses.
fn paren(c: &str) -> String {
    format!("({c})")
}

/// Text masked as `explain` masks personal data: the first and last two
/// characters kept (four of twelve or more), the rest stars; four or fewer
/// all stars.
fn mask(v: &str) -> String {
    format!(
        "CASE WHEN LENGTH({v}) <= 4 THEN REPEAT('*', LENGTH({v})) \
         WHEN LENGTH({v}) >= 12 THEN SUBSTR({v}, 1, 4) || REPEAT('*', LENGTH({v}) - 8) || SUBSTR({v}, LENGTH({v}) - 3) \
         ELSE SUBSTR({v}, 1, 2) || REPEAT('*', LENGTH({v}) - 4) || SUBSTR({v}, LENGTH({v}) - 1) END"
    )
}
