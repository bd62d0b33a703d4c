//! Derived-from cycles among indicators, and the evaluation order when there are none.

use std::collections::HashSet;

use super::{CheckError, Cx, Edge};
use crate::ir::*;
use crate::syntax::ast;

impl<'a> Cx<'a> {
    /// Derived-from cycles; the evaluation order when there are none.
    pub(super) fn cycles(
        &mut self,
        inds: &[&ast::Indicator],
        derived: &[Vec<(IndId, Loc)>],
    ) -> Option<Vec<IndId>> {
        use petgraph::graph::DiGraph;
        let mut g = DiGraph::<usize, Loc>::new();
        let nodes: Vec<_> = (0..inds.len()).map(|i| g.add_node(i)).collect();
        for (i, ds) in derived.iter().enumerate() {
            for (d, loc) in ds {
                g.add_edge(nodes[*d], nodes[i], *loc);
            }
        }
        match petgraph::algo::toposort(&g, None) {
            Ok(order) => Some(order.into_iter().map(|n| g[n]).collect()),
            Err(_) => {
                for scc in petgraph::algo::tarjan_scc(&g) {
                    let self_loop = scc.len() == 1 && g.find_edge(scc[0], scc[0]).is_some();
                    if scc.len() < 2 && !self_loop {
                        continue;
                    }
                    // Walk the cycle in dependency order for a readable message.
                    let members: HashSet<_> = scc.iter().copied().collect();
                    let Some(&start) = scc.iter().min_by_key(|n| g[**n]) else {
                        continue;
                    };
                    let mut path = vec![start];
                    let mut edges = Vec::new();
                    let mut cur = start;
                    // cur is derived from `next`: edge next -> cur.
                    while let Some(e) = g
                        .edges_directed(cur, petgraph::Direction::Incoming)
                        .find(|e| members.contains(&petgraph::visit::EdgeRef::source(e)))
                    {
                        let next = petgraph::visit::EdgeRef::source(&e);
                        let loc = *e.weight();
                        edges.push(Edge {
                            span: loc.span.into(),
                            from: inds[g[cur]].id.name.clone(),
                            to: inds[g[next]].id.name.clone(),
                        });
                        if next == start || path.contains(&next) {
                            path.push(next);
                            break;
                        }
                        path.push(next);
                        cur = next;
                    }
                    let cycle = path
                        .iter()
                        .map(|n| inds[g[*n]].id.name.clone())
                        .collect::<Vec<_>>();
                    self.errors.push(CheckError::Cycle {
                        cycle,
                        src: self.src(),
                        edges,
                    });
                }
                None
            }
        }
    }
}
