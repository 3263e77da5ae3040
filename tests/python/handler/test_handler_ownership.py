"""The handler owns only what it made: a configuration it did not put is replaced only when the
module config says to take it over, and then it is recorded in SSM and put back on Delete."""

import json

import pytest
from handler_support import (
    ACCOUNT,
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    RECORD,
    S3,
    current_config,
    props,
    recorded,
)

FAILED_ID = EXPECTED_PHYSICAL_ID + "-create-failed"
THEIR_ROLE = f"arn:aws:iam::{ACCOUNT}:role/theirs"
THEIRS = {
    "textDataDeliveryEnabled": True,
    "imageDataDeliveryEnabled": True,
    "embeddingDataDeliveryEnabled": False,
    "s3Config": {"bucketName": "another-teams-bucket", "keyPrefix": "theirs"},
}
THEIRS_WITH_CLOUDWATCH = {
    **THEIRS,
    "cloudWatchConfig": {"logGroupName": "/another/team", "roleArn": THEIR_ROLE},
}
TAKE_OVER = {"TakeOverExistingConfiguration": "true"}


@pytest.fixture
def theirs(bedrock):
    """A configuration that another stack, or someone by hand, has put."""
    bedrock.put_model_invocation_logging_configuration(loggingConfig=THEIRS)
    return THEIRS


def ours(bedrock):
    return current_config(bedrock)["s3Config"]["bucketName"] == S3["S3BucketName"]


def test_create_refuses_to_replace_a_configuration_it_did_not_put(
    harness, bedrock, bedrock_calls, ssm, theirs
):
    bedrock_calls.calls.clear()

    answer = harness.run("Create", props(S3, CLOUDWATCH))

    assert answer["Status"] == "FAILED"
    assert answer["PhysicalResourceId"] == FAILED_ID
    reason = answer["Reason"]
    assert "already has a logging configuration that this stack did not put" in reason
    assert "another-teams-bucket" in reason
    assert "takeOverExistingConfiguration: true" in reason
    assert bedrock_calls.calls == ["get"]
    assert current_config(bedrock) == theirs
    assert recorded(ssm) is None

    # The rollback's Delete leaves it alone too.
    deleted = harness.run("Delete", props(S3, CLOUDWATCH), physical_id=FAILED_ID)
    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert current_config(bedrock) == theirs
    assert set(bedrock_calls.calls) == {"get"}


def test_create_accepts_the_configuration_it_would_put(harness, bedrock, bedrock_calls, ssm):
    assert harness.run("Create", props(S3))["Status"] == "SUCCESS"

    # The same configuration is already in place (say, a Create run twice): nothing is foreign.
    again = harness.run("Create", props(S3))

    assert again["Status"] == "SUCCESS", again["Reason"]
    assert recorded(ssm) is None


def test_holds_allows_toggles_bedrock_shows_but_no_other_destination(handler_module):
    cfg = {"textDataDeliveryEnabled": True, "s3Config": {"bucketName": "b"}}
    holds = handler_module.holds

    assert holds({**cfg, "audioDataDeliveryEnabled": False}, cfg)
    assert not holds({**cfg, "textDataDeliveryEnabled": False}, cfg)
    assert not holds({**cfg, "s3Config": {"bucketName": "b", "keyPrefix": "p"}}, cfg)
    assert holds({**cfg, "s3Config": {"bucketName": "b", "keyPrefix": ""}}, cfg)
    assert not holds({**cfg, "cloudWatchConfig": {"logGroupName": "g"}}, cfg)
    assert not holds({}, cfg)


def test_take_over_records_what_it_replaced_and_delete_puts_it_back(harness, bedrock, ssm, theirs):
    created = harness.run("Create", props(S3, CLOUDWATCH, TAKE_OVER))

    assert created["Status"] == "SUCCESS", created["Reason"]
    assert created["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert "another-teams-bucket" in created["Reason"] and RECORD in created["Reason"]
    assert ours(bedrock)
    assert recorded(ssm) == theirs

    deleted = harness.run(
        "Delete", props(S3, CLOUDWATCH, TAKE_OVER), physical_id=EXPECTED_PHYSICAL_ID
    )

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert "Put back the configuration this stack had replaced" in deleted["Reason"]
    assert current_config(bedrock) == theirs
    assert recorded(ssm) is None


def test_take_over_warns_when_putting_back_needs_another_role(harness, bedrock, ssm):
    bedrock.put_model_invocation_logging_configuration(loggingConfig=THEIRS_WITH_CLOUDWATCH)

    created = harness.run("Create", props(S3, CLOUDWATCH, TAKE_OVER))

    assert created["Status"] == "SUCCESS", created["Reason"]
    assert f"iam:PassRole on {THEIR_ROLE}" in created["Reason"]
    assert recorded(ssm) == THEIRS_WITH_CLOUDWATCH


def test_a_restore_that_fails_keeps_the_record_and_says_how_to_go_on(
    harness, bedrock, bedrock_calls, ssm, theirs
):
    assert harness.run("Create", props(S3, TAKE_OVER))["Status"] == "SUCCESS"
    bedrock_calls.put_errors.append(("AccessDeniedException", "not allowed to pass role", 403))

    failed = harness.run("Delete", props(S3, TAKE_OVER), physical_id=EXPECTED_PHYSICAL_ID)

    assert failed["Status"] == "FAILED"
    assert RECORD in failed["Reason"]
    assert "AccessDeniedException: not allowed to pass role" in failed["Reason"]
    assert "delete that parameter" in failed["Reason"]
    assert ours(bedrock)
    assert recorded(ssm) == theirs

    # The operator deletes the record: the next Delete removes this stack's configuration.
    ssm.delete_parameter(Name=RECORD)
    deleted = harness.run("Delete", props(S3, TAKE_OVER), physical_id=EXPECTED_PHYSICAL_ID)
    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert current_config(bedrock) == {}


def test_delete_after_take_over_leaves_a_later_configuration_and_drops_the_record(
    harness, bedrock, ssm, theirs
):
    assert harness.run("Create", props(S3, TAKE_OVER))["Status"] == "SUCCESS"
    later = {**THEIRS, "s3Config": {"bucketName": "a-third-bucket"}}
    bedrock.put_model_invocation_logging_configuration(loggingConfig=later)

    deleted = harness.run("Delete", props(S3, TAKE_OVER), physical_id=EXPECTED_PHYSICAL_ID)

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert "Left the current configuration in place" in deleted["Reason"]
    assert current_config(bedrock) == later
    assert recorded(ssm) is None


def test_a_stale_record_is_never_put_back(harness, bedrock, ssm):
    # Left behind by an earlier stack: this one replaced nothing, so Delete must not restore it.
    ssm.put_parameter(Name=RECORD, Value=json.dumps(THEIRS), Type="String")

    created = harness.run("Create", props(S3))
    assert created["Status"] == "SUCCESS", created["Reason"]
    assert recorded(ssm) is None

    deleted = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)
    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert current_config(bedrock) == {}


def test_a_take_over_that_bedrock_refused_leaves_their_configuration(
    harness, bedrock, bedrock_calls, ssm, theirs
):
    bedrock_calls.calls.clear()
    bedrock_calls.put_errors.append(("ResourceNotFoundException", "no such bucket", 404))

    failed = harness.run("Create", props(S3, TAKE_OVER))
    assert failed["Status"] == "FAILED"
    assert recorded(ssm) == theirs  # written before the put

    deleted = harness.run("Delete", props(S3, TAKE_OVER), physical_id=failed["PhysicalResourceId"])

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert current_config(bedrock) == theirs
    assert recorded(ssm) is None
    assert "delete" not in bedrock_calls.calls


def test_an_uncertain_take_over_is_undone_by_the_rollback(
    harness, bedrock, bedrock_calls, ssm, theirs
):
    bedrock_calls.lost = True
    bedrock_calls.put_errors.append(("InternalServerException", "lost", 500))
    bedrock_calls.get_errors += [None, ("AccessDeniedException", "no Get for you", 403)]

    failed = harness.run("Create", props(S3, TAKE_OVER))
    assert failed["Status"] == "FAILED"
    assert failed["PhysicalResourceId"] == FAILED_ID
    assert ours(bedrock)  # it did take effect

    deleted = harness.run("Delete", props(S3, TAKE_OVER), physical_id=FAILED_ID)

    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert current_config(bedrock) == theirs
    assert recorded(ssm) is None


def test_update_puts_the_stack_configuration_over_a_hand_made_change(harness, bedrock, ssm):
    assert harness.run("Create", props(S3))["Status"] == "SUCCESS"
    bedrock.put_model_invocation_logging_configuration(loggingConfig=THEIRS)

    updated = harness.run("Update", props(S3), physical_id=EXPECTED_PHYSICAL_ID, old=props(S3))

    assert updated["Status"] == "SUCCESS", updated["Reason"]
    assert "another-teams-bucket" in updated["Reason"]
    assert ours(bedrock)
    assert recorded(ssm) is None


def test_update_keeps_the_record_for_delete(harness, bedrock, ssm, theirs):
    assert harness.run("Create", props(S3, TAKE_OVER))["Status"] == "SUCCESS"

    new = props(S3, TextDataDeliveryEnabled="false")
    updated = harness.run("Update", new, physical_id=EXPECTED_PHYSICAL_ID, old=props(S3, TAKE_OVER))
    assert updated["Status"] == "SUCCESS", updated["Reason"]
    assert "another-teams-bucket" not in updated["Reason"]
    assert current_config(bedrock)["textDataDeliveryEnabled"] is False
    assert recorded(ssm) == theirs

    # Take-over is off now, but what was replaced is still put back.
    deleted = harness.run("Delete", new, physical_id=EXPECTED_PHYSICAL_ID)
    assert deleted["Status"] == "SUCCESS", deleted["Reason"]
    assert current_config(bedrock) == theirs


def test_a_record_that_is_not_a_configuration_fails_the_delete(harness, bedrock, ssm):
    assert harness.run("Create", props(S3))["Status"] == "SUCCESS"
    ssm.put_parameter(Name=RECORD, Value="not json", Type="String")

    failed = harness.run("Delete", props(S3), physical_id=EXPECTED_PHYSICAL_ID)

    assert failed["Status"] == "FAILED"
    assert f"SSM parameter {RECORD} does not hold a logging configuration" in failed["Reason"]
    assert ours(bedrock)
