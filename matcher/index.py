"""Exact inner-product vector indexes keyed by database ids, saved with a manifest.

Two implementations of :class:`CandidateIndex`:

* :class:`FlatIndex` - ``faiss.IndexFlatIP`` whose rows stay aligned with an ``ids`` array. Removal swaps
  the last row into the hole (O(dim)), updates overwrite in place, and callers that keep other per-row
  arrays (the ranking pool) learn every move through the return value of :meth:`FlatIndex.remove`.
  With ``half=True`` the same rows are stored as bfloat16 (``faiss.IndexScalarQuantizer``, ``QT_bf16``):
  half the memory, and faiss's exhaustive search reads half the bytes (100k x 1,024-d, one thread, top 2,000:
  ~8 ms a query against ~19 ms for float32 here). A bfloat16 is the top half of a float32, so a gathered row is
  widened back by a shift (~2 ms more for 4,000 rows than a float32 gather; float16 took ~7 ms more, numpy
  converts it slowly); a component moves by ~0.4 % of itself, a cosine by ~1e-3 at most, and every reader
  (the search, the gathers) sees the same stored values.
* :class:`IDMapIndex` - ``faiss.IndexIDMap2(faiss.IndexFlatIP)``, the textbook construction; removal
  compacts the storage (O(n)).

Vectors must be L2-normalised float32, so inner product = cosine. ``search`` returns ``(ids, scores)`` of
shape ``(n_queries, k)``, best first, padded with id -1 and score -inf.

On disk an index is a directory holding ``CURRENT`` (the name of the live version) and one directory per
version with ``index.faiss``, ``ids.npy`` and ``manifest.json`` (encoder id, dimension, count, sha256
checksum). A save writes a new version and then replaces ``CURRENT`` atomically, so a reader never sees a
half-written index; loading checks the checksum, encoder and dimension.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

import faiss
import numpy as np

from matcher.errors import IndexError_, IndexMismatchError

__all__ = [
    "CandidateIndex",
    "FlatIndex",
    "IDMapIndex",
    "IndexManifest",
    "load_arrays",
    "load_index",
    "read_manifest",
    "save_index",
    "set_search_threads",
]

FORMAT = "huoban-index/1"


def _as_ids(ids: Any) -> np.ndarray:
    arr = np.asarray(ids, dtype=np.int64).reshape(-1)
    return arr


def _as_vectors(vectors: Any, dim: int) -> np.ndarray:
    arr = np.ascontiguousarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise IndexMismatchError(f"expected vectors of dimension {dim}, got shape {arr.shape}")
    return arr


@runtime_checkable
class CandidateIndex(Protocol):
    dim: int

    def __len__(self) -> int: ...

    def __contains__(self, id_: object) -> bool: ...

    def add(self, ids: Any, vectors: Any) -> None: ...

    def upsert(self, ids: Any, vectors: Any) -> None: ...

    def remove(self, ids: Any) -> Any: ...

    def search(self, queries: Any, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def ids(self) -> np.ndarray: ...

    def vectors_of(self, ids: Any) -> np.ndarray: ...


class _Rows:
    """The bytes of a faiss flat index's rows for numpy, holding the index: a view outlives a switch that
    replaces the index (:meth:`FlatIndex.to_half`) without reading freed memory."""

    def __init__(self, index: Any, nbytes: int) -> None:
        self.index = index
        self.__array_interface__ = {"data": (int(index.codes.data()), False), "shape": (nbytes,),
                                    "typestr": "|u1", "version": 3}


class FlatIndex:
    """``IndexFlatIP`` with rows aligned to an id array (see the module docstring)."""

    impl = "flat"

    def __init__(self, dim: int, *, half: bool = False) -> None:
        self.dim = int(dim)
        self._index: Any = self._new_index(half)
        self._ids = np.zeros(0, dtype=np.int64)
        self._row: dict[int, int] = {}

    @property
    def half(self) -> bool:
        """Whether the rows are stored as bfloat16 (read off the faiss index itself, so the two never disagree)."""
        return isinstance(self._index, faiss.IndexScalarQuantizer)

    @property
    def raw(self) -> Any:
        """The faiss index itself (read only: for timing a bare search)."""
        return self._index

    def _new_index(self, half: bool) -> Any:
        if half:
            return faiss.IndexScalarQuantizer(self.dim, faiss.ScalarQuantizer.QT_bf16, faiss.METRIC_INNER_PRODUCT)
        return faiss.IndexFlatIP(self.dim)

    def to_half(self, block: int = 8192) -> None:
        """Store the vectors as bfloat16 from now on (module docstring); ids and rows stay as they are. The new
        index is sized once and filled a block at a time aside, then published in one assignment, so a ranking
        on another thread sees either the old index or the complete new one; a view of the old one's rows
        (:meth:`matrix`) keeps it alive until the view is gone."""
        if self.half:
            return
        old = self.matrix()
        new = self._new_index(True)
        codes = new.codes
        codes.resize(len(old) * int(new.code_size))  # one allocation of the final size, as `reserve` makes
        codes.resize(0)
        for start in range(0, len(old), block):
            new.add(np.ascontiguousarray(old[start:start + block]))
        self._index = new

    @staticmethod
    def widen(stored: np.ndarray) -> np.ndarray:
        """Stored rows as float32: bfloat16 bits (uint16) as the values they stand for, the top half of a float32
        (exactly faiss's own decode); float32 rows as they are."""
        if stored.dtype != np.uint16:
            return stored
        out: np.ndarray = (stored.astype(np.uint32) << np.uint32(16)).view(np.float32)
        return out

    def half_products(self, query: np.ndarray, split: int, block: int = 8192) -> tuple[np.ndarray, np.ndarray]:
        """``(rows[:, :split] @ query[:split], rows[:, split:] @ query[split:])`` over every stored row, without a
        float32 copy of the table: a bfloat16 table is widened a block at a time into one reused buffer."""
        m = self.matrix()
        if m.dtype != np.uint16:
            return m[:, :split] @ query[:split], m[:, split:] @ query[split:]
        first = np.empty(len(m), dtype=np.float32)
        second = np.empty(len(m), dtype=np.float32)
        buf = np.empty((min(block, len(m)), self.dim), dtype=np.uint32)
        for start in range(0, len(m), block):
            part = m[start:start + block]
            wide = buf[:len(part)]
            np.left_shift(part, 16, out=wide, dtype=np.uint32)
            rows = wide.view(np.float32)
            first[start:start + len(part)] = rows[:, :split] @ query[:split]
            second[start:start + len(part)] = rows[:, split:] @ query[split:]
        return first, second

    def _encode(self, vectors: np.ndarray) -> np.ndarray:
        """Rows as stored: float32 as they are, or their bfloat16 bits (uint16) as faiss encodes them."""
        if not self.half:
            return vectors
        codes: np.ndarray = self._index.sa_encode(np.ascontiguousarray(vectors, dtype=np.float32))
        return codes.view(np.uint16).reshape(len(vectors), self.dim)

    # -- introspection --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._index.ntotal)

    def __contains__(self, id_: object) -> bool:
        return isinstance(id_, int | np.integer) and int(id_) in self._row

    def ids(self) -> np.ndarray:
        return self._ids.copy()

    def row_ids(self) -> np.ndarray:
        """The id of every row (a view; do not modify)."""
        return self._ids

    def rows_of(self, ids: Any) -> np.ndarray:
        try:
            return np.fromiter((self._row[int(i)] for i in _as_ids(ids)), dtype=np.int64)
        except KeyError as exc:
            raise KeyError(f"id {exc.args[0]} is not in the index") from None

    def matrix(self) -> np.ndarray:
        """All rows as stored, one per id in ``row_ids()`` order (a view into faiss memory; read only): float32
        vectors, or with ``half`` their bfloat16 bits as uint16 (:meth:`vectors` widens them)."""
        index = self._index  # read once: a switch (to_half) on another thread replaces it whole
        n = int(index.ntotal)
        dtype = np.uint16 if isinstance(index, faiss.IndexScalarQuantizer) else np.float32
        if n == 0:
            return np.zeros((0, self.dim), dtype=dtype)
        raw: np.ndarray = np.asarray(_Rows(index, n * int(index.code_size)))  # the view holds the index
        view: np.ndarray = raw.view(dtype).reshape(n, self.dim)
        return view

    def vectors(self, rows: Any) -> np.ndarray:
        """The vectors of these rows as float32 (a copy; bfloat16 rows widened exactly, as faiss decodes them)."""
        return self.widen(self.matrix()[np.asarray(rows, dtype=np.int64)])

    def vectors_of(self, ids: Any) -> np.ndarray:
        return self.vectors(self.rows_of(ids))

    # -- changes --------------------------------------------------------------------------------------
    def reserve(self, rows: int) -> None:
        """Make room for ``rows`` vectors in all, so that adds up to that many move nothing already stored.

        faiss keeps the vectors in one ``std::vector`` that grows by doubling, and each growth holds the old
        and the new buffer at once: adding 100k x 1,024-d float32 rows 20k at a time peaked at 312 + 390 MB
        for the vectors alone. Growing it once to the final size and back (a vector keeps its capacity) costs
        only the final size; the memory is touched (zeroed) now rather than as rows arrive."""
        if rows <= len(self):
            return
        codes = self._index.codes
        size = int(codes.size())
        codes.resize(int(rows) * int(self._index.code_size))
        codes.resize(size)

    def add(self, ids: Any, vectors: Any) -> None:
        ids_arr = _as_ids(ids)
        vecs = _as_vectors(vectors, self.dim)
        if len(ids_arr) != len(vecs):
            raise IndexError_(f"{len(ids_arr)} ids for {len(vecs)} vectors")
        if len(set(ids_arr.tolist())) != len(ids_arr):
            raise IndexError_("duplicate ids in one add")
        dup = [int(i) for i in ids_arr if int(i) in self._row]
        if dup:
            raise IndexError_(f"ids already indexed: {dup[:5]} (use upsert to replace)")
        start = len(self)
        self._index.add(vecs)
        self._ids = np.concatenate([self._ids, ids_arr])
        for offset, id_ in enumerate(ids_arr.tolist()):
            self._row[id_] = start + offset

    def upsert(self, ids: Any, vectors: Any) -> None:
        ids_arr = _as_ids(ids)
        vecs = _as_vectors(vectors, self.dim)
        present = np.array([int(i) in self._row for i in ids_arr], dtype=bool)
        if present.any():
            self.matrix()[self.rows_of(ids_arr[present])] = self._encode(vecs[present])
        if (~present).any():
            self.add(ids_arr[~present], vecs[~present])

    def keep_rows(self, rows: Any) -> None:
        """Keep only these rows (strictly increasing), in their order, compacting the vectors in place: no
        second copy of the table (a gather of the kept rows into a new index held three at load time)."""
        keep = np.asarray(rows, dtype=np.int64).reshape(-1)
        n = len(self)
        if len(keep) and (keep[0] < 0 or keep[-1] >= n or np.any(np.diff(keep) <= 0)):
            raise IndexError_("keep_rows needs strictly increasing rows of the index")
        if len(keep) == n:
            return
        xb = self.matrix()
        for start in range(0, len(keep), 4096):  # each source row is at or after its target: moves forward
            part = keep[start:start + 4096]
            xb[start:start + len(part)] = xb[part]
        self._index.remove_ids(faiss.IDSelectorRange(len(keep), n))  # the tail: nothing moves, the size shrinks
        self._ids = self._ids[keep].copy()
        self._row = {int(i): r for r, i in enumerate(self._ids.tolist())}

    def remove(self, ids: Any) -> list[tuple[int, int]]:
        """Remove ids (unknown ids are ignored). Returns the row moves ``(from_row, to_row)`` applied,
        in order, so that aligned arrays can replay them; afterwards the table is shorter by the number
        of removed ids."""
        moves: list[tuple[int, int]] = []
        targets = [int(i) for i in _as_ids(ids) if int(i) in self._row]
        if not targets:
            return moves
        n = len(self)
        xb = self.matrix()
        for id_ in targets:
            row = self._row.pop(id_)
            last = n - 1
            if row != last:
                xb[row] = xb[last]
                moved_id = int(self._ids[last])
                self._ids[row] = moved_id
                self._row[moved_id] = row
                moves.append((last, row))
            n -= 1
        self._index.remove_ids(faiss.IDSelectorRange(n, len(self)))
        self._ids = self._ids[:n].copy()
        return moves

    # -- search ---------------------------------------------------------------------------------------
    def search_rows(self, queries: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = _as_vectors(queries, self.dim)
        if len(self) == 0 or k <= 0:
            shape = (len(q), max(k, 0))
            return np.full(shape, -1, dtype=np.int64), np.full(shape, -np.inf, dtype=np.float32)
        scores, rows = self._index.search(q, min(k, len(self)))
        if rows.shape[1] < k:
            pad = k - rows.shape[1]
            rows = np.pad(rows, ((0, 0), (0, pad)), constant_values=-1)
            scores = np.pad(scores, ((0, 0), (0, pad)), constant_values=-np.inf)
        scores[rows < 0] = -np.inf
        return rows, scores

    def search(self, queries: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
        rows, scores = self.search_rows(queries, k)
        ids = np.where(rows >= 0, self._ids[np.maximum(rows, 0)] if len(self) else -1, -1)
        return ids.astype(np.int64), scores

    # -- persistence ----------------------------------------------------------------------------------
    def _write(self, directory: Path) -> None:
        faiss.write_index(self._index, str(directory / "index.faiss"))
        np.save(directory / "ids.npy", self._ids)

    @classmethod
    def _read(cls, directory: Path, dim: int) -> FlatIndex:
        out = cls(dim)
        # read_index already returns the concrete class (flat, or bfloat16 rows when it was saved half)
        out._index = faiss.read_index(str(directory / "index.faiss"))
        if isinstance(out._index, faiss.IndexScalarQuantizer) and \
                out._index.sq.qtype != faiss.ScalarQuantizer.QT_bf16:
            raise IndexMismatchError(f"index in {directory} stores a scalar quantizer other than bfloat16")
        out._ids = np.load(directory / "ids.npy", allow_pickle=False).astype(np.int64)
        if out._index.ntotal != len(out._ids) or out._index.d != dim:
            raise IndexMismatchError(f"index files in {directory} disagree with each other")
        out._row = {int(i): r for r, i in enumerate(out._ids.tolist())}
        return out


class IDMapIndex:
    """``IndexIDMap2(IndexFlatIP)``: faiss keeps the id map itself."""

    impl = "idmap"

    def __init__(self, dim: int) -> None:
        self.dim = int(dim)
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self._ids: set[int] = set()

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def __contains__(self, id_: object) -> bool:
        return isinstance(id_, int | np.integer) and int(id_) in self._ids

    def ids(self) -> np.ndarray:
        out: np.ndarray = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return out

    def vectors_of(self, ids: Any) -> np.ndarray:
        ids_arr = _as_ids(ids)
        missing = [int(i) for i in ids_arr if int(i) not in self._ids]
        if missing:
            raise KeyError(f"id {missing[0]} is not in the index")
        return np.stack([self._index.reconstruct(int(i)) for i in ids_arr]) if len(ids_arr) else \
            np.zeros((0, self.dim), dtype=np.float32)

    def add(self, ids: Any, vectors: Any) -> None:
        ids_arr = _as_ids(ids)
        vecs = _as_vectors(vectors, self.dim)
        if len(ids_arr) != len(vecs):
            raise IndexError_(f"{len(ids_arr)} ids for {len(vecs)} vectors")
        if len(set(ids_arr.tolist())) != len(ids_arr):
            raise IndexError_("duplicate ids in one add")
        dup = [int(i) for i in ids_arr if int(i) in self._ids]
        if dup:
            raise IndexError_(f"ids already indexed: {dup[:5]} (use upsert to replace)")
        self._index.add_with_ids(vecs, ids_arr)
        self._ids.update(ids_arr.tolist())

    def upsert(self, ids: Any, vectors: Any) -> None:
        ids_arr = _as_ids(ids)
        self.remove(ids_arr)
        self.add(ids_arr, vectors)

    def remove(self, ids: Any) -> int:
        ids_arr = np.array([i for i in _as_ids(ids).tolist() if i in self._ids], dtype=np.int64)
        if len(ids_arr) == 0:
            return 0
        removed = int(self._index.remove_ids(faiss.IDSelectorBatch(ids_arr)))
        self._ids.difference_update(ids_arr.tolist())
        return removed

    def search(self, queries: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = _as_vectors(queries, self.dim)
        if len(self) == 0 or k <= 0:
            shape = (len(q), max(k, 0))
            return np.full(shape, -1, dtype=np.int64), np.full(shape, -np.inf, dtype=np.float32)
        scores, ids = self._index.search(q, min(k, len(self)))
        if ids.shape[1] < k:
            pad = k - ids.shape[1]
            ids = np.pad(ids, ((0, 0), (0, pad)), constant_values=-1)
            scores = np.pad(scores, ((0, 0), (0, pad)), constant_values=-np.inf)
        scores[ids < 0] = -np.inf
        return ids.astype(np.int64), scores

    def _write(self, directory: Path) -> None:
        faiss.write_index(self._index, str(directory / "index.faiss"))
        np.save(directory / "ids.npy", self.ids())

    @classmethod
    def _read(cls, directory: Path, dim: int) -> IDMapIndex:
        out = cls(dim)
        out._index = cast(faiss.IndexIDMap2, faiss.read_index(str(directory / "index.faiss")))
        if out._index.d != dim:
            raise IndexMismatchError(f"index in {directory} has dimension {out._index.d}, manifest says {dim}")
        out._ids = set(out.ids().tolist())
        return out


_IMPLS: dict[str, type[FlatIndex] | type[IDMapIndex]] = {"flat": FlatIndex, "idmap": IDMapIndex}


def set_search_threads(n: int) -> None:
    """faiss OpenMP threads for this process. Serving uses 1: a single-query flat search on this 2-core
    machine measured ~2x faster with one thread than with two (the workers already use the cores)."""
    faiss.omp_set_num_threads(max(1, int(n)))


class IndexManifest(dict[str, Any]):
    """The manifest of a saved index (a dict with known keys)."""


def _checksum(directory: Path) -> str:
    h = hashlib.sha256()
    for name in ("index.faiss", "ids.npy", "arrays.npz"):
        if name == "arrays.npz" and not (directory / name).exists():
            continue
        with open(directory / name, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def save_index(index: FlatIndex | IDMapIndex, root: str | Path, *, encoder_id: str,
               extra: Mapping[str, Any] | None = None, arrays: Mapping[str, np.ndarray] | None = None,
               keep: int = 2) -> IndexManifest:
    """Write a new version under ``root`` and switch ``root/CURRENT`` to it atomically.

    ``arrays`` (row-aligned side data, e.g. lexical terms) go into ``arrays.npz``, covered by the checksum.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    version = f"v-{stamp}-{secrets.token_hex(3)}"
    tmp = root / f".tmp-{version}"
    tmp.mkdir()
    try:
        index._write(tmp)
        if arrays:
            np.savez(tmp / "arrays.npz", **{k: np.asarray(v) for k, v in arrays.items()})  # type: ignore[arg-type]
        manifest = IndexManifest(
            format=FORMAT, impl=index.impl, encoder_id=encoder_id, dim=index.dim, count=len(index),
            vectors="bfloat16" if getattr(index, "half", False) else "float32",
            checksum=_checksum(tmp), created_at=dt.datetime.now(dt.UTC).isoformat(), extra=dict(extra or {}),
        )
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(tmp, root / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    pointer_tmp = root / f".CURRENT-{secrets.token_hex(4)}"
    pointer_tmp.write_text(version)
    os.replace(pointer_tmp, root / "CURRENT")
    versions = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("v-"))
    for old in versions[:-keep]:
        if old.name != version:
            shutil.rmtree(old, ignore_errors=True)
    return manifest


def read_manifest(root: str | Path) -> tuple[Path, IndexManifest]:
    root = Path(root)
    pointer = root / "CURRENT"
    if not pointer.exists():
        raise IndexError_(f"no index at {root}: run `huoban index` to build it")
    directory = root / pointer.read_text().strip()
    try:
        manifest = IndexManifest(json.loads((directory / "manifest.json").read_text()))
    except (OSError, ValueError) as exc:
        raise IndexMismatchError(f"index manifest in {directory} is unreadable ({exc}): rebuild with "
                                 "`huoban index --rebuild`") from None
    return directory, manifest


def load_index(root: str | Path, *, encoder_id: str | None = None,
               dim: int | None = None) -> tuple[FlatIndex | IDMapIndex, IndexManifest]:
    """Load the live version; refuse a different encoder or dimension, or a corrupt file."""
    directory, manifest = read_manifest(root)
    if manifest.get("format") != FORMAT:
        raise IndexMismatchError(f"index at {root} has format {manifest.get('format')!r}, expected {FORMAT}")
    if encoder_id is not None and manifest["encoder_id"] != encoder_id:
        raise IndexMismatchError(
            f"index at {root} was built with encoder {manifest['encoder_id']} (dim {manifest['dim']}) but "
            f"the service uses {encoder_id}" + (f" (dim {dim})" if dim else "")
            + ": rebuild it with `huoban index --rebuild`")
    if dim is not None and int(manifest["dim"]) != dim:
        raise IndexMismatchError(f"index at {root} has dimension {manifest['dim']}, expected {dim}: rebuild it "
                                 "with `huoban index --rebuild`")
    if _checksum(directory) != manifest["checksum"]:
        raise IndexMismatchError(f"index at {directory} fails its checksum (corrupt or partly written): "
                                 "rebuild it with `huoban index --rebuild`")
    impl = _IMPLS.get(str(manifest.get("impl")))
    if impl is None:
        raise IndexMismatchError(f"unknown index implementation {manifest.get('impl')!r} at {root}")
    index = impl._read(directory, int(manifest["dim"]))
    manifest["path"] = str(directory)  # where it was read from (not stored in the file)
    if len(index) != int(manifest["count"]):
        raise IndexMismatchError(f"index at {directory} holds {len(index)} vectors, manifest says "
                                 f"{manifest['count']}")
    return index, manifest


def load_arrays(manifest: IndexManifest) -> dict[str, np.ndarray]:
    """The side arrays saved with the version ``manifest`` came from (empty when none were saved)."""
    path = Path(manifest["path"]) / "arrays.npz"
    if not path.exists():
        return {}
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}
