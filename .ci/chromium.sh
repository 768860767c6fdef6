#!/usr/bin/env bash
# Makes headless Chromium available at /usr/bin/chromium for the report's browser tests
# (harness/src/report/*.int.test.ts drive it with playwright-core). Idempotent: does nothing
# when it is already there. Needs root and the apt registry the first time:
#   bash .ci/chromium.sh
# Exit status: 0 when /usr/bin/chromium runs, 1 otherwise.
set -u

chromium_bin=/usr/bin/chromium

if [ -x "$chromium_bin" ]; then
  echo "chromium.sh: $("$chromium_bin" --version 2>/dev/null || echo "$chromium_bin") already installed"
  exit 0
fi

echo "chromium.sh: installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q -o DPkg::Lock::Timeout=600 || { echo "chromium.sh: apt-get update failed" >&2; exit 1; }
apt-get install -y -q -o DPkg::Lock::Timeout=600 chromium \
  || { echo "chromium.sh: apt-get install chromium failed" >&2; exit 1; }

if "$chromium_bin" --version >/dev/null 2>&1; then
  echo "chromium.sh: $("$chromium_bin" --version) installed"
  exit 0
fi
echo "chromium.sh: $chromium_bin still missing after install" >&2
exit 1
