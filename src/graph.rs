//! The indicator graph: derived-from edges (inferred from formulas, `restrict`
//! and `over`), related edges (declared), and optionally the data lineage of
//! each indicator (the tables and columns it reads).

use std::collections::BTreeSet;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::ir::{IndId, Policy};
use crate::schema::{ColId, TableId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Node {
    Indicator { id: String, name: String },
    Column { table: String, column: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Edge {
    /// The target is computed from the source (`HC3a → HC3`).
    DerivedFrom,
    /// The source raises the target (`HC9 → HC12`, declared with `related`).
    Related,
    /// The indicator reads the column (`documents.e_sealed → HC9`).
    Reads,
}

impl Edge {
    pub fn as_str(&self) -> &'static str {
        match self {
            Edge::DerivedFrom => "derived-from",
            Edge::Related => "related",
            Edge::Reads => "reads",
        }
    }
}

/// Edges point from what is depended on to what depends on it.
pub struct Graph {
    pub g: DiGraph<Node, Edge>,
    pub indicators: Vec<NodeIndex>,
}

pub fn build(p: &Policy, lineage: bool) -> Graph {
    let mut g = DiGraph::new();
    let indicators: Vec<NodeIndex> = p
        .indicators
        .iter()
        .map(|i| {
            g.add_node(Node::Indicator {
                id: i.code.clone(),
                name: i.name.clone(),
            })
        })
        .collect();
    for (ii, ind) in p.indicators.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for (d, _) in &ind.derived_from {
            if seen.insert(*d) {
                g.add_edge(indicators[*d], indicators[ii], Edge::DerivedFrom);
            }
        }
        for (r, _) in &ind.related {
            g.add_edge(indicators[*r], indicators[ii], Edge::Related);
        }
    }
    if lineage {
        let mut cols: Vec<((TableId, ColId), NodeIndex)> = Vec::new();
        for (ii, &ind_node) in indicators.iter().enumerate() {
            for (t, c) in crate::plan::columns_read(p, ii) {
                let n = match cols.iter().find(|(k, _)| *k == (t, c)) {
                    Some((_, n)) => *n,
                    None => {
                        let n = g.add_node(Node::Column {
                            table: p.schema.tables[t].name.clone(),
                            column: p.schema.tables[t].columns[c].name.clone(),
                        });
                        cols.push(((t, c), n));
                        n
                    }
                };
                g.add_edge(n, ind_node, Edge::Reads);
            }
        }
    }
    Graph { g, indicators }
}

fn label(n: &Node) -> String {
    match n {
        Node::Indicator { id, .. } => id.clone(),
        Node::Column { table, column } => format!("{table}.{column}"),
    }
}

/// Everything reachable from `start` in `dir`, with the kind of the edge that
/// first reached it and the node it came through.
pub fn reach(gr: &Graph, start: NodeIndex, dir: Direction) -> Vec<(NodeIndex, Edge, NodeIndex)> {
    reach_by(gr, start, dir, |_| true)
}

/// What a node's own value is computed from: everything reachable against
/// the edges, by derived-from and reads edges only (a `related` link says
/// what raises it, not what it reads).
pub fn value_deps(gr: &Graph, start: NodeIndex) -> Vec<(NodeIndex, Edge, NodeIndex)> {
    reach_by(gr, start, Direction::Incoming, |e| e != Edge::Related)
}

/// The indicators a node names as `related`, in the order declared.
pub fn related_of(gr: &Graph, start: NodeIndex) -> Vec<NodeIndex> {
    let mut edges: Vec<_> =
        gr.g.edges_directed(start, Direction::Incoming)
            .filter(|e| *e.weight() == Edge::Related)
            .collect();
    edges.sort_by_key(|e| e.id());
    edges.into_iter().map(|e| e.source()).collect()
}

/// Like [`reach`], following only the edges `follow` accepts.
pub fn reach_by(
    gr: &Graph,
    start: NodeIndex,
    dir: Direction,
    follow: impl Fn(Edge) -> bool,
) -> Vec<(NodeIndex, Edge, NodeIndex)> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::from([start]);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        let mut edges: Vec<_> =
            gr.g.edges_directed(n, dir)
                .filter(|e| follow(*e.weight()))
                .collect();
        edges.sort_by_key(|e| (e.weight().as_str(), e.id()));
        for e in edges {
            let other = if dir == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            if seen.insert(other) {
                out.push((other, *e.weight(), n));
                queue.push_back(other);
            }
        }
    }
    out
}

pub fn dot(gr: &Graph) -> String {
    let mut s = String::from(
        "digraph indicators {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n",
    );
    for n in gr.g.node_indices() {
        let (text, shape) = match &gr.g[n] {
            Node::Indicator { id, name } => (format!("{id}\\n{name}"), "box"),
            c => (label(c), "ellipse"),
        };
        s.push_str(&format!(
            "  n{} [label=\"{}\", shape={shape}];\n",
            n.index(),
            text.replace('"', "\\\"")
        ));
    }
    for e in gr.g.edge_references() {
        let style = match e.weight() {
            Edge::DerivedFrom => "solid",
            Edge::Related => "dashed",
            Edge::Reads => "dotted",
        };
        s.push_str(&format!(
            "  n{} -> n{} [label=\"{}\", style={style}];\n",
            e.source().index(),
            e.target().index(),
            e.weight().as_str()
        ));
    }
    s.push_str("}\n");
    s
}

pub fn mermaid(gr: &Graph) -> String {
    let mut s = String::from("flowchart LR\n");
    for n in gr.g.node_indices() {
        let text = match &gr.g[n] {
            Node::Indicator { id, name } => format!("{id} {name}"),
            c => label(c),
        };
        s.push_str(&format!(
            "  n{}[\"{}\"]\n",
            n.index(),
            text.replace('"', "'")
        ));
    }
    for e in gr.g.edge_references() {
        let arrow = match e.weight() {
            Edge::DerivedFrom => "-->",
            Edge::Related => "-.->",
            Edge::Reads => "-.-",
        };
        s.push_str(&format!(
            "  n{} {arrow}|{}| n{}\n",
            e.source().index(),
            e.weight().as_str(),
            e.target().index()
        ));
    }
    s
}

pub fn json(gr: &Graph) -> serde_json::Value {
    let nodes: Vec<serde_json::Value> =
        gr.g.node_indices()
            .map(|n| {
                let mut v = serde_json::to_value(&gr.g[n]).unwrap_or_default();
                v["index"] = n.index().into();
                v
            })
            .collect();
    let edges: Vec<serde_json::Value> = gr
        .g
        .edge_references()
        .map(|e| serde_json::json!({ "from": label(&gr.g[e.source()]), "to": label(&gr.g[e.target()]), "kind": e.weight().as_str() }))
        .collect();
    serde_json::json!({ "nodes": nodes, "edges": edges })
}

/// The node of an indicator code (`HC4-talk` or `HC4_talk`).
pub fn find(gr: &Graph, p: &Policy, code: &str) -> Option<NodeIndex> {
    p.indicator(code).map(|i: IndId| gr.indicators[i])
}

pub fn find_column(gr: &Graph, table: &str, column: &str) -> Option<NodeIndex> {
    gr.g.node_indices().find(
        |n| matches!(&gr.g[*n], Node::Column { table: t, column: c } if t == table && c == column),
    )
}

pub fn describe(gr: &Graph, n: NodeIndex) -> String {
    match &gr.g[n] {
        Node::Indicator { id, name } => format!("{id} {name}"),
        c => label(c),
    }
}
