"""The audit module's guard rules (compliance/guard/audit.guard) and their fixtures.

A fixture `RULE.json` or `RULE--variant.json` in compliance/guard/fixtures-audit/ is a
compliant template with one change that breaks exactly RULE: guard must report RULE, with its
promise, and no other rule. compliant.json (role references of each kind, a source account)
passes every rule without skipping any; compliant-minimal.json (no role resolved at deploy
time, so no function) passes too, the resolver's rules skipping. The templates' own run is in
test_guard_templates.py; the pytest companion of what guard cannot compare is below.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from compliance_support import (
    AUDIT_GUARD_FIXTURES,
    AUDIT_GUARD_RULES,
    TEMPLATES_DIR,
    guard_rule_names,
    run_guard,
    venv_tool,
)

RULES = guard_rule_names(AUDIT_GUARD_RULES)
COMPLIANT = sorted(AUDIT_GUARD_FIXTURES.glob("compliant*.json"))
BREAKING = sorted(p for p in AUDIT_GUARD_FIXTURES.glob("*.json") if p not in COMPLIANT)
RESOLVER_RULES = {"LOG_GROUP_ENCRYPTED_MODULE_KEY", "ROLE_RESOLVER_ONLY_READS_ROLES"}
AUDIT_TEMPLATES = sorted(TEMPLATES_DIR.glob("audit-*.json"))


def test_every_rule_has_a_fixture_that_breaks_it() -> None:
    assert len(RULES) == len(set(RULES)) >= 18, RULES
    broken = {p.stem.split("--", 1)[0] for p in BREAKING}
    assert broken == set(RULES), (sorted(broken - set(RULES)), sorted(set(RULES) - broken))


@pytest.mark.parametrize("fixture", BREAKING, ids=lambda p: p.stem)
def test_fixture_breaks_exactly_its_rule(cfn_guard: str, fixture: Path) -> None:
    report = run_guard(cfn_guard, fixture, AUDIT_GUARD_RULES)
    rule = fixture.stem.split("--", 1)[0]
    assert sorted(report.failed) == [rule], report.describe()
    assert report.promises.get(rule), f"{rule} failed without its << promise >> message"


@pytest.mark.parametrize("fixture", COMPLIANT, ids=lambda p: p.stem)
def test_compliant_fixture_passes_every_rule_and_is_cfn_lint_clean(
    cfn_guard: str, fixture: Path
) -> None:
    report = run_guard(cfn_guard, fixture, AUDIT_GUARD_RULES)
    assert not report.failed and sorted(report.passed + report.skipped) == sorted(RULES)
    skipped = set(report.skipped)
    if fixture.stem == "compliant":
        assert not skipped, report.describe()
    else:
        assert RESOLVER_RULES <= skipped, report.describe()
    cfn_lint = venv_tool("cfn-lint")
    assert cfn_lint, "cfn-lint not found beside the interpreter nor on PATH"
    lint = subprocess.run([cfn_lint, str(fixture)], capture_output=True, text=True, check=False)
    assert (lint.returncode, lint.stdout) == (0, ""), lint.stdout + lint.stderr


def trail_writes(document: dict) -> list[dict]:
    return [
        statement
        for resource in document["Resources"].values()
        if resource["Type"] == "AWS::S3::BucketPolicy"
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow"
        and statement.get("Principal", {}).get("Service") == "cloudtrail.amazonaws.com"
        and statement["Action"] == "s3:PutObject"
    ]


@pytest.mark.parametrize("template", AUDIT_TEMPLATES, ids=lambda p: p.name)
def test_cloudtrail_writes_under_the_prefix_of_its_statements_account(template: Path) -> None:
    """Companion of CLOUDTRAIL_WRITES_UNDER_ITS_ACCOUNTS_PREFIX: the account in the prefix is
    the statement's aws:SourceAccount, and the trail ARNs its aws:SourceArn allows are that
    account's."""
    writes = trail_writes(json.loads(template.read_text()))
    assert writes, template.name
    for statement in writes:
        account = statement["Condition"]["StringEquals"]["aws:SourceAccount"]
        account = "${AWS::AccountId}" if account == {"Ref": "AWS::AccountId"} else account
        prefix = re.fullmatch(r"\$\{\w+\.Arn\}/AWSLogs/(.+)/\*", statement["Resource"]["Fn::Sub"])
        assert prefix and prefix.group(1) == account, statement
        trails = statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
        assert trails == f"arn:${{AWS::Partition}}:cloudtrail:*:{account}:trail/*", statement


def test_the_companion_fails_where_the_prefix_is_another_accounts() -> None:
    document = json.loads((AUDIT_GUARD_FIXTURES / "compliant.json").read_text())
    statement = trail_writes(document)[-1]
    statement["Resource"]["Fn::Sub"] = "${AuditBucket.Arn}/AWSLogs/999999999999/*"
    forged = AUDIT_GUARD_FIXTURES.parent / "forged.json"
    try:
        forged.write_text(json.dumps(document))
        with pytest.raises(AssertionError):
            test_cloudtrail_writes_under_the_prefix_of_its_statements_account(forged)
    finally:
        forged.unlink()
