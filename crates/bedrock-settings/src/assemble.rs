//! Assembly of the bedrock-settings template from a checked configuration.

use cfn_constructs::{
    log_stream_arn, publish, AccountRegional, AuditBucket, BucketWriter, CustomResourceFunction,
    EncryptedLogGroup, EncryptionKey, Lifecycle, NameKind, NamingStrategy, RetentionDays, ServiceRole, Tags,
};
use cfn_template::policy::Statement;
use cfn_template::resources::kms::Key;
use cfn_template::{Attributes, Expr, Handle, Template};

use crate::config::Config;
use crate::{exceptions, CheckedConfig, HANDLER_SOURCE};

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

/// Requests from Bedrock in this account and region only.
fn bedrock_source_arn() -> Expr {
    cfn_constructs::arn("bedrock", "${AWS::Region}", "${AWS::AccountId}", "*")
}

/// The text of a plain `Fn::Sub` or literal name, to splice into another `Fn::Sub`.
fn literal_sub(e: Expr) -> String {
    match e {
        Expr::Str(s) => s,
        Expr::Sub(s, vars) if vars.is_empty() => s,
        other => {
            panic!("naming strategies used here must return literals or plain Fn::Sub strings, not {other:?}")
        }
    }
}

/// Builds the template for a checked configuration (see [`crate::parse_config`]
/// and [`crate::validate`]).
pub fn synthesize(config: &CheckedConfig) -> Template {
    synthesize_with(config, &AccountRegional)
}

/// Builds the template with another naming strategy.
pub fn synthesize_with(config: &CheckedConfig, naming: &dyn NamingStrategy) -> Template {
    let mut a = Assembly {
        config,
        naming,
        tags: config.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        t: Template::new(),
    };
    a.t.set_description(format!(
        "Amazon Bedrock model invocation audit logging (bedrock-settings {}): {}",
        env!("CARGO_PKG_VERSION"),
        match (config.enable_audit_logging_to_s3, config.enable_audit_logging_to_cloudwatch) {
            (true, true) => "S3 and CloudWatch Logs",
            (true, false) => "S3",
            _ => "CloudWatch Logs",
        }
    ));
    let names = Names::new(naming);
    let key = a.key(&names);
    let log_group = config.enable_audit_logging_to_cloudwatch.then(|| a.log_group(&names, &key));
    let bucket = config.needs_bucket().then(|| a.bucket(&names, &key));
    let service_role = log_group.as_ref().map(|lg| a.service_role(lg));
    let handler = a.handler(&names, &key, service_role.as_ref());
    a.logging_configuration(&names, &key, &handler, bucket.as_ref(), log_group.zip(service_role));
    a.t
}

/// Names that several parts of the template need before the resources exist.
struct Names {
    audit_log_group: Expr,
    handler_log_group: Expr,
    s3_prefix: String,
    large_data_prefix: String,
}

impl Names {
    fn new(naming: &dyn NamingStrategy) -> Self {
        let s3_prefix = literal_sub(
            naming.name(NameKind::S3Prefix, "bedrock-model-invocation-logs/bedrock-model-invocation"),
        );
        Names {
            audit_log_group: naming
                .name(NameKind::LogGroup, "/aws/bedrock/model-invocation-logs/bedrock-model-invocation"),
            handler_log_group: naming.name(NameKind::LogGroup, "/aws/lambda/bedrock-invocation-logging"),
            large_data_prefix: format!("{s3_prefix}/cloudwatch-large-data"),
            s3_prefix,
        }
    }
}

/// The template being assembled, with what every part needs.
struct Assembly<'a> {
    config: &'a Config,
    naming: &'a dyn NamingStrategy,
    tags: Tags,
    t: Template,
}

impl Assembly<'_> {
    /// Publishes a value as an output and an SSM parameter under the configured prefix.
    fn publish(&mut self, id: &str, name: &str, description: &str, value: Expr) {
        publish(&mut self.t, id, self.config.ssm_prefix(), name, description, value, &self.tags);
    }

    /// The key encrypting every log store, usable by CloudWatch Logs for this
    /// module's log groups only, and by Bedrock when it writes to the bucket.
    fn key(&mut self, names: &Names) -> Handle<Key> {
        let mut log_groups = vec![names.handler_log_group.clone()];
        if self.config.enable_audit_logging_to_cloudwatch {
            log_groups.insert(0, names.audit_log_group.clone());
        }
        let mut key = EncryptionKey::new("Audit", self.naming.name(NameKind::KmsAlias, "bedrock-kms-key"))
            .description("Encrypts Amazon Bedrock model invocation logs")
            .allow_cloudwatch_logs(log_groups)
            .tags(&self.tags);
        if self.config.needs_bucket() {
            key = key.allow_service(
                "BedrockEncryptsInvocationLogObjects",
                BEDROCK.into(),
                &["kms:GenerateDataKey"],
                bedrock_source_arn(),
            );
        }
        let key = key.build(&mut self.t).key;
        self.publish(
            "KmsKeyArn",
            "kms-key-arn",
            "ARN of the key that encrypts the invocation logs",
            key.arn(),
        );
        key
    }

    /// The log group of the CloudWatch destination.
    fn log_group(&mut self, names: &Names, key: &Handle<Key>) -> EncryptedLogGroup {
        let retention = self.config.cloudwatch_log_retention_days;
        let lg = EncryptedLogGroup::new("InvocationLogs", names.audit_log_group.clone(), key)
            .retention(retention.and_then(RetentionDays::new))
            .tags(&self.tags)
            .build(&mut self.t);
        exceptions::audit_log_group(&mut self.t, &lg.log_group, retention);
        self.publish(
            "LogGroupName",
            "log-group-name",
            "Log group of the invocation logs",
            lg.log_group.r#ref(),
        );
        let arn = lg.log_group.arn();
        self.publish("LogGroupArn", "log-group-arn", "ARN of the log group of the invocation logs", arn);
        lg
    }

    /// The bucket of the S3 destination and of CloudWatch's large entries.
    fn bucket(&mut self, names: &Names, key: &Handle<Key>) -> AuditBucket {
        let mut patterns = Vec::new();
        if self.config.enable_audit_logging_to_s3 {
            patterns.push(format!(
                "{}/AWSLogs/${{AWS::AccountId}}/BedrockModelInvocationLogs/*",
                names.s3_prefix
            ));
        }
        if self.config.large_data_to_s3() {
            patterns.push(format!("{}/*", names.large_data_prefix));
        }
        let lifecycle = self.config.s3_lifecycle.map_or_else(Lifecycle::default, |l| Lifecycle {
            transition_to_glacier_after_days: l.transition_to_glacier_after_days,
            expire_after_days: l.expire_after_days,
            noncurrent_version_expire_after_days: l.noncurrent_version_expire_after_days,
            ..Lifecycle::default()
        });
        let name = self.naming.name(NameKind::Bucket, "logs-model-invocation");
        let b = AuditBucket::new("InvocationLogs", name, key)
            .lifecycle(lifecycle)
            .writer(BucketWriter {
                sid: "BedrockWritesInvocationLogs".into(),
                service: BEDROCK.into(),
                key_patterns: patterns,
                source_arn: bedrock_source_arn(),
            })
            .tags(&self.tags)
            .build(&mut self.t);
        exceptions::audit_bucket(&mut self.t, &b.bucket);
        self.publish("BucketName", "bucket-name", "Bucket of the invocation logs", b.bucket.r#ref());
        self.publish("BucketArn", "bucket-arn", "ARN of the bucket of the invocation logs", b.bucket.arn());
        b
    }

    /// The role Bedrock assumes to write to the log group, and nothing else.
    fn service_role(&mut self, lg: &EncryptedLogGroup) -> ServiceRole {
        let role = ServiceRole::new(
            "BedrockLogging",
            self.naming.name(NameKind::IamRole, "bedrock-invocation-logging"),
            self.naming.name(NameKind::IamManagedPolicy, "bedrock-invocation-logging"),
            BEDROCK.into(),
            Some(bedrock_source_arn()),
        )
        .description("Assumed by Amazon Bedrock to deliver model invocation logs to CloudWatch Logs")
        .allow(
            Statement::allow()
                .sid("DeliverInvocationLogs")
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(log_stream_arn(&lg.name, BEDROCK_LOG_STREAM)),
        )
        .tags(&self.tags)
        .build(&mut self.t);
        let arn = role.role.arn();
        self.publish(
            "ServiceRoleArn",
            "service-role-arn",
            "ARN of the role Bedrock assumes to write the logs",
            arn,
        );
        role
    }

    /// The custom-resource function that puts and deletes the configuration.
    fn handler(
        &mut self,
        names: &Names,
        key: &Handle<Key>,
        service_role: Option<&ServiceRole>,
    ) -> CustomResourceFunction {
        let mut handler = CustomResourceFunction::new(
            "LoggingConfiguration",
            self.naming.name(NameKind::Function, "bedrock-invocation-logging"),
            self.naming.name(NameKind::IamRole, "bedrock-invocation-logging-handler"),
            self.naming.name(NameKind::IamManagedPolicy, "bedrock-invocation-logging-handler"),
            names.handler_log_group.clone(),
            HANDLER_SOURCE,
            key,
        )
        .description(
            "Sets the account's Amazon Bedrock model invocation logging configuration for this stack",
        )
        .tags(&self.tags)
        .allow(
            Statement::allow()
                .sid("ManageInvocationLoggingConfiguration")
                .actions(LOGGING_APIS)
                .resource("*"),
        )
        // The one parameter in which a configuration it took over is kept for Delete.
        .allow(
            Statement::allow()
                .sid("RecordReplacedConfiguration")
                .actions(["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"])
                .resource(cfn_constructs::arn(
                    "ssm",
                    "${AWS::Region}",
                    "${AWS::AccountId}",
                    &format!("parameter{}", self.config.replaced_configuration_parameter()),
                )),
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
        let handler = handler.build(&mut self.t);
        exceptions::handler_policy(&mut self.t, &handler.role.policy);
        exceptions::handler_function(&mut self.t, &handler.function);
        handler
    }

    /// The custom resource that holds the account's logging configuration.
    fn logging_configuration(
        &mut self,
        names: &Names,
        key: &Handle<Key>,
        handler: &CustomResourceFunction,
        bucket: Option<&AuditBucket>,
        cloudwatch: Option<(EncryptedLogGroup, ServiceRole)>,
    ) {
        let flag = |b: bool| Expr::from(if b { "true" } else { "false" });
        let mut resource = handler.resource("BedrockInvocationLogging");
        // Bedrock checks the destinations when the configuration is put: the
        // key policy, bucket policy, log group and role must all be in place.
        let mut after = Attributes::new().depends_on(key);
        if let Some(b) = bucket {
            if self.config.enable_audit_logging_to_s3 {
                resource = resource
                    .property("S3BucketName", b.bucket.r#ref())
                    .property("S3KeyPrefix", Expr::sub(names.s3_prefix.as_str()));
            }
            after = after.depends_on(&b.policy);
        }
        if let Some((lg, role)) = &cloudwatch {
            resource = resource
                .property("CloudWatchLogGroupName", lg.log_group.r#ref())
                .property("CloudWatchRoleArn", role.role.arn());
            if let Some(b) = bucket.filter(|_| self.config.large_data_to_s3()) {
                resource = resource
                    .property("LargeDataBucketName", b.bucket.r#ref())
                    .property("LargeDataKeyPrefix", Expr::sub(names.large_data_prefix.as_str()));
            }
            after = after.depends_on(&role.policy);
        }
        let delivery = self.config.data_delivery();
        resource = resource
            .property("TextDataDeliveryEnabled", flag(delivery.text))
            .property("ImageDataDeliveryEnabled", flag(delivery.image))
            .property("EmbeddingDataDeliveryEnabled", flag(delivery.embedding))
            .property("VideoDataDeliveryEnabled", flag(delivery.video))
            .property("AudioDataDeliveryEnabled", flag(delivery.audio))
            .property("ReplacedConfigurationParameter", self.config.replaced_configuration_parameter())
            .property("TakeOverExistingConfiguration", flag(self.config.take_over_existing_configuration))
            .property("AllowUnsupportedDataDelivery", flag(self.config.allow_unsupported_data_delivery));
        self.t.add_with("InvocationLoggingConfiguration", resource, after.depends_on(&handler.role.policy));
    }
}
