//! Typed resources: property names as CloudFormation's resource reference
//! spells them (checked against its published resource schemas, which
//! cfn-lint ships and applies to the all-resource-types fixture), unset
//! optional properties left out, and handles that give the right `Ref` or
//! `Fn::GetAtt`.

use cfn_template::policy::{PolicyDocument, Statement};
use cfn_template::resources::custom::CustomResource;
use cfn_template::resources::iam::{InlinePolicy, ManagedPolicy, Policy, Role};
use cfn_template::resources::kms::{Alias, Key};
use cfn_template::resources::lambda::{Code, Environment, Function, LoggingConfig};
use cfn_template::resources::logs::LogGroup;
use cfn_template::resources::s3::{
    Bucket, BucketEncryption, BucketPolicy, LifecycleConfiguration, LifecycleRule, OwnershipControls,
    PublicAccessBlockConfiguration, VersioningConfiguration,
};
use cfn_template::resources::{attributes_of, ssm, Resource, Tag};
use cfn_template::{Attributes, Expr, Handle, Policy as Retention, Template};
use serde_json::{json, Value};

fn props<R: Resource>(r: &R) -> Value {
    serde_json::to_value(r).unwrap()
}

fn doc() -> PolicyDocument {
    PolicyDocument::new(vec![Statement::allow().action("s3:GetObject").resource("*")])
}

fn doc_json() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
}

#[test]
fn unset_optional_properties_are_omitted() {
    assert_eq!(props(&Bucket::default()), json!({}));
    assert_eq!(props(&LogGroup::default()), json!({}));
    assert_eq!(
        props(&Role::default()),
        json!({"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}})
    );
    assert_eq!(
        props(&Function::new(Code::inline("x"), "arn".into())),
        json!({"Code": {"ZipFile": "x"}, "Role": "arn"})
    );
    let mut t = Template::new();
    t.add("Logs", Bucket::default());
    assert_eq!(t.to_value()["Resources"]["Logs"], json!({"Type": "AWS::S3::Bucket"}));
}

#[test]
fn kms_key_and_alias() {
    let key = Key {
        description: Some("d".into()),
        enabled: Some(true),
        enable_key_rotation: Some(true),
        key_policy: doc(),
        key_spec: Some("SYMMETRIC_DEFAULT".into()),
        key_usage: Some("ENCRYPT_DECRYPT".into()),
        multi_region: Some(false),
        pending_window_in_days: Some(7),
        tags: Some(vec![Tag::new("k", "v")]),
    };
    assert_eq!(key.resource_type(), "AWS::KMS::Key");
    assert_eq!(
        props(&key),
        json!({
            "Description": "d", "Enabled": true, "EnableKeyRotation": true, "KeyPolicy": doc_json(),
            "KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT", "MultiRegion": false,
            "PendingWindowInDays": 7, "Tags": [{"Key": "k", "Value": "v"}],
        })
    );
    let alias = Alias { alias_name: "alias/a".into(), target_key_id: Expr::r#ref("Key") };
    assert_eq!(alias.resource_type(), "AWS::KMS::Alias");
    assert_eq!(props(&alias), json!({"AliasName": "alias/a", "TargetKeyId": {"Ref": "Key"}}));
}

#[test]
fn s3_bucket_and_policy() {
    let bucket = Bucket {
        bucket_name: Some("b-1".into()),
        bucket_encryption: Some(BucketEncryption::kms(Expr::get_att("Key", "Arn"))),
        versioning_configuration: Some(VersioningConfiguration::enabled()),
        public_access_block_configuration: Some(PublicAccessBlockConfiguration::all()),
        ownership_controls: Some(OwnershipControls::bucket_owner_enforced()),
        lifecycle_configuration: Some(LifecycleConfiguration {
            rules: vec![LifecycleRule { expiration_in_days: Some(30), ..LifecycleRule::default() }],
        }),
        object_lock_enabled: Some(false),
        tags: None,
    };
    assert_eq!(bucket.resource_type(), "AWS::S3::Bucket");
    assert_eq!(
        props(&bucket),
        json!({
            "BucketName": "b-1",
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                "BucketKeyEnabled": true,
                "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]}},
            }]},
            "VersioningConfiguration": {"Status": "Enabled"},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "LifecycleConfiguration": {"Rules": [{"Status": "Enabled", "ExpirationInDays": 30}]},
            "ObjectLockEnabled": false,
        })
    );
    let policy = BucketPolicy { bucket: Expr::r#ref("B"), policy_document: doc() };
    assert_eq!(policy.resource_type(), "AWS::S3::BucketPolicy");
    assert_eq!(props(&policy), json!({"Bucket": {"Ref": "B"}, "PolicyDocument": doc_json()}));
}

#[test]
fn log_group() {
    let g = LogGroup {
        log_group_name: Some("/x".into()),
        kms_key_id: Some("arn:k".into()),
        retention_in_days: Some(30),
        log_group_class: Some("STANDARD".into()),
        tags: None,
    };
    assert_eq!(g.resource_type(), "AWS::Logs::LogGroup");
    assert_eq!(
        props(&g),
        json!({"LogGroupName": "/x", "KmsKeyId": "arn:k", "RetentionInDays": 30, "LogGroupClass": "STANDARD"})
    );
}

#[test]
fn iam_role_managed_policy_and_policy() {
    let role = Role {
        role_name: Some("r".into()),
        description: Some("d".into()),
        assume_role_policy_document: doc(),
        managed_policy_arns: Some(vec!["arn:m".into()]),
        max_session_duration: Some(3600),
        path: Some("/p/".into()),
        permissions_boundary: Some("arn:b".into()),
        policies: Some(vec![InlinePolicy { policy_name: "p".into(), policy_document: doc() }]),
        tags: Some(vec![Tag::new("k", "v")]),
    };
    assert_eq!(role.resource_type(), "AWS::IAM::Role");
    assert_eq!(
        props(&role),
        json!({
            "RoleName": "r", "Description": "d", "AssumeRolePolicyDocument": doc_json(),
            "ManagedPolicyArns": ["arn:m"], "MaxSessionDuration": 3600, "Path": "/p/",
            "PermissionsBoundary": "arn:b", "Policies": [{"PolicyName": "p", "PolicyDocument": doc_json()}],
            "Tags": [{"Key": "k", "Value": "v"}],
        })
    );
    let managed = ManagedPolicy {
        managed_policy_name: Some("m".into()),
        description: Some("d".into()),
        path: Some("/".into()),
        policy_document: doc(),
        roles: Some(vec!["r".into()]),
        users: Some(vec!["u".into()]),
        groups: Some(vec!["g".into()]),
    };
    assert_eq!(managed.resource_type(), "AWS::IAM::ManagedPolicy");
    assert_eq!(
        props(&managed),
        json!({
            "ManagedPolicyName": "m", "Description": "d", "Path": "/", "PolicyDocument": doc_json(),
            "Roles": ["r"], "Users": ["u"], "Groups": ["g"],
        })
    );
    let policy = Policy {
        policy_name: "p".into(),
        policy_document: doc(),
        roles: Some(vec!["r".into()]),
        users: Some(vec!["u".into()]),
        groups: Some(vec!["g".into()]),
    };
    assert_eq!(policy.resource_type(), "AWS::IAM::Policy");
    assert_eq!(
        props(&policy),
        json!({"PolicyName": "p", "PolicyDocument": doc_json(), "Roles": ["r"], "Users": ["u"], "Groups": ["g"]})
    );
}

#[test]
fn lambda_function() {
    let f = Function {
        function_name: Some("f".into()),
        description: Some("d".into()),
        runtime: Some("python3.13".into()),
        handler: Some("index.handler".into()),
        timeout: Some(30),
        memory_size: Some(256),
        architectures: Some(vec!["arm64".into()]),
        environment: Some(Environment {
            variables: [("A".to_string(), Expr::from("1"))].into_iter().collect(),
        }),
        kms_key_arn: Some("arn:k".into()),
        logging_config: Some(LoggingConfig {
            log_group: Some("/g".into()),
            log_format: Some("JSON".into()),
            application_log_level: Some("INFO".into()),
            system_log_level: Some("WARN".into()),
        }),
        reserved_concurrent_executions: Some(2),
        tags: None,
        ..Function::new(Code::inline("print(1)\n"), Expr::get_att("Role", "Arn"))
    };
    assert_eq!(f.resource_type(), "AWS::Lambda::Function");
    assert_eq!(
        props(&f),
        json!({
            "FunctionName": "f", "Description": "d", "Runtime": "python3.13", "Handler": "index.handler",
            "Code": {"ZipFile": "print(1)\n"}, "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 30,
            "MemorySize": 256, "Architectures": ["arm64"], "Environment": {"Variables": {"A": "1"}},
            "KmsKeyArn": "arn:k",
            "LoggingConfig": {"LogGroup": "/g", "LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "WARN"},
            "ReservedConcurrentExecutions": 2,
        })
    );
    let from_s3 = Code { s3_bucket: Some("b".into()), s3_key: Some("k.zip".into()), ..Code::default() };
    assert_eq!(serde_json::to_value(&from_s3).unwrap(), json!({"S3Bucket": "b", "S3Key": "k.zip"}));
}

#[test]
fn ssm_parameter() {
    let p = ssm::Parameter {
        description: Some("d".into()),
        tier: Some("Standard".into()),
        tags: Some([("k".to_string(), Expr::from("v"))].into_iter().collect()),
        ..ssm::Parameter::string("/a/b", "v")
    };
    assert_eq!(p.resource_type(), "AWS::SSM::Parameter");
    assert_eq!(
        props(&p),
        json!({"Name": "/a/b", "Type": "String", "Value": "v", "Description": "d", "Tier": "Standard", "Tags": {"k": "v"}})
    );
}

#[test]
fn custom_resource() {
    let c =
        CustomResource::new("Settings", Expr::get_att("Fn", "Arn")).property("B", "x").property("A", true);
    assert_eq!(c.resource_type(), "Custom::Settings");
    // Properties keep the order they were given in, after ServiceToken.
    assert_eq!(
        serde_json::to_string(&props(&c)).unwrap(),
        r#"{"ServiceToken":{"Fn::GetAtt":["Fn","Arn"]},"B":"x","A":true}"#
    );
}

#[test]
fn handles_give_refs_and_attributes() {
    let mut t = Template::new();
    let key = t.add("K", Key::default());
    let alias = t.add("A", Alias { alias_name: "alias/a".into(), target_key_id: key.r#ref() });
    let bucket = t.add("B", Bucket::default());
    let group = t.add("G", LogGroup::default());
    let role = t.add("R", Role::default());
    let managed = t.add("M", ManagedPolicy::default());
    let policy = t.add(
        "P",
        Policy { policy_name: "p".into(), policy_document: doc(), roles: None, users: None, groups: None },
    );
    let function = t.add("F", Function::new(Code::inline("x"), role.arn()));
    let parameter = t.add("S", ssm::Parameter::string("/s", "v"));
    let custom = t.add("C", CustomResource::new("X", function.arn()));
    let att = |id: &str, a: &str| Expr::get_att(id, a);
    let cases: Vec<(Expr, Expr)> = vec![
        (key.arn(), att("K", "Arn")),
        (key.key_id(), att("K", "KeyId")),
        (key.r#ref(), Expr::r#ref("K")),
        (alias.name(), Expr::r#ref("A")),
        (bucket.arn(), att("B", "Arn")),
        (bucket.name(), Expr::r#ref("B")),
        (bucket.domain_name(), att("B", "DomainName")),
        (bucket.dual_stack_domain_name(), att("B", "DualStackDomainName")),
        (bucket.regional_domain_name(), att("B", "RegionalDomainName")),
        (bucket.website_url(), att("B", "WebsiteURL")),
        (group.arn(), att("G", "Arn")),
        (group.name(), Expr::r#ref("G")),
        (role.arn(), att("R", "Arn")),
        (role.role_id(), att("R", "RoleId")),
        (role.name(), Expr::r#ref("R")),
        (managed.arn(), Expr::r#ref("M")),
        (managed.policy_id(), att("M", "PolicyId")),
        (policy.id(), att("P", "Id")),
        (function.arn(), att("F", "Arn")),
        (function.name(), Expr::r#ref("F")),
        (parameter.name(), Expr::r#ref("S")),
        (parameter.value(), att("S", "Value")),
        (parameter.parameter_type(), att("S", "Type")),
        (custom.attribute("Out"), att("C", "Out")),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
        // Every attribute a handle offers is one CloudFormation documents.
        if let Expr::GetAtt(id, a) = &got {
            let ty = &t.resources().iter().find(|r| &r.logical_id == id).unwrap().resource_type;
            assert!(attributes_of(ty).is_none_or(|all| all.contains(&a.as_str())), "{ty} has no {a}");
        }
    }
    assert_eq!(key.logical_id(), "K");
    assert_eq!(format!("{key:?}"), "Handle(K)");
    assert_eq!(key.clone(), key);
}

#[test]
fn attributes_are_written_in_cloudformation_order() {
    let mut t = Template::new();
    let first = t.add("First", Bucket::default());
    t.add_condition("C", cfn_template::CondExpr::equals("a", "a"));
    let second = t.add_with(
        "Second",
        Bucket { bucket_name: Some("b-2".into()), ..Bucket::default() },
        Attributes::new()
            .metadata("cfn-lint", json!({"config": {}}))
            .retain()
            .condition("C")
            .depends_on(&first)
            .depends_on_id("First")
            .depends_on_id("Third"),
    );
    t.add("Third", Bucket::default());
    assert_eq!(
        serde_json::to_string(&t.to_value()["Resources"]["Second"]).unwrap(),
        r#"{"Type":"AWS::S3::Bucket","Condition":"C","DependsOn":["First","Third"],"Properties":{"BucketName":"b-2"},"DeletionPolicy":"Retain","UpdateReplacePolicy":"Retain","Metadata":{"cfn-lint":{"config":{}}}}"#
    );
    t.attributes_mut(&second).depends_on = vec!["First".into(), "First".into()];
    t.attributes_mut(&second).deletion_policy = Some(Retention::RetainExceptOnCreate);
    t.attributes_mut(&second).update_replace_policy = Some(Retention::Delete);
    let written = &t.to_value()["Resources"]["Second"];
    assert_eq!(written["DependsOn"], json!("First"));
    assert_eq!(written["DeletionPolicy"], json!("RetainExceptOnCreate"));
    assert_eq!(written["UpdateReplacePolicy"], json!("Delete"));
    let _: &Handle<Bucket> = &second;
}

#[test]
fn template_sections_in_order() {
    use cfn_template::{CondExpr, Output, Parameter};
    let mut t = Template::new();
    t.add_output("O", Output::new(Expr::r#ref("P")).description("d").export("e").condition("C"));
    t.add("R", Bucket::default());
    t.add_condition("C", CondExpr::equals(Expr::r#ref("P"), "x"));
    t.add_mapping("M", json!({"a": {"b": "c"}}));
    t.add_parameter(
        "P",
        Parameter::new("String")
            .description("p")
            .default_value("x")
            .allowed_values(["x", "y"])
            .allowed_pattern("[a-z]")
            .constraint_description("lowercase")
            .length(1, 2)
            .no_echo(),
    );
    t.set_metadata("Note", json!("n"));
    t.set_description("desc");
    assert_eq!(t.description(), Some("desc"));
    assert_eq!(t.metadata()["Note"], json!("n"));
    let v = t.to_value();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Metadata",
            "Parameters",
            "Mappings",
            "Conditions",
            "Resources",
            "Outputs"
        ]
    );
    assert_eq!(
        v["Parameters"]["P"],
        json!({
            "Type": "String", "Default": "x", "Description": "p", "AllowedValues": ["x", "y"],
            "AllowedPattern": "[a-z]", "ConstraintDescription": "lowercase", "MinLength": 1, "MaxLength": 2,
            "NoEcho": true,
        })
    );
    assert_eq!(
        serde_json::to_string(&v["Outputs"]["O"]).unwrap(),
        r#"{"Description":"d","Condition":"C","Value":{"Ref":"P"},"Export":{"Name":"e"}}"#
    );
    assert_eq!(v["AWSTemplateFormatVersion"], json!(cfn_template::FORMAT_VERSION));
}
