//! zhibiao (指标): court performance indicators as versioned, checked policy files.
//!
//! ```text
//!  policy text ──syntax::parse──▶ ast::PolicyFile ──check::check(schema)──▶ ir::Policy
//!      │ (amendments: workspace follows `amends`, check::check_chain + check::amend::apply)
//!      ▼                                                                    │
//!  workspace::select(period) ─── the version in force ─────────────── plan::compile
//!                                                                           ▼
//!  data::source::Source (a CSV folder in any encoding, .xlsx/.xls, a workbook, PostgreSQL)
//!      ──Scan: records + row numbers──▶ eval::run(plan, observer) ──▶ figures::Counts
//!                                         │         ──figures::assemble──▶ figures::Report ──▶ render
//!                                         │ observers of the same passes:
//!                                         ├─ explain::Explainer  (why a record was counted)
//!                                         ├─ testing (policy tests, rule coverage)
//!                                         └─ report::chase (the records to fix)
//!  eval::run_periods (every period of a bulletin, one pass) ──report::build──▶
//!      report::Bulletin ──▶ report::html / report::xlsx / report::markdown
//!  ir::Policy ──graph::build──▶ derived-from / related / reads edges
//!  ir::Policy ──logical::build──▶ logical::Logical ──sql::generate──▶ one SQL query of the counts
//!      (what each part and measure counts: plan::compile carries it, eval decides records from it)
//!      rows it returns (a file; a server: sql::server) ──figures::rows──▶ figures::Counts
//! ```
//!
//! One public function and one output type per stage:
//! [`syntax::parse`] → [`syntax::ast::PolicyFile`];
//! [`check::check`] → [`check::Checked`] (an [`ir::Policy`] and every diagnostic);
//! [`plan::compile`] → [`plan::Plan`];
//! [`eval::eval`] → [`eval::Report`] ([`eval::run`] with an [`eval::Observer`] for
//! explain and tests; [`eval::run_periods`] for many periods at once), its figures
//! made by [`figures::assemble`] from [`figures::Counts`], as from any engine's;
//! [`report::build`] → [`report::Bulletin`]. The command line is [`cli`].
//!
//! Figures and outcomes carry typed reasons ([`eval::why`]), diagnostics typed
//! problems ([`check::CheckError`]), warnings typed facts ([`warning::Warning`]);
//! [`words`] renders them, one catalogue per language.
//!
//! [`vocab`] holds the words the syntax tree and the checked policy share (spans,
//! operators, rule kinds); it sits below both, so [`ir`], [`plan`], [`eval`] and
//! the observers never name the syntax tree.

pub mod check;
pub mod cli;
pub mod data;
pub mod db;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod figures;
pub mod funcs;
pub mod graph;
pub mod ir;
pub mod logical;
pub mod output;
pub mod period;
pub mod plan;
pub mod render;
pub mod report;
pub mod schema;
pub mod source;
pub mod sql;
pub mod syntax;
pub mod testing;
pub mod value;
pub mod vocab;
pub mod warning;
pub mod words;
pub mod workspace;
