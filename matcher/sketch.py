"""An 8-bit sketch of a vector table, for pre-scoring every row of a pool with a proven error bound.

The dense retrieval path (``matcher.ranking``, pools up to ``MatcherConfig.dense_max``) needs the two field
cosines of every eligible row only to pick the best few hundred rows by pre-score; the final features are
computed from the stored vectors. Reading the whole float32 table for that is memory traffic (10k x 1,024 x 4 B =
41 MB a ranking). The sketch keeps each row's two fields as int8 codes with one scale per field, a quarter of
the bytes, and bounds what the codes can get wrong:

* ``x`` (one field of a stored row) is approximated by ``scale * codes`` with ``scale = max|x| / 127``;
* for a query field ``q``, ``|x . q - scale * (codes . q)|`` is at most ``||x - scale * codes|| * ||q||``
  (Cauchy-Schwarz), plus the rounding of the two float32 sums involved (the sketch's, and the exact product's
  the ranking compares with), each at most ``(d + 2) * u`` times the sum of its absolute terms (``u = 2**-24``;
  ``127 * scale * sum|q_j|`` and ``||x|| * ||q||``); the per-row parts are kept, rounded up.

:func:`sketch_products` returns both products of every row and that bound per row. A ranking pre-scores every
row from them, keeps every row whose upper bound reaches the ``keep``-th best lower bound, and scores those
exactly: the same rows, scores and order as scoring every row exactly (tests/matcher/test_sketch.py).

The sketch follows its table row for row (:class:`matcher.index.FlatIndex` updates it on every change, from the
stored values: a bfloat16 table is sketched from the bfloat16 values). The products run in a numba kernel that
releases the GIL: numpy has no int8 matrix-vector product, and converting the codes to float32 first would
read and write more memory than the float32 product it replaces.
"""

from __future__ import annotations

import numpy as np
from numba import njit

LEVELS = 127
_U = float(np.finfo(np.float32).eps) / 2.0  # unit roundoff of float32


@njit(cache=True, fastmath=True, nogil=True, boundscheck=False)
def _dot(codes: np.ndarray, q: np.ndarray) -> np.float32:  # pragma: no cover - compiled
    acc = np.float32(0.0)
    for j in range(codes.shape[0]):
        acc += np.float32(codes[j]) * q[j]
    return acc


@njit(cache=True, nogil=True, boundscheck=False)
def _products(codes: np.ndarray, scale: np.ndarray, bound: np.ndarray, n: int, q_a: np.ndarray, q_b: np.ndarray,
              q_norms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover
    split = q_a.shape[0]
    out = np.empty((4, n), np.float64)
    for i in range(n):
        # the sums vectorise (fastmath, in _dot); the scaling and the bound are exact enough in float64
        a = np.float64(_dot(codes[i, :split], q_a)) * scale[i, 0]
        b = np.float64(_dot(codes[i, split:], q_b)) * scale[i, 1]
        out[0, i] = a
        out[1, i] = b
        out[2, i] = bound[i, 0, 0] * q_norms[0] + bound[i, 0, 1] * q_norms[1] + 2.4e-7 * abs(a) + 1e-12
        out[3, i] = bound[i, 1, 0] * q_norms[2] + bound[i, 1, 1] * q_norms[3] + 2.4e-7 * abs(b) + 1e-12
    return out[0], out[1], out[2], out[3]


class Sketch:
    """int8 codes ``(capacity, dim)``, per row and field the ``scale`` ``(capacity, 2)`` and the two coefficients of
    the error bound ``(capacity, 2, 2)``: ``resid + gamma * norm`` (times the query field's L2 norm) and ``gamma *
    127 * scale`` (times its L1 norm), ``gamma = (d + 2) * u * 1.01`` for a field of ``d`` components; the first
    ``n`` rows are the table's. Rows grow by doubling; a growth publishes new arrays in one assignment."""

    def __init__(self, dim: int, split: int) -> None:
        if not 0 < split < dim:
            raise ValueError("a sketch needs two non-empty fields")
        self.dim, self.split = int(dim), int(split)
        self.n = 0
        self._arrays = self._empty(0)

    def _empty(self, capacity: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (np.zeros((capacity, self.dim), dtype=np.int8), np.zeros((capacity, 2), dtype=np.float32),
                np.zeros((capacity, 2, 2), dtype=np.float64))

    @property
    def nbytes(self) -> int:
        return int(sum(a.nbytes for a in self._arrays))

    def _encode(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = np.asarray(vectors, dtype=np.float32)
        codes = np.zeros(x.shape, dtype=np.int8)
        scale = np.zeros((len(x), 2), dtype=np.float32)
        bound = np.zeros((len(x), 2, 2), dtype=np.float64)
        for f, part in enumerate((slice(0, self.split), slice(self.split, self.dim))):
            xf = x[:, part]
            s = np.abs(xf).max(axis=1) / np.float32(LEVELS)
            c = np.rint(xf / np.where(s > 0, s, np.float32(1.0))[:, None])
            np.clip(c, -LEVELS, LEVELS, out=c)
            codes[:, part] = c
            scale[:, f] = s
            gamma = (xf.shape[1] + 2) * _U * 1.01
            # quantisation (Cauchy-Schwarz) and the exact float32 product's own rounding (sum |x_j q_j| <= ||x|| ||q||)
            # per unit of ||q||; the sketch's float32 sum (|codes| <= 127) per unit of sum |q_j|. The norms are
            # float32 sums (relative error below d * u = 3e-5 here): taken 0.1 % larger.
            c *= s[:, None]
            np.subtract(xf, c, out=c)
            resid = np.sqrt(np.einsum("ij,ij->i", c, c).astype(np.float64)) * 1.001
            norm = np.sqrt(np.einsum("ij,ij->i", xf, xf).astype(np.float64)) * 1.001
            bound[:, f, 0] = resid + gamma * norm
            bound[:, f, 1] = gamma * LEVELS * s.astype(np.float64) * 1.001
        return codes, scale, bound

    def _room(self, rows: int) -> None:
        arrays = self._arrays
        if rows <= len(arrays[0]):
            return
        grown = self._empty(max(rows, 2 * len(arrays[0]), 1024))
        for new, old in zip(grown, arrays, strict=True):
            new[:self.n] = old[:self.n]
        self._arrays = grown

    def reserve(self, rows: int) -> None:
        self._room(int(rows))

    def append(self, vectors: np.ndarray) -> None:
        """Sketch rows added at the end of the table (their stored values)."""
        if len(vectors) == 0:
            return
        self._room(self.n + len(vectors))
        for target, values in zip(self._arrays, self._encode(vectors), strict=True):
            target[self.n:self.n + len(vectors)] = values
        self.n += len(vectors)

    def update(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        """Sketch rows whose stored values changed."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) and (rows.min() < 0 or rows.max() >= self.n):
            raise IndexError("sketch rows out of range")
        for target, values in zip(self._arrays, self._encode(vectors), strict=True):
            target[rows] = values

    def move(self, source: int, target: int) -> None:
        for a in self._arrays:
            a[target] = a[source]

    def keep(self, rows: np.ndarray) -> None:
        """Keep these rows (strictly increasing), in order, as the table's :meth:`FlatIndex.keep_rows` does."""
        rows = np.asarray(rows, dtype=np.int64)
        for a in self._arrays:
            a[:len(rows)] = a[rows]
        self.n = len(rows)

    def truncate(self, n: int) -> None:
        self.n = min(self.n, int(n))

    def products(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(first, second, err_first, err_second)`` for every row, float64: the sketched products of the query's
        two fields with the row's, and bounds of their distance from the exact float32 products of the stored row
        (``rows[:, :split] @ query[:split]`` and the same of the second field)."""
        codes, scale, bound = self._arrays  # read once: a growth on another thread replaces them whole
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if len(q) != self.dim:
            raise ValueError(f"a query of {len(q)} components for a sketch of {self.dim}")
        q_a, q_b = np.ascontiguousarray(q[:self.split]), np.ascontiguousarray(q[self.split:])
        a64, b64 = q_a.astype(np.float64), q_b.astype(np.float64)
        norms = np.array([np.sqrt((a64 ** 2).sum()), np.abs(a64).sum(), np.sqrt((b64 ** 2).sum()), np.abs(b64).sum()])
        out: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = _products(codes, scale, bound, self.n, q_a, q_b,
                                                                               norms)
        return out
