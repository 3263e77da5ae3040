import pytest
from handler_support import (
    BUCKET,
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    EXPECTED_TOGGLES,
    GROUP,
    LARGE_DATA,
    PREFIX,
    ROLE,
    S3,
    TOGGLES,
    current_config,
    props,
)

S3_CONFIG = {"s3Config": {"bucketName": BUCKET, "keyPrefix": PREFIX}}
CW_CONFIG = {"cloudWatchConfig": {"logGroupName": GROUP, "roleArn": ROLE}}
CW_LARGE_CONFIG = {
    "cloudWatchConfig": {
        "logGroupName": GROUP,
        "roleArn": ROLE,
        "largeDataDeliveryS3Config": {
            "bucketName": BUCKET,
            "keyPrefix": f"{PREFIX}/large-data",
        },
    }
}

MIXES = {
    "s3-only": ((S3,), S3_CONFIG),
    "cloudwatch-only": ((CLOUDWATCH,), CW_CONFIG),
    "cloudwatch-large-data": ((CLOUDWATCH, LARGE_DATA), CW_LARGE_CONFIG),
    "both": ((S3, CLOUDWATCH, LARGE_DATA), {**S3_CONFIG, **CW_LARGE_CONFIG}),
}


@pytest.mark.parametrize("mix", MIXES, ids=list(MIXES))
def test_create_puts_the_configuration_for_each_destination_mix(harness, bedrock, mix):
    parts, expected = MIXES[mix]

    answer = harness.run("Create", props(*parts))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert answer["NoEcho"] is False
    assert current_config(bedrock) == {**EXPECTED_TOGGLES, **expected}
    assert answer["Data"] == {
        "S3BucketName": BUCKET if "s3Config" in expected else "",
        "LogGroupName": GROUP if "cloudWatchConfig" in expected else "",
    }
    assert harness.clock.sleeps == []


def test_answer_is_a_put_with_an_empty_content_type_and_the_standard_body(
    harness,
    bedrock,
):
    answer = harness.run("Create", props(S3))

    request = answer.pop("_request")
    assert request["method"] == "PUT"
    path = request["path"]
    assert path.startswith("/cloudformation-custom-resource-response-useast1/")
    # Present, but empty: the pre-signed URL was signed without a content type.
    assert "Content-Type" in request["headers"]
    assert request["headers"]["Content-Type"] == ""
    assert int(request["headers"]["Content-Length"]) == len(request["raw_body"])
    assert set(answer) == {
        "Status",
        "Reason",
        "PhysicalResourceId",
        "StackId",
        "RequestId",
        "LogicalResourceId",
        "NoEcho",
        "Data",
    }
    assert len(request["raw_body"]) <= 4096


def test_update_keeps_the_physical_id_and_applies_the_new_configuration(
    harness,
    bedrock,
):
    created = harness.run("Create", props(S3))
    assert created["Status"] == "SUCCESS"
    old = props(S3)

    new = props(S3, CLOUDWATCH, TextDataDeliveryEnabled="false")
    updated = harness.run(
        "Update",
        new,
        physical_id=created["PhysicalResourceId"],
        old=old,
    )

    assert updated["Status"] == "SUCCESS", updated["Reason"]
    assert updated["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert created["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert current_config(bedrock) == {
        **EXPECTED_TOGGLES,
        "textDataDeliveryEnabled": False,
        **S3_CONFIG,
        **CW_CONFIG,
    }

    # Back to S3 only: the CloudWatch part is gone (put replaces the whole configuration).
    again = harness.run(
        "Update",
        old,
        physical_id=updated["PhysicalResourceId"],
        old=new,
    )
    assert again["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert current_config(bedrock) == {**EXPECTED_TOGGLES, **S3_CONFIG}


def test_update_echoes_the_physical_id_it_was_given(harness, bedrock):
    # A changed id would make CloudFormation delete the "old" resource, turning logging off.
    answer = harness.run("Update", props(S3), physical_id="id-from-an-earlier-handler")

    assert answer["Status"] == "SUCCESS"
    assert answer["PhysicalResourceId"] == "id-from-an-earlier-handler"


def test_physical_id_derives_from_stack_and_logical_id_only(harness, bedrock):
    first = harness.run("Create", props(S3))
    harness.run("Delete", props(S3), physical_id=first["PhysicalResourceId"])
    second = harness.run("Create", props(CLOUDWATCH))

    assert first["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert second["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID


def test_real_booleans_are_accepted(harness, bedrock):
    toggles = {
        "TextDataDeliveryEnabled": True,
        "ImageDataDeliveryEnabled": False,
        "EmbeddingDataDeliveryEnabled": True,
        "VideoDataDeliveryEnabled": True,
        "AudioDataDeliveryEnabled": False,
    }

    answer = harness.run("Create", props(S3, toggles))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert current_config(bedrock) == {**EXPECTED_TOGGLES, **S3_CONFIG}


def test_all_toggles_off_and_on(harness, bedrock):
    off = {name: "false" for name in TOGGLES}
    assert harness.run("Create", props(S3, off))["Status"] == "SUCCESS"
    enabled = [v for k, v in current_config(bedrock).items() if k.endswith("Enabled")]
    assert enabled == [False] * 5

    on = {name: "true" for name in TOGGLES}
    answer = harness.run("Update", props(S3, on), physical_id=EXPECTED_PHYSICAL_ID)
    assert answer["Status"] == "SUCCESS"
    enabled = [v for k, v in current_config(bedrock).items() if k.endswith("Enabled")]
    assert enabled == [True] * 5


def test_an_empty_key_prefix_sends_no_prefix(harness, bedrock):
    answer = harness.run("Create", props(S3, S3KeyPrefix=""))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert current_config(bedrock)["s3Config"] == {"bucketName": BUCKET}
