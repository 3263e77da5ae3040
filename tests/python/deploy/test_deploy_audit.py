"""The audit module's committed templates (templates/audit-*.json) deployed with the real AWS
CLI into moto, read back through the emulator's APIs, and deleted.

Expectations come from the sample configs (crates/audit/samples/) and the module's documented
names (README: bucket `audit-<account>-<region>`, alias `alias/audit-<region>`, Glue database
`audit`, SSM parameters `/audit/kms/arn`, `/audit/kms/id`, `/audit/bucket/name`,
`/audit/bucket/arn`). The comprehensive sample's roles by name and by ID (held in SSM) exist in
the account first; the resolver finds them when the stack is deployed. As everywhere in these
suites, moto stores policies without evaluating them: they are checked as documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from deploy_harness import REGION, REPO, Account, CliResult, MotoServer, new_account

SAMPLES = REPO / "crates" / "audit" / "samples"
TEMPLATES = REPO / "templates"
STACK = "audit"
ID_PARAMETER = "/sample-org/domain1/generated-role/test-role/id"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})


@dataclass
class Deployment:
    account: Account
    config: dict[str, Any]
    roles: dict[str, str]  # readRoles index -> the ARN the stack must name
    result: CliResult

    @property
    def outputs(self) -> dict[str, str]:
        return self.account.outputs(STACK)

    @property
    def bucket(self) -> str:
        return f"audit-{self.account.account_id}-{REGION}"


def prepare(account: Account, config: dict[str, Any]) -> dict[str, str]:
    """Creates the roles the config names by name or ID (the ID in its SSM parameter); returns
    the ARN each read role must resolve to."""
    iam, ssm = account.client("iam"), account.client("ssm")
    arns = {}
    for i, ref in enumerate(config.get("readRoles", [])):
        if "arn" in ref:
            arns[i] = ref["arn"]
            continue
        name = ref.get("name") or f"IdentifiedReader{i}"
        role = iam.create_role(RoleName=name, Path="/team/", AssumeRolePolicyDocument=TRUST)
        arns[i] = role["Role"]["Arn"]
        if "id" in ref:
            assert ref["id"] == f"ssm:{ID_PARAMETER}", ref
            ssm.put_parameter(Name=ID_PARAMETER, Value=role["Role"]["RoleId"], Type="String")
    return arns


@pytest.fixture(scope="module", params=["default", "minimal", "comprehensive"])
def deployed(request: pytest.FixtureRequest, moto_server: MotoServer) -> Deployment:
    config = yaml.safe_load((SAMPLES / f"{request.param}.yaml").read_text()) or {}
    account = new_account(moto_server)
    roles = prepare(account, config)
    result = account.deploy(TEMPLATES / f"audit-{request.param}.json", STACK)
    if result.returncode != 0:
        pytest.fail(f"deploy failed:\n{result}\n--- moto log ---\n{moto_server.log_tail(120)}")
    return Deployment(account, config, roles, result)


def statements(document: Any) -> dict[str, dict[str, Any]]:
    document = json.loads(document) if isinstance(document, str) else document
    return {s.get("Sid", ""): s for s in document["Statement"]}


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_stack_completes_with_its_outputs_published_in_ssm(deployed: Deployment) -> None:
    account = deployed.account
    assert account.stack(STACK)["StackStatus"] == "CREATE_COMPLETE"
    outputs = deployed.outputs
    assert outputs["BucketName"] == deployed.bucket
    assert outputs["BucketArn"] == f"arn:aws:s3:::{deployed.bucket}"
    ssm = account.client("ssm")
    for name, output in [
        ("/audit/kms/arn", "KmsKeyArn"),
        ("/audit/kms/id", "KmsKeyId"),
        ("/audit/bucket/name", "BucketName"),
        ("/audit/bucket/arn", "BucketArn"),
    ]:
        assert ssm.get_parameter(Name=name)["Parameter"]["Value"] == outputs[output]


def test_read_roles_were_resolved_to_their_arns(deployed: Deployment) -> None:
    resources = deployed.account.resources(STACK)
    for i, arn in deployed.roles.items():
        reference = resources.get(f"ReadRole{i}")
        if "arn" in deployed.config["readRoles"][i]:
            assert reference is None
            continue
        assert reference["ResourceType"] == "Custom::AuditRoleReference"
        assert reference["PhysicalResourceId"] == arn  # path included: /team/
    groups = deployed.account.client("logs").describe_log_groups()["logGroups"]
    resolver = [g for g in groups if g["logGroupName"].startswith("/aws/lambda/")]
    assert len(resolver) == (1 if len(deployed.roles) > 1 else 0)
    if resolver:
        events = deployed.account.client("logs").filter_log_events(
            logGroupName=resolver[0]["logGroupName"]
        )["events"]
        assert any("Resolved to" in e["message"] for e in events)


def test_the_key_rotates_and_lets_cloudtrail_s3_and_the_readers_use_it(
    deployed: Deployment,
) -> None:
    kms = deployed.account.client("kms")
    key = deployed.outputs["KmsKeyArn"]
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    assert aliases[f"alias/audit-{REGION}"] == deployed.outputs["KmsKeyId"]
    policy = statements(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    accounts = [deployed.account.account_id, *deployed.config.get("sourceAccounts", [])]
    trail = policy["CloudTrailEncryptsLogs"]
    assert trail["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert listed(trail["Condition"]["StringEquals"]["aws:SourceAccount"]) == accounts
    contexts = listed(trail["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"])
    assert contexts == [f"arn:aws:cloudtrail:*:{a}:trail/*" for a in accounts]
    regions = [REGION, *deployed.config.get("sourceRegions", [])]
    sources = listed(trail["Condition"]["ArnLike"]["aws:SourceArn"])
    assert sources == [f"arn:aws:cloudtrail:{r}:*:trail/*" for r in regions]
    assert policy["S3EncryptsInventories"]["Principal"] == {"Service": "s3.amazonaws.com"}
    readers = policy.get("ReadRolesReadKey")
    if deployed.roles:
        assert listed(readers["Principal"]["AWS"]) == list(deployed.roles.values())
        assert readers["Action"] == ["kms:Decrypt", "kms:DescribeKey"]
    else:
        assert readers is None
    assert "Fn::" not in json.dumps(policy) and "${" not in json.dumps(policy)


def test_the_bucket_takes_each_accounts_trail_logs_and_the_inventories(
    deployed: Deployment,
) -> None:
    s3 = deployed.account.client("s3")
    rules = s3.get_bucket_encryption(Bucket=deployed.bucket)["ServerSideEncryptionConfiguration"]
    default = rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": deployed.outputs["KmsKeyArn"]}
    assert s3.get_bucket_versioning(Bucket=deployed.bucket)["Status"] == "Enabled"
    shown = deployed.account.aws("s3api", "get-bucket-policy", "--bucket", deployed.bucket)
    assert shown.returncode == 0, shown
    policy = statements(shown.json()["Policy"])
    assert policy["DenyInsecureTransport"]["Condition"]["Bool"]["aws:SecureTransport"] == "false"
    own = deployed.account.account_id
    accounts = {
        "ThisAccount": own,
        **{f"Account{a}": a for a in deployed.config.get("sourceAccounts", [])},
    }
    for sid, account in accounts.items():
        write = policy[f"CloudTrailWritesLogsOf{sid}"]
        assert write["Resource"] == f"arn:aws:s3:::{deployed.bucket}/AWSLogs/{account}/*"
        assert write["Condition"]["StringEquals"] == {
            "aws:SourceAccount": account,
            "s3:x-amz-acl": "bucket-owner-full-control",
        }
        assert write["Condition"]["ArnLike"]["aws:SourceArn"] == (
            f"arn:aws:cloudtrail:*:{account}:trail/*"
        )
    writes = [s for s in policy if s.startswith("CloudTrailWritesLogsOf")]
    assert len(writes) == len(accounts)
    inventory = policy["S3WritesInventories"]
    prefix = deployed.config.get("inventoryPrefix", "inventory/")
    assert inventory["Resource"] == f"arn:aws:s3:::{deployed.bucket}/{prefix}*"
    buckets = sorted({i["bucketName"] for i in deployed.config.get("inventories", [])}) or ["*"]
    sources = listed(inventory["Condition"]["ArnLike"]["aws:SourceArn"])
    assert sources == [f"arn:aws:s3:::{b}" for b in buckets]
    if deployed.roles:
        principals = listed(policy["ReadRolesRead"]["Principal"]["AWS"])
        assert principals == list(deployed.roles.values())
        assert policy["ReadRolesReadBucket"]["Resource"] == f"arn:aws:s3:::{deployed.bucket}"


def test_the_glue_tables_project_the_sources(deployed: Deployment) -> None:
    glue = deployed.account.client("glue")
    assert glue.get_database(Name="audit")["Database"]["Name"] == "audit"
    table = glue.get_table(DatabaseName="audit", Name="cloudtrail_audit")["Table"]
    parameters = table["Parameters"]
    accounts = [deployed.account.account_id, *deployed.config.get("sourceAccounts", [])]
    assert parameters["projection.account.values"] == ",".join(accounts)
    regions = [REGION, *deployed.config.get("sourceRegions", [])]
    assert parameters["projection.region.values"] == ",".join(regions)
    assert parameters["storage.location.template"] == (
        f"s3://{deployed.bucket}/AWSLogs/${{account}}/CloudTrail/${{region}}/${{timestamp}}"
    )
    columns = [c["Name"] for c in table["StorageDescriptor"]["Columns"]]
    assert columns[:3] == ["eventversion", "useridentity", "eventtime"]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["timestamp", "region", "account"]
    inventories = deployed.config.get("inventories", [])
    tables = [t["Name"] for t in glue.get_tables(DatabaseName="audit")["TableList"]]
    assert sorted(tables) == sorted(["cloudtrail_audit"] + (["audit_inv"] if inventories else []))
    if inventories:
        inventory = glue.get_table(DatabaseName="audit", Name="audit_inv")["Table"]
        values = inventory["Parameters"]["projection.bucket_inventory.values"]
        assert values == ",".join(f"{i['bucketName']}/{i['inventoryName']}" for i in inventories)


def test_deleting_the_stack_keeps_the_key_the_bucket_and_its_policy(deployed: Deployment) -> None:
    account = deployed.account
    key = deployed.outputs["KmsKeyArn"]
    deleted = account.delete_stack(STACK)
    assert deleted.returncode == 0, deleted
    summaries = account.client("cloudformation").list_stacks()["StackSummaries"]
    assert [s["StackStatus"] for s in summaries if s["StackName"] == STACK] == ["DELETE_COMPLETE"]
    assert account.client("lambda").list_functions()["Functions"] == []
    assert account.client("kms").describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    assert account.aws("s3api", "get-bucket-policy", "--bucket", deployed.bucket).returncode == 0
    databases = account.client("glue").get_databases()["DatabaseList"]
    assert [d["Name"] for d in databases] == []


def test_a_read_role_that_does_not_exist_fails_the_deployment_and_rolls_back(
    moto_server: MotoServer,
) -> None:
    account = new_account(moto_server)  # no AuditReadOnlyRole, no ID parameter's role
    account.client("ssm").put_parameter(
        Name=ID_PARAMETER, Value="AROAEXAMPLEEXAMPLE1234", Type="String"
    )
    result = account.deploy(TEMPLATES / "audit-comprehensive.json", STACK)
    assert result.returncode != 0
    stack = account.stack(STACK)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE", stack
    reasons = " ".join(e.get("ResourceStatusReason") or "" for e in account.events(STACK))
    assert "no role" in reasons, reasons
