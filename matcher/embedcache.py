"""Embeddings cached by content hash and model id, so unchanged text is never encoded twice.

:class:`SqliteEmbeddingCache` keeps vectors in a small SQLite file (the standard library's ``sqlite3``,
safe to share between processes). :class:`CachedEncoder` wraps any encoder with a cache and counts what it
actually encoded (``encoded``) and what it served from the cache (``hits``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from matcher.encoders import Encoder, content_hash

__all__ = ["CachedEncoder", "EmbeddingCache", "MemoryEmbeddingCache", "SqliteEmbeddingCache"]


class EmbeddingCache(Protocol):
    def get_many(self, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]: ...

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None: ...


class MemoryEmbeddingCache:
    def __init__(self) -> None:
        self._data: dict[str, np.ndarray] = {}

    def get_many(self, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        return {k: self._data[k] for k in keys if k in self._data}

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        for key, vec in items:
            self._data[key] = np.asarray(vec, dtype=np.float32).copy()

    def __len__(self) -> int:
        return len(self._data)


class SqliteEmbeddingCache:
    """A key -> float32 vector store in one SQLite file (WAL mode, shared by processes)."""

    _CHUNK = 500

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS embeddings (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def get_many(self, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        conn = self._conn()
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), self._CHUNK):
            chunk = unique[i:i + self._CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob in conn.execute(f"SELECT key, vec FROM embeddings WHERE key IN ({marks})", chunk):
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:
                    out[key] = vec
        return out

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(key, np.ascontiguousarray(vec, dtype=np.float32).tobytes()) for key, vec in items]
        if not rows:
            return
        with self._conn() as conn:
            conn.executemany("INSERT OR REPLACE INTO embeddings (key, vec) VALUES (?, ?)", rows)

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class CachedEncoder:
    """An encoder that looks every text up by (model id, content hash) before encoding it."""

    def __init__(self, encoder: Encoder, cache: EmbeddingCache) -> None:
        self.inner = encoder
        self.cache = cache
        self.encoded = 0
        self.hits = 0
        # a composite or projected encoder caches its base models' raw vectors, each under its model's own id:
        # vectors already cached for a model (e.g. when it was the encoder on its own) are reused, and a change
        # of shares or projection re-encodes nothing
        self._leaves: list[CachedEncoder] = []
        with_cache = getattr(encoder, "with_cache", None)
        if with_cache is not None:
            def wrap(leaf: Encoder) -> CachedEncoder:
                cached = CachedEncoder(leaf, cache)
                self._leaves.append(cached)
                return cached

            self.inner = with_cache(wrap)

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if self._leaves:
            out_parts: np.ndarray = self.inner.encode(texts)
            # per text, not per model: the most texts any one model encoded, the fewest any one found cached
            self.encoded = max(p.encoded for p in self._leaves)
            self.hits = min(p.hits for p in self._leaves)
            return out_parts
        keys = [content_hash(self.inner.id, t) for t in texts]
        found = self.cache.get_many(keys, self.inner.dim)
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found and key not in missing:
                missing[key] = text
        if missing:
            vectors = self.inner.encode(list(missing.values()))
            fresh = dict(zip(missing.keys(), vectors, strict=True))
            self.cache.put_many(fresh.items())
            found.update(fresh)
            self.encoded += len(missing)
        self.hits += len(texts) - len(missing)
        out = np.zeros((len(texts), self.inner.dim), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = found[key]
        return out
