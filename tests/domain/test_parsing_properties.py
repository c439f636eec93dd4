"""Property tests: generated drafts and arbitrary bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.domain.parsing import DraftError, parse_draft

_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)


@given(st.lists(_WORDS, min_size=1, max_size=30))
@settings(max_examples=60, deadline=None)
def test_numbered_paragraphs_give_one_clause_each(texts: list[str]) -> None:
    body = "\n\n".join(f"({i + 1}) Text {words.strip()}." for i, words in enumerate(texts))
    draft = parse_draft(f"# T\n\n## Article 1\n\n{body}\n".encode(), "d.md")
    paragraphs = [c for c in draft.clauses if c.number.startswith("(")]
    assert [c.number for c in paragraphs] == [f"({i + 1})" for i in range(len(texts))]
    assert all(c.parent_key == "art-1" for c in paragraphs)
    keys = [c.key for c in draft.clauses]
    assert len(keys) == len(set(keys))


@given(st.binary(max_size=2000), st.sampled_from(["a.md", "a.txt", ""]))
@settings(max_examples=300, deadline=None)
def test_arbitrary_bytes_raise_only_draft_error(data: bytes, filename: str) -> None:
    try:
        draft = parse_draft(data, filename)
    except DraftError:
        return
    keys = [c.key for c in draft.clauses]
    assert len(keys) == len(set(keys))


@given(st.text(max_size=1500), st.sampled_from(["a.md", "a.txt"]))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_raises_only_draft_error(text: str, filename: str) -> None:
    try:
        draft = parse_draft(text.encode(), filename)
    except DraftError:
        return
    keys = [c.key for c in draft.clauses]
    assert len(keys) == len(set(keys))
    assert [c.position for c in draft.clauses] == list(range(len(draft.clauses)))
