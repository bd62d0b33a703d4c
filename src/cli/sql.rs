//! `zhibiao sql`: the policy in force as one SQL query (or the schema's
//! tables as `CREATE TABLE` statements).

use crate::words::fault::Fault;
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
    pub output: Option<PathBuf>,
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
    let sources =
        match crate::sql::Sources::parse_with_columns(&policy.schema, &a.tables, &a.columns) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}", super::lang().sql_fault(&e));
                return exit::USAGE;
            }
        };
    let text = if a.ddl {
        crate::sql::ddl(&policy.schema, d.as_ref(), &sources, a.load.as_deref())
    } else {
        let lp = crate::logical::build(&policy);
        match crate::sql::generate_from(&policy, &lp, d.as_ref(), period.as_ref(), &sources) {
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
