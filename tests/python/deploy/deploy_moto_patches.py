"""Narrow patches to moto 5.2.5, applied inside the deploy harness's moto server process only.

Each patch names the moto behaviour it stands in for.  They make moto's CloudFormation
emulation behave like CloudFormation where this project's templates need it; they do not make
moto a complete CloudFormation.  ``apply()`` checks the moto version first: a different moto
may have fixed (or moved) what is patched here.

Custom resources (``Custom::*``) follow CloudFormation's protocol:

* Create / Update / Delete requests go to the function named by ``ServiceToken`` (run by
  :mod:`deploy_lambda_runner`, since moto would need Docker), with a ``ResponseURL`` on this
  server (127.0.0.1); the stack operation waits, bounded by the function's ``Timeout``, until
  the answer arrives.  The properties arrive as CloudFormation sends them: every value a
  string (``360`` as ``"360"``, ``true`` as ``"true"``), where moto would pass the template's
  JSON types through.  moto instead starts the function in a background thread, reports the
  stack complete without waiting (when it is created through a change set, which is what
  ``aws cloudformation deploy`` uses), never sends Update or Delete requests, and ignores
  answers whose Status is ``FAILED``.
* The answer is validated like CloudFormation does (JSON, Status, matching ids, a
  PhysicalResourceId on success, at most 4096 bytes).  A function that returns without
  answering fails the resource at once; on AWS the stack would wait up to an hour.
* A failure fails the stack operation and rolls it back: CREATE_FAILED -> ROLLBACK_COMPLETE
  (a custom resource whose Create failed gets a Delete with the PhysicalResourceId of its
  failed answer, resources with DeletionPolicy Retain are kept) or UPDATE_FAILED ->
  UPDATE_ROLLBACK_COMPLETE (the previous template is applied again).

The patches (each function's docstring says which moto behaviour it stands in for):

* Lambda: ``LambdaFunction._invoke_lambda`` (Docker) -> in-process runner; CloudFormation
  create keeps ``LoggingConfig``; CloudFormation update zips inline ``Code.ZipFile``.
* Custom resources: ``CustomModel`` create/update/delete and ``physical_resource_id``;
  ``CloudFormationResponse.process_cfn_response`` (FAILED ignored; HTTP 400 during deletion).
* Templates uploaded by ``aws cloudformation deploy --s3-bucket``:
  ``CloudFormationResponse._get_stack_from_s3_url`` (a URL on 127.0.0.1 read as path-style).
* Stack operations: ``CloudFormationBackend.execute_change_set``, ``Stack.update``,
  ``Stack.create_resources``, ``CloudFormationBackend.delete_stack`` (statuses, rollback,
  outputs), ``Stack.stack_resources`` (lazy re-creation), ``ResourceMap.update`` (removed
  resources deleted last), ``ResourceMap.delete`` (custom resources first),
  ``ResourceMap._delete_resource`` (Retain on removal), ``ResourceMap.build_resource_diff``
  (DependsOn), ``parsing.parse_and_update_resource`` (types without an update model).
* Resource types: AWS::SSM::Parameter (map Tags), AWS::KMS::Key (Tags, KeyPolicy object,
  update), AWS::S3::Bucket (versioning, public access block, ownership, lifecycle, bucket
  keys, Object Lock), AWS::S3::BucketPolicy (no model in moto), AWS::Logs::LogGroup
  (KmsKeyId, update), AWS::IAM::ManagedPolicy (update).

Not emulated (moto has no model, or this harness does not add one): policy evaluation of any
kind (IAM, key policies, bucket policies are stored, never enforced), Bedrock's validation of
its destinations when a logging configuration is put, a log group's DataProtectionPolicy
(moto stores no data protection policy and masks nothing), whether a lock keeps an object
version from deletion, Lambda's LoggingConfig other than as the
log group the runner writes to, stack-level DisableRollback, and drift.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

import deploy_lambda_runner

LOG = logging.getLogger("deploy_harness.patches")

MOTO_VERSION = "5.2.5"

# Seconds the harness waits for an answer after the function has returned (the answer is
# normally sent before the handler returns; this only absorbs a late, asynchronous PUT).
ANSWER_GRACE_SECONDS = 0.5
# CloudFormation rejects custom-resource answers longer than this.
MAX_ANSWER_BYTES = 4096

_STATE: dict[str, Any] = {"endpoint": None}


# --------------------------------------------------------------------------------------------
# Custom-resource requests and their answers
# --------------------------------------------------------------------------------------------


@dataclass
class _Pending:
    event: dict[str, Any]
    answered: threading.Event = field(default_factory=threading.Event)
    body: bytes | None = None


_PENDING: dict[str, _Pending] = {}
_PENDING_LOCK = threading.Lock()

# Stack id -> reasons of custom-resource failures recorded during the running operation.
_FAILURES: dict[str, list[str]] = {}
# Stack id -> custom resources whose Create failed (they get a Delete during rollback).
_FAILED_CREATES: dict[str, list[Any]] = {}
# Stack id -> (model, properties, physical id) replaced during an update, deleted on success.
_REPLACED: dict[str, list[tuple[Any, dict[str, Any], str]]] = {}
# Stack id -> {logical id: resource JSON} removed from the template by the running update.
_REMOVED: dict[str, dict[str, Any]] = {}


class CustomResourceFailed(Exception):
    """A custom resource answered FAILED, answered badly, or did not answer."""

    def __init__(self, logical_id: str, reason: str) -> None:
        super().__init__(reason)
        self.logical_id = logical_id


@dataclass
class Answer:
    ok: bool
    reason: str
    physical_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _response_url(region: str, stack_id: str) -> str:
    endpoint = _STATE["endpoint"]
    assert endpoint and endpoint.startswith("http://127.0.0.1:"), endpoint
    query = urllib.parse.urlencode({"stack": stack_id})
    return f"{endpoint}/cloudformation_{region}/cfnresponse?{query}"


def _validate_answer(event: dict[str, Any], raw: bytes) -> Answer:
    request_type = event["RequestType"]
    if len(raw) > MAX_ANSWER_BYTES:
        return Answer(False, f"Response object is too long ({len(raw)} bytes).")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return Answer(False, f"Response is not valid JSON: {error}")
    if not isinstance(body, dict):
        return Answer(False, "Response is not a JSON object.")
    for key in ("RequestId", "StackId", "LogicalResourceId"):
        if body.get(key) != event[key]:
            return Answer(False, f"Response {key} {body.get(key)!r} does not match the request.")
    status = body.get("Status")
    physical_id = body.get("PhysicalResourceId")
    if physical_id is not None and (not isinstance(physical_id, str) or not physical_id):
        return Answer(False, "Invalid PhysicalResourceId")
    data = body.get("Data") or {}
    if not isinstance(data, dict):
        return Answer(False, "Response Data is not a JSON object.")
    if status == "SUCCESS":
        if physical_id is None:
            return Answer(False, "Invalid PhysicalResourceId")
        return Answer(True, "", physical_id, data)
    if status == "FAILED":
        message = body.get("Reason") or "(no reason given)"
        return Answer(
            False,
            f"Received response status [FAILED] from custom resource. Message returned: "
            f"{message} (RequestId: {event['RequestId']})",
            physical_id,
        )
    return Answer(
        False, f"Response Status {status!r} is neither SUCCESS nor FAILED ({request_type})."
    )


def as_sent(value: Any) -> Any:
    """A property value as CloudFormation sends it to a custom resource: numbers and booleans
    become strings ("true"/"false"), in lists and maps too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return {key: as_sent(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_sent(item) for item in value]
    return value


def send_request(
    model: Any,
    request_type: str,
    properties: dict[str, Any],
    old_properties: dict[str, Any] | None = None,
    physical_id: str | None = None,
) -> Answer:
    """Send one custom-resource request and wait (bounded) for its answer."""
    from moto.awslambda.utils import get_backend as get_lambda_backend

    service_token = properties.get("ServiceToken")
    backend = get_lambda_backend(model.account_id, model.region_name)
    try:
        fn = backend.get_function(service_token)
    except Exception:  # moto raises several types for unknown functions
        return Answer(False, f"Invalid service token: {service_token!r}")

    request_id = str(uuid.uuid4())
    event: dict[str, Any] = {
        "RequestType": request_type,
        "ServiceToken": service_token,
        "ResponseURL": _response_url(model.region_name, model.stack_id),
        "StackId": model.stack_id,
        "RequestId": request_id,
        "LogicalResourceId": model.logical_id,
        "ResourceType": model.resource_type,
        "ResourceProperties": as_sent(properties),
    }
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    if old_properties is not None:
        event["OldResourceProperties"] = as_sent(old_properties)
    pending = _Pending(event)
    with _PENDING_LOCK:
        _PENDING[request_id] = pending
    started = time.monotonic()
    try:
        result = fn.invoke(json.dumps(event), {"x-amz-invocation-type": "Event"}, {})
        if not pending.answered.wait(ANSWER_GRACE_SECONDS):
            detail = ""
            try:
                payload = json.loads(result) if result else None
            except ValueError:
                payload = None
            if isinstance(payload, dict) and payload.get("errorMessage"):
                detail = f" The function failed: {payload['errorMessage']}"
            return Answer(
                False,
                f"{request_type} request to custom resource {model.logical_id} got no answer "
                f"through its ResponseURL (CloudFormation would wait up to an hour).{detail}",
            )
    finally:
        with _PENDING_LOCK:
            _PENDING.pop(request_id, None)
    answer = _validate_answer(event, pending.body or b"")
    LOG.info(
        "custom resource %s %s answered in %.2fs: ok=%s %s",
        model.logical_id,
        request_type,
        time.monotonic() - started,
        answer.ok,
        answer.reason,
    )
    return answer


def _process_cfn_response(self: Any) -> tuple[int, dict[str, Any], str]:
    """Stands in for moto's ``CloudFormationResponse.process_cfn_response``.

    moto looks the stack up by id and ignores every Status but SUCCESS; during a stack deletion
    the stack is no longer listed, so the answer to a Delete request gets HTTP 400.  Here the
    answer is matched to the pending request by its RequestId and judged by the waiting
    operation, like CloudFormation does with the object written to its pre-signed S3 URL.
    """
    raw = self.body if isinstance(self.body, bytes) else (self.body or "").encode("utf-8")
    try:
        request_id = json.loads(raw.decode("utf-8")).get("RequestId")
    except (UnicodeDecodeError, ValueError, AttributeError):
        request_id = None
    with _PENDING_LOCK:
        pending = _PENDING.get(request_id) if isinstance(request_id, str) else None
    if pending is None:
        return 404, {"status": 404}, json.dumps({"message": "no such pending request"})
    pending.body = raw
    pending.answered.set()
    return 200, {"status": 200}, ""


# --------------------------------------------------------------------------------------------
# The custom-resource model
# --------------------------------------------------------------------------------------------


def _custom_physical_resource_id(self: Any) -> str:
    return getattr(self, "harness_physical_id", None) or self.resource_name


def _custom_create(
    cls: Any,
    resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
    **kwargs: Any,
) -> Any:
    """Stands in for ``CustomModel.create_from_cloudformation_json``.

    moto starts the function in a thread and returns at once; the stack may then complete (or
    dependents read ``Fn::GetAtt``) before the answer, and a FAILED answer is ignored.
    """
    from moto.cloudformation import cloudformation_backends

    model = cls(region_name, str(uuid.uuid4()), kwargs["LogicalId"], resource_name)
    model.account_id = account_id
    model.stack_id = kwargs["StackId"]
    model.resource_type = kwargs["ResourceType"]
    model.properties = copy.deepcopy(cloudformation_json["Properties"])
    stack = cloudformation_backends[account_id][region_name].get_stack(model.stack_id)
    stack.add_custom_resource(model)
    # Kept for Delete requests: moto no longer lists a stack while it deletes it.
    model.harness_stack = stack

    _resource_event(stack, model, "CREATE_IN_PROGRESS")
    answer = send_request(model, "Create", model.properties)
    if not answer.ok:
        model.harness_physical_id = answer.physical_id
        _FAILED_CREATES.setdefault(model.stack_id, []).append(model)
        _resource_event(stack, model, "CREATE_FAILED", answer.reason)
        raise CustomResourceFailed(model.logical_id, answer.reason)
    model.harness_physical_id = answer.physical_id
    model.set_data(answer.data)
    _resource_event(stack, model, "CREATE_COMPLETE")
    return model


def _custom_update(
    cls: Any,
    original_resource: Any,
    new_resource_name: str,
    cloudformation_json: dict[str, Any],
    account_id: str,
    region_name: str,
) -> Any:
    """Stands in for the missing ``CustomModel.update_from_cloudformation_json``.

    Without it moto sends no Update request and drops the resource from the stack's resource
    map.  A failure is recorded rather than raised: moto retries a raising update up to five
    times, which would send the same Update request five times.
    """
    model = original_resource
    stack = model.harness_stack
    new_properties = copy.deepcopy(cloudformation_json["Properties"])
    old_properties = model.properties
    old_physical_id = model.physical_resource_id
    _resource_event(stack, model, "UPDATE_IN_PROGRESS")
    answer = send_request(model, "Update", new_properties, old_properties, old_physical_id)
    if not answer.ok:
        _FAILURES.setdefault(model.stack_id, []).append(
            f"The following resource(s) failed to update: [{model.logical_id}]. {answer.reason}"
        )
        _resource_event(stack, model, "UPDATE_FAILED", answer.reason)
        # The rollback's Update carries these as its OldResourceProperties, as on AWS.
        model.properties = new_properties
        return model
    if answer.physical_id != old_physical_id:
        # A new physical id means replacement: the old one is deleted once the update succeeds.
        _REPLACED.setdefault(model.stack_id, []).append((model, old_properties, old_physical_id))
    model.properties = new_properties
    model.harness_physical_id = answer.physical_id
    model.set_data(answer.data)
    _resource_event(stack, model, "UPDATE_COMPLETE")
    return model


def _custom_delete(self: Any, account_id: str, region_name: str) -> None:
    """Stands in for the missing ``CustomModel.delete``: moto sends no Delete request."""
    if getattr(self, "harness_delete_error", None):
        raise CustomResourceFailed(self.logical_id, self.harness_delete_error)
    stack = self.harness_stack
    _resource_event(stack, self, "DELETE_IN_PROGRESS")
    answer = send_request(self, "Delete", self.properties, None, self.physical_resource_id)
    if not answer.ok:
        self.harness_delete_error = answer.reason
        _resource_event(stack, self, "DELETE_FAILED", answer.reason)
        raise CustomResourceFailed(self.logical_id, answer.reason)
    _resource_event(stack, self, "DELETE_COMPLETE")


def _resource_event(stack: Any, model: Any, status: str, reason: str | None = None) -> None:
    from moto.cloudformation.models import Event

    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=model.logical_id,
            physical_resource_id=getattr(model, "harness_physical_id", None) or "",
            resource_type=model.resource_type,
            resource_status=status,
            resource_status_reason=reason,
            resource_properties=None,
        )
    )


# --------------------------------------------------------------------------------------------
# Stack operations: status, failure, rollback, outputs
# --------------------------------------------------------------------------------------------


def _stack_event(stack: Any, status: str, reason: str | None = None) -> None:
    stack._add_stack_event(status, resource_status_reason=reason)


def _set_status(stack: Any, status: str, reason: str | None = None) -> None:
    stack.status = status
    stack.status_reason = reason
    _stack_event(stack, status, reason)


def _delete_failed_creates(stack: Any) -> None:
    for model in _FAILED_CREATES.pop(stack.stack_id, []):
        if model.physical_resource_id and getattr(model, "harness_physical_id", None):
            try:
                _custom_delete(model, stack.account_id, stack.region_name)
            except CustomResourceFailed:
                LOG.warning("Delete of failed custom resource %s failed", model.logical_id)


def _drop_outputs(stack: Any) -> None:
    """A stack without resources has no outputs.  moto would keep evaluating them, and its
    lazy resource map would create the resources they reference again (a custom resource
    would get a new Create request from a DescribeStacks call)."""
    from moto.cloudformation.parsing import OutputMap

    stack.output_map = OutputMap(stack.resource_map, {}, stack.stack_id)


def _roll_back_create(stack: Any, reason: str) -> None:
    _drop_outputs(stack)
    _set_status(stack, "CREATE_FAILED", reason)
    _set_status(stack, "ROLLBACK_IN_PROGRESS", f"{reason} Rollback requested by user.")
    try:
        _delete_failed_creates(stack)
        stack.resource_map.delete()
    except Exception as error:  # any failure leaves the stack ROLLBACK_FAILED
        LOG.exception("rollback of %s failed", stack.name)
        _set_status(stack, "ROLLBACK_FAILED", str(error))
        return
    _set_status(stack, "ROLLBACK_COMPLETE")


def _roll_back_update(
    stack: Any, reason: str, template: Any, template_dict: dict[str, Any], parameters: Any
) -> None:
    _set_status(stack, "UPDATE_FAILED", reason)
    _set_status(stack, "UPDATE_ROLLBACK_IN_PROGRESS", reason)
    _FAILURES[stack.stack_id] = []
    _REPLACED.pop(stack.stack_id, None)
    _restore_removed(stack)
    try:
        stack.resource_map.update(copy.deepcopy(template_dict), parameters)
    except Exception as error:
        LOG.exception("update rollback of %s failed", stack.name)
        _set_status(stack, "UPDATE_ROLLBACK_FAILED", str(error))
        return
    failures = _FAILURES.pop(stack.stack_id, [])
    if failures:
        _set_status(stack, "UPDATE_ROLLBACK_FAILED", failures[0])
        return
    stack.template = template
    stack._parse_template()
    stack.parameters = parameters
    stack.output_map = stack._create_output_map()
    # What the failed update had added is deleted once the rollback is through.
    _set_status(stack, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    _clean_up_removed(stack)
    _set_status(stack, "UPDATE_ROLLBACK_COMPLETE")


def _finish_replacements(stack: Any) -> None:
    for model, properties, physical_id in _REPLACED.pop(stack.stack_id, []):
        answer = send_request(model, "Delete", properties, None, physical_id)
        if not answer.ok:
            LOG.warning("cleanup Delete of %s (%s) failed", model.logical_id, physical_id)


def _run_operation(stack: Any, kind: str, operation: Any) -> str | None:
    """Run ``operation``; return the first failure reason, or None."""
    _FAILURES[stack.stack_id] = []
    try:
        operation()
    except Exception as error:  # any failure fails the stack operation
        LOG.info("%s of %s failed: %r", kind, stack.name, error)
        failures = _FAILURES.pop(stack.stack_id, [])
        if isinstance(error, CustomResourceFailed):
            return f"The following resource(s) failed to create: [{error.logical_id}]."
        return failures[0] if failures else f"{type(error).__name__}: {error}"
    failures = _FAILURES.pop(stack.stack_id, [])
    return failures[0] if failures else None


def _execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
    """Stands in for ``CloudFormationBackend.execute_change_set``.

    moto marks the stack ``<TYPE>_COMPLETE`` whatever happened (custom resources that have not
    answered or answered FAILED, resources that raised), has no rollback, and never rebuilds the
    outputs from the change set's template (``describe-stacks`` shows no Outputs after
    ``aws cloudformation deploy``).
    """
    from moto.cloudformation.exceptions import ValidationError

    change_set = self.change_sets.get(change_set_name)
    if change_set is None:
        change_set = next(
            (cs for cs in self.change_sets.values() if cs.change_set_name == change_set_name),
            None,
        )
    if change_set is None:
        raise ValidationError(stack_name)
    stack = self.stacks[change_set.stack_id]
    change_set.execution_status = "EXECUTE_IN_PROGRESS"
    _run_stack_operation(
        stack,
        change_set.change_set_type,
        change_set.apply,
        change_set.template,
        change_set.parameters,
    )
    change_set.execution_status = "EXECUTE_COMPLETE"


def _run_stack_operation(
    stack: Any, kind: str, apply: Any, template: Any, parameters: dict[str, Any] | None
) -> None:
    """Create or update ``stack`` by calling ``apply``, then complete or roll back."""
    previous_template = stack.template
    previous_template_dict = copy.deepcopy(getattr(stack, "template_dict", {}) or {})
    # All resolved values (defaults included), as strings: the rollback passes them back in
    # full, so that moto's diff sees which parameters change back.
    previous_parameters = {
        key: ",".join(map(str, value)) if isinstance(value, list) else str(value)
        for key, value in stack.resource_map.resolved_parameters.items()
    }

    _set_status(stack, f"{kind}_IN_PROGRESS", "User Initiated")
    failure = _run_operation(stack, kind, apply)
    if failure is None:
        stack.template = template
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        if parameters:
            stack.parameters = parameters
        stack.output_map = stack._create_output_map()
        if kind == "UPDATE":
            _set_status(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
            _finish_replacements(stack)
            _clean_up_removed(stack)
        _set_status(stack, f"{kind}_COMPLETE")
    elif kind == "CREATE":
        _roll_back_create(stack, failure)
    else:
        _roll_back_update(
            stack, failure, previous_template, previous_template_dict, previous_parameters
        )


def _stack_resources(self: Any) -> list[Any]:
    """Stands in for ``Stack.stack_resources`` (DescribeStackResources and friends).

    moto iterates its lazy resource map, which creates every resource that does not exist:
    after a rollback, describing the stack's resources would create them all again (and send a
    custom resource a new Create).  Only the resources that exist are listed here.
    """
    from moto.core.common_models import CloudFormationModel

    parsed = self.resource_map._parsed_resources.values()
    return [resource for resource in parsed if isinstance(resource, CloudFormationModel)]


def _stack_update(
    self: Any,
    template: str,
    role_arn: str | None = None,
    parameters: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
) -> None:
    """Stands in for ``Stack.update`` (the UpdateStack API, without change sets): the same
    gaps as ``execute_change_set`` (no failure, no rollback, no cleanup phase)."""
    template_dict = self.parse_template(template)
    _run_stack_operation(
        self,
        "UPDATE",
        lambda: self.resource_map.update(template_dict, parameters),
        template,
        parameters,
    )
    self.role_arn = role_arn
    if tags is not None:
        self.tags = tags


def _patch_create_resources(original: Any) -> Any:
    def create_resources(self: Any) -> None:
        """Wraps ``Stack.create_resources`` (the CreateStack API, without change sets).

        moto lets a failing resource escape as an API error and leaves the stack
        CREATE_IN_PROGRESS; CloudFormation reports CREATE_FAILED and rolls back.
        """
        failure = _run_operation(self, "CREATE", lambda: original(self))
        if failure is not None:
            _roll_back_create(self, failure)
        elif self.status != "CREATE_COMPLETE":
            self.mark_creation_complete()

    return create_resources


def _patch_resource_map_delete(original: Any) -> Any:
    def delete(self: Any) -> None:
        """Wraps ``ResourceMap.delete``: custom resources are deleted first.

        moto deletes in arbitrary order, so the function behind a custom resource may be gone
        before its Delete request; CloudFormation deletes in reverse dependency order, and a
        custom resource depends on its function and on what its properties reference.
        """
        from moto.cloudformation.custom_model import CustomModel

        for logical_id in reversed(list(self._resource_json_map)):
            resource_json = self._resource_json_map[logical_id]
            model = self._parsed_resources.get(logical_id)
            if not isinstance(model, CustomModel):
                continue
            if resource_json.get("DeletionPolicy") != "Retain":
                model.delete(self._account_id, self._region_name)
            self._parsed_resources.pop(logical_id)
        original(self)

    return delete


def _patch_delete_stack(original: Any) -> Any:
    def delete_stack(self: Any, name_or_stack_id: str) -> None:
        """Wraps ``CloudFormationBackend.delete_stack``.

        moto removes the stack from its list before deleting its resources, so a resource
        that fails to delete makes the stack vanish; CloudFormation reports DELETE_FAILED.
        """
        stack = self.stacks.get(name_or_stack_id) or next(
            (s for s in self.stacks.values() if s.name == name_or_stack_id), None
        )
        if stack is None:
            return None
        try:
            original(self, stack.stack_id)
            _drop_outputs(stack)
            return None
        except Exception as error:
            LOG.info("deletion of %s failed: %r", stack.name, error)
            self.deleted_stacks.pop(stack.stack_id, None)
            self.stacks[stack.stack_id] = stack
            reason = f"{type(error).__name__}: {error}"
            if isinstance(error, CustomResourceFailed):
                reason = (
                    f"The following resource(s) failed to delete: [{error.logical_id}]. {error}"
                )
            _set_status(stack, "DELETE_FAILED", reason)
            return None

    return delete_stack


# --------------------------------------------------------------------------------------------
# ResourceMap: update semantics
# --------------------------------------------------------------------------------------------


def _patch_resource_map_update(original: Any) -> Any:
    def update(self: Any, template: dict[str, Any], parameters: Any = None) -> None:
        """Wraps ``ResourceMap.update``: resources removed from the template are deleted last.

        moto deletes them first, then adds and modifies the others.  CloudFormation creates and
        updates first and deletes what was removed only once the update has succeeded
        (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS); when the update fails they are still there for
        the rollback.  The removed resources stay in the template moto sees, unchanged, and are
        deleted by ``_clean_up_removed``.
        """
        removed = {
            name: resource
            for name, resource in self._resource_json_map.items()
            if name not in template["Resources"]
        }
        if not removed:
            return original(self, template, parameters)
        shadow = dict(template)
        shadow["Resources"] = {**template["Resources"], **removed}
        original(self, shadow, parameters)
        self._template = template
        self._resource_json_map = template["Resources"]
        _REMOVED.setdefault(self.stack_id, {}).update(removed)
        return None

    return update


def _restore_removed(stack: Any) -> None:
    """Before a rollback: what the failed update removed is part of the stack again."""
    removed = _REMOVED.pop(stack.stack_id, {})
    if removed:
        resource_map = stack.resource_map
        resource_map._resource_json_map = {**resource_map._resource_json_map, **removed}


def _clean_up_removed(stack: Any) -> None:
    """Delete what the update removed: custom resources first, then retry passes (moto's own
    way of coping with dependencies).  Failures here do not fail the update, as on AWS."""
    from moto.cloudformation.custom_model import CustomModel

    resource_map = stack.resource_map
    removed = _REMOVED.pop(stack.stack_id, {})
    names = sorted(
        removed, key=lambda n: not isinstance(resource_map._parsed_resources.get(n), CustomModel)
    )
    for _ in range(5):
        remaining = []
        for name in names:
            parsed = resource_map._parsed_resources.get(name)
            if parsed is None or isinstance(parsed, str):
                continue
            try:
                resource_map._delete_resource(parsed, removed[name])
            except Exception as error:  # retried, then reported
                LOG.info("cleanup of %s: %r", name, error)
                remaining.append(name)
            else:
                resource_map._parsed_resources.pop(name, None)
        if not remaining or len(remaining) == len(names):
            names = remaining
            break
        names = remaining
    for name in names:
        LOG.warning("cleanup could not delete %s", name)


def _patch_parse_and_update_resource(original: Any) -> Any:
    def parse_and_update_resource(
        logical_id: str, resource_json: Any, resources_map: Any, account_id: str, region_name: str
    ) -> Any:
        """Wraps ``parsing.parse_and_update_resource``.

        For a type whose moto model has no update implementation (AWS::KMS::Key, ...) moto
        returns None and the resource disappears from the stack's resource map (later Refs
        resolve to None, deletion forgets it).  Keep the existing resource instead.
        """
        updated = original(logical_id, resource_json, resources_map, account_id, region_name)
        if updated is None:
            existing = resources_map._parsed_resources.get(logical_id)
            if existing is not None:
                LOG.info("moto cannot update %s in place; kept as is", logical_id)
                return existing
        return updated

    return parse_and_update_resource


def _patch_delete_resource(original: Any) -> Any:
    def _delete_resource(self: Any, parsed_resource: Any, resource_json: dict[str, Any]) -> None:
        """Wraps ``ResourceMap._delete_resource``.

        moto deletes a resource removed from the template by an update even when its
        DeletionPolicy is Retain; CloudFormation keeps it.
        """
        if resource_json.get("DeletionPolicy") == "Retain":
            return
        original(self, parsed_resource, resource_json)

    return _delete_resource


def _depends_on_order(resources: dict[str, Any], names: list[str]) -> list[str]:
    """``names`` in template order, moved after what they name in DependsOn."""
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered or name in visiting or name not in names:
            return
        visiting.add(name)
        depends_on = resources.get(name, {}).get("DependsOn", [])
        for dependency in [depends_on] if isinstance(depends_on, str) else depends_on:
            visit(dependency)
        visiting.discard(name)
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


def _patch_build_resource_diff(original: Any) -> Any:
    def build_resource_diff(self: Any, other_template: dict[str, Any], parameters: Any = None):
        """Wraps ``ResourceMap.build_resource_diff``.

        moto creates the resources a change set adds in template order, ignoring DependsOn
        (only Ref/GetAtt are resolved on demand); CloudFormation honours DependsOn.
        """
        diff = original(self, other_template, parameters)
        diff["Add"] = _depends_on_order(other_template["Resources"], diff["Add"])
        return diff

    return build_resource_diff


# --------------------------------------------------------------------------------------------
# Resource types
# --------------------------------------------------------------------------------------------


def _wrap_classmethod(cls: Any, name: str, make: Any) -> None:
    original = getattr(cls, name).__func__
    setattr(cls, name, classmethod(make(original)))


def _patch_ssm_parameter() -> None:
    from moto.ssm.models import Parameter

    def make(original: Any) -> Any:
        def create(cls: Any, resource_name: str, cloudformation_json: Any, *args: Any, **kw: Any):
            """AWS::SSM::Parameter ``Tags`` is a JSON object (map) in CloudFormation; moto
            hands it to ``put_parameter``, which expects a list of Key/Value and crashes."""
            properties = cloudformation_json.get("Properties", {})
            tags = properties.get("Tags")
            if isinstance(tags, dict):
                cloudformation_json = copy.deepcopy(cloudformation_json)
                cloudformation_json["Properties"]["Tags"] = [
                    {"Key": key, "Value": value} for key, value in tags.items()
                ]
            return original(cls, resource_name, cloudformation_json, *args, **kw)

        return create

    _wrap_classmethod(Parameter, "create_from_cloudformation_json", make)


def _patch_kms_key() -> None:
    from moto.kms.models import Key, kms_backends

    def make(original: Any) -> Any:
        def create(cls: Any, resource_name: str, cloudformation_json: Any, *args: Any, **kw: Any):
            """AWS::KMS::Key ``Tags`` are Key/Value pairs; moto passes them to ``create_key``,
            which reads TagKey/TagValue and crashes.  ``KeyPolicy`` may be a JSON object in a
            template; the KMS API (GetKeyPolicy) returns it as a string."""
            cloudformation_json = copy.deepcopy(cloudformation_json)
            properties = cloudformation_json.setdefault("Properties", {})
            tags = properties.get("Tags") or []
            properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in tags]
            if isinstance(properties.get("KeyPolicy"), dict):
                properties["KeyPolicy"] = json.dumps(properties["KeyPolicy"])
            key = original(cls, resource_name, cloudformation_json, *args, **kw)
            if "KeySpec" in properties or "KeyUsage" in properties:
                key.key_spec = properties.get("KeySpec", key.key_spec)
                key.key_usage = properties.get("KeyUsage", key.key_usage)
            return key

        return create

    def update(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        """moto has no update for AWS::KMS::Key; apply the mutable properties in place."""
        properties = cloudformation_json.get("Properties", {})
        backend = kms_backends[account_id][region_name]
        key = original_resource
        policy = properties.get("KeyPolicy")
        if policy is not None:
            key.policy = json.dumps(policy) if isinstance(policy, dict) else policy
        key.key_rotation_status = properties.get("EnableKeyRotation", False)
        key.enabled = properties.get("Enabled", True)
        key.description = properties.get("Description", "")
        tags = {t["Key"]: t["Value"] for t in properties.get("Tags") or []}
        old = backend.list_resource_tags(key.id).get("Tags", [])
        stale = [t["TagKey"] for t in old if t["TagKey"] not in tags]
        if stale:
            backend.untag_resource(key.id, stale)
        if tags:
            backend.tag_resource(key.id, tags)
        return key

    _wrap_classmethod(Key, "create_from_cloudformation_json", make)
    Key.update_from_cloudformation_json = classmethod(update)  # type: ignore[method-assign]


def _apply_bucket_properties(backend: Any, bucket_name: str, properties: dict[str, Any]) -> None:
    versioning = properties.get("VersioningConfiguration")
    if versioning:
        backend.put_bucket_versioning(bucket_name, versioning["Status"])
    block = properties.get("PublicAccessBlockConfiguration")
    if block:
        backend.put_public_access_block(
            bucket_name, {k: "true" if v in (True, "true") else "false" for k, v in block.items()}
        )
    ownership = properties.get("OwnershipControls")
    if ownership and ownership.get("Rules"):
        # moto stores the ObjectOwnership value of the (single) rule.
        backend.put_bucket_ownership_controls(bucket_name, ownership["Rules"][0]["ObjectOwnership"])
    encryption = properties.get("BucketEncryption")
    if encryption:
        # moto keeps only SSEAlgorithm and KMSMasterKeyID; add BucketKeyEnabled.
        rule = encryption["ServerSideEncryptionConfiguration"][0]
        default = rule["ServerSideEncryptionByDefault"]
        api_rule: dict[str, Any] = {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": default["SSEAlgorithm"]}
        }
        if default.get("KMSMasterKeyID"):
            api_rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] = default[
                "KMSMasterKeyID"
            ]
        if "BucketKeyEnabled" in rule:
            api_rule["BucketKeyEnabled"] = "true" if rule["BucketKeyEnabled"] else "false"
        backend.put_bucket_encryption(
            bucket_name, {"@xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Rule": api_rule}
        )
    lifecycle = properties.get("LifecycleConfiguration")
    if lifecycle:
        backend.put_bucket_lifecycle(bucket_name, [_lifecycle_rule(r) for r in lifecycle["Rules"]])
    lock = properties.get("ObjectLockConfiguration")
    if properties.get("ObjectLockEnabled") in (True, "true") or lock:
        # After versioning, which Object Lock needs. moto refuses a bucket that holds objects
        # (S3 no longer does, since November 2023): the tests turn it on before Bedrock writes.
        retention = ((lock or {}).get("Rule") or {}).get("DefaultRetention") or {}
        backend.put_object_lock_configuration(
            bucket_name,
            lock_enabled=True,
            mode=retention.get("Mode"),
            days=retention.get("Days"),
            years=retention.get("Years"),
        )


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation lifecycle rule in the shape moto's S3 API parser produces."""
    api: dict[str, Any] = {"Status": rule.get("Status", "Enabled")}
    if "Id" in rule:
        api["ID"] = rule["Id"]
    api["Filter"] = {"Prefix": rule.get("Prefix", "")}
    if "ExpirationInDays" in rule:
        api["Expiration"] = {"Days": str(rule["ExpirationInDays"])}
    transitions = rule.get("Transitions") or []
    if transitions:
        api["Transition"] = [
            {"Days": str(t["TransitionInDays"]), "StorageClass": t["StorageClass"]}
            for t in transitions
        ]
    if "NoncurrentVersionExpiration" in rule:
        api["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": str(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])
        }
    if "NoncurrentVersionExpirationInDays" in rule:
        api["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": str(rule["NoncurrentVersionExpirationInDays"])
        }
    noncurrent = rule.get("NoncurrentVersionTransitions") or []
    if noncurrent:
        api["NoncurrentVersionTransition"] = [
            {"NoncurrentDays": str(t["TransitionInDays"]), "StorageClass": t["StorageClass"]}
            for t in noncurrent
        ]
    if "AbortIncompleteMultipartUpload" in rule:
        days = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
        api["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": str(days)}
    return api


def _patch_s3_bucket() -> None:
    from moto.s3.models import FakeBucket, s3_backends
    from moto.utilities.utils import get_partition

    def make_create(original: Any) -> Any:
        def create(
            cls: Any,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kw: Any,
        ) -> Any:
            """AWS::S3::Bucket: moto applies only BucketEncryption (without BucketKeyEnabled)
            and Tags; VersioningConfiguration, PublicAccessBlockConfiguration,
            OwnershipControls, LifecycleConfiguration, ObjectLockEnabled and
            ObjectLockConfiguration are ignored."""
            bucket = original(
                cls, resource_name, cloudformation_json, account_id, region_name, **kw
            )
            backend = s3_backends[account_id][get_partition(region_name)]
            _apply_bucket_properties(backend, bucket.name, cloudformation_json["Properties"])
            return bucket

        return create

    def make_update(original: Any) -> Any:
        def update(
            cls: Any,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Any:
            """Same gap as on create, for in-place updates."""
            bucket = original(
                cls,
                original_resource,
                new_resource_name,
                cloudformation_json,
                account_id,
                region_name,
            )
            backend = s3_backends[account_id][get_partition(region_name)]
            _apply_bucket_properties(backend, bucket.name, cloudformation_json["Properties"])
            return bucket

        return update

    _wrap_classmethod(FakeBucket, "create_from_cloudformation_json", make_create)
    _wrap_classmethod(FakeBucket, "update_from_cloudformation_json", make_update)


def _make_bucket_policy_model() -> type:
    """AWS::S3::BucketPolicy has no CloudFormation model in moto (the resource is skipped).

    This model stores the policy on the bucket (``s3api get-bucket-policy`` returns it).  Not
    emulated: evaluation.  moto ignores conditions and non-``*`` principals, so the TLS-only and
    encrypted-upload denials, and the Bedrock allow statements, are never exercised.
    """
    from moto.core.common_models import CloudFormationModel
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    class BucketPolicy(CloudFormationModel):
        # moto's model metaclass files models by the service named in their module path.
        __module__ = "moto.s3.deploy_harness"

        def __init__(self, account_id: str, region_name: str, bucket: str) -> None:
            self.account_id = account_id
            self.region_name = region_name
            self.bucket = bucket

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::S3::BucketPolicy"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @property
        def physical_resource_id(self) -> str:
            return self.bucket

        @staticmethod
        def _put(account_id: str, region_name: str, properties: dict[str, Any]) -> str:
            backend = s3_backends[account_id][get_partition(region_name)]
            document = properties["PolicyDocument"]
            text = document if isinstance(document, str) else json.dumps(document)
            backend.put_bucket_policy(properties["Bucket"], text.encode("utf-8"))
            return properties["Bucket"]

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls,
            resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
            **kwargs: Any,
        ) -> BucketPolicy:
            bucket = cls._put(account_id, region_name, cloudformation_json["Properties"])
            return cls(account_id, region_name, bucket)

        @classmethod
        def update_from_cloudformation_json(  # type: ignore[override]
            cls,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> BucketPolicy:
            properties = cloudformation_json["Properties"]
            if properties["Bucket"] != original_resource.bucket:
                original_resource.delete(account_id, region_name)
            bucket = cls._put(account_id, region_name, properties)
            return cls(account_id, region_name, bucket)

        @classmethod
        def delete_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str
        ) -> None:
            s3_backends[account_id][get_partition(region_name)].delete_bucket_policy(resource_name)

        def delete(self, account_id: str, region_name: str) -> None:
            backend = s3_backends[account_id][get_partition(region_name)]
            if self.bucket in backend.buckets:
                backend.delete_bucket_policy(self.bucket)

        def is_created(self) -> bool:
            return True

    return BucketPolicy


def _patch_log_group() -> None:
    from moto.logs.models import LogGroup, logs_backends

    def make(original: Any) -> Any:
        def create(cls: Any, resource_name: str, cloudformation_json: Any, *args: Any, **kw: Any):
            """AWS::Logs::LogGroup ``KmsKeyId``: moto's model reads ``kmsKeyId`` (the API's
            spelling) from the CloudFormation properties, so the key is silently dropped."""
            cloudformation_json = copy.deepcopy(cloudformation_json)
            properties = cloudformation_json.setdefault("Properties", {})
            if "KmsKeyId" in properties:
                properties["kmsKeyId"] = properties.pop("KmsKeyId")
            return original(cls, resource_name, cloudformation_json, *args, **kw)

        return create

    def update(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        """moto has no update for AWS::Logs::LogGroup: RetentionInDays, KmsKeyId and Tags are
        updated in place; a new LogGroupName means a new group (the old one is left to the
        update's cleanup, which keeps it when its DeletionPolicy is Retain)."""
        properties = cloudformation_json.get("Properties", {})
        backend = logs_backends[account_id][region_name]
        name = properties.get("LogGroupName", original_resource.name)
        if name != original_resource.name:
            return cls.create_from_cloudformation_json(
                name, cloudformation_json, account_id, region_name
            )
        group = original_resource
        group.retention_in_days = properties.get("RetentionInDays")
        group.kms_key_id = properties.get("KmsKeyId")
        tags = {t["Key"]: t["Value"] for t in properties.get("Tags") or []}
        old = backend.list_tags_for_resource(group.arn)
        stale = [key for key in old if key not in tags]
        if stale:
            backend.untag_resource(group.arn, stale)
        if tags:
            backend.tag_resource(group.arn, tags)
        return group

    _wrap_classmethod(LogGroup, "create_from_cloudformation_json", make)
    LogGroup.update_from_cloudformation_json = classmethod(update)  # type: ignore[method-assign]


def _patch_managed_policy() -> None:
    from moto.iam.models import ManagedPolicy, iam_backends
    from moto.utilities.utils import get_partition

    def update(
        cls: Any,
        original_resource: Any,
        new_resource_name: str,
        cloudformation_json: Any,
        account_id: str,
        region_name: str,
    ) -> Any:
        """moto has no update for AWS::IAM::ManagedPolicy (the old document stays in force).
        A changed document becomes the new default version, as CloudFormation does it; the
        oldest other version goes when there are five.  A new name means a new policy; changed
        Groups/Users/Roles lists are not applied (not needed by this project's templates)."""
        properties = cloudformation_json.get("Properties", {})
        name = properties.get("ManagedPolicyName", original_resource.name)
        if name != original_resource.name:
            return cls.create_from_cloudformation_json(
                name, cloudformation_json, account_id, region_name
            )
        backend = iam_backends[account_id][get_partition(region_name)]
        document = json.dumps(properties.get("PolicyDocument"))
        policy = original_resource
        current = next((v.document for v in policy.versions if v.is_default), "null")
        if json.loads(document) != json.loads(current):
            versions = [v for v in policy.versions if not v.is_default]
            if len(policy.versions) >= 5 and versions:
                backend.delete_policy_version(policy.arn, versions[0].version_id)
            backend.create_policy_version(policy.arn, document, set_as_default=True)
        return policy

    ManagedPolicy.update_from_cloudformation_json = classmethod(update)  # type: ignore[method-assign]


def _patch_lambda_function() -> None:
    from moto.awslambda.models import LambdaFunction

    def make_create(original: Any) -> Any:
        def create(cls: Any, resource_name: str, cloudformation_json: Any, *args: Any, **kw: Any):
            """Keeps ``LoggingConfig`` (moto drops it) so the runner writes the function's logs
            to the log group the template configures."""
            fn = original(cls, resource_name, cloudformation_json, *args, **kw)
            fn.harness_logging_config = cloudformation_json["Properties"].get("LoggingConfig")
            return fn

        return create

    def make_update(original: Any) -> Any:
        def update(
            cls: Any,
            original_resource: Any,
            new_resource_name: str,
            cloudformation_json: Any,
            account_id: str,
            region_name: str,
        ) -> Any:
            """AWS::Lambda::Function update: moto passes inline ``Code.ZipFile`` source text to
            ``update_function_code``, which expects a base64 zip; zip it as on create."""
            cloudformation_json = copy.deepcopy(cloudformation_json)
            code = cloudformation_json["Properties"]["Code"]
            if "ZipFile" in code:
                import base64

                code["ZipFile"] = base64.b64encode(
                    cls._create_zipfile_from_plaintext_code(code["ZipFile"])
                ).decode("ascii")
            fn = original(
                cls,
                original_resource,
                new_resource_name,
                cloudformation_json,
                account_id,
                region_name,
            )
            fn.harness_logging_config = cloudformation_json["Properties"].get("LoggingConfig")
            return fn

        return update

    def _invoke_lambda(self: Any, event: Any = None) -> tuple[str, bool, str]:
        """Stands in for ``LambdaFunction._invoke_lambda``, which runs the code in Docker."""
        if not deploy_lambda_runner.supports(self):
            message = (
                f"deploy harness: cannot run {self.run_time} / {self.package_type} "
                "code without Docker"
            )
            return json.dumps({"errorMessage": message}), True, message
        try:
            return deploy_lambda_runner.invoke(self, event if event is not None else {})
        except Exception as error:  # reported as a function error
            LOG.exception("in-process invocation of %s failed", self.function_name)
            message = f"{type(error).__name__}: {error}"
            return json.dumps({"errorMessage": message}), True, message

    _wrap_classmethod(LambdaFunction, "create_from_cloudformation_json", make_create)
    _wrap_classmethod(LambdaFunction, "update_from_cloudformation_json", make_update)
    LambdaFunction._invoke_lambda = _invoke_lambda  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------------


def _patch_template_url(original: Any) -> Any:
    """moto reads a ``TemplateURL`` on its own host as path-style only when the host is
    ``localhost``; on 127.0.0.1 it takes ``127`` for the bucket.  ``aws cloudformation deploy
    --s3-bucket`` uploads to this server and names it by its address, as it would name S3's."""

    def get_stack_from_s3_url(self: Any, template_url: str) -> str:
        parts = urllib.parse.urlparse(template_url)
        if f"{parts.scheme}://{parts.netloc}" != _STATE["endpoint"]:
            return original(self, template_url)
        from moto.s3.models import s3_backends

        bucket_name, key_name = parts.path.lstrip("/").split("/", 1)
        backend = s3_backends[self.current_account][self.partition]
        return backend.get_object(bucket_name, urllib.parse.unquote(key_name)).value.decode()

    return get_stack_from_s3_url


def apply(endpoint_url: str) -> None:
    """Apply every patch; ``endpoint_url`` is this server's http://127.0.0.1:PORT."""
    import moto
    from moto.cloudformation import models as cfn_models
    from moto.cloudformation import parsing
    from moto.cloudformation.custom_model import CustomModel
    from moto.cloudformation.responses import CloudFormationResponse

    if moto.__version__ != MOTO_VERSION:
        raise RuntimeError(
            f"deploy harness patches target moto {MOTO_VERSION}, found {moto.__version__}"
        )
    if not endpoint_url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the harness serves on 127.0.0.1 only, not {endpoint_url}")
    _STATE["endpoint"] = endpoint_url
    deploy_lambda_runner.ENDPOINT_URL = endpoint_url

    # Lambda: in-process runner instead of Docker.
    _patch_lambda_function()

    # Custom resources.
    CustomModel.physical_resource_id = property(_custom_physical_resource_id)  # type: ignore[method-assign,assignment]
    CustomModel.create_from_cloudformation_json = classmethod(_custom_create)  # type: ignore[method-assign]
    CustomModel.update_from_cloudformation_json = classmethod(_custom_update)  # type: ignore[method-assign]
    CustomModel.delete = _custom_delete  # type: ignore[attr-defined]
    CloudFormationResponse.process_cfn_response = _process_cfn_response  # type: ignore[method-assign,assignment]
    CloudFormationResponse._get_stack_from_s3_url = _patch_template_url(  # type: ignore[method-assign]
        CloudFormationResponse._get_stack_from_s3_url
    )

    # Stack operations.
    backend_cls = cfn_models.CloudFormationBackend
    backend_cls.execute_change_set = _execute_change_set  # type: ignore[method-assign]
    backend_cls.delete_stack = _patch_delete_stack(backend_cls.delete_stack)  # type: ignore[method-assign]
    stack_cls = cfn_models.Stack
    stack_cls.create_resources = _patch_create_resources(stack_cls.create_resources)  # type: ignore[method-assign]
    stack_cls.update = _stack_update  # type: ignore[method-assign]
    stack_cls.stack_resources = property(_stack_resources)  # type: ignore[method-assign,assignment]
    stack_cls.status_reason = None  # type: ignore[attr-defined]
    resource_map = parsing.ResourceMap
    resource_map.delete = _patch_resource_map_delete(resource_map.delete)  # type: ignore[method-assign]
    resource_map.update = _patch_resource_map_update(resource_map.update)  # type: ignore[method-assign]
    resource_map._delete_resource = _patch_delete_resource(resource_map._delete_resource)  # type: ignore[method-assign]
    resource_map.build_resource_diff = _patch_build_resource_diff(resource_map.build_resource_diff)  # type: ignore[method-assign]
    parsing.parse_and_update_resource = _patch_parse_and_update_resource(
        parsing.parse_and_update_resource
    )

    # Resource types.
    _patch_ssm_parameter()
    _patch_kms_key()
    _patch_s3_bucket()
    _patch_log_group()
    _patch_managed_policy()
    bucket_policy = _make_bucket_policy_model()
    model_map = parsing.get_model_map()
    model_map[bucket_policy.cloudformation_type()] = bucket_policy
