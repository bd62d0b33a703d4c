//! What the command says is wrong with what it was given (a file it cannot
//! write, a name the policy does not have …): the facts, found in `src/cli`,
//! said by the catalogues. Each renders as its `error:` line and, where there
//! is one, the `help:` line with the fix.

use super::{Lang, en, zh};

/// Something the command was given and cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    CannotRead {
        path: String,
        io: Io,
    },
    CannotWrite {
        path: String,
        io: Io,
    },
    /// Neither `--period` nor `--from` and `--to`.
    NoPeriod,
    UnknownEncoding {
        name: String,
    },
    /// A policy file with errors (printed before).
    PolicyFails {
        name: String,
    },
    NotAPolicyFile {
        path: String,
    },
    /// A name the policy or its schema does not have.
    Unknown {
        what: Named,
        name: String,
        /// The one meant, if one is close …
        similar: Option<String>,
        /// … else every one there is.
        all: Vec<String>,
    },
    /// A column its table does not have.
    NoColumn {
        table: String,
        column: String,
        similar: Option<String>,
        columns: Vec<String>,
    },
    /// `explain` given something else than `table:key`.
    RecordName,
    /// `impact --column` given something else than `table.column`.
    ColumnName,
    NoIndicatorReads {
        column: String,
    },
    /// `impact` given neither an indicator nor a column.
    NothingToWalk,
    /// `explain` given no record, case or indicator.
    NothingToExplain,
    NoCaseTable,
    /// `--list` (`explain`) or `--outcome` (`sql --list`) names no outcome.
    BadList {
        flag: &'static str,
        value: String,
    },
    /// `sql --list` of an indicator computed from others only.
    NoRecordsOfItsOwn {
        indicator: String,
        reads: Vec<String>,
    },
    NoRecord {
        what: String,
        near: Vec<String>,
    },
    UnknownDialect {
        name: String,
        dialects: Vec<String>,
    },
    NotADate {
        value: String,
    },
    AmendsTooEarly {
        document: String,
        effective: String,
    },
    /// `amend` never overwrites a file.
    Exists {
        path: String,
    },
    /// `report`: an `--output` whose extension names no format …
    NoReportFormat {
        path: String,
    },
    /// … or no `--output` and no `--format`.
    NoReportOutput,
    NoTrend,
    /// No `*.zb` file under the paths given.
    NoPolicyFiles {
        path: String,
    },
    /// The data folder or workbook given does not exist.
    NoData {
        path: String,
    },
    /// `--width` below the narrowest the report can be.
    TooNarrow {
        width: usize,
        min: usize,
    },
    /// `check --deny`: warnings (or notes too) remain.
    Denied {
        count: usize,
        notes: bool,
    },
}

/// The kind of a name looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Table,
    Indicator,
    Department,
}

pub use super::io::Io;

/// A line the command prints about its own work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// A file written (`amend`).
    Wrote { path: String },
    /// `fmt --check`: a file not in the layout, at its first differing line.
    NotFormatted { path: String, line: usize },
    /// `fmt --check`: how many of how many differ …
    Unformatted { differ: usize, files: usize },
    /// … or none does.
    AllFormatted { files: usize },
    /// `fmt`: how many were rewritten.
    /// `fmt`: `files` formatted, `changed` of them rewritten; `failed` could
    /// not be (each said before).
    Formatted {
        changed: usize,
        files: usize,
        failed: usize,
    },
    /// `check`: what it found.
    Checked {
        files: usize,
        errors: usize,
        warnings: usize,
    },
    /// `check`: a note on one line (`file:line:column`).
    Note { at: String, message: String },
}

impl Lang {
    /// The message of a fault and, where there is one, the fix.
    pub fn fault_texts(self, f: &Fault) -> (String, Option<String>) {
        match self {
            Lang::Zh => zh::fault::fault(f),
            Lang::En => en::fault::fault(f),
        }
    }

    /// The `error:` line (and the `help:` line) of a fault.
    pub fn fault(self, f: &Fault) -> String {
        let (message, help) = self.fault_texts(f);
        self.error_lines(&message, help.as_deref())
    }

    /// A line about the command's own work.
    pub fn done(self, d: &Done) -> String {
        match self {
            Lang::Zh => zh::fault::done(d),
            Lang::En => en::fault::done(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;

    #[test]
    fn every_fault_and_line_has_both_texts() {
        let s = |x: &str| x.to_string();
        let io = || Io::System {
            kind: std::io::ErrorKind::NotFound,
            text: s("No such file or directory (os error 2)"),
        };
        let mut all = vec![
            Fault::CannotRead {
                path: s("p.zb"),
                io: io(),
            },
            Fault::CannotWrite {
                path: s("out.json"),
                io: io(),
            },
            Fault::CannotRead {
                path: s("p.zb"),
                io: Io::NotUtf8 { gbk: true },
            },
            Fault::NoPeriod,
            Fault::UnknownEncoding { name: s("big5") },
            Fault::PolicyFails { name: s("p.zb") },
            Fault::NotAPolicyFile { path: s("x.txt") },
            Fault::RecordName,
            Fault::ColumnName,
            Fault::NoIndicatorReads {
                column: s("cases.x"),
            },
            Fault::NothingToWalk,
            Fault::NothingToExplain,
            Fault::NoCaseTable,
            Fault::BadList {
                flag: "list",
                value: s("all"),
            },
            Fault::NoRecordsOfItsOwn {
                indicator: s("HC3"),
                reads: vec![s("HC3a"), s("HC3b")],
            },
            Fault::NoRecord {
                what: s("hearings:H9"),
                near: vec![s("H1")],
            },
            Fault::NoRecord {
                what: s("hearings:H9"),
                near: vec![],
            },
            Fault::UnknownDialect {
                name: s("mysql"),
                dialects: vec![s("duckdb")],
            },
            Fault::NotADate { value: s("2022") },
            Fault::AmendsTooEarly {
                document: s("嘉法发〔2022〕15号"),
                effective: s("2022-05-31"),
            },
            Fault::Exists { path: s("a.zb") },
            Fault::NoReportFormat { path: s("a.pdf") },
            Fault::NoReportOutput,
            Fault::NoTrend,
        ];
        all.push(Fault::NoColumn {
            table: s("hearings"),
            column: s("mdoe"),
            similar: Some(s("mode")),
            columns: vec![s("mode")],
        });
        for what in [Named::Table, Named::Indicator, Named::Department] {
            for similar in [Some(s("HC4")), None] {
                all.push(Fault::Unknown {
                    what,
                    name: s("HC44"),
                    similar,
                    all: vec![s("HC4")],
                });
            }
        }
        all.push(Fault::NoData { path: s("data") });
        all.push(Fault::TooNarrow { width: 30, min: 60 });
        all.push(Fault::NoPolicyFiles {
            path: s("policies"),
        });
        for notes in [true, false] {
            all.push(Fault::Denied { count: 2, notes });
        }
        for f in &all {
            // The match makes a new kind fail to compile until it has a sample.
            match f {
                Fault::CannotRead { .. }
                | Fault::CannotWrite { .. }
                | Fault::NoPeriod
                | Fault::UnknownEncoding { .. }
                | Fault::PolicyFails { .. }
                | Fault::NotAPolicyFile { .. }
                | Fault::Unknown { .. }
                | Fault::NoColumn { .. }
                | Fault::RecordName
                | Fault::ColumnName
                | Fault::NoIndicatorReads { .. }
                | Fault::NothingToWalk
                | Fault::NothingToExplain
                | Fault::NoCaseTable
                | Fault::BadList { .. }
                | Fault::NoRecordsOfItsOwn { .. }
                | Fault::NoRecord { .. }
                | Fault::UnknownDialect { .. }
                | Fault::NotADate { .. }
                | Fault::AmendsTooEarly { .. }
                | Fault::Exists { .. }
                | Fault::NoReportFormat { .. }
                | Fault::NoReportOutput
                | Fault::NoTrend
                | Fault::NoPolicyFiles { .. }
                | Fault::NoData { .. }
                | Fault::TooNarrow { .. }
                | Fault::Denied { .. } => {}
            }
            let zh = Lang::Zh.fault(f);
            assert!(zh.starts_with("错误：") && han(&zh), "{zh}");
            let en = Lang::En.fault(f);
            assert!(en.starts_with("error: "), "{en}");
        }
        let done = [
            Done::Wrote { path: s("a.zb") },
            Done::NotFormatted {
                path: s("a.zb"),
                line: 3,
            },
            Done::Unformatted {
                differ: 1,
                files: 2,
            },
            Done::AllFormatted { files: 2 },
            Done::Checked {
                files: 2,
                errors: 1,
                warnings: 3,
            },
            Done::Note {
                at: s("p.zb:3:1"),
                message: s("`x`"),
            },
            Done::Formatted {
                changed: 1,
                files: 2,
                failed: 1,
            },
        ];
        for d in &done {
            match d {
                Done::Wrote { .. }
                | Done::NotFormatted { .. }
                | Done::Unformatted { .. }
                | Done::AllFormatted { .. }
                | Done::Formatted { .. }
                | Done::Checked { .. }
                | Done::Note { .. } => {}
            }
            assert!(han(&Lang::Zh.done(d)), "{d:?}");
            assert!(!han(&Lang::En.done(d)), "{d:?}");
        }
    }
}
