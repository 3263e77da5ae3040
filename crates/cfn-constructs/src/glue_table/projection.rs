//! Partition projection: how Athena computes a table's partitions from its
//! properties instead of reading them from the catalog. Property names and
//! values as the Athena User Guide documents them ("Supported types for
//! partition projection").

use std::fmt;

use cfn_template::value::Map;
use cfn_template::Expr;

use super::TableError;

/// The step of a date projection (`projection.<key>.interval.unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DateUnit {
    /// `MILLISECONDS`.
    Milliseconds,
    /// `SECONDS`.
    Seconds,
    /// `MINUTES`.
    Minutes,
    /// `HOURS`.
    Hours,
    /// `DAYS`.
    Days,
    /// `WEEKS`.
    Weeks,
    /// `MONTHS`.
    Months,
    /// `YEARS`.
    Years,
}

impl fmt::Display for DateUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateUnit::Milliseconds => "MILLISECONDS",
            DateUnit::Seconds => "SECONDS",
            DateUnit::Minutes => "MINUTES",
            DateUnit::Hours => "HOURS",
            DateUnit::Days => "DAYS",
            DateUnit::Weeks => "WEEKS",
            DateUnit::Months => "MONTHS",
            DateUnit::Years => "YEARS",
        })
    }
}

/// One end of a date projection's range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateBound {
    /// A date written in the projection's format (`2021/01/01`).
    Date(String),
    /// The time of the query (`NOW`).
    Now,
    /// The time of the query moved by a number of units (`NOW-3YEARS`).
    NowOffset(i64, DateUnit),
}

impl DateBound {
    /// A date written in the projection's format.
    pub fn date(text: impl Into<String>) -> DateBound {
        DateBound::Date(text.into())
    }
}

impl fmt::Display for DateBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateBound::Date(d) => f.write_str(d),
            DateBound::Now => f.write_str("NOW"),
            DateBound::NowOffset(n, unit) => write!(f, "NOW{n:+}{unit}"),
        }
    }
}

/// A date projection: partition values are dates in `format` from `start`
/// to `end`, one every `interval` `unit`s.
///
/// ```
/// use cfn_constructs::{DateBound, DateProjection, DateUnit};
/// let days = DateProjection::new("yyyy/MM/dd", DateBound::date("2021/01/01"), DateBound::Now, DateUnit::Days);
/// assert_eq!(days.range(), "2021/01/01,NOW");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateProjection {
    format: String,
    start: DateBound,
    end: DateBound,
    interval: u32,
    unit: DateUnit,
}

impl DateProjection {
    /// Dates written as `format` (a Java `DateTimeFormatter` pattern of
    /// the letters `y M d H m s S`, other characters and `'quoted'` text
    /// literal), from `start` to `end` inclusive, one per `unit`.
    pub fn new(
        format: impl Into<String>,
        start: DateBound,
        end: DateBound,
        unit: DateUnit,
    ) -> DateProjection {
        DateProjection { format: format.into(), start, end, interval: 1, unit }
    }

    /// One value every `interval` units rather than every one.
    pub fn every(mut self, interval: u32) -> DateProjection {
        self.interval = interval;
        self
    }

    /// `projection.<key>.range`: the two bounds, comma-separated.
    pub fn range(&self) -> String {
        format!("{},{}", self.start, self.end)
    }

    fn check(&self, key: &str, errors: &mut Vec<TableError>) {
        let pattern = match parse_format(&self.format) {
            Ok(p) => p,
            Err(reason) => {
                errors.push(TableError::DateFormat { key: key.into(), format: self.format.clone(), reason });
                return;
            }
        };
        let mut bound = |b: &DateBound| match b {
            DateBound::Date(text) => match read_date(&pattern, text) {
                Ok(fields) => Some(fields),
                Err(reason) => {
                    errors.push(TableError::DateBound {
                        key: key.into(),
                        bound: text.clone(),
                        format: self.format.clone(),
                        reason,
                    });
                    None
                }
            },
            DateBound::Now | DateBound::NowOffset(..) => None,
        };
        if let (Some(start), Some(end)) = (bound(&self.start), bound(&self.end)) {
            if start > end {
                errors.push(TableError::DateRange { key: key.into(), range: self.range() });
            }
        }
        if self.interval == 0 {
            errors.push(TableError::Interval { key: key.into() });
        }
        if let Some(finest) = pattern.iter().filter_map(|p| p.unit()).min() {
            if self.unit < finest {
                errors.push(TableError::DateUnit { key: key.into(), unit: self.unit, finest });
            }
        }
    }
}

/// How Athena finds a partition key's values.
///
/// ```
/// use cfn_constructs::Projection;
/// let regions = Projection::enumeration(["us-east-1", "eu-west-1"]);
/// assert_eq!(regions.type_name(), "enum");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Projection {
    /// `enum`: one of these values. A value may be an intrinsic
    /// (`${AWS::Region}`), resolved when the stack deploys.
    Enum(Vec<Expr>),
    /// `integer`: the integers from `min` to `max`, every `interval`
    /// (default 1), left-padded with zeros to `digits` (default none).
    Integer {
        /// The first value.
        min: i64,
        /// The last value, inclusive.
        max: i64,
        /// The step, if not 1.
        interval: Option<u64>,
        /// Digits each value is zero-padded to, if any.
        digits: Option<u8>,
    },
    /// `date`: dates in a range.
    Date(DateProjection),
    /// `injected`: the value a query's `WHERE` clause gives; a query that
    /// gives none fails.
    Injected,
}

impl Projection {
    /// An `enum` projection of these values.
    pub fn enumeration<E: Into<Expr>>(values: impl IntoIterator<Item = E>) -> Projection {
        Projection::Enum(values.into_iter().map(Into::into).collect())
    }

    /// An `integer` projection from `min` to `max`, inclusive.
    pub fn integer(min: i64, max: i64) -> Projection {
        Projection::Integer { min, max, interval: None, digits: None }
    }

    /// The value of `projection.<key>.type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Projection::Enum(_) => "enum",
            Projection::Integer { .. } => "integer",
            Projection::Date(_) => "date",
            Projection::Injected => "injected",
        }
    }

    /// Writes the projection's table properties for `key`.
    pub(super) fn parameters(&self, key: &str, p: &mut Map<Expr>) {
        p.insert(format!("projection.{key}.type"), self.type_name().into());
        match self {
            Projection::Enum(values) => {
                let mut parts = Vec::new();
                for v in values {
                    if !parts.is_empty() {
                        parts.push(Expr::from(","));
                    }
                    parts.push(v.clone());
                }
                p.insert(format!("projection.{key}.values"), Expr::concat(parts));
            }
            Projection::Integer { min, max, interval, digits } => {
                p.insert(format!("projection.{key}.range"), format!("{min},{max}").into());
                if let Some(i) = interval {
                    p.insert(format!("projection.{key}.interval"), i.to_string().into());
                }
                if let Some(d) = digits {
                    p.insert(format!("projection.{key}.digits"), d.to_string().into());
                }
            }
            Projection::Date(date) => {
                p.insert(format!("projection.{key}.format"), date.format.as_str().into());
                p.insert(format!("projection.{key}.range"), date.range().into());
                p.insert(format!("projection.{key}.interval"), date.interval.to_string().into());
                p.insert(format!("projection.{key}.interval.unit"), date.unit.to_string().into());
            }
            Projection::Injected => {}
        }
    }

    pub(super) fn check(&self, key: &str, errors: &mut Vec<TableError>) {
        match self {
            Projection::Enum(values) => {
                if values.is_empty() {
                    errors.push(TableError::EmptyEnum { key: key.into() });
                }
                // "A comma-separated list ... Any white space is considered
                // part of an enum value": a comma would split a value in two.
                for v in values {
                    if let Some(text) = v.as_literal() {
                        if text.is_empty() || text.contains(',') {
                            errors.push(TableError::EnumValue { key: key.into(), value: text.into() });
                        }
                    }
                }
            }
            Projection::Integer { min, max, interval, digits } => {
                if min > max {
                    errors.push(TableError::IntegerRange { key: key.into(), min: *min, max: *max });
                }
                if *interval == Some(0) || *digits == Some(0) {
                    errors.push(TableError::Interval { key: key.into() });
                }
            }
            Projection::Date(date) => date.check(key, errors),
            Projection::Injected => {}
        }
    }
}

/// A piece of a date format: a run of one pattern letter, or literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Field(char, usize),
    Literal(String),
}

impl Piece {
    /// The unit of a field, for comparing with the interval's unit.
    fn unit(&self) -> Option<DateUnit> {
        match self {
            Piece::Field('y', _) => Some(DateUnit::Years),
            Piece::Field('M', _) => Some(DateUnit::Months),
            Piece::Field('d', _) => Some(DateUnit::Days),
            Piece::Field('H', _) => Some(DateUnit::Hours),
            Piece::Field('m', _) => Some(DateUnit::Minutes),
            Piece::Field('s', _) => Some(DateUnit::Seconds),
            Piece::Field('S', _) => Some(DateUnit::Milliseconds),
            _ => None,
        }
    }
}

/// The fields a date format is read in, most significant first.
const FIELD_ORDER: [char; 7] = ['y', 'M', 'd', 'H', 'm', 's', 'S'];

/// Splits a `DateTimeFormatter` pattern into fields and literals, keeping
/// to the letters whose values this check can read.
fn parse_format(format: &str) -> Result<Vec<Piece>, String> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut text = String::new();
            loop {
                match chars.next() {
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                        text.push('\'');
                    }
                    Some('\'') => break,
                    Some(ch) => text.push(ch),
                    None => return Err("a quoted text is not closed".into()),
                }
            }
            if text.is_empty() {
                text.push('\'');
            }
            pieces.push(Piece::Literal(text));
        } else if c.is_ascii_alphabetic() {
            if !FIELD_ORDER.contains(&c) {
                return Err(format!(
                    "`{c}` is not one of the pattern letters y M d H m s S; quote literal letters ('T')"
                ));
            }
            let mut n = 1;
            while chars.peek() == Some(&c) {
                chars.next();
                n += 1;
            }
            if pieces.iter().any(|p| matches!(p, Piece::Field(f, _) if *f == c)) {
                return Err(format!("`{c}` appears twice"));
            }
            pieces.push(Piece::Field(c, n));
        } else {
            match pieces.last_mut() {
                Some(Piece::Literal(text)) => text.push(c),
                _ => pieces.push(Piece::Literal(c.to_string())),
            }
        }
    }
    if !pieces.iter().any(|p| matches!(p, Piece::Field('y', _))) {
        return Err("it has no year (`yyyy`)".into());
    }
    Ok(pieces)
}

/// Reads a date written in `pattern` into its fields, most significant
/// first (absent fields as their lowest value), checking each field's range.
fn read_date(pattern: &[Piece], text: &str) -> Result<[u32; 7], String> {
    let mut fields = [0, 1, 1, 0, 0, 0, 0];
    let mut rest = text;
    for piece in pattern {
        match piece {
            Piece::Literal(lit) => {
                rest =
                    rest.strip_prefix(lit.as_str()).ok_or_else(|| format!("`{lit}` expected at `{rest}`"))?;
            }
            Piece::Field(letter, width) => {
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                // One letter reads one or more digits; more letters exactly that many.
                let take = if *width == 1 { digits.clamp(1, 2) } else { *width };
                if digits < take {
                    return Err(format!("`{}` needs {take} digits", letter.to_string().repeat(*width)));
                }
                let (value, tail) = rest.split_at(take);
                rest = tail;
                let value: u32 = value.parse().map_err(|_| format!("`{value}` is not a number"))?;
                let (index, range) = match letter {
                    'y' => (0, 0..=9999),
                    'M' => (1, 1..=12),
                    'd' => (2, 1..=31),
                    'H' => (3, 0..=23),
                    'm' => (4, 0..=59),
                    's' => (5, 0..=59),
                    _ => (6, 0..=999),
                };
                if !range.contains(&value) {
                    return Err(format!("{value} is out of range for `{letter}`"));
                }
                fields[index] = value;
            }
        }
    }
    if rest.is_empty() {
        Ok(fields)
    } else {
        Err(format!("`{rest}` is left over"))
    }
}
