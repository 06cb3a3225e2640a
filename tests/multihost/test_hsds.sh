#!/usr/bin/env bash
# HSDS from several hosts (tests/multihost/hosts.sh, 3 hosts): the server
# (scripts/hsds_up.sh) runs on cbhost1 and clients reach it as
# http://cbhost1:5101 over the hosts' network. From cbhost2 and cbhost3:
#  - four independent `--schedule server` writers, two per host, each with
#    --max-tasks a quarter of the tasks: all four must take their share, every
#    task is written exactly once (the writers' counts sum to the total, and
#    h5pyd finds each row complete with the generator's values), and each
#    writer's pod names the host it ran on;
#  - one MPI run across both hosts (2 ranks each, --schedule dynamic) on
#    another domain: every task once, the counter named, pods rK@host with the
#    host of rank K, per-host figures summing to the totals; then verify
#    across the hosts with the block schedule.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$CB_SRC/tests/multihost/hosts.sh"
export CB_VENV=${CB_VENV:-$CB_SRC/.venv}
HPY=$CB_VENV/bin/python
HS=$WORK/server
SLOTS=$MH_SLOTS

# The packages come first, here: the hosts have no way out to PyPI.
if ! "$CB_SRC/scripts/hsds_up.sh" --install-only > "$WORK/install.log" 2>&1; then
    cat "$WORK/install.log"; echo "FAIL: could not install HSDS"; exit 1
fi
mh_up 3 || exit $?
# The server and then the hosts, on every way out (in place of mh_up's trap).
cleanup() {
    local rc=$?
    "$CB_SRC/scripts/hsds_down.sh" "$HS" >/dev/null 2>&1
    mh_down
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT

if ! mh_on cbhost1 env CB_HS_HOST=cbhost1 "$CB_SRC/scripts/hsds_up.sh" "$HS" 5101 > "$WORK/up.log" 2>&1; then
    cat "$WORK/up.log"; echo "FAIL: could not start HSDS on cbhost1"; exit 1
fi
# shellcheck disable=SC1091
source "$HS/env.sh"
[ "$HS_ENDPOINT" = http://cbhost1:5101 ] || { echo "FAIL: endpoint $HS_ENDPOINT"; exit 1; }
D=hdf5://home/$HS_USERNAME
check() { mh_on cbhost2 "$HPY" "$CB_SRC/tests/hsds/hs_check.py" "$@"; }

# ---- server-schedule writers on two hosts -------------------------------------
T=$D/mh_server.h5
mh_on cbhost2 "$CHUNKBENCH" create "$T" 80 120 --chunk 10,15 -q
pids=()
for h in cbhost2 cbhost3; do
    for i in 1 2; do
        mh_on "$h" "$CHUNKBENCH" write "$T" --schedule server --max-tasks 16 --claim-batch 2 -q \
            --json "$WORK/s_${h}_$i.json" > "$WORK/s_${h}_$i.err" 2>&1 &
        pids+=($!)
    done
done
for p in "${pids[@]}"; do wait "$p" || fail "a server-schedule writer failed"; done
for f in "$WORK"/s_cbhost*.err; do [ -s "$f" ] && echo "${f##*/}: $(cat "$f")"; done
"$PY" - "$WORK" <<'PYEOF' || fail "server-schedule writers' reports"
import glob, json, os, sys
files = sorted(glob.glob(os.path.join(sys.argv[1], "s_cbhost*.json")))
assert len(files) == 4, files
for path in files:
    d = json.load(open(path))
    lr = d["last_run"]
    assert lr["schedule"] == "server", lr
    assert all(w["name"].split("@")[1] in ("cbhost2", "cbhost3") for w in d["writers"]), d["writers"]
    assert d["tasks"]["total"] == 64, d["tasks"]
PYEOF
summary=$(check "$T" --shape 80,120 --chunk 10,15 --complete 64 --pending 0) || fail "h5pyd check of $T"
"$PY" - "$summary" <<'PYEOF' || fail "pods of $T"
import json, sys, collections
s = json.loads(sys.argv[1])
pods = s["pods"]
hosts = collections.Counter()
for pod, n in (pods.items() if isinstance(pods, dict) else collections.Counter(pods).items()):
    hosts[pod.split("@")[1]] += n
# Each of the four writers stopped at 16 tasks: 64 only if all four wrote 16.
assert sorted(hosts) == ["cbhost2", "cbhost3"], hosts
assert hosts["cbhost2"] == 32 and hosts["cbhost3"] == 32, hosts
assert len(pods) == 4, pods
print(f"server schedule: pods {dict(pods) if isinstance(pods, dict) else pods}")
PYEOF

# ---- one MPI run across two hosts, dynamic schedule -----------------------------
T=$D/mh_dynamic.h5
mh_on cbhost2 "$CHUNKBENCH" create "$T" 80 120 --chunk 10,15 -q
export MH_RUN_HOSTS="cbhost2 cbhost3"
if ! mh_mpirun -n $((2 * SLOTS)) -x HS_ENDPOINT -x HS_USERNAME -x HS_PASSWORD "$CHUNKBENCH" write "$T" \
    --schedule dynamic -q --json "$WORK/dyn.json" > "$WORK/dyn.err" 2>&1; then
    fail "MPI dynamic write across cbhost2, cbhost3: $(cat "$WORK/dyn.err")"
fi
"$PY" - "$WORK/dyn.json" "$SLOTS" <<'PYEOF' || fail "MPI dynamic write's report"
import json, sys
d, slots = json.load(open(sys.argv[1])), int(sys.argv[2])
assert d["tasks"]["complete"] == 64 == d["tasks"]["total"], d["tasks"]
assert d["backend"] == "hsds", d["backend"]
assert d["counter"] in ("rma", "p2p"), d.get("counter")
for w in d["writers"]:
    rank, host = w["name"].split("@")
    assert host == f"cbhost{int(rank[1:]) // slots + 2}", w["name"]
assert sum(w["tasks"] for w in d["writers"]) == 64, d["writers"]
hs = d["hosts"]
assert {h["name"] for h in hs} <= {"cbhost2", "cbhost3"}, hs
assert sum(h["tasks"] for h in hs) == 64, hs
assert sum(h["bytes"] for h in hs) == 80 * 120 * 8, hs
print(f"dynamic across hosts: counter {d['counter']}, hosts {[(h['name'], h['tasks']) for h in hs]}")
PYEOF
check "$T" --shape 80,120 --chunk 10,15 --complete 64 --pending 0 > /dev/null || fail "h5pyd check of $T"
if ! out=$(mh_mpirun -n $((2 * SLOTS)) -x HS_ENDPOINT -x HS_USERNAME -x HS_PASSWORD "$CHUNKBENCH" verify "$T" \
    --schedule block -q --json "$WORK/ver.json" 2>&1); then
    fail "verify across cbhost2, cbhost3: $out"
fi
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["mismatches"] != [] or d["tasks_verified"] != 64)' "$WORK/ver.json" ||
    fail "verify across hosts: $(cat "$WORK/ver.json")"
finish
