//! Canonical forms: two values mean the same to CloudFormation exactly when
//! their canonical forms are equal.
//!
//! The rules (each one a way two texts can differ without a change):
//! - mapping keys have no order;
//! - lists the schema marks unordered (`insertionOrder: false`) have no order;
//! - a number or boolean equals its string (`30` and `"30"`), as
//!   CloudFormation converts scalars to the property's type;
//! - `{"Fn::GetAtt": "A.B"}` equals `{"Fn::GetAtt": ["A", "B"]}`, and
//!   `{"Fn::Sub": "s"}` equals `{"Fn::Sub": ["s", {}]}`;
//! - a `Fn::Sub` without variables equals its text (`${!Literal}` read as
//!   `${Literal}`), as CloudFormation resolves it;
//! - `{"Fn::GetAZs": ""}` equals `{"Fn::GetAZs": {"Ref": "AWS::Region"}}`:
//!   the empty string names the stack's region, and so does a JSON null (`!GetAZs`
//!   without a value, converted to JSON);
//! - in IAM policy documents: statement order, a bare value against a list of
//!   one (`Action`, `Resource`, `Principal`, condition values), the order and
//!   repetition of those values, and `"Principal": "*"` against
//!   `{"AWS": "*"}` (see [`crate::policy`]).
//!
//! When renames are known, references to an old logical ID are read as
//! references to its new one, so a resource that only follows a renamed
//! neighbour compares equal.

use cfn_template::schema::facts::{PolicyKind, TypeFacts};
use cfn_template::{parse_sub, SubPart};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Keys that hold policy documents in types the schemas do not describe.
const FALLBACK_POLICY_KEYS: [&str; 3] = ["PolicyDocument", "AssumeRolePolicyDocument", "KeyPolicy"];

/// Canonicalizes values of one resource type.
#[derive(Clone, Copy)]
pub(crate) struct Canon<'a> {
    pub facts: Option<&'static TypeFacts>,
    /// Old logical ID to new, for resources found renamed.
    pub renames: Option<&'a HashMap<String, String>>,
}

impl<'a> Canon<'a> {
    pub fn new(facts: Option<&'static TypeFacts>, renames: Option<&'a HashMap<String, String>>) -> Self {
        Canon { facts, renames }
    }

    /// Canonicalizes values outside any resource (outputs, conditions).
    pub fn plain(renames: Option<&'a HashMap<String, String>>) -> Self {
        Canon { facts: None, renames }
    }

    /// The kind of policy document at a property pointer, if one is there.
    pub fn policy_at(&self, pointer: &str) -> Option<PolicyKind> {
        match self.facts {
            Some(f) => f.policy_at(pointer),
            None => {
                let key = pointer.rsplit('/').next()?;
                match key {
                    "AssumeRolePolicyDocument" => Some(PolicyKind::Trust),
                    k if FALLBACK_POLICY_KEYS.contains(&k) && pointer.matches('/').count() == 2 => {
                        Some(PolicyKind::Resource)
                    }
                    _ => None,
                }
            }
        }
    }

    /// Whether the list at a property pointer has no order.
    pub fn is_unordered(&self, pointer: &str) -> bool {
        self.facts.is_some_and(|f| f.is_unordered(pointer))
    }

    /// The canonical form of a value at a property pointer.
    pub fn value(&self, v: &Value, pointer: &str) -> Value {
        if self.policy_at(pointer).is_some() {
            return crate::policy::canon_document(v, self);
        }
        match v {
            Value::Object(m) => {
                if let Some(c) = self.intrinsic(m) {
                    return c;
                }
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                let mut out = Map::new();
                for k in keys {
                    out.insert(k.clone(), self.value(&m[k], &format!("{pointer}/{k}")));
                }
                Value::Object(out)
            }
            Value::Array(a) => {
                let items: Vec<Value> =
                    a.iter().enumerate().map(|(i, x)| self.value(x, &format!("{pointer}/{i}"))).collect();
                if self.is_unordered(pointer) {
                    sorted(items)
                } else {
                    Value::Array(items)
                }
            }
            other => scalar(other),
        }
    }

    /// The canonical form of a value where no schema applies.
    pub fn free(&self, v: &Value) -> Value {
        Canon { facts: None, renames: self.renames }.value(v, "")
    }

    /// Canonical forms of intrinsic functions, whose arguments follow no schema.
    fn intrinsic(&self, m: &Map<String, Value>) -> Option<Value> {
        if m.len() != 1 {
            return None;
        }
        let (k, arg) = m.iter().next()?;
        let out = match (k.as_str(), arg) {
            ("Ref", Value::String(id)) => Value::String(self.renamed(id)),
            ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
                Some((id, attr)) => Value::Array(vec![self.renamed(id).into(), attr.into()]),
                None => Value::String(s.clone()),
            },
            ("Fn::GetAtt", Value::Array(a)) if a.len() == 2 => {
                let id = a[0]
                    .as_str()
                    .map(|id| Value::String(self.renamed(id)))
                    .unwrap_or_else(|| self.free(&a[0]));
                Value::Array(vec![id, self.free(&a[1])])
            }
            ("Fn::Sub", Value::String(s)) => match literal_sub(s) {
                Some(text) => return Some(Value::String(text)),
                None => Value::Array(vec![self.sub(s, None).into(), Value::Object(Map::new())]),
            },
            ("Fn::Sub", Value::Array(a)) if a.len() == 2 && a[0].as_str().and_then(literal_sub).is_some() => {
                return a[0].as_str().and_then(literal_sub).map(Value::String);
            }
            ("Fn::GetAZs", Value::Object(r))
                if r.len() == 1 && r.get("Ref").and_then(Value::as_str) == Some("AWS::Region") =>
            {
                Value::String(String::new())
            }
            // JSON converted from YAML writes `!GetAZs` without a value as null: the YAML
            // reader takes that form for the empty string, and so does this.
            ("Fn::GetAZs", Value::Null) => Value::String(String::new()),
            ("Fn::Sub", Value::Array(a)) if a.len() == 2 && a[0].is_string() => {
                let vars = a[1].as_object();
                let s = self.sub(a[0].as_str().unwrap_or_default(), vars);
                Value::Array(vec![s.into(), self.free(&a[1])])
            }
            (k, arg) if k == "Ref" || k == "Condition" || k.starts_with("Fn::") => self.free(arg),
            _ => return None,
        };
        let mut c = Map::new();
        c.insert(k.clone(), out);
        Some(Value::Object(c))
    }

    fn renamed(&self, id: &str) -> String {
        self.renames.and_then(|r| r.get(id)).cloned().unwrap_or_else(|| id.to_string())
    }

    /// A `Fn::Sub` string with renamed resources' variables renamed, except
    /// variables the function defines itself.
    fn sub(&self, s: &str, local: Option<&Map<String, Value>>) -> String {
        let Some(renames) = self.renames.filter(|r| !r.is_empty()) else {
            return s.to_string();
        };
        let Ok(parts) = parse_sub(s) else {
            return s.to_string();
        };
        let mut out = String::with_capacity(s.len());
        for part in parts {
            match part {
                // A literal `${` was written `${!` and must stay so.
                SubPart::Literal(l) => out.push_str(&l.replace("${", "${!")),
                SubPart::Var(v) => {
                    let (id, attr) = match v.split_once('.') {
                        Some((id, attr)) => (id, Some(attr)),
                        None => (v.as_str(), None),
                    };
                    let id = match renames.get(id) {
                        Some(new) if !local.is_some_and(|l| l.contains_key(id)) => new.as_str(),
                        _ => id,
                    };
                    out.push_str("${");
                    out.push_str(id);
                    if let Some(attr) = attr {
                        out.push('.');
                        out.push_str(attr);
                    }
                    out.push('}');
                }
            }
        }
        out
    }
}

/// The text of a `Fn::Sub` string that has no variables.
pub(crate) fn literal_sub(s: &str) -> Option<String> {
    let parts = parse_sub(s).ok()?;
    let mut out = String::with_capacity(s.len());
    for part in parts {
        match part {
            SubPart::Literal(l) => out.push_str(&l),
            SubPart::Var(_) => return None,
        }
    }
    Some(out)
}

/// Scalars compare as the strings CloudFormation turns them into.
fn scalar(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other.clone(),
    }
}

/// A value's text with every mapping's keys sorted: equal for values that
/// are equal, whatever the order of their keys, so it can key a hash map.
pub(crate) fn key_text(v: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    write(&m[k], out);
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, out);
                }
                out.push(']');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// A list as a sorted, duplicate-free set.
pub(crate) fn sorted_set(items: Vec<Value>) -> Value {
    let mut keyed: Vec<(String, Value)> = items.into_iter().map(|v| (v.to_string(), v)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    Value::Array(keyed.into_iter().map(|(_, v)| v).collect())
}

/// A list in a fixed order (duplicates kept: an unordered list is a multiset).
fn sorted(items: Vec<Value>) -> Value {
    let mut keyed: Vec<(String, Value)> = items.into_iter().map(|v| (v.to_string(), v)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Array(keyed.into_iter().map(|(_, v)| v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_template::schema::facts::facts;
    use serde_json::json;

    fn same(type_name: &str, ptr: &str, a: Value, b: Value) -> bool {
        let c = Canon::new(facts(type_name), None);
        c.value(&a, ptr) == c.value(&b, ptr)
    }

    #[test]
    fn order_means_nothing_where_the_schema_says_so() {
        let tags_a = json!([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]);
        let tags_b = json!([{"Value": "2", "Key": "b"}, {"Key": "a", "Value": 1}]);
        assert!(same("AWS::S3::Bucket", "/properties/Tags", tags_a.clone(), tags_b.clone()));
        // Lifecycle rules are ordered in the schema.
        assert!(!same(
            "AWS::S3::Bucket",
            "/properties/LifecycleConfiguration/Rules",
            json!([{"Id": "a"}, {"Id": "b"}]),
            json!([{"Id": "b"}, {"Id": "a"}])
        ));
    }

    #[test]
    fn intrinsic_spellings_and_renames() {
        assert!(same(
            "AWS::S3::Bucket",
            "/properties/X",
            json!({"Fn::GetAtt": "A.Arn"}),
            json!({"Fn::GetAtt": ["A", "Arn"]})
        ));
        let renames: HashMap<String, String> = [("Old".to_string(), "New".to_string())].into();
        let c = Canon::plain(Some(&renames));
        assert_eq!(c.free(&json!({"Ref": "Old"})), c.free(&json!({"Ref": "New"})));
        assert_eq!(
            c.free(&json!({"Fn::Sub": "${Old.Arn}/${!Old}"})),
            c.free(&json!({"Fn::Sub": "${New.Arn}/${!Old}"}))
        );
        // A Sub without variables is its text; GetAZs of "" is of the stack's region.
        assert_eq!(c.free(&json!({"Fn::Sub": "a-${!Literal}"})), json!("a-${Literal}"));
        assert_eq!(c.free(&json!({"Fn::Sub": ["a", {"X": "y"}]})), json!("a"));
        assert_ne!(c.free(&json!({"Fn::Sub": "${AWS::Region}"})), json!("${AWS::Region}"));
        assert_eq!(
            c.free(&json!({"Fn::GetAZs": ""})),
            c.free(&json!({"Fn::GetAZs": {"Ref": "AWS::Region"}}))
        );
        assert_ne!(c.free(&json!({"Fn::GetAZs": "eu-west-1"})), c.free(&json!({"Fn::GetAZs": ""})));
        assert_eq!(c.free(&json!({"Fn::GetAZs": null})), c.free(&json!({"Fn::GetAZs": ""})));
        // Key order does not change the text that keys hash maps.
        assert_eq!(
            key_text(&json!({"b": [1, {"d": 2, "c": "x"}], "a": null})),
            key_text(&json!({"a": null, "b": [1, {"c": "x", "d": 2}]}))
        );
        assert_eq!(key_text(&json!({"a\"": "é"})), r#"{"a\"":"é"}"#);
        // A variable the Sub defines itself is not the resource.
        assert_ne!(
            c.free(&json!({"Fn::Sub": ["${Old}", {"Old": "x"}]})),
            c.free(&json!({"Fn::Sub": ["${New}", {"Old": "x"}]}))
        );
    }
}
