"""Write a generated ecosystem into a database, in one transaction per call."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.orm import Session

from models import (
    ApiKey,
    AuditLog,
    Base,
    FeedbackEvent,
    FinancingRound,
    Impression,
    IndexChange,
    IntroRequest,
    Investor,
    Job,
    Mentor,
    Milestone,
    ModelVersion,
    PortfolioInvestment,
    Project,
    ProjectChange,
    Provider,
    SeedTruth,
    Space,
    User,
    WeightSet,
)
from seed_data.generator import EcosystemGenerator, SeedPlan
from seed_data.growth import seed_growth
from seed_data.truth import GroundTruth, Traits

_TABLES = {t.name: t for t in Base.metadata.sorted_tables}
# Delete order: children first.
_WIPE_ORDER = (FeedbackEvent, IntroRequest, Impression, AuditLog, WeightSet, ModelVersion, Job, ApiKey, User,
               IndexChange, PortfolioInvestment, Milestone, FinancingRound, ProjectChange, Project, Mentor, Investor,
               Provider, Space, SeedTruth)


class AlreadySeededError(RuntimeError):
    pass


@dataclass(frozen=True)
class SeedResult:
    plan: SeedPlan
    counts: dict[str, int]


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Space)) == 0


def wipe(session: Session) -> None:
    for model in _WIPE_ORDER:
        session.execute(delete(model))


def _reset_sequences(session: Session) -> None:
    """Explicit ids do not advance PostgreSQL sequences: move them past the seeded rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (Space, Project, Mentor, Investor, Provider, PortfolioInvestment):
        table = model.__tablename__
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))


def seed(
    session: Session,
    plan: SeedPlan,
    *,
    reset: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SeedResult:
    """Generate and insert the ecosystem of ``plan``. The caller commits (one transaction)."""
    if not is_empty(session):
        if not reset:
            raise AlreadySeededError("the database already holds data; pass --reset to wipe it and seed again")
        wipe(session)
    generator = EcosystemGenerator(plan)
    counts: dict[str, int] = {}
    for table_name, rows in generator.batches(progress):
        session.execute(insert(_TABLES[table_name]), rows)
        counts[table_name] = counts.get(table_name, 0) + len(rows)
    counts.update(seed_growth(session, plan.seed))
    meta = {"seed": plan.seed, "kinds": sorted(generator.traits)}
    session.add(SeedTruth(name="meta", payload=json.dumps(meta).encode()))
    for kind, traits in sorted(generator.traits.items()):
        session.add(SeedTruth(name=kind, payload=traits.to_bytes()))
    session.flush()
    _reset_sequences(session)
    return SeedResult(plan=plan, counts=counts)


def load_ground_truth(session: Session) -> GroundTruth:
    rows = {row.name: row.payload for row in session.scalars(select(SeedTruth))}
    if "meta" not in rows:
        raise LookupError("no ground truth in this database: it was not seeded by `huoban seed`")
    meta = json.loads(rows["meta"])
    traits = {kind: Traits.from_bytes(kind, rows[kind]) for kind in meta["kinds"]}
    return GroundTruth(seed=int(meta["seed"]), traits=traits)


def engine_is_seeded(engine: Engine) -> bool:
    with Session(engine) as session:
        return not is_empty(session)


__all__ = [
    "AlreadySeededError",
    "SeedResult",
    "engine_is_seeded",
    "is_empty",
    "load_ground_truth",
    "seed",
    "wipe",
]

