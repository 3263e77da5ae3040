//! Assembly of the bedrock-settings template from a checked configuration.

use cfn_constructs::{
    publish, suppress, AccountRegional, AuditBucket, BucketWriter, CustomResourceFunction, EncryptedLogGroup,
    EncryptionKey, Lifecycle, NameKind, NamingStrategy, RetentionDays, Scanner, ServiceRole, Tags,
};
use cfn_template::policy::Statement;
use cfn_template::{Attributes, Expr, Template};

use crate::config::Config;
use crate::HANDLER_SOURCE;

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

fn s3_prefix(naming: &dyn NamingStrategy) -> String {
    literal_sub(naming.name(NameKind::S3Prefix, "bedrock-model-invocation-logs/bedrock-model-invocation"))
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

/// Builds the template for a checked configuration (see [`crate::parse_config`]).
pub fn synthesize(config: &Config) -> Template {
    synthesize_with(config, &AccountRegional)
}

/// Builds the template with another naming strategy.
pub fn synthesize_with(config: &Config, naming: &dyn NamingStrategy) -> Template {
    let tags: Tags = config.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let prefix = config.ssm_prefix();
    let cloudwatch = config.enable_audit_logging_to_cloudwatch;
    let mut t = Template::new();
    t.set_description(format!(
        "Amazon Bedrock model invocation audit logging (bedrock-settings {}): {}",
        env!("CARGO_PKG_VERSION"),
        match (config.enable_audit_logging_to_s3, cloudwatch) {
            (true, true) => "S3 and CloudWatch Logs",
            (true, false) => "S3",
            _ => "CloudWatch Logs",
        }
    ));

    let audit_log_group_name =
        naming.name(NameKind::LogGroup, "/aws/bedrock/model-invocation-logs/bedrock-model-invocation");
    let handler_log_group_name = naming.name(NameKind::LogGroup, "/aws/lambda/bedrock-invocation-logging");
    let mut logs_encrypted = vec![handler_log_group_name.clone()];
    if cloudwatch {
        logs_encrypted.insert(0, audit_log_group_name.clone());
    }

    let mut key = EncryptionKey::new("Audit", naming.name(NameKind::KmsAlias, "bedrock-kms-key"))
        .description("Encrypts Amazon Bedrock model invocation logs")
        .allow_cloudwatch_logs(logs_encrypted)
        .tags(&tags);
    if config.needs_bucket() {
        key = key.allow_service(
            "BedrockEncryptsInvocationLogObjects",
            BEDROCK.into(),
            &["kms:GenerateDataKey"],
            bedrock_source_arn(),
        );
    }
    let key = key.build(&mut t);
    publish(
        &mut t,
        "KmsKeyArn",
        prefix,
        "kms-key-arn",
        "ARN of the key that encrypts the invocation logs",
        key.key.arn(),
        &tags,
    );

    let log_group = cloudwatch.then(|| {
        let lg = EncryptedLogGroup::new("InvocationLogs", audit_log_group_name.clone(), &key.key)
            .retention(config.cloudwatch_log_retention_days.and_then(RetentionDays::new))
            .tags(&tags)
            .build(&mut t);
        match config.cloudwatch_log_retention_days {
            None => suppress(&mut t, &lg.log_group, Scanner::Checkov, "CKV_AWS_66",
                "Audit logs never expire unless the configuration sets cloudwatchLogRetentionDays."),
            Some(d) if d < 365 => suppress(&mut t, &lg.log_group, Scanner::Checkov, "CKV_AWS_338",
                &format!("Retention of {d} days is set deliberately in the configuration (cloudwatchLogRetentionDays); S3 keeps the long-term copy.")),
            Some(_) => {}
        }
        publish(&mut t, "LogGroupName", prefix, "log-group-name", "Log group of the invocation logs", lg.log_group.name(), &tags);
        publish(&mut t, "LogGroupArn", prefix, "log-group-arn", "ARN of the log group of the invocation logs", lg.log_group.arn(), &tags);
        lg
    });

    let s3_prefix = s3_prefix(naming);
    let large_data_prefix = format!("{s3_prefix}/cloudwatch-large-data");
    let bucket = config.needs_bucket().then(|| {
        let mut patterns = Vec::new();
        if config.enable_audit_logging_to_s3 {
            patterns.push(format!("{s3_prefix}/AWSLogs/${{AWS::AccountId}}/BedrockModelInvocationLogs/*"));
        }
        if config.large_data_to_s3() {
            patterns.push(format!("{large_data_prefix}/*"));
        }
        let lifecycle = config.s3_lifecycle.map_or_else(Lifecycle::default, |l| Lifecycle {
            transition_to_glacier_after_days: l.transition_to_glacier_after_days,
            expire_after_days: l.expire_after_days,
            noncurrent_version_expire_after_days: l.noncurrent_version_expire_after_days,
            ..Lifecycle::default()
        });
        let b = AuditBucket::new("InvocationLogs", naming.name(NameKind::Bucket, "logs-model-invocation"), &key.key)
            .lifecycle(lifecycle)
            .writer(BucketWriter {
                sid: "BedrockWritesInvocationLogs".into(),
                service: BEDROCK.into(),
                key_patterns: patterns,
                source_arn: bedrock_source_arn(),
            })
            .tags(&tags)
            .build(&mut t);
        let reason = "S3 server access logs can only be delivered to a bucket without SSE-KMS, so logging this bucket would need a store not encrypted with the module key; record object-level access with the account's CloudTrail S3 data events instead.";
        suppress(&mut t, &b.bucket, Scanner::Checkov, "CKV_AWS_18", reason);
        suppress(&mut t, &b.bucket, Scanner::CdkNag, "AwsSolutions-S1", reason);
        suppress(&mut t, &b.bucket, Scanner::CdkNag, "NIST.800.53.R5-S3BucketLoggingEnabled", reason);
        suppress(&mut t, &b.bucket, Scanner::CdkNag, "NIST.800.53.R5-S3BucketReplicationEnabled",
            "Bedrock writes logs only to a bucket in its own region; cross-region replication is left to the account's backup strategy.");
        publish(&mut t, "BucketName", prefix, "bucket-name", "Bucket of the invocation logs", b.bucket.name(), &tags);
        publish(&mut t, "BucketArn", prefix, "bucket-arn", "ARN of the bucket of the invocation logs", b.bucket.arn(), &tags);
        b
    });

    let service_role = log_group.as_ref().map(|lg| {
        let stream = cfn_constructs::log_stream_arn(&lg.name, BEDROCK_LOG_STREAM);
        let role = ServiceRole::new(
            "BedrockLogging",
            naming.name(NameKind::IamRole, "bedrock-invocation-logging"),
            naming.name(NameKind::IamManagedPolicy, "bedrock-invocation-logging"),
            BEDROCK.into(),
            Some(bedrock_source_arn()),
        )
        .description("Assumed by Amazon Bedrock to deliver model invocation logs to CloudWatch Logs")
        .allow(
            Statement::allow()
                .sid("DeliverInvocationLogs")
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(stream),
        )
        .tags(&tags)
        .build(&mut t);
        publish(
            &mut t,
            "ServiceRoleArn",
            prefix,
            "service-role-arn",
            "ARN of the role Bedrock assumes to write the logs",
            role.role.arn(),
            &tags,
        );
        role
    });

    let mut handler = CustomResourceFunction::new(
        "LoggingConfiguration",
        naming.name(NameKind::Function, "bedrock-invocation-logging"),
        naming.name(NameKind::IamRole, "bedrock-invocation-logging-handler"),
        naming.name(NameKind::IamManagedPolicy, "bedrock-invocation-logging-handler"),
        handler_log_group_name,
        HANDLER_SOURCE,
        &key.key,
    )
    .description("Sets the account's Amazon Bedrock model invocation logging configuration for this stack")
    .tags(&tags)
    .allow(
        Statement::allow().sid("ManageInvocationLoggingConfiguration").actions(LOGGING_APIS).resource("*"),
    );
    if let Some(role) = &service_role {
        handler = handler.allow(
            Statement::allow()
                .sid("PassLoggingRoleToBedrock")
                .action("iam:PassRole")
                .resource(role.role.arn())
                .condition("StringEquals", "iam:PassedToService", BEDROCK),
        );
    }
    let handler = handler.build(&mut t);
    let wildcard = "The Bedrock model invocation logging APIs (Get/Put/DeleteModelInvocationLoggingConfiguration) support no resource-level permissions; the statement allows only those three actions.";
    suppress(&mut t, &handler.role.policy, Scanner::CdkNag, "AwsSolutions-IAM5", wildcard);
    for (checkov, nag, reason) in [
        ("CKV_AWS_116", "NIST.800.53.R5-LambdaDLQ", "CloudFormation invokes this custom-resource handler and waits for its answer; the handler answers on every path, so a dead-letter queue would hold nothing to act on."),
        ("CKV_AWS_117", "NIST.800.53.R5-LambdaInsideVPC", "The handler only calls the Bedrock control plane and the pre-signed CloudFormation response URL; a VPC would add NAT or endpoints without protecting any data path."),
        ("CKV_AWS_115", "NIST.800.53.R5-LambdaConcurrency", "Reserving concurrency fails in accounts whose Lambda concurrency quota is at the minimum of 10; the handler runs only during stack operations."),
    ] {
        suppress(&mut t, &handler.function, Scanner::Checkov, checkov, reason);
        suppress(&mut t, &handler.function, Scanner::CdkNag, nag, reason);
    }

    let delivery = config.data_delivery();
    let flag = |b: bool| Expr::from(if b { "true" } else { "false" });
    let mut resource = handler.resource("BedrockInvocationLogging");
    // Bedrock checks the destinations when the configuration is put: the
    // key policy, bucket policy, log group and role must all be in place.
    let mut after = Attributes::new().depends_on(&key.key);
    if let Some(b) = &bucket {
        if config.enable_audit_logging_to_s3 {
            resource = resource
                .property("S3BucketName", b.bucket.name())
                .property("S3KeyPrefix", Expr::sub(s3_prefix.as_str()));
        }
        after = after.depends_on(&b.policy);
    }
    if let (Some(lg), Some(role)) = (&log_group, &service_role) {
        resource = resource
            .property("CloudWatchLogGroupName", lg.log_group.name())
            .property("CloudWatchRoleArn", role.role.arn());
        if let Some(b) = bucket.as_ref().filter(|_| config.large_data_to_s3()) {
            resource = resource
                .property("LargeDataBucketName", b.bucket.name())
                .property("LargeDataKeyPrefix", Expr::sub(large_data_prefix.as_str()));
        }
        after = after.depends_on(&role.policy);
    }
    resource = resource
        .property("TextDataDeliveryEnabled", flag(delivery.text))
        .property("ImageDataDeliveryEnabled", flag(delivery.image))
        .property("EmbeddingDataDeliveryEnabled", flag(delivery.embedding))
        .property("VideoDataDeliveryEnabled", flag(delivery.video))
        .property("AudioDataDeliveryEnabled", flag(delivery.audio));
    t.add_with("InvocationLoggingConfiguration", resource, after.depends_on(&handler.role.policy));
    t
}
