"""The monitoring of samples/monitoring-everything.yaml, deployed, updated and deleted.

The template is over the 51,200 bytes ``aws cloudformation deploy`` takes inline, so it goes
through ``--s3-bucket`` as README says. After each step the alarms, metric filters, saved
queries, dashboard and topic are read back with the AWS CLI and compared with what the sample
configuration asks for: the expectations are computed here from the configuration's keys and
README's naming rules, never read from the template.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_expectations import LOG_GROUP, REGION
from deploy_harness import REPO, Account, MotoServer, new_account, synth

SAMPLE = REPO / "crates/bedrock-settings/samples/monitoring-everything.yaml"
STACK = "bedrock-settings-monitoring"

LOG_METRICS = {
    "Invocations",
    "InputTokens",
    "OutputTokens",
    "Errors",
    "GuardrailInterventions",
    "PromptInjectionPhrases",
    "SensitiveDataPhrases",
}
QUERIES = {
    "tokens-by-caller-and-model-per-day",
    "errors-by-caller",
    "slowest-converse-requests",
    "largest-requests",
    "tokens-by-request-metadata",
    "guardrail-interventions",
}


def expected_alarms(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Alarm name -> the properties README promises for it, from the configuration alone."""
    alarms: dict[str, dict[str, Any]] = {}
    tokens = config["tokenUsageAlarms"]
    timing = {
        "Period": tokens.get("periodSeconds", 300),
        "EvaluationPeriods": tokens.get("evaluationPeriods", 1),
        "DatapointsToAlarm": tokens.get("datapointsToAlarm", tokens.get("evaluationPeriods", 1)),
        "ComparisonOperator": "GreaterThanThreshold",
    }
    groups = {"account-total": tokens.get("accountTotal") or {}}
    groups |= {f"model-{name}": model for name, model in (tokens.get("models") or {}).items()}
    for scope, thresholds in groups.items():
        for kind in ("input", "output"):
            if f"{kind}TokenThreshold" in thresholds:
                alarms[f"token-{kind}-{scope}"] = {
                    **timing,
                    "Threshold": thresholds[f"{kind}TokenThreshold"],
                }

    destinations = []
    if config.get("enableAuditLoggingToCloudwatch"):
        destinations.append("cloudwatch")
        if config.get("cloudwatchLargeDataDeliveryToS3", True):
            destinations.append("large-data-s3")
    if config.get("enableAuditLoggingToS3"):
        destinations.append("s3")
    if config.get("deliveryFailureAlarms", True):
        for destination in destinations:
            alarms[f"invocation-logs-{destination}-delivery-failure"] = {
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
            }

    recommended = config.get("recommendedAlarms") or {}
    every_scope = ["account-total", *(f"model-{name}" for name in tokens.get("models") or {})]
    for key, name, defaults in (
        ("throttles", "invocation-throttles", 10),
        ("serverErrors", "invocation-server-errors", 5),
    ):
        settings = recommended.get(key, {})
        if settings.get("enabled", True):
            for scope in every_scope:
                alarms[f"{name}-{scope}"] = {
                    "Threshold": settings.get("threshold", defaults),
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "EvaluationPeriods": settings.get("evaluationPeriods", 3),
                    "DatapointsToAlarm": settings.get("datapointsToAlarm", 2),
                }
    quota = recommended.get("tpmQuota")
    if quota:
        for group, per_minute in quota["quotaTokensPerMinute"].items():
            alarms[f"tpm-quota-model-{group}"] = {
                "Threshold": per_minute * quota.get("percent", 80) / 100,
                "Period": 60,
                "EvaluationPeriods": quota.get("evaluationPeriods", 5),
                "DatapointsToAlarm": quota.get("datapointsToAlarm", 3),
            }
    for key, name in (
        ("latency", "invocation-latency"),
        ("timeToFirstToken", "time-to-first-token"),
    ):
        settings = recommended.get(key) or {}
        for percentile in ("p90", "p99"):
            if percentile in settings:
                for scope in every_scope:
                    alarms[f"{name}-{percentile}-{scope}"] = {"Threshold": settings[percentile]}

    security = (config.get("logInsights") or {}).get("securityFilters")
    if security is not None and security.get("alarms", True):
        for name in ("bedrock-prompt-injection-phrases", "bedrock-sensitive-data-phrases"):
            alarms[name] = {"Threshold": 0, "ComparisonOperator": "GreaterThanThreshold"}
    return {f"{name}-{REGION}": properties for name, properties in alarms.items()}


def deploy(account: Account, tmp_path: Path, config: dict[str, Any], name: str) -> None:
    config_path = tmp_path / f"{name}.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    template = synth(config_path, tmp_path / f"{name}.json", large_template=True)
    result = account.deploy(template, STACK)
    assert result.returncode == 0, f"{result}\n--- moto log ---\n{account.server.log_tail(80)}"


def described_alarms(account: Account) -> dict[str, dict[str, Any]]:
    described = account.call("cloudwatch", "describe-alarms")
    return {alarm["AlarmName"]: alarm for alarm in described["MetricAlarms"]}


def shown_value(alarm: dict[str, Any], key: str) -> Any:
    """``alarm[key]``; for the period of a metric-math alarm (a group of model IDs), the one
    period all of its metrics share."""
    if key != "Period" or "Period" in alarm:
        return alarm.get(key)
    periods = {m["MetricStat"]["Period"] for m in alarm["Metrics"] if "MetricStat" in m}
    assert len(periods) == 1, alarm["AlarmName"]
    return periods.pop()


def check_monitoring(account: Account, config: dict[str, Any]) -> None:
    """Every alarm, filter, query and the dashboard as ``config`` asks, and nothing else."""
    topic_arn = account.outputs(STACK)["AlarmTopicArn"]
    expected = expected_alarms(config)
    alarms = described_alarms(account)
    assert set(alarms) == set(expected)
    for name, properties in expected.items():
        alarm = alarms[name]
        shown = {key: shown_value(alarm, key) for key in properties}
        assert shown == properties, name
        assert alarm["AlarmActions"] == [topic_arn], name
        assert alarm["TreatMissingData"] == "notBreaching", name

    topic = account.call("sns", "get-topic-attributes", "--topic-arn", topic_arn)["Attributes"]
    assert topic["KmsMasterKeyId"] == account.outputs(STACK)["KmsKeyArn"]
    listed = account.call("sns", "list-subscriptions-by-topic", "--topic-arn", topic_arn)
    emails = config["tokenUsageAlarms"].get("notificationEmails", [])
    assert sorted(s["Endpoint"] for s in listed["Subscriptions"]) == sorted(emails)

    log_group = account.outputs(STACK)["LogGroupName"]
    assert log_group == LOG_GROUP.format(region=REGION)
    filters = account.call("logs", "describe-metric-filters", "--log-group-name", log_group)
    metrics = {f["metricTransformations"][0]["metricName"]: f for f in filters["metricFilters"]}
    assert set(metrics) == LOG_METRICS
    for name, found in metrics.items():
        transformation = found["metricTransformations"][0]
        assert transformation["metricNamespace"] == "BedrockInvocationLogs", name
        # The caller is never a dimension: its ARN would make one metric per principal.
        dimensions = set(transformation.get("dimensions") or {})
        assert dimensions <= {"ModelId", "Operation"}, name

    definitions = account.call("logs", "describe-query-definitions")["queryDefinitions"]
    assert {d["name"] for d in definitions} == {f"bedrock/{q}-{REGION}" for q in QUERIES}
    assert all(d["logGroupNames"] == [log_group] for d in definitions)

    dashboard = account.call(
        "cloudwatch", "get-dashboard", "--dashboard-name", f"bedrock-invocations-{REGION}"
    )
    widgets = json.loads(dashboard["DashboardBody"])["widgets"]
    shown_alarms = {
        arn.rsplit(":", 1)[1]
        for widget in widgets
        if widget["type"] == "alarm"
        for arn in widget["properties"]["alarms"]
    }
    assert shown_alarms == set(expected)


@pytest.fixture(scope="module")
def account(moto_server: MotoServer) -> Account:
    return new_account(moto_server)


def test_deployed_updated_and_deleted(account: Account, tmp_path: Path) -> None:
    config = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    deploy(account, tmp_path, config, "everything")
    check_monitoring(account, config)
    topic_arn = account.outputs(STACK)["AlarmTopicArn"]

    # Thresholds raised, the percentiles dropped, one model's alarms gone: updated in place.
    changed = copy.deepcopy(config)
    recommended = changed["recommendedAlarms"]
    recommended["throttles"]["threshold"] = 25
    del recommended["latency"], recommended["timeToFirstToken"]
    del recommended["tpmQuota"]["quotaTokensPerMinute"]["claude-sonnet"]
    changed["tokenUsageAlarms"]["accountTotal"]["inputTokenThreshold"] = 80_000_000
    deploy(account, tmp_path, changed, "changed")
    check_monitoring(account, changed)
    assert account.outputs(STACK)["AlarmTopicArn"] == topic_arn

    deleted = account.delete_stack(STACK)
    assert deleted.returncode == 0, deleted
    assert not described_alarms(account)
    assert not account.call("logs", "describe-query-definitions")["queryDefinitions"]
    assert not account.call("cloudwatch", "list-dashboards")["DashboardEntries"]
    topics = account.call("sns", "list-topics")["Topics"]
    assert all(t["TopicArn"] != topic_arn for t in topics)
