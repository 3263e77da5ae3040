//! A log group encrypted with a customer-managed key.

use std::fmt;

use cfn_template::resources::kms::Key;
use cfn_template::resources::logs::LogGroup;
use cfn_template::{Attributes, Expr, Handle};

use crate::Stack;

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
        let best = RETENTION_DAYS.iter().copied().min_by_key(|d| d.abs_diff(i64::from(days))).unwrap_or(1);
        RetentionDays(u32::try_from(best).expect("retention periods are small"))
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
}

impl EncryptedLogGroup {
    /// A log group `<id>LogGroup` named `name`, encrypted with `key`. The
    /// key's policy must let CloudWatch Logs use it for this name (see
    /// `EncryptionKeyBuilder::allow_cloudwatch_logs`).
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr, key: &Handle<Key>) -> EncryptedLogGroupBuilder {
        EncryptedLogGroupBuilder { id: id.into(), name, key_arn: key.arn(), retention: None }
    }
}

impl EncryptedLogGroupBuilder {
    /// Keeps events this many days; without it they never expire.
    ///
    /// # Panics
    /// When CloudWatch Logs does not accept the period; validate user input
    /// with [`RetentionDays::new`] first.
    pub fn retention_days(mut self, days: u32) -> Self {
        assert!(
            RetentionDays::new(days).is_some(),
            "CloudWatch Logs does not accept a retention of {days} days"
        );
        self.retention = Some(days);
        self
    }

    /// Sets the retention from a checked period, or never-expire for `None`.
    pub fn retention(mut self, days: Option<RetentionDays>) -> Self {
        self.retention = days.map(RetentionDays::days);
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
                ..LogGroup::default()
            },
            Attributes::new().retain(),
        );
        EncryptedLogGroup { log_group, name: self.name }
    }
}
