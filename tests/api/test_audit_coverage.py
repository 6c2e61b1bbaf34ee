"""Every write staff can make lands in the audit log: who (the user, or NULL for the CLI and the system), what
(the action), on what (the target) and when.

One test walks a table of writes, each through its real entry point (the API, the console, the ``huoban``
command through click's CliRunner), and after each looks for its entry among those the write added. A write
that leaves none is named in the failure, with the entries it did leave.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select

from api.cli import cli
from models import ApiKey, AuditLog, ModelVersion, Project, User, WeightSet
from models.db import make_engine, make_session_factory, session_scope
from tests.api.conftest import ApiEnv, console_operator

MENTOR_SHEET = ("导师编号,姓名,导师类型,专长,可提供的帮助,可服务需求,服务阶段,所在城市,容量\n"
                "{ref}-1,周明远,技术专家,机器视觉,评审检测方案,研发设计,种子期,济南,2\n"
                "{ref}-2,陈晓,资深管理者,大客户销售,梳理销售路径,销售渠道,初创期,青岛,3\n")


@dataclass(frozen=True)
class Entry:
    """The audit entry a write must leave: its actor (None: the CLI), action, target and detail keys."""

    actor: int | None
    action: str
    object_type: str
    object_id: Any
    detail_keys: tuple[str, ...] = ()

    def found_in(self, rows: list[AuditLog]) -> bool:
        return any(r.action == self.action and r.object_type == self.object_type
                   and r.actor_user_id == self.actor and r.created_at is not None
                   and r.object_id == str(self.object_id)
                   and all(k in (r.detail or {}) for k in self.detail_keys) for r in rows)


class Staff:
    """The entry points and the people behind them, with what earlier writes made (ids, keys)."""

    def __init__(self, env: ApiEnv, tmp_path: Path) -> None:
        self.env, self.tmp = env, tmp_path
        self.s1 = env.ids["space1"]
        self.engine = make_engine(env.url)
        self.made: dict[str, Any] = {}
        self.admin = self.key_user(env.keys["admin"])
        self.operator = self.key_user(env.keys["operator1"])
        self.console = console_operator(env, self.s1, "audit-console@example.com")
        self.console_user = self.scalar(select(User.id).where(User.email == "audit-console@example.com"))
        self.token = self.csrf()

    # -- reading ------------------------------------------------------------------------------------------
    def scalar(self, query: Any) -> Any:
        with make_session_factory(self.engine)() as session:
            return session.scalar(query)

    def key_user(self, key: str) -> int:
        return int(self.scalar(select(ApiKey.user_id).where(ApiKey.prefix == key.split("_")[1])))

    def key_id(self, key: str) -> int:
        return int(self.scalar(select(ApiKey.id).where(ApiKey.prefix == key.split("_")[1])))

    def last_audit_id(self) -> int:
        return int(self.scalar(select(func.coalesce(func.max(AuditLog.id), 0))))

    def audit_since(self, mark: int) -> list[AuditLog]:
        with make_session_factory(self.engine)() as session:
            rows = list(session.scalars(select(AuditLog).where(AuditLog.id > mark).order_by(AuditLog.id)))
            session.expunge_all()
            return rows

    # -- writing ------------------------------------------------------------------------------------------
    def api(self, who: str, method: str, path: str, status: int = 200, **kw: Any) -> Any:
        r = self.env.call(who, method, path, **kw)
        assert r.status_code == status, (method, path, r.status_code, r.get_json(silent=True))
        return r.get_json(silent=True)

    def csrf(self) -> str:
        html = self.console.get("/console/space/weights").get_data(as_text=True)
        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert found is not None
        return found.group(1)

    def post_console(self, path: str, data: dict[str, Any] | None = None, status: int = 302, **kw: Any) -> Any:
        r = self.console.post(path, data={**(data or {}), "csrf_token": self.token}, **kw)
        assert r.status_code == status, (path, r.status_code, r.get_data(as_text=True)[:500])
        return r

    def huoban(self, *args: str) -> str:
        result = CliRunner().invoke(cli, [*args, "--db", self.env.url], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        return result.stdout

    def sheet(self, ref: str) -> bytes:
        return MENTOR_SHEET.format(ref=ref).encode("gbk")

    def user_with_email(self, email: str) -> int:
        from api.accounts import resolve_user

        with session_scope(make_session_factory(self.engine)) as session:
            return int(resolve_user(session, role="operator", space_id=self.s1, email=email, name=email).id)


# -- the writes ---------------------------------------------------------------------------------------------
PROFILES = {
    "project": {"name": "审计项目", "one_liner": "审计", "stage": "seed", "industries": ["ai"], "city": "shenzhen"},
    "mentor": {"name": "审计导师", "mentor_type": "entrepreneur", "expertise": "人工智能", "offer": "融资辅导",
               "serves": ["financing"], "stages": ["seed"], "city": "shenzhen"},
    "investor": {"name": "审计投资人", "kind": "angel", "thesis": "早期硬科技", "rounds": ["seed"],
                 "ticket_min": 100_000, "ticket_max": 1_000_000, "stages": ["seed"], "city": "shenzhen"},
    "provider": {"name": "审计服务商", "category": "legal", "services": "公司法务", "serves": ["legal"],
                 "stages": ["seed"], "city": "shenzhen"},
}


def profile_writes(kind: str) -> list[tuple[str, Callable[[Staff], Entry]]]:
    plural = f"/api/v1/{kind}s"

    def create(st: Staff) -> Entry:
        row = st.api("operator1", "post", plural, 201, json={**PROFILES[kind], "space_id": st.s1})
        st.made[kind] = row["id"]
        return Entry(st.operator, f"{kind}.create", kind, row["id"])

    def update(st: Staff) -> Entry:
        st.api("operator1", "patch", f"{plural}/{st.made[kind]}", json={"name": f"{PROFILES[kind]['name']}（改）"})
        return Entry(st.operator, f"{kind}.update", kind, st.made[kind], ("changes",))

    def delete(st: Staff) -> Entry:
        st.api("operator1", "delete", f"{plural}/{st.made[kind]}", 204)
        return Entry(st.operator, f"{kind}.delete", kind, st.made[kind])

    return [(f"API {kind} create", create), (f"API {kind} update", update), (f"API {kind} delete", delete)]


def api_import(st: Staff) -> Entry:
    body = st.env.client().post(f"/api/v1/spaces/{st.s1}/import", headers=st.env.headers("operator1"),
                                data={"kind": "mentor", "file": (io.BytesIO(st.sheet("AUD-API")), "导师.csv")},
                                content_type="multipart/form-data")
    assert body.status_code == 201, body.json
    return Entry(st.operator, "import.run", "mentor", "2 created, 0 updated", ("file",))


def console_import(st: Staff) -> Entry:
    st.post_console("/console/space/import", {"kind": "mentor", "file": (io.BytesIO(st.sheet("AUD-CON")), "m.csv")},
                    200, content_type="multipart/form-data")
    return Entry(st.console_user, "import.run", "mentor", "2 created, 0 updated", ("file",))


def cli_import(st: Staff) -> Entry:
    path = st.tmp / "导师.csv"
    path.write_bytes(st.sheet("AUD-CLI"))
    st.huoban("import", str(path), "--kind", "mentor", "--space", str(st.s1))
    return Entry(None, "import.run", "mentor", "2 created, 0 updated", ("file",))


def console_curation(st: Staff) -> Entry:
    pid = st.env.ids["project1b"]
    curated = bool(st.scalar(select(Project.dealflow_curated).where(Project.id == pid)))
    st.post_console("/console/space/dealflow", {"project_id": str(pid), "curated": "0" if curated else "1"})
    return Entry(st.console_user, "project.curate", "project", pid, ("changes",))


def api_weights(st: Staff) -> Entry:
    out = st.api("operator1", "put", f"/api/v1/spaces/{st.s1}/weights/mentor", json={"weights": {"sem_need": 0.31}})
    return Entry(st.operator, "weights.update", "weight_set", f"mentor:v{out['version']}", ("changed",))


def console_weights(st: Staff) -> Entry:
    st.post_console("/console/space/weights/investor", {"sem_need": "0.29", "diversity": "0.1"})
    version = st.scalar(select(func.max(WeightSet.version)).where(WeightSet.space_id == st.s1,
                                                                  WeightSet.kind == "investor"))
    return Entry(st.console_user, "weights.update", "weight_set", f"investor:v{version}", ("changed",))


def api_allocation(st: Staff) -> Entry:
    out = st.api("operator1", "post", f"/api/v1/spaces/{st.s1}/allocations",
                 json={"kind": "provider", "cover": True, "candidates_per_project": 20})
    st.made["pairs"] = [{"project_id": p["project_id"], "candidate_id": p["candidate_id"]} for p in out["pairs"]]
    assert len(st.made["pairs"]) >= 2
    return Entry(st.operator, "allocation.run", "allocation", "provider")


def api_allocation_intros(st: Staff) -> Entry:
    out = st.api("operator1", "post", f"/api/v1/spaces/{st.s1}/allocations/intros",
                 json={"kind": "provider", "pairs": st.made["pairs"][:1], "message": "审计"})
    assert out["created"] == 1, out
    return Entry(st.operator, "allocation.intros", "allocation", "provider", ("created",))


def console_allocation(st: Staff) -> Entry:
    st.post_console("/console/space/allocation", {"kind": "provider", "per_project": "1", "cover": "1"}, 200)
    return Entry(st.console_user, "allocation.run", "allocation", "provider")


def console_allocation_intros(st: Staff) -> Entry:
    pair = st.made["pairs"][1]
    st.post_console("/console/space/allocation/intros",
                    {"kind": "provider", "pair": f"{pair['project_id']}:{pair['candidate_id']}", "action": "create"},
                    200)
    return Entry(st.console_user, "allocation.intros", "allocation", "provider", ("created",))


def api_key_create(st: Staff) -> Entry:
    out = st.api("operator1", "post", f"/api/v1/spaces/{st.s1}/keys", 201, json={"role": "operator", "name": "aud"})
    st.made["api_key"] = out["item"]["id"]
    return Entry(st.operator, "key.create", "api_key", out["item"]["id"], ("role", "user_id"))


def api_key_rotate(st: Staff) -> Entry:
    out = st.api("operator1", "post", f"/api/v1/spaces/{st.s1}/keys/{st.made['api_key']}/rotate", 201, json={})
    old, st.made["api_key"] = st.made["api_key"], out["item"]["id"]
    return Entry(st.operator, "key.rotate", "api_key", old, ("new_key_id",))


def api_key_revoke(st: Staff) -> Entry:
    st.api("operator1", "post", f"/api/v1/spaces/{st.s1}/keys/{st.made['api_key']}/revoke")
    return Entry(st.operator, "key.revoke", "api_key", st.made["api_key"])


def console_key_create(st: Staff) -> Entry:
    r = st.post_console("/console/space/access/keys", {"role": "operator", "name": "aud-console"}, 200)
    key = re.search(r'<code class="secret">(hb_[^<]+)</code>', r.get_data(as_text=True))
    assert key is not None
    st.made["console_key"] = st.key_id(key.group(1))
    return Entry(st.console_user, "key.create", "api_key", st.made["console_key"], ("role", "user_id"))


def console_key_rotate(st: Staff) -> Entry:
    r = st.post_console(f"/console/space/access/keys/{st.made['console_key']}/rotate", {}, 200)
    key = re.search(r'<code class="secret">(hb_[^<]+)</code>', r.get_data(as_text=True))
    assert key is not None
    old, st.made["console_key"] = st.made["console_key"], st.key_id(key.group(1))
    return Entry(st.console_user, "key.rotate", "api_key", old, ("new_key_id",))


def console_key_revoke(st: Staff) -> Entry:
    st.post_console(f"/console/space/access/keys/{st.made['console_key']}/revoke")
    return Entry(st.console_user, "key.revoke", "api_key", st.made["console_key"])


def cli_key_create(st: Staff) -> Entry:
    key = st.huoban("key", "create", "--role", "operator", "--space", str(st.s1), "--name", "aud-cli").strip()
    st.made["cli_key"] = st.key_id(key)
    return Entry(None, "key.create", "api_key", st.made["cli_key"], ("role", "user_id"))


def cli_key_rotate(st: Staff) -> Entry:
    key = st.huoban("key", "rotate", str(st.made["cli_key"])).strip()
    old, st.made["cli_key"] = st.made["cli_key"], st.key_id(key)
    return Entry(None, "key.rotate", "api_key", old, ("new_key_id",))


def cli_key_revoke(st: Staff) -> Entry:
    st.huoban("key", "revoke", str(st.made["cli_key"]))
    return Entry(None, "key.revoke", "api_key", st.made["cli_key"])


def user_writes(where: str) -> list[tuple[str, Callable[[Staff], Entry]]]:
    """Deactivate, reactivate and reset the password of a user of the space (one user per entry point)."""

    def target(st: Staff) -> int:
        if f"user_{where}" not in st.made:
            st.made[f"user_{where}"] = st.user_with_email(f"target-{where.lower()}@example.com")
        return int(st.made[f"user_{where}"])

    def run(op: str) -> Callable[[Staff], Entry]:
        action = {"deactivate": "user.deactivate", "activate": "user.activate", "password": "user.password_reset"}

        def write(st: Staff) -> Entry:
            uid = target(st)
            if where == "API":
                path = {"deactivate": "deactivate", "activate": "reactivate", "password": "password-reset"}[op]
                st.api("operator1", "post", f"/api/v1/spaces/{st.s1}/users/{uid}/{path}")
                actor: int | None = st.operator
            elif where == "console":
                path = {"deactivate": "deactivate", "activate": "reactivate", "password": "password"}[op]
                st.post_console(f"/console/space/access/users/{uid}/{path}", {}, 200 if op == "password" else 302)
                actor = st.console_user
            else:
                st.huoban("user", op, str(uid), *(["--generate"] if op == "password" else []))
                actor = None
            return Entry(actor, action[op], "user", uid)

        return write

    return [(f"{where} user {op}", run(op)) for op in ("deactivate", "activate", "password")]


def model_versions(st: Staff) -> tuple[int, int]:
    """Two registered versions (no per-kind artifacts: nothing to verify, nothing to load), the first serving."""
    if "versions" not in st.made:
        with session_scope(make_session_factory(st.engine)) as session:
            rows = [ModelVersion(status=status, artifact_path="", checksum="", manifest={"kinds": {}}, metrics={},
                                 report="audit test", promoted_at=promoted)
                    for status, promoted in (("serving", dt.datetime.now(dt.UTC) - dt.timedelta(days=1)),
                                             ("candidate", None))]
            session.add_all(rows)
            session.flush()
            st.made["versions"] = (rows[0].id, rows[1].id)
    return st.made["versions"]


def api_space_pin(st: Staff) -> Entry:
    _, v2 = model_versions(st)
    st.api("operator1", "put", f"/api/v1/spaces/{st.s1}/model", json={"version_id": v2})
    return Entry(st.operator, "model.promote", "model", v2)


def api_space_rollback(st: Staff) -> Entry:
    v1, _ = model_versions(st)
    st.api("operator1", "post", f"/api/v1/spaces/{st.s1}/model/rollback")
    return Entry(st.operator, "model.rollback", "model", v1)


def api_space_follow(st: Staff) -> Entry:
    _, v2 = model_versions(st)
    st.api("operator1", "put", f"/api/v1/spaces/{st.s1}/model", json={"version_id": v2})
    st.api("operator1", "delete", f"/api/v1/spaces/{st.s1}/model")
    return Entry(st.operator, "model.follow_network", "model", v2)


def console_pin(st: Staff) -> Entry:
    _, v2 = model_versions(st)
    st.post_console("/console/space/models", {"action": "use", "version": str(v2)})
    return Entry(st.console_user, "model.promote", "model", v2, ("previous",))


def console_rollback(st: Staff) -> Entry:
    v1, v2 = model_versions(st)
    st.post_console("/console/space/models", {"action": "rollback"})
    return Entry(st.console_user, "model.rollback", "model", v1, ("from",))


def console_follow(st: Staff) -> Entry:
    v1, _ = model_versions(st)
    # the rollback before went back to the network's version, which drops the pin: pin one again to follow
    st.post_console("/console/space/models", {"action": "use", "version": str(v1)})
    st.post_console("/console/space/models", {"action": "follow"})
    return Entry(st.console_user, "model.follow_network", "model", v1)


def api_network_promote(st: Staff) -> Entry:
    _, v2 = model_versions(st)
    st.api("admin", "post", f"/api/v1/models/{v2}/promote")
    return Entry(st.admin, "model.promote", "model_version", v2)


def api_network_rollback(st: Staff) -> Entry:
    v1, _ = model_versions(st)
    st.api("admin", "post", "/api/v1/models/rollback")
    return Entry(st.admin, "model.rollback", "model_version", v1)


def cli_network_promote(st: Staff) -> Entry:
    _, v2 = model_versions(st)
    st.huoban("models", "promote", str(v2))
    return Entry(None, "model.promote", "model_version", v2)


def cli_network_rollback(st: Staff) -> Entry:
    v1, _ = model_versions(st)
    st.huoban("models", "rollback")
    return Entry(None, "model.rollback", "model_version", v1)


def api_space_create(st: Staff) -> Entry:
    out = st.api("admin", "post", "/api/v1/spaces", 201,
                 json={"slug": "audit-space", "name": "审计空间", "city": "杭州"})
    return Entry(st.admin, "space.create", "space", out["id"], ("slug",))


def api_space_patch(st: Staff) -> Entry:
    st.api("operator1", "patch", f"/api/v1/spaces/{st.s1}", json={"description": "审计过的空间"})
    return Entry(st.operator, "space.update", "space", st.s1, ("changes",))


def growth_writes() -> list[tuple[str, Callable[[Staff], Entry]]]:
    def base(st: Staff) -> str:
        return f"/api/v1/projects/{st.env.ids['project1']}"

    def milestone_add(st: Staff) -> Entry:
        out = st.api("operator1", "post", f"{base(st)}/milestones", 201,
                     json={"occurred_on": "2026-03-01", "category": "product", "title": "审计里程碑"})
        st.made["milestone"] = out["id"]
        return Entry(st.operator, "growth.milestone.add", "project", st.env.ids["project1"])

    def milestone_delete(st: Staff) -> Entry:
        st.api("operator1", "delete", f"{base(st)}/milestones/{st.made['milestone']}", 204)
        return Entry(st.operator, "growth.milestone.delete", "project", st.env.ids["project1"])

    def round_add(st: Staff) -> Entry:
        out = st.api("operator1", "post", f"{base(st)}/rounds", 201,
                     json={"round": "angel", "closed_on": "2026-02-15", "investor_names": ["审计天使"]})
        st.made["round"] = out["id"]
        return Entry(st.operator, "growth.round.add", "project", st.env.ids["project1"])

    def round_delete(st: Staff) -> Entry:
        st.api("operator1", "delete", f"{base(st)}/rounds/{st.made['round']}", 204)
        return Entry(st.operator, "growth.round.delete", "project", st.env.ids["project1"])

    def incubation(st: Staff) -> Entry:
        st.api("operator1", "put", f"{base(st)}/incubation", json={"status": "graduated", "on": "2026-04-01"})
        return Entry(st.operator, "growth.incubation", "project", st.env.ids["project1"])

    return [("API growth milestone add", milestone_add), ("API growth milestone delete", milestone_delete),
            ("API growth round add", round_add), ("API growth round delete", round_delete),
            ("API growth incubation", incubation)]


def cli_restore(st: Staff) -> Entry:
    dest = st.tmp / "audit.backup"
    st.huoban("backup", str(dest))
    st.huoban("restore", str(dest), "--yes")
    return Entry(None, "database.restore", "database", dest.name, ("file", "sha256"))


def writes() -> Iterator[tuple[str, Callable[[Staff], Entry]]]:
    for kind in PROFILES:
        yield from profile_writes(kind)
    yield from [("API import", api_import), ("console import", console_import), ("CLI import", cli_import),
                ("console curation", console_curation),
                ("API weights", api_weights), ("console weights", console_weights),
                ("API allocation", api_allocation), ("API allocation intros", api_allocation_intros),
                ("console allocation", console_allocation), ("console allocation intros", console_allocation_intros),
                ("API key create", api_key_create), ("API key rotate", api_key_rotate),
                ("API key revoke", api_key_revoke),
                ("console key create", console_key_create), ("console key rotate", console_key_rotate),
                ("console key revoke", console_key_revoke),
                ("CLI key create", cli_key_create), ("CLI key rotate", cli_key_rotate),
                ("CLI key revoke", cli_key_revoke)]
    for where in ("API", "console", "CLI"):
        yield from user_writes(where)
    yield from [("API space model pin", api_space_pin), ("API space model rollback", api_space_rollback),
                ("API space model follow network", api_space_follow),
                ("console model pin", console_pin), ("console model rollback", console_rollback),
                ("console model follow network", console_follow),
                ("API network model promote", api_network_promote),
                ("API network model rollback", api_network_rollback),
                ("CLI model promote", cli_network_promote), ("CLI model rollback", cli_network_rollback),
                ("API space create", api_space_create), ("API space patch", api_space_patch)]
    yield from growth_writes()
    yield "CLI restore", cli_restore  # last: it puts back the database as it was a moment before


EXPECTED_WRITES = {  # what the table must hold (so a write dropped from it is noticed too)
    *(f"API {k} {op}" for k in PROFILES for op in ("create", "update", "delete")),
    "API import", "console import", "CLI import", "console curation", "API weights", "console weights",
    "API allocation", "API allocation intros", "console allocation", "console allocation intros",
    *(f"{w} key {op}" for w in ("API", "console", "CLI") for op in ("create", "rotate", "revoke")),
    *(f"{w} user {op}" for w in ("API", "console", "CLI") for op in ("deactivate", "activate", "password")),
    "API space model pin", "API space model rollback", "API space model follow network", "console model pin",
    "console model rollback", "console model follow network", "API network model promote",
    "API network model rollback", "CLI model promote", "CLI model rollback", "API space create",
    "API space patch", "CLI restore",
}


def test_every_staff_write_leaves_an_audit_entry(env: ApiEnv, tmp_path: Path) -> None:
    table = list(writes())
    assert EXPECTED_WRITES <= {name for name, _ in table}
    st = Staff(env, tmp_path)
    missing: list[str] = []
    try:
        for name, write in table:
            mark = st.last_audit_id()
            try:
                want = write(st)
            except AssertionError as exc:
                raise AssertionError(f"{name}: the write itself failed: {exc}") from exc
            if not want.found_in(st.audit_since(mark)):
                left = [(r.action, r.object_type, r.object_id, r.actor_user_id) for r in st.audit_since(mark)]
                missing.append(f"{name}: no {want} (it left {left})")
    finally:
        st.engine.dispose()
    assert not missing, "writes that left no audit entry:\n" + "\n".join(missing)

