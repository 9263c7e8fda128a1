#!/bin/sh
# The image's commands: `api`, `worker`, or `connector <args>` (the operator CLI).
set -e
cmd="${1:-api}"
[ $# -gt 0 ] && shift
case "$cmd" in
  api) exec npx tsx api/main.ts "$@" ;;
  worker) exec npx tsx --max-old-space-size="${WORKER_MAX_OLD_SPACE_MB:-256}" workers/main.ts "$@" ;;
  connector) exec npx tsx cli/main.ts "$@" ;;
  *) echo "unknown command '$cmd': use api, worker or connector" >&2; exit 2 ;;
esac
