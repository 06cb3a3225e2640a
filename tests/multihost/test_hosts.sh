#!/usr/bin/env bash
# Across hosts over TCP (tests/multihost/hosts.sh): 2 and 3 hosts, 2 ranks
# each, x every schedule x io mode x block/row tasks: the write succeeds,
# every task is written exactly once (cbcheck.py: each row complete once, the
# tasks cover the dataset once, the values are the generator's), verify
# passes, every pod names the host its rank ran on, and the static schedules'
# pods carry every host name. The dynamic schedule's counter is named in the
# JSON; on one host the counter forced to p2p (CHUNKBENCH_COUNTER=p2p) does
# the same, and unforced it is rma. read/verify --shift-hosts K: each task is
# read on the host K before its writer's.
# Multi-host writes, verifies and reads show the progress line: OpenMPI 4.1
# has no one-sided window over TCP between hosts, so its counts travel as
# messages.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$CB_SRC/tests/multihost/hosts.sh"
SLOTS=$MH_SLOTS

# check_pods FILE NHOSTS ALL: each pod rK@H has H = the host of rank K (by
# slot: K / SLOTS + 1); ALL=1: every host wrote.
check_pods() {
    "$PY" - "$1" "$2" "$3" "$SLOTS" <<'EOF' || fail "pods of $1"
import sys, h5py
path, nhosts, want_all, slots = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4])
with h5py.File(path, "r") as f:
    pods = {p.decode() for p in f["task_list"]["pod"]}
seen, bad = set(), []
for p in pods:
    rank, _, host = p.partition("@")
    want = f"cbhost{int(rank[1:]) // slots + 1}"
    if host != want:
        bad.append(f"{p} (rank there: {want})")
    seen.add(host)
if bad:
    sys.exit(f"pods on the wrong host: {bad}")
hosts = {f"cbhost{i}" for i in range(1, nhosts + 1)}
if want_all and seen != hosts:
    sys.exit(f"hosts in pods {sorted(seen)}, want {sorted(hosts)}")
EOF
}

# json_counter FILE: the "counter" field, or "none".
json_counter() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("counter", "none"))' "$1"; }

args=()
for nh in 2 3; do
    mh_up "$nh" || exit $?
    np=$((nh * SLOTS))
    # Row iteration (tasks that are whole rows of chunks) on 2 hosts; 3 hosts
    # repeat every schedule and io mode with block tasks (CI time).
    iters="block row"; [ "$nh" = 3 ] && iters=block
    for iter in $iters; do
        for sched in block cyclic dynamic; do
            for io in independent collective direct; do
                [ "$io" = direct ] && [ "$iter" != block ] && continue
                what="hosts=$nh np=$np iter=$iter sched=$sched io=$io"
                f=$WORK/h${nh}_${iter}_${sched}_${io}.h5
                "$CHUNKBENCH" create "$f" 40 60 "$iter" --chunk 10,15 -q --seed $((nh * 5))
                # The progress line on (a line due at once): over TCP between
                # hosts its counts travel as messages, to the last task.
                if ! mh_mpirun -n "$np" -x CHUNKBENCH_PROGRESS_INTERVAL=0.001 "$CHUNKBENCH" write "$f" --schedule "$sched" \
                    --io "$io" --json "$f.json" > "$f.out" 2> "$f.err"; then
                    fail "write $what: $(cat "$f.err")"; continue
                fi
                grep -q "progress line off" "$f.err" && fail "write $what: $(cat "$f.err")"
                grep -qE "^write ([0-9]+)/\1 tasks 100.0%" "$f.out" || fail "write $what: no final progress line: $(head -5 "$f.out")"
                if ! out=$(mh_mpirun -n "$np" "$CHUNKBENCH" verify "$f" --schedule "$sched" --io "$io" -q --json "$f.v.json" 2>&1); then
                    fail "verify $what: $out"; continue
                fi
                "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["mismatches"] != [] or d["tasks_verified"] < 16)' "$f.v.json" ||
                    fail "verify $what: $(cat "$f.v.json")"
                check_pods "$f" "$nh" "$([ "$sched" = dynamic ] && echo 0 || echo 1)"
                # Per-host figures: every host that wrote, summing to the totals.
                "$PY" - "$f.json" "$nh" "$np" "$sched" <<'EOF' || fail "per-host figures $what"
import json, sys
d, nh, np, sched = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
hs = d["hosts"]
assert sum(h["tasks"] for h in hs) == d["tasks"]["complete"], hs
assert sum(h["bytes"] for h in hs) == sum(w["bytes"] for w in d["writers"]), hs
assert all(h["name"].startswith("cbhost") for h in hs), hs
if sched != "dynamic":
    assert sorted(h["name"] for h in hs) == [f"cbhost{i}" for i in range(1, nh + 1)], hs
    assert sum(h["writers"] for h in hs) == np, hs
    assert d["slowest_host"] in [h["name"] for h in hs], d["slowest_host"]
EOF
                c=$(json_counter "$f.json")
                if [ "$sched" = dynamic ]; then
                    case "$c" in rma | p2p) ;; *) fail "$what: counter '$c' in the JSON" ;; esac
                    [ "$(json_counter "$f.v.json")" = "$c" ] || fail "$what: verify's counter differs from write's ($c)"
                else
                    [ "$c" = none ] || fail "$what: counter '$c' for a static schedule"
                fi
                args+=("$f:$f.json")
            done
        done
    done
    # Read-back from another host (--shift-hosts K): every task read by a
    # rank of the host K before its writer's, none by its own host.
    f=$WORK/h${nh}_block_block_independent.h5
    # With the progress line on (a line due at every task): its final line
    # counts every task read on every host.
    for k in 1 $((nh - 1)); do
        out=$(mh_mpirun -n "$np" -x CHUNKBENCH_PROGRESS_INTERVAL=0.00001 "$CHUNKBENCH" verify "$f" --shift-hosts "$k" 2>&1) ||
            fail "verify --shift-hosts $k on $nh hosts: $out"
        grep -qE "^verify 16/16 tasks 100.0%" <<<"$out" || fail "verify --shift-hosts $k on $nh hosts: no final progress line: $out"
        mh_mpirun -n "$np" -x CHUNKBENCH_PROGRESS_INTERVAL=0.00001 "$CHUNKBENCH" read "$f" --shift-hosts "$k" --verify \
            --json "$f.shift$k.json" > "$f.shift$k.out" 2>&1 || fail "read --shift-hosts $k on $nh hosts: $(cat "$f.shift$k.out")"
        # (read --verify names its line "verify")
        grep -qE "^verify 16/16 tasks 100.0%" "$f.shift$k.out" ||
            fail "read --shift-hosts $k on $nh hosts: no final progress line: $(head -5 "$f.shift$k.out")"
        "$PY" - "$f" "$f.shift$k.json" "$nh" "$k" <<'EOF' || fail "read --shift-hosts $k on $nh hosts: who read what"
import json, sys, h5py
path, doc, nh, k = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with h5py.File(path, "r") as f:
    t = f["task_list"][:]
writer = {(int(r["x"]), int(r["y"])): r["pod"].decode().split("@")[1] for r in t}
d = json.load(open(doc))
tl, names = d["task_list"], [w["name"] for w in d["writers"]]
reads = {(x, y): names[i].split("@")[1] for x, y, i, s in zip(tl["x"], tl["y"], tl["writer"], tl["status"]) if s == 1}
assert len(reads) == len(writer), (len(reads), len(writer))
num = lambda h: int(h[len("cbhost"):]) - 1
for xy, w in writer.items():
    want = f"cbhost{(num(w) - k) % nh + 1}"
    assert reads[xy] == want, (xy, "written on", w, "read on", reads[xy], "want", want)
EOF
    done
    out=$(mh_mpirun -n "$np" "$CHUNKBENCH" verify "$f" --shift-hosts "$nh" 2>&1) && fail "--shift-hosts $nh on $nh hosts succeeded"
    grep -q "is a multiple of this run's $nh hosts" <<<"$out" || fail "--shift-hosts $nh on $nh hosts: $out"
    # A table without writer names has nothing to shift by.
    cp "$f" "$WORK/nopods.h5"
    "$PY" -c 'import sys, h5py
with h5py.File(sys.argv[1], "r+") as f:
    a = f["task_list"][:]; a["pod"] = b""; f["task_list"][...] = a' "$WORK/nopods.h5"
    out=$(mh_mpirun -n "$np" "$CHUNKBENCH" read "$WORK/nopods.h5" --shift-hosts 1 2>&1) && fail "--shift-hosts without pods succeeded"
    grep -q "needs the writer of every task, and task_list row 0 has none" <<<"$out" || fail "--shift-hosts without pods: $out"
    echo "$nh hosts: done"
done
mh_down
# On one host there is no other host to read from.
out=$(mpi 2 "$CHUNKBENCH" read "$WORK/h2_block_block_independent.h5" --shift-hosts 1 2>&1) && fail "--shift-hosts on one host succeeded"
grep -q "this run has 1 host" <<<"$out" || fail "--shift-hosts on one host: $out"

# One host, the counter forced to p2p (and the progress line on): the same
# exactly-once checks; unforced, the window is there and the counter is rma.
for iter in block row; do
    for io in independent collective direct; do
        [ "$io" = direct ] && [ "$iter" != block ] && continue
        for counter in p2p auto; do
            what="one host, counter=$counter iter=$iter io=$io"
            f=$WORK/one_${counter}_${iter}_${io}.h5
            "$CHUNKBENCH" create "$f" 40 60 "$iter" --chunk 10,15 -q --seed 3
            if ! out=$(CHUNKBENCH_COUNTER=$counter mpi 4 "$CHUNKBENCH" write "$f" --schedule dynamic --io "$io" --json "$f.json" 2>&1); then
                fail "write $what: $out"; continue
            fi
            if ! vout=$(CHUNKBENCH_COUNTER=$counter mpi 4 "$CHUNKBENCH" verify "$f" --schedule dynamic --io "$io" 2>&1); then
                fail "verify $what: $vout"; continue
            fi
            want=$counter; [ "$counter" = auto ] && want=rma
            grep -q "^counter: *$want " <<<"$out" || fail "$what: write does not say 'counter: $want'"
            [ "$(json_counter "$f.json")" = "$want" ] || fail "$what: JSON counter $(json_counter "$f.json"), want $want"
            grep -q "^counter: *$want " <<<"$vout" || fail "$what: verify does not say 'counter: $want': $vout"
            grep -q "^OK: 0 tasks" <<<"$vout" || fail "$what: $vout"
            args+=("$f:$f.json")
        done
    done
done
# A bad setting is refused on every rank at once.
if out=$(CHUNKBENCH_COUNTER=shm mpi 2 "$CHUNKBENCH" verify "$WORK/one_p2p_block_independent.h5" --schedule dynamic -q 2>&1) ||
    ! grep -q "CHUNKBENCH_COUNTER must be auto, rma or p2p" <<<"$out"; then
    fail "CHUNKBENCH_COUNTER=shm: $out"
fi

echo "${#args[@]} runs written and verified; checking with h5py"
$CHECK "${args[@]}" || fail "h5py cross-check"
finish
