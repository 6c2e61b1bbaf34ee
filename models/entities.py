"""The domain tables. Profiles hold taxonomy codes (see ``matcher.taxonomy``); validation of those codes
happens where data enters (API schemas, importers, the seed generator), not here.

Candidates (mentors, investors, providers) with ``space_id`` NULL are network-wide; with a space they
are private to that space. Contact columns (``contact_*``) are private: the API reveals them only after
both sides of an introduction accepted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as text_clause
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import (
    Base,
    JsonType,
    UTCDateTime,
    flag,
    intpk,
    json_obj,
    str40,
    str200,
    tags,
    text,
    timestamp,
    utcnow,
)

CANDIDATE_KINDS = ("mentor", "investor", "provider")
PROFILE_KINDS = ("project", *CANDIDATE_KINDS)
ROLES = ("admin", "operator", "founder", "mentor", "investor", "provider")


class TimestampMixin:
    created_at: Mapped[timestamp]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ContactMixin:
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(40))


class Space(TimestampMixin, Base):
    """A 众创空间: the tenant."""

    __tablename__ = "spaces"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str200]
    city: Mapped[str40]
    description: Mapped[text] = mapped_column(default="")
    focus_industries: Mapped[tags]


class Project(TimestampMixin, ContactMixin, Base):
    """An incubated startup (入驻项目)."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("team_size >= 0", name="team_size_nonneg"),
        CheckConstraint("funding_sought >= 0", name="funding_nonneg"),
        Index("ix_projects_space_stage", "space_id", "stage"),
        Index("ux_projects_space_external_id", "space_id", "external_id", unique=True),
    )

    id: Mapped[intpk]
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    one_liner: Mapped[str] = mapped_column(String(500))
    needs_statement: Mapped[str] = mapped_column(String(1000), default="")
    description: Mapped[text] = mapped_column(default="")
    stage: Mapped[str40]
    round_sought: Mapped[str | None] = mapped_column(String(40))
    industries: Mapped[tags]
    needs: Mapped[tags]
    city: Mapped[str40]
    region: Mapped[str40]
    languages: Mapped[tags]
    team_size: Mapped[int] = mapped_column(Integer, default=1)
    funding_sought: Mapped[int] = mapped_column(BigInteger, default=0)  # CNY
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    dealflow_curated: Mapped[flag]
    active: Mapped[bool] = mapped_column(default=True)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # deleted, kept for its history
    external_id: Mapped[str | None] = mapped_column(String(100))  # the space's own key (re-imports update by it)
    # the growth record's headline: incubating | graduated | closed, and since when it is incubated here
    incubation_status: Mapped[str] = mapped_column(String(20), default="incubating", server_default="incubating")
    incubated_on: Mapped[dt.date | None] = mapped_column(Date)  # NULL: the day it was created

    space: Mapped[Space] = relationship(lazy="raise_on_sql")


class CandidateMixin(TimestampMixin, ContactMixin):
    id: Mapped[intpk]
    # NULL: network-wide; else private to the space.
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    industries: Mapped[tags]
    stages: Mapped[tags]
    languages: Mapped[tags]
    city: Mapped[str40]
    regions: Mapped[tags]  # where they serve: city codes, macro regions or "nationwide"
    active: Mapped[bool] = mapped_column(default=True)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # deleted, kept for its history
    external_id: Mapped[str | None] = mapped_column(String(100))  # the space's own key (re-imports update by it)


class Mentor(CandidateMixin, Base):
    """A 创业导师."""

    __tablename__ = "mentors"
    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity_nonneg"),
                      Index("ux_mentors_space_external_id", "space_id", "external_id", unique=True))

    mentor_type: Mapped[str40]
    title: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    expertise: Mapped[str] = mapped_column(String(500))
    offer: Mapped[str] = mapped_column(String(1000))
    bio: Mapped[text] = mapped_column(default="")
    serves: Mapped[tags]  # needs they can serve
    capacity: Mapped[int] = mapped_column(Integer, default=3)  # max active mentees


class Investor(CandidateMixin, Base):
    """An investor or investment institution."""

    __tablename__ = "investors"
    __table_args__ = (CheckConstraint("ticket_min <= ticket_max", name="ticket_range"),
                      Index("ux_investors_space_external_id", "space_id", "external_id", unique=True))

    kind: Mapped[str40]
    thesis: Mapped[str] = mapped_column(String(1000))
    description: Mapped[text] = mapped_column(default="")
    rounds: Mapped[tags]
    ticket_min: Mapped[int] = mapped_column(BigInteger)  # CNY
    ticket_max: Mapped[int] = mapped_column(BigInteger)  # CNY
    serves: Mapped[tags]  # needs beyond money they help with (usually ["financing"])
    capacity: Mapped[int | None] = mapped_column(Integer)  # open intros at once; NULL = unlimited

    portfolio: Mapped[list[PortfolioInvestment]] = relationship(
        back_populates="investor", cascade="all, delete-orphan", lazy="raise_on_sql"
    )


class PortfolioInvestment(Base):
    """A past investment of an investor (outside Huoban or through it)."""

    __tablename__ = "portfolio_investments"

    id: Mapped[intpk]
    investor_id: Mapped[int] = mapped_column(ForeignKey("investors.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"))
    company: Mapped[str200]
    round: Mapped[str40]
    industries: Mapped[tags]
    city: Mapped[str | None] = mapped_column(String(40))
    invested_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    # set when the row comes from a round recorded in a project's growth record (deleted with it)
    financing_round_id: Mapped[int | None] = mapped_column(ForeignKey("financing_rounds.id", ondelete="CASCADE"),
                                                           index=True)

    investor: Mapped[Investor] = relationship(back_populates="portfolio")


class Provider(CandidateMixin, Base):
    """A professional service provider (专业服务机构)."""

    __tablename__ = "providers"
    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity_nonneg"),
                      Index("ux_providers_space_external_id", "space_id", "external_id", unique=True))

    category: Mapped[str40]
    services: Mapped[str] = mapped_column(String(1000))
    description: Mapped[text] = mapped_column(default="")
    serves: Mapped[tags]
    price_tier: Mapped[str40]
    capacity: Mapped[int] = mapped_column(Integer, default=10)  # concurrent client projects


PROFILE_MODELS: dict[str, type[Any]] = {
    "project": Project,
    "mentor": Mentor,
    "investor": Investor,
    "provider": Provider,
}


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin','operator','founder','mentor','investor','provider')", name="role_known"
        ),
    )

    id: Mapped[intpk]
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    profile_kind: Mapped[str | None] = mapped_column(String(20))
    profile_id: Mapped[int | None] = mapped_column(Integer)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    notify_digest: Mapped[bool] = mapped_column(default=True, server_default=text_clause("true"))  # weekly digest


class ConsoleSession(Base):
    """A signed-in console session, so that signing out ends it on the server (a copied cookie stops working).
    Only a hash of the session's random token is stored."""

    __tablename__ = "console_sessions"

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[timestamp]
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ApiKey(Base):
    """An API key: ``hb_<prefix>_<secret>``; only the prefix (for lookup) and a hash are stored."""

    __tablename__ = "api_keys"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(24), unique=True)
    key_hash: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[timestamp]
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # None: until revoked

    user: Mapped[User] = relationship(lazy="joined")


class Impression(Base):
    """One candidate shown in one served list (the learning loop's denominator)."""

    __tablename__ = "match_impressions"
    __table_args__ = (
        # by project (a moved or deleted project takes its history along). Not (project, candidate): the
        # candidates of one list land all over a busy project's part of such an index, ~10 pages a list,
        # which was 72 % of the write-ahead log under load (bench.http); nothing looks impressions up by pair
        Index("ix_impressions_project", "project_id"),
        Index("ix_impressions_created", "created_at"),
        # the candidate statistics (recent impressions per candidate of one kind: api.engine.candidate_stats)
        # read only this index; rows arrive in time order, so each (kind, direction) appends at its own end
        Index("ix_impressions_kind_time", "candidate_kind", "direction", "created_at", "candidate_id"),
    )

    id: Mapped[intpk]
    request_id: Mapped[str] = mapped_column(String(36), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(20), default="matches")  # matches | dealflow
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    candidate_kind: Mapped[str] = mapped_column(String(20))
    candidate_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # 1-based
    score: Mapped[float] = mapped_column(Float)
    features: Mapped[json_obj]
    propensity: Mapped[float] = mapped_column(Float, default=1.0)
    explored: Mapped[flag]
    model_version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id", ondelete="SET NULL"))
    weight_set_id: Mapped[int | None] = mapped_column(ForeignKey("weight_sets.id", ondelete="SET NULL"))
    viewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]


class ImpressionRollup(Base):
    """What impressions older than the retention period said about one ranked profile, kept after those rows
    are deleted (``api.retention``): how often it was shown, and the outcome weights the learned model's track
    record is fitted on (the same weights :func:`matcher.learning.training_weights` gave those rows).

    ``model_kind`` is a model kind (mentor, investor, provider, or dealflow, whose ranked profiles are
    projects); ``entity_id`` the ranked profile. Deleting the profile deletes its rollup."""

    __tablename__ = "impression_rollups"

    model_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shown: Mapped[int] = mapped_column(BigInteger, default=0)  # impressions rolled up
    trained: Mapped[int] = mapped_column(BigInteger, default=0)  # ... of them, rows training would use
    good_weight: Mapped[float] = mapped_column(Float, default=0.0)  # sum of training weights of good outcomes
    other_weight: Mapped[float] = mapped_column(Float, default=0.0)  # ... of the other trained rows
    good_sq: Mapped[float] = mapped_column(Float, default=0.0)  # sums of those weights squared (their variance)
    other_sq: Mapped[float] = mapped_column(Float, default=0.0)
    first_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[timestamp]


ACTIVE_INTRO = "status IN ('pending', 'accepted') AND ended_at IS NULL"
INVESTED_EVENT = "type = 'invested'"


class IntroRequest(Base):
    """A double opt-in introduction between a project and a candidate.

    ``direction`` = "project" when the founder asked (the candidate must accept), "candidate" when the
    candidate (an investor from deal flow) asked (the founder must accept). Contacts are revealed only when
    ``status == "accepted"``: the requester's side accepts by asking, the target by accepting.
    """

    __tablename__ = "intro_requests"
    __table_args__ = (
        Index("ix_intros_candidate", "candidate_kind", "candidate_id", "status"),
        Index("ix_intros_project", "project_id", "status"),
        # what every served list reads first: a project's open or declined introductions of one kind
        # (api.services.matching.excluded_candidates). Without it SQLite's planner picked ix_intros_candidate
        # on the kind alone and read every introduction of that kind (migration 0013)
        Index("ix_intros_project_kind", "project_id", "candidate_kind", "status", "candidate_id"),
        # at most one open introduction per pair, even under concurrent requests
        Index("uq_intros_active_pair", "project_id", "candidate_kind", "candidate_id", unique=True,
              postgresql_where=text_clause(ACTIVE_INTRO), sqlite_where=text_clause(ACTIVE_INTRO)),
    )

    id: Mapped[intpk]
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    candidate_kind: Mapped[str] = mapped_column(String(20))
    candidate_id: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(20), default="project")
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending accepted declined expired
    message: Mapped[str] = mapped_column(Text, default="")
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    impression_id: Mapped[int | None] = mapped_column(ForeignKey("match_impressions.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # mentorship closed: frees capacity


class FeedbackEvent(Base):
    """What happened after a match: viewed, dismissed, requested, accepted, declined, met, rating, invested."""

    __tablename__ = "feedback_events"
    __table_args__ = (
        UniqueConstraint("actor_user_id", "event_id"),  # an event id is its sender's idempotency key
        Index("ix_feedback_pair", "project_id", "candidate_kind", "candidate_id"),
        Index("ix_feedback_occurred", "occurred_at"),
        # an introduction's events: the "rated once" check of every rating, and the SET NULL when an introduction
        # is deleted (without it both read every event of the actor, or of the table; migration 0013)
        Index("ix_feedback_intro", "intro_id"),
        # outcomes since the last model (every feedback POST when HUOBAN_RETRAIN_AFTER_EVENTS is set): a range of
        # this index alone, where it read the whole table; leading with the time, so that reads of one type over
        # the whole table (training, the reports) keep their cheaper scan (migration 0014)
        Index("ix_feedback_created_type", "created_at", "type"),
        # the investments reported as feedback (the deal log of every history refresh): few rows of a big table
        Index("ix_feedback_invested", "candidate_kind", "id", postgresql_where=text_clause(INVESTED_EVENT),
              sqlite_where=text_clause(INVESTED_EVENT)),
    )

    id: Mapped[intpk]
    event_id: Mapped[str] = mapped_column(String(64))  # client-supplied idempotency key
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    candidate_kind: Mapped[str] = mapped_column(String(20))
    candidate_id: Mapped[int] = mapped_column(Integer)
    impression_id: Mapped[int | None] = mapped_column(ForeignKey("match_impressions.id", ondelete="SET NULL"))
    intro_id: Mapped[int | None] = mapped_column(ForeignKey("intro_requests.id", ondelete="SET NULL"))
    rating: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    occurred_at: Mapped[timestamp]
    created_at: Mapped[timestamp]
    # credited to an impression that was rolled up (api.retention): counted in its rollup, never again
    rolled_up: Mapped[bool] = mapped_column(default=False, server_default=text_clause("false"))


class ModelVersion(Base):
    """A trained ranking model: artifact on disk, manifest and metrics here."""

    __tablename__ = "model_versions"

    id: Mapped[intpk]
    status: Mapped[str] = mapped_column(String(20), default="candidate")  # candidate serving retired failed
    artifact_path: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64))
    manifest: Mapped[json_obj]
    metrics: Mapped[json_obj]
    report: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[timestamp]
    promoted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class WeightSet(Base):
    """A versioned operator weight set for one candidate kind (space NULL: the network default)."""

    __tablename__ = "weight_sets"
    __table_args__ = (UniqueConstraint("space_id", "kind", "version"),)

    id: Mapped[intpk]
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    weights: Mapped[json_obj]
    options: Mapped[json_obj]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[intpk]
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(80))
    detail: Mapped[json_obj]
    created_at: Mapped[timestamp]


class Job(Base):
    """A background job (retraining): progress is polled through the API."""

    __tablename__ = "jobs"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued running succeeded failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[json_obj]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class IndexChange(Base):
    """Append-only log of profile changes; every serving process replays it into its in-memory index."""

    __tablename__ = "index_changes"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(20))  # project mentor investor provider
    entity_id: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))  # upsert delete
    created_at: Mapped[timestamp]


class SeedTruth(Base):
    """Hidden latent traits written by the seed generator for the feedback simulator.

    Never a profile column and never served by the API: ``seed_data.truth`` turns the payload into the
    ground-truth affinity of any project-candidate pair.
    """

    __tablename__ = "seed_truth"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[timestamp]


class SpaceModel(Base):
    """A space's own choice of serving model version (operators pin one; none: the network's serving one)."""

    __tablename__ = "space_models"

    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id", ondelete="CASCADE"))
    previous_version_id: Mapped[int | None] = mapped_column(Integer)
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[timestamp]


# Never reuse a deleted row's id on SQLite (keys, intros and logs may still name it).
for _table in Base.metadata.tables.values():
    if any(c.primary_key and c.autoincrement is not False and isinstance(c.type, Integer) and c.name == "id"
           for c in _table.columns):
        _table.dialect_options["sqlite"]["autoincrement"] = True


# -- growth records (成长档案) ---------------------------------------------------------------------------------
GROWTH_CATEGORIES = ("product", "customers", "revenue", "team", "award", "other")
INCUBATION_STATUSES = ("incubating", "graduated", "closed")


class Milestone(Base):
    """A dated step of a project: product, customers, revenue band, team, award..."""

    __tablename__ = "project_milestones"
    __table_args__ = (Index("ix_milestones_project", "project_id", "occurred_on"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str40]
    title: Mapped[str200]
    detail: Mapped[text] = mapped_column(default="")
    revenue_band: Mapped[str | None] = mapped_column(String(40))  # revenue: annual revenue band (REVENUE_BANDS)
    team_size: Mapped[int | None] = mapped_column(Integer)  # team: head count after the step
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]


class FinancingRound(Base):
    """A round a project actually closed; its Huoban investors get a portfolio row each."""

    __tablename__ = "financing_rounds"
    __table_args__ = (
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_nonneg"),
        Index("ix_rounds_space_closed", "space_id", "closed_on"),
    )

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    round: Mapped[str40]
    amount: Mapped[int | None] = mapped_column(BigInteger)  # CNY; NULL: undisclosed
    closed_on: Mapped[dt.date] = mapped_column(Date)
    investor_ids: Mapped[list[int]] = mapped_column(JsonType, default=list)  # Huoban investors in the round
    investor_names: Mapped[tags]  # others, by name
    notes: Mapped[text] = mapped_column(default="")
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]


class ProjectChange(Base):
    """The history of a project's stage and incubation status (who changed it, when, from what)."""

    __tablename__ = "project_changes"
    __table_args__ = (Index("ix_project_changes_space", "space_id", "field", "changed_on"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(20))  # stage | incubation_status
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str40]
    changed_on: Mapped[dt.date] = mapped_column(Date)  # the day it took effect (may be back-dated)
    note: Mapped[text] = mapped_column(default="")
    changed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]


# -- notifications ------------------------------------------------------------------------------------------
class Notification(Base):
    """The outbox: one message to one recipient, written in the transaction of the event that causes it and
    delivered later by the notifier (``api.notify``), at least once; ``key`` is its idempotency key (also
    the mail's Message-ID), so an event never queues a message twice and a receiver can drop a re-send."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "status", "next_attempt_at"),)

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    event: Mapped[str40]  # intro.requested intro.accepted intro.declined intro.expiring intro.expired digest.weekly
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[text]
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending sending sent dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[timestamp]
