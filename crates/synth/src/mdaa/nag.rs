//! MDAA's `nag_suppressions` in a module config: cdk-nag suppressions by
//! construct path, recorded in the `Metadata` of the resources they name.
//!
//! MDAA writes a path as CDK does, `/<stack>/<construct>/.../Resource`
//! (MDAA's app passes it to cdk-nag's `addResourceSuppressionsByPath`, and
//! only logs a path that matches nothing). A path here names a resource of
//! the template in either of two ways:
//!
//! - as CDK's logical ID of that construct path below the stack
//!   ([`cfn_constructs::cdk_logical_id`]), which is the logical ID the
//!   template writes a resource MDAA also has under;
//! - by the template's own logical ID (as added, or as written), as the
//!   path's last part, or the one before `Resource`
//!   (`/stack/InvocationLogsBucket/Resource`).
//!
//! A path in MDAA's form (its first part the instance's stack name) that
//! names no resource of the template is a warning, as in MDAA: it names a
//! construct of MDAA's that this template does not have, and a
//! suppression only tells cdk-nag not to report a rule, so dropping it
//! changes nothing that deploys. Any other path that names no resource,
//! and one whose last part is a near miss of a logical ID of the template
//! (a typo), is an error with the nearest logical ID.

use cfn_template::aspect::{Aspect, ResourceView};
use module_kit::{ConfigError, KeyPath};
use serde_json::{json, Value};

/// One `by_path` entry: its path as written, its `(rule, reason)` pairs,
/// and where it is written.
#[derive(Debug)]
pub(crate) struct Entry {
    path: String,
    rules: Vec<(String, String)>,
    at: KeyPath,
}

/// The `by_path` entries, once each is matched to the resource it names.
#[derive(Debug, Default)]
pub(crate) struct NagSuppressions(Vec<(String, Vec<(String, String)>)>);

impl Aspect for NagSuppressions {
    fn name(&self) -> &str {
        "nag_suppressions"
    }

    fn visit(&self, r: &mut ResourceView<'_>) {
        let id = r.logical_id().to_string();
        for (_, rules) in self.0.iter().filter(|(target, _)| *target == id) {
            let nag = r.attributes.metadata.entry("cdk_nag".into()).or_insert_with(|| json!({}));
            if !nag.is_object() {
                *nag = json!({});
            }
            let list = nag
                .as_object_mut()
                .expect("an object")
                .entry("rules_to_suppress")
                .or_insert_with(|| json!([]));
            if let Some(list) = list.as_array_mut() {
                for (rule, reason) in rules {
                    // As cdk-nag adds suppressions: a rule already recorded keeps its record.
                    if !list.iter().any(|s| s["id"] == rule.as_str()) {
                        list.push(json!({"id": rule, "reason": reason}));
                    }
                }
            }
        }
    }
}

/// Reads MDAA's `nag_suppressions`, located for errors.
pub(crate) fn read(
    v: &Value,
    here: &dyn Fn(&KeyPath) -> ConfigError,
) -> Result<Vec<Entry>, Box<ConfigError>> {
    let path = KeyPath::root().key("nag_suppressions");
    let by_path = v.get("by_path").and_then(Value::as_array).ok_or_else(|| {
        Box::new(here(&path).expected("`by_path:` a list of `{path, suppressions: [{id, reason}]}`"))
    })?;
    let mut out = Vec::new();
    for (i, entry) in by_path.iter().enumerate() {
        let at = path.clone().key("by_path").index(i);
        let target = entry
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| Box::new(here(&at).expected("a `path`")))?;
        let mut rules = Vec::new();
        for (j, s) in entry.get("suppressions").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let (Some(id), Some(reason)) =
                (s.get("id").and_then(Value::as_str), s.get("reason").and_then(Value::as_str))
            else {
                return Err(Box::new(
                    here(&at.clone().key("suppressions").index(j)).expected("`id` and `reason`"),
                ));
            };
            rules.push((id.to_string(), reason.to_string()));
        }
        out.push(Entry { path: target.to_string(), rules, at: at.key("path") });
    }
    Ok(out)
}

/// What became of the entries: the suppressions to record, the errors and
/// the warnings (each with the key path it is about).
pub(crate) struct Matched {
    pub(crate) suppressions: NagSuppressions,
    pub(crate) errors: Vec<(KeyPath, String, String, Option<String>)>,
    pub(crate) warnings: Vec<(KeyPath, String)>,
}

/// Matches each entry to the resource it names (see the module
/// documentation): `ids` holds each resource's logical ID as added and as
/// written; `stack` is the instance's stack name.
pub(crate) fn match_paths(entries: Vec<Entry>, stack: &str, ids: &[(String, String)]) -> Matched {
    let mut matched =
        Matched { suppressions: NagSuppressions::default(), errors: Vec::new(), warnings: Vec::new() };
    let written: Vec<&str> = ids.iter().map(|(_, w)| w.as_str()).collect();
    let either: Vec<&str> = ids.iter().flat_map(|(a, w)| [a.as_str(), w.as_str()]).collect();
    for Entry { path, rules, at } in entries {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let mdaa_form = parts.first() == Some(&stack);
        let by_cdk = if mdaa_form && parts[1..].iter().any(|p| *p != "Default") {
            let id = cfn_constructs::cdk_logical_id(&parts[1..].join("/"));
            ids.iter().find(|(_, w)| *w == id)
        } else {
            None
        };
        let own = own_logical_id(&parts);
        let near = module_kit::suggest::did_you_mean(&own, &either);
        match by_cdk.or_else(|| ids.iter().find(|(a, w)| *a == own || *w == own)) {
            Some((added, _)) => matched.suppressions.0.push((added.clone(), rules)),
            // A near miss of the template's own IDs is a typo, whatever the form.
            None if mdaa_form && near.is_none() => matched.warnings.push((
                at,
                format!(
                    "names no resource of this template (`{path}` is a construct of MDAA's that it does not have): the suppression is not recorded, as MDAA skips a path that matches nothing"
                ),
            )),
            None => matched.errors.push((
                at,
                format!("names `{own}`, which the template has no resource of"),
                format!(
                    "a path ending in one of {}, or `/{stack}/` and an MDAA construct path",
                    written.join(", ")
                ),
                near.map(|n| format!("did you mean `{n}`?")),
            )),
        }
    }
    matched
}

/// The logical ID a path names in the template's own terms: its last part,
/// or the one before `Resource`, letters and digits only.
fn own_logical_id(parts: &[&str]) -> String {
    let last = match parts {
        [.., id, "Resource"] => id,
        [.., id] => id,
        [] => "",
    };
    last.chars().filter(char::is_ascii_alphanumeric).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, w)| (a.to_string(), w.to_string())).collect()
    }

    #[test]
    fn paths_are_matched_warned_or_refused() {
        let t = ids(&[
            ("InvocationLogsBucket", "InvocationLogsBucket"),
            ("AuditKey", "constructbedrockkmskeyC65EDE8E"),
            ("AuditKeyAlias", "constructbedrockkmskeyAliasD24D7F90"),
        ]);
        let entry = |path: &str| Entry {
            path: path.into(),
            rules: vec![("R".into(), "why".into())],
            at: KeyPath::root(),
        };
        let m = match_paths(
            vec![
                entry("/org-env-dom-mod/InvocationLogsBucket/Resource"),
                entry("/org-env-dom-mod/construct/bedrock-kms-key/Resource"),
                entry("/org-env-dom-mod/construct/bedrock-kms-key/Alias/Resource"),
                entry("/org-env-dom-mod/AuditKey"),
                entry("org-env-dom-mod/custom/provider/framework-onEvent/Resource"),
                entry("/elsewhere/InvocationLogsBuckt"),
            ],
            "org-env-dom-mod",
            &t,
        );
        let targets: Vec<&str> = m.suppressions.0.iter().map(|(id, _)| id.as_str()).collect();
        // By CDK's logical ID of MDAA's construct path, exactly, or by the ID as added.
        assert_eq!(targets, ["InvocationLogsBucket", "AuditKey", "AuditKeyAlias", "AuditKey"]);
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.errors.len(), 1);
        assert_eq!(m.errors[0].3.as_deref(), Some("did you mean `InvocationLogsBucket`?"));
    }
}
