"""The building blocks' guard rules (compliance/guard/blocks.guard) and their fixtures.

A fixture `RULE.json` or `RULE--variant.json` in compliance/guard/fixtures-blocks/ is the
compliant template with one change that breaks exactly RULE: guard must report RULE, with its
promise, and no other rule. compliant.json (the example's template: every block, every rule
applies) passes every rule without skipping any; compliant-forms.json passes in the other
forms the rules accept (keys by Ref, the TLS denials with `{"AWS": "*"}`, a list of actions,
`BoolIfExists` and the `Fn::Sub`/`Fn::Join` forms of the bucket's ARNs, a metric-math alarm
with OK actions only, a service grant held by aws:SourceAccount alone);
compliant-alerting-only.json (key, topic and alarm) passes with the bucket, log group and
trail rules skipping. The examples' templates are run in test_guard_templates.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from compliance_support import (
    BLOCKS_GUARD_FIXTURES,
    BLOCKS_GUARD_RULES,
    exception_record_problems,
    example_templates,
    guard_rule_names,
    guard_rules_for,
    literal_partitions,
    run_guard,
    sample_templates,
    venv_tool,
)

RULES = guard_rule_names(BLOCKS_GUARD_RULES)
COMPLIANT = sorted(BLOCKS_GUARD_FIXTURES.glob("compliant*.json"))
BREAKING = sorted(p for p in BLOCKS_GUARD_FIXTURES.glob("*.json") if p not in COMPLIANT)
# The rules of the blocks that compliant-alerting-only.json leaves out.
ABSENT_BLOCK_RULES = {
    rule for rule in RULES if rule.startswith(("S3_BUCKET_", "LOG_GROUP_", "CLOUDTRAIL_"))
}


def broken_rule(fixture: Path) -> str:
    return fixture.stem.split("--", 1)[0]


def test_every_rule_has_a_fixture_that_breaks_it() -> None:
    assert len(RULES) == len(set(RULES)) >= 20, RULES
    broken = {broken_rule(p) for p in BREAKING}
    assert broken == set(RULES), (sorted(broken - set(RULES)), sorted(set(RULES) - broken))


@pytest.mark.parametrize("fixture", BREAKING, ids=lambda p: p.stem)
def test_fixture_breaks_exactly_its_rule(cfn_guard: str, fixture: Path) -> None:
    report = run_guard(cfn_guard, fixture, BLOCKS_GUARD_RULES)
    rule = broken_rule(fixture)
    assert report.status == "FAIL", report.describe()
    assert sorted(report.failed) == [rule], report.describe()
    assert report.promises.get(rule), f"{rule} failed without its << promise >> message"


@pytest.mark.parametrize("fixture", COMPLIANT, ids=lambda p: p.stem)
def test_compliant_fixture_passes_every_rule_and_is_cfn_lint_clean(
    cfn_guard: str, fixture: Path
) -> None:
    report = run_guard(cfn_guard, fixture, BLOCKS_GUARD_RULES)
    assert report.status == "PASS", report.describe()
    assert not report.failed and sorted(report.passed + report.skipped) == sorted(RULES)
    skipped = set(report.skipped)
    if fixture.stem == "compliant-alerting-only":
        assert skipped == ABSENT_BLOCK_RULES, report.describe()
    else:
        assert not skipped, f"rules skipped on {fixture.name}: {sorted(skipped)}"
    cfn_lint = venv_tool("cfn-lint")
    assert cfn_lint, "cfn-lint not found beside the interpreter nor on PATH"
    lint = subprocess.run(
        [cfn_lint, str(fixture)], capture_output=True, text=True, timeout=300, check=False
    )
    assert (lint.returncode, lint.stdout) == (0, ""), lint.stdout + lint.stderr


def test_the_examples_templates_are_held_to_the_blocks_rules() -> None:
    """guard_rules_for gives the examples blocks.guard, and only them: the samples' templates
    keep their modules' own rules."""
    examples = example_templates()
    assert examples, "no templates in templates/examples/: regenerate the examples' templates"
    assert {guard_rules_for(path) for path in examples} == {BLOCKS_GUARD_RULES}
    assert BLOCKS_GUARD_RULES not in {guard_rules_for(path) for path in sample_templates()}


def test_every_rule_applies_to_an_example(cfn_guard: str) -> None:
    """Passing is not skipping: each rule finds what it governs in some example's template."""
    applied: set[str] = set()
    for template in example_templates():
        report = run_guard(cfn_guard, template, BLOCKS_GUARD_RULES)
        assert not report.failed, report.describe()
        applied.update(report.passed)
    assert applied == set(RULES), sorted(set(RULES) - applied)


def test_partition_walk_finds_what_guard_finds() -> None:
    """The pytest companion of NO_LITERAL_PARTITION fails and passes on the same fixtures."""
    partition_fixtures = sorted(BLOCKS_GUARD_FIXTURES.glob("NO_LITERAL_PARTITION*.json"))
    assert partition_fixtures
    for fixture in partition_fixtures:
        assert literal_partitions(json.loads(fixture.read_text())), fixture.name
    for fixture in COMPLIANT:
        assert not literal_partitions(json.loads(fixture.read_text())), fixture.name


def test_exception_record_check_finds_what_guard_finds() -> None:
    """The pytest check of Metadata.Exceptions entries passes on the compliant fixtures that
    record the CloudWatch Logs exception, and fails where guard finds the Reason blank."""
    for fixture in COMPLIANT:
        assert not exception_record_problems(json.loads(fixture.read_text())), fixture.name
    blank = BLOCKS_GUARD_FIXTURES / (
        "SERVICE_PRINCIPAL_CONFUSED_DEPUTY_CONDITIONS--blank-reason.json"
    )
    assert exception_record_problems(json.loads(blank.read_text()))
