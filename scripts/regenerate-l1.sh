#!/usr/bin/env bash
# Regenerates the typed L1 (crates/cfn-template/src/generated and the
# service features of crates/cfn-template/Cargo.toml) from the CloudFormation
# registry schemas shipped in the pinned cfn-lint release.
#
#   scripts/regenerate-l1.sh            regenerate from the pinned release
#   scripts/regenerate-l1.sh 1.59.0     pin cfn-lint 1.59.0 (tests/python/requirements.txt),
#                                       install it, and regenerate: review `git diff`
#   scripts/regenerate-l1.sh --check    exit 1 when the committed files are stale
#
# The schemas come from the same package ./test.sh installs for linting, so
# the types and the linter always agree on what CloudFormation accepts.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-$PWD/.venv}
REQUIREMENTS=tests/python/requirements.txt
mode=()
version=
for arg in "$@"; do
    case "$arg" in
        --check) mode=(--check) ;;
        [0-9]*) version=$arg ;;
        *) echo "usage: $0 [--check] [CFN_LINT_VERSION]" >&2; exit 2 ;;
    esac
done

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if [ -n "$version" ]; then
    sed -i "s/^cfn-lint==[^ ]*/cfn-lint==$version/" "$REQUIREMENTS"
fi
pinned=$(sed -n 's/^cfn-lint==\([^ ]*\).*/\1/p' "$REQUIREMENTS")
installed=$("$VENV/bin/python" -c 'import cfnlint.version as v; print(v.__version__)' 2>/dev/null || true)
if [ "$installed" != "$pinned" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "cfn-lint==$pinned"
fi
package=$("$VENV/bin/python" -c 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))')

cargo run --quiet -p cfn-codegen -- --cfn-lint "$package" "${mode[@]}"
