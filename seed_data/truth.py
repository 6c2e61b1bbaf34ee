"""Hidden ground truth of the seeded ecosystem, for the feedback simulator.

The seed generator draws latent traits for every profile (sub-topic within the primary industry, a hidden
quality, a small "chemistry" vector) and stores them, apart from the profiles, in the ``seed_truth`` table.
:func:`affinity` turns them into the true affinity of any project-candidate pair, vectorised.

The affinity is deliberately NOT a function of the ranker's features alone:

* structured fit (needs served, stage, industry) enters non-linearly, with an interaction
  (needs served x stage fit) and a saturation;
* the sub-topic match (e.g. computer vision vs speech within AI) is latent: only the profile text hints
  at it, so embeddings can recover part of it;
* a hidden candidate quality (responsiveness, usefulness) is visible only through outcomes, i.e. through
  the smoothed acceptance history the learning loop builds up;
* a latent chemistry term and per-pair noise are visible to nobody.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

LATENT_DIM = 4
QUALITY_WEIGHT = 0.65  # how much a candidate's hidden quality moves every affinity

# Field names stored per kind. All arrays are aligned with ``ids``.
PROJECT_FIELDS = ("ids", "industries", "primary", "subtopic", "needs", "stage", "quality", "latent",
                  "round", "funding")
CANDIDATE_FIELDS = ("ids", "industries", "primary", "subtopic", "serves", "stages", "quality", "latent",
                    "rounds", "ticket_min", "ticket_max")


@dataclass
class Traits:
    """Latent traits of one kind: a dict of aligned numpy arrays (see *_FIELDS)."""

    kind: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.arrays["ids"].shape[0])

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, **self.arrays)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, kind: str, payload: bytes) -> Traits:
        with np.load(io.BytesIO(payload), allow_pickle=False) as data:
            return cls(kind, {name: data[name] for name in data.files})

    def take(self, ids: np.ndarray) -> Traits:
        """Traits of the given ids, in that order (KeyError for unknown ids)."""
        order = np.argsort(self.arrays["ids"])
        sorted_ids = self.arrays["ids"][order]
        pos = np.searchsorted(sorted_ids, ids)
        pos = np.clip(pos, 0, len(sorted_ids) - 1)
        if not np.array_equal(sorted_ids[pos], ids):
            raise KeyError(f"unknown {self.kind} ids in ground truth")
        rows = order[pos]
        return Traits(self.kind, {k: v[rows] for k, v in self.arrays.items()})


def _splitmix64(x: np.ndarray) -> np.ndarray:
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def pair_noise(seed: int, kind_code: int, project_ids: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
    """Deterministic standard-normal noise per (project, candidate) pair, shape (n_p, n_c)."""
    with np.errstate(over="ignore"):
        p = project_ids.astype(np.uint64)[:, None]
        c = candidate_ids.astype(np.uint64)[None, :]
        base = np.uint64(seed) * np.uint64(0x100000001B3) + np.uint64(kind_code) * np.uint64(0x1F123BB5)
        h1 = _splitmix64(base ^ (p * np.uint64(0x9E3779B1)) ^ (c << np.uint64(32)))
        h2 = _splitmix64(h1 ^ np.uint64(0xD1B54A32D192ED03))
    u1 = ((h1 >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)
    u2 = ((h2 >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)
    return (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).astype(np.float32)


_KIND_CODE = {"mentor": 1, "investor": 2, "provider": 3}


def _popcount(x: np.ndarray) -> np.ndarray:
    return np.bitwise_count(x.astype(np.uint64)).astype(np.float32)


def affinity(seed: int, projects: Traits, candidates: Traits, *, visible_only: bool = False,
             in_round: np.ndarray | None = None, ticket_ok: np.ndarray | None = None) -> np.ndarray:
    """True affinity, shape (n_projects, n_candidates), roughly in [-2, 5]; higher is a better match.

    ``visible_only`` leaves out what no ranker can know (the chemistry term and the pair noise); ``in_round``
    (investors, shape (n_projects, n_candidates), in [0, 1]) replaces whether the investor invests in the
    project's hidden round, e.g. by its expectation where the project states no round; ``ticket_ok`` (investors,
    the same shape) likewise replaces whether the amount sought fits the ticket."""
    P, C = projects.arrays, candidates.arrays
    kind = candidates.kind
    needs = P["needs"].astype(np.uint64)[:, None]
    served = _popcount(needs & C["serves"].astype(np.uint64)[None, :])
    n_needs = np.maximum(_popcount(needs), 1.0)
    needcov = served / n_needs
    # saturating: serving one pressing need matters most
    need_term = 1.6 * np.sqrt(needcov)

    stage_bit = (np.uint64(1) << P["stage"].astype(np.uint64))[:, None]
    stages = C["stages"].astype(np.uint64)[None, :]
    in_stage = (stages & stage_bit) != 0
    near_stage = ((stages & (stage_bit << np.uint64(1))) != 0) | ((stages & (stage_bit >> np.uint64(1))) != 0)
    stage_term = np.where(in_stage, 1.0, np.where(near_stage, 0.35, 0.0)).astype(np.float32)

    primary_bit = (np.uint64(1) << P["primary"].astype(np.uint64))[:, None]
    cand_ind = C["industries"].astype(np.uint64)[None, :]
    generalist = cand_ind == 0
    covers_primary = (cand_ind & primary_bit) != 0
    any_overlap = (cand_ind & P["industries"].astype(np.uint64)[:, None]) != 0
    same_sub = (C["primary"][None, :] == P["primary"][:, None]) & (C["subtopic"][None, :] == P["subtopic"][:, None])
    industry_term = np.where(covers_primary, 0.8, np.where(any_overlap, 0.35, np.where(generalist, 0.3, 0.0)))
    subtopic_term = np.where(same_sub, 0.9, 0.0)
    if kind == "provider":  # a lawyer's sub-topic matters less than a mentor's
        industry_term = industry_term * 0.5
        subtopic_term = subtopic_term * 0.4

    chemistry = P["latent"].astype(np.float32) @ C["latent"].astype(np.float32).T
    quality = QUALITY_WEIGHT * C["quality"][None, :] + 0.2 * P["quality"][:, None]

    score = (
        need_term
        + 0.7 * stage_term
        + 0.9 * needcov * stage_term  # interaction: the right help at the right time
        + industry_term
        + subtopic_term
        + quality
        + 0.45 * chemistry
    )
    if kind == "investor":
        if in_round is None:
            round_bit = (np.uint64(1) << P["round"].astype(np.uint64))[:, None]
            in_round = ((C["rounds"].astype(np.uint64)[None, :] & round_bit) != 0).astype(np.float32)
        if ticket_ok is None:
            ticket_ok = ticket_fits(P["funding"], C)
        score = score + 0.9 * in_round + 0.4 * ticket_ok - 1.2 * (1.0 - in_round)
    if visible_only:
        out: np.ndarray = (score - 0.45 * chemistry).astype(np.float32)
        return out
    noise = pair_noise(seed, _KIND_CODE[kind], P["ids"], C["ids"])
    out = (score + 0.35 * noise).astype(np.float32)
    return out


def ticket_fits(funding: np.ndarray, candidates_arrays: dict[str, np.ndarray]) -> np.ndarray:
    """(n_projects, n_candidates): whether each amount sought fits each investor's ticket (with slack)."""
    f = np.asarray(funding, dtype=np.float64)[:, None]
    lo = candidates_arrays["ticket_min"].astype(np.float64)[None, :]
    hi = candidates_arrays["ticket_max"].astype(np.float64)[None, :]
    out: np.ndarray = ((f >= lo * 0.5) & (f <= hi * 1.5)).astype(np.float32)
    return out


@dataclass
class GroundTruth:
    seed: int
    traits: dict[str, Traits]

    def affinity(self, kind: str, project_ids: np.ndarray, candidate_ids: np.ndarray) -> np.ndarray:
        projects = self.traits["project"].take(np.asarray(project_ids, dtype=np.int64))
        candidates = self.traits[kind].take(np.asarray(candidate_ids, dtype=np.int64))
        return affinity(self.seed, projects, candidates)

    def visible_affinity(self, kind: str, project_ids: np.ndarray, candidate_ids: np.ndarray,
                         round_stated: np.ndarray) -> np.ndarray:
        """The affinity without what no ranker can know: the chemistry, the pair noise and, for a project that
        states no round (``round_stated`` False, one flag per project id), which round it would raise next -
        replaced by the chance that the investor invests in a round drawn from the rounds of all projects at
        the same stage, and whether its amount fits the investor's ticket - replaced by the share of same-stage
        projects' amounts that fit. With hidden quality known, this is the best any ranker can do."""
        projects = self.traits["project"].take(np.asarray(project_ids, dtype=np.int64))
        candidates = self.traits[kind].take(np.asarray(candidate_ids, dtype=np.int64))
        in_round = None
        if kind == "investor":
            every = self.traits["project"].arrays
            n_rounds = int(every["round"].max()) + 1
            mix = np.zeros((int(every["stage"].max()) + 1, n_rounds))
            np.add.at(mix, (every["stage"].astype(np.int64), every["round"].astype(np.int64)), 1.0)
            mix /= np.maximum(mix.sum(axis=1, keepdims=True), 1.0)
            bits = ((candidates.arrays["rounds"].astype(np.uint64)[:, None]
                     >> np.arange(n_rounds, dtype=np.uint64)[None, :]) & np.uint64(1)).astype(np.float64)
            P = projects.arrays
            exact = bits[:, P["round"].astype(np.int64)].T
            expected = mix[P["stage"].astype(np.int64)] @ bits.T
            stated = np.asarray(round_stated, dtype=bool)[:, None]
            in_round = np.where(stated, exact, expected).astype(np.float32)
            # nor how much it would raise (it states no amount): the chance the investor's ticket fits the
            # amount of a project at the same stage
            stages = every["stage"].astype(np.int64)
            fit_by_stage = np.zeros((int(stages.max()) + 1, len(candidate_ids)), dtype=np.float32)
            for st in np.unique(stages):
                fit_by_stage[st] = ticket_fits(every["funding"][stages == st], candidates.arrays).mean(axis=0)
            ticket = np.where(stated, ticket_fits(P["funding"], candidates.arrays),
                              fit_by_stage[P["stage"].astype(np.int64)]).astype(np.float32)
            return affinity(self.seed, projects, candidates, visible_only=True, in_round=in_round, ticket_ok=ticket)
        return affinity(self.seed, projects, candidates, visible_only=True, in_round=in_round)
