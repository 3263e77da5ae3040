//! A CloudWatch Logs metric filter: a metric counted or measured from the
//! events of a log group, with dimensions kept to what CloudWatch can bear.
//!
//! Limits are those of the CloudWatch Logs User Guide ("Creating metrics
//! from log events using filters", "Using dimensions"): a filter pattern of
//! at most 1,024 characters; at most three dimensions per filter, which take
//! fields of JSON or space-delimited patterns; no default value with
//! dimensions; and a filter whose dimensions produce 1,000 distinct
//! name/value pairs within an hour may be disabled, every distinct value
//! being billed as a custom metric.

use std::fmt;

use cfn_template::resources::logs::metric_filter::MetricTransformation;
use cfn_template::resources::logs::MetricFilter as L1MetricFilter;
use cfn_template::resources::Tag;
use cfn_template::{Attributes, Expr, Handle};

use crate::suppress::record_exception;
use crate::{EncryptedLogGroup, Metric, Stack};

/// The most characters of a filter pattern.
const MAX_PATTERN_LEN: usize = 1024;
/// The most dimensions of a metric filter.
const MAX_DIMENSIONS: usize = 3;

/// The promise a filter knowingly breaks when given a high-cardinality dimension.
pub const BOUNDED_METRIC_DIMENSIONS: &str = "BoundedMetricDimensions";

/// Fields of a Bedrock invocation log record that name a caller or a single
/// request: as dimensions, each caller or request becomes a metric of its own.
const HIGH_CARDINALITY_FIELDS: [&str; 3] = ["$.identity", "$.requestId", "$.requestMetadata"];

/// A metric filter CloudWatch Logs would refuse, or one that would cost
/// far more than it tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricFilterError {
    /// An empty or blank filter pattern.
    EmptyPattern,
    /// A filter pattern longer than CloudWatch Logs accepts.
    PatternTooLong {
        /// Its length in characters.
        length: usize,
    },
    /// More dimensions than a filter takes.
    TooManyDimensions {
        /// How many were given.
        count: usize,
    },
    /// Dimensions with a pattern that selects no fields (neither JSON nor space-delimited).
    DimensionsNeedFields {
        /// The pattern.
        pattern: String,
    },
    /// A dimension or metric value that is no field selector of the pattern's kind.
    NotAFieldSelector {
        /// What it is for: a dimension's name, or `the metric value`.
        of: String,
        /// The value as given.
        value: String,
    },
    /// A dimension whose values name callers or requests.
    HighCardinalityDimension {
        /// The dimension's name.
        name: String,
        /// The selector.
        selector: String,
    },
    /// A default value on a filter with dimensions.
    DefaultValueWithDimensions,
    /// A default value that is not a finite number.
    DefaultValueNotFinite,
    /// A unit CloudWatch does not know.
    InvalidUnit {
        /// The unit as given.
        unit: String,
    },
}

impl fmt::Display for MetricFilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricFilterError::EmptyPattern => write!(
                f,
                "the filter pattern is empty, which matches every event, Bedrock's permission-check line \
                 included: match what you count, such as {{ $.schemaType = \"ModelInvocationLog\" }}"
            ),
            MetricFilterError::PatternTooLong { length } => write!(
                f,
                "the filter pattern has {length} characters, more than the {MAX_PATTERN_LEN} CloudWatch Logs \
                 accepts: split it into several filters"
            ),
            MetricFilterError::TooManyDimensions { count } => {
                write!(f, "{count} dimensions are more than the {MAX_DIMENSIONS} a metric filter takes")
            }
            MetricFilterError::DimensionsNeedFields { pattern } => write!(
                f,
                "dimensions take fields of a JSON pattern ({{ $.field = ... }}) or a space-delimited one \
                 ([field1, field2, ...]); the pattern {pattern:?} has none"
            ),
            MetricFilterError::NotAFieldSelector { of, value } => write!(
                f,
                "{of} {value:?} is not a field of the pattern: use $.path for a JSON pattern or $name for a \
                 space-delimited one{}",
                if of == "the metric value" { ", or a number" } else { "" }
            ),
            MetricFilterError::HighCardinalityDimension { name, selector } => write!(
                f,
                "the dimension {name:?} takes {selector}, which names a caller or a single request: every \
                 distinct value becomes a custom metric billed on its own, and CloudWatch Logs may disable \
                 a filter whose dimensions reach 1,000 distinct values within an hour, so the metric stops. \
                 Count per caller with a Logs Insights query instead (stats count() by identity.arn), or \
                 accept the cost explicitly with high_cardinality_dimension(name, selector, reason)"
            ),
            MetricFilterError::DefaultValueWithDimensions => write!(
                f,
                "a metric filter with dimensions cannot have a default value: CloudWatch Logs would not know \
                 which dimension values to emit it under; remove one or the other"
            ),
            MetricFilterError::DefaultValueNotFinite => {
                write!(f, "the default value must be a finite number")
            }
            MetricFilterError::InvalidUnit { unit } => write!(
                f,
                "{unit:?} is not a CloudWatch unit: use one of {}",
                MetricTransformation::UNIT_VALUES.join(", ")
            ),
        }
    }
}

impl std::error::Error for MetricFilterError {}

/// The log group a filter reads: a log group of this template (which the
/// filter then waits for), or any log group by name.
#[derive(Debug, Clone, PartialEq)]
pub struct FilteredLogGroup(Expr);

impl From<&EncryptedLogGroup> for FilteredLogGroup {
    fn from(lg: &EncryptedLogGroup) -> FilteredLogGroup {
        // `Ref` of a log group is its name, and makes the filter wait for it.
        FilteredLogGroup(lg.log_group.r#ref())
    }
}

impl From<Expr> for FilteredLogGroup {
    fn from(name: Expr) -> FilteredLogGroup {
        FilteredLogGroup(name)
    }
}

impl From<&str> for FilteredLogGroup {
    fn from(name: &str) -> FilteredLogGroup {
        FilteredLogGroup(name.into())
    }
}

/// The metric filter and the metric it publishes, as added to a template.
#[derive(Debug, Clone)]
pub struct MetricFilter {
    /// The metric filter.
    pub filter: Handle<L1MetricFilter>,
    namespace: Expr,
    metric_name: Expr,
    dimensions: Vec<String>,
}

/// Builds a [`MetricFilter`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the metric filter to a template"]
pub struct MetricFilterBuilder {
    id: String,
    log_group: FilteredLogGroup,
    pattern: Expr,
    namespace: Expr,
    metric_name: Expr,
    value: Expr,
    default_value: Option<f64>,
    unit: Option<String>,
    filter_name: Option<Expr>,
    dimensions: Vec<(String, String, Option<String>)>,
}

impl MetricFilter {
    /// A metric filter `<id>MetricFilter` on `log_group` that publishes
    /// `metric_name` in `namespace` for every event matching `pattern`, with
    /// the value 1 (see [`MetricFilterBuilder::value`]).
    ///
    /// ```
    /// use cfn_constructs::{EncryptedLogGroup, EncryptionKey, MetricFilter};
    /// use cfn_template::Template;
    ///
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Logs", "alias/logs".into()).build(&mut t);
    /// let logs = EncryptedLogGroup::new("Invocations", "/bedrock/invocations".into(), &key.key).build(&mut t);
    /// let tokens = MetricFilter::new(
    ///     "InputTokens",
    ///     &logs,
    ///     r#"{ $.schemaType = "ModelInvocationLog" }"#,
    ///     "Audit/Bedrock",
    ///     "InputTokens",
    /// )
    /// .value("$.input.inputTokenCount")
    /// .dimension("ModelId", "$.modelId")
    /// .build(&mut t)
    /// .expect("a bounded metric");
    /// // An alarm needs the metric, and a value for each of its dimensions.
    /// let nova = tokens.metric().dimension("ModelId", "amazon.nova-pro-v1:0");
    /// assert_eq!(nova.dimensions().len(), 1);
    /// let v = t.synthesize().unwrap();
    /// let transformation = &v["Resources"]["InputTokensMetricFilter"]["Properties"]["MetricTransformations"][0];
    /// assert_eq!(transformation["Dimensions"][0], serde_json::json!({"Key": "ModelId", "Value": "$.modelId"}));
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(
        id: impl Into<String>,
        log_group: impl Into<FilteredLogGroup>,
        pattern: impl Into<Expr>,
        namespace: impl Into<Expr>,
        metric_name: impl Into<Expr>,
    ) -> MetricFilterBuilder {
        MetricFilterBuilder {
            id: id.into(),
            log_group: log_group.into(),
            pattern: pattern.into(),
            namespace: namespace.into(),
            metric_name: metric_name.into(),
            value: "1".into(),
            default_value: None,
            unit: None,
            filter_name: None,
            dimensions: Vec::new(),
        }
    }

    /// The metric the filter publishes, as an [`Alarm`](crate::Alarm)
    /// watches it. A filter with dimensions publishes only per dimension
    /// value: add a value for each of [`MetricFilter::dimension_names`].
    pub fn metric(&self) -> Metric {
        Metric::new(self.namespace.clone(), self.metric_name.clone())
    }

    /// The names of the filter's dimensions.
    pub fn dimension_names(&self) -> &[String] {
        &self.dimensions
    }
}

/// Whether the pattern's literal is a JSON pattern, a space-delimited one,
/// or neither; `None` when it is no literal.
fn pattern_kind(pattern: &Expr) -> Option<PatternKind> {
    let text = pattern.as_literal()?.trim_start();
    Some(if text.starts_with('{') {
        PatternKind::Json
    } else if text.starts_with('[') {
        PatternKind::SpaceDelimited
    } else {
        PatternKind::Text
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatternKind {
    Json,
    SpaceDelimited,
    Text,
}

/// Whether `s` selects a field: `$.path` (JSON patterns) or `$name`
/// (space-delimited ones); any of them when the pattern is not literal.
fn selects_field(s: &str, kind: Option<PatternKind>) -> bool {
    let json = s.strip_prefix("$.").is_some_and(|path| {
        !path.is_empty()
            && path.split('.').all(|part| {
                !part.is_empty()
                    && part.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '[' | ']'))
            })
    });
    let field = s.strip_prefix('$').is_some_and(|name| {
        !name.is_empty() && !name.starts_with('.') && name.chars().all(|c| c.is_alphanumeric() || c == '_')
    });
    match kind {
        Some(PatternKind::Json) => json,
        Some(PatternKind::SpaceDelimited) => field,
        Some(PatternKind::Text) => false,
        None => json || field,
    }
}

/// Whether a selector names a caller or a single request.
fn high_cardinality(selector: &str) -> bool {
    HIGH_CARDINALITY_FIELDS.iter().any(|field| {
        selector == *field || selector.strip_prefix(field).is_some_and(|rest| rest.starts_with(['.', '[']))
    })
}

impl MetricFilterBuilder {
    /// Publishes the value of a field (`$.input.inputTokenCount`, or
    /// `$bytes` in a space-delimited pattern) or a number (`"1"`) for each
    /// matching event.
    pub fn value(mut self, value: impl Into<Expr>) -> Self {
        self.value = value.into();
        self
    }

    /// Publishes `value` for every event that does not match (only without
    /// dimensions), so the metric has a datapoint in quiet periods.
    pub fn default_value(mut self, value: f64) -> Self {
        self.default_value = Some(value);
        self
    }

    /// Sets the metric's unit (one of CloudWatch's, such as `Count` or `Milliseconds`).
    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    /// Names the filter (unique within its log group); CloudFormation names it otherwise.
    pub fn filter_name(mut self, name: Expr) -> Self {
        self.filter_name = Some(name);
        self
    }

    /// Adds a dimension whose value is the field `selector` selects. A
    /// selector naming a caller or a request (`$.identity.arn`,
    /// `$.requestId`, `$.requestMetadata…`) is refused when built.
    pub fn dimension(mut self, name: impl Into<String>, selector: impl Into<String>) -> Self {
        self.dimensions.push((name.into(), selector.into(), None));
        self
    }

    /// Adds a dimension on a field that names callers or requests, knowing
    /// that each distinct value is a custom metric billed on its own and that
    /// CloudWatch Logs may disable the filter at 1,000 distinct values within
    /// an hour. The reason is recorded on the filter (`Metadata.Exceptions`,
    /// promise `BoundedMetricDimensions`).
    pub fn high_cardinality_dimension(
        mut self,
        name: impl Into<String>,
        selector: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        self.dimensions.push((name.into(), selector.into(), Some(reason.into())));
        self
    }

    fn check(&self) -> Result<(), MetricFilterError> {
        let kind = pattern_kind(&self.pattern);
        if let Some(pattern) = self.pattern.as_literal() {
            if pattern.trim().is_empty() {
                return Err(MetricFilterError::EmptyPattern);
            }
            let length = pattern.chars().count();
            if length > MAX_PATTERN_LEN {
                return Err(MetricFilterError::PatternTooLong { length });
            }
        }
        if let Some(value) = self.value.as_literal() {
            let number = value.parse::<f64>().is_ok_and(f64::is_finite);
            if !number && !selects_field(value, kind) {
                return Err(MetricFilterError::NotAFieldSelector {
                    of: "the metric value".into(),
                    value: value.to_string(),
                });
            }
        }
        if let Some(unit) = &self.unit {
            if !MetricTransformation::UNIT_VALUES.contains(&unit.as_str()) {
                return Err(MetricFilterError::InvalidUnit { unit: unit.clone() });
            }
        }
        if self.default_value.is_some_and(|v| !v.is_finite()) {
            return Err(MetricFilterError::DefaultValueNotFinite);
        }
        if self.dimensions.is_empty() {
            return Ok(());
        }
        if self.dimensions.len() > MAX_DIMENSIONS {
            return Err(MetricFilterError::TooManyDimensions { count: self.dimensions.len() });
        }
        if kind == Some(PatternKind::Text) {
            let pattern = self.pattern.as_literal().unwrap_or_default().to_string();
            return Err(MetricFilterError::DimensionsNeedFields { pattern });
        }
        if self.default_value.is_some() {
            return Err(MetricFilterError::DefaultValueWithDimensions);
        }
        for (name, selector, accepted) in &self.dimensions {
            if !selects_field(selector, kind) {
                return Err(MetricFilterError::NotAFieldSelector {
                    of: format!("the dimension {name:?}"),
                    value: selector.clone(),
                });
            }
            if accepted.is_none() && high_cardinality(selector) {
                return Err(MetricFilterError::HighCardinalityDimension {
                    name: name.clone(),
                    selector: selector.clone(),
                });
            }
        }
        Ok(())
    }

    /// Checks the filter as far as its literal parts allow, and adds it.
    pub fn build(self, s: &mut impl Stack) -> Result<MetricFilter, MetricFilterError> {
        self.check()?;
        let transformation = MetricTransformation {
            default_value: self.default_value.map(Into::into),
            dimensions: (!self.dimensions.is_empty()).then(|| {
                self.dimensions
                    .iter()
                    .map(|(name, selector, _)| Tag::new(name.as_str(), selector.as_str()))
                    .collect()
            }),
            unit: self.unit.map(Into::into),
            ..MetricTransformation::new(self.metric_name.clone(), self.namespace.clone(), self.value)
        };
        let filter = s.add_resource(
            &format!("{}MetricFilter", self.id),
            L1MetricFilter {
                filter_name: self.filter_name,
                ..L1MetricFilter::new(self.pattern, self.log_group.0, vec![transformation])
            },
            Attributes::new(),
        );
        for (name, selector, reason) in &self.dimensions {
            if let Some(reason) = reason {
                let reason = format!("Dimension {name} takes {selector}: {reason}");
                record_exception(s.template(), &filter, BOUNDED_METRIC_DIMENSIONS, &reason);
            }
        }
        Ok(MetricFilter {
            filter,
            namespace: self.namespace,
            metric_name: self.metric_name,
            dimensions: self.dimensions.into_iter().map(|(name, _, _)| name).collect(),
        })
    }
}
