//! The SQL backend: the query for the shipped policy in each dialect (a
//! snapshot each), the period as parameters, the tables' definitions, and a
//! construct that cannot be compiled yet failing with the error that names
//! it. The figures the queries give are compared with native eval on real
//! engines by `tests/sql/run.sh`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use std::path::Path;
use std::process::Command;

use zhibiao::period::Period;
use zhibiao::sql::{SqlError, dialect, generate};

fn query(dialect_name: &str, period: Option<&str>) -> String {
    let p = common::policy();
    let lp = zhibiao::logical::build(&p);
    let d = dialect(dialect_name).expect("dialect");
    let period = period.map(|s| Period::parse(s).expect("period"));
    generate(&p, &lp, d.as_ref(), period.as_ref()).expect("sql")
}

#[test]
fn duckdb_query_for_a_month() {
    insta::assert_snapshot!(query("duckdb", Some("2022-06")));
}

#[test]
fn postgres_query_for_a_month() {
    insta::assert_snapshot!(query("postgres", Some("2022-06")));
}

#[test]
fn spark_query_for_a_month() {
    insta::assert_snapshot!(query("spark", Some("2022-06")));
}

#[test]
fn load_statements_for_a_csv_folder() {
    let p = common::policy();
    let sources = zhibiao::sql::Names::schema(&p.schema);
    let dir = Path::new("/data/court");
    let mut all = String::new();
    for name in ["duckdb", "postgres", "spark"] {
        let d = dialect(name).expect("dialect");
        let ddl = zhibiao::sql::ddl(&p.schema, d.as_ref(), &sources, Some(dir));
        // The hearings table, as each engine loads it.
        let start = ddl
            .find("-- 庭审")
            .or_else(|| ddl.find("hearings ("))
            .expect("hearings");
        let part: String = ddl[start..].split("\n\n").next().unwrap_or("").to_string();
        let end = part.find("\n-- ").unwrap_or(part.len());
        all.push_str(&format!("== {name}\n{}\n", &part[..end]));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn tables_and_columns_under_the_databases_names() {
    let p = common::policy();
    let lp = zhibiao::logical::build(&p);
    let d = dialect("postgres").expect("dialect");
    let sources = zhibiao::sql::Names::parse(
        &p.schema,
        &["hearings=ods.t_hearings".to_string()],
        &["hearings.mode=ktfs".to_string()],
    )
    .expect("mapping");
    let period = Period::parse("2022-06").expect("period");
    let q = zhibiao::sql::generate_from(&p, &lp, d.as_ref(), Some(&period), &sources).expect("sql");
    // Renamed where the table is read (in PostgreSQL a subquery of its
    // columns, read once here): the rest reads the schema's name.
    assert!(q.contains("ktfs AS mode"), "{q}");
    assert!(q.contains("FROM ods.t_hearings) AS r\n"), "{q}");
    assert_eq!(q.matches("ktfs").count(), 1);
    let ddl = zhibiao::sql::ddl(&p.schema, d.as_ref(), &sources, None);
    assert!(ddl.contains("CREATE TABLE ods.t_hearings ("));
    assert!(ddl.contains("  ktfs TEXT,"));
    for (columns, want) in [
        ("hearings.mdoe=x", "UnknownColumn"),
        ("hearings=x", "ColumnMapping"),
        ("hearing.mode=x", "UnknownTable"),
    ] {
        let e = zhibiao::sql::Names::parse(&p.schema, &[], &[columns.to_string()])
            .expect_err("bad mapping");
        assert!(format!("{e:?}").starts_with(want), "{columns}: {e:?}");
    }
}

#[test]
fn the_period_may_be_left_to_parameters() {
    let q = query("postgres", None);
    assert!(q.contains(
        "SELECT CAST($1 AS DATE) AS period_start, CAST($2 AS DATE) AS period_end, CAST($2 AS DATE) + 1 AS period_after"
    ));
    assert!(!q.contains("DATE '2022-"));
}

#[test]
fn postgres_query_has_no_duckdb_only_syntax() {
    let q = query("postgres", Some("2022-Q2"));
    for word in [
        "epoch(",
        "date_diff(",
        "to_months(",
        "median(",
        "::",
        " FILTER (",
        "GROUPING SETS",
        "QUALIFY",
    ] {
        assert!(!q.contains(word), "`{word}` in the PostgreSQL query");
    }
}

#[test]
fn every_indicator_part_and_measure_is_named() {
    let p = common::policy();
    let q = query("duckdb", Some("2022-06"));
    for ind in &p.indicators {
        // A value computed from other indicators alone (HC3) reads no records.
        if let zhibiao::ir::Body::Formula { lets, .. } = &ind.body
            && lets.is_empty()
        {
            continue;
        }
        assert!(
            q.contains(&format!("SELECT '{}' AS indicator", ind.code)),
            "{} has no rows in the query",
            ind.code
        );
    }
    // The policy's reasons are the query's comments.
    assert!(q.contains("-- exclude status = \"取消\" — 取消庭审"));
    assert!(q.contains("诉前调解案件不纳入全流程指标体系 (附件1 共性对策6)"));
}

#[test]
fn tables_definitions() {
    let p = common::policy();
    let d = dialect("postgres").expect("dialect");
    let ddl = zhibiao::sql::ddl(
        &p.schema,
        d.as_ref(),
        &zhibiao::sql::Names::schema(&p.schema),
        None,
    );
    assert!(ddl.contains("CREATE TABLE hearings (\n  hearing_id TEXT,"));
    assert!(ddl.contains("  scheduled_at TIMESTAMP,"));
    assert!(ddl.contains("  cpu_ghz DOUBLE PRECISION,"));
}

#[test]
fn distinct_items_whose_department_varies_count_for_their_best_records() {
    let loaded = zhibiao::workspace::load(Path::new("tests/fixtures/sql/distinct-department.zb"))
        .expect("load");
    let p = loaded.checked.policy.expect("checks");
    let lp = zhibiao::logical::build(&p);
    for (name, least) in [
        (
            "duckdb",
            "MIN(CASE WHEN department <> '' THEN department END)",
        ),
        (
            "postgres",
            "MIN(CASE WHEN department <> '' THEN department END COLLATE \"C\")",
        ),
        (
            "spark",
            "MIN(CASE WHEN department <> '' THEN department END)",
        ),
    ] {
        let d = dialect(name).expect("dialect");
        let sql = generate(&p, &lp, d.as_ref(), None).expect("compiles");
        // Each item's best records, and of their departments the first by bytes.
        assert!(
            sql.contains("OVER (PARTITION BY s1_1_item_1, s1_1_item_2) AS best_rank"),
            "{sql}"
        );
        assert!(
            sql.contains("WHERE outcome_rank = best_rank AND best_rank > 0"),
            "{sql}"
        );
        assert!(sql.contains(least), "{name}: {sql}");
    }
}

#[test]
fn distinct_items_by_a_decimal_column_are_compiled_where_the_dialect_rounds_as_natively() {
    let loaded = zhibiao::workspace::load(Path::new("tests/fixtures/sql/distinct-decimal.zb"))
        .expect("load");
    let p = loaded.checked.policy.expect("checks");
    let lp = zhibiao::logical::build(&p);
    // DuckDB's printf rounds a number's six places as natively.
    let d = dialect("duckdb").expect("dialect");
    let sql = generate(&p, &lp, d.as_ref(), None).expect("duckdb writes it");
    assert!(sql.contains("printf('%.6f', r.cpu_ghz)"), "{sql}");
    // PostgreSQL and Spark round a decimal rendering: refused, naming the column.
    for name in ["postgres", "spark"] {
        let d = dialect(name).expect("dialect");
        let err = generate(&p, &lp, d.as_ref(), None).expect_err("unsupported");
        let SqlError::Unsupported {
            indicator,
            construct,
            dialect,
        } = &err;
        assert_eq!(indicator, "S2");
        assert_eq!(dialect, name);
        assert_eq!(
            *construct,
            zhibiao::sql::Construct::DecimalText {
                column: "computers.cpu_ghz".into()
            }
        );
    }
    let (code, out, err) = sql_cli(
        &[
            "--dialect",
            "postgres",
            "--policy",
            "tests/fixtures/sql/distinct-decimal.zb",
        ],
        "en",
    );
    assert_eq!((code, out.as_str()), (1, ""));
    insta::assert_snapshot!("sql_refused_decimal_text_en", err);
    let (_, _, err) = sql_cli(
        &[
            "--dialect",
            "spark",
            "--policy",
            "tests/fixtures/sql/distinct-decimal.zb",
        ],
        "zh",
    );
    insta::assert_snapshot!("sql_refused_decimal_text_zh", err);
}

#[test]
fn an_unknown_dialect_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args(["sql", "--dialect", "oracle", "--period", "2022-06"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown dialect `oracle`") && err.contains("duckdb, postgres"),
        "{err}"
    );
}

#[test]
fn test_cases_data_can_be_written_for_other_engines() {
    let dir = common::fresh_dir("zhibiao-sql-cases");
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args(["test", "policies/tests/hc3-service.yaml", "--write-data"])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let about: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("001/case.json")).expect("case.json"),
    )
    .expect("json");
    assert_eq!(about["period"], "2022-06");
    assert_eq!(about["policy"], "policies");
    let services = std::fs::read_to_string(dir.join("001/services.csv")).expect("services");
    assert!(services.starts_with("service_id,case_id,party_id,content_id,channel,sent_at"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tables_may_be_read_under_the_databases_names() {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args(["sql", "--dialect", "postgres", "--period", "2022-06"])
        .args([
            "--table",
            "cases=ods.t_case",
            "--table",
            "hearings = \"庭审\"",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let q = String::from_utf8_lossy(&out.stdout);
    assert!(q.contains(" FROM ods.t_case) AS "), "{q}");
    assert!(q.contains(" FROM \"庭审\") AS "));
    assert!(q.contains(" FROM services) AS "));

    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("ZHIBIAO_LANG", "en")
        .args([
            "sql",
            "--dialect",
            "postgres",
            "--table",
            "casse=ods.t_case",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown table `casse`") && err.contains("did you mean `cases`?"),
        "{err}"
    );
}

/// `zhibiao sql ARGS…` run as users run it: exit code, standard output and
/// standard error.
fn sql_cli(args: &[&str], lang: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("sql")
        .args(args)
        .args(["--lang", lang])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run zhibiao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_query_of_one_indicators_records_in_each_dialect() {
    // HC3a: scope, placement, `when`, a numerator rule and distinct items.
    for d in ["duckdb", "postgres", "spark"] {
        let (code, sql, err) = sql_cli(
            &[
                "--dialect",
                d,
                "--period",
                "2022-06",
                "--list",
                "HC3a",
                "--department",
                "民事庭",
                "--outcome",
                "denominator",
            ],
            "zh",
        );
        assert_eq!((code, err.as_str()), (0, ""), "{d}");
        insta::assert_snapshot!(format!("list_hc3a_{d}"), sql);
    }
}

#[test]
fn a_computed_measures_records_carry_what_they_add() {
    let (code, sql, err) = sql_cli(
        &[
            "--dialect",
            "duckdb",
            "--period",
            "2024-06",
            "--policy",
            "examples/quality",
            "--list",
            "执行到位率",
        ],
        "en",
    );
    assert_eq!((code, err.as_str()), (0, ""));
    insta::assert_snapshot!(sql);
}

#[test]
fn a_list_that_cannot_be_written_is_refused_in_the_users_words() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "computed_from_others",
            &["--period", "2022-06", "--list", "HC3"],
        ),
        ("no_period", &["--list", "HC4"]),
        (
            "unknown_indicator",
            &["--period", "2022-06", "--list", "HC44"],
        ),
        (
            "unknown_department",
            &[
                "--period",
                "2022-06",
                "--list",
                "HC4",
                "--department",
                "民事",
            ],
        ),
        (
            "unknown_outcome",
            &["--period", "2022-06", "--list", "HC4", "--outcome", "kept"],
        ),
    ];
    for (name, args) in cases {
        for lang in ["en", "zh"] {
            let mut all = vec!["--dialect", "duckdb"];
            all.extend_from_slice(args);
            let (code, out, err) = sql_cli(&all, lang);
            assert_eq!(out, "", "{name} {lang}: no SQL is printed");
            insta::assert_snapshot!(format!("list_{name}_{lang}"), format!("exit {code}\n{err}"));
        }
    }
}
