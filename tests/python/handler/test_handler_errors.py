import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber
from handler_support import (
    BUCKET,
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    EXPECTED_TOGGLES,
    LARGE_DATA,
    S3,
    current_config,
    props,
)

FAILED_ID = EXPECTED_PHYSICAL_ID + "-create-failed"
PUT = "put_model_invocation_logging_configuration"


def stubbed(harness, monkeypatch):
    """Makes the handler use a client whose answers the test scripts."""
    client = harness.module.bedrock()
    stubber = Stubber(client)
    monkeypatch.setattr(harness.module, "bedrock", lambda: client)
    return stubber


MALFORMED = {
    "bad-boolean": (
        props(S3, VideoDataDeliveryEnabled="yes"),
        ["VideoDataDeliveryEnabled"],
    ),
    "boolean-wrong-case": (
        props(S3, TextDataDeliveryEnabled="True"),
        ["TextDataDeliveryEnabled"],
    ),
    "boolean-number": (
        props(S3, AudioDataDeliveryEnabled="1"),
        ["AudioDataDeliveryEnabled"],
    ),
    "boolean-empty": (
        props(S3, ImageDataDeliveryEnabled=""),
        ["ImageDataDeliveryEnabled"],
    ),
    "missing-boolean": (
        {k: v for k, v in props(S3).items() if k != "EmbeddingDataDeliveryEnabled"},
        ["EmbeddingDataDeliveryEnabled"],
    ),
    "missing-role-arn": (
        props(CLOUDWATCH, CloudWatchRoleArn=None),
        ["CloudWatchRoleArn"],
    ),
    "role-arn-without-log-group": (
        props(S3, CLOUDWATCH, CloudWatchLogGroupName=None),
        ["CloudWatchLogGroupName", "CloudWatchRoleArn"],
    ),
    "role-arn-not-an-arn": (
        props(CLOUDWATCH, CloudWatchRoleArn="bedrock-logging-role"),
        ["CloudWatchRoleArn"],
    ),
    "no-destination": (props(), ["S3BucketName", "CloudWatchLogGroupName"]),
    "prefix-without-bucket": (
        props(S3, S3BucketName=None),
        ["S3KeyPrefix", "S3BucketName"],
    ),
    "empty-bucket": (props(S3, S3BucketName=""), ["S3BucketName"]),
    "bucket-not-a-string": (props(S3, S3BucketName=["a", "b"]), ["S3BucketName"]),
    "large-data-without-cloudwatch": (
        props(S3, LARGE_DATA),
        ["LargeDataBucketName", "CloudWatchLogGroupName"],
    ),
    "large-data-prefix-without-bucket": (
        props(CLOUDWATCH, LARGE_DATA, LargeDataBucketName=None),
        ["LargeDataKeyPrefix", "LargeDataBucketName"],
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_properties_fail_naming_the_property(harness, bedrock_calls, case):
    properties, named = MALFORMED[case]

    answer = harness.run("Create", properties)

    assert answer["Status"] == "FAILED"
    assert answer["Reason"].startswith("Malformed properties: ")
    for name in named:
        assert name in answer["Reason"]
    assert answer["PhysicalResourceId"] == FAILED_ID
    assert answer["Data"] == {}
    assert bedrock_calls.calls == []


def test_malformed_update_keeps_the_id_and_the_configuration(
    harness,
    bedrock,
    bedrock_calls,
):
    assert harness.run("Create", props(S3))["Status"] == "SUCCESS"
    before = current_config(bedrock)

    answer = harness.run(
        "Update",
        props(S3, TextDataDeliveryEnabled="on"),
        physical_id=EXPECTED_PHYSICAL_ID,
    )

    assert answer["Status"] == "FAILED"
    assert "TextDataDeliveryEnabled" in answer["Reason"]
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert current_config(bedrock) == before


def test_unknown_request_type_fails(harness, bedrock_calls):
    answer = harness.run("Replace", props(S3), physical_id=EXPECTED_PHYSICAL_ID)

    assert answer["Status"] == "FAILED"
    assert "RequestType" in answer["Reason"]
    assert bedrock_calls.calls == []


def test_aws_error_reason_carries_code_and_message(harness, bedrock, monkeypatch):
    stubber = stubbed(harness, monkeypatch)
    stubber.add_client_error(
        PUT,
        service_error_code="UnrecognizedClientException",
        service_message="The security token included in the request is invalid.",
        http_status_code=403,
    )
    stubber.activate()

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == (
        "PutModelInvocationLoggingConfiguration failed: UnrecognizedClientException: "
        "The security token included in the request is invalid."
    )
    assert answer["PhysicalResourceId"] == FAILED_ID
    assert harness.clock.sleeps == []  # not a transient error
    stubber.assert_no_pending_responses()


def test_aws_error_from_moto_reaches_the_reason(harness, bedrock_calls):
    bedrock_calls.put_errors.append(
        ("ConflictException", "Another update is running", 409),
    )

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    assert "ConflictException" in answer["Reason"]
    assert "Another update is running" in answer["Reason"]


@pytest.mark.parametrize(
    "char",
    ["x", "\u00e9", "\U0001f600"],
    ids=["ascii", "accent", "emoji"],
)
def test_a_long_aws_message_keeps_the_answer_under_4096_bytes(
    harness,
    monkeypatch,
    char,
):
    stubber = stubbed(harness, monkeypatch)
    stubber.add_client_error(PUT, "SomeException", char * 10000, http_status_code=400)
    stubber.activate()

    answer = harness.run("Create", props(S3, CLOUDWATCH, LARGE_DATA))

    assert answer["Status"] == "FAILED"
    assert "SomeException" in answer["Reason"]
    assert len(answer["_request"]["raw_body"]) <= 4096


@pytest.mark.parametrize("code", ["ValidationException", "AccessDeniedException"])
def test_iam_propagation_errors_are_retried_with_backoff(
    harness,
    bedrock,
    bedrock_calls,
    code,
):
    message = "Failed to validate permissions for the role (IAM not yet propagated)"
    bedrock_calls.put_errors += [(code, message, 400)] * 3

    answer = harness.run("Create", props(S3, CLOUDWATCH))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert bedrock_calls.calls == ["put"] * 4
    assert harness.clock.sleeps == [2, 4, 8]
    assert current_config(bedrock)["s3Config"]["bucketName"] == BUCKET


def test_throttling_5xx_and_network_errors_are_retried(harness, bedrock, monkeypatch):
    stubber = stubbed(harness, monkeypatch)
    stubber.add_client_error(
        PUT,
        "ThrottlingException",
        "Rate exceeded",
        http_status_code=429,
    )
    stubber.add_client_error(
        PUT,
        "InternalServerException",
        "oops",
        http_status_code=500,
    )
    stubber.add_response(PUT, {})
    stubber.activate()
    timeouts = []

    def read_timeout(**kwargs):
        if not timeouts:
            timeouts.append(1)
            raise ReadTimeoutError(
                endpoint_url="https://bedrock.us-east-1.amazonaws.com",
            )

    client = harness.module.bedrock()
    client.meta.events.register_first(
        "before-parameter-build.bedrock.PutModelInvocationLoggingConfiguration",
        read_timeout,
    )

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert harness.clock.sleeps == [2, 4, 8]
    stubber.assert_no_pending_responses()


def test_retries_stop_after_a_bounded_number_of_attempts(harness, monkeypatch):
    stubber = stubbed(harness, monkeypatch)
    attempts = harness.module.ATTEMPTS
    for _ in range(attempts):
        stubber.add_client_error(PUT, "AccessDeniedException", "not authorized", 403)
    stubber.activate()

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    assert "AccessDeniedException: not authorized" in answer["Reason"]
    assert len(harness.clock.sleeps) == attempts - 1
    assert harness.clock.sleeps == sorted(harness.clock.sleeps)
    assert max(harness.clock.sleeps) <= 32
    stubber.assert_no_pending_responses()


def test_little_remaining_time_answers_failed_before_the_deadline(
    harness,
    bedrock_calls,
):
    message = "Failed to validate permissions for log group"
    bedrock_calls.always = ("ValidationException", message, 400)
    harness.clock.remaining = 60.0

    answer = harness.run("Create", props(CLOUDWATCH))

    assert answer["Status"] == "FAILED"
    assert "Lambda timeout" in answer["Reason"]
    assert f"ValidationException: {message}" in answer["Reason"]
    assert answer["PhysicalResourceId"] == FAILED_ID
    # Answered with the safety margin still left on the Lambda's clock.
    assert harness.clock.remaining >= harness.module.MARGIN >= 10
    assert harness.clock.sleeps == [2, 4, 8, 16]
    assert bedrock_calls.calls == ["put"] * 5


def test_too_little_time_to_start_does_not_call_bedrock(harness, bedrock_calls):
    harness.clock.remaining = 20.0

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    assert "not calling Bedrock" in answer["Reason"]
    assert bedrock_calls.calls == []

    answer = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)
    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert bedrock_calls.calls == []


def test_unexpected_exception_still_answers(harness, monkeypatch):
    def broken():
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(harness.module, "bedrock", broken)

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    expected = "Unexpected error: RuntimeError: something nobody expected"
    assert answer["Reason"] == expected
    assert answer["PhysicalResourceId"] == FAILED_ID

    answer = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)
    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID


def test_bedrock_sees_exactly_the_configuration(harness, bedrock, monkeypatch):
    stubber = stubbed(harness, monkeypatch)
    stubber.add_response(
        PUT,
        {},
        expected_params={
            "loggingConfig": {
                **EXPECTED_TOGGLES,
                "s3Config": {"bucketName": BUCKET, "keyPrefix": S3["S3KeyPrefix"]},
            }
        },
    )
    stubber.activate()

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    stubber.assert_no_pending_responses()
