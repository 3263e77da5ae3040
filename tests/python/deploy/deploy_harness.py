"""Test-side half of the deploy harness: the moto server process, accounts, the real AWS CLI.

The server is ``deploy_moto_launcher.py`` run in a subprocess (moto plus the patches in
``deploy_moto_patches.py``), bound to 127.0.0.1 on a free port.  Every deployment test works in
an account of its own (moto STS ``AssumeRole`` into a fresh account id): the templates name
their resources after ``${AWS::AccountId}`` and ``${AWS::Region}`` and retain key, bucket and
log groups, so two deployments in one account would collide exactly as they would on AWS.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from synth_binary import synth_binary

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parents[2]
REGION = "us-east-1"
HOST = "127.0.0.1"
LAUNCHER = HERE / "deploy_moto_launcher.py"

# The largest template ``aws cloudformation deploy`` takes without ``--s3-bucket``.
MAX_INLINE_TEMPLATE_BYTES = 51_200

# Upper bounds, so that nothing can hang: no template in this suite needs more.
SERVER_START_TIMEOUT = 60
CLI_TIMEOUT = 150

_ACCOUNT_IDS = itertools.count(1)


def aws_cli() -> str:
    """The ``aws`` command of the virtualenv that runs the tests."""
    candidate = Path(sys.executable).parent / "aws"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("aws")
    if not found:
        raise RuntimeError("the AWS CLI (awscli) is not installed next to this Python")
    return found


class MotoServer:
    """A patched moto server in a subprocess; ``stop()`` always ends it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.log_path = workdir / "moto-server.log"
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def endpoint(self) -> str:
        assert self.port is not None, "server not started"
        return f"http://{HOST}:{self.port}"

    def start(self) -> MotoServer:
        port_file = self.workdir / "moto-port"
        self._log = open(self.log_path, "wb")  # closed in stop()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("AWS_") and key.lower() not in ("http_proxy", "https_proxy")
        }
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        self._process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), "--port-file", str(port_file)],
            cwd=str(HERE),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not port_file.exists():
            if self._process.poll() is not None:
                raise RuntimeError(f"moto server exited early:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"moto server did not start:\n{self.log_tail()}")
            time.sleep(0.1)
        self.port = int(port_file.read_text(encoding="utf-8"))
        return self

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class CliResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.stdout) if self.stdout.strip() else None

    def __str__(self) -> str:
        return (
            f"$ {' '.join(self.args)}\n(exit {self.returncode} after {self.seconds:.1f}s)\n"
            f"{self.stdout}\n{self.stderr}"
        )


class Account:
    """One emulated AWS account: credentials for boto3 clients and for the AWS CLI."""

    def __init__(self, server: MotoServer, account_id: str, credentials: dict[str, str]) -> None:
        self.server = server
        self.account_id = account_id
        self.credentials = credentials
        self._home = Path(tempfile.mkdtemp(prefix="aws-home-", dir=server.workdir))
        self._clients: dict[str, Any] = {}

    def env(self) -> dict[str, str]:
        """Environment for an AWS CLI subprocess: dummy credentials, no config files, no IMDS."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self._home),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "AWS_ACCESS_KEY_ID": self.credentials["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": self.credentials["SecretAccessKey"],
            "AWS_SESSION_TOKEN": self.credentials["SessionToken"],
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": self.server.endpoint,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "NO_PROXY": HOST,
        }
        return env

    def client(self, service: str) -> Any:
        """A boto3 client of this account on the emulator (cached per service)."""
        if service not in self._clients:
            self._clients[service] = self._new_client(service)
        return self._clients[service]

    def _new_client(self, service: str) -> Any:
        session = boto3.session.Session(
            aws_access_key_id=self.credentials["AccessKeyId"],
            aws_secret_access_key=self.credentials["SecretAccessKey"],
            aws_session_token=self.credentials["SessionToken"],
            region_name=REGION,
        )
        config = Config(
            s3={"addressing_style": "path"},
            # No retries: the emulator is local, a retry would only hide (or repeat) an error.
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=5,
            read_timeout=CLI_TIMEOUT,
        )
        return session.client(service, endpoint_url=self.server.endpoint, config=config)

    def call(self, *args: str) -> Any:
        """Run the AWS CLI and return its JSON; a failure fails the test with the command and
        its output."""
        result = self.aws(*args)
        assert result.returncode == 0, result
        return result.json()

    def call_failing(self, *args: str) -> str:
        """Run an AWS CLI call that must fail; return its error output."""
        result = self.aws(*args)
        assert result.returncode != 0, result
        return result.stderr

    def aws(self, *args: str, timeout: float = CLI_TIMEOUT) -> CliResult:
        """Run the real AWS CLI against the emulator (``--endpoint-url`` always given)."""
        command = [
            aws_cli(),
            *args,
            "--endpoint-url",
            self.server.endpoint,
            "--region",
            REGION,
            "--output",
            "json",
        ]
        started = time.monotonic()
        completed = subprocess.run(
            command,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        return CliResult(
            command,
            completed.returncode,
            completed.stdout,
            completed.stderr,
            time.monotonic() - started,
        )

    def deploy(
        self, template: Path, stack_name: str, parameters: dict[str, str] | None = None
    ) -> CliResult:
        args = [
            "cloudformation",
            "deploy",
            "--template-file",
            str(template),
            "--stack-name",
            stack_name,
            "--capabilities",
            "CAPABILITY_NAMED_IAM",
        ]
        if parameters:
            args += ["--parameter-overrides", *(f"{k}={v}" for k, v in parameters.items())]
        if template.stat().st_size > MAX_INLINE_TEMPLATE_BYTES:
            # As README says for such templates: the CLI uploads it to a bucket of the account.
            args += ["--s3-bucket", self.artifact_bucket()]
        return self.aws(*args)

    def artifact_bucket(self) -> str:
        """The bucket ``aws cloudformation deploy --s3-bucket`` uploads large templates to."""
        name = f"deploy-artifacts-{self.account_id}"
        buckets = self.client("s3").list_buckets()["Buckets"]
        if all(bucket["Name"] != name for bucket in buckets):
            self.call("s3api", "create-bucket", "--bucket", name)
        return name

    def delete_stack(self, stack_name: str) -> CliResult:
        """``delete-stack`` then ``wait stack-delete-complete`` (both real CLI calls)."""
        stack_id = self.stack(stack_name)["StackId"]
        deleted = self.aws("cloudformation", "delete-stack", "--stack-name", stack_name)
        if deleted.returncode != 0:
            return deleted
        return self.aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", stack_id)

    def has_stack(self, stack_name: str) -> bool:
        stacks = self.client("cloudformation").list_stacks()["StackSummaries"]
        return any(s["StackName"] == stack_name for s in stacks)

    def stack(self, stack_name_or_id: str) -> dict[str, Any]:
        described = self.client("cloudformation").describe_stacks(StackName=stack_name_or_id)
        return described["Stacks"][0]

    def outputs(self, stack_name: str) -> dict[str, str]:
        stack = self.stack(stack_name)
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}

    def events(self, stack_name: str) -> list[dict[str, Any]]:
        """Stack events, oldest first."""
        paginator = self.client("cloudformation").get_paginator("describe_stack_events")
        events = [
            e for page in paginator.paginate(StackName=stack_name) for e in page["StackEvents"]
        ]
        return sorted(events, key=lambda e: e["Timestamp"])

    def resources(self, stack_name: str) -> dict[str, dict[str, Any]]:
        described = self.client("cloudformation").describe_stack_resources(StackName=stack_name)
        return {r["LogicalResourceId"]: r for r in described["StackResources"]}


def new_account(server: MotoServer) -> Account:
    """A fresh emulated account (moto's STS hands out keys that belong to the role's account)."""
    account_id = f"{100000000000 + next(_ACCOUNT_IDS) * 1117:012d}"
    sts = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    ).client("sts", endpoint_url=server.endpoint)
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/deploy-harness", RoleSessionName="deploy-tests"
    )["Credentials"]
    account = Account(server, account_id, credentials)
    identity = account.client("sts").get_caller_identity()
    assert identity["Account"] == account_id, identity
    return account


# --------------------------------------------------------------------------------------------
# The synthesizer
# --------------------------------------------------------------------------------------------


def synth(config: Path, output: Path, large_template: bool = False) -> Path:
    """Synthesize ``config`` into ``output`` with the project's binary (``large_template``:
    one that deploys through ``--s3-bucket``)."""
    flags = ["--large-template"] if large_template else []
    completed = subprocess.run(
        [str(synth_binary()), "--config", str(config), "--output", str(output), *flags],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"synth failed for {config}:\n{completed.stdout}\n{completed.stderr}")
    return output
