//! Scanner rules this module knowingly does not meet, with the reasons,
//! recorded on the resource each concerns (never template-wide).
//!
//! One exception is one reason, recorded under the ID of every rule that
//! flags it: checkov's, and each of cdk-nag's four packs (AwsSolutions,
//! NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1). The compliance tests fail
//! when a rule fires without a record here, and when a record names a rule
//! that no longer fires.

use cfn_constructs::{suppress, Scanner, ScannerException, SecureBucket, PYTHON_RUNTIME};
use cfn_template::resources::iam::ManagedPolicy;
use cfn_template::resources::lambda::Function;
use cfn_template::resources::logs::LogGroup;
use cfn_template::resources::s3::Bucket;
use cfn_template::{Handle, Template};

const ACCESS_LOGS: ScannerException = ScannerException {
    reason: "S3 server access logs can only be delivered to a bucket without SSE-KMS, so logging \
this bucket would need a store not encrypted with the module key; record object-level access with the \
account's CloudTrail S3 data events instead.",
    ..SecureBucket::NO_ACCESS_LOGS
};

const REPLICATION: ScannerException = ScannerException {
    reason: "Bedrock writes logs only to a bucket in its own region; cross-region replication is \
left to the account's backup strategy.",
    ..SecureBucket::NOT_REPLICATED
};

const HANDLER_WILDCARDS: ScannerException = ScannerException {
    reason: "The Bedrock model invocation logging APIs \
(Get/Put/DeleteModelInvocationLoggingConfiguration) support no resource-level permissions, so that statement \
allows only those three actions on *; the handler's log streams are named by Lambda, so its logging \
statement covers log-stream:* of its own log group only.",
    checkov: &[],
    cdk_nag: &["AwsSolutions-IAM5"],
};

const NEVER_EXPIRE: ScannerException = ScannerException {
    reason: "Audit logs never expire unless the configuration sets cloudwatchLogRetentionDays.",
    checkov: &["CKV_AWS_66"],
    cdk_nag: &[
        "NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod",
        "HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
        "PCI.DSS.321-CloudWatchLogGroupRetentionPeriod",
    ],
};

const DEAD_LETTER_QUEUE: ScannerException = ScannerException {
    reason: "CloudFormation invokes this custom-resource handler and waits for its answer; \
the handler answers on every path, so a dead-letter queue would hold nothing to act on.",
    checkov: &["CKV_AWS_116"],
    cdk_nag: &["NIST.800.53.R5-LambdaDLQ", "HIPAA.Security-LambdaDLQ"],
};

const VPC: ScannerException = ScannerException {
    reason: "The handler only calls the Bedrock control plane and the pre-signed CloudFormation response \
URL; a VPC would add NAT or endpoints without protecting any data path.",
    checkov: &["CKV_AWS_117"],
    cdk_nag: &[
        "NIST.800.53.R5-LambdaInsideVPC",
        "HIPAA.Security-LambdaInsideVPC",
        "PCI.DSS.321-LambdaInsideVPC",
    ],
};

const CONCURRENCY: ScannerException = ScannerException {
    reason: "Reserving concurrency fails in accounts whose Lambda concurrency quota is at the \
minimum of 10; the handler runs only during stack operations.",
    checkov: &["CKV_AWS_115"],
    cdk_nag: &["NIST.800.53.R5-LambdaConcurrency", "HIPAA.Security-LambdaConcurrency"],
};

/// The newest Python runtime Lambda offers in the `aws` partition, which
/// cdk-nag's AwsSolutions-L1 takes as "latest".
const NEWEST_PYTHON_RUNTIME: &str = "python3.15";

/// Why the handler is not on [`NEWEST_PYTHON_RUNTIME`].
fn runtime_reason() -> String {
    format!(
        "{NEWEST_PYTHON_RUNTIME} is Lambda's newest Python runtime in the aws partition, but Lambda \
brings new runtimes to the China (aws-cn) and AWS GovCloud (US) partitions later; the template deploys \
unchanged to all three, so the handler runs on {PYTHON_RUNTIME}, the newest Python runtime each of them \
offers."
    )
}

/// The audit bucket: no server access logs, no replication.
pub(crate) fn audit_bucket(t: &mut Template, bucket: &Handle<Bucket>) {
    ACCESS_LOGS.record(t, bucket);
    REPLICATION.record(t, bucket);
}

/// The audit log group: its retention is the configuration's choice.
pub(crate) fn audit_log_group(t: &mut Template, log_group: &Handle<LogGroup>, retention_days: Option<u32>) {
    match retention_days {
        None => NEVER_EXPIRE.record(t, log_group),
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

/// The data-protection findings' log group: a retention under a year is the
/// configuration's choice.
pub(crate) fn findings_log_group(
    t: &mut Template,
    log_group: &Handle<LogGroup>,
    retention_days: Option<u32>,
) {
    if let Some(days) = retention_days.filter(|d| *d < 365) {
        suppress(
            t,
            log_group,
            Scanner::Checkov,
            "CKV_AWS_338",
            &format!(
                "Retention of {days} days for data protection findings is set deliberately in the \
                 configuration (cloudwatchDataProtection.findingsRetentionDays or cloudwatchLogRetentionDays)."
            ),
        );
    }
}

/// The handler's policy: `*` resources for the APIs that have no other.
pub(crate) fn handler_policy(t: &mut Template, policy: &Handle<ManagedPolicy>) {
    HANDLER_WILDCARDS.record(t, policy);
}

/// The handler function: no dead-letter queue, VPC or reserved concurrency,
/// and the newest runtime that every partition offers.
pub(crate) fn handler_function(t: &mut Template, function: &Handle<Function>) {
    for exception in [DEAD_LETTER_QUEUE, VPC, CONCURRENCY] {
        exception.record(t, function);
    }
    let runtime = runtime_reason();
    ScannerException { reason: &runtime, checkov: &[], cdk_nag: &["AwsSolutions-L1"] }.record(t, function);
}

const RESULTS_ACCESS_LOGS: ScannerException = ScannerException {
    reason: "S3 server access logs can only be delivered to a bucket without SSE-KMS, so logging \
this bucket would need a store not encrypted with the module key; Athena records every query, who ran it \
and where its results went in the workgroup's query history and in CloudTrail.",
    ..SecureBucket::NO_ACCESS_LOGS
};

const RESULTS_REPLICATION: ScannerException = ScannerException {
    reason: "Query results are derived from the invocation logs, expire after \
logAnalytics.queryResultsExpireAfterDays, and are made again by running the query; they are not copied \
to another region.",
    ..SecureBucket::NOT_REPLICATED
};

const QUERY_POLICY_WILDCARDS: ScannerException = ScannerException {
    reason: "Reading the invocation logs means reading every object Bedrock writes under the \
account's and region's BedrockModelInvocationLogs/ folder, and Athena names its result objects itself \
under the workgroup's results prefix: both are prefixes of objects (`.../*`), with no other action or \
bucket.",
    checkov: &[],
    cdk_nag: &["AwsSolutions-IAM5"],
};

/// The bucket of the Athena workgroup's results: no server access logs, no replication.
pub(crate) fn query_results_bucket(t: &mut Template, bucket: &Handle<Bucket>) {
    RESULTS_ACCESS_LOGS.record(t, bucket);
    RESULTS_REPLICATION.record(t, bucket);
}

/// The policy that lets roles query: object prefixes, which are wildcards.
pub(crate) fn query_policy(t: &mut Template, policy: &Handle<ManagedPolicy>) {
    QUERY_POLICY_WILDCARDS.record(t, policy);
}
