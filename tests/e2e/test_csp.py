"""The Content-Security-Policy breaks nothing: no page of any role is refused a script,
a style, an image or a font by the policy, at one size (1280x900).

Two listeners catch a violation: the console (Chromium writes "Refused to ...
because it violates the following Content Security Policy directive ...") and
a `securitypolicyviolation` listener added by an init script (run by the
browser itself, so the policy, which allows no inline script, does not stop it).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.e2e.conftest import sign_in
from tests.e2e.main_pages import PAGES, add_draft, visit_every_page

SIZE = (1280, 900)

REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` in ${event.sourceFile}:${event.lineNumber}`);
});
"""

# The platform's stylesheet was loaded, not refused.
STYLESHEET_APPLIED = """
() => [...document.styleSheets].some(
  (sheet) => (sheet.href || '').endsWith('/static/css/consult.css') && sheet.cssRules.length > 0)
"""

# What the browser says when a policy header stops something, or is itself wrong.
WORDS = ("Content Security Policy", "CSP violation", "Permissions-Policy", "Permissions Policy")


class Violations:
    """Collects the console messages of a browser context that report a policy problem."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def prepare(self, context: Any) -> None:
        """Listen to every page of `context`, from its first one."""
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._heard)

    def _heard(self, message: Any) -> None:
        if any(word in message.text for word in WORDS):
            self.found.append(f"{message.page.url if message.page else '?'}: {message.text}")


@pytest.mark.parametrize("email", sorted(PAGES))
def test_no_page_reports_a_policy_violation(
    browser: Any, live_app: Flask, base_url: str, email: str
) -> None:
    """An injected <script> or style is refused by the policy: a page of ours must not need
    one, or the policy would have to let them in (and a broken page would be the price)."""
    add_draft(live_app)
    violations = Violations()
    visited = 0
    for page in visit_every_page(browser, base_url, email, SIZE, violations.prepare):
        page.wait_for_load_state("load")
        assert page.evaluate(STYLESHEET_APPLIED), page.url
        visited += 1
    assert visited == len(PAGES[email])
    assert violations.found == []


def test_pages_before_signing_in_report_no_violation(browser: Any, base_url: str) -> None:
    """The sign-in page and an error page, seen by anyone, keep to the policy too."""
    violations = Violations()
    width, height = SIZE
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    try:
        violations.prepare(context)
        page = context.new_page()
        page.goto("/login")
        assert page.goto("/no-such-page").status == 404
        page.goto("/login")
        page.get_by_label("E-mail").fill("nobody@consult.example")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    finally:
        context.close()
    assert violations.found == []


def test_the_check_hears_a_violation(browser: Any, base_url: str) -> None:
    """The check itself: a style element put in by a script is refused, and heard."""
    violations = Violations()
    context = browser.new_context(base_url=base_url)
    try:
        violations.prepare(context)
        page = context.new_page()
        sign_in(page, "germany@consult.example")
        page.evaluate(
            "() => { const s = document.createElement('style');"
            " s.textContent = 'body { color: red; }'; document.head.append(s); }"
        )
        page.wait_for_timeout(200)
        colour = page.evaluate("getComputedStyle(document.body).color")
    finally:
        context.close()
    assert colour != "rgb(255, 0, 0)"
    # Heard twice: the browser's own console message and the init script's listener.
    assert any("Content Security Policy" in v and "style-src" in v for v in violations.found)
    assert any("CSP violation: style-src" in v for v in violations.found), violations.found
