import boto3
import pytest
from handler_support import HANDLER_PATH, REGION, Harness, ResponseServer, load_handler
from moto import mock_aws
from moto.bedrock.models import BedrockBackend
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


@pytest.fixture
def bedrock(aws):
    """A test-side client on the same moto backend as the handler's."""
    return boto3.client("bedrock", region_name=REGION)


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
    """Counts the Bedrock API calls that reach moto and can make puts fail."""

    def __init__(self, monkeypatch):
        self.calls = []
        self.put_errors = []  # (code, message, status) raised by the next puts, in order
        self.always = None  # (code, message, status) raised by every put
        original_put = BedrockBackend.put_model_invocation_logging_configuration
        calls = self

        def put(backend, logging_config):
            calls.calls.append("put")
            queued = calls.put_errors.pop(0) if calls.put_errors else None
            error = calls.always or queued
            if error:
                code, message, status = error
                raise_error = JsonRESTError(code, message)
                raise_error.code = status
                raise raise_error
            return original_put(backend, logging_config)

        def wrap(name):
            original = getattr(BedrockBackend, name)

            def wrapped(backend, *args, **kwargs):
                calls.calls.append(name.split("_")[0])
                return original(backend, *args, **kwargs)

            monkeypatch.setattr(BedrockBackend, name, wrapped)

        name = "put_model_invocation_logging_configuration"
        monkeypatch.setattr(BedrockBackend, name, put)
        wrap("get_model_invocation_logging_configuration")
        wrap("delete_model_invocation_logging_configuration")


@pytest.fixture
def bedrock_calls(aws, monkeypatch):
    return BedrockCalls(monkeypatch)
