"""In-process stand-in for moto's Docker-based Lambda execution.

moto 5.2 runs a function's code by starting a Lambda runtime image in Docker
(``LambdaFunction._invoke_lambda``).  The machines that run this test suite have no Docker
daemon, so the deploy harness replaces that single step with this runner: the function's
deployment package (for CloudFormation's inline ``Code.ZipFile`` that is ``index.py``, plus the
``cfnresponse.py`` that moto adds) is unpacked into a temporary directory, imported as a fresh
module, and its handler is called in a worker thread inside the moto server process.

What the handler sees, as on AWS Lambda:

* ``event`` and a ``context`` object (``aws_request_id``, ``function_name``,
  ``invoked_function_arn``, ``memory_limit_in_mb``, ``log_group_name``, ``log_stream_name``,
  ``get_remaining_time_in_millis()`` counting down from the function's ``Timeout``);
* the standard Lambda environment variables plus the function's ``Environment.Variables``;
* credentials of its execution role (moto STS ``AssumeRole`` into the function's account),
  so its boto3 calls land in the same emulated account as the stack;
* ``AWS_ENDPOINT_URL`` pointing at this very moto server (127.0.0.1 only), so boto3 clients
  created by the handler talk to the emulator and never to AWS.

Differences from AWS Lambda (documented, deliberate):

* The code runs on the test machine's Python (the venv's interpreter), not on the runtime named
  by ``Runtime``; only ``python*`` runtimes with a zip package are supported.
* Invocations are serialized (one at a time): environment variables, ``sys.path`` and
  ``sys.modules`` are process-global.
* ``Timeout`` is capped at ``MAX_TIMEOUT_SECONDS``.  A handler that exceeds it is reported as
  timed out, but its thread cannot be killed; it keeps running in the background (with the
  endpoint still pointing at the emulator, and whatever credentials later invocations set).
* A function that invokes another function synchronously waits for the runner's lock (the
  invocations are serialized) and times out.
* Every invocation is a cold start (the module is imported afresh).
"""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import os
import sys
import tempfile
import threading
import time
import traceback
import uuid
import zipfile
from typing import Any

LOG = logging.getLogger("deploy_harness.lambda")

# Set by the launcher once the server's port is known.
ENDPOINT_URL: str | None = None

# A function runs at most this long here, whatever its Timeout (the project's handler has 300 s):
# a handler that hangs fails its test within bounded time.  The context's remaining time counts
# down from the capped deadline, so the handler's own time budget stays consistent.
MAX_TIMEOUT_SECONDS = 60.0

_INVOKE_LOCK = threading.Lock()


class _ThreadRoutedStream(io.TextIOBase):
    """sys.stdout/sys.stderr replacement: writes from a handler thread go to its buffer."""

    def __init__(self, fallback: Any) -> None:
        self._fallback = fallback
        self._buffers: dict[int, io.StringIO] = {}

    def route(self, thread_id: int, buffer: io.StringIO) -> None:
        self._buffers[thread_id] = buffer

    def unroute(self, thread_id: int) -> None:
        self._buffers.pop(thread_id, None)

    def write(self, text: str) -> int:
        buffer = self._buffers.get(threading.get_ident())
        if buffer is not None:
            return buffer.write(text)
        return self._fallback.write(text)

    def flush(self) -> None:
        self._fallback.flush()


class _ThreadLogHandler(logging.Handler):
    """Collects log records emitted by one handler thread, formatted like Lambda's runtime."""

    def __init__(self, thread_id: int, buffer: io.StringIO, request_id: str) -> None:
        super().__init__(level=logging.NOTSET)
        self._thread_id = thread_id
        self._buffer = buffer
        self.setFormatter(
            logging.Formatter(f"[%(levelname)s]\t%(asctime)s\t{request_id}\t%(message)s")
        )

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self._thread_id:
            self._buffer.write(self.format(record) + "\n")


_STDOUT: _ThreadRoutedStream | None = None
_STDERR: _ThreadRoutedStream | None = None


def _install_streams() -> tuple[_ThreadRoutedStream, _ThreadRoutedStream]:
    global _STDOUT, _STDERR
    if _STDOUT is None or _STDERR is None:
        _STDOUT = _ThreadRoutedStream(sys.stdout)
        _STDERR = _ThreadRoutedStream(sys.stderr)
        sys.stdout = _STDOUT  # type: ignore[assignment]
        sys.stderr = _STDERR  # type: ignore[assignment]
    return _STDOUT, _STDERR


class LambdaContext:
    """The subset of the Lambda context object that handlers commonly use."""

    def __init__(self, fn: Any, request_id: str, deadline: float, stream: str) -> None:
        self.aws_request_id = request_id
        self.function_name = fn.function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = fn.function_arn
        self.memory_limit_in_mb = int(fn.memory_size)
        self.log_group_name = _log_group_of(fn)
        self.log_stream_name = stream
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _log_group_of(fn: Any) -> str:
    logging_config = getattr(fn, "harness_logging_config", None) or {}
    return logging_config.get("LogGroup") or fn.logs_group_name


def _role_credentials(fn: Any) -> dict[str, str]:
    """Credentials of the execution role, issued by moto's STS in the function's account."""
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    backend = sts_backends[fn.account_id][get_partition(fn.region)]
    role = backend.assume_role(
        region_name=fn.region,
        role_session_name=fn.function_name[:64],
        role_arn=fn.role,
        policy="",
        duration=3600,
        external_id="",
    )
    return {
        "AWS_ACCESS_KEY_ID": role.access_key_id,
        "AWS_SECRET_ACCESS_KEY": role.secret_access_key,
        "AWS_SESSION_TOKEN": role.session_token,
    }


def _environment(fn: Any, stream: str) -> dict[str, str]:
    if not ENDPOINT_URL or not ENDPOINT_URL.startswith("http://127.0.0.1:"):
        raise RuntimeError("the in-process Lambda runner needs the 127.0.0.1 endpoint of moto")
    env = {
        "AWS_ENDPOINT_URL": ENDPOINT_URL,
        "AWS_REGION": fn.region,
        "AWS_DEFAULT_REGION": fn.region,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{fn.run_time}",
        "AWS_LAMBDA_FUNCTION_NAME": fn.function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": _log_group_of(fn),
        "AWS_LAMBDA_LOG_STREAM_NAME": stream,
        "LAMBDA_TASK_ROOT": "/var/task",
        "_HANDLER": fn.handler or "",
    }
    env.update(_role_credentials(fn))
    env.update({str(k): str(v) for k, v in (fn.environment_vars or {}).items()})
    # The endpoint must stay on the emulator whatever the function's variables say.
    env["AWS_ENDPOINT_URL"] = ENDPOINT_URL
    return env


def _reset_default_boto3_session() -> None:
    """Forget boto3's module-level default session, as a fresh Lambda sandbox would not have it.

    ``boto3.client(...)`` creates that session once per process and caches the credentials it
    resolved then: without the reset, every later invocation would act in the first one's
    account.
    """
    import boto3

    boto3.DEFAULT_SESSION = None


def supports(fn: Any) -> bool:
    return (
        str(fn.run_time or "").startswith("python")
        and fn.package_type == "Zip"
        and bool(getattr(fn, "code_bytes", b""))
        and "." in (fn.handler or "")
    )


def _save_logs(fn: Any, stream: str, output: str) -> None:
    """Write the invocation's output to the function's log group, as Lambda would."""
    group = _log_group_of(fn)
    backend = fn.logs_backend
    if group not in backend.groups:
        if getattr(fn, "harness_logging_config", None):
            # A configured log group that does not exist: Lambda drops the logs.
            return
        backend.ensure_log_group(group)
    try:
        backend.create_log_stream(group, stream)
    except Exception:  # the stream exists already
        pass
    now = int(time.time() * 1000)
    events = [{"timestamp": now, "message": line} for line in output.splitlines() if line]
    if events:
        backend.put_log_events(group, stream, events)


def invoke(fn: Any, event: Any) -> tuple[str, bool, str]:
    """Run the function's handler on ``event``; return (payload, errored, logs) like moto."""
    request_id = str(uuid.uuid4())
    stream = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex
    timeout = min(float(fn.timeout or 3), MAX_TIMEOUT_SECONDS)
    module_path, _, function_name = fn.handler.rpartition(".")
    outcome: dict[str, Any] = {}
    buffer = io.StringIO()

    with _INVOKE_LOCK, tempfile.TemporaryDirectory(prefix="lambda-task-") as task_root:
        with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as package:
            package.extractall(task_root)
        module_file = os.path.join(task_root, *module_path.split("/")) + ".py"
        module_name = module_path.replace("/", ".")
        if not os.path.isfile(module_file):
            message = f"Unable to import module '{module_path}': No module named '{module_name}'"
            return json.dumps({"errorMessage": message}), True, message

        overlay = _environment(fn, stream)
        saved_environ = {key: os.environ.get(key) for key in overlay}
        saved_module = sys.modules.pop(module_name, None)
        saved_path = list(sys.path)
        stdout, stderr = _install_streams()
        deadline = time.monotonic() + timeout

        def run() -> None:
            thread_id = threading.get_ident()
            stdout.route(thread_id, buffer)
            stderr.route(thread_id, buffer)
            log_handler = _ThreadLogHandler(thread_id, buffer, request_id)
            logging.getLogger().addHandler(log_handler)
            try:
                buffer.write(f"START RequestId: {request_id} Version: $LATEST\n")
                spec = importlib.util.spec_from_file_location(module_name, module_file)
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                spec.loader.exec_module(module)
                handler = getattr(module, function_name)
                context = LambdaContext(fn, request_id, deadline, stream)
                outcome["result"] = handler(event, context)
            except BaseException as error:  # reported like the Lambda runtime
                outcome["error"] = {
                    "errorMessage": str(error),
                    "errorType": type(error).__name__,
                    "stackTrace": traceback.format_tb(error.__traceback__),
                }
                buffer.write(traceback.format_exc())
            finally:
                logging.getLogger().removeHandler(log_handler)
                stdout.unroute(thread_id)
                stderr.unroute(thread_id)

        try:
            # Only the overlaid keys change: other server threads keep reading os.environ.
            os.environ.update(overlay)
            _reset_default_boto3_session()
            sys.path.insert(0, task_root)
            worker = threading.Thread(target=run, name=f"lambda-{fn.function_name}", daemon=True)
            worker.start()
            worker.join(timeout)
            timed_out = worker.is_alive()
        finally:
            _reset_default_boto3_session()
            sys.path[:] = saved_path
            sys.modules.pop(module_name, None)
            if saved_module is not None:
                sys.modules[module_name] = saved_module
            for key, value in saved_environ.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    if timed_out:
        message = f"Task timed out after {timeout:.2f} seconds"
        buffer.write(f"{message}\n")
        outcome = {"error": {"errorMessage": message, "errorType": "Sandbox.Timedout"}}
    buffer.write(f"END RequestId: {request_id}\n")
    logs = buffer.getvalue()
    LOG.info("lambda %s (%s):\n%s", fn.function_name, request_id, logs.rstrip())
    try:
        _save_logs(fn, stream, logs)
    except Exception:  # logging must never break an invocation
        LOG.exception("could not store the logs of %s", fn.function_name)

    if "error" in outcome:
        return json.dumps(outcome["error"]), True, logs
    return json.dumps(outcome.get("result")), False, logs
