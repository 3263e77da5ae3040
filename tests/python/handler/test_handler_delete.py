import pytest
from handler_support import (
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    EXPECTED_TOGGLES,
    LARGE_DATA,
    S3,
    current_config,
    props,
)

OTHER = {
    **EXPECTED_TOGGLES,
    "s3Config": {"bucketName": "someone-elses-bucket", "keyPrefix": "theirs"},
    "cloudWatchConfig": {
        "logGroupName": "/someone/elses/group",
        "roleArn": "arn:aws:iam::123456789012:role/theirs",
    },
}


@pytest.mark.parametrize(
    "parts",
    [(S3,), (CLOUDWATCH,), (CLOUDWATCH, LARGE_DATA), (S3, CLOUDWATCH, LARGE_DATA)],
    ids=["s3-only", "cloudwatch-only", "cloudwatch-large-data", "both"],
)
def test_delete_removes_our_own_configuration(harness, bedrock, parts):
    created = harness.run("Create", props(*parts))
    assert created["Status"] == "SUCCESS"
    assert current_config(bedrock)

    answer = harness.run(
        "Delete",
        props(*parts),
        physical_id=created["PhysicalResourceId"],
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert "removed" in answer["Reason"]
    assert current_config(bedrock) == {}


@pytest.mark.parametrize(
    "current",
    [
        {"s3Config": {"bucketName": S3["S3BucketName"]}},
        {"cloudWatchConfig": {"logGroupName": CLOUDWATCH["CloudWatchLogGroupName"]}},
    ],
    ids=["same-bucket", "same-log-group"],
)
def test_delete_matches_on_bucket_or_log_group(harness, bedrock, current):
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={**OTHER, **{k: {**OTHER[k], **v} for k, v in current.items()}},
    )

    answer = harness.run(
        "Delete",
        props(S3, CLOUDWATCH),
        physical_id=EXPECTED_PHYSICAL_ID,
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert current_config(bedrock) == {}


def test_delete_leaves_someone_elses_configuration_in_place(
    harness,
    bedrock,
    bedrock_calls,
):
    bedrock.put_model_invocation_logging_configuration(loggingConfig=OTHER)

    answer = harness.run(
        "Delete",
        props(S3, CLOUDWATCH),
        physical_id=EXPECTED_PHYSICAL_ID,
    )

    assert answer["Status"] == "SUCCESS"
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert "Left the current configuration in place" in answer["Reason"]
    assert current_config(bedrock) == OTHER
    assert "delete" not in bedrock_calls.calls


def test_delete_when_nothing_is_configured_succeeds(harness, bedrock, bedrock_calls):
    answer = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)

    assert answer["Status"] == "SUCCESS"
    assert "nothing to remove" in answer["Reason"]
    assert bedrock_calls.calls == ["get"]


def test_delete_after_a_failed_create_does_not_call_bedrock(
    harness,
    bedrock,
    bedrock_calls,
    monkeypatch,
):
    # A configuration that happens to point at the same bucket (say, put by hand).
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={
            **EXPECTED_TOGGLES,
            "s3Config": {"bucketName": S3["S3BucketName"]},
        }
    )
    before = current_config(bedrock)
    bedrock_calls.calls.clear()
    clients = []
    real = harness.module.bedrock
    monkeypatch.setattr(harness.module, "bedrock", lambda: clients.append(1) or real())

    failed = harness.run("Create", props(S3, VideoDataDeliveryEnabled="maybe"))
    assert failed["Status"] == "FAILED"
    assert failed["PhysicalResourceId"].endswith("-create-failed")

    # CloudFormation's rollback sends a Delete with the id the failed Create answered.
    answer = harness.run(
        "Delete",
        props(S3, VideoDataDeliveryEnabled="maybe"),
        physical_id=failed["PhysicalResourceId"],
    )

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == failed["PhysicalResourceId"]
    assert "Create had failed" in answer["Reason"]
    assert clients == []
    assert bedrock_calls.calls == []
    assert current_config(bedrock) == before


def test_delete_after_a_create_that_bedrock_refused(harness, bedrock, bedrock_calls):
    bedrock_calls.put_errors.append(
        ("ResourceNotFoundException", "no such bucket", 404),
    )

    failed = harness.run("Create", props(S3))
    assert failed["Status"] == "FAILED"
    assert bedrock_calls.calls == ["get", "put"]

    answer = harness.run("Delete", props(S3), physical_id=failed["PhysicalResourceId"])

    assert answer["Status"] == "SUCCESS"
    assert "nothing to remove" in answer["Reason"]
    assert bedrock_calls.calls == ["get", "put", "get"]


def test_delete_after_a_failed_create_leaves_a_configuration_it_did_not_put(
    harness, bedrock, bedrock_calls
):
    # Put by hand, pointing at this stack's bucket: not what this Create would have put.
    by_hand = {**EXPECTED_TOGGLES, "s3Config": {"bucketName": S3["S3BucketName"]}}
    bedrock.put_model_invocation_logging_configuration(loggingConfig=by_hand)

    failed = harness.run("Create", props(S3))
    assert failed["Status"] == "FAILED"
    assert "did not put" in failed["Reason"]

    answer = harness.run("Delete", props(S3), physical_id=failed["PhysicalResourceId"])

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert "Left the current configuration in place" in answer["Reason"]
    assert current_config(bedrock) == by_hand
    assert "delete" not in bedrock_calls.calls


def test_delete_with_an_aws_error_fails_with_the_code(harness, bedrock, monkeypatch):
    from botocore.stub import Stubber

    client = harness.module.bedrock()
    stubber = Stubber(client)
    stubber.add_client_error(
        "get_model_invocation_logging_configuration",
        service_error_code="UnrecognizedClientException",
        service_message="The security token included in the request is invalid.",
        http_status_code=403,
    )
    stubber.activate()
    monkeypatch.setattr(harness.module, "bedrock", lambda: client)

    answer = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert "UnrecognizedClientException" in answer["Reason"]
    assert "security token included in the request is invalid" in answer["Reason"]
    stubber.assert_no_pending_responses()
