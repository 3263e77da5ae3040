//! A picture of a stack: its resources and the references between them
//! (`Ref`, `Fn::GetAtt`, `Fn::Sub` variables, `DependsOn`), as Mermaid
//! (GitHub renders it in pull requests) or Graphviz DOT. Built from a diff,
//! it marks what is added, removed, replaced and updated.
//!
//! Labels are escaped for each language ([`crate::escape`]): a logical ID
//! or type from a template cannot end its label, add a node, an edge or a
//! statement, or drive the terminal the graph is printed on.

use crate::escape::{dot as dot_text, mermaid as mermaid_text};
use crate::model::{ChangeKind, Impact, ResourceChange, TemplateDiff};
use crate::refs::{references, RefKind};
use crate::template::Template;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// What a diff does to a resource, as the graph marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    /// Not changed (or a graph of one template).
    Unchanged,
    /// Added.
    Added,
    /// Removed.
    Removed,
    /// Replaced, renamed or its type changed.
    Replaced,
    /// May be replaced.
    MayReplace,
    /// Updated in place.
    Modified,
}

/// A resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Its logical ID.
    pub id: String,
    /// Its type.
    pub type_name: String,
    /// What the diff does to it.
    pub status: NodeStatus,
}

/// A reference from one resource to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    /// The resource that refers.
    pub from: String,
    /// The resource referred to.
    pub to: String,
    /// How.
    pub kind: RefKind,
    /// The attribute read, for `GetAtt` and `${X.Attr}`.
    pub attribute: Option<String>,
}

/// Resources and their references.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Graph {
    /// The resources, in template order.
    pub nodes: Vec<Node>,
    /// The references, each once.
    pub edges: Vec<Edge>,
}

impl Graph {
    /// The graph of one template.
    pub fn of(template: &Template) -> Graph {
        let mut g = Graph::default();
        g.add_template(template, |_| true, NodeStatus::Unchanged);
        g
    }

    /// The graph of the new template, with the resources the diff removes
    /// added back, each marked with what the diff does to it.
    pub fn of_diff(old: &Template, new: &Template, diff: &TemplateDiff) -> Graph {
        let mut g = Graph::default();
        g.add_template(new, |_| true, NodeStatus::Unchanged);
        g.add_template(old, |id| !new.resources.contains_key(id), NodeStatus::Removed);
        let changes: HashMap<&str, &ResourceChange> =
            diff.resources.iter().rev().map(|c| (c.logical_id.as_str(), c)).collect();
        for node in &mut g.nodes {
            if let Some(c) = changes.get(node.id.as_str()).filter(|_| node.status != NodeStatus::Removed) {
                node.status = match (c.kind, c.impact) {
                    (ChangeKind::Added, _) => NodeStatus::Added,
                    (ChangeKind::Removed, _) => NodeStatus::Removed,
                    (ChangeKind::Renamed | ChangeKind::TypeChanged, _) | (_, Impact::Replace) => {
                        NodeStatus::Replaced
                    }
                    (_, Impact::MayReplace) => NodeStatus::MayReplace,
                    (_, Impact::Update) => NodeStatus::Modified,
                    _ => NodeStatus::Unchanged,
                };
            }
        }
        g
    }

    fn add_template(&mut self, t: &Template, keep: impl Fn(&str) -> bool, status: NodeStatus) {
        // A set beside the list: a template can hold hundreds of thousands
        // of references, and a search of the list for each was quadratic.
        let mut seen: HashSet<Edge> = self.edges.iter().cloned().collect();
        for (id, r) in t.resources.iter().filter(|(id, _)| keep(id)) {
            self.nodes.push(Node { id: id.clone(), type_name: r.type_name.clone(), status });
            let mut edges: Vec<Edge> = references(&Value::Object(r.properties.clone()))
                .into_iter()
                .filter(|x| t.resources.contains_key(&x.target))
                .map(|x| Edge { from: id.clone(), to: x.target, kind: x.kind, attribute: x.attribute })
                .collect();
            edges.extend(r.depends_on_names().into_iter().map(|to| Edge {
                from: id.clone(),
                to,
                kind: RefKind::DependsOn,
                attribute: None,
            }));
            for e in edges {
                if !seen.contains(&e) {
                    seen.insert(e.clone());
                    self.edges.push(e);
                }
            }
        }
    }

    fn label(e: &Edge) -> String {
        let kind = match e.kind {
            RefKind::Ref => "Ref",
            RefKind::GetAtt => "GetAtt",
            RefKind::Sub => "Sub",
            RefKind::DependsOn => "DependsOn",
        };
        match &e.attribute {
            Some(a) => format!("{kind} {a}"),
            None => kind.to_string(),
        }
    }

    /// A Mermaid flowchart; resources are `r0`, `r1`, ... so no logical ID
    /// can clash with Mermaid's keywords.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let mut positions: HashMap<&str, usize> = HashMap::with_capacity(self.nodes.len());
        for (i, n) in self.nodes.iter().enumerate() {
            positions.entry(n.id.as_str()).or_insert(i);
        }
        let index = |id: &str| positions.get(id).copied();
        for (i, n) in self.nodes.iter().enumerate() {
            let _ = writeln!(
                out,
                "  r{i}[\"{}<br/><small>{}</small>\"]",
                mermaid_text(&n.id),
                mermaid_text(&n.type_name)
            );
        }
        for e in &self.edges {
            if let (Some(a), Some(b)) = (index(&e.from), index(&e.to)) {
                let arrow = if e.kind == RefKind::DependsOn { "-.->" } else { "-->" };
                let _ = writeln!(out, "  r{a} {arrow}|\"{}\"| r{b}", mermaid_text(&Self::label(e)));
            }
        }
        let classes = [
            (NodeStatus::Added, "added", "fill:#dafbe1,stroke:#1a7f37"),
            (NodeStatus::Removed, "removed", "fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3"),
            (NodeStatus::Replaced, "replaced", "fill:#fff1e5,stroke:#bc4c00,stroke-width:3px"),
            (NodeStatus::MayReplace, "mayReplace", "fill:#fff8c5,stroke:#9a6700,stroke-width:2px"),
            (NodeStatus::Modified, "modified", "fill:#ddf4ff,stroke:#0969da"),
        ];
        for (status, class, style) in classes {
            let members: Vec<String> = self
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.status == status)
                .map(|(i, _)| format!("r{i}"))
                .collect();
            if !members.is_empty() {
                let _ = writeln!(out, "  classDef {class} {style}");
                let _ = writeln!(out, "  class {} {class}", members.join(","));
            }
        }
        out
    }

    /// A Graphviz DOT digraph.
    pub fn dot(&self) -> String {
        let mut out =
            String::from("digraph stack {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        for n in &self.nodes {
            let style = match n.status {
                NodeStatus::Unchanged => String::new(),
                NodeStatus::Added => ", style=filled, fillcolor=\"#dafbe1\", color=\"#1a7f37\"".into(),
                NodeStatus::Removed => {
                    ", style=\"filled,dashed\", fillcolor=\"#ffebe9\", color=\"#cf222e\"".into()
                }
                NodeStatus::Replaced => {
                    ", style=filled, fillcolor=\"#fff1e5\", color=\"#bc4c00\", penwidth=3".into()
                }
                NodeStatus::MayReplace => {
                    ", style=filled, fillcolor=\"#fff8c5\", color=\"#9a6700\", penwidth=2".into()
                }
                NodeStatus::Modified => ", style=filled, fillcolor=\"#ddf4ff\", color=\"#0969da\"".into(),
            };
            let _ = writeln!(
                out,
                "  {} [label=\"{}\\n{}\"{style}];",
                dot_id(&n.id),
                dot_text(&n.id),
                dot_text(&n.type_name)
            );
        }
        for e in &self.edges {
            let style = if e.kind == RefKind::DependsOn { ", style=dashed" } else { "" };
            let _ = writeln!(
                out,
                "  {} -> {} [label=\"{}\"{style}];",
                dot_id(&e.from),
                dot_id(&e.to),
                dot_text(&Self::label(e))
            );
        }
        out.push_str("}\n");
        out
    }
}

fn dot_id(s: &str) -> String {
    format!("\"{}\"", dot_text(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_edges() {
        let t = Template::parse(
            "t.yaml",
            "Resources:\n  K:\n    Type: AWS::KMS::Key\n  B:\n    Type: AWS::S3::Bucket\n    DependsOn: K\n    Properties:\n      X: !GetAtt K.Arn\n      Y: !Sub '${K}-${AWS::Region}'\n",
        )
        .unwrap();
        let g = Graph::of(&t);
        assert_eq!(g.nodes.len(), 2);
        let kinds: Vec<(&str, &str, String)> =
            g.edges.iter().map(|e| (e.from.as_str(), e.to.as_str(), Graph::label(e))).collect();
        assert_eq!(
            kinds,
            vec![("B", "K", "GetAtt Arn".into()), ("B", "K", "Sub".into()), ("B", "K", "DependsOn".into())]
        );
        assert!(g.mermaid().contains("r1 -.->|\"DependsOn\"| r0"));
        assert!(g.dot().contains("\"B\" -> \"K\" [label=\"GetAtt Arn\"];"));
    }
}
