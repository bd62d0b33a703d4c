//! Explaining one record or one item reads only the rows holding the texts
//! its outcome depends on (its key and the keys of the rows it leads to), and
//! gives exactly what reading every row gives.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::Path;

use common::{one_thread, policy};
use zhibiao::explain::{Explainer, Selector};
use zhibiao::period::Period;

/// The example court's tables.
fn examples() -> Box<dyn zhibiao::data::source::Source> {
    zhibiao::data::source::files(Path::new("examples/data"))
}

/// The outcomes of explaining `selector` on the example court, read whole or
/// only through the needles.
fn outcomes(selector: Selector, needles: Vec<String>) -> Vec<String> {
    let plan = zhibiao::plan::compile(policy());
    let period = Period::parse("2022-Q2").expect("period");
    let mut obs = Explainer::new(selector);
    obs.needles = needles;
    zhibiao::eval::run(
        &plan,
        &*zhibiao::data::source::files(Path::new("examples/data")),
        &period,
        &one_thread(),
        &mut obs,
    )
    .expect("eval");
    obs.outcomes.iter().map(|o| format!("{o:?}")).collect()
}

/// The first data row of `file`, split into fields.
fn row(file: &str, nth: usize) -> Vec<String> {
    let text = std::fs::read_to_string(format!("examples/data/{file}")).expect("read");
    text.lines()
        .nth(nth)
        .expect("row")
        .split(',')
        .map(str::to_string)
        .collect()
}

#[test]
fn a_record_explained_from_its_needles_is_explained_as_from_everything() {
    let plan = zhibiao::plan::compile(policy());
    let schema = &plan.policy.schema;
    let data = &*examples();
    // A row of every table the policy reads records of, from several places.
    let mut checked = 0;
    for (table, nth) in [
        ("services", 7),
        ("services", 1500),
        ("hearings", 40),
        ("documents", 300),
        ("cases", 2000),
        ("mobile_sessions", 10),
        ("dossier_files", 55),
        ("deliberations", 3),
        ("online_filings", 30),
        ("officers", 5),
    ] {
        let t = schema.table(table).expect("table");
        let key = row(&format!("{table}.csv"), nth)[0].clone();
        let needles = zhibiao::explain::needles(&plan, data, &[(t, key.clone())])
            .expect("the row is in its file");
        assert_eq!(needles[0], key);
        let selector = Selector::Record {
            table: t,
            key: key.clone(),
        };
        let whole = outcomes(selector.clone(), Vec::new());
        assert!(!whole.is_empty(), "{table}:{key} is read by some indicator");
        assert_eq!(outcomes(selector, needles), whole, "{table}:{key}");
        checked += 1;
    }
    assert_eq!(checked, 10);
}

/// A service item (case, party, content): its rows all hold its case's id.
#[test]
fn an_item_explained_from_its_case_is_explained_as_from_everything() {
    let plan = zhibiao::plan::compile(policy());
    let schema = &plan.policy.schema;
    let services = schema.table("services").expect("services");
    let cases = schema.table("cases").expect("cases");
    let cols: Vec<usize> = ["case_id", "party_id", "content_id"]
        .iter()
        .map(|c| schema.tables[services].col(c).expect("column"))
        .collect();
    let f = row("services.csv", 12);
    let key = zhibiao::eval::item_of(&format!("{}, {}, {}", f[1], f[2], f[3]));
    let needles = zhibiao::explain::needles(&plan, &*examples(), &[(cases, f[1].clone())])
        .expect("the case is in its file");
    let selector = Selector::Items {
        table: services,
        cols,
        keys: vec![key],
    };
    let whole = outcomes(selector.clone(), Vec::new());
    assert!(whole.len() >= 2, "{whole:?}");
    assert_eq!(outcomes(selector, needles), whole);
}

#[test]
fn a_key_not_in_its_file_gives_no_needles() {
    let plan = zhibiao::plan::compile(policy());
    let t = plan.policy.schema.table("services").expect("services");
    let found = zhibiao::explain::needles(&plan, &*examples(), &[(t, "SD-none".into())]);
    assert_eq!(found, None);
}
