//! `zhibiao graph`, `impact`, `deps`: the indicator graph and data lineage.

use crate::words::fault::{Fault, Named};
use crate::words::view::View;
use petgraph::Direction;

use super::{DiagFormat, Output, exit};
use crate::graph::{self, Edge};

#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum GraphFormat {
    Human,
    Dot,
    Mermaid,
    Json,
}

impl From<GraphFormat> for crate::output::Format {
    fn from(f: GraphFormat) -> Self {
        use crate::output::Format;
        match f {
            GraphFormat::Human => Format::Human,
            GraphFormat::Dot => Format::Dot,
            GraphFormat::Mermaid => Format::Mermaid,
            GraphFormat::Json => Format::Json,
        }
    }
}

fn policy(path: &std::path::Path) -> Result<std::sync::Arc<crate::ir::Policy>, i32> {
    super::eval::load_policy(path, None).map(|(p, _)| p)
}

pub fn show(
    path: &std::path::Path,
    format: Option<GraphFormat>,
    output: &Output,
    lineage: bool,
) -> i32 {
    let format = match super::format("graph", format, output) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let p = match policy(path) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let g = graph::build(&p, lineage);
    let text = match format {
        GraphFormat::Dot => graph::dot(&g),
        GraphFormat::Mermaid => graph::mermaid(&g),
        GraphFormat::Json => {
            serde_json::to_string_pretty(&graph::json(&g)).unwrap_or_default() + "\n"
        }
        GraphFormat::Human => {
            let mut out = Vec::new();
            for (ii, n) in g.indicators.iter().enumerate() {
                let deps = graph::reach(&g, *n, Direction::Incoming);
                let direct: Vec<String> = deps
                    .iter()
                    .filter(|(_, _, via)| via == n)
                    .map(|(d, e, _)| {
                        format!("{} ({})", graph::describe(&g, *d), super::lang().edge(*e))
                    })
                    .collect();
                let ind = &p.indicators[ii];
                if direct.is_empty() {
                    out.push(format!("{} {}", ind.code, ind.name));
                } else {
                    out.push(format!("{} {} ← {}", ind.code, ind.name, direct.join(", ")));
                }
            }
            out.join("\n") + "\n"
        }
    };
    super::emit(output, text.as_bytes())
}

/// `impact` (what depends on a node) and `deps` (what a node depends on).
pub fn walk(
    path: &std::path::Path,
    indicator: Option<&str>,
    column: Option<&str>,
    dir: Direction,
    format: Option<DiagFormat>,
    output: &Output,
) -> i32 {
    let command = if dir == Direction::Outgoing {
        "impact"
    } else {
        "deps"
    };
    let json = match super::format(command, format, output) {
        Ok(f) => f == DiagFormat::Json,
        Err(code) => return code,
    };
    let p = match policy(path) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let g = graph::build(&p, true);
    let start = match (indicator, column) {
        (Some(code), _) => match graph::find(&g, &p, code) {
            Some(n) => n,
            None => {
                let codes: Vec<&str> = p.indicators.iter().map(|i| i.code.as_str()).collect();
                super::fault(super::unknown(Named::Indicator, code, &codes));
                return exit::USAGE;
            }
        },
        (None, Some(col)) => {
            let Some((t, c)) = col.split_once('.') else {
                super::fault(Fault::ColumnName);
                return exit::USAGE;
            };
            match graph::find_column(&g, t, c) {
                Some(n) => n,
                None => {
                    // A column of the schema that nothing reads, or a misspelling.
                    let schema = &p.schema;
                    match schema.table(t) {
                        None => {
                            let names: Vec<&str> = schema.table_names().collect();
                            super::fault(super::unknown(Named::Table, t, &names));
                        }
                        Some(ti) if schema.tables[ti].col(c).is_none() => {
                            let cols: Vec<&str> = schema.tables[ti]
                                .columns
                                .iter()
                                .map(|x| x.name.as_str())
                                .collect();
                            super::fault(Fault::NoColumn {
                                table: t.to_string(),
                                column: c.to_string(),
                                similar: crate::check::did_you_mean(c, cols.iter().copied())
                                    .first()
                                    .map(ToString::to_string),
                                columns: cols.iter().map(ToString::to_string).collect(),
                            });
                        }
                        Some(_) => super::fault(Fault::NoIndicatorReads {
                            column: col.to_string(),
                        }),
                    }
                    return exit::USAGE;
                }
            }
        }
        (None, None) => {
            super::fault(Fault::NothingToWalk);
            return exit::USAGE;
        }
    };
    // `deps` of an indicator: what its own value is computed from (the
    // indicators it derives from, then the columns read), and apart from
    // them the indicators it names as `related`, whose columns it does not read.
    let deps_of_indicator = dir == Direction::Incoming && indicator.is_some();
    let (found, related) = if deps_of_indicator {
        let mut found = graph::value_deps(&g, start);
        found.sort_by_key(|(_, e, _)| *e == Edge::Reads);
        (found, graph::related_of(&g, start))
    } else {
        (graph::reach(&g, start, dir), Vec::new())
    };
    if json {
        let items: Vec<serde_json::Value> = found
            .iter()
            .map(|(n, e, via)| serde_json::json!({ "node": graph::describe(&g, *n), "edge": e.as_str(), "via": graph::describe(&g, *via) }))
            .collect();
        let mut j = serde_json::json!({ "start": graph::describe(&g, start), "items": items });
        if deps_of_indicator {
            j["related"] = related
                .iter()
                .map(|n| serde_json::json!({ "node": graph::describe(&g, *n), "edge": Edge::Related.as_str() }))
                .collect();
        }
        let text = serde_json::to_string_pretty(&j).unwrap_or_default() + "\n";
        return super::emit(output, text.as_bytes());
    }
    let lang = super::lang();
    let mut out = vec![graph::describe(&g, start)];
    if found.is_empty() && related.is_empty() {
        out.push(lang.view(&View::Nothing {
            depends_on: dir == Direction::Outgoing,
        }));
    }
    // Under headings when the two kinds of dependency are listed apart.
    let indent = if deps_of_indicator { "    " } else { "  " };
    if deps_of_indicator && !found.is_empty() {
        out.push(lang.view(&View::ValueReads));
    }
    for (n, e, via) in &found {
        let through = if *via == start {
            String::new()
        } else {
            lang.view(&View::Via {
                node: graph::describe(&g, *via),
            })
        };
        let arrow = if dir == Direction::Outgoing {
            "→"
        } else {
            "←"
        };
        out.push(format!(
            "{indent}{arrow} {} [{}{}]",
            graph::describe(&g, *n),
            lang.edge(*e),
            through
        ));
    }
    if !related.is_empty() {
        out.push(lang.view(&View::RelatedHeading));
        for n in &related {
            out.push(format!(
                "{indent}← {} [{}]",
                graph::describe(&g, *n),
                lang.edge(Edge::Related)
            ));
        }
    }
    super::emit(output, (out.join("\n") + "\n").as_bytes())
}
