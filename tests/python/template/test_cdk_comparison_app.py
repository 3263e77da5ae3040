"""The CDK v2 version of the console-login-alarms example synthesizes what it claims.

examples/console-login-alarms/cdk/app.js is the same stack written with CDK's L2 constructs,
kept for comparison with the Rust module; this runs it with node (aws-cdk-lib from the
cdk-nag app's node_modules, which test.sh installs) and reads the template it writes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
APP_DIR = REPO / "examples" / "console-login-alarms" / "cdk"
NODE_MODULES = REPO / "tests" / "cdk-nag" / "node_modules"
STACK = "ConsoleLoginAlarms"
FAILED_SIGN_INS = '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }'


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (test.sh requires it, so CI runs this test)")
    assert (NODE_MODULES / "aws-cdk-lib").is_dir(), (
        f"{NODE_MODULES} has no aws-cdk-lib: run ./test.sh once (it runs npm ci there)"
    )
    outdir = tmp_path_factory.mktemp("cdk-out")
    completed = subprocess.run(
        [node, "app.js"],
        cwd=APP_DIR,
        env={**os.environ, "CDK_OUTDIR": str(outdir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, f"node app.js failed:\n{completed.stdout}\n{completed.stderr}"
    return json.loads((outdir / f"{STACK}.template.json").read_text(encoding="utf-8"))


def of_type(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == resource_type]


def one(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    [resource] = of_type(template, resource_type)
    return resource["Properties"]


def logical_id(template: dict[str, Any], resource_type: str) -> str:
    [name] = [k for k, r in template["Resources"].items() if r["Type"] == resource_type]
    return name


def test_the_stack_has_the_resource_types_of_the_example(template: dict[str, Any]) -> None:
    types = sorted(r["Type"] for r in template["Resources"].values())
    assert types == sorted(
        [
            "AWS::KMS::Key",
            "AWS::S3::Bucket",
            "AWS::S3::BucketPolicy",
            "AWS::Logs::LogGroup",
            "AWS::Logs::MetricFilter",
            "AWS::IAM::Role",
            "AWS::IAM::Policy",
            "AWS::CloudTrail::Trail",
            "AWS::CloudWatch::Alarm",
            "AWS::SNS::Topic",
            "AWS::SNS::TopicPolicy",
            "AWS::SNS::Subscription",
        ]
    )


def test_the_resources_are_configured_from_sample_yaml(template: dict[str, Any]) -> None:
    key_id = logical_id(template, "AWS::KMS::Key")
    key_arn = {"Fn::GetAtt": [key_id, "Arn"]}
    assert one(template, "AWS::KMS::Key")["EnableKeyRotation"] is True

    bucket = one(template, "AWS::S3::Bucket")
    [rule] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": key_arn,
    }
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    statements = one(template, "AWS::S3::BucketPolicy")["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        for s in statements
    )

    log_group = one(template, "AWS::Logs::LogGroup")
    assert log_group["RetentionInDays"] == 365
    assert log_group["KmsKeyId"] == key_arn

    trail = one(template, "AWS::CloudTrail::Trail")
    assert trail["TrailName"] == "account-trail"
    assert trail["IsMultiRegionTrail"] is True
    assert trail["EnableLogFileValidation"] is True
    assert trail["KMSKeyId"] == key_arn
    assert trail["CloudWatchLogsLogGroupArn"] == {
        "Fn::GetAtt": [logical_id(template, "AWS::Logs::LogGroup"), "Arn"]
    }

    metric_filter = one(template, "AWS::Logs::MetricFilter")
    assert metric_filter["FilterPattern"] == FAILED_SIGN_INS
    [transformation] = metric_filter["MetricTransformations"]

    alarm = one(template, "AWS::CloudWatch::Alarm")
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        transformation["MetricNamespace"],
        transformation["MetricName"],
    )
    assert (alarm["Statistic"], alarm["Period"], alarm["Threshold"]) == ("Sum", 300, 3)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    topic_ref = {"Ref": logical_id(template, "AWS::SNS::Topic")}
    assert alarm["AlarmActions"] == [topic_ref]

    assert one(template, "AWS::SNS::Topic")["KmsMasterKeyId"] == key_arn
    assert one(template, "AWS::SNS::Subscription") == {
        "Endpoint": "security@example.com",
        "Protocol": "email",
        "TopicArn": topic_ref,
    }


def test_the_key_admits_the_services_that_use_it(template: dict[str, Any]) -> None:
    """CDK's Trail, LogGroup and Topic grant nothing on a key; the app adds each grant."""
    statements = one(template, "AWS::KMS::Key")["KeyPolicy"]["Statement"]

    def actions_of(service: str) -> set[str]:
        found: set[str] = set()
        for statement in statements:
            principal = json.dumps(statement["Principal"].get("Service", ""))
            if service in principal:
                action = statement["Action"]
                found.update([action] if isinstance(action, str) else action)
        return found

    assert {"kms:GenerateDataKey*", "kms:DescribeKey"} <= actions_of("cloudtrail.amazonaws.com")
    assert "kms:GenerateDataKey*" in actions_of('"logs."')
    assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= actions_of("cloudwatch.amazonaws.com")
    topic_policy = one(template, "AWS::SNS::TopicPolicy")["PolicyDocument"]["Statement"]
    assert any(
        s["Effect"] == "Allow"
        and s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
        and s["Action"] == "sns:Publish"
        for s in topic_policy
    )
