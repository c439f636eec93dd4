"""Unit tests of the draft parser on small inline drafts."""

from __future__ import annotations

import pytest

from consult.domain.parsing import (
    MAX_DRAFT_BYTES,
    DraftError,
    ParsedClause,
    ParsedDraft,
    decode_draft,
    parse_draft,
    parse_text,
)

PRINCIPLES = """---
document: border-principles
title: Recommended Principles and Guidelines
kind: principles-and-guidelines
label: Draft for the expert meeting of March 2012
unknown: ignored
---

# Recommended Principles and Guidelines

These principles apply at international borders.

## Part I: Principles

### Principle 1

States shall respect human rights at borders.

### Principle 2 {#p-two}

States shall not discriminate.

## Part II: Guidelines

### Guideline 4 - Screening

1. States should screen migrants:
   (a) on arrival;
   (b) in a safe place.
2. Screening should respect privacy. {#g4-2}

Closing remarks on screening.

| Indicator | Requirement |
| --- | --- |
| **1. Relevance** | Must be relevant. |
| **2. Licence** | Must be open. |
"""


def parse(text: str, filename: str = "draft.md") -> ParsedDraft:
    return parse_draft(text.encode(), filename)


def by_key(draft: ParsedDraft) -> dict[str, ParsedClause]:
    return {c.key: c for c in draft.clauses}


def test_front_matter_and_title() -> None:
    draft = parse(PRINCIPLES)
    assert draft.slug == "border-principles"
    assert draft.title == "Recommended Principles and Guidelines"
    assert draft.kind == "principles-and-guidelines"
    assert draft.label == "Draft for the expert meeting of March 2012"


def test_principles_and_guidelines_tree() -> None:
    clauses = by_key(parse(PRINCIPLES))
    assert clauses["p1"].kind == "preamble"
    assert clauses["part-i"].heading == "Principles"
    assert clauses["principle-1"].parent_key == "part-i"
    assert clauses["principle-1"].kind == "principle"
    assert clauses["principle-1-p1"].text == "States shall respect human rights at borders."
    assert clauses["p-two"].number == "Principle 2"
    assert clauses["p-two"].heading == ""
    guideline = clauses["guideline-4"]
    assert (guideline.number, guideline.heading, guideline.parent_key) == (
        "Guideline 4",
        "Screening",
        "part-ii",
    )
    item = clauses["guideline-4.1"]
    assert (item.number, item.kind, item.text) == (
        "1.",
        "paragraph",
        "States should screen migrants:",
    )
    assert clauses["guideline-4.1.a"].number == "(a)"
    assert clauses["guideline-4.1.a"].kind == "item"
    assert clauses["guideline-4.1.a"].text == "on arrival;"
    assert clauses["guideline-4.1.b"].parent_key == "guideline-4.1"
    assert clauses["g4-2"].text == "Screening should respect privacy."
    assert clauses["guideline-4-p1"].text == "Closing remarks on screening."
    assert clauses["guideline-4-p1"].parent_key == "guideline-4"


def test_numbered_table_rows() -> None:
    clauses = by_key(parse(PRINCIPLES))
    row = clauses["guideline-4.1-2"]
    assert (row.kind, row.number, row.heading, row.text) == (
        "row",
        "1.",
        "Relevance",
        "Must be relevant.",
    )


def test_positions_lines_and_parent_order() -> None:
    draft = parse(PRINCIPLES)
    assert [c.position for c in draft.clauses] == list(range(len(draft.clauses)))
    seen: set[str] = set()
    for clause in draft.clauses:
        assert clause.parent_key is None or clause.parent_key in seen
        seen.add(clause.key)
    assert by_key(draft)["principle-1"].line == 15


def test_reimport_gives_identical_keys() -> None:
    first = parse(PRINCIPLES)
    second = parse(PRINCIPLES)
    assert first == second


def test_written_keys_are_explicit_and_derived_ones_are_not() -> None:
    clauses = by_key(parse(PRINCIPLES))
    assert {key for key, clause in clauses.items() if clause.key_is_explicit} == {"p-two", "g4-2"}
    assert not clauses["principle-1"].key_is_explicit


@pytest.mark.parametrize(
    ("text", "filename", "key", "content"),
    [
        ("# T\n\n## Scope {#aims}\n\nText.\n", "a.md", "aims", "Scope"),
        ("# T\n\nA paragraph. {#para}\n", "a.md", "para", "A paragraph."),
        ("# T\n\n1. An item. {#item}\n2. Another.\n", "a.md", "item", "An item."),
        ("# T\n\n## Art. 2\n\nStates:\n(a) protect;\n(b) respect. {#b}\n", "a.md", "b", "respect."),
        (
            "TITLE\n\nPreamble {#pre}\n\n1. The first clause, which runs on.\n",
            "a.txt",
            "pre",
            "Preamble",
        ),
        (
            "TITLE\n\n1. A paragraph that runs on and on, with no title. {#num}\n",
            "a.txt",
            "num",
            "A",
        ),
    ],
    ids=["heading", "paragraph", "list-item", "lettered-line", "plain-heading", "plain-numbered"],
)
def test_a_marker_makes_that_key_explicit_in_every_reader(
    text: str, filename: str, key: str, content: str
) -> None:
    draft = parse(text, filename)
    assert [c.key for c in draft.clauses if c.key_is_explicit] == [key]
    clause = by_key(draft)[key]
    assert (clause.heading or clause.text).startswith(content)
    assert "{#" not in clause.heading + clause.text


@pytest.mark.parametrize(("title", "filename"), [("# TITLE", "a.md"), ("TITLE", "a.txt")])
def test_a_marker_inside_a_paragraph_is_text_not_a_key(title: str, filename: str) -> None:
    draft = parse(f"{title}\n\nThis paragraph quotes\nthe marker {{#p9}}\n", filename)
    assert [(c.key, c.key_is_explicit) for c in draft.clauses] == [("p1", False)]
    assert draft.clauses[0].text == "This paragraph quotes\nthe marker {#p9}"


def test_decoded_text_parses_as_the_bytes_do() -> None:
    data = "\ufeff# T\r\n\r\n## A {#a}\r\n\r\nText.\r\n".encode()
    text = decode_draft(data)
    assert text == "# T\r\n\r\n## A {#a}\r\n\r\nText.\r\n"  # no BOM, newlines as written
    assert parse_text(text, "a.md") == parse_draft(data, "a.md")
    assert by_key(parse_text(text, "a.md"))["a"].line == 3


def test_lettered_lines_split_into_items() -> None:
    draft = parse("## Article 5\n\nStates shall:\n(a) protect;\n(b) respect; and\n(c) fulfil.\n")
    clauses = by_key(draft)
    assert [c.number for c in draft.clauses] == ["Article 5", "", "(a)", "(b)", "(c)"]
    assert clauses["art-5.c"].text == "fulfil."
    assert clauses["art-5.a"].parent_key == "art-5"


def test_roman_after_letters() -> None:
    draft = parse("## Art. 2\n\n(a) one:\n(i) sub one;\n(ii) sub two;\n(b) two.\n")
    clauses = by_key(draft)
    assert clauses["art-2.a.i"].kind == "item"
    assert clauses["art-2.a.ii"].parent_key == "art-2.a"
    assert clauses["art-2.b"].parent_key == "art-2"


def test_letter_i_after_h_is_a_letter() -> None:
    lines = "\n".join(f"({c}) item {c};" for c in "abcdefghij")
    clauses = parse(f"## § 3\n\n{lines}\n").clauses
    assert [c.key for c in clauses][-2:] == ["s-3.i", "s-3.j"]
    assert {c.parent_key for c in clauses[1:]} == {"s-3"}


def test_plain_text_numbered_headings_and_paragraphs() -> None:
    text = (
        "MY LICENCE\n\n1.Definitions\nIn this Licence words mean things.\n\n"
        "2. Grant\n\n2.1 You may copy.\n\n2.2 You may share:\n\n(a) freely;\n\n(b) widely.\n\n"
        "3. This clause is a long numbered paragraph that runs on and on, with no title at all.\n"
    )
    draft = parse(text, "licence.txt")
    clauses = by_key(draft)
    assert draft.title == "MY LICENCE"
    assert (clauses["1"].heading, clauses["1"].text) == ("Definitions", "")
    assert clauses["1-p1"].text == "In this Licence words mean things."
    assert clauses["2.1"].parent_key == "2"
    assert clauses["2.2.a"].parent_key == "2.2"
    assert clauses["3"].heading == ""
    assert clauses["3"].kind == "paragraph"
    assert clauses["3"].text.startswith("This clause is a long")


def test_format_detected_from_content_without_extension() -> None:
    draft = parse_draft(b"# Title\n\n## Scope\n\nSome text.\n\n- a\n- b\n", "")
    assert [c.key for c in draft.clauses] == ["scope", "scope-p1", "scope-p2"]


def test_derived_key_collision_gets_suffix() -> None:
    draft = parse("# T\n\n## Notes\n\nOne.\n\n## Notes\n\nTwo.\n")
    assert [c.key for c in draft.clauses] == ["notes", "notes-p1", "notes-2", "notes-2-p1"]


def test_empty_heading_mid_document_is_a_warning() -> None:
    draft = parse("# T\n\n## Scope\n\n## Aims\n\nText.\n")
    assert [str(w) for w in draft.warnings] == ["line 3: heading 'Scope' has no content"]


def test_numbered_heading_with_words_may_be_empty_at_the_end() -> None:
    draft = parse("# Gesetz\n\n## § 4\n\nText.\n\n## § 5 (weggefallen)\n")
    assert draft.clauses[-1].number == "§ 5"
    assert draft.clauses[-1].heading == "(weggefallen)"


@pytest.mark.parametrize(
    ("data", "filename", "line", "message"),
    [
        (b"", "a.md", None, "the draft is empty"),
        (b"  \n\n\t\n", "a.md", None, "the draft is empty"),
        (b"---\ntitle: x\n---\n\n", "a.md", None, "the draft is empty"),
        (b"Hello\n\xff\xfe wrong\n", "a.txt", 2, "not UTF-8"),
        (b"PK\x03\x04\x00\x00binary", "a.md", None, "binary file"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20, "a.txt", None, "binary file"),
        (b"---\ntitle: [unclosed\n---\ntext\n", "a.md", 2, "not valid YAML"),
        (b"---\ntitle: a\nkind: b: c\n---\ntext\n", "a.md", 3, "not valid YAML"),
        (b"# T\n\n## A {#Bad Key}\n\ntext\n", "a.md", 3, "invalid clause key 'Bad Key'"),
        (b"# T\n\n## A {#a}\n\nx\n\n## B {#a}\n\ny\n", "a.md", 7, "duplicate key 'a' (first"),
        (b"# T\n\n##\n\ntext\n", "a.md", 3, "heading without text"),
        (b"# T\n\n## Scope\n\ntext\n\n## Annex\n", "a.md", 7, "heading 'Annex' has no content"),
        (b"# T\n\n## Scope\n\ntext\n\n## Notes\n", "a.md", 7, "heading 'Notes' has no content"),
    ],
)
def test_bad_input(data: bytes, filename: str, line: int | None, message: str) -> None:
    with pytest.raises(DraftError) as caught:
        parse_draft(data, filename)
    assert caught.value.line == line
    assert message in caught.value.message
    prefix = f"line {line}: " if line is not None else ""
    assert str(caught.value) == prefix + caught.value.message


def test_duplicate_key_names_both_lines() -> None:
    text = "# T\n\n1. one {#k}\n2. two\n\n## Next\n\n3. three {#k}\n"
    with pytest.raises(DraftError, match=r"^line 8: duplicate key 'k' \(first used on line 3\)$"):
        parse(text)


def test_size_limit_checked_before_decoding() -> None:
    data = b"\xff" * (MAX_DRAFT_BYTES + 1)
    with pytest.raises(DraftError, match="limit is 5 MB"):
        parse_draft(data, "big.md")


def test_front_matter_only_at_the_top() -> None:
    draft = parse("Title line\n---\ntitle: not front matter\n---\n\nBody.\n", "x.md")
    assert draft.slug is None
    assert draft.clauses


def test_bom_and_crlf_accepted() -> None:
    draft = parse_draft("\ufeff# T\r\n\r\n## A\r\n\r\nText.\r\n".encode(), "a.md")
    assert by_key(draft)["a-p1"].text == "Text."
