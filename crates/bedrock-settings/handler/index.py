"""Custom::BedrockInvocationLogging: Amazon Bedrock model invocation logging."""

import json
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)

PUT = "PutModelInvocationLoggingConfiguration"
GET = "GetModelInvocationLoggingConfiguration"
SUFFIX = "-bedrock-invocation-logging"
# Every failed Create answers this id; its rollback Delete then removes only exactly what
# that Create would have put (a put whose answer was lost).
CREATE_FAILED = "-create-failed"
LIMIT = 240.0  # seconds for the whole invocation (ServiceTimeout: 360)
MARGIN = 15.0  # seconds kept to answer CloudFormation
CALL = 15.0  # one AWS call as a whole: socket timeouts bound each read, not a trickle
ANSWER = 12.0  # one attempt to answer, likewise
# No SDK retries: ours know the deadline.
CONFIG = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 0})
ATTEMPTS = 8
# Bedrock answers ValidationException while a role created just before propagates in IAM,
# and for a real misconfiguration: retried this long only.
VALIDATION_WINDOW = 60.0
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
DESTINATIONS = ("S3BucketName", "CloudWatchLogGroupName", "LargeDataBucketName")
RECORD = "ReplacedConfigurationParameter"
TAKE_OVER = "TakeOverExistingConfiguration"
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/\S+")
PARAMETER = re.compile(r"/[A-Za-z0-9_.\-/]{1,1000}")
sleep = time.sleep  # tests patch this


class Failed(Exception):
    """A failure whose message is the whole reason."""


class Malformed(Failed):
    pass


class CallTimeout(Failed):
    pass


# Bedrock turns on a delivery flag that a request leaves out (terraform-provider-aws#41312), and
# an SDK older than a flag rejects it, or drops it from an answer. So the SDK validates what its
# model knows, but the wire carries the whole configuration, and a Get reads the whole answer.
def fit(value, shape):
    """The part of `value` that the SDK's model `shape` knows."""
    known = shape.members
    return {
        k: fit(v, known[k]) if isinstance(v, dict) else v for k, v in value.items() if k in known
    }


def keep_whole(params, model, context, **_):
    """Before validation: the whole config waits in the call's context."""
    context[PUT] = whole = params["loggingConfig"]
    params["loggingConfig"] = fit(whole, model.input_shape.members["loggingConfig"])


def send_whole(params, context, **_):
    """Serialized, not yet signed: the body gets the whole config back."""
    body = json.loads(params["body"] or "{}")
    body["loggingConfig"] = context[PUT]
    params["body"] = json.dumps(body).encode()


def read_whole(http_response, parsed, **_):
    """A Get's config as Bedrock wrote it, not as the SDK's parser kept it."""
    if http_response.status_code == 200:
        parsed["loggingConfig"] = json.loads(http_response.content).get("loggingConfig") or {}


def bedrock():
    client = boto3.client("bedrock", config=CONFIG)
    on = client.meta.events.register
    on(f"before-parameter-build.bedrock.{PUT}", keep_whole)
    on(f"before-call.bedrock.{PUT}", send_whole)
    on(f"after-call.bedrock.{GET}", read_whole)
    return client


def ssm():
    return boto3.client("ssm", config=CONFIG)


def budget(context):
    """A clock of the seconds left: Lambda's, but at most LIMIT from now."""
    cut = max(0.0, context.get_remaining_time_in_millis() / 1000.0 - LIMIT)
    return lambda: context.get_remaining_time_in_millis() / 1000.0 - cut


def physical_id(event):
    parts = str(event.get("StackId", "")).split("/")
    stack = parts[1] if len(parts) > 2 else "stack"
    return f"{stack}-{event.get('LogicalResourceId')}{SUFFIX}"


def code(e):
    return e.response.get("Error", {}).get("Code") if isinstance(e, ClientError) else None


def status(e):
    return e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0


def describe(e):
    if isinstance(e, ClientError):
        err = e.response.get("Error", {})
        return f"{e.operation_name} failed: {err.get('Code')}: {err.get('Message')}"
    return str(e) if isinstance(e, Failed) else f"{type(e).__name__}: {e}"


def unknown(e):
    """Whether a failed request may have taken effect all the same."""
    if isinstance(e, (CallTimeout, HTTPClientError)):  # read timeout, connection dropped
        return True
    return isinstance(e, ClientError) and status(e) >= 500


def retryable(e, waited):
    if isinstance(e, (CallTimeout, BotoConnectionError, HTTPClientError)):
        return True
    if code(e) == "ValidationException":
        return waited <= VALIDATION_WINDOW
    return isinstance(e, ClientError) and (
        code(e) == "ThrottlingException" or status(e) == 429 or status(e) >= 500
    )


def bounded(seconds, fn, *args, **kwargs):
    """fn(*args, **kwargs), waited for at most `seconds`; a late answer is ignored."""
    box = {}

    def run():
        try:
            box["value"] = fn(*args, **kwargs)
        except Exception as e:
            box["error"] = e

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        name = getattr(fn, "__name__", "call")
        raise CallTimeout(f"{name} gave no answer within {seconds:.0f} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def call(left, fn, settled=None, **kwargs):
    """fn(**kwargs), retried while the error is transient and time allows. After an error that
    leaves the outcome unknown, settled() (a Get) says whether the call took effect anyway."""
    delay, first, error = 2.0, left(), None
    for attempt in range(1, ATTEMPTS + 1):
        if left() < MARGIN + CALL:
            last = f" Last error: {describe(error)}" if error else ""
            raise Failed(f"Only {left():.0f} s left: not calling AWS.{last}")
        try:
            return bounded(CALL, fn, **kwargs)
        except (ClientError, BotoCoreError, CallTimeout) as e:
            error = e
        if settled and unknown(error):
            LOG.warning("%s: outcome unknown, asking what the account holds", describe(error))
            try:
                if settled():
                    return None
            except (ClientError, BotoCoreError, Failed) as e:
                raise Failed(
                    f"{describe(error)}. Whether it took effect is unknown: "
                    f"the Get that should tell failed too: {describe(e)}"
                ) from e
        if attempt == ATTEMPTS or not retryable(error, first - left() + delay):
            raise error
        if left() - delay < MARGIN + CALL:
            raise Failed(
                f"Gave up after {attempt} attempts, {left():.0f} s before this invocation's "
                f"deadline. Last error: {describe(error)}"
            ) from error
        LOG.warning("%s; retry %d in %.0f s", describe(error), attempt, delay)
        sleep(delay)
        delay = min(delay * 2, 16.0)
    raise error


def flag(props, name, default=None):
    value = props.get(name, default)
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


def record_name(props):
    name = props.get(RECORD)
    if name is not None and not (isinstance(name, str) and PARAMETER.fullmatch(name)):
        raise Malformed(f"{RECORD} is not an SSM parameter name: {str(name)[:80]!r}")
    return name


def holds(current, cfg, top=True):
    """Whether Bedrock holds cfg: the same values, and nothing more but empty values and
    toggles (a kind newer than this handler, which Bedrock may show though it was not sent)."""
    if not isinstance(current, dict):
        return False
    extra = [
        k
        for k, v in current.items()
        if k not in cfg and v not in (None, "") and not (top and isinstance(v, bool))
    ]
    return not extra and all(
        holds(current.get(k), v, False) if isinstance(v, dict) else current.get(k) == v
        for k, v in cfg.items()
    )


def destinations(cfg):
    s3 = cfg.get("s3Config") or {}
    cw = cfg.get("cloudWatchConfig") or {}
    big = cw.get("largeDataDeliveryS3Config") or {}
    return {s3.get("bucketName"), cw.get("logGroupName"), big.get("bucketName")} - {None, ""}


def where(cfg):
    return ", ".join(sorted(destinations(cfg))) or "no destination"


def get(left, client):
    current = call(left, client.get_model_invocation_logging_configuration)
    current = current.get("loggingConfig") or {}
    LOG.info("Current loggingConfig %s", json.dumps(current, sort_keys=True))
    return current


def put(left, client, cfg):
    LOG.info("Putting loggingConfig %s", json.dumps(cfg, sort_keys=True))
    fn = client.put_model_invocation_logging_configuration
    call(left, fn, lambda: holds(get(left, client), cfg), loggingConfig=cfg)


def remove(left, client):
    call(left, client.delete_model_invocation_logging_configuration, lambda: not get(left, client))


def parameter(left, fn, **kwargs):
    """An SSM call on the record; None when there is no record."""
    try:
        return call(left, fn, **kwargs)
    except ClientError as e:
        if code(e) != "ParameterNotFound":
            raise


def read_record(left, name):
    found = parameter(left, ssm().get_parameter, Name=name)
    if not found:
        return None
    try:
        cfg = json.loads(found["Parameter"]["Value"])
    except ValueError:
        cfg = None
    if not isinstance(cfg, dict):
        raise Failed(f"SSM parameter {name} does not hold a logging configuration")
    return cfg


def create(props, left):
    cfg, client = parse(props), bedrock()
    name, take = record_name(props), flag(props, TAKE_OVER, False)
    if take and not name:
        raise Malformed(f"{RECORD} is required when {TAKE_OVER} is true")
    current = get(left, client)
    foreign = bool(current) and not holds(current, cfg)
    note = ""
    if foreign and not take:
        raise Failed(
            "The account already has a logging configuration that this stack did not put "
            f"(to {where(current)}). Set takeOverExistingConfiguration: true to replace it "
            "(the stack puts it back when deleted), or remove it first"
        )
    if foreign:
        value = json.dumps(current, sort_keys=True)
        parameter(left, ssm().put_parameter, Name=name, Value=value, Type="String", Overwrite=True)
        note = f"; replaced the configuration to {where(current)}, recorded in {name}"
        role = (current.get("cloudWatchConfig") or {}).get("roleArn")
        if role and role != cfg.get("cloudWatchConfig", {}).get("roleArn"):
            note += f" (putting it back needs iam:PassRole on {role})"
    elif name:  # a stale record must never be put back over this configuration
        parameter(left, ssm().delete_parameter, Name=name)
    put(left, client, cfg)
    return configured(cfg, note)


def update(props, old, left):
    cfg, client = parse(props), bedrock()
    current = get(left, client)
    ours = {props.get(n) for n in DESTINATIONS} | {old.get(n) for n in DESTINATIONS}
    note = ""
    if current and not holds(current, cfg) and not destinations(current) & ours:
        note = f"; replaced a configuration to {where(current)} that this stack had not put"
    put(left, client, cfg)
    return configured(cfg, note)


def configured(cfg, note):
    data = {
        "S3BucketName": cfg.get("s3Config", {}).get("bucketName", ""),
        "LogGroupName": cfg.get("cloudWatchConfig", {}).get("logGroupName", ""),
    }
    return "Model invocation logging configured" + note, data


def delete(props, physical, left):
    try:
        name = record_name(props)
    except Malformed:
        name = None
    failed = physical.endswith(CREATE_FAILED)
    try:
        cfg = parse(props) if failed else {}
    except Malformed:
        return "Create had failed before putting anything: nothing to remove"
    client = bedrock()
    current = get(left, client)
    ours = {props.get(n) for n in DESTINATIONS}
    mine = holds(current, cfg) if failed else bool(destinations(current) & ours)
    if not current:
        outcome = "No configuration in place: nothing to remove"
    elif not mine:
        outcome = (
            "Left the current configuration in place: it is not the one this "
            f"resource put (it delivers to {where(current)})"
        )
    elif name and restore(left, client, name):
        outcome = "Put back the configuration this stack had replaced"
    else:
        remove(left, client)
        outcome = "Model invocation logging configuration removed"
    if name:
        parameter(left, ssm().delete_parameter, Name=name)
    return outcome


def restore(left, client, name):
    """Puts back the configuration recorded in `name`; False when there is none."""
    previous = read_record(left, name)
    if not previous:
        return False
    try:
        put(left, client, previous)
        return True
    except (ClientError, BotoCoreError, Failed) as e:
        raise Failed(
            f"Could not put back the configuration recorded in SSM parameter {name}: "
            f"{describe(e)}. Put it back yourself, or delete that parameter to have this "
            "stack remove its configuration instead; then delete the stack again"
        ) from e


def handler(event, context):
    left = budget(context)
    event = event if isinstance(event, dict) else {}
    kind = event.get("RequestType")
    physical = physical_id(event)
    if kind != "Create":
        physical = str(event.get("PhysicalResourceId") or physical)
    LOG.info("%s %s %s", kind, event.get("LogicalResourceId"), physical)
    props = event.get("ResourceProperties")
    old = event.get("OldResourceProperties")
    props, old = (p if isinstance(p, dict) else {} for p in (props, old))
    status, data = "FAILED", {}
    try:
        if kind == "Create":
            reason, data = create(props, left)
        elif kind == "Update":
            reason, data = update(props, old, left)
        elif kind == "Delete":
            reason = delete(props, physical, left)
        else:
            raise Malformed(f"unknown RequestType {str(kind)[:40]!r}")
        status = "SUCCESS"
    except Malformed as e:
        reason = f"Malformed properties: {e}"
    except (ClientError, BotoCoreError, Failed) as e:
        reason = describe(e)
    except Exception as e:
        LOG.exception("Unexpected error")
        reason = f"Unexpected error: {type(e).__name__}: {e}"
    if status == "FAILED" and kind == "Create":
        physical += CREATE_FAILED
    answer(event, left, status, reason, physical, data)


def usable(url):
    try:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in ("https", "http") and bool(parts.hostname)
    except (TypeError, ValueError, AttributeError):
        return False


def send(request):
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def answer(event, left, status, reason, physical, data):
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
    url = event.get("ResponseURL")
    if not usable(url):  # CloudFormation then gives up after the ServiceTimeout
        LOG.error("Could not answer CloudFormation: the event has no usable ResponseURL")
        return False
    body = body.encode("utf-8", "replace")
    # The URL is pre-signed for an empty content type (and must never be logged).
    headers = {"Content-Type": "", "Content-Length": str(len(body))}
    request = urllib.request.Request(url, body, headers, method="PUT")
    delay = 1.0
    for attempt in range(1, 6):
        try:
            LOG.info("CloudFormation took it: HTTP %s", bounded(ANSWER, send, request))
            return True
        except urllib.error.HTTPError as e:  # S3 gives some transient errors a 4xx
            error = f"HTTP {e.code}"
            e.close()
        except Exception as e:  # timeout, reset, a URL urllib refuses: never raise
            error = f"{type(e).__name__}: {getattr(e, 'reason', e)}"
        if attempt == 5 or left() - delay < ANSWER + 1:
            LOG.error("Could not answer CloudFormation: %s", error)
            return False
        LOG.warning("Answer failed (%s); retry %d in %.0f s", error, attempt, delay)
        sleep(delay)
        delay *= 2
    return False
