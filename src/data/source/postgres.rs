//! The tables of a PostgreSQL database (or one of its family), named by a
//! `postgres://` or `postgresql://` URL. Each table is the schema's table of
//! the same name, or the name `--table cases=ods.t_case` gives it; its
//! columns are found by the schema's names, titles and aliases as a file's
//! header is, or by the name `--column cases.case_id=ajbh` gives one (the
//! same [`Names`] the SQL backend writes its queries with). Only the columns the plan needs are selected, each cast to
//! text, so that the same field parsing and the same data errors apply as
//! for a file; an error names the table, the row's key and the column
//! (`hearings[H0001].scheduled_at`). The key filter (explain's one case) is
//! a `WHERE` on the columns read. Each scan has a connection of its own (the
//! engine reads tables on several threads), taken from a small pool.

use std::sync::Mutex;

use super::{ChunkEnd, Each, Placer, Scan, Source};
use crate::data::names::Names;
use crate::data::{DataError, DataErrorKind, Place, Problem, map_header, table_error};
use crate::db::DbError;
use crate::schema::Table;

/// A database's tables.
pub struct Database {
    /// The URL as given (to connect again), and as shown.
    url: String,
    shown: String,
    /// The names the database gives the schema's tables and columns.
    names: Names,
    /// Connections not in use.
    pool: Mutex<Vec<postgres::Client>>,
}

impl Database {
    /// Connect to the database `url` names (a connection failure is the
    /// error); `names`: the database's names of some of the schema's tables
    /// and columns.
    pub fn connect(url: &str, names: Names) -> Result<Database, DbError> {
        let client = crate::db::connect(url)?;
        Ok(Database {
            url: url.to_string(),
            shown: crate::db::shown(url),
            names,
            pool: Mutex::new(vec![client]),
        })
    }

    /// What the database names `table` by: the mapped name as written, or
    /// the schema's name, quoted.
    fn db_name(&self, table: &Table) -> String {
        match self.names.of_table(&table.name) {
            Some(n) => n.to_string(),
            None => quote(&table.name),
        }
    }

    /// A connection of the pool, or a new one.
    fn client(&self) -> Result<postgres::Client, DbError> {
        if let Some(c) = self.pool.lock().ok().and_then(|mut p| p.pop())
            && !c.is_closed()
        {
            return Ok(c);
        }
        crate::db::connect(&self.url)
    }

    fn give_back(&self, c: postgres::Client) {
        if let Ok(mut p) = self.pool.lock()
            && p.len() < 8
        {
            p.push(c);
        }
    }

    fn query_error(&self, e: &postgres::Error) -> DbError {
        DbError::Query {
            url: self.shown.clone(),
            why: crate::db::server_words(e),
        }
    }
}

/// `name` as an identifier PostgreSQL takes whatever its letters.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Source for Database {
    fn shown(&self) -> String {
        self.shown.clone()
    }

    fn name(&self, table: &Table) -> String {
        self.names
            .of_table(&table.name)
            .map_or_else(|| table.name.clone(), str::to_string)
    }

    fn referred(&self, table: &Table) -> String {
        self.name(table)
    }

    fn place_of(&self, _: &Table, key: Option<&str>) -> Place {
        Place::Key {
            key: key.map(str::to_string),
        }
    }

    fn size(&self, table: &Table) -> u64 {
        let Ok(mut c) = self.client() else {
            return 0;
        };
        let size = c
            .query_one(
                "SELECT COALESCE(pg_relation_size(to_regclass($1)), 0)::bigint",
                &[&self.db_name(table)],
            )
            .ok()
            .and_then(|r| r.try_get::<_, i64>(0).ok())
            .map_or(0, |n| n.max(0) as u64);
        self.give_back(c);
        size
    }

    fn open(&self, table: &Table, cols: &[usize]) -> Result<Box<dyn Scan + '_>, DataError> {
        let file = self.name(table);
        let db_name = self.db_name(table);
        let fail = |e: DbError| {
            table_error(
                &file,
                DataErrorKind::Unreadable,
                Problem::Database { error: e },
            )
        };
        let mut client = self.client().map_err(fail)?;
        // The table's columns, in order; none when there is no such table.
        let found = client.query(
            "SELECT a.attname::text FROM pg_attribute a \
             WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attnum",
            &[&db_name],
        );
        let names: Vec<String> = match found {
            Ok(rows) => rows.iter().filter_map(|r| r.try_get(0).ok()).collect(),
            Err(e) => {
                let e = self.query_error(&e);
                self.give_back(client);
                return Err(fail(e));
            }
        };
        if names.is_empty() {
            let tables: Vec<String> = client
                .query(
                    "SELECT c.relname::text FROM pg_class c \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') \
                     AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                     AND n.nspname NOT LIKE 'pg_toast%'",
                    &[],
                )
                .map(|rows| rows.iter().filter_map(|r| r.try_get(0).ok()).collect())
                .unwrap_or_default();
            self.give_back(client);
            let close = crate::check::did_you_mean(&table.name, tables.iter().map(String::as_str))
                .into_iter()
                .next();
            return Err(table_error(
                &file,
                DataErrorKind::MissingFile,
                Problem::NoTable {
                    table: table.name.clone(),
                    name: file.clone(),
                    database: self.shown.clone(),
                    close,
                },
            ));
        }
        // A column `--column` names is found by the database's name for it
        // (written as given, or quoted): that header reads as the schema's.
        let renamed: Vec<String> = names
            .iter()
            .map(|h| {
                table
                    .columns
                    .iter()
                    .find(|c| {
                        self.names
                            .of_column(&table.name, &c.name)
                            .is_some_and(|db| db == h || db == quote(h))
                    })
                    .map_or_else(|| h.clone(), |c| c.name.clone())
            })
            .collect();
        let header: Vec<&str> = renamed.iter().map(String::as_str).collect();
        let found = match map_header(table, cols, &header) {
            Ok(p) => p,
            Err(missing) => {
                self.give_back(client);
                let mut e = table_error(
                    &file,
                    DataErrorKind::MissingColumn,
                    Problem::NoColumns {
                        table: file.clone(),
                        columns: missing,
                    },
                );
                e.column = e_column(&e);
                return Err(e);
            }
        };
        let key = table
            .key()
            .and_then(|k| map_header(table, &[k], &header).ok())
            .and_then(|p| p.first().copied());
        let mut select: Vec<String> = found.iter().map(|&p| quote(&names[p])).collect();
        if let Some(k) = key {
            select.push(quote(&names[k]));
        }
        let n = found.len();
        Ok(Box::new(Rows {
            db: self,
            client: Some(client),
            file,
            from: db_name,
            select,
            positions: (0..n).collect(),
            placer: Placer::Keys(key.map(|_| n)),
        }))
    }
}

/// The first missing column's name, for the error's column.
fn e_column(e: &DataError) -> String {
    match &*e.problem {
        Problem::NoColumns { columns, .. } => {
            columns.first().map(|c| c.name.clone()).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// A scan of one table.
struct Rows<'d> {
    db: &'d Database,
    client: Option<postgres::Client>,
    file: String,
    /// The table as the query names it, and the columns it selects (those
    /// asked for, then the key).
    from: String,
    select: Vec<String>,
    positions: Vec<usize>,
    placer: Placer,
}

impl Drop for Rows<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            self.db.give_back(c);
        }
    }
}

impl Rows<'_> {
    /// Run the query (with the needles as `$1` when `filter`) and hand every
    /// row to `f`; the rows read.
    fn run(
        &mut self,
        needles: Option<&[String]>,
        f: &mut Each<'_>,
        errors: &mut Vec<DataError>,
    ) -> u64 {
        let cols: Vec<String> = self.select.iter().map(|c| format!("{c}::text")).collect();
        let mut sql = format!(
            "SELECT {} FROM {}",
            if cols.is_empty() {
                "1".to_string()
            } else {
                cols.join(", ")
            },
            self.from
        );
        if needles.is_some() {
            let any: Vec<String> = cols.iter().map(|c| format!("{c} = ANY($1)")).collect();
            sql.push_str(" WHERE ");
            sql.push_str(&if any.is_empty() {
                "false".to_string()
            } else {
                any.join(" OR ")
            });
        }
        let Some(client) = self.client.as_mut() else {
            return 0;
        };
        let width = self.select.len();
        let mut rec = ::csv::ByteRecord::new();
        let mut rows = 0u64;
        let result = (|| -> Result<(), postgres::Error> {
            use postgres::fallible_iterator::FallibleIterator;
            let filter = needles.is_some();
            let needles: Vec<&str> = needles.unwrap_or(&[]).iter().map(String::as_str).collect();
            let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                if filter { vec![&needles] } else { Vec::new() };
            let mut it = client.query_raw(sql.as_str(), params)?;
            while let Some(row) = it.next()? {
                rows += 1;
                rec.clear();
                for i in 0..width {
                    let v: Option<&str> = row.try_get(i)?;
                    rec.push_field(v.unwrap_or("").as_bytes());
                }
                f(rows, &rec, &self.positions);
            }
            Ok(())
        })();
        if let Err(e) = result {
            let e = self.db.query_error(&e);
            errors.push(table_error(
                &self.file,
                DataErrorKind::Unreadable,
                Problem::Database { error: e },
            ));
            // A connection that failed a query is not given back.
            self.client = None;
        }
        rows
    }
}

impl Scan for Rows<'_> {
    fn name(&self) -> &str {
        &self.file
    }

    fn positions(&self) -> &[usize] {
        &self.positions
    }

    fn each(&mut self, _: Option<u64>, f: &mut Each<'_>, errors: &mut Vec<DataError>) -> ChunkEnd {
        self.run(None, f, errors);
        ChunkEnd::WHOLE
    }

    /// The rows where one of the columns read holds one of `needles`, found
    /// by the server (`WHERE … = ANY($1)`).
    fn each_holding(
        &mut self,
        needles: &[String],
        f: &mut Each<'_>,
        errors: &mut Vec<DataError>,
    ) -> u64 {
        self.run(Some(needles), f, errors)
    }

    fn placer(&self) -> Placer {
        self.placer
    }
}
