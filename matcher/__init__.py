"""Huoban's matcher: a pure library (no web framework, no ORM, no environment variables).

Callers hand it plain profile objects and settings; it embeds short profile fields, keeps exact
faiss indexes keyed by database ids, ranks with named, explained features, allocates cohorts and learns
from outcomes. See ``ranking`` for the pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public names and the module that defines each. Imported lazily (PEP 562) so that light modules such as
# ``matcher.errors`` or ``matcher.taxonomy`` do not pull in faiss, scipy and scikit-learn.
_EXPORTS: dict[str, str] = {
    "allocate": "matcher.allocation",
    "Allocation": "matcher.allocation",
    "build_encoder": "matcher.encoders",
    "CachedEncoder": "matcher.embedcache",
    "CandidateIndex": "matcher.index",
    "CandidateProfile": "matcher.profiles",
    "ConfigError": "matcher.errors",
    "DEFAULT_WEIGHTS": "matcher.config",
    "embed_profiles": "matcher.build",
    "Encoder": "matcher.encoders",
    "EncoderError": "matcher.errors",
    "Exploration": "matcher.ranking",
    "FEATURES": "matcher.config",
    "FlatIndex": "matcher.index",
    "IDMapIndex": "matcher.index",
    "IndexError_": "matcher.errors",
    "IndexMismatchError": "matcher.errors",
    "InfeasibleError": "matcher.errors",
    "KeywordEncoder": "matcher.encoders",
    "KINDS": "matcher.config",
    "LearnedScorer": "matcher.ranking",
    "LexicalEncoder": "matcher.lexical",
    "load_index": "matcher.index",
    "load_table": "matcher.build",
    "Match": "matcher.ranking",
    "Matcher": "matcher.ranking",
    "MatcherConfig": "matcher.config",
    "MatcherError": "matcher.errors",
    "MemoryEmbeddingCache": "matcher.embedcache",
    "ModelArtifactError": "matcher.errors",
    "NotFittedError": "matcher.errors",
    "ProfileTable": "matcher.profiles",
    "ProjectProfile": "matcher.profiles",
    "Ranking": "matcher.ranking",
    "save_index": "matcher.index",
    "save_table": "matcher.build",
    "SqliteEmbeddingCache": "matcher.embedcache",
    "TableStore": "matcher.build",
    "top_edges": "matcher.allocation",
    "UnknownLabelError": "matcher.errors",
    "upsert_profiles": "matcher.build",
    "WEIGHT_NAMES": "matcher.config",
    "WeightSet": "matcher.config",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from matcher.allocation import Allocation, allocate, top_edges  # noqa: F401
    from matcher.build import TableStore, embed_profiles, load_table, save_table, upsert_profiles  # noqa: F401
    from matcher.config import DEFAULT_WEIGHTS, FEATURES, KINDS, WEIGHT_NAMES, MatcherConfig, WeightSet  # noqa: F401
    from matcher.embedcache import CachedEncoder, MemoryEmbeddingCache, SqliteEmbeddingCache  # noqa: F401
    from matcher.encoders import Encoder, KeywordEncoder, build_encoder  # noqa: F401
    from matcher.errors import (  # noqa: F401
        ConfigError,
        EncoderError,
        IndexError_,
        IndexMismatchError,
        InfeasibleError,
        MatcherError,
        ModelArtifactError,
        NotFittedError,
        UnknownLabelError,
    )
    from matcher.index import CandidateIndex, FlatIndex, IDMapIndex, load_index, save_index  # noqa: F401
    from matcher.lexical import LexicalEncoder  # noqa: F401
    from matcher.profiles import CandidateProfile, ProfileTable, ProjectProfile  # noqa: F401
    from matcher.ranking import Exploration, LearnedScorer, Match, Matcher, Ranking  # noqa: F401


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
