"""chunkbench's dataset values in numpy (the same as src/core/datagen.c): element
(i, j) written with seed S by generator G is a function of (G, S, i, j) only.
The one numpy copy: tests/hdf5/cbcheck.py uses it too."""
import numpy as np

_U = np.uint64


def value_hash(seed, i, j):
    """splitmix64's finaliser over seed * K1 + ((i << 32) | j) + K2, in uint64
    arithmetic (wrapping, as in C). i, j: broadcastable integer arrays."""
    with np.errstate(over="ignore"):
        i = np.asarray(i, dtype=_U)
        j = np.asarray(j, dtype=_U)
        z = np.asarray(seed, dtype=_U) * _U(0xD1B54A32D192ED03)
        z = z + ((i << _U(32)) | j) + _U(0x9E3779B97F4A7C15)
        z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
        return z ^ (z >> _U(31))


def _mix(z):
    """splitmix64's finaliser alone (repeat's second pass)."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
        return z ^ (z >> _U(31))


def _tri(x, p):
    """|(x mod 2p) - p|: an integer triangle wave in [0, p] (p a power of two)."""
    return np.abs((x & _U(2 * p - 1)).astype(np.int64) - p)


def gen_of(attrs):
    """The generator a target's `values` attribute names; none (older files) is uniform."""
    v = attrs.get("values", "uniform") if hasattr(attrs, "get") else attrs
    if isinstance(v, bytes):
        v = v.decode()
    return str(v) or "uniform"


def values(seed, x, y, nrow, ncol, dtype="f8", gen="uniform"):
    """The nrow x ncol block at (x, y) from generator gen (README, create):
    uniform: f8 = (h >> 11) * 2^-53, f4 = (h >> 40) * 2^-24;
    smooth: S = tri(i,512)*2^18 + tri(j,1024)*2^17 + tri(i+2j,128)*2^17 + (h >> 56), f8 = S * 2^-29;
    repeat:F: 0.0 where (mix(h) >> 32) < floor(F * 2^32), uniform elsewhere;
    zeros: 0.0. f4 of smooth: the f8 value rounded to float32."""
    i = np.arange(x, x + nrow, dtype=_U)[:, None]
    j = np.arange(y, y + ncol, dtype=_U)[None, :]
    f8 = np.dtype(dtype).itemsize == 8
    if gen == "zeros":
        return np.zeros((nrow, ncol), dtype=np.float64 if f8 else np.float32)
    h = value_hash(seed, i, j)
    if gen == "smooth":
        s = (_tri(i, 512) * 2**18 + _tri(j, 1024) * 2**17 + _tri(i + _U(2) * j, 128) * 2**17
             + (h >> _U(56)).astype(np.int64))
        v = s.astype(np.float64) * 2.0**-29
        return v if f8 else v.astype(np.float32)
    if f8:
        v = (h >> _U(11)).astype(np.float64) * 2.0**-53
    else:
        v = ((h >> _U(40)).astype(np.float32) * np.float32(2.0**-24)).astype(np.float32)
    if gen == "uniform":
        return v
    if not gen.startswith("repeat:"):
        raise ValueError(f"unknown generator {gen!r}")
    thr = int(float(gen[7:]) * 2.0**32)
    return np.where((_mix(h) >> _U(32)) < _U(thr), v.dtype.type(0), v)


# The seed's task table row, field for field (packed, 76 bytes).
TASK_DTYPE = np.dtype([("start", "<f8"), ("done", "<f8"), ("status", "<i4"), ("x", "<i4"), ("y", "<i4"),
                       ("nrow", "<i4"), ("ncol", "<i4"), ("pod", "S40")])
