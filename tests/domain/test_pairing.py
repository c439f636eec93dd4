"""Pairing a translation's clauses with the original's (consult.domain.pairing), no app."""

from __future__ import annotations

from consult.domain.pairing import Shape, pair_clauses
from consult.domain.parsing import parse_text


def shapes(text: str) -> list[Shape]:
    return [
        Shape(c.key, c.kind, c.parent_key, c.number, len(c.heading) + len(c.text))
        for c in parse_text(text).clauses
    ]


ENGLISH = """# Principles

## Introduction

States and borders.

## Principle 1: Dignity {#dignity}

1. Everyone shall be treated with dignity.

2. Nobody shall be degraded:

   (a) at the border;

   (b) in transit.

## Principle 2: Remedies {#remedies}

Remedies shall be effective.
"""

ARABIC = """# المبادئ

## مقدمة

الدول والحدود.

## المبدأ ١: الكرامة

١. يعامل كل شخص بكرامة.

٢. لا يجوز إهانة أحد:

   (a) على الحدود؛

   (b) أثناء العبور.

## المبدأ ٢: سبل الانتصاف

تكون سبل الانتصاف فعالة.
"""


def test_every_clause_is_tied_by_structure_and_number_across_scripts() -> None:
    original, translated = shapes(ENGLISH), shapes(ARABIC)
    pairing = pair_clauses(original, translated)
    assert pairing.unpaired_translated == ()
    assert pairing.untranslated == ()
    by_key = {c.key: c for c in translated}
    tied = {by_key[t].number or t: o for t, o in pairing.pairs.items()}
    assert tied["المبدأ ١"] == "dignity"
    assert tied["المبدأ ٢"] == "remedies"
    assert tied["٢."] == "dignity.2"
    # The unnumbered Arabic heading ("مقدمة") has no key in common with "introduction".
    assert "introduction" in pairing.pairs.values()


def test_carried_keys_that_no_longer_follow_the_numbers_do_not_mislead() -> None:
    # A revision inserted a paragraph: the original's paragraph 2 carries a new key and its
    # paragraph 3 the key "g.2" (it continues the old paragraph 2).
    original = [
        Shape("g", "guideline", None, "Guideline 1"),
        Shape("g.1", "paragraph", "g", "1."),
        Shape("g.2-2", "paragraph", "g", "2."),
        Shape("g.2", "paragraph", "g", "3."),
    ]
    translated = [
        Shape("guideline-1", "guideline", None, "Directive 1"),
        Shape("guideline-1.1", "paragraph", "guideline-1", "1."),
        Shape("guideline-1.2", "paragraph", "guideline-1", "2."),
        Shape("guideline-1.3", "paragraph", "guideline-1", "3."),
    ]
    pairs = pair_clauses(original, translated).pairs
    assert pairs["guideline-1.2"] == "g.2-2"
    assert pairs["guideline-1.3"] == "g.2"


def test_a_paragraph_the_translator_added_is_left_unpaired_and_a_missing_one_named() -> None:
    original = shapes(ENGLISH)
    extra = ARABIC.replace("الدول والحدود.\n", "الدول والحدود.\n\nفقرة إضافية.\n")
    pairing = pair_clauses(original, shapes(extra))
    assert len(pairing.unpaired_translated) == 1
    missing = ARABIC.replace("تكون سبل الانتصاف فعالة.\n", "")
    assert pair_clauses(original, shapes(missing)).untranslated == ("remedies-p1",)


def test_an_empty_translation_ties_nothing() -> None:
    pairing = pair_clauses(shapes(ENGLISH), [])
    assert pairing.pairs == {}
    assert len(pairing.untranslated) == len(shapes(ENGLISH))


def test_numbers_written_in_words_or_other_numerals_pair_by_their_value() -> None:
    # The Chinese text leaves out article 2: articles 1 and 3 still find their own.
    original = shapes(
        "# Law\n\n## Part I\n\n### Article 1\n\nOne.\n\n### Article 2\n\nTwo.\n\n"
        "### Article 3\n\nThree.\n"
    )
    chinese = shapes("# 法\n\n## 第一部分\n\n### 第一条\n\n一。\n\n### 第三条\n\n三。\n")
    pairing = pair_clauses(original, chinese)
    by_key = {c.key: c for c in chinese}
    tied = {by_key[t].number: o for t, o in pairing.pairs.items() if by_key[t].number}
    assert tied["第一条"] == "art-1"
    assert tied["第三条"] == "art-3"
    assert "art-2" in pairing.untranslated


def test_a_paragraph_added_among_unnumbered_ones_is_found_by_the_lengths() -> None:
    # Nothing numbers these paragraphs: the pairing reads their lengths, as a reader would
    # see that the short one in the middle has no counterpart.
    paragraphs = [
        "A first paragraph of some length, which says a good deal about borders. " * 3,
        "A short one.",
        "A third paragraph, again rather long, about the rights of every migrant. " * 4,
    ]
    original = shapes("# T\n\n## Intro\n\n" + "\n\n".join(paragraphs) + "\n")
    added = [paragraphs[0], "Un ajout de longueur moyenne, sans équivalent.", *paragraphs[1:]]
    translated = shapes("# T\n\n## Intro\n\n" + "\n\n".join(added) + "\n")
    pairing = pair_clauses(original, translated)
    assert pairing.unpaired_translated == ("intro-p2",)
    assert pairing.pairs["intro-p3"] == "intro-p2"
    assert pairing.pairs["intro-p4"] == "intro-p3"


def test_every_real_text_pairs_with_itself_clause_for_clause() -> None:
    # The corpus's laws, licences and drafts, each as its own "translation" with the keys
    # hidden (a translator's file has none): every clause must find itself.
    from dataclasses import replace

    from consult.domain.parsing import DraftError, parse_draft
    from tests.corpus import corpus_files, require_corpus

    require_corpus()
    for path in corpus_files():
        try:
            parsed = parse_draft(path.read_bytes(), path.name)
        except DraftError:
            continue
        original = [
            Shape(c.key, c.kind, c.parent_key, c.number, len(c.heading) + len(c.text))
            for c in parsed.clauses
        ]
        hidden = {c.key: f"x{n}" for n, c in enumerate(original)}
        translated = [
            replace(c, key=hidden[c.key], parent_key=hidden.get(c.parent_key or ""))
            for c in original
        ]
        pairs = pair_clauses(original, translated).pairs
        assert {hidden[k]: k for k in hidden} == pairs, path.name
