//! `zhibiao report`: the 周通报 as HTML, XLSX, Markdown or JSON.

use crate::words::fault::Fault;
use std::path::PathBuf;

use super::{Inputs, exit};
use crate::report::ReportOptions;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulletinFormat {
    Html,
    Xlsx,
    Markdown,
    Json,
}

impl BulletinFormat {
    /// The format a file name's extension asks for.
    fn of(path: &std::path::Path) -> Option<BulletinFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(BulletinFormat::Html),
            "xlsx" => Some(BulletinFormat::Xlsx),
            "md" | "markdown" => Some(BulletinFormat::Markdown),
            "json" => Some(BulletinFormat::Json),
            _ => None,
        }
    }
}

pub struct Args {
    pub format: Option<BulletinFormat>,
    pub output: Option<PathBuf>,
    pub options: ReportOptions,
}

pub fn run(inputs: &Inputs, args: Args) -> i32 {
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(path)) => match BulletinFormat::of(path) {
            Some(f) => f,
            None => {
                super::fault(Fault::NoReportFormat {
                    path: path.display().to_string(),
                });
                return exit::USAGE;
            }
        },
        (None, None) => {
            super::fault(Fault::NoReportOutput);
            return exit::USAGE;
        }
    };
    if args.options.trend == 0 {
        super::fault(Fault::NoTrend);
        return exit::USAGE;
    }
    let (period, policy, version_warnings) = match super::eval::prepare(inputs) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let opts = super::eval::options(inputs);
    let data = match inputs.source(&policy.schema) {
        Ok(d) => d,
        Err(c) => return c,
    };
    let mut bulletin = match crate::report::build(&policy, &*data, &period, &opts, &args.options) {
        Ok(b) => b,
        Err(e) => {
            super::eval::data_errors(&e);
            return exit::DATA;
        }
    };
    bulletin.warnings.splice(
        0..0,
        version_warnings
            .iter()
            .map(|w| crate::words::Lang::Zh.warning(w)),
    );
    let mut bytes: Vec<u8> = Vec::new();
    let written = match format {
        BulletinFormat::Html => crate::report::html::write(&bulletin, &mut bytes),
        BulletinFormat::Xlsx => crate::report::xlsx::write(&bulletin, &mut bytes),
        BulletinFormat::Markdown => crate::report::markdown::write(&bulletin, &mut bytes),
        BulletinFormat::Json => {
            serde_json::to_writer_pretty(&mut bytes, &bulletin).map_err(std::io::Error::other)
        }
    };
    if let Err(e) = written {
        super::fault(Fault::CannotWrite {
            path: args
                .output
                .as_ref()
                .map_or_else(|| "-".to_string(), |p| p.display().to_string()),
            io: (&e).into(),
        });
        return exit::USAGE;
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = super::write_atomic(path, &bytes) {
                super::fault(Fault::CannotWrite {
                    path: path.display().to_string(),
                    io: (&e).into(),
                });
                return exit::USAGE;
            }
        }
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            if out.write_all(&bytes).and_then(|_| out.flush()).is_err() {
                return exit::USAGE;
            }
        }
    }
    exit::OK
}
