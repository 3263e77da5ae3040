//! One resource of every supported type, plus a parameter, conditions, a
//! mapping and exported outputs, compared with committed fixtures.
//!
//! The fixtures are what `tests/python/template` lints with cfn-lint and
//! decodes with cfn-lint's own JSON and YAML readers. When a change to the
//! crate changes them on purpose, regenerate and review the diff:
//!
//! ```sh
//! UPDATE_FIXTURES=1 cargo test -p cfn-template --test all_resource_types
//! ```

mod support;

use support::{check_fixture, yaml_meaning};

use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::custom::CustomResource;
use cfn_template::resources::iam::{InlinePolicy, ManagedPolicy, Policy, Role};
use cfn_template::resources::kms::{Alias, Key};
use cfn_template::resources::lambda::{Code, Environment, Function, LoggingConfig};
use cfn_template::resources::logs::LogGroup;
use cfn_template::resources::s3::{
    AbortIncompleteMultipartUpload, Bucket, BucketEncryption, BucketPolicy, LifecycleConfiguration,
    LifecycleRule, NoncurrentVersionExpiration, NoncurrentVersionTransition, OwnershipControls,
    PublicAccessBlockConfiguration, Transition, VersioningConfiguration,
};
use cfn_template::resources::{attributes_of, ssm, Tag};
use cfn_template::{Attributes, CondExpr, Expr, Output, Parameter, Pseudo, Template};
use serde_json::json;

/// The inline handler: enough Python to show that code survives both
/// formats byte for byte (quotes, `#`, `:`, `${`, blank lines, indentation).
const HANDLER: &str = r#"import json
import os


def handler(event, context):
    # Echo the settings back: "${not a Sub variable}" stays as it is.
    level = os.environ.get("LOG_LEVEL", "INFO")
    data = {"Level": level, 'Keys': sorted(event.get("ResourceProperties", {}))}

    return json.dumps(data)
"#;

fn tags() -> Option<Vec<Tag>> {
    Some(vec![Tag::new("project", "bedrock-settings"), Tag::new("stack", Expr::pseudo(Pseudo::StackName))])
}

fn account_root() -> Principal {
    Principal::aws(Expr::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"))
}

fn same_account() -> Expr {
    Expr::pseudo(Pseudo::AccountId)
}

/// The template the fixtures hold.
fn all_resource_types() -> Template {
    let mut t = Template::new();
    t.set_description("Every resource type cfn-template models, for cfn-lint and the format tests.");
    t.set_metadata("Purpose", json!({"Fixture": "all-resource-types"}));

    let env = t.add_parameter(
        "Environment",
        Parameter::new("String")
            .description("Deployment stage")
            .default_value("dev")
            .allowed_values(["dev", "staging", "prod"]),
    );
    t.add_mapping(
        "StageSettings",
        json!({
            "dev": {"LogLevel": "DEBUG", "Tier": "Standard"},
            "staging": {"LogLevel": "INFO", "Tier": "Standard"},
            "prod": {"LogLevel": "WARN", "Tier": "Advanced"},
        }),
    );
    let is_prod = t.add_condition("IsProd", CondExpr::equals(env.r#ref(), "prod"));
    let is_dev = t.add_condition("IsDev", CondExpr::equals(env.r#ref(), "dev"));
    let not_dev = t.add_condition("IsNotDev", CondExpr::not(CondExpr::named(&is_dev)));
    let shared = t.add_condition(
        "IsShared",
        CondExpr::or([CondExpr::named(&is_prod), CondExpr::equals(env.r#ref(), "staging")]),
    );
    let audited =
        t.add_condition("IsAudited", CondExpr::and([CondExpr::named(&not_dev), CondExpr::named(&shared)]));

    let key = t.add_with(
        "AuditKey",
        Key {
            description: Some("Encrypts the audit bucket, log group and function settings".into()),
            enabled: Some(true),
            enable_key_rotation: Some(true),
            key_policy: PolicyDocument::new(vec![
                Statement::allow()
                    .sid("AccountAdmin")
                    .principal(account_root())
                    .action("kms:*")
                    .resource("*"),
                Statement::allow()
                    .sid("CloudWatchLogs")
                    .principal(Principal::service(Expr::sub("logs.${AWS::Region}.${AWS::URLSuffix}")))
                    .actions(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"])
                    .resource("*")
                    .condition(
                        "ArnLike",
                        "kms:EncryptionContext:aws:logs:arn",
                        Expr::sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"),
                    ),
            ]),
            key_spec: Some("SYMMETRIC_DEFAULT".into()),
            key_usage: Some("ENCRYPT_DECRYPT".into()),
            multi_region: Some(false),
            pending_window_in_days: Some(30),
            tags: tags(),
        },
        Attributes::new().retain().metadata("Comment", json!("Audit data outlives the stack")),
    );

    t.add(
        "AuditKeyAlias",
        Alias { alias_name: Expr::sub("alias/bedrock-settings-${AWS::Region}"), target_key_id: key.r#ref() },
    );

    let bucket = t.add_with(
        "AuditBucket",
        Bucket {
            bucket_name: Some(Expr::sub("audit-${AWS::AccountId}-${AWS::Region}")),
            bucket_encryption: Some(BucketEncryption::kms(key.arn())),
            versioning_configuration: Some(VersioningConfiguration::enabled()),
            public_access_block_configuration: Some(PublicAccessBlockConfiguration::all()),
            ownership_controls: Some(OwnershipControls::bucket_owner_enforced()),
            lifecycle_configuration: Some(LifecycleConfiguration {
                rules: vec![LifecycleRule {
                    id: Some("ArchiveThenExpire".into()),
                    prefix: Some("logs/".into()),
                    expiration_in_days: Some(3650),
                    transitions: Some(vec![Transition {
                        storage_class: "GLACIER".into(),
                        transition_in_days: 365,
                    }]),
                    noncurrent_version_expiration: Some(NoncurrentVersionExpiration { noncurrent_days: 400 }),
                    noncurrent_version_transitions: Some(vec![NoncurrentVersionTransition {
                        storage_class: "STANDARD_IA".into(),
                        transition_in_days: 30,
                    }]),
                    abort_incomplete_multipart_upload: Some(AbortIncompleteMultipartUpload {
                        days_after_initiation: 7,
                    }),
                    ..LifecycleRule::default()
                }],
            }),
            object_lock_enabled: Some(false),
            tags: tags(),
        },
        Attributes::new().retain(),
    );

    let bucket_policy = t.add(
        "AuditBucketPolicy",
        BucketPolicy {
            bucket: bucket.name(),
            policy_document: PolicyDocument::new(vec![
                Statement::deny()
                    .sid("DenyInsecureTransport")
                    .principal(Principal::Any)
                    .action("s3:*")
                    .resources([bucket.arn(), Expr::sub("${AuditBucket.Arn}/*")])
                    .condition("Bool", "aws:SecureTransport", false),
                Statement::allow()
                    .sid("BedrockWrites")
                    .principal(Principal::service("bedrock.amazonaws.com"))
                    .action("s3:PutObject")
                    .resource(Expr::sub_with("${Arn}/AWSLogs/${AWS::AccountId}/*", [("Arn", bucket.arn())]))
                    .condition("StringEquals", "aws:SourceAccount", same_account())
                    .condition_values(
                        "ArnLike",
                        "aws:SourceArn",
                        [
                            Expr::sub("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:*"),
                            Expr::sub(
                                "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:model/*",
                            ),
                        ],
                    ),
            ]),
        },
    );

    let log_group = t.add_with(
        "HandlerLogs",
        LogGroup {
            log_group_name: Some(Expr::sub("/bedrock-settings/handler-${AWS::Region}")),
            kms_key_id: Some(key.arn()),
            retention_in_days: Some(365),
            log_group_class: Some("STANDARD".into()),
            tags: tags(),
        },
        Attributes::new().retain(),
    );

    let role = t.add(
        "HandlerRole",
        Role {
            role_name: Some(Expr::sub("bedrock-settings-handler-${AWS::Region}")),
            description: Some("Runs the settings handler".into()),
            assume_role_policy_document: PolicyDocument::new(vec![Statement::allow()
                .principal(Principal::service("lambda.amazonaws.com"))
                .action("sts:AssumeRole")
                .condition("StringEquals", "aws:SourceAccount", same_account())]),
            managed_policy_arns: Some(vec![Expr::sub(
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            )]),
            max_session_duration: Some(3600),
            path: Some("/bedrock-settings/".into()),
            permissions_boundary: Some(Expr::sub(
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/boundary",
            )),
            policies: Some(vec![InlinePolicy {
                policy_name: "WriteOwnLogs".into(),
                policy_document: PolicyDocument::new(vec![Statement::allow()
                    .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                    .resource(Expr::sub("${HandlerLogs.Arn}"))]),
            }]),
            tags: tags(),
        },
    );

    let managed = t.add(
        "HandlerKeyAccess",
        ManagedPolicy {
            managed_policy_name: Some(Expr::sub("bedrock-settings-key-${AWS::Region}")),
            description: Some("Lets the handler read its encrypted settings".into()),
            path: Some("/bedrock-settings/".into()),
            policy_document: PolicyDocument::new(vec![Statement::allow()
                .action("kms:Decrypt")
                .resource(key.arn())]),
            roles: Some(vec![role.name()]),
            users: Some(vec!["auditor".into()]),
            groups: Some(vec!["auditors".into()]),
        },
    );

    let inline = t.add(
        "HandlerBedrockAccess",
        Policy {
            policy_name: "BedrockLoggingConfiguration".into(),
            policy_document: PolicyDocument::new(vec![Statement::allow()
                .sid("NoResourceLevelPermissions")
                .actions([
                    "bedrock:GetModelInvocationLoggingConfiguration",
                    "bedrock:PutModelInvocationLoggingConfiguration",
                    "bedrock:DeleteModelInvocationLoggingConfiguration",
                ])
                .resource("*")]),
            roles: Some(vec![role.name()]),
            users: None,
            groups: None,
        },
    );

    let function = t.add_with(
        "Handler",
        Function {
            function_name: Some(Expr::sub("bedrock-settings-${AWS::Region}")),
            description: Some("Applies the settings".into()),
            runtime: Some("python3.13".into()),
            handler: Some("index.handler".into()),
            timeout: Some(60),
            memory_size: Some(128),
            architectures: Some(vec!["arm64".into()]),
            environment: Some(Environment {
                variables: [
                    (
                        "LOG_LEVEL".to_string(),
                        Expr::find_in_map("StageSettings", env.r#ref(), "LogLevel".into()),
                    ),
                    ("AUDIT".to_string(), Expr::if_(&audited, "on".into(), "off".into())),
                ]
                .into_iter()
                .collect(),
            }),
            kms_key_arn: Some(key.arn()),
            logging_config: Some(LoggingConfig {
                log_group: Some(log_group.name()),
                log_format: Some("JSON".into()),
                application_log_level: Some("INFO".into()),
                system_log_level: Some("WARN".into()),
            }),
            reserved_concurrent_executions: Some(1),
            tags: tags(),
            ..Function::new(Code::inline(HANDLER), role.arn())
        },
        Attributes::new().depends_on(&inline).depends_on(&managed),
    );

    let settings = t.add_with(
        "Settings",
        CustomResource::new("BedrockSettings", function.arn())
            .service_timeout(600)
            .property("Stage", env.r#ref())
            .property("Bucket", bucket.name())
            .property("BucketDomain", bucket.regional_domain_name())
            .property("Prefix", Expr::join("/", [Expr::from("logs"), Expr::pseudo(Pseudo::Region)]))
            .property("FirstZone", Expr::select(0, Expr::get_azs("".into())))
            .property("KeyId", Expr::select(1, Expr::split("/", key.arn())))
            .property("Banner", Expr::base64(Expr::sub("stack ${AWS::StackName} (${AWS::StackId})")))
            .property("Shared", Expr::import_value(Expr::sub("${AWS::StackName}-SharedTopic")))
            .property("Strict", Expr::if_(&is_prod, "true".into(), Expr::no_value()))
            .property("Stage2", Expr::if_(&shared, "shared".into(), "private".into())),
        Attributes::new()
            .depends_on(&bucket_policy)
            .metadata("Comment", json!({"Why": "Bedrock checks the bucket policy"})),
    );

    let parameter = t.add_with(
        "StageParameter",
        ssm::Parameter {
            description: Some("The settings of this stage".into()),
            tier: Some(Expr::find_in_map("StageSettings", env.r#ref(), "Tier".into())),
            tags: Some([("project".to_string(), Expr::from("bedrock-settings"))].into_iter().collect()),
            ..ssm::Parameter::string(
                Expr::sub("/bedrock-settings/${AWS::Region}/stage"),
                settings.attribute("Stage"),
            )
        },
        Attributes::new().condition(&is_prod),
    );

    t.add_output(
        "AuditKeyArn",
        Output::new(key.arn())
            .description("The audit key")
            .export(Expr::sub("${AWS::StackName}-AuditKeyArn")),
    );
    t.add_output(
        "AuditBucketName",
        Output::new(bucket.name()).export(Expr::sub("${AWS::StackName}-AuditBucket")),
    );
    t.add_output("HandlerRoleId", Output::new(role.role_id()));
    t.add_output("HandlerPolicyIds", Output::new(Expr::join(",", [inline.id(), managed.policy_id()])));
    t.add_output("StageValue", Output::new(parameter.value()).condition(&is_prod));
    t
}

#[test]
fn json_fixture_is_current() {
    check_fixture("all-resource-types.json", &all_resource_types().to_json().expect("valid template"));
}

#[test]
fn yaml_fixture_is_current() {
    check_fixture("all-resource-types.yaml", &all_resource_types().to_yaml().expect("valid template"));
}

#[test]
fn yaml_means_the_same_as_json() {
    let t = all_resource_types();
    let json: serde_json::Value = serde_json::from_str(&t.to_json().unwrap()).unwrap();
    assert_eq!(yaml_meaning(&t.to_yaml().unwrap()), json);
}

#[test]
fn output_is_deterministic() {
    let (a, b) = (all_resource_types(), all_resource_types());
    assert_eq!(a.to_json().unwrap().as_bytes(), b.to_json().unwrap().as_bytes());
    assert_eq!(a.to_yaml().unwrap().as_bytes(), b.to_yaml().unwrap().as_bytes());
    // Writing does not change the template, so writing again gives the same bytes too.
    assert_eq!(a.to_json().unwrap(), a.to_json().unwrap());
}

#[test]
fn json_is_pretty_with_a_trailing_newline() {
    let json = all_resource_types().to_json().unwrap();
    assert!(json.starts_with("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n"));
    assert!(json.ends_with("}\n") && !json.ends_with("\n\n"));
}

#[test]
fn every_modelled_type_is_in_the_template() {
    let t = all_resource_types();
    let types: Vec<&str> = t.resources().iter().map(|r| r.resource_type.as_str()).collect();
    for ty in [
        Key::TYPE,
        Alias::TYPE,
        Bucket::TYPE,
        BucketPolicy::TYPE,
        LogGroup::TYPE,
        Role::TYPE,
        ManagedPolicy::TYPE,
        Policy::TYPE,
        Function::TYPE,
        ssm::Parameter::TYPE,
    ] {
        assert!(types.contains(&ty), "{ty} is missing from the fixture");
        assert!(attributes_of(ty).is_some(), "{ty} has no attribute table");
    }
    assert!(types.iter().any(|t| t.starts_with("Custom::")));
}
