//! Columns and their Hive types, as Glue stores them and Athena reads them.

use std::fmt;

use super::TableError;

/// The longest column name Glue accepts (`Column.Name`, 1–255 characters,
/// AWS Glue API reference, "Column structure").
const MAX_NAME: usize = 255;

/// A column's type, written as the exact Hive type text Glue stores
/// (`struct<arn:string,accountid:string>`, no spaces), from the types
/// Athena's DDL accepts (Athena User Guide, "Data types in Amazon Athena").
///
/// ```
/// use cfn_constructs::ColumnType;
/// let resources = ColumnType::array(ColumnType::structure([
///     ("arn", ColumnType::String),
///     ("tags", ColumnType::map(ColumnType::String, ColumnType::String)),
/// ]));
/// assert_eq!(resources.to_string(), "array<struct<arn:string,tags:map<string,string>>>");
/// assert_eq!(ColumnType::Decimal { precision: 10, scale: 2 }.to_string(), "decimal(10,2)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// `boolean`.
    Boolean,
    /// `tinyint`: 8-bit signed integer.
    Tinyint,
    /// `smallint`: 16-bit signed integer.
    Smallint,
    /// `int`: 32-bit signed integer.
    Int,
    /// `bigint`: 64-bit signed integer.
    Bigint,
    /// `float`: 32-bit floating point.
    Float,
    /// `double`: 64-bit floating point.
    Double,
    /// `decimal(precision,scale)`: precision 1–38, scale at most the precision.
    Decimal {
        /// Total digits, 1 to 38.
        precision: u8,
        /// Digits after the point, at most `precision`.
        scale: u8,
    },
    /// `string`.
    String,
    /// `binary`.
    Binary,
    /// `date`.
    Date,
    /// `timestamp`.
    Timestamp,
    /// `array<item>`.
    Array(Box<ColumnType>),
    /// `map<key,value>`; the key a primitive type.
    Map(Box<ColumnType>, Box<ColumnType>),
    /// `struct<name:type,...>`: fields lower-case and unique, as for columns.
    Struct(Vec<(String, ColumnType)>),
}

impl ColumnType {
    /// `array<item>`.
    pub fn array(item: ColumnType) -> ColumnType {
        ColumnType::Array(Box::new(item))
    }

    /// `map<key,value>`.
    pub fn map(key: ColumnType, value: ColumnType) -> ColumnType {
        ColumnType::Map(Box::new(key), Box::new(value))
    }

    /// `struct<...>` of named fields, in order.
    pub fn structure<N: Into<String>>(fields: impl IntoIterator<Item = (N, ColumnType)>) -> ColumnType {
        ColumnType::Struct(fields.into_iter().map(|(n, t)| (n.into(), t)).collect())
    }

    /// Whether the type is primitive: neither an array, a map nor a struct.
    pub fn is_primitive(&self) -> bool {
        !matches!(self, ColumnType::Array(_) | ColumnType::Map(..) | ColumnType::Struct(_))
    }

    /// The problems of this type, in column `column`.
    pub(super) fn check(&self, column: &str, errors: &mut Vec<TableError>) {
        match self {
            // Athena: "precision is the total number of digits ... maximum 38".
            ColumnType::Decimal { precision, scale }
                if *precision == 0 || *precision > 38 || scale > precision =>
            {
                errors.push(TableError::Decimal {
                    column: column.to_string(),
                    precision: *precision,
                    scale: *scale,
                });
            }
            ColumnType::Array(item) => item.check(column, errors),
            ColumnType::Map(key, value) => {
                if !key.is_primitive() {
                    errors.push(TableError::MapKey { column: column.to_string(), key: key.to_string() });
                }
                key.check(column, errors);
                value.check(column, errors);
            }
            ColumnType::Struct(fields) => {
                if fields.is_empty() {
                    errors.push(TableError::EmptyStruct { column: column.to_string() });
                }
                let mut seen: Vec<&str> = Vec::new();
                for (name, ty) in fields {
                    let path = format!("{column}.{name}");
                    check_name(&path, name, errors);
                    if seen.contains(&name.as_str()) {
                        errors.push(TableError::DuplicateColumn { column: path.clone() });
                    }
                    seen.push(name);
                    ty.check(&path, errors);
                }
            }
            _ => {}
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Boolean => f.write_str("boolean"),
            ColumnType::Tinyint => f.write_str("tinyint"),
            ColumnType::Smallint => f.write_str("smallint"),
            ColumnType::Int => f.write_str("int"),
            ColumnType::Bigint => f.write_str("bigint"),
            ColumnType::Float => f.write_str("float"),
            ColumnType::Double => f.write_str("double"),
            ColumnType::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            ColumnType::String => f.write_str("string"),
            ColumnType::Binary => f.write_str("binary"),
            ColumnType::Date => f.write_str("date"),
            ColumnType::Timestamp => f.write_str("timestamp"),
            ColumnType::Array(item) => write!(f, "array<{item}>"),
            ColumnType::Map(key, value) => write!(f, "map<{key},{value}>"),
            ColumnType::Struct(fields) => {
                f.write_str("struct<")?;
                for (i, (name, ty)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{name}:{ty}")?;
                }
                f.write_str(">")
            }
        }
    }
}

/// A column of a table: a name and a type.
///
/// ```
/// use cfn_constructs::{Column, ColumnType};
/// let size = Column::new("size", ColumnType::Bigint).comment("Object size in bytes");
/// assert_eq!(size.name(), "size");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    name: String,
    column_type: ColumnType,
    comment: Option<String>,
}

impl Column {
    /// A column `name` of type `column_type`. The name must be lower-case
    /// letters, digits and underscores: Glue stores names lower-cased, so
    /// a camelCase name would not be the one a query or a SerDe mapping
    /// sees (checked when the table is built).
    pub fn new(name: impl Into<String>, column_type: ColumnType) -> Column {
        Column { name: name.into(), column_type, comment: None }
    }

    /// Describes the column.
    pub fn comment(mut self, comment: impl Into<String>) -> Column {
        self.comment = Some(comment.into());
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The type.
    pub fn column_type(&self) -> &ColumnType {
        &self.column_type
    }

    pub(super) fn to_glue(&self) -> cfn_template::resources::glue::table::Column {
        cfn_template::resources::glue::table::Column {
            r#type: Some(self.column_type.to_string().into()),
            comment: self.comment.as_deref().map(Into::into),
            ..cfn_template::resources::glue::table::Column::new(self.name.as_str())
        }
    }
}

/// Checks a column or struct field name: Athena's names are lower-case
/// letters, digits and underscores (Athena User Guide, "Name databases,
/// tables, and columns"), at most 255 characters (Glue's `Column.Name`).
pub(super) fn check_name(path: &str, name: &str, errors: &mut Vec<TableError>) {
    let lower = name.to_lowercase();
    if name.is_empty() || name.len() > MAX_NAME {
        errors.push(TableError::ColumnName { column: path.to_string() });
    } else if lower != name && lower.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        errors.push(TableError::NotLowerCase { column: path.to_string(), lower: path.to_lowercase() });
    } else if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        errors.push(TableError::ColumnName { column: path.to_string() });
    }
}
