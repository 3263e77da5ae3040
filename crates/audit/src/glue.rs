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

/// An external table of the database: its columns, partitions and
/// projection, the partition values given by `projection`.
fn table(
    t: &mut Template,
    id: &str,
    database: &Handle<Database>,
    input: TableInput,
    projection: Vec<(&str, Expr)>,
) {
    let mut parameters: Map<Expr> = Map::new();
    parameters.insert("EXTERNAL".into(), "TRUE".into());
    parameters.insert("projection.enabled".into(), "true".into());
    for (key, value) in projection {
        parameters.insert(key.into(), value);
    }
    let input = TableInput {
        table_type: Some("EXTERNAL_TABLE".into()),
        parameters: Some(parameters.to_value()),
        ..input
    };
    t.add(
        id,
        Table { table_input: Some(input), ..Table::new(Expr::pseudo(Pseudo::AccountId), database.r#ref()) },
    );
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
                name: Some(naming.name(NameKind::GlueDatabase, "audit")),
                description: Some("CloudTrail logs and S3 inventories of the audit bucket".into()),
                ..DatabaseInput::default()
            },
        ),
    );
    let partition = |name: &str| Column { r#type: Some("string".into()), ..Column::new(name) };
    let cloudtrail = TableInput {
        name: Some("cloudtrail_audit".into()),
        description: Some("CloudTrail logs of the source accounts and regions".into()),
        partition_keys: Some(vec![partition("timestamp"), partition("region"), partition("account")].into()),
        storage_descriptor: Some(StorageDescriptor {
            columns: Some(columns(&CLOUDTRAIL_COLUMNS).into()),
            location: Some(location(bucket, "AWSLogs")),
            input_format: Some("com.amazon.emr.cloudtrail.CloudTrailInputFormat".into()),
            output_format: Some("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat".into()),
            serde_info: Some(SerdeInfo {
                serialization_library: Some("org.apache.hive.hcatalog.data.JsonSerDe".into()),
                ..SerdeInfo::default()
            }),
            ..StorageDescriptor::default()
        }),
        ..TableInput::default()
    };
    table(
        t,
        "CloudTrailTable",
        &database,
        cloudtrail,
        vec![
            ("classification", "cloudtrail".into()),
            ("projection.timestamp.type", "date".into()),
            ("projection.timestamp.format", "yyyy/MM/dd".into()),
            ("projection.timestamp.range", "2021/01/01,NOW".into()),
            ("projection.timestamp.interval", "1".into()),
            ("projection.timestamp.interval.unit", "DAYS".into()),
            ("projection.region.type", "enum".into()),
            ("projection.region.values", enumeration(regions.iter().cloned())),
            ("projection.account.type", "enum".into()),
            ("projection.account.values", enumeration(accounts.iter().cloned())),
            (
                "storage.location.template",
                location(bucket, "AWSLogs/${account}/CloudTrail/${region}/${timestamp}"),
            ),
        ],
    );

    if config.inventories.is_empty() {
        return;
    }
    let prefix = config.inventory_prefix();
    let inventories =
        config.inventories.iter().map(|i| Expr::from(format!("{}/{}", i.bucket_name, i.inventory_name)));
    let inventory = TableInput {
        name: Some("audit_inv".into()),
        description: Some("S3 inventories of the source buckets".into()),
        partition_keys: Some(vec![partition("bucket_inventory"), partition("dt")].into()),
        storage_descriptor: Some(StorageDescriptor {
            columns: Some(columns(&INVENTORY_COLUMNS).into()),
            location: Some(location(bucket, prefix)),
            input_format: Some("org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat".into()),
            output_format: Some("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat".into()),
            serde_info: Some(SerdeInfo {
                serialization_library: Some(
                    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe".into(),
                ),
                ..SerdeInfo::default()
            }),
            ..StorageDescriptor::default()
        }),
        ..TableInput::default()
    };
    table(
        t,
        "InventoryTable",
        &database,
        inventory,
        vec![
            ("projection.dt.type", "date".into()),
            ("projection.dt.format", "yyyy-MM-dd-HH-mm".into()),
            ("projection.dt.range", "2022-01-01-00-00,NOW".into()),
            ("projection.dt.interval", "1".into()),
            ("projection.dt.interval.unit", "HOURS".into()),
            ("projection.bucket_inventory.type", "enum".into()),
            ("projection.bucket_inventory.values", enumeration(inventories)),
            (
                "storage.location.template",
                location(bucket, format!("{prefix}${{bucket_inventory}}/hive/dt=${{dt}}")),
            ),
        ],
    );
}
