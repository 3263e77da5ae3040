//! Reading one registry schema: resolving `$ref`s and the shapes of values.

use serde_json::{Map, Value};

/// One resource type's schema.
pub struct TypeSchema<'a> {
    /// The whole schema document.
    pub doc: &'a Value,
}

/// What a schema node is, once `$ref`s are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    Array,
    /// An object with named properties (possibly merged from `oneOf` variants).
    Object,
    /// An object of arbitrary keys to values of one schema.
    Map,
    /// Anything JSON: an object without properties, a union of types.
    Json,
    /// A string or number or boolean: scalars CloudFormation converts.
    Scalar,
}

impl<'a> TypeSchema<'a> {
    pub fn new(doc: &'a Value) -> Self {
        TypeSchema { doc }
    }

    /// The schema's own properties.
    pub fn properties(&self) -> &'a Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.doc["properties"].as_object().unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// A list of strings at `key` of the document.
    pub fn strings(&self, key: &str) -> Vec<String> {
        strings(&self.doc[key])
    }

    /// Follows `$ref`s: the node, and the definition name it came from, if any.
    pub fn resolve(&self, mut node: &'a Value) -> (&'a Value, Option<&'a str>) {
        let mut def = None;
        for _ in 0..32 {
            let Some(r) = node.get("$ref").and_then(Value::as_str) else { break };
            let (section, name) = if let Some(name) = r.strip_prefix("#/definitions/") {
                ("definitions", name)
            } else if let Some(name) = r.strip_prefix("#/properties/") {
                ("properties", name)
            } else {
                break;
            };
            match self.doc[section].get(name) {
                Some(target) => {
                    if section == "definitions" {
                        def = Some(name);
                    }
                    node = target;
                }
                None => break,
            }
        }
        (node, def)
    }

    /// What a (resolved) node is.
    pub fn kind(&self, node: &Value) -> Kind {
        let types: Vec<&str> = match &node["type"] {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        match types.as_slice() {
            ["string"] => Kind::String,
            ["integer"] => Kind::Integer,
            ["number"] => Kind::Number,
            ["boolean"] => Kind::Boolean,
            ["array"] => Kind::Array,
            ["object"] => self.object_kind(node),
            [] => {
                if node.get("properties").is_some() || self.variant_properties(node).is_some() {
                    Kind::Object
                } else if node.get("items").is_some() {
                    Kind::Array
                } else if node.get("enum").is_some() {
                    Kind::Scalar
                } else {
                    Kind::Json
                }
            }
            many if many.iter().all(|t| matches!(*t, "string" | "integer" | "number" | "boolean")) => {
                Kind::Scalar
            }
            // An object that may also be given as its JSON text: typed as the object.
            ["object", "string"] | ["string", "object"] if self.object_kind(node) == Kind::Object => {
                Kind::Object
            }
            _ => Kind::Json,
        }
    }

    fn object_kind(&self, node: &Value) -> Kind {
        let has_props = node["properties"].as_object().is_some_and(|p| !p.is_empty());
        if has_props || self.variant_properties(node).is_some() {
            Kind::Object
        } else if node["patternProperties"].as_object().is_some_and(|p| p.len() == 1) {
            Kind::Map
        } else {
            Kind::Json
        }
    }

    /// The value schema of a map (its single pattern), and the key pattern.
    pub fn map_values(&self, node: &'a Value) -> Option<(&'a str, &'a Value)> {
        let (k, v) = node["patternProperties"].as_object()?.iter().next()?;
        Some((k.as_str(), v))
    }

    /// For an object made of `oneOf`/`anyOf` variants that each declare
    /// properties: the variants.
    fn variant_properties(&self, node: &'a Value) -> Option<Vec<&'a Value>> {
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = node[key].as_array() {
                let resolved: Vec<&Value> = variants.iter().map(|v| self.resolve(v).0).collect();
                // Variants that declare no properties are the empty object.
                let objects = resolved.iter().all(|v| v["properties"].is_object() || v["type"] == "object");
                if objects && resolved.iter().any(|v| v["properties"].is_object()) {
                    return Some(resolved.into_iter().filter(|v| v["properties"].is_object()).collect());
                }
            }
        }
        None
    }

    /// The properties of an object node, in schema order: its own, then those
    /// its `oneOf`/`anyOf` variants add.
    pub fn object_properties(&self, node: &'a Value) -> Vec<(&'a str, &'a Value)> {
        let mut out: Vec<(&str, &Value)> = Vec::new();
        if let Some(p) = node["properties"].as_object() {
            out.extend(p.iter().map(|(k, v)| (k.as_str(), v)));
        }
        for variant in self.variant_properties(node).unwrap_or_default() {
            for (k, v) in variant["properties"].as_object().into_iter().flatten() {
                if !out.iter().any(|(name, _)| name == k) {
                    out.push((k.as_str(), v));
                }
            }
        }
        out
    }

    /// Whether an object node may also be given as a string (its JSON text).
    pub fn or_string(&self, node: &Value) -> bool {
        node["type"].as_array().is_some_and(|t| t.iter().any(|t| t == "string"))
    }

    /// Required properties of an object node. Properties required only by
    /// some `oneOf`/`anyOf` variant are not required.
    pub fn required(&self, node: &Value) -> Vec<String> {
        strings(&node["required"])
    }

    /// The groups of an object's `oneOf` (exactly one holds) or `anyOf` (at
    /// least one holds), where each variant only requires properties.
    pub fn required_groups(&self, node: &Value, key: &str) -> Vec<Vec<String>> {
        let Some(variants) = node[key].as_array() else { return Vec::new() };
        let groups: Vec<Vec<String>> =
            variants.iter().map(|v| strings(&self.resolve(v).0["required"])).collect();
        if groups.iter().any(Vec::is_empty) {
            // A variant without requirements always holds: nothing to check.
            return Vec::new();
        }
        groups
    }

    /// The description of a node, or of the definition it refers to.
    pub fn description(&self, node: &'a Value) -> &'a str {
        node["description"].as_str().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| {
            let (resolved, _) = self.resolve(node);
            resolved["description"].as_str().unwrap_or_default()
        })
    }
}

/// A JSON list of strings (other items skipped).
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
}

/// `/properties/A/B` → `A.B`.
pub fn pointer_to_attribute(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/properties/")?;
    // GetAtt cannot index into a list.
    (!rest.split('/').any(|p| p == "*")).then(|| rest.replace('/', "."))
}
