"""The harness itself, exercised with the hand-written fixture template fixtures/probe.json.

The probe's inline function records every request it gets in SSM (through the emulator, with
the credentials of its role) and answers SUCCESS, FAILED, nothing at all, or too late, as its
``Mode`` / ``DeleteMode`` parameters ask.
"""

from __future__ import annotations

import json
import time

import pytest
from deploy_harness import FIXTURES, Account, new_account

PROBE = FIXTURES / "probe.json"
STACK = "harness-probe"


def probe_requests(account: Account) -> list[dict[str, str]]:
    """Requests the probe function received, in the order they arrived."""
    ssm = account.client("ssm")
    paginator = ssm.get_paginator("get_parameters_by_path")
    parameters = [
        p
        for page in paginator.paginate(Path="/harness-probe/events", Recursive=True)
        for p in page["Parameters"]
    ]
    parameters.sort(key=lambda p: p["LastModifiedDate"])
    return [json.loads(p["Value"]) for p in parameters]


def resource_events(account: Account, stack: str, logical_id: str) -> list[tuple[str, str]]:
    return [
        (e["ResourceStatus"], e.get("ResourceStatusReason") or "")
        for e in account.events(stack)
        if e["LogicalResourceId"] == logical_id
    ]


def test_probe_create_update_replace_delete(account: Account) -> None:
    deployed = account.deploy(PROBE, STACK)
    assert deployed.returncode == 0, deployed
    stack = account.stack(STACK)
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    outputs = account.outputs(STACK)
    # The custom resource answered before the stack completed: its Data reached the Outputs.
    assert outputs["ProbeId"] == "probe-1"
    assert outputs["ProbeEcho"] == "one"
    assert outputs["ProbeAccount"] == account.account_id
    assert account.resources(STACK)["Probe"]["PhysicalResourceId"] == "probe-1"
    assert [r["RequestType"] for r in probe_requests(account)] == ["Create"]
    # Every property value reaches the function as a string, as CloudFormation sends it.
    sent = probe_requests(account)[0]["Sent"]
    assert sent == {"Number": "42", "Flag": "true", "Nested": {"List": ["1", "false"]}}

    # Resource properties the patches translate for moto.
    key_arn = outputs["KeyArn"]
    kms = account.client("kms")
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
    tags = kms.list_resource_tags(KeyId=key_arn)["Tags"]
    assert {"TagKey": "Project", "TagValue": "harness-probe"} in tags
    policy = kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"]
    assert json.loads(policy)["Statement"][0]["Sid"] == "AccountRoot"
    ssm = account.client("ssm")
    arn = ssm.get_parameter(Name="/harness-probe/bucket")["Parameter"]["Name"]
    tag_list = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=arn)["TagList"]
    assert {"Key": "Project", "Value": "harness-probe"} in tag_list
    bucket = outputs["BucketName"]
    s3 = account.client("s3")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key_arn
    assert rule["BucketKeyEnabled"] is True
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]
    assert ownership["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert policy["Statement"][0]["Sid"] == "DenyInsecureTransport"
    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert lifecycle[0]["Expiration"]["Days"] == 365
    logs = account.client("logs")
    group = logs.describe_log_groups(logGroupNamePrefix="/harness/probe-us-east-1")["logGroups"][0]
    assert group["kmsKeyId"] == key_arn
    assert group["retentionInDays"] == 30
    # The runner wrote the function's output to the log group of its LoggingConfig.
    function_group = "/harness/probe-function-us-east-1"
    messages = [e["message"] for e in logs.filter_log_events(logGroupName=function_group)["events"]]
    assert "probe got a Create request" in messages

    # In-place update: an Update request with the old properties; a retention change.
    updated = account.deploy(PROBE, STACK, {"Marker": "two", "Retention": "90"})
    assert updated.returncode == 0, updated
    assert account.stack(STACK)["StackStatus"] == "UPDATE_COMPLETE"
    assert account.outputs(STACK)["ProbeEcho"] == "two"
    update = probe_requests(account)[-1]
    update.pop("Sent")
    assert update == {
        "RequestType": "Update",
        "PhysicalResourceId": "probe-1",
        "Marker": "two",
        "OldMarker": "one",
    }
    group = logs.describe_log_groups(logGroupNamePrefix="/harness/probe-us-east-1")["logGroups"][0]
    assert group["retentionInDays"] == 90

    # A new physical id is a replacement: the old id gets a Delete after the update.
    replaced = account.deploy(PROBE, STACK, {"Marker": "two", "Retention": "90", "Generation": "2"})
    assert replaced.returncode == 0, replaced
    assert account.outputs(STACK)["ProbeId"] == "probe-2"
    assert [(r["RequestType"], r["PhysicalResourceId"]) for r in probe_requests(account)[-2:]] == [
        ("Update", "probe-1"),
        ("Delete", "probe-1"),
    ]

    # Delete: the custom resource gets its Delete (answered with HTTP 200, not moto's 400);
    # DeletionPolicy Retain keeps key, bucket and log groups; the rest is gone.
    deleted = account.delete_stack(STACK)
    assert deleted.returncode == 0, deleted
    assert probe_requests(account)[-1]["RequestType"] == "Delete"
    assert probe_requests(account)[-1]["PhysicalResourceId"] == "probe-2"
    assert kms.describe_key(KeyId=key_arn)["KeyMetadata"]["Enabled"] is True
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert logs.describe_log_groups(logGroupNamePrefix="/harness/probe-")["logGroups"]
    with pytest.raises(ssm.exceptions.ParameterNotFound):
        ssm.get_parameter(Name="/harness-probe/bucket")
    assert account.client("lambda").list_functions()["Functions"] == []


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("FAILED", "probe was asked to fail"),
        ("SILENT", "got no answer through its ResponseURL"),
        ("RAISE", "The function failed: probe raised"),
        ("SLEEP", "Task timed out after 5.00 seconds"),
    ],
)
def test_probe_failed_create_rolls_back(account: Account, mode: str, reason: str) -> None:
    started = time.monotonic()
    deployed = account.deploy(PROBE, STACK, {"Mode": mode})
    assert deployed.returncode != 0, deployed
    assert time.monotonic() - started < 60
    stack = account.stack(STACK)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE", stack
    statuses = [status for status, _ in resource_events(account, STACK, "Probe")]
    assert statuses[:2] == ["CREATE_IN_PROGRESS", "CREATE_FAILED"]
    failed_reason = resource_events(account, STACK, "Probe")[1][1]
    assert reason in failed_reason
    stack_statuses = [s for s, _ in resource_events(account, STACK, STACK)]
    assert stack_statuses[-3:] == ["CREATE_FAILED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"]
    requests = [(r["RequestType"], r["PhysicalResourceId"]) for r in probe_requests(account)]
    if mode == "FAILED":
        # CloudFormation deletes a failed custom resource with the id of its FAILED answer.
        assert requests == [("Create", None), ("Delete", "probe-1")]
    else:
        assert requests[0] == ("Create", None)
    # Rollback keeps what DeletionPolicy Retain protects, like CloudFormation.
    assert account.client("s3").list_buckets()["Buckets"]
    assert account.client("lambda").list_functions()["Functions"] == []


def test_probe_failed_update_rolls_back(account: Account) -> None:
    assert account.deploy(PROBE, STACK).returncode == 0
    failed = account.deploy(PROBE, STACK, {"Mode": "FAILED", "Marker": "two"})
    assert failed.returncode != 0, failed
    stack = account.stack(STACK)
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE", stack
    requests = probe_requests(account)
    assert [(r["RequestType"], r["Marker"], r["OldMarker"]) for r in requests] == [
        ("Create", "one", None),
        ("Update", "two", "one"),
        ("Update", "one", "two"),  # the rollback puts the previous properties back
    ]
    assert account.outputs(STACK)["ProbeEcho"] == "one"


def test_probe_failed_delete(account: Account) -> None:
    assert account.deploy(PROBE, STACK, {"DeleteMode": "FAILED"}).returncode == 0
    deleted = account.delete_stack(STACK)
    assert deleted.returncode != 0, deleted
    stack = account.stack(STACK)
    assert stack["StackStatus"] == "DELETE_FAILED"
    assert "probe was asked to fail" in stack["StackStatusReason"]
    # Resources the custom resource depends on are still there.
    assert account.client("lambda").list_functions()["Functions"]


def test_probe_with_create_and_update_stack_apis(account: Account) -> None:
    """The same lifecycle through CreateStack/UpdateStack (no change sets)."""
    body = PROBE.read_text(encoding="utf-8")
    cfn = account.client("cloudformation")
    cfn.create_stack(StackName=STACK, TemplateBody=body, Capabilities=["CAPABILITY_NAMED_IAM"])
    waited = account.aws("cloudformation", "wait", "stack-create-complete", "--stack-name", STACK)
    assert waited.returncode == 0, waited
    assert account.outputs(STACK)["ProbeEcho"] == "one"
    cfn.update_stack(
        StackName=STACK,
        TemplateBody=body,
        Parameters=[{"ParameterKey": "Marker", "ParameterValue": "two"}],
    )
    assert account.stack(STACK)["StackStatus"] == "UPDATE_COMPLETE"
    assert account.outputs(STACK)["ProbeEcho"] == "two"
    cfn.update_stack(
        StackName=STACK,
        TemplateBody=body,
        Parameters=[{"ParameterKey": "Mode", "ParameterValue": "FAILED"}],
    )
    assert account.stack(STACK)["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert account.outputs(STACK)["ProbeEcho"] == "two"
    assert account.delete_stack(STACK).returncode == 0
    kinds = [r["RequestType"] for r in probe_requests(account)]
    assert kinds == ["Create", "Update", "Update", "Update", "Delete"]

    # In a fresh account: the retained bucket of the first stack would make this one fail
    # for another reason (the bucket exists), as it would on AWS.
    account = new_account(account.server)
    cfn = account.client("cloudformation")
    cfn.create_stack(
        StackName="probe-fails",
        TemplateBody=body,
        Parameters=[{"ParameterKey": "Mode", "ParameterValue": "FAILED"}],
    )
    assert account.stack("probe-fails")["StackStatus"] == "ROLLBACK_COMPLETE"
    # Describing a rolled-back stack creates nothing (moto's lazy resource map would).
    assert "Probe" not in account.resources("probe-fails")
    assert account.outputs("probe-fails") == {}
    requests = [r["RequestType"] for r in probe_requests(account)]
    assert requests == ["Create", "Delete"]
