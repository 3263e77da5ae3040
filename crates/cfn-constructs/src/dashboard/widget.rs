//! Text, alarm status and Logs Insights widgets, and the widget type that
//! holds any of them.
//!
//! The facts come from the CloudWatch API Reference, "Dashboard Body
//! Structure and Syntax": a text widget's `markdown` and `background`; an
//! alarm status widget's `alarms` (1 to 100 ARNs), `sortBy` and `states`; a
//! log widget's `query` (the log groups as `SOURCE '<name>'` commands before
//! the query), `region` and `view`.

use cfn_template::resources::cloudwatch::Alarm;
use cfn_template::{Expr, Handle, Pseudo};

use super::body::{Json, Piece};
use super::{DashboardError, MetricWidget, WidgetRef};
use crate::{check_logs_insights_query, EncryptedLogGroup};

/// The most alarms one alarm status widget lists.
pub const MAX_ALARMS_PER_WIDGET: usize = 100;

/// A widget of a dashboard.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Widget {
    /// A graph of metrics.
    Metric(MetricWidget),
    /// Markdown text.
    Text(TextWidget),
    /// The states of alarms.
    Alarm(AlarmWidget),
    /// The results of a Logs Insights query.
    Log(LogWidget),
}

impl Widget {
    /// The widget's type, as the dashboard body names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Widget::Metric(_) => "metric",
            Widget::Text(_) => "text",
            Widget::Alarm(_) => "alarm",
            Widget::Log(_) => "log",
        }
    }

    /// The widget's title, if it has one.
    pub fn title(&self) -> Option<&str> {
        match self {
            Widget::Metric(w) => w.title.as_deref(),
            Widget::Text(_) => None,
            Widget::Alarm(w) => w.title.as_deref(),
            Widget::Log(w) => w.title.as_deref(),
        }
    }

    pub(crate) fn metric_count(&self) -> usize {
        match self {
            Widget::Metric(w) => w.metric_count(),
            _ => 0,
        }
    }

    pub(crate) fn properties(&self, widget: &WidgetRef) -> Result<Json, DashboardError> {
        match self {
            Widget::Metric(w) => w.properties(widget),
            Widget::Text(w) => w.properties(widget),
            Widget::Alarm(w) => w.properties(widget),
            Widget::Log(w) => w.properties(widget),
        }
    }
}

impl From<MetricWidget> for Widget {
    fn from(w: MetricWidget) -> Widget {
        Widget::Metric(w)
    }
}

impl From<TextWidget> for Widget {
    fn from(w: TextWidget) -> Widget {
        Widget::Text(w)
    }
}

impl From<AlarmWidget> for Widget {
    fn from(w: AlarmWidget) -> Widget {
        Widget::Alarm(w)
    }
}

impl From<LogWidget> for Widget {
    fn from(w: LogWidget) -> Widget {
        Widget::Log(w)
    }
}

/// Markdown text (`text` widget).
///
/// ```
/// use cfn_constructs::TextWidget;
/// let note = TextWidget::new("# Bedrock\nDefined in CloudFormation: edits in the console are overwritten.");
/// assert_ne!(note, note.clone().transparent());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TextWidget {
    markdown: Expr,
    transparent: bool,
}

impl TextWidget {
    /// The text, in Markdown; it may hold deploy-time values (a link with the region).
    pub fn new(markdown: impl Into<Expr>) -> Self {
        TextWidget { markdown: markdown.into(), transparent: false }
    }

    /// Draws the text without a background, as a heading between rows.
    pub fn transparent(mut self) -> Self {
        self.transparent = true;
        self
    }

    fn properties(&self, widget: &WidgetRef) -> Result<Json, DashboardError> {
        if self.markdown.as_literal().is_some_and(|m| m.trim().is_empty()) {
            return Err(DashboardError::Empty { widget: widget.clone(), field: "markdown".into() });
        }
        let mut properties = vec![("markdown", Json::expr(&self.markdown))];
        if self.transparent {
            properties.push(("background", Json::text("transparent")));
        }
        Ok(Json::Object(properties))
    }
}

/// How an alarm status widget orders its alarms (`sortBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmSort {
    /// By name (`default`).
    Name,
    /// Alarms in ALARM first, then INSUFFICIENT_DATA, then OK, each by the
    /// latest change of state (`stateUpdatedTimestamp`).
    State,
    /// By the latest change of state, whatever the state (`timestamp`).
    LastChange,
}

impl AlarmSort {
    /// The name the dashboard body uses.
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmSort::Name => "default",
            AlarmSort::State => "stateUpdatedTimestamp",
            AlarmSort::LastChange => "timestamp",
        }
    }
}

/// An alarm state an alarm status widget can be limited to (`states`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmState {
    /// `ALARM`.
    Alarm,
    /// `INSUFFICIENT_DATA`.
    InsufficientData,
    /// `OK`.
    Ok,
}

impl AlarmState {
    /// The name the dashboard body uses.
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
            AlarmState::Ok => "OK",
        }
    }
}

/// The states of alarms (`alarm` widget).
///
/// ```
/// use cfn_constructs::{AlarmSort, AlarmState, AlarmWidget};
/// use cfn_template::Expr;
/// let alarms = AlarmWidget::new("Delivery")
///     .alarm_arn(Expr::sub("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:delivery"))
///     .sort_by(AlarmSort::State)
///     .states([AlarmState::Alarm, AlarmState::InsufficientData]);
/// assert_eq!(alarms.alarm_count(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmWidget {
    title: Option<String>,
    alarms: Vec<Expr>,
    sort_by: Option<AlarmSort>,
    states: Vec<AlarmState>,
}

impl AlarmWidget {
    /// A widget titled `title` listing no alarm yet.
    pub fn new(title: impl Into<String>) -> Self {
        AlarmWidget { title: Some(title.into()), alarms: Vec::new(), sort_by: None, states: Vec::new() }
    }

    /// Lists an alarm of this template.
    pub fn alarm(mut self, alarm: &Handle<Alarm>) -> Self {
        self.alarms.push(alarm.arn());
        self
    }

    /// Lists an alarm by its ARN.
    pub fn alarm_arn(mut self, arn: impl Into<Expr>) -> Self {
        self.alarms.push(arn.into());
        self
    }

    /// How many alarms the widget lists.
    pub fn alarm_count(&self) -> usize {
        self.alarms.len()
    }

    /// The order of the alarms (CloudWatch's default: by name).
    pub fn sort_by(mut self, sort: AlarmSort) -> Self {
        self.sort_by = Some(sort);
        self
    }

    /// Shows only alarms in these states (by default, all).
    pub fn states(mut self, states: impl IntoIterator<Item = AlarmState>) -> Self {
        self.states = states.into_iter().collect();
        self
    }

    fn properties(&self, widget: &WidgetRef) -> Result<Json, DashboardError> {
        if self.alarms.is_empty() {
            return Err(DashboardError::Empty { widget: widget.clone(), field: "alarms".into() });
        }
        if self.alarms.len() > MAX_ALARMS_PER_WIDGET {
            return Err(DashboardError::TooManyAlarms { widget: widget.clone(), count: self.alarms.len() });
        }
        let mut properties = Vec::new();
        if let Some(title) = &self.title {
            properties.push(("title", Json::text(title)));
        }
        properties.push(("alarms", Json::Array(self.alarms.iter().map(Json::expr).collect())));
        if let Some(sort) = self.sort_by {
            properties.push(("sortBy", Json::text(sort.as_str())));
        }
        if !self.states.is_empty() {
            properties
                .push(("states", Json::Array(self.states.iter().map(|s| Json::text(s.as_str())).collect())));
        }
        Ok(Json::Object(properties))
    }
}

/// How a log widget draws the query's results (`view`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogView {
    /// Rows of results (`table`), the default.
    #[default]
    Table,
    /// Lines over time, for `stats ... by bin()` (`timeSeries`).
    TimeSeries,
    /// Bars (`bar`).
    Bar,
    /// Slices (`pie`).
    Pie,
}

impl LogView {
    /// The name the dashboard body uses.
    pub fn as_str(self) -> &'static str {
        match self {
            LogView::Table => "table",
            LogView::TimeSeries => "timeSeries",
            LogView::Bar => "bar",
            LogView::Pie => "pie",
        }
    }
}

/// The results of a Logs Insights query over log groups (`log` widget).
///
/// ```
/// use cfn_constructs::{LogView, LogWidget};
/// let errors = LogWidget::new("Errors", "fields @timestamp, errorCode | filter ispresent(errorCode)")
///     .log_group_name("/aws/bedrock/model-invocation-logs".into())
///     .view(LogView::Table);
/// assert_eq!(errors.log_group_count(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogWidget {
    title: Option<String>,
    query: String,
    log_groups: Vec<Expr>,
    view: LogView,
    stacked: Option<bool>,
    region: Expr,
}

impl LogWidget {
    /// A widget titled `title` running `query` (Logs Insights QL, without
    /// `SOURCE`: the log groups added here are its sources).
    pub fn new(title: impl Into<String>, query: impl Into<String>) -> Self {
        LogWidget {
            title: Some(title.into()),
            query: query.into(),
            log_groups: Vec::new(),
            view: LogView::default(),
            stacked: None,
            region: Expr::pseudo(Pseudo::Region),
        }
    }

    /// Queries a log group of this template, by a `Ref` to it: the dashboard
    /// then follows the log group.
    pub fn log_group(mut self, log_group: &EncryptedLogGroup) -> Self {
        self.log_groups.push(log_group.log_group.r#ref());
        self
    }

    /// Queries a log group by its name.
    pub fn log_group_name(mut self, name: Expr) -> Self {
        self.log_groups.push(name);
        self
    }

    /// How many log groups the query reads.
    pub fn log_group_count(&self) -> usize {
        self.log_groups.len()
    }

    /// How the results are drawn.
    pub fn view(mut self, view: LogView) -> Self {
        self.view = view;
        self
    }

    /// Whether a time series is drawn as stacked areas.
    pub fn stacked(mut self, stacked: bool) -> Self {
        self.stacked = Some(stacked);
        self
    }

    /// The region of the log groups; by default the stack's.
    pub fn region(mut self, region: impl Into<Expr>) -> Self {
        self.region = region.into();
        self
    }

    fn properties(&self, widget: &WidgetRef) -> Result<Json, DashboardError> {
        if self.log_groups.is_empty() {
            return Err(DashboardError::NoLogGroups { widget: widget.clone() });
        }
        check_logs_insights_query(&self.query)
            .map_err(|error| DashboardError::Query { widget: widget.clone(), error })?;
        let mut query = Vec::new();
        for name in &self.log_groups {
            if let Some(literal) = name.as_literal() {
                if !crate::query_definition::is_log_group_name(literal) {
                    return Err(DashboardError::LogGroupName {
                        widget: widget.clone(),
                        name: literal.to_string(),
                    });
                }
            }
            // Log group names hold no quote, so a quoted SOURCE needs no escaping.
            query.push(Piece::Text("SOURCE '".into()));
            match Json::expr(name) {
                Json::Str(pieces) => query.extend(pieces),
                _ => query.push(Piece::Value(name.clone())),
            }
            query.push(Piece::Text("' | ".into()));
        }
        query.push(Piece::Text(self.query.clone()));
        let mut properties = Vec::new();
        if let Some(title) = &self.title {
            properties.push(("title", Json::text(title)));
        }
        properties.push(("query", Json::Str(query)));
        properties.push(("region", Json::expr(&self.region)));
        properties.push(("view", Json::text(self.view.as_str())));
        if let Some(stacked) = self.stacked {
            properties.push(("stacked", Json::Bool(stacked)));
        }
        Ok(Json::Object(properties))
    }
}
