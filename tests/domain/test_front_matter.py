"""The document facts a draft's front matter sets: symbol, publisher and language."""

from __future__ import annotations

import pytest

from consult.domain.parsing import DraftError, ParsedDraft, parse_draft

BODY = "# Principles\n\nStates shall respect human rights at borders.\n"


def yaml_draft(*lines: str) -> str:
    return "---\ntitle: Principles\n" + "".join(f"{line}\n" for line in lines) + "---\n\n" + BODY


def parse(text: str) -> ParsedDraft:
    return parse_draft(text.encode(), "draft.md")


def test_symbol_publisher_and_language_are_read() -> None:
    draft = parse(
        yaml_draft(
            "symbol: CONSULT/HRB/2026/1",
            "publisher: Consult demonstration secretariat",
            "language: en",
        )
    )
    assert (draft.symbol, draft.publisher, draft.language) == (
        "CONSULT/HRB/2026/1",
        "Consult demonstration secretariat",
        "en",
    )
    # The facts are metadata: none of them becomes a clause.
    assert [c.text for c in draft.clauses if c.text] == [
        "States shall respect human rights at borders."
    ]


def test_absent_or_empty_values_are_none() -> None:
    assert (parse(BODY).symbol, parse(BODY).publisher, parse(BODY).language) == (None,) * 3
    draft = parse(yaml_draft('symbol: ""', "publisher:", "language: '  '"))
    assert (draft.symbol, draft.publisher, draft.language) == (None, None, None)


def test_white_space_in_symbol_and_publisher_is_tidied() -> None:
    draft = parse(
        yaml_draft("symbol: '  A/HRC/23/L.1  '", "publisher: >-\n  Consult\n  secretariat")
    )
    assert draft.symbol == "A/HRC/23/L.1"
    assert draft.publisher == "Consult secretariat"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("en", "en"),
        ("fr", "fr"),
        ("es", "es"),
        ("ar", "ar"),
        ("zh", "zh"),
        ("ru", "ru"),
        ("EN", "en"),
        ("zh-Hans", "zh-Hans"),
        ("ZH-Hant", "zh-Hant"),
        ("pt-BR", "pt-BR"),
        ("es-419", "es-419"),
        ("yue", "yue"),
        ('"no"', "no"),
    ],
)
def test_language_tags(written: str, kept: str) -> None:
    assert parse(yaml_draft(f"language: {written}")).language == kept


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("language: English", "language 'English' is not a language tag"),
        ("language: e", "language 'e' is not a language tag"),
        ("language: en_US", "language 'en_US' is not a language tag"),
        ("language: fr-", "language 'fr-' is not a language tag"),
        ("language: français", "language 'français' is not a language tag"),
        ("language: en-abcdefghi", "not a language tag"),
        ("language: en-" + "-".join(["abcd"] * 4), "at most 20 characters"),
        ("language: 12", "language '12' is not a language tag"),
        ("language: no", "read as true or false"),
        ("symbol: " + "S" * 101, "'symbol' is 101 characters long; the limit is 100"),
        ("publisher: " + "p" * 301, "'publisher' is 301 characters long; the limit is 300"),
        ("publisher: [one, two]", "'publisher' must be one line of text"),
        ("symbol: {a: b}", "'symbol' must be one line of text"),
    ],
)
def test_bad_values_name_the_front_matter_line(line: str, message: str) -> None:
    text = yaml_draft("kind: principles-and-guidelines", line, "label: First draft")
    with pytest.raises(DraftError) as caught:
        parse(text)
    assert caught.value.line == 4  # "---", "title", "kind", then the bad value
    assert message in caught.value.message
    assert str(caught.value).startswith("line 4: the front matter's ")


def test_values_at_the_limits_are_kept() -> None:
    draft = parse(yaml_draft("symbol: " + "S" * 100, "publisher: " + "p" * 300))
    assert (len(draft.symbol or ""), len(draft.publisher or "")) == (100, 300)


def test_toml_front_matter_sets_the_same_keys() -> None:
    text = (
        '+++\nsymbol = "CONSULT/HRB/2026/1"\npublisher = "Consult demonstration secretariat"\n'
        'language = "FR"\n+++\n\n' + BODY
    )
    draft = parse(text)
    assert (draft.symbol, draft.publisher, draft.language) == (
        "CONSULT/HRB/2026/1",
        "Consult demonstration secretariat",
        "fr",
    )


def test_toml_front_matter_bad_language_names_its_line() -> None:
    with pytest.raises(DraftError) as caught:
        parse('+++\ntitle = "Principles"\nlanguage = "Arabic"\n+++\n\n' + BODY)
    assert caught.value.line == 3
    assert "language 'Arabic' is not a language tag" in caught.value.message


def test_sloppy_kramdown_front_matter_is_checked_too() -> None:
    # "--- abstract" closes a block that need not be valid YAML; its keys are still read.
    text = "---\ntitle: T: with a colon\nlanguage: Spanish\n--- abstract\n\n" + BODY
    with pytest.raises(DraftError) as caught:
        parse(text)
    assert caught.value.line == 3
    assert parse(text.replace("Spanish", "es")).language == "es"
