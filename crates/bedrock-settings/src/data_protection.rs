//! `cloudwatchDataProtection`: a CloudWatch Logs data protection policy on
//! the invocation log group, and the log group its audit findings go to.
//!
//! The findings go to a log group of the module's rather than to its bucket:
//! it is encrypted with the module's key like the invocation logs, it takes a
//! finite retention, and CloudWatch Logs delivers to it without a bucket
//! policy statement for its log-delivery principal (which would also need the
//! key for `s3:PutObject`, and under Object Lock would lock every finding).
//! A finding names the identifier and where in the event it was found, never
//! the data itself.

use cfn_constructs::{
    is_managed_data_identifier, DataProtectionPolicy, EncryptedLogGroup, EncryptionKey, NameKind,
    NamingStrategy, RetentionDays,
};
use cfn_template::Template;
use module_kit::Problems;

use crate::config::Config;
use crate::{check, exceptions};

const KEY: &str = "cloudwatchDataProtection";

/// The findings log group's name, beside the invocation log group's.
const FINDINGS_LOG_GROUP: &str = "/aws/bedrock/model-invocation-logs/data-protection-findings";

/// The policy's name, as `GetDataProtectionPolicy` shows it.
const POLICY_NAME: &str = "bedrock-invocation-logs-data-protection";

/// Only over the CloudWatch destination; identifiers CloudWatch Logs has,
/// each once; a retention it accepts.
pub(crate) fn check(c: &Config, problems: &mut Problems) {
    let Some(p) = &c.cloudwatch_data_protection else { return };
    if !c.enable_audit_logging_to_cloudwatch {
        check::cloudwatch_is_off(problems, KEY, Some("the copy in S3 is never masked"));
    }
    if let Some(list) = &p.identifiers {
        if list.is_empty() {
            problems
                .report([KEY, "identifiers"], "no identifier is listed: nothing would be audited or masked")
                .expected("one or more CloudWatch Logs managed data identifiers, such as `EmailAddress`")
                .help("leave the key out for the module's list");
        }
        let names: Vec<&str> = cfn_constructs::MANAGED_DATA_IDENTIFIERS.to_vec();
        for (i, name) in list.iter().enumerate() {
            let at = module_kit::KeyPath::from([KEY, "identifiers"]).index(i);
            if !is_managed_data_identifier(name) {
                let reported = problems
                    .report(at, format!("`{name}` is not a CloudWatch Logs managed data identifier"))
                    .expected(
                        "a name from CloudWatch Logs' list, such as `EmailAddress`, `AwsSecretKey` or \
                         `DriversLicense-US` (region-dependent ones end in a two-letter country code)",
                    );
                if let Some(near) = module_kit::suggest::did_you_mean(name, &names) {
                    reported.help(format!("did you mean `{near}`?"));
                }
            } else if list[..i].contains(name) {
                problems
                    .report(at, format!("`{name}` is listed twice"))
                    .expected("each identifier once")
                    .help("remove the repeated identifier");
            }
        }
    }
    if let Some(days) = p.findings_retention_days {
        check::retention_days(problems, &[KEY, "findingsRetentionDays"], days, "; findings always expire");
    }
}

/// The findings log group, when the configuration asks for masking, and the
/// policy that sends its findings there.
pub(crate) fn findings(
    t: &mut Template,
    config: &Config,
    naming: &dyn NamingStrategy,
    key: &EncryptionKey,
) -> Option<(EncryptedLogGroup, DataProtectionPolicy)> {
    let p = config.cloudwatch_data_protection.as_ref()?;
    let retention = config.findings_retention_days().and_then(RetentionDays::new);
    let log_group = EncryptedLogGroup::new(
        "DataProtectionFindings",
        naming.name(NameKind::LogGroup, FINDINGS_LOG_GROUP),
        &key.key,
    )
    .retention(retention)
    .build(t);
    exceptions::findings_log_group(t, &log_group.log_group, retention.map(RetentionDays::days));
    let policy = DataProtectionPolicy::new(POLICY_NAME, p.identifiers(), log_group.log_group.r#ref())
        .description(
            "Audits and masks sensitive data in Amazon Bedrock model invocation logs as they are ingested",
        );
    Some((log_group, policy))
}
