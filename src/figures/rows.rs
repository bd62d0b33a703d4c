//! Counts as an engine returns them: the rows of the query `zhibiao sql`
//! writes (indicator, part, kind, grain, department, numerator, denominator,
//! measure, records, and the period's first and last day), read from a CSV or
//! JSON file a warehouse wrote, or from a server that ran the query. Every
//! row is checked against the policy: a row of another policy's version, or
//! of another period, is an error naming the row, never a figure.

use std::collections::HashMap;

use super::{Counts, Folded, MeasureCounts};
use crate::ir::*;
use crate::period::Period;
use crate::value::{Day, fmt_day, parse_date};

/// One row of counts, its fields as text (`None`: empty or NULL).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Where the row was read: its line in a CSV file, its place in JSON.
    pub at: usize,
    pub indicator: Option<String>,
    pub part: Option<String>,
    pub kind: Option<String>,
    pub grain: Option<String>,
    pub department: Option<String>,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub measure: Option<String>,
    pub records: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
}

/// The columns a counts row has, in the query's order.
pub const COLUMNS: [&str; 11] = [
    "indicator",
    "part",
    "kind",
    "grain",
    "department",
    "numerator",
    "denominator",
    "measure",
    "records",
    "period_start",
    "period_end",
];

/// The columns every counts file must have (the period's are optional: a
/// file without them holds the counts of the period asked).
const REQUIRED: usize = 9;

/// Why counts could not be read; [`crate::words`] says it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CountsError {
    /// The file (or the server) the rows came from.
    pub source: String,
    /// The row's line (CSV) or place (JSON), 0 for the file as a whole.
    pub at: usize,
    pub problem: CountsProblem,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CountsProblem {
    /// The file could not be read.
    Unreadable {
        why: String,
    },
    /// Not CSV with a header, a JSON array of objects, or JSON lines.
    NotRows {
        why: String,
    },
    MissingColumns {
        columns: Vec<String>,
    },
    /// A column that must hold a value is empty.
    Empty {
        column: String,
    },
    UnknownIndicator {
        indicator: String,
        close: Option<String>,
    },
    /// The indicator is a ratio and the row a measure, or the other way.
    WrongKind {
        indicator: String,
        expected: String,
        found: String,
    },
    UnknownPart {
        indicator: String,
        part: String,
        parts: Vec<String>,
    },
    UnknownGrain {
        grain: String,
    },
    /// A count that is not a whole number of 0 or more.
    NotCount {
        column: String,
        value: String,
    },
    NotNumber {
        column: String,
        value: String,
    },
    NotDay {
        column: String,
        value: String,
    },
    /// A row of a period that is neither the one asked nor one a formula reads.
    OtherPeriod {
        start: String,
        end: String,
        asked: String,
    },
    /// The same indicator, part, grain and department twice.
    Twice {
        first: usize,
    },
    /// Not one row of the period asked.
    NoRows {
        period: String,
    },
}

/// The periods the counts are asked for: the one reported and the other
/// periods its formulas read.
pub struct Wanted<'a> {
    pub main: &'a Period,
    pub others: &'a [Period],
}

/// Read rows of counts into [`Counts`], one per period wanted (the main
/// period first, then the others in the order given); a period no row has
/// gets no counts (`None`).
pub fn counts(
    p: &Policy,
    rows: &[Row],
    wanted: &Wanted<'_>,
    source: &str,
) -> Result<Vec<Option<Counts>>, CountsError> {
    let periods: Vec<&Period> = std::iter::once(wanted.main)
        .chain(wanted.others.iter())
        .collect();
    let mut out: Vec<Option<Counts>> = vec![None; periods.len()];
    let mut seen: HashMap<(usize, IndId, String, String, String), usize> = HashMap::new();
    for r in rows {
        let err = |problem| CountsError {
            source: source.to_string(),
            at: r.at,
            problem,
        };
        let need = |v: &Option<String>, column: &str| {
            v.clone().ok_or_else(|| {
                err(CountsProblem::Empty {
                    column: column.into(),
                })
            })
        };
        let which = match (&r.period_start, &r.period_end) {
            (None, None) => 0,
            (s, e) => {
                let day = |v: &Option<String>, column: &str| -> Result<Day, CountsError> {
                    let t = need(v, column)?;
                    parse_date(t.trim()).ok_or_else(|| {
                        err(CountsProblem::NotDay {
                            column: column.into(),
                            value: t.clone(),
                        })
                    })
                };
                let (s, e) = (day(s, "period_start")?, day(e, "period_end")?);
                periods
                    .iter()
                    .position(|x| x.start == s && x.end == e)
                    .ok_or_else(|| {
                        err(CountsProblem::OtherPeriod {
                            start: fmt_day(s),
                            end: fmt_day(e),
                            asked: wanted.main.label.clone(),
                        })
                    })?
            }
        };
        let code = need(&r.indicator, "indicator")?;
        let Some(ii) = p.indicators.iter().position(|i| i.code == code) else {
            return Err(err(CountsProblem::UnknownIndicator {
                close: crate::check::did_you_mean(
                    &code,
                    p.indicators.iter().map(|i| i.code.as_str()),
                )
                .into_iter()
                .next(),
                indicator: code,
            }));
        };
        let ind = &p.indicators[ii];
        let kind = need(&r.kind, "kind")?;
        let part = need(&r.part, "part")?;
        let grain = need(&r.grain, "grain")?;
        let dept = r.department.clone().unwrap_or_default();
        // A row given twice would be counted twice.
        let once = (which, ii, part.clone(), grain.clone(), dept.clone());
        if let Some(first) = seen.insert(once, r.at) {
            return Err(err(CountsProblem::Twice { first }));
        }
        let c = out[which].get_or_insert_with(Counts::default);
        let count = |v: &Option<String>, column: &str| -> Result<u64, CountsError> {
            let t = need(v, column)?;
            whole(&t).ok_or_else(|| {
                err(CountsProblem::NotCount {
                    column: column.into(),
                    value: t.clone(),
                })
            })
        };
        match &ind.body {
            Body::Ratio(parts) => {
                if kind != "ratio" {
                    return Err(err(CountsProblem::WrongKind {
                        indicator: code,
                        expected: "ratio".into(),
                        found: kind,
                    }));
                }
                let names: Vec<String> = (1..=parts.len()).map(|i| i.to_string()).collect();
                if !names.contains(&part) {
                    return Err(err(CountsProblem::UnknownPart {
                        indicator: code,
                        part,
                        parts: names,
                    }));
                }
                let n = [
                    count(&r.numerator, "numerator")?,
                    count(&r.denominator, "denominator")?,
                ];
                let rc = c.ratios.entry(ii).or_default();
                let slot = match grain.as_str() {
                    "department" => rc.by_dept.entry(dept).or_default(),
                    "court" => &mut rc.court,
                    "per" => rc.per.entry(dept).or_default(),
                    _ => return Err(err(CountsProblem::UnknownGrain { grain })),
                };
                slot[0] += n[0];
                slot[1] += n[1];
            }
            Body::Formula { lets, .. } => {
                let Some(li) = lets.iter().position(|l| l.name == part) else {
                    return Err(err(CountsProblem::UnknownPart {
                        indicator: code,
                        part,
                        parts: lets.iter().map(|l| l.name.clone()).collect(),
                    }));
                };
                let expected = match &lets[li].measure {
                    Measure::Count { .. } => "count",
                    Measure::Agg { func, .. } => func.as_str(),
                    Measure::Lookup { .. } => "lookup",
                };
                if kind != expected {
                    return Err(err(CountsProblem::WrongKind {
                        indicator: code,
                        expected: expected.into(),
                        found: kind,
                    }));
                }
                let value = match &r.measure {
                    None => None,
                    Some(t) => Some(number(t).ok_or_else(|| {
                        err(CountsProblem::NotNumber {
                            column: "measure".into(),
                            value: t.clone(),
                        })
                    })?),
                };
                let records = count(&r.records, "records")?;
                if expected == "lookup" {
                    let hits = match records {
                        1 => vec![value],
                        n => vec![None; n as usize],
                    };
                    c.measures.insert((ii, li), MeasureCounts::Lookup { hits });
                    continue;
                }
                let folded = Folded { value, records };
                let m = c
                    .measures
                    .entry((ii, li))
                    .or_insert_with(|| MeasureCounts::Folded {
                        by_dept: HashMap::new(),
                        court: Folded::default(),
                    });
                if let MeasureCounts::Folded { by_dept, court } = m {
                    match grain.as_str() {
                        "department" => {
                            by_dept.insert(dept, folded);
                        }
                        "court" => *court = folded,
                        _ => return Err(err(CountsProblem::UnknownGrain { grain })),
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The report of `period` from rows of counts that hold its counts and,
/// where its formulas read other periods (`previous(HC4)`), theirs: rows
/// that carry their period (`period_start`, `period_end`). Another period no
/// row is of leaves the formulas that read it undefined, saying so.
pub fn report(
    p: &Policy,
    period: &Period,
    rank: bool,
    rows: &[Row],
    source: &str,
) -> Result<super::Report, CountsError> {
    let kinds = super::priors_of(p);
    let others = super::other_periods(p, period);
    // Where each kind's period is among them.
    let of_kind: Vec<usize> = kinds
        .iter()
        .map(|k| {
            let o = super::prior_of(period, *k);
            others
                .iter()
                .position(|x| x.start == o.start && x.end == o.end)
                .unwrap_or(0)
        })
        .collect();
    let mut got = counts(
        p,
        rows,
        &Wanted {
            main: period,
            others: &others,
        },
        source,
    )?;
    let Some(main) = got[0].take() else {
        return Err(CountsError {
            source: source.to_string(),
            at: 0,
            problem: CountsProblem::NoRows {
                period: period.label.clone(),
            },
        });
    };
    let none = HashMap::new();
    let mut priors = HashMap::new();
    let reports: Vec<Option<std::sync::Arc<super::Report>>> = got[1..]
        .iter_mut()
        .zip(&others)
        .map(|(c, o)| {
            c.take()
                .map(|c| std::sync::Arc::new(super::assemble(p, o, rank, c, &none)))
        })
        .collect();
    for (k, i) in kinds.iter().zip(&of_kind) {
        if let Some(r) = &reports[*i] {
            priors.insert(*k, r.clone());
        }
    }
    let mut r = super::assemble(p, period, rank, main, &priors);
    r.counted_by = Some(source.to_string());
    for (o, got) in others.iter().zip(&reports) {
        if got.is_none() {
            r.warnings.push(crate::warning::Warning::NotCounted {
                period: o.label.clone(),
                start: fmt_day(o.start),
                end: fmt_day(o.end),
            });
        }
    }
    Ok(r)
}

/// A whole count as engines write it: `12`, or `12.0` from an engine that
/// writes every number as a float.
fn whole(t: &str) -> Option<u64> {
    let t = t.trim();
    t.parse::<u64>().ok().or_else(|| {
        let x: f64 = t.parse().ok()?;
        (x >= 0.0 && x.fract() == 0.0 && x < 9.0e15).then_some(x as u64)
    })
}

fn number(t: &str) -> Option<f64> {
    t.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Rows of a file: CSV with a header, a JSON array of objects, or JSON
/// lines (one object per line, as Spark writes them).
pub fn read(text: &str, source: &str) -> Result<Vec<Row>, CountsError> {
    let text = text.trim_start_matches('\u{feff}');
    let head = text.trim_start();
    if head.starts_with('[') || head.starts_with('{') {
        json_rows(text, source)
    } else {
        csv_rows(text, source)
    }
}

fn missing(present: &[String], source: &str) -> Result<(), CountsError> {
    let absent: Vec<String> = COLUMNS[..REQUIRED]
        .iter()
        .filter(|c| !present.iter().any(|p| p == *c))
        .map(|c| c.to_string())
        .collect();
    if absent.is_empty() {
        Ok(())
    } else {
        Err(CountsError {
            source: source.to_string(),
            at: 1,
            problem: CountsProblem::MissingColumns { columns: absent },
        })
    }
}

/// Set a row's field by its column's name (empty and `NULL` are no value).
pub fn set(row: &mut Row, column: &str, v: Option<String>) {
    let v = v.filter(|s| !s.trim().is_empty() && !s.eq_ignore_ascii_case("null"));
    match column {
        "indicator" => row.indicator = v,
        "part" => row.part = v,
        "kind" => row.kind = v,
        "grain" => row.grain = v,
        "department" => row.department = v,
        "numerator" => row.numerator = v,
        "denominator" => row.denominator = v,
        "measure" => row.measure = v,
        "records" => row.records = v,
        "period_start" => row.period_start = v,
        "period_end" => row.period_end = v,
        _ => {}
    }
}

fn csv_rows(text: &str, source: &str) -> Result<Vec<Row>, CountsError> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let bad = |at: usize, e: &dyn std::fmt::Display| CountsError {
        source: source.to_string(),
        at,
        problem: CountsProblem::NotRows { why: e.to_string() },
    };
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad(1, &e))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    missing(&header, source)?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            bad(line, &e)
        })?;
        let mut row = Row {
            at: rec.position().map_or(0, |p| p.line() as usize),
            ..Row::default()
        };
        for (h, v) in header.iter().zip(rec.iter()) {
            set(&mut row, h, Some(v.to_string()));
        }
        out.push(row);
    }
    Ok(out)
}

fn json_rows(text: &str, source: &str) -> Result<Vec<Row>, CountsError> {
    let bad = |at: usize, why: String| CountsError {
        source: source.to_string(),
        at,
        problem: CountsProblem::NotRows { why },
    };
    let values: Vec<(usize, serde_json::Value)> = if text.trim_start().starts_with('[') {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(v)) => {
                v.into_iter().enumerate().map(|(i, x)| (i + 1, x)).collect()
            }
            Ok(_) => return Err(bad(0, "not an array of objects".into())),
            Err(e) => return Err(bad(e.line(), e.to_string())),
        }
    } else {
        let mut v = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(x) => v.push((i + 1, x)),
                Err(e) => return Err(bad(i + 1, e.to_string())),
            }
        }
        v
    };
    let mut out = Vec::new();
    for (at, v) in values {
        let serde_json::Value::Object(map) = v else {
            return Err(bad(at, "not an object".into()));
        };
        // JSON writers leave a NULL's key out (Spark does): only the
        // columns that always hold a value must be there.
        let keys: Vec<String> = map.keys().map(|k| k.to_ascii_lowercase()).collect();
        let absent: Vec<String> = COLUMNS[..4]
            .iter()
            .filter(|c| !keys.iter().any(|k| k == *c))
            .map(|c| c.to_string())
            .collect();
        if !absent.is_empty() {
            return Err(CountsError {
                source: source.to_string(),
                at,
                problem: CountsProblem::MissingColumns { columns: absent },
            });
        }
        let mut row = Row {
            at,
            ..Row::default()
        };
        for (k, x) in map {
            let t = match x {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s),
                other => Some(other.to_string()),
            };
            set(&mut row, &k.to_ascii_lowercase(), t);
        }
        out.push(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_engines_write_them() {
        assert_eq!(whole("12"), Some(12));
        assert_eq!(whole("12.0"), Some(12));
        assert_eq!(whole("-1"), None);
        assert_eq!(whole("1.5"), None);
    }

    #[test]
    fn csv_json_and_json_lines_give_the_same_rows() {
        let csv = "indicator,part,kind,grain,department,numerator,denominator,measure,records\nHC4,1,ratio,department,民事庭,3,4,,\n";
        let json = r#"[{"indicator":"HC4","part":"1","kind":"ratio","grain":"department","department":"民事庭","numerator":3,"denominator":4,"measure":null,"records":null}]"#;
        let lines = r#"{"indicator":"HC4","part":1,"kind":"ratio","grain":"department","department":"民事庭","numerator":3,"denominator":4}"#;
        let a = read(csv, "a").unwrap();
        let b = read(json, "b").unwrap();
        let c = read(lines, "c").unwrap();
        let strip = |mut r: Vec<Row>| {
            r.iter_mut().for_each(|x| x.at = 0);
            r
        };
        assert_eq!(strip(a.clone()), strip(b));
        assert_eq!(strip(a), strip(c));
    }

    #[test]
    fn a_missing_column_is_named() {
        let e = read("indicator,part\nHC4,1\n", "f.csv").unwrap_err();
        let CountsProblem::MissingColumns { columns } = e.problem else {
            panic!("{e:?}")
        };
        assert!(columns.contains(&"grain".to_string()));
        assert!(!columns.contains(&"period_start".to_string()));
    }
}
