//! How a table's files are read: the input format, SerDe and its
//! properties, as Athena documents each choice.

use cfn_template::value::Map;
use cfn_template::Expr;

use super::TableError;

/// Text files read line by line (Hadoop's input format for text, gzip included).
const TEXT_INPUT: &str = "org.apache.hadoop.mapred.TextInputFormat";
/// The output format Athena's DDL gives text and JSON tables.
const TEXT_OUTPUT: &str = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
const PARQUET_SERDE: &str = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

/// The OpenX JSON SerDe's options (Athena User Guide, "OpenX JSON SerDe").
///
/// ```
/// use cfn_constructs::*;
/// use cfn_template::Template;
///
/// // Bedrock writes a plain-text permission check beside its JSON records.
/// let serde = JsonSerde::new().ignore_malformed_json(true).mapping("input_tokens", "inputTokenCount");
/// let mut t = Template::new();
/// let db = GlueDatabase::new("Logs", "logs".into()).build(&mut t);
/// ProjectedTable::new("Calls", "calls".into(), &db, TableLocation::uri("s3://logs/calls/".into()), Format::Json(serde))
///     .column(Column::new("input_tokens", ColumnType::Bigint))
///     .build(&mut t)
///     .unwrap();
/// let v = t.synthesize().unwrap();
/// let serde_info = &v["Resources"]["CallsTable"]["Properties"]["TableInput"]["StorageDescriptor"]["SerdeInfo"];
/// assert_eq!(serde_info["Parameters"]["mapping.input_tokens"], "inputTokenCount");
/// assert_eq!(serde_info["Parameters"]["ignore.malformed.json"], "true");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSerde {
    ignore_malformed_json: bool,
    case_insensitive: bool,
    mappings: Vec<(String, String)>,
}

impl Default for JsonSerde {
    fn default() -> Self {
        JsonSerde::new()
    }
}

impl JsonSerde {
    /// The SerDe with Athena's defaults written out: a malformed line fails
    /// the query (`ignore.malformed.json` false), keys match columns
    /// whatever their case (`case.insensitive` true), no mappings.
    pub fn new() -> JsonSerde {
        JsonSerde { ignore_malformed_json: false, case_insensitive: true, mappings: Vec::new() }
    }

    /// Skips lines that are not JSON (`ignore.malformed.json`) rather than
    /// failing the query on them.
    pub fn ignore_malformed_json(mut self, ignore: bool) -> JsonSerde {
        self.ignore_malformed_json = ignore;
        self
    }

    /// Whether JSON keys match columns whatever their case
    /// (`case.insensitive`). Turned off, every key that is not all
    /// lower-case reads NULL unless a [`mapping`](Self::mapping) names it.
    pub fn case_insensitive(mut self, insensitive: bool) -> JsonSerde {
        self.case_insensitive = insensitive;
        self
    }

    /// Reads the JSON key `key` into `column` (`mapping.<column>`): the way
    /// to a key whose name is not a valid column name (camelCase, dots) or
    /// collides with another once lower-cased.
    pub fn mapping(mut self, column: impl Into<String>, key: impl Into<String>) -> JsonSerde {
        self.mappings.push((column.into(), key.into()));
        self
    }

    fn parameters(&self) -> Map<Expr> {
        let mut p = Map::new();
        p.insert("ignore.malformed.json".into(), bool_text(self.ignore_malformed_json));
        p.insert("case.insensitive".into(), bool_text(self.case_insensitive));
        for (column, key) in &self.mappings {
            p.insert(format!("mapping.{column}"), key.as_str().into());
        }
        p
    }
}

fn bool_text(b: bool) -> Expr {
    if b { "true" } else { "false" }.into()
}

/// The format of a table's files.
///
/// ```
/// use cfn_constructs::{Format, JsonSerde};
/// assert_eq!(Format::Parquet.classification(), "parquet");
/// assert_eq!(Format::Json(JsonSerde::new()).classification(), "json");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line, read by the OpenX JSON SerDe
    /// (`org.openx.data.jsonserde.JsonSerDe`), gzip or plain.
    Json(JsonSerde),
    /// Parquet files (`ParquetHiveSerDe` with the Parquet input and output
    /// formats, as Athena's `STORED AS PARQUET` writes them).
    Parquet,
    /// Parquet files listed in symlink manifests, as S3 Inventory delivers
    /// them under `hive/dt=.../symlink.txt` (S3 User Guide, "Querying
    /// Amazon S3 Inventory with Amazon Athena").
    SymlinkedParquet,
    /// CloudTrail log files, read by CloudTrail's input format and the Hive
    /// JSON SerDe (Athena User Guide, "Create a table for CloudTrail logs in
    /// Athena using manual partitioning").
    CloudTrail,
}

impl Format {
    /// The table's `classification` parameter.
    pub fn classification(&self) -> &'static str {
        match self {
            Format::Json(_) => "json",
            Format::Parquet | Format::SymlinkedParquet => "parquet",
            Format::CloudTrail => "cloudtrail",
        }
    }

    pub(super) fn input_format(&self) -> &'static str {
        match self {
            Format::Json(_) => TEXT_INPUT,
            Format::Parquet => "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            Format::SymlinkedParquet => "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat",
            Format::CloudTrail => "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
        }
    }

    pub(super) fn output_format(&self) -> &'static str {
        match self {
            Format::Parquet => "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            Format::Json(_) | Format::SymlinkedParquet | Format::CloudTrail => TEXT_OUTPUT,
        }
    }

    pub(super) fn serde(&self) -> &'static str {
        match self {
            Format::Json(_) => "org.openx.data.jsonserde.JsonSerDe",
            Format::Parquet | Format::SymlinkedParquet => PARQUET_SERDE,
            Format::CloudTrail => "org.apache.hive.hcatalog.data.JsonSerDe",
        }
    }

    /// The SerDe's properties, if it takes any.
    pub(super) fn serde_parameters(&self) -> Option<Map<Expr>> {
        match self {
            Format::Json(json) => Some(json.parameters()),
            _ => None,
        }
    }

    /// A mapping must name a column of the table, as Glue stores it.
    pub(super) fn check(&self, columns: &[&str], errors: &mut Vec<TableError>) {
        let Format::Json(json) = self else { return };
        for (column, key) in &json.mappings {
            if !columns.contains(&column.as_str()) {
                errors.push(TableError::MappingColumn { column: column.clone(), key: key.clone() });
            }
            if key.is_empty() {
                errors.push(TableError::MappingKey { column: column.clone() });
            }
        }
    }
}
