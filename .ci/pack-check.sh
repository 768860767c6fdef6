#!/usr/bin/env bash
# Shows that the packed package works from a fresh directory: `npm pack`, install the tarball
# (with tsx, which the bin needs, and vitest, which the example test needs) from the npm cache,
# run the bin (`npx raft-chaos scenario ...` on the simulation and on local processes, which
# bundles the node inside the installed package) and the library example test there.
# Usage: bash .ci/pack-check.sh   (exit 0 when all of them work; about 80-100 s, most of it npm install)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/raft-chaos-pack-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
step() { printf '== %s\n' "$*"; }

step "npm pack"
(cd "$repo" && npm pack --silent --pack-destination "$tmp") > "$tmp/packed.txt"
tarball="$tmp/$(tail -n 1 "$tmp/packed.txt")"
echo "$(basename "$tarball"): $(tar -tzf "$tarball" | wc -l) files, $(du -k "$tarball" | cut -f1) kB"

step "install into a fresh directory (offline, from the npm cache)"
mkdir "$tmp/app"
cd "$tmp/app"
printf '{ "name": "raft-chaos-user", "private": true, "type": "module" }\n' > package.json
tsx_spec="tsx@$(node -p "require('$repo/package.json').devDependencies.tsx")"
vitest_spec="vitest@$(node -p "require('$repo/package.json').devDependencies.vitest")"
npm install --offline --no-audit --no-fund --silent "$tarball" "$tsx_spec" "$vitest_spec"

step "bin: npx raft-chaos scenario partition-leader --runtime sim"
npx --no-install raft-chaos scenario partition-leader --runtime sim --seed 1 --report-dir reports --log-level warn | tail -n 3

step "bin on local processes: npx raft-chaos scenario baseline --runtime process"
npx --no-install raft-chaos scenario baseline --runtime process --seed 1 --report-dir reports --log-level warn | tail -n 3

step "library: the example test"
cp "$repo/examples/library/run-scenario.test.ts" .
npx --no-install vitest run --reporter=dot run-scenario.test.ts
