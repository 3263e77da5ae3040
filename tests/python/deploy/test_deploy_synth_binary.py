"""The deployment tests synthesize with the current binary, never one left from before a change."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import synth_binary


def aged(path: Path, seconds: float) -> Path:
    """Gives `path` a modification time `seconds` from now."""
    when = time.time() + seconds
    os.utime(path, (when, when))
    return path


def binary_built_from(tmp_path: Path, *sources: Path) -> Path:
    """A binary with a cargo dep-info file listing `sources` beside it."""
    binary = tmp_path / "synth"
    binary.write_bytes(b"")
    deps = " ".join(str(s).replace(" ", "\\ ") for s in sources)
    (tmp_path / "synth.d").write_text(f"{binary}: {deps}\n", encoding="utf-8")
    return binary


def test_a_binary_older_than_one_of_its_sources_is_refused_naming_it(tmp_path: Path) -> None:
    old, changed = tmp_path / "old.rs", tmp_path / "with space.py"
    old.write_text("", encoding="utf-8")
    changed.write_text("", encoding="utf-8")
    binary = binary_built_from(tmp_path, aged(old, -7200), changed)
    aged(binary, -3600)

    with pytest.raises(RuntimeError) as refused:
        synth_binary.check_fresh(binary, "Rebuild it with `cargo build --bin synth`.")

    assert f"is older than {changed}" in str(refused.value)
    assert "cargo build --bin synth" in str(refused.value)


def test_a_binary_newer_than_its_sources_is_used(tmp_path: Path) -> None:
    source = tmp_path / "lib.rs"
    source.write_text("", encoding="utf-8")
    binary = aged(binary_built_from(tmp_path, aged(source, -60)), 0)

    assert synth_binary.check_fresh(binary, "") == binary


def test_without_dep_info_the_crates_sources_count(tmp_path: Path) -> None:
    binary = tmp_path / "synth"
    binary.write_bytes(b"")
    aged(binary, -10 * 365 * 86400)

    with pytest.raises(RuntimeError, match="is older than crates/"):
        synth_binary.check_fresh(binary, "")
    assert synth_binary.REPO / "crates" / "bedrock-settings" / "handler" / "index.py" in (
        synth_binary.inputs(binary)
    )


def test_a_missing_binary_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        synth_binary.check_fresh(tmp_path / "synth", "")


def test_the_suite_runs_a_current_binary(synth: Path) -> None:
    deps = synth_binary.inputs(synth)
    handler = synth_binary.REPO / "crates" / "bedrock-settings" / "handler" / "index.py"
    assert handler in deps  # the embedded handler is one of its inputs
    assert synth.stat().st_mtime >= synth_binary.newest_input(synth)[0]
