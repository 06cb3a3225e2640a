#!/usr/bin/env bash
# Signed S3 reads (HDF5's ros3 driver) against a real S3-compatible server on
# 127.0.0.1 (moto, scripts/s3_up.sh) that checks every signature: files made
# by chunkbench, uploaded with a signed PUT (boto3), read back and verified
# on 2 ranks as s3://BUCKET/KEY (AWS_ENDPOINT_URL, --s3-endpoint) and as
# http://ENDPOINT/BUCKET/KEY (and AWS_ENDPOINT_URL_S3, status), with keys from the AWS variables and from a
# profile; a session token (refused before HDF5 1.14.2, read with it after);
# then the failures, each one line with its exit code: wrong secret, unknown
# key id, no keys, missing object, missing bucket, bad endpoint. The secret
# must appear in no output, report, log or process list.
# Env: CB_VENV (default $CB_SRC/.venv; moto is installed there if missing:
# the test skips, 77, only if that install fails).
source "$(dirname "$0")/../hdf5/lib.sh"
export CB_VENV=${CB_VENV:-$CB_SRC/.venv}
VPY=$CB_VENV/bin/python
S3=$WORK/s3
cleanup() { "$CB_SRC/scripts/s3_down.sh" "$S3" >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT
if ! "$CB_SRC/scripts/s3_up.sh" --install-only > "$WORK/install.log" 2>&1; then
  echo "SKIP: cannot install moto[server] into $CB_VENV: $(tail -3 "$WORK/install.log")"; exit 77
fi
PORT=$("$VPY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
"$CB_SRC/scripts/s3_up.sh" "$S3" "$PORT" > "$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; echo "FAIL: s3_up"; exit 1; }
# shellcheck disable=SC1091
source "$S3/env.sh"
SECRET=$AWS_SECRET_ACCESS_KEY KEYID=$AWS_ACCESS_KEY_ID EP=$AWS_ENDPOINT_URL BK=$CB_S3_BUCKET
# The secrets, for grep -f: on grep's command line they would be in ps.
# A wrong secret: the last character changed (to Z, or to Y where it was Z:
# moto's secrets are random, and one that ended in Z once read fine here).
WRONG=${SECRET%?}Z; [ "$WRONG" != "$SECRET" ] || WRONG=${SECRET%?}Y
(umask 077; printf '%s\n' "$SECRET" > "$WORK/secret"; printf '%s\n' "$WRONG" > "$WORK/wrong-secret")
OUT=$WORK/outputs; mkdir -p "$OUT"   # everything chunkbench printed, for the secret check
n=0
# expect (lib.sh) keeps its outputs here too.
eval "lib_expect() $(declare -f expect | tail -n +2)"
expect() { lib_expect "$@"; cat "$WORK/out" "$WORK/err" >> "$OUT/expect.all"; }
# expect without the AWS variables, HOME the temporary one (below).
noenv_expect() {
  local before=$FAILS
  ( unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION AWS_DEFAULT_REGION; export HOME=$H; expect "$@"
    [ "$FAILS" -eq "$before" ] ) || FAILS=$((FAILS + 1))
}
run() { n=$((n + 1)); mpi 2 "$CHUNKBENCH" "$@" > "$OUT/$n.out" 2> "$OUT/$n.err"; }
verified() { grep -q "^verify:       OK" "$OUT/$n.out" || fail "$1: no verify OK line: $(head -c 400 "$OUT/$n.err")"; }

# Files made by chunkbench, uploaded with signed PUTs.
"$CHUNKBENCH" create "$WORK/a.h5" 370 530 --chunk 100,160 -q
mpi 2 "$CHUNKBENCH" write "$WORK/a.h5" -q || fail "write a.h5"
"$CHUNKBENCH" create "$WORK/p.h5" 400 400 --chunk 20,20 --page-size 64K --values smooth -q
mpi 2 "$CHUNKBENCH" write "$WORK/p.h5" -q || fail "write p.h5"
"$VPY" - "$BK" "$WORK" <<'EOF' || fail "upload"
import sys, boto3
s3 = boto3.client("s3")   # keys, region and endpoint from the AWS variables
for k in ("a.h5", "p.h5"):
    s3.upload_file(f"{sys.argv[2]}/{k}", sys.argv[1], f"dir/{k}")
assert s3.head_object(Bucket=sys.argv[1], Key="dir/a.h5")["ContentLength"] > 0
EOF

# 1. Keys from the AWS variables, s3:// through AWS_ENDPOINT_URL, every
#    output written; the JSON says ros3 and every chunk was read once.
L0=$(wc -l < "$S3/moto.log")
run read "s3://$BK/dir/a.h5" --verify --schedule dynamic --json "$OUT/r.json" --csv "$OUT/r.csv" \
  --report "$OUT/r.html" --log "$OUT/log.csv" || fail "signed read: $(cat "$OUT/$n.err")"
verified "signed read"
"$VPY" - "$OUT/r.json" "$OUT/log.csv" <<'EOF' || fail "signed read: json/log"
import csv, json, sys
d = json.load(open(sys.argv[1]))
assert d["driver"] == "ros3" and d["tasks"]["complete"] == 16 and d["requests"]["raw_requests"] == 16, d
assert len(list(csv.DictReader(open(sys.argv[2])))) >= 16
EOF
# moto served them (werkzeug's request lines): the probe and every logged
# read as a signed 206, nothing refused.
tail -n +$((L0 + 1)) "$S3/moto.log" | sed 's/\x1b\[[0-9;]*m//g' > "$WORK/moto-run.log"   # werkzeug colours them
got=$(grep -c "\"GET /$BK/dir/a.h5 HTTP/1.1\" 206" "$WORK/moto-run.log" || true)
logged=$(($(wc -l < "$OUT/log.csv") - 1))
# (HDF5 1.14's ros3 GETs the first 16 MiB at an open and serves the reads
# there itself, tests/read/test_ros3.sh: then the probe and one GET an open.)
H5V=$(hdf5_version)
if [ "$(ros3_open_prefix)" -gt 0 ]; then want=3; else want=$((logged + 1)); fi
[ "$got" -ge "$want" ] || fail "moto answered $got ranged GETs, the log has $logged reads + the probe (HDF5 $H5V)"
grep -q '" 40[0-9] ' "$WORK/moto-run.log" && fail "moto refused requests of a good read: $(grep '" 40' "$WORK/moto-run.log" | head -3)"
# --s3-endpoint instead of the variable; the http:// path-style form.
run read "s3://$BK/dir/p.h5" --verify --s3-endpoint "$EP/" --preset tuned || fail "--s3-endpoint: $(cat "$OUT/$n.err")"
verified "--s3-endpoint"
n=$((n + 1)); AWS_ENDPOINT_URL= "$CHUNKBENCH" read "s3://$BK/dir/a.h5" --verify --s3-endpoint "$EP" > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "--s3-endpoint without AWS_ENDPOINT_URL"
verified "--s3-endpoint without AWS_ENDPOINT_URL"
n=$((n + 1)); "$CHUNKBENCH" read "$EP/$BK/dir/a.h5" --verify > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "http form: $(cat "$OUT/$n.err")"
verified "http form"
# AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL (as for the AWS CLI); status reads s3:// too.
n=$((n + 1)); AWS_ENDPOINT_URL_S3=$EP AWS_ENDPOINT_URL=http://127.0.0.1:1 "$CHUNKBENCH" read "s3://$BK/dir/a.h5" \
  --verify > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "AWS_ENDPOINT_URL_S3: $(cat "$OUT/$n.err")"
verified "AWS_ENDPOINT_URL_S3"
n=$((n + 1)); "$CHUNKBENCH" status "s3://$BK/dir/a.h5" > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "status: $(cat "$OUT/$n.err")"
grep -q "r1@" "$OUT/$n.out" || fail "status over S3: no pod counts: $(head -c 300 "$OUT/$n.out")"

# 2. Keys from a profile in a temporary ~/.aws: AWS_PROFILE, --s3-profile,
#    AWS_SHARED_CREDENTIALS_FILE; the region from the profile's config.
H=$WORK/home; mkdir -p "$H/.aws"
( umask 077
  printf '[cb]\naws_access_key_id = %s\naws_secret_access_key = %s\n[bad]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$KEYID" "$SECRET" "$KEYID" "${SECRET}x" > "$H/.aws/credentials"
  printf '[profile cb]\nregion = us-east-1\n' > "$H/.aws/config" )
noenv() { env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_REGION -u AWS_DEFAULT_REGION HOME="$H" "$@"; }
n=$((n + 1)); noenv AWS_PROFILE=cb timeout 120 mpirun -n 2 "$CHUNKBENCH" read "s3://$BK/dir/a.h5" --verify \
  > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "AWS_PROFILE: $(cat "$OUT/$n.err")"
verified "AWS_PROFILE"
n=$((n + 1)); noenv "$CHUNKBENCH" read "s3://$BK/dir/a.h5" --verify --s3-profile cb \
  > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "--s3-profile: $(cat "$OUT/$n.err")"
verified "--s3-profile"
mv "$H/.aws/credentials" "$WORK/creds"
n=$((n + 1)); noenv AWS_SHARED_CREDENTIALS_FILE="$WORK/creds" AWS_PROFILE=cb "$CHUNKBENCH" \
  read "s3://$BK/dir/a.h5" --verify > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "AWS_SHARED_CREDENTIALS_FILE: $(cat "$OUT/$n.err")"
verified "AWS_SHARED_CREDENTIALS_FILE"

# 3. Temporary credentials (moto checks the token of an assumed role).
"$VPY" - "$CB_S3_ROLE_ARN" "$WORK/token.env" <<'EOF' || fail "assume-role"
import os, sys, boto3
c = boto3.client("sts").assume_role(RoleArn=sys.argv[1], RoleSessionName="chunkbench")["Credentials"]
os.umask(0o077)
with open(sys.argv[2], "w") as f:
    f.write(f"TOK_ID={c['AccessKeyId']}\nTOK_SECRET={c['SecretAccessKey']}\nTOK={c['SessionToken']}\n")
EOF
# shellcheck disable=SC1091
source "$WORK/token.env"
tok() { AWS_ACCESS_KEY_ID=$TOK_ID AWS_SECRET_ACCESS_KEY=$TOK_SECRET AWS_SESSION_TOKEN=$TOK "$@"; }
if printf '%s\n' 1.14.2 "$H5V" | sort -V -C; then   # HDF5 >= 1.14.2: ros3 sends the token
  n=$((n + 1)); tok timeout 120 mpirun -n 2 "$CHUNKBENCH" read "s3://$BK/dir/a.h5" --verify \
    > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "session token: $(cat "$OUT/$n.err")"
  verified "session token"
else
  tok expect 2 "has a session token (temporary credentials), but this chunkbench is built with HDF5 $H5V" 2 \
    read "s3://$BK/dir/a.h5"
fi
# A token that is not the one, and none: the probe (signed as ros3 signs) says so.
AWS_ACCESS_KEY_ID=$TOK_ID AWS_SECRET_ACCESS_KEY=$TOK_SECRET AWS_SESSION_TOKEN=${TOK%??}xx \
  expect 2 "(InvalidToken): the session token from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY is expired or not valid" 0 read "s3://$BK/dir/a.h5"
AWS_ACCESS_KEY_ID=$TOK_ID AWS_SECRET_ACCESS_KEY=$TOK_SECRET expect 2 "403 (InvalidAccessKeyId)" 0 read "s3://$BK/dir/a.h5"

# 4. Failures: one line, exit 2, before HDF5 sees the URL.
AWS_SECRET_ACCESS_KEY=$WRONG expect 2 "answered 403 (SignatureDoesNotMatch): the secret key from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" 2 read "s3://$BK/dir/a.h5"
cp "$WORK/err" "$OUT/wrong.err"
AWS_SHARED_CREDENTIALS_FILE="$WORK/creds" noenv_expect 2 "403 (SignatureDoesNotMatch): the secret key from profile 'bad'" 0 read "s3://$BK/dir/a.h5" --s3-profile bad
AWS_ACCESS_KEY_ID=AKIA0000000000000000 expect 2 "answered 403 (InvalidAccessKeyId)" 0 read "s3://$BK/dir/a.h5"
noenv_expect 2 "answered 403 (forbidden); check the URL (a private object? set AWS_ACCESS_KEY_ID" 0 read "s3://$BK/dir/a.h5"
expect 2 "$EP/$BK/dir/none.h5: the server answered 404 (NoSuchKey)" 2 read "s3://$BK/dir/none.h5"
expect 2 "$EP/nobucket/a.h5: the server answered 404 (NoSuchBucket)" 0 read "s3://nobucket/a.h5"
expect 2 "the server answered 404 (NoSuchKey)" 0 read "$EP/$BK/none.h5"
expect 2 "--s3-endpoint 'ftp://x' is not an http:// or https:// address" 0 read "s3://$BK/dir/a.h5" --s3-endpoint ftp://x
AWS_ENDPOINT_URL=127.0.0.1:1 expect 2 "AWS_ENDPOINT_URL '127.0.0.1:1' is not an http:// or https:// address" 0 read "s3://$BK/dir/a.h5"
expect 2 "--s3-endpoint places s3://BUCKET/KEY targets" 0 read "$EP/$BK/dir/a.h5" --s3-endpoint "$EP"
expect 2 "--s3-endpoint carries user:password@" 0 read "s3://$BK/dir/a.h5" --s3-endpoint "http://u:p@127.0.0.1:$PORT"
expect 2 "--s3-region, --s3-profile, --s3-endpoint and --ca-file apply to URLs" 0 read "$WORK/a.h5" --s3-endpoint "$EP"
DEAD=$("$VPY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
expect 3 "Failed to connect to 127.0.0.1 port $DEAD" 0 read "s3://$BK/dir/a.h5" --s3-endpoint "http://127.0.0.1:$DEAD"
# The region: moto (5.2.5) does not check the region in the signature's
# scope, so a read signed for another region still verifies here (AWS itself
# answers 400 AuthorizationHeaderMalformed, which the probe names). If moto
# starts checking, this fails and the expectation should change.
n=$((n + 1)); AWS_REGION=eu-west-1 "$CHUNKBENCH" read "s3://$BK/dir/a.h5" --verify > "$OUT/$n.out" 2> "$OUT/$n.err" || fail "moto now checks the region: $(cat "$OUT/$n.err")"
verified "region"

# 5. The secret in no output, file, server log or process list. The list is
#    sampled while a longer read (every chunk of p.h5, 20x20) runs.
mpi 2 "$CHUNKBENCH" read "s3://$BK/dir/p.h5" --verify --chunk-cache 0 > "$OUT/ps-run.out" 2>&1 & RP=$!
: > "$WORK/ps.txt"; seen=0
while kill -0 "$RP" 2>/dev/null; do
  ps -eww -o args= >> "$WORK/ps.txt"; sleep 0.05
done
wait "$RP" || fail "read under ps: $(tail -3 "$OUT/ps-run.out")"
grep -q "chunkbench read s3://$BK/dir/p.h5" "$WORK/ps.txt" && seen=1
[ "$seen" = 1 ] || fail "ps never saw the read running (the check would prove nothing)"
grep -qFf "$WORK/secret" "$WORK/ps.txt" && fail "the secret is in the process list"
grep -qFf "$WORK/wrong-secret" "$OUT/wrong.err" && fail "the wrong secret is in its error line"
[ -s "$OUT/r.html" ] && [ -s "$OUT/r.csv" ] && [ -s "$OUT/log.csv" ] || fail "outputs missing"
grep -rlFf "$WORK/secret" "$OUT" "$S3/moto.log" && fail "the secret is in the files above"
(umask 077; printf '%s\n' "$TOK_SECRET" > "$WORK/tok-secret")
grep -rlFf "$WORK/tok-secret" "$OUT" "$S3/moto.log" && fail "the temporary secret is in the files above"
finish
