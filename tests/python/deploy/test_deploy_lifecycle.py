"""Updates, deletion and a failing custom resource, with templates synthesized by the binary."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_expectations import (
    BUCKET,
    LOG_GROUP,
    REGION,
    TEMPLATES,
    custom_resource,
    expected_from_config,
    expected_logging_config,
)
from deploy_harness import Account, synth

STACK = "bedrock-settings"


def synthesize(tmp_path: Path, name: str, config: dict[str, Any]) -> Path:
    config_path = tmp_path / f"{name}.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return synth(config_path, tmp_path / f"{name}.json")


def logging_config(account: Account, cli: bool = False) -> dict[str, Any]:
    """Bedrock's logging configuration (boto3, or the AWS CLI when ``cli``)."""
    if not cli:
        shown = account.client("bedrock").get_model_invocation_logging_configuration()
        return shown.get("loggingConfig") or {}
    result = account.aws("bedrock", "get-model-invocation-logging-configuration")
    assert result.returncode == 0, result
    return (result.json() or {}).get("loggingConfig") or {}


def expected_config(account: Account, template: Path, config: dict[str, Any]) -> dict[str, Any]:
    return expected_logging_config(
        expected_from_config(config),
        json.loads(template.read_text(encoding="utf-8")),
        account.account_id,
        account.outputs(STACK).get("ServiceRoleArn"),
    )


def audit_log_group(account: Account) -> dict[str, Any] | None:
    name = LOG_GROUP.format(region=REGION)
    groups = account.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    return next((g for g in groups if g["logGroupName"] == name), None)


def custom_physical_id(account: Account, template: Path) -> str:
    logical_id, _ = custom_resource(json.loads(template.read_text(encoding="utf-8")))
    return account.resources(STACK)[logical_id]["PhysicalResourceId"]


def test_update_retention_then_cloudwatch_off_then_delete(account: Account, tmp_path: Path) -> None:
    base = {
        "enableAuditLoggingToS3": True,
        "enableAuditLoggingToCloudwatch": True,
        "cloudwatchLogRetentionDays": 30,
        "tags": {"team": "audit"},
    }
    first = synthesize(tmp_path, "first", base)
    created = account.deploy(first, STACK)
    assert created.returncode == 0, created
    assert account.stack(STACK)["StackStatus"] == "CREATE_COMPLETE"
    assert logging_config(account) == expected_config(account, first, base)
    assert audit_log_group(account)["retentionInDays"] == 30
    physical_id = custom_physical_id(account, first)
    key_arn = account.outputs(STACK)["KmsKeyArn"]

    # 1. Retention changed: the log group follows; Bedrock's configuration is unchanged.
    retention = dict(base, cloudwatchLogRetentionDays=90)
    second = synthesize(tmp_path, "second", retention)
    updated = account.deploy(second, STACK)
    assert updated.returncode == 0, updated
    assert account.stack(STACK)["StackStatus"] == "UPDATE_COMPLETE"
    assert audit_log_group(account)["retentionInDays"] == 90
    assert audit_log_group(account)["kmsKeyId"] == key_arn
    assert logging_config(account) == expected_config(account, second, retention)

    # 2. CloudWatch turned off: an Update request; Bedrock keeps only S3; the log group is
    # retained (DeletionPolicy Retain), the service role is gone; the physical id is stable.
    s3_only = {"enableAuditLoggingToS3": True, "tags": {"team": "audit"}}
    third = synthesize(tmp_path, "third", s3_only)
    updated = account.deploy(third, STACK)
    assert updated.returncode == 0, updated
    assert account.stack(STACK)["StackStatus"] == "UPDATE_COMPLETE"
    config = logging_config(account, cli=True)
    assert config == expected_config(account, third, s3_only)
    assert "cloudWatchConfig" not in config
    assert custom_physical_id(account, third) == physical_id
    assert audit_log_group(account) is not None
    assert "ServiceRoleArn" not in account.outputs(STACK)
    roles = [r["RoleName"] for r in account.client("iam").list_roles()["Roles"]]
    assert len(roles) == 1, roles  # only the function's own role is left
    logical_id, _ = custom_resource(json.loads(third.read_text(encoding="utf-8")))
    statuses = [
        e["ResourceStatus"] for e in account.events(STACK) if e["LogicalResourceId"] == logical_id
    ]
    assert statuses.count("UPDATE_COMPLETE") == 1  # only the second update touched it

    # 3. Delete: the logging configuration is removed; key, bucket, log groups remain.
    deleted = account.delete_stack(STACK)
    assert deleted.returncode == 0, deleted
    assert logging_config(account, cli=True) == {}
    kms = account.client("kms")
    assert kms.describe_key(KeyId=key_arn)["KeyMetadata"]["KeyState"] == "Enabled"
    bucket = BUCKET.format(account=account.account_id, region=REGION)
    s3 = account.client("s3")
    assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    groups = account.client("logs").describe_log_groups()["logGroups"]
    assert {g["logGroupName"] for g in groups} >= {LOG_GROUP.format(region=REGION)}
    assert any(g["logGroupName"].startswith("/aws/lambda/") for g in groups)
    assert account.client("lambda").list_functions()["Functions"] == []


def test_malformed_custom_resource_fails_and_rolls_back(account: Account, tmp_path: Path) -> None:
    """A data-delivery property set to "maybe": the handler answers FAILED, the stack rolls
    back, within a bounded time; nothing is left configured in Bedrock."""
    template = json.loads((TEMPLATES / "both-destinations.json").read_text(encoding="utf-8"))
    logical_id, resource = custom_resource(template)
    resource["Properties"]["TextDataDeliveryEnabled"] = "maybe"
    broken = tmp_path / "malformed.json"
    broken.write_text(json.dumps(template, indent=1), encoding="utf-8")

    started = time.monotonic()
    deployed = account.deploy(broken, STACK)
    elapsed = time.monotonic() - started
    assert deployed.returncode != 0, deployed
    assert elapsed < 60, f"took {elapsed:.0f}s"
    assert "Failed to create/update the stack" in deployed.stderr, deployed

    assert account.stack(STACK)["StackStatus"] == "ROLLBACK_COMPLETE"
    rollback = [
        e.get("ResourceStatusReason") or ""
        for e in account.events(STACK)
        if e["LogicalResourceId"] == STACK and e["ResourceStatus"] == "ROLLBACK_IN_PROGRESS"
    ]
    assert rollback == [
        f"The following resource(s) failed to create: [{logical_id}]. Rollback requested by user."
    ]
    events = [
        (e["ResourceStatus"], e.get("ResourceStatusReason") or "")
        for e in account.events(STACK)
        if e["LogicalResourceId"] == logical_id
    ]
    failed = [reason for status, reason in events if status == "CREATE_FAILED"]
    assert len(failed) == 1, events
    assert "TextDataDeliveryEnabled" in failed[0] and "maybe" in failed[0], failed
    # The rollback sent the failed resource its Delete, and the handler answered it.
    assert [status for status, _ in events][-1] == "DELETE_COMPLETE", events
    assert logging_config(account) == {}
    assert account.client("lambda").list_functions()["Functions"] == []


@pytest.mark.parametrize("flag", ["ImageDataDeliveryEnabled"])
def test_failed_update_rolls_back_and_keeps_the_configuration(
    account: Account, tmp_path: Path, flag: str
) -> None:
    """An update whose custom resource fails leaves the previous configuration in place."""
    template_path = TEMPLATES / "s3-only.json"
    assert account.deploy(template_path, STACK).returncode == 0
    before = logging_config(account)
    assert before
    template = json.loads(template_path.read_text(encoding="utf-8"))
    _, resource = custom_resource(template)
    resource["Properties"][flag] = "maybe"
    broken = tmp_path / "update-malformed.json"
    broken.write_text(json.dumps(template, indent=1), encoding="utf-8")
    updated = account.deploy(broken, STACK)
    assert updated.returncode != 0, updated
    assert account.stack(STACK)["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert logging_config(account) == before
