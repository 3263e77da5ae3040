"""cdk-nag over the synthesized templates: each imported into a CDK app with cloudformation-
include and checked by the AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1
packs (tests/cdk-nag/nag.js, one node process for every template). No finding, error or
warning, is left unrecorded; every exception is recorded in the Metadata of the resource it
concerns, with a reason, under every rule ID that flags it, and under no rule that does not.

The Node.js project is installed by test.sh (`npm ci --prefix tests/cdk-nag`). It runs over the
modules' templates (templates/*.json): those of an estate carry the estate owner's
nag_suppressions besides the module's records, which no test here can hold to "only where a
rule fires".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from compliance_support import REPO, require_module_templates

NAG_DIR = REPO / "tests" / "cdk-nag"
NAG_SCRIPT = NAG_DIR / "nag.js"
PACKS = ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")
EXCEPTIONS_SOURCE = "crates/bedrock-settings/src/exceptions.rs"
# A copy of one template without its cdk_nag Metadata, checked in the same run: it proves
# that the records are what silences the findings, and shows how a finding is reported.
STRIPPED = "stripped--"

Report = dict[str, dict[str, Any]]


def recorded_suppressions(document: dict) -> list[tuple[str, Any]]:
    """(logical id, entry) for each entry of each resource's cdk_nag.rules_to_suppress."""
    found = []
    for logical_id, resource in (document.get("Resources") or {}).items():
        nag = (resource.get("Metadata") or {}).get("cdk_nag") or {}
        found.extend((logical_id, entry) for entry in nag.get("rules_to_suppress") or [])
    return found


def without_cdk_nag_metadata(document: dict) -> dict:
    stripped = json.loads(json.dumps(document))
    for resource in stripped["Resources"].values():
        (resource.get("Metadata") or {}).pop("cdk_nag", None)
    return stripped


def run_nag(templates: list[Path]) -> Report:
    node = os.environ.get("NODE") or shutil.which("node")
    assert node, "node (Node.js 20 or later) not found: set NODE or put it on PATH"
    installed = NAG_DIR / "node_modules" / "cdk-nag"
    assert installed.is_dir(), (
        f"cdk-nag is not installed in {NAG_DIR.relative_to(REPO)}: run "
        "`npm ci --prefix tests/cdk-nag` (test.sh does)"
    )
    proc = subprocess.run(
        [node, str(NAG_SCRIPT), *map(str, templates)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, f"nag.js exited {proc.returncode}:\n{proc.stderr[-4000:]}"
    return {Path(t["template"]).name: t for t in json.loads(proc.stdout)["templates"]}


@pytest.fixture(scope="module")
def nag_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Report]:
    """(committed templates, stripped copy) by file name, from one run of nag.js."""
    templates = require_module_templates()
    documents = {path: json.loads(path.read_text()) for path in templates}
    most = max(templates, key=lambda path: len(recorded_suppressions(documents[path])))
    stripped = tmp_path_factory.mktemp("cdk-nag") / f"{STRIPPED}{most.name}"
    stripped.write_text(json.dumps(without_cdk_nag_metadata(documents[most])))
    report = run_nag([*templates, stripped])
    twin = {name: report.pop(name) for name in list(report) if name.startswith(STRIPPED)}
    return report, twin


@pytest.fixture(scope="module")
def nag_report(nag_runs: tuple[Report, Report]) -> Report:
    return nag_runs[0]


def unrecorded(report: Report) -> list[tuple[str, dict[str, Any]]]:
    """(template, result) for each finding or rule error that no suppression covers."""
    return [
        (name, result)
        for name, checked in sorted(report.items())
        for result in checked["results"]
        if result["outcome"] in ("finding", "rule-error")
    ]


def describe(template: str, result: dict[str, Any]) -> str:
    finding = f"[{result['finding']}]" if result.get("finding") else ""
    what = result.get("error") or result["info"]
    return (
        f"{template}: {result['rule']}{finding} on {result['resource']} "
        f"({result['level']}, {result['outcome']}): {what}"
    )


def unrecorded_failure(report: Report) -> str:
    found = unrecorded(report)
    return (
        f"{len(found)} cdk-nag findings not recorded as exceptions (rule, resource, finding):\n"
        + "\n".join(f"  {describe(t, r)}" for t, r in found)
        + f"\nFix the resource, or record why in {EXCEPTIONS_SOURCE} under that rule ID "
        "and regenerate the templates."
    )


def test_every_template_is_checked_by_the_four_packs(nag_report: Report) -> None:
    names = {path.name for path in require_module_templates()}
    assert set(nag_report) == names
    for name, checked in nag_report.items():
        assert tuple(checked["packs"]) == PACKS, name
        for pack in PACKS:
            # rule evaluations, compliant or not: a pack that checked nothing proves nothing
            assert checked["evaluated"].get(pack, 0) > 0, f"{name}: {pack} checked no resource"


def test_no_finding_is_left_unrecorded(nag_report: Report) -> None:
    """Errors, warnings, and rules that could not be evaluated all count."""
    if unrecorded(nag_report):
        pytest.fail(unrecorded_failure(nag_report), pytrace=False)


def test_every_recorded_suppression_is_needed(nag_report: Report) -> None:
    """A suppression whose rule does not fire on that resource hides nothing and documents
    nothing true: it must go."""
    dead = []
    for path in require_module_templates():
        used = {
            (r["resource"], r["rule"])
            for r in nag_report[path.name]["results"]
            if r["outcome"] in ("suppressed", "suppressed-rule-error")
        }
        for logical_id, entry in recorded_suppressions(json.loads(path.read_text())):
            if (logical_id, entry.get("id")) not in used:
                dead.append(f"{path.name}: {entry.get('id')} on {logical_id}")
    if dead:
        pytest.fail(
            "cdk-nag suppressions of rules that do not fire on that resource:\n  "
            + "\n  ".join(dead)
            + f"\nRemove them from {EXCEPTIONS_SOURCE}.",
            pytrace=False,
        )


def test_suppressions_are_per_resource_each_with_a_reason() -> None:
    problems = []
    for path in require_module_templates():
        document = json.loads(path.read_text())
        if "cdk_nag" in (document.get("Metadata") or {}):
            problems.append(f"{path.name}: template-level Metadata.cdk_nag")
        seen = set()
        for logical_id, entry in recorded_suppressions(document):
            where = f"{path.name} {logical_id}"
            if not isinstance(entry, dict) or set(entry) != {"id", "reason"}:
                problems.append(f"{where}: a suppression is exactly {{id, reason}}: {entry!r:.160}")
                continue
            rule, reason = entry["id"], entry["reason"]
            if not any(str(rule).startswith(f"{pack}-") for pack in PACKS):
                problems.append(f"{where}: {rule!r} is not a rule of {', '.join(PACKS)}")
            if not isinstance(reason, str) or not reason.strip():
                problems.append(f"{where}: suppression of {rule} has no reason")
            if (logical_id, rule) in seen:
                problems.append(f"{where}: {rule} is suppressed twice")
            seen.add((logical_id, rule))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def is_named_in_iam5_reason(finding: str) -> bool:
    """`*` (the Bedrock logging APIs; iam:ListRoles of the audit module's role resolver), the
    log streams of a Lambda function's log group, the roles the resolver may read
    (`role/*/<name>`, `role/*`), or the streams CloudTrail names in a trail's log group
    (`<account>_CloudTrail_<region>` and a suffix of its own, the Trail block's reason), or the
    objects the Athena query policy reads: the workgroup's results prefix and this account's and
    region's invocation records."""
    lambda_streams = ":log-group:/aws/lambda/" in finding and finding.endswith(":log-stream:*")
    roles = re.fullmatch(
        r"Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/\*(/[\w+=,.@-]+)?", finding
    )
    trail_streams = re.fullmatch(
        # The log group's name may hold intrinsics (`<AWS::Region>`), colons included.
        r"Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:\S+?"
        r":log-stream:<AWS::AccountId>_CloudTrail_<AWS::Region>\*",
        finding,
    )
    query_objects = finding == "Resource::<QueryResultsBucket.Arn>/athena-results/*" or bool(
        re.fullmatch(
            r"Resource::<InvocationLogsBucket\.Arn>/\S+/AWSLogs/<AWS::AccountId>"
            r"/BedrockModelInvocationLogs/<AWS::Region>/\*",
            finding,
        )
    )
    return (
        finding == "Resource::*"
        or query_objects
        or (finding.startswith("Resource::") and lambda_streams)
        or bool(roles)
        or bool(trail_streams)
    )


def test_suppressed_wildcards_are_those_the_reason_names(nag_report: Report) -> None:
    """AwsSolutions-IAM5 is suppressed for the whole policy; its reason names the wildcards it
    allows (see is_named_in_iam5_reason), so any other wildcard that appears in that policy must
    fail here rather than pass silently."""
    others = [
        describe(name, r)
        for name, checked in sorted(nag_report.items())
        for r in checked["results"]
        if r["outcome"] == "suppressed"
        and r["rule"] == "AwsSolutions-IAM5"
        and not is_named_in_iam5_reason(r["finding"])
    ]
    if others:
        pytest.fail("wildcards the IAM5 reason does not name:\n  " + "\n  ".join(others))


def test_an_unrecorded_exception_is_reported_by_rule_resource_and_finding(
    nag_runs: tuple[Report, Report],
) -> None:
    report, twin = nag_runs
    ((stripped_name, stripped),) = twin.items()
    original = report[stripped_name.removeprefix(STRIPPED)]
    silenced = {
        (r["resource"], r["rule"], r["finding"])
        for r in original["results"]
        if r["outcome"] == "suppressed"
    }
    surfaced = {(r["resource"], r["rule"], r["finding"]) for _, r in unrecorded(twin)}
    assert silenced, f"{stripped_name}: the original records no exception to take away"
    assert surfaced == silenced
    message = unrecorded_failure(twin)
    for resource, rule, finding in silenced:
        assert f"{rule}{f'[{finding}]' if finding else ''} on {resource} " in message
    assert EXCEPTIONS_SOURCE in message
