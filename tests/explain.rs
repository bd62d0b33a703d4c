//! `zhibiao explain` end to end on the example data.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is the test failing"
)]

mod common;

use common::zhibiao;

fn first_field(file: &str, pred: impl Fn(&[&str]) -> bool) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(format!("examples/data/{file}")).expect("read");
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_string)
        .collect();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        if pred(&f) {
            return (f[0].to_string(), header);
        }
    }
    panic!("no matching row in {file}");
}

#[test]
fn a_cancelled_hearing_is_excluded_with_reason_and_clause() {
    let text = std::fs::read_to_string("examples/data/hearings.csv").expect("read");
    let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
    let status = header.iter().position(|h| *h == "status").expect("status");
    let at = header
        .iter()
        .position(|h| *h == "scheduled_at")
        .expect("scheduled_at");
    let (id, _) = first_field("hearings.csv", |f| {
        f.len() == header.len() && f[status] == "取消" && f[at].starts_with("2022-06-1")
    });
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        &format!("hearings:{id}"),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let outcomes = j["outcomes"].as_array().expect("outcomes");
    let hc4 = outcomes
        .iter()
        .find(|x| x["indicator"] == "HC4")
        .expect("HC4 reads hearings");
    // Unless its case is 诉前调解 (then the scope rule decides), 取消 excludes it.
    if hc4["reason"] != "诉前调解案件不纳入全流程指标体系" {
        assert_eq!(hc4["outcome"], "excluded");
        assert_eq!(hc4["reason"], "取消庭审");
        assert!(
            hc4["rule"]
                .as_str()
                .expect("rule")
                .starts_with("policies/jiading-2022.zb:")
        );
        let trail = hc4["trail"].as_array().expect("trail");
        let last = trail.last().expect("a step");
        assert_eq!(last["condition"], "status = \"取消\"");
        assert_eq!(last["reads"][0]["value"], "取消");
    }
    for field in [
        "indicator",
        "table",
        "key",
        "department",
        "outcome",
        "reason",
        "cite",
    ] {
        assert!(hc4.get(field).is_some(), "outcome has `{field}`");
    }
}

#[test]
fn a_whole_case_is_explained_across_tables() {
    let (case, _) = first_field("cases.csv", |f| f.len() > 3 && f[0].contains("民初"));
    let o = zhibiao(&["explain", "--period", "2022-06", "--case", &case]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&format!("cases:{case}")), "the case itself");
    assert!(out.contains("HC1 网上立案率"), "cases are read by HC1");
}

#[test]
fn lists_for_follow_up_group_by_reason() {
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--indicator",
        "HC4",
        "--department",
        "民事庭",
        "--list",
        "excluded",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("HC4 excluded — 取消庭审:"), "{out}");
    let csv = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--indicator",
        "HC4",
        "--department",
        "民事庭",
        "--list",
        "excluded",
        "--format",
        "csv",
    ]);
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(text.starts_with(
        "\u{feff}period,indicator,table,key,line,department,outcome,reason,cite,item"
    ));
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.contains(",民事庭,excluded,"))
    );
}

#[test]
fn the_list_matches_eval() {
    // The denominator-only and numerator lists add up to eval's denominator.
    let count = |bucket: &str| {
        let o = zhibiao(&[
            "explain",
            "--period",
            "2022-06",
            "--indicator",
            "HC5",
            "--department",
            "民事庭",
            "--list",
            bucket,
            "--format",
            "csv",
        ]);
        String::from_utf8_lossy(&o.stdout).lines().count() - 1
    };
    let e = zhibiao(&["eval", "--period", "2022-06", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&e.stdout).expect("json");
    let row = j["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["indicator"] == "HC5" && r["department"] == "民事庭")
        .expect("row")
        .clone();
    let num = count("numerator");
    assert_eq!(row["numerator"].as_f64(), Some(num as f64));
    assert_eq!(
        row["denominator"].as_f64(),
        Some((num + count("denominator")) as f64)
    );
}

#[test]
fn unknown_key_suggests_close_matches() {
    let o = zhibiao(&["explain", "--period", "2022-06", "hearings:H0000001"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `H00000001`"), "{err}");
    let o = zhibiao(&["explain", "--period", "2022-06", "hearing:H00000001"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `hearings`"));
}

#[test]
fn personal_data_is_masked() {
    assert_eq!(
        zhibiao::explain::mask("310114199001011234"),
        "3101**********1234"
    );
    assert_eq!(zhibiao::explain::mask("13812345678"), "13*******78");
}

#[test]
fn a_service_row_and_its_item() {
    // A postal send of an item also sent electronically: the row is only in the
    // denominator of HC3a, the item in the numerator.
    let text = std::fs::read_to_string("examples/data/services.csv").expect("read");
    let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).expect("column");
    let (channel, sent) = (col("channel"), col("sent_at"));
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .filter(|f: &Vec<&str>| f.len() == header.len())
        .collect();
    let key = |f: &Vec<&str>| {
        (
            f[col("case_id")].to_string(),
            f[col("party_id")].to_string(),
            f[col("content_id")].to_string(),
        )
    };
    let electronic = [
        "电子邮件",
        "中国审判流程信息公开网",
        "上海移动微法院",
        "短信",
    ];
    let postal = rows
        .iter()
        .find(|f| {
            f[channel] == "邮寄"
                && f[sent].starts_with("2022-06-1")
                && rows.iter().any(|g| {
                    key(g) == key(f)
                        && electronic.contains(&g[channel])
                        && g[sent].starts_with("2022-06")
                })
        })
        .expect("a postal send with an electronic sibling");
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        &format!("services:{}", postal[0]),
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let hc3a = j["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .find(|x| x["indicator"] == "HC3a")
        .expect("HC3a")
        .clone();
    if hc3a["outcome"] != "excluded" {
        assert_eq!(hc3a["outcome"], "denominator");
        assert_eq!(hc3a["item_outcome"], "numerator");
        // The item form lists every send of the item.
        let item = hc3a["item"].as_str().expect("item");
        let o = zhibiao(&[
            "explain",
            "--period",
            "2022-06",
            &format!("services:{item}"),
            "--format",
            "json",
        ]);
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let keys: std::collections::BTreeSet<&str> = j["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .filter_map(|x| x["key"].as_str())
            .collect();
        assert!(keys.len() >= 2 && keys.contains(postal[0]), "{keys:?}");
    }
}

#[test]
fn an_unknown_department_is_an_error_with_close_matches() {
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--indicator",
        "HC4",
        "--department",
        "民事厅",
        "--list",
        "excluded",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `民事庭`"));
}

/// `explain --list` with `--format FORMAT` for 刑事庭's excluded HC4 hearings.
fn list_in(format: &str) -> String {
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--indicator",
        "HC4",
        "--department",
        "刑事庭",
        "--list",
        "excluded",
        "--format",
        format,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    common::stdout(&o)
}

#[test]
fn a_list_gives_each_records_list_columns_in_every_format() {
    // hearings: `list: [case.case_id, kind, scheduled_at, status, mode]`,
    // headed by the columns' titles, the case number through the relation.
    let human = list_in("human");
    assert!(
        human.contains("案号") && human.contains("排期时间"),
        "{human}"
    );
    insta::assert_snapshot!("explain_list_context_human", human);
    insta::assert_snapshot!("explain_list_context_markdown", list_in("markdown"));
    insta::assert_snapshot!("explain_list_context_json", list_in("json"));
    let csv = list_in("csv");
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte order mark first");
    assert!(
        csv.starts_with(
            "period,indicator,table,key,line,department,outcome,reason,cite,item,案号,"
        ),
        "{csv}"
    );
    insta::assert_snapshot!("explain_list_context_csv", csv);
}

#[test]
fn a_record_or_a_case_reads_no_list_columns() {
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--case",
        "(2022)沪0114民初696号",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(!common::stdout(&o).contains("\"context\""));
}

#[test]
fn personal_list_columns_are_masked_unless_asked() {
    // The quality schema lists a case's judge by name (`judge.name`, personal).
    let run = |extra: &[&str]| {
        let mut args = vec![
            "explain",
            "--policy",
            "examples/quality",
            "--data",
            "examples/quality/data",
            "--period",
            "2024",
            "--indicator",
            "一审上诉率",
            "--list",
            "denominator",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let o = zhibiao(&args);
        assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
        let j: serde_json::Value = serde_json::from_str(&common::stdout(&o)).expect("json");
        j["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .map(|o| {
                o["context"]
                    .as_array()
                    .expect("context")
                    .iter()
                    .find(|c| c["label"] == "姓名")
                    .and_then(|c| c["value"].as_str())
                    .expect("the judge's name")
                    .to_string()
            })
            .collect::<Vec<String>>()
    };
    let (masked, shown) = (run(&[]), run(&["--show-personal"]));
    assert!(!masked.is_empty());
    assert_eq!(masked.len(), shown.len());
    for (m, s) in masked.iter().zip(&shown) {
        assert_eq!(*m, zhibiao::explain::mask(s));
        assert!(m.contains('*') && !s.contains('*'), "{m} / {s}");
    }
}

#[test]
fn a_full_width_case_number_is_found_as_the_half_width_one() {
    let run = |case: &str, format: &str| {
        let o = zhibiao(&[
            "explain", "--period", "2022-06", "--case", case, "--format", format,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
        (common::stdout(&o), common::stderr(&o))
    };
    let (half, _) = run("(2022)沪0114民初696号", "human");
    let (full, _) = run("（2022）沪0114民初696号", "human");
    // The same records, and a line saying which form matched.
    let note =
        "case `（2022）沪0114民初696号` not found as written; found as `(2022)沪0114民初696号`";
    let mut lines: Vec<&str> = full.lines().collect();
    assert_eq!(lines.get(1), Some(&note), "{full}");
    lines.remove(1);
    assert_eq!(lines.join("\n"), half.trim_end_matches('\n'));
    assert!(!half.contains("not found as written"), "{half}");
    let (md, _) = run("（2022）沪0114民初696号", "markdown");
    assert!(md.contains(note), "{md}");
    let (json, _) = run("（2022）沪0114民初696号", "json");
    let j: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(j["case"]["given"], "（2022）沪0114民初696号");
    assert_eq!(j["case"]["matched"], "(2022)沪0114民初696号");
    assert!(!j["outcomes"].as_array().expect("outcomes").is_empty());
    // CSV stays a table: the note goes to standard error.
    let (csv, err) = run("（2022）沪0114民初696号", "csv");
    assert!(!csv.contains("not found as written"));
    assert!(err.contains(note), "{err}");
    // Full-width digits and spaces around it too.
    let (wide, _) = run(" （２０２２）沪０１１４民初６９６号 ", "human");
    assert!(wide.contains("found as `(2022)沪0114民初696号`"), "{wide}");
}

#[test]
fn case_number_forms() {
    assert_eq!(
        zhibiao::explain::case_forms("（2022）沪0114民初696号"),
        ["（2022）沪0114民初696号", "(2022)沪0114民初696号"]
    );
    assert_eq!(
        zhibiao::explain::case_forms("(2022)沪0114民初696号"),
        ["(2022)沪0114民初696号", "（2022）沪0114民初696号"]
    );
    assert_eq!(
        zhibiao::explain::case_forms("〔2022〕沪0114民初696号"),
        [
            "〔2022〕沪0114民初696号",
            "(2022)沪0114民初696号",
            "（2022）沪0114民初696号"
        ]
    );
}

#[test]
fn a_list_gives_departments_in_the_policys_order() {
    let o = zhibiao(&[
        "explain",
        "--period",
        "2022-06",
        "--indicator",
        "HC4",
        "--list",
        "excluded",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let text = common::stdout(&o);
    let mut seen: Vec<String> = Vec::new();
    for l in text.lines().skip(1) {
        let d = l.split(',').nth(5).expect("department").to_string();
        if seen.last() != Some(&d) {
            assert!(!seen.contains(&d), "{d} twice: {text}");
            seen.push(d);
        }
    }
    let policy = common::policy();
    let order: Vec<usize> = seen
        .iter()
        .map(|d| {
            policy
                .departments
                .iter()
                .position(|x| x == d)
                .expect("declared")
        })
        .collect();
    assert!(
        seen.len() > 2 && order.windows(2).all(|w| w[0] < w[1]),
        "{seen:?}"
    );
}

#[test]
fn an_explanation_speaks_chinese_when_asked() {
    // The cancelled hearing of the first test, in Chinese: outcome, labels,
    // why-not; the policy's own reason and the rule as written.
    let header = first_field("hearings.csv", |_| true).1;
    let status = header.iter().position(|c| c == "status").expect("status");
    let at = header
        .iter()
        .position(|c| c == "scheduled_at")
        .expect("scheduled_at");
    let (id, _) = first_field("hearings.csv", |f| {
        f.len() == header.len() && f[status] == "取消" && f[at].starts_with("2022-06-1")
    });
    let record = format!("hearings:{id}");
    let args = ["explain", "--period", "2022-06", &record];
    let zh = zhibiao(&[&args[..], &["--lang", "zh"]].concat());
    assert_eq!(zh.status.code(), Some(0), "{}", common::stderr(&zh));
    let text = common::stdout(&zh);
    for word in ["统计期", "剔除", "原因", "规则", "为何未计入"] {
        assert!(text.contains(word), "{word}: {text}");
    }
    insta::assert_snapshot!("explain_record_zh", text);
    let md = zhibiao(&[&args[..], &["--lang", "zh", "--format", "markdown"]].concat());
    insta::assert_snapshot!("explain_record_zh_markdown", common::stdout(&md));
    // The English explanation of the same record says the same in English.
    let en = common::stdout(&zhibiao(&args));
    assert!(
        en.contains("why not:") && !en.contains("为何未计入"),
        "{en}"
    );
}

#[test]
fn an_indicator_computed_from_others_says_whose_records_to_list() {
    for lang in ["en", "zh"] {
        let o = zhibiao(&[
            "explain",
            "--lang",
            lang,
            "--period",
            "2022-06",
            "--indicator",
            "HC3",
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(common::stdout(&o).is_empty());
        insta::assert_snapshot!(
            format!("explain_computed_from_others_{lang}"),
            common::stderr(&o)
        );
    }
}
