"""The example module's committed template (templates/examples/console-login-alarms.json)
deployed with the real AWS CLI into moto, updated with the template of a changed config, and
deleted; after each step every resource is read back with the AWS CLI, never from the template.

Expected values come from the example's sample config (examples/console-login-alarms/
sample.yaml) and the names its naming strategy gives (`<name>-<region>`, the bucket
`console-sign-ins-<account>-<region>`). The update's template is written by the example's own
binary, `target/debug/console-login-alarms`, built first with `cargo build --bin
console-login-alarms` and refused when older than its sources, as the synth binary is
(synth_binary.py). As everywhere in these suites, moto stores policies without evaluating
them: they are checked as documents.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_harness import REGION, REPO, Account
from synth_binary import check_fresh

EXAMPLE = "console-login-alarms"
TEMPLATE = REPO / "templates" / "examples" / f"{EXAMPLE}.json"
SAMPLE = REPO / "examples" / EXAMPLE / "sample.yaml"
BINARY = REPO / "target" / "debug" / EXAMPLE
STACK = "console-login-alarms"
# The config the update is synthesized from: the sample's, with these changes.
CHANGED = {"failedSignInsPerPeriod": 10, "logRetentionDays": 30}

_BUILT: dict[str, Path] = {}


def example_binary() -> Path:
    """The example's binary, built if needed (a no-op when current) and never a stale one: a
    binary older than its sources would deploy the template of an earlier version."""
    if "path" not in _BUILT:
        subprocess.run(
            ["cargo", "build", "--quiet", "--bin", EXAMPLE], cwd=REPO, check=True, timeout=900
        )
        _BUILT["path"] = check_fresh(BINARY, f"Rebuild it with `cargo build --bin {EXAMPLE}`")
    return _BUILT["path"]


def synthesize(config: dict[str, Any], folder: Path, name: str) -> Path:
    """The example's template of `config`, written by its binary."""
    config_path = folder / f"{name}.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    output = folder / f"{name}.json"
    completed = subprocess.run(
        [str(example_binary()), "--config", str(config_path), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return output


def statements(policy: str) -> dict[str, dict[str, Any]]:
    return {s.get("Sid", ""): s for s in json.loads(policy)["Statement"]}


class Names:
    """The physical names the example's naming strategy gives in this account and region."""

    def __init__(self, account: Account, config: dict[str, Any]) -> None:
        account_id = account.account_id
        self.account_id = account_id
        self.trail = f"{config['trailName']}-{REGION}"
        self.trail_arn = f"arn:aws:cloudtrail:{REGION}:{account_id}:trail/{self.trail}"
        self.bucket = f"console-sign-ins-{account_id}-{REGION}"
        self.log_group = f"/console-sign-ins/trail-{REGION}"
        self.log_group_arn = f"arn:aws:logs:{REGION}:{account_id}:log-group:{self.log_group}"
        self.alias = f"alias/console-sign-ins-{REGION}"
        self.role = f"console-sign-ins-trail-{REGION}"
        self.policy_arn = f"arn:aws:iam::{account_id}:policy/console-sign-ins-trail-{REGION}"
        self.topic_arn = f"arn:aws:sns:{REGION}:{account_id}:console-sign-ins-{REGION}"
        self.alarm = f"failed-console-sign-ins-{REGION}"


def key_arn(account: Account, names: Names) -> str:
    described = account.call("kms", "describe-key", "--key-id", names.alias)
    return described["KeyMetadata"]["Arn"]


def check_key(account: Account, names: Names) -> str:
    """The key: enabled, rotating, its policy letting CloudTrail, CloudWatch Logs (for the log
    group only) and CloudWatch alarms (of this account) use it. Returns its ARN."""
    key = key_arn(account, names)
    assert account.call("kms", "describe-key", "--key-id", key)["KeyMetadata"]["Enabled"] is True
    rotation = account.call("kms", "get-key-rotation-status", "--key-id", key)
    assert rotation["KeyRotationEnabled"] is True
    shown = account.call("kms", "get-key-policy", "--key-id", key, "--policy-name", "default")
    policy = statements(shown["Policy"])
    logs = policy["CloudWatchLogsEncryptsTheseLogGroups"]
    assert logs["Principal"] == {"Service": f"logs.{REGION}.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnLike": {"kms:EncryptionContext:aws:logs:arn": names.log_group_arn}
    }
    trail = policy["AccountTrailEncryptsLogs"]
    assert trail["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert trail["Condition"]["StringEquals"] == {"aws:SourceAccount": names.account_id}
    context = trail["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"]
    assert context == names.trail_arn
    alarms = policy["CloudWatchAlarmsPublishKey"]
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": names.account_id}
    # Every intrinsic was resolved: the stored policy names this account, region and partition.
    assert "Fn::" not in shown["Policy"] and "${" not in shown["Policy"]
    return key


def check_bucket(account: Account, names: Names, key: str) -> None:
    """The bucket: SSE-KMS with the key and Bucket Keys, versioned, private, owner enforced,
    and a policy that denies plain HTTP and lets only this trail write its account's logs."""
    bucket = names.bucket
    encryption = account.call("s3api", "get-bucket-encryption", "--bucket", bucket)
    [rule] = encryption["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": key,
    }
    assert rule["BucketKeyEnabled"] is True
    assert account.call("s3api", "get-bucket-versioning", "--bucket", bucket)["Status"] == "Enabled"
    blocks = account.call("s3api", "get-public-access-block", "--bucket", bucket)
    assert set(blocks["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(blocks["PublicAccessBlockConfiguration"]) == 4
    ownership = account.call("s3api", "get-bucket-ownership-controls", "--bucket", bucket)
    assert ownership["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    policy = statements(account.call("s3api", "get-bucket-policy", "--bucket", bucket)["Policy"])
    tls = policy["DenyInsecureTransport"]
    assert (tls["Effect"], tls["Principal"], tls["Action"]) == ("Deny", "*", "s3:*")
    assert tls["Resource"] == [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    other_keys = policy["DenyUploadsWithOtherKeys"]["Condition"]["StringNotEquals"]
    assert other_keys == {"s3:x-amz-server-side-encryption-aws-kms-key-id": key}
    write = policy["AccountTrailWritesLogs"]
    assert write["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert write["Resource"] == f"arn:aws:s3:::{bucket}/AWSLogs/{names.account_id}/*"
    assert write["Condition"]["StringEquals"] == {
        "aws:SourceAccount": names.account_id,
        "s3:x-amz-acl": "bucket-owner-full-control",
    }
    assert write["Condition"]["ArnLike"] == {"aws:SourceArn": names.trail_arn}


def check_log_group(account: Account, names: Names, key: str, retention: int) -> dict[str, Any]:
    groups = account.call("logs", "describe-log-groups", "--log-group-name-prefix", names.log_group)
    [group] = groups["logGroups"]
    assert group["logGroupName"] == names.log_group
    assert group["kmsKeyId"] == key
    assert group["retentionInDays"] == retention
    return group


def check_deployed(account: Account, config: dict[str, Any], pattern: str) -> dict[str, Any]:
    """Every resource as the example with `config` makes it; returns what an update must keep."""
    assert account.stack(STACK)["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE")
    names = Names(account, config)
    key = check_key(account, names)
    check_bucket(account, names, key)
    group = check_log_group(account, names, key, config["logRetentionDays"])

    # The trail: every region, validated, encrypted with the key, into the bucket and the log
    # group through its role, logging.
    trail = account.call("cloudtrail", "get-trail", "--name", names.trail)["Trail"]
    assert trail["TrailARN"] == names.trail_arn
    assert trail["S3BucketName"] == names.bucket
    assert trail["KmsKeyId"] == key
    assert trail["IsMultiRegionTrail"] is True
    assert trail["IncludeGlobalServiceEvents"] is True
    assert trail["LogFileValidationEnabled"] is True
    assert trail["CloudWatchLogsLogGroupArn"] == names.log_group_arn
    role = account.call("iam", "get-role", "--role-name", names.role)["Role"]
    assert trail["CloudWatchLogsRoleArn"] == role["Arn"]
    # moto's role model leaves ManagedPolicyArns unattached, so the policy is read on its own:
    # the role's stream writes, on the trail's streams of the log group alone.
    managed = account.call("iam", "get-policy", "--policy-arn", names.policy_arn)["Policy"]
    version = account.call(
        "iam",
        "get-policy-version",
        "--policy-arn",
        names.policy_arn,
        "--version-id",
        managed["DefaultVersionId"],
    )
    document = version["PolicyVersion"]["Document"]
    document = json.loads(document) if isinstance(document, str) else document
    [write_events] = document["Statement"]
    assert write_events["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert write_events["Resource"] == (
        f"{names.log_group_arn}:log-stream:{names.account_id}_CloudTrail_{REGION}*"
    )
    status = account.call("cloudtrail", "get-trail-status", "--name", names.trail)
    assert status["IsLogging"] is True
    selectors = account.call("cloudtrail", "get-event-selectors", "--trail-name", names.trail)
    assert selectors["EventSelectors"] == [
        {"ReadWriteType": "All", "IncludeManagementEvents": True}
    ]

    # The topic: encrypted with the key, denying plain HTTP, CloudWatch alarms of this account
    # may publish; each configured address subscribed by email.
    attributes = account.call("sns", "get-topic-attributes", "--topic-arn", names.topic_arn)
    attributes = attributes["Attributes"]
    assert attributes["KmsMasterKeyId"] == key
    policy = statements(attributes["Policy"])
    assert set(policy) == {"DenyInsecureTransport", "CloudWatchAlarmsPublish"}
    tls = policy["DenyInsecureTransport"]
    assert (tls["Effect"], tls["Principal"], tls["Action"]) == ("Deny", "*", "sns:*")
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    publish = policy["CloudWatchAlarmsPublish"]
    assert (publish["Principal"], publish["Action"]) == (
        {"Service": "cloudwatch.amazonaws.com"},
        "sns:Publish",
    )
    assert publish["Condition"] == {
        "StringEquals": {"aws:SourceAccount": names.account_id},
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{names.account_id}:alarm:*"},
    }
    listed = account.call("sns", "list-subscriptions-by-topic", "--topic-arn", names.topic_arn)
    subscriptions = listed["Subscriptions"]
    assert sorted((s["Protocol"], s["Endpoint"]) for s in subscriptions) == sorted(
        ("email", address) for address in config["alarmEmails"]
    )

    # The metric filter counts failed sign-ins in the trail's log group.
    filters = account.call("logs", "describe-metric-filters", "--log-group-name", names.log_group)
    [metric_filter] = filters["metricFilters"]
    assert metric_filter["filterPattern"] == pattern
    assert metric_filter["metricTransformations"] == [
        {
            "metricName": "FailedSignIns",
            "metricNamespace": "ConsoleSignIns",
            "metricValue": "1",
            "defaultValue": 0.0,
        }
    ]

    # The alarm on the filter's metric, at the configured threshold and period, notifies the
    # topic.
    described = account.call("cloudwatch", "describe-alarms", "--alarm-names", names.alarm)
    [alarm] = described["MetricAlarms"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("ConsoleSignIns", "FailedSignIns")
    assert (alarm["Statistic"], alarm["Period"]) == ("Sum", config["periodMinutes"] * 60)
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (1, 1)
    assert alarm["Threshold"] == float(config["failedSignInsPerPeriod"])
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [names.topic_arn]
    assert alarm["ActionsEnabled"] is True
    return {
        "key": key,
        "log_group": group["logGroupArn"],
        "log_group_created": group["creationTime"],
        "trail": trail["TrailARN"],
        "alarm": alarm["AlarmArn"],
        "subscriptions": sorted(s["SubscriptionArn"] for s in subscriptions),
        "filter": metric_filter["filterName"],
    }


def check_deleted(account: Account, config: dict[str, Any], kept: dict[str, Any]) -> None:
    """The key, the bucket with its policy and the log group are retained by design, as they
    were; everything else the stack made is gone."""
    names = Names(account, config)
    described = account.call("kms", "describe-key", "--key-id", kept["key"])["KeyMetadata"]
    assert described["KeyState"] == "Enabled"
    rotation = account.call("kms", "get-key-rotation-status", "--key-id", kept["key"])
    assert rotation["KeyRotationEnabled"] is True
    check_bucket(account, names, kept["key"])
    group = check_log_group(account, names, kept["key"], config["logRetentionDays"])
    assert group["logGroupArn"] == kept["log_group"]

    assert "TrailNotFoundException" in account.call_failing(
        "cloudtrail", "get-trail", "--name", names.trail
    )
    assert account.call("cloudtrail", "describe-trails")["trailList"] == []
    assert account.call("cloudwatch", "describe-alarms")["MetricAlarms"] == []
    assert account.call("logs", "describe-metric-filters")["metricFilters"] == []
    assert account.call("sns", "list-topics")["Topics"] == []
    assert account.call("sns", "list-subscriptions")["Subscriptions"] == []
    assert "NoSuchEntity" in account.call_failing("iam", "get-role", "--role-name", names.role)
    # The managed policy is not checked: moto 5.2.5's model of AWS::IAM::ManagedPolicy has no
    # delete, so the emulator keeps every managed policy a deleted stack made.
    aliases = account.call("kms", "list-aliases")["Aliases"]
    assert names.alias not in [a["AliasName"] for a in aliases]


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def test_the_binary_writes_the_committed_template_and_only_the_change(
    sample: dict[str, Any], tmp_path: Path
) -> None:
    """The update below deploys the binary's template of a changed config over the committed
    template: the binary writes the committed template from the sample, and the changed
    config's template differs in the alarm's threshold and the log group's retention alone."""
    committed = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    assert json.loads(synthesize(sample, tmp_path, "sample").read_text()) == committed
    changed = json.loads(synthesize({**sample, **CHANGED}, tmp_path, "changed").read_text())
    resources = changed["Resources"]
    assert resources["FailedSignInsAlarm"]["Properties"]["Threshold"] == 10
    assert resources["TrailLogGroup"]["Properties"]["RetentionInDays"] == 30
    resources["FailedSignInsAlarm"]["Properties"]["Threshold"] = sample["failedSignInsPerPeriod"]
    resources["TrailLogGroup"]["Properties"]["RetentionInDays"] = sample["logRetentionDays"]
    assert changed == committed


def test_the_example_deploys_updates_in_place_and_deletes_keeping_its_stores(
    account: Account, sample: dict[str, Any], tmp_path: Path
) -> None:
    committed = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    pattern = committed["Resources"]["FailedSignInsMetricFilter"]["Properties"]["FilterPattern"]

    deployed = account.deploy(TEMPLATE, STACK)
    assert deployed.returncode == 0, deployed
    assert account.stack(STACK)["StackStatus"] == "CREATE_COMPLETE"
    first = check_deployed(account, sample, pattern)
    physical = {k: r["PhysicalResourceId"] for k, r in account.resources(STACK).items()}
    assert set(physical) == set(committed["Resources"])

    # Another threshold and retention: the alarm and the log group change in place, nothing
    # is replaced.
    changed_config = {**sample, **CHANGED}
    updated = account.deploy(synthesize(changed_config, tmp_path, "changed"), STACK)
    assert updated.returncode == 0, updated
    assert account.stack(STACK)["StackStatus"] == "UPDATE_COMPLETE"
    second = check_deployed(account, changed_config, pattern)
    assert second == first
    assert {k: r["PhysicalResourceId"] for k, r in account.resources(STACK).items()} == physical

    deleted = account.delete_stack(STACK)
    assert deleted.returncode == 0, deleted
    summaries = account.client("cloudformation").list_stacks()["StackSummaries"]
    assert [s["StackStatus"] for s in summaries if s["StackName"] == STACK] == ["DELETE_COMPLETE"]
    check_deleted(account, changed_config, second)
