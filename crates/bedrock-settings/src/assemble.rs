//! Assembly of the bedrock-settings template from a checked configuration:
//! the key, the stores, the role Bedrock assumes, the handler, and the
//! custom resource that holds the account's logging configuration.

use cfn_constructs::{
    adopt_construct_ids, log_stream_arn, publish, regional_arn, AccountRegional, CustomResourceFunction,
    EncryptedLogGroup, EncryptionKey, Grant, Lifecycle, NameKind, Names, NamingStrategy, Published,
    RetentionDays, SecureBucket, ServiceRole, Tags,
};
use cfn_template::policy::Statement;
use cfn_template::{Attributes, Expr, Pseudo, Template};

use crate::config::Config;
use crate::predecessor::{self, HANDLER_PUBLISHED, KEY_ID, MDAA_CONSTRUCT_PATHS};
use crate::{
    analytics, data_protection, exceptions, insights, monitoring, object_lock, CheckedConfig, ADOPT_SOURCE,
    HANDLER_SOURCE,
};

/// The service principal of Amazon Bedrock.
const BEDROCK: &str = "bedrock.amazonaws.com";
/// The log stream Bedrock writes invocation logs to.
const BEDROCK_LOG_STREAM: &str = "aws/bedrock/modelinvocations";
/// The Bedrock APIs that manage the account's logging configuration. They
/// support no resource-level permissions.
const LOGGING_APIS: [&str; 3] = [
    "bedrock:GetModelInvocationLoggingConfiguration",
    "bedrock:PutModelInvocationLoggingConfiguration",
    "bedrock:DeleteModelInvocationLoggingConfiguration",
];

/// The role Bedrock assumes, and its policy: MDAA names them by their purpose.
const SERVICE_ROLE: Names<'static> =
    Names { base: "bedrock-invocation-logging", mdaa: "bedrock-logging-service-role" };
/// The handler's function, role and policy.
const HANDLER: Names<'static> =
    Names { base: "bedrock-invocation-logging-handler", mdaa: "logs-model-invocation-handler" };

/// What the module publishes, as each convention names it.
const KEY_ARN: Published<'static> =
    Published { name: "kms-key-arn", resource_type: "kms", resource: "bedrock-kms-key", attribute: "arn" };
const LOG_GROUP_NAME: Published<'static> = Published {
    name: "log-group-name",
    resource_type: "loggroup",
    resource: "bedrock-model-invocation",
    attribute: "name",
};
const LOG_GROUP_ARN: Published<'static> =
    Published { attribute: "arn", name: "log-group-arn", ..LOG_GROUP_NAME };
const BUCKET_NAME: Published<'static> = Published {
    name: "bucket-name",
    resource_type: "bucket",
    resource: "logs-model-invocation",
    attribute: "name",
};
const BUCKET_ARN: Published<'static> = Published { attribute: "arn", name: "bucket-arn", ..BUCKET_NAME };
const SERVICE_ROLE_ARN: Published<'static> = Published {
    name: "service-role-arn",
    resource_type: "role",
    resource: "bedrock-logging-service-role",
    attribute: "arn",
};

/// Bedrock, on behalf of this account and from this region only.
fn bedrock(sid: &str) -> Grant {
    Grant::service(BEDROCK).sid(sid).from_this_account().from_source(regional_arn("bedrock", "*"))
}

/// Builds the template for a checked configuration (see [`crate::parse_config`]
/// and [`crate::validate`]).
pub fn synthesize(config: &CheckedConfig) -> Template {
    synthesize_with(config, &AccountRegional)
}

/// Builds the template with another naming strategy. A strategy may return
/// any expression for a name (see [`NamingStrategy`]).
pub fn synthesize_with(config: &CheckedConfig, naming: &dyn NamingStrategy) -> Template {
    let m = Publisher { config, naming };
    let mut t = Template::new();
    // A stack of MDAA's module, updated in place: its custom resource puts
    // the configuration this template's adopts.
    let predecessor = naming.construct_logical_id(predecessor::MDAA_CUSTOM_RESOURCE);
    t.set_description(format!(
        "Amazon Bedrock model invocation audit logging (bedrock-settings {}): {}",
        env!("CARGO_PKG_VERSION"),
        match (config.enable_audit_logging_to_s3, config.enable_audit_logging_to_cloudwatch) {
            (true, true) => "S3 and CloudWatch Logs",
            (true, false) => "S3",
            _ => "CloudWatch Logs",
        }
    ));

    // The key that encrypts every store of the module.
    let key = EncryptionKey::new("Audit", naming.name(NameKind::KmsAlias, "bedrock-kms-key"))
        .description("Encrypts Amazon Bedrock model invocation logs")
        .build(&mut t);
    m.publish(
        &mut t,
        "KmsKeyArn",
        &KEY_ARN,
        "ARN of the key that encrypts the invocation logs",
        key.key.arn(),
    );
    if predecessor.is_some() {
        m.publish(
            &mut t,
            "KmsKeyId",
            &KEY_ID,
            "ID of the key that encrypts the invocation logs",
            key.key.r#ref(),
        );
    }

    // The CloudWatch destination, and where the findings of its masking go.
    let findings = data_protection::findings(&mut t, config, naming, &key);
    let log_group = config.enable_audit_logging_to_cloudwatch.then(|| {
        let retention = config.cloudwatch_log_retention_days;
        let lg = EncryptedLogGroup::new(
            "InvocationLogs",
            naming.name(NameKind::LogGroup, "/aws/bedrock/model-invocation-logs/bedrock-model-invocation"),
            &key.key,
        )
        .retention(retention.and_then(RetentionDays::new))
        .data_protection(findings.as_ref().map(|(_, policy)| policy.clone()))
        .build(&mut t);
        exceptions::audit_log_group(&mut t, &lg.log_group, retention);
        m.publish(
            &mut t,
            "LogGroupName",
            &LOG_GROUP_NAME,
            "Log group of the invocation logs",
            lg.log_group.r#ref(),
        );
        let arn = lg.log_group.arn();
        m.publish(&mut t, "LogGroupArn", &LOG_GROUP_ARN, "ARN of the log group of the invocation logs", arn);
        lg
    });

    // The bucket of the S3 destination and of CloudWatch's large entries.
    let prefix = naming.name(NameKind::S3Prefix, "bedrock-model-invocation-logs/bedrock-model-invocation");
    // MDAA's prefix ends with a slash: objects are under it either way.
    let large_data =
        if predecessor.is_some() { predecessor::MDAA_LARGE_DATA } else { "/cloudwatch-large-data" };
    let large_data_prefix = Expr::concat([prefix.clone(), large_data.into()]);
    let large_data_objects =
        Expr::concat([prefix.clone(), format!("{}/*", large_data.trim_end_matches('/')).into()]);
    let bucket = config.needs_bucket().then(|| {
        let b = SecureBucket::new(
            "InvocationLogs",
            naming.name(NameKind::Bucket, "logs-model-invocation"),
            &key.key,
        )
        .lifecycle(lifecycle(config))
        .object_lock(object_lock::lock(config))
        .build(&mut t);
        let mut patterns = Vec::new();
        if config.enable_audit_logging_to_s3 {
            patterns.push(Expr::concat([
                prefix.clone(),
                "/AWSLogs/".into(),
                Expr::pseudo(Pseudo::AccountId),
                "/BedrockModelInvocationLogs/*".into(),
            ]));
        }
        if config.large_data_to_s3() {
            patterns.push(large_data_objects);
        }
        b.grant_write(&mut t, bedrock("BedrockWritesInvocationLogs"), patterns);
        exceptions::audit_bucket(&mut t, &b.bucket);
        m.publish(&mut t, "BucketName", &BUCKET_NAME, "Bucket of the invocation logs", b.bucket.r#ref());
        m.publish(
            &mut t,
            "BucketArn",
            &BUCKET_ARN,
            "ARN of the bucket of the invocation logs",
            b.bucket.arn(),
        );
        b
    });

    // The role Bedrock assumes to write to the log group, and nothing else.
    let service_role = log_group.as_ref().map(|lg| {
        let role = ServiceRole::new(
            "BedrockLogging",
            naming.name_of(NameKind::IamRole, SERVICE_ROLE),
            naming.name_of(NameKind::IamManagedPolicy, SERVICE_ROLE),
            BEDROCK.into(),
            Some(regional_arn("bedrock", "*")),
        )
        .description("Assumed by Amazon Bedrock to deliver model invocation logs to CloudWatch Logs")
        .allow(
            Statement::allow()
                .sid("DeliverInvocationLogs")
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(log_stream_arn(&lg.name, BEDROCK_LOG_STREAM)),
        )
        .build(&mut t);
        if predecessor.is_some() {
            // A managed policy's name, description and path are create-only:
            // MDAA's, or the policy would be replaced.
            t.remove_property(&role.policy, "ManagedPolicyName");
            t.override_property(
                &role.policy,
                "Description",
                predecessor::MDAA_SERVICE_ROLE_POLICY_DESCRIPTION,
            );
            t.override_property(&role.policy, "Path", "/");
        }
        let arn = role.role.arn();
        m.publish(
            &mut t,
            "ServiceRoleArn",
            &SERVICE_ROLE_ARN,
            "ARN of the role Bedrock assumes to write the logs",
            arn,
        );
        role
    });

    // The function that puts and deletes the configuration.
    let mut handler = handler(config, naming, &key, service_role.as_ref(), predecessor.is_some());
    if predecessor.is_some() {
        // Whether MDAA's custom resource is still in this stack: a rollback of the switch.
        handler = handler.allow(
            Statement::allow()
                .sid("FindPredecessorInThisStack")
                .action("cloudformation:DescribeStackResource")
                .resource(Expr::pseudo(Pseudo::StackId)),
        );
    }
    let handler = handler.build(&mut t);
    if predecessor.is_some() {
        let function = &handler.function;
        let values = [function.r#ref(), function.arn(), handler.log_group.log_group.r#ref()];
        for ((id, published, description), value) in HANDLER_PUBLISHED.iter().zip(values) {
            m.publish(&mut t, id, published, description, value);
        }
    }
    exceptions::handler_policy(&mut t, &handler.role.policy);
    exceptions::handler_function(&mut t, &handler.function);

    // Now that the log groups and the bucket exist, the key lets CloudWatch
    // Logs encrypt exactly those log groups, and Bedrock the bucket's objects.
    let log_groups: Vec<&EncryptedLogGroup> =
        log_group.iter().chain(findings.iter().map(|(lg, _)| lg)).chain([&handler.log_group]).collect();
    key.allow_cloudwatch_logs(&mut t, &log_groups);
    if bucket.is_some() {
        key.grant(&mut t, bedrock("BedrockEncryptsInvocationLogObjects"), ["kms:GenerateDataKey"]);
    }

    // The account's logging configuration.
    let flag = |b: bool| Expr::from(if b { "true" } else { "false" });
    let mut resource = handler.resource("BedrockInvocationLogging");
    // Bedrock checks the destinations when the configuration is put: the key
    // policy, bucket policy, log group and role must all be in place.
    let mut after = Attributes::new().depends_on(&key.key);
    if let Some(b) = &bucket {
        if config.enable_audit_logging_to_s3 {
            resource =
                resource.property("S3BucketName", b.bucket.r#ref()).property("S3KeyPrefix", prefix.clone());
        }
        after = after.depends_on(&b.policy);
    }
    if let (Some(lg), Some(role)) = (&log_group, &service_role) {
        resource = resource
            .property("CloudWatchLogGroupName", lg.log_group.r#ref())
            .property("CloudWatchRoleArn", role.role.arn());
        if let Some(b) = bucket.as_ref().filter(|_| config.large_data_to_s3()) {
            resource = resource
                .property("LargeDataBucketName", b.bucket.r#ref())
                .property("LargeDataKeyPrefix", large_data_prefix);
        }
        after = after.depends_on(&role.policy);
    }
    let delivery = config.data_delivery();
    resource = resource
        .property("TextDataDeliveryEnabled", flag(delivery.text))
        .property("ImageDataDeliveryEnabled", flag(delivery.image))
        .property("EmbeddingDataDeliveryEnabled", flag(delivery.embedding))
        .property("VideoDataDeliveryEnabled", flag(delivery.video))
        .property("AudioDataDeliveryEnabled", flag(delivery.audio))
        .property("ReplacedConfigurationParameter", config.replaced_configuration_parameter())
        .property("TakeOverExistingConfiguration", flag(config.take_over_existing_configuration));
    if let Some(id) = &predecessor {
        resource = resource
            .property("AdoptConfigurationOf", id.as_str())
            .property("AdoptInStack", Expr::pseudo(Pseudo::StackId));
    }
    // The logical ID is the configuration's identity: renaming it would make
    // CloudFormation delete the old one, turning logging off.
    t.add_with("InvocationLoggingConfiguration", resource, after.depends_on(&handler.role.policy));

    // The alarms and the topic they notify, when the configuration asks for them.
    let built = monitoring::build(&mut t, config, &m, &key);

    // Metrics, queries and a dashboard over the invocation log group, when asked for.
    insights::build(&mut t, config, naming, log_group.as_ref(), built);

    // A table, a workgroup and saved queries over the S3 copy, when asked for.
    analytics::build(&mut t, config, &m, &key, bucket.as_ref(), &prefix);
    // MDAA's logical IDs, where the stack is MDAA's.
    adopt_construct_ids(&mut t, naming, MDAA_CONSTRUCT_PATHS);

    // Tags reach every resource whose type takes them.
    t.add_aspect(Tags(config.tags.clone()));
    t
}

/// The lifecycle of the bucket's objects: the configuration's, or the default.
fn lifecycle(config: &Config) -> Lifecycle {
    config.s3_lifecycle.map_or_else(Lifecycle::default, |l| Lifecycle {
        transition_to_glacier_after_days: l.transition_to_glacier_after_days,
        expire_after_days: l.expire_after_days,
        noncurrent_version_expire_after_days: l.noncurrent_version_expire_after_days,
        ..Lifecycle::default()
    })
}

/// The handler's function, with what it may do: the logging APIs, the one
/// parameter in which it records a configuration it took over, and passing
/// the service role to Bedrock.
fn handler(
    config: &Config,
    naming: &dyn NamingStrategy,
    key: &EncryptionKey,
    service_role: Option<&ServiceRole>,
    adopts: bool,
) -> cfn_constructs::CustomResourceFunctionBuilder {
    let record = Expr::concat([Expr::from("parameter"), config.replaced_configuration_parameter().into()]);
    let mut handler = CustomResourceFunction::new(
        "LoggingConfiguration",
        naming.name_of(NameKind::Function, Names { base: "bedrock-invocation-logging", ..HANDLER }),
        naming.name_of(NameKind::IamRole, HANDLER),
        naming.name_of(NameKind::IamManagedPolicy, HANDLER),
        naming.name_of(
            NameKind::LogGroup,
            Names {
                base: "/aws/lambda/bedrock-invocation-logging",
                mdaa: "/aws/lambda/logs-model-invocation-handler",
            },
        ),
        if adopts { format!("{HANDLER_SOURCE}\n\n{ADOPT_SOURCE}") } else { HANDLER_SOURCE.to_string() },
        &key.key,
    )
    .description("Sets the account's Amazon Bedrock model invocation logging configuration for this stack")
    .allow(Statement::allow().sid("ManageInvocationLoggingConfiguration").actions(LOGGING_APIS).resource("*"))
    .allow(
        Statement::allow()
            .sid("RecordReplacedConfiguration")
            .actions(["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"])
            .resource(regional_arn("ssm", record)),
    );
    if let Some(role) = service_role {
        handler = handler.allow(
            Statement::allow()
                .sid("PassLoggingRoleToBedrock")
                .action("iam:PassRole")
                .resource(role.role.arn())
                .condition("StringEquals", "iam:PassedToService", BEDROCK),
        );
    }
    handler
}

/// Publishes values under names that depend on the configuration as well as the strategy.
pub(crate) struct Publisher<'a> {
    pub(crate) config: &'a Config,
    pub(crate) naming: &'a dyn NamingStrategy,
}

impl Publisher<'_> {
    /// Publishes a value as an output and an SSM parameter under the configured prefix.
    pub(crate) fn publish(
        &self,
        t: &mut Template,
        id: &str,
        published: &Published<'_>,
        description: &str,
        value: Expr,
    ) {
        let parameter = self.naming.parameter(self.config.ssm_prefix(), published);
        publish(t, id, parameter, self.naming.export(published), description, value);
    }
}
