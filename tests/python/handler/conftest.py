import copy

import boto3
import pytest
from handler_support import ACCOUNT, HANDLER_PATH, REGION, Harness, ResponseServer, load_handler
from moto import mock_aws
from moto.bedrock.models import BedrockBackend, bedrock_backends
from moto.core.exceptions import JsonRESTError


@pytest.fixture
def aws(monkeypatch, tmp_path):
    """moto's Bedrock, with dummy credentials and no real AWS configuration read."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_DATA_PATH",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    with mock_aws():
        yield


class AccountBedrock:
    """The account's logging configuration as the emulated Bedrock holds it, read and set
    without an SDK: one older than a field would refuse to set it and drop it from a Get,
    and these tests run with such an SDK too."""

    def __init__(self):
        self.backend = bedrock_backends[ACCOUNT][REGION]

    def get_model_invocation_logging_configuration(self):
        held = self.backend.get_model_invocation_logging_configuration()
        return {"loggingConfig": copy.deepcopy(held)}

    def put_model_invocation_logging_configuration(self, loggingConfig):
        config = copy.deepcopy(loggingConfig)
        self.backend.put_model_invocation_logging_configuration(logging_config=config)


@pytest.fixture
def bedrock(aws):
    """The test's side of the handler's emulated Bedrock."""
    return AccountBedrock()


@pytest.fixture
def ssm(aws):
    """A test-side SSM client, to read and plant the handler's record."""
    return boto3.client("ssm", region_name=REGION)


@pytest.fixture
def server():
    with ResponseServer() as server:
        yield server


@pytest.fixture
def handler_module():
    return load_handler(HANDLER_PATH)


@pytest.fixture
def harness(aws, server, handler_module, monkeypatch):
    return Harness(handler_module, server, monkeypatch)


class BedrockCalls:
    """Records the Bedrock API calls that reach moto, and makes them fail on request.

    ``put_errors`` / ``get_errors`` / ``delete_errors`` hold (code, message, HTTP status)
    raised by the next calls, in order; ``always`` is raised by every put. With ``lost`` set,
    a failing put or delete takes effect before it fails: its answer is lost on the way back.
    ``sent`` holds the ``loggingConfig`` of every put (a request's, as moto read its body).
    """

    def __init__(self, monkeypatch):
        self.calls = []
        self.sent = []
        self.put_errors = []
        self.get_errors = []
        self.delete_errors = []
        self.always = None
        self.lost = False
        for kind in ("put", "get", "delete"):
            name = f"{kind}_model_invocation_logging_configuration"
            monkeypatch.setattr(BedrockBackend, name, self._wrap(kind, name))

    def _wrap(self, kind, name):
        original = getattr(BedrockBackend, name)
        calls = self

        def wrapped(backend, *args, **kwargs):
            calls.calls.append(kind)
            if kind == "put":
                calls.sent.append(copy.deepcopy(kwargs["logging_config"]))
            queued = getattr(calls, f"{kind}_errors")
            error = queued.pop(0) if queued else None
            error = (calls.always if kind == "put" else None) or error
            if error is None:
                return original(backend, *args, **kwargs)
            if calls.lost and kind != "get":
                original(backend, *args, **kwargs)
            code, message, status = error
            raised = JsonRESTError(code, message)
            raised.code = status
            raise raised

        return wrapped


@pytest.fixture
def bedrock_calls(aws, monkeypatch):
    return BedrockCalls(monkeypatch)
