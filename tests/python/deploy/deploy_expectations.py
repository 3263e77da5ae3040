"""What a deployed bedrock-settings stack must look like, from its config and documented names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from deploy_harness import REGION, REPO

SAMPLES = REPO / "crates" / "bedrock-settings" / "samples"
TEMPLATES = REPO / "templates"

KINDS = ("text", "image", "embedding", "video", "audio")
BUCKET = "logs-model-invocation-{account}-{region}"
LOG_GROUP = "/aws/bedrock/model-invocation-logs/bedrock-model-invocation-{region}"
KEY_ALIAS = "alias/bedrock-kms-key-{region}"
S3_PREFIX = "bedrock-model-invocation-logs/bedrock-model-invocation-{region}"
CUSTOM_TYPE = "Custom::BedrockInvocationLogging"


@dataclass
class Expected:
    s3: bool
    cloudwatch: bool
    large_data: bool
    retention: int | None
    data_delivery: dict[str, bool]
    tags: dict[str, str]
    ssm_prefix: str
    lifecycle: dict[str, int] | None = field(default=None)

    @property
    def bucket(self) -> bool:
        return self.s3 or self.large_data


def expected_from_config(config: dict[str, Any]) -> Expected:
    """The defaults are the schema's (schema/bedrock-settings.schema.json)."""
    s3 = bool(config.get("enableAuditLoggingToS3", False))
    cloudwatch = bool(config.get("enableAuditLoggingToCloudwatch", False))
    large_data = cloudwatch and config.get("cloudwatchLargeDataDeliveryToS3") is not False
    delivery = config.get("dataDelivery") or {}
    return Expected(
        s3=s3,
        cloudwatch=cloudwatch,
        large_data=large_data,
        retention=config.get("cloudwatchLogRetentionDays"),
        data_delivery={kind: bool(delivery.get(kind, True)) for kind in KINDS},
        tags={str(k): str(v) for k, v in (config.get("tags") or {}).items()},
        ssm_prefix=config.get("ssmParameterPrefix") or "/bedrock-settings",
        lifecycle=config.get("s3Lifecycle"),
    )


def load_config(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def resolve_pseudo(value: Any, account: str) -> Any:
    """Resolve a ``Fn::Sub`` that uses only pseudo parameters (as the templates' prefixes do)."""
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        pseudo = {
            "AWS::AccountId": account,
            "AWS::Region": REGION,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }

        def replace(match: re.Match[str]) -> str:
            return pseudo[match.group(1)]

        return re.sub(r"\$\{([^}]+)\}", replace, value["Fn::Sub"])
    return value


def custom_resource(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    found = [
        (name, resource)
        for name, resource in template["Resources"].items()
        if resource["Type"] == CUSTOM_TYPE
    ]
    assert len(found) == 1, f"expected one {CUSTOM_TYPE}, found {[n for n, _ in found]}"
    return found[0]


def expected_logging_config(
    expected: Expected, template: dict[str, Any], account: str, service_role_arn: str | None
) -> dict[str, Any]:
    """The exact loggingConfig Bedrock must hold for this config: every data-delivery flag,
    on or off, whatever the handler's SDK knows."""
    bucket = BUCKET.format(account=account, region=REGION)
    config: dict[str, Any] = {
        f"{kind}DataDeliveryEnabled": expected.data_delivery[kind] for kind in KINDS
    }
    if expected.s3:
        config["s3Config"] = {"bucketName": bucket, "keyPrefix": S3_PREFIX.format(region=REGION)}
    if expected.cloudwatch:
        assert service_role_arn, "CloudWatch delivery needs the service role"
        cloudwatch: dict[str, Any] = {
            "logGroupName": LOG_GROUP.format(region=REGION),
            "roleArn": service_role_arn,
        }
        if expected.large_data:
            _, resource = custom_resource(template)
            prefix = resolve_pseudo(resource["Properties"]["LargeDataKeyPrefix"], account)
            assert prefix.startswith(S3_PREFIX.format(region=REGION) + "/"), prefix
            cloudwatch["largeDataDeliveryS3Config"] = {"bucketName": bucket, "keyPrefix": prefix}
        config["cloudWatchConfig"] = cloudwatch
    return config


def sample_pairs() -> list[tuple[Path, Path]]:
    """(template, sample config) for every committed template of bedrock-settings (the audit
    module's, audit-*.json, are deployed by test_deploy_audit.py). Those over the inline limit
    deploy through ``--s3-bucket``, as README says (``Account.deploy``)."""
    pairs = []
    for template in sorted(TEMPLATES.glob("*.json")):
        if not template.name.startswith("audit-"):
            pairs.append((template, SAMPLES / f"{template.stem}.yaml"))
    return pairs
