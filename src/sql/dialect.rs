//! What differs between SQL engines, behind one trait: types, quoting, the
//! date arithmetic of the function registry, folds. Everything else the
//! generator writes is plain SQL (CTEs, CASE, COALESCE, LEFT JOIN, GROUP BY,
//! UNION ALL) that every engine here reads the same way.
//!
//! The PostgreSQL dialect stays within what the PostgreSQL family accepts
//! (KingbaseES, openGauss): no `FILTER`, no `GROUPING SETS`, no `::` casts.

/// One SQL engine's spelling.
pub trait Dialect {
    /// As `--dialect` names it.
    fn name(&self) -> &'static str;
    /// The type of text and enum columns.
    fn text_type(&self) -> &'static str;
    /// The type of numbers (`int` and `decimal` alike: figures are computed
    /// in floating point, as the native engine does).
    fn number_type(&self) -> &'static str;
    /// The type of datetimes (no time zone).
    fn datetime_type(&self) -> &'static str {
        "TIMESTAMP"
    }
    /// A quoted identifier when the name needs it.
    fn ident(&self, name: &str) -> String {
        let plain = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !RESERVED.contains(&name);
        if plain {
            name.to_string()
        } else {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
    }
    /// The n-th (1-based) query parameter.
    fn param(&self, n: usize) -> String {
        format!("${n}")
    }
    /// An ordering comparison of two texts by their bytes, as the native
    /// engine compares them.
    fn text_order(&self, a: &str, op: &str, b: &str) -> String {
        format!("{a} {op} {b}")
    }
    /// Hours from datetime `a` to datetime `b`.
    fn hours(&self, a: &str, b: &str) -> String;
    /// Calendar days from date `a` to date `b`.
    fn days(&self, a: &str, b: &str) -> String;
    /// Date `d` moved by `n` (a whole number) months, the 31st clamped to the
    /// month's last day.
    fn add_months(&self, d: &str, n: &str) -> String;
    /// The median of a column of numbers (the mean of the two middle ones
    /// when their count is even).
    fn median(&self, x: &str) -> String;
}

/// Words that must be quoted as identifiers in either engine.
const RESERVED: &[&str] = &[
    "all",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "between",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "in",
    "inner",
    "intersect",
    "into",
    "is",
    "join",
    "leading",
    "left",
    "like",
    "limit",
    "natural",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "placing",
    "primary",
    "references",
    "right",
    "rows",
    "select",
    "session_user",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "when",
    "where",
    "window",
    "with",
];

pub struct DuckDb;

impl Dialect for DuckDb {
    fn name(&self) -> &'static str {
        "duckdb"
    }
    fn text_type(&self) -> &'static str {
        "VARCHAR"
    }
    fn number_type(&self) -> &'static str {
        "DOUBLE"
    }
    fn hours(&self, a: &str, b: &str) -> String {
        format!("((epoch({b}) - epoch({a})) / 3600.0)")
    }
    fn days(&self, a: &str, b: &str) -> String {
        format!("CAST(date_diff('day', {a}, {b}) AS DOUBLE)")
    }
    fn add_months(&self, d: &str, n: &str) -> String {
        format!("CAST({d} + to_months(CAST({n} AS INTEGER)) AS DATE)")
    }
    fn median(&self, x: &str) -> String {
        format!("median({x})")
    }
}

pub struct Postgres;

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }
    fn text_type(&self) -> &'static str {
        "TEXT"
    }
    fn number_type(&self) -> &'static str {
        "DOUBLE PRECISION"
    }
    fn text_order(&self, a: &str, op: &str, b: &str) -> String {
        format!("{a} COLLATE \"C\" {op} {b} COLLATE \"C\"")
    }
    fn hours(&self, a: &str, b: &str) -> String {
        format!("(EXTRACT(EPOCH FROM ({b} - {a})) / 3600.0)")
    }
    fn days(&self, a: &str, b: &str) -> String {
        format!("CAST({b} - {a} AS DOUBLE PRECISION)")
    }
    fn add_months(&self, d: &str, n: &str) -> String {
        format!("CAST({d} + CAST({n} AS INTEGER) * INTERVAL '1 month' AS DATE)")
    }
    fn median(&self, x: &str) -> String {
        format!("percentile_cont(0.5) WITHIN GROUP (ORDER BY {x})")
    }
}

/// The dialects `--dialect` accepts.
pub const DIALECTS: &[&str] = &["duckdb", "postgres"];

/// The dialect called `name`.
pub fn dialect(name: &str) -> Option<Box<dyn Dialect>> {
    match name {
        "duckdb" => Some(Box::new(DuckDb)),
        "postgres" | "postgresql" => Some(Box::new(Postgres)),
        _ => None,
    }
}
