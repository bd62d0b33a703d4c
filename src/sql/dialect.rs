//! What differs between SQL engines, behind one trait: types, quoting, the
//! date arithmetic of the function registry, folds. Everything else the
//! generator writes is plain SQL (CTEs, CASE, COALESCE, LEFT JOIN, GROUP BY,
//! UNION ALL) that every engine here reads the same way.
//!
//! The Spark dialect is Spark SQL's (backquoted names, `STRING`, its own
//! date functions); it is run in local mode by the differential test.
//!
//! The PostgreSQL dialect stays within what the PostgreSQL family accepts
//! (KingbaseES, openGauss): no `FILTER`, no `GROUPING SETS`, no `::` casts.

/// One SQL engine's spelling.
pub trait Dialect: crate::funcs::Spelling {
    /// As `--dialect` names it.
    fn name(&self) -> &'static str;
    /// The type of text and enum columns.
    fn text_type(&self) -> &'static str;
    /// The type of datetimes (no time zone).
    fn datetime_type(&self) -> &'static str {
        "TIMESTAMP"
    }
    /// A quoted identifier when the name needs it.
    fn ident(&self, name: &str) -> String {
        if plain(name) {
            name.to_string()
        } else {
            self.quote(name)
        }
    }
    /// A name quoted as an identifier.
    fn quote(&self, name: &str) -> String {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
    /// A text literal.
    fn string(&self, s: &str) -> String {
        format!("'{}'", s.replace('\'', "''"))
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
    /// The least of a column of texts by their bytes, as the native engine
    /// orders them.
    fn text_min(&self, x: &str) -> String {
        format!("MIN({x})")
    }
    /// The median of a column of numbers (the mean of the two middle ones
    /// when their count is even).
    fn median(&self, x: &str) -> String;
    /// A date as text, `YYYY-MM-DD`.
    fn date_text(&self, d: &str) -> String {
        format!("CAST({d} AS {})", self.text_type())
    }
    /// A datetime as text, `YYYY-MM-DD HH:MM:SS`.
    fn datetime_text(&self, t: &str) -> String;
    /// A number as text with six decimals, rounded exactly from its binary
    /// value with ties to even (as the native engine writes it); `None`
    /// where the engine's formatting does not round so.
    fn fixed6(&self, _x: &str) -> Option<String> {
        None
    }
    /// Whether the query reads each table where it reads it, as a subquery
    /// of the columns read, rather than through one CTE per table.
    fn inline_tables(&self) -> bool {
        false
    }
    /// A table's definition (`cols`: one `name TYPE` a line) and, with a CSV
    /// file of its shape, the statement that loads it.
    fn create_table(&self, name: &str, cols: &str, csv: Option<&str>) -> String {
        let mut s = format!("CREATE TABLE {name} (\n{cols}\n);");
        if let Some(f) = csv {
            s.push_str(&format!(
                "\nCOPY {name} FROM {} (FORMAT csv, HEADER true);",
                self.string(f)
            ));
        }
        s
    }
}

/// A name every engine here reads unquoted: lower-case ASCII, not reserved.
fn plain(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&name)
}

/// Words that must be quoted as identifiers in any engine here.
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
    fn median(&self, x: &str) -> String {
        format!("median({x})")
    }
    fn datetime_text(&self, t: &str) -> String {
        format!("strftime({t}, '%Y-%m-%d %H:%M:%S')")
    }
    /// DuckDB's `printf` formats exactly, ties to even.
    fn fixed6(&self, x: &str) -> Option<String> {
        Some(format!("printf('%.6f', {x})"))
    }
}

impl crate::funcs::Spelling for DuckDb {
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
}

pub struct Postgres;

impl Dialect for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }
    fn text_type(&self) -> &'static str {
        "TEXT"
    }
    fn text_order(&self, a: &str, op: &str, b: &str) -> String {
        format!("{a} COLLATE \"C\" {op} {b} COLLATE \"C\"")
    }
    fn text_min(&self, x: &str) -> String {
        format!("MIN({x} COLLATE \"C\")")
    }
    /// PostgreSQL (12 and later) materializes a CTE that is read more than
    /// once, and then knows nothing of its rows: a table's CTE read by
    /// several joins had the planner misjudge the joins (hashing the larger
    /// side, spilling to disk) and the query's cost (forty times too high at
    /// 100k cases, past the thresholds at which the server optimizes and
    /// inlines its JIT-compiled code, seconds of work). A subquery of the
    /// table's columns is planned as the table itself, with its statistics.
    /// (`NOT MATERIALIZED` would do too, but openGauss does not accept it.)
    fn inline_tables(&self) -> bool {
        true
    }
    fn median(&self, x: &str) -> String {
        format!("percentile_cont(0.5) WITHIN GROUP (ORDER BY {x})")
    }
    /// Not by `CAST`, whose form follows the session's `DateStyle`.
    fn date_text(&self, d: &str) -> String {
        format!("to_char({d}, 'YYYY-MM-DD')")
    }
    fn datetime_text(&self, t: &str) -> String {
        format!("to_char({t}, 'YYYY-MM-DD HH24:MI:SS')")
    }
    /// The load is psql's `\\copy`, which reads the file where psql runs
    /// (a server-side `COPY` needs the file on the server and the right to read it).
    fn create_table(&self, name: &str, cols: &str, csv: Option<&str>) -> String {
        let mut s = format!("CREATE TABLE {name} (\n{cols}\n);");
        if let Some(f) = csv {
            s.push_str(&format!(
                "\n\\copy {name} FROM {} WITH (FORMAT csv, HEADER true)",
                self.string(f)
            ));
        }
        s
    }
}

impl crate::funcs::Spelling for Postgres {
    fn number_type(&self) -> &'static str {
        "DOUBLE PRECISION"
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
}

/// Spark SQL (3.4 and later, ANSI mode or not). Identifiers are quoted
/// with backquotes; datetimes are `TIMESTAMP`, read in the session's time
/// zone, which must be the one the data was written in (hours between two
/// datetimes of one zone do not depend on which).
pub struct Spark;

impl Dialect for Spark {
    fn name(&self) -> &'static str {
        "spark"
    }
    fn text_type(&self) -> &'static str {
        "STRING"
    }
    fn quote(&self, name: &str) -> String {
        format!("`{}`", name.replace('`', "``"))
    }
    /// Spark reads `\` escapes in a literal, and two literals side by side
    /// as one (`'a''b'` is `ab`): a quote and a backslash are escaped.
    fn string(&self, s: &str) -> String {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
    /// Named parameter markers, as `spark.sql(query, args={…})` binds them.
    fn param(&self, n: usize) -> String {
        match n {
            1 => ":period_start".into(),
            2 => ":period_end".into(),
            n => format!(":p{n}"),
        }
    }
    fn median(&self, x: &str) -> String {
        format!("percentile({x}, 0.5)")
    }
    fn datetime_text(&self, t: &str) -> String {
        format!("date_format({t}, 'yyyy-MM-dd HH:mm:ss')")
    }
    /// With a CSV file, the table is a temporary view over it, read with
    /// the columns' types (an empty field NULL).
    fn create_table(&self, name: &str, cols: &str, csv: Option<&str>) -> String {
        match csv {
            None => format!("CREATE TABLE {name} (\n{cols}\n);"),
            Some(f) => format!(
                "CREATE OR REPLACE TEMPORARY VIEW {name} (\n{cols}\n)\nUSING csv OPTIONS (path {}, header 'true', nullValue '', timestampFormat 'yyyy-MM-dd HH:mm:ss', dateFormat 'yyyy-MM-dd', mode 'FAILFAST');",
                self.string(f)
            ),
        }
    }
}

impl crate::funcs::Spelling for Spark {
    fn number_type(&self) -> &'static str {
        "DOUBLE"
    }
    fn hours(&self, a: &str, b: &str) -> String {
        format!("((unix_micros({b}) - unix_micros({a})) / 3600000000.0)")
    }
    fn days(&self, a: &str, b: &str) -> String {
        format!("CAST(datediff({b}, {a}) AS DOUBLE)")
    }
    fn add_months(&self, d: &str, n: &str) -> String {
        format!("add_months({d}, CAST({n} AS INTEGER))")
    }
    fn contains(&self, a: &str, b: &str) -> String {
        format!("(instr({a}, {b}) > 0)")
    }
}

/// The dialects `--dialect` accepts.
pub const DIALECTS: &[&str] = &["duckdb", "postgres", "spark"];

/// The dialect called `name`.
pub fn dialect(name: &str) -> Option<Box<dyn Dialect>> {
    match name {
        "duckdb" => Some(Box::new(DuckDb)),
        "postgres" | "postgresql" => Some(Box::new(Postgres)),
        "spark" | "sparksql" => Some(Box::new(Spark)),
        _ => None,
    }
}
