"""How well each --values generator deflates: the dset chunkbench wrote, copied
into new h5py files with shuffle + gzip, stored size against raw size.
Usage: values_deflate.py FILE...  (each a complete chunkbench file)
gzip 1 on the whole dset; gzip 9 on its first 250 x 1000 block only, as one chunk (zlib's
level 9 takes 30 s over 32 MB of repeat:0.9, and chunks deflate one by one, so
one chunk's ratio stands for the rest). Prints one line a file; exit 1 when a
generator misses its bound (README, create: the measured ratios)."""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hsds"))
import cbvalues  # noqa: E402

# Generator: (lowest ratio at gzip 1 and 9, highest ratio); None: no bound.
BOUNDS = {"uniform": (None, 1.3), "smooth": (4.0, None), "repeat:0.9": (3.5, None), "zeros": (100.0, None)}


def ratio(a, level, out):
    with h5py.File(out, "w") as z:
        d = z.create_dataset("d", data=a, chunks=(min(500, a.shape[0]), min(1000, a.shape[1])),
                             compression="gzip", compression_opts=level, shuffle=True)
        stored = d.id.get_storage_size()
    os.unlink(out)
    return a.nbytes / stored


def main(paths):
    fails = 0
    for p in paths:
        with h5py.File(p, "r") as f:
            a = f["dset"][...]
            gen = cbvalues.gen_of(f.attrs)
        r1 = ratio(a, 1, p + ".gz1.h5")
        r9 = ratio(np.ascontiguousarray(a[:250, :1000]), 9, p + ".gz9.h5")
        lo, hi = BOUNDS.get(gen, (None, None))
        ok = all((lo is None or r >= lo) and (hi is None or r <= hi) for r in (r1, r9))
        print(f"{os.path.basename(p)}: {gen} {a.dtype} gzip1 {r1:.2f} gzip9 {r9:.2f}"
              f" (want {'>= %g' % lo if lo else '<= %g' % hi}){'' if ok else '  FAIL'}")
        fails += not ok
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
