//! The alerting blocks: an encrypted topic and who may publish to it, alarms
//! checked against CloudWatch's limits, and metric filters kept to bounded
//! dimensions; and the three together in one valid template.

use cfn_constructs::{
    Alarm, AlarmError, AlarmSource, ComparisonOperator, EncryptedLogGroup, EncryptedTopic, EncryptionKey,
    Grant, Metric, MetricFilter, MetricFilterError, MetricMath, Period, Scope, Stack, Statistic, TopicError,
    TreatMissingData, CONFUSED_DEPUTY_CONDITIONS,
};
use cfn_template::policy::{PolicyDocument, Principal, Statement};
use cfn_template::resources::cloudwatch::alarm::{Metric as L1Metric, MetricDataQuery, MetricStat};
use cfn_template::resources::iam::Role;
use cfn_template::{Expr, Parameter, Template};
use serde_json::{json, Value};

fn json(t: &Template) -> Value {
    serde_json::from_str(&t.to_json().expect("alerting blocks make valid templates")).unwrap()
}

fn key(s: &mut impl Stack) -> EncryptionKey {
    EncryptionKey::new("Alerts", "alias/alerts".into()).build(s)
}

fn topic(t: &mut Template) -> (EncryptionKey, EncryptedTopic) {
    let key = key(t);
    let topic = EncryptedTopic::new("Alerts", Expr::sub("alerts-${AWS::Region}"), &key).build(t);
    (key, topic)
}

fn statements<'a>(v: &'a Value, id: &str) -> &'a Vec<Value> {
    let p = &v["Resources"][id]["Properties"];
    p.get("KeyPolicy").unwrap_or(&p["PolicyDocument"])["Statement"].as_array().expect("statements")
}

fn with_sid<'a>(v: &'a Value, id: &str, sid: &str) -> &'a Value {
    statements(v, id).iter().find(|s| s["Sid"] == sid).unwrap_or_else(|| panic!("{sid} in {id}"))
}

fn role(t: &mut Template) -> cfn_template::Handle<Role> {
    let trust =
        Statement::allow().principal(Principal::service("lambda.amazonaws.com")).action("sts:AssumeRole");
    t.add("Notifier", Role::new(PolicyDocument::new(vec![trust])))
}

const ALARMS_OF_THIS_ACCOUNT: &str =
    "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*";

// ---------------------------------------------------------------------------------------------
// EncryptedTopic
// ---------------------------------------------------------------------------------------------

#[test]
fn the_topic_is_encrypted_with_the_key_and_refuses_requests_without_tls() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    let v = json(&t);
    assert_eq!(
        v["Resources"]["AlertsTopic"],
        json!({
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "FifoTopic": false,
                "KmsMasterKeyId": {"Fn::GetAtt": ["AlertsKey", "Arn"]},
                "TopicName": {"Fn::Sub": "alerts-${AWS::Region}"}
            }
        })
    );
    assert_eq!(
        v["Resources"]["AlertsTopicPolicy"]["Properties"],
        json!({
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sns:*",
                    "Resource": {"Ref": "AlertsTopic"},
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                }]
            },
            "Topics": [{"Ref": "AlertsTopic"}]
        })
    );
    assert_eq!(topic.policy.logical_id(), "AlertsTopicPolicy");
    assert_eq!(topic.key.logical_id(), "AlertsKey");
    assert_eq!(topic.arn(), Expr::r#ref("AlertsTopic"));
}

#[test]
fn cloudwatch_alarms_of_this_account_and_region_publish_and_use_the_key() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    topic.allow_cloudwatch_alarms(&mut t);
    topic.allow_cloudwatch_alarms(&mut t);
    let v = json(&t);
    let conditions = json!({
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnLike": {"aws:SourceArn": {"Fn::Sub": ALARMS_OF_THIS_ACCOUNT}}
    });
    assert_eq!(
        statements(&v, "AlertsTopicPolicy")[1..],
        [json!({
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": {"Ref": "AlertsTopic"},
            "Condition": conditions
        })],
        "one grant, however often it is asked for"
    );
    assert_eq!(
        statements(&v, "AlertsKey")[2..],
        [json!({
            "Sid": "CloudWatchAlarmsPublishKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": conditions
        })]
    );
}

#[test]
fn a_role_of_the_template_publishes_through_its_own_policy_key_included() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    let notifier = role(&mut t);
    topic.grant_publish(&mut t, &notifier);
    let v = json(&t);
    assert_eq!(
        *statements(&v, "NotifierDefaultPolicy"),
        vec![
            json!({"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "AlertsTopic"}}),
            json!({
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": {"Fn::GetAtt": ["AlertsKey", "Arn"]}
            }),
        ]
    );
    assert_eq!(statements(&v, "AlertsTopicPolicy").len(), 1, "the topic policy is untouched");
    assert_eq!(statements(&v, "AlertsKey").len(), 2, "the key policy delegates to IAM");
}

#[test]
fn a_service_grant_is_always_held_to_this_account() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    // No aws:SourceAccount in the grant: the topic adds it, to both statements.
    topic.grant_publish(&mut t, Grant::service("events.amazonaws.com").sid("Rules"));
    let v = json(&t);
    let this_account = json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}});
    assert_eq!(with_sid(&v, "AlertsTopicPolicy", "Rules")["Condition"], this_account);
    assert_eq!(with_sid(&v, "AlertsKey", "RulesKey")["Condition"], this_account);
    assert_eq!(with_sid(&v, "AlertsKey", "RulesKey")["Resource"], "*");
}

#[test]
fn another_account_is_granted_in_the_resource_policies_without_service_conditions() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    topic.grant_publish(&mut t, Grant::aws("arn:aws:iam::111122223333:role/pager").sid("Pager"));
    let v = json(&t);
    assert_eq!(
        *with_sid(&v, "AlertsTopicPolicy", "Pager"),
        json!({
            "Sid": "Pager",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/pager"},
            "Action": "sns:Publish",
            "Resource": {"Ref": "AlertsTopic"}
        })
    );
    assert!(with_sid(&v, "AlertsKey", "PagerKey").get("Condition").is_none());
}

#[test]
fn subscriptions_are_email_or_https_with_documented_ids() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    t.add_parameter("HookUrl", Parameter::new("String"));
    let mail = topic.subscribe_email(&mut t, "Oncall", "oncall@example.com").unwrap();
    let hook = topic.subscribe_https(&mut t, "Pager", "https://hooks.example.com/alerts").unwrap();
    // An endpoint known only at deployment: the protocol keeps it HTTPS.
    topic.subscribe_https(&mut t, "Chat", Expr::r#ref("HookUrl")).unwrap();
    assert_eq!(
        (mail.logical_id(), hook.logical_id()),
        ("AlertsOncallSubscription", "AlertsPagerSubscription")
    );
    let v = json(&t);
    assert_eq!(
        v["Resources"]["AlertsOncallSubscription"],
        json!({
            "Type": "AWS::SNS::Subscription",
            "Properties": {"Endpoint": "oncall@example.com", "Protocol": "email", "TopicArn": {"Ref": "AlertsTopic"}}
        })
    );
    assert_eq!(
        v["Resources"]["AlertsPagerSubscription"]["Properties"],
        json!({"Endpoint": "https://hooks.example.com/alerts", "Protocol": "https", "TopicArn": {"Ref": "AlertsTopic"}})
    );
    assert_eq!(v["Resources"]["AlertsChatSubscription"]["Properties"]["Endpoint"], json!({"Ref": "HookUrl"}));
}

#[test]
fn subscriptions_refuse_what_is_not_https_or_an_address() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    let cases: [(Result<_, TopicError>, &str); 5] = [
        (
            topic.subscribe_https(&mut t, "A", "http://hooks.example.com/alerts"),
            "the HTTPS subscription's endpoint \"http://hooks.example.com/alerts\" is plain HTTP: \
             notifications would cross the network unencrypted; give the endpoint's https:// URL",
        ),
        (
            topic.subscribe_https(&mut t, "B", "HTTP://hooks.example.com"),
            "the HTTPS subscription's endpoint \"HTTP://hooks.example.com\" is plain HTTP: notifications would \
             cross the network unencrypted; give the endpoint's https:// URL",
        ),
        (
            topic.subscribe_https(&mut t, "C", "ftp://files.example.com"),
            "the HTTPS subscription's endpoint \"ftp://files.example.com\" is not an https:// URL; give a URL \
             such as https://hooks.example.com/alerts",
        ),
        (
            topic.subscribe_https(&mut t, "D", "https://"),
            "the HTTPS subscription's endpoint \"https://\" is not an https:// URL; give a URL such as \
             https://hooks.example.com/alerts",
        ),
        (
            topic.subscribe_email(&mut t, "E", "oncall at example.com"),
            "the email subscription's endpoint \"oncall at example.com\" is not an email address; give one \
             such as oncall@example.com",
        ),
    ];
    for (result, message) in cases {
        assert_eq!(result.unwrap_err().to_string(), message);
    }
    for address in ["a@b@example.com", "@example.com", "oncall@localhost", "oncall@example.com."] {
        assert!(topic.subscribe_email(&mut t, "F", address).is_err(), "{address}");
    }
    assert!(json(&t)["Resources"].as_object().unwrap().keys().all(|id| !id.ends_with("Subscription")));
}

// ---------------------------------------------------------------------------------------------
// Alarm
// ---------------------------------------------------------------------------------------------

fn errors_metric() -> Metric {
    Metric::new("AWS/Bedrock", "InvocationServerErrors").dimension("ModelId", "amazon.nova-pro-v1:0")
}

fn alarm_on(source: AlarmSource) -> cfn_constructs::AlarmBuilder {
    Alarm::new("Errors", "bedrock-errors".into(), source, ComparisonOperator::GreaterThanThreshold, 5.0)
        .alarm_action("arn:aws:sns:us-east-1:111122223333:alerts")
}

fn sum_per(period: Period) -> AlarmSource {
    AlarmSource::metric(errors_metric(), Statistic::SUM, period)
}

#[test]
fn a_metric_alarm_writes_every_property_that_decides_when_it_fires() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    let alarm = Alarm::new(
        "Errors",
        "bedrock-errors".into(),
        sum_per(Period::FIVE_MINUTES),
        ComparisonOperator::GreaterThanOrEqualToThreshold,
        5.0,
    )
    .description("Bedrock answers with server errors")
    .evaluation(3, 2)
    .alarm_action(&topic)
    .ok_action(&topic)
    .build(&mut t)
    .unwrap();
    assert_eq!(alarm.alarm.logical_id(), "ErrorsAlarm");
    let v = json(&t);
    assert_eq!(
        v["Resources"]["ErrorsAlarm"]["Properties"],
        json!({
            "AlarmActions": [{"Ref": "AlertsTopic"}],
            "AlarmDescription": "Bedrock answers with server errors",
            "AlarmName": "bedrock-errors",
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "DatapointsToAlarm": 2,
            "Dimensions": [{"Name": "ModelId", "Value": "amazon.nova-pro-v1:0"}],
            "EvaluationPeriods": 3,
            "MetricName": "InvocationServerErrors",
            "Namespace": "AWS/Bedrock",
            "OKActions": [{"Ref": "AlertsTopic"}],
            "Period": 300,
            "Statistic": "Sum",
            "Threshold": 5,
            "TreatMissingData": "notBreaching"
        })
    );
    // Notifying a topic of the template lets CloudWatch alarms publish to it, once.
    let grants: Vec<_> = statements(&v, "AlertsTopicPolicy")
        .iter()
        .filter(|s| s["Sid"] == "CloudWatchAlarmsPublish")
        .collect();
    assert_eq!(grants.len(), 1);
    assert!(statements(&v, "AlertsKey").iter().any(|s| s["Sid"] == "CloudWatchAlarmsPublishKey"));
}

#[test]
fn percentiles_go_to_extended_statistic_and_fractions_stay_fractions() {
    let mut t = Template::new();
    let latency = Metric::new("AWS/Bedrock", "InvocationLatency");
    alarm_on(AlarmSource::metric(latency, Statistic::parse("p90").unwrap(), Period::ONE_MINUTE))
        .treat_missing_data(TreatMissingData::Missing)
        .build(&mut t)
        .unwrap();
    let v = json(&t);
    let p = &v["Resources"]["ErrorsAlarm"]["Properties"];
    assert_eq!(p["ExtendedStatistic"], "p90");
    assert!(p.get("Statistic").is_none() && p.get("Dimensions").is_none());
    assert_eq!(p["TreatMissingData"], "missing");

    let mut t = Template::new();
    Alarm::new(
        "Ratio",
        "ratio".into(),
        sum_per(Period::ONE_MINUTE),
        ComparisonOperator::LessThanThreshold,
        0.25,
    )
    .alarm_action("arn:aws:sns:us-east-1:111122223333:alerts")
    .build(&mut t)
    .unwrap();
    assert_eq!(json(&t)["Resources"]["RatioAlarm"]["Properties"]["Threshold"], json!(0.25));
}

#[test]
fn statistics_are_those_cloudwatch_defines() {
    for valid in [
        "SampleCount",
        "Average",
        "Sum",
        "Minimum",
        "Maximum",
        "p0",
        "p0.0",
        "p50",
        "p99.9",
        "p100",
        "p99.9999999999",
        "tm99",
        "tc90",
        "ts90",
        "wm98",
        "IQM",
        "TM(10%:90%)",
        "TM(2%:98%)",
        "TM(150:1000)",
        "TS(80%:)",
        "TC(0.005:0.030)",
        "WM(:95%)",
        "PR(:300)",
        "PR(100:2000)",
    ] {
        let s = Statistic::parse(valid).unwrap_or_else(|e| panic!("{valid}: {e}"));
        assert_eq!(s.as_str(), valid);
        assert_eq!(
            s.is_extended(),
            !["SampleCount", "Average", "Sum", "Minimum", "Maximum"].contains(&valid)
        );
    }
    for invalid in [
        "",
        "sum",
        "Avg",
        "p",
        "p101",
        "p-1",
        "p9.",
        "p.9",
        "p99.99999999999",
        "P90",
        "tm",
        "iqm",
        "TM()",
        "TM(:)",
        "TM(90%:10%)",
        "TM(10%:90)",
        "TM(10%:190%)",
        "PR(10%:20%)",
        "PR(1:2",
        "XX(1:2)",
        "p 90",
    ] {
        assert_eq!(
            Statistic::parse(invalid).unwrap_err(),
            AlarmError::InvalidStatistic { given: invalid.into() },
            "{invalid}"
        );
    }
    assert_eq!(
        "Avg".parse::<Statistic>().unwrap_err().to_string(),
        "\"Avg\" is not a CloudWatch statistic: use SampleCount, Average, Sum, Minimum, Maximum, a percentile \
         such as p90 or p99.9, tm90, tc90, ts90, wm90, IQM, or a range such as TM(10%:90%) or PR(100:2000)"
    );
}

#[test]
fn periods_are_those_cloudwatch_accepts() {
    for seconds in [10, 20, 30, 60, 120, 300, 3600, 86_400] {
        assert_eq!(Period::from_seconds(seconds).unwrap().seconds(), seconds);
    }
    for seconds in [0, 1, 5, 15, 45, 90, 61] {
        assert_eq!(Period::from_seconds(seconds), Err(AlarmError::InvalidPeriod { seconds }));
    }
    assert_eq!(
        Period::from_seconds(45).unwrap_err().to_string(),
        "a period of 45 s is not one CloudWatch accepts: use 10, 20 or 30 s (high-resolution metrics only) or a \
         multiple of 60 s"
    );
    assert_eq!(Period::minutes(0), Err(AlarmError::InvalidPeriod { seconds: 0 }));
}

#[test]
fn sub_minute_periods_need_a_high_resolution_metric() {
    let ten = Period::from_seconds(10).unwrap();
    let err = alarm_on(sum_per(ten)).build(&mut Template::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a period of 10 s on a standard-resolution metric (AWS/Bedrock metrics and metric filters are) sees no \
         data in most periods and the alarm lapses into INSUFFICIENT_DATA: use 60 s or more, or mark the metric \
         high-resolution if it is published with a storage resolution of 1 s"
    );
    let mut t = Template::new();
    alarm_on(AlarmSource::metric(errors_metric().high_resolution(), Statistic::SUM, ten))
        .build(&mut t)
        .unwrap();
    assert_eq!(json(&t)["Resources"]["ErrorsAlarm"]["Properties"]["Period"], 10);
}

#[test]
fn the_evaluation_range_is_at_most_a_day_under_hourly_periods_and_a_week_otherwise() {
    alarm_on(sum_per(Period::ONE_MINUTE)).evaluation(1440, 1).build(&mut Template::new()).unwrap();
    let err =
        alarm_on(sum_per(Period::ONE_MINUTE)).evaluation(1441, 1).build(&mut Template::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "1441 evaluation periods of 60 s cover 86460 s, more than the 86400 s CloudWatch evaluates (one day for \
         periods under an hour): use fewer or shorter periods"
    );
    alarm_on(sum_per(Period::ONE_HOUR)).evaluation(168, 1).build(&mut Template::new()).unwrap();
    let err = alarm_on(sum_per(Period::ONE_HOUR)).evaluation(169, 1).build(&mut Template::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "169 evaluation periods of 3600 s cover 608400 s, more than the 604800 s CloudWatch evaluates (seven \
         days): use fewer or shorter periods"
    );
}

#[test]
fn m_of_n_needs_m_at_most_n_and_both_at_least_one() {
    let err = alarm_on(sum_per(Period::ONE_MINUTE)).evaluation(2, 3).build(&mut Template::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "3 datapoints to alarm out of 2 evaluation periods can never happen: datapoints to alarm (M of N) must \
         be at most the evaluation periods"
    );
    for (n, m) in [(0, 0), (3, 0)] {
        let err =
            alarm_on(sum_per(Period::ONE_MINUTE)).evaluation(n, m).build(&mut Template::new()).unwrap_err();
        assert_eq!(err.to_string(), "evaluation periods and datapoints to alarm must each be at least 1");
    }
}

#[test]
fn thresholds_dimensions_and_actions_stay_within_limits() {
    let nan = Alarm::new(
        "A",
        "a".into(),
        sum_per(Period::ONE_MINUTE),
        ComparisonOperator::LessThanThreshold,
        f64::NAN,
    )
    .alarm_action("arn:aws:sns:us-east-1:111122223333:alerts")
    .build(&mut Template::new())
    .unwrap_err();
    assert_eq!(nan.to_string(), "the threshold must be a finite number");

    let wide = (0..31).fold(Metric::new("App", "Calls"), |m, i| m.dimension(format!("D{i}"), "x"));
    let err = alarm_on(AlarmSource::metric(wide, Statistic::SUM, Period::ONE_MINUTE))
        .build(&mut Template::new())
        .unwrap_err();
    assert_eq!(err.to_string(), "31 dimensions are more than the 30 a CloudWatch metric has");

    let six = (0..6).fold(alarm_on(sum_per(Period::ONE_MINUTE)), |a, i| {
        a.ok_action(format!("arn:aws:sns:us-east-1:111122223333:t{i}").as_str())
    });
    assert_eq!(
        six.build(&mut Template::new()).unwrap_err().to_string(),
        "6 actions on entering OK are more than the 5 CloudWatch takes: notify one topic and subscribe the rest \
         to it"
    );

    let queue = alarm_on(sum_per(Period::ONE_MINUTE)).alarm_action("arn:aws:sqs:us-east-1:111122223333:q");
    assert_eq!(
        queue.build(&mut Template::new()).unwrap_err().to_string(),
        "\"arn:aws:sqs:us-east-1:111122223333:q\" is not an SNS topic ARN \
         (arn:<partition>:sns:<region>:<account>:<topic>)"
    );

    // An ARN held in SSM is read at deployment, and checked by CloudWatch then.
    let held = alarm_on(sum_per(Period::ONE_MINUTE)).alarm_action("{{resolve:ssm:/alerts/topic-arn}}");
    assert!(held.build(&mut Template::new()).is_ok());
}

#[test]
fn an_alarm_notifies_someone_unless_it_says_why_not() {
    let silent = Alarm::new(
        "Quiet",
        "quiet".into(),
        sum_per(Period::ONE_MINUTE),
        ComparisonOperator::GreaterThanThreshold,
        0.0,
    );
    assert_eq!(
        silent.clone().build(&mut Template::new()).unwrap_err().to_string(),
        "the alarm notifies nobody: give it an alarm or OK action, or say why it needs none with \
         without_actions(reason)"
    );
    let mut t = Template::new();
    silent.without_actions("A composite alarm reads it and notifies.").build(&mut t).unwrap();
    let v = json(&t);
    let suppressed = &v["Resources"]["QuietAlarm"]["Metadata"]["cdk_nag"]["rules_to_suppress"];
    assert_eq!(
        *suppressed,
        json!([
            {"id": "NIST.800.53.R5-CloudWatchAlarmAction", "reason": "A composite alarm reads it and notifies."},
            {"id": "HIPAA.Security-CloudWatchAlarmAction", "reason": "A composite alarm reads it and notifies."}
        ])
    );
}

#[test]
fn actions_can_be_added_once_the_alarm_exists() {
    let mut t = Template::new();
    let (_, topic) = topic(&mut t);
    let alarm = alarm_on(sum_per(Period::ONE_MINUTE)).build(&mut t).unwrap();
    alarm.add_alarm_action(&mut t, &topic).unwrap();
    alarm.add_ok_action(&mut t, &topic).unwrap();
    let v = json(&t);
    let p = &v["Resources"]["ErrorsAlarm"]["Properties"];
    assert_eq!(
        p["AlarmActions"],
        json!(["arn:aws:sns:us-east-1:111122223333:alerts", {"Ref": "AlertsTopic"}])
    );
    assert_eq!(p["OKActions"], json!([{"Ref": "AlertsTopic"}]));
    assert!(statements(&v, "AlertsTopicPolicy").iter().any(|s| s["Sid"] == "CloudWatchAlarmsPublish"));
    for i in 0..4 {
        alarm
            .add_alarm_action(&mut t, format!("arn:aws:sns:us-east-1:111122223333:t{i}").as_str())
            .unwrap_or_else(|e| assert_eq!(e, AlarmError::TooManyActions { state: "ALARM", count: 6 }));
    }
    assert_eq!(
        json(&t)["Resources"]["ErrorsAlarm"]["Properties"]["AlarmActions"].as_array().unwrap().len(),
        5
    );
}

#[test]
fn metric_math_watches_its_one_returning_expression() {
    let mut t = Template::new();
    let math = MetricMath::new("rate", "100 * errors / MAX([errors, calls])", Period::FIVE_MINUTES)
        .label("Server error rate (%)")
        .metric("errors", Metric::new("AWS/Bedrock", "InvocationServerErrors"), Statistic::SUM)
        .metric("calls", Metric::new("AWS/Bedrock", "Invocations"), Statistic::SUM);
    Alarm::new("Rate", "error-rate".into(), math.into(), ComparisonOperator::GreaterThanThreshold, 5.0)
        .alarm_action("arn:aws:sns:us-east-1:111122223333:alerts")
        .build(&mut t)
        .unwrap();
    let v = json(&t);
    let p = &v["Resources"]["RateAlarm"]["Properties"];
    assert_eq!(
        p["Metrics"],
        json!([
            {"Expression": "100 * errors / MAX([errors, calls])", "Id": "rate", "Label": "Server error rate (%)", "ReturnData": true},
            {"Id": "errors", "MetricStat": {"Metric": {"MetricName": "InvocationServerErrors", "Namespace": "AWS/Bedrock"}, "Period": 300, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "calls", "MetricStat": {"Metric": {"MetricName": "Invocations", "Namespace": "AWS/Bedrock"}, "Period": 300, "Stat": "Sum"}, "ReturnData": false}
        ])
    );
    for absent in ["MetricName", "Namespace", "Period", "Statistic", "Dimensions"] {
        assert!(p.get(absent).is_none(), "{absent} belongs to a single-metric alarm");
    }
}

fn stat_query(id: &str, period: u32, stat: &str) -> MetricDataQuery {
    MetricDataQuery {
        metric_stat: Some(MetricStat::new(
            L1Metric {
                metric_name: Some("Invocations".into()),
                namespace: Some("AWS/Bedrock".into()),
                dimensions: None,
            },
            period,
            stat,
        )),
        return_data: Some(false.into()),
        ..MetricDataQuery::new(id)
    }
}

fn expression(id: &str, returns: bool) -> MetricDataQuery {
    MetricDataQuery {
        expression: Some("m1 * 2".into()),
        return_data: Some(returns.into()),
        ..MetricDataQuery::new(id)
    }
}

fn math_error(queries: Vec<MetricDataQuery>) -> String {
    alarm_on(AlarmSource::queries(queries, Period::ONE_MINUTE))
        .build(&mut Template::new())
        .unwrap_err()
        .to_string()
}

#[test]
fn metric_math_queries_are_checked_as_cloudwatch_would() {
    assert_eq!(
        math_error(vec![stat_query("m1", 60, "Sum"), expression("e1", true), expression("e2", true)]),
        "a metric-math alarm watches exactly one query returning data; 2 return data: mark one expression with \
         ReturnData true and every other query false"
    );
    assert_eq!(
        math_error(vec![stat_query("m1", 60, "Sum"), expression("e1", false)]),
        "a metric-math alarm watches exactly one query returning data; 0 return data: mark one expression with \
         ReturnData true and every other query false"
    );
    let mut returning_metric = stat_query("m1", 60, "Sum");
    returning_metric.return_data = Some(true.into());
    assert_eq!(
        math_error(vec![returning_metric]),
        "the query \"m1\" returns data but is no expression: a metric-math alarm watches an expression; alarm \
         on the metric itself instead"
    );
    for id in ["M1", "1m", "m-1", ""] {
        assert_eq!(
            math_error(vec![stat_query(id, 60, "Sum"), expression("e1", true)]),
            format!(
                "{id:?} is not a usable metric-math query ID: IDs start with a lowercase letter, hold only \
                 letters, digits and underscores, and are unique within the alarm"
            )
        );
    }
    assert!(math_error(vec![
        stat_query("m1", 60, "Sum"),
        stat_query("m1", 60, "Sum"),
        expression("e1", true)
    ])
    .starts_with("\"m1\" is not a usable metric-math query ID"));
    assert_eq!(
        math_error(vec![MetricDataQuery::new("m1"), expression("e1", true)]),
        "the query \"m1\" has neither an expression nor a metric"
    );
    assert!(math_error(vec![stat_query("m1", 45, "Sum"), expression("e1", true)])
        .starts_with("a period of 45 s is not one CloudWatch accepts"));
    assert!(math_error(vec![stat_query("m1", 30, "Sum"), expression("e1", true)])
        .starts_with("a period of 30 s on a standard-resolution metric"));
    assert!(math_error(vec![stat_query("m1", 60, "Avg"), expression("e1", true)])
        .starts_with("\"Avg\" is not a CloudWatch statistic"));
    let wide = (0..31).fold(Metric::new("App", "Calls"), |m, i| m.dimension(format!("D{i}"), "x"));
    let math = MetricMath::new("e1", "m1 * 2", Period::ONE_MINUTE).metric("m1", wide, Statistic::SUM);
    assert_eq!(
        alarm_on(math.into()).build(&mut Template::new()).unwrap_err(),
        AlarmError::TooManyDimensions { count: 31 }
    );
}

// ---------------------------------------------------------------------------------------------
// MetricFilter
// ---------------------------------------------------------------------------------------------

const INVOCATIONS: &str = r#"{ $.schemaType = "ModelInvocationLog" }"#;

fn log_group(s: &mut impl Stack) -> EncryptedLogGroup {
    let key = key(s);
    let logs = EncryptedLogGroup::new("Invocations", "/bedrock/invocations".into(), &key.key).build(s);
    key.allow_cloudwatch_logs(s, &[&logs]);
    logs
}

fn filter_error(filter: cfn_constructs::MetricFilterBuilder) -> String {
    filter.build(&mut Template::new()).unwrap_err().to_string()
}

fn tokens(pattern: &str) -> cfn_constructs::MetricFilterBuilder {
    MetricFilter::new("Tokens", "/bedrock/invocations", pattern, "Audit/Bedrock", "InputTokens")
}

#[test]
fn a_metric_filter_writes_its_transformation() {
    let mut t = Template::new();
    let logs = log_group(&mut t);
    let filter = MetricFilter::new("Tokens", &logs, INVOCATIONS, "Audit/Bedrock", "InputTokens")
        .value("$.input.inputTokenCount")
        .unit("Count")
        .dimension("ModelId", "$.modelId")
        .dimension("Operation", "$.operation")
        .filter_name("input-tokens".into())
        .build(&mut t)
        .unwrap();
    assert_eq!(filter.filter.logical_id(), "TokensMetricFilter");
    assert_eq!(filter.dimension_names(), ["ModelId", "Operation"]);
    let v = json(&t);
    assert_eq!(
        v["Resources"]["TokensMetricFilter"]["Properties"],
        json!({
            "FilterName": "input-tokens",
            "FilterPattern": INVOCATIONS,
            "LogGroupName": {"Ref": "InvocationsLogGroup"},
            "MetricTransformations": [{
                "Dimensions": [{"Key": "ModelId", "Value": "$.modelId"}, {"Key": "Operation", "Value": "$.operation"}],
                "MetricName": "InputTokens",
                "MetricNamespace": "Audit/Bedrock",
                "MetricValue": "$.input.inputTokenCount",
                "Unit": "Count"
            }]
        })
    );
    assert_eq!(filter.metric(), Metric::new("Audit/Bedrock", "InputTokens"));
}

#[test]
fn a_counting_filter_publishes_one_and_may_publish_a_default() {
    let mut t = Template::new();
    MetricFilter::new("Denied", "/bedrock/invocations", "[ip, user, status=403, ...]", "App", "Denied")
        .default_value(0.0)
        .build(&mut t)
        .unwrap();
    let v = json(&t);
    let transformation = &v["Resources"]["DeniedMetricFilter"]["Properties"]["MetricTransformations"][0];
    assert_eq!(
        *transformation,
        json!({"DefaultValue": 0.0, "MetricName": "Denied", "MetricNamespace": "App", "MetricValue": "1"})
    );
}

#[test]
fn metric_filters_refuse_what_cloudwatch_logs_would() {
    assert_eq!(
        filter_error(tokens("  ")),
        "the filter pattern is empty, which matches every event, Bedrock's permission-check line included: \
         match what you count, such as { $.schemaType = \"ModelInvocationLog\" }"
    );
    assert_eq!(
        filter_error(tokens(&"x".repeat(1025))),
        "the filter pattern has 1025 characters, more than the 1024 CloudWatch Logs accepts: split it into \
         several filters"
    );
    let four =
        ["a", "b", "c", "d"].iter().fold(tokens(INVOCATIONS), |f, d| f.dimension(*d, format!("$.{d}")));
    assert_eq!(filter_error(four), "4 dimensions are more than the 3 a metric filter takes");
    assert_eq!(
        filter_error(tokens("ERROR").dimension("ModelId", "$.modelId")),
        "dimensions take fields of a JSON pattern ({ $.field = ... }) or a space-delimited one ([field1, field2, \
         ...]); the pattern \"ERROR\" has none"
    );
    assert_eq!(
        filter_error(tokens(INVOCATIONS).dimension("ModelId", "modelId")),
        "the dimension \"ModelId\" \"modelId\" is not a field of the pattern: use $.path for a JSON pattern or \
         $name for a space-delimited one"
    );
    assert_eq!(
        filter_error(tokens("[ip, user, status]").dimension("User", "$.user")),
        "the dimension \"User\" \"$.user\" is not a field of the pattern: use $.path for a JSON pattern or $name \
         for a space-delimited one"
    );
    assert_eq!(
        filter_error(tokens(INVOCATIONS).value("tokens")),
        "the metric value \"tokens\" is not a field of the pattern: use $.path for a JSON pattern or $name for a \
         space-delimited one, or a number"
    );
    assert_eq!(
        filter_error(tokens(INVOCATIONS).dimension("ModelId", "$.modelId").default_value(0.0)),
        "a metric filter with dimensions cannot have a default value: CloudWatch Logs would not know which \
         dimension values to emit it under; remove one or the other"
    );
    assert_eq!(
        filter_error(tokens(INVOCATIONS).default_value(f64::INFINITY)),
        "the default value must be a finite number"
    );
    assert!(filter_error(tokens(INVOCATIONS).unit("Tokens"))
        .starts_with("\"Tokens\" is not a CloudWatch unit: use one of Seconds, Microseconds,"));
}

#[test]
fn a_caller_identity_is_no_dimension_unless_accepted_with_a_reason() {
    let refused = |selector: &str| filter_error(tokens(INVOCATIONS).dimension("Caller", selector));
    assert_eq!(
        refused("$.identity.arn"),
        "the dimension \"Caller\" takes $.identity.arn, which names a caller or a single request: every distinct \
         value becomes a custom metric billed on its own, and CloudWatch Logs may disable a filter whose \
         dimensions reach 1,000 distinct values within an hour, so the metric stops. Count per caller with a \
         Logs Insights query instead (stats count() by identity.arn), or accept the cost explicitly with \
         high_cardinality_dimension(name, selector, reason)"
    );
    assert_eq!(
        tokens(INVOCATIONS).dimension("Caller", "$.identity.arn").build(&mut Template::new()).unwrap_err(),
        MetricFilterError::HighCardinalityDimension {
            name: "Caller".into(),
            selector: "$.identity.arn".into()
        }
    );
    for selector in ["$.identity", "$.requestId", "$.requestMetadata.team"] {
        assert!(refused(selector).contains("names a caller or a single request"), "{selector}");
    }
    // Fields that merely start alike are not callers.
    tokens(INVOCATIONS).dimension("Kind", "$.identityType").build(&mut Template::new()).unwrap();

    let mut t = Template::new();
    tokens(INVOCATIONS)
        .high_cardinality_dimension(
            "Caller",
            "$.identity.arn",
            "Three service roles call Bedrock in this account.",
        )
        .build(&mut t)
        .unwrap();
    let v = json(&t);
    assert_eq!(
        v["Resources"]["TokensMetricFilter"]["Metadata"]["Exceptions"],
        json!([{
            "Promise": "BoundedMetricDimensions",
            "Reason": "Dimension Caller takes $.identity.arn: Three service roles call Bedrock in this account."
        }])
    );
}

// ---------------------------------------------------------------------------------------------
// Together
// ---------------------------------------------------------------------------------------------

/// Every `Allow` to a service principal in any policy of the template, with the resource that holds it.
fn service_grants(v: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for (id, resource) in v["Resources"].as_object().unwrap() {
        let p = &resource["Properties"];
        for document in ["KeyPolicy", "PolicyDocument", "AssumeRolePolicyDocument", "ResourcePolicyDocument"]
        {
            for s in p[document]["Statement"].as_array().into_iter().flatten() {
                if s["Effect"] == "Allow" && s["Principal"].get("Service").is_some() {
                    found.push((id.clone(), s.clone()));
                }
            }
        }
    }
    found
}

#[test]
fn an_alarm_on_a_filters_metric_notifies_an_encrypted_topic_in_a_valid_template() {
    let mut t = Template::new();
    let mut monitoring = Scope::new(&mut t, "Monitoring");
    let logs = log_group(&mut monitoring);
    let key = EncryptionKey::new("Topic", "alias/monitoring-alerts".into()).build(&mut monitoring);
    let topic = EncryptedTopic::new("Alerts", "monitoring-alerts".into(), &key).build(&mut monitoring);
    topic.subscribe_email(&mut monitoring, "Oncall", "oncall@example.com").unwrap();
    let errors = MetricFilter::new(
        "Throttled",
        &logs,
        r#"{ $.errorCode = "ThrottlingException" }"#,
        "Audit/Bedrock",
        "Throttled",
    )
    .dimension("ModelId", "$.modelId")
    .build(&mut monitoring)
    .unwrap();
    let metric = errors.metric().dimension("ModelId", "amazon.nova-pro-v1:0");
    Alarm::new(
        "Throttled",
        "bedrock-throttled".into(),
        AlarmSource::metric(metric, Statistic::SUM, Period::FIVE_MINUTES),
        ComparisonOperator::GreaterThanThreshold,
        10.0,
    )
    .evaluation(3, 2)
    .alarm_action(&topic)
    .build(&mut monitoring)
    .unwrap();

    let v = json(&t);
    assert_eq!(
        v["Resources"]["MonitoringThrottledAlarm"]["Properties"]["AlarmActions"],
        json!([{"Ref": "MonitoringAlertsTopic"}])
    );
    assert_eq!(
        v["Resources"]["MonitoringThrottledMetricFilter"]["Properties"]["LogGroupName"],
        json!({"Ref": "MonitoringInvocationsLogGroup"})
    );
    let grants = service_grants(&v);
    assert!(grants.iter().any(|(id, _)| id == "MonitoringTopicKey"), "CloudWatch may use the topic's key");
    for (id, statement) in grants {
        let c = &statement["Condition"];
        let confused_deputy_safe = c["StringEquals"]["aws:SourceAccount"] == json!({"Ref": "AWS::AccountId"})
            && c["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
                .as_str()
                .is_some_and(|arn| arn.contains("${AWS::AccountId}"));
        // The one grant scoped otherwise is CloudWatch Logs' use of the log group's key, recorded as such.
        let recorded = statement["Principal"]["Service"]
            == json!({"Fn::Sub": "logs.${AWS::Region}.${AWS::URLSuffix}"})
            && c["ArnLike"].get("kms:EncryptionContext:aws:logs:arn").is_some()
            && v["Resources"][&id]["Metadata"]["Exceptions"]
                .as_array()
                .is_some_and(|e| e.iter().any(|x| x["Promise"] == CONFUSED_DEPUTY_CONDITIONS));
        assert!(confused_deputy_safe || recorded, "{id}: {statement:#}");
    }
}
