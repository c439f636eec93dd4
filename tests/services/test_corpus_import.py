"""Every real document of the corpus imports into the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Clause, Version
from consult.services import drafts
from tests.corpus import corpus_files, require_corpus


def test_whole_corpus_imports_and_round_trips(app: object) -> None:
    require_corpus()
    files = corpus_files()
    assert len(files) >= 80
    expected = 0
    for index, path in enumerate(files):
        slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:70] + f"-{index}"
        result = drafts.import_draft(
            path.read_bytes(), document_slug=slug, filename=path.name, title=path.stem
        )
        assert result.clause_count > 0, path.name
        expected += result.clause_count
    assert db.session.scalar(select(func.count()).select_from(Version)) == len(files)
    assert db.session.scalar(select(func.count()).select_from(Clause)) == expected
