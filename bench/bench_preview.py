"""The drafter's preview of a revision of the largest real law: first and later requests.

The 2012-08 text of the German Residence Act (AufenthG) is imported and
published, the 2022 text imported as the next (draft) version, as a drafter
would upload them, in a temporary SQLite database. The first request of the
preview computes the matching, the word diffs and the parser's warnings and
stores them (``consult.services.draft_preview``); later requests read them
back, as any worker would. Both go through the Flask test client and include
drawing the page.
"""

from __future__ import annotations

import tempfile
import time

from bench.bench_import import CORPUS, best_of

LAW = "de-aufenthg-residence-act/AufenthG_"
OLD = f"{LAW}2012-08-06_after-bluecard-directive-act.md"
NEW = f"{LAW}2022-01-28_stand.md"
PASSWORD = "correct horse battery"


def run() -> list[tuple[str, str, str, str]]:
    """Measure and return the rows of the preview benchmark."""
    if not (CORPUS / OLD).is_file() or not (CORPUS / NEW).is_file():
        return [("preview", "skipped", f"no {OLD} in {CORPUS}", "")]
    from consult import create_app
    from consult.extensions import db
    from consult.services import accounts, drafts

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"},
            instance_path=folder,
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            for name, publish in ((OLD, True), (NEW, False)):
                drafts.import_draft(
                    (CORPUS / name).read_bytes(),
                    document_slug="aufenthg",
                    filename=name.rsplit("/", 1)[-1],
                    title="Aufenthaltsgesetz",
                    publish=publish,
                )
            clauses = len(drafts.get_version("aufenthg", 2).clauses)
            accounts.create_user("Bench", "bench@example.org", "drafter", PASSWORD, None, None)
            db.session.remove()
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
        url = "/documents/aufenthg/v2/preview"
        start = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        size = len(response.data)
        start = time.perf_counter()
        client.get(url).close()
        second = time.perf_counter() - start
        later = best_of(lambda: client.get(url).close(), repeat=5)
        with app.app_context():
            db.engine.dispose()
    label = f"preview of AufenthG 2022 after 2012-08 ({clauses} clauses)"
    return [
        (label, "first request (compute, store, render)", f"{first * 1000:.0f} ms", ""),
        (label, "second request (stored)", f"{second * 1000:.0f} ms", "< first / 5"),
        (label, "later requests (best of 5)", f"{later * 1000:.0f} ms", ""),
        (label, "page size", f"{size / 1024:.0f} KiB", ""),
    ]
