//! What the module builds over the S3 trail (`logAnalytics`): a Glue table
//! over Bedrock's invocation logs with partition projection, an Athena
//! workgroup whose settings queries cannot override, saved queries, and the
//! policy that lets roles run them.
//!
//! Bedrock writes the S3 copy of its records as gzip'd JSON lines under
//! `{keyPrefix}/AWSLogs/{account}/BedrockModelInvocationLogs/{region}/{YYYY}/{MM}/{DD}/{HH}/`
//! (Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and
//! Amazon S3"). Account and region are the stack's own, since Bedrock
//! delivers only to a bucket of its account and region; the hour is the one
//! partition key, projected from the key layout, so no crawler and no
//! `MSCK REPAIR TABLE` is ever needed.
//!
//! The table reads the records with the OpenX JSON SerDe, the only JSON SerDe
//! Athena documents `ignore.malformed.json` for (Athena User Guide, "OpenX
//! JSON SerDe"). Its facts, as Athena's engine 3 (Trino's OpenX reader)
//! implements them:
//! - `case.insensitive` (true) matches JSON keys to columns and struct
//!   fields whatever their case, so the camelCase `inputTokenCount` reads
//!   into the field `inputtokencount`: every column and field is named as
//!   the lower-cased key, and no mapping is needed;
//! - a key no column names is ignored, so fields Bedrock adds later do not
//!   break a query;
//! - a line that does not start with `{` (Bedrock's plain-text notice) and,
//!   with `ignore.malformed.json`, a line that is not JSON, become a row
//!   whose every column is NULL: the saved queries count only rows whose
//!   `schematype` is `ModelInvocationLog`;
//! - an object or array under a `string` column is that value's JSON text,
//!   compact: the request and response bodies stay queryable with
//!   `json_extract` whatever their shape. (Hive's own OpenX implementation
//!   lower-cases keys inside that text too; the saved queries match bodies
//!   case-insensitively so that both read the same.)
//!
//! Bodies over 100 KB, and binary ones, are delivered as separate objects
//! under a `data/` folder (`input.inputBodyS3Path`, `output.outputBodyS3Path`
//! name them). Where that folder sits is not documented; observed, it is
//! inside the hour's folder, and Athena reads every object under a
//! partition's folder. Such an object is a body, not a record: its rows have
//! no `schematype`, so they are never counted, though they are scanned.

use cfn_constructs::{
    AthenaWorkgroup, BytesScannedCutoff, Column, ColumnType, DateBound, DateProjection, DateUnit,
    EncryptionKey, Format, GlueDatabase, JsonSerde, Lifecycle, LocationTemplate, NameKind, Names,
    PartitionKey, ProjectedTable, Projection, Published, SecureBucket, Stack, TableLocation,
};
use cfn_template::resources::iam::ManagedPolicy;
use cfn_template::{policy::PolicyDocument, Attributes, Expr, Pseudo, Template};

use crate::assemble::Publisher;
use crate::config::{Config, LogAnalytics};
use crate::{exceptions, monitoring};

/// The table's name, inside the module's database.
pub const TABLE: &str = "invocations";

/// The partition key: the hour folder Bedrock writes a batch under, as
/// `yyyy/MM/dd/HH` (UTC).
pub const HOUR_PARTITION: &str = "datehour";

/// Where the workgroup writes results, in the results bucket.
const RESULTS_PREFIX: &str = "athena-results";

/// The database, the workgroup's results bucket and the query policy, as
/// each convention names them.
const DATABASE: Names<'static> = Names { base: "bedrock_invocation_logs", mdaa: "invocation-logs" };
const RESULTS_BUCKET: Names<'static> = Names { base: "bedrock-query-results", mdaa: "query-results" };
const QUERY_POLICY: Names<'static> =
    Names { base: "bedrock-invocation-logs-query", mdaa: "invocation-logs-query" };

const WORKGROUP_NAME: Published<'static> = Published {
    name: "workgroup-name",
    resource_type: "workgroup",
    resource: "invocation-logs",
    attribute: "name",
};
const QUERY_POLICY_ARN: Published<'static> = Published {
    name: "query-policy-arn",
    resource_type: "policy",
    resource: "invocation-logs-query",
    attribute: "arn",
};

/// A record of Bedrock's schema: the rows of notice lines and of body
/// objects have none.
const RECORDS: &str = "schematype = 'ModelInvocationLog'";

/// Rows of the last `days` days, by partition: Athena reads only those
/// hours' folders.
fn last_days(days: u32) -> String {
    format!(
        "{RECORDS} AND {HOUR_PARTITION} >= date_format(current_timestamp - INTERVAL '{days}' DAY, \
         '%Y/%m/%d/%H')"
    )
}

/// A saved query: its logical ID's stem, its name, what it answers, its
/// window in days, and its text with `{window}` where the window goes.
pub(crate) struct NamedQuery {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) days: u32,
    pub(crate) query: &'static str,
}

/// The saved queries, in Athena's SQL (Trino). Every sum of tokens is 0
/// rather than NULL for a group of failed requests, which carry no counts,
/// and every order is total, so a query gives the same rows in the same
/// order on every run.
pub(crate) const NAMED_QUERIES: [NamedQuery; 6] = [
    NamedQuery {
        id: "TokensByCallerModelDay",
        name: "tokens-by-caller-model-day",
        description: "Invocations and tokens (input, cache reads and writes, output) per day, caller and model, \
                      last 30 days",
        days: 30,
        query: "SELECT date(from_iso8601_timestamp(\"timestamp\")) AS day, identity.arn AS caller, modelid AS \
                model_id, count(*) AS invocations, coalesce(sum(input.inputtokencount), 0) AS input_tokens, \
                coalesce(sum(input.cachereadinputtokencount), 0) AS cache_read_input_tokens, \
                coalesce(sum(input.cachewriteinputtokencount), 0) AS cache_write_input_tokens, \
                coalesce(sum(output.outputtokencount), 0) AS output_tokens FROM invocations WHERE {window} \
                GROUP BY 1, 2, 3 ORDER BY day DESC, input_tokens DESC, caller, model_id",
    },
    NamedQuery {
        id: "ErrorRates",
        name: "error-rates",
        description: "Share of failed invocations per model and operation, last 7 days",
        days: 7,
        query: "SELECT modelid AS model_id, operation, count(*) AS invocations, count(errorcode) AS errors, \
                round(100.0 * count(errorcode) / count(*), 2) AS error_percent FROM invocations WHERE {window} \
                GROUP BY 1, 2 ORDER BY error_percent DESC, errors DESC, model_id, operation",
    },
    NamedQuery {
        id: "TopCallers",
        name: "top-callers",
        description: "The 25 callers with the most tokens, with their invocations, errors and models, last 7 days",
        days: 7,
        query: "SELECT identity.arn AS caller, count(*) AS invocations, count(errorcode) AS errors, \
                count(DISTINCT modelid) AS models, coalesce(sum(input.inputtokencount), 0) AS input_tokens, \
                coalesce(sum(output.outputtokencount), 0) AS output_tokens, \
                coalesce(sum(input.inputtokencount), 0) + coalesce(sum(output.outputtokencount), 0) AS \
                total_tokens FROM invocations WHERE {window} GROUP BY 1 ORDER BY total_tokens DESC, invocations \
                DESC, caller LIMIT 25",
    },
    NamedQuery {
        id: "TokensByRequestMetadata",
        name: "tokens-by-request-metadata",
        description: "Cost attribution: invocations and tokens per request-metadata entry the callers sent, and \
                      model, last 30 days (a request counts under each of its entries)",
        days: 30,
        query: "SELECT metadata_key, requestmetadata[metadata_key] AS metadata_value, modelid AS model_id, \
                count(*) AS invocations, coalesce(sum(input.inputtokencount), 0) AS input_tokens, \
                coalesce(sum(output.outputtokencount), 0) AS output_tokens FROM invocations CROSS JOIN \
                UNNEST(map_keys(requestmetadata)) AS m (metadata_key) WHERE {window} GROUP BY 1, 2, 3 ORDER BY \
                metadata_key, input_tokens DESC, metadata_value, model_id",
    },
    NamedQuery {
        id: "GuardrailInterventions",
        name: "guardrail-interventions",
        description: "Invocations a guardrail intervened in, per caller, model and operation, streamed or not, \
                      last 30 days",
        days: 30,
        query: "SELECT identity.arn AS caller, modelid AS model_id, operation, count(*) AS interventions FROM \
                invocations WHERE {window} AND regexp_like(lower(output.outputbodyjson), \
                '\"amazon-bedrock-guardrailaction\"\\s*:\\s*\"intervened\"|\"stopreason\"\\s*:\\s*\"guardrail_intervened\"') \
                GROUP BY 1, 2, 3 ORDER BY interventions DESC, caller, model_id, operation",
    },
    NamedQuery {
        id: "LargeBodies",
        name: "large-bodies",
        description: "The 100 latest invocations whose request or response body Bedrock delivered as a separate \
                      object, with its S3 path, last 30 days",
        days: 30,
        query: "SELECT \"timestamp\", requestid AS request_id, identity.arn AS caller, modelid AS model_id, \
                operation, input.inputbodys3path AS input_body_s3_path, output.outputbodys3path AS \
                output_body_s3_path FROM invocations WHERE {window} AND (input.inputbodys3path IS NOT NULL OR \
                output.outputbodys3path IS NOT NULL) ORDER BY \"timestamp\" DESC, request_id LIMIT 100",
    },
];

impl NamedQuery {
    /// The query's text, its window filled in.
    pub(crate) fn text(&self) -> String {
        self.query.replace("{window}", &last_days(self.days))
    }
}

/// Every documented field of the record, named as the SerDe matches it (the
/// key lower-cased), typed as the record holds it. The bodies are `string`:
/// their JSON text, whatever its shape.
fn columns() -> Vec<Column> {
    use ColumnType::{Bigint, String};
    let text = |name: &str, key: &str| Column::new(name, String).comment(key.to_string());
    vec![
        text("schematype", "schemaType: ModelInvocationLog"),
        text("schemaversion", "schemaVersion"),
        text("timestamp", "timestamp: ISO 8601, UTC"),
        text("accountid", "accountId"),
        text("region", "region"),
        text("requestid", "requestId"),
        text("operation", "operation: InvokeModel, Converse, ..."),
        text("modelid", "modelId: as the caller passed it"),
        text("inferenceregion", "inferenceRegion: where cross-Region inference ran"),
        text("errorcode", "errorCode: set on failures"),
        Column::new("identity", ColumnType::structure([("arn", String)])).comment("identity.arn: the caller"),
        Column::new("requestmetadata", ColumnType::map(String, String))
            .comment("requestMetadata: what the caller attached"),
        Column::new(
            "input",
            ColumnType::structure([
                ("inputcontenttype", String),
                ("inputbodyjson", String),
                ("inputbodys3path", String),
                ("inputtokencount", Bigint),
                ("cachereadinputtokencount", Bigint),
                ("cachewriteinputtokencount", Bigint),
            ]),
        )
        .comment("input: body as JSON text, or its S3 path when delivered apart"),
        Column::new(
            "output",
            ColumnType::structure([
                ("outputcontenttype", String),
                ("outputbodyjson", String),
                ("outputbodys3path", String),
                ("outputtokencount", Bigint),
            ]),
        )
        .comment("output: body as JSON text, or its S3 path when delivered apart"),
        Column::new("performanceconfig", ColumnType::structure([("latency", String)]))
            .comment("performanceConfig.latency"),
    ]
}

/// `YYYY-MM-DD` as year, month and day, if it is a day of the calendar.
pub(crate) fn parse_day(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || [(y, 4), (m, 2), (d, 2)]
            .iter()
            .any(|(p, n)| p.len() != *n || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1 && (1..=days).contains(&d)).then_some((y, m, d))
}

/// Adds what `logAnalytics` asks for over the records under `prefix` of `bucket`.
pub(crate) fn build(
    t: &mut Template,
    config: &Config,
    m: &Publisher<'_>,
    key: &EncryptionKey,
    bucket: Option<&SecureBucket>,
    prefix: &Expr,
) {
    let (Some(analytics), Some(bucket)) = (&config.log_analytics, bucket) else { return };
    if !config.enable_audit_logging_to_s3 {
        return;
    }
    let mut failures = Vec::new();
    if let Err(e) = add(t, analytics, m, key, bucket, prefix) {
        failures.push(format!("logAnalytics: {e}"));
    }
    monitoring::report(t, failures);
}

fn add(
    t: &mut Template,
    analytics: &LogAnalytics,
    m: &Publisher<'_>,
    key: &EncryptionKey,
    bucket: &SecureBucket,
    prefix: &Expr,
) -> Result<(), Box<dyn std::error::Error>> {
    let naming = m.naming;
    // The records' folder: this account's and region's, under the configured prefix.
    let records = Expr::concat([
        prefix.clone(),
        "/AWSLogs/".into(),
        Expr::pseudo(Pseudo::AccountId),
        "/BedrockModelInvocationLogs/".into(),
        Expr::pseudo(Pseudo::Region),
        "/".into(),
    ]);
    let in_bucket = |path: Expr| Expr::concat([Expr::from("s3://"), bucket.bucket.r#ref(), "/".into(), path]);

    let database = GlueDatabase::new("InvocationLogs", naming.name_of(NameKind::GlueDatabase, DATABASE))
        .description("Amazon Bedrock model invocation logs delivered to S3")
        .build(t);
    let (y, mo, d) = parse_day(analytics.logs_since()).ok_or("logsSince is not a day")?;
    let hours = DateProjection::new(
        "yyyy/MM/dd/HH",
        DateBound::date(format!("{y:04}/{mo:02}/{d:02}/00")),
        DateBound::Now,
        DateUnit::Hours,
    );
    let table = ProjectedTable::new(
        "Invocations",
        TABLE.into(),
        &database,
        TableLocation::uri(in_bucket(records.clone())),
        Format::Json(JsonSerde::new().ignore_malformed_json(true)),
    )
    .description("Bedrock's model invocation records, one row per record; partitioned by delivery hour (UTC)")
    .columns(columns())
    .partition(PartitionKey::new(HOUR_PARTITION, Projection::Date(hours)))
    .location_template(LocationTemplate::uri(in_bucket(Expr::concat([
        records.clone(),
        format!("${{{HOUR_PARTITION}}}/").into(),
    ]))))
    .build(t)?;

    // Results in a bucket of their own: they can hold prompts, so they are
    // encrypted with the module's key and expire, which the audit bucket's
    // objects never do by default (and cannot under Object Lock).
    let results =
        SecureBucket::new("QueryResults", naming.name_of(NameKind::Bucket, RESULTS_BUCKET), &key.key)
            .lifecycle(Lifecycle {
                transition_to_glacier_after_days: None,
                expire_after_days: Some(analytics.query_results_expire_after_days()),
                noncurrent_version_transition_after_days: None,
                noncurrent_version_expire_after_days: Some(1),
            })
            .build(t);
    exceptions::query_results_bucket(t, &results.bucket);

    let cutoff = BytesScannedCutoff::new(analytics.bytes_scanned_cutoff_per_query())?;
    let workgroup = AthenaWorkgroup::new(
        "InvocationLogs",
        naming.name(NameKind::AthenaWorkgroup, "bedrock-invocation-logs"),
        &results,
        RESULTS_PREFIX,
        cutoff,
    )
    .description("Queries over the Amazon Bedrock model invocation logs in S3")
    .build(t)?;
    for q in &NAMED_QUERIES {
        workgroup.add_named_query(t, q.id, q.name, q.description, database.name(), q.text());
    }
    m.publish(
        t,
        "AthenaWorkgroupName",
        &WORKGROUP_NAME,
        "Athena workgroup of the invocation logs",
        workgroup.name(),
    );

    // One policy that grants querying, attached to the roles named, and to
    // be attached to others (an IAM Identity Center permission set names it).
    let roles: Vec<Expr> = analytics.reader_roles.iter().map(|r| Expr::from(r.as_str())).collect();
    let policy = t.add_resource(
        "QueryInvocationLogsPolicy",
        ManagedPolicy {
            managed_policy_name: Some(naming.name_of(NameKind::IamManagedPolicy, QUERY_POLICY)),
            description: Some(
                "Runs queries over the Amazon Bedrock model invocation logs in its workgroup".into(),
            ),
            roles: (!roles.is_empty()).then(|| roles.into()),
            ..ManagedPolicy::new(PolicyDocument::new(Vec::new()))
        },
        Attributes::new(),
    );
    workgroup.grant_query(t, &policy, &[&table])?;
    bucket.grant_read(t, &policy, [Expr::concat([records, "*".into()])]);
    exceptions::query_policy(t, &policy);
    m.publish(
        t,
        "QueryPolicyArn",
        &QUERY_POLICY_ARN,
        "Policy that lets a role query the invocation logs",
        policy.r#ref(),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_of_the_calendar_only() {
        assert_eq!(parse_day("2024-02-29"), Some((2024, 2, 29)));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-04-31",
            "2024-1-01",
            "24-01-01",
            "2024-01-01-01",
            "",
            "2024/01/01",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_query_reads_only_records_of_its_window() {
        for q in &NAMED_QUERIES {
            let text = q.text();
            assert!(!text.contains("{window}"), "{}", q.name);
            assert!(text.contains(&format!("INTERVAL '{}' DAY", q.days)), "{}", q.name);
            assert!(text.contains(RECORDS), "{}", q.name);
        }
    }
}
