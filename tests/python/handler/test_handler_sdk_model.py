"""The handler sends only the fields its SDK knows: an older boto3 (for example the one in
an older Lambda runtime) rejects unknown loggingConfig members before calling Bedrock."""

import json
import logging

import boto3
import botocore.loaders
import pytest
from botocore.exceptions import ParamValidationError
from handler_support import EXPECTED_TOGGLES, REGION, S3, current_config, props

MISSING = ("videoDataDeliveryEnabled", "audioDataDeliveryEnabled")


@pytest.fixture
def older_sdk(aws, tmp_path, monkeypatch):
    """botocore loads this copy of the Bedrock model, without video and audio toggles."""
    loader = botocore.loaders.create_loader()
    version = loader.determine_latest_version("bedrock", "service-2")
    model = loader.load_service_model("bedrock", "service-2", version)
    members = model["shapes"]["LoggingConfig"]["members"]
    for name in MISSING:
        del members[name]
    folder = tmp_path / "models" / "bedrock" / version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(model), encoding="utf-8")
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path / "models"))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


def test_the_simulated_sdk_really_rejects_the_new_fields(older_sdk):
    client = boto3.client("bedrock", region_name=REGION)
    with pytest.raises(ParamValidationError, match="videoDataDeliveryEnabled"):
        client.put_model_invocation_logging_configuration(
            loggingConfig={**EXPECTED_TOGGLES, "s3Config": {"bucketName": "b"}},
        )


def test_fields_unknown_to_the_sdk_are_dropped_with_a_log_line(
    older_sdk,
    harness,
    caplog,
):
    caplog.set_level(logging.INFO)

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["SkippedFields"] == ",".join(MISSING)
    for name in MISSING:
        assert name in answer["Reason"]
        assert name in caplog.text
    expected = {k: v for k, v in EXPECTED_TOGGLES.items() if k not in MISSING}
    config = current_config(boto3.client("bedrock", region_name=REGION))
    assert {k: v for k, v in config.items() if k.endswith("Enabled")} == expected
    assert config["s3Config"]["bucketName"] == S3["S3BucketName"]


def test_the_current_sdk_sends_every_field(harness, bedrock):
    answer = harness.run("Create", props(S3))

    assert answer["Data"]["SkippedFields"] == ""
    assert set(MISSING) <= set(current_config(bedrock))


def test_nested_members_are_filtered_too(handler_module):
    shape = (
        boto3.client("bedrock", region_name=REGION)
        .meta.service_model.operation_model("PutModelInvocationLoggingConfiguration")
        .input_shape.members["loggingConfig"]
    )
    config = {
        "textDataDeliveryEnabled": True,
        "futureToggle": True,
        "cloudWatchConfig": {"logGroupName": "g", "roleArn": "r", "futureNested": 1},
    }

    kept, dropped = handler_module.fit(config, shape)

    assert kept == {
        "textDataDeliveryEnabled": True,
        "cloudWatchConfig": {"logGroupName": "g", "roleArn": "r"},
    }
    assert dropped == ["futureToggle", "cloudWatchConfig.futureNested"]
