//! References between resources: `Ref`, `Fn::GetAtt`, `Fn::Sub` variables
//! and `DependsOn`, each with where it is written.

use crate::path::{visit, Seg};
use cfn_template::{parse_sub, SubPart};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// How one resource refers to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// `Ref`.
    Ref,
    /// `Fn::GetAtt` of an attribute.
    GetAtt,
    /// A `${Name}` or `${Name.Attr}` variable of `Fn::Sub`.
    Sub,
    /// `DependsOn`.
    DependsOn,
}

/// A reference found in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    /// The logical ID (or parameter) referred to.
    pub target: String,
    /// How.
    pub kind: RefKind,
    /// The attribute read, for `GetAtt` and `${X.Attr}`.
    pub attribute: Option<String>,
    /// Where, as a property path.
    pub path: Vec<Seg>,
}

/// Every reference in a value, pseudo parameters (`AWS::Region`) left out.
pub(crate) fn references(v: &Value) -> Vec<Reference> {
    let mut out = Vec::new();
    visit(v, &mut Vec::new(), &mut |v, path| !intrinsic_refs(v, path, &mut out));
    out
}

fn push(out: &mut Vec<Reference>, path: &[Seg], kind: RefKind, target: &str, attribute: Option<&str>) {
    if !target.starts_with("AWS::") && !target.is_empty() {
        out.push(Reference {
            target: target.to_string(),
            kind,
            attribute: attribute.map(str::to_string),
            path: path.to_vec(),
        });
    }
}

/// The references of `v` when it is `Ref`, `Fn::GetAtt` or `Fn::Sub`
/// (whose variables' values are read too): whether it is one.
fn intrinsic_refs(v: &Value, path: &[Seg], out: &mut Vec<Reference>) -> bool {
    let Some((k, arg)) = v.as_object().filter(|m| m.len() == 1).and_then(|m| m.iter().next()) else {
        return false;
    };
    match (k.as_str(), arg) {
        ("Ref", Value::String(id)) => push(out, path, RefKind::Ref, id, None),
        ("Fn::GetAtt", Value::String(s)) => {
            let (id, attr) = s.split_once('.').unwrap_or((s, ""));
            push(out, path, RefKind::GetAtt, id, Some(attr));
        }
        ("Fn::GetAtt", Value::Array(a)) => {
            if let Some(id) = a.first().and_then(Value::as_str) {
                push(out, path, RefKind::GetAtt, id, a.get(1).and_then(Value::as_str));
            }
        }
        ("Fn::Sub", Value::String(s)) => sub_refs(s, None, path, out),
        ("Fn::Sub", Value::Array(a)) => {
            let local = a.get(1).and_then(Value::as_object);
            if let Some(s) = a.first().and_then(Value::as_str) {
                sub_refs(s, local, path, out);
            }
            // The variables' values, at the path of the `Fn::Sub` and their names.
            if let Some(vars) = a.get(1) {
                for mut r in references(vars) {
                    r.path.splice(0..0, path.iter().cloned());
                    out.push(r);
                }
            }
        }
        _ => return false,
    }
    true
}

fn sub_refs(s: &str, local: Option<&serde_json::Map<String, Value>>, path: &[Seg], out: &mut Vec<Reference>) {
    let Ok(parts) = parse_sub(s) else { return };
    for part in parts {
        if let SubPart::Var(var) = part {
            let (id, attr) = match var.split_once('.') {
                Some((id, attr)) => (id, Some(attr)),
                None => (var.as_str(), None),
            };
            if !local.is_some_and(|l| l.contains_key(id)) {
                push(out, path, RefKind::Sub, id, attr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_every_kind_with_its_path() {
        let v = json!({
            "A": {"Ref": "Bucket"},
            "B": [{"Fn::GetAtt": "Key.Arn"}],
            "C": {"Fn::Sub": ["${Role.Arn}/${Local}/${AWS::Region}", {"Local": {"Ref": "Param"}}]}
        });
        let r = references(&v);
        let summary: Vec<(String, RefKind, Option<String>)> =
            r.iter().map(|r| (r.target.clone(), r.kind.clone(), r.attribute.clone())).collect();
        assert_eq!(
            summary,
            vec![
                ("Bucket".into(), RefKind::Ref, None),
                ("Key".into(), RefKind::GetAtt, Some("Arn".into())),
                ("Role".into(), RefKind::Sub, Some("Arn".into())),
                ("Param".into(), RefKind::Ref, None),
            ]
        );
        assert_eq!(r[1].path, vec![Seg::Key("B".into()), Seg::Index(0)]);
    }
}
