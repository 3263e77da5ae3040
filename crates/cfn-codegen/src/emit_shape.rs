//! A type's value shape as a static the runtime validator walks.

use std::fmt::Write;

use crate::model::TypeModel;
use crate::shape::{Node, Pattern};

fn opt<T: std::fmt::Debug>(v: &Option<T>) -> String {
    match v {
        Some(x) => format!("Some({x:?})"),
        None => "None".into(),
    }
}

fn float(v: &Option<f64>) -> String {
    match v {
        Some(x) => format!("Some({x:?})"),
        None => "None".into(),
    }
}

fn strs(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", items.join(", "))
}

fn floats(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| format!("{x:?}")).collect();
    format!("&[{}]", items.join(", "))
}

fn pattern(p: &Option<Pattern>) -> String {
    match p.as_ref().and_then(|p| p.rust.as_ref()) {
        Some(rust) => format!("Some({rust:?})"),
        None => "None".into(),
    }
}

fn pairs(v: &[(String, Vec<String>)]) -> String {
    let items: Vec<String> = v.iter().map(|(k, vs)| format!("({k:?}, {})", strs(vs))).collect();
    format!("&[{}]", items.join(", "))
}

fn groups(v: &[Vec<String>]) -> String {
    let items: Vec<String> = v.iter().map(|g| strs(g)).collect();
    format!("&[{}]", items.join(", "))
}

/// `mod shape { pub(super) static SHAPE: TypeShape = ... }`.
pub fn shape_static(model: &TypeModel) -> String {
    let mut nodes = String::new();
    let mut props = Vec::new();
    for node in &model.shape.nodes {
        let line = match node {
            Node::String { min, max, pattern: p, values, case_insensitive } => {
                let mut fields = Vec::new();
                if min.is_some() {
                    fields.push(format!("min: {}", opt(min)));
                }
                if max.is_some() {
                    fields.push(format!("max: {}", opt(max)));
                }
                if p.as_ref().is_some_and(|p| p.rust.is_some()) {
                    fields.push(format!("pattern: {}", pattern(p)));
                }
                if !values.is_empty() {
                    fields.push(format!("values: {}", strs(values)));
                }
                if *case_insensitive {
                    fields.push("case_insensitive: true".into());
                }
                fields.push("..Str::ANY".into());
                format!("Node::String(Str {{ {} }})", fields.join(", "))
            }
            Node::Integer { min, max, values } | Node::Number { min, max, values } => {
                let mut fields = Vec::new();
                if min.is_some() {
                    fields.push(format!("min: {}", float(min)));
                }
                if max.is_some() {
                    fields.push(format!("max: {}", float(max)));
                }
                if !values.is_empty() {
                    fields.push(format!("values: {}", floats(values)));
                }
                fields.push("..Bounds::ANY".into());
                let kind = if matches!(node, Node::Integer { .. }) { "Integer" } else { "Number" };
                format!("Node::{kind}(Bounds {{ {} }})", fields.join(", "))
            }
            Node::Boolean => "Node::Boolean".into(),
            Node::Json => "Node::Json".into(),
            Node::Policy => "Node::Policy".into(),
            Node::Scalar => "Node::Scalar".into(),
            Node::Array { items, min, max, unique } => {
                format!(
                    "Node::Array(Items {{ items: {items}, min: {}, max: {}, unique: {unique} }})",
                    opt(min),
                    opt(max)
                )
            }
            Node::Map { values, key_pattern, min, max } => format!(
                "Node::Map(Entries {{ values: {values}, key_pattern: {}, min: {}, max: {} }})",
                pattern(key_pattern),
                opt(min),
                opt(max)
            ),
            Node::Object(o) => {
                let start = props.len();
                props.extend(o.props.iter().cloned());
                let mut fields = vec![format!("props: ({start}, {})", o.props.len())];
                if !o.name.is_empty() {
                    fields.push(format!("name: {:?}", o.name));
                }
                if !o.required.is_empty() {
                    fields.push(format!("required: {}", strs(&o.required)));
                }
                if !o.closed {
                    fields.push("closed: false".into());
                }
                if o.or_string {
                    fields.push("or_string: true".into());
                }
                if !o.required_xor.is_empty() {
                    fields.push(format!("required_xor: {}", strs(&o.required_xor)));
                }
                if !o.required_or.is_empty() {
                    fields.push(format!("required_or: {}", strs(&o.required_or)));
                }
                if !o.one_of.is_empty() {
                    fields.push(format!("one_of: {}", groups(&o.one_of)));
                }
                if !o.any_of.is_empty() {
                    fields.push(format!("any_of: {}", groups(&o.any_of)));
                }
                if !o.dependent_excluded.is_empty() {
                    fields.push(format!("dependent_excluded: {}", pairs(&o.dependent_excluded)));
                }
                if !o.dependent_required.is_empty() {
                    fields.push(format!("dependent_required: {}", pairs(&o.dependent_required)));
                }
                format!("Node::Object(Object {{ {}, ..Object::EMPTY }})", fields.join(", "))
            }
        };
        let _ = writeln!(nodes, "            {line},");
    }
    let mut prop_lines = String::new();
    for (name, node) in &props {
        let _ = writeln!(prop_lines, "            Prop({name:?}, {node}),");
    }
    format!(
        "/// The value rules of `{ty}`, as its schema states them.
mod shape {{
    #[allow(unused_imports)]
    use crate::schema::shape::{{Bounds, Entries, Items, Node, Object, Prop, Str, TypeShape}};

    pub(crate) static SHAPE: TypeShape = TypeShape {{
        type_name: {ty:?},
        nodes: &[
{nodes}        ],
        props: &[
{prop_lines}        ],
    }};
}}
pub(crate) use shape::SHAPE;
",
        ty = model.type_name
    )
}
