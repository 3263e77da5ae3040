//! The Glue database and the Athena tables over the bucket: CloudTrail logs
//! and S3 inventories, both with partition projection, so no crawler or
//! `MSCK REPAIR TABLE` is needed as data arrives.

use cfn_constructs::{
    Column, ColumnType, DateBound, DateProjection, DateUnit, Format, GlueDatabase, LocationTemplate,
    NameKind, NamingStrategy, PartitionKey, ProjectedTable, Projection, SecureBucket, TableErrors,
    TableLocation,
};
use cfn_template::aspect::{Aspect, ResourceView};
use cfn_template::{Expr, Template};

use crate::config::Config;

const DATABASE: &str = "AuditDatabase";

/// Fields that are all strings.
fn strings(names: &[&str]) -> Vec<(String, ColumnType)> {
    names.iter().map(|n| ((*n).to_string(), ColumnType::String)).collect()
}

/// CloudTrail's record fields, as Athena's documentation for CloudTrail
/// tables types them, and the fields CloudTrail added since.
fn cloudtrail_columns() -> Vec<Column> {
    let identity = ["type", "principalid", "arn", "accountid"];
    let session_issuer = strings(&[&identity[..], &["username"]].concat());
    let user_identity = ColumnType::Struct(
        [
            strings(&[&identity[..], &["invokedby", "accesskeyid", "username"]].concat()),
            vec![
                ("onbehalfof".into(), ColumnType::Struct(strings(&["userid", "identitystorearn"]))),
                (
                    "sessioncontext".into(),
                    ColumnType::structure([
                        ("attributes", ColumnType::Struct(strings(&["mfaauthenticated", "creationdate"]))),
                        ("sessionissuer", ColumnType::Struct(session_issuer)),
                        ("ec2roledelivery", ColumnType::String),
                        (
                            "webidfederationdata",
                            ColumnType::structure([
                                ("federatedprovider", ColumnType::String),
                                ("attributes", ColumnType::map(ColumnType::String, ColumnType::String)),
                            ]),
                        ),
                    ]),
                ),
            ],
        ]
        .concat(),
    );
    let string = |name: &str| Column::new(name, ColumnType::String);
    let mut columns = vec![string("eventversion"), Column::new("useridentity", user_identity)];
    columns.extend(
        [
            "eventtime",
            "eventsource",
            "eventname",
            "awsregion",
            "sourceipaddress",
            "useragent",
            "errorcode",
            "errormessage",
            "requestparameters",
            "responseelements",
            "additionaleventdata",
            "requestid",
            "eventid",
            "readonly",
        ]
        .map(string),
    );
    columns.push(Column::new(
        "resources",
        ColumnType::array(ColumnType::Struct(strings(&["arn", "accountid", "type"]))),
    ));
    columns.extend(
        [
            "eventtype",
            "apiversion",
            "recipientaccountid",
            "serviceeventdetails",
            "sharedeventid",
            "vpcendpointid",
            "vpcendpointaccountid",
            "eventcategory",
        ]
        .map(string),
    );
    columns.push(Column::new(
        "addendum",
        ColumnType::Struct(strings(&["reason", "updatedfields", "originalrequestid", "originaleventid"])),
    ));
    columns.extend(["sessioncredentialfromconsole", "edgedevicedetails"].map(string));
    columns.push(Column::new(
        "tlsdetails",
        ColumnType::Struct(strings(&["tlsversion", "ciphersuite", "clientprovidedhostheader"])),
    ));
    columns
}

/// The fields of S3 Inventory's Parquet and ORC reports; Parquet columns
/// are read by name, so a field an inventory does not include is null.
fn inventory_columns() -> Vec<Column> {
    use ColumnType::{Bigint, Boolean, String, Timestamp};
    [
        ("bucket", String),
        ("key", String),
        ("version_id", String),
        ("is_latest", Boolean),
        ("is_delete_marker", Boolean),
        ("size", Bigint),
        ("last_modified_date", Timestamp),
        ("e_tag", String),
        ("storage_class", String),
        ("is_multipart_uploaded", Boolean),
        ("replication_status", String),
        ("encryption_status", String),
        ("object_lock_retain_until_date", Timestamp),
        ("object_lock_mode", String),
        ("object_lock_legal_hold_status", String),
        ("intelligent_tiering_access_tier", String),
        ("bucket_key_status", String),
        ("checksum_algorithm", String),
        ("object_access_control_list", String),
        ("object_owner", String),
        ("lifecycle_expiration_date", Timestamp),
    ]
    .into_iter()
    .map(|(name, ty)| Column::new(name, ty))
    .collect()
}

/// A table the blocks refused. The configuration's checks leave the
/// tables nothing to refuse (accounts, regions and inventories are
/// checked there), so this is a defect of the module; the template then
/// says which and is not written, rather than lacking a table.
#[derive(Debug)]
struct RefusedTable(String);

impl Aspect for RefusedTable {
    fn name(&self) -> &str {
        "AuditTables"
    }

    fn visit(&self, r: &mut ResourceView<'_>) {
        if r.logical_id() == DATABASE {
            r.report(self.0.clone());
        }
    }
}

fn refuse(t: &mut Template, result: Result<ProjectedTable, TableErrors>) {
    if let Err(e) = result {
        t.add_aspect(RefusedTable(e.to_string()));
    }
}

/// The database, the CloudTrail table, and the inventory table when inventories are listed.
pub(crate) fn tables(
    t: &mut Template,
    config: &Config,
    naming: &dyn NamingStrategy,
    bucket: &SecureBucket,
    accounts: &[Expr],
    regions: &[Expr],
) {
    let database = GlueDatabase::new("Audit", naming.name_of(NameKind::GlueDatabase, crate::assemble::AUDIT))
        .description("CloudTrail logs and S3 inventories of the audit bucket")
        .build(t);
    let days =
        DateProjection::new("yyyy/MM/dd", DateBound::date("2021/01/01"), DateBound::Now, DateUnit::Days);
    let cloudtrail = ProjectedTable::new(
        "CloudTrail",
        "cloudtrail_audit".into(),
        &database,
        TableLocation::in_bucket(bucket, "AWSLogs"),
        Format::CloudTrail,
    )
    .description("CloudTrail logs of the source accounts and regions")
    .columns(cloudtrail_columns())
    .partition(PartitionKey::new("timestamp", Projection::Date(days)))
    .partition(PartitionKey::new("region", Projection::Enum(regions.to_vec())))
    .partition(PartitionKey::new("account", Projection::Enum(accounts.to_vec())))
    .location_template(LocationTemplate::in_bucket(
        bucket,
        "AWSLogs/${account}/CloudTrail/${region}/${timestamp}",
    ))
    .build(t);
    refuse(t, cloudtrail);

    if config.inventories.is_empty() {
        return;
    }
    let prefix = config.inventory_prefix();
    let inventories =
        config.inventories.iter().map(|i| Expr::from(format!("{}/{}", i.bucket_name, i.inventory_name)));
    let hours = DateProjection::new(
        "yyyy-MM-dd-HH-mm",
        DateBound::date("2022-01-01-00-00"),
        DateBound::Now,
        DateUnit::Hours,
    );
    let inventory = ProjectedTable::new(
        "Inventory",
        "audit_inv".into(),
        &database,
        TableLocation::in_bucket(bucket, prefix),
        Format::SymlinkedParquet,
    )
    .description("S3 inventories of the source buckets")
    .columns(inventory_columns())
    .partition(PartitionKey::new("bucket_inventory", Projection::enumeration(inventories)))
    .partition(PartitionKey::new("dt", Projection::Date(hours)))
    .location_template(LocationTemplate::in_bucket(
        bucket,
        &format!("{prefix}${{bucket_inventory}}/hive/dt=${{dt}}"),
    ))
    .build(t);
    refuse(t, inventory);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_table_fails_synthesis_with_its_reason() {
        let mut t = Template::new();
        let database = GlueDatabase::new("Audit", "audit".into()).build(&mut t);
        let bad = ProjectedTable::new(
            "Bad",
            "bad".into(),
            &database,
            TableLocation::uri("s3://b/".into()),
            Format::Parquet,
        )
        .build(&mut t);
        refuse(&mut t, bad);
        let err = t.to_json().unwrap_err().to_string();
        assert!(err.contains("AuditTables: table `bad`: the table has no columns"), "{err}");
    }
}
