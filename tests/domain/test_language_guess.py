"""Guessing a draft's language among the six (consult.domain.language_guess), no app."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult.domain.language_guess import guess_language
from tests.corpus import CORPUS, require_corpus

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States shall ensure that the rights of all migrants are respected and that " * 3, "en"),
        ("Les États veillent à ce que les droits des migrants soient respectés dans " * 3, "fr"),
        (
            "Los Estados deben velar por que los derechos de los migrantes sean respetados " * 3,
            "es",
        ),
        ("يجب على الدول أن تكفل احترام حقوق جميع المهاجرين", "ar"),
        ("各国应确保所有移民的权利得到尊重", "zh"),
        ("Государства обеспечивают соблюдение прав всех мигрантов", "ru"),
        # Not one of the six, or too short to tell: no guess.
        (
            "Die Staaten stellen sicher, dass die Rechte der Migranten nicht verletzt werden " * 3,
            None,
        ),
        ("Article 1", None),
        ("", None),
    ],
)
def test_a_text_is_guessed_only_when_its_language_is_clear(text: str, expected: str | None) -> None:
    assert guess_language(text) == expected


def test_the_sample_drafts_and_their_french_text() -> None:
    assert guess_language((DRAFTS / "human-rights-borders" / "v3.md").read_text()) == "en"
    assert guess_language((DRAFTS / "human-rights-borders" / "v3.fr.md").read_text()) == "fr"


def test_real_texts_in_the_corpus() -> None:
    require_corpus()
    german = CORPUS / "de-aufenthg-residence-act" / "AufenthG_2022-01-28_stand.md"
    assert guess_language(german.read_text()) is None  # German: not one of the six
    assert guess_language((CORPUS / "cecill" / "CECILL-1.0.txt").read_text()) == "fr"
    assert guess_language((CORPUS / "cecill" / "CECILL-2.1.txt").read_text()) == "en"
    assert guess_language((CORPUS / "gnu-gpl-family" / "GPL-3.0.txt").read_text()) == "en"
