//! Scanner rules this module knowingly does not meet, with the reasons,
//! recorded on the resource each concerns (never template-wide).

use cfn_constructs::{suppress, Scanner};
use cfn_template::resources::iam::ManagedPolicy;
use cfn_template::resources::lambda::Function;
use cfn_template::resources::logs::LogGroup;
use cfn_template::resources::s3::Bucket;
use cfn_template::{Handle, Template};

const ACCESS_LOGS: &str =
    "S3 server access logs can only be delivered to a bucket without SSE-KMS, so logging \
this bucket would need a store not encrypted with the module key; record object-level access with the \
account's CloudTrail S3 data events instead.";

const REPLICATION: &str =
    "Bedrock writes logs only to a bucket in its own region; cross-region replication is \
left to the account's backup strategy.";

const HANDLER_WILDCARDS: &str = "The Bedrock model invocation logging APIs \
(Get/Put/DeleteModelInvocationLoggingConfiguration) support no resource-level permissions, so that statement \
allows only those three actions on *; the handler's log streams are named by Lambda, so its logging \
statement covers log-stream:* of its own log group only.";

const NEVER_EXPIRE: &str =
    "Audit logs never expire unless the configuration sets cloudwatchLogRetentionDays.";

const DEAD_LETTER_QUEUE: &str =
    "CloudFormation invokes this custom-resource handler and waits for its answer; \
the handler answers on every path, so a dead-letter queue would hold nothing to act on.";

const VPC: &str =
    "The handler only calls the Bedrock control plane and the pre-signed CloudFormation response \
URL; a VPC would add NAT or endpoints without protecting any data path.";

const CONCURRENCY: &str = "Reserving concurrency fails in accounts whose Lambda concurrency quota is at the \
minimum of 10; the handler runs only during stack operations.";

/// The audit bucket: no server access logs, no replication.
pub(crate) fn audit_bucket(t: &mut Template, bucket: &Handle<Bucket>) {
    suppress(t, bucket, Scanner::Checkov, "CKV_AWS_18", ACCESS_LOGS);
    suppress(t, bucket, Scanner::CdkNag, "AwsSolutions-S1", ACCESS_LOGS);
    suppress(t, bucket, Scanner::CdkNag, "NIST.800.53.R5-S3BucketLoggingEnabled", ACCESS_LOGS);
    suppress(t, bucket, Scanner::CdkNag, "NIST.800.53.R5-S3BucketReplicationEnabled", REPLICATION);
}

/// The audit log group: its retention is the configuration's choice.
pub(crate) fn audit_log_group(t: &mut Template, log_group: &Handle<LogGroup>, retention_days: Option<u32>) {
    match retention_days {
        None => {
            suppress(t, log_group, Scanner::Checkov, "CKV_AWS_66", NEVER_EXPIRE);
            suppress(
                t,
                log_group,
                Scanner::CdkNag,
                "NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod",
                NEVER_EXPIRE,
            );
        }
        Some(days) if days < 365 => suppress(
            t,
            log_group,
            Scanner::Checkov,
            "CKV_AWS_338",
            &format!(
                "Retention of {days} days is set deliberately in the configuration \
                 (cloudwatchLogRetentionDays); S3 keeps the long-term copy."
            ),
        ),
        Some(_) => {}
    }
}

/// The handler's policy: `*` resources for the APIs that have no other.
pub(crate) fn handler_policy(t: &mut Template, policy: &Handle<ManagedPolicy>) {
    suppress(t, policy, Scanner::CdkNag, "AwsSolutions-IAM5", HANDLER_WILDCARDS);
}

/// The handler function: no dead-letter queue, VPC or reserved concurrency.
pub(crate) fn handler_function(t: &mut Template, function: &Handle<Function>) {
    for (checkov, nag, reason) in [
        ("CKV_AWS_116", "NIST.800.53.R5-LambdaDLQ", DEAD_LETTER_QUEUE),
        ("CKV_AWS_117", "NIST.800.53.R5-LambdaInsideVPC", VPC),
        ("CKV_AWS_115", "NIST.800.53.R5-LambdaConcurrency", CONCURRENCY),
    ] {
        suppress(t, function, Scanner::Checkov, checkov, reason);
        suppress(t, function, Scanner::CdkNag, nag, reason);
    }
}
