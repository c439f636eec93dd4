"""Guessing a password in a browser: the login pauses with a readable, accessible page."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.e2e.conftest import assert_accessible


def test_the_paused_login_page_says_when_and_is_accessible(live_app: Flask, page: Any) -> None:
    """After too many wrong passwords the browser is told, in words, when to try again."""
    live_app.config.update(LOGIN_THROTTLE=True, LOGIN_ACCOUNT_LIMITS="2 per 1 minute")
    live_app.extensions["consult_login_throttle"].reset()
    try:
        for _ in range(3):
            page.goto("/login")
            page.get_by_label("E-mail").fill("admin@consult.example")
            page.get_by_label("Password").fill("a wrong guess")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Too many failed sign-in attempts"
        )
        assert "You can try again after" in page.locator("p.retry").inner_text()
        assert_accessible(page)
    finally:
        live_app.config.update(LOGIN_THROTTLE=False)
