"""The limits synth's config check enforces, held against cfn-lint's rules.

A value at the edge of what the check accepts gives a template cfn-lint passes; a tag value or
key just past it, which synth refuses, is one that cfn-lint flags (E3031 pattern, E3033 length)
once put into a template by hand. So the check neither lets through what the resource schemas
reject nor refuses what they take.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from compliance_support import REPO, venv_tool

SYNTH = os.environ.get("BEDROCK_SYNTH") or str(REPO / "target" / "debug" / "synth")
MARKER = "marker-value"

ACCEPTED: dict[str, dict[str, Any]] = {
    "tag-characters": {
        "enableAuditLoggingToS3": True,
        "tags": {
            "Größe": "東京 a\u00a0b\u2028c\u3000_.:/=+-@",
            "n\u0663\u00bd": "\u16ee\u2160",
            "empty-value": "",
        },
    },
    "fifty-tags": {
        "enableAuditLoggingToS3": True,
        "tags": {f"k{i:02}": f"v{i}" for i in range(50)},
    },
    "longest-tag": {"enableAuditLoggingToS3": True, "tags": {"k" * 128: "v" * 256}},
    "deepest-ssm-prefix": {
        "enableAuditLoggingToS3": True,
        "ssmParameterPrefix": "".join(f"/l{i}" for i in range(14)),
    },
    "longest-ssm-prefix": {"enableAuditLoggingToS3": True, "ssmParameterPrefix": "/" + "p" * 934},
    "longest-lifecycle": {
        "enableAuditLoggingToS3": True,
        "s3Lifecycle": {
            "transitionToGlacierAfterDays": 2147483646,
            "expireAfterDays": 2147483647,
            "noncurrentVersionExpireAfterDays": 2147483647,
        },
    },
}

REFUSED_TAG_VALUES = {
    "carriage-return": "a\rb",
    "vertical-tab": "a\vb",
    "form-feed": "a\fb",
    "next-line": "a\x85b",
    "combining-ypogegrammeni": "a\u0345",
    "pipe": "a|b",
}


def synth(
    config: dict[str, Any], tmp_path: Path, name: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    assert Path(SYNTH).is_file(), f"{SYNTH} is missing: run `cargo build --bin synth`"
    path = tmp_path / f"{name}.yaml"
    # JSON is YAML; json.dumps escapes every character that YAML would read differently.
    path.write_text(json.dumps(config), encoding="utf-8")
    out = tmp_path / f"{name}.json"
    return subprocess.run(
        [SYNTH, "--config", str(path), "--output", str(out), *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def cfn_lint(template: Path) -> subprocess.CompletedProcess[str]:
    tool = venv_tool("cfn-lint")
    assert tool, "cfn-lint not found beside the interpreter nor on PATH"
    return subprocess.run([tool, str(template)], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_values_at_the_edge_are_synthesized_and_cfn_lint_clean(name: str, tmp_path: Path) -> None:
    # Fifty tags on every resource take the template past the inline limit: synth says so,
    # and writes it with --large-template; cfn-lint reads it either way.
    made = synth(ACCEPTED[name], tmp_path, name, "--large-template")
    assert made.returncode == 0, made.stderr
    lint = cfn_lint(tmp_path / f"{name}.json")
    assert (lint.returncode, lint.stdout + lint.stderr) == (0, "")


def with_tag(template: dict[str, Any], key: str, value: str) -> int:
    """Sets the marker tag of every resource to `key: value`; returns how many it changed."""
    changed = 0
    for resource in template["Resources"].values():
        for tag in resource.get("Properties", {}).get("Tags", []):
            if isinstance(tag, dict) and tag.get("Value") == MARKER:
                tag["Key"], tag["Value"] = key, value
                changed += 1
    return changed


@pytest.fixture(scope="module")
def marked_template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("marked")
    made = synth({"enableAuditLoggingToS3": True, "tags": {"marker": MARKER}}, tmp, "marked")
    assert made.returncode == 0, made.stderr
    return json.loads((tmp / "marked.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(REFUSED_TAG_VALUES))
def test_refused_tag_values_are_what_cfn_lint_flags(
    name: str, marked_template: dict[str, Any], tmp_path: Path
) -> None:
    value = REFUSED_TAG_VALUES[name]
    refused = synth({"enableAuditLoggingToS3": True, "tags": {"owner": value}}, tmp_path, name)
    assert refused.returncode == 2, refused.stdout
    assert "`tags.owner`" in refused.stderr and "not allowed in tags" in refused.stderr
    assert refused.stdout == ""

    template = json.loads(json.dumps(marked_template))
    assert with_tag(template, "owner", value) > 0
    by_hand = tmp_path / f"{name}-by-hand.json"
    by_hand.write_text(json.dumps(template), encoding="utf-8")
    lint = cfn_lint(by_hand)
    assert "E3031" in lint.stdout, lint.stdout + lint.stderr


def test_a_tag_key_one_too_long_is_refused_and_flagged(
    marked_template: dict[str, Any], tmp_path: Path
) -> None:
    key = "k" * 129
    refused = synth({"enableAuditLoggingToS3": True, "tags": {key: "v"}}, tmp_path, "long-key")
    assert refused.returncode == 2
    assert "tag key length is out of range" in refused.stderr
    template = json.loads(json.dumps(marked_template))
    assert with_tag(template, key, "v") > 0
    by_hand = tmp_path / "long-key-by-hand.json"
    by_hand.write_text(json.dumps(template), encoding="utf-8")
    assert "E3033" in cfn_lint(by_hand).stdout
