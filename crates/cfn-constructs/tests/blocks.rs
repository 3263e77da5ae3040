//! Each building block on its own: secure defaults without configuration.

use cfn_constructs::{
    suppress, AccountRegional, CustomResourceFunction, EncryptedLogGroup, EncryptionKey, Grant, Lifecycle,
    NameKind, NamingStrategy, RetentionDays, Scanner, Scope, SecureBucket, ServiceRole, Tags, PYTHON_RUNTIME,
};
use cfn_template::policy::Statement;
use cfn_template::{Expr, Template};
use serde_json::{json, Value};

fn key(t: &mut Template) -> cfn_constructs::EncryptionKey {
    EncryptionKey::new("Test", AccountRegional.name(NameKind::KmsAlias, "test-key")).build(t)
}

fn json(t: &Template) -> Value {
    serde_json::from_str(&t.to_json().expect("blocks make valid templates")).unwrap()
}

/// The one statement of a policy whose conditions test `key` (under any operator), without its
/// Sid; fails unless there is exactly one.
fn the_statement_testing(statements: &Value, key: &str) -> Value {
    let testing: Vec<&Value> = statements
        .as_array()
        .expect("a list of statements")
        .iter()
        .filter(|s| {
            s["Condition"].as_object().is_some_and(|c| c.values().any(|keys| keys.get(key).is_some()))
        })
        .collect();
    assert_eq!(testing.len(), 1, "one statement testing {key}: {statements:#}");
    without_sid(testing[0])
}

/// The confused-deputy conditions of a service grant: this account, and source ARNs matching
/// `source_arn` (an `Fn::Sub` text).
fn held_to_this_account(source_arn: &str) -> Value {
    json!({
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnLike": {"aws:SourceArn": {"Fn::Sub": source_arn}}
    })
}

/// A statement without its Sid, which names it but changes nothing it allows or denies.
fn without_sid(statement: &Value) -> Value {
    let mut statement = statement.clone();
    statement.as_object_mut().expect("a statement object").remove("Sid");
    statement
}

#[test]
fn account_regional_names_carry_region_and_account() {
    let n = AccountRegional;
    assert_eq!(n.name(NameKind::Bucket, "logs"), Expr::sub("logs-${AWS::AccountId}-${AWS::Region}"));
    assert_eq!(n.name(NameKind::KmsAlias, "k"), Expr::sub("alias/k-${AWS::Region}"));
    assert_eq!(n.name(NameKind::IamRole, "r"), Expr::sub("r-${AWS::Region}"));
    // Account-wide names carry the region; names inside a database or log group do not need to.
    for kind in
        [NameKind::Trail, NameKind::Topic, NameKind::Alarm, NameKind::Dashboard, NameKind::AthenaWorkgroup]
    {
        assert_eq!(n.name(kind, "x"), Expr::sub("x-${AWS::Region}"), "{kind:?}");
    }
    for kind in [NameKind::GlueTable, NameKind::MetricFilter, NameKind::GlueDatabase] {
        assert_eq!(n.name(kind, "x"), Expr::from("x"), "{kind:?}");
    }
}

#[test]
fn other_naming_conventions_plug_in() {
    struct Prefixed;
    impl NamingStrategy for Prefixed {
        fn name(&self, kind: NameKind, base: &str) -> Expr {
            AccountRegional.name(kind, &format!("acme-{base}"))
        }
    }
    let mut t = Template::new();
    EncryptionKey::new("Test", Prefixed.name(NameKind::KmsAlias, "key")).build(&mut t);
    assert_eq!(
        json(&t)["Resources"]["TestKeyAlias"]["Properties"]["AliasName"]["Fn::Sub"],
        "alias/acme-key-${AWS::Region}"
    );
}

#[test]
fn key_rotates_is_retained_and_limits_grants() {
    let mut t = Template::new();
    key(&mut t);
    let v = json(&t);
    let k = &v["Resources"]["TestKey"];
    assert_eq!(k["Properties"]["EnableKeyRotation"], true);
    assert!(k["Properties"].get("RotationPeriodInDays").is_none(), "the default period: 365 days");
    assert_eq!(k["DeletionPolicy"], "Retain");
    assert_eq!(k["UpdateReplacePolicy"], "Retain");
    let statements = k["Properties"]["KeyPolicy"]["Statement"].as_array().unwrap();
    let text = serde_json::to_string(statements).unwrap();
    assert!(!text.contains("\"kms:*\""), "no wildcard action");
    assert!(!text.contains("kms:ReEncrypt\""), "kms:ReEncrypt is not a KMS action");
    let grant = statements.iter().find(|s| s["Action"] == "kms:CreateGrant").unwrap();
    assert_eq!(grant["Condition"]["Bool"]["kms:GrantIsForAWSResource"], "true");
}

#[test]
fn services_get_the_key_only_with_confused_deputy_conditions() {
    let mut t = Template::new();
    let key = EncryptionKey::new("Test", "alias/x".into()).build(&mut t);
    let service = Grant::service("svc.amazonaws.com")
        .sid("Svc")
        .from_this_account()
        .from_source(Expr::sub("arn:${AWS::Partition}:svc:${AWS::Region}:${AWS::AccountId}:*"));
    key.grant(&mut t, &service, ["kms:GenerateDataKey"]);
    let a = EncryptedLogGroup::new("A", "/a".into(), &key.key).build(&mut t);
    let b = EncryptedLogGroup::new("B", Expr::sub("/b-${AWS::Region}"), &key.key).build(&mut t);
    key.allow_cloudwatch_logs(&mut t, &[&a, &b]);
    let v = json(&t);
    let s = &v["Resources"]["TestKey"]["Properties"]["KeyPolicy"]["Statement"];
    // Held to this account: the exact account and source ARN, under operators that cannot be
    // satisfied by another account or by a missing key.
    assert_eq!(
        s[2]["Condition"],
        held_to_this_account("arn:${AWS::Partition}:svc:${AWS::Region}:${AWS::AccountId}:*")
    );
    assert_eq!(s[2]["Principal"], json!({"Service": "svc.amazonaws.com"}));
    assert_eq!(
        s[3]["Condition"],
        json!({"ArnLike": {"kms:EncryptionContext:aws:logs:arn": [
            {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/a"},
            {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/b-${AWS::Region}"}
        ]}})
    );
    assert_eq!(s[3]["Principal"]["Service"]["Fn::Sub"], "logs.${AWS::Region}.${AWS::URLSuffix}");
}

#[test]
fn audit_bucket_defaults_are_locked_down() {
    let mut t = Template::new();
    let k = key(&mut t);
    let bucket =
        SecureBucket::new("Audit", Expr::sub("audit-${AWS::AccountId}-${AWS::Region}"), &k.key).build(&mut t);
    let writer = Grant::service("bedrock.amazonaws.com")
        .sid("Writer")
        .from_this_account()
        .from_source(Expr::sub("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:*"));
    bucket.grant_write(&mut t, &writer, ["logs/*".into()]);
    let v = json(&t);
    let b = &v["Resources"]["AuditBucket"];
    let p = &b["Properties"];
    assert_eq!(b["DeletionPolicy"], "Retain");
    assert_eq!(p["VersioningConfiguration"]["Status"], "Enabled");
    assert_eq!(p["OwnershipControls"]["Rules"][0]["ObjectOwnership"], "BucketOwnerEnforced");
    for flag in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] {
        assert_eq!(p["PublicAccessBlockConfiguration"][flag], true, "{flag}");
    }
    let rules = p["LifecycleConfiguration"]["Rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r.get("ExpirationInDays").is_none()), "the default deletes no current data");
    let policy = &v["Resources"]["AuditBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    // The TLS deny, whole: a narrower one (one resource, one action, a principal, one more
    // condition) would leave some plain-HTTP request allowed.
    assert_eq!(
        the_statement_testing(policy, "aws:SecureTransport"),
        json!({
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": ["AuditBucket", "Arn"]}, {"Fn::Sub": "${AuditBucket.Arn}/*"}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        })
    );
    // The deny of uploads under another key, whole: every object, only the bucket's key.
    let key_id = "s3:x-amz-server-side-encryption-aws-kms-key-id";
    assert_eq!(
        the_statement_testing(policy, key_id),
        json!({
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": {"Fn::Sub": "${AuditBucket.Arn}/*"},
            "Condition": {
                "StringNotEquals": {key_id: {"Fn::GetAtt": ["TestKey", "Arn"]}},
                "Null": {"s3:x-amz-server-side-encryption": "false"}
            }
        })
    );
    assert_eq!(
        p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
            ["KMSMasterKeyID"],
        json!({"Fn::GetAtt": ["TestKey", "Arn"]}),
        "the key the deny names is the bucket's default key"
    );
    // The writer's grant: its service alone, uploads alone, its key patterns alone, held to this
    // account.
    assert_eq!(
        without_sid(&policy[3]),
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": {"Fn::Sub": "${AuditBucket.Arn}/logs/*"},
            "Condition": held_to_this_account("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:*")
        })
    );
    let allows: Vec<_> = policy.as_array().unwrap().iter().filter(|s| s["Effect"] != "Deny").collect();
    assert_eq!(allows.len(), 1, "the writer is the only grant: {policy:#}");
}

#[test]
fn lifecycle_never_transitions_after_expiry() {
    let mut t = Template::new();
    let k = key(&mut t);
    SecureBucket::new("Audit", "audit-bucket".into(), &k.key)
        .lifecycle(Lifecycle {
            transition_to_glacier_after_days: Some(90),
            expire_after_days: Some(400),
            noncurrent_version_expire_after_days: Some(10),
            ..Lifecycle::default()
        })
        .build(&mut t);
    let v = json(&t);
    let rules = &v["Resources"]["AuditBucket"]["Properties"]["LifecycleConfiguration"]["Rules"];
    assert_eq!(rules[1]["ExpirationInDays"], 400);
    assert_eq!(rules[1]["Transitions"][0]["TransitionInDays"], 90);
    assert!(rules[2].get("NoncurrentVersionTransitions").is_none());
    assert_eq!(rules[2]["NoncurrentVersionExpiration"]["NoncurrentDays"], 10);
}

#[test]
fn retention_accepts_only_cloudwatch_periods() {
    assert!(RetentionDays::new(365).is_some());
    assert!(RetentionDays::new(100).is_none());
    assert_eq!(RetentionDays::nearest(100).days(), 90);
    let mut t = Template::new();
    let k = key(&mut t);
    EncryptedLogGroup::new("Audit", "/audit".into(), &k.key).build(&mut t);
    let v = json(&t);
    let lg = &v["Resources"]["AuditLogGroup"];
    assert!(lg["Properties"].get("RetentionInDays").is_none(), "no retention means never expire");
    assert_eq!(lg["Properties"]["KmsKeyId"]["Fn::GetAtt"][0], "TestKey");
    assert_eq!(lg["UpdateReplacePolicy"], "Retain");
}

#[test]
fn service_role_trusts_only_its_service_under_conditions() {
    let mut t = Template::new();
    ServiceRole::new(
        "Svc",
        Expr::sub("svc-${AWS::Region}"),
        Expr::sub("svc-${AWS::Region}"),
        "bedrock.amazonaws.com".into(),
        Some(Expr::sub("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:*")),
    )
    .allow(Statement::allow().action("logs:PutLogEvents").resource("*"))
    .build(&mut t);
    let v = json(&t);
    let role = &v["Resources"]["SvcRole"]["Properties"];
    let trust = role["AssumeRolePolicyDocument"]["Statement"].as_array().unwrap();
    assert_eq!(trust.len(), 1, "one trust statement: {trust:#?}");
    assert_eq!(
        without_sid(&trust[0]),
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "bedrock.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": held_to_this_account("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:*")
        })
    );
    assert_eq!(role["ManagedPolicyArns"][0]["Ref"], "SvcPolicy");
}

#[test]
fn function_logs_through_logging_config_without_creating_log_groups() {
    let mut t = Template::new();
    let k = key(&mut t);
    let f = CustomResourceFunction::new(
        "Cr",
        Expr::sub("cr-${AWS::Region}"),
        Expr::sub("cr-${AWS::Region}"),
        Expr::sub("cr-${AWS::Region}"),
        Expr::sub("/aws/lambda/cr-${AWS::Region}"),
        "def handler(event, context):\n    pass\n",
        &k.key,
    )
    .build(&mut t);
    t.add("Thing", f.resource("Thing").property("A", "b"));
    let v = json(&t);
    let func = &v["Resources"]["CrFunction"]["Properties"];
    assert_eq!(func["Runtime"], PYTHON_RUNTIME);
    assert_eq!(func["LoggingConfig"]["LogGroup"]["Ref"], "CrFunctionLogGroup");
    let policy = serde_json::to_string(&v["Resources"]["CrFunctionPolicy"]).unwrap();
    assert!(!policy.contains("logs:CreateLogGroup"));
    assert_eq!(v["Resources"]["CrFunctionLogGroup"]["Properties"]["RetentionInDays"], 365);
    assert_eq!(v["Resources"]["Thing"]["Type"], "Custom::Thing");
    assert_eq!(v["Resources"]["Thing"]["Properties"]["ServiceToken"]["Fn::GetAtt"][0], "CrFunction");
}

#[test]
fn suppressions_are_per_resource_with_reasons() {
    let mut t = Template::new();
    let k = key(&mut t);
    suppress(&mut t, &k.key, Scanner::Checkov, "CKV_X_1", "why one");
    suppress(&mut t, &k.key, Scanner::Checkov, "CKV_X_2", "why two");
    suppress(&mut t, &k.key, Scanner::CdkNag, "Nag-1", "why nag");
    suppress(&mut t, &k.key, Scanner::Guard, "RULE", "why guard");
    let v = json(&t);
    let m = &v["Resources"]["TestKey"]["Metadata"];
    assert_eq!(m["checkov"]["skip"][1], json!({"id": "CKV_X_2", "comment": "why two"}));
    assert_eq!(m["cdk_nag"]["rules_to_suppress"][0]["reason"], "why nag");
    assert_eq!(m["guard"]["SuppressedRules"][0], "RULE");
    assert_eq!(m["guard"]["Reasons"]["RULE"], "why guard");
    assert!(v.get("Metadata").is_none(), "nothing template-wide");
}

#[test]
fn blocks_stay_open_after_they_are_built() {
    let mut t = Template::new();
    let k = key(&mut t);
    let bucket = SecureBucket::new("Audit", "audit-bucket".into(), &k.key).build(&mut t);
    // CloudTrail's documented grants: the ACL check on the bucket, writes under AWSLogs.
    let trail = Grant::service("cloudtrail.amazonaws.com").sid("CloudTrail").from_this_account().condition(
        "StringEquals",
        "s3:x-amz-acl",
        "bucket-owner-full-control",
    );
    bucket.grant_on_bucket(&mut t, &trail, ["s3:GetBucketAcl"]);
    bucket.grant_write(&mut t, &trail, ["AWSLogs/*".into()]);
    let reader = Grant::aws(Expr::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/auditor"));
    // A principal by ARN: the read reaches the bucket's key too.
    bucket.grant_read(&mut t, &reader, ["*".into()]);
    k.grant(
        &mut t,
        Grant::service("cloudtrail.amazonaws.com").condition(
            "StringLike",
            "kms:EncryptionContext:aws:cloudtrail:arn",
            Expr::sub("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"),
        ),
        ["kms:GenerateDataKey*"],
    );
    bucket.add_lifecycle_rule(
        &mut t,
        cfn_template::resources::s3::bucket::Rule {
            id: Some("Inventory".into()),
            prefix: Some("inventory/".into()),
            expiration_in_days: Some(30.into()),
            ..cfn_template::resources::s3::bucket::Rule::new("Enabled")
        },
    );
    // The L1 is reachable too, with its overrides.
    t.get_mut(&bucket.bucket).object_lock_enabled = Some(true.into());
    let v = json(&t);
    let policy = &v["Resources"]["AuditBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(policy[3]["Action"], "s3:GetBucketAcl");
    assert_eq!(policy[3]["Resource"]["Fn::GetAtt"], json!(["AuditBucket", "Arn"]));
    assert_eq!(policy[3]["Condition"]["StringEquals"]["s3:x-amz-acl"], "bucket-owner-full-control");
    assert_eq!(policy[4]["Resource"]["Fn::Sub"], "${AuditBucket.Arn}/AWSLogs/*");
    assert_eq!(policy[5]["Action"], "s3:GetObject");
    assert_eq!(policy[6]["Action"], json!(["s3:GetBucketLocation", "s3:ListBucket"]));
    let key_policy = &v["Resources"]["TestKey"]["Properties"]["KeyPolicy"]["Statement"];
    assert_eq!(key_policy[2]["Action"], json!(["kms:Decrypt", "kms:DescribeKey"]));
    assert!(key_policy[3]["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"].is_object());
    let rules =
        v["Resources"]["AuditBucket"]["Properties"]["LifecycleConfiguration"]["Rules"].as_array().unwrap();
    assert_eq!(rules.last().unwrap()["Prefix"], "inventory/");
    assert_eq!(v["Resources"]["AuditBucket"]["Properties"]["ObjectLockEnabled"], true);
}

#[test]
fn scopes_put_two_instances_in_one_template() {
    let mut t = Template::new();
    for team in ["Red", "Blue"] {
        let mut s = Scope::new(&mut t, team);
        let k = EncryptionKey::new(
            "Audit",
            Expr::concat([Expr::from(format!("alias/{team}-")), Expr::pseudo(cfn_template::Pseudo::Region)]),
        )
        .build(&mut s);
        let b =
            SecureBucket::new("Logs", format!("{}-logs", team.to_lowercase()).into(), &k.key).build(&mut s);
        b.grant_write(&mut s, Grant::service("bedrock.amazonaws.com").from_this_account(), ["x/*".into()]);
        s.child("Inner").add_output("Bucket", cfn_template::Output::new(b.bucket.r#ref()));
    }
    let v = json(&t);
    let ids: Vec<&String> = v["Resources"].as_object().unwrap().keys().collect();
    assert_eq!(
        ids,
        [
            "RedAuditKey",
            "RedAuditKeyAlias",
            "RedLogsBucket",
            "RedLogsBucketPolicy",
            "BlueAuditKey",
            "BlueAuditKeyAlias",
            "BlueLogsBucket",
            "BlueLogsBucketPolicy"
        ]
    );
    assert_eq!(v["Outputs"]["BlueInnerBucket"]["Value"]["Ref"], "BlueLogsBucket");
    let policy = &v["Resources"]["BlueLogsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(policy[0]["Resource"][1]["Fn::Sub"], "${BlueLogsBucket.Arn}/*");
}

#[test]
fn tags_reach_every_taggable_resource_by_the_schemas_facts() {
    let mut t = Template::new();
    let k = key(&mut t);
    SecureBucket::new("Audit", "audit-bucket".into(), &k.key).build(&mut t);
    ServiceRole::new("Svc", "svc".into(), "svc".into(), "bedrock.amazonaws.com".into(), None)
        .allow(Statement::allow().action("logs:PutLogEvents").resource("*"))
        .build(&mut t);
    t.add_aspect(Tags::from_iter([("team", "audit"), ("cost", "123")]));
    let v = json(&t);
    for id in ["TestKey", "AuditBucket", "SvcRole"] {
        assert_eq!(
            v["Resources"][id]["Properties"]["Tags"],
            json!([{"Key": "team", "Value": "audit"}, {"Key": "cost", "Value": "123"}]),
            "{id}"
        );
    }
    for id in ["TestKeyAlias", "AuditBucketPolicy", "SvcPolicy"] {
        assert!(v["Resources"][id]["Properties"].get("Tags").is_none(), "{id} takes no tags");
    }
    // A tag value the schema's pattern refuses fails like any other value.
    t.add_aspect(Tags::from_iter([("bad", "line\nbreak")]));
    let err = t.to_json().unwrap_err().to_string();
    assert!(
        err.contains("Resources.SvcRole: Properties.Tags[2].Value: `line\\nbreak` does not match"),
        "{err}"
    );
}

#[test]
fn a_naming_strategy_may_return_any_expression() {
    struct Staged;
    impl NamingStrategy for Staged {
        fn name(&self, kind: NameKind, base: &str) -> Expr {
            let stage = Expr::r#ref("Stage");
            match kind {
                NameKind::Bucket => {
                    Expr::join("-", [stage, base.into(), Expr::pseudo(cfn_template::Pseudo::AccountId)])
                }
                _ => Expr::concat([stage, Expr::from(format!("-{base}"))]),
            }
        }
    }
    let mut t = Template::new();
    t.add_parameter("Stage", cfn_template::Parameter::new("String"));
    let k = EncryptionKey::new(
        "Test",
        Expr::concat([Expr::from("alias/"), Staged.name(NameKind::KmsAlias, "k")]),
    )
    .build(&mut t);
    let lg = EncryptedLogGroup::new("Audit", Staged.name(NameKind::LogGroup, "logs"), &k.key).build(&mut t);
    let b = SecureBucket::new("Audit", Staged.name(NameKind::Bucket, "audit"), &k.key).build(&mut t);
    k.allow_cloudwatch_logs(&mut t, &[&lg]);
    b.grant_write(&mut t, Grant::service("bedrock.amazonaws.com"), [Staged.name(NameKind::S3Prefix, "p")]);
    let v = json(&t);
    let statements = &v["Resources"]["TestKey"]["Properties"]["KeyPolicy"]["Statement"];
    assert_eq!(
        statements[2]["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]["Fn::Sub"],
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Stage}-logs"
    );
    let policy = &v["Resources"]["AuditBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(policy[3]["Resource"]["Fn::Sub"], "${AuditBucket.Arn}/${Stage}-p");
}

#[test]
fn a_read_grant_gives_its_two_statements_distinct_ids() {
    let mut t = Template::new();
    let k = key(&mut t);
    let bucket = SecureBucket::new("Audit", "audit-bucket".into(), &k.key).build(&mut t);
    let reader =
        Grant::aws(Expr::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/auditor")).sid("Read");
    bucket.grant_read(&mut t, &reader, ["*".into()]);
    let v = json(&t);
    let policy = &v["Resources"]["AuditBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!((&policy[3]["Sid"], &policy[3]["Action"]), (&json!("Read"), &json!("s3:GetObject")));
    assert_eq!(policy[4]["Sid"], "ReadBucket");
    assert_eq!(policy[4]["Resource"]["Fn::GetAtt"], json!(["AuditBucket", "Arn"]));
}

#[test]
fn objects_can_be_left_out_of_the_key_denials_and_only_those() {
    let mut t = Template::new();
    let k = key(&mut t);
    let bucket = SecureBucket::new("Audit", "audit-bucket".into(), &k.key).build(&mut t);
    bucket.exempt_from_key_denials(&mut t, ["AWSLogs/*/CloudTrail-Digest/*".into()]);
    let v = json(&t);
    let policy = &v["Resources"]["AuditBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    for denial in [&policy[1], &policy[2]] {
        assert!(denial["Resource"].is_null(), "{denial}");
        assert_eq!(denial["NotResource"]["Fn::Sub"], "${AuditBucket.Arn}/AWSLogs/*/CloudTrail-Digest/*");
    }
    assert_eq!(policy[0]["Sid"], "DenyInsecureTransport");
    assert_eq!(policy[0]["Resource"][1]["Fn::Sub"], "${AuditBucket.Arn}/*");
}
