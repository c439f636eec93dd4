"""The consolidated PDF at size: each variant of a 300-clause version with 1,500 comments.

A temporary SQLite database holds a 300-clause document in two published
versions (the second reworded, so that the changes variant has work) and one
closed round on the second: 1,500 comments from 30 organisations, a quarter
with a proposed change, half answered, the answers published.

Figures, each beside a floor measured in the same run:
- each variant (clean; changes against version 1; comments; comments with
  the matrix annex), made by
  consult.services.consolidated.render_consolidated in a child process of
  its own, spawned as a job's child is: pages, seconds, pages per second
  (the seconds on the wall clock and in CPU, the first split into building
  the HTML, layout and writing), the number of elements in its HTML (which
  WeasyPrint's time and memory follow most; counted after the render), the
  child's peak memory (its own ru_maxrss, given back when it exits), and its
  seconds per page over the floor's.
- floor: WeasyPrint alone on the same text and comments as plain HTML with no
  stylesheet (h2 and p for each clause, p for each comment), in the same kind
  of child process; and on the text alone. The floor's unstyled pages hold
  less text than ours, so the clean and comments variants are also divided
  by the floor on the same text, seconds over seconds.
- served again: GET of the stored comments PDF through the download route
  (Flask test client, median of several), beside the sign-in page.

Each child first builds what it needs and renders a one-line page, so that
imports and the fonts' first loading (a cost each job pays once, printed on
its own row) do not blur the rate of a long document. The memory aim is per
200 pages: a document of another length is scaled as the child's memory
before rendering plus what rendering added times 200 over its pages.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import random
import re
import resource
import statistics
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from flask import Flask

ORGANISATIONS = 30
COMMENTS = 1_500
PROPOSED = 0.25
ANSWERED = 0.5
SERVED_REPEAT = 15
PASSWORD = "correct horse battery"
PDF = "application/pdf"
Row = tuple[str, str, str, str]
#: What a child reports: pages; seconds (wall, CPU, per step); memory before and at the peak
#: (MB); the elements of the HTML it rendered.
Figures = dict[str, float]
#: Seconds a child may take before the bench gives up on it.
CHILD_TIMEOUT = 900
#: (label, PdfRequest fields) of each variant measured, on version 2 of "bench".
VARIANTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("clean", {"variant": "clean"}),
    ("changes", {"variant": "changes", "against": 1}),
    ("comments", {"variant": "comments"}),
    ("comments + matrix annex", {"variant": "comments", "matrix_annex": True}),
)


def _words(rng: random.Random, vocabulary: list[str], low: int, high: int) -> str:
    return " ".join(rng.choices(vocabulary, k=rng.randint(low, high)))


def _populate(rng: random.Random) -> int:
    """Store the two versions, the people and the round with its comments; return the round's id."""
    from sqlalchemy import insert, select

    from bench.bench_compare import _store_versions, synthetic_versions
    from consult.extensions import db
    from consult.models import DISPOSITIONS, Clause, Comment, Response, Round, Version
    from consult.models.base import utcnow
    from consult.services import accounts

    old, new = synthetic_versions()
    _store_versions(old, new)
    secretariat = accounts.create_user(
        "Bench", "bench@example.org", "secretariat", PASSWORD, None, None
    )
    organisations = [
        accounts.create_organisation(f"Organisation {n}", "ngo", None, None)
        for n in range(ORGANISATIONS)
    ]
    authors = [
        accounts.create_user(
            f"Author {n}", f"author{n}@example.org", "stakeholder", PASSWORD, o, None
        )
        for n, o in enumerate(organisations)
    ]
    version_id = db.session.scalar(select(Version.id).where(Version.number == 2))
    clauses = db.session.execute(
        select(Clause.id, Clause.text).where(Clause.version_id == version_id, Clause.text != "")
    ).all()
    start = utcnow() - timedelta(days=30)
    round_ = Round(
        version_id=version_id,
        title="Online consultation",
        opens_at=start,
        closes_at=start + timedelta(days=20),
        time_zone="UTC",
        responses_published_at=start + timedelta(days=25),
    )
    db.session.add(round_)
    db.session.flush()
    vocabulary = [f"{rng.choice('bcdfgklmnprst')}{rng.choice('aeiou')}{n}" for n in range(3000)]
    rows: list[dict[str, Any]] = []
    sequences: dict[int, int] = defaultdict(int)
    for n in range(COMMENTS):
        who = rng.randrange(ORGANISATIONS)
        organisation = organisations[who]
        clause_id, text = rng.choice(clauses) if rng.random() > 0.05 else (None, "")
        proposed = None
        if clause_id is not None and rng.random() < PROPOSED:
            words = text.split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            proposed = " ".join(words)
        sequences[who] += 1
        at = start + timedelta(minutes=n)
        rows.append(
            {
                "round_id": round_.id,
                "clause_id": clause_id,
                "organisation_id": organisation.id,
                "author_id": authors[who].id,
                "type": rng.choice(("general", "substantive", "editorial")),
                "body": f"Comment {n}: " + _words(rng, vocabulary, 20, 80),
                "proposed_text": proposed,
                "sequence": sequences[who],
                "tracking_number": f"{organisation.code}-{sequences[who]:03d}",
                "idempotency_key": f"bench-{n}",
                "content_hash": "0" * 64,
                "received_at": at,
                "updated_at": at,
                "revision": 1,
                "status": "active",
                "channel": "platform",
            }
        )
    db.session.execute(insert(Comment), rows)
    ids = db.session.scalars(select(Comment.id).order_by(Comment.id)).all()
    answered = start + timedelta(days=22)
    db.session.execute(
        insert(Response),
        [
            {
                "comment_id": comment_id,
                "disposition": rng.choice(DISPOSITIONS),
                "explanation": _words(rng, vocabulary, 10, 40),
                "responder_id": secretariat.id,
                "updated_at": answered,
                "revision": 1,
            }
            for comment_id in ids
            if rng.random() < ANSWERED
        ],
    )
    db.session.commit()
    return round_.id


def floor_html(round_id: int, with_comments: bool = True) -> str:
    """Return the round's version, and its comments, as plain HTML with no stylesheet."""
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Clause, Comment, Organisation, Response, Round

    version_id = db.session.scalar(select(Round.version_id).where(Round.id == round_id))
    comments: dict[int | None, list[str]] = defaultdict(list)
    for clause_id, name, kind, body, proposed, disposition, explanation in db.session.execute(
        select(
            Comment.clause_id,
            Organisation.name,
            Comment.type,
            Comment.body,
            Comment.proposed_text,
            Response.disposition,
            Response.explanation,
        )
        .join(Organisation, Organisation.id == Comment.organisation_id)
        .outerjoin(Response, Response.comment_id == Comment.id)
        .where(Comment.round_id == round_id)
        .order_by(Comment.id)
    ):
        parts = [f"{name} ({kind}): {body}"]
        if proposed:
            parts.append(f"Proposed change: {proposed}")
        if disposition:
            parts.append(f"{disposition}: {explanation}")
        comments[clause_id].append(f"<p>{html.escape(' '.join(parts))}</p>")
    if not with_comments:
        comments.clear()
    body = ["<h2>General comments</h2>", *comments[None]] if comments else []
    for clause_id, number, heading, text in db.session.execute(
        select(Clause.id, Clause.number, Clause.heading, Clause.text)
        .where(Clause.version_id == version_id)
        .order_by(Clause.position)
    ):
        if heading:
            body.append(f"<h2>{html.escape(f'{number} {heading}')}</h2>")
        if text:
            body.append(f"<p>{html.escape(f'{number} {text}')}</p>")
        body.extend(comments[clause_id])
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bench</title></head>'
        f"<body>{''.join(body)}</body></html>"
    )


def element_count(page: str) -> int:
    """Return how many elements an HTML page opens: what WeasyPrint's time follows most."""
    return len(re.findall(r"<[a-zA-Z]", page))


def _load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _warm_up() -> float:
    """Render a one-line page, as any first render does: fonts found, engine loaded."""
    import io

    from weasyprint import HTML

    start = time.perf_counter()
    HTML(string="<p>Warm-up</p>").write_pdf(io.BytesIO())
    return time.perf_counter() - start


def render_variant_child(
    database_url: str, folder: str, params: dict[str, Any], moment: str, out_path: str
) -> Figures:
    """In a child process: render one variant to `out_path`; return its figures."""
    started = time.perf_counter()
    from consult import create_app
    from consult.services.consolidated import PdfRequest, consolidated_html, render_consolidated

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench"}, instance_path=folder)
    with app.app_context():
        _warm_up()
        ready = time.perf_counter() - started
        request, moment_at = PdfRequest.from_params(params), datetime.fromisoformat(moment)
        before = _maxrss_mb()
        steps: dict[str, float] = {}
        cpu = _cpu_seconds()
        start = time.perf_counter()
        with open(out_path, "wb") as out:
            pages = render_consolidated(
                None,
                request,
                moment_at,
                out,
                lambda step: steps.setdefault(step, time.perf_counter()),
            )
        end = time.perf_counter()
        used, peak = _cpu_seconds() - cpu, _maxrss_mb()
        # Counted after the render, whose first building of the HTML is part of its time.
        elements = element_count(consolidated_html(None, request, moment_at))
    return {
        "pages": pages,
        "seconds": end - start,
        "cpu": used,
        "html": steps["layout"] - start,
        "layout": steps["writing"] - steps["layout"],
        "writing": end - steps["writing"],
        "before": before,
        "peak": peak,
        "ready": ready,
        "elements": elements,
    }


def render_floor_child(page: str, out_path: str) -> Figures:
    """In a child process: WeasyPrint alone renders `page` to `out_path`; return its figures."""
    started = time.perf_counter()
    from weasyprint import HTML

    _warm_up()
    ready = time.perf_counter() - started
    before = _maxrss_mb()
    cpu = _cpu_seconds()
    start = time.perf_counter()
    document = HTML(string=page).render()
    laid_out = time.perf_counter()
    with open(out_path, "wb") as out:
        document.write_pdf(out)
    end = time.perf_counter()
    return {
        "pages": len(document.pages),
        "seconds": end - start,
        "cpu": _cpu_seconds() - cpu,
        "html": 0.0,
        "layout": laid_out - start,
        "writing": end - laid_out,
        "before": before,
        "peak": _maxrss_mb(),
        "ready": ready,
        "elements": element_count(page),
    }


def _report(sender: Connection, function: Callable[..., Figures], *args: object) -> None:
    """In the child: send back what `function(*args)` returns, or the error it raised."""
    try:
        sender.send(("done", function(*args)))
    except BaseException:
        sender.send(("failed", traceback.format_exc()))
        raise
    finally:
        sender.close()


def in_child(function: Callable[..., Figures], *args: object) -> Figures:
    """Run `function(*args)` in a fresh spawned process, which exits (freeing its memory) after."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_report, args=(sender, function, *args))
    process.start()
    sender.close()
    try:
        if not receiver.poll(CHILD_TIMEOUT):
            raise TimeoutError(f"{function.__name__} did not finish in {CHILD_TIMEOUT} s")
        outcome, value = receiver.recv()
    except EOFError:
        outcome, value = "failed", "the child process ended without an answer"
    finally:
        receiver.close()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()
    if outcome != "done":
        raise RuntimeError(f"{function.__name__} failed in its child process:\n{value}")
    return value  # type: ignore[no-any-return]


def per_200_pages(figures: Figures) -> float:
    """Return the child's peak memory scaled to 200 pages (its memory before rendering kept)."""
    grown = figures["peak"] - figures["before"]
    return figures["before"] + grown * 200 / figures["pages"]


def median_of(function: Callable[[], object], repeat: int) -> float:
    """Return the median of `repeat` timings of `function`, in seconds."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def rate_rows(label: str, figures: Figures, floor: Figures | None) -> list[Row]:
    """Return the rows of one render: pages and rate, steps, peak memory, ratio to the floor."""
    pages, seconds = int(figures["pages"]), figures["seconds"]
    aim = floor is not None
    steps = f"layout {figures['layout']:.1f} s, writing {figures['writing']:.1f} s"
    if figures["html"]:
        steps = f"HTML {figures['html']:.1f} s, {steps}"
    steps += f" ({int(figures['elements']):,} elements)"
    rows = [
        (
            "pdf",
            f"{label}: {pages} pages",
            f"{seconds:.1f} s (CPU {figures['cpu']:.1f} s), {pages / seconds:.1f} pages/s",
            ">= 7 pages/s" if aim else "",
        ),
        ("pdf", "  of which", steps, ""),
        (
            "pdf",
            "  peak memory of its child process",
            f"{figures['peak']:.0f} MB, {per_200_pages(figures):.0f} MB scaled to 200 pages",
            "< 350 MB per 200 pages" if aim else "",
        ),
    ]
    if floor is not None:
        wall = (seconds / pages) / (floor["seconds"] / floor["pages"])
        cpu = (figures["cpu"] / pages) / (floor["cpu"] / floor["pages"])
        ratios = f"{wall:.2f}x (CPU {cpu:.2f}x)"
        rows.append(("pdf", "  its seconds per page over the floor's", ratios, "< 1.3x"))
    return rows


def same_text_row(label: str, figures: Figures, floor: Figures) -> Row:
    """Return the ratio of a render's seconds to those of the floor on the same text."""
    wall = figures["seconds"] / floor["seconds"]
    ratios = f"{wall:.2f}x (CPU {figures['cpu'] / floor['cpu']:.2f}x)"
    return ("pdf", f"  {label}: its seconds over the floor's on the same text", ratios, "")


def served_again(app: Flask, pdf: Path, pages: int, moment: datetime) -> tuple[float, float, int]:
    """Store the comments PDF, ask for it again as the secretariat; time the download and /login."""
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import StoredExport, User
    from consult.services import consolidated, jobs
    from consult.services.consolidated import PdfRequest

    data = pdf.read_bytes()
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == "bench@example.org"))
        wanted = consolidated.check_request(user, PdfRequest("bench", 2, "comments"), moment)
        key = consolidated.pdf_key(user, wanted, moment)
        name = consolidated.file_name(wanted)
        db.session.add(
            StoredExport(
                key=key, file_name=name, media_type=PDF, data=data, size=len(data), pages=pages
            )
        )
        db.session.commit()
        params = {"viewer_id": user.id, "requested_at": moment.isoformat(), **wanted.as_params()}
        job = jobs.request_export("pdf", params, key, name, PDF, user)
        assert job.state == "done", job.state
        job_id = job.id
        db.session.remove()
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
    url = f"/exports/{job_id}/file"
    response = client.get(url)
    assert response.status_code == 200 and response.data == data, response.status_code
    served = median_of(lambda: client.get(url).close(), SERVED_REPEAT)
    floor = median_of(lambda: client.get("/login").close(), SERVED_REPEAT)
    return served, floor, len(data)


def run() -> list[Row]:
    """Build the data, render each variant and the floors in child processes; return the rows."""
    from flask_migrate import upgrade

    from consult import create_app
    from consult.extensions import db
    from consult.models.base import utcnow
    from consult.services.consolidated import PdfRequest, check_request

    rows: list[Row] = [("pdf", "load average at the start", _load(), "")]
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app(
            {"DATABASE_URL": database_url, "SECRET_KEY": "bench"}, instance_path=folder
        )
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            started = time.perf_counter()
            round_id = _populate(random.Random(10))
            made = time.perf_counter() - started
            pages = {
                name: floor_html(round_id, name == "comments") for name in ("text", "comments")
            }
            moment = utcnow()
            wanted = [
                (label, check_request(None, PdfRequest("bench", 2, **fields), moment))
                for label, fields in VARIANTS
            ]
            db.session.remove()
        rows.append(("pdf", f"data: 300 clauses, {COMMENTS:,} comments", f"{made:.1f} s", ""))

        floors = {
            name: in_child(render_floor_child, page, f"{folder}/floor-{name}.pdf")
            for name, page in pages.items()
        }
        rows.extend(rate_rows("floor: WeasyPrint alone, plain HTML", floors["comments"], None))
        rows.extend(rate_rows("  floor: the text alone", floors["text"], None)[:1])
        made_pdfs: dict[str, tuple[Path, Figures]] = {}
        for label, request in wanted:
            out = Path(folder) / f"{label.replace(' ', '')}.pdf"
            params, at = request.as_params(), moment.isoformat()
            figures = in_child(render_variant_child, database_url, folder, params, at, str(out))
            made_pdfs[label] = (out, figures)
            rows.extend(rate_rows(label, figures, floors["comments"]))
            if label in ("clean", "comments"):
                text = "comments" if label == "comments" else "text"
                rows.append(same_text_row(label, figures, floors[text]))
        pdf, comments = made_pdfs["comments"]
        rows.append(
            (
                "pdf",
                "a job's child before rendering: imports, app, a one-line page",
                f"{comments['ready']:.1f} s, {comments['before']:.0f} MB",
                "",
            )
        )

        served, sign_in, size = served_again(app, pdf, int(comments["pages"]), moment)
        rows.append(
            (
                "pdf",
                f"stored PDF served again ({size / 2**20:.1f} MB, median of {SERVED_REPEAT})",
                f"{served * 1000:.0f} ms",
                "< 100 ms",
            )
        )
        ratio = f"ratio {served / sign_in:.1f}x"
        rows.append(("pdf", "  floor: the sign-in page", f"{sign_in * 1000:.0f} ms", ratio))
        rows.append(
            ("pdf", "this process (it never renders): peak memory", f"{_maxrss_mb():.0f} MB", "")
        )
        rows.append(("pdf", "load average at the end", _load(), ""))
        with app.app_context():
            db.engine.dispose()
    return rows


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
