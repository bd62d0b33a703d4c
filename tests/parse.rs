//! The parsed shipped policy, as a snapshot: a change to the grammar or the
//! policy shows up here as a reviewable diff.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

use zhibiao::source::SourceFile;

#[test]
fn shipped_policy_syntax_tree() {
    let src = SourceFile::read(std::path::Path::new("policies/jiading-2022.zb")).expect("read");
    let ast = zhibiao::syntax::parse(&src).expect("the shipped policy parses");
    insta::assert_debug_snapshot!(ast);
}

#[test]
fn shipped_policy_checks_clean() {
    let loaded =
        zhibiao::workspace::load(std::path::Path::new("policies/jiading-2022.zb")).expect("load");
    let errors: Vec<String> = loaded
        .checked
        .diagnostics
        .iter()
        .filter(|d| zhibiao::check::is_error(d))
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let policy = loaded.checked.policy.expect("checked policy");
    assert_eq!(policy.indicators.len(), 21);
    assert_eq!(policy.meta.document, "嘉法发〔2022〕15号");
}
