//! The policy language: grammar-driven parsing into a spanned syntax tree.

pub mod ast;
pub mod fmt;
mod parse;

pub use parse::{Expect, Found, SyntaxError, SyntaxHint, parse};
