#!/usr/bin/env python3
"""Helpers of bench/hsds_write.sh (run with the HSDS venv's python).

  curlcfg DIR NPROC DSET_ID DOMAIN NROWS NCOLS CR CC CHUNKFILE [upload]
      one curl config per process (DIR/curl.K.cfg): its block share of the
      chunks, each a binary PUT .../value?select=[..] of CHUNKFILE; user and
      password from HS_USERNAME/HS_PASSWORD (the files stay in DIR, 0600).
  record OUT.jsonl ROUND VARIANT N BYTES WALL_S POST_FLUSH_S FILES...
      one measurement -> one JSON line (the figures below).
  summary OUT.jsonl [MARKDOWN_FILE]
      medians per (variant, N), ratios; prints the table, writes markdown.

Variants and what their figures mean:
  cb-dyn   mpirun -n N chunkbench write --schedule dynamic: inner = chunkbench's
           JSON passes.list[0] open_start..close_end (ior_MBps); the final flush
           and task-table save come after close_end (in wall only).
  cb-srv   N independent chunkbench write --schedule server (cb-srv-base: the same
           with the BASELINE program): inner = earliest
           open_start .. latest close_end of the N JSON reports; includes the
           per-task claim and the flush each writer waits for before close.
  h5pyd    N bench/hsds_h5pyd_writer.py (the seed's write_hdf.py): inner =
           first claim .. last flush; excludes python start, imports, open.
  curl     N curl processes, one kept-alive connection each, --data-binary @chunk: inner = wall.
  curl-T   the same with --upload-file chunk (streamed from the file; --data-binary reads
           the file into memory 4 KiB per read() for every request, which costs curl time).
wall = outside clock around launching and reaping all N processes.
"""
import json
import os
import statistics
import sys


def curlcfg(d, nproc, dset_id, domain, nrows, ncols, cr, cc, chunkfile, mode="data-binary"):
    nproc, nrows, ncols, cr, cc = map(int, (nproc, nrows, ncols, cr, cc))
    ep = os.environ["HS_ENDPOINT"].rstrip("/")
    user, pw = os.environ.get("HS_USERNAME", ""), os.environ.get("HS_PASSWORD", "")
    chunks = [(x, y) for x in range(0, nrows, cr) for y in range(0, ncols, cc)]
    q, r = divmod(len(chunks), nproc)
    first = 0
    for k in range(nproc):
        n = q + (1 if k < r else 0)
        mine = chunks[first:first + n]
        first += n
        path = os.path.join(d, f"curl.{k}.cfg")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            for i, (x, y) in enumerate(mine):
                if i:
                    f.write("next\n")
                sel = f"%5B{x}:{min(x + cr, nrows)},{y}:{min(y + cc, ncols)}%5D"
                f.write(f'url = "{ep}/datasets/{dset_id}/value?domain={domain}&select={sel}"\n')
                f.write('request = "PUT"\n')
                if mode == "upload":
                    f.write(f'upload-file = "{chunkfile}"\n')
                else:
                    f.write(f'data-binary = "@{chunkfile}"\n')
                f.write('header = "Content-Type: application/octet-stream"\n')
                f.write('header = "Expect:"\n')
                if user:
                    f.write(f'user = "{user}:{pw}"\n')
                f.write('output = "/dev/null"\n')
                f.write('silent\nshow-error\n')
                f.write('write-out = "%{http_code} %{num_connects} %{time_total} %{time_starttransfer} %{size_upload}\\n"\n')


def _q(v):
    if not v:
        return {}
    v = sorted(v)
    pick = lambda p: v[min(len(v) - 1, int(round(p * (len(v) - 1))))]  # noqa: E731
    return {"n": len(v), "p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99), "max": v[-1],
            "mean": sum(v) / len(v)}


def record(out, rnd, variant, n, bytes_expected, wall, post_flush, files):
    n, wall, post_flush, bytes_expected = int(n), float(wall), float(post_flush), int(bytes_expected)
    rec = {"round": int(rnd), "variant": variant, "n": n, "wall_s": wall, "post_flush_s": post_flush}
    if variant == "cb-dyn":
        j = json.load(open(files[0]))
        p = j["passes"]["list"][0]
        rec.update(bytes=p["bytes"], inner_s=p["close_end"] - p["open_start"],
                   phase_s=p["last_done"] - p["first_start"], gen_s=p["gen_s"], io_s=p["io_s"],
                   requests=j["http"]["requests"], retries=j["http"]["retries"], latency_s=j["http"]["latency_s"],
                   tasks=p["tasks"])
    elif variant in ("cb-srv", "cb-srv-base"):
        js = [json.load(open(f)) for f in files]
        ps = [j["passes"]["list"][0] for j in js]
        rec.update(bytes=sum(p["bytes"] for p in ps),
                   inner_s=max(p["close_end"] for p in ps) - min(p["open_start"] for p in ps),
                   phase_s=max(p["last_done"] for p in ps) - min(p["first_start"] for p in ps),
                   gen_s=sum(p["gen_s"] for p in ps), io_s=sum(p["io_s"] for p in ps),
                   requests=sum(j["http"]["requests"] for j in js), retries=sum(j["http"]["retries"] for j in js),
                   latency_s=[j["http"]["latency_s"] for j in js], tasks=sum(p["tasks"] for p in ps),
                   per_writer_tasks=[p["tasks"] for p in ps])
    elif variant == "h5pyd":
        js = []
        for f in files:
            lines = [ln for ln in open(f) if ln.startswith("{")]
            js.append(json.loads(lines[-1]))
        ph = {}
        for j in js:
            for k, v in j["phases_s"].items():
                ph[k] = ph.get(k, 0) + v
        rec.update(bytes=sum(j["bytes"] for j in js), inner_s=max(j["t1"] for j in js) - min(j["t0"] for j in js),
                   tasks=sum(j["tasks"] for j in js), phases_s=ph,
                   startup_s=max(j["import_s"] + j["open_s"] for j in js), per_writer_tasks=[j["tasks"] for j in js])
    elif variant in ("curl", "curl-T"):
        lines = []
        for f in files:
            lines += [ln.split() for ln in open(f) if ln.strip()]
        ok = [ln for ln in lines if ln[0] == "200"]
        rec.update(bytes=sum(int(float(ln[4])) for ln in ok), inner_s=wall, tasks=len(ok),
                   bad=len(lines) - len(ok), connects=sum(int(ln[1]) for ln in lines),
                   latency_s=_q([float(ln[2]) for ln in lines]))
    else:
        sys.exit(f"unknown variant {variant}")
    # data span: first task start .. last task done (chunkbench: its JSON first_start..last_done;
    # h5pyd: first claim .. last flush; curl: the wall clock, its start-up included)
    rec["data_s"] = rec.get("phase_s", rec["inner_s"])
    rec["complete"] = rec["bytes"] == bytes_expected
    rec["MBps_data"] = rec["bytes"] / rec["data_s"] / 1e6 if rec["data_s"] > 0 else 0
    rec["MBps_inner"] = rec["bytes"] / rec["inner_s"] / 1e6 if rec["inner_s"] > 0 else 0
    rec["MBps_wall"] = rec["bytes"] / wall / 1e6 if wall > 0 else 0
    rec["MBps_durable"] = rec["bytes"] / (wall + post_flush) / 1e6
    with open(out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"  {variant:6s} N={n} {rec['bytes'] / 1e6:.0f} MB  inner {rec['inner_s']:.3f} s "
          f"({rec['MBps_inner']:.0f} MB/s)  wall {wall:.3f} s ({rec['MBps_wall']:.0f} MB/s)  "
          f"post-flush {post_flush:.3f} s{'' if rec['complete'] else '  INCOMPLETE'}", flush=True)


VARIANTS = ["cb-dyn", "cb-srv", "cb-srv-base", "h5pyd", "curl", "curl-T"]


def summary(path, md=None):
    recs = [json.loads(ln) for ln in open(path) if ln.strip()]
    for r in recs:  # records written before data_s existed
        r.setdefault("data_s", r.get("phase_s", r["inner_s"]))
        r.setdefault("MBps_data", r["bytes"] / r["data_s"] / 1e6 if r["data_s"] > 0 else 0)
    ns = sorted({r["n"] for r in recs})
    med = {}
    for v in VARIANTS:
        for n in ns:
            rs = [r for r in recs if r["variant"] == v and r["n"] == n and r["complete"]]
            if not rs:
                continue
            m = {k: statistics.median(r[k] for r in rs) for k in ("MBps_data", "MBps_inner", "MBps_wall",
                                                                  "MBps_durable", "data_s", "inner_s", "wall_s",
                                                                  "post_flush_s")}
            m["runs"] = len(rs)
            m["all"] = sorted(round(r["MBps_data"]) for r in rs)
            m["failed"] = len([r for r in recs if r["variant"] == v and r["n"] == n]) - len(rs)
            if v in ("cb-dyn", "cb-srv", "cb-srv-base"):
                m["gen_s"] = statistics.median(r["gen_s"] for r in rs)
                m["io_s"] = statistics.median(r["io_s"] for r in rs)
                m["requests"] = statistics.median(r["requests"] for r in rs)
            if v == "cb-dyn":
                m["lat_p50"] = statistics.median(r["latency_s"]["p50"] for r in rs)
                m["lat_p90"] = statistics.median(r["latency_s"]["p90"] for r in rs)
                m["phase_MBps"] = statistics.median(r["bytes"] / r["phase_s"] / 1e6 for r in rs)
            if v in ("curl", "curl-T"):
                m["lat_p50"] = statistics.median(r["latency_s"]["p50"] for r in rs)
                m["lat_p90"] = statistics.median(r["latency_s"]["p90"] for r in rs)
                m["connects"] = max(r["connects"] for r in rs)
            if v == "h5pyd":
                m["phases_s"] = {k: statistics.median(r["phases_s"][k] for r in rs) for k in rs[0]["phases_s"]}
                m["startup_s"] = statistics.median(r["startup_s"] for r in rs)
            med[(v, n)] = m
    out = []
    out.append("| writers | variant | runs | data MB/s (median) | data MB/s, each run | tool MB/s | wall MB/s | "
               "durable MB/s | data s | tool s | wall s | post-flush s |")
    out.append("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    measured = [v for v in VARIANTS if any(r["variant"] == v for r in recs)]
    for n in ns:
        for v in measured:
            m = med.get((v, n))
            if not m:
                out.append(f"| {n} | {v} | 0 | - | - | - | - | - | - | - | - | - |")
                continue
            out.append(f"| {n} | {v} | {m['runs']}{'' if not m['failed'] else ' (+%d failed)' % m['failed']} | "
                       f"**{m['MBps_data']:.0f}** | {m['all']} | {m['MBps_inner']:.0f} | {m['MBps_wall']:.0f} | "
                       f"{m['MBps_durable']:.0f} | {m['data_s']:.2f} | {m['inner_s']:.2f} | {m['wall_s']:.2f} | "
                       f"{m['post_flush_s']:.2f} |")
    out.append("")
    out.append("Ratios of medians (data = data MB/s; durable = bytes / (wall + post-flush)):")
    out.append("")
    pairs = [(a, b) for a, b in (("cb-dyn", "h5pyd"), ("cb-srv", "h5pyd"), ("cb-dyn", "curl"), ("cb-dyn", "curl-T"),
                                 ("cb-srv", "curl"), ("cb-srv", "curl-T"), ("cb-srv-base", "curl-T"),
                                 ("cb-srv", "cb-srv-base"))
             if a in measured and b in measured]
    out.append("| writers | " + " | ".join(f"{a}/{b} {k}" for k in ("data", "durable") for a, b in pairs) + " |")
    out.append("|---:|" + "---:|" * (2 * len(pairs)))

    def ratio(a, b, key):
        if (a, n) in med and (b, n) in med and med[(b, n)][key] > 0:
            return f"{med[(a, n)][key] / med[(b, n)][key]:.2f}"
        return "-"
    for n in ns:
        cells = [ratio(a, b, k) for k in ("MBps_data", "MBps_durable") for a, b in pairs]
        out.append(f"| {n} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Phase detail (medians):")
    out.append("")
    for n in ns:
        parts = []
        m = med.get(("cb-dyn", n))
        if m:
            parts.append(f"cb-dyn {m['requests']:.0f} req, latency p50 {m['lat_p50'] * 1e3:.1f} ms "
                         f"p90 {m['lat_p90'] * 1e3:.1f} ms, gen {m['gen_s']:.2f} s, io {m['io_s']:.2f} s (summed), "
                         f"first..last task {m['phase_MBps']:.0f} MB/s")
        for sv in ("cb-srv", "cb-srv-base"):
            m = med.get((sv, n))
            if m:
                parts.append(f"{sv} {m['requests']:.0f} req, gen {m['gen_s']:.2f} s, io {m['io_s']:.2f} s")
        for cv in ("curl", "curl-T"):
            m = med.get((cv, n))
            if m:
                parts.append(f"{cv} latency p50 {m['lat_p50'] * 1e3:.1f} ms p90 {m['lat_p90'] * 1e3:.1f} ms, "
                             f"max connections per run {m['connects']}")
        m = med.get(("h5pyd", n))
        if m:
            ph = ", ".join(f"{k} {v:.2f}" for k, v in m["phases_s"].items())
            parts.append(f"h5pyd s (summed over writers): {ph}; start-up {m['startup_s']:.2f} s")
        out.append(f"- N={n}: " + "; ".join(parts))
    text = "\n".join(out)
    print(text)
    if md:
        with open(md, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "curlcfg":
        curlcfg(*args)
    elif cmd == "record":
        record(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7:])
    elif cmd == "summary":
        summary(*args)
    else:
        sys.exit(__doc__)
