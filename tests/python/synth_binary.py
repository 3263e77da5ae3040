"""The `synth` binary the Python tests run, and never a stale one.

``$BEDROCK_SYNTH`` when set, else ``target/debug/synth``; the latter is built first with
``cargo build --bin synth`` (a no-op when it is current), once per session. The binary must
then be newer than every input it is built from, as cargo's dep-info file beside it lists them
(or, without one, the crates' sources, handler and samples): one left over from before a
change would test the templates of an earlier version, so it fails the tests instead, with a
message that says how to rebuild it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILT = REPO / "target" / "debug" / "synth"

_FOUND: dict[str, Path] = {}


def inputs(binary: Path) -> list[Path]:
    """What the binary is built from: the dependencies cargo recorded in `<binary>.d`."""
    dep_info = binary.with_name(binary.name + ".d")
    if dep_info.is_file():
        first = dep_info.read_text(encoding="utf-8").splitlines()[0]
        _, _, deps = first.partition(": ")
        return [Path(d.replace("\\ ", " ")) for d in re.split(r"(?<!\\) ", deps.strip()) if d]
    found = []
    for crate in (REPO / "crates").iterdir():
        for folder in ("src", "handler", "samples"):
            found += [p for p in (crate / folder).rglob("*") if p.is_file()]
    return found


def newest_input(binary: Path) -> tuple[float, Path]:
    return max((path.stat().st_mtime, path) for path in inputs(binary) if path.exists())


def check_fresh(binary: Path, how_to_rebuild: str) -> Path:
    if not binary.is_file():
        raise RuntimeError(f"{binary} does not exist: {how_to_rebuild}")
    changed, source = newest_input(binary)
    if changed > binary.stat().st_mtime:
        shown = source.relative_to(REPO) if source.is_relative_to(REPO) else source
        raise RuntimeError(
            f"{binary} is older than {shown}: it would test the templates of an earlier "
            f"version. {how_to_rebuild}"
        )
    return binary


def synth_binary() -> Path:
    """The current synth binary (see the module docstring)."""
    if "path" in _FOUND:
        return _FOUND["path"]
    override = os.environ.get("BEDROCK_SYNTH")
    path = Path(override) if override else BUILT
    if path.resolve() == BUILT.resolve():
        subprocess.run(
            ["cargo", "build", "--quiet", "--bin", "synth"], cwd=str(REPO), check=True, timeout=900
        )
    how = "Rebuild it with `cargo build --bin synth`"
    _FOUND["path"] = check_fresh(path, f"{how}, or unset BEDROCK_SYNTH." if override else how)
    return _FOUND["path"]
