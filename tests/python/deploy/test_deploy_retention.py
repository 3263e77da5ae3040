"""Object Lock and masking deployed: turned on for a stack that exists, read back.

What the emulator shows: the bucket's Object Lock configuration (``GetObjectLockConfiguration``),
that turning it on updates the bucket in place there, and the findings log group with its key
and retention. What it cannot show: whether CloudFormation itself replaces a bucket whose
``ObjectLockEnabled`` changes (``synth diff`` says it may), whether S3 refuses to delete a locked
version, and anything of the data protection policy (moto has no data protection API and masks
nothing), which is checked in the template CloudFormation holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from deploy_expectations import BUCKET, REGION
from deploy_harness import Account, synth

STACK = "bedrock-settings"
FINDINGS = "/aws/bedrock/model-invocation-logs/data-protection-findings-{region}"


def synthesize(tmp_path: Path, name: str, config: dict[str, Any]) -> Path:
    config_path = tmp_path / f"{name}.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return synth(config_path, tmp_path / f"{name}.json")


def test_object_lock_turned_on_for_the_existing_bucket(account: Account, tmp_path: Path) -> None:
    base: dict[str, Any] = {"enableAuditLoggingToS3": True}
    created = account.deploy(synthesize(tmp_path, "unlocked", base), STACK)
    assert created.returncode == 0, created
    bucket = BUCKET.format(account=account.account_id, region=REGION)
    s3 = account.client("s3")
    missing = account.aws("s3api", "get-object-lock-configuration", "--bucket", bucket)
    assert missing.returncode != 0 and "ObjectLockConfigurationNotFound" in missing.stderr, missing
    physical = account.resources(STACK)["InvocationLogsBucket"]["PhysicalResourceId"]

    locked = dict(base, s3ObjectLock={"mode": "COMPLIANCE", "years": 6})
    updated = account.deploy(synthesize(tmp_path, "locked", locked), STACK)
    assert updated.returncode == 0, updated
    assert account.stack(STACK)["StackStatus"] == "UPDATE_COMPLETE"
    shown = account.aws("s3api", "get-object-lock-configuration", "--bucket", bucket)
    assert shown.returncode == 0, shown
    configuration = shown.json()["ObjectLockConfiguration"]
    assert configuration["ObjectLockEnabled"] == "Enabled"
    assert configuration["Rule"]["DefaultRetention"] == {"Mode": "COMPLIANCE", "Years": 6}
    # The same bucket, still versioned, its name unchanged.
    assert account.resources(STACK)["InvocationLogsBucket"]["PhysicalResourceId"] == physical
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


def test_masking_reports_to_an_encrypted_log_group_that_expires(
    account: Account, tmp_path: Path
) -> None:
    config = {
        "enableAuditLoggingToCloudwatch": True,
        "cloudwatchLogRetentionDays": 2192,
        "cloudwatchLargeDataDeliveryToS3": False,
        "cloudwatchDataProtection": {"identifiers": ["EmailAddress", "AwsSecretKey"]},
    }
    template = synthesize(tmp_path, "masked", config)
    created = account.deploy(template, STACK)
    assert created.returncode == 0, created
    name = FINDINGS.format(region=REGION)
    groups = account.client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    findings = next(g for g in groups if g["logGroupName"] == name)
    assert findings["retentionInDays"] == 2192
    assert findings["kmsKeyId"] == account.outputs(STACK)["KmsKeyArn"]

    # The policy as CloudFormation holds it: audit and mask, findings to that log group.
    held = account.client("cloudformation").get_template(StackName=STACK)["TemplateBody"]
    held = held if isinstance(held, dict) else json.loads(held)
    policy = held["Resources"]["InvocationLogsLogGroup"]["Properties"]["DataProtectionPolicy"]
    operations = [next(iter(s["Operation"])) for s in policy["Statement"]]
    assert operations == ["Audit", "Deidentify"]
    audit = policy["Statement"][0]["Operation"]["Audit"]
    assert audit["FindingsDestination"]["CloudWatchLogs"]["LogGroup"] == {
        "Ref": "DataProtectionFindingsLogGroup"
    }
    resources = account.resources(STACK)
    assert resources["DataProtectionFindingsLogGroup"]["PhysicalResourceId"] == name
