"""Every real document in the shared corpus imports into a sensible clause tree."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from consult.domain.parsing import CLAUSE_KINDS, ParsedDraft, parse_draft
from tests.corpus import CORPUS, corpus_files, require_corpus

_HEADING_LINE_RE = re.compile(
    r"^(#{1,6}\s+\S|(Article|ARTICLE|Section|SECTION|Chapter|Kapitel|Abschnitt)\s+\d+\s*[-–:]\s+[A-Z])"
)


def _files() -> list[Path]:
    return corpus_files()


@cache
def _parse(name: str) -> ParsedDraft:
    path = next(p for p in _files() if p.name == name)
    return parse_draft(path.read_bytes(), path.name)


@pytest.fixture(autouse=True)
def _need_corpus() -> None:
    require_corpus()


def test_corpus_is_complete() -> None:
    assert len(_files()) >= 80


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_document_imports_into_a_sane_tree(path: Path) -> None:
    data = path.read_bytes()
    draft = parse_draft(data, path.name)
    clauses = draft.clauses
    assert clauses
    keys = [c.key for c in clauses]
    assert len(set(keys)) == len(keys)
    assert [c.position for c in clauses] == list(range(len(clauses)))
    seen: set[str] = set()
    parents = {c.parent_key for c in clauses}
    for clause in clauses:
        assert clause.kind in CLAUSE_KINDS
        assert clause.parent_key is None or clause.parent_key in seen, clause
        seen.add(clause.key)
        # A bare number heading ("§ 76") is fine as long as something hangs under it.
        assert clause.text or clause.heading or (clause.number and clause.key in parents)
        if len(data) > 20_000:
            assert len(clause.text.encode()) < 0.15 * len(data), (clause.line, clause.key)
        heading_lines = [line for line in clause.text.split("\n") if _HEADING_LINE_RE.match(line)]
        assert len(heading_lines) < 2, (clause.line, heading_lines)


def _by_number(draft: ParsedDraft) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for clause in draft.clauses:
        found.setdefault(clause.number, []).append(clause.key)
    return found


def test_eupl_articles_1_to_15() -> None:
    draft = _parse("EUPL-1.2.txt")
    top = [c for c in draft.clauses if c.parent_key is None and c.number]
    assert [c.number for c in top] == [f"{n}." for n in range(1, 16)]
    assert top[0].heading == "Definitions"
    assert top[14].heading == "Applicable Law"
    assert draft.title == "EUROPEAN UNION PUBLIC LICENCE v. 1.2"


def test_mpl_dotted_clauses_nest() -> None:
    draft = _parse("MPL-2.0.txt")
    clauses = {c.key: c for c in draft.clauses}
    assert clauses["1"].heading == "Definitions"
    assert clauses["1.1"].parent_key == "1"
    assert clauses["1.2"].parent_key == "1"
    assert clauses["1.1"].heading == '"Contributor"'
    assert clauses["2.1"].parent_key == "2"


def test_cecill_articles_and_subclauses() -> None:
    draft = _parse("CECILL-2.1.txt")
    clauses = {c.key: c for c in draft.clauses}
    assert clauses["art-1"].number == "Article 1"
    assert clauses["art-1"].heading == "DEFINITIONS"
    assert clauses["art-1"].kind == "article"
    assert clauses["5.1"].parent_key == "art-5"
    assert clauses["5.3.1"].parent_key == "5.3"


def test_cecill_1_0_first_article_is_article_1_as_in_2_1() -> None:
    """CeCILL 1.0 writes "Article 1er"; 2.1 writes "Article 1": the same clause."""
    old, new = _parse("CECILL-1.0.txt"), _parse("CECILL-2.1.txt")
    first = {c.key: c for c in old.clauses}["art-1"]
    assert (first.number, first.kind, first.heading) == ("Article 1er", "article", "DEFINITIONS")
    articles = [c.key for c in old.clauses if c.kind == "article"]
    assert articles[:3] == ["art-1", "art-2", "art-3"]
    assert "art-1" in {c.key for c in new.clauses}


def test_gpl3_sections_0_to_17() -> None:
    draft = _parse("GPL-3.0.txt")
    numbered = [c for c in draft.clauses if c.kind == "section"]
    assert [c.number for c in numbered] == [f"{n}." for n in range(18)]
    assert {c.parent_key for c in numbered} == {"terms-and-conditions"}
    assert numbered[0].heading == "Definitions."


def test_aufenthg_paragraph_signs_with_numbered_paragraphs() -> None:
    draft = _parse("AufenthG_2022-01-28_stand.md")
    clauses = {c.key: c for c in draft.clauses}
    s1 = clauses["s-1"]
    assert (s1.number, s1.kind, s1.heading) == (
        "§ 1",
        "section",
        "Zweck des Gesetzes; Anwendungsbereich",
    )
    assert s1.parent_key == "ch-1"
    assert clauses["s-1.1"].number == "(1)"
    assert clauses["s-1.2"].parent_key == "s-1"
    assert clauses["s-1.2.1"].number == "1."
    assert clauses["s-1.2.1"].parent_key == "s-1.2"
    assert clauses["s-12a"].heading == "Wohnsitzregelung"
    assert clauses["ch-2.sec-1"].parent_key == "ch-2"


def test_dpg_table_rows() -> None:
    draft = _parse("dpg-standard-v1.1.4.md")
    rows = [c for c in draft.clauses if c.kind == "row"]
    assert [c.number for c in rows] == [f"{n}." for n in range(1, 10)] + ["9a)", "9b)", "9c)"]
    assert rows[9].heading == "Data Privacy & Security"
    assert rows[9].parent_key == rows[8].key
    assert rows[0].text.startswith("All projects must indicate")


def test_csaf_numbered_headings_nest() -> None:
    draft = _parse("csaf-v2.0-csaf-2.0-os.md")
    clauses = {c.key: c for c in draft.clauses}
    assert clauses["1"].heading == "Introduction"
    assert clauses["1.1"].parent_key == "1"
    assert clauses["3.2.1"].parent_key == "3.2"
    assert clauses["3.2.1.1"].parent_key == "3.2.1"


def test_ietf_draft_headings_nest_by_level() -> None:
    draft = _parse("draft-irtf-hrpc-research-14.md")
    assert draft.title == "Research into Human Rights Protocol Considerations"
    by_line = {c.line: c for c in draft.clauses}
    keys = {c.key: c for c in draft.clauses}
    # Sections after "--- middle" carry the numbers the published draft shows.
    headings = [c for c in draft.clauses if c.kind == "section"]
    assert len(headings) > 40
    nested = [c for c in headings if c.parent_key and keys[c.parent_key].kind == "section"]
    assert len(nested) > 20
    assert all(c.number.startswith(f"{keys[c.parent_key].number}.") for c in nested)
    assert len({c.number for c in headings}) == len(headings)
    assert by_line  # every clause has a line
