"""cfn-lint over the committed cfn-template fixtures, and JSON/YAML equivalence.

The fixtures are written by the Rust tests of crates/cfn-template
(`UPDATE_FIXTURES=1 cargo test -p cfn-template` regenerates them; the
all-resource-types ones need the service features of their test, see the
header of crates/cfn-template/tests/all_resource_types.rs).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cfnlint.decode import cfn_json, cfn_yaml

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "crates" / "cfn-template" / "tests" / "fixtures"
# test.sh names the cfn-lint it installed; otherwise the one beside this Python.
CFN_LINT = os.environ.get("CFN_LINT") or str(Path(sys.executable).with_name("cfn-lint"))
TEMPLATES = ["all-resource-types", "tricky-strings"]


def fixture(name: str) -> Path:
    path = FIXTURES / name
    assert path.is_file(), f"{path} is missing; this module's docstring says how to write it"
    return path


def plain(value):
    """The decoded template as plain dicts, lists and scalars.

    cfn-lint's decoders return subclasses (dict_node, str_node, ...) that carry
    line numbers; comparing plain values keeps assertion messages readable.
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


@pytest.mark.parametrize("name", [f"{t}.{ext}" for t in TEMPLATES for ext in ("json", "yaml")])
def test_cfn_lint_reports_nothing(name):
    result = subprocess.run(
        [CFN_LINT, str(fixture(name))],
        capture_output=True,
        text=True,
        check=False,
    )
    report = result.stdout + result.stderr
    assert (result.returncode, report) == (0, ""), report


@pytest.mark.parametrize("name", TEMPLATES)
def test_yaml_means_the_same_as_json(name):
    from_json = plain(cfn_json.load(str(fixture(f"{name}.json"))))
    from_yaml = plain(cfn_yaml.load(str(fixture(f"{name}.yaml"))))
    assert from_yaml == from_json


def test_yaml_uses_short_form_tags():
    text = fixture("all-resource-types.yaml").read_text(encoding="utf-8")
    for tag in ("!Ref ", "!GetAtt ", "!Sub", "!Join", "!Select", "!Split", "!If", "!Equals"):
        assert tag in text, tag
    assert "Fn::GetAtt" not in text
    assert '"Ref"' not in text


def test_getatt_short_form_decodes_to_a_list():
    # The equivalence test relies on cfn-lint turning `!GetAtt A.B` into
    # ["A", "B"], as the JSON has it; pin that behaviour here.
    decoded = plain(cfn_yaml.loads("Value: !GetAtt Handler.SnapStartResponse.ApplyOn\n"))
    assert decoded == {"Value": {"Fn::GetAtt": ["Handler", "SnapStartResponse.ApplyOn"]}}
