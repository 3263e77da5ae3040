//! Metric graphs: metrics, metric math, statistics and periods.
//!
//! The facts come from the CloudWatch API Reference ("Dashboard Body
//! Structure and Syntax": the metric widget and the format of each metric in
//! its array), the CloudWatch User Guide ("CloudWatch statistics
//! definitions"; "CloudWatch service quotas": up to 500 metrics per widget
//! and 2,500 per dashboard) and `GetMetricData` (`MetricDataQuery.Id` starts
//! with a lower-case letter and holds letters, digits and underscores, at
//! most 255 characters; periods are 1, 5, 10, 30 or a multiple of 60).

use cfn_template::{Expr, Pseudo};

use super::body::Json;
use super::{DashboardError, WidgetRef};

/// The most metrics (metric math inputs included) one widget draws.
pub const MAX_METRICS_PER_WIDGET: usize = 500;

/// The most metrics (metric math inputs included) one dashboard draws.
pub const MAX_METRICS_PER_DASHBOARD: usize = 2_500;

/// How a metric widget draws its metrics (`view`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GraphView {
    /// Lines over time (`timeSeries`), the default.
    #[default]
    TimeSeries,
    /// The latest value of each metric as a number (`singleValue`).
    SingleValue,
    /// One bar per metric (`bar`).
    Bar,
    /// One slice per metric (`pie`).
    Pie,
    /// A dial between the left y-axis minimum and maximum (`gauge`).
    Gauge,
}

impl GraphView {
    /// The name the dashboard body uses.
    pub fn as_str(self) -> &'static str {
        match self {
            GraphView::TimeSeries => "timeSeries",
            GraphView::SingleValue => "singleValue",
            GraphView::Bar => "bar",
            GraphView::Pie => "pie",
            GraphView::Gauge => "gauge",
        }
    }
}

/// One y-axis of a graph.
///
/// ```
/// use cfn_constructs::YAxis;
/// let percent = YAxis::new().min(0.0).max(100.0).label("%");
/// assert_eq!(percent, YAxis::new().label("%").max(100.0).min(0.0));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YAxis {
    min: Option<f64>,
    max: Option<f64>,
    label: Option<String>,
    show_units: Option<bool>,
}

impl YAxis {
    /// An axis CloudWatch scales to the data.
    pub fn new() -> Self {
        YAxis::default()
    }

    /// The lowest value shown.
    pub fn min(mut self, min: f64) -> Self {
        self.min = Some(min);
        self
    }

    /// The highest value shown.
    pub fn max(mut self, max: f64) -> Self {
        self.max = Some(max);
        self
    }

    /// The axis label.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Whether the metrics' unit is shown beside the label.
    pub fn show_units(mut self, show: bool) -> Self {
        self.show_units = Some(show);
        self
    }

    fn to_json(&self, widget: &WidgetRef, side: &str) -> Result<Json, DashboardError> {
        let mut entries = Vec::new();
        for (key, value) in [("min", self.min), ("max", self.max)] {
            if let Some(v) = value {
                let n = serde_json::Number::from_f64(v).ok_or_else(|| DashboardError::NotANumber {
                    widget: widget.clone(),
                    field: format!("yAxis.{side}.{key}"),
                })?;
                entries.push((key, Json::Number(n)));
            }
        }
        if let Some(label) = &self.label {
            entries.push(("label", Json::text(label)));
        }
        if let Some(show) = self.show_units {
            entries.push(("showUnits", Json::Bool(show)));
        }
        Ok(Json::Object(entries))
    }
}

/// A metric of a graph: namespace, name and dimensions, with how to draw it.
///
/// ```
/// use cfn_constructs::GraphMetric;
/// use cfn_template::Expr;
/// let tokens = GraphMetric::new("AWS/Bedrock", "InputTokenCount")
///     .dimension("ModelId", "anthropic.claude-3-haiku")
///     .stat("Sum")
///     .period(3600)
///     .id("input");
/// assert_eq!(tokens.dimensions(), &[("ModelId".to_string(), Expr::from("anthropic.claude-3-haiku"))]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GraphMetric {
    namespace: String,
    name: String,
    dimensions: Vec<(String, Expr)>,
    stat: Option<String>,
    period: Option<u32>,
    label: Option<String>,
    id: Option<String>,
    visible: Option<bool>,
    right_axis: bool,
}

impl GraphMetric {
    /// The metric `name` of `namespace`, without dimensions.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        GraphMetric {
            namespace: namespace.into(),
            name: name.into(),
            dimensions: Vec::new(),
            stat: None,
            period: None,
            label: None,
            id: None,
            visible: None,
            right_axis: false,
        }
    }

    /// Adds a dimension; its value may be resolved at deploy time (a
    /// function's name from its handle).
    pub fn dimension(mut self, name: impl Into<String>, value: impl Into<Expr>) -> Self {
        self.dimensions.push((name.into(), value.into()));
        self
    }

    /// The dimensions, in the order they were added.
    pub fn dimensions(&self) -> &[(String, Expr)] {
        &self.dimensions
    }

    /// The statistic for this metric, overriding the widget's.
    pub fn stat(mut self, stat: impl Into<String>) -> Self {
        self.stat = Some(stat.into());
        self
    }

    /// The period in seconds for this metric, overriding the widget's.
    pub fn period(mut self, seconds: u32) -> Self {
        self.period = Some(seconds);
        self
    }

    /// The legend label.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The id metric math expressions refer to this metric by.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Whether the metric is drawn (an expression's input may be hidden).
    pub fn visible(mut self, visible: bool) -> Self {
        self.visible = Some(visible);
        self
    }

    /// Draws the metric against the right y-axis.
    pub fn on_right_axis(mut self) -> Self {
        self.right_axis = true;
        self
    }

    fn to_json(&self, widget: &WidgetRef, n: usize) -> Result<Json, DashboardError> {
        let field = |name: &str| format!("metrics[{n}].{name}");
        for (value, name) in [(&self.namespace, "namespace"), (&self.name, "metricName")] {
            if value.trim().is_empty() {
                return Err(DashboardError::Empty { widget: widget.clone(), field: field(name) });
            }
        }
        let mut items = vec![Json::text(&self.namespace), Json::text(&self.name)];
        for (i, (name, value)) in self.dimensions.iter().enumerate() {
            if name.trim().is_empty() {
                return Err(DashboardError::Empty {
                    widget: widget.clone(),
                    field: field(&format!("dimensions[{}]", i + 1)),
                });
            }
            items.push(Json::text(name));
            items.push(Json::expr(value));
        }
        let mut options = Vec::new();
        if let Some(id) = &self.id {
            options.push(("id", Json::text(id)));
        }
        if let Some(label) = &self.label {
            options.push(("label", Json::text(label)));
        }
        if let Some(stat) = &self.stat {
            check_stat(widget, &field("stat"), stat)?;
            options.push(("stat", Json::text(stat)));
        }
        if let Some(period) = self.period {
            check_period(widget, &field("period"), period)?;
            options.push(("period", Json::int(period)));
        }
        if let Some(visible) = self.visible {
            options.push(("visible", Json::Bool(visible)));
        }
        if self.right_axis {
            options.push(("yAxis", Json::text("right")));
        }
        if !options.is_empty() {
            items.push(Json::Object(options));
        }
        Ok(Json::Array(items))
    }
}

/// A metric math expression drawn in a graph (`SUM(METRICS())`, `m1 / m2 * 100`).
///
/// ```
/// use cfn_constructs::MathExpression;
/// let total = MathExpression::new("total", "input + output").label("All tokens");
/// assert_eq!(total.id_str(), "total");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MathExpression {
    id: String,
    expression: String,
    label: Option<String>,
    period: Option<u32>,
    visible: Option<bool>,
}

impl MathExpression {
    /// The expression `expression`, known by `id` (a lower-case letter, then
    /// letters, digits and underscores).
    pub fn new(id: impl Into<String>, expression: impl Into<String>) -> Self {
        MathExpression {
            id: id.into(),
            expression: expression.into(),
            label: None,
            period: None,
            visible: None,
        }
    }

    /// Its id.
    pub fn id_str(&self) -> &str {
        &self.id
    }

    /// The legend label.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The period in seconds the expression is computed over.
    pub fn period(mut self, seconds: u32) -> Self {
        self.period = Some(seconds);
        self
    }

    /// Whether the result is drawn (one expression may feed another).
    pub fn visible(mut self, visible: bool) -> Self {
        self.visible = Some(visible);
        self
    }

    fn to_json(&self, widget: &WidgetRef, n: usize) -> Result<Json, DashboardError> {
        if self.expression.trim().is_empty() {
            return Err(DashboardError::Empty {
                widget: widget.clone(),
                field: format!("metrics[{n}].expression"),
            });
        }
        let mut options = vec![("expression", Json::text(&self.expression)), ("id", Json::text(&self.id))];
        if let Some(label) = &self.label {
            options.push(("label", Json::text(label)));
        }
        if let Some(period) = self.period {
            check_period(widget, &format!("metrics[{n}].period"), period)?;
            options.push(("period", Json::int(period)));
        }
        if let Some(visible) = self.visible {
            options.push(("visible", Json::Bool(visible)));
        }
        Ok(Json::Array(vec![Json::Object(options)]))
    }
}

/// An entry of a graph: a metric or an expression over metrics.
#[derive(Debug, Clone, PartialEq)]
enum Series {
    Metric(GraphMetric),
    Expression(MathExpression),
}

/// A graph of metrics and metric math (`metric` widget).
///
/// ```
/// use cfn_constructs::{GraphView, MathExpression, GraphMetric, MetricWidget, YAxis};
/// let tokens = MetricWidget::new("Tokens")
///     .metric(GraphMetric::new("AWS/Bedrock", "InputTokenCount").id("input"))
///     .metric(GraphMetric::new("AWS/Bedrock", "OutputTokenCount").id("output"))
///     .expression(MathExpression::new("total", "input + output"))
///     .view(GraphView::TimeSeries)
///     .stacked(true)
///     .stat("Sum")
///     .period(3600)
///     .left_axis(YAxis::new().min(0.0));
/// assert_eq!(tokens.metric_count(), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MetricWidget {
    pub(crate) title: Option<String>,
    series: Vec<Series>,
    view: GraphView,
    stacked: Option<bool>,
    stat: Option<String>,
    period: Option<u32>,
    region: Expr,
    left: Option<YAxis>,
    right: Option<YAxis>,
}

impl MetricWidget {
    /// An empty graph titled `title`, of this stack's region.
    pub fn new(title: impl Into<String>) -> Self {
        MetricWidget {
            title: Some(title.into()),
            series: Vec::new(),
            view: GraphView::default(),
            stacked: None,
            stat: None,
            period: None,
            region: Expr::pseudo(Pseudo::Region),
            left: None,
            right: None,
        }
    }

    /// Adds a metric.
    pub fn metric(mut self, metric: GraphMetric) -> Self {
        self.series.push(Series::Metric(metric));
        self
    }

    /// Adds a metric math expression.
    pub fn expression(mut self, expression: MathExpression) -> Self {
        self.series.push(Series::Expression(expression));
        self
    }

    /// How the metrics are drawn.
    pub fn view(mut self, view: GraphView) -> Self {
        self.view = view;
        self
    }

    /// Whether a time series is drawn as stacked areas.
    pub fn stacked(mut self, stacked: bool) -> Self {
        self.stacked = Some(stacked);
        self
    }

    /// The statistic of every metric that sets none (CloudWatch's default: Average).
    pub fn stat(mut self, stat: impl Into<String>) -> Self {
        self.stat = Some(stat.into());
        self
    }

    /// The period of every metric that sets none, in seconds (CloudWatch's default: 300).
    pub fn period(mut self, seconds: u32) -> Self {
        self.period = Some(seconds);
        self
    }

    /// The region the metrics are read from; by default the stack's.
    pub fn region(mut self, region: impl Into<Expr>) -> Self {
        self.region = region.into();
        self
    }

    /// The left y-axis.
    pub fn left_axis(mut self, axis: YAxis) -> Self {
        self.left = Some(axis);
        self
    }

    /// The right y-axis.
    pub fn right_axis(mut self, axis: YAxis) -> Self {
        self.right = Some(axis);
        self
    }

    /// How many metrics the graph reads (expressions are computed from them).
    pub fn metric_count(&self) -> usize {
        self.series.iter().filter(|s| matches!(s, Series::Metric(_))).count()
    }

    pub(crate) fn properties(&self, widget: &WidgetRef) -> Result<Json, DashboardError> {
        if self.series.is_empty() {
            return Err(DashboardError::Empty { widget: widget.clone(), field: "metrics".into() });
        }
        let count = self.metric_count();
        if count > MAX_METRICS_PER_WIDGET {
            return Err(DashboardError::TooManyMetrics {
                widget: Some(widget.clone()),
                count,
                max: MAX_METRICS_PER_WIDGET,
            });
        }
        self.check_ids(widget)?;
        let mut metrics = Vec::new();
        for (i, series) in self.series.iter().enumerate() {
            metrics.push(match series {
                Series::Metric(m) => m.to_json(widget, i + 1)?,
                Series::Expression(e) => e.to_json(widget, i + 1)?,
            });
        }
        let mut properties = Vec::new();
        if let Some(title) = &self.title {
            properties.push(("title", Json::text(title)));
        }
        properties.push(("view", Json::text(self.view.as_str())));
        if let Some(stacked) = self.stacked {
            properties.push(("stacked", Json::Bool(stacked)));
        }
        properties.push(("metrics", Json::Array(metrics)));
        properties.push(("region", Json::expr(&self.region)));
        if let Some(stat) = &self.stat {
            check_stat(widget, "stat", stat)?;
            properties.push(("stat", Json::text(stat)));
        }
        if let Some(period) = self.period {
            check_period(widget, "period", period)?;
            properties.push(("period", Json::int(period)));
        }
        if self.view == GraphView::Gauge
            && !self.left.as_ref().is_some_and(|a| a.min.is_some() && a.max.is_some())
        {
            return Err(DashboardError::GaugeRange { widget: widget.clone() });
        }
        let mut axes = Vec::new();
        if let Some(left) = &self.left {
            axes.push(("left", left.to_json(widget, "left")?));
        }
        if let Some(right) = &self.right {
            axes.push(("right", right.to_json(widget, "right")?));
        }
        if !axes.is_empty() {
            properties.push(("yAxis", Json::Object(axes)));
        }
        Ok(Json::Object(properties))
    }

    /// Ids are how expressions name their inputs: each must be one metric
    /// math can parse, and no two alike.
    fn check_ids(&self, widget: &WidgetRef) -> Result<(), DashboardError> {
        let mut seen: Vec<&str> = Vec::new();
        let ids = self.series.iter().filter_map(|s| match s {
            Series::Metric(m) => m.id.as_deref(),
            Series::Expression(e) => Some(e.id.as_str()),
        });
        for id in ids {
            let problem = if id.is_empty() {
                Some("is empty; an id starts with a lower-case letter")
            } else if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
                Some("must start with a lower-case letter")
            } else if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                Some("may hold only letters, digits and underscores")
            } else if id.len() > 255 {
                Some("is longer than 255 characters")
            } else if seen.contains(&id) {
                Some("is used twice in the widget; ids must be unique")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(DashboardError::Id { widget: widget.clone(), id: id.to_string(), problem });
            }
            seen.push(id);
        }
        Ok(())
    }
}

/// Whether CloudWatch aggregates by `period` seconds: 1, 5, 10 or 30 for
/// high-resolution metrics, else a multiple of 60.
pub fn is_valid_period(period: u32) -> bool {
    matches!(period, 1 | 5 | 10 | 30) || (period >= 60 && period % 60 == 0)
}

fn check_period(widget: &WidgetRef, field: &str, period: u32) -> Result<(), DashboardError> {
    if is_valid_period(period) {
        Ok(())
    } else {
        Err(DashboardError::Period { widget: widget.clone(), field: field.to_string(), period })
    }
}

fn check_stat(widget: &WidgetRef, field: &str, stat: &str) -> Result<(), DashboardError> {
    if is_valid_stat(stat) {
        Ok(())
    } else {
        Err(DashboardError::Stat { widget: widget.clone(), field: field.to_string(), stat: stat.to_string() })
    }
}

/// Whether CloudWatch computes the statistic `stat` ("CloudWatch statistics
/// definitions"): `SampleCount`, `Average`, `Sum`, `Minimum`, `Maximum`,
/// `IQM`; a percentile `p` and the short forms `tm`, `wm`, `tc`, `ts`
/// followed by a percentage (0–100, up to 10 decimal places); or `TM`, `WM`,
/// `TC`, `TS` with one or two bounds, each a percentage (`10%`) or an
/// absolute value, and `PR` with absolute bounds (`PR(:300)`).
///
/// ```
/// use cfn_constructs::is_valid_stat;
/// assert!(is_valid_stat("p99.9") && is_valid_stat("TM(10%:90%)") && is_valid_stat("PR(100:2000)"));
/// assert!(!is_valid_stat("avg") && !is_valid_stat("p101") && !is_valid_stat("PR(10%:)"));
/// ```
pub fn is_valid_stat(stat: &str) -> bool {
    if matches!(stat, "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum" | "IQM") {
        return true;
    }
    for short in ["p", "tm", "wm", "tc", "ts"] {
        if let Some(rest) = stat.strip_prefix(short) {
            return percentage(rest);
        }
    }
    for (long, percent_allowed) in [("TM", true), ("WM", true), ("TC", true), ("TS", true), ("PR", false)] {
        if let Some(bounds) =
            stat.strip_prefix(long).and_then(|r| r.strip_prefix('(')).and_then(|r| r.strip_suffix(')'))
        {
            return valid_bounds(bounds, percent_allowed);
        }
    }
    false
}

/// A number of at most ten decimal places.
fn number(s: &str) -> Option<f64> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let ok =
        !whole.is_empty() && digits(whole) && digits(fraction) && fraction.len() <= 10 && !s.ends_with('.');
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

fn percentage(s: &str) -> bool {
    number(s).is_some_and(|n| (0.0..=100.0).contains(&n))
}

fn valid_bounds(bounds: &str, percent_allowed: bool) -> bool {
    let Some((low, high)) = bounds.split_once(':') else {
        return false;
    };
    let bound = |b: &str| -> Option<Option<(f64, bool)>> {
        if b.is_empty() {
            return Some(None);
        }
        match b.strip_suffix('%') {
            Some(p) if percent_allowed && percentage(p) => number(p).map(|n| Some((n, true))),
            Some(_) => None,
            None => number(b).map(|n| Some((n, false))),
        }
    };
    match (bound(low), bound(high)) {
        (Some(None), Some(None)) | (None, _) | (_, None) => false,
        (Some(Some((l, lp))), Some(Some((h, hp)))) if lp == hp => l < h,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_follow_the_documented_forms() {
        for ok in [
            "Sum",
            "IQM",
            "p0",
            "p100",
            "p99.99",
            "tm90",
            "wm98",
            "tc90",
            "ts90",
            "TM(2%:98%)",
            "TM(150:1000)",
            "TS(80%:)",
            "TC(0.005:0.030)",
            "PR(:300)",
        ] {
            assert!(is_valid_stat(ok), "{ok}");
        }
        for bad in [
            "sum",
            "p",
            "p100.5",
            "p9x",
            "tm",
            "TM()",
            "TM(:)",
            "TM(90%:10%)",
            "PR(10%:90%)",
            "TM(10%:90%",
            "p1.12345678901",
        ] {
            assert!(!is_valid_stat(bad), "{bad}");
        }
    }

    #[test]
    fn periods_are_high_resolution_or_whole_minutes() {
        assert!([1, 5, 10, 30, 60, 300, 3600, 86_400].into_iter().all(is_valid_period));
        assert!(![0, 2, 45, 61, 90].into_iter().any(is_valid_period));
    }
}
