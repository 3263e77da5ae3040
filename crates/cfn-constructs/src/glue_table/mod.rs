//! A Glue database, and external tables over S3 whose partitions Athena
//! projects from the table's properties: no crawler, no `MSCK REPAIR
//! TABLE`, no partition to add as data arrives.

mod column;
mod error;
mod format;
mod projection;

use std::error::Error;
use std::fmt;

use cfn_template::resources::glue::database::DatabaseInput;
use cfn_template::resources::glue::table::{SerdeInfo, StorageDescriptor, TableInput};
use cfn_template::resources::glue::{Database, Table};
use cfn_template::value::{Map, PropertyValue};
use cfn_template::{Attributes, Expr, Handle, Pseudo};

use crate::{regional_arn, Grantee, SecureBucket, Stack};

pub use column::{Column, ColumnType};
pub use error::{TableError, TableErrors};
pub use format::{Format, JsonSerde};
pub use projection::{DateBound, DateProjection, DateUnit, Projection};

/// What a principal needs to read a table's definition: Athena asks the
/// Glue Data Catalog for the database, the table and, for tables without
/// projection, its partitions (Athena User Guide, "Fine-grained access to
/// databases and tables in the AWS Glue Data Catalog").
pub const GLUE_READ: [&str; 7] = [
    "glue:BatchGetPartition",
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:GetTable",
    "glue:GetTables",
];

/// A grant that only an identity of the template can take: Athena
/// workgroups and Glue tables have no resource policy in CloudFormation,
/// so a principal named by ARN must be granted in its own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoResourcePolicy;

impl fmt::Display for NoResourcePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "Athena workgroups and Glue tables hold no resource policy: grant a role, user, group or managed \
             policy of this template, and grant a principal of another account in that account's identity \
             policies",
        )
    }
}

impl Error for NoResourcePolicy {}

/// A Glue database, as added to a template.
#[derive(Debug, Clone)]
pub struct GlueDatabase {
    /// The database.
    pub database: Handle<Database>,
}

/// Builds a [`GlueDatabase`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the database to a template"]
pub struct GlueDatabaseBuilder {
    id: String,
    name: Expr,
    description: Option<String>,
}

impl GlueDatabase {
    /// A database `<id>Database` named `name`, in this account's Data Catalog.
    ///
    /// ```
    /// use cfn_constructs::GlueDatabase;
    /// use cfn_template::Template;
    /// let mut t = Template::new();
    /// let db = GlueDatabase::new("Audit", "audit".into()).description("Audit trails").build(&mut t);
    /// let v = t.synthesize().unwrap();
    /// assert_eq!(v["Resources"]["AuditDatabase"]["Properties"]["DatabaseInput"]["Name"], "audit");
    /// assert_eq!(db.database.logical_id(), "AuditDatabase");
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(id: impl Into<String>, name: Expr) -> GlueDatabaseBuilder {
        GlueDatabaseBuilder { id: id.into(), name, description: None }
    }

    /// The database's name (its `Ref`).
    pub fn name(&self) -> Expr {
        self.database.r#ref()
    }

    /// The database's ARN, as Glue's IAM resources name it.
    pub fn arn(&self) -> Expr {
        regional_arn("glue", Expr::concat([Expr::from("database/"), self.name()]))
    }
}

impl GlueDatabaseBuilder {
    /// Describes the database.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Adds the database.
    pub fn build(self, s: &mut impl Stack) -> GlueDatabase {
        let input = DatabaseInput {
            name: Some(self.name),
            description: self.description.map(Into::into),
            ..DatabaseInput::default()
        };
        let database = s.add_resource(
            &format!("{}Database", self.id),
            Database::new(Expr::pseudo(Pseudo::AccountId), input),
            Attributes::new(),
        );
        GlueDatabase { database }
    }
}

/// `s3://<bucket>/<path>`.
fn in_bucket(bucket: &SecureBucket, path: &str) -> Expr {
    Expr::concat([Expr::from("s3://"), bucket.bucket.r#ref(), "/".into(), path.into()])
}

/// Where a table's files are: a prefix of a [`SecureBucket`] (whose grants
/// then reach the files and their key), or any S3 URI.
///
/// ```
/// use cfn_constructs::TableLocation;
/// let any = TableLocation::uri("s3://shared-data/events/".into());
/// assert_eq!(any.expr(), &cfn_template::Expr::from("s3://shared-data/events/"));
/// ```
#[derive(Debug, Clone)]
pub struct TableLocation {
    uri: Expr,
    data: Option<(SecureBucket, Expr)>,
}

impl TableLocation {
    /// The objects of `bucket` under `prefix` (`AWSLogs`, `inventory/`);
    /// an empty prefix is the whole bucket.
    pub fn in_bucket(bucket: &SecureBucket, prefix: &str) -> TableLocation {
        let folder = prefix.trim_end_matches('/');
        let objects = if folder.is_empty() { "*".to_string() } else { format!("{folder}/*") };
        TableLocation { uri: in_bucket(bucket, prefix), data: Some((bucket.clone(), objects.into())) }
    }

    /// Any S3 URI (`s3://bucket/prefix/`). Reading the files is then the
    /// reader's own to be granted: the table knows no bucket to grant.
    pub fn uri(uri: Expr) -> TableLocation {
        TableLocation { uri, data: None }
    }

    /// The URI.
    pub fn expr(&self) -> &Expr {
        &self.uri
    }
}

/// `storage.location.template`: where Athena finds the files of a
/// partition, with a `${key}` placeholder for each partition key. The
/// placeholders are Athena's, not CloudFormation's: the template writes
/// them as `${!key}` inside an `Fn::Sub`, which CloudFormation turns back
/// into `${key}`.
///
/// ```
/// use cfn_constructs::LocationTemplate;
/// use cfn_template::Expr;
/// let t = LocationTemplate::uri("s3://logs/${region}/${day}/".into());
/// assert_eq!(t.expr(), &Expr::from("s3://logs/${region}/${day}/"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LocationTemplate(Expr);

impl LocationTemplate {
    /// `s3://<bucket>/<path>`, the `${key}` of `path` being placeholders.
    pub fn in_bucket(bucket: &SecureBucket, path: &str) -> LocationTemplate {
        LocationTemplate(in_bucket(bucket, path))
    }

    /// Any expression: literal text's `${key}`, and an `Fn::Sub`'s `${!key}`,
    /// are the placeholders.
    pub fn uri(template: Expr) -> LocationTemplate {
        LocationTemplate(template)
    }

    /// The expression written to the table.
    pub fn expr(&self) -> &Expr {
        &self.0
    }

    /// The placeholders' names, in order.
    fn placeholders(&self) -> Result<Vec<String>, TableError> {
        match &self.0 {
            Expr::Str(text) => scan(text, "${"),
            Expr::Sub(text, _) => scan(text, "${!"),
            _ => Err(TableError::TemplateUnreadable),
        }
    }
}

fn scan(text: &str, open: &str) -> Result<Vec<String>, TableError> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        let after = &rest[at + open.len()..];
        let end = after.find('}').ok_or(TableError::TemplateUnclosed)?;
        names.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    Ok(names)
}

/// A partition key and how Athena projects its values.
///
/// ```
/// use cfn_constructs::{ColumnType, PartitionKey, Projection};
/// let hour = PartitionKey::new("hour", Projection::integer(0, 23)).column_type(ColumnType::Int);
/// assert_eq!(hour.name(), "hour");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionKey {
    name: String,
    column_type: ColumnType,
    projection: Projection,
}

impl PartitionKey {
    /// A `string` partition key `name` projected by `projection`.
    pub fn new(name: impl Into<String>, projection: Projection) -> PartitionKey {
        PartitionKey { name: name.into(), column_type: ColumnType::String, projection }
    }

    /// Another primitive type than `string`.
    pub fn column_type(mut self, column_type: ColumnType) -> PartitionKey {
        self.column_type = column_type;
        self
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// An external table over S3 with partition projection, as added to a template.
#[derive(Debug, Clone)]
pub struct ProjectedTable {
    /// The table.
    pub table: Handle<Table>,
    database: Expr,
    data: Option<(SecureBucket, Expr)>,
}

/// Builds a [`ProjectedTable`].
#[derive(Debug, Clone)]
#[must_use = "call build() to add the table to a template"]
pub struct ProjectedTableBuilder {
    id: String,
    name: Expr,
    database: Expr,
    location: TableLocation,
    format: Format,
    description: Option<String>,
    columns: Vec<Column>,
    partitions: Vec<PartitionKey>,
    template: Option<LocationTemplate>,
}

impl ProjectedTable {
    /// An external table `<id>Table` named `name` in `database`, over the
    /// files at `location` read as `format`. Columns, partition keys and
    /// the location template are added to the builder; `build` checks them
    /// all before it adds anything.
    ///
    /// ```
    /// use cfn_constructs::*;
    /// use cfn_template::Template;
    ///
    /// let mut t = Template::new();
    /// let key = EncryptionKey::new("Data", "alias/data".into()).build(&mut t);
    /// let bucket = SecureBucket::new("Data", "data-bucket".into(), &key.key).build(&mut t);
    /// let db = GlueDatabase::new("Logs", "logs".into()).build(&mut t);
    /// let days = DateProjection::new("yyyy/MM/dd", DateBound::date("2024/01/01"), DateBound::Now, DateUnit::Days);
    /// let table = ProjectedTable::new("Events", "events".into(), &db, TableLocation::in_bucket(&bucket, "events/"),
    ///         Format::Json(JsonSerde::new().ignore_malformed_json(true)))
    ///     .column(Column::new("request_id", ColumnType::String))
    ///     .partition(PartitionKey::new("day", Projection::Date(days)))
    ///     .location_template(LocationTemplate::in_bucket(&bucket, "events/${day}/"))
    ///     .build(&mut t)
    ///     .expect("a valid table");
    /// let v = t.synthesize().unwrap();
    /// let p = &v["Resources"]["EventsTable"]["Properties"]["TableInput"]["Parameters"];
    /// assert_eq!(p["storage.location.template"]["Fn::Sub"], "s3://${DataBucket}/events/${!day}/");
    /// assert_eq!(p["projection.day.range"], "2024/01/01,NOW");
    /// # let _ = table;
    /// ```
    #[allow(clippy::new_ret_no_self)]
    pub fn new(
        id: impl Into<String>,
        name: Expr,
        database: &GlueDatabase,
        location: TableLocation,
        format: Format,
    ) -> ProjectedTableBuilder {
        ProjectedTableBuilder {
            id: id.into(),
            name,
            database: database.name(),
            location,
            format,
            description: None,
            columns: Vec::new(),
            partitions: Vec::new(),
            template: None,
        }
    }

    /// The table's name (its `Ref`).
    pub fn name(&self) -> Expr {
        self.table.r#ref()
    }

    /// The ARNs a reader of the table is granted on: the Data Catalog, the
    /// database and the table, as Glue's IAM resources name them.
    pub fn catalog_arns(&self) -> Vec<Expr> {
        vec![
            regional_arn("glue", "catalog"),
            regional_arn("glue", Expr::concat([Expr::from("database/"), self.database.clone()])),
            regional_arn(
                "glue",
                Expr::concat([Expr::from("table/"), self.database.clone(), "/".into(), self.name()]),
            ),
        ]
    }

    /// Lets an identity of this template read the table: its definition in
    /// the Data Catalog ([`GLUE_READ`]), and, when the table's files are in
    /// a [`SecureBucket`], the files and the bucket's key. A principal
    /// named by ARN is refused, with nothing granted: the catalog has no
    /// resource policy here to name it in.
    pub fn grant_read(
        &self,
        s: &mut impl Stack,
        grantee: impl Into<Grantee>,
    ) -> Result<(), NoResourcePolicy> {
        let Grantee::Identity(identity) = grantee.into() else { return Err(NoResourcePolicy) };
        let statement =
            cfn_template::policy::Statement::allow().actions(GLUE_READ).resources(self.catalog_arns());
        identity.add_to_policy(s.template(), statement);
        if let Some((bucket, objects)) = &self.data {
            bucket.grant_read(s, Grantee::Identity(identity), [objects.clone()]);
        }
        Ok(())
    }
}

impl ProjectedTableBuilder {
    /// Describes the table.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Adds a column.
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }

    /// Adds columns, in order.
    pub fn columns(mut self, columns: impl IntoIterator<Item = Column>) -> Self {
        self.columns.extend(columns);
        self
    }

    /// Adds a partition key, after those already added (the order of the
    /// keys is the order of the table's partitions).
    pub fn partition(mut self, key: PartitionKey) -> Self {
        self.partitions.push(key);
        self
    }

    /// Sets `storage.location.template`. Without one, Athena looks for a
    /// partition's files in Hive's layout under the table's location
    /// (`key=value/`).
    pub fn location_template(mut self, template: LocationTemplate) -> Self {
        self.template = Some(template);
        self
    }

    fn check<'a>(&'a self) -> Vec<TableError> {
        let mut errors = Vec::new();
        if let Some(name) = self.name.as_literal() {
            if name.is_empty()
                || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                errors.push(TableError::TableName { name: name.into() });
            }
        }
        if self.columns.is_empty() {
            errors.push(TableError::NoColumns);
        }
        let mut names: Vec<&str> = Vec::new();
        let mut unique = |name: &'a str, errors: &mut Vec<TableError>| {
            if names.contains(&name) {
                errors.push(TableError::DuplicateColumn { column: name.into() });
            }
            names.push(name);
        };
        for c in &self.columns {
            column::check_name(c.name(), c.name(), &mut errors);
            c.column_type().check(c.name(), &mut errors);
            unique(c.name(), &mut errors);
        }
        for k in &self.partitions {
            column::check_name(k.name(), k.name(), &mut errors);
            if !k.column_type.is_primitive() {
                errors.push(TableError::PartitionType {
                    key: k.name.clone(),
                    column_type: k.column_type.to_string(),
                });
            }
            unique(k.name(), &mut errors);
            k.projection.check(k.name(), &mut errors);
        }
        let columns: Vec<&str> = self.columns.iter().map(Column::name).collect();
        self.format.check(&columns, &mut errors);
        if let Some(template) = &self.template {
            match template.placeholders() {
                Ok(placeholders) => {
                    for k in &self.partitions {
                        if !placeholders.contains(&k.name) {
                            errors.push(TableError::TemplateMissesKey { key: k.name.clone() });
                        }
                    }
                    let mut reported: Vec<&str> = Vec::new();
                    for p in &placeholders {
                        if !self.partitions.iter().any(|k| &k.name == p) && !reported.contains(&p.as_str()) {
                            errors.push(TableError::TemplatePlaceholder { placeholder: p.clone() });
                            reported.push(p);
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        errors
    }

    /// Checks the definition and adds the table. Nothing is added when a
    /// check fails: the error lists every problem found.
    pub fn build(self, s: &mut impl Stack) -> Result<ProjectedTable, TableErrors> {
        let errors = self.check();
        if !errors.is_empty() {
            let table = self.name.as_literal().map_or_else(|| self.id.clone(), str::to_string);
            return Err(TableErrors { table, errors });
        }
        let mut parameters: Map<Expr> = Map::new();
        parameters.insert("EXTERNAL".into(), "TRUE".into());
        parameters.insert("classification".into(), self.format.classification().into());
        if !self.partitions.is_empty() {
            parameters.insert("projection.enabled".into(), "true".into());
            for k in &self.partitions {
                k.projection.parameters(&k.name, &mut parameters);
            }
        }
        if let Some(template) = &self.template {
            parameters.insert("storage.location.template".into(), template.0.clone());
        }
        let partition_keys = self
            .partitions
            .iter()
            .map(|k| Column::new(k.name.clone(), k.column_type.clone()).to_glue())
            .collect::<Vec<_>>();
        let input = TableInput {
            name: Some(self.name),
            description: self.description.map(Into::into),
            table_type: Some("EXTERNAL_TABLE".into()),
            parameters: Some(parameters.to_value()),
            partition_keys: (!partition_keys.is_empty()).then(|| partition_keys.into()),
            storage_descriptor: Some(StorageDescriptor {
                columns: Some(self.columns.iter().map(Column::to_glue).collect::<Vec<_>>().into()),
                location: Some(self.location.uri),
                input_format: Some(self.format.input_format().into()),
                output_format: Some(self.format.output_format().into()),
                serde_info: Some(SerdeInfo {
                    serialization_library: Some(self.format.serde().into()),
                    parameters: self.format.serde_parameters().map(|p| p.to_value()),
                    ..SerdeInfo::default()
                }),
                ..StorageDescriptor::default()
            }),
            ..TableInput::default()
        };
        let table = s.add_resource(
            &format!("{}Table", self.id),
            Table {
                table_input: Some(input),
                ..Table::new(Expr::pseudo(Pseudo::AccountId), self.database.clone())
            },
            Attributes::new(),
        );
        Ok(ProjectedTable { table, database: self.database, data: self.location.data })
    }
}
