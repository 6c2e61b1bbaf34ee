"""The learning loop end to end: logged impressions and outcomes -> retrain -> registry -> serving,
refusal of a worse model, exact rollback, a kill during training, a corrupt artifact, permissions."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, insert, select

import api.training as training
from api.extensions import db, matching
from api.services.matching import log_impressions
from matcher import WeightSet
from models import FeedbackEvent, Job, ModelVersion, SpaceModel
from tests.api.conftest import ApiEnv, console_operator, flush_impressions


def log_rounds(env: ApiEnv, rounds: int = 2, seed: int = 0, invert: bool = False) -> None:
    """Serve every project its mentor list and record outcomes that follow a clear rule."""
    rng = np.random.default_rng(seed)
    with env.app.app_context():
        engine = matching.engine
        state = engine.state
        projects = state.tables["project"]
        weights = WeightSet.default("mentor")
        events = []
        with db.factory() as session, session.begin():
            for _ in range(rounds):
                for pid in projects.cols["ids"].tolist():
                    ranking = state.matcher.rank(kind="mentor", query_id=pid, weights=weights, k=10, explain=False)
                    space = {pid: int(projects.profile(pid).space_id)}
                    _, imp_ids = log_impressions(session, ranking, weights, space_of=space, viewer_user_id=None,
                                                 model_version_id=None)
                    for m, imp in zip(ranking.matches, imp_ids, strict=True):
                        fit_ = m.features["needs_coverage"] * m.features["stage_fit"] > 0.3
                        good = rng.random() < ((0.05 if fit_ else 0.7) if invert else (0.7 if fit_ else 0.05))
                        kinds = ["requested", "accepted"] if good else ["dismissed"]
                        for t in kinds:
                            events.append({"event_id": f"t{seed}-{len(events)}", "space_id": space[pid], "type": t,
                                           "project_id": pid, "candidate_kind": "mentor", "candidate_id": m.id,
                                           "impression_id": imp, "notes": "", "occurred_at": dt.datetime.now(dt.UTC),
                                           "created_at": dt.datetime.now(dt.UTC)})
            session.execute(insert(FeedbackEvent), events)


def retrain_here(env: ApiEnv, **kw) -> training.RunResult:  # type: ignore[no-untyped-def]
    flush_impressions(env)  # what a training job started a moment later would read
    with env.app.app_context():
        result = training.retrain(db.factory, Path(env.app.config["VAR_DIR"]) / "models", min_positives=10, **kw)
        with db.factory() as session:
            matching.engine.sync_model(session)
        return result


class Served:
    """A served list: the same candidates in the same order, with scores equal up to clock drift.

    Freshness moves with the clock by ~1e-9 between calls, so scores are compared within 1e-6; rounding
    both to 6 decimals instead fails now and then, when a score sits on a rounding boundary."""

    def __init__(self, items: list[tuple[int, float]]) -> None:
        self.items = items

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Served) or [i for i, _ in self.items] != [i for i, _ in other.items]:
            return False
        return all(abs(a - b) <= 1e-6 for (_, a), (_, b) in zip(self.items, other.items, strict=True))

    def __repr__(self) -> str:
        return f"Served({self.items!r})"


def ranking_of(env: ApiEnv, who: str = "founder1") -> Served:
    body = env.call(who, "get", f"/api/v1/projects/{env.ids['project1']}/matches?kind=mentor&k=10").json
    return Served([(m["subject"]["id"], float(m["score"])) for m in body["items"]])


@pytest.fixture(scope="module")
def trained(env: ApiEnv) -> ApiEnv:
    # exposure control off in these spaces, so that serving (which counts impressions) leaves scores alone
    for who, space in (("operator1", env.ids["space1"]), ("operator2", env.ids["space2"])):
        assert env.call(who, "put", f"/api/v1/spaces/{space}/weights/mentor",
                        json={"weights": {"exposure": 0.0}}).status_code == 200
    log_rounds(env, rounds=2, seed=1)
    result = retrain_here(env, seed=0)
    assert result.status == "serving", result.report
    env.extra["v1"] = result.version_id
    return env


def test_retrain_promotes_and_serving_explains_the_learned_part(trained: ApiEnv) -> None:
    env = trained
    body = env.call("founder1", "get", f"/api/v1/projects/{env.ids['project1']}/matches?kind=mentor&k=5").json
    assert body["learned_active"] is True and body["model_version"] == env.extra["v1"]
    for m in body["items"]:
        assert m["contributions"]["learned"] > 0
        assert sum(m["learned_breakdown"].values()) == pytest.approx(m["contributions"]["learned"], abs=1e-6)
        assert m["score"] == pytest.approx(sum(m["contributions"].values()), abs=1e-6)
        assert any("成功概率" in r for r in m["reasons"]["zh"])
    with env.app.app_context():
        row = db.reader.get(ModelVersion, env.extra["v1"])
        manifest = row.manifest
    mentor = manifest["kinds"]["mentor"]
    assert mentor["train_rows"] > 0 and mentor["test_rows"] > 0 and mentor["cut_time"] > 0
    # every mentor with outcomes has a track record, re-estimated on all rows after the evaluation
    assert mentor["track_records"]["candidates"] > 0 and mentor["track_records"]["tau"] > 0
    assert set(manifest["libraries"]) >= {"scikit-learn", "numpy"} and manifest["features"][0] == "sem_need"
    effects = row.metrics["mentor"]["effects"]
    assert max(effects, key=effects.get) in ("needs_coverage", "stage_fit", "sem_need")
    listed = env.call("admin", "get", "/api/v1/models").json
    assert listed["serving"] == env.extra["v1"] and listed["items"][0]["metrics"]


def test_a_worse_model_is_refused_and_serving_stays(trained: ApiEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    env = trained
    before = ranking_of(env)
    real_fit = training.fit

    def poisoned(data, **kw):  # type: ignore[no-untyped-def]
        flipped = type(data)(data.X, np.where(data.gains >= 2, 0, 2), data.positions, data.propensities,
                             data.times, data.groups, data.candidates)
        return real_fit(flipped, **kw)

    monkeypatch.setattr(training, "fit", poisoned)
    result = retrain_here(env, seed=0)
    assert result.status == "candidate" and "not promoted" in result.report
    assert "mentor: refused, NDCG@10" in result.report and "< serving" in result.report
    with env.app.app_context():
        assert training.serving_version(db.reader).id == env.extra["v1"]
    assert ranking_of(env) == before
    env.extra["bad"] = result.version_id


def test_rollback_restores_the_previous_ranking_exactly(trained: ApiEnv) -> None:
    env = trained
    v1 = env.extra["v1"]
    first = ranking_of(env)
    log_rounds(env, rounds=1, seed=7, invert=True)  # the world changed: a new model ranks differently
    v2 = retrain_here(env, seed=1, tolerance=1.0).version_id
    assert v2 != v1
    second = ranking_of(env)
    assert second != first
    assert env.call("operator1", "post", "/api/v1/models/rollback").status_code == 403  # network: admins only
    r = env.call("admin", "post", "/api/v1/models/rollback")
    assert r.status_code == 200 and r.json["id"] == v1
    assert ranking_of(env) == first
    # and forward again, by id
    assert env.call("admin", "post", f"/api/v1/models/{v2}/promote").status_code == 200
    assert ranking_of(env) == second
    env.extra["v2"] = v2


def test_operators_choose_the_model_of_their_own_space(trained: ApiEnv) -> None:
    env = trained
    v1, v2 = env.extra["v1"], env.extra["v2"]
    s1, s2 = env.ids["space1"], env.ids["space2"]
    assert env.call("operator1", "get", f"/api/v1/spaces/{s1}/model").json["effective_version"] == v2
    other_before = env.call("founder2", "get", f"/api/v1/projects/{env.ids['project2']}/matches?kind=mentor").json
    r = env.call("operator1", "put", f"/api/v1/spaces/{s1}/model", json={"version_id": v1})
    assert r.status_code == 200 and r.json["effective_version"] == v1 and r.json["previous_version"] == v2
    assert env.call("founder1", "get", f"/api/v1/projects/{env.ids['project1']}/matches?kind=mentor").json[
        "model_version"] == v1
    other = env.call("founder2", "get", f"/api/v1/projects/{env.ids['project2']}/matches?kind=mentor").json
    assert other["model_version"] == other_before["model_version"] == v2  # the other space is untouched
    assert env.call("operator2", "put", f"/api/v1/spaces/{s1}/model", json={"version_id": v1}).status_code == 404
    assert env.call("founder1", "put", f"/api/v1/spaces/{s1}/model", json={"version_id": v1}).status_code == 403
    back = env.call("operator1", "post", f"/api/v1/spaces/{s1}/model/rollback")
    assert back.status_code == 200 and back.json["effective_version"] == v2 and back.json["pinned_version"] is None
    assert env.call("operator2", "post", f"/api/v1/spaces/{s2}/model/rollback").status_code == 409


def test_corrupt_artifact_is_refused_and_previous_keeps_serving(trained: ApiEnv) -> None:
    env = trained
    before = ranking_of(env)
    with env.app.app_context():
        row = db.reader.get(ModelVersion, env.extra["bad"])
        path = Path(row.manifest["kinds"]["mentor"]["artifact"])
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))
    r = env.call("admin", "post", f"/api/v1/models/{env.extra['bad']}/promote")
    assert r.status_code == 409 and "checksum" in r.json["detail"]
    assert ranking_of(env) == before
    # pinning it from the console's models page is refused the same way (it was a 500), and pins nothing
    import re

    console = console_operator(env, env.ids["space1"], "pin-corrupt@example.cn")
    page = console.get("/console/space/models").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    pinned = console.post("/console/space/models", data={"csrf_token": token[1], "action": "use",
                                                         "version": str(env.extra["bad"])})
    assert pinned.status_code == 409
    with env.app.app_context():
        assert db.reader.get(SpaceModel, env.ids["space1"]) is None or \
            db.reader.get(SpaceModel, env.ids["space1"]).model_version_id != env.extra["bad"]
    assert ranking_of(env) == before
    # and a rollback with no earlier choice is the API's 409 there too (one service behind both)
    assert env.call("operator1", "get", f"/api/v1/spaces/{env.ids['space1']}/model").json["previous_version"] is None
    assert console.post("/console/space/models", data={"csrf_token": token[1], "action": "rollback"}).status_code == 409
    assert env.call("operator1", "post", f"/api/v1/spaces/{env.ids['space1']}/model/rollback").status_code == 409
    # even if the database is forced to mark it serving, the process refuses it and keeps what it had
    with env.app.app_context():
        with db.factory() as session, session.begin():
            session.execute(training.update(ModelVersion).values(status="retired"))
            session.get(ModelVersion, env.extra["bad"]).status = "serving"
        with db.factory() as session:
            matching.engine.sync_model(session)
    assert ranking_of(env) == before
    with env.app.app_context():  # restore for the next tests
        with db.factory() as session, session.begin():
            training.promote_version(session, env.extra["v2"], None)


def test_kill_during_training_leaves_serving_intact(trained: ApiEnv) -> None:
    env = trained
    with env.app.app_context():
        with db.factory() as session, session.begin():
            job = Job(kind="retrain", status="queued", result={})
            session.add(job)
            session.flush()
            job_id = job.id
        versions_before = db.reader.scalar(select(func.count()).select_from(ModelVersion))
        serving_before = training.serving_version(db.reader).id
    before = ranking_of(env)
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "retrain", "--db", env.url, "--var",
                             env.app.config["VAR_DIR"], "--job", str(job_id), "--hold-seconds", "60"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            with env.app.app_context(), db.read_factory() as session:
                job = session.get(Job, job_id)
                if job.message.startswith("holding"):
                    break
            time.sleep(0.3)
        else:
            pytest.fail("training never reached the hold point")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with env.app.app_context():
        assert db.reader.scalar(select(func.count()).select_from(ModelVersion)) == versions_before
        assert training.serving_version(db.reader).id == serving_before
        job = db.session.get(Job, job_id)
        job.result = {"pid": proc.pid, "host": os.uname().nodename}
        db.session.commit()
        assert training.refresh_job(db.session, job).status == "failed"
    assert ranking_of(env) == before


def test_a_retrain_on_unchanged_logs_judges_its_twin_and_the_serving_model_alike(trained: ApiEnv) -> None:
    """The serving model's track records were fitted on every outcome, including the later slice the gate
    scores on; judged with those it would beat its own identical twin. Both are judged with records from
    the earlier slice, so on unchanged logs a deterministic retrain ties exactly."""
    env = trained  # last in this module: it changes which version serves
    first = retrain_here(env, seed=0, tolerance=1.0)  # whatever was serving, this run's models now serve
    assert first.status == "serving", first.report
    again = retrain_here(env, seed=0)
    for kind in ("mentor",):
        m = again.metrics[kind]
        assert m["candidate"]["ndcg@10"] == pytest.approx(m["serving"]["ndcg@10"], abs=1e-12), again.report
        assert m["candidate"]["ndcg@10"] != pytest.approx(m["weights_only"]["ndcg@10"], abs=1e-9)
