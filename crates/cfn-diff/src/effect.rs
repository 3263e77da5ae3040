//! What a property change does to its resource, from the schema facts.

use crate::model::Impact;
use cfn_template::schema::facts::{FactSource, TypeFacts, UpdateEffect};
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
        if let Some(effect) = crate::sam::sam_effect(type_name, pointer, old, new) {
            return effect;
        }
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
    let (effect, source) = facts.replacement(pointer);
    match effect {
        UpdateEffect::Replace | UpdateEffect::MayReplace => {
            let impact = if effect == UpdateEffect::Replace { Impact::Replace } else { Impact::MayReplace };
            (impact, fact_reason(effect, source, None))
        }
        UpdateEffect::InPlace => {
            // A whole object added or removed can hold a create-only member.
            for (p, effect, source) in facts.replacing_paths() {
                if let Some(rest) = below(pointer, p) {
                    if resolve(old, &rest) != resolve(new, &rest) {
                        let impact = if effect == UpdateEffect::Replace {
                            Impact::Replace
                        } else {
                            Impact::MayReplace
                        };
                        return (impact, fact_reason(effect, Some(source), Some(p)));
                    }
                }
            }
            (Impact::Update, "updates in place".into())
        }
    }
}

/// Why a property replaces its resource, naming where the fact comes from
/// when it is not the registry schema; `member` is the create-only path
/// below the changed one, when the change holds it.
fn fact_reason(effect: UpdateEffect, source: Option<FactSource>, member: Option<&str>) -> String {
    let what = match (effect, member) {
        (UpdateEffect::Replace, None) => "create-only property".to_string(),
        (_, None) => "conditionally create-only property".to_string(),
        (UpdateEffect::Replace, Some(p)) => {
            format!("changes create-only {}", p.trim_start_matches("/properties/"))
        }
        (_, Some(p)) => format!("changes conditionally create-only {}", p.trim_start_matches("/properties/")),
    };
    match source {
        Some(FactSource::Specification) => {
            let update_type = if effect == UpdateEffect::Replace { "Immutable" } else { "Conditional" };
            format!(
                "{what} by the CloudFormation resource specification (UpdateType: {update_type}), \
                 not the registry schema"
            )
        }
        _ => what,
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
    fn facts_beyond_the_registry_say_so() {
        let record = facts("AWS::Route53::RecordSet");
        let (impact, reason) =
            property_effect(record, "AWS::Route53::RecordSet", "/properties/Name", None, Some(&json!("b.")));
        assert_eq!(impact, Impact::Replace);
        assert!(reason.contains("resource specification (UpdateType: Immutable)"), "{reason}");
        let emr = facts("AWS::EMR::Cluster");
        let sg = "/properties/Instances/AdditionalMasterSecurityGroups";
        assert_eq!(property_effect(emr, "AWS::EMR::Cluster", sg, None, None).0, Impact::Replace);
        let key = "/properties/EncryptionAtRestOptions/KmsKeyId";
        assert_eq!(
            property_effect(facts("AWS::Elasticsearch::Domain"), "", key, None, None).0,
            Impact::Replace
        );
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
