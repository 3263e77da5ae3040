//! Where a resource's `UpdatePolicy` attribute, not the schema facts,
//! decides whether a property change replaces the resource.
//!
//! CloudFormation's `UpdatePolicy` documentation (Template Reference,
//! "UpdatePolicy attribute"):
//!
//! - An Auto Scaling group whose launch configuration, launch template,
//!   mixed instances policy, `VPCZoneIdentifier` or placement group changes
//!   is replaced only under `AutoScalingReplacingUpdate` with
//!   `WillReplace: true` (which takes precedence over a rolling update).
//!   Under `AutoScalingRollingUpdate` its instances are replaced in batches
//!   and the group itself is updated; with neither, the group is updated
//!   and running instances keep their configuration. The registry schema
//!   marks these properties conditionally create-only for that reason.
//! - An Elasticsearch or OpenSearch Service domain whose version changes is
//!   upgraded in place under `EnableVersionUpgrade: true`, and replaced
//!   otherwise.
//!
//! The template being deployed carries the policy; when the old and new
//! templates' policies give different verdicts, the verdict is "may": the
//! policy changes in the very update it is meant to govern.

use crate::model::Impact;
use crate::template::Resource;
use serde_json::Value;

/// The Auto Scaling group properties whose change makes CloudFormation
/// apply the group's replacing or rolling update policy.
const GROUP_TRIGGERS: [&str; 5] = [
    "LaunchConfigurationName",
    "LaunchTemplate",
    "MixedInstancesPolicy",
    "VPCZoneIdentifier",
    "PlacementGroup",
];

/// The impact of a property change (at `pointer`, `/properties/...`) of
/// resource `new` (formerly `old`) when its `UpdatePolicy` decides it, and why.
pub(crate) fn governed(old: &Resource, new: &Resource, pointer: &str) -> Option<(Impact, String)> {
    let top = pointer.strip_prefix("/properties/")?.split('/').next()?;
    let verdict: fn(&Resource) -> Verdict = match (new.type_name.as_str(), top) {
        ("AWS::AutoScaling::AutoScalingGroup", p) if GROUP_TRIGGERS.contains(&p) => group,
        ("AWS::Elasticsearch::Domain", "ElasticsearchVersion")
        | ("AWS::OpenSearchService::Domain", "EngineVersion") => domain,
        _ => return None,
    };
    let (before, after) = (verdict(old), verdict(new));
    if old.type_name == new.type_name && before.0 != after.0 {
        return Some((
            Impact::MayReplace,
            format!(
                "the UpdatePolicy that decides this changes in the same update (before: {}; now: {}): \
                 change the UpdatePolicy in an update of its own first to be sure",
                before.1, after.1
            ),
        ));
    }
    Some(after)
}

/// A verdict and its reason.
type Verdict = (Impact, String);

fn policy<'r>(r: &'r Resource, key: &str) -> Option<&'r Value> {
    r.other_attributes.get("UpdatePolicy")?.as_object()?.get(key)
}

/// A boolean as CloudFormation reads it (`true` or `"true"`); `None` when
/// it is an intrinsic function, known only at deploy time.
fn flag(v: Option<&Value>) -> Option<bool> {
    match v {
        None | Some(Value::Null) => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => None,
    }
}

/// Whether a value is only known at deploy time: an intrinsic function
/// (`Fn::If`) or not a mapping at all.
fn unknown(v: &Value) -> bool {
    v.as_object().is_none_or(|m| m.len() == 1 && m.keys().all(|k| k.starts_with("Fn::") || k == "Ref"))
}

/// Whether the `UpdatePolicy` attribute itself, or its `key` policy, is
/// only known at deploy time.
fn policy_unknown(r: &Resource, key: &str) -> bool {
    r.other_attributes.get("UpdatePolicy").is_some_and(unknown) || policy(r, key).is_some_and(unknown)
}

fn group(r: &Resource) -> Verdict {
    if policy_unknown(r, "AutoScalingReplacingUpdate") {
        return (Impact::MayReplace, "the UpdatePolicy is chosen at deploy time".into());
    }
    let will_replace = policy(r, "AutoScalingReplacingUpdate").map(|p| p.get("WillReplace"));
    match will_replace.map(flag) {
        Some(Some(true)) => (
            Impact::Replace,
            "AutoScalingReplacingUpdate with WillReplace: a new group replaces this one".into(),
        ),
        Some(None) => {
            (Impact::MayReplace, "AutoScalingReplacingUpdate's WillReplace is decided at deploy time".into())
        }
        _ if policy(r, "AutoScalingRollingUpdate").is_some() => (
            Impact::Update,
            "AutoScalingRollingUpdate: the group is updated and its instances replaced in batches".into(),
        ),
        _ => (
            Impact::Update,
            "no replacing UpdatePolicy: the group is updated, running instances are kept".into(),
        ),
    }
}

fn domain(r: &Resource) -> Verdict {
    if r.other_attributes.get("UpdatePolicy").is_some_and(unknown) {
        return (Impact::MayReplace, "the UpdatePolicy is chosen at deploy time".into());
    }
    match flag(policy(r, "EnableVersionUpgrade")) {
        Some(true) => (Impact::Update, "UpdatePolicy EnableVersionUpgrade: upgraded in place".into()),
        Some(false) => (
            Impact::Replace,
            "a version change replaces the domain unless UpdatePolicy EnableVersionUpgrade is true".into(),
        ),
        None => (Impact::MayReplace, "UpdatePolicy EnableVersionUpgrade is decided at deploy time".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    fn group_with(policy: &str) -> Resource {
        let text = format!("Resources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n{policy}");
        Template::parse("t.yaml", &text).unwrap().resources["G"].clone()
    }

    #[test]
    fn only_will_replace_replaces_a_group() {
        let rolling = group_with("    UpdatePolicy:\n      AutoScalingRollingUpdate: {MaxBatchSize: 1}\n");
        let replacing = group_with(
            "    UpdatePolicy:\n      AutoScalingRollingUpdate: {}\n      AutoScalingReplacingUpdate: {WillReplace: 'true'}\n",
        );
        let none = group_with("");
        let lt = "/properties/LaunchTemplate/Version";
        assert_eq!(governed(&rolling, &rolling, lt).unwrap().0, Impact::Update);
        assert_eq!(governed(&none, &none, lt).unwrap().0, Impact::Update);
        assert_eq!(governed(&replacing, &replacing, lt).unwrap().0, Impact::Replace);
        assert_eq!(governed(&rolling, &replacing, lt).unwrap().0, Impact::MayReplace);
        assert!(governed(&none, &none, "/properties/MaxSize").is_none());
        let chosen =
            group_with("    UpdatePolicy: !If [C, {AutoScalingReplacingUpdate: {WillReplace: true}}, {}]\n");
        assert_eq!(governed(&chosen, &chosen, lt).unwrap().0, Impact::MayReplace);
    }
}
