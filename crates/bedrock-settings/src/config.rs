//! The module's configuration: its YAML form, its schema and its defaults.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The bedrock-settings module configuration.
///
/// At least one destination must be on. Options of a destination that is
/// off are errors rather than silently ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "bedrock-settings module configuration")]
pub struct Config {
    /// Deliver invocation logs to an S3 bucket for long-term audit storage.
    #[serde(default)]
    pub enable_audit_logging_to_s3: bool,

    /// Deliver invocation logs to a CloudWatch Logs log group for real-time monitoring.
    #[serde(default)]
    pub enable_audit_logging_to_cloudwatch: bool,

    /// Days CloudWatch Logs keeps the invocation logs; absent means never expire.
    /// Only the periods CloudWatch Logs accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = cfn_constructs::RETENTION_DAYS))]
    pub cloudwatch_log_retention_days: Option<u32>,

    /// Deliver log entries too large for CloudWatch Logs (over 100 KB, or
    /// binary image data) to the S3 bucket. Default true. CloudWatch only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloudwatch_large_data_delivery_to_s3: Option<bool>,

    /// Audit and mask sensitive data in the invocation log group (a CloudWatch Logs data
    /// protection policy), with the findings in a log group of their own. CloudWatch only.
    /// Absent: nothing is masked. The copy in S3 is never masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloudwatch_data_protection: Option<CloudwatchDataProtection>,

    /// Lifecycle of the audit bucket's objects. Absent: nothing is ever
    /// deleted, noncurrent versions move to S3 Glacier after 30 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_lifecycle: Option<S3Lifecycle>,

    /// S3 Object Lock on the audit bucket: every new object version is locked for a default
    /// retention, in `GOVERNANCE` or `COMPLIANCE` mode. Absent: no lock. Once on, S3 never
    /// turns it off, even when the key is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3_object_lock: Option<S3ObjectLock>,

    /// Which kinds of data the invocation logs include. Each defaults to true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_delivery: Option<DataDelivery>,

    /// Tags applied to every taggable resource. Keys may not start with `aws:`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub tags: IndexMap<String, String>,

    /// Where the stack's outputs are also published as SSM parameters.
    /// Default `/bedrock-settings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.\-]$"))]
    pub ssm_parameter_prefix: Option<String>,

    /// Replace a logging configuration that the account already has and that this stack
    /// did not put. Default false: the deployment fails instead, naming where that
    /// configuration delivers. When true, the replaced configuration is recorded in the SSM
    /// parameter `<ssmParameterPrefix>/replaced-logging-configuration` and put back when
    /// the stack is deleted.
    #[serde(default)]
    pub take_over_existing_configuration: bool,

    /// CloudWatch alarms on Amazon Bedrock token use in this account and region (MDAA's
    /// `tokenUsageAlarms`), per named group of model IDs and/or in total, notifying one SNS
    /// topic: one this module creates, or an existing one by ARN. Token metrics count every
    /// caller of the account and region, not only this stack's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_usage_alarms: Option<TokenUsageAlarms>,

    /// Alarms on failed deliveries of the invocation logs (Bedrock's
    /// `ModelInvocationLogs*DeliveryFailure` metrics), for the destinations that are on, to
    /// the topic of `tokenUsageAlarms`. Default true when `tokenUsageAlarms` is set; it needs
    /// that topic, so true without it is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_failure_alarms: Option<bool>,

    /// Alarms beyond MDAA's, on Bedrock's own metrics, to the topic of `tokenUsageAlarms`
    /// (so that key is required): invocation throttles and server errors (on by default),
    /// account-wide and per model group of `tokenUsageAlarms.models`; headroom under each
    /// group's tokens-per-minute quota; and latency and time-to-first-token percentiles.
    /// Not in MDAA. Absent: none of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_alarms: Option<RecommendedAlarms>,

    /// Log-based metrics, saved Logs Insights queries and a dashboard over the invocation
    /// log group, and optional security filters with alarms. CloudWatch destination only.
    /// Absent: none of them, which keeps the default template within the 51,200 bytes
    /// `aws cloudformation deploy` takes inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_insights: Option<LogInsights>,

    /// An Athena table over the invocation logs in S3 (partition projection over Bedrock's
    /// key layout, no crawler), an Athena workgroup whose settings queries cannot override
    /// (results encrypted with the module's key in a bucket of their own, a per-query scan
    /// limit), saved queries, and a managed policy that lets roles query. S3 destination
    /// only. Absent: none of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_analytics: Option<LogAnalytics>,

    /// Whether the configuration sets `allowUnsupportedDataDelivery`, a key that was removed:
    /// it let a deployment go on without what the handler's SDK could not send, and the
    /// handler now sends every field whatever that SDK knows. Read only so that the check can
    /// say so at its line; any value is an error, and the schema does not offer the key.
    #[doc(hidden)]
    #[serde(
        rename = "allowUnsupportedDataDelivery",
        default,
        deserialize_with = "present",
        skip_serializing
    )]
    #[schemars(skip)]
    pub sets_removed_allow_unsupported_data_delivery: bool,
}

/// True for any value, so that a removed key is reported as removed, whatever it was set to.
fn present<'de, D: serde::Deserializer<'de>>(value: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(value).map(|_| true)
}

/// Lifecycle of the audit bucket's objects, in days after creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct S3Lifecycle {
    /// Move current objects to S3 Glacier Flexible Retrieval after this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2_147_483_647))]
    pub transition_to_glacier_after_days: Option<u32>,

    /// Expire current objects after this many days (later than the transition).
    /// The bucket is versioned: an expired object becomes a noncurrent version,
    /// which is deleted only after `noncurrentVersionExpireAfterDays`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2_147_483_647))]
    pub expire_after_days: Option<u32>,

    /// Delete noncurrent object versions this many days after they become noncurrent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2_147_483_647))]
    pub noncurrent_version_expire_after_days: Option<u32>,
}

/// The audit bucket's default Object Lock retention: a mode and exactly one of `days` or
/// `years`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct S3ObjectLock {
    /// `GOVERNANCE`: principals allowed `s3:BypassGovernanceRetention` can still delete a
    /// locked version or shorten its retention. `COMPLIANCE`: nobody can, the root user
    /// included, until the retention ends.
    pub mode: ObjectLockMode,

    /// Days each new object version is locked, 1 to 36,500. Not with `years`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 36_500))]
    pub days: Option<u32>,

    /// Years each new object version is locked, 1 to 100. Not with `days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub years: Option<u32>,
}

/// An Object Lock retention mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum ObjectLockMode {
    /// Principals allowed `s3:BypassGovernanceRetention` can override the lock.
    Governance,
    /// Nobody can override the lock.
    Compliance,
}

/// A CloudWatch Logs data protection policy on the invocation log group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudwatchDataProtection {
    /// CloudWatch Logs managed data identifiers to audit and mask, by name (`EmailAddress`,
    /// `Ssn-US`), each once. Absent: credentials (AWS secret keys, private keys) and common
    /// personal data (email addresses, card numbers and security codes, US social security
    /// numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1), extend("items" = {"enum": cfn_constructs::MANAGED_DATA_IDENTIFIERS}))]
    pub identifiers: Option<Vec<String>>,

    /// Days the findings log group keeps the audit findings; only the periods CloudWatch Logs
    /// accepts. Absent: `cloudwatchLogRetentionDays`, or 3653 (ten years) when the invocation
    /// logs never expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = cfn_constructs::RETENTION_DAYS))]
    pub findings_retention_days: Option<u32>,
}

/// The managed data identifiers audited and masked when `cloudwatchDataProtection` lists none:
/// secrets that must never sit readable in a log, and the personal data most often pasted into
/// prompts. Names and street addresses are left out: in free text their detectors match many
/// ordinary words, and masking them would hide most of a prompt.
pub const DEFAULT_DATA_IDENTIFIERS: &[&str] = &[
    "AwsSecretKey",
    "OpenSshPrivateKey",
    "PgpPrivateKey",
    "PkcsPrivateKey",
    "PuttyPrivateKey",
    "EmailAddress",
    "CreditCardNumber",
    "CreditCardSecurityCode",
    "Ssn-US",
];

/// The findings' retention when neither the configuration nor the invocation logs set one:
/// the longest finite period CloudWatch Logs offers.
pub const DEFAULT_FINDINGS_RETENTION_DAYS: u32 = 3653;

impl CloudwatchDataProtection {
    /// The identifiers, default filled in.
    pub fn identifiers(&self) -> Vec<&str> {
        phrases(&self.identifiers, DEFAULT_DATA_IDENTIFIERS)
    }
}

/// Which kinds of data the invocation logs include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataDelivery {
    /// Text prompts and completions.
    #[serde(default = "yes")]
    pub text: bool,
    /// Images.
    #[serde(default = "yes")]
    pub image: bool,
    /// Embeddings.
    #[serde(default = "yes")]
    pub embedding: bool,
    /// Video.
    #[serde(default = "yes")]
    pub video: bool,
    /// Audio.
    #[serde(default = "yes")]
    pub audio: bool,
}

fn yes() -> bool {
    true
}

impl Default for DataDelivery {
    fn default() -> Self {
        DataDelivery { text: true, image: true, embedding: true, video: true, audio: true }
    }
}

/// Alarms on Amazon Bedrock token use, notifying exactly one SNS topic: a created one
/// (`createNotificationTopic: true`, optionally with `notificationEmails`) or an existing
/// one (`notificationTopicArn`). Each threshold set makes one alarm that fires when the
/// tokens summed over one period exceed it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenUsageAlarms {
    /// Create an SNS topic encrypted with the module's KMS key, let this account's
    /// CloudWatch alarms publish to it, and publish its ARN as an output and an SSM
    /// parameter. Must be true when set; not allowed with `notificationTopicArn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_notification_topic: Option<bool>,

    /// Email addresses subscribed to the created topic (each confirms by a link SNS
    /// mails). Only with `createNotificationTopic`: a topic this stack did not create is
    /// not changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_emails: Option<Vec<String>>,

    /// ARN of an existing SNS topic the alarms notify:
    /// `arn:<partition>:sns:<region>:<account>:<name>`, where partition, region and account
    /// may be MDAA's `{{partition}}`, `{{region}}`, `{{account}}` or CloudFormation's
    /// `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}`. Its topic policy (and
    /// key policy, if encrypted) must let `cloudwatch.amazonaws.com` publish. Or
    /// `ssm:NAME`, an SSM parameter holding the ARN, read by CloudFormation at each
    /// deployment. Not allowed with `createNotificationTopic` or `notificationEmails`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_topic_arn: Option<String>,

    /// Alarms on the account-wide total across all model IDs (the `AWS/Bedrock` token
    /// metrics without a dimension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_total: Option<TokenThresholds>,

    /// Alarms per named group of model IDs, summed over the group. The name (letters,
    /// digits, `_ . -`) goes into the alarm names `token-<input|output>-model-<name>`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub models: IndexMap<String, ModelTokenAlarm>,

    /// The alarm period in seconds: a multiple of 60 (Bedrock publishes its metrics once a
    /// minute). Default 300.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 60, max = 604_800))]
    pub period_seconds: Option<u32>,

    /// Periods over which token use is compared with the threshold. Default 1. The
    /// periods may span at most one day when the period is under an hour, else seven days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10_080))]
    pub evaluation_periods: Option<u32>,

    /// Breaching periods among `evaluationPeriods` that set off the alarm ("M of N"),
    /// from 1 to `evaluationPeriods`. Default: `evaluationPeriods`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10_080))]
    pub datapoints_to_alarm: Option<u32>,
}

/// Input and output token thresholds; at least one. Each makes one alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenThresholds {
    /// Alarm when the input tokens of one period exceed this. Absent: no input-token alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_token_threshold: Option<u64>,

    /// Alarm when the output tokens of one period exceed this. Absent: no output-token alarm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_token_threshold: Option<u64>,
}

/// Token alarms for one group of model IDs, summed across the IDs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelTokenAlarm {
    /// Model and inference-profile IDs whose token use the alarms sum, exactly as callers
    /// pass them (`amazon.nova-micro-v1:0`, `us.amazon.nova-micro-v1:0`): CloudWatch matches
    /// the `ModelId` dimension exactly, so an ID not listed is not counted. 1 to 10, each once.
    #[schemars(length(min = 1, max = 10))]
    pub model_ids: Vec<String>,

    /// Alarm when the group's input tokens of one period exceed this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_token_threshold: Option<u64>,

    /// Alarm when the group's output tokens of one period exceed this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_token_threshold: Option<u64>,
}

impl TokenThresholds {
    /// The thresholds of a model group.
    pub fn of(model: &ModelTokenAlarm) -> TokenThresholds {
        TokenThresholds {
            input_token_threshold: model.input_token_threshold,
            output_token_threshold: model.output_token_threshold,
        }
    }

    /// Whether no threshold is set, so no alarm would be made.
    pub fn is_empty(&self) -> bool {
        self.input_token_threshold.is_none() && self.output_token_threshold.is_none()
    }
}

/// Alarms on Bedrock's runtime metrics (`AWS/Bedrock`) that a team running models in
/// production watches besides token use. Each is account-wide (the metric without a
/// dimension) and per model group of `tokenUsageAlarms.models`, except the quota alarm,
/// which is per group only: quotas are per model.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecommendedAlarms {
    /// Alarms on `InvocationThrottles` (requests refused for a quota; the SDK retries
    /// them, so a few are normal). Absent: on, at 10 or more in five minutes in 2 of 3
    /// periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttles: Option<CountAlarm>,

    /// Alarms on `InvocationServerErrors` (errors on Bedrock's side). Absent: on, at 5 or
    /// more in five minutes in 2 of 3 periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_errors: Option<CountAlarm>,

    /// Alarms when a model group's `EstimatedTPMQuotaUsage` (the tokens counted against
    /// the tokens-per-minute quota) reaches `percent` of the quota the configuration gives
    /// for it. Absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpm_quota: Option<TpmQuota>,

    /// Alarms on `InvocationLatency` percentiles (milliseconds to the last token), over
    /// five minutes. Absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<PercentileAlarm>,

    /// Alarms on `TimeToFirstToken` percentiles (milliseconds; streaming APIs only), over
    /// five minutes. Absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_to_first_token: Option<PercentileAlarm>,
}

/// An alarm on a count summed over five-minute periods: it goes off when the count is at
/// or above `threshold` in `datapointsToAlarm` of `evaluationPeriods` periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CountAlarm {
    /// Whether the alarms are made. Default true; false with any other key is an error.
    #[serde(default = "yes")]
    pub enabled: bool,

    /// The count in five minutes at or above which a period breaches. At least 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub threshold: Option<u64>,

    /// Five-minute periods evaluated. Default 3; at most 288 (one day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 288))]
    pub evaluation_periods: Option<u32>,

    /// Breaching periods among `evaluationPeriods` that set off the alarm. Default 2, or
    /// `evaluationPeriods` when that is smaller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 288))]
    pub datapoints_to_alarm: Option<u32>,
}

impl Default for CountAlarm {
    fn default() -> Self {
        CountAlarm { enabled: true, threshold: None, evaluation_periods: None, datapoints_to_alarm: None }
    }
}

/// Headroom under the tokens-per-minute quotas: one alarm per group listed, on the
/// highest `EstimatedTPMQuotaUsage` of its model IDs in a minute.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TpmQuota {
    /// The tokens-per-minute quota of each model group, by its name in
    /// `tokenUsageAlarms.models`, as Service Quotas shows it for this account and region
    /// (a cross-Region inference profile has its own). At least one group.
    pub quota_tokens_per_minute: IndexMap<String, u64>,

    /// The share of the quota, in percent, at which a minute breaches. Default 80.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub percent: Option<u32>,

    /// One-minute periods evaluated. Default 5; at most 1,440 (one day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1440))]
    pub evaluation_periods: Option<u32>,

    /// Breaching minutes among `evaluationPeriods` that set off the alarm. Default 3, or
    /// `evaluationPeriods` when that is smaller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1440))]
    pub datapoints_to_alarm: Option<u32>,
}

/// Percentile thresholds in milliseconds; at least one. Each makes one alarm per scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PercentileAlarm {
    /// Alarm when the 90th percentile of five minutes is above this many milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub p90: Option<u64>,

    /// Alarm when the 99th percentile of five minutes is above this many milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub p99: Option<u64>,

    /// Five-minute periods evaluated. Default 3; at most 288 (one day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 288))]
    pub evaluation_periods: Option<u32>,

    /// Breaching periods among `evaluationPeriods` that set off the alarm. Default 2, or
    /// `evaluationPeriods` when that is smaller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 288))]
    pub datapoints_to_alarm: Option<u32>,
}

/// The recommended alarms' defaults: counts that a careful team alarms on. Throttles are
/// retried by the SDKs and a handful is back-pressure, not an outage; sustained ones in two
/// of three five-minute periods are. Server errors are rarer, so fewer count.
pub const DEFAULT_THROTTLE_THRESHOLD: u64 = 10;
/// See [`DEFAULT_THROTTLE_THRESHOLD`].
pub const DEFAULT_SERVER_ERROR_THRESHOLD: u64 = 5;
/// The share of a quota at which a minute breaches, when `percent` is not set.
pub const DEFAULT_QUOTA_PERCENT: u32 = 80;

/// Evaluation periods and datapoints to alarm, defaults filled in: M never above N.
fn m_of_n(evaluations: Option<u32>, datapoints: Option<u32>, n: u32, m: u32) -> (u32, u32) {
    let n = evaluations.unwrap_or(n);
    (n, datapoints.unwrap_or(m.min(n)))
}

impl CountAlarm {
    /// Evaluation periods and datapoints to alarm, defaults filled in.
    pub fn m_of_n(&self) -> (u32, u32) {
        m_of_n(self.evaluation_periods, self.datapoints_to_alarm, 3, 2)
    }

    /// Whether a key besides `enabled` is set.
    pub fn has_options(&self) -> bool {
        self.threshold.is_some() || self.evaluation_periods.is_some() || self.datapoints_to_alarm.is_some()
    }
}

impl TpmQuota {
    /// Evaluation periods and datapoints to alarm, defaults filled in.
    pub fn m_of_n(&self) -> (u32, u32) {
        m_of_n(self.evaluation_periods, self.datapoints_to_alarm, 5, 3)
    }

    /// The percent, default filled in.
    pub fn percent(&self) -> u32 {
        self.percent.unwrap_or(DEFAULT_QUOTA_PERCENT)
    }
}

impl PercentileAlarm {
    /// Evaluation periods and datapoints to alarm, defaults filled in.
    pub fn m_of_n(&self) -> (u32, u32) {
        m_of_n(self.evaluation_periods, self.datapoints_to_alarm, 3, 2)
    }
}

impl RecommendedAlarms {
    /// The throttle alarms' settings when they are on, defaults filled in.
    pub fn throttles(&self) -> Option<CountAlarm> {
        Some(self.throttles.unwrap_or_default()).filter(|a| a.enabled)
    }

    /// The server-error alarms' settings when they are on, defaults filled in.
    pub fn server_errors(&self) -> Option<CountAlarm> {
        Some(self.server_errors.unwrap_or_default()).filter(|a| a.enabled)
    }
}

/// What the module builds over the invocation log group. Each switch defaults to true, so
/// `logInsights: {}` turns on the metrics, the queries and the dashboard; the security
/// filters are on only when `securityFilters` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogInsights {
    /// Metric filters publishing invocations, input and output tokens, errors and guardrail
    /// interventions per model ID and operation, in the namespace `BedrockInvocationLogs`.
    #[serde(default = "yes")]
    pub metric_filters: bool,

    /// Saved Logs Insights queries (query definitions, in the folder `bedrock`): tokens per
    /// caller and model per day, errors by caller, largest requests, requests with request
    /// metadata, guardrail interventions.
    #[serde(default = "yes")]
    pub saved_queries: bool,

    /// A CloudWatch dashboard of the models' invocations, latency, tokens, errors and
    /// throttles, the log deliveries, every alarm of the module, and tokens by caller.
    #[serde(default = "yes")]
    pub dashboard: bool,

    /// Metric filters counting records that contain prompt-injection or sensitive-data
    /// phrases, with alarms. Absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_filters: Option<SecurityFilters>,
}

impl Default for LogInsights {
    fn default() -> Self {
        LogInsights { metric_filters: true, saved_queries: true, dashboard: true, security_filters: None }
    }
}

/// The Athena side of the S3 trail: what the table covers, what one query may scan, how
/// long results are kept, and which roles may query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogAnalytics {
    /// The first day (UTC, `YYYY-MM-DD`) whose logs the table's partition projection
    /// covers: hours before it are never read. Default 2023-09-28, the day Amazon Bedrock
    /// became generally available, so every log the bucket can hold is covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub logs_since: Option<String>,

    /// The most bytes one query of the workgroup may scan before Athena cancels it
    /// (Athena's least is 10,000,000). Default 100,000,000,000 (100 GB, 50 cents at
    /// Athena's 5 dollars per terabyte scanned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 10_000_000))]
    pub bytes_scanned_cutoff_per_query: Option<u64>,

    /// Days after which query results (which can hold prompts and completions) are deleted
    /// from the results bucket. Default 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 2_147_483_647))]
    pub query_results_expire_after_days: Option<u32>,

    /// Names of IAM roles of this account that may query the logs: the module's query
    /// policy is attached to each. Roles of other accounts attach the same statements in
    /// their own account. Absent: the policy is attached to no role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reader_roles: Vec<String>,
}

/// The first day the table covers when `logsSince` is not set: Amazon Bedrock's general
/// availability, so no invocation log can be older.
pub const DEFAULT_LOGS_SINCE: &str = "2023-09-28";

/// What one query may scan when `bytesScannedCutoffPerQuery` is not set: 100 GB.
pub const DEFAULT_BYTES_SCANNED_CUTOFF: u64 = 100_000_000_000;

/// Days query results are kept when `queryResultsExpireAfterDays` is not set.
pub const DEFAULT_QUERY_RESULTS_EXPIRE_AFTER_DAYS: u32 = 30;

impl LogAnalytics {
    /// The first day the table covers, default filled in.
    pub fn logs_since(&self) -> &str {
        self.logs_since.as_deref().unwrap_or(DEFAULT_LOGS_SINCE)
    }

    /// The per-query scan limit, default filled in.
    pub fn bytes_scanned_cutoff_per_query(&self) -> u64 {
        self.bytes_scanned_cutoff_per_query.unwrap_or(DEFAULT_BYTES_SCANNED_CUTOFF)
    }

    /// The days query results are kept, default filled in.
    pub fn query_results_expire_after_days(&self) -> u32 {
        self.query_results_expire_after_days.unwrap_or(DEFAULT_QUERY_RESULTS_EXPIRE_AFTER_DAYS)
    }
}

/// Phrases whose appearance in an invocation record is counted, and alarmed on.
///
/// A phrase matches anywhere in the record (prompt or completion), exactly and with case:
/// CloudWatch Logs' filter patterns cannot address every message of a prompt, since they
/// have no wildcard over arrays.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityFilters {
    /// Phrases of prompt-injection attempts. Absent: the module's list
    /// ("ignore previous instructions" and the like). 1 to 20 phrases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 20))]
    pub prompt_injection_phrases: Option<Vec<String>>,

    /// Phrases of secrets that must not reach a model. Absent: the module's list (private
    /// keys, AWS access keys). 1 to 20 phrases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 20))]
    pub sensitive_data_phrases: Option<Vec<String>>,

    /// Alarms when a phrase is seen, to the topic of `tokenUsageAlarms`. Default true when
    /// `tokenUsageAlarms` is set; it needs that topic, so true without it is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarms: Option<bool>,
}

/// The prompt-injection phrases when the configuration lists none: the openings of the
/// instruction-override attempts most often published, in the case people write them.
pub const DEFAULT_PROMPT_INJECTION_PHRASES: &[&str] = &[
    "ignore previous instructions",
    "ignore all previous instructions",
    "Ignore previous instructions",
    "Ignore all previous instructions",
    "disregard your instructions",
    "reveal your system prompt",
];

/// The sensitive-data phrases when the configuration lists none: the armour line of a PEM
/// private key, and the names under which AWS credentials are written in files and code.
pub const DEFAULT_SENSITIVE_DATA_PHRASES: &[&str] =
    &["PRIVATE KEY-----", "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"];

impl SecurityFilters {
    /// The prompt-injection phrases, default filled in.
    pub fn prompt_injection_phrases(&self) -> Vec<&str> {
        phrases(&self.prompt_injection_phrases, DEFAULT_PROMPT_INJECTION_PHRASES)
    }

    /// The sensitive-data phrases, default filled in.
    pub fn sensitive_data_phrases(&self) -> Vec<&str> {
        phrases(&self.sensitive_data_phrases, DEFAULT_SENSITIVE_DATA_PHRASES)
    }
}

fn phrases<'a>(given: &'a Option<Vec<String>>, default: &[&'static str]) -> Vec<&'a str> {
    match given {
        Some(list) => list.iter().map(String::as_str).collect(),
        None => default.to_vec(),
    }
}

/// The alarm period when `periodSeconds` is not set.
pub const DEFAULT_ALARM_PERIOD_SECONDS: u32 = 300;

impl TokenUsageAlarms {
    /// Whether the module creates the topic the alarms notify.
    pub fn creates_topic(&self) -> bool {
        self.create_notification_topic == Some(true)
    }

    /// The period, default filled in.
    pub fn period_seconds(&self) -> u32 {
        self.period_seconds.unwrap_or(DEFAULT_ALARM_PERIOD_SECONDS)
    }

    /// The evaluation periods, default filled in.
    pub fn evaluation_periods(&self) -> u32 {
        self.evaluation_periods.unwrap_or(1)
    }

    /// The datapoints to alarm, default filled in: every evaluated period must breach.
    pub fn datapoints_to_alarm(&self) -> u32 {
        self.datapoints_to_alarm.unwrap_or_else(|| self.evaluation_periods())
    }
}

/// The SSM parameter prefix used when the config sets none.
pub const DEFAULT_SSM_PREFIX: &str = "/bedrock-settings";

/// The name, under the SSM prefix, of the parameter in which the handler records a
/// configuration it took over, to put it back when the stack is deleted.
const REPLACED_CONFIGURATION_PARAMETER: &str = "replaced-logging-configuration";

/// The configuration `synth` uses without `--config`: both destinations on.
pub const DEFAULT_CONFIG_YAML: &str = include_str!("../samples/both-destinations.yaml");

impl Config {
    /// Whether CloudWatch entries too large for it go to the bucket.
    pub fn large_data_to_s3(&self) -> bool {
        self.enable_audit_logging_to_cloudwatch && self.cloudwatch_large_data_delivery_to_s3.unwrap_or(true)
    }

    /// Whether the template has a bucket: for the S3 destination, or for
    /// CloudWatch's large entries.
    pub fn needs_bucket(&self) -> bool {
        self.enable_audit_logging_to_s3 || self.large_data_to_s3()
    }

    /// The data-delivery toggles, defaults filled in.
    pub fn data_delivery(&self) -> DataDelivery {
        self.data_delivery.unwrap_or_default()
    }

    /// The SSM parameter prefix, default filled in.
    pub fn ssm_prefix(&self) -> &str {
        self.ssm_parameter_prefix.as_deref().unwrap_or(DEFAULT_SSM_PREFIX)
    }

    /// Whether the template has the delivery-failure alarms: by default when there are
    /// token alarms, whose topic they notify.
    pub fn delivery_failure_alarms(&self) -> bool {
        self.delivery_failure_alarms.unwrap_or(self.token_usage_alarms.is_some())
    }

    /// Whether the security filters have alarms: by default when there are token alarms,
    /// whose topic they notify.
    pub fn security_filter_alarms(&self) -> bool {
        self.log_insights
            .as_ref()
            .and_then(|l| l.security_filters.as_ref())
            .is_some_and(|s| s.alarms.unwrap_or(self.token_usage_alarms.is_some()))
    }

    /// The findings log group's retention, default filled in.
    pub fn findings_retention_days(&self) -> Option<u32> {
        let p = self.cloudwatch_data_protection.as_ref()?;
        Some(
            p.findings_retention_days
                .or(self.cloudwatch_log_retention_days)
                .unwrap_or(DEFAULT_FINDINGS_RETENTION_DAYS),
        )
    }

    /// The SSM parameter in which the handler records a configuration it took over.
    pub fn replaced_configuration_parameter(&self) -> String {
        format!("{}/{REPLACED_CONFIGURATION_PARAMETER}", self.ssm_prefix().trim_end_matches('/'))
    }
}
