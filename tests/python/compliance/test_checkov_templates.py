"""checkov over the synthesized templates: no failed check, and every skip is justified where
it applies (one resource's Metadata, with a comment), never template-wide.

checkov runs offline: --skip-download and BC_SKIP_MAPPING=TRUE keep it from fetching policy
metadata from the Prisma Cloud platform, CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE from asking PyPI
for a newer version, and no API key is passed on. It runs without --quiet, which would drop
the list of skipped checks that these tests compare with the templates' Metadata.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import Any

import pytest
from compliance_support import REPO, TEMPLATES_DIR, require_templates, template_key, venv_tool

CHECK_ID = re.compile(r"^CKV2?_AWS_\d+$")
PLATFORM_ENV = ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL", "CKV_API_KEY")


def find_checkov() -> str | None:
    # checkov pins a boto3 of its own, so test.sh installs it into .venv-checkov
    return venv_tool("checkov", REPO / ".venv-checkov" / "bin" / "checkov")


@pytest.fixture(scope="module")
def checkov_report() -> dict[str, Any]:
    require_templates()
    checkov = find_checkov()
    assert checkov, "checkov not found (set CHECKOV, or run test.sh to make .venv-checkov)"
    env = {k: v for k, v in os.environ.items() if k not in PLATFORM_ENV}
    env.update(BC_SKIP_MAPPING="TRUE", CKV_SKIP_PACKAGE_UPDATE_CHECK="TRUE")
    proc = subprocess.run(
        [
            checkov,
            "--directory",
            str(TEMPLATES_DIR.relative_to(REPO)),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--compact",
            "--output",
            "json",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    # exit 1 means failed checks, which the tests below report one by one
    assert proc.returncode in (0, 1), (
        f"checkov exited {proc.returncode}:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    )
    report = json.loads(proc.stdout)
    assert isinstance(report, dict), f"expected one cloudformation report, got {type(report)}"
    return report


def checked_file(check: dict[str, Any]) -> str:
    """The template a result is of, as template_key names it: checkov gives the path under the
    scanned folder with a leading slash."""
    return str(check["file_path"]).lstrip("/")


def describe(check: dict[str, Any]) -> str:
    return (
        f"{check['check_id']} {check.get('check_name', '')}\n"
        f"    resource {check['resource']} in {check['file_path']}"
        + (f"\n    guideline {check['guideline']}" if check.get("guideline") else "")
    )


def metadata_skips() -> list[tuple[str, str, dict[str, Any]]]:
    """(template, logical id, skip entry) for each Metadata checkov skip of the templates."""
    found = []
    for path in require_templates():
        for logical_id, resource in json.loads(path.read_text())["Resources"].items():
            checkov = resource.get("Metadata", {}).get("checkov", {})
            for entry in checkov.get("skip", []):
                found.append((template_key(path), logical_id, entry))
    return found


def test_checkov_scanned_the_templates(checkov_report: dict[str, Any]) -> None:
    summary = checkov_report["summary"]
    assert summary["parsing_errors"] == 0, summary
    assert summary["resource_count"] > 0, summary
    assert summary["passed"] > 0, summary


def test_no_failed_checks(checkov_report: dict[str, Any]) -> None:
    failed = checkov_report["results"].get("failed_checks", [])
    if failed:
        details = "\n".join(describe(c) for c in failed)
        pytest.fail(f"{len(failed)} failed checkov checks:\n{details}", pytrace=False)


def test_every_skip_is_resource_metadata_with_a_reason() -> None:
    problems = []
    for template, logical_id, entry in metadata_skips():
        where = f"{template} {logical_id}"
        if not isinstance(entry, dict) or set(entry) != {"id", "comment"}:
            problems.append(f"{where}: a skip is exactly {{id, comment}}, got {entry!r}")
            continue
        if not CHECK_ID.match(str(entry["id"])):
            problems.append(f"{where}: {entry['id']!r} is not a checkov AWS check id")
        if not str(entry["comment"]).strip():
            problems.append(f"{where}: skip of {entry['id']} has no comment")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_every_metadata_skip_suppresses_a_check_that_runs(checkov_report: dict[str, Any]) -> None:
    """A skip naming a check that does not run on that resource (a Terraform-only id, a check
    of another resource type) documents nothing and hides nothing: it must go."""
    applied = {
        (checked_file(c), c["resource"].split(".", 1)[1], c["check_id"])
        for c in checkov_report["results"].get("skipped_checks", [])
    }
    dead = [
        f"{template} {logical_id}: {entry['id']}"
        for template, logical_id, entry in metadata_skips()
        if (template, logical_id, entry["id"]) not in applied
    ]
    if dead:
        pytest.fail(
            "skips of checks checkov never ran on that resource:\n" + "\n".join(dead),
            pytrace=False,
        )


def test_every_applied_skip_comes_from_resource_metadata(checkov_report: dict[str, Any]) -> None:
    declared = {(t, r, e["id"]) for t, r, e in metadata_skips()}
    problems = []
    for check in checkov_report["results"].get("skipped_checks", []):
        key = (checked_file(check), check["resource"].split(".", 1)[1], check["check_id"])
        comment = (check.get("check_result") or {}).get("suppress_comment", "")
        if key not in declared:
            problems.append(f"{describe(check)}\n    skipped, but not by the resource's Metadata")
        elif not str(comment).strip():
            problems.append(f"{describe(check)}\n    skipped without a comment")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_no_template_wide_suppression() -> None:
    problems = []
    for path in require_templates():
        document = json.loads(path.read_text())
        if "checkov" in (document.get("Metadata") or {}):
            problems.append(f"{template_key(path)}: template-level Metadata.checkov")
    for folder in (REPO, TEMPLATES_DIR):
        for name in (".checkov.yaml", ".checkov.yml"):
            if (folder / name).exists():
                problems.append(f"{folder / name}: a checkov config file can skip checks globally")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
