#!/usr/bin/env python3
"""Check an HTML report of chunkbench against the JSON runs it was made from.

    check_report.py PAGE.html RUN.json... [--max-bytes N] [--max-elements N]
                    [--timeline-mode bars|occupancy]

PAGE may be the file itself or Chromium's --dump-dom of it. Checks that the
page is self-contained (references nothing outside itself), that every
section is there, and that the pictures have the elements the data asks for.
Standard library only; exit 1 with one line per problem.
"""
import argparse
import html.parser
import json
import statistics
import math
import re
import sys

SECTIONS = ["summary", "timeline", "throughput", "latency", "writers", "grid"]
FORBIDDEN_TAGS = {"script", "link", "img", "iframe", "object", "embed", "base", "audio", "video",
                  "source", "frame", "frameset", "image", "use", "foreignobject"}


class Page(html.parser.HTMLParser):
    """Elements with their attributes and the section they sit in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs, section id)
        self.section = None
        self.css = []
        self.text = {}  # section id -> text
        self._in_style = False
        self.desc = {}  # (section id, desc class) -> text
        self._desc = None

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "section":
            self.section = a.get("id")
        self.elements.append((tag, a, self.section))
        self._in_style = tag == "style"
        if tag == "desc":
            self._desc = (self.section, a.get("class", ""))
            self.desc[self._desc] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None
        if tag == "style":
            self._in_style = False
        if tag == "desc":
            self._desc = None

    def handle_data(self, data):
        if self._in_style:
            self.css.append(data)
        if self._desc:
            self.desc[self._desc] += data
        self.text[self.section] = self.text.get(self.section, "") + data

    def find(self, tag, section=None, cls=None):
        return [a for t, a, s in self.elements
                if t == tag and (section is None or s == section)
                and (cls is None or cls in a.get("class", "").split())]


def self_contained(raw, page, problems):
    for tag, attrs, _ in page.elements:
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element: pages must not load or run anything")
        for k, v in attrs.items():
            if k in ("src", "srcset", "data", "action", "formaction", "poster", "background"):
                problems.append(f"<{tag} {k}=...>: points outside the page")
            if k in ("href", "xlink:href") and not v.startswith("#"):
                problems.append(f"<{tag} {k}={v!r}>: not a link inside the page")
            if "//" in v:
                problems.append(f"<{tag} {k}={v!r}>: contains //")
            if k.startswith("on"):
                problems.append(f"<{tag} {k}>: event handler (script)")
    styles = "".join(page.css) + "".join(a.get("style", "") + a.get("fill", "") + a.get("stroke", "")
                                           for _, a, _ in page.elements)
    for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", styles):
        if not (m.group(1).startswith("#") or m.group(1).startswith("data:")):
            problems.append(f"url({m.group(1)}): not inside the page")
    if "@import" in styles:
        problems.append("@import in CSS")
    if "//" in "".join(page.css):
        problems.append("// in CSS")
    for scheme in ("http:", "https:", "ftp:", "file:"):
        if scheme in raw.lower():
            problems.append(f"{scheme} appears in the page")


def expect(problems, what, got, want):
    if got != want:
        problems.append(f"{what}: got {got}, want {want}")


def pick_bins(n, lo, hi):
    b = math.ceil(math.sqrt(n)) if n > 0 else lo
    return max(lo, min(hi, b))


def svg_attrs(page, section, cls):
    svgs = page.find("svg", section, cls)
    return svgs[0] if svgs else None


def check_run(page, run, k, problems, mode=None):
    sfx = "" if k == 0 else f"-{k + 1}"
    tl = run.get("task_list", {})
    start, done, status = tl.get("start", []), tl.get("done", []), tl.get("status", [])
    writer = tl.get("writer", [-1] * len(start))
    nw = len(run.get("writers", []))
    started = sum(1 for s, w in zip(start, writer) if s > 0 and 0 <= w < nw)
    complete = sum(1 for s, d, st in zip(start, done, status) if st == 1 and s > 0 and d >= s)

    summary = page.text.get("summary" + sfx, "")
    phase = "read" if run.get("phase") == "read" else "write"
    for needle in (f"MB/s {phase} phase", "MB/s IOR-style", "p50", "p90", "p99", "min", "max",
                   "pending", "complete", "in progress", "MPI writers", "slowest writers"):
        if needle not in summary:
            problems.append(f"run {k + 1}: summary lacks {needle!r}")
    if run.get("target") and run["target"] not in summary:
        problems.append(f"run {k + 1}: summary lacks the target {run['target']!r}")

    tsvg = svg_attrs(page, "timeline" + sfx, "timeline")
    if started and tsvg is None:
        problems.append(f"run {k + 1}: no timeline svg")
    elif tsvg is not None:
        expect(problems, f"run {k + 1} timeline data-tasks", int(tsvg["data-tasks"]), started)
        if mode:
            # The rule (report_svg.c): bars unless more than 2000 tasks, more
            # writers than lanes (48), or
            # the median bar is under a pixel of the 810-pixel span. Timings
            # decide the second part, so a run whose own timings ask for the
            # other mode is held to the rule, not to the caller's wish.
            ends = [d if st == 1 and d >= s else s for s, d, st in zip(start, done, status) if s > 0]
            t0, t1 = min(s for s in start if s > 0), max(ends)
            t1 = t1 if t1 > t0 else t0 + 1e-3
            widths = sorted((d - s) * 810 / (t1 - t0) for s, d in zip(start, done) if s > 0 and d > s)
            med = statistics.median(widths) if widths else 1
            rule = "occupancy" if started > 2000 or nw > 48 or med < 1 else "bars"
            if rule != mode:
                print(f"note: run {k + 1}: its timings ask for {rule} (median bar {med:.2f} px), not {mode}")
            expect(problems, f"run {k + 1} timeline mode", tsvg["data-mode"], rule)
        bars = len(page.find("rect", "timeline" + sfx, "task"))
        occ = len(page.find("path", "timeline" + sfx, "occ"))
        if tsvg["data-mode"] == "bars":
            expect(problems, f"run {k + 1} timeline bars", bars, started)
        else:
            expect(problems, f"run {k + 1} timeline occupancy paths", occ, int(tsvg["data-lanes"]))
            expect(problems, f"run {k + 1} timeline bars when aggregated", bars, 0)
        if started > 2000 and tsvg["data-mode"] != "occupancy":
            problems.append(f"run {k + 1}: {started} tasks drawn one by one")
        expect(problems, f"run {k + 1} timeline lanes", int(tsvg["data-lanes"]), min(nw, 48))

    if complete:
        svg = svg_attrs(page, "throughput" + sfx, "throughput")
        nb = pick_bins(complete, 5, 80)
        expect(problems, f"run {k + 1} throughput data-bins", svg and int(svg["data-bins"]), nb)
        expect(problems, f"run {k + 1} throughput bins", len(page.find("rect", "throughput" + sfx, "bin")), nb)
        svg = svg_attrs(page, "latency" + sfx, "latency")
        nb = pick_bins(complete, 8, 60)
        expect(problems, f"run {k + 1} latency data-bins", svg and int(svg["data-bins"]), nb)
        expect(problems, f"run {k + 1} latency bins", len(page.find("rect", "latency" + sfx, "bin")), nb)
        expect(problems, f"run {k + 1} latency marks", len(page.find("line", "latency" + sfx, "mark")), 3)

    expect(problems, f"run {k + 1} writer bars", len(page.find("rect", "writers" + sfx, "wbar")),
           3 * min(nw, 150))

    gsvg = svg_attrs(page, "grid" + sfx, "grid")
    if started and gsvg is None:
        problems.append(f"run {k + 1}: no grid svg")
    elif gsvg is not None:
        rows, cols = int(gsvg["data-rows"]), int(gsvg["data-cols"])
        if rows > 200 or cols > 200:
            problems.append(f"run {k + 1}: grid of {rows} x {cols} cells")
        R, C = run["shape"]
        if run.get("iter") == "block":
            want = (math.ceil(R / run["chunk"][0]), math.ceil(C / run["chunk"][1]))
            if max(want) <= 200:  # one cell per chunk
                expect(problems, f"run {k + 1} grid cells", (rows, cols), want)
        paths = len(page.find("path", "grid" + sfx, "cells"))
        maps = 2 if run.get("compression", {}).get("chunks") else 1  # the ratio map's cells too
        if not maps <= paths <= 33 * maps:
            problems.append(f"run {k + 1}: {paths} grid paths (one per colour level expected)")
        legends = 32
        chunks = run.get("compression", {}).get("chunks")
        if chunks:
            legends += 32
            check_ratio(page, run, k, problems)
        expect(problems, f"run {k + 1} grid legend steps", len(page.find("rect", "grid" + sfx, "legend")), legends)


def ratio_cells(run):
    """The ratio map's cells as the JSON's chunks give them: (rows, cols, stored sums)."""
    (gr, gc), st = run["compression"]["chunks"]["grid"], run["compression"]["chunks"]["stored_bytes"]
    kr, kc = math.ceil(gr / 200), math.ceil(gc / 200)
    rows, cols = math.ceil(gr / kr), math.ceil(gc / kc)
    cells = [0] * (rows * cols)
    for i in range(gr):
        for j in range(gc):
            cells[(i // kr) * cols + j // kc] += st[i * gc + j]
    return rows, cols, cells


def check_ratio(page, run, k, problems):
    """A filtered run's ratio map (one cell a chunk up to 200 a side, the
    stored bytes of each as the JSON has them) and its time split bar."""
    sfx = "" if k == 0 else f"-{k + 1}"
    svg = svg_attrs(page, "grid" + sfx, "ratio")
    if svg is None:
        problems.append(f"run {k + 1}: filtered, but no ratio map")
        return
    rows, cols, cells = ratio_cells(run)
    expect(problems, f"run {k + 1} ratio cells", (int(svg["data-rows"]), int(svg["data-cols"])), (rows, cols))
    got = [int(x) for x in page.desc.get(("grid" + sfx, "stored"), "").split()]
    expect(problems, f"run {k + 1} ratio map stored bytes", got, cells)
    ratios = []
    for i in range(rows):
        for j in range(cols):
            er = min(run["chunk"][0], run["shape"][0] - i * run["chunk"][0])
            ec = min(run["chunk"][1], run["shape"][1] - j * run["chunk"][1])
            if (rows, cols) == tuple(run["compression"]["chunks"]["grid"]) and cells[i * cols + j] > 0:
                ratios.append(er * ec * (4 if run["dtype"] == "f4" else 8) / cells[i * cols + j])
    if ratios:
        for a, want in (("data-ratio-min", min(ratios)), ("data-ratio-max", max(ratios))):
            if not math.isclose(float(svg[a]), want, rel_tol=1e-5):
                problems.append(f"run {k + 1}: ratio map {a} {svg[a]}, want {want:.6g}")
    segs = page.find("rect", "grid" + sfx, "split-seg")
    expect(problems, f"run {k + 1} time split segments", [s.get("data-what") for s in segs],
           ["generating values", "inside I/O calls", "the rest"])
    lr = run["last_run"]
    for s, want in zip(segs, (lr["gen_s"], lr["io_s"])):
        if not math.isclose(float(s["data-s"]), want, rel_tol=1e-5, abs_tol=1e-9):
            problems.append(f"run {k + 1}: time split {s['data-what']} {s['data-s']} s, JSON has {want}")


def size_class(z):
    # The seed's pd.cut(bins=[0, 1K, 10K, 100K, inf]), right-closed, KB = 1024.
    return 0 if z <= 1024 else 1 if z <= 10240 else 2 if z <= 102400 else 3


def check_requests(page, run, k, problems, marks_mode=None):
    """The read pattern: every listed request drawn where its bytes are."""
    sfx = "" if k == 0 else f"-{k + 1}"
    req = run["requests"]
    cells = {int(a["data-class"]): a for a in page.find("td", "requests" + sfx) if "data-class" in a}
    expect(problems, f"run {k + 1} size-class rows", sorted(cells), [0, 1, 2, 3])
    rg = req.get("ranges")
    svg = svg_attrs(page, "requests" + sfx, "ranges")
    if rg is None and req.get("pattern") is None:
        expect(problems, f"run {k + 1} ranges svg without offsets", svg, None)
        return
    if svg is None:
        problems.append(f"run {k + 1}: no read-pattern svg")
        return
    m = len(rg["offset"]) if rg else req["pattern"]["requests"]
    expect(problems, f"run {k + 1} pattern data-requests", int(svg["data-requests"]), m)
    rects = page.find("rect", "requests" + sfx, "req")
    mode = "marks" if int(svg["data-columns"]) == 0 else "columns"
    if marks_mode:
        expect(problems, f"run {k + 1} pattern mode", mode, marks_mode)
    if mode == "columns":
        expect(problems, f"run {k + 1} request marks when aggregated", len(rects), 0)
        want = len({size_class(z) for z in rg["size"]}) if rg else \
            sum(1 for row in req["pattern"]["counts"] if any(row))
        expect(problems, f"run {k + 1} cover paths (one per class present)",
               len(page.find("path", "requests" + sfx, "cover")), want)
        return
    expect(problems, f"run {k + 1} request marks", len(rects), m)
    x0, y0, w, lane = (float(v) for v in svg["data-plot"].split())
    axis = float(svg["data-axis-mb"])
    # Where each request must be: x from its offset, lane from its size class.
    want = sorted((round(x0 + o / 1e6 / axis * w, 1), size_class(z)) for o, z in zip(rg["offset"], rg["size"]))
    got = sorted((round(float(a["x"]), 1), int((float(a["y"]) - y0) // lane)) for a in rects)
    bad = [(g, e) for g, e in zip(got, want) if abs(g[0] - e[0]) > 0.15 or g[1] != e[1]]
    if bad:
        problems.append(f"run {k + 1}: {len(bad)} request marks misplaced, e.g. drawn {bad[0][0]} expected {bad[0][1]}")
    hist = [h["requests"] for h in req["histogram"]]
    lanes = [0] * 4
    for _, c in got:
        lanes[c] += 1
    if len(rg["offset"]) == req["count"]:  # files: every request has an offset
        expect(problems, f"run {k + 1} marks per lane vs histogram", lanes, hist)


def check_layouts(page, runs, problems):
    """Mean open-to-close time per layout x driver x preset, as the chart shows."""
    reads = [r for r in runs if r.get("phase") == "read"]
    if len(reads) < 2:
        expect(problems, "layouts section without two read runs", page.find("section", None, "layouts"), [])
        return
    cells = {}
    for r in reads:
        page_size = r["cache"]["file_page_size"]
        drv = r["last_run"]["io"] if r["driver"] == "mpio" else r["driver"]
        key = (drv, r["cache"]["preset"], tuple(r["chunk"]), page_size)
        cells.setdefault(key, []).append(r["last_run"]["close_end"] - r["last_run"]["open_start"])
    want = sorted(round(sum(v) / len(v), 6) for v in cells.values())
    got = sorted(round(float(a["data-s"]), 6) for a in page.find("td", "layouts") if "data-s" in a)
    expect(problems, "layouts table means", got, want)
    bars = sorted(round(float(a["data-s"]), 6) for a in page.find("rect", "layouts", "lbar"))
    expect(problems, "layouts bars", bars, want)
    svg = svg_attrs(page, "layouts", "layouts")
    expect(problems, "layouts groups", svg and int(svg["data-groups"]),
           len({(d, p) for d, p, _, _ in cells}))
    expect(problems, "layouts layouts", svg and int(svg["data-layouts"]), len({(c, s) for _, _, c, s in cells}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--max-bytes", type=int, default=0)
    ap.add_argument("--max-elements", type=int, default=0)
    ap.add_argument("--timeline-mode", choices=["bars", "occupancy"],
                    help="how every run's timeline must be drawn")
    ap.add_argument("--pattern-mode", choices=["marks", "columns"],
                    help="how every read run's request pattern must be drawn")
    args = ap.parse_args()
    raw = open(args.page, encoding="utf-8").read()
    runs = [json.load(open(p)) for p in args.runs]
    page = Page()
    page.feed(raw)
    problems = []
    self_contained(raw, page, problems)

    ids = [a.get("id") for t, a, _ in page.elements if t == "section"]
    nread = sum(1 for r in runs if r.get("phase") == "read")
    want = (["comparison"] if len(runs) > 1 else []) + (["layouts"] if nread > 1 else []) + \
        [s + ("" if k == 0 else f"-{k + 1}") for k in range(len(runs))
         for s in SECTIONS + (["requests"] if "requests" in runs[k] else [])]
    expect(problems, "section ids", sorted(ids), sorted(want))
    if len(runs) > 1:
        expect(problems, "comparison bars", len(page.find("rect", "comparison", "cmpbar")), 4 * len(runs))
        expect(problems, "comparison table rows", len(page.find("tr", "comparison")), len(runs) + 1)
    for k, run in enumerate(runs):
        check_run(page, run, k, problems, args.timeline_mode)
        if "requests" in run:
            check_requests(page, run, k, problems, args.pattern_mode)
    check_layouts(page, runs, problems)

    n = len(page.elements)
    size = len(raw.encode())
    if args.max_bytes and size > args.max_bytes:
        problems.append(f"page is {size} bytes, limit {args.max_bytes}")
    if args.max_elements and n > args.max_elements:
        problems.append(f"page has {n} elements, limit {args.max_elements}")
    for p in problems:
        print("FAIL:", p)
    print(f"{args.page}: {size} bytes, {n} elements, {len(ids)} sections, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
