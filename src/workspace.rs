//! Finding and loading policy files and their schema from disk. The only
//! stage besides data loading that does IO; `check` itself reads nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{CheckError, Checked, check};
use crate::schema::Schema;
use crate::source::SourceFile;
use crate::syntax::{ast, parse};

/// The extension of policy files.
pub const EXT: &str = "zb";

/// One policy file and what checking it found.
pub struct Loaded {
    pub source: SourceFile,
    pub ast: Option<ast::PolicyFile>,
    pub checked: Checked,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WorkspaceError {
    #[error("cannot read `{path}`: {source}")]
    #[diagnostic(code(zhibiao::io))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("no policy files (`*.{EXT}`) in `{path}`")]
    #[diagnostic(
        code(zhibiao::no_policy),
        help("pass a policy file or a folder that holds one, e.g. `--policy policies`")
    )]
    Empty { path: String },
}

/// Policy files under each path (a file, or a folder searched recursively), sorted.
pub fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, WorkspaceError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| WorkspaceError::Io {
            path: p.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            collect(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    if out.is_empty() {
        return Err(WorkspaceError::Empty {
            path: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), WorkspaceError> {
    let rd = std::fs::read_dir(dir).map_err(|source| WorkspaceError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == EXT) {
            out.push(p);
        }
    }
    Ok(())
}

/// Parse and check one policy file, loading the schema its header names
/// (relative to the file).
pub fn load(path: &Path) -> Result<Loaded, WorkspaceError> {
    let source = SourceFile::read(path).map_err(|source| WorkspaceError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(load_source(source))
}

pub fn load_source(source: SourceFile) -> Loaded {
    let ast = match parse(&source) {
        Ok(a) => a,
        Err(e) => {
            return Loaded {
                source,
                ast: None,
                checked: Checked {
                    policy: None,
                    diagnostics: vec![CheckError::Syntax(e)],
                },
            };
        }
    };
    let (schema_name, span) = match &ast.header.schema {
        Some(s) => (s.value.clone(), s.span),
        None => ("schema.yaml".to_string(), ast.header.title.span),
    };
    let dir = source
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let schema_path = dir.join(&schema_name);
    let schema = match Schema::load(&schema_path) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            let checked = Checked {
                policy: None,
                diagnostics: vec![CheckError::Schema {
                    message: e.to_string(),
                    src: source.named(),
                    span: span.into(),
                    help: Some(format!(
                        "the header's `schema \"…\"` is read relative to the policy file: `{}`",
                        schema_path.display()
                    )),
                }],
            };
            return Loaded {
                source,
                ast: Some(ast),
                checked,
            };
        }
    };
    let checked = check(&source, &ast, schema);
    Loaded {
        source,
        ast: Some(ast),
        checked,
    }
}
