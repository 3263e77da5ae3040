"""Runs both diffs on every pair of a corpus and records what they say.

The results directory holds `run.json` (what ran: tools, versions, dates),
`results.jsonl` (one line a pair), `pairs/<id>.json` (the same record,
indented, for a person to read) and `raw/<id>.synth.json`,
`raw/<id>.cdk.json` (each tool's own output).
"""

from __future__ import annotations

import datetime
import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, List, Optional

from . import assemble, classify, tools


def _pair_files(corpus: Path, pair: assemble.Pair) -> tuple:
    folder = corpus / "pairs" / pair.id
    return folder / f"old{pair.suffix}", folder / f"new{pair.suffix}"


def _command_output(command: List[str], cwd: Optional[Path] = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
    except OSError as e:
        return f"unavailable ({e})"
    return done.stdout.strip() if done.returncode == 0 else "unavailable"


def _installed_version(cdk_dir: Path, package: str) -> str:
    try:
        with open(cdk_dir / "node_modules" / package / "package.json", encoding="utf-8") as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return "not installed"


def describe_run(synth: Path, cdk_dir: Path, source: Path) -> dict:
    """What this run measured with: versions and the commit of the sources."""
    commit = _command_output(["git", "rev-parse", "HEAD"], source)
    if not commit.startswith("unavailable"):
        status = ["git", "status", "--porcelain", "--untracked-files=no"]
        if _command_output(status, source):
            commit += "+uncommitted changes"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "source_commit": commit,
        "synth_version": _command_output([str(synth), "--version"]),
        "cloudformation_diff": _installed_version(cdk_dir, "@aws-cdk/cloudformation-diff"),
        "aws_service_spec": _installed_version(cdk_dir, "@aws-cdk/aws-service-spec"),
        "yaml_cfn": _installed_version(cdk_dir, "@aws-cdk/yaml-cfn"),
        "node": _command_output(["node", "--version"]),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {_cpu_count()} CPUs",
    }


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 0


def compare_pair(
    corpus: Path,
    pair: assemble.Pair,
    synth: Path,
    cdk: tools.CdkWorker,
    schema: tools.SchemaCheck,
    timeout: float,
) -> tuple:
    """Both diffs of one pair: the record for `results.jsonl` and the raw
    outputs of the two tools."""
    old, new = _pair_files(corpus, pair)
    s = tools.run_synth(synth, old, new, timeout, schema)
    c = cdk.diff(pair.id, old, new)
    record = {
        "id": pair.id,
        "repo": pair.repo,
        "path": pair.path,
        "old_commit": pair.old_commit,
        "new_commit": pair.new_commit,
        "bytes": old.stat().st_size + new.stat().st_size,
        "synth": {
            "status": s.status,
            "seconds": round(s.seconds, 4),
            "exit_code": s.exit_code,
        },
        "cdk": {"status": c.status, "seconds": round(c.seconds, 4)},
    }
    if s.error:
        record["synth"]["error"] = s.error
    if s.doc is not None:
        record["synth"]["schema_valid"] = not s.schema_errors
        if s.schema_errors:
            record["synth"]["schema_errors"] = s.schema_errors
        record["synth"]["summary"] = s.doc.get("summary", {}).get("line", "")
    if c.error:
        record["cdk"]["error"] = c.error
    if c.reply is not None and c.status == "ok":
        record["cdk"]["parse_ms"] = round(c.reply["parse_ms"], 3)
        record["cdk"]["diff_ms"] = round(c.reply["diff_ms"], 3)
    if s.status == "ok" and c.status == "ok":
        assert s.doc is not None and c.reply is not None
        _classify(record, s.doc, c.reply)
    return record, s.doc, c.reply


def _classify(record: dict, synth_doc: dict, cdk_reply: dict) -> None:
    compared = classify.compare(classify.synth_views(synth_doc), classify.cdk_views(cdk_reply))
    record["resources"] = [r.to_json() for r in compared]
    record["agree"] = all(not r.categories for r in compared)


def _write_record(out: Path, record: dict) -> None:
    with open(out / "pairs" / f"{record['id']}.json", "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2)
        f.write("\n")


def reclassify(results: Path) -> List[dict]:
    """Classifies every pair of a results directory again from the tools'
    saved outputs (after a change of `classify`), without running them."""
    records = []
    with open(results / "results.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            synth_raw = results / "raw" / f"{record['id']}.synth.json"
            cdk_raw = results / "raw" / f"{record['id']}.cdk.json"
            if "resources" in record:
                with open(synth_raw, encoding="utf-8") as s, open(cdk_raw, encoding="utf-8") as c:
                    _classify(record, json.load(s), json.load(c))
                _write_record(results, record)
            records.append(record)
    staging = results / "results.jsonl.partial"
    with open(staging, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, separators=(",", ":")) + "\n")
    staging.replace(results / "results.jsonl")
    return records


def compare_corpus(
    corpus: Path,
    out: Path,
    *,
    synth: Path,
    cdk_script: Path,
    schema_path: Path,
    source: Path,
    timeout: float = 60.0,
    limit: Optional[int] = None,
    progress: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> List[dict]:
    """Compares every pair of `corpus` (the first `limit` ones when given) and
    writes the results into `out`, which is replaced."""
    if out.exists() and any(out.iterdir()) and not (out / "run.json").exists():
        raise ValueError(f"{out}: holds something other than results; give a new directory")
    pairs = assemble.read_manifest(corpus / "manifest.jsonl")
    if limit is not None:
        pairs = pairs[:limit]
    schema = tools.SchemaCheck(schema_path)
    run = describe_run(synth, cdk_script.parent, source)
    run.update({"corpus_pairs": len(pairs), "timeout_seconds": timeout})

    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "pairs").mkdir(parents=True)
    (staging / "raw").mkdir()
    worker = tools.CdkWorker(cdk_script, timeout)
    records = []
    try:
        with open(staging / "results.jsonl", "w", encoding="utf-8") as results:
            for n, pair in enumerate(pairs, 1):
                record, synth_doc, cdk_reply = compare_pair(
                    corpus, pair, synth, worker, schema, timeout
                )
                records.append(record)
                results.write(json.dumps(record, separators=(",", ":")) + "\n")
                _write_record(staging, record)
                for name, raw in (("synth", synth_doc), ("cdk", cdk_reply)):
                    if raw is not None:
                        with open(staging / "raw" / f"{pair.id}.{name}.json", "w") as f:
                            json.dump(raw, f, indent=1)
                if n % 100 == 0 or n == len(pairs):
                    progress(f"{n}/{len(pairs)} pairs compared")
    finally:
        worker.close()
    run["cdk_startup_ms"] = [round(ms, 1) for ms in worker.startup_ms]
    with open(staging / "run.json", "w", encoding="utf-8") as f:
        json.dump(run, f, indent=2)
        f.write("\n")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return records
