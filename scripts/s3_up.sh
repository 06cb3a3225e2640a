#!/bin/bash
# Start a private S3-compatible server for tests: moto's server (PyPI
# moto[server]) on http://127.0.0.1:PORT, with signature checking ON: moto
# checks signatures only with IAM auth, so the first 5 actions (let through
# unauthenticated by INITIAL_NO_AUTH_ACTION_COUNT) make an IAM user, its
# access key, a policy allowing it s3:* and sts:AssumeRole, and a role with
# s3:* (for temporary credentials); every later request must be signed with
# that key (a wrong secret or an unsigned request answers 403, which this
# script checks before it says "up").
# Writes DIR/env.sh (mode 0600; source it):
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (and AWS_DEFAULT_REGION,
#   which boto3 reads), AWS_ENDPOINT_URL
#   CB_S3_BUCKET   a bucket created empty, in AWS_REGION
#   CB_S3_ROLE_ARN a role the key may assume (sts assume-role): temporary
#                  credentials with a session token that moto checks (moto's
#                  get-session-token hands out a fixed key it then refuses)
# and DIR/moto.pid, DIR/moto.log. The keys are on no command line.
# Usage: scripts/s3_up.sh DIR [PORT]       (default 5390; stop with scripts/s3_down.sh DIR)
#        scripts/s3_up.sh --install-only   (the venv and packages alone)
# Env: CB_VENV (default <repo>/.venv, shared with hsds_up.sh), CB_S3_PINS
#      (package versions), CB_S3_BUCKET (default chunkbench), CB_S3_REGION
#      (default us-east-1).
# What moto checks (5.2.5): the signature and that the key id exists (403
# SignatureDoesNotMatch / InvalidAccessKeyId), and 404 NoSuchKey /
# NoSuchBucket; NOT the region in the signature's scope (a request signed
# for any region is accepted). An unsigned GET of a missing object answers
# 500 (moto looks for the Authorization header), of an existing one 403.
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
PORT=${2:-5390}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
VENV=${CB_VENV:-$REPO/.venv}
BUCKET=${CB_S3_BUCKET:-chunkbench}
REGION=${CB_S3_REGION:-us-east-1}
log() { echo "s3_up: $*" >&2; }

# Versions this project was tested with. botocore is the one hsds_up.sh's
# hsds (aiobotocore) accepts, so both servers live in one venv.
# shellcheck disable=SC2206
PINS=(${CB_S3_PINS:-moto[server]==5.2.5 boto3==1.43.117 botocore==1.43.117})

# 1. The venv and the pinned packages, only when missing (shared with hsds_up.sh).
"$HERE/venv_pins.sh" "$VENV" moto_server "${PINS[@]}"
PY=$VENV/bin/python
[ $INSTALL_ONLY = 0 ] || exit 0

# 2. A server left from an earlier run in this DIR: stop it first. The port
#    must be free, or we would be talking to someone else's server.
if [ -f "$DIR/moto.pid" ]; then "$HERE/s3_down.sh" "$DIR" >&2 || true; fi
"$PY" - "$PORT" <<'EOF' || exit 1
import socket, sys, time
deadline = time.time() + 30
p = int(sys.argv[1])
while True:
    s = socket.socket()
    busy = s.connect_ex(("127.0.0.1", p)) == 0
    s.close()
    if not busy:
        break
    if time.time() > deadline:
        sys.exit(f"s3_up: port {p} is in use (another server? stop it with scripts/s3_down.sh)")
    time.sleep(0.5)
EOF
rm -f "$DIR/env.sh"

# 3. Start it in its own session (s3_down signals the group), with a clean
#    environment: no AWS_* of the caller's reaches it.
(
  cd "$DIR"
  exec setsid env -i PATH="$VENV/bin:/usr/bin:/bin" HOME="$DIR" LANG=C.UTF-8 INITIAL_NO_AUTH_ACTION_COUNT=5 \
    "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$DIR/moto.log" 2>&1 </dev/null
) &
PID=$!
echo "$PID" > "$DIR/moto.pid"

# 4. Ready when the port accepts (a probe request would use up one of the
#    5 unauthenticated actions); then the IAM user, its key and policy, the
#    bucket, and the checks that signatures are enforced. Python writes
#    env.sh itself, so the secret passes through no command line.
umask 077
if ! env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE -u AWS_ENDPOINT_URL \
     AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
     "$PY" - "$PORT" "$PID" "$BUCKET" "$REGION" "$DIR/env.sh" <<'EOF'
import json, os, socket, sys, time, urllib.error, urllib.request
import boto3, botocore.exceptions
port, pid, bucket, region, env_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ep = f"http://127.0.0.1:{port}"
deadline = time.time() + 60
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("s3_up: moto_server exited during start-up (see moto.log)")
    s = socket.socket()
    up = s.connect_ex(("127.0.0.1", port)) == 0
    s.close()
    if up:
        break
    if time.time() > deadline:
        sys.exit("s3_up: moto_server did not listen within 60 s")
    time.sleep(0.2)

def client(svc, key_id="setup", secret="setup", **kw):
    return boto3.client(svc, endpoint_url=ep, region_name=region, aws_access_key_id=key_id,
                        aws_secret_access_key=secret, **kw)

# The 5 unauthenticated actions.
iam = client("iam")
iam.create_user(UserName="chunkbench")
key = iam.create_access_key(UserName="chunkbench")["AccessKey"]
policy = {"Version": "2012-10-17",
          "Statement": [{"Effect": "Allow", "Action": ["s3:*", "sts:AssumeRole"], "Resource": "*"}]}
iam.put_user_policy(UserName="chunkbench", PolicyName="chunkbench-s3", PolicyDocument=json.dumps(policy))
trust = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="chunkbench", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
s3_only = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
iam.put_role_policy(RoleName="chunkbench", PolicyName="chunkbench-s3", PolicyDocument=json.dumps(s3_only))
kid, secret = key["AccessKeyId"], key["SecretAccessKey"]

s3 = client("s3", kid, secret)
if region == "us-east-1":
    s3.create_bucket(Bucket=bucket)
else:
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
s3.put_object(Bucket=bucket, Key="s3_up-check", Body=b"x")

# Signatures are enforced: a wrong secret and an unsigned request are refused.
try:
    client("s3", kid, secret[:-1] + ("A" if secret[-1] != "A" else "B")).get_object(Bucket=bucket, Key="s3_up-check")
    sys.exit("s3_up: moto accepted a wrong secret: signature checking is off")
except botocore.exceptions.ClientError as e:
    if e.response["ResponseMetadata"]["HTTPStatusCode"] != 403:
        sys.exit(f"s3_up: a wrong secret answered {e.response['ResponseMetadata']['HTTPStatusCode']}, not 403")
try:
    urllib.request.urlopen(f"{ep}/{bucket}/s3_up-check", timeout=10)
    sys.exit("s3_up: moto answered an unsigned GET: signature checking is off")
except urllib.error.HTTPError as e:
    if e.code != 403:
        sys.exit(f"s3_up: an unsigned GET answered {e.code}, not 403")
s3.delete_object(Bucket=bucket, Key="s3_up-check")

with open(env_path, "w") as f:
    f.write(f"export AWS_ACCESS_KEY_ID={kid}\nexport AWS_SECRET_ACCESS_KEY={secret}\n"
            f"export AWS_REGION={region}\nexport AWS_DEFAULT_REGION={region}\nexport AWS_ENDPOINT_URL={ep}\nexport CB_S3_BUCKET={bucket}\n"
            f"export CB_S3_ROLE_ARN={role}\n")
EOF
then
  tail -n 20 "$DIR/moto.log" >&2 2>/dev/null || true
  "$HERE/s3_down.sh" "$DIR" >&2 || true
  exit 1
fi
log "up: http://127.0.0.1:$PORT bucket $BUCKET (pid $PID); source $DIR/env.sh"
