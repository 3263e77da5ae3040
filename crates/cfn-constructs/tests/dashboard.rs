//! The dashboard and saved-query blocks: the exact JSON they write, what
//! CloudFormation makes of the body, and each check with its message.

use cfn_constructs::{
    AccountRegional, AlarmSort, AlarmState, AlarmWidget, Dashboard, EncryptedLogGroup, EncryptionKey,
    GraphMetric, GraphView, LogView, LogWidget, MathExpression, MetricWidget, NameKind, NamingStrategy,
    PeriodOverride, Position, QueryDefinition, QueryDefinitionError, QueryError, Row, Scope, TextWidget,
    YAxis,
};
use cfn_template::resources::cloudwatch::Alarm;
use cfn_template::{parse_sub, Expr, Handle, SubPart, Template};
use serde_json::{json, Value};

fn json(t: &Template) -> Value {
    serde_json::from_str(&t.to_json().expect("blocks make valid templates")).unwrap()
}

fn logs(t: &mut Template) -> EncryptedLogGroup {
    let key = EncryptionKey::new("Logs", AccountRegional.name(NameKind::KmsAlias, "logs")).build(t);
    EncryptedLogGroup::new("Invocations", "/aws/bedrock/invocations".into(), &key.key).build(t)
}

fn alarm(t: &mut Template) -> Handle<Alarm> {
    t.add(
        "ErrorsAlarm",
        Alarm {
            namespace: Some("AWS/Bedrock".into()),
            metric_name: Some("InvocationServerErrors".into()),
            statistic: Some("Sum".into()),
            period: Some(60.into()),
            evaluation_periods: Some(1.into()),
            threshold: Some(0.into()),
            comparison_operator: Some("GreaterThanThreshold".into()),
            ..Alarm::default()
        },
    )
}

/// What CloudFormation makes of an `Fn::Sub` (or a plain string), with
/// sample values for the names it refers to.
fn resolve(value: &Value, samples: &[(&str, &str)]) -> String {
    let (text, vars) = match value {
        Value::String(s) => return s.clone(),
        Value::Object(o) => match &o["Fn::Sub"] {
            Value::String(s) => (s.as_str(), None),
            Value::Array(a) => (a[0].as_str().expect("Fn::Sub text"), a[1].as_object()),
            other => panic!("not an Fn::Sub: {other}"),
        },
        other => panic!("not a string or Fn::Sub: {other}"),
    };
    parse_sub(text)
        .expect("a valid Fn::Sub")
        .into_iter()
        .map(|part| match part {
            SubPart::Literal(l) => l,
            SubPart::Var(v) => match vars.and_then(|vars| vars.get(&v)) {
                Some(inner) => resolve(inner, samples),
                None => samples
                    .iter()
                    .find(|(name, _)| *name == v)
                    .unwrap_or_else(|| panic!("no sample for ${{{v}}}"))
                    .1
                    .to_string(),
            },
        })
        .collect()
}

const SAMPLES: &[(&str, &str)] = &[
    ("AWS::Region", "eu-west-1"),
    ("InvocationsLogGroup", "/aws/bedrock/invocations"),
    ("ErrorsAlarm.Arn", "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:errors"),
];

/// The body as CloudFormation hands it to CloudWatch, parsed.
fn deployed_body(template: &Value, logical_id: &str) -> Value {
    let body = &template["Resources"][logical_id]["Properties"]["DashboardBody"];
    let text = resolve(body, SAMPLES);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the deployed body is not JSON ({e}): {text}"))
}

#[test]
fn a_dashboard_of_every_widget_renders_as_cloudwatch_documents_it() {
    let mut t = Template::new();
    let logs = logs(&mut t);
    let errors = alarm(&mut t);
    let dashboard = Dashboard::new("Bedrock", AccountRegional.name(NameKind::Dashboard, "bedrock"))
        .period_override(PeriodOverride::Inherit)
        .row(Row::new(2).widget(24, TextWidget::new("# Bedrock \"invocations\"").transparent()))
        .row(
            Row::new(6)
                .widget(
                    12,
                    MetricWidget::new("Tokens")
                        .metric(
                            GraphMetric::new("AWS/Bedrock", "InputTokenCount")
                                .dimension("ModelId", "anthropic.claude-3-haiku")
                                .id("input")
                                .visible(false),
                        )
                        .metric(
                            GraphMetric::new("AWS/Bedrock", "OutputTokenCount")
                                .id("output")
                                .label("Out")
                                .stat("p99.9"),
                        )
                        .expression(MathExpression::new("total", "input + output").label("All tokens"))
                        .view(GraphView::TimeSeries)
                        .stacked(true)
                        .stat("Sum")
                        .period(3600)
                        .left_axis(YAxis::new().min(0.0).label("tokens").show_units(false)),
                )
                .widget(
                    12,
                    AlarmWidget::new("Alarms")
                        .alarm(&errors)
                        .sort_by(AlarmSort::State)
                        .states([AlarmState::Alarm]),
                ),
        )
        .row(
            Row::new(8).widget(
                24,
                LogWidget::new("Latest", "fields @timestamp, modelId | sort @timestamp desc | limit 20")
                    .log_group(&logs)
                    .log_group_name("/aws/bedrock/other".into())
                    .view(LogView::Table),
            ),
        )
        .build(&mut t)
        .expect("a valid dashboard");
    assert_eq!(dashboard.dashboard.logical_id(), "BedrockDashboard");

    let template = json(&t);
    let resource = &template["Resources"]["BedrockDashboard"];
    assert_eq!(resource["Type"], "AWS::CloudWatch::Dashboard");
    assert_eq!(resource["Properties"]["DashboardName"], json!({"Fn::Sub": "bedrock-${AWS::Region}"}));
    // One Fn::Sub, referring to the log group and alarm of the template.
    let text =
        resource["Properties"]["DashboardBody"]["Fn::Sub"].as_str().expect("the body is one Fn::Sub text");
    assert!(
        text.contains("SOURCE '${InvocationsLogGroup}' | SOURCE '/aws/bedrock/other' | fields"),
        "{text}"
    );
    assert!(text.contains("\"alarms\":[\"${ErrorsAlarm.Arn}\"]"), "{text}");

    assert_eq!(
        deployed_body(&template, "BedrockDashboard"),
        json!({
            "periodOverride": "inherit",
            "widgets": [
                {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {
                    "markdown": "# Bedrock \"invocations\"", "background": "transparent"}},
                {"type": "metric", "x": 0, "y": 2, "width": 12, "height": 6, "properties": {
                    "title": "Tokens",
                    "view": "timeSeries",
                    "stacked": true,
                    "metrics": [
                        ["AWS/Bedrock", "InputTokenCount", "ModelId", "anthropic.claude-3-haiku",
                            {"id": "input", "visible": false}],
                        ["AWS/Bedrock", "OutputTokenCount", {"id": "output", "label": "Out", "stat": "p99.9"}],
                        [{"expression": "input + output", "id": "total", "label": "All tokens"}]
                    ],
                    "region": "eu-west-1",
                    "stat": "Sum",
                    "period": 3600,
                    "yAxis": {"left": {"min": 0.0, "label": "tokens", "showUnits": false}}}},
                {"type": "alarm", "x": 12, "y": 2, "width": 12, "height": 6, "properties": {
                    "title": "Alarms",
                    "alarms": ["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:errors"],
                    "sortBy": "stateUpdatedTimestamp",
                    "states": ["ALARM"]}},
                {"type": "log", "x": 0, "y": 8, "width": 24, "height": 8, "properties": {
                    "title": "Latest",
                    "query": "SOURCE '/aws/bedrock/invocations' | SOURCE '/aws/bedrock/other' | fields @timestamp, modelId | sort @timestamp desc | limit 20",
                    "region": "eu-west-1",
                    "view": "table"}}
            ]
        })
    );
}

#[test]
fn text_fn_sub_would_read_and_json_specials_survive_deployment() {
    let mut t = Template::new();
    let markdown = "Costs in ${USD} \\ \"quoted\"\nline two\t</end>";
    Dashboard::new("Notes", "notes".into())
        .row(Row::new(3).widget(24, TextWidget::new(markdown)))
        .row(Row::new(3).widget(24, TextWidget::new(Expr::sub("Region \"${AWS::Region}\""))))
        .build(&mut t)
        .unwrap();
    let template = json(&t);
    let body = deployed_body(&template, "NotesDashboard");
    assert_eq!(body["widgets"][0]["properties"]["markdown"], markdown);
    assert_eq!(body["widgets"][1]["properties"]["markdown"], "Region \"eu-west-1\"");
    let text =
        template["Resources"]["NotesDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"].as_str().unwrap();
    assert!(text.contains("Costs in ${!USD}"), "a literal ${{ is escaped for Fn::Sub: {text}");
}

#[test]
fn a_body_without_deploy_time_values_is_a_plain_string() {
    let mut t = Template::new();
    Dashboard::new("Plain", "plain".into())
        .row(Row::new(2).widget(6, TextWidget::new("hello")))
        .build(&mut t)
        .unwrap();
    let template = json(&t);
    assert_eq!(
        template["Resources"]["PlainDashboard"]["Properties"]["DashboardBody"],
        r#"{"widgets":[{"type":"text","x":0,"y":0,"width":6,"height":2,"properties":{"markdown":"hello"}}]}"#
    );
}

#[test]
fn rows_stack_below_everything_placed_before_them() {
    let mut t = Template::new();
    let text = |s: &str| TextWidget::new(s);
    Dashboard::new("Layout", "layout".into())
        .widget_at(Position { x: 18, y: 0, width: 6, height: 10 }, text("side"))
        .row(Row::new(3).widget(8, text("a")).widget(8, text("b")).widget(8, text("c")))
        .row(Row::new(4).widget(24, text("d")))
        .build(&mut t)
        .unwrap();
    let body = deployed_body(&json(&t), "LayoutDashboard");
    let positions: Vec<Value> = body["widgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| json!([w["x"], w["y"], w["width"], w["height"]]))
        .collect();
    assert_eq!(
        positions,
        vec![
            json!([18, 0, 6, 10]),
            json!([0, 10, 8, 3]),
            json!([8, 10, 8, 3]),
            json!([16, 10, 8, 3]),
            json!([0, 13, 24, 4])
        ]
    );
}

#[test]
fn dashboards_compose_under_scopes() {
    let mut t = Template::new();
    let built = Dashboard::new("Ops", "ops".into())
        .row(Row::new(2).widget(6, TextWidget::new("x")))
        .build(&mut Scope::new(&mut t, "Team"))
        .unwrap();
    assert_eq!(built.dashboard.logical_id(), "TeamOpsDashboard");
    assert_eq!(json(&t)["Resources"]["TeamOpsDashboard"]["Properties"]["DashboardName"], "ops");
}

/// The error of building a dashboard of `rows` named `name`; nothing was added.
fn error_of(name: Expr, rows: Vec<Row>) -> String {
    let mut t = Template::new();
    let mut builder = Dashboard::new("Bad", name);
    for row in rows {
        builder = builder.row(row);
    }
    let error = builder.build(&mut t).expect_err("the dashboard is refused");
    assert!(t.resources().is_empty(), "nothing is added on error");
    error.to_string()
}

fn one(width: u32, widget: impl Into<cfn_constructs::Widget>) -> Vec<Row> {
    vec![Row::new(6).widget(width, widget)]
}

fn graph() -> MetricWidget {
    MetricWidget::new("G").metric(GraphMetric::new("AWS/Bedrock", "Invocations"))
}

#[test]
fn names_outside_what_put_dashboard_takes_are_refused() {
    assert_eq!(
        error_of("bedrock logs".into(), one(6, TextWidget::new("x"))),
        "dashboard name `bedrock logs`: ` ` is not allowed; a dashboard name holds letters, digits, `-` and `_`"
    );
    assert_eq!(
        error_of(Expr::sub("ops/${AWS::Region}"), one(6, TextWidget::new("x"))),
        "dashboard name `ops/`: `/` is not allowed; a dashboard name holds letters, digits, `-` and `_`"
    );
    assert_eq!(
        error_of("a".repeat(256).into(), one(6, TextWidget::new("x"))),
        format!("dashboard name `{}`: is 256 characters long; CloudWatch allows 255", "a".repeat(256))
    );
    assert_eq!(error_of("".into(), one(6, TextWidget::new("x"))), "dashboard name ``: is empty");
}

#[test]
fn the_grid_is_checked() {
    assert_eq!(
        error_of("d".into(), one(0, TextWidget::new("x"))),
        "widget 1 (text): width 0 is not on the grid; a width is 1 to 24 columns"
    );
    assert_eq!(
        error_of("d".into(), vec![Row::new(6).widget(12, graph()).widget(13, graph())]),
        "widget 2 (metric \"G\"): at column 12 with width 13 it reaches column 25, past the grid's 24; \
         x + width must be at most 24"
    );
    assert_eq!(
        error_of("d".into(), vec![Row::new(1001).widget(6, graph())]),
        "widget 1 (metric \"G\"): height 1001 is not allowed; a height is 1 to 1000 rows"
    );
    assert_eq!(
        error_of("d".into(), vec![Row::new(0).widget(6, graph())]),
        "widget 1 (metric \"G\"): height 0 is not allowed; a height is 1 to 1000 rows"
    );
    let far = Dashboard::new("Far", "far".into())
        .widget_at(Position { x: u32::MAX, y: 0, width: 1, height: 1 }, TextWidget::new("x"))
        .build(&mut Template::new())
        .expect_err("off the grid");
    assert_eq!(
        far.to_string(),
        format!(
            "widget 1 (text): at column {} with width 1 it reaches column {}, past the grid's 24; x + width must be \
             at most 24",
            u32::MAX,
            u32::MAX
        )
    );
    let rows: Vec<Row> = (0..501).map(|_| Row::new(1).widget(1, TextWidget::new("x"))).collect();
    assert_eq!(error_of("d".into(), rows), "the dashboard has 501 widgets; CloudWatch allows at most 500");
}

#[test]
fn graphs_are_checked() {
    assert_eq!(
        error_of("d".into(), one(6, MetricWidget::new("G"))),
        "widget 1 (metric \"G\"): `metrics` is empty; it needs a value"
    );
    assert_eq!(
        error_of("d".into(), one(6, MetricWidget::new("G").metric(GraphMetric::new("", "Invocations")))),
        "widget 1 (metric \"G\"): `metrics[1].namespace` is empty; it needs a value"
    );
    assert_eq!(
        error_of("d".into(), one(6, graph().expression(MathExpression::new("e1", " ")))),
        "widget 1 (metric \"G\"): `metrics[2].expression` is empty; it needs a value"
    );
    assert_eq!(
        error_of("d".into(), one(6, graph().period(90))),
        "widget 1 (metric \"G\"): `period` is 90 seconds; a period is 1, 5, 10 or 30 (high-resolution metrics) \
         or a multiple of 60"
    );
    assert_eq!(
        error_of("d".into(), one(6, MetricWidget::new("G").metric(GraphMetric::new("N", "M").period(45)))),
        "widget 1 (metric \"G\"): `metrics[1].period` is 45 seconds; a period is 1, 5, 10 or 30 (high-resolution \
         metrics) or a multiple of 60"
    );
    assert_eq!(
        error_of("d".into(), one(6, MetricWidget::new("G").metric(GraphMetric::new("N", "M").stat("avg")))),
        "widget 1 (metric \"G\"): `metrics[1].stat` is `avg`, which CloudWatch does not compute; use SampleCount, \
         Average, Sum, Minimum, Maximum, IQM, a percentile such as p99 or p99.9, tm/wm/tc/ts with a percentage \
         (tm90) or TM/WM/TC/TS/PR with bounds (TM(10%:90%), PR(:300))"
    );
    assert!(error_of("d".into(), one(6, graph().stat("p101")))
        .starts_with("widget 1 (metric \"G\"): `stat` is `p101`"));
    assert_eq!(
        error_of("d".into(), one(6, graph().expression(MathExpression::new("Total", "SUM(METRICS())")))),
        "widget 1 (metric \"G\"): id `Total` must start with a lower-case letter"
    );
    assert_eq!(
        error_of("d".into(), one(6, graph().expression(MathExpression::new("a-b", "SUM(METRICS())")))),
        "widget 1 (metric \"G\"): id `a-b` may hold only letters, digits and underscores"
    );
    assert_eq!(
        error_of(
            "d".into(),
            one(
                6,
                MetricWidget::new("G")
                    .metric(GraphMetric::new("N", "M").id("m1"))
                    .expression(MathExpression::new("m1", "m1 * 2"))
            )
        ),
        "widget 1 (metric \"G\"): id `m1` is used twice in the widget; ids must be unique"
    );
    assert_eq!(
        error_of("d".into(), one(6, graph().left_axis(YAxis::new().max(f64::NAN)))),
        "widget 1 (metric \"G\"): `yAxis.left.max` is not a finite number"
    );
    assert_eq!(
        error_of("d".into(), one(6, graph().view(GraphView::Gauge).left_axis(YAxis::new().min(0.0)))),
        "widget 1 (metric \"G\"): a gauge is drawn between the left y-axis minimum and maximum; set both"
    );
}

#[test]
fn metric_quotas_are_checked_per_widget_and_per_dashboard() {
    let many = |n: usize| {
        (0..n).fold(MetricWidget::new("G"), |w, i| w.metric(GraphMetric::new("N", format!("M{i}"))))
    };
    assert_eq!(
        error_of("d".into(), one(6, many(501))),
        "widget 1 (metric \"G\"): 501 metrics; CloudWatch draws at most 500 in one widget"
    );
    let rows: Vec<Row> = (0..6).map(|_| Row::new(6).widget(6, many(500))).collect();
    assert_eq!(
        error_of("d".into(), rows),
        "the dashboard has 3000 metrics across its widgets; CloudWatch allows at most 2500"
    );
}

#[test]
fn text_alarm_and_log_widgets_are_checked() {
    assert_eq!(
        error_of("d".into(), one(6, TextWidget::new(" "))),
        "widget 1 (text): `markdown` is empty; it needs a value"
    );
    assert_eq!(
        error_of("d".into(), one(6, AlarmWidget::new("A"))),
        "widget 1 (alarm \"A\"): `alarms` is empty; it needs a value"
    );
    let crowded =
        (0..101).fold(AlarmWidget::new("A"), |w, i| w.alarm_arn(format!("arn:aws:cloudwatch:r:1:alarm:{i}")));
    assert_eq!(
        error_of("d".into(), one(6, crowded)),
        "widget 1 (alarm \"A\"): 101 alarms; an alarm status widget lists 1 to 100"
    );
    assert_eq!(
        error_of("d".into(), one(6, LogWidget::new("L", "fields @message"))),
        "widget 1 (log \"L\"): the query reads no log group; add one with `log_group` or `log_group_name`"
    );
    assert_eq!(
        error_of("d".into(), one(6, LogWidget::new("L", "fields @message").log_group_name("it's".into()))),
        "widget 1 (log \"L\"): log group name `it's` is not one CloudWatch Logs takes: 1 to 512 letters, digits \
         and . - _ / #"
    );
    assert_eq!(
        error_of("d".into(), one(6, LogWidget::new("L", "fields @message | stat count()").log_group_name("g".into()))),
        "widget 1 (log \"L\"): command 2 of the query starts with `stat`, which is not a Logs Insights command; \
         the commands are addtotals, anomaly, dedup, diff, display, fields, filter, filterIndex, join, limit, \
         lookup, parse, pattern, sort, SOURCE, stats, unmask, unnest"
    );
}

#[test]
fn a_body_larger_than_a_template_carries_is_refused() {
    assert_eq!(
        error_of("d".into(), one(24, TextWidget::new("x".repeat(1_048_576)))),
        "the dashboard body is 1048668 bytes; a template carries at most 1048576: split the widgets across dashboards"
    );
}

#[test]
fn a_query_definition_saves_a_checked_query_over_log_groups() {
    let mut t = Template::new();
    let logs = logs(&mut t);
    let query = QueryDefinition::new(
        "Tokens",
        AccountRegional.name(NameKind::QueryDefinition, "bedrock/tokens-by-principal"),
        "fields identity.arn as principal, input.inputTokenCount as inTokens \
         | stats sum(inTokens) as total by principal | sort total desc",
    )
    .log_group(&logs)
    .log_group_name("/aws/bedrock/other".into())
    .build(&mut t)
    .expect("a valid query");
    assert_eq!(query.query_definition.logical_id(), "TokensQueryDefinition");
    assert_eq!(
        json(&t)["Resources"]["TokensQueryDefinition"],
        json!({
            "Type": "AWS::Logs::QueryDefinition",
            "Properties": {
                "LogGroupNames": [{"Ref": "InvocationsLogGroup"}, "/aws/bedrock/other"],
                "Name": {"Fn::Sub": "bedrock/tokens-by-principal-${AWS::Region}"},
                "QueryLanguage": "CWLI",
                "QueryString": "fields identity.arn as principal, input.inputTokenCount as inTokens \
                    | stats sum(inTokens) as total by principal | sort total desc"
            }
        })
    );
}

#[test]
fn a_query_definition_without_log_groups_leaves_them_to_whoever_runs_it() {
    let mut t = Template::new();
    QueryDefinition::new("Errors", "errors".into(), "filter ispresent(errorCode)").build(&mut t).unwrap();
    let properties = &json(&t)["Resources"]["ErrorsQueryDefinition"]["Properties"];
    assert_eq!(
        properties,
        &json!({"Name": "errors", "QueryLanguage": "CWLI", "QueryString": "filter ispresent(errorCode)"})
    );
}

fn query_error(name: Expr, query: &str, log_group: Option<&str>) -> (QueryDefinitionError, String) {
    let mut t = Template::new();
    let mut builder = QueryDefinition::new("Bad", name, query);
    if let Some(g) = log_group {
        builder = builder.log_group_name(g.into());
    }
    let error = builder.build(&mut t).expect_err("the query definition is refused");
    assert!(t.resources().is_empty(), "nothing is added on error");
    let message = error.to_string();
    (error, message)
}

#[test]
fn query_definitions_are_checked() {
    assert_eq!(
        query_error("".into(), "fields @message", None).1,
        "query definition name `` is empty; a name has 1 to 255 characters"
    );
    assert_eq!(
        query_error(
            Expr::concat([Expr::from("q".repeat(256)), Expr::r#ref("AWS::Region")]),
            "fields @message",
            None
        )
        .1,
        format!(
            "query definition name `{}` is at least 256 characters long; CloudWatch Logs allows 255",
            "q".repeat(256)
        )
    );
    assert_eq!(
        query_error("q".into(), "fields @message", Some("bad name")).1,
        "log group name `bad name` is not one CloudWatch Logs takes: 1 to 512 letters, digits and . - _ / #"
    );
    assert_eq!(
        query_error("q".into(), "  ", None),
        (
            QueryDefinitionError::Query(QueryError::Empty),
            "query definition: the query is empty: write at least one command, such as `fields @message`"
                .to_string()
        )
    );
    assert_eq!(
        query_error("q".into(), "fields @message | selct x", None).0,
        QueryDefinitionError::Query(QueryError::UnknownCommand { position: 2, command: "selct".into() })
    );
    assert_eq!(
        query_error("q".into(), "fields @message |", None).1,
        "query definition: command 2 of the query is empty: commands are separated by single `|`, with none at \
         either end"
    );
    assert_eq!(
        query_error("q".into(), &format!("fields {}", "a".repeat(10_000)), None).1,
        "query definition: the query is 10007 characters long; CloudWatch Logs accepts at most 10000"
    );
    assert_eq!(
        query_error("q".into(), "filter @message like 'oops", None).1,
        "query definition: the query opens `'` and never closes it"
    );
}
