//! The policy language: grammar-driven parsing into a spanned syntax tree.

pub mod ast;
mod parse;

pub use parse::{SyntaxError, parse};
