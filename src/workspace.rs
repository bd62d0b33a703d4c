//! Finding and loading policy files and their schema from disk. The only
//! stage besides data loading that does IO; `check` itself reads nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{CheckError, Checked, Shape, check};
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
    /// The file's canonical path, and that of the file it amends.
    pub canonical: PathBuf,
    pub amends: Option<PathBuf>,
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
                canonical: source.path.clone(),
                source,
                ast: None,
                checked: Checked {
                    policy: None,
                    diagnostics: vec![CheckError::Syntax(e)],
                },
                amends: None,
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
                    error: e,
                    path: schema_path.display().to_string(),
                    src: source.named(),
                    span: span.into(),
                }],
            };
            return Loaded {
                canonical: source.path.clone(),
                source,
                ast: Some(ast),
                checked,
                amends: None,
            };
        }
    };
    let checked = check(&source, &ast, schema);
    Loaded {
        canonical: source.path.clone(),
        source,
        ast: Some(ast),
        checked,
        amends: None,
    }
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

fn failed(
    source: SourceFile,
    ast: Option<ast::PolicyFile>,
    error: CheckError,
    amends: Option<PathBuf>,
) -> Loaded {
    Loaded {
        canonical: canonical(&source.path),
        source,
        ast,
        checked: Checked {
            policy: None,
            diagnostics: vec![error],
        },
        amends,
    }
}

/// Load, parse and check every policy file under `paths`; an amendment is
/// checked against the version it amends (loaded too, wherever it is).
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Loaded>, WorkspaceError> {
    let files = policy_files(paths)?;
    let mut done: Vec<Loaded> = Vec::new();
    for f in &files {
        load_rec(f, &mut done, &mut Vec::new())?;
    }
    Ok(done)
}

fn load_rec(
    path: &Path,
    done: &mut Vec<Loaded>,
    stack: &mut Vec<PathBuf>,
) -> Result<usize, WorkspaceError> {
    let key = canonical(path);
    if let Some(i) = done.iter().position(|l| l.canonical == key) {
        return Ok(i);
    }
    let source = SourceFile::read(path).map_err(|source| WorkspaceError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let parsed = match parse(&source) {
        Ok(a) => a,
        Err(_) => {
            let mut l = load_source(source);
            l.canonical = key;
            done.push(l);
            return Ok(done.len() - 1);
        }
    };
    let Some(amends) = parsed.header.amends.clone() else {
        let mut l = load_source(source);
        l.canonical = key;
        done.push(l);
        return Ok(done.len() - 1);
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let base_path = dir.join(&amends.value);
    let err = |shape: Shape| CheckError::Structure {
        shape,
        src: source.named(),
        span: amends.span.into(),
    };
    if !base_path.is_file() {
        let e = err(Shape::AmendedMissing {
            name: amends.value.clone(),
            path: base_path.display().to_string(),
        });
        done.push(failed(source, Some(parsed), e, None));
        return Ok(done.len() - 1);
    }
    let base_key = canonical(&base_path);
    if stack.contains(&base_key) || base_key == key {
        let e = err(Shape::AmendmentCycle);
        done.push(failed(source, Some(parsed), e, Some(base_key)));
        return Ok(done.len() - 1);
    }
    stack.push(key.clone());
    let bi = load_rec(&base_path, done, stack)?;
    stack.pop();
    let loaded = match &done[bi].checked.policy {
        Some(base) => {
            let checked = check_version(done, bi, &source, &parsed, base.schema.clone());
            drop_stale_notes(done, bi, &checked);
            Loaded {
                canonical: key,
                source,
                ast: Some(parsed),
                checked,
                amends: Some(base_key),
            }
        }
        None => {
            let e = err(Shape::AmendedFails {
                name: amends.value.clone(),
            });
            failed(source, Some(parsed), e, Some(base_key))
        }
    };
    done.push(loaded);
    Ok(done.len() - 1)
}

/// A version amended (`at` and the versions before it) keeps no note that a
/// department excepted from a group target has no target of its own when the
/// amendment's version gives it one, or notes it on its own line.
fn drop_stale_notes(done: &mut [Loaded], mut at: usize, amended: &Checked) {
    let Some(policy) = &amended.policy else {
        return;
    };
    let noted_again = |ind: &str, dept: &str| {
        amended.diagnostics.iter().any(|d| {
            matches!(d, CheckError::NoTarget { indicator, department, .. }
                if indicator == ind && department == dept)
        })
    };
    let holds = |d: &CheckError| match d {
        CheckError::NoTarget {
            indicator,
            department,
            ..
        } => {
            let has = policy.indicator(indicator).is_some_and(|i| {
                policy.indicators[i]
                    .targets
                    .iter()
                    .any(|t| t.applies_to(department))
            });
            !has && !noted_again(indicator, department)
        }
        _ => true,
    };
    let mut seen = Vec::new();
    loop {
        done[at].checked.diagnostics.retain(|d| holds(d));
        seen.push(at);
        match done[at]
            .amends
            .as_ref()
            .and_then(|a| done.iter().position(|l| &l.canonical == a))
        {
            Some(up) if !seen.contains(&up) => at = up,
            _ => break,
        }
    }
}

/// Check the version an amendment makes: the base and every amendment up to
/// it, with replaced definitions and indicators checked together, then each
/// amendment's target changes applied in order. Only the amendment's own
/// diagnostics are kept (the earlier files were reported when they were loaded).
fn check_version(
    done: &[Loaded],
    parent: usize,
    source: &SourceFile,
    parsed: &ast::PolicyFile,
    schema: Arc<crate::schema::Schema>,
) -> Checked {
    let mut chain = vec![parent];
    while let Some(up) = done[*chain.last().unwrap_or(&parent)]
        .amends
        .as_ref()
        .and_then(|a| done.iter().position(|l| &l.canonical == a))
    {
        if chain.contains(&up) {
            break;
        }
        chain.push(up);
    }
    chain.reverse();
    let mut files: Vec<(&SourceFile, &ast::PolicyFile)> = Vec::new();
    for &i in &chain {
        match &done[i].ast {
            Some(a) => files.push((&done[i].source, a)),
            None => {
                return Checked {
                    policy: None,
                    diagnostics: Vec::new(),
                };
            }
        }
    }
    files.push((source, parsed));
    let mine = |d: &CheckError| {
        crate::diagnostics::to_json(d)
            .file
            .is_none_or(|f| f == source.name)
    };
    let checked = crate::check::check_chain(&files, schema);
    let mut diagnostics: Vec<CheckError> = checked
        .diagnostics
        .into_iter()
        .filter(|d| mine(d))
        .collect();
    let Some(mut policy) = checked.policy else {
        return Checked {
            policy: None,
            diagnostics,
        };
    };
    let last = files.len() - 1;
    for j in 1..files.len() {
        let later: std::collections::HashSet<String> = files[j + 1..]
            .iter()
            .flat_map(|(_, f)| f.decls.iter())
            .filter_map(|d| match d {
                ast::Decl::Indicator(i) => Some(i.id.name.clone()),
                _ => None,
            })
            .collect();
        let prev = policy.meta.clone();
        let errs =
            crate::check::amend::apply(files[j].0, files[j].1, &mut policy, j, &prev, &later);
        if j == last {
            diagnostics.extend(errs);
        }
    }
    let ok = !diagnostics.iter().any(crate::check::is_error);
    Checked {
        policy: ok.then_some(policy),
        diagnostics,
    }
}

/// The versions of one policy, base first, each amending the one before.
pub fn chain(loaded: &[Loaded]) -> Result<Vec<std::sync::Arc<crate::ir::Policy>>, ChainError> {
    let bases: Vec<usize> = (0..loaded.len())
        .filter(|&i| loaded[i].amends.is_none() && loaded[i].checked.policy.is_some())
        .collect();
    let names = |many: &[usize]| -> Vec<String> {
        many.iter()
            .map(|i| loaded[*i].source.name.clone())
            .collect()
    };
    let base = match bases.as_slice() {
        [b] => *b,
        [] => return Err(ChainError::NoBase),
        many => return Err(ChainError::ManyBases { files: names(many) }),
    };
    let mut out = Vec::new();
    let mut cur = base;
    while let Some(p) = &loaded[cur].checked.policy {
        out.push(std::sync::Arc::new(p.clone()));
        let next: Vec<usize> = (0..loaded.len())
            .filter(|&i| loaded[i].amends.as_ref() == Some(&loaded[cur].canonical))
            .collect();
        match next.as_slice() {
            [] => break,
            [n] => cur = *n,
            many => {
                return Err(ChainError::Branches {
                    file: loaded[cur].source.name.clone(),
                    amendments: names(many),
                });
            }
        }
    }
    Ok(out)
}

/// Why the policy files loaded make no one chain of versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// No base policy passes `check`.
    NoBase,
    /// Several base policies, none chosen.
    ManyBases { files: Vec<String> },
    /// A version amended by more than one file.
    Branches {
        file: String,
        amendments: Vec<String>,
    },
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::words::Lang::En.chain_error(self))
    }
}

/// The version in force on `day` (the last with `effective <= day`), and
/// warnings: a period before the first version, or spanning a change.
pub fn select(
    chain: &[std::sync::Arc<crate::ir::Policy>],
    period: &crate::period::Period,
) -> (
    std::sync::Arc<crate::ir::Policy>,
    Vec<crate::warning::Warning>,
) {
    use crate::value::fmt_day;
    let mut warnings = Vec::new();
    let idx = chain.iter().rposition(|p| p.meta.effective <= period.end);
    let i = match idx {
        Some(i) => i,
        None => {
            warnings.push(crate::warning::Warning::BeforeFirstVersion {
                document: chain[0].meta.document.clone(),
                effective: fmt_day(chain[0].meta.effective),
            });
            0
        }
    };
    let p = chain[i].clone();
    if i > 0 && period.start < p.meta.effective {
        let prev = &chain[i - 1];
        warnings.push(crate::warning::Warning::SpansVersions {
            before: prev.meta.document.clone(),
            before_effective: fmt_day(prev.meta.effective),
            until: fmt_day(p.meta.effective - 1),
            after: p.meta.document.clone(),
            after_effective: fmt_day(p.meta.effective),
        });
    }
    (p, warnings)
}
