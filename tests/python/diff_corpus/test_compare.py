"""Both diffs run on a tiny hand-made corpus; the figures and the scoring follow.

Needs node and CDK's diff in bench/diff-corpus/cdk/node_modules, which test.sh
installs from the committed package-lock.json.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from diffcorpus import __main__ as cli
from diffcorpus import report, tools
from history import make_history

REPO = "example/templates"
CDK_DIR = Path(cli.HERE) / "cdk"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, synth: Path) -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is not installed (test.sh requires it, so CI runs this test)")
    assert (CDK_DIR / "node_modules" / "@aws-cdk" / "cloudformation-diff").is_dir(), (
        f"{CDK_DIR} has no node_modules: run ./test.sh once (it runs npm ci there)"
    )
    base = tmp_path_factory.mktemp("corpus")
    make_history(base / "repo")
    assert cli.main(["assemble", str(base / "corpus"), f"{REPO}={base / 'repo'}"]) == 0
    out = base / "results"
    assert cli.main(["compare", "--synth", str(synth), str(base / "corpus"), str(out)]) == 0
    return out


def by_path(results: Path) -> dict:
    return {(r["path"], r["new_commit"]): r for r in report.read_results(results)}


def test_every_pair_is_read_by_both_tools_and_synth_meets_its_schema(results: Path) -> None:
    records = report.read_results(results)
    assert len(records) == 4
    for r in records:
        assert r["synth"]["status"] == "ok" and r["synth"]["schema_valid"] is True
        assert r["cdk"]["status"] == "ok" and r["cdk"]["diff_ms"] >= 0
        assert (results / "pairs" / f"{r['id']}.json").is_file()
        assert (results / "raw" / f"{r['id']}.synth.json").is_file()
        assert (results / "raw" / f"{r['id']}.cdk.json").is_file()
    run = json.loads((results / "run.json").read_text())
    assert run["cloudformation_diff"] == "2.187.5" and run["corpus_pairs"] == 4


def test_the_resources_of_a_pair_are_compared(results: Path) -> None:
    bucket = next(
        r
        for r in report.read_results(results)
        if r["path"] == "stack.yaml"
        and any(res["logical_id"] == "Bucket" for res in r["resources"])
    )
    got = {res["logical_id"]: res for res in bucket["resources"]}
    assert got["Bucket"]["agree"] and got["Bucket"]["synth"]["impact"] == "replace"
    assert got["Bucket"]["synth"]["properties"] == ["BucketName"]
    # Metadata alone: nothing happens to the queue (synth), an update (CDK).
    assert got["Queue"]["categories"] == ["update_vs_noop"]
    assert (got["Queue"]["synth"]["impact"], got["Queue"]["cdk"]["impact"]) == ("none", "update")
    assert bucket["agree"] is False


def test_a_rename_agrees_with_a_removal_and_an_addition(results: Path) -> None:
    network = next(r for r in report.read_results(results) if r["path"] == "network.json")
    assert network["agree"] is True
    assert {res["logical_id"]: res["synth"].get("renamed") for res in network["resources"]} == {
        "AuditLogs": True,
        "Logs": True,
    }


def test_report_sums_up_and_scores_the_adjudications(results: Path, tmp_path: Path) -> None:
    queue_pair = next(
        r["id"]
        for r in report.read_results(results)
        if any(res["logical_id"] == "Queue" for res in r.get("resources", []))
    )
    adjudications = tmp_path / "adjudications.jsonl"
    adjudications.write_text(
        json.dumps(
            {
                "pair": queue_pair,
                "resource": "Queue",
                "category": "update_vs_noop",
                "truth": "none",
                "reason": "a Metadata change alone updates no resource",
            }
        )
        + "\n"
    )
    summary_json = tmp_path / "summary.json"
    argv = [
        "report",
        str(results),
        "--adjudications",
        str(adjudications),
        "--json",
        str(summary_json),
        "--markdown",
        str(tmp_path / "summary.md"),
    ]
    assert cli.main(argv) == 0
    summary = json.loads(summary_json.read_text())
    assert summary["pairs"] == {
        "total": 4,
        "compared": 4,
        "agree": 3,
        "agree_pct": 75.0,
        "with_changes": 4,
    }
    assert summary["resources"]["compared"] == 6 and summary["resources"]["agree"] == 5
    assert summary["categories"]["update_vs_noop"]["most_frequent"] == [["none", "update", 1]]
    assert summary["adjudication"]["only_synth_right"] == 1
    markdown = (tmp_path / "summary.md").read_text()
    assert "| pairs in full agreement | 3 (75.0 %) |" in markdown
    assert "synth right on 1, CDK right on 0" in markdown


def test_a_crash_and_a_refusal_are_told_apart(tmp_path: Path) -> None:
    schema = tools.SchemaCheck(
        Path(cli.REPO_ROOT) / "crates" / "cfn-diff" / "schema" / "diff.schema.json"
    )
    crashing = tmp_path / "synth"
    crashing.write_text("#!/bin/sh\necho 'thread main panicked' >&2\nexit 101\n")
    refusing = tmp_path / "refusing"
    refusing.write_text("#!/bin/sh\necho 'error: t.yaml:1:1: not valid YAML' >&2\nexit 2\n")
    for script in (crashing, refusing):
        os.chmod(script, 0o755)
    t = tmp_path / "t.yaml"
    t.write_text("Resources: {}\n")
    crash = tools.run_synth(crashing, t, t, 10, schema)
    assert (crash.status, crash.exit_code, crash.error) == ("crash", 101, "thread main panicked")
    refused = tools.run_synth(refusing, t, t, 10, schema)
    assert (refused.status, refused.error) == ("refused", "error: t.yaml:1:1: not valid YAML")


def test_reclassify_reads_the_saved_outputs_again(results: Path, tmp_path: Path) -> None:
    copy = tmp_path / "results"
    shutil.copytree(results, copy)
    pair = next(
        r["id"]
        for r in report.read_results(copy)
        if any(res["logical_id"] == "Queue" for res in r.get("resources", []))
    )
    raw = copy / "raw" / f"{pair}.synth.json"
    doc = json.loads(raw.read_text())
    for res in doc["resources"]:
        if res["logical_id"] == "Queue":
            res["impact"] = "update"
    raw.write_text(json.dumps(doc))
    assert cli.main(["reclassify", str(copy)]) == 0
    record = next(r for r in report.read_results(copy) if r["id"] == pair)
    assert record["agree"] is True
    assert json.loads((copy / "pairs" / f"{pair}.json").read_text())["agree"] is True
    assert (
        record["synth"]["seconds"]
        == next(r for r in report.read_results(results) if r["id"] == pair)["synth"]["seconds"]
    )
