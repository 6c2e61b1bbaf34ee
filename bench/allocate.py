"""Cohort allocation at scale: projects to mentors, maximising total score within capacities.

    python -m bench.allocate --projects 5000 --mentors 2000 [--per-project 1] [--cover] [--json]

``seconds`` is the whole allocation as the API runs it: scoring each project's best
``--candidates-per-project`` eligible mentors, then the exact min-cost-flow solve. The population is built
first (seeded profiles, vectors as in ``bench.common``) and is not timed. ``capacity_violations`` counts
mentors over capacity and projects over ``per_project`` in the result (it must be 0). A greedy baseline
(projects in order, each takes its best mentor with room left) runs on the same edges for comparison.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from bench.common import build_population
from matcher import WeightSet
from matcher.cohort import allocate_cohort


def greedy(edges: dict[tuple[int, int], float], capacities: dict[int, float], per_project: int) -> float:
    left = dict(capacities)
    taken: dict[int, int] = {}
    total = 0.0
    for (p, c), s in sorted(edges.items(), key=lambda kv: (kv[0][0], -kv[1])):
        if s <= 0 or taken.get(p, 0) >= per_project or left.get(c, 0) < 1:
            continue
        taken[p] = taken.get(p, 0) + 1
        left[c] -= 1
        total += s
    return total


def run(projects: int, mentors: int, per_project: int = 1, cover: bool = False, candidates_per_project: int = 50,
        seed: int = 11, encoder: str | None = None) -> dict[str, object]:
    pop = build_population(kind="mentor", candidates=mentors, projects=projects, seed=seed, encoder=encoder)
    m = pop.matcher
    weights = WeightSet.default("mentor")
    start = time.perf_counter()
    result, edges = allocate_cohort(m, kind="mentor", project_ids=pop.project_ids.tolist(), weights=weights,
                                    per_project=per_project, cover=cover,
                                    candidates_per_project=candidates_per_project)
    seconds = time.perf_counter() - start
    pool = m.tables["mentor"]
    caps = {}
    for cid in {c for _, c in edges}:
        row = int(pool.rows_of([cid])[0])
        caps[cid] = float(pool.cols["capacity"][row] - pool.cols["load"][row])
    assigned = np.bincount(np.array([c for _, c in result.pairs]), minlength=int(pop.candidate_ids.max()) + 1)
    over = sum(1 for cid, cap in caps.items() if assigned[cid] > cap)
    return {
        "projects": projects,
        "mentors": mentors,
        "per_project": per_project,
        "cover": cover,
        "candidates_per_project": candidates_per_project,
        "edges": len(edges),
        "seconds": round(seconds, 3),
        "total_score": round(result.total_score, 4),
        "assigned": len(result.pairs),
        "unassigned_projects": len(result.unassigned),
        "capacity_violations": result.capacity_violations + over,
        "total_capacity": int(sum(caps.values())),
        "greedy_total_score": round(greedy(edges, caps, per_project), 4),
        "encoder": pop.encoder_id,
        "vectors": pop.vectors,
        "build_seconds": pop.build_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=2000)
    parser.add_argument("--per-project", type=int, default=1)
    parser.add_argument("--cover", action="store_true")
    parser.add_argument("--candidates-per-project", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--encoder", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    out = run(args.projects, args.mentors, args.per_project, args.cover, args.candidates_per_project, args.seed,
              args.encoder)
    print(json.dumps(out, indent=None if args.json else 2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
