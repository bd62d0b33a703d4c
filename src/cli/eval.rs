//! `zhibiao eval`: every indicator, per department and court.

use crate::words::fault::Fault;
use std::sync::Arc;

use super::{CsvEncoding, Inputs, Output, ReportFormat, exit};
use crate::eval::{EvalError, Options};
use crate::ir::Policy;

/// Load the policy under `--policy` (a file or folder, with its amendments),
/// reporting diagnostics, and pick the version in force at the end of
/// `period` (the latest version without one). `Err` is the exit code.
pub(crate) fn load_policy(
    policy: &std::path::Path,
    period: Option<&crate::period::Period>,
) -> Result<(Arc<Policy>, Vec<crate::warning::Warning>), i32> {
    let chain = load_chain(policy)?;
    match period {
        Some(p) => Ok(crate::workspace::select(&chain, p)),
        None => Ok((chain[chain.len() - 1].clone(), Vec::new())),
    }
}

/// The policy with every table read in `--encoding`, when given.
pub(crate) fn with_encoding(policy: Arc<Policy>, inputs: &Inputs) -> Result<Arc<Policy>, i32> {
    let Some(name) = &inputs.encoding else {
        return Ok(policy);
    };
    let Some(enc) = crate::data::input::Encoding::parse(name) else {
        super::fault(Fault::UnknownEncoding { name: name.clone() });
        return Err(exit::USAGE);
    };
    let mut p = (*policy).clone();
    let mut schema = (*p.schema).clone();
    for t in &mut schema.tables {
        t.encoding = enc;
    }
    p.schema = Arc::new(schema);
    Ok(Arc::new(p))
}

/// Every version of the policy under `path`, base first, reporting the
/// diagnostics of any file that does not check. `Err` is the exit code.
pub(crate) fn load_chain(path: &std::path::Path) -> Result<Vec<Arc<Policy>>, i32> {
    let loaded = crate::workspace::load_all(&[path.to_path_buf()]).map_err(|e| {
        super::workspace_fault(&e);
        exit::USAGE
    })?;
    let mut bad = false;
    for l in &loaded {
        let errors: Vec<_> = l
            .checked
            .diagnostics
            .iter()
            .filter(|d| crate::check::is_error(d))
            .collect();
        if !errors.is_empty() {
            for d in errors {
                super::report_check(d);
            }
            super::fault(Fault::PolicyFails {
                name: l.source.name.clone(),
            });
            bad = true;
        }
    }
    if bad {
        return Err(exit::POLICY);
    }
    crate::workspace::chain(&loaded).map_err(|e| {
        eprintln!("{}", super::lang().chain_fault(&e));
        exit::USAGE
    })
}

/// The period asked for, the policy version in force then (read in
/// `--encoding`) with the warnings of its choice (printed), and a data folder
/// or workbook that exists. `Err` is the exit code.
pub(crate) fn prepare(
    inputs: &Inputs,
) -> Result<
    (
        crate::period::Period,
        Arc<Policy>,
        Vec<crate::warning::Warning>,
    ),
    i32,
> {
    let period = super::period(&inputs.period)?;
    let (policy, version_warnings) = load_policy(&inputs.policy, Some(&period))?;
    let policy = with_encoding(policy, inputs)?;
    for w in &version_warnings {
        eprintln!("{}", super::lang().warning_line(w));
    }
    let url = crate::db::is_url(&inputs.data.to_string_lossy());
    if !url && !inputs.data.is_dir() && !inputs.data.is_file() {
        super::fault(crate::words::fault::Fault::NoData {
            path: inputs.data.display().to_string(),
        });
        return Err(exit::USAGE);
    }
    Ok((period, policy, version_warnings))
}

pub(crate) fn options(inputs: &Inputs) -> Options {
    let mut o = Options {
        lenient: inputs.lenient,
        max_dropped: inputs.max_dropped,
        ..Options::default()
    };
    if let Some(t) = inputs.threads {
        o.threads = t.max(1);
    }
    o
}

/// `file:line:column: message`, or `file: message` for an error about the whole file.
pub(crate) fn located(d: &crate::data::DataError) -> String {
    format!("{}: {}", d.at(), d.message(super::lang()))
}

/// Print data errors: the first 20 in full, then counts per kind.
pub(crate) fn data_errors(e: &EvalError) {
    use crate::words::Said;
    let lang = super::lang();
    let say = |s: Said| eprintln!("{}", lang.said(&s));
    let (dir, count, errors) = match e {
        EvalError::Data { dir, count, errors } => (dir, count, errors),
        EvalError::TooManyDropped {
            file,
            rows,
            dropped,
            percent,
            max,
            errors,
        } => {
            say(Said::TooManyDropped {
                file: file.clone(),
                rows: *rows,
                dropped: *dropped,
                percent: *percent,
                max: *max,
            });
            for d in errors {
                eprintln!("  {}", located(d));
            }
            say(Said::HelpMaxDropped);
            return;
        }
    };
    say(Said::DataErrors {
        count: *count,
        dir: dir.clone(),
    });
    for d in errors.iter().take(20) {
        eprintln!("  {}", located(d));
    }
    if errors.len() > 20 {
        let mut kinds: std::collections::BTreeMap<_, usize> = Default::default();
        for d in &errors[20..] {
            *kinds.entry(d.kind).or_default() += 1;
        }
        eprintln!(
            "  {}",
            lang.said(&Said::AndMore {
                count: errors.len() - 20
            })
        );
        for (k, n) in kinds {
            eprintln!("    {n} × {}", lang.data_kind(k));
        }
    }
    let whole_files = errors.iter().all(|d| {
        matches!(
            d.kind,
            crate::data::DataErrorKind::MissingFile
                | crate::data::DataErrorKind::WrongEncoding
                | crate::data::DataErrorKind::Unreadable
                | crate::data::DataErrorKind::MissingColumn
        )
    });
    if whole_files {
        say(Said::HelpWholeFiles);
        return;
    }
    say(Said::HelpLenient);
}

pub struct Args {
    pub format: Option<ReportFormat>,
    pub output: Output,
    pub csv_encoding: Option<CsvEncoding>,
    pub width: Option<usize>,
    pub fail_below: bool,
    pub rank: bool,
    pub lang: crate::words::Lang,
    pub engine: super::Engine,
    pub counts: Option<std::path::PathBuf>,
}

/// The report of the period from counts another engine made: a file of the
/// rows it returned, or the server that runs the generated SQL. `Err` is the
/// exit code.
fn counted_elsewhere(inputs: &Inputs, args: &Args) -> Result<crate::eval::Report, i32> {
    let lang = super::lang();
    let period = super::period(&inputs.period)?;
    let (policy, version_warnings) = load_policy(&inputs.policy, Some(&period))?;
    for w in &version_warnings {
        eprintln!("{}", lang.warning_line(w));
    }
    let (rows, source) = match &args.counts {
        Some(file) => {
            let source = file.display().to_string();
            let text = match std::fs::read(file) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    super::fault(Fault::CannotRead {
                        path: source,
                        io: (&e).into(),
                    });
                    return Err(exit::USAGE);
                }
            };
            match crate::figures::rows::read(&text, &source) {
                Ok(rows) => (rows, source),
                Err(e) => {
                    eprintln!("{}", lang.counts_fault(&e));
                    return Err(exit::DATA);
                }
            }
        }
        None => {
            let url = inputs.data.to_string_lossy().into_owned();
            if !crate::db::is_url(&url) {
                eprintln!(
                    "{}",
                    lang.db_fault(&crate::db::DbError::NotUrl { given: url })
                );
                return Err(exit::USAGE);
            }
            let names = inputs.names(&policy.schema)?;
            match crate::sql::server::counts(&policy, &url, &period, &names) {
                Ok(rows) => (rows, crate::db::shown(&url)),
                Err(crate::sql::server::ServerError::Sql(e)) => {
                    eprintln!("{}", lang.sql_fault(&e));
                    return Err(exit::POLICY);
                }
                Err(crate::sql::server::ServerError::Db(e)) => {
                    eprintln!("{}", lang.db_fault(&e));
                    return Err(exit::DATA);
                }
            }
        }
    };
    match crate::figures::rows::report(&policy, &period, args.rank, &rows, &source) {
        Ok(mut r) => {
            r.warnings.splice(0..0, version_warnings);
            Ok(r)
        }
        Err(e) => {
            eprintln!("{}", lang.counts_fault(&e));
            Err(exit::DATA)
        }
    }
}

/// The columns the terminal report fits in: `--width`, else `COLUMNS`, else
/// the terminal's when standard output is one, else 80.
pub(crate) fn width(given: Option<usize>, to_file: bool) -> Result<usize, i32> {
    use std::io::IsTerminal;
    let w = given
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
        })
        .or_else(|| {
            let out = std::io::stdout();
            (!to_file && out.is_terminal())
                .then(|| terminal_size::terminal_size_of(&out))
                .flatten()
                .map(|(w, _)| w.0 as usize)
        })
        .unwrap_or(crate::render::DEFAULT_WIDTH);
    if w < crate::render::MIN_WIDTH {
        super::fault(crate::words::fault::Fault::TooNarrow {
            width: w,
            min: crate::render::MIN_WIDTH,
        });
        return Err(exit::USAGE);
    }
    Ok(w)
}

pub fn run(inputs: &Inputs, args: Args) -> i32 {
    let format = match super::format("eval", args.format, &args.output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if let Err(code) = super::csv_encoding_fits(format, args.csv_encoding) {
        return code;
    }
    let width = match width(args.width, args.output.output.is_some()) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let report = if args.counts.is_some() || args.engine == super::Engine::Postgres {
        match counted_elsewhere(inputs, &args) {
            Ok(r) => r,
            Err(code) => return code,
        }
    } else {
        let (period, policy, version_warnings) = match prepare(inputs) {
            Ok(x) => x,
            Err(code) => return code,
        };
        let plan = crate::plan::compile(policy);
        let opts = Options {
            rank: args.rank,
            ..options(inputs)
        };
        let data = match inputs.source(&plan.policy.schema) {
            Ok(d) => d,
            Err(c) => return c,
        };
        match crate::eval::eval(&plan, &*data, &period, &opts) {
            Ok(mut r) => {
                r.warnings.splice(0..0, version_warnings);
                r
            }
            Err(e) => {
                data_errors(&e);
                return exit::DATA;
            }
        }
    };
    for d in report.dropped_errors.iter().take(20) {
        let at = located(d);
        eprintln!("{}", args.lang.said(&crate::words::Said::LeftOut { at }));
    }
    if report.dropped_errors.len() > 20 {
        let count = report.dropped_errors.len() - 20;
        eprintln!(
            "{}",
            args.lang.said(&crate::words::Said::MoreLeftOut { count })
        );
    }
    let text = match format {
        ReportFormat::Human => crate::render::human(&report, width, args.lang),
        ReportFormat::Json => crate::render::json(&report, args.lang),
        ReportFormat::Csv => crate::render::csv(&report, args.lang),
        ReportFormat::Markdown => crate::render::markdown(&report, args.lang),
    };
    let bytes = match super::encoded(format, text, args.csv_encoding) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let code = super::emit(&args.output, &bytes);
    if code != exit::OK {
        return code;
    }
    let missed = report
        .indicators
        .iter()
        .flat_map(|i| &i.figures)
        .any(|f| f.missed());
    if args.fail_below && missed {
        exit::BELOW_TARGET
    } else {
        exit::OK
    }
}
