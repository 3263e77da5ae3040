//! Text where a module's schema wants a boolean, a number or a list, made
//! into one as MDAA's app does it.
//!
//! MDAA's CLI hands context values to its apps as text, so
//! `enableAuditLoggingToS3: "{{context:logging}}"` (or a quoted `"true"`)
//! arrives as text. MDAA's config parser validates the config against the
//! module's JSON Schema and, where a value has the wrong type, tries once
//! to convert it (packages/apps/core/app/lib/utils.ts, `coerceConfigTypes`):
//! exactly `true` or `false` for a boolean, JavaScript's `Number()` for a
//! number (an integer must have no fraction), JSON for a list. Anything
//! else is left for the module to refuse, at its place, with its message.
//! Here the schema is the module's own; `null` in a list of types only
//! marks a key as optional and is not a type to convert to.

use serde_json::{Number, Value};

/// Converts every text value of `config` that `schema` (a JSON Schema with
/// `#/definitions/...` references) does not take as text but as a
/// boolean, a number or a list, where the text reads as one.
pub(crate) fn like_mdaa(config: &mut Value, schema: &Value) {
    walk(config, schema, schema, 0);
}

/// How deep a schema's references are followed: a schema that refers to
/// itself stops here instead of looping.
const MAX_DEPTH: usize = 64;

fn walk(v: &mut Value, schema: &Value, root: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = resolve(schema, root);
    let branches = alternatives(schema, root);
    match v {
        Value::String(s) => {
            let types: Vec<&str> = branches.iter().flat_map(|b| types(b)).collect();
            if types.contains(&"string") {
                return;
            }
            if let Some(converted) = types.iter().find_map(|t| convert(s, t)) {
                *v = converted;
            }
        }
        Value::Object(map) => {
            let Some(object) =
                branches.iter().find(|b| b.get("properties").is_some() || types(b).contains(&"object"))
            else {
                return;
            };
            for (k, item) in map.iter_mut() {
                let child = object
                    .get("properties")
                    .and_then(|p| p.get(k))
                    .or_else(|| object.get("additionalProperties").filter(|a| a.is_object()));
                if let Some(child) = child {
                    walk(item, child, root, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            let Some(item_schema) = branches.iter().find_map(|b| b.get("items").filter(|i| i.is_object()))
            else {
                return;
            };
            for item in items {
                walk(item, item_schema, root, depth + 1);
            }
        }
        _ => {}
    }
}

/// A schema with its `$ref` followed (`#/definitions/Name`).
fn resolve<'s>(schema: &'s Value, root: &'s Value) -> &'s Value {
    let mut s = schema;
    for _ in 0..MAX_DEPTH {
        let Some(target) = s.get("$ref").and_then(Value::as_str) else { return s };
        let Some(found) = target.strip_prefix('#').and_then(|pointer| root.pointer(pointer)) else {
            return s;
        };
        s = found;
    }
    s
}

/// The schema itself and the branches of its `anyOf`, `oneOf` and `allOf`,
/// references followed, in order.
fn alternatives<'s>(schema: &'s Value, root: &'s Value) -> Vec<&'s Value> {
    let mut out = vec![schema];
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            out.push(resolve(branch, root));
        }
    }
    out
}

/// The types a schema names, `null` left out.
fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|t| *t != "null")
    .collect()
}

/// `text` as a value of JSON type `to`, where it reads as one.
fn convert(text: &str, to: &str) -> Option<Value> {
    match to {
        "boolean" => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        "number" => js_number(text).and_then(json_number),
        "integer" => js_number(text).filter(|n| n.fract() == 0.0).and_then(json_number),
        "array" => serde_json::from_str::<Value>(text).ok().filter(Value::is_array),
        _ => None,
    }
}

/// What JavaScript's `Number()` gives for the decimal forms configs use
/// (surrounding white space ignored); `None` where it gives `NaN`, and for
/// empty text, which JavaScript reads as `0` but no config means so.
fn js_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.trim_start_matches(['+', '-']);
    let plain = digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if t.is_empty() || !plain || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn json_number(n: f64) -> Option<Value> {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        return Some(Value::Number(Number::from(n as i64)));
    }
    Number::from_f64(n).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "flag": {"type": "boolean"},
                "maybe": {"type": ["boolean", "null"]},
                "days": {"type": ["integer", "null"]},
                "ratio": {"type": "number"},
                "name": {"type": "string"},
                "either": {"type": ["string", "boolean"]},
                "list": {"type": "array", "items": {"type": "string"}},
                "roles": {"type": "array", "items": {"$ref": "#/definitions/Role"}},
                "nested": {"anyOf": [{"$ref": "#/definitions/Nested"}, {"type": "null"}]},
                "map": {"type": "object", "additionalProperties": {"type": "integer"}}
            },
            "definitions": {
                "Role": {"type": "object", "properties": {"sso": {"type": "boolean"}, "name": {"type": "string"}}},
                "Nested": {"type": "object", "properties": {"on": {"type": "boolean"}}}
            }
        })
    }

    #[test]
    fn text_becomes_what_the_schema_wants_where_it_reads_so() {
        let mut c = json!({
            "flag": "true", "maybe": "false", "days": "30", "ratio": " 0.5 ", "name": "true",
            "either": "true", "list": "[\"a\", \"b\"]",
            "roles": [{"sso": "true", "name": "false"}],
            "nested": {"on": "false"}, "map": {"a": "7"}
        });
        like_mdaa(&mut c, &schema());
        assert_eq!(
            c,
            json!({
                "flag": true, "maybe": false, "days": 30, "ratio": 0.5, "name": "true",
                "either": "true", "list": ["a", "b"],
                "roles": [{"sso": true, "name": "false"}],
                "nested": {"on": false}, "map": {"a": 7}
            })
        );
    }

    #[test]
    fn text_that_does_not_read_so_is_left_for_the_module_to_refuse() {
        let mut c = json!({"flag": "yes", "maybe": "True", "days": "30.5", "ratio": "", "list": "a,b", "map": {"a": "0x10"}});
        let before = c.clone();
        like_mdaa(&mut c, &schema());
        assert_eq!(c, before);
    }

    #[test]
    fn numbers_read_as_javascript_reads_them() {
        assert_eq!(js_number("1e3"), Some(1000.0));
        assert_eq!(js_number("-2"), Some(-2.0));
        assert_eq!(js_number(".5"), Some(0.5));
        assert_eq!(js_number("Infinity"), None);
        assert_eq!(js_number("12abc"), None);
    }

    #[test]
    fn a_schema_that_refers_to_itself_ends() {
        let s = json!({"$ref": "#/definitions/A", "definitions": {"A": {"$ref": "#/definitions/A"}}});
        let mut c = json!({"a": "true"});
        like_mdaa(&mut c, &s);
        assert_eq!(c, json!({"a": "true"}));
    }
}
