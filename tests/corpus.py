"""Where the shared corpus of real documents is, for the tests that walk it.

It lies in ../shared/corpus beside the repository (or CONSULT_CORPUS). A
newcomer without it gets those tests skipped; CI (CI set) fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(
    os.environ.get("CONSULT_CORPUS")
    or Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
)
_SKIP_NAMES = {"SOURCE.txt", "INDEX.txt"}


def corpus_files() -> list[Path]:
    """Return every Markdown and plain-text document of the corpus, sorted."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.rglob("*") if p.suffix in (".md", ".txt") and p.name not in _SKIP_NAMES
    )


def require_corpus() -> None:
    """Skip the calling test without the corpus, or fail it in CI."""
    if not CORPUS.is_dir():
        message = f"corpus folder {CORPUS} is missing (set CONSULT_CORPUS)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
