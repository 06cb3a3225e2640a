#!/bin/bash
# Start a private HSDS for tests: POSIX storage under DIR/data, log DIR/hsds.log,
# clients use http://127.0.0.1:PORT. Writes DIR/env.sh (source it for
# HS_ENDPOINT, HS_USERNAME, HS_PASSWORD, HS_BUCKET) and DIR/hsds.pid.
# The password is on no command line (ps shows those to every user): the
# server reads it from DIR/passwd.txt, and it and env.sh are mode 0600.
# Usage: scripts/hsds_up.sh DIR [PORT]       (stop with scripts/hsds_down.sh DIR)
#        scripts/hsds_up.sh --install-only   (the venv and packages alone: for a
#                                             server later started where there is no network)
# Env: CB_VENV (default <repo>/.venv), CB_HSDS_PINS (package versions),
#      CB_HS_USER / CB_HS_PASSWORD (default test_user1 / test),
#      CB_HS_HOST (default 127.0.0.1): the name clients reach the server by,
#      for a server run inside a network namespace host that other hosts
#      reach (`tests/multihost/hosts.sh on cbhost1 env CB_HS_HOST=cbhost1 ...`).
#      CB_HS_STORAGE=posix (default: DIR/data) | s3: store in an S3 bucket
#      instead, from the caller's environment as scripts/s3_up.sh's env.sh
#      sets it (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
#      AWS_REGION, CB_S3_BUCKET: HS_BUCKET is then that bucket). The keys
#      reach hsds through DIR/override.yml (mode 0600, its
#      CONFIG_OVERRIDE_PATH), never a command line.
# Note: hsds also binds its data nodes to ports 6101.. (fixed in hsds), so only
# one such server can run in a network namespace at a time.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] && [ -n "$1" ] || { echo "usage: $0 DIR [PORT] | --install-only" >&2; exit 2; }
INSTALL_ONLY=0
if [ "$1" = --install-only ]; then
  INSTALL_ONLY=1
else
  mkdir -p "$1"
  DIR=$(cd "$1" && pwd)
  [ "$DIR" != / ] || { echo "refusing DIR=/" >&2; exit 2; }
fi
PORT=${2:-5101}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
VENV=${CB_VENV:-$REPO/.venv}
HS_USER=${CB_HS_USER:-test_user1}
HS_PASS=${CB_HS_PASSWORD:-test}
BUCKET=hsdstest
STORAGE=${CB_HS_STORAGE:-posix}
case "$STORAGE" in
  posix) ;;
  s3)
    for v in AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY CB_S3_BUCKET; do
      [ -n "${!v:-}" ] || { echo "hsds_up: CB_HS_STORAGE=s3 needs $v (source the env.sh of scripts/s3_up.sh)" >&2; exit 2; }
    done
    BUCKET=$CB_S3_BUCKET ;;
  *) echo "hsds_up: CB_HS_STORAGE is posix or s3, not '$STORAGE'" >&2; exit 2 ;;
esac
COUNT=2
log() { echo "hsds_up: $*" >&2; }

# Versions this project was tested with; bump together. CB_HSDS_PINS replaces
# them (e.g. "hsds==0.9.4 h5pyd==0.24.0" in another CB_VENV: that pair also
# works, and there h5pyd's update_where is the server's atomic query-update).
# shellcheck disable=SC2206
PINS=(${CB_HSDS_PINS:-hsds==1.0.2 h5pyd==1.0.0 numpy==2.4.6 h5py==3.16.0})
# The curl driver's bench: h5py + fsspec over HTTP (bench/fsspec_compare.sh).
PINS+=(fsspec==2026.9.0 aiohttp==3.14.3)

# 1. The venv and the pinned packages, only when missing (shared with s3_up.sh).
"$HERE/venv_pins.sh" "$VENV" hsds "${PINS[@]}"
PY=$VENV/bin/python
[ $INSTALL_ONLY = 0 ] || exit 0

# 2. A server left from an earlier run in this DIR: stop it first.
if [ -f "$DIR/hsds.pid" ]; then "$HERE/hsds_down.sh" "$DIR" >&2 || true; fi

# The service port and the data node ports must be free, or we would be
# talking to someone else's server.
# A server that was just stopped may take a few seconds to let go of them.
"$PY" - "$PORT" $(seq 6101 $((6100 + COUNT))) <<'EOF' || exit 1
import socket, sys, time
deadline = time.time() + 60
for p in map(int, sys.argv[1:]):
    while True:
        s = socket.socket()
        busy = s.connect_ex(("127.0.0.1", p)) == 0
        s.close()
        if not busy:
            break
        if time.time() > deadline:
            sys.exit(f"hsds_up: port {p} is in use (another HSDS? stop it with scripts/hsds_down.sh)")
        time.sleep(1)
EOF

[ "$STORAGE" = s3 ] || mkdir -p "$DIR/data/$BUCKET"
rm -f "$DIR/env.sh"   # the log is appended to: a restart keeps the earlier lines
# Files holding the password: the owner's alone, from their first byte.
umask 077
# Where hsds stores: a directory, or (s3) the bucket, with the keys in an
# override file that the server and its nodes read (hsds overrides only keys
# of its own config.yml, and these are all there).
STORE_ARGS=(--root_dir "$DIR/data")
if [ "$STORAGE" = s3 ]; then
  STORE_ARGS=()
  cat > "$DIR/override.yml" <<YML
aws_s3_gateway: '$AWS_ENDPOINT_URL'
aws_access_key_id: '$AWS_ACCESS_KEY_ID'
aws_secret_access_key: '$AWS_SECRET_ACCESS_KEY'
aws_region: '${AWS_REGION:-us-east-1}'
bucket_name: '$BUCKET'
YML
else
  rm -f "$DIR/override.yml"
fi
# HSDS's own password file (user:password lines); the start-up user is its
# admin (ADMIN_USER), as --hs_username would make it.
printf '%s:%s\n' "$HS_USER" "$HS_PASS" > "$DIR/passwd.txt"

# 3. Start it in its own session (so hsds_down can signal the whole group),
#    from DIR (hsds reads ./config.yml and ./.hscfg) and with a clean
#    environment (hsds takes any upper-cased config key from the environment).
(
  cd "$DIR"
  exec setsid env -i PATH="$VENV/bin:/usr/bin:/bin" HOME="$DIR" LANG=C.UTF-8 ADMIN_USER="$HS_USER" \
    CONFIG_OVERRIDE_PATH="$DIR/override.yml" \
    "$VENV/bin/hsds" "${STORE_ARGS[@]}" --bucket_name "$BUCKET" \
      --password_file "$DIR/passwd.txt" --port "$PORT" \
      --count "$COUNT" --logfile "$DIR/hsds.log" >"$DIR/hsds.out" 2>&1 </dev/null
) &
PID=$!
echo "$PID" > "$DIR/hsds.pid"

# 4. Ready when a domain lookup answers 200 or 404 (not 500/503, not refused);
#    /about says READY before the data nodes are.
ENDPOINT=http://${CB_HS_HOST:-127.0.0.1}:$PORT
# The password reaches the check through the environment, not its arguments.
if ! CB_HS_PW="$HS_PASS" "$PY" - "$ENDPOINT" "$HS_USER" "$PID" <<'EOF'
import base64, os, sys, time, urllib.request, urllib.error
ep, user, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
pw = os.environ["CB_HS_PW"]
auth = "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()

def req(method, domain, body=None):
    r = urllib.request.Request(f"{ep}/?domain={domain}", method=method, data=body,
                               headers={"Authorization": auth, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(r, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0

deadline = time.time() + 90
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("hsds_up: the server exited during start-up")
    if req("GET", "/home") in (200, 404):
        break
    if time.time() > deadline:
        sys.exit("hsds_up: the server did not become ready within 90 s")
    time.sleep(0.5)
# The start-up user is the admin, who alone may create top-level folders.
for d, body in (("/home", b'{"folder": true}'),
                (f"/home/{user}", b'{"folder": true, "owner": "%s"}' % user.encode())):
    # Data nodes can still be joining after the first good answer: retry 5xx.
    while True:
        code = req("PUT", d, body)
        if code in (201, 409):
            break
        if code < 500 or time.time() > deadline:
            sys.exit(f"hsds_up: creating folder {d} answered {code}")
        time.sleep(0.5)
EOF
then
  tail -n 20 "$DIR/hsds.log" "$DIR/hsds.out" >&2 2>/dev/null || true
  "$HERE/hsds_down.sh" "$DIR" >&2 || true
  exit 1
fi

cat > "$DIR/env.sh" <<ENV
export HS_ENDPOINT=$ENDPOINT
export HS_USERNAME=$HS_USER
export HS_PASSWORD=$HS_PASS
export HS_BUCKET=$BUCKET
ENV
log "up: $ENDPOINT (pid $PID, $STORAGE storage); source $DIR/env.sh"
