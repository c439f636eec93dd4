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
