//! Why a dashboard cannot be built, said for people: which widget, which
//! field, what CloudWatch allows.

use std::fmt;

use crate::QueryError;

/// Which widget a problem is in: its place among the dashboard's widgets
/// (from 1, in the order they were added), its type and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetRef {
    /// The widget's place, from 1.
    pub index: usize,
    /// Its type, as the dashboard body names it: `metric`, `text`, `alarm`, `log`.
    pub kind: &'static str,
    /// Its title, if it has one.
    pub title: Option<String>,
}

impl fmt::Display for WidgetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "widget {} ({}", self.index, self.kind)?;
        if let Some(title) = &self.title {
            write!(f, " \"{title}\"")?;
        }
        write!(f, ")")
    }
}

/// A dashboard CloudWatch would refuse, or render other than it reads.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DashboardError {
    /// The dashboard's name has characters CloudWatch does not take, or is too long.
    Name {
        /// The name (its literal text).
        name: String,
        /// What is wrong with it.
        problem: String,
    },
    /// More widgets than a dashboard holds.
    TooManyWidgets {
        /// How many there are.
        count: usize,
    },
    /// A width outside 1–24.
    Width {
        /// The widget.
        widget: WidgetRef,
        /// Its width.
        width: u32,
    },
    /// A widget reaching past the right edge of the 24-column grid.
    PastRightEdge {
        /// The widget.
        widget: WidgetRef,
        /// Its column.
        x: u32,
        /// Its width.
        width: u32,
    },
    /// A height outside 1–1000.
    Height {
        /// The widget.
        widget: WidgetRef,
        /// Its height.
        height: u32,
    },
    /// A required field left empty.
    Empty {
        /// The widget.
        widget: WidgetRef,
        /// The field, as the dashboard body names it (`metrics[2].namespace`).
        field: String,
    },
    /// More metrics than CloudWatch draws in one widget, or on one dashboard.
    TooManyMetrics {
        /// The widget, or none for the whole dashboard.
        widget: Option<WidgetRef>,
        /// How many there are.
        count: usize,
        /// How many are allowed.
        max: usize,
    },
    /// A period CloudWatch does not aggregate by.
    Period {
        /// The widget.
        widget: WidgetRef,
        /// The field.
        field: String,
        /// The period, in seconds.
        period: u32,
    },
    /// A statistic CloudWatch does not compute.
    Stat {
        /// The widget.
        widget: WidgetRef,
        /// The field.
        field: String,
        /// The statistic.
        stat: String,
    },
    /// A metric or expression id metric math cannot refer to.
    Id {
        /// The widget.
        widget: WidgetRef,
        /// The id.
        id: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A number JSON cannot hold (NaN or infinite).
    NotANumber {
        /// The widget.
        widget: WidgetRef,
        /// The field.
        field: String,
    },
    /// A gauge without the range it is drawn in.
    GaugeRange {
        /// The widget.
        widget: WidgetRef,
    },
    /// More alarms than an alarm status widget lists.
    TooManyAlarms {
        /// The widget.
        widget: WidgetRef,
        /// How many there are.
        count: usize,
    },
    /// A log widget whose query reads no log group.
    NoLogGroups {
        /// The widget.
        widget: WidgetRef,
    },
    /// A log group name CloudWatch Logs does not take.
    LogGroupName {
        /// The widget.
        widget: WidgetRef,
        /// The name.
        name: String,
    },
    /// A Logs Insights query that cannot run.
    Query {
        /// The widget.
        widget: WidgetRef,
        /// Why.
        error: QueryError,
    },
    /// A body larger than a template can carry.
    BodyTooLarge {
        /// Its size in bytes, without what deploy-time values add.
        bytes: usize,
    },
}

impl fmt::Display for DashboardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::{MAX_ALARMS_PER_WIDGET, MAX_BODY_BYTES, MAX_HEIGHT, MAX_WIDGETS, MAX_WIDTH};
        match self {
            DashboardError::Name { name, problem } => write!(f, "dashboard name `{name}`: {problem}"),
            DashboardError::TooManyWidgets { count } => {
                write!(f, "the dashboard has {count} widgets; CloudWatch allows at most {MAX_WIDGETS}")
            }
            DashboardError::Width { widget, width } => {
                write!(f, "{widget}: width {width} is not on the grid; a width is 1 to {MAX_WIDTH} columns")
            }
            DashboardError::PastRightEdge { widget, x, width } => write!(
                f,
                "{widget}: at column {x} with width {width} it reaches column {}, past the grid's {MAX_WIDTH}; \
                 x + width must be at most {MAX_WIDTH}",
                x.saturating_add(*width)
            ),
            DashboardError::Height { widget, height } => {
                write!(f, "{widget}: height {height} is not allowed; a height is 1 to {MAX_HEIGHT} rows")
            }
            DashboardError::Empty { widget, field } => write!(f, "{widget}: `{field}` is empty; it needs a value"),
            DashboardError::TooManyMetrics { widget: Some(widget), count, max } => {
                write!(f, "{widget}: {count} metrics; CloudWatch draws at most {max} in one widget")
            }
            DashboardError::TooManyMetrics { widget: None, count, max } => {
                write!(f, "the dashboard has {count} metrics across its widgets; CloudWatch allows at most {max}")
            }
            DashboardError::Period { widget, field, period } => write!(
                f,
                "{widget}: `{field}` is {period} seconds; a period is 1, 5, 10 or 30 (high-resolution metrics) \
                 or a multiple of 60"
            ),
            DashboardError::Stat { widget, field, stat } => write!(
                f,
                "{widget}: `{field}` is `{stat}`, which CloudWatch does not compute; use SampleCount, Average, Sum, \
                 Minimum, Maximum, IQM, a percentile such as p99 or p99.9, tm/wm/tc/ts with a percentage (tm90) \
                 or TM/WM/TC/TS/PR with bounds (TM(10%:90%), PR(:300))"
            ),
            DashboardError::Id { widget, id, problem } => write!(f, "{widget}: id `{id}` {problem}"),
            DashboardError::NotANumber { widget, field } => {
                write!(f, "{widget}: `{field}` is not a finite number")
            }
            DashboardError::GaugeRange { widget } => write!(
                f,
                "{widget}: a gauge is drawn between the left y-axis minimum and maximum; set both"
            ),
            DashboardError::TooManyAlarms { widget, count } => write!(
                f,
                "{widget}: {count} alarms; an alarm status widget lists 1 to {MAX_ALARMS_PER_WIDGET}"
            ),
            DashboardError::NoLogGroups { widget } => write!(
                f,
                "{widget}: the query reads no log group; add one with `log_group` or `log_group_name`"
            ),
            DashboardError::LogGroupName { widget, name } => write!(
                f,
                "{widget}: log group name `{name}` is not one CloudWatch Logs takes: 1 to 512 letters, digits \
                 and . - _ / #"
            ),
            DashboardError::Query { widget, error } => write!(f, "{widget}: {error}"),
            DashboardError::BodyTooLarge { bytes } => write!(
                f,
                "the dashboard body is {bytes} bytes; a template carries at most {MAX_BODY_BYTES}: split the \
                 widgets across dashboards"
            ),
        }
    }
}

impl std::error::Error for DashboardError {}
