"""Typed settings of the matcher and the operator weight sets.

The matcher reads no environment variables: the API and the CLI build a :class:`MatcherConfig` from
their own configuration and pass it in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from matcher.errors import ConfigError

# The named features, in the column order of every feature matrix, all in [0, 1]. The semantic ones are
# cosines calibrated per encoder (``features.calibrate``): 0.5 is a typical random project-candidate pair.
FEATURES: tuple[str, ...] = (
    "sem_need",  # embedding similarity: what the project needs vs what the candidate offers (calibrated)
    "sem_domain",  # embedding similarity: the project's domain vs the candidate's expertise (calibrated)
    "lexical",  # character n-gram TF-IDF cosine over the same short fields
    "stage_fit",  # 1 the candidate covers the project's stage, 0.5 an adjacent stage
    "round_fit",  # investors: the round is theirs (weighted by their portfolio history)
    "industry",  # share of the project's industries the candidate covers (one that names none: 1, ANY_INDUSTRY_FIT)
    "needs_coverage",  # share of the project's needs the candidate serves
    "region",  # serves (or serves the area of and is based in) its city 1, province 0.85, macro region 0.7,
    # all China 0.6; based in or serving other cities of its province 0.45, of its macro region 0.35
    "language",  # the project's first language is among the candidate's
    "ticket_fit",  # investors: funding sought sits well inside the ticket range (log scale)
    "capacity_headroom",  # free share of the candidate's capacity
    "acceptance",  # smoothed historical acceptance of introductions
    "freshness",  # exp(-days since the profile changed / 365)
)
N_FEATURES = len(FEATURES)
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}
# Contributions that are not columns of the feature matrix. ``sem_item``: the best cosine of one sentence of the
# project (its one-liner, a sentence of what it needs) with one sentence of the candidate (items, see
# ``matcher.profiles``), a second stage over the best ``MatcherConfig.item_rerank`` of the first.
EXTRA_FACTORS: tuple[str, ...] = ("learned", "exposure", "history", "sem_item")
WEIGHT_NAMES: tuple[str, ...] = FEATURES + EXTRA_FACTORS
KINDS: tuple[str, ...] = ("mentor", "investor", "provider")
# The product's default encoder: the winner of `python -m bench.encoders` on the bilingual relevance set, checked
# end to end on both judged match sets (`python -m bench.matches`; the README has the numbers). e5 (multilingual
# e5-small) carries 8/9 of the cosine; USE, centred on the domain and cut to its 128 leading directions, 1/9:
# USE was trained on translation pairs and lifts the Chinese-English pairs where e5-small is weakest.
# Changing it means re-running both benchmarks.
DEFAULT_ENCODER = "e5*8+use/128"
DIRECTIONS: tuple[str, ...] = ("matches", "dealflow")

_BASE = {
    "sem_need": 0.22,
    "sem_domain": 0.14,
    "lexical": 0.06,
    "stage_fit": 0.12,
    "round_fit": 0.0,
    "industry": 0.14,
    "needs_coverage": 0.20,
    "region": 0.04,
    "language": 0.03,
    "ticket_fit": 0.0,
    "capacity_headroom": 0.03,
    "acceptance": 0.03,
    "freshness": 0.02,
    # a trained model predicts the chance of a good outcome in [0, 1]; at 1.0 it weighs as much as all the
    # operator's named factors together (they sum to ~1), so what the loop learns can actually steer
    "learned": 1.0,
    "exposure": 0.15,
    # investors: the investment-history ranker's score in [0, 1] (matcher.investor_ranker), when one is serving;
    # the named weights then shape its thesis score instead of adding up on their own
    "history": 0.0,
    "sem_item": 0.0,
}

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    # mentors: where they are and what sector they know count more, how many need tags they list less (both
    # judged match sets, each fitted on the other; README "How matching works")
    # sem_item (a raw cosine, ~0.1-0.55): all three judged sets rose with it for mentors and providers at 0.1-0.3
    # and 0.2-0.6, every set at the values taken (README "How matching works"); investors are left to their thesis
    # and history
    "mentor": {**_BASE, "region": 0.12, "industry": 0.19, "needs_coverage": 0.15, "sem_item": 0.2},
    "provider": {**_BASE, "sem_domain": 0.08, "industry": 0.16, "needs_coverage": 0.30, "region": 0.08,
                 "sem_item": 0.4},
    "investor": {**_BASE, "round_fit": 0.14, "ticket_fit": 0.08, "needs_coverage": 0.06, "stage_fit": 0.08,
                 "capacity_headroom": 0.0, "exposure": 0.05, "history": 1.0},
    # deal flow: curated projects ranked for one investor's thesis
    "dealflow": {**_BASE, "round_fit": 0.16, "ticket_fit": 0.10, "needs_coverage": 0.04, "stage_fit": 0.10,
                 "capacity_headroom": 0.0, "acceptance": 0.0, "exposure": 0.0, "history": 1.0},
}
WEIGHT_LIMIT = 10.0


@dataclass(frozen=True)
class WeightSet:
    """Operator weights for one candidate kind (or ``dealflow``), plus list options.

    ``weights`` maps every name of :data:`WEIGHT_NAMES` to a finite float in [-10, 10].
    ``diversity`` in [0, 1] is the MMR trade-off (0 = off); ``version`` is the stored version, if any.
    """

    kind: str
    weights: Mapping[str, float]
    diversity: float = 0.0
    version: int | None = None
    id: int | None = None

    @classmethod
    def default(cls, kind: str) -> WeightSet:
        if kind not in DEFAULT_WEIGHTS:
            raise ConfigError(f"unknown weight-set kind {kind!r}; valid: {', '.join(DEFAULT_WEIGHTS)}")
        return cls(kind=kind, weights=dict(DEFAULT_WEIGHTS[kind]))

    @classmethod
    def parse(cls, kind: str, weights: Mapping[str, Any], *, diversity: float = 0.0,
              partial: bool = True, version: int | None = None, id: int | None = None) -> WeightSet:
        """Validate operator input. With ``partial``, missing names keep their defaults."""
        base = cls.default(kind)
        unknown = sorted(set(weights) - set(WEIGHT_NAMES))
        if unknown:
            raise ConfigError(f"unknown weight names {unknown}; valid: {', '.join(WEIGHT_NAMES)}")
        if not partial:
            missing = sorted(set(WEIGHT_NAMES) - set(weights))
            if missing:
                raise ConfigError(f"missing weights {missing}")
        merged: dict[str, float] = dict(base.weights)
        for name, value in weights.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ConfigError(f"weight {name!r} must be a finite number, got {value!r}")
            if abs(value) > WEIGHT_LIMIT:
                raise ConfigError(f"weight {name!r} must lie in [-{WEIGHT_LIMIT}, {WEIGHT_LIMIT}]")
            if name == "sem_item" and value < 0:  # it re-scores the best of the first stage only: a penalty there
                raise ConfigError("weight 'sem_item' must lie in [0, 10]")  # would lift the rows just below them
            merged[name] = float(value)
        if isinstance(diversity, bool) or not isinstance(diversity, int | float) or not 0.0 <= diversity <= 1.0:
            raise ConfigError("diversity must lie in [0, 1]")
        return cls(kind=kind, weights=merged, diversity=float(diversity), version=version, id=id)

    def vector(self) -> list[float]:
        return [float(self.weights[name]) for name in FEATURES]

    def with_weights(self, **changes: float) -> WeightSet:
        return replace(self, weights={**self.weights, **changes})


@dataclass(frozen=True)
class MatcherConfig:
    """Settings of retrieval and ranking (sizes are per ranking call)."""

    semantic_fetch: int = 2000  # faiss over-fetch (costs little: the scan dominates, not the heap)
    structured_fetch: int = 300  # best by structured pre-score, added to the semantic candidates
    lexical_terms: int = 96  # top character n-grams kept per profile
    lexical_features: int = 2**18
    acceptance_prior_strength: float = 5.0
    freshness_days: float = 365.0
    exposure_share_ratio: float = 4.0  # impressions / fair share at which the impression penalty saturates
    exposure_learned_discount: float = 1.0  # share of the learned boost an over-exposed candidate loses
    # exposure in the tail of a list: the first ``exposure_tail_from`` places go by score; the rest go to the least
    # shown of the next best ``k - exposure_tail_from + exposure_tail_pool`` (kinds with an exposure weight; either
    # at 0: off)
    exposure_tail_from: int = 5
    exposure_tail_pool: int = 10
    diversity_pool: int = 3  # MMR picks from the best k * pool
    walk_chunk: int = 512  # rows made exact per step of the threshold walk
    # pools up to this size get every row's semantic part from two matrix-vector products over the stored field
    # vectors (one pass over the memory a faiss search scans anyway) instead of faiss plus the threshold walk,
    # which gathers the rows it visits; 0 turns it off (bench.latency at 10k: see the README)
    dense_max: int = 20_000
    lexical_bound: float = 0.5  # assumed ceiling of the lexical cosine while walking (see ranking)
    # ask a learned model only about the candidates that can still reach the list (the same list; False: about
    # every candidate, as before)
    learned_prune: bool = True
    # tables reserved for more rows than this store their vectors as bfloat16 (matcher.index.FlatIndex, half=True):
    # half the memory, and a faster faiss scan, where the dense path above no longer reads every vector as
    # float32; 0 converts nothing (a table saved as bfloat16 loads as saved)
    half_above: int = 20_000
    # the second stage: sem_item is scored for the best this many of the first stage (the list and far beyond it)
    item_rerank: int = 100
    extra: Mapping[str, Any] = field(default_factory=dict)

    def item_depth(self, k: int) -> int:
        """How many of a list of ``k``'s first stage the second stage (sem_item) scores: ``item_rerank``, at most a
        third of the shortlist a ranking keeps (``structured_fetch``, or 3k: the margin the list itself has),
        so that the retrieval paths and the exhaustive ranking score the same rows."""
        return min(self.item_rerank, max(self.structured_fetch, 3 * k) // 3)

    def __post_init__(self) -> None:
        for name in ("semantic_fetch", "structured_fetch", "lexical_terms", "lexical_features", "diversity_pool",
                     "item_rerank"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"{name} must be >= 1")
        if int(self.exposure_tail_from) < 0 or int(self.exposure_tail_pool) < 0:
            raise ConfigError("exposure_tail_from and exposure_tail_pool must be >= 0")
        if self.exposure_share_ratio <= 1.0:
            raise ConfigError("exposure_share_ratio must exceed 1")
