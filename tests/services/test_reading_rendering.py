"""The HTML of a published version's clauses is made once, stored, and read back."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from consult.extensions import db
from consult.models import VersionRendering
from consult.services import reading
from consult.services.clause_tree import ClauseNode
from tests import factories


def stored_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(VersionRendering)) or 0


def html_of(page: reading.VersionPage, key: str) -> str:
    def walk(nodes: list[ClauseNode]) -> str | None:
        for node in nodes:
            if node.key == key:
                return str(node.html)
            found = walk(node.children)
            if found is not None:
                return found
        return None

    found = walk(page.tree)
    assert found is not None, key
    return found


def test_a_published_version_is_rendered_once_then_read_back(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = factories.version()
    first = reading.version_page(version)
    assert stored_rows() == 1
    expected = html_of(first, "principle-dignity-p1")
    assert expected.startswith("<p>")

    def refuse(text: str) -> str:
        raise AssertionError("rendered again")

    monkeypatch.setattr(reading, "markdown_to_html", refuse)
    again = reading.version_page(version)
    assert html_of(again, "principle-dignity-p1") == expected
    assert stored_rows() == 1


def test_a_draft_is_rendered_each_time_and_never_stored(app: Flask) -> None:
    version = factories.version(publish=False)
    page = reading.version_page(version)
    assert html_of(page, "principle-dignity-p1").startswith("<p>")
    assert stored_rows() == 0


def test_a_rendering_by_other_code_is_not_used(app: Flask) -> None:
    version = factories.version()
    db.session.execute(
        insert(VersionRendering).values(
            version_id=version.id,
            renderer="an older renderer",
            payload=json.dumps({"principle-dignity-p1": "<p>stale</p>"}),
        )
    )
    db.session.commit()
    page = reading.version_page(version)
    assert "stale" not in html_of(page, "principle-dignity-p1")
    assert stored_rows() == 2
