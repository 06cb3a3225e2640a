#!/usr/bin/env bash
# HSDS end to end, through the CLI, against a private server on loopback
# (scripts/hsds_up.sh): MPI schedules x ranks, independent --schedule server
# writers (alone and beside an h5pyd writer), h5pyd reading our domains, read
# --pattern (against h5pyd), --filter
# (the server's pipeline, stored bytes, refusals),
# resume, --lease, configuration, and faults (credentials, no server, missing
# or existing domain, injected 503s / lost answers / short reads, a server
# restart mid-run).
# Env: CHUNKBENCH (the program), CB_SRC (source tree), CB_VENV (python venv,
# default $CB_SRC/.venv), CB_HSDS_PORT (default 5101; hsds also takes
# 6101-6102), CB_HSDS_ONLY (run only the tests whose name contains it),
# CB_HSDS_KEEP (keep the work directory with every test's log), CB_OWN_NETNS=1
# (run in a network namespace of its own: tests/hsds/own_netns.sh).
set -uo pipefail
# shellcheck disable=SC1091
source "${CB_SRC:?set CB_SRC to the source tree}/tests/hsds/own_netns.sh"
cb_own_netns "$0" "$@"
# shellcheck disable=SC1091
source "$CB_SRC/tests/hsds/common.sh"
PROXY_PORT=$((PORT + 100))
HERE=$CB_SRC/tests/hsds
WORK=$(mktemp -d /tmp/cbhsds.XXXXXX)
HS=$WORK/server
PASSED=0 FAILED=0 PROXY_PID=

cleanup() {
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
    "$CB_SRC/scripts/hsds_down.sh" "$HS" >/dev/null 2>&1
    if [ -n "${CB_HSDS_KEEP:-}" ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if ! "$CB_SRC/scripts/hsds_up.sh" "$HS" "$PORT" >"$WORK/up.log" 2>&1; then
    cat "$WORK/up.log"
    echo "0 passed, 1 failed"
    exit 1
fi
# shellcheck disable=SC1091
source "$HS/env.sh"
PY=$CB_VENV/bin/python
U=$HS_USERNAME
D=hdf5://home/$U

check() { "$PY" "$HERE/hs_check.py" "$@"; }

# run_test NAME: runs t_NAME in a subshell; its non-zero exit is a failure.
run_test() {
    local name=$1
    if [ -n "${CB_HSDS_ONLY:-}" ] && [[ $name != *"$CB_HSDS_ONLY"* ]]; then return; fi
    local t0=$SECONDS
    if (set -e; "t_$name") >"$WORK/$name.log" 2>&1; then
        PASSED=$((PASSED + 1))
        echo "ok   $name ($((SECONDS - t0)) s)"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL $name ($((SECONDS - t0)) s); its output:"
        sed 's/^/    /' "$WORK/$name.log" | tail -40
        # The server's own word on it (its log goes with WORK).
        echo "    -- the server's last errors (hsds.log):"
        grep -E 'ERROR|Traceback|Exception' "$HS/hsds.log" 2>/dev/null | tail -15 | cut -c1-400 | sed 's/^/    /' || true
    fi
}

die() { echo "$*" >&2; exit 1; }


proxy_start() { # proxy_start ARGS...: a fault proxy on PROXY_PORT
    "$PY" "$HERE/fault_proxy.py" --listen "$PROXY_PORT" --target "$HS_ENDPOINT" --stats "$WORK/proxy.json" "$@" \
        2>>"$WORK/proxy.log" &
    PROXY_PID=$!
    for _ in $(seq 50); do
        "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$PROXY_PORT" \
            2>/dev/null && return 0
        sleep 0.1
    done
    die "fault proxy did not start"
}
proxy_stop() { kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null; PROXY_PID=; }

# ---------------------------------------------------------------------------

t_schedules() { # every MPI schedule with 1, 2 and 4 ranks: create, write, status, verify
    for n in 1 2 4; do
        for s in block cyclic dynamic; do
            T=$D/m_${n}_$s.h5
            "$B" create "$T" 400 600 --chunk 100,150 -q
            mpi "$n" "$B" write "$T" --schedule "$s" -q --json "$WORK/w.json"
            [ "$(json "$WORK/w.json" "d['tasks']['complete'], d['http']['requests'] > 0")" = "16 True" ] ||
                die "$n ranks $s: $(json "$WORK/w.json" "d['tasks'], d.get('http')")"
            "$B" status "$T" --json "$WORK/s.json" -q
            [ "$(json "$WORK/s.json" "d['tasks']['complete']")" = 16 ] || die "status after $n ranks $s"
            mpi "$n" "$B" verify "$T" -q || die "verify after $n ranks $s"
            check "$T" --shape 400,600 --chunk 100,150 --dtype f8 --complete 16 >/dev/null
        done
    done
    # run = create + write + status, with a report of HTTP figures
    mpi 2 "$B" run "$D/run.h5" 1000 2000 --chunk 200,500 > "$WORK/run.txt"
    grep -qE "^http: +[0-9]+ requests, [0-9]+ retries, latency p50" "$WORK/run.txt" || die "no http line: $(cat "$WORK/run.txt")"
    check "$D/run.h5" --complete 20 >/dev/null
}

t_reads() { # chunkbench read on a domain: every schedule verifies, HTTP requests are counted
    "$B" create "$D/rd.h5" 400 600 --chunk 100,150 -q
    mpi 2 "$B" write "$D/rd.h5" -q
    for s in block cyclic dynamic; do
        mpi 2 "$B" read "$D/rd.h5" --schedule "$s" --verify -q --json "$WORK/hsread.json" || die "read $s"
        [ "$(json "$WORK/hsread.json" "d['http']['requests'] >= 16")" = True ] || die "read $s: $(json "$WORK/hsread.json" "d.get('http')")"
    done
    # every HTTP request of a read is in the request log: sizes by the seed's classes, and as CSV
    mpi 2 "$B" read "$D/rd.h5" -q --json "$WORK/hsread.json" --log "$WORK/hsreq.csv" || die "read --log"
    local n; n=$(json "$WORK/hsread.json" "d['requests']['count']")
    [ "$n" -ge 16 ] || die "request log: $n requests"
    [ "$(json "$WORK/hsread.json" "sum(c['requests'] for c in d['requests']['histogram']) == d['requests']['count'], d['requests']['raw_requests'] >= 16, d['requests']['raw_bytes'] >= 400 * 600 * 8")" = "True True True" ] ||
        die "request log figures: $(json "$WORK/hsread.json" "d['requests']")"
    [ "$(($(wc -l < "$WORK/hsreq.csv") - 1))" = "$n" ] || die "CSV rows $(wc -l < "$WORK/hsreq.csv") for $n requests"
    # damage one value through h5pyd: read --verify names it and exits 4
    "$PY" -c "import h5pyd,sys; f=h5pyd.File(sys.argv[1],'a'); f['dset'][150,200]=-1.0; f.close()" "$D/rd.h5"
    local rc=0
    mpi 2 "$B" read "$D/rd.h5" --verify > "$WORK/damaged_read.txt" 2>&1 || rc=$?
    [ "$rc" = 4 ] || die "damaged read exit $rc: $(tail -3 "$WORK/damaged_read.txt")"
    grep -q "first at (150,200)" "$WORK/damaged_read.txt" || die "mismatch not named: $(cat "$WORK/damaged_read.txt")"
}

t_pattern() { # read --pattern on a domain: random, stride, points at 1 and 3 ranks, = h5pyd's; a changed value exits 4
    local T=$D/pat.h5 bad=$D/pat_bad.h5 out rc
    "$B" create "$T" 370 530 --chunk 100,160 --seed 9 -q
    "$B" create "$bad" 370 530 --chunk 100,160 --seed 9 -q
    mpi 3 "$B" write "$T" -q
    mpi 3 "$B" write "$bad" -q
    printf '# row col\n0 0\n369 529\n5 7\n100 160\n21 25\n200 3\n' > "$WORK/p.txt"
    # Every selection once, --verify, elements and value sum = h5pyd's, one data request a selection.
    for combo in "1 block" "3 dynamic" "3 block" "1 dynamic"; do
        set -- $combo
        for spec in "random:16x24 --count 30 --seed 5" "stride:3:370:7,5:530:11" "points:300 --seed 3" \
                    "points:$WORK/p.txt --group 2"; do
            [ "$combo" = "1 dynamic" ] && [[ $spec != points:3* ]] && continue  # the pairs are covered above
            # shellcheck disable=SC2086
            out=$(mpi "$1" "$B" read "$T" --pattern $spec --schedule "$2" --verify --json "$WORK/p.json" \
                  --log "$WORK/p.csv" 2>&1) || die "read np=$1 $2 $spec: $out"
            echo "$out" | grep -q "^verify:       OK: 0 tasks with mismatches$" || die "no verify line: $spec: $out"
            # shellcheck disable=SC2086
            "$PY" "$CB_SRC/tests/read/pattern_check.py" "$WORK/p.json" "$T" $spec || die "figures np=$1 $2 $spec"
            [ "$(($(wc -l < "$WORK/p.csv") - 1))" = "$(json "$WORK/p.json" "d['requests']['count']")" ] ||
                die "request log rows for $spec"
            # Two points a POST: 2 x 16 bytes of uint64 coordinates up, 2 x 8 of float64 down.
            if [[ $spec == *p.txt* ]]; then
                [ "$(tail -n +2 "$WORK/p.csv" | cut -d, -f2,4 | sort -u)" = "raw,48" ] ||
                    die "point requests' sizes: $(cat "$WORK/p.csv")"
            fi
        done
    done
    # One changed value (h5pyd): found by the patterns that read it, exit 4; not by one that misses it.
    "$PY" -c "import h5pyd,sys; f=h5pyd.File(sys.argv[1],'a'); f['dset'][21,25]=7.0; f.close()" "$bad"
    for spec in "stride:0:370:7,3:530:11" "points:$WORK/p.txt" "random:370x530 --count 1"; do
        rc=0
        # shellcheck disable=SC2086
        out=$(mpi 3 "$B" read "$bad" --pattern $spec --schedule dynamic --verify 2>&1) || rc=$?
        [ "$rc" = 4 ] || die "a changed value not found by $spec: rc=$rc: $out"
        echo "$out" | grep -q "^verify:       FAILED: 1 tasks with mismatches$" || die "no FAILED line for $spec: $out"
    done
    mpi 2 "$B" read "$bad" --pattern stride:1:370:7,: --verify -q || die "a pattern that misses the change failed"
}

t_values() { # --values on a domain: stored as the values attribute, written, verified, read by h5pyd bit for bit
    for g in smooth repeat:0.5; do
        T=$D/values_${g/:/_}.h5
        "$B" create "$T" 400 600 --chunk 100,150 --dtype f4 --values "$g" -q
        mpi 2 "$B" write "$T" -q --json "$WORK/wv.json"
        [ "$(json "$WORK/wv.json" "d['values']")" = "$g" ] || die "write --json values of $g: $(json "$WORK/wv.json" "d.get('values')")"
        mpi 2 "$B" verify "$T" -q || die "verify of $g"
        check "$T" --complete 16 --values "$g" >/dev/null
    done
}

# comp_ok FILE CHAIN: a write's or status's JSON names the chain, and fewer bytes stored than logical.
comp_ok() {
    [ "$(json "$1" "d['compression']['filters'], 0 < d['compression']['stored_bytes'] < d['compression']['logical_bytes'], d['compression']['ratio'] > 1")" = "$2 True True" ] ||
        die "$1: compression $(json "$1" "d.get('compression')"), want $2 and stored < logical"
}

t_filters() { # --filter on a domain: the server's pipeline (h5pyd sees it), MPI and server writers, data = numpy's, stored < logical
    # shuffle + deflate, dynamic at 2 ranks
    T=$D/flt_deflate.h5
    "$B" create "$T" 400 600 --chunk 100,150 --filter shuffle --filter deflate:1 --values smooth -q
    mpi 2 "$B" write "$T" --schedule dynamic -q --json "$WORK/fw1.json"
    comp_ok "$WORK/fw1.json" "shuffle deflate:1"
    mpi 2 "$B" verify "$T" -q || die "verify deflate"
    check "$T" --complete 16 --values smooth --filters "H5Z_FILTER_SHUFFLE H5Z_FILTER_DEFLATE:1" --compression gzip \
        --shuffle 1 > "$WORK/fc1.json"
    [ "$(json "$WORK/fc1.json" "d['filters_attr']")" = "shuffle deflate:1" ] || die "filters attribute: $(cat "$WORK/fc1.json")"
    # status: the record, and the stored bytes the write ended with (the server's last scan)
    "$B" status "$T" --json "$WORK/fs1.json" -q
    comp_ok "$WORK/fs1.json" "shuffle deflate:1"
    [ "$(json "$WORK/fs1.json" "d['compression']['stored_bytes']")" = "$(json "$WORK/fw1.json" "d['compression']['stored_bytes']")" ] ||
        die "status stored $(json "$WORK/fs1.json" "d['compression']") vs write $(json "$WORK/fw1.json" "d['compression']")"
    "$B" status "$T" | grep -qE "^compression: +[0-9.]+ MB stored for 1.9 MB logical, ratio [0-9.]+" || die "no compression line in status"

    # a blosc codec alone (f4), cyclic at 2 ranks
    T=$D/flt_zstd.h5
    "$B" create "$T" 400 600 --chunk 100,150 --dtype f4 --filter blosc-zstd --values smooth -q
    mpi 2 "$B" write "$T" --schedule cyclic -q --json "$WORK/fw2.json"
    comp_ok "$WORK/fw2.json" "blosc-zstd"
    mpi 2 "$B" verify "$T" -q || die "verify zstd"
    check "$T" --complete 16 --values smooth --filters "H5Z_FILTER_ZSTD" --compression zstd --shuffle 0 >/dev/null

    # shuffle + blosc-lz4:3 by two --schedule server writers: every task once
    T=$D/flt_lz4.h5
    "$B" create "$T" 400 600 --chunk 100,150 --filter shuffle --filter blosc-lz4:3 --values smooth -q
    "$B" write "$T" --schedule server -q --json "$WORK/fw3a.json" & p1=$!
    "$B" write "$T" --schedule server -q --json "$WORK/fw3b.json" & p2=$!
    wait $p1 && wait $p2 || die "a server writer failed"
    [ $(($(json "$WORK/fw3a.json" "d['passes']['list'][0]['tasks']") + $(json "$WORK/fw3b.json" "d['passes']['list'][0]['tasks']"))) = 16 ] ||
        die "server writers: not 16 tasks"
    "$B" verify "$T" -q || die "verify lz4"
    check "$T" --complete 16 --in-progress 0 --values smooth --filters "H5Z_FILTER_SHUFFLE H5Z_FILTER_LZ4:3" \
        --compression lz4 --shuffle 1 >/dev/null
    "$B" status "$T" --json "$WORK/fs3.json" -q
    comp_ok "$WORK/fs3.json" "shuffle blosc-lz4:3"
}

t_filter_errors() { # filters HSDS would not apply: one line, exit 2, no domain made
    local n=0 offers="it offers shuffle before a compressor, deflate[:LEVEL], blosc-lz4[:LEVEL], blosc-lz4hc, blosc-zstd and blosc-blosclz"
    while IFS='|' read -r args msg; do
        n=$((n + 1))
        local rc=0
        # shellcheck disable=SC2086
        "$B" create "$D/flt_bad$n.h5" 100 100 $args 2> "$WORK/fe.err" || rc=$?
        [ "$rc" = 2 ] && [ "$(wc -l < "$WORK/fe.err")" = 1 ] && [ "$(cat "$WORK/fe.err")" = "chunkbench: error: ${msg/OFFERS/$offers}" ] ||
            die "create $args: exit $rc, $(cat "$WORK/fe.err"), want: ${msg/OFFERS/$offers}"
    done <<'CASES'
--filter fletcher32|--filter fletcher32: HSDS does not apply this filter (OFFERS)
--filter szip|--filter szip: HSDS does not apply this filter (OFFERS)
--filter 32004:1|--filter 32004:1: HSDS does not apply this filter (OFFERS)
--filter shuffle|--filter shuffle alone: HSDS stores such chunks unshuffled but unshuffles them when it reads them back from storage; add a compressor after it (deflate or blosc-*)
--filter deflate --filter shuffle|--filter shuffle after deflate:6: HSDS shuffles inside the compressor, before compressing: give --filter shuffle first
--filter deflate --filter blosc-zstd|--filter blosc-zstd: HSDS applies one compressor per dataset and deflate:6 is one: give one of them
--filter deflate --no-edge-filter|--no-edge-filter: HSDS stores every chunk whole, the edges too, and filters them all: leave it out
CASES
    "$PY" - "$D" "$n" <<'PY' || die "a refused create left a domain"
import sys, h5pyd
for k in range(1, int(sys.argv[2]) + 1):
    try:
        h5pyd.File(f"{sys.argv[1]}/flt_bad{k}.h5", "r")
    except FileNotFoundError:  # any other failure (credentials, server) is the test's
        continue
    sys.exit(f"flt_bad{k}.h5 exists")
PY
}

t_h5pyd_reads() { # h5pyd sees dtype, fields, layout, data and the same status as chunkbench
    "$B" create "$D/f4.h5" 300 500 --dtype f4 --chunk 64,128 -q
    mpi 2 "$B" write "$D/f4.h5" --max-tasks 3 -q
    check "$D/f4.h5" --dtype f4 --shape 300,500 --chunk 64,128 --complete 6 --pending 14 > "$WORK/c.json"
    "$B" status "$D/f4.h5" --json "$WORK/s.json" -q
    [ "$(json "$WORK/s.json" "[d['tasks'][k] for k in ('complete', 'pending', 'in_progress')]")" = \
      "$(json "$WORK/c.json" "[d['counts'][k] for k in ('complete', 'pending', 'in_progress')]")" ] ||
        die "status and h5pyd disagree"
    for it in row col; do
        "$B" create "$D/$it.h5" 40 30 $it --chunk 10,10 -q
        mpi 2 "$B" write "$D/$it.h5" --schedule cyclic -q
        check "$D/$it.h5" --iter $it --pending 0 >/dev/null
    done
}

t_server_writers() { # three independent processes share a domain: every task exactly once
    T=$D/srv.h5
    "$B" create "$T" 4000 4000 --chunk 400,400 -q
    pids=()
    for i in 1 2 3; do "$B" write "$T" --schedule server -q --json "$WORK/s$i.json" 2> "$WORK/s$i.err" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p" || die "a writer failed: $(cat "$WORK"/s?.err)"; done
    # The others' tasks waiting for their flush are no dead writers' claims:
    # the writer that ends first waits for them instead of warning.
    ! grep -h "warning" "$WORK"/s?.err || die "a writer warned beside live writers"
    sum=0
    for i in 1 2 3; do sum=$((sum + $(json "$WORK/s$i.json" "d['passes']['list'][0]['tasks']"))); done
    [ "$sum" = 100 ] || die "writers wrote $sum tasks, not 100"
    check "$T" --complete 100 --in-progress 0 >/dev/null
    # Each writer recorded its tasks only after the server's flush: durable,
    # and later than the last write was acknowledged.
    for i in 1 2 3; do
        "$PY" -c "
import json,sys; x=json.load(open(sys.argv[1]))['finish']
assert x['durable'] is True and 0 < x['acknowledged_s'] < x['recorded_s'] and x['wait_s'] > 0, x" "$WORK/s$i.json" ||
            die "writer $i: finish record $(json "$WORK/s$i.json" "d.get('finish')")"
    done
}

t_with_h5pyd_writer() { # two chunkbench writers beside an h5pyd writer doing the seed's loop
    T=$D/mix.h5
    "$B" create "$T" 4000 4000 --chunk 400,400 -q
    "$B" write "$T" --schedule server -q --json "$WORK/a.json" & p1=$!
    "$B" write "$T" --schedule server -q --json "$WORK/b.json" & p2=$!
    "$PY" "$HERE/hs_writer.py" "$T" > "$WORK/py.out" & p3=$!
    wait $p1 && wait $p2 && wait $p3 || die "a writer failed"
    a=$(json "$WORK/a.json" "d['passes']['list'][0]['tasks']")
    b=$(json "$WORK/b.json" "d['passes']['list'][0]['tasks']")
    c=$("$PY" -c "import json,sys; print(len(json.loads(open(sys.argv[1]).read().splitlines()[-1])['tasks']))" "$WORK/py.out")
    [ $((a + b + c)) = 100 ] || die "chunkbench $a + $b, h5pyd $c: not 100"
    [ "$c" -gt 0 ] || echo "note: the h5pyd writer got no task"
    check "$T" --complete 100 --in-progress 0 >/dev/null
    "$B" verify "$T" -q
}

t_seed_domains() { # domains made the seed's way (task_list or chunk_list, no attributes)
    for name in task_list chunk_list; do
        "$PY" "$HERE/hs_seed_create.py" "$D/seed_$name.h5" 1000 1000 250 250 --table-name $name >/dev/null
        "$B" status "$D/seed_$name.h5" | grep -q "^pending: *16$"
        mpi 2 "$B" write "$D/seed_$name.h5" -q
        "$B" verify "$D/seed_$name.h5" -q
    done
    # Rows in another order than chunkbench's grid: server-schedule writers
    # take each task's position from the table, not from the grid.
    T=$D/seed_shuffled.h5
    "$PY" "$HERE/hs_seed_create.py" "$T" 1000 1500 250 250 --shuffle 7 >/dev/null
    "$B" write "$T" --schedule server --claim-batch 1 -q --json "$WORK/sh1.json" & p1=$!
    "$B" write "$T" --schedule server --claim-batch 3 -q --json "$WORK/sh2.json" & p2=$!
    wait $p1 && wait $p2 || die "a writer failed"
    [ $(( $(json "$WORK/sh1.json" "d['passes']['list'][0]['tasks']") + $(json "$WORK/sh2.json" "d['passes']['list'][0]['tasks']") )) = 24 ] ||
        die "writers wrote $(json "$WORK/sh1.json" "d['passes']['list'][0]['tasks']") + $(json "$WORK/sh2.json" "d['passes']['list'][0]['tasks']") tasks, not 24"
    "$B" status "$T" --json "$WORK/sh.json" -q
    [ "$(json "$WORK/sh.json" "d['tasks']['complete'], d['tasks']['in_progress']")" = "24 0" ] || die "status: $(json "$WORK/sh.json" "d['tasks']")"
    # every row's block, read at the row's own position, holds its values
    "$B" verify "$T" -q
    "$PY" "$HERE/hs_wait_written.py" "$T" --timeout 0 || die "a block is not where its row says"
}

t_claims_released() { # claims a failing writer made but never used go back to pending
    for batch in 1 3; do
        T=$D/release_$batch.h5
        "$B" create "$T" 1000 1000 --chunk 250,250 -q
        did=$("$PY" -c "import h5pyd,sys; print(h5pyd.File(sys.argv[1],'r')['dset'].id.uuid)" "$T")
        proxy_start --busy-every 1 --only "PUT /datasets/$did/value"
        local rc=0
        HS_ENDPOINT=http://127.0.0.1:$PROXY_PORT CB_HTTP_RETRIES=0 "$B" write "$T" --schedule server \
            --claim-batch $batch > "$WORK/rel.txt" 2>&1 || rc=$?
        proxy_stop
        [ "$rc" = 3 ] && grep -q "writing task" "$WORK/rel.txt" || die "batch $batch: exit $rc: $(cat "$WORK/rel.txt")"
        # The task it was writing stays in progress (for --lease); the claims
        # it held besides (a batch, or the one made ahead) are pending again.
        check "$T" --complete 0 --in-progress 1 --pending 15 >/dev/null || die "batch $batch: claims kept"
    done
}

t_resume() { # --max-tasks, then other writers finish the rest
    T=$D/resume.h5
    "$B" create "$T" 1000 1000 --chunk 250,250 -q
    "$B" write "$T" --schedule server --max-tasks 5 -q
    check "$T" --complete 5 --pending 11 >/dev/null
    mpi 2 "$B" write "$T" --max-tasks 2 -q
    check "$T" --complete 9 --pending 7 >/dev/null
    mpi 2 "$B" write "$T" --schedule dynamic -q
    check "$T" --complete 16 >/dev/null
    "$B" verify "$T" -q
}

t_lease() { # a task left in progress is retaken only with --lease
    T=$D/lease.h5
    "$B" create "$T" 1000 1000 --chunk 250,250 -q
    "$PY" "$HERE/hs_writer.py" "$T" --claim-only --max-tasks 2 --pod crashed >/dev/null
    "$B" write "$T" --schedule server -q
    check "$T" --complete 14 --in-progress 2 >/dev/null
    sleep 1.5
    "$B" write "$T" --schedule server --lease 1 -q
    check "$T" --complete 16 --in-progress 0 >/dev/null
}

t_config() { # .hscfg as h5pyd reads it; environment over file; --endpoint/--bucket over both
    home=$WORK/home
    mkdir -p "$home"
    printf '# test\nhs_endpoint = %s\nhs_username = %s\nhs_password = %s\nhs_bucket = None\n' \
        "$HS_ENDPOINT" "$HS_USERNAME" "$HS_PASSWORD" > "$home/.hscfg"
    (cd "$WORK" && env -u HS_ENDPOINT -u HS_USERNAME -u HS_PASSWORD -u HS_BUCKET HOME="$home" \
        "$B" create "$D/cfg.h5" 100 100 -q --force)
    # the environment wins over the file
    if (cd "$WORK" && HOME="$home" HS_PASSWORD=wrong "$B" status "$D/cfg.h5" -q 2>/dev/null); then
        die "HS_PASSWORD did not override ~/.hscfg"
    fi
    # ./.hscfg is read instead of ~/.hscfg
    mkdir -p "$WORK/cwd"
    printf 'hs_endpoint = http://127.0.0.1:1\n' > "$WORK/cwd/.hscfg"
    out=$(cd "$WORK/cwd" && env -u HS_ENDPOINT HOME="$home" "$B" status "$D/cfg.h5" 2>&1) && die "./.hscfg ignored"
    echo "$out" | grep -q "cannot reach HSDS at http://127.0.0.1:1" || die "./.hscfg: $out"
    # command line over both; a bucket that does not exist is named in the error
    (cd "$WORK/cwd" && "$B" status "$D/cfg.h5" --endpoint "$HS_ENDPOINT" -q)
    out=$("$B" status "$D/cfg.h5" --bucket nosuchbucket 2>&1) && die "unknown bucket accepted"
    echo "$out" | grep -q "not found .* in bucket nosuchbucket" || die "bucket message: $out"
    out=$(env -u HS_ENDPOINT HOME="$WORK/none" "$B" status "$D/cfg.h5" 2>&1) && die "no endpoint accepted"
    echo "$out" | grep -q "no HSDS endpoint" || die "no-endpoint message: $out"
}

t_errors() { # clear one-line errors, exit codes, no retry storms, no credentials printed
    "$B" create "$D/err.h5" 100 100 -q
    proxy_start
    for cmd in "status $D/err.h5" "write $D/err.h5 --schedule server" "create $D/err2.h5 100 100"; do
        # shellcheck disable=SC2086
        out=$(HS_ENDPOINT=http://127.0.0.1:$PROXY_PORT HS_PASSWORD=s3cr3t-pw "$B" $cmd 2>&1); rc=$?
        [ $rc = 3 ] || die "wrong password: exit $rc for $cmd"
        echo "$out" | grep -q "refused the credentials (401): check HS_USERNAME/HS_PASSWORD" || die "401 message: $out"
        echo "$out" | grep -q "s3cr3t" && die "password printed: $out"
    done
    proxy_stop
    [ "$(json "$WORK/proxy.json" "d['requests']")" = 3 ] || die "retry storm: $(cat "$WORK/proxy.json")"
    # endpoint with credentials in it: never printed
    out=$(HS_ENDPOINT=http://u:s3cr3t-pw@127.0.0.1:1 "$B" status "$D/err.h5" 2>&1) && die "unreachable accepted"
    echo "$out" | grep -q s3cr3t && die "credentials in the endpoint printed: $out"
    # no server: quick and clear
    t0=$SECONDS
    out=$(HS_ENDPOINT=http://127.0.0.1:1 "$B" status "$D/err.h5" 2>&1); rc=$?
    [ $rc = 3 ] && [ $((SECONDS - t0)) -lt 10 ] || die "no server: exit $rc after $((SECONDS - t0)) s"
    echo "$out" | grep -q "cannot reach HSDS at http://127.0.0.1:1 .*start the server or set HS_ENDPOINT" || die "$out"
    # domain missing
    for cmd in status verify write; do
        out=$("$B" $cmd "$D/missing.h5" 2>&1); rc=$?
        [ $rc = 3 ] && echo "$out" | grep -q "domain /home/$U/missing.h5 not found" || die "missing ($cmd, $rc): $out"
    done
    # exists: refused without --force, replaced with it
    out=$("$B" create "$D/err.h5" 100 100 2>&1); rc=$?
    [ $rc = 5 ] && echo "$out" | grep -q "exists; use --force to replace it" || die "exists ($rc): $out"
    "$B" create "$D/err.h5" 200 100 --chunk 50,50 --force -q
    check "$D/err.h5" --shape 200,100 --pending 8 >/dev/null
    # a folder is not a domain
    out=$("$B" status "$D" 2>&1) && die "folder accepted"
    echo "$out" | grep -q "is a folder" || die "folder: $out"
}

t_injected_faults() { # 503s, answers lost after the server acted, dropped connections, short reads
    T=$D/faults.h5
    for mode in "--lose-every 3" "--busy-every 4" "--drop-every 5"; do
        "$B" create "$T" 2000 1000 --chunk 200,200 --force -q
        # shellcheck disable=SC2086
        proxy_start $mode
        pids=()
        for i in 1 2; do
            HS_ENDPOINT=http://127.0.0.1:$PROXY_PORT "$B" write "$T" --schedule server -q --json "$WORK/f$i.json" &
            pids+=($!)
        done
        for p in "${pids[@]}"; do wait "$p" || die "$mode: a writer failed"; done
        proxy_stop
        sum=0
        for i in 1 2; do sum=$((sum + $(json "$WORK/f$i.json" "d['passes']['list'][0]['tasks']"))); done
        [ "$sum" = 50 ] || die "$mode: writers wrote $sum tasks, not 50"
        check "$T" --complete 50 --in-progress 0 >/dev/null || die "$mode: table"
    done
    # every third binary read comes back half long: detected, retried, counted
    proxy_start --short-every 3 --only "GET /datasets"
    HS_ENDPOINT=http://127.0.0.1:$PROXY_PORT "$B" verify "$T" -q --json "$WORK/v.json"
    proxy_stop
    [ "$(json "$WORK/proxy.json" "d['short'] > 0")" = True ] || die "no short read injected"
    [ "$(json "$WORK/v.json" "d['http']['retries'] > 0")" = True ] || die "retries not counted"
}

t_restart() { # the server stops and restarts mid-run: complete or stop cleanly; write again; nothing lost
    for sched in cyclic server; do
        T=$D/restart_$sched.h5
        "$B" create "$T" 4000 4000 --chunk 200,200 -q
        # Each writer's exit status goes to r<i>.rc. The retry budget is cut
        # from 120 s to 60: a restart here takes 10-30 s, and a writer that
        # gives up says so (exit 3, allowed below) instead of waiting twice as long.
        export CB_HTTP_RETRY_S=60
        if [ $sched = server ]; then
            (for i in 1 2; do ("$B" write "$T" --schedule server -q > "$WORK/r$i.txt" 2>&1; echo $? > "$WORK/r$i.rc") & done; wait) &
        else
            (mpi 2 "$B" write "$T" --schedule cyclic -q > "$WORK/r1.txt" 2>&1; echo $? > "$WORK/r1.rc") &
        fi
        job=$!
        sleep 3
        "$CB_SRC/scripts/hsds_down.sh" "$HS" >/dev/null 2>&1
        sleep 2
        "$CB_SRC/scripts/hsds_up.sh" "$HS" "$PORT" > "$WORK/up2.log" 2>&1 || die "restart failed: $(tail -5 "$WORK/up2.log")"
        wait $job
        unset CB_HTTP_RETRY_S
        # Allowed: success (0); tasks given back as pending after the restart,
        # said so (6); or a failure that says what happened (3).
        for f in "$WORK"/r*.rc; do
            rc=$(cat "$f") out=${f%.rc}.txt
            echo "$sched: $(basename "$f" .rc) exit $rc: $(cat "$out")"
            case $rc in
            0) ! grep -q "error" "$out" || die "$sched: exit 0 with an error: $(cat "$out")" ;;
            6) grep -qE "^chunkbench: error: (the server|HSDS at .*) restarted during the run.* [0-9]+ tasks.*run (chunkbench )?write .*again to finish" "$out" ||
                   die "$sched: exit 6 without the count and the fix: $(cat "$out")" ;;
            3) grep -qE "gave up after|could not be recorded" "$out" || die "$sched: unclear error: $(cat "$out")" ;;
            *) die "$sched: exit $rc: $(cat "$out")" ;;
            esac
        done
        # Whatever is recorded complete holds the right data.
        check "$T" >/dev/null || die "$sched: recorded tasks have wrong data"
        mpi 2 "$B" write "$T" -q
        check "$T" --complete 400 >/dev/null
        "$B" verify "$T" -q
        rm -f "$WORK"/r*.txt "$WORK"/r*.rc
    done
}

t_restart_given_back() { # finished tasks wait for a flush across a restart: given back, exit 6, said so
    T=$D/giveback.h5
    "$B" create "$T" 1000 1000 --chunk 250,250 -q
    rm -f "$WORK/release"
    # Every flush waits in the proxy until the server has restarted, so none
    # can make these tasks durable on the first server.
    proxy_start --hold "flush=1" --release "$WORK/release"
    local rc=0
    HS_ENDPOINT=http://127.0.0.1:$PROXY_PORT "$B" write "$T" --schedule server --max-tasks 16 \
        --json "$WORK/gb.json" > "$WORK/gb.out" 2> "$WORK/gb.err" & w=$!
    # --max-tasks 16 of 16: once all data is on the server the writer makes no
    # claim again, it only waits for a flush.
    "$PY" "$HERE/hs_wait_written.py" "$T" --timeout 120 || die "the writer did not write its tasks"
    "$CB_SRC/scripts/hsds_down.sh" "$HS" >/dev/null 2>&1
    "$CB_SRC/scripts/hsds_up.sh" "$HS" "$PORT" > "$WORK/up3.log" 2>&1 || die "restart failed: $(tail -5 "$WORK/up3.log")"
    touch "$WORK/release"
    wait $w || rc=$?
    proxy_stop
    cat "$WORK/gb.err"
    [ "$rc" = 6 ] || die "writer exit $rc, not 6: $(cat "$WORK/gb.err")"
    grep -q "^chunkbench: error: the server restarted during the run .* 16 tasks written by this run: they were given back as pending; run chunkbench write $T again to finish them" "$WORK/gb.err" ||
        die "unclear message: $(cat "$WORK/gb.err")"
    # The run still gets its report, with the count.
    [ "$(json "$WORK/gb.json" "d['given_back'], d['passes']['list'][0]['tasks'], d['tasks']['pending']")" = "16 16 16" ] ||
        die "report: $(json "$WORK/gb.json" "d.get('given_back'), d['passes'], d['tasks']")"
    check "$T" --complete 0 --pending 16 --in-progress 0 >/dev/null
    # As the message says: write again finishes them.
    "$B" write "$T" --schedule server -q
    check "$T" --complete 16 --in-progress 0 >/dev/null
    "$B" verify "$T" -q

    # An MPI run flushes before it records the table; with that flush held
    # across a restart it reads its tasks back: those whose data the restart
    # lost (the server may or may not have stored them yet) are pending again,
    # and the report and exit status say so.
    T=$D/giveback_mpi.h5
    "$B" create "$T" 1000 1000 --chunk 250,250 -q
    rm -f "$WORK/release"
    proxy_start --hold "flush=1" --release "$WORK/release"
    rc=0
    (HS_ENDPOINT=http://127.0.0.1:$PROXY_PORT mpi 2 "$B" write "$T" --schedule dynamic --json "$WORK/gbm.json" \
        > "$WORK/gbm.out" 2> "$WORK/gbm.err") & w=$!
    "$PY" "$HERE/hs_wait_written.py" "$T" --timeout 120 || die "the MPI writers did not write their tasks"
    "$CB_SRC/scripts/hsds_down.sh" "$HS" >/dev/null 2>&1
    "$CB_SRC/scripts/hsds_up.sh" "$HS" "$PORT" > "$WORK/up4.log" 2>&1 || die "restart failed: $(tail -5 "$WORK/up4.log")"
    touch "$WORK/release"
    wait $w || rc=$?
    proxy_stop
    cat "$WORK/gbm.err"
    local lost
    case $rc in
    0) lost=0 ;;
    6) lost=$(sed -nE 's/^chunkbench: error: HSDS at .* restarted during the run and lost the data of ([0-9]+) tasks: they are pending again; run chunkbench write .* again to finish them$/\1/p' "$WORK/gbm.err")
       [ -n "$lost" ] && [ "$lost" -gt 0 ] || die "exit 6 without the count and the fix: $(cat "$WORK/gbm.err")" ;;
    *) die "MPI writers exit $rc: $(cat "$WORK/gbm.err")" ;;
    esac
    echo "MPI run: exit $rc, $lost tasks lost"
    [ "$(json "$WORK/gbm.json" "d['tasks']['pending'], d['tasks']['complete']")" = "$lost $((16 - lost))" ] ||
        die "report: $(json "$WORK/gbm.json" "d['tasks']") for $lost lost"
    check "$T" --complete $((16 - lost)) --pending "$lost" >/dev/null
    mpi 2 "$B" write "$T" -q
    check "$T" --complete 16 >/dev/null
    "$B" verify "$T" -q
}

run_test schedules
run_test reads
run_test pattern
run_test values
run_test filters
run_test filter_errors
run_test h5pyd_reads
run_test server_writers
run_test with_h5pyd_writer
run_test seed_domains
run_test claims_released
run_test resume
run_test lease
run_test config
run_test errors
run_test injected_faults
run_test restart
run_test restart_given_back

echo "hsds: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
