"""Real-browser tests: Debian's Chromium driven by Playwright, checked with axe-core.

The platform is served from a thread on a free local port, on the test
database, with the demo data loaded; under pytest-xdist each worker serves its
own database on a port of its own, and `make test` keeps the tests of a file
on one worker (`--dist loadfile`), so that the demo and the browser are set up
once per file. Without /usr/bin/chromium or the
axe-core package these tests are skipped, except in CI (CI set), where they
fail: `.ci/run` installs both.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from consult.extensions import db
from consult.services.demo import load_demo
from tests.conftest import make_app

CHROMIUM = Path(os.environ.get("CONSULT_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
DEMO_PASSWORD = "e2e-password"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if missing:
        message = f"browser tests need {', '.join(missing)} (see README)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def live_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo platform, on the test database."""
    app = make_app(database_url, tmp_path_factory.mktemp("e2e-instance"))
    app.config["PASSWORD_HASH_METHOD"] = "argon2:1:8:1"
    with app.app_context():
        load_demo(DRAFTS, DEMO_PASSWORD)
        db.session.remove()
    yield app
    with app.app_context():
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture(scope="module")
def base_url(live_app: Flask) -> Iterator[str]:
    """The address of the running platform."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium, launched from Debian's package (never a downloaded build)."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh browser tab with its own cookies."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page and return its WCAG 2.1 A/AA violations."""
    # Evaluated by the browser itself: the platform's Content-Security-Policy allows
    # no inline <script>, which is what add_script_tag would add.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return list(result["violations"])


def assert_accessible(page: Any) -> None:
    """Fail with a readable summary when axe-core finds a violation on the page."""
    violations = axe_violations(page)
    summary = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in violations
    ]
    assert not violations, f"{page.url}: " + json.dumps(summary, indent=2)


# Each visible interactive element, scrolled to the middle of the window: is
# what the browser finds at the centre of its first box the element itself?
# The skip link waits off screen until it has the focus: it is left out.
COVERED = """
() => {
  const selector = 'a[href], button, summary, input, select, textarea, [tabindex]';
  const covered = [];
  let checked = 0;
  for (const element of document.querySelectorAll(selector)) {
    if (element.classList.contains('skip-link')) continue;
    const first = element.getClientRects()[0];
    if (!first || first.width < 1 || first.height < 1) continue;
    // Not rendered: hidden, or inside a closed <details> (content-visibility).
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    element.scrollIntoView({block: 'center', inline: 'center'});
    const box = element.getClientRects()[0];
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) {
      covered.push({element: element.outerHTML.slice(0, 120), by: 'outside the window'});
      continue;
    }
    const hit = document.elementFromPoint(x, y);
    checked += 1;
    if (hit !== element && !element.contains(hit)) {
      covered.push({
        element: element.outerHTML.slice(0, 120),
        by: hit ? hit.outerHTML.slice(0, 120) : null,
      });
    }
  }
  return {checked, covered};
}
"""


def assert_nothing_covered(page: Any) -> None:
    """Fail when a visible link, button or control of the page is covered by another element."""
    result = page.evaluate(COVERED)
    assert result["checked"] > 0, page.url
    assert not result["covered"], (page.url, page.viewport_size, result["covered"][:5])


def sign_in(page: Any, email: str) -> None:
    """Sign in through the login form."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


# The threaded test server streams static files (the favicon, the stylesheet): when the
# browser leaves a page before a file is read out, werkzeug's file wrapper is dropped
# without being closed, and the garbage collector later reports it inside whatever test
# runs then. Only that report is ignored here; any other unclosed resource still fails.
_DROPPED_STATIC_FILE = (
    r"ignore:Exception ignored in. <_io\.FileIO name='[^']*/static/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests to ignore a static file dropped by the test server."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.filterwarnings(_DROPPED_STATIC_FILE))
