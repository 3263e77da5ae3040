//! Glue tables with partition projection and Athena workgroups: the exact
//! JSON they write, every problem a table definition can have, and what
//! running queries grants.

use cfn_constructs::{
    AthenaWorkgroup, BytesScannedCutoff, Column, ColumnType, DateBound, DateProjection, DateUnit,
    EncryptionKey, EngineVersion, Format, GlueDatabase, Grant, JsonSerde, LocationTemplate, PartitionKey,
    ProjectedTable, ProjectedTableBuilder, Projection, Scope, SecureBucket, TableError, TableLocation,
};
use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::iam::Role;
use cfn_template::{Expr, Handle, Pseudo, Template};
use serde_json::{json, Value};

fn json(t: &Template) -> Value {
    serde_json::from_str(&t.to_json().expect("the blocks make valid templates")).unwrap()
}

fn bucket(t: &mut Template, id: &str) -> SecureBucket {
    let key = EncryptionKey::new(id, format!("alias/{}", id.to_lowercase()).into()).build(t);
    SecureBucket::new(id, format!("{}-bucket", id.to_lowercase()).into(), &key.key).build(t)
}

fn analyst(t: &mut Template) -> Handle<Role> {
    let trust =
        Statement::allow().principal(Principal::service("lambda.amazonaws.com")).action("sts:AssumeRole");
    t.add("Analyst", Role::new(PolicyDocument::new(vec![trust])))
}

fn days() -> Projection {
    Projection::Date(DateProjection::new(
        "yyyy/MM/dd",
        DateBound::date("2024/01/01"),
        DateBound::Now,
        DateUnit::Days,
    ))
}

/// A table of Bedrock invocation records: JSON read by the OpenX SerDe.
fn invocations(t: &mut Template, data: &SecureBucket) -> ProjectedTableBuilder {
    let db = GlueDatabase::new("Logs", "bedrock_logs".into()).description("Invocation logs").build(t);
    let serde = JsonSerde::new()
        .ignore_malformed_json(true)
        .mapping("input_tokens", "inputTokenCount")
        .mapping("model_id", "modelId");
    ProjectedTable::new(
        "Invocations",
        "invocations".into(),
        &db,
        TableLocation::in_bucket(data, "AWSLogs/"),
        Format::Json(serde),
    )
    .description("Model invocation records")
    .column(Column::new("model_id", ColumnType::String))
    .column(Column::new("input_tokens", ColumnType::Bigint).comment("inputTokenCount"))
    .column(Column::new(
        "identity",
        ColumnType::structure([("arn", ColumnType::String), ("tags", ColumnType::array(ColumnType::String))]),
    ))
    .partition(PartitionKey::new(
        "region",
        Projection::enumeration([Expr::pseudo(Pseudo::Region), "eu-west-1".into()]),
    ))
    .partition(PartitionKey::new("day", days()))
    .partition(PartitionKey::new(
        "hour",
        Projection::Integer { min: 0, max: 23, interval: Some(1), digits: Some(2) },
    ))
    .partition(PartitionKey::new("request", Projection::Injected))
    // The account is CloudFormation's to resolve; the keys are Athena's.
    .location_template(LocationTemplate::uri(Expr::concat([
        Expr::from("s3://"),
        data.bucket.r#ref(),
        "/AWSLogs/".into(),
        Expr::pseudo(Pseudo::AccountId),
        "/${region}/${day}/${hour}/${request}/".into(),
    ])))
}

#[test]
fn a_json_table_writes_its_columns_serde_and_escaped_projection() {
    let mut t = Template::new();
    let data = bucket(&mut t, "Data");
    invocations(&mut t, &data).build(&mut t).unwrap();
    let v = json(&t);
    assert_eq!(
        v["Resources"]["LogsDatabase"]["Properties"],
        json!({
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseInput": {"Description": "Invocation logs", "Name": "bedrock_logs"}
        })
    );
    assert_eq!(
        v["Resources"]["InvocationsTable"]["Properties"],
        json!({
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseName": {"Ref": "LogsDatabase"},
            "TableInput": {
                "Description": "Model invocation records",
                "Name": "invocations",
                "Parameters": {
                    "EXTERNAL": "TRUE",
                    "classification": "json",
                    "projection.enabled": "true",
                    "projection.region.type": "enum",
                    "projection.region.values": {"Fn::Sub": "${AWS::Region},eu-west-1"},
                    "projection.day.type": "date",
                    "projection.day.format": "yyyy/MM/dd",
                    "projection.day.range": "2024/01/01,NOW",
                    "projection.day.interval": "1",
                    "projection.day.interval.unit": "DAYS",
                    "projection.hour.type": "integer",
                    "projection.hour.range": "0,23",
                    "projection.hour.interval": "1",
                    "projection.hour.digits": "2",
                    "projection.request.type": "injected",
                    // Athena's placeholders escaped from Fn::Sub, CloudFormation's resolved.
                    "storage.location.template": {
                        "Fn::Sub": "s3://${DataBucket}/AWSLogs/${AWS::AccountId}/${!region}/${!day}/${!hour}/${!request}/"
                    }
                },
                "PartitionKeys": [
                    {"Name": "region", "Type": "string"},
                    {"Name": "day", "Type": "string"},
                    {"Name": "hour", "Type": "string"},
                    {"Name": "request", "Type": "string"}
                ],
                "StorageDescriptor": {
                    "Columns": [
                        {"Name": "model_id", "Type": "string"},
                        {"Comment": "inputTokenCount", "Name": "input_tokens", "Type": "bigint"},
                        {"Name": "identity", "Type": "struct<arn:string,tags:array<string>>"}
                    ],
                    "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                    "Location": {"Fn::Sub": "s3://${DataBucket}/AWSLogs/"},
                    "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    "SerdeInfo": {
                        "Parameters": {
                            "ignore.malformed.json": "true",
                            "case.insensitive": "true",
                            "mapping.input_tokens": "inputTokenCount",
                            "mapping.model_id": "modelId"
                        },
                        "SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"
                    }
                },
                "TableType": "EXTERNAL_TABLE"
            }
        })
    );
}

#[test]
fn formats_write_their_input_output_and_serde() {
    for (format, classification, input, output, serde) in [
        (
            Format::Parquet,
            "parquet",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        ),
        (
            Format::SymlinkedParquet,
            "parquet",
            "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat",
            "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        ),
        (
            Format::CloudTrail,
            "cloudtrail",
            "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
            "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "org.apache.hive.hcatalog.data.JsonSerDe",
        ),
    ] {
        let mut t = Template::new();
        let db = GlueDatabase::new("Db", "db".into()).build(&mut t);
        ProjectedTable::new("T", "t".into(), &db, TableLocation::uri("s3://elsewhere/t/".into()), format)
            .column(Column::new("c", ColumnType::Decimal { precision: 38, scale: 4 }))
            .build(&mut t)
            .unwrap();
        let input_json = &json(&t)["Resources"]["TTable"]["Properties"]["TableInput"];
        assert_eq!(input_json["Parameters"], json!({"EXTERNAL": "TRUE", "classification": classification}));
        assert!(input_json.get("PartitionKeys").is_none(), "no keys, no projection");
        assert_eq!(
            input_json["StorageDescriptor"],
            json!({
                "Columns": [{"Name": "c", "Type": "decimal(38,4)"}],
                "InputFormat": input,
                "Location": "s3://elsewhere/t/",
                "OutputFormat": output,
                "SerdeInfo": {"SerializationLibrary": serde}
            })
        );
    }
}

/// The messages of the problems of a table built from `build`, and that
/// nothing was added to the template.
fn problems(build: impl FnOnce(&GlueDatabase) -> ProjectedTableBuilder) -> (Vec<TableError>, Vec<String>) {
    let mut t = Template::new();
    let db = GlueDatabase::new("Db", "db".into()).build(&mut t);
    let before = json(&t);
    let err = build(&db).build(&mut t).unwrap_err();
    assert_eq!(json(&t), before, "a refused table adds nothing");
    let lines = err.to_string().lines().map(str::to_string).collect();
    (err.errors().to_vec(), lines)
}

fn table(db: &GlueDatabase) -> ProjectedTableBuilder {
    ProjectedTable::new("T", "t".into(), db, TableLocation::uri("s3://b/t/".into()), Format::Parquet)
}

fn one_column(db: &GlueDatabase) -> ProjectedTableBuilder {
    table(db).column(Column::new("c", ColumnType::String))
}

#[test]
fn column_problems_are_explained() {
    let (_, lines) = problems(|db| {
        table(db)
            .column(Column::new("requestId", ColumnType::String))
            .column(Column::new("dotted.name", ColumnType::String))
            .column(Column::new("c", ColumnType::Decimal { precision: 39, scale: 0 }))
            .column(Column::new("c", ColumnType::map(ColumnType::array(ColumnType::Int), ColumnType::Int)))
            .column(Column::new(
                "s",
                ColumnType::structure([
                    ("a", ColumnType::Int),
                    ("a", ColumnType::Int),
                    ("Bee", ColumnType::Int),
                ]),
            ))
            .column(Column::new("e", ColumnType::structure::<&str>([])))
            .partition(
                PartitionKey::new("p", Projection::Injected).column_type(ColumnType::array(ColumnType::Int)),
            )
    });
    assert_eq!(
        lines,
        [
            "table `t`: column `requestId`: Glue stores column names lower-cased, as `requestid`, so the name \
             written here is not the one queries and SerDe mappings see, and a JSON key read through it can come \
             back NULL without an error; name the column `requestid` (or in snake_case) and, for JSON, map the \
             key to it with `JsonSerde::mapping(\"requestid\", \"requestId\")`",
            "table `t`: column `dotted.name`: a name is 1 to 255 lower-case letters, digits and underscores",
            "table `t`: column `c`: decimal(39,0) needs a precision of 1 to 38 and a scale no greater than the \
             precision",
            "table `t`: column `c`: a map's key must be a primitive type, not `array<int>`",
            "table `t`: column `c` is defined twice (columns and partition keys share one namespace)",
            "table `t`: column `s.a` is defined twice (columns and partition keys share one namespace)",
            "table `t`: column `s.Bee`: Glue stores struct field names lower-cased, as `s.bee`, so the name \
             written here is not the one queries see; name the field in lower case",
            "table `t`: column `e`: a struct needs at least one field",
            "table `t`: partition key `p`: a partition key must be a primitive type, not `array<int>`",
        ]
    );
    let (errors, lines) = problems(|db| {
        ProjectedTable::new("T", "Events".into(), db, TableLocation::uri("s3://b/".into()), Format::Parquet)
    });
    assert_eq!(errors, [TableError::TableName { name: "Events".into() }, TableError::NoColumns]);
    assert_eq!(lines[1], "table `Events`: the table has no columns; Athena reads none without one");
}

#[test]
fn projection_problems_are_explained() {
    let date = |format: &str, start: DateBound, end: DateBound, unit| {
        Projection::Date(DateProjection::new(format, start, end, unit))
    };
    let (_, lines) = problems(|db| {
        one_column(db)
            .partition(PartitionKey::new("a", Projection::enumeration::<&str>([])))
            .partition(PartitionKey::new("b", Projection::enumeration(["x,y", ""])))
            .partition(PartitionKey::new("k", Projection::integer(9, 1)))
            .partition(PartitionKey::new(
                "d",
                Projection::Integer { min: 0, max: 9, interval: Some(0), digits: None },
            ))
            .partition(PartitionKey::new(
                "e",
                date("yyyy-QQ", DateBound::Now, DateBound::Now, DateUnit::Days),
            ))
            .partition(PartitionKey::new("f", date("dd/MM", DateBound::Now, DateBound::Now, DateUnit::Days)))
            .partition(PartitionKey::new(
                "g",
                date(
                    "yyyy/MM/dd",
                    DateBound::date("2024/13/01"),
                    DateBound::date("2024-01-01"),
                    DateUnit::Days,
                ),
            ))
            .partition(PartitionKey::new(
                "h",
                date(
                    "yyyy/MM/dd",
                    DateBound::date("2024/02/01"),
                    DateBound::date("2024/01/31"),
                    DateUnit::Days,
                ),
            ))
            .partition(PartitionKey::new(
                "i",
                date("yyyy/MM/dd", DateBound::date("2024/01/01"), DateBound::Now, DateUnit::Hours),
            ))
            .partition(PartitionKey::new("j", date("yyyy'", DateBound::Now, DateBound::Now, DateUnit::Years)))
    });
    assert_eq!(
        lines,
        [
            "table `t`: partition key `a`: an enum projection needs at least one value, or every query finds nothing",
            "table `t`: partition key `b`: enum value `x,y` is empty or holds a comma, which Athena reads as the \
             separator between values",
            "table `t`: partition key `b`: enum value `` is empty or holds a comma, which Athena reads as the \
             separator between values",
            "table `t`: partition key `k`: the integer range 9,1 starts after it ends",
            "table `t`: partition key `d`: a projection's interval and digits must be positive",
            "table `t`: partition key `e`: date format `yyyy-QQ` cannot be read: `Q` is not one of the pattern \
             letters y M d H m s S; quote literal letters ('T')",
            "table `t`: partition key `f`: date format `dd/MM` cannot be read: it has no year (`yyyy`)",
            "table `t`: partition key `g`: range bound `2024/13/01` is not a date in the format `yyyy/MM/dd` (13 \
             is out of range for `M`); write it in that format, or as NOW, NOW-3YEARS, NOW+1DAYS",
            "table `t`: partition key `g`: range bound `2024-01-01` is not a date in the format `yyyy/MM/dd` (`/` \
             expected at `-01-01`); write it in that format, or as NOW, NOW-3YEARS, NOW+1DAYS",
            "table `t`: partition key `h`: the date range 2024/02/01,2024/01/31 starts after it ends",
            "table `t`: partition key `i`: the interval unit HOURS is finer than the format's finest field (DAYS), \
             so Athena would project the same partition over and over; step by DAYS or coarser",
            "table `t`: partition key `j`: date format `yyyy'` cannot be read: a quoted text is not closed",
        ]
    );
}

#[test]
fn the_location_template_and_the_partition_keys_name_each_other() {
    let (errors, lines) = problems(|db| {
        one_column(db)
            .partition(PartitionKey::new("day", days()))
            .partition(PartitionKey::new("region", Projection::Injected))
            .location_template(LocationTemplate::uri("s3://b/t/${day}/${account}/${account}".into()))
    });
    assert_eq!(
        errors,
        [
            TableError::TemplateMissesKey { key: "region".into() },
            TableError::TemplatePlaceholder { placeholder: "account".into() },
        ]
    );
    assert_eq!(
        lines,
        [
            "table `t`: partition key `region` has no placeholder `${region}` in storage.location.template; Athena \
             needs one for every partition key",
            "table `t`: storage.location.template has a placeholder `${account}` that is no partition key",
        ]
    );
    // CloudFormation's `${AWS::Region}` in text would reach Athena as a placeholder of its own.
    let (_, lines) = problems(|db| {
        one_column(db)
            .partition(PartitionKey::new("day", days()))
            .location_template(LocationTemplate::uri("s3://b/${AWS::Region}/${day}".into()))
    });
    assert_eq!(
        lines,
        [
            "table `t`: storage.location.template has a placeholder `${AWS::Region}` that is no partition key; a \
             `${...}` in the template's text is Athena's: give a CloudFormation value as an expression \
             (`Expr::pseudo`, a reference) in `Expr::concat` with the text",
        ]
    );
    let (errors, lines) = problems(|db| {
        one_column(db)
            .partition(PartitionKey::new("day", days()))
            .location_template(LocationTemplate::uri("s3://b/t/${day".into()))
    });
    assert_eq!(errors, [TableError::TemplateUnclosed]);
    assert_eq!(lines, ["table `t`: storage.location.template has a `${` that is not closed"]);
    let (errors, _) = problems(|db| {
        one_column(db)
            .partition(PartitionKey::new("day", days()))
            .location_template(LocationTemplate::uri(Expr::join("/", ["s3://b".into(), "${day}".into()])))
    });
    assert_eq!(errors, [TableError::TemplateUnreadable]);
}

#[test]
fn json_mappings_name_columns_of_the_table() {
    let (_, lines) = problems(|db| {
        ProjectedTable::new(
            "T",
            "t".into(),
            db,
            TableLocation::uri("s3://b/".into()),
            Format::Json(
                JsonSerde::new().case_insensitive(false).mapping("modelId", "modelId").mapping("c", ""),
            ),
        )
        .column(Column::new("c", ColumnType::String))
    });
    assert_eq!(
        lines,
        [
            "table `t`: JSON mapping of `modelId` to `modelId`: the table has no column `modelId`; a mapping names \
             the column as Glue stores it, lower-case",
            "table `t`: JSON mapping to `c`: the JSON key is empty",
        ]
    );
}

#[test]
fn date_bounds_relative_to_now_and_steps() {
    let mut t = Template::new();
    let db = GlueDatabase::new("Db", "db".into()).build(&mut t);
    let hours = DateProjection::new(
        "yyyy-MM-dd'T'HH",
        DateBound::NowOffset(-3, DateUnit::Years),
        DateBound::NowOffset(1, DateUnit::Days),
        DateUnit::Hours,
    )
    .every(6);
    one_column(&db).partition(PartitionKey::new("at", Projection::Date(hours))).build(&mut t).unwrap();
    let p = &json(&t)["Resources"]["TTable"]["Properties"]["TableInput"]["Parameters"];
    assert_eq!(p["projection.at.range"], "NOW-3YEARS,NOW+1DAYS");
    assert_eq!(p["projection.at.interval"], "6");
    assert_eq!(p["projection.at.interval.unit"], "HOURS");
}

fn workgroup(t: &mut Template, results: &SecureBucket) -> AthenaWorkgroup {
    let cutoff = BytesScannedCutoff::new(1_000_000_000_000).unwrap();
    AthenaWorkgroup::new("Audit", "audit".into(), results, "athena-results/", cutoff)
        .description("Audit queries")
        .build(t)
        .unwrap()
}

#[test]
fn a_workgroup_enforces_encrypted_results_and_a_scan_cutoff() {
    let mut t = Template::new();
    let results = bucket(&mut t, "Results");
    let wg = workgroup(&mut t, &results);
    wg.add_named_query(&mut t, "Recent", "recent-errors", "Errors of the last day", "audit", "SELECT 1");
    let v = json(&t);
    assert_eq!(
        v["Resources"]["AuditWorkGroup"],
        json!({
            "Type": "AWS::Athena::WorkGroup",
            "Properties": {
                "Description": "Audit queries",
                "Name": "audit",
                "RecursiveDeleteOption": false,
                "State": "ENABLED",
                "WorkGroupConfiguration": {
                    "BytesScannedCutoffPerQuery": 1_000_000_000_000_i64,
                    "EnforceWorkGroupConfiguration": true,
                    "EngineVersion": {"SelectedEngineVersion": "Athena engine version 3"},
                    "PublishCloudWatchMetricsEnabled": true,
                    "RequesterPaysEnabled": false,
                    "ResultConfiguration": {
                        "EncryptionConfiguration": {
                            "EncryptionOption": "SSE_KMS",
                            "KmsKey": {"Fn::GetAtt": ["ResultsKey", "Arn"]}
                        },
                        "ExpectedBucketOwner": {"Ref": "AWS::AccountId"},
                        "OutputLocation": {"Fn::Sub": "s3://${ResultsBucket}/athena-results/"}
                    }
                }
            }
        })
    );
    assert_eq!(
        v["Resources"]["RecentNamedQuery"],
        json!({
            "Type": "AWS::Athena::NamedQuery",
            "Properties": {
                "Database": "audit",
                "Description": "Errors of the last day",
                "Name": "recent-errors",
                "QueryString": "SELECT 1",
                "WorkGroup": {"Ref": "AuditWorkGroup"}
            }
        })
    );
}

#[test]
fn workgroup_options_and_refusals() {
    let mut t = Template::new();
    let results = bucket(&mut t, "Results");
    let mut scope = Scope::new(&mut t, "Team");
    let cutoff = BytesScannedCutoff::new(10_000_000).unwrap();
    AthenaWorkgroup::new("Adhoc", "adhoc".into(), &results, "q", cutoff)
        .engine_version(EngineVersion::Auto)
        .recursive_delete(true)
        .build(&mut scope)
        .unwrap();
    let v = json(&t);
    let p = &v["Resources"]["TeamAdhocWorkGroup"]["Properties"];
    assert_eq!(p["RecursiveDeleteOption"], true);
    assert_eq!(p["WorkGroupConfiguration"]["EngineVersion"]["SelectedEngineVersion"], "AUTO");
    assert_eq!(p["WorkGroupConfiguration"]["BytesScannedCutoffPerQuery"], 10_000_000);
    assert_eq!(
        p["WorkGroupConfiguration"]["ResultConfiguration"]["OutputLocation"]["Fn::Sub"],
        "s3://${ResultsBucket}/q/"
    );

    assert_eq!(
        BytesScannedCutoff::new(9_999_999).unwrap_err().to_string(),
        "bytes scanned cutoff 9999999: Athena's least per-query cutoff is 10000000 bytes (10 MB)"
    );
    assert_eq!(
        BytesScannedCutoff::new(u64::MAX).unwrap_err().to_string(),
        "bytes scanned cutoff 18446744073709551615: at most 9223372036854775807 bytes"
    );
    for prefix in ["", "/", "/results", "a//b", "${AWS::Region}"] {
        let err =
            AthenaWorkgroup::new("Bad", "bad".into(), &results, prefix, cutoff).build(&mut t).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "results prefix `{prefix}`: give a non-empty key prefix such as `athena-results`, without a \
                 leading `/`, empty folders (`//`) or `${{`"
            )
        );
    }
    assert!(json(&t)["Resources"].get("BadWorkGroup").is_none());
}

fn statements<'a>(v: &'a Value, id: &str) -> &'a Vec<Value> {
    let p = &v["Resources"][id]["Properties"];
    p.get("KeyPolicy").unwrap_or(&p["PolicyDocument"])["Statement"].as_array().unwrap()
}

#[test]
fn grant_query_puts_every_statement_in_the_roles_policy() {
    let mut t = Template::new();
    let data = bucket(&mut t, "Data");
    let results = bucket(&mut t, "Results");
    let table = invocations(&mut t, &data).build(&mut t).unwrap();
    let wg = workgroup(&mut t, &results);
    let role = analyst(&mut t);
    let resource_policies = ["DataBucketPolicy", "DataKey", "ResultsBucketPolicy", "ResultsKey"];
    let before = json(&t);
    wg.grant_query(&mut t, &role, &[&table]).unwrap();
    let v = json(&t);
    for id in resource_policies {
        assert_eq!(statements(&v, id), statements(&before, id), "{id} is untouched");
    }
    let granted = statements(&v, "AnalystDefaultPolicy");
    assert!(granted.iter().all(|s| s.get("Principal").is_none() && s["Effect"] == "Allow"));
    let glue = |resource: &str| json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:glue:${{AWS::Region}}:${{AWS::AccountId}}:{resource}")});
    assert_eq!(
        granted,
        &vec![
            json!({
                "Effect": "Allow",
                "Action": [
                    "athena:BatchGetNamedQuery", "athena:BatchGetQueryExecution", "athena:GetNamedQuery",
                    "athena:GetQueryExecution", "athena:GetQueryResults", "athena:GetQueryResultsStream",
                    "athena:GetWorkGroup", "athena:ListNamedQueries", "athena:ListQueryExecutions",
                    "athena:StartQueryExecution", "athena:StopQueryExecution"
                ],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${AuditWorkGroup}"}
            }),
            json!({
                "Effect": "Allow",
                "Action": [
                    "glue:BatchGetPartition", "glue:GetDatabase", "glue:GetDatabases", "glue:GetPartition",
                    "glue:GetPartitions", "glue:GetTable", "glue:GetTables"
                ],
                "Resource": [glue("catalog"), glue("database/${LogsDatabase}"), glue("table/${LogsDatabase}/${InvocationsTable}")]
            }),
            // The table's files, the bucket, and its key.
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${DataBucket.Arn}/AWSLogs/*"}}),
            json!({"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": {"Fn::GetAtt": ["DataBucket", "Arn"]}}),
            json!({"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": {"Fn::GetAtt": ["DataKey", "Arn"]}}),
            // The results: read, write, multipart uploads, and the results key both ways.
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": "${ResultsBucket.Arn}/athena-results/*"}}),
            json!({"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": {"Fn::GetAtt": ["ResultsBucket", "Arn"]}}),
            json!({"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": {"Fn::GetAtt": ["ResultsKey", "Arn"]}}),
            json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": {"Fn::Sub": "${ResultsBucket.Arn}/athena-results/*"}}),
            json!({"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": {"Fn::GetAtt": ["ResultsKey", "Arn"]}}),
            json!({
                "Effect": "Allow",
                "Action": ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                "Resource": {"Fn::Sub": "${ResultsBucket.Arn}/athena-results/*"}
            }),
        ]
    );
    assert_eq!(v["Resources"]["AnalystDefaultPolicy"]["Properties"]["Roles"], json!([{"Ref": "Analyst"}]));
}

#[test]
fn grant_query_refuses_a_principal_by_arn_and_grants_nothing() {
    let mut t = Template::new();
    let data = bucket(&mut t, "Data");
    let results = bucket(&mut t, "Results");
    let table = invocations(&mut t, &data).build(&mut t).unwrap();
    let wg = workgroup(&mut t, &results);
    let before = t.to_json().unwrap();
    let outsider = Grant::aws("arn:aws:iam::111122223333:role/analyst").sid("Outsider");
    let err = wg.grant_query(&mut t, &outsider, &[&table]).unwrap_err();
    assert!(err.to_string().starts_with("Athena workgroups and Glue tables hold no resource policy"));
    assert!(table.grant_read(&mut t, &outsider).is_err());
    assert_eq!(t.to_json().unwrap(), before, "nothing was granted");
}

#[test]
fn a_table_over_any_uri_grants_the_catalog_only() {
    let mut t = Template::new();
    let role = analyst(&mut t);
    let db = GlueDatabase::new("Db", "db".into()).build(&mut t);
    let table = one_column(&db).build(&mut t).unwrap();
    table.grant_read(&mut t, &role).unwrap();
    let v = json(&t);
    let granted = statements(&v, "AnalystDefaultPolicy");
    assert_eq!(granted.len(), 1);
    assert_eq!(granted[0]["Action"][1], "glue:GetDatabase");
    assert_eq!(
        db.arn(),
        Expr::sub("arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/${DbDatabase}")
    );
}
