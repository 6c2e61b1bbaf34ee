"""How well could a ranker do on the synthetic deal sets if it knew the generator's latent world?

    python -m bench.deal_oracle --preset us|cn [--seed 0] [--scale 1.0] [--ablate] [--json]

Regenerates a preset's latent world exactly as ``bench.backtest_data`` does: the same internal functions
(``_make_investors``, ``_make_companies``, ``_assign``) on the same children of ``np.random.SeedSequence(seed)``
in the same order, and the same coverage draw (a fifth child) and numbering as ``generate``. The files are
written too (``generate`` into a temporary directory) and the world is checked against them on every run: the
rows of ``rounds.csv`` and ``investments.csv`` rebuilt from the latent world must equal the written ones, in
order (:func:`verify`); ``companies.csv`` gives the regions the baselines see.

``_assign`` keeps the state of its deal loop to itself, so it is called with :class:`_AssignProbe` in place of
its RNG: every draw is passed to the generator's own ``np.random.Generator`` unchanged (same calls, same order,
same numbers), and the probe reads ``_assign``'s frame twice: the arrays it built before the loop (activity
per quarter, sector fit per year, stage fit, home bias; the very arrays the draws used) and, at its last step
(investors left without a deal join one round: the first ``rng.choice`` made by ``_assign`` itself), how many
participants each round had, so that those late additions, which the loop never saw, stay out of the replayed
co-investment counts and company histories.

Protocol (that of ``huoban backtest --exclude-prior-investors``, k = 10): history = investments in rounds dated
before the cutoff C; candidates = investors with >= 1 history investment; queries = rounds dated in [C, U) with
at least one investment; the company's investors before C leave the candidates and the truth of the query;
truth = the round's other investors (without history: misses); NDCG@10, binary gain, ideal DCG over
min(|truth|, 10), macro mean over the queries left with truth. Windows: the preset's (``us`` 2012, ``cn``
2017-2018).

Methods:

- ``global_popularity``, ``round_popularity``, ``region_round_popularity``: history counts of all investments,
  of those in rounds with the query's label, and of those in companies of the query company's written region
  with that label (an empty region backs off to the round); ties by the coarser count, then global count, then
  id. ``huoban backtest`` reports the same three (``popularity``, ``round_popularity``,
  ``region_round_popularity``; it adds log counts, which is lexicographic up to float rounding).
- ``oracle_market``: the generator's lead-draw weight for the round, base x lead, where base = activity at the
  round's quarter (ramp x size x yearly drift) x sector fit of the company's sector in that year x stage fit of
  the label x region multiplier (home bias) on the company's region; ties by id.
- ``oracle_full``: the probability that the candidate is among the round's investors, given everything the
  generator knows just before it draws the round (the latent investors, the company's sector, region, label
  and date, the co-investment counts of the deal loop so far, every investor's static partners, the company's
  earlier investors and when they last joined), but not the round's own draws (syndicate size, who follows
  on, who leads). It mirrors ``_assign``:

  1. Follow-on: each earlier investor i of the company rejoins with p_i = ``follow_base[kind]`` x
     ``follow_decay`` ** (company rounds since its last participation) x (0.3 + 0.7 min(1, stage fit)) x (1 if
     active, else ``follow_inactive``). The protocol removes the investors before C, so this term only ranks
     investors that joined the company in [C, round).
  2. New slots: the syndicate size k (1 + negative binomial, capped) and the number of follow-ons F
     (Poisson-binomial of the p_i) are independent; n_new = max(k, F) - F, then the insider rules (one new
     investor with p ``p_new_money_with_insiders`` / 2 when insiders fill the syndicate, none with p
     1 - ``p_new_money_with_insiders`` otherwise): the exact distribution of n_new.
  3. The lead: with n_new >= 1, drawn with weight base x lead: pi_L(j).
  4. The followers (n_new - 1 slots) around the anchor, which is the lead whenever there is new money: from
     anchor a a slot picks j with q_a(j) = rho_a R_a(j) + sigma_a P_a(j) + m_a pi_M(j), where R_a is the
     repeat draw over a's past co-investors (count ** ``repeat_exp`` x activity ramp x stage term x home bias
     ** ``partner_home_exp``), P_a the draw over a's static partners (ramp x sqrt size x stage term x home
     bias ** ...), pi_M the market draw (base), and rho_a, sigma_a, m_a the branch probabilities (``p_repeat``,
     ``p_static``, the rest, with the generator's fall-throughs: no co-investor -> the static branch gets
     p_repeat too, nothing drawable -> market). Slots are treated as independent draws:
     P(j follows) = sum_a pi_L(a) sum_n P(n_new = n) (1 - (1 - q_a(j)) ** (n - 1)), computed exactly over the
     sparse (anchor, co-investor / partner) pairs and, for the market term, over the few distinct m_a.

  P(join) = p_j + (1 - p_j) P(new), with p_j = 0 for investors that never backed the company.

  What it leaves out: a drawn investor cannot be drawn again within the round (the exclusions of ``_draw`` /
  ``_pick_weighted``: a second repeat pick of the same co-investor falls through to another one or to the
  market), the n_new distribution given that j itself follows on, the investors added after the loop (they
  have no history, so they are never candidates) and the case where no lead can be drawn. That last case is
  the only one in which the co-investors and static partners of the company's *earlier* investors enter the
  draw (the anchor is then the first insider); with active investors in the market it practically never
  happens. So in this generator the syndicate forms around the new lead: the co-investment network and the
  static partners help through the likely leads' co-investors and partners, and the earlier investors count
  through their own follow-on, the slots they take and the draws they are excluded from. Calibration (seed 0,
  every allowed investor of every query): predicted and observed join rates agree within ~10 % from
  p = 1e-4 to p = 0.3; the probabilities sum to 8 % (us) / 6 % (cn) less than the investors observed (the
  independent-slot approximation loses the fall-throughs above).
- ``oracle_full_ndcg``: the same model ranked by expected gain / ideal DCG instead of probability (the order
  that maximises the expected NDCG under the model: a join in a small syndicate is worth more, since the
  ideal DCG grows with the truth): sum over (n_new, follow-ons in the truth) of P(...) P(j joins | ...) /
  IDCG(n_new + follow-ons).

``oracle_*`` are ceilings for rankers that see only the files, not rankers anyone could deploy: they read the
latent world and the state of the deal loop.

Results, seed 0, default scale (NDCG@10; the baselines equal ``huoban backtest``'s ``popularity``,
``round_popularity`` and ``region_round_popularity`` to 1e-6, as do the query and candidate counts):

    preset  queries  candidates  global  round   region x round  oracle_market  oracle_full  oracle_full_ndcg
    us      2830     6960        0.0681  0.0804  0.0993          0.1382         0.1522       0.1525
    cn      386      467         0.0367  0.0392  0.0455          0.2817         0.2813       0.2801

On ``us`` seeds 1 / 2: region x round 0.0961 / 0.1042, oracle_market 0.1326 / 0.1502, oracle_full 0.1504 /
0.1683. On ``cn`` the lead's co-investors do not matter (``p_repeat`` = ``p_static`` = 0) and the full oracle
differs from the market one only by mixing the lead and follower weights and the in-window follow-ons; over
seeds 1-4 it is 0.004-0.016 above it (seed 0: 0.0004 below; 386 queries). Run time: ~45 s (us), ~2 s (cn).

``--ablate`` adds what each part of ``oracle_market``'s weight is worth: its NDCG@10 with one part replaced by
1 (``without_lead``, ``without_sector_fit_t``, ``without_stage_fit_t``, ``without_region_mult_t``), and with the
activity cut to the bare ramp (``without_act_q``: who is active at all, not how much). Seed 0, 2026-12-06:

    preset  oracle_market  without: lead  sector  stage   home bias  activity size and drift
    us      0.1382                  0.1255  0.1225  0.1079  0.0930     0.0650
    cn      0.2817                  0.2782  0.1623  0.2383  0.1988     0.2283

On ``us`` the oracle's edge over region x round popularity (0.0993) is how busy each investor is (without size and
drift it falls below popularity) and its home bias; on ``cn`` it is the sector fit, then the home bias: latent
traits of investors with one or two deals before the cut-off, which a ranker of the files can only estimate.

Everything is deterministic (the generator's seeds, ties by id).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np

from bench import backtest_data as bd

__all__ = ["LatentWorld", "evaluate", "main", "regenerate", "run", "verify"]

K = 10
METHODS = ("global_popularity", "round_popularity", "region_round_popularity", "oracle_market", "oracle_full",
           "oracle_full_ndcg")
# Arrays ``_assign`` builds before its deal loop, read from its frame (see _AssignProbe).
_ASSIGN_ARRAYS = ("sector_fit_t", "act_q", "ramp_q", "stage_fit_t", "region_mult_t", "follow_base")
# Parts of oracle_market's weight that --ablate takes out one at a time (act_q: down to the bare ramp).
ABLATIONS = ("lead", "sector_fit_t", "stage_fit_t", "region_mult_t", "act_q")


class _AssignProbe:
    """Stands in for ``_assign``'s RNG. Every draw goes to the wrapped generator unchanged; on the way the probe
    reads ``_assign``'s frame: the arrays built before the deal loop (at the first draw) and the number of
    participants of every round when the loop is over (at the first ``choice`` called by ``_assign`` itself:
    the investors without a deal joining one round each, which is ``_assign``'s last step)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self.arrays: dict[str, Any] | None = None
        self.loop_sizes: list[int] | None = None

    def _look(self, tail: bool) -> None:
        frame: FrameType | None = sys._getframe(2)
        for depth in range(3):  # _assign itself, or a helper it called (_syndicate_size, _draw, _pick_weighted)
            if frame is None:
                return
            if frame.f_code is bd._assign.__code__:
                local = frame.f_locals
                if self.arrays is None:
                    self.arrays = {name: local[name] for name in _ASSIGN_ARRAYS}
                if tail and depth == 0 and self.loop_sizes is None:
                    self.loop_sizes = [len(p) for p in local["participants"]]
                return
            frame = frame.f_back

    def random(self, *args: Any, **kwargs: Any) -> Any:
        if self.arrays is None:
            self._look(False)
        return self._rng.random(*args, **kwargs)

    def choice(self, *args: Any, **kwargs: Any) -> Any:
        if self.loop_sizes is None:
            self._look(True)
        return self._rng.choice(*args, **kwargs)

    def negative_binomial(self, *args: Any, **kwargs: Any) -> Any:
        if self.arrays is None:
            self._look(False)
        return self._rng.negative_binomial(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # any other draw: unchanged (none is used today)
        return getattr(self._rng, name)


@dataclass
class LatentWorld:
    preset: str
    wd: bd.World
    inv: bd.Investors
    comp: bd.Companies
    rounds: bd.Rounds
    parts: list[list[int]]       # every round's investors as written (latent investor indices)
    loop_parts: list[list[int]]  # ... as drawn by the deal loop (without the investors added at the end)
    arrays: dict[str, Any]       # _ASSIGN_ARRAYS
    order: np.ndarray            # written rounds (latent indices) in file order: R000001, ...
    investor_ids: np.ndarray     # latent index of I00001, I00002, ...
    company_ids: dict[int, str]  # latent company -> written id

    def round_id(self, no: int) -> str:
        return f"R{no + 1:06d}"

    def investor_id(self, no: int) -> str:
        return f"I{no + 1:05d}"


def world_sizes(preset: str, scale: float = 1.0) -> tuple[int, int]:
    """(investors, companies) of ``python -m bench.backtest_data --preset P --scale F``."""
    wd = bd.PRESETS[preset]
    return max(1, round(wd.investors * scale)), max(1, round(wd.companies * scale))


def regenerate(preset: str, seed: int = 0, scale: float = 1.0) -> LatentWorld:
    """The latent world behind ``python -m bench.backtest_data --preset P --seed S --scale F``."""
    wd = bd.PRESETS[preset]
    investors, companies = world_sizes(preset, scale)
    ss = np.random.SeedSequence(seed)
    rng_inv, rng_comp, rng_deal, _rng_text = (np.random.default_rng(s) for s in ss.spawn(4))
    inv = bd._make_investors(rng_inv, investors, wd)
    comp, rounds = bd._make_companies(rng_comp, companies, wd)
    probe = _AssignProbe(rng_deal)
    parts = bd._assign(probe, inv, comp, rounds, wd)  # type: ignore[arg-type]
    if probe.arrays is None:
        raise RuntimeError("bench.backtest_data._assign drew nothing: no disclosed round to read its state from")
    sizes = probe.loop_sizes if probe.loop_sizes is not None else [len(p) for p in parts]
    loop_parts = [p[:m] for p, m in zip(parts, sizes, strict=True)]

    # As generate(): rounds in date order, the coverage draw from a fifth child, investors and companies
    # numbered in that order.
    order, investor_ids = bd.written_rounds(rounds, parts, companies, investors, wd, ss)
    company_ids: dict[int, str] = {}
    for r in order:
        company_ids.setdefault(int(rounds.company[r]), f"C{len(company_ids) + 1:06d}")
    return LatentWorld(preset, wd, inv, comp, rounds, parts, loop_parts, probe.arrays, order, investor_ids,
                       company_ids)


def _read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))[1:]


def verify(world: LatentWorld, directory: Path) -> None:
    """Raise AssertionError unless the rows of ``rounds.csv``, ``investments.csv`` and the ids of
    ``investors.csv`` in ``directory`` (written by ``bench.backtest_data``) are those of ``world``, in order."""
    rd = world.rounds
    rounds_rows = [[world.round_id(no), world.company_ids[int(rd.company[r])], bd.LABELS[int(rd.label[r])],
                    dt.date.fromordinal(int(rd.day[r])).isoformat()] for no, r in enumerate(world.order)]
    iid = {int(j): world.investor_id(no) for no, j in enumerate(world.investor_ids)}
    inv_rows = [[world.round_id(no), iid[j]] for no, r in enumerate(world.order) for j in world.parts[r]]
    if _read_rows(directory / "rounds.csv") != rounds_rows:
        raise AssertionError(f"{directory / 'rounds.csv'} differs from the regenerated world")
    if _read_rows(directory / "investments.csv") != inv_rows:
        raise AssertionError(f"{directory / 'investments.csv'} differs from the regenerated world")
    if [row[0] for row in _read_rows(directory / "investors.csv")] != list(iid.values()):
        raise AssertionError(f"{directory / 'investors.csv'} differs from the regenerated world")


# -- the oracle's pieces ------------------------------------------------------------------------------------
def _syndicate_pmf(wd: bd.World, label: str) -> np.ndarray:
    """P(k) for k = 0..max_syndicate of ``_syndicate_size``: 1 + NegBin(r, r / (r + mean - 1)), capped."""
    kmax = wd.max_syndicate
    r = wd.syndicate_dispersion
    mean_extra = wd.syndicate_mean[label] - 1.0
    out = np.zeros(kmax + 1)
    if mean_extra <= 0:
        out[1] = 1.0
        return out
    p = r / (r + mean_extra)
    x = np.arange(kmax - 1, dtype=float)  # extra = 0 .. kmax - 2; the rest is capped at kmax
    logpmf = np.array([math.lgamma(v + r) - math.lgamma(r) - math.lgamma(v + 1) for v in x])
    logpmf += r * math.log(p) + x * math.log1p(-p)
    out[1:kmax] = np.exp(logpmf)
    out[kmax] = max(0.0, 1.0 - out[1:kmax].sum())
    return out


def _poisson_binomial(ps: np.ndarray) -> np.ndarray:
    out = np.ones(1)
    for p in ps:
        out = np.concatenate([out * (1.0 - p), [0.0]]) + np.concatenate([[0.0], out * p])
    return out


def _new_slots(k_pmf: np.ndarray, p_out: np.ndarray, p_in: np.ndarray, p_new_money: float) -> np.ndarray:
    """Joint P(n_new = n, F_in = i) of ``_assign``'s step 1-2: the syndicate size (``k_pmf``) and the follow-on
    of the earlier investors outside (``p_out``: before the cutoff) and inside (``p_in``) the truth."""
    pe, pi = _poisson_binomial(p_out), _poisson_binomial(p_in)
    kmax = k_pmf.size - 1
    out = np.zeros((kmax + 1, pi.size))
    for fe in range(pe.size):
        for fi in range(pi.size):
            pf = pe[fe] * pi[fi]
            f = fe + fi
            if pf == 0.0:
                continue
            if f == 0:
                out[:, 0] += pf * k_pmf
                continue
            for k in range(1, kmax + 1):
                pr = pf * k_pmf[k]
                n = max(k, f) - f
                if n == 0:  # insiders fill the syndicate: sometimes one new investor anyway
                    out[1, fi] += pr * p_new_money * 0.5
                    out[0, fi] += pr * (1.0 - p_new_money * 0.5)
                else:  # insiders and room left: sometimes no new money at all
                    out[n, fi] += pr * p_new_money
                    out[0, fi] += pr * (1.0 - p_new_money)
    return out


_IDEAL = np.concatenate([[0.0], np.cumsum(1.0 / np.log2(np.arange(K) + 2.0))])  # ideal DCG of t relevant, t <= K


def _slots_hit(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """For each row w of ``weights``: sum_{n >= 2} w[n] (1 - (1 - x) ** (n - 1)), the chance that one of n - 1
    follower slots picks an investor a slot picks with probability x (weighted by w[n])."""
    y = 1.0 - x
    h = np.zeros((weights.shape[0], x.size))
    for n in range(weights.shape[1] - 1, 0, -1):  # Horner: sum_{n >= 1} w[n] y ** (n - 1)
        h = h * y + weights[:, n:n + 1]
    out: np.ndarray = weights[:, 1:].sum(axis=1, keepdims=True) - h
    return out


@dataclass
class _Network:
    """Every (anchor, investor) pair that is ever a co-investment of the deal loop or a static partnership."""

    rows: np.ndarray      # anchor
    cols: np.ndarray      # investor
    co_index: np.ndarray  # the pair of each co-investment the loop recorded, in the loop's order
    partner: np.ndarray   # 1.0 where the pair is a static partnership
    has_partner: np.ndarray  # per investor: any static partner
    first_co: np.ndarray  # per investor: how many co-investments the loop had recorded before its first one
    sub: np.ndarray | None = None  # see active()
    sub_rows: np.ndarray | None = None
    sub_cols: np.ndarray | None = None

    @classmethod
    def build(cls, n: int, pa: np.ndarray, pb: np.ndarray, partners: Sequence[Sequence[int]]) -> _Network:
        p_rows = np.array([a for a, ps in enumerate(partners) for _ in ps], dtype=np.int64)
        p_cols = np.array([j for ps in partners for j in ps], dtype=np.int64)
        co_keys, p_keys = pa * n + pb, p_rows * n + p_cols
        keys = np.unique(np.concatenate([co_keys, p_keys]))
        partner = np.zeros(keys.size)
        partner[np.searchsorted(keys, p_keys)] = 1.0
        first_co = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(first_co, pa, np.arange(pa.size))
        return cls(keys // n, keys % n, np.searchsorted(keys, co_keys), partner,
                   np.bincount(p_rows, minlength=n) > 0, first_co)

    def active(self, ramp: np.ndarray) -> _Network:
        """The pairs that can carry weight when ``ramp`` is the activity: both investors active (``sub``: their
        positions among all pairs; ``rows`` / ``cols`` / ``partner`` restricted to them)."""
        sub = np.flatnonzero((ramp[self.rows] > 0) & (ramp[self.cols] > 0))
        return _Network(self.rows, self.cols, self.co_index, self.partner[sub], self.has_partner, self.first_co, sub,
                        self.rows[sub], self.cols[sub])


@dataclass
class _Query:
    r: int                  # latent round
    excluded: np.ndarray    # the company's investors before the cutoff: file investor numbers (sorted)
    excluded_latent: np.ndarray  # ... their latent indices
    truth: frozenset[int]   # file investor numbers (-1 - i for investors that are no candidate)
    rno: int                # the company's round number (all rounds, disclosed or not)
    last_seen: dict[int, int]  # earlier investors (latent) -> company round number of their last round
    pairs_before: int       # co-investment pairs the deal loop recorded before this round


def _top(score: np.ndarray, allowed: np.ndarray, k: int = K) -> np.ndarray:
    """Positions (into ``score``, candidates in id order) of the k best allowed scores, ties by id."""
    s = np.where(allowed, score, -np.inf)
    idx = np.flatnonzero(allowed)
    k = min(k, idx.size)
    if k == 0:
        return idx
    part = np.argpartition(-s, k - 1)[:k]
    kth = s[part].min()
    part = np.flatnonzero(s >= kth)
    out: np.ndarray = part[np.lexsort((part, -s[part]))][:k]
    return out


def _ndcg(top: Sequence[int], truth: frozenset[int], k: int = K) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, j in enumerate(top[:k]) if int(j) in truth)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(truth), k)))
    return dcg / ideal if ideal > 0 else 0.0


def _first_allowed(order: np.ndarray, excluded: np.ndarray, k: int = K) -> list[int]:
    ex = set(excluded.tolist())
    out: list[int] = []
    for j in order[: k + len(ex)].tolist():
        if j not in ex:
            out.append(j)
            if len(out) == k:
                break
    return out


def evaluate(world: LatentWorld, directory: Path, cutoff: str | None = None,
             until: str | None = None, full: bool = True) -> dict[str, Any]:
    """NDCG@10 of the baselines and oracles on the window [cutoff, until) (default: the preset's); ``full=False``
    skips the (slow) ``oracle_full`` and ``oracle_full_ndcg``, which are then left out."""
    wd, inv, comp, rd = world.wd, world.inv, world.comp, world.rounds
    c_day = dt.date.fromisoformat(cutoff or wd.cutoff).toordinal()
    u_day = dt.date.fromisoformat(until or wd.until).toordinal()
    n_lat = inv.kind.size
    file_no = np.full(n_lat, -1, dtype=np.int64)  # latent investor -> file number (id order)
    file_no[world.investor_ids] = np.arange(world.investor_ids.size)
    region_of = {row[0]: row[3] for row in _read_rows(directory / "companies.csv")}
    n_files = world.investor_ids.size

    # History: counts per investor (file numbers), per round label, per (written region, label).
    labels = bd.LABELS
    count = np.zeros(n_files)
    by_label = np.zeros((len(labels), n_files))
    by_region_label: dict[tuple[str, int], np.ndarray] = {}
    prior: dict[int, set[int]] = {}  # latent company -> file numbers of its investors before C
    for r in world.order:
        if rd.day[r] >= c_day:
            break
        c, lab = int(rd.company[r]), int(rd.label[r])
        region = region_of[world.company_ids[c]]
        for j in world.parts[r]:
            f = int(file_no[j])
            count[f] += 1
            by_label[lab, f] += 1
            if region:
                by_region_label.setdefault((region, lab), np.zeros(n_files))[f] += 1
            prior.setdefault(c, set()).add(f)
    cand = np.flatnonzero(count > 0)  # candidates (file numbers, id order)
    pos = np.full(n_files, -1, dtype=np.int64)
    pos[cand] = np.arange(cand.size)
    cand_latent = world.investor_ids[cand]
    g_rank = np.empty(cand.size, dtype=np.int64)
    global_order = np.lexsort((np.arange(cand.size), -count[cand]))
    g_rank[global_order] = np.arange(cand.size)

    # The deal loop's state, replayed from its own participants in its own order.
    queries_r = [int(r) for r in world.order if c_day <= rd.day[r] < u_day and world.parts[r]]
    wanted = set(queries_r)
    states: dict[int, tuple[int, dict[int, int], int]] = {}
    pair_a: list[int] = []
    pair_b: list[int] = []
    history: dict[int, list[tuple[int, int]]] = {}
    round_no: dict[int, int] = {}
    for r in (int(x) for x in np.lexsort((np.arange(rd.day.size), rd.day))):
        c = int(rd.company[r])
        rno = round_no.get(c, 0)
        round_no[c] = rno + 1
        if r in wanted:
            last_seen: dict[int, int] = {}
            for j, no in history.get(c, []):
                last_seen[j] = no
            states[r] = (rno, last_seen, len(pair_a))
        chosen = world.loop_parts[r]
        if not rd.disclosed[r] or not chosen:
            continue
        history.setdefault(c, []).extend((j, rno) for j in chosen)
        for a in chosen:
            for b in chosen:
                if a != b:
                    pair_a.append(a)
                    pair_b.append(b)
    pa = np.array(pair_a, dtype=np.int64)
    pb = np.array(pair_b, dtype=np.int64)

    queries: list[_Query] = []
    for r in queries_r:
        c = int(rd.company[r])
        excluded = np.array(sorted(prior.get(c, set())), dtype=np.int64)
        ex = set(excluded.tolist())
        truth = frozenset(int(pos[f]) if pos[f] >= 0 else -1 - i
                          for i, f in enumerate(int(file_no[j]) for j in world.parts[r]) if f not in ex)
        if truth:
            rno, last_seen, npairs = states[r]
            queries.append(_Query(r, excluded, world.investor_ids[excluded], truth, rno, last_seen, npairs))

    # The arrays _assign drew with, the co-investment / partner pairs, the syndicate sizes.
    arr = world.arrays
    act_q, ramp_q = arr["act_q"], arr["ramp_q"]
    sector_fit_t, stage_fit_t, region_mult_t = arr["sector_fit_t"], arr["stage_fit_t"], arr["region_mult_t"]
    net = _Network.build(n_lat, pa, pb, inv.partners)
    nets: dict[int, _Network] = {}  # per quarter
    k_pmfs = {lab: _syndicate_pmf(wd, lab) for lab in wd.syndicate_mean}

    label_orders: dict[int, np.ndarray] = {}
    region_orders: dict[tuple[str, int], np.ndarray] = {}
    sums = dict.fromkeys(METHODS, 0.0)
    for qu in queries:
        r, c, lab = qu.r, int(rd.company[qu.r]), int(rd.label[qu.r])
        allowed = np.ones(cand.size, dtype=bool)
        ex_pos = pos[qu.excluded]
        allowed[ex_pos] = False
        # baselines
        sums["global_popularity"] += _ndcg(_first_allowed(global_order, ex_pos), qu.truth)
        if lab not in label_orders:
            label_orders[lab] = np.lexsort((g_rank, -by_label[lab, cand]))
        sums["round_popularity"] += _ndcg(_first_allowed(label_orders[lab], ex_pos), qu.truth)
        key = (region_of[world.company_ids[c]], lab)
        if key not in region_orders:
            rr = by_region_label.get(key)
            region_orders[key] = label_orders[lab] if rr is None else \
                np.lexsort((g_rank, -by_label[lab, cand], -rr[cand]))
        sums["region_round_popularity"] += _ndcg(_first_allowed(region_orders[key], ex_pos), qu.truth)

        # oracles
        day = int(rd.day[r])
        yi, q = wd.year_index(day), wd.quarter_index(day)
        sec, reg = int(comp.sector[c]), int(comp.region[c])
        base = act_q[q] * sector_fit_t[yi, sec] * stage_fit_t[lab] * region_mult_t[reg]
        lead_w = base * inv.lead
        sums["oracle_market"] += _ndcg(_top(lead_w[cand_latent], allowed).tolist(), qu.truth)
        if not full:
            continue
        if q not in nets:
            nets[q] = net.active(ramp_q[q])
        p_join, ndcg_score = _p_join(world, qu, base, lead_w, ramp_q[q], k_pmfs[labels[lab]], nets[q])
        sums["oracle_full"] += _ndcg(_top(p_join[cand_latent], allowed).tolist(), qu.truth)
        sums["oracle_full_ndcg"] += _ndcg(_top(ndcg_score[cand_latent], allowed).tolist(), qu.truth)

    n_q = max(len(queries), 1)
    return {"preset": world.preset, "queries": len(queries), "candidates": int(cand.size),
            "cutoff": dt.date.fromordinal(c_day).isoformat(), "until": dt.date.fromordinal(u_day).isoformat(),
            f"ndcg@{K}": {m: round(sums[m] / n_q, 5) for m in METHODS if full or not m.startswith("oracle_full")}}


def ablate(world: LatentWorld, directory: Path) -> dict[str, float]:
    """``oracle_market``'s NDCG@10 with one part of its weight taken out (see ``ABLATIONS``)."""
    out: dict[str, float] = {}
    for name in ABLATIONS:
        if name == "lead":
            w = replace(world, inv=replace(world.inv, lead=np.ones_like(world.inv.lead)))
        else:
            part = world.arrays["ramp_q"] if name == "act_q" else np.ones_like(world.arrays[name])
            w = replace(world, arrays={**world.arrays, name: part})
        out[f"without_{name}"] = evaluate(w, directory, full=False)[f"ndcg@{K}"]["oracle_market"]
    return out


def _p_join(world: LatentWorld, qu: _Query, base: np.ndarray, lead_w: np.ndarray, ramp: np.ndarray,
            k_pmf: np.ndarray, net: _Network) -> tuple[np.ndarray, np.ndarray]:
    """``oracle_full`` (the probability of joining) and ``oracle_full_ndcg`` (its gain / ideal DCG) of every
    latent investor for one query round (see the module docstring)."""
    wd, inv, comp, rd = world.wd, world.inv, world.comp, world.rounds
    n = base.size
    c, lab = int(rd.company[qu.r]), int(rd.label[qu.r])
    # 1. follow-on of the earlier investors
    earlier = np.array(list(qu.last_seen), dtype=np.int64)
    no = np.array(list(qu.last_seen.values()), dtype=np.int64)
    p_follow = world.arrays["follow_base"][earlier] * wd.follow_decay ** (qu.rno - 1 - no)
    p_follow = p_follow * (0.3 + 0.7 * np.minimum(1.0, inv.stage_fit[earlier, lab]))
    p_follow = p_follow * np.where(ramp[earlier] > 0, 1.0, wd.follow_inactive)
    outside = np.isin(earlier, qu.excluded_latent)
    # 2. the number of new investors, and the ideal DCG of the truth that comes with it
    joint = _new_slots(k_pmf, p_follow[outside], p_follow[~outside], wd.p_new_money_with_insiders)
    size = np.arange(joint.shape[0])[:, None] + np.arange(joint.shape[1])[None, :]
    inv_ideal = np.where(size > 0, 1.0 / np.maximum(_IDEAL[np.minimum(size, K)], 1e-12), 0.0)
    weights = np.stack([joint.sum(axis=1), (joint * inv_ideal).sum(axis=1)])  # (probability, gain / ideal)
    last = int(np.flatnonzero(weights.any(axis=0))[-1]) if weights.any() else 1
    weights = weights[:, : max(last, 1) + 1]
    in_joint = joint[:, 1:]
    follow_gain = (in_joint * inv_ideal[:, 1:]).sum() / in_joint.sum() if in_joint.sum() > 0 else 1.0
    # 3. the lead, and the market draw of a follower
    pi_l = lead_w / lead_w.sum() if lead_w.sum() > 0 else np.zeros(n)
    pi_m = base / base.sum() if base.sum() > 0 else np.zeros(n)
    new = weights[:, 1:].sum(axis=1, keepdims=True) * pi_l[None, :]
    # 4. followers around the anchor (the lead): branch probabilities and the sparse draws of every anchor
    m_a = np.ones(n)
    if wd.p_repeat > 0 or wd.p_static > 0:
        stage = 0.2 + np.minimum(1.0, inv.stage_fit[:, lab])
        home = world.arrays["region_mult_t"][int(comp.region[c])] ** wd.partner_home_exp
        v_rep = ramp * stage * home
        v_static = ramp * np.sqrt(inv.size) * stage * home
        has_co = net.first_co < qu.pairs_before  # an inactive co-investor counts here
        if net.sub is None or net.sub_rows is None or net.sub_cols is None:
            net = net.active(ramp)
        assert net.sub is not None and net.sub_rows is not None and net.sub_cols is not None
        rows, cols = net.sub_rows, net.sub_cols
        count = np.bincount(net.co_index[: qu.pairs_before], minlength=net.rows.size)[net.sub]
        co_w = np.arange(count.max(initial=0) + 1, dtype=float) ** wd.repeat_exp  # count ** repeat_exp by table
        co_w = co_w[count] * v_rep[cols]
        static_w = net.partner * v_static[cols]
        tot_rep = np.bincount(rows, co_w, minlength=n)
        tot_static = np.bincount(rows, static_w, minlength=n)
        rho = np.where(has_co & (tot_rep > 0), wd.p_repeat, 0.0)
        sigma = np.where(net.has_partner & (tot_static > 0), wd.p_static + np.where(has_co, 0.0, wd.p_repeat), 0.0)
        m_a = 1.0 - rho - sigma
        s = (rho / np.where(rho > 0, tot_rep, 1.0))[rows] * co_w
        s += (sigma / np.where(sigma > 0, tot_static, 1.0))[rows] * static_w
        keep = (s > 0) & (pi_l[rows] > 0)
        rows, cols, s = rows[keep], cols[keep], s[keep]
        x0 = m_a[rows] * pi_m[cols]  # the market part of the anchor's slot, replaced below for these pairs
        gain = pi_l[rows] * (_slots_hit(weights, np.minimum(1.0, x0 + s)) - _slots_hit(weights, x0))
        for i in range(weights.shape[0]):
            new[i] += np.bincount(cols, gain[i], minlength=n)
    # market part of every anchor (few distinct m_a), without the anchor itself
    levels, which = np.unique(m_a, return_inverse=True)
    mass = np.bincount(which, pi_l, minlength=levels.size)
    for v, w in zip(levels, mass, strict=True):
        if w > 0:
            new += w * _slots_hit(weights, v * pi_m)
    new -= pi_l * _slots_hit(weights, m_a * pi_m)
    new = np.maximum(new, 0.0)
    p_join, ndcg_score = new[0], new[1]
    if earlier.size:
        p_join[earlier] = p_follow + (1.0 - p_follow) * p_join[earlier]
        ndcg_score[earlier] = p_follow * follow_gain + (1.0 - p_follow) * ndcg_score[earlier]
    return p_join, ndcg_score


def run(preset: str, seed: int = 0, scale: float = 1.0, data: Path | None = None,
        ablation: bool = False) -> dict[str, Any]:
    """Write the preset's files (into ``data``, or a temporary directory), regenerate its latent world, check that
    they agree (:func:`verify`) and evaluate (``ablation``: and :func:`ablate`)."""
    t0 = time.perf_counter()
    investors, companies = world_sizes(preset, scale)
    with tempfile.TemporaryDirectory(prefix="deal_oracle_") as tmp:
        directory = Path(data) if data is not None else Path(tmp)
        bd.generate(directory, investors=investors, companies=companies, seed=seed, preset=preset)
        world = regenerate(preset, seed, scale)
        verify(world, directory)
        out = evaluate(world, directory)
        if ablation:
            out["ablation"] = ablate(world, directory)
    return {**out, "seed": seed, "scale": scale, "investors": investors, "companies": companies,
            "world_matches_files": True, "seconds": round(time.perf_counter() - t0, 1)}


def _print_table(res: dict[str, Any]) -> None:
    print(f"preset {res['preset']}, seed {res['seed']}, scale {res['scale']} ({res['investors']} investors x "
          f"{res['companies']} companies), window [{res['cutoff']}, {res['until']}), --exclude-prior-investors")
    print(f"queries {res['queries']}, candidates {res['candidates']}; regenerated world == written files: "
          f"{res['world_matches_files']}")
    print(f"{'method':<26}ndcg@{K}")
    for name, value in res[f"ndcg@{K}"].items():
        print(f"{name:<26}{value:.4f}")
    for name, value in res.get("ablation", {}).items():
        print(f"oracle_market {name:<26}{value:.4f}")
    print(f"({res['seconds']} s)")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.deal_oracle", description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--preset", required=True, choices=sorted(bd.PRESETS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0, help="as bench.backtest_data --scale")
    ap.add_argument("--data", type=Path, help="also keep the written files in this directory")
    ap.add_argument("--ablate", action="store_true", help="also oracle_market without each part of its weight")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.scale > 0:
        ap.error("--scale must be positive")
    res = run(args.preset, args.seed, args.scale, args.data, args.ablate)
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        _print_table(res)


if __name__ == "__main__":
    main()
