#!/usr/bin/env bash
# Regenerates the typed L1 (crates/cfn-template/src/generated and the
# service features of crates/cfn-template/Cargo.toml) from the CloudFormation
# registry schemas shipped in the pinned cfn-lint release, and the
# replacement facts beyond them from the pinned @aws-cdk/aws-service-spec.
#
#   scripts/regenerate-l1.sh            regenerate from the pinned releases
#   scripts/regenerate-l1.sh 1.59.0     pin cfn-lint 1.59.0 (tests/python/requirements.txt),
#                                       install it, and regenerate: review `git diff`
#   scripts/regenerate-l1.sh --service-spec 0.1.217
#                                       pin @aws-cdk/aws-service-spec 0.1.217
#                                       (crates/cfn-codegen/service-spec), install it, and
#                                       regenerate: review `git diff`
#   scripts/regenerate-l1.sh --check    exit 1 when the committed files are stale
#
# The schemas come from the same package ./test.sh installs for linting, so
# the types and the linter always agree on what CloudFormation accepts. The
# service-spec database comes from the npm registry, checked against the
# integrity hash its package-lock.json records.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-$PWD/.venv}
REQUIREMENTS=tests/python/requirements.txt
SPEC_DIR=$PWD/crates/cfn-codegen/service-spec
mode=()
version=
spec_version=
while [ $# -gt 0 ]; do
    case "$1" in
        --check) mode=(--check) ;;
        --service-spec) spec_version=${2:?--service-spec needs a version}; shift ;;
        [0-9]*) version=$1 ;;
        *) echo "usage: $0 [--check] [CFN_LINT_VERSION] [--service-spec VERSION]" >&2; exit 2 ;;
    esac
    shift
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

if ! command -v npm >/dev/null; then
    echo "error: npm is needed to install @aws-cdk/aws-service-spec" >&2
    exit 1
fi
spec=$SPEC_DIR/node_modules/@aws-cdk/aws-service-spec
if [ -n "$spec_version" ]; then
    rm -f "$spec/db.json"
    npm install --prefix "$SPEC_DIR" --save-exact --ignore-scripts --no-audit --no-fund --loglevel=error \
        "@aws-cdk/aws-service-spec@$spec_version"
    cp "$SPEC_DIR/package-lock.json" "$SPEC_DIR/node_modules/.installed-package-lock.json"
fi
# npm ci reinstalls from scratch; skip it when the lockfile is the one last installed.
if ! cmp -s "$SPEC_DIR/package-lock.json" "$SPEC_DIR/node_modules/.installed-package-lock.json"; then
    rm -f "$spec/db.json"
    npm ci --prefix "$SPEC_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error
    cp "$SPEC_DIR/package-lock.json" "$SPEC_DIR/node_modules/.installed-package-lock.json"
fi
# The generator reads JSON; the package ships it gzipped.
if [ ! -f "$spec/db.json" ]; then
    gzip -dc "$spec/db.json.gz" > "$spec/db.json.partial"
    mv "$spec/db.json.partial" "$spec/db.json"
fi

cargo run --quiet -p cfn-codegen -- --cfn-lint "$package" --service-spec "$spec" "${mode[@]}"
