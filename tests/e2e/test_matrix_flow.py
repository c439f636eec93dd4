"""The comment matrix in a real browser, on the demo data, as the secretariat and a State use it.

The secretariat filters the first round's matrix to its unanswered comments,
answers two of them together with a saved standard answer, downloads the
matrix as XLSX, changes one disposition in it (with openpyxl, as Excel would),
uploads it back and confirms, then publishes the round's answers; Germany
then reads the published answers in its matrix. axe-core checks every page on
the way, at a desktop width and at a phone's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment, Response, Round
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e

MATRIX = "/documents/human-rights-borders/matrix"
STANDARD = "Addressed in the revised paragraph."


def _first_round(app: Flask) -> int:
    with app.app_context():
        found = db.session.scalar(select(Round.id).where(Round.title == "First expert meeting"))
        db.session.remove()
    assert found is not None
    return found


def _answers(app: Flask, tracking: list[str]) -> dict[str, tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Comment.tracking_number, Response.disposition, Response.explanation)
            .join(Response, Response.comment_id == Comment.id)
            .join(Round, Round.id == Comment.round_id)
            .where(Round.title == "First expert meeting", Comment.tracking_number.in_(tracking))
        ).all()
        db.session.remove()
    return {t: (d, e) for t, d, e in rows}


def _row_tracking(row: Any) -> str:
    return str(row.locator("td[data-label='Tracking no.'] a").inner_text()).strip()


def test_the_secretariat_answers_offline_and_a_state_reads_the_answers(
    live_app: Flask, browser: Any, base_url: str, tmp_path: Path
) -> None:
    round_id = _first_round(live_app)
    context = browser.new_context(base_url=base_url, accept_downloads=True)
    page = context.new_page()
    sign_in(page, "secretariat@consult.example")

    # The document's page leads to the matrix.
    page.goto("/documents/human-rights-borders")
    page.get_by_role("link", name=re.compile("^Comment matrix")).click()
    page.wait_for_load_state()
    assert page.url.endswith(MATRIX)
    assert_accessible(page)

    # Filter: the first round, its unanswered comments (a plain GET form).
    page.locator("details.matrix-filters summary").click()
    page.get_by_label("First expert meeting").check()
    page.locator("#f-answered").select_option("no")
    page.get_by_role("button", name="Show the matching comments").click()
    page.wait_for_load_state()
    assert f"round={round_id}" in page.url and "answered=no" in page.url
    assert_accessible(page)
    rows = page.locator("table.matrix tbody tr[id^=comment-]")
    assert rows.count() >= 2
    chosen = [_row_tracking(rows.nth(0)), _row_tracking(rows.nth(1))]
    assert _answers(live_app, chosen) == {}

    # Two rows answered together with a saved standard answer.
    for n in (0, 1):
        rows.nth(n).locator("input[name=comment]").check()
    page.locator("#bulk-disposition").select_option("accepted")
    page.locator("#bulk-standard").select_option(label=STANDARD)
    page.get_by_role("button", name="Apply to the ticked comments").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert _answers(live_app, chosen) == {t: ("accepted", STANDARD) for t in chosen}
    # They have left the unanswered filter.
    shown = [_row_tracking(r) for r in page.locator("table.matrix tbody tr[id^=comment-]").all()]
    assert not set(chosen) & set(shown)

    # The whole round as XLSX, changed offline.
    page.goto(f"{MATRIX}?round={round_id}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    workbook_path = tmp_path / "matrix.xlsx"
    download_info.value.save_as(workbook_path)
    book = openpyxl.load_workbook(workbook_path)
    sheet = next(ws for ws in book.worksheets if ws.title != book.worksheets[0].title)
    header = [c.value for c in sheet[1]]
    tracking_col = header.index("Tracking no.")
    disposition_col = header.index("Disposition")
    observations_col = header.index("Observations of the secretariat")
    target = chosen[0]
    for row in sheet.iter_rows(min_row=2):
        if row[tracking_col].value == target:
            row[disposition_col].value = "Not accepted"
            row[observations_col].value = "On reflection the present wording is kept."
            break
    else:
        pytest.fail(f"{target} is not in the downloaded matrix")
    book.save(workbook_path)

    # Uploaded back: the preview lists the one change, confirming applies it.
    page.goto(MATRIX)
    page.get_by_role("link", name="Upload answers filled in offline").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(str(workbook_path))
    page.get_by_role("button", name="Read the file and preview").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert target in page.inner_text("main")
    page.get_by_role("button", name="Save 1 answer").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert _answers(live_app, [target])[target] == (
        "not_accepted",
        "On reflection the present wording is kept.",
    )

    # The round has closed: the answers are published from the round's responses page.
    # Publishing is permanent: the link leads to a page that says so, and its button publishes.
    page.goto(f"/rounds/{round_id}/responses")
    page.get_by_role("link", name="Publish the answers…").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert "cannot be undone" in page.inner_text("main")
    page.get_by_role("button", name="Publish the answers").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert "The answers are published" in page.inner_text("main")
    context.close()

    # Germany reads the published answers in its matrix, on a phone too.
    for width in (1280, 390):
        context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in(page, "germany@consult.example")
        page.goto(f"{MATRIX}?round={round_id}&view=flat&q=")
        assert_accessible(page)
        assert page.locator("form#bulk").count() == 0
        row = page.locator(f"tr:has(td[data-label='Tracking no.'] a:text-is('{target}'))")
        assert row.locator("td[data-label='Disposition']").inner_text().strip() == "Not accepted"
        assert "present wording is kept" in row.inner_text()
        wide = page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w && !e.closest('.table-scroll'))
                .map(e => e.tagName + '.' + e.className)""",
            width,
        )
        assert wide == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
