import threading
import time

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
    Clock,
    Context,
    current_config,
    props,
)

FAILED_ID = EXPECTED_PHYSICAL_ID + "-create-failed"
GET = "get_model_invocation_logging_configuration"
PUT = "put_model_invocation_logging_configuration"
PROPAGATING = "Failed to validate permissions for the role (IAM not yet propagated)"


def stubbed(harness, monkeypatch):
    """Makes the handler use a client whose answers the test scripts; Create first reads the
    account's configuration, which is empty."""
    client = harness.module.bedrock()
    # A stubbed answer has no HTTP body for the handler to read: it takes the stub's.
    get = "after-call.bedrock.GetModelInvocationLoggingConfiguration"
    client.meta.events.unregister(get, harness.module.read_whole)
    stubber = Stubber(client)
    stubber.add_response(GET, {"loggingConfig": {}})
    monkeypatch.setattr(harness.module, "bedrock", lambda: client)
    return stubber


def read_timeout(**kwargs):
    raise ReadTimeoutError(endpoint_url="https://bedrock.us-east-1.amazonaws.com")


def on_put(harness, monkeypatch, when, hook):
    """Makes the handler's client call hook at that point of every put (moto still answers)."""
    client = harness.module.bedrock()
    client.meta.events.register_first(
        f"{when}.bedrock.PutModelInvocationLoggingConfiguration", hook
    )
    monkeypatch.setattr(harness.module, "bedrock", lambda: client)


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
    "take-over-not-a-boolean": (
        props(S3, TakeOverExistingConfiguration="yes"),
        ["TakeOverExistingConfiguration"],
    ),
    "record-not-a-parameter-name": (
        props(S3, ReplacedConfigurationParameter="replaced config"),
        ["ReplacedConfigurationParameter"],
    ),
    "take-over-without-record": (
        props(S3, TakeOverExistingConfiguration="true", ReplacedConfigurationParameter=None),
        ["ReplacedConfigurationParameter", "TakeOverExistingConfiguration"],
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


def test_iam_propagation_validation_errors_are_retried_with_backoff(
    harness,
    bedrock,
    bedrock_calls,
):
    bedrock_calls.put_errors += [("ValidationException", PROPAGATING, 400)] * 3

    answer = harness.run("Create", props(S3, CLOUDWATCH))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert bedrock_calls.calls == ["get"] + ["put"] * 4
    assert harness.clock.sleeps == [2, 4, 8]
    assert current_config(bedrock)["s3Config"]["bucketName"] == BUCKET


def test_validation_errors_are_retried_only_within_a_short_window(harness, bedrock_calls):
    # A real misconfiguration (say, a bucket in another region) gives the same error: after
    # a minute it is reported, not retried until the deadline.
    bedrock_calls.always = ("ValidationException", "The bucket is in another region", 400)

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    assert answer["Reason"] == (
        "PutModelInvocationLoggingConfiguration failed: ValidationException: "
        "The bucket is in another region"
    )
    assert answer["PhysicalResourceId"] == FAILED_ID
    window = harness.module.VALIDATION_WINDOW
    assert window <= 60
    assert sum(harness.clock.sleeps) <= window
    assert harness.clock.sleeps == [2, 4, 8, 16, 16]
    assert harness.clock.remaining > 200  # far from the deadline


def test_access_denied_is_not_retried(harness, bedrock, bedrock_calls):
    bedrock_calls.put_errors.append(("AccessDeniedException", "not authorized", 403))

    answer = harness.run("Create", props(S3, CLOUDWATCH))

    assert answer["Status"] == "FAILED"
    assert "AccessDeniedException: not authorized" in answer["Reason"]
    assert bedrock_calls.calls == ["get", "put"]
    assert harness.clock.sleeps == []
    assert current_config(bedrock) == {}


def test_throttling_and_5xx_errors_are_retried(harness, bedrock, bedrock_calls):
    bedrock_calls.put_errors += [
        ("ThrottlingException", "Rate exceeded", 429),
        ("InternalServerException", "oops", 500),
    ]

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    # A 500 may hide a put that took effect: a Get tells, before the put is tried again.
    assert bedrock_calls.calls == ["get", "put", "put", "get", "put"]
    assert harness.clock.sleeps == [2, 4]
    assert current_config(bedrock)["s3Config"]["bucketName"] == BUCKET


def test_a_read_timeout_is_checked_then_retried(harness, bedrock, bedrock_calls, monkeypatch):
    timeouts = []

    def once(**kwargs):
        if not timeouts:
            timeouts.append(1)
            read_timeout()

    on_put(harness, monkeypatch, "before-parameter-build", once)

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert bedrock_calls.calls == ["get", "get", "put"]
    assert harness.clock.sleeps == [2]


@pytest.mark.parametrize("how", ["http-500", "read-timeout"])
def test_a_put_whose_answer_was_lost_is_found_by_a_get(
    harness, bedrock, bedrock_calls, monkeypatch, how
):
    """The put took effect but its answer never came back: the handler asks Bedrock and answers
    SUCCESS, with the stable id, instead of FAILED with an id that skips the cleanup."""
    if how == "http-500":
        bedrock_calls.lost = True
        bedrock_calls.put_errors.append(("InternalServerException", "lost", 500))
    else:
        on_put(harness, monkeypatch, "after-call", read_timeout)

    answer = harness.run("Create", props(S3, CLOUDWATCH))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert bedrock_calls.calls == ["get", "put", "get"]
    assert harness.clock.sleeps == []
    assert current_config(bedrock)["s3Config"]["bucketName"] == BUCKET


def test_an_unknown_outcome_that_cannot_be_checked_fails_and_the_rollback_cleans_up(
    harness, bedrock, bedrock_calls
):
    bedrock_calls.lost = True
    bedrock_calls.put_errors.append(("InternalServerException", "lost", 500))
    bedrock_calls.get_errors += [None, ("AccessDeniedException", "no Get for you", 403)]

    failed = harness.run("Create", props(S3))

    assert failed["Status"] == "FAILED"
    assert failed["PhysicalResourceId"] == FAILED_ID
    assert "InternalServerException: lost" in failed["Reason"]
    assert "unknown" in failed["Reason"] and "no Get for you" in failed["Reason"]
    assert current_config(bedrock)["s3Config"]["bucketName"] == BUCKET  # it did take effect

    # The rollback's Delete asks Bedrock, finds exactly what that Create meant to put: removes it.
    answer = harness.run("Delete", props(S3), physical_id=failed["PhysicalResourceId"])

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["PhysicalResourceId"] == FAILED_ID
    assert "removed" in answer["Reason"]
    assert current_config(bedrock) == {}


def test_a_delete_whose_answer_was_lost_is_found_by_a_get(harness, bedrock, bedrock_calls):
    assert harness.run("Create", props(S3))["Status"] == "SUCCESS"
    bedrock_calls.calls.clear()
    bedrock_calls.lost = True
    bedrock_calls.delete_errors.append(("InternalServerException", "lost", 500))

    answer = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert bedrock_calls.calls == ["get", "delete", "get"]
    assert current_config(bedrock) == {}


def test_a_call_that_hangs_is_abandoned_after_its_bound(
    harness, bedrock, bedrock_calls, monkeypatch
):
    """A connection that trickles bytes defeats the socket timeouts: the whole call is bounded,
    its outcome treated as unknown (checked with a Get), and the put tried again."""
    monkeypatch.setattr(harness.module, "CALL", 0.5)
    release, gone, hung = threading.Event(), threading.Event(), []

    def hang_once(**kwargs):
        if not hung:
            hung.append(1)
            try:
                release.wait(10)
                read_timeout()  # the abandoned call must end without a request
            finally:
                gone.set()

    on_put(harness, monkeypatch, "before-send", hang_once)
    started = time.monotonic()
    try:
        answer = harness.run("Create", props(S3))
    finally:
        release.set()
        gone.wait(10)
    elapsed = time.monotonic() - started

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert hung == [1]
    assert elapsed < 5
    # The abandoned put never reached Bedrock (the Get shows nothing); the second one did.
    assert bedrock_calls.calls[:3] == ["get", "get", "put"]
    assert harness.clock.sleeps == [2]
    assert current_config(bedrock)["s3Config"]["bucketName"] == BUCKET


def test_little_remaining_time_answers_failed_before_the_deadline(
    harness,
    bedrock_calls,
):
    bedrock_calls.always = ("ThrottlingException", "Rate exceeded", 429)
    harness.clock.remaining = 60.0

    answer = harness.run("Create", props(CLOUDWATCH))

    assert answer["Status"] == "FAILED"
    assert "deadline" in answer["Reason"]
    assert "ThrottlingException: Rate exceeded" in answer["Reason"]
    assert answer["PhysicalResourceId"] == FAILED_ID
    # Answered with the safety margin still left on the Lambda's clock.
    assert harness.clock.remaining >= harness.module.MARGIN >= 10
    assert harness.clock.sleeps == [2, 4, 8, 16]
    assert bedrock_calls.calls == ["get"] + ["put"] * 5


def test_too_little_time_to_start_does_not_call_bedrock(harness, bedrock_calls):
    harness.clock.remaining = 20.0

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "FAILED"
    assert "not calling AWS" in answer["Reason"]
    assert bedrock_calls.calls == []

    answer = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)
    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert bedrock_calls.calls == []


def test_the_invocation_is_bounded_whatever_the_function_timeout(handler_module):
    # A function timeout raised to Lambda's maximum must not let the handler outlast the
    # custom resource's ServiceTimeout (360 s): it works at most LIMIT seconds in all.
    clock = Clock(remaining=900.0)
    left = handler_module.budget(Context(clock))

    assert left() == handler_module.LIMIT <= 300
    clock.sleep(100)
    assert left() == handler_module.LIMIT - 100

    short = handler_module.budget(Context(Clock(remaining=60.0)))
    assert short() == 60.0


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


def test_bedrock_sees_exactly_the_configuration(harness, bedrock_calls):
    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    s3 = {"bucketName": BUCKET, "keyPrefix": S3["S3KeyPrefix"]}
    assert bedrock_calls.sent == [{**EXPECTED_TOGGLES, "s3Config": s3}]
