"""End-to-end tests of the console in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

The app runs for real on a loopback port (seeded SQLite database, keyword-encoder index). Screenshots of the
operator dashboard and the founder's match page at 1280 px and 390 px go to bench/results/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from api.accounts import ProfileRef, resolve_user, set_password
from models import Mentor, Project
from models.db import make_engine, make_session_factory, session_scope, upgrade
from seed_data import SeedPlan
from seed_data.loader import seed
from tests.browser.conftest import SHOTS, Served, open_signed_in, page_problems, raw_codes, require_chromium, shoot

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


class Site:
    def __init__(self, base: str, url: str, app: Any, ids: dict[str, int]) -> None:
        self.base, self.db_url, self.app, self.ids = base, url, app, ids

    def add_user(self, role: str, email: str, *, space_id: int | None = None, profile: ProfileRef | None = None) -> str:
        engine = make_engine(self.db_url)
        try:
            with session_scope(make_session_factory(engine)) as session:
                user = resolve_user(session, role=role, space_id=space_id, profile=profile, name=email, email=email)
                set_password(user, PASSWORD)
        finally:
            engine.dispose()
        return email


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require_chromium()
    from api import create_app
    from api.extensions import db, matching

    tmp = tmp_path_factory.mktemp("console")
    url = f"sqlite:///{tmp / 'console.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        seed(session, SeedPlan(seed=11, spaces=20, projects=120, mentors=60, investors=40, providers=40))
    with make_session_factory(engine)() as session:
        project = session.scalars(select(Project).where(Project.needs.is_not(None)).order_by(Project.id)).first()
        uncurated = session.scalars(select(Project.id).where(Project.dealflow_curated.is_(False))
                                    .order_by(Project.id)).first()
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "VAR_DIR": str(tmp / "var"), "ENCODER": "keyword", "LOAD_MATCHER": False,
                      "RATELIMIT_ENABLED": False, "EXPLORATION_SHARE": 0.0})
    with app.app_context():
        matching.engine.build(db.factory)
    server = Served(app)
    s = Site(server.base, url, app, {"project": project.id, "space": project.space_id, "uncurated": uncurated})
    s.add_user("operator", "operator@test.cn", space_id=project.space_id)
    s.add_user("founder", "founder@test.cn", profile=ProfileRef("project", project.id))
    with app.app_context():  # an investor whose deal flow is not empty
        from matcher import WeightSet
        from models import Investor

        state = matching.engine.state
        investor = next(i for i in db.reader.scalars(select(Investor.id).where(
            Investor.space_id.is_(None), Investor.active.is_(True)).order_by(Investor.id))
            if state.matcher.rank(kind="investor", query_id=i, weights=WeightSet.default("dealflow"), k=3,
                                  direction="dealflow", explain=False).matches)
    s.add_user("investor", "investor@test.cn", profile=ProfileRef("investor", investor))
    try:
        yield s
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def sign_in(browser: Any, site: Site, email: str, width: int = 1280) -> Any:
    return open_signed_in(browser, site.base, email, PASSWORD, width)


def test_operator_changes_previews_and_saves_weights(browser: Any, site: Site) -> None:
    page = sign_in(browser, site, "operator@test.cn")
    page.goto(f"{site.base}/console/space/weights?kind=mentor")
    page.eval_on_selector("input[name=region]", "el => { el.value = '1.5'; el.dispatchEvent(new Event('input')); }")
    assert page.inner_text("input[name=region] + output") == "1.50"
    page.click("#preview-button")
    page.wait_for_selector("#preview:not([hidden])")
    page.wait_for_function("document.querySelector('#overlap').textContent.endsWith('%')")
    assert re.search(r"\d+%", page.inner_text("#overlap"))
    assert "ndcg" not in page.inner_text("#offline-current").lower()  # numbers, not keys
    page.fill("input[name=comment]", "同城权重提高 e2e")
    page.click("#save-button")
    page.wait_for_load_state("networkidle")
    audit = page.inner_text("#audit")
    assert "同城权重提高 e2e" in audit and "v1" in audit and "region" in audit
    page.context.close()


def test_founder_requests_mentor_accepts_founder_sees_contact(browser: Any, site: Site) -> None:
    founder = sign_in(browser, site, "founder@test.cn")
    founder.goto(f"{site.base}/console/project?kind=mentor")
    first = founder.locator("article.match").first
    mentor_id = int(first.get_attribute("data-candidate") or 0)
    assert first.locator(".reasons li").count() >= 1
    first.locator("input[name=message]").fill("想请教工厂销售的路径")
    first.locator("button.request-intro").click()
    founder.wait_for_load_state("networkidle")
    assert founder.locator(".intro .status.pending").count() == 1
    assert "待对方确认" in founder.inner_text(".intro .status.pending")  # the founder waits for the mentor
    assert "@" not in founder.inner_text(".intros")  # no contact before the mentor accepts

    site.add_user("mentor", "mentor@test.cn", profile=ProfileRef("mentor", mentor_id))
    mentor = sign_in(browser, site, "mentor@test.cn")
    mentor.goto(f"{site.base}/console/intros")
    waiting = mentor.locator("#waiting-for-you .intro").first
    assert "待你确认" in waiting.inner_text() and "想请教工厂销售的路径" in waiting.inner_text()
    assert waiting.locator(".project-summary").inner_text().strip()  # what the project does, its stage, needs
    before = int(mentor.inner_text("#capacity-left"))
    mentor.locator(".intro button.primary", has_text=re.compile("接受|Accept")).first.click()
    mentor.wait_for_load_state("networkidle")
    assert mentor.locator(".intro .status.accepted").count() == 1
    assert int(mentor.inner_text("#capacity-left")) == before - 1
    mentor.context.close()

    founder.reload()
    founder.wait_for_load_state("networkidle")
    contact = founder.inner_text(".intro .contact")
    engine = make_engine(site.db_url)
    with make_session_factory(engine)() as session:
        email = session.get(Mentor, mentor_id).contact_email
    engine.dispose()
    assert email and email in contact
    founder.context.close()


def test_investor_cannot_open_operator_pages_or_uncurated_projects(browser: Any, site: Site) -> None:
    page = sign_in(browser, site, "investor@test.cn")
    response = page.goto(f"{site.base}/console/space")
    assert response is not None and response.status == 403
    response = page.goto(f"{site.base}/console/projects/{site.ids['uncurated']}")
    assert response is not None and response.status == 404
    page.goto(f"{site.base}/console/dealflow")
    assert page.locator("article.match").count() >= 1
    page.context.close()


def test_forms_without_csrf_token_are_refused(browser: Any, site: Site) -> None:
    page = sign_in(browser, site, "founder@test.cn")
    refused = page.request.post(f"{site.base}/console/intros", form={
        "project_id": str(site.ids["project"]), "kind": "provider", "candidate_id": "1"})
    assert refused.status == 400
    wrong = page.request.post(f"{site.base}/console/logout", form={"csrf_token": "forged"})
    assert wrong.status == 400
    page.goto(f"{site.base}/console/project")
    assert "/console/login" not in page.url  # still signed in
    page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_at_desktop_and_phone_widths(browser: Any, site: Site, width: int) -> None:
    operator = sign_in(browser, site, "operator@test.cn", width)
    operator.goto(f"{site.base}/console/space")
    # two charts, or their empty states where there is nothing to draw yet
    operator.wait_for_function("document.querySelectorAll('canvas, p.empty').length === 2")
    assert operator.evaluate("document.documentElement.scrollWidth") <= width + 1  # no horizontal overflow
    shoot(operator, f"operator-dashboard-{width}.png")
    chip = operator.locator(".chips a").first
    if chip.count():  # the projects without an accepted intro open their page
        chip.click()
        operator.wait_for_load_state("networkidle")
        assert "/console/projects/" in operator.url and operator.locator("h1").count() == 1
    operator.goto(f"{site.base}/console/space/report")
    assert operator.locator(".kpi").count() >= 15 and operator.locator("svg.chart, .hbar, p.muted").count() >= 1
    assert operator.evaluate("document.documentElement.scrollWidth") <= width + 1
    shoot(operator, f"operator-report-{width}.png")
    operator.context.close()
    founder = sign_in(browser, site, "founder@test.cn", width)
    founder.goto(f"{site.base}/console/project?kind=investor&lang=en")
    assert founder.locator("article.match").count() >= 1
    assert founder.evaluate("document.documentElement.scrollWidth") <= width + 1
    shoot(founder, f"founder-matches-{width}.png")
    founder.context.close()
    assert (SHOTS / f"operator-dashboard-{width}.png").stat().st_size > 10_000
    assert (SHOTS / f"operator-report-{width}.png").stat().st_size > 10_000


PAGES = {
    "operator@test.cn": ["/console/space", "/console/space/weights?kind=mentor", "/console/space/weights?kind=investor",
                         "/console/space/allocation", "/console/space/dealflow", "/console/space/report",
                         "/console/space/import", "/console/space/models", "/console/space/access"],
    "founder@test.cn": ["/console/project?kind=mentor", "/console/project?kind=investor",
                        "/console/project?kind=provider"],
    "investor@test.cn": ["/console/dealflow", "/console/profile", "/console/intros"],
}


@pytest.mark.parametrize("email", sorted(PAGES))
def test_every_page_fits_a_phone_and_shows_no_raw_code(browser: Any, site: Site, email: str) -> None:
    codes = raw_codes()
    page = sign_in(browser, site, email, 390)
    problems: list[str] = []
    for path in PAGES[email]:
        for lang in ("zh", "en"):
            response = page.goto(f"{site.base}{path}{'&' if '?' in path else '?'}lang={lang}")
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            page.wait_for_load_state("networkidle")
            problems += page_problems(page, codes, f"{path} ({lang})")
            if lang == "zh":  # a screenshot of every page at both widths (bench/results/screenshots)
                slug = re.sub(r"[^a-z0-9]+", "-", path.removeprefix("/console/").lower()).strip("-")
                role = email.split("@")[0]
                shoot(page, f"page-{role}-{slug}-390.png")
                page.set_viewport_size({"width": 1280, "height": 900})
                shoot(page, f"page-{role}-{slug}-1280.png")
                page.set_viewport_size({"width": 390, "height": 900})
    page.context.close()
    assert not problems, "\n".join(problems)
