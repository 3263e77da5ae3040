//! A CloudWatch alarm on a metric or on metric math, checked against
//! CloudWatch's limits while it is built, notifying an encrypted topic.
//!
//! The limits are those of the `PutMetricAlarm` API reference (CloudWatch
//! API Reference): periods of 10, 20 or 30 seconds or a multiple of 60; a
//! period times evaluation periods of at most one day under an hour's
//! period and seven days otherwise; at most five actions per state; at most
//! 30 dimensions per metric; one metric-math query returning data. The
//! statistics are those of "CloudWatch statistics definitions" (CloudWatch
//! User Guide).

use std::fmt;
use std::str::FromStr;

use cfn_template::resources::cloudwatch::alarm::{
    Dimension, Metric as L1Metric, MetricDataQuery, MetricStat,
};
use cfn_template::resources::cloudwatch::Alarm as L1Alarm;
use cfn_template::{Attributes, Expr, Handle};

use crate::{EncryptedTopic, ScannerException, Stack};

/// Seconds in a day: the longest evaluation range of an alarm whose period is under an hour.
const ONE_DAY: u64 = 86_400;
/// Seconds in a week: the longest evaluation range of any other alarm.
const ONE_WEEK: u64 = 604_800;
/// The most actions an alarm takes on entering one state.
const MAX_ACTIONS: usize = 5;
/// The most dimensions a metric has.
const MAX_DIMENSIONS: usize = 30;

/// An alarm definition CloudWatch would refuse, or that could not work.
#[derive(Debug, Clone, PartialEq)]
pub enum AlarmError {
    /// A period CloudWatch does not accept.
    InvalidPeriod {
        /// The period, in seconds.
        seconds: u32,
    },
    /// A sub-minute period on a metric published at standard resolution.
    SubMinutePeriodOnStandardMetric {
        /// The period, in seconds.
        seconds: u32,
    },
    /// An evaluation range longer than CloudWatch evaluates.
    EvaluationRangeTooLong {
        /// The period, in seconds.
        period: u32,
        /// The number of evaluation periods.
        evaluation_periods: u32,
        /// The longest range for this period, in seconds.
        limit: u64,
    },
    /// No evaluation period, or no datapoint to alarm.
    ZeroEvaluation,
    /// More datapoints to alarm than evaluation periods (M of N with M > N).
    DatapointsExceedPeriods {
        /// Datapoints to alarm (M).
        datapoints: u32,
        /// Evaluation periods (N).
        evaluation_periods: u32,
    },
    /// A statistic CloudWatch does not know.
    InvalidStatistic {
        /// The statistic as given.
        given: String,
    },
    /// A metric with more dimensions than CloudWatch keeps.
    TooManyDimensions {
        /// How many were given.
        count: usize,
    },
    /// A threshold that is not a finite number.
    ThresholdNotFinite,
    /// A metric-math alarm with no query, or not exactly one returning data.
    ReturnDataCount {
        /// How many queries return data.
        count: usize,
    },
    /// A metric-math alarm whose returning query is no expression.
    ReturnDataNotExpression {
        /// The query's ID.
        id: String,
    },
    /// A metric-math query ID CloudWatch does not accept, or one used twice.
    InvalidQueryId {
        /// The ID as given.
        id: String,
    },
    /// A metric-math query that is neither an expression nor a metric.
    EmptyQuery {
        /// The query's ID.
        id: String,
    },
    /// More actions for one state than CloudWatch takes.
    TooManyActions {
        /// The state: `ALARM` or `OK`.
        state: &'static str,
        /// How many were given.
        count: usize,
    },
    /// An action that is no SNS topic ARN.
    NotATopicArn {
        /// The ARN as given.
        arn: String,
    },
    /// An alarm that notifies nobody, without a reason why.
    NoAction,
}

impl fmt::Display for AlarmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlarmError::InvalidPeriod { seconds } => write!(
                f,
                "a period of {seconds} s is not one CloudWatch accepts: use 10, 20 or 30 s (high-resolution \
                 metrics only) or a multiple of 60 s"
            ),
            AlarmError::SubMinutePeriodOnStandardMetric { seconds } => write!(
                f,
                "a period of {seconds} s on a standard-resolution metric (AWS/Bedrock metrics and metric \
                 filters are) sees no data in most periods and the alarm lapses into INSUFFICIENT_DATA: use \
                 60 s or more, or mark the metric high-resolution if it is published with a storage \
                 resolution of 1 s"
            ),
            AlarmError::EvaluationRangeTooLong { period, evaluation_periods, limit } => write!(
                f,
                "{evaluation_periods} evaluation periods of {period} s cover {} s, more than the {limit} s \
                 CloudWatch evaluates ({}): use fewer or shorter periods",
                u64::from(*period) * u64::from(*evaluation_periods),
                if *limit == ONE_DAY { "one day for periods under an hour" } else { "seven days" }
            ),
            AlarmError::ZeroEvaluation => {
                write!(f, "evaluation periods and datapoints to alarm must each be at least 1")
            }
            AlarmError::DatapointsExceedPeriods { datapoints, evaluation_periods } => write!(
                f,
                "{datapoints} datapoints to alarm out of {evaluation_periods} evaluation periods can never \
                 happen: datapoints to alarm (M of N) must be at most the evaluation periods"
            ),
            AlarmError::InvalidStatistic { given } => write!(
                f,
                "{given:?} is not a CloudWatch statistic: use SampleCount, Average, Sum, Minimum, Maximum, \
                 a percentile such as p90 or p99.9, tm90, tc90, ts90, wm90, IQM, or a range such as \
                 TM(10%:90%) or PR(100:2000)"
            ),
            AlarmError::TooManyDimensions { count } => {
                write!(f, "{count} dimensions are more than the {MAX_DIMENSIONS} a CloudWatch metric has")
            }
            AlarmError::ThresholdNotFinite => write!(f, "the threshold must be a finite number"),
            AlarmError::ReturnDataCount { count } => write!(
                f,
                "a metric-math alarm watches exactly one query returning data; {count} return data: mark \
                 one expression with ReturnData true and every other query false"
            ),
            AlarmError::ReturnDataNotExpression { id } => write!(
                f,
                "the query {id:?} returns data but is no expression: a metric-math alarm watches an \
                 expression; alarm on the metric itself instead"
            ),
            AlarmError::InvalidQueryId { id } => write!(
                f,
                "{id:?} is not a usable metric-math query ID: IDs start with a lowercase letter, hold only \
                 letters, digits and underscores, and are unique within the alarm"
            ),
            AlarmError::EmptyQuery { id } => {
                write!(f, "the query {id:?} has neither an expression nor a metric")
            }
            AlarmError::TooManyActions { state, count } => write!(
                f,
                "{count} actions on entering {state} are more than the {MAX_ACTIONS} CloudWatch takes: \
                 notify one topic and subscribe the rest to it"
            ),
            AlarmError::NotATopicArn { arn } => {
                write!(f, "{arn:?} is not an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<topic>)")
            }
            AlarmError::NoAction => write!(
                f,
                "the alarm notifies nobody: give it an alarm or OK action, or say why it needs none with \
                 without_actions(reason)"
            ),
        }
    }
}

impl std::error::Error for AlarmError {}

/// An alarm period: 10, 20 or 30 seconds (high-resolution metrics only) or
/// a multiple of 60 seconds.
///
/// ```
/// use cfn_constructs::Period;
/// assert_eq!(Period::minutes(5).unwrap().seconds(), 300);
/// assert!(Period::from_seconds(45).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period(u32);

impl Period {
    /// One minute: the shortest period of a standard-resolution metric.
    pub const ONE_MINUTE: Period = Period(60);
    /// Five minutes.
    pub const FIVE_MINUTES: Period = Period(300);
    /// One hour.
    pub const ONE_HOUR: Period = Period(3600);

    /// A period of `seconds`, if CloudWatch accepts it.
    pub fn from_seconds(seconds: u32) -> Result<Period, AlarmError> {
        if matches!(seconds, 10 | 20 | 30) || (seconds > 0 && seconds % 60 == 0) {
            Ok(Period(seconds))
        } else {
            Err(AlarmError::InvalidPeriod { seconds })
        }
    }

    /// A period of whole minutes.
    pub fn minutes(minutes: u32) -> Result<Period, AlarmError> {
        Period::from_seconds(minutes.saturating_mul(60))
    }

    /// The period in seconds.
    pub fn seconds(self) -> u32 {
        self.0
    }

    /// Whether the period is under a minute (a high-resolution alarm).
    pub fn is_sub_minute(self) -> bool {
        self.0 < 60
    }
}

/// How a metric compares with the threshold to alarm. Only the static
/// thresholds; anomaly-detection bands take a threshold metric instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComparisonOperator {
    /// Alarm at or above the threshold.
    GreaterThanOrEqualToThreshold,
    /// Alarm above the threshold.
    GreaterThanThreshold,
    /// Alarm below the threshold.
    LessThanThreshold,
    /// Alarm at or below the threshold.
    LessThanOrEqualToThreshold,
}

impl ComparisonOperator {
    /// CloudFormation's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ComparisonOperator::GreaterThanOrEqualToThreshold => "GreaterThanOrEqualToThreshold",
            ComparisonOperator::GreaterThanThreshold => "GreaterThanThreshold",
            ComparisonOperator::LessThanThreshold => "LessThanThreshold",
            ComparisonOperator::LessThanOrEqualToThreshold => "LessThanOrEqualToThreshold",
        }
    }
}

/// What a period without data counts as.
///
/// The default is [`TreatMissingData::NotBreaching`]: the metrics these
/// blocks watch publish nothing when nothing happened (Bedrock publishes no
/// datapoint without invocations, a metric filter without a default value
/// none without a matching event), so silence means "nothing to count".
/// CloudWatch's own default, `missing`, would leave such an alarm in
/// `INSUFFICIENT_DATA` after every quiet hour, where nobody looks; and
/// `breaching` would page on them. Where silence itself is the failure (a
/// heartbeat that stopped), choose [`TreatMissingData::Breaching`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TreatMissingData {
    /// Missing data counts as breaching the threshold.
    Breaching,
    /// Missing data counts as within the threshold.
    #[default]
    NotBreaching,
    /// The alarm keeps its state.
    Ignore,
    /// Missing periods are skipped; all missing leaves `INSUFFICIENT_DATA`.
    Missing,
}

impl TreatMissingData {
    /// CloudFormation's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            TreatMissingData::Breaching => "breaching",
            TreatMissingData::NotBreaching => "notBreaching",
            TreatMissingData::Ignore => "ignore",
            TreatMissingData::Missing => "missing",
        }
    }
}

/// A statistic CloudWatch computes over a period: one of the five standard
/// ones, or an extended statistic (percentile, trimmed mean and the rest).
///
/// ```
/// use cfn_constructs::Statistic;
/// assert_eq!(Statistic::SUM.as_str(), "Sum");
/// assert!(Statistic::parse("p99.9").unwrap().is_extended());
/// assert!(Statistic::parse("TM(10%:90%)").is_ok());
/// assert!(Statistic::parse("p101").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Statistic(Stat);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Stat {
    Standard(&'static str),
    Extended(String),
}

impl Statistic {
    /// The number of datapoints.
    pub const SAMPLE_COUNT: Statistic = Statistic(Stat::Standard("SampleCount"));
    /// The mean.
    pub const AVERAGE: Statistic = Statistic(Stat::Standard("Average"));
    /// The sum.
    pub const SUM: Statistic = Statistic(Stat::Standard("Sum"));
    /// The lowest value.
    pub const MINIMUM: Statistic = Statistic(Stat::Standard("Minimum"));
    /// The highest value.
    pub const MAXIMUM: Statistic = Statistic(Stat::Standard("Maximum"));

    /// A statistic by name: `SampleCount`, `Average`, `Sum`, `Minimum`,
    /// `Maximum`; `p`, `tm`, `tc`, `ts` or `wm` followed by a number from 0
    /// to 100 with at most 10 decimals (`p90`, `p99.9`, `tm99`); `IQM`; or
    /// `TM`, `TC`, `TS`, `WM` or `PR` with a range `(lower:upper)`, either
    /// bound optional, in percent (`TM(10%:90%)`; not for `PR`) or in the
    /// metric's values (`PR(100:2000)`).
    pub fn parse(given: &str) -> Result<Statistic, AlarmError> {
        let invalid = || AlarmError::InvalidStatistic { given: given.to_string() };
        for standard in [Self::SAMPLE_COUNT, Self::AVERAGE, Self::SUM, Self::MINIMUM, Self::MAXIMUM] {
            if standard.as_str() == given {
                return Ok(standard);
            }
        }
        let valid = given == "IQM"
            || ["p", "tm", "tc", "ts", "wm"]
                .iter()
                .any(|prefix| given.strip_prefix(prefix).is_some_and(|n| percent(n).is_some()))
            || ["TM", "TC", "TS", "WM", "PR"].iter().any(|prefix| {
                given.strip_prefix(prefix).is_some_and(|range| valid_range(range, *prefix != "PR"))
            });
        if valid {
            Ok(Statistic(Stat::Extended(given.to_string())))
        } else {
            Err(invalid())
        }
    }

    /// The statistic's name as CloudWatch writes it.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Stat::Standard(s) => s,
            Stat::Extended(s) => s,
        }
    }

    /// Whether it is an extended statistic (`ExtendedStatistic` rather than `Statistic`).
    pub fn is_extended(&self) -> bool {
        matches!(self.0, Stat::Extended(_))
    }
}

impl FromStr for Statistic {
    type Err = AlarmError;

    fn from_str(s: &str) -> Result<Statistic, AlarmError> {
        Statistic::parse(s)
    }
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plain decimal number (digits, at most 10 of them after the point),
/// optionally negative.
fn number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() <= 10
        && !(digits.contains('.') && fraction.is_empty());
    plain.then(|| s.parse().ok()).flatten()
}

/// A number from 0 to 100, as percentile boundaries are.
fn percent(s: &str) -> Option<f64> {
    number(s).filter(|n| (0.0..=100.0).contains(n))
}

/// `(lower:upper)` with at least one bound; in percent (`10%`) only where
/// `percent_allowed`, both bounds then in percent, and lower below upper.
fn valid_range(range: &str, percent_allowed: bool) -> bool {
    let Some((lower, upper)) =
        range.strip_prefix('(').and_then(|r| r.strip_suffix(')')).and_then(|r| r.split_once(':'))
    else {
        return false;
    };
    let bound = |b: &str| -> Option<Option<(f64, bool)>> {
        if b.is_empty() {
            return Some(None);
        }
        match b.strip_suffix('%') {
            Some(p) if percent_allowed => percent(p).map(|v| Some((v, true))),
            Some(_) => None,
            None => number(b).map(|v| Some((v, false))),
        }
    };
    match (bound(lower), bound(upper)) {
        (Some(None), Some(None)) | (None, _) | (_, None) => false,
        (Some(Some((l, lp))), Some(Some((u, up)))) => lp == up && l < u,
        _ => true,
    }
}

/// A CloudWatch metric: namespace, name and dimensions.
///
/// ```
/// use cfn_constructs::Metric;
/// let errors = Metric::new("AWS/Bedrock", "InvocationServerErrors").dimension("ModelId", "amazon.nova-pro-v1:0");
/// assert_eq!(errors.dimensions().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// The namespace (`AWS/Bedrock`, or a metric filter's).
    pub namespace: Expr,
    /// The metric's name.
    pub name: Expr,
    dimensions: Vec<(Expr, Expr)>,
    high_resolution: bool,
}

impl Metric {
    /// A metric of a namespace, without dimensions, at standard resolution
    /// (one datapoint a minute at most, as AWS services and metric filters
    /// publish).
    pub fn new(namespace: impl Into<Expr>, name: impl Into<Expr>) -> Metric {
        Metric {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: Vec::new(),
            high_resolution: false,
        }
    }

    /// Adds a dimension and its value.
    pub fn dimension(mut self, name: impl Into<Expr>, value: impl Into<Expr>) -> Metric {
        self.dimensions.push((name.into(), value.into()));
        self
    }

    /// The metric is published with a storage resolution of one second, so
    /// periods of 10, 20 and 30 seconds see data.
    pub fn high_resolution(mut self) -> Metric {
        self.high_resolution = true;
        self
    }

    /// Its dimensions, names and values.
    pub fn dimensions(&self) -> &[(Expr, Expr)] {
        &self.dimensions
    }

    fn l1(&self) -> Result<L1Metric, AlarmError> {
        if self.dimensions.len() > MAX_DIMENSIONS {
            return Err(AlarmError::TooManyDimensions { count: self.dimensions.len() });
        }
        Ok(L1Metric {
            dimensions: self.l1_dimensions(),
            metric_name: Some(self.name.clone()),
            namespace: Some(self.namespace.clone()),
        })
    }

    fn l1_dimensions(&self) -> Option<cfn_template::value::List<Dimension>> {
        (!self.dimensions.is_empty())
            .then(|| self.dimensions.iter().map(|(n, v)| Dimension::new(n.clone(), v.clone())).collect())
    }
}

/// A metric-math expression over metrics, all read with one period.
///
/// ```
/// use cfn_constructs::{MetricMath, Metric, Period, Statistic};
/// let errors = MetricMath::new("rate", "100 * errors / MAX([errors, calls])", Period::FIVE_MINUTES)
///     .label("Server error rate (%)")
///     .metric("errors", Metric::new("AWS/Bedrock", "InvocationServerErrors"), Statistic::SUM)
///     .metric("calls", Metric::new("AWS/Bedrock", "Invocations"), Statistic::SUM);
/// assert_eq!(errors.queries().len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MetricMath {
    queries: Vec<MetricDataQuery>,
    period: Period,
    high_resolution: bool,
    invalid: Option<AlarmError>,
}

impl MetricMath {
    /// The expression `expression`, query ID `id`, that the alarm watches;
    /// its metrics are read with `period`.
    pub fn new(id: &str, expression: impl Into<Expr>, period: Period) -> MetricMath {
        MetricMath {
            queries: vec![MetricDataQuery {
                expression: Some(expression.into()),
                return_data: Some(true.into()),
                ..MetricDataQuery::new(id)
            }],
            period,
            high_resolution: false,
            invalid: None,
        }
    }

    /// Labels the watched expression (shown on the alarm's graph).
    pub fn label(mut self, label: impl Into<Expr>) -> MetricMath {
        self.queries[0].label = Some(label.into());
        self
    }

    /// Adds a metric the expressions refer to as `id`.
    pub fn metric(mut self, id: &str, metric: Metric, statistic: Statistic) -> MetricMath {
        self.high_resolution |= metric.high_resolution;
        match metric.l1() {
            Ok(m) => self.queries.push(MetricDataQuery {
                metric_stat: Some(MetricStat::new(m, self.period.seconds(), statistic.as_str())),
                return_data: Some(false.into()),
                ..MetricDataQuery::new(id)
            }),
            Err(e) => self.invalid = self.invalid.take().or(Some(e)),
        }
        self
    }

    /// Adds an intermediate expression, which returns no data itself.
    pub fn expression(mut self, id: &str, expression: impl Into<Expr>) -> MetricMath {
        self.queries.push(MetricDataQuery {
            expression: Some(expression.into()),
            return_data: Some(false.into()),
            ..MetricDataQuery::new(id)
        });
        self
    }

    /// The queries, the watched expression first.
    pub fn queries(&self) -> &[MetricDataQuery] {
        &self.queries
    }
}

/// What an alarm watches.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmSource(Source);

#[derive(Debug, Clone, PartialEq)]
enum Source {
    Metric {
        metric: Metric,
        statistic: Statistic,
        period: Period,
    },
    Queries {
        queries: Vec<MetricDataQuery>,
        period: Period,
        high_resolution: bool,
        invalid: Option<AlarmError>,
    },
}

impl AlarmSource {
    /// A metric's statistic over periods.
    pub fn metric(metric: Metric, statistic: Statistic, period: Period) -> AlarmSource {
        AlarmSource(Source::Metric { metric, statistic, period })
    }

    /// Metric math built with [`MetricMath`].
    pub fn math(math: MetricMath) -> AlarmSource {
        AlarmSource(Source::Queries {
            queries: math.queries,
            period: math.period,
            high_resolution: math.high_resolution,
            invalid: math.invalid,
        })
    }

    /// Metric math as CloudFormation's queries, checked when the alarm is
    /// built: valid and unique IDs, exactly one query returning data and it
    /// an expression, valid periods and statistics on every metric.
    /// `period` is the metrics' period, which the evaluation range counts.
    pub fn queries(queries: Vec<MetricDataQuery>, period: Period) -> AlarmSource {
        AlarmSource(Source::Queries { queries, period, high_resolution: false, invalid: None })
    }

    fn period(&self) -> Period {
        match &self.0 {
            Source::Metric { period, .. } | Source::Queries { period, .. } => *period,
        }
    }

    /// The metrics are published with a storage resolution of one second,
    /// so periods of 10, 20 and 30 seconds see data.
    pub fn high_resolution(mut self) -> AlarmSource {
        match &mut self.0 {
            Source::Metric { metric, .. } => metric.high_resolution = true,
            Source::Queries { high_resolution, .. } => *high_resolution = true,
        }
        self
    }

    fn is_high_resolution(&self) -> bool {
        match &self.0 {
            Source::Metric { metric, .. } => metric.high_resolution,
            Source::Queries { high_resolution, .. } => *high_resolution,
        }
    }
}

impl From<MetricMath> for AlarmSource {
    fn from(math: MetricMath) -> AlarmSource {
        AlarmSource::math(math)
    }
}

/// A topic an alarm notifies: a topic of this template (which then lets
/// CloudWatch alarms publish, and use its key), or any topic by ARN.
#[derive(Debug, Clone)]
pub struct AlarmTarget {
    arn: Expr,
    topic: Option<EncryptedTopic>,
}

impl From<&EncryptedTopic> for AlarmTarget {
    fn from(topic: &EncryptedTopic) -> AlarmTarget {
        AlarmTarget { arn: topic.arn(), topic: Some(topic.clone()) }
    }
}

impl From<Expr> for AlarmTarget {
    fn from(arn: Expr) -> AlarmTarget {
        AlarmTarget { arn, topic: None }
    }
}

impl From<&str> for AlarmTarget {
    fn from(arn: &str) -> AlarmTarget {
        AlarmTarget { arn: arn.into(), topic: None }
    }
}

impl AlarmTarget {
    fn check(&self) -> Result<(), AlarmError> {
        match self.arn.as_literal() {
            // A dynamic reference (`{{resolve:ssm:NAME}}`) is read by CloudFormation at
            // deployment; CloudWatch checks what it holds then.
            Some(arn) if arn.starts_with("{{resolve:") && arn.ends_with("}}") => Ok(()),
            Some(arn) => {
                let parts: Vec<&str> = arn.splitn(6, ':').collect();
                let topic = matches!(parts.as_slice(), ["arn", p, "sns", r, a, name]
                    if !p.is_empty() && !r.is_empty() && !a.is_empty() && !name.is_empty());
                if topic {
                    Ok(())
                } else {
                    Err(AlarmError::NotATopicArn { arn: arn.to_string() })
                }
            }
            None => Ok(()),
        }
    }
}

/// The alarm, as added to a template.
#[derive(Debug, Clone)]
pub struct Alarm {
    /// The alarm.
    pub alarm: Handle<L1Alarm>,
}

/// Builds an [`Alarm`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the alarm to a template"]
pub struct AlarmBuilder {
    id: String,
    name: Expr,
    source: AlarmSource,
    operator: ComparisonOperator,
    threshold: f64,
    description: Option<Expr>,
    evaluation_periods: u32,
    datapoints_to_alarm: u32,
    treat_missing_data: TreatMissingData,
    alarm_actions: Vec<AlarmTarget>,
    ok_actions: Vec<AlarmTarget>,
    without_actions: Option<String>,
}

impl Alarm {
    /// An alarm `<id>Alarm` named `name` that goes off when `source`
    /// compares with `threshold` by `operator` in one period out of one
    /// (see [`AlarmBuilder::evaluation`]), treating missing data as not
    /// breaching ([`TreatMissingData`] says why).
    ///
    /// ```
    /// use cfn_constructs::{Alarm, AlarmSource, ComparisonOperator, EncryptedTopic, EncryptionKey, Metric, Period, Statistic};
    /// use cfn_template::Template;
    ///
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Alerts", "alias/alerts".into()).build(&mut t);
    /// let topic = EncryptedTopic::new("Alerts", "alerts".into(), &key).build(&mut t);
    /// let failures = Metric::new("AWS/Bedrock", "ModelInvocationLogsCloudWatchDeliveryFailure");
    /// let alarm = Alarm::new(
    ///     "DeliveryFailures",
    ///     "bedrock-log-delivery-failures".into(),
    ///     AlarmSource::metric(failures, Statistic::SUM, Period::ONE_MINUTE),
    ///     ComparisonOperator::GreaterThanThreshold,
    ///     0.0,
    /// )
    /// .alarm_action(&topic)
    /// .build(&mut t)
    /// .expect("within CloudWatch's limits");
    /// let v = t.synthesize().unwrap();
    /// let p = &v["Resources"]["DeliveryFailuresAlarm"]["Properties"];
    /// assert_eq!(p["TreatMissingData"], "notBreaching");
    /// assert_eq!(p["AlarmActions"], serde_json::json!([{"Ref": "AlertsTopic"}]));
    /// # let _ = alarm;
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(
        id: impl Into<String>,
        name: Expr,
        source: AlarmSource,
        operator: ComparisonOperator,
        threshold: f64,
    ) -> AlarmBuilder {
        AlarmBuilder {
            id: id.into(),
            name,
            source,
            operator,
            threshold,
            description: None,
            evaluation_periods: 1,
            datapoints_to_alarm: 1,
            treat_missing_data: TreatMissingData::default(),
            alarm_actions: Vec::new(),
            ok_actions: Vec::new(),
            without_actions: None,
        }
    }

    /// Notifies one more topic on entering `ALARM` (a topic of this template
    /// lets CloudWatch alarms publish to it).
    pub fn add_alarm_action(
        &self,
        s: &mut impl Stack,
        target: impl Into<AlarmTarget>,
    ) -> Result<(), AlarmError> {
        self.add_action(s, target.into(), "ALARM")
    }

    /// Notifies one more topic on returning to `OK`.
    pub fn add_ok_action(
        &self,
        s: &mut impl Stack,
        target: impl Into<AlarmTarget>,
    ) -> Result<(), AlarmError> {
        self.add_action(s, target.into(), "OK")
    }

    fn add_action(
        &self,
        s: &mut impl Stack,
        target: AlarmTarget,
        state: &'static str,
    ) -> Result<(), AlarmError> {
        target.check()?;
        let alarm = s.template().get_mut(&self.alarm);
        let actions = if state == "OK" { &mut alarm.ok_actions } else { &mut alarm.alarm_actions };
        let list = actions.get_or_insert_with(|| Vec::new().into());
        let count = list.items().map_or(0, <[Expr]>::len);
        if count >= MAX_ACTIONS {
            return Err(AlarmError::TooManyActions { state, count: count + 1 });
        }
        // A list computed by an intrinsic cannot be extended in place.
        if list.push(target.arn.clone()).is_err() {
            return Err(AlarmError::TooManyActions { state, count: count + 1 });
        }
        if let Some(topic) = &target.topic {
            topic.allow_cloudwatch_alarms(s);
        }
        Ok(())
    }
}

/// The reason recorded when an alarm knowingly notifies nobody.
const NO_ACTION_RULES: [&str; 2] =
    ["NIST.800.53.R5-CloudWatchAlarmAction", "HIPAA.Security-CloudWatchAlarmAction"];

impl AlarmBuilder {
    /// Describes the alarm (what it means, what to do): shown in notifications.
    pub fn description(mut self, text: impl Into<Expr>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Goes off when `datapoints_to_alarm` of the last `evaluation_periods`
    /// periods breach (M of N).
    pub fn evaluation(mut self, evaluation_periods: u32, datapoints_to_alarm: u32) -> Self {
        self.evaluation_periods = evaluation_periods;
        self.datapoints_to_alarm = datapoints_to_alarm;
        self
    }

    /// Sets what a period without data counts as.
    pub fn treat_missing_data(mut self, treat: TreatMissingData) -> Self {
        self.treat_missing_data = treat;
        self
    }

    /// Notifies a topic on entering `ALARM`.
    pub fn alarm_action(mut self, target: impl Into<AlarmTarget>) -> Self {
        self.alarm_actions.push(target.into());
        self
    }

    /// Notifies a topic on returning to `OK`.
    pub fn ok_action(mut self, target: impl Into<AlarmTarget>) -> Self {
        self.ok_actions.push(target.into());
        self
    }

    /// Builds the alarm without any action, for `reason` (a composite
    /// alarm or a dashboard reads it). The reason is recorded for the
    /// cdk-nag rules that want every alarm to act
    /// (`NIST.800.53.R5-CloudWatchAlarmAction`,
    /// `HIPAA.Security-CloudWatchAlarmAction`).
    pub fn without_actions(mut self, reason: impl Into<String>) -> Self {
        self.without_actions = Some(reason.into());
        self
    }

    /// Checks the alarm against CloudWatch's limits and adds it; a topic of
    /// this template among the actions then lets CloudWatch alarms of this
    /// account and region publish ([`EncryptedTopic::allow_cloudwatch_alarms`]).
    pub fn build(self, s: &mut impl Stack) -> Result<Alarm, AlarmError> {
        let period = self.source.period();
        if period.is_sub_minute() && !self.source.is_high_resolution() {
            return Err(AlarmError::SubMinutePeriodOnStandardMetric { seconds: period.seconds() });
        }
        if self.evaluation_periods == 0 || self.datapoints_to_alarm == 0 {
            return Err(AlarmError::ZeroEvaluation);
        }
        if self.datapoints_to_alarm > self.evaluation_periods {
            return Err(AlarmError::DatapointsExceedPeriods {
                datapoints: self.datapoints_to_alarm,
                evaluation_periods: self.evaluation_periods,
            });
        }
        let limit = if period.seconds() < 3600 { ONE_DAY } else { ONE_WEEK };
        if u64::from(period.seconds()) * u64::from(self.evaluation_periods) > limit {
            return Err(AlarmError::EvaluationRangeTooLong {
                period: period.seconds(),
                evaluation_periods: self.evaluation_periods,
                limit,
            });
        }
        if !self.threshold.is_finite() {
            return Err(AlarmError::ThresholdNotFinite);
        }
        for (state, actions) in [("ALARM", &self.alarm_actions), ("OK", &self.ok_actions)] {
            if actions.len() > MAX_ACTIONS {
                return Err(AlarmError::TooManyActions { state, count: actions.len() });
            }
            actions.iter().try_for_each(AlarmTarget::check)?;
        }
        if self.alarm_actions.is_empty() && self.ok_actions.is_empty() && self.without_actions.is_none() {
            return Err(AlarmError::NoAction);
        }
        let mut alarm = L1Alarm {
            alarm_name: Some(self.name),
            alarm_description: self.description,
            comparison_operator: Some(self.operator.as_str().into()),
            threshold: Some(threshold(self.threshold)),
            evaluation_periods: Some(self.evaluation_periods.into()),
            datapoints_to_alarm: Some(self.datapoints_to_alarm.into()),
            treat_missing_data: Some(self.treat_missing_data.as_str().into()),
            alarm_actions: list(&self.alarm_actions),
            ok_actions: list(&self.ok_actions),
            ..L1Alarm::default()
        };
        match self.source.0 {
            Source::Metric { metric, statistic, period } => {
                let m = metric.l1()?;
                alarm.namespace = m.namespace;
                alarm.metric_name = m.metric_name;
                alarm.dimensions = m.dimensions;
                alarm.period = Some(period.seconds().into());
                if statistic.is_extended() {
                    alarm.extended_statistic = Some(statistic.as_str().into());
                } else {
                    alarm.statistic = Some(statistic.as_str().into());
                }
            }
            Source::Queries { queries, high_resolution, invalid, .. } => {
                if let Some(e) = invalid {
                    return Err(e);
                }
                check_queries(&queries, high_resolution)?;
                alarm.metrics = Some(queries.into());
            }
        }
        let handle = s.add_resource(&format!("{}Alarm", self.id), alarm, Attributes::new());
        if let Some(reason) = &self.without_actions {
            ScannerException { reason, checkov: &[], cdk_nag: &NO_ACTION_RULES }
                .record(s.template(), &handle);
        }
        for topic in self.alarm_actions.iter().chain(&self.ok_actions).filter_map(|a| a.topic.as_ref()) {
            topic.allow_cloudwatch_alarms(s);
        }
        Ok(Alarm { alarm: handle })
    }
}

/// An integral threshold as an integer (`100`, not `100.0`), any other as it is.
fn threshold(value: f64) -> cfn_template::value::Num {
    // Integral and within the range where every integer is exact in an f64.
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        cfn_template::value::Num::from(value as i64)
    } else {
        cfn_template::value::Num::from(value)
    }
}

fn list(targets: &[AlarmTarget]) -> Option<cfn_template::value::List<Expr>> {
    (!targets.is_empty()).then(|| targets.iter().map(|t| t.arn.clone()).collect())
}

/// Whether `id` is a query ID CloudWatch accepts: a lowercase letter, then
/// letters, digits and underscores (`MetricDataQuery.Id`, API reference).
fn valid_query_id(id: &Expr) -> bool {
    id.as_literal().is_some_and(|id| {
        let mut chars = id.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && id.len() <= 255
    })
}

fn check_queries(queries: &[MetricDataQuery], high_resolution: bool) -> Result<(), AlarmError> {
    let mut seen: Vec<&Expr> = Vec::new();
    for q in queries {
        if !valid_query_id(&q.id) || seen.contains(&&q.id) {
            return Err(AlarmError::InvalidQueryId { id: id_text(&q.id) });
        }
        seen.push(&q.id);
        if q.expression.is_none() && q.metric_stat.is_none() {
            return Err(AlarmError::EmptyQuery { id: id_text(&q.id) });
        }
        if let Some(stat) = &q.metric_stat {
            if let Some(seconds) = stat.period.literal() {
                let seconds = u32::try_from(seconds.max(0)).unwrap_or(u32::MAX);
                let p = Period::from_seconds(seconds)?;
                if p.is_sub_minute() && !high_resolution {
                    return Err(AlarmError::SubMinutePeriodOnStandardMetric { seconds });
                }
            }
            if let Some(given) = stat.stat.as_literal() {
                Statistic::parse(given)?;
            }
            let dimensions = stat.metric.dimensions.as_ref().and_then(|d| d.items()).map_or(0, <[_]>::len);
            if dimensions > MAX_DIMENSIONS {
                return Err(AlarmError::TooManyDimensions { count: dimensions });
            }
        }
    }
    let returning: Vec<&MetricDataQuery> =
        queries.iter().filter(|q| q.return_data.as_ref().and_then(|b| b.literal()).unwrap_or(true)).collect();
    match returning.as_slice() {
        [one] if one.expression.is_none() => {
            Err(AlarmError::ReturnDataNotExpression { id: id_text(&one.id) })
        }
        [_] => Ok(()),
        many => Err(AlarmError::ReturnDataCount { count: many.len() }),
    }
}

fn id_text(id: &Expr) -> String {
    id.as_literal().map_or_else(|| format!("{id:?}"), str::to_string)
}
