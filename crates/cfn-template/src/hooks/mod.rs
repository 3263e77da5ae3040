//! Service rules the registry schemas do not state, checked on a resource's
//! JSON properties by type name, so typed, raw and overridden resources
//! are checked alike.

mod lifecycle;
mod names;

use serde_json::Value;

/// The types whose `DeletionPolicy` and `UpdateReplacePolicy` may be
/// `Snapshot`, as CloudFormation's DeletionPolicy reference lists them.
pub(crate) const SNAPSHOT_TYPES: [&str; 8] = [
    "AWS::DocDB::DBCluster",
    "AWS::EC2::Volume",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
];

/// Problems with the properties of a resource of `type_name`.
pub(crate) fn check(type_name: &str, properties: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in names::NAME_RULES.iter().filter(|r| r.type_name == type_name) {
        if let Some(v) = properties.get(rule.property) {
            problems.extend(names::check_name(rule, v));
        }
    }
    match type_name {
        "AWS::S3::Bucket" => {
            if let Some(v) = properties.get("BucketName") {
                problems.extend(names::bucket_name_problems(v));
            }
            problems.extend(lifecycle::problems(properties));
        }
        "AWS::KMS::Alias" => {
            if let Some(v) = properties.get("AliasName") {
                problems.extend(names::alias_name_problems(v));
            }
        }
        _ => {}
    }
    problems
}
