//! Renaming logical IDs in a written template: every `Ref`, `Fn::GetAtt`,
//! `Fn::Sub` variable and `DependsOn` follows its resource. A template
//! meant to update a stack another tool deployed takes that tool's logical
//! IDs, since CloudFormation matches resources by logical ID alone.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Renames resources (and, in their own namespace, outputs) of the written
/// template `root` by `renames` (old ID → new ID), references included.
/// Parameters, conditions and pseudo parameters are never renamed.
pub(crate) fn apply(root: &mut Value, renames: &IndexMap<String, String>) {
    let Some(root) = root.as_object_mut() else { return };
    for section in ["Resources", "Outputs"] {
        if let Some(Value::Object(entries)) = root.get_mut(section) {
            let old = std::mem::take(entries);
            *entries = old.into_iter().map(|(k, v)| (renames.get(&k).cloned().unwrap_or(k), v)).collect();
        }
    }
    if let Some(Value::Object(resources)) = root.get_mut("Resources") {
        for resource in resources.values_mut().filter_map(Value::as_object_mut) {
            match resource.get_mut("DependsOn") {
                Some(Value::String(id)) => rename_id(id, renames),
                Some(Value::Array(ids)) => {
                    ids.iter_mut().filter_map(|v| v.as_str().map(str::to_string).map(|s| (v, s))).for_each(
                        |(v, mut s)| {
                            rename_id(&mut s, renames);
                            *v = s.into();
                        },
                    );
                }
                _ => {}
            }
            if let Some(p) = resource.get_mut("Properties") {
                references(p, renames);
            }
        }
    }
    if let Some(Value::Object(outputs)) = root.get_mut("Outputs") {
        outputs.values_mut().for_each(|o| references(o, renames));
    }
}

fn rename_id(id: &mut String, renames: &IndexMap<String, String>) {
    if let Some(new) = renames.get(id.as_str()) {
        id.clone_from(new);
    }
}

/// Renames the references within a value.
fn references(v: &mut Value, renames: &IndexMap<String, String>) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| references(i, renames)),
        Value::Object(m) if m.len() == 1 => {
            let (key, arg) = m.iter_mut().next().expect("one entry");
            match (key.as_str(), arg) {
                ("Ref", Value::String(id)) => rename_id(id, renames),
                ("Fn::GetAtt", Value::Array(args)) => {
                    if let Some(Value::String(id)) = args.first_mut() {
                        rename_id(id, renames);
                    }
                    args.iter_mut().skip(1).for_each(|a| references(a, renames));
                }
                ("Fn::GetAtt", Value::String(dotted)) => {
                    if let Some((id, attribute)) = dotted.split_once('.') {
                        if let Some(new) = renames.get(id) {
                            *dotted = format!("{new}.{attribute}");
                        }
                    }
                }
                ("Fn::Sub", Value::String(s)) => *s = rename_in_sub(s, &Map::new(), renames),
                ("Fn::Sub", Value::Array(args)) => {
                    let own = match args.get(1) {
                        Some(Value::Object(vars)) => vars.clone(),
                        _ => Map::new(),
                    };
                    if let Some(Value::String(s)) = args.first_mut() {
                        *s = rename_in_sub(s, &own, renames);
                    }
                    args.iter_mut().skip(1).for_each(|a| references(a, renames));
                }
                (_, arg) => references(arg, renames),
            }
        }
        Value::Object(m) => m.values_mut().for_each(|x| references(x, renames)),
        _ => {}
    }
}

/// An `Fn::Sub` string with its `${Id}` and `${Id.Attribute}` variables
/// renamed, except those its own variables (`own`) define; `${!Literal}`
/// and unclosed `${` stay as written.
fn rename_in_sub(s: &str, own: &Map<String, Value>, renames: &IndexMap<String, String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start + 2]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            rest = after;
            break;
        };
        let name = &after[..end];
        let (id, attribute) = match name.split_once('.') {
            Some((id, a)) => (id, Some(a)),
            None => (name, None),
        };
        match renames.get(id).filter(|_| !name.starts_with('!') && !own.contains_key(id)) {
            Some(new) => {
                out.push_str(new);
                if let Some(a) = attribute {
                    out.push('.');
                    out.push_str(a);
                }
            }
            None => out.push_str(name),
        }
        out.push('}');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_of_reference_follows_its_resource() {
        let mut t = json!({
            "Resources": {
                "Key": {"Type": "AWS::KMS::Key"},
                "Bucket": {
                    "Type": "AWS::S3::Bucket",
                    "DependsOn": ["Key", "Other"],
                    "Properties": {
                        "A": {"Ref": "Key"},
                        "B": {"Fn::GetAtt": ["Key", "Arn"]},
                        "C": {"Fn::GetAtt": "Key.Arn"},
                        "D": {"Fn::Sub": "${Key}/${Key.Arn}/${!Key}/${AWS::Region}"},
                        "E": {"Fn::Sub": ["${Key}-${V}", {"Key": "own", "V": {"Ref": "Key"}}]},
                        "F": {"Fn::Join": ["", [{"Ref": "Key"}, "x"]]},
                        "G": "Key"
                    }
                },
                "Other": {"Type": "AWS::SNS::Topic", "DependsOn": "Key"}
            },
            "Outputs": {"KeyArn": {"Value": {"Fn::GetAtt": ["Key", "Arn"]}}}
        });
        let renames: IndexMap<String, String> =
            [("Key", "keyC65EDE8E"), ("KeyArn", "keyarnout")].map(|(a, b)| (a.into(), b.into())).into();
        apply(&mut t, &renames);
        assert_eq!(
            t,
            json!({
                "Resources": {
                    "keyC65EDE8E": {"Type": "AWS::KMS::Key"},
                    "Bucket": {
                        "Type": "AWS::S3::Bucket",
                        "DependsOn": ["keyC65EDE8E", "Other"],
                        "Properties": {
                            "A": {"Ref": "keyC65EDE8E"},
                            "B": {"Fn::GetAtt": ["keyC65EDE8E", "Arn"]},
                            "C": {"Fn::GetAtt": "keyC65EDE8E.Arn"},
                            "D": {"Fn::Sub": "${keyC65EDE8E}/${keyC65EDE8E.Arn}/${!Key}/${AWS::Region}"},
                            "E": {"Fn::Sub": ["${Key}-${V}", {"Key": "own", "V": {"Ref": "keyC65EDE8E"}}]},
                            "F": {"Fn::Join": ["", [{"Ref": "keyC65EDE8E"}, "x"]]},
                            "G": "Key"
                        }
                    },
                    "Other": {"Type": "AWS::SNS::Topic", "DependsOn": "keyC65EDE8E"}
                },
                "Outputs": {"keyarnout": {"Value": {"Fn::GetAtt": ["keyC65EDE8E", "Arn"]}}}
            })
        );
    }

    #[test]
    fn an_unclosed_sub_variable_is_kept() {
        let renames: IndexMap<String, String> = [("Key".to_string(), "K2".to_string())].into();
        assert_eq!(rename_in_sub("a${Key}b${Key", &Map::new(), &renames), "a${K2}b${Key");
    }
}
