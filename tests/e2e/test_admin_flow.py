"""An admin creates an organisation and an account, deactivates it and reads the audit log."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import assert_accessible, sign_in


def test_admin_pages_work_and_are_accessible(page: Any) -> None:
    sign_in(page, "admin@consult.example")
    page.goto("/admin/organisations")
    assert_accessible(page)
    page.get_by_label("Name").fill("Republic of Testland Mission")
    page.get_by_label("Kind").select_option("member_state")
    page.get_by_label("Country code", exact=False).fill("NO")
    page.get_by_role("button", name="Create the organisation").click()
    page.wait_for_load_state()
    assert "Republic of Testland Mission" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto("/admin/users")
    assert_accessible(page)
    page.get_by_label("Name").fill("Ola Nordmann")
    page.get_by_label("E-mail", exact=True).fill("ola@consult.example")
    page.get_by_label("Organisation").select_option(
        label="\u2068Republic of Testland Mission\u2069"
    )  # a typed name, isolated
    page.get_by_label("Role").select_option("stakeholder")
    page.get_by_label("Set an initial password now").check()
    page.get_by_label("Initial password", exact=True).fill("a long enough password")
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="ola@consult.example")
    row.get_by_role("button", name="Deactivate Ola Nordmann").click()
    page.wait_for_load_state()
    assert "deactivated" in page.locator("tr", has_text="ola@consult.example").inner_text().lower()
    assert_accessible(page)

    page.goto("/admin/audit")
    text = page.locator("main").inner_text()
    assert "user.deactivate" in text and "organisation.create" in text
    assert_accessible(page)
