"""Importing the largest real document of the corpus, against markdown-it-py alone."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from consult import create_app
from consult.domain.parsing import parse_draft
from consult.extensions import db

CORPUS = Path(
    os.environ.get("CONSULT_CORPUS", Path(__file__).resolve().parents[2] / "shared/corpus")
)
REPEAT = 5


def best_of(function: Callable[[], object], repeat: int = REPEAT) -> float:
    """Return the fastest of `repeat` timings of `function`, in seconds."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def largest_document() -> Path:
    """Return the largest Markdown or plain-text file of the corpus."""
    files = [p for p in CORPUS.rglob("*") if p.suffix in {".md", ".txt"} and p.is_file()]
    if not files:
        raise SystemExit(f"no corpus found at {CORPUS}; set CONSULT_CORPUS")
    return max(files, key=lambda p: p.stat().st_size)


def run() -> list[tuple[str, str, str, str]]:
    """Measure and return the rows of the import benchmark."""
    path = largest_document()
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    floor = best_of(lambda: MarkdownIt("commonmark").enable("table").parse(text))
    parse = best_of(lambda: parse_draft(data, path.name))
    clauses = len(parse_draft(data, path.name).clauses)

    from consult.services import drafts

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"},
            instance_path=folder,
        )
        with app.app_context():
            db.create_all()
            counter = iter(range(1, 1000))

            def import_once() -> None:
                drafts.import_draft(
                    data, document_slug=f"bench-{next(counter)}", filename=path.name
                )

            full = best_of(import_once)
            db.engine.dispose()
    name = f"import {path.name} ({len(data) // 1024} KB, {clauses} clauses)"
    return [
        (name, "markdown-it-py parse alone (floor)", f"{floor:.3f} s", ""),
        (name, "parse into clauses", f"{parse:.3f} s", ""),
        (name, "import into SQLite (parse + store)", f"{full:.3f} s", "< 2 s"),
        (name, "import / floor", f"{full / floor:.1f}x", "< 5x"),
    ]
