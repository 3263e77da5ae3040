//! What a property change does to its resource, from the schema facts.

use crate::model::Impact;
use cfn_template::schema::facts::{TypeFacts, UpdateEffect};
use serde_json::Value;

/// Whether a type is a custom resource, whose handler decides what an update does.
pub(crate) fn is_custom(type_name: &str) -> bool {
    type_name.starts_with("Custom::") || type_name == "AWS::CloudFormation::CustomResource"
}

/// The impact of changing the value at `pointer` from `old` to `new`, and why.
pub(crate) fn property_effect(
    facts: Option<&TypeFacts>,
    type_name: &str,
    pointer: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> (Impact, String) {
    let Some(facts) = facts else {
        return if is_custom(type_name) {
            (
                Impact::Update,
                "custom resource: its handler updates it (a new physical ID from it replaces it)".into(),
            )
        } else {
            (
                Impact::MayReplace,
                "the type is not in the registry schemas: its update behaviour is unknown".into(),
            )
        };
    };
    if let Some(c) = facts.correction(pointer) {
        let impact = match c.effect {
            UpdateEffect::Replace => Impact::Replace,
            UpdateEffect::MayReplace => Impact::MayReplace,
            UpdateEffect::InPlace => Impact::Update,
        };
        return (impact, c.reason.into());
    }
    match facts.update_effect(pointer) {
        UpdateEffect::Replace => (Impact::Replace, "create-only property".into()),
        UpdateEffect::MayReplace => (Impact::MayReplace, "conditionally create-only property".into()),
        UpdateEffect::InPlace => {
            // A whole object added or removed can hold a create-only member.
            for p in facts.create_only {
                if let Some(rest) = below(pointer, p) {
                    if resolve(old, &rest) != resolve(new, &rest) {
                        return (
                            Impact::Replace,
                            format!("changes create-only {}", p.trim_start_matches("/properties/")),
                        );
                    }
                }
            }
            for p in facts.conditional_create_only {
                if let Some(rest) = below(pointer, p) {
                    if resolve(old, &rest) != resolve(new, &rest) {
                        return (
                            Impact::MayReplace,
                            format!(
                                "changes conditionally create-only {}",
                                p.trim_start_matches("/properties/")
                            ),
                        );
                    }
                }
            }
            (Impact::Update, "updates in place".into())
        }
    }
}

/// When schema path `schema` lies strictly below concrete `pointer`, the
/// rest of it (`["B", "*"]`).
fn below<'a>(pointer: &str, schema: &'a str) -> Option<Vec<&'a str>> {
    let mut s = schema.split('/');
    for part in pointer.split('/') {
        match s.next() {
            Some(x) if x == "*" || x == part => {}
            _ => return None,
        }
    }
    let rest: Vec<&str> = s.collect();
    (!rest.is_empty()).then_some(rest)
}

/// The values a schema path reaches inside a value (`*` for every item).
fn resolve<'v>(v: Option<&'v Value>, rest: &[&str]) -> Vec<&'v Value> {
    let Some(v) = v else { return Vec::new() };
    let Some((first, more)) = rest.split_first() else { return vec![v] };
    match (v, *first) {
        (Value::Array(a), "*") => a.iter().flat_map(|x| resolve(Some(x), more)).collect(),
        (Value::Object(m), key) => resolve(m.get(key), more),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cfn_template::schema::facts::facts;
    use serde_json::json;

    #[test]
    fn create_only_members_of_a_changed_object_replace() {
        let f = facts("AWS::S3::Bucket");
        let (impact, _) =
            property_effect(f, "AWS::S3::Bucket", "/properties/BucketName", None, Some(&json!("b")));
        assert_eq!(impact, Impact::Replace);
        let (impact, _) = property_effect(f, "AWS::S3::Bucket", "/properties/Tags/0", None, Some(&json!({})));
        assert_eq!(impact, Impact::Update);
        assert_eq!(below("/properties/A", "/properties/A/*/B"), Some(vec!["*", "B"]));
        let v = json!([{"B": 1}, {"B": 2}]);
        assert_eq!(resolve(Some(&v), &["*", "B"]), vec![&json!(1), &json!(2)]);
    }

    #[test]
    fn types_without_facts() {
        assert_eq!(property_effect(None, "Custom::X", "/properties/A", None, None).0, Impact::Update);
        assert_eq!(
            property_effect(None, "AWS::Nope::Nope", "/properties/A", None, None).0,
            Impact::MayReplace
        );
    }
}
