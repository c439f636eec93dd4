"""Passwords in a real browser: changing one's own, and an admin's e-mailed link (axe-checked)."""

from __future__ import annotations

import email
import re
from pathlib import Path
from typing import Any

from flask import Flask

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, sign_in

NEW_PASSWORD = "quiet orchard lantern"


def test_a_person_changes_their_password_from_the_header(page: Any) -> None:
    sign_in(page, "kenya@consult.example")
    page.locator(".site-account").get_by_role("link", name="Password").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Change your password"
    assert_accessible(page)
    page.get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_label("New password", exact=True).fill("password1234")
    page.get_by_label("New password again").fill("password1234")
    page.get_by_role("button", name="Change the password").click()
    page.wait_for_load_state()
    assert "list of common passwords" in page.locator(".field.has-error").inner_text()
    assert_accessible(page)
    page.get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change the password").click()
    page.wait_for_load_state()
    assert "Your password is changed." in page.locator(".messages").inner_text()


def test_an_emailed_link_sets_a_new_password(page: Any, live_app: Flask, browser: Any) -> None:
    sign_in(page, "admin@consult.example")
    page.goto("/admin/users")
    row = page.locator("tr", has_text="nhri@consult.example")
    row.get_by_role("button", name=re.compile("E-mail a password link")).click()
    page.wait_for_load_state()
    assert "on its way to nhri@consult.example" in page.locator(".messages").inner_text()
    assert_accessible(page)

    folder = Path(live_app.config["MAIL_FOLDER"])
    message = email.message_from_bytes(sorted(folder.glob("*.eml"))[-1].read_bytes())
    assert message["To"] == "nhri@consult.example"
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    found = re.search(r"/password-reset/[A-Za-z0-9_-]+", payload.decode())
    assert found is not None
    link = found.group(0)

    context = browser.new_context(base_url=page.url.split("/admin")[0])
    visitor = context.new_page()
    visitor.goto(link)
    assert visitor.locator("h1").inner_text() == "Choose a new password"
    assert_accessible(visitor)
    visitor.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    visitor.get_by_label("New password again").fill(NEW_PASSWORD)
    visitor.get_by_role("button", name="Set the password").click()
    visitor.wait_for_load_state()
    assert "Your new password is set" in visitor.locator(".messages").inner_text()
    visitor.goto(link)
    assert visitor.locator("h1").inner_text() == "This link no longer works"
    assert_accessible(visitor)
    context.close()


def test_a_new_account_chooses_its_password_through_the_welcome_link(
    page: Any, live_app: Flask, browser: Any
) -> None:
    sign_in(page, "admin@consult.example")
    page.goto("/admin/users")
    assert page.get_by_label("E-mail a link to choose a password").is_checked()
    page.get_by_label("Name").fill("Ines Moreau")
    page.get_by_label("E-mail", exact=True).fill("ines.moreau@consult.example")
    page.get_by_label("Role").select_option("drafter")
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_load_state()
    assert (
        "a link to choose a password was e-mailed to ines.moreau@consult.example, valid for 3 days"
        in page.locator(".messages").inner_text()
    )
    assert (
        "no password chosen yet"
        in page.locator("tr", has_text="ines.moreau@consult.example").inner_text()
    )
    assert_accessible(page)

    folder = Path(live_app.config["MAIL_FOLDER"])
    message = email.message_from_bytes(sorted(folder.glob("*.eml"))[-1].read_bytes())
    assert message["To"] == "ines.moreau@consult.example"
    assert message["Subject"] == "Your account on Consult: choose your password"
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    found = re.search(r"/password-reset/[A-Za-z0-9_-]+", payload.decode())
    assert found is not None

    context = browser.new_context(base_url=page.url.split("/admin")[0])
    visitor = context.new_page()
    visitor.goto(found.group(0))
    assert visitor.locator("h1").inner_text() == "Choose your password"
    assert_accessible(visitor)
    visitor.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    visitor.get_by_label("New password again").fill(NEW_PASSWORD)
    visitor.get_by_role("button", name="Set the password").click()
    visitor.wait_for_load_state()
    assert "Your password is set" in visitor.locator(".messages").inner_text()
    visitor.get_by_label("E-mail").fill("ines.moreau@consult.example")
    visitor.get_by_label("Password").fill(NEW_PASSWORD)
    visitor.get_by_role("button", name="Sign in").click()
    visitor.wait_for_load_state()
    assert "/login" not in visitor.url
    assert "Ines Moreau" in (visitor.locator("header").text_content() or "")
    context.close()
