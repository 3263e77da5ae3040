#!/usr/bin/env bash
# Measures `synth diff` against CDK's template diff on real template history,
# in one command (README.md beside this script says how to read the figures).
#
#   bench/diff-corpus/run.sh [--fresh] [--cap-per-repo N] [--synth BIN] WORKDIR OWNER/NAME=CLONE...
#
# WORKDIR receives the corpus (WORKDIR/corpus) and the per-pair results
# (WORKDIR/results); each CLONE is a clone of the named public repository.
# Without --fresh, the pairs are exactly those of measured/manifest.jsonl;
# with it, the history of the clones is walked again and the new manifest
# replaces the committed one. The figures go to measured/summary.md and
# measured/summary.json. Without --synth, synth is built with
# `cargo build --release` (the figures include timings).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
CDK_DIR=$HERE/cdk
MEASURED=$HERE/measured

usage() {
    sed -n '5p' "$0" | sed 's/^# */usage: /' >&2
    exit 2
}

fresh=0 cap=() synth=""
while [ $# -gt 0 ]; do
    case "$1" in
        --fresh) fresh=1; shift ;;
        --cap-per-repo) cap=(--cap-per-repo "$2"); shift 2 ;;
        --synth) synth=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "error: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -ge 2 ] || usage
work=$1; shift

if [ ! -x "$PYTHON" ]; then
    echo "error: $PYTHON not found: run ./test.sh once (it makes .venv), or set PYTHON" >&2
    exit 1
fi
"$ROOT/scripts/npm-ci-once.sh" "$CDK_DIR"
if [ -z "$synth" ]; then
    (cd "$ROOT" && cargo build --quiet --release --bin synth)
    synth=${CARGO_TARGET_DIR:-$ROOT/target}/release/synth
fi

mkdir -p "$work"
# Only what an earlier run of this script made is replaced.
for made in corpus results; do
    if [ -e "$work/$made" ] && [ ! -e "$work/$made/manifest.jsonl" ] && [ ! -e "$work/$made/run.json" ]; then
        echo "error: $work/$made exists and was not made by this script; choose another WORKDIR" >&2
        exit 1
    fi
done
rm -rf "$work/corpus"

export PYTHONPATH=$HERE
if [ "$fresh" = 1 ]; then
    "$PYTHON" -m diffcorpus assemble "${cap[@]}" "$work/corpus" "$@"
else
    "$PYTHON" -m diffcorpus assemble --manifest "$MEASURED/manifest.jsonl" "$work/corpus" "$@"
fi
"$PYTHON" -m diffcorpus compare --synth "$synth" "$work/corpus" "$work/results"
mkdir -p "$MEASURED"
if [ "$fresh" = 1 ]; then
    cp "$work/corpus/manifest.jsonl" "$work/corpus/assembly.json" "$MEASURED/"
fi
"$PYTHON" -m diffcorpus report "$work/results" \
    --json "$MEASURED/summary.json" --markdown "$MEASURED/summary.md"
