//! Literal property values the services reject, checked at synth time.

use crate::policy::PolicyDocument;

/// The retention periods CloudWatch Logs accepts, in days.
pub const LOG_RETENTION_DAYS: [u32; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// A retention CloudWatch Logs would reject.
pub(crate) fn log_retention_problem(days: Option<u32>) -> Option<String> {
    let days = days?;
    (!LOG_RETENTION_DAYS.contains(&days)).then(|| {
        format!(
            "RetentionInDays {days} is not a period CloudWatch Logs accepts (one of {LOG_RETENTION_DAYS:?})"
        )
    })
}

/// A policy document without statements, which IAM, KMS and S3 reject.
pub(crate) fn empty_policy_problem(property: &str, doc: &PolicyDocument) -> Option<String> {
    doc.statements.is_empty().then(|| format!("{property} has no statements"))
}
