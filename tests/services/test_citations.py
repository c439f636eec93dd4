"""Citations of clauses (services/clause_tree.build_tree) on excerpts of real texts.

Every clause is cited by a name a reader can use in a letter, and two
different clauses never share one: a comment filed against "§ 4, paragraph 1,
number 1" must name one clause only.
"""

from __future__ import annotations

from collections import Counter

from flask import Flask

from consult.domain.parsing import parse_text
from consult.services.clause_tree import build_tree

# From the Residence Act (AufenthG, 2022), § 4 (1): a numbered list inside a
# numbered paragraph, and a sentence after the list.
AUFENTHG_4 = """# Aufenthaltsgesetz

#### § 4 Erfordernis eines Aufenthaltstitels

(1) Ausländer bedürfen für die Einreise und den Aufenthalt im
Bundesgebiet eines Aufenthaltstitels. Die Aufenthaltstitel werden
erteilt als

1.  Visum im Sinne des § 6 Absatz 1 Nummer 1 und Absatz 3,


2.  Aufenthaltserlaubnis (§ 7),


2a. Blaue Karte EU (§ 18b Absatz 2),


3.  Niederlassungserlaubnis (§ 9) oder


4.  Erlaubnis zum Daueraufenthalt – EU (§ 9a).



Die für die Aufenthaltserlaubnis geltenden Rechtsvorschriften werden
auch auf die Blaue Karte EU angewandt.

(2) Ein Ausländer, dem nach dem Assoziationsabkommen ein Aufenthaltsrecht
zusteht, ist verpflichtet, das Bestehen des Aufenthaltsrechts nachzuweisen.
"""

# From the sample brief (drafts/gmg-issues-brief): an unnumbered sentence
# before numbered paragraphs.
RECOMMENDATIONS = """# Brief

## Recommendations

We recommend that States:

1. Publish their rules.

2. Answer every comment.
"""

# From the Residence Act: two chapters each with an "Abschnitt 1".
CHAPTERS = """# Aufenthaltsgesetz

## Kapitel 1 Allgemeine Bestimmungen

### Abschnitt 1 Zweck

#### § 1 Zweck des Gesetzes

(1) Das Gesetz dient der Steuerung des Zuzugs.

## Kapitel 2 Einreise

### Abschnitt 1 Einreise

#### § 3 Passpflicht

(1) Ausländer dürfen nur einreisen, wenn sie einen Pass besitzen.
"""


def _citations(text: str) -> dict[str, str]:
    _roots, nodes = build_tree(parse_text(text, "draft.md").clauses)
    return {key: node.citation for key, node in nodes.items()}


def _doubled(citations: dict[str, str]) -> list[str]:
    return [c for c, n in Counter(citations.values()).items() if n > 1]


def test_a_list_inside_a_numbered_paragraph_is_cited_by_number(app: Flask) -> None:
    cited = _citations(AUFENTHG_4)
    assert cited["s-4.1"] == "§ 4, paragraph 1"
    assert cited["s-4.1.1"] == "§ 4, paragraph 1, number 1"
    assert cited["s-4.1.2a"] == "§ 4, paragraph 1, number 2a"
    assert cited["s-4.2"] == "§ 4, paragraph 2"
    assert not _doubled(cited)


def test_the_sentence_after_a_list_is_not_cited_as_its_first_number(app: Flask) -> None:
    cited = _citations(AUFENTHG_4)
    assert cited["s-4.1-p1"] == "§ 4, paragraph 1, text after number 4"


def test_an_unnumbered_sentence_before_numbered_paragraphs_has_its_own_citation(
    app: Flask,
) -> None:
    cited = _citations(RECOMMENDATIONS)
    assert cited["recommendations.1"] == "Recommendations, paragraph 1"
    assert cited["recommendations-p1"] == "Recommendations, text before paragraph 1"
    assert not _doubled(cited)


def test_headings_of_the_same_name_are_cited_within_their_parent(app: Flask) -> None:
    cited = _citations(CHAPTERS)
    assert cited["ch-1.sec-1"] == "Kapitel 1, Abschnitt 1"
    assert cited["ch-2.sec-1"] == "Kapitel 2, Abschnitt 1"
    assert not _doubled(cited)


def test_several_preamble_blocks_are_cited_as_its_paragraphs(app: Flask) -> None:
    cited = _citations("# Licence\n\nFirst words.\n\nSecond words.\n\n## Article 1\n\nText.\n")
    assert cited["p1"] == "Preamble, paragraph 1"
    assert cited["p2"] == "Preamble, paragraph 2"


def test_a_list_under_a_sentence_of_a_paragraph_is_cited_through_the_sentence(app: Flask) -> None:
    text = (
        "# Aufenthaltsgesetz\n\n#### § 16d Maßnahmen\n\n(1) Erteilt wird, wenn\n\n"
        "1.  erstens\n\n2.  zweitens\n\nerforderlich sind. Dies setzt voraus, dass\n\n"
        "1.  der Ausländer Deutsch spricht und\n\n2.  die Maßnahme geeignet ist.\n"
    )
    cited = _citations(text)
    assert cited["s-16d.1-p1"] == "§ 16d, paragraph 1, text after number 2"
    assert cited["s-16d.1-p1.1"] == "§ 16d, paragraph 1, text after number 2, number 1"
    assert not _doubled(cited)
