#!/usr/bin/env bash
# read --driver curl with S3 signing (libcurl's AWS SigV4) against a real moto
# S3 server on 127.0.0.1 that checks signatures (INITIAL_NO_AUTH_ACTION_COUNT:
# after the setup's unsigned calls, every request must be signed by a key its
# IAM knows). Keys from the environment and from a profile, a session token,
# and ros3 on the same object; a wrong secret is a 403 in one line, and the
# secret is printed nowhere. Skipped when moto[server] cannot be installed into CB_VENV
# (scripts/s3_up.sh --install-only).
source "$(dirname "$0")/../hdf5/lib.sh"
export CB_VENV=${CB_VENV:-$CB_SRC/.venv}
VENV=$CB_VENV
MOTO=$VENV/bin/moto_server
# moto and boto3 as scripts/s3_up.sh pins them (the server is started here: its IAM must check keys).
if ! "$CB_SRC/scripts/s3_up.sh" --install-only > "$WORK/install.log" 2>&1 || [ ! -x "$MOTO" ]; then
  echo "SKIP: cannot install moto[server] into $VENV: $(tail -3 "$WORK/install.log")"; exit 77
fi
VPY=$VENV/bin/python
PORT=$($PY -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
# Unsigned calls allowed: the readiness check below, then the setup's 4 before a key exists
# (user, key, its policy, a role).
INITIAL_NO_AUTH_ACTION_COUNT=5 "$MOTO" -H 127.0.0.1 -p "$PORT" > "$WORK/moto.log" 2>&1 & MOTOPID=$!
trap 'kill $MOTOPID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
EP=http://127.0.0.1:$PORT
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION
export AWS_SHARED_CREDENTIALS_FILE=$WORK/credentials AWS_CONFIG_FILE=$WORK/config

"$CHUNKBENCH" create "$WORK/a.h5" 370 530 --chunk 100,160 -q
mpi 2 "$CHUNKBENCH" write "$WORK/a.h5" -q
$VPY - "$EP" "$WORK" <<'PYEOF' || { fail "moto setup"; finish; }
import boto3, json, sys
ep, w = sys.argv[1:3]
kw = dict(endpoint_url=ep, region_name="eu-west-1", aws_access_key_id="setup", aws_secret_access_key="setup")
allow = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
iam = boto3.client("iam", **kw)
iam.create_user(UserName="cb")
k = iam.create_access_key(UserName="cb")["AccessKey"]
iam.put_user_policy(UserName="cb", PolicyName="all", PolicyDocument=allow)
role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
kk = dict(kw, aws_access_key_id=k["AccessKeyId"], aws_secret_access_key=k["SecretAccessKey"])
boto3.client("iam", **kk).put_role_policy(RoleName="r", PolicyName="all", PolicyDocument=allow)
# Temporary keys moto checks with their token (it does not know get_session_token's).
t = boto3.client("sts", **kk).assume_role(RoleArn=role, RoleSessionName="cb-test")["Credentials"]
open(f"{w}/keys", "w").write(f'{k["AccessKeyId"]} {k["SecretAccessKey"]}\n{t["AccessKeyId"]} {t["SecretAccessKey"]} {t["SessionToken"]}\n')
s3 = boto3.client("s3", **kk)
s3.create_bucket(Bucket="cbb", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
s3.upload_file(f"{w}/a.h5", "cbb", "a.h5")
PYEOF
{ read -r KEY SECRET; read -r TKEY TSECRET TOKEN; } < "$WORK/keys"
URL=$EP/cbb/a.h5
# Unsigned: moto now checks every request, so the probe's 403 is the answer.
expect 2 "answered 403 (forbidden); check the URL (a private object?" 2 read "$URL" --driver curl
for cache in none blockcache; do
  out=$(AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET mpi 2 "$CHUNKBENCH" read "$URL" --driver curl \
        --cache-type $cache --s3-region eu-west-1 --verify --json "$WORK/r.json" 2>&1) || fail "signed read $cache: $out"
  echo "$out" | grep -q "^verify:       OK" || fail "signed read $cache verify"
done
# s3://BUCKET/KEY through --s3-endpoint (path-style), read by the curl driver.
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=eu-west-1 \
  mpi 2 "$CHUNKBENCH" read s3://cbb/a.h5 --s3-endpoint "$EP" --driver curl --cache-type readahead --verify -q ||
  fail "s3:// with --s3-endpoint"
# A profile in the credentials file (mode 600, as core/secrets.h wants).
printf '[cb]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = eu-west-1\n' "$KEY" "$SECRET" > "$WORK/credentials"
chmod 600 "$WORK/credentials"
mpi 2 "$CHUNKBENCH" read "$URL" --driver curl --s3-profile cb --verify -q || fail "profile read"
# Temporary keys: the session token goes in x-amz-security-token.
AWS_ACCESS_KEY_ID=$TKEY AWS_SECRET_ACCESS_KEY=$TSECRET AWS_SESSION_TOKEN=$TOKEN AWS_REGION=eu-west-1 \
  mpi 2 "$CHUNKBENCH" read "$URL" --driver curl --cache-type all --verify -q || fail "session token read"
AWS_ACCESS_KEY_ID=$TKEY AWS_SECRET_ACCESS_KEY=$TSECRET AWS_SESSION_TOKEN=bogus AWS_REGION=eu-west-1 \
  expect 2 "the session token from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY is expired or not valid" 2 read "$URL" --driver curl
# ros3 signs the same object as well (HDF5's own SigV4).
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=eu-west-1 \
  mpi 1 "$CHUNKBENCH" read "$URL" --driver ros3 --verify -q || fail "ros3 signed read"
# A wrong secret: the signed probe is refused, in one line, and no secret is printed.
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=wrong-$SECRET AWS_REGION=eu-west-1 \
  expect 2 "403 (SignatureDoesNotMatch)" 2 read "$URL" --driver curl
grep -qF -- "$SECRET" "$WORK/out" "$WORK/err" && fail "the secret was printed"
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=eu-west-1 \
  mpi 1 "$CHUNKBENCH" read "$URL" --driver curl --json - > "$WORK/j" 2>&1 || fail "json read"
grep -qF -- "$SECRET" "$WORK/j" && fail "the secret is in the JSON"
finish
