#!/usr/bin/env bash
# Times whole processes with hyperfine: `synth --mdaa` over a generated
# estate of DOMAINS × 4 environments × 5 modules (1,000 instances by
# default), one `synth` of the default configuration, and `cdk synth` of the
# same stack written as a CDK app (bench/cdk-synth), installed from its lock
# file into a temporary folder. README's figures come from this script.
#
#   scripts/bench-estate.sh [DOMAINS]
#
# Needs hyperfine (Debian package `hyperfine`), and Node.js and npm for the
# CDK baseline (skipped when npm is missing).
set -euo pipefail

domains="${1:-50}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin synth
synth="$root/target/release/synth"

# The estate: the same five modules in every environment (three
# bedrock-settings, two audit), as crates/synth/benches/estate.rs builds it.
estate="$work/estate"
mkdir -p "$estate/configs"
printf 'enableAuditLoggingToCloudwatch: true\nenableAuditLoggingToS3: true\n' >"$estate/configs/both.yaml"
printf 'enableAuditLoggingToCloudwatch: false\nenableAuditLoggingToS3: true\n' >"$estate/configs/s3.yaml"
printf 'enableAuditLoggingToCloudwatch: true\nenableAuditLoggingToS3: false\n' >"$estate/configs/logs.yaml"
printf 'readRoles:\n  - arn: arn:{{partition}}:iam::{{account}}:role/Auditor\ninventoryPrefix: inventory/{{env}}/\n' >"$estate/configs/audit.yaml"
printf 'tags:\n  owner: data-platform\n' >"$estate/tags.yaml"
{
  printf 'organization: acme\nregion: eu-west-1\ntag_configs: [./tags.yaml]\nenv_templates:\n  governed:\n    modules:\n'
  for m in bedrock-settings:bedrock-settings:both bedrock-s3:bedrock-settings:s3 bedrock-logs:bedrock-settings:logs audit:audit:audit audit-archive:audit:audit; do
    IFS=: read -r name module config <<<"$m"
    printf "      %s:\n        module_path: '@aws-mdaa/%s'\n        module_configs: [./configs/%s.yaml]\n" "$name" "$module" "$config"
  done
  printf 'domains:\n'
  for ((d = 0; d < domains; d++)); do
    printf "  domain-%d:\n    account: '%012d'\n    environments:\n" "$d" $((100000 + d))
    for e in 0 1 2 3; do printf '      env-%d:\n        template: governed\n' "$e"; done
  done
} >"$estate/mdaa.yaml"
instances=$((domains * 4 * 5))

commands=(
  -n "synth (one template)" "$synth > $work/template.json"
  -n "synth --mdaa ($instances instances)" "$synth --mdaa $estate/mdaa.yaml --out-dir $work/out"
)
if command -v npm >/dev/null; then
  cp "$root/bench/cdk-synth/"{package.json,package-lock.json,app.js,cdk.json} "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --silent)
  commands+=(-n "cdk synth (one template)" "cd $work && CDK_DISABLE_VERSION_CHECK=1 npx cdk synth --no-notices --no-version-reporting -q > /dev/null")
else
  echo "npm not found: the cdk synth baseline is skipped" >&2
fi
hyperfine --warmup 1 --runs "${RUNS:-10}" "${commands[@]}"
