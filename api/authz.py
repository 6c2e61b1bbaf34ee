"""Authorisation: one set of rules for the API and the console.

Rules (a role may act only where the table says; an object the principal may not even see answers 404,
so existence never leaks across tenants; a visible object the role may not change answers 403):

=========  ==============================================================================================
admin      everything
operator   their space: its projects, its private candidates (network-wide ones read-only), weights,
           allocations, metrics, imports, deal-flow curation
founder    their project: read and edit it (not its curation), its matches, intros and feedback
investor   their profile, their deal flow (curated projects of spaces they may see), their intros
mentor     their profile, intros addressed to them and the projects behind those intros
provider   as mentor
=========  ==============================================================================================

Contacts (``contact_*``) are shown to admins, to the operator of the object's space (private candidates
and projects of that space), to the profile's owner, and to the counterpart of an accepted introduction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.problems import problem
from models import IntroRequest, Project, Space

CANDIDATE_ROLES = {"mentor": "mentor", "investor": "investor", "provider": "provider"}


def forbid(detail: str = "your role may not do this") -> Any:
    problem(403, detail)


def not_found(what: str = "resource") -> Any:
    problem(404, f"no such {what}")


def require_role(p: Principal, *roles: str) -> None:
    if p.role not in roles:
        forbid(f"this needs one of the roles: {', '.join(roles)}")


# -- spaces ---------------------------------------------------------------------------------------------
def space_visible(p: Principal, space_id: int) -> bool:
    return p.is_admin or p.space_id == space_id or (p.space_id is None and p.role in CANDIDATE_ROLES)


def manage_space(p: Principal, space_id: int) -> None:
    """Operator work on a space: 404 when it is not theirs, 403 for roles without operator rights."""
    if not space_visible(p, space_id):
        not_found("space")
    if not (p.is_admin or (p.role == "operator" and p.space_id == space_id)):
        forbid("only the space's operators (or an admin) may do this")


def spaces_query(p: Principal) -> Select[tuple[Space]]:
    q = select(Space)
    if p.is_admin or (p.space_id is None and p.role in CANDIDATE_ROLES):
        return q
    return q.where(Space.id == p.space_id)


# -- intros linking a principal to a project -----------------------------------------------------------
def _candidate_intro_exists(p: Principal, project_id: Any) -> Any:
    return exists().where(IntroRequest.project_id == project_id, IntroRequest.candidate_kind == p.profile_kind,
                          IntroRequest.candidate_id == p.profile_id)


def accepted_intro(session: Session, project_id: int, kind: str, candidate_id: int) -> bool:
    return session.scalar(select(exists().where(
        IntroRequest.project_id == project_id, IntroRequest.candidate_kind == kind,
        IntroRequest.candidate_id == candidate_id, IntroRequest.status == "accepted"))) or False


# -- projects -------------------------------------------------------------------------------------------
def projects_query(p: Principal, q: Select[Any] | None = None) -> Select[Any]:
    q = q if q is not None else select(Project)
    if p.is_admin:
        return q
    if p.role == "operator":
        return q.where(Project.space_id == p.space_id)
    if p.role == "founder":
        return q.where(Project.id == p.profile_id)
    if p.role == "investor":
        curated = Project.dealflow_curated.is_(True)
        visible = curated if p.space_id is None else (curated & (Project.space_id == p.space_id))
        return q.where(or_(visible, _candidate_intro_exists(p, Project.id)))
    if p.role in ("mentor", "provider"):
        return q.where(_candidate_intro_exists(p, Project.id))
    return q.where(False)


class ProjectRef(Protocol):
    """What visibility needs of a project: a :class:`~models.Project` or a row of these three columns."""

    @property
    def id(self) -> int: ...
    @property
    def space_id(self) -> int: ...
    @property
    def dealflow_curated(self) -> bool: ...


def project_visible(session: Session, p: Principal, project: ProjectRef) -> bool:
    if p.is_admin:
        return True
    if p.role == "operator":
        return project.space_id == p.space_id
    if p.role == "founder":
        return project.id == p.profile_id
    if p.role == "investor" and project.dealflow_curated and (p.space_id is None or p.space_id == project.space_id):
        return True
    if p.role in CANDIDATE_ROLES and p.profile_id is not None:
        return session.scalar(select(_candidate_intro_exists(p, project.id))) or False
    return False


def can_edit_project(p: Principal, project: Project) -> bool:
    return p.is_admin or (p.role == "operator" and p.space_id == project.space_id) or \
        (p.role == "founder" and p.profile_id == project.id)


def project_contacts_visible(session: Session, p: Principal, project: Project) -> bool:
    if p.is_admin or (p.role == "operator" and p.space_id == project.space_id) or p.owns("project", project.id):
        return True
    if p.role in CANDIDATE_ROLES and p.profile_id is not None:
        return accepted_intro(session, project.id, str(p.profile_kind), p.profile_id)
    return False


# -- candidates (mentors, investors, providers) ----------------------------------------------------------
def candidates_query(p: Principal, model: Any, q: Select[Any] | None = None) -> Select[Any]:
    """Network-wide candidates for everyone; private ones for their space; one's own profile always."""
    q = q if q is not None else select(model)
    if p.is_admin:
        return q
    conditions = [model.space_id.is_(None)]
    if p.space_id is not None:
        conditions.append(model.space_id == p.space_id)
    if p.profile_kind == _kind_of(model) and p.profile_id is not None:
        conditions.append(model.id == p.profile_id)
    return q.where(or_(*conditions))


def _kind_of(model: Any) -> str:
    return {"mentors": "mentor", "investors": "investor", "providers": "provider"}[model.__tablename__]


def candidate_visible(p: Principal, kind: str, candidate: Any) -> bool:
    return p.is_admin or candidate.space_id is None or candidate.space_id == p.space_id or p.owns(kind, candidate.id)


def can_edit_candidate(p: Principal, kind: str, candidate: Any) -> bool:
    if p.is_admin or p.owns(kind, candidate.id):
        return True
    return p.role == "operator" and candidate.space_id is not None and candidate.space_id == p.space_id


def candidate_contacts_visible(session: Session, p: Principal, kind: str, candidate: Any) -> bool:
    if p.is_admin or p.owns(kind, candidate.id):
        return True
    if p.role == "operator" and candidate.space_id is not None and candidate.space_id == p.space_id:
        return True
    if p.role == "founder" and p.profile_id is not None:
        return accepted_intro(session, p.profile_id, kind, candidate.id)
    return False


def can_create_candidate(p: Principal, space_id: int | None) -> None:
    if p.is_admin:
        return
    if p.role == "operator":
        if space_id != p.space_id:
            forbid("operators create candidates private to their own space (space_id = your space)")
        return
    forbid("only operators and admins create candidate profiles")


# -- intros -------------------------------------------------------------------------------------------
def intro_party(p: Principal, intro: IntroRequest) -> str | None:
    """'project', 'candidate', 'operator', 'admin' or None (not a party: the intro is invisible)."""
    if p.is_admin:
        return "admin"
    if p.role == "operator" and p.space_id == intro.space_id:
        return "operator"
    if p.role == "founder" and p.profile_id == intro.project_id:
        return "project"
    if p.profile_kind == intro.candidate_kind and p.profile_id == intro.candidate_id:
        return "candidate"
    return None


def intros_query(p: Principal, q: Select[Any] | None = None) -> Select[Any]:
    q = q if q is not None else select(IntroRequest)
    if p.is_admin:
        return q
    if p.role == "operator":
        return q.where(IntroRequest.space_id == p.space_id)
    if p.role == "founder":
        return q.where(IntroRequest.project_id == p.profile_id)
    if p.role in CANDIDATE_ROLES:
        return q.where(IntroRequest.candidate_kind == p.profile_kind, IntroRequest.candidate_id == p.profile_id)
    return q.where(False)


def spaces_of(p: Principal) -> Iterable[int] | None:
    """Space ids the principal is confined to (None: not confined)."""
    if p.is_admin or p.space_id is None:
        return None
    return [p.space_id]
