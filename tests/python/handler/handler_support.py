"""Shared pieces of the handler tests: a stand-in for CloudFormation's response URL,
a fake Lambda clock and context, events, and a loader for the handler source."""

import http.server
import importlib.util
import json
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HANDLER_PATH = ROOT / "crates" / "bedrock-settings" / "handler" / "index.py"
TEMPLATES = ROOT / "templates"

REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK_NAME = "bedrock-settings"
STACK_ID = (
    f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK_NAME}"
    "/0a1b2c3d-1111-2222-3333-444455556666"
)
LOGICAL_ID = "InvocationLogging"
EXPECTED_PHYSICAL_ID = f"{STACK_NAME}-{LOGICAL_ID}-bedrock-invocation-logging"
# Stands for the signature of CloudFormation's pre-signed S3 URL: it must never be logged.
SECRET = "SIGNATURE0123456789abcdefDONOTLOG"

BUCKET = f"logs-model-invocation-{ACCOUNT}-{REGION}"
PREFIX = f"bedrock-model-invocation-logs/bedrock-model-invocation-{REGION}"
GROUP = f"/aws/bedrock/model-invocation-logs/bedrock-model-invocation-{REGION}"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/bedrock-invocation-logging-{REGION}"

TOGGLES = {
    "TextDataDeliveryEnabled": "true",
    "ImageDataDeliveryEnabled": "false",
    "EmbeddingDataDeliveryEnabled": "true",
    "VideoDataDeliveryEnabled": "true",
    "AudioDataDeliveryEnabled": "false",
}
EXPECTED_TOGGLES = {
    "textDataDeliveryEnabled": True,
    "imageDataDeliveryEnabled": False,
    "embeddingDataDeliveryEnabled": True,
    "videoDataDeliveryEnabled": True,
    "audioDataDeliveryEnabled": False,
}
# Where the handler records a configuration it took over, as the templates name it.
RECORD = "/bedrock-settings/replaced-logging-configuration"
OWNERSHIP = {
    "ReplacedConfigurationParameter": RECORD,
    "TakeOverExistingConfiguration": "false",
}
S3 = {"S3BucketName": BUCKET, "S3KeyPrefix": PREFIX}
CLOUDWATCH = {"CloudWatchLogGroupName": GROUP, "CloudWatchRoleArn": ROLE}
LARGE_DATA = {
    "LargeDataBucketName": BUCKET,
    "LargeDataKeyPrefix": f"{PREFIX}/large-data",
}


def props(*parts, **overrides):
    """Resource properties as CloudFormation delivers them: all strings."""
    out = {**TOGGLES, **OWNERSHIP}
    for part in parts:
        out.update(part)
    out.update(overrides)
    return {k: v for k, v in out.items() if v is not None}


def load_handler(path, name="bedrock_logging_handler"):
    """Imports a handler file as a fresh module, as Lambda imports index.py."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Clock:
    """Lambda's remaining time, advanced only by the handler's (patched) sleeps."""

    def __init__(self, remaining=300.0):
        self.remaining = remaining
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.remaining -= seconds


class Context:
    function_name = "bedrock-invocation-logging"
    aws_request_id = "lambda-request-id"

    def __init__(self, clock):
        self.clock = clock

    def get_remaining_time_in_millis(self):
        return int(self.clock.remaining * 1000)


class ResponseServer:
    """Stands in for the pre-signed S3 URL that CloudFormation waits on."""

    def __init__(self):
        self.requests = []
        self.fail_with = []  # HTTP statuses to answer before accepting
        self.stall = []  # seconds to wait before answering, request by request
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append(
                    {
                        "method": "PUT",
                        "path": self.path,
                        "headers": self.headers,
                        "raw_body": body,
                    }
                )
                if outer.stall:
                    time.sleep(outer.stall.pop(0))
                status = outer.fail_with.pop(0) if outer.fail_with else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    def url(self):
        return (
            f"http://127.0.0.1:{self.port}/cloudformation-custom-resource-response-useast1/"
            f"{uuid.uuid4()}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200"
            f"&X-Amz-Signature={SECRET}"
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class Harness:
    """Runs the handler module the way Lambda would and returns CloudFormation's view."""

    def __init__(self, module, server, monkeypatch, remaining=300.0):
        self.module = module
        self.server = server
        self.clock = Clock(remaining)
        self.context = Context(self.clock)
        monkeypatch.setattr(module, "sleep", self.clock.sleep)

    def event(self, kind, properties, physical_id=None, old=None):
        event = {
            "RequestType": kind,
            "ServiceToken": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:logging",
            "ResponseURL": self.server.url(),
            "StackId": STACK_ID,
            "RequestId": str(uuid.uuid4()),
            "LogicalResourceId": LOGICAL_ID,
            "ResourceType": "Custom::BedrockInvocationLogging",
            "ResourceProperties": {
                "ServiceToken": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:logging",
                **properties,
            },
        }
        if physical_id is not None:
            event["PhysicalResourceId"] = physical_id
        if old is not None:
            event["OldResourceProperties"] = old
        return event

    def run(self, kind, properties, physical_id=None, old=None):
        """Invokes the handler; returns the JSON body of the one answer it sent."""
        event = self.event(kind, properties, physical_id, old)
        before = len(self.server.requests)
        result = self.module.handler(event, self.context)
        assert result is None
        sent = self.server.requests[before:]
        assert len(sent) == 1, f"expected exactly one answer, got {len(sent)}"
        answer = json.loads(sent[0]["raw_body"])
        assert answer["StackId"] == event["StackId"]
        assert answer["RequestId"] == event["RequestId"]
        assert answer["LogicalResourceId"] == event["LogicalResourceId"]
        answer["_request"] = sent[0]
        return answer


def current_config(client):
    answer = client.get_model_invocation_logging_configuration()
    return answer.get("loggingConfig") or {}


def recorded(ssm, name=RECORD):
    """The configuration recorded in SSM for Delete to put back, or None."""
    try:
        value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    except ssm.exceptions.ParameterNotFound:
        return None
    return json.loads(value)
