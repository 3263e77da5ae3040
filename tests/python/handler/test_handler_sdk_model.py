"""Fields the handler's SDK does not know. Bedrock turns on a delivery flag that a request
leaves out, and an older botocore (for example the one of an older Lambda runtime) rejects a
loggingConfig member its model lacks and drops it from a Get's answer. The handler sends every
field and reads every field whatever the SDK knows.

These tests run twice: with the pinned botocore, on which ``older_sdk`` hides fields from the
SDK's model, and with a botocore that predates the video and audio flags
(tests/python/requirements-old-botocore.txt), which ``HANDLER_SDK_LACKS`` names."""

import json
import os

import boto3
import botocore.loaders
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ParamValidationError
from handler_support import (
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    EXPECTED_TOGGLES,
    LARGE_DATA,
    RECORD,
    REGION,
    S3,
    current_config,
    props,
    recorded,
)

FLAGS = tuple(EXPECTED_TOGGLES)
MISSING = ("videoDataDeliveryEnabled", "audioDataDeliveryEnabled")
PUT = "PutModelInvocationLoggingConfiguration"
S3_CONFIG = {"bucketName": S3["S3BucketName"], "keyPrefix": S3["S3KeyPrefix"]}
# Audio off is the case that failed open: an SDK without the flag left it out, so Bedrock
# logged audio. Each flag is sent both ways.
PATTERNS = {
    "audio-off": EXPECTED_TOGGLES,
    "inverted": {k: not v for k, v in EXPECTED_TOGGLES.items()},
    "only-text": {k: k.startswith("text") for k in FLAGS},
}


def without(tmp_path, monkeypatch, shape, names):
    """Makes botocore load a copy of the Bedrock model whose `shape` lacks `names` (an SDK
    that predates them already does)."""
    loader = botocore.loaders.create_loader()
    version = loader.determine_latest_version("bedrock", "service-2")
    model = loader.load_service_model("bedrock", "service-2", version)
    members = model["shapes"][shape]["members"]
    for name in names:
        members.pop(name, None)
    folder = tmp_path / "models" / "bedrock" / version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(model), encoding="utf-8")
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path / "models"))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)


@pytest.fixture(params=["this-sdk", "older-sdk"])
def sdk(request, aws, tmp_path, monkeypatch):
    """The SDK of this run, and one without the video and audio flags."""
    if request.param == "older-sdk":
        without(tmp_path, monkeypatch, "LoggingConfig", MISSING)
    return request.param


@pytest.fixture
def older_sdk(aws, tmp_path, monkeypatch):
    without(tmp_path, monkeypatch, "LoggingConfig", MISSING)


def known_flags():
    model = boto3.client("bedrock", region_name=REGION).meta.service_model
    return {name for name in model.shape_for("LoggingConfig").members if name in FLAGS}


def as_strings(toggles):
    """Data-delivery properties as CloudFormation passes them."""
    return {k[0].upper() + k[1:]: str(v).lower() for k, v in toggles.items()}


def test_this_run_has_the_sdk_it_says(aws):
    lacks = {n for n in os.environ.get("HANDLER_SDK_LACKS", "").split(",") if n}
    assert known_flags() == set(FLAGS) - lacks, (
        "HANDLER_SDK_LACKS names the flags this run's botocore does not know"
    )


def test_the_older_sdk_really_rejects_the_flags_it_lacks(older_sdk):
    assert known_flags() == set(FLAGS) - set(MISSING)
    client = boto3.client("bedrock", region_name=REGION)
    with pytest.raises(ParamValidationError, match="videoDataDeliveryEnabled"):
        client.put_model_invocation_logging_configuration(
            loggingConfig={**EXPECTED_TOGGLES, "s3Config": {"bucketName": "bbb"}},
        )


@pytest.mark.parametrize("pattern", PATTERNS, ids=list(PATTERNS))
def test_every_flag_reaches_bedrock_on_or_off(sdk, harness, bedrock, bedrock_calls, pattern):
    toggles = PATTERNS[pattern]

    answer = harness.run("Create", props(S3, **as_strings(toggles)))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert bedrock_calls.sent == [{**toggles, "s3Config": S3_CONFIG}]
    assert current_config(bedrock) == {**toggles, "s3Config": S3_CONFIG}


def test_an_update_sends_every_flag_too(older_sdk, harness, bedrock, bedrock_calls):
    assert harness.run("Create", props(S3))["Status"] == "SUCCESS"
    inverted = PATTERNS["inverted"]

    answer = harness.run("Update", props(S3, **as_strings(inverted)), EXPECTED_PHYSICAL_ID)

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Reason"] == "Model invocation logging configured"
    assert bedrock_calls.sent[-1] == {**inverted, "s3Config": S3_CONFIG}
    assert current_config(bedrock) == {**inverted, "s3Config": S3_CONFIG}


def test_large_data_delivery_reaches_bedrock_on_an_sdk_without_it(
    aws, tmp_path, monkeypatch, harness, bedrock
):
    without(tmp_path, monkeypatch, "CloudWatchConfig", ["largeDataDeliveryS3Config"])

    answer = harness.run("Create", props(CLOUDWATCH, LARGE_DATA))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    large = current_config(bedrock)["cloudWatchConfig"]["largeDataDeliveryS3Config"]
    assert large == {
        "bucketName": LARGE_DATA["LargeDataBucketName"],
        "keyPrefix": LARGE_DATA["LargeDataKeyPrefix"],
    }


def test_the_whole_body_is_what_the_sdk_signs_and_sends(older_sdk, harness, monkeypatch):
    sent = []
    client = harness.module.bedrock()
    # First, so that it sees the request before the emulator answers it.
    client.meta.events.register_first(
        f"before-send.bedrock.{PUT}", lambda request, **_: sent.append(request)
    )
    monkeypatch.setattr(harness.module, "bedrock", lambda: client)

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    (request,) = sent
    body = request.body
    assert json.loads(body) == {"loggingConfig": {**EXPECTED_TOGGLES, "s3Config": S3_CONFIG}}
    assert request.headers["Content-Length"] == str(len(body))
    # SigV4 over the same request, at the same time, must give the same signature: the
    # signature covers the body that went out, flags the SDK does not know included.
    sent_headers = {
        k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()
    }
    authorization = sent_headers["Authorization"]
    signed = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
    headers = {k: v for k, v in sent_headers.items() if k.lower() in signed}
    replay = AWSRequest(method=request.method, url=request.url, headers=headers, data=body)
    replay.context["timestamp"] = sent_headers["X-Amz-Date"]
    credentials = boto3.Session().get_credentials()  # the emulator's, as the handler found them
    auth = SigV4Auth(credentials, "bedrock", REGION)
    signature = auth.signature(auth.string_to_sign(replay, auth.canonical_request(replay)), replay)
    assert authorization.endswith(f"Signature={signature}")


def test_a_get_reads_every_flag_so_create_knows_its_own_configuration(sdk, harness, bedrock):
    # What this stack would put is already there: only a Get that kept the flags the SDK
    # lacks shows it, and Create then needs no take-over.
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={**EXPECTED_TOGGLES, "s3Config": S3_CONFIG}
    )

    answer = harness.run("Create", props(S3))

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    assert answer["Reason"] == "Model invocation logging configured"


def test_a_taken_over_configuration_is_recorded_and_put_back_whole(
    older_sdk, harness, bedrock, bedrock_calls, ssm
):
    theirs = {
        **PATTERNS["inverted"],
        "s3Config": {"bucketName": "their-audit-bucket", "keyPrefix": "theirs"},
    }
    bedrock.put_model_invocation_logging_configuration(loggingConfig=theirs)
    taking = props(S3, TakeOverExistingConfiguration="true")

    created = harness.run("Create", taking)
    assert created["Status"] == "SUCCESS", created["Reason"]
    assert recorded(ssm) == theirs

    deleted = harness.run("Delete", taking, physical_id=EXPECTED_PHYSICAL_ID)

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert "Put back" in deleted["Reason"]
    assert bedrock_calls.sent[-1] == theirs
    assert current_config(bedrock) == theirs
    assert recorded(ssm, RECORD) is None


def test_fit_keeps_what_the_model_knows_at_every_depth(handler_module):
    shape = (
        boto3.client("bedrock", region_name=REGION)
        .meta.service_model.operation_model(PUT)
        .input_shape.members["loggingConfig"]
    )
    config = {
        "textDataDeliveryEnabled": True,
        "futureToggle": False,
        "cloudWatchConfig": {"logGroupName": "g", "roleArn": "r", "futureNested": {"a": 1}},
    }

    assert handler_module.fit(config, shape) == {
        "textDataDeliveryEnabled": True,
        "cloudWatchConfig": {"logGroupName": "g", "roleArn": "r"},
    }
