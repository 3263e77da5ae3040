import json
import logging
import socket

from handler_support import (
    BUCKET,
    CLOUDWATCH,
    EXPECTED_PHYSICAL_ID,
    GROUP,
    LOGICAL_ID,
    ROLE,
    S3,
    SECRET,
    props,
)


def bodies(server):
    return [json.loads(r["raw_body"]) for r in server.requests]


def test_answer_is_retried_after_a_transient_http_error(harness, server, bedrock):
    server.fail_with = [503]
    event = harness.event("Create", props(S3))

    harness.module.handler(event, harness.context)

    assert len(server.requests) == 2
    first, second = bodies(server)
    assert first == second
    assert second["Status"] == "SUCCESS"
    assert second["PhysicalResourceId"] == EXPECTED_PHYSICAL_ID
    assert all(r["headers"]["Content-Type"] == "" for r in server.requests)
    assert harness.clock.sleeps == [1]


def test_answer_retries_back_off_and_give_up_without_raising(harness, server, bedrock):
    server.fail_with = [500] * 10
    event = harness.event("Create", props(S3))

    harness.module.handler(event, harness.context)

    assert len(server.requests) == 5
    assert harness.clock.sleeps == [1, 2, 4, 8]


def test_a_client_error_from_the_response_url_is_not_retried(harness, server, bedrock):
    server.fail_with = [403]  # e.g. the pre-signed URL expired: retrying cannot help

    harness.module.handler(harness.event("Create", props(S3)), harness.context)

    assert len(server.requests) == 1
    assert harness.clock.sleeps == []


def test_a_network_error_is_retried_then_given_up(harness, bedrock, caplog):
    with socket.socket() as s:  # a port on which nobody listens any more
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    event = harness.event("Create", props(S3))
    event["ResponseURL"] = f"http://127.0.0.1:{port}/response?X-Amz-Signature={SECRET}"

    with caplog.at_level(logging.INFO):
        sent = harness.module.answer(event, harness.context, "SUCCESS", "ok", "id", {})
    assert sent is False

    assert harness.clock.sleeps == [1, 2, 4, 8]
    assert "Could not answer CloudFormation" in caplog.text
    assert SECRET not in caplog.text


def test_answer_retries_stop_when_the_lambda_is_about_to_time_out(
    harness,
    server,
    bedrock,
):
    server.fail_with = [500] * 10
    harness.clock.remaining = 14.0

    event = harness.event("Create", props(S3))
    sent = harness.module.answer(event, harness.context, "FAILED", "late", "id", {})
    assert sent is False

    # Retried only while a whole attempt (10 s timeout) still fits before the deadline.
    assert len(server.requests) == 3
    assert harness.clock.sleeps == [1, 2]
    assert harness.clock.remaining >= 10


def test_logs_say_what_happened_but_never_the_response_url(
    harness,
    bedrock,
    caplog,
    capsys,
):
    caplog.set_level(logging.DEBUG)

    created = harness.run("Create", props(S3, CLOUDWATCH))
    harness.run("Create", props(S3, TextDataDeliveryEnabled="perhaps"))
    harness.run(
        "Delete",
        props(S3, CLOUDWATCH),
        physical_id=created["PhysicalResourceId"],
    )

    logged = caplog.text + "".join(capsys.readouterr())
    for expected in (
        "Create",
        "Delete",
        LOGICAL_ID,
        EXPECTED_PHYSICAL_ID,
        BUCKET,
        GROUP,
        ROLE,
    ):
        assert expected in logged
    assert "Putting loggingConfig" in logged
    assert "X-Amz-Signature" not in logged
    assert SECRET not in logged
    assert "127.0.0.1" not in logged
