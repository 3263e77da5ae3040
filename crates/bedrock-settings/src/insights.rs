//! What the module builds over the invocation log group (`logInsights`):
//! metrics from the records, saved Logs Insights queries, a dashboard, and
//! security filters with their alarms.
//!
//! The record is Bedrock's model invocation log (Bedrock User Guide,
//! "Monitor model invocation using CloudWatch Logs"): one JSON object per invocation with
//! `schemaType` `ModelInvocationLog`, `operation`, `modelId`,
//! `identity.arn`, `input.inputTokenCount`, `output.outputTokenCount`,
//! `errorCode` on failures, and the bodies. Bedrock also writes one plain
//! text line to the log group when it checks its permissions; JSON patterns
//! never match it, and no security phrase is in it.
//!
//! Filter patterns follow CloudWatch Logs' documented syntax ("Filter
//! pattern syntax for metric filters"): selectors of letters, digits, `-`
//! and `_` with `[n]` for array elements and no wildcard over arrays; `=`
//! and `!=` on strings with `*` at either end; numeric comparisons; `&&`
//! binding tighter than `||`; quoted phrases joined by `?` for "any of".

use cfn_constructs::{
    Alarm, AlarmSort, AlarmSource, AlarmTarget, AlarmWidget, ComparisonOperator, Dashboard,
    EncryptedLogGroup, GraphMetric, LogView, LogWidget, MathExpression, MetricFilter, NameKind,
    NamingStrategy, Period, QueryDefinition, Row, Statistic, TextWidget, MAX_ALARMS_PER_WIDGET,
};
use cfn_template::Template;

use crate::config::{Config, LogInsights, SecurityFilters};
use crate::monitoring::{self, Built};

/// The namespace of the metrics the filters publish. Not `AWS/Bedrock`:
/// CloudWatch reserves `AWS/` for AWS's own metrics.
pub const NAMESPACE: &str = "BedrockInvocationLogs";

/// Bedrock's own runtime metrics, which the dashboard graphs per model.
const BEDROCK: &str = "AWS/Bedrock";

/// The most phrases of one security filter: the pattern stays far below
/// the 1,024 characters a filter pattern has.
pub(crate) const MAX_PHRASES: usize = 20;

/// The longest phrase: twenty of them, quoted and joined, fit in a pattern.
pub(crate) const MAX_PHRASE_LENGTH: usize = 45;

/// The period of the security alarms and of the dashboard's graphs.
const PERIOD: Period = Period::FIVE_MINUTES;

/// A record of Bedrock's schema. Every filter starts here, so nothing else
/// in the log group (Bedrock's permission-check line, which is no JSON) is
/// counted. Every runtime operation's records match; the `Operation`
/// dimension then takes its values from Bedrock's few operation names.
const RECORD: &str = "$.schemaType = \"ModelInvocationLog\"";

/// A metric the module derives from the records, per model ID and operation.
struct LogMetric {
    /// The logical ID's stem.
    id: &'static str,
    /// The metric's name in [`NAMESPACE`].
    metric: &'static str,
    /// What a record must hold besides being one of Bedrock's.
    condition: Option<&'static str>,
    /// The value published per record: a field, or 1 to count.
    value: &'static str,
}

/// The metrics from the records. Token counts are absent from a record of a
/// failed request, hence the `>= 0` that makes the value field a condition:
/// a filter whose value field is missing would publish nothing useful.
/// Guardrail outcomes: InvokeModel's body carries
/// `amazon-bedrock-guardrailAction`, Converse's `stopReason`; a streaming
/// operation's body is an array of chunks, which no selector can search, so
/// streamed interventions are counted by the saved query instead.
const LOG_METRICS: [LogMetric; 5] = [
    LogMetric { id: "Invocations", metric: "Invocations", condition: None, value: "1" },
    LogMetric {
        id: "InputTokens",
        metric: "InputTokens",
        condition: Some("$.input.inputTokenCount >= 0"),
        value: "$.input.inputTokenCount",
    },
    LogMetric {
        id: "OutputTokens",
        metric: "OutputTokens",
        condition: Some("$.output.outputTokenCount >= 0"),
        value: "$.output.outputTokenCount",
    },
    LogMetric { id: "Errors", metric: "Errors", condition: Some("$.errorCode = *"), value: "1" },
    LogMetric {
        id: "GuardrailInterventions",
        metric: "GuardrailInterventions",
        condition: Some(
            "($.output.outputBodyJson.amazon-bedrock-guardrailAction = \"INTERVENED\" || \
             $.output.outputBodyJson.stopReason = \"guardrail_intervened\")",
        ),
        value: "1",
    },
];

/// A saved query: its logical ID's stem, its name in the folder `bedrock`, its text.
struct SavedQuery {
    id: &'static str,
    name: &'static str,
    query: &'static str,
}

/// Tokens per caller, the query AWS documents for it; the dashboard's log widget.
const TOKENS_BY_CALLER: &str = "fields identity.arn as caller, input.inputTokenCount as inputTokens, \
     output.outputTokenCount as outputTokens | filter schemaType = \"ModelInvocationLog\" | stats \
     sum(inputTokens) as totalInput, sum(outputTokens) as totalOutput, count(*) as calls by caller | sort \
     totalInput desc";

/// The saved queries. Only Converse records carry a latency, the response's
/// `metrics.latencyMs` (Converse API reference): a streamed response has it in
/// its last chunk, which a query cannot address by name, and InvokeModel
/// bodies are the model's own. The slowest models of every operation are on
/// the dashboard (`InvocationLatency`), and the largest requests, whose tokens
/// drive latency, are found here.
const SAVED_QUERIES: [SavedQuery; 6] = [
    SavedQuery {
        id: "TokensByCallerAndModel",
        name: "bedrock/tokens-by-caller-and-model-per-day",
        query: "filter schemaType = \"ModelInvocationLog\" | stats sum(input.inputTokenCount) as inputTokens, \
                sum(output.outputTokenCount) as outputTokens, count(*) as calls by bin(1d), identity.arn, modelId \
                | sort inputTokens desc",
    },
    SavedQuery {
        id: "ErrorsByCaller",
        name: "bedrock/errors-by-caller",
        query: "filter ispresent(errorCode) | stats count(*) as errors by identity.arn, errorCode, modelId, \
                operation | sort errors desc",
    },
    SavedQuery {
        id: "SlowestRequests",
        name: "bedrock/slowest-converse-requests",
        query: "filter ispresent(output.outputBodyJson.metrics.latencyMs) | fields @timestamp, requestId, \
                identity.arn, modelId, output.outputBodyJson.metrics.latencyMs as latencyMs, \
                input.inputTokenCount, output.outputTokenCount | sort latencyMs desc | limit 50",
    },
    SavedQuery {
        id: "LargestRequests",
        name: "bedrock/largest-requests",
        query: "filter schemaType = \"ModelInvocationLog\" | fields @timestamp, requestId, identity.arn, modelId, \
                operation, input.inputTokenCount + output.outputTokenCount as tokens, input.inputBodyS3Path | sort \
                tokens desc | limit 50",
    },
    SavedQuery {
        id: "TokensByRequestMetadata",
        name: "bedrock/tokens-by-request-metadata",
        query: "filter @message like /\"requestMetadata\":/ | parse @message \
                /\"requestMetadata\":\\s*(?<metadata>\\{[^}]*\\})/ | stats sum(input.inputTokenCount) as \
                inputTokens, sum(output.outputTokenCount) as outputTokens, count(*) as calls by metadata, \
                identity.arn, modelId | sort inputTokens desc",
    },
    SavedQuery {
        id: "GuardrailInterventions",
        name: "bedrock/guardrail-interventions",
        query: "filter @message like /\"amazon-bedrock-guardrailAction\":\\s*\"INTERVENED\"/ or @message like \
                /\"stopReason\":\\s*\"guardrail_intervened\"/ | stats count(*) as interventions by \
                identity.arn, modelId, operation | sort interventions desc",
    },
];

/// Adds what `logInsights` asks for, over the invocation log group.
pub(crate) fn build(
    t: &mut Template,
    config: &Config,
    naming: &dyn NamingStrategy,
    log_group: Option<&EncryptedLogGroup>,
    mut built: Built,
) {
    let (Some(insights), Some(log_group)) = (&config.log_insights, log_group) else { return };
    let mut failures = Vec::new();
    if insights.metric_filters {
        for m in &LOG_METRICS {
            let pattern = match m.condition {
                Some(condition) => format!("{{ {RECORD} && {condition} }}"),
                None => format!("{{ {RECORD} }}"),
            };
            let filter = MetricFilter::new(m.id, log_group, pattern, NAMESPACE, m.metric)
                .value(m.value)
                .unit("Count")
                .dimension("ModelId", "$.modelId")
                .dimension("Operation", "$.operation")
                .build(t);
            if let Err(e) = filter {
                failures.push(format!("logInsights.metricFilters: {e}"));
            }
        }
    }
    if let Some(security) = &insights.security_filters {
        security_filters(t, config, naming, log_group, security, &mut built, &mut failures);
    }
    if insights.saved_queries {
        for q in &SAVED_QUERIES {
            let query = QueryDefinition::new(q.id, naming.name(NameKind::QueryDefinition, q.name), q.query)
                .log_group(log_group)
                .build(t);
            if let Err(e) = query {
                failures.push(format!("logInsights.savedQueries: {e}"));
            }
        }
    }
    if insights.dashboard {
        if let Err(e) = dashboard(t, config, insights, naming, log_group, &built) {
            failures.push(format!("logInsights.dashboard: {e}"));
        }
    }
    monitoring::report(t, failures);
}

/// A text pattern matching a record that holds any of the phrases. The
/// checks keep `"` and `\` out of phrases, so quoting needs no escapes.
pub(crate) fn any_phrase(phrases: &[&str]) -> String {
    phrases.iter().map(|p| format!("?\"{p}\"")).collect::<Vec<_>>().join(" ")
}

/// The prompt-injection and sensitive-data filters, and their alarms.
fn security_filters(
    t: &mut Template,
    config: &Config,
    naming: &dyn NamingStrategy,
    log_group: &EncryptedLogGroup,
    security: &SecurityFilters,
    built: &mut Built,
    failures: &mut Vec<String>,
) {
    let filters = [
        (
            "PromptInjection",
            "PromptInjectionPhrases",
            "bedrock-prompt-injection-phrases",
            security.prompt_injection_phrases(),
            "a prompt-injection phrase",
        ),
        (
            "SensitiveData",
            "SensitiveDataPhrases",
            "bedrock-sensitive-data-phrases",
            security.sensitive_data_phrases(),
            "a sensitive-data phrase",
        ),
    ];
    let target: Option<AlarmTarget> =
        if config.security_filter_alarms() { built.target.clone() } else { None };
    for (id, metric, alarm_name, phrases, what) in filters {
        // A text pattern has no fields, hence no dimensions: one count per filter.
        let filter = match MetricFilter::new(id, log_group, any_phrase(&phrases), NAMESPACE, metric)
            .unit("Count")
            .build(t)
        {
            Ok(filter) => filter,
            Err(e) => {
                failures.push(format!("logInsights.securityFilters: {e}"));
                continue;
            }
        };
        let Some(target) = &target else { continue };
        let alarm = Alarm::new(
            id,
            naming.name(NameKind::Alarm, alarm_name),
            AlarmSource::metric(filter.metric(), Statistic::SUM, PERIOD),
            ComparisonOperator::GreaterThanThreshold,
            0.0,
        )
        .description(format!(
            "An invocation record contains {what}. Find it with Logs Insights on the invocation log group: \
             filter @message like \"<phrase>\" | fields @timestamp, identity.arn, modelId."
        ))
        .alarm_action(target.clone())
        .build(t);
        match alarm {
            Ok(alarm) => built.alarms.push(alarm),
            Err(e) => failures.push(format!("logInsights.securityFilters.alarms: {e}")),
        }
    }
}

/// The dashboard: per model (or account-wide), log deliveries, the metrics
/// from the records, every alarm, tokens by caller.
fn dashboard(
    t: &mut Template,
    config: &Config,
    insights: &LogInsights,
    naming: &dyn NamingStrategy,
    log_group: &EncryptedLogGroup,
    built: &Built,
) -> Result<(), cfn_constructs::DashboardError> {
    let mut d = Dashboard::new("Invocations", naming.name(NameKind::Dashboard, "bedrock-invocations"))
        .row(Row::new(1).widget(24, TextWidget::new("# Amazon Bedrock model invocations").transparent()));
    // The groups of `tokenUsageAlarms.models`, each a row; else one row of
    // the account's totals (the metrics without a dimension).
    let groups: Vec<(String, Vec<&str>)> = match &config.token_usage_alarms {
        Some(a) if !a.models.is_empty() => a
            .models
            .iter()
            .map(|(k, m)| (k.clone(), m.model_ids.iter().map(String::as_str).collect()))
            .collect(),
        _ => vec![("all models".to_string(), Vec::new())],
    };
    for (group, ids) in &groups {
        let per_model = |metric: &str, stat: &str| {
            let base = GraphMetric::new(BEDROCK, metric).stat(stat);
            if ids.is_empty() {
                vec![base]
            } else {
                ids.iter()
                    .map(|id| base.clone().dimension("ModelId", *id).label(format!("{metric} {id}")))
                    .collect()
            }
        };
        let graph = |title: String, series: Vec<(&str, &str)>| {
            series
                .into_iter()
                .flat_map(|(metric, stat)| per_model(metric, stat))
                .fold(cfn_constructs::MetricWidget::new(title).period(PERIOD.seconds()), |w, m| w.metric(m))
        };
        d = d.row(
            Row::new(6)
                .widget(6, graph(format!("Invocations: {group}"), vec![("Invocations", "Sum")]))
                .widget(6, graph(format!("Latency p90 (ms): {group}"), vec![("InvocationLatency", "p90")]))
                .widget(
                    6,
                    graph(
                        format!("Tokens: {group}"),
                        vec![("InputTokenCount", "Sum"), ("OutputTokenCount", "Sum")],
                    ),
                )
                .widget(
                    6,
                    graph(
                        format!("Errors and throttles: {group}"),
                        vec![
                            ("InvocationClientErrors", "Sum"),
                            ("InvocationServerErrors", "Sum"),
                            ("InvocationThrottles", "Sum"),
                        ],
                    ),
                ),
        );
    }
    // Delivery health: every attempt counts once, success or failure, for
    // each destination that is on.
    let mut deliveries =
        cfn_constructs::MetricWidget::new("Log deliveries").period(PERIOD.seconds()).stat("Sum");
    for (on, stem) in [
        (config.enable_audit_logging_to_cloudwatch, "ModelInvocationLogsCloudWatch"),
        (config.enable_audit_logging_to_s3, "ModelInvocationLogsS3"),
        (config.large_data_to_s3(), "ModelInvocationLargeDataS3"),
    ] {
        if on {
            for outcome in ["DeliverySuccess", "DeliveryFailure"] {
                deliveries = deliveries.metric(GraphMetric::new(BEDROCK, format!("{stem}{outcome}")));
            }
        }
    }
    let mut row = Row::new(6).widget(8, deliveries);
    if insights.metric_filters {
        // The records' metrics have a series per model ID and operation,
        // found by SEARCH rather than listed, since callers choose the models.
        // No label: CloudWatch then names each series by its model ID and operation.
        let search = |id: &str, metric: &str| {
            MathExpression::new(
                id,
                format!(
                    "SEARCH('{{{NAMESPACE},ModelId,Operation}} MetricName=\"{metric}\"', 'Sum', {})",
                    PERIOD.seconds()
                ),
            )
        };
        row = row
            .widget(
                8,
                cfn_constructs::MetricWidget::new("Tokens by model and operation (logs)")
                    .expression(search("input", "InputTokens"))
                    .expression(search("output", "OutputTokens")),
            )
            .widget(
                8,
                cfn_constructs::MetricWidget::new("Errors and guardrail interventions (logs)")
                    .expression(search("errors", "Errors"))
                    .expression(search("intervened", "GuardrailInterventions")),
            );
    }
    d = d.row(row);
    for (i, chunk) in built.alarms.chunks(MAX_ALARMS_PER_WIDGET).enumerate() {
        let title = if i == 0 { "Alarms".to_string() } else { format!("Alarms ({})", i + 1) };
        let widget =
            chunk.iter().fold(AlarmWidget::new(title).sort_by(AlarmSort::State), |w, a| w.alarm(&a.alarm));
        d = d.row(Row::new(4).widget(24, widget));
    }
    d = d.row(Row::new(8).widget(
        24,
        LogWidget::new("Tokens by caller", TOKENS_BY_CALLER).log_group(log_group).view(LogView::Table),
    ));
    d.build(t).map(|_| ())
}
