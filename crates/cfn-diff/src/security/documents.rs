//! Where a resource holds policy documents, and each document read as
//! IAM reads it.
//!
//! The schema facts say which properties hold documents and of what kind
//! (`/properties/Policies/*/PolicyDocument`, identity); a Lambda
//! permission is read as the statement it adds to the function's policy.
//! A document written as JSON text, as `Fn::Sub` of JSON text, or under
//! `Fn::ToJsonString` is read as the document it spells.

use crate::canon::Canon;
use crate::compare::is_intrinsic;
use crate::path::{display, Seg};
use cfn_template::schema::facts::{facts, PolicyKind};
use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use std::borrow::Cow;

/// The policy documents of a resource by label (the property path), canonical.
pub(crate) fn documents(
    type_name: &str,
    props: &Map<String, Value>,
    canon: &Canon,
) -> IndexMap<String, (PolicyKind, Value)> {
    let mut out = IndexMap::new();
    let whole = Value::Object(props.clone());
    match facts(type_name) {
        Some(f) => {
            for (pattern, kind) in f.policies {
                let segs: Vec<&str> = pattern.trim_start_matches("/properties/").split('/').collect();
                expand(&whole, &segs, &mut Vec::new(), &mut |path, doc| {
                    let ptr = crate::path::pointer(path);
                    out.insert(display(path), (*kind, canon.value(&spelled(doc), &ptr)));
                });
            }
            if type_name == "AWS::Lambda::Permission" {
                out.insert(
                    "Permission".into(),
                    (PolicyKind::Resource, canon.free(&permission_document(props))),
                );
            }
        }
        None => {
            for (k, v) in props {
                let ptr = format!("/properties/{k}");
                if let Some(kind) = canon.policy_at(&ptr) {
                    out.insert(k.clone(), (kind, canon.value(&spelled(v), &ptr)));
                }
            }
        }
    }
    out
}

/// The document a value spells: JSON text (alone, or the template of a
/// `Fn::Sub`, whose `${...}` stay in the strings they are in) or the
/// argument of `Fn::ToJsonString`; any other value as it is.
fn spelled(v: &Value) -> Cow<'_, Value> {
    let text = match v {
        Value::String(s) => Some(s.as_str()),
        Value::Object(m) if m.len() == 1 => match m.iter().next() {
            Some((k, Value::String(s))) if k == "Fn::Sub" => Some(s.as_str()),
            Some((k, Value::Array(a))) if k == "Fn::Sub" => a.first().and_then(Value::as_str),
            Some((k, doc @ Value::Object(_))) if k == "Fn::ToJsonString" => return Cow::Borrowed(doc),
            _ => None,
        },
        _ => None,
    };
    match text.map(|t| serde_json::from_str::<Value>(t.trim())) {
        Some(Ok(doc @ Value::Object(_))) => Cow::Owned(doc),
        _ => Cow::Borrowed(v),
    }
}

/// Calls `f` for each value a schema path (`Policies/*/PolicyDocument`) reaches.
fn expand(v: &Value, segs: &[&str], path: &mut Vec<Seg>, f: &mut dyn FnMut(&[Seg], &Value)) {
    let Some((first, rest)) = segs.split_first() else { return f(path, v) };
    match (v, *first) {
        (Value::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                let label = ["PolicyName", "Sid", "Name", "Id"]
                    .iter()
                    .find_map(|k| item.get(*k).and_then(Value::as_str).map(|s| format!("{k}={s}")));
                path.push(match label {
                    Some(label) => Seg::Item { index: i, label },
                    None => Seg::Index(i),
                });
                expand(item, rest, path, f);
                path.pop();
            }
        }
        (Value::Object(m), key) if !is_intrinsic(m) => {
            if let Some(x) = m.get(key) {
                path.push(Seg::Key(key.to_string()));
                expand(x, rest, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A Lambda permission read as the resource-policy statement it adds.
fn permission_document(p: &Map<String, Value>) -> Value {
    let principal = p.get("Principal").cloned().unwrap_or(Value::Null);
    let kind = match principal.as_str() {
        Some(s) if s.ends_with(".amazonaws.com") => "Service",
        _ => "AWS",
    };
    let mut conditions = Map::new();
    for (prop, op, key) in [
        ("SourceArn", "ArnLike", "aws:SourceArn"),
        ("SourceAccount", "StringEquals", "aws:SourceAccount"),
        ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
        ("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"),
    ] {
        if let Some(v) = p.get(prop) {
            let entry = conditions.entry(op.to_string()).or_insert_with(|| json!({}));
            if let Some(m) = entry.as_object_mut() {
                m.insert(key.to_string(), v.clone());
            }
        }
    }
    let mut s = json!({
        "Effect": "Allow",
        "Principal": {kind: principal},
        "Action": p.get("Action").cloned().unwrap_or(Value::Null),
        "Resource": p.get("FunctionName").cloned().unwrap_or(Value::Null),
    });
    if !conditions.is_empty() {
        s["Condition"] = Value::Object(conditions);
    }
    json!({"Statement": [s]})
}

/// The kind's name as the JSON output spells it.
pub(crate) fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity",
        PolicyKind::Resource => "resource",
        PolicyKind::Trust => "trust",
    }
}
