#!/usr/bin/env bash
# `chunkbench compare` on two real run reports: the text table and --csv,
# every ratio checked against the JSON figures; then the errors (a file that
# is not a run report, a missing file, no file at all).
# Env: CHUNKBENCH (the program, required), CB_PYTHON (default /usr/bin/python3).
set -euo pipefail
: "${CHUNKBENCH:?set CHUNKBENCH to the program}"
PY=${CB_PYTHON:-/usr/bin/python3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=slot:oversubscribe
W=$(mktemp -d /tmp/cbcompare.XXXXXX)
trap 'rm -rf "$W"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
mpi() { local n=$1; shift; timeout 120 mpirun -n "$n" "$@"; }

# Two runs of the same dataset that differ in ranks and schedule.
mpi 1 "$CHUNKBENCH" run "$W/a.h5" 200 300 --chunk 50,100 --schedule block --json "$W/a.json" -q
mpi 2 "$CHUNKBENCH" run "$W/b.h5" 200 300 --chunk 50,100 --schedule cyclic --json "$W/b.json" -q
echo '{"target": "x", "verified": 12}' >"$W/not_a_run.json"

cd "$W"
set +e
"$CHUNKBENCH" compare a.json b.json >text.out 2>text.err
rc_text=$?
"$CHUNKBENCH" compare a.json b.json --csv >csv.out 2>csv.err
rc_csv=$?
"$CHUNKBENCH" compare a.json not_a_run.json >bad.out 2>bad.err
rc_bad=$?
"$CHUNKBENCH" compare a.json missing.json >missing.out 2>missing.err
rc_missing=$?
"$CHUNKBENCH" compare >none.out 2>none.err
rc_none=$?
set -e

if grep -qi "unknown command" text.err; then
  echo "FAIL: the program has no compare command yet: $(cat text.err)"
  exit 1
fi
[ $rc_text = 0 ] || fail "compare a.json b.json: exit $rc_text: $(cat text.err)"
[ $rc_csv = 0 ] || fail "compare --csv: exit $rc_csv: $(cat csv.err)"
echo "---- compare a.json b.json"
cat text.out
echo "---- compare a.json b.json --csv"
cat csv.out

"$PY" - <<'EOF' || FAILS=$((FAILS + 1))
import csv, json, math, sys

a, b = (json.load(open(f)) for f in ("a.json", "b.json"))
bad = []

def figures(d):
    w = d["writers"]
    busy = [x["busy_s"] for x in w]
    return {
        "bytes": d["bytes"],
        "phase": d["bandwidth_MBps"]["write_phase"],
        "ior": d["bandwidth_MBps"]["ior"],
        "p50": d["latency_s"]["p50"],
        "p90": d["latency_s"]["p90"],
        "p99": d["latency_s"]["p99"],
        "spread": max(busy) / min(busy) if busy and min(busy) > 0 else float("nan"),
    }

fa, fb = figures(a), figures(b)
want = {k: fb[k] / fa[k] if fa[k] > 0 else float("nan") for k in fa}

# --- text: the ratio table, rows "N label MB phase IOR p50 p90 p99 busy"
lines = open("text.out").read().splitlines()
try:
    start = next(i for i, l in enumerate(lines) if l.startswith("ratios to run 1"))
except StopIteration:
    sys.exit("FAIL: text output has no 'ratios to run 1' table")
rows = {}
for l in lines[start + 2 : start + 4]:
    f = l.split()
    rows[f[1]] = f[2:9]
if set(rows) != {"a.json", "b.json"}:
    bad.append(f"ratio table rows are {sorted(rows)}, want a.json and b.json")
else:
    keys = ["bytes", "phase", "ior", "p50", "p90", "p99", "spread"]
    for k, cell in zip(keys, rows["a.json"]):
        if not (cell == "-" and math.isnan(want[k])) and cell != "1.00":
            bad.append(f"text: run 1's own {k} ratio printed {cell}, want 1.00")
    for k, cell in zip(keys, rows["b.json"]):
        e = want[k]
        if math.isnan(e):
            if cell != "-":
                bad.append(f"text: {k} ratio {cell}, want '-'")
            continue
        p = float(cell)
        # printed with ~3 significant digits
        if abs(p - e) > 0.0051 + 0.006 * abs(e) and not (abs(e) < 0.1 and abs(p - e) <= 0.051 * abs(e)):
            bad.append(f"text: {k} ratio printed {cell}, computed {e:.6g}")
# the values table shows each run's IOR bandwidth to 0.1 MB/s
vals = [l.split() for l in lines if l[:2] in ("1 ", "2 ")][:2]
hdr = next(l for l in lines if l.startswith("#  run"))
col = hdr.split("  ")
col = [c.strip() for c in col if c.strip()]
if "IOR MB/s" not in col:
    bad.append(f"text: no 'IOR MB/s' column in {col}")
else:
    i = col.index("IOR MB/s")
    for v, d in zip(vals, (a, b)):
        if abs(float(v[i]) - d["bandwidth_MBps"]["ior"]) > 0.051:
            bad.append(f"text: {v[1]} IOR MB/s printed {v[i]}, JSON has {d['bandwidth_MBps']['ior']}")

# --- CSV: full precision, ratio columns at the end
recs = list(csv.DictReader(open("csv.out")))
if len(recs) != 2:
    bad.append(f"CSV has {len(recs)} rows, want 2")
else:
    cols = {"bytes": "bytes_ratio", "phase": "write_phase_ratio", "ior": "ior_ratio", "p50": "latency_p50_ratio",
            "p90": "latency_p90_ratio", "p99": "latency_p99_ratio", "spread": "busy_spread_ratio"}
    r1, r2 = recs
    for k, c in cols.items():
        if c not in r1:
            bad.append(f"CSV: no column {c}")
            continue
        if math.isnan(want[k]):
            if r2[c] != "":
                bad.append(f"CSV: {c} = {r2[c]!r}, want empty")
            continue
        if not math.isclose(float(r1[c]), 1.0, rel_tol=1e-9):
            bad.append(f"CSV: run 1 {c} = {r1[c]}, want 1")
        if not math.isclose(float(r2[c]), want[k], rel_tol=1e-6):
            bad.append(f"CSV: run 2 {c} = {r2[c]}, computed {want[k]:.10g}")
    checks = [("label", "a.json", "b.json"), ("backend", "hdf5", "hdf5"), ("schedule", "block", "cyclic"),
              ("ranks", "1", "2"), ("writers", "1", "2"), ("bytes", "480000", "480000")]
    for c, x, y in checks:
        if (r1.get(c), r2.get(c)) != (x, y):
            bad.append(f"CSV: {c} = {r1.get(c)!r}, {r2.get(c)!r}; want {x!r}, {y!r}")
    for c, d in (("ior_MBps", "ior"), ("write_phase_MBps", "phase"), ("latency_p99_s", "p99")):
        for r, f in ((r1, fa), (r2, fb)):
            if not math.isclose(float(r[c]), f[d], rel_tol=1e-8):
                bad.append(f"CSV: {c} = {r[c]}, JSON has {f[d]}")

if bad:
    print("FAIL: " + "\nFAIL: ".join(bad))
    sys.exit(1)
print("text and CSV ratios match the JSON figures")
EOF

# Errors: name the file and the key; usage-type exit code 2; nothing on stdout.
if [ $rc_bad != 2 ] || ! grep -q "not_a_run.json" bad.err || ! grep -qE '"(backend|shape|dtype|tasks\.total)"' bad.err ||
  [ -s bad.out ]; then
  fail "compare with a non-report: exit $rc_bad, stderr: $(cat bad.err), stdout: $(head -c 200 bad.out)"
else
  echo "non-report rejected (exit 2): $(cat bad.err)"
fi
if [ $rc_missing = 0 ] || ! grep -q "missing.json" missing.err; then
  fail "compare with a missing file: exit $rc_missing, stderr: $(cat missing.err)"
else
  echo "missing file rejected (exit $rc_missing): $(cat missing.err)"
fi
if [ $rc_none != 2 ]; then
  fail "compare without files: exit $rc_none (want 2), stderr: $(cat none.err)"
else
  echo "no files rejected (exit 2): $(cat none.err)"
fi

# Two runs on different stacks: compare says which parts differ (the stack
# recorded by the runs themselves; c.json is b.json with another HDF5 and
# file system, as a run on another machine would record them).
/usr/bin/python3 - b.json c.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stack"]["hdf5"] and d["stack"]["fs_type"] is not None, d.get("stack")
d["stack"]["hdf5"] = "9.9.9"
d["stack"]["fs_type"] = "lustre"
d["stack"]["hosts"] = 4
json.dump(d, open(sys.argv[2], "w"))
PY
"$CHUNKBENCH" compare a.json c.json >stack.out 2>stack.err || fail "compare across stacks: $(cat stack.err)"
hdf5_a=$(/usr/bin/python3 -c 'import json; print(json.load(open("a.json"))["stack"]["hdf5"])')
fs_a=$(/usr/bin/python3 -c 'import json; print(json.load(open("a.json"))["stack"]["fs_type"])')
grep -qF "note: run 2 (c.json) used another stack than run 1: HDF5 9.9.9 (run 1: $hdf5_a); file system lustre (run 1: $fs_a);" stack.out ||
  fail "compare across stacks: no stack note: $(grep note stack.out)"
# The hosts column: each run's host count (as recorded), in text and CSV.
/usr/bin/python3 - stack.out <<'PY' || fail "compare: hosts column"
import sys
lines = open(sys.argv[1]).read().splitlines()
hdr = next(l for l in lines if l.startswith("#  run"))
col = [c.strip() for c in hdr.split("  ") if c.strip()]
assert "hosts" in col and col.index("hosts") == col.index("ranks") + 1, col
rows = [l.split() for l in lines if l[:2] in ("1 ", "2 ")][:2]
assert [r[col.index("hosts")] for r in rows] == ["1", "4"], rows
PY
"$CHUNKBENCH" compare a.json c.json --csv >stack.csv || fail "compare --csv across stacks"
/usr/bin/python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
assert [x["hosts"] for x in r] == ["1", "4"], r' stack.csv || fail "compare --csv: hosts column"
grep -q "another stack" text.out && fail "compare of runs on one stack has a stack note: $(grep note text.out)"

# Filters: a deflate run beside the unfiltered one. compare prints the
# compression table (filters, logical and stored MB, ratio, logical and stored
# MB/s: each cell the JSON's figure as printed) and a note for the filter
# difference; runs without filters have no such table.
mpi 2 "$CHUNKBENCH" run "$W/d.h5" 200 300 --chunk 50,100 --schedule cyclic --values smooth --filter shuffle \
  --filter deflate:1 --io collective --json "$W/d.json" -q || fail "filtered run"
"$CHUNKBENCH" compare b.json d.json >filt.out 2>filt.err || fail "compare with a filtered run: $(cat filt.err)"
cat filt.out
grep -q "^compression:" text.out && fail "compare of unfiltered runs prints a compression table"
/usr/bin/python3 - filt.out b.json d.json <<'PY' || fail "compare: compression table"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
b, d = (json.load(open(f)) for f in sys.argv[2:4])
c = d["compression"]
assert "compression" not in b, "the unfiltered run has a compression object"
# stored MB/s is stored bytes over the write phase's time
t = d["bytes"] / 1e6 / d["bandwidth_MBps"]["write_phase"]
assert abs(c["stored_MBps"] - c["stored_bytes"] / 1e6 / t) <= 1e-9 * c["stored_MBps"], (c, t)
assert c["stored_bytes"] < d["bytes"], c
want = [
    "# run filters logical MB stored MB ratio logical MB/s stored MB/s",
    "1 b.json none %.2f - - %.1f -" % (b["bytes"] / 1e6, b["bandwidth_MBps"]["write_phase"]),
    "2 d.json shuffle deflate:1 %.2f %.2f %.3f %.1f %.1f"
    % (d["bytes"] / 1e6, c["stored_bytes"] / 1e6, c["ratio"], c["logical_MBps"], c["stored_MBps"]),
]
i = lines.index("compression:")
got = [" ".join(l.split()) for l in lines[i + 1 : i + 4]]
assert got == want, f"\n got {got}\nwant {want}"
note = "note: run 2 (d.json) used other filters than run 1: shuffle deflate:1 (run 1: none)"
assert note in lines, f"no line {note!r}"
print("compression table and filter note as the JSON says")
PY
"$CHUNKBENCH" compare b.json d.json --csv >filt.csv || fail "compare --csv with a filtered run"
/usr/bin/python3 - filt.csv d.json <<'PY' || fail "compare --csv: compression columns"
import csv, json, math, sys
r1, r2 = csv.DictReader(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))["compression"]
assert (r1["filters"], r1["stored_bytes"], r1["compression_ratio"], r1["stored_MBps"]) == ("", "", "", ""), r1
assert r2["filters"] == "shuffle deflate:1" and int(r2["stored_bytes"]) == c["stored_bytes"], r2
assert math.isclose(float(r2["compression_ratio"]), c["ratio"], rel_tol=1e-8), r2
assert math.isclose(float(r2["stored_MBps"]), c["stored_MBps"], rel_tol=1e-8), r2
PY
# A compression object without its figures is not one of ours.
/usr/bin/python3 -c '
import json, sys
d = json.load(open("d.json")); del d["compression"]["stored_bytes"]; json.dump(d, open("e.json", "w"))'
set +e
"$CHUNKBENCH" compare b.json e.json >e.out 2>e.err
rc_e=$?
set -e
[ $rc_e = 2 ] && grep -qx 'chunkbench: error: e.json: not a chunkbench run report (JSON of write, run or status --json): no number at "compression.stored_bytes"' e.err ||
  fail "compare with a broken compression object: exit $rc_e: $(cat e.err)"

if [ "$FAILS" -ne 0 ]; then echo "$FAILS failures"; exit 1; fi
echo "all passed"
