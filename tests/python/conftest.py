"""Shared by every Python suite (pytest puts this folder on sys.path for them)."""

from pathlib import Path

import pytest
from synth_binary import synth_binary


@pytest.fixture(scope="session")
def synth() -> Path:
    """The project's synth binary, current with the sources (never a stale build)."""
    return synth_binary()
