"""Custom::BedrockInvocationLogging: Amazon Bedrock model invocation logging."""

import json
import logging
import re
import time
import urllib.error
import urllib.request

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

PUT = "PutModelInvocationLoggingConfiguration"
SUFFIX = "-bedrock-invocation-logging"
# A failed Create answers this id so that its rollback Delete knows to do nothing.
CREATE_FAILED = "-create-failed"
MARGIN = 15.0  # seconds kept to answer CloudFormation before Lambda stops us
CALL = 15.0  # worst case of one Bedrock call: connect + read timeouts below
# No SDK retries: ours know the deadline.
CONFIG = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 0})
# Validation and access errors just after the role or policies were created come
# from IAM propagation delay, not a misconfiguration: retry them like throttling.
RETRY = {"ValidationException", "AccessDeniedException", "ThrottlingException"}
ATTEMPTS = 8
KINDS = ("Text", "Image", "Embedding", "Video", "Audio")
FLAG = "DataDeliveryEnabled"
NEEDS = (  # (given, then required)
    ("S3KeyPrefix", "S3BucketName"),
    ("CloudWatchLogGroupName", "CloudWatchRoleArn"),
    ("CloudWatchRoleArn", "CloudWatchLogGroupName"),
    ("LargeDataBucketName", "CloudWatchLogGroupName"),
    ("LargeDataKeyPrefix", "LargeDataBucketName"),
)
NAMES = sorted({name for pair in NEEDS for name in pair})
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/\S+")
sleep = time.sleep  # tests patch this


class Malformed(Exception):
    pass


class OutOfTime(Exception):
    pass


def bedrock():
    return boto3.client("bedrock", config=CONFIG)


def left(context):
    return context.get_remaining_time_in_millis() / 1000.0


def physical_id(event):
    parts = str(event.get("StackId", "")).split("/")
    stack = parts[1] if len(parts) > 2 else "stack"
    return f"{stack}-{event.get('LogicalResourceId')}{SUFFIX}"


def describe(e):
    if isinstance(e, ClientError):
        err = e.response.get("Error", {})
        return f"{e.operation_name} failed: {err.get('Code')}: {err.get('Message')}"
    return f"{type(e).__name__}: {e}"


def transient(e):
    if isinstance(e, ClientError):
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        code = e.response.get("Error", {}).get("Code")
        return code in RETRY or status == 429 or status >= 500
    return isinstance(e, (BotoConnectionError, HTTPClientError))


def call(context, fn, **kwargs):
    if left(context) < MARGIN + CALL:
        raise OutOfTime(f"Only {left(context):.0f} s left: not calling Bedrock")
    delay = 2.0
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return fn(**kwargs)
        except (ClientError, BotoCoreError) as e:
            if attempt == ATTEMPTS or not transient(e):
                raise
            if left(context) - delay < MARGIN + CALL:
                raise OutOfTime(
                    f"Gave up after {attempt} attempts, {left(context):.0f} s "
                    f"before the Lambda timeout. Last error: {describe(e)}"
                ) from e
            LOG.warning("%s; retry %d in %.0f s", describe(e), attempt, delay)
            sleep(delay)
            delay = min(delay * 2, 32.0)


def flag(props, name):
    value = props.get(name)
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    if value is None:
        raise Malformed(f"{name} is required")
    raise Malformed(f'{name} must be "true" or "false", not {str(value)[:40]!r}')


def parse(props):
    given = {}
    for name in NAMES:
        value = props.get(name)
        if value is None:
            continue
        # An empty key prefix means none.
        if not isinstance(value, str) or not (value or name.endswith("Prefix")):
            raise Malformed(f"{name} must be a non-empty string")
        given[name] = value
    for name, needed in NEEDS:
        if name in given and needed not in given:
            raise Malformed(f"{needed} is required when {name} is given")
    if "S3BucketName" not in given and "CloudWatchLogGroupName" not in given:
        raise Malformed("S3BucketName or CloudWatchLogGroupName is required")
    role = given.get("CloudWatchRoleArn")
    if role and not ROLE_ARN.fullmatch(role):
        raise Malformed(f"CloudWatchRoleArn is not a role ARN: {role[:80]!r}")

    def s3(bucket, prefix):
        out = {"bucketName": given[bucket]}
        if given.get(prefix):
            out["keyPrefix"] = given[prefix]
        return out

    cfg = {}
    for kind in KINDS:
        cfg[f"{kind.lower()}{FLAG}"] = flag(props, f"{kind}{FLAG}")
    if "S3BucketName" in given:
        cfg["s3Config"] = s3("S3BucketName", "S3KeyPrefix")
    if "CloudWatchLogGroupName" in given:
        cw = {"logGroupName": given["CloudWatchLogGroupName"], "roleArn": role}
        if "LargeDataBucketName" in given:
            big = s3("LargeDataBucketName", "LargeDataKeyPrefix")
            cw["largeDataDeliveryS3Config"] = big
        cfg["cloudWatchConfig"] = cw
    return cfg


# Drop what this SDK's service model does not know: an older boto3 rejects it.
def fit(value, shape, path=""):
    out, dropped = {}, []
    for key, item in value.items():
        member = shape.members.get(key)
        if member is None:
            dropped.append(path + key)
        elif isinstance(item, dict):
            out[key], more = fit(item, member, f"{path}{key}.")
            dropped += more
        else:
            out[key] = item
    return out, dropped


def put(props, context):
    cfg = parse(props)
    client = bedrock()
    op = client.meta.service_model.operation_model(PUT)
    cfg, dropped = fit(cfg, op.input_shape.members["loggingConfig"])
    if dropped:
        LOG.warning("botocore %s lacks %s: not sent", botocore.__version__, dropped)
    LOG.info("Putting loggingConfig %s", json.dumps(cfg, sort_keys=True))
    call(context, client.put_model_invocation_logging_configuration, loggingConfig=cfg)
    data = {
        "S3BucketName": cfg.get("s3Config", {}).get("bucketName", ""),
        "LogGroupName": cfg.get("cloudWatchConfig", {}).get("logGroupName", ""),
        "SkippedFields": ",".join(dropped),
    }
    note = f" (this SDK lacks {', '.join(dropped)})" if dropped else ""
    return "Model invocation logging configured" + note, data


def delete(props, physical, context):
    if physical.endswith(CREATE_FAILED):
        return "Create had failed: nothing to remove, Bedrock not called"
    client = bedrock()
    current = call(context, client.get_model_invocation_logging_configuration)
    current = current.get("loggingConfig") or {}
    LOG.info("Current loggingConfig %s", json.dumps(current, sort_keys=True))
    if not current:
        return "No configuration in place: nothing to remove"
    bucket = (current.get("s3Config") or {}).get("bucketName")
    group = (current.get("cloudWatchConfig") or {}).get("logGroupName")
    ours = bucket and bucket == props.get("S3BucketName")
    ours = ours or (group and group == props.get("CloudWatchLogGroupName"))
    if not ours:
        return (
            "Left the current configuration in place: it does not point at this "
            "resource's bucket or log group"
        )
    call(context, client.delete_model_invocation_logging_configuration)
    return "Model invocation logging configuration removed"


def handler(event, context):
    kind = event.get("RequestType")
    physical = physical_id(event)
    if kind != "Create":
        physical = event.get("PhysicalResourceId") or physical
    LOG.info("%s %s %s", kind, event.get("LogicalResourceId"), physical)
    props = event.get("ResourceProperties") or {}
    status, data = "FAILED", {}
    try:
        if kind in ("Create", "Update"):
            reason, data = put(props, context)
        elif kind == "Delete":
            reason = delete(props, physical, context)
        else:
            raise Malformed(f"unknown RequestType {str(kind)[:40]!r}")
        status = "SUCCESS"
    except Malformed as e:
        reason = f"Malformed properties: {e}"
    except (ClientError, BotoCoreError) as e:
        reason = describe(e)
    except OutOfTime as e:
        reason = str(e)
    except Exception as e:
        LOG.exception("Unexpected error")
        reason = f"Unexpected error: {type(e).__name__}: {e}"
    if status == "FAILED" and kind == "Create":
        physical += CREATE_FAILED
    answer(event, context, status, reason, physical, data)


def answer(event, context, status, reason, physical, data):
    body = {
        "Status": status,
        "Reason": reason[:500],  # the body must stay under 4096 bytes
        "PhysicalResourceId": physical,
        "StackId": event.get("StackId"),
        "RequestId": event.get("RequestId"),
        "LogicalResourceId": event.get("LogicalResourceId"),
        "NoEcho": False,
        "Data": data,
    }
    body = json.dumps(body, ensure_ascii=False)  # \u escapes take up to 12 bytes
    LOG.info("Answering %s", body)
    body = body.encode("utf-8", "replace")
    # The URL is pre-signed for an empty content type (and must never be logged).
    headers = {"Content-Type": "", "Content-Length": str(len(body))}
    request = urllib.request.Request(event["ResponseURL"], body, headers, method="PUT")
    delay = 1.0
    for attempt in range(1, 6):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                LOG.info("CloudFormation took it: HTTP %s", response.status)
                return True
        except urllib.error.HTTPError as e:
            error, final = f"HTTP {e.code}", e.code < 500
            e.close()
        except OSError as e:  # URLError, timeout, reset
            error, final = f"{type(e).__name__}: {getattr(e, 'reason', e)}", False
        if final or attempt == 5 or left(context) < delay + 11:
            LOG.error("Could not answer CloudFormation: %s", error)
            return False
        LOG.warning("Answer failed (%s); retry %d in %.0f s", error, attempt, delay)
        sleep(delay)
        delay *= 2
    return False
