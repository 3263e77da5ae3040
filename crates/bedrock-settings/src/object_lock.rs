//! `s3ObjectLock`: the audit bucket's default Object Lock retention, and the
//! rules that keep it consistent with the lifecycle.
//!
//! What the module does to objects stays within what a lock allows. Bedrock
//! only adds objects, under keys of its own, so no version is overwritten.
//! The lifecycle's current-version expiration adds a delete marker, which a
//! lock allows; its noncurrent-version expiration deletes a version
//! permanently, which S3 refuses while the version is locked and does, on a
//! later daily run, once the retention has ended. The handler deletes no
//! object: it calls only Bedrock's logging APIs and SSM. Bedrock's
//! `permission-check` object, written when the configuration is put, is
//! locked like any other and stays until its retention ends.

use cfn_constructs::{ObjectLock, RetentionPeriod, MAX_OBJECT_LOCK_DAYS, MAX_OBJECT_LOCK_YEARS};
use module_kit::Problems;

use crate::config::{Config, ObjectLockMode, S3ObjectLock};

const KEY: &str = "s3ObjectLock";

/// The lock the configuration asks for, if it is one S3 accepts.
pub(crate) fn lock(c: &Config) -> Option<ObjectLock> {
    let l = c.s3_object_lock?;
    let mode = match l.mode {
        ObjectLockMode::Governance => cfn_constructs::ObjectLockMode::Governance,
        ObjectLockMode::Compliance => cfn_constructs::ObjectLockMode::Compliance,
    };
    ObjectLock::new(mode, period(&l)?)
}

fn period(l: &S3ObjectLock) -> Option<RetentionPeriod> {
    match (l.days, l.years) {
        (Some(d), None) => Some(RetentionPeriod::Days(d)),
        (None, Some(y)) => Some(RetentionPeriod::Years(y)),
        _ => None,
    }
}

/// Only with a bucket; exactly one period, within S3's range; and a lifecycle
/// that does not plan to delete versions the lock still holds.
pub(crate) fn check(c: &Config, problems: &mut Problems) {
    let Some(l) = &c.s3_object_lock else { return };
    if !c.needs_bucket() {
        problems
            .report([KEY], "applies only to the audit bucket, which this configuration does not have")
            .expected("`enableAuditLoggingToS3: true` or CloudWatch large-data delivery to S3")
            .help("remove it, or turn on a destination that uses the bucket");
    }
    match (l.days, l.years) {
        (Some(_), Some(_)) => {
            problems
                .report([KEY, "years"], "not allowed with `days`: S3 takes one retention period")
                .expected("either `days` or `years`")
                .help("keep one of them");
        }
        (None, None) => {
            problems
                .report([KEY], "no retention period: a lock without one would lock nothing by default")
                .expected("`days: N` (1 to 36,500) or `years: N` (1 to 100)")
                .help("add `years: 6`, for instance");
        }
        _ => {}
    }
    for (key, value, most, unit) in
        [("days", l.days, MAX_OBJECT_LOCK_DAYS, "days"), ("years", l.years, MAX_OBJECT_LOCK_YEARS, "years")]
    {
        match value {
            Some(0) => {
                problems
                    .report([KEY, key], format!("0 {unit} is not a retention"))
                    .expected(format!("1 to {most}"));
            }
            Some(n) if n > most => {
                problems
                    .report([KEY, key], format!("{n} {unit} is more than S3 takes"))
                    .expected(format!("1 to {most} {unit}"));
            }
            _ => {}
        }
    }
    let Some(period) = period(l).and_then(RetentionPeriod::checked) else { return };
    lifecycle_within_lock(c, period, problems);
}

/// Versions expire at `expireAfterDays` and are deleted
/// `noncurrentVersionExpireAfterDays` later: a deletion planned before the
/// retention ends would not happen (S3 keeps the version until it does), so
/// the configuration would state a schedule S3 does not follow.
fn lifecycle_within_lock(c: &Config, period: RetentionPeriod, problems: &mut Problems) {
    let Some(l) = &c.s3_lifecycle else { return };
    let (Some(expire), Some(noncurrent)) = (l.expire_after_days, l.noncurrent_version_expire_after_days)
    else {
        return;
    };
    let deleted_at = u64::from(expire) + u64::from(noncurrent);
    let locked_until = period.max_days();
    if deleted_at < locked_until {
        let needed = locked_until - u64::from(expire);
        problems
            .report(
                ["s3Lifecycle", "noncurrentVersionExpireAfterDays"],
                format!(
                    "versions would be deleted {deleted_at} days after they are written \
                     (expireAfterDays {expire} + {noncurrent}), while the Object Lock keeps them up to \
                     {locked_until} days: S3 would refuse the deletion until the lock ends"
                ),
            )
            .expected(format!(
                "at least {needed}, so that the lifecycle deletes a version only once its lock has ended"
            ))
            .help(format!("set `noncurrentVersionExpireAfterDays: {needed}`, or shorten the lock"));
    }
}
