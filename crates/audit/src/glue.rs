//! The Glue database and the Athena tables over the bucket: CloudTrail logs
//! and S3 inventories, both with partition projection, so no crawler or
//! `MSCK REPAIR TABLE` is needed as data arrives.

use cfn_constructs::{NameKind, NamingStrategy};
use cfn_template::resources::glue::database::DatabaseInput;
use cfn_template::resources::glue::table::{Column, SerdeInfo, StorageDescriptor, TableInput};
use cfn_template::resources::glue::{Database, Table};
use cfn_template::resources::s3::Bucket;
use cfn_template::value::{Map, PropertyValue};
use cfn_template::{Expr, Handle, Pseudo, Template};

use crate::config::Config;

/// CloudTrail's record fields, as Athena's documentation for CloudTrail tables types them.
const CLOUDTRAIL_COLUMNS: [(&str, &str); 29] = [
    ("eventversion", "string"),
    (
        "useridentity",
        "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,\
accesskeyid:string,username:string,onbehalfof:struct<userid:string,identitystorearn:string>,\
sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,\
sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,\
ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>",
    ),
    ("eventtime", "string"),
    ("eventsource", "string"),
    ("eventname", "string"),
    ("awsregion", "string"),
    ("sourceipaddress", "string"),
    ("useragent", "string"),
    ("errorcode", "string"),
    ("errormessage", "string"),
    ("requestparameters", "string"),
    ("responseelements", "string"),
    ("additionaleventdata", "string"),
    ("requestid", "string"),
    ("eventid", "string"),
    ("readonly", "string"),
    ("resources", "array<struct<arn:string,accountid:string,type:string>>"),
    ("eventtype", "string"),
    ("apiversion", "string"),
    ("recipientaccountid", "string"),
    ("serviceeventdetails", "string"),
    ("sharedeventid", "string"),
    ("vpcendpointid", "string"),
    ("vpcendpointaccountid", "string"),
    ("eventcategory", "string"),
    (
        "addendum",
        "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>",
    ),
    ("sessioncredentialfromconsole", "string"),
    ("edgedevicedetails", "string"),
    ("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
];

/// The fields of S3 Inventory's Parquet and ORC reports; Parquet columns
/// are read by name, so a field an inventory does not include is null.
const INVENTORY_COLUMNS: [(&str, &str); 21] = [
    ("bucket", "string"),
    ("key", "string"),
    ("version_id", "string"),
    ("is_latest", "boolean"),
    ("is_delete_marker", "boolean"),
    ("size", "bigint"),
    ("last_modified_date", "timestamp"),
    ("e_tag", "string"),
    ("storage_class", "string"),
    ("is_multipart_uploaded", "boolean"),
    ("replication_status", "string"),
    ("encryption_status", "string"),
    ("object_lock_retain_until_date", "timestamp"),
    ("object_lock_mode", "string"),
    ("object_lock_legal_hold_status", "string"),
    ("intelligent_tiering_access_tier", "string"),
    ("bucket_key_status", "string"),
    ("checksum_algorithm", "string"),
    ("object_access_control_list", "string"),
    ("object_owner", "string"),
    ("lifecycle_expiration_date", "timestamp"),
];

fn columns(of: &[(&str, &str)]) -> Vec<Column> {
    of.iter().map(|(name, ty)| Column { r#type: Some((*ty).into()), ..Column::new(*name) }).collect()
}

/// `s3://<bucket>/<path>`.
fn location(bucket: &Handle<Bucket>, path: impl Into<Expr>) -> Expr {
    Expr::concat([Expr::from("s3://"), bucket.r#ref(), "/".into(), path.into()])
}

/// Values joined with commas, as projection enums list them.
fn enumeration(values: impl IntoIterator<Item = Expr>) -> Expr {
    let mut parts = Vec::new();
    for v in values {
        if !parts.is_empty() {
            parts.push(Expr::from(","));
        }
        parts.push(v);
    }
    Expr::concat(parts)
}

/// An external table over the bucket, its partitions projected rather than stored.
struct External<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    columns: &'a [(&'a str, &'a str)],
    location: Expr,
    classification: &'a str,
    input_format: &'a str,
    serde: &'a str,
    /// Each partition key: `(name, type, date format or enumerated values)`, in order.
    partitions: Vec<(&'a str, &'a str, Expr)>,
    /// A date partition's range start and interval unit.
    dates: (&'a str, &'a str),
    template: Expr,
}

impl External<'_> {
    fn add(self, t: &mut Template, database: &Handle<Database>) {
        let mut parameters: Map<Expr> = Map::new();
        let mut set = |k: &str, v: Expr| parameters.insert(k.into(), v);
        set("EXTERNAL", "TRUE".into());
        set("classification", self.classification.into());
        set("projection.enabled", "true".into());
        for (key, kind, value) in &self.partitions {
            set(&format!("projection.{key}.type"), (*kind).into());
            if *kind == "date" {
                set(&format!("projection.{key}.format"), value.clone());
                set(&format!("projection.{key}.range"), format!("{},NOW", self.dates.0).into());
                set(&format!("projection.{key}.interval"), "1".into());
                set(&format!("projection.{key}.interval.unit"), self.dates.1.into());
            } else {
                set(&format!("projection.{key}.values"), value.clone());
            }
        }
        set("storage.location.template", self.template);
        let keys = self.partitions.iter().map(|(key, ..)| (*key, "string")).collect::<Vec<_>>();
        let input = TableInput {
            name: Some(self.name.into()),
            description: Some(self.description.into()),
            table_type: Some("EXTERNAL_TABLE".into()),
            parameters: Some(parameters.to_value()),
            partition_keys: Some(columns(&keys).into()),
            storage_descriptor: Some(StorageDescriptor {
                columns: Some(columns(self.columns).into()),
                location: Some(self.location),
                input_format: Some(self.input_format.into()),
                output_format: Some("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat".into()),
                serde_info: Some(SerdeInfo {
                    serialization_library: Some(self.serde.into()),
                    ..SerdeInfo::default()
                }),
                ..StorageDescriptor::default()
            }),
            ..TableInput::default()
        };
        let table = Table::new(Expr::pseudo(Pseudo::AccountId), database.r#ref());
        t.add(self.id, Table { table_input: Some(input), ..table });
    }
}

/// The database, the CloudTrail table, and the inventory table when inventories are listed.
pub(crate) fn tables(
    t: &mut Template,
    config: &Config,
    naming: &dyn NamingStrategy,
    bucket: &Handle<Bucket>,
    accounts: &[Expr],
    regions: &[Expr],
) {
    let database = t.add(
        "AuditDatabase",
        Database::new(
            Expr::pseudo(Pseudo::AccountId),
            DatabaseInput {
                name: Some(naming.name_of(NameKind::GlueDatabase, crate::assemble::AUDIT)),
                description: Some("CloudTrail logs and S3 inventories of the audit bucket".into()),
                ..DatabaseInput::default()
            },
        ),
    );
    External {
        id: "CloudTrailTable",
        name: "cloudtrail_audit",
        description: "CloudTrail logs of the source accounts and regions",
        columns: &CLOUDTRAIL_COLUMNS,
        location: location(bucket, "AWSLogs"),
        classification: "cloudtrail",
        input_format: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
        serde: "org.apache.hive.hcatalog.data.JsonSerDe",
        partitions: vec![
            ("timestamp", "date", "yyyy/MM/dd".into()),
            ("region", "enum", enumeration(regions.iter().cloned())),
            ("account", "enum", enumeration(accounts.iter().cloned())),
        ],
        dates: ("2021/01/01", "DAYS"),
        template: location(bucket, "AWSLogs/${account}/CloudTrail/${region}/${timestamp}"),
    }
    .add(t, &database);

    if config.inventories.is_empty() {
        return;
    }
    let prefix = config.inventory_prefix();
    let inventories =
        config.inventories.iter().map(|i| Expr::from(format!("{}/{}", i.bucket_name, i.inventory_name)));
    External {
        id: "InventoryTable",
        name: "audit_inv",
        description: "S3 inventories of the source buckets",
        columns: &INVENTORY_COLUMNS,
        location: location(bucket, prefix),
        classification: "parquet",
        input_format: "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat",
        serde: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        partitions: vec![
            ("bucket_inventory", "enum", enumeration(inventories)),
            ("dt", "date", "yyyy-MM-dd-HH-mm".into()),
        ],
        dates: ("2022-01-01-00-00", "HOURS"),
        template: location(bucket, format!("{prefix}${{bucket_inventory}}/hive/dt=${{dt}}")),
    }
    .add(t, &database);
}
