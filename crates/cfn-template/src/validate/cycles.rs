//! Cycles among resources and among conditions.

use std::collections::{BTreeSet, HashMap};

/// Depth-first search over dependencies, in declaration order so the
/// reported cycle is stable. Names the graph reaches but does not declare
/// have no dependencies of their own, so no cycle passes through them.
pub(super) fn find_cycle(order: &[&str], graph: &HashMap<&str, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    struct Search<'a> {
        order: &'a [&'a str],
        /// Each node's dependencies, as positions in `order`: names are
        /// hashed once, not at every step.
        edges: Vec<Vec<usize>>,
        marks: Vec<Mark>,
        stack: Vec<usize>,
    }
    impl Search<'_> {
        fn visit(&mut self, node: usize) -> Option<Vec<String>> {
            self.marks[node] = Mark::Open;
            self.stack.push(node);
            for e in 0..self.edges[node].len() {
                let next = self.edges[node][e];
                match self.marks[next] {
                    Mark::Open => {
                        let start = self.stack.iter().position(|n| *n == next).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            self.stack[start..].iter().map(|n| self.order[*n].to_string()).collect();
                        cycle.push(self.order[next].to_string());
                        return Some(cycle);
                    }
                    Mark::New => {
                        if let Some(c) = self.visit(next) {
                            return Some(c);
                        }
                    }
                    Mark::Done => {}
                }
            }
            self.stack.pop();
            self.marks[node] = Mark::Done;
            None
        }
    }
    let position: HashMap<&str, usize> = order.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges = order
        .iter()
        .map(|n| {
            let deps = graph.get(n).into_iter().flatten();
            deps.filter_map(|d| position.get(d.as_str()).copied()).collect()
        })
        .collect();
    let mut search = Search { order, edges, marks: vec![Mark::New; order.len()], stack: Vec::new() };
    for node in 0..order.len() {
        if search.marks[node] == Mark::New {
            if let Some(c) = search.visit(node) {
                return Some(c);
            }
        }
    }
    None
}
