//! A module of one's own, on the workspace's public API alone: a CloudTrail
//! trail of the account to an encrypted bucket and log group, an alarm on
//! failed console sign-ins, and an encrypted topic that emails it.

use cfn_constructs::{
    is_email_address, Alarm, AlarmSource, ComparisonOperator, EncryptedLogGroup, EncryptedTopic,
    EncryptionKey, MetricFilter, NameKind, NamingStrategy, Period, RetentionDays, SecureBucket, Statistic,
    Trail,
};
use cfn_template::Template;
use module_kit::{Checked, KeyPath, Module, Problems};

/// The configuration (`sample.yaml`).
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    /// The trail's name (the region is added).
    pub trail_name: String,
    /// How many days the log group keeps events: a period CloudWatch Logs accepts.
    pub log_retention_days: u32,
    /// Alarm when more failed sign-ins than this happen in one period.
    pub failed_sign_ins_per_period: u32,
    /// The period, in minutes (1 to 1,440).
    pub period_minutes: u32,
    /// Who is emailed when the alarm fires.
    pub alarm_emails: Vec<String>,
}

/// CloudTrail's record of a failed console sign-in.
const FAILED_SIGN_IN: &str =
    r#"{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }"#;

/// The module (`console-login-alarms --config sample.yaml`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsoleLoginAlarms;

impl Module for ConsoleLoginAlarms {
    type Config = Config;

    fn name(&self) -> &'static str {
        "console-login-alarms"
    }

    fn default_config_yaml(&self) -> &'static str {
        include_str!("../sample.yaml")
    }

    fn check(&self, c: &Config, problems: &mut Problems) {
        if RetentionDays::new(c.log_retention_days).is_none() {
            let nearest = RetentionDays::nearest(c.log_retention_days);
            let p =
                problems.report(["logRetentionDays"], "CloudWatch Logs does not keep events that many days");
            p.expected("1, 3, 5, 7, 14, 30, 60, 90, ..., 3653")
                .help(format!("the nearest it accepts is {nearest}"));
        }
        if !(1..=1440).contains(&c.period_minutes) {
            problems
                .report(["periodMinutes"], "an alarm's period is 1 to 1,440 minutes")
                .expected("1 to 1440");
        }
        if c.alarm_emails.is_empty() {
            problems.report(["alarmEmails"], "no one would be told").expected("at least one email address");
        }
        for (i, email) in c.alarm_emails.iter().enumerate().filter(|(_, e)| !is_email_address(e)) {
            problems.report(
                KeyPath::root().key("alarmEmails").index(i),
                format!("`{email}` is not an email address"),
            );
        }
    }

    fn synthesize_with(&self, c: &Checked<Self>, naming: &dyn NamingStrategy) -> Template {
        let mut t = Template::new();
        t.set_description("Alarms on failed console sign-ins, from a CloudTrail trail of this account");
        let key =
            EncryptionKey::new("Trail", naming.name(NameKind::KmsAlias, "console-sign-ins")).build(&mut t);
        let bucket = SecureBucket::new("Trail", naming.name(NameKind::Bucket, "console-sign-ins"), &key.key)
            .build(&mut t);
        SecureBucket::NO_ACCESS_LOGS.record(&mut t, &bucket.bucket);
        SecureBucket::NOT_REPLICATED.record(&mut t, &bucket.bucket);
        let logs = EncryptedLogGroup::new(
            "Trail",
            naming.name(NameKind::LogGroup, "/console-sign-ins/trail"),
            &key.key,
        )
        .retention(RetentionDays::new(c.log_retention_days))
        .build(&mut t);
        key.allow_cloudwatch_logs(&mut t, &[&logs]);
        let role = naming.name(NameKind::IamRole, "console-sign-ins-trail");
        let policy = naming.name(NameKind::IamManagedPolicy, "console-sign-ins-trail");
        Trail::new("Account", naming.name(NameKind::Trail, &c.trail_name), &bucket)
            .send_to_log_group(&logs, role, policy)
            .build(&mut t);

        let topic = EncryptedTopic::new("Alarms", naming.name(NameKind::Topic, "console-sign-ins"), &key)
            .build(&mut t);
        for (i, email) in c.alarm_emails.iter().enumerate() {
            topic
                .subscribe_email(&mut t, &format!("Email{i}"), email.as_str())
                .expect("checked: an email address");
        }
        let failed =
            MetricFilter::new("FailedSignIns", &logs, FAILED_SIGN_IN, "ConsoleSignIns", "FailedSignIns")
                .default_value(0.0)
                .build(&mut t)
                .expect("a filter without dimensions");
        let period = Period::minutes(c.period_minutes).expect("checked: 1 to 1,440 minutes");
        let source = AlarmSource::metric(failed.metric(), Statistic::SUM, period);
        let threshold = f64::from(c.failed_sign_ins_per_period);
        Alarm::new(
            "FailedSignIns",
            naming.name(NameKind::Alarm, "failed-console-sign-ins"),
            source,
            ComparisonOperator::GreaterThanThreshold,
            threshold,
        )
        .description("More failed console sign-ins than the configured number in one period")
        .alarm_action(&topic)
        .build(&mut t)
        .expect("checked: a period of a day at most, one evaluation");
        t
    }
}
