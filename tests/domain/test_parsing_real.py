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


# AufenthG 2022, § 19f (3): a citation's page number "S.\n17)" wraps onto a new line.
WRAPPED_PAGE = """# Aufenthaltsgesetz

#### § 19f Ablehnungsgründe

(3) Eine Aufenthaltserlaubnis wird nicht erteilt an Ausländer, die einen
Aufenthaltstitel auf Grundlage der Richtlinie 2009/50/EG des Rates vom 25. Mai
2009 (ABl. L 155 vom 18.6.2009, S.
17) erteilt wurde, besitzen. Eine Aufenthaltserlaubnis nach § 18d wird
darüber hinaus nicht erteilt.

(4) Der Antrag wird abgelehnt.
"""

# AufenthG 2022, § 72 (4): the same inside a list item, "(BGBl. I S.\n147)".
WRAPPED_IN_ITEM = """# Aufenthaltsgesetz

#### § 72 Beteiligungserfordernisse

(4) Ein Ausländer darf nur ausgewiesen werden,

1.  wenn die Verordnung vom 6. Februar 2017 (BGBl. I S.
    147) es erlaubt, oder

2.  wenn das Gericht zustimmt.
"""


def test_a_page_number_wrapped_onto_a_new_line_is_not_an_item() -> None:
    draft = _parse(WRAPPED_PAGE)
    assert [c.key for c in draft.clauses] == ["s-19f", "s-19f.3", "s-19f.4"]
    assert "S.\n17) erteilt wurde" in draft.clauses[1].text


def test_a_page_number_wrapped_inside_a_list_item_is_not_an_item() -> None:
    draft = _parse(WRAPPED_IN_ITEM)
    assert [c.key for c in draft.clauses] == ["s-72", "s-72.4", "s-72.4.1", "s-72.4.2"]
    assert draft.clauses[2].text.endswith("(BGBl. I S.\n147) es erlaubt, oder")


# AufenthG 2022, § 99 (1) 13a: a wrapped line that begins "S. 1) und".
WRAPPED_S = """# Aufenthaltsgesetz

#### § 99 Verordnungsermächtigung

(1) Das Bundesministerium des Innern kann durch Rechtsverordnung

13a. Regelungen für Reiseausweise nach Maßgabe der Verordnung (EG) Nr.
    2252/2004 des Rates (ABl. L 385 vom 29.12.2004,
    S. 1) und der Verordnung (EG) Nr. 444/2009 treffen,

14. weitere Regelungen treffen.
"""


def test_a_wrapped_line_beginning_with_a_page_abbreviation_is_not_an_item() -> None:
    draft = _parse(WRAPPED_S)
    assert [c.key for c in draft.clauses] == ["s-99", "s-99.1", "s-99.1.13a", "s-99.1.14"]
    assert "29.12.2004,\nS. 1) und der Verordnung" in draft.clauses[2].text


# OASIS CSAF 2.0 CSD01: a date under the title, and references whose first
# line starts with an author's initial.
CSAF_FRONT = """# Common Security Advisory Framework Version 2.0

## Committee Specification Draft 01

## 25 July 2021

#### Chair:
Omar Santos

## 1.3 Normative References

###### [RFC8174]
Leiba, B., "Ambiguity of Uppercase vs Lowercase in RFC 2119 Key Words", BCP 14, May 2017.
###### [RFC8259]
T. Bray, Ed., "The JavaScript Object Notation (JSON) Data Interchange Format", RFC 8259.
"""


def test_a_date_heading_is_not_a_numbered_section() -> None:
    draft = _parse(CSAF_FRONT)
    date = next(c for c in draft.clauses if "July" in c.heading)
    assert (date.number, date.heading, date.kind) == ("", "25 July 2021", "heading")
    assert "25" not in [c.key for c in draft.clauses]


def test_an_author_initial_is_not_a_lettered_item() -> None:
    draft = _parse(CSAF_FRONT)
    reference = next(c for c in draft.clauses if c.text.startswith("T. Bray"))
    assert (reference.number, reference.kind) == ("", "paragraph")
    assert reference.parent_key == "rfc8259"


def test_lettered_items_in_sequence_are_still_items() -> None:
    draft = _parse("# Rules\n\n## Parts\n\nThe parts are:\n\nA. The scope.\n\nB. The terms.\n")
    assert [c.number for c in draft.clauses if c.number] == ["A.", "B."]


# CC BY 4.0, Section 3(a)(1): roman "i." to "v." under "A.", then "B." and "C.".
CC_BY_3A = """Attribution 4.0 International

Section 3 -- License Conditions.

     a. Attribution.

          1. If You Share the Licensed Material, You must:

               A. retain the following if it is supplied:

                    i. identification of the creator(s);

                    ii. a copyright notice;

                    iii. a notice that refers to this Public License;

                    iv.\ta notice that refers to the disclaimer of warranties;

                    v. a URI or hyperlink to the Licensed Material;

               B. indicate if You modified the Licensed Material; and

               C. indicate the Licensed Material is licensed under this Public License.

          2. You may satisfy the conditions in any reasonable manner.
"""


def test_roman_numerals_and_letters_are_told_apart_by_their_sequence() -> None:
    tree = _tree(_parse(CC_BY_3A, "CC-BY-4.0.txt"))
    for roman in ("i", "ii", "iii", "iv", "v"):
        assert tree[f"sec-3.a.1.a.{roman}"] == "sec-3.a.1.a", roman
    assert tree["sec-3.a.1.b"] == "sec-3.a.1"
    assert tree["sec-3.a.1.c"] == "sec-3.a.1"
    assert tree["sec-3.a.2"] == "sec-3.a"


# AufenthG 2022, § 16d (1): a second list, after "... setzt voraus, dass",
# inside the same paragraph.
SECOND_LIST = """# Aufenthaltsgesetz

#### § 16d Maßnahmen zur Anerkennung ausländischer Berufsqualifikationen

(1) Einem Ausländer soll eine Aufenthaltserlaubnis erteilt werden, wenn
festgestellt wurde, dass weitere Qualifikationen

1.  für die Feststellung der Gleichwertigkeit der Berufsqualifikation oder


2.  in einem im Inland reglementierten Beruf



erforderlich sind. Die Erteilung der Aufenthaltserlaubnis setzt
voraus, dass

1.  der Ausländer über entsprechende deutsche Sprachkenntnisse verfügt,


2.  die Qualifizierungsmaßnahme geeignet ist, und


3.  die Bundesagentur für Arbeit nach § 39 zugestimmt hat.



Die Aufenthaltserlaubnis wird für bis zu 18 Monate erteilt.

(2) Die Aufenthaltserlaubnis berechtigt zur Beschäftigung.
"""


def test_a_list_after_a_sentence_ending_in_wenn_or_dass_is_its_child() -> None:
    tree = _tree(_parse(SECOND_LIST))
    assert tree == {
        "s-16d": None,
        "s-16d.1": "s-16d",
        "s-16d.1.1": "s-16d.1",
        "s-16d.1.2": "s-16d.1",
        "s-16d.1-p1": "s-16d.1",
        "s-16d.1-p1.1": "s-16d.1-p1",
        "s-16d.1-p1.2": "s-16d.1-p1",
        "s-16d.1-p1.3": "s-16d.1-p1",
        "s-16d.1-p2": "s-16d.1",
        "s-16d.2": "s-16d",
    }


def test_a_list_after_a_colon_is_a_child_only_where_its_numbers_would_repeat() -> None:
    # drafts/gmg-issues-brief: "We recommend that States:" and then the first "1.".
    draft = _parse("# Brief\n\n## Recommendations\n\nWe recommend that States:\n\n1. Publish.\n")
    assert _tree(draft)["recommendations.1"] == "recommendations"


# draft-irtf-hrpc-research-06 (kramdown-rfc): section markers and a quote's source.
KRAMDOWN = """---
title: Research into Human Rights Protocol Considerations
docname: draft-irtf-hrpc-research-06
---

--- abstract

This document provides a proposal for a vocabulary.

--- middle

Introduction
============

    "The Internet isn't value-neutral, and neither is the IETF."

{{RFC3935}}

The evergrowing interconnectedness of Internet and society increases the impact.

--- back

Acknowledgements
================

Thanks to everyone.
"""

# Contributor Covenant 2.0: TOML front matter between "+++" lines.
TOML_FRONT = """+++
version = "2.0"
aliases = ["/version/2/0"]
+++

# Contributor Covenant Code of Conduct

## Our Pledge

We as members, contributors, and leaders pledge to make participation in our
community a harassment-free experience for everyone.
"""


def test_kramdown_section_markers_are_not_clauses() -> None:
    texts = [c.text for c in _parse(KRAMDOWN).clauses]
    assert not [t for t in texts if t.startswith("---")]


def test_a_reference_alone_under_a_quote_belongs_to_the_quote() -> None:
    draft = _parse(KRAMDOWN)
    assert "{{RFC3935}}" not in [c.text.strip() for c in draft.clauses]
    quote = next(c for c in draft.clauses if "value-neutral" in c.text)
    assert quote.text.rstrip().endswith("{{RFC3935}}")
    assert quote.parent_key == "introduction"


def test_toml_front_matter_is_not_a_clause() -> None:
    draft = _parse(TOML_FRONT)
    assert [c.key for c in draft.clauses] == ["our-pledge", "our-pledge-p1"]
    assert draft.title == "Contributor Covenant Code of Conduct"


# draft-irtf-hrpc-research-06, "Vocabulary used": a glossary as a definition list.
GLOSSARY = """# Research into Human Rights Protocol Considerations

Vocabulary used
===============

The following glossary is provided.

Accessibility
: Full Internet Connectivity as described in {{RFC4084}}.

: The ability to receive information available on the Internet

Anonymity
: The condition of an identity being unknown or concealed. {{RFC4949}}

Anonymous
: A state of an individual in which an observer cannot identify the individual.
"""


def test_a_glossary_gives_one_clause_per_term() -> None:
    draft = _parse(GLOSSARY)
    terms = [c for c in draft.clauses if c.kind == "definition"]
    assert [c.key for c in terms] == [
        "vocabulary-used.accessibility",
        "vocabulary-used.anonymity",
        "vocabulary-used.anonymous",
    ]
    assert all(c.parent_key == "vocabulary-used" for c in terms)
    assert terms[0].text.startswith("Accessibility\n: Full Internet")
    assert terms[0].text.endswith("available on the Internet")
    assert terms[1].text == (
        "Anonymity\n: The condition of an identity being unknown or concealed. {{RFC4949}}"
    )


# OASIS CSAF 2.0, Appendix C: sections numbered "C.1", "C.3" under the appendix.
APPENDIX = """# Common Security Advisory Framework Version 2.0

# Appendix C. Guidance on the Size of CSAF Documents

This appendix provides informative guidance on the size of CSAF documents.

## C.1 File size

A CSAF document SHOULD NOT be larger than 15 MB.

## C.3 String length

A string SHOULD NOT have a length greater than 1000.
"""


def test_a_lettered_section_number_is_a_clause_number() -> None:
    draft = _parse(APPENDIX)
    sections = [c for c in draft.clauses if c.heading in ("File size", "String length")]
    assert [(c.key, c.number, c.kind) for c in sections] == [
        ("c.1", "C.1", "section"),
        ("c.3", "C.3", "section"),
    ]
    assert all(c.parent_key == "annex-c" for c in sections)


# CC BY 4.0, the end: Creative Commons' notice after Section 8, set flush left
# where the section's items are indented.
CC_BY_END = """Attribution 4.0 International

Section 7 -- Other Terms and Conditions.

     a.\tThe Licensor shall not be bound by any additional or different terms.

Section 8 -- Interpretation.

     a.\tFor the avoidance of doubt, this Public License does not reduce any use.

     b.\tNo term or condition of this Public License will be waived.

Creative Commons is not a party to its public licenses. Notwithstanding,
Creative Commons may elect to apply one of its public licenses to material.

Creative Commons may be contacted at creativecommons.org.
"""


def test_a_closing_notice_after_the_last_section_is_not_part_of_it() -> None:
    draft = _parse(CC_BY_END, "CC-BY-4.0.txt")
    notice = [c for c in draft.clauses if c.text.startswith("Creative Commons")]
    assert len(notice) == 2
    assert all(c.parent_key is None and c.kind == "paragraph" for c in notice)
    assert _tree(draft)["sec-8.b"] == "sec-8"


# CC BY 4.0 (plain text): the licence's name, a line of 61 characters, stands
# over its terms after the notes on using the licences.
CC_BY_4_OPENING = """Creative Commons Attribution 4.0 International

Creative Commons Corporation ("Creative Commons") is not a law firm.

Using Creative Commons Public Licenses

Creative Commons public licenses provide a standard set of terms and conditions.

Creative Commons Attribution 4.0 International Public License

By exercising the Licensed Rights (defined below), You accept these terms.

Section 1 -- Definitions.

     a.\tAdapted Material means material subject to Copyright and Similar Rights.
"""


def test_a_long_title_line_over_the_terms_is_a_heading() -> None:
    draft = _parse(CC_BY_4_OPENING, "CC-BY-4.0.txt")
    headings = [c.heading for c in draft.clauses if c.kind == "heading"]
    assert headings == [
        "Using Creative Commons Public Licenses",
        "Creative Commons Attribution 4.0 International Public License",
    ]
    tree = _tree(draft)
    terms = next(c.key for c in draft.clauses if c.heading.endswith("Public License"))
    assert tree["sec-1"] == terms  # the definitions are the licence's, not the usage notes'
    assert tree["sec-1.a"] == "sec-1"


# draft-irtf-hrpc-research-14 (kramdown-rfc): sections are numbered as the
# published draft shows them, though the source writes no numbers.
KRAMDOWN_SECTIONS = """---
title: Research into Human Rights Protocol Considerations
docname: draft-irtf-hrpc-research-14
---

--- abstract

This document aims to propose guidelines for human rights considerations.

--- middle

Introduction
============

The evergrowing interconnectedness of Internet and society increases the impact.

Vocabulary used
===============

In the discussion of human rights and Internet architecture concepts.

Research questions
------------------

The research questions are the following.

### Literature review

The literature is reviewed here.

--- back

Acknowledgements
================

Thanks to everyone.
"""


def test_kramdown_rfc_sections_are_numbered_as_the_draft_shows_them() -> None:
    draft = _parse(KRAMDOWN_SECTIONS)
    headings = {c.heading: c for c in draft.clauses if c.heading}
    assert [(h, c.number) for h, c in headings.items()] == [
        ("Introduction", "1"),
        ("Vocabulary used", "2"),
        ("Research questions", "2.1"),
        ("Literature review", "2.1.1"),
        ("Acknowledgements", "A"),
    ]
    assert all(c.kind == "section" for c in headings.values())
    # Keys stay those of the titles, so that a section inserted later renames no other.
    assert headings["Literature review"].key == "literature-review"
    assert headings["Literature review"].parent_key == "research-questions"
