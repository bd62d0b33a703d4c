//! `zhibiao sql`: the policy in force as one SQL query (or the schema's
//! tables as `CREATE TABLE` statements).

use crate::words::fault::{Fault, Named};
use std::path::PathBuf;

use super::{PeriodArgs, exit};

pub struct Args {
    pub policy: PathBuf,
    pub dialect: String,
    pub period: PeriodArgs,
    pub ddl: bool,
    pub load: Option<PathBuf>,
    pub tables: Vec<String>,
    pub columns: Vec<String>,
    pub list: Option<ListArgs>,
    pub output: Option<PathBuf>,
}

/// `--list INDICATOR [--department D] [--outcome O] [--show-personal]`.
pub struct ListArgs {
    pub indicator: String,
    pub department: Option<String>,
    pub outcome: Option<String>,
    pub show_personal: bool,
}

pub fn run(a: Args) -> i32 {
    let Some(d) = crate::sql::dialect(&a.dialect) else {
        super::fault(Fault::UnknownDialect {
            name: a.dialect.clone(),
            dialects: crate::sql::DIALECTS
                .iter()
                .map(ToString::to_string)
                .collect(),
        });
        return exit::USAGE;
    };
    let given = a.period.period.is_some() || a.period.from.is_some();
    let period = if given {
        match super::period(&a.period) {
            Ok(p) => Some(p),
            Err(code) => return code,
        }
    } else {
        None
    };
    let (policy, warnings) = match super::eval::load_policy(&a.policy, period.as_ref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    for w in &warnings {
        eprintln!("{}", super::lang().warning_line(w));
    }
    let names = match crate::data::names::Names::parse(&policy.schema, &a.tables, &a.columns) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{}", super::lang().names_fault(&e));
            return exit::USAGE;
        }
    };
    let text = if a.ddl {
        crate::sql::ddl(&policy.schema, d.as_ref(), &names, a.load.as_deref())
    } else if let Some(l) = &a.list {
        // A list is of one period's records, under the version in force then.
        let Some(period) = &period else {
            super::fault(Fault::NoPeriod);
            return exit::USAGE;
        };
        let spec = match list_spec(&policy, l) {
            Ok(s) => s,
            Err(code) => return code,
        };
        let lp = crate::logical::build(&policy);
        match crate::sql::list(&policy, &lp, d.as_ref(), period, &names, &spec) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}", super::lang().sql_fault(&e));
                return exit::POLICY;
            }
        }
    } else {
        let lp = crate::logical::build(&policy);
        match crate::sql::generate_from(&policy, &lp, d.as_ref(), period.as_ref(), &names) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}", super::lang().sql_fault(&e));
                return exit::POLICY;
            }
        }
    };
    match &a.output {
        Some(path) => {
            if let Err(e) = super::write_atomic(path, &text) {
                super::fault(Fault::CannotWrite {
                    path: path.display().to_string(),
                    io: (&e).into(),
                });
                return exit::USAGE;
            }
        }
        None => print!("{text}"),
    }
    exit::OK
}

/// What `--list` asks, checked against the policy: the indicator, the
/// department and the outcome named.
fn list_spec(policy: &crate::ir::Policy, l: &ListArgs) -> Result<crate::sql::ListSpec, i32> {
    let Some(indicator) = policy.indicator(&l.indicator) else {
        let codes: Vec<&str> = policy.indicators.iter().map(|i| i.code.as_str()).collect();
        super::fault(super::unknown(Named::Indicator, &l.indicator, &codes));
        return Err(exit::USAGE);
    };
    if let Some(f) = super::no_records_of_its_own(policy, indicator) {
        super::fault(f);
        return Err(exit::USAGE);
    }
    if let Some(dep) = &l.department
        && !policy.departments.contains(dep)
    {
        let names: Vec<&str> = policy.departments.iter().map(String::as_str).collect();
        super::fault(super::unknown(Named::Department, dep, &names));
        return Err(exit::USAGE);
    }
    let outcome = match l.outcome.as_deref() {
        None => None,
        Some(o) => match super::explain::bucket(o) {
            Some(b) => Some(b),
            None => {
                super::fault(Fault::BadList {
                    flag: "outcome",
                    value: o.to_string(),
                });
                return Err(exit::USAGE);
            }
        },
    };
    Ok(crate::sql::ListSpec {
        indicator,
        department: l.department.clone(),
        outcome,
        lang: super::lang(),
        show_personal: l.show_personal,
    })
}
