//! What a stack MDAA's bedrock-settings module deployed holds, so that this
//! module's template, written with MDAA's naming, updates that stack in
//! place: MDAA's construct paths for the resources both have (their logical
//! IDs follow), what MDAA publishes that this module otherwise does not, and
//! MDAA's custom resource, whose logging configuration this one adopts.
//!
//! The paths are read off MDAA's sources (v1.6.0): the L3 construct is
//! `construct` in the stack; `MdaaParamAndOutput` adds `<type>-<resource>-<name>`
//! under the resource's construct, with `ssm` and `out` children;
//! `MdaaCustomResource` puts its handler's role, policy and function at the
//! stack's top level as `custom-<resourceType>-handler-…`. The bedrock-settings
//! tests reproduce every logical ID of MDAA's synthesized template from them.

use cfn_constructs::Published;

/// The construct path of MDAA's custom resource: its Delete turns logging
/// off, and its service token (a CDK provider framework) cannot change.
pub const MDAA_CUSTOM_RESOURCE: &str = "construct/bedrock-settings-cr/Default";

/// This module's logical IDs and the construct paths of MDAA's resources
/// and outputs they stand for. What is not listed (the custom resource, the
/// handler's managed policy, which MDAA writes as an inline policy of
/// another type, and what MDAA does not have) keeps this module's IDs.
pub const MDAA_CONSTRUCT_PATHS: &[(&str, &str)] = &[
    ("AuditKey", "construct/bedrock-kms-key/Resource"),
    ("AuditKeyAlias", "construct/bedrock-kms-key/Alias/Resource"),
    ("KmsKeyArnParameter", "construct/bedrock-kms-key/kms-bedrock-kms-key-arn/ssm/Resource"),
    ("KmsKeyArn", "construct/bedrock-kms-key/kms-bedrock-kms-key-arn/out"),
    ("KmsKeyIdParameter", "construct/bedrock-kms-key/kms-bedrock-kms-key-id/ssm/Resource"),
    ("KmsKeyId", "construct/bedrock-kms-key/kms-bedrock-kms-key-id/out"),
    ("InvocationLogsLogGroup", "construct/bedrock-invocation-logs/Resource"),
    (
        "LogGroupNameParameter",
        "construct/bedrock-invocation-logs/loggroup-bedrock-model-invocation-name/ssm/Resource",
    ),
    ("LogGroupName", "construct/bedrock-invocation-logs/loggroup-bedrock-model-invocation-name/out"),
    ("InvocationLogsBucket", "construct/bedrock-invocation-logs-s3/Resource"),
    ("InvocationLogsBucketPolicy", "construct/bedrock-invocation-logs-s3/Policy/Resource"),
    ("BucketNameParameter", "construct/bedrock-invocation-logs-s3/bucket-logs-model-invocation-name/ssm/Resource"),
    ("BucketName", "construct/bedrock-invocation-logs-s3/bucket-logs-model-invocation-name/out"),
    ("BucketArnParameter", "construct/bedrock-invocation-logs-s3/bucket-logs-model-invocation-arn/ssm/Resource"),
    ("BucketArn", "construct/bedrock-invocation-logs-s3/bucket-logs-model-invocation-arn/out"),
    ("BedrockLoggingPolicy", "construct/bedrock-logging-service-role-policy/Resource"),
    ("BedrockLoggingRole", "construct/bedrock-logging-service-role/Resource"),
    ("LoggingConfigurationFunctionRole", "custom-logs-model-invocation-handler-role/Resource"),
    ("LoggingConfigurationFunction", "custom-logs-model-invocation-handler-function/Resource"),
    (
        "HandlerNameParameter",
        "custom-logs-model-invocation-handler-function/lambda-logs-model-invocation-handler-name/ssm/Resource",
    ),
    ("HandlerName", "custom-logs-model-invocation-handler-function/lambda-logs-model-invocation-handler-name/out"),
    (
        "HandlerArnParameter",
        "custom-logs-model-invocation-handler-function/lambda-logs-model-invocation-handler-arn/ssm/Resource",
    ),
    ("HandlerArn", "custom-logs-model-invocation-handler-function/lambda-logs-model-invocation-handler-arn/out"),
    (
        "HandlerLogGroupParameter",
        "custom-logs-model-invocation-handler-function/lambda-logs-model-invocation-handler-log-group/ssm/Resource",
    ),
    (
        "HandlerLogGroup",
        "custom-logs-model-invocation-handler-function/lambda-logs-model-invocation-handler-log-group/out",
    ),
];

/// The key's ID, which MDAA publishes beside its ARN.
pub(crate) const KEY_ID: Published<'static> =
    Published { name: "kms-key-id", resource_type: "kms", resource: "bedrock-kms-key", attribute: "id" };

/// The handler function's name, ARN and log group, which MDAA publishes.
pub(crate) const HANDLER_PUBLISHED: [(&str, Published<'static>, &str); 3] = [
    ("HandlerName", handler("name"), "Name of the function that sets the logging configuration"),
    ("HandlerArn", handler("arn"), "ARN of the function that sets the logging configuration"),
    (
        "HandlerLogGroup",
        handler("log-group"),
        "Log group of the function that sets the logging configuration",
    ),
];

const fn handler(attribute: &'static str) -> Published<'static> {
    Published {
        name: attribute,
        resource_type: "lambda",
        resource: "logs-model-invocation-handler",
        attribute,
    }
}

/// The key prefix under which MDAA has Bedrock deliver CloudWatch Logs'
/// large entries, after the invocation logs' own prefix; the slash ends it.
pub(crate) const MDAA_LARGE_DATA: &str = "/cloudwatch-logs-large-data-delivery/";

/// The description of MDAA's service-role policy: create-only, so kept.
pub(crate) const MDAA_SERVICE_ROLE_POLICY_DESCRIPTION: &str = "Bedrock logging service role policy";
