#!/usr/bin/env bash
# Sets up and runs every test of the project: formatting and lints, the Rust
# tests, and the Python-backed checks (handler against emulated Bedrock,
# deployments into a CloudFormation emulator, cfn-lint, checkov, cfn-guard,
# cdk-nag).
# Needs only Rust, Python 3 and Node.js 20+ with npm on the machine; installs the rest:
#   - Python tools into virtual environments (.venv, .venv-checkov,
#     .venv-old-botocore; override with VENV / CHECKOV_VENV / OLD_BOTOCORE_VENV),
#   - cfn-guard with cargo into target/tools,
#   - cdk-nag and the CDK app that runs it, from tests/cdk-nag/package-lock.json,
#     into tests/cdk-nag/node_modules,
#   - CDK's template diff, which the diff-corpus tool's test runs beside synth
#     diff, from bench/diff-corpus/cdk/package-lock.json,
#   - @aws-cdk/aws-service-spec, the second source of the generated replacement
#     facts, from crates/cfn-codegen/service-spec/package-lock.json (by
#     scripts/regenerate-l1.sh --check).
set -euo pipefail
cd "$(dirname "$0")"

VENV=${VENV:-$PWD/.venv}
CHECKOV_VENV=${CHECKOV_VENV:-$PWD/.venv-checkov}
OLD_BOTOCORE_VENV=${OLD_BOTOCORE_VENV:-$PWD/.venv-old-botocore}
CFN_GUARD_VERSION=3.2.1
TOOLS=$PWD/target/tools
NAG_DIR=$PWD/tests/cdk-nag
DIFF_CORPUS_CDK_DIR=$PWD/bench/diff-corpus/cdk

step() { printf '\n==> %s\n' "$*"; }

step "Python tools"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
[ -x "$CHECKOV_VENV/bin/python" ] || python3 -m venv "$CHECKOV_VENV"
"$CHECKOV_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/python/requirements-checkov.txt
[ -x "$OLD_BOTOCORE_VENV/bin/python" ] || python3 -m venv "$OLD_BOTOCORE_VENV"
"$OLD_BOTOCORE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/python/requirements-old-botocore.txt

step "cfn-guard $CFN_GUARD_VERSION"
if ! "$TOOLS/bin/cfn-guard" --version 2>/dev/null | grep -q "$CFN_GUARD_VERSION"; then
    cargo install --quiet --locked --root "$TOOLS" cfn-guard --version "$CFN_GUARD_VERSION"
fi

step "cdk-nag and CDK's template diff (Node.js packages)"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null \
    || ! command -v npm >/dev/null; then
    echo "error: cdk-nag and CDK's template diff need Node.js 20 or later and npm on PATH" >&2
    exit 1
fi
scripts/npm-ci-once.sh "$NAG_DIR"
scripts/npm-ci-once.sh "$DIFF_CORPUS_CDK_DIR"

step "Rust formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p cfn-template --features fixture-services --all-targets --quiet -- -D warnings

step "Rust tests"
cargo test --workspace
# The template of many resource types compiles only with their services' features.
cargo test -p cfn-template --features fixture-services --test all_resource_types
cargo build --quiet --bin synth
cargo build --quiet --bin console-login-alarms

step "Generated L1: current, complete, and every service compiles"
VENV=$VENV scripts/regenerate-l1.sh --check
CFN_LINT_PACKAGE=$("$VENV/bin/python" -c 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))') \
    cargo test --quiet -p cfn-codegen --test coverage -- --include-ignored --nocapture
start=$SECONDS
cargo check --quiet -p cfn-template --features full
echo "cargo check -p cfn-template --features full: $((SECONDS - start)) s"

step "Python lints"
"$VENV/bin/ruff" check crates/bedrock-settings/handler crates/audit/handler tests/python bench/diff-corpus
"$VENV/bin/ruff" format --check crates/bedrock-settings/handler crates/audit/handler tests/python bench/diff-corpus

step "Python tests"
export BEDROCK_SYNTH=$PWD/target/debug/synth
export CFN_GUARD=$TOOLS/bin/cfn-guard
export CHECKOV=$CHECKOV_VENV/bin/checkov
export CFN_LINT=$VENV/bin/cfn-lint
"$VENV/bin/python" -m pytest tests/python -q -p no:cacheprovider

step "Handler tests with a botocore older than the video and audio flags"
HANDLER_SDK_LACKS=videoDataDeliveryEnabled,audioDataDeliveryEnabled \
    "$OLD_BOTOCORE_VENV/bin/python" -m pytest tests/python/handler -q -p no:cacheprovider
