"""The consolidated PDF in a real browser, on the demo data.

The secretariat asks for version 2 with the first round's comments and the
matrix annexed, watches the progress page refresh itself (no script of ours
runs), and downloads the PDF; Germany downloads version 3 with its changes
against version 2. The first page of each PDF is rendered to PNG and kept as
a test artifact (CONSULT_TEST_ARTIFACTS), and axe-core checks the export pages
at a desktop width and at a phone's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.e2e.conftest import assert_accessible, sign_in
from tests.exports.poppler import artifact_folder, one_line, page_png, pdf_info, pdf_text

pytestmark = pytest.mark.e2e

DOCUMENT = "/documents/human-rights-borders"


def _download(page: Any, tmp_path: Path) -> bytes:
    page.wait_for_selector("text=The PDF is ready", timeout=180_000)
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download .*\.pdf$")).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def test_the_secretariat_and_a_state_download_pdfs(
    live_app: Flask, browser: Any, base_url: str, tmp_path: Path
) -> None:
    folder = artifact_folder(tmp_path)
    context = browser.new_context(base_url=base_url, accept_downloads=True)
    page = context.new_page()
    sign_in(page, "secretariat@consult.example")

    page.goto(f"{DOCUMENT}/v2")
    page.get_by_role("link", name=re.compile("^PDF for circulation")).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{DOCUMENT}/v2/pdf")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    page.screenshot(path=str(folder / "pdf-export-form-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("The text with a round’s comments under each clause").check()
    page.get_by_label("Comments of the round").select_option(
        label="\u2068First expert meeting\u2069"
    )  # isolated
    page.get_by_label("End with the round’s comment matrix as an annex").check()
    page.get_by_role("button", name="Make the PDF").click()
    page.wait_for_load_state()
    assert re.search(r"/exports/\d+$", page.url)
    assert_accessible(page)
    page.screenshot(path=str(folder / "pdf-progress-1280.png"), full_page=True)
    data = _download(page, tmp_path)
    page.screenshot(path=str(folder / "pdf-ready-1280.png"), full_page=True)
    assert data.startswith(b"%PDF")
    text = one_line(pdf_text(data))
    assert "First expert meeting" in text
    assert int(pdf_info(data)["Pages"]) > 3
    page_png(data, folder, "pdf-secretariat-comments-page1", 1, dpi=70)

    # Germany: version 3 with its changes against version 2.
    state = browser.new_context(base_url=base_url, accept_downloads=True)
    germany = state.new_page()
    germany.set_viewport_size({"width": 390, "height": 844})
    sign_in(germany, "germany@consult.example")
    germany.goto(f"{DOCUMENT}/v3/pdf")
    assert_accessible(germany)
    germany.get_by_label("The text with its changes against an earlier version").check()
    germany.get_by_label("Mark the changes against").select_option(value="2")
    germany.get_by_role("button", name="Make the PDF").click()
    germany.wait_for_load_state()
    assert_accessible(germany)
    changes = _download(germany, tmp_path)
    germany.screenshot(path=str(folder / "pdf-ready-390.png"), full_page=True)
    assert int(pdf_info(changes)["Pages"]) > 1
    page_png(changes, folder, "pdf-germany-changes-page1", 1, dpi=70)

    # Germany cannot open the secretariat's job.
    job_url = page.url
    response = germany.goto(job_url)
    assert response is not None and response.status == 404
    context.close()
    state.close()
