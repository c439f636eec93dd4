"""The shared macros of templates/_macros.html: a word diff, its key, a moment in time.

They are rendered on their own here, with the app's templates and translations,
so that every page drawing a diff or a time can rely on what is checked once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from consult import create_app
from consult.domain.diff import word_diff
from consult.moments import Moment


@pytest.fixture(scope="module")
def macro_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app whose templates are rendered without a request to serve (no database used)."""
    folder: Path = tmp_path_factory.mktemp("macros")
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{folder}/unused.sqlite3", "SECRET_KEY": "macros"},
        instance_path=str(folder),
    )
    with app.test_request_context():
        yield app


def render(app: Flask, call: str, **values: Any) -> str:
    """Return the output of a call of a macro of templates/_macros.html."""
    source = '{% from "_macros.html" import when, on_day, diff, diff_legend %}{{ ' + call + " }}"
    return app.jinja_env.from_string(source).render(**values)


def test_a_diff_is_escaped_and_readable_without_colour(macro_app: Flask) -> None:
    markup = render(macro_app, "diff(ops)", ops=word_diff("a <b> & c", "a <i> & c"))
    soup = BeautifulSoup(markup, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None
    deleted, inserted = soup.find("del"), soup.find("ins")
    assert deleted is not None and inserted is not None
    assert deleted.get_text() == "deleted: b"
    assert inserted.get_text() == "inserted: i"
    assert soup.get_text() == "a <deleted: binserted: i> & c"
    assert len(soup.find_all("span", class_="visually-hidden")) == 2
    assert "&lt;" in markup and "<b>" not in markup


def test_each_side_of_a_diff_shows_its_own_changes(macro_app: Flask) -> None:
    ops = word_diff("treated with dignity", "treated with respect")
    old = BeautifulSoup(render(macro_app, 'diff(ops, side="old")', ops=ops), "html.parser")
    new = BeautifulSoup(render(macro_app, 'diff(ops, side="new")', ops=ops), "html.parser")
    assert [d.get_text() for d in old.find_all("del")] == ["deleted: dignity"]
    assert old.find("ins") is None
    assert [i.get_text() for i in new.find_all("ins")] == ["inserted: respect"]
    assert new.find("del") is None
    assert new.get_text() == "treated with inserted: respect"


def test_the_key_names_both_marks(macro_app: Flask) -> None:
    legend = BeautifulSoup(render(macro_app, "diff_legend()"), "html.parser")
    assert legend.select_one("p.diff-legend del .visually-hidden") is not None
    assert legend.select_one("p.diff-legend ins .visually-hidden") is not None
    assert "struck through" in legend.get_text() and "underlined" in legend.get_text()


PIECES = [*"ab cé\n\t.,;-–«»ßü漢字\u00a0💡<>&\"'", "  ", "word", "Straße", "\r\n"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@given(TEXT, TEXT)
def test_a_diff_gives_back_every_piece_of_text(macro_app: Flask, old: str, new: str) -> None:
    """Unescaped, the markup minus the screen-reader words gives every piece of text back."""
    ops = word_diff(old, new)
    markup = re.sub(
        r'<span class="visually-hidden">[^<]*</span>', "", render(macro_app, "diff(ops)", ops=ops)
    )
    assert "<" not in re.sub(r"</?(del|ins)>", "", markup)
    assert html.unescape(re.sub(r"</?(del|ins)>", "", markup)) == "".join(t for _, t in ops)


def time_element(app: Flask, moment: Moment) -> tuple[str, str]:
    soup = BeautifulSoup(render(app, "when(m)", m=moment), "html.parser")
    element = soup.find("time")
    assert element is not None
    return str(element["datetime"]), element.get_text()


def test_a_moment_in_a_round_held_elsewhere_shows_utc_then_local_time(macro_app: Flask) -> None:
    moment = Moment(datetime(2026, 12, 20, 17, 0, 5, tzinfo=UTC), "Europe/Zurich")
    assert time_element(macro_app, moment) == (
        "2026-12-20T17:00:05+00:00",
        "20 December 2026, 17:00 UTC (18:00 Zurich)",
    )


def test_a_moment_in_utc_is_shown_once(macro_app: Flask) -> None:
    moment = Moment(datetime(2026, 3, 1, 9, 30, tzinfo=UTC), "UTC")
    assert time_element(macro_app, moment)[1] == "1 March 2026, 09:30 UTC"


def test_a_day_alone(macro_app: Flask) -> None:
    moment = Moment(datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    soup = BeautifulSoup(render(macro_app, "on_day(m)", m=moment), "html.parser")
    assert str(soup.time) == '<time datetime="2026-03-01">1 March 2026</time>'
