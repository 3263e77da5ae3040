"""The module's synthesized templates keep every promise that the guard rules encode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from compliance_support import (
    NO_TEMPLATES,
    exception_record_problems,
    guard_rules_for,
    literal_partitions,
    run_guard,
    template_id,
    template_paths,
)


@pytest.mark.parametrize("template", template_paths(), ids=template_id)
def test_template_passes_every_guard_rule(cfn_guard: str, template: Path | None) -> None:
    assert template is not None, NO_TEMPLATES
    report = run_guard(cfn_guard, template, guard_rules_for(template))
    if report.failed:
        pytest.fail(f"guard rules failed:\n{report.describe()}", pytrace=False)
    assert report.status in ("PASS", "SKIP"), report.describe()


@pytest.mark.parametrize("template", template_paths(), ids=template_id)
def test_template_hard_codes_no_partition(template: Path | None) -> None:
    """Companion of the guard rule NO_LITERAL_PARTITION, which stops at a fixed depth: every
    string of the template, at any depth, outside Description texts."""
    assert template is not None, NO_TEMPLATES
    document = json.loads(template.read_text())
    found = literal_partitions(
        {key: value for key, value in document.items() if key != "Description"}
    )
    if found:
        pytest.fail("ARNs must use ${AWS::Partition}:\n" + "\n".join(found), pytrace=False)


@pytest.mark.parametrize("template", template_paths(), ids=template_id)
def test_template_suppresses_no_guard_rule(template: Path | None) -> None:
    """The module's own promises are never waived: no resource carries guard's suppression
    Metadata (guard.SuppressedRules, honoured by some cfn-guard versions)."""
    assert template is not None, NO_TEMPLATES
    resources = json.loads(template.read_text())["Resources"]
    suppressing = sorted(
        logical_id
        for logical_id, resource in resources.items()
        if "guard" in (resource.get("Metadata") or {})
    )
    assert not suppressing, f"resources with Metadata.guard: {suppressing}"


@pytest.mark.parametrize("template", template_paths(), ids=template_id)
def test_template_records_every_exception_with_its_reason(template: Path | None) -> None:
    """Every Metadata.Exceptions entry names its promise and gives a reason (guard honours only
    a complete record of a ConfusedDeputyConditions exception, and checks no other promise's)."""
    assert template is not None, NO_TEMPLATES
    problems = exception_record_problems(json.loads(template.read_text()))
    if problems:
        pytest.fail(
            "incomplete Metadata.Exceptions entries:\n" + "\n".join(problems), pytrace=False
        )
