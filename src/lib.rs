//! zhibiao (指标): court performance indicators as versioned, checked policy files.
//!
//! ```text
//!  policy text ──parse──▶ ast::PolicyFile ──check(schema)──▶ ir::Policy
//!                                                              │
//!                                                          plan::compile
//!                                                              ▼
//!  CSV folder ─────────────────────────────────────eval──▶ plan::Plan ──▶ eval::Report
//!                                                              │
//!                                                          explain ──▶ record outcomes + trails
//! ```
//!
//! One public function and one output type per stage:
//! [`syntax::parse`] → [`syntax::ast::PolicyFile`];
//! [`check::check`] → [`check::Checked`] (an [`ir::Policy`] and every diagnostic);
//! [`plan::compile`] → [`plan::Plan`];
//! [`eval::eval`] → [`eval::Report`].

pub mod check;
pub mod cli;
pub mod data;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod graph;
pub mod ir;
pub mod period;
pub mod plan;
pub mod render;
pub mod schema;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod value;
pub mod workspace;
