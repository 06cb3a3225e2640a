#!/usr/bin/env bash
# Run a command with a private HSDS server on loopback: HS_* set for it, the
# server stopped afterwards whatever happens.  with_server.sh CMD ARGS...
set -euo pipefail
: "${CB_SRC:?set CB_SRC to the source tree}"
export CB_VENV=${CB_VENV:-$CB_SRC/.venv}
dir=$(mktemp -d /tmp/cbhsrv.XXXXXX)
trap '"$CB_SRC/scripts/hsds_down.sh" "$dir/server" >/dev/null 2>&1; rm -rf "$dir"' EXIT
if ! "$CB_SRC/scripts/hsds_up.sh" "$dir/server" "${CB_HSDS_PORT:-5101}" > "$dir/up.log" 2>&1; then
  cat "$dir/up.log"; echo "could not start HSDS"; exit 1
fi
# shellcheck disable=SC1091
source "$dir/server/env.sh"
"$@"
