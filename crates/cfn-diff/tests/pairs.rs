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
    // The policy's Bucket is create-only and reads the replaced bucket's new name.
    let policy = resource(&d, "BucketPolicy");
    assert_eq!(policy.impact, Impact::Replace);
    let via = &policy.properties[0];
    assert_eq!((via.path.as_str(), via.caused_by.as_deref()), ("Bucket", Some("Bucket")));
    assert_eq!(via.reason, "changes because Bucket is replaced (a new physical ID): create-only property");
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

#[test]
fn update_policies_decide_what_a_new_launch_configuration_does() {
    let d = pair("update-policy");
    // A rolling update replaces instances, not the group, and nothing
    // follows to the policies, hooks and scheduled actions that name it.
    let rolling = resource(&d, "RollingGroup");
    assert_eq!(rolling.impact, Impact::Update, "{rolling:#?}");
    assert!(rolling.properties[0].reason.contains("AutoScalingRollingUpdate"), "{rolling:#?}");
    for follower in ["RollingScaleOut", "RollingHook", "RollingNightly"] {
        assert!(!d.resources.iter().any(|r| r.logical_id == follower), "{follower} is not changed");
    }
    // Without a replacing policy, the group is updated in place.
    let plain = resource(&d, "PlainGroup");
    assert_eq!(plain.impact, Impact::Update);
    assert!(plain.properties.iter().all(|p| p.reason.contains("running instances are kept")), "{plain:#?}");
    // WillReplace replaces the group, whose generated name is then new: the
    // scaling policy's create-only AutoScalingGroupName replaces it too.
    let replacing = resource(&d, "ReplacingGroup");
    assert_eq!(replacing.impact, Impact::Replace);
    assert!(replacing.properties[0].reason.contains("WillReplace"), "{replacing:#?}");
    let policy = resource(&d, "ReplacingScaleOut");
    assert_eq!(policy.impact, Impact::Replace);
    assert_eq!(policy.properties[0].caused_by.as_deref(), Some("ReplacingGroup"));
    // A policy changed alone updates nothing.
    let batch = resource(&d, "BatchOnly");
    assert_eq!((batch.impact, batch.attributes[0].attribute.as_str()), (Impact::None, "UpdatePolicy"));
    assert!(batch.attributes[0].meaning.contains("by itself it updates nothing"));
    // A policy that changes in the same update leaves the verdict open.
    let switched = resource(&d, "Switched");
    assert_eq!(switched.impact, Impact::MayReplace);
    assert!(switched.properties[0].reason.contains("in the same update"), "{switched:#?}");
    // Search domains: EnableVersionUpgrade upgrades in place; without it a new version replaces.
    assert_eq!(resource(&d, "Upgraded").impact, Impact::Update);
    let reinstalled = resource(&d, "Reinstalled");
    assert_eq!(reinstalled.impact, Impact::Replace);
    assert!(reinstalled.properties[0].reason.contains("EnableVersionUpgrade"));
}

#[test]
fn a_new_physical_id_in_a_create_only_property_replaces_for_certain() {
    let d = pair("followed");
    let replaced = |id: &str| {
        let r = resource(&d, id);
        assert_eq!(r.impact, Impact::Replace, "{id}: {r:#?}");
        assert!(r.properties[0].reason.starts_with("changes because"), "{id}: {}", r.properties[0].reason);
    };
    // The subnet's VpcId reads the new VPC's ID; the association reads the new subnet's.
    replaced("Subnet");
    replaced("Association");
    assert_eq!(resource(&d, "Association").properties[0].caused_by.as_deref(), Some("Subnet"));
    // Strings built around the new ID change with it.
    replaced("Described");
    replaced("Joined");
    // A value that may come out equal: another list item selected, one
    // branch of a condition, an attribute that is not the VPC's identity.
    for id in ["SelectedOther", "EitherBranch", "ByCidr"] {
        let r = resource(&d, id);
        assert_eq!(r.impact, Impact::MayReplace, "{id}: {r:#?}");
        assert!(r.properties[0].reason.starts_with("may change because Vpc is replaced"), "{id}");
    }
    // A queue replaced under the same custom name keeps its ARN (and its
    // replacement fails): its reader may be replaced, no more.
    assert_eq!(resource(&d, "Queue").impact, Impact::Replace);
    assert_eq!(resource(&d, "Consumer").impact, Impact::MayReplace);
}

#[test]
fn mapping_values_and_parameter_defaults_reach_the_properties_that_read_them() {
    let d = pair("inputs");
    // A mapping value read with literal keys changes for certain.
    let worker = resource(&d, "Worker");
    assert_eq!(worker.impact, Impact::Update);
    let memory = &worker.properties[0];
    assert_eq!((memory.path.as_str(), memory.caused_by.as_deref()), ("MemorySize", Some("Mappings.Sizes")));
    assert!(
        memory.reason.starts_with("mapping Sizes value dev.Memory changes (128 to 256)"),
        "{}",
        memory.reason
    );
    // Another key of the same mapping reads what it read before.
    assert!(!d.resources.iter().any(|r| r.logical_id == "ProdWorker"));
    // A region chosen at deploy time may read a changed value: a create-only ImageId may replace.
    let server = resource(&d, "Server");
    assert_eq!(server.impact, Impact::MayReplace);
    assert!(
        server.properties[0].reason.contains("keys chosen at deploy time"),
        "{}",
        server.properties[0].reason
    );
    // Whichever region it is deployed in, an image that changes in every region is new.
    let fleet = resource(&d, "Fleet");
    assert_eq!(fleet.impact, Impact::Replace, "{fleet:#?}");
    assert!(fleet.properties[0].reason.contains("changes under every key the deploy may choose"));
    // A new parameter default reaches the stack only when no value is given.
    let orders = resource(&d, "Orders");
    assert_eq!(orders.impact, Impact::MayReplace);
    let name = &orders.properties[0];
    assert_eq!(name.caused_by.as_deref(), Some("Parameters.Env"));
    assert!(
        name.reason.starts_with(
            "the Default of parameter Env changes (dev to test): replaced if the stack uses the default rather than a value given at deploy time; create-only property"
        ),
        "{}",
        name.reason
    );
    let jobs = resource(&d, "Jobs");
    assert_eq!(jobs.impact, Impact::Update);
    assert!(
        jobs.properties[0].reason.contains("changes if the stack uses the default"),
        "{}",
        jobs.properties[0].reason
    );
}

#[test]
fn replacements_the_registry_does_not_list_come_from_the_specification() {
    let d = pair("spec-facts");
    for (id, path) in [
        ("Record", "Name"),
        ("Cluster", "Instances.AdditionalMasterSecurityGroups[1]"),
        ("Search", "EncryptionAtRestOptions.KmsKeyId"),
    ] {
        let r = resource(&d, id);
        assert_eq!(r.impact, Impact::Replace, "{id}: {r:#?}");
        let p = r.properties.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("{id}: {r:#?}"));
        assert_eq!(p.impact, Impact::Replace, "{id}");
        assert!(p.reason.contains("resource specification (UpdateType: Immutable)"), "{id}: {}", p.reason);
    }
    // A record's Name is its physical name.
    assert_eq!(resource(&d, "Record").physical_names[0].property, "Name");
}

#[test]
fn sam_resources_are_replaced_as_the_resources_they_become() {
    let d = pair("sam");
    // New code, description and memory update the generated function in place.
    let handler = resource(&d, "Handler");
    assert_eq!(handler.impact, Impact::Update, "{handler:#?}");
    let code = handler.properties.iter().find(|p| p.path == "CodeUri").unwrap();
    assert!(code.reason.contains("CodeUri is passed to its Code"), "{}", code.reason);
    // A new FunctionName replaces it, as it would replace an AWS::Lambda::Function.
    let renamed = resource(&d, "Renamed");
    assert_eq!(renamed.impact, Impact::Replace);
    assert!(renamed.properties[0].reason.starts_with("create-only property of the AWS::Lambda::Function"));
    // SAM documents that a table's primary key cannot change.
    assert_eq!(resource(&d, "Orders").impact, Impact::Replace);
    // A state machine's Type is the generated StateMachineType, create-only.
    assert_eq!(resource(&d, "Flow").impact, Impact::Replace);
}

/// Security group rules: inline and standalone alike, world-open ingress
/// named by its ports, egress judged against EC2's default rule.
#[test]
fn security_group_rules() {
    let d = pair("security-groups");
    let rules = |id: &str| security(&d, id, SecurityCategory::SecurityGroup);
    let one = |id: &str| {
        let found = rules(id);
        assert_eq!(found.len(), 1, "{id}: {found:#?}");
        (found[0].direction, found[0].description.clone())
    };
    assert_eq!(
        one("Web"),
        (Direction::Broadens, "ingress opened to the world: SSH (tcp 22) from 0.0.0.0/0".into())
    );
    let web = rules("Web")[0].rule.clone().expect("the rule is given");
    assert!(web.open_to_world && web.protocol == "tcp" && web.ports == "22" && web.group == "Web");
    assert_eq!(
        one("AdminRdp"),
        (
            Direction::Broadens,
            "ingress opened to the world: RDP (tcp 3389) from ::/0 (was RDP (tcp 3389) from 10.0.0.0/8)"
                .into()
        )
    );
    assert_eq!(
        one("EverythingIn").1,
        "ingress opened to the world: all traffic (every protocol and port) from 0.0.0.0/0"
    );
    // A rule moved from the group into its own resource, a description edited: nothing.
    assert!(rules("Moved").is_empty() && rules("MovedPostgres").is_empty(), "{:#?}", d.security);
    assert!(d.security.iter().all(|s| !s.description.contains("HTTPS from anywhere")));
    assert_eq!(one("Narrowed").0, Direction::Narrows);
    let (direction, covered) = one("Covered");
    assert_eq!(direction, Direction::Changes);
    assert!(covered.ends_with("already allowed by all tcp ports (tcp 0-65535) from 10.0.0.0/8"), "{covered}");
    assert_eq!(
        one("Bastion").1,
        "ingress opened to the world: SSH (tcp 22) from !Ref SSHLocation (defaults to 0.0.0.0/0)"
    );
    let conditional = &rules("Conditional")[0];
    assert_eq!(conditional.when.as_deref(), Some("condition AllowSsh holds"));
    assert!(conditional
        .description
        .starts_with("when condition AllowSsh holds: ingress opened to the world: SSH"));
    // A new group: its world-open ingress is flagged, naming the services
    // in its range; its egress gives no more than EC2's default.
    assert_eq!(
        one("Fresh").1,
        "ingress opened to the world: tcp 0-1024 (includes SSH 22, Telnet 23, SMB 445 and 2 more) from 0.0.0.0/0"
    );
    assert_eq!(one("Gone").0, Direction::Narrows);
    // Egress rules given replace EC2's allow-all default: that narrows;
    // removing the last one brings the default back: that broadens.
    let outbound = rules("Outbound");
    assert_eq!(outbound.len(), 2);
    assert!(outbound.iter().all(|s| s.direction == Direction::Narrows));
    let closed = rules("Closed");
    assert_eq!(closed.len(), 2);
    assert!(closed.iter().all(|s| s.direction == Direction::Broadens && s.rule.as_ref().unwrap().implicit));
    assert_eq!(d.security.len(), 13, "{:#?}", d.security);
}

/// Policies under `Fn::If` are read in both branches; a broadening in one
/// says under which condition; a statement only a deploy resolves is a
/// change, never an empty grant.
#[test]
fn policies_under_conditions() {
    let d = pair("policy-branches");
    let one = |id: &str| {
        let found = security(&d, id, SecurityCategory::PolicyStatement);
        assert_eq!(found.len(), 1, "{id}: {found:#?}");
        found[0].clone()
    };
    let role = one("Role");
    assert_eq!(
        (role.direction, role.when.as_deref()),
        (Direction::Broadens, Some("condition IsProd does not hold"))
    );
    assert!(
        role.description.starts_with("when condition IsProd does not hold: Allow statement changed"),
        "{}",
        role.description
    );
    assert!(role.description.contains("actions added: s3:* (wildcard)"), "{}", role.description);
    let public = one("BucketPolicy");
    assert_eq!(public.when.as_deref(), Some("condition Public holds"));
    assert!(public.description.contains(
        "Allow statement added to resource policy PolicyDocument: AWS:* (wildcard) may s3:GetObject"
    ));
    let managed = one("Managed");
    assert_eq!(managed.when.as_deref(), Some("condition IsProd does not hold"));
    assert!(managed.description.contains("resources added: * (wildcard)"), "{}", managed.description);
    // A document written as JSON text is read as the document it spells.
    let repository = one("Repository");
    assert!(
        repository.description.contains("principals added: AWS:* (wildcard)"),
        "{}",
        repository.description
    );
    let mapped = one("Mapped");
    assert_eq!(mapped.direction, Direction::Changes);
    assert!(mapped.description.contains("known only at deploy time"), "{}", mapped.description);
    assert!(mapped.statement.as_ref().unwrap().expression.as_deref().unwrap().contains("Fn::FindInMap"));
    for s in &d.security {
        assert!(!s.description.contains("(none)"), "{}", s.description);
    }
    let text = cfn_diff::render(&d, cfn_diff::Format::Text, &Default::default());
    assert!(!text.contains("may (none)"), "{text}");
}

/// Statements are paired by content: a Sid or policy renamed, a statement
/// moved between inline policies say nothing; an edit is judged against
/// the statement it is closest to.
#[test]
fn statements_are_paired_by_content() {
    let d = pair("statement-pairing");
    for quiet in ["SidOnly", "Renamed", "Moved"] {
        assert!(d.security.iter().all(|s| s.logical_id != quiet), "{quiet}: {:#?}", d.security);
    }
    let swapped = security(&d, "Swapped", SecurityCategory::PolicyStatement);
    assert_eq!(swapped.len(), 1, "{swapped:#?}");
    assert_eq!(swapped[0].direction, Direction::Broadens);
    assert!(
        swapped[0].description.ends_with("actions added: sqs:DeleteMessage"),
        "{}",
        swapped[0].description
    );
    let grown = security(&d, "RenamedAndGrown", SecurityCategory::PolicyStatement);
    assert_eq!(grown.len(), 1, "{grown:#?}");
    assert_eq!(grown[0].direction, Direction::Broadens);
    assert_eq!(grown[0].path.as_deref(), Some("Policies[PolicyName=read-orders].PolicyDocument"));
    assert!(
        grown[0].description.ends_with(
            "actions added: dynamodb:* (wildcard); actions removed: dynamodb:GetItem; moved from Policies[PolicyName=read].PolicyDocument"
        ),
        "{}",
        grown[0].description
    );
    assert_eq!(d.security.len(), 2);
}

/// Settings are judged with their units and what leaving them out means;
/// properties that only look like settings are not read.
#[test]
fn settings_have_known_meanings_and_units() {
    let d = pair("settings-meaning");
    let one = |id: &str| {
        let found: Vec<_> = d.security.iter().filter(|s| s.logical_id == id).collect();
        assert_eq!(found.len(), 1, "{id}: {found:#?}");
        (found[0].direction, found[0].description.split(" — ").next().unwrap_or_default().to_string())
    };
    let broadens = |text: &str| (Direction::Broadens, text.to_string());
    let narrows = |text: &str| (Direction::Narrows, text.to_string());
    assert_eq!(one("Database"), broadens("retention shortened: BackupRetentionPeriod 7 days → 3 days"));
    // Not set is the default of 1 day: 7 lengthens it, it was never unlimited.
    assert_eq!(
        one("LongerBackups"),
        narrows("retention lengthened: BackupRetentionPeriod not set (1 day) → 7 days")
    );
    assert_eq!(
        one("NoBackups"),
        broadens("retention shortened: BackupRetentionPeriod 7 days → 0 (no automated backups)")
    );
    assert_eq!(one("Stream"), broadens("retention shortened: RetentionPeriodHours 168 hours → 48 hours"));
    assert_eq!(
        one("Queue"),
        narrows("retention lengthened: MessageRetentionPeriod not set (345600 seconds) → 1209600 seconds")
    );
    assert_eq!(one("Logs"), broadens("retention shortened: RetentionInDays not set (for ever) → 30 days"));
    // 30 days to 1 year, in two units.
    assert_eq!(
        one("Locked"),
        narrows("retention lengthened: ObjectLockConfiguration.Rule.DefaultRetention 30 days → 1 year")
    );
    // The function's key is a setting; its environment variables are not.
    let function = one("Function");
    assert!(function.1.starts_with("encryption key removed: KmsKeyArn"), "{function:?}");
    for id in ["Nested", "Thing"] {
        assert!(d.security.iter().all(|s| s.logical_id != id), "{id}: {:#?}", d.security);
    }
    for s in &d.security {
        let meaning = s.meaning.as_deref().expect("every finding here is a setting with a meaning");
        assert!(s.description.ends_with(meaning), "{}", s.description);
        assert!(s.source.as_deref().unwrap().starts_with("https://docs.aws.amazon.com/AWSCloudFormation/"));
    }
}
