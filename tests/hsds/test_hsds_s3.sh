#!/usr/bin/env bash
# HSDS storing in S3: a real moto server that checks every signature
# (scripts/s3_up.sh) as HSDS's storage (scripts/hsds_up.sh with
# CB_HS_STORAGE=s3), then chunkbench create / write (MPI dynamic on 2 ranks,
# then 2 independent --schedule server writers) / verify / read against it:
# every task exactly once, the values verify (chunkbench and h5pyd), and the
# chunks are objects in the moto bucket, written with the key s3_up made.
# Env: as tests/hsds/common.sh says.
set -uo pipefail
# shellcheck disable=SC1091
source "${CB_SRC:?set CB_SRC to the source tree}/tests/hsds/common.sh"
WORK=$(mktemp -d /tmp/cbhsds3.XXXXXX)
HS=$WORK/server S3=$WORK/s3
cleanup() {
  "$CB_SRC/scripts/hsds_down.sh" "$HS" >/dev/null 2>&1
  "$CB_SRC/scripts/s3_down.sh" "$S3" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "FAIL: $*"; exit 1; }

if ! "$CB_SRC/scripts/s3_up.sh" --install-only > "$WORK/install.log" 2>&1; then
  echo "SKIP: cannot install moto[server] into $CB_VENV: $(tail -3 "$WORK/install.log")"; exit 77
fi
PY=$CB_VENV/bin/python
S3PORT=$("$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
"$CB_SRC/scripts/s3_up.sh" "$S3" "$S3PORT" > "$WORK/s3up.log" 2>&1 || { cat "$WORK/s3up.log"; die "s3_up"; }
# shellcheck disable=SC1091
source "$S3/env.sh"
CB_HS_STORAGE=s3 "$CB_SRC/scripts/hsds_up.sh" "$HS" "$PORT" > "$WORK/up.log" 2>&1 ||
  { tail -20 "$WORK/up.log"; die "hsds_up with S3 storage"; }
# shellcheck disable=SC1091
source "$HS/env.sh"
[ "$HS_BUCKET" = "$CB_S3_BUCKET" ] || die "HS_BUCKET $HS_BUCKET, not the S3 bucket $CB_S3_BUCKET"
[ ! -e "$HS/data" ] || die "posix storage made under S3 storage"
# The secret, for grep -f: on grep's command line it would be in ps itself.
(umask 077; printf '%s\n' "$AWS_SECRET_ACCESS_KEY" > "$WORK/secret")
# Only override.yml (0600, the server's own) may hold it in the server's directory.
[ "$(stat -c %a "$HS/override.yml")" = 600 ] || die "override.yml is not 0600"
grep -rlFf "$WORK/secret" --exclude=override.yml "$HS" && die "the S3 secret is in the files above (HSDS's logs)"
ps -eww -o args= > "$WORK/ps.txt"
grep -q "hsds-node --node_type=dn" "$WORK/ps.txt" || die "no data node in ps (the check below would prove nothing)"
grep -qFf "$WORK/secret" "$WORK/ps.txt" && die "the S3 secret is in the process list"
D=hdf5://home/$HS_USERNAME
check() { "$PY" "$CB_SRC/tests/hsds/hs_check.py" "$@"; }

# MPI dynamic on 2 ranks: 4 x 5 = 20 tasks of 1.28 MB (HSDS keeps chunks of 1-4 MiB).
T=$D/s3dyn.h5
"$B" create "$T" 1600 2000 --chunk 400,400 -q || die "create"
mpi 2 "$B" write "$T" --schedule dynamic -q --json "$WORK/dyn.json" || die "mpi dynamic write"
[ "$(json "$WORK/dyn.json" "d['tasks']['complete']")" = 20 ] || die "dynamic: not 20 complete: $(cat "$WORK/dyn.json" | head -c 300)"
"$B" verify "$T" -q || die "verify (dynamic)"
check "$T" --complete 20 --in-progress 0 > /dev/null || die "h5pyd check (dynamic)"
mpi 2 "$B" read "$T" --verify > "$WORK/read.out" 2>&1 || die "read: $(tail -3 "$WORK/read.out")"
grep -q "^verify:       OK" "$WORK/read.out" || die "read --verify: $(tail -3 "$WORK/read.out")"

# Two independent --schedule server writers share a domain: every task once.
T2=$D/s3srv.h5
"$B" create "$T2" 1600 2000 --chunk 400,400 -q || die "create (server)"
"$B" write "$T2" --schedule server -q --json "$WORK/a.json" & p1=$!
"$B" write "$T2" --schedule server -q --json "$WORK/b.json" & p2=$!
wait $p1 || die "server writer 1"
wait $p2 || die "server writer 2"
a=$(json "$WORK/a.json" "d['passes']['list'][0]['tasks']") b=$(json "$WORK/b.json" "d['passes']['list'][0]['tasks']")
[ $((a + b)) = 20 ] || die "server writers wrote $a + $b tasks, not 20"
check "$T2" --complete 20 --in-progress 0 > /dev/null || die "h5pyd check (server)"
"$B" verify "$T2" -q || die "verify (server)"

# The data is in the bucket: HSDS's chunk objects (.../d/<dset id>/<i>_<j>),
# at least one per chunk of both datasets, listed with the same signed key.
"$PY" - "$CB_S3_BUCKET" <<'EOF' || die "objects in the bucket"
import re, sys, boto3
s3 = boto3.client("s3")
keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1]) for o in p.get("Contents", [])]
chunks = [k for k in keys if re.search(r"/d/[^/]+/\d+_\d+$", k)]
# 2 datasets x 20 chunks; task tables add one chunk each
assert len(chunks) >= 40, (len(chunks), len(keys), keys[:10])
print(f"{len(keys)} objects, {len(chunks)} chunks")
EOF
# And that bucket refuses a wrong key: the storage is really signed.
AWS_SECRET_ACCESS_KEY=wrong "$PY" -c "
import sys, boto3, botocore
try:
    boto3.client('s3').list_objects_v2(Bucket=sys.argv[1]); sys.exit('listed with a wrong secret')
except botocore.exceptions.ClientError as e:
    assert e.response['ResponseMetadata']['HTTPStatusCode'] == 403, e.response
" "$CB_S3_BUCKET" || die "the bucket accepted a wrong secret"
echo "all passed"
