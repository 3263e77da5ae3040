//! Each building block on its own: secure defaults without configuration.

use cfn_constructs::{
    suppress, AccountRegional, AuditBucket, BucketWriter, CustomResourceFunction, EncryptedLogGroup,
    EncryptionKey, Lifecycle, NameKind, NamingStrategy, RetentionDays, Scanner, ServiceRole, PYTHON_RUNTIME,
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

#[test]
fn account_regional_names_carry_region_and_account() {
    let n = AccountRegional;
    assert_eq!(n.name(NameKind::Bucket, "logs"), Expr::sub("logs-${AWS::AccountId}-${AWS::Region}"));
    assert_eq!(n.name(NameKind::KmsAlias, "k"), Expr::sub("alias/k-${AWS::Region}"));
    assert_eq!(n.name(NameKind::IamRole, "r"), Expr::sub("r-${AWS::Region}"));
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
    EncryptionKey::new("Test", "alias/x".into())
        .allow_service(
            "Svc",
            "svc.amazonaws.com".into(),
            &["kms:GenerateDataKey"],
            Expr::sub("arn:${AWS::Partition}:svc:${AWS::Region}:${AWS::AccountId}:*"),
        )
        .allow_cloudwatch_logs(vec!["/a".into(), Expr::sub("/b-${AWS::Region}")])
        .build(&mut t);
    let v = json(&t);
    let s = &v["Resources"]["TestKey"]["Properties"]["KeyPolicy"]["Statement"];
    assert_eq!(s[2]["Condition"]["StringEquals"]["aws:SourceAccount"], json!({"Ref": "AWS::AccountId"}));
    assert!(s[2]["Condition"]["ArnLike"]["aws:SourceArn"].is_object());
    assert_eq!(
        s[3]["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].as_array().unwrap().len(),
        2
    );
    assert_eq!(s[3]["Principal"]["Service"]["Fn::Sub"], "logs.${AWS::Region}.${AWS::URLSuffix}");
}

#[test]
fn audit_bucket_defaults_are_locked_down() {
    let mut t = Template::new();
    let k = key(&mut t);
    AuditBucket::new("Audit", Expr::sub("audit-${AWS::AccountId}-${AWS::Region}"), &k.key)
        .writer(BucketWriter {
            sid: "Writer".into(),
            service: "bedrock.amazonaws.com".into(),
            key_patterns: vec!["logs/*".into()],
            source_arn: Expr::sub("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:*"),
        })
        .build(&mut t);
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
    assert_eq!(policy[0]["Condition"]["Bool"]["aws:SecureTransport"], "false");
    assert_eq!(policy[3]["Resource"]["Fn::Sub"], "${AuditBucket.Arn}/logs/*");
    assert!(policy[3]["Condition"]["ArnLike"]["aws:SourceArn"].is_object());
}

#[test]
fn lifecycle_never_transitions_after_expiry() {
    let mut t = Template::new();
    let k = key(&mut t);
    AuditBucket::new("Audit", "audit-bucket".into(), &k.key)
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
    let trust = &role["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(trust["Principal"]["Service"], "bedrock.amazonaws.com");
    assert!(trust["Condition"]["StringEquals"]["aws:SourceAccount"].is_object());
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
