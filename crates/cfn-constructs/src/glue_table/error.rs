//! What can be wrong with a table's definition, said so that the person
//! who wrote it can fix it.

use std::error::Error;
use std::fmt;

use super::DateUnit;

/// A problem with a table's definition, found before anything is added to
/// the template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableError {
    /// The table has no columns.
    NoColumns,
    /// The table's name is not lower-case letters, digits and underscores.
    TableName {
        /// The name as given.
        name: String,
    },
    /// A column or struct field name is empty, too long, or has characters
    /// other than lower-case letters, digits and underscores.
    ColumnName {
        /// The column (`column.field` for a struct field).
        column: String,
    },
    /// A column or struct field name has upper-case letters.
    NotLowerCase {
        /// The column as given.
        column: String,
        /// The name Glue would store.
        lower: String,
    },
    /// Two columns (partition keys included) or two fields of a struct share a name.
    DuplicateColumn {
        /// The name.
        column: String,
    },
    /// A `decimal` type's precision is not 1–38 or its scale exceeds it.
    Decimal {
        /// The column.
        column: String,
        /// The precision given.
        precision: u8,
        /// The scale given.
        scale: u8,
    },
    /// A `map` key is not a primitive type.
    MapKey {
        /// The column.
        column: String,
        /// The key type.
        key: String,
    },
    /// A `struct` has no fields.
    EmptyStruct {
        /// The column.
        column: String,
    },
    /// A partition key's type is an array, map or struct.
    PartitionType {
        /// The key.
        key: String,
        /// Its type.
        column_type: String,
    },
    /// A JSON SerDe mapping names no column of the table.
    MappingColumn {
        /// The column the mapping names.
        column: String,
        /// The JSON key.
        key: String,
    },
    /// A JSON SerDe mapping has an empty key.
    MappingKey {
        /// The column.
        column: String,
    },
    /// An enum projection has no values.
    EmptyEnum {
        /// The partition key.
        key: String,
    },
    /// An enum value is empty or holds a comma, which separates values.
    EnumValue {
        /// The partition key.
        key: String,
        /// The value.
        value: String,
    },
    /// An integer projection's minimum is above its maximum.
    IntegerRange {
        /// The partition key.
        key: String,
        /// The minimum.
        min: i64,
        /// The maximum.
        max: i64,
    },
    /// A projection's interval or digits is zero.
    Interval {
        /// The partition key.
        key: String,
    },
    /// A date projection's format cannot be read.
    DateFormat {
        /// The partition key.
        key: String,
        /// The format.
        format: String,
        /// What is wrong.
        reason: String,
    },
    /// A date bound is not a date in the projection's format.
    DateBound {
        /// The partition key.
        key: String,
        /// The bound.
        bound: String,
        /// The format.
        format: String,
        /// What is wrong.
        reason: String,
    },
    /// A date range starts after it ends.
    DateRange {
        /// The partition key.
        key: String,
        /// The range.
        range: String,
    },
    /// A date projection steps by a unit finer than its format writes.
    DateUnit {
        /// The partition key.
        key: String,
        /// The step's unit.
        unit: DateUnit,
        /// The finest unit the format writes.
        finest: DateUnit,
    },
    /// A partition key has no placeholder in the location template.
    TemplateMissesKey {
        /// The partition key.
        key: String,
    },
    /// A placeholder of the location template is no partition key.
    TemplatePlaceholder {
        /// The placeholder's name.
        placeholder: String,
    },
    /// A `${` of the location template is not closed.
    TemplateUnclosed,
    /// The location template is an intrinsic whose text cannot be read
    /// for its placeholders.
    TemplateUnreadable,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::NoColumns => f.write_str("the table has no columns; Athena reads none without one"),
            TableError::TableName { name } => write!(
                f,
                "table name `{name}`: Athena's table names are lower-case letters, digits and underscores"
            ),
            TableError::ColumnName { column } => write!(
                f,
                "column `{column}`: a name is 1 to 255 lower-case letters, digits and underscores"
            ),
            // A struct field is read by the SerDe through its column: no mapping reaches it.
            TableError::NotLowerCase { column, lower } if column.contains('.') => write!(
                f,
                "column `{column}`: Glue stores struct field names lower-cased, as `{lower}`, so the name written \
                 here is not the one queries see; name the field in lower case"
            ),
            TableError::NotLowerCase { column, lower } => write!(
                f,
                "column `{column}`: Glue stores column names lower-cased, as `{lower}`, so the name written \
                 here is not the one queries and SerDe mappings see, and a JSON key read through it can come \
                 back NULL without an error; name the column `{lower}` (or in snake_case) and, for JSON, map \
                 the key to it with `JsonSerde::mapping(\"{lower}\", \"{column}\")`"
            ),
            TableError::DuplicateColumn { column } => write!(
                f,
                "column `{column}` is defined twice (columns and partition keys share one namespace)"
            ),
            TableError::Decimal { column, precision, scale } => write!(
                f,
                "column `{column}`: decimal({precision},{scale}) needs a precision of 1 to 38 and a scale no \
                 greater than the precision"
            ),
            TableError::MapKey { column, key } => {
                write!(f, "column `{column}`: a map's key must be a primitive type, not `{key}`")
            }
            TableError::EmptyStruct { column } => write!(f, "column `{column}`: a struct needs at least one field"),
            TableError::PartitionType { key, column_type } => write!(
                f,
                "partition key `{key}`: a partition key must be a primitive type, not `{column_type}`"
            ),
            TableError::MappingColumn { column, key } => write!(
                f,
                "JSON mapping of `{key}` to `{column}`: the table has no column `{column}`; a mapping names the \
                 column as Glue stores it, lower-case"
            ),
            TableError::MappingKey { column } => write!(f, "JSON mapping to `{column}`: the JSON key is empty"),
            TableError::EmptyEnum { key } => write!(
                f,
                "partition key `{key}`: an enum projection needs at least one value, or every query finds nothing"
            ),
            TableError::EnumValue { key, value } => write!(
                f,
                "partition key `{key}`: enum value `{value}` is empty or holds a comma, which Athena reads as \
                 the separator between values"
            ),
            TableError::IntegerRange { key, min, max } => write!(
                f,
                "partition key `{key}`: the integer range {min},{max} starts after it ends"
            ),
            TableError::Interval { key } => {
                write!(f, "partition key `{key}`: a projection's interval and digits must be positive")
            }
            TableError::DateFormat { key, format, reason } => {
                write!(f, "partition key `{key}`: date format `{format}` cannot be read: {reason}")
            }
            TableError::DateBound { key, bound, format, reason } => write!(
                f,
                "partition key `{key}`: range bound `{bound}` is not a date in the format `{format}` ({reason}); \
                 write it in that format, or as NOW, NOW-3YEARS, NOW+1DAYS"
            ),
            TableError::DateRange { key, range } => {
                write!(f, "partition key `{key}`: the date range {range} starts after it ends")
            }
            TableError::DateUnit { key, unit, finest } => write!(
                f,
                "partition key `{key}`: the interval unit {unit} is finer than the format's finest field \
                 ({finest}), so Athena would project the same partition over and over; step by {finest} or \
                 coarser"
            ),
            TableError::TemplateMissesKey { key } => write!(
                f,
                "partition key `{key}` has no placeholder `${{{key}}}` in storage.location.template; Athena \
                 needs one for every partition key"
            ),
            TableError::TemplatePlaceholder { placeholder } => {
                write!(f, "storage.location.template has a placeholder `${{{placeholder}}}` that is no partition key")?;
                if placeholder.contains("::") || placeholder.contains('.') {
                    // `${AWS::Region}` in text meant for Athena reaches Athena, not CloudFormation.
                    f.write_str(
                        "; a `${...}` in the template's text is Athena's: give a CloudFormation value as an \
                         expression (`Expr::pseudo`, a reference) in `Expr::concat` with the text",
                    )?;
                }
                Ok(())
            }
            TableError::TemplateUnclosed => f.write_str("storage.location.template has a `${` that is not closed"),
            TableError::TemplateUnreadable => f.write_str(
                "storage.location.template is an intrinsic whose text cannot be read for its placeholders; build \
                 it with `LocationTemplate::in_bucket` or `Expr::concat` of literal text and references",
            ),
        }
    }
}

impl Error for TableError {}

/// Every problem of a table's definition, in the order they were found.
///
/// ```
/// use cfn_constructs::{Column, ColumnType, GlueDatabase, ProjectedTable, TableLocation, Format};
/// use cfn_template::Template;
/// let mut t = Template::new();
/// let db = GlueDatabase::new("Logs", "logs".into()).build(&mut t);
/// let err = ProjectedTable::new("Events", "events".into(), &db, TableLocation::uri("s3://logs/events/".into()), Format::Parquet)
///     .column(Column::new("requestId", ColumnType::String))
///     .build(&mut t)
///     .unwrap_err();
/// assert!(err.to_string().starts_with("table `events`: column `requestId`: Glue stores column names lower-cased"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableErrors {
    pub(super) table: String,
    pub(super) errors: Vec<TableError>,
}

impl TableErrors {
    /// The problems.
    pub fn errors(&self) -> &[TableError] {
        &self.errors
    }
}

impl fmt::Display for TableErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "table `{}`: {e}", self.table)?;
        }
        Ok(())
    }
}

impl Error for TableErrors {}
