//! The module's alarms: MDAA's token-use alarms (`tokenUsageAlarms`), the
//! alarms on failed log deliveries, the recommended alarms on throttles,
//! server errors, quota headroom and latency (`recommendedAlarms`), and the
//! encrypted topic they notify.
//!
//! The metrics are Amazon Bedrock's, namespace `AWS/Bedrock` (Bedrock User
//! Guide, "Monitor Amazon Bedrock with Amazon CloudWatch"): `InputTokenCount`
//! and `OutputTokenCount`, with or without the `ModelId` dimension, and the
//! `ModelInvocationLogs*DeliveryFailure` metrics, which have no dimension;
//! `InvocationThrottles`, `InvocationServerErrors`, `EstimatedTPMQuotaUsage`,
//! `InvocationLatency` and `TimeToFirstToken`, with or without `ModelId`.
//! Bedrock publishes them once a minute at most, and nothing in a minute
//! without invocations or deliveries, so every alarm treats missing data as
//! not breaching.

use cfn_constructs::{
    Alarm, AlarmError, AlarmSource, AlarmTarget, ComparisonOperator, EncryptedTopic, EncryptionKey, Metric,
    MetricMath, NameKind, Names, NamingStrategy, Period, Published, Statistic, TopicError,
};
use cfn_template::aspect::{Aspect, ResourceView};
use cfn_template::{Expr, Pseudo, Template};

use crate::assemble::Publisher;
use crate::config::{
    Config, CountAlarm, PercentileAlarm, RecommendedAlarms, TokenThresholds, TokenUsageAlarms,
    DEFAULT_SERVER_ERROR_THRESHOLD, DEFAULT_THROTTLE_THRESHOLD,
};
use crate::ssm_limits::{MAX_SSM_LEVELS, MAX_SSM_NAME};

/// The namespace of Bedrock's runtime metrics.
const NAMESPACE: &str = "AWS/Bedrock";

/// The most model IDs one group sums (MDAA's limit: one alarm's metric math
/// then reads at most ten metrics).
pub(crate) const MAX_MODEL_IDS: usize = 10;

/// The longest model-group name: every alarm name stays far below
/// CloudWatch's 255 characters under either naming convention.
pub(crate) const MAX_MODEL_KEY: usize = 64;

/// The longest value of a CloudWatch dimension (`Dimension.Value`,
/// CloudWatch API Reference).
pub(crate) const MAX_DIMENSION_VALUE: usize = 1024;

/// The period of the delivery-failure alarms: a failed delivery is worth
/// knowing within minutes, and five one-minute datapoints summed make one
/// alarm evaluation rather than five.
const DELIVERY_PERIOD: Period = Period::FIVE_MINUTES;

/// The period of the throttle, server-error and latency alarms: Bedrock
/// publishes them once a minute, and five minutes hold enough requests for a
/// count or a percentile to mean something.
const RECOMMENDED_PERIOD: Period = Period::FIVE_MINUTES;

/// The period of the quota alarm: the quota is per minute, and Bedrock
/// publishes `EstimatedTPMQuotaUsage` every minute.
const QUOTA_PERIOD: Period = Period::ONE_MINUTE;

/// The topic the alarms notify, when the module creates it. MDAA names its
/// alarm topics by their purpose; the standalone name says whose alarms they are.
const TOPIC: Names<'static> = Names { base: "bedrock-settings-alarms", mdaa: "token-usage-alarms" };

/// The topic's ARN as each convention publishes it (MDAA: its SNS topic
/// construct's parameter, `/<org>/<domain>/<module>/topic/<name>/arn`).
const TOPIC_ARN: Published<'static> = Published {
    name: "alarm-topic-arn",
    resource_type: "topic",
    resource: "token-usage-alarms",
    attribute: "arn",
};

/// The two token metrics, as the alarms' names and logical IDs call them.
#[derive(Debug, Clone, Copy)]
enum Tokens {
    Input,
    Output,
}

impl Tokens {
    fn metric(self) -> &'static str {
        match self {
            Tokens::Input => "InputTokenCount",
            Tokens::Output => "OutputTokenCount",
        }
    }

    /// As in MDAA's alarm names: `token-input-...`.
    fn word(self) -> &'static str {
        match self {
            Tokens::Input => "input",
            Tokens::Output => "output",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tokens::Input => "Input",
            Tokens::Output => "Output",
        }
    }

    fn threshold(self, t: &TokenThresholds) -> Option<u64> {
        match self {
            Tokens::Input => t.input_token_threshold,
            Tokens::Output => t.output_token_threshold,
        }
    }
}

/// One of the stack's own ARN parts, or a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    /// The stack's own (`{{region}}` or `${AWS::Region}`, and so on).
    Stack,
    /// A literal value.
    Literal(&'a str),
}

/// An existing topic's ARN, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TopicArn<'a> {
    pub(crate) region: Part<'a>,
    pub(crate) account: Part<'a>,
    pub(crate) name: &'a str,
}

/// MDAA's placeholders for the stack's own partition, region and account,
/// and CloudFormation's pseudo parameters that mean the same.
const STACK_PARTS: [(&str, &str); 3] = [
    ("{{partition}}", "${AWS::Partition}"),
    ("{{region}}", "${AWS::Region}"),
    ("{{account}}", "${AWS::AccountId}"),
];

/// Reads `arn:<partition>:sns:<region>:<account>:<name>`; the error says
/// which part is wrong. Partition, region and account may be the stack's
/// own, as MDAA's placeholder or CloudFormation's pseudo parameter.
pub(crate) fn parse_topic_arn(value: &str) -> Result<TopicArn<'_>, String> {
    // `${AWS::Partition}` holds colons: read each part before splitting on them.
    let mut rest =
        value.strip_prefix("arn:").ok_or_else(|| format!("`{value}` does not start with `arn:`"))?;
    let mut parts: Vec<Part<'_>> = Vec::with_capacity(3);
    for (i, expected) in ["partition", "service", "region", "account"].into_iter().enumerate() {
        let stack = STACK_PARTS.iter().find_map(|(mdaa, pseudo)| {
            rest.strip_prefix(mdaa).or_else(|| rest.strip_prefix(pseudo)).map(|r| (*mdaa, r))
        });
        let (part, after) = match stack {
            Some((placeholder, after)) => {
                let fits =
                    matches!((i, placeholder), (0, "{{partition}}") | (2, "{{region}}") | (3, "{{account}}"));
                if !fits {
                    return Err(format!("`{placeholder}` stands where the ARN's {expected} goes"));
                }
                let after = after
                    .strip_prefix(':')
                    .ok_or_else(|| format!("`{value}` has no `:` after `{placeholder}`"))?;
                (Part::Stack, after)
            }
            None => {
                let (text, after) = rest
                    .split_once(':')
                    .ok_or_else(|| format!("`{value}` ends at its {expected}: too few parts"))?;
                (Part::Literal(text), after)
            }
        };
        match (i, part) {
            (0, Part::Literal(p)) if !is_partition(p) => return Err(format!("`{p}` is not a partition")),
            (1, Part::Literal(s)) if s != "sns" => {
                return Err(format!("`{s}` is not `sns`: alarms notify SNS topics only"))
            }
            (2, Part::Literal(r)) if !is_region(r) => return Err(format!("`{r}` is not a region")),
            (3, Part::Literal(a)) if !is_account(a) => {
                return Err(format!("`{a}` is not an account ID (12 digits)"))
            }
            (0 | 1, _) => {}
            _ => parts.push(part),
        }
        rest = after;
    }
    let name = rest;
    if !is_topic_name(name) {
        return Err(format!(
            "`{name}` is not a topic name: 1 to 256 letters, digits, `-` and `_` (a FIFO topic's ending in `.fifo`)"
        ));
    }
    Ok(TopicArn { region: parts[0], account: parts[1], name })
}

/// An existing topic the alarms notify: its ARN, or the SSM parameter that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExistingTopic<'a> {
    /// The ARN itself, checked.
    Arn(TopicArn<'a>),
    /// The name of a parameter holding the ARN, read by CloudFormation at each deployment.
    Ssm(&'a str),
}

impl ExistingTopic<'_> {
    /// The ARN in the template: itself, or a dynamic reference to its parameter.
    pub(crate) fn expr(&self) -> Expr {
        match self {
            ExistingTopic::Arn(arn) => arn.expr(),
            ExistingTopic::Ssm(name) => Expr::from(format!("{{{{resolve:ssm:{name}}}}}").as_str()),
        }
    }
}

/// Reads `notificationTopicArn`: a topic's ARN, `ssm:NAME`, or (as `synth --mdaa`
/// writes MDAA's `ssm:` values) `{{resolve:ssm:NAME}}`.
pub(crate) fn parse_existing_topic(value: &str) -> Result<ExistingTopic<'_>, String> {
    let held = value
        .strip_prefix("ssm:")
        .or_else(|| value.strip_prefix("{{resolve:ssm:").and_then(|v| v.strip_suffix("}}")));
    let Some(name) = held else { return parse_topic_arn(value).map(ExistingTopic::Arn) };
    if name.is_empty() {
        return Err(format!("`{value}` names no parameter"));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || "_.-/".contains(*c))) {
        return Err(format!("`{bad}` is not allowed in an SSM parameter name (letters, digits, `_ . - /`)"));
    }
    if name.contains('/') && !name.starts_with('/') || name.ends_with('/') || name.contains("//") {
        return Err(format!("`{name}` is not a parameter path: `/` first and between non-empty levels"));
    }
    let levels = name.matches('/').count().max(1);
    if levels > MAX_SSM_LEVELS {
        return Err(format!("`{name}` is {levels} levels deep; SSM has at most {MAX_SSM_LEVELS}"));
    }
    if name.len() > MAX_SSM_NAME {
        return Err(format!("the parameter name is {} characters; SSM takes {MAX_SSM_NAME}", name.len()));
    }
    Ok(ExistingTopic::Ssm(name))
}

/// `aws`, or `aws-` and lowercase words joined by `-` (`aws-cn`, `aws-us-gov`, `aws-iso-b`).
fn is_partition(p: &str) -> bool {
    p == "aws"
        || p.strip_prefix("aws-").is_some_and(|rest| {
            rest.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        })
}

fn is_region(r: &str) -> bool {
    let words: Vec<&str> = r.split('-').collect();
    words.len() >= 3
        && words.last().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && words[..words.len() - 1].iter().all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

fn is_account(a: &str) -> bool {
    a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
}

fn is_topic_name(n: &str) -> bool {
    let base = n.strip_suffix(".fifo").unwrap_or(n);
    !base.is_empty()
        && n.len() <= 256
        && base.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl TopicArn<'_> {
    /// The ARN for the template. The partition is always the stack's: an
    /// alarm notifies only topics of its own partition, so a literal one
    /// would only tie the template to it.
    pub(crate) fn expr(&self) -> Expr {
        let part = |p: Part<'_>, pseudo: Pseudo| match p {
            Part::Stack => Expr::pseudo(pseudo),
            Part::Literal(s) => Expr::from(s),
        };
        cfn_constructs::arn(
            "sns",
            part(self.region, Pseudo::Region),
            part(self.account, Pseudo::AccountId),
            self.name,
        )
    }
}

/// Whether a model-group name is one this module takes: letters, digits and
/// `_ . -`, starting and ending with a letter or digit (MDAA's rule for the
/// names it ends), at most [`MAX_MODEL_KEY`] characters.
pub(crate) fn is_model_key(key: &str) -> bool {
    let ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    let bytes = key.as_bytes();
    matches!((bytes.first(), bytes.last()), (Some(f), Some(l)) if f.is_ascii_alphanumeric() && l.is_ascii_alphanumeric())
        && bytes.iter().all(|b| ok(*b))
        && key.len() <= MAX_MODEL_KEY
}

/// The part of the logical IDs a model group's alarms take from its name:
/// `nova-micro` → `NovaMicro`. Two names with the same part, ignoring case,
/// are refused by the checks, since they would also share MDAA's lower-cased names.
pub(crate) fn model_id_part(key: &str) -> String {
    key.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The part of a subscription's logical ID taken from its address: a hash,
/// so that removing one address leaves the others' subscriptions (and their
/// confirmations) alone, where a position in the list would shift. FNV-1a,
/// 32 bits: the same on every machine and release, unlike std's hasher.
pub(crate) fn email_id_part(address: &str) -> String {
    let hash = address
        .to_ascii_lowercase()
        .bytes()
        .fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("Email{hash:08X}")
}

/// What [`build`] made: the target the alarms notify, for the other alarms of
/// the module, and every alarm, for the dashboard.
#[derive(Debug, Default)]
pub(crate) struct Built {
    /// The topic the alarms notify, when there are alarms.
    pub(crate) target: Option<AlarmTarget>,
    /// The alarms, in the order they were added.
    pub(crate) alarms: Vec<Alarm>,
}

/// Adds the topic (when created), the token alarms and the delivery-failure
/// alarms the configuration asks for.
pub(crate) fn build(t: &mut Template, config: &Config, m: &Publisher<'_>, key: &EncryptionKey) -> Built {
    let mut built = Built::default();
    let Some(alarms) = &config.token_usage_alarms else { return built };
    let naming = m.naming;
    let mut failures = Vec::new();
    let target: AlarmTarget = if alarms.creates_topic() {
        let topic = EncryptedTopic::new("Alarms", naming.name_of(NameKind::Topic, TOPIC), key).build(t);
        // Alarms of this template publish through it: the block's grant lets CloudWatch
        // alarms of this account and region publish and use the key (both with
        // `aws:SourceAccount` and `aws:SourceArn`), which an encrypted topic needs.
        topic.allow_cloudwatch_alarms(t);
        for address in alarms.notification_emails.iter().flatten() {
            if let Err(e) = topic.subscribe_email(t, &email_id_part(address), address.as_str()) {
                failures.push(topic_failure(&e));
            }
        }
        m.publish(t, "AlarmTopicArn", &TOPIC_ARN, "ARN of the topic the module's alarms notify", topic.arn());
        AlarmTarget::from(&topic)
    } else {
        match alarms.notification_topic_arn.as_deref().map(parse_existing_topic) {
            Some(Ok(arn)) => AlarmTarget::from(arn.expr()),
            Some(Err(e)) => {
                failures.push(format!("tokenUsageAlarms.notificationTopicArn: {e}"));
                report(t, failures);
                return built;
            }
            None => {
                failures.push("tokenUsageAlarms: no topic to notify".into());
                report(t, failures);
                return built;
            }
        }
    };
    if let Err(e) = token_alarms(t, alarms, naming, &target, &mut built.alarms) {
        failures.push(format!("tokenUsageAlarms: {e}"));
    }
    if config.delivery_failure_alarms() {
        if let Err(e) = delivery_alarms(t, config, naming, &target, &mut built.alarms) {
            failures.push(format!("deliveryFailureAlarms: {e}"));
        }
    }
    if let Some(recommended) = &config.recommended_alarms {
        if let Err(e) = recommended_alarms(t, recommended, alarms, naming, &target, &mut built.alarms) {
            failures.push(format!("recommendedAlarms: {e}"));
        }
    }
    report(t, failures);
    built.target = Some(target);
    built
}

/// The token alarms: the account's total, then each model group.
fn token_alarms(
    t: &mut Template,
    alarms: &TokenUsageAlarms,
    naming: &dyn NamingStrategy,
    target: &AlarmTarget,
    made: &mut Vec<Alarm>,
) -> Result<(), AlarmError> {
    let period = Period::from_seconds(alarms.period_seconds())?;
    let timing = |a: cfn_constructs::AlarmBuilder| {
        a.evaluation(alarms.evaluation_periods(), alarms.datapoints_to_alarm()).alarm_action(target.clone())
    };
    let seconds = period.seconds();
    if let Some(total) = &alarms.account_total {
        for tokens in [Tokens::Input, Tokens::Output] {
            let Some(threshold) = tokens.threshold(total) else { continue };
            let source = AlarmSource::metric(Metric::new(NAMESPACE, tokens.metric()), Statistic::SUM, period);
            timing(Alarm::new(
                format!("Token{}AccountTotal", tokens.id()),
                naming.name(NameKind::Alarm, &format!("token-{}-account-total", tokens.word())),
                source,
                ComparisonOperator::GreaterThanThreshold,
                threshold as f64,
            ))
            .description(format!(
                "{} tokens of every Bedrock model in this account and region exceeded {threshold} in \
                 {seconds} s. Every caller counts: find who in the invocation logs (identity.arn).",
                tokens.id()
            ))
            .build(t)
            .map(|a| made.push(a))?;
        }
    }
    for (key, model) in &alarms.models {
        let thresholds = TokenThresholds::of(model);
        for tokens in [Tokens::Input, Tokens::Output] {
            let Some(threshold) = tokens.threshold(&thresholds) else { continue };
            let source = group_source(
                tokens.metric(),
                Statistic::SUM,
                period,
                &model.model_ids,
                Combine::Sum,
                format!("{} tokens, {key}", tokens.id()),
            );
            timing(Alarm::new(
                format!("Token{}Model{}", tokens.id(), model_id_part(key)),
                naming.name(NameKind::Alarm, &format!("token-{}-model-{key}", tokens.word())),
                source,
                ComparisonOperator::GreaterThanThreshold,
                threshold as f64,
            ))
            .description(format!(
                "{} tokens of Bedrock model group {key} ({}) in this account and region exceeded \
                 {threshold} in {seconds} s. Every caller counts: find who in the invocation logs (identity.arn).",
                tokens.id(),
                model.model_ids.join(", ")
            ))
            .build(t)
            .map(|a| made.push(a))?;
        }
    }
    Ok(())
}

/// How a group's per-ID series become the one an alarm watches.
#[derive(Debug, Clone, Copy)]
enum Combine {
    /// Added: counts and tokens of the group.
    Sum,
    /// The highest: a quota or a percentile, which adding would misstate.
    Max,
}

/// A metric of a group of model IDs. One ID is the metric itself; several are
/// combined by metric math over an array of series: `SUM` or `MAX` of an array
/// takes the values each timestamp has, so a model without datapoints in a
/// period does not blank the group's value, as `m0 + m1` would.
fn group_source(
    metric: &str,
    statistic: Statistic,
    period: Period,
    ids: &[String],
    combine: Combine,
    label: String,
) -> AlarmSource {
    let of = |id: &str| Metric::new(NAMESPACE, metric).dimension("ModelId", id);
    match ids {
        [one] => AlarmSource::metric(of(one), statistic, period),
        ids => {
            let list = (0..ids.len()).map(|i| format!("m{i}")).collect::<Vec<_>>().join(", ");
            let (id, function) = match combine {
                Combine::Sum => ("total", "SUM"),
                Combine::Max => ("highest", "MAX"),
            };
            let math = ids.iter().enumerate().fold(
                MetricMath::new(id, format!("{function}([{list}])"), period).label(label),
                |math, (i, model)| math.metric(&format!("m{i}"), of(model), statistic.clone()),
            );
            AlarmSource::math(math)
        }
    }
}

/// What one kind of recommended alarm watches and says, before its scope.
struct Recommended {
    /// The logical ID's start: `Throttles` makes `ThrottlesAccountTotalAlarm`.
    id: String,
    /// The name's start: `invocation-throttles` makes `invocation-throttles-model-<name>`.
    name: String,
    metric: &'static str,
    statistic: Statistic,
    period: Period,
    combine: Combine,
    operator: ComparisonOperator,
    /// The account's threshold, or none where the metric is per model only.
    account: Option<f64>,
    /// Each group's threshold, by its name; a group not listed has no alarm.
    groups: Vec<(String, f64)>,
    m_of_n: (u32, u32),
    /// What breaches, for the description: "10 or more ... in 2 of 3 periods".
    what: String,
    /// What to do when it fires.
    then: &'static str,
}

/// The throttle and server-error alarms: a count summed over five minutes,
/// at or above the threshold, the same for the account and every group.
#[allow(clippy::too_many_arguments)]
fn count_kind(
    a: CountAlarm,
    default: u64,
    id: &str,
    name: &str,
    metric: &'static str,
    noun: &str,
    then: &'static str,
    groups: &[&str],
) -> Recommended {
    let threshold = a.threshold.unwrap_or(default);
    let (n, m) = a.m_of_n();
    Recommended {
        id: id.into(),
        name: name.into(),
        metric,
        statistic: Statistic::SUM,
        period: RECOMMENDED_PERIOD,
        combine: Combine::Sum,
        // "At or above": a count of N is N events, and the README states the threshold so.
        operator: ComparisonOperator::GreaterThanOrEqualToThreshold,
        account: Some(threshold as f64),
        groups: groups.iter().map(|g| (g.to_string(), threshold as f64)).collect(),
        m_of_n: (n, m),
        what: format!("{threshold} or more {noun} in five minutes, in {m} of {n} periods"),
        then,
    }
}

/// The latency or time-to-first-token alarms of one percentile. A group's
/// value is its slowest ID's percentile: percentiles of different models
/// cannot be added, and the slowest is the one to act on.
fn percentile_kinds(
    p: &PercentileAlarm,
    id: &str,
    name: &str,
    metric: &'static str,
    then: &'static str,
    groups: &[&str],
) -> Result<Vec<Recommended>, AlarmError> {
    let (n, m) = p.m_of_n();
    let mut kinds = Vec::new();
    for (stat, ms) in [("p90", p.p90), ("p99", p.p99)] {
        let Some(ms) = ms else { continue };
        kinds.push(Recommended {
            id: format!("{id}{}", stat.to_ascii_uppercase()),
            name: format!("{name}-{stat}"),
            metric,
            statistic: Statistic::parse(stat)?,
            period: RECOMMENDED_PERIOD,
            combine: Combine::Max,
            operator: ComparisonOperator::GreaterThanThreshold,
            account: Some(ms as f64),
            groups: groups.iter().map(|g| (g.to_string(), ms as f64)).collect(),
            m_of_n: (n, m),
            what: format!("{metric} {stat} above {ms} ms in {m} of {n} five-minute periods"),
            then,
        });
    }
    Ok(kinds)
}

/// The recommended alarms, kind by kind, each account-wide (where the metric
/// means something across models) and for each model group.
fn recommended_alarms(
    t: &mut Template,
    r: &RecommendedAlarms,
    tokens: &TokenUsageAlarms,
    naming: &dyn NamingStrategy,
    target: &AlarmTarget,
    made: &mut Vec<Alarm>,
) -> Result<(), AlarmError> {
    let groups: Vec<&str> = tokens.models.keys().map(String::as_str).collect();
    let mut kinds = Vec::new();
    if let Some(a) = r.throttles() {
        kinds.push(count_kind(
            a,
            DEFAULT_THROTTLE_THRESHOLD,
            "Throttles",
            "invocation-throttles",
            "InvocationThrottles",
            "throttled requests",
            "Callers are over a quota: compare EstimatedTPMQuotaUsage with the quota, spread load with \
             a cross-Region inference profile, or ask for more in Service Quotas.",
            &groups,
        ));
    }
    if let Some(a) = r.server_errors() {
        kinds.push(count_kind(
            a,
            DEFAULT_SERVER_ERROR_THRESHOLD,
            "ServerErrors",
            "invocation-server-errors",
            "InvocationServerErrors",
            "server errors",
            "Bedrock failed requests on its side: check the AWS Health Dashboard; callers should retry \
             with backoff, or fail over to another Region.",
            &groups,
        ));
    }
    if let Some(q) = &r.tpm_quota {
        let (n, m) = q.m_of_n();
        let percent = q.percent();
        kinds.push(Recommended {
            id: "TpmQuota".into(),
            name: "tpm-quota".into(),
            metric: "EstimatedTPMQuotaUsage",
            statistic: Statistic::MAXIMUM,
            period: QUOTA_PERIOD,
            // Each ID has its own quota: the group is as close to throttling as its busiest ID.
            combine: Combine::Max,
            operator: ComparisonOperator::GreaterThanThreshold,
            // Quotas are per model: an account-wide sum has no quota to compare with.
            account: None,
            // A plain threshold, quota × percent, keeps a one-ID group's alarm on the metric
            // itself; the description states the quota and the percent.
            groups: q
                .quota_tokens_per_minute
                .iter()
                .map(|(g, quota)| (g.clone(), *quota as f64 * f64::from(percent) / 100.0))
                .collect(),
            m_of_n: (n, m),
            what: format!(
                "tokens counted against the tokens-per-minute quota above {percent} % of it in {m} of {n} minutes"
            ),
            then: "Callers are close to being throttled: ask for a higher quota in Service Quotas, or move \
                   load to a cross-Region inference profile.",
        });
    }
    if let Some(p) = &r.latency {
        kinds.extend(percentile_kinds(
            p,
            "Latency",
            "invocation-latency",
            "InvocationLatency",
            "Responses are slow to finish: look for longer outputs, throttling retries or a model under \
             load; a smaller model or latency-optimized inference helps.",
            &groups,
        )?);
    }
    if let Some(p) = &r.time_to_first_token {
        kinds.extend(percentile_kinds(
            p,
            "TimeToFirstToken",
            "time-to-first-token",
            "TimeToFirstToken",
            "Streams are slow to start: look for long prompts, throttling retries or a model under load; \
             prompt caching shortens long shared prompts.",
            &groups,
        )?);
    }
    for kind in &kinds {
        let build = |source: AlarmSource, id: String, name: &str, threshold: f64, scope: String| {
            Alarm::new(id, naming.name(NameKind::Alarm, name), source, kind.operator, threshold)
                .evaluation(kind.m_of_n.0, kind.m_of_n.1)
                .alarm_action(target.clone())
                .description(format!("Bedrock {}, {scope}: {}. {}", kind.metric, kind.what, kind.then))
        };
        if let Some(threshold) = kind.account {
            let source =
                AlarmSource::metric(Metric::new(NAMESPACE, kind.metric), kind.statistic.clone(), kind.period);
            build(
                source,
                format!("{}AccountTotal", kind.id),
                &format!("{}-account-total", kind.name),
                threshold,
                "every model in this account and region".into(),
            )
            .build(t)
            .map(|a| made.push(a))?;
        }
        for (key, threshold) in &kind.groups {
            // The checks refuse a group that `tokenUsageAlarms.models` lacks.
            let Some(model) = tokens.models.get(key) else { continue };
            let source = group_source(
                kind.metric,
                kind.statistic.clone(),
                kind.period,
                &model.model_ids,
                kind.combine,
                format!("{} {}, {key}", kind.metric, kind.statistic),
            );
            build(
                source,
                format!("{}Model{}", kind.id, model_id_part(key)),
                &format!("{}-model-{key}", kind.name),
                *threshold,
                format!("model group {key} ({})", model.model_ids.join(", ")),
            )
            .build(t)
            .map(|a| made.push(a))?;
        }
    }
    Ok(())
}

/// One alarm per destination that is on: Bedrock counts each failed
/// delivery, and a single one means invocations went unrecorded there.
fn delivery_alarms(
    t: &mut Template,
    config: &Config,
    naming: &dyn NamingStrategy,
    target: &AlarmTarget,
    made: &mut Vec<Alarm>,
) -> Result<(), AlarmError> {
    let destinations = [
        (
            config.enable_audit_logging_to_cloudwatch,
            "CloudWatchDeliveryFailure",
            "ModelInvocationLogsCloudWatchDeliveryFailure",
            "invocation-logs-cloudwatch-delivery-failure",
            "to CloudWatch Logs. Check the service role Bedrock assumes, the log group and its key's policy.",
        ),
        (
            config.enable_audit_logging_to_s3,
            "S3DeliveryFailure",
            "ModelInvocationLogsS3DeliveryFailure",
            "invocation-logs-s3-delivery-failure",
            "to the S3 bucket. Check the bucket policy, the key policy and that the bucket exists.",
        ),
        (
            config.large_data_to_s3(),
            "LargeDataS3DeliveryFailure",
            "ModelInvocationLargeDataS3DeliveryFailure",
            "invocation-logs-large-data-s3-delivery-failure",
            "too large for CloudWatch Logs to the S3 bucket. Check the bucket policy and the key policy.",
        ),
    ];
    for (_, id, metric, name, what) in destinations.into_iter().filter(|d| d.0) {
        Alarm::new(
            id,
            naming.name(NameKind::Alarm, name),
            AlarmSource::metric(Metric::new(NAMESPACE, metric), Statistic::SUM, DELIVERY_PERIOD),
            ComparisonOperator::GreaterThanThreshold,
            0.0,
        )
        .description(format!(
            "Bedrock failed to deliver model invocation logs {what} Until fixed, invocations go unrecorded there."
        ))
        .alarm_action(target.clone())
        .build(t)
        .map(|a| made.push(a))?;
    }
    Ok(())
}

fn topic_failure(e: &TopicError) -> String {
    format!("tokenUsageAlarms.notificationEmails: {e}")
}

/// Fails synthesis with what could not be built. The checks refuse every
/// configuration that gets here, so this only guards against a check and a
/// block disagreeing: the template then fails validation with the reason,
/// rather than the process ending or an alarm going missing in silence.
pub(crate) fn report(t: &mut Template, failures: Vec<String>) {
    if !failures.is_empty() {
        t.add_aspect(Unbuilt(failures));
    }
}

/// The alarms that could not be built, reported once, on the module's key.
#[derive(Debug)]
struct Unbuilt(Vec<String>);

impl Aspect for Unbuilt {
    fn name(&self) -> &str {
        "bedrock-settings alarms"
    }

    fn visit(&self, r: &mut ResourceView<'_>) {
        if r.logical_id() == "AuditKey" {
            for failure in &self.0 {
                r.report(failure);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_arns_are_read_part_by_part() {
        let arn = parse_topic_arn("arn:aws:sns:eu-west-1:111122223333:alerts").unwrap();
        assert_eq!(arn.region, Part::Literal("eu-west-1"));
        assert_eq!(arn.account, Part::Literal("111122223333"));
        assert_eq!(arn.name, "alerts");
        let arn = parse_topic_arn("arn:{{partition}}:sns:{{region}}:{{account}}:ai-platform-alerts").unwrap();
        assert_eq!((arn.region, arn.account), (Part::Stack, Part::Stack));
        let arn =
            parse_topic_arn("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:a.fifo").unwrap();
        assert_eq!((arn.region, arn.account, arn.name), (Part::Stack, Part::Stack, "a.fifo"));
        assert!(parse_topic_arn("arn:aws-us-gov:sns:us-gov-west-1:111122223333:x").is_ok());
        for (bad, says) in [
            ("alerts", "does not start with `arn:`"),
            ("arn:aws:sqs:eu-west-1:111122223333:q", "`sqs` is not `sns`"),
            ("arn:aws:sns:europe:111122223333:alerts", "`europe` is not a region"),
            ("arn:aws:sns:eu-west-1:1111:alerts", "`1111` is not an account ID"),
            ("arn:aws:sns:eu-west-1:111122223333:", "is not a topic name"),
            ("arn:aws:sns:eu-west-1:111122223333:a b", "is not a topic name"),
            ("arn:AWS:sns:eu-west-1:111122223333:a", "`AWS` is not a partition"),
            ("arn:{{region}}:sns:eu-west-1:111122223333:a", "stands where the ARN's partition goes"),
            ("arn:aws:sns:eu-west-1", "ends at its region: too few parts"),
        ] {
            let e = parse_topic_arn(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn a_literal_partition_becomes_the_stacks() {
        let arn = parse_topic_arn("arn:aws:sns:eu-west-1:111122223333:alerts").unwrap().expr();
        assert_eq!(arn, Expr::sub("arn:${AWS::Partition}:sns:eu-west-1:111122223333:alerts"));
    }

    #[test]
    fn model_keys_and_their_logical_id_parts() {
        assert_eq!(model_id_part("nova-micro"), "NovaMicro");
        assert_eq!(model_id_part("claude_3.5"), "Claude35");
        assert!(is_model_key("nova-micro") && is_model_key("a") && is_model_key("Claude.3_5"));
        for bad in ["", "-a", "a-", "a b", "a/b", &"a".repeat(MAX_MODEL_KEY + 1)] {
            assert!(!is_model_key(bad), "{bad}");
        }
    }

    #[test]
    fn email_ids_are_stable_and_ignore_case() {
        assert_eq!(email_id_part("Oncall@Example.com"), email_id_part("oncall@example.com"));
        assert_ne!(email_id_part("a@example.com"), email_id_part("b@example.com"));
        assert_eq!(email_id_part("").len(), "Email".len() + 8);
    }
}
