#!/usr/bin/env bash
# The test servers' Python venv (hsds_up.sh, s3_up.sh share one): make VENV
# when missing and pip-install the pinned packages when any differs, one
# installer at a time (servers may be started at once); then EXE must exist
# in VENV/bin.  Usage: scripts/venv_pins.sh VENV EXE NAME==VERSION...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 VENV EXE NAME==VERSION..." >&2; exit 2; }
VENV=$1 EXE=$2; shift 2
log() { echo "$(basename "$0"): $*" >&2; }
mkdir -p "$(dirname "$VENV")"
exec 9> "$VENV.install.lock"
flock 9
if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv $VENV"
  python3 -m venv "$VENV" >&2
fi
if [ ! -x "$VENV/bin/$EXE" ] || ! "$VENV/bin/python" - "$@" <<'PYEOF' 2>/dev/null
import re, sys
from importlib.metadata import version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    if version(re.sub(r"\[.*\]", "", name)) != want:  # moto[server] is moto
        sys.exit(1)
PYEOF
then
  log "installing $* into $VENV"
  "$VENV/bin/python" -m pip install -q "$@" >&2
fi
[ -x "$VENV/bin/$EXE" ] || { log "no $EXE in $VENV/bin after installing $*"; exit 1; }
