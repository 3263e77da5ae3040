//! The value rules of a type (patterns, lengths, enums, bounds, required
//! properties) as an arena of nodes, written as static data the runtime
//! validator walks.

use std::collections::HashMap;

use serde_json::Value;

use crate::policies::PolicyPaths;
use crate::schema::{strings, Kind, TypeSchema};

/// A pattern as the schema writes it, and as Rust's regex engine reads it;
/// `None` when the engine cannot express it (lookaround, backreferences).
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub source: String,
    pub rust: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    String {
        min: Option<u64>,
        max: Option<u64>,
        pattern: Option<Pattern>,
        values: Vec<String>,
        case_insensitive: bool,
    },
    Integer {
        min: Option<f64>,
        max: Option<f64>,
        values: Vec<f64>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        values: Vec<f64>,
    },
    Boolean,
    Json,
    Policy,
    Scalar,
    Array {
        items: u32,
        min: Option<u64>,
        max: Option<u64>,
        unique: bool,
    },
    Map {
        values: u32,
        key_pattern: Option<Pattern>,
        min: Option<u64>,
        max: Option<u64>,
    },
    Object(ObjectNode),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectNode {
    pub name: String,
    pub props: Vec<(String, u32)>,
    pub required: Vec<String>,
    pub closed: bool,
    pub or_string: bool,
    pub required_xor: Vec<String>,
    pub required_or: Vec<String>,
    pub one_of: Vec<Vec<String>>,
    pub any_of: Vec<Vec<String>>,
    pub dependent_excluded: Vec<(String, Vec<String>)>,
    pub dependent_required: Vec<(String, Vec<String>)>,
}

/// The nodes of one type; node 0 is the resource's properties.
#[derive(Debug, Default)]
pub struct ShapeBuilder {
    pub nodes: Vec<Node>,
    pub unsupported_patterns: Vec<String>,
}

/// Rewrites what Python's `re` and JavaScript accept but Rust's regex
/// engines spell differently, then checks the result compiles with the
/// engine the validator uses (fancy-regex: look-around, over `regex`).
pub fn translate_pattern(source: &str) -> Pattern {
    let mut rust = source.replace("\\Z", "\\z");
    // A `/` needs no escape; Rust rejects the needless one.
    rust = rust.replace("\\/", "/");
    let rust = fancy_regex::Regex::new(&rust).is_ok().then_some(rust);

    Pattern { source: source.to_string(), rust }
}

fn num(v: &Value, key: &str) -> Option<f64> {
    v[key].as_f64()
}

fn count(v: &Value, key: &str) -> Option<u64> {
    v[key].as_u64()
}

fn dependent(v: &Value) -> Vec<(String, Vec<String>)> {
    v.as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), strings(v))).collect()).unwrap_or_default()
}

struct Walk<'a, 'b> {
    schema: &'b TypeSchema<'a>,
    type_name: &'b str,
    policies: &'b PolicyPaths,
    by_def: HashMap<&'a str, u32>,
    out: ShapeBuilder,
}

impl<'a> Walk<'a, '_> {
    fn push(&mut self, node: Node) -> u32 {
        self.out.nodes.push(node);
        (self.out.nodes.len() - 1) as u32
    }

    fn pattern(&mut self, v: &Value) -> Option<Pattern> {
        let p = translate_pattern(v.as_str()?);
        if p.rust.is_none() {
            self.out.unsupported_patterns.push(p.source.clone());
        }
        Some(p)
    }

    fn node(&mut self, node: &'a Value, pointer: &str) -> u32 {
        if self.policies.kind_of(self.type_name, pointer).is_some() {
            return self.push(Node::Policy);
        }
        let (resolved, def) = self.schema.resolve(node);
        self.build(resolved, def, pointer)
    }

    /// The node of a definition by name, made on first use.
    fn definition(&mut self, name: &'a str, node: &'a Value) -> u32 {
        let (resolved, inner) = self.schema.resolve(node);
        self.build(resolved, Some(inner.unwrap_or(name)), &format!("/definitions/{name}"))
    }

    fn build(&mut self, resolved: &'a Value, def: Option<&'a str>, pointer: &str) -> u32 {
        if let Some(d) = def {
            if let Some(&i) = self.by_def.get(d) {
                return i;
            }
        }
        let kind = self.schema.kind(resolved);
        // Objects take their index before their properties, so recursive
        // definitions point back at it.
        let index = match kind {
            Kind::Object => {
                let i = self.push(Node::Object(ObjectNode::default()));
                if let Some(d) = def {
                    self.by_def.insert(d, i);
                }
                i
            }
            _ => u32::MAX,
        };
        let made = match kind {
            Kind::String => {
                let values = match resolved["enum"].as_array() {
                    Some(vs) => vs.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
                    None => Vec::new(),
                };
                Node::String {
                    min: count(resolved, "minLength"),
                    max: count(resolved, "maxLength"),
                    pattern: self.pattern(&resolved["pattern"]),
                    values,
                    case_insensitive: resolved["enumCaseInsensitive"] == Value::Bool(true),
                }
            }
            Kind::Integer | Kind::Number => {
                let values = resolved["enum"]
                    .as_array()
                    .map(|vs| vs.iter().filter_map(Value::as_f64).collect())
                    .unwrap_or_default();
                let (min, max) = (num(resolved, "minimum"), num(resolved, "maximum"));
                if kind == Kind::Integer {
                    Node::Integer { min, max, values }
                } else {
                    Node::Number { min, max, values }
                }
            }
            Kind::Boolean => Node::Boolean,
            Kind::Json => Node::Json,
            Kind::Scalar => Node::Scalar,
            Kind::Array => {
                let items = match resolved.get("items") {
                    Some(items) => self.node(items, &format!("{pointer}/*")),
                    None => self.push(Node::Json),
                };
                Node::Array {
                    items,
                    min: count(resolved, "minItems"),
                    max: count(resolved, "maxItems"),
                    unique: resolved["uniqueItems"] == Value::Bool(true),
                }
            }
            Kind::Map => {
                let (key, values) = self.schema.map_values(resolved).expect("a map has one pattern");
                let values = self.node(values, &format!("{pointer}/*"));
                Node::Map {
                    values,
                    key_pattern: self.pattern(&Value::String(key.to_string())),
                    min: count(resolved, "minProperties"),
                    max: count(resolved, "maxProperties"),
                }
            }
            Kind::Object => {
                let mut obj = ObjectNode {
                    name: def.unwrap_or("").to_string(),
                    required: strings(&resolved["required"]),
                    closed: resolved["additionalProperties"] == Value::Bool(false),
                    or_string: self.schema.or_string(resolved),
                    required_xor: strings(&resolved["requiredXor"]),
                    required_or: strings(&resolved["requiredOr"]),
                    one_of: self.schema.required_groups(resolved, "oneOf"),
                    any_of: self.schema.required_groups(resolved, "anyOf"),
                    dependent_excluded: dependent(&resolved["dependentExcluded"]),
                    dependent_required: dependent(&resolved["dependentRequired"]),
                    ..ObjectNode::default()
                };
                for (name, prop) in self.schema.object_properties(resolved) {
                    let child = self.node(prop, &format!("{pointer}/{name}"));
                    obj.props.push((name.to_string(), child));
                }
                self.out.nodes[index as usize] = Node::Object(obj);
                return index;
            }
        };
        self.push(made)
    }
}

impl ShapeBuilder {
    /// The shape of a type's writable properties.
    pub fn build(
        schema: &TypeSchema<'_>,
        type_name: &str,
        read_only: &[String],
        policies: &PolicyPaths,
    ) -> ShapeBuilder {
        let mut w =
            Walk { schema, type_name, policies, by_def: HashMap::new(), out: ShapeBuilder::default() };
        let doc = schema.doc;
        let root = w.push(Node::Object(ObjectNode::default()));
        let mut obj = ObjectNode {
            name: String::new(),
            required: strings(&doc["required"]),
            closed: true,
            required_xor: strings(&doc["requiredXor"]),
            required_or: strings(&doc["requiredOr"]),
            one_of: schema.required_groups(doc, "oneOf"),
            any_of: schema.required_groups(doc, "anyOf"),
            dependent_excluded: dependent(&doc["dependentExcluded"]),
            dependent_required: dependent(&doc["dependentRequired"]),
            ..ObjectNode::default()
        };
        for (name, prop) in schema.properties() {
            let pointer = format!("/properties/{name}");
            if read_only.contains(&pointer) {
                continue;
            }
            let child = w.node(prop, &pointer);
            obj.props.push((name.clone(), child));
        }
        w.out.nodes[root as usize] = Node::Object(obj);
        // Every definition has its node, reachable or not, so its rules
        // stand beside its struct.
        for (def, node) in doc["definitions"].as_object().into_iter().flatten() {
            w.definition(def, node);
        }
        w.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_end_anchors_become_rust_ones() {
        let p = translate_pattern(r"^[a-z]{1,3}\Z");
        assert_eq!(p.rust.as_deref(), Some(r"^[a-z]{1,3}\z"));
        assert!(translate_pattern(r"^(?!aws:).*$").rust.is_some(), "look-ahead is expressible");
        assert!(translate_pattern(r"^[\uD800-\uDBFF]$").rust.is_none(), "surrogates are not characters");

        assert!(translate_pattern(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").rust.is_some());
    }
}
