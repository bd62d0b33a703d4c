//! What a run warns of, as data: the figures stand, but a reader should know
//! (rows left out, a department the policy does not know, a period outside
//! the version in force). [`crate::words`] says each in the language asked.

use serde::Serialize;

/// A warning of `eval`, `explain`, `report` or `sql`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// `--lenient` left rows of a file out because of data errors.
    LeftOut { rows: u64, file: String },
    /// A department in the data that the policy does not declare, with the
    /// declared one nearest in spelling when it is near.
    UnknownDepartment {
        department: String,
        close: Option<String>,
    },
    /// The period starts before the policy is in force.
    BeforeEffective { start: String, effective: String },
    /// The period ends before the first version takes effect.
    BeforeFirstVersion { document: String, effective: String },
    /// Counts read back from another engine hold none of a period a formula
    /// reads (`previous(HC4)`): the formulas that read it are undefined.
    NotCounted {
        period: String,
        start: String,
        end: String,
    },
    /// The period spans a change of version; the later one is used.
    SpansVersions {
        before: String,
        before_effective: String,
        until: String,
        after: String,
        after_effective: String,
    },
}
