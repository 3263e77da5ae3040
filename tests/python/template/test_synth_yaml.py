"""The module's templates in YAML: cfn-lint clean and the same template as the JSON.

The committed templates are JSON; `synth --format yaml` writes the same template
with short-form intrinsics. Both are read with cfn-lint's own decoders.
"""

import subprocess

import pytest
from cfnlint.decode import cfn_json, cfn_yaml
from test_template_fixtures import CFN_LINT, REPO, plain

SAMPLES = sorted((REPO / "crates" / "bedrock-settings" / "samples").glob("*.yaml"))


def test_there_are_samples():
    assert SAMPLES, "no sample configurations found"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_yaml_template_is_lint_clean_and_equal_to_json(sample, tmp_path, synth):
    out = tmp_path / f"{sample.stem}.yaml"
    # A sample over the inline limit says so in its header, as the Rust template tests require.
    large = "synthesize it with --large-template" in sample.read_text(encoding="utf-8")
    subprocess.run(
        [synth, "--config", str(sample), "--format", "yaml", "--output", str(out)]
        + (["--large-template"] if large else []),
        check=True,
    )
    lint = subprocess.run([CFN_LINT, str(out)], capture_output=True, text=True, check=False)
    assert (lint.returncode, lint.stdout + lint.stderr) == (0, "")
    committed = REPO / "templates" / f"{sample.stem}.json"
    assert plain(cfn_yaml.load(str(out))) == plain(cfn_json.load(str(committed)))
