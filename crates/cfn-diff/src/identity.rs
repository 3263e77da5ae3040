//! When a replaced resource's `Ref` and attributes certainly get new
//! values, and when an expression that reads them certainly changes.
//!
//! A replacement creates a new resource, but its physical ID is new only
//! when the service or CloudFormation names it: an identifier the service
//! assigns (a security group's `GroupId`), a name CloudFormation generates
//! because the template sets none, or a name the template changes. A
//! replacement that keeps a custom name keeps its `Ref` (and fails, as two
//! resources would need the name at once), so what reads it only "may"
//! change. Of the attributes, those that identify the resource (`Arn`, the
//! identifier properties) change with the ID; others (a port, a CIDR
//! block) may come out equal.

use crate::model::{ChangeKind, ResourceChange};
use crate::names::name_properties;
use crate::template::Resource;
use cfn_template::parse_sub;
use cfn_template::schema::facts::TypeFacts;
use cfn_template::SubPart;
use serde_json::Value;

/// Whether the replaced or renamed resource `change` (now `new`) certainly
/// gets a new physical ID.
pub(crate) fn new_identity(change: &ResourceChange, new: &Resource, facts: Option<&TypeFacts>) -> bool {
    let Some(f) = facts else { return false };
    if !matches!(change.kind, ChangeKind::Modified | ChangeKind::Renamed) || f.primary_identifier.is_empty() {
        return false;
    }
    let names = name_properties(f);
    f.primary_identifier.iter().any(|p| {
        let Some(prop) = p.strip_prefix("/properties/") else { return false };
        if f.read_only.contains(p) {
            // Assigned by the service (an ID, an ARN): a new resource has a new one.
            return !names.iter().any(|n| new.properties.contains_key(*n))
                || change.physical_names.iter().any(|n| names.contains(&n.property.as_str()));
        }
        if names.contains(&prop) {
            return !new.properties.contains_key(prop)
                || change.physical_names.iter().any(|n| n.property == prop);
        }
        change.kind == ChangeKind::Modified
            && change.properties.iter().any(|c| {
                c.caused_by.is_none()
                    && (c.pointer == *p || c.pointer.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
            })
    })
}

/// Whether reading `attribute` (`None` for `Ref`) of a resource whose
/// physical ID is new certainly reads a new value.
pub(crate) fn reads_identity(facts: Option<&TypeFacts>, attribute: Option<&str>) -> bool {
    let Some(attribute) = attribute else { return true };
    let Some(f) = facts else { return false };
    let kind = f.type_name.rsplit("::").next().unwrap_or_default();
    // `Arn`, `Id`, or named after the type (`RoleId`, a security group's `GroupId`).
    let own = |suffix: &str| attribute.strip_suffix(suffix).is_some_and(|stem| kind.ends_with(stem));
    own("Arn")
        || own("Id")
        || f.primary_identifier.iter().any(|p| p.strip_prefix("/properties/") == Some(attribute))
}

/// A value read from elsewhere, which may have changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Read<'v> {
    /// `Ref`, `Fn::GetAtt` or an `Fn::Sub` variable: the logical ID and
    /// the attribute (`None` for `Ref`).
    Ref(&'v str, Option<&'v str>),
    /// `Fn::FindInMap`, with its arguments.
    FindInMap(&'v [Value]),
}

/// Whether `value` certainly evaluates differently when every read for
/// which `changed` holds gets a new value: the read itself, a string built
/// around it (`Fn::Sub`, `Fn::Join`, `Fn::Base64`), a list or mapping
/// holding it, `Fn::Select` of it by a literal index, or both branches of
/// an `Fn::If`. Anything else (a condition, `Fn::Cidr`) may or may not change.
pub(crate) fn certainly_changes(value: &Value, changed: &dyn Fn(Read) -> bool) -> bool {
    let follows = |v: &Value| certainly_changes(v, changed);
    match value {
        Value::Array(items) => items.iter().any(follows),
        Value::Object(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next().map(|(k, a)| (k.as_str(), a)).unwrap_or(("", value));
            match (k, arg) {
                ("Ref", Value::String(id)) => changed(Read::Ref(id, None)),
                ("Fn::GetAtt", Value::String(s)) => {
                    let (id, attr) = s.split_once('.').unwrap_or((s, ""));
                    changed(Read::Ref(id, Some(attr)))
                }
                ("Fn::GetAtt", Value::Array(a)) => match (a.first(), a.get(1)) {
                    (Some(Value::String(id)), Some(Value::String(attr))) => {
                        changed(Read::Ref(id, Some(attr)))
                    }
                    _ => false,
                },
                ("Fn::FindInMap", Value::Array(a)) => changed(Read::FindInMap(a)),
                ("Fn::Sub", Value::String(s)) => sub_changes(s, None, changed),
                ("Fn::Sub", Value::Array(a)) => match (a.first(), a.get(1)) {
                    (Some(Value::String(s)), local) => {
                        sub_changes(s, local.and_then(Value::as_object), changed)
                    }
                    _ => false,
                },
                ("Fn::Join" | "Fn::Split", Value::Array(a)) => a.get(1).is_some_and(follows),
                ("Fn::Select", Value::Array(a)) => {
                    let index = match a.first() {
                        Some(Value::Number(n)) => n.as_u64(),
                        Some(Value::String(s)) => s.parse().ok(),
                        _ => None,
                    };
                    match (index.and_then(|i| usize::try_from(i).ok()), a.get(1)) {
                        (Some(i), Some(Value::Array(items))) => items.get(i).is_some_and(follows),
                        _ => false,
                    }
                }
                ("Fn::If", Value::Array(a)) if a.len() == 3 => follows(&a[1]) && follows(&a[2]),
                ("Fn::Base64" | "Fn::ToJsonString", v) => follows(v),
                (k, _) if k.starts_with("Fn::") || k == "Condition" || k == "Ref" => false,
                _ => follows(arg),
            }
        }
        Value::Object(m) => m.values().any(follows),
        _ => false,
    }
}

fn sub_changes(
    s: &str,
    local: Option<&serde_json::Map<String, Value>>,
    changed: &dyn Fn(Read) -> bool,
) -> bool {
    let Ok(parts) = parse_sub(s) else { return false };
    parts.iter().any(|part| {
        let SubPart::Var(var) = part else { return false };
        if let Some(v) = local.and_then(|l| l.get(var.as_str())) {
            return certainly_changes(v, changed);
        }
        match var.split_once('.') {
            Some((id, attr)) => changed(Read::Ref(id, Some(attr))),
            None => changed(Read::Ref(var, None)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_template::schema::facts::facts;
    use serde_json::json;

    #[test]
    fn strings_built_around_a_new_value_change() {
        let reads = |r: Read| matches!(r, Read::Ref("Sg", None | Some("GroupId")));
        let yes = [
            json!({"Ref": "Sg"}),
            json!({"Fn::Sub": "sg:${Sg}"}),
            json!({"Fn::Sub": ["sg:${X}", {"X": {"Fn::GetAtt": ["Sg", "GroupId"]}}]}),
            json!({"Fn::Join": ["", ["a", {"Ref": "Sg"}]]}),
            json!({"Fn::Select": [1, ["a", {"Ref": "Sg"}]]}),
            json!([{"Ref": "Other"}, {"Ref": "Sg"}]),
            json!({"Fn::If": ["C", {"Ref": "Sg"}, {"Fn::Sub": "${Sg}-b"}]}),
            json!({"Fn::Base64": {"Fn::Sub": "#!/bin/sh\necho ${Sg}"}}),
        ];
        for v in yes {
            assert!(certainly_changes(&v, &reads), "{v}");
        }
        let no = [
            json!({"Fn::GetAtt": "Sg.VpcId"}),
            json!({"Fn::Select": [0, ["a", {"Ref": "Sg"}]]}),
            json!({"Fn::If": ["C", {"Ref": "Sg"}, "b"]}),
            json!({"Fn::Sub": ["${X}", {"X": "fixed"}]}),
            json!({"Fn::FindInMap": ["M", {"Ref": "Sg"}, "k"]}),
        ];
        for v in no {
            assert!(!certainly_changes(&v, &reads), "{v}");
        }
    }

    #[test]
    fn identifying_attributes() {
        let sg = facts("AWS::EC2::SecurityGroup");
        assert!(reads_identity(sg, None));
        assert!(reads_identity(sg, Some("GroupId")));
        assert!(!reads_identity(sg, Some("VpcId")));
        let role = facts("AWS::IAM::Role");
        assert!(reads_identity(role, Some("Arn")) && reads_identity(role, Some("RoleId")));
    }
}
