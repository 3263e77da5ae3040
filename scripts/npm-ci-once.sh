#!/usr/bin/env bash
# Installs the Node.js packages of DIR from its package-lock.json with
# `npm ci`, unless the lockfile is the one last installed there (npm ci
# reinstalls from scratch, which takes a while).
#
#   scripts/npm-ci-once.sh DIR
set -euo pipefail
dir=${1:?usage: scripts/npm-ci-once.sh DIR}
if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-package-lock.json"; then
    npm ci --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error
    cp "$dir/package-lock.json" "$dir/node_modules/.installed-package-lock.json"
fi
