"""The investor ranker's selection rule, restated from its documentation (README, "Learning that can only
add") so tests can check a report against it independently of the code that made the choice."""

from __future__ import annotations

from typing import Any


def expected_selection(val: dict[str, Any]) -> str:
    """What should serve, given a report's ``validation`` block: the model if it beats every baseline and is
    not below the naive-Bayes score; else a blend that beat every simple ranking (the report names it with its
    weight); else the best simple ranking (a tie between a baseline and the naive-Bayes score: the baseline)."""
    learned, best, nb = val.get("learned"), val["best_baseline_ndcg@10"], val["naive_bayes"]
    if learned is not None and learned > best and learned >= nb:
        return "learned"
    blend = val.get("blend") or {}
    if "weight" in blend:
        assert max(blend["ndcg@10"].values()) > max(best, nb) and blend["wins_both_halves"]
        return f"blend:{blend['with']}"
    return f"baseline:{val['best_baseline']}" if best >= nb else "naive_bayes"
