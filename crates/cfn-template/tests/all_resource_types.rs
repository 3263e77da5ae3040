//! One template with one resource of each of 46 types across 23 services,
//! written with the typed API only and wired together as a small data
//! platform would be: a customer-managed key encrypts everything, a trail and
//! a delivery stream write to the bucket, a Glue table over it is governed by
//! Lake Formation and queried by Athena from a state machine an EventBridge
//! rule starts, a SageMaker notebook runs in a private subnet, a Bedrock
//! guardrail is probed by a custom resource, alarms publish to a topic a
//! queue subscribes to. Plus a parameter used as a number, a condition, a
//! mapping, `Fn::Join`/`Select`/`Split`, exported outputs, a custom resource
//! and a type declared with `declare_resource!`.
//!
//! The fixtures are what `tests/python/template` lints with cfn-lint (no
//! errors, no warnings) and decodes with cfn-lint's own JSON and YAML
//! readers. When a change to the crate changes them on purpose, regenerate
//! and review the diff:
//!
//! ```sh
//! UPDATE_FIXTURES=1 cargo test -p cfn-template --test all_resource_types --features \
//!     "athena bedrock cloudtrail cloudwatch dynamodb ec2 ecr events glue iam kinesis kinesisfirehose kms \
//!     lakeformation lambda logs s3 sagemaker secretsmanager sns sqs ssm stepfunctions"
//! ```
//!
//! (the features of its `[[test]]` entry in Cargo.toml: without them the
//! test does not compile, and `cargo test` skips it).

mod support;

use std::collections::BTreeSet;

use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::{
    athena, bedrock, cloudtrail, cloudwatch, dynamodb, ec2, ecr, events, glue, iam, kinesis, kinesisfirehose,
    kms, lakeformation, lambda, logs, s3, sagemaker, secretsmanager, sns, sqs, ssm, stepfunctions,
    CustomResource, Tag,
};
use cfn_template::schema::facts;
use cfn_template::value::{Bool, Int, List, Num, PropertyValue};
use cfn_template::{Attributes, CondExpr, Expr, Handle, Output, Parameter, Pseudo, Template};
use serde_json::{json, Value};
use support::{check_fixture, yaml_meaning};

cfn_template::declare_resource! {
    /// A custom resource that sends a probe text through a guardrail and
    /// reports what the guardrail did with it.
    pub struct GuardrailProbe = "Custom::GuardrailProbe";
    /// The attributes its provider returns.
    pub trait GuardrailProbeAttributes {
        /// `GUARDRAIL_INTERVENED` or `NONE`.
        "Action" => action;
    }
}

/// The provider of both custom resources: it applies the guardrail for a
/// probe and echoes the settings it is given otherwise.
const PROVIDER_CODE: &str = r#"import json

import boto3
import cfnresponse

runtime = boto3.client("bedrock-runtime")


def handler(event, context):
    props = event["ResourceProperties"]
    data = {}
    try:
        if event["RequestType"] != "Delete":
            if event["ResourceType"] == "Custom::GuardrailProbe":
                result = runtime.apply_guardrail(
                    guardrailIdentifier=props["GuardrailId"],
                    guardrailVersion=props["GuardrailVersion"],
                    source="INPUT",
                    content=[{"text": {"text": props["Probe"]}}],
                )
                data["Action"] = result["action"]
            else:
                data = {k: v for k, v in props.items() if k != "ServiceToken"}
        cfnresponse.send(event, context, cfnresponse.SUCCESS, data)
    except Exception as error:
        print(json.dumps({"error": str(error)}))
        cfnresponse.send(event, context, cfnresponse.FAILED, data)
"#;

/// Runs when a notebook starts: keeps the instance's packages current.
const NOTEBOOK_ON_START: &str =
    "#!/bin/bash\nset -euo pipefail\nsudo -u ec2-user -i pip install --quiet --upgrade boto3\n";

/// What every part of the template uses.
struct Base {
    environment: Handle<Parameter>,
    key: Handle<kms::Key>,
    bucket: Handle<s3::Bucket>,
    app_logs: Handle<logs::LogGroup>,
    audit_logs: Handle<logs::LogGroup>,
    alarms: Handle<sns::Topic>,
}

impl Base {
    fn tags(&self) -> Option<List<Tag>> {
        tags(&self.environment)
    }
}

fn tags(environment: &Handle<Parameter>) -> Option<List<Tag>> {
    Some(vec![Tag::new("project", "data-platform"), Tag::new("environment", environment.r#ref())].into())
}

fn same_account() -> Expr {
    Expr::pseudo(Pseudo::AccountId)
}

/// `${Id}`: a resource's `Ref` inside an `Fn::Sub` string.
fn var<T>(handle: &Handle<T>) -> String {
    format!("${{{}}}", handle.logical_id())
}

/// `${Id.Arn}<suffix>`: paths under a resource's ARN.
fn under_arn<T>(handle: &Handle<T>, suffix: &str) -> Expr {
    Expr::sub(format!("${{{}.Arn}}{suffix}", handle.logical_id()))
}

/// `arn:<partition>:<service>:<region>:<account>:<resource>`, for resources
/// whose ARN is no attribute.
fn arn(service: &str, resource: &str) -> Expr {
    Expr::sub(format!("arn:${{AWS::Partition}}:{service}:${{AWS::Region}}:${{AWS::AccountId}}:{resource}"))
}

/// Lets a service assume a role.
fn assumed_by(service: &str) -> Statement {
    Statement::allow().principal(Principal::service(service)).action("sts:AssumeRole")
}

/// A role with one inline policy.
fn service_role(base: &Base, trust: Statement, policy_name: &str, statements: Vec<Statement>) -> iam::Role {
    iam::Role {
        policies: Some(vec![iam::role::Policy::new(PolicyDocument::new(statements), policy_name)].into()),
        tags: base.tags(),
        ..iam::Role::new(PolicyDocument::new(vec![trust]))
    }
}

/// Denies every request to a bucket that is not sent over TLS.
fn tls_only(bucket: &Handle<s3::Bucket>) -> Statement {
    Statement::deny()
        .sid("DenyInsecureTransport")
        .principal(Principal::Any)
        .action("s3:*")
        .resources([bucket.arn(), under_arn(bucket, "/*")])
        .condition("Bool", "aws:SecureTransport", "false")
}

/// A versioned bucket no one outside the account can reach, whose old
/// versions and abandoned uploads expire.
fn private_bucket(
    encryption: s3::bucket::ServerSideEncryptionRule,
    lifecycle: s3::bucket::Rule,
) -> s3::Bucket {
    s3::Bucket {
        bucket_encryption: Some(s3::bucket::BucketEncryption::new(vec![encryption])),
        lifecycle_configuration: Some(s3::bucket::LifecycleConfiguration::new(vec![s3::bucket::Rule {
            abort_incomplete_multipart_upload: Some(s3::bucket::AbortIncompleteMultipartUpload::new(7)),
            noncurrent_version_expiration: Some(s3::bucket::NoncurrentVersionExpiration::new(90)),
            ..lifecycle
        }])),
        ownership_controls: Some(s3::bucket::OwnershipControls::new(vec![
            s3::bucket::OwnershipControlsRule { object_ownership: Some("BucketOwnerEnforced".into()) },
        ])),
        public_access_block_configuration: Some(s3::bucket::PublicAccessBlockConfiguration {
            block_public_acls: Some(true.into()),
            block_public_policy: Some(true.into()),
            ignore_public_acls: Some(true.into()),
            restrict_public_buckets: Some(true.into()),
        }),
        versioning_configuration: Some(s3::bucket::VersioningConfiguration::new("Enabled")),
        ..s3::Bucket::default()
    }
}

/// The account administers the key through IAM; the services that encrypt
/// with it on their own behalf are named, each held to this account.
fn key_policy() -> PolicyDocument {
    PolicyDocument::new(vec![
        Statement::allow()
            .sid("AccountAdministration")
            .principal(Principal::aws(Expr::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")))
            .action("kms:*")
            .resource("*"),
        Statement::allow()
            .sid("CloudWatchLogs")
            .principal(Principal::service(Expr::sub("logs.${AWS::Region}.${AWS::URLSuffix}")))
            .actions([
                "kms:Encrypt*",
                "kms:Decrypt*",
                "kms:ReEncrypt*",
                "kms:GenerateDataKey*",
                "kms:Describe*",
            ])
            .resource("*")
            .condition("ArnLike", "kms:EncryptionContext:aws:logs:arn", arn("logs", "log-group:*")),
        Statement::allow()
            .sid("CloudTrail")
            .principal(Principal::service("cloudtrail.amazonaws.com"))
            .actions(["kms:GenerateDataKey*", "kms:DescribeKey"])
            .resource("*")
            .condition(
                "StringLike",
                "kms:EncryptionContext:aws:cloudtrail:arn",
                Expr::sub("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*"),
            ),
        Statement::allow()
            .sid("ServicePublishers")
            .principal(Principal::services([
                "cloudwatch.amazonaws.com",
                "events.amazonaws.com",
                "sns.amazonaws.com",
            ]))
            .actions(["kms:Decrypt", "kms:GenerateDataKey*"])
            .resource("*")
            .condition("StringEquals", "aws:SourceAccount", same_account()),
    ])
}

/// Parameters, mapping and condition; the key, the buckets, the log groups
/// and the alarm topic the rest uses.
fn base(t: &mut Template) -> Base {
    let environment = t.add_parameter(
        "Environment",
        Parameter::new("String")
            .description("Deployment stage")
            .default_value("dev")
            .allowed_values(["dev", "staging", "prod"]),
    );
    let retention = t.add_parameter(
        "LogRetentionDays",
        Parameter::new("Number")
            .description("How long the log groups keep events, in days")
            .default_value(365)
            .allowed_values([90, 365, 731, 3653]),
    );
    t.add_mapping(
        "StageSettings",
        json!({
            "dev": {"NotebookInstanceType": "ml.t3.medium", "ErrorThreshold": 10},
            "staging": {"NotebookInstanceType": "ml.t3.medium", "ErrorThreshold": 5},
            "prod": {"NotebookInstanceType": "ml.m5.xlarge", "ErrorThreshold": 1},
        }),
    );
    t.add_condition("IsProd", CondExpr::equals(environment.r#ref(), "prod"));

    let key = t.add_with(
        "DataKey",
        kms::Key {
            description: Some("Encrypts the data platform's data, logs, messages and secrets".into()),
            enable_key_rotation: Some(true.into()),
            key_policy: Some(key_policy()),
            pending_window_in_days: Some(30.into()),
            tags: tags(&environment),
            ..kms::Key::default()
        },
        Attributes::new().retain(),
    );
    t.add("DataKeyAlias", kms::Alias::new(Expr::sub("alias/${AWS::StackName}-data"), key.r#ref()));

    let access_logs = t.add_with(
        "AccessLogsBucket",
        s3::Bucket {
            tags: tags(&environment),
            // Server access logs can only be delivered to SSE-S3 buckets.
            ..private_bucket(
                s3::bucket::ServerSideEncryptionRule {
                    server_side_encryption_by_default: Some(s3::bucket::ServerSideEncryptionByDefault::new(
                        "AES256",
                    )),
                    ..Default::default()
                },
                s3::bucket::Rule {
                    expiration_in_days: Some(365.into()),
                    id: Some("ExpireAccessLogs".into()),
                    ..s3::bucket::Rule::new("Enabled")
                },
            )
        },
        Attributes::new().retain(),
    );
    let bucket = t.add_with(
        "DataBucket",
        s3::Bucket {
            logging_configuration: Some(s3::bucket::LoggingConfiguration {
                destination_bucket_name: Some(access_logs.r#ref()),
                log_file_prefix: Some("data-bucket/".into()),
                ..Default::default()
            }),
            tags: tags(&environment),
            ..private_bucket(
                s3::bucket::ServerSideEncryptionRule {
                    bucket_key_enabled: Some(true.into()),
                    server_side_encryption_by_default: Some(s3::bucket::ServerSideEncryptionByDefault {
                        kms_master_key_id: Some(key.arn()),
                        ..s3::bucket::ServerSideEncryptionByDefault::new("aws:kms")
                    }),
                    ..Default::default()
                },
                s3::bucket::Rule { id: Some("ExpireOldVersions".into()), ..s3::bucket::Rule::new("Enabled") },
            )
        },
        Attributes::new().retain(),
    );
    t.add(
        "AccessLogsBucketPolicy",
        s3::BucketPolicy::new(
            access_logs.r#ref(),
            PolicyDocument::new(vec![
                tls_only(&access_logs),
                Statement::allow()
                    .sid("ServerAccessLogs")
                    .principal(Principal::service("logging.s3.amazonaws.com"))
                    .action("s3:PutObject")
                    .resource(under_arn(&access_logs, "/data-bucket/*"))
                    .condition("ArnLike", "aws:SourceArn", bucket.arn())
                    .condition("StringEquals", "aws:SourceAccount", same_account()),
            ]),
        ),
    );

    let retention_days = Int::from(retention.r#ref());
    let log_group = |t: &mut Template, id: &str| {
        t.add_with(
            id,
            logs::LogGroup {
                kms_key_id: Some(key.arn()),
                retention_in_days: Some(retention_days.clone()),
                tags: tags(&environment),
                ..logs::LogGroup::default()
            },
            Attributes::new().retain(),
        )
    };
    let app_logs = log_group(t, "AppLogGroup");
    let audit_logs = log_group(t, "AuditLogGroup");

    let alarms = t.add(
        "AlarmTopic",
        sns::Topic {
            display_name: Some("Data platform alarms".into()),
            kms_master_key_id: Some(key.r#ref()),
            tags: tags(&environment),
            ..sns::Topic::default()
        },
    );
    t.add(
        "AlarmTopicPolicy",
        sns::TopicPolicy::new(
            PolicyDocument::new(vec![Statement::allow()
                .sid("CloudWatchAlarms")
                .principal(Principal::service("cloudwatch.amazonaws.com"))
                .action("sns:Publish")
                .resource(alarms.r#ref())
                .condition("StringEquals", "aws:SourceAccount", same_account())]),
            vec![alarms.r#ref()],
        ),
    );
    Base { environment, key, bucket, app_logs, audit_logs, alarms }
}

/// A trail of the account's management events, into the bucket and the
/// audit log group.
fn audit(t: &mut Template, b: &Base) {
    let trail_name = Expr::sub("${AWS::StackName}-audit");
    let trail_arn = arn("cloudtrail", "trail/${AWS::StackName}-audit");
    let bucket_policy = t.add(
        "DataBucketPolicy",
        s3::BucketPolicy::new(
            b.bucket.r#ref(),
            PolicyDocument::new(vec![
                tls_only(&b.bucket),
                Statement::allow()
                    .sid("CloudTrailAclCheck")
                    .principal(Principal::service("cloudtrail.amazonaws.com"))
                    .action("s3:GetBucketAcl")
                    .resource(b.bucket.arn())
                    .condition("StringEquals", "aws:SourceArn", trail_arn.clone()),
                Statement::allow()
                    .sid("CloudTrailWrite")
                    .principal(Principal::service("cloudtrail.amazonaws.com"))
                    .action("s3:PutObject")
                    .resource(under_arn(&b.bucket, "/cloudtrail/AWSLogs/${AWS::AccountId}/*"))
                    .condition("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control")
                    .condition("StringEquals", "aws:SourceArn", trail_arn),
            ]),
        ),
    );
    let role = t.add(
        "TrailLogsRole",
        service_role(
            b,
            assumed_by("cloudtrail.amazonaws.com").condition(
                "StringEquals",
                "aws:SourceAccount",
                same_account(),
            ),
            "DeliverToAuditLogGroup",
            vec![Statement::allow()
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(arn("logs", &format!("log-group:{}:log-stream:*", var(&b.audit_logs))))],
        ),
    );
    t.add_with(
        "AuditTrail",
        cloudtrail::Trail {
            cloud_watch_logs_log_group_arn: Some(b.audit_logs.arn()),
            cloud_watch_logs_role_arn: Some(role.arn()),
            enable_log_file_validation: Some(true.into()),
            include_global_service_events: Some(true.into()),
            is_multi_region_trail: Some(true.into()),
            kms_key_id: Some(b.key.arn()),
            s3_key_prefix: Some("cloudtrail".into()),
            tags: b.tags(),
            trail_name: Some(trail_name),
            ..cloudtrail::Trail::new(true, b.bucket.r#ref())
        },
        // CloudTrail checks it may write to the bucket when the trail is created.
        Attributes::new().depends_on(&bucket_policy),
    );
}

/// The private network the notebook runs in.
struct Network {
    subnet: Handle<ec2::Subnet>,
    security_group: Handle<ec2::SecurityGroup>,
    vpc: Handle<ec2::VPC>,
}

fn network(t: &mut Template, b: &Base) -> Network {
    let vpc = t.add(
        "Vpc",
        ec2::VPC {
            cidr_block: Some("10.20.0.0/16".into()),
            enable_dns_hostnames: Some(true.into()),
            enable_dns_support: Some(true.into()),
            tags: b.tags(),
            ..ec2::VPC::default()
        },
    );
    let subnet = t.add(
        "PrivateSubnet",
        ec2::Subnet {
            availability_zone: Some(Expr::select(0, Expr::get_azs("".into()))),
            cidr_block: Some("10.20.0.0/24".into()),
            map_public_ip_on_launch: Some(false.into()),
            tags: b.tags(),
            ..ec2::Subnet::new(vpc.r#ref())
        },
    );
    let routes =
        t.add("PrivateRouteTable", ec2::RouteTable { tags: b.tags(), ..ec2::RouteTable::new(vpc.r#ref()) });
    t.add("PrivateSubnetRoutes", ec2::SubnetRouteTableAssociation::new(routes.r#ref(), subnet.r#ref()));
    // The network reaches S3 for the data bucket only.
    let endpoint_policy = PolicyDocument::new(vec![Statement::allow()
        .principal(Principal::Any)
        .actions(["s3:GetObject", "s3:PutObject", "s3:ListBucket"])
        .resources([b.bucket.arn(), under_arn(&b.bucket, "/*")])
        .condition("StringEquals", "aws:PrincipalAccount", same_account())]);
    t.add(
        "S3GatewayEndpoint",
        ec2::VPCEndpoint {
            policy_document: Some(endpoint_policy),
            route_table_ids: Some(vec![routes.r#ref()].into()),
            service_name: Some(Expr::sub("com.amazonaws.${AWS::Region}.s3")),
            vpc_endpoint_type: Some("Gateway".into()),
            ..ec2::VPCEndpoint::new(vpc.r#ref())
        },
    );
    let security_group = t.add(
        "NotebookSecurityGroup",
        ec2::SecurityGroup {
            security_group_egress: Some(
                vec![ec2::security_group::Egress {
                    cidr_ip: Some(vpc.cidr_block()),
                    description: Some("HTTPS to the endpoints in the VPC".into()),
                    from_port: Some(443.into()),
                    to_port: Some(443.into()),
                    ..ec2::security_group::Egress::new("tcp")
                }]
                .into(),
            ),
            tags: b.tags(),
            vpc_id: Some(vpc.r#ref()),
            ..ec2::SecurityGroup::new("Analyst notebooks: no ingress, HTTPS within the VPC")
        },
    );
    let role = t.add(
        "FlowLogRole",
        service_role(
            b,
            assumed_by("vpc-flow-logs.amazonaws.com").condition(
                "StringEquals",
                "aws:SourceAccount",
                same_account(),
            ),
            "DeliverFlowLogs",
            vec![Statement::allow()
                .actions(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"])
                .resource(b.audit_logs.arn())],
        ),
    );
    t.add(
        "VpcFlowLog",
        ec2::FlowLog {
            deliver_logs_permission_arn: Some(role.arn()),
            log_destination_type: Some("cloud-watch-logs".into()),
            log_group_name: Some(b.audit_logs.r#ref()),
            tags: b.tags(),
            traffic_type: Some("ALL".into()),
            ..ec2::FlowLog::new(vpc.r#ref(), "VPC")
        },
    );
    Network { subnet, security_group, vpc }
}

/// Alarm notifications land in an encrypted queue.
fn messaging(t: &mut Template, b: &Base) {
    let queue = t.add(
        "AlarmQueue",
        sqs::Queue {
            kms_master_key_id: Some(b.key.r#ref()),
            message_retention_period: Some(1_209_600.into()),
            tags: b.tags(),
            ..sqs::Queue::default()
        },
    );
    t.add(
        "AlarmQueuePolicy",
        sqs::QueuePolicy::new(
            PolicyDocument::new(vec![Statement::allow()
                .sid("AlarmTopic")
                .principal(Principal::service("sns.amazonaws.com"))
                .action("sqs:SendMessage")
                .resource(queue.arn())
                .condition("ArnEquals", "aws:SourceArn", b.alarms.r#ref())]),
            vec![queue.queue_url()],
        ),
    );
    t.add(
        "AlarmQueueSubscription",
        sns::Subscription {
            endpoint: Some(queue.arn()),
            raw_message_delivery: Some(true.into()),
            ..sns::Subscription::new("sqs", b.alarms.r#ref())
        },
    );
}

/// Events arrive on a Kinesis stream; Firehose delivers them to the bucket.
fn streaming(t: &mut Template, b: &Base) {
    let stream = t.add(
        "EventsStream",
        kinesis::Stream {
            retention_period_hours: Some(24.into()),
            stream_encryption: Some(kinesis::stream::StreamEncryption::new("KMS", b.key.arn())),
            stream_mode_details: Some(kinesis::stream::StreamModeDetails::new("ON_DEMAND")),
            tags: b.tags(),
            ..kinesis::Stream::default()
        },
    );
    let log_stream = t.add("DeliveryLogStream", logs::LogStream::new(b.app_logs.r#ref()));
    let role = t.add(
        "DeliveryStreamRole",
        service_role(
            b,
            assumed_by("firehose.amazonaws.com").condition("StringEquals", "sts:ExternalId", same_account()),
            "DeliverEvents",
            vec![
                Statement::allow()
                    .actions([
                        "s3:AbortMultipartUpload",
                        "s3:GetBucketLocation",
                        "s3:ListBucket",
                        "s3:ListBucketMultipartUploads",
                    ])
                    .resource(b.bucket.arn()),
                Statement::allow()
                    .actions(["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"])
                    .resources([under_arn(&b.bucket, "/events/*"), under_arn(&b.bucket, "/errors/*")]),
                Statement::allow()
                    .actions([
                        "kinesis:DescribeStream",
                        "kinesis:GetShardIterator",
                        "kinesis:GetRecords",
                        "kinesis:ListShards",
                    ])
                    .resource(stream.arn()),
                Statement::allow().actions(["kms:Decrypt", "kms:GenerateDataKey"]).resource(b.key.arn()),
                Statement::allow().action("logs:PutLogEvents").resource(arn(
                    "logs",
                    &format!("log-group:{}:log-stream:{}", var(&b.app_logs), var(&log_stream)),
                )),
            ],
        ),
    );
    t.add(
        "EventsDeliveryStream",
        kinesisfirehose::DeliveryStream {
            delivery_stream_type: Some("KinesisStreamAsSource".into()),
            extended_s3_destination_configuration: Some(
                kinesisfirehose::delivery_stream::ExtendedS3DestinationConfiguration {
                    buffering_hints: Some(kinesisfirehose::delivery_stream::BufferingHints {
                        interval_in_seconds: Some(300.into()),
                        size_in_mbs: Some(64.into()),
                    }),
                    cloud_watch_logging_options: Some(
                        kinesisfirehose::delivery_stream::CloudWatchLoggingOptions {
                            enabled: Some(true.into()),
                            log_group_name: Some(b.app_logs.r#ref()),
                            log_stream_name: Some(log_stream.r#ref()),
                        },
                    ),
                    compression_format: Some("GZIP".into()),
                    encryption_configuration: Some(
                        kinesisfirehose::delivery_stream::EncryptionConfiguration {
                            kms_encryption_config: Some(
                                kinesisfirehose::delivery_stream::KMSEncryptionConfig::new(b.key.arn()),
                            ),
                            ..Default::default()
                        },
                    ),
                    error_output_prefix: Some(
                        "errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/".into(),
                    ),
                    prefix: Some("events/dt=!{timestamp:yyyy-MM-dd}/".into()),
                    ..kinesisfirehose::delivery_stream::ExtendedS3DestinationConfiguration::new(
                        b.bucket.arn(),
                        role.arn(),
                    )
                },
            ),
            kinesis_stream_source_configuration: Some(
                kinesisfirehose::delivery_stream::KinesisStreamSourceConfiguration::new(
                    stream.arn(),
                    role.arn(),
                ),
            ),
            tags: b.tags(),
            ..kinesisfirehose::DeliveryStream::default()
        },
    );
}

/// The Glue catalog over the delivered events and the Athena workgroup that
/// queries it.
struct Catalog {
    database: Handle<glue::Database>,
    table: Handle<glue::Table>,
    work_group: Handle<athena::WorkGroup>,
}

fn catalog(t: &mut Template, b: &Base) -> Catalog {
    let database = t.add(
        "CatalogDatabase",
        glue::Database::new(
            same_account(),
            glue::database::DatabaseInput {
                description: Some("Events delivered by the data platform".into()),
                name: Some(Expr::join("_", ["data_platform".into(), b.environment.r#ref()])),
                ..Default::default()
            },
        ),
    );
    let column = |name: &str, type_: &str| glue::table::Column {
        r#type: Some(type_.into()),
        ..glue::table::Column::new(name)
    };
    let table = t.add(
        "EventsTable",
        glue::Table {
            table_input: Some(glue::table::TableInput {
                description: Some("One row per event, partitioned by delivery day".into()),
                name: Some("events".into()),
                parameters: Some(json!({"classification": "json", "compressionType": "gzip"})),
                partition_keys: Some(vec![column("dt", "string")].into()),
                storage_descriptor: Some(glue::table::StorageDescriptor {
                    columns: Some(
                        vec![
                            column("id", "string"),
                            column("source", "string"),
                            column("detail_type", "string"),
                            column("detail", "string"),
                            column("time", "timestamp"),
                        ]
                        .into(),
                    ),
                    input_format: Some("org.apache.hadoop.mapred.TextInputFormat".into()),
                    location: Some(Expr::sub(format!("s3://{}/events/", var(&b.bucket)))),
                    output_format: Some("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat".into()),
                    serde_info: Some(glue::table::SerdeInfo {
                        serialization_library: Some("org.openx.data.jsonserde.JsonSerDe".into()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                table_type: Some("EXTERNAL_TABLE".into()),
                ..Default::default()
            }),
            ..glue::Table::new(same_account(), database.r#ref())
        },
    );
    t.add(
        "GlueSecurityConfiguration",
        glue::SecurityConfiguration::new(
            glue::security_configuration::EncryptionConfiguration {
                cloud_watch_encryption: Some(glue::security_configuration::CloudWatchEncryption {
                    cloud_watch_encryption_mode: Some("SSE-KMS".into()),
                    kms_key_arn: Some(b.key.arn()),
                }),
                job_bookmarks_encryption: Some(glue::security_configuration::JobBookmarksEncryption {
                    job_bookmarks_encryption_mode: Some("CSE-KMS".into()),
                    kms_key_arn: Some(b.key.arn()),
                }),
                s3_encryptions: Some(
                    vec![glue::security_configuration::S3Encryption {
                        kms_key_arn: Some(b.key.arn()),
                        s3_encryption_mode: Some("SSE-KMS".into()),
                    }]
                    .into(),
                ),
            },
            Expr::sub("${AWS::StackName}-encrypted"),
        ),
    );
    t.add("DataLakeLocation", lakeformation::Resource::new(b.bucket.arn(), true));
    let work_group = t.add(
        "AnalyticsWorkGroup",
        athena::WorkGroup {
            description: Some("Queries of the data platform's catalog".into()),
            state: Some("ENABLED".into()),
            tags: b.tags(),
            work_group_configuration: Some(athena::work_group::WorkGroupConfiguration {
                bytes_scanned_cutoff_per_query: Some(Int::from(10_737_418_240_i64)),
                enforce_work_group_configuration: Some(true.into()),
                publish_cloud_watch_metrics_enabled: Some(true.into()),
                result_configuration: Some(athena::work_group::ResultConfiguration {
                    encryption_configuration: Some(athena::work_group::EncryptionConfiguration {
                        kms_key: Some(b.key.arn()),
                        ..athena::work_group::EncryptionConfiguration::new("SSE_KMS")
                    }),
                    output_location: Some(Expr::sub(format!("s3://{}/athena-results/", var(&b.bucket)))),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..athena::WorkGroup::new(Expr::sub("${AWS::StackName}-analytics"))
        },
    );
    t.add(
        "EventsPerTypeQuery",
        athena::NamedQuery {
            description: Some("Events per detail type, today".into()),
            name: Some("events-per-type".into()),
            work_group: Some(work_group.r#ref()),
            ..athena::NamedQuery::new(
                database.r#ref(),
                "SELECT detail_type, count(*) AS events FROM events WHERE dt = cast(current_date AS varchar) GROUP BY detail_type",
            )
        },
    );
    Catalog { database, table, work_group }
}

/// Runs queries in the platform's workgroup.
fn run_queries(c: &Catalog) -> Statement {
    Statement::allow()
        .actions([
            "athena:StartQueryExecution",
            "athena:GetQueryExecution",
            "athena:GetQueryResults",
            "athena:StopQueryExecution",
        ])
        .resource(arn("athena", &format!("workgroup/{}", var(&c.work_group))))
}

/// Reads the catalog's table and the objects under it, and writes query results.
fn read_catalog(c: &Catalog, b: &Base) -> Vec<Statement> {
    let database = var(&c.database);
    vec![
        Statement::allow().actions(["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"]).resources([
            arn("glue", "catalog"),
            arn("glue", &format!("database/{database}")),
            arn("glue", &format!("table/{database}/{}", var(&c.table))),
        ]),
        Statement::allow().actions(["s3:GetBucketLocation", "s3:ListBucket"]).resource(b.bucket.arn()),
        Statement::allow().action("s3:GetObject").resource(under_arn(&b.bucket, "/events/*")),
        Statement::allow()
            .actions(["s3:GetObject", "s3:PutObject"])
            .resource(under_arn(&b.bucket, "/athena-results/*")),
        Statement::allow().actions(["kms:Decrypt", "kms:GenerateDataKey"]).resource(b.key.arn()),
    ]
}

/// An EventBridge rule on the platform's bus starts a state machine that
/// adds the partitions Firehose wrote, through Athena.
fn orchestration(t: &mut Template, b: &Base, c: &Catalog) -> Handle<stepfunctions::StateMachine> {
    let mut statements = read_catalog(c, b);
    statements.push(run_queries(c));
    statements.push(
        Statement::allow()
            .action("glue:BatchCreatePartition")
            .resource(arn("glue", &format!("table/{}/{}", var(&c.database), var(&c.table)))),
    );
    // Log delivery and X-Ray take no resource narrower than "*".
    statements.push(
        Statement::allow()
            .actions([
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
            ])
            .resource("*"),
    );
    let role = t.add(
        "StateMachineRole",
        service_role(
            b,
            assumed_by("states.amazonaws.com").condition("StringEquals", "aws:SourceAccount", same_account()),
            "RepairPartitions",
            statements,
        ),
    );
    let definition = json!({
        "Comment": "Adds the partitions Firehose wrote since the last run",
        "StartAt": "RepairPartitions",
        "States": {
            "RepairPartitions": {
                "Type": "Task",
                // cfn-lint checks service integrations against `arn:aws:` only.
                "Resource": "arn:aws:states:::athena:startQueryExecution.sync",
                "Parameters": {
                    "QueryString": "MSCK REPAIR TABLE events",
                    "WorkGroup": "${WorkGroup}",
                    "QueryExecutionContext": {"Database": "${Database}"},
                },
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 60, "MaxAttempts": 2, "BackoffRate": 2}],
                "End": true,
            },
        },
    });
    let state_machine = t.add(
        "IngestStateMachine",
        stepfunctions::StateMachine {
            definition: Some(definition),
            definition_substitutions: Some(
                [("WorkGroup", c.work_group.r#ref()), ("Database", c.database.r#ref())]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
            encryption_configuration: Some(stepfunctions::state_machine::EncryptionConfiguration {
                kms_data_key_reuse_period_seconds: Some(300.into()),
                kms_key_id: Some(b.key.arn()),
                ..stepfunctions::state_machine::EncryptionConfiguration::new("CUSTOMER_MANAGED_KMS_KEY")
            }),
            logging_configuration: Some(stepfunctions::state_machine::LoggingConfiguration {
                destinations: Some(
                    vec![stepfunctions::state_machine::LogDestination {
                        cloud_watch_logs_log_group: Some(
                            stepfunctions::state_machine::CloudWatchLogsLogGroup {
                                log_group_arn: Some(b.app_logs.arn()),
                            },
                        ),
                    }]
                    .into(),
                ),
                include_execution_data: Some(false.into()),
                level: Some("ERROR".into()),
            }),
            state_machine_type: Some("STANDARD".into()),
            tags: b.tags(),
            tracing_configuration: Some(stepfunctions::state_machine::TracingConfiguration {
                enabled: Some(true.into()),
            }),
            ..stepfunctions::StateMachine::new(role.arn())
        },
    );

    let bus = t.add(
        "DataEventBus",
        events::EventBus {
            description: Some("Events of the data platform".into()),
            kms_key_identifier: Some(b.key.arn()),
            tags: b.tags(),
            ..events::EventBus::new(Expr::sub("${AWS::StackName}-data"))
        },
    );
    t.add(
        "DataEventArchive",
        events::Archive {
            description: Some("Replays the platform's events for a month".into()),
            kms_key_identifier: Some(b.key.arn()),
            retention_days: Some(30.into()),
            ..events::Archive::new(bus.arn())
        },
    );
    let events_role = t.add(
        "ObjectsLandedRuleRole",
        service_role(
            b,
            assumed_by("events.amazonaws.com").condition("StringEquals", "aws:SourceAccount", same_account()),
            "StartIngest",
            vec![Statement::allow().action("states:StartExecution").resource(state_machine.r#ref())],
        ),
    );
    t.add(
        "ObjectsLandedRule",
        events::Rule {
            description: Some("Starts the ingest when objects land".into()),
            event_bus_name: Some(bus.r#ref()),
            event_pattern: Some(
                json!({"source": ["data-platform.ingest"], "detail-type": ["ObjectsLanded"]}),
            ),
            state: Some("ENABLED".into()),
            targets: Some(
                vec![events::rule::Target {
                    role_arn: Some(events_role.arn()),
                    ..events::rule::Target::new(state_machine.r#ref(), "IngestStateMachine")
                }]
                .into(),
            ),
            ..events::Rule::default()
        },
    );
    state_machine
}

/// A notebook in the private subnet, reading the table as Lake Formation
/// allows; the repository of the images its jobs run.
fn analysis(t: &mut Template, b: &Base, c: &Catalog, n: &Network) -> Handle<ecr::Repository> {
    let role = t.add(
        "NotebookRole",
        service_role(b, assumed_by("sagemaker.amazonaws.com"), "QueryCatalog", vec![run_queries(c)]),
    );
    t.add(
        "CatalogReaderPolicy",
        iam::ManagedPolicy {
            description: Some("Reads the events table and the objects under it".into()),
            roles: Some(vec![role.r#ref()].into()),
            ..iam::ManagedPolicy::new(PolicyDocument::new(read_catalog(c, b)))
        },
    );
    t.add(
        "NotebookTablePermissions",
        lakeformation::PrincipalPermissions::new(
            vec!["SELECT".into(), "DESCRIBE".into()],
            Vec::<Expr>::new(),
            lakeformation::principal_permissions::DataLakePrincipal {
                data_lake_principal_identifier: Some(role.arn()),
            },
            lakeformation::principal_permissions::Resource {
                table: Some(lakeformation::principal_permissions::TableResource {
                    name: Some(c.table.r#ref()),
                    ..lakeformation::principal_permissions::TableResource::new(
                        same_account(),
                        c.database.r#ref(),
                    )
                }),
                ..Default::default()
            },
        ),
    );
    let lifecycle = t.add(
        "NotebookLifecycle",
        sagemaker::NotebookInstanceLifecycleConfig {
            on_start: Some(
                vec![sagemaker::notebook_instance_lifecycle_config::NotebookInstanceLifecycleHook {
                    content: Some(Expr::base64(NOTEBOOK_ON_START.into())),
                }]
                .into(),
            ),
            ..Default::default()
        },
    );
    t.add(
        "AnalystNotebook",
        sagemaker::NotebookInstance {
            direct_internet_access: Some("Disabled".into()),
            instance_metadata_service_configuration: Some(
                sagemaker::notebook_instance::InstanceMetadataServiceConfiguration::new("2"),
            ),
            kms_key_id: Some(b.key.r#ref()),
            lifecycle_config_name: Some(lifecycle.notebook_instance_lifecycle_config_name()),
            platform_identifier: Some("notebook-al2-v3".into()),
            root_access: Some("Disabled".into()),
            security_group_ids: Some(vec![n.security_group.group_id()].into()),
            subnet_id: Some(n.subnet.r#ref()),
            tags: b.tags(),
            volume_size_in_gb: Some(20.into()),
            ..sagemaker::NotebookInstance::new(
                Expr::find_in_map("StageSettings", b.environment.r#ref(), "NotebookInstanceType".into()),
                role.arn(),
            )
        },
    );
    t.add(
        "AnalysisImages",
        ecr::Repository {
            encryption_configuration: Some(ecr::repository::EncryptionConfiguration {
                kms_key: Some(b.key.arn()),
                ..ecr::repository::EncryptionConfiguration::new("KMS")
            }),
            image_scanning_configuration: Some(ecr::repository::ImageScanningConfiguration {
                scan_on_push: Some(true.into()),
            }),
            image_tag_mutability: Some("IMMUTABLE".into()),
            lifecycle_policy: Some(ecr::repository::LifecyclePolicy {
                lifecycle_policy_text: Some(
                    json!({"rules": [{
                        "rulePriority": 1,
                        "description": "Keep the 30 newest images",
                        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30},
                        "action": {"type": "expire"},
                    }]})
                    .to_string()
                    .into(),
                ),
                ..Default::default()
            }),
            tags: b.tags(),
            ..ecr::Repository::default()
        },
    )
}

/// A guardrail, its first version, and the function that probes it and
/// provides the custom resources.
fn guardrails(t: &mut Template, b: &Base) -> (Handle<lambda::Function>, Handle<GuardrailProbe>) {
    let filter =
        |type_: &str, output: &str| bedrock::guardrail::ContentFilterConfig::new("HIGH", output, type_);
    let guardrail = t.add(
        "ContentGuardrail",
        bedrock::Guardrail {
            content_policy_config: Some(bedrock::guardrail::ContentPolicyConfig::new(vec![
                filter("HATE", "HIGH"),
                filter("INSULTS", "HIGH"),
                filter("MISCONDUCT", "HIGH"),
                filter("SEXUAL", "HIGH"),
                filter("VIOLENCE", "HIGH"),
                // Prompt attacks are filtered on input only.
                filter("PROMPT_ATTACK", "NONE"),
            ])),
            description: Some("Filters harmful content and masks personal data".into()),
            kms_key_arn: Some(b.key.arn()),
            sensitive_information_policy_config: Some(bedrock::guardrail::SensitiveInformationPolicyConfig {
                pii_entities_config: Some(
                    vec![
                        bedrock::guardrail::PiiEntityConfig::new("ANONYMIZE", "EMAIL"),
                        bedrock::guardrail::PiiEntityConfig::new("BLOCK", "AWS_SECRET_KEY"),
                    ]
                    .into(),
                ),
                ..Default::default()
            }),
            tags: b.tags(),
            ..bedrock::Guardrail::new(
                "This request was blocked by the data platform's content policy.",
                "This answer was blocked by the data platform's content policy.",
                Expr::sub("${AWS::StackName}-content"),
            )
        },
    );
    let version = t.add(
        "ContentGuardrailVersion",
        bedrock::GuardrailVersion {
            description: Some("The version the platform's applications use".into()),
            ..bedrock::GuardrailVersion::new(guardrail.guardrail_id())
        },
    );
    let role = t.add(
        "ProviderFunctionRole",
        service_role(
            b,
            assumed_by("lambda.amazonaws.com"),
            "ProbeGuardrail",
            vec![
                Statement::allow()
                    .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                    .resource(arn("logs", &format!("log-group:{}:log-stream:*", var(&b.app_logs)))),
                Statement::allow().action("bedrock:ApplyGuardrail").resource(guardrail.guardrail_arn()),
                Statement::allow().action("kms:Decrypt").resource(b.key.arn()),
                // X-Ray takes no resource narrower than "*".
                Statement::allow()
                    .actions(["xray:PutTraceSegments", "xray:PutTelemetryRecords"])
                    .resource("*"),
            ],
        ),
    );
    let function = t.add(
        "ProviderFunction",
        lambda::Function {
            description: Some("Provides the template's custom resources".into()),
            handler: Some("index.handler".into()),
            logging_config: Some(lambda::function::LoggingConfig {
                application_log_level: Some("INFO".into()),
                log_format: Some("JSON".into()),
                log_group: Some(b.app_logs.r#ref()),
                system_log_level: Some("WARN".into()),
            }),
            memory_size: Some(256.into()),
            // Production keeps capacity for its stack operations; elsewhere the pool is shared.
            reserved_concurrent_executions: Some(Int::from(Expr::if_(
                "IsProd",
                Expr::from(5),
                Expr::no_value(),
            ))),
            runtime: Some("python3.14".into()),
            tags: b.tags(),
            timeout: Some(60.into()),
            tracing_config: Some(lambda::function::TracingConfig { mode: Some("Active".into()) }),
            ..lambda::Function::new(
                lambda::function::Code { zip_file: Some(PROVIDER_CODE.into()), ..Default::default() },
                role.arn(),
            )
        },
    );
    let probe = t.add(
        "GuardrailProbeCheck",
        GuardrailProbe::new()
            .property("ServiceToken", function.arn())
            .property("GuardrailId", version.guardrail_id())
            .property("GuardrailVersion", version.version())
            .property("Probe", "Write to jane.doe@example.com about the quarterly numbers."),
    );
    (function, probe)
}

/// The state the platform's applications keep, their secret and settings.
fn state(t: &mut Template, b: &Base, function: &Handle<lambda::Function>, images: &Handle<ecr::Repository>) {
    let attribute = |name: &str, type_: &str| dynamodb::table::AttributeDefinition::new(name, type_);
    let key = |name: &str, type_: &str| dynamodb::table::KeySchema::new(name, type_);
    let table = t.add_with(
        "StateTable",
        dynamodb::Table {
            attribute_definitions: Some(vec![attribute("pk", "S"), attribute("sk", "S")].into()),
            billing_mode: Some("PAY_PER_REQUEST".into()),
            deletion_protection_enabled: Some(Bool::from(Expr::if_("IsProd", true.into(), false.into()))),
            point_in_time_recovery_specification: Some(dynamodb::table::PointInTimeRecoverySpecification {
                point_in_time_recovery_enabled: Some(true.into()),
                ..Default::default()
            }),
            sse_specification: Some(dynamodb::table::SSESpecification {
                kms_master_key_id: Some(b.key.arn()),
                sse_type: Some("KMS".into()),
                ..dynamodb::table::SSESpecification::new(true)
            }),
            tags: b.tags(),
            time_to_live_specification: Some(dynamodb::table::TimeToLiveSpecification {
                attribute_name: Some("expires_at".into()),
                ..dynamodb::table::TimeToLiveSpecification::new(true)
            }),
            ..dynamodb::Table::new(vec![key("pk", "HASH"), key("sk", "RANGE")].to_value())
        },
        Attributes::new().retain(),
    );
    t.add(
        "WarehouseSecret",
        secretsmanager::Secret {
            description: Some("Credentials of the analysts' warehouse user".into()),
            generate_secret_string: Some(secretsmanager::secret::GenerateSecretString {
                exclude_characters: Some("\"@/\\".into()),
                generate_string_key: Some("password".into()),
                password_length: Some(32.into()),
                secret_string_template: Some(json!({"username": "analyst"}).to_string().into()),
                ..Default::default()
            }),
            kms_key_id: Some(b.key.arn()),
            tags: b.tags(),
            ..secretsmanager::Secret::default()
        },
    );
    t.add(
        "DataBucketParameter",
        ssm::Parameter {
            description: Some("The bucket the platform's data lives in".into()),
            name: Some(Expr::sub("/${AWS::StackName}/data-bucket")),
            tags: Some([("project".to_string(), Expr::from("data-platform"))].into_iter().collect()),
            tier: Some("Standard".into()),
            ..ssm::Parameter::new("String", b.bucket.r#ref())
        },
    );
    t.add(
        "StackSettings",
        CustomResource::new("StackSettings", function.arn())
            .service_timeout(300)
            .property("Environment", b.environment.r#ref())
            .property("StateTable", table.r#ref())
            .property("ImageRegistry", registry(images)),
    );
}

/// The registry host of a repository: its URI up to the first `/`.
fn registry(images: &Handle<ecr::Repository>) -> Expr {
    Expr::select(0, Expr::split("/", images.repository_uri()))
}

/// Application errors and provider failures raise one composite alarm.
fn monitoring(t: &mut Template, b: &Base, function: &Handle<lambda::Function>) {
    let namespace = Expr::sub("DataPlatform/${AWS::StackName}");
    t.add(
        "ApplicationErrorsFilter",
        logs::MetricFilter::new(
            "{ $.level = \"ERROR\" }",
            b.app_logs.r#ref(),
            vec![logs::metric_filter::MetricTransformation {
                default_value: Some(0.into()),
                unit: Some("Count".into()),
                ..logs::metric_filter::MetricTransformation::new("ApplicationErrors", namespace.clone(), "1")
            }],
        ),
    );
    let alarm = |metric: &str, namespace: Expr, threshold: Num| cloudwatch::Alarm {
        comparison_operator: Some("GreaterThanOrEqualToThreshold".into()),
        evaluation_periods: Some(1.into()),
        metric_name: Some(metric.into()),
        namespace: Some(namespace),
        period: Some(300.into()),
        statistic: Some("Sum".into()),
        threshold: Some(threshold),
        treat_missing_data: Some("notBreaching".into()),
        ..cloudwatch::Alarm::default()
    };
    let application = t.add(
        "ApplicationErrorsAlarm",
        cloudwatch::Alarm {
            alarm_description: Some("The applications log errors".into()),
            ..alarm(
                "ApplicationErrors",
                namespace,
                Num::from(Expr::find_in_map("StageSettings", b.environment.r#ref(), "ErrorThreshold".into())),
            )
        },
    );
    let provider = t.add(
        "ProviderErrorsAlarm",
        cloudwatch::Alarm {
            alarm_description: Some("The custom resource provider fails".into()),
            dimensions: Some(
                vec![cloudwatch::alarm::Dimension::new("FunctionName", function.r#ref())].into(),
            ),
            ..alarm("Errors", "AWS/Lambda".into(), 1.into())
        },
    );
    t.add(
        "PlatformHealthAlarm",
        cloudwatch::CompositeAlarm {
            alarm_actions: Some(vec![b.alarms.r#ref()].into()),
            alarm_description: Some("Something in the data platform needs attention".into()),
            ok_actions: Some(vec![b.alarms.r#ref()].into()),
            ..cloudwatch::CompositeAlarm::new(Expr::sub(format!(
                "ALARM(\"${{{}.Arn}}\") OR ALARM(\"${{{}.Arn}}\")",
                application.logical_id(),
                provider.logical_id()
            )))
        },
    );
}

/// The template the fixtures hold.
fn all_resource_types() -> Template {
    let mut t = Template::new();
    t.set_description(
        "One resource of each of 46 types across 23 services, for cfn-lint and the format tests.",
    );
    let b = base(&mut t);
    audit(&mut t, &b);
    let network = network(&mut t, &b);
    messaging(&mut t, &b);
    streaming(&mut t, &b);
    let catalog = catalog(&mut t, &b);
    let state_machine = orchestration(&mut t, &b, &catalog);
    let images = analysis(&mut t, &b, &catalog, &network);
    let (function, probe) = guardrails(&mut t, &b);
    state(&mut t, &b, &function, &images);
    monitoring(&mut t, &b, &function);

    let export = |name: &str| Expr::sub(format!("${{AWS::StackName}}-{name}"));
    t.add_output(
        "DataBucketName",
        Output::new(b.bucket.r#ref()).description("The data bucket").export(export("DataBucket")),
    );
    t.add_output(
        "DataKeyArn",
        Output::new(b.key.arn()).description("The key of the platform's data").export(export("DataKeyArn")),
    );
    t.add_output(
        "IngestStateMachineArn",
        Output::new(state_machine.r#ref())
            .description("Starts an ingest")
            .export(export("IngestStateMachine")),
    );
    t.add_output("VpcId", Output::new(network.vpc.r#ref()).export(export("VpcId")));
    t.add_output("PrivateSubnetId", Output::new(network.subnet.r#ref()).export(export("PrivateSubnetId")));
    t.add_output(
        "ImageRegistry",
        Output::new(registry(&images)).description("Where the analysis images are pushed"),
    );
    t.add_output(
        "GuardrailProbeAction",
        Output::new(probe.action()).description("What the guardrail did with the probe"),
    );
    t.add_output(
        "ProductionGuardrailNotice",
        Output::new(Expr::sub("Production traffic goes through ${ContentGuardrailVersion.Version}"))
            .condition("IsProd"),
    );
    t
}

#[test]
fn json_fixture_is_current() {
    check_fixture("all-resource-types.json", &all_resource_types().to_json().expect("valid template"));
}

#[test]
fn yaml_fixture_is_current() {
    check_fixture("all-resource-types.yaml", &all_resource_types().to_yaml().expect("valid template"));
}

#[test]
fn yaml_means_the_same_as_json() {
    let t = all_resource_types();
    let json: Value = serde_json::from_str(&t.to_json().unwrap()).unwrap();
    assert_eq!(yaml_meaning(&t.to_yaml().unwrap()), json);
}

#[test]
fn output_is_deterministic() {
    let (first, second) = (all_resource_types(), all_resource_types());
    assert_eq!(first.to_json().unwrap(), second.to_json().unwrap());
    assert_eq!(first.to_yaml().unwrap(), second.to_yaml().unwrap());
    let copy = first.clone();
    assert_eq!(copy.to_json().unwrap(), first.to_json().unwrap());
    assert_eq!(copy.to_yaml().unwrap(), first.to_yaml().unwrap());
}

/// The services the fixture must cover, by Cargo feature.
const REQUIRED_SERVICES: &[&str] = &[
    "athena",
    "bedrock",
    "cloudtrail",
    "dynamodb",
    "ec2",
    "events",
    "glue",
    "iam",
    "kinesisfirehose",
    "kms",
    "lakeformation",
    "lambda",
    "logs",
    "s3",
    "sagemaker",
    "secretsmanager",
    "sns",
    "sqs",
    "ssm",
    "stepfunctions",
];

#[test]
fn at_least_40_types_across_20_services() {
    let t = all_resource_types();
    let mut types = BTreeSet::new();
    let mut services = BTreeSet::new();
    for entry in t.resources() {
        let type_name = entry.resource_type();
        if type_name.starts_with("Custom::") {
            continue;
        }
        let facts = facts(type_name).unwrap_or_else(|| panic!("{type_name} is no type of the schemas"));
        types.insert(type_name);
        services.insert(facts.feature);
    }
    assert!(types.len() >= 40, "{} types: {types:?}", types.len());
    assert!(services.len() >= 20, "{} services: {services:?}", services.len());
    let missing: Vec<_> = REQUIRED_SERVICES.iter().filter(|s| !services.contains(*s)).collect();
    assert!(missing.is_empty(), "services not covered: {missing:?}");
    let description = t.description().unwrap();
    assert!(
        description.contains(&format!("{} types across {} services", types.len(), services.len())),
        "the description says how many: {description}"
    );
    // Both kinds of resource the schemas lack are there too.
    let custom: BTreeSet<_> =
        t.resources().iter().map(|e| e.resource_type()).filter(|n| n.starts_with("Custom::")).collect();
    assert_eq!(custom, BTreeSet::from([GuardrailProbe::TYPE, "Custom::StackSettings"]));
}

/// Every `Fn::GetAtt` of a value, and every `${Id.Attribute}` of an `Fn::Sub`.
fn get_atts(v: &Value, found: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(args)) = m.get("Fn::GetAtt") {
                if let [Value::String(id), Value::String(attribute)] = args.as_slice() {
                    found.push((id.clone(), attribute.clone()));
                }
            }
            let sub = match m.get("Fn::Sub") {
                Some(Value::String(s)) => Some(s.as_str()),
                Some(Value::Array(args)) => args.first().and_then(Value::as_str),
                _ => None,
            };
            if let Some(s) = sub {
                for part in cfn_template::parse_sub(s).expect("valid Fn::Sub") {
                    if let cfn_template::SubPart::Var(name) = part {
                        if let Some((id, attribute)) = name.split_once('.') {
                            if !id.starts_with("AWS::") {
                                found.push((id.to_string(), attribute.to_string()));
                            }
                        }
                    }
                }
            }
            m.values().for_each(|v| get_atts(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| get_atts(v, found)),
        _ => {}
    }
}

#[test]
fn every_get_att_names_an_attribute_of_its_type() {
    let written: Value = serde_json::from_str(&all_resource_types().to_json().unwrap()).unwrap();
    let mut found = Vec::new();
    get_atts(&written, &mut found);
    assert!(found.len() >= 30, "only {} attributes read", found.len());
    for (id, attribute) in found {
        let type_name =
            written["Resources"][&id]["Type"].as_str().unwrap_or_else(|| panic!("{id} is no resource"));
        let known = match facts(type_name) {
            Some(f) => f.has_attribute(&attribute),
            None if type_name == GuardrailProbe::TYPE => {
                GuardrailProbe::ATTRIBUTES.contains(&attribute.as_str())
            }
            None => panic!("{id}.{attribute}: {type_name} has no known attributes"),
        };
        assert!(known, "{id}.{attribute}: {type_name} has no attribute {attribute}");
    }
}
