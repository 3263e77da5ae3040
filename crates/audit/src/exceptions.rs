//! Scanner rules this module knowingly does not meet, with the reasons,
//! recorded on the resource each concerns (never template-wide). The
//! compliance tests fail when a rule fires without a record here, and when a
//! record names a rule that no longer fires.

use cfn_constructs::{CustomResourceFunction, ScannerException, SecureBucket, PYTHON_RUNTIME};
use cfn_template::resources::s3::Bucket;
use cfn_template::{Handle, Template};

const ACCESS_LOGS: ScannerException = ScannerException {
    reason: "Server access logs can only go to a bucket without SSE-KMS; CloudTrail S3 data events, which \
this bucket collects, record object access instead.",
    ..SecureBucket::NO_ACCESS_LOGS
};

const REPLICATION: ScannerException = ScannerException {
    reason: "CloudTrail and S3 inventories deliver to this bucket; copies elsewhere are the backup \
strategy's.",
    ..SecureBucket::NOT_REPLICATED
};

const RESOLVER_WILDCARDS: ScannerException = ScannerException {
    reason: "iam:ListRoles (finding a role by unique ID) has no resource-level permissions; iam:GetRole \
is on role/<name> and role/*/<name> of each named role (role/* for a name held in SSM); Lambda names the \
function's log streams.",
    checkov: &[],
    cdk_nag: &["AwsSolutions-IAM5"],
};

const DEAD_LETTER_QUEUE: ScannerException = ScannerException {
    reason: "CloudFormation waits for this handler's answer, which it gives on every path: a queue would \
hold nothing to act on.",
    checkov: &["CKV_AWS_116"],
    cdk_nag: &["NIST.800.53.R5-LambdaDLQ", "HIPAA.Security-LambdaDLQ"],
};

const VPC: ScannerException = ScannerException {
    reason: "The handler only reads IAM roles and answers CloudFormation's response URL: no data path to \
protect.",
    checkov: &["CKV_AWS_117"],
    cdk_nag: &[
        "NIST.800.53.R5-LambdaInsideVPC",
        "HIPAA.Security-LambdaInsideVPC",
        "PCI.DSS.321-LambdaInsideVPC",
    ],
};

const CONCURRENCY: ScannerException = ScannerException {
    reason: "Reserving concurrency fails in accounts at the minimum quota of 10; the handler runs only \
during stack operations.",
    checkov: &["CKV_AWS_115"],
    cdk_nag: &["NIST.800.53.R5-LambdaConcurrency", "HIPAA.Security-LambdaConcurrency"],
};

/// The audit bucket: no server access logs, no replication.
pub(crate) fn audit_bucket(t: &mut Template, bucket: &Handle<Bucket>) {
    ACCESS_LOGS.record(t, bucket);
    REPLICATION.record(t, bucket);
}

/// The role resolver: wildcards its APIs need, no dead-letter queue, VPC or
/// reserved concurrency, and the newest runtime every partition offers.
pub(crate) fn resolver(t: &mut Template, resolver: &CustomResourceFunction) {
    RESOLVER_WILDCARDS.record(t, &resolver.role.policy);
    for exception in [DEAD_LETTER_QUEUE, VPC, CONCURRENCY] {
        exception.record(t, &resolver.function);
    }
    let runtime = format!(
        "New Python runtimes reach aws-cn and aws-us-gov after the aws partition; {PYTHON_RUNTIME} is the \
newest all three offer, and the template deploys to each."
    );
    ScannerException { reason: &runtime, checkov: &[], cdk_nag: &["AwsSolutions-L1"] }
        .record(t, &resolver.function);
}
