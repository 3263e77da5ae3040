//! The module's rules for a configuration: what the types cannot say, and
//! every value AWS would reject, refused before a template is written.

use cfn_constructs::{RetentionDays, RETENTION_DAYS};
use module_kit::Problems;

use crate::config::{
    Config, CountAlarm, PercentileAlarm, RecommendedAlarms, TokenThresholds, TokenUsageAlarms,
};
use crate::insights::{MAX_PHRASES, MAX_PHRASE_LENGTH};
use crate::monitoring::{
    is_model_key, model_id_part, parse_existing_topic, MAX_DIMENSION_VALUE, MAX_MODEL_IDS, MAX_MODEL_KEY,
};
use crate::ssm_limits::{MAX_SSM_LEVELS, MAX_SSM_NAME};

/// The most days an S3 lifecycle rule takes: S3 reads them as 32-bit signed integers.
pub(crate) const MAX_LIFECYCLE_DAYS: u32 = i32::MAX as u32;

/// The longest name the module publishes under the prefix.
pub(crate) const LONGEST_PUBLISHED_NAME: &str = "service-role-arn";

/// Checks what the types cannot: combinations, ranges and AWS limits.
pub(crate) fn check(c: &Config, problems: &mut Problems) {
    if !c.enable_audit_logging_to_s3 && !c.enable_audit_logging_to_cloudwatch {
        problems
            .report(
                ["enableAuditLoggingToS3"],
                "no destination is on: model invocation logs would go nowhere",
            )
            .expected("`enableAuditLoggingToS3: true`, `enableAuditLoggingToCloudwatch: true`, or both")
            .help("set `enableAuditLoggingToS3: true` for long-term audit storage");
    }
    cloudwatch(c, problems);
    crate::data_protection::check(c, problems);
    lifecycle(c, problems);
    crate::object_lock::check(c, problems);
    if let Some(d) = c.data_delivery {
        if !(d.text || d.image || d.embedding || d.video || d.audio) {
            problems
                .report(
                    ["dataDelivery"],
                    "every kind of data is off: the logs would record no invocation data",
                )
                .expected("at least one of text, image, embedding, video, audio set to true");
        }
    }
    tags(c, problems);
    if c.sets_removed_allow_unsupported_data_delivery {
        problems
            .report(
                ["allowUnsupportedDataDelivery"],
                "this key was removed: every data-delivery flag now reaches Bedrock, on or off, \
                 whatever SDK the handler's Lambda runtime has, so there is nothing left to allow",
            )
            .help("delete it from the file; the logs carry exactly the kinds `dataDelivery` turns on");
    }
    if let Some(alarms) = &c.token_usage_alarms {
        token_usage_alarms(alarms, problems);
    }
    if c.delivery_failure_alarms == Some(true) && c.token_usage_alarms.is_none() {
        problems
            .report(["deliveryFailureAlarms"], "there is no topic for these alarms to notify")
            .expected("a notification target in `tokenUsageAlarms`, whose topic these alarms share")
            .help("add `tokenUsageAlarms` with `createNotificationTopic: true` or a `notificationTopicArn`, or remove this key");
    }
    if let Some(r) = &c.recommended_alarms {
        recommended_alarms(c, r, problems);
    }
    log_insights(c, problems);
    crate::check_analytics::log_analytics(c, problems);
    if let Some(prefix) = &c.ssm_parameter_prefix {
        if let Err(problem) = check_ssm_prefix(prefix) {
            problems.report(["ssmParameterPrefix"], problem).expected(
                "a path such as `/bedrock-settings`: starts with `/`, letters, digits and _ . - /, no trailing `/`",
            );
        }
    }
}

fn cloudwatch(c: &Config, problems: &mut Problems) {
    let cloudwatch_off = |problems: &mut Problems, key: &str| cloudwatch_is_off(problems, key, None);
    if let Some(days) = c.cloudwatch_log_retention_days {
        if !c.enable_audit_logging_to_cloudwatch {
            cloudwatch_off(problems, "cloudwatchLogRetentionDays");
        } else {
            retention_days(problems, &["cloudwatchLogRetentionDays"], days, ", or no key for never expire");
        }
    }
    if c.cloudwatch_large_data_delivery_to_s3.is_some() && !c.enable_audit_logging_to_cloudwatch {
        cloudwatch_off(problems, "cloudwatchLargeDataDeliveryToS3");
    }
}

/// An option of the CloudWatch destination while the destination is off;
/// `why` says what the option would have read.
pub(crate) fn cloudwatch_is_off(problems: &mut Problems, key: &str, why: Option<&str>) {
    let help = "remove it, or set `enableAuditLoggingToCloudwatch: true`";
    problems
        .report([key], "applies only to the CloudWatch destination, which is off")
        .expected("no such option while `enableAuditLoggingToCloudwatch` is false")
        .help(match why {
            Some(why) => format!("{help}: {why}"),
            None => help.to_string(),
        });
}

/// A retention CloudWatch Logs accepts, or an error naming the nearest;
/// `otherwise` ends the list of what is expected.
pub(crate) fn retention_days(problems: &mut Problems, path: &[&str], days: u32, otherwise: &str) {
    if RetentionDays::new(days).is_some() {
        return;
    }
    let list = RETENTION_DAYS.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    problems
        .report(module_kit::KeyPath::from(path), format!("{days} is not a retention CloudWatch Logs accepts"))
        .expected(format!("one of {list} (days){otherwise}"))
        .help(format!("the nearest accepted value is {}", RetentionDays::nearest(days)));
}

fn lifecycle(c: &Config, problems: &mut Problems) {
    let Some(l) = &c.s3_lifecycle else { return };
    if !c.needs_bucket() {
        problems
            .report(
                ["s3Lifecycle"],
                "applies only to the audit bucket, which this configuration does not have",
            )
            .expected("`enableAuditLoggingToS3: true` or CloudWatch large-data delivery to S3")
            .help("remove it, or turn on a destination that uses the bucket");
    }
    for (key, value) in [
        ("transitionToGlacierAfterDays", l.transition_to_glacier_after_days),
        ("expireAfterDays", l.expire_after_days),
        ("noncurrentVersionExpireAfterDays", l.noncurrent_version_expire_after_days),
    ] {
        match value {
            Some(0) => {
                problems
                    .report(["s3Lifecycle", key], "0 days is not a lifecycle period")
                    .expected("1 or more days");
            }
            Some(days) if days > MAX_LIFECYCLE_DAYS => {
                problems
                    .report(["s3Lifecycle", key], format!("{days} days is more than S3 lifecycle rules take"))
                    .expected(format!("at most {MAX_LIFECYCLE_DAYS} days"));
            }
            _ => {}
        }
    }
    if let (Some(t), Some(e)) = (l.transition_to_glacier_after_days, l.expire_after_days) {
        if e <= t {
            problems
                .report(
                    ["s3Lifecycle", "expireAfterDays"],
                    format!("objects would expire ({e} days) before or when they move to Glacier ({t} days)"),
                )
                .expected(format!("more than transitionToGlacierAfterDays ({t})"))
                .help("raise expireAfterDays, or remove the transition");
        }
    }
}

/// AWS's tag rules, as module-kit holds them for every module and for the
/// tags of an MDAA estate.
fn tags(c: &Config, problems: &mut Problems) {
    let found = module_kit::tags::tag_problems(c.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    for p in found {
        let reported = match &p.key {
            Some(k) => problems.report(["tags", k.as_str()], p.problem),
            None => problems.report(["tags"], p.problem),
        };
        reported.expected(p.expected);
        if let Some(help) = p.help {
            reported.help(help);
        }
    }
}

/// The seconds a period of under an hour may be evaluated over, and any longer one
/// (`PutMetricAlarm`: Period times EvaluationPeriods).
const ONE_DAY: u64 = 86_400;
const ONE_WEEK: u64 = 604_800;

fn token_usage_alarms(a: &TokenUsageAlarms, problems: &mut Problems) {
    const KEY: &str = "tokenUsageAlarms";
    notification_target(a, problems);

    // At least one alarm, and every threshold block with a threshold.
    if a.account_total.is_none() && a.models.is_empty() {
        problems
            .report([KEY], "no threshold is set: no alarm would be made")
            .expected("`accountTotal` or `models` with an `inputTokenThreshold` or `outputTokenThreshold`")
            .help("add `accountTotal: {inputTokenThreshold: 50000000}`, or remove `tokenUsageAlarms`");
    }
    if a.account_total.is_some_and(|t| t.is_empty()) {
        problems
            .report([KEY, "accountTotal"], "no threshold is set: no alarm would be made")
            .expected("`inputTokenThreshold`, `outputTokenThreshold`, or both");
    }
    let mut id_parts: Vec<(String, &str)> = Vec::new();
    for (key, model) in &a.models {
        let path = [KEY, "models", key.as_str()];
        if !is_model_key(key) {
            problems
                .report(path, format!("`{key}` is not a model-group name this module takes"))
                .expected(format!(
                    "1 to {MAX_MODEL_KEY} letters, digits, `_`, `.` and `-`, starting and ending with a letter or \
                     digit: it ends the alarms' names"
                ));
        } else {
            let part = model_id_part(key).to_ascii_lowercase();
            match id_parts.iter().find(|(p, _)| *p == part) {
                Some((_, first)) => {
                    problems
                        .report(path, format!("`{key}` and `{first}` differ only in case or punctuation"))
                        .expected(
                            "model-group names that differ in letters or digits: MDAA's names are \
                                   lower-cased, and the alarms' logical IDs keep only letters and digits",
                        )
                        .help(format!("rename `{key}`, or merge its model IDs into `{first}`"));
                }
                None => id_parts.push((part, key)),
            }
        }
        if TokenThresholds::of(model).is_empty() {
            problems
                .report(path, "no threshold is set: no alarm would be made for this group")
                .expected("`inputTokenThreshold`, `outputTokenThreshold`, or both");
        }
        let ids_path = [KEY, "models", key.as_str(), "modelIds"];
        if model.model_ids.is_empty() || model.model_ids.len() > MAX_MODEL_IDS {
            problems
                .report(ids_path, format!("{} model IDs are listed", model.model_ids.len()))
                .expected(format!("1 to {MAX_MODEL_IDS} model or inference-profile IDs"))
                .help(if model.model_ids.is_empty() {
                    "list the IDs callers pass, such as `amazon.nova-micro-v1:0` and `us.amazon.nova-micro-v1:0`"
                } else {
                    "split the IDs into two groups"
                });
        }
        for (i, id) in model.model_ids.iter().enumerate() {
            let at = module_kit::KeyPath::from(ids_path).index(i);
            if id.is_empty() || id.chars().count() > MAX_DIMENSION_VALUE {
                problems.report(at, "a model ID's length is out of range").expected(format!(
                    "1 to {MAX_DIMENSION_VALUE} characters, the most a CloudWatch dimension value has"
                ));
            } else if let Some(bad) = id.chars().find(|c| c.is_whitespace() || c.is_control()) {
                problems
                    .report(at, format!("the character U+{:04X} is not in any model ID", u32::from(bad)))
                    .expected("an ID as callers pass it, such as `amazon.nova-micro-v1:0`");
            } else if model.model_ids[..i].contains(id) {
                problems
                    .report(at, format!("`{id}` is listed twice"))
                    .expected("each model ID once: CloudWatch would count its tokens twice")
                    .help("remove the repeated ID");
            }
        }
    }

    // Timing, as CloudWatch checks it for a metric published once a minute.
    let period = a.period_seconds();
    if period < 60 || period % 60 != 0 {
        let nearest = (period.saturating_add(30) / 60).max(1).saturating_mul(60);
        problems
            .report([KEY, "periodSeconds"], format!("{period} s is not a period these alarms can use"))
            .expected("a multiple of 60 seconds: Bedrock publishes its metrics once a minute")
            .help(format!("the nearest such period is {nearest}"));
    }
    let evaluations = a.evaluation_periods();
    if evaluations == 0 {
        problems.report([KEY, "evaluationPeriods"], "0 periods evaluate nothing").expected("1 or more");
    } else {
        let limit = if period < 3600 { ONE_DAY } else { ONE_WEEK };
        let span = u64::from(period) * u64::from(evaluations);
        if span > limit && period >= 60 {
            problems
                .report(
                    [KEY, "evaluationPeriods"],
                    format!(
                        "{evaluations} periods of {period} s span {span} s, more than CloudWatch evaluates"
                    ),
                )
                .expected(if limit == ONE_DAY {
                    format!(
                        "at most {} periods: one day for periods under an hour",
                        ONE_DAY / u64::from(period)
                    )
                } else {
                    format!("at most {} periods: seven days", ONE_WEEK / u64::from(period))
                });
        }
    }
    if let Some(m) = a.datapoints_to_alarm {
        if m == 0 || m > evaluations {
            problems
                .report(
                    [KEY, "datapointsToAlarm"],
                    format!("{m} of {evaluations} periods can never set off the alarm"),
                )
                .expected(format!("1 to evaluationPeriods ({evaluations})"));
        }
    }
}

/// Exactly one target: a topic the module creates (with its subscribers), or
/// one that exists.
fn notification_target(a: &TokenUsageAlarms, problems: &mut Problems) {
    const KEY: &str = "tokenUsageAlarms";
    match (a.create_notification_topic, &a.notification_topic_arn) {
        (Some(_), Some(_)) => {
            problems
                .report([KEY, "createNotificationTopic"], "not allowed with `notificationTopicArn`")
                .expected("exactly one notification target: a created topic or an existing one")
                .help("remove `createNotificationTopic` to notify the existing topic, or `notificationTopicArn` to create one");
        }
        (Some(false), None) => {
            problems
                .report(
                    [KEY, "createNotificationTopic"],
                    "false creates no topic, and none is named: the alarms would notify nobody",
                )
                .expected("`createNotificationTopic: true`, or `notificationTopicArn` instead")
                .help("set it to true");
        }
        (None, None) => {
            problems
                .report([KEY], "no notification target: the alarms would notify nobody")
                .expected("`createNotificationTopic: true` or `notificationTopicArn: arn:<partition>:sns:<region>:<account>:<topic>`")
                .help("add `createNotificationTopic: true`");
        }
        (_, Some(arn)) => {
            if let Err(e) = parse_existing_topic(arn) {
                problems
                    .report([KEY, "notificationTopicArn"], e)
                    .expected("`arn:<partition>:sns:<region>:<account>:<topic>` (partition, region and account may be `{{partition}}`, `{{region}}`, `{{account}}`), or `ssm:/parameter/holding/the/arn`");
            }
        }
        (Some(true), None) => {}
    }
    if let Some(emails) = &a.notification_emails {
        if !a.creates_topic() {
            problems
                .report([KEY, "notificationEmails"], "only a topic this stack creates takes subscriptions")
                .expected("`createNotificationTopic: true` beside it; an existing topic is not this stack's to change")
                .help("subscribe the addresses to the existing topic yourself, or remove this key");
        }
        for (i, address) in emails.iter().enumerate() {
            let at = module_kit::KeyPath::from([KEY, "notificationEmails"]).index(i);
            if !cfn_constructs::is_email_address(address) {
                problems
                    .report(at, format!("`{address}` is not an email address"))
                    .expected("an address such as `oncall@example.com`");
            } else if emails[..i].iter().any(|e| e.eq_ignore_ascii_case(address)) {
                problems
                    .report(at, format!("`{address}` is listed twice"))
                    .expected("each address once: SNS would mail it twice")
                    .help("remove the repeated address");
            }
        }
    }
}

/// `recommendedAlarms`: a topic to notify, something on, options only on
/// what is on, thresholds that can breach, M of N within CloudWatch's day,
/// and quotas only for groups `tokenUsageAlarms.models` has.
fn recommended_alarms(c: &Config, r: &RecommendedAlarms, problems: &mut Problems) {
    const KEY: &str = "recommendedAlarms";
    if c.token_usage_alarms.is_none() {
        problems
            .report([KEY], "there is no topic for these alarms to notify")
            .expected("a notification target in `tokenUsageAlarms`, whose topic these alarms share")
            .help("add `tokenUsageAlarms` with `createNotificationTopic: true` or a `notificationTopicArn`, or remove this key");
    }
    if r.throttles().is_none()
        && r.server_errors().is_none()
        && r.tpm_quota.is_none()
        && r.latency.is_none()
        && r.time_to_first_token.is_none()
    {
        problems
            .report([KEY], "everything is off: no alarm would be made")
            .expected("`throttles` or `serverErrors` on (the default), or `tpmQuota`, `latency` or `timeToFirstToken`")
            .help("remove `recommendedAlarms`, or leave out `enabled: false`");
    }
    for (key, alarm) in [("throttles", &r.throttles), ("serverErrors", &r.server_errors)] {
        let Some(a) = alarm else { continue };
        count_alarm(a, key, problems);
    }
    if let Some(q) = &r.tpm_quota {
        let path = [KEY, "tpmQuota", "quotaTokensPerMinute"];
        let models = c.token_usage_alarms.as_ref().map(|t| &t.models);
        let known: Vec<&str> = models.into_iter().flat_map(|m| m.keys().map(String::as_str)).collect();
        if q.quota_tokens_per_minute.is_empty() {
            problems
                .report(path, "no model group is listed: no alarm would be made")
                .expected("a quota for a group of `tokenUsageAlarms.models`, such as `nova-micro: 2000000`")
                .help(
                    "quotas are per model: Service Quotas lists them as `... tokens per minute for <model>`",
                );
        }
        for (group, quota) in &q.quota_tokens_per_minute {
            let at = [KEY, "tpmQuota", "quotaTokensPerMinute", group.as_str()];
            if !known.contains(&group.as_str()) {
                let reported = problems
                    .report(at, format!("`{group}` is not a model group of `tokenUsageAlarms.models`"))
                    .expected(if known.is_empty() {
                        "a group of `tokenUsageAlarms.models`, which has none: the quota alarm watches a group's model IDs".to_string()
                    } else {
                        format!("one of {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))
                    });
                match module_kit::suggest::did_you_mean(group, &known) {
                    Some(near) => reported.help(format!("did you mean `{near}`?")),
                    None => reported
                        .help("add the group to `tokenUsageAlarms.models` with the model IDs it counts"),
                };
            }
            if *quota == 0 {
                problems.report(at, "a quota of 0 tokens per minute throttles every request").expected(
                    "the quota Service Quotas shows for the model in this account and region, 1 or more",
                );
            }
        }
        if let Some(percent) = q.percent {
            if percent == 0 || percent > 100 {
                let problem = if percent == 0 {
                    "0 % of the quota is reached by any use: the alarm would be on whenever the model is called".to_string()
                } else {
                    format!(
                        "{percent} % of the quota is never reached: Bedrock throttles requests at the quota"
                    )
                };
                problems
                    .report([KEY, "tpmQuota", "percent"], problem)
                    .expected("1 to 100")
                    .help("80 (the default) leaves a fifth of the quota as warning");
            }
        }
        let (n, _) = q.m_of_n();
        m_of_n(&[KEY, "tpmQuota"], q.evaluation_periods, q.datapoints_to_alarm, n, 60, problems);
    }
    for (key, alarm) in [("latency", &r.latency), ("timeToFirstToken", &r.time_to_first_token)] {
        let Some(p) = alarm else { continue };
        percentile_alarm(p, key, problems);
    }
}

fn count_alarm(a: &CountAlarm, key: &str, problems: &mut Problems) {
    const KEY: &str = "recommendedAlarms";
    if !a.enabled && a.has_options() {
        problems
            .report([KEY, key, "enabled"], "false, beside options that would then be ignored")
            .expected("`enabled: false` alone, or the options without it")
            .help("remove the other keys to switch these alarms off, or `enabled: false` to keep them");
    }
    if a.threshold == Some(0) {
        problems
            .report(
                [KEY, key, "threshold"],
                "a threshold of 0 is met by every period: the alarm would always be on",
            )
            .expected("1 or more")
            .help("choose a count that means trouble rather than noise, such as the default");
    }
    let (n, _) = a.m_of_n();
    m_of_n(&[KEY, key], a.evaluation_periods, a.datapoints_to_alarm, n, 300, problems);
}

fn percentile_alarm(p: &PercentileAlarm, key: &str, problems: &mut Problems) {
    const KEY: &str = "recommendedAlarms";
    if p.p90.is_none() && p.p99.is_none() {
        problems
            .report([KEY, key], "no threshold is set: no alarm would be made")
            .expected("`p90`, `p99`, or both, in milliseconds");
    }
    for (stat, ms) in [("p90", p.p90), ("p99", p.p99)] {
        if ms == Some(0) {
            problems
                .report([KEY, key, stat], "0 ms is exceeded by every request: the alarm would always be on")
                .expected("a number of milliseconds, 1 or more");
        }
    }
    let (n, _) = p.m_of_n();
    m_of_n(&[KEY, key], p.evaluation_periods, p.datapoints_to_alarm, n, 300, problems);
}

/// Evaluation periods of a fixed `period` within CloudWatch's one day, and M
/// of N that can happen. `n` is the evaluation periods with the default
/// filled in.
fn m_of_n(
    at: &[&str],
    evaluations: Option<u32>,
    datapoints: Option<u32>,
    n: u32,
    period: u32,
    problems: &mut Problems,
) {
    let path = |key: &str| module_kit::KeyPath::from(at).key(key);
    let most = (ONE_DAY / u64::from(period)) as u32;
    if let Some(e) = evaluations {
        if e == 0 || e > most {
            problems
                .report(
                    path("evaluationPeriods"),
                    format!("{e} periods of {period} s is not a range CloudWatch evaluates"),
                )
                .expected(format!("1 to {most}: one day of {period}-second periods"));
        }
    }
    if let Some(m) = datapoints {
        if m == 0 || m > n {
            problems
                .report(path("datapointsToAlarm"), format!("{m} of {n} periods can never set off the alarm"))
                .expected(format!("1 to evaluationPeriods ({n})"));
        }
    }
}

/// `logInsights`: only over the CloudWatch destination, something on, phrases
/// a filter pattern can quote, and alarms only with a topic.
fn log_insights(c: &Config, problems: &mut Problems) {
    const KEY: &str = "logInsights";
    let Some(insights) = &c.log_insights else { return };
    if !c.enable_audit_logging_to_cloudwatch {
        cloudwatch_is_off(problems, KEY, Some("metrics, queries and the dashboard read the log group"));
        return;
    }
    if !insights.metric_filters
        && !insights.saved_queries
        && !insights.dashboard
        && insights.security_filters.is_none()
    {
        problems
            .report([KEY], "everything is off: nothing would be made")
            .expected(
                "at least one of `metricFilters`, `savedQueries`, `dashboard` true, or `securityFilters`",
            )
            .help("remove `logInsights`, or leave out the switches: each defaults to true");
    }
    let Some(security) = &insights.security_filters else { return };
    for (key, list) in [
        ("promptInjectionPhrases", &security.prompt_injection_phrases),
        ("sensitiveDataPhrases", &security.sensitive_data_phrases),
    ] {
        let Some(list) = list else { continue };
        let path = [KEY, "securityFilters", key];
        if list.is_empty() || list.len() > MAX_PHRASES {
            problems
                .report(path, format!("{} phrases are listed", list.len()))
                .expected(format!("1 to {MAX_PHRASES} phrases"))
                .help(if list.is_empty() {
                    "leave the key out for the module's list: an empty pattern would match every record"
                } else {
                    "keep the phrases that matter most: every phrase makes the filter pattern longer"
                });
        }
        for (i, phrase) in list.iter().enumerate() {
            let at = module_kit::KeyPath::from(path).index(i);
            let length = phrase.chars().count();
            if phrase.trim().is_empty() || length > MAX_PHRASE_LENGTH {
                let problem = if phrase.trim().is_empty() {
                    "the phrase is blank: it would match every record".to_string()
                } else {
                    format!("the phrase has {length} characters")
                };
                problems
                    .report(at, problem)
                    .expected(format!("1 to {MAX_PHRASE_LENGTH} characters, not all blank"));
            } else if let Some(bad) = phrase.chars().find(|c| matches!(c, '"' | '\\') || c.is_control()) {
                let shown =
                    if bad.is_control() { format!("U+{:04X}", u32::from(bad)) } else { format!("`{bad}`") };
                problems
                    .report(at, format!("{shown} cannot be in a phrase"))
                    .expected("text without `\"`, `\\` or control characters: the filter pattern quotes each phrase")
                    .help("match the words around it instead");
            } else if list[..i].contains(phrase) {
                problems
                    .report(at, format!("`{phrase}` is listed twice"))
                    .expected("each phrase once")
                    .help("remove the repeated phrase");
            }
        }
    }
    if security.alarms == Some(true) && c.token_usage_alarms.is_none() {
        problems
            .report([KEY, "securityFilters", "alarms"], "there is no topic for these alarms to notify")
            .expected("a notification target in `tokenUsageAlarms`, whose topic these alarms share")
            .help("add `tokenUsageAlarms` with `createNotificationTopic: true` or a `notificationTopicArn`, or remove this key");
    }
}

fn check_ssm_prefix(p: &str) -> Result<(), String> {
    if !p.starts_with('/') {
        return Err(format!("`{p}` does not start with `/`"));
    }
    if p.len() > 1 && p.ends_with('/') || p == "/" {
        return Err(format!("`{p}` ends with `/`"));
    }
    if p.contains("//") {
        return Err(format!("`{p}` has an empty path segment"));
    }
    if let Some(bad) = p.chars().find(|c| !(c.is_ascii_alphanumeric() || "_.-/".contains(*c))) {
        return Err(format!("`{bad}` is not allowed in SSM parameter names"));
    }
    let lower = p.to_ascii_lowercase();
    if lower.starts_with("/aws") || lower.starts_with("/ssm") {
        return Err(format!("`{p}` starts with `/aws` or `/ssm`, which SSM reserves"));
    }
    let levels = p.matches('/').count() + 1;
    if levels > MAX_SSM_LEVELS {
        return Err(format!(
            "the parameters would be {levels} levels deep (the prefix's {} and their own name), more than SSM's {MAX_SSM_LEVELS}",
            levels - 1
        ));
    }
    let longest = p.len() + 1 + LONGEST_PUBLISHED_NAME.len();
    if longest > MAX_SSM_NAME {
        let start: String = p.chars().take(24).collect();
        return Err(format!(
            "the longest parameter name, `{start}…/{LONGEST_PUBLISHED_NAME}`, would be {longest} characters; SSM takes {MAX_SSM_NAME} in every partition and region"
        ));
    }
    Ok(())
}
