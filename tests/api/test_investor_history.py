"""The investor ranker in the service: trained by retrain on the deal history, served for matches, deal flow
and allocation, explained, refreshed when investments arrive (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from models import IntroRequest, PortfolioInvestment, Project
from tests.api.conftest import ApiEnv
from tests.selection import expected_selection


@pytest.fixture(scope="module")
def trained(env: ApiEnv) -> dict:
    from api.extensions import db, matching
    from api.training import retrain

    with env.app.app_context():
        result = retrain(db.factory, Path(env.app.config["VAR_DIR"]) / "models", encoder=matching.engine.encoder)
        with db.factory() as session:
            matching.engine.apply_changes(session, force=True)
    return {"result": result}


def served_ids(env: ApiEnv, who: str, path: str) -> tuple[list[int], list[dict]]:
    r = env.call(who, "get", path)
    assert r.status_code == 200, r.json
    items = r.json["items"]
    return [it["subject"]["id"] for it in items], items


def test_retrain_trains_the_ranker_and_the_service_serves_it(env: ApiEnv, trained: dict) -> None:
    from api.extensions import db, matching
    from api.services.matching import current_weights, excluded_candidates

    result = trained["result"]
    history = result.manifest["history"]
    assert result.promoted and history["artifact"] and history["checksum"]
    val = history["validation"]
    assert history["selected"] == expected_selection(val)
    # the manifest says which weighting of the training years the validation year kept
    assert history["window_decay"]["chosen"] in (1.0, 0.5)
    assert "investor ranker" in result.report
    pid = env.ids["project1"]
    with env.app.app_context():
        engine = matching.engine
        state = engine.state
        assert state.history is not None and state.history.ranker.selected == history["selected"]
        with db.factory() as session:
            weights = current_weights(session, env.ids["space1"], "investor")
            exclude = excluded_candidates(session, pid, "investor")
        expected = state.matcher.rank(kind="investor", query_id=pid, weights=weights, k=10, exclude=exclude,
                                      history=state.history, now=engine.clock(), explain=False)
    ids, items = served_ids(env, "founder1", f"/api/v1/projects/{pid}/matches?kind=investor&k=10")
    # the API serves exactly the ranker's order (nothing downstream reorders it)
    assert ids == [m.id for m in expected.matches]
    for it in items:
        assert sum(it["contributions"].values()) == pytest.approx(it["score"], abs=1e-6)
        assert it["contributions"]["history"] != 0.0
        assert set(it["history_breakdown"]) <= {"activity", "round", "region", "industry", "network", "follow_on",
                                                "company_age", "kind", "other"}
    history_words = ("投过", "常投", "在", "近期活跃", "与本项目")
    assert any(r.startswith(history_words) for it in items for r in it["reasons"]["zh"])


def test_a_new_investment_reaches_the_ranking_and_own_investors_are_not_proposed(env: ApiEnv, trained: dict) -> None:
    from api.engine import note_change
    from api.extensions import db

    pid = env.ids["project1b"]
    ids, _ = served_ids(env, "operator1", f"/api/v1/projects/{pid}/matches?kind=investor&k=10")
    first = ids[0]
    with env.app.app_context(), db.factory() as session, session.begin():
        project = session.get(Project, pid)
        session.add(PortfolioInvestment(investor_id=first, project_id=pid, company=project.name,
                                        round=project.round_sought or "seed", industries=list(project.industries),
                                        city=project.city, invested_on=dt.date.today() - dt.timedelta(days=40)))
        note_change(session, "history", pid)
    with env.app.app_context(), db.factory() as session:  # every worker replays the change log within 0.5 s
        from api.extensions import matching

        assert matching.engine.apply_changes(session, force=True) >= 1
    after, _ = served_ids(env, "operator1", f"/api/v1/projects/{pid}/matches?kind=investor&k=10")
    assert first not in after  # it already backs this project: not a new match for it
    with env.app.app_context():
        from api.extensions import matching

        history = matching.engine.state.history
        assert history is not None and first in set(history.view.log.investor.tolist())


def test_invested_feedback_becomes_history(env: ApiEnv, trained: dict) -> None:
    """An investment reported through feedback is a deal of the log, seen by the served ranking."""
    from api.extensions import db, matching

    with env.app.app_context(), db.factory() as session:
        before = len(matching.engine.state.history.view.log)
        intro = session.scalars(select(IntroRequest).where(IntroRequest.candidate_kind == "investor")).first()
    pid = env.ids["project1"]
    ids, _ = served_ids(env, "founder1", f"/api/v1/projects/{pid}/matches?kind=investor&k=3")
    r = env.call("founder1", "post", "/api/v1/intros",
                 json={"project_id": pid, "candidate_kind": "investor", "candidate_id": ids[0]})
    assert r.status_code == 201, r.json
    intro_id = r.json["id"]
    assert intro is None or intro.id != intro_id
    accepted = env.call("admin", "post", f"/api/v1/intros/{intro_id}/accept", json={})
    assert accepted.status_code == 200, accepted.json
    event = {"event_id": "evt-invested-000001", "type": "invested", "intro_id": intro_id}
    assert env.call("founder1", "post", "/api/v1/feedback", json=event).status_code == 201
    with env.app.app_context(), db.factory() as session:
        assert matching.engine.apply_changes(session, force=True) >= 1
        history = matching.engine.state.history
        log = history.view.log
        assert len(log) == before + 1
        assert f"p{pid}" in log.companies
        # dated today, it is in today's view at once: the investor now backs the project
        assert ids[0] in history.view.ids.tolist()
        project = matching.engine.state.tables["project"].profile(pid)
        assert ids[0] in history.prior_investors(project).tolist()
    after, _ = served_ids(env, "founder1", f"/api/v1/projects/{pid}/matches?kind=investor&k=10")
    assert ids[0] not in after


def test_deal_flow_and_allocation_rank_through_the_history(env: ApiEnv, trained: dict) -> None:
    ids, items = served_ids(env, "investor", f"/api/v1/investors/{env.ids['investor']}/dealflow?k=5")
    assert items and all(it["contributions"]["history"] != 0.0 for it in items)
    for it in items:
        assert sum(it["contributions"].values()) == pytest.approx(it["score"], abs=1e-6)
    r = env.call("operator1", "post", f"/api/v1/spaces/{env.ids['space1']}/allocations",
                 json={"kind": "investor", "per_project": 1})
    assert r.status_code == 200, r.json
    assert r.json["pairs"] and r.json["capacity_violations"] == 0


def test_a_tampered_ranker_artifact_is_refused(tmp_path: Path, trained: dict) -> None:
    from api.history import load_history
    from matcher.errors import ModelArtifactError

    info = trained["result"].manifest["history"]
    body = Path(info["artifact"]).read_bytes()
    bad = tmp_path / "investor_history.json"
    bad.write_bytes(body.replace(b'"selected"', b'"selectex"', 1))
    with pytest.raises(ModelArtifactError, match="checksum"):
        load_history(bad, info["checksum"])
    ranker, als = load_history(info["artifact"], info["checksum"])
    assert ranker.selected == info["selected"] and len(als.ids) > 0


def test_a_ranker_trained_with_other_features_is_refused_and_if_none_trains_again(tmp_path: Path,
                                                                                  trained: dict) -> None:
    """An upgrade that changes the ranker's features (as h_text_* did) must not leave the service on a ranker it
    cannot load: the old artifact is refused by name, and ``retrain --if-none`` sees that and trains."""
    import hashlib
    import json
    from types import SimpleNamespace

    from api.cli import _ranker_loads
    from api.history import load_history
    from matcher.errors import ModelArtifactError

    info = trained["result"].manifest["history"]
    obj = json.loads(Path(info["artifact"]).read_bytes())
    obj["ranker"]["names"] = [n for n in obj["ranker"]["names"] if not n.startswith("h_text_")]
    old = tmp_path / "investor_history.json"
    old.write_bytes(json.dumps(obj).encode())
    checksum = hashlib.sha256(old.read_bytes()).hexdigest()
    with pytest.raises(ModelArtifactError, match="feature names disagree"):
        load_history(old, checksum)
    before = SimpleNamespace(id=1, manifest={"history": {**info, "artifact": str(old), "checksum": checksum}})
    current = SimpleNamespace(id=2, manifest={"history": info})
    assert _ranker_loads(before) is False
    assert _ranker_loads(current) is True


def test_a_ranker_trained_before_the_place_hierarchy_is_refused_and_if_none_trains_again(tmp_path: Path,
                                                                                         trained: dict) -> None:
    """Its features read a company's macro region where the province now is: refused, so ``--if-none`` trains."""
    import hashlib
    import json
    from types import SimpleNamespace

    from api.cli import _ranker_loads
    from api.history import load_history
    from matcher.errors import ModelArtifactError

    info = trained["result"].manifest["history"]
    obj = json.loads(Path(info["artifact"]).read_bytes())
    assert obj["places"] == 2
    del obj["places"]
    old = tmp_path / "investor_history.json"
    old.write_bytes(json.dumps(obj).encode())
    checksum = hashlib.sha256(old.read_bytes()).hexdigest()
    with pytest.raises(ModelArtifactError, match="province, city, macro region"):
        load_history(old, checksum)
    assert _ranker_loads(SimpleNamespace(id=1, manifest={"history": {**info, "artifact": str(old),
                                                                      "checksum": checksum}})) is False


def test_a_space_pinned_to_a_version_without_the_ranker_ranks_by_thesis(env: ApiEnv, trained: dict) -> None:
    """Pinned versions are served whole: a space pinned to a version that has no investor ranker gets none,
    while the rest of the network keeps the serving version's."""
    from api.extensions import db, matching
    from models import ModelVersion, SpaceModel

    with env.app.app_context(), db.factory() as session, session.begin():
        bare = ModelVersion(status="retired", artifact_path="", checksum="", manifest={"kinds": {}}, metrics={},
                            report="no models")
        session.add(bare)
        session.flush()
        session.add(SpaceModel(space_id=env.ids["space1"], model_version_id=bare.id))
        bare_id = bare.id
    try:
        with env.app.app_context(), db.factory() as session:
            matching.engine.apply_changes(session, force=True)
            state = matching.engine.state
            assert state.history_for(env.ids["space1"]) is None
            assert state.history_for(env.ids["space2"]) is state.history is not None
        _, pinned = served_ids(env, "founder1", f"/api/v1/projects/{env.ids['project1']}/matches?kind=investor")
        _, network = served_ids(env, "founder2", f"/api/v1/projects/{env.ids['project2']}/matches?kind=investor")
        assert all(it["contributions"]["history"] == 0.0 for it in pinned)
        assert all(it["contributions"]["history"] != 0.0 for it in network)
    finally:
        with env.app.app_context(), db.factory() as session, session.begin():
            session.query(SpaceModel).filter_by(space_id=env.ids["space1"]).delete()
            session.query(ModelVersion).filter_by(id=bare_id).delete()
