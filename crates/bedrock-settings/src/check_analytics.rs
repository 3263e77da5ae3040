//! The rules for `logAnalytics`: over the S3 destination only, a first day
//! of the calendar, a scan limit and a results expiry AWS accepts, and
//! reader roles this account can attach a policy to.

use cfn_constructs::BytesScannedCutoff;
use module_kit::{KeyPath, Problems};

use crate::analytics::parse_day;
use crate::check::MAX_LIFECYCLE_DAYS;
use crate::config::Config;

const KEY: &str = "logAnalytics";

/// The longest IAM role name (IAM User Guide, "IAM object quotas").
const MAX_ROLE_NAME: usize = 64;

pub(crate) fn log_analytics(c: &Config, problems: &mut Problems) {
    let Some(a) = &c.log_analytics else { return };
    if !c.enable_audit_logging_to_s3 {
        problems
            .report([KEY], "applies only to the S3 destination, which is off")
            .expected("`enableAuditLoggingToS3: true` beside it")
            .help(
                "set `enableAuditLoggingToS3: true`: the table reads the records Bedrock delivers to the bucket, \
                 and CloudWatch's large-data delivery puts only bodies there",
            );
    }
    if let Some(day) = &a.logs_since {
        if parse_day(day).is_none() {
            problems
                .report([KEY, "logsSince"], format!("`{day}` is not a day of the calendar"))
                .expected("a day as `YYYY-MM-DD`, such as `2024-01-01`")
                .help("leave it out to cover every log since Amazon Bedrock's launch (2023-09-28)");
        }
    }
    if let Some(bytes) = a.bytes_scanned_cutoff_per_query {
        if let Err(e) = BytesScannedCutoff::new(bytes) {
            problems
                .report([KEY, "bytesScannedCutoffPerQuery"], e.to_string())
                .expected(format!("10000000 to {} bytes", i64::MAX))
                .help("100000000000 (100 GB, the default) lets a query scan months of a busy account's logs");
        }
    }
    if let Some(days) = a.query_results_expire_after_days {
        if days == 0 || days > MAX_LIFECYCLE_DAYS {
            problems
                .report(
                    [KEY, "queryResultsExpireAfterDays"],
                    format!("{days} days is not a lifecycle period S3 takes"),
                )
                .expected(format!("1 to {MAX_LIFECYCLE_DAYS} days"));
        }
    }
    for (i, role) in a.reader_roles.iter().enumerate() {
        let at = KeyPath::from([KEY, "readerRoles"]).index(i);
        if let Some(name) = role.strip_prefix("arn:").and_then(|_| role.rsplit('/').next()) {
            problems
                .report(at, format!("`{role}` is an ARN; the policy is attached to roles by name"))
                .expected("the name of a role of this account, such as `analyst`")
                .help(format!(
                    "write `{name}`; a role of another account gets the policy's statements in its own account"
                ));
        } else if role.is_empty()
            || role.chars().count() > MAX_ROLE_NAME
            || !role.chars().all(|ch| ch.is_ascii_alphanumeric() || "+=,.@_-".contains(ch))
        {
            problems
                .report(at, format!("`{role}` is not an IAM role name"))
                .expected(format!("1 to {MAX_ROLE_NAME} letters, digits and `+ = , . @ _ -`"));
        } else if a.reader_roles[..i].iter().any(|r| r.eq_ignore_ascii_case(role)) {
            problems
                .report(at, format!("`{role}` is listed twice"))
                .expected("each role once: IAM role names are unique whatever their case")
                .help("remove the repeated role");
        }
    }
}
