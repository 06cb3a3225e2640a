# Shared by test_atl06.sh and test_atl06_curl.sh (sourced after hdf5/lib.sh):
# small ATL06-like granules (bench/atl06_like.py) in the seed's five layouts
# as bench/atl06_variants.sh makes them with h5repack (original,
# page-only-8mb, rechunked-2/4/8mb) served by a private nginx, what h5py
# reads of the seed's three variables of all six beams, and run: a read of
# them by patterns, checked: the datasets matched are the 18 h5py lists, in
# order; each one's checksum of the values read (core/checksum.h) and its
# bytes equal h5py's of the same file; each took requests (raw-data ones,
# unless a cache fetched them with the metadata, or, in the default one open
# of the file, an earlier dataset's page or block held them); the whole
# read's JSON adds them up.
source "$(dirname "$0")/../hdf5/lib.sh"
source "$(dirname "$0")/nginx.sh"
command -v h5repack > /dev/null || { echo "SKIP: h5repack not installed (apt-get install hdf5-tools)"; exit 77; }
V=$WORK/v
CB_PYTHON=$PY bash "$CB_SRC/bench/atl06_variants.sh" "$V" 6000 > "$WORK/gen.log" 2>&1 || { cat "$WORK/gen.log"; fail "atl06_variants.sh"; finish; }
nginx_serve '$request_method $status $http_range' "$V" original.h5
VARIANTS="original page-only-8mb rechunked-2mb rechunked-4mb rechunked-8mb"
PATS=('/gt*/land_ice_segments/h_li' '/gt*/land_ice_segments/latitude' 'gt?[lr]/land_ice_segments/longitude')
# "ints": the original's integer variables (int8, int32), also gzip + shuffle.
INTS=('/gt*/land_ice_segments/atl06_quality_summary' '/gt*/land_ice_segments/segment_id')

# What h5py reads: each variant's 18 datasets, their bytes and checksums (core/checksum.h).
$PY - "$V" $VARIANTS > "$WORK/expect.json" <<'PYEOF'
import h5py, json, numpy as np, sys
out = {}
for v in sys.argv[2:] + ["ints"]:
    with h5py.File(f"{sys.argv[1]}/{'original' if v == 'ints' else v}.h5", "r") as f:
        rows = []
        for var in ("atl06_quality_summary", "segment_id") if v == "ints" else ("h_li", "latitude", "longitude"):
            for b in sorted(k for k in f if k.startswith("gt")):
                a = f[f"{b}/land_ice_segments/{var}"][()]
                w = a.view(f"<u{a.dtype.itemsize}").astype(np.uint64)
                ck = int((w * (2 * np.arange(a.size, dtype=np.uint64) + 1)).sum(dtype=np.uint64))
                rows.append([f"/{b}/land_ice_segments/{var}", a.nbytes, f"{ck:016x}", str(a.dtype)])
        out[v] = rows
assert {r[3] for r in out["original"]} == {"float32", "float64"}, out["original"]
assert {r[3] for r in out["ints"]} == {"int8", "int32"}, out["ints"]
json.dump(out, sys.stdout)
PYEOF
[ -s "$WORK/expect.json" ] || fail "h5py's expectations"

# check VARIANT DRIVER: r.json (the whole read) and r-K.json (each dataset) against h5py.
check() {
  $PY - "$WORK/expect.json" "$1" "$2" "$WORK" <<'PYEOF'
import json, sys
exp, v, drv, w = json.load(open(sys.argv[1]))[sys.argv[2]], sys.argv[2], sys.argv[3], sys.argv[4]
t = json.load(open(f"{w}/r.json"))
assert t["phase"] == "read_total" and t["driver"] == drv, (t["phase"], t["driver"])
got = [(d["dataset"], d["read_bytes"], d["checksum"]) for d in t["datasets"]]
assert got == [tuple(e[:3]) for e in exp], f"{v} {drv}: chunkbench read {got}, h5py {exp}"
# One open for all (the default): a dataset whose pages or blocks an earlier
# one fetched makes no request of its own; one open each: every one does.
each = t["total"]["opens"] == len(exp)
assert t["total"]["opens"] in (1, len(exp)), t["total"]
for k, d in enumerate(t["datasets"]):
    one = json.load(open(f"{w}/r-{k + 1}.json"))
    assert d["json"] == f"{w}/r-{k + 1}.json" and one["dataset"] == d["dataset"], (d, one["dataset"])
    assert one["checksum"] == d["checksum"] and one["read_bytes"] == d["read_bytes"]
    assert one["requests"]["count"] == d["requests"] >= (1 if each or k == 0 else 0), one["requests"]
    if each:
        assert one["requests"]["raw_requests"] > 0 or one["cache"].get("http_cache", "none") != "none", one["requests"]
assert t["total"]["datasets"] == len(exp) and t["total"]["read_bytes"] == sum(e[1] for e in exp), t["total"]
assert t["total"]["requests"] == sum(d["requests"] for d in t["datasets"]), t["total"]
assert 0 < t["total"]["open_close_s"] <= t["total"]["wall_s"] + 1e-6, t["total"]
if not each:  # the one open's time is the whole read's
    assert abs(t["total"]["open_close_s"] - t["total"]["wall_s"]) < 1e-9, t["total"]
PYEOF
}

# run NP VARIANT TARGET DRIVER [OPTIONS]: the seed's variables of all beams on
# NP ranks (VARIANT ints: the integer ones of original.h5), checked. (One
# rank mostly: a tuned read of a paged file reads whole 8 MiB pages at each
# dataset's open, each rank.)
run() {
  local np=$1 v=$2 t=$3 drv=$4; shift 4
  local -a pats=("${PATS[@]}")
  [ "$v" = ints ] && pats=("${INTS[@]}")
  rm -f "$WORK"/r*.json
  out=$(mpi $np "$CHUNKBENCH" read "$t" "${pats[@]}" --driver "$drv" "$@" --json "$WORK/r.json" 2>&1) ||
    { fail "read $v $drv $*: $out"; return; }
  echo "$out" | grep -Eq "^total:        (18|12) datasets, " || fail "total line $v $drv $*: $(echo "$out" | tail -2)"
  check "$v" "$drv" || fail "values $v $drv $*"
}

