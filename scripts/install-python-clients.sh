#!/usr/bin/env bash
# Installs the third-party Acumatica client the interoperability test drives against the simulator
# (PyPI `easy-acumatica`, pinned) into .tools/python-clients. Idempotent.
set -euo pipefail
EASY_ACUMATICA_VERSION="0.6.1"
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/.tools/python-clients"
if [ -f "$target/.version-$EASY_ACUMATICA_VERSION" ]; then
  exit 0
fi
rm -rf "$target"
python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
  --target "$target" "easy-acumatica==$EASY_ACUMATICA_VERSION"
touch "$target/.version-$EASY_ACUMATICA_VERSION"
