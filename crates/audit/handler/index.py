"""Custom::AuditRoleReference: the ARN of a role of this account, by its name, its
unique ID, or the IAM Identity Center permission set it was made for."""

import json
import logging
import re
import time
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

LOG = logging.getLogger()
LOG.setLevel(logging.INFO)
MARGIN = 10.0  # seconds kept to answer (Timeout 60, ServiceTimeout 120)
# Socket timeouts bound every call; no SDK retries: ours know the deadline.
CONFIG = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 0})
NAME = re.compile(r"[A-Za-z0-9_+=,.@-]{1,64}")
ROLE_ID = re.compile(r"AROA[A-Z0-9]{12,124}")
PERMISSION_SET = re.compile(r"[A-Za-z0-9_+=,.@-]{1,32}")
SSO_PATH = "/aws-reserved/sso.amazonaws.com/"  # where IAM Identity Center puts its roles
UNRESOLVED = "unresolved-role-reference"  # deleting it has nothing to undo
sleep = time.sleep  # tests patch this


class Failed(Exception):
    """A failure whose message is the whole reason."""


def code(e):
    return e.response.get("Error", {}).get("Code") if isinstance(e, ClientError) else None


def describe(e):
    if isinstance(e, ClientError):
        return f"{e.operation_name} failed: {code(e)}: {e.response.get('Error', {}).get('Message')}"
    return str(e) if isinstance(e, Failed) else f"{type(e).__name__}: {e}"


def transient(e):  # connection errors, throttling, server errors
    if isinstance(e, BotoCoreError):
        return True
    status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    return status == 429 or status >= 500 or code(e) in ("Throttling", "ThrottlingException")


def call(left, fn, **kwargs):
    """fn(**kwargs), retried after transient errors while the deadline allows."""
    delay = 1.0
    while True:
        try:
            return fn(**kwargs)
        except (ClientError, BotoCoreError) as e:
            if not transient(e) or left() - delay < MARGIN + 15:
                raise
            LOG.warning("%s; retrying in %.0f s", describe(e), delay)
        sleep(delay)
        delay = min(delay * 2, 8.0)


def wanted(props):
    """(name, unique id, permission set) of the role: exactly one of them."""
    keys = (("RoleName", NAME), ("RoleId", ROLE_ID), ("SsoPermissionSet", PERMISSION_SET))
    values = [props.get(key) for key, _ in keys]
    if sum(v is not None for v in values) != 1:
        raise Failed(
            "Malformed properties: exactly one of RoleName, RoleId and SsoPermissionSet is required"
        )
    for (key, shape), value in zip(keys, values):
        if value is not None and not (isinstance(value, str) and shape.fullmatch(value)):
            raise Failed(f"Malformed properties: {key} is malformed: {str(value)[:80]!r}")
    return tuple(values)


def listed(left, iam, keep, **kwargs):
    """The ARNs of the roles `keep` takes, from every page of ListRoles."""
    found, page = [], {"IsTruncated": True}
    while page.get("IsTruncated"):
        more = {"Marker": page["Marker"]} if "Marker" in page else {}
        page = call(left, iam.list_roles, MaxItems=1000, **kwargs, **more)
        found += [r["Arn"] for r in page.get("Roles", []) if keep(r)]
    return found


def resolve(left, name, role_id, permission_set=None):
    """The role's ARN, path included."""
    iam = boto3.client("iam", config=CONFIG)
    if name is not None:
        try:
            return call(left, iam.get_role, RoleName=name)["Role"]["Arn"]
        except ClientError as e:
            if code(e) == "NoSuchEntity":
                raise Failed(f"This account has no role named {name}") from e
            raise
    if permission_set is not None:  # the role IAM Identity Center made for it
        made = re.compile(f"AWSReservedSSO_{re.escape(permission_set)}_[0-9a-zA-Z]{{16}}")
        found = listed(left, iam, lambda r: made.fullmatch(r["RoleName"]), PathPrefix=SSO_PATH)
        if len(found) == 1:
            return found[0]
        raise Failed(
            f"This account has {len(found) or 'no'} roles of IAM Identity Center for the "
            f"permission set {permission_set}: exactly one is needed"
        )
    found = listed(left, iam, lambda r: r["RoleId"] == role_id)  # no API takes a unique ID
    if found:
        return found[0]
    raise Failed(
        f"This account has no role with the unique ID {role_id} (a role deleted and "
        "created again under its name has a new one)"
    )


def handler(event, context):
    def left():
        return context.get_remaining_time_in_millis() / 1000.0

    event = event if isinstance(event, dict) else {}
    kind = event.get("RequestType")
    physical = str(event.get("PhysicalResourceId") or UNRESOLVED)
    props = event.get("ResourceProperties")
    props = props if isinstance(props, dict) else {}
    LOG.info("%s %s %s", kind, event.get("LogicalResourceId"), physical)
    status, data = "FAILED", {}
    try:
        if kind in ("Create", "Update"):
            # The ARN is the physical id: when it changes, the old one's Delete does nothing.
            physical = resolve(left, *wanted(props))
            data, reason = {"Arn": physical}, f"Resolved to {physical}"
        elif kind == "Delete":
            reason = "Nothing to delete: resolving a role changes nothing"
        else:
            raise Failed(f"Malformed request: unknown RequestType {str(kind)[:40]!r}")
        status = "SUCCESS"
    except (ClientError, BotoCoreError, Failed) as e:
        reason = describe(e)
    except Exception as e:
        LOG.exception("Unexpected error")
        reason = f"Unexpected error: {type(e).__name__}: {e}"
    answer(event, left, status, reason, physical, data)


def answer(event, left, status, reason, physical, data):
    """PUTs the answer to the pre-signed ResponseURL (never logged), retried; never raises."""
    keys = ("StackId", "RequestId", "LogicalResourceId")
    body = {"Status": status, "Reason": reason[:500], "PhysicalResourceId": physical}
    body = json.dumps({**body, **{k: event.get(k) for k in keys}, "NoEcho": False, "Data": data})
    LOG.info("Answering %s", body)
    url, delay = event.get("ResponseURL"), 1.0
    for attempt in range(1, 6):
        try:  # without a usable URL, CloudFormation stops waiting at the ServiceTimeout
            parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
            if not parts or parts.scheme not in ("https", "http") or not parts.hostname:
                raise ValueError("no https or http URL with a host")
            request = urllib.request.Request(url, body.encode(), {"Content-Type": ""}, method="PUT")
            with urllib.request.urlopen(request, timeout=10) as response:
                LOG.info("CloudFormation took it: HTTP %s", response.status)
                return True
        except ValueError as e:
            LOG.error("Could not answer CloudFormation: no usable ResponseURL (%s)", e)
            return False
        except Exception as e:  # HTTP errors, timeouts, resets
            error = f"{type(e).__name__}: {getattr(e, 'code', None) or getattr(e, 'reason', e)}"
        if attempt == 5 or left() - delay < 11:
            LOG.error("Could not answer CloudFormation: %s", error)
            return False
        LOG.warning("Answer failed (%s); retry %d in %.0f s", error, attempt, delay)
        sleep(delay)
        delay *= 2
    return False
