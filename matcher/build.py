"""Build, refresh, save and load :class:`~matcher.profiles.ProfileTable` s.

Encoding happens here and only here: on ``huoban index`` and when a profile is written. Serving loads
saved vectors; a profile whose text did not change is served from the embedding cache, never re-encoded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.config import MatcherConfig
from matcher.encoders import Encoder, item_encoder
from matcher.errors import IndexMismatchError
from matcher.index import FlatIndex, IndexManifest, load_arrays, load_index, read_manifest, save_index
from matcher.lexical import LexicalEncoder
from matcher.profiles import (
    ITEM_SLOTS,
    Profile,
    ProfileTable,
    combine_fields,
    encode_items,
    field_texts,
    lexical_text,
)

__all__ = [
    "TableStore",
    "embed_items",
    "embed_profiles",
    "item_hashes",
    "lexical_texts",
    "lexical_version",
    "load_table",
    "save_table",
    "text_hashes",
    "upsert_profiles",
]

Progress = Callable[[int], None]


def embed_profiles(profiles: Sequence[Profile], encoder: Encoder, *, batch_size: int = 128,
                   progress: Progress | None = None) -> np.ndarray:
    """Combined field vectors ``(n, 2 * encoder.dim)`` for profiles (see ``profiles`` module); ``progress``
    hears of every ``batch_size`` profiles (a few seconds of the slowest encoder)."""
    out = np.zeros((len(profiles), 2 * encoder.dim), dtype=np.float32)
    for start in range(0, len(profiles), batch_size):
        chunk = profiles[start:start + batch_size]
        firsts, seconds = zip(*(field_texts(p) for p in chunk), strict=True)
        vecs = encoder.encode(list(firsts) + list(seconds))
        out[start:start + len(chunk)] = combine_fields(vecs[: len(chunk)], vecs[len(chunk):])
        if progress:
            progress(len(chunk))
    return out


def embed_items(profiles: Sequence[Profile], encoder: Encoder) -> tuple[np.ndarray, np.ndarray]:
    """The profiles' item codes and scales (:func:`matcher.profiles.encode_items`), encoded by ``encoder``
    (pass :func:`matcher.encoders.item_encoder` of the service's encoder)."""
    items = [p.items[:ITEM_SLOTS] for p in profiles]
    texts = [t for group in items for t in group]
    vectors = encoder.encode(texts) if texts else np.zeros((0, encoder.dim), dtype=np.float32)
    return encode_items(vectors, [len(group) for group in items])


def lexical_texts(profiles: Sequence[Profile]) -> list[str]:
    return [lexical_text(p) for p in profiles]


def text_hashes(profiles: Sequence[Profile]) -> np.ndarray:
    """A 64-bit digest of each profile's embedded field texts: tells a stale saved vector from a current one."""
    return _digests(field_texts(p) for p in profiles)


def item_hashes(profiles: Sequence[Profile]) -> np.ndarray:
    """The same for each profile's items (a provider's description is an item, not a field)."""
    return _digests(p.items for p in profiles)


def _digests(texts: Iterable[Sequence[str]]) -> np.ndarray:
    digests = [hashlib.blake2b("\x00".join(group).encode(), digest_size=8).digest() for group in texts]
    return np.array([int.from_bytes(d, "little") for d in digests], dtype=np.uint64)


def upsert_profiles(table: ProfileTable, profiles: Sequence[Profile], encoder: Encoder,
                    lexical: LexicalEncoder, *, progress: Progress | None = None,
                    batch_size: int = 2048) -> None:
    table.reserve(len(table) + sum(1 for p in profiles if p.id not in table))
    items_by = item_encoder(encoder)
    for start in range(0, len(profiles), batch_size):
        chunk = list(profiles[start:start + batch_size])
        vectors = embed_profiles(chunk, encoder, progress=progress)
        lex_ids, lex_w = lexical.encode(lexical_texts(chunk))
        table.upsert(chunk, vectors, lex_ids, lex_w, embed_items(chunk, items_by))


def save_table(table: ProfileTable, root: str | Path, *, encoder_id: str, lexical: LexicalEncoder) -> IndexManifest:
    return save_index(
        table.index, root, encoder_id=encoder_id,
        extra={"kind": table.kind, "field_dim": table.field_dim, "lexical_terms": table.lex_ids.shape[1],
               "lexical_version": lexical.version},
        arrays={"lex_ids": table.lex_ids, "lex_weights": table.lex_weights, "idf": lexical.idf,
                "text_hash": text_hashes(table.profiles), "item_codes": table.item_codes,
                "item_scales": table.item_scales, "item_hash": item_hashes(table.profiles)},
    )


def lexical_version(root: str | Path) -> str:
    """The lexical text preparation a saved table was made under ("plain" before the glossary; see
    ``LexicalEncoder.version``)."""
    return _saved_lexical_version(read_manifest(root)[1])


def _saved_lexical_version(manifest: IndexManifest) -> str:
    return str(manifest.get("extra", {}).get("lexical_version", "plain"))


def load_table(root: str | Path, *, kind: str, profiles: Mapping[int, Profile], encoder: Encoder,
               lexical: LexicalEncoder, config: MatcherConfig | None = None,
               progress: Progress | None = None, lexical_fitted: bool = False) -> tuple[ProfileTable, dict[str, Any]]:
    """Load a saved table and reconcile it with the current profiles.

    Saved rows whose profile is gone are removed; profiles the saved index lacks are encoded (through the
    encoder's cache) and added; every saved row gets its current structured columns. Returns the table
    and a report ``{"loaded", "added", "removed", "manifest"}``. The saved lexical IDF is adopted, unless
    ``lexical_fitted`` (the caller fitted ``lexical`` afresh, as after a glossary change): then every row's
    lexical terms are encoded again under it (no embedding is recomputed). Rows saved under another
    ``LexicalEncoder.version`` without ``lexical_fitted`` raise :class:`IndexMismatchError`.
    """
    index, manifest = load_index(root, encoder_id=encoder.id, dim=2 * encoder.dim)
    if manifest.get("extra", {}).get("kind") != kind:
        raise IndexMismatchError(f"index at {root} holds {manifest.get('extra', {}).get('kind')!r}, not {kind!r}")
    if not isinstance(index, FlatIndex):
        raise IndexMismatchError(f"index at {root} is not a row-aligned flat index")
    arrays = load_arrays(manifest)
    if not lexical_fitted:
        saved = _saved_lexical_version(manifest)
        if saved != lexical.version:
            raise IndexMismatchError(f"index at {root} holds lexical rows made as {saved!r}, not {lexical.version!r}: "
                                     "fit the lexical encoder afresh (lexical_fitted) or rebuild with `huoban index`")
        lexical.load_state({"idf": arrays["idf"]})
    cfg = config or MatcherConfig()
    table = ProfileTable(kind, encoder.dim, cfg)
    saved_ids = index.row_ids()
    present = np.array([int(i) in profiles for i in saved_ids], dtype=bool)
    current_hash = text_hashes([profiles[int(i)] for i in saved_ids[present]])
    fresh = np.zeros(len(saved_ids), dtype=bool)
    fresh[np.flatnonzero(present)] = current_hash == arrays["text_hash"][present]
    rows = np.flatnonzero(fresh)  # saved vectors still valid; changed texts are re-embedded below
    kept_profiles = [profiles[int(i)] for i in saved_ids[rows]]
    lex_ids = arrays["lex_ids"][rows]
    lex_w = arrays["lex_weights"][rows]
    if lexical_fitted or lex_ids.shape[1] != cfg.lexical_terms:
        lex_ids, lex_w = lexical.encode(lexical_texts(kept_profiles))
    # items: the saved codes of rows whose sentences did not change; the rest (or all, for a table saved before
    # items or with another item width) encoded again, through the cache
    items_by = item_encoder(encoder)
    if "item_hash" in arrays and len(arrays["item_hash"]) == len(saved_ids) \
            and arrays["item_codes"].dtype == np.uint8 and arrays["item_codes"].shape[2] == (items_by.dim + 1) // 2:
        items = (arrays["item_codes"][rows], arrays["item_scales"][rows])
        stale = np.flatnonzero(item_hashes(kept_profiles) != arrays["item_hash"][rows])
    else:
        items = (np.zeros((len(rows), ITEM_SLOTS, (items_by.dim + 1) // 2), dtype=np.uint8),
                 np.zeros((len(rows), ITEM_SLOTS), dtype=np.float32))
        stale = np.arange(len(rows))
    if len(stale):
        items[0][stale], items[1][stale] = embed_items([kept_profiles[int(i)] for i in stale], items_by)
    index.keep_rows(rows)  # in place: the table takes the loaded vectors over rather than a copy of them
    table.adopt(index, kept_profiles, lex_ids, lex_w, items)
    missing = [p for pid, p in profiles.items() if pid not in table]
    if missing:
        upsert_profiles(table, missing, encoder, lexical, progress=progress)
    return table, {"loaded": int(len(rows)), "added": len(missing), "removed": int((~present).sum()),
                   "manifest": dict(manifest)}


class TableStore:
    """Where the tables of one deployment live: ``root/<kind>/`` each."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, kind: str) -> Path:
        return self.root / kind

    def exists(self, kind: str) -> bool:
        return (self.path(kind) / "CURRENT").exists()
