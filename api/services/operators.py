"""Operator tools: versioned weight sets with an audit trail, preview of a weight change, cohort
allocation and the space's outcome metrics."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections import Counter, defaultdict
from typing import Any

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.engine import CANDIDATE_MODELS
from api.extensions import matching
from api.problems import problem
from api.services.matching import current_weights, excluded_candidates, excluded_projects, require_ready
from matcher import WeightSet
from matcher.cohort import allocate_cohort
from matcher.errors import ConfigError
from matcher.learning import LoggedList, blended_scores, features_matrix, label_from_events, replay
from matcher.metrics import gini
from models import AuditLog, FeedbackEvent, Impression, IntroRequest, Mentor, Project
from models import WeightSet as WeightSetRow


def weights_out(ws: WeightSet, space_id: int | None, row: WeightSetRow | None = None) -> dict[str, Any]:
    return {
        "space_id": space_id if row is None else row.space_id, "kind": ws.kind, "version": ws.version,
        "weights": dict(ws.weights), "diversity": ws.diversity, "comment": row.comment if row else "",
        "created_at": row.created_at if row else None,
        "created_by_user_id": row.created_by_user_id if row else None,
    }


def get_weights(session: Session, space_id: int, kind: str) -> dict[str, Any]:
    ws = current_weights(session, space_id, kind)
    row = session.get(WeightSetRow, ws.id) if ws.id is not None else None
    return weights_out(ws, space_id, row)


def history(session: Session, space_id: int, kind: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(WeightSetRow).where(WeightSetRow.space_id == space_id, WeightSetRow.kind == kind)
                           .order_by(WeightSetRow.version.desc())).all()
    return [weights_out(WeightSet.parse(kind, r.weights, diversity=float(r.options.get("diversity", 0.0)),
                                        version=r.version, id=r.id), space_id, r) for r in rows]


def proposed(session: Session, space_id: int, kind: str, data: dict[str, Any]) -> WeightSet:
    base = current_weights(session, space_id, kind)
    try:
        return WeightSet.parse(kind, {**base.weights, **data["weights"]},
                               diversity=data.get("diversity", base.diversity))
    except ConfigError as exc:
        problem(422, str(exc), errors=[{"location": "json", "field": "weights", "message": str(exc)}])


def put_weights(session: Session, p: Principal, space_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    before = current_weights(session, space_id, kind)
    new = proposed(session, space_id, kind, data)
    last = session.scalar(select(func.max(WeightSetRow.version)).where(
        WeightSetRow.space_id == space_id, WeightSetRow.kind == kind)) or 0
    row = WeightSetRow(space_id=space_id, kind=kind, version=int(last) + 1, weights=dict(new.weights),
                       options={"diversity": new.diversity}, comment=data.get("comment", ""),
                       created_by_user_id=p.user_id)
    session.add(row)
    session.flush()
    changed = {name: [before.weights.get(name), value] for name, value in new.weights.items()
               if before.weights.get(name) != value}
    if before.diversity != new.diversity:
        changed["diversity"] = [before.diversity, new.diversity]
    session.add(AuditLog(space_id=space_id, actor_user_id=p.user_id, action="weights.update",
                         object_type="weight_set", object_id=f"{kind}:v{row.version}",
                         detail={"kind": kind, "version": row.version, "previous_version": before.version,
                                 "changed": changed, "comment": row.comment}))
    session.commit()
    return weights_out(WeightSet.parse(kind, row.weights, diversity=new.diversity, version=row.version, id=row.id),
                       space_id, row)


def audit(session: Session, space_id: int, limit: int = 100) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditLog).where(AuditLog.space_id == space_id)
                           .order_by(AuditLog.id.desc()).limit(limit)).all()
    return [{"id": r.id, "action": r.action, "object_type": r.object_type, "object_id": r.object_id,
             "actor_user_id": r.actor_user_id, "detail": r.detail, "created_at": r.created_at} for r in rows]


# -- preview --------------------------------------------------------------------------------------------
def logged_lists(session: Session, space_id: int, kind: str, direction: str, limit: int = 2000) -> list[LoggedList]:
    """The space's most recent served lists of this kind with their outcomes (for replay)."""
    request_ids = session.scalars(
        select(Impression.request_id).where(Impression.space_id == space_id, Impression.candidate_kind == kind,
                                            Impression.direction == direction)
        .group_by(Impression.request_id).order_by(func.max(Impression.id).desc()).limit(limit)).all()
    if not request_ids:
        return []
    imps = session.scalars(select(Impression).where(Impression.request_id.in_(request_ids))
                           .order_by(Impression.request_id, Impression.position)).all()
    pairs = {(i.project_id, i.candidate_id) for i in imps}
    events: dict[tuple[int, int], list[tuple[str, int | None]]] = defaultdict(list)
    if pairs:
        project_ids = sorted({p for p, _ in pairs})
        for ev in session.scalars(select(FeedbackEvent).where(
                FeedbackEvent.candidate_kind == kind, FeedbackEvent.project_id.in_(project_ids))):
            if (ev.project_id, ev.candidate_id) in pairs:
                events[(ev.project_id, ev.candidate_id)].append((ev.type, ev.rating))
    grouped: dict[str, list[Impression]] = defaultdict(list)
    for imp in imps:
        grouped[imp.request_id].append(imp)
    out = []
    for group in grouped.values():
        gains = np.array([label_from_events(events.get((i.project_id, i.candidate_id), [])) for i in group])
        out.append(LoggedList(features=features_matrix([i.features for i in group]), gains=gains,
                              positions=np.array([i.position for i in group]),
                              propensities=np.array([i.propensity for i in group]),
                              candidates=np.array([i.project_id if direction == "dealflow" else i.candidate_id
                                                   for i in group], dtype=np.int64)))
    return out


def preview(session: Session, space_id: int, kind: str, data: dict[str, Any], sample_size: int) -> dict[str, Any]:
    engine = matching.engine
    require_ready()
    engine.apply_changes(session)
    state = engine.state
    current = current_weights(session, space_id, kind)
    new = proposed(session, space_id, kind, data)
    k = int(data.get("k", 10))
    direction = "dealflow" if kind == "dealflow" else "matches"
    cand_kind = "investor" if kind == "dealflow" else kind
    learned = state.learned_for(space_id)[0].get(kind)
    if direction == "matches":
        ids = data.get("project_ids") or session.scalars(
            select(Project.id).where(Project.space_id == space_id, Project.active.is_(True))
            .order_by(Project.id).limit(sample_size)).all()
        owned = set(session.scalars(select(Project.id).where(Project.space_id == space_id, Project.id.in_(ids))))
    else:
        model = CANDIDATE_MODELS["investor"]
        visible = select(model.id).where(or_(model.space_id.is_(None), model.space_id == space_id))
        ids = data.get("project_ids") or session.scalars(
            visible.where(model.active.is_(True)).order_by(model.id).limit(sample_size)).all()
        owned = set(session.scalars(visible.where(model.id.in_(ids))))
    unknown = [i for i in ids if i not in owned]
    if unknown:
        problem(404, f"not in this space: {unknown[:5]}")
    other_space_projects = list(session.scalars(select(Project.id).where(Project.space_id != space_id))) \
        if direction == "dealflow" else []
    projects = []
    overlaps: list[float] = []
    shifts: list[float] = []
    query_table = state.tables["project" if direction == "matches" else "investor"]
    pool = state.tables[cand_kind if direction == "matches" else "project"]
    for qid in ids:
        if qid not in query_table:
            continue
        if direction == "matches":
            exclude = excluded_candidates(session, qid, cand_kind)
        else:  # deal flow of this space's projects only
            exclude = excluded_projects(session, qid) + other_space_projects
        history = state.history_for(space_id) if cand_kind == "investor" else None
        before = state.matcher.rank(kind=cand_kind, query_id=qid, weights=current, k=k, direction=direction,
                                    exclude=exclude, learned=learned, explain=False, history=history,
                                    now=engine.clock())
        after = state.matcher.rank(kind=cand_kind, query_id=qid, weights=new, k=k, direction=direction,
                                   exclude=exclude, learned=learned, explain=False, history=history,
                                   now=engine.clock())
        b_ids = [m.id for m in before.matches]
        a_ids = [m.id for m in after.matches]
        moves = []
        for cid in dict.fromkeys(b_ids + a_ids):
            b = b_ids.index(cid) + 1 if cid in b_ids else None
            a = a_ids.index(cid) + 1 if cid in a_ids else None
            if a != b:
                moves.append({"id": cid, "name": pool.profile(cid).name, "before": b, "after": a})
            if a is not None and b is not None:
                shifts.append(abs(a - b))
        overlap = len(set(a_ids) & set(b_ids)) / max(len(b_ids), 1)
        overlaps.append(overlap)
        projects.append({"project_id": qid, "project_name": query_table.profile(qid).name, "current": b_ids,
                         "proposed": a_ids, "overlap": overlap, "moves": moves})
    lists = logged_lists(session, space_id, cand_kind, direction)
    w_now = np.asarray(current.vector(), dtype=np.float32)
    w_new = np.asarray(new.vector(), dtype=np.float32)

    def scores(w: np.ndarray, wl: float) -> list[np.ndarray]:
        return blended_scores(lists, w, wl, learned)

    offline_now = replay(lists, scores(w_now, float(current.weights.get("learned", 0))), k=k)
    offline_new = replay(lists, scores(w_new, float(new.weights.get("learned", 0))), k=k)
    return {
        "kind": kind, "k": k, "projects": projects,
        "mean_overlap": float(np.mean(overlaps)) if overlaps else 1.0,
        "mean_rank_shift": float(np.mean(shifts)) if shifts else 0.0,
        "offline": {"lists": int(offline_now.pop("lists")), "current": offline_now,
                    "proposed": {k_: v for k_, v in offline_new.items() if k_ != "lists"}},
    }


# -- allocation -----------------------------------------------------------------------------------------
def allocation(session: Session, p: Principal, space_id: int, data: dict[str, Any]) -> dict[str, Any]:
    engine = matching.engine
    require_ready()
    engine.apply_changes(session, force=True)
    state = engine.state
    kind = data["kind"]
    model = CANDIDATE_MODELS[kind]
    if data.get("project_ids"):
        ids = list(dict.fromkeys(data["project_ids"]))
        found = set(session.scalars(select(Project.id).where(Project.space_id == space_id, Project.id.in_(ids))))
        if len(found) != len(ids):
            problem(404, f"not projects of this space: {sorted(set(ids) - found)[:5]}")
    else:
        ids = list(session.scalars(select(Project.id).where(Project.space_id == space_id, Project.active.is_(True))
                                   .order_by(Project.id)))
    visible = set(session.scalars(select(model.id).where(or_(model.space_id.is_(None), model.space_id == space_id))))
    if data.get("candidate_ids"):
        wanted = list(dict.fromkeys(data["candidate_ids"]))
        missing = [c for c in wanted if c not in visible]
        if missing:
            problem(404, f"not {kind}s this space may use: {missing[:5]}")
        candidates = wanted
    else:
        candidates = sorted(visible)
    pool = state.tables[kind]
    candidates = [c for c in candidates if c in pool]
    ids = [i for i in ids if i in state.tables["project"]]
    weights = current_weights(session, space_id, kind)
    started = time.perf_counter()
    result, edges = allocate_cohort(state.matcher, kind=kind, project_ids=ids, weights=weights,
                                    per_project=data["per_project"], cover=data["cover"],
                                    candidates_per_project=data["candidates_per_project"], candidate_ids=candidates,
                                    learned=state.learned_for(space_id)[0].get(kind),
                                    history=state.history_for(space_id) if kind == "investor" else None,
                                    now=engine.clock())
    seconds = time.perf_counter() - started
    projects = state.tables["project"]
    pairs = [{"project_id": pid, "project_name": projects.profile(pid).name, "candidate_id": cid,
              "candidate_name": pool.profile(cid).name, "score": edges[(pid, cid)]} for pid, cid in result.pairs]
    session.add(AuditLog(space_id=space_id, actor_user_id=p.user_id, action="allocation.run",
                         object_type="allocation", object_id=kind,
                         detail={"projects": len(ids), "assigned": len(pairs), "total_score": result.total_score,
                                 "per_project": data["per_project"], "cover": data["cover"]}))
    session.commit()
    return {"kind": kind, "pairs": pairs, "total_score": result.total_score, "unassigned": result.unassigned,
            "load": {str(k_): v for k_, v in result.load.items()}, "capacity_violations": result.capacity_violations,
            "seconds": round(seconds, 3)}


def allocation_intros(session: Session, p: Principal, space_id: int, data: dict[str, Any],
                      expiry_days: int) -> dict[str, Any]:
    """Turn an allocation's pairs into introduction requests from the projects' side, each in its own
    savepoint: a pair that cannot be asked for (already asked, no capacity left, inactive, not this space's
    project) is skipped with the reason and the rest go ahead. A dry run rolls everything back."""
    from apiflask import HTTPError

    from api.services import intros as intro_svc

    out: list[dict[str, Any]] = []
    projects = set(session.scalars(select(Project.id).where(
        Project.space_id == space_id, Project.id.in_({x["project_id"] for x in data["pairs"]}))))
    for pair in data["pairs"]:
        row = {"project_id": pair["project_id"], "candidate_id": pair["candidate_id"], "intro_id": None,
               "skipped": None}
        if pair["project_id"] not in projects:
            row["skipped"] = "not a project of this space"
            out.append(row)
            continue
        try:
            with session.begin_nested():
                intro = intro_svc.create(session, p, {"project_id": pair["project_id"], "candidate_kind": data["kind"],
                                                       "candidate_id": pair["candidate_id"],
                                                       "message": data.get("message", "")}, expiry_days)
                row["intro_id"] = intro.id
        except HTTPError as err:
            row["skipped"] = str(err.message)
        out.append(row)
    created = sum(1 for r in out if r["intro_id"] is not None)
    if data.get("dry_run"):
        session.rollback()
        for r in out:
            r["intro_id"] = None
    else:
        session.add(AuditLog(space_id=space_id, actor_user_id=p.user_id, action="allocation.intros",
                             object_type="allocation", object_id=data["kind"],
                             detail={"created": created, "skipped": len(out) - created}))
        session.commit()
    return {"dry_run": bool(data.get("dry_run")), "created": created, "skipped": len(out) - created, "pairs": out}


# -- metrics --------------------------------------------------------------------------------------------
def metrics(session: Session, space_id: int, since: dt.date | None) -> dict[str, Any]:
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
    projects = session.scalars(select(Project).where(Project.space_id == space_id)).all()
    active_projects = [p for p in projects if p.active]
    q = select(IntroRequest).where(IntroRequest.space_id == space_id)
    if start:
        q = q.where(IntroRequest.created_at >= start)
    intros = session.scalars(q).all()
    status = Counter("ended" if i.ended_at else i.status for i in intros)
    decided = [i for i in intros if i.status in ("accepted", "declined", "expired")]
    accepted = [i for i in intros if i.status == "accepted"]
    hours = [(i.decided_at - i.created_at).total_seconds() / 3600 for i in accepted if i.decided_at]
    ev_q = select(FeedbackEvent).where(FeedbackEvent.space_id == space_id, FeedbackEvent.type.in_(
        ("invested", "met", "rating")))
    if start:
        ev_q = ev_q.where(FeedbackEvent.occurred_at >= start)
    events = session.scalars(ev_q).all()
    invested_projects = {e.project_id for e in events if e.type == "invested"}
    financing = [p for p in projects if "financing" in p.needs]
    with_accept = {i.project_id for i in accepted}
    # mentor load: accepted, ongoing intros of this space's projects, over mentors the space may use
    mentors = session.scalars(select(Mentor).where(or_(Mentor.space_id.is_(None), Mentor.space_id == space_id),
                                                   Mentor.active.is_(True))).all()
    load = Counter(i.candidate_id for i in accepted if i.candidate_kind == "mentor" and i.ended_at is None)
    per_mentor_accept = Counter(i.candidate_id for i in accepted if i.candidate_kind == "mentor")
    met = Counter(e.candidate_id for e in events if e.type == "met" and e.candidate_kind == "mentor")
    ratings: dict[int, list[int]] = defaultdict(list)
    for e in events:
        if e.type == "rating" and e.candidate_kind == "mentor" and e.rating is not None:
            ratings[e.candidate_id].append(e.rating)
    invested_by_mentor = Counter()  # projects of a mentor's accepted intros that were later invested
    for i in accepted:
        if i.candidate_kind == "mentor" and i.project_id in invested_projects:
            invested_by_mentor[i.candidate_id] += 1
    histogram = Counter(load.get(m.id, 0) for m in mentors)
    mentor_rows = sorted(
        ({"mentor_id": m.id, "name": m.name, "load": load.get(m.id, 0), "capacity": m.capacity,
          "accepted": per_mentor_accept.get(m.id, 0), "met": met.get(m.id, 0),
          "mean_rating": round(statistics.mean(ratings[m.id]), 2) if ratings.get(m.id) else None,
          "invested": invested_by_mentor.get(m.id, 0)} for m in mentors if per_mentor_accept.get(m.id)),
        key=lambda r: (-r["accepted"], r["mentor_id"]))[:50]
    weekly: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in intros:
        iso = i.created_at.isocalendar()
        key = f"{iso[0]}-W{iso[1]:02d}"
        weekly[key][0] += 1
        weekly[key][1] += i.status == "accepted"
    series = [{"period": k, "requested": v[0], "accepted": v[1], "rate": v[1] / v[0] if v[0] else None}
              for k, v in sorted(weekly.items())]
    return {
        "space_id": space_id, "projects": len(projects), "intros": dict(status),
        "intro_acceptance": len(accepted) / len(decided) if decided else None,
        "median_hours_to_accept": round(statistics.median(hours), 2) if hours else None,
        "financing_conversion": len(invested_projects & {p.id for p in financing}) / len(financing)
        if financing else None,
        "financing_projects": len(financing), "invested_projects": len(invested_projects),
        "coverage": len(with_accept & {p.id for p in active_projects}) / len(active_projects)
        if active_projects else None,
        "projects_without_accepted_intro": sorted(p.id for p in active_projects if p.id not in with_accept)[:500],
        "mentor_load": {str(k): v for k, v in sorted(histogram.items())},
        "mentor_load_gini": gini([load.get(m.id, 0) for m in mentors]),
        "mentors": mentor_rows, "acceptance_over_time": series,
    }
