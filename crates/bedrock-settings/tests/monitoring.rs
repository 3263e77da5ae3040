//! The alarms: MDAA's token-use alarms, the delivery-failure alarms, and the
//! topic they notify, exactly as the template states them.

mod common;

use bedrock_settings::{parse_config, synthesize};
use serde_json::{json, Value};

fn template(yaml: &str) -> Value {
    let config = parse_config(yaml, "c.yaml").unwrap_or_else(|e| panic!("{e}"));
    synthesize(&config).synthesize().unwrap_or_else(|e| panic!("{e}"))
}

fn sample() -> Value {
    let (_, yaml) = common::samples().into_iter().find(|(n, _)| n == "token-alarms").expect("the sample");
    template(&yaml)
}

fn alarms(t: &Value) -> Vec<(&String, &Value)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::CloudWatch::Alarm")
        .collect()
}

fn props<'a>(t: &'a Value, id: &str) -> &'a Value {
    let p = &t["Resources"][id]["Properties"];
    assert!(p.is_object(), "no resource {id}");
    p
}

fn sub(text: &str) -> Value {
    json!({ "Fn::Sub": text })
}

const EXISTING_TOPIC: &str = "enableAuditLoggingToCloudwatch: true
tokenUsageAlarms:
  notificationTopicArn: 'arn:{{partition}}:sns:{{region}}:{{account}}:ai-platform-alerts'
  accountTotal:
    inputTokenThreshold: 50000000
";

#[test]
fn the_account_total_alarms_watch_the_undimensioned_token_metrics() {
    let t = sample();
    for (id, metric, threshold, word) in [
        ("TokenInputAccountTotalAlarm", "InputTokenCount", 50_000_000, "input"),
        ("TokenOutputAccountTotalAlarm", "OutputTokenCount", 10_000_000, "output"),
    ] {
        let p = props(&t, id);
        assert_eq!(p["AlarmName"], sub(&format!("token-{word}-account-total-${{AWS::Region}}")));
        assert_eq!(p["Namespace"], "AWS/Bedrock");
        assert_eq!(p["MetricName"], metric);
        assert!(p.get("Dimensions").is_none(), "{id}: the account's total has no dimension");
        assert_eq!(p["Statistic"], "Sum");
        assert_eq!(p["Period"], 3600);
        assert_eq!(p["EvaluationPeriods"], 3);
        assert_eq!(p["DatapointsToAlarm"], 2);
        assert_eq!(p["ComparisonOperator"], "GreaterThanThreshold");
        assert_eq!(p["Threshold"], threshold);
        assert_eq!(p["TreatMissingData"], "notBreaching");
        assert_eq!(p["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));
    }
}

#[test]
fn a_model_group_sums_one_metric_per_model_id() {
    let t = sample();
    let p = props(&t, "TokenInputModelNovaMicroAlarm");
    assert_eq!(p["AlarmName"], sub("token-input-model-nova-micro-${AWS::Region}"));
    assert!(p.get("MetricName").is_none() && p.get("Period").is_none(), "metric math, not a metric");
    let metric = |id: &str, model: &str| {
        json!({
            "Id": id,
            "MetricStat": {
                "Metric": {
                    "Dimensions": [{"Name": "ModelId", "Value": model}],
                    "MetricName": "InputTokenCount",
                    "Namespace": "AWS/Bedrock"
                },
                "Period": 3600,
                "Stat": "Sum"
            },
            "ReturnData": false
        })
    };
    assert_eq!(
        p["Metrics"],
        json!([
            {"Expression": "SUM([m0, m1])", "Id": "total", "Label": "Input tokens, nova-micro", "ReturnData": true},
            metric("m0", "amazon.nova-micro-v1:0"),
            metric("m1", "us.amazon.nova-micro-v1:0"),
        ])
    );
    assert_eq!(p["Threshold"], 20_000_000);
    assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(3), &json!(2)));
    assert_eq!(p["TreatMissingData"], "notBreaching");
    assert_eq!(p["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));
}

#[test]
fn a_group_of_one_model_watches_its_metric_and_only_set_thresholds_alarm() {
    let t = sample();
    let p = props(&t, "TokenOutputModelClaudeSonnetAlarm");
    assert_eq!(p["AlarmName"], sub("token-output-model-claude-sonnet-${AWS::Region}"));
    assert_eq!(p["MetricName"], "OutputTokenCount");
    assert_eq!(
        p["Dimensions"],
        json!([{"Name": "ModelId", "Value": "us.anthropic.claude-sonnet-4-20250514-v1:0"}])
    );
    assert_eq!(
        (&p["Statistic"], &p["Period"], &p["Threshold"]),
        (&json!("Sum"), &json!(3600), &json!(2_000_000))
    );
    // The group sets no input threshold: no input alarm.
    assert!(t["Resources"].get("TokenInputModelClaudeSonnetAlarm").is_none());
}

#[test]
fn timing_defaults_to_five_minutes_one_of_one() {
    let t = template(EXISTING_TOPIC);
    let p = props(&t, "TokenInputAccountTotalAlarm");
    assert_eq!(
        (&p["Period"], &p["EvaluationPeriods"], &p["DatapointsToAlarm"]),
        (&json!(300), &json!(1), &json!(1))
    );
    let m_of_n = template(&format!("{EXISTING_TOPIC}  evaluationPeriods: 4\n"));
    let p = props(&m_of_n, "TokenInputAccountTotalAlarm");
    assert_eq!(
        (&p["EvaluationPeriods"], &p["DatapointsToAlarm"]),
        (&json!(4), &json!(4)),
        "every period, as CloudWatch's default"
    );
}

#[test]
fn delivery_failure_alarms_follow_the_destinations() {
    let target =
        "tokenUsageAlarms:\n  createNotificationTopic: true\n  accountTotal: {inputTokenThreshold: 1}\n";
    for (destinations, expected) in [
        ("enableAuditLoggingToS3: true\n", vec!["S3DeliveryFailureAlarm"]),
        (
            "enableAuditLoggingToCloudwatch: true\ncloudwatchLargeDataDeliveryToS3: false\n",
            vec!["CloudWatchDeliveryFailureAlarm"],
        ),
        (
            "enableAuditLoggingToCloudwatch: true\n",
            vec!["CloudWatchDeliveryFailureAlarm", "LargeDataS3DeliveryFailureAlarm"],
        ),
        (
            "enableAuditLoggingToS3: true\nenableAuditLoggingToCloudwatch: true\n",
            vec![
                "CloudWatchDeliveryFailureAlarm",
                "S3DeliveryFailureAlarm",
                "LargeDataS3DeliveryFailureAlarm",
            ],
        ),
    ] {
        let t = template(&format!("{destinations}{target}"));
        let ids: Vec<&str> =
            alarms(&t).into_iter().map(|(id, _)| id.as_str()).filter(|id| id.contains("Delivery")).collect();
        assert_eq!(ids, expected, "{destinations}");
        for id in ids {
            let p = props(&t, id);
            assert_eq!(p["Namespace"], "AWS/Bedrock");
            let metric = p["MetricName"].as_str().unwrap();
            assert!(metric.starts_with("ModelInvocation") && metric.ends_with("DeliveryFailure"), "{metric}");
            assert!(p.get("Dimensions").is_none(), "{id}: Bedrock counts deliveries across all models");
            assert_eq!((&p["Statistic"], &p["Period"]), (&json!("Sum"), &json!(300)));
            assert_eq!(
                (&p["ComparisonOperator"], &p["Threshold"]),
                (&json!("GreaterThanThreshold"), &json!(0))
            );
            assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(1), &json!(1)));
            assert_eq!(p["TreatMissingData"], "notBreaching");
            assert_eq!(p["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));
        }
        let off = template(&format!("{destinations}{target}deliveryFailureAlarms: false\n"));
        assert!(alarms(&off).iter().all(|(id, _)| !id.contains("Delivery")), "{destinations}: switched off");
    }
    assert_eq!(
        props(&template(&format!("enableAuditLoggingToS3: true\n{target}")), "S3DeliveryFailureAlarm")
            ["AlarmName"],
        sub("invocation-logs-s3-delivery-failure-${AWS::Region}")
    );
}

#[test]
fn the_created_topic_is_encrypted_with_the_module_key_and_cloudwatch_alarms_may_use_it() {
    let t = sample();
    let topic = props(&t, "AlarmsTopic");
    assert_eq!(topic["KmsMasterKeyId"], json!({"Fn::GetAtt": ["AuditKey", "Arn"]}));
    assert_eq!(topic["TopicName"], sub("bedrock-settings-alarms-${AWS::Region}"));
    let conditions = json!({
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnLike": {"aws:SourceArn": sub("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*")}
    });
    let statements = |id: &str, path: &str| props(&t, id)[path]["Statement"].as_array().unwrap().clone();
    let publish = statements("AlarmsTopicPolicy", "PolicyDocument");
    let publish = publish.iter().find(|s| s["Sid"] == "CloudWatchAlarmsPublish").expect("the topic grant");
    assert_eq!(publish["Principal"], json!({"Service": "cloudwatch.amazonaws.com"}));
    assert_eq!(publish["Action"], "sns:Publish");
    assert_eq!(publish["Resource"], json!({"Ref": "AlarmsTopic"}));
    assert_eq!(publish["Condition"], conditions);
    let key = statements("AuditKey", "KeyPolicy");
    let key = key.iter().find(|s| s["Sid"] == "CloudWatchAlarmsPublishKey").expect("the key grant");
    assert_eq!(key["Principal"], json!({"Service": "cloudwatch.amazonaws.com"}));
    assert_eq!(key["Action"], json!(["kms:Decrypt", "kms:GenerateDataKey*"]));
    assert_eq!(key["Resource"], "*");
    assert_eq!(key["Condition"], conditions);
    // Requests without TLS are refused, whoever makes them.
    let deny = statements("AlarmsTopicPolicy", "PolicyDocument");
    assert!(deny
        .iter()
        .any(|s| s["Effect"] == "Deny" && s["Condition"]["Bool"]["aws:SecureTransport"] == "false"));
}

#[test]
fn emails_subscribe_to_the_created_topic() {
    let t = sample();
    let p = props(&t, "AlarmsEmail54DB8445Subscription");
    assert_eq!(p["Protocol"], "email");
    assert_eq!(p["Endpoint"], "platform-oncall@example.com");
    assert_eq!(p["TopicArn"], json!({"Ref": "AlarmsTopic"}));
}

#[test]
fn the_topic_arn_is_published_as_an_output_and_a_parameter() {
    let t = sample();
    assert_eq!(t["Outputs"]["AlarmTopicArn"]["Value"], json!({"Ref": "AlarmsTopic"}));
    let p = props(&t, "AlarmTopicArnParameter");
    assert_eq!(p["Name"], "/bedrock-settings/alarm-topic-arn");
    assert_eq!(p["Type"], "String");
    assert_eq!(p["Value"], json!({"Ref": "AlarmsTopic"}));
    let yaml = "enableAuditLoggingToS3: true\nssmParameterPrefix: /platform/bedrock\ntokenUsageAlarms:\n  createNotificationTopic: true\n  accountTotal: {inputTokenThreshold: 1}\n";
    assert_eq!(props(&template(yaml), "AlarmTopicArnParameter")["Name"], "/platform/bedrock/alarm-topic-arn");
}

#[test]
fn an_existing_topic_is_notified_and_left_alone() {
    let t = template(EXISTING_TOPIC);
    let arn = sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:ai-platform-alerts");
    for (id, alarm) in alarms(&t) {
        assert_eq!(alarm["Properties"]["AlarmActions"], json!([arn]), "{id}");
    }
    let types: Vec<&str> =
        t["Resources"].as_object().unwrap().values().map(|r| r["Type"].as_str().unwrap()).collect();
    assert!(
        !types.iter().any(|ty| ty.starts_with("AWS::SNS::")),
        "no topic, policy or subscription: {types:?}"
    );
    assert!(t["Outputs"].get("AlarmTopicArn").is_none());
    let key = props(&t, "AuditKey")["KeyPolicy"]["Statement"].as_array().unwrap().clone();
    assert!(
        key.iter().all(|s| s["Principal"]["Service"] != "cloudwatch.amazonaws.com"),
        "no grant on our key"
    );
    // Literal region and account stay; the partition is the stack's, as alarms notify only their own.
    let literal = EXISTING_TOPIC.replace("{{region}}:{{account}}", "eu-west-1:111122223333");
    let literal = literal.replace("{{partition}}", "aws");
    let t = template(&literal);
    assert_eq!(
        props(&t, "TokenInputAccountTotalAlarm")["AlarmActions"],
        json!([sub("arn:${AWS::Partition}:sns:eu-west-1:111122223333:ai-platform-alerts")])
    );
}

#[test]
fn an_existing_topic_held_in_ssm_is_read_at_deployment() {
    // `ssm:NAME` as written in a module config, `{{resolve:ssm:NAME}}` as `synth --mdaa`
    // passes MDAA's `ssm:` values on.
    for target in ["ssm:/platform/alerts/topic-arn", "'{{resolve:ssm:/platform/alerts/topic-arn}}'"] {
        let yaml = format!(
            "enableAuditLoggingToCloudwatch: true\ntokenUsageAlarms:\n  notificationTopicArn: {target}\n  accountTotal: {{inputTokenThreshold: 1}}\n"
        );
        let t = template(&yaml);
        assert_eq!(
            props(&t, "TokenInputAccountTotalAlarm")["AlarmActions"],
            json!(["{{resolve:ssm:/platform/alerts/topic-arn}}"]),
            "{target}"
        );
        assert!(t["Resources"].get("AlarmsTopic").is_none());
        assert!(t["Outputs"].get("AlarmTopicArn").is_none());
    }
    for (bad, why) in [
        ("ssm:", "names no parameter"),
        ("ssm:platform/alerts", "not a parameter path"),
        ("ssm:/platform//alerts", "not a parameter path"),
        ("ssm:/platform/alerts/", "not a parameter path"),
        ("ssm:/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", "16 levels deep"),
    ] {
        let yaml = format!(
            "enableAuditLoggingToCloudwatch: true\ntokenUsageAlarms:\n  notificationTopicArn: '{bad}'\n  accountTotal: {{inputTokenThreshold: 1}}\n"
        );
        let e = parse_config(&yaml, "c.yaml").unwrap_err().to_string();
        assert!(e.contains(why), "{bad}: {e}");
    }
    // A name without a hierarchy is a parameter too.
    let yaml = "enableAuditLoggingToCloudwatch: true\ntokenUsageAlarms:\n  notificationTopicArn: ssm:alerts-topic\n  accountTotal: {inputTokenThreshold: 1}\n";
    assert_eq!(
        props(&template(yaml), "TokenInputAccountTotalAlarm")["AlarmActions"],
        json!(["{{resolve:ssm:alerts-topic}}"])
    );
}

#[test]
fn without_token_alarms_there_is_no_alarm_and_no_topic() {
    for (name, yaml) in common::samples() {
        if parse_config(&yaml, &name).unwrap().token_usage_alarms.is_some() {
            continue;
        }
        let t = template(&yaml);
        assert!(alarms(&t).is_empty(), "{name}");
        assert!(t["Resources"].get("AlarmsTopic").is_none(), "{name}");
    }
}

#[test]
fn checked_configs_round_trip_through_the_schema_types() {
    let (_, yaml) = common::samples().into_iter().find(|(n, _)| n == "token-alarms").unwrap();
    let config = parse_config(&yaml, "token-alarms.yaml").unwrap();
    let alarms = config.token_usage_alarms.as_ref().unwrap();
    assert!(alarms.creates_topic());
    assert_eq!(alarms.models.keys().collect::<Vec<_>>(), ["nova-micro", "claude-sonnet"]);
    assert_eq!(
        (alarms.period_seconds(), alarms.evaluation_periods(), alarms.datapoints_to_alarm()),
        (3600, 3, 2)
    );
    assert!(config.delivery_failure_alarms());
    let again = bedrock_settings::validate((*config).clone()).expect("a checked config passes again");
    assert_eq!(synthesize(&again).to_json().unwrap(), synthesize(&config).to_json().unwrap());
}

/// The recommended alarms with everything on, CloudWatch only. Not a sample:
/// with them the token-alarms sample would pass the 51,200 bytes a sample's
/// template may have.
const RECOMMENDED: &str = "enableAuditLoggingToCloudwatch: true
cloudwatchLargeDataDeliveryToS3: false
tokenUsageAlarms:
  createNotificationTopic: true
  accountTotal: {inputTokenThreshold: 50000000}
  models:
    nova-micro:
      modelIds: [amazon.nova-micro-v1:0, us.amazon.nova-micro-v1:0]
      inputTokenThreshold: 20000000
    claude-sonnet:
      modelIds: [us.anthropic.claude-sonnet-4-20250514-v1:0]
      outputTokenThreshold: 2000000
recommendedAlarms:
  tpmQuota:
    quotaTokensPerMinute: {nova-micro: 2000000, claude-sonnet: 200000}
  latency: {p90: 20000, p99: 60000}
  timeToFirstToken: {p90: 3000}
";

const SONNET: &str = "us.anthropic.claude-sonnet-4-20250514-v1:0";

/// A group's metric-math queries: the expression, then one metric per ID.
fn group_queries(expression: (&str, &str, &str), metric: &str, stat: &str, period: u32) -> Value {
    let (id, expr, label) = expression;
    let m = |i: &str, model: &str| {
        json!({
            "Id": i,
            "MetricStat": {
                "Metric": {
                    "Dimensions": [{"Name": "ModelId", "Value": model}],
                    "MetricName": metric,
                    "Namespace": "AWS/Bedrock"
                },
                "Period": period,
                "Stat": stat
            },
            "ReturnData": false
        })
    };
    json!([
        {"Expression": expr, "Id": id, "Label": label, "ReturnData": true},
        m("m0", "amazon.nova-micro-v1:0"),
        m("m1", "us.amazon.nova-micro-v1:0"),
    ])
}

#[test]
fn throttles_and_server_errors_are_on_by_default_account_wide_and_per_group() {
    let t = template(RECOMMENDED);
    for (id, metric, threshold, name) in [
        ("Throttles", "InvocationThrottles", 10, "invocation-throttles"),
        ("ServerErrors", "InvocationServerErrors", 5, "invocation-server-errors"),
    ] {
        let p = props(&t, &format!("{id}AccountTotalAlarm"));
        assert_eq!(p["AlarmName"], sub(&format!("{name}-account-total-${{AWS::Region}}")));
        assert_eq!((&p["Namespace"], &p["MetricName"]), (&json!("AWS/Bedrock"), &json!(metric)));
        assert!(p.get("Dimensions").is_none(), "{id}: every model of the account");
        assert_eq!((&p["Statistic"], &p["Period"]), (&json!("Sum"), &json!(300)));
        assert_eq!(
            (&p["ComparisonOperator"], &p["Threshold"]),
            (&json!("GreaterThanOrEqualToThreshold"), &json!(threshold))
        );
        assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(3), &json!(2)));
        assert_eq!(p["TreatMissingData"], "notBreaching");
        assert_eq!(p["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));
        let d = p["AlarmDescription"].as_str().unwrap();
        assert!(d.contains(&format!("{threshold} or more")) && d.contains("2 of 3"), "{d}");

        // Two IDs: summed by metric math, with the same timing and threshold.
        let p = props(&t, &format!("{id}ModelNovaMicroAlarm"));
        assert_eq!(p["AlarmName"], sub(&format!("{name}-model-nova-micro-${{AWS::Region}}")));
        assert!(p.get("MetricName").is_none() && p.get("Statistic").is_none(), "metric math");
        assert_eq!(
            p["Metrics"],
            group_queries(
                ("total", "SUM([m0, m1])", &format!("{metric} Sum, nova-micro")),
                metric,
                "Sum",
                300
            )
        );
        assert_eq!(
            (&p["ComparisonOperator"], &p["Threshold"]),
            (&json!("GreaterThanOrEqualToThreshold"), &json!(threshold))
        );
        assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(3), &json!(2)));
        assert_eq!(p["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));

        // One ID: the metric itself, on its dimension.
        let p = props(&t, &format!("{id}ModelClaudeSonnetAlarm"));
        assert_eq!(p["MetricName"], metric);
        assert_eq!(p["Dimensions"], json!([{"Name": "ModelId", "Value": SONNET}]));
        assert_eq!(
            (&p["Statistic"], &p["Period"], &p["Threshold"]),
            (&json!("Sum"), &json!(300), &json!(threshold))
        );
    }
}

#[test]
fn the_quota_alarm_watches_each_groups_busiest_id_against_its_quota() {
    let t = template(RECOMMENDED);
    assert!(t["Resources"].get("TpmQuotaAccountTotalAlarm").is_none(), "quotas are per model");
    let p = props(&t, "TpmQuotaModelNovaMicroAlarm");
    assert_eq!(p["AlarmName"], sub("tpm-quota-model-nova-micro-${AWS::Region}"));
    assert_eq!(
        p["Metrics"],
        group_queries(
            ("highest", "MAX([m0, m1])", "EstimatedTPMQuotaUsage Maximum, nova-micro"),
            "EstimatedTPMQuotaUsage",
            "Maximum",
            60
        )
    );
    // 80 % of 2,000,000 tokens a minute.
    assert_eq!(
        (&p["ComparisonOperator"], &p["Threshold"]),
        (&json!("GreaterThanThreshold"), &json!(1_600_000))
    );
    assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(5), &json!(3)));
    assert_eq!(p["TreatMissingData"], "notBreaching");
    assert_eq!(p["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));
    let p = props(&t, "TpmQuotaModelClaudeSonnetAlarm");
    assert_eq!(p["MetricName"], "EstimatedTPMQuotaUsage");
    assert_eq!(p["Dimensions"], json!([{"Name": "ModelId", "Value": SONNET}]));
    assert_eq!(
        (&p["Statistic"], &p["Period"], &p["Threshold"]),
        (&json!("Maximum"), &json!(60), &json!(160_000))
    );

    // The percent and the timing are the configuration's; a group without a quota has no alarm.
    let t = template(&RECOMMENDED.replace(
        "quotaTokensPerMinute: {nova-micro: 2000000, claude-sonnet: 200000}",
        "quotaTokensPerMinute: {claude-sonnet: 333}\n    percent: 50\n    evaluationPeriods: 3\n    datapointsToAlarm: 1",
    ));
    assert!(t["Resources"].get("TpmQuotaModelNovaMicroAlarm").is_none());
    let p = props(&t, "TpmQuotaModelClaudeSonnetAlarm");
    assert_eq!(p["Threshold"], 166.5);
    assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(3), &json!(1)));
}

#[test]
fn latency_percentiles_use_extended_statistics_and_a_groups_slowest_id() {
    let t = template(RECOMMENDED);
    for (id, metric, stat, ms, name) in [
        ("LatencyP90", "InvocationLatency", "p90", 20000, "invocation-latency-p90"),
        ("LatencyP99", "InvocationLatency", "p99", 60000, "invocation-latency-p99"),
        ("TimeToFirstTokenP90", "TimeToFirstToken", "p90", 3000, "time-to-first-token-p90"),
    ] {
        let p = props(&t, &format!("{id}AccountTotalAlarm"));
        assert_eq!(p["AlarmName"], sub(&format!("{name}-account-total-${{AWS::Region}}")));
        assert_eq!(p["MetricName"], metric);
        assert!(p.get("Dimensions").is_none());
        assert_eq!(p["ExtendedStatistic"], stat);
        assert!(p.get("Statistic").is_none(), "{id}: a percentile is an extended statistic");
        assert_eq!(p["Period"], 300);
        assert_eq!((&p["ComparisonOperator"], &p["Threshold"]), (&json!("GreaterThanThreshold"), &json!(ms)));
        assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(3), &json!(2)));
        assert_eq!(p["AlarmActions"], json!([{"Ref": "AlarmsTopic"}]));
        let p = props(&t, &format!("{id}ModelNovaMicroAlarm"));
        assert_eq!(
            p["Metrics"],
            group_queries(
                ("highest", "MAX([m0, m1])", &format!("{metric} {stat}, nova-micro")),
                metric,
                stat,
                300
            )
        );
        assert_eq!(p["Threshold"], ms);
        let p = props(&t, &format!("{id}ModelClaudeSonnetAlarm"));
        assert_eq!((&p["ExtendedStatistic"], &p["Period"]), (&json!(stat), &json!(300)));
        assert_eq!(p["Dimensions"], json!([{"Name": "ModelId", "Value": SONNET}]));
    }
    // Only the percentiles given.
    assert!(t["Resources"].get("TimeToFirstTokenP99AccountTotalAlarm").is_none());
}

#[test]
fn each_kind_switches_and_takes_its_own_threshold_and_timing() {
    let base = "enableAuditLoggingToS3: true
tokenUsageAlarms:
  notificationTopicArn: 'arn:{{partition}}:sns:{{region}}:{{account}}:ai-platform-alerts'
  accountTotal: {inputTokenThreshold: 50000000}
recommendedAlarms:
";
    let recommended = |t: &Value| -> Vec<String> {
        alarms(t)
            .into_iter()
            .map(|(id, _)| id.clone())
            .filter(|id| !id.starts_with("Token") && !id.contains("Delivery"))
            .collect()
    };
    // No groups: account-wide alarms only, to the existing topic.
    let t = template(&format!(
        "{base}  throttles: {{threshold: 50, evaluationPeriods: 6, datapointsToAlarm: 4}}\n"
    ));
    assert_eq!(recommended(&t), ["ThrottlesAccountTotalAlarm", "ServerErrorsAccountTotalAlarm"]);
    let p = props(&t, "ThrottlesAccountTotalAlarm");
    assert_eq!(
        (&p["Threshold"], &p["EvaluationPeriods"], &p["DatapointsToAlarm"]),
        (&json!(50), &json!(6), &json!(4))
    );
    assert_eq!(
        p["AlarmActions"],
        json!([sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:ai-platform-alerts")])
    );
    // One evaluation period: two of them would never happen, so M follows N.
    let t = template(&format!("{base}  serverErrors: {{evaluationPeriods: 1}}\n"));
    let p = props(&t, "ServerErrorsAccountTotalAlarm");
    assert_eq!((&p["EvaluationPeriods"], &p["DatapointsToAlarm"]), (&json!(1), &json!(1)));
    // Switched off, one by one.
    let t = template(&format!("{base}  throttles: {{enabled: false}}\n"));
    assert_eq!(recommended(&t), ["ServerErrorsAccountTotalAlarm"]);
    let t = template(&format!(
        "{base}  throttles: {{enabled: false}}\n  serverErrors: {{enabled: false}}\n  latency: {{p99: 30000}}\n"
    ));
    assert_eq!(recommended(&t), ["LatencyP99AccountTotalAlarm"]);
    // Without the key, none: the other templates are unchanged by it.
    let t = template(EXISTING_TOPIC);
    assert!(recommended(&t).is_empty());
}

#[test]
fn the_dashboard_lists_the_recommended_alarms() {
    let t = template(&format!("{RECOMMENDED}logInsights: {{}}\n"));
    let (_, d) = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["Type"] == "AWS::CloudWatch::Dashboard")
        .expect("a dashboard");
    let body = d["Properties"]["DashboardBody"]["Fn::Sub"].as_str().expect("a body to substitute");
    let all: Vec<String> = alarms(&t).into_iter().map(|(id, _)| id.clone()).collect();
    assert!(all.len() > 20, "{all:?}");
    for id in &all {
        assert!(body.contains(&format!("${{{id}.Arn}}")), "{id} is not on the dashboard");
    }
}

#[test]
fn recommended_alarms_without_a_topic_or_with_a_group_not_listed_are_refused() {
    let err = parse_config("enableAuditLoggingToS3: true\nrecommendedAlarms: {}\n", "c.yaml").unwrap_err();
    let e = &err.0[0];
    assert_eq!((e.key.as_deref(), e.position), (Some("recommendedAlarms"), Some((2, 1))));
    assert!(e.problem.contains("no topic"), "{}", e.problem);
    let err = parse_config(
        &RECOMMENDED.replace("{nova-micro: 2000000,", "{nova-micro: 2000000, nova-pro: 1000,"),
        "c.yaml",
    )
    .unwrap_err();
    let e = &err.0[0];
    assert_eq!(e.key.as_deref(), Some("recommendedAlarms.tpmQuota.quotaTokensPerMinute.nova-pro"));
    assert_eq!(e.position, Some((15, 49)));
}
