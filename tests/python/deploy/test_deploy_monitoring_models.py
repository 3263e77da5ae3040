"""The monitoring models (deploy_moto_monitoring.py), with the fixture fixtures/monitoring.json.

The stack is deployed, updated and deleted with the real AWS CLI; after each step every
resource is read back with the AWS CLI's own describe/get calls, never from the template.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from deploy_harness import FIXTURES, Account

MONITORING = FIXTURES / "monitoring.json"
STACK = "monitoring-models"
TRAIL = "monitoring-trail"
ALARM = "console-sign-in-failures"
FILTER = "console-sign-in-failures"
LOG_GROUP = "/monitoring/cloudtrail"
WORK_GROUP = "monitoring"
FAILED_SIGN_INS = '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }'
FAILURE_RESPONSES = (
    '{ ($.eventName = "ConsoleLogin") && ($.responseElements.ConsoleLogin = "Failure") }'
)


def alarms(account: Account) -> dict[str, dict[str, Any]]:
    described = account.call("cloudwatch", "describe-alarms")
    return {alarm["AlarmName"]: alarm for alarm in described["MetricAlarms"]}


def metric_filters(account: Account) -> list[dict[str, Any]]:
    described = account.call("logs", "describe-metric-filters", "--log-group-name", LOG_GROUP)
    return described["metricFilters"]


def query_definitions(account: Account) -> list[dict[str, Any]]:
    return account.call("logs", "describe-query-definitions")["queryDefinitions"]


def subscriptions(account: Account, topic_arn: str) -> list[dict[str, Any]]:
    listed = account.call("sns", "list-subscriptions-by-topic", "--topic-arn", topic_arn)
    return listed["Subscriptions"]


def check_deployed(
    account: Account, threshold: float, pattern: str, limit: int, logging: bool
) -> dict[str, str]:
    """Every resource as the template with these parameter values says; returns the outputs."""
    assert account.stack(STACK)["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE")
    outputs = account.outputs(STACK)
    account_id = account.account_id
    key_arn = outputs["KeyArn"]
    topic_arn = outputs["TopicArn"]

    # The trail: to the bucket and the log group, encrypted, and logging as asked.
    trail = account.call("cloudtrail", "get-trail", "--name", TRAIL)["Trail"]
    assert trail["TrailARN"] == outputs["TrailArn"]
    assert trail["TrailARN"] == f"arn:aws:cloudtrail:us-east-1:{account_id}:trail/{TRAIL}"
    assert trail["S3BucketName"] == outputs["BucketName"]
    assert trail["S3KeyPrefix"] == "trail"
    assert trail["KmsKeyId"] == key_arn
    assert trail["IsMultiRegionTrail"] is True
    assert trail["IncludeGlobalServiceEvents"] is True
    assert trail["LogFileValidationEnabled"] is True
    assert trail["CloudWatchLogsLogGroupArn"] == outputs["LogGroupArn"]
    assert trail["CloudWatchLogsRoleArn"] == outputs["TrailRoleArn"]
    status = account.call("cloudtrail", "get-trail-status", "--name", TRAIL)
    assert status["IsLogging"] is logging
    selectors = account.call("cloudtrail", "get-event-selectors", "--trail-name", TRAIL)
    assert selectors["EventSelectors"] == [
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": True,
            "DataResources": [
                {
                    "Type": "AWS::S3::Object",
                    "Values": [f"arn:aws:s3:::{outputs['BucketName']}/"],
                }
            ],
        }
    ]
    tags = account.call("cloudtrail", "list-tags", "--resource-id-list", trail["TrailARN"])
    assert tags["ResourceTagList"][0]["TagsList"] == [{"Key": "purpose", "Value": "monitoring"}]

    # The metric filter, on the log group, with the pattern of this deployment (only one).
    [metric_filter] = metric_filters(account)
    assert metric_filter["filterName"] == FILTER
    assert metric_filter["filterPattern"] == pattern
    assert metric_filter["metricTransformations"] == [
        {
            "metricName": "ConsoleSignInFailures",
            "metricNamespace": "Monitoring/CloudTrail",
            "metricValue": "1",
            "defaultValue": 0.0,
        }
    ]

    # The alarm on the filter's metric, and the metric-math alarm; both notify the topic.
    found = alarms(account)
    assert set(found) == {ALARM, outputs["PerHourAlarmName"]}
    alarm = found[ALARM]
    assert alarm["AlarmArn"] == outputs["AlarmArn"]
    assert alarm["AlarmArn"] == f"arn:aws:cloudwatch:us-east-1:{account_id}:alarm:{ALARM}"
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        "Monitoring/CloudTrail",
        "ConsoleSignInFailures",
    )
    assert (alarm["Statistic"], alarm["Period"], alarm["EvaluationPeriods"]) == ("Sum", 300, 1)
    assert alarm["Threshold"] == threshold
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [topic_arn]
    assert alarm["ActionsEnabled"] is True
    alarm_tags = account.call(
        "cloudwatch", "list-tags-for-resource", "--resource-arn", alarm["AlarmArn"]
    )
    assert alarm_tags["Tags"] == [{"Key": "purpose", "Value": "monitoring"}]
    per_hour = found[outputs["PerHourAlarmName"]]
    # CloudFormation's generated name: <stack>-<logical id>-<suffix>.
    assert per_hour["AlarmName"].startswith(f"{STACK}-SignInFailuresPerHourAlarm-")
    assert "MetricName" not in per_hour
    metrics = {metric["Id"]: metric for metric in per_hour["Metrics"]}
    assert metrics["perHour"]["Expression"] == "failures * 12"
    assert metrics["perHour"]["ReturnData"] is True
    assert metrics["failures"]["ReturnData"] is False
    assert metrics["failures"]["MetricStat"]["Metric"]["MetricName"] == "ConsoleSignInFailures"
    assert metrics["failures"]["MetricStat"]["Stat"] == "Sum"
    assert (per_hour["EvaluationPeriods"], per_hour["DatapointsToAlarm"]) == (3, 2)
    assert per_hour["AlarmActions"] == per_hour["OKActions"] == [topic_arn]

    # The topic: encrypted, with the stack's policy and the email subscription.
    attributes = account.call("sns", "get-topic-attributes", "--topic-arn", topic_arn)
    attributes = attributes["Attributes"]
    assert attributes["KmsMasterKeyId"] == key_arn.split("/")[-1]
    policy = json.loads(attributes["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == [
        "CloudWatchAlarmsPublish",
        "DenyInsecureTransport",
    ]
    assert policy["Statement"][0]["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert policy["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": account_id}
    }
    assert outputs["TopicPolicyId"].startswith(f"{STACK}-TopicPolicy-")
    [subscription] = subscriptions(account, topic_arn)
    assert subscription["SubscriptionArn"] == outputs["SubscriptionArn"]
    assert (subscription["Protocol"], subscription["Endpoint"]) == (
        "email",
        "security@example.com",
    )

    # The query definition, on the log group.
    [definition] = query_definitions(account)
    assert definition["queryDefinitionId"] == outputs["QueryDefinitionId"]
    assert definition["name"] == "monitoring/console-sign-in-failures"
    assert definition["logGroupNames"] == [LOG_GROUP]
    assert definition["queryString"].endswith(f"| limit {limit}")

    # The dashboard shows the alarm.
    body = account.call("cloudwatch", "get-dashboard", "--dashboard-name", "monitoring")
    widget = json.loads(body["DashboardBody"])["widgets"][0]
    assert widget["properties"]["alarms"] == [alarm["AlarmArn"]]

    # The Athena work group and its named query.
    work_group = account.call("athena", "get-work-group", "--work-group", WORK_GROUP)
    configuration = work_group["WorkGroup"]["Configuration"]
    assert configuration["ResultConfiguration"]["OutputLocation"] == (
        f"s3://{outputs['BucketName']}/athena-results/"
    )
    assert configuration["ResultConfiguration"]["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_KMS",
        "KmsKey": key_arn,
    }
    assert configuration["PublishCloudWatchMetricsEnabled"] is True
    query = account.call("athena", "get-named-query", "--named-query-id", outputs["NamedQueryId"])
    query = query["NamedQuery"]
    assert (query["Name"], query["Database"], query["WorkGroup"]) == (
        "console-sign-in-failures",
        "default",
        WORK_GROUP,
    )
    assert query["QueryString"].endswith(f"LIMIT {limit}")
    listed = account.call("athena", "list-named-queries", "--work-group", WORK_GROUP)
    assert listed["NamedQueryIds"] == [outputs["NamedQueryId"]]
    return outputs


def check_gone(account: Account, outputs: dict[str, str]) -> None:
    """Nothing the stack made is left."""
    error = account.call_failing("cloudtrail", "get-trail", "--name", TRAIL)
    assert "TrailNotFoundException" in error
    assert account.call("cloudtrail", "describe-trails")["trailList"] == []
    assert alarms(account) == {}
    described = account.call("logs", "describe-metric-filters")
    assert described["metricFilters"] == []
    assert query_definitions(account) == []
    groups = account.call("logs", "describe-log-groups")["logGroups"]
    assert [g["logGroupName"] for g in groups] == []
    topics = account.call("sns", "list-topics")["Topics"]
    assert topics == []
    assert account.call("sns", "list-subscriptions")["Subscriptions"] == []
    dashboards = account.call("cloudwatch", "list-dashboards")["DashboardEntries"]
    assert dashboards == []
    work_groups = account.call("athena", "list-work-groups")["WorkGroups"]
    assert [w["Name"] for w in work_groups] == ["primary"]
    listed = account.call("athena", "list-named-queries", "--work-group", WORK_GROUP)
    assert listed["NamedQueryIds"] == []
    buckets = account.call("s3api", "list-buckets")["Buckets"]
    assert outputs["BucketName"] not in [b["Name"] for b in buckets]
    # AWS schedules the key's deletion; moto's key model removes it at once.
    described = account.aws("kms", "describe-key", "--key-id", outputs["KeyArn"])
    if described.returncode == 0:
        assert described.json()["KeyMetadata"]["KeyState"] == "PendingDeletion", described
    else:
        assert "NotFoundException" in described.stderr, described


def test_monitoring_stack_deploy_update_delete(account: Account) -> None:
    deployed = account.deploy(MONITORING, STACK)
    assert deployed.returncode == 0, deployed
    first = check_deployed(account, threshold=3.0, pattern=FAILED_SIGN_INS, limit=20, logging=True)

    # The alarm's threshold and the filter's pattern change in place; so does the query
    # definition (same id), while the named query, all of whose properties are create-only,
    # is replaced; the trail stops logging.
    updated = account.deploy(
        MONITORING,
        STACK,
        {
            "AlarmThreshold": "5",
            "FilterPattern": FAILURE_RESPONSES,
            "QueryLimit": "50",
            "Logging": "false",
        },
    )
    assert updated.returncode == 0, updated
    assert account.stack(STACK)["StackStatus"] == "UPDATE_COMPLETE"
    second = check_deployed(
        account, threshold=5.0, pattern=FAILURE_RESPONSES, limit=50, logging=False
    )
    assert second["QueryDefinitionId"] == first["QueryDefinitionId"]
    assert second["NamedQueryId"] != first["NamedQueryId"]
    for unchanged in ("TrailArn", "AlarmArn", "SubscriptionArn", "TopicPolicyId"):
        assert second[unchanged] == first[unchanged], unchanged
    resources = account.resources(STACK)
    assert resources["SignInFailuresNamedQuery"]["PhysicalResourceId"] == second["NamedQueryId"]
    assert resources["Trail"]["PhysicalResourceId"] == TRAIL
    assert resources["SignInFailuresAlarm"]["PhysicalResourceId"] == ALARM

    deleted = account.delete_stack(STACK)
    assert deleted.returncode == 0, deleted
    summaries = account.client("cloudformation").list_stacks()["StackSummaries"]
    assert [s["StackStatus"] for s in summaries if s["StackName"] == STACK] == ["DELETE_COMPLETE"]
    check_gone(account, second)


def test_topic_policy_delete_restores_the_default(account: Account) -> None:
    """Removing the TopicPolicy from the template (an update) puts SNS's default policy back."""
    template = json.loads(MONITORING.read_text(encoding="utf-8"))
    assert account.deploy(MONITORING, STACK).returncode == 0
    topic_arn = account.outputs(STACK)["TopicArn"]
    del template["Resources"]["TopicPolicy"]
    del template["Outputs"]["TopicPolicyId"]
    without = account.server.workdir / f"monitoring-without-policy-{account.account_id}.json"
    without.write_text(json.dumps(template), encoding="utf-8")
    updated = account.deploy(without, STACK)
    assert updated.returncode == 0, updated
    attributes = account.call("sns", "get-topic-attributes", "--topic-arn", topic_arn)
    policy = json.loads(attributes["Attributes"]["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["__default_statement_ID"]
    assert policy["Statement"][0]["Condition"] == {
        "StringEquals": {"AWS:SourceOwner": account.account_id}
    }
    assert account.delete_stack(STACK).returncode == 0


@pytest.mark.parametrize(
    ("resource", "change", "reason"),
    [
        ("SignInFailuresFilter", {"LogGroupName": "/monitoring/missing"}, "ResourceNotFound"),
        ("Trail", {"S3BucketName": "monitoring-no-such-bucket"}, "S3BucketDoesNotExist"),
    ],
)
def test_a_missing_dependency_fails_and_rolls_back(
    account: Account, resource: str, change: dict[str, Any], reason: str
) -> None:
    """The models refuse what the service refuses, and the stack rolls back."""
    template = json.loads(MONITORING.read_text(encoding="utf-8"))
    template["Resources"][resource]["Properties"].update(change)
    broken = account.server.workdir / f"monitoring-broken-{account.account_id}.json"
    broken.write_text(json.dumps(template), encoding="utf-8")
    deployed = account.deploy(broken, STACK)
    assert deployed.returncode != 0, deployed
    stack = account.stack(STACK)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE", stack
    failed = [
        event.get("ResourceStatusReason") or ""
        for event in account.events(STACK)
        if event["ResourceStatus"] == "CREATE_FAILED"
    ]
    assert any(reason in text for text in failed), failed
    assert alarms(account) == {}
    assert account.call("cloudtrail", "describe-trails")["trailList"] == []


def test_create_only_changes_replace_and_the_rest_update_in_place(account: Account) -> None:
    """A new AlarmName replaces the alarm (the old one is deleted); a subscription's filter
    policy and raw delivery change in place, keeping its ARN."""
    assert account.deploy(MONITORING, STACK).returncode == 0
    first = account.outputs(STACK)
    template = json.loads(MONITORING.read_text(encoding="utf-8"))
    template["Resources"]["SignInFailuresAlarm"]["Properties"]["AlarmName"] = "sign-in-failures"
    template["Resources"]["EmailSubscription"]["Properties"].update(
        {"FilterPolicy": {"severity": ["high"]}, "RawMessageDelivery": True}
    )
    changed = account.server.workdir / f"monitoring-changed-{account.account_id}.json"
    changed.write_text(json.dumps(template), encoding="utf-8")
    updated = account.deploy(changed, STACK)
    assert updated.returncode == 0, updated

    second = account.outputs(STACK)
    assert second["AlarmArn"].endswith(":alarm:sign-in-failures")
    assert set(alarms(account)) == {"sign-in-failures", first["PerHourAlarmName"]}
    # The dashboard's body is not checked: moto's update touches only resources whose own
    # template text changed, so it keeps the old alarm ARN where CloudFormation would
    # update it (a gap of moto's stack diff, not of these models).
    assert second["SubscriptionArn"] == first["SubscriptionArn"]
    attributes = account.call(
        "sns",
        "get-subscription-attributes",
        "--subscription-arn",
        second["SubscriptionArn"],
    )["Attributes"]
    assert json.loads(attributes["FilterPolicy"]) == {"severity": ["high"]}
    assert attributes["RawMessageDelivery"] == "true"

    # Back to the original template: the filter policy is removed, raw delivery is off again.
    assert account.deploy(MONITORING, STACK).returncode == 0
    attributes = account.call(
        "sns",
        "get-subscription-attributes",
        "--subscription-arn",
        first["SubscriptionArn"],
    )["Attributes"]
    assert "FilterPolicy" not in attributes
    assert attributes["RawMessageDelivery"] == "false"
    assert set(alarms(account)) == {ALARM, first["PerHourAlarmName"]}
    assert account.delete_stack(STACK).returncode == 0
