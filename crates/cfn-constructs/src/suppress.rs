//! Justified scanner exceptions, recorded on the resource they concern.
//!
//! Each scanner reads its own `Metadata` key. Where a scanner's format has
//! no place for a reason, the reason is kept beside the suppression, so an
//! auditor reading the template sees why every rule is not met.

use cfn_template::{Handle, Template};
use serde_json::{json, Map, Value};

/// A scanner whose rules can be suppressed per resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scanner {
    /// checkov (`Metadata.checkov.skip`).
    Checkov,
    /// cdk-nag, for templates imported into a CDK app (`Metadata.cdk_nag.rules_to_suppress`).
    CdkNag,
    /// cfn-lint (`Metadata.cfn-lint.config.ignore_checks`).
    CfnLint,
    /// AWS CloudFormation Guard (`Metadata.guard.SuppressedRules`).
    Guard,
}

fn object<'a>(m: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let v = m.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    v.as_object_mut().expect("just made an object")
}

fn array<'a>(m: &'a mut Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    let v = m.entry(key.to_string()).or_insert_with(|| Value::Array(Vec::new()));
    if !v.is_array() {
        *v = Value::Array(Vec::new());
    }
    v.as_array_mut().expect("just made an array")
}

/// The promise that every grant to a service principal carries
/// `aws:SourceAccount` and `aws:SourceArn`.
pub const CONFUSED_DEPUTY_CONDITIONS: &str = "ConfusedDeputyConditions";

/// Records on a resource a promise of the module that it knowingly does
/// not keep in the usual way, and why (`Metadata.Exceptions`). Auditors
/// read it there, and rules that allow the exception can require it.
pub fn record_exception<T>(t: &mut Template, resource: &Handle<T>, promise: &str, reason: &str) {
    let metadata = &mut t.attributes_mut(resource).metadata;
    let entry = metadata.entry("Exceptions".to_string()).or_insert_with(|| Value::Array(Vec::new()));
    if !entry.is_array() {
        *entry = Value::Array(Vec::new());
    }
    entry.as_array_mut().expect("just made an array").push(json!({ "Promise": promise, "Reason": reason }));
}

/// Records that `rule` of `scanner` is knowingly not met by a resource, and why.
pub fn suppress<T>(t: &mut Template, resource: &Handle<T>, scanner: Scanner, rule: &str, reason: &str) {
    let metadata = &mut t.attributes_mut(resource).metadata;
    let (key, mut root) = match scanner {
        Scanner::Checkov => ("checkov", Map::new()),
        Scanner::CdkNag => ("cdk_nag", Map::new()),
        Scanner::CfnLint => ("cfn-lint", Map::new()),
        Scanner::Guard => ("guard", Map::new()),
    };
    if let Some(Value::Object(existing)) = metadata.shift_remove(key) {
        root = existing;
    }
    match scanner {
        Scanner::Checkov => array(&mut root, "skip").push(json!({ "id": rule, "comment": reason })),
        Scanner::CdkNag => {
            array(&mut root, "rules_to_suppress").push(json!({ "id": rule, "reason": reason }))
        }
        Scanner::CfnLint => {
            array(object(&mut root, "config"), "ignore_checks").push(rule.into());
            object(&mut root, "reasons").insert(rule.to_string(), reason.into());
        }
        Scanner::Guard => {
            array(&mut root, "SuppressedRules").push(rule.into());
            object(&mut root, "Reasons").insert(rule.to_string(), reason.into());
        }
    }
    metadata.insert(key.to_string(), Value::Object(root));
}
