#!/usr/bin/env bash
# Credentials kept off the command line, and server-schedule writers that end
# with tasks still in progress (issue 12, rows 10, 12 and the empty
# HS_PASSWORD of 13):
#   - --s3-secret / --s3-key-id and user:password@ URLs are refused with the fix;
#   - ros3 signs with the AWS variables or a profile of ~/.aws/credentials
#     (nginx logs the Authorization header it got); a credentials file or a
#     .hscfg others may read is warned about, one others may change refused;
#   - a private CA (made here with openssl) is trusted through --ca-file or
#     CURL_CA_BUNDLE / REQUESTS_CA_BUNDLE / SSL_CERT_FILE, by ros3 and the curl driver (nginx over
#     TLS) and by HSDS (nginx as a TLS proxy in front of it); without it the
#     error names the certificate problem;
#   - scripts/hsds_up.sh keeps the password out of `ps` and writes env.sh 0600;
#   - two --schedule server writers SIGKILLed: the next writer says how many
#     tasks are still in progress, since when, by whom, and the --lease command
#     that retakes them (JSON left_in_progress, status too); that command
#     then completes everything and verify passes.
# The HSDS part starts scripts/hsds_up.sh on the fixed HSDS ports: run it under
# the machine-wide lock (tests/README.md). Env: CB_VENV (hsds, h5pyd), CB_HSDS_PORT.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/../read/nginx.sh"
if [ -z "$NGINX" ] || ! command -v openssl > /dev/null; then
  echo "SKIP: needs nginx and openssl (apt-get install nginx-light openssl)"; exit 77
fi
B=$CHUNKBENCH
export CB_VENV=${CB_VENV:-$CB_SRC/.venv}
# Nothing of the caller's may leak in: no AWS or HSDS settings, a HOME of our own.
for v in $(env | sed -n 's/^\(AWS_[A-Z_]*\|HS_[A-Z_]*\|CURL_CA_BUNDLE\|REQUESTS_CA_BUNDLE\|SSL_CERT_FILE\)=.*/\1/p'); do
  unset "$v"
done
export HOME=$WORK/home
mkdir -p "$HOME" "$WORK/cwd"
cd "$WORK/cwd"   # no ./.hscfg here
chmod 755 "$WORK"   # nginx workers run as nobody

# expect CODE MESSAGE CMD...: exit CODE, exactly one error line, holding MESSAGE.
expect() {
  local code=$1 msg=$2; shift 2
  local rc=0
  timeout 60 "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  if [ "$rc" -ne "$code" ] || [ "$(grep -c '^chunkbench: error:' "$WORK/err")" -ne 1 ] || ! grep -qF -- "$msg" "$WORK/err"; then
    fail "'$*': exit $rc (want $code), want \"$msg\": $(head -c 400 "$WORK/err")"
  fi
}
no_secret() { # WORD: not in the last command's output
  if grep -qF -- "$1" "$WORK/out" "$WORK/err"; then fail "the secret $1 was printed: $(cat "$WORK/err")"; fi
}

# ---- a private CA and a certificate for 127.0.0.1 -------------------------
CA=$WORK/ca
mkdir -p "$CA"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=chunkbench test CA" \
  -keyout "$CA/ca.key" -out "$CA/ca.pem" 2> /dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" \
  -keyout "$CA/other.key" -out "$CA/other.pem" 2> /dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$CA/srv.key" -out "$CA/srv.csr" 2> /dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$CA/ext.cnf"
openssl x509 -req -in "$CA/srv.csr" -CA "$CA/ca.pem" -CAkey "$CA/ca.key" -CAcreateserial -days 2 \
  -extfile "$CA/ext.cnf" -out "$CA/srv.pem" 2> /dev/null
chmod 644 "$CA"/*

# ---- nginx: plain and TLS static files (ros3), and later a TLS proxy to HSDS
HPORT=$(freeport) SPORT=$(freeport) PPORT=$(freeport)
HSPORT=${CB_HSDS_PORT:-5101}
NG=$WORK/nginx
mkdir -p "$NG" "$WORK/www"
chmod 755 "$WORK/www"
HSDIR= NGPID=
cleanup() {
  kill $NGPID 2> /dev/null
  [ -n "$HSDIR" ] && "$CB_SRC/scripts/hsds_down.sh" "$HSDIR" > /dev/null 2>&1
  wait 2> /dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
nginx_up "$NG" '$request_method $status auth="$http_authorization" token="$http_x_amz_security_token"' "  server { listen 127.0.0.1:$HPORT; root $WORK/www; }
  server { listen 127.0.0.1:$SPORT ssl; ssl_certificate $CA/srv.pem; ssl_certificate_key $CA/srv.key; root $WORK/www; }
  server { listen 127.0.0.1:$PPORT ssl; ssl_certificate $CA/srv.pem; ssl_certificate_key $CA/srv.key;
           location / { proxy_pass http://127.0.0.1:$HSPORT; proxy_set_header Host \$host; } }" "http://127.0.0.1:$HPORT/" || exit 1
URL=http://127.0.0.1:$HPORT
"$B" create "$WORK/www/a.h5" 200 300 --chunk 100,100 -q
mpi 2 "$B" write "$WORK/www/a.h5" -q || fail "write a.h5"
chmod 644 "$WORK/www/a.h5"

# ---- row 12: no secret on the command line ---------------------------------
expect 2 "--s3-secret puts the secret key in every user's process list (ps): set AWS_SECRET_ACCESS_KEY" \
  "$B" read "$URL/a.h5" --s3-key-id AKIDX --s3-secret s3cr3tKEY
no_secret s3cr3tKEY
expect 2 "set AWS_SECRET_ACCESS_KEY" "$B" read "$URL/a.h5" --s3-secret s3cr3tKEY
expect 2 "--s3-key-id is no longer taken" "$B" read "$URL/a.h5" --s3-key-id AKIDX
expect 2 "the URL carries user:password@: give it as $URL/a.h5, and S3 keys as AWS_ACCESS_KEY_ID" \
  "$B" read "http://me:s3cr3tPW@127.0.0.1:$HPORT/a.h5"
no_secret s3cr3tPW

# ros3 signs with what the AWS CLI would use; nginx logs the Authorization header.
auth_of_last_read() { # the Credential= part of the last signed GET nginx saw ("-" when none)
  grep '^GET 206' "$NG/access.log" | tail -1 | sed -n 's/.*Credential=\([^,]*\),.*/\1/p;t;s/.*/-/p'
}
ros3_read() { # ARGS...: a verified ros3 read of a.h5 by 2 ranks
  : > "$NG/access.log"
  mpi 2 "$B" read "$URL/a.h5" --verify -q "$@" > "$WORK/out" 2> "$WORK/err"
}
ros3_read || fail "anonymous read: $(cat "$WORK/err")"
[ "$(auth_of_last_read)" = - ] || fail "anonymous read was signed: $(auth_of_last_read)"
AWS_ACCESS_KEY_ID=AKIDENVTEST AWS_SECRET_ACCESS_KEY=envsecret AWS_REGION=eu-north-1 ros3_read ||
  fail "read with AWS env keys: $(cat "$WORK/err")"
case $(auth_of_last_read) in AKIDENVTEST/*/eu-north-1/s3/aws4_request) ;; *) fail "env keys not used: $(auth_of_last_read)" ;; esac
mkdir -p "$HOME/.aws"
( umask 077
  printf '[default]\naws_access_key_id = AKIDFILEDEFAULT\naws_secret_access_key = filesecret\n\n[p2]\naws_access_key_id = AKIDFILEP2\naws_secret_access_key = p2secret\n' > "$HOME/.aws/credentials"
  printf '[default]\nregion = ap-south-1\n[profile p2]\nregion = eu-west-3\n' > "$HOME/.aws/config" )
ros3_read || fail "read with the default profile: $(cat "$WORK/err")"
case $(auth_of_last_read) in AKIDFILEDEFAULT/*/ap-south-1/s3/aws4_request) ;; *) fail "default profile not used: $(auth_of_last_read)" ;; esac
[ -s "$WORK/err" ] && fail "a 0600 credentials file drew a warning: $(cat "$WORK/err")"
AWS_PROFILE=p2 ros3_read || fail "AWS_PROFILE=p2: $(cat "$WORK/err")"
case $(auth_of_last_read) in AKIDFILEP2/*/eu-west-3/s3/aws4_request) ;; *) fail "AWS_PROFILE p2 not used: $(auth_of_last_read)" ;; esac
# --s3-profile wins over keys in the environment (as aws --profile does); --s3-region over the profile's.
AWS_ACCESS_KEY_ID=AKIDENVTEST AWS_SECRET_ACCESS_KEY=envsecret ros3_read --s3-profile p2 --s3-region us-west-2 ||
  fail "--s3-profile p2: $(cat "$WORK/err")"
case $(auth_of_last_read) in AKIDFILEP2/*/us-west-2/s3/aws4_request) ;; *) fail "--s3-profile not used: $(auth_of_last_read)" ;; esac
# AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE name other files.
( umask 077; printf '[default]\naws_access_key_id = AKIDOTHERFILE\naws_secret_access_key = x\n' > "$WORK/creds2" )
AWS_SHARED_CREDENTIALS_FILE=$WORK/creds2 AWS_CONFIG_FILE=/nonexistent ros3_read || fail "AWS_SHARED_CREDENTIALS_FILE: $(cat "$WORK/err")"
case $(auth_of_last_read) in AKIDOTHERFILE/*/us-east-1/s3/aws4_request) ;; *) fail "AWS_SHARED_CREDENTIALS_FILE not used: $(auth_of_last_read)" ;; esac
expect 2 "AWS profile 'nope' (--s3-profile) is in neither" "$B" read "$URL/a.h5" --s3-profile nope
expect 2 "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not" env AWS_ACCESS_KEY_ID=AKIDX "$B" read "$URL/a.h5"
# A session token: sent from HDF5 1.14.2 on, refused before with the version named.
h5ver=$(hdf5_version)
if [ "$(printf '%s\n1.14.2\n' "$h5ver" | sort -V | head -1)" = 1.14.2 ]; then
  AWS_ACCESS_KEY_ID=AKIDENVTEST AWS_SECRET_ACCESS_KEY=envsecret AWS_SESSION_TOKEN=tok123 ros3_read ||
    fail "session token with HDF5 $h5ver: $(cat "$WORK/err")"
  grep '^GET 206' "$NG/access.log" | tail -1 | grep -q 'token="tok123"' || fail "session token not sent"
else
  expect 2 "cannot send one (H5Pset_fapl_ros3_token needs HDF5 1.14.2 or newer)" \
    env AWS_ACCESS_KEY_ID=AKIDENVTEST AWS_SECRET_ACCESS_KEY=envsecret AWS_SESSION_TOKEN=tok123 "$B" read "$URL/a.h5"
  grep -qF "HDF5 $h5ver" "$WORK/err" || fail "the token refusal does not name HDF5 $h5ver: $(cat "$WORK/err")"
fi
# The credentials file: others may read it -> a warning; others may change it -> refused.
chmod 644 "$HOME/.aws/credentials"
ros3_read || fail "read with a 0644 credentials file: $(cat "$WORK/err")"
[ "$(grep -c "^chunkbench: warning: $HOME/.aws/credentials holds AWS keys and other users may read it (mode 0644): chmod 600" "$WORK/err")" = 1 ] ||
  fail "0644 credentials: want one warning line: $(cat "$WORK/err")"
chmod 666 "$HOME/.aws/credentials"
expect 2 "$HOME/.aws/credentials holds AWS keys and other users may change it (mode 0666)" "$B" read "$URL/a.h5"
grep -qF "chmod 600 $HOME/.aws/credentials" "$WORK/err" || fail "0666 credentials: no fix: $(cat "$WORK/err")"
rm -rf "$HOME/.aws"

# ---- row 12: a private CA for ros3 (nginx over TLS) -------------------------
SURL=https://127.0.0.1:$SPORT
expect 3 "SSL certificate problem" "$B" read "$SURL/a.h5"
grep -qF -- "--ca-file PATH or CURL_CA_BUNDLE" "$WORK/err" || fail "no fix named for the certificate: $(cat "$WORK/err")"
mpi 2 "$B" read "$SURL/a.h5" --verify -q --ca-file "$CA/ca.pem" || fail "ros3 over TLS with --ca-file"
for var in CURL_CA_BUNDLE REQUESTS_CA_BUNDLE SSL_CERT_FILE; do
  env "$var=$CA/ca.pem" timeout 120 mpirun -n 2 "$B" read "$SURL/a.h5" --verify -q > "$WORK/out" 2>&1 ||
    fail "ros3 over TLS with $var: $(cat "$WORK/out")"
done
# --ca-file first: a wrong one is not saved by a right variable.
expect 3 "SSL certificate problem" env CURL_CA_BUNDLE="$CA/ca.pem" "$B" read "$SURL/a.h5" --ca-file "$CA/other.pem"
expect 2 "the CA bundle $WORK/none.pem (--ca-file) cannot be read" "$B" read "$SURL/a.h5" --ca-file "$WORK/none.pem"
# The curl driver's own handles trust the same bundle (they are made through the same curl_easy_init).
mpi 2 "$B" read "$SURL/a.h5" --driver curl --cache-type blockcache --verify -q --ca-file "$CA/ca.pem" ||
  fail "curl over TLS with --ca-file"
env CURL_CA_BUNDLE="$CA/ca.pem" timeout 120 mpirun -n 2 "$B" read "$SURL/a.h5" --driver curl --verify -q > "$WORK/out" 2>&1 ||
  fail "curl over TLS with CURL_CA_BUNDLE: $(cat "$WORK/out")"
expect 3 "SSL certificate problem" "$B" read "$SURL/a.h5" --driver curl

# ---- HSDS settings without a server -----------------------------------------
T0=hdf5://home/someone/x.h5
expect 2 "the HSDS endpoint (--endpoint) carries user:password@: give it as http://127.0.0.1:1" \
  "$B" status "$T0" --endpoint http://me:s3cr3tPW@127.0.0.1:1
no_secret s3cr3tPW
expect 2 "the HSDS endpoint (HS_ENDPOINT) carries user:password@" env HS_ENDPOINT=http://me:s3cr3tPW@127.0.0.1:1 "$B" status "$T0"
no_secret s3cr3tPW
expect 2 "HS_USERNAME is set (bob) but HS_PASSWORD is empty" \
  env HS_ENDPOINT=http://127.0.0.1:1 HS_USERNAME=bob HS_PASSWORD= "$B" status "$T0"
grep -qF "set HS_PASSWORD to the password of bob" "$WORK/err" || fail "empty HS_PASSWORD: no fix: $(cat "$WORK/err")"

# ---- with a real HSDS ------------------------------------------------------
HSDIR=$WORK/hsds
PW=pw-$RANDOM-$RANDOM-creds
CB_HS_PASSWORD=$PW "$CB_SRC/scripts/hsds_up.sh" "$HSDIR" "$HSPORT" > "$WORK/up.log" 2>&1 ||
  { cat "$WORK/up.log"; fail "hsds_up.sh"; finish; }
# The password is in no process's arguments while the server runs.
ps -eo args > "$WORK/ps.txt"
grep -q "hsds" "$WORK/ps.txt" || fail "no hsds process in ps (is the check blind?)"
grep -F -- "$PW" "$WORK/ps.txt" && fail "the HSDS password is on a command line (ps -eo args)"
for f in env.sh passwd.txt; do
  [ "$(stat -c %a "$HSDIR/$f")" = 600 ] || fail "$f is mode $(stat -c %a "$HSDIR/$f"), not 600"
done
# shellcheck disable=SC1091
source "$HSDIR/env.sh"
[ "$HS_PASSWORD" = "$PW" ] || fail "env.sh does not hold the password given"
D=hdf5://home/$HS_USERNAME

# A .hscfg others may read: a warning, the command runs; others may change it: refused.
printf 'hs_endpoint = %s\nhs_username = %s\nhs_password = %s\n' "$HS_ENDPOINT" "$HS_USERNAME" "$HS_PASSWORD" > "$HOME/.hscfg"
chmod 600 "$HOME/.hscfg"
env -u HS_ENDPOINT -u HS_USERNAME -u HS_PASSWORD "$B" create "$D/cfg.h5" 100 100 --force -q 2> "$WORK/err" ||
  fail "create with a 0600 ~/.hscfg: $(cat "$WORK/err")"
[ -s "$WORK/err" ] && fail "a 0600 .hscfg drew: $(cat "$WORK/err")"
chmod 644 "$HOME/.hscfg"
env -u HS_ENDPOINT -u HS_USERNAME -u HS_PASSWORD "$B" status "$D/cfg.h5" -q 2> "$WORK/err" ||
  fail "status with a 0644 ~/.hscfg: $(cat "$WORK/err")"
[ "$(grep -c "^chunkbench: warning: $HOME/.hscfg holds HSDS settings (hs_password, hs_endpoint) and other users may read it (mode 0644): chmod 600 $HOME/.hscfg" "$WORK/err")" = 1 ] ||
  fail "0644 .hscfg: want one warning: $(cat "$WORK/err")"
chmod 666 "$HOME/.hscfg"
expect 2 "$HOME/.hscfg holds HSDS settings (hs_password, hs_endpoint) and other users may change it (mode 0666): they could point chunkbench at their own server" \
  env -u HS_ENDPOINT -u HS_USERNAME -u HS_PASSWORD "$B" status "$D/cfg.h5"
printf 'hs_endpoint = http://%s:%s@127.0.0.1:%s\n' "$HS_USERNAME" "$HS_PASSWORD" "$HSPORT" > "$HOME/.hscfg"
chmod 600 "$HOME/.hscfg"
expect 2 "the HSDS endpoint ($HOME/.hscfg) carries user:password@" env -u HS_ENDPOINT "$B" status "$D/cfg.h5"
no_secret "$PW"
rm -f "$HOME/.hscfg"
# HSDS' answer to an empty password, before: "400 Malformed authorization header".
expect 2 "HS_USERNAME is set ($HS_USERNAME) but HS_PASSWORD is empty" env HS_PASSWORD= "$B" status "$D/cfg.h5"

# HSDS behind a TLS proxy with the private CA.
TLS=https://127.0.0.1:$PPORT
expect 3 "SSL certificate problem" env HS_ENDPOINT=$TLS "$B" status "$D/cfg.h5"
HS_ENDPOINT=$TLS "$B" status "$D/cfg.h5" --ca-file "$CA/ca.pem" -q || fail "HSDS over TLS with --ca-file"
HS_ENDPOINT=$TLS CURL_CA_BUNDLE=$CA/ca.pem "$B" status "$D/cfg.h5" -q || fail "HSDS over TLS with CURL_CA_BUNDLE"
HS_ENDPOINT=$TLS REQUESTS_CA_BUNDLE=$CA/ca.pem "$B" write "$D/cfg.h5" --schedule server -q || fail "HSDS over TLS with REQUESTS_CA_BUNDLE"

# ---- row 10: server-schedule writers SIGKILLed -----------------------------
T=$D/killed.h5
"$B" create "$T" 2400 2400 --chunk 40,40 -q # 3600 small tasks: two writers take seconds
jq_() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
status_json() { "$B" status "$T" --json "$WORK/st.json" -q 2> /dev/null && jq_ "$WORK/st.json" "$1"; }
pids=()
for i in 1 2; do "$B" write "$T" --schedule server --claim-batch 16 -q > /dev/null 2>&1 & pids+=($!); done
for _ in $(seq 200); do
  sleep 0.1
  [ "$(status_json "d['tasks']['complete']")" -ge 20 ] && break
done
kill -KILL "${pids[@]}" 2> /dev/null || fail "a writer had finished before it was killed: make the task count larger"
wait "${pids[@]}" 2> /dev/null || true   # 137: killed
left=$(status_json "d['tasks']['in_progress']")
[ "$left" -ge 2 ] || fail "the killed writers left $left tasks in progress (want their claims)"
[ "$(status_json "d['tasks']['pending']")" -gt 0 ] || fail "the killed writers finished everything: make the task count larger"
# status names them too: since when, by whom, and how to retake them.
"$B" status "$T" > "$WORK/st.txt" 2> "$WORK/st.err" || fail "status"
grep -qE "^claims: +$left tasks in progress since [0-9-]+ [0-9:]+ UTC \([0-9]+ s ago\) by " "$WORK/st.txt" ||
  fail "status text: $(grep claims "$WORK/st.txt")"
grep -qF -- "--lease SECONDS retakes tasks in progress for longer than SECONDS" "$WORK/st.err" || fail "status: no --lease hint: $(cat "$WORK/st.err")"
[ "$(jq_ "$WORK/st.json" "len(d['tasks']['in_progress_by'])")" = 2 ] || fail "in_progress_by: $(jq_ "$WORK/st.json" "d['tasks']")"
# The next writer finishes the pending tasks and says what it leaves, with exit 0.
check_left() { # CMD...: exit 0, one warning with $left, the pods, the lease command; JSON left_in_progress
  local rc=0
  "$@" --json "$WORK/w.json" > "$WORK/out" 2> "$WORK/err" || rc=$?
  [ "$rc" = 0 ] || fail "'$*': exit $rc: $(cat "$WORK/err")"
  [ "$(grep -c "^chunkbench: warning: $left tasks of $T are still in progress, claimed by .* since [0-9-]* [0-9:]* UTC (oldest claim [0-9]* s old, newest [0-9]* s); this writer found no other task to take; --lease SECONDS retakes tasks in progress for longer than SECONDS: if those writers are gone, run: chunkbench write $T --schedule server --lease [0-9]*$" "$WORK/err")" = 1 ] ||
    fail "'$*': want one warning line with $left tasks and the command: $(cat "$WORK/err")"
  [ "$(grep -o "([0-9]*)" "$WORK/err" | head -2 | wc -l)" = 2 ] || fail "'$*': the two writers' names and counts: $(cat "$WORK/err")"
  [ "$(jq_ "$WORK/w.json" "d['left_in_progress']")" = "$left" ] || fail "'$*': JSON left_in_progress: $(jq_ "$WORK/w.json" "d.get('left_in_progress')")"
}
check_left "$B" write "$T" --schedule server -q
[ "$(status_json "d['tasks']['pending']")" = 0 ] || fail "pending tasks left after the writer"
# A lease longer than the claims' age does not retake them: still said.
check_left "$B" write "$T" --schedule server --lease 600 -q
# The command the warning gives retakes them; then everything is complete.
cmd=$(sed -n 's/.*if those writers are gone, run: chunkbench //p' "$WORK/err")
sleep 2
# shellcheck disable=SC2086
"$B" $cmd -q --json "$WORK/w.json" 2> "$WORK/err" || fail "chunkbench $cmd: $(cat "$WORK/err")"
[ -s "$WORK/err" ] && fail "chunkbench $cmd still warned: $(cat "$WORK/err")"
[ "$(jq_ "$WORK/w.json" "d['left_in_progress']")" = 0 ] || fail "left_in_progress after the lease"
[ "$(status_json "d['tasks']['complete']")" = 3600 ] || fail "not all 3600 complete after --lease: $(jq_ "$WORK/st.json" "d['tasks']")"
"$B" verify "$T" -q || fail "verify after the lease"
finish
