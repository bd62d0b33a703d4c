//! `zhibiao fmt`: rewrite policy files in the canonical layout, or with
//! `--check` only say which are not in it.

use crate::words::fault::{Done, Fault};
use std::path::PathBuf;

use super::{exit, report};
use crate::source::SourceFile;
use crate::syntax::fmt::format;
use crate::workspace;

pub fn run(paths: Vec<PathBuf>, check: bool) -> i32 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("policies")]
    } else {
        paths
    };
    let files = match workspace::policy_files(&paths) {
        Ok(f) => f,
        Err(e) => {
            super::workspace_fault(&e);
            return exit::USAGE;
        }
    };
    let mut differ = 0;
    let lang = super::lang();
    let mut failed = 0;
    for path in &files {
        let src = match SourceFile::read(path) {
            Ok(s) => s,
            Err(e) => {
                super::fault(Fault::CannotRead {
                    path: path.display().to_string(),
                    io: (&e).into(),
                });
                failed += 1;
                continue;
            }
        };
        let formatted = match format(&src) {
            Ok(f) => f,
            Err(crate::syntax::fmt::FmtError::Syntax(e)) => {
                report(&crate::check::said_syntax(&e, super::lang()));
                failed += 1;
                continue;
            }
            Err(crate::syntax::fmt::FmtError::Changed(c)) => {
                eprintln!("{}", lang.fmt_fault(&c));
                failed += 1;
                continue;
            }
        };
        if formatted == *src.text {
            continue;
        }
        differ += 1;
        if check {
            let line = first_difference(&src.text, &formatted);
            println!("{}", path.display());
            let path = path.display().to_string();
            eprintln!("{}", lang.done(&Done::NotFormatted { path, line }));
        } else if let Err(e) = super::write_atomic(path, &formatted) {
            super::fault(Fault::CannotWrite {
                path: path.display().to_string(),
                io: (&e).into(),
            });
            differ -= 1;
            failed += 1;
        } else {
            println!("{}", path.display());
        }
    }
    let n = files.len();
    if check {
        if differ > 0 {
            let d = Done::Unformatted { differ, files: n };
            eprintln!("{}", lang.done(&d));
        } else if failed == 0 {
            eprintln!("{}", lang.done(&Done::AllFormatted { files: n }));
        }
    } else {
        // A file that failed is not counted as formatted.
        let d = Done::Formatted {
            changed: differ,
            files: n - failed,
            failed,
        };
        eprintln!("{}", lang.done(&d));
    }
    if failed > 0 || (check && differ > 0) {
        exit::POLICY
    } else {
        exit::OK
    }
}

/// The first line (1-based) where two texts differ.
fn first_difference(a: &str, b: &str) -> usize {
    let mut la = a.lines();
    let mut lb = b.lines();
    let mut n = 1;
    loop {
        match (la.next(), lb.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (None, None) => return n,
            _ => return n,
        }
    }
}
