//! What a report is: per indicator its figures (departments and the court),
//! each with its value or why it is undefined, its targets and its rank.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::why::{Note, Undefined};
use crate::ir::*;
use crate::period::Period;

/// The department name used for whole-court figures.
pub const COURT: &str = "court";

#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    pub title: String,
    pub document: String,
    pub version: String,
    pub effective: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableSummary {
    pub table: String,
    pub file: String,
    /// Records read from the file.
    pub rows: u64,
    /// Records handed to the indicators: `rows` = `used` + `dropped`.
    pub used: u64,
    /// Rows left out because of data errors (`--lenient`), each with its
    /// error in the report's `dropped_rows`.
    pub dropped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    pub who: String,
    pub op: String,
    /// The value in force for the period (a schedule's of that month).
    pub value: f64,
    /// The high end of an interval target (`op` is then `in`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// `null` when the figure is undefined (never met nor failed).
    pub met: Option<bool>,
    /// How a missed target was missed: `below` a floor, `above` a limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub miss: Option<Miss>,
    pub principle: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub document: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub department: String,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// Percent; `None` when undefined.
    pub value: Option<f64>,
    /// Why the value is undefined (rendered by [`crate::words`]).
    #[serde(rename = "undefined", skip_serializing_if = "Option::is_none")]
    pub undefined_reason: Option<Undefined>,
    /// Undefined values a default stood in for (`HC3b or 0`), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    pub targets: Vec<TargetResult>,
    /// Its place among the departments (1 the best; ties share a place),
    /// when the policy or the user asks for ranks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// For computed indicators: the `let` measures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measures: Option<BTreeMap<String, Option<f64>>>,
}

impl Figure {
    pub fn missed(&self) -> bool {
        self.targets.iter().any(|t| t.met == Some(false))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub indicator: String,
    pub name: String,
    pub core: bool,
    pub cite: Option<String>,
    /// What the value is (`percent`, `days`, …).
    pub unit: Unit,
    pub derived_from: Vec<String>,
    pub related: Vec<String>,
    pub figures: Vec<Figure>,
    /// Figures per value of the `per` column (`per judge_id`), beside the departments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<PerFigures>,
}

/// An indicator's figures per value of a column: one per judge.
#[derive(Debug, Clone, Serialize)]
pub struct PerFigures {
    /// The column, as written: `judge_id`.
    pub by: String,
    /// One figure per value (its `department` holds the value, `""` for
    /// records with none), in value order; no targets (they are set for
    /// departments).
    pub figures: Vec<Figure>,
}

impl IndicatorResult {
    pub fn figure(&self, dept: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.department == dept)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub policy: PolicyInfo,
    pub period: Period,
    pub indicators: Vec<IndicatorResult>,
    pub data: Vec<TableSummary>,
    pub warnings: Vec<crate::warning::Warning>,
    /// Data errors left out under `--lenient`.
    pub dropped_errors: Vec<crate::data::DataError>,
    /// Where the counts came from when another engine counted (a counts file,
    /// a server); none when zhibiao read the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted_by: Option<String>,
    /// The latest date any record read is placed by: how far the export reaches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_as_of: Option<String>,
}

impl Report {
    pub fn indicator(&self, code: &str) -> Option<&IndicatorResult> {
        self.indicators.iter().find(|i| i.indicator == code)
    }
}

/// A target number as written: `45`, `23.8`.
pub fn fmt_target(v: f64) -> String {
    crate::eval::fmt_num(v)
}
