//! Template text, JSON or YAML, to one JSON value.
//!
//! YAML's short-form tags become the long form CloudFormation documents
//! (`!Ref X` is `{"Ref": "X"}`, `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`),
//! so a template compares equal to its JSON twin.

use crate::error::{Location, ParseError};
use serde_json::{Map, Number, Value};
use yaml_serde::Value as Yaml;

/// The functions that have a `!Name` short form; `Ref` and `Condition` keep
/// their name, the others become `Fn::Name`.
const SHORT_FORMS: [&str; 21] = [
    "And",
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "FindInMap",
    "ForEach",
    "GetAZs",
    "GetAtt",
    "If",
    "ImportValue",
    "Join",
    "Length",
    "Not",
    "Or",
    "Ref",
    "Select",
    "Split",
    "Sub",
    "ToJsonString",
    "Transform",
];

/// Reads template text: JSON when it starts with `{`, YAML otherwise.
pub fn parse_value(source_name: &str, text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| ParseError::Json {
            source_name: source_name.to_string(),
            location: Location { line: e.line(), column: e.column() },
            message: strip_position(&e.to_string()),
        })
    } else {
        let yaml: Yaml = yaml_serde::from_str(text).map_err(|e| ParseError::Yaml {
            source_name: source_name.to_string(),
            location: e.location().map(|l| Location { line: l.line(), column: l.column() }),
            message: strip_position(&e.to_string()),
        })?;
        let mut path = Vec::new();
        to_json(source_name, yaml, &mut path)
    }
}

/// Parser messages end with their position, which the error already holds.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn to_json(source_name: &str, v: Yaml, path: &mut Vec<String>) -> Result<Value, ParseError> {
    Ok(match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => number(&n),
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                path.push(i.to_string());
                out.push(to_json(source_name, item, path)?);
                path.pop();
            }
            Value::Array(out)
        }
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match k {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => "null".to_string(),
                    other => {
                        return Err(ParseError::Shape(Box::new(crate::error::ShapeError {
                            source_name: source_name.to_string(),
                            location: None,
                            path: display_path(path),
                            expected: "a plain key".to_string(),
                            found: format!("a {} used as a key", yaml_kind(&other)),
                            hint: Some("CloudFormation keys are strings".to_string()),
                        })))
                    }
                };
                path.push(key.clone());
                let value = to_json(source_name, v, path)?;
                path.pop();
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Yaml::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!').to_string();
            if !SHORT_FORMS.contains(&name.as_str()) {
                return Err(ParseError::UnknownTag {
                    source_name: source_name.to_string(),
                    tag: name,
                    path: display_path(path),
                    known: SHORT_FORMS.iter().map(|t| format!("!{t}")).collect::<Vec<_>>().join(", "),
                });
            }
            path.push(format!("!{name}"));
            let arg = to_json(source_name, tagged.value, path)?;
            path.pop();
            let arg = match (name.as_str(), arg) {
                // `!GetAtt Bucket.Arn` names the resource before the first dot.
                ("GetAtt", Value::String(s)) => match s.split_once('.') {
                    Some((id, attr)) => {
                        Value::Array(vec![Value::String(id.into()), Value::String(attr.into())])
                    }
                    None => Value::String(s),
                },
                (_, arg) => arg,
            };
            let key = match name.as_str() {
                "Ref" | "Condition" => name,
                _ => format!("Fn::{name}"),
            };
            let mut m = Map::new();
            m.insert(key, arg);
            Value::Object(m)
        }
    })
}

fn number(n: &yaml_serde::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        Value::Number(u.into())
    } else {
        n.as_f64()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(n.to_string()))
    }
}

fn yaml_kind(v: &Yaml) -> &'static str {
    match v {
        Yaml::Sequence(_) => "list",
        Yaml::Mapping(_) => "mapping",
        Yaml::Tagged(_) => "tagged value",
        _ => "scalar",
    }
}

pub(crate) fn display_path(path: &[String]) -> String {
    if path.is_empty() {
        "the document".to_string()
    } else {
        path.join(".")
    }
}

/// Finds where a key is written, for errors found after parsing: the first
/// line that starts (after indentation) with the key, quoted or not.
pub(crate) fn locate_key(text: &str, key: &str) -> Option<Location> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let col = line.len() - trimmed.len();
        let quoted = format!("\"{key}\"");
        if trimmed.starts_with(&quoted)
            || (trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with(':'))
        {
            return Some(Location { line: i + 1, column: col + 1 });
        }
        if let Some(pos) = line.find(&quoted) {
            if line[pos + quoted.len()..].trim_start().starts_with(':') {
                return Some(Location { line: i + 1, column: pos + 1 });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_forms_become_long_forms() {
        let v = parse_value(
            "t.yaml",
            "A: !Ref X\nB: !GetAtt Bucket.Arn\nC: !Sub '${X}-y'\nD: !If [C, !Ref X, !Ref AWS::NoValue]\nE: !Condition IsProd\nF: !GetAtt Db.Endpoint.Address\n",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({
                "A": {"Ref": "X"},
                "B": {"Fn::GetAtt": ["Bucket", "Arn"]},
                "C": {"Fn::Sub": "${X}-y"},
                "D": {"Fn::If": ["C", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]},
                "E": {"Condition": "IsProd"},
                "F": {"Fn::GetAtt": ["Db", "Endpoint.Address"]}
            })
        );
    }

    #[test]
    fn unknown_tags_and_bad_text_are_errors_with_places() {
        let e = parse_value("t.yaml", "A:\n  B: !Reff X\n").unwrap_err();
        assert!(e.to_string().contains("unknown tag `!Reff` at A.B"), "{e}");
        let e = parse_value("t.json", "{\n  \"A\": ,\n}").unwrap_err();
        assert!(e.to_string().starts_with("t.json:2:8: not valid JSON"), "{e}");
        let e = parse_value("t.yaml", "A: [1,\n").unwrap_err();
        assert!(matches!(e, ParseError::Yaml { location: Some(_), .. }), "{e}");
    }

    #[test]
    fn keys_are_located() {
        assert_eq!(locate_key("a:\n  Bucket:\n", "Bucket"), Some(Location { line: 2, column: 3 }));
        assert_eq!(
            locate_key("{\n \"R\": {\"Bucket\": 1}}", "Bucket"),
            Some(Location { line: 2, column: 8 })
        );
    }
}
