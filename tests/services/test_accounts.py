"""Accounts and organisations: country codes, duplicates, listings, deactivation."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.domain.countries import ASSIGNED_CODES, is_assigned_code, normalise_code
from consult.extensions import db
from consult.models import AuditEvent, Organisation, User
from consult.services import accounts
from consult.services.errors import NotFound, ServiceError
from tests import factories


def test_country_list_holds_every_assigned_code_and_nothing_else() -> None:
    assert len(ASSIGNED_CODES) == 249
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in ASSIGNED_CODES)
    for code in ("DE", "KE", "MX", "PH", "SS", "CW", "BQ", "AX", "PS", "TW"):
        assert is_assigned_code(code), code
    for code in ("XX", "ZZ", "XK", "UK", "EU", "AN", "D1", "de", ""):
        assert not is_assigned_code(code), code


def test_normalise_code() -> None:
    assert normalise_code(" ke ") == "KE"
    assert normalise_code("  ") is None
    assert normalise_code(None) is None


@pytest.mark.parametrize("code", ["XX", "ZZ", "D1", "DEU", None])
def test_member_state_needs_an_assigned_code(app: Flask, code: str | None) -> None:
    with pytest.raises(ServiceError):
        accounts.create_organisation("Nowhere", "member_state", code, actor=None)
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_member_state_code_is_stored_upper_case(app: Flask) -> None:
    kenya = accounts.create_organisation("Kenya", "member_state", " ke ", actor=None)
    assert kenya.country_code == "KE"


def test_only_a_member_state_has_a_code(app: Flask) -> None:
    with pytest.raises(ServiceError, match="only a Member State"):
        accounts.create_organisation("Aid", "ngo", "FR", actor=None)


def test_names_and_emails_are_taken_whatever_their_case(app: Flask) -> None:
    factories.organisation("ngo", name="Border Watch")
    factories.user("drafter", email="pat@example.org")
    assert accounts.organisation_name_taken(" border WATCH ")
    assert not accounts.organisation_name_taken("Border Watchers")
    assert accounts.email_taken(" PAT@Example.org")
    assert not accounts.email_taken("pat@example.com")
    with pytest.raises(ServiceError, match="exists already"):
        accounts.create_organisation("BORDER WATCH", "ngo", None, actor=None)
    with pytest.raises(ServiceError, match="exists already"):
        accounts.create_user("Pat", "Pat@Example.org", "drafter", "long enough", None, actor=None)


def test_list_organisations_counts_accounts(app: Flask) -> None:
    ngo = factories.organisation("ngo", name="b NGO")
    factories.organisation("academic", name="A University")
    factories.user("stakeholder", ngo)
    factories.user("stakeholder", ngo)
    factories.user("drafter")
    listed = [(row.organisation.name, row.account_count) for row in accounts.list_organisations()]
    assert listed == [("A University", 0), ("b NGO", 2)]


def test_list_users_by_name(app: Flask) -> None:
    for email in ("c@example.org", "a@example.org"):
        accounts.create_user(
            email[0].upper(), email, "drafter", "a long enough passphrase", None, None
        )
    assert [user.email for user in accounts.list_users()] == ["a@example.org", "c@example.org"]


def test_get_user(app: Flask) -> None:
    user = factories.user("drafter")
    assert accounts.get_user(user.id) is user
    with pytest.raises(NotFound):
        accounts.get_user(user.id + 1000)


def test_deactivate_and_reactivate_are_audited(app: Flask, users: dict[str, User]) -> None:
    admin, drafter = users["admin"], users["drafter"]
    with pytest.raises(ServiceError, match="your own account"):
        accounts.deactivate_user(admin, admin)
    accounts.deactivate_user(drafter, admin)
    assert not drafter.active
    accounts.reactivate_user(drafter, admin)
    assert drafter.active
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == admin.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["user.deactivate", "user.reactivate"]
