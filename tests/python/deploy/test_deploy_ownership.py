"""A logging configuration the stack did not put, deployed against with the real AWS CLI: it is
refused, left in place on delete, or taken over and put back when the stack is deleted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from deploy_expectations import TEMPLATES, custom_resource
from deploy_harness import Account, synth

STACK = "bedrock-settings"
RECORD = "/bedrock-settings/replaced-logging-configuration"
THEIRS = {
    "textDataDeliveryEnabled": True,
    "imageDataDeliveryEnabled": False,
    "embeddingDataDeliveryEnabled": True,
    "s3Config": {"bucketName": "another-teams-audit-bucket", "keyPrefix": "theirs"},
}


def logging_config(account: Account) -> dict[str, Any]:
    shown = account.client("bedrock").get_model_invocation_logging_configuration()
    return shown.get("loggingConfig") or {}


def put_theirs(account: Account) -> None:
    """Another stack, or someone by hand, sets the account's configuration (real AWS CLI)."""
    result = account.aws(
        "bedrock",
        "put-model-invocation-logging-configuration",
        "--logging-config",
        json.dumps(THEIRS),
    )
    assert result.returncode == 0, result
    assert logging_config(account) == THEIRS


def record(account: Account) -> dict[str, Any] | None:
    ssm = account.client("ssm")
    try:
        return json.loads(ssm.get_parameter(Name=RECORD)["Parameter"]["Value"])
    except ssm.exceptions.ParameterNotFound:
        return None


def resource_events(account: Account, logical_id: str) -> list[tuple[str, str]]:
    return [
        (e["ResourceStatus"], e.get("ResourceStatusReason") or "")
        for e in account.events(STACK)
        if e["LogicalResourceId"] == logical_id
    ]


def test_a_foreign_configuration_refuses_the_deployment_and_survives(account: Account) -> None:
    put_theirs(account)
    template = TEMPLATES / "s3-only.json"
    logical_id, _ = custom_resource(json.loads(template.read_text(encoding="utf-8")))

    deployed = account.deploy(template, STACK)

    assert deployed.returncode != 0, deployed
    assert account.stack(STACK)["StackStatus"] == "ROLLBACK_COMPLETE"
    events = resource_events(account, logical_id)
    failed = [reason for status, reason in events if status == "CREATE_FAILED"]
    assert len(failed) == 1, events
    assert "did not put" in failed[0] and "another-teams-audit-bucket" in failed[0], failed
    assert "takeOverExistingConfiguration: true" in failed[0], failed
    assert events[-1][0] == "DELETE_COMPLETE", events  # the rollback's Delete was answered
    assert logging_config(account) == THEIRS
    assert record(account) is None


def test_a_foreign_configuration_in_place_at_delete_survives(account: Account) -> None:
    deployed = account.deploy(TEMPLATES / "both-destinations.json", STACK)
    assert deployed.returncode == 0, deployed
    assert logging_config(account)["s3Config"]["bucketName"] != THEIRS["s3Config"]["bucketName"]
    put_theirs(account)  # replaces this stack's configuration

    deleted = account.delete_stack(STACK)

    assert deleted.returncode == 0, deleted
    assert logging_config(account) == THEIRS


def test_take_over_replaces_records_and_puts_back_on_delete(
    account: Account, tmp_path: Path
) -> None:
    config = {"enableAuditLoggingToS3": True, "takeOverExistingConfiguration": True}
    config_path = tmp_path / "take-over.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    template = synth(config_path, tmp_path / "take-over.json")
    properties = custom_resource(json.loads(template.read_text(encoding="utf-8")))[1]
    assert properties["Properties"]["ReplacedConfigurationParameter"] == RECORD
    put_theirs(account)

    deployed = account.deploy(template, STACK)

    assert deployed.returncode == 0, deployed
    assert account.stack(STACK)["StackStatus"] == "CREATE_COMPLETE"
    ours = logging_config(account)
    assert ours["s3Config"]["bucketName"] == account.outputs(STACK)["BucketName"]
    assert record(account) == THEIRS

    deleted = account.delete_stack(STACK)

    assert deleted.returncode == 0, deleted
    assert logging_config(account) == THEIRS
    assert record(account) is None
