"""The languages of the interface: the six official languages of the United Nations.

Each is named in its own language (how a reader looks for it on a switch),
with the direction its script is written in. The order is the one UN bodies
use: Arabic, Chinese, English, French, Russian, Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """A language of the interface."""

    code: str  # the catalogue's name and the page's lang attribute
    name: str  # in the language itself
    direction: str  # "ltr" or "rtl"


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("ar", "العربية", "rtl"),
        Language("zh", "中文", "ltr"),
        Language("en", "English", "ltr"),
        Language("fr", "Français", "ltr"),
        Language("ru", "Русский", "ltr"),
        Language("es", "Español", "ltr"),
    )
}
DEFAULT = "en"

#: Languages written right to left (primary subtags), for texts in any language, not only ours.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})


def direction_of(tag: str) -> str:
    """Return "rtl" or "ltr" for a text in the language `tag` ("ar", "zh-Hans", "fa-AF")."""
    return "rtl" if tag.split("-")[0].casefold() in RTL_LANGUAGES else "ltr"


def reader_language() -> str:
    """The language of the reader's interface, as a text's language is written ("fr", not
    "fr_FR"); the platform's default outside a request."""
    from flask_babel import get_locale

    return str(get_locale() or DEFAULT).split("_")[0]


def language_tag(text: str) -> str | None:
    """Return `text` as a language tag in its usual spelling ("de", "pt-BR", "sr-Latn"),
    or None when it names no language Babel knows ("xx", "klingon", "de-")."""
    from babel import Locale, UnknownLocaleError

    cleaned = text.strip().replace("_", "-")
    if not cleaned or len(cleaned) > 35:
        return None
    try:
        locale = Locale.parse(cleaned, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return "-".join(part for part in (locale.language, locale.script, locale.territory) if part)


def language_name(code: str) -> str:
    """The language's name in itself ("Français"), or the code when it is not one of ours."""
    language = LANGUAGES.get(code)
    return language.name if language is not None else code


def _names_in_sentence() -> dict[str, str]:
    """The six languages' names as a sentence of the reader's language takes them.

    They are messages of their own, not Babel's names, because a sentence may need
    another form than the name: Russian says "на французском языке", so its
    sentences read "на %(language)s" and these names are in the prepositional.
    """
    from flask_babel import pgettext

    return {
        "ar": pgettext("language, as it stands in a sentence", "Arabic"),
        "zh": pgettext("language, as it stands in a sentence", "Chinese"),
        "en": pgettext("language, as it stands in a sentence", "English"),
        "fr": pgettext("language, as it stands in a sentence", "French"),
        "ru": pgettext("language, as it stands in a sentence", "Russian"),
        "es": pgettext("language, as it stands in a sentence", "Spanish"),
    }


def language_in_sentence(code: str) -> str:
    """The language's name in the reader's language, to stand in a sentence ("le texte en
    espagnol", "النص باللغة الإسبانية", "текст на испанском языке"); the code when Babel
    does not know it."""
    from babel import Locale, UnknownLocaleError
    from flask_babel import get_locale, pgettext

    ours = _names_in_sentence().get(code)
    if ours is not None:
        return ours
    try:
        name = Locale.parse(code, sep="-").get_display_name(get_locale() or DEFAULT)
    except (UnknownLocaleError, ValueError):
        return code
    # A language outside the six: Babel's name, as the reader's sentences can take it.
    found: str = pgettext(
        "a language outside the six official ones, as it stands in a sentence",
        "%(name)s",
        name=name or code,
    )
    return found
