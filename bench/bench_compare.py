"""Comparing two versions: alignment and word diffs, against diff-match-patch alone.

The floor is diff-match-patch run on the same changed clause pairs (character
mode, semantic cleanup), which is what any per-clause diff must at least pay.
"server-side" runs what the comparison service computes on a first request
(consult.services.comparisons.compute_payload: alignment with the service's
settings and the word diff of every changed pair); "page" figures go through
the Flask test client on a SQLite database, and so include drawing the diffs
as HTML: the first request computes and stores the comparison, the second
reads it back.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from diff_match_patch import diff_match_patch

from bench.bench_import import CORPUS, best_of
from consult.domain.alignment import Alignment, ClauseText, align, carry_keys, clause_texts
from consult.domain.parsing import parse_draft
from consult.services.comparisons import compute_payload

CLAUSES = 300
WORDS_PER_CLAUSE = 100
EDITED = 0.2
MOVED = 5
LAW = "de-aufenthg-residence-act/AufenthG_"
REAL_PAIRS = [
    (f"{LAW}2012-07-02_stand.md", f"{LAW}2012-08-06_after-bluecard-directive-act.md"),
    (f"{LAW}2012-08-06_after-bluecard-directive-act.md", f"{LAW}2022-01-28_stand.md"),
]


def synthetic_versions(seed: int = 5) -> tuple[list[ClauseText], list[ClauseText]]:
    """Return two 300-clause versions: 20% of paragraphs reworded, a few moved."""
    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('bcdfgklmnprst')}{rng.choice('aeiou')}{n}" for n in range(3000)]
    old: list[ClauseText] = []
    section = ""
    for n in range(CLAUSES):
        if n % 10 == 0:
            section = f"sec-{n // 10 + 1}"
            old.append(ClauseText(section, f"Section {n // 10 + 1}", "Heading", "", None, n))
            continue
        text = " ".join(rng.choices(vocabulary, k=WORDS_PER_CLAUSE))
        old.append(ClauseText(f"{section}.{n % 10}", f"{n % 10}.", "", text, section, n))
    new = list(old)
    paragraphs = [n for n, c in enumerate(old) if c.text]
    for n in rng.sample(paragraphs, int(EDITED * CLAUSES)):
        words = new[n].text.split()
        for _ in range(5):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        words.insert(rng.randrange(len(words)), rng.choice(vocabulary))
        new[n] = ClauseText(*_fields(new[n], text=" ".join(words)))
    for n in rng.sample(paragraphs, MOVED):  # to the end of another section
        target = rng.choice([c.key for c in old if c.parent_key is None])
        new[n] = ClauseText(*_fields(new[n], parent_key=target))
    ordered = sorted(new, key=lambda c: (_section_rank(c, old), c.parent_key is not None))
    renumbered = [ClauseText(*_fields(c, position=n)) for n, c in enumerate(ordered)]
    return old, renumbered


def _fields(c: ClauseText, **change: object) -> tuple[object, ...]:
    values = {**vars(c), **change}
    names = ("key", "number", "heading", "text", "parent_key", "position", "kind")
    return tuple(values[name] for name in names)


def _section_rank(c: ClauseText, old: Sequence[ClauseText]) -> int:
    heading = c.parent_key or c.key
    return next(n for n, o in enumerate(old) if o.key == heading)


def changed_pairs(alignment: Alignment) -> list[tuple[str, str]]:
    """Return (old text, new text) of every matched pair whose text changed."""
    return [
        (" ".join(c.text for c in p.old), " ".join(c.text for c in p.new))
        for p in alignment.pairs
        if p.old and p.new and p.text_changed
    ]


def server_side(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> list[object]:
    """What a first request computes: the service's alignment and diffs."""
    payload = compute_payload(old, new)
    return [row[5] for row in payload["rows"] if row[5]]


def payload_pairs(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> list[tuple[str, str]]:
    """Return (old text, new text) of the pairs the service diffs, as it joins them."""
    payload = compute_payload(old, new)
    texts_old = [c[3] for c in payload["old"]]
    texts_new = [c[3] for c in payload["new"]]
    return [
        (
            "\n\n".join(t for t in (texts_old[i] for i in row[1]) if t),
            "\n\n".join(t for t in (texts_new[j] for j in row[2]) if t),
        )
        for row in payload["rows"]
        if row[5]
    ]


def floor(pairs: list[tuple[str, str]]) -> None:
    """Run diff-match-patch alone on the changed pairs."""
    engine = diff_match_patch()
    for a, b in pairs:
        diffs = engine.diff_main(a, b)
        engine.diff_cleanupSemantic(diffs)


def _load(name: str) -> list[ClauseText]:
    path = CORPUS / name
    return clause_texts(parse_draft(path.read_bytes(), path.name).clauses)


def imported(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> list[ClauseText]:
    """Return ``new`` with the keys an import after ``old`` gives it (carried where continued).

    Stored versions are compared by their keys, so the real pairs are measured
    as the platform stores them.
    """
    mapping = carry_keys(old, new, align(old, new))
    return [
        ClauseText(
            mapping.get(c.key, c.key),
            c.number,
            c.heading,
            c.text,
            None if c.parent_key is None else mapping.get(c.parent_key, c.parent_key),
            c.position,
            c.kind,
        )
        for c in new
    ]


def run() -> list[tuple[str, str, str, str]]:
    """Measure and return the rows of the comparison benchmark."""
    old, new = synthetic_versions()
    pairs = payload_pairs(old, new)
    words = sum(len(c.text.split()) for c in new)
    name = f"compare {len(new)} clauses ({words} words, {len(pairs)} changed)"
    dmp = best_of(lambda: floor(pairs))
    aligned = best_of(lambda: align(old, new, key_threshold=0.0))
    full = best_of(lambda: server_side(old, new))
    rows = [
        (name, "diff-match-patch alone on changed pairs (floor)", f"{dmp * 1000:.1f} ms", ""),
        (name, "align only", f"{aligned * 1000:.1f} ms", ""),
        (name, "server-side: align + word diffs", f"{full * 1000:.1f} ms", "< 100 ms"),
        (name, "server-side / floor", f"{full / dmp:.2f}x", ""),
    ]
    pages = [(name, old, new)]
    for old_name, new_name in REAL_PAIRS:
        if not (CORPUS / old_name).is_file() or not (CORPUS / new_name).is_file():
            continue
        a, b = _load(old_name), _load(new_name)
        b = imported(a, b)
        pairs = payload_pairs(a, b)
        label = (
            f"compare {Path(old_name).stem} vs {Path(new_name).stem} "
            f"({len(a)}/{len(b)} clauses, {len(pairs)} changed)"
        )
        dmp = best_of(lambda pairs=pairs: floor(pairs), repeat=3)  # type: ignore[misc]
        full = best_of(lambda a=a, b=b: server_side(a, b), repeat=3)  # type: ignore[misc]
        rows.append((label, "diff-match-patch alone (floor)", f"{dmp * 1000:.0f} ms", ""))
        rows.append((label, "server-side: align + word diffs", f"{full * 1000:.0f} ms", "< 1 s"))
        rows.append((label, "server-side / floor", f"{full / dmp:.2f}x", ""))
        pages.append((label, a, b))
    for label, a, b in (pages[0], pages[-1]):
        first, second = page_timings(a, b)
        rows.append(
            (
                label,
                "comparison page, first request (compute, store, render)",
                f"{first * 1000:.0f} ms",
                "",
            )
        )
        rows.append(
            (
                label,
                "comparison page, second request (stored)",
                f"{second * 1000:.0f} ms",
                "< 50 ms",
            )
        )
    return rows


def page_timings(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> tuple[float, float]:
    """Return the times of the first and (best of 5) later requests for the comparison page."""
    from consult import create_app
    from consult.extensions import db
    from consult.services import accounts

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "bench"},
            instance_path=folder,
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            _store_versions(old, new)
            accounts.create_user(
                "Bench", "bench@example.org", "secretariat", "correct horse battery", None, None
            )
            db.session.remove()
        client = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False
        client.post(
            "/login", data={"email": "bench@example.org", "password": "correct horse battery"}
        )
        url = "/documents/bench/compare/1/2"
        start = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        second = best_of(lambda: client.get(url).close(), repeat=5)
        with app.app_context():
            db.engine.dispose()
    return first, second


def _store_versions(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> None:
    from consult.extensions import db
    from consult.models import Clause, Document, Version
    from consult.models.base import utcnow

    document = Document(slug="bench", title="Bench", kind="")
    db.session.add(document)
    for number, clauses in ((1, old), (2, new)):
        version = Version(
            document=document,
            number=number,
            label=f"Version {number}",
            status="draft",
            source_text="",
            content_hash=str(number),
        )
        db.session.add(version)
        db.session.flush()
        db.session.add_all(
            Clause(
                version_id=version.id,
                key=c.key,
                number=c.number,
                heading=c.heading,
                text=c.text,
                kind=c.kind,
                position=n,
                parent_key=c.parent_key,
            )
            for n, c in enumerate(clauses)
        )
        db.session.flush()
        version.status, version.published_at = "published", utcnow()
    db.session.commit()


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
