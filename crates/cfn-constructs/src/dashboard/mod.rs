//! A CloudWatch dashboard built from typed widgets.
//!
//! The body is written here, never by hand: widgets placed in rows or at
//! positions on the 24-column grid, checked against what CloudWatch
//! documents (CloudWatch API Reference, "Dashboard Body Structure and
//! Syntax": 0 to 500 widgets, width 1–24, height 1–1000; `PutDashboard`:
//! names of at most 255 letters, digits, `-` and `_`), and rendered as one
//! `Fn::Sub` whose deploy-time values (the region, a log group's name, an
//! alarm's ARN) CloudFormation fills in.

mod body;
mod error;
mod metric;
mod widget;

use cfn_template::resources::cloudwatch::Dashboard as CfnDashboard;
use cfn_template::{Attributes, Expr, Handle};

pub use error::{DashboardError, WidgetRef};
pub use metric::{
    is_valid_period, is_valid_stat, GraphMetric, GraphView, MathExpression, MetricWidget, YAxis,
    MAX_METRICS_PER_DASHBOARD, MAX_METRICS_PER_WIDGET,
};
pub use widget::{
    AlarmSort, AlarmState, AlarmWidget, LogView, LogWidget, TextWidget, Widget, MAX_ALARMS_PER_WIDGET,
};

use crate::Stack;
use body::Json;

/// The most widgets a dashboard holds.
pub const MAX_WIDGETS: usize = 500;

/// The width of the grid, in columns: a widget's width is 1 to this, and
/// its column plus its width at most this.
pub const MAX_WIDTH: u32 = 24;

/// The tallest widget, in rows.
pub const MAX_HEIGHT: u32 = 1000;

/// The largest body, in bytes. CloudWatch documents no size of its own; the
/// body travels inside the template, and CloudFormation takes a template of
/// at most 1 MB (from S3; 51,200 bytes inline) (CloudFormation quotas,
/// "Template body size").
pub const MAX_BODY_BYTES: usize = 1_048_576;

/// The longest dashboard name (`PutDashboard`).
const MAX_NAME_LENGTH: usize = 255;

/// Where a widget sits on the grid, in columns and rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The column of its left edge, from 0.
    pub x: u32,
    /// The row of its top edge, from 0.
    pub y: u32,
    /// Its width in columns (1–24).
    pub width: u32,
    /// Its height in rows (1–1000).
    pub height: u32,
}

/// Widgets side by side, left to right, all of one height.
///
/// ```
/// use cfn_constructs::{Row, TextWidget};
/// let row = Row::new(2).widget(24, TextWidget::new("# Bedrock"));
/// assert_eq!(row.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    height: u32,
    widgets: Vec<(u32, Widget)>,
}

impl Row {
    /// An empty row `height` grid rows tall.
    pub fn new(height: u32) -> Self {
        Row { height, widgets: Vec::new() }
    }

    /// Adds a widget `width` columns wide, right of the ones before it.
    pub fn widget(mut self, width: u32, widget: impl Into<Widget>) -> Self {
        self.widgets.push((width, widget.into()));
        self
    }

    /// How many widgets the row holds.
    pub fn len(&self) -> usize {
        self.widgets.len()
    }

    /// Whether the row holds no widget.
    pub fn is_empty(&self) -> bool {
        self.widgets.is_empty()
    }
}

/// Whether the graphs keep their own periods when the time range changes
/// (`periodOverride`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodOverride {
    /// Periods adapt to the time range shown (`auto`).
    Auto,
    /// Each graph keeps its period (`inherit`).
    Inherit,
}

impl PeriodOverride {
    /// The name the dashboard body uses.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodOverride::Auto => "auto",
            PeriodOverride::Inherit => "inherit",
        }
    }
}

/// The dashboard, as added to a template.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The dashboard.
    pub dashboard: Handle<CfnDashboard>,
    /// Its name, as given.
    pub name: Expr,
    /// Its body, as written to the template.
    pub body: Expr,
}

/// Builds a [`Dashboard`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the dashboard to a template"]
pub struct DashboardBuilder {
    id: String,
    name: Expr,
    widgets: Vec<(Position, Widget)>,
    period_override: Option<PeriodOverride>,
}

impl Dashboard {
    /// A dashboard `<id>Dashboard` named `name`, without widgets yet.
    ///
    /// ```
    /// use cfn_constructs::{
    ///     AccountRegional, Dashboard, EncryptedLogGroup, EncryptionKey, LogWidget, GraphMetric, MetricWidget, NameKind,
    ///     NamingStrategy, Row, TextWidget,
    /// };
    /// use cfn_template::Template;
    ///
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Logs", AccountRegional.name(NameKind::KmsAlias, "logs")).build(&mut t);
    /// let logs = EncryptedLogGroup::new("Invocations", "/aws/bedrock/invocations".into(), &key.key).build(&mut t);
    /// let dashboard = Dashboard::new("Bedrock", AccountRegional.name(NameKind::Dashboard, "bedrock"))
    ///     .row(Row::new(2).widget(24, TextWidget::new("# Bedrock model invocations")))
    ///     .row(
    ///         Row::new(6)
    ///             .widget(12, MetricWidget::new("Invocations").metric(GraphMetric::new("AWS/Bedrock", "Invocations").stat("Sum")))
    ///             .widget(12, LogWidget::new("Latest", "fields @timestamp, modelId | sort @timestamp desc | limit 20").log_group(&logs)),
    ///     )
    ///     .build(&mut t)
    ///     .expect("a valid dashboard");
    /// assert_eq!(dashboard.dashboard.logical_id(), "BedrockDashboard");
    /// assert!(t.to_json().unwrap().contains(r#"\"query\":\"SOURCE '${InvocationsLogGroup}' | fields @timestamp"#));
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr) -> DashboardBuilder {
        DashboardBuilder { id: id.into(), name, widgets: Vec::new(), period_override: None }
    }
}

impl DashboardBuilder {
    /// Adds a row below everything placed so far.
    pub fn row(mut self, row: Row) -> Self {
        let y = self.bottom();
        let mut x = 0u32;
        for (width, widget) in row.widgets {
            self.widgets.push((Position { x, y, width, height: row.height }, widget));
            x = x.saturating_add(width);
        }
        self
    }

    /// Adds a widget at a position of its own.
    pub fn widget_at(mut self, position: Position, widget: impl Into<Widget>) -> Self {
        self.widgets.push((position, widget.into()));
        self
    }

    /// Whether graphs keep their own periods when the time range changes.
    pub fn period_override(mut self, period_override: PeriodOverride) -> Self {
        self.period_override = Some(period_override);
        self
    }

    /// The first grid row below every widget placed so far.
    fn bottom(&self) -> u32 {
        self.widgets.iter().map(|(p, _)| p.y.saturating_add(p.height)).max().unwrap_or(0)
    }

    /// Checks every widget and adds the dashboard; nothing is added when a
    /// check fails.
    pub fn build(self, s: &mut impl Stack) -> Result<Dashboard, DashboardError> {
        check_name(&self.name)?;
        let body = self.body()?;
        let bytes = body.literal_len();
        if bytes > MAX_BODY_BYTES {
            return Err(DashboardError::BodyTooLarge { bytes });
        }
        let body = body.to_expr();
        let mut resource = CfnDashboard::new(body.clone());
        resource.dashboard_name = Some(self.name.clone());
        let dashboard = s.add_resource(&format!("{}Dashboard", self.id), resource, Attributes::new());
        Ok(Dashboard { dashboard, name: self.name, body })
    }

    fn body(&self) -> Result<Json, DashboardError> {
        if self.widgets.len() > MAX_WIDGETS {
            return Err(DashboardError::TooManyWidgets { count: self.widgets.len() });
        }
        let mut widgets = Vec::new();
        for (i, (p, widget)) in self.widgets.iter().enumerate() {
            let at =
                WidgetRef { index: i + 1, kind: widget.kind(), title: widget.title().map(str::to_string) };
            if !(1..=MAX_WIDTH).contains(&p.width) {
                return Err(DashboardError::Width { widget: at, width: p.width });
            }
            if p.x.saturating_add(p.width) > MAX_WIDTH {
                return Err(DashboardError::PastRightEdge { widget: at, x: p.x, width: p.width });
            }
            if !(1..=MAX_HEIGHT).contains(&p.height) {
                return Err(DashboardError::Height { widget: at, height: p.height });
            }
            let properties = widget.properties(&at)?;
            widgets.push(Json::Object(vec![
                ("type", Json::text(widget.kind())),
                ("x", Json::int(p.x)),
                ("y", Json::int(p.y)),
                ("width", Json::int(p.width)),
                ("height", Json::int(p.height)),
                ("properties", properties),
            ]));
        }
        let metrics: usize = self.widgets.iter().map(|(_, w)| w.metric_count()).sum();
        if metrics > MAX_METRICS_PER_DASHBOARD {
            return Err(DashboardError::TooManyMetrics {
                widget: None,
                count: metrics,
                max: MAX_METRICS_PER_DASHBOARD,
            });
        }
        let mut entries = Vec::new();
        if let Some(period_override) = self.period_override {
            entries.push(("periodOverride", Json::text(period_override.as_str())));
        }
        entries.push(("widgets", Json::Array(widgets)));
        Ok(Json::Object(entries))
    }
}

/// Checks what is known now of a name: the characters of its literal text,
/// and its length when all of it is literal.
fn check_name(name: &Expr) -> Result<(), DashboardError> {
    let (literal, whole) = name.literal_text();
    let problem = if let Some(c) =
        literal.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(format!("`{c}` is not allowed; a dashboard name holds letters, digits, `-` and `_`"))
    } else if whole && literal.is_empty() {
        Some("is empty".to_string())
    } else if literal.chars().count() > MAX_NAME_LENGTH {
        Some(format!("is {} characters long; CloudWatch allows {MAX_NAME_LENGTH}", literal.chars().count()))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(DashboardError::Name { name: literal, problem }),
        None => Ok(()),
    }
}
