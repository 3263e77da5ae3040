"""A stack another tool deployed (MDAA), switched to this template: its custom resource put the
configuration to this stack's own stores. Create adopts that configuration and records it; a
rollback of the switch puts it back while the predecessor is still in the stack; once the switch
is complete, Delete removes the configuration like any of this stack's."""

import boto3
import json

import pytest
from handler_support import (
    BUCKET,
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    HANDLER_PATH,
    GROUP,
    PREFIX,
    REGION,
    ROLE,
    S3,
    STACK_NAME,
    current_config,
    load_handler,
    props,
    recorded,
)

PREDECESSOR = "constructbedrocksettingscrD9A7018F"
ADOPT = {"AdoptConfigurationOf": PREDECESSOR, "AdoptInStack": STACK_NAME}
ADOPT_PATH = HANDLER_PATH.with_name("adopt.py")
FAILED_ID = EXPECTED_PHYSICAL_ID + "-create-failed"
# What MDAA's handler puts: four kinds on (none for audio), its own large-data prefix.
MDAAS = {
    "textDataDeliveryEnabled": True,
    "imageDataDeliveryEnabled": True,
    "embeddingDataDeliveryEnabled": True,
    "videoDataDeliveryEnabled": True,
    "s3Config": {"bucketName": BUCKET, "keyPrefix": PREFIX},
    "cloudWatchConfig": {
        "logGroupName": GROUP,
        "roleArn": ROLE,
        "largeDataDeliveryS3Config": {
            "bucketName": BUCKET,
            "keyPrefix": f"{PREFIX}/cloudwatch-logs-large-data-delivery/",
        },
    },
}
LARGE_DATA = {
    "LargeDataBucketName": BUCKET,
    "LargeDataKeyPrefix": f"{PREFIX}/cloudwatch-logs-large-data-delivery/",
}
SWITCHED = props(S3, CLOUDWATCH, LARGE_DATA, ADOPT)


@pytest.fixture
def handler_module(tmp_path):
    """index.py with adopt.py appended, as the templates of MDAA's stacks hold it."""
    both = tmp_path / "index.py"
    both.write_text(HANDLER_PATH.read_text() + "\n\n" + ADOPT_PATH.read_text())
    return load_handler(both)


@pytest.fixture
def mdaa_put(bedrock):
    bedrock.put_model_invocation_logging_configuration(loggingConfig=MDAAS)


def stack(*logical_ids):
    """The stack the events come from, in emulated CloudFormation, with these resources."""
    resources = {
        i: {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": f"/stack/{i}", "Type": "String", "Value": i},
        }
        for i in logical_ids or ("Other",)
    }
    cfn = boto3.client("cloudformation", region_name=REGION)
    body = json.dumps({"Resources": resources})
    cfn.create_stack(StackName=STACK_NAME, TemplateBody=body)


def ours(bedrock):
    big = current_config(bedrock)["cloudWatchConfig"]["largeDataDeliveryS3Config"]
    return current_config(bedrock)["audioDataDeliveryEnabled"] is False and big == {
        "bucketName": BUCKET,
        "keyPrefix": LARGE_DATA["LargeDataKeyPrefix"],
    }


def test_create_adopts_the_predecessors_configuration_and_records_it(
    harness, bedrock, ssm, mdaa_put
):
    stack(PREDECESSOR)
    created = harness.run("Create", SWITCHED)

    assert created["Status"] == "SUCCESS", created["Reason"]
    assert f"adopted the configuration of {PREDECESSOR}" in created["Reason"]
    assert ours(bedrock)
    assert recorded(ssm) == MDAAS


def test_a_rolled_back_switch_puts_the_predecessors_configuration_back(
    harness, bedrock, ssm, mdaa_put
):
    stack(PREDECESSOR)
    assert harness.run("Create", SWITCHED)["Status"] == "SUCCESS"

    deleted = harness.run("Delete", SWITCHED, physical_id=EXPECTED_PHYSICAL_ID)

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert "which is still in the stack" in deleted["Reason"]
    assert current_config(bedrock) == MDAAS
    assert recorded(ssm) is None


def test_a_failed_create_during_a_switch_leaves_logging_on(
    harness, bedrock, bedrock_calls, ssm, mdaa_put
):
    stack(PREDECESSOR)
    bedrock_calls.always = ("AccessDeniedException", "not allowed", 403)

    created = harness.run("Create", SWITCHED)
    assert created["Status"] == "FAILED"
    assert current_config(bedrock) == MDAAS

    bedrock_calls.always = None
    deleted = harness.run("Delete", SWITCHED, physical_id=FAILED_ID)

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert current_config(bedrock) == MDAAS
    assert recorded(ssm) is None


def test_once_the_predecessor_has_left_delete_removes_the_configuration(
    harness, bedrock, ssm, mdaa_put
):
    stack(PREDECESSOR)
    assert harness.run("Create", SWITCHED)["Status"] == "SUCCESS"
    # The switch completed: the retained predecessor left the stack.
    boto3.client("cloudformation", region_name=REGION).delete_stack(StackName=STACK_NAME)
    stack()

    deleted = harness.run("Delete", SWITCHED, physical_id=EXPECTED_PHYSICAL_ID)

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert "removed" in deleted["Reason"]
    assert current_config(bedrock) == {}
    assert recorded(ssm) is None


def test_a_configuration_to_other_stores_is_not_adopted(harness, bedrock, ssm):
    stack(PREDECESSOR)
    theirs = {**MDAAS, "s3Config": {"bucketName": "another-teams-bucket"}}
    bedrock.put_model_invocation_logging_configuration(loggingConfig=theirs)

    created = harness.run("Create", SWITCHED)

    assert created["Status"] == "FAILED"
    assert "did not put" in created["Reason"]
    assert current_config(bedrock) == theirs
    assert recorded(ssm) is None


def test_without_a_configuration_create_puts_its_own(harness, bedrock, ssm):
    stack(PREDECESSOR)

    created = harness.run("Create", SWITCHED)

    assert created["Status"] == "SUCCESS", created["Reason"]
    assert "adopted" not in created["Reason"]
    assert ours(bedrock)
    assert recorded(ssm) is None


def test_a_predecessor_that_is_not_a_logical_id_is_malformed(harness, bedrock, mdaa_put):
    created = harness.run("Create", props(S3, {**ADOPT, "AdoptConfigurationOf": "a/b"}))

    assert created["Status"] == "FAILED"
    assert "AdoptConfigurationOf must be a logical ID" in created["Reason"]
    assert current_config(bedrock) == MDAAS
