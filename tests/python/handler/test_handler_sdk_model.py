"""Fields the handler's SDK does not know: an older boto3 (for example the one in an older
Lambda runtime) rejects unknown loggingConfig members before calling Bedrock. The handler
never sends them; unless the config allows it, it fails rather than log less than asked."""

import json
import logging

import boto3
import botocore.loaders
import pytest
from botocore.exceptions import ParamValidationError
from handler_support import (
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    EXPECTED_TOGGLES,
    LARGE_DATA,
    REGION,
    S3,
    current_config,
    props,
)

MISSING = ("videoDataDeliveryEnabled", "audioDataDeliveryEnabled")
LARGE = "cloudWatchConfig.largeDataDeliveryS3Config"


def without(tmp_path, monkeypatch, shape, names):
    """Makes botocore load a copy of the Bedrock model whose `shape` lacks `names`."""
    loader = botocore.loaders.create_loader()
    version = loader.determine_latest_version("bedrock", "service-2")
    model = loader.load_service_model("bedrock", "service-2", version)
    members = model["shapes"][shape]["members"]
    for name in names:
        del members[name]
    folder = tmp_path / "models" / "bedrock" / version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(model), encoding="utf-8")
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path / "models"))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


@pytest.fixture
def older_sdk(aws, tmp_path, monkeypatch):
    """An SDK without the video and audio toggles."""
    without(tmp_path, monkeypatch, "LoggingConfig", MISSING)


@pytest.fixture
def sdk_without_large_data(aws, tmp_path, monkeypatch):
    without(tmp_path, monkeypatch, "CloudWatchConfig", ["largeDataDeliveryS3Config"])


def toggles(config):
    return {k: v for k, v in config.items() if k.endswith("Enabled")}


def test_the_simulated_sdk_really_rejects_the_new_fields(older_sdk):
    client = boto3.client("bedrock", region_name=REGION)
    with pytest.raises(ParamValidationError, match="videoDataDeliveryEnabled"):
        client.put_model_invocation_logging_configuration(
            loggingConfig={**EXPECTED_TOGGLES, "s3Config": {"bucketName": "bbb"}},
        )


def test_a_field_the_sdk_cannot_send_fails_the_deployment(older_sdk, harness, bedrock_calls):
    # Video is on (the SDK cannot ask for it); audio is off (leaving it out asks for no less).
    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"].endswith("-create-failed")
    assert "videoDataDeliveryEnabled" in answer["Reason"]
    assert "audioDataDeliveryEnabled" not in answer["Reason"]
    assert "allowUnsupportedDataDelivery: true" in answer["Reason"]
    assert bedrock_calls.calls == []

    # Nothing was put, so the rollback's Delete has nothing to do.
    deleted = harness.run("Delete", props(S3), physical_id=answer["PhysicalResourceId"])
    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert "nothing to remove" in deleted["Reason"]
    assert bedrock_calls.calls == []


def test_large_data_delivery_the_sdk_cannot_send_fails_the_deployment(
    sdk_without_large_data, harness, bedrock_calls
):
    answer = harness.run("Create", props(CLOUDWATCH, LARGE_DATA))

    assert answer["Status"] == "FAILED"
    assert LARGE in answer["Reason"]
    assert bedrock_calls.calls == []


def test_an_update_the_sdk_cannot_send_fails_and_keeps_the_configuration(
    harness, bedrock, tmp_path, monkeypatch
):
    assert harness.run("Create", props(S3))["Status"] == "SUCCESS"
    before = current_config(bedrock)
    without(tmp_path, monkeypatch, "LoggingConfig", MISSING)

    answer = harness.run("Update", props(S3), physical_id=EXPECTED_PHYSICAL_ID)

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert "videoDataDeliveryEnabled" in answer["Reason"]
    assert current_config(bedrock) == before


def test_an_off_toggle_the_sdk_lacks_is_simply_not_sent(older_sdk, harness, caplog):
    caplog.set_level(logging.INFO)

    answer = harness.run("Create", props(S3, VideoDataDeliveryEnabled="false"))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["SkippedFields"] == ",".join(MISSING)
    config = current_config(boto3.client("bedrock", region_name=REGION))
    expected = {k: v for k, v in EXPECTED_TOGGLES.items() if k not in MISSING}
    assert toggles(config) == expected


def test_unsupported_fields_are_left_out_when_the_config_allows_it(older_sdk, harness, caplog):
    caplog.set_level(logging.INFO)

    answer = harness.run("Create", props(S3, AllowUnsupportedDataDelivery="true"))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["SkippedFields"] == ",".join(MISSING)
    for name in MISSING:
        assert name in answer["Reason"]
        assert name in caplog.text
    expected = {k: v for k, v in EXPECTED_TOGGLES.items() if k not in MISSING}
    config = current_config(boto3.client("bedrock", region_name=REGION))
    assert toggles(config) == expected
    assert config["s3Config"]["bucketName"] == S3["S3BucketName"]


def test_large_data_delivery_is_left_out_when_the_config_allows_it(sdk_without_large_data, harness):
    answer = harness.run(
        "Create", props(CLOUDWATCH, LARGE_DATA, AllowUnsupportedDataDelivery="true")
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Data"]["SkippedFields"] == LARGE
    config = current_config(boto3.client("bedrock", region_name=REGION))
    assert "largeDataDeliveryS3Config" not in config["cloudWatchConfig"]


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
    assert dropped == {"futureToggle": True, "cloudWatchConfig.futureNested": 1}
