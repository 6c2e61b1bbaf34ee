"""A closed feedback loop over a freshly seeded ecosystem (``huoban simulate``).

Each round, for every project and every candidate kind, three policies rank candidates:

(a) ``weights``: the operator weights alone (no learned model, no exploration);
(b) ``learned``: the serving policy - operator weights plus the learned model, with exploration;
(c) ``oracle``: the eligible candidates ordered by the hidden true affinity;
(d) ``ceiling`` (a diagnostic, not a policy anyone could run): the eligible candidates ordered by what is
    knowable at best - the true affinity without the chemistry term, the pair noise and the round a project
    that states none would raise next (``GroundTruth.visible_affinity``), i.e. a ranker that had learned
    every structural effect and every candidate's hidden quality perfectly. Founders never re-meet a
    candidate they requested, so the best visible matches leave the pool round by round and the ceiling
    falls below the one ``bench.oracle_ceiling`` measures on a fresh pool.

Only (b)'s lists are "served": they go through the real impression log; simulated founders examine
position p with probability 1/p and accept a shown candidate with probability
``sigmoid(beta * (affinity - tau))`` (the hidden affinity of ``seed_data.truth``: structured fit with
interactions, latent sub-topics, hidden quality, chemistry and noise); requests, acceptances, declines,
meetings, ratings and investments go into the real feedback table; acceptance counters reach the
matcher's ``acceptance`` feature; an accepted introduction occupies the mentor's or provider's capacity in
the round that follows, then ends (so capacity filters and the exposure penalty act as in the product, and
capacity comes back: with engagements of two rounds, round 3 had ten free mentors for 10 of 1,000 projects
and evaluated no mentors to speak of); and the real
``api.training.retrain`` trains and promotes between rounds.

Per round it reports, for each policy, top-5 acceptance (mean acceptance probability of the top 5 once
examined) and NDCG@10 against the true acceptance probabilities, plus the Gini of mentor exposure
(appearances in top-10 lists) for (a) and (b), and of the attention those appearances get (each weighted by
1/position, the chance a founder looks at it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select

from api.engine import EngineSettings, MatchEngine
from api.services.matching import log_impressions
from api.training import retrain
from matcher import Exploration, MatcherConfig, WeightSet
from matcher.metrics import gini, ndcg_at_k
from models import FeedbackEvent, Project
from models.db import make_engine, make_session_factory, session_scope, upgrade
from seed_data import SeedPlan
from seed_data.loader import load_ground_truth, seed

KINDS = ("mentor", "investor", "provider")
POLICIES = ("weights", "learned", "oracle", "ceiling")
BETA, TAU = 1.6, 3.0  # acceptance = sigmoid(BETA * (affinity - TAU))
ENGAGEMENT_ROUNDS = 1  # a mentorship or service engagement ends after the round that follows its start
Progress = Callable[[str], None]


def _mean(values: list[float | None]) -> float | None:
    """Mean over the kinds that were evaluated (None when none was)."""
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 4) if a is not None and b else None


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def accept_probability(affinity: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-BETA * (np.asarray(affinity, dtype=np.float64) - TAU)))
    return out


def small_spaces(space_of: dict[int, int]) -> dict[str, Any]:
    """The smallest quartile of spaces by number of projects: every space with at most as many projects as the
    space at the 25th percentile (ties are all in)."""
    sizes: dict[int, int] = defaultdict(int)
    for space in space_of.values():
        sizes[space] += 1
    if not sizes:
        return {"spaces": set(), "max_projects": 0}
    cut = int(np.sort(np.array(list(sizes.values())))[(len(sizes) - 1) // 4])
    return {"spaces": {s for s, n in sizes.items() if n <= cut}, "max_projects": cut, "space_of": space_of}


def space_lift(by_project: list[tuple[int, float, float]], small: dict[str, Any]) -> dict[str, Any]:
    """Relative lift of the learned policy over the weights (mean top-5 acceptance, learned / weights - 1) in
    the whole network and in the smallest spaces, and their ratio (``lift_share``)."""
    if not by_project:
        return {"network_lift": None, "small_lift": None, "lift_share": None, "lists": 0}
    space_of = small.get("space_of", {})
    arr = np.array([(w, lrn) for _, w, lrn in by_project], dtype=np.float64)
    in_small = np.array([space_of.get(pid) in small["spaces"] for pid, _, _ in by_project], dtype=bool)

    def lift(mask: np.ndarray) -> float | None:
        if not mask.any() or arr[mask, 0].mean() <= 0:
            return None
        return float(arr[mask, 1].mean() / arr[mask, 0].mean() - 1.0)

    net, sm = lift(np.ones(len(arr), dtype=bool)), lift(in_small)
    share = round(sm / net, 4) if net is not None and sm is not None and net > 0 else None
    return {"network_lift": _round(net), "small_lift": _round(sm), "lift_share": share,
            "lists": int(len(arr)), "small_lists": int(in_small.sum())}


def simulate(*, rounds: int = 5, seed_value: int = 7, scale: int | None = None, encoder: str = "e5",
             var_dir: Path | None = None, work_dir: Path | None = None, k: int = 10, exploration: float = 0.1,
             progress: Progress | None = None, config: MatcherConfig | None = None,
             learned_weight: float | None = None, sessions: int = 2, space_size: int | None = None
             ) -> dict[str, Any]:
    """See the module docstring. ``space_size``: a network of small spaces, about this many projects each
    (projects join spaces at random, so sizes vary around it); default: the seed's 20 spaces."""
    say = progress or (lambda message: None)
    rng = np.random.default_rng(seed_value)
    tmp = Path(work_dir or tempfile.mkdtemp(prefix="huoban-sim-"))
    url = f"sqlite:///{tmp / 'simulation.db'}"
    upgrade(url)
    db = make_engine(url)
    factory = make_session_factory(db)
    plan = SeedPlan.for_scale(scale, seed_value) if scale else SeedPlan.for_scale(None, seed_value)
    if space_size is not None:
        if space_size < 1:
            raise ValueError("space_size must be a positive number of projects")
        plan = dataclasses.replace(plan, spaces=max(1, -(-plan.projects // space_size)))
    with session_scope(factory) as session:
        seed(session, plan)
        truth = load_ground_truth(session)
        round_stated = {int(i): r is not None for i, r in session.execute(select(Project.id, Project.round_sought))}
    var = Path(var_dir) if var_dir else tmp / "var"
    settings = EngineSettings(var_dir=tmp / "var", encoder=encoder)
    engine = MatchEngine(settings, config)
    if var_dir is not None:  # share an embedding cache across runs (unchanged texts are never re-encoded)
        from matcher import CachedEncoder, SqliteEmbeddingCache, build_encoder

        engine._encoder = CachedEncoder(build_encoder(encoder), SqliteEmbeddingCache(var / "embeddings.sqlite"))
    say("indexing")
    engine.build(factory, save=False)
    state = engine.state
    projects = state.tables["project"]
    project_ids = [int(i) for i in projects.cols["ids"]]
    space_of = {pid: int(projects.profile(pid).space_id) for pid in project_ids}  # type: ignore[union-attr]
    small = small_spaces(space_of)
    weights = {kind: WeightSet.default(kind) for kind in KINDS}
    if learned_weight is not None:
        weights = {kind: w.with_weights(learned=learned_weight) for kind, w in weights.items()}
    now = dt.datetime.now(dt.UTC)
    history: list[dict[str, Any]] = []
    counters: dict[str, dict[int, list[int]]] = {kind: defaultdict(lambda: [0, 0]) for kind in KINDS}
    # accepted introductions occupy a mentor's or provider's capacity for ENGAGEMENT_ROUNDS rounds
    engagements: dict[str, dict[int, list[int]]] = {kind: defaultdict(list) for kind in KINDS}
    shown_recent: dict[str, dict[int, int]] = {kind: defaultdict(int) for kind in KINDS}
    event_seq = 0
    contacted: dict[str, dict[int, set[int]]] = {kind: defaultdict(set) for kind in KINDS}
    for r in range(1, rounds + 1):
        started = time.perf_counter()
        learned_all = engine.state.learned
        per_kind: dict[str, Any] = {}
        evaluated: dict[str, int] = {}
        exposure: dict[str, dict[int, int]] = {name: defaultdict(int) for name in POLICIES}
        # the same weighted by the chance a founder looks at the place (1/position): the attention a mentor gets
        examined: dict[str, dict[int, float]] = {name: defaultdict(float) for name in POLICIES}
        events: list[dict[str, Any]] = []
        # per project and kind: top-5 acceptance of (weights, learned), for the lift by space size
        by_project: list[tuple[int, float, float]] = []
        with factory() as session, session.begin():

            def serve(kind: str, ranking: Any, round_no: int = r, sink: list[dict[str, Any]] = events) -> None:
                """Log a served list, simulate how the founder and the candidates respond."""
                nonlocal event_seq
                engine.state.tables[kind].bump_impressions([m.id for m in ranking.matches])
                _, imp_ids = log_impressions(session, ranking, weights[kind], space_of=space_of, viewer_user_id=None,
                                             model_version_id=engine.state.learned_version_id)
                ids = np.array([m.id for m in ranking.matches], dtype=np.int64)
                p_acc = accept_probability(truth.affinity(kind, np.array([ranking.query_id]), ids)[0])
                for m, imp_id, p in zip(ranking.matches, imp_ids, p_acc, strict=True):
                    shown_recent[kind][m.id] += 1
                    if rng.random() > 1.0 / m.position:  # not examined
                        continue
                    accepted = rng.random() < p
                    requested = accepted or rng.random() < 0.5
                    outcome: list[tuple[str, int | None]] = []
                    if requested:
                        outcome.append(("requested", None))
                        outcome.append(("accepted" if accepted else "declined", None))
                        c = counters[kind][m.id]
                        c[0] += int(accepted)
                        c[1] += 1
                        contacted[kind][ranking.query_id].add(m.id)  # matched or declined: not shown again
                        if accepted:
                            engagements[kind][m.id].append(round_no)
                    else:
                        outcome.append(("dismissed", None))
                    if accepted and rng.random() < 0.5 + 0.4 * p:
                        outcome.append(("met", None))
                        outcome.append(("rating", int(np.clip(round(1 + 4 * p + rng.normal(0, 0.7)), 1, 5))))
                        if kind == "investor" and rng.random() < p * 0.5:
                            outcome.append(("invested", None))
                    for etype, rating in outcome:
                        event_seq += 1
                        sink.append({
                            "event_id": f"sim-{seed_value}-{event_seq}", "space_id": space_of[ranking.query_id],
                            "type": etype, "project_id": ranking.query_id, "candidate_kind": kind,
                            "candidate_id": m.id, "impression_id": imp_id, "rating": rating, "notes": "",
                            "occurred_at": dt.datetime.now(dt.UTC), "created_at": dt.datetime.now(dt.UTC),
                        })

            for kind in KINDS:
                pool = engine.state.tables[kind]
                metrics = {p: {"acc": [], "ndcg": []} for p in POLICIES}
                for pid in project_ids:
                    exclude = sorted(contacted[kind][pid])
                    full = state.matcher.rank(kind=kind, query_id=pid, weights=weights[kind], k=len(pool),
                                              exhaustive=True, explain=False, now=now, exclude=exclude)
                    eligible = np.array([m.id for m in full.matches], dtype=np.int64)
                    if len(eligible) < k:
                        continue
                    p_acc = accept_probability(truth.affinity(kind, np.array([pid]), eligible)[0])
                    gain = {int(c): float(g) for c, g in zip(eligible, p_acc, strict=True)}
                    oracle = [int(c) for c in eligible[np.argsort(-p_acc, kind="stable")][:k]]
                    knowable = truth.visible_affinity(kind, np.array([pid]), eligible,
                                                      np.array([round_stated[pid]]))[0]
                    ceiling = [int(c) for c in eligible[np.argsort(-knowable, kind="stable")][:k]]
                    a = state.matcher.rank(kind=kind, query_id=pid, weights=weights[kind], k=k, explain=False,
                                           now=now, exclude=exclude)
                    b = state.matcher.rank(kind=kind, query_id=pid, weights=weights[kind], k=k, explain=False,
                                           now=now, exclude=exclude, learned=learned_all.get(kind),
                                           exploration=Exploration(share=exploration, rng=rng))
                    for name, ids in (("weights", [m.id for m in a.matches]), ("learned", [m.id for m in b.matches]),
                                      ("oracle", oracle), ("ceiling", ceiling)):
                        metrics[name]["acc"].append(float(np.mean([gain[i] for i in ids[:5]])))
                        metrics[name]["ndcg"].append(ndcg_at_k(ids, gain, k))
                    by_project.append((pid, metrics["weights"]["acc"][-1], metrics["learned"]["acc"][-1]))
                    if kind == "mentor":
                        for name, shown_ids in (("weights", [m.id for m in a.matches]),
                                                ("learned", [m.id for m in b.matches]),
                                                ("oracle", oracle), ("ceiling", ceiling)):
                            for pos, cid in enumerate(shown_ids, start=1):
                                exposure[name][cid] += 1
                                examined[name][cid] += 1.0 / pos
                    serve(kind, b)
                # a kind none of whose projects had k eligible candidates left this round reports nulls
                per_kind[kind] = {name: {"acceptance_at5": float(np.mean(v["acc"])) if v["acc"] else None,
                                         "ndcg@10": float(np.mean(v["ndcg"])) if v["ndcg"] else None}
                                  for name, v in metrics.items()}
                evaluated[kind] = len(metrics["oracle"]["acc"])
            # founders come back: more sessions in the same round, already contacted candidates excluded
            for _ in range(sessions - 1):
                for kind in KINDS:
                    for pid in project_ids:
                        b = state.matcher.rank(kind=kind, query_id=pid, weights=weights[kind], k=k, explain=False,
                                               now=now, exclude=sorted(contacted[kind][pid]),
                                               learned=learned_all.get(kind),
                                               exploration=Exploration(share=exploration, rng=rng))
                        if len(b.matches):
                            serve(kind, b)
            for start in range(0, len(events), 5000):
                session.execute(insert(FeedbackEvent), events[start:start + 5000])
        mentors = [int(i) for i, active in zip(engine.state.tables["mentor"].cols["ids"],
                                               engine.state.tables["mentor"].cols["active"], strict=True) if active]
        ginis = {name: gini([exposure[name].get(m, 0) for m in mentors]) for name in POLICIES}
        ginis_examined = {name: gini([examined[name].get(m, 0.0) for m in mentors]) for name in POLICIES}
        for kind in KINDS:
            table = engine.state.tables[kind]
            ids = list(counters[kind])
            if ids:
                table.set_stats(ids, accepted=[counters[kind][i][0] for i in ids],
                                requests=[counters[kind][i][1] for i in ids])
            # exposure memory: impressions decay by half each round (a recent-exposure window)
            table.cols["impressions"] *= 0.5
            table.version += 1
            if kind != "investor":
                busy = list(engagements[kind])
                table.set_stats(busy, load=[sum(1 for start in engagements[kind][i]
                                                if r - start < ENGAGEMENT_ROUNDS) for i in busy])
        say(f"round {r}: served, {len(events)} outcome events; retraining")
        result = retrain(factory, tmp / "var" / "models", seed=seed_value)
        with factory() as session:
            engine.sync_model(session)
        summary = {name: {metric: _mean([per_kind[kd][name][metric] for kd in per_kind])
                          for metric in ("acceptance_at5", "ndcg@10")} for name in POLICIES}
        history.append({"round": r, "policies": summary, "by_kind": per_kind, "projects_evaluated": evaluated,
                        "ceiling_share": _ratio(summary["learned"]["acceptance_at5"],
                                                summary["ceiling"]["acceptance_at5"]),
                        "exposure_gini": ginis, "exposure_gini_examined": ginis_examined,
                        "small_spaces": space_lift(by_project, small),
                        "events": len(events), "model": {"version": result.version_id, "status": result.status},
                        "seconds": round(time.perf_counter() - started, 1)})
        shown = {name: summary[name]["acceptance_at5"] for name in POLICIES}
        say(f"round {r}: acceptance@5 " + ", ".join(f"{name} {'n/a' if v is None else format(v, '.3f')}"
                                                    for name, v in shown.items()))
    db.dispose()
    last = history[-1]
    return {
        "rounds": history,
        "setup": {"seed": seed_value, "projects": len(project_ids), "spaces": len(set(space_of.values())),
                  "small_spaces": {"count": len(small["spaces"]), "max_projects": small["max_projects"]},
                  "encoder": engine.encoder.id, "k": k,
                  "exploration": exploration, "acceptance": f"sigmoid({BETA} * (affinity - {TAU}))",
                  "examination": "1/position", "work_dir": str(tmp)},
        "summary": {
            "acceptance_at5": {p: _round(last["policies"][p]["acceptance_at5"]) for p in ("weights", "learned",
                                                                                          "oracle")},
            "ndcg@10": {p: _round(last["policies"][p]["ndcg@10"]) for p in ("weights", "learned", "oracle")},
            "exposure_gini": {p: round(last["exposure_gini"][p], 4) for p in ("weights", "learned")},
            # the same for the two rankings nobody can serve: how concentrated exposure is when ranking is right
            "exposure_gini_reference": {p: round(last["exposure_gini"][p], 4) for p in ("oracle", "ceiling")},
            # each appearance weighted by the chance it is looked at (1/position): a list's tail counts less
            "exposure_gini_examined": {p: round(last["exposure_gini_examined"][p], 4) for p in POLICIES},
            # the smallest quartile of spaces' relative lift (learned over weights) over the network's: goal >= 0.8
            "small_space_lift_share": last["small_spaces"]["lift_share"],
        },
        # what the best possible learner could reach at the last round (see (d) in the module docstring)
        "ceiling": {
            "acceptance_at5": _round(last["policies"]["ceiling"]["acceptance_at5"]),
            "share_of_oracle": _ratio(last["policies"]["ceiling"]["acceptance_at5"],
                                      last["policies"]["oracle"]["acceptance_at5"]),
            "learned_share_of_oracle": _ratio(last["policies"]["learned"]["acceptance_at5"],
                                              last["policies"]["oracle"]["acceptance_at5"]),
            # the learned policy against what is knowable: the learning loop's goal is >= 0.9 (issue 18)
            "ceiling_share": _ratio(last["policies"]["learned"]["acceptance_at5"],
                                    last["policies"]["ceiling"]["acceptance_at5"]),
            # each round's ceiling is ranked over what is left of the pool (founders never re-meet a candidate
            # they requested), so a policy that finds the best matches early lowers the last round's ceiling:
            # learned over ceiling summed over every round after the first training, which that does not favour
            "ceiling_share_rounds_2_on": _ratio(
                sum(h["policies"]["learned"]["acceptance_at5"] or 0.0 for h in history[1:]),
                sum(h["policies"]["ceiling"]["acceptance_at5"] or 0.0 for h in history[1:])) if len(history) > 1
            else None,
        },
    }


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rounds = [h["round"] for h in result["rounds"]]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    for ax, metric, title in ((axes[0], "acceptance_at5", "top-5 acceptance"), (axes[1], "ndcg@10", "NDCG@10")):
        for policy, style in (("weights", "o--"), ("learned", "o-"), ("oracle", "k:"), ("ceiling", "--")):
            values = [h["policies"][policy][metric] for h in result["rounds"]]
            ax.plot(rounds, [np.nan if v is None else v for v in values], style, label=policy)
        ax.set_title(title)
        ax.set_xlabel("round")
        ax.legend()
    for policy, style in (("weights", "o--"), ("learned", "o-")):
        axes[2].plot(rounds, [h["exposure_gini"][policy] for h in result["rounds"]], style, label=policy)
    axes[2].set_title("mentor exposure Gini (lower = fairer)")
    axes[2].set_xlabel("round")
    axes[2].legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
