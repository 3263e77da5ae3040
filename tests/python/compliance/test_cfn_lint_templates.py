"""cfn-lint over every synthesized template: no error, no warning, no informational output."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from compliance_support import REPO, require_templates, venv_tool


def assert_cfn_lint_clean(templates: list[Path]) -> None:
    cfn_lint = venv_tool("cfn-lint")
    assert cfn_lint, "cfn-lint not found beside the interpreter nor on PATH"
    proc = subprocess.run(
        [cfn_lint, *(str(t.relative_to(REPO)) for t in templates)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0 or output:
        pytest.fail(f"cfn-lint exited {proc.returncode}:\n{output}", pytrace=False)


def test_templates_are_cfn_lint_clean() -> None:
    """The modules' templates and the sample estate's (templates/mdaa/)."""
    assert_cfn_lint_clean(require_templates())
