"""Fixtures of the compliance tests; the helpers live in compliance_support.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Make compliance_support importable from the test modules whatever pytest's import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compliance_support import find_cfn_guard


@pytest.fixture(scope="session")
def cfn_guard() -> str:
    path = find_cfn_guard()
    assert path, (
        "cfn-guard not found (set CFN_GUARD, put it on PATH, or "
        "`cargo install cfn-guard --version 3.2.1 --locked`)"
    )
    return path
