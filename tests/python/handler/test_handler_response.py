import json
import logging
import socket

import pytest

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


def test_a_client_error_from_the_response_url_is_retried(harness, server, bedrock):
    # S3 answers some transient failures with a 4xx (400 RequestTimeout, 409, 429): the
    # answer is what keeps the stack from hanging, so every error gets the bounded retries.
    server.fail_with = [400]

    harness.module.handler(harness.event("Create", props(S3)), harness.context)

    assert len(server.requests) == 2
    assert bodies(server)[1]["Status"] == "SUCCESS"
    assert harness.clock.sleeps == [1]


def test_a_lasting_client_error_is_given_up_after_the_bounded_retries(harness, server, bedrock):
    server.fail_with = [403] * 10  # e.g. the pre-signed URL has expired

    result = harness.module.handler(harness.event("Create", props(S3)), harness.context)

    assert result is None
    assert len(server.requests) == 5
    assert harness.clock.sleeps == [1, 2, 4, 8]


def test_a_slow_response_url_is_abandoned_after_its_bound(harness, server, bedrock, monkeypatch):
    monkeypatch.setattr(harness.module, "ANSWER", 0.3)
    server.stall = [1.0]

    harness.module.handler(harness.event("Create", props(S3)), harness.context)

    assert len(server.requests) == 2
    first, second = bodies(server)
    assert first == second and second["Status"] == "SUCCESS"
    assert harness.clock.sleeps == [1]


@pytest.mark.parametrize(
    "url",
    [None, "", 42, "not a url", "file:///etc/passwd", "http://", "https://[::1/x"],
    ids=["missing", "empty", "number", "words", "file", "no-host", "bad-ipv6"],
)
def test_a_missing_or_bad_response_url_is_logged_and_the_handler_ends(
    harness, server, bedrock, caplog, url
):
    event = harness.event("Create", props(S3))
    if url is None:
        del event["ResponseURL"]
    else:
        event["ResponseURL"] = url

    with caplog.at_level(logging.INFO):
        result = harness.module.handler(event, harness.context)

    assert result is None
    assert server.requests == []
    assert harness.clock.sleeps == []
    assert "Could not answer CloudFormation" in caplog.text
    assert "no usable ResponseURL" in caplog.text
    assert '"Status": "SUCCESS"' in caplog.text  # what it would have answered is in the log


def test_a_network_error_is_retried_then_given_up(harness, bedrock, caplog):
    with socket.socket() as s:  # a port on which nobody listens any more
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    event = harness.event("Create", props(S3))
    event["ResponseURL"] = f"http://127.0.0.1:{port}/response?X-Amz-Signature={SECRET}"

    with caplog.at_level(logging.INFO):
        left = harness.module.budget(harness.context)
        sent = harness.module.answer(event, left, "SUCCESS", "ok", "id", {})
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
    harness.clock.remaining = 20.0

    event = harness.event("Create", props(S3))
    left = harness.module.budget(harness.context)
    sent = harness.module.answer(event, left, "FAILED", "late", "id", {})
    assert sent is False

    # Retried only while a whole attempt (bounded at ANSWER s) still fits before the deadline.
    assert harness.module.ANSWER + 1 <= 13
    assert len(server.requests) == 4
    assert harness.clock.sleeps == [1, 2, 4]
    assert harness.clock.remaining >= harness.module.ANSWER


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
