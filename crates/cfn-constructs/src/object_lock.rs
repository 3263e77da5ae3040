//! S3 Object Lock: a default retention that every new object version of a
//! bucket takes, write once, read many.
//!
//! The facts (Amazon S3 User Guide, "Locking objects with Object Lock" and
//! "Configuring S3 Object Lock"; S3 API `PutObjectLockConfiguration`):
//! - a default retention has a mode and exactly one period, `Days` or
//!   `Years`, a positive whole number. The API reference states no upper
//!   bound; the S3 console takes 1 to 36,500 days or 1 to 100 years, and so
//!   does this block, so that a period is never one S3 might refuse;
//! - `GOVERNANCE`: principals allowed `s3:BypassGovernanceRetention` may
//!   delete a locked version or shorten its retention (with the header
//!   `x-amz-bypass-governance-retention`); `COMPLIANCE`: nobody can, the root
//!   user included, until the retention ends;
//! - Object Lock needs versioning and, once on, can be turned off neither
//!   for the bucket nor its versioning; S3 turns it on for an existing
//!   versioned bucket (since November 2023);
//! - a lock protects a version, not a key: deleting a key adds a delete
//!   marker (allowed), and lifecycle expiration of current versions does
//!   the same; permanently deleting a locked version is refused, so a
//!   lifecycle rule expiring noncurrent versions deletes a locked one only
//!   once its retention has ended.

use cfn_template::resources::s3::bucket::{DefaultRetention, ObjectLockConfiguration, ObjectLockRule};
use cfn_template::resources::s3::Bucket;

/// The most days S3 takes for a default retention.
pub const MAX_OBJECT_LOCK_DAYS: u32 = 36_500;
/// The most years S3 takes for a default retention.
pub const MAX_OBJECT_LOCK_YEARS: u32 = 100;

/// Who can shorten a retention or delete a locked version before it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectLockMode {
    /// Principals allowed `s3:BypassGovernanceRetention`, asking for it.
    Governance,
    /// Nobody, the root user included.
    Compliance,
}

impl ObjectLockMode {
    /// The mode as S3 and CloudFormation spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectLockMode::Governance => "GOVERNANCE",
            ObjectLockMode::Compliance => "COMPLIANCE",
        }
    }
}

/// A default retention period: days or years, as S3 takes one or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetentionPeriod {
    /// Whole days, 1 to [`MAX_OBJECT_LOCK_DAYS`].
    Days(u32),
    /// Whole years, 1 to [`MAX_OBJECT_LOCK_YEARS`].
    Years(u32),
}

impl RetentionPeriod {
    /// The period, if S3 accepts it.
    pub fn checked(self) -> Option<Self> {
        match self {
            RetentionPeriod::Days(d) if (1..=MAX_OBJECT_LOCK_DAYS).contains(&d) => Some(self),
            RetentionPeriod::Years(y) if (1..=MAX_OBJECT_LOCK_YEARS).contains(&y) => Some(self),
            _ => None,
        }
    }

    /// The fewest days the period can last. S3 counts years in calendar
    /// years from the version's creation, so a year is at least 365 days.
    pub fn min_days(self) -> u64 {
        match self {
            RetentionPeriod::Days(d) => u64::from(d),
            RetentionPeriod::Years(y) => 365 * u64::from(y),
        }
    }

    /// The most days the period can last: a year may hold a leap day, and
    /// any four consecutive years hold at most one.
    pub fn max_days(self) -> u64 {
        match self {
            RetentionPeriod::Days(d) => u64::from(d),
            RetentionPeriod::Years(y) => 365 * u64::from(y) + u64::from(y.div_ceil(4)),
        }
    }
}

/// A bucket's default Object Lock retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectLock {
    /// The retention mode.
    pub mode: ObjectLockMode,
    /// The retention period.
    pub period: RetentionPeriod,
}

impl ObjectLock {
    /// A default retention, if S3 accepts its period.
    pub fn new(mode: ObjectLockMode, period: RetentionPeriod) -> Option<Self> {
        period.checked().map(|period| ObjectLock { mode, period })
    }

    /// Sets Object Lock with this default retention on a bucket: both
    /// `ObjectLockEnabled` and `ObjectLockConfiguration`, as CloudFormation
    /// documents for a bucket that applies a configuration.
    pub(crate) fn apply(&self, bucket: &mut Bucket) {
        let (days, years) = match self.period {
            RetentionPeriod::Days(d) => (Some(d), None),
            RetentionPeriod::Years(y) => (None, Some(y)),
        };
        bucket.object_lock_enabled = Some(true.into());
        bucket.object_lock_configuration = Some(ObjectLockConfiguration {
            object_lock_enabled: Some("Enabled".into()),
            rule: Some(ObjectLockRule {
                default_retention: Some(DefaultRetention {
                    mode: Some(self.mode.as_str().into()),
                    days: days.map(Into::into),
                    years: years.map(Into::into),
                    ..DefaultRetention::default()
                }),
            }),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_s3_refuses_are_not_built() {
        for bad in [RetentionPeriod::Days(0), RetentionPeriod::Days(36_501), RetentionPeriod::Years(101)] {
            assert_eq!(bad.checked(), None, "{bad:?}");
        }
        assert!(ObjectLock::new(ObjectLockMode::Compliance, RetentionPeriod::Years(100)).is_some());
        assert!(ObjectLock::new(ObjectLockMode::Governance, RetentionPeriod::Days(1)).is_some());
    }

    #[test]
    fn years_span_their_leap_days() {
        assert_eq!(RetentionPeriod::Years(6).min_days(), 2190);
        assert_eq!(RetentionPeriod::Years(6).max_days(), 2192);
        assert_eq!(RetentionPeriod::Years(1).max_days(), 366);
        assert_eq!(RetentionPeriod::Days(30).max_days(), 30);
    }
}
