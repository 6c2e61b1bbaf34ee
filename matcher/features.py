"""Vectorised named features and hard constraints for project-candidate pairs.

Every function takes the project side ``P`` and the candidate side ``C`` as dicts of numpy columns
(see ``ProfileTable.cols``) that broadcast against each other: one side is a single row (shape (1,)),
the other the gathered rows being ranked (shape (n,)). The same code therefore serves "candidates for a
project" and "curated projects for an investor" (deal flow).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np

from matcher.config import FEATURE_INDEX, N_FEATURES, MatcherConfig
from matcher.profiles import MACRO_MASK, NATIONWIDE_BIT, OVERSEAS_BIT, PROVINCE_MASK

Cols = Mapping[str, np.ndarray]

_ONE = np.uint64(1)


def _pop(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.bitwise_count(x).astype(np.float32)
    return out


def _share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.maximum(den, 1.0), 0.0).astype(np.float32)


class LazyRows:
    """Rows of a wide column, taken only where read. ``served`` holds 30 ints a row and only the rows the
    Bloom mask flags are ever read: gathering all of it for 100k eligible rows took ~50x a plain column."""

    __slots__ = ("base", "rows")

    def __init__(self, base: np.ndarray, rows: np.ndarray) -> None:
        self.base, self.rows = base, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, idx: np.ndarray) -> np.ndarray:
        out: np.ndarray = self.base[self.rows[idx]]
        return out


WIDE_COLUMNS = frozenset({"served"})


def gather(cols: Cols, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The rows of every column (wide columns lazily: see :class:`LazyRows`, which supports ``len`` and
    integer-array indexing, all the feature code does with them)."""
    return {name: cast(np.ndarray, LazyRows(col, rows)) if name in WIDE_COLUMNS else col[rows]
            for name, col in cols.items()}


POOL_FEATURES = ("capacity_headroom", "acceptance", "freshness")
# Columns the query-dependent features read (gathering only these keeps the per-request copy small).
QUERY_COLUMNS = ("ids", "stages", "industries", "needs", "stated_needs", "pref", "pref_bit", "home", "area", "near",
                 "served", "served_bloom", "local_only", "relocating", "languages", "first_language")
INVESTOR_COLUMNS = ("rounds", "round_idx", "round_share", "funding", "ticket_min", "ticket_max")


def pool_features(cols: Cols, *, now: float, config: MatcherConfig, acceptance_prior: float,
                  with_exposure: bool = True) -> dict[str, np.ndarray]:
    """Features that depend only on the ranked side (capacity headroom, smoothed acceptance, freshness) and
    (``with_exposure``) the exposure penalty, for every row; callers cache them per table version."""
    cap = cols["capacity"]
    with np.errstate(invalid="ignore", divide="ignore"):
        headroom = np.where(np.isinf(cap), 1.0, np.clip((cap - cols["load"]) / np.maximum(cap, 1.0), 0.0, 1.0))
    alpha = config.acceptance_prior_strength
    acceptance = (cols["accepted"] + alpha * acceptance_prior) / (cols["requests"] + alpha)
    age_days = np.maximum(now - cols["updated"], 0.0) / 86400.0
    freshness = np.where(np.isnan(age_days), 0.5, np.exp(-np.nan_to_num(age_days) / config.freshness_days))
    out = {"capacity_headroom": headroom.astype(np.float32), "acceptance": acceptance.astype(np.float32),
           "freshness": freshness.astype(np.float32)}
    if with_exposure:
        out["exposure"] = exposure(cols, config)
    return out


def query_features(P: Cols, C: Cols, *, kind: str) -> np.ndarray:
    """The query-dependent structured features, shape (n, N_FEATURES); other columns stay 0."""
    (n,) = np.broadcast_shapes(P["ids"].shape, C["ids"].shape)
    X = np.zeros((n, N_FEATURES), dtype=np.float32)

    stage_bit = P["stages"]
    adjacent = (stage_bit << _ONE) | (stage_bit >> _ONE)
    X[:, FEATURE_INDEX["stage_fit"]] = np.where(
        (C["stages"] & stage_bit) != 0, 1.0, np.where((C["stages"] & adjacent) != 0, 0.5, 0.0))

    if kind == "investor":
        in_round = (P["rounds"] & C["rounds"]) != 0
        idx = np.maximum(P["round_idx"], 0).astype(np.int64)
        share = C["round_share"]
        if share.shape[0] == 1 and n > 1:
            share = np.broadcast_to(share, (n, share.shape[1]))
        idx_b = np.broadcast_to(idx, (n,))
        picked = share[np.arange(n), idx_b]
        top = share.max(axis=1)
        rel = np.where(top > 0, picked / np.maximum(top, 1e-9), 1.0)
        X[:, FEATURE_INDEX["round_fit"]] = np.where(in_round, 0.6 + 0.4 * rel, 0.0)

        funding = np.broadcast_to(P["funding"], (n,))
        lo = np.log(np.maximum(C["ticket_min"], 1.0))
        hi = np.log(np.maximum(C["ticket_max"], 1.0))
        mid = (lo + hi) / 2.0
        half = np.maximum((hi - lo) / 2.0, 0.1)
        dist = np.abs(np.log(np.maximum(funding, 1.0)) - mid) / half
        fit = np.clip(1.0 - 0.5 * dist**2, 0.0, 1.0)
        X[:, FEATURE_INDEX["ticket_fit"]] = np.where(funding > 0, fit, 0.5)

    p_ind = P["industries"]
    c_ind = C["industries"]
    X[:, FEATURE_INDEX["industry"]] = np.where(c_ind == 0, 0.5, _share(_pop(p_ind & c_ind), _pop(p_ind)))
    needs = P["needs"] if kind == "investor" else P["needs"] | P["stated_needs"]
    X[:, FEATURE_INDEX["needs_coverage"]] = _share(_pop(needs & C["needs"]), _pop(needs))

    X[:, FEATURE_INDEX["region"]] = region_fit(P, C, n)

    X[:, FEATURE_INDEX["language"]] = np.where(
        (C["languages"] & P["first_language"]) != 0, 1.0, np.where((C["languages"] & P["languages"]) != 0, 0.5, 0.0))
    return X


REGION_LEVELS = (1.0, 0.85, 0.7, 0.6, 0.45, 0.35)  # city, province, macro region, nationwide, near province, near macro


def serves_city(P: Cols, C: Cols, n: int) -> np.ndarray:
    """True where the candidate lists the project's (prefecture-level) city: the Bloom mask picks the few
    rows worth the exact test."""
    hit = (C["served_bloom"] & P["pref_bit"]) != 0
    out = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(np.broadcast_to(hit, (n,)))
    if len(rows):
        served = C["served"][rows] if len(C["served"]) > 1 else C["served"][np.zeros(len(rows), dtype=np.int64)]
        pref = P["pref"][rows] if len(P["pref"]) > 1 else np.broadcast_to(P["pref"], (len(rows),))
        out[rows] = (served == pref[:, None]).any(axis=1) & (pref >= 0)
    return out


def region_fit(P: Cols, C: Cols, n: int) -> np.ndarray:
    """Where the candidate works against where the project is: it serves the project's city 1.0, its
    province 0.85, its macro region 0.7, all China 0.6; it is based in or serves other cities of the
    project's province 0.45, of its macro region 0.35; otherwise 0. A candidate that serves the project's
    area (province, macro region or all China) and is based in the project's city counts as the city, in its
    province as the province, in its macro region (not "overseas": that is many countries) as the macro."""
    prov = P["home"] & np.uint64(PROVINCE_MASK)
    macro = P["home"] & np.uint64(MACRO_MASK)
    area, near = C["area"], C["near"]
    serves_area = [(area & prov) != 0, (area & macro) != 0, (area & np.uint64(NATIONWIDE_BIT)) != 0]
    serves = serves_area[0] | serves_area[1] | serves_area[2]
    # among those that serve the project's area, one based in its city or province is closer still
    home = C["home"]
    same_city = serves & (C["pref"] == P["pref"]) & (P["pref"] >= 0)
    same_province = serves & ((home & prov) != 0)
    same_macro = serves & ((home & macro & np.uint64(MACRO_MASK & ~OVERSEAS_BIT)) != 0)
    return np.select(
        [serves_city(P, C, n) | same_city, serves_area[0] | same_province, serves_area[1] | same_macro,
         serves_area[2], (near & prov) != 0, (near & macro) != 0], REGION_LEVELS, 0.0).astype(np.float32)


def structured_features(P: Cols, C: Cols, *, kind: str, now: float, config: MatcherConfig,
                        acceptance_prior: float, pool_side: str) -> np.ndarray:
    """All non-semantic features, shape (n, N_FEATURES); the semantic and lexical columns stay 0.

    ``kind`` is the candidate kind; ``pool_side`` ("candidate" or "project") says which side holds many
    rows: headroom, acceptance and freshness describe the side being ranked.
    """
    X = query_features(P, C, kind=kind)
    side = C if pool_side == "candidate" else P
    static = pool_features(side, now=now, config=config, acceptance_prior=acceptance_prior)
    for name in POOL_FEATURES:
        X[:, FEATURE_INDEX[name]] = static[name]
    return X


def hard_mask(P: Cols, C: Cols, *, kind: str, direction: str, config: MatcherConfig) -> np.ndarray:
    """True where the pair may be shown at all. Shape (n,)."""
    (n,) = np.broadcast_shapes(P["ids"].shape, C["ids"].shape)
    ok = np.ones(n, dtype=bool)
    ok &= np.broadcast_to(C["active"], (n,)) & np.broadcast_to(P["active"], (n,))
    ok &= (C["languages"] & P["languages"]) != 0
    if direction == "matches":
        # tenancy: network-wide candidates, or private to the project's space
        ok &= (C["space"] == 0) | (C["space"] == P["space"])
        ok &= C["load"] < C["capacity"]
    else:
        # deal flow: curated projects of the investor's space (network-wide investors see all spaces)
        ok &= P["curated"]
        ok &= (C["space"] == 0) | (C["space"] == P["space"])
    if kind == "investor":
        seeking = P["rounds"] != 0
        if direction == "dealflow":
            ok &= seeking
        # an investor that declares no rounds (e.g. known from deal records only) is not ruled out by round
        ok &= ~seeking | ((P["rounds"] & C["rounds"]) != 0) | (C["rounds"] == 0)
        # a ticket minimum above the whole amount sought rules an investor out; a maximum below it does
        # not (rounds are syndicated: the explanation says it would take part of the round)
        funding = P["funding"]
        ok &= (funding <= 0) | (C["ticket_min"] <= funding)
    # a government guidance fund, policy-application or registration service works in its own province:
    # only where it serves the project's city, province or all China, or the project says it would move
    local = np.broadcast_to(C["local_only"], (n,)) & ~np.broadcast_to(P["relocating"], (n,))
    if local.any():
        rows = np.flatnonzero(local)
        sub_p = {k: (v[rows] if len(v) > 1 else v) for k, v in P.items() if k in ("pref", "pref_bit", "home")}
        sub_c = {k: (v[rows] if len(v) > 1 else v) for k, v in C.items() if k in ("served", "served_bloom", "area")}
        prov = sub_p["home"] & np.uint64(PROVINCE_MASK)
        allowed = serves_city(sub_p, sub_c, len(rows)) | ((sub_c["area"] & (prov | np.uint64(NATIONWIDE_BIT))) != 0)
        ok[rows[~allowed]] = False
    return ok


def load_penalty(C: Cols) -> np.ndarray:
    """The capacity part of :func:`exposure`: ``0.5 * utilisation ** 2`` (changes with the load only)."""
    cap = C["capacity"]
    util = np.where(np.isinf(cap), 0.0, np.clip(C["load"] / np.maximum(cap, 1.0), 0.0, 1.0))
    out: np.ndarray = 0.5 * util**2
    return out


def exposure_from(load_part: np.ndarray, C: Cols, config: MatcherConfig) -> np.ndarray:
    """:func:`exposure` from its capacity part (:func:`load_penalty`) and the current impressions: what a
    served list changes, recomputed without the rest of the pool features."""
    imp = C["impressions"]
    active = C["active"] if "active" in C else None
    fair = (float(imp[active].mean()) if active.any() else 0.0) if active is not None else \
        (float(imp.mean()) if len(imp) else 0.0)
    if fair > 0:
        ratio = config.exposure_share_ratio
        over = np.clip((imp / max(fair, 1.0) - 1.0) / (ratio - 1.0), 0.0, 1.0)
        out: np.ndarray = -(load_part + 0.5 * over).astype(np.float32)
    else:
        out = -load_part.astype(np.float32)
    return out


def exposure(C: Cols, config: MatcherConfig) -> np.ndarray:
    """Exposure penalty in [-1, 0]: a candidate near capacity, or shown far more than its fair share of
    recent impressions (the mean over active candidates), is pushed down.

    ``0.5 * utilisation**2 + 0.5 * clip((shown / fair - 1) / (ratio - 1), 0, 1)`` with ``ratio`` =
    ``exposure_share_ratio``: no penalty up to the fair share, the full impression part at ``ratio`` times it."""
    return exposure_from(load_penalty(C), C, config)


def field_cosines(query_vec: np.ndarray, pool_vecs: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) cosine per field pair from combined ``[a, b] / sqrt(2)`` vectors."""
    first = 2.0 * (pool_vecs[:, :dim] @ query_vec[:dim])
    second = 2.0 * (pool_vecs[:, dim:] @ query_vec[dim:])
    return first.astype(np.float32), second.astype(np.float32)


def calibrate(cosines: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Cosine -> [0, 1]: a logistic of the z-score against random project-candidate pairs.

    Encoders differ wildly in their cosine baseline (e5 puts unrelated short texts near 0.8, USE near 0.1);
    after calibration 0.5 is a typical pair, 0.88 two standard deviations above it, for every encoder.
    """
    z = (cosines - mean) / max(std, 1e-6)
    out: np.ndarray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
    return out
