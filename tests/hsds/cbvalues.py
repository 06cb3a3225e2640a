"""chunkbench's dataset values in numpy (the same as src/core/datagen.c): element
(i, j) written with seed S is a function of (S, i, j) only."""
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


def values(seed, x, y, nrow, ncol, dtype="f8"):
    """The nrow x ncol block at (x, y): f8 = (h >> 11) * 2^-53, f4 = (h >> 40) * 2^-24."""
    i = np.arange(x, x + nrow, dtype=_U)[:, None]
    j = np.arange(y, y + ncol, dtype=_U)[None, :]
    h = value_hash(seed, i, j)
    if np.dtype(dtype).itemsize == 8:
        return (h >> _U(11)).astype(np.float64) * 2.0**-53
    return ((h >> _U(40)).astype(np.float32) * np.float32(2.0**-24)).astype(np.float32)


# The seed's task table row, field for field (packed, 76 bytes).
TASK_DTYPE = np.dtype([("start", "<f8"), ("done", "<f8"), ("status", "<i4"), ("x", "<i4"), ("y", "<i4"),
                       ("nrow", "<i4"), ("ncol", "<i4"), ("pod", "S40")])
