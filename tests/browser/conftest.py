"""Shared pieces of the browser tests: Debian's Chromium driven by Playwright, an app served in-process on a
loopback port, sign-in, screenshots into bench/results/screenshots/ and the page checks (no horizontal
overflow, no raw code name)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "screenshots"


def require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail("CI=true but Debian's chromium is not installed (make install installs it)", pytrace=False)
        pytest.skip("chromium not installed (make install installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """A WSGI app served by werkzeug in a daemon thread on a loopback port."""

    def __init__(self, app: Any) -> None:
        from werkzeug.serving import make_server

        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def open_signed_in(browser: Any, base: str, email: str, password: str, width: int = 1280) -> Any:
    """A new browser context signed in to the console as ``email``; returns its page."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/console/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/console/login" not in page.url, f"sign-in failed for {email}"
    return page


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def raw_codes() -> set[str]:
    """Codes a person should never read: feature and factor names, and taxonomy codes written with an
    underscore (single words such as "ai" or "seed" also occur in English prose)."""
    from matcher.config import WEIGHT_NAMES
    from matcher.taxonomy import INDUSTRIES, INVESTOR_KINDS, MENTOR_TYPES, NEEDS, PROVIDER_CATEGORIES, ROUNDS, STAGES

    codes = {c for c in WEIGHT_NAMES if "_" in c} | {"lexical"}  # (acceptance, region... are also English words)
    for vocab in (INDUSTRIES, INVESTOR_KINDS, MENTOR_TYPES, NEEDS, PROVIDER_CATEGORIES, ROUNDS, STAGES):
        codes |= {c for c in vocab.codes if "_" in c}
    return codes


def page_problems(page: Any, codes: set[str], where: str, width: int = 390) -> list[str]:
    """What is wrong with the page as shown: wider than the viewport (``scrollWidth``), or a raw code name in
    its visible text."""
    problems: list[str] = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width + 1:
        problems.append(f"{where}: {scroll_width} px wide")
    text = page.inner_text("body")
    found = sorted({c for c in codes if re.search(rf"(?<![\w/]){re.escape(c)}(?![\w/])", text)})
    if found:
        problems.append(f"{where}: shows {', '.join(found)}")
    # a word squeezed into one character a line (当/前, 初/创/期): a leaf element of two or more characters of
    # text whose content box is three or more lines tall while no wider than about one and a half characters
    squeezed = page.evaluate(SQUEEZED_JS)
    if squeezed:
        problems.append(f"{where}: one character a line in {squeezed[:5]}")
    return problems


SQUEEZED_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.children.length || !el.offsetParent) continue;
    const text = (el.textContent || '').trim();
    if (text.length < 2) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize) || 16;
    const line = parseFloat(style.lineHeight) || size * 1.2;
    const box = el.getBoundingClientRect();
    const pad = (k) => parseFloat(style[k]) || 0;
    const width = box.width - pad('paddingLeft') - pad('paddingRight')
      - pad('borderLeftWidth') - pad('borderRightWidth');
    const height = box.height - pad('paddingTop') - pad('paddingBottom');
    if (height >= 2.5 * line && width <= 1.6 * size) out.push(el.tagName.toLowerCase() + ': ' + text.slice(0, 12));
  }
  return out;
}"""
