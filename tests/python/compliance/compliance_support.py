"""Helpers for the compliance tests: where the tools and templates are, how to run guard.

The scanners run against two kinds of input:

- compliance/guard/fixtures/*.json: small templates, each breaking exactly one guard rule
  (named by the file name before any `--`), plus compliant-*.json that break none;
- templates/*.json: the modules' synthesized templates, and templates/examples/*.json: those of
  the example modules built on the building blocks (examples/). A test over them fails, rather
  than skips, when there are none: a scanner that scanned nothing proves nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
COMPLIANCE = REPO / "compliance"
GUARD_RULES = COMPLIANCE / "guard" / "bedrock-settings.guard"
GUARD_FIXTURES = COMPLIANCE / "guard" / "fixtures"
# The audit module's rules, for its templates (templates/audit-*.json), and their fixtures.
AUDIT_GUARD_RULES = COMPLIANCE / "guard" / "audit.guard"
AUDIT_GUARD_FIXTURES = COMPLIANCE / "guard" / "fixtures-audit"
# The building blocks' rules, for the example modules' templates (templates/examples/*.json),
# which are made of the blocks alone, and their fixtures.
BLOCKS_GUARD_RULES = COMPLIANCE / "guard" / "blocks.guard"
BLOCKS_GUARD_FIXTURES = COMPLIANCE / "guard" / "fixtures-blocks"
TEMPLATES_DIR = REPO / "templates"
EXAMPLES_DIR = TEMPLATES_DIR / "examples"

# cfn-guard exit codes: 0 every rule passed or skipped, 19 a rule failed; anything else is an
# error (a rule file that does not parse, unreadable data).
GUARD_PASS, GUARD_FAIL = 0, 19

NO_TEMPLATES = (
    f"no synthesized templates in {TEMPLATES_DIR}/*.json and {EXAMPLES_DIR}/*.json: run the "
    "synth to write them "
    "(this check fails rather than skips, so that CI never passes having scanned nothing)"
)

# A hard-coded partition in an ARN (arn:aws:, arn:aws-cn:, arn:aws-us-gov:, arn:aws-iso-b:, ...).
LITERAL_PARTITION = re.compile(r"arn:aws(-[a-z]+)*:")


def sample_templates() -> list[Path]:
    """The templates of the modules' sample configurations (templates/*.json), each paired with
    a sample of its module (the deploy tests' sample_pairs reads this folder alone)."""
    return sorted(TEMPLATES_DIR.glob("*.json"))


def example_templates() -> list[Path]:
    """The templates of the example modules (templates/examples/*.json)."""
    return sorted(EXAMPLES_DIR.glob("*.json"))


def module_templates() -> list[Path]:
    """Every module's own template: the samples' and the examples'. Each scanner holds them to
    the same promise; an estate's templates (templates/mdaa/) are these modules' again."""
    return sample_templates() + example_templates()


def estate_templates() -> list[Path]:
    """What `synth --mdaa` writes for the sample estate (templates/mdaa/<domain>/<env>/)."""
    return sorted(p for p in (TEMPLATES_DIR / "mdaa").rglob("*.json") if p.name != "manifest.json")


def template_paths() -> list[Path | None]:
    """Every synthesized template, or [None] so that a test parametrized over them still runs
    once and fails with NO_TEMPLATES instead of being skipped for an empty parameter set."""
    return module_templates() + estate_templates() or [None]


def template_key(path: Path) -> str:
    """A template's path under templates/ (`s3-only.json`, `mdaa/shared/dev/audit.json`,
    `examples/console-login-alarms.json`)."""
    return path.relative_to(TEMPLATES_DIR).as_posix()


def guard_rules_for(template: Path) -> Path:
    """The rule file of the module that synthesized a template: an example's are the building
    blocks' (the examples are made of nothing else); audit-*.json, and audit.json of an estate,
    are the audit module's; the others bedrock-settings'."""
    if template.resolve().parent == EXAMPLES_DIR.resolve():
        return BLOCKS_GUARD_RULES
    return AUDIT_GUARD_RULES if template.stem.startswith("audit") else GUARD_RULES


def template_id(path: Path | None) -> str:
    return template_key(path) if path is not None else "no-templates"


def require_templates() -> list[Path]:
    """Every synthesized template: the modules' (samples and examples) and the sample
    estate's."""
    paths = module_templates() + estate_templates()
    assert paths, NO_TEMPLATES
    return paths


def require_module_templates() -> list[Path]:
    """The modules' templates (samples and examples), none of them sharing a file name with
    another: cdk-nag's report names each template by its file name alone."""
    paths = module_templates()
    assert paths, NO_TEMPLATES
    names = [path.name for path in paths]
    shared = sorted({name for name in names if names.count(name) > 1})
    assert not shared, f"templates that share a file name (rename the example's): {shared}"
    return paths


def venv_tool(name: str, *also: Path) -> str | None:
    """$<NAME> (CFN_LINT, CHECKOV), else a console script beside the running interpreter (the
    project's .venv), else one of `also`, else one on PATH."""
    configured = os.environ.get(name.upper().replace("-", "_"))
    if configured:
        return configured
    for candidate in (Path(sys.executable).parent / name, *also):
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


def find_cfn_guard() -> str | None:
    """$CFN_GUARD, else cfn-guard on PATH, else ~/.cargo/bin/cfn-guard."""
    configured = os.environ.get("CFN_GUARD")
    if configured:
        return configured
    on_path = shutil.which("cfn-guard")
    if on_path:
        return on_path
    cargo = Path.home() / ".cargo" / "bin" / "cfn-guard"
    return str(cargo) if cargo.exists() else None


@dataclass
class GuardReport:
    """One data file's result: rule name -> messages for each failed rule."""

    data: Path
    status: str
    failed: dict[str, list[str]] = field(default_factory=dict)
    passed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # rule name -> the custom << messages >> of its failed clauses (the promise it encodes)
    promises: dict[str, list[str]] = field(default_factory=dict)

    def describe(self) -> str:
        lines = [f"{self.data.name}: {self.status}"]
        for rule, messages in sorted(self.failed.items()):
            lines.append(f"  FAIL {rule}")
            lines.extend(f"    - {m}" for m in messages)
        return "\n".join(lines)


def _clean(message: str | None) -> str:
    # one line per message; guard turns the newlines of some << >> messages into ';'
    return re.sub(r"\s*;\s*|\s+", " ", message or "").strip()


def _clause_messages(node: object, out: list[str], promises: list[str]) -> None:
    if isinstance(node, dict):
        messages = node.get("messages")
        if "context" in node and isinstance(messages, dict):
            custom = _clean(messages.get("custom_message"))
            error = _clean(messages.get("error_message"))
            text = " | ".join(part for part in (custom, error) if part)
            if text and text not in out:
                out.append(text)
            if custom and custom not in promises:
                promises.append(custom)
        for value in node.values():
            _clause_messages(value, out, promises)
    elif isinstance(node, list):
        for value in node:
            _clause_messages(value, out, promises)


def run_guard(cfn_guard: str, data: Path, rules: Path = GUARD_RULES) -> GuardReport:
    proc = subprocess.run(
        [
            cfn_guard,
            "validate",
            "--rules",
            str(rules),
            "--data",
            str(data),
            "--output-format",
            "json",
            "--show-summary",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (GUARD_PASS, GUARD_FAIL), (
        f"cfn-guard errored on {data} (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    )
    result = json.loads(proc.stdout)
    report = GuardReport(
        data=data,
        status=result["status"],
        passed=sorted(result.get("compliant", [])),
        skipped=sorted(result.get("not_applicable", [])),
    )
    for entry in result.get("not_compliant", []):
        rule = entry["Rule"]
        messages: list[str] = []
        promises: list[str] = []
        _clause_messages(rule.get("checks", []), messages, promises)
        report.failed.setdefault(rule["name"], []).extend(messages)
        report.promises.setdefault(rule["name"], []).extend(promises)
    expected_status = "PASS" if proc.returncode == GUARD_PASS else "FAIL"
    assert report.status in (expected_status, "SKIP"), report.describe()
    return report


def guard_rule_names(rules: Path = GUARD_RULES) -> list[str]:
    """The reported rules of the rule file: named rules without parameters."""
    text = rules.read_text()
    return re.findall(r"^rule\s+([A-Za-z0-9_]+)\s*(?:when\b.*)?\{", text, flags=re.MULTILINE)


def literal_partitions(node: object, path: str = "") -> list[str]:
    """Every string in a JSON tree that hard-codes an ARN partition, by JSON path."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(literal_partitions(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(literal_partitions(value, f"{path}/{index}"))
    elif isinstance(node, str) and LITERAL_PARTITION.search(node):
        found.append(f"{path}: {node[:160]!r}")
    return found


def exception_records(document: dict) -> list[tuple[str, object]]:
    """Each entry of a Metadata.Exceptions list (the template's, and each resource's), by
    JSON path: the recorded exceptions to the module's promises."""
    owners = [("/Metadata", document.get("Metadata"))]
    for logical_id, resource in (document.get("Resources") or {}).items():
        if isinstance(resource, dict):
            owners.append((f"/Resources/{logical_id}/Metadata", resource.get("Metadata")))
    found: list[tuple[str, object]] = []
    for path, metadata in owners:
        if not isinstance(metadata, dict) or "Exceptions" not in metadata:
            continue
        entries = metadata["Exceptions"]
        if not isinstance(entries, list):
            found.append((f"{path}/Exceptions", entries))
            continue
        found.extend((f"{path}/Exceptions/{index}", entry) for index, entry in enumerate(entries))
    return found


def exception_record_problems(document: dict) -> list[str]:
    """Every recorded exception names the promise it departs from and says why: an object
    with a non-blank string Promise and a non-blank string Reason."""
    problems = []
    for path, entry in exception_records(document):
        if not isinstance(entry, dict):
            problems.append(f"{path}: not a {{Promise, Reason}} object: {entry!r:.120}")
            continue
        for name in ("Promise", "Reason"):
            value = entry.get(name)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{path}: {name} is missing or blank: {value!r:.120}")
    return problems
