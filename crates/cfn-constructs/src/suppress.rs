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

/// `v` as an object, made one if it is anything else.
fn as_object(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    v.as_object_mut().expect("just made an object")
}

/// `v` as an array, made one if it is anything else.
fn as_array(v: &mut Value) -> &mut Vec<Value> {
    if !v.is_array() {
        *v = Value::Array(Vec::new());
    }
    v.as_array_mut().expect("just made an array")
}

fn object<'a>(m: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    as_object(m.entry(key).or_insert(Value::Null))
}

fn array<'a>(m: &'a mut Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    as_array(m.entry(key).or_insert(Value::Null))
}

/// The promise that every grant to a service principal carries
/// `aws:SourceAccount` and `aws:SourceArn`.
pub const CONFUSED_DEPUTY_CONDITIONS: &str = "ConfusedDeputyConditions";

/// Records on a resource a promise of the module that it knowingly does
/// not keep in the usual way, and why (`Metadata.Exceptions`). Auditors
/// read it there, and rules that allow the exception can require it.
pub fn record_exception<T>(t: &mut Template, resource: &Handle<T>, promise: &str, reason: &str) {
    let metadata = &mut t.attributes_mut(resource).metadata;
    let exceptions = as_array(metadata.entry("Exceptions".to_string()).or_insert(Value::Null));
    exceptions.push(json!({ "Promise": promise, "Reason": reason }));
}

/// Records that `rule` of `scanner` is knowingly not met by a resource, and why.
pub fn suppress<T>(t: &mut Template, resource: &Handle<T>, scanner: Scanner, rule: &str, reason: &str) {
    let metadata = &mut t.attributes_mut(resource).metadata;
    let key = match scanner {
        Scanner::Checkov => "checkov",
        Scanner::CdkNag => "cdk_nag",
        Scanner::CfnLint => "cfn-lint",
        Scanner::Guard => "guard",
    };
    let root = as_object(metadata.entry(key.to_string()).or_insert(Value::Null));
    match scanner {
        Scanner::Checkov => array(root, "skip").push(json!({ "id": rule, "comment": reason })),
        Scanner::CdkNag => array(root, "rules_to_suppress").push(json!({ "id": rule, "reason": reason })),
        Scanner::CfnLint => {
            array(object(root, "config"), "ignore_checks").push(rule.into());
            object(root, "reasons").insert(rule.to_string(), reason.into());
        }
        Scanner::Guard => {
            array(root, "SuppressedRules").push(rule.into());
            object(root, "Reasons").insert(rule.to_string(), reason.into());
        }
    }
}

/// A scanner rule a module knowingly does not meet on a resource: the
/// reason, recorded under the ID of every rule that flags it, checkov's and
/// each cdk-nag pack's (AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI
/// DSS 3.2.1), so that one reason is written once.
///
/// ```
/// use cfn_constructs::ScannerException;
/// use cfn_template::resources::s3::Bucket;
/// use cfn_template::Template;
///
/// const NO_ACCESS_LOGS: ScannerException = ScannerException {
///     reason: "Server access logs cannot go to a bucket encrypted with SSE-KMS.",
///     checkov: &["CKV_AWS_18"],
///     cdk_nag: &["AwsSolutions-S1", "NIST.800.53.R5-S3BucketLoggingEnabled"],
/// };
/// let mut t = Template::new();
/// let bucket = t.add("Logs", Bucket::default());
/// NO_ACCESS_LOGS.record(&mut t, &bucket);
/// let v = t.synthesize().unwrap();
/// assert_eq!(v["Resources"]["Logs"]["Metadata"]["cdk_nag"]["rules_to_suppress"][1]["id"], "NIST.800.53.R5-S3BucketLoggingEnabled");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScannerException<'a> {
    /// Why the rule is not met.
    pub reason: &'a str,
    /// The checkov checks that flag it.
    pub checkov: &'a [&'a str],
    /// The cdk-nag rules that flag it, in every pack.
    pub cdk_nag: &'a [&'a str],
}

impl ScannerException<'_> {
    /// Records the reason on `resource` under each of the rule IDs.
    pub fn record<T>(&self, t: &mut Template, resource: &Handle<T>) {
        for rule in self.checkov {
            suppress(t, resource, Scanner::Checkov, rule, self.reason);
        }
        for rule in self.cdk_nag {
            suppress(t, resource, Scanner::CdkNag, rule, self.reason);
        }
    }
}
