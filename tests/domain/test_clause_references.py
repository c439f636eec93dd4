"""Finding the clause a commenter meant from what they wrote, on plain data (no app)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consult.domain import clause_references as refs
from consult.domain.parsing import DraftError, parse_text
from tests.corpus import corpus_files, require_corpus

ROOT = Path(__file__).resolve().parents[2]


def index_of(text: str) -> refs.ClauseIndex:
    """Return the index of the clauses the draft parser reads from ``text``."""
    draft = parse_text(text, "draft.md")
    return refs.build_index(
        [refs.ClauseEntry(c.key, c.number, c.kind, c.heading, c.parent_key) for c in draft.clauses]
    )


def key_of(index: refs.ClauseIndex, clause: str, paragraph: str = "") -> str | None:
    found = refs.match_reference(index, clause, paragraph)
    assert found.outcome in (refs.CLAUSE, refs.NEAREST), (clause, found)
    return found.key


BORDERS = index_of((ROOT / "drafts" / "human-rights-borders" / "v1.md").read_text())

STANDARD = index_of(
    "# A standard\n\n## Foreword\n\nWhy.\n\n## 1 Scope\n\nWhat.\n\n## 2 Terms\n\n"
    "### 2.1 Border\n\nA line.\n\n### 2.2 Migrant\n\nA person.\n\n"
    "## 3 Requirements\n\nIntro.\n\n### 3.1 General\n\nText.\n\n"
    "#### 3.1.1 Detail\n\nMore.\n\n### 3.2 Lists\n\na) first;\n\nb) second.\n\n"
    "## Annex A Examples\n\nSome.\n\n## Bibliography\n\nBooks.\n"
)

LAW = index_of(
    "# Ein Gesetz\n\n## § 5 Zweck\n\n(1) Erster Absatz.\n\n(2) Zweiter Absatz:\n\n"
    "1. erste Nummer,\n2. zweite Nummer.\n\n## § 12a Neu\n\nNur ein Satz.\n"
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("3.1", [("n:3.1",)]),
        ("Guideline 4, para 2", [("guideline:4", "q:2")]),
        ("Guideline 4, paragraph 2 (a)", [("guideline:4", "q:2", "n:a")]),
        ("§ 5 (1)", [("s:5", "q:1")]),
        ("§5(1)", [("s:5", "q:1")]),
        ("§ 5 Abs. 2 Nr. 1", [("s:5", "q:2", "n:1")]),
        ("4.2 a)", [("n:4.2", "n:a")]),
        ("4.2(a)", [("n:4.2", "n:a")]),
        ("Principle 3", [("principle:3",)]),
        ("Annex", [("annex:",)]),
        ("Annex A (informative)", [("annex:a",)]),
        ("Part II, Guideline 4", [("part:ii", "guideline:4")]),
        ("Art. 5(2)(b)", [("art:5", "q:2", "n:b")]),
        ("Clause 4 and document", [("n:4",)]),
        ("5.1 and 5.2", [("n:5.1",), ("n:5.2",)]),
        ("Item 2-13.1", [("n:2-13.1",)]),
        ("Table 1", []),
        ("Figure 3, line 17", []),
        ("ISO 80000-3:2019, 5.1", [("n:5.1",)]),
        ("2-5.7, 4th column", [("n:2-5.7",)]),
        ("", []),
    ],
)
def test_references_are_read_into_components(written: str, expected: list[tuple[str, ...]]) -> None:
    assert refs.parse_reference(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "",
        "  ",
        "General",
        "general comment",
        "Whole document",
        "_whole document",
        "ALL",
        "All.",
        "Entire document",
        "n/a",
        "—",
        "-",
        "Throughout",
        "Général",
        "Todo el documento",
    ],
)
def test_the_whole_document_is_named_in_many_ways(written: str) -> None:
    assert refs.is_whole_document(written)
    assert refs.match_reference(BORDERS, written).outcome == refs.DOCUMENT


@pytest.mark.parametrize("written", ["General Assembly 3", "4", "Clause 4 and document", "Scope"])
def test_a_reference_is_not_the_whole_document(written: str) -> None:
    assert not refs.is_whole_document(written)


@pytest.mark.parametrize(
    ("clause", "paragraph", "key"),
    [
        ("Guideline 4, para 2", "", "guideline-rescue.2"),
        ("Guideline 4 para. 2", "", "guideline-rescue.2"),
        ("Guideline 4.2", "", "guideline-rescue.2"),
        ("Guideline 4", "para 2", "guideline-rescue.2"),
        ("Guideline 4", "2", "guideline-rescue.2"),
        ("guideline 4", "", "guideline-rescue"),
        ("Part II, Guideline 4", "", "guideline-rescue"),
        ("Guideline 6, para 1 (a)", "", "guideline-identification.1.a"),
        ("Guideline 6.1(b)", "", "guideline-identification.1.b"),
        ("Guideline 6, para 1", "(c)", "guideline-identification.1.c"),
        ("Principle 3", "", "principle-assistance"),
        ("Principle 3, paragraph 2", "", "principle-assistance-p2"),
        ("Principle 3 (2)", "", "principle-assistance-p2"),
        ("Principle 3", "second paragraph, 2", "principle-assistance-p2"),
        ("Part I", "", "part-i"),
        ("Introduction", "", "introduction"),
        ("Introduction, para 3", "", "introduction-p3"),
        ("guideline-rescue.2", "", "guideline-rescue.2"),
        ("Guideline 4", "Table 2", "guideline-rescue"),
    ],
)
def test_references_to_a_principles_and_guidelines_text(
    clause: str, paragraph: str, key: str
) -> None:
    found = refs.match_reference(BORDERS, clause, paragraph)
    assert (found.outcome, found.key) == (refs.CLAUSE, key)


def test_the_paragraph_column_narrows_the_clause_and_says_so() -> None:
    narrowed = refs.match_reference(BORDERS, "Guideline 4", "para 2")
    assert (narrowed.key, narrowed.refined) == ("guideline-rescue.2", True)
    kept = refs.match_reference(BORDERS, "Guideline 4", "Table 2")
    assert (kept.key, kept.refined) == ("guideline-rescue", False)
    nearest = refs.match_reference(BORDERS, "Guideline 4, para 9", "para 3")
    assert (nearest.outcome, nearest.key, nearest.refined) == (
        refs.NEAREST,
        "guideline-rescue.3",
        True,
    )


@pytest.mark.parametrize(
    ("clause", "key"),
    [
        ("1", "1"),
        ("Clause 1", "1"),
        ("2.2", "2.2"),
        ("Subclause 2.2", "2.2"),
        ("3.1.1", "3.1.1"),
        ("3.2 a)", "3.2.a"),
        ("3.2 b", "3.2.b"),
        ("3.2(b)", "3.2.b"),
        ("Annex A", "annex-a"),
        ("Bibliography", "bibliography"),
        ("Scope", "1"),
        ("Foreword", "foreword"),
        ("Section 3.1", "3.1"),
    ],
)
def test_references_to_a_standard(clause: str, key: str) -> None:
    found = refs.match_reference(STANDARD, clause)
    assert (found.outcome, found.key) == (refs.CLAUSE, key)


@pytest.mark.parametrize(
    ("clause", "key"),
    [
        ("§ 5", "s-5"),
        ("§ 5 (1)", "s-5.1"),
        ("§ 5 Abs. 2", "s-5.2"),
        ("§ 5 Abs. 2 Nr. 2", "s-5.2.2"),
        ("§ 5 (2) 1.", "s-5.2.1"),
        ("§12a", "s-12a"),
    ],
)
def test_references_to_a_law(clause: str, key: str) -> None:
    found = refs.match_reference(LAW, clause)
    assert (found.outcome, found.key) == (refs.CLAUSE, key)


@pytest.mark.parametrize(
    ("index", "clause", "key"),
    [
        (STANDARD, "3.1.7", "3.1"),
        (STANDARD, "3.4.1", "3"),
        (STANDARD, "Item 2-3.4", "3"),
        (STANDARD, "Items 2-2.12-2.4", "2"),
        (BORDERS, "Guideline 4, para 9", "guideline-rescue"),
        (LAW, "§ 5 Abs. 9", "s-5"),
    ],
)
def test_a_clause_that_does_not_exist_lands_on_the_nearest_one(
    index: refs.ClauseIndex, clause: str, key: str
) -> None:
    found = refs.match_reference(index, clause)
    assert (found.outcome, found.key) == (refs.NEAREST, key)


@pytest.mark.parametrize("clause", ["9", "Guideline 99", "Table 4", "Annex Z", "Principle 12"])
def test_a_clause_with_nothing_near_is_not_found(clause: str) -> None:
    assert refs.match_reference(BORDERS, clause).outcome == refs.NOT_FOUND


def test_a_number_several_clauses_have_is_ambiguous() -> None:
    found = refs.match_reference(BORDERS, "para 2")
    assert found.outcome == refs.AMBIGUOUS
    assert {"guideline-rescue.2", "guideline-promotion.2"} <= set(found.candidates)
    assert found.key is None


def test_a_carried_key_that_looks_like_a_number_loses_to_the_number() -> None:
    # Version 2 renumbered: the clause numbered 4.2 carries the key "4.3", and 4.3 the key "4.2".
    index = refs.build_index(
        [
            refs.ClauseEntry("4", "4", "section", "Four"),
            refs.ClauseEntry("4.3", "4.2", "section", "Moved up", "4"),
            refs.ClauseEntry("4.2", "4.3", "section", "Moved down", "4"),
        ]
    )
    assert key_of(index, "4.2") == "4.3"
    assert key_of(index, "4.3") == "4.2"


# Properties ---------------------------------------------------------------------------------


@given(st.text(max_size=80))
def test_reading_any_text_never_fails(text: str) -> None:
    for reference in refs.parse_reference(text):
        assert reference
        assert all(
            part.split(":")[0]
            in {
                "n",
                "q",
                "p",
                "h",
                "s",
                "art",
                "part",
                "annex",
                "ch",
                "sec",
                "principle",
                "guideline",
            }
            for part in reference
        )
    found = refs.match_reference(STANDARD, text, text)
    assert found.outcome in refs.OUTCOMES


# A guidelines document: how many numbered paragraphs each guideline has, and how many items.
_SHAPES = st.lists(
    st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=4),
    min_size=1,
    max_size=5,
)


def _guidelines(shape: list[list[int]]) -> str:
    parts = ["# Guidelines\n"]
    for g, paragraphs in enumerate(shape, start=1):
        parts.append(f"## Guideline {g}: Topic {g}\n")
        for p, items in enumerate(paragraphs, start=1):
            parts.append(f"{p}. Paragraph {p} of guideline {g}.\n")
            for i in range(items):
                parts.append(f"   ({'abc'[i]}) item {i} of {p}.\n")
        parts.append("")
    return "\n".join(parts)


@given(
    _SHAPES,
    st.sampled_from(
        [
            "Guideline {g}, para {p}",
            "Guideline {g}.{p}",
            "Guideline {g} paragraph {p}",
            "guideline {g} ({p})",
        ]
    ),
)
def test_every_paragraph_of_generated_guidelines_is_found(
    shape: list[list[int]], form: str
) -> None:
    index = index_of(_guidelines(shape))
    for g, paragraphs in enumerate(shape, start=1):
        assert key_of(index, f"Guideline {g}") == f"guideline-{g}"
        for p, items in enumerate(paragraphs, start=1):
            assert key_of(index, form.format(g=g, p=p)) == f"guideline-{g}.{p}"
            for i in range(items):
                letter = "abc"[i]
                assert (
                    key_of(index, f"Guideline {g}, para {p} ({letter})")
                    == f"guideline-{g}.{p}.{letter}"
                )
                assert (
                    key_of(index, f"Guideline {g}", f"{p} ({letter})")
                    == f"guideline-{g}.{p}.{letter}"
                )
        # A paragraph past the last lands on its guideline.
        beyond = refs.match_reference(index, f"Guideline {g}, para {len(paragraphs) + 1}")
        assert (beyond.outcome, beyond.key) == (refs.NEAREST, f"guideline-{g}")


_TREES = st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=6)


@given(_TREES, st.integers(min_value=1, max_value=9))
def test_every_numbered_heading_of_a_generated_standard_is_found(
    children: list[int], deeper: int
) -> None:
    lines = ["# Standard\n"]
    numbers: list[str] = []
    for top, count in enumerate(children, start=1):
        lines.append(f"## {top} Clause {top}\n\nText.\n")
        numbers.append(str(top))
        for sub in range(1, count + 1):
            lines.append(f"### {top}.{sub} Sub {sub}\n\nText.\n")
            numbers.append(f"{top}.{sub}")
    index = index_of("\n".join(lines))
    for number in numbers:
        assert key_of(index, number) == number
        assert key_of(index, f"Clause {number}") == number
        # ISO items "2-<clause>.<item>" and deeper numbers land on the clause.
        found = refs.match_reference(index, f"{number}.{deeper}{deeper}")
        assert (found.outcome, found.key) == (refs.NEAREST, number)


_WHOLE = st.sampled_from(["general", "whole document", "all", "entire document", ""])


@given(_WHOLE, st.sampled_from(["", " ", ".", ":", "_"]), st.booleans())
def test_whole_document_words_in_any_case_and_punctuation(
    word: str, mark: str, upper: bool
) -> None:
    written = f"{mark}{word.upper() if upper else word.title()}{mark}"
    assert refs.match_reference(STANDARD, written).outcome == refs.DOCUMENT


# The corpus of real documents -----------------------------------------------------------------

_WORDS = {
    "guideline": "Guideline",
    "principle": "Principle",
    "art": "Article",
    "s": "§",
    "part": "Part",
    "annex": "Annex",
    "ch": "Chapter",
    "sec": "Section",
}


def _written(path: tuple[str, ...]) -> str | None:
    """Return a clause's path as a person would write it ("§ 5 (2)", "Guideline 4, para 2")."""
    if path[0].startswith(("p:", "h:")):
        return None
    out = []
    for position, component in enumerate(path):
        prefix, _, token = component.partition(":")
        if prefix == "h":
            return None
        if prefix == "n":
            # "4.2" and an appendix's "C.3" stand alone; "(a)" and "(2)" below them.
            alone = token[0].isdigit() or (
                len(token) > 2 and token[1] == "." and token[2].isdigit()
            )
            written = token if token[0].isdigit() else token.upper()
            out.append(written if position == 0 and alone else f"({token})")
        elif prefix == "p":
            out.append(f"para {token}")
        else:
            number = token.upper() if prefix in ("part", "annex") else token
            out.append(f"{_WORDS[prefix]} {number}".strip())
    return ", ".join(out)


def test_every_clause_of_the_corpus_is_found_by_its_written_number() -> None:
    require_corpus()
    checked = 0
    for folder in sorted({path.parent for path in corpus_files()}):
        first = sorted(p for p in corpus_files() if p.parent == folder)[0]
        try:
            index = index_of(first.read_text(errors="replace"))
        except DraftError:
            continue
        for key, path in index.paths.items():
            written = _written(path)
            if written is None or len(index.by_path[path]) != 1:
                continue
            found = refs.match_reference(index, written)
            if path[-1].startswith("p:"):
                # "para 1" is first read as the paragraph numbered 1, where the parent has one.
                numbered = (*path[:-1], "n:" + path[-1][2:])
                if numbered in index.by_path:
                    named = {found.key, *found.candidates}
                    assert named & set(index.by_path[numbered]), (first, written)
                    continue
            assert (found.outcome, found.key) == (refs.CLAUSE, key), (first, written, found)
            checked += 1
    assert checked > 1000


def test_a_section_of_a_lettered_appendix_is_found_by_its_number() -> None:
    # OASIS CSAF 2.0, Appendix C: "C.3 String length".
    index = index_of(
        "# CSAF\n\n# Appendix C. Guidance on the Size\n\nGuidance.\n\n"
        "## C.1 File size\n\nAt most 15 MB.\n\n## C.3 String length\n\nAt most 1000.\n"
    )
    assert key_of(index, "C.3") == "c.3"
    found = refs.match_reference(index, "C.3, para 1")
    assert (found.outcome, found.key) == (refs.CLAUSE, "c.3-p1")
