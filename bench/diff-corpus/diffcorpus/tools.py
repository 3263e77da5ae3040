"""Running the two diffs: `synth diff --format json` as a process per pair,
CDK's `fullDiff` in a long-lived Node.js worker (cdk/cdk-diff.js)."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

# synth diff's exit statuses: 0 the same, 1 different, 2 an error it reports
# (a template it refuses to read). Anything else is a crash.
_SYNTH_ANSWERED = {0, 1}
_SYNTH_REFUSED = 2


@dataclass
class SynthResult:
    """One run of `synth diff`."""

    status: str  # ok, refused, crash, timeout, invalid_json
    seconds: float
    exit_code: Optional[int] = None
    doc: Optional[dict] = None
    error: str = ""
    schema_errors: List[str] = field(default_factory=list)


@dataclass
class CdkResult:
    """One answer of CDK's diff."""

    status: str  # ok, refused (cannot read a template), crash, timeout
    seconds: float
    reply: Optional[dict] = None
    error: str = ""


class SchemaCheck:
    """Validates synth's JSON against the diff schema (JSON Schema 2020-12)."""

    def __init__(self, schema_path: Path):
        import jsonschema  # the tool's one dependency beyond the standard library

        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        self._validator = jsonschema.Draft202012Validator(schema)

    def errors(self, doc: object) -> List[str]:
        """What in `doc` breaks the schema, at most five messages."""
        found = sorted(self._validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in found[:5]]


def _first_lines(text: str, count: int = 3) -> str:
    return "\n".join(text.strip().splitlines()[:count])


def run_synth(
    binary: Path, old: Path, new: Path, timeout: float, schema: SchemaCheck
) -> SynthResult:
    """`synth diff OLD NEW --format json`, timed as a whole process."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(binary), "diff", str(old), str(new), "--format", "json"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return SynthResult("timeout", time.perf_counter() - started, error=f"over {timeout:g} s")
    seconds = time.perf_counter() - started
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode == _SYNTH_REFUSED:
        return SynthResult("refused", seconds, done.returncode, error=_first_lines(stderr))
    if done.returncode not in _SYNTH_ANSWERED:
        return SynthResult("crash", seconds, done.returncode, error=_first_lines(stderr, 8))
    try:
        doc = json.loads(done.stdout)
    except ValueError as e:
        return SynthResult("invalid_json", seconds, done.returncode, error=str(e))
    return SynthResult("ok", seconds, done.returncode, doc=doc, schema_errors=schema.errors(doc))


class CdkWorker:
    """A Node.js process running cdk-diff.js, restarted after a timeout."""

    def __init__(self, script: Path, timeout: float, node: str = "node"):
        self._command = [node, str(script)]
        self._timeout = timeout
        self._proc: Optional[subprocess.Popen] = None
        self._lines: "queue.Queue[Optional[str]]" = queue.Queue()
        self.startup_ms: List[float] = []

    def _start(self) -> None:
        self._proc = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self._lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self._proc, self._lines), daemon=True).start()
        ready = self._next_line(max(self._timeout, 300.0))
        if ready is None:
            self.close()
            raise RuntimeError(f"{' '.join(self._command)} did not start")
        self.startup_ms.append(json.loads(ready)["startup_ms"])

    @staticmethod
    def _pump(proc: subprocess.Popen, lines: "queue.Queue[Optional[str]]") -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def _next_line(self, timeout: float) -> Optional[str]:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def diff(self, pair_id: str, old: Path, new: Path) -> CdkResult:
        """CDK's diff of one pair."""
        if self._proc is None or self._proc.poll() is not None:
            self._start()
        assert self._proc is not None and self._proc.stdin is not None
        started = time.perf_counter()
        request = {"id": pair_id, "old": str(old), "new": str(new)}
        try:
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
        except BrokenPipeError:
            self.close()
            return CdkResult("crash", time.perf_counter() - started, error="the worker exited")
        line = self._next_line(self._timeout)
        seconds = time.perf_counter() - started
        if line is None:
            exited = self._proc.poll() is not None
            self.close()
            if exited:
                return CdkResult("crash", seconds, error="the worker exited (out of memory?)")
            return CdkResult("timeout", seconds, error=f"over {self._timeout:g} s")
        reply = json.loads(line)
        if not reply.get("ok"):
            status = "refused" if reply.get("stage") == "parse" else "crash"
            return CdkResult(status, seconds, reply, _first_lines(str(reply.get("error")), 8))
        return CdkResult("ok", seconds, reply)

    def close(self) -> None:
        """Stops the worker."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._proc = None
