#!/usr/bin/python3
"""Summarise a bench/hdf5_write.sh run: medians over rounds and ratios to fio.

usage: summarize.py OUTDIR      (reads OUTDIR/raw/<dir>.r<round>.<thing>.json,
                                 writes OUTDIR/summary.json, prints the table)
Standard library only.

Per measurement (one raw file), the median over its overwrite passes:
  fio        ITER-1 fio runs: bytes / fio's group runtime (ms resolution) each
  chunkbench passes 2..ITER: ior_MBps = bytes / (first open .. last close), and
             write_phase_MBps = bytes / (first H5Dwrite start .. last H5Dwrite end)
  h5py       passes 2..ITER, bytes / (open .. close), single process
Ratios are taken within a round (thing / fio of the same round), then the median
over rounds is reported, with the min..max of the rounds as the spread.
"""
import json
import os
import re
import statistics
import sys


def load(path):
    with open(path) as fh:
        return json.load(fh)


def fio_figures(runs):
    if isinstance(runs, dict):
        runs = [runs]
    mb = []
    for d in runs:
        j = d["jobs"][0]["write"]
        mb.append(j["io_bytes"] / (j["runtime"] / 1e3) / 1e6 if j["runtime"] else 0.0)
    return {"MBps": statistics.median(mb), "pass_MBps": mb}


def pass_figures(d, ranks):
    ps = d["passes"]["list"]
    warm = ps[1:]
    span = sum(p["close_end"] - p["open_start"] for p in warm)
    nbytes = sum(p["bytes"] for p in warm)
    gen = sum(p["gen_s"] for p in warm)
    io = sum(p["io_s"] for p in warm)
    r = ranks if "chunkbench" in d else 1
    return {
        "MBps": statistics.median(p["ior_MBps"] for p in warm),
        "pass_MBps": [p["ior_MBps"] for p in ps],
        "cold_MBps": ps[0]["ior_MBps"],
        # gen_s and io_s are summed over ranks: per-rank means are /r.
        "gen_share": gen / (gen + io) if gen + io > 0 else 0.0,
        "gen_frac_of_span": (gen / r) / span if span > 0 else 0.0,
        "io_only_MBps": nbytes / (io / r) / 1e6 if io > 0 else 0.0,
        "phase_MBps": statistics.median(p.get("write_phase_MBps", p["ior_MBps"]) for p in warm),
        "span_share_outside_writes": 1 - statistics.median(
            p["ior_MBps"] / p["write_phase_MBps"] for p in warm if p.get("write_phase_MBps")) if "chunkbench" in d else 0.0,
    }


def spread(v):
    return "%.0f..%.0f" % (min(v), max(v)) if v else "-"


def main():
    out = sys.argv[1]
    ranks = 2
    env = os.path.join(out, "env.txt")
    if os.path.exists(env):
        m = re.search(r"RANKS=(\d+)", open(env).read())
        ranks = int(m.group(1)) if m else 2
    runs = {}  # dir -> thing -> round -> figures
    pat = re.compile(r"^(?P<dir>.+)\.r(?P<round>\d+)\.(?P<thing>fio1?|h5py|cb\..+|raw\..+)\.json$")
    for name in sorted(os.listdir(os.path.join(out, "raw"))):
        m = pat.match(name)
        if not m:
            continue
        d = load(os.path.join(out, "raw", name))
        th = m.group("thing")
        fig = fio_figures(d) if th.startswith("fio") else pass_figures(d, ranks)
        runs.setdefault(m.group("dir"), {}).setdefault(th, {})[int(m.group("round"))] = fig

    summary = {}
    lines = []
    for dname, things in runs.items():
        fio = things.get("fio", {})
        fio1 = things.get("fio1", {})
        lines.append("")
        lines.append("/%s  (%d ranks; MB/s = 1e6 B/s; median over %d rounds, spread = min..max of rounds)"
                     % (dname.replace("_", "/"), ranks, len(fio)))
        hdr = "%-38s %8s %12s %7s %11s %9s %8s %8s %8s" % ("writer", "MB/s", "spread", "÷fio", "÷fio spread",
                                                             "phase÷fio", "gen%span", "io-only", "cold p1")
        lines.append(hdr)
        lines.append("-" * len(hdr))
        order = sorted(things, key=lambda t: (t != "fio", t != "fio1", t == "h5py", t))
        summary[dname] = {}
        for th in order:
            rs = things[th]
            mb = [f["MBps"] for f in rs.values()]
            ref = fio1 if th == "h5py" and fio1 else fio
            ratios = [rs[r]["MBps"] / ref[r]["MBps"] for r in rs if r in ref and ref[r]["MBps"] > 0]
            row = {"MBps_median": statistics.median(mb), "MBps_min": min(mb), "MBps_max": max(mb),
                   "rounds": len(mb)}
            if ratios:
                row.update(ratio_median=statistics.median(ratios), ratio_min=min(ratios), ratio_max=max(ratios),
                           ratio_to="fio1" if ref is fio1 and th == "h5py" else "fio")
            extra = ""
            row["pass_MBps"] = {r: f["pass_MBps"] for r, f in rs.items()}
            if not th.startswith("fio"):
                gf = statistics.median(f["gen_frac_of_span"] for f in rs.values())
                io_only = statistics.median(f["io_only_MBps"] for f in rs.values())
                cold = statistics.median(f["cold_MBps"] for f in rs.values())
                ph = [rs[r]["phase_MBps"] / ref[r]["MBps"] for r in rs if r in ref and ref[r]["MBps"] > 0]
                row.update(gen_frac_of_span=gf, io_only_MBps=io_only, cold_MBps=cold,
                           phase_ratio_median=statistics.median(ph) if ph else None)
                extra = "%9s %7.0f%% %8.0f %8.0f" % ("%.2f" % row["phase_ratio_median"] if ph and th != "h5py" else "-",
                                                     100 * gf, io_only, cold)
            label = {"fio": "fio seqwrite %d jobs" % ranks, "fio1": "fio seqwrite 1 job",
                     "h5py": "h5py 1 proc (÷ fio 1 job)"}.get(th, th.replace("cb.", "chunkbench ").replace(
                         "raw.", "chunkbench mpiio: ").replace(".none", "").replace(".", " "))
            rat = "%7.2f %11s" % (row["ratio_median"], "%.2f..%.2f" % (row["ratio_min"], row["ratio_max"])) \
                if ratios and th != "fio" else "%7s %11s" % ("1", "")
            lines.append("%-38s %8.0f %12s %s %s" % (label, row["MBps_median"], spread(mb), rat, extra))
            summary[dname][th] = row
        # BASELINE runs: the same measurement with the older build, same rounds.
        for th in order:
            if not th.endswith(".base") or th[:-5] not in things:
                continue
            new, base = things[th[:-5]], things[th]
            rr = [new[r]["MBps"] / base[r]["MBps"] for r in new if r in base and base[r]["MBps"] > 0]
            if rr:
                lines.append("%-38s new/baseline %.3f (rounds %.2f..%.2f)" % (
                    th[:-5].replace("cb.", "chunkbench ").replace(".none", "").replace(".", " "),
                    statistics.median(rr), min(rr), max(rr)))
                summary[dname][th[:-5]]["ratio_to_baseline"] = statistics.median(rr)
        # RAW=1: HDF5 over the raw MPI-IO baseline, same MPI-IO layer, io mode, schedule and round.
        for th in order:
            if not th.startswith("raw."):
                continue
            h5 = things.get("cb." + th[4:] + ".none")
            if not h5:
                continue
            raw = things[th]
            rr = [h5[r]["MBps"] / raw[r]["MBps"] for r in h5 if r in raw and raw[r]["MBps"] > 0]
            if rr:
                lines.append("%-38s HDF5/raw MPI-IO %.3f (rounds %.2f..%.2f)" % (
                    th[4:].replace(".", " "), statistics.median(rr), min(rr), max(rr)))
                summary[dname]["cb." + th[4:] + ".none"]["ratio_to_raw_mpiio"] = statistics.median(rr)
    lines.append("")
    lines.append("MB/s: median over rounds of each measurement's median overwrite pass (chunkbench: ior_MBps, open..close);")
    lines.append("÷fio: ratio to fio in the same round, median and min..max over rounds;")
    lines.append("phase÷fio: chunkbench write_phase_MBps (first write start .. last write end, no open/close) / fio;")
    lines.append("gen%span: value generation per rank as a share of the open..close span (inside the timed span);")
    lines.append("io-only: bytes / (time inside H5Dwrite per rank) - what the span would give without generation;")
    lines.append("cold p1: pass 1 (new file, first-touch pages), not part of MB/s or ratios.")
    print("\n".join(lines))
    with open(os.path.join(out, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)


if __name__ == "__main__":
    main()
