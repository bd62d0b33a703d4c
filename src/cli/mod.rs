//! The `zhibiao` command line: one module per subcommand.

mod check;
mod eval;
mod explain;
mod fmt;
mod graph;
pub mod help;
mod misuse;
mod report;
mod sql;
mod test;
mod versions;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit codes shared by every subcommand.
pub mod exit {
    pub const OK: i32 = 0;
    /// Policy errors (or failed checks).
    pub const POLICY: i32 = 1;
    /// Usage errors: bad arguments, missing files.
    pub const USAGE: i32 = 2;
    /// Data errors in the CSV export.
    pub const DATA: i32 = 3;
    /// `--fail-below-target` and a target was missed.
    pub const BELOW_TARGET: i32 = 4;
}

#[derive(Parser, Debug)]
#[command(
    name = "zhibiao",
    version,
    about = "Court performance indicators as checked, versioned policy files (指标)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The language of messages, reasons and notes (default: `ZHIBIAO_LANG`,
    /// then the locale: `LC_ALL`, `LC_MESSAGES`, `LANG`; `zh…` is Chinese).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
}

/// The language this run of the command speaks (`--lang`, else the
/// environment's), for the messages printed outside a report.
static LANG: std::sync::OnceLock<crate::words::Lang> = std::sync::OnceLock::new();

pub(crate) fn lang() -> crate::words::Lang {
    LANG.get()
        .copied()
        .unwrap_or_else(crate::words::Lang::from_env)
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

impl LangArg {
    /// The language asked for, else the environment's.
    pub fn or_env(given: Option<LangArg>) -> crate::words::Lang {
        match given {
            Some(LangArg::Zh) => crate::words::Lang::Zh,
            Some(LangArg::En) => crate::words::Lang::En,
            None => crate::words::Lang::from_env(),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiagFormat {
    Human,
    Json,
}

/// What else `check --deny` fails on, besides errors.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Deny {
    /// Any warning.
    Warnings,
    /// Any warning or note.
    Notes,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Human,
    Json,
    Csv,
    Markdown,
}

impl From<ReportFormat> for crate::output::Format {
    fn from(f: ReportFormat) -> Self {
        use crate::output::Format;
        match f {
            ReportFormat::Human => Format::Human,
            ReportFormat::Json => Format::Json,
            ReportFormat::Csv => Format::Csv,
            ReportFormat::Markdown => Format::Markdown,
        }
    }
}

impl From<DiagFormat> for crate::output::Format {
    fn from(f: DiagFormat) -> Self {
        match f {
            DiagFormat::Human => crate::output::Format::Human,
            DiagFormat::Json => crate::output::Format::Json,
        }
    }
}

/// How `--format csv` is encoded.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 after a byte order mark (the default): Excel opens it as UTF-8.
    #[value(name = "utf-8-bom")]
    Utf8Bom,
    /// UTF-8 with no mark, for programs.
    #[value(name = "utf-8")]
    Utf8,
    /// GBK (code page 936), for older spreadsheet programs.
    Gbk,
}

impl From<CsvEncoding> for crate::output::CsvEncoding {
    fn from(e: CsvEncoding) -> Self {
        match e {
            CsvEncoding::Utf8Bom => crate::output::CsvEncoding::Utf8Bom,
            CsvEncoding::Utf8 => crate::output::CsvEncoding::Utf8,
            CsvEncoding::Gbk => crate::output::CsvEncoding::Gbk,
        }
    }
}

/// Where a command writes, and in what format.
#[derive(clap::Args, Debug, Clone)]
pub struct Output {
    /// Write to FILE (atomically) instead of standard output. Without
    /// `--format` its extension names the format: .txt (human), .md
    /// (markdown), .json, .csv, .dot/.gv, .mmd (mermaid), as the command writes them.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct PeriodArgs {
    /// `2022-06` (month), `2022-Q2`, `2022-W23` (ISO week), `2022-H1` (half), `2022` (year),
    /// `2022-06-YTD` (the year to date), `2022-06-01..2022-06-15`.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day, with `--to` (YYYY-MM-DD).
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day, inclusive.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
}

/// Where `eval` counts the records.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// zhibiao reads the data itself.
    Native,
    /// The generated SQL runs on a PostgreSQL-family server.
    Postgres,
}

#[derive(clap::Args, Debug, Clone)]
pub struct Inputs {
    /// Policy file or folder.
    #[arg(long, default_value = "policies")]
    pub policy: PathBuf,
    /// The tables: a folder of CSV files (one per table of the schema, or a
    /// workbook of the same name), a workbook with a sheet per table, or a
    /// database (`postgres://USER@HOST:PORT/DATABASE`).
    #[arg(long, default_value = "examples/data")]
    pub data: PathBuf,
    /// With a database as `--data`: read a table under the database's name
    /// for it, `--table cases=ods.t_case` (repeatable).
    #[arg(long = "table", value_name = "TABLE=NAME")]
    pub tables: Vec<String>,
    /// With a database as `--data`: read a column under the database's name for
    /// it, `--column cases.case_id=ajbh` (repeatable).
    #[arg(long = "column", value_name = "TABLE.COLUMN=NAME")]
    pub columns: Vec<String>,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Leave rows with data errors out (reported) instead of failing with exit 3.
    #[arg(long)]
    pub lenient: bool,
    /// With `--lenient`: the most of any table's rows that may be left out, in per
    /// cent; more is exit 3 all the same.
    #[arg(long, default_value_t = 1.0)]
    pub max_dropped: f64,
    /// Worker threads (default: the machine's cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Read every table in this encoding: auto (a BOM, UTF-8, else GBK), utf-8,
    /// gbk or utf-16 (default: each table's `encoding` in the schema, auto).
    #[arg(long)]
    pub encoding: Option<String>,
}

impl Inputs {
    /// The database's names of the schema's tables and columns (`--table`,
    /// `--column`); a mapping that names no table or column of the schema
    /// is said and is exit 2.
    pub(crate) fn names(
        &self,
        schema: &crate::schema::Schema,
    ) -> Result<crate::data::names::Names, i32> {
        crate::data::names::Names::parse(schema, &self.tables, &self.columns).map_err(|e| {
            eprintln!("{}", lang().names_fault(&e));
            exit::USAGE
        })
    }

    /// The tables `--data` names (see [`crate::data::source::open`]); a
    /// database that cannot be reached is said and is exit 3.
    pub(crate) fn source(
        &self,
        schema: &crate::schema::Schema,
    ) -> Result<Box<dyn crate::data::source::Source>, i32> {
        let names = self.names(schema)?;
        crate::data::source::open(&self.data.to_string_lossy(), names).map_err(|e| {
            eprintln!("{}", lang().db_fault(&e));
            exit::DATA
        })
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and check policy files: exit 0 clean, 1 on errors, 2 on usage errors.
    Check {
        /// Policy files or folders (default: `policies`).
        paths: Vec<PathBuf>,
        /// A policy file or folder, as every other command takes it.
        #[arg(long)]
        policy: Vec<PathBuf>,
        /// The format: human (to read on the terminal) or json.
        #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
        format: DiagFormat,
        /// Exit 1 when a warning (`warnings`) or a warning or note (`notes`) remains (for CI).
        #[arg(long, value_enum)]
        deny: Option<Deny>,
    },
    /// Rewrite policy files in the canonical layout (comments kept); `--check`: exit 1
    /// listing the files that are not in it.
    Fmt {
        /// Policy files or folders (default: `policies`).
        paths: Vec<PathBuf>,
        /// Change nothing: list the files that differ and exit 1 if any does.
        #[arg(long)]
        check: bool,
    },
    /// Evaluate every indicator for each department and the court.
    Eval {
        #[command(flatten)]
        inputs: Inputs,
        /// The report's format (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<ReportFormat>,
        #[command(flatten)]
        output: Output,
        /// The encoding of `--format csv`: utf-8-bom (the default; Excel opens it),
        /// utf-8 (no BOM) or gbk.
        #[arg(long, value_enum, value_name = "ENCODING")]
        csv_encoding: Option<CsvEncoding>,
        /// Columns the terminal report fits in (default: `COLUMNS`, else the
        /// terminal's width when writing to one, else 80).
        #[arg(long, value_name = "N")]
        width: Option<usize>,
        /// Exit 4 when any target is missed.
        #[arg(long)]
        fail_below_target: bool,
        /// Rank departments on every indicator (ties share a place). Not by
        /// default: the SPC asks that its 审判质量 data not be published as rankings.
        #[arg(long)]
        rank: bool,
        /// Where the records are counted: native (zhibiao reads the data), or
        /// postgres (the generated SQL runs on the server `--data postgres://…` names).
        #[arg(long, value_enum, default_value_t = Engine::Native)]
        engine: Engine,
        /// The figures from the counts an engine returned for the query `zhibiao sql`
        /// writes (CSV with a header, a JSON array or JSON lines), instead of the data.
        #[arg(long, value_name = "FILE", conflicts_with = "engine")]
        counts: Option<PathBuf>,
    },
    /// The 周通报: the overview, each indicator with 环比 and 同比, the trend,
    /// the departments below target and the records to fix, as HTML, XLSX or
    /// Markdown (the format from `--output`'s extension, or `--format`).
    Report {
        #[command(flatten)]
        inputs: Inputs,
        /// Write the bulletin to FILE: `周通报.html`, `.xlsx`, `.md` or `.json`.
        #[arg(long)]
        output: Option<PathBuf>,
        /// The bulletin's format (default: the extension of `--output`).
        #[arg(long, value_enum)]
        format: Option<report::BulletinFormat>,
        /// Periods in the trend, the report's own included (weeks for a week,
        /// months for a month).
        #[arg(long, default_value_t = 8)]
        trend: usize,
        /// Rank departments (never by default: the SPC asks that its 审判质量 data
        /// not be published as rankings).
        #[arg(long)]
        rank: bool,
        /// The most records listed per missed target.
        #[arg(long, default_value_t = 200)]
        max_records: usize,
        /// Show personal data (身份证号, 手机号) unmasked in the lists.
        #[arg(long)]
        show_personal: bool,
    },
    /// Why a record (or every record of a case) was counted, excluded or left out.
    Explain {
        /// A record as `table:key`, e.g. `hearings:H000123`.
        record: Option<String>,
        /// Every record of one case: `--case "(2022)沪0114民初1234号"`.
        #[arg(long, conflicts_with = "record")]
        case: Option<String>,
        /// List the records of one indicator (with `--department`, `--list`).
        #[arg(long, conflicts_with_all = ["record", "case"])]
        indicator: Option<String>,
        /// Only this department's records (with `--indicator`).
        #[arg(long, requires = "indicator")]
        department: Option<String>,
        /// numerator | denominator | excluded | out_of_period | not_counted
        #[arg(long, requires = "indicator")]
        list: Option<String>,
        /// Show personal data (身份证号, 手机号) unmasked.
        #[arg(long)]
        show_personal: bool,
        #[command(flatten)]
        inputs: Inputs,
        /// The format (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<ReportFormat>,
        #[command(flatten)]
        output: Output,
        /// The encoding of `--format csv`: utf-8-bom (the default; Excel opens it),
        /// utf-8 (no BOM) or gbk.
        #[arg(long, value_enum, value_name = "ENCODING")]
        csv_encoding: Option<CsvEncoding>,
    },
    /// The indicator graph (derived-from and related edges; `--data-lineage` adds columns read).
    Graph {
        /// Policy file or folder.
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// The format (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<graph::GraphFormat>,
        #[command(flatten)]
        output: Output,
        /// Add the columns each indicator reads.
        #[arg(long)]
        data_lineage: bool,
    },
    /// What depends on an indicator (transitively), or which indicators read a column.
    Impact {
        /// The indicator's code, e.g. `HC4`.
        indicator: Option<String>,
        /// `table.column`, e.g. `documents.e_sealed`.
        #[arg(long, conflicts_with = "indicator")]
        column: Option<String>,
        /// Policy file or folder.
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// human or json (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<DiagFormat>,
        #[command(flatten)]
        output: Output,
    },
    /// Every target in force on a date (indicator × department), with the document that set it.
    Targets {
        /// The date (YYYY-MM-DD; default: the latest version's targets).
        #[arg(long)]
        at: Option<String>,
        /// Policy file or folder.
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// human or json (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<DiagFormat>,
        #[command(flatten)]
        output: Output,
    },
    /// How an indicator's targets changed, version by version.
    History {
        /// The indicator's code, e.g. `HC4`.
        indicator: String,
        /// Only this department's targets.
        #[arg(long)]
        department: Option<String>,
        /// Policy file or folder.
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// human or json (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<DiagFormat>,
        #[command(flatten)]
        output: Output,
    },
    /// Semantic diff of two policy versions; with `--data` and a period, the figures and records that change.
    Diff {
        /// The old policy file.
        old: PathBuf,
        /// The new policy file.
        new: PathBuf,
        /// Folder of CSV files to compare the figures and records on.
        #[arg(long)]
        data: Option<PathBuf>,
        /// With a database as `--data`: read a table under the database's name
        /// for it, `--table cases=ods.t_case` (repeatable).
        #[arg(long = "table", value_name = "TABLE=NAME", requires = "data")]
        tables: Vec<String>,
        /// With a database as `--data`: read a column under the database's name
        /// for it, `--column cases.case_id=ajbh` (repeatable).
        #[arg(long = "column", value_name = "TABLE.COLUMN=NAME", requires = "data")]
        columns: Vec<String>,
        #[command(flatten)]
        period: PeriodArgs,
        /// human or json (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<DiagFormat>,
        #[command(flatten)]
        output: Output,
    },
    /// Run policy tests (YAML beside the policy): exit 1 on a failure or below `--min-coverage`.
    Test {
        /// Test files or folders (default: `policies/tests`).
        paths: Vec<PathBuf>,
        /// Print the rule coverage table.
        #[arg(long)]
        coverage: bool,
        /// Fail when rule coverage is below N percent.
        #[arg(long)]
        min_coverage: Option<f64>,
        /// human or json (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<DiagFormat>,
        #[command(flatten)]
        output: Output,
        /// Write each case's data (CSV files and `case.json`) under DIR instead
        /// of running the tests, for running the same cases on another engine.
        #[arg(long)]
        write_data: Option<PathBuf>,
    },
    /// Rule coverage on real data: the conditions and exclusions that never fired.
    Coverage {
        #[command(flatten)]
        inputs: Inputs,
        /// human or json (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<DiagFormat>,
        #[command(flatten)]
        output: Output,
    },
    /// The policy in force as one SQL query returning the counts of every indicator
    /// part per department and for the court (`--ddl`: the schema's tables).
    Sql {
        /// The SQL dialect: duckdb, postgres or spark.
        #[arg(long)]
        dialect: String,
        /// Policy file or folder.
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// Without a period the query takes the first and last day as parameters $1, $2.
        #[command(flatten)]
        period: PeriodArgs,
        /// Print `CREATE TABLE` statements for the schema's tables instead.
        #[arg(long)]
        ddl: bool,
        /// With `--ddl`: the statements that load a folder of CSV files of the
        /// tables' shape (one per table, the schema's column names as header, ISO
        /// dates and datetimes, true/false, empty for NULL).
        #[arg(long, value_name = "DIR", requires = "ddl")]
        load: Option<PathBuf>,
        /// Read a table under the database's name for it: `--table cases=ods.t_case`
        /// (repeatable).
        #[arg(long = "table", value_name = "TABLE=NAME")]
        tables: Vec<String>,
        /// Read a column under the database's name for it: `--column
        /// cases.case_id=ajbh` (repeatable).
        #[arg(long = "column", value_name = "TABLE.COLUMN=NAME")]
        columns: Vec<String>,
        /// The query of one indicator's records instead, each with its outcome,
        /// reason and clause (the list `explain --indicator … --list …` gives;
        /// needs a period).
        #[arg(long = "list", value_name = "INDICATOR", conflicts_with = "ddl")]
        list_of: Option<String>,
        /// With `--list`: only this department's records.
        #[arg(long, requires = "list_of")]
        department: Option<String>,
        /// With `--list`: numerator | denominator | excluded | out_of_period | not_counted
        #[arg(long, requires = "list_of")]
        outcome: Option<String>,
        /// With `--list`: personal data (身份证号, 手机号) unmasked.
        #[arg(long, requires = "list_of")]
        show_personal: bool,
        /// Write the SQL to FILE (atomically) instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Write a skeleton amendment of a policy that `check` accepts.
    Amend {
        /// The policy file amended.
        #[arg(long)]
        base: PathBuf,
        /// The day the amendment takes effect (YYYY-MM-DD).
        #[arg(long)]
        effective: String,
        /// The document that makes the amendment, e.g. `嘉法发〔2023〕3号`.
        #[arg(long)]
        document: String,
        /// The file to write (default: `NAME-amend-EFFECTIVE.zb` beside the policy;
        /// an existing file is never overwritten).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// What an indicator depends on: indicators (transitively) and the columns it reads.
    Deps {
        /// The indicator's code, e.g. `HC4`.
        indicator: String,
        /// Policy file or folder.
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// human or json (default: the extension of `--output`, else human).
        #[arg(long, value_enum)]
        format: Option<DiagFormat>,
        #[command(flatten)]
        output: Output,
    },
}

/// Run the command line; returns the exit code.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The language is known before clap parses, for its help and errors.
    let lang = help::lang_in_args(&args).unwrap_or_else(crate::words::Lang::from_env);
    let command = help::command(lang);
    let args = help::lang_out_of_help(args);
    let given = misuse::command_in_args(&command, &args);
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            // clap's exit code: 2 for a command line it cannot take, 0 for
            // the help or the version asked for.
            let code = e.exit_code();
            match misuse::misuse(&e, &given) {
                Some(m) => eprint!("{}", lang.misuse(&m)),
                None => {
                    let _ = e.print();
                }
            }
            return code;
        }
    };
    // The same language (`--lang` was read before clap, the same way).
    let lang = cli.lang.map_or(lang, |l| LangArg::or_env(Some(l)));
    let _ = LANG.set(lang);
    match cli.command {
        Command::Check {
            mut paths,
            policy,
            format,
            deny,
        } => {
            paths.extend(policy);
            check::run(paths, format, deny)
        }
        Command::Fmt { paths, check } => fmt::run(paths, check),
        Command::Eval {
            inputs,
            format,
            output,
            csv_encoding,
            width,
            fail_below_target,
            rank,
            engine,
            counts,
        } => eval::run(
            &inputs,
            eval::Args {
                format,
                output,
                csv_encoding,
                width,
                fail_below: fail_below_target,
                rank,
                lang,
                engine,
                counts,
            },
        ),
        Command::Report {
            inputs,
            output,
            format,
            trend,
            rank,
            max_records,
            show_personal,
        } => report::run(
            &inputs,
            report::Args {
                format,
                output,
                options: crate::report::ReportOptions {
                    trend,
                    rank,
                    max_records,
                    show_personal,
                },
            },
        ),
        Command::Explain {
            record,
            case,
            indicator,
            department,
            list,
            show_personal,
            inputs,
            format,
            output,
            csv_encoding,
        } => explain::run(
            &inputs,
            explain::Args {
                record,
                case,
                indicator,
                department,
                list,
                show_personal,
                lang,
            },
            format,
            &output,
            csv_encoding,
        ),
        Command::Graph {
            policy,
            format,
            output,
            data_lineage,
        } => graph::show(&policy, format, &output, data_lineage),
        Command::Impact {
            indicator,
            column,
            policy,
            format,
            output,
        } => graph::walk(
            &policy,
            indicator.as_deref(),
            column.as_deref(),
            petgraph::Direction::Outgoing,
            format,
            &output,
        ),
        Command::Test {
            paths,
            coverage,
            min_coverage,
            format,
            output,
            write_data,
        } => test::run(test::Args {
            paths,
            coverage,
            min_coverage,
            format,
            output,
            write_data,
        }),
        Command::Coverage {
            inputs,
            format,
            output,
        } => test::coverage(&inputs, format, &output),
        Command::Targets {
            at,
            policy,
            format,
            output,
        } => versions::targets(&policy, at.as_deref(), format, &output),
        Command::History {
            indicator,
            department,
            policy,
            format,
            output,
        } => versions::history(&policy, &indicator, department.as_deref(), format, &output),
        Command::Diff {
            old,
            new,
            data,
            tables,
            columns,
            period,
            format,
            output,
        } => versions::diff(versions::DiffArgs {
            old,
            new,
            data,
            tables,
            columns,
            period,
            format,
            output,
        }),
        Command::Sql {
            dialect,
            policy,
            period,
            ddl,
            load,
            tables,
            columns,
            list_of,
            department,
            outcome,
            show_personal,
            output,
        } => sql::run(sql::Args {
            policy,
            dialect,
            period,
            ddl,
            load,
            tables,
            columns,
            list: list_of.map(|indicator| sql::ListArgs {
                indicator,
                department,
                outcome,
                show_personal,
            }),
            output,
        }),
        Command::Amend {
            base,
            effective,
            document,
            output,
        } => versions::amend(&base, &effective, &document, output),
        Command::Deps {
            indicator,
            policy,
            format,
            output,
        } => graph::walk(
            &policy,
            Some(&indicator),
            None,
            petgraph::Direction::Incoming,
            format,
            &output,
        ),
    }
}

pub(crate) fn color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Print what the command cannot use to standard error, in the language asked.
pub(crate) fn fault(f: crate::words::fault::Fault) {
    eprintln!("{}", lang().fault(&f));
}

/// A policy path that cannot be read, said as the fault it is.
pub(crate) fn workspace_fault(e: &crate::workspace::WorkspaceError) {
    use crate::words::fault::{Fault, Io};
    fault(match e {
        crate::workspace::WorkspaceError::Io { path, source } => Fault::CannotRead {
            path: path.clone(),
            io: Io::from(source),
        },
        crate::workspace::WorkspaceError::Empty { path } => {
            Fault::NoPolicyFiles { path: path.clone() }
        }
    });
}

/// A name that is not among `all`, with the one meant if one is close.
pub(crate) fn unknown(
    what: crate::words::fault::Named,
    name: &str,
    all: &[&str],
) -> crate::words::fault::Fault {
    crate::words::fault::Fault::Unknown {
        what,
        name: name.to_string(),
        similar: crate::check::did_you_mean(name, all.iter().copied())
            .first()
            .map(ToString::to_string),
        all: all.iter().map(ToString::to_string).collect(),
    }
}

/// An indicator computed from others only (HC3 = 75% × HC3a + 25% × HC3b)
/// has no records to list: the fault naming those it reads.
pub(crate) fn no_records_of_its_own(
    policy: &crate::ir::Policy,
    ind: crate::ir::IndId,
) -> Option<crate::words::fault::Fault> {
    match &policy.indicators[ind].body {
        crate::ir::Body::Formula { lets, value } if lets.is_empty() => {
            Some(crate::words::fault::Fault::NoRecordsOfItsOwn {
                indicator: policy.indicators[ind].code.clone(),
                reads: value
                    .indicators()
                    .into_iter()
                    .map(|i| policy.indicators[i].code.clone())
                    .collect(),
            })
        }
        _ => None,
    }
}

/// Print a diagnostic to standard error.
pub(crate) fn report(d: &dyn miette::Diagnostic) {
    eprint!("{}", crate::diagnostics::render_in(d, color(), lang()));
}

/// Print a diagnostic of `check` to standard error, in the language asked.
pub(crate) fn report_check(d: &crate::check::CheckError) {
    report(&d.said(lang()));
}

/// The format a command writes: `--format`, else the one `--output`'s
/// extension names, else the command's first (the terminal layout). `Err` is
/// the exit code, the error printed.
pub(crate) fn format<F: ValueEnum + Copy + Into<crate::output::Format>>(
    command: &'static str,
    explicit: Option<F>,
    out: &Output,
) -> Result<F, i32> {
    let variants = F::value_variants();
    let supported: Vec<crate::output::Format> = variants.iter().map(|f| (*f).into()).collect();
    let chosen = crate::output::resolve(
        command,
        explicit.map(Into::into),
        out.output.as_deref(),
        &supported,
    )
    .map_err(|e| {
        eprintln!("{}", lang().output_fault(&e));
        exit::USAGE
    })?;
    variants
        .iter()
        .copied()
        .find(|f| (*f).into() == chosen)
        .ok_or(exit::USAGE)
}

/// `--csv-encoding` is for CSV output only.
pub(crate) fn csv_encoding_fits(format: ReportFormat, enc: Option<CsvEncoding>) -> Result<(), i32> {
    if enc.is_some() && format != ReportFormat::Csv {
        let e = crate::output::OutputError::EncodingWithoutCsv {
            format: crate::output::Format::from(format).name(),
        };
        eprintln!("{}", lang().output_fault(&e));
        return Err(exit::USAGE);
    }
    Ok(())
}

/// A command's text as it is written: CSV in `--csv-encoding` (UTF-8 with a
/// BOM by default), anything else as UTF-8. `Err` is the exit code.
pub(crate) fn encoded(
    format: ReportFormat,
    text: String,
    enc: Option<CsvEncoding>,
) -> Result<Vec<u8>, i32> {
    if format != ReportFormat::Csv {
        return Ok(text.into_bytes());
    }
    let enc = enc.map(Into::into).unwrap_or_default();
    crate::output::encode_csv(&text, enc).map_err(|e| {
        eprintln!("{}", lang().output_fault(&e));
        exit::USAGE
    })
}

/// Write a command's output to `--output` (atomically) or standard output.
pub(crate) fn emit(out: &Output, bytes: &[u8]) -> i32 {
    match &out.output {
        Some(path) => match write_atomic(path, bytes) {
            Ok(()) => exit::OK,
            Err(e) => {
                fault(crate::words::fault::Fault::CannotWrite {
                    path: path.display().to_string(),
                    io: (&e).into(),
                });
                exit::USAGE
            }
        },
        None => {
            use std::io::Write;
            let mut so = std::io::stdout().lock();
            let _ = so.write_all(bytes);
            let _ = so.flush();
            exit::OK
        }
    }
}

/// Write `text` to `path` atomically: a temporary file beside it, then rename.
pub(crate) fn write_atomic(path: &std::path::Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text.as_ref())?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

pub(crate) fn period(p: &PeriodArgs) -> Result<crate::period::Period, i32> {
    let r = match (&p.period, &p.from, &p.to) {
        (Some(s), _, _) => crate::period::Period::parse(s),
        (None, Some(f), Some(t)) => crate::period::Period::range(f, t),
        _ => {
            fault(crate::words::fault::Fault::NoPeriod);
            return Err(exit::USAGE);
        }
    };
    r.map_err(|e| {
        eprintln!("{}", lang().period_fault(&e));
        exit::USAGE
    })
}
