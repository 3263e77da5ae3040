//! The JSON Schema (draft-07) of a module's configuration, and what it says
//! a key expects, in words for error messages.

use schemars::JsonSchema;
use serde_json::Value;

use crate::path::{KeyPath, Segment};

/// The JSON Schema (draft-07) of `C`, as pretty JSON with a trailing newline.
///
/// ```
/// #[derive(schemars::JsonSchema)]
/// struct Config { enabled: bool }
/// let schema = module_kit::json_schema::<Config>();
/// assert!(schema.contains("\"$schema\": \"http://json-schema.org/draft-07/schema#\""));
/// ```
pub fn json_schema<C: JsonSchema>() -> String {
    let mut s = serde_json::to_string_pretty(&root_schema::<C>()).expect("schemas serialize");
    s.push('\n');
    s
}

fn root_schema<C: JsonSchema>() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07().into_generator().into_root_schema_for::<C>()
}

/// The schema of `C` as a JSON value.
pub(crate) fn schema_value<C: JsonSchema>() -> Value {
    serde_json::to_value(root_schema::<C>()).expect("schemas serialize")
}

/// The schema of one key of a configuration, found by path.
pub(crate) struct KeySchema<'a> {
    root: &'a Value,
    node: &'a Value,
}

impl<'a> KeySchema<'a> {
    /// The schema at `path` within `root`, if the schema describes it.
    pub fn find(root: &'a Value, path: &KeyPath) -> Option<KeySchema<'a>> {
        let mut node = resolve(root, root);
        for segment in &path.0 {
            node = match segment {
                Segment::Key(k) => node
                    .get("properties")
                    .and_then(|p| p.get(k))
                    .or_else(|| node.get("additionalProperties").filter(|a| a.is_object()))?,
                Segment::Index(_) => node.get("items")?,
            };
            node = resolve(root, node);
        }
        Some(KeySchema { root, node })
    }

    /// Whether the schema offers `key` inside this mapping; `None` when it
    /// lists no keys here. A key the type still reads but the schema does
    /// not offer (one that was removed, read only to say so) is `Some(false)`.
    pub fn offers(&self, key: &str) -> Option<bool> {
        self.node.get("properties").and_then(Value::as_object).map(|p| p.contains_key(key))
    }

    /// The values the key accepts, when the schema lists them.
    pub fn accepted(&self) -> Option<&'a Vec<Value>> {
        self.node.get("enum").and_then(Value::as_array)
    }

    /// What the key expects, in words.
    pub fn describe(&self) -> Option<String> {
        if let Some(values) = self.accepted() {
            let list: Vec<String> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Value::String(s) => format!("`{s}`"),
                    other => other.to_string(),
                })
                .collect();
            return Some(format!("one of {}", list.join(", ")));
        }
        let number = |k: &str| self.node.get(k).and_then(Value::as_i64);
        Some(match self.kind()? {
            "boolean" => "a boolean, `true` or `false`".into(),
            "integer" => match (number("minimum"), number("maximum")) {
                (Some(min), Some(max)) => format!("a whole number from {min} to {max}"),
                (Some(min), None) => format!("a whole number, {min} or more"),
                (None, Some(max)) => format!("a whole number, at most {max}"),
                (None, None) => "a whole number".into(),
            },
            "number" => "a number".into(),
            "string" => "text".into(),
            "array" => match self
                .node
                .get("items")
                .map(|i| KeySchema { root: self.root, node: resolve(self.root, i) })
            {
                Some(items) => format!("a list of {}", items.describe().unwrap_or_else(|| "values".into())),
                None => "a list".into(),
            },
            "object" => match self.node.get("additionalProperties").filter(|a| a.is_object()) {
                Some(v) => {
                    let values = KeySchema { root: self.root, node: resolve(self.root, v) }.describe();
                    format!("a mapping of keys to {}", values.unwrap_or_else(|| "values".into()))
                }
                None => "a mapping of keys".into(),
            },
            _ => return None,
        })
    }

    /// The schema's type, leaving out `null` (which an optional key allows).
    fn kind(&self) -> Option<&'a str> {
        match self.node.get("type")? {
            Value::String(t) => Some(t),
            Value::Array(types) => {
                let mut non_null = types.iter().filter_map(Value::as_str).filter(|t| *t != "null");
                let first = non_null.next()?;
                non_null.next().is_none().then_some(first)
            }
            _ => None,
        }
    }
}

/// Follows `$ref` and the `anyOf` that an optional value makes
/// (`anyOf: [{$ref}, {type: null}]`).
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let Some(name) = target.strip_prefix("#/definitions/") else { return node };
            match root.get("definitions").and_then(|d| d.get(name)) {
                Some(def) => node = def,
                None => return node,
            }
        } else if let Some(options) = node.get("anyOf").and_then(Value::as_array) {
            let mut non_null =
                options.iter().filter(|o| o.get("type").and_then(Value::as_str) != Some("null"));
            match (non_null.next(), non_null.next()) {
                (Some(only), None) => node = only,
                _ => return node,
            }
        } else {
            return node;
        }
    }
    node
}
