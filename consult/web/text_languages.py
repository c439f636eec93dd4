"""Which language of a version's text a reader sees, and which beside it.

A version is read in its own language or in any of its published
translations. Without a choice (`?text=`), the reader sees the language of
their interface when the version has it, else the original. `?beside=` shows
a second language next to the first. A language the version does not have
is a 404, as is any address to a text that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request

from consult.languages import reader_language
from consult.models import Translation, Version
from consult.services import language_texts, translations


@dataclass(frozen=True)
class TextChoice:
    """The languages a version has, the one shown, and the one beside it (if any)."""

    own: str  # the version's own language
    languages: tuple[str, ...]  # its own first, then its published translations
    shown: str
    translation: Translation | None  # of `shown`, None when it is the version's own
    beside: str | None
    beside_translation: Translation | None
    asked: bool  # the reader chose `shown` (?text=): links keep the choice

    @property
    def carried(self) -> str:
        """The language that links to the version's clauses ask for ('' for the default)."""
        return self.shown if self.asked or self.translation is not None else ""

    @property
    def several(self) -> bool:
        """Whether the version has more than one language to choose from."""
        return len(self.languages) > 1


def _published(version: Version, language: str, own: str) -> Translation | None:
    if language == own:
        return None
    found = translations.get_translation(version, language)
    if not found.is_published:  # pragma: no cover - published_languages lists only these
        abort(404)
    return found


def text_choice(version: Version) -> TextChoice:
    """Read `?text=` and `?beside=` for `version`; 404 for a language it does not have."""
    languages = tuple(language_texts.published_languages(version))
    own = languages[0]
    asked = request.args.get("text") or ""
    if asked and asked not in languages:
        abort(404)
    locale = reader_language()
    shown = asked or (locale if locale in languages else own)
    beside = request.args.get("beside") or None
    if beside is not None and (beside not in languages or beside == shown):
        abort(404)
    return TextChoice(
        own=own,
        languages=languages,
        shown=shown,
        translation=_published(version, shown, own),
        beside=beside,
        beside_translation=None if beside is None else _published(version, beside, own),
        asked=bool(asked),
    )
