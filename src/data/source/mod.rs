//! Where the engine reads tables from: a [`Source`] opens a table's [`Scan`]
//! with the columns a plan needs, and the scan hands every row to the engine
//! as a record of text fields (a [`::csv::ByteRecord`]) with a row number and
//! the requested columns' positions in it. The same field parsing and the
//! same data errors then apply to every source.
//!
//! - [`csv::Folder`]: a folder of table files, CSV in any encoding (or a
//!   workbook per table, read by [`excel`]); the only source that offers
//!   split points, for reading a large file in chunks on every core.
//! - [`excel::Workbook`]: one workbook (`.xlsx`, `.xls`, an HTML table under
//!   an `.xls` name) with a sheet per table.
//! - [`postgres::Database`]: the tables of a PostgreSQL database.
//!
//! The key filter (explain's one case or one record: "only the rows holding
//! these texts") is each source's own: a search of the file's bytes for CSV,
//! a `WHERE` for a database. A source says how a row is named in an error
//! ([`Place`]): a file's line, a sheet's cell, a table's key.

pub mod csv;
pub mod excel;
pub mod postgres;

use std::path::Path;

use super::{DataError, Place};
use crate::schema::Table;

/// What a scan hands each row to: its number (a file's line, a sheet's row,
/// a database row's place in the result), its fields, and the requested
/// columns' positions among them.
pub type Each<'a> = dyn FnMut(u64, &::csv::ByteRecord, &[usize]) + 'a;

/// How a read of part of a table ended.
#[derive(Debug, Clone, Copy)]
pub struct ChunkEnd {
    /// A record started exactly at the requested stop (or the table ended
    /// when reading to the end): the chunks fit together.
    pub exact: bool,
    /// The local row number of the record at the stop.
    pub stop_line: u64,
}

impl ChunkEnd {
    /// A read to the end of the table.
    pub const WHOLE: ChunkEnd = ChunkEnd {
        exact: true,
        stop_line: 1,
    };
}

/// The tables of one court's data.
pub trait Source: Send + Sync {
    /// The data as a whole is named: `examples/data`, `export.xlsx`,
    /// `postgres://user@host/db` (without its password).
    fn shown(&self) -> String;

    /// The name the errors about `table` carry (the `file` of a
    /// [`DataError`]): `examples/data/hearings.csv`, `export.xlsx!hearings`,
    /// `ods.t_hearing`.
    fn name(&self, table: &Table) -> String;

    /// How a row that refers to a row of `table` names that table when the
    /// row is not there: its file (`cases.csv`), its database table.
    fn referred(&self, table: &Table) -> String {
        table.file.clone()
    }

    /// A scan of `table`'s rows, with the schema columns `cols` found in it.
    fn open(&self, table: &Table, cols: &[usize]) -> Result<Box<dyn Scan + '_>, DataError>;

    /// The size of `table`'s data in bytes, to choose how to split its
    /// reading (0 when the source does not know or cannot split it).
    fn size(&self, _table: &Table) -> u64 {
        0
    }

    /// Points that split `table` into `n` chunks, each read on its own by
    /// [`Source::open_at`]; empty when the source offers none (the table is
    /// then read in one piece).
    fn split_points(&self, _table: &Table, _n: usize) -> Vec<u64> {
        Vec::new()
    }

    /// How an error in the row of `table` whose key is `key` is named (for
    /// the rows kept in memory, whose records are gone).
    fn place_of(&self, _table: &Table, _key: Option<&str>) -> Place {
        Place::Line
    }

    /// A scan from split point `start`, its rows numbered from 1 there. Only
    /// asked of a source that gave split points.
    fn open_at(
        &self,
        table: &Table,
        cols: &[usize],
        _start: u64,
    ) -> Result<Box<dyn Scan + '_>, DataError> {
        self.open(table, cols)
    }
}

/// An open scan of one table.
pub trait Scan {
    /// The name its errors carry (as [`Source::name`]).
    fn name(&self) -> &str;

    /// Per requested column: its position in the records handed out.
    fn positions(&self) -> &[usize];

    /// Hand every row to `f`, stopping before the row that starts at split
    /// point `stop` (a source without split points is never given one).
    /// Rows that cannot be read are errors.
    fn each(
        &mut self,
        stop: Option<u64>,
        f: &mut Each<'_>,
        errors: &mut Vec<DataError>,
    ) -> ChunkEnd;

    /// Hand `f` the rows holding one of `needles` (the key filter), at least
    /// every row whose key or relation column holds one; more is allowed.
    /// Returns the number of rows read to find them.
    fn each_holding(
        &mut self,
        needles: &[String],
        f: &mut Each<'_>,
        errors: &mut Vec<DataError>,
    ) -> u64;

    /// How the errors of a row are named.
    fn placer(&self) -> Placer {
        Placer::Lines
    }
}

/// How a scan's rows are named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placer {
    /// By line and column: `hearings.csv:17:5`.
    Lines,
    /// By cell: `export.xlsx!hearings!E17`.
    Cells,
    /// By key: `hearings[H0001].scheduled_at`; the key is the record's field
    /// at this position (`None`: a table without a key, named by row).
    Keys(Option<usize>),
}

impl Placer {
    /// The place of an error in the row `rec`.
    pub fn place(self, rec: &::csv::ByteRecord) -> Place {
        match self {
            Placer::Lines => Place::Line,
            Placer::Cells => Place::Cell,
            Placer::Keys(k) => Place::Key {
                key: k.map(|i| String::from_utf8_lossy(super::raw(rec, i)).into_owned()),
            },
        }
    }

    /// The place of an error in the row whose key is `key`.
    pub fn place_of_key(self, key: Option<&str>) -> Place {
        match self {
            Placer::Lines => Place::Line,
            Placer::Cells => Place::Cell,
            Placer::Keys(_) => Place::Key {
                key: key.map(str::to_string),
            },
        }
    }
}

/// The source `--data` names: a database by its `postgres://` or
/// `postgresql://` URL (`names`: the database's names of some of the
/// schema's tables and columns), a workbook file, else a folder of table
/// files.
pub fn open(
    data: &str,
    names: crate::data::names::Names,
) -> Result<Box<dyn Source>, crate::db::DbError> {
    if crate::db::is_url(data) {
        return Ok(Box::new(postgres::Database::connect(data, names)?));
    }
    Ok(files(Path::new(data)))
}

/// The tables in `path`: a workbook with a sheet per table when it is a
/// file, else a folder of table files.
pub fn files(path: &Path) -> Box<dyn Source> {
    if path.is_file() {
        Box::new(excel::Workbook::new(path))
    } else {
        Box::new(csv::Folder::new(path))
    }
}
