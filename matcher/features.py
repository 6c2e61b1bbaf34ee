"""Vectorised named features and hard constraints for project-candidate pairs.

Every function takes the project side ``P`` and the candidate side ``C`` as dicts of numpy columns
(see ``ProfileTable.cols``) that broadcast against each other: one side is a single row (shape (1,)),
the other the gathered rows being ranked (shape (n,)). The same code therefore serves "candidates for a
project" and "curated projects for an investor" (deal flow).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from matcher.config import FEATURE_INDEX, N_FEATURES, MatcherConfig
from matcher.profiles import MACRO_MASK, NATIONWIDE_BIT, OVERSEAS_BIT, PROVINCE_MASK, region_columns, unpack_items
from matcher.taxonomy import ROUNDS, STAGES

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
QUERY_COLUMNS = ("ids", "stages", "industries", "main_industry", "needs", "stated_needs", "pref", "pref_bit", "home",
                 "area", "near", "served", "served_bloom", "local_only", "relocating", "plan_pref", "plan_pref_bit",
                 "plan_home", "languages", "first_language")
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


# What a project at each stage usually raises next, before the network's own projects say otherwise: a domain
# prior (rows: STAGES, the rest of each row is 0) worth STAGE_PRIOR_STRENGTH projects that state their round
_ROUND_PRIOR = {
    "idea": {"angel": 0.5, "seed": 0.4, "crowdfunding": 0.1},
    "seed": {"angel": 0.45, "seed": 0.3, "pre_a": 0.2, "crowdfunding": 0.05},
    "early": {"angel": 0.15, "pre_a": 0.35, "a": 0.35, "a_plus": 0.1, "strategic": 0.05},
    "growth": {"a": 0.1, "a_plus": 0.15, "b": 0.4, "c_plus": 0.15, "strategic": 0.2},
    "expansion": {"c_plus": 0.4, "pe": 0.25, "strategic": 0.2, "ipo": 0.15},
}
STAGE_PRIOR_STRENGTH = 5.0
AMOUNT_QUANTILES = np.linspace(0.1, 0.9, 9)


@dataclass(frozen=True)
class StagePrior:
    """What a project that states no round or no amount would likely raise, by its stage, from the projects of
    the network that state theirs: ``mix`` (stages x rounds) the share of each round (shrunk towards the domain
    prior above), ``log_amounts`` (stages x 9) quantiles of the log amounts sought (nan where no project of that
    stage states one). Investors get the expected round and ticket fit for such a project instead of none."""

    mix: np.ndarray
    log_amounts: np.ndarray
    n_amounts: np.ndarray  # (stages,) how many projects of that stage state an amount


def stage_index(stages: np.ndarray) -> np.ndarray:
    """A project's stage as an index of STAGES (its stage mask has one bit), -1 where it has none."""
    s = np.asarray(stages, dtype=np.uint64)
    out: np.ndarray = np.where(s > 0, np.log2(np.maximum(s, 1).astype(np.float64)), -1).astype(np.int64)
    return out


def stage_prior(projects: Cols) -> StagePrior:
    """:class:`StagePrior` from a project table's columns (``stages``, ``round_idx``, ``funding``)."""
    n_st, n_r = len(STAGES), len(ROUNDS)
    prior = np.zeros((n_st, n_r), dtype=np.float64)
    for stage_code, shares in _ROUND_PRIOR.items():
        for code, share in shares.items():
            prior[STAGES.index_of[stage_code], ROUNDS.index_of[code]] = share
    stage = stage_index(projects["stages"])
    rnd = np.asarray(projects["round_idx"], dtype=np.int64)
    ok = (stage >= 0) & (rnd >= 0)
    counts = np.zeros((n_st, n_r), dtype=np.float64)
    np.add.at(counts, (stage[ok], rnd[ok]), 1.0)
    mix = (counts + STAGE_PRIOR_STRENGTH * prior) / (counts.sum(axis=1, keepdims=True) + STAGE_PRIOR_STRENGTH)
    funding = np.asarray(projects["funding"], dtype=np.float64)
    amounts = np.full((n_st, len(AMOUNT_QUANTILES)), np.nan)
    n_amounts = np.zeros(n_st, dtype=np.int64)
    for s in range(n_st):
        stated = funding[(stage == s) & (funding > 0)]
        n_amounts[s] = len(stated)
        if len(stated):
            amounts[s] = np.quantile(np.log(stated), AMOUNT_QUANTILES)
    return StagePrior(mix=mix.astype(np.float32), log_amounts=amounts, n_amounts=n_amounts)


@dataclass(frozen=True)
class StageFits:
    """Per investor row (of one investor table) and project stage, what a project of that stage that states no
    round or amount gets: the expected ``round_fit`` (the stated case's fit averaged over the stage's rounds),
    ``in_round`` (the chance the stage's round is one of the investor's) and ``ticket_fit`` (the mean fit over the
    stage's stated amounts, shrunk towards the 0.5 of an unknown amount by STAGE_PRIOR_STRENGTH projects).
    Computed once per table version (:meth:`matcher.ranking.Matcher.stage_fits`), read per query by row."""

    round_fit: np.ndarray  # (n_investors, n_stages) float32
    in_round: np.ndarray
    ticket_fit: np.ndarray


def stage_fits(prior: StagePrior, investors: Cols) -> StageFits:
    """:class:`StageFits` of every row of an investor table's columns."""
    share = np.asarray(investors["round_share"], dtype=np.float32)
    top = share.max(axis=1, keepdims=True) if len(share) else np.zeros((0, 1), dtype=np.float32)
    rel = np.where(top > 0, share / np.maximum(top, 1e-9), 1.0)
    bits = _round_bits(investors["rounds"])
    mix_t = prior.mix.T.astype(np.float32)
    round_fit = ((bits * (0.6 + 0.4 * rel)) @ mix_t).astype(np.float32)
    in_round = (bits @ mix_t).astype(np.float32)
    ticket = np.full((len(bits), len(prior.mix)), 0.5, dtype=np.float32)
    for s in range(len(prior.mix)):
        n_s = float(prior.n_amounts[s])
        if n_s > 0:
            fit = _ticket_fit(np.broadcast_to(prior.log_amounts[s], (len(bits), len(AMOUNT_QUANTILES))), investors)
            ticket[:, s] = (n_s * fit + STAGE_PRIOR_STRENGTH * 0.5) / (n_s + STAGE_PRIOR_STRENGTH)
    return StageFits(round_fit=round_fit, in_round=in_round, ticket_fit=ticket)


def _round_bits(rounds: np.ndarray) -> np.ndarray:
    """(n, len(ROUNDS)) 0/1: the rounds of each round mask."""
    shifts = np.arange(len(ROUNDS), dtype=np.uint64)
    out: np.ndarray = ((np.asarray(rounds, dtype=np.uint64)[:, None] >> shifts) & _ONE).astype(np.float32)
    return out


def _ticket_fit(log_funding: np.ndarray, C: Cols) -> np.ndarray:
    lo = np.log(np.maximum(C["ticket_min"], 1.0))
    hi = np.log(np.maximum(C["ticket_max"], 1.0))
    mid = (lo + hi) / 2.0
    half = np.maximum((hi - lo) / 2.0, 0.1)
    if log_funding.ndim == 2:  # several amounts per pair: the mean fit
        mid, half = np.asarray(mid)[..., None], np.asarray(half)[..., None]
    dist = np.abs(log_funding - mid) / half
    out: np.ndarray = np.clip(1.0 - 0.5 * dist**2, 0.0, 1.0)
    return out.mean(axis=-1) if log_funding.ndim == 2 else out


def query_features(P: Cols, C: Cols, *, kind: str, expected: tuple[StageFits, np.ndarray] | None = None
                   ) -> np.ndarray:
    """The query-dependent structured features, shape (n, N_FEATURES); other columns stay 0.

    ``expected``: the investor table's :class:`StageFits` and the investor rows ``C`` holds (aligned with it, or one
    row): a project that states no round gets each investor's expected round fit for its stage, and one that
    states no amount the expected ticket fit (without it: 0 and 0.5)."""
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
        round_fit = np.where(in_round, 0.6 + 0.4 * rel, 0.0)
        funding = np.broadcast_to(P["funding"], (n,))
        ticket_fit = np.where(funding > 0, _ticket_fit(np.log(np.maximum(funding, 1.0)), C), 0.5)
        if expected is not None:
            fits, c_rows = expected
            stage = np.broadcast_to(stage_index(P["stages"]), (n,))
            unstated = np.broadcast_to(P["rounds"] == 0, (n,)) & (stage >= 0)
            unknown = (funding <= 0) & (stage >= 0)
            if unstated.any() or unknown.any():
                at = (np.broadcast_to(c_rows, (n,)), np.maximum(stage, 0))
                if unstated.any():
                    round_fit = np.where(unstated, fits.round_fit[at], round_fit)
                if unknown.any():
                    ticket_fit = np.where(unknown, fits.ticket_fit[at], ticket_fit)
        X[:, FEATURE_INDEX["round_fit"]] = round_fit
        X[:, FEATURE_INDEX["ticket_fit"]] = ticket_fit

    p_ind = P["industries"]
    c_ind = C["industries"]
    X[:, FEATURE_INDEX["industry"]] = np.where(c_ind == 0, ANY_INDUSTRY_FIT,
                                               industry_fit(p_ind, P["main_industry"], c_ind))
    needs = P["needs"] if kind == "investor" else P["needs"] | P["stated_needs"]
    X[:, FEATURE_INDEX["needs_coverage"]] = _share(_pop(needs & C["needs"]), _pop(needs))

    X[:, FEATURE_INDEX["region"]] = region_fit(P, C, n)
    planned = np.broadcast_to(P["plan_home"] != 0, (n,))
    if planned.any():  # where the project says it will set up counts as much as where it is
        X[:, FEATURE_INDEX["region"]] = np.where(planned, np.maximum(X[:, FEATURE_INDEX["region"]],
                                                                     region_fit(_planned(P), C, n)),
                                                 X[:, FEATURE_INDEX["region"]])

    X[:, FEATURE_INDEX["language"]] = np.where(
        (C["languages"] & P["first_language"]) != 0, 1.0, np.where((C["languages"] & P["languages"]) != 0, 0.5, 0.0))
    return X


# A candidate that names no industry works in every industry (行业不限; a provider's reason says 服务各行业): its
# industry fit is full, as for a candidate of the project's own industries. It was 0.5 until 2026-12-06; the three
# judged sets' annotators agreed on every kind (README, "How matching works").
ANY_INDUSTRY_FIT = 1.0

# A project's first industry tag is its main one (a seaweed-film maker: new_materials first, new_energy second):
# covering it is worth this share of the fit, the other tags share the rest. A plain share of the tags covered
# ranked a battery-materials professor covering both tags above a seaweed-film professor covering only the first
# (README, "How matching works").
MAIN_INDUSTRY_SHARE = 0.6


def industry_fit(p_ind: np.ndarray, p_main: np.ndarray, c_ind: np.ndarray) -> np.ndarray:
    """The industry fit of candidates that name industries: with one project tag (or no main one known) the share
    of the project's tags covered; with more, :data:`MAIN_INDUSTRY_SHARE` for covering the main tag plus the rest
    times the share of the other tags covered."""
    share = _share(_pop(p_ind & c_ind), _pop(p_ind))
    others = p_ind & ~p_main
    n_others = _pop(others)
    split = MAIN_INDUSTRY_SHARE * ((c_ind & p_main) != 0) + (1.0 - MAIN_INDUSTRY_SHARE) * _share(
        _pop(others & c_ind), n_others)
    out: np.ndarray = np.where((n_others > 0) & (p_main != 0), split, share).astype(np.float32)
    return out


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


def _planned(P: Cols) -> dict[str, np.ndarray]:
    """The project side with the place it says it will set up in as its place."""
    return {"pref": P["plan_pref"], "pref_bit": P["plan_pref_bit"], "home": P["plan_home"]}


def place_fit(place: str, candidate_city: str, candidate_regions: Sequence[str]) -> float:
    """:func:`region_fit` of one project place (a code or a name) against one candidate's city and regions."""
    p, c = region_columns(place, None), region_columns(candidate_city, candidate_regions)
    P = {k: np.array([p[k]], dtype=np.int32 if k == "pref" else np.uint64) for k in ("pref", "pref_bit", "home")}
    C = {k: np.array([c[k]], dtype=np.int32 if k in ("pref", "served") else np.uint64)
         for k in ("pref", "home", "area", "near", "served", "served_bloom")}
    return float(region_fit(P, C, 1)[0])


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
    # (or where its texts say it will set up: ``plan_*``)
    local = np.broadcast_to(C["local_only"], (n,)) & ~np.broadcast_to(P["relocating"], (n,))
    if local.any():
        rows = np.flatnonzero(local)
        sub_c = {k: (v[rows] if len(v) > 1 else v) for k, v in C.items() if k in ("served", "served_bloom", "area")}

        def serves_there(place: Cols) -> np.ndarray:
            sub_p = {k: (v[rows] if len(v) > 1 else v) for k, v in place.items() if k in ("pref", "pref_bit", "home")}
            prov = sub_p["home"] & np.uint64(PROVINCE_MASK)
            out: np.ndarray = serves_city(sub_p, sub_c, len(rows)) | (
                (sub_c["area"] & (prov | np.uint64(NATIONWIDE_BIT))) != 0)
            return out

        allowed = serves_there(P)
        if (P["plan_home"] != 0).any():
            allowed |= serves_there(_planned(P)) & (np.broadcast_to(P["plan_home"], (n,))[rows] != 0)
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


def item_similarity(q_vecs: np.ndarray, q_mask: np.ndarray, c_codes: np.ndarray, c_scales: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each candidate row, the best cosine of one query item with one of its items (``sem_item``), in
    [0, 1] (0 where either side has no item), and the slots of that pair (query slot, candidate slot; -1 when
    none). ``q_vecs`` ``(slots, dim)`` float with its filled-slot mask; the candidates' items as stored, packed
    4-bit codes ``(n, slots, ceil(dim / 2))`` and scales ``(n, slots)`` (0: empty; ``matcher.profiles.encode_items``):
    the levels unpacked (only these rows: the second stage's ~100), one matrix product over them, scaled after
    (scaling first, or a batched 3-d product, cost 5x)."""
    n, slots = c_codes.shape[:2]
    best = np.zeros(n, dtype=np.float32)
    q_slot = np.full(n, -1, dtype=np.int64)
    c_slot = np.full(n, -1, dtype=np.int64)
    q_used = np.flatnonzero(q_mask)
    dim = int(q_vecs.shape[1])
    if n == 0 or len(q_used) == 0 or c_codes.shape[2] != (dim + 1) // 2 or dim == 0:
        return best, q_slot, c_slot
    levels = unpack_items(c_codes, dim).reshape(n * slots, dim).astype(np.float32)
    flat = levels @ np.ascontiguousarray(q_vecs[q_used].T, dtype=np.float32)
    sims = flat.reshape(n, slots, len(q_used)) * c_scales[:, :, None]
    sims[c_scales <= 0] = -np.inf
    pairs = sims.reshape(n, -1)
    arg = pairs.argmax(axis=1)
    top = pairs[np.arange(n), arg]
    found = np.isfinite(top)
    best[found] = np.clip(top[found], 0.0, 1.0)
    q_slot[found] = q_used[arg[found] % len(q_used)]
    c_slot[found] = arg[found] // len(q_used)
    return best, q_slot, c_slot


def calibrate(cosines: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Cosine -> [0, 1]: a logistic of the z-score against random project-candidate pairs.

    Encoders differ wildly in their cosine baseline (e5 puts unrelated short texts near 0.8, USE near 0.1);
    after calibration 0.5 is a typical pair, 0.88 two standard deviations above it, for every encoder.
    """
    z = (cosines - mean) / max(std, 1e-6)
    out: np.ndarray = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
    return out
