//! Each kind of change, on hand-made pairs of templates.

mod common;

use cfn_diff::{ChangeKind, Direction, FailOn, Impact, ResourceChange, SecurityCategory, TemplateDiff};
use common::pair;

fn resource<'d>(d: &'d TemplateDiff, id: &str) -> &'d ResourceChange {
    d.resources.iter().find(|r| r.logical_id == id).unwrap_or_else(|| panic!("no change for {id}: {d:#?}"))
}

fn security<'d>(
    d: &'d TemplateDiff,
    id: &str,
    category: SecurityCategory,
) -> Vec<&'d cfn_diff::SecurityChange> {
    d.security.iter().filter(|s| s.logical_id == id && s.category == category).collect()
}

#[test]
fn added_removed_orphaned_modified_and_retyped_resources() {
    let d = pair("lifecycle");
    let audit = resource(&d, "AuditBucket");
    assert_eq!((audit.kind, audit.impact), (ChangeKind::Removed, Impact::Destroy));
    let o = audit.orphans.as_ref().expect("a retained bucket removed is orphaned");
    assert_eq!((o.attribute.as_str(), o.policy.as_str()), ("DeletionPolicy", "Retain"));
    assert!(resource(&d, "Archive").orphans.as_ref().unwrap().consequence.contains("final snapshot"));
    let scratch = resource(&d, "Scratch");
    assert_eq!((scratch.kind, scratch.orphans.is_none()), (ChangeKind::Removed, true));
    assert_eq!(resource(&d, "Fresh").kind, ChangeKind::Added);
    let shape = resource(&d, "Shape");
    assert_eq!((shape.kind, shape.impact), (ChangeKind::TypeChanged, Impact::Replace));
    assert!(shape.notes[0].contains("rejects a type change"));
    let kept = resource(&d, "Kept");
    assert_eq!((kept.impact, kept.properties[0].path.as_str()), (Impact::Update, "VisibilityTimeout"));
    // Orphans first, then replacements, removals, updates, additions.
    let order: Vec<&str> = d.resources.iter().map(|r| r.logical_id.as_str()).collect();
    assert_eq!(order, ["AuditBucket", "Archive", "Shape", "Scratch", "Kept", "Fresh"]);
    assert_eq!(d.summary.line, "6 resources changed: 2 orphaned, 1 replaced, 3 removed, 1 updated, 1 added");
}

#[test]
fn create_only_properties_replace_and_replacements_follow_references() {
    let d = pair("replacement");
    let endpoint = resource(&d, "Endpoint");
    assert_eq!(endpoint.impact, Impact::Replace, "a nested create-only property replaces");
    assert_eq!(endpoint.properties[0].path, "DnsOptions.PrivateDnsPreference");
    let table = resource(&d, "Table");
    assert_eq!(table.impact, Impact::MayReplace, "KeySchema is conditionally create-only");
    let bucket = resource(&d, "Bucket");
    assert_eq!(bucket.impact, Impact::Replace);
    assert_eq!(bucket.physical_names[0].property, "BucketName");
    // The policy's Bucket is create-only and reads the replaced bucket.
    let policy = resource(&d, "BucketPolicy");
    assert_eq!(policy.impact, Impact::MayReplace);
    let via = &policy.properties[0];
    assert_eq!((via.path.as_str(), via.caused_by.as_deref()), ("Bucket", Some("Bucket")));
    assert_eq!(via.reason, "may change because Bucket is replaced");
    let param = resource(&d, "BucketNameParam");
    assert_eq!((param.impact, param.properties[0].path.as_str()), (Impact::Update, "Value"));
    let output =
        d.sections.iter().find(|s| s.key.as_deref() == Some("BucketArn")).expect("the output follows");
    assert_eq!(output.notes, ["the value may change because Bucket is replaced"]);
}

#[test]
fn physical_names_renames_and_names_that_block_a_replacement() {
    let d = pair("named-replacement");
    let role = resource(&d, "Role");
    assert_eq!(role.impact, Impact::Replace);
    assert!(role.physical_names.is_empty());
    assert!(
        role.notes[0].contains("cannot replace a resource with a custom name: change RoleName (`app-role`)")
    );
    let logs = resource(&d, "LogsNew");
    assert_eq!((logs.kind, logs.old_logical_id.as_deref()), (ChangeKind::Renamed, Some("LogsOld")));
    assert!(logs.orphans.is_some(), "the old retained log group is orphaned");
    assert!(logs.notes[0].contains("keeping the logical ID `LogsOld` avoids this"));
    assert!(logs.notes[1].contains("same LogGroupName `/app/audit`"));
    let param = resource(&d, "Param");
    assert_eq!(param.physical_names[0].property, "Name");
    assert_eq!(d.summary.renamed, 1);
}

#[test]
fn renames_are_found_together_and_their_readers_follow() {
    let d = pair("rename");
    let bucket = resource(&d, "AuditBucket");
    assert_eq!(bucket.kind, ChangeKind::Renamed);
    // The policy refers to the renamed bucket: it is a rename too, not a removal and an addition.
    assert_eq!(resource(&d, "AuditBucketPolicy").old_logical_id.as_deref(), Some("LogsBucketPolicy"));
    let reader = resource(&d, "Reader");
    assert_eq!(reader.properties[0].caused_by.as_deref(), Some("AuditBucket"));
    assert!(reader.properties[0].reason.contains("renamed from LogsBucket"));
    assert!(!d.resources.iter().any(|r| matches!(r.kind, ChangeKind::Added | ChangeKind::Removed)));
}

#[test]
fn attributes_and_sections() {
    let d = pair("attributes");
    let queue = resource(&d, "Queue");
    let attrs: Vec<&str> = queue.attributes.iter().map(|a| a.attribute.as_str()).collect();
    assert_eq!(attrs, ["DeletionPolicy", "UpdateReplacePolicy", "Condition", "Metadata"]);
    assert!(queue.properties.is_empty());
    let topic = resource(&d, "Topic");
    assert_eq!((topic.impact, topic.attributes[0].attribute.as_str()), (Impact::None, "DependsOn"));
    let retain: Vec<_> = security(&d, "Queue", SecurityCategory::RetainPolicy);
    assert_eq!(retain.len(), 2);
    let sections: Vec<(String, Option<String>, ChangeKind)> =
        d.sections.iter().map(|s| (s.section.clone(), s.key.clone(), s.kind)).collect();
    let s = |a: &str, b: &str, k| (a.to_string(), Some(b.to_string()), k);
    assert_eq!(
        sections,
        [
            s("Parameters", "Env", ChangeKind::Modified),
            s("Parameters", "Region", ChangeKind::Added),
            s("Parameters", "Old", ChangeKind::Removed),
            s("Mappings", "Sizes", ChangeKind::Modified),
            s("Conditions", "IsProd", ChangeKind::Modified),
            s("Outputs", "QueueUrl", ChangeKind::Removed),
        ]
    );
    let export = d.sections.iter().find(|s| s.key.as_deref() == Some("QueueUrl")).unwrap();
    assert!(export.notes[0].contains("export `app-queue-url` goes away"));
    let region = d.sections.iter().find(|s| s.key.as_deref() == Some("Region")).unwrap();
    assert!(region.notes[0].contains("without a Default"));
}

#[test]
fn reordering_and_spelling_are_not_changes() {
    let d = pair("same");
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(d.summary.line, "no differences");
    assert_eq!(d.exit_status(&[FailOn::Replacement, FailOn::Security]), 0);
}

#[test]
fn long_strings_get_a_line_diff_and_unknown_types_may_replace() {
    let d = pair("code");
    let code = &resource(&d, "Function").properties[0];
    assert_eq!(code.path, "Code.ZipFile");
    let lines = code.line_diff.as_deref().expect("inline code gets a line diff");
    assert!(
        lines.contains("-    print(json.dumps(event))\n+    print(json.dumps(event, sort_keys=True))\n"),
        "{lines}"
    );
    assert_eq!(resource(&d, "Settings").impact, Impact::Update);
    assert_eq!(resource(&d, "Thing").impact, Impact::MayReplace);
}

#[test]
fn policy_changes_are_singled_out() {
    let d = pair("security");
    let statements = |id: &str| security(&d, id, SecurityCategory::PolicyStatement);
    // A statement for everyone added to a key policy.
    let key = statements("Key");
    assert_eq!(key.len(), 1);
    assert_eq!((key[0].direction, key[0].policy_kind.as_deref()), (Direction::Broadens, Some("resource")));
    assert_eq!(key[0].statement.as_ref().unwrap().principals, ["AWS:*"]);
    // The trust policy gains a principal and loses its condition, as one edited statement.
    let role = statements("Role");
    let trust = role.iter().find(|s| s.policy_kind.as_deref() == Some("trust")).unwrap();
    assert_eq!(trust.direction, Direction::Broadens);
    assert!(
        trust.description.contains("principals added: Service:ec2.amazonaws.com"),
        "{}",
        trust.description
    );
    assert!(
        trust
            .description
            .contains("conditions loosened: StringEquals aws:SourceAccount = !Ref AWS::AccountId dropped"),
        "{}",
        trust.description
    );
    let inline = role.iter().find(|s| s.policy_kind.as_deref() == Some("identity")).unwrap();
    assert!(
        inline.description.contains("actions added: logs:* (wildcard); resources added: * (wildcard)"),
        "{}",
        inline.description
    );
    let attached = security(&d, "Role", SecurityCategory::PolicyAttachment);
    assert_eq!(
        attached[0].description,
        "managed policy arn:aws:iam::aws:policy/AdministratorAccess attached"
    );
    // A Lambda permission is read as the resource policy statement it is.
    let invoke = statements("Invoke");
    assert!(invoke[0].description.contains("principals added: AWS:*"), "{}", invoke[0].description);
}

#[test]
fn tls_only_denies_dropped_or_narrowed() {
    let d = pair("security");
    let dropped = security(&d, "BucketPolicy", SecurityCategory::TlsOnly);
    assert_eq!(dropped.len(), 1);
    assert!(dropped[0].description.starts_with("TLS-only deny dropped"));
    assert_eq!(dropped[0].direction, Direction::Broadens);
    let narrowed = security(&d, "QueuePolicy", SecurityCategory::TlsOnly);
    assert!(narrowed[0].description.starts_with("TLS-only deny narrowed"), "{}", narrowed[0].description);
    assert_eq!(narrowed[0].direction, Direction::Broadens);
}

#[test]
fn protections_weakened() {
    let d = pair("security");
    let texts =
        |id: &str, c| -> Vec<String> { security(&d, id, c).iter().map(|s| s.description.clone()).collect() };
    let logs_key = texts("Logs", SecurityCategory::Encryption);
    assert_eq!(logs_key.len(), 1);
    assert!(
        logs_key[0]
            .starts_with("encryption key removed: KmsKeyId !GetAtt Key.Arn → not set (CloudWatch Logs' own"),
        "{logs_key:?}"
    );
    assert_eq!(
        texts("Logs", SecurityCategory::Retention),
        ["retention shortened: RetentionInDays 365 days → 7 days — how long log events are kept, in days; not set: never expire"]
    );
    let swapped = texts("Bucket", SecurityCategory::Encryption);
    assert!(swapped[0].starts_with("encryption key swapped"), "{swapped:?}");
    assert_eq!(texts("Bucket", SecurityCategory::PublicAccess).len(), 2);
    let retention = texts("Bucket", SecurityCategory::Retention);
    assert!(retention[0].contains("ExpirationInDays not set (for ever) → 30 days"), "{retention:?}");
    assert!(retention[1].contains("NoncurrentDays 90 days → 1 day"), "{retention:?}");
    let versioning = texts("Bucket", SecurityCategory::DataProtection);
    assert!(
        versioning[0].starts_with("protection weakened: VersioningConfiguration.Status Enabled → Suspended")
    );
    let rotation = texts("Key", SecurityCategory::DataProtection);
    assert!(rotation[0].starts_with("protection weakened: EnableKeyRotation true → false"), "{rotation:?}");
    // Every finding on a setting carries its meaning and where that is documented.
    for s in d.security.iter().filter(|s| s.meaning.is_some()) {
        assert!(s.source.as_deref().is_some_and(|u| u.starts_with("https://docs.aws.amazon.com/")), "{s:?}");
    }
    assert_eq!(texts("Bucket", SecurityCategory::RetainPolicy).len(), 2);
    // Broadening first, then changes, then narrowing.
    let directions: Vec<Direction> = d.security.iter().map(|s| s.direction).collect();
    let mut sorted = directions.clone();
    sorted.sort();
    assert_eq!(directions, sorted);
}

#[test]
fn exit_status() {
    let d = pair("security");
    assert_eq!(d.exit_status(&[]), 1);
    assert_eq!(d.exit_status(&[FailOn::Security]), 3);
    // The permission is replaced: its principal is create-only.
    assert_eq!(d.exit_status(&[FailOn::Replacement]), 3);
    let d = pair("code");
    assert!(d.has(FailOn::Replacement), "an unknown type may be replaced");
    assert_eq!(d.exit_status(&[FailOn::Security]), 1);
    assert_eq!(pair("same").exit_status(&[FailOn::Security]), 0);
    assert_eq!("security".parse::<FailOn>(), Ok(FailOn::Security));
    assert!("sometimes".parse::<FailOn>().unwrap_err().contains("expected `replacement` or `security`"));
}

#[test]
fn encryption_and_public_access_weakened_otherwise() {
    let d = pair("encryption");
    let texts =
        |id: &str, c| -> Vec<String> { security(&d, id, c).iter().map(|s| s.description.clone()).collect() };
    let weakened = texts("Weakened", SecurityCategory::Encryption);
    assert!(
        weakened[0].starts_with("encryption weakened: BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm aws:kms → AES256"),
        "{weakened:?}"
    );
    assert!(weakened[1].starts_with("encryption key removed: "), "{weakened:?}");
    // S3 encrypts every bucket with AES256 when it is given no encryption:
    // dropping an AES256 configuration changes nothing.
    assert!(texts("Unencrypted", SecurityCategory::Encryption).is_empty());
    let public = texts("Unencrypted", SecurityCategory::PublicAccess);
    assert_eq!(public.len(), 1, "one finding for the block, none for its flags: {public:?}");
    assert!(public[0].starts_with(
        "PublicAccessBlockConfiguration removed: the bucket's own public access block is deleted"
    ));
    let queue = security(&d, "Queue", SecurityCategory::Encryption);
    assert_eq!(queue.len(), 2);
    assert!(queue[0]
        .description
        .starts_with("encryption key removed: KmsMasterKeyId alias/aws/sqs → not set"));
    assert_eq!(queue[0].direction, Direction::Broadens);
    // Whether SSE-SQS is on without the property depends on when the queue was made: a change, not a verdict.
    assert_eq!(queue[1].direction, Direction::Changes, "{}", queue[1].description);
    let database = |c| texts("Database", c);
    assert!(database(SecurityCategory::Encryption)[0]
        .starts_with("encryption weakened: StorageEncrypted true → false"));
    assert!(database(SecurityCategory::PublicAccess)[0]
        .starts_with("public access widened: PubliclyAccessible false → true"));
    assert!(database(SecurityCategory::DataProtection)[0]
        .starts_with("protection weakened: DeletionProtection true → false"));
    // RetainExceptOnCreate kept: no retain-policy change.
    assert!(security(&d, "Unencrypted", SecurityCategory::RetainPolicy).is_empty());
    let sections: Vec<&str> = d.sections.iter().map(|s| s.section.as_str()).collect();
    assert_eq!(sections, ["Rules", "Transform"]);
    assert!(d.sections[1].notes[0].contains("macros"));
}

#[test]
fn the_graph_marks_what_the_diff_does() {
    use cfn_diff::{Graph, NodeStatus};
    let (old, new) = common::pair_templates("lifecycle");
    let d = cfn_diff::diff(&old, &new);
    let g = Graph::of_diff(&old, &new, &d);
    let status = |id: &str| g.nodes.iter().find(|n| n.id == id).map(|n| n.status);
    assert_eq!(status("Fresh"), Some(NodeStatus::Added));
    assert_eq!(status("AuditBucket"), Some(NodeStatus::Removed));
    assert_eq!(status("Shape"), Some(NodeStatus::Replaced));
    assert_eq!(status("Kept"), Some(NodeStatus::Modified));
    let mermaid = g.mermaid();
    assert!(mermaid.contains("classDef removed") && mermaid.contains("classDef added"), "{mermaid}");
}

/// One statement changed in one field alone, each way that field can
/// change, in an Allow and in a Deny: the verdict of each.
#[test]
fn each_statement_field_alone_broadens_or_narrows() {
    let d = pair("statement-fields");
    let expected = [
        ("ActionWidened", Direction::Broadens),
        ("ActionNarrowed", Direction::Narrows),
        ("ResourceWidened", Direction::Broadens),
        ("ResourceNarrowed", Direction::Narrows),
        ("PrincipalWidened", Direction::Broadens),
        ("PrincipalNarrowed", Direction::Narrows),
        ("ConditionDropped", Direction::Broadens),
        ("ConditionAdded", Direction::Narrows),
        ("EffectToDeny", Direction::Narrows),
        ("EffectToAllow", Direction::Broadens),
        ("EffectToDenyWithoutSid", Direction::Narrows),
        ("EffectToAllowWithoutSid", Direction::Broadens),
        ("NotActionShrunk", Direction::Broadens),
        ("NotActionGrown", Direction::Narrows),
        ("NotResourceShrunk", Direction::Broadens),
        ("NotResourceGrown", Direction::Narrows),
        ("DenyActionWidened", Direction::Narrows),
        ("DenyResourceNarrowed", Direction::Broadens),
        ("DenyNotActionGrown", Direction::Broadens),
    ];
    for (id, direction) in expected {
        let found = security(&d, id, SecurityCategory::PolicyStatement);
        assert!(!found.is_empty(), "{id}: no policy statement change in {:#?}", d.security);
        for s in &found {
            assert_eq!(s.direction, direction, "{id}: {}", s.description);
        }
    }
    assert_eq!(d.security.len(), expected.len(), "each edit is one change, an effect turned round too");
    // The edit says which field changed.
    let resource = security(&d, "ResourceNarrowed", SecurityCategory::PolicyStatement)[0];
    assert!(resource.description.contains("resources removed: * (wildcard)"), "{}", resource.description);
    let effect = security(&d, "EffectToDeny", SecurityCategory::PolicyStatement)[0];
    assert!(effect.description.contains("effect Allow → Deny"), "{}", effect.description);
    let not_action = security(&d, "NotActionShrunk", SecurityCategory::PolicyStatement)[0];
    assert!(
        not_action.description.contains("not actions removed: s3:DeleteObject"),
        "{}",
        not_action.description
    );
}
