"""Every committed template (templates/*.json) deployed with the real AWS CLI into moto.

Each template is deployed once, into an account of its own, with ``aws cloudformation deploy``;
the tests then read the emulator's APIs (boto3, and the AWS CLI for the Bedrock logging
configuration). Expectations come from the sample config of the same name and the module's
documented names (README), not from the template under test, except for what the documentation
leaves to the template (the large-data key prefix, the name of the service role).

Not checked here because moto does not emulate it: whether a policy (key policy, bucket policy,
trust policy, IAM policy) would allow or deny anything; whether Bedrock accepts the destinations.
The policies are checked as documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from deploy_expectations import (
    BUCKET,
    CUSTOM_TYPE,
    KEY_ALIAS,
    LOG_GROUP,
    REGION,
    S3_PREFIX,
    Expected,
    custom_resource,
    expected_from_config,
    expected_logging_config,
    load_config,
    sample_pairs,
)
from deploy_harness import Account, CliResult, MotoServer, new_account

STACK = "bedrock-settings"
FUNCTION_LOG_GROUP_PREFIX = "/aws/lambda/"


@dataclass
class Deployment:
    account: Account
    template: dict[str, Any]
    expected: Expected
    result: CliResult

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def outputs(self) -> dict[str, str]:
        return self.account.outputs(STACK)


@pytest.fixture(scope="module", params=sample_pairs(), ids=lambda pair: pair[0].stem)
def deployed(request: pytest.FixtureRequest, moto_server: MotoServer) -> Deployment:
    template_path, sample_path = request.param
    if not sample_path.exists():
        pytest.fail(f"{template_path.name} has no sample config {sample_path}")
    account = new_account(moto_server)
    # The roles a sample lets query the logs are the account's own, there before the stack.
    for role in (load_config(sample_path).get("logAnalytics") or {}).get("readerRoles", []):
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account.account_id}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        account.call(
            "iam",
            "create-role",
            "--role-name",
            role,
            "--assume-role-policy-document",
            json.dumps(trust),
        )
    result = account.deploy(template_path, STACK)
    if result.returncode != 0:
        pytest.fail(f"deploy failed:\n{result}\n--- moto log ---\n{moto_server.log_tail(120)}")
    return Deployment(
        account,
        json.loads(template_path.read_text(encoding="utf-8")),
        expected_from_config(load_config(sample_path)),
        result,
    )


def _policy(document: Any) -> dict[str, Any]:
    return json.loads(document) if isinstance(document, str) else document


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _without_sid(statement: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in statement.items() if key != "Sid"}


def test_stack_completes_after_the_custom_resource_answered(deployed: Deployment) -> None:
    account = deployed.account
    stack = account.stack(STACK)
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    logical_id, _ = custom_resource(deployed.template)
    events = account.events(STACK)
    statuses = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in events]
    assert statuses.index((logical_id, "CREATE_COMPLETE")) < statuses.index(
        (STACK, "CREATE_COMPLETE")
    )
    resource = account.resources(STACK)[logical_id]
    assert resource["ResourceType"] == CUSTOM_TYPE
    # The physical id is the handler's answer, not the name moto generates ({stack}-{id}-XXXX).
    physical_id = resource["PhysicalResourceId"]
    assert physical_id and not re.fullmatch(rf"{STACK}-{logical_id}-[A-Z0-9]{{12}}", physical_id)
    answered = [
        e
        for e in events
        if e["LogicalResourceId"] == logical_id and e["ResourceStatus"] == "CREATE_COMPLETE"
    ]
    assert [e["PhysicalResourceId"] for e in answered] == [physical_id]
    # Outputs survive `cloudformation deploy` and are resolved.
    outputs = deployed.outputs()
    assert set(outputs) == set(deployed.template.get("Outputs", {}))
    for key, value in outputs.items():
        assert value and "Fn::" not in value and "${" not in value, (key, value)


def test_bedrock_logging_configuration_is_exactly_the_configured_one(
    deployed: Deployment,
) -> None:
    shown = deployed.account.aws("bedrock", "get-model-invocation-logging-configuration")
    assert shown.returncode == 0, shown
    expected = expected_logging_config(
        deployed.expected,
        deployed.template,
        deployed.account_id,
        deployed.outputs().get("ServiceRoleArn"),
    )
    assert shown.json()["loggingConfig"] == expected


def test_key_rotation_alias_tags_and_policy(deployed: Deployment) -> None:
    kms = deployed.account.client("kms")
    key_arn = deployed.outputs()["KmsKeyArn"]
    metadata = kms.describe_key(KeyId=key_arn)["KeyMetadata"]
    assert metadata["Enabled"] is True and metadata["KeyState"] == "Enabled"
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    assert aliases[KEY_ALIAS.format(region=REGION)] == metadata["KeyId"]
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key_arn)["Tags"]}
    assert deployed.expected.tags.items() <= tags.items()
    policy = _policy(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
    services = {
        service
        for statement in policy["Statement"]
        for service in _as_list(statement.get("Principal", {}).get("Service", []))
    }
    # Intrinsics resolved: the regional CloudWatch Logs principal, no template syntax left.
    assert f"logs.{REGION}.amazonaws.com" in services
    assert "Fn::" not in json.dumps(policy)
    # Each service grant is held to this account: Bedrock and CloudWatch alarms by their source
    # account and ARN, CloudWatch Logs by the encryption context of this account's log groups.
    for statement in policy["Statement"]:
        service = statement.get("Principal", {}).get("Service")
        if service == "bedrock.amazonaws.com":
            assert statement["Condition"] == {
                "StringEquals": {"aws:SourceAccount": deployed.account_id},
                "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:{REGION}:{deployed.account_id}:*"},
            }, statement
        elif service == f"logs.{REGION}.amazonaws.com":
            context = "kms:EncryptionContext:aws:logs:arn"
            condition = statement["Condition"]
            assert list(condition) == ["ArnLike"], statement
            assert list(condition["ArnLike"]) == [context], statement
            log_groups = _as_list(condition["ArnLike"][context])
            prefix = f"arn:aws:logs:{REGION}:{deployed.account_id}:log-group:"
            assert log_groups and all(g.startswith(prefix) for g in log_groups), statement
        elif service == "cloudwatch.amazonaws.com":
            # The alarm topic's key: only this account's alarms in this region publish through it.
            assert statement["Condition"] == {
                "StringEquals": {"aws:SourceAccount": deployed.account_id},
                "ArnLike": {
                    "aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{deployed.account_id}:alarm:*"
                },
            }, statement
        else:
            assert service is None, statement


def test_bucket_encryption_versioning_public_access_and_policy(deployed: Deployment) -> None:
    account = deployed.account
    s3 = account.client("s3")
    bucket = BUCKET.format(account=deployed.account_id, region=REGION)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    if not deployed.expected.bucket:
        assert bucket not in names
        return
    assert bucket in names
    key_arn = deployed.outputs()["KmsKeyArn"]
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [
        {
            "ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": key_arn,
            },
            "BucketKeyEnabled": True,
        }
    ]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    if deployed.expected.tags:
        tag_set = s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
        assert deployed.expected.tags.items() <= {t["Key"]: t["Value"] for t in tag_set}.items()

    # The bucket policy, read with the AWS CLI. moto stores it but never evaluates it.
    shown = account.aws("s3api", "get-bucket-policy", "--bucket", bucket)
    assert shown.returncode == 0, shown
    statements = json.loads(shown.json()["Policy"])["Statement"]
    bucket_arn = f"arn:aws:s3:::{bucket}"
    # The TLS deny, whole: any narrowing (one resource, one action, a principal, one more
    # condition) would leave some plain-HTTP request allowed.
    tls = [s for s in statements if "aws:SecureTransport" in json.dumps(s.get("Condition", {}))]
    assert len(tls) == 1, statements
    assert _without_sid(tls[0]) == {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }, tls[0]
    # The deny of uploads under another key, whole: every object, only the module key.
    key_id = "s3:x-amz-server-side-encryption-aws-kms-key-id"
    key_denials = [s for s in statements if key_id in json.dumps(s.get("Condition", {}))]
    assert len(key_denials) == 1, statements
    assert _without_sid(key_denials[0]) == {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"{bucket_arn}/*",
        "Condition": {
            "StringNotEquals": {key_id: key_arn},
            "Null": {"s3:x-amz-server-side-encryption": "false"},
        },
    }, key_denials[0]
    bedrock = [
        s
        for s in statements
        if s["Effect"] == "Allow"
        and s.get("Principal", {}).get("Service") == "bedrock.amazonaws.com"
    ]
    assert len(bedrock) == 1, statements
    # Bedrock's upload grant is the policy's only grant.
    assert [s for s in statements if s["Effect"] != "Deny"] == bedrock, statements
    assert bedrock[0]["Action"] == "s3:PutObject", bedrock[0]
    prefix = S3_PREFIX.format(region=REGION)
    resources = _as_list(bedrock[0]["Resource"])
    if deployed.expected.s3:
        assert (
            f"arn:aws:s3:::{bucket}/{prefix}/AWSLogs/{deployed.account_id}"
            "/BedrockModelInvocationLogs/*" in resources
        )
    conditions = bedrock[0]["Condition"]
    assert conditions["StringEquals"]["aws:SourceAccount"] == deployed.account_id
    assert conditions["ArnLike"]["aws:SourceArn"] == (
        f"arn:aws:bedrock:{REGION}:{deployed.account_id}:*"
    )

    lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    wanted = deployed.expected.lifecycle or {}
    expirations = [r["Expiration"]["Days"] for r in lifecycle if "Days" in r.get("Expiration", {})]
    assert expirations == ([wanted["expireAfterDays"]] if wanted.get("expireAfterDays") else [])
    if wanted.get("transitionToGlacierAfterDays"):
        transitions = [t for r in lifecycle for t in r.get("Transitions", [])]
        assert {"Days": wanted["transitionToGlacierAfterDays"], "StorageClass": "GLACIER"} in (
            transitions
        )
    if wanted.get("noncurrentVersionExpireAfterDays"):
        noncurrent = [
            r["NoncurrentVersionExpiration"]
            for r in lifecycle
            if "NoncurrentVersionExpiration" in r
        ]
        assert noncurrent[0]["NoncurrentDays"] == wanted["noncurrentVersionExpireAfterDays"]


def test_log_groups_encrypted_with_retention(deployed: Deployment) -> None:
    logs = deployed.account.client("logs")
    key_arn = deployed.outputs()["KmsKeyArn"]
    groups = {g["logGroupName"]: g for g in logs.describe_log_groups()["logGroups"]}
    audit = LOG_GROUP.format(region=REGION)
    if deployed.expected.cloudwatch:
        assert groups[audit]["kmsKeyId"] == key_arn
        assert groups[audit].get("retentionInDays") == deployed.expected.retention
        assert deployed.outputs()["LogGroupName"] == audit
    else:
        assert audit not in groups
    # The function's own log group: encrypted with the same key, and where its logs went.
    function_groups = [g for g in groups.values() if g["logGroupName"].startswith("/aws/lambda/")]
    assert len(function_groups) == 1, list(groups)
    assert function_groups[0]["kmsKeyId"] == key_arn
    events = logs.filter_log_events(logGroupName=function_groups[0]["logGroupName"])["events"]
    assert any("Answering" in e["message"] for e in events)


def test_roles_and_trust_policies(deployed: Deployment) -> None:
    account = deployed.account
    iam = account.client("iam")
    # The stack's roles (not those a sample's `readerRoles` names, which were there before).
    own = {
        r["PhysicalResourceId"]
        for r in account.resources(STACK).values()
        if r["ResourceType"] == "AWS::IAM::Role"
    }
    roles = {r["RoleName"]: r for r in iam.list_roles()["Roles"] if r["RoleName"] in own}
    for name in roles:
        assert REGION in name, f"IAM names must carry the region: {name}"
    trusted = {
        name: _policy(role["AssumeRolePolicyDocument"])["Statement"] for name, role in roles.items()
    }
    lambda_roles = [
        n for n, s in trusted.items() if s[0]["Principal"].get("Service") == "lambda.amazonaws.com"
    ]
    assert len(lambda_roles) == 1, trusted
    service_role_arn = deployed.outputs().get("ServiceRoleArn")
    if not deployed.expected.cloudwatch:
        assert service_role_arn is None
        assert len(roles) == 1, list(roles)
        return
    name = service_role_arn.rsplit("/", 1)[1]
    # The trust policy, read with the AWS CLI.
    shown = account.aws("iam", "get-role", "--role-name", name)
    assert shown.returncode == 0, shown
    statements = _policy(shown.json()["Role"]["AssumeRolePolicyDocument"])["Statement"]
    assert len(statements) == 1
    statement = statements[0]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"Service": "bedrock.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == deployed.account_id
    assert statement["Condition"]["ArnLike"]["aws:SourceArn"] == (
        f"arn:aws:bedrock:{REGION}:{deployed.account_id}:*"
    )


def test_outputs_published_as_tagged_ssm_parameters(deployed: Deployment) -> None:
    ssm = deployed.account.client("ssm")
    outputs = set(deployed.outputs().values())
    names = [
        r["Properties"]["Name"]
        for r in deployed.template["Resources"].values()
        if r["Type"] == "AWS::SSM::Parameter"
    ]
    assert names
    for name in names:
        assert isinstance(name, str) and name.startswith(deployed.expected.ssm_prefix + "/")
        parameter = ssm.get_parameter(Name=name)["Parameter"]
        assert parameter["Value"] in outputs, (name, parameter["Value"])
        listed = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"]
        assert {t["Key"]: t["Value"] for t in listed} == deployed.expected.tags


def test_every_template_has_a_sample() -> None:
    pairs = sample_pairs()
    assert pairs, "no committed templates found"
    for template, sample in pairs:
        assert sample.exists(), f"{template} has no sample config at {sample}"
