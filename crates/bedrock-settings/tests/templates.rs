//! The committed templates: current, deployable, and true to the module's promises.

mod common;

use bedrock_settings::{
    parse_config, synthesize, CheckedConfig, MAX_INLINE_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES,
};
use serde_json::Value;

fn synth(yaml: &str, name: &str) -> (CheckedConfig, String) {
    let config = parse_config(yaml, name).expect("sample configs are valid");
    let json = synthesize(&config).to_json().expect("sample templates are valid");
    (config, json)
}

#[test]
fn committed_templates_are_current() {
    for (name, yaml) in common::samples() {
        let (_, json) = synth(&yaml, &name);
        common::check_generated(common::root().join(format!("templates/{name}.json")), &json);
    }
}

/// Logical IDs are the resources' identities: renaming one replaces the
/// resource, and renaming the custom resource would make CloudFormation
/// delete the configuration it has just put. These must never change.
#[test]
fn logical_ids_are_pinned() {
    let pinned = [
        "AuditKey",
        "AuditKeyAlias",
        "KmsKeyArnParameter",
        // Where the findings of `cloudwatchDataProtection` go.
        "DataProtectionFindingsLogGroup",
        "InvocationLogsLogGroup",
        "LogGroupNameParameter",
        "LogGroupArnParameter",
        "InvocationLogsBucket",
        "InvocationLogsBucketPolicy",
        "BucketNameParameter",
        "BucketArnParameter",
        "BedrockLoggingPolicy",
        "BedrockLoggingRole",
        "ServiceRoleArnParameter",
        "LoggingConfigurationFunctionLogGroup",
        "LoggingConfigurationFunctionPolicy",
        "LoggingConfigurationFunctionRole",
        "LoggingConfigurationFunction",
        "InvocationLoggingConfiguration",
        // The alarms and their topic. A model group's alarms and an address's
        // subscription take their IDs from the group's name and the address.
        "AlarmsTopic",
        "AlarmsTopicPolicy",
        "AlarmsEmail54DB8445Subscription",
        "AlarmTopicArnParameter",
        "TokenInputAccountTotalAlarm",
        "TokenOutputAccountTotalAlarm",
        "TokenInputModelNovaMicroAlarm",
        "TokenOutputModelNovaMicroAlarm",
        "TokenOutputModelClaudeSonnetAlarm",
        "CloudWatchDeliveryFailureAlarm",
        "S3DeliveryFailureAlarm",
        "LargeDataS3DeliveryFailureAlarm",
        // `recommendedAlarms`: each kind for the account and per model group.
        "ThrottlesAccountTotalAlarm",
        "ThrottlesModelNovaMicroAlarm",
        "ThrottlesModelClaudeSonnetAlarm",
        "ServerErrorsAccountTotalAlarm",
        "ServerErrorsModelNovaMicroAlarm",
        "ServerErrorsModelClaudeSonnetAlarm",
        "TpmQuotaModelNovaMicroAlarm",
        "TpmQuotaModelClaudeSonnetAlarm",
        "LatencyP90AccountTotalAlarm",
        "LatencyP90ModelNovaMicroAlarm",
        "LatencyP90ModelClaudeSonnetAlarm",
        "LatencyP99AccountTotalAlarm",
        "LatencyP99ModelNovaMicroAlarm",
        "LatencyP99ModelClaudeSonnetAlarm",
        "TimeToFirstTokenP90AccountTotalAlarm",
        "TimeToFirstTokenP90ModelNovaMicroAlarm",
        "TimeToFirstTokenP90ModelClaudeSonnetAlarm",
        // What `logInsights` makes over the log group.
        "InvocationsMetricFilter",
        "InputTokensMetricFilter",
        "OutputTokensMetricFilter",
        "ErrorsMetricFilter",
        "GuardrailInterventionsMetricFilter",
        "PromptInjectionMetricFilter",
        "PromptInjectionAlarm",
        "SensitiveDataMetricFilter",
        "SensitiveDataAlarm",
        "TokensByCallerAndModelQueryDefinition",
        "ErrorsByCallerQueryDefinition",
        "SlowestRequestsQueryDefinition",
        "LargestRequestsQueryDefinition",
        "TokensByRequestMetadataQueryDefinition",
        "GuardrailInterventionsQueryDefinition",
        "InvocationsDashboard",
        // What `logAnalytics` makes over the bucket.
        "InvocationLogsDatabase",
        "InvocationsTable",
        "QueryResultsBucket",
        "QueryResultsBucketPolicy",
        "InvocationLogsWorkGroup",
        "TokensByCallerModelDayNamedQuery",
        "ErrorRatesNamedQuery",
        "TopCallersNamedQuery",
        "TokensByRequestMetadataNamedQuery",
        "GuardrailInterventionsNamedQuery",
        "LargeBodiesNamedQuery",
        "AthenaWorkgroupNameParameter",
        "QueryInvocationLogsPolicy",
        "QueryPolicyArnParameter",
    ];
    for (name, yaml) in common::samples() {
        let (_, json) = synth(&yaml, &name);
        let ids: Vec<String> = resources(&json).keys().cloned().collect();
        let expected: Vec<&str> = pinned.iter().copied().filter(|id| ids.iter().any(|i| i == id)).collect();
        assert_eq!(ids, expected, "{name}: a logical ID changed, or a resource was added without pinning it");
        assert!(ids.iter().any(|i| i == "InvocationLoggingConfiguration"), "{name}");
    }
}

#[test]
fn synthesis_is_deterministic() {
    for (name, yaml) in common::samples() {
        assert_eq!(synth(&yaml, &name).1, synth(&yaml, &name).1, "{name}");
    }
}

/// Every sample fits inline, except those whose header says "synthesize it
/// with --large-template and deploy it with --s3-bucket"; and those do not
/// fit, or the header is stale.
#[test]
fn templates_fit_the_cli_inline_limit() {
    for (name, yaml) in common::samples() {
        let (_, json) = synth(&yaml, &name);
        if DEPLOYED_THROUGH_S3.contains(&name.as_str()) {
            // Listed only while it needs the bucket, so the list stays true.
            assert!(json.len() > MAX_INLINE_TEMPLATE_BYTES, "{name} fits inline now: unlist it");
            assert!(json.len() <= MAX_TEMPLATE_BYTES, "{name} is {} bytes", json.len());
        } else {
            assert!(json.len() <= MAX_INLINE_TEMPLATE_BYTES, "{name} is {} bytes", json.len());
        }
    }
}

/// The samples whose templates say in their header that they deploy with `--s3-bucket`.
const DEPLOYED_THROUGH_S3: &[&str] = &["analytics", "monitoring-everything"];

#[test]
fn samples_deployed_through_s3_say_so() {
    for (name, yaml) in common::samples() {
        let says = yaml.contains("--large-template") && yaml.contains("--s3-bucket");
        if DEPLOYED_THROUGH_S3.contains(&name.as_str()) {
            assert!(says, "{name} must say how it deploys: --large-template and --s3-bucket");
        }
    }
}

#[test]
fn no_literal_partition_anywhere() {
    for (name, yaml) in common::samples() {
        let (_, json) = synth(&yaml, &name);
        for partition in ["arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"] {
            assert!(!json.contains(partition), "{name} contains {partition}");
        }
    }
}

fn resources(json: &str) -> serde_json::Map<String, Value> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["Resources"].as_object().unwrap().clone()
}

fn of_type<'a>(r: &'a serde_json::Map<String, Value>, ty: &str) -> Vec<(&'a String, &'a Value)> {
    r.iter().filter(|(_, v)| v["Type"] == ty).collect()
}

#[test]
fn every_iam_name_carries_the_region() {
    for (name, yaml) in common::samples() {
        let (_, json) = synth(&yaml, &name);
        let r = resources(&json);
        for (ty, prop) in [("AWS::IAM::Role", "RoleName"), ("AWS::IAM::ManagedPolicy", "ManagedPolicyName")] {
            for (id, res) in of_type(&r, ty) {
                let n = res["Properties"][prop]["Fn::Sub"].as_str().unwrap_or_default();
                assert!(n.contains("${AWS::Region}"), "{name}: {id} {prop} lacks the region");
            }
        }
    }
}

#[test]
fn destinations_follow_the_config() {
    for (name, yaml) in common::samples() {
        let (config, json) = synth(&yaml, &name);
        let r = resources(&json);
        let custom = &of_type(&r, "Custom::BedrockInvocationLogging")[0].1["Properties"];
        assert_eq!(custom.get("S3BucketName").is_some(), config.enable_audit_logging_to_s3, "{name}");
        assert_eq!(
            custom.get("CloudWatchLogGroupName").is_some(),
            config.enable_audit_logging_to_cloudwatch,
            "{name}"
        );
        assert_eq!(custom.get("LargeDataBucketName").is_some(), config.large_data_to_s3(), "{name}");
        // The audit bucket, and the query results' own with `logAnalytics`.
        let buckets = usize::from(config.needs_bucket()) + usize::from(config.log_analytics.is_some());
        assert_eq!(of_type(&r, "AWS::S3::Bucket").len(), buckets, "{name}");
        // The audit log group, when on, its masking's findings, and always the handler's own.
        assert_eq!(
            of_type(&r, "AWS::Logs::LogGroup").len(),
            1 + usize::from(config.enable_audit_logging_to_cloudwatch)
                + usize::from(config.cloudwatch_data_protection.is_some()),
            "{name}"
        );
        let roles = of_type(&r, "AWS::IAM::Role").len();
        assert_eq!(roles, 1 + usize::from(config.enable_audit_logging_to_cloudwatch), "{name}");
        let d = config.data_delivery();
        for (prop, on) in [
            ("TextDataDeliveryEnabled", d.text),
            ("ImageDataDeliveryEnabled", d.image),
            ("EmbeddingDataDeliveryEnabled", d.embedding),
            ("VideoDataDeliveryEnabled", d.video),
            ("AudioDataDeliveryEnabled", d.audio),
        ] {
            assert_eq!(custom[prop], if on { "true" } else { "false" }, "{name} {prop}");
        }
    }
}

#[test]
fn stores_of_audit_data_are_retained_and_encrypted() {
    for (name, yaml) in common::samples() {
        let (_, json) = synth(&yaml, &name);
        let r = resources(&json);
        for ty in ["AWS::KMS::Key", "AWS::S3::Bucket", "AWS::Logs::LogGroup"] {
            for (id, res) in of_type(&r, ty) {
                assert_eq!(res["DeletionPolicy"], "Retain", "{name} {id}");
                assert_eq!(res["UpdateReplacePolicy"], "Retain", "{name} {id}");
            }
        }
        for (id, res) in of_type(&r, "AWS::Logs::LogGroup") {
            assert_eq!(res["Properties"]["KmsKeyId"]["Fn::GetAtt"][0], "AuditKey", "{name} {id}");
        }
        for (id, res) in of_type(&r, "AWS::S3::Bucket") {
            let rule = &res["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0];
            assert_eq!(rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"], "aws:kms", "{name} {id}");
            assert_eq!(rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0], "AuditKey");
        }
        assert_eq!(r["AuditKey"]["Properties"]["EnableKeyRotation"], true);
    }
}

#[test]
fn the_custom_resource_waits_for_everything_bedrock_validates() {
    for (name, yaml) in common::samples() {
        let (config, json) = synth(&yaml, &name);
        let r = resources(&json);
        let deps: Vec<&str> = r["InvocationLoggingConfiguration"]["DependsOn"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(deps.contains(&"AuditKey"), "{name}");
        assert!(deps.contains(&"LoggingConfigurationFunctionPolicy"), "{name}");
        assert_eq!(deps.contains(&"InvocationLogsBucketPolicy"), config.needs_bucket(), "{name}");
        assert_eq!(
            deps.contains(&"BedrockLoggingPolicy"),
            config.enable_audit_logging_to_cloudwatch,
            "{name}"
        );
    }
}

#[test]
fn the_handler_is_embedded_byte_for_byte() {
    let (_, json) = synth(bedrock_settings::DEFAULT_CONFIG_YAML, "default");
    let r = resources(&json);
    let code = r["LoggingConfigurationFunction"]["Properties"]["Code"]["ZipFile"].as_str().unwrap();
    assert_eq!(code, bedrock_settings::HANDLER_SOURCE);
}

#[test]
fn yaml_output_uses_short_form_intrinsics() {
    // That the YAML means the same template as the JSON is checked through
    // cfn-lint's own decoder, in tests/python/template/test_synth_yaml.py.
    for (name, yaml) in common::samples() {
        let config = parse_config(&yaml, &name).unwrap();
        let out = synthesize(&config).to_yaml().unwrap();
        assert!(out.contains("!GetAtt AuditKey.Arn"), "{name}");
        assert!(out.contains("!Sub"), "{name}");
    }
}
