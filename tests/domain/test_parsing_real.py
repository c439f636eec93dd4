"""The parser on excerpts of the real texts of the corpus (see docs/corpus.md).

Each test quotes a few lines of a real document where the parser once went
wrong, and states what a reader of that text would call its clauses.
"""

from __future__ import annotations

from consult.domain.parsing import ParsedDraft, parse_text


def _parse(text: str, filename: str = "draft.md") -> ParsedDraft:
    return parse_text(text, filename)


def _tree(draft: ParsedDraft) -> dict[str, str | None]:
    return {c.key: c.parent_key for c in draft.clauses}


# AufenthG 2022, § 69 (5): numbers 1a to 1c inserted between 1 and 2.
FEES = """# Aufenthaltsgesetz

#### § 69 Gebühren

(5) Die in der Rechtsverordnung bestimmten Gebühren dürfen folgende
Höchstsätze nicht übersteigen:

1.  für die Erteilung einer Aufenthaltserlaubnis: 140 Euro,


1a. für die Erteilung einer Blauen Karte EU: 140 Euro,


1b. für die Erteilung einer ICT-Karte: 140 Euro,


1c. für die Erteilung einer Mobiler-ICT-Karte: 100 Euro,


2.  für die Erteilung einer Niederlassungserlaubnis: 200 Euro,
"""

# AufenthG 2022, § 15 (2): number 2a after 2, inside paragraph (2).
BORDER = """# Aufenthaltsgesetz

#### § 15 Zurückweisung

(2) Ein Ausländer kann an der Grenze zurückgewiesen werden, wenn

1.  ein Ausweisungsinteresse besteht,


2.  der begründete Verdacht besteht, dass der Aufenthalt nicht dem
    angegebenen Zweck dient,


2a. er nur über ein Schengen-Visum verfügt oder für einen kurzfristigen
    Aufenthalt von der Visumpflicht befreit ist.
"""


def test_an_inserted_number_after_one_is_a_sibling_not_a_child() -> None:
    tree = _tree(_parse(FEES))
    for key in ("s-69.5.1", "s-69.5.1a", "s-69.5.1b", "s-69.5.1c", "s-69.5.2"):
        assert tree[key] == "s-69.5", key


def test_an_inserted_number_is_keyed_beside_its_siblings_not_its_parent() -> None:
    tree = _tree(_parse(BORDER))
    assert tree["s-15.2.2a"] == "s-15.2"
    assert "s-15.2a" not in tree  # that would read as a paragraph "(2a)"
