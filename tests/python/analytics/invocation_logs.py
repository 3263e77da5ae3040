"""Realistic Bedrock model invocation records, laid out in S3 as Bedrock delivers them.

The record schema and the key layout are Bedrock's (Bedrock User Guide, "Monitor model
invocation using CloudWatch Logs and Amazon S3"; see MONITORING facts in the README's
"Querying the trail"): gzip'd JSON lines under
``{keyPrefix}/AWSLogs/{account}/BedrockModelInvocationLogs/{region}/{YYYY}/{MM}/{DD}/{HH}/``,
named ``{YYYYMMDD}T{HHMMSSmmm}Z_{16 hex}.json.gz``. Beside the records the bucket holds the
odd objects Bedrock also writes: zero-byte ``amazon-bedrock-logs-permission-check`` objects,
bodies delivered apart under a ``data/`` folder of the hour (as observed), and CloudWatch's
large-data objects under their own prefix.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

ACCOUNT = "111122223333"
REGION = "us-east-1"
BUCKET = f"logs-model-invocation-{ACCOUNT}-{REGION}"
PREFIX = f"bedrock-model-invocation-logs/bedrock-model-invocation-{REGION}"
RECORDS = f"{PREFIX}/AWSLogs/{ACCOUNT}/BedrockModelInvocationLogs/{REGION}"

SUPPORT_BOT = f"arn:aws:sts::{ACCOUNT}:assumed-role/support-bot/session-1"
ANALYST = f"arn:aws:sts::{ACCOUNT}:assumed-role/data-science/alice"
EMBEDDER = f"arn:aws:iam::{ACCOUNT}:user/batch-embedder"

CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0"
CLAUDE_US = "us.anthropic.claude-3-5-haiku-20241022-v1:0"
NOVA = "amazon.nova-lite-v1:0"
TITAN_IMAGE = "amazon.titan-image-generator-v2:0"
TITAN_EMBED = "amazon.titan-embed-text-v2:0"

# The plain-text line Bedrock writes when it checks its permissions.
NOTICE = "Permissions are correctly set for Amazon Bedrock logs"


@dataclass
class Record:
    """One invocation: what Bedrock logs, and when and where it delivers it."""

    name: str
    age: timedelta
    caller: str
    operation: str
    model: str
    input: dict[str, Any]
    output: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Seconds between the invocation and the delivery of its batch.
    delivery_delay: float = 30.0
    timestamp: datetime = field(init=False)
    request_id: str = field(init=False)

    def document(self) -> dict[str, Any]:
        """The record as Bedrock writes it, camelCase keys and all."""
        doc: dict[str, Any] = {
            "schemaType": "ModelInvocationLog",
            "schemaVersion": "1.0",
            "timestamp": self.timestamp.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{self.timestamp.microsecond // 1000:03d}Z",
            "accountId": ACCOUNT,
            "region": REGION,
            "requestId": self.request_id,
            "operation": self.operation,
            "modelId": self.model,
            "identity": {"arn": self.caller},
            "input": self.input,
        }
        if self.output is not None:
            doc["output"] = self.output
        doc.update(self.extra)
        return doc

    @property
    def delivered(self) -> datetime:
        return self.timestamp + timedelta(seconds=self.delivery_delay)

    @property
    def hour(self) -> str:
        """The hour folder of its batch, as the table's partition key writes it."""
        return self.delivered.strftime("%Y/%m/%d/%H")

    # What the record says, read independently of any SQL.
    @property
    def error(self) -> str | None:
        return self.extra.get("errorCode")

    @property
    def input_tokens(self) -> int:
        return int(self.input.get("inputTokenCount", 0))

    @property
    def output_tokens(self) -> int:
        return int((self.output or {}).get("outputTokenCount", 0))

    @property
    def metadata(self) -> dict[str, str]:
        return self.extra.get("requestMetadata", {})


def _converse_input(text: str, tokens: int, **more: Any) -> dict[str, Any]:
    body = {"messages": [{"role": "user", "content": [{"text": text}]}], **more}
    return {
        "inputContentType": "application/json",
        "inputBodyJson": body,
        "inputTokenCount": tokens,
    }


def _converse_output(text: str, tokens: int, stop: str = "end_turn") -> dict[str, Any]:
    body = {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop,
        "usage": {"outputTokens": tokens},
    }
    return {
        "outputContentType": "application/json",
        "outputBodyJson": body,
        "outputTokenCount": tokens,
    }


def _claude_input(text: str, tokens: int) -> dict[str, Any]:
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 512,
        "messages": [{"role": "user", "content": [{"type": "text", "text": text}]}],
    }
    return {
        "inputContentType": "application/json",
        "inputBodyJson": body,
        "inputTokenCount": tokens,
    }


def data_path(record_hour: str, name: str) -> str:
    return f"s3://{BUCKET}/{RECORDS}/{record_hour}/data/{name}"


def records(now: datetime) -> list[Record]:
    """Every runtime operation and kind of data Bedrock logs, failures, guardrail
    interventions, request metadata, cross-Region inference and cache tokens: within the
    last 7 days, between 7 and 30 days ago, and older than 30 days."""
    d, h = timedelta(days=1), timedelta(hours=1)
    made = [
        Record(
            "invoke-text",
            2 * d,
            SUPPORT_BOT,
            "InvokeModel",
            CLAUDE,
            _claude_input("Summarise the ticket in two lines.", 25),
            {
                "outputContentType": "application/json",
                "outputBodyJson": {
                    "type": "message",
                    "content": [{"type": "text", "text": "The customer cannot log in."}],
                    "stop_reason": "end_turn",
                },
                "outputTokenCount": 110,
            },
        ),
        Record(
            "invoke-image",
            3 * d,
            ANALYST,
            "InvokeModel",
            TITAN_IMAGE,
            {
                "inputContentType": "application/json",
                "inputBodyJson": {
                    "taskType": "TEXT_IMAGE",
                    "textToImageParams": {"text": "a lighthouse at dusk"},
                },
            },
            # Generated images are binary data: Bedrock delivers the body apart.
            {"outputContentType": "application/json", "outputBodyS3Path": "<data:image_output>"},
        ),
        Record(
            "invoke-embedding",
            1 * d,
            EMBEDDER,
            "InvokeModel",
            TITAN_EMBED,
            {
                "inputContentType": "application/json",
                "inputBodyJson": {"inputText": "refund policy", "dimensions": 256},
                "inputTokenCount": 8,
            },
            {
                "outputContentType": "application/json",
                "outputBodyJson": {
                    "embedding": [0.0123, -0.0456, 0.0789],
                    "inputTextTokenCount": 8,
                },
            },
        ),
        Record(
            "invoke-stream",
            5 * h,
            ANALYST,
            "InvokeModelWithResponseStream",
            CLAUDE,
            _claude_input("List three risks.", 30),
            {
                "outputContentType": "application/json",
                "outputBodyJson": [
                    {"type": "message_start", "message": {"role": "assistant"}},
                    {
                        "type": "content_block_delta",
                        "delta": {"type": "text_delta", "text": "1. Cost"},
                    },
                    {
                        "type": "message_stop",
                        "amazon-bedrock-invocationMetrics": {
                            "inputTokenCount": 30,
                            "outputTokenCount": 45,
                        },
                    },
                ],
                "outputTokenCount": 45,
            },
        ),
        Record(
            "converse-metadata-cross-region-cache",
            1 * d + 3 * h,
            SUPPORT_BOT,
            "Converse",
            CLAUDE_US,
            {
                **_converse_input("Draft a reply.", 40, inferenceConfig={"maxTokens": 300}),
                "cacheReadInputTokenCount": 1000,
                "cacheWriteInputTokenCount": 200,
            },
            _converse_output("Dear customer, ...", 60),
            {
                "inferenceRegion": "us-west-2",
                "requestMetadata": {"project": "support-bot", "costCenter": "4711"},
            },
        ),
        Record(
            "converse-stream",
            4 * d,
            ANALYST,
            "ConverseStream",
            NOVA,
            _converse_input("Translate to French.", 50),
            {
                "outputContentType": "application/json",
                "outputBodyJson": [
                    {"messageStart": {"role": "assistant"}},
                    {"contentBlockDelta": {"delta": {"text": "Bonjour"}, "contentBlockIndex": 0}},
                    {"messageStop": {"stopReason": "end_turn"}},
                    {"metadata": {"usage": {"inputTokens": 50, "outputTokens": 70}}},
                ],
                "outputTokenCount": 70,
            },
            {"requestMetadata": {"project": "research"}},
        ),
        Record(
            "invoke-large-input",
            6 * h,
            ANALYST,
            "InvokeModel",
            CLAUDE,
            # Over 100 KB: the body is delivered apart, its path in the record.
            {
                "inputContentType": "application/json",
                "inputBodyS3Path": "<data:large_input>",
                "inputTokenCount": 90000,
            },
            {
                "outputContentType": "application/json",
                "outputBodyJson": {
                    "type": "message",
                    "content": [{"type": "text", "text": "14 clauses."}],
                },
                "outputTokenCount": 200,
            },
        ),
        Record(
            "converse-validation-error",
            2 * d,
            SUPPORT_BOT,
            "Converse",
            CLAUDE,
            {"inputContentType": "application/json", "inputBodyJson": {"messages": []}},
            None,
            {"errorCode": "ValidationException"},
        ),
        Record(
            "invoke-throttled",
            3 * d,
            EMBEDDER,
            "InvokeModel",
            TITAN_EMBED,
            {"inputContentType": "application/json", "inputBodyJson": {"inputText": "again"}},
            None,
            {"errorCode": "ThrottlingException"},
        ),
        Record(
            "invoke-guardrail-intervened",
            2 * d,
            SUPPORT_BOT,
            "InvokeModel",
            CLAUDE,
            _claude_input("How do I pick a lock?", 20),
            {
                "outputContentType": "application/json",
                "outputBodyJson": {
                    "type": "message",
                    "content": [{"type": "text", "text": "Sorry, I cannot help with that."}],
                    "amazon-bedrock-guardrailAction": "INTERVENED",
                },
                "outputTokenCount": 0,
            },
        ),
        Record(
            "converse-guardrail-intervened",
            1 * d,
            ANALYST,
            "Converse",
            NOVA,
            _converse_input("Write an insult.", 15),
            _converse_output("Sorry, I cannot help with that.", 0, stop="guardrail_intervened"),
        ),
        Record(
            "converse-stream-guardrail-intervened",
            3 * d + 2 * h,
            SUPPORT_BOT,
            "ConverseStream",
            NOVA,
            _converse_input("Write an insult.", 18),
            {
                "outputContentType": "application/json",
                "outputBodyJson": [
                    {"messageStart": {"role": "assistant"}},
                    {"messageStop": {"stopReason": "guardrail_intervened"}},
                ],
                "outputTokenCount": 0,
            },
        ),
        Record(
            "invoke-stream-guardrail-intervened",
            4 * d,
            EMBEDDER,
            "InvokeModelWithResponseStream",
            CLAUDE,
            _claude_input("Say something rude.", 11),
            {
                "outputContentType": "application/json",
                "outputBodyJson": [
                    {"type": "message_start", "message": {"role": "assistant"}},
                    {"type": "message_stop", "amazon-bedrock-guardrailAction": "INTERVENED"},
                ],
                "outputTokenCount": 0,
            },
        ),
        Record(
            # The words of an intervention quoted in a completion are not one.
            "converse-quotes-an-intervention",
            2 * d,
            SUPPORT_BOT,
            "Converse",
            NOVA,
            _converse_input("What does a blocked Converse response contain?", 12),
            _converse_output('It ends with "stopReason": "guardrail_intervened".', 34),
        ),
        Record(
            "converse-latency-optimized",
            2 * d,
            ANALYST,
            "Converse",
            CLAUDE,
            _converse_input("Classify this ticket.", 22),
            _converse_output("billing", 2),
            {"performanceConfig": {"latency": "optimized"}},
        ),
        Record(
            # Fields Bedrock may add later are ignored, not an error.
            "converse-with-fields-unknown-today",
            1 * d,
            EMBEDDER,
            "Converse",
            NOVA,
            {**_converse_input("Hello", 3), "inputSomethingNew": {"x": 1}},
            _converse_output("Hi", 1),
            {"futureField": {"nested": [1, 2]}},
        ),
        Record(
            "converse-twelve-days-ago",
            12 * d,
            SUPPORT_BOT,
            "Converse",
            CLAUDE_US,
            _converse_input("Draft a reply.", 33),
            _converse_output("Dear customer, ...", 44),
            {"requestMetadata": {"project": "support-bot"}},
        ),
        # Four hours either side of each window's edge (7 and 30 days).
        *(
            Record(
                f"converse-{name}",
                age,
                caller,
                "Converse",
                NOVA,
                _converse_input("Edge of a window.", tokens),
                _converse_output("ok", tokens),
                {"requestMetadata": {"project": "edges"}},
            )
            for name, age, caller, tokens in (
                ("inside-seven-days", 7 * d - 4 * h, EMBEDDER, 101),
                ("outside-seven-days", 7 * d + 4 * h, EMBEDDER, 102),
                ("inside-thirty-days", 30 * d - 4 * h, ANALYST, 103),
                ("outside-thirty-days", 30 * d + 4 * h, ANALYST, 104),
            )
        ),
        Record(
            "invoke-forty-days-ago",
            40 * d,
            ANALYST,
            "InvokeModel",
            CLAUDE,
            _claude_input("Old question.", 7),
            {"outputContentType": "application/json", "outputBodyJson": {}, "outputTokenCount": 9},
        ),
    ]
    for i, r in enumerate(made):
        r.timestamp = (now - r.age).replace(microsecond=(i * 37 % 1000) * 1000)
        r.request_id = hashlib.sha256(r.name.encode()).hexdigest()[:8] + f"-0000-4000-8000-{i:012d}"
    # Written in the last second of an hour, delivered in the next: its partition is the
    # delivery's hour.
    late = Record(
        "converse-delivered-next-hour",
        timedelta(),
        SUPPORT_BOT,
        "Converse",
        NOVA,
        _converse_input("Late one.", 5),
        _converse_output("ok", 6),
        delivery_delay=40.0,
    )
    late.timestamp = (now - 2 * d).replace(minute=59, second=59, microsecond=900_000)
    late.request_id = "late0000-0000-4000-8000-000000000099"
    made.append(late)
    # Bodies delivered apart: in the hour's folder, under data/ (as observed).
    for r in made:
        for part, name in (("input", "inputBodyS3Path"), ("output", "outputBodyS3Path")):
            section = getattr(r, part)
            if section and section.get(name, "").startswith("<data:"):
                section[name] = data_path(r.hour, f"{r.request_id}_{part}.json.gz")
    return made


def _gzip(lines: list[str]) -> bytes:
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)


def _file_name(at: datetime, seed: str) -> str:
    digest = hashlib.sha256(seed.encode()).hexdigest()[:16]
    return f"{at:%Y%m%dT%H%M%S}{at.microsecond // 1000:03d}Z_{digest}.json.gz"


@dataclass
class Layout:
    """The bucket's objects (key → bytes), and which of them are what."""

    objects: dict[str, bytes]
    record_files: set[str]
    body_objects: set[str]
    other_objects: set[str]


def layout(made: list[Record]) -> Layout:
    """The objects Bedrock would have written for these records: one batch per hour, its
    bodies delivered apart under the hour's ``data/``, a malformed line and the notice line
    in a batch, the permission-check objects, and CloudWatch's large-data objects."""
    objects: dict[str, bytes] = {}
    body_objects: set[str] = set()
    by_hour: dict[str, list[Record]] = {}
    for r in made:
        by_hour.setdefault(r.hour, []).append(r)
    record_files = set()
    for n, (hour, batch) in enumerate(sorted(by_hour.items())):
        lines = []
        for r in batch:
            for part, name in (("input", "inputBodyS3Path"), ("output", "outputBodyS3Path")):
                path = (getattr(r, part) or {}).get(name)
                if path:
                    key = path[len(f"s3://{BUCKET}/") :]
                    body = (
                        {"images": ["iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" * 4]}
                        if part == "output"
                        else {"messages": [{"role": "user", "content": "clause " * 40}]}
                    )
                    objects[key] = _gzip([json.dumps(body)])
                    body_objects.add(key)
            lines.append(json.dumps(r.document(), separators=(",", ":")))
        if n == 0:
            # A line Bedrock's permission check writes, and one cut short.
            lines.insert(0, NOTICE)
            lines.append('{"schemaType":"ModelInvocationLog","requestId":"cut-sh')
        key = f"{RECORDS}/{hour}/{_file_name(max(r.delivered for r in batch), hour)}"
        objects[key] = _gzip(lines)
        record_files.add(key)
    others = {
        f"{PREFIX}/amazon-bedrock-logs-permission-check": b"",
        f"{PREFIX}/AWSLogs/{ACCOUNT}/BedrockModelInvocationLogs/"
        "amazon-bedrock-logs-permission-check": b"",
        f"{PREFIX}/cloudwatch-large-data/AWSLogs/{ACCOUNT}/BedrockModelInvocationLogs/{REGION}/"
        f"{made[0].hour}/data/0f0e_input.json.gz": _gzip([json.dumps({"messages": []})]),
        # Another region's logs, copied in: not this stack's.
        f"{PREFIX}/AWSLogs/{ACCOUNT}/BedrockModelInvocationLogs/eu-west-1/{made[0].hour}/"
        f"{_file_name(made[0].delivered, 'eu')}": _gzip([json.dumps(made[0].document())]),
    }
    objects.update(others)
    return Layout(objects, record_files, body_objects, set(others))
