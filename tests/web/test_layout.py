"""The frame every page shares: one-line header with a menu for narrow screens, the icon,
and tables that a phone can read (issue 12, "Phones")."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consult.models import User
from consult.services.audit import record
from consult.services.transactions import write_transaction
from tests import factories
from tests.web.support import get_page, sign_in

# What each role finds in the header's links, in order.
LINKS = {
    "admin": ["Documents", "Rounds", "Organisations", "Accounts", "Audit log"],
    "secretariat": ["Documents", "Rounds", "Standard answers"],
    "drafter": ["Documents", "Rounds", "New document"],
    "stakeholder": ["Documents", "Rounds", "Our comments"],
}


@pytest.mark.parametrize("role", sorted(LINKS))
def test_the_header_offers_the_same_links_in_its_line_and_under_menu(
    client: FlaskClient, users: dict[str, User], role: str
) -> None:
    sign_in(client, users[role])
    page = get_page(client, "/")
    header = page.select_one("header.site")
    assert header is not None
    wide = header.select_one("nav.site-links")
    menu = header.select_one("details.site-menu")
    assert wide is not None and menu is not None
    assert menu.summary is not None and menu.summary.get_text(strip=True) == "Menu"
    for nav in (wide, menu.nav):
        assert nav is not None and nav["aria-label"] == "Main"
        assert [a.get_text(strip=True) for a in nav.select("a")] == LINKS[role]
    # The account and its sign-out are reachable both ways.
    assert len(header.select("form[action='/logout'] button")) == 2
    assert users[role].name in menu.get_text()


def test_an_anonymous_visitor_gets_no_menu(client: FlaskClient) -> None:
    page = get_page(client, "/login")
    assert page.select("details.site-menu") == []
    assert page.select("header.site nav") == []


def test_every_page_names_the_icon_and_the_icon_is_served(client: FlaskClient) -> None:
    page = get_page(client, "/login")
    icon = page.select_one("link[rel=icon]")
    assert icon is not None and icon["type"] == "image/svg+xml"
    with client.get(str(icon["href"])) as response:
        assert response.status_code == 200
        assert b"<svg" in response.data


@pytest.mark.parametrize("url", ["/admin/organisations", "/admin/users", "/admin/audit"])
def test_admin_tables_scroll_in_their_own_labelled_region(
    client: FlaskClient, users: dict[str, User], url: str
) -> None:
    sign_in(client, users["admin"])
    page = get_page(client, url)
    table = page.select_one("table.data")
    assert table is not None
    region = table.find_parent("div", class_="table-scroll")
    assert region is not None and region["role"] == "region" and region["tabindex"] == "0"
    label = page.find(id=str(region["aria-labelledby"]))
    assert label is not None and label.get_text(strip=True)


def test_the_audit_log_stacks_each_event_under_its_column_names(
    client: FlaskClient, users: dict[str, User]
) -> None:
    with write_transaction():
        record(users["admin"], "version.published", "version", 7, sha256="ab" * 32)
    sign_in(client, users["admin"])
    page = get_page(client, "/admin/audit")
    table = page.select_one("table.data.stack")
    assert table is not None
    row = next(tr for tr in table.select("tbody tr") if "version.published" in tr.get_text())
    labels = [td.get("data-label") for td in row.select("td")]
    assert labels == ["Time (UTC)", "Person", "Action", "Object", "Details"]
    assert "ab" * 32 in row.get_text()  # the full hash, which wraps inside its cell


def test_the_rounds_list_stacks_each_round_under_its_column_names(
    client: FlaskClient, users: dict[str, User]
) -> None:
    factories.round_(factories.version(publish=True), title="Expert meeting")
    sign_in(client, users["secretariat"])
    page = get_page(client, "/rounds")
    table = page.select_one("table.data.rounds.stack")
    assert table is not None
    row = next(tr for tr in table.select("tbody tr") if "Expert meeting" in tr.get_text())
    assert [td.get("data-label") for td in row.select("td")] == [
        "Document and version", "State", "Opens", "Closes", "Comments you can read"
    ]  # fmt: skip
