"""The guard rules themselves: each can fail, each fails for its own fixture only, all can pass.

A fixture named `RULE.json` or `RULE--variant.json` is a compliant template with one change
that breaks exactly RULE; guard must report RULE and no other rule (ALSO_BROKEN lists the few
fixtures whose one change cannot help breaking another rule too, and why). `compliant*.json`
must pass every rule, and compliant.json (both destinations) must exercise every rule rather
than skip.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from compliance_support import (
    GUARD_FIXTURES,
    exception_record_problems,
    exception_records,
    guard_rule_names,
    literal_partitions,
    run_guard,
    venv_tool,
)

RULES = guard_rule_names()
COMPLIANT = sorted(GUARD_FIXTURES.glob("compliant*.json"))
BREAKING = sorted(p for p in GUARD_FIXTURES.glob("*.json") if p not in COMPLIANT)

# fixture stem -> (the other rules its one change breaks, why it cannot break its rule alone)
ALSO_BROKEN: dict[str, tuple[set[str], str]] = {
    "S3_BUCKET_POLICY_DENY_INSECURE_TRANSPORT--effect-allow": (
        {"IAM_NO_WILDCARD_ACTION", "S3_BUCKET_POLICY_ALLOWS_ONLY_BEDROCK"},
        "the TLS statement with Effect Allow and nothing else changed grants s3:* (a wildcard"
        " action) to everyone (not only Bedrock)",
    ),
}


def broken_rule(fixture: Path) -> str:
    return fixture.stem.split("--", 1)[0]


def test_rule_file_declares_the_expected_rules() -> None:
    assert len(set(RULES)) == len(RULES), f"duplicate rule names: {RULES}"
    assert len(RULES) >= 24, RULES


def test_fixture_set_is_complete() -> None:
    assert COMPLIANT, f"no compliant fixtures in {GUARD_FIXTURES}"
    names = {broken_rule(p) for p in BREAKING}
    unknown = sorted(names - set(RULES))
    assert not unknown, f"fixtures name rules that do not exist: {unknown}"
    untested = sorted(set(RULES) - names)
    assert not untested, f"rules without a fixture that makes them fail: {untested}"
    stale = sorted(set(ALSO_BROKEN) - {p.stem for p in BREAKING})
    assert not stale, f"ALSO_BROKEN names fixtures that do not exist: {stale}"


@pytest.mark.parametrize("fixture", BREAKING, ids=lambda p: p.stem)
def test_fixture_breaks_exactly_its_rule(cfn_guard: str, fixture: Path) -> None:
    report = run_guard(cfn_guard, fixture)
    rule = broken_rule(fixture)
    also, why = ALSO_BROKEN.get(fixture.stem, (set(), "it breaks only its own rule"))
    expected = sorted({rule, *also})
    assert report.status == "FAIL", report.describe()
    assert sorted(report.failed) == expected, (
        f"expected {expected} to fail ({why})\n{report.describe()}"
    )
    assert report.promises.get(rule), f"{rule} failed without its << promise >> message"


@pytest.mark.parametrize("fixture", COMPLIANT, ids=lambda p: p.stem)
def test_compliant_fixture_passes_every_rule(cfn_guard: str, fixture: Path) -> None:
    report = run_guard(cfn_guard, fixture)
    assert report.status == "PASS", report.describe()
    assert not report.failed, report.describe()
    assert sorted(report.passed + report.skipped) == sorted(RULES), report.describe()


def test_full_compliant_fixture_exercises_every_rule(cfn_guard: str) -> None:
    report = run_guard(cfn_guard, GUARD_FIXTURES / "compliant.json")
    assert report.skipped == [], f"rules skipped on the full template: {report.skipped}"
    assert sorted(report.passed) == sorted(RULES)


def test_rules_skip_where_their_resources_are_absent(cfn_guard: str) -> None:
    """A CloudWatch-only template has no bucket: the bucket rules skip, none fails."""
    report = run_guard(cfn_guard, GUARD_FIXTURES / "compliant-cloudwatch-only.json")
    bucket_rules = {r for r in RULES if r.startswith("S3_BUCKET_")}
    assert bucket_rules, RULES
    assert bucket_rules <= set(report.skipped), report.describe()


@pytest.mark.parametrize("fixture", COMPLIANT, ids=lambda p: p.stem)
def test_compliant_fixture_is_cfn_lint_clean(fixture: Path) -> None:
    """The fixtures stay realistic: the compliant ones are valid, warning-free templates."""
    cfn_lint = venv_tool("cfn-lint")
    assert cfn_lint, "cfn-lint not found beside the interpreter nor on PATH"
    proc = subprocess.run(
        [cfn_lint, str(fixture)], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not proc.stdout.strip(), proc.stdout


def test_partition_walk_finds_what_guard_finds() -> None:
    """The pytest companion of NO_LITERAL_PARTITION fails and passes on the same fixtures."""
    for fixture in GUARD_FIXTURES.glob("NO_LITERAL_PARTITION*.json"):
        assert literal_partitions(json.loads(fixture.read_text())), fixture.name
    for fixture in COMPLIANT:
        assert not literal_partitions(json.loads(fixture.read_text())), fixture.name


def test_exception_record_check_finds_what_guard_finds() -> None:
    """The pytest check of Metadata.Exceptions entries passes on the compliant fixtures, which
    record exceptions, and fails on the fixture whose record has an empty Reason."""
    for fixture in COMPLIANT:
        document = json.loads(fixture.read_text())
        assert exception_records(document), f"{fixture.name} records no exception"
        assert not exception_record_problems(document), fixture.name
    empty_reason = (
        GUARD_FIXTURES / "SERVICE_PRINCIPAL_CONFUSED_DEPUTY_CONDITIONS--empty-reason.json"
    )
    assert exception_record_problems(json.loads(empty_reason.read_text()))
