//! `zhibiao check`: parse and check policy files, report every diagnostic.

use std::path::PathBuf;

use super::{Deny, DiagFormat, exit};
use crate::check::is_error;
use crate::words::fault::{Done, Fault};
use crate::workspace;

pub fn run(paths: Vec<PathBuf>, format: DiagFormat, deny: Option<Deny>) -> i32 {
    let paths = if paths.is_empty() {
        vec![PathBuf::from("policies")]
    } else {
        paths
    };
    let mut errors = 0;
    let mut warnings = 0;
    let mut denied = 0;
    let mut json = Vec::new();
    let loaded = match workspace::load_all(&paths) {
        Ok(l) => l,
        Err(e) => {
            super::workspace_fault(&e);
            return exit::USAGE;
        }
    };
    for l in &loaded {
        for d in &l.checked.diagnostics {
            if is_error(d) {
                errors += 1;
            } else {
                warnings += 1;
                let note = crate::diagnostics::severity_name(d) == "info";
                if matches!(
                    (deny, note),
                    (Some(Deny::Notes), _) | (Some(Deny::Warnings), false)
                ) {
                    denied += 1;
                }
            }
            match format {
                // Notes (info) take one line each; errors and warnings the full picture.
                DiagFormat::Human if crate::diagnostics::severity_name(d) == "info" => {
                    let j = crate::diagnostics::to_json(&d.said(super::lang()));
                    let at = format!(
                        "{}:{}:{}",
                        j.file.unwrap_or_default(),
                        j.line.unwrap_or(0),
                        j.column.unwrap_or(0)
                    );
                    let note = Done::Note {
                        at,
                        message: j.message,
                    };
                    eprintln!("{}", super::lang().done(&note));
                }
                DiagFormat::Human => super::report_check(d),
                DiagFormat::Json => json.push(crate::diagnostics::to_json(&d.said(super::lang()))),
            }
        }
    }
    let files: Vec<PathBuf> = loaded.iter().map(|l| l.source.path.clone()).collect();
    match format {
        DiagFormat::Human => {
            let done = Done::Checked {
                files: files.len(),
                errors,
                warnings,
            };
            eprintln!("{}", super::lang().done(&done));
        }
        DiagFormat::Json => {
            let out = serde_json::json!({
                "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": json,
            });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
    }
    if errors > 0 {
        return exit::POLICY;
    }
    if denied > 0 {
        if format == DiagFormat::Human {
            super::fault(Fault::Denied {
                count: denied,
                notes: deny == Some(Deny::Notes),
            });
        }
        return exit::POLICY;
    }
    exit::OK
}
