//! A log group encrypted with a customer-managed key.

use std::fmt;

use cfn_template::resources::kms::Key;
use cfn_template::resources::logs::LogGroup;
use cfn_template::{Attributes, Expr, Handle};

use crate::{log_group_arn, log_stream_arn, DataProtectionPolicy, Grantee, Grants, Stack};

/// The retention periods CloudWatch Logs accepts, in days, as its schema lists them.
pub const RETENTION_DAYS: &[i64] = LogGroup::RETENTION_IN_DAYS_VALUES;

/// A retention period CloudWatch Logs accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RetentionDays(u32);

impl RetentionDays {
    /// The period, if CloudWatch Logs accepts it.
    pub fn new(days: u32) -> Option<Self> {
        RETENTION_DAYS.contains(&i64::from(days)).then_some(RetentionDays(days))
    }

    /// The number of days.
    pub fn days(self) -> u32 {
        self.0
    }

    /// The accepted period nearest to `days`, for suggestions.
    pub fn nearest(days: u32) -> Self {
        RETENTION_DAYS
            .iter()
            .filter_map(|d| u32::try_from(*d).ok())
            .min_by_key(|d| d.abs_diff(days))
            .map_or(RetentionDays(1), RetentionDays)
    }
}

impl fmt::Display for RetentionDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The log group, as added to a template.
#[derive(Debug, Clone)]
pub struct EncryptedLogGroup {
    /// The log group.
    pub log_group: Handle<LogGroup>,
    /// Its name, as given (usable before the log group exists).
    pub name: Expr,
}

/// Builds an [`EncryptedLogGroup`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the log group to a template"]
pub struct EncryptedLogGroupBuilder {
    id: String,
    name: Expr,
    key_arn: Expr,
    retention: Option<u32>,
    data_protection: Option<DataProtectionPolicy>,
}

impl EncryptedLogGroup {
    /// Lets a grantee create streams in the log group and write events to them.
    pub fn grant_write(&self, s: &mut impl Stack, grantee: impl Into<Grantee>) {
        let actions = ["logs:CreateLogStream", "logs:PutLogEvents"];
        self.log_group.grant(s, grantee, actions, self.arns());
    }

    /// Lets a grantee read the log group's events and start Logs Insights
    /// queries on it. Reading a query's results (`logs:GetQueryResults`)
    /// takes no resource but `*`, so it is the grantee's own to hold.
    pub fn grant_read(&self, s: &mut impl Stack, grantee: impl Into<Grantee>) {
        let actions =
            ["logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents", "logs:StartQuery"];
        self.log_group.grant(s, grantee, actions, self.arns());
    }

    /// The log group and its streams, by name: the log group's own policy
    /// cannot refer to the log group (it would depend on itself).
    fn arns(&self) -> Vec<Expr> {
        vec![log_group_arn(&self.name), log_stream_arn(&self.name, "*")]
    }

    /// A log group `<id>LogGroup` named `name`, encrypted with `key`. The
    /// key's policy must let CloudWatch Logs use it for this name (see
    /// `EncryptionKeyBuilder::allow_cloudwatch_logs`).
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr, key: &Handle<Key>) -> EncryptedLogGroupBuilder {
        EncryptedLogGroupBuilder {
            id: id.into(),
            name,
            key_arn: key.arn(),
            retention: None,
            data_protection: None,
        }
    }
}

impl EncryptedLogGroupBuilder {
    /// Keeps events this long; without it they never expire. A period
    /// CloudWatch Logs does not accept cannot be built: see [`RetentionDays::new`].
    pub fn retention_days(mut self, days: RetentionDays) -> Self {
        self.retention = Some(days.days());
        self
    }

    /// Sets the retention from a checked period, or never-expire for `None`.
    pub fn retention(mut self, days: Option<RetentionDays>) -> Self {
        self.retention = days.map(RetentionDays::days);
        self
    }

    /// Audits and masks sensitive data as events are ingested (see
    /// [`DataProtectionPolicy`]). The findings log group must be encrypted
    /// with a key CloudWatch Logs may use for it, as this one is.
    pub fn data_protection(mut self, policy: Option<DataProtectionPolicy>) -> Self {
        self.data_protection = policy;
        self
    }

    /// Adds the log group, retained on delete and replacement: audit data
    /// outlives the stack.
    pub fn build(self, s: &mut impl Stack) -> EncryptedLogGroup {
        let log_group = s.add_resource(
            &format!("{}LogGroup", self.id),
            LogGroup {
                log_group_name: Some(self.name.clone()),
                kms_key_id: Some(self.key_arn),
                retention_in_days: self.retention.map(Into::into),
                data_protection_policy: self.data_protection.as_ref().map(DataProtectionPolicy::document),
                ..LogGroup::default()
            },
            Attributes::new().retain(),
        );
        EncryptedLogGroup { log_group, name: self.name }
    }
}
