//! Logical plan → one SQL query that returns the counts the figures are made
//! of: per indicator part and department (and for the court) the numerator
//! and denominator counts, and per `let` measure its folded value and the
//! number of records folded.
//!
//! The query is a chain of CTEs: the period, one CTE per table read (only
//! the columns needed; in PostgreSQL a subquery where the table is read,
//! [`Dialect::inline_tables`]), one per aggregate over related rows, and per
//! indicator part one CTE of its records (department, item, whether counted,
//! whether in the numerator, each rule commented with the policy's words)
//! and one of its counts (distinct items: one row per item, by its best
//! record). A construct the generator cannot yet write is an error naming
//! the indicator and the construct, never a query that gives other figures.

mod ddl;
pub mod dialect;
mod expr;
mod list;
mod records;
pub mod server;
mod sources;

use std::fmt::Write as _;

pub use crate::data::names::Names;
pub use ddl::ddl;
pub use dialect::{DIALECTS, Dialect, dialect};
use expr::{Rows, Used, ascii_name, resolve_tables, table_cte};
pub use list::{ListSpec, list};

use crate::ir::*;
use crate::logical::Logical;
use crate::period::Period;
use crate::schema::{ColId, TableId};
use crate::value::fmt_day;

/// Why no SQL could be written; [`crate::words`] says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlError {
    Unsupported {
        indicator: String,
        construct: Construct,
        dialect: String,
    },
}

/// What of the language the SQL backend does not compile yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Construct {
    /// A relation to or an aggregate over a table with no single key column.
    NoSingleKey {
        table: String,
    },
    /// Two different enum columns compared (natively by position).
    EnumColumns,
    InListKinds,
    Arguments {
        func: String,
        given: usize,
    },
    /// `department =` by something that is not a column (check allows
    /// only columns).
    DepartmentNotColumn,
    /// A decimal column shown as text (a `per` key, an item, a list
    /// column) in a dialect that cannot round it as natively.
    DecimalText {
        column: String,
    },
    /// `per` by something that is not a column (check allows only columns).
    PerExpression,
}

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::words::Lang::En.sql_error(self).0)
    }
}

impl std::error::Error for SqlError {}

/// One line of policy text for a comment: whitespace collapsed.
fn comment(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A part's or a measure's CTE name: `hc4_talk_1`, `hc10_let_2`.
/// An indicator with a name of other letters keeps it (quoted).
fn raw_name(code: &str, suffix: &str) -> String {
    let name = if code.is_ascii() {
        ascii_name(code)
    } else {
        code.to_string()
    };
    format!("{name}_{suffix}")
}

/// One scan of a table for every part and measure that counts its records:
/// its joins, and per consumer the columns it needs, under a comment.
struct Scan<'a> {
    rows: Rows<'a>,
    /// (comment, `expr AS name`) in order.
    cols: Vec<(Option<String>, String)>,
    /// The SQL of the `department` column, once a consumer has asked for it.
    department: Option<String>,
    /// The consumers, for the CTE's comment.
    readers: Vec<String>,
    /// The item columns of each set of distinct-item columns counted here:
    /// parts counting the same items read them once.
    items: Vec<(Vec<ColId>, Vec<String>)>,
    /// Each consumer's column saying whether it counts a record, while every
    /// consumer ignores the records it does not count (a list shows them):
    /// the scan then keeps only the records one of them counts.
    counted: Option<Vec<String>>,
}

/// Distinct items of one table, by the same columns and department, grouped
/// once for every part that counts them: each part's best record per item
/// as a pair of columns. Its CTE is written with the others, once every
/// part is known.
struct ItemGroup {
    table: TableId,
    /// The item columns and the department column of the scan it groups.
    items: Vec<String>,
    department: String,
    /// What it is, for its CTE's comment.
    head: String,
    scan: String,
    /// Its CTE's place in [`Gen::ctes`].
    cte: usize,
    parts: Vec<GroupPart>,
}

/// One part of an item group: who it is, the scan column saying it counts
/// a record, and its two aggregates (numerator, denominator).
struct GroupPart {
    what: String,
    counted: String,
    n: String,
    d: String,
}

impl ItemGroup {
    /// Its CTE's comment and body: per item and department, each part's
    /// best record, over the records one of its parts counts.
    fn cte(&self) -> (String, String) {
        let readers: Vec<&str> = self.parts.iter().map(|g| g.what.as_str()).collect();
        let mut body = format!("  SELECT {} AS department", self.department);
        for g in &self.parts {
            let _ = write!(
                body,
                ",\n    -- {}: the item's best record\n    {},\n    {}",
                g.what, g.n, g.d
            );
        }
        let counted: Vec<&str> = self.parts.iter().map(|g| g.counted.as_str()).collect();
        let _ = write!(
            body,
            "\n  FROM {}\n  WHERE {}\n  GROUP BY {}, {}",
            self.scan,
            counted.join(" OR "),
            self.items.join(", "),
            self.department
        );
        (
            format!("{}, grouped once for {}", self.head, readers.join(", ")),
            body,
        )
    }
}

/// The SQL of the records CTE's `counted` column: every condition that must
/// hold, one per line, each after the comment that says why.
fn conjunction(conds: &[(String, String)], indent: &str) -> String {
    if conds.is_empty() {
        return "TRUE".into();
    }
    let mut s = String::from("(\n");
    for (i, (why, c)) in conds.iter().enumerate() {
        let _ = writeln!(s, "{indent}  -- {why}");
        let and = if i == 0 { "" } else { "AND " };
        let _ = writeln!(s, "{indent}  {and}{c}");
    }
    s.push_str(indent);
    s.push(')');
    s
}

struct Gen<'a> {
    p: &'a Policy,
    d: &'a dyn Dialect,
    used: Used,
    /// The aggregates' CTEs, each after those it reads: (comment, name, body).
    agg_ctes: Vec<(String, String, String)>,
    /// Per table read, in order of first use: its scan (taken out while a
    /// consumer is compiled into it).
    scans: Vec<Option<Scan<'a>>>,
    scan_of: Vec<Option<usize>>,
    /// The parts' and measures' CTEs, in order: (comment, name, body).
    ctes: Vec<(String, String, String)>,
    /// The final SELECTs, one per output row group.
    selects: Vec<String>,
    aggs_done: Vec<AggId>,
    item_groups: Vec<ItemGroup>,
}

impl<'a> Gen<'a> {
    fn new(p: &'a Policy, d: &'a dyn Dialect) -> Gen<'a> {
        Gen {
            p,
            d,
            used: Used::new(p.schema.tables.len()),
            agg_ctes: Vec::new(),
            scans: Vec::new(),
            scan_of: vec![None; p.schema.tables.len()],
            ctes: Vec::new(),
            selects: Vec::new(),
            aggs_done: Vec::new(),
            item_groups: Vec::new(),
        }
    }

    /// Compile one consumer of `code`'s, then the aggregates it reads
    /// (each after those it reads).
    fn with_aggs(
        &mut self,
        code: &str,
        compile: impl FnOnce(&mut Self) -> Result<(), SqlError>,
    ) -> Result<(), SqlError> {
        let before = self.used.aggs.len();
        compile(self)?;
        let new: Vec<AggId> = self.used.aggs[before..].to_vec();
        for a in new {
            self.agg(a, code)?;
        }
        Ok(())
    }

    /// The query's first lines: the policy, its version and the dialect.
    fn title(&self) -> String {
        let p = self.p;
        format!(
            "-- {} ({})\n-- version {}, in force from {}; dialect {}\n",
            p.meta.title,
            p.meta.document,
            p.meta.version,
            fmt_day(p.meta.effective),
            self.d.name()
        )
    }

    /// The query's CTEs, in order: the period, the tables read, the
    /// aggregates, the tables' scans, and the parts' and measures' own.
    fn blocks(&self, period: Option<&Period>, names: &Names) -> Vec<String> {
        let (p, d) = (self.p, self.d);
        let (start, end, after) = match period {
            Some(per) => (
                format!("DATE '{}'", fmt_day(per.start)),
                format!("DATE '{}'", fmt_day(per.end)),
                format!("DATE '{}'", fmt_day(per.end + 1)),
            ),
            None => (
                format!("CAST({} AS DATE)", d.param(1)),
                format!("CAST({} AS DATE)", d.param(2)),
                format!("CAST({} AS DATE) + 1", d.param(2)),
            ),
        };
        let mut blocks = vec![format!(
            "-- the period's first and last day, and the day after it\nperiod AS (\n  SELECT {start} AS period_start, {end} AS period_end, {after} AS period_after\n)"
        )];
        // What reads each table: its CTE, or where the dialect reads a
        // table where it is read, a subquery of the columns read.
        let mut reads = Vec::with_capacity(self.used.cols.len());
        for (t, cols) in self.used.cols.iter().enumerate() {
            let from = sources::from(names, &p.schema, d, t);
            if d.inline_tables() {
                let selected: Vec<String> = cols
                    .iter()
                    .map(|c| sources::select(names, &p.schema, d, t, *c))
                    .collect();
                let selected = if selected.is_empty() {
                    "*".to_string()
                } else {
                    selected.join(", ")
                };
                reads.push(format!("(SELECT {selected} FROM {from})"));
                continue;
            }
            reads.push(table_cte(d, p, t));
            if cols.is_empty() {
                continue;
            }
            let table = &p.schema.tables[t];
            let selected: Vec<String> = cols
                .iter()
                .map(|c| sources::select(names, &p.schema, d, t, *c))
                .collect();
            let title = table
                .title
                .as_ref()
                .map(|t| format!(" ({})", comment(t)))
                .unwrap_or_default();
            blocks.push(format!(
                "-- table {}{title}\n{} AS (\n  SELECT {}\n  FROM {from}\n)",
                table.name,
                table_cte(d, p, t),
                selected.join(", "),
            ));
        }
        for (head, name, body) in &self.agg_ctes {
            blocks.push(format!("-- {head}\n{name} AS (\n{body}\n)"));
        }
        for scan in self.scans.iter().flatten() {
            let t = scan.rows.base.table;
            let mut body = String::from("  SELECT\n");
            let n = scan.cols.len();
            for (i, (head, col)) in scan.cols.iter().enumerate() {
                if let Some(h) = head {
                    let _ = writeln!(body, "    -- {h}");
                }
                let comma = if i + 1 < n { "," } else { "" };
                let _ = writeln!(body, "    {col}{comma}");
            }
            body.push_str(&self.sources(&scan.rows));
            let (body, which) = match &scan.counted {
                Some(c) if !c.is_empty() => (
                    format!(
                        "  SELECT * FROM (\n{body}\n  ) AS counted\n  WHERE {}",
                        c.join(" OR ")
                    ),
                    " (only those one of them counts)",
                ),
                _ => (body, ""),
            };
            blocks.push(format!(
                "-- the records of {}, read once for {}{which}\n{} AS (\n{body}\n)",
                p.schema.tables[t].name,
                scan.readers.join(", "),
                self.scan_name(t)
            ));
        }
        for (i, (head, name, body)) in self.ctes.iter().enumerate() {
            let (head, body) = match self.item_groups.iter().find(|g| g.cte == i) {
                Some(g) => g.cte(),
                None => (head.clone(), body.clone()),
            };
            blocks.push(format!("-- {head}\n{name} AS (\n{body}\n)"));
        }
        blocks.iter().map(|b| resolve_tables(b, &reads)).collect()
    }
}

/// The SQL for a policy's logical plan in one dialect, reading the schema's
/// tables by their names; the period as literals, or as parameters `$1`
/// (first day) and `$2` (last day).
pub fn generate(
    p: &Policy,
    lp: &Logical,
    d: &dyn Dialect,
    period: Option<&Period>,
) -> Result<String, SqlError> {
    generate_from(p, lp, d, period, &Names::schema(&p.schema))
}

/// [`generate`], reading each table and column where `names` says.
pub fn generate_from(
    p: &Policy,
    lp: &Logical,
    d: &dyn Dialect,
    period: Option<&Period>,
    names: &Names,
) -> Result<String, SqlError> {
    let mut g = Gen::new(p, d);
    for part in &lp.parts {
        g.with_aggs(&part.code, |g| g.part(part))?;
    }
    for m in &lp.measures {
        g.with_aggs(&m.code, |g| g.measure(m))?;
    }

    let mut out = g.title();
    match period {
        Some(per) => {
            let _ = writeln!(
                out,
                "-- period {}: {} – {}",
                per.label,
                fmt_day(per.start),
                fmt_day(per.end)
            );
            // The other periods formulas read: their counts come from the
            // same query run for them (`zhibiao eval --counts` reads all).
            for o in crate::figures::other_periods(p, per) {
                let _ = writeln!(
                    out,
                    "-- formulas also read the period {}: {} – {} (run this query for it too)",
                    o.label,
                    fmt_day(o.start),
                    fmt_day(o.end)
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "-- period: parameters {} (first day) and {} (last day)",
                d.param(1),
                d.param(2)
            );
        }
    }
    out.push_str(
        "-- One row per indicator part (or `let` measure) and department, and one for the court:\n\
         -- numerator and denominator counts of a ratio part; a measure's folded value and\n\
         -- the records folded (a lookup: the matching rows; its value only when one matches);\n\
         -- and the period's first and last day.\n",
    );
    out.push_str("WITH\n");
    let blocks = g.blocks(period, names);
    out.push_str(&blocks.join(",\n"));
    out.push('\n');
    // Every row carries the period it counts, so that rows of several
    // periods can be read back together (`zhibiao eval --counts`).
    out.push_str("SELECT counts.*, period.period_start, period.period_end\nFROM (\n");
    out.push_str(&g.selects.join("\nUNION ALL\n"));
    out.push_str("\n) AS counts\nCROSS JOIN period\nORDER BY 1, 2, 4, 5;\n");
    Ok(out)
}
