//! MDAA's CDK output (a template this project did not write) against edited copies.

mod common;

use cfn_diff::{ChangeKind, Direction, Impact, SecurityCategory, Template};
use common::{fixture, load, mdaa};

const BUCKET: &str = "constructbedrockinvocationlogss32FC6A3AD";

#[test]
fn reordering_keys_statements_tags_and_lists_of_one_is_no_change() {
    let d = mdaa("reordered");
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn the_same_template_in_yaml_short_forms_is_no_change() {
    let json = std::fs::read_to_string(fixture("mdaa-baseline.json")).unwrap();
    let yaml = cfn_template::to_yaml(&serde_json::from_str(&json).unwrap());
    assert!(yaml.contains("!GetAtt constructbedrockkmskeyC65EDE8E.Arn"), "the YAML uses short forms");
    let d = cfn_diff::diff(
        &load(&fixture("mdaa-baseline.json")),
        &Template::parse("baseline.yaml", &yaml).unwrap(),
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn a_new_bucket_name_replaces_and_orphans_the_retained_bucket() {
    let d = mdaa("bucket-renamed");
    let bucket = &d.resources[0];
    assert_eq!((bucket.logical_id.as_str(), bucket.impact), (BUCKET, Impact::Replace));
    assert_eq!(bucket.orphans.as_ref().unwrap().attribute, "UpdateReplacePolicy");
    assert_eq!(bucket.physical_names[0].property, "BucketName");
    // The bucket policy, two SSM parameters and the custom resource read it.
    let followers: Vec<&str> = d.resources[1..].iter().map(|r| r.logical_id.as_str()).collect();
    assert_eq!(followers.len(), 4, "{followers:?}");
    assert!(d.resources[1..]
        .iter()
        .all(|r| r.properties.iter().all(|p| p.caused_by.as_deref() == Some(BUCKET))));
    assert_eq!(
        d.resources[1].impact,
        Impact::Replace,
        "the policy's Bucket is create-only and reads the bucket's new name"
    );
}

#[test]
fn a_broadened_key_policy() {
    let d = mdaa("key-policy");
    let changes: Vec<(Direction, &str)> =
        d.security.iter().map(|s| (s.direction, s.description.as_str())).collect();
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert!(changes.iter().all(|(d, _)| *d == Direction::Broadens));
    assert!(changes[0].1.contains("principals added: AWS:*"), "{changes:#?}");
    assert!(
        changes[1].1.contains("conditions loosened: StringEquals aws:SourceAccount = test-account dropped"),
        "{changes:#?}"
    );
}

#[test]
fn a_dropped_tls_deny() {
    let d = mdaa("tls-dropped");
    assert_eq!(d.security.len(), 1);
    assert_eq!(
        (d.security[0].category, d.security[0].direction),
        (SecurityCategory::TlsOnly, Direction::Broadens)
    );
    let policy = &d.resources[0].properties[0];
    assert_eq!(policy.statements.as_ref().unwrap().removed.len(), 1);
}

#[test]
fn a_new_logical_id_for_the_bucket_is_a_rename_that_orphans_it() {
    let d = mdaa("logical-rename");
    let r = &d.resources[0];
    assert_eq!(
        (r.kind, r.old_logical_id.as_deref(), r.logical_id.as_str()),
        (ChangeKind::Renamed, Some(BUCKET), "AuditLogsBucket")
    );
    assert!(r.orphans.is_some());
    assert!(r.notes.iter().any(|n| n.contains("same BucketName")), "{:#?}", r.notes);
    assert_eq!(d.summary.renamed, 1);
    assert_eq!(d.summary.added + d.summary.removed, 0);
}

/// Values of one condition key are alternatives: one fewer is a narrower
/// grant, one more a wider one; for a negated operator, the other way round.
#[test]
fn condition_values_narrow_and_widen() {
    let policy = |conditions: serde_json::Value| {
        serde_json::json!({"Resources": {"K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {
            "Version": "2012-10-17",
            "Statement": [{"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logs.amazonaws.com"},
                "Action": "kms:Encrypt", "Resource": "*", "Condition": conditions}]
        }}}}})
        .to_string()
    };
    let two = policy(serde_json::json!({"ArnLike": {"kms:EncryptionContext:aws:logs:arn": ["a", "b"]}}));
    let one = policy(serde_json::json!({"ArnLike": {"kms:EncryptionContext:aws:logs:arn": ["b"]}}));
    let fewer = cfn_diff::diff_texts("two", &two, "one", &one).unwrap();
    assert_eq!(fewer.security.len(), 1);
    assert_eq!(fewer.security[0].direction, Direction::Narrows, "{:?}", fewer.security[0].description);
    let more = cfn_diff::diff_texts("one", &one, "two", &two).unwrap();
    assert_eq!(more.security[0].direction, Direction::Broadens);
    let not_two = policy(serde_json::json!({"StringNotEquals": {"aws:SourceVpc": ["a", "b"]}}));
    let not_one = policy(serde_json::json!({"StringNotEquals": {"aws:SourceVpc": ["b"]}}));
    let exempt_fewer = cfn_diff::diff_texts("two", &not_two, "one", &not_one).unwrap();
    assert_eq!(exempt_fewer.security[0].direction, Direction::Broadens);
}
